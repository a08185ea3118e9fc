"""Conformance of users, groups, user tags, validation and paging with AWS, through boto3.

Sources, cited per test:

- SM: botocore's IAM service model (operation and member documentation, shapes, errors);
- LS: LocalStack's IAM tests marked ``@markers.aws.validated``, whose snapshots are
  recorded against the real service (localstack/localstack,
  ``tests/aws/services/iam/test_iam_users.py``, ``test_iam_groups.py``,
  ``test_iam_mfa.py``, ``test_iam_account_password_policy.py`` and their
  ``.snapshot.json`` recordings, 2026);
- 3P: a real AWS error quoted in a public issue (named in the test).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest

from iamcore import Account
from iamcore.mock import mock_iam
from iamcore.testing import FixedClock, seeded_entropy
from tests.helpers import aware, body, boto3_client, error

ACCOUNT = "123456789012"
INVALID_PATH = (
    "The specified value for path is invalid. It must begin and end with / and contain "
    "only alphanumeric characters and/or / characters."
)

USER_KEYS = {"Arn", "CreateDate", "Path", "UserId", "UserName"}
GROUP_KEYS = {"Arn", "CreateDate", "GroupId", "GroupName", "Path"}


@pytest.fixture
def mocked() -> Iterator[tuple[Any, Account]]:
    account = Account(clock=FixedClock(), entropy=seeded_entropy(11))
    with mock_iam(account):
        yield boto3_client(), account


@pytest.fixture
def iam(mocked: tuple[Any, Account]) -> Any:
    return mocked[0]


# -- users -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [None, "/", "/test-lifecycle-path/"])
def test_user_lifecycle_shapes(iam: Any, path: str | None) -> None:
    """LS test_user_lifecycle: Create/Get/List show exactly Arn, CreateDate, Path, UserId,
    UserName; Path defaults to '/' (SM CreateUser.Path); a deleted user is NoSuchEntity."""
    kwargs = {} if path is None else {"Path": path}
    created = body(iam.create_user(UserName="alice", **kwargs))["User"]
    assert set(created) == USER_KEYS
    expected_path = path or "/"
    assert created["Path"] == expected_path
    assert created["Arn"] == f"arn:aws:iam::{ACCOUNT}:user{expected_path}alice"
    assert created["UserId"].startswith("AIDA")
    assert len(created["UserId"]) == 21
    assert aware(created["CreateDate"])
    assert body(iam.get_user(UserName="alice")) == {"User": created}
    assert body(iam.list_users()) == {"IsTruncated": False, "Users": [created]}
    if path not in (None, "/"):
        assert body(iam.list_users(PathPrefix="/test-life"))["Users"] == [created]
    assert body(iam.delete_user(UserName="alice")) == {}
    assert error(iam.get_user, UserName="alice") == (
        "NoSuchEntity",
        "The user with name alice cannot be found.",
        404,
    )


def test_user_errors(iam: Any) -> None:
    """LS test_user_errors: duplicate is EntityAlreadyExists 409 (names ignore case, SM
    CreateUser.UserName); Get/Update/Delete of an unknown user are NoSuchEntity 404."""
    iam.create_user(UserName="alice")
    for name in ("alice", "ALICE"):
        assert error(iam.create_user, UserName=name) == (
            "EntityAlreadyExists",
            f"User with name {name} already exists.",
            409,
        )
    missing = ("NoSuchEntity", "The user with name nonexistent-user cannot be found.", 404)
    assert error(iam.get_user, UserName="nonexistent-user") == missing
    assert error(iam.update_user, UserName="nonexistent-user", NewUserName="new-name") == missing
    assert error(iam.delete_user, UserName="nonexistent-user") == missing


def test_user_update_keeps_id(iam: Any) -> None:
    """LS test_user_update: UpdateUser renames and moves, keeps UserId; the old name is gone."""
    user_id = iam.create_user(UserName="old")["User"]["UserId"]
    assert body(iam.update_user(UserName="old", NewUserName="new", NewPath="/p/")) == {}
    user = iam.get_user(UserName="new")["User"]
    assert (user["UserId"], user["Path"], user["Arn"]) == (
        user_id,
        "/p/",
        f"arn:aws:iam::{ACCOUNT}:user/p/new",
    )
    assert error(iam.get_user, UserName="old")[0] == "NoSuchEntity"


def test_get_user_without_name_is_the_signing_user(mocked: tuple[Any, Account]) -> None:
    """SM GetUser: without UserName, IAM determines the user from the signing access key."""
    iam, _ = mocked
    iam.create_user(UserName="carol")
    key = iam.create_access_key(UserName="carol")["AccessKey"]
    as_carol = boto3_client(key["AccessKeyId"], key["SecretAccessKey"])
    assert as_carol.get_user()["User"]["UserName"] == "carol"


def test_list_users_omits_tags_and_boundary(iam: Any) -> None:
    """SM ListUsers: the listing leaves out PermissionsBoundary and Tags; GetUser shows Tags
    (LS test_user_tag_lifecycle: CreateUser and GetUser echo the Tags)."""
    tags = [{"Key": "Environment", "Value": "Test"}, {"Key": "Team", "Value": "Platform"}]
    created = iam.create_user(UserName="tagged", Tags=tags)["User"]
    assert created["Tags"] == tags
    assert iam.get_user(UserName="tagged")["User"]["Tags"] == tags
    (listed,) = iam.list_users()["Users"]
    assert set(listed) == USER_KEYS


def test_list_users_max_items_defaults_to_100(mocked: tuple[Any, Account]) -> None:
    """SM ListUsers.MaxItems: 'If you do not include this parameter, the number of items
    defaults to 100'; IsTruncated and a Marker (present only when truncated) lead on."""
    iam, account = mocked
    for index in range(101):
        account.create_user(user_name=f"user{index:03d}")
    first = iam.list_users()
    assert len(first["Users"]) == 100
    assert first["IsTruncated"] is True
    rest = iam.list_users(Marker=first["Marker"])
    assert len(rest["Users"]) == 1
    assert rest["IsTruncated"] is False
    assert "Marker" not in rest
    pages = iam.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 7})
    names = [user["UserName"] for page in pages for user in page["Users"]]
    assert names == [f"user{index:03d}" for index in range(101)]


