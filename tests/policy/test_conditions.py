"""Condition operators (UG "IAM JSON policy elements: Condition operators").

Each table row is (operator, policy values, request context value(s), expected);
``MISSING`` means the key is absent from the request context.  Rows follow the
examples and result tables of the AWS pages "Condition operators",
"Single-valued vs. multivalued context keys" and "Multivalued context key
examples".
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from ipaddress import ip_address
from typing import Any

import pytest

from iamcore.errors import InvalidInput, MalformedPolicyDocument
from iamcore.policy import Request, parse_operator, parse_policy
from iamcore.policy.conditions import compile_condition, parse_date

MISSING = object()


def holds(
    operator: str,
    values: tuple[str, ...] | str,
    context: Any,
    *,
    key: str = "k:key",
    variables: dict[str, str] | None = None,
) -> bool:
    """Evaluate one ``{operator: {key: values}}`` clause against one context key."""
    if isinstance(values, str):
        values = (values,)
    condition = compile_condition(operator, key, values, substitute_variables=True)
    entries: dict[str, Any] = dict(variables or {})
    if context is not MISSING:
        entries[key] = context
    request = Request("svc:Act", context=entries)
    return condition.evaluate(request.context, request.lookup)


def check(rows: list[tuple[str, Any, Any, bool]]) -> None:
    for operator, values, context, expected in rows:
        assert expected == holds(operator, values, context), (operator, values, context)


# --------------------------------------------------------------------------------------
# String


def test_string_equals_is_exact_and_case_sensitive() -> None:
    """StringEquals: "Exact matching, case sensitive"; several policy values are OR'ed."""
    check(
        [
            ("StringEquals", "iamuser-admin", "iamuser-admin", True),
            ("StringEquals", "iamuser-admin", "IAMUSER-ADMIN", False),
            ("StringEquals", "iamuser-admin", "iamuser", False),
            ("StringEquals", ("A-123", "B-456"), "B-456", True),
            ("StringEquals", ("A-123", "B-456"), "C-789", False),
            # "If the key that you specify in a policy condition is not present in the
            # request context, the values do not match and the condition is false."
            ("StringEquals", "iamuser-admin", MISSING, False),
            # Wildcards are literal for StringEquals.
            ("StringEquals", "a*", "abc", False),
            ("StringEquals", "a*", "a*", True),
        ]
    )


def test_string_not_equals_is_a_nor() -> None:
    """StringNotEquals: true when the value matches none of the policy values (NOR)."""
    check(
        [
            ("StringNotEquals", ("A-123", "B-456"), "C-789", True),
            ("StringNotEquals", ("A-123", "B-456"), "A-123", False),
            ("StringNotEquals", ("A-123", "B-456"), "B-456", False),
            ("StringNotEquals", "x", "X", True),
            # A negated operator on a missing key is true ("Important" note).
            ("StringNotEquals", "x", MISSING, True),
        ]
    )


def test_string_ignore_case() -> None:
    """StringEqualsIgnoreCase / StringNotEqualsIgnoreCase ignore the case of values."""
    check(
        [
            ("StringEqualsIgnoreCase", "Production", "PRODUCTION", True),
            ("StringEqualsIgnoreCase", "Production", "prod", False),
            ("StringNotEqualsIgnoreCase", "Production", "production", False),
            ("StringNotEqualsIgnoreCase", "Production", "staging", True),
            ("StringEqualsIgnoreCase", "x", MISSING, False),
            ("StringNotEqualsIgnoreCase", "x", MISSING, True),
        ]
    )


def test_string_like_wildcards() -> None:
    """StringLike: case-sensitive, * and ? anywhere; partial matches need a wildcard."""
    check(
        [
            ("StringLike", "home/David/*", "home/David/notes.txt", True),
            ("StringLike", "home/David/*", "home/david/notes.txt", False),
            ("StringLike", "home/David", "home/David/notes.txt", False),
            ("StringLike", "t?.micro", "t2.micro", True),
            ("StringLike", "t?.micro", "t22.micro", False),
            ("StringLike", ("t1.*", "t2.*", "m3.*"), "m3.large", True),
            ("StringLike", "*", "", True),
            ("StringLike", "", "", True),
            ("StringLike", "a.c", "abc", False),  # regex metacharacters are literal
            ("StringLike", "x", MISSING, False),
        ]
    )


def test_string_not_like() -> None:
    """StringNotLike: true when no pattern matches; true when the key is missing (UG note)."""
    check(
        [
            ("StringNotLike", "key1*", "key2:audit", True),
            ("StringNotLike", "key1*", "key1:legal", False),
            ("StringNotLike", ("a*", "b*"), "bee", False),
            ("StringNotLike", "x*", MISSING, True),
        ]
    )


