"""iamcore.testing.properties: property checks for policy authors, with shrunk counterexamples."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamcore import Account
from iamcore.policy import Request, evaluate
from iamcore.testing import strategies as iam_st
from iamcore.testing.properties import (
    Permissions,
    PolicyPropertyViolation,
    assert_always_allows,
    assert_never_allows,
    assert_not_more_permissive,
    permissions_of,
    simulator_result,
)

ACCOUNT = "123456789012"
USERS = f"arn:aws:iam::{ACCOUNT}:user/*"
BOUNDARY = f"arn:aws:iam::{ACCOUNT}:policy/DeveloperBoundary"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


def _doc(*statements: dict[str, object]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, indent=2)


READ_IAM = _doc({"Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"})


# -- policies given directly -----------------------------------------------------------


def test_never_allows_passes_when_nothing_matches() -> None:
    """An Allow for iam:Get*/List* never allows iam:CreateUser (UG "Policy evaluation logic")."""
    assert_never_allows(READ_IAM, action="iam:CreateUser", max_examples=50)


def test_never_allows_reports_the_smallest_request() -> None:
    """A failing check names the action, resource, decision and statement like the simulator."""
    policy = _doc(
        {"Effect": "Allow", "Action": "iam:*User*", "Resource": USERS},
    )
    with pytest.raises(PolicyPropertyViolation) as caught:
        assert_never_allows(
            policy, action="iam:DeleteUserPermissionsBoundary", resource=USERS, max_examples=200
        )
    violation = caught.value
    result = violation.results[0]
    assert result["EvalActionName"] == "iam:DeleteUserPermissionsBoundary"
    assert result["EvalDecision"] == "allowed"
    assert result["ContextEntries"] == []  # shrunk: no context needed
    assert len(result["EvalResourceName"]) == len(USERS)  # shrunk to a one-character name
    simulated = (
        Account()
        .simulate_custom_policy(
            policy_input_list=[policy],
            action_names=[result["EvalActionName"]],
            resource_arns=[result["EvalResourceName"]],
        )
        .evaluation_results[0]
    )
    assert [
        {
            "SourcePolicyId": "PolicyInputList.1",
            "SourcePolicyType": "IAM Policy",
            "StartPosition": {"Line": m.start_position.line, "Column": m.start_position.column},
            "EndPosition": {"Line": m.end_position.line, "Column": m.end_position.column},
        }
        for m in simulated.matched_statements
    ] == result["MatchedStatements"]
    message = str(violation)
    for term in ("EvalActionName:", "EvalResourceName:", "EvalDecision:     allowed"):
        assert term in message
    assert "SourcePolicyId: PolicyInputList.1" in message


def test_counterexample_keeps_only_the_context_that_matters() -> None:
    """Shrinking drops every context key except the one the Allow's condition needs."""
    policy = _doc(
        {
            "Effect": "Allow",
            "Action": "iam:CreateAccessKey",
            "Resource": "*",
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}},
        }
    )
    with pytest.raises(PolicyPropertyViolation) as caught:
        assert_never_allows(policy, action="iam:CreateAccessKey", max_examples=500)
    entries = caught.value.results[0]["ContextEntries"]
    assert entries == [
        {
            "ContextKeyName": "aws:MultiFactorAuthPresent",
            "ContextKeyValues": ["false"],
            "ContextKeyType": "boolean",
        }
    ]


def test_explicit_deny_wins_in_never_allows() -> None:
    """A matching Deny overrides the Allow, so the check passes (UG "Policy evaluation logic")."""
    policy = _doc(
        {"Effect": "Allow", "Action": "iam:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "iam:*PermissionsBoundary", "Resource": "*"},
    )
    assert_never_allows(policy, action="iam:*PermissionsBoundary", max_examples=100)


def test_boundary_limits_policies() -> None:
    """A permissions boundary that does not allow an action blocks it (UG "Permissions
    boundaries")."""
    admin = _doc({"Effect": "Allow", "Action": "*", "Resource": "*"})
    s3_only = _doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})
    assert_never_allows(admin, action="iam:*", boundary=s3_only, max_examples=100)
    with pytest.raises(PolicyPropertyViolation) as caught:
        assert_never_allows(admin, action="iam:GetUser", boundary=READ_IAM, max_examples=20)
    detail = caught.value.results[0]["PermissionsBoundaryDecisionDetail"]
    assert detail == {"AllowedByPermissionsBoundary": True}


