"""ListPoliciesGrantingServiceAccess: which of a user's or group's policies grant access
to each service.  Expected answers are those recorded from AWS in 2026
(github.com/radkawar/stackd, testdata/aws/iam/last_access.json), unless a test
says otherwise."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import given
from hypothesis import strategies as st

from iamcore import Account, service_catalog
from iamcore.errors import AccessDenied, InvalidInput, NoSuchEntity, ValidationError
from iamcore.policy.document import parse_policy
from iamcore.rules.service_access import grants_service
from tests.helpers import allow, deny, fresh_snapshot, policy

ACCOUNT = "123456789012"
USER_ARN = f"arn:aws:iam::{ACCOUNT}:user/team/target"
NAMESPACES = ["sqs", "s3", "iam", "lambda", "ec2", "dynamodb"]


def granted(account: Account, arn: str, namespaces: list[str]) -> dict[str, list[str]]:
    """namespace -> names of the policies listed for it."""
    response = account.list_policies_granting_service_access(
        arn=arn, service_namespaces=namespaces
    )
    assert response.is_truncated is False
    assert response.marker is None
    return {
        entry.service_namespace: [p.policy_name for p in entry.policies]
        for entry in response.policies_granting_service_access
    }


@pytest.fixture
def graph(account: Account) -> Account:
    """The recorded set-up: a user with an inline and a managed policy, in two groups;
    one group has an inline policy and the same managed policy, the other an inline one."""
    account.create_user(user_name="target", path="/team/")
    account.put_user_policy(
        user_name="target",
        policy_name="z-direct",
        policy_document=policy(
            allow(["s3:GetObject", "iam:GetUser", "iam:PassRole", "ec2:DescribeInstances"]),
            deny("sqs:*"),
        ),
    )
    shared = account.create_policy(
        policy_name="shared", policy_document=policy(allow(["sqs:SendMessage", "s3:GetObject"]))
    ).policy.arn
    account.attach_user_policy(user_name="target", policy_arn=shared)
    for group in ("zgroup", "agroup"):
        account.create_group(group_name=group)
        account.add_user_to_group(group_name=group, user_name="target")
    account.put_group_policy(
        group_name="zgroup",
        policy_name="a-group",
        policy_document=policy(allow("lambda:ListFunctions")),
    )
    account.attach_group_policy(group_name="zgroup", policy_arn=shared)
    account.put_group_policy(
        group_name="agroup", policy_name="z-group", policy_document=policy(allow("iam:GetUser"))
    )
    return account


def test_a_users_own_and_group_policies(graph: Account) -> None:
    """A user's list holds its inline and managed policies and its groups' (API reference);
    a managed policy attached to the user and to a group is listed once; a namespace
    nothing grants has an empty list; the Deny of sqs:* in z-direct takes it out of sqs."""
    assert granted(graph, USER_ARN, NAMESPACES) == {
        "sqs": ["shared"],
        "s3": ["z-direct", "shared"],
        "iam": ["z-direct", "z-group"],
        "lambda": ["a-group"],
        "ec2": ["z-direct"],
        "dynamodb": [],
    }


def test_inline_and_managed_members(graph: Account) -> None:
    """A managed policy carries its ARN and no entity; an inline one USER or GROUP and the
    name of the user or group it belongs to (the group's, when inherited)."""
    response = graph.list_policies_granting_service_access(
        arn=USER_ARN, service_namespaces=["s3", "lambda"]
    )
    s3, lambda_ = response.policies_granting_service_access
    direct, shared = s3.policies
    assert (direct.policy_type, direct.entity_type, direct.entity_name) == (
        "INLINE",
        "USER",
        "target",
    )
    assert direct.policy_arn is None
    assert (shared.policy_type, shared.policy_arn) == (
        "MANAGED",
        f"arn:aws:iam::{ACCOUNT}:policy/shared",
    )
    assert (shared.entity_type, shared.entity_name) == (None, None)
    (inherited,) = lambda_.policies
    assert (inherited.entity_type, inherited.entity_name) == ("GROUP", "zgroup")


def test_a_groups_own_policies_only(graph: Account) -> None:
    """A group's list includes only the policies attached to the group, not its members'."""
    arn = f"arn:aws:iam::{ACCOUNT}:group/zgroup"
    assert granted(graph, arn, NAMESPACES) == {
        "sqs": ["shared"],
        "s3": ["shared"],
        "iam": [],
        "lambda": ["a-group"],
        "ec2": [],
        "dynamodb": [],
    }


def test_the_permissions_boundary_is_neither_listed_nor_used(graph: Account) -> None:
    """ "Policies that are attached to users ... as permissions boundaries are not
    returned" and no boundary narrows the answer (API reference; recorded)."""
    before = granted(graph, USER_ARN, NAMESPACES)
    boundary = graph.create_policy(
        policy_name="only-dynamodb", policy_document=policy(allow("dynamodb:ListTables"))
    ).policy.arn
    graph.put_user_permissions_boundary(user_name="target", permissions_boundary=boundary)
    assert granted(graph, USER_ARN, NAMESPACES) == before


def test_the_arn_path_is_ignored(graph: Account) -> None:
    """The identity is found by type and name: a wrong or missing path finds it too."""
    expected = granted(graph, USER_ARN, ["s3"])
    for arn in (
        f"arn:aws:iam::{ACCOUNT}:user/other/target",
        f"arn:aws:iam::{ACCOUNT}:user/target",
    ):
        assert granted(graph, arn, ["s3"]) == expected


def test_namespaces_in_request_order_each_once(graph: Account) -> None:
    """One entry per namespace asked for, in the order asked, duplicates collapsed."""
    response = graph.list_policies_granting_service_access(
        arn=USER_ARN, service_namespaces=["iam", "s3", "s3", "sqs", "iam"]
    )
    assert [e.service_namespace for e in response.policies_granting_service_access] == [
        "iam",
        "s3",
        "sqs",
    ]


@pytest.mark.parametrize(
    ("arn", "error", "message"),
    [
        (
            f"arn:aws:iam::{ACCOUNT}:user/missing",
            NoSuchEntity,
            f"ARN arn:aws:iam::{ACCOUNT}:user/missing does not exist.",
        ),
        (
            f"arn:aws:iam::{ACCOUNT}:role/some-role",  # iamcore models no roles
            NoSuchEntity,
            f"ARN arn:aws:iam::{ACCOUNT}:role/some-role does not exist.",
        ),
        (  # iamcore's choice: the kind of entity is checked before the account
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            InvalidInput,
            "Invalid Entity Arn: arn:aws:iam::aws:policy/ReadOnlyAccess is not supported.",
        ),
        (
            f"arn:aws:iam::{ACCOUNT}:policy/shared",
            InvalidInput,
            f"Invalid Entity Arn: arn:aws:iam::{ACCOUNT}:policy/shared is not supported.",
        ),
        (
            f"arn:aws:iam::{ACCOUNT}:root",
            InvalidInput,
            f"Could not extract entity from ARN : arn:aws:iam::{ACCOUNT}:root",
        ),
        (f"arn:aws:s3::{ACCOUNT}:user/target", ValidationError, "Invalid service in ARN"),
        (f"arn:aws-cn:iam::{ACCOUNT}:user/target", ValidationError, "Invalid ARN partition"),
        (
            "arn:aws:iam::999999999999:user/target",
            AccessDenied,
            "User: arn:aws:iam::123456789012:root is not authorized to perform the "
            "operation on arn:aws:iam::999999999999:user/target",
        ),
    ],
)
def test_identity_errors(graph: Account, arn: str, error: type[Exception], message: str) -> None:
    """Each kind of bad Arn gets AWS's recorded code and text, and changes nothing."""
    before = fresh_snapshot(graph)
    with pytest.raises(error) as caught:
        graph.list_policies_granting_service_access(arn=arn, service_namespaces=["s3"])
    assert str(getattr(caught.value, "message", "")) == message
    assert fresh_snapshot(graph) == before


def test_unknown_namespaces_are_listed_in_one_error(graph: Account) -> None:
    """A namespace that is not a service prefix is InvalidInput naming every unknown one,
    in order; prefixes are case-sensitive, so S3 is unknown."""
    with pytest.raises(InvalidInput) as caught:
        graph.list_policies_granting_service_access(
            arn=USER_ARN, service_namespaces=["s3", "S3", "stackdunmodeled", "IAM"]
        )
    assert caught.value.message == "Invalid service namespace: [S3, stackdunmodeled, IAM]"


def test_any_marker_is_invalid(graph: Account) -> None:
    """Every answer fits in one page, so no marker is ever issued: 'Invalid Marker.'."""
    with pytest.raises(ValidationError) as caught:
        graph.list_policies_granting_service_access(
            arn=USER_ARN, service_namespaces=["s3"], marker="invalid"
        )
    assert caught.value.message == "Invalid Marker."


def test_namespace_model_constraints(graph: Account) -> None:
    """A namespace breaking the model's [\\w-]* (1-64) is one ValidationError for the list,
    worded as AWS recorded it; more than 200 namespaces is refused too."""
    with pytest.raises(ValidationError) as caught:
        graph.list_policies_granting_service_access(
            arn=USER_ARN, service_namespaces=["s3:GetObject"]
        )
    assert caught.value.message == (
        "1 validation error detected: Value at 'serviceNamespaces' failed to satisfy "
        "constraint: Member must satisfy constraint: [Member must have length less than "
        "or equal to 64, Member must have length greater than or equal to 1, Member must "
        "satisfy regular expression pattern: [\\w-]*, Member must not be null]"
    )
    with pytest.raises(ValidationError) as caught:
        graph.list_policies_granting_service_access(arn=USER_ARN, service_namespaces=["s3"] * 201)
    assert caught.value.message == (
        "1 validation error detected: Value at 'serviceNamespaces' failed to satisfy "
        "constraint: Member must have length less than or equal to 200"
    )


# -- the grant rule, statement by statement (recorded cases) ----------------------------


def grants(*statements: dict[str, Any], namespace: str = "s3") -> bool:
    return grants_service(parse_policy(policy(*statements)), namespace)


CONDITION = {"StringEquals": {"aws:username": "nobody"}}
BUCKET = "arn:aws:s3:::bucket-a"


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        ([allow("s3:GetObject")], True),
        ([deny("s3:*")], False),  # a Deny-only policy grants nothing
        ([allow("s3:GetObject"), deny("s3:*")], False),  # whole-service deny, same policy
        ([allow("s3:GetObject", Condition=CONDITION)], True),  # conditions on Allow ignored
        ([allow("s3:GetObject", f"arn:aws:iam::{ACCOUNT}:user/nobody")], False),
        ([allow("s3:StackdUnmodeledAction")], True),  # only the prefix matters
        ([allow("stackdunmodeled:Read")], False),
        ([allow("s3:Get*")], True),
        ([allow("S3:GETOBJECT")], True),  # action names ignore case
        ([allow("*")], True),
        ([{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "*"}], False),
        ([allow("s3:GetObject"), deny("s3:*", Condition=CONDITION)], True),  # conditional deny
        ([allow("s3:GetObject", BUCKET), deny("s3:*", "arn:aws:s3:::bucket-b/*")], True),
        ([allow("s3:GetObject", f"{BUCKET}/*"), deny("s3:*", f"{BUCKET}/*")], True),
        ([allow("s3:*"), deny("s3:*", f"{BUCKET}/*")], True),
        ([allow("s3:GetObject", f"{BUCKET}/*"), deny("s3:*", "arn:aws:s3:::*")], True),
        ([allow("s3:GetObject", f"{BUCKET}/*"), deny("s3:GetObject")], True),  # not whole
        ([allow("s3:GetObject", Condition=CONDITION), deny("s3:*")], False),
    ],
)
def test_grant_rule_recorded_cases(statements: list[dict[str, Any]], expected: bool) -> None:
    """What makes a policy grant access to s3, as AWS answered for each document."""
    assert grants(*statements) is expected


