"""User tags: TagUser, UntagUser, ListUserTags (UG "Tagging IAM resources"; rules §2.8)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamcore import Account
from iamcore.errors import IamError, InvalidInput, LimitExceeded, NoSuchEntity, ValidationError
from iamcore.testing import FixedClock, seeded_entropy
from tests.helpers import fresh_snapshot


def _tags(account: Account, user: str = "u") -> list[tuple[str, str]]:
    return [(t.key, t.value) for t in account.list_user_tags(user_name=user).tags]


def _tag_list(pairs: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in pairs.items()]


@pytest.fixture
def user(account: Account) -> str:
    """A user called ``u`` in the account."""
    account.create_user(user_name="u")
    return "u"


def test_tag_and_list(account: Account, user: str) -> None:
    """TagUser adds tags; ListUserTags returns them sorted by key."""
    account.tag_user(
        user_name=user,
        tags=[{"Key": "Department", "Value": "Engineering"}, {"Key": "CostCenter", "Value": "1"}],
    )
    assert _tags(account) == [("CostCenter", "1"), ("Department", "Engineering")]
    result = account.list_user_tags(user_name="U")
    assert result.is_truncated is False
    assert result.marker is None


def test_tag_overwrites_value(account: Account, user: str) -> None:
    """Tagging an existing key replaces its value; a user has one value per key."""
    account.tag_user(user_name=user, tags=[{"Key": "team", "Value": "Engineering"}])
    account.tag_user(user_name=user, tags=[{"Key": "team", "Value": "QA"}])
    assert _tags(account) == [("team", "QA")]


def test_keys_are_case_insensitive_new_spelling_kept(account: Account, user: str) -> None:
    """On users, `Test` then `test` leaves one tag, spelled `test` (the newer spelling)."""
    account.tag_user(user_name=user, tags=[{"Key": "Test", "Value": "1"}])
    account.tag_user(user_name=user, tags=[{"Key": "test", "Value": "2"}])
    assert _tags(account) == [("test", "2")]
    account.tag_user(user_name=user, tags=[{"Key": "Department", "Value": "finance"}])
    account.tag_user(user_name=user, tags=[{"Key": "department", "Value": "hr"}])
    assert _tags(account) == [("department", "hr"), ("test", "2")]


def test_values_are_case_sensitive(account: Account, user: str) -> None:
    """Tag values keep their case."""
    account.tag_user(user_name=user, tags=[{"Key": "k", "Value": "MiXeD"}])
    assert _tags(account) == [("k", "MiXeD")]


def test_empty_value_allowed(account: Account, user: str) -> None:
    """A tag value may be empty (phoneNumber = )."""
    account.tag_user(user_name=user, tags=[{"Key": "phoneNumber", "Value": ""}])
    assert _tags(account) == [("phoneNumber", "")]


def test_unicode_letters_numbers_and_spaces(account: Account, user: str) -> None:
    """Keys and values may use any Unicode letter, number or space and _ . : / = + - @."""
    pairs = {"Kostenstelle é": "日本 ٣", "a_.:/=+-@": "x y\u00a0z", "Ⅻ": "½"}
    account.tag_user(user_name=user, tags=_tag_list(pairs))
    assert dict(_tags(account)) == pairs


@pytest.mark.parametrize("bad", ["a!", "#", "a\n", "tab\t", "😀", "a,b", "*"])
def test_bad_characters_are_validation_errors(account: Account, user: str, bad: str) -> None:
    """Characters outside the tag pattern are a ValidationError, for keys and values."""
    before = account.snapshot()
    with pytest.raises(ValidationError):
        account.tag_user(user_name=user, tags=[{"Key": bad, "Value": "v"}])
    with pytest.raises(ValidationError):
        account.tag_user(user_name=user, tags=[{"Key": "k", "Value": bad}])
    assert account.snapshot() is before


def test_key_and_value_lengths(account: Account, user: str) -> None:
    """Keys are 1–128 characters and values 0–256."""
    account.tag_user(user_name=user, tags=[{"Key": "k" * 128, "Value": "v" * 256}])
    assert _tags(account) == [("k" * 128, "v" * 256)]
    before = account.snapshot()
    for key, value in (("k" * 129, ""), ("", "v"), ("k", "v" * 257)):
        with pytest.raises(ValidationError):
            account.tag_user(user_name=user, tags=[{"Key": key, "Value": value}])
    assert account.snapshot() is before


def test_fifty_tags_maximum(account: Account, user: str) -> None:
    """A user has at most 50 tags: the 51st is LimitExceeded; replacing keys stays allowed."""
    account.tag_user(user_name=user, tags=_tag_list({f"k{i:02d}": "v" for i in range(50)}))
    assert len(_tags(account)) == 50
    before = account.snapshot()
    with pytest.raises(LimitExceeded) as caught:
        account.tag_user(user_name=user, tags=[{"Key": "one-more", "Value": "v"}])
    assert caught.value.message == "Cannot exceed quota for TagsPerUser: 50"
    assert caught.value.http_status == 409
    assert account.snapshot() is before
    account.tag_user(user_name=user, tags=[{"Key": "K00", "Value": "new"}])  # a replacement
    assert len(_tags(account)) == 50
    assert ("K00", "new") in _tags(account)


def test_fifty_tags_counts_the_merge(account: Account, user: str) -> None:
    """The limit applies to the tags the user would have: 40 + 11 new is over, 40 + 10 is not."""
    account.tag_user(user_name=user, tags=_tag_list({f"a{i}": "v" for i in range(40)}))
    with pytest.raises(LimitExceeded):
        account.tag_user(user_name=user, tags=_tag_list({f"b{i}": "v" for i in range(11)}))
    mixed = {f"a{i}": "w" for i in range(5)} | {f"b{i}": "v" for i in range(10)}
    account.tag_user(user_name=user, tags=_tag_list(mixed))
    assert len(_tags(account)) == 50


def test_fifty_one_in_one_request_is_a_validation_error(account: Account, user: str) -> None:
    """A TagUser request with 51 tags breaks the model's list limit: ValidationError."""
    with pytest.raises(ValidationError, match="less than or equal to 50"):
        account.tag_user(user_name=user, tags=_tag_list({f"k{i}": "v" for i in range(51)}))
    with pytest.raises(ValidationError, match="less than or equal to 50"):
        account.create_user(user_name="v", tags=_tag_list({f"k{i}": "v" for i in range(51)}))


