"""Account-level rules: GetAccountSummary, account aliases, GetAccountAuthorizationDetails.

AWS facts modelled here (API Reference pages of each operation, the model's
``summaryKeyType`` and ``accountAliasType``, AWS Sign-In UG "Creating,
deleting, and listing an AWS account alias", and responses recorded from
AWS by radkawar/stackd ``testdata/aws/iam/account_reporting.json``):

- GetAccountSummary answers all 34 ``summaryKeyType`` keys: usage counts
  and the account's quotas.  ``PolicyVersionsInUse`` counts the managed
  policies (customer or AWS managed) attached to an entity or used as a
  permissions boundary, each once; ``Policies`` counts customer managed
  policies only; ``MFADevices`` counts virtual devices assigned or not and
  ``MFADevicesInUse`` the assigned ones; ``AccountMFAEnabled``,
  ``AccountAccessKeysPresent``, ``AccountSigningCertificatesPresent`` and
  ``AccountPasswordPresent`` describe the root user only (a user's signing
  certificate leaves ``AccountSigningCertificatesPresent`` at 0: recorded);
- an account has at most one alias: CreateAccountAlias with another alias
  replaces it (Sign-In UG: "the new alias overwrites the previous alias");
  DeleteAccountAlias of an alias the account does not have is NoSuchEntity;
- GetAccountAuthorizationDetails pages across users, groups, roles and
  managed policies together; ``AWSManagedPolicy`` returns the AWS managed
  policies in use (attached, or a permissions boundary: recorded); a
  Marker it did not issue is ``ValidationError: Marker and Filter do not
  match`` (recorded).  Documents are URL-encoded as GetUserPolicy and
  GetPolicyVersion return them; policies carry every version, newest
  first, and no Description (recorded).

iamcore's choices where AWS is silent (docs/account.md):

- an alias is unique across all of AWS, which one in-memory account cannot
  check: CreateAccountAlias never answers EntityAlreadyExists; creating the
  alias the account already has succeeds and changes nothing;
- DeleteAccountAlias's NoSuchEntity text is "The account alias X cannot be
  found.";
- the combined listing is in a fixed order: users, groups, (roles), customer
  managed policies, AWS managed policies, each by name ignoring case; a
  Marker from a call with another Filter goes on from the same place;
- roles, instance profiles, server certificates and identity providers are
  not modelled: their counts are 0 and ``RoleDetailList`` is empty; the root
  user's MFA device is not counted in ``MFADevices``/``MFADevicesInUse``, and
  the root user always has a password (``AccountPasswordPresent`` 1).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Final

from iamcore.aws_managed_policies import aws_managed_policy
from iamcore.entities import (
    AttachedPolicy,
    GroupDetail,
    InlinePolicy,
    ManagedPolicy,
    ManagedPolicyDetail,
    PolicyDetail,
    PolicyVersion,
    UserDetail,
)
from iamcore.errors import NoSuchEntity, ValidationError
from iamcore.paging import INVALID_MARKER, bind_marker, page, unbind_marker
from iamcore.responses import (
    GetAccountAuthorizationDetailsResponse,
    GetAccountSummaryResponse,
    ListAccountAliasesResponse,
)
from iamcore.rules import access_keys, groups, inline_policies, policies, users
from iamcore.state import AccountState, Context

__all__ = [
    "ENTITY_TYPES",
    "QUOTAS",
    "create_account_alias",
    "delete_account_alias",
    "get_account_authorization_details",
    "get_account_summary",
    "list_account_aliases",
]

#: The quotas GetAccountSummary reports: iamcore's limits, and AWS's defaults for
#: what iamcore does not model (values of a recorded AWS response, 2026).
QUOTAS: Final[dict[str, int]] = {
    "UsersQuota": users.MAX_USERS,
    "GroupsQuota": groups.MAX_GROUPS,
    "GroupsPerUserQuota": groups.MAX_GROUPS_PER_USER,
    "PoliciesQuota": policies.MAX_POLICIES,
    "PolicySizeQuota": policies.MAX_POLICY_SIZE,
    "VersionsPerPolicyQuota": policies.MAX_VERSIONS,
    "PolicyVersionsInUseQuota": 10000,
    "AttachedPoliciesPerUserQuota": policies.MAX_ATTACHED_PER_USER,
    "AttachedPoliciesPerGroupQuota": policies.MAX_ATTACHED_PER_GROUP,
    "AttachedPoliciesPerRoleQuota": 10,
    "AccessKeysPerUserQuota": access_keys.MAX_KEYS_PER_USER,
    "SigningCertificatesPerUserQuota": 2,
    "UserPolicySizeQuota": inline_policies.MAX_USER_INLINE_SIZE,
    "GroupPolicySizeQuota": inline_policies.MAX_GROUP_INLINE_SIZE,
    "RolePolicySizeQuota": 10240,
    "AssumeRolePolicySizeQuota": 2048,
    "RolesQuota": 1000,
    "InstanceProfilesQuota": 1000,
    "ServerCertificatesQuota": 20,
    "GlobalEndpointTokenVersion": 1,
}

#: GetAccountAuthorizationDetails ``Filter`` values, in the order of the combined listing.
ENTITY_TYPES: Final = ("User", "Group", "Role", "LocalManagedPolicy", "AWSManagedPolicy")
#: AWS's answer to a Marker it did not issue (recorded)
MARKER_MISMATCH: Final = "Marker and Filter do not match"


# -- GetAccountSummary ------------------------------------------------------------


def _policies_in_use(state: AccountState) -> int:
    """Managed policies attached to a user or group or used as a boundary, each once."""
    in_use = {arn.lower() for arn, ids in state.policy_users.items() if ids}
    in_use.update(arn.lower() for arn, ids in state.policy_groups.items() if ids)
    in_use.update(arn.lower() for arn, count in state.boundary_counts.items() if count)
    return len(in_use)


def get_account_summary(state: AccountState, ctx: Context) -> GetAccountSummaryResponse:
    """AWS GetAccountSummary: the account's usage counts and quotas (all 34 keys)."""
    root = state.root_credentials
    in_use = sum(1 for device in state.virtual_mfa_devices.values() if device.user_id)
    summary = dict(QUOTAS)
    summary.update(
        {
            "Users": len(state.users),
            "Groups": len(state.groups),
            "Policies": len(state.policies),
            "PolicyVersionsInUse": _policies_in_use(state),
            "MFADevices": len(state.virtual_mfa_devices),
            "MFADevicesInUse": in_use,
            "AccountMFAEnabled": int(root.mfa_active),
            "AccountAccessKeysPresent": int(bool(root.access_keys)),
            "AccountSigningCertificatesPresent": 0,
            "AccountPasswordPresent": 1,
            "Roles": 0,
            "InstanceProfiles": 0,
            "ServerCertificates": 0,
            "Providers": 0,
        }
    )
    return GetAccountSummaryResponse(dict(sorted(summary.items())))


