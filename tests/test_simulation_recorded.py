"""Policy simulator behaviour recorded from real AWS in 2026 (radkawar/stackd captures)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from iamcore import Account
from iamcore.errors import InvalidInput, ValidationError
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
    bucket = policy(
        allow(
            "s3:GetObject",
            "arn:aws:s3:::b/*",
            Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:user/bob"},
        )
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
    bucket = policy(
        allow(
            "s3:GetObject", "arn:aws:s3:::b/*", Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
        )
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
    without a caller; aws:userid matches no value and is reported missing; a group caller gets
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


_USER = f"arn:aws:iam::{ACCOUNT}:user/simulation/stackd-sim-fixture000-composition"
_OBJECT = "arn:aws:s3:::stackd-simulation/a"
_OTHER_OWNER = "arn:aws:iam::999999999999:root"


def _bucket_policy(principal: str) -> str:
    return policy(
        allow("s3:GetObject", "arn:aws:s3:::stackd-simulation/*", Principal={"AWS": principal})
    )


def _composition(
    account: Account,
    identity: list[str],
    principal: str = _USER,
    boundary: str | None = None,
    owner: str | None = None,
) -> tuple[str, dict[str, str] | None, dict[str, str] | None, int]:
    extra: dict[str, Any] = {}
    if boundary is not None:
        extra["permissions_boundary_policy_input_list"] = [boundary]
    if owner is not None:
        extra["resource_owner"] = owner
    result = account.simulate_custom_policy(
        policy_input_list=identity,
        action_names=["s3:GetObject"],
        resource_arns=[_OBJECT],
        caller_arn=_USER,
        resource_policy=_bucket_policy(principal),
        **extra,
    )
    only = result.evaluation_results[0]
    (specific,) = only.resource_specific_results
    return (
        only.eval_decision,
        only.eval_decision_details,
        specific.eval_decision_details,
        len(only.matched_statements),
    )


def test_resource_policy_compositions(account: Account) -> None:
    """P7, O11: recorded from AWS, 2026 (simulation.json, every composition_* case).

    In one account (no ResourceOwner) EvalDecisionDetails is {} and a ResourcePolicy
    grant allows by itself, whether it names the caller or the caller's account root,
    even when the boundary implicitly denies (composition_same_direct_* and
    composition_same_root_*: no_identity, identity, boundary_implicit,
    identity_boundary_implicit allowed; boundary_deny explicitDeny).  With a
    ResourceOwner in another account both sides must allow and EvalDecisionDetails
    gives each side's decision (composition_cross_no_identity, _identity,
    _boundary_allow, _boundary_implicit, _boundary_deny; resource_policy_owner_cross)."""
    grant = policy(allow("s3:GetObject"))
    put_only = policy(allow("s3:PutObject"))
    denying = policy(deny("s3:GetObject"))
    for principal in (_USER, f"arn:aws:iam::{ACCOUNT}:root"):
        for identity, boundary in (
            ([], None),
            ([grant], None),
            ([], put_only),
            ([grant], put_only),
        ):
            decision, details, specific, _ = _composition(account, identity, principal, boundary)
            assert (decision, details, specific) == ("allowed", {}, None)
        decision, details, _, _ = _composition(account, [], principal, denying)
        assert (decision, details) == ("explicitDeny", {})

    # composition_cross_no_identity / resource_policy_owner_cross
    both = {"Resource Policy": "allowed", "IAM Policy": "implicitDeny"}
    assert _composition(account, [], owner=_OTHER_OWNER) == ("implicitDeny", both, both, 0)
    # composition_cross_identity
    allowed = {"Resource Policy": "allowed", "IAM Policy": "allowed"}
    assert _composition(account, [grant], owner=_OTHER_OWNER) == ("allowed", allowed, allowed, 2)
    # composition_cross_boundary_allow / _implicit / _deny
    for boundary, decision, matched in (
        (grant, "allowed", 2),
        (put_only, "implicitDeny", 0),
        (denying, "explicitDeny", 1),
    ):
        expected = {"Permissions Boundary Policy": decision, **allowed}
        assert _composition(account, [grant], boundary=boundary, owner=_OTHER_OWNER) == (
            decision,
            expected,
            expected,
            matched,
        )
    # the same account named as ResourceOwner is not cross-account
    assert _composition(account, [], owner=f"arn:aws:iam::{ACCOUNT}:root")[:2] == ("allowed", {})


def test_resource_policy_root_grant_does_not_change_enforcement() -> None:
    """O11 concerns the simulator only: enforcement keeps reading a grant to the account
    root as a delegation to identity policies (UG "Policy evaluation logic")."""
    from iamcore.policy import Request, SourcedPolicy, evaluate, parse_policy

    document = parse_policy(_bucket_policy(f"arn:aws:iam::{ACCOUNT}:root"), kind="resource")
    request = Request.from_context_entries("s3:GetObject", _OBJECT, [])
    resource = [SourcedPolicy("ResourcePolicy", "Resource Policy", document)]
    assert evaluate(request, [], resource_policies=resource, principal_arn=_USER).decision == (
        "implicitDeny"
    )


def _extra_user(account: Account) -> str:
    account.create_user(user_name="stackd-sim-fixture000-extra-user", path="/simulation/")
    account.create_policy(
        policy_name="stackd-sim-fixture000-extra-managed",
        path="/simulation/",
        policy_document=policy(allow("s3:GetObject")),
    )
    account.attach_user_policy(
        user_name="stackd-sim-fixture000-extra-user",
        policy_arn=f"arn:aws:iam::{ACCOUNT}:policy/simulation/stackd-sim-fixture000-extra-managed",
    )
    account.put_user_policy(
        user_name="stackd-sim-fixture000-extra-user",
        policy_name="ExtraInline",
        policy_document=policy(allow("s3:PutObject")),
    )
    return f"arn:aws:iam::{ACCOUNT}:user/simulation/stackd-sim-fixture000-extra-user"


def _decisions(account: Account, source: str, exclusions: list[dict[str, Any]]) -> list[str]:
    result = account.simulate_principal_policy(
        policy_source_arn=source,
        action_names=["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        resource_arns=[_OBJECT],
        policy_exclusion_list=exclusions,
    )
    return [r.eval_decision for r in result.evaluation_results]


def test_policy_arn_exclusion_takes_the_pathless_arn(account: Account) -> None:
    """O10: a PolicyArn exclusion removes a managed policy only in the pathless form;
    the full ARN (with /simulation/) and a wrong path exclude nothing, and a PolicyArn
    never removes the boundary (recorded from AWS, 2026: principal_extra_exclude_arn_full,
    _pathless, _wrong_path, customer_boundary_full, customer_boundary_pathless,
    principal_dual_use_arn)."""
    source = _extra_user(account)
    name = "stackd-sim-fixture000-extra-managed"
    full = f"arn:aws:iam::{ACCOUNT}:policy/simulation/{name}"
    pathless = f"arn:aws:iam::{ACCOUNT}:policy/{name}"
    wrong = f"arn:aws:iam::{ACCOUNT}:policy/wrong-path/{name}"
    baseline = ["allowed", "allowed", "implicitDeny"]
    assert _decisions(account, source, [{"PolicyArn": full}]) == baseline
    assert _decisions(account, source, [{"PolicyArn": wrong}]) == baseline
    assert _decisions(account, source, [{"PolicyArn": pathless}]) == [
        "implicitDeny",
        "allowed",
        "implicitDeny",
    ]
    # the same policy as the boundary too (customer_boundary_*): the pathless ARN leaves
    # out the attachment, the boundary still applies
    account.put_user_permissions_boundary(
        user_name="stackd-sim-fixture000-extra-user", permissions_boundary=full
    )
    bounded = ["allowed", "implicitDeny", "implicitDeny"]
    assert _decisions(account, source, [{"PolicyArn": full}]) == bounded
    assert _decisions(account, source, [{"PolicyArn": pathless}]) == ["implicitDeny"] * 3


def test_inline_exclusion_wildcards(account: Account) -> None:
    """E17 (the simulator's rule): an inline identifier's AttachmentName may hold one
    wildcard (recorded from AWS, 2026: principal_extra_exclude_inline_owner_prefix
    "stackd-sim-fixture000*" and _owner_question "stackd-sim-fixture000-extra-use?" exclude
    ExtraInline); a wildcard in PolicyName, or two in AttachmentName, is InvalidInput
    "Invalid inline policy exclusion: policyName, attachmentType, and attachmentName are
    required" (_name_prefix, _name_question, _owner_two_stars).

    The service model's pattern for these members refuses any wildcard before the rule
    runs, so the rule is exercised directly here."""
    from iamcore.rules.simulation import simulate_principal_policy

    source = _extra_user(account)

    def run(name: str, owner: str) -> list[str]:
        result = simulate_principal_policy(
            account._state,
            account._context(),
            policy_source_arn=source,
            action_names=("s3:GetObject", "s3:PutObject"),
            resource_arns=(_OBJECT,),
            policy_exclusion_list=(
                {
                    "inline_policy_identifier": {
                        "policy_name": name,
                        "attachment_type": "user",
                        "attachment_name": owner,
                    }
                },
            ),
        )
        return [r.eval_decision for r in result.evaluation_results]

    for owner in ("stackd-sim-fixture000*", "stackd-sim-fixture000-extra-use?"):
        assert run("ExtraInline", owner) == ["allowed", "implicitDeny"]
    for name, owner in (
        ("Extra*", "stackd-sim-fixture000-extra-user"),
        ("ExtraInlin?", "stackd-sim-fixture000-extra-user"),
        ("ExtraInline", "stackd*extra*"),
    ):
        with pytest.raises(InvalidInput) as raised:
            run(name, owner)
        assert raised.value.message == (
            "Invalid inline policy exclusion: policyName, attachmentType, and attachmentName "
            "are required"
        )


def test_empty_scp_level_and_resource_handling_errors(account: Account) -> None:
    """E11, E16: an SCP level with no policy is InvalidInput "Organization policy at index 1
    must contain at least one service control policy" (organizations_empty_level); a
    ResourceHandlingOption scenario with an action that takes none is InvalidInput naming
    the action (resource_handling_other_action); ec2:RunInstances takes it
    (resource_handling_EC2-VPC-EBS) and an unknown option is accepted
    (resource_handling_unknown).  Recorded from AWS, 2026."""
    base: dict[str, Any] = {"policy_input_list": [policy(allow("*"))]}
    with pytest.raises(InvalidInput) as raised:
        account.simulate_custom_policy(
            **base,
            action_names=["s3:GetObject"],
            ordered_organization_policy_input_list=[{"ServiceControlPolicyInputList": []}],
        )
    assert raised.value.message == (
        "Organization policy at index 1 must contain at least one service control policy"
    )
    with pytest.raises(InvalidInput) as raised:
        account.simulate_custom_policy(
            **base,
            action_names=["s3:GetObject"],
            resource_arns=[_OBJECT],
            resource_handling_option="EC2-VPC-EBS",
        )
    assert raised.value.message == (
        "Invalid input resource handling options. Action does not support resource handling "
        "options: s3:GetObject. Please refer to the documentation for more details: "
        "https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html"
    )
    instance = f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/i-0123456789abcdef0"
    ok = account.simulate_custom_policy(
        **base,
        action_names=["ec2:RunInstances"],
        resource_arns=[instance],
        resource_handling_option="EC2-VPC-EBS",
    )
    assert ok.evaluation_results[0].eval_decision == "allowed"
    unknown = account.simulate_custom_policy(
        **base, action_names=["s3:GetObject"], resource_handling_option="fictional"
    )
    assert unknown.evaluation_results[0].eval_decision == "allowed"


def test_missing_context_values_only_for_an_implicit_deny(account: Account) -> None:
    """P5: no MissingContextValues under an unconditional deny or where a negated
    condition allows (recorded from AWS, 2026: missing_with_unconditional_deny,
    missing_negated_relevant give [])."""
    conditional = allow("s3:GetObject", Condition={"StringEquals": {"stack:missing": "yes"}})
    denied = account.simulate_custom_policy(
        policy_input_list=[policy(deny("s3:GetObject")), policy(conditional)],
        action_names=["s3:GetObject"],
    )
    assert denied.evaluation_results[0].eval_decision == "explicitDeny"
    assert denied.evaluation_results[0].missing_context_values == ()
    negated = account.simulate_custom_policy(
        policy_input_list=[
            policy(allow("s3:GetObject", Condition={"StringNotEquals": {"stack:missing": "yes"}}))
        ],
        action_names=["s3:GetObject"],
    )
    assert negated.evaluation_results[0].eval_decision == "allowed"
    assert negated.evaluation_results[0].missing_context_values == ()


def test_userid_is_present_but_matches_nothing(account: Account) -> None:
    """aws:userid is present for a Null test even with no caller, yet equals no value
    (recorded from AWS, 2026: composition_no_caller_presence_userid allowed;
    composition_no_caller_value_userid_stub, _anonymous_principal, _empty and
    composition_custom_auto_userid implicitDeny)."""
    present = account.simulate_custom_policy(
        policy_input_list=[
            policy(allow("s3:GetObject", Condition={"Null": {"aws:userid": "false"}}))
        ],
        action_names=["s3:GetObject"],
    )
    assert present.evaluation_results[0].eval_decision == "allowed"
    for value in ("STUB_PRINCIPAL_FOR_POLICY_SIMULATOR", "ANONYMOUS_PRINCIPAL", ""):
        result = account.simulate_custom_policy(
            policy_input_list=[_conditional("aws:userid", value)], action_names=["s3:GetObject"]
        )
        assert result.evaluation_results[0].eval_decision == "implicitDeny"


def test_simulation_enum_messages_use_the_services_order(account: Account) -> None:
    """M3: the enum value sets in the simulation operations' validation messages are in
    the service's order (recorded from AWS, 2026: context_bad_type "[binary, ipList,
    booleanList, ip, boolean, numericList, dateList, numeric, date, stringList, string,
    binaryList]", exclude_type_bogus "[scp, permission-boundary, aws-managed, inline,
    user-managed, rcp]", exclude_inline_bad_type "[user, role, group]").  AWS also echoes
    the value there ("Value 'bogus' at ..."), which iamcore's messages do not."""
    account.create_user(user_name="u")
    with pytest.raises(ValidationError) as raised:
        account.simulate_custom_policy(
            policy_input_list=[policy(allow("*"))],
            action_names=["s3:GetObject"],
            context_entries=[_entry("stack:test", ["a"], "bogus")],
        )
    assert raised.value.message.endswith(
        "Member must satisfy enum value set: [binary, ipList, booleanList, ip, boolean, "
        "numericList, dateList, numeric, date, stringList, string, binaryList]"
    )
    arn = f"arn:aws:iam::{ACCOUNT}:user/u"
    for exclusion, order in (
        (
            {"PolicyType": "bogus"},
            "[scp, permission-boundary, aws-managed, inline, user-managed, rcp]",
        ),
        (
            {
                "InlinePolicyIdentifier": {
                    "PolicyName": "p",
                    "AttachmentType": "bogus",
                    "AttachmentName": "u",
                }
            },
            "[user, role, group]",
        ),
    ):
        with pytest.raises(ValidationError) as raised:
            account.simulate_principal_policy(
                policy_source_arn=arn,
                action_names=["s3:GetObject"],
                policy_exclusion_list=[exclusion],
            )
        assert raised.value.message.endswith(f"Member must satisfy enum value set: {order}")


