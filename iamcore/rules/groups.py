"""Group rules: CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup, membership.

AWS facts modelled here (aws-iam-rules.md §2–§3):

- group names are unique in the account ignoring case (1–128 characters);
- an account holds at most 300 groups (``GroupsPerAccount``) and a user
  belongs to at most 10 groups (``GroupsPerUser``);
- DeleteGroup is refused with DeleteConflict while the group has members or
  policies (see :data:`DELETE_CHECKS`).
"""

from __future__ import annotations

import attrs

from iamcore import ids
from iamcore.entities import Group, User
from iamcore.errors import EntityAlreadyExists, LimitExceeded, NoSuchEntity
from iamcore.paging import page
from iamcore.responses import (
    CreateGroupResponse,
    GetGroupResponse,
    ListGroupsForUserResponse,
    ListGroupsResponse,
)
from iamcore.rules import _common
from iamcore.rules.users import nested_view, require_user
from iamcore.state import AccountState, Context

__all__ = [
    "DELETE_CHECKS",
    "MAX_GROUPS",
    "MAX_GROUPS_PER_USER",
    "add_user_to_group",
    "create_group",
    "delete_group",
    "get_group",
    "list_groups",
    "list_groups_for_user",
    "register_delete_check",
    "remove_user_from_group",
    "require_group",
    "update_group",
]

MAX_GROUPS = 300
MAX_GROUPS_PER_USER = 10

#: What DeleteGroup checks, as ``(order, what must go first, has_any(state, group_id))``:
#: members 10, inline policies 20, attached policies 30.  Policy families
#: register theirs with :func:`register_delete_check`.
DELETE_CHECKS: _common.DeleteChecks = []


def register_delete_check(order: int, what: str, has_any: _common.DeleteCheck) -> None:
    """Make DeleteGroup refuse with ``Cannot delete entity, must {what} first.``"""
    _common.add_delete_check(DELETE_CHECKS, order, what, has_any)


register_delete_check(
    10, "remove users from group", lambda state, gid: bool(state.group_members.get(gid))
)


def require_group(state: AccountState, group_name: str) -> Group:
    """Return the group called ``group_name`` (ignoring case) or raise NoSuchEntity."""
    group_id = state.group_ids.get(group_name.lower())
    if group_id is None:
        raise NoSuchEntity(f"The group with name {group_name} cannot be found.")
    return state.groups[group_id]


def create_group(
    state: AccountState, ctx: Context, *, group_name: str, path: str = "/"
) -> CreateGroupResponse:
    """AWS CreateGroup: unique name ignoring case, 300-group quota."""
    if group_name.lower() in state.group_ids:
        raise EntityAlreadyExists(f"Group with name {group_name} already exists.")
    if len(state.groups) >= MAX_GROUPS:
        raise LimitExceeded(f"Cannot exceed quota for GroupsPerAccount: {MAX_GROUPS}")
    group = Group(
        path=path,
        group_name=group_name,
        group_id=ids.unique_id(ids.IdPrefix.GROUP, ctx.entropy),
        arn=ids.arn(ctx.account_id, "group", path, group_name),
        create_date=ctx.now,
    )
    state.groups[group.group_id] = group
    _common.add_name(state.group_ids, state.group_index, group_name, group.group_id)
    state.group_members[group.group_id] = {}
    return CreateGroupResponse(group)


def get_group(
    state: AccountState,
    ctx: Context,
    *,
    group_name: str,
    marker: str | None = None,
    max_items: int | None = None,
) -> GetGroupResponse:
    """AWS GetGroup: the group and its members in name order, paged."""
    group = require_group(state, group_name)
    member_ids = state.group_members[group.group_id]
    # Most users are members: walk the account's sorted name index, skipping the
    # others (a few keys per member listed); a small group: sort just its members.
    if len(member_ids) * _DENSE >= len(state.user_index):
        keys = state.user_index.keys
    else:
        keys = sorted(state.users[uid].user_name.lower() for uid in member_ids)

    def member(key: str) -> User | None:
        user_id = state.user_ids[key]
        return nested_view(state.users[user_id]) if user_id in member_ids else None

    items, truncated, next_marker = page(keys, member, marker, max_items)
    return GetGroupResponse(group, tuple(items), truncated, next_marker)


