"""Result values of the native API (frozen attrs).

Each class is named after an IAM operation's output shape (``CreateUser`` →
:class:`CreateUserResponse`) and its fields are the snake_case of the
shape's members, so ``account.list_users().users`` is boto3's
``client.list_users()["Users"]``.  Operations without output return ``None``.
"""

from __future__ import annotations

import attrs

from iamcore.entities import Group, Tag, User

__all__ = [
    "CreateGroupResponse",
    "CreateUserResponse",
    "GetGroupResponse",
    "GetUserResponse",
    "ListGroupsForUserResponse",
    "ListGroupsResponse",
    "ListUserTagsResponse",
    "ListUsersResponse",
    "RootUser",
]


@attrs.frozen
class RootUser:
    """The account's root user as GetUser describes it (no name, no path)."""

    user_id: str
    arn: str
    create_date: object
    password_last_used: object = None


@attrs.frozen
class CreateUserResponse:
    """Result of CreateUser."""

    user: User


@attrs.frozen
class GetUserResponse:
    """Result of GetUser (the root user when called without a name by root)."""

    user: User | RootUser


@attrs.frozen
class ListUsersResponse:
    """Result of ListUsers: users without Tags or PermissionsBoundary."""

    users: tuple[User, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class CreateGroupResponse:
    """Result of CreateGroup."""

    group: Group


@attrs.frozen
class GetGroupResponse:
    """Result of GetGroup: the group and one page of its members."""

    group: Group
    users: tuple[User, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class ListGroupsResponse:
    """Result of ListGroups."""

    groups: tuple[Group, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class ListGroupsForUserResponse:
    """Result of ListGroupsForUser."""

    groups: tuple[Group, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class ListUserTagsResponse:
    """Result of ListUserTags: tags sorted by key."""

    tags: tuple[Tag, ...]
    is_truncated: bool = False
    marker: str | None = None
