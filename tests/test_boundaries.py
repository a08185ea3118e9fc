"""Permissions boundaries: Put/DeleteUserPermissionsBoundary and CreateUser's boundary."""

from __future__ import annotations

import json
import re

import pytest
from botocore.exceptions import ClientError

from iamcore import Account, AttachedPermissionsBoundary
from iamcore.errors import InvalidInput, NoSuchEntity, ValidationError
from iamcore.mock import mock_iam
from tests.helpers import boto3_client

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
S3_ONLY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
    }
)


def test_create_user_with_boundary(account: Account) -> None:
    """CreateUser: PermissionsBoundary names a managed policy; GetUser shows type "Policy"."""
    policy = account.create_policy(policy_name="Bound", policy_document=S3_ONLY).policy
    account.create_user(user_name="alice", permissions_boundary=policy.arn)
    user = account.get_user(user_name="alice").user
    assert user.permissions_boundary == AttachedPermissionsBoundary(policy.arn, "Policy")
    assert account.get_policy(policy_arn=policy.arn).policy.permissions_boundary_usage_count == 1
    assert account.get_policy(policy_arn=policy.arn).policy.attachment_count == 0


def test_create_user_with_aws_managed_boundary(account: Account) -> None:
    """CreateUser: an AWS managed policy can be the boundary too."""
    account.create_user(user_name="alice", permissions_boundary=ADMIN)
    boundary = account.get_user(user_name="alice").user.permissions_boundary
    assert boundary is not None
    assert boundary.permissions_boundary_arn == ADMIN


def test_create_user_with_unknown_boundary_creates_nothing(account: Account) -> None:
    """CreateUser: an unknown boundary policy is NoSuchEntity and no user is created."""
    before = account.snapshot()
    missing = "arn:aws:iam::123456789012:policy/Missing"
    with pytest.raises(
        NoSuchEntity, match=f"Scope ARN: {missing} does not exist or is not attachable"
    ):
        account.create_user(user_name="alice", permissions_boundary=missing)
    with pytest.raises(InvalidInput, match="is not valid"):
        account.create_user(user_name="alice", permissions_boundary="not-an-arn-but-long-enough")
    assert before == account.snapshot()


def test_put_replaces_and_delete_removes(account: Account) -> None:
    """PutUserPermissionsBoundary replaces the one boundary; the Delete removes it."""
    first = account.create_policy(policy_name="First", policy_document=S3_ONLY).policy
    account.create_user(user_name="bob")
    account.put_user_permissions_boundary(user_name="bob", permissions_boundary=first.arn)
    account.put_user_permissions_boundary(user_name="bob", permissions_boundary=ADMIN)
    user = account.get_user(user_name="bob").user
    assert user.permissions_boundary == AttachedPermissionsBoundary(ADMIN)
    assert account.get_policy(policy_arn=first.arn).policy.permissions_boundary_usage_count == 0
    assert account.get_policy(policy_arn=ADMIN).policy.permissions_boundary_usage_count == 1
    account.delete_user_permissions_boundary(user_name="bob")
    assert account.get_user(user_name="bob").user.permissions_boundary is None
    with pytest.raises(NoSuchEntity):  # none left (recorded from AWS, 2026)
        account.delete_user_permissions_boundary(user_name="bob")


def test_boundary_policy_is_not_an_attachment(account: Account) -> None:
    """A boundary is not an attached policy: ListAttachedUserPolicies stays empty."""
    account.create_user(user_name="bob", permissions_boundary=ADMIN)
    assert account.list_attached_user_policies(user_name="bob").attached_policies == ()
    account.delete_user(user_name="bob")  # a boundary does not block DeleteUser
    assert account.get_policy(policy_arn=ADMIN).policy.permissions_boundary_usage_count == 0