def test_not_action_grants_every_other_service() -> None:
    """An Allow with NotAction s3:* grants sqs and iam but not s3 (recorded)."""
    statement = {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}
    assert [grants(statement, namespace=n) for n in ("s3", "sqs", "iam")] == [False, True, True]


ACTION_NAME = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,20}", fullmatch=True)
SERVICES = st.sampled_from(sorted(service_catalog.SERVICE_NAMES))


@given(service=SERVICES, action=ACTION_NAME, other=SERVICES)
def test_an_allow_grants_its_service_until_a_whole_service_deny(
    service: str, action: str, other: str
) -> None:
    """For every service and action: Allow <svc>:<action> on * grants <svc>; an
    unconditional Deny <svc>:* on * in the same policy takes it back; a Deny of another
    service does not."""
    assert grants(allow(f"{service}:{action}"), namespace=service)
    assert not grants(allow(f"{service}:{action}"), deny(f"{service}:*"), namespace=service)
    if other != service:
        assert grants(allow(f"{service}:{action}"), deny(f"{other}:*"), namespace=service)
        assert not grants(allow(f"{service}:{action}"), namespace=other)


def test_a_deny_in_another_policy_does_not_matter(account: Account) -> None:
    """A Deny of s3:* in one inline policy leaves another that allows s3 listed; the
    Deny-only policy is not listed (recorded)."""
    account.create_user(user_name="u")
    account.put_user_policy(
        user_name="u", policy_name="selection", policy_document=policy(allow("s3:GetObject"))
    )
    account.put_user_policy(
        user_name="u", policy_name="separate-deny", policy_document=policy(deny("s3:*"))
    )
    assert granted(account, f"arn:aws:iam::{ACCOUNT}:user/u", ["s3"]) == {"s3": ["selection"]}


