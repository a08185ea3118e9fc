"""Pure password functions: Scrypt hashing and the password-policy checker."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamcore import passwords
from iamcore.entities import PasswordPolicy
from iamcore.passwords import (
    FAST_COST,
    SYMBOLS,
    PasswordHash,
    ScryptCost,
    default_policy_violations,
    hash_password,
    policy_violations,
    verify_password,
)
from iamcore.testing import FAST_SCRYPT

SALT = bytes(range(16))

#: every character the service model allows in a password
password_chars = st.sampled_from(["\t", "\n", "\r", *(chr(code) for code in range(0x20, 0x100))])
any_password = st.text(password_chars, min_size=1, max_size=40)
UPPER = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
LOWER = st.sampled_from("abcdefghijklmnopqrstuvwxyz")
DIGIT = st.sampled_from("0123456789")
SYMBOL = st.sampled_from(sorted(SYMBOLS))
CLASS_OF = {"uppercase": UPPER, "lowercase": LOWER, "number": DIGIT, "symbol": SYMBOL}
#: characters that count toward no class: other printable ASCII and Latin-1
NEUTRAL = st.sampled_from(
    [
        char
        for char in map(chr, range(0x20, 0x100))
        if char not in SYMBOLS
        and not ("A" <= char <= "Z" or "a" <= char <= "z")
        and not "0" <= char <= "9"
    ]
)

policies = st.builds(
    PasswordPolicy,
    minimum_password_length=st.integers(6, 20),
    require_symbols=st.booleans(),
    require_numbers=st.booleans(),
    require_uppercase_characters=st.booleans(),
    require_lowercase_characters=st.booleans(),
)


def _required(policy: PasswordPolicy) -> set[str]:
    flags = {
        "uppercase": policy.require_uppercase_characters,
        "lowercase": policy.require_lowercase_characters,
        "number": policy.require_numbers,
        "symbol": policy.require_symbols,
    }
    return {name for name, on in flags.items() if on}


def test_symbol_set_is_awss_twenty() -> None:
    """RequireSymbols: exactly the 20 symbols ! @ # $ % ^ & * ( ) _ + - = [ ] { } | '."""
    assert frozenset("!@#$%^&*()_+-=[]{}|'") == SYMBOLS
    assert len(SYMBOLS) == 20


def test_hash_verifies_only_its_password() -> None:
    """Passwords are stored as salted Scrypt hashes and verified against them."""
    stored = hash_password("Correct horse 1!", SALT, FAST_COST)
    assert verify_password("Correct horse 1!", stored)
    assert not verify_password("Correct horse 1?", stored)
    assert not verify_password("Correct horse 1!", None)


def test_hash_is_salted() -> None:
    """The same password under two salts gives two different digests."""
    first = hash_password("same password", SALT, FAST_COST)
    second = hash_password("same password", bytes(16), FAST_COST)
    assert first.digest != second.digest
    assert verify_password("same password", second)


def test_hash_records_its_cost() -> None:
    """A hash made under one cost still verifies after the default cost changes."""
    stored = hash_password("pw", SALT, ScryptCost(n=2**5, r=2, p=1))
    previous = passwords.set_default_cost(FAST_COST)
    try:
        assert verify_password("pw", stored)
    finally:
        passwords.set_default_cost(previous)


def test_hash_repr_hides_salt_and_digest() -> None:
    """A password hash's repr never shows the salt or digest."""
    stored = hash_password("hunter2!", SALT, FAST_COST)
    text = repr(stored)
    assert stored.digest.hex() not in text
    assert "digest" not in text
    assert "salt" not in text
    assert text == f"PasswordHash(cost={FAST_COST!r})"


def test_default_cost_is_memory_hard_and_fast_scrypt_is_cheap() -> None:
    """The default Scrypt cost is the interactive-login one; FAST_SCRYPT is for tests."""
    assert ScryptCost(n=2**14, r=8, p=1) == passwords.DEFAULT_COST
    assert FAST_SCRYPT is FAST_COST
    assert FAST_SCRYPT.n * FAST_SCRYPT.r < passwords.DEFAULT_COST.n * passwords.DEFAULT_COST.r


@pytest.mark.parametrize(("n", "r", "p"), [(3, 1, 1), (1, 1, 1), (16, 0, 1), (16, 1, 0)])
def test_scrypt_cost_rejects_bad_parameters(n: int, r: int, p: int) -> None:
    """Scrypt's n must be a power of two above 1; r and p positive."""
    with pytest.raises(ValueError, match="Scrypt"):
        ScryptCost(n=n, r=r, p=p)


