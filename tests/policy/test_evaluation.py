"""Policy evaluation within one account (UG "Policy evaluation logic", "Permissions boundaries").

The policies are the AWS documentation's own examples where one exists.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from iamcore.policy import (
    Evaluation,
    MatchedStatement,
    Position,
    Request,
    SourcedPolicy,
    boundary_allows,
    context_keys,
    evaluate,
    parse_policy,
)
from iamcore.policy.evaluation import compiled

ACCOUNT = "123456789012"
CARLOS = f"arn:aws:iam::{ACCOUNT}:user/carlossalazar"


def policy(statements: Any, policy_id: str = "p", kind: Any = "identity") -> SourcedPolicy:
    """A SourcedPolicy from a statement or list of statements."""
    text = json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=2)
    source_type = "resource" if kind == "resource" else "user"
    return SourcedPolicy(policy_id, source_type, parse_policy(text, kind=kind))


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def decide(
    action: str,
    resource: str = "*",
    identity: list[SourcedPolicy] | None = None,
    context: dict[str, Any] | None = None,
    **kwargs: Any,
) -> str:
    return evaluate(Request(action, resource, context or {}), identity or [], **kwargs).decision


# --------------------------------------------------------------------------------------
# The basic decision


def test_default_is_implicit_deny() -> None:
    """UG Policy evaluation logic: "By default, all requests are implicitly denied"."""
    result = evaluate(Request("iam:CreateUser"), [])
    assert Evaluation("implicitDeny", (), (), None) == result
    assert not result.allowed


def test_explicit_and_implicit_denies_example() -> None:
    """UG example AllowGetList / DenyReports: Get*/List* allowed, *Report denied, rest implicit."""
    identity = [
        policy(
            [
                {"Sid": "AllowGetList", **allow(["iam:Get*", "iam:List*"])},
                {"Sid": "DenyReports", **deny("iam:*Report")},
            ]
        )
    ]
    assert decide("iam:GetUser", identity=identity) == "allowed"
    assert decide("iam:ListUsers", identity=identity) == "allowed"
    assert decide("iam:CreatePolicy", identity=identity) == "implicitDeny"
    assert decide("iam:GetOrganizationsAccessReport", identity=identity) == "explicitDeny"
    # Another policy granting the report action does not help: the deny wins.
    identity.append(policy(allow("iam:GenerateCredentialReport"), "p2"))
    assert decide("iam:GenerateCredentialReport", identity=identity) == "explicitDeny"


def test_allows_from_several_policies_combine_as_a_union() -> None:
    """Allows from different identity policies (user, groups) combine as a union."""
    identity = [policy(allow("s3:GetObject"), "user"), policy(allow("sqs:*"), "group")]
    assert decide("s3:GetObject", identity=identity) == "allowed"
    assert decide("sqs:SendMessage", identity=identity) == "allowed"
    assert decide("sns:Publish", identity=identity) == "implicitDeny"


def test_allow_whose_condition_fails_does_not_apply() -> None:
    """An Allow whose condition is false simply does not apply; it is never a deny."""
    identity = [
        policy(allow("s3:*", Condition={"Bool": {"aws:SecureTransport": "true"}})),
        policy(allow("s3:GetObject"), "p2"),
    ]
    assert decide("s3:PutObject", identity=identity, context={"aws:SecureTransport": False}) == (
        "implicitDeny"
    )
    assert decide("s3:GetObject", identity=identity, context={"aws:SecureTransport": False}) == (
        "allowed"
    )


def test_not_action_and_not_resource() -> None:
    """NotAction matches every action but those listed; NotResource every resource but those."""
    identity = [
        policy(
            [
                {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
                {
                    "Effect": "Deny",
                    "Action": "s3:*",
                    "NotResource": [
                        "arn:aws:s3:::HRBucket/Payroll",
                        "arn:aws:s3:::HRBucket/Payroll/*",
                    ],
                },
            ]
        )
    ]
    assert decide("iam:CreateUser", identity=identity) == "implicitDeny"
    assert decide("ec2:RunInstances", identity=identity) == "allowed"
    assert decide("s3:GetObject", "arn:aws:s3:::HRBucket/Payroll/a", identity) == "allowed"
    assert decide("s3:GetObject", "arn:aws:s3:::Other/a", identity) == "explicitDeny"


def test_mfa_deny_with_not_action_and_bool_if_exists() -> None:
    """UG example DenyAllExceptListedIfNoMFA: without MFA only the listed actions remain."""
    identity = [
        policy(
            [
                allow("*"),
                {
                    "Sid": "DenyAllExceptListedIfNoMFA",
                    "Effect": "Deny",
                    "NotAction": [
                        "iam:CreateVirtualMFADevice",
                        "iam:EnableMFADevice",
                        "sts:GetSessionToken",
                    ],
                    "Resource": "*",
                    "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
                },
            ]
        )
    ]
    no_mfa = {"aws:MultiFactorAuthPresent": False}
    assert decide("s3:ListBuckets", identity=identity, context=no_mfa) == "explicitDeny"
    assert decide("iam:EnableMFADevice", identity=identity, context=no_mfa) == "allowed"
    # Long-term keys carry no aws:MultiFactorAuthPresent at all: BoolIfExists is then true.
    assert decide("s3:ListBuckets", identity=identity) == "explicitDeny"
    assert decide(
        "s3:ListBuckets", identity=identity, context={"aws:MultiFactorAuthPresent": True}
    ) == ("allowed")


# --------------------------------------------------------------------------------------
# Matched statements and missing context values


def test_matched_statements_are_the_deciding_ones() -> None:
    """The simulator lists only the denies when a deny wins, the allows when allowed."""
    text = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},'
        '{"Effect":"Deny","Action":"s3:Delete*","Resource":"*"}]}'
    )
    identity = [SourcedPolicy("PolicyInputList.1", "IAM Policy", parse_policy(text))]
    allowed = evaluate(Request("s3:GetObject"), identity)
    assert allowed.matched_statements == (
        MatchedStatement("PolicyInputList.1", "IAM Policy", Position(1, 38), Position(1, 87)),
    )
    denied = evaluate(Request("s3:DeleteObject"), identity)
    assert denied.decision == "explicitDeny"
    assert denied.matched_statements == (
        MatchedStatement("PolicyInputList.1", "IAM Policy", Position(1, 87), Position(1, 142)),
    )
    assert evaluate(Request("sqs:SendMessage"), identity).matched_statements == ()


def test_missing_context_values_name_the_absent_keys_of_applicable_statements() -> None:
    """MissingContextValues: keys the applicable statements use but the request lacks."""
    identity = [
        policy(
            [
                allow(
                    "s3:GetObject",
                    "arn:aws:s3:::b/${aws:username}/*",
                    Condition={
                        "StringEquals": {"aws:PrincipalTag/team": "blue"},
                        "IpAddress": {"aws:SourceIp": "10.0.0.0/8"},
                    },
                ),
                allow("sqs:*", Condition={"Bool": {"aws:SecureTransport": "true"}}),
            ]
        )
    ]
    result = evaluate(
        Request("s3:GetObject", "arn:aws:s3:::b/bob/k", {"aws:username": "bob"}), identity
    )
    assert result.decision == "implicitDeny"
    assert result.missing_context_values == ("aws:PrincipalTag/team", "aws:SourceIp")
    result = evaluate(Request("s3:GetObject", "arn:aws:s3:::b/x/k"), identity)
    assert result.missing_context_values == (
        "aws:PrincipalTag/team",
        "aws:SourceIp",
        "aws:username",
    )
    # Statements for other actions or resources do not count.
    other = Request("s3:GetObject", "arn:aws:s3:::other/k", {"aws:username": "bob"})
    assert evaluate(other, identity).missing_context_values == ()


# --------------------------------------------------------------------------------------
# Permissions boundaries


SHIRLEY_BOUNDARY = allow(["s3:*", "cloudwatch:*", "ec2:*"])


def test_boundary_limits_but_never_grants() -> None:
    """UG boundaries example: boundary s3/cloudwatch/ec2 + identity iam:CreateUser → no access."""
    boundary = [policy(SHIRLEY_BOUNDARY, "boundary")]
    identity = [policy(allow("iam:CreateUser"))]
    result = evaluate(Request("iam:CreateUser"), identity, boundary)
    assert result.decision == "implicitDeny"
    assert result.allowed_by_permissions_boundary is False
    # The boundary alone grants nothing.
    result = evaluate(Request("s3:GetObject"), [], boundary)
    assert result.decision == "implicitDeny"
    assert result.allowed_by_permissions_boundary is True
    # Both allow: allowed.
    identity.append(policy(allow("s3:*"), "p2"))
    result = evaluate(Request("s3:GetObject"), identity, boundary)
    assert result.decision == "allowed"
    assert result.allowed_by_permissions_boundary is True
    assert boundary_allows(Request("s3:GetObject"), boundary)
    assert not boundary_allows(Request("iam:CreateUser"), boundary)


def test_explicit_deny_in_the_boundary_wins() -> None:
    """UG XCompanyBoundaries example: the boundary's DenyS3Logs denies even what both allow."""
    boundary = [
        policy(
            [
                {
                    "Sid": "ServiceBoundaries",
                    **allow(["s3:*", "cloudwatch:*", "ec2:*", "dynamodb:*"]),
                },
                {
                    "Sid": "DenyS3Logs",
                    **deny("s3:*", ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"]),
                },
            ],
            "boundary",
        )
    ]
    identity = [policy(allow("s3:*"))]
    result = evaluate(Request("s3:GetObject", "arn:aws:s3:::logs/a"), identity, boundary)
    assert result.decision == "explicitDeny"
    assert result.allowed_by_permissions_boundary is False
    assert result.matched_statements[0].source_policy_id == "boundary"
    assert decide("s3:GetObject", "arn:aws:s3:::data/a", identity, boundary=boundary) == "allowed"


def test_delegated_admin_can_create_users_only_with_the_boundary() -> None:
    """UG DelegatedUserBoundary: CreateUser only with the XCompanyBoundaries boundary."""
    required = f"arn:aws:iam::{ACCOUNT}:policy/XCompanyBoundaries"
    boundary = [
        policy(
            [
                {
                    "Sid": "CreateOrChangeOnlyWithBoundary",
                    **allow(
                        ["iam:CreateUser", "iam:PutUserPermissionsBoundary"],
                        Condition={"StringEquals": {"iam:PermissionsBoundary": required}},
                    ),
                },
                {"Sid": "NoBoundaryUserDelete", **deny("iam:DeleteUserPermissionsBoundary")},
            ],
            "DelegatedUserBoundary",
        )
    ]
    identity = [policy({"Sid": "IAM", **allow("iam:*")}, "DelegatedUserPermissions")]
    assert (
        decide(
            "iam:CreateUser",
            identity=identity,
            boundary=boundary,
            context={"iam:PermissionsBoundary": required},
        )
        == "allowed"
    )
    assert decide("iam:CreateUser", identity=identity, boundary=boundary) == "implicitDeny"
    other = f"arn:aws:iam::{ACCOUNT}:policy/AdministratorAccess"
    assert (
        decide(
            "iam:CreateUser",
            identity=identity,
            boundary=boundary,
            context={"iam:PermissionsBoundary": other},
        )
        == "implicitDeny"
    )
    assert (
        decide("iam:DeleteUserPermissionsBoundary", identity=identity, boundary=boundary)
        == "explicitDeny"
    )


def test_empty_boundary_allows_nothing() -> None:
    """A boundary with no allowing statement limits everything (boundary = [] is such a one)."""
    identity = [policy(allow("*"))]
    result = evaluate(Request("s3:GetObject"), identity, [])
    assert result.decision == "implicitDeny"
    assert result.allowed_by_permissions_boundary is False


# --------------------------------------------------------------------------------------
# Resource-based policies


def carlos_identity() -> list[SourcedPolicy]:
    return [
        policy(
            [
                {
                    "Sid": "AllowS3ListRead",
                    **allow(
                        [
                            "s3:GetBucketLocation",
                            "s3:GetAccountPublicAccessBlock",
                            "s3:ListAccessPoints",
                            "s3:ListAllMyBuckets",
                        ],
                        "arn:aws:s3:::*",
                    ),
                },
                {
                    "Sid": "AllowS3Self",
                    **allow(
                        "s3:*", ["arn:aws:s3:::carlossalazar/*", "arn:aws:s3:::carlossalazar"]
                    ),
                },
                {"Sid": "DenyS3Logs", **deny("s3:*", "arn:aws:s3:::*log*")},
            ],
            "carlos",
        )
    ]


def carlos_bucket_policy() -> SourcedPolicy:
    return policy(
        {
            "Effect": "Allow",
            "Principal": {"AWS": CARLOS},
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::carlossalazar/*", "arn:aws:s3:::carlossalazar"],
        },
        "bucket",
        kind="resource",
    )


def test_carlos_example() -> None:
    """UG "Example identity-based and resource-based policy evaluation" (Carlos)."""
    kwargs: dict[str, Any] = {
        "resource_policies": [carlos_bucket_policy()],
        "principal_arn": CARLOS,
    }
    assert (
        decide("s3:PutObject", "arn:aws:s3:::carlossalazar-logs/f", carlos_identity(), **kwargs)
        == "explicitDeny"
    )
    assert (
        decide("s3:PutObject", "arn:aws:s3:::carlossalazar/f", carlos_identity(), **kwargs)
        == "allowed"
    )
    # "If one of the policy types allows the request and the other doesn't, the request is
    # still allowed": the bucket policy alone suffices ...
    assert decide("s3:PutObject", "arn:aws:s3:::carlossalazar/f", [], **kwargs) == "allowed"
    # ... and so does the identity policy alone.
    assert decide("s3:PutObject", "arn:aws:s3:::carlossalazar/f", carlos_identity()) == "allowed"


def test_resource_grant_to_the_user_is_not_limited_by_the_boundary() -> None:
    """A same-account grant to the IAM user's ARN ignores implicit denies of the boundary."""
    boundary = [policy(SHIRLEY_BOUNDARY, "boundary")]
    bucket = policy(
        {"Effect": "Allow", "Principal": {"AWS": CARLOS}, "Action": "sqs:*", "Resource": "*"},
        "queue",
        kind="resource",
    )
    result = evaluate(Request("sqs:SendMessage"), [], boundary, [bucket], CARLOS)
    assert result.decision == "allowed"
    assert result.allowed_by_permissions_boundary is False
    assert result.matched_statements[0].source_policy_id == "queue"


def test_resource_grant_to_a_role_is_limited_by_the_boundary() -> None:
    """Grants to an IAM role ARN "are limited by an implicit deny in a permissions boundary"."""
    role = f"arn:aws:iam::{ACCOUNT}:role/examplerole"
    queue = policy(
        {"Effect": "Allow", "Principal": {"AWS": role}, "Action": "sqs:*", "Resource": "*"},
        "queue",
        kind="resource",
    )
    boundary = [policy(SHIRLEY_BOUNDARY, "boundary")]
    assert decide("sqs:SendMessage", resource_policies=[queue], principal_arn=role) == "allowed"
    assert decide(
        "sqs:SendMessage", boundary=boundary, resource_policies=[queue], principal_arn=role
    ) == ("implicitDeny")


def test_resource_grant_to_the_account_needs_an_identity_allow() -> None:
    """A grant to the account delegates to its identity policies; it grants nothing alone."""
    for principal in (ACCOUNT, f"arn:aws:iam::{ACCOUNT}:root"):
        key_policy = policy(
            {
                "Effect": "Allow",
                "Principal": {"AWS": principal},
                "Action": "kms:*",
                "Resource": "*",
            },
            "key",
            kind="resource",
        )
        kwargs: dict[str, Any] = {"resource_policies": [key_policy], "principal_arn": CARLOS}
        assert decide("kms:Decrypt", **kwargs) == "implicitDeny"
        assert (
            decide("kms:Decrypt", identity=[policy(allow("kms:Decrypt"))], **kwargs) == "allowed"
        )


def test_resource_policy_for_someone_else_does_not_apply() -> None:
    """A statement naming another principal neither allows nor denies this one."""
    other = f"arn:aws:iam::{ACCOUNT}:user/alice"
    bucket = policy(
        [
            {"Effect": "Allow", "Principal": {"AWS": other}, "Action": "s3:*", "Resource": "*"},
            {
                "Effect": "Deny",
                "Principal": {"AWS": other},
                "Action": "s3:Delete*",
                "Resource": "*",
            },
        ],
        "bucket",
        kind="resource",
    )
    kwargs: dict[str, Any] = {"resource_policies": [bucket], "principal_arn": CARLOS}
    assert decide("s3:GetObject", **kwargs) == "implicitDeny"
    assert decide("s3:DeleteObject", identity=[policy(allow("s3:*"))], **kwargs) == "allowed"


def test_resource_policy_deny_wins_and_public_grants_apply() -> None:
    """Principal "*" applies to every principal, for Allow and Deny alike."""
    bucket = policy(
        [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"},
            {
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": "s3:DeleteObject",
                "Resource": "*",
            },
        ],
        "bucket",
        kind="resource",
    )
    kwargs: dict[str, Any] = {"resource_policies": [bucket], "principal_arn": CARLOS}
    assert decide("s3:GetObject", **kwargs) == "allowed"
    assert decide("s3:DeleteObject", identity=[policy(allow("s3:*"))], **kwargs) == "explicitDeny"


def test_not_principal_deny_hits_every_principal_with_a_boundary() -> None:
    """UG boundaries: a NotPrincipal Deny "will always deny" principals that have a boundary."""
    bucket = policy(
        {"Effect": "Deny", "NotPrincipal": {"AWS": CARLOS}, "Action": "s3:*", "Resource": "*"},
        "bucket",
        kind="resource",
    )
    identity = [policy(allow("s3:*"))]
    boundary = [policy(allow("s3:*"), "boundary")]
    kwargs: dict[str, Any] = {"resource_policies": [bucket], "principal_arn": CARLOS}
    assert decide("s3:GetObject", identity=identity, **kwargs) == "allowed"
    assert decide("s3:GetObject", identity=identity, boundary=boundary, **kwargs) == "explicitDeny"
    alice = f"arn:aws:iam::{ACCOUNT}:user/alice"
    assert decide(
        "s3:GetObject", identity=identity, resource_policies=[bucket], principal_arn=alice
    ) == ("explicitDeny")


# --------------------------------------------------------------------------------------
# Variables in evaluation


def test_policy_variables_in_resource_and_condition() -> None:
    """UG Variables: ${aws:username} in the resource part and in StringLike values."""
    identity = [
        policy(
            [
                allow(
                    "s3:ListBucket",
                    "arn:aws:s3:::mybucket",
                    Condition={"StringLike": {"s3:prefix": ["${aws:username}/*"]}},
                ),
                allow(["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::mybucket/${aws:username}/*"),
            ]
        )
    ]
    david = {"aws:username": "David"}
    assert decide("s3:GetObject", "arn:aws:s3:::mybucket/David/a", identity, david) == "allowed"
    assert (
        decide("s3:GetObject", "arn:aws:s3:::mybucket/Adele/a", identity, david) == "implicitDeny"
    )
    listing = {"aws:username": "David", "s3:prefix": "David/photos"}
    assert decide("s3:ListBucket", "arn:aws:s3:::mybucket", identity, listing) == "allowed"
    listing["s3:prefix"] = "Adele/"
    assert decide("s3:ListBucket", "arn:aws:s3:::mybucket", identity, listing) == "implicitDeny"


def test_unresolvable_variable_invalidates_the_statement_even_a_deny() -> None:
    """UG Variables: a variable with no value "causes the statement to be invalid"."""
    identity = [
        policy(
            [
                allow("s3:*"),
                deny("s3:*", "arn:aws:s3:::home/${aws:PrincipalTag/team}/*"),
            ]
        )
    ]
    resource = "arn:aws:s3:::home/blue/x"
    assert (
        decide("s3:GetObject", resource, identity, {"aws:PrincipalTag/team": "blue"})
        == "explicitDeny"
    )
    assert decide("s3:GetObject", resource, identity) == "allowed"


def test_default_values_fill_missing_variables() -> None:
    """UG Variables: ${key, 'default'} uses the default when the key has no value."""
    identity = [
        policy(allow("s3:GetObject", "arn:aws:s3:::home/${aws:PrincipalTag/team, 'shared'}/*"))
    ]
    assert decide("s3:GetObject", "arn:aws:s3:::home/shared/x", identity) == "allowed"
    assert (
        decide(
            "s3:GetObject", "arn:aws:s3:::home/blue/x", identity, {"aws:PrincipalTag/team": "blue"}
        )
        == "allowed"
    )
    assert decide(
        "s3:GetObject", "arn:aws:s3:::home/shared/x", identity, {"aws:PrincipalTag/team": "blue"}
    ) == ("implicitDeny")


# --------------------------------------------------------------------------------------
# Context keys and compilation


def test_context_keys_for_get_context_keys_operations() -> None:
    """GetContextKeysFor*Policy: condition keys and variable keys, unique ignoring case, sorted."""
    documents = [
        policy(
            [
                allow(
                    "s3:*",
                    "arn:aws:s3:::b/${aws:username}/*",
                    Condition={
                        "StringEquals": {"aws:PrincipalTag/team": "${aws:PrincipalTag/Team}"}
                    },
                ),
                allow(
                    "ec2:*",
                    Condition={
                        "DateGreaterThan": {"aws:CurrentTime": "2020-01-01"},
                        "NumericLessThan": {"s3:max-keys": "${not:substituted}"},
                    },
                ),
            ]
        ).document,
        policy(
            allow(
                "sqs:*",
                Condition={
                    "Bool": {"AWS:SecureTransport": "true"},
                    "IpAddress": {"aws:sourceip": "10.0.0.0/8"},
                },
            )
        ).document,
    ]
    assert context_keys(documents) == (
        "aws:CurrentTime",
        "aws:PrincipalTag/team",
        "AWS:SecureTransport",
        "aws:sourceip",
        "aws:username",
        "s3:max-keys",
    )


def test_documents_without_version_do_not_substitute_variables() -> None:
    """Without Version 2012-10-17, ${aws:username} is literal text (UG Variables)."""
    text = json.dumps({"Statement": allow("s3:GetObject", "arn:aws:s3:::b/${aws:username}")})
    identity = [SourcedPolicy("p", "user", parse_policy(text))]
    assert (
        decide("s3:GetObject", "arn:aws:s3:::b/bob", identity, {"aws:username": "bob"})
        == "implicitDeny"
    )
    assert decide("s3:GetObject", "arn:aws:s3:::b/${aws:username}", identity) == "allowed"
    assert context_keys([identity[0].document]) == ()


def test_statements_are_indexed_by_service() -> None:
    """Evaluation only visits statements that can match the action's service."""
    unrelated = [allow(f"svc{i}:Action{i}") for i in range(1000)]
    document = policy(
        [
            *unrelated,
            allow("iam:GetUser"),
            {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"},
        ]
    ).document
    index = compiled(document)
    visited = list(index.candidates("iam:GetUser"))
    assert [c.index for c in visited] == [1000, 1001]
    assert [c.index for c in index.candidates("ec2:RunInstances")] == [1001]
    assert evaluate(Request("iam:GetUser"), [SourcedPolicy("p", "user", document)]).allowed
    assert compiled(document) is index  # compiled once, kept on the document


@pytest.mark.parametrize("action", ["*:GetUser", "*"])
def test_wildcard_services_are_always_candidates(action: str) -> None:
    """A statement whose service part has a wildcard is checked for every action."""
    identity = [policy(allow(action))]
    assert decide("iam:GetUser", identity=identity) == "allowed"


def test_documents_stay_picklable_after_evaluation() -> None:
    """The compiled form kept on a document does not stop it from being pickled or copied."""
    import copy
    import pickle

    document = policy(allow("s3:Get*", "arn:aws:s3:::b/${aws:username}/*")).document
    assert evaluate(
        Request("s3:GetObject", "arn:aws:s3:::b/bob/k", {"aws:username": "bob"}),
        [SourcedPolicy("p", "user", document)],
    ).allowed
    assert pickle.loads(pickle.dumps(document)) == document
    assert copy.deepcopy(document) == document
