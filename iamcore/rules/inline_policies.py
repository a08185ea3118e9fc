"""Inline policy rules: Put/Get/List/DeleteUserPolicy and the group equivalents.

AWS facts modelled here (aws-iam-rules.md §2.12, §3; API Reference pages):

- an inline policy is embedded in one user or group; its name is unique per
  entity, and PutUserPolicy with an existing name replaces the document;
- names match ignoring case, like every IAM name (a case variant replaces
  the policy and takes the new spelling; UNVERIFIED);
- there is no limit on the number of inline policies, but the documents of
  one user may total at most 2,048 non-whitespace characters, those of one
  group 5,120 (``LimitExceeded: Maximum policy size of 2048 bytes exceeded
  for user X``);
- GetUserPolicy returns the document URL-encoded, as GetPolicyVersion does.
"""

from __future__ import annotations

from iamcore.entities import InlinePolicy
from iamcore.errors import LimitExceeded, NoSuchEntity
from iamcore.paging import page
from iamcore.policy import non_whitespace_length
from iamcore.responses import (
    GetGroupPolicyResponse,
    GetUserPolicyResponse,
    ListGroupPoliciesResponse,
    ListUserPoliciesResponse,
)
from iamcore.rules import groups as group_rules
from iamcore.rules import users as user_rules
from iamcore.rules.policies import check_document, encode_document
from iamcore.state import AccountState, Context

__all__ = [
    "MAX_GROUP_INLINE_SIZE",
    "MAX_USER_INLINE_SIZE",
    "delete_group_policy",
    "delete_user_policy",
    "get_group_policy",
    "get_user_policy",
    "list_group_policies",
    "list_user_policies",
    "put_group_policy",
    "put_user_policy",
]

MAX_USER_INLINE_SIZE = 2048  # UG quotas; GetAccountSummary UserPolicySizeQuota
MAX_GROUP_INLINE_SIZE = 5120  # UG quotas; GetAccountSummary GroupPolicySizeQuota


def _put(
    table: dict[str, dict[str, InlinePolicy]],
    owner_id: str,
    owner_kind: str,
    owner_name: str,
    policy_name: str,
    policy_document: str,
    limit: int,
) -> None:
    check_document(policy_document, limit=None)
    policies = table.get(owner_id, {})
    key = policy_name.lower()
    total = non_whitespace_length(policy_document) + sum(
        non_whitespace_length(policy.policy_document)
        for name, policy in policies.items()
        if name != key
    )
    if total > limit:
        raise LimitExceeded(
            f"Maximum policy size of {limit} bytes exceeded for {owner_kind} {owner_name}"
        )
    table.setdefault(owner_id, {})[key] = InlinePolicy(policy_name, policy_document)


def _get(
    table: dict[str, dict[str, InlinePolicy]], owner_id: str, owner_kind: str, policy_name: str
) -> InlinePolicy:
    policy = table.get(owner_id, {}).get(policy_name.lower())
    if policy is None:
        raise NoSuchEntity(f"The {owner_kind} policy with name {policy_name} cannot be found.")
    return policy


def _delete(
    table: dict[str, dict[str, InlinePolicy]], owner_id: str, owner_kind: str, policy_name: str
) -> None:
    _get(table, owner_id, owner_kind, policy_name)
    del table[owner_id][policy_name.lower()]
    if not table[owner_id]:
        del table[owner_id]


def _names(
    table: dict[str, dict[str, InlinePolicy]],
    owner_id: str,
    marker: str | None,
    max_items: int | None,
) -> tuple[list[str], bool, str | None]:
    policies = table.get(owner_id, {})
    names = {key: policy.policy_name for key, policy in policies.items()}
    return page(sorted(names), names.get, marker, max_items)


def put_user_policy(
    state: AccountState, ctx: Context, *, user_name: str, policy_name: str, policy_document: str
) -> None:
    """AWS PutUserPolicy: add or replace; a user's inline documents total ≤ 2,048 characters."""
    user = user_rules.require_user(state, user_name)
    _put(
        state.user_inline_policies,
        user.user_id,
        "user",
        user.user_name,
        policy_name,
        policy_document,
        MAX_USER_INLINE_SIZE,
    )


def get_user_policy(
    state: AccountState, ctx: Context, *, user_name: str, policy_name: str
) -> GetUserPolicyResponse:
    """AWS GetUserPolicy: the document, URL-encoded as AWS returns it."""
    user = user_rules.require_user(state, user_name)
    policy = _get(state.user_inline_policies, user.user_id, "user", policy_name)
    return GetUserPolicyResponse(
        user.user_name, policy.policy_name, encode_document(policy.policy_document)
    )


def list_user_policies(
    state: AccountState,
    ctx: Context,
    *,
    user_name: str,
    marker: str | None = None,
    max_items: int | None = None,
) -> ListUserPoliciesResponse:
    """AWS ListUserPolicies: the names of the user's inline policies, by name, paged."""
    user = user_rules.require_user(state, user_name)
    names, truncated, next_marker = _names(
        state.user_inline_policies, user.user_id, marker, max_items
    )
    return ListUserPoliciesResponse(tuple(names), truncated, next_marker)


def delete_user_policy(
    state: AccountState, ctx: Context, *, user_name: str, policy_name: str
) -> None:
    """AWS DeleteUserPolicy: NoSuchEntity when the user has no policy of that name."""
    user = user_rules.require_user(state, user_name)
    _delete(state.user_inline_policies, user.user_id, "user", policy_name)


def put_group_policy(
    state: AccountState, ctx: Context, *, group_name: str, policy_name: str, policy_document: str
) -> None:
    """AWS PutGroupPolicy: add or replace; a group's inline documents total ≤ 5,120."""
    group = group_rules.require_group(state, group_name)
    _put(
        state.group_inline_policies,
        group.group_id,
        "group",
        group.group_name,
        policy_name,
        policy_document,
        MAX_GROUP_INLINE_SIZE,
    )


def get_group_policy(
    state: AccountState, ctx: Context, *, group_name: str, policy_name: str
) -> GetGroupPolicyResponse:
    """AWS GetGroupPolicy: the document, URL-encoded as AWS returns it."""
    group = group_rules.require_group(state, group_name)
    policy = _get(state.group_inline_policies, group.group_id, "group", policy_name)
    return GetGroupPolicyResponse(
        group.group_name, policy.policy_name, encode_document(policy.policy_document)
    )


def list_group_policies(
    state: AccountState,
    ctx: Context,
    *,
    group_name: str,
    marker: str | None = None,
    max_items: int | None = None,
) -> ListGroupPoliciesResponse:
    """AWS ListGroupPolicies: the names of the group's inline policies, by name, paged."""
    group = group_rules.require_group(state, group_name)
    names, truncated, next_marker = _names(
        state.group_inline_policies, group.group_id, marker, max_items
    )
    return ListGroupPoliciesResponse(tuple(names), truncated, next_marker)


def delete_group_policy(
    state: AccountState, ctx: Context, *, group_name: str, policy_name: str
) -> None:
    """AWS DeleteGroupPolicy: NoSuchEntity when the group has no policy of that name."""
    group = group_rules.require_group(state, group_name)
    _delete(state.group_inline_policies, group.group_id, "group", policy_name)


# DeleteUser / DeleteGroup refuse while inline policies remain.
user_rules.register_delete_check(
    70, "delete policies", lambda state, uid: bool(state.user_inline_policies.get(uid))
)
group_rules.register_delete_check(
    20, "delete policies", lambda state, gid: bool(state.group_inline_policies.get(gid))
)