def test_aws_managed_policies_are_listed_with_their_arn(account: Account) -> None:
    """An AWS managed policy is listed with its arn:aws:iam::aws:policy/… ARN (AWS's Lake
    Formation guide shows AmazonAthenaFullAccess so)."""
    account.create_user(user_name="u")
    account.attach_user_policy(
        user_name="u", policy_arn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    )
    response = account.list_policies_granting_service_access(
        arn=f"arn:aws:iam::{ACCOUNT}:user/u", service_namespaces=["s3", "ec2"]
    )
    s3, ec2 = response.policies_granting_service_access
    assert [p.policy_arn for p in s3.policies] == [
        "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    ]
    assert ec2.policies == ()


# -- the catalogue and boto3 -----------------------------------------------------------


def test_catalogue_holds_service_prefixes() -> None:
    """Every prefix fits the model's serviceNamespaceType ([\\w-]*, 1-64), and the
    catalogue has the services of AWS's examples."""
    names = service_catalog.SERVICE_NAMES
    assert len(names) > 400
    assert all(re.fullmatch(r"[a-z0-9-]{1,64}", prefix) for prefix in names)
    for prefix in ("s3", "iam", "ec2", "execute-api", "codecommit", "glue", "sts", "a4b"):
        assert prefix in names
    assert names["s3"] == "Amazon S3"


def test_boto3_keeps_empty_policy_lists(boto3_iam: Any) -> None:
    """Through boto3 each entry has "Policies" even when empty (AWS sends <Policies/>,
    which botocore parses to []), and errors are ClientErrors with AWS's code."""
    boto3_iam.create_user(UserName="sofia")
    boto3_iam.put_user_policy(
        UserName="sofia",
        PolicyName="Grant-Sofia-Access-To-CodeCommit",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [allow("codecommit:GitPull")]}
        ),
    )
    response = boto3_iam.list_policies_granting_service_access(
        Arn=f"arn:aws:iam::{ACCOUNT}:user/sofia", ServiceNamespaces=["codecommit", "s3"]
    )
    assert response["PoliciesGrantingServiceAccess"] == [
        {
            "ServiceNamespace": "codecommit",
            "Policies": [
                {
                    "PolicyName": "Grant-Sofia-Access-To-CodeCommit",
                    "PolicyType": "INLINE",
                    "EntityType": "USER",
                    "EntityName": "sofia",
                }
            ],
        },
        {"ServiceNamespace": "s3", "Policies": []},
    ]
    assert response["IsTruncated"] is False
    with pytest.raises(ClientError) as caught:
        boto3_iam.list_policies_granting_service_access(
            Arn=f"arn:aws:iam::{ACCOUNT}:user/nobody", ServiceNamespaces=["s3"]
        )
    assert caught.value.response["Error"]["Code"] == "NoSuchEntity"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_callers_are_authorized_on_the_identity_named(account: Account) -> None:
    """With enforcement, iam:ListPoliciesGrantingServiceAccess is checked on the user or
    group named (its resource types in the Service Authorization Reference)."""
    account.create_user(user_name="auditor")
    account.create_user(user_name="other")
    own = f"arn:aws:iam::{ACCOUNT}:user/auditor"
    account.put_user_policy(
        user_name="auditor",
        policy_name="self",
        policy_document=policy(allow("iam:ListPoliciesGrantingServiceAccess", own)),
    )
    with account.enforcing(), account.acting_as("auditor"):
        assert granted(account, own, ["iam"]) == {"iam": ["self"]}
        with pytest.raises(AccessDenied) as caught:
            account.list_policies_granting_service_access(
                arn=f"arn:aws:iam::{ACCOUNT}:user/other", service_namespaces=["iam"]
            )
    assert f"on resource: arn:aws:iam::{ACCOUNT}:user/other" in caught.value.message


