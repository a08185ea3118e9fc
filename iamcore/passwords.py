"""Console passwords: salted Scrypt hashes and password-policy checks (pure functions).

iamcore never keeps a console password in plaintext.  A password is stored as
a :class:`PasswordHash`: a random 16-byte salt and a 32-byte Scrypt digest,
together with the Scrypt cost it was made with (so hashes made under an older
cost still verify).  Verification recomputes the digest and compares it in
constant time (:func:`hmac.compare_digest`).

Scrypt's cost is a :class:`ScryptCost` ``(n, r, p)``.  The default,
:data:`DEFAULT_COST`, is the interactive-login setting (``n=2**14, r=8,
p=1``: 16 MiB and tens of milliseconds per hash).  Tests lower it with
:data:`FAST_COST` (also offered as :data:`iamcore.testing.FAST_SCRYPT`),
either for one account (``account.password_hash_cost = FAST_SCRYPT``) or for
the whole process (:func:`set_default_cost`).

Password policy (aws-iam-rules.md §2.7, §5): the character classes are ASCII
only — uppercase ``A``–``Z``, lowercase ``a``–``z``, numbers ``0``–``9`` and
exactly 20 symbols ``! @ # $ % ^ & * ( ) _ + - = [ ] { } | '``.  Any other
character (space, ``.``, ``é``…) is allowed in a password but counts toward
no class.  :func:`policy_violations` lists every rule a password breaks under
a custom policy; :func:`default_policy_violations` does the same for AWS's
default policy, which applies when the account has no custom policy.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable, Iterable
from typing import Protocol

import attrs
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

__all__ = [
    "DEFAULT_COST",
    "DEFAULT_POLICY_MIN_LENGTH",
    "FAST_COST",
    "HISTORY_LIMIT",
    "SYMBOLS",
    "PasswordHash",
    "PasswordRules",
    "ScryptCost",
    "character_classes",
    "default_cost",
    "default_policy_violations",
    "hash_password",
    "matches_any",
    "policy_violations",
    "set_default_cost",
    "verify_password",
]

#: The 20 characters that count as symbols (UG "Setting an account password policy").
SYMBOLS = frozenset("!@#$%^&*()_+-=[]{}|'")
#: Minimum length of AWS's default password policy (no custom policy set).
DEFAULT_POLICY_MIN_LENGTH = 8
#: How many previous password hashes iamcore keeps per user (PasswordReusePrevention ≤ 24).
HISTORY_LIMIT = 24

_SALT_BYTES = 16
_DIGEST_BYTES = 32


def _power_of_two(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if type(value) is not int or value < 2 or value & (value - 1):
        raise ValueError(f"Scrypt n must be a power of two greater than 1, not {value!r}")


def _positive(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if type(value) is not int or value < 1:
        raise ValueError(f"Scrypt {attribute.name} must be a positive integer, not {value!r}")


@attrs.frozen
class ScryptCost:
    """Scrypt's work factors: CPU/memory cost ``n`` (a power of two), block size ``r``,
    parallelism ``p``.  Memory used is about ``128 * n * r`` bytes."""

    n: int = attrs.field(validator=_power_of_two)
    r: int = attrs.field(validator=_positive)
    p: int = attrs.field(validator=_positive)


#: The interactive-login cost (16 MiB): what accounts use unless told otherwise.
DEFAULT_COST = ScryptCost(n=2**14, r=8, p=1)
#: A deliberately cheap cost for tests (never for real passwords).
FAST_COST = ScryptCost(n=2**4, r=1, p=1)

_default_cost = DEFAULT_COST
_cost_lock = threading.Lock()


def default_cost() -> ScryptCost:
    """Return the process-wide cost used by accounts that have none of their own."""
    return _default_cost


def set_default_cost(cost: ScryptCost) -> ScryptCost:
    """Set the process-wide default cost; return the previous one (to restore it)."""
    global _default_cost
    if not isinstance(cost, ScryptCost):
        raise TypeError(f"expected a ScryptCost, not {cost!r}")
    with _cost_lock:
        previous, _default_cost = _default_cost, cost
    return previous


@attrs.frozen
class PasswordHash:
    """A salted Scrypt digest of a password.  Its repr shows only the cost."""

    salt: bytes = attrs.field(repr=False)
    digest: bytes = attrs.field(repr=False)
    cost: ScryptCost


def _derive(password: str, salt: bytes, cost: ScryptCost) -> bytes:
    kdf = Scrypt(salt=salt, length=_DIGEST_BYTES, n=cost.n, r=cost.r, p=cost.p)
    # Passwords may hold U+0080–U+00FF; UTF-8 keeps every password distinct.
    return kdf.derive(password.encode("utf-8"))


def hash_password(password: str, salt: bytes, cost: ScryptCost) -> PasswordHash:
    """Return the hash of ``password`` with ``salt`` (16 random bytes) at ``cost``."""
    return PasswordHash(salt=salt, digest=_derive(password, salt, cost), cost=cost)


def verify_password(password: str, stored: PasswordHash | None) -> bool:
    """Return whether ``password`` is the one ``stored`` was made from (constant-time).

    A missing hash (``None``: e.g. an account loaded from a redacted state
    file) matches no password.
    """
    if stored is None:
        return False
    return hmac.compare_digest(_derive(password, stored.salt, stored.cost), stored.digest)


def matches_any(password: str, hashes: Iterable[PasswordHash | None]) -> bool:
    """Return whether ``password`` matches any of ``hashes`` (checks them all)."""
    found = False
    for stored in hashes:
        found |= verify_password(password, stored)
    return found


class PasswordRules(Protocol):
    """What :func:`policy_violations` reads: the fields of a custom password policy."""

    @property
    def minimum_password_length(self) -> int: ...
    @property
    def require_symbols(self) -> bool: ...
    @property
    def require_numbers(self) -> bool: ...
    @property
    def require_uppercase_characters(self) -> bool: ...
    @property
    def require_lowercase_characters(self) -> bool: ...


def _is_upper(char: str) -> bool:
    return "A" <= char <= "Z"


def _is_lower(char: str) -> bool:
    return "a" <= char <= "z"


def _is_digit(char: str) -> bool:
    return "0" <= char <= "9"


def _is_symbol(char: str) -> bool:
    return char in SYMBOLS


_CLASSES: tuple[tuple[str, Callable[[str], bool], str], ...] = (
    ("uppercase", _is_upper, "Password should have at least one uppercase letter"),
    ("lowercase", _is_lower, "Password should have at least one lowercase letter"),
    ("number", _is_digit, "Password should have at least one number"),
    ("symbol", _is_symbol, "Password should have at least one symbol"),
)


def character_classes(password: str) -> frozenset[str]:
    """Return which of ``uppercase``, ``lowercase``, ``number``, ``symbol`` occur."""
    return frozenset(name for name, test, _ in _CLASSES if any(map(test, password)))


def policy_violations(password: str, policy: PasswordRules) -> list[str]:
    """Every rule of a custom password policy that ``password`` breaks (empty: accepted).

    Checks the minimum length and each required character class, in that order.
    """
    problems: list[str] = []
    if len(password) < policy.minimum_password_length:
        problems.append(
            f"Password should have a minimum length of {policy.minimum_password_length}"
        )
    present = character_classes(password)
    required = {
        "uppercase": policy.require_uppercase_characters,
        "lowercase": policy.require_lowercase_characters,
        "number": policy.require_numbers,
        "symbol": policy.require_symbols,
    }
    problems.extend(
        message for name, _, message in _CLASSES if required[name] and name not in present
    )
    return problems


def default_policy_violations(password: str) -> list[str]:
    """Every rule of AWS's default password policy that ``password`` breaks.

    The default policy (UG "Setting an account password policy for IAM users",
    Default password policy): at least 8 characters and at least three of the
    four classes (uppercase, lowercase, numbers, symbols).  Its third rule —
    not equal to the account name or e-mail address — is not modelled:
    iamcore knows neither.
    """
    problems: list[str] = []
    if len(password) < DEFAULT_POLICY_MIN_LENGTH:
        problems.append(f"Password should have a minimum length of {DEFAULT_POLICY_MIN_LENGTH}")
    if len(character_classes(password)) < 3:
        problems.append(
            "Password should have at least three of: uppercase letters, lowercase letters, "
            "numbers, symbols"
        )
    return problems