def test_string_operators_compare_typed_context_values_as_text() -> None:
    """Numbers and booleans in the context compare by their text form."""
    check(
        [
            ("StringEquals", "true", True, True),
            ("StringEquals", "10", 10, True),
            ("StringLike", "1*", Decimal("15"), True),
        ]
    )


# --------------------------------------------------------------------------------------
# Numeric


def test_numeric_operators() -> None:
    """Numeric*: integers and decimals compared as numbers (UG numeric condition operators)."""
    check(
        [
            ("NumericLessThanEquals", "10", "10", True),
            ("NumericLessThanEquals", "10", "11", False),
            ("NumericLessThanEquals", "10", "9.5", True),
            ("NumericLessThan", "10", "10", False),
            ("NumericLessThan", "10", "-3", True),
            ("NumericGreaterThan", "10", "10.01", True),
            ("NumericGreaterThanEquals", "10", "10.0", True),
            ("NumericEquals", "1", "1.0", True),
            ("NumericEquals", "1", Decimal("1.00"), True),
            ("NumericEquals", "1", 1, True),
            ("NumericNotEquals", ("1", "2"), "3", True),
            ("NumericNotEquals", ("1", "2"), "2", False),
            ("NumericEquals", "10", "ten", False),
            ("NumericEquals", "ten", "10", False),
            ("NumericLessThan", "10", MISSING, False),
            ("NumericNotEquals", "10", MISSING, True),
        ]
    )


# --------------------------------------------------------------------------------------
# Date


def test_date_operators_with_iso_8601_and_epoch() -> None:
    """Date*: ISO 8601 (with zones) or epoch seconds, compared as instants (UG date operators)."""
    check(
        [
            # UG example: aws:TokenIssueTime DateGreaterThan 2020-01-01T00:00:01Z
            ("DateGreaterThan", "2020-01-01T00:00:01Z", "2020-01-01T00:00:02Z", True),
            ("DateGreaterThan", "2020-01-01T00:00:01Z", "2020-01-01T00:00:01Z", False),
            ("DateGreaterThanEquals", "2020-01-01T00:00:01Z", "2020-01-01T00:00:01Z", True),
            ("DateLessThan", "2019-06-30T00:00:00Z", "2019-06-29T23:59:59Z", True),
            ("DateLessThanEquals", "2019-06-30", "2019-06-30T00:00:00Z", True),
            # The same instant in two zones is equal.
            ("DateEquals", "2020-01-01T02:00:00+02:00", "2020-01-01T00:00:00Z", True),
            ("DateEquals", "2020-01-01T00:00:00-05:00", "2020-01-01T05:00:00Z", True),
            ("DateNotEquals", "2020-01-01T02:00:00+02:00", "2020-01-01T00:00:00Z", False),
            # Epoch seconds on either side.
            ("DateEquals", "1577836800", "2020-01-01T00:00:00Z", True),
            ("DateLessThan", "2020-01-01T00:00:00Z", "1577836799", True),
            ("DateGreaterThan", "2020-01-01T00:00:00Z", datetime(2021, 1, 1, tzinfo=UTC), True),
            ("DateGreaterThan", "2020-01-01T00:00:00Z", "not a date", False),
            ("DateGreaterThan", "2020-01-01T00:00:00Z", MISSING, False),
            ("DateNotEquals", "2020-01-01T00:00:00Z", MISSING, True),
        ]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-07-16T12:00:00Z", datetime(2019, 7, 16, 12, tzinfo=UTC)),
        ("2016-12-13T21:20:37.593194+00:00", datetime(2016, 12, 13, 21, 20, 37, 593000, UTC)),
        ("2016-12-13t2:00:00.593194+23", datetime(2016, 12, 12, 3, 0, 0, 593000, UTC)),
        ("2019-07-16", datetime(2019, 7, 16, tzinfo=UTC)),
        ("2019-07", datetime(2019, 7, 1, tzinfo=UTC)),
        ("01T", datetime(1, 1, 1, tzinfo=UTC)),
        ("1563278400", datetime(2019, 7, 16, 12, tzinfo=UTC)),
        ("0", datetime(1970, 1, 1, tzinfo=UTC)),
        ("-292275054", datetime.min.replace(tzinfo=UTC)),
        ("sdfdsf", None),
        ("234-13", None),
        ("2016-12-13t2:00:00.593194+1", None),
        ("9223372036854775808", None),
        ("2019-07-16T24:00:00Z", None),
        ("1.5", None),
    ],
)
def test_date_values(text: str, expected: datetime | None) -> None:
    """Date values IAM accepts (and the instants they stand for); None for refused values."""
    assert expected == parse_date(text)