def test_the_service_wildcard_counts_for_every_service() -> None:
    """A `*` service part ("*:*", "*:Get*") names every service, as the evaluator reads it:
    an Allow of *:* grants s3, a Deny of *:* on * takes it back, and NotAction *:* leaves
    nothing."""
    assert grants(allow("*:*"), namespace="s3")
    assert grants(allow("*:Get*"), namespace="iam")
    assert not grants(allow("s3:GetObject"), deny("*:*"), namespace="s3")
    assert not grants({"Effect": "Allow", "NotAction": "*:*", "Resource": "*"}, namespace="s3")


@pytest.mark.parametrize(
    ("action", "resource", "namespace"),
    [
        ("sts:AssumeRole", f"arn:aws:iam::{ACCOUNT}:role/deploy", "sts"),
        ("ssm:SendCommand", "arn:aws:ec2:us-east-1:123456789012:instance/*", "ssm"),
        ("rds-data:ExecuteStatement", "arn:aws:rds:us-east-1:123456789012:cluster:db", "rds-data"),
    ],
)
def test_resources_of_another_service(action: str, resource: str, namespace: str) -> None:
    """Some services act on other services' resources (sts assumes IAM roles, ssm runs on
    EC2 instances): such an Allow grants the service (the ARN formats of its resource
    types in the Service Authorization Reference)."""
    assert grants(allow(action, resource), namespace=namespace)
    assert not grants(allow(action, "arn:aws:sqs:us-east-1:123456789012:q"), namespace=namespace)


