"""Managed policy rules: policies, versions, attachments, ListEntitiesForPolicy, tags.

AWS facts modelled here (aws-iam-rules.md §1–§3, API Reference pages of each
operation, UG "Managed policies and inline policies", "Versioning IAM
policies"):

- customer managed policy names are unique in the account ignoring case
  (``EntityAlreadyExists``); an account holds at most 1,500 of them;
- a document is at most 6,144 characters not counting whitespace
  (``LimitExceeded: Cannot exceed quota for PolicySize: 6144``) and must be
  valid policy grammar (``MalformedPolicyDocument``);
- a policy keeps at most 5 versions; version IDs ``v1``, ``v2``, … are never
  reused; the default version cannot be deleted; CreatePolicy makes ``v1``
  the default;
- a policy cannot be deleted while attached, while used as a permissions
  boundary, or while it has non-default versions (``DeleteConflict``);
- a user and a group can each have at most 10 managed policies attached;
- AWS managed policies (:mod:`iamcore.aws_managed_policies`) can be attached
  and used as boundaries but not changed: iamcore answers AccessDenied, as
  for any resource of another account (UNVERIFIED: AWS's exact answer).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import attrs

from iamcore import ids
from iamcore.aws_managed_policies import AWS_MANAGED_POLICIES, aws_managed_policy
from iamcore.entities import (
    AttachedPolicy,
    ManagedPolicy,
    Policy,
    PolicyGroup,
    PolicyUser,
    PolicyVersion,
    Tag,
)
from iamcore.errors import (
    AccessDenied,
    DeleteConflict,
    EntityAlreadyExists,
    InvalidInput,
    LimitExceeded,
    NoSuchEntity,
    ValidationError,
)
from iamcore.paging import page
from iamcore.policy import non_whitespace_length, parse_policy
from iamcore.responses import (
    CreatePolicyResponse,
    CreatePolicyVersionResponse,
    GetPolicyResponse,
    GetPolicyVersionResponse,
    ListAttachedGroupPoliciesResponse,
    ListAttachedUserPoliciesResponse,
    ListEntitiesForPolicyResponse,
    ListPoliciesResponse,
    ListPolicyTagsResponse,
    ListPolicyVersionsResponse,
)
from iamcore.rules import _common
from iamcore.rules import groups as group_rules
from iamcore.rules import tags as tag_rules
from iamcore.rules import users as user_rules
from iamcore.state import AccountState, Context

__all__ = [
    "MAX_ATTACHED_PER_GROUP",
    "MAX_ATTACHED_PER_USER",
    "MAX_POLICIES",
    "MAX_POLICY_SIZE",
    "MAX_VERSIONS",
    "attach_group_policy",
    "attach_user_policy",
    "boundary_usage",
    "check_arn",
    "create_policy",
    "create_policy_version",
    "delete_policy",
    "delete_policy_version",
    "detach_group_policy",
    "detach_user_policy",
    "encode_document",
    "find_policy",
    "get_policy",
    "get_policy_version",
    "list_attached_group_policies",
    "list_attached_user_policies",
    "list_entities_for_policy",
    "list_policies",
    "list_policy_tags",
    "list_policy_versions",
    "policy_view",
    "require_attachable",
    "set_default_policy_version",
    "tag_policy",
    "untag_policy",
]

MAX_POLICIES = 1500  # customer managed policies per account (UG quotas, default)
MAX_POLICY_SIZE = 6144  # non-whitespace characters per managed policy document
MAX_VERSIONS = 5  # versions stored per managed policy
MAX_ATTACHED_PER_USER = 10  # UG quotas: default 10, adjustable to 20
MAX_ATTACHED_PER_GROUP = 10  # UG quotas: 10, not adjustable

_ARN = re.compile(r"arn:([^:]+):([^:]*):([^:]*):[^:]*:([^/:]*).*")

#: The resource types of IAM (Service Authorization Reference, "Resource types defined
#: by AWS Identity and Access Management").
IAM_RESOURCE_TYPES = frozenset(
    {
        "access-report",
        "assumed-role",
        "federated-user",
        "group",
        "instance-profile",
        "mfa",
        "oidc-provider",
        "policy",
        "role",
        "saml-provider",
        "server-certificate",
        "sms-mfa",
        "user",
    }
)


# -- lookups ------------------------------------------------------------------


def check_arn(arn: str) -> None:
    """Check an IAM resource ARN passed to IAM as AWS has since 2024 ("IAM is changing how
    it validates IAM resource ARNs": the partition must be the account's, the service
    ``iam``, the region blank, the resource type an IAM one, with no trailing spaces).

    A partition other than ``aws`` is ValidationError "Invalid ARN partition" (as AWS
    answered AttachRolePolicy from another partition); anything else is InvalidInput
    ``ARN x is not valid.`` (AWS's answer to a boundary ``…:not_a_policy/invalid``,
    LS recording 2026; the same answer for a wrong service or region is iamcore's
    reading).
    """
    match = _ARN.fullmatch(arn)
    if match is not None and match.group(1) != "aws":
        raise ValidationError("Invalid ARN partition")
    if (
        match is None
        or match.group(2) != "iam"
        or match.group(3)
        or match.group(4) not in IAM_RESOURCE_TYPES
        or arn != arn.rstrip()
    ):
        raise InvalidInput(f"ARN {arn} is not valid.")


def find_policy(state: AccountState, arn: str) -> ManagedPolicy | None:
    """Return the customer or AWS managed policy with this ARN (ignoring case), if any."""
    policy_id = state.policy_arns.get(arn.lower())
    if policy_id is not None:
        return state.policies[policy_id]
    return aws_managed_policy(arn)


def _require_policy(state: AccountState, arn: str, missing: str | None = None) -> ManagedPolicy:
    """The managed policy with this ARN, else NoSuchEntity ``missing`` (or AWS's usual text).

    AWS words an unknown policy "Policy arn:… was not found." for GetPolicy,
    DeletePolicy and the tag operations (LS recordings of TagPolicy/UntagPolicy);
    the version operations and ListEntitiesForPolicy pass their own wording.
    """
    check_arn(arn)
    policy = find_policy(state, arn)
    if policy is None:
        raise NoSuchEntity(missing or f"Policy {arn} was not found.")
    return policy


def _version_missing(arn: str, version_id: str) -> str:
    # AWS's text for a version that does not exist, also when the policy does
    # not exist (LS recordings of GetPolicyVersion and SetDefaultPolicyVersion).
    return f"Policy {arn} version {version_id} does not exist or is not attachable."


def require_attachable(state: AccountState, arn: str, what: str = "Policy") -> ManagedPolicy:
    """Return the managed policy to attach (or use as a boundary), else NoSuchEntity.

    AWS names the ARN "Policy" for attachments and "Scope ARN:" for a
    permissions boundary (observed: "NoSuchEntity: Scope ARN: arn:… does not
    exist or is not attachable." from CreateRole/CreateUser boundaries).
    """
    check_arn(arn)
    policy = find_policy(state, arn)
    if policy is None or not policy.is_attachable:
        raise NoSuchEntity(f"{what} {arn} does not exist or is not attachable.")
    return policy


def _require_customer_policy(
    state: AccountState, ctx: Context, arn: str, action: str, missing: str | None = None
) -> ManagedPolicy:
    """The policy to change; AWS managed policies belong to AWS (AccessDenied)."""
    policy = _require_policy(state, arn, missing)
    if policy.aws_managed:
        caller = user_rules.caller_arn(state, ctx)
        raise AccessDenied(
            f"User: {caller} is not authorized to perform: iam:{action} "
            f"on resource: policy {policy.arn}"
        )
    return policy


def check_document(text: str, limit: int | None = MAX_POLICY_SIZE) -> None:
    """Validate an identity policy document: grammar, then the managed-policy size quota.

    With a ``limit`` (managed policies) the document must also declare
    Version 2012-10-17; inline policies (``limit=None``) may omit it.
    """
    parse_policy(text, kind="identity", managed=limit is not None)
    if limit is not None and non_whitespace_length(text) > limit:
        raise LimitExceeded(f"Cannot exceed quota for PolicySize: {limit}")


def encode_document(text: str) -> str:
    """URL-encode a policy document as IAM returns it (RFC 3986).

    Unreserved characters stay as they are, and so does ``*`` (AWS leaves it
    unescaped in the documents it returns); everything else, including
    spaces and line breaks, is percent-encoded from UTF-8.  botocore's
    ``json_decode_policies`` handler turns it back into a dict.
    """
    return quote(text, safe="*")


# -- counts -------------------------------------------------------------------


def boundary_usage(state: AccountState, policy_arn: str) -> int:
    """How many users have ``policy_arn`` as their permissions boundary (O(1))."""
    return state.boundary_counts.get(policy_arn, 0)


def _attachment_count(state: AccountState, arn: str) -> int:
    return len(state.policy_users.get(arn, ())) + len(state.policy_groups.get(arn, ()))


def policy_view(
    state: AccountState, policy: ManagedPolicy, *, listed: bool = False, created: bool = False
) -> Policy:
    """The AWS ``Policy`` of a stored policy, as each operation shows it.

    ListPolicies leaves out Description and Tags; CreatePolicy leaves out
    Description and sends Tags only when there are some; GetPolicy sends both,
    ``Tags`` even when empty (LS recordings of CreatePolicy, GetPolicy and
    ListPolicies).
    """
    if listed:
        tags: tuple[Tag, ...] | None = None
    elif created:
        tags = policy.tags or None
    else:
        tags = policy.tags
    return Policy(
        policy_name=policy.policy_name,
        policy_id=policy.policy_id,
        arn=policy.arn,
        path=policy.path,
        default_version_id=policy.default_version.version_id,
        create_date=policy.create_date,
        update_date=policy.update_date,
        attachment_count=_attachment_count(state, policy.arn),
        permissions_boundary_usage_count=boundary_usage(state, policy.arn),
        is_attachable=policy.is_attachable,
        description=None if listed or created else policy.description,
        tags=tags,
    )


def _index_key(policy: ManagedPolicy) -> str:
    # ListPolicies order: by name ignoring case; an AWS managed and a customer
    # policy may share a name, so the ARN breaks the tie.
    return f"{policy.policy_name.lower()}\x00{policy.arn.lower()}"


_AWS_KEYS = sorted(_index_key(policy) for policy in AWS_MANAGED_POLICIES.values())
_AWS_BY_KEY = {_index_key(policy): policy for policy in AWS_MANAGED_POLICIES.values()}


# -- managed policies ---------------------------------------------------------


def create_policy(
    state: AccountState,
    ctx: Context,
    *,
    policy_name: str,
    policy_document: str,
    path: str = "/",
    description: str | None = None,
    tags: tuple[dict[str, Any], ...] = (),
) -> CreatePolicyResponse:
    """AWS CreatePolicy: unique name ignoring case, valid document ≤ 6,144 characters, v1.

    Policy tag keys are case-sensitive (UG "Tagging IAM resources").
    """
    policy_tags = tag_rules.add_tags((), tag_rules.to_tags(tags, False), False, "TagsPerPolicy")
    check_document(policy_document)
    if policy_name.lower() in state.policy_names:
        raise EntityAlreadyExists(
            f"A policy called {policy_name} already exists. Duplicate names are not allowed."
        )
    if len(state.policies) >= MAX_POLICIES:
        raise LimitExceeded(f"Cannot exceed quota for PoliciesPerAccount: {MAX_POLICIES}")
    version = PolicyVersion("v1", True, ctx.now, policy_document)
    policy = ManagedPolicy(
        policy_name=policy_name,
        policy_id=ids.unique_id(ids.IdPrefix.MANAGED_POLICY, ctx.entropy),
        arn=ids.arn(ctx.account_id, "policy", path, policy_name),
        path=path,
        create_date=ctx.now,
        update_date=ctx.now,
        versions=(version,),
        next_version=2,
        description=description,
        tags=policy_tags,
    )
    state.policies[policy.policy_id] = policy
    state.policy_arns[policy.arn.lower()] = policy.policy_id
    state.policy_names[policy_name.lower()] = policy.policy_id
    state.policy_index.add(_index_key(policy))
    return CreatePolicyResponse(policy_view(state, policy, created=True))


def get_policy(state: AccountState, ctx: Context, *, policy_arn: str) -> GetPolicyResponse:
    """AWS GetPolicy: a managed policy's metadata (the document is in GetPolicyVersion)."""
    return GetPolicyResponse(policy_view(state, _require_policy(state, policy_arn)))


def _usage_filter(
    state: AccountState, only_attached: bool, usage: str | None
) -> Callable[[ManagedPolicy], bool]:
    """ListPolicies' filter, as recorded from AWS in 2026 (radkawar/stackd
    policy_management.json): ``PolicyUsageFilter`` counts only with ``OnlyAttached``,
    and ``OnlyAttached`` alone keeps a policy used either way, as a permissions policy
    or as a boundary."""

    def keep(policy: ManagedPolicy) -> bool:
        if not only_attached:
            return True
        if usage == "PermissionsBoundary":
            return boundary_usage(state, policy.arn) > 0
        if usage == "PermissionsPolicy":
            return _attachment_count(state, policy.arn) > 0
        return _attachment_count(state, policy.arn) > 0 or boundary_usage(state, policy.arn) > 0

    return keep


def list_policies(
    state: AccountState,
    ctx: Context,
    *,
    scope: str = "All",
    only_attached: bool = False,
    path_prefix: str = "/",
    policy_usage_filter: str | None = None,
    marker: str | None = None,
    max_items: int | None = None,
) -> ListPoliciesResponse:
    """AWS ListPolicies: AWS and/or customer managed policies, filtered, by name, paged.

    ``OnlyAttached`` keeps policies in use, attached to a user or group or used as a
    boundary; with it, ``PolicyUsageFilter`` keeps only one of the two uses (see
    :func:`_usage_filter`).
    """
    local = state.policy_index.keys if scope in ("All", "Local") else []
    aws = _AWS_KEYS if scope in ("All", "AWS") else []
    keys = sorted([*local, *aws]) if local and aws else list(local or aws)
    keep = _usage_filter(state, only_attached, policy_usage_filter)

    def lookup(key: str) -> Policy | None:
        policy = _AWS_BY_KEY.get(key)
        if policy is None:
            policy = state.policies[state.policy_names[key.split("\x00", 1)[0]]]
        if not policy.path.startswith(path_prefix) or not keep(policy):
            return None
        return policy_view(state, policy, listed=True)

    items, truncated, next_marker = page(keys, lookup, marker, max_items)
    return ListPoliciesResponse(tuple(items), truncated, next_marker)


def delete_policy(state: AccountState, ctx: Context, *, policy_arn: str) -> None:
    """AWS DeletePolicy: refused while attached, used as a boundary, or with extra versions."""
    policy = _require_customer_policy(state, ctx, policy_arn, "DeletePolicy")
    if _attachment_count(state, policy.arn) or boundary_usage(state, policy.arn):
        raise DeleteConflict("Cannot delete a policy attached to entities.")
    if len(policy.versions) > 1:
        raise DeleteConflict(
            "This policy has more than one version. Before you delete a policy, you must "
            "delete the policy's versions. The default version is deleted with the policy."
        )
    del state.policies[policy.policy_id]
    del state.policy_arns[policy.arn.lower()]
    del state.policy_names[policy.policy_name.lower()]
    state.policy_index.remove(_index_key(policy))


# -- versions -----------------------------------------------------------------


def _require_version(policy: ManagedPolicy, version_id: str) -> PolicyVersion:
    for version in policy.versions:
        if version.version_id == version_id:
            return version
    raise NoSuchEntity(_version_missing(policy.arn, version_id))


def create_policy_version(
    state: AccountState,
    ctx: Context,
    *,
    policy_arn: str,
    policy_document: str,
    set_as_default: bool = False,
) -> CreatePolicyVersionResponse:
    """AWS CreatePolicyVersion: at most 5 versions; IDs count up and are never reused."""
    policy = _require_customer_policy(state, ctx, policy_arn, "CreatePolicyVersion")
    check_document(policy_document)
    if len(policy.versions) >= MAX_VERSIONS:
        raise LimitExceeded(
            f"A managed policy can have up to {MAX_VERSIONS} versions. Before you create a "
            "new version, you must delete an existing version."
        )
    version = PolicyVersion(f"v{policy.next_version}", set_as_default, ctx.now, policy_document)
    kept = tuple(
        attrs.evolve(old, is_default_version=False) if set_as_default else old
        for old in policy.versions
    )
    state.policies[policy.policy_id] = attrs.evolve(
        policy,
        versions=(*kept, version),
        next_version=policy.next_version + 1,
        update_date=ctx.now,
    )
    return CreatePolicyVersionResponse(attrs.evolve(version, document=None))


def get_policy_version(
    state: AccountState, ctx: Context, *, policy_arn: str, version_id: str
) -> GetPolicyVersionResponse:
    """AWS GetPolicyVersion: one version with its document, URL-encoded as AWS returns it."""
    policy = _require_policy(state, policy_arn, _version_missing(policy_arn, version_id))
    version = _require_version(policy, version_id)
    assert version.document is not None
    return GetPolicyVersionResponse(
        attrs.evolve(version, document=encode_document(version.document))
    )


def _version_key(version: PolicyVersion) -> str:
    # newest first: invert the version number so that ascending keys list v5, v4, …
    return f"{10**9 - int(version.version_id[1:].split('.')[0]):010d}"


def list_policy_versions(
    state: AccountState,
    ctx: Context,
    *,
    policy_arn: str,
    marker: str | None = None,
    max_items: int | None = None,
) -> ListPolicyVersionsResponse:
    """AWS ListPolicyVersions: every stored version, newest first, without documents."""
    policy = _require_policy(state, policy_arn)
    by_key = {
        _version_key(version): attrs.evolve(version, document=None) for version in policy.versions
    }
    items, truncated, next_marker = page(sorted(by_key), by_key.get, marker, max_items)
    return ListPolicyVersionsResponse(tuple(items), truncated, next_marker)


def set_default_policy_version(
    state: AccountState, ctx: Context, *, policy_arn: str, version_id: str
) -> None:
    """AWS SetDefaultPolicyVersion: make an existing version the operative one."""
    policy = _require_customer_policy(
        state,
        ctx,
        policy_arn,
        "SetDefaultPolicyVersion",
        _version_missing(policy_arn, version_id),
    )
    _require_version(policy, version_id)
    versions = tuple(
        attrs.evolve(version, is_default_version=version.version_id == version_id)
        for version in policy.versions
    )
    state.policies[policy.policy_id] = attrs.evolve(policy, versions=versions)


def delete_policy_version(
    state: AccountState, ctx: Context, *, policy_arn: str, version_id: str
) -> None:
    """AWS DeletePolicyVersion: any version but the default one."""
    policy = _require_customer_policy(
        state, ctx, policy_arn, "DeletePolicyVersion", _version_missing(policy_arn, version_id)
    )
    version = _require_version(policy, version_id)
    if version.is_default_version:
        raise DeleteConflict("Cannot delete the default version of a policy.")
    versions = tuple(v for v in policy.versions if v.version_id != version_id)
    state.policies[policy.policy_id] = attrs.evolve(policy, versions=versions)


# -- attachments --------------------------------------------------------------


def _attach(
    owner: dict[str, dict[str, None]],
    reverse: dict[str, dict[str, None]],
    entity_id: str,
    arn: str,
    limit: int,
    quota: str,
) -> None:
    attached = owner.get(entity_id, {})
    if arn in attached:  # attaching again is a silent success (UNVERIFIED)
        return
    if len(attached) >= limit:
        raise LimitExceeded(f"Cannot exceed quota for {quota}: {limit}")
    owner.setdefault(entity_id, {})[arn] = None
    reverse.setdefault(arn, {})[entity_id] = None


def _detach(
    owner: dict[str, dict[str, None]],
    reverse: dict[str, dict[str, None]],
    entity_id: str,
    arn: str,
) -> None:
    check_arn(arn)
    policy_arn = next((a for a in owner.get(entity_id, {}) if a.lower() == arn.lower()), None)
    if policy_arn is None:
        raise NoSuchEntity(f"Policy {arn} was not found.")
    _common.discard(owner, entity_id, policy_arn)
    _common.discard(reverse, policy_arn, entity_id)


def attach_user_policy(
    state: AccountState, ctx: Context, *, user_name: str, policy_arn: str
) -> None:
    """AWS AttachUserPolicy: at most 10 managed policies per user."""
    check_arn(policy_arn)
    user = user_rules.require_user(state, user_name)
    policy = require_attachable(state, policy_arn)
    _attach(
        state.user_attached_policies,
        state.policy_users,
        user.user_id,
        policy.arn,
        MAX_ATTACHED_PER_USER,
        "PoliciesPerUser",
    )


def detach_user_policy(
    state: AccountState, ctx: Context, *, user_name: str, policy_arn: str
) -> None:
    """AWS DetachUserPolicy: NoSuchEntity when the policy is not attached to the user."""
    check_arn(policy_arn)
    user = user_rules.require_user(state, user_name)
    _detach(state.user_attached_policies, state.policy_users, user.user_id, policy_arn)


def attach_group_policy(
    state: AccountState, ctx: Context, *, group_name: str, policy_arn: str
) -> None:
    """AWS AttachGroupPolicy: at most 10 managed policies per group."""
    check_arn(policy_arn)
    group = group_rules.require_group(state, group_name)
    policy = require_attachable(state, policy_arn)
    _attach(
        state.group_attached_policies,
        state.policy_groups,
        group.group_id,
        policy.arn,
        MAX_ATTACHED_PER_GROUP,
        "PoliciesPerGroup",
    )


def detach_group_policy(
    state: AccountState, ctx: Context, *, group_name: str, policy_arn: str
) -> None:
    """AWS DetachGroupPolicy: NoSuchEntity when the policy is not attached to the group."""
    check_arn(policy_arn)
    group = group_rules.require_group(state, group_name)
    _detach(state.group_attached_policies, state.policy_groups, group.group_id, policy_arn)


def _attached_page(
    state: AccountState,
    arns: dict[str, None],
    path_prefix: str,
    marker: str | None,
    max_items: int | None,
) -> tuple[list[AttachedPolicy], bool, str | None]:
    by_key: dict[str, AttachedPolicy] = {}
    for arn in arns:
        policy = find_policy(state, arn)
        if policy is not None and policy.path.startswith(path_prefix):
            by_key[_index_key(policy)] = AttachedPolicy(policy.policy_name, policy.arn)
    return page(sorted(by_key), by_key.get, marker, max_items)


def list_attached_user_policies(
    state: AccountState,
    ctx: Context,
    *,
    user_name: str,
    path_prefix: str = "/",
    marker: str | None = None,
    max_items: int | None = None,
) -> ListAttachedUserPoliciesResponse:
    """AWS ListAttachedUserPolicies: the user's managed policies by name, paged."""
    user = user_rules.require_user(state, user_name)
    arns = state.user_attached_policies.get(user.user_id, {})
    items, truncated, next_marker = _attached_page(state, arns, path_prefix, marker, max_items)
    return ListAttachedUserPoliciesResponse(tuple(items), truncated, next_marker)


def list_attached_group_policies(
    state: AccountState,
    ctx: Context,
    *,
    group_name: str,
    path_prefix: str = "/",
    marker: str | None = None,
    max_items: int | None = None,
) -> ListAttachedGroupPoliciesResponse:
    """AWS ListAttachedGroupPolicies: the group's managed policies by name, paged."""
    group = group_rules.require_group(state, group_name)
    arns = state.group_attached_policies.get(group.group_id, {})
    items, truncated, next_marker = _attached_page(state, arns, path_prefix, marker, max_items)
    return ListAttachedGroupPoliciesResponse(tuple(items), truncated, next_marker)


def list_entities_for_policy(
    state: AccountState,
    ctx: Context,
    *,
    policy_arn: str,
    entity_filter: str | None = None,
    path_prefix: str = "/",
    policy_usage_filter: str | None = None,
    marker: str | None = None,
    max_items: int | None = None,
) -> ListEntitiesForPolicyResponse:
    """AWS ListEntitiesForPolicy: the users and groups that use a managed policy.

    ``PolicyUsageFilter`` picks attachments (``PermissionsPolicy``) or
    boundaries (``PermissionsBoundary``); both when omitted.  Groups are
    listed first, then users, each by name; one marker pages through both.
    """
    policy = _require_policy(
        state, policy_arn, f"Policy {policy_arn} does not exist or is not attachable."
    )
    as_policy = policy_usage_filter in (None, "PermissionsPolicy")
    as_boundary = policy_usage_filter in (None, "PermissionsBoundary")
    entries: dict[str, PolicyGroup | PolicyUser] = {}
    if entity_filter in (None, "Group") and as_policy:
        for group_id in state.policy_groups.get(policy.arn, {}):
            group = state.groups[group_id]
            if group.path.startswith(path_prefix):
                entries[f"g\x00{group.group_name.lower()}"] = PolicyGroup(
                    group.group_name, group.group_id
                )
    if entity_filter in (None, "User"):
        user_ids: dict[str, None] = {}
        if as_policy:
            user_ids.update(state.policy_users.get(policy.arn, {}))
        if as_boundary and boundary_usage(state, policy.arn):
            user_ids.update(
                (user.user_id, None)
                for user in state.users.values()
                if user.permissions_boundary is not None
                and user.permissions_boundary.permissions_boundary_arn == policy.arn
            )
        for user_id in user_ids:
            user = state.users[user_id]
            if user.path.startswith(path_prefix):
                entries[f"u\x00{user.user_name.lower()}"] = PolicyUser(
                    user.user_name, user.user_id
                )
    items, truncated, next_marker = page(sorted(entries), entries.get, marker, max_items)
    return ListEntitiesForPolicyResponse(
        policy_groups=tuple(item for item in items if isinstance(item, PolicyGroup)),
        policy_users=tuple(item for item in items if isinstance(item, PolicyUser)),
        policy_roles=(),
        is_truncated=truncated,
        marker=next_marker,
    )


# -- tags ---------------------------------------------------------------------


def tag_policy(
    state: AccountState, ctx: Context, *, policy_arn: str, tags: tuple[dict[str, Any], ...]
) -> None:
    """AWS TagPolicy: add or replace tags; policy tag keys are case-sensitive."""
    new = tag_rules.tags_to_add(tags, False)
    policy = _require_customer_policy(state, ctx, policy_arn, "TagPolicy")
    merged = tag_rules.add_tags(policy.tags, new, False, "TagsPerPolicy")
    state.policies[policy.policy_id] = attrs.evolve(policy, tags=merged)


def untag_policy(
    state: AccountState, ctx: Context, *, policy_arn: str, tag_keys: tuple[str, ...]
) -> None:
    """AWS UntagPolicy: remove the named tags (case-sensitive); absent keys are ignored."""
    policy = _require_customer_policy(state, ctx, policy_arn, "UntagPolicy")
    remaining = tag_rules.remove_tags(policy.tags, tag_keys, False)
    state.policies[policy.policy_id] = attrs.evolve(policy, tags=remaining)


def list_policy_tags(
    state: AccountState,
    ctx: Context,
    *,
    policy_arn: str,
    marker: str | None = None,
    max_items: int | None = None,
) -> ListPolicyTagsResponse:
    """AWS ListPolicyTags: the policy's tags sorted by key, paged."""
    policy = _require_policy(state, policy_arn)
    items, truncated, next_marker = tag_rules.page_tags(policy.tags, marker, max_items)
    return ListPolicyTagsResponse(tuple(items), truncated, next_marker)


# DeleteUser / DeleteGroup refuse while managed policies are attached
# (UG "Managing IAM users" → Deleting an IAM user (AWS CLI)).
user_rules.register_delete_check(
    80, "detach all policies", lambda state, uid: bool(state.user_attached_policies.get(uid))
)
group_rules.register_delete_check(
    30, "detach all policies", lambda state, gid: bool(state.group_attached_policies.get(gid))
)
