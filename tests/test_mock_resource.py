"""boto3's IAM resource API (``boto3.resource("iam")``) over the mock.

The resource layer is boto3's own code on top of the client: it loads
attributes with GetUser/GetGroup, pages collections with the client's
paginators (ListUsers with PathPrefix, GetGroup, ListGroupsForUser,
ListAccessKeys), and turns actions into client calls.  Code written against
it must run under ``mock_iam`` as it does against AWS.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import botocore.exceptions
import pytest

from iamcore import Account
from iamcore.mock import mock_iam
from iamcore.testing import FixedClock, seeded_entropy


@pytest.fixture
def iam() -> Iterator[Any]:
    account = Account(clock=FixedClock(), entropy=seeded_entropy(21))
    with mock_iam(account):
        yield boto3.resource(
            "iam",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )


def test_user_attributes_load_from_get_user(iam: Any) -> None:
    """``iam.User(name)`` loads lazily with GetUser: ARN with the path, an AIDA ID, tags."""
    iam.create_user(UserName="alice", Path="/eng/", Tags=[{"Key": "team", "Value": "core"}])
    alice = iam.User("alice")
    assert alice.arn == "arn:aws:iam::123456789012:user/eng/alice"
    assert alice.path == "/eng/"
    assert alice.user_id.startswith("AIDA")
    assert len(alice.user_id) == 21
    assert alice.tags == [{"Key": "team", "Value": "core"}]
    with pytest.raises(botocore.exceptions.ClientError, match="NoSuchEntity"):
        iam.User("nobody").load()


def test_collections_page_and_filter_by_path(iam: Any) -> None:
    """``iam.users.filter(PathPrefix=...)`` pages ListUsers (MaxItems per page) and yields
    the users of that path in name order; ``.all()`` yields every user."""
    for index in range(7):
        iam.create_user(UserName=f"dev{index}", Path="/eng/")
    iam.create_user(UserName="ops", Path="/ops/")
    eng = [user.name for user in iam.users.filter(PathPrefix="/eng/").page_size(3)]
    assert eng == [f"dev{index}" for index in range(7)]
    assert sorted(user.name for user in iam.users.all()) == [*eng, "ops"]


def test_group_membership_both_ways(iam: Any) -> None:
    """AddUserToGroup through ``user.add_group``; ``user.groups`` pages ListGroupsForUser
    and ``group.users`` pages GetGroup."""
    user = iam.create_user(UserName="bob")
    group = iam.create_group(GroupName="devs", Path="/teams/")
    user.add_group(GroupName="devs")
    assert [g.name for g in user.groups.all()] == ["devs"]
    assert [u.name for u in group.users.all()] == ["bob"]
    assert group.arn == "arn:aws:iam::123456789012:group/teams/devs"
    group.remove_user(UserName="bob")
    assert list(group.users.all()) == []


def test_rename_and_delete_follow_iam_rules(iam: Any) -> None:
    """``user.update(NewUserName=...)`` renames (the old name is gone); deleting a user
    that still owns an access key is DeleteConflict until the key is deleted."""
    iam.create_user(UserName="carol").update(NewUserName="carol2")
    with pytest.raises(botocore.exceptions.ClientError, match="NoSuchEntity"):
        iam.User("carol").load()
    carol = iam.User("carol2")
    key = carol.create_access_key_pair()
    assert key.id.startswith("AKIA")
    assert len(key.secret) == 40
    assert [k.id for k in carol.access_keys.all()] == [key.id]
    with pytest.raises(botocore.exceptions.ClientError) as conflict:
        carol.delete()
    assert conflict.value.response["Error"]["Code"] == "DeleteConflict"
    key.delete()
    carol.delete()
    assert [u.name for u in iam.users.all()] == []


def test_current_user_is_the_root_user_for_other_credentials(iam: Any) -> None:
    """``iam.CurrentUser()`` is GetUser without a name: the root user for credentials that
    are no key of the account (user ID the account ID, ARN ``...:root``)."""
    current = iam.CurrentUser()
    assert current.arn == "arn:aws:iam::123456789012:root"
    assert current.user_id == "123456789012"
