"""Enforcement: calls made by IAM users are authorized like AWS does (identity ∩ boundary).

The canonical scenario is the delegated administrator of UG "Permissions
boundaries for IAM entities" (Delegating responsibility to others using
permissions boundaries): María may create users only with the
XCompanyBoundaries boundary, and can neither remove it nor change the
boundary policies.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st

from iamcore import Account
from iamcore.errors import AccessDenied, EntityAlreadyExists, NoSuchEntity
from iamcore.mock import mock_iam
from iamcore.testing import FixedClock, seeded_entropy
from tests.helpers import boto3_client, client_as, policy

ACCOUNT = "123456789012"
XCOMPANY = f"arn:aws:iam::{ACCOUNT}:policy/XCompanyBoundaries"
DELEGATED = f"arn:aws:iam::{ACCOUNT}:policy/DelegatedUserBoundary"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"

X_COMPANY_BOUNDARIES = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ServiceBoundaries",
            "Effect": "Allow",
            "Action": ["s3:*", "cloudwatch:*", "ec2:*", "dynamodb:*"],
            "Resource": "*",
        },
        {
            "Sid": "AllowIAMConsoleForCredentials",
            "Effect": "Allow",
            "Action": ["iam:ListUsers", "iam:GetAccountPasswordPolicy"],
            "Resource": "*",
        },
        {
            "Sid": "AllowManageOwnPasswordAndAccessKeys",
            "Effect": "Allow",
            "Action": [
                "iam:*AccessKey*",
                "iam:ChangePassword",
                "iam:GetUser",
                "iam:*ServiceSpecificCredential*",
                "iam:*SigningCertificate*",
            ],
            "Resource": ["arn:aws:iam::*:user/${aws:username}"],
        },
        {
            "Sid": "DenyS3Logs",
            "Effect": "Deny",
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"],
        },
    ],
}

DELEGATED_USER_BOUNDARY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "CreateOrChangeOnlyWithBoundary",
            "Effect": "Allow",
            "Action": [
                "iam:CreateUser",
                "iam:DeleteUserPolicy",
                "iam:AttachUserPolicy",
                "iam:DetachUserPolicy",
                "iam:PutUserPermissionsBoundary",
                "iam:PutUserPolicy",
            ],
            "Resource": "*",
            "Condition": {"StringEquals": {"iam:PermissionsBoundary": XCOMPANY}},
        },
        {
            "Sid": "CloudWatchAndOtherIAMTasks",
            "Effect": "Allow",
            "Action": [
                "cloudwatch:*",
                "iam:GetUser",
                "iam:ListUsers",
                "iam:DeleteUser",
                "iam:UpdateUser",
                "iam:CreateAccessKey",
                "iam:CreateLoginProfile",
                "iam:DeleteLoginProfile",
                "iam:GetAccountPasswordPolicy",
                "iam:GetLoginProfile",
                "iam:ListGroups",
                "iam:ListGroupsForUser",
                "iam:CreateGroup",
                "iam:GetGroup",
                "iam:DeleteGroup",
                "iam:UpdateGroup",
                "iam:CreatePolicy",
                "iam:DeletePolicy",
                "iam:DeletePolicyVersion",
                "iam:GetPolicy",
                "iam:GetPolicyVersion",
                "iam:GetUserPolicy",
                "iam:GetRolePolicy",
                "iam:ListAccessKeys",
                "iam:ListPolicies",
                "iam:ListPolicyVersions",
                "iam:ListEntitiesForPolicy",
                "iam:ListUserPolicies",
                "iam:ListAttachedUserPolicies",
                "iam:SetDefaultPolicyVersion",
                "iam:SimulatePrincipalPolicy",
                "iam:SimulateCustomPolicy",
            ],
            "NotResource": f"arn:aws:iam::{ACCOUNT}:user/Maria",
        },
        {
            "Sid": "NoBoundaryPolicyEdit",
            "Effect": "Deny",
            "Action": [
                "iam:CreatePolicyVersion",
                "iam:DeletePolicy",
                "iam:DeletePolicyVersion",
                "iam:SetDefaultPolicyVersion",
            ],
            "Resource": [XCOMPANY, DELEGATED],
        },
        {
            "Sid": "NoBoundaryUserDelete",
            "Effect": "Deny",
            "Action": "iam:DeleteUserPermissionsBoundary",
            "Resource": "*",
        },
    ],
}

DELEGATED_USER_PERMISSIONS = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "IAM", "Effect": "Allow", "Action": "iam:*", "Resource": "*"}],
}


def setup_delegated_admin(account: Account) -> tuple[str, str]:
    """The root user builds María's account; returns her access key ID and secret."""
    account.create_policy(
        policy_name="XCompanyBoundaries", policy_document=json.dumps(X_COMPANY_BOUNDARIES)
    )
    account.create_policy(
        policy_name="DelegatedUserBoundary", policy_document=json.dumps(DELEGATED_USER_BOUNDARY)
    )
    account.create_user(user_name="Maria", permissions_boundary=DELEGATED)
    account.put_user_policy(
        user_name="Maria",
        policy_name="DelegatedUserPermissions",
        policy_document=json.dumps(DELEGATED_USER_PERMISSIONS),
    )
    key = account.create_access_key(user_name="Maria").access_key
    return key.access_key_id, key.secret_access_key