@pytest.mark.parametrize(("first", "second"), [("dup", "dup"), ("Dup", "dUP")])
def test_duplicate_keys_in_one_request(
    account: Account, user: str, first: str, second: str
) -> None:
    """Naming a key twice (ignoring case on users) in one request is InvalidInput."""
    before = account.snapshot()
    tags = [{"Key": first, "Value": "1"}, {"Key": second, "Value": "2"}]
    with pytest.raises(InvalidInput, match="Duplicate tag keys found"):
        account.tag_user(user_name=user, tags=tags)
    with pytest.raises(InvalidInput):
        account.create_user(user_name="v", tags=tags)
    assert account.snapshot() is before


@pytest.mark.parametrize("key", ["aws:x", "AWS:x", "Aws:cost", "aWs:"])
def test_reserved_aws_prefix(account: Account, user: str, key: str) -> None:
    """Tag keys beginning with aws: (any case) are reserved: InvalidInput."""
    before = account.snapshot()
    with pytest.raises(InvalidInput) as caught:
        account.tag_user(user_name=user, tags=[{"Key": key, "Value": "v"}])
    assert caught.value.http_status == 400
    with pytest.raises(InvalidInput):
        account.create_user(user_name="v", tags=[{"Key": key, "Value": "v"}])
    assert account.snapshot() is before


@pytest.mark.parametrize("value", ["aws:reserved", "AWS:reserved"])
def test_values_may_begin_with_aws(account: Account, user: str, value: str) -> None:
    """Only keys are reserved: TagUser with the value aws:reserved (any case) succeeds, as
    AWS answered in 2026 recordings (radkawar/stackd tags_aws.json)."""
    account.tag_user(user_name=user, tags=[{"Key": "k", "Value": value}])
    assert _tags(account) == [("k", value)]


def test_reserved_key_message(account: Account, user: str) -> None:
    """An aws: key is InvalidInput "Tag keys beginning with aws: are reserved for system
    use." (recorded for TagUser and TagMFADevice)."""
    with pytest.raises(InvalidInput) as caught:
        account.tag_user(user_name=user, tags=[{"Key": "aws:reserved", "Value": "approved"}])
    assert caught.value.message == "Tag keys beginning with aws: are reserved for system use."


def test_untagging_an_aws_key_succeeds(account: Account, user: str) -> None:
    """UntagUser with TagKeys ["aws:reserved"] succeeds and changes nothing (recorded)."""
    account.tag_user(user_name=user, tags=[{"Key": "k", "Value": "v"}])
    account.untag_user(user_name=user, tag_keys=["aws:reserved"])
    assert _tags(account) == [("k", "v")]