@pytest.mark.parametrize(
    ("policy_name", "attachment_name", "outcome"),
    [
        ("ExtraInline", "fixture-user*", "implicitDeny"),  # ..._owner_prefix: excluded
        ("ExtraInline", "fixture-use?", "implicitDeny"),  # ..._owner_question: excluded
        ("Extra*", "fixture-user", "InvalidInput"),  # ..._name_prefix
        ("ExtraInline", "fixture**", "InvalidInput"),  # ..._owner_two_stars
        ("*", "fixture-user", "ValidationError"),  # principal_exclude_inline_wildcard
    ],
)
def test_inline_exclusion_patterns_through_the_api(
    account: Account, policy_name: str, attachment_name: str, outcome: str
) -> None:
    """PolicyExclusionList inline identifiers, called as a user would (recorded from AWS,
    2026, simulation.json principal_extra_exclude_inline_*): one wildcard in the owner's
    name excludes matching owners' policy; a wildcard in the policy name or two in the
    owner's name is InvalidInput; a name with no allowed character is a ValidationError
    against the service's pattern .*[\\w+=,.@-]+.*."""
    account.create_user(user_name="fixture-user")
    account.put_user_policy(
        user_name="fixture-user",
        policy_name="ExtraInline",
        policy_document=policy(allow("s3:PutObject")),
    )
    identifier = {
        "policy_name": policy_name,
        "attachment_type": "user",
        "attachment_name": attachment_name,
    }

    def simulate() -> str:
        return (
            account.simulate_principal_policy(
                policy_source_arn=f"arn:aws:iam::{ACCOUNT}:user/fixture-user",
                action_names=["s3:PutObject"],
                policy_exclusion_list=[{"inline_policy_identifier": identifier}],
            )
            .evaluation_results[0]
            .eval_decision
        )

    if outcome == "implicitDeny":
        assert simulate() == "implicitDeny"
        return
    with pytest.raises(InvalidInput if outcome == "InvalidInput" else ValidationError) as caught:
        simulate()
    if outcome == "ValidationError":
        assert caught.value.message.endswith("regular expression pattern: .*[\\w+=,.@-]+.*")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {"ContextKeyName": "stack:key", "ContextKeyValues": ["yes"]},
            "Context key stack:key has invalid type null.",
        ),
        (
            {"ContextKeyName": "stack:key", "ContextKeyType": "string"},
            "Context values for context key stack:key cannot be null or empty.",
        ),
        (
            _entry("stack:key", [], "string"),
            "Context values for context key stack:key cannot be null or empty.",
        ),
        (
            {"ContextKeyType": "string", "ContextKeyValues": ["yes"]},
            "ContextKeyName cannot be null or empty.",
        ),
        (
            _entry("stack:key", [" 1 "], "numeric"),
            "Invalid context value for key stack:key: expected numeric format.",
        ),
        (
            _entry("stack:key", ["192.0.2.0/24"], "ip"),
            "Invalid context value for key stack:key: expected IP address.",
        ),
        (
            _entry("stack:key", ["fe80::1%eth0"], "ip"),
            "Invalid context value for key stack:key: expected IP address.",
        ),
        (
            _entry("stack:key", ["YR=="], "binary"),
            "Invalid context value for key stack:key: expected base-64 encoded binary format.",
        ),
    ],
)
def test_incomplete_and_malformed_context_entries(
    account: Account, entry: dict[str, Any], message: str
) -> None:
    """Recorded from AWS, 2026 (simulation_inputs.json: input_context_absent_type,
    _absent_values, _empty_scalar, _absent_name, _numeric_4, _ip_1, _ip_3, _binary_4):
    an entry without type or values, or with a value AWS does not read, is InvalidInput
    with AWS's text."""
    with pytest.raises(InvalidInput) as raised:
        account.simulate_custom_policy(
            policy_input_list=[policy(allow("*"))],
            action_names=["s3:GetObject"],
            context_entries=[entry],
        )
    assert raised.value.message == message


