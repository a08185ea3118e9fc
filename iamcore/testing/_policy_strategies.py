"""Strategies for the IAM policy language: actions, ARNs, documents and requests.

Public names are re-exported by :mod:`iamcore.testing.strategies`; see there.

The condition keys used in generated policies and generated requests come
from one catalogue (:data:`CONTEXT_KEYS`) with small value pools, so a drawn
condition and a drawn request context often meet: both matching and
non-matching cases are exercised, not only "key absent".
"""

from __future__ import annotations

import functools
import ipaddress
import json
import string
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from iamcore import _model
from iamcore.policy import PolicyDocument, Request, non_whitespace_length, parse_policy
from iamcore.policy.context import ContextValue
from iamcore.policy.matching import action_matches, resource_matches, service_of

__all__ = [
    "CONTEXT_KEYS",
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_SERVICES",
    "ContextKey",
    "action_patterns",
    "actions",
    "known_actions",
    "parsed_policy_documents",
    "policy_documents",
    "policy_statements",
    "requests",
    "resource_arns",
    "resource_patterns",
]

#: The account ID generated ARNs use unless told otherwise.
DEFAULT_ACCOUNT_ID = "123456789012"
#: Services drawn from when none are named.
DEFAULT_SERVICES = ("iam", "s3", "ec2", "sts")

_IAM_ACTIONS = tuple(
    sorted({"iam:" + name for name in _model.model()["operations"]} | {"iam:PassRole"})
)
_OTHER_ACTIONS: dict[str, tuple[str, ...]] = {
    "s3": ("GetObject", "PutObject", "DeleteObject", "ListBucket", "GetBucketPolicy"),
    "ec2": ("RunInstances", "DescribeInstances", "TerminateInstances", "StopInstances"),
    "sts": ("AssumeRole", "GetCallerIdentity", "GetSessionToken"),
    "kms": ("Decrypt", "Encrypt", "CreateKey", "ScheduleKeyDeletion"),
    "dynamodb": ("GetItem", "PutItem", "Query", "DeleteTable"),
}
_REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2")
_WORDS = ("alice", "bob", "admin", "dev", "ops", "a", "Alice")
_TEAMS = ("dev", "ops", "admin", "")
_BUCKETS = ("bucket", "my-bucket", "logs.example.com")


def known_actions(services: Iterable[str] | None = None) -> tuple[str, ...]:
    """Action names iamcore knows for ``services`` (every IAM operation, samples of others)."""
    return _known_actions(DEFAULT_SERVICES if services is None else tuple(services))


@functools.lru_cache(maxsize=64)
def _known_actions(chosen: tuple[str, ...]) -> tuple[str, ...]:
    found: list[str] = []
    for service in chosen:
        if service == "iam":
            found.extend(_IAM_ACTIONS)
        else:
            names = _OTHER_ACTIONS.get(service, ("Get", "Put", "List"))
            found.extend(f"{service}:{name}" for name in names)
    return tuple(found)