def test_always_allows() -> None:
    """assert_always_allows passes for granted actions and names a denied one."""
    assert_always_allows(READ_IAM, action=["iam:GetUser", "iam:ListUsers"], max_examples=50)
    with pytest.raises(PolicyPropertyViolation, match="iam:CreateUser is implicitDeny"):
        assert_always_allows(READ_IAM, action="iam:CreateUser", max_examples=20)


def test_not_more_permissive_accepts_an_equivalent_rewrite() -> None:
    """A tidier rewrite (one statement, two actions) grants nothing the original does not."""
    original = _doc(
        {"Effect": "Allow", "Action": "iam:GetUser", "Resource": USERS},
        {"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"},
    )
    rewrite = _doc(
        {"Effect": "Allow", "Action": ["iam:GetUser", "iam:ListUsers"], "Resource": "*"}
    )
    requests = iam_st.requests(
        actions=["iam:GetUser", "iam:ListUsers", "iam:CreateUser"],
        resources=[USERS, f"arn:aws:iam::{ACCOUNT}:group/*", "*"],
    )
    assert_not_more_permissive(original, rewrite, requests=requests, max_examples=200)
    with pytest.raises(PolicyPropertyViolation) as caught:
        assert_not_more_permissive(rewrite, original, requests=requests, max_examples=200)
    a, b = caught.value.results
    assert a["EvalActionName"] == "iam:GetUser"
    assert a["EvalResourceName"].startswith(f"arn:aws:iam::{ACCOUNT}:group/")
    assert (a["EvalDecision"], b["EvalDecision"]) == ("allowed", "implicitDeny")
    assert "Policy A:" in str(caught.value)
    assert "Policy B:" in str(caught.value)


def test_policy_arguments_are_checked() -> None:
    """user_name goes with an account, boundary= with policies."""
    with pytest.raises(TypeError):
        permissions_of(READ_IAM, "alice")
    with pytest.raises(TypeError):
        permissions_of(Account())
    with pytest.raises(TypeError):
        permissions_of(Account(), "alice", boundary=READ_IAM)


# -- an account's users ----------------------------------------------------------------


def _account() -> Account:
    account = Account(ACCOUNT)
    account.create_user(user_name="alice", tags=[{"Key": "team", "Value": "dev"}])
    account.create_group(group_name="readers")
    account.add_user_to_group(group_name="readers", user_name="alice")
    account.put_group_policy(group_name="readers", policy_name="Read", policy_document=READ_IAM)
    self_service = _doc(
        {
            "Effect": "Allow",
            "Action": "iam:*AccessKey*",
            "Resource": f"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}",
        }
    )
    account.put_user_policy(user_name="alice", policy_name="Self", policy_document=self_service)
    return account


def test_account_user_policies_include_groups() -> None:
    """A user's effective permissions include the policies of the user's groups."""
    account = _account()
    assert_always_allows(account, "alice", action="iam:ListUsers", max_examples=20)
    with pytest.raises(PolicyPropertyViolation) as caught:
        assert_never_allows(account, "alice", action="iam:GetUser", max_examples=20)
    statement = caught.value.results[0]["MatchedStatements"][0]
    assert (statement["SourcePolicyId"], statement["SourcePolicyType"]) == ("Read", "group")


def test_principal_keys_come_from_the_user() -> None:
    """aws:username is the caller's own name: a drawn 'bob' cannot reach bob's keys."""
    account = _account()
    requests = iam_st.requests(
        actions=["iam:CreateAccessKey"],
        resources=[f"arn:aws:iam::{ACCOUNT}:user/bob"],
        context={"aws:username": st.sampled_from(["bob", "alice"])},
    )
    assert_never_allows(account, "alice", requests=requests, max_examples=50)
    own = iam_st.requests(
        actions=["iam:CreateAccessKey"], resources=[f"arn:aws:iam::{ACCOUNT}:user/alice"]
    )
    assert_always_allows(account, "alice", requests=own, max_examples=20)


def test_user_boundary_is_applied() -> None:
    """Attaching AdministratorAccess under a read-only boundary grants no writes."""
    account = _account()
    account.attach_user_policy(user_name="alice", policy_arn=ADMIN)
    with pytest.raises(PolicyPropertyViolation):
        assert_never_allows(account, "alice", action="iam:CreateUser", max_examples=20)
    account.put_user_permissions_boundary(
        user_name="alice", permissions_boundary="arn:aws:iam::aws:policy/IAMReadOnlyAccess"
    )
    assert_never_allows(account, "alice", action="iam:CreateUser", max_examples=50)


