"""User rules: CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser, user tags.

AWS facts modelled here (aws-iam-rules.md §1–§2):

- user names are unique in the account ignoring case, and keep their case;
- an account holds at most 5,000 users (IAM quota ``UsersPerAccount``);
- renaming keeps the unique ID, and the user's keys, groups and tags follow;
- DeleteUser is not a cascade: it is refused with DeleteConflict while the
  user still has any subordinate entity (see :data:`DELETE_CHECKS`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from iamcore import ids
from iamcore._frozen import builder
from iamcore.entities import AttachedPermissionsBoundary, Tag, User
from iamcore.errors import (
    EntityAlreadyExists,
    InvalidClientTokenId,
    LimitExceeded,
    NoSuchEntity,
    ValidationError,
)
from iamcore.paging import SortedIndex, page_of_runs
from iamcore.responses import (
    CreateUserResponse,
    GetUserResponse,
    ListUsersResponse,
    ListUserTagsResponse,
    RootUser,
)
from iamcore.rules import _common
from iamcore.rules import tags as tag_rules
from iamcore.state import AccountState, Context

__all__ = [
    "DELETE_CHECKS",
    "INVALID_TOKEN",
    "MAX_USERS",
    "NON_USER_CREDENTIALS",
    "caller_user",
    "create_user",
    "delete_user",
    "get_user",
    "list_user_tags",
    "list_users",
    "listed_view",
    "nested_view",
    "path_index",
    "register_delete_check",
    "require_user",
    "tag_user",
    "target_user",
    "untag_user",
    "update_user",
]

MAX_USERS = 5000
#: AWS's answer to credentials of a user that no longer exists (InvalidClientTokenId, 403)
INVALID_TOKEN = "The security token included in the request is invalid."
#: AWS's answer when a caller that is no IAM user omits UserName (ValidationError)
NON_USER_CREDENTIALS = "Must specify userName when calling with non-User credentials"

#: What DeleteUser checks, as ``(order, what must go first, has_any(state, user_id))``,
#: checked in ``order``: the order of the AWS CLI ``delete-user`` documentation
#: (login profile 10, access keys 20, signing certificates 30, SSH keys 40,
#: service-specific credentials 50, inline policies 70, attached policies 80, group
#: memberships 90), except that MFA devices (15, "remove tokens from principal") come
#: before access keys, as recorded from AWS in 2026 (github.com/radkawar/stackd
#: ``mfa.json`` ``delete_assigned_user``; signing certificates answer "delete
#: certificates", ``certificates_aws.json``).  Each family registers its own check
#: with :func:`register_delete_check`.
DELETE_CHECKS: _common.DeleteChecks = []


def register_delete_check(order: int, what: str, has_any: _common.DeleteCheck) -> None:
    """Make DeleteUser refuse with ``Cannot delete entity, must {what} first.``"""
    _common.add_delete_check(DELETE_CHECKS, order, what, has_any)


register_delete_check(
    90, "remove user from all groups", lambda state, uid: bool(state.user_groups.get(uid))
)

#: Resolves a PermissionsBoundary ARN to the attached boundary; the policy
#: family replaces it.  Until then no managed policy exists to be a boundary.
BoundaryResolver = Callable[[AccountState, str], AttachedPermissionsBoundary]


def _no_policies(state: AccountState, policy_arn: str) -> AttachedPermissionsBoundary:
    raise NoSuchEntity(f"Policy {policy_arn} does not exist or is not attachable.")


resolve_boundary: list[BoundaryResolver] = [_no_policies]


def require_user(state: AccountState, user_name: str) -> User:
    """Return the user called ``user_name`` (ignoring case) or raise NoSuchEntity."""
    user_id = state.user_ids.get(user_name.lower())
    if user_id is None:
        raise NoSuchEntity(f"The user with name {user_name} cannot be found.")
    return state.users[user_id]


def caller_user(state: AccountState, ctx: Context) -> User | None:
    """The IAM user making the call, or ``None`` for the root user/administrator.

    A caller whose user no longer exists holds credentials that are no
    longer valid: ``InvalidClientTokenId``.
    """
    if ctx.caller is None:
        return None
    user = state.users.get(ctx.caller)
    if user is None:
        raise InvalidClientTokenId(INVALID_TOKEN)
    return user


def caller_arn(state: AccountState, ctx: Context) -> str:
    """The ARN AWS names the caller by in AccessDenied messages."""
    user = caller_user(state, ctx)
    return f"arn:aws:iam::{ctx.account_id}:root" if user is None else user.arn


def target_user(state: AccountState, ctx: Context, user_name: str | None) -> User:
    """The user named ``user_name``, or the calling IAM user when it is omitted.

    The operations whose ``UserName`` is optional (ListAccessKeys,
    ListMFADevices, ListSSHPublicKeys, UploadSigningCertificate, …) raise
    NoSuchEntity for an unknown name, and ValidationError when the name is
    omitted by a caller that is not an IAM user (the root user must name the
    user, as AWS requires without an AssumeRoot session).
    """
    if user_name is not None:
        return require_user(state, user_name)
    user = caller_user(state, ctx)
    if user is None:
        raise ValidationError(NON_USER_CREDENTIALS)
    return user


#: :func:`_with_tags` keeps the user's permissions boundary
_KEEP: Any = object()


def listed_view(user: User) -> User:
    """ListUsers and GetGroup leave out Tags and PermissionsBoundary."""
    if user.tags or user.permissions_boundary is not None:
        return _with_tags(user, (), None)
    return user


def nested_view(user: User) -> User:
    """A user inside another answer (a GetGroup member, a virtual MFA device's user): as
    listed, and without PasswordLastUsed, which is "returned only in the GetUser and
    ListUsers operations" (SM ``User.PasswordLastUsed``)."""
    if user.password_last_used is None:
        return listed_view(user)
    return User(user.path, user.user_name, user.user_id, user.arn, user.create_date)


# CreateUser's two objects, built without their attrs __init__ (iamcore._frozen: the
# same frozen values, for 40 % less) and its ID prefix, read once (an enum member
# costs as much to read as the ARN takes to build)
_new_user = builder(User)
_new_create_user_response = builder(CreateUserResponse)
_USER_ID_PREFIX = ids.IdPrefix.USER


def create_user(
    state: AccountState,
    ctx: Context,
    *,
    user_name: str,
    path: str = "/",
    permissions_boundary: str | None = None,
    tags: tuple[dict[str, Any], ...] = (),
) -> CreateUserResponse:
    """AWS CreateUser: unique name ignoring case, 5,000-user quota, tags all-or-nothing."""
    lowered = user_name.lower()
    if lowered in state.user_ids:
        raise EntityAlreadyExists(f"User with name {user_name} already exists.")
    if len(state.users) >= MAX_USERS:
        raise LimitExceeded(f"Cannot exceed quota for UsersPerAccount: {MAX_USERS}")
    user_tags = (
        tag_rules.add_tags((), tag_rules.to_tags(tags, True), True, "TagsPerUser") if tags else ()
    )
    boundary = None
    if permissions_boundary is not None:
        boundary = resolve_boundary[-1](state, permissions_boundary)
    user_id = ids.unique_id(_USER_ID_PREFIX, ctx.entropy)
    user = _new_user(
        path,
        user_name,
        user_id,
        ids.arn(ctx.account_id, "user", path, user_name),
        ctx.now,
        None,
        boundary,
        user_tags,
    )
    state.users[user_id] = user
    state.user_ids[lowered] = user_id
    state.user_index.add(lowered)
    if state.user_paths is not None:
        _index_path(state, path, lowered, True)
    if boundary is not None:
        _common.count_boundary(state, boundary.permissions_boundary_arn, 1)
    return _new_create_user_response(user)


def get_user(
    state: AccountState, ctx: Context, *, user_name: str | None = None
) -> GetUserResponse:
    """AWS GetUser: without a name, the caller is described (the calling IAM user, or
    the root user for root/administrator calls)."""
    if user_name is not None:
        return GetUserResponse(require_user(state, user_name))
    caller = caller_user(state, ctx)
    if caller is not None:
        return GetUserResponse(caller)
    return GetUserResponse(
        RootUser(
            user_id=ctx.account_id,
            arn=f"arn:aws:iam::{ctx.account_id}:root",
            create_date=state.created,
            password_last_used=state.root_credentials.password_last_used,
        )
    )


def list_users(
    state: AccountState,
    ctx: Context,
    *,
    path_prefix: str = "/",
    marker: str | None = None,
    max_items: int | None = None,
) -> ListUsersResponse:
    """AWS ListUsers: users whose path starts with PathPrefix, in name order, paged.

    Every path starts with ``/``, so that prefix pages the name index itself; any
    other pages the users of the few matching paths from the path index, or scans
    the name index when many distinct paths match.
    """
    if path_prefix == "/":
        runs = [state.user_index.keys]
    else:
        runs = [
            index.keys for path, index in path_index(state).items() if path.startswith(path_prefix)
        ]
    if len(runs) <= _MERGED_PATHS:
        items, truncated, next_marker = page_of_runs(
            runs, lambda key: state.users[state.user_ids[key]], marker, max_items
        )
    else:
        items, truncated, next_marker = _common.page_by_path(
            state.users, state.user_ids, state.user_index, path_prefix, marker, max_items
        )
    return ListUsersResponse(tuple(map(listed_view, items)), truncated, next_marker)


#: ListUsers pages from the path index when at most this many distinct paths match
#: the PathPrefix (each costs a bisection and a page of keys), else scans the names
_MERGED_PATHS = 16


def path_index(state: AccountState) -> dict[str, SortedIndex]:
    """The lower-case names of the users of each path, built on first use and then kept
    by CreateUser, UpdateUser and DeleteUser (a cache: not persisted, not snapshotted)."""
    paths = state.user_paths
    if paths is None:
        names: dict[str, list[str]] = {}
        for lowered, user_id in state.user_ids.items():
            names.setdefault(state.users[user_id].path, []).append(lowered)
        paths = state.user_paths = {path: SortedIndex(keys) for path, keys in names.items()}
    return paths


def _index_path(state: AccountState, path: str, lowered: str, present: bool) -> None:
    """Add (``present``) or remove a user's name under its path in the path index, if built."""
    paths = state.user_paths
    if paths is None:
        return
    index = paths.get(path)
    if present:
        if index is None:
            index = paths[path] = SortedIndex()
        index.add(lowered)
    elif index is not None:
        index.remove(lowered)
        if not len(index):
            del paths[path]


def update_user(
    state: AccountState,
    ctx: Context,
    *,
    user_name: str,
    new_path: str | None = None,
    new_user_name: str | None = None,
) -> None:
    """AWS UpdateUser: rename and/or move; the new name must be free ignoring case.

    Renaming to a case variant of the current name is refused with
    EntityAlreadyExists, as the real service does.
    """
    user = require_user(state, user_name)
    name = user.user_name if new_user_name is None else new_user_name
    if new_user_name is not None and new_user_name.lower() in state.user_ids:
        raise EntityAlreadyExists(f"User with name {new_user_name} already exists.")
    path = user.path if new_path is None else new_path
    updated = User(
        path,
        name,
        user.user_id,
        ids.arn(ctx.account_id, "user", path, name),
        user.create_date,
        user.password_last_used,
        user.permissions_boundary,
        user.tags,
    )
    _common.rename(state.user_ids, state.user_index, user.user_name, name, user.user_id)
    if (path, name) != (user.path, user.user_name):
        _index_path(state, user.path, user.user_name.lower(), False)
        _index_path(state, path, name.lower(), True)
    state.users[user.user_id] = updated


def _boundary_arn(user: User) -> str | None:
    boundary = user.permissions_boundary
    return boundary.permissions_boundary_arn if boundary is not None else None


def delete_user(state: AccountState, ctx: Context, *, user_name: str) -> None:
    """AWS DeleteUser: refused with DeleteConflict while anything still belongs to the user."""
    user = require_user(state, user_name)
    _common.refuse_delete(DELETE_CHECKS, state, user.user_id)
    _common.count_boundary(state, _boundary_arn(user), -1)
    del state.users[user.user_id]
    _common.remove_name(state.user_ids, state.user_index, user.user_name)
    _index_path(state, user.path, user.user_name.lower(), False)
    state.user_groups.pop(user.user_id, None)
    state.service_access.pop(user.user_id, None)  # service last accessed data
    state.action_access.pop(user.user_id, None)
    for job_id in [j for j, r in state.access_reports.items() if r.owner == user.user_id]:
        del state.access_reports[job_id]  # reports only their owner could read


def _with_tags(
    user: User, tags: tuple[Tag, ...], boundary: AttachedPermissionsBoundary | None = _KEEP
) -> User:
    """``attrs.evolve(user, tags=tags[, permissions_boundary=boundary])`` at a third of its
    cost: TagUser, UntagUser and every listed user (ListUsers, GetGroup) build one."""
    return User(
        user.path,
        user.user_name,
        user.user_id,
        user.arn,
        user.create_date,
        user.password_last_used,
        user.permissions_boundary if boundary is _KEEP else boundary,
        tags,
    )


def tag_user(
    state: AccountState, ctx: Context, *, user_name: str, tags: tuple[dict[str, Any], ...]
) -> None:
    """AWS TagUser: add or replace tags; keys are case-insensitive on users."""
    new = tag_rules.tags_to_add(tags, True)
    user = require_user(state, user_name)
    merged = tag_rules.add_tags(user.tags, new, True, "TagsPerUser")
    state.users[user.user_id] = _with_tags(user, merged)


def untag_user(
    state: AccountState, ctx: Context, *, user_name: str, tag_keys: tuple[str, ...]
) -> None:
    """AWS UntagUser: remove the named tags (ignoring case); absent keys are ignored."""
    user = require_user(state, user_name)
    remaining = tag_rules.remove_tags(user.tags, tag_keys, True)
    state.users[user.user_id] = _with_tags(user, remaining)


def list_user_tags(
    state: AccountState,
    ctx: Context,
    *,
    user_name: str,
    marker: str | None = None,
    max_items: int | None = None,
) -> ListUserTagsResponse:
    """AWS ListUserTags: the user's tags sorted by key, paged."""
    user = require_user(state, user_name)
    items, truncated, next_marker = tag_rules.page_tags(user.tags, marker, max_items)
    return ListUserTagsResponse(tuple(items), truncated, next_marker)
