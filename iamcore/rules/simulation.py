"""Policy simulation: SimulateCustomPolicy and SimulatePrincipalPolicy.

AWS facts modelled here (API Reference pages of the four operations; UG
"Testing IAM policies with the IAM policy simulator"; aws-iam-rules.md §2.13,
§6.3):

- one ``EvaluationResult`` per action (botocore 1.44 model: "The simulator now
  returns a single EvaluationResult per action, regardless of how many
  resource ARNs are provided"); its ``EvalDecision`` is the most restrictive
  decision over the resources (explicitDeny > implicitDeny > allowed), and
  with ``ResourceArns`` each resource's decision is in
  ``ResourceSpecificResults``;
- without ``ResourceArns`` the resource is the literal string ``*``: only
  ``Resource`` patterns matching that text apply (recorded from AWS, 2026);
- ``MatchedStatements`` lists the deny statements when a deny wins, else every
  statement that matched for any resource, also for an aggregate implicitDeny
  (recorded from AWS, 2026);
- ``MissingContextValues`` lists condition keys the simulated policies refer
  to that ``ContextEntries`` did not give (case variants each listed), on the
  result and on each resource result, but only where the decision is an
  implicit deny (recorded from AWS, 2026); the simulator fills in ``aws:PrincipalAccount``
  and, for a user caller, ``aws:PrincipalArn`` and ``aws:username``, which
  still count as not given;
- ``PermissionsBoundaryDecisionDetail`` appears when a boundary is in play;
  ``EvalDecisionDetails`` is an empty map with ``ResourceArns`` and absent
  without in one account, and each side's decision when ResourceOwner is another
  account (see ``_evaluate_cross``); SimulatePrincipalPolicy results carry
  ``OrganizationsDecisionDetail`` unless SCPs are excluded;
- input errors answer AWS's recorded texts (see the checks below);
- SimulatePrincipalPolicy on a user uses the user's inline and attached
  policies, those of the user's groups, and the user's boundary (replaced by
  ``PermissionsBoundaryPolicyInputList`` when given), plus
  ``PolicyInputList``; on a group, the group's policies only;
  ``PolicyExclusionList`` leaves policies out; the principal is found by name.

Identifiers in ``MatchedStatements`` (decided by iamcore where AWS is silent,
see docs/policies.md): ``SourcePolicyId`` is ``PolicyInputList.N`` (1-based),
``PermissionsBoundaryPolicyInputList.1``, ``ResourcePolicy``, the name of a
managed policy, or ``user_<user>_<policy>`` / ``group_<group>_<policy>`` for
an inline policy (the form a real simulation shows for a role's,
``role_<role>_<policy>``); ``SourcePolicyType`` is ``IAM Policy`` for
identity-based policies (even attached managed ones), ``Permissions Boundary
Policy`` for boundary statements and ``Resource Policy`` for the resource
policy (recorded from AWS, 2026).
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
from iamcore.errors import InvalidInput, MalformedPolicyDocument, NoSuchEntity, ValidationError
from iamcore.paging import page
from iamcore.policy import (
    Evaluation,
    MatchedStatement,
    PolicyDocument,
    PolicyKind,
    Request,
    SourcedPolicy,
    evaluate,
    parse_policy,
)
from iamcore.policy.evaluation import compiled
from iamcore.policy.matching import compile_wildcard
from iamcore.responses import (
    EvaluationResult,
    OrganizationsDecisionDetail,
    PermissionsBoundaryDecisionDetail,
    ResourceSpecificResult,
    SimulatePolicyResponse,
    StatementMatch,
    StatementPosition,
)
from iamcore.rules.groups import require_group
from iamcore.rules.policies import check_arn, find_policy
from iamcore.rules.simulation_context import checked_context_entries, entry_field
from iamcore.rules.users import require_user
from iamcore.state import AccountState, Context

__all__ = [
    "BOUNDARY_SOURCE_TYPE",
    "IDENTITY_SOURCE_TYPE",
    "RESOURCE_HANDLING_OPTIONS",
    "Source",
    "boundary_source",
    "find_principal",
    "parse_input_policy",
    "principal_sources",
    "simulate_custom_policy",
    "simulate_principal_policy",
]

#: ``SourcePolicyType`` that real simulations report for identity-based policies.
IDENTITY_SOURCE_TYPE = "IAM Policy"
#: ``SourcePolicyType`` of permissions boundary statements (recorded from AWS, 2026).
BOUNDARY_SOURCE_TYPE = "Permissions Boundary Policy"
#: ``SourcePolicyType`` of ``ResourcePolicy`` statements (recorded from AWS, 2026).
RESOURCE_SOURCE_TYPE = "Resource Policy"

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

#: Actions that take a ResourceHandlingOption scenario (SM SimulateCustomPolicy: the
#: scenarios are those of EC2 RunInstances; AWS refused s3:GetObject, recorded 2026).
_RESOURCE_HANDLING_ACTIONS = frozenset({"ec2:runinstances"})

#: EvalDecisionDetails keys of a cross-account simulation (recorded from AWS, 2026).
_DETAIL_BOUNDARY = "Permissions Boundary Policy"
_DETAIL_RESOURCE = "Resource Policy"
_DETAIL_IDENTITY = "IAM Policy"

#: The value the simulator gives ``aws:userid``: present (a ``Null`` test sees it) but
#: equal to nothing a policy names (recorded from AWS, 2026:
#: composition_no_caller_presence_userid allowed, composition_custom_auto_userid and
#: the no_caller_value_userid_* cases implicitDeny).
_USERID_PLACEHOLDER = "\x00simulated-userid"

#: The InvalidInput text of an inline-policy exclusion with wildcards AWS does not take.
_BAD_INLINE_EXCLUSION = (
    "Invalid inline policy exclusion: policyName, attachmentType, and attachmentName are required"
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
#: A ResourceArns entry: ``*`` or an ARN with all six components, whose partition,
#: service and resource are not empty (recorded from AWS, 2026: input_resource_format_0,
#: _1 and _3 refused ``arn::s3:::name``, ``arn:aws::::name`` and ``arn:aws:s3:::``;
#: _2 and _4 accepted ``arn:unknown:s3:::name`` and ``arn:aws:s3:region:account:name``).
_RESOURCE_ARN = re.compile(r"\*|arn:[^:]+:[^:]+:[^:]*:[^:]*:.+", re.DOTALL)
#: A ResourceOwner: an ARN (AWS refuses a bare account number, recorded 2026).
_RESOURCE_OWNER = re.compile(r"arn:[^:]+:[^:]*:[^:]*:[^:]*:.+", re.DOTALL)


@attrs.frozen
class Source:
    """A policy of the simulated principal, with what PolicyExclusionList can match."""

    policy: SourcedPolicy
    kind: str  # "inline", "aws-managed", "user-managed", "input"
    arn: str | None = None
    attachment_type: str | None = None
    attachment_name: str | None = None
    inline_name: str | None = None  # an inline policy's own name


# -- input checks -------------------------------------------------------------


def parse_input_policy(
    text: str, kind: PolicyKind, where: str, message: str | None = None
) -> PolicyDocument:
    try:
        return parse_policy(text, kind=kind)
    except MalformedPolicyDocument as error:
        # The simulation operations answer InvalidInput (their model lists no
        # MalformedPolicyDocument).
        raise InvalidInput(message or f"Invalid policy in {where}: {error.message}") from None


def _input_policies(texts: Sequence[str]) -> list[SourcedPolicy]:
    """PolicyInputList; a bad item is InvalidInput "Policy input list item N has invalid
    content" (recorded from AWS, 2026: invalid JSON and an unknown Version alike)."""
    return [
        SourcedPolicy(
            f"PolicyInputList.{n}",
            IDENTITY_SOURCE_TYPE,
            parse_input_policy(
                text,
                "identity",
                f"PolicyInputList.{n}",
                f"Policy input list item {n} has invalid content",
            ),
        )
        for n, text in enumerate(texts, start=1)
    ]