def test_permissions_are_taken_when_asked() -> None:
    """permissions_of reads the account once; later changes do not affect the result."""
    account = _account()
    before = permissions_of(account, "alice")
    account.remove_user_from_group(group_name="readers", user_name="alice")
    assert before(Request("iam:GetUser")).allowed
    assert not permissions_of(account, "alice")(Request("iam:GetUser")).allowed


@given(data=st.data(), account=iam_st.accounts(account_id=ACCOUNT))
@settings(max_examples=25)
@pytest.mark.property
def test_permissions_agree_with_simulate_principal_policy(
    data: st.DataObject, account: Account
) -> None:
    """A user's decision equals SimulatePrincipalPolicy's EvalDecision for the same context
    (the literal "*" resource without ResourceArns, as the simulator reads it)."""
    users = account.list_users().users
    if not users:
        return
    user = data.draw(st.sampled_from(users))
    decide = permissions_of(account, user.user_name)
    request = decide.complete(data.draw(iam_st.requests(account_id=ACCOUNT)))
    evaluation = (
        evaluate(
            request,
            decide.identity,
            decide.boundary,
            principal_arn=decide.principal_arn,
            literal_star=True,
        )
        if request.resource == "*"
        else decide(request)
    )
    expected = simulator_result(request, evaluation)
    extra = {} if request.resource == "*" else {"resource_arns": [request.resource]}
    simulated = account.simulate_principal_policy(
        policy_source_arn=user.arn,
        action_names=[request.action],
        context_entries=expected["ContextEntries"],
        **extra,
    ).evaluation_results[0]
    assert expected["EvalDecision"] == simulated.eval_decision


@given(document=iam_st.policy_documents(), request=iam_st.requests())
@settings(max_examples=60)
@pytest.mark.property
def test_policies_agree_with_simulate_custom_policy(document: str, request: Request) -> None:
    """A policy's decision equals SimulateCustomPolicy's EvalDecision for the same request.
    Without ResourceArns the simulator's resource is the literal "*" (recorded from AWS,
    2026): only statements whose Resource matches the text "*" apply, as evaluate(...,
    literal_star=True) reads it."""
    decide = permissions_of(document)
    evaluation = (
        evaluate(decide.complete(request), decide.identity, decide.boundary, literal_star=True)
        if request.resource == "*"
        else decide(request)
    )
    expected = simulator_result(request, evaluation)
    extra = {} if request.resource == "*" else {"resource_arns": [request.resource]}
    simulated = (
        Account()
        .simulate_custom_policy(
            policy_input_list=[document],
            action_names=[request.action],
            context_entries=expected["ContextEntries"],
            **extra,
        )
        .evaluation_results[0]
    )
    assert expected["EvalDecision"] == simulated.eval_decision
    assert isinstance(decide, Permissions)


# -- the worked example of docs/how-to/property-based-policies.md ---------------------

DEVELOPER_BOUNDARY = _doc(
    {
        "Effect": "Allow",
        "Action": ["s3:*", "ec2:Describe*", "iam:Get*", "iam:List*"],
        "Resource": "*",
    }
)
FLAWED_ADMIN = _doc(
    {
        "Sid": "CreateUsersWithTheBoundary",
        "Effect": "Allow",
        "Action": "iam:CreateUser",
        "Resource": USERS,
        "Condition": {"StringEquals": {"iam:PermissionsBoundary": BOUNDARY}},
    },
    {
        "Sid": "ManageUsers",
        "Effect": "Allow",
        "Action": ["iam:Get*", "iam:List*", "iam:*User*", "iam:*AccessKey*", "iam:*LoginProfile"],
        "Resource": USERS,
    },
    {
        "Sid": "ManagePolicies",
        "Effect": "Allow",
        "Action": ["iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"],
        "Resource": f"arn:aws:iam::{ACCOUNT}:policy/*",
    },
)
FIXED_ADMIN = _doc(
    {
        "Sid": "CreateOrChangeUsersOnlyWithTheBoundary",
        "Effect": "Allow",
        "Action": ["iam:CreateUser", "iam:PutUserPermissionsBoundary"],
        "Resource": USERS,
        "Condition": {"StringEquals": {"iam:PermissionsBoundary": BOUNDARY}},
    },
    {
        "Sid": "ManageUsers",
        "Effect": "Allow",
        "Action": [
            "iam:Get*",
            "iam:List*",
            "iam:UpdateUser",
            "iam:DeleteUser",
            "iam:TagUser",
            "iam:UntagUser",
            "iam:*AccessKey*",
            "iam:*LoginProfile",
        ],
        "Resource": USERS,
    },
    {
        "Sid": "ManageTeamPolicies",
        "Effect": "Allow",
        "Action": ["iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"],
        "Resource": f"arn:aws:iam::{ACCOUNT}:policy/team/*",
    },
    {
        "Sid": "NeverTouchTheBoundary",
        "Effect": "Deny",
        "Action": [
            "iam:DeleteUserPermissionsBoundary",
            "iam:CreatePolicyVersion",
            "iam:SetDefaultPolicyVersion",
            "iam:DeletePolicy",
            "iam:DeletePolicyVersion",
        ],
        "Resource": [USERS, BOUNDARY],
    },
)


