"""Property checks for policy authors: "no request of this kind is ever allowed".

Each helper draws requests (:class:`iamcore.policy.Request`) from a
Hypothesis strategy, decides them with iamcore's evaluator (identity
policies ∩ permissions boundary, explicit deny wins), and when a request
breaks the property, raises :class:`PolicyPropertyViolation` for the
*smallest* such request Hypothesis can find, described the way the IAM
policy simulator describes a result::

    iam:AttachUserPolicy is allowed for user 'delegated-admin'
      EvalActionName:   iam:AttachUserPolicy
      EvalResourceName: arn:aws:iam::123456789012:user/0
      EvalDecision:     allowed
      MatchedStatements:
        - SourcePolicyId: DelegatedUserAdmin, SourcePolicyType: user-managed,
          StartPosition: line 14, column 6, EndPosition: line 26, column 6
      ContextEntries:
        - ContextKeyName: iam:PolicyARN, ContextKeyValues:
          ['arn:aws:iam::aws:policy/AdministratorAccess'], ContextKeyType: string
        - ContextKeyName: aws:username, ContextKeyValues: ['delegated-admin'], …

:func:`assert_never_allows`
    for every drawn request, the user (or the given policies) does not get
    ``allowed``.
:func:`assert_always_allows`
    for every drawn request, the decision is ``allowed``.
:func:`assert_not_more_permissive`
    policy set A never allows a drawn request that policy set B does not.

The checks are deterministic by default (``derandomize=True``, no example
database), so a test that passes keeps passing; pass ``settings=`` to
change that.  Call them from plain test functions, not from inside a
``@given`` test.

Requests for an account's user carry the keys AWS derives from the
principal — ``aws:username``, ``aws:userid``, ``aws:PrincipalArn``,
``aws:PrincipalAccount``, ``aws:PrincipalType`` and ``aws:PrincipalTag/*`` —
set from the user (a drawn value for these keys is replaced, since a caller
cannot choose them).  Every other key is as drawn: that is the point, since
a caller does choose ``iam:PermissionsBoundary`` or ``iam:PolicyARN``.

Importing this module imports Hypothesis (``pip install iamcore[testing]``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeAlias

import attrs
from hypothesis import HealthCheck, find
from hypothesis import settings as Settings  # noqa: N812
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample
from hypothesis.strategies import SearchStrategy

from iamcore import enforcement
from iamcore.account import Account
from iamcore.policy import (
    ContextValue,
    Evaluation,
    PolicyDocument,
    PolicyKind,
    Request,
    SourcedPolicy,
    evaluate,
    parse_policy,
)
from iamcore.policy.context import to_text
from iamcore.rules.users import require_user
from iamcore.testing import _policy_strategies as _ps

__all__ = [
    "Permissions",
    "PolicyLike",
    "PolicyPropertyViolation",
    "assert_always_allows",
    "assert_never_allows",
    "assert_not_more_permissive",
    "permissions_of",
    "simulator_result",
]

#: A policy given directly: JSON text, a parsed document, or a document with its
#: simulator identifiers.
PolicyLike: TypeAlias = str | PolicyDocument | SourcedPolicy

#: ``SourcePolicyType`` the simulator reports for policies given as input.
INPUT_SOURCE_TYPE = "IAM Policy"
#: SimulateCustomPolicy's SourcePolicyType of a boundary's statements (recorded, 2026).
BOUNDARY_SOURCE_TYPE = "Permissions Boundary Policy"
_PRINCIPAL_KEYS = ("aws:username", "aws:userid", "aws:principal")


class PolicyPropertyViolation(AssertionError):
    """A request broke a policy property.

    Attributes:
        request: the (shrunk) request.
        results: one simulator-style ``EvaluationResult`` dict per policy set
            evaluated (see :func:`simulator_result`).
    """

    def __init__(
        self,
        summary: str,
        request: Request,
        results: Sequence[dict[str, Any]],
        labels: Sequence[str] = (),
    ) -> None:
        self.request = request
        self.results = tuple(results)
        parts = [summary]
        for index, result in enumerate(results):
            if index < len(labels):
                parts.append(labels[index])
            parts.append(_describe(result))
        super().__init__("\n".join(parts))


# -- who is asking --------------------------------------------------------------------


def _as_sourced(policy: PolicyLike, policy_id: str, kind: PolicyKind) -> SourcedPolicy:
    if isinstance(policy, SourcedPolicy):
        return policy
    document = policy if isinstance(policy, PolicyDocument) else parse_policy(policy, kind=kind)
    source_type = BOUNDARY_SOURCE_TYPE if kind == "boundary" else INPUT_SOURCE_TYPE
    return SourcedPolicy(policy_id, source_type, document)


def _policy_list(policies: PolicyLike | Iterable[PolicyLike]) -> list[SourcedPolicy]:
    if isinstance(policies, str | PolicyDocument | SourcedPolicy):
        policies = [policies]
    return [
        _as_sourced(policy, f"PolicyInputList.{n}", "identity")
        for n, policy in enumerate(policies, start=1)
    ]


def _boundary_list(boundary: PolicyLike | None) -> list[SourcedPolicy] | None:
    if boundary is None:
        return None
    return [_as_sourced(boundary, "PermissionsBoundaryPolicyInputList.1", "boundary")]


@attrs.frozen(eq=False)
class Permissions:
    """A principal's effective permissions: call it with a request to get an
    :class:`~iamcore.policy.Evaluation`.  Made by :func:`permissions_of`.

    Attributes:
        identity: the identity-based policies (their allows combine).
        boundary: the permissions boundary policies, or ``None``.
        principal_arn: the principal's ARN (for an account's user).
        principal_context: the context keys AWS sets from the principal.
    """

    identity: tuple[SourcedPolicy, ...]
    boundary: tuple[SourcedPolicy, ...] | None = None
    principal_arn: str | None = None
    principal_context: Mapping[str, Any] = attrs.field(factory=dict)

    def complete(self, request: Request) -> Request:
        """``request`` with the principal's own context keys set (drawn ones replaced)."""
        if not self.principal_context:
            return request
        context: dict[str, Any] = {
            key: values
            for key, values in request.context.items()
            if not key.startswith(_PRINCIPAL_KEYS)  # stored lower-case
        }
        context.update(self.principal_context)
        return Request(request.action, request.resource, context)

    def __call__(self, request: Request) -> Evaluation:
        return evaluate(
            self.complete(request),
            self.identity,
            self.boundary,
            principal_arn=self.principal_arn,
        )