# -- account aliases --------------------------------------------------------------


def create_account_alias(state: AccountState, ctx: Context, *, account_alias: str) -> None:
    """AWS CreateAccountAlias: the account's one alias; a new alias replaces the old one."""
    state.account_aliases.clear()
    state.account_aliases[account_alias] = None


def delete_account_alias(state: AccountState, ctx: Context, *, account_alias: str) -> None:
    """AWS DeleteAccountAlias: NoSuchEntity unless it is the account's alias."""
    if account_alias not in state.account_aliases:
        raise NoSuchEntity(f"The account alias {account_alias} cannot be found.")
    del state.account_aliases[account_alias]


def list_account_aliases(
    state: AccountState,
    ctx: Context,
    *,
    marker: str | None = None,
    max_items: int | None = None,
) -> ListAccountAliasesResponse:
    """AWS ListAccountAliases: the account's alias (none or one), paged."""
    keys = sorted(state.account_aliases)
    items, truncated, next_marker = page(keys, lambda key: key, marker, max_items)
    return ListAccountAliasesResponse(tuple(items), truncated, next_marker)


# -- GetAccountAuthorizationDetails -----------------------------------------------


def _attached(state: AccountState, arns: Sequence[str]) -> tuple[AttachedPolicy, ...]:
    found = (policies.find_policy(state, arn) for arn in arns)
    return tuple(
        AttachedPolicy(policy.policy_name, policy.arn)
        for policy in sorted(
            (policy for policy in found if policy is not None),
            key=lambda policy: (policy.policy_name.lower(), policy.arn.lower()),
        )
    )


def _inline(owned: Mapping[str, InlinePolicy]) -> tuple[PolicyDetail, ...]:
    """Inline policies by name ignoring case, documents URL-encoded."""
    return tuple(
        PolicyDetail(policy.policy_name, policies.encode_document(policy.policy_document))
        for _, policy in sorted(owned.items())
    )


def _user_detail(state: AccountState, user_id: str) -> UserDetail:
    user = state.users[user_id]
    inline = _inline(state.user_inline_policies.get(user_id, {}))
    group_names = sorted(
        (state.groups[gid].group_name for gid in state.user_groups.get(user_id, {})),
        key=str.lower,
    )
    return UserDetail(
        path=user.path,
        user_name=user.user_name,
        user_id=user.user_id,
        arn=user.arn,
        create_date=user.create_date,
        user_policy_list=inline or None,
        group_list=tuple(group_names),
        attached_managed_policies=_attached(
            state, tuple(state.user_attached_policies.get(user_id, {}))
        ),
        permissions_boundary=user.permissions_boundary,
        tags=user.tags,
    )


