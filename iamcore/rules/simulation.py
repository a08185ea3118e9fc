"""Policy simulation: SimulateCustomPolicy, SimulatePrincipalPolicy, GetContextKeysFor….

AWS facts modelled here (API Reference pages of the four operations; UG
"Testing IAM policies with the IAM policy simulator"; aws-iam-rules.md §2.13,
§6.3):

- one ``EvaluationResult`` per action (botocore 1.44 model: "The simulator now
  returns a single EvaluationResult per action, regardless of how many
  resource ARNs are provided"); its ``EvalDecision`` is the most restrictive
  decision over the resources (explicitDeny > implicitDeny > allowed), and
  with ``ResourceArns`` each resource's decision is in
  ``ResourceSpecificResults``;
- ``MatchedStatements`` lists the statements that decided the result (only
  the denies when a deny wins, nothing for an implicit deny);
- ``MissingContextValues`` lists condition keys the deciding policies refer
  to that ``ContextEntries`` did not give: the simulator uses only the context
  it is given and fills in no keys;
- ``PermissionsBoundaryDecisionDetail`` appears when a boundary is in play;
  ``EvalDecisionDetails`` is an empty map with ``ResourceArns`` and absent
  without (same-account simulations);
- SimulateCustomPolicy refuses wildcards in action names, more than one
  boundary policy, and a ResourcePolicy without CallerArn (InvalidInput);
- SimulatePrincipalPolicy on a user uses the user's inline and attached
  policies, those of the user's groups, and the user's boundary (replaced by
  ``PermissionsBoundaryPolicyInputList`` when given), plus
  ``PolicyInputList``; on a group, the group's policies only;
  ``PolicyExclusionList`` leaves policies out; an unknown principal is
  NoSuchEntity.

Identifiers in ``MatchedStatements`` (decided by iamcore where AWS is silent,
see docs/policies.md): ``SourcePolicyId`` is ``PolicyInputList.N`` (1-based),
``PermissionsBoundaryPolicyInputList.1``, ``ResourcePolicy``, the name of a
managed policy, or ``user_<user>_<policy>`` / ``group_<group>_<policy>`` for
an inline policy (the form a real simulation shows for a role's,
``role_<role>_<policy>``); ``SourcePolicyType`` is ``IAM Policy`` for
identity-based and boundary policies (what real responses carry, even for
attached managed policies) and ``resource`` for the resource policy.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from iamcore import _model
from iamcore.enforcement import parsed_document
from iamcore.entities import Group, InlinePolicy, ManagedPolicy, User
from iamcore.errors import InvalidInput, MalformedPolicyDocument, NoSuchEntity
from iamcore.paging import page
from iamcore.policy import (
    Evaluation,
    MatchedStatement,
    PolicyDocument,
    PolicyKind,
    Request,
    SourcedPolicy,
    context_keys,
    evaluate,
    parse_policy,
)
from iamcore.policy.matching import compile_wildcard
from iamcore.responses import (
    EvaluationResult,
    GetContextKeysForPolicyResponse,
    OrganizationsDecisionDetail,
    PermissionsBoundaryDecisionDetail,
    ResourceSpecificResult,
    SimulatePolicyResponse,
    StatementMatch,
    StatementPosition,
)
from iamcore.rules.groups import require_group
from iamcore.rules.policies import check_arn, find_policy
from iamcore.rules.users import require_user
from iamcore.state import AccountState, Context

__all__ = [
    "IDENTITY_SOURCE_TYPE",
    "RESOURCE_HANDLING_OPTIONS",
    "get_context_keys_for_custom_policy",
    "get_context_keys_for_principal_policy",
    "simulate_custom_policy",
    "simulate_principal_policy",
]

#: ``SourcePolicyType`` that real simulations report for identity-based policies.
IDENTITY_SOURCE_TYPE = "IAM Policy"
RESOURCE_SOURCE_TYPE = "resource"

#: The scenarios SimulatePrincipalPolicy/SimulateCustomPolicy accept (SM doc).
RESOURCE_HANDLING_OPTIONS = frozenset(
    {
        "EC2-VPC-InstanceStore",
        "EC2-VPC-InstanceStore-Subnet",
        "EC2-VPC-EBS",
        "EC2-VPC-EBS-Subnet",
        "EC2-Classic-InstanceStore",
        "EC2-Classic-EBS",
    }
)

_ORDER = {"allowed": 0, "implicitDeny": 1, "explicitDeny": 2}

# ARN templates of IAM resource types (Service Authorization Reference for IAM).
_TEMPLATES = {
    "user": "arn:${Partition}:iam::${Account}:user/${UserNameWithPath}",
    "group": "arn:${Partition}:iam::${Account}:group/${GroupNameWithPath}",
    "policy": "arn:${Partition}:iam::${Account}:policy/${PolicyNameWithPath}",
    "mfa": "arn:${Partition}:iam::${Account}:mfa/${MfaTokenIdWithPath}",
}
_PRINCIPAL = re.compile(r"arn:aws:iam::(\d{12}):(user|group|role)(/(?:.*/)?)([^/]+)")


@attrs.frozen
class _Source:
    """A policy of the simulated principal, with what PolicyExclusionList can match."""

    policy: SourcedPolicy
    kind: str  # "inline", "aws-managed", "user-managed", "input"
    arn: str | None = None
    attachment_type: str | None = None
    attachment_name: str | None = None
    inline_name: str | None = None  # an inline policy's own name


# -- input checks -------------------------------------------------------------


def _parse(text: str, kind: PolicyKind, where: str) -> PolicyDocument:
    try:
        return parse_policy(text, kind=kind)
    except MalformedPolicyDocument as error:
        # The simulation operations answer InvalidInput (their model lists no
        # MalformedPolicyDocument).
        raise InvalidInput(f"Invalid policy in {where}: {error.message}") from None


def _input_policies(texts: Sequence[str]) -> list[SourcedPolicy]:
    return [
        SourcedPolicy(
            f"PolicyInputList.{n}",
            IDENTITY_SOURCE_TYPE,
            _parse(text, "identity", f"PolicyInputList.{n}"),
        )
        for n, text in enumerate(texts, start=1)
    ]


def _boundary_inputs(texts: Sequence[str]) -> list[SourcedPolicy] | None:
    if not texts:
        return None
    if len(texts) > 1:
        raise InvalidInput("PermissionsBoundaryPolicyInputList can contain at most one policy.")
    where = "PermissionsBoundaryPolicyInputList.1"
    return [SourcedPolicy(where, IDENTITY_SOURCE_TYPE, _parse(texts[0], "boundary", where))]


def _resource_policy(text: str | None) -> list[SourcedPolicy]:
    if text is None:
        return []
    document = _parse(text, "resource", "ResourcePolicy")
    return [SourcedPolicy("ResourcePolicy", RESOURCE_SOURCE_TYPE, document)]


def _check_common(
    resource_handling_option: str | None, resource_owner: str | None, caller_arn: str | None
) -> None:
    if (
        resource_handling_option is not None
        and resource_handling_option not in RESOURCE_HANDLING_OPTIONS
    ):
        raise InvalidInput(f"Invalid ResourceHandlingOption: {resource_handling_option}")
    if resource_owner is not None and re.fullmatch(r"\d{12}|arn:.+", resource_owner) is None:
        raise InvalidInput(f"Invalid ResourceOwner: {resource_owner}")
    if caller_arn is not None and _PRINCIPAL.fullmatch(caller_arn) is None:
        raise InvalidInput(f"Invalid CallerArn: {caller_arn}")


@functools.cache
def _template(action: str) -> str:
    """The ARN template of the resource an IAM action acts on, else ``*``."""
    service, _, name = action.partition(":")
    if service.lower() != "iam":
        return "*"
    operation = next(
        (op for op in _model.model()["operations"] if op.lower() == name.lower()), None
    )
    if operation is None:
        return "*"
    input_shape = _model.operation(operation)["input"]
    members = _model.shape(input_shape)["members"] if input_shape else {}
    if operation in ("AddUserToGroup", "RemoveUserFromGroup") or (
        "GroupName" in members and "UserName" not in members
    ):
        return _TEMPLATES["group"]
    if "UserName" in members or "AccessKeyId" in members:
        return _TEMPLATES["user"]
    if "PolicyArn" in members or operation == "CreatePolicy":
        return _TEMPLATES["policy"]
    if "SerialNumber" in members or operation == "CreateVirtualMFADevice":
        return _TEMPLATES["mfa"]
    return "*"


# -- results ------------------------------------------------------------------


def _resource_name(action: str, resource_arns: Sequence[str] | None) -> str:
    """EvaluationResult.EvalResourceName: ``*`` without resources, the one resource's own
    ARN for a single one (as real simulations of one resource show it), else the ARN
    template of the action's resource type (real multi-resource answers show templates
    such as ``arn:aws:lambda:${Region}:${Account}:${ResourceType}:${ResourceId}``)."""
    if not resource_arns:
        return "*"
    if len(resource_arns) == 1:
        return resource_arns[0]
    return _template(action)


def _matches(statements: Iterable[MatchedStatement]) -> tuple[StatementMatch, ...]:
    seen: dict[tuple[Any, ...], StatementMatch] = {}
    for s in statements:
        key = (
            s.source_policy_id,
            s.source_policy_type,
            s.start_position.line,
            s.start_position.column,
        )
        seen.setdefault(
            key,
            StatementMatch(
                source_policy_id=s.source_policy_id,
                source_policy_type=s.source_policy_type,
                start_position=StatementPosition(s.start_position.line, s.start_position.column),
                end_position=StatementPosition(s.end_position.line, s.end_position.column),
            ),
        )
    return tuple(seen.values())


def _missing(simulation: _Simulation, request: Request) -> tuple[str, ...]:
    """MissingContextValues as the simulator reports them: every context key the
    simulated policies use, in any statement, that the context entries do not supply.
    AWS lists keys of statements that do not apply to the simulated action too
    (boto/boto3#3111, aws/aws-sdk-java-v2#1751: users' reports of real responses)."""
    documents = [
        sourced.document
        for policies in (
            simulation.identity,
            simulation.boundary or (),
            simulation.resource,
            *simulation.organizations,
        )
        for sourced in policies
    ]
    return tuple(key for key in context_keys(documents) if key.lower() not in request.context)


@attrs.frozen
class _Simulation:
    identity: list[SourcedPolicy]
    boundary: list[SourcedPolicy] | None
    resource: list[SourcedPolicy]
    principal_arn: str | None
    organizations: list[list[SourcedPolicy]]


def _organizations_allow(simulation: _Simulation, request: Request) -> tuple[bool, bool]:
    """(allowed by every SCP level, explicitly denied by an SCP)."""
    allowed = True
    for level in simulation.organizations:
        decision = evaluate(request, level).decision
        if decision == "explicitDeny":
            return False, True
        allowed = allowed and decision == "allowed"
    return allowed, False


def _evaluate_one(simulation: _Simulation, request: Request) -> tuple[Evaluation, bool | None]:
    evaluation = evaluate(
        request,
        simulation.identity,
        simulation.boundary,
        simulation.resource,
        principal_arn=simulation.principal_arn,
    )
    if not simulation.organizations:
        return evaluation, None
    allowed, denied = _organizations_allow(simulation, request)
    if denied:
        evaluation = attrs.evolve(evaluation, decision="explicitDeny", matched_statements=())
    elif not allowed and evaluation.decision == "allowed":
        evaluation = attrs.evolve(evaluation, decision="implicitDeny", matched_statements=())
    return evaluation, allowed


def _simulate(
    simulation: _Simulation,
    action_names: Sequence[str],
    resource_arns: Sequence[str] | None,
    context_entries: Sequence[Mapping[str, Any]],
    marker: str | None,
    max_items: int | None,
) -> SimulatePolicyResponse:
    # Check every context entry before simulating anything.
    missing = _missing(
        simulation, Request.from_context_entries("iam:GetUser", "*", context_entries)
    )
    # EvaluationResult.MissingContextValues "is used when the resource in a simulation
    # is '*', either explicitly, or when the ResourceArns parameter [is] blank"; for
    # listed resources the keys go in ResourceSpecificResults instead (API reference).
    per_resource_missing = resource_arns is not None and list(resource_arns) not in ([], ["*"])
    results: list[EvaluationResult] = []
    for action in action_names:
        per_resource = []
        for resource in resource_arns or ("*",):
            request = Request.from_context_entries(action, resource, context_entries)
            per_resource.append((resource, *_evaluate_one(simulation, request)))
        decision = max((e.decision for _, e, _ in per_resource), key=_ORDER.__getitem__)
        deciding = [e for _, e, _ in per_resource if e.decision == decision]
        boundary = simulation.boundary is not None
        orgs = [allowed for _, _, allowed in per_resource if allowed is not None]
        specific = tuple(
            ResourceSpecificResult(
                eval_resource_name=resource,
                eval_resource_decision=evaluation.decision,
                matched_statements=_matches(evaluation.matched_statements),
                missing_context_values=missing,
                eval_decision_details=None,  # cross-account simulations only
                permissions_boundary_decision_detail=(
                    PermissionsBoundaryDecisionDetail(
                        bool(evaluation.allowed_by_permissions_boundary)
                    )
                    if boundary
                    else None
                ),
            )
            for resource, evaluation, _ in per_resource
        )
        results.append(
            EvaluationResult(
                eval_action_name=action,
                eval_decision=decision,
                eval_resource_name=_resource_name(action, resource_arns),
                matched_statements=_matches(
                    s for evaluation in deciding for s in evaluation.matched_statements
                ),
                missing_context_values=() if per_resource_missing else missing,
                eval_decision_details={} if resource_arns else None,
                permissions_boundary_decision_detail=(
                    PermissionsBoundaryDecisionDetail(
                        all(e.allowed_by_permissions_boundary for _, e, _ in per_resource)
                    )
                    if boundary
                    else None
                ),
                organizations_decision_detail=(
                    OrganizationsDecisionDetail(all(orgs)) if orgs else None
                ),
                resource_specific_results=specific if resource_arns else (),
            )
        )
    by_key = {f"{index:06d}": result for index, result in enumerate(results)}
    items, truncated, next_marker = page(sorted(by_key), by_key.get, marker, max_items)
    return SimulatePolicyResponse(tuple(items), truncated, next_marker)


# -- SimulateCustomPolicy -----------------------------------------------------


def simulate_custom_policy(
    state: AccountState,
    ctx: Context,
    *,
    policy_input_list: tuple[str, ...],
    action_names: tuple[str, ...],
    permissions_boundary_policy_input_list: tuple[str, ...] = (),
    resource_arns: tuple[str, ...] | None = None,
    resource_policy: str | None = None,
    resource_owner: str | None = None,
    caller_arn: str | None = None,
    context_entries: tuple[dict[str, Any], ...] = (),
    resource_handling_option: str | None = None,
    ordered_organization_policy_input_list: tuple[dict[str, Any], ...] = (),
    marker: str | None = None,
    max_items: int | None = None,
) -> SimulatePolicyResponse:
    """AWS SimulateCustomPolicy: evaluate policies given as text; nothing is executed.

    ``OrderedOrganizationPolicyInputList`` (SCPs, organization root first):
    each level must allow the action, and an SCP deny is an explicit deny;
    the result then carries ``OrganizationsDecisionDetail``.
    """
    for action in action_names:
        if "*" in action or "?" in action:
            raise InvalidInput(f"Action name {action} must not contain wildcards.")
    _check_common(resource_handling_option, resource_owner, caller_arn)
    if resource_policy is not None and caller_arn is None:
        raise InvalidInput("CallerArn is required when ResourcePolicy is specified.")
    organizations = [
        [
            SourcedPolicy(
                f"ServiceControlPolicyInputList.{n}", "scp", _parse(t, "identity", "SCP")
            )
            for n, t in enumerate(level.get("service_control_policy_input_list", ()), start=1)
        ]
        for level in ordered_organization_policy_input_list
    ]
    simulation = _Simulation(
        identity=_input_policies(policy_input_list),
        boundary=_boundary_inputs(permissions_boundary_policy_input_list),
        resource=_resource_policy(resource_policy),
        principal_arn=caller_arn,
        organizations=organizations,
    )
    return _simulate(simulation, action_names, resource_arns, context_entries, marker, max_items)


# -- SimulatePrincipalPolicy --------------------------------------------------


def _principal(state: AccountState, arn: str) -> User | Group:
    check_arn(arn)
    match = _PRINCIPAL.fullmatch(arn)
    if match is None or match.group(2) == "role":
        raise NoSuchEntity(f"The principal {arn} cannot be found.")
    kind, name = match.group(2), match.group(4)
    principal: User | Group = (
        require_user(state, name) if kind == "user" else require_group(state, name)
    )
    if principal.arn.lower() != arn.lower():  # the name exists under another path
        raise NoSuchEntity(f"The {kind} with name {name} cannot be found.")
    return principal


def _managed_sources(
    state: AccountState, arns: Iterable[str], owner_type: str, owner_name: str
) -> list[_Source]:
    sources = []
    for arn in arns:
        policy: ManagedPolicy | None = find_policy(state, arn)
        if policy is None:
            continue
        document = policy.default_version.document
        assert document is not None
        sources.append(
            _Source(
                SourcedPolicy(policy.policy_name, IDENTITY_SOURCE_TYPE, parsed_document(document)),
                "aws-managed" if policy.aws_managed else "user-managed",
                arn=policy.arn,
                attachment_type=owner_type,
                attachment_name=owner_name,
            )
        )
    return sources


def _owned_sources(
    state: AccountState,
    inline: Mapping[str, InlinePolicy],
    attached: Iterable[str],
    owner_type: str,
    owner_name: str,
) -> list[_Source]:
    """A user's or group's own policies: its inline policies, then its managed ones."""
    sources = [
        _Source(
            SourcedPolicy(
                # AWS names an inline policy <kind>_<owner>_<policy> in MatchedStatements
                # (a real simulation of a role: "role_<role name>_<policy name>")
                f"{owner_type}_{owner_name}_{policy.policy_name}",
                IDENTITY_SOURCE_TYPE,
                parsed_document(policy.policy_document),
            ),
            "inline",
            attachment_type=owner_type,
            attachment_name=owner_name,
            inline_name=policy.policy_name,
        )
        for policy in inline.values()
    ]
    return sources + _managed_sources(state, attached, owner_type, owner_name)


def _group_sources(state: AccountState, group: Group) -> list[_Source]:
    return _owned_sources(
        state,
        state.group_inline_policies.get(group.group_id, {}),
        state.group_attached_policies.get(group.group_id, {}),
        "group",
        group.group_name,
    )


def _principal_sources(state: AccountState, principal: User | Group) -> list[_Source]:
    if isinstance(principal, Group):
        return _group_sources(state, principal)
    sources = _owned_sources(
        state,
        state.user_inline_policies.get(principal.user_id, {}),
        state.user_attached_policies.get(principal.user_id, {}),
        "user",
        principal.user_name,
    )
    for group_id in state.user_groups.get(principal.user_id, {}):
        sources += _group_sources(state, state.groups[group_id])
    return sources


def _boundary_source(state: AccountState, principal: User | Group) -> _Source | None:
    if isinstance(principal, Group) or principal.permissions_boundary is None:
        return None
    arn = principal.permissions_boundary.permissions_boundary_arn
    found = _managed_sources(state, [arn], "user", principal.user_name)
    return found[0] if found else None


def _wildcard(pattern: str, value: str, ignore_case: bool = True) -> bool:
    return compile_wildcard(pattern, ignore_case=ignore_case).fullmatch(value) is not None


def _excluded(source: _Source, exclusions: Sequence[Mapping[str, Any]]) -> bool:
    """Whether a PolicyExclusionList entry (a ``PolicyIdentifier``) names this policy."""
    for exclusion in exclusions:
        policy_type = exclusion.get("policy_type")
        arn = exclusion.get("policy_arn")
        inline = exclusion.get("inline_policy_identifier")
        if policy_type is not None and policy_type == source.kind:
            return True
        if arn is not None and source.arn is not None and _wildcard(arn, source.arn, False):
            return True
        if (
            inline is not None
            and source.kind == "inline"
            and inline.get("policy_name", "").lower() == (source.inline_name or "").lower()
            and inline.get("attachment_type") == source.attachment_type
            and _wildcard(inline.get("attachment_name", ""), source.attachment_name or "")
        ):
            return True
    return False


def _check_exclusions(exclusions: Sequence[Mapping[str, Any]]) -> None:
    for exclusion in exclusions:
        given = [
            k for k in ("policy_type", "policy_arn", "inline_policy_identifier") if k in exclusion
        ]
        if len(given) != 1:
            raise InvalidInput(
                "Each PolicyExclusionList entry must specify exactly one of PolicyType, "
                "PolicyArn or InlinePolicyIdentifier."
            )
        arn = exclusion.get("policy_arn")
        if arn is not None:
            check_arn(arn)
            if arn.rsplit("/", 1)[-1].count("*") > 1 or "*" in arn.rsplit("/", 1)[0]:
                raise InvalidInput(f"ARN {arn} is not valid.")


def simulate_principal_policy(
    state: AccountState,
    ctx: Context,
    *,
    policy_source_arn: str,
    action_names: tuple[str, ...],
    policy_input_list: tuple[str, ...] = (),
    permissions_boundary_policy_input_list: tuple[str, ...] = (),
    policy_exclusion_list: tuple[dict[str, Any], ...] = (),
    resource_arns: tuple[str, ...] | None = None,
    resource_policy: str | None = None,
    resource_owner: str | None = None,
    caller_arn: str | None = None,
    context_entries: tuple[dict[str, Any], ...] = (),
    resource_handling_option: str | None = None,
    marker: str | None = None,
    max_items: int | None = None,
) -> SimulatePolicyResponse:
    """AWS SimulatePrincipalPolicy: a user's (or group's) policies, plus any given ones."""
    _check_common(resource_handling_option, resource_owner, caller_arn)
    _check_exclusions(policy_exclusion_list)
    principal = _principal(state, policy_source_arn)
    if resource_policy is not None and caller_arn is None and isinstance(principal, Group):
        raise InvalidInput("CallerArn is required when ResourcePolicy is specified.")
    extra = _input_policies(policy_input_list)
    boundary_inputs = _boundary_inputs(permissions_boundary_policy_input_list)
    sources = [
        s for s in _principal_sources(state, principal) if not _excluded(s, policy_exclusion_list)
    ]
    boundary: list[SourcedPolicy] | None = boundary_inputs
    if boundary is None:
        source = _boundary_source(state, principal)
        excluded = any(
            e.get("policy_type") == "permission-boundary" for e in policy_exclusion_list
        )
        if source is not None and not excluded:
            boundary = [source.policy]
    default_caller = principal.arn if isinstance(principal, User) else None
    simulation = _Simulation(
        identity=[s.policy for s in sources] + extra,
        boundary=boundary,
        resource=_resource_policy(resource_policy),
        principal_arn=caller_arn or default_caller,
        organizations=[],
    )
    return _simulate(simulation, action_names, resource_arns, context_entries, marker, max_items)


# -- context keys -------------------------------------------------------------


def _any_policy(text: str, where: str) -> PolicyDocument:
    try:
        return parse_policy(text, kind="identity")
    except MalformedPolicyDocument:
        return _parse(text, "resource", where)


def get_context_keys_for_custom_policy(
    state: AccountState, ctx: Context, *, policy_input_list: tuple[str, ...]
) -> GetContextKeysForPolicyResponse:
    """AWS GetContextKeysForCustomPolicy: the condition keys the policies refer to."""
    documents = [
        _any_policy(text, f"PolicyInputList.{n}")
        for n, text in enumerate(policy_input_list, start=1)
    ]
    return GetContextKeysForPolicyResponse(context_keys(documents))


def get_context_keys_for_principal_policy(
    state: AccountState,
    ctx: Context,
    *,
    policy_source_arn: str,
    policy_input_list: tuple[str, ...] = (),
) -> GetContextKeysForPolicyResponse:
    """AWS GetContextKeysForPrincipalPolicy: keys in the principal's policies (groups too).

    The user's permissions boundary counts as one of its policies (UNVERIFIED).
    """
    principal = _principal(state, policy_source_arn)
    documents = [s.policy.document for s in _principal_sources(state, principal)]
    boundary = _boundary_source(state, principal)
    if boundary is not None:
        documents.append(boundary.policy.document)
    documents += [
        _any_policy(text, f"PolicyInputList.{n}")
        for n, text in enumerate(policy_input_list, start=1)
    ]
    return GetContextKeysForPolicyResponse(context_keys(documents))
