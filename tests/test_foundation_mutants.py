"""Rules of the users/groups/tags foundation that mutation testing found unpinned.

Each test fails on a mutant of ``iamcore/rules/tags.py`` or ``iamcore/paging.py`` that
survived the users/groups/tags tests, and passes on the original code.
"""

from __future__ import annotations

import pytest

from iamcore import Account
from iamcore.errors import InvalidInput, ValidationError

#: a tag key of 128 characters whose UTF-8 (255 bytes) is too long for a plain
#: base64 marker: ``a`` then 127 ``é`` (a Unicode letter, so a valid tag key)
LONG_KEY = "a" + "é" * 127


def _tag_keys(account: Account, user: str, marker: str | None = None) -> list[str]:
    if marker is None:
        result = account.list_user_tags(user_name=user)
    else:
        result = account.list_user_tags(user_name=user, marker=marker)
    return [tag.key for tag in result.tags]


# -- tags ------------------------------------------------------------------------------------


def test_duplicate_user_tag_keys_name_the_case_insensitivity(account: Account) -> None:
    """TagUser and CreateUser naming one key twice, ignoring case: InvalidInput
    "Duplicate tag keys found. Please note that Tag keys are case insensitive."
    (docs/differences.md "Users, groups and tags"; AWS's answer for IAM principals'
    tags, quoted in kubernetes/kops#11727 and terraform-aws-github-runner#1346), and
    nothing is created or tagged."""
    expected = "Duplicate tag keys found. Please note that Tag keys are case insensitive."
    pairs = [{"Key": "Team", "Value": "a"}, {"Key": "team", "Value": "b"}]
    with pytest.raises(InvalidInput) as caught:
        account.create_user(user_name="u", tags=pairs)
    assert caught.value.message == expected
    assert account.list_users().users == ()
    account.create_user(user_name="u")
    with pytest.raises(InvalidInput) as caught:
        account.tag_user(user_name="u", tags=pairs)
    assert caught.value.message == expected
    assert _tag_keys(account, "u") == []


# -- paging ----------------------------------------------------------------------------------


def test_list_users_after_deleting_a_user_created_out_of_order(account: Account) -> None:
    """ListUsers lists exactly the account's users, in name order (docs/differences.md
    "Listing and paging"), also when the deleted user was created after users whose
    names sort after its own and before any listing."""
    for name in ("a", "c", "b", "a0"):
        account.create_user(user_name=name)
    account.delete_user(user_name="b")
    assert [user.user_name for user in account.list_users().users] == ["a", "a0", "c"]


def test_marker_of_a_long_non_ascii_tag_key_fits_and_can_be_passed_back(
    account: Account,
) -> None:
    """Every Marker IAM returns can be passed back: markerType is 1-320 characters
    (SM ListUserTags.Marker; aws-iam-rules.md §0 "Pagination"), so the marker after a
    128-character tag key of mixed one- and two-byte characters fits in 320 and
    continues the listing."""
    account.create_user(user_name="u")
    second = "b" + "é" * 127
    account.tag_user(
        user_name="u", tags=[{"Key": LONG_KEY, "Value": "1"}, {"Key": second, "Value": "2"}]
    )
    first = account.list_user_tags(user_name="u", max_items=1)
    assert [tag.key for tag in first.tags] == [LONG_KEY]
    assert first.is_truncated is True
    assert first.marker is not None
    assert len(first.marker) <= 320
    assert _tag_keys(account, "u", first.marker) == [second]


def test_marker_of_a_removed_long_tag_key_goes_on_with_the_next_tag(account: Account) -> None:
    """A client loops on IsTruncated with the returned Marker (SM ListUserTags); when
    the tag a marker names is removed between calls, the next page goes on with the
    tags after it, as for a deleted user (tests/test_users.py, "the marker's own
    user"; iamcore.paging: pages stay consistent when entities are removed), also for
    a marker naming a key too long to be quoted whole."""
    account.create_user(user_name="u")
    prefix = "é" * 127
    account.tag_user(
        user_name="u",
        tags=[{"Key": prefix + "a", "Value": "1"}, {"Key": prefix + "b", "Value": "2"}],
    )
    first = account.list_user_tags(user_name="u", max_items=1)
    assert first.marker is not None
    account.untag_user(user_name="u", tag_keys=[prefix + "a"])
    assert _tag_keys(account, "u", first.marker) == [prefix + "b"]


@pytest.mark.parametrize("marker", ["Ym9i#", "Ym 9i", "Ym9i\u00ff"])
def test_a_marker_with_non_base64_characters_is_invalid(account: Account, marker: str) -> None:
    """A Marker IAM did not issue is ValidationError "Invalid Marker." (LS
    test_list_virtual_mfa_devices; docs/differences.md): iamcore's markers are base64,
    so one that is base64 only once its other characters are dropped was not issued."""
    account.create_user(user_name="bob")
    with pytest.raises(ValidationError) as caught:
        account.list_users(marker=marker)
    assert caught.value.message == "Invalid Marker."
    with pytest.raises(ValidationError) as caught_tags:
        account.list_user_tags(user_name="bob", marker=marker)
    assert caught_tags.value.message == "Invalid Marker."
