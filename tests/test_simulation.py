"""Policy simulation: SimulateCustomPolicy, SimulatePrincipalPolicy, GetContextKeysFor…Policy."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st

from iamcore import Account
from iamcore.errors import InvalidInput, NoSuchEntity
from iamcore.mock import mock_iam
from tests.helpers import allow, boto3_client, deny, policy

ACCOUNT = "123456789012"


# -- SimulateCustomPolicy ------------------------------------------------------


def test_custom_allowed_and_implicit_deny(account: Account) -> None:
    """SimulateCustomPolicy: one result per action; allowed lists the allow, implicitDeny none."""
    result = account.simulate_custom_policy(
        policy_input_list=[policy(allow("s3:GetObject"))],
        action_names=["s3:GetObject", "s3:PutObject"],
    )
    got, put = result.evaluation_results
    assert (got.eval_action_name, got.eval_decision, got.eval_resource_name) == (
        "s3:GetObject",
        "allowed",
        "*",
    )
    assert [m.source_policy_id for m in got.matched_statements] == ["PolicyInputList.1"]
    assert got.matched_statements[0].source_policy_type == "IAM Policy"
    assert (put.eval_decision, put.matched_statements) == ("implicitDeny", ())
    assert got.eval_decision_details is None
    assert got.permissions_boundary_decision_detail is None
    assert got.resource_specific_results == ()


def test_custom_explicit_deny_lists_only_denies(account: Account) -> None:
    """SimulateCustomPolicy: when a deny wins, MatchedStatements holds only the deny statements."""
    result = account.simulate_custom_policy(
        policy_input_list=[policy(allow("s3:*")), policy(deny("s3:DeleteObject"))],
        action_names=["s3:DeleteObject"],
    )
    only = result.evaluation_results[0]
    assert only.eval_decision == "explicitDeny"
    assert [m.source_policy_id for m in only.matched_statements] == ["PolicyInputList.2"]


def test_statement_positions_are_reported(account: Account) -> None:
    """StartPosition is just after the '[' before the statement, EndPosition just after its '}'."""
    text = (
        '{"Version": "2012-10-17",\n "Statement": [\n'
        '  {"Effect": "Allow", "Action": "*", "Resource": "*"}\n ]}'
    )
    match = (
        account.simulate_custom_policy(policy_input_list=[text], action_names=["ec2:RunInstances"])
        .evaluation_results[0]
        .matched_statements[0]
    )
    assert match.start_position is not None
    assert match.end_position is not None
    assert (match.start_position.line, match.start_position.column) == (2, 16)
    assert (match.end_position.line, match.end_position.column) == (3, 54)


def test_resource_arns_give_resource_specific_results(account: Account) -> None:
    """ResourceArns: per-resource results; the top decision is the most restrictive one, and
    the top MatchedStatements list every resource's matches even when the aggregate is
    implicitDeny (recorded from AWS, 2026: custom_two_resources_mixed)."""
    result = account.simulate_custom_policy(
        policy_input_list=[policy(allow("s3:GetObject", "arn:aws:s3:::pub/*"))],
        action_names=["s3:GetObject"],
        resource_arns=["arn:aws:s3:::pub/a", "arn:aws:s3:::priv/a"],
    )
    only = result.evaluation_results[0]
    assert only.eval_decision == "implicitDeny"
    assert only.eval_decision_details == {}
    assert [
        (r.eval_resource_name, r.eval_resource_decision) for r in only.resource_specific_results
    ] == [
        ("arn:aws:s3:::pub/a", "allowed"),
        ("arn:aws:s3:::priv/a", "implicitDeny"),
    ]
    assert [m.source_policy_id for m in only.matched_statements] == ["PolicyInputList.1"]
    assert only.resource_specific_results[0].matched_statements[0].source_policy_id == (
        "PolicyInputList.1"
    )


def test_eval_resource_name_one_resource_or_the_arn_template(account: Account) -> None:
    """EvalResourceName: the resource's own ARN when one is simulated (as captures of real
    simulations show), the ARN template of the action's resource type for several."""
    one = account.simulate_custom_policy(
        policy_input_list=[policy(allow("iam:CreateUser"))],
        action_names=["iam:CreateUser"],
        resource_arns=[f"arn:aws:iam::{ACCOUNT}:user/bob"],
    )
    assert one.evaluation_results[0].eval_resource_name == f"arn:aws:iam::{ACCOUNT}:user/bob"
    several = account.simulate_custom_policy(
        policy_input_list=[policy(allow("iam:CreateUser"))],
        action_names=["iam:CreateUser"],
        resource_arns=[f"arn:aws:iam::{ACCOUNT}:user/bob", f"arn:aws:iam::{ACCOUNT}:user/eve"],
    )
    assert several.evaluation_results[0].eval_resource_name == (
        "arn:${Partition}:iam::${Account}:user/${UserNameWithPath}"
    )