def denied(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    error = raised.value.response["Error"]
    assert error["Code"] == "AccessDenied"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    message: str = error["Message"]
    return message


def test_delegated_admin_creates_users_only_with_the_boundary() -> None:
    """UG "Permissions boundaries": María may CreateUser only with XCompanyBoundaries attached."""
    with mock_iam(enforce=True) as account:
        maria = boto3_client(*setup_delegated_admin(account))
        maria.create_user(UserName="alice", PermissionsBoundary=XCOMPANY)
        assert account.get_user(user_name="alice").user.permissions_boundary is not None
        message = denied(maria.create_user, UserName="bob")
        assert message == (
            f"User: arn:aws:iam::{ACCOUNT}:user/Maria is not authorized to perform: "
            f"iam:CreateUser on resource: arn:aws:iam::{ACCOUNT}:user/bob because no "
            "permissions boundary allows the iam:CreateUser action"
        )
        denied(maria.create_user, UserName="bob", PermissionsBoundary=ADMIN)
        assert [u.user_name for u in account.list_users().users] == ["alice", "Maria"]


def test_delegated_admin_cannot_remove_or_edit_the_boundary() -> None:
    """UG "Permissions boundaries": no boundary removal, no edits to the boundary policies."""
    with mock_iam(enforce=True) as account:
        maria = boto3_client(*setup_delegated_admin(account))
        maria.create_user(UserName="alice", PermissionsBoundary=XCOMPANY)
        message = denied(maria.delete_user_permissions_boundary, UserName="alice")
        assert message.endswith(
            "with an explicit deny in a permissions boundary: "
            f"arn:aws:iam::{ACCOUNT}:policy/DelegatedUserBoundary"
        )
        for call, kwargs in [
            (
                maria.create_policy_version,
                {"PolicyDocument": json.dumps(DELEGATED_USER_PERMISSIONS)},
            ),
            (maria.delete_policy, {}),
            (maria.set_default_policy_version, {"VersionId": "v1"}),
        ]:
            for target in (XCOMPANY, DELEGATED):
                denied(call, PolicyArn=target, **kwargs)
        denied(maria.put_user_permissions_boundary, UserName="alice", PermissionsBoundary=ADMIN)
        # she cannot free herself either; swapping her boundary for XCompanyBoundaries
        # is allowed by CreateOrChangeOnlyWithBoundary but only narrows her
        denied(maria.delete_user_permissions_boundary, UserName="Maria")
        denied(maria.put_user_permissions_boundary, UserName="Maria", PermissionsBoundary=ADMIN)
        maria.put_user_permissions_boundary(UserName="Maria", PermissionsBoundary=XCOMPANY)
        denied(maria.create_user, UserName="carol", PermissionsBoundary=XCOMPANY)
        boundary = account.get_user(user_name="alice").user.permissions_boundary
        assert boundary is not None
        assert boundary.permissions_boundary_arn == XCOMPANY


def test_delegated_admin_grants_only_within_the_boundary() -> None:
    """Attaching AdministratorAccess to a bounded user grants only what the boundary allows."""
    with mock_iam(enforce=True) as account:
        maria = boto3_client(*setup_delegated_admin(account))
        maria.create_user(UserName="alice", PermissionsBoundary=XCOMPANY)
        maria.attach_user_policy(UserName="alice", PolicyArn=ADMIN)
        account.create_user(user_name="legacy")  # created by the root user, no boundary
        denied(maria.attach_user_policy, UserName="legacy", PolicyArn=ADMIN)
        maria.put_user_permissions_boundary(UserName="legacy", PermissionsBoundary=XCOMPANY)
        maria.attach_user_policy(UserName="legacy", PolicyArn=ADMIN)
        s3 = account.is_authorized(
            user_name="alice", action="s3:GetObject", resource="arn:aws:s3:::b/k"
        )
        assert s3.allowed
        logs = account.is_authorized(
            user_name="alice", action="s3:GetObject", resource="arn:aws:s3:::logs/k"
        )
        assert logs.decision == "explicitDeny"
        iam = account.is_authorized(
            user_name="alice", action="iam:CreateUser", resource=f"arn:aws:iam::{ACCOUNT}:user/x"
        )
        assert (iam.decision, iam.allowed_by_permissions_boundary) == ("implicitDeny", False)
        # alice, now holding AdministratorAccess, still cannot create users
        alice = client_as(account, "alice")
        denied(alice.create_user, UserName="mallory")
        assert alice.get_user()["User"]["UserName"] == "alice"  # her own user: allowed


def test_root_and_unsigned_calls_are_never_checked() -> None:
    """The root user (unsigned or ``testing`` credentials) is not subject to policies."""
    with mock_iam(enforce=True) as account:
        setup_delegated_admin(account)
        boto3_client().create_user(UserName="free")
        assert account.get_user(user_name="free").user.permissions_boundary is None


def test_enforcement_is_opt_in() -> None:
    """mock_iam() without enforce=True lets a user's calls through, as before."""
    with mock_iam() as account:
        account.create_user(user_name="bob")
        bob = client_as(account, "bob")
        bob.create_user(UserName="made-by-bob")
        assert account.get_user(user_name="made-by-bob").user.user_name == "made-by-bob"


def test_enforcement_follows_the_innermost_mock_of_the_account() -> None:
    """Nested mocks of one account: the innermost decides whether a user's calls are
    checked, and leaving it restores the outer one's choice."""
    account = Account()
    account.create_user(user_name="bob")
    bob = client_as(account, "bob")
    with mock_iam(account):
        bob.create_user(UserName="one")  # outer mock: not enforcing
        with mock_iam(account, enforce=True):
            with pytest.raises(ClientError) as denied_call:
                bob.create_user(UserName="two")
            assert denied_call.value.response["Error"]["Code"] == "AccessDenied"
            with mock_iam(account):
                bob.create_user(UserName="three")
            with pytest.raises(ClientError):
                bob.create_user(UserName="four")
        bob.create_user(UserName="five")
    names = {user.user_name for user in account.list_users().users}
    assert names == {"bob", "one", "three", "five"}


def test_no_policy_and_explicit_deny_messages() -> None:
    """AccessDenied names the policy type that refused: no allow, or an explicit deny."""
    with mock_iam(enforce=True) as account:
        account.create_user(user_name="bob")
        bob = client_as(account, "bob")
        message = denied(bob.list_users)
        assert message == (
            f"User: arn:aws:iam::{ACCOUNT}:user/bob is not authorized to perform: "
            f"iam:ListUsers on resource: arn:aws:iam::{ACCOUNT}:user/ because no "
            "identity-based policy allows the "
            "iam:ListUsers action"
        )
        account.attach_user_policy(
            user_name="bob", policy_arn="arn:aws:iam::aws:policy/IAMReadOnlyAccess"
        )
        assert bob.list_users()["Users"]
        account.put_user_policy(
            user_name="bob",
            policy_name="deny",
            policy_document=policy({"Effect": "Deny", "Action": "iam:ListUsers", "Resource": "*"}),
        )
        assert denied(bob.list_users).endswith("with an explicit deny in an identity-based policy")


def test_denials_name_resources_as_aws_does() -> None:
    """AccessDenied resource names seen in real answers: access-key calls without UserName
    name "user null<caller>" ("… iam:ListAccessKeys on resource: user nullcg-start-user-lab
    because …"; CloudTrail of CreateAccessKey: "user nullweb_admin"); ListVirtualMFADevices
    names "arn:aws:iam::<account>:mfa/"; naming the user gives "user <name>"."""
    with mock_iam(enforce=True) as account:
        account.create_user(user_name="bob")
        bob = client_as(account, "bob")
        for call in (bob.list_access_keys, bob.create_access_key):
            message = denied(call)
            assert " on resource: user nullbob because no identity-based policy allows" in message
        assert " on resource: user bob because " in denied(bob.list_access_keys, UserName="bob")
        assert f" on resource: arn:aws:iam::{ACCOUNT}:mfa/ because " in denied(
            bob.list_virtual_mfa_devices
        )


def test_password_policy_allowance_yields_to_an_explicit_deny() -> None:
    """AllowUsersToChangePassword lets every user read the password policy and change their
    password, as an identity-based allow: an explicit deny still refuses both."""
    with mock_iam(enforce=True) as account:
        account.create_user(user_name="bob")
        account.create_login_profile(user_name="bob", password="Old-pass-123!")
        account.update_account_password_policy(allow_users_to_change_password=True)
        bob = client_as(account, "bob")
        assert bob.get_account_password_policy()["PasswordPolicy"]["AllowUsersToChangePassword"]
        account.put_user_policy(
            user_name="bob",
            policy_name="deny",
            policy_document=policy({"Effect": "Deny", "Action": "iam:*", "Resource": "*"}),
        )
        assert denied(bob.get_account_password_policy).endswith(
            "with an explicit deny in an identity-based policy"
        )
        assert denied(
            bob.change_password, OldPassword="Old-pass-123!", NewPassword="New-pass-456!"
        ).endswith("with an explicit deny in an identity-based policy")


def test_self_service_with_username_variable() -> None:
    """${aws:username} in Resource: a user may manage their own keys and nobody else's."""
    with mock_iam(enforce=True) as account:
        account.create_user(user_name="bob")
        account.create_user(user_name="eve")
        account.put_user_policy(
            user_name="bob",
            policy_name="self",
            policy_document=policy(
                {
                    "Effect": "Allow",
                    "Action": ["iam:*AccessKey*", "iam:GetUser"],
                    "Resource": "arn:aws:iam::*:user/${aws:username}",
                }
            ),
        )
        bob = client_as(account, "bob")
        assert len(bob.list_access_keys()["AccessKeyMetadata"]) == 1  # no UserName: himself
        bob.create_access_key()
        message = denied(bob.create_access_key, UserName="eve")
        assert "on resource: user eve because" in message
        assert account.list_access_keys(user_name="eve").access_key_metadata == ()


def test_group_policies_and_conditions_apply() -> None:
    """Group policies count; conditions see aws:PrincipalTag, aws:RequestTag and aws:TagKeys."""
    with mock_iam(enforce=True) as account:
        account.create_user(user_name="bob", tags=[{"Key": "team", "Value": "blue"}])
        account.create_group(group_name="admins")
        account.add_user_to_group(group_name="admins", user_name="bob")
        account.put_group_policy(
            group_name="admins",
            policy_name="tagged",
            policy_document=policy(
                {
                    "Effect": "Allow",
                    "Action": "iam:CreateUser",
                    "Resource": "*",
                    "Condition": {
                        "StringEquals": {"aws:RequestTag/team": "${aws:PrincipalTag/team}"},
                        "ForAllValues:StringEquals": {"aws:TagKeys": ["team"]},
                    },
                }
            ),
        )
        bob = client_as(account, "bob")
        bob.create_user(UserName="blue1", Tags=[{"Key": "team", "Value": "blue"}])
        denied(bob.create_user, UserName="red1", Tags=[{"Key": "team", "Value": "red"}])
        denied(
            bob.create_user,
            UserName="blue2",
            Tags=[{"Key": "team", "Value": "blue"}, {"Key": "cost", "Value": "1"}],
        )


def test_policy_arn_condition_key() -> None:
    """iam:PolicyARN: a user may attach only the policies a condition names."""
    with mock_iam(enforce=True) as account:
        account.create_user(user_name="bob")
        account.create_user(user_name="target")
        account.put_user_policy(
            user_name="bob",
            policy_name="attach-read-only",
            policy_document=policy(
                {
                    "Effect": "Allow",
                    "Action": "iam:AttachUserPolicy",
                    "Resource": "*",
                    "Condition": {
                        "ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/IAMReadOnlyAccess"}
                    },
                }
            ),
        )
        bob = client_as(account, "bob")
        bob.attach_user_policy(
            UserName="target", PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess"
        )
        denied(bob.attach_user_policy, UserName="target", PolicyArn=ADMIN)