# --------------------------------------------------------------------------------------
# Bool, binary, IP


def test_bool() -> None:
    """Bool: "Boolean matching"; e.g. aws:SecureTransport "false" matches plain HTTP requests."""
    check(
        [
            ("Bool", "false", "false", True),
            ("Bool", "false", False, True),
            ("Bool", "true", True, True),
            ("Bool", "true", "TRUE", True),
            ("Bool", "true", False, False),
            ("Bool", "true", MISSING, False),
            ("BoolIfExists", "false", MISSING, True),
        ]
    )


def test_binary_equals() -> None:
    """BinaryEquals: base64-encoded policy value compared byte by byte (UG example)."""
    check(
        [
            ("BinaryEquals", "QmluYXJ5VmFsdWVJbkJhc2U2NA==", b"BinaryValueInBase64", True),
            ("BinaryEquals", "QmluYXJ5VmFsdWVJbkJhc2U2NA==", "QmluYXJ5VmFsdWVJbkJhc2U2NA==", True),
            ("BinaryEquals", "QmluYXJ5VmFsdWVJbkJhc2U2NA==", b"other", False),
            ("BinaryEquals", "not base64!", b"x", False),
            ("BinaryEquals", "QQ==", MISSING, False),
        ]
    )


def test_ip_address_v4_and_v6() -> None:
    """IpAddress / NotIpAddress: IPv4 and IPv6 CIDR blocks (UG IP address operators)."""
    check(
        [
            ("IpAddress", "203.0.113.0/24", "203.0.113.7", True),
            ("IpAddress", "203.0.113.0/24", "203.0.114.7", False),
            ("IpAddress", "203.0.113.7", "203.0.113.7", True),  # a bare address is a /32
            (
                "IpAddress",
                ("203.0.113.0/24", "2001:DB8:1234:5678::/64"),
                "2001:db8:1234:5678::1",
                True,
            ),
            ("IpAddress", "2001:DB8:1234:5678::/64", "2001:db8:1234:5679::1", False),
            ("IpAddress", "0.0.0.0/0", "::1", False),  # families never match each other
            ("IpAddress", "10.0.0.0/8", ip_address("10.1.2.3"), True),
            ("IpAddress", "10.0.0.0/8", "not-an-ip", False),
            ("NotIpAddress", "203.0.113.0/24", "198.51.100.1", True),
            ("NotIpAddress", "203.0.113.0/24", "203.0.113.1", False),
            ("IpAddress", "203.0.113.0/24", MISSING, False),
            ("NotIpAddress", "203.0.113.0/24", MISSING, True),
        ]
    )


# --------------------------------------------------------------------------------------
# ARN


def test_arn_operators() -> None:
    """ArnEquals and ArnLike behave alike: six components, each with * and ?; case-sensitive."""
    topic = "arn:aws:sns:us-east-1:123456789012:my-topic"
    check(
        [
            ("ArnEquals", "arn:aws:sns:us-east-1:123456789012:my-topic", topic, True),
            ("ArnEquals", "arn:aws:sns:*:123456789012:*", topic, True),
            ("ArnLike", "arn:aws:sns:*:123456789012:*", topic, True),
            ("ArnLike", "arn:aws:sns:*:123456789012:MY-*", topic, False),
            ("ArnLike", "arn:aws:sns:*:999999999999:*", topic, False),
            ("ArnNotEquals", "arn:aws:sns:*:999999999999:*", topic, True),
            ("ArnNotLike", "arn:aws:sns:*:123456789012:*", topic, False),
            ("ArnLike", "arn:aws:sns:*:*:*", "my-topic", False),
            ("ArnLike", "arn:aws:sns:*:*:*", MISSING, False),
            ("ArnNotLike", "arn:aws:sns:*:*:*", MISSING, True),
        ]
    )


# --------------------------------------------------------------------------------------
# IfExists and Null


def test_if_exists() -> None:
    """...IfExists: a missing key makes the condition true; a present key is checked normally."""
    types = ("t1.*", "t2.*", "m3.*")
    check(
        [
            ("StringLikeIfExists", types, "t2.micro", True),
            ("StringLikeIfExists", types, "m5.large", False),
            ("StringLikeIfExists", types, MISSING, True),
            ("StringNotEqualsIfExists", "x", "x", False),
            ("StringNotEqualsIfExists", "x", MISSING, True),
            ("NumericLessThanIfExists", "5", "7", False),
            ("DateGreaterThanIfExists", "2020-01-01", MISSING, True),
            ("IpAddressIfExists", "10.0.0.0/8", MISSING, True),
            ("ArnLikeIfExists", "arn:aws:s3:::*", MISSING, True),
        ]
    )


