"""Hypothesis strategies for IAM values: names, paths, tags, passwords, policies,
requests, entities and whole accounts.

Every strategy here returns a :class:`~hypothesis.strategies.SearchStrategy`
and produces values that the real service (and therefore
:class:`iamcore.Account`) accepts, unless its name starts with ``invalid_``,
in which case every value is refused with a ``ValidationError`` (and
:func:`weak_passwords`, whose values the password policy refuses with
``PasswordPolicyViolation``).  Policy documents and authorization requests
(:func:`policy_documents`, :func:`requests`, …) come from
:mod:`iamcore.testing._policy_strategies` and are re-exported here.  Entities
(:class:`~iamcore.User`, :class:`~iamcore.Group`, …) are built through the
public :class:`~iamcore.Account` API, so they are always consistent (the ARN
matches the path and name, the unique ID has the right prefix, …).

Like ``packaging``'s ``VERSION_POOL``, hand-picked edge cases are mixed into
the random values: names of exactly the maximum length, names made of every
allowed punctuation character, the root path ``/`` and deep paths, tag sets
of exactly 50 tags.

The strategies are also registered with Hypothesis (through the
``hypothesis`` entry point, see :mod:`iamcore.testing._hypothesis_hook`), so
``st.from_type(iamcore.User)`` works without importing this module.

Importing this module imports Hypothesis (the ``testing`` extra:
``pip install iamcore[testing]``); importing :mod:`iamcore` or
:mod:`iamcore.testing` never does.
"""

from __future__ import annotations

import functools
import string
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from iamcore import passwords as _passwords
from iamcore import requests as rq
from iamcore.account import Account
from iamcore.entities import (
    AccessKey,
    Group,
    LoginProfile,
    PasswordPolicy,
    Policy,
    Tag,
    User,
    VirtualMFADevice,
)
from iamcore.rules.tags import MAX_TAGS
from iamcore.testing import FixedClock, seeded_entropy, totp_code
from iamcore.testing._policy_strategies import (
    CONTEXT_KEYS,
    DEFAULT_ACCOUNT_ID,
    DEFAULT_SERVICES,
    ContextKey,
    action_patterns,
    actions,
    known_actions,
    parsed_policy_documents,
    policy_documents,
    policy_statements,
    requests,
    resource_arns,
    resource_patterns,
)

__all__ = [
    "CONTEXT_KEYS",
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_SERVICES",
    "MAX_GROUP_NAME",
    "MAX_PASSWORD",
    "MAX_PATH",
    "MAX_POLICY_NAME",
    "MAX_TAGS",
    "MAX_TAG_KEY",
    "MAX_TAG_VALUE",
    "MAX_USER_NAME",
    "NAME_ALPHABET",
    "NAME_PUNCTUATION",
    "TAG_PUNCTUATION",
    "ContextKey",
    "access_keys",
    "account_ids",
    "accounts",
    "action_patterns",
    "actions",
    "clocks",
    "group_names",
    "groups",
    "invalid_group_names",
    "invalid_path_prefixes",
    "invalid_paths",
    "invalid_policy_names",
    "invalid_policy_paths",
    "invalid_tag_keys",
    "invalid_user_names",
    "known_actions",
    "login_profiles",
    "managed_policies",
    "parsed_policy_documents",
    "password_policies",
    "password_policy_arguments",
    "passwords",
    "path_prefixes",
    "paths",
    "policy_documents",
    "policy_names",
    "policy_paths",
    "policy_statements",
    "register_type_strategies",
    "requests",
    "resource_arns",
    "resource_patterns",
    "tag_keys",
    "tag_sets",
    "tag_values",
    "tags",
    "timestamps",
    "user_names",
    "users",
    "virtual_mfa_devices",
    "weak_passwords",
]

# -- limits and alphabets (botocore's IAM service model) ----------------------

#: ``userNameType``: 1–64 characters.
MAX_USER_NAME = 64
#: ``groupNameType``: 1–128 characters.
MAX_GROUP_NAME = 128
#: ``policyNameType``: 1–128 characters.
MAX_POLICY_NAME = 128
#: ``pathType``, ``policyPathType`` and ``pathPrefixType``: 1–512 characters.
MAX_PATH = 512
#: ``tagKeyType``: 1–128 characters.
MAX_TAG_KEY = 128
#: ``tagValueType``: 0–256 characters.
MAX_TAG_VALUE = 256

