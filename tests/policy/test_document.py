"""Parsing, validating and rendering policy documents (iamcore.policy.document).

The refusal vectors are IAM's answers to CreatePolicy, as captured against
the real service by public emulator test suites; the grammar facts come from
UG "IAM JSON policy elements reference" and "Grammar of the IAM JSON policy
language".
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from iamcore.errors import MalformedPolicyDocument
from iamcore.policy import (
    Condition,
    PolicyDocument,
    Position,
    Principal,
    non_whitespace_length,
    parse_policy,
)

V = "2012-10-17"
S3 = "arn:aws:s3:::example_bucket"


def doc(statement: Any, **top: Any) -> str:
    """A policy text with Version 2012-10-17 (unless overridden) and the given Statement."""
    body: dict[str, Any] = {"Version": V, **top, "Statement": statement}
    return json.dumps(body)


def allow(**extra: Any) -> dict[str, Any]:
    """A minimal valid statement, with overrides."""
    return {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": S3, **extra}


SYNTAX = "Syntax errors in policy."
LEGACY = "The policy failed legacy parsing"
VERSION = "Policy document must be version 2012-10-17 or greater."

# (policy text, AWS's MalformedPolicyDocument message) for CreatePolicy.
REFUSED = [
    ("This is not a json document", SYNTAX),
    (json.dumps({"Statement": allow()}), VERSION),
    (json.dumps({"Version": "2008-10-17", "Statement": allow()}), VERSION),
    (json.dumps({"Version": "2013-10-17", "Statement": allow()}), SYNTAX),
    (json.dumps({"Version": V}), SYNTAX),
    (json.dumps({"Version": V, "Statement": ["afd"]}), SYNTAX),
    (json.dumps({"Version": V, "Statement": []}), SYNTAX),
    (doc(allow(), **{"Extra field": "value"}), SYNTAX),
    (doc(allow(**{"Extra field": "value"})), SYNTAX),
    (doc(allow(), Id=["cd3a324d2343d942772346-34234234423404-4c2242343242349d1642ee"]), SYNTAX),
    (doc(allow(), Id={}), SYNTAX),
    (doc(allow(Effect="invalid")), SYNTAX),
    (doc({"Action": "s3:ListBucket", "Resource": S3}), SYNTAX),
    (doc(allow(Resource={"a": S3})), SYNTAX),
    (doc(allow(Resource=["adfdf", {}])), SYNTAX),
    (doc(allow(Action=[[]])), SYNTAX),
    (doc(allow(Action={})), SYNTAX),
    (doc(allow(NotAction="s3s:ListBucket", Action=[])), SYNTAX),
    (doc(allow(NotResource=[])), SYNTAX),
    (doc(allow(Condition=[])), SYNTAX),
    (doc(allow(Condition="a")), SYNTAX),
    (doc(allow(Condition={"a": "b"})), SYNTAX),
    (doc(allow(Condition={"DateGreaterThan": "b"})), SYNTAX),
    (doc(allow(Condition={"DateGreaterThan": []})), SYNTAX),
    (doc(allow(Condition={"DateGreaterThan": {"a": {}}})), SYNTAX),
    (doc(allow(Condition={"x": {"a": "1"}})), SYNTAX),
    (doc(allow(Condition={"ForAnyValue::StringEqualsIfExists": {"a": "asf"}})), SYNTAX),
    (
        doc(allow(Condition=[{"ForAllValues:StringEquals": {"aws:TagKeys": "Department"}}])),
        SYNTAX,
    ),
    (doc(allow(Sid={})), SYNTAX),
    (doc(allow(Sid=[])), SYNTAX),
    (
        doc(allow(Action="invalid")),
        "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
    ),
    (
        doc({"Effect": "Allow", "NotAction": "", "Resource": S3}),
        "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
    ),
    (  # missing resources come first (AWS, recorded 2026)
        doc({"Effect": "Allow", "Action": "invalid"}),
        "Policy statement must contain resources.",
    ),
    (doc(allow(Action="a a:ListBucket")), "Vendor a a is not valid"),
    # recorded from AWS, 2026 (PutUserPolicy with Action "s*:Get*")
    (
        doc(allow(Action="s*:Get*")),
        "Action vendors (e.g., aws, ec2, etc.) must not contain wildcards.",
    ),
    (doc(allow(Action="s3:List:Bucket")), "Actions/Condition can contain only one colon."),
    (
        doc([allow(Action="s3s:ListBucket"), allow(Action="s:3s:ListBucket")]),
        "Actions/Condition can contain only one colon.",
    ),
    (
        doc(allow(Resource="invalid resource")),
        'Resource invalid resource must be in ARN format or "*".',
    ),
    (doc(allow(Resource="")), 'Resource  must be in ARN format or "*".'),
    (doc(allow(Resource=["adf"])), 'Resource adf must be in ARN format or "*".'),
    (
        doc({"Effect": "Allow", "Action": "s:3:ListBucket", "Resource": "sdfsadf"}),
        'Resource sdfsadf must be in ARN format or "*".',
    ),
    (
        doc({"Effect": "Allow", "NotAction": "s3s:ListBucket", "Resource": "a:bsdfdsafsad"}),
        'Partition "bsdfdsafsad" is not valid for resource "arn:bsdfdsafsad:*:*:*:*".',
    ),
    (
        doc({"Effect": "Allow", "NotAction": "s3s:ListBucket", "Resource": "a:b:cadfsdf"}),
        'Partition "b" is not valid for resource "arn:b:cadfsdf:*:*:*".',
    ),
    (
        doc({"Effect": "Allow", "NotAction": "s3s:ListBucket", "Resource": "a:b:c:d:e:f:g:h"}),
        'Partition "b" is not valid for resource "arn:b:c:d:e:f:g:h".',
    ),
    (
        doc(allow(Resource="aws:s3:::example_bucket")),
        'Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".',
    ),
    (
        doc(allow(Resource=["arn:error:s3:::example_bucket", "arn:error:s3::example_bucket"])),
        'Partition "error" is not valid for resource "arn:error:s3:::example_bucket".',
    ),
    (
        doc(allow(Resource="arn:aws")),
        "Resource vendor must be fully qualified and cannot contain regexes.",
    ),
    (
        doc(allow(Resource="arn:aws:iam:::example_bucket")),
        'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, '
        "group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, "
        "saml-provider/, oidc-provider/, report/, access-report/.",
    ),
    (
        doc(allow(Resource="arn:aws:iam:us-east-1::example_bucket")),
        "IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information.",
    ),
    (
        doc(allow(Resource="arn:aws:s3:us-east-1::example_bucket")),
        "Resource arn:aws:s3:us-east-1::example_bucket can not contain region information.",
    ),
    (
        doc({"Effect": "Allow", "Action": "s3:ListBucket"}),
        "Policy statement must contain resources.",
    ),
    (doc(allow(Resource=[])), "Policy statement must contain resources."),
    (doc({"Effect": "Allow", "Resource": S3}), "Policy statement must contain actions."),
    (doc({"Effect": "Allow"}), "Policy statement must contain actions."),
    (doc(allow(Action=[])), "Policy statement must contain actions."),
    (doc([{"Effect": "Deny"}, allow()]), "Policy statement must contain actions."),
    (
        doc([allow(Sid="sdf"), {"Sid": "sdf", "Effect": "Allow"}]),
        "Statement IDs (SID) in a single policy must be unique.",
    ),
    (
        json.dumps({"Statement": [allow(Sid="sdf"), {"Sid": "sdf", "Effect": "Allow"}]}),
        VERSION,
    ),
    (doc(allow(NotAction="s3:ListBucket", Action="iam:dsf")), SYNTAX),
    (doc(allow(NotResource="*")), SYNTAX),
    (doc(allow(Resource="arn:aws:s3::example_bucket")), LEGACY),
    (doc({"Effect": "Allow", "Resource": "arn:aws:s3::example_bucket"}), LEGACY),
    (doc(allow(Effect="denY")), LEGACY),
    (doc([allow(Sid="sdf", Effect="aLLow"), {"Sid": "sdf", "Effect": "Allow"}]), LEGACY),
    (doc({"Effect": "allow", "Resource": "arn:aws:s3:us-east-1::example_bucket"}), LEGACY),
    (doc({"Effect": "Allow", "NotAction": "s3:ListBucket", "Resource": "arn:aws::::x"}), LEGACY),
    (
        doc({"Effect": "Allow", "Action": "s3:ListBucket", "NotResource": "arn:aws:s3::x"}),
        LEGACY,
    ),
    (doc(allow(Resource="arn:aws::fdsasf")), LEGACY),
    (doc(allow(Condition={"DateGreaterThan": {"a": "sdfdsf"}})), LEGACY),
    (doc({"Effect": "Allow", "Condition": {"DateGreaterThan": {"a": "sdfdsf"}}}), LEGACY),
    (
        json.dumps({"Statement": allow(Condition={"DateGreaterThan": {"a": "sdfdsf"}})}),
        VERSION,
    ),
    (json.dumps({"Statement": allow(Effect="denY")}), VERSION),
    (doc(allow(Condition={"DateLessThanEquals": {"a": "234-13"}})), LEGACY),
    (doc(allow(Condition={"DateLessThanEquals": {"a": "2016-12-13t2:00:00.593194+1"}})), LEGACY),
    (
        doc(allow(Condition={"DateLessThanEquals": {"a": "2016-12-13t2:00:00.1999999999+10:59"}})),
        LEGACY,
    ),
    (doc(allow(Condition={"DateLessThan": {"a": "9223372036854775808"}})), LEGACY),
    (
        doc(
            allow(
                Resource="arn:error:s3:::example_bucket",
                Condition={"DateGreaterThan": {"a": "sdfdsf"}},
            )
        ),
        LEGACY,
    ),
]


@pytest.mark.parametrize(("text", "message"), REFUSED)
def test_refused_documents_give_aws_messages(text: str, message: str) -> None:
    """CreatePolicy refuses malformed documents with IAM's MalformedPolicyDocument message."""
    with pytest.raises(MalformedPolicyDocument) as info:
        parse_policy(text, managed=True)
    assert message == info.value.message
    assert info.value.code == "MalformedPolicyDocument"
    assert info.value.http_status == 400


