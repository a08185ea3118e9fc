"""Wildcard matching of actions, resources and ARNs (iamcore.policy.matching)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iamcore.policy import action_matches, arn_like, resource_matches
from iamcore.policy.matching import service_of, wildcard_matches


@pytest.mark.parametrize(
    ("pattern", "action", "expected"),
    [
        ("iam:Get*", "iam:GetUser", True),
        ("iam:Get*", "iam:getuser", True),  # UG Action: action names are case-insensitive
        ("IAM:GETUSER", "iam:GetUser", True),
        ("iam:Get*", "iam:ListUsers", False),
        ("iam:*AccessKey*", "iam:CreateAccessKey", True),
        ("iam:*AccessKey*", "iam:UpdateAccessKey", True),
        ("iam:*AccessKey*", "iam:ListUsers", False),
        ("s3:*Object", "s3:GetObject", True),
        ("s3:*Object", "s3:GetObjectAcl", False),
        ("s3:Get?bject", "s3:GetObject", True),
        ("s3:Get?bject", "s3:GetOObject", False),
        ("*", "iam:CreateUser", True),
        ("iam:*", "iam:CreateUser", True),
        ("iam:*", "sts:AssumeRole", False),
        ("ec2:*", "ec2messages:GetMessages", False),
        ("iam:Create.User", "iam:CreateXUser", False),  # '.' is literal, not a regex
    ],
)
def test_action_matching(pattern: str, action: str, expected: bool) -> None:
    """UG Action: case-insensitive names with * and ? wildcards."""
    assert expected == action_matches(pattern, action)


@pytest.mark.parametrize(
    ("pattern", "resource", "expected"),
    [
        ("*", "arn:aws:s3:::anything/at/all", True),
        ("arn:aws:iam::123456789012:user/Bob", "arn:aws:iam::123456789012:user/Bob", True),
        # UG Resource: "In the Resource element, the IAM user name is case sensitive."
        ("arn:aws:iam::123456789012:user/Bob", "arn:aws:iam::123456789012:user/bob", False),
        (
            "arn:aws:iam::123456789012:user/accounting/*",
            "arn:aws:iam::123456789012:user/accounting/a",
            True,
        ),
        (
            "arn:aws:iam::123456789012:user/accounting/*",
            "arn:aws:iam::123456789012:user/accounting/x/y",
            True,
        ),
        (
            "arn:aws:iam::123456789012:user/accounting/*",
            "arn:aws:iam::123456789012:user/eng/a",
            False,
        ),
        # "*" expands over "/" inside the resource segment.
        ("arn:aws:s3:::amzn-s3-demo-bucket/*", "arn:aws:s3:::amzn-s3-demo-bucket/a/b/c.txt", True),
        ("arn:aws:s3:::amzn-s3-demo-bucket/*", "arn:aws:s3:::amzn-s3-demo-bucket", False),
        ("arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:us-east-1:123456789012:instance/i-1", True),
        (
            "arn:aws:ec2:us-*:*:instance/*",
            "arn:aws:ec2:eu-west-1:123456789012:instance/i-1",
            False,
        ),
        ("arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::1:user/${aws:username}", True),
        # A "*" ending a segment may expand beyond the colon boundary ...
        (
            "arn:aws:logs:us-east-1:123456789012:log-group:*",
            "arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:s",
            True,
        ),
        # ... while one inside a segment stays within it.
        ("arn:aws:s3:::a*z", "arn:aws:s3:::a:z", False),
        ("arn:aws:s3:::a*z", "arn:aws:s3:::a/b/z", True),
        (
            "arn:aws:sqs:us-east-2:?????????????:queue1",
            "arn:aws:sqs:us-east-2:123456789012:queue1",
            False,
        ),
        (
            "arn:aws:sqs:us-east-2:????????????:queue1",
            "arn:aws:sqs:us-east-2:123456789012:queue1",
            True,
        ),
        (
            "arn:aws:sqs:us-east-2:????????????:queue1",
            "arn:aws:sqs:us-east-2:12345678901:queue1",
            False,
        ),
    ],
)
def test_resource_matching(pattern: str, resource: str, expected: bool) -> None:
    """UG Resource: case-sensitive ARNs, wildcards within segments, trailing * crossing colons."""
    assert expected == resource_matches(pattern, resource)


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        (
            "arn:aws:sns:us-east-1:123456789012:topic",
            "arn:aws:sns:us-east-1:123456789012:topic",
            True,
        ),
        ("arn:aws:sns:*:123456789012:*", "arn:aws:sns:us-east-1:123456789012:topic", True),
        ("arn:aws:sns:*:123456789012:*", "arn:aws:sns:us-east-1:999999999999:topic", False),
        ("arn:aws:iam::*:role/Admin*", "arn:aws:iam::123456789012:role/AdminRole", True),
        ("arn:aws:iam::*:role/Admin*", "arn:aws:iam::123456789012:role/adminrole", False),
        # Each of the six components is checked separately: '*' stays in its component.
        ("arn:aws:s3:::*", "arn:aws:s3:us-east-1::bucket", False),
        ("arn:*:s3:::bucket", "arn:aws:s3:::bucket", True),
        (
            "arn:aws:ec2:*:*:instance/instance-id",
            "arn:aws:ec2:us-east-1:1:instance/instance-id",
            True,
        ),
        # the resource component keeps its own colons
        ("arn:aws:logs:*:*:log-group:g:*", "arn:aws:logs:r:1:log-group:g:log-stream:x", True),
        ("*", "arn:aws:s3:::bucket", True),
        ("arn:aws:s3:::bucket", "not-an-arn", False),
        ("arn:aws:s3", "arn:aws:s3", False),
    ],
)
def test_arn_like(pattern: str, value: str, expected: bool) -> None:
    """UG Condition operators (ARN): the six colon-delimited components are checked separately."""
    assert expected == arn_like(pattern, value)


def test_service_prefix() -> None:
    """The service prefix of an action is the part before the colon, lower-cased."""
    assert service_of("IAM:CreateUser") == "iam"
    assert service_of("*") == ""


@given(st.text(alphabet="ab*?/:", max_size=8), st.text(alphabet="ab/:", max_size=8))
def test_star_alone_matches_everything_and_literals_match_themselves(
    pattern: str, value: str
) -> None:
    """``*`` matches any value, and a wildcard-free pattern matches exactly itself."""
    assert wildcard_matches("*", value)
    literal = pattern.replace("*", "").replace("?", "")
    assert wildcard_matches(literal, value) == (literal == value)


@given(st.text(alphabet="abAB", min_size=1, max_size=6))
def test_action_matching_ignores_case(name: str) -> None:
    """Actions match whatever the case on either side (UG Action)."""
    assert action_matches(f"svc:{name.upper()}", f"SVC:{name.lower()}")