def test_change_password_granted_by_own_policy(account: Account) -> None:
    """ChangePassword: allowed when the user's policies grant iam:ChangePassword on themselves."""
    account.create_user(user_name="bob")
    account.create_login_profile(user_name="bob", password="Old-password-1")
    with account.acting_as("bob"), pytest.raises(AccessDenied):
        account.change_password(old_password="Old-password-1", new_password="New-password-2")
    account.attach_user_policy(
        user_name="bob", policy_arn="arn:aws:iam::aws:policy/IAMUserChangePassword"
    )
    with account.acting_as("bob"):
        account.change_password(old_password="Old-password-1", new_password="New-password-2")


def test_native_enforcing_context(account: Account) -> None:
    """Account.enforcing(): native calls made as a user are authorized; root calls are not."""
    account.create_user(user_name="bob")
    before = account.snapshot()
    with account.enforcing():
        account.create_group(group_name="by-root")
        with account.acting_as("bob"), pytest.raises(AccessDenied):
            account.create_group(group_name="by-bob")
    with account.acting_as("bob"):
        account.create_group(group_name="unenforced")
    assert before != account.snapshot()
    assert [g.group_name for g in account.list_groups().groups] == ["by-root", "unenforced"]


def test_update_user_needs_permission_on_the_new_name(account: Account) -> None:
    """UpdateUser: the caller needs the action on both the old and the new ARN."""
    account.create_user(user_name="bob")
    account.create_user(user_name="old")
    account.put_user_policy(
        user_name="bob",
        policy_name="rename",
        policy_document=policy(
            {
                "Effect": "Allow",
                "Action": "iam:UpdateUser",
                "Resource": f"arn:aws:iam::{ACCOUNT}:user/old",
            }
        ),
    )
    with account.enforcing(), account.acting_as("bob"):
        with pytest.raises(AccessDenied, match="on resource: user new because"):
            account.update_user(user_name="old", new_user_name="new")
        account.update_user(user_name="old", new_path="/")  # same ARN: allowed