def test_put_boundary_errors(account: Account) -> None:
    """PutUserPermissionsBoundary: NoSuchEntity for an unknown user or policy."""
    account.create_user(user_name="bob")
    before = account.snapshot()
    with pytest.raises(
        NoSuchEntity, match=re.escape("The user with name nobody cannot be found.")
    ):
        account.put_user_permissions_boundary(user_name="nobody", permissions_boundary=ADMIN)
    with pytest.raises(NoSuchEntity, match="does not exist or is not attachable"):
        account.put_user_permissions_boundary(
            user_name="bob", permissions_boundary="arn:aws:iam::aws:policy/NoSuchThing"
        )
    assert before == account.snapshot()


@pytest.mark.parametrize(
    ("arn", "error", "message"),
    [
        # AWS's answer recorded for CreateRole and PutRolePermissionsBoundary (LS, 2026)
        (
            "arn:aws:iam::123456789012:not_a_policy/invalid",
            InvalidInput,
            "ARN arn:aws:iam::123456789012:not_a_policy/invalid is not valid.",
        ),
        # AWS's 2024 rules for IAM ARNs: service iam, no region, no trailing space
        (
            "arn:aws:s3:::bucket/policy",
            InvalidInput,
            "ARN arn:aws:s3:::bucket/policy is not valid.",
        ),
        (
            "arn:aws:iam:us-east-1:123456789012:policy/P",
            InvalidInput,
            "ARN arn:aws:iam:us-east-1:123456789012:policy/P is not valid.",
        ),
        (
            "arn:aws:iam::123456789012:policy/P ",
            InvalidInput,
            "ARN arn:aws:iam::123456789012:policy/P  is not valid.",
        ),
        # and the account's partition ("Invalid ARN partition", as AWS answers)
        (
            "arn:aws-cn:iam::aws:policy/AdministratorAccess",
            ValidationError,
            "Invalid ARN partition",
        ),
    ],
)
def test_boundary_arn_that_is_no_iam_policy_arn(
    account: Account, arn: str, error: type[Exception], message: str
) -> None:
    """A boundary ARN that breaks IAM's ARN rules is refused before any lookup, by
    CreateUser (creating nothing) and PutUserPermissionsBoundary alike."""
    account.create_user(user_name="bob")
    before = account.snapshot()
    with pytest.raises(error) as caught:
        account.create_user(user_name="alice", permissions_boundary=arn)
    assert caught.value.message == message  # type: ignore[attr-defined]
    with pytest.raises(error) as caught:
        account.put_user_permissions_boundary(user_name="bob", permissions_boundary=arn)
    assert caught.value.message == message  # type: ignore[attr-defined]
    with pytest.raises(error):
        account.attach_user_policy(user_name="bob", policy_arn=arn)
    assert before == account.snapshot()


def test_list_users_leaves_boundary_out(account: Account) -> None:
    """ListUsers omits PermissionsBoundary; GetUser shows it (SM ListUsers)."""
    account.create_user(user_name="bob", permissions_boundary=ADMIN)
    assert account.list_users().users[0].permissions_boundary is None


def test_boto3_boundary_shape() -> None:
    """boto3: GetUser returns PermissionsBoundary {PermissionsBoundaryType: Policy, …}."""
    with mock_iam():
        iam = boto3_client()
        iam.create_user(UserName="bob", PermissionsBoundary=ADMIN)
        assert iam.get_user(UserName="bob")["User"]["PermissionsBoundary"] == {
            "PermissionsBoundaryType": "Policy",
            "PermissionsBoundaryArn": ADMIN,
        }
        iam.delete_user_permissions_boundary(UserName="bob")
        assert "PermissionsBoundary" not in iam.get_user(UserName="bob")["User"]
        with pytest.raises(ClientError) as raised:
            iam.put_user_permissions_boundary(
                UserName="bob", PermissionsBoundary="arn:aws:iam::123456789012:policy/None"
            )
        assert raised.value.response["Error"]["Code"] == "NoSuchEntity"