def test_null() -> None:
    """Null: "true" — the key is absent (null); "false" — it is present and not null."""
    check(
        [
            ("Null", "true", MISSING, True),
            ("Null", "true", "2020-01-01T00:00:00Z", False),
            ("Null", "false", "x", True),
            ("Null", "false", MISSING, False),
            ("Null", "false", (), False),  # an empty value list is null
            ("Null", ("true", "false"), MISSING, True),
            ("Null", "maybe", MISSING, False),
        ]
    )


# --------------------------------------------------------------------------------------
# Set operators


def test_for_all_values_examples() -> None:
    """ForAllValues: each request value must match a policy value; missing or empty → true."""
    # Rows from UG "Multivalued context key examples" (Deny with ForAllValues:StringNotLike
    # key1*) and "Creating a condition that tests multiple key values".
    check(
        [
            ("ForAllValues:StringNotLike", "key1*", ("key1:legal",), False),
            ("ForAllValues:StringNotLike", "key1*", ("key1:hr", "key1:personnel"), False),
            ("ForAllValues:StringNotLike", "key1*", ("key2:audit",), True),
            ("ForAllValues:StringNotLike", "key1*", MISSING, True),
            (
                "ForAllValues:StringLike",
                ("PostDateTime", "Message", "Tags"),
                ("PostDateTime", "Message"),
                True,
            ),
            (
                "ForAllValues:StringLike",
                ("PostDateTime", "Message", "Tags"),
                ("PostDateTime", "UserName"),
                False,
            ),
            ("ForAllValues:StringEquals", "CostCenter", (), True),  # empty data set
            ("ForAllValues:StringEquals", "CostCenter", MISSING, True),
            ("ForAllValues:StringEquals", ("a", "b"), ("a", "b", "a"), True),
        ]
    )


def test_for_any_value_examples() -> None:
    """ForAnyValue: at least one request value matches a policy value; missing or empty → false."""
    check(
        [
            (
                "ForAnyValue:StringLike",
                ("ID", "PostDateTime"),
                ("UserName", "Message", "PostDateTime"),
                True,
            ),
            ("ForAnyValue:StringLike", ("ID", "PostDateTime"), ("UserName",), False),
            ("ForAnyValue:StringEquals", "x", (), False),
            ("ForAnyValue:StringEquals", "x", MISSING, False),
            # Negated: some request value matches none of the policy values.
            ("ForAnyValue:StringNotEquals", ("a", "b"), ("a", "c"), True),
            ("ForAnyValue:StringNotEquals", ("a", "b"), ("a", "b"), False),
            ("ForAnyValue:StringNotEquals", ("a", "b"), MISSING, False),
            ("ForAnyValue:StringEqualsIfExists", "x", MISSING, True),
        ]
    )


def test_single_valued_operator_on_a_multivalued_key() -> None:
    """No set operator on a multivalued key: any value may match (iamcore's documented choice)."""
    # A negated operator then needs none of the request values to match.
    check(
        [
            ("StringEquals", "b", ("a", "b"), True),
            ("StringEquals", "c", ("a", "b"), False),
            ("StringNotEquals", "b", ("a", "b"), False),
            ("StringNotEquals", "c", ("a", "b"), True),
        ]
    )


def test_context_key_names_are_case_insensitive_values_are_not() -> None:
    """UG Variables: "Key names are case-insensitive"; string values stay case-sensitive."""
    condition = compile_condition(
        "StringEquals", "aws:PrincipalTag/Team", ("Blue",), substitute_variables=True
    )
    request = Request("svc:Act", context={"AWS:principaltag/team": "Blue"})
    assert condition.evaluate(request.context, request.lookup)
    request = Request("svc:Act", context={"aws:PrincipalTag/Team": "blue"})
    assert not condition.evaluate(request.context, request.lookup)


def test_several_keys_and_operators_are_anded() -> None:
    """UG Condition: keys within an operator and operators within a block are AND'ed."""
    text = """{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ec2:Start*",
      "Resource": "*", "Condition": {
        "StringEquals": {"ec2:ResourceTag/Project": "DataAnalytics",
                         "aws:PrincipalTag/Department": "Data"},
        "Bool": {"aws:MultiFactorAuthPresent": "true"}}}}"""
    from iamcore.policy import SourcedPolicy, evaluate

    policies = [SourcedPolicy("p", "user", parse_policy(text))]
    full = {
        "ec2:ResourceTag/Project": "DataAnalytics",
        "aws:PrincipalTag/Department": "Data",
        "aws:MultiFactorAuthPresent": True,
    }
    assert evaluate(Request("ec2:StartInstances", context=full), policies).allowed
    for drop in full:
        partial = {k: v for k, v in full.items() if k != drop}
        assert not evaluate(Request("ec2:StartInstances", context=partial), policies).allowed