CHOICES = st.sampled_from([None, XCOMPANY, DELEGATED, ADMIN])


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["create", "put", "delete", "attach", "edit"]),
            st.integers(0, 4),
            CHOICES,
        ),
        min_size=1,
        max_size=12,
    )
)
def test_delegated_admin_never_creates_unbounded_users(
    steps: list[tuple[str, int, str | None]],
) -> None:
    """Whatever María tries, every user she creates keeps the XCompanyBoundaries boundary."""
    account = Account(clock=FixedClock(), entropy=seeded_entropy(5))
    setup_delegated_admin(account)
    made: list[str] = []
    with account.enforcing(), account.acting_as("Maria"):
        for kind, pick, boundary in steps:
            name = f"u{pick}"
            try:
                if kind == "create":
                    kwargs = {} if boundary is None else {"permissions_boundary": boundary}
                    account.create_user(user_name=name, **kwargs)  # type: ignore[arg-type]
                    made.append(name)
                    assert boundary == XCOMPANY
                elif kind == "put" and boundary is not None:
                    account.put_user_permissions_boundary(
                        user_name=name, permissions_boundary=boundary
                    )
                elif kind == "delete":
                    account.delete_user_permissions_boundary(user_name=name)
                elif kind == "attach":
                    account.attach_user_policy(user_name=name, policy_arn=ADMIN)
                else:
                    account.create_policy_version(
                        policy_arn=XCOMPANY,
                        policy_document=json.dumps(DELEGATED_USER_PERMISSIONS),
                        set_as_default=True,
                    )
            except (AccessDenied, EntityAlreadyExists, NoSuchEntity):
                pass  # refusals are fine; what matters is the state afterwards
    for name in made:
        boundary = account.get_user(user_name=name).user.permissions_boundary
        assert boundary is not None
        assert boundary.permissions_boundary_arn == XCOMPANY
    assert account.get_policy(policy_arn=XCOMPANY).policy.default_version_id == "v1"