def _boundary_inputs(texts: Sequence[str]) -> list[SourcedPolicy] | None:
    """PermissionsBoundaryPolicyInputList: at most one policy ("The list of Permissions
    Boundary policies cannot exceed 1 items.", recorded from AWS, 2026); its statements
    are reported with SourcePolicyType "Permissions Boundary Policy"."""
    if not texts:
        return None
    if len(texts) > 1:
        raise InvalidInput("The list of Permissions Boundary policies cannot exceed 1 items.")
    where = "PermissionsBoundaryPolicyInputList.1"
    return [
        SourcedPolicy(where, BOUNDARY_SOURCE_TYPE, parse_input_policy(texts[0], "boundary", where))
    ]


def _resource_policy(text: str | None) -> list[SourcedPolicy]:
    """ResourcePolicy, reported with SourcePolicyType "Resource Policy".  A statement
    whose Resource is ``*`` is InvalidInput "ResourceNames are not in a valid ARN
    format: *." (recorded from AWS, 2026)."""
    if text is None:
        return []
    document = parse_input_policy(text, "resource", "ResourcePolicy")
    for statement in document.statements:
        if "*" in (statement.resources or ()):
            raise InvalidInput("ResourceNames are not in a valid ARN format: *.")
    return [SourcedPolicy("ResourcePolicy", RESOURCE_SOURCE_TYPE, document)]


