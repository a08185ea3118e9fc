"""Policy simulator behaviour recorded from real AWS in 2026 (radkawar/stackd captures)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from iamcore import Account
from iamcore.errors import InvalidInput
from iamcore.policy.matching import resource_matches
from tests.helpers import allow, deny, policy

ACCOUNT = "123456789012"


def _entry(name: str, values: list[str], key_type: str = "string") -> dict[str, Any]:
    return {"ContextKeyName": name, "ContextKeyValues": values, "ContextKeyType": key_type}


def test_default_resource_is_the_literal_star(account: Account) -> None:
    """O7: with no ResourceArns the simulated resource is the string "*": a statement scoped
    to a specific ARN does not match it (recorded from AWS, 2026: principal_default_resource
    gives implicitDeny for the user's …/a and the group's …/b grants, allowed for Resource
    "*")."""
    account.create_user(user_name="u")
    account.create_group(group_name="g")
    account.add_user_to_group(group_name="g", user_name="u")
    account.put_user_policy(
        user_name="u",
        policy_name="UserInline",
        policy_document=policy(allow("s3:GetObject", "arn:aws:s3:::bucket/a")),
    )
    account.put_group_policy(
        group_name="g",
        policy_name="GroupInline",
        policy_document=policy(allow("s3:PutObject", "arn:aws:s3:::bucket/b")),
    )
    account.put_user_policy(
        user_name="u", policy_name="Any", policy_document=policy(allow("s3:DeleteObject"))
    )
    result = account.simulate_principal_policy(
        policy_source_arn=f"arn:aws:iam::{ACCOUNT}:user/u",
        action_names=["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
    )
    assert [r.eval_decision for r in result.evaluation_results] == [
        "implicitDeny",
        "implicitDeny",
        "allowed",
    ]
    # only patterns that match the text "*" apply
    custom = account.simulate_custom_policy(
        policy_input_list=[policy(allow("s3:GetObject", "arn:aws:s3:::*"))],
        action_names=["s3:GetObject"],
    )
    assert custom.evaluation_results[0].eval_decision == "implicitDeny"


def test_resource_path_star_matches_colons(account: Account) -> None:
    """O9: a "*" in the resource path matches characters including ':' —
    ".../folder/*/object" matches ".../folder/a:b/object" (recorded from AWS, 2026:
    conditions.json resource_wildcard_colon_and_slash)."""
    pattern = "arn:aws:s3:::bucket/folder/*/object"
    assert resource_matches(pattern, "arn:aws:s3:::bucket/folder/a:b/object")
    assert resource_matches("arn:aws:s3:::bucket/folder/*", "arn:aws:s3:::bucket/folder/a:b")
    result = account.simulate_custom_policy(
        policy_input_list=[policy(allow("s3:GetObject", pattern))],
        action_names=["s3:GetObject"],
        resource_arns=["arn:aws:s3:::bucket/folder/a:b/object"],
    )
    assert result.evaluation_results[0].eval_decision == "allowed"


def test_wildcard_action_names_are_evaluated_literally(account: Account) -> None:
    """E4: ActionNames ["s3:*"] is accepted: implicitDeny under an allow of s3:GetObject,
    allowed under an allow-all policy (recorded from AWS, 2026: action_wildcard,
    action_allow_all_wildcard)."""
    narrow = account.simulate_custom_policy(
        policy_input_list=[policy(allow("s3:GetObject"))], action_names=["s3:*"]
    )
    assert narrow.evaluation_results[0].eval_decision == "implicitDeny"
    wide = account.simulate_custom_policy(
        policy_input_list=[policy(allow("*"))], action_names=["s3:*"]
    )
    assert wide.evaluation_results[0].eval_decision == "allowed"


def test_action_without_colon_and_resource_not_an_arn(account: Account) -> None:
    """E5/E6: "GetObject" is InvalidInput "The action is invalid since it is missing names";
    ResourceArns "not-an-arn" / "arn:aws:s3" are InvalidInput "ResourceNames are not in a
    valid ARN format: <value>." (recorded from AWS, 2026)."""
    with pytest.raises(InvalidInput) as raised:
        account.simulate_custom_policy(
            policy_input_list=[policy(allow("*"))], action_names=["GetObject"]
        )
    assert raised.value.message == "The action is invalid since it is missing names"
    for bad in ("not-an-arn", "arn:aws:s3"):
        with pytest.raises(InvalidInput) as raised:
            account.simulate_custom_policy(
                policy_input_list=[policy(allow("*"))],
                action_names=["s3:GetObject"],
                resource_arns=[bad],
            )
        assert raised.value.message == f"ResourceNames are not in a valid ARN format: {bad}."
    empty_suffix = account.simulate_custom_policy(
        policy_input_list=[policy(allow("s3:GetObject"))], action_names=["s3:"]
    )
    assert empty_suffix.evaluation_results[0].eval_decision == "implicitDeny"


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (
            [_entry("stack:test", ["a", "b"])],
            "Context key string expected a single value, but received 2.",
        ),
        (
            [_entry("stack:test", ["a"]), _entry("STACK:TEST", ["b"])],
            "Duplicate context key: STACK:TEST.",
        ),
        (
            [_entry("stack:test", ["a"]), _entry("stack:test", ["b"])],
            "Duplicate context key: stack:test.",
        ),
        (
            [_entry("stack:test", ["abc"], "numeric")],
            "Invalid context value for key stack:test: expected numeric format.",
        ),
        (
            [_entry("stack:test", ["NaN"], "numeric")],
            "Invalid context value for key stack:test: expected numeric format.",
        ),
        (
            [_entry("stack:test", ["tomorrow"], "date")],
            "Invalid context value for key stack:test: expected DateTime format.",
        ),
        (
            [_entry("stack:test", ["999.0.0.1"], "ip")],
            "Invalid context value for key stack:test: expected IP address.",
        ),
        (
            [_entry("stack:test", ["!base64"], "binary")],
            "Invalid context value for key stack:test: expected base-64 encoded binary format.",
        ),
    ],
)
def test_context_entry_errors(account: Account, entries: list[Any], message: str) -> None:
    """E7, E9, M3: ContextEntries errors with AWS's texts (recorded from AWS, 2026)."""
    with pytest.raises(InvalidInput) as raised:
        account.simulate_custom_policy(
            policy_input_list=[policy(allow("*"))],
            action_names=["s3:GetObject"],
            context_entries=entries,
        )
    assert raised.value.message == message


