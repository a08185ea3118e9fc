"""Policy evaluation for one account: identity policies, permissions boundary, resource policy.

Decision logic (UG "Policy evaluation logic", "Determining whether a request
is allowed or denied within an account", and UG "Permissions boundaries for
IAM entities"):

1. By default every request is implicitly denied.
2. An explicit ``Deny`` that matches, in any policy (identity, boundary or
   resource-based), gives ``explicitDeny``.  "An explicit deny in any of
   these policies overrides the allow."
3. A same-account resource-based policy that allows the request for this
   principal — naming the principal's own ARN, or everyone (``*``) —
   gives ``allowed`` with no identity-based allow: "If a resource-based
   policy grants permission directly to the IAM user ... that is making the
   request, then an implicit deny in an identity-based policy, a permissions
   boundary, or a session policy does not impact the final decision".  For
   an IAM role ARN the boundary still applies ("Resource-based policies that
   grant permissions to an IAM role ARN are limited by an implicit deny in a
   permissions boundary").  A grant to the *account*
   (``123456789012`` or ``arn:aws:iam::123456789012:root``) only delegates
   to the account's identity policies and grants nothing by itself.
4. Otherwise an identity-based ``Allow`` is needed, and when a permissions
   boundary is set the boundary must also allow ("The effective permissions
   are everything that is allowed by both policy types").  A boundary never
   grants by itself.
5. A statement applies only when its action, resource (and, for resource
   policies, principal) match and every condition holds; an ``Allow`` whose
   condition fails simply does not apply.

The result lists the statements that decided it, like the IAM policy
simulator's ``MatchedStatements``: only the deny statements when a deny
wins, the allow statements that granted when allowed, nothing for an
implicit deny.

Each :class:`~iamcore.policy.document.PolicyDocument` is compiled once
(wildcards to regular expressions, statements indexed by service prefix),
so that evaluating a request costs time in proportion to the statements of
the request's service, not to the size of the policies.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Literal

import attrs

from iamcore.policy import matching
from iamcore.policy.conditions import CompiledCondition, compile_condition
from iamcore.policy.context import ContextValue, Request
from iamcore.policy.document import PolicyDocument, Position, Principal, Statement
from iamcore.policy.variables import (
    Unresolved,
    has_variables,
    referenced_keys,
    split_resource,
    substitute,
)

__all__ = [
    "Decision",
    "Evaluation",
    "MatchedStatement",
    "SourcedPolicy",
    "context_keys",
    "evaluate",
]

Decision = Literal["allowed", "explicitDeny", "implicitDeny"]


@attrs.frozen
class SourcedPolicy:
    """A policy document with the identifiers the simulator reports for it.

    ``source_policy_type`` is one of AWS's ``PolicySourceType`` values
    (``user``, ``group``, ``role``, ``aws-managed``, ``user-managed``,
    ``resource``, ``none``) or ``"IAM Policy"``, which real
    SimulateCustomPolicy responses carry for ``PolicyInputList`` entries.
    """

    source_policy_id: str
    source_policy_type: str
    document: PolicyDocument


@attrs.frozen
class MatchedStatement:
    """A statement that decided an evaluation (AWS ``Statement`` in a simulation result)."""

    source_policy_id: str
    source_policy_type: str
    start_position: Position
    end_position: Position


@attrs.frozen
class Evaluation:
    """The outcome of :func:`evaluate` (AWS ``EvaluationResult`` essentials).

    Attributes:
        decision: ``allowed``, ``explicitDeny`` or ``implicitDeny``.
        matched_statements: the deny statements when a deny wins, the allow
            statements that granted when allowed, empty for an implicit deny.
        missing_context_values: condition keys (and policy-variable keys)
            used by the statements that apply to the request's action and
            resource (and principal) but absent from the request context, in
            the policy's spelling, unique ignoring case, sorted.
        allowed_by_permissions_boundary: ``None`` when no boundary was given;
            otherwise whether the boundary allows the request (a matching
            boundary ``Allow`` and no matching boundary ``Deny``).
    """

    decision: Decision
    matched_statements: tuple[MatchedStatement, ...] = ()
    missing_context_values: tuple[str, ...] = ()
    allowed_by_permissions_boundary: bool | None = None

    @property
    def allowed(self) -> bool:
        """Whether the decision is ``allowed``."""
        return self.decision == "allowed"


# --------------------------------------------------------------------------------------
# Compilation

_Lookup = Callable[[str], str | None]


def _compile_actions(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...] | None:
    """Compiled action patterns; ``None`` when one of them is ``*`` (matches everything)."""
    if "*" in patterns:
        return None
    return tuple(matching.compile_wildcard(p, ignore_case=True) for p in patterns)


class _ResourcePattern:
    """One Resource/NotResource entry, with variables resolved per request."""

    __slots__ = ("head", "regex", "tail", "text")

    def __init__(self, text: str, substitutes: bool) -> None:
        self.text = text
        head, tail = split_resource(text)
        if substitutes and has_variables(tail):
            self.head, self.tail = head, tail
            self.regex: re.Pattern[str] | None = None
        else:
            self.head, self.tail = text, ""
            self.regex = None if text == "*" else matching.compile_resource_pattern(text)

    @property
    def variables(self) -> tuple[str, ...]:
        return tuple(referenced_keys(self.tail)) if self.tail else ()

    def matches(self, resource: str, lookup: _Lookup, literal_star: bool = False) -> bool:
        if self.text == "*" or (resource == "*" and not literal_star):
            return True
        if self.regex is not None:
            return self.regex.fullmatch(resource) is not None
        pattern = self.head + substitute(self.tail, lookup)
        return matching.resource_matches(pattern, resource)


@attrs.frozen
class _CompiledStatement:
    index: int
    statement: Statement
    action_patterns: tuple[re.Pattern[str], ...] | None
    negate_actions: bool
    resources: tuple[_ResourcePattern, ...] | None
    negate_resources: bool
    conditions: tuple[CompiledCondition, ...]

    @property
    def is_allow(self) -> bool:
        return self.statement.effect == "Allow"

    def matches_action(self, action: str) -> bool:
        patterns = self.action_patterns
        hit = patterns is None or any(rx.fullmatch(action) for rx in patterns)
        return hit != self.negate_actions

    def matches_resource(self, resource: str, lookup: _Lookup, literal_star: bool = False) -> bool:
        if self.resources is None:  # a resource policy statement without Resource
            return True
        if self.negate_resources and resource == "*" and not literal_star:
            # The simulator's default resource "*" stands for "any resource":
            # NotResource excludes it only when it excludes everything.
            return not any(p.text == "*" for p in self.resources)
        hit = any(p.matches(resource, lookup, literal_star) for p in self.resources)
        return hit != self.negate_resources

    def conditions_hold(
        self, context: Mapping[str, tuple[ContextValue, ...]], lookup: _Lookup
    ) -> bool:
        return all(c.evaluate(context, lookup) for c in self.conditions)

    def referenced_keys(self) -> Iterator[str]:
        """Context keys this statement's conditions and variables refer to."""
        for condition in self.conditions:
            yield condition.key
            yield from condition.referenced_variables()
        for pattern in self.resources or ():
            yield from pattern.variables