#: GetGroup walks the account's name index when at least one user in this many is a
#: member, and sorts the members otherwise: both cost about a page's worth of keys.
_DENSE = 8


def list_groups(
    state: AccountState,
    ctx: Context,
    *,
    path_prefix: str = "/",
    marker: str | None = None,
    max_items: int | None = None,
) -> ListGroupsResponse:
    """AWS ListGroups: groups whose path starts with PathPrefix, in name order, paged."""
    items, truncated, next_marker = _common.page_by_path(
        state.groups, state.group_ids, state.group_index, path_prefix, marker, max_items
    )
    return ListGroupsResponse(tuple(items), truncated, next_marker)


def update_group(
    state: AccountState,
    ctx: Context,
    *,
    group_name: str,
    new_path: str | None = None,
    new_group_name: str | None = None,
) -> None:
    """AWS UpdateGroup: rename and/or move; the new name must be free ignoring case."""
    group = require_group(state, group_name)
    if new_group_name is not None and new_group_name.lower() in state.group_ids:
        raise EntityAlreadyExists(f"Group with name {new_group_name} already exists.")
    name = group.group_name if new_group_name is None else new_group_name
    path = group.path if new_path is None else new_path
    updated = attrs.evolve(
        group, group_name=name, path=path, arn=ids.arn(ctx.account_id, "group", path, name)
    )
    _common.rename(state.group_ids, state.group_index, group.group_name, name, group.group_id)
    state.groups[group.group_id] = updated


def delete_group(state: AccountState, ctx: Context, *, group_name: str) -> None:
    """AWS DeleteGroup: refused with DeleteConflict while it has members or policies."""
    group = require_group(state, group_name)
    _common.refuse_delete(DELETE_CHECKS, state, group.group_id)
    del state.groups[group.group_id]
    _common.remove_name(state.group_ids, state.group_index, group.group_name)
    del state.group_members[group.group_id]


def add_user_to_group(
    state: AccountState, ctx: Context, *, group_name: str, user_name: str
) -> None:
    """AWS AddUserToGroup: at most 10 groups per user; adding a member again is a no-op."""
    group = require_group(state, group_name)
    user = require_user(state, user_name)
    groups = state.user_groups.get(user.user_id, {})
    if group.group_id in groups:
        return
    if len(groups) >= MAX_GROUPS_PER_USER:
        raise LimitExceeded(f"Cannot exceed quota for GroupsPerUser: {MAX_GROUPS_PER_USER}")
    state.user_groups.setdefault(user.user_id, {})[group.group_id] = None
    state.group_members[group.group_id][user.user_id] = None


def remove_user_from_group(
    state: AccountState, ctx: Context, *, group_name: str, user_name: str
) -> None:
    """AWS RemoveUserFromGroup: the user is looked up first, then the group (NoSuchEntity);
    removing a user who is not a member succeeds and changes nothing (both observed on
    AWS: LocalStack's AWS-validated IAM user and group tests)."""
    user = require_user(state, user_name)
    group = require_group(state, group_name)
    if user.user_id not in state.group_members[group.group_id]:
        return
    del state.group_members[group.group_id][user.user_id]
    _common.discard(state.user_groups, user.user_id, group.group_id)


def list_groups_for_user(
    state: AccountState,
    ctx: Context,
    *,
    user_name: str,
    marker: str | None = None,
    max_items: int | None = None,
) -> ListGroupsForUserResponse:
    """AWS ListGroupsForUser: the user's groups in name order, paged."""
    user = require_user(state, user_name)
    groups = {
        state.groups[gid].group_name.lower(): state.groups[gid]
        for gid in state.user_groups.get(user.user_id, {})
    }
    items, truncated, next_marker = page(sorted(groups), groups.get, marker, max_items)
    return ListGroupsForUserResponse(tuple(items), truncated, next_marker)