def _check_common(resource_owner: str | None, caller_arn: str | None) -> None:
    """ResourceOwner must be an ARN ("'123456789012' is not a valid as a Resource
    Owner.", AWS's wording, recorded 2026); CallerArn an IAM user, group or role ("Invalid
    caller - Caller must be an IAM user, role or group in this context.").
    ResourceHandlingOption is not checked against a list: AWS accepted "fictional"
    (recorded 2026)."""
    if resource_owner is not None and _RESOURCE_OWNER.fullmatch(resource_owner) is None:
        raise InvalidInput(f"'{resource_owner}' is not a valid as a Resource Owner.")
    if caller_arn is not None and _PRINCIPAL.fullmatch(caller_arn) is None:
        raise InvalidInput(
            "Invalid caller - Caller must be an IAM user, role or group in this context."
        )


def _check_resource_handling(
    option: str | None, action_names: Sequence[str], operation: str
) -> None:
    """A documented ResourceHandlingOption scenario with an action that takes none is
    InvalidInput "Invalid input resource handling options. Action does not support
    resource handling options: s3:GetObject. Please refer to the documentation for more
    details: https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html"
    (recorded from AWS, 2026: resource_handling_other_action; an undocumented option such
    as "fictional" is accepted, resource_handling_unknown)."""
    if option not in RESOURCE_HANDLING_OPTIONS:
        return
    for action in action_names:
        if action.lower() not in _RESOURCE_HANDLING_ACTIONS:
            raise InvalidInput(
                "Invalid input resource handling options. Action does not support resource "
                f"handling options: {action}. Please refer to the documentation for more "
                "details: https://docs.aws.amazon.com/IAM/latest/APIReference/"
                f"API_{operation}.html"
            )


def _account_of(arn: str | None) -> str | None:
    parts = arn.split(":") if arn is not None else []
    return parts[4] if len(parts) > 4 else None


def _check_actions(action_names: Sequence[str]) -> None:
    """An action name needs a ``service:`` prefix ("The action is invalid since it is
    missing names"); wildcards are accepted and matched literally (``s3:*`` is allowed
    only by a statement whose Action pattern matches the text ``s3:*``), as recorded
    from AWS, 2026."""
    for action in action_names:
        if ":" not in action:
            raise InvalidInput("The action is invalid since it is missing names")


def _check_resources(resource_arns: Sequence[str] | None, resource_policy: str | None) -> None:
    """ResourceArns must be ARNs (or ``*``): "ResourceNames are not in a valid ARN
    format: not-an-arn."; with a ResourcePolicy the resource must be a specific ARN:
    "Invalid Entity Arn: * does not clearly define entity type and name." (both
    recorded from AWS, 2026)."""
    for resource in resource_arns or ():
        if _RESOURCE_ARN.fullmatch(resource) is None:
            raise InvalidInput(f"ResourceNames are not in a valid ARN format: {resource}.")
    if resource_policy is not None and (not resource_arns or "*" in resource_arns):
        raise InvalidInput("Invalid Entity Arn: * does not clearly define entity type and name.")