@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("list_users", {}),
        ("list_groups", {}),
        ("list_virtual_mfa_devices", {}),
        ("list_user_tags", {"UserName": "u"}),
        ("list_groups_for_user", {"UserName": "u"}),
    ],
)
def test_invalid_marker(iam: Any, operation: str, kwargs: dict[str, Any]) -> None:
    """LS test_list_virtual_mfa_devices: a Marker IAM did not issue is ValidationError 400
    'Invalid Marker.'."""
    iam.create_user(UserName="u")
    assert error(getattr(iam, operation), Marker="invalid-marker-value", **kwargs) == (
        "ValidationError",
        "Invalid Marker.",
        400,
    )


# -- validation messages -----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["invalid-path/", "/invalid-path"])
@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("create_user", {"UserName": "u"}),
        ("create_group", {"GroupName": "g"}),
        ("create_virtual_mfa_device", {"VirtualMFADeviceName": "d"}),
    ],
)
def test_path_without_slashes(iam: Any, operation: str, kwargs: dict[str, Any], path: str) -> None:
    """LS test_virtual_mfa_device_errors: a path not beginning and ending with '/' is
    ValidationError with IAM's own text (SM pathType: '/' or '/…/')."""
    assert error(getattr(iam, operation), Path=path, **kwargs) == (
        "ValidationError",
        INVALID_PATH,
        400,
    )


def test_new_path_without_slashes(iam: Any) -> None:
    """SM UpdateUser/UpdateGroup.NewPath share pathType: the same answer as for Path."""
    iam.create_user(UserName="u")
    iam.create_group(GroupName="g")
    assert error(iam.update_user, UserName="u", NewPath="/x")[:2] == (
        "ValidationError",
        INVALID_PATH,
    )
    assert error(iam.update_group, GroupName="g", NewPath="x/")[:2] == (
        "ValidationError",
        INVALID_PATH,
    )


