"""Policy variables (UG "IAM policy elements: Variables and tags")."""

from __future__ import annotations

import json
from typing import Any

import pytest

from iamcore.policy import Request, SourcedPolicy, evaluate, parse_policy
from iamcore.policy.variables import Unresolved, referenced_keys, substitute, unprotect


def lookup(values: dict[str, str]) -> Any:
    lowered = {k.lower(): v for k, v in values.items()}
    return lambda key: lowered.get(key.lower())


def test_substitution_and_defaults() -> None:
    """${key} takes the request value; ${key, 'default'} falls back to the default."""
    values = lookup({"aws:username": "David", "aws:PrincipalTag/team": "blue"})
    assert substitute("home/${aws:username}/*", values) == "home/David/*"
    assert substitute("${aws:userid, 'anonymous'}", values) == "anonymous"
    assert substitute("${aws:PrincipalTag/team, 'shared'}", values) == "blue"
    assert substitute("${AWS:USERNAME}", values) == "David"  # key names ignore case
    assert substitute("no variables", values) == "no variables"


def test_missing_variable_without_default_is_unresolved() -> None:
    """A key that is "not present ... causes the statement to be invalid"."""
    with pytest.raises(Unresolved) as info:
        substitute("x/${aws:TokenIssueTime}", lookup({}))
    assert info.value.key == "aws:TokenIssueTime"


def test_special_characters() -> None:
    """${*}, ${?} and ${$} stand for literal *, ? and $."""
    text = substitute("a${*}b${?}c${$}d", lookup({}))
    assert unprotect(text) == "a*b?c$d"
    assert list(referenced_keys("a${*}${aws:username}${?}")) == ["aws:username"]


def statement_policy(
    statement: dict[str, Any], version: str | None = "2012-10-17"
) -> list[SourcedPolicy]:
    body: dict[str, Any] = {"Statement": statement}
    if version:
        body["Version"] = version
    return [SourcedPolicy("p", "user", parse_policy(json.dumps(body)))]


def allowed(
    policies: list[SourcedPolicy], action: str, resource: str = "*", **context: Any
) -> bool:
    return evaluate(Request(action, resource, context), policies).allowed


def test_escaped_asterisk_is_literal_in_string_like() -> None:
    """${*} in a StringLike value matches only an actual asterisk, not any text."""
    policies = statement_policy(
        {
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": "*",
            "Condition": {"StringLike": {"s3:prefix": "a${*}"}},
        }
    )
    assert allowed(policies, "s3:ListBucket", **{"s3:prefix": "a*"})
    assert not allowed(policies, "s3:ListBucket", **{"s3:prefix": "abc"})


def test_substituted_values_are_literal_not_wildcards() -> None:
    """A value put in by a variable is matched literally (its * is not a wildcard)."""
    policies = statement_policy(
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/${aws:PrincipalTag/dir}",
        }
    )
    assert allowed(policies, "s3:GetObject", "arn:aws:s3:::b/*", **{"aws:PrincipalTag/dir": "*"})
    assert not allowed(
        policies, "s3:GetObject", "arn:aws:s3:::b/secret", **{"aws:PrincipalTag/dir": "*"}
    )


def test_variables_only_in_the_resource_part_of_an_arn() -> None:
    """Variables work "only in the resource portion of the ARN" (after the fifth colon)."""
    policies = statement_policy(
        {
            "Effect": "Allow",
            "Action": "sqs:*",
            "Resource": "arn:aws:sqs:us-east-2:*:${aws:username}-queue",
        }
    )
    assert allowed(
        policies,
        "sqs:SendMessage",
        "arn:aws:sqs:us-east-2:123456789012:bob-queue",
        **{"aws:username": "bob"},
    )
    assert not allowed(
        policies,
        "sqs:SendMessage",
        "arn:aws:sqs:us-east-2:123456789012:eve-queue",
        **{"aws:username": "bob"},
    )


def test_variables_not_substituted_in_numeric_date_bool_ip_null() -> None:
    """UG Variables: no variables in Numeric, Date, Bool, Binary, IP or Null values (literal)."""
    policies = statement_policy(
        {
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": "*",
            "Condition": {"NumericLessThan": {"s3:max-keys": "${aws:limit}"}},
        }
    )
    assert not allowed(policies, "s3:ListBucket", **{"s3:max-keys": "1", "aws:limit": "10"})


def test_variables_in_arn_condition_values() -> None:
    """ARN operators take variables too (UG Variables, Condition element)."""
    policies = statement_policy(
        {
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": "*",
            "Condition": {
                "ArnLike": {"iam:PassedToService": "arn:aws:iam::*:role/${aws:username}-*"}
            },
        }
    )
    assert allowed(
        policies,
        "iam:PassRole",
        **{"aws:username": "bob", "iam:PassedToService": "arn:aws:iam::1:role/bob-app"},
    )
    assert not allowed(
        policies,
        "iam:PassRole",
        **{"aws:username": "bob", "iam:PassedToService": "arn:aws:iam::1:role/eve-app"},
    )


def test_multivalued_keys_are_not_variables() -> None:
    """Only single-valued context keys can be policy variables (UG multivalued context keys)."""
    policies = statement_policy(
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:TagKeys}"}
    )
    assert not allowed(policies, "s3:GetObject", "arn:aws:s3:::b/a", **{"aws:TagKeys": ("a", "b")})
    assert allowed(policies, "s3:GetObject", "arn:aws:s3:::b/a", **{"aws:TagKeys": ("a",)})


def test_sns_topic_policy_example() -> None:
    """UG Variables, SNS example: sns:endpoint must match the user's URL; protocol https."""
    text = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Principal": {"AWS": "999999999999"},
                    "Effect": "Allow",
                    "Action": "sns:*",
                    "Condition": {
                        "StringLike": {"sns:endpoint": "https://example.com/${aws:username}/"},
                        "StringEquals": {"sns:Protocol": "https"},
                    },
                }
            ],
        }
    )
    topic = [SourcedPolicy("topic", "resource", parse_policy(text, kind="resource"))]
    user = "arn:aws:iam::999999999999:user/bob"
    identity = [
        SourcedPolicy(
            "p",
            "user",
            parse_policy(
                json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": {"Effect": "Allow", "Action": "sns:*", "Resource": "*"},
                    }
                )
            ),
        )
    ]
    context = {
        "aws:username": "bob",
        "sns:endpoint": "https://example.com/bob/",
        "sns:Protocol": "https",
    }
    # The grant is to the account, so the user's identity policy must allow too.
    assert evaluate(
        Request("sns:Subscribe", "*", context),
        identity,
        resource_policies=topic,
        principal_arn=user,
    ).allowed
    assert not evaluate(
        Request("sns:Subscribe", "*", context), [], resource_policies=topic, principal_arn=user
    ).allowed