def test_boolean_context_values_other_than_true_are_false(account: Account) -> None:
    """E8: a boolean key with "yes" or "1" is accepted and read as false; "TRUE" is true
    (recorded from AWS, 2026: context_boolean_bad, context_boolean_used_yes/_1)."""
    text = policy(allow("s3:GetObject", Condition={"Bool": {"stack:test": "true"}}))

    def decide(value: str) -> str:
        result = account.simulate_custom_policy(
            policy_input_list=[text],
            action_names=["s3:GetObject"],
            context_entries=[_entry("stack:test", [value], "boolean")],
        )
        return result.evaluation_results[0].eval_decision

    assert [decide(v) for v in ("yes", "1", "TRUE", "true")] == [
        "implicitDeny",
        "implicitDeny",
        "allowed",
        "allowed",
    ]


def test_simulator_error_texts(account: Account) -> None:
    """E10, E19, M3: AWS's texts for a bad marker, a bare-account ResourceOwner, two
    boundary policies, a missing or unsuitable caller (recorded from AWS, 2026)."""
    base: dict[str, Any] = {
        "policy_input_list": [policy(allow("*"))],
        "action_names": ["s3:GetObject"],
    }
    bucket = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/bob"},
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::b/*",
                }
            ],
        }
    )
    cases: list[tuple[dict[str, Any], str]] = [
        ({"marker": "not-a-simulation-marker"}, "Invalid marker for pagination."),
        (
            {
                "resource_owner": ACCOUNT,
                "resource_policy": bucket,
                "caller_arn": f"arn:aws:iam::{ACCOUNT}:user/bob",
                "resource_arns": ["arn:aws:s3:::b/k"],
            },
            f"'{ACCOUNT}' is not a valid as a Resource Owner.",
        ),
        (
            {"resource_owner": "not-an-arn"},
            "'not-an-arn' is not a valid as a Resource Owner.",
        ),
        (
            {"permissions_boundary_policy_input_list": [policy(allow("*"))] * 2},
            "The list of Permissions Boundary policies cannot exceed 1 items.",
        ),
        (
            {"resource_policy": bucket, "resource_arns": ["arn:aws:s3:::b/k"]},
            "Invalid caller - Caller cannot be null or empty.",
        ),
        (
            {"caller_arn": f"arn:aws:iam::{ACCOUNT}:root"},
            "Invalid caller - Caller must be an IAM user, role or group in this context.",
        ),
        (
            {"resource_policy": bucket, "caller_arn": f"arn:aws:iam::{ACCOUNT}:user/bob"},
            "Invalid Entity Arn: * does not clearly define entity type and name.",
        ),
        (
            {
                "resource_policy": bucket.replace("arn:aws:s3:::b/*", "*"),
                "caller_arn": f"arn:aws:iam::{ACCOUNT}:user/bob",
                "resource_arns": ["arn:aws:s3:::b/k"],
            },
            "ResourceNames are not in a valid ARN format: *.",
        ),
    ]
    for extra, message in cases:
        with pytest.raises(InvalidInput) as raised:
            account.simulate_custom_policy(**base, **extra)
        assert raised.value.message == message


def test_group_source_with_resource_policy_needs_no_caller(account: Account) -> None:
    """E14: SimulatePrincipalPolicy on a group with a ResourcePolicy and no CallerArn is
    simulated (recorded from AWS, 2026: principal_resource_policy_group, allowed)."""
    account.create_group(group_name="devs")
    account.put_group_policy(
        group_name="devs", policy_name="p", policy_document=policy(allow("s3:GetObject"))
    )
    bucket = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::b/*",
                }
            ],
        }
    )
    result = account.simulate_principal_policy(
        policy_source_arn=f"arn:aws:iam::{ACCOUNT}:group/devs",
        action_names=["s3:GetObject"],
        resource_arns=["arn:aws:s3:::b/k"],
        resource_policy=bucket,
    )
    assert result.evaluation_results[0].eval_decision == "allowed"


def test_source_policy_types_of_boundary_and_resource_policy(account: Account) -> None:
    """V3: boundary statements are reported with SourcePolicyType "Permissions Boundary
    Policy", ResourcePolicy statements with "Resource Policy" (recorded from AWS, 2026:
    boundary_deny, composition_cross_identity)."""
    result = account.simulate_custom_policy(
        policy_input_list=[policy(deny("s3:GetObject"))],
        permissions_boundary_policy_input_list=[policy(deny("s3:GetObject"))],
        action_names=["s3:GetObject"],
    )
    types = {m.source_policy_type for m in result.evaluation_results[0].matched_statements}
    assert types == {"IAM Policy", "Permissions Boundary Policy"}
    account.create_user(user_name="bob")
    account.create_policy(policy_name="b", policy_document=policy(deny("s3:GetObject")))
    account.put_user_permissions_boundary(
        user_name="bob", permissions_boundary=f"arn:aws:iam::{ACCOUNT}:policy/b"
    )
    attached = account.simulate_principal_policy(
        policy_source_arn=f"arn:aws:iam::{ACCOUNT}:user/bob", action_names=["s3:GetObject"]
    )
    (match,) = attached.evaluation_results[0].matched_statements
    assert (match.source_policy_id, match.source_policy_type) == (
        "b",
        "Permissions Boundary Policy",
    )


def test_principal_results_carry_organizations_detail(account: Account) -> None:
    """P4: every SimulatePrincipalPolicy result has OrganizationsDecisionDetail
    {"AllowedByOrganizations": true}, except when PolicyExclusionList leaves out "scp";
    SimulateCustomPolicy without SCPs has none (recorded from AWS, 2026)."""
    account.create_user(user_name="bob")
    arn = f"arn:aws:iam::{ACCOUNT}:user/bob"
    result = account.simulate_principal_policy(policy_source_arn=arn, action_names=["s3:A"])
    detail = result.evaluation_results[0].organizations_decision_detail
    assert detail is not None
    assert detail.allowed_by_organizations is True
    excluded = account.simulate_principal_policy(
        policy_source_arn=arn, action_names=["s3:A"], policy_exclusion_list=[{"PolicyType": "scp"}]
    )
    assert excluded.evaluation_results[0].organizations_decision_detail is None
    custom = account.simulate_custom_policy(
        policy_input_list=[policy(allow("*"))], action_names=["s3:A"]
    )
    assert custom.evaluation_results[0].organizations_decision_detail is None


def _conditional(key: str, value: str) -> str:
    return policy(allow("s3:GetObject", Condition={"StringEquals": {key: value}}))


def test_context_keys_filled_from_the_caller(account: Account) -> None:
    """O12, V4: the simulator fills aws:PrincipalArn, aws:username and aws:PrincipalAccount
    from a user CallerArn (or SimulatePrincipalPolicy's user), aws:PrincipalAccount also
    without a caller; aws:userid is not filled and is reported missing; a group caller gets
    no aws:username; a given ContextEntries value wins (recorded from AWS, 2026:
    composition_custom_auto_*, composition_principal_auto_*,
    composition_no_caller_value_account_*, composition_group_auto_username)."""
    user_arn = f"arn:aws:iam::{ACCOUNT}:user/simulation/sim"

    def custom(key: str, value: str, **extra: Any) -> tuple[str, tuple[str, ...]]:
        result = account.simulate_custom_policy(
            policy_input_list=[_conditional(key, value)],
            action_names=["s3:GetObject"],
            resource_arns=["arn:aws:s3:::b/a"],
            **extra,
        )
        only = result.evaluation_results[0]
        return only.eval_decision, only.missing_context_values

    assert custom("aws:PrincipalArn", user_arn, caller_arn=user_arn) == ("allowed", ())
    assert custom("aws:username", "sim", caller_arn=user_arn) == ("allowed", ())
    assert custom("aws:PrincipalAccount", ACCOUNT, caller_arn=user_arn) == ("allowed", ())
    assert custom("aws:PrincipalAccount", ACCOUNT) == ("allowed", ())
    assert custom("aws:PrincipalAccount", "anonymous") == (
        "implicitDeny",
        ("aws:PrincipalAccount",),
    )
    assert custom("aws:userid", "AIDASIMFIXTURE0000000", caller_arn=user_arn) == (
        "implicitDeny",
        ("aws:userid",),
    )
    assert custom("aws:username", "g", caller_arn=f"arn:aws:iam::{ACCOUNT}:group/g") == (
        "implicitDeny",
        ("aws:username",),
    )
    assert custom(
        "aws:username",
        "override",
        caller_arn=user_arn,
        context_entries=[_entry("aws:username", ["override"])],
    ) == ("allowed", ())
    account.create_user(user_name="sim", path="/simulation/")
    principal = account.simulate_principal_policy(
        policy_source_arn=user_arn,
        action_names=["s3:GetObject"],
        policy_input_list=[_conditional("aws:username", "sim")],
    )
    assert principal.evaluation_results[0].eval_decision == "allowed"


def test_missing_context_values_keep_case_variants(account: Account) -> None:
    """V4: keys that differ only in case are each listed (recorded from AWS, 2026:
    missing_case_variants gives ["stack:missing", "STACK:missing"])."""
    text = policy(
        allow("s3:GetObject", Condition={"StringEquals": {"stack:missing": "a"}}),
        allow("s3:PutObject", Condition={"StringEquals": {"STACK:missing": "b"}}),
    )
    result = account.simulate_custom_policy(
        policy_input_list=[text], action_names=["s3:GetObject"]
    )
    assert result.evaluation_results[0].missing_context_values == (
        "stack:missing",
        "STACK:missing",
    )
