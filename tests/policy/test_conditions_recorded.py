"""Condition operators replayed from captures of real AWS (2026).

The captures (``condition_strings.json``, ``condition_values.json``,
``condition_ip.json``, ``condition_sets.json``) called ``iam:TagUser`` under a
policy whose one statement carries the condition, once as an ``Allow`` (the
call succeeds exactly when the condition holds) and once as a ``Deny`` next to
an unconditional ``Allow`` (the call is denied exactly when it holds).  The
captures ran under STS role-session policies; every case here reads only
request keys (``aws:RequestTag/*``, ``aws:TagKeys``), so it replays as an IAM
user's inline policy.  Each row is named by the capture file and the case's
condition and tags.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from iamcore import Account
from iamcore.errors import AccessDenied
from iamcore.policy import Request
from iamcore.policy.conditions import compile_condition

Tags = list[tuple[str, str]]


def tag_user_holds(condition: dict[str, Any], tags: Tags) -> bool:
    """Replay one capture case both ways; return whether the condition held."""
    results: list[bool] = []
    for deny in (False, True):
        account = Account()
        account.create_user(user_name="actor")
        account.create_user(user_name="target")
        if deny:
            statements: list[dict[str, Any]] = [
                {"Effect": "Allow", "Action": "iam:TagUser", "Resource": "*"},
                {
                    "Effect": "Deny",
                    "Action": "iam:TagUser",
                    "Resource": "*",
                    "Condition": condition,
                },
            ]
        else:
            statements = [
                {
                    "Effect": "Allow",
                    "Action": "iam:TagUser",
                    "Resource": "*",
                    "Condition": condition,
                }
            ]
        account.put_user_policy(
            user_name="actor",
            policy_name="p",
            policy_document=json.dumps({"Version": "2012-10-17", "Statement": statements}),
        )
        try:
            with account.enforcing(), account.acting_as("actor"):
                account.tag_user(
                    user_name="target", tags=[{"key": k, "value": v} for k, v in tags]
                )
            succeeded = True
        except AccessDenied:
            succeeded = False
        results.append(succeeded if not deny else not succeeded)
    assert results[0] == results[1], (condition, tags)
    return results[0]


def clause(operator: str, values: str | list[str], key: str = "aws:RequestTag/value") -> Any:
    return {operator: {key: values}}


def check(rows: list[tuple[dict[str, Any], Tags, bool]]) -> None:
    for condition, tags, expected in rows:
        assert tag_user_holds(condition, tags) == expected, (condition, tags)


def test_ignore_case_lowers_bmp_characters_only() -> None:
    """StringEqualsIgnoreCase: Unicode lower-casing with final sigma, no folding, BMP only.

    Recorded from AWS, 2026 (condition_strings.json, StringEqualsIgnoreCase /
    StringNotEqualsIgnoreCase cases "\\ud801\\udc00" vs "\\ud801\\udc28",
    "A\\u03a3\\ud801\\udc00" vs "a\\u03c3\\ud801\\udc00", "\\ud801\\udc00\\u03a3" vs
    "\\ud801\\udc00\\u03c2", "\\u039f\\u03a3" vs "\\u03bf\\u03c2", "s" vs "\\u017f").
    """
    equal, not_equal = "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"
    check(
        [
            (clause(equal, "\U00010400"), [("value", "\U00010428")], False),
            (clause(not_equal, "\U00010400"), [("value", "\U00010428")], True),
            (clause(equal, "\U00010400"), [("value", "\U00010400")], True),
            (clause(equal, "A\u03a3\U00010400"), [("value", "a\u03c3\U00010400")], True),
            (clause(equal, "A\u03a3\U00010400"), [("value", "a\u03c2\U00010400")], False),
            (clause(equal, "\U00010400\u03a3"), [("value", "\U00010400\u03c2")], True),
            (clause(equal, "\U00010400\u03a3"), [("value", "\U00010400\u03c3")], False),
            (clause(equal, "\u039f\u03a3"), [("value", "\u03bf\u03c2")], True),
            (clause(equal, "s"), [("value", "\u017f")], False),
            (clause(equal, "K"), [("value", "\u212a")], True),
            (clause(equal, "\u00df"), [("value", "SS")], False),
        ]
    )


def test_string_like_question_mark_is_one_utf16_unit() -> None:
    """StringLike "?" matches one UTF-16 code unit; a non-BMP character is two.

    Recorded from AWS, 2026 (condition_strings.json, StringLike/StringNotLike
    cases "?", "??", "a?b", "a??b", "a*?b", "\\ud801\\udc00?" against
    "\\ud801\\udc00"-bearing tag values; ForAnyValue:StringLike "a?"/"a??" on
    aws:TagKeys ["a\\ud801\\udc00"]).
    """
    deseret = "\U00010400"
    check(
        [
            (clause("StringLike", "?"), [("value", deseret)], False),
            (clause("StringNotLike", "?"), [("value", deseret)], True),
            (clause("StringLike", "??"), [("value", deseret)], True),
            (clause("StringLike", "a?b"), [("value", f"a{deseret}b")], False),
            (clause("StringLike", "a??b"), [("value", f"a{deseret}b")], True),
            (clause("StringLike", "a*?b"), [("value", f"a{deseret}b")], True),
            (clause("StringLike", "?"), [("value", "\u00e9")], True),
            (clause("StringLike", f"{deseret}?"), [("value", f"{deseret}x")], True),
            (clause("StringLike", f"{deseret}?"), [("value", f"{deseret}\U00010428")], False),
            (clause("ForAnyValue:StringLike", "a?", "aws:TagKeys"), [(f"a{deseret}", "c")], False),
            (clause("ForAnyValue:StringLike", "a??", "aws:TagKeys"), [(f"a{deseret}", "c")], True),
        ]
    )


def test_bool_reads_values_as_java_booleans() -> None:
    """Bool: only "true" (any case) is true; "yes", "1", "", " true " are false.

    Recorded from AWS, 2026 (condition_values.json, Bool "false" against tag
    values "yes", "1", "", " true "; Bool "yes" against "false"; Bool "true"
    against "TRUE").
    """
    check(
        [
            (clause("Bool", "false"), [("value", "yes")], True),
            (clause("Bool", "false"), [("value", "1")], True),
            (clause("Bool", "false"), [("value", "")], True),
            (clause("Bool", "false"), [("value", " true ")], True),
            (clause("Bool", "false"), [("value", "TRUE")], False),
            (clause("Bool", "true"), [("value", " true ")], False),
            (clause("Bool", "true"), [("value", "TRUE")], True),
            (clause("Bool", "yes"), [("value", "false")], True),
        ]
    )


def test_null_reads_policy_values_as_java_booleans() -> None:
    """Null: a policy value "TRUE" is true; "yes" is false (the key is present).

    Recorded from AWS, 2026 (condition_values.json, Null "yes" and Null "TRUE"
    on aws:RequestTag/value with the tag present).
    """
    check(
        [
            (clause("Null", "yes"), [("value", "present")], True),
            (clause("Null", "TRUE"), [("value", "present")], False),
        ]
    )


def test_dates_keep_milliseconds_and_signed_epochs() -> None:
    """Dates compare at millisecond precision (truncated); "+1893456000" is an epoch.

    Recorded from AWS, 2026 (condition_values.json, DateEquals
    "2030-01-01T00:00:00Z" against "2030-01-01T00:00:00.0001Z" and
    "+1893456000"; DateEquals "2030-01-01T00:00:00.1231Z" against
    "2030-01-01T00:00:00.1239Z").
    """
    day = "2030-01-01T00:00:00Z"
    check(
        [
            (clause("DateEquals", day), [("value", "2030-01-01T00:00:00.0001Z")], True),
            (clause("DateEquals", day), [("value", "+1893456000")], True),
            (clause("DateNotEquals", day), [("value", "+1893456000")], False),
            (
                clause("DateEquals", "2030-01-01T00:00:00.1231Z"),
                [("value", "2030-01-01T00:00:00.1239Z")],
                True,
            ),
        ]
    )


def test_binary_equals_wants_canonical_base64() -> None:
    """BinaryEquals "YQ==" does not match "YR==" (same bytes, padding bits set).

    Recorded from AWS, 2026 (condition_values.json, BinaryEquals "YQ==" against "YR==").
    """
    check(
        [
            (clause("BinaryEquals", "YQ=="), [("value", "YR==")], False),
            (clause("BinaryEquals", "YQ=="), [("value", "YQ==")], True),
        ]
    )


def test_ip_value_that_is_not_an_address_matches_neither_way() -> None:
    """IpAddress and NotIpAddress are both false for a request value that is not an address.

    Recorded from AWS, 2026 (condition_values.json and condition_ip.json,
    192.0.2.0/24 against "not-an-ip", "", "192.0.2.1/32", "192.0.513",
    "3221225985"; 2001:db8::/64 against "2001:db8::192.0.2.1").
    """
    rows: list[tuple[dict[str, Any], Tags, bool]] = []
    for value in ("not-an-ip", "", "192.0.2.1/32", "192.0.513", "3221225985"):
        rows.append((clause("IpAddress", "192.0.2.0/24"), [("value", value)], False))
        rows.append((clause("NotIpAddress", "192.0.2.0/24"), [("value", value)], False))
    rows.append(
        (clause("NotIpAddress", "2001:db8::/64"), [("value", "2001:db8::192.0.2.1")], False)
    )
    # An invalid *policy* value simply does not match.
    rows.append((clause("NotIpAddress", "not-an-ip"), [("value", "192.0.2.1")], True))
    check(rows)


def test_ip_parsing_edge_cases() -> None:
    """Leading zeros, "+" prefixes, IPv4-mapped values, IPv6 blocks with host bits.

    Recorded from AWS, 2026 (condition_ip.json: "192.000.002.0/24",
    "192.000.002.1", "192.0.2.0/024", "192.0.2.0/+24" against 192.0.2.1;
    192.0.2.0/24 against "192.000.002.1", "::ffff:192.0.2.1",
    "::FFFF:c000:201"; "::ffff:192.0.2.0/120", "::ffff:192.0.2.0/24" against
    192.0.2.1; "2001:db8::5/64" against 2001:db8::1 and ::5; "2001:db8::1/0";
    "192.0.2.5/24" against 192.0.2.1).
    """
    v4 = "192.0.2.0/24"
    check(
        [
            (clause("IpAddress", "192.000.002.0/24"), [("value", "192.0.2.1")], True),
            (clause("IpAddress", "192.000.002.1"), [("value", "192.0.2.1")], True),
            (clause("IpAddress", "192.0.2.0/024"), [("value", "192.0.2.1")], True),
            (clause("IpAddress", "192.0.2.0/+24"), [("value", "192.0.2.1")], True),
            (clause("IpAddress", v4), [("value", "192.000.2.1")], True),
            (clause("IpAddress", v4), [("value", "::ffff:192.0.2.1")], True),
            (clause("IpAddress", v4), [("value", "::FFFF:c000:201")], True),
            (clause("NotIpAddress", v4), [("value", "::ffff:192.0.2.1")], False),
            (clause("IpAddress", "::/0"), [("value", "::ffff:192.0.2.1")], False),
            (clause("IpAddress", "::ffff:192.0.2.0/120"), [("value", "192.0.2.1")], False),
            (clause("NotIpAddress", "::ffff:192.0.2.0/120"), [("value", "192.0.2.1")], True),
            (clause("IpAddress", "::ffff:192.0.2.0/24"), [("value", "192.0.2.1")], False),
            (clause("IpAddress", "::ffff:192.0.2.1"), [("value", "::ffff:192.0.2.1")], False),
            (clause("IpAddress", "192.0.2.5/24"), [("value", "192.0.2.1")], True),
            (clause("IpAddress", "2001:db8::5/64"), [("value", "2001:db8::1")], False),
            (clause("IpAddress", "2001:db8::5/64"), [("value", "2001:db8::5")], False),
            (clause("NotIpAddress", "2001:db8::5/64"), [("value", "2001:db8::5")], True),
            (clause("IpAddress", "2001:db8::1/0"), [("value", "2001:db8::1")], False),
            (clause("IpAddress", "2001:db8::4/127"), [("value", "2001:db8::5")], True),
            (clause("IpAddress", "2001:DB8::/064"), [("value", "2001:0db8:0:0:0:0:0:1")], True),
            (
                clause("IpAddress", ["2001:db8::5/64", "2001:db8::/64"]),
                [("value", "2001:db8::1")],
                True,
            ),
        ]
    )


def test_arn_value_that_is_not_an_arn_matches_neither_way() -> None:
    """ArnLike and ArnNotLike are both false for a request value that is not an ARN.

    Recorded from AWS, 2026 (condition_values.json, ArnLike/ArnNotLike
    "arn:aws:iam::*:user/*" against "not-an-arn" and "").
    """
    pattern = "arn:aws:iam::*:user/*"
    check(
        [
            (clause("ArnLike", pattern), [("value", "not-an-arn")], False),
            (clause("ArnNotLike", pattern), [("value", "not-an-arn")], False),
            (clause("ArnNotLike", pattern), [("value", "")], False),
            (
                clause("ArnNotLike", pattern),
                [("value", "arn:aws:iam::123456789012:role/test")],
                True,
            ),
        ]
    )


def test_single_valued_operator_on_tag_keys_holds_neither_way() -> None:
    """StringEquals / StringNotEquals (and ...IfExists) on aws:TagKeys are false given tags.

    Recorded from AWS, 2026 (condition_sets.json, StringEquals, StringNotEquals,
    StringEqualsIfExists, StringNotEqualsIfExists on aws:TagKeys "team" with
    tags [team], [env], [team, env]).
    """
    rows: list[tuple[dict[str, Any], Tags, bool]] = []
    for operator in (
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIfExists",
        "StringNotEqualsIfExists",
    ):
        for tags in ([("team", "c")], [("env", "c")], [("team", "c"), ("env", "c")]):
            rows.append((clause(operator, "team", "aws:TagKeys"), tags, False))
    rows.append((clause("ForAnyValue:StringEquals", "team", "aws:TagKeys"), [("team", "c")], True))
    rows.append(
        (clause("ForAllValues:StringNotEquals", "team", "aws:TagKeys"), [("env", "c")], True)
    )
    check(rows)


def test_tag_keys_as_a_variable_equals_nothing() -> None:
    """ "${aws:TagKeys}" (with or without a default) equals no value; its negation holds.

    Recorded from AWS, 2026 (condition_sets.json, StringEquals/StringNotEquals
    aws:RequestTag/team "${aws:TagKeys}" and "${aws:TagKeys, 'fallback'}" with
    tags [team=team], [team=team, env=env], [team=fallback]).
    """
    rows: list[tuple[dict[str, Any], Tags, bool]] = []
    for value in ("${aws:TagKeys}", "${aws:TagKeys, 'fallback'}"):
        for tags in (
            [("team", "team")],
            [("team", "team"), ("env", "env")],
            [("team", "fallback")],
        ):
            rows.append((clause("StringEquals", value, "aws:RequestTag/team"), tags, False))
            rows.append((clause("StringNotEquals", value, "aws:RequestTag/team"), tags, True))
    check(rows)


@pytest.mark.parametrize(
    ("operator", "values", "context", "expected"),
    [
        ("NotIpAddress", "192.0.2.0/24", "not-an-ip", False),
        ("ArnNotLike", "arn:aws:iam::*:user/*", "not-an-arn", False),
        ("Bool", "false", "yes", True),
        ("DateNotEquals", "2030-01-01T00:00:00Z", "not-a-date", True),
    ],
)
def test_simulator_cases(operator: str, values: str, context: str, expected: bool) -> None:
    """The same rules through the evaluator for the simulator's string-typed context entries.

    Recorded from AWS, 2026 (condition_values.json "simulation": ArnNotLike and
    NotIpAddress with "not-an-arn"/"not-an-ip" are implicitDeny; Bool "false"
    with "yes" and DateNotEquals with "not-a-date" are allowed).
    """
    condition = compile_condition(
        operator, "aws:RequestTag/value", (values,), substitute_variables=True
    )
    request = Request.from_context_entries(
        "s3:GetObject",
        entries=[
            {
                "ContextKeyName": "aws:RequestTag/value",
                "ContextKeyValues": [context],
                "ContextKeyType": "string",
            }
        ],
    )
    assert condition.evaluate(request.context, request.lookup) == expected
