"""Service last accessed data (IAM Access Advisor): GenerateServiceLastAccessedDetails,
GetServiceLastAccessedDetails, GetServiceLastAccessedDetailsWithEntities, and
recording each authenticated attempt to use a service.

AWS facts modelled here (API reference; IAM User Guide "Refining permissions
using last accessed information"; the AWS CLI and botocore examples):

- a report is for a user, a group or a managed policy.  It lists every service
  the entity's permissions policies allow (a user's own and its groups', a
  group's own, the policy itself; ``"Action": "*"`` allows every service;
  permissions boundaries are not used), sorted by namespace, each with the
  latest authenticated attempt to use it: when, by which user, from which
  region, and how many users tried.  A service nobody tried has only its
  names and ``TotalAuthenticatedEntities`` 0 (every AWS example and capture);
- for a group, the attempts of its members count; for a policy, those of the
  users it is attached to, directly or through a group;
- ``ACTION_LEVEL`` reports add the latest attempt of each tracked action
  (``iam:PassRole`` is not tracked); ``SERVICE_LEVEL`` is the default;
- a report is a snapshot: newer attempts need a new report, and only the
  principal that generated it may read it;
- WithEntities lists, for one service, the users that could have used it, the
  most recent first.

Attempts are recorded by :func:`record_attempt`, which authentication calls
(``Account.authenticate`` and every boto3 mock request signed with one of the
account's keys, as ``iam`` and its action).  Times are to the minute, as AWS
reports them (``2019-09-30T23:02:00Z``).

iamcore's choices where AWS is silent (docs/policies.md): a report is
complete at once (AWS takes 1-4 s), so ``JobCompletionDate`` is its creation
time; "allows" is the reading of ListPoliciesGrantingServiceAccess
(:func:`~iamcore.rules.service_access.grants_service`); a group's report
counts every attempt of its members, whichever policy allowed it; an unknown
job, or another principal's, is NoSuchEntity ``No service last accessed
report was found for job ID <id>.``; WithEntities for a service the report
does not list answers no entities; the ARN is checked as by
ListPoliciesGrantingServiceAccess (AWS's recorded messages there).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from iamcore import service_catalog
from iamcore.enforcement import parsed_document
from iamcore.entities import (
    AccessReport,
    Group,
    ManagedPolicy,
    ReportedEntity,
    ServiceAccess,
    User,
)
from iamcore.errors import NoSuchEntity
from iamcore.paging import page_in_order, page_of_sorted
from iamcore.policy.document import PolicyDocument
from iamcore.responses import (
    EntityDetails,
    EntityInfo,
    GenerateServiceLastAccessedDetailsResponse,
    GetServiceLastAccessedDetailsResponse,
    GetServiceLastAccessedDetailsWithEntitiesResponse,
    ServiceLastAccessed,
    TrackedActionLastAccessed,
)
from iamcore.rules.service_access import candidates, grants_service, identity_from_arn
from iamcore.state import AccountState, Context

__all__ = [
    "UNTRACKED_ACTIONS",
    "generate_service_last_accessed_details",
    "get_service_last_accessed_details",
    "get_service_last_accessed_details_with_entities",
    "record_attempt",
    "service_name",
]

#: Actions that report no last accessed data (UG: "The iam:PassRole action is not tracked").
UNTRACKED_ACTIONS = frozenset({"iam:passrole"})
#: Names AWS shows in reports where they differ from the Service Authorization
#: Reference's page titles (botocore's GetServiceLastAccessedDetails example).
_REPORT_NAMES = {"iam": "AWS Identity and Access Management"}
_COMPLETED = "COMPLETED"


def service_name(namespace: str) -> str:
    """The name a report shows for a service namespace."""
    return _REPORT_NAMES.get(namespace) or service_catalog.SERVICE_NAMES.get(namespace, namespace)


# -- recording attempts -------------------------------------------------------------


def record_attempt(
    state: AccountState, ctx: Context, user_id: str, service: str, region: str, action: str | None
) -> None:
    """Record an authenticated attempt by ``user_id`` to use ``service`` (and ``action``,
    a bare action name such as ``CreateUser``, when given) at ``ctx.now``."""
    attempt = ServiceAccess(ctx.now.replace(second=0, microsecond=0), region)
    state.service_access.setdefault(user_id, {})[service] = attempt
    if action is not None and f"{service}:{action}".lower() not in UNTRACKED_ACTIONS:
        state.action_access.setdefault(user_id, {})[f"{service}:{action}"] = attempt


# -- GenerateServiceLastAccessedDetails --------------------------------------------------


def generate_service_last_accessed_details(
    state: AccountState, ctx: Context, *, arn: str, granularity: str = "SERVICE_LEVEL"
) -> GenerateServiceLastAccessedDetailsResponse:
    """AWS GenerateServiceLastAccessedDetails: take the report (see the module docstring)."""
    entity = identity_from_arn(state, ctx, arn, policies=True)
    documents = _documents(state, entity)
    namespaces = tuple(
        namespace
        for namespace in sorted(service_catalog.SERVICE_NAMES)
        if any(grants_service(document, namespace) for document in documents)
    )
    job_id = str(uuid.UUID(bytes=ctx.entropy(16), version=4))
    state.access_reports[job_id] = AccessReport(
        job_id=job_id,
        owner=ctx.caller,
        job_type=granularity,
        created=ctx.now,
        namespaces=namespaces,
        entities=tuple(_reported(state, user) for user in _users(state, entity)),
    )
    return GenerateServiceLastAccessedDetailsResponse(job_id)


def _documents(state: AccountState, entity: User | Group | ManagedPolicy) -> list[PolicyDocument]:
    if isinstance(entity, ManagedPolicy):
        text = entity.default_version.document
        assert text is not None
        return [parsed_document(text)]
    return [document for _, document in candidates(state, entity)]


def _users(state: AccountState, entity: User | Group | ManagedPolicy) -> list[User]:
    """The users whose attempts count: the user; a group's members; for a policy, the
    users it is attached to and the members of the groups it is attached to."""
    if isinstance(entity, User):
        return [entity]
    if isinstance(entity, Group):
        group_ids: Iterable[str] = [entity.group_id]
        user_ids: dict[str, None] = {}
    else:
        group_ids = state.policy_groups.get(entity.arn, {})
        user_ids = dict(state.policy_users.get(entity.arn, {}))
    for group_id in group_ids:
        user_ids.update(state.group_members.get(group_id, {}))
    return sorted((state.users[u] for u in user_ids), key=lambda user: user.arn)


def _reported(state: AccountState, user: User) -> ReportedEntity:
    return ReportedEntity(
        arn=user.arn,
        name=user.user_name,
        entity_id=user.user_id,
        path=user.path,
        services=tuple(sorted(state.service_access.get(user.user_id, {}).items())),
        actions=tuple(sorted(state.action_access.get(user.user_id, {}).items())),
    )


# -- reading a report ---------------------------------------------------------------------


def _report(state: AccountState, ctx: Context, job_id: str) -> AccessReport:
    report = state.access_reports.get(job_id)
    if report is None or report.owner != ctx.caller:  # only its owner may read it
        raise NoSuchEntity(f"No service last accessed report was found for job ID {job_id}.")
    return report


def _latest(attempts: list[tuple[ServiceAccess, str]]) -> tuple[ServiceAccess, str]:
    """The latest attempt and its user's ARN; of equal times, the first (attempts come in
    the report's ARN order, and ``max`` keeps the first of equals)."""
    return max(attempts, key=lambda pair: pair[0].last_authenticated)


