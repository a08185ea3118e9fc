"""Algebraic laws of policy evaluation (Hypothesis).

Let ``eff(I, B)`` be the decision for identity policies ``I`` and boundary ``B``
(UG "Permissions boundaries for IAM entities": the effective permissions are
"everything that is allowed by both policy types"; "an explicit deny in either
of these policies overrides the allow").
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from iamcore.policy import Request, SourcedPolicy, evaluate, parse_policy

ACTIONS = ["s3:GetObject", "s3:PutObject", "iam:CreateUser", "iam:GetUser", "sqs:SendMessage"]
ACTION_PATTERNS = [*ACTIONS, "s3:*", "iam:Get*", "*", "s3:?etObject", "*:GetUser"]
RESOURCES = ["arn:aws:s3:::a/x", "arn:aws:s3:::b/y", "arn:aws:iam::123456789012:user/bob"]
RESOURCE_PATTERNS = [
    *RESOURCES,
    "*",
    "arn:aws:s3:::a/*",
    "arn:aws:s3:::*",
    "arn:aws:iam::*:user/${aws:username}",
]
CONDITIONS: list[dict[str, Any]] = [
    {"StringEquals": {"aws:username": "bob"}},
    {"StringNotEquals": {"aws:username": ["bob", "eve"]}},
    {"StringLikeIfExists": {"aws:PrincipalTag/team": "b*"}},
    {"Bool": {"aws:SecureTransport": "true"}},
    {"NumericLessThan": {"s3:max-keys": "10"}},
    {"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}},
    {"ForAnyValue:StringLike": {"aws:TagKeys": "a*"}},
    {"Null": {"aws:TokenIssueTime": "true"}},
]

statements = st.fixed_dictionaries(
    {
        "Effect": st.sampled_from(["Allow", "Deny"]),
        "Action": st.lists(st.sampled_from(ACTION_PATTERNS), min_size=1, max_size=3),
        "Resource": st.lists(st.sampled_from(RESOURCE_PATTERNS), min_size=1, max_size=2),
    },
    optional={"Condition": st.sampled_from(CONDITIONS)},
)
allow_statements = statements.map(lambda s: {**s, "Effect": "Allow"})
statement_lists = st.lists(statements, min_size=1, max_size=4)

contexts = st.fixed_dictionaries(
    {},
    optional={
        "aws:username": st.sampled_from(["bob", "eve", "zed"]),
        "aws:PrincipalTag/team": st.sampled_from(["blue", "red"]),
        "aws:SecureTransport": st.booleans(),
        "s3:max-keys": st.integers(0, 20),
        "aws:TagKeys": st.lists(st.sampled_from(["a", "b", "c"]), max_size=3).map(tuple),
        "aws:TokenIssueTime": st.just("2020-01-01T00:00:00Z"),
    },
)
requests = st.builds(Request, st.sampled_from(ACTIONS), st.sampled_from(RESOURCES), contexts)

FULL = [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
FAST = settings(max_examples=60)


def policies(statement_list: list[dict[str, Any]], prefix: str = "p") -> list[SourcedPolicy]:
    text = json.dumps({"Version": "2012-10-17", "Statement": statement_list})
    return [SourcedPolicy(prefix, "user", parse_policy(text))]


def eff(
    request: Request, identity: list[dict[str, Any]], boundary: list[dict[str, Any]] | None
) -> str:
    return evaluate(
        request, policies(identity), None if boundary is None else policies(boundary, "b")
    ).decision


@FAST
@given(requests, statement_lists, statement_lists)
def test_boundary_never_grants(request: Request, identity: Any, boundary: Any) -> None:
    """eff(I, B) = allowed implies evaluate(I) = allowed and evaluate(B) = allowed."""
    if eff(request, identity, boundary) == "allowed":
        assert eff(request, identity, None) == "allowed"
        assert eff(request, boundary, None) == "allowed"


@FAST
@given(requests, statement_lists)
def test_full_boundary_changes_nothing(request: Request, identity: Any) -> None:
    """A boundary that allows */* is the identity: eff(I, ALLOW_ALL) = eff(I, None)."""
    assert eff(request, identity, FULL) == eff(request, identity, None)


@FAST
@given(requests, statement_lists)
def test_empty_boundary_never_allows(request: Request, identity: Any) -> None:
    """A boundary with no policies, or only Deny statements, never allows."""
    assert evaluate(request, policies(identity), []).decision != "allowed"
    only_denies = [{"Effect": "Deny", "Action": "nothing:Matches", "Resource": "*"}]
    assert eff(request, identity, only_denies) != "allowed"


@FAST
@given(requests, statement_lists, statement_lists)
def test_identity_and_boundary_commute(request: Request, first: Any, second: Any) -> None:
    """The intersection is symmetric: eff(I, B) = eff(B, I)."""
    assert eff(request, first, second) == eff(request, second, first)


@FAST
@given(requests, statement_lists, st.sampled_from(["identity", "boundary"]))
def test_matching_deny_anywhere_gives_explicit_deny(
    request: Request, identity: Any, where: str
) -> None:
    """Adding a Deny that matches the request, in any policy, gives explicitDeny."""
    matching_deny = {"Effect": "Deny", "Action": request.action, "Resource": request.resource}
    if where == "identity":
        assert eff(request, [*identity, matching_deny], None) == "explicitDeny"
    else:
        assert eff(request, identity, [*FULL, matching_deny]) == "explicitDeny"


@FAST
@given(requests, statement_lists, allow_statements, statements)
def test_monotone(request: Request, identity: Any, extra_allow: Any, extra_deny: Any) -> None:
    """Adding an Allow never removes an allow; adding a Deny never creates one."""
    before = eff(request, identity, None)
    if before == "allowed":
        assert eff(request, [*identity, extra_allow], None) == "allowed"
    denied = {**extra_deny, "Effect": "Deny"}
    if before != "allowed":
        assert eff(request, [*identity, denied], None) != "allowed"


@FAST
@given(requests, statement_lists.flatmap(lambda s: st.tuples(st.just(s), st.permutations(s))))
def test_statement_order_is_irrelevant(request: Request, pair: Any) -> None:
    """Reordering statements never changes the decision."""
    original, permuted = pair
    assert eff(request, original, None) == eff(request, permuted, None)


@FAST
@given(statement_lists)
def test_render_round_trip(statement_list: Any) -> None:
    """parse(render(parse(d))) == parse(d)."""
    document = policies(statement_list)[0].document
    assert document == parse_policy(document.render())


@FAST
@given(requests, statement_lists)
def test_single_string_equals_one_element_list(request: Request, statement_list: Any) -> None:
    """A one-element list and its single string are the same policy."""
    flattened = [
        {k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in s.items()}
        for s in statement_list
    ]
    assert policies(flattened)[0].document == policies(statement_list)[0].document
    assert eff(request, flattened, None) == eff(request, statement_list, None)