def test_path_too_long_and_double_slash(iam: Any) -> None:
    """LS test_virtual_mfa_device_errors/lifecycle: a 514-character path is a length error
    that does not echo the value; '/test//double/' is a valid path."""
    assert error(iam.create_user, UserName="u", Path="/" + "a" * 512 + "/") == (
        "ValidationError",
        "1 validation error detected: Value at 'path' failed to satisfy constraint: "
        "Member must have length less than or equal to 512",
        400,
    )
    created = iam.create_user(UserName="u", Path="/test//double/")["User"]
    assert created["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/test//double/u"


def test_length_and_range_errors_do_not_echo_the_value(iam: Any) -> None:
    """LS test_update_account_password_policy_validation_errors: range violations read
    "Value at 'x' failed to satisfy constraint: Member must have value less than or equal
    to N", counted; lengths the same (SM maxItemsType 1–1000, userNameType ≤ 64)."""
    code, message, status = error(
        iam.update_account_password_policy,
        MinimumPasswordLength=200,
        MaxPasswordAge=2000,
        PasswordReusePrevention=30,
    )
    assert (code, status) == ("ValidationError", 400)
    assert message.startswith("3 validation errors detected: ")
    assert set(message.removeprefix("3 validation errors detected: ").split("; ")) == {
        "Value at 'minimumPasswordLength' failed to satisfy constraint: "
        "Member must have value less than or equal to 128",
        "Value at 'passwordReusePrevention' failed to satisfy constraint: "
        "Member must have value less than or equal to 24",
        "Value at 'maxPasswordAge' failed to satisfy constraint: "
        "Member must have value less than or equal to 1095",
    }
    assert error(iam.list_users, MaxItems=1001)[1] == (
        "1 validation error detected: Value at 'maxItems' failed to satisfy constraint: "
        "Member must have value less than or equal to 1000"
    )
    assert error(iam.create_user, UserName="x" * 65)[1] == (
        "1 validation error detected: Value at 'userName' failed to satisfy constraint: "
        "Member must have length less than or equal to 64"
    )


def test_pattern_errors_do_not_echo_the_value(iam: Any) -> None:
    """Real AWS, recorded 2026 (LS test_policy_tag_create_errors err-invalid-character,
    test_policy_version_errors with VersionId="wrong_version_id"; juspay/hyperswitch-suite#323,
    CreateRole 2026-09): a pattern violation reads "Value at 'tags.N.member.value' ..."
    without the value; captures up to 2024 (SWO-GS/auto-tag#90) still echoed it."""
    tags = [{"Key": f"k{i}", "Value": "v"} for i in range(5)] + [{"Key": "k5", "Value": "a;b"}]
    assert error(iam.create_user, UserName="u", Tags=tags) == (
        "ValidationError",
        "1 validation error detected: Value at 'tags.6.member.value' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: "
        "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*",
        400,
    )
    assert error(iam.create_user, UserName="bad name!")[1] == (
        "1 validation error detected: Value at 'userName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"
    )
    iam.create_user(UserName="u")
    assert error(iam.create_user, UserName="u", Tags=[{"Key": "bad!", "Value": "v"}])[1] == (
        "1 validation error detected: Value at 'tags.1.member.key' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: "
        "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+"
    )


# -- user tags ----------------------------------------------------------------------------------


def test_user_tag_operations(iam: Any) -> None:
    """LS test_user_tag_operations: ListUserTags is [] before tagging (SM: 'the response
    contains an empty list'), sorted by key after (SM ListUserTags), untag removes."""
    iam.create_user(UserName="u")
    assert body(iam.list_user_tags(UserName="u")) == {"IsTruncated": False, "Tags": []}
    assert (
        body(
            iam.tag_user(
                UserName="u",
                Tags=[{"Key": "key-2", "Value": "value-2"}, {"Key": "key-1", "Value": "value-1"}],
            )
        )
        == {}
    )
    assert body(iam.list_user_tags(UserName="u")) == {
        "IsTruncated": False,
        "Tags": [{"Key": "key-1", "Value": "value-1"}, {"Key": "key-2", "Value": "value-2"}],
    }
    assert body(iam.untag_user(UserName="u", TagKeys=["key-2"])) == {}
    assert iam.list_user_tags(UserName="u")["Tags"] == [{"Key": "key-1", "Value": "value-1"}]


def test_user_tag_errors(iam: Any) -> None:
    """LS test_user_tag_errors: Tag/Untag/ListUserTags of an unknown user are NoSuchEntity."""
    missing = ("NoSuchEntity", "The user with name nonexistent-user cannot be found.", 404)
    tags = [{"Key": "k", "Value": "v"}]
    assert error(iam.tag_user, UserName="nonexistent-user", Tags=tags) == missing
    assert error(iam.untag_user, UserName="nonexistent-user", TagKeys=["k"]) == missing
    assert error(iam.list_user_tags, UserName="nonexistent-user") == missing


def test_tag_overwrites_value(iam: Any) -> None:
    """SM TagUser: 'If a tag with the same key name already exists, then that tag is
    overwritten with the new value.'"""
    iam.create_user(UserName="u", Tags=[{"Key": "team", "Value": "a"}])
    iam.tag_user(UserName="u", Tags=[{"Key": "team", "Value": "b"}])
    assert iam.list_user_tags(UserName="u")["Tags"] == [{"Key": "team", "Value": "b"}]


def test_invalid_tag_creates_no_user(mocked: tuple[Any, Account]) -> None:
    """SM CreateUser.Tags: if any tag is invalid or the tag limit is exceeded, the entire
    request fails and the resource is not created."""
    iam, account = mocked
    too_many = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]
    assert error(iam.create_user, UserName="u", Tags=too_many)[0] == "ValidationError"
    assert error(iam.create_user, UserName="u", Tags=[{"Key": "aws:x", "Value": "v"}])[0] in {
        "InvalidInput",
        "ValidationError",
    }
    assert account.list_users().users == ()