def test_set_default_cost_type_checked() -> None:
    """set_default_cost only takes a ScryptCost."""
    with pytest.raises(TypeError):
        passwords.set_default_cost((16, 1, 1))  # type: ignore[arg-type]


@settings(max_examples=25)
@given(any_password)
def test_verify_roundtrip(password: str) -> None:
    """Any password the model allows hashes and verifies (Latin-1 characters included)."""
    assert verify_password(password, hash_password(password, SALT, FAST_COST))


@given(
    policies,
    st.data(),
)
def test_password_satisfying_policy_is_accepted(
    policy: PasswordPolicy, data: st.DataObject
) -> None:
    """A password with every required class and the minimum length passes the policy."""
    parts = [data.draw(CLASS_OF[name]) for name in sorted(_required(policy))]
    filler = data.draw(
        st.text(
            password_chars,
            min_size=max(0, policy.minimum_password_length - len(parts)),
            max_size=30,
        )
    )
    chars = data.draw(st.permutations([*parts, *filler]))
    assert policy_violations("".join(chars), policy) == []


@given(policies, st.data())
def test_each_missing_class_is_reported(policy: PasswordPolicy, data: st.DataObject) -> None:
    """Each required character class missing from a password is reported, and only those."""
    present = data.draw(st.sets(st.sampled_from(sorted(CLASS_OF))))
    chars = [data.draw(CLASS_OF[name]) for name in sorted(present)]
    chars += data.draw(st.lists(NEUTRAL, min_size=policy.minimum_password_length, max_size=20))
    problems = policy_violations("".join(chars), policy)
    missing = _required(policy) - present
    expected_texts = {
        "uppercase": "Password should have at least one uppercase letter",
        "lowercase": "Password should have at least one lowercase letter",
        "number": "Password should have at least one number",
        "symbol": "Password should have at least one symbol",
    }
    assert set(problems) == {expected_texts[name] for name in missing}


@given(policies, st.data())
def test_short_password_reported(policy: PasswordPolicy, data: st.DataObject) -> None:
    """MinimumPasswordLength: a shorter password is reported with the minimum."""
    password = data.draw(
        st.text(password_chars, min_size=1, max_size=policy.minimum_password_length - 1)
    )
    problems = policy_violations(password, policy)
    assert f"Password should have a minimum length of {policy.minimum_password_length}" in problems


@pytest.mark.parametrize("char", ["É", "ß", "٣", "Ⅷ", "é"])
def test_classes_are_ascii_only(char: str) -> None:
    """Uppercase, lowercase and numbers are ASCII A–Z, a–z, 0–9 only."""
    policy = PasswordPolicy(
        minimum_password_length=6,
        require_uppercase_characters=True,
        require_lowercase_characters=True,
        require_numbers=True,
    )
    assert len(policy_violations(char * 8, policy)) == 3


@pytest.mark.parametrize(
    "char", ['"', ".", ",", "/", "\\", "<", ">", "?", "~", "`", ";", ":", " "]
)
def test_other_punctuation_is_not_a_symbol(char: str) -> None:
    """Only the 20 listed characters count as symbols (e.g. not . , / ? ~ or space)."""
    policy = PasswordPolicy(require_symbols=True)
    assert policy_violations("abcdef" + char, policy) == [
        "Password should have at least one symbol"
    ]


@given(any_password)
def test_default_policy(password: str) -> None:
    """AWS's default policy: at least 8 characters and three of the four classes."""
    classes = passwords.character_classes(password)
    accepted = default_policy_violations(password) == []
    assert accepted == (len(password) >= 8 and len(classes) >= 3)


def test_default_policy_examples() -> None:
    """Default policy examples: 'Abcdefg1' passes; 'abcdefg1' (two classes) and 'Ab1!' fail."""
    assert default_policy_violations("Abcdefg1") == []
    assert default_policy_violations("abcdefg1!") == []
    assert default_policy_violations("abcdefg1") != []
    assert default_policy_violations("Ab1!") != []


def test_password_hash_equality_is_by_value() -> None:
    """Equal salt, password and cost give equal hashes (snapshots compare by value)."""
    assert hash_password("x", SALT, FAST_COST) == hash_password("x", SALT, FAST_COST)
    assert isinstance(hash_password("x", SALT, FAST_COST), PasswordHash)
