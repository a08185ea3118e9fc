"""Identifiers and ARNs (AWS "IAM identifiers"; access key ID format)."""

from __future__ import annotations

import base64
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iamcore import ids
from iamcore.ids import IdPrefix
from iamcore.testing import seeded_entropy

BASE32 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
BASE64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

accounts = st.integers(min_value=0, max_value=10**12 - 1).map(lambda n: f"{n:012d}")
seeds = st.integers(min_value=0, max_value=2**32)


@given(seeds, st.sampled_from(list(IdPrefix)))
def test_unique_id_shape(seed: int, prefix: IdPrefix) -> None:
    """Unique IDs are 21 characters: the type prefix plus 17 base32 characters (A–Z, 2–7)."""
    value = ids.unique_id(prefix, seeded_entropy(seed))
    assert len(value) == 21
    assert value.startswith(prefix.value)
    assert set(value[4:]) <= BASE32


def test_documented_prefixes() -> None:
    """AIDA users, AGPA groups, AKIA access keys, ANPA managed policies (IAM identifiers)."""
    assert IdPrefix.USER == "AIDA"
    assert IdPrefix.GROUP == "AGPA"
    assert IdPrefix.ACCESS_KEY == "AKIA"
    assert IdPrefix.MANAGED_POLICY == "ANPA"
    assert IdPrefix.ROLE == "AROA"
    assert IdPrefix.PUBLIC_KEY == "APKA"


def test_unique_ids_use_the_whole_alphabet() -> None:
    """Generated IDs draw on all 32 base32 characters (no bias to a subset)."""
    entropy = seeded_entropy(1)
    seen: set[str] = set()
    for _ in range(200):
        seen |= set(ids.unique_id(IdPrefix.USER, entropy)[4:])
    assert seen == BASE32


def test_seeded_ids_are_reproducible() -> None:
    """The same seed gives the same IDs; a different seed gives different ones."""
    first = [ids.unique_id(IdPrefix.USER, seeded_entropy(3)) for _ in range(2)]
    assert first[0] == first[1]
    assert ids.unique_id(IdPrefix.USER, seeded_entropy(4)) != first[0]


@given(accounts, seeds)
def test_access_key_id_round_trip(account: str, seed: int) -> None:
    """AKIA key IDs are 20 base32 characters and encode the owning account ID."""
    key_id = ids.access_key_id(account, seeded_entropy(seed))
    assert len(key_id) == 20
    assert key_id.startswith("AKIA")
    assert set(key_id[4:]) <= BASE32
    assert key_id[4] in "QRSTUVWXYZ234567"  # new-format flag set
    assert ids.account_id_from_access_key_id(key_id) == account


def test_known_access_key_vector() -> None:
    """ASIAY34FZKBOKMUTVV7A belongs to account 609629065308 (published pair)."""
    assert ids.account_id_from_access_key_id("ASIAY34FZKBOKMUTVV7A") == "609629065308"
    key = ids.access_key_id("609629065308", seeded_entropy(0))
    assert key.startswith("AKIAY34FZKBO")


@pytest.mark.parametrize(
    "key_id",
    [
        "AKIAIOSFODNN7EXAMPLE",  # old format: fifth character in A–P carries no account
        "AKIAJQABLZS4A3QDU576",
        "AKIA",
        "AKIAY34FZKBOKMUTVV7",  # 19 characters
        "AKIAY34FZKBOKMUTVV7A0",  # 21 characters
        "AKIAY34FZKBOKMUTVV71",  # '1' is not base32
        "akiay34fzkbokmutvv7a",
        "",
    ],
)
def test_account_id_from_unrecognised_keys(key_id: str) -> None:
    """Old-format or malformed key IDs carry no account: None, never an exception."""
    assert ids.account_id_from_access_key_id(key_id) is None


@given(seeds, seeds)
def test_access_keys_differ_in_random_bits(a: int, b: int) -> None:
    """Keys for one account share the account bits and differ only in the random tail."""
    first = ids.access_key_id("123456789012", seeded_entropy(a))
    second = ids.access_key_id("123456789012", seeded_entropy(b))
    assert first[:12] == second[:12]  # 4 prefix + 8 characters = flag and account bits
    if a == b:
        assert first == second


@given(seeds)
def test_secret_access_key_shape(seed: int) -> None:
    """Secret access keys are 40 characters of the base64 alphabet (A–Z a–z 0–9 + /)."""
    secret = ids.secret_access_key(seeded_entropy(seed))
    assert len(secret) == 40
    assert set(secret) <= BASE64
    assert len(base64.b64decode(secret)) == 30


@given(seeds)
def test_request_id_shape(seed: int) -> None:
    """Request IDs are lower-case UUIDs, as IAM's x-amzn-requestid."""
    value = ids.request_id(seeded_entropy(seed))
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", value)


@pytest.mark.parametrize(
    ("kind", "path", "name", "expected"),
    [
        ("user", "/", "Bob", "arn:aws:iam::123456789012:user/Bob"),
        (
            "user",
            "/division_abc/subdivision_xyz/",
            "JaneDoe",
            "arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/JaneDoe",
        ),
        ("group", "/", "Developers", "arn:aws:iam::123456789012:group/Developers"),
        ("group", "/eng/", "Admins", "arn:aws:iam::123456789012:group/eng/Admins"),
        ("mfa", "/", "JaneDoeMFA", "arn:aws:iam::123456789012:mfa/JaneDoeMFA"),
        ("policy", "/", "P", "arn:aws:iam::123456789012:policy/P"),
    ],
)
def test_arn_formats(kind: str, path: str, name: str, expected: str) -> None:
    """ARNs are arn:aws:iam::{account}:{type}{path}{name}, the path keeping its slashes."""
    assert ids.arn("123456789012", kind, path, name) == expected


@given(
    accounts,
    st.from_regex(re.compile(r"/([!-~]{1,10}/)?"), fullmatch=True),
    st.from_regex(re.compile(r"[\w+=,.@-]{1,64}", re.ASCII), fullmatch=True),
)
def test_user_arn_property(account: str, path: str, name: str) -> None:
    """A user ARN always parses back into its account, path and name."""
    value = ids.arn(account, "user", path, name)
    match = re.fullmatch(r"arn:aws:iam::(\d{12}):user(/(?:.*/)?)([^/]+)", value)
    assert match is not None
    assert match.groups() == (account, path, name)