def test_tagging_with_no_tags_is_invalid_input(account: Account, user: str) -> None:
    """TagUser with an empty tag list (what boto3 sends for Tags=[]) is InvalidInput
    "Error occurred while validating input. " (recorded, trailing space included), for
    TagPolicy and TagMFADevice too; UntagUser with no keys succeeds (recorded)."""
    policy = account.create_policy(
        policy_name="p",
        policy_document='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}',
    ).policy.arn
    serial = account.create_virtual_mfa_device(
        virtual_mfa_device_name="phone"
    ).virtual_mfa_device.serial_number
    before = fresh_snapshot(account)
    calls = [
        lambda: account.tag_user(user_name=user, tags=[]),
        lambda: account.tag_policy(policy_arn=policy, tags=[]),
        lambda: account.tag_mfa_device(serial_number=serial, tags=[]),
    ]
    for call in calls:
        with pytest.raises(InvalidInput) as caught:
            call()
        assert caught.value.message == "Error occurred while validating input. "
    assert fresh_snapshot(account) == before
    account.untag_user(user_name=user, tag_keys=[])


def test_create_user_with_an_invalid_tag_creates_nothing(account: Account) -> None:
    """CreateUser tags are all-or-nothing: one bad tag and no user is created."""
    before = account.snapshot()
    bad_tag_lists = [
        [{"Key": "good", "Value": "v"}, {"Key": "aws:bad", "Value": "v"}],
        [{"Key": "good", "Value": "v"}, {"Key": "bad!", "Value": "v"}],
        [{"Key": "good", "Value": "v"}, {"Key": "GOOD", "Value": "v"}],
        [{"Key": "good"}],
    ]
    for tags in bad_tag_lists:
        with pytest.raises(IamError):
            account.create_user(user_name="new", tags=tags)
        assert fresh_snapshot(account) == before
    with pytest.raises(NoSuchEntity):
        account.get_user(user_name="new")


def test_untag_user(account: Account, user: str) -> None:
    """UntagUser removes keys ignoring case; keys the user lacks are ignored."""
    account.tag_user(user_name=user, tags=_tag_list({"Alpha": "1", "Beta": "2", "Gamma": "3"}))
    account.untag_user(user_name=user, tag_keys=["alpha", "GAMMA", "missing"])
    assert _tags(account) == [("Beta", "2")]
    account.untag_user(user_name="U", tag_keys=["Beta"])
    assert _tags(account) == []


def test_untag_limits(account: Account, user: str) -> None:
    """UntagUser takes at most 50 keys of 1–128 tag characters."""
    with pytest.raises(ValidationError):
        account.untag_user(user_name=user, tag_keys=[f"k{i}" for i in range(51)])
    with pytest.raises(ValidationError):
        account.untag_user(user_name=user, tag_keys=["bad!"])
    account.untag_user(user_name=user, tag_keys=[f"k{i}" for i in range(50)])


def test_tag_operations_on_missing_user(account: Account) -> None:
    """TagUser, UntagUser and ListUserTags on an unknown user are NoSuchEntity."""
    with pytest.raises(NoSuchEntity):
        account.tag_user(user_name="ghost", tags=[{"Key": "k", "Value": "v"}])
    with pytest.raises(NoSuchEntity):
        account.untag_user(user_name="ghost", tag_keys=["k"])
    with pytest.raises(NoSuchEntity):
        account.list_user_tags(user_name="ghost")


def test_list_user_tags_is_paginated(account: Account, user: str) -> None:
    """ListUserTags pages with MaxItems/Marker, sorted by key across pages."""
    keys = [f"key{i:02d}" for i in range(23)]
    account.tag_user(user_name=user, tags=_tag_list(dict.fromkeys(reversed(keys), "v")))
    seen: list[str] = []
    result = account.list_user_tags(user_name=user, max_items=5)
    while True:
        assert (result.marker is not None) == result.is_truncated
        seen += [t.key for t in result.tags]
        if not result.is_truncated:
            break
        assert result.marker is not None
        result = account.list_user_tags(user_name=user, max_items=5, marker=result.marker)
    assert seen == keys


def test_tags_follow_a_renamed_user(account: Account, user: str) -> None:
    """Tags belong to the user, not the name: they follow UpdateUser."""
    account.tag_user(user_name=user, tags=[{"Key": "k", "Value": "v"}])
    account.update_user(user_name=user, new_user_name="renamed")
    assert _tags(account, "renamed") == [("k", "v")]