def permissions_of(
    subject: Account | PolicyLike | Iterable[PolicyLike],
    user_name: str | None = None,
    *,
    boundary: PolicyLike | None = None,
) -> Permissions:
    """Return the effective permissions of a user of an account, or of policies.

    With an :class:`~iamcore.Account` and ``user_name``: the user's effective
    permissions as they are now — inline and attached policies, those of the
    user's groups, and the user's permissions boundary — with the
    principal's own context keys set (see the module docstring).  Later
    changes to the account do not affect the result.

    With policies (JSON text, :class:`~iamcore.policy.PolicyDocument` or
    :class:`~iamcore.policy.SourcedPolicy`, one or several): those identity
    policies, limited by ``boundary`` if given.  Input policies are named
    ``PolicyInputList.N`` and the boundary ``PermissionsBoundaryPolicyInputList.1``,
    as in SimulateCustomPolicy.

    >>> allow = '{"Version": "2012-10-17", "Statement": {"Effect": "Allow",'
    >>> allow += ' "Action": "iam:Get*", "Resource": "*"}}'
    >>> permissions_of(allow)(Request("iam:GetUser")).decision
    'allowed'

    Raises:
        iamcore.errors.NoSuchEntity: the account has no such user.
        iamcore.errors.MalformedPolicyDocument: a policy text is not valid.
    """
    if isinstance(subject, Account):
        if user_name is None:
            raise TypeError("permissions_of(account, user_name): name the user")
        if boundary is not None:
            raise TypeError("boundary= applies to policies, not to an account's user")
        with subject._lock:
            state = subject._state
            user = require_user(state, user_name)
            identity = enforcement.identity_policies(state, user.user_id)
            user_boundary = enforcement.boundary_policies(state, user)
            context = enforcement.principal_context(subject.account_id, user, None)
        return Permissions(
            tuple(identity),
            None if user_boundary is None else tuple(user_boundary),
            user.arn,
            {k: v for k, v in context.items() if k.lower().startswith(_PRINCIPAL_KEYS)},
        )
    if user_name is not None:
        raise TypeError("user_name applies to an account, not to policies")
    boundaries = _boundary_list(boundary)
    return Permissions(
        tuple(_policy_list(subject)), None if boundaries is None else tuple(boundaries)
    )