@pytest.mark.parametrize(
    ("key_type", "values", "operator", "expected"),
    [
        ("string", ["blue"], {"StringEquals": {"aws:PrincipalTag/team": "blue"}}, "allowed"),
        (
            "stringList",
            ["a", "b"],
            {"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}},
            "allowed",
        ),
        ("numeric", ["5"], {"NumericLessThan": {"s3:max-keys": "10"}}, "allowed"),
        (
            "numericList",
            ["5", "50"],
            {"ForAnyValue:NumericGreaterThan": {"s3:max-keys": "10"}},
            "allowed",
        ),
        ("boolean", ["false"], {"Bool": {"aws:SecureTransport": "true"}}, "implicitDeny"),
        ("booleanList", ["true"], {"Bool": {"aws:SecureTransport": "true"}}, "allowed"),
        ("ip", ["10.1.2.3"], {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, "allowed"),
        ("ipList", ["192.168.0.1"], {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, "implicitDeny"),
        ("binary", ["aGVsbG8="], {"BinaryEquals": {"custom:key": "aGVsbG8="}}, "allowed"),
        ("binaryList", ["aGVsbG8="], {"BinaryEquals": {"custom:key": "d29ybGQ="}}, "implicitDeny"),
        (
            "date",
            ["2026-01-01T00:00:00Z"],
            {"DateLessThan": {"aws:CurrentTime": "2027-01-01T00:00:00Z"}},
            "allowed",
        ),
        (
            "dateList",
            ["2028-01-01T00:00:00Z"],
            {"DateLessThan": {"aws:CurrentTime": "2027-01-01T00:00:00Z"}},
            "implicitDeny",
        ),
    ],
)
def test_context_entries_of_every_type(
    account: Account, key_type: str, values: list[str], operator: dict[str, Any], expected: str
) -> None:
    """ContextEntries: every ContextKeyType is read as its type and used by conditions."""
    key = next(iter(next(iter(operator.values()))))
    result = account.simulate_custom_policy(
        policy_input_list=[policy(allow("s3:ListBucket", Condition=operator))],
        action_names=["s3:ListBucket"],
        context_entries=[
            {"ContextKeyName": key, "ContextKeyValues": values, "ContextKeyType": key_type}
        ],
    )
    assert result.evaluation_results[0].eval_decision == expected
    assert result.evaluation_results[0].missing_context_values == ()


def test_missing_context_values_and_no_filled_in_keys(account: Account) -> None:
    """MissingContextValues: keys the policies use but ContextEntries lack; none are filled in."""
    result = account.simulate_custom_policy(
        policy_input_list=[
            policy(allow("s3:GetObject", Condition={"StringEquals": {"aws:username": "bob"}}))
        ],
        action_names=["s3:GetObject"],
    )
    only = result.evaluation_results[0]
    assert (only.eval_decision, only.missing_context_values) == ("implicitDeny", ("aws:username",))


_TWO_KEYS = policy(
    allow(
        "s3:ListBucket",
        Resource="arn:aws:s3:::example-bucket",
        Condition={"StringLike": {"aws:PrincipalTag/allowed_service": "s3"}},
    ),
    allow("s3:GetObject", Resource="arn:aws:s3:::example-bucket/${aws:username}"),
)


def test_missing_context_values_name_keys_of_every_statement(account: Account) -> None:
    """MissingContextValues lists every key the simulated policies use and the context
    lacks, also from statements for other actions: simulating s3:ListBucket against this
    policy lists aws:username too (boto/boto3#3111, a user's report of AWS's answer)."""
    result = account.simulate_custom_policy(
        policy_input_list=[_TWO_KEYS], action_names=["s3:ListBucket"]
    )
    assert result.evaluation_results[0].missing_context_values == (
        "aws:PrincipalTag/allowed_service",
        "aws:username",
    )
    supplied = account.simulate_custom_policy(
        policy_input_list=[_TWO_KEYS],
        action_names=["s3:ListBucket"],
        context_entries=[
            {
                "ContextKeyName": "aws:username",
                "ContextKeyValues": ["bob"],
                "ContextKeyType": "string",
            }
        ],
    )
    assert supplied.evaluation_results[0].missing_context_values == (
        "aws:PrincipalTag/allowed_service",
    )


def test_missing_context_values_with_listed_resources(account: Account) -> None:
    """With ResourceArns the missing keys are on each ResourceSpecificResult and on the
    EvaluationResult too (recorded from AWS, 2026: missing_relevant lists stack:missing at
    both levels); an allowed result lists none (missing_with_other_allow_*)."""
    result = account.simulate_custom_policy(
        policy_input_list=[_TWO_KEYS],
        action_names=["s3:ListBucket"],
        resource_arns=["arn:aws:s3:::example-bucket"],
    )
    (only,) = result.evaluation_results
    assert only.eval_decision == "implicitDeny"
    assert only.missing_context_values == ("aws:PrincipalTag/allowed_service", "aws:username")
    (specific,) = only.resource_specific_results
    assert specific.missing_context_values == ("aws:PrincipalTag/allowed_service", "aws:username")
    allowed = account.simulate_custom_policy(
        policy_input_list=[_TWO_KEYS, policy(allow("s3:ListBucket"))],
        action_names=["s3:ListBucket"],
        resource_arns=["arn:aws:s3:::example-bucket"],
    )
    (granted,) = allowed.evaluation_results
    assert granted.eval_decision == "allowed"
    assert granted.missing_context_values == ()
    assert granted.resource_specific_results[0].missing_context_values == ()


def test_bad_context_value_is_invalid_input(account: Account) -> None:
    """ContextEntries: a value that is not of its ContextKeyType is InvalidInput."""
    with pytest.raises(InvalidInput):
        account.simulate_custom_policy(
            policy_input_list=[policy(allow("s3:*"))],
            action_names=["s3:GetObject"],
            context_entries=[
                {
                    "ContextKeyName": "s3:max-keys",
                    "ContextKeyValues": ["x"],
                    "ContextKeyType": "numeric",
                }
            ],
        )


def test_boundary_input_limits(account: Account) -> None:
    """PermissionsBoundaryPolicyInputList: the boundary limits, never grants; detail reported."""
    result = account.simulate_custom_policy(
        policy_input_list=[policy(allow(["s3:*", "iam:CreateUser"]))],
        permissions_boundary_policy_input_list=[policy(allow("s3:*"))],
        action_names=["s3:GetObject", "iam:CreateUser", "ec2:RunInstances"],
    )
    s3, iam, ec2 = result.evaluation_results
    assert (
        s3.eval_decision,
        s3.permissions_boundary_decision_detail.allowed_by_permissions_boundary,
    ) == (  # type: ignore[union-attr]
        "allowed",
        True,
    )
    assert iam.eval_decision == "implicitDeny"
    assert iam.permissions_boundary_decision_detail.allowed_by_permissions_boundary is False  # type: ignore[union-attr]
    assert ec2.eval_decision == "implicitDeny"
    with pytest.raises(InvalidInput):
        account.simulate_custom_policy(
            policy_input_list=[policy(allow("s3:*"))],
            permissions_boundary_policy_input_list=[policy(allow("s3:*"))] * 2,
            action_names=["s3:GetObject"],
        )


def test_resource_policy_grants_to_the_caller(account: Account) -> None:
    """ResourcePolicy: a same-account grant naming the caller allows without an identity allow."""
    bucket_policy = policy(
        allow(
            "s3:GetObject",
            "arn:aws:s3:::b/*",
            Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:user/bob"},
        )
    )
    result = account.simulate_custom_policy(
        policy_input_list=[policy(allow("ec2:*"))],
        action_names=["s3:GetObject"],
        resource_arns=["arn:aws:s3:::b/k"],
        resource_policy=bucket_policy,
        caller_arn=f"arn:aws:iam::{ACCOUNT}:user/bob",
    )
    only = result.evaluation_results[0]
    assert only.eval_decision == "allowed"
    assert only.matched_statements[0].source_policy_type == "Resource Policy"
    with pytest.raises(InvalidInput, match="Caller cannot be null or empty"):
        account.simulate_custom_policy(
            policy_input_list=[policy(allow("ec2:*"))],
            action_names=["s3:GetObject"],
            resource_policy=bucket_policy,
        )


def test_custom_input_errors(account: Account) -> None:
    """SimulateCustomPolicy (recorded from AWS, 2026): an action name without a colon and a
    malformed input policy are InvalidInput with AWS's texts; a wildcard action name and an
    unknown ResourceHandlingOption (no ResourceArns) are accepted."""
    with pytest.raises(
        InvalidInput, match=re.escape("The action is invalid since it is missing names")
    ):
        account.simulate_custom_policy(
            policy_input_list=[policy(allow("s3:*"))], action_names=["GetObject"]
        )
    for bad in ("{nope", '{"Version": "2099-01-01", "Statement": []}'):
        with pytest.raises(
            InvalidInput, match=re.escape("Policy input list item 1 has invalid content")
        ):
            account.simulate_custom_policy(policy_input_list=[bad], action_names=["s3:GetObject"])
    result = account.simulate_custom_policy(
        policy_input_list=[policy(allow("s3:*"))],
        action_names=["s3:GetObject"],
        resource_handling_option="NotAScenario",
    )
    assert result.evaluation_results[0].eval_decision == "allowed"


def test_organizations_scps(account: Account) -> None:
    """OrderedOrganizationPolicyInputList: every SCP level must allow; an SCP deny is explicit."""
    full = policy(allow("*"))
    no_ec2 = policy(allow("*"), deny("ec2:*"))
    result = account.simulate_custom_policy(
        policy_input_list=[policy(allow(["s3:*", "ec2:*"]))],
        action_names=["s3:GetObject", "ec2:RunInstances"],
        ordered_organization_policy_input_list=[
            {"ServiceControlPolicyInputList": [full]},
            {"ServiceControlPolicyInputList": [no_ec2]},
        ],
    )
    s3, ec2 = result.evaluation_results
    assert s3.eval_decision == "allowed"
    assert s3.organizations_decision_detail.allowed_by_organizations is True  # type: ignore[union-attr]
    assert ec2.eval_decision == "explicitDeny"
    assert ec2.organizations_decision_detail.allowed_by_organizations is False  # type: ignore[union-attr]


@settings(max_examples=10)
@given(count=st.integers(1, 9), page_size=st.integers(1, 4))
def test_results_page(count: int, page_size: int) -> None:
    """MaxItems/Marker page through the evaluation results in action order."""
    account = Account()
    actions = [f"s3:Action{index}" for index in range(count)]
    seen: list[str] = []
    marker = None
    while True:
        kwargs: dict[str, Any] = {"max_items": page_size}
        if marker is not None:
            kwargs["marker"] = marker
        page = account.simulate_custom_policy(
            policy_input_list=[policy(allow("s3:*"))], action_names=actions, **kwargs
        )
        seen += [r.eval_action_name for r in page.evaluation_results]
        if not page.is_truncated:
            break
        marker = page.marker
    assert seen == actions


# -- SimulatePrincipalPolicy -----------------------------------------------------


def make_user(account: Account) -> str:
    account.create_user(user_name="bob")
    account.create_group(group_name="devs")
    account.add_user_to_group(group_name="devs", user_name="bob")
    account.put_user_policy(
        user_name="bob", policy_name="own", policy_document=policy(allow("s3:GetObject"))
    )
    account.put_group_policy(
        group_name="devs", policy_name="team", policy_document=policy(allow("ec2:*"))
    )
    account.attach_group_policy(
        group_name="devs", policy_arn="arn:aws:iam::aws:policy/IAMReadOnlyAccess"
    )
    return f"arn:aws:iam::{ACCOUNT}:user/bob"


def test_principal_uses_user_and_group_policies(account: Account) -> None:
    """SimulatePrincipalPolicy: the user's inline and attached policies and its groups' count.
    MatchedStatements name an inline policy <kind>_<owner>_<policy>, as a real simulation
    names a role's ("role_<role>_<policy>"), and a managed policy by its name."""
    arn = make_user(account)
    result = account.simulate_principal_policy(
        policy_source_arn=arn,
        action_names=["s3:GetObject", "ec2:RunInstances", "iam:ListUsers", "iam:CreateUser"],
    )
    decisions = {r.eval_action_name: r.eval_decision for r in result.evaluation_results}
    assert decisions == {
        "s3:GetObject": "allowed",
        "ec2:RunInstances": "allowed",
        "iam:ListUsers": "allowed",
        "iam:CreateUser": "implicitDeny",
    }
    sources = {
        r.eval_action_name: [m.source_policy_id for m in r.matched_statements]
        for r in result.evaluation_results
    }
    assert sources["s3:GetObject"] == ["user_bob_own"]
    assert sources["ec2:RunInstances"] == ["group_devs_team"]
    assert sources["iam:ListUsers"] == ["IAMReadOnlyAccess"]


def test_principal_boundary_and_inputs(account: Account) -> None:
    """SimulatePrincipalPolicy: the user's boundary applies; a boundary input replaces it."""
    arn = make_user(account)
    account.put_user_permissions_boundary(
        user_name="bob", permissions_boundary="arn:aws:iam::aws:policy/IAMReadOnlyAccess"
    )
    result = account.simulate_principal_policy(
        policy_source_arn=arn, action_names=["s3:GetObject", "iam:GetUser"]
    )
    s3, get_user = result.evaluation_results
    assert s3.eval_decision == "implicitDeny"
    assert s3.permissions_boundary_decision_detail.allowed_by_permissions_boundary is False  # type: ignore[union-attr]
    assert get_user.eval_decision == "allowed"
    replaced = account.simulate_principal_policy(
        policy_source_arn=arn,
        action_names=["s3:GetObject"],
        permissions_boundary_policy_input_list=[policy(allow("s3:*"))],
    )
    assert replaced.evaluation_results[0].eval_decision == "allowed"
    extra = account.simulate_principal_policy(
        policy_source_arn=arn,
        action_names=["iam:GetUser"],
        policy_input_list=[policy(deny("iam:*"))],
    )
    only = extra.evaluation_results[0]
    assert only.eval_decision == "explicitDeny"
    assert [m.source_policy_id for m in only.matched_statements] == ["PolicyInputList.1"]


def test_principal_group_source(account: Account) -> None:
    """SimulatePrincipalPolicy on a group: only the group's policies."""
    make_user(account)
    result = account.simulate_principal_policy(
        policy_source_arn=f"arn:aws:iam::{ACCOUNT}:group/devs",
        action_names=["s3:GetObject", "ec2:RunInstances"],
    )
    assert [r.eval_decision for r in result.evaluation_results] == ["implicitDeny", "allowed"]


def test_principal_exclusions(account: Account) -> None:
    """PolicyExclusionList: leave policies out by type, ARN (wildcards) or inline identifier."""
    arn = make_user(account)

    def decisions(*exclusions: dict[str, Any]) -> list[str]:
        result = account.simulate_principal_policy(
            policy_source_arn=arn,
            action_names=["s3:GetObject", "ec2:RunInstances", "iam:ListUsers"],
            policy_exclusion_list=list(exclusions),
        )
        return [r.eval_decision for r in result.evaluation_results]

    assert decisions({"PolicyType": "inline"}) == ["implicitDeny", "implicitDeny", "allowed"]
    assert decisions({"PolicyArn": "arn:aws:iam::aws:policy/IAM*"}) == [
        "allowed",
        "allowed",
        "implicitDeny",
    ]
    assert decisions(
        {
            "InlinePolicyIdentifier": {
                "PolicyName": "team",
                "AttachmentType": "group",
                "AttachmentName": "DEVS",
            }
        }
    ) == ["allowed", "implicitDeny", "allowed"]


def test_principal_errors(account: Account) -> None:
    """SimulatePrincipalPolicy (recorded from AWS, 2026): an unknown user, group or role is
    NoSuchEntity "Unable to retrieve specified IAM entity."; the root, an assumed-role
    session or a non-ARN is InvalidInput "Invalid ARN provided in the request: <arn>";
    another account's user is InvalidInput "Invalid Policy Source Arn: …"."""
    for kind in ("user", "group", "role"):
        with pytest.raises(NoSuchEntity, match=r"Unable to retrieve specified IAM entity\.$"):
            account.simulate_principal_policy(
                policy_source_arn=f"arn:aws:iam::{ACCOUNT}:{kind}/ghost",
                action_names=["s3:GetObject"],
            )
    for arn in (
        f"arn:aws:iam::{ACCOUNT}:root",
        f"arn:aws:sts::{ACCOUNT}:assumed-role/fictional/session",
        "not-an-arn-but-long-enough",
    ):
        with pytest.raises(
            InvalidInput, match=re.escape(f"Invalid ARN provided in the request: {arn}")
        ):
            account.simulate_principal_policy(policy_source_arn=arn, action_names=["s3:GetObject"])
    with pytest.raises(
        InvalidInput,
        match=re.escape(
            f"Invalid Policy Source Arn: caller's account {ACCOUNT} does not have access to "
            "policies in account 999999999999."
        ),
    ):
        account.simulate_principal_policy(
            policy_source_arn="arn:aws:iam::999999999999:user/bob", action_names=["s3:GetObject"]
        )


def test_principal_found_by_name_whatever_the_path(account: Account) -> None:
    """SimulatePrincipalPolicy finds the user or group by name and ignores the path in
    PolicySourceArn (recorded from AWS, 2026: principal_user_wrong_path,
    principal_group_wrong_path)."""
    account.create_user(user_name="bob", path="/eng/")
    account.put_user_policy(
        user_name="bob", policy_name="own", policy_document=policy(allow("s3:GetObject"))
    )
    account.create_group(group_name="devs", path="/eng/")
    account.put_group_policy(
        group_name="devs", policy_name="team", policy_document=policy(allow("ec2:*"))
    )
    for arn, action in (
        (f"arn:aws:iam::{ACCOUNT}:user/bob", "s3:GetObject"),
        (f"arn:aws:iam::{ACCOUNT}:user/wrong-path/bob", "s3:GetObject"),
        (f"arn:aws:iam::{ACCOUNT}:group/wrong-path/devs", "ec2:RunInstances"),
    ):
        result = account.simulate_principal_policy(policy_source_arn=arn, action_names=[action])
        assert result.evaluation_results[0].eval_decision == "allowed"


# -- context keys --------------------------------------------------------------------


def test_context_keys_for_custom_and_principal(account: Account) -> None:
    """GetContextKeysFor…Policy: condition keys and policy-variable keys, unique, sorted."""
    text = policy(
        allow(
            "s3:*",
            "arn:aws:s3:::b/${aws:username}/*",
            Condition={"StringEquals": {"aws:PrincipalTag/team": "x", "s3:prefix": "y"}},
        )
    )
    keys = account.get_context_keys_for_custom_policy(policy_input_list=[text])
    assert keys.context_key_names == ("aws:PrincipalTag/team", "aws:username", "s3:prefix")
    account.create_user(user_name="bob")
    account.put_user_policy(user_name="bob", policy_name="p", policy_document=text)
    principal = account.get_context_keys_for_principal_policy(
        policy_source_arn=f"arn:aws:iam::{ACCOUNT}:user/bob",
        policy_input_list=[
            policy(allow("ec2:*", Condition={"Bool": {"aws:SecureTransport": "true"}}))
        ],
    )
    assert principal.context_key_names == (
        "aws:PrincipalTag/team",
        "aws:SecureTransport",
        "aws:username",
        "s3:prefix",
    )


# -- through boto3 ----------------------------------------------------------------------


def test_boto3_simulation_and_paginator() -> None:
    """boto3: simulate_* answer like AWS; the SimulatePrincipalPolicy paginator works."""
    with mock_iam() as account:
        arn = make_user(account)
        iam = boto3_client()
        results = [
            r
            for page in iam.get_paginator("simulate_principal_policy").paginate(
                PolicySourceArn=arn,
                ActionNames=["s3:GetObject", "s3:PutObject", "ec2:RunInstances"],
                PaginationConfig={"PageSize": 1},
            )
            for r in page["EvaluationResults"]
        ]
        assert [r["EvalDecision"] for r in results] == ["allowed", "implicitDeny", "allowed"]
        assert results[0]["MatchedStatements"][0]["SourcePolicyId"] == "user_bob_own"
        custom = iam.simulate_custom_policy(
            PolicyInputList=[policy(allow("s3:*"))],
            ActionNames=["s3:GetObject"],
            ResourceArns=["arn:aws:s3:::b/k"],
            ContextEntries=[
                {
                    "ContextKeyName": "aws:username",
                    "ContextKeyValues": ["x"],
                    "ContextKeyType": "string",
                }
            ],
        )["EvaluationResults"][0]
        assert custom["EvalDecision"] == "allowed"
        assert custom["ResourceSpecificResults"][0]["EvalResourceName"] == "arn:aws:s3:::b/k"
        with pytest.raises(ClientError) as raised:
            iam.simulate_principal_policy(
                PolicySourceArn=f"arn:aws:iam::{ACCOUNT}:user/ghost", ActionNames=["s3:GetObject"]
            )
        assert raised.value.response["Error"]["Code"] == "NoSuchEntity"