def test_empty_context_entry_and_lenient_values(account: Account) -> None:
    """Recorded from AWS, 2026 (simulation_inputs.json: input_context_absent_all,
    input_context_ip_4, input_context_numeric_0/_1/_5, input_context_binary_5): an
    entry with nothing in it is ignored; "192.000.002.1", "+1", "1e9999" and an empty
    binary value are accepted."""
    for entry in (
        {},
        _entry("stack:key", ["192.000.002.1"], "ip"),
        _entry("stack:key", ["+1"], "numeric"),
        _entry("stack:key", ["1e9999"], "numeric"),
        _entry("stack:key", [""], "binary"),
    ):
        result = account.simulate_custom_policy(
            policy_input_list=[policy(allow("*"))],
            action_names=["s3:GetObject"],
            context_entries=[entry],
        )
        assert result.evaluation_results[0].eval_decision == "allowed", entry


def test_resource_arns_need_partition_service_and_resource(account: Account) -> None:
    """Recorded from AWS, 2026 (simulation_inputs.json: input_resource_format_0, _1, _3
    refused; _2 and _4 accepted): "ResourceNames are not in a valid ARN format: …"."""
    for arn in ("arn::s3:::name", "arn:aws::::name", "arn:aws:s3:::"):
        with pytest.raises(InvalidInput) as raised:
            account.simulate_custom_policy(
                policy_input_list=[policy(allow("*"))],
                action_names=["s3:GetObject"],
                resource_arns=[arn],
            )
        assert raised.value.message == f"ResourceNames are not in a valid ARN format: {arn}."
    for arn in ("arn:unknown:s3:::name", "arn:aws:s3:region:account:name"):
        result = account.simulate_custom_policy(
            policy_input_list=[policy(allow("*"))],
            action_names=["s3:GetObject"],
            resource_arns=[arn],
        )
        assert result.evaluation_results[0].eval_decision == "allowed"


