"""Inline policy rules: Put/Get/List/DeleteUserPolicy and the group equivalents.

AWS facts modelled here (aws-iam-rules.md §2.12, §3; API Reference pages):

- an inline policy is embedded in one user or group; its name is unique per
  entity, and PutUserPolicy with an existing name replaces the document;
- names match ignoring case, like every IAM name: a case variant replaces the
  document and the first spelling stays (ListUserPolicies), while
  GetUserPolicy answers the name as it was asked for (recorded from AWS in
  2026, radkawar/stackd policy_management.json);
- there is no limit on the number of inline policies, but the documents of
  one user may total at most 2,048 non-whitespace characters, those of one
  group 5,120 (``LimitExceeded: Maximum policy size of 2048 bytes exceeded
  for user X``);
- GetUserPolicy returns the document URL-encoded, as GetPolicyVersion does.
"""

from __future__ import annotations

import attrs

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
from iamcore.rules import _common
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


@attrs.frozen
class _Owner:
    """The user or group whose inline policies a call reads or changes."""

    table: dict[str, dict[str, InlinePolicy]]  # owner ID -> lower-case name -> policy
    owner_id: str
    kind: str  # "user" or "group", as AWS's messages name it
    name: str
    size_limit: int  # non-whitespace characters of all the owner's documents together


def _user(state: AccountState, user_name: str) -> _Owner:
    user = user_rules.require_user(state, user_name)
    return _Owner(
        state.user_inline_policies, user.user_id, "user", user.user_name, MAX_USER_INLINE_SIZE
    )


def _group(state: AccountState, group_name: str) -> _Owner:
    group = group_rules.require_group(state, group_name)
    return _Owner(
        state.group_inline_policies,
        group.group_id,
        "group",
        group.group_name,
        MAX_GROUP_INLINE_SIZE,
    )


def _put(owner: _Owner, policy_name: str, policy_document: str) -> None:
    check_document(policy_document, limit=None)
    policies = owner.table.get(owner.owner_id, {})
    key = policy_name.lower()
    total = non_whitespace_length(policy_document) + sum(
        non_whitespace_length(policy.policy_document)
        for name, policy in policies.items()
        if name != key
    )
    if total > owner.size_limit:
        raise LimitExceeded(
            f"Maximum policy size of {owner.size_limit} bytes exceeded for "
            f"{owner.kind} {owner.name}"
        )
    kept = policies[key].policy_name if key in policies else policy_name  # the first spelling
    owner.table.setdefault(owner.owner_id, {})[key] = InlinePolicy(kept, policy_document)


def _get(owner: _Owner, policy_name: str) -> InlinePolicy:
    policy = owner.table.get(owner.owner_id, {}).get(policy_name.lower())
    if policy is None:
        raise NoSuchEntity(f"The {owner.kind} policy with name {policy_name} cannot be found.")
    return policy


def _delete(owner: _Owner, policy_name: str) -> None:
    _get(owner, policy_name)
    _common.discard(owner.table, owner.owner_id, policy_name.lower())


def _names(
    owner: _Owner, marker: str | None, max_items: int | None
) -> tuple[list[str], bool, str | None]:
    policies = owner.table.get(owner.owner_id, {})
    names = {key: policy.policy_name for key, policy in policies.items()}
    return page(sorted(names), names.get, marker, max_items)


def put_user_policy(
    state: AccountState, ctx: Context, *, user_name: str, policy_name: str, policy_document: str
) -> None:
    """AWS PutUserPolicy: add or replace; a user's inline documents total ≤ 2,048 characters."""
    _put(_user(state, user_name), policy_name, policy_document)


def get_user_policy(
    state: AccountState, ctx: Context, *, user_name: str, policy_name: str
) -> GetUserPolicyResponse:
    """AWS GetUserPolicy: the document, URL-encoded as AWS returns it."""
    owner = _user(state, user_name)
    policy = _get(owner, policy_name)
    return GetUserPolicyResponse(  # the name as asked for (recorded)
        owner.name, policy_name, encode_document(policy.policy_document)
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
    names, truncated, next_marker = _names(_user(state, user_name), marker, max_items)
    return ListUserPoliciesResponse(tuple(names), truncated, next_marker)


def delete_user_policy(
    state: AccountState, ctx: Context, *, user_name: str, policy_name: str
) -> None:
    """AWS DeleteUserPolicy: NoSuchEntity when the user has no policy of that name."""
    _delete(_user(state, user_name), policy_name)


def put_group_policy(
    state: AccountState, ctx: Context, *, group_name: str, policy_name: str, policy_document: str
) -> None:
    """AWS PutGroupPolicy: add or replace; a group's inline documents total ≤ 5,120."""
    _put(_group(state, group_name), policy_name, policy_document)


def get_group_policy(
    state: AccountState, ctx: Context, *, group_name: str, policy_name: str
) -> GetGroupPolicyResponse:
    """AWS GetGroupPolicy: the document, URL-encoded as AWS returns it."""
    owner = _group(state, group_name)
    policy = _get(owner, policy_name)
    return GetGroupPolicyResponse(  # the name as asked for (recorded)
        owner.name, policy_name, encode_document(policy.policy_document)
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
    names, truncated, next_marker = _names(_group(state, group_name), marker, max_items)
    return ListGroupPoliciesResponse(tuple(names), truncated, next_marker)


def delete_group_policy(
    state: AccountState, ctx: Context, *, group_name: str, policy_name: str
) -> None:
    """AWS DeleteGroupPolicy: NoSuchEntity when the group has no policy of that name."""
    _delete(_group(state, group_name), policy_name)


# DeleteUser / DeleteGroup refuse while inline policies remain.
user_rules.register_delete_check(
    70, "delete policies", lambda state, uid: bool(state.user_inline_policies.get(uid))
)
group_rules.register_delete_check(
    20, "delete policies", lambda state, gid: bool(state.group_inline_policies.get(gid))
)