# --------------------------------------------------------------------------------------
# Operator names


@pytest.mark.parametrize(
    ("name", "base", "qualifier", "if_exists"),
    [
        ("StringEquals", "StringEquals", None, False),
        ("ForAnyValue:StringEqualsIfExists", "StringEquals", "ForAnyValue", True),
        ("ForAllValues:ArnLike", "ArnLike", "ForAllValues", False),
        ("NotIpAddressIfExists", "NotIpAddress", None, True),
        ("Null", "Null", None, False),
    ],
)
def test_operator_names(name: str, base: str, qualifier: str | None, if_exists: bool) -> None:
    """Operators are [ForAllValues:|ForAnyValue:]Base[IfExists]."""
    operator = parse_operator(name)
    assert operator is not None
    assert (base, qualifier, if_exists) == (operator.base, operator.qualifier, operator.if_exists)


@pytest.mark.parametrize(
    "name", ["stringequals", "StringEqual", "ForSomeValues:StringEquals", "IfExists", "Foo"]
)
def test_unknown_operators_are_refused_at_parse_time(name: str) -> None:
    """An unknown (or mis-cased) operator makes the policy malformed (a syntax error)."""
    assert parse_operator(name) is None
    text = (
        '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", '
        f'"Resource": "*", "Condition": {{"{name}": {{"aws:username": "x"}}}}}}}}'
    )
    with pytest.raises(MalformedPolicyDocument):
        parse_policy(text)


# --------------------------------------------------------------------------------------
# Context entries


def test_context_entries_are_typed() -> None:
    """SimulateCustomPolicy ContextEntries carry a ContextKeyType that types their values."""
    request = Request.from_context_entries(
        "s3:ListBucket",
        "arn:aws:s3:::b",
        [
            {
                "ContextKeyName": "s3:max-keys",
                "ContextKeyValues": ["10"],
                "ContextKeyType": "numeric",
            },
            {
                "ContextKeyName": "aws:SecureTransport",
                "ContextKeyValues": ["TRUE"],
                "ContextKeyType": "boolean",
            },
            {
                "ContextKeyName": "aws:CurrentTime",
                "ContextKeyValues": ["2019-04-25T11:00:00Z"],
                "ContextKeyType": "date",
            },
            {
                "ContextKeyName": "aws:SourceIp",
                "ContextKeyValues": ["203.0.113.7"],
                "ContextKeyType": "ip",
            },
            {
                "context_key_name": "aws:TagKeys",
                "context_key_values": ["a", "b"],
                "context_key_type": "stringList",
            },
            {"ContextKeyName": "k:bin", "ContextKeyValues": ["QQ=="], "ContextKeyType": "binary"},
        ],
    )
    assert request.context["s3:max-keys"] == (Decimal(10),)
    assert request.context["aws:securetransport"] == (True,)
    assert request.context["AWS:CurrentTime"] == (datetime(2019, 4, 25, 11, tzinfo=UTC),)
    assert request.context["aws:sourceip"] == (ip_address("203.0.113.7"),)
    assert request.context["aws:tagkeys"] == ("a", "b")
    assert request.context["k:bin"] == (b"A",)


@pytest.mark.parametrize(
    ("key_type", "value"),
    [
        ("numeric", "ten"),
        ("boolean", "yes"),
        ("date", "someday"),
        ("ip", "1.2.3"),
        ("binary", "!"),
    ],
)
def test_context_entries_with_unreadable_values_are_invalid_input(
    key_type: str, value: str
) -> None:
    """A context value unreadable as its ContextKeyType is InvalidInput (iamcore's choice)."""
    with pytest.raises(InvalidInput):
        Request.from_context_entries(
            "s3:ListBucket",
            "*",
            [{"ContextKeyName": "k:k", "ContextKeyValues": [value], "ContextKeyType": key_type}],
        )


def test_requests_are_hashable_values() -> None:
    """Requests are frozen values; equal contexts compare equal regardless of key case."""
    first = Request("s3:GetObject", "*", {"AWS:UserName": "bob"})
    second = Request("s3:GetObject", "*", {"aws:username": ("bob",)})
    assert first == second
    assert hash(first) == hash(second)