def test_tagging_accepts_entities_and_snake_case(account: Account, user: str) -> None:
    """Tags may be passed as iamcore Tag values or snake_case dicts, natively."""
    from iamcore import Tag

    account.tag_user(user_name=user, tags=[Tag("a", "1"), {"key": "b", "value": "2"}])
    assert _tags(account) == [("a", "1"), ("b", "2")]


_keys = st.sampled_from(["a", "A", "b", "B", "Cost", "cost", "COST", "x1", "X1"])
_values = st.sampled_from(["", "1", "two", "Three"])


@settings(max_examples=60)
@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("tag"), st.dictionaries(_keys, _values, max_size=4)),
            st.tuples(st.just("untag"), st.lists(_keys, max_size=3)),
        ),
        max_size=12,
    )
)
def test_tags_behave_like_a_case_insensitive_dict(
    steps: list[tuple[str, dict[str, str] | list[str]]],
) -> None:
    """Any sequence of TagUser/UntagUser acts like a dict keyed by lower-case key."""
    account = Account(clock=FixedClock(), entropy=seeded_entropy(5))
    account.create_user(user_name="u")
    model: dict[str, tuple[str, str]] = {}
    for kind, argument in steps:
        before = account.snapshot()
        if kind == "tag":
            assert isinstance(argument, dict)
            lowered = [key.lower() for key in argument]
            if not lowered or len(set(lowered)) != len(lowered):  # no tags, or a duplicate
                with pytest.raises(InvalidInput):
                    account.tag_user(user_name="u", tags=_tag_list(argument))
                assert account.snapshot() is before
                continue
            account.tag_user(user_name="u", tags=_tag_list(argument))
            for key, value in argument.items():
                model[key.lower()] = (key, value)
        else:
            assert isinstance(argument, list)
            account.untag_user(user_name="u", tag_keys=argument)
            for key in argument:
                model.pop(key.lower(), None)
        assert _tags(account) == sorted(model.values())


def _pages_of_tags(account: Account, max_items: int) -> tuple[list[str], list[str]]:
    keys: list[str] = []
    markers: list[str] = []
    result = account.list_user_tags(user_name="u", max_items=max_items)
    while True:
        keys += [t.key for t in result.tags]
        if not result.is_truncated:
            return keys, markers
        assert result.marker is not None
        markers.append(result.marker)
        result = account.list_user_tags(user_name="u", max_items=max_items, marker=result.marker)


def test_markers_fit_the_marker_limit(account: Account, user: str) -> None:
    """Every Marker returned can be passed back (1–320 chars of U+0020–U+00FF), long keys too."""
    keys = ["日" * 128, "日" * 127 + "本", "𝐀" * 128, "本", "a" * 128, "é" * 128]
    account.tag_user(user_name=user, tags=_tag_list(dict.fromkeys(keys, "")))
    seen, markers = _pages_of_tags(account, 1)
    assert seen == sorted(keys)
    assert len(markers) == len(keys) - 1
    assert all(1 <= len(m) <= 320 and all(" " <= c <= "ÿ" for c in m) for m in markers)


def test_marker_of_a_removed_long_key(account: Account, user: str) -> None:
    """A marker naming a long key removed since still lets the listing go on, skipping nothing."""
    keys = ["日" * 127 + "一", "日" * 127 + "二", "日" * 127 + "三", "本"]
    account.tag_user(user_name=user, tags=_tag_list(dict.fromkeys(keys, "")))
    first = account.list_user_tags(user_name=user, max_items=1)
    assert first.marker is not None
    account.untag_user(user_name=user, tag_keys=[first.tags[0].key])
    rest = account.list_user_tags(user_name=user, marker=first.marker)
    assert set(sorted(keys)[1:]) <= {t.key for t in rest.tags}


_tag_text = st.text(
    alphabet=st.characters(categories=["L", "N", "Zs"]) | st.sampled_from("_.:/=+-@"),
    min_size=1,
    max_size=128,
).filter(lambda key: not key.lower().startswith("aws:"))


@settings(max_examples=40)
@given(
    keys=st.lists(_tag_text, min_size=1, max_size=8, unique_by=str.lower),
    max_items=st.integers(min_value=1, max_value=3),
)
def test_tag_pages_cover_every_tag_once(keys: list[str], max_items: int) -> None:
    """Paging through any tags (any letters, any length) visits each exactly once, in order."""
    account = Account(clock=FixedClock(), entropy=seeded_entropy(8))
    account.create_user(user_name="u")
    account.tag_user(user_name="u", tags=_tag_list(dict.fromkeys(keys, "v")))
    seen, markers = _pages_of_tags(account, max_items)
    assert seen == sorted(keys)
    assert all(len(marker) <= 320 for marker in markers)