#: The punctuation ``[\\w+=,.@-]`` allows in user, group and policy names.
NAME_PUNCTUATION = "_+=,.@-"
#: Every character allowed in a user, group or policy name (ASCII ``\\w`` plus punctuation).
NAME_ALPHABET = string.ascii_letters + string.digits + NAME_PUNCTUATION
#: The punctuation ``[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]`` allows in tag keys and values.
TAG_PUNCTUATION = "_.:/=+-@"

_POLICY_PATH_ALPHABET = string.ascii_letters + string.digits + ".,+@=_-"
_PATH_ALPHABET = "".join(chr(c) for c in range(0x21, 0x7F))  # \u0021-\u007E
_PATH_PREFIX_ALPHABET = "".join(chr(c) for c in range(0x21, 0x80))  # \u0021-\u007F
#: ASCII characters a name may not contain (everything printable or control but NAME_ALPHABET).
_FORBIDDEN_NAME_ASCII = "".join(chr(c) for c in range(0x80) if chr(c) not in NAME_ALPHABET)
#: Letters and digits that Unicode ``\\w`` accepts but IAM's ASCII ``\\w`` refuses.
_NON_ASCII_WORD = "éÉßøñçüÅæœ名字ключЖΩλ٣७\u017f\u212a\u0131\u00b2\u00aa"


def _bmp_chars(keep: Callable[[str], bool]) -> SearchStrategy[str]:
    """Non-ASCII characters of the Basic Multilingual Plane that ``keep`` accepts.

    Drawn from code points rather than with ``st.characters(categories=…)``,
    which builds Hypothesis's Unicode table on first use (seconds, in a fresh
    checkout) and trips the ``too_slow`` health check.
    """
    return st.integers(0x80, 0xFFFF).map(chr).filter(keep)


def _pool(generated: SearchStrategy[str], edge_cases: list[str]) -> SearchStrategy[str]:
    """Random values first (they shrink best), then the hand-picked edge cases."""
    return st.one_of(generated, st.sampled_from(edge_cases))


# -- names ---------------------------------------------------------------------