ACCEPTED = [
    doc(allow(Resource=[S3])),
    doc(allow(Action="iam: asdf safdsf af ")),
    doc(allow(Resource=[S3, "*"])),
    doc(allow(Action="*")),
    doc([allow()]),
    doc(
        {
            "Effect": "Allow",
            "Action": "service-prefix:action-name",
            "Resource": "*",
            "Condition": {
                "DateGreaterThan": {"aws:CurrentTime": "2017-07-01T00:00:00Z"},
                "DateLessThan": {"aws:CurrentTime": "2017-12-31T23:59:59Z"},
            },
        }
    ),
    doc(allow(Action="fsx:ListBucket")),
    doc(allow(Resource="arn:aws:iam:::user/example_bucket")),
    doc(allow(Resource="arn:aws:s33:::example_bucket")),
    doc(allow(Resource="arn:aws:fdsasf")),
    doc(allow(Condition={})),
    doc(allow(Condition={"ForAllValues:StringEquals": {"aws:TagKeys": "Department"}})),
    doc(allow(Resource="arn:aws:cloudwatch:us-east-1::example_bucket")),
    doc(allow(Resource="arn:aws:invalid-service:us-east-1::example_bucket")),
    doc(allow(Condition={"DateGreaterThan": {}})),
    doc(allow(Condition={"DateGreaterThan": {"a": []}})),
    doc(allow(Condition={"a": {}})),
    doc(allow(Condition={"x": {}, "y": {}})),
    doc(allow(Sid="dsfsdfsdfsdfsdfsadfsd")),
    doc({"Effect": "Allow", "NotAction": "s3:ListBucket", "NotResource": "*"}),
    doc(
        {
            "Effect": "Deny",
            "Action": "s3:*",
            "NotResource": ["arn:aws:s3:::HRBucket/Payroll", "arn:aws:s3:::HRBucket/Payroll/*"],
        }
    ),
    doc({"Effect": "Allow", "NotAction": "s3:ListBucket", "Resource": S3}, Id="sdfsdfsdf"),
    doc(allow(Action="aaaaaadsfdsafsadfsadfaaaaa:ListBucket")),
    doc(allow(Action="s3-s:ListBucket")),
    doc(allow(Action="s3.s:ListBucket")),
    doc([allow(Sid="sdf"), allow()]),
    doc(allow(Condition={"DateGreaterThan": {"a": "01T"}})),
    doc(allow(Condition={"StringEqualsIfExists": {"a": "asf"}})),
    doc(allow(Condition={"ForAnyValue:StringEqualsIfExists": {"a": "asf"}})),
    doc(allow(Condition={"DateLessThanEquals": {"a": "2019-07-01T13:20:15Z"}})),
    doc(allow(Condition={"DateLessThanEquals": {"a": "2016-12-13T21:20:37.593194+00:00"}})),
    doc(allow(Condition={"DateLessThanEquals": {"a": "2016-12-13t2:00:00.593194+23"}})),
    doc(allow(Condition={"DateLessThan": {"a": "-292275054"}})),
    doc(allow(Resource="arn:aws:iam::*:user/${aws:username}")),
    doc(allow(Condition={"Bool": {"aws:SecureTransport": False}})),
    doc(allow(Condition={"NumericLessThanEquals": {"s3:max-keys": 10}})),
    # S3 access points are regional and carry an account: AWS accepts them (LS, 2026)
    doc(allow(Resource="arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point")),
    doc(allow(Resource="arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point/object/*")),
    # "root" is an IAM resource path ('must either be "*", root, or start with …')
    doc(allow(Resource="arn:aws:iam::123456789012:root")),
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_accepted_documents(text: str) -> None:
    """CreatePolicy accepts these documents (IAM's observed acceptance)."""
    assert parse_policy(text, managed=True).statements


def test_inline_policies_may_omit_version() -> None:
    """Inline policies may omit Version; it is then None and variables are literal (UG Version)."""
    document = parse_policy(json.dumps({"Statement": allow()}))
    assert document.version is None
    assert not document.substitutes_variables
    assert parse_policy(json.dumps({"Version": "2008-10-17", "Statement": allow()})).version == (
        "2008-10-17"
    )


@pytest.mark.parametrize("kind", ["identity", "boundary"])
def test_identity_and_boundary_policies_refuse_principal(kind: Any) -> None:
    """A policy attached to an identity may not name a principal (UG Principal)."""
    for element in ("Principal", "NotPrincipal"):
        text = doc(allow(**{element: {"AWS": "arn:aws:iam::123456789012:root"}}))
        with pytest.raises(MalformedPolicyDocument) as info:
            parse_policy(text, kind=kind)
        assert info.value.message == "Policy document should not specify a principal."


def test_resource_policies_require_principal() -> None:
    """Resource-based policies must name a principal (S3: "Missing required field Principal")."""
    with pytest.raises(MalformedPolicyDocument) as info:
        parse_policy(doc(allow()), kind="resource")
    assert info.value.message == "Missing required field Principal"


def test_resource_policy_principals_are_parsed() -> None:
    """Principal "*" and {"AWS": [...], "Service": ...} become Principal values (UG Principal)."""
    text = doc(
        [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"},
            {
                "Effect": "Allow",
                "Principal": {"AWS": ["111122223333", "arn:aws:iam::111122223333:user/a"]},
                "NotAction": "s3:Delete*",
            },
            {"Effect": "Deny", "NotPrincipal": {"Service": "ec2.amazonaws.com"}, "Action": "*"},
        ]
    )
    first, second, third = parse_policy(text, kind="resource").statements
    assert first.principals == (Principal("*", "*"),)
    assert first.resources is None
    assert second.principals == (
        Principal("AWS", "111122223333"),
        Principal("AWS", "arn:aws:iam::111122223333:user/a"),
    )
    assert third.not_principals == (Principal("Service", "ec2.amazonaws.com"),)


def test_sids_must_be_alphanumeric_in_iam_policies() -> None:
    """UG Sid: IAM policies accept only A-Z, a-z and 0-9 in a Sid; resource policies are freer."""
    with pytest.raises(MalformedPolicyDocument) as info:
        parse_policy(doc(allow(Sid="autogenerated-id")))
    assert info.value.message == (
        "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the "
        "regular expression [0-9A-Za-z]*"
    )
    text = doc({"Sid": "Allow read", "Effect": "Allow", "Principal": "*", "Action": "s3:Get*"})
    assert parse_policy(text, kind="resource").statements[0].sid == "Allow read"


def test_statement_positions_match_the_simulator() -> None:
    """Positions are those the simulator reports: the AWS CLI example gives (1, 38)–(1, 167)."""
    text = (
        '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*",'
        '"Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":'
        '"2018-08-16T12:00:00Z"}}}}'
    )
    statement = parse_policy(text).statements[0]
    assert Position(1, 38) == statement.start_position
    assert Position(1, 167) == statement.end_position


def test_positions_count_lines() -> None:
    """Lines and columns are 1-based; a later statement starts where the previous one ended."""
    text = (
        '{\n  "Version": "2012-10-17",\n  "Statement": [\n'
        '    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},\n'
        '    {\n      "Effect": "Deny", "Action": "iam:*", "Resource": "*"\n    }\n  ]\n}'
    )
    first, second = parse_policy(text).statements
    assert (Position(3, 17), Position(4, 59)) == (first.start_position, first.end_position)
    assert (Position(4, 59), Position(7, 6)) == (second.start_position, second.end_position)


def test_single_string_and_one_element_list_are_equal() -> None:
    """ "A string or a list of strings": a single string equals a one-element list (UG grammar)."""
    as_strings = parse_policy(doc(allow(Condition={"StringEquals": {"aws:username": "bob"}})))
    as_lists = parse_policy(
        doc(
            [
                {
                    "Effect": "Allow",
                    "Action": ["s3:ListBucket"],
                    "Resource": [S3],
                    "Condition": {"StringEquals": {"aws:username": ["bob"]}},
                }
            ]
        )
    )
    assert as_strings == as_lists


def test_render_round_trips_and_keeps_every_element() -> None:
    """render() is canonical JSON: parse(render(d)) == d, including Id, Sid and conditions."""
    text = doc(
        [
            allow(
                Sid="A1",
                Condition={
                    "StringLike": {"s3:prefix": ["home/${aws:username}/*", ""]},
                    "Bool": {"aws:SecureTransport": True},
                    "NumericLessThan": {"s3:max-keys": 10},
                },
            ),
            {"Effect": "Deny", "NotAction": "iam:*", "NotResource": "arn:aws:iam::*:user/x"},
        ],
        Id="policy-1",
    )
    document = parse_policy(text)
    again = parse_policy(document.render())
    assert document == again
    assert again.id == "policy-1"
    assert again.statements[0].conditions == (
        Condition("StringLike", "s3:prefix", ("home/${aws:username}/*", "")),
        Condition("Bool", "aws:SecureTransport", ("true",)),
        Condition("NumericLessThan", "s3:max-keys", ("10",)),
    )


def test_equality_ignores_text_and_positions() -> None:
    """Two spellings of the same policy are equal; the original text is kept on the value."""
    compact = doc(allow())
    spaced = json.dumps(json.loads(compact), indent=4)
    first, second = parse_policy(compact), parse_policy(spaced)
    assert first == second
    assert hash(first) == hash(second)
    assert second.text == spaced
    assert first.statements[0].start_position != second.statements[0].start_position


def test_document_is_frozen() -> None:
    """Documents are immutable values."""
    document = parse_policy(doc(allow()))
    assert isinstance(document, PolicyDocument)
    with pytest.raises(AttributeError):
        document.version = "x"  # type: ignore[misc]


def test_non_whitespace_length() -> None:
    """UG quotas: "IAM does not count white space when calculating the size of a policy"."""
    assert non_whitespace_length(' { "a" :\n\t"b c" } ') == 10
    assert non_whitespace_length("") == 0


def test_duplicate_json_keys_keep_the_last() -> None:
    """A repeated JSON key keeps its last value, as common JSON readers do (iamcore's choice)."""
    text = '{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Effect": "Allow", ' + (
        '"Action": "s3:*", "Resource": "*"}}'
    )
    assert parse_policy(text).statements[0].effect == "Allow"


@pytest.mark.parametrize(
    "text",
    ["[]", '"x"', "{", '{"Version": "2012-10-17", "Statement": {}}x', "[" * 300 + "]" * 300],
)
def test_non_object_json_is_a_syntax_error(text: str) -> None:
    """Policy JSON must be one object ("Syntax errors in policy.")."""
    with pytest.raises(MalformedPolicyDocument) as info:
        parse_policy(text)
    assert info.value.message == SYNTAX