@pytest.mark.parametrize(
    "bad",
    [f"arn:aws:iam:us-east-1:{ACCOUNT}:user/target", f"arn:aws:iam::{ACCOUNT}:user/target "],
)
def test_iam_arns_have_no_region_or_trailing_space(graph: Account, bad: str) -> None:
    """IAM ARNs have a blank region and no trailing spaces: InvalidInput "ARN x is not
    valid." (IAM's ARN rules since 2024)."""
    with pytest.raises(InvalidInput) as caught:
        graph.list_policies_granting_service_access(arn=bad, service_namespaces=["s3"])
    assert caught.value.message == f"ARN {bad} is not valid."


def test_authorization_sees_the_identity_not_the_arn_as_written(account: Account) -> None:
    """The permission check is made on the identity's own ARN: a caller denied on
    user/admins/* cannot read alice's policies by leaving the path out."""
    account.create_user(user_name="alice", path="/admins/")
    account.create_user(user_name="bob")
    account.put_user_policy(
        user_name="bob",
        policy_name="p",
        policy_document=policy(
            allow(
                ["iam:ListPoliciesGrantingServiceAccess", "iam:GenerateServiceLastAccessedDetails"]
            ),
            deny("iam:*", f"arn:aws:iam::{ACCOUNT}:user/admins/*"),
        ),
    )
    written_forms = (
        f"arn:aws:iam::{ACCOUNT}:user/alice",
        f"arn:aws:iam::{ACCOUNT}:user/admins/alice",
    )
    with account.enforcing(), account.acting_as("bob"):
        for written in written_forms:
            with pytest.raises(AccessDenied):
                account.list_policies_granting_service_access(
                    arn=written, service_namespaces=["s3"]
                )
            with pytest.raises(AccessDenied):
                account.generate_service_last_accessed_details(arn=written)