def _service(
    report: AccessReport, services: list[tuple[str, dict[str, ServiceAccess]]], namespace: str
) -> ServiceLastAccessed:
    """One service's line; ``services`` is each reported user's ARN and attempts."""
    attempts = [(used[namespace], arn) for arn, used in services if namespace in used]
    name = service_name(namespace)
    if not attempts:
        return ServiceLastAccessed(name, namespace)
    latest, arn = _latest(attempts)
    tracked = _tracked_actions(report, namespace) if report.job_type == "ACTION_LEVEL" else ()
    return ServiceLastAccessed(
        name,
        namespace,
        last_authenticated=latest.last_authenticated,
        last_authenticated_entity=arn,
        last_authenticated_region=latest.region,
        total_authenticated_entities=len(attempts),
        tracked_actions_last_accessed=tracked or None,
    )


def _tracked_actions(
    report: AccessReport, namespace: str
) -> tuple[TrackedActionLastAccessed, ...]:
    by_action: dict[str, list[tuple[ServiceAccess, str]]] = {}
    prefix = f"{namespace}:"
    for entity in report.entities:
        for action, attempt in entity.actions:
            if action.startswith(prefix):
                by_action.setdefault(action[len(prefix) :], []).append((attempt, entity.arn))
    tracked = []
    for action in sorted(by_action):
        latest, arn = _latest(by_action[action])
        tracked.append(
            TrackedActionLastAccessed(action, arn, latest.last_authenticated, latest.region)
        )
    return tuple(tracked)


def get_service_last_accessed_details(
    state: AccountState,
    ctx: Context,
    *,
    job_id: str,
    max_items: int | None = None,
    marker: str | None = None,
) -> GetServiceLastAccessedDetailsResponse:
    """AWS GetServiceLastAccessedDetails: the report's services by namespace, paged."""
    report = _report(state, ctx, job_id)
    namespaces, truncated, next_marker = page_of_sorted(
        list(report.namespaces), str, marker, max_items
    )
    services = [(entity.arn, dict(entity.services)) for entity in report.entities]
    return GetServiceLastAccessedDetailsResponse(
        job_status=_COMPLETED,
        job_type=report.job_type,
        job_creation_date=report.created,
        services_last_accessed=tuple(_service(report, services, n) for n in namespaces),
        job_completion_date=report.created,
        is_truncated=truncated,
        marker=next_marker,
    )


def _recent_first(details: EntityDetails) -> tuple[bool, float, str]:
    last = details.last_authenticated
    return (last is None, -last.timestamp() if last is not None else 0.0, details.entity_info.arn)


def get_service_last_accessed_details_with_entities(
    state: AccountState,
    ctx: Context,
    *,
    job_id: str,
    service_namespace: str,
    max_items: int | None = None,
    marker: str | None = None,
) -> GetServiceLastAccessedDetailsWithEntitiesResponse:
    """AWS GetServiceLastAccessedDetailsWithEntities: the report's users for one service,
    the most recent attempt first and users who never tried last (then by ARN)."""
    report = _report(state, ctx, job_id)
    details: list[EntityDetails] = []
    if service_namespace in report.namespaces:
        for entity in report.entities:
            attempt = dict(entity.services).get(service_namespace)
            info = EntityInfo(entity.arn, entity.name, "USER", entity.entity_id, entity.path)
            details.append(
                EntityDetails(info, attempt.last_authenticated if attempt is not None else None)
            )
    details.sort(key=_recent_first)
    items, truncated, next_marker = page_in_order(details, marker, max_items)
    return GetServiceLastAccessedDetailsWithEntitiesResponse(
        job_status=_COMPLETED,
        job_creation_date=report.created,
        job_completion_date=report.created,
        entity_details_list=tuple(items),
        is_truncated=truncated,
        marker=next_marker,
    )