def _group_detail(state: AccountState, group_id: str) -> GroupDetail:
    group = state.groups[group_id]
    return GroupDetail(
        path=group.path,
        group_name=group.group_name,
        group_id=group.group_id,
        arn=group.arn,
        create_date=group.create_date,
        group_policy_list=_inline(state.group_inline_policies.get(group_id, {})),
        attached_managed_policies=_attached(
            state, tuple(state.group_attached_policies.get(group_id, {}))
        ),
    )


def _policy_detail(state: AccountState, policy: ManagedPolicy) -> ManagedPolicyDetail:
    view = policies.policy_view(state, policy, listed=True)
    versions = sorted(policy.versions, key=lambda version: -int(version.version_id[1:]))
    return ManagedPolicyDetail(
        policy_name=view.policy_name,
        policy_id=view.policy_id,
        arn=view.arn,
        path=view.path,
        default_version_id=view.default_version_id,
        attachment_count=view.attachment_count,
        permissions_boundary_usage_count=view.permissions_boundary_usage_count,
        is_attachable=view.is_attachable,
        create_date=view.create_date,
        update_date=view.update_date,
        policy_version_list=tuple(
            PolicyVersion(
                version_id=version.version_id,
                is_default_version=version.is_default_version,
                create_date=version.create_date,
                document=policies.encode_document(version.document or ""),
            )
            for version in versions
        ),
    )


def _aws_policies_in_use(state: AccountState) -> dict[str, ManagedPolicy]:
    """The AWS managed policies attached to a user or group or used as a boundary."""
    arns = [arn for arn, ids in state.policy_users.items() if ids]
    arns += [arn for arn, ids in state.policy_groups.items() if ids]
    arns += [arn for arn, count in state.boundary_counts.items() if count]
    found: dict[str, ManagedPolicy] = {}
    for arn in arns:
        policy = aws_managed_policy(arn)
        if policy is not None:
            found[policy.arn] = policy
    return found


def _section_keys(
    state: AccountState, wanted: frozenset[str]
) -> tuple[list[str], Callable[[str], object]]:
    """The combined listing's keys (a section digit, then the name key) and their lookup."""
    keys: list[str] = []
    lookups: dict[str, Callable[[str], object]] = {}
    if "User" in wanted:
        keys += ["0" + key for key in state.user_index.keys]
        lookups["0"] = lambda key: _user_detail(state, state.user_ids[key])
    if "Group" in wanted:
        keys += ["1" + key for key in state.group_index.keys]
        lookups["1"] = lambda key: _group_detail(state, state.group_ids[key])
    if "LocalManagedPolicy" in wanted:
        local = {
            f"{policy.policy_name.lower()}\x00{policy.arn.lower()}": policy
            for policy in state.policies.values()
        }
        keys += ["3" + key for key in sorted(local)]
        lookups["3"] = lambda key: _policy_detail(state, local[key])
    if "AWSManagedPolicy" in wanted:
        aws = {
            f"{policy.policy_name.lower()}\x00{policy.arn.lower()}": policy
            for policy in _aws_policies_in_use(state).values()
        }
        keys += ["4" + key for key in sorted(aws)]
        lookups["4"] = lambda key: _policy_detail(state, aws[key])
    return keys, lambda key: lookups[key[0]](key[1:])


def _marker_position(marker: str, given: str) -> str:
    """The listing position a marker names, checked against the Filter it was issued
    for, as AWS answers (recorded, 2026): another explicit Filter is "Marker and Filter
    do not match", a Filter given on one call and left out on the other "Invalid
    Marker." (a different order of the same types, or another MaxItems, is fine)."""
    bound = unbind_marker(marker)
    if bound is None:
        raise ValidationError(MARKER_MISMATCH)
    issued, position = bound
    if issued != given:
        raise ValidationError(MARKER_MISMATCH if issued and given else INVALID_MARKER)
    return position


def get_account_authorization_details(
    state: AccountState,
    ctx: Context,
    *,
    filter: Sequence[str] = (),  # the API member is called Filter
    max_items: int | None = None,
    marker: str | None = None,
) -> GetAccountAuthorizationDetailsResponse:
    """AWS GetAccountAuthorizationDetails: users, groups, roles and managed policies with
    their relationships, filtered by entity type, paged across all of them together."""
    wanted = frozenset(filter) if filter else frozenset(ENTITY_TYPES)
    keys, lookup = _section_keys(state, wanted)
    given = ",".join(sorted(set(filter))) if filter else ""
    inner = _marker_position(marker, given) if marker is not None else None
    try:
        items, truncated, next_marker = page(keys, lookup, inner, max_items)
    except ValidationError as error:
        raise ValidationError(MARKER_MISMATCH) from error
    if next_marker is not None:
        next_marker = bind_marker(given, next_marker)
    return GetAccountAuthorizationDetailsResponse(
        user_detail_list=tuple(item for item in items if isinstance(item, UserDetail)),
        group_detail_list=tuple(item for item in items if isinstance(item, GroupDetail)),
        policies=tuple(item for item in items if isinstance(item, ManagedPolicyDetail)),
        is_truncated=truncated,
        marker=next_marker,
    )