# -- the simulator's terms ------------------------------------------------------------


def _context_type(values: Sequence[ContextValue]) -> str:
    first = values[0] if values else ""
    if isinstance(first, bool):
        base = "boolean"
    elif isinstance(first, int | float | Decimal):
        base = "numeric"
    elif isinstance(first, datetime):
        base = "date"
    elif isinstance(first, ipaddress.IPv4Address | ipaddress.IPv6Address):
        base = "ip"
    elif isinstance(first, bytes):
        base = "binary"
    else:
        base = "string"
    return base + ("List" if len(values) != 1 else "")


#: How AWS spells the condition keys iamcore's strategies and principals use (request
#: contexts store keys lower-cased; key names are case-insensitive).
_SPELLINGS = {
    name.lower(): name
    for name in (
        *(key.name for key in _ps.CONTEXT_KEYS),
        "aws:username",
        "aws:userid",
        "aws:PrincipalArn",
        "aws:PrincipalAccount",
        "aws:PrincipalType",
        "aws:PrincipalTag",
        "aws:RequestTag",
        "aws:ResourceTag",
        "iam:ResourceTag",
        "aws:EpochTime",
        "aws:ViaAWSService",
    )
}


def _spelling(key: str) -> str:
    """``aws:principaltag/team`` → ``aws:PrincipalTag/team`` (the tag key keeps its case)."""
    name, slash, rest = key.partition("/")
    return _SPELLINGS.get(name.lower(), name) + slash + rest


def simulator_result(request: Request, evaluation: Evaluation) -> dict[str, Any]:
    """Describe a decision as the IAM policy simulator's ``EvaluationResult`` does.

    Keys: ``EvalActionName``, ``EvalResourceName``, ``EvalDecision``,
    ``MatchedStatements`` (each with ``SourcePolicyId``, ``SourcePolicyType``,
    ``StartPosition`` and ``EndPosition`` as ``{"Line", "Column"}``),
    ``MissingContextValues``, ``ContextEntries`` (the request context as
    SimulatePrincipalPolicy's ``ContextEntries`` would give it, in the
    request's order, keys spelt as AWS spells them) and, when a boundary took
    part, ``PermissionsBoundaryDecisionDetail``.
    """
    result: dict[str, Any] = {
        "EvalActionName": request.action,
        "EvalResourceName": request.resource,
        "EvalDecision": evaluation.decision,
        "MatchedStatements": [
            {
                "SourcePolicyId": statement.source_policy_id,
                "SourcePolicyType": statement.source_policy_type,
                "StartPosition": {
                    "Line": statement.start_position.line,
                    "Column": statement.start_position.column,
                },
                "EndPosition": {
                    "Line": statement.end_position.line,
                    "Column": statement.end_position.column,
                },
            }
            for statement in evaluation.matched_statements
        ],
        "MissingContextValues": list(evaluation.missing_context_values),
        "ContextEntries": [
            {
                "ContextKeyName": _spelling(key),
                "ContextKeyValues": [to_text(value) for value in values],
                "ContextKeyType": _context_type(values),
            }
            for key, values in request.context.items()
        ],
    }
    if evaluation.allowed_by_permissions_boundary is not None:
        result["PermissionsBoundaryDecisionDetail"] = {
            "AllowedByPermissionsBoundary": evaluation.allowed_by_permissions_boundary
        }
    return result