def test_long_term_key_context(account: Account) -> None:
    """Request context: no aws:MultiFactorAuthPresent for long-term keys; region us-east-1."""
    account.create_user(user_name="bob")
    account.put_user_policy(
        user_name="bob",
        policy_name="p",
        policy_document=policy(
            {
                "Effect": "Allow",
                "Action": "iam:ListUsers",
                "Resource": "*",
                "Condition": {
                    "StringEquals": {"aws:RequestedRegion": "us-east-1"},
                    "Bool": {"aws:SecureTransport": "true"},
                },
            },
            {
                "Effect": "Deny",
                "Action": "iam:ListGroups",
                "Resource": "*",
                "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
            },
            {"Effect": "Allow", "Action": "iam:ListGroups", "Resource": "*"},
        ),
    )
    assert account.is_authorized(user_name="bob", action="iam:ListUsers").allowed
    groups = account.is_authorized(user_name="bob", action="iam:ListGroups")
    assert groups.decision == "explicitDeny"
    with_mfa = account.is_authorized(
        user_name="bob", action="iam:ListGroups", context={"aws:MultiFactorAuthPresent": True}
    )
    assert with_mfa.allowed


def test_attached_policies_page(account: Account) -> None:
    """ListAttachedUserPolicies: MaxItems/Marker paging by policy name."""
    account.create_user(user_name="bob")
    for name in ("IAMReadOnlyAccess", "IAMUserSSHKeys", "AdministratorAccess"):
        account.attach_user_policy(user_name="bob", policy_arn=f"arn:aws:iam::aws:policy/{name}")
    first = account.list_attached_user_policies(user_name="bob", max_items=2)
    assert [a.policy_name for a in first.attached_policies] == [
        "AdministratorAccess",
        "IAMReadOnlyAccess",
    ]
    rest = account.list_attached_user_policies(user_name="bob", marker=first.marker)
    assert [a.policy_name for a in rest.attached_policies] == ["IAMUserSSHKeys"]