def _keys(account: Account, *documents: Any) -> list[str]:
    texts = [d if isinstance(d, str) else json.dumps(d) for d in documents]
    names = account.get_context_keys_for_custom_policy(policy_input_list=texts)
    return sorted(names.context_key_names)


def test_context_keys_of_loose_policies(account: Account) -> None:
    """Recorded from AWS, 2026 (context_keys_aws.json: missing_Action, missing_resource,
    invalid_action, invalid_resource, empty_statements, missing_statement,
    empty_action_resource, condition_key_variable, action_variable): GetContextKeysFor
    CustomPolicy lists the keys of policies that Action/Resource checks would refuse; only
    structure errors are InvalidInput (missing_Effect, unknown_field, invalid_operator)."""
    cond = {"StringEquals": {"aws:username": "a"}}
    assert _keys(account, {"Statement": {"Effect": "Allow", "Condition": cond}}) == [
        "aws:username"
    ]
    assert _keys(
        account,
        {"Statement": {"Effect": "Allow", "Action": "abc", "Resource": "bad", "Condition": cond}},
    ) == ["aws:username"]
    assert _keys(account, {"Statement": []}) == []
    assert _keys(account, {"Version": "2012-10-17"}) == []
    assert _keys(account, {"Statement": {"Effect": "Allow", "Action": [], "Resource": []}}) == []
    assert _keys(
        account,
        {
            "Version": "2012-10-17",
            "Statement": {
                "Effect": "Allow",
                "Action": "${aws:username}",
                "Condition": {"StringEquals": {"${aws:username}": "a"}},
            },
        },
    ) == ["${aws:username}"]
    for bad in (
        {"Statement": {"Action": "*", "Resource": "*", "Condition": cond}},
        {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}, "Foo": "x"},
        {"Statement": {"Effect": "Allow", "Condition": {"MadeUp": {"aws:username": "a"}}}},
    ):
        with pytest.raises(InvalidInput):
            _keys(account, bad)