_WILDCARD_SERVICE = "\x00*"


@attrs.frozen
class _CompiledPolicy:
    statements: tuple[_CompiledStatement, ...]
    by_service: Mapping[str, tuple[int, ...]]
    any_service: tuple[int, ...]

    def candidates(self, action: str) -> Iterable[_CompiledStatement]:
        """Statements that may match ``action``, in document order."""
        specific = self.by_service.get(matching.service_of(action), ())
        if not specific:
            indices: Iterable[int] = self.any_service
        elif not self.any_service:
            indices = specific
        else:
            indices = heapq.merge(specific, self.any_service)
        return (self.statements[i] for i in indices)


def _statement_services(statement: Statement) -> set[str]:
    """Service prefixes a statement can match, or ``{_WILDCARD_SERVICE}``."""
    if statement.actions is None:  # NotAction matches (almost) every service
        return {_WILDCARD_SERVICE}
    services: set[str] = set()
    for action in statement.actions:
        service = matching.service_of(action)
        if action == "*" or not service or "*" in service or "?" in service:
            return {_WILDCARD_SERVICE}
        services.add(service)
    return services


def _compile(document: PolicyDocument) -> _CompiledPolicy:
    substitutes = document.substitutes_variables
    statements: list[_CompiledStatement] = []
    by_service: dict[str, list[int]] = {}
    any_service: list[int] = []
    for index, statement in enumerate(document.statements):
        actions = statement.actions if statement.actions is not None else statement.not_actions
        resources = (
            statement.resources if statement.resources is not None else statement.not_resources
        )
        statements.append(
            _CompiledStatement(
                index=index,
                statement=statement,
                action_patterns=_compile_actions(actions or ()),
                negate_actions=statement.actions is None,
                resources=(
                    None
                    if resources is None
                    else tuple(_ResourcePattern(r, substitutes) for r in resources)
                ),
                negate_resources=statement.resources is None and resources is not None,
                conditions=tuple(
                    compile_condition(
                        c.operator, c.key, c.values, substitute_variables=substitutes
                    )
                    for c in statement.conditions
                ),
            )
        )
        services = _statement_services(statement)
        if _WILDCARD_SERVICE in services:
            any_service.append(index)
        else:
            for service in services:
                by_service.setdefault(service, []).append(index)
    return _CompiledPolicy(
        statements=tuple(statements),
        by_service={k: tuple(v) for k, v in by_service.items()},
        any_service=tuple(any_service),
    )


