"""ListPoliciesGrantingServiceAccess: which of an identity's policies grant access to a service.

AWS facts modelled here (API reference; responses recorded from AWS in 2026,
github.com/radkawar/stackd ``testdata/aws/iam/last_access.json``):

- the identity is a user or a group, named by ARN and found by type and name
  (the ARN's path is ignored).  A user's list includes its own inline and
  managed policies and those of its groups; a group's only its own.
  Permissions boundaries are never listed, nor used;
- an inline policy is listed with ``EntityType`` ``USER``/``GROUP`` and the
  name of the user or group it belongs to, a managed policy with its
  ``PolicyArn`` only, once even when it is attached both to the user and to
  one of its groups;
- one entry per namespace asked for, in the order asked, each namespace once,
  with an empty ``Policies`` list when nothing grants access.  Everything fits
  in one page: a Marker is always ``Invalid Marker.``;
- a policy grants access to a service when one of its Allow statements names
  an action of the service (``*``, ``s3:*``, ``S3:get*``, or an action name
  AWS does not know; a ``NotAction`` that leaves some of the service's
  actions) on a resource that can be the service's (``*``, or an ARN whose
  service part matches; ``NotResource`` unless it is ``*``).  Conditions on
  the Allow are not considered.  Only a Deny in the *same* policy that has
  no condition, covers every action of the service and has ``"Resource":
  "*"`` takes the policy out; narrower or conditional denies, and denies in
  other policies, do not;
- errors: another partition ``ValidationError: Invalid ARN partition``, another
  service ``ValidationError: Invalid service in ARN``, another account
  AccessDenied, a policy ARN ``InvalidInput: Invalid Entity Arn: <arn> is not
  supported.``, the account root ``InvalidInput: Could not extract entity from
  ARN : <arn>``, an identity that does not exist ``NoSuchEntity: ARN <arn> does
  not exist.``, a namespace that is no service prefix ``InvalidInput: Invalid
  service namespace: [x, y]`` (case-sensitive; every unknown one, in order).

iamcore's choices where AWS is silent (docs/policies.md): the kind of entity
is checked before the account (so an AWS managed policy's ARN is "not
supported" too), and the entity is looked up before the namespaces are
checked; a NotAction Deny that leaves none of the service's actions counts as
covering it; policies are listed in the order the
simulator evaluates them (the user's inline policies, its managed ones, then
each group's), where AWS's own order varies from call to call; IAM resource
types other than ``user``/``group``/``role``/``policy`` (``mfa``, …) get the
policy ARN's InvalidInput; a role, which iamcore does not model, does not
exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from iamcore import service_catalog
from iamcore.enforcement import parsed_document
from iamcore.entities import Group, InlinePolicy, ManagedPolicy, User
from iamcore.errors import AccessDenied, IamError, InvalidInput, NoSuchEntity, ValidationError
from iamcore.policy.document import PolicyDocument, Statement
from iamcore.policy.matching import compile_wildcard
from iamcore.responses import (
    ListPoliciesGrantingServiceAccessEntry,
    ListPoliciesGrantingServiceAccessResponse,
    PolicyGrantingServiceAccess,
)
from iamcore.rules.policies import find_policy
from iamcore.rules.users import caller_arn
from iamcore.state import AccountState, Context

__all__ = [
    "action_of_service",
    "candidates",
    "denies_whole_service",
    "find_identity",
    "grants_service",
    "identity_from_arn",
    "list_policies_granting_service_access",
    "names_service",
    "reaches_service",
    "resource_of_service",
]

_ARN = re.compile(r"arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)", re.DOTALL)

#: (policy, its document) pairs: the policy as listed, and what decides it
_Candidate = tuple[PolicyGrantingServiceAccess, PolicyDocument]


def list_policies_granting_service_access(
    state: AccountState,
    ctx: Context,
    *,
    arn: str,
    service_namespaces: Sequence[str],
    marker: str | None = None,
) -> ListPoliciesGrantingServiceAccessResponse:
    """AWS ListPoliciesGrantingServiceAccess (see the module docstring)."""
    identity = identity_from_arn(state, ctx, arn)
    assert not isinstance(identity, ManagedPolicy)
    wanted = list(dict.fromkeys(service_namespaces))
    unknown = [name for name in wanted if name not in service_catalog.SERVICE_NAMES]
    if unknown:
        raise InvalidInput(f"Invalid service namespace: [{', '.join(unknown)}]")
    if marker is not None:  # every answer fits in one page, so no marker was ever issued
        raise ValidationError("Invalid Marker.")
    found = list(candidates(state, identity))
    entries = tuple(
        ListPoliciesGrantingServiceAccessEntry(
            service_namespace=namespace,
            policies=tuple(
                listed for listed, document in found if grants_service(document, namespace)
            ),
        )
        for namespace in wanted
    )
    return ListPoliciesGrantingServiceAccessResponse(entries)


# -- the identity -----------------------------------------------------------------


def identity_from_arn(
    state: AccountState, ctx: Context, arn: str, *, policies: bool = False
) -> User | Group | ManagedPolicy:
    """The user or group (or, with ``policies``, the managed policy) an ARN names, found
    by type and name as AWS finds it here (the ARN's path is ignored), with the
    errors of the module docstring.  A role does not exist: iamcore models none."""
    match = _ARN.fullmatch(arn)
    if match is None:
        raise InvalidInput(f"ARN {arn} is not valid.")
    partition, service, region, account, resource = match.groups()
    if partition != "aws":
        raise ValidationError("Invalid ARN partition")
    if service != "iam":
        raise ValidationError("Invalid service in ARN")
    if region or arn != arn.rstrip():  # IAM ARNs have no region (rules.policies.check_arn)
        raise InvalidInput(f"ARN {arn} is not valid.")
    kind, _, rest = resource.partition("/")
    kinds = ("user", "group", "role", "policy") if policies else ("user", "group", "role")
    if not rest or kind not in kinds:
        if resource == "root":
            raise InvalidInput(f"Could not extract entity from ARN : {arn}")
        raise InvalidInput(f"Invalid Entity Arn: {arn} is not supported.")
    if account != ctx.account_id and not (kind == "policy" and account == "aws"):
        raise AccessDenied(
            f"User: {caller_arn(state, ctx)} is not authorized to perform the operation on {arn}"
        )
    name = rest.rsplit("/", 1)[-1]
    found: User | Group | ManagedPolicy | None = None
    if kind == "user":
        user_id = state.user_ids.get(name.lower())
        found = state.users[user_id] if user_id is not None else None
    elif kind == "group":
        group_id = state.group_ids.get(name.lower())
        found = state.groups[group_id] if group_id is not None else None
    elif kind == "policy":  # a policy's path is part of its ARN: looked up as given
        found = find_policy(state, arn)
    if found is None:
        raise NoSuchEntity(f"ARN {arn} does not exist.")
    return found


def find_identity(
    state: AccountState, ctx: Context, arn: str
) -> User | Group | ManagedPolicy | None:
    """What :func:`identity_from_arn` finds, or ``None`` where it would raise (for the
    authorization check, which must see the identity's own ARN)."""
    try:
        return identity_from_arn(state, ctx, arn, policies=True)
    except IamError:
        return None


# -- the policies -------------------------------------------------------------------


def candidates(state: AccountState, identity: User | Group) -> Iterator[_Candidate]:
    """The identity's policies as listed (inline, then managed; a user's groups after it),
    each managed policy once."""
    seen: set[str] = set()
    if isinstance(identity, User):
        yield from _owned(
            state,
            "USER",
            identity.user_name,
            state.user_inline_policies.get(identity.user_id, {}).values(),
            state.user_attached_policies.get(identity.user_id, {}),
            seen,
        )
        groups = [state.groups[g] for g in state.user_groups.get(identity.user_id, {})]
    else:
        groups = [identity]
    for group in groups:
        yield from _owned(
            state,
            "GROUP",
            group.group_name,
            state.group_inline_policies.get(group.group_id, {}).values(),
            state.group_attached_policies.get(group.group_id, {}),
            seen,
        )


def _owned(
    state: AccountState,
    entity_type: str,
    entity_name: str,
    inline: Iterable[InlinePolicy],
    attached: Iterable[str],
    seen: set[str],
) -> Iterator[_Candidate]:
    for policy in inline:
        listed = PolicyGrantingServiceAccess(
            policy_name=policy.policy_name,
            policy_type="INLINE",
            entity_type=entity_type,
            entity_name=entity_name,
        )
        yield listed, parsed_document(policy.policy_document)
    for arn in attached:
        managed = find_policy(state, arn)
        if managed is None or managed.arn in seen:
            continue
        seen.add(managed.arn)
        document = managed.default_version.document
        assert document is not None
        listed = PolicyGrantingServiceAccess(
            policy_name=managed.policy_name, policy_type="MANAGED", policy_arn=managed.arn
        )
        yield listed, parsed_document(document)


# -- the grant rule -------------------------------------------------------------------


def grants_service(document: PolicyDocument, namespace: str) -> bool:
    """Whether ``document`` grants access to the service ``namespace`` (module docstring)."""
    allows = any(
        statement.effect == "Allow"
        and names_service(statement, namespace)
        and reaches_service(statement, namespace)
        for statement in document.statements
    )
    return allows and not any(
        denies_whole_service(statement, namespace) for statement in document.statements
    )


def _vendor_matches(vendor: str, namespace: str) -> bool:
    """Whether an action pattern's service part names ``namespace`` (``s3``, ``S3``, and
    ``*``, the only wildcard a policy may use there)."""
    return vendor == "*" or vendor.lower() == namespace


def action_of_service(pattern: str, namespace: str) -> bool:
    """Whether the action pattern can match an action of ``namespace`` (``*``, ``ns:…``,
    ``*:…``)."""
    if pattern == "*":
        return True
    return _vendor_matches(pattern.partition(":")[0], namespace)


def _covers_service(pattern: str, namespace: str) -> bool:
    """Whether the action pattern matches every action of ``namespace`` (``*``, ``ns:*``,
    ``*:*``)."""
    if pattern == "*":
        return True
    vendor, _, action = pattern.partition(":")
    return _vendor_matches(vendor, namespace) and action != "" and set(action) == {"*"}


def names_service(statement: Statement, namespace: str) -> bool:
    if statement.actions is not None:
        return any(action_of_service(p, namespace) for p in statement.actions)
    excluded = statement.not_actions or ()
    return not any(_covers_service(p, namespace) for p in excluded)


def resource_of_service(pattern: str, namespace: str) -> bool:
    """Whether the resource pattern can match a resource of ``namespace``: ``*``, or an
    ARN pattern whose service part matches one its resources' ARNs have (``s3`` for s3,
    ``iam`` or ``sts`` for sts, …: :func:`service_catalog.resource_vendors`)."""
    if pattern == "*":
        return True
    parts = pattern.split(":", 3)
    if len(parts) < 3:  # "arn:*" and the like reach past the service part
        return "*" in pattern
    vendor = compile_wildcard(parts[2], ignore_case=True)
    return any(vendor.fullmatch(v) for v in service_catalog.resource_vendors(namespace))


def reaches_service(statement: Statement, namespace: str) -> bool:
    if statement.resources is not None:
        return any(resource_of_service(p, namespace) for p in statement.resources)
    return "*" not in (statement.not_resources or ())


def denies_whole_service(statement: Statement, namespace: str) -> bool:
    """Whether ``statement`` is an unconditional Deny of every action of ``namespace`` on
    ``"Resource": "*"``."""
    if statement.effect != "Deny" or statement.conditions or statement.resources is None:
        return False
    if "*" not in statement.resources:
        return False
    if statement.actions is not None:
        return any(_covers_service(p, namespace) for p in statement.actions)
    return not any(action_of_service(p, namespace) for p in statement.not_actions or ())
