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

Recorded from AWS in 2026 (github.com/radkawar/stackd, last_access*.json):
an unconditional Deny in any of the entity's policies takes away what it
covers (a whole service, or an Allow's own actions and resources); the users a
report lists are followed by ID (a renamed user shows its new name, a deleted
one is gone); an unknown job, or another principal's, is ``NoSuchEntity: Job
<id> does not exist.``; a marker of another job or of the other list is
``InvalidInput: The marker passed in the request was invalid.``; a namespace
that is no service prefix is ``InvalidInput: Service namepace <x> is either
invalid or unsupported.`` (AWS's spelling); a page holds 200 services unless
MaxItems says otherwise; ``ServiceName`` is AWS's report name.

iamcore's choices where AWS is silent (docs/policies.md): a report is
complete at once (AWS answers IN_PROGRESS for 1-8 s first), so
``JobCompletionDate`` is its creation time; attempts show in reports at once
(AWS publishes them later); "allows" reads Allow statements as
ListPoliciesGrantingServiceAccess does, without AWS's catalogue of each
action's resource types (an action AWS does not know still counts); a group's
report counts every attempt of its members, whichever policy allowed it;
``TrackedActionsLastAccessed`` lists only actions that were attempted (AWS
also lists allowed tracked actions never used); WithEntities for a service the
report does not list has no entities; the ARN is checked as by
ListPoliciesGrantingServiceAccess (AWS's recorded messages there).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TypeVar

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
from iamcore.errors import InvalidInput, NoSuchEntity, ValidationError
from iamcore.paging import DEFAULT_MAX_ITEMS, bind_marker, page_in_order, unbind_marker
from iamcore.policy.document import PolicyDocument, Statement
from iamcore.policy.matching import wildcard_matches
from iamcore.responses import (
    EntityDetails,
    EntityInfo,
    GenerateServiceLastAccessedDetailsResponse,
    GetServiceLastAccessedDetailsResponse,
    GetServiceLastAccessedDetailsWithEntitiesResponse,
    ServiceLastAccessed,
    TrackedActionLastAccessed,
)
from iamcore.rules.service_access import (
    candidates,
    identity_from_arn,
    names_service,
    reaches_service,
    resource_of_service,
)
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
#: Reference's page titles: all 456 of a 2026 report recorded from AWS were compared
#: (stackd last_access_service_names_20260927.json); these 12 differ.
_REPORT_NAMES = {
    "apigateway": "Manage - Amazon API Gateway",
    "aws-marketplace": "AWS Marketplace",
    "cloudformation": "AWS CloudFormation",
    "consoleapp": "AWS Console Mobile App",
    "elasticloadbalancing": "Elastic Load Balancing",
    "greengrass": "AWS IoT Greengrass",
    "iam": "AWS Identity and Access Management",
    "importexport": "AWS Import Export",
    "kinesisanalytics": "Amazon Kinesis Analytics",
    "lex": "Amazon Lex",
    "ses": "Amazon SES",
    "sms-voice": "Amazon Pinpoint SMS and Voice Service",
}
_COMPLETED = "COMPLETED"
#: GetServiceLastAccessedDetails' page without MaxItems (recorded: 200 services, although
#: the API reference says 100)
SERVICES_PAGE = 200
_BAD_MARKER = "The marker passed in the request was invalid."
T = TypeVar("T")


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
    service = service.lower()  # service prefixes are lower case ("S3" is s3)
    state.service_access.setdefault(user_id, {})[service] = attempt
    if action is not None and f"{service}:{action}".lower() not in UNTRACKED_ACTIONS:
        state.action_access.setdefault(user_id, {})[f"{service}:{action}"] = attempt


# -- GenerateServiceLastAccessedDetails --------------------------------------------------


def generate_service_last_accessed_details(
    state: AccountState, ctx: Context, *, arn: str, granularity: str = "SERVICE_LEVEL"
) -> GenerateServiceLastAccessedDetailsResponse:
    """AWS GenerateServiceLastAccessedDetails: take the report (see the module docstring)."""
    entity = identity_from_arn(state, ctx, arn, policies=True)
    namespaces = allowed_namespaces(_documents(state, entity))
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


def allowed_namespaces(documents: list[PolicyDocument]) -> tuple[str, ...]:
    """The services these policies allow, sorted: those an Allow statement names on a
    resource that can be theirs (as ListPoliciesGrantingServiceAccess reads it), unless
    unconditional Deny statements of any of the policies cover all it allows."""
    statements = [statement for document in documents for statement in document.statements]
    allows = [(_actions_by_service(s), s) for s in statements if s.effect == "Allow"]
    denies = [s for s in statements if s.effect == "Deny" and not s.conditions]
    return tuple(
        namespace
        for namespace in _candidates(allows)
        if any(
            _allows_beyond_denies(allow, by_service, namespace, denies)
            for by_service, allow in allows
        )
    )


def _actions_by_service(statement: Statement) -> dict[str, list[str]]:
    """An Allow statement's action patterns by lower-case service part (``*`` holds
    ``*`` and ``*:…``); empty for a NotAction statement."""
    by_service: dict[str, list[str]] = {}
    for action in statement.actions or ():
        vendor = "*" if action == "*" else action.partition(":")[0].lower()
        by_service.setdefault(vendor, []).append(action)
    return by_service


def _candidates(allows: list[tuple[dict[str, list[str]], Statement]]) -> list[str]:
    """The catalogue's namespaces these Allow statements may name: all of them for ``*``
    or a NotAction, else the services their actions name."""
    named: set[str] = set()
    for by_service, statement in allows:
        if statement.actions is None or "*" in by_service:
            return sorted(service_catalog.SERVICE_NAMES)
        named.update(by_service)
    return sorted(named & service_catalog.SERVICE_NAMES.keys())


def _allows_beyond_denies(
    allow: Statement, by_service: dict[str, list[str]], namespace: str, denies: list[Statement]
) -> bool:
    """Whether ``allow`` allows some action of ``namespace`` on some resource that no
    Deny in ``denies`` covers (each pattern read as the set of strings it matches)."""
    if allow.actions is None:
        if not names_service(allow, namespace):
            return False
        actions = [f"{namespace}:*"]
    else:
        named = by_service.get(namespace, []) + by_service.get("*", [])
        actions = [f"{namespace}:{a.partition(':')[2] or '*'}" for a in named]
    if not actions or not reaches_service(allow, namespace):
        return False
    if allow.resources is None:
        resources = ["*"]
    else:
        resources = [r for r in allow.resources if resource_of_service(r, namespace)]
    return any(
        not any(_deny_covers(deny, action, resource) for deny in denies)
        for action in actions
        for resource in resources
    )


def _deny_covers(deny: Statement, action: str, resource: str) -> bool:
    """Whether ``deny`` denies every action ``action`` matches on every resource
    ``resource`` matches (a pattern covers another when it matches it as text)."""
    if deny.actions is not None:
        action_covered = any(wildcard_matches(p, action, ignore_case=True) for p in deny.actions)
    else:
        excluded = deny.not_actions or ()
        action_covered = not any(wildcard_matches(p, action, ignore_case=True) for p in excluded)
    if deny.resources is not None:
        resource_covered = any(wildcard_matches(p, resource) for p in deny.resources)
    else:
        resource_covered = not any(wildcard_matches(p, resource) for p in deny.not_resources or ())
    return action_covered and resource_covered


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
    return [state.users[u] for u in user_ids]  # ordered when read (_current)


def _reported(state: AccountState, user: User) -> ReportedEntity:
    return ReportedEntity(
        entity_id=user.user_id,
        services=tuple(sorted(state.service_access.get(user.user_id, {}).items())),
        actions=tuple(sorted(state.action_access.get(user.user_id, {}).items())),
    )


# -- reading a report ---------------------------------------------------------------------


def _report(state: AccountState, ctx: Context, job_id: str) -> AccessReport:
    report = state.access_reports.get(job_id)
    if report is None or report.owner != ctx.caller:  # only its owner may read it
        raise NoSuchEntity(f"Job {job_id} does not exist.")
    return report


#: a reported user as they are now, with the attempts the report holds for them
_Current = tuple[User, dict[str, ServiceAccess], tuple[tuple[str, ServiceAccess], ...]]


def _current(state: AccountState, report: AccessReport) -> list[_Current]:
    """The report's users followed by ID, as AWS follows them: a renamed user under the
    new name, a deleted one left out; in ARN order."""
    found = [
        (state.users[entity.entity_id], dict(entity.services), entity.actions)
        for entity in report.entities
        if entity.entity_id in state.users
    ]
    return sorted(found, key=lambda item: item[0].arn)


def _page(
    report: AccessReport, listing: str, items: list[T], marker: str | None, size: int
) -> tuple[list[T], bool, str | None]:
    """A page of one of the report's lists; a marker must be this job's and this list's
    (any other is AWS's InvalidInput)."""
    scope = f"{report.job_id}/{listing}"
    position = None
    if marker is not None:
        bound = unbind_marker(marker)
        if bound is None or bound[0] != scope:
            raise InvalidInput(_BAD_MARKER)
        position = bound[1]
    try:
        items, truncated, next_marker = page_in_order(items, position, size)
    except ValidationError as error:
        raise InvalidInput(_BAD_MARKER) from error
    return items, truncated, bind_marker(scope, next_marker) if next_marker else None


def _latest(attempts: list[tuple[ServiceAccess, str]]) -> tuple[ServiceAccess, str]:
    """The latest attempt and its user's ARN; of equal times, the first (attempts come in
    ARN order, and ``max`` keeps the first of equals)."""
    return max(attempts, key=lambda pair: pair[0].last_authenticated)


def _service(report: AccessReport, users: list[_Current], namespace: str) -> ServiceLastAccessed:
    """One service's line of the report."""
    attempts = [(used[namespace], user.arn) for user, used, _ in users if namespace in used]
    name = service_name(namespace)
    if not attempts:
        return ServiceLastAccessed(name, namespace)
    latest, arn = _latest(attempts)
    tracked = _tracked_actions(users, namespace) if report.job_type == "ACTION_LEVEL" else ()
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
    users: list[_Current], namespace: str
) -> tuple[TrackedActionLastAccessed, ...]:
    by_action: dict[str, list[tuple[ServiceAccess, str]]] = {}
    prefix = f"{namespace}:"
    for user, _, actions in users:
        for action, attempt in actions:
            if action.startswith(prefix):
                by_action.setdefault(action[len(prefix) :], []).append((attempt, user.arn))
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
    size = SERVICES_PAGE if max_items is None else max_items
    namespaces, truncated, next_marker = _page(
        report, "services", list(report.namespaces), marker, size
    )
    users = _current(state, report)
    return GetServiceLastAccessedDetailsResponse(
        job_status=_COMPLETED,
        job_type=report.job_type,
        job_creation_date=report.created,
        services_last_accessed=tuple(_service(report, users, n) for n in namespaces),
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
    if service_namespace not in service_catalog.SERVICE_NAMES:
        raise InvalidInput(
            f"Service namepace {service_namespace} is either invalid or unsupported."
        )
    details: list[EntityDetails] = []
    if service_namespace in report.namespaces:
        for user, used, _ in _current(state, report):
            attempt = used.get(service_namespace)
            info = EntityInfo(user.arn, user.user_name, "USER", user.user_id, user.path)
            details.append(
                EntityDetails(info, attempt.last_authenticated if attempt is not None else None)
            )
    details.sort(key=_recent_first)
    size = DEFAULT_MAX_ITEMS if max_items is None else max_items
    items, truncated, next_marker = _page(
        report, f"entities:{service_namespace}", details, marker, size
    )
    return GetServiceLastAccessedDetailsWithEntitiesResponse(
        job_status=_COMPLETED,
        job_creation_date=report.created,
        job_completion_date=report.created,
        entity_details_list=tuple(items),
        is_truncated=truncated,
        marker=next_marker,
    )