def compiled(document: PolicyDocument) -> _CompiledPolicy:
    """The compiled form of ``document``, computed once and kept on the document."""
    cached = document._compiled
    if cached is None:
        cached = _compile(document)
        object.__setattr__(document, "_compiled", cached)
    assert isinstance(cached, _CompiledPolicy)
    return cached


# --------------------------------------------------------------------------------------
# Evaluation


@attrs.define
class _Scan:
    allows: list[MatchedStatement] = attrs.Factory(list)
    denies: list[MatchedStatement] = attrs.Factory(list)
    direct_allows: list[MatchedStatement] = attrs.Factory(list)


def _principal_matches(
    principals: tuple[Principal, ...], principal_arn: str | None, account_is_direct: bool = False
) -> tuple[bool, bool]:
    """(matches at all, matches the principal itself rather than its account).

    ``account_is_direct``: a grant to the principal's account counts as a grant to the
    principal (the policy simulator's answer, recorded from AWS, 2026)."""
    if principal_arn is None:
        hit = any(p.value == "*" for p in principals)
        return hit, hit
    parts = principal_arn.split(":")
    account = parts[4] if len(parts) > 4 else ""
    matched = direct = False
    for p in principals:
        if (p.value == "*" and p.type in ("*", "AWS")) or p.value == principal_arn:
            matched = direct = True
        elif p.type == "AWS" and account and p.value in (account, f"arn:aws:iam::{account}:root"):
            matched = True
            direct = direct or account_is_direct
    return matched, direct


def _scan(
    policies: Sequence[SourcedPolicy],
    request: Request,
    missing: dict[str, str],
    *,
    resource_policy: bool = False,
    principal_arn: str | None = None,
    has_boundary: bool = False,
    literal_star: bool = False,
    account_is_direct: bool = False,
) -> _Scan:
    result = _Scan()
    context = request.context
    lookup = request.lookup
    for sourced in policies:
        policy = compiled(sourced.document)
        for compiled_statement in policy.candidates(request.action):
            if not compiled_statement.matches_action(request.action):
                continue
            statement = compiled_statement.statement
            direct = False
            if resource_policy:
                if statement.principals is not None:
                    matched, direct = _principal_matches(
                        statement.principals, principal_arn, account_is_direct
                    )
                elif statement.not_principals is not None:
                    # Only the principal's own ARN (or "*") excludes it; naming its
                    # account does not.
                    _, excluded = _principal_matches(statement.not_principals, principal_arn)
                    # UG "Permissions boundaries": a Deny with NotPrincipal "will always
                    # deny any IAM principal that has a permissions boundary policy
                    # attached, regardless of the values specified in the NotPrincipal".
                    if statement.effect == "Deny" and has_boundary:
                        excluded = False
                    matched, direct = not excluded, not excluded
                else:
                    matched = False
                if not matched:
                    continue
            try:
                if not compiled_statement.matches_resource(request.resource, lookup, literal_star):
                    continue
                _note_missing(compiled_statement, context, missing)
                if not compiled_statement.conditions_hold(context, lookup):
                    continue
            except Unresolved:
                # UG "Variables and tags": an unresolvable variable "causes the
                # statement to be invalid": it neither allows nor denies.
                _note_missing(compiled_statement, context, missing)
                continue
            matched_statement = MatchedStatement(
                source_policy_id=sourced.source_policy_id,
                source_policy_type=sourced.source_policy_type,
                start_position=statement.start_position,
                end_position=statement.end_position,
            )
            if compiled_statement.is_allow:
                result.allows.append(matched_statement)
                if direct:
                    result.direct_allows.append(matched_statement)
            else:
                result.denies.append(matched_statement)
    return result