def test_context_keys_variables_case_and_multiplicity(account: Account) -> None:
    """Recorded from AWS, 2026 (context_keys_aws.json: default_and_literals,
    variable_condition_numeric, duplicates_and_case, multiple_duplicates, old_version):
    variable defaults are dropped and ``${*}``/``${?}``/``${$}`` name themselves;
    variables in any operator's values count; each spelling is listed once per policy
    but a key of two policies twice; Version 2008-10-17 has no variables."""
    assert _keys(
        account,
        policy(
            allow("s3:GetObject", "arn:aws:s3:::bucket/${aws:username, 'default'}/${*}/${?}/${$}")
        ),
    ) == sorted(["$", "aws:username", "*", "?"], key=str.lower)
    numeric = {"NumericEquals": {"aws:MultiFactorAuthAge": "${aws:PrincipalTag/Age}"}}
    assert _keys(account, policy(allow("*", Condition=numeric))) == [
        "aws:MultiFactorAuthAge",
        "aws:PrincipalTag/Age",
    ]
    cased = allow(
        "s3:GetObject",
        "arn:aws:s3:::bucket/${aws:username}/${AWS:username}",
        Condition={"StringEquals": {"aws:username": "${aws:username}", "AWS:username": "a"}},
    )
    assert _keys(account, policy(cased)) == ["AWS:username", "aws:username"]
    twice = {
        "Statement": {
            "Effect": "Allow",
            "Action": "*",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:username": "a"}},
        }
    }
    assert _keys(account, twice, twice) == ["aws:username", "aws:username"]
    old = {
        "Version": "2008-10-17",
        "Statement": allow("s3:GetObject", "arn:aws:s3:::b/${aws:username}"),
    }
    assert _keys(account, old) == []