# -- groups ---------------------------------------------------------------------------------------


def test_group_lifecycle(iam: Any) -> None:
    """LS test_create_group/test_get_group/test_get_group_with_path: CreateGroup shows Arn,
    CreateDate, GroupId, GroupName, Path; duplicate is 'Group with name X already exists.'
    409; GetGroup has the Group, Users [] and IsTruncated false; unknown is NoSuchEntity."""
    group = body(iam.create_group(GroupName="devs"))["Group"]
    assert set(group) == GROUP_KEYS
    assert group["Path"] == "/"
    assert group["GroupId"].startswith("AGPA")
    assert aware(group["CreateDate"])
    assert error(iam.create_group, GroupName="DEVS") == (
        "EntityAlreadyExists",
        "Group with name DEVS already exists.",
        409,
    )
    assert body(iam.get_group(GroupName="devs")) == {
        "Group": group,
        "IsTruncated": False,
        "Users": [],
    }
    with_path = iam.create_group(GroupName="ops", Path="/some/location/")["Group"]
    assert with_path["Arn"] == f"arn:aws:iam::{ACCOUNT}:group/some/location/ops"
    assert error(iam.get_group, GroupName="non-existent-group") == (
        "NoSuchEntity",
        "The group with name non-existent-group cannot be found.",
        404,
    )


def test_update_and_delete_group_errors(iam: Any) -> None:
    """LS test_update_group_not_found/_duplicate_name/test_delete_unknown_group: NoSuchEntity
    'The group with name X cannot be found.'; renaming onto another group is
    'Group with name X already exists.' (409)."""
    iam.create_group(GroupName="one")
    iam.create_group(GroupName="two")
    assert error(iam.update_group, GroupName="nonexisting", NewGroupName="x") == (
        "NoSuchEntity",
        "The group with name nonexisting cannot be found.",
        404,
    )
    assert error(iam.update_group, GroupName="one", NewGroupName="two") == (
        "EntityAlreadyExists",
        "Group with name two already exists.",
        409,
    )
    assert error(iam.delete_group, GroupName="unknown-group")[:2] == (
        "NoSuchEntity",
        "The group with name unknown-group cannot be found.",
    )