@functools.cache
def _names(max_size: int) -> SearchStrategy[str]:
    edge_cases = [
        "a",
        "_",
        "0",
        "@",
        NAME_PUNCTUATION,
        "first.last@example.com",
        "a+b=c,d.e@f-g_h",
        "x" * max_size,
        ("Az9" + NAME_PUNCTUATION) * (max_size // 10) + "Z" * (max_size % 10),
    ]
    generated = st.text(alphabet=NAME_ALPHABET, min_size=1, max_size=max_size)
    return _pool(generated, edge_cases)


def user_names() -> SearchStrategy[str]:
    """Valid IAM user names (``userNameType``): 1–64 of ``[A-Za-z0-9_+=,.@-]``.

    Several names drawn from it may differ only by case, which IAM treats as
    the same name; use ``st.lists(user_names(), unique_by=str.lower)``.
    """
    return _names(MAX_USER_NAME)


def group_names() -> SearchStrategy[str]:
    """Valid IAM group names (``groupNameType``): 1–128 of ``[A-Za-z0-9_+=,.@-]``."""
    return _names(MAX_GROUP_NAME)


def policy_names() -> SearchStrategy[str]:
    """Valid managed or inline policy names (``policyNameType``): 1–128 characters."""
    return _names(MAX_POLICY_NAME)


@st.composite
def _with_inserted(draw: st.DrawFn, base: SearchStrategy[str], bad: SearchStrategy[str]) -> str:
    """A valid value with one bad character put somewhere in it."""
    value = draw(base)
    position = draw(st.integers(0, len(value)))
    return value[:position] + draw(bad) + value[position:]


@functools.cache
def _invalid_names(max_size: int) -> SearchStrategy[str]:
    short = st.text(alphabet=NAME_ALPHABET, min_size=1, max_size=min(max_size - 1, 20))
    forbidden_ascii = st.sampled_from(_FORBIDDEN_NAME_ASCII)
    non_ascii = st.one_of(
        st.sampled_from(_NON_ASCII_WORD),
        _bmp_chars(lambda char: not 0xD800 <= ord(char) <= 0xDFFF),
    )
    too_long = st.text(alphabet=NAME_ALPHABET, min_size=max_size + 1, max_size=max_size + 64)
    return st.one_of(
        st.just(""),
        too_long,
        st.just("a" * (max_size + 1)),
        _with_inserted(short, forbidden_ascii),
        _with_inserted(short, non_ascii),
        short.map(lambda name: name + "\n"),
        st.sampled_from(
            [" ", "a b", "a/b", "a*", "a:b", "user!", "tab\tname", "名前", "café", "\na", "a\x00"]
        ),
    )


def invalid_user_names() -> SearchStrategy[str]:
    """Strings CreateUser refuses with ``ValidationError``.

    Empty, 65 or more characters, a forbidden ASCII character (space, ``/``,
    ``:``, ``*``, control characters, …), a non-ASCII letter or digit
    (``é``, ``名``, ``٣``; IAM's ``\\w`` is ASCII), or a trailing newline.
    """
    return _invalid_names(MAX_USER_NAME)


def invalid_group_names() -> SearchStrategy[str]:
    """Strings CreateGroup refuses with ``ValidationError`` (too long: 129 or more)."""
    return _invalid_names(MAX_GROUP_NAME)


def invalid_policy_names() -> SearchStrategy[str]:
    """Strings CreatePolicy/PutUserPolicy refuse with ``ValidationError`` (129+ too long)."""
    return _invalid_names(MAX_POLICY_NAME)


# -- paths ---------------------------------------------------------------------


def _segmented(alphabet: str) -> SearchStrategy[str]:
    """``/`` or ``/seg/…/seg/`` (at most 8 segments of at most 24 characters)."""
    segments = st.lists(st.text(alphabet=alphabet, min_size=1, max_size=24), max_size=8)
    return segments.map(lambda parts: "/" + "".join(part + "/" for part in parts))


@functools.cache
def paths() -> SearchStrategy[str]:
    """Valid user/group paths (``pathType``): ``/`` or ``/`` + printable ASCII + ``/``.

    Up to 512 characters.  Any of ``!``–``~`` may appear between the slashes,
    including ``*`` and ``//``; edge cases include ``/``, deep paths and a
    path of exactly 512 characters.
    """
    printable = st.text(alphabet=_PATH_ALPHABET, min_size=1, max_size=40).map(
        lambda middle: "/" + middle + "/"
    )
    edge_cases = [
        "/",
        "/a/",
        "/a/b/",
        "///",
        "/a//b/",
        "/division_abc/subdivision_xyz/",
        "/" + _PATH_ALPHABET + "/",
        "/" + "/".join("abcdefghijklmnopqrstuvwxyz") + "/",
        "/" + "p/" * ((MAX_PATH - 1) // 2),
        "/" + "x" * (MAX_PATH - 2) + "/",
    ]
    return st.one_of(_segmented(NAME_ALPHABET), printable, st.sampled_from(edge_cases))


@functools.cache
def policy_paths() -> SearchStrategy[str]:
    """Valid managed policy paths (``policyPathType``): segments of ``[A-Za-z0-9.,+@=_-]``."""
    edge_cases = [
        "/",
        "/a/",
        "/service-role/",
        "/" + _POLICY_PATH_ALPHABET + "/",
        "/" + "q/" * ((MAX_PATH - 1) // 2),
        "/" + "y" * (MAX_PATH - 2) + "/",
    ]
    return st.one_of(_segmented(_POLICY_PATH_ALPHABET), st.sampled_from(edge_cases))


@st.composite
def _prefixes_of(draw: st.DrawFn, path: str) -> str:
    return path[: draw(st.integers(1, len(path)))]


def path_prefixes(of: str | None = None) -> SearchStrategy[str]:
    """Valid ``PathPrefix`` filters (``pathPrefixType``): ``/`` then ``!``–DEL, ≤ 512.

    A prefix need not end with ``/``.  With ``of=path`` (a valid path), only
    prefixes of that path (from ``/`` to the whole path) are drawn, which
    makes "ListUsers(PathPrefix=…) returns exactly the users under it" easy
    to state.
    """
    if of is not None:
        return _prefixes_of(of)
    generated = st.text(alphabet=_PATH_PREFIX_ALPHABET, max_size=40).map(lambda rest: "/" + rest)
    edge_cases = ["/", "/a", "/a/", "/a/b", "/\x7f", "/" + "z" * (MAX_PATH - 1)]
    return st.one_of(generated, _segmented(NAME_ALPHABET), st.sampled_from(edge_cases))


def invalid_paths() -> SearchStrategy[str]:
    """Strings CreateUser/CreateGroup refuse as ``Path`` with ``ValidationError``.

    Empty, missing the leading or trailing ``/``, longer than 512, or with a
    space, DEL, a control or a non-ASCII character between the slashes.
    """
    middle = st.text(alphabet=NAME_ALPHABET, min_size=1, max_size=20)
    bad_char = st.one_of(st.sampled_from(" \x7f\t\n\x00"), st.sampled_from(_NON_ASCII_WORD))
    return st.one_of(
        st.just(""),
        middle,
        middle.map(lambda m: "/" + m),
        middle.map(lambda m: m + "/"),
        _with_inserted(middle, bad_char).map(lambda m: "/" + m + "/"),
        st.just("/" + "x" * (MAX_PATH - 1) + "/"),
        st.just("/\n"),
        st.just("/a/\n"),
    )


def invalid_policy_paths() -> SearchStrategy[str]:
    """Strings CreatePolicy refuses as ``Path``: as :func:`invalid_paths`, plus ``*`` etc."""
    middle = st.text(alphabet=_POLICY_PATH_ALPHABET, min_size=1, max_size=20)
    return st.one_of(
        invalid_paths(),
        _with_inserted(middle, st.sampled_from("*!#$%&'():;<>?[\\]^`{|}~")).map(
            lambda m: "/" + m + "/"
        ),
        st.sampled_from(["//", "/a//b/", "/*/", "/a b/"]),
    )


def invalid_path_prefixes() -> SearchStrategy[str]:
    """Strings ListUsers/ListGroups refuse as ``PathPrefix`` with ``ValidationError``."""
    rest = st.text(alphabet=NAME_ALPHABET, min_size=1, max_size=20)
    return st.one_of(
        st.just(""),
        rest,
        rest.map(lambda r: "/" + r + " "),
        rest.map(lambda r: "/" + r + "\n"),
        st.just("/" + "a" * MAX_PATH),
        st.sampled_from(["/é", "/a b", "/\t"]),
    )


# -- tags ----------------------------------------------------------------------


@functools.cache
def _tag_text(min_size: int, max_size: int) -> SearchStrategy[str]:
    # BMP only: AWS (Java) counts UTF-16 code units towards the length limits,
    # Python counts code points; outside the BMP the two disagree.
    chars = st.one_of(
        _bmp_chars(lambda char: unicodedata.category(char)[0] in "LNZ"),
        st.sampled_from(TAG_PUNCTUATION),
    )
    ascii_chars = st.sampled_from(string.ascii_letters + string.digits + TAG_PUNCTUATION + " ")
    return st.one_of(
        st.text(ascii_chars, min_size=min_size, max_size=min(max_size, 30)),
        st.text(chars, min_size=min_size, max_size=min(max_size, 30)),
    ).filter(lambda text: not text.lower().startswith("aws:"))


@functools.cache
def tag_keys() -> SearchStrategy[str]:
    """Valid tag keys: 1–128 Unicode letters, numbers, separators or ``_.:/=+-@``.

    Never starting with ``aws:`` (in any case), which AWS reserves.
    """
    edge_cases = [
        "a",
        "Department",
        "cost-center",
        TAG_PUNCTUATION,
        "aws",
        "awsx:a",
        "x:aws:y",
        "with space",
        "\u00a0\u2003",
        "Größe",
        "部署",
        "0",
        "k" * MAX_TAG_KEY,
        ("é" + TAG_PUNCTUATION) * (MAX_TAG_KEY // 9) + "Z" * (MAX_TAG_KEY % 9),
    ]
    return _pool(_tag_text(1, MAX_TAG_KEY), edge_cases)


@functools.cache
def tag_values() -> SearchStrategy[str]:
    """Valid tag values: 0–256 of the tag key characters (empty allowed).  A value may
    begin with ``aws:`` (AWS accepted ``aws:reserved`` in 2026 recordings)."""
    edge_cases = [
        "",
        "finance",
        "Engineering:QA",
        TAG_PUNCTUATION,
        "値",
        "v" * MAX_TAG_VALUE,
        "aws:reserved",
    ]
    return _pool(_tag_text(0, MAX_TAG_VALUE), edge_cases)


def invalid_tag_keys() -> SearchStrategy[str]:
    """Tag keys TagUser refuses: empty, too long, bad characters (``ValidationError``).

    Keys starting with ``aws:`` are refused too, with ``InvalidInput``; they
    are not drawn here (see :func:`reserved_tag_keys`).
    """
    key = st.text(string.ascii_letters, min_size=1, max_size=10)
    return st.one_of(
        st.just(""),
        st.just("k" * (MAX_TAG_KEY + 1)),
        _with_inserted(key, st.sampled_from("!#$%&*(),;<>?[]\\^`{|}~'\"\t\n\x00")),
    )


@functools.cache
def tags() -> SearchStrategy[Tag]:
    """Valid :class:`~iamcore.Tag` values (:func:`tag_keys` and :func:`tag_values`)."""
    return st.builds(Tag, key=tag_keys(), value=tag_values())


@st.composite
def _tag_sets(draw: st.DrawFn, min_size: int, max_size: int) -> tuple[Tag, ...]:
    if max_size == MAX_TAGS and min_size < MAX_TAGS and draw(st.integers(0, 9)) == 0:
        size = MAX_TAGS  # exactly at the limit, one time in ten
        keys = [f"key-{index:02d}" for index in range(size)]
        values = draw(st.lists(tag_values(), min_size=size, max_size=size))
        return tuple(Tag(key, value) for key, value in zip(keys, values, strict=True))
    drawn = draw(
        st.lists(tags(), min_size=min_size, max_size=max_size, unique_by=lambda t: t.key.lower())
    )
    return tuple(drawn)


def tag_sets(min_size: int = 0, max_size: int = MAX_TAGS) -> SearchStrategy[tuple[Tag, ...]]:
    """Tag lists a user may carry: keys unique ignoring case, at most 50.

    With the default ``max_size`` about one draw in ten is exactly 50 tags.
    The tags can be passed straight to ``create_user(tags=...)`` and
    ``tag_user(tags=...)``.
    """
    if not 0 <= min_size <= max_size <= MAX_TAGS:
        raise ValueError(f"need 0 <= min_size <= max_size <= {MAX_TAGS}")
    return _tag_sets(min_size, max_size)


# -- time, accounts' identity --------------------------------------------------


@functools.cache
def timestamps() -> SearchStrategy[datetime]:
    """Whole-second aware UTC datetimes between 2010 and 2099 (IAM reports whole seconds)."""
    return st.datetimes(
        min_value=datetime(2010, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
    ).map(lambda moment: moment.replace(microsecond=0, fold=0))


@functools.cache
def clocks() -> SearchStrategy[FixedClock]:
    """:class:`~iamcore.testing.FixedClock` instances standing at a drawn :func:`timestamps`."""
    return timestamps().map(FixedClock)


@functools.cache
def account_ids() -> SearchStrategy[str]:
    """12-digit AWS account IDs (leading zeros included)."""
    return st.one_of(
        st.from_regex(r"\A[0-9]{12}\Z"), st.sampled_from(["123456789012", "000000000000"])
    )


def _fresh_account(draw: st.DrawFn, account_id: str | None = None) -> Account:
    return Account(
        account_id if account_id is not None else draw(account_ids()),
        clock=draw(clocks()),
        entropy=seeded_entropy(draw(st.integers(0, 2**32 - 1))),
    )


# -- entities ------------------------------------------------------------------


@st.composite
def users(draw: st.DrawFn, *, with_tags: bool = True) -> User:
    """:class:`~iamcore.User` entities as CreateUser returns them (tags included).

    Each is created in a fresh account with a drawn account ID, time and
    entropy, so its ARN, unique ID and create date are consistent.
    """
    account = _fresh_account(draw)
    user_tags = draw(tag_sets(max_size=5)) if with_tags else ()
    return account.create_user(
        user_name=draw(user_names()), path=draw(paths()), tags=user_tags
    ).user


@st.composite
def groups(draw: st.DrawFn) -> Group:
    """:class:`~iamcore.Group` entities as CreateGroup returns them."""
    account = _fresh_account(draw)
    return account.create_group(group_name=draw(group_names()), path=draw(paths())).group


# -- passwords -------------------------------------------------------------------

#: ``passwordType``: 1–128 of tab, LF, CR and U+0020–U+00FF.
MAX_PASSWORD = 128
_UPPER = string.ascii_uppercase
_LOWER = string.ascii_lowercase
_DIGITS = string.digits
_SYMBOLS = "".join(sorted(_passwords.SYMBOLS))
#: Characters a password may hold that count toward no class (space, ``.``, ``é``, DEL, …).
_OTHER = "".join(
    chr(c)
    for c in (0x09, 0x0A, 0x0D, *range(0x20, 0x100))
    if chr(c) not in _UPPER + _LOWER + _DIGITS + _SYMBOLS
)
_CLASS_ALPHABETS = {
    "uppercase": _UPPER,
    "lowercase": _LOWER,
    "number": _DIGITS,
    "symbol": _SYMBOLS,
}


@functools.cache
def password_policies() -> SearchStrategy[PasswordPolicy]:
    """Account password policies UpdateAccountPasswordPolicy accepts.

    Minimum length 6–128, any combination of required classes, MaxPasswordAge
    off or 1–1095 days, PasswordReusePrevention off or 1–24, HardExpiry unset
    or set.  Pass one to the account with :func:`password_policy_arguments`.
    """
    generated = st.builds(
        PasswordPolicy,
        minimum_password_length=st.one_of(st.integers(6, 20), st.integers(6, MAX_PASSWORD)),
        require_symbols=st.booleans(),
        require_numbers=st.booleans(),
        require_uppercase_characters=st.booleans(),
        require_lowercase_characters=st.booleans(),
        allow_users_to_change_password=st.booleans(),
        max_password_age=st.none() | st.integers(1, 1095),
        password_reuse_prevention=st.none() | st.integers(1, 24),
        hard_expiry=st.none() | st.booleans(),
    )
    strictest = PasswordPolicy(
        minimum_password_length=MAX_PASSWORD,
        require_symbols=True,
        require_numbers=True,
        require_uppercase_characters=True,
        require_lowercase_characters=True,
        allow_users_to_change_password=True,
        max_password_age=1095,
        password_reuse_prevention=24,
        hard_expiry=True,
    )
    return st.one_of(generated, st.sampled_from([PasswordPolicy(), strictest]))


def password_policy_arguments(policy: PasswordPolicy) -> rq.UpdateAccountPasswordPolicyRequest:
    """The ``update_account_password_policy(**kwargs)`` arguments that set ``policy``."""
    arguments = rq.UpdateAccountPasswordPolicyRequest(
        minimum_password_length=policy.minimum_password_length,
        require_symbols=policy.require_symbols,
        require_numbers=policy.require_numbers,
        require_uppercase_characters=policy.require_uppercase_characters,
        require_lowercase_characters=policy.require_lowercase_characters,
        allow_users_to_change_password=policy.allow_users_to_change_password,
    )
    if policy.max_password_age is not None:
        arguments["max_password_age"] = policy.max_password_age
    if policy.password_reuse_prevention is not None:
        arguments["password_reuse_prevention"] = policy.password_reuse_prevention
    if policy.hard_expiry is not None:
        arguments["hard_expiry"] = policy.hard_expiry
    return arguments


def _violations(password: str, policy: PasswordPolicy | None) -> list[str]:
    if policy is None:
        return _passwords.default_policy_violations(password)
    return _passwords.policy_violations(password, policy)


def _required_classes(draw: st.DrawFn, policy: PasswordPolicy | None) -> list[str]:
    if policy is None:  # AWS's default policy: three of the four classes
        return draw(st.permutations(sorted(_CLASS_ALPHABETS)))[:3]
    return [
        name
        for name, required in (
            ("uppercase", policy.require_uppercase_characters),
            ("lowercase", policy.require_lowercase_characters),
            ("number", policy.require_numbers),
            ("symbol", policy.require_symbols),
        )
        if required
    ]


def _password_chars(allowed: str) -> SearchStrategy[str]:
    mostly_printable = "".join(c for c in allowed if " " <= c <= "~")
    return st.one_of(st.sampled_from(mostly_printable or allowed), st.sampled_from(allowed))


@st.composite
def _valid_passwords(draw: st.DrawFn, policy: PasswordPolicy | None) -> str:
    minimum = (
        _passwords.DEFAULT_POLICY_MIN_LENGTH if policy is None else policy.minimum_password_length
    )
    chars = [
        draw(st.sampled_from(_CLASS_ALPHABETS[name])) for name in _required_classes(draw, policy)
    ]
    length = draw(
        st.one_of(
            st.integers(minimum, min(minimum + 16, MAX_PASSWORD)),
            st.integers(minimum, MAX_PASSWORD),
        )
    )
    everything = _UPPER + _LOWER + _DIGITS + _SYMBOLS + _OTHER
    chars += draw(
        st.lists(
            _password_chars(everything), min_size=length - len(chars), max_size=length - len(chars)
        )
    )
    return "".join(draw(st.permutations(chars)))


def passwords(policy: PasswordPolicy | None = None) -> SearchStrategy[str]:
    """Console passwords that ``policy`` accepts (``None``: AWS's default policy).

    Every value is a valid ``passwordType`` (1–128 of tab, LF, CR, U+0020–U+00FF)
    and :func:`iamcore.passwords.policy_violations` finds nothing wrong with it
    (:func:`~iamcore.passwords.default_policy_violations` for the default policy:
    8 or more characters, three of the four classes).  Reuse prevention is a
    property of a user's history, not of a password, and is not considered.
    """
    return _valid_passwords(policy).filter(lambda password: not _violations(password, policy))


@st.composite
def _weak_passwords(draw: st.DrawFn, policy: PasswordPolicy | None) -> str:
    minimum = (
        _passwords.DEFAULT_POLICY_MIN_LENGTH if policy is None else policy.minimum_password_length
    )
    required = _required_classes(draw, policy)
    kinds = ["too short"] + (["missing class"] if required else [])
    kind = draw(st.sampled_from(kinds))
    everything = _UPPER + _LOWER + _DIGITS + _SYMBOLS + _OTHER
    if kind == "too short":
        return draw(st.text(_password_chars(everything), min_size=1, max_size=minimum - 1))
    # leave out one required class (for the default policy: use at most two classes)
    if policy is None:
        kept = required[:2]
    else:
        missing = draw(st.sampled_from(required))
        kept = [name for name in _CLASS_ALPHABETS if name != missing]
    allowed = "".join(_CLASS_ALPHABETS[name] for name in kept) + _OTHER
    return draw(
        st.text(
            _password_chars(allowed),
            min_size=max(minimum, 1),
            max_size=min(minimum + 16, MAX_PASSWORD),
        )
    )


def weak_passwords(policy: PasswordPolicy | None = None) -> SearchStrategy[str]:
    """Console passwords that ``policy`` refuses (``None``: AWS's default policy).

    Each is a valid ``passwordType`` (so the service answers
    ``PasswordPolicyViolation``, not ``ValidationError``) that is too short or
    lacks a required character class, as :mod:`iamcore.passwords` judges it.
    """
    return _weak_passwords(policy).filter(lambda password: bool(_violations(password, policy)))


# -- credentials -------------------------------------------------------------------


@st.composite
def access_keys(draw: st.DrawFn) -> AccessKey:
    """:class:`~iamcore.entities.AccessKey` values (with their secret) as CreateAccessKey
    returns them, for a user drawn from :func:`users`."""
    account = _fresh_account(draw)
    user = account.create_user(user_name=draw(user_names()), path=draw(paths())).user
    return account.create_access_key(user_name=user.user_name).access_key


@st.composite
def login_profiles(draw: st.DrawFn) -> LoginProfile:
    """:class:`~iamcore.entities.LoginProfile` values as CreateLoginProfile returns them."""
    account = _fresh_account(draw)
    account.password_hash_cost = _passwords.FAST_COST
    name = draw(user_names())
    account.create_user(user_name=name)
    return account.create_login_profile(
        user_name=name,
        password=draw(passwords()),
        password_reset_required=draw(st.booleans()),
    ).login_profile


@st.composite
def virtual_mfa_devices(draw: st.DrawFn) -> VirtualMFADevice:
    """:class:`~iamcore.entities.VirtualMFADevice` values as CreateVirtualMFADevice returns
    them: serial number, Base32 seed and QR code PNG (not yet assigned to a user)."""
    account = _fresh_account(draw)
    return account.create_virtual_mfa_device(
        virtual_mfa_device_name=draw(user_names()), path=draw(st.sampled_from(["/", "/mfa/"]))
    ).virtual_mfa_device


def _enable_mfa(account: Account, user_name: str) -> None:
    """Give ``user_name`` a virtual MFA device, enabled with two consecutive codes."""
    device = account.create_virtual_mfa_device(virtual_mfa_device_name=user_name)
    seed = device.virtual_mfa_device.base32_string_seed
    assert seed is not None
    account.enable_mfa_device(
        user_name=user_name,
        serial_number=device.virtual_mfa_device.serial_number,
        authentication_code1=totp_code(seed, account.clock, -1),
        authentication_code2=totp_code(seed, account.clock),
    )


@st.composite
def managed_policies(draw: st.DrawFn) -> Policy:
    """Customer managed :class:`~iamcore.entities.Policy` values as CreatePolicy returns
    them (name, path, document from :func:`policy_documents`, optional description)."""
    account = _fresh_account(draw)
    description = draw(st.none() | st.text(string.ascii_letters + " .,", max_size=40))
    extra = {} if description is None else {"description": description}
    return account.create_policy(
        policy_name=draw(policy_names()),
        path=draw(policy_paths()),
        policy_document=draw(_account_documents(account.account_id)),
        **extra,
    ).policy


# -- whole accounts ----------------------------------------------------------------


#: AWS managed policies drawn by :func:`accounts` for attachments and boundaries.
_AWS_MANAGED = (
    "arn:aws:iam::aws:policy/IAMReadOnlyAccess",
    "arn:aws:iam::aws:policy/PowerUserAccess",
    "arn:aws:iam::aws:policy/AdministratorAccess",
)


@functools.lru_cache(maxsize=64)
def _account_documents(account_id: str, max_length: int = 2048) -> SearchStrategy[str]:
    return policy_documents(account_id=account_id, max_statements=2, max_length=max_length)


def _managed_policies(draw: st.DrawFn, account: Account, max_policies: int) -> list[str]:
    """Create customer managed policies (some with a second version); return every
    attachable ARN (theirs and a few AWS managed ones)."""
    arns: list[str] = []
    names = draw(st.lists(policy_names(), max_size=max_policies, unique_by=str.lower))
    for name in names:
        policy = account.create_policy(
            policy_name=name,
            path=draw(policy_paths()),
            policy_document=draw(_account_documents(account.account_id)),
        ).policy
        if draw(st.booleans()):
            account.create_policy_version(
                policy_arn=policy.arn,
                policy_document=draw(_account_documents(account.account_id)),
                set_as_default=draw(st.booleans()),
            )
        arns.append(policy.arn)
    return arns + list(_AWS_MANAGED)


def _attach(
    draw: st.DrawFn, attachable: list[str], attach: Any, put_inline: Any, account_id: str
) -> None:
    for arn in draw(st.lists(st.sampled_from(attachable), unique=True, max_size=3)):
        attach(policy_arn=arn)
    # a user's inline policies share one 2,048-character quota: two of at most 1,000 fit
    inline_names = draw(st.lists(policy_names(), max_size=2, unique_by=str.lower))
    for name in inline_names:
        document = draw(_account_documents(account_id, max_length=1000))
        put_inline(policy_name=name, policy_document=document)


@st.composite
def accounts(
    draw: st.DrawFn,
    *,
    max_users: int = 4,
    max_groups: int = 3,
    max_policies: int = 3,
    account_id: str | None = None,
) -> Account:
    """Whole :class:`~iamcore.Account` values, built through the public API only.

    A drawn password policy (or none: AWS's default policy applies), up to
    ``max_policies`` customer managed policies (documents from
    :func:`policy_documents`, some with a second version), up to
    ``max_groups`` groups with attached and inline policies, and up to
    ``max_users`` users with paths, tags, group memberships, attached (also
    AWS managed) and inline policies, permissions boundaries, access keys
    (some Inactive), console passwords (from :func:`passwords`, some needing
    a reset) and enabled virtual MFA devices.  Every step is a call that
    succeeds, so the account is always valid; the clock moves between steps.
    Password hashing uses :data:`iamcore.passwords.FAST_COST`.

    ``account_id`` fixes the account ID (default: drawn).
    """
    account = _fresh_account(draw, account_id)
    account.password_hash_cost = _passwords.FAST_COST
    clock = account.clock
    assert isinstance(clock, FixedClock)

    def tick() -> None:
        clock.advance(timedelta(seconds=draw(st.integers(0, 86_400 * 30))))

    policy = draw(st.none() | password_policies())
    if policy is not None:
        account.update_account_password_policy(**password_policy_arguments(policy))

    attachable = _managed_policies(draw, account, max_policies)

    group_list = draw(st.lists(group_names(), max_size=max_groups, unique_by=str.lower))
    for group_name in group_list:
        tick()
        account.create_group(group_name=group_name, path=draw(paths()))
        _attach(
            draw,
            attachable,
            functools.partial(account.attach_group_policy, group_name=group_name),
            functools.partial(account.put_group_policy, group_name=group_name),
            account.account_id,
        )

    user_list = draw(st.lists(user_names(), max_size=max_users, unique_by=str.lower))
    for user_name in user_list:
        tick()
        boundary = draw(st.none() | st.sampled_from(attachable))
        extra = {} if boundary is None else {"permissions_boundary": boundary}
        account.create_user(
            user_name=user_name, path=draw(paths()), tags=draw(tag_sets(max_size=4)), **extra
        )
        if group_list:
            for group_name in draw(st.lists(st.sampled_from(group_list), unique=True)):
                account.add_user_to_group(group_name=group_name, user_name=user_name)
        _attach(
            draw,
            attachable,
            functools.partial(account.attach_user_policy, user_name=user_name),
            functools.partial(account.put_user_policy, user_name=user_name),
            account.account_id,
        )
        for _ in range(draw(st.integers(0, 2))):
            tick()
            key = account.create_access_key(user_name=user_name).access_key
            if draw(st.booleans()):
                account.update_access_key(
                    user_name=user_name, access_key_id=key.access_key_id, status="Inactive"
                )
        if draw(st.booleans()):
            account.create_login_profile(
                user_name=user_name,
                password=draw(passwords(policy)),
                password_reset_required=draw(st.booleans()),
            )
        if draw(st.integers(0, 2)) == 0:  # a QR code costs ~15 ms: one user in three
            _enable_mfa(account, user_name)
    return account


def register_type_strategies() -> None:
    """Register these strategies for ``st.from_type`` by hand.

    Hypothesis does it by itself through iamcore's ``hypothesis`` entry point;
    call this only where plugins are off (``HYPOTHESIS_NO_PLUGINS``).
    """
    from iamcore.testing._hypothesis_hook import _hypothesis_setup_hook

    _hypothesis_setup_hook()