def _generalisations(action: str) -> list[str]:
    """Wildcard patterns that match ``action``: ``svc:*``, ``svc:Get*``, ``svc:*User``, ``?``."""
    service, _, name = action.partition(":")
    patterns = [f"{service}:*", "*"]
    if len(name) > 1:
        cut = max(1, len(name) // 2)
        patterns += [f"{service}:{name[:cut]}*", f"{service}:*{name[cut:]}"]
        patterns.append(f"{service}:{name[:-1]}?")
    return patterns


@st.composite
def _fill(draw: st.DrawFn, pattern: str, alphabet: str) -> str:
    """A concrete value matching a wildcard ``pattern``: each ``*``/``?`` replaced."""
    out: list[str] = []
    for char in pattern:
        if char == "*":
            out.append(draw(st.text(alphabet, min_size=1, max_size=6)))
        elif char == "?":
            out.append(draw(st.sampled_from(alphabet)))
        else:
            out.append(char)
    return "".join(out)


_ACTION_CHARS = string.ascii_letters
_RESOURCE_CHARS = string.ascii_letters + string.digits + "-_/."


def actions(
    *, services: Iterable[str] | None = None, actions: Iterable[str] | None = None
) -> SearchStrategy[str]:
    """Concrete action names (``service:Operation``) that a request can carry.

    With ``actions`` (names or wildcard patterns such as ``iam:*User*``),
    only actions they match: the known actions that match each pattern, or
    the pattern with its wildcards filled in when no known action does.
    Otherwise the known actions of ``services`` (default
    :data:`DEFAULT_SERVICES`; every IAM operation plus ``iam:PassRole``).
    """
    pool = known_actions(services)
    if actions is None:
        return st.sampled_from(pool)
    choices: list[SearchStrategy[str]] = []
    catalogue = known_actions({service_of(a) for a in actions} | set(DEFAULT_SERVICES))
    for pattern in actions:
        if "*" not in pattern and "?" not in pattern:
            choices.append(st.just(pattern))
            continue
        matching = [a for a in catalogue if action_matches(pattern, a)]
        if matching:
            choices.append(st.sampled_from(matching))
        else:
            choices.append(_fill(pattern, _ACTION_CHARS).filter(lambda a: ":" in a))
    if not choices:
        raise ValueError("actions= must name at least one action")
    return st.one_of(choices)


_action_names = actions


def action_patterns(
    *, services: Iterable[str] | None = None, actions: Iterable[str] | None = None
) -> SearchStrategy[str]:
    """``Action``/``NotAction`` entries: exact names and wildcard patterns.

    With ``actions``, each named action or a wildcard pattern that matches
    it (``iam:*``, ``iam:Create*``, ``iam:*User``, ``iam:CreateUse?``, ``*``).
    """
    return _action_patterns(
        None if services is None else tuple(services),
        None if actions is None else tuple(actions),
    )


@functools.lru_cache(maxsize=256)
def _action_patterns(
    services: tuple[str, ...] | None, actions: tuple[str, ...] | None
) -> SearchStrategy[str]:
    if actions is not None:
        named = list(actions)
        if not named:
            raise ValueError("actions= must name at least one action")
        derived = sorted({p for a in named for p in _generalisations(a)})
        return st.one_of(st.sampled_from(named), st.sampled_from(derived))
    pool = known_actions(services)
    services_used = sorted({service_of(a) for a in pool})
    return st.one_of(
        st.sampled_from(pool),
        st.sampled_from(pool).flatmap(lambda a: st.sampled_from(_generalisations(a))),
        st.sampled_from([f"{s}:*" for s in services_used]),
    )


def _iam_name() -> SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(_WORDS), st.text(string.ascii_letters + "_+=,.@-", min_size=1, max_size=8)
    )


def _iam_path() -> SearchStrategy[str]:
    return st.sampled_from(["/", "/eng/", "/eng/team/", "/admins/"])


@st.composite
def _arn_for(draw: st.DrawFn, service: str, account_id: str) -> str:
    if service in ("iam", "sts"):
        kind = draw(st.sampled_from(["user", "group", "policy", "role"]))
        return f"arn:aws:iam::{account_id}:{kind}{draw(_iam_path())}{draw(_iam_name())}"
    if service == "s3":
        bucket = draw(st.sampled_from(_BUCKETS))
        key = draw(st.one_of(st.none(), st.sampled_from(["a.txt", "home/alice/x", "logs/2026/1"])))
        return f"arn:aws:s3:::{bucket}" + (f"/{key}" if key else "")
    region = draw(st.sampled_from(_REGIONS))
    if service == "ec2":
        suffix = draw(st.text("0123456789abcdef", min_size=17, max_size=17))
        return f"arn:aws:ec2:{region}:{account_id}:instance/i-{suffix}"
    return f"arn:aws:{service}:{region}:{account_id}:thing/{draw(_iam_name())}"