def _position(position: dict[str, int]) -> str:
    return f"line {position['Line']}, column {position['Column']}"


def _describe(result: dict[str, Any]) -> str:
    lines = [
        f"  EvalActionName:   {result['EvalActionName']}",
        f"  EvalResourceName: {result['EvalResourceName']}",
        f"  EvalDecision:     {result['EvalDecision']}",
    ]
    statements = result["MatchedStatements"]
    lines.append("  MatchedStatements:" + ("" if statements else " (none)"))
    lines.extend(
        f"    - SourcePolicyId: {s['SourcePolicyId']}, SourcePolicyType: "
        f"{s['SourcePolicyType']}, StartPosition: {_position(s['StartPosition'])}, "
        f"EndPosition: {_position(s['EndPosition'])}"
        for s in statements
    )
    detail = result.get("PermissionsBoundaryDecisionDetail")
    if detail is not None:
        lines.append(
            "  PermissionsBoundaryDecisionDetail: AllowedByPermissionsBoundary="
            f"{str(detail['AllowedByPermissionsBoundary']).lower()}"
        )
    entries = result["ContextEntries"]
    lines.append("  ContextEntries:" + ("" if entries else " (none)"))
    lines.extend(
        f"    - ContextKeyName: {e['ContextKeyName']}, ContextKeyValues: "
        f"{e['ContextKeyValues']}, ContextKeyType: {e['ContextKeyType']}"
        for e in entries
    )
    if result["MissingContextValues"]:
        lines.append(f"  MissingContextValues: {result['MissingContextValues']}")
    return "\n".join(lines)


# -- the checks -----------------------------------------------------------------------


def _settings(settings: Settings | None, max_examples: int) -> Settings:
    if settings is not None:
        return settings
    return Settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )


def _request_strategy(
    requests: SearchStrategy[Request] | None,
    action: str | Iterable[str] | None,
    resource: str | Iterable[str] | None,
) -> SearchStrategy[Request]:
    actions = [action] if isinstance(action, str) else action
    resources = [resource] if isinstance(resource, str) else resource
    if requests is None:
        return _ps.requests(actions=actions, resources=resources)
    strategy = requests
    if actions is not None:
        strategy = st.tuples(strategy, _ps.actions(actions=actions)).map(
            lambda pair: attrs.evolve(pair[0], action=pair[1])
        )
    if resources is not None:
        strategy = st.tuples(strategy, _ps.concrete_resources(resources)).map(
            lambda pair: attrs.evolve(pair[0], resource=pair[1])
        )
    return strategy


def _search(
    strategy: SearchStrategy[Request],
    broken: Callable[[Request], bool],
    settings: Settings | None,
    max_examples: int,
) -> Request | None:
    try:
        return find(strategy, broken, settings=_settings(settings, max_examples))
    except NoSuchExample:
        return None


def _who(user_name: str | None) -> str:
    return f"user {user_name!r}" if user_name is not None else "the policies"