def test_group_membership(iam: Any) -> None:
    """LS test_user_group_membership/test_add_user_to_group_idempotent: adding twice is a
    no-op; GetGroup lists the member (no Tags); removing a user who is no longer a member
    succeeds."""
    iam.create_user(UserName="u", Tags=[{"Key": "k", "Value": "v"}])
    iam.create_group(GroupName="g1")
    iam.create_group(GroupName="g2")
    assert body(iam.list_groups_for_user(UserName="u")) == {"Groups": [], "IsTruncated": False}
    for group in ("g1", "g2", "g2"):
        assert body(iam.add_user_to_group(GroupName=group, UserName="u")) == {}
    groups = iam.list_groups_for_user(UserName="u")["Groups"]
    assert [g["GroupName"] for g in groups] == ["g1", "g2"]
    assert all(set(g) == GROUP_KEYS for g in groups)
    (member,) = iam.get_group(GroupName="g1")["Users"]
    assert set(member) == USER_KEYS
    assert body(iam.remove_user_from_group(GroupName="g1", UserName="u")) == {}
    assert len(iam.list_groups_for_user(UserName="u")["Groups"]) == 1
    assert body(iam.remove_user_from_group(GroupName="g1", UserName="u")) == {}
    assert len(iam.list_groups_for_user(UserName="u")["Groups"]) == 1


def test_group_membership_errors(iam: Any) -> None:
    """LS test_user_group_errors/test_remove_user_from_unknown_group: unknown user or group
    is NoSuchEntity; RemoveUserFromGroup looks the user up first."""
    iam.create_user(UserName="u")
    iam.create_group(GroupName="g")
    assert error(iam.add_user_to_group, GroupName="g", UserName="nonexistent-user") == (
        "NoSuchEntity",
        "The user with name nonexistent-user cannot be found.",
        404,
    )
    assert error(iam.add_user_to_group, GroupName="nonexistent-group", UserName="u") == (
        "NoSuchEntity",
        "The group with name nonexistent-group cannot be found.",
        404,
    )
    assert error(iam.remove_user_from_group, GroupName="nonexistent-group", UserName="u") == (
        "NoSuchEntity",
        "The group with name nonexistent-group cannot be found.",
        404,
    )
    assert error(
        iam.remove_user_from_group, GroupName="non-existent-group", UserName="any-user"
    ) == ("NoSuchEntity", "The user with name any-user cannot be found.", 404)


def test_delete_group_with_members(iam: Any) -> None:
    """SM DeleteGroup: 'The group must not contain any users': DeleteConflict (409)."""
    iam.create_user(UserName="u")
    iam.create_group(GroupName="g")
    iam.add_user_to_group(GroupName="g", UserName="u")
    assert error(iam.delete_group, GroupName="g")[::2] == ("DeleteConflict", 409)


def test_delete_user_in_a_group(iam: Any) -> None:
    """SM DeleteUser: group memberships must be removed first (DeleteConflict, 409)."""
    iam.create_user(UserName="u")
    iam.create_group(GroupName="g")
    iam.add_user_to_group(GroupName="g", UserName="u")
    assert error(iam.delete_user, UserName="u")[::2] == ("DeleteConflict", 409)
    iam.remove_user_from_group(GroupName="g", UserName="u")
    assert body(iam.delete_user(UserName="u")) == {}


# -- errors and statuses --------------------------------------------------------------------------


def test_error_statuses_match_the_model() -> None:
    """SM error shapes: every error code the model lists for these operations has the HTTP
    status and sender/receiver fault the model gives it."""
    from iamcore.errors import ERRORS

    model = botocore.session.get_session().get_service_model("iam")
    operations = [
        "CreateUser", "GetUser", "ListUsers", "UpdateUser", "DeleteUser", "TagUser",
        "UntagUser", "ListUserTags", "CreateGroup", "GetGroup", "ListGroups", "UpdateGroup",
        "DeleteGroup", "AddUserToGroup", "RemoveUserFromGroup", "ListGroupsForUser",
    ]  # fmt: skip
    for operation in operations:
        for shape in model.operation_model(operation).error_shapes:
            meta = shape.metadata["error"]
            cls = ERRORS[meta["code"]]
            assert cls.http_status == meta["httpStatusCode"], meta["code"]
            assert cls.sender_fault == meta.get("senderFault", False), meta["code"]