def test_principal_context_keys_boundary_shared_and_extra(account: Account) -> None:
    """Recorded from AWS, 2026 (context_keys_aws.json principal observations:
    user_with_shared_attachment_and_boundary, group, extra_duplicate, wrong_path): the
    boundary's keys are listed, a managed policy attached to the user and its group
    once, and a key of a PolicyInputList item and of the user's policy twice."""

    def tagged(name: str) -> str:
        return policy(allow("*", Condition={"StringEquals": {f"aws:PrincipalTag/{name}": "x"}}))

    account.create_user(user_name="u", path="/simulation/")
    account.create_group(group_name="g")
    account.add_user_to_group(group_name="g", user_name="u")
    account.put_user_policy(user_name="u", policy_name="U", policy_document=tagged("UserInline"))
    account.put_group_policy(
        group_name="g", policy_name="G", policy_document=tagged("GroupInline")
    )
    managed = account.create_policy(policy_name="M", policy_document=tagged("Managed")).policy.arn
    bound = account.create_policy(policy_name="B", policy_document=tagged("BoundaryOnly"))
    account.attach_user_policy(user_name="u", policy_arn=managed)
    account.attach_group_policy(group_name="g", policy_arn=managed)
    account.put_user_permissions_boundary(user_name="u", permissions_boundary=bound.policy.arn)
    tag = "aws:PrincipalTag/"
    user = [tag + n for n in ("BoundaryOnly", "GroupInline", "Managed", "UserInline")]
    for arn in (f"arn:aws:iam::{ACCOUNT}:user/simulation/u", f"arn:aws:iam::{ACCOUNT}:user/x/u"):
        keys = account.get_context_keys_for_principal_policy(policy_source_arn=arn)
        assert list(keys.context_key_names) == user
    group = account.get_context_keys_for_principal_policy(
        policy_source_arn=f"arn:aws:iam::{ACCOUNT}:group/g"
    )
    assert list(group.context_key_names) == [tag + "GroupInline", tag + "Managed"]
    extra = account.get_context_keys_for_principal_policy(
        policy_source_arn=f"arn:aws:iam::{ACCOUNT}:user/simulation/u",
        policy_input_list=[tagged("UserInline")],
    )
    assert list(extra.context_key_names) == [*user, tag + "UserInline"]