def _delegated(admin_policy: str) -> Account:
    account = Account(ACCOUNT)
    account.create_policy(policy_name="DeveloperBoundary", policy_document=DEVELOPER_BOUNDARY)
    admin = account.create_policy(
        policy_name="DelegatedUserAdmin", policy_document=admin_policy
    ).policy
    account.create_user(user_name="delegated-admin")
    account.attach_user_policy(user_name="delegated-admin", policy_arn=admin.arn)
    return account


def _escalations() -> st.SearchStrategy[Request]:
    """Every way the delegated admin could give a user more than the boundary allows."""
    not_the_boundary = st.none() | st.sampled_from([ADMIN, f"arn:aws:iam::{ACCOUNT}:policy/Other"])
    return st.one_of(
        iam_st.requests(
            actions=["iam:DeleteUserPermissionsBoundary", "iam:PutUserPolicy"], resources=[USERS]
        ),
        iam_st.requests(
            actions=["iam:CreateUser", "iam:PutUserPermissionsBoundary"],
            resources=[USERS],
            context={"iam:PermissionsBoundary": not_the_boundary},
        ),
        iam_st.requests(
            actions=["iam:AttachUserPolicy"], resources=[USERS], context={"iam:PolicyARN": ADMIN}
        ),
        iam_st.requests(
            actions=[
                "iam:CreatePolicyVersion",
                "iam:SetDefaultPolicyVersion",
                "iam:DeletePolicy",
                "iam:DeletePolicyVersion",
            ],
            resources=[BOUNDARY],
        ),
    )


def test_flawed_delegated_admin_can_escape_the_boundary() -> None:
    """The property test finds that iam:*User* lets the admin remove a user's boundary."""
    account = _delegated(FLAWED_ADMIN)
    with pytest.raises(PolicyPropertyViolation) as caught:
        assert_never_allows(account, "delegated-admin", requests=_escalations())
    result = caught.value.results[0]
    escalations = {
        "iam:DeleteUserPermissionsBoundary",
        "iam:PutUserPolicy",
        "iam:PutUserPermissionsBoundary",
        "iam:AttachUserPolicy",
        "iam:CreatePolicyVersion",
        "iam:SetDefaultPolicyVersion",
    }
    assert result["EvalActionName"] in escalations
    # shrunk: a one-character user name, or the boundary policy itself
    assert result["EvalResourceName"] in {f"arn:aws:iam::{ACCOUNT}:user/0", BOUNDARY}
    assert [s["SourcePolicyId"] for s in result["MatchedStatements"]] == ["DelegatedUserAdmin"]
    # and the escalation is real: the admin really can do it when IAM enforces policies
    account.create_user(user_name="dev", permissions_boundary=BOUNDARY)
    with account.enforcing(), account.acting_as("delegated-admin"):
        account.delete_user_permissions_boundary(user_name="dev")
    assert account.get_user(user_name="dev").user.permissions_boundary is None


def test_fixed_delegated_admin_cannot_escape_the_boundary() -> None:
    """With the fixed policy no escalation is allowed, and creating bounded users still is."""
    account = _delegated(FIXED_ADMIN)
    assert_never_allows(account, "delegated-admin", requests=_escalations())
    assert_always_allows(
        account,
        "delegated-admin",
        action=["iam:CreateUser", "iam:PutUserPermissionsBoundary"],
        resource=USERS,
        requests=iam_st.requests(context={"iam:PermissionsBoundary": BOUNDARY}),
        max_examples=100,
    )