def assert_never_allows(
    subject: Account | PolicyLike | Iterable[PolicyLike],
    user_name: str | None = None,
    *,
    requests: SearchStrategy[Request] | None = None,
    action: str | Iterable[str] | None = None,
    resource: str | Iterable[str] | None = None,
    boundary: PolicyLike | None = None,
    max_examples: int = 1000,
    settings: Settings | None = None,
) -> None:
    """Check that no drawn request is ``allowed`` for the user (or the policies).

    Args:
        subject: an :class:`~iamcore.Account` (then ``user_name`` names the
            user), or one or several identity policies (see
            :func:`permissions_of`).
        requests: the requests to try (default:
            :func:`iamcore.testing.strategies.requests` for ``action`` and
            ``resource``).
        action: the action(s) that must never be allowed: names or wildcard
            patterns (``"iam:*PermissionsBoundary"``).  Each drawn request's
            action is replaced by one of them.
        resource: ARNs or wildcard ARNs (filled in); each drawn request's
            resource is replaced by one of them.
        boundary: a permissions boundary for ``subject`` policies.
        max_examples: how many requests to try (ignored with ``settings``).
        settings: Hypothesis settings for the search.

    Raises:
        PolicyPropertyViolation: naming the smallest allowed request found.
    """
    decide = permissions_of(subject, user_name, boundary=boundary)
    strategy = _request_strategy(requests, action, resource)
    found = _search(strategy, lambda r: decide(r).allowed, settings, max_examples)
    if found is not None:
        request = decide.complete(found)
        raise PolicyPropertyViolation(
            f"{found.action} is allowed for {_who(user_name)}",
            request,
            [simulator_result(request, decide(request))],
        )


def assert_always_allows(
    subject: Account | PolicyLike | Iterable[PolicyLike],
    user_name: str | None = None,
    *,
    requests: SearchStrategy[Request] | None = None,
    action: str | Iterable[str] | None = None,
    resource: str | Iterable[str] | None = None,
    boundary: PolicyLike | None = None,
    max_examples: int = 1000,
    settings: Settings | None = None,
) -> None:
    """Check that every drawn request is ``allowed`` (arguments as :func:`assert_never_allows`).

    Useful beside a restriction, to show it did not lock out what must keep
    working.

    Raises:
        PolicyPropertyViolation: naming the smallest request that is denied.
    """
    decide = permissions_of(subject, user_name, boundary=boundary)
    strategy = _request_strategy(requests, action, resource)
    found = _search(strategy, lambda r: not decide(r).allowed, settings, max_examples)
    if found is not None:
        request = decide.complete(found)
        evaluation = decide(request)
        raise PolicyPropertyViolation(
            f"{found.action} is {evaluation.decision} for {_who(user_name)}",
            request,
            [simulator_result(request, evaluation)],
        )


def assert_not_more_permissive(
    policy_a: PolicyLike | Iterable[PolicyLike] | Permissions,
    policy_b: PolicyLike | Iterable[PolicyLike] | Permissions,
    *,
    requests: SearchStrategy[Request] | None = None,
    action: str | Iterable[str] | None = None,
    resource: str | Iterable[str] | None = None,
    boundary_a: PolicyLike | None = None,
    boundary_b: PolicyLike | None = None,
    max_examples: int = 1000,
    settings: Settings | None = None,
) -> None:
    """Check that policy set A allows no drawn request that policy set B denies.

    ``policy_a``/``policy_b`` are one or several identity policies (limited
    by ``boundary_a``/``boundary_b``), or :class:`Permissions` from
    :func:`permissions_of` (e.g. two users of an account: each request is
    completed with each user's own principal keys).  A typical use:
    a rewritten, tidier policy (A) must not grant more than the policy it
    replaces (B).

    Raises:
        PolicyPropertyViolation: naming the smallest request A allows and B
            does not, with both evaluations (A first).
    """
    decide_a = (
        policy_a
        if isinstance(policy_a, Permissions)
        else permissions_of(policy_a, boundary=boundary_a)
    )
    decide_b = (
        policy_b
        if isinstance(policy_b, Permissions)
        else permissions_of(policy_b, boundary=boundary_b)
    )
    strategy = _request_strategy(requests, action, resource)
    found = _search(
        strategy,
        lambda r: decide_a(r).allowed and not decide_b(r).allowed,
        settings,
        max_examples,
    )
    if found is not None:
        raise PolicyPropertyViolation(
            f"{found.action} is allowed by policy A but {decide_b(found).decision} by policy B",
            found,
            [
                simulator_result(decide_a.complete(found), decide_a(found)),
                simulator_result(decide_b.complete(found), decide_b(found)),
            ],
            ["Policy A:", "Policy B:"],
        )