def resource_arns(
    *,
    services: Iterable[str] | None = None,
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> SearchStrategy[str]:
    """Concrete resource ARNs of ``services`` (IAM users, groups, policies, roles; S3
    buckets and objects; EC2 instances; …) in ``account_id``."""
    chosen = tuple(services) if services is not None else DEFAULT_SERVICES
    return st.sampled_from(chosen).flatmap(lambda service: _arn_for(service, account_id))


def _resource_generalisations(arn: str) -> list[str]:
    patterns = ["*"]
    head, _, rest = arn.rpartition("/")
    if head and rest:
        patterns.append(head + "/*")
        patterns.append(head + "/" + rest[:-1] + "?")
    parts = arn.split(":", 5)
    if len(parts) == 6:
        patterns.append(":".join(parts[:5]) + ":*")
        patterns.append(":".join([*parts[:4], "*", parts[5]]))
    return patterns


def resource_patterns(
    *,
    services: Iterable[str] | None = None,
    resources: Iterable[str] | None = None,
    account_id: str = DEFAULT_ACCOUNT_ID,
    variables: bool = True,
) -> SearchStrategy[str]:
    """``Resource``/``NotResource`` entries: ``*``, ARNs, wildcard ARNs, policy variables.

    With ``resources``, each named ARN (or pattern) or a wildcard pattern
    that matches it.  With ``variables``, also ARNs such as
    ``arn:aws:iam::123456789012:user/${aws:username}``.
    """
    return _resource_patterns(
        None if services is None else tuple(services),
        None if resources is None else tuple(resources),
        account_id,
        variables,
    )


@functools.lru_cache(maxsize=256)
def _resource_patterns(
    services: tuple[str, ...] | None,
    resources: tuple[str, ...] | None,
    account_id: str,
    variables: bool,
) -> SearchStrategy[str]:
    if resources is not None:
        named = list(resources)
        if not named:
            raise ValueError("resources= must name at least one resource")
        derived = sorted({p for r in named for p in _resource_generalisations(r)})
        return st.one_of(st.sampled_from(named), st.sampled_from(derived))
    concrete = resource_arns(services=services, account_id=account_id)
    choices = [
        st.just("*"),
        concrete,
        concrete.flatmap(lambda arn: st.sampled_from(_resource_generalisations(arn))),
    ]
    if variables:
        choices.append(
            st.sampled_from(
                [
                    f"arn:aws:iam::{account_id}:user/${{aws:username}}",
                    "arn:aws:iam::*:user/${aws:username}",
                    "arn:aws:s3:::bucket/home/${aws:username}/*",
                    f"arn:aws:iam::{account_id}:user/${{aws:PrincipalTag/team, 'none'}}/*",
                ]
            )
        )
    return st.one_of(choices)


# -- condition keys ------------------------------------------------------------------


@attrs.frozen
class ContextKey:
    """A condition key: the operators that fit it, and pools of policy and request values.

    ``request_values`` draws one value as it appears in a request context
    (``str``, ``bool``, ``int``, ``datetime``, an IP address…);
    ``policy_values`` draws a value as written in a policy (always text).
    ``multivalued`` keys (``aws:TagKeys``) take ``ForAnyValue``/``ForAllValues``.
    """

    name: str
    operators: tuple[str, ...]
    policy_values: SearchStrategy[str]
    request_values: SearchStrategy[Any]
    multivalued: bool = False


def _policy_arns(account_id: str) -> list[str]:
    return [
        f"arn:aws:iam::{account_id}:policy/Boundary",
        f"arn:aws:iam::{account_id}:policy/eng/Other",
        "arn:aws:iam::aws:policy/AdministratorAccess",
        "arn:aws:iam::aws:policy/IAMReadOnlyAccess",
    ]


_STRING_OPERATORS = (
    "StringEquals",
    "StringNotEquals",
    "StringLike",
    "StringNotLike",
    "StringEqualsIgnoreCase",
)
_ARN_OPERATORS = ("ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "StringEquals")
_DATES = (
    datetime(2020, 1, 1, tzinfo=UTC),
    datetime(2026, 1, 1, tzinfo=UTC),
    datetime(2030, 6, 15, 12, 0, tzinfo=UTC),
)


@functools.lru_cache(maxsize=64)
def _context_keys(account_id: str) -> tuple[ContextKey, ...]:
    arns = _policy_arns(account_id)
    arn_patterns = [*arns, f"arn:aws:iam::{account_id}:policy/*", "arn:aws:iam::aws:policy/*"]
    return (
        ContextKey(
            "aws:username",
            _STRING_OPERATORS,
            st.sampled_from([*_WORDS, "a*", "${aws:username}"]),
            st.sampled_from(_WORDS),
        ),
        ContextKey(
            "aws:PrincipalTag/team",
            _STRING_OPERATORS,
            st.sampled_from([*_TEAMS, "d*"]),
            st.sampled_from(_TEAMS),
        ),
        ContextKey(
            "aws:RequestedRegion",
            ("StringEquals", "StringNotEquals", "StringLike"),
            st.sampled_from([*_REGIONS, "us-*"]),
            st.sampled_from(_REGIONS),
        ),
        ContextKey(
            "aws:MultiFactorAuthPresent",
            ("Bool",),
            st.sampled_from(["true", "false"]),
            st.booleans(),
        ),
        ContextKey(
            "aws:SecureTransport", ("Bool",), st.sampled_from(["true", "false"]), st.booleans()
        ),
        ContextKey(
            "aws:MultiFactorAuthAge",
            ("NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericEquals"),
            st.sampled_from(["0", "300", "3600"]),
            st.sampled_from([0, 60, 300, 3600, 86400]),
        ),
        ContextKey(
            "aws:CurrentTime",
            ("DateLessThan", "DateGreaterThan", "DateGreaterThanEquals"),
            st.sampled_from([d.strftime("%Y-%m-%dT%H:%M:%SZ") for d in _DATES]),
            st.sampled_from(_DATES),
        ),
        ContextKey(
            "aws:SourceIp",
            ("IpAddress", "NotIpAddress"),
            st.sampled_from(["203.0.113.0/24", "10.0.0.0/8", "2001:db8::/32"]),
            st.sampled_from(
                [
                    ipaddress.ip_address("203.0.113.7"),
                    ipaddress.ip_address("10.1.2.3"),
                    ipaddress.ip_address("192.0.2.1"),
                    ipaddress.ip_address("2001:db8::1"),
                ]
            ),
        ),
        ContextKey(
            "iam:PermissionsBoundary",
            _ARN_OPERATORS,
            st.sampled_from(arn_patterns),
            st.sampled_from(arns),
        ),
        ContextKey(
            "iam:PolicyARN",
            _ARN_OPERATORS,
            st.sampled_from(arn_patterns),
            st.sampled_from(arns),
        ),
        ContextKey(
            "aws:RequestTag/team",
            _STRING_OPERATORS,
            st.sampled_from(_TEAMS),
            st.sampled_from(_TEAMS),
        ),
        ContextKey(
            "aws:TagKeys",
            ("ForAnyValue:StringEquals", "ForAllValues:StringEquals", "ForAnyValue:StringLike"),
            st.sampled_from(["team", "cost-center", "t*"]),
            st.sampled_from(["team", "cost-center", "owner"]),
            multivalued=True,
        ),
    )


#: The condition keys generated policies test and generated requests carry.
CONTEXT_KEYS: tuple[ContextKey, ...] = _context_keys(DEFAULT_ACCOUNT_ID)


@st.composite
def _condition(draw: st.DrawFn, keys: Sequence[ContextKey]) -> tuple[str, str, list[str]]:
    key = draw(st.sampled_from(keys))
    if draw(st.integers(0, 9)) == 0:  # Null: is the key absent?
        return "Null", key.name, [draw(st.sampled_from(["true", "false"]))]
    operator = draw(st.sampled_from(key.operators))
    if not key.multivalued and draw(st.booleans()):
        operator += "IfExists"
    values = draw(st.lists(key.policy_values, min_size=1, max_size=3, unique=True))
    return operator, key.name, values


# -- documents -------------------------------------------------------------------------


def _one_or_list(draw: st.DrawFn, values: list[str]) -> str | list[str]:
    if len(values) == 1 and draw(st.booleans()):
        return values[0]
    return values


@attrs.frozen
class _StatementParts:
    """The strategies one statement is drawn from (built once per ``policy_documents`` call)."""

    effects: SearchStrategy[str]
    actions: SearchStrategy[list[str]]
    resources: SearchStrategy[list[str]]
    conditions: SearchStrategy[list[tuple[str, str, list[str]]]] | None
    not_elements: bool


def _statement_parts(
    *,
    services: Iterable[str] | None,
    actions: Iterable[str] | None,
    resources: Iterable[str] | None,
    effects: Sequence[str],
    conditions: bool,
    not_elements: bool,
    variables: bool,
    account_id: str,
) -> _StatementParts:
    return _StatementParts(
        effects=st.sampled_from(tuple(effects)),
        actions=st.lists(
            action_patterns(services=services, actions=actions),
            min_size=1,
            max_size=3,
            unique=True,
        ),
        resources=st.lists(
            resource_patterns(
                services=services, resources=resources, account_id=account_id, variables=variables
            ),
            min_size=1,
            max_size=3,
            unique=True,
        ),
        conditions=(
            st.lists(
                _condition(_context_keys(account_id)),
                max_size=2,
                unique_by=lambda c: (c[0], c[1]),
            )
            if conditions
            else None
        ),
        not_elements=not_elements,
    )


@st.composite
def _statement(draw: st.DrawFn, parts: _StatementParts, sid: str | None) -> dict[str, Any]:
    statement: dict[str, Any] = {}
    if sid is not None:
        statement["Sid"] = sid
    statement["Effect"] = draw(parts.effects)
    negate = parts.not_elements and draw(st.integers(0, 4)) == 0
    statement["NotAction" if negate else "Action"] = _one_or_list(draw, draw(parts.actions))
    negate = parts.not_elements and draw(st.integers(0, 4)) == 0
    statement["NotResource" if negate else "Resource"] = _one_or_list(draw, draw(parts.resources))
    if parts.conditions is not None:
        block: dict[str, dict[str, Any]] = {}
        for operator, key, values in draw(parts.conditions):
            block.setdefault(operator, {})[key] = _one_or_list(draw, values)
        if block:
            statement["Condition"] = block
    return statement


def policy_statements(
    *,
    services: Iterable[str] | None = None,
    actions: Iterable[str] | None = None,
    resources: Iterable[str] | None = None,
    effects: Sequence[str] = ("Allow", "Deny"),
    conditions: bool = True,
    not_elements: bool = True,
    variables: bool = True,
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> SearchStrategy[dict[str, Any]]:
    """Policy statements as JSON-ready dicts (see :func:`policy_documents`)."""
    parts = _statement_parts(
        services=services,
        actions=actions,
        resources=resources,
        effects=effects,
        conditions=conditions,
        not_elements=not_elements,
        variables=variables,
        account_id=account_id,
    )
    return _statement(parts, None)


@st.composite
def _document(
    draw: st.DrawFn,
    min_statements: int,
    max_statements: int,
    parts: _StatementParts,
    versions: tuple[str | None, ...],
) -> str:
    count = draw(st.integers(min_statements, max_statements))
    with_sids = draw(st.booleans())
    statements = [
        draw(_statement(parts, f"Stmt{index}" if with_sids else None)) for index in range(count)
    ]
    document: dict[str, Any] = {}
    version = draw(st.sampled_from(versions))
    if version is not None:
        document["Version"] = version
    document["Statement"] = (
        statements[0] if len(statements) == 1 and draw(st.booleans()) else statements
    )
    return json.dumps(document, indent=draw(st.sampled_from([None, 2, 4])))


def policy_documents(
    *,
    services: Iterable[str] | None = None,
    actions: Iterable[str] | None = None,
    resources: Iterable[str] | None = None,
    effects: Sequence[str] = ("Allow", "Deny"),
    min_statements: int = 1,
    max_statements: int = 4,
    conditions: bool = True,
    not_elements: bool = True,
    variables: bool = True,
    account_id: str = DEFAULT_ACCOUNT_ID,
    max_length: int = 2048,
    versions: Sequence[str | None] = ("2012-10-17",),
) -> SearchStrategy[str]:
    """Identity-policy JSON text that IAM accepts (CreatePolicy, PutUserPolicy, boundaries).

    Each statement has ``Action`` or ``NotAction``, ``Resource`` or
    ``NotResource`` (single strings or lists), an optional ``Sid`` (unique)
    and optional ``Condition`` blocks over :data:`CONTEXT_KEYS` (string,
    ARN, Boolean, numeric, date and IP operators, ``...IfExists``,
    ``ForAnyValue``/``ForAllValues`` and ``Null``).  Resources may hold
    policy variables (``${aws:username}``).  The ``Version`` is drawn from
    ``versions``: ``2012-10-17`` by default, the only version managed
    policies accept; inline policies also take ``"2008-10-17"`` and ``None``
    (no ``Version`` element; variables are then literal text).

    Focus the documents with ``services``, ``actions`` (names; wildcard
    patterns that match them are drawn too) and ``resources``.  ``effects``
    limits the effects; ``conditions``, ``not_elements`` and ``variables``
    switch those features off.  ``max_length`` bounds the size as IAM counts
    it (non-whitespace characters): 2,048 fits a user inline policy, the
    smallest quota; managed policies allow 6,144.
    """
    if not 1 <= min_statements <= max_statements:
        raise ValueError("need 1 <= min_statements <= max_statements")
    parts = _statement_parts(
        services=services,
        actions=actions,
        resources=resources,
        effects=effects,
        conditions=conditions,
        not_elements=not_elements,
        variables=variables,
        account_id=account_id,
    )
    if not versions:
        raise ValueError("versions= must name at least one version (None: no Version element)")
    return _document(min_statements, max_statements, parts, tuple(versions)).filter(
        lambda text: non_whitespace_length(text) <= max_length
    )


def parsed_policy_documents(**options: Any) -> SearchStrategy[PolicyDocument]:
    """:class:`iamcore.policy.PolicyDocument` values: :func:`policy_documents` parsed.

    Takes the same keyword arguments as :func:`policy_documents`.
    """
    return policy_documents(**options).map(parse_policy)


# -- requests --------------------------------------------------------------------------


def _filled_arn(pattern: str) -> SearchStrategy[str]:
    """Concrete ARNs matching the wildcard ARN ``pattern``."""
    return _fill(pattern, _RESOURCE_CHARS).filter(lambda arn: resource_matches(pattern, arn))


def concrete_resources(resources: Iterable[str]) -> SearchStrategy[str]:
    """Concrete ARNs: each of ``resources``, with its wildcards filled in."""
    choices: list[SearchStrategy[str]] = []
    for resource in resources:
        if "*" in resource or "?" in resource:
            choices.append(st.just("*") if resource == "*" else _filled_arn(resource))
        else:
            choices.append(st.just(resource))
    if not choices:
        raise ValueError("resources= must name at least one resource")
    return st.one_of(choices)


@functools.lru_cache(maxsize=64)
def _default_resources(service: str, account_id: str) -> SearchStrategy[str]:
    return st.one_of(st.just("*"), _arn_for(service, account_id))


def _key_values(key: ContextKey) -> SearchStrategy[tuple[str, tuple[ContextValue, ...]]]:
    size = (0, 3) if key.multivalued else (1, 1)
    values = st.lists(key.request_values, min_size=size[0], max_size=size[1]).map(tuple)
    return values.map(lambda drawn: (key.name, drawn))


@functools.lru_cache(maxsize=64)
def _drawn_context(
    account_id: str,
) -> SearchStrategy[list[tuple[str, tuple[ContextValue, ...]]]]:
    """Up to four keys of the catalogue, each with values from its pool."""
    entries = st.one_of([_key_values(key) for key in _context_keys(account_id)])
    return st.lists(entries, unique_by=lambda entry: entry[0], max_size=4)


@st.composite
def _request(
    draw: st.DrawFn,
    action_strategy: SearchStrategy[str],
    resource_strategy: SearchStrategy[str] | None,
    context: Mapping[str, Any] | None,
    account_id: str,
) -> Request:
    action = draw(action_strategy)
    if resource_strategy is not None:
        resource = draw(resource_strategy)
    else:
        resource = draw(_default_resources(service_of(action), account_id))
    values: dict[str, tuple[ContextValue, ...]] = {}
    if context is None:
        for name, key_values in draw(_drawn_context(account_id)):
            values[name] = key_values
    else:
        for name, given in context.items():
            value = draw(given) if isinstance(given, SearchStrategy) else given
            if value is None:
                continue  # absent from this request
            values[name] = tuple(value) if isinstance(value, list | tuple) else (value,)
    return Request(action=action, resource=resource, context=values)


def requests(
    *,
    services: Iterable[str] | None = None,
    actions: Iterable[str] | None = None,
    resources: Iterable[str] | SearchStrategy[str] | None = None,
    context: Mapping[str, Any] | None = None,
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> SearchStrategy[Request]:
    """Authorization requests (:class:`iamcore.policy.Request`): action, resource, context.

    ``actions``: names or wildcard patterns (default: the known actions of
    ``services``).  ``resources``: ARNs or wildcard ARNs, filled in to
    concrete ARNs, or a strategy of ARNs (default: ``*`` or an ARN of the
    action's service).  ``context``: a mapping of condition keys to a value,
    a list of values, or a strategy of either; a strategy that draws
    ``None`` leaves the key out of that request (``st.none() | values``
    makes a key optional).  Without ``context``, up to four keys of
    :data:`CONTEXT_KEYS` with values from their pools.  Failing examples
    shrink towards fewer context keys.
    """
    action_strategy = _action_names(services=services, actions=actions)
    resource_strategy: SearchStrategy[str] | None
    if resources is None:
        resource_strategy = None
    elif isinstance(resources, SearchStrategy):
        resource_strategy = resources
    else:
        resource_strategy = concrete_resources(tuple(resources))
    return _request(action_strategy, resource_strategy, context, account_id)