def test_mfa_sessions_set_multi_factor_auth_present(account: Account) -> None:
    """The usual "force MFA" policy (Deny everything BoolIfExists
    aws:MultiFactorAuthPresent false) denies a long-term key, where the key is absent,
    and allows a session authenticated with MFA, where it is true (UG "IAM: Allows
    IAM users to self-manage an MFA device"; AWS global condition keys)."""
    account.create_user(user_name="carol")
    account.put_user_policy(
        user_name="carol",
        policy_name="force-mfa",
        policy_document=policy(
            {"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"},
            {
                "Effect": "Deny",
                "Action": "*",
                "Resource": "*",
                "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
            },
        ),
    )
    with account.enforcing():
        with account.acting_as("carol"), pytest.raises(AccessDenied):
            account.list_users()
        with account.acting_as("carol", mfa_authenticated=True):
            assert [u.user_name for u in account.list_users().users] == ["carol"]


def test_a_signed_request_is_a_long_term_key_even_in_an_mfa_session(account: Account) -> None:
    """A boto3 call signed with one of the user's access keys is a long-term key request
    (no aws:MultiFactorAuthPresent), whatever session the surrounding code acts in."""
    account.create_user(user_name="dave")
    account.put_user_policy(
        user_name="dave",
        policy_name="mfa-only",
        policy_document=policy(
            {
                "Effect": "Allow",
                "Action": "iam:GetUser",
                "Resource": "*",
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
            }
        ),
    )
    with mock_iam(account, enforce=True):
        client = client_as(account, "dave")
        with account.acting_as("dave", mfa_authenticated=True):
            assert account.get_user().user.user_name == "dave"
            with pytest.raises(ClientError) as caught:
                client.get_user()
    assert caught.value.response["Error"]["Code"] == "AccessDenied"


def test_mfa_age_counts_from_the_start_of_the_session(clock: FixedClock) -> None:
    """aws:MultiFactorAuthAge is the seconds since the session was authenticated with MFA
    (AWS global condition keys), so "NumericLessThan 3600" holds for an hour."""
    account = Account(clock=clock, entropy=seeded_entropy(2))
    account.create_user(user_name="erin")
    account.put_user_policy(
        user_name="erin",
        policy_name="recent-mfa",
        policy_document=policy(
            {
                "Effect": "Allow",
                "Action": "iam:ListUsers",
                "Resource": "*",
                "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}},
            }
        ),
    )
    with account.enforcing(), account.acting_as("erin", mfa_authenticated=True):
        clock.advance(timedelta(minutes=59))
        assert account.list_users().users
        clock.advance(timedelta(minutes=2))
        with pytest.raises(AccessDenied):
            account.list_users()