def _note_missing(
    statement: _CompiledStatement,
    context: Mapping[str, tuple[ContextValue, ...]],
    missing: dict[str, str],
) -> None:
    for key in statement.referenced_keys():
        lowered = key.lower()
        if lowered not in context and lowered not in missing:
            missing[lowered] = key


def evaluate(
    request: Request,
    identity: Sequence[SourcedPolicy],
    boundary: Sequence[SourcedPolicy] | None = None,
    resource_policies: Sequence[SourcedPolicy] = (),
    principal_arn: str | None = None,
    *,
    literal_star: bool = False,
    account_grants: bool = False,
) -> Evaluation:
    """Decide ``request`` for a principal in one account.

    Args:
        request: the action, resource and request context.
        identity: the principal's identity-based policies (user inline and
            attached, and those of its groups) — their allows combine as a union.
        boundary: the permissions boundary policies, or ``None`` when the
            principal has no boundary.  An empty sequence is a boundary that
            allows nothing.
        resource_policies: resource-based policies on the target resource
            (same account).
        principal_arn: the requesting principal's ARN, matched against the
            ``Principal`` of resource-based policies.
        literal_star: when true, a request resource of ``*`` is the literal
            string ``*`` (the policy simulator's default resource when no
            ``ResourceArns`` are given): only ``Resource`` patterns that match
            the string ``*`` apply (a statement scoped to a specific ARN does
            not; recorded from AWS, 2026).  When false (the default, used by
            enforcement), ``*`` stands for any resource.
        account_grants: when true, a resource policy statement naming the
            principal's account (``arn:aws:iam::123456789012:root``) grants as
            if it named the principal: the policy simulator allows a
            same-account request on such a grant alone (recorded from AWS,
            2026: composition_same_root_*).  When false (the default, used by
            enforcement), such a grant only delegates to identity policies.

    See the module docstring for the decision rules and their sources.
    """
    missing: dict[str, str] = {}
    identity_scan = _scan(identity, request, missing, literal_star=literal_star)
    boundary_scan = (
        _scan(boundary, request, missing, literal_star=literal_star)
        if boundary is not None
        else None
    )
    resource_scan = _scan(
        resource_policies,
        request,
        missing,
        resource_policy=True,
        principal_arn=principal_arn,
        has_boundary=boundary is not None,
        literal_star=literal_star,
        account_is_direct=account_grants,
    )
    missing_values = tuple(sorted(missing.values(), key=str.lower))
    boundary_allows = (
        None if boundary_scan is None else bool(boundary_scan.allows) and not boundary_scan.denies
    )
    denies = (
        identity_scan.denies
        + (boundary_scan.denies if boundary_scan is not None else [])
        + resource_scan.denies
    )
    if denies:
        return Evaluation("explicitDeny", tuple(denies), missing_values, boundary_allows)
    identity_grants = bool(identity_scan.allows) and boundary_allows is not False
    # UG "Policy evaluation logic": a grant to an IAM user ARN "is not limited by an
    # implicit deny in an identity-based policy or permissions boundary", while one to
    # an IAM role ARN "is limited by an implicit deny in a permissions boundary".
    is_role = principal_arn is not None and ":role/" in principal_arn
    resource_grants = bool(resource_scan.direct_allows) and not (
        is_role and boundary_allows is False
    )
    if resource_grants or identity_grants:
        granted = (identity_scan.allows if identity_grants else []) + (
            resource_scan.allows if identity_grants else resource_scan.direct_allows
        )
        return Evaluation("allowed", tuple(granted), missing_values, boundary_allows)
    return Evaluation("implicitDeny", (), missing_values, boundary_allows)


def context_keys(documents: Iterable[PolicyDocument]) -> tuple[str, ...]:
    """Context keys the documents refer to, for GetContextKeysForCustomPolicy/PrincipalPolicy.

    The keys of every ``Condition`` and, in documents with Version
    2012-10-17, the keys named by policy variables in ``Resource``/
    ``NotResource`` and in string/ARN condition values.  Keys are unique
    ignoring case (the first spelling is kept) and sorted case-insensitively.
    """
    found: dict[str, str] = {}
    for document in documents:
        for statement in compiled(document).statements:
            for key in statement.referenced_keys():
                found.setdefault(key.lower(), key)
    return tuple(sorted(found.values(), key=str.lower))