def _derived_context(
    account_id: str, caller: str | None, given: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Context keys the simulator fills in itself (recorded from AWS, 2026):
    ``aws:PrincipalAccount`` (the account, even with no caller), and for a caller that is
    an IAM user (CallerArn, or SimulatePrincipalPolicy's user) ``aws:PrincipalArn`` and
    ``aws:username``.  ``aws:userid`` is present (a ``Null`` condition sees it, even with
    no caller) but equals no value a policy names; a group or role caller gets no
    ``aws:username``.  A key given in ContextEntries wins."""
    derived = {"aws:PrincipalAccount": account_id, "aws:userid": _USERID_PLACEHOLDER}
    match = _PRINCIPAL.fullmatch(caller) if caller is not None else None
    if match is not None and match.group(2) == "user":
        derived["aws:PrincipalArn"] = caller or ""
        derived["aws:username"] = match.group(4)
    given_keys = {str(entry_field(e, "ContextKeyName", "context_key_name")).lower() for e in given}
    return [
        {"ContextKeyName": k, "ContextKeyValues": [v], "ContextKeyType": "string"}
        for k, v in derived.items()
        if k.lower() not in given_keys
    ]


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
    (boto/boto3#3111, aws/aws-sdk-java-v2#1751: users' reports of real responses).
    Spellings that differ only in case are all listed (``stack:missing`` and
    ``STACK:missing``, recorded from AWS, 2026); keys the simulator fills in itself
    still count as missing (``aws:PrincipalAccount``, recorded 2026)."""
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
    found: dict[str, None] = {}
    for document in documents:
        for statement in compiled(document).statements:
            for key in statement.referenced_keys():
                found.setdefault(key)
    keys = sorted(found, key=str.lower)
    return tuple(key for key in keys if key.lower() not in request.context)


@attrs.frozen
class _Simulation:
    identity: list[SourcedPolicy]
    boundary: list[SourcedPolicy] | None
    resource: list[SourcedPolicy]
    principal_arn: str | None
    organizations: list[list[SourcedPolicy]]
    #: SimulatePrincipalPolicy reports OrganizationsDecisionDetail even with no SCPs
    organizations_detail: bool = False
    derived_context: tuple[dict[str, Any], ...] = ()
    #: the ResourceOwner is another account than the caller's
    cross_account: bool = False


def _organizations_allow(simulation: _Simulation, request: Request) -> tuple[bool, bool]:
    """(allowed by every SCP level, explicitly denied by an SCP)."""
    allowed = True
    for level in simulation.organizations:
        decision = evaluate(request, level, literal_star=True).decision
        if decision == "explicitDeny":
            return False, True
        allowed = allowed and decision == "allowed"
    return allowed, False


def _evaluate_cross(
    simulation: _Simulation, request: Request
) -> tuple[Evaluation, dict[str, str]]:
    """A ResourcePolicy on another account's resource (ResourceOwner; recorded from AWS,
    2026: composition_cross_*, resource_policy_owner_cross).  Both sides must allow: the
    caller's identity policies (within its boundary) and the resource policy; a deny in
    any of them is an explicit deny.  EvalDecisionDetails gives each side's decision
    ("IAM Policy", "Resource Policy", and "Permissions Boundary Policy" with a boundary);
    an implicit deny lists no MatchedStatements."""
    identity = evaluate(request, simulation.identity, literal_star=True)
    resource = evaluate(
        request,
        (),
        resource_policies=simulation.resource,
        principal_arn=simulation.principal_arn,
        literal_star=True,
        account_grants=True,
    )
    boundary = (
        evaluate(request, simulation.boundary, literal_star=True)
        if simulation.boundary is not None
        else None
    )
    sides = [identity, resource] + ([boundary] if boundary is not None else [])
    details: dict[str, str] = {
        _DETAIL_RESOURCE: resource.decision,
        _DETAIL_IDENTITY: identity.decision,
    }
    if boundary is not None:
        details = {_DETAIL_BOUNDARY: boundary.decision, **details}
    boundary_allows = None if boundary is None else boundary.decision == "allowed"
    if any(side.decision == "explicitDeny" for side in sides):
        denies = tuple(
            s for side in sides if side.decision == "explicitDeny" for s in side.matched_statements
        )
        return Evaluation("explicitDeny", denies, (), boundary_allows), details
    if all(side.allowed for side in sides):
        granted = identity.matched_statements + resource.matched_statements
        return Evaluation("allowed", granted, (), boundary_allows), details
    return Evaluation("implicitDeny", (), (), boundary_allows), details


def _evaluate_one(
    simulation: _Simulation, request: Request
) -> tuple[Evaluation, bool | None, dict[str, str] | None]:
    """One request.  In one account a ResourcePolicy grant to the caller's account
    allows by itself, like a grant to the caller (recorded from AWS, 2026:
    composition_same_root_* allowed with no identity allow)."""
    details: dict[str, str] | None = None
    if simulation.cross_account and simulation.resource:
        evaluation, details = _evaluate_cross(simulation, request)
    else:
        evaluation = evaluate(
            request,
            simulation.identity,
            simulation.boundary,
            simulation.resource,
            principal_arn=simulation.principal_arn,
            literal_star=True,
            account_grants=True,
        )
    if not simulation.organizations:
        return evaluation, True if simulation.organizations_detail else None, details
    allowed, denied = _organizations_allow(simulation, request)
    if denied:
        evaluation = attrs.evolve(evaluation, decision="explicitDeny", matched_statements=())
    elif not allowed and evaluation.decision == "allowed":
        evaluation = attrs.evolve(evaluation, decision="implicitDeny", matched_statements=())
    return evaluation, allowed, details


def _combined_details(details: Sequence[dict[str, str] | None]) -> dict[str, str] | None:
    """The result's EvalDecisionDetails: each side's most restrictive decision over the
    resources (cross-account simulations only)."""
    present = [d for d in details if d is not None]
    if not present:
        return None
    combined: dict[str, str] = {}
    for detail in present:
        for key, decision in detail.items():
            previous = combined.get(key, decision)
            combined[key] = max(previous, decision, key=_ORDER.__getitem__)
    return combined


def _simulate(
    simulation: _Simulation,
    action_names: Sequence[str],
    resource_arns: Sequence[str] | None,
    context_entries: Sequence[Mapping[str, Any]],
    marker: str | None,
    max_items: int | None,
) -> SimulatePolicyResponse:
    # Check every context entry before simulating anything.
    given = checked_context_entries(context_entries)
    missing = _missing(simulation, Request.from_context_entries("iam:GetUser", "*", given))
    entries = given + list(simulation.derived_context)
    results: list[EvaluationResult] = []
    for action in action_names:
        per_resource = []
        all_details: list[dict[str, str] | None] = []
        for resource in resource_arns or ("*",):
            request = Request.from_context_entries(action, resource, entries)
            evaluation, orgs_allowed, details = _evaluate_one(simulation, request)
            per_resource.append((resource, evaluation, orgs_allowed))
            all_details.append(details)
        decision = max((e.decision for _, e, _ in per_resource), key=_ORDER.__getitem__)
        # MatchedStatements: the deny statements when a deny wins, else every statement
        # that matched for any resource, even when the aggregate is implicitDeny
        # (recorded from AWS, 2026: custom_two_resources_mixed).
        deciding = (
            [e for _, e, _ in per_resource if e.decision == decision]
            if decision == "explicitDeny"
            else [e for _, e, _ in per_resource]
        )
        boundary = simulation.boundary is not None
        orgs = [allowed for _, _, allowed in per_resource if allowed is not None]
        specific = tuple(
            ResourceSpecificResult(
                eval_resource_name=resource,
                eval_resource_decision=evaluation.decision,
                matched_statements=_matches(evaluation.matched_statements),
                # AWS lists MissingContextValues only for an implicit deny (recorded 2026:
                # none where allowed, none under an unconditional deny)
                missing_context_values=missing if evaluation.decision == "implicitDeny" else (),
                eval_decision_details=details,  # cross-account simulations only
                permissions_boundary_decision_detail=(
                    PermissionsBoundaryDecisionDetail(
                        bool(evaluation.allowed_by_permissions_boundary)
                    )
                    if boundary
                    else None
                ),
            )
            for (resource, evaluation, _), details in zip(per_resource, all_details, strict=True)
        )
        combined = _combined_details(all_details)
        results.append(
            EvaluationResult(
                eval_action_name=action,
                eval_decision=decision,
                eval_resource_name=_resource_name(action, resource_arns),
                matched_statements=_matches(
                    s for evaluation in deciding for s in evaluation.matched_statements
                ),
                # also with ResourceArns (recorded from AWS, 2026: missing_relevant)
                missing_context_values=missing if decision == "implicitDeny" else (),
                eval_decision_details=(
                    combined if combined is not None else ({} if resource_arns else None)
                ),
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
    try:
        items, truncated, next_marker = page(sorted(by_key), by_key.get, marker, max_items)
    except ValidationError:
        # the simulator's own wording (recorded from AWS, 2026)
        raise InvalidInput("Invalid marker for pagination.") from None
    return SimulatePolicyResponse(tuple(items), truncated, next_marker)


def _cross_account(ctx: Context, resource_owner: str | None, caller: str | None) -> bool:
    """Whether ResourceOwner names another account than the caller's (CallerArn's, else
    the simulating account's)."""
    owner = _account_of(resource_owner)
    return owner is not None and owner != (_account_of(caller) or ctx.account_id)


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
    the result then carries ``OrganizationsDecisionDetail``.  A level with no SCP is
    InvalidInput "Organization policy at index 1 must contain at least one service
    control policy" (1-based; recorded from AWS, 2026: organizations_empty_level).
    """
    _check_actions(action_names)
    _check_common(resource_owner, caller_arn)
    if resource_policy is not None and caller_arn is None:
        # AWS's wording (recorded 2026)
        raise InvalidInput("Invalid caller - Caller cannot be null or empty.")
    _check_resources(resource_arns, resource_policy)
    _check_resource_handling(resource_handling_option, action_names, "SimulateCustomPolicy")
    for index, level in enumerate(ordered_organization_policy_input_list, start=1):
        if not level.get("service_control_policy_input_list"):
            raise InvalidInput(
                f"Organization policy at index {index} must contain at least one service "
                "control policy"
            )
    organizations = [
        [
            SourcedPolicy(
                f"ServiceControlPolicyInputList.{n}",
                "scp",
                parse_input_policy(t, "identity", "SCP"),
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
        derived_context=tuple(_derived_context(ctx.account_id, caller_arn, context_entries)),
        cross_account=_cross_account(ctx, resource_owner, caller_arn),
    )
    return _simulate(simulation, action_names, resource_arns, context_entries, marker, max_items)


# -- SimulatePrincipalPolicy --------------------------------------------------


def find_principal(state: AccountState, ctx: Context, arn: str) -> User | Group:
    """The user or group a PolicySourceArn names (recorded from AWS, 2026):

    - anything but a user, group or role ARN (the root, an assumed-role session,
      not an ARN) is InvalidInput "Invalid ARN provided in the request: <arn>";
    - another account's entity is InvalidInput "Invalid Policy Source Arn: caller's
      account A does not have access to policies in account B.";
    - the entity is found by name, the path in the ARN is ignored;
    - an unknown entity (and any role: roles are not modelled) is NoSuchEntity
      "Unable to retrieve specified IAM entity."
    """
    match = _PRINCIPAL.fullmatch(arn)
    if match is None:
        raise InvalidInput(f"Invalid ARN provided in the request: {arn}")
    account, kind, name = match.group(1), match.group(2), match.group(4)
    if account != ctx.account_id:
        raise InvalidInput(
            f"Invalid Policy Source Arn: caller's account {ctx.account_id} does not have "
            f"access to policies in account {account}."
        )
    try:
        if kind == "user":
            return require_user(state, name)
        if kind == "group":
            return require_group(state, name)
    except NoSuchEntity:
        pass
    raise NoSuchEntity("Unable to retrieve specified IAM entity.")


def _managed_sources(
    state: AccountState, arns: Iterable[str], owner_type: str, owner_name: str
) -> list[Source]:
    sources = []
    for arn in arns:
        policy: ManagedPolicy | None = find_policy(state, arn)
        if policy is None:
            continue
        document = policy.default_version.document
        assert document is not None
        sources.append(
            Source(
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
) -> list[Source]:
    """A user's or group's own policies: its inline policies, then its managed ones."""
    sources = [
        Source(
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


def _group_sources(state: AccountState, group: Group) -> list[Source]:
    return _owned_sources(
        state,
        state.group_inline_policies.get(group.group_id, {}),
        state.group_attached_policies.get(group.group_id, {}),
        "group",
        group.group_name,
    )


def principal_sources(state: AccountState, principal: User | Group) -> list[Source]:
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


def boundary_source(state: AccountState, principal: User | Group) -> Source | None:
    if isinstance(principal, Group) or principal.permissions_boundary is None:
        return None
    arn = principal.permissions_boundary.permissions_boundary_arn
    found = _managed_sources(state, [arn], "user", principal.user_name)
    if not found:
        return None
    policy = found[0].policy
    return attrs.evolve(
        found[0],
        policy=SourcedPolicy(policy.source_policy_id, BOUNDARY_SOURCE_TYPE, policy.document),
    )


def _wildcard(pattern: str, value: str, ignore_case: bool = True) -> bool:
    return compile_wildcard(pattern, ignore_case=ignore_case).fullmatch(value) is not None


def _pathless(arn: str) -> str:
    """A managed policy's ARN without its path (``arn:aws:iam::123456789012:policy/name``)."""
    head, _, rest = arn.partition(":policy/")
    return f"{head}:policy/{rest.rsplit('/', 1)[-1]}"


def _excluded(source: Source, exclusions: Sequence[Mapping[str, Any]]) -> bool:
    """Whether a PolicyExclusionList entry (a ``PolicyIdentifier``) names this policy.

    A PolicyArn excludes a managed policy only in its pathless form: the ARN with the
    policy's path does not (recorded from AWS, 2026: principal_extra_exclude_arn_full,
    _pathless, _wrong_path, principal_dual_use_arn).  A PolicyArn never removes the
    permissions boundary (customer_boundary_pathless: the boundary still applies).  An
    inline identifier's AttachmentName may hold a wildcard (``*`` or ``?``:
    principal_extra_exclude_inline_owner_prefix, _owner_question)."""
    for exclusion in exclusions:
        policy_type = exclusion.get("policy_type")
        arn = exclusion.get("policy_arn")
        inline = exclusion.get("inline_policy_identifier")
        if policy_type is not None and policy_type == source.kind:
            return True
        if (
            arn is not None
            and source.arn is not None
            and _wildcard(arn, _pathless(source.arn), False)
        ):
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
    """PolicyExclusionList entries.  An inline identifier whose PolicyName holds a
    wildcard, or whose AttachmentName holds more than one, is InvalidInput "Invalid
    inline policy exclusion: policyName, attachmentType, and attachmentName are
    required" (recorded from AWS, 2026: principal_extra_exclude_inline_name_prefix,
    _name_question, _owner_two_stars)."""
    for exclusion in exclusions:
        inline = exclusion.get("inline_policy_identifier")
        if inline is not None:
            name = str(inline.get("policy_name", ""))
            owner = str(inline.get("attachment_name", ""))
            wildcards = sum(owner.count(c) for c in "*?")
            if "*" in name or "?" in name or wildcards > 1:
                raise InvalidInput(_BAD_INLINE_EXCLUSION)
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
    """AWS SimulatePrincipalPolicy: a user's (or group's) policies, plus any given ones.

    Every result carries OrganizationsDecisionDetail ``{"AllowedByOrganizations":
    true}`` unless PolicyExclusionList leaves out ``scp`` (recorded from AWS, 2026); a
    group source with a ResourcePolicy and no CallerArn is simulated, not refused.
    """
    _check_actions(action_names)
    _check_common(resource_owner, caller_arn)
    _check_exclusions(policy_exclusion_list)
    principal = find_principal(state, ctx, policy_source_arn)
    _check_resources(resource_arns, resource_policy)
    _check_resource_handling(resource_handling_option, action_names, "SimulatePrincipalPolicy")
    extra = _input_policies(policy_input_list)
    boundary_inputs = _boundary_inputs(permissions_boundary_policy_input_list)
    sources = [
        s for s in principal_sources(state, principal) if not _excluded(s, policy_exclusion_list)
    ]
    boundary: list[SourcedPolicy] | None = boundary_inputs
    if boundary is None:
        source = boundary_source(state, principal)
        excluded = any(
            e.get("policy_type") == "permission-boundary" for e in policy_exclusion_list
        )
        if source is not None and not excluded:
            boundary = [source.policy]
    caller = caller_arn or principal.arn
    simulation = _Simulation(
        identity=[s.policy for s in sources] + extra,
        boundary=boundary,
        resource=_resource_policy(resource_policy),
        principal_arn=caller,
        organizations=[],
        organizations_detail=not any(e.get("policy_type") == "scp" for e in policy_exclusion_list),
        derived_context=tuple(_derived_context(ctx.account_id, caller, context_entries)),
        cross_account=_cross_account(ctx, resource_owner, caller),
    )
    return _simulate(simulation, action_names, resource_arns, context_entries, marker, max_items)
