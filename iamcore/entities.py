"""Immutable IAM entities (frozen attrs classes).

Each class mirrors the service model shape of the same name: its fields are
the snake_case of the shape's members, so an entity is also the value the
native API returns.  Entities hold single-entity invariants only; rules that
span entities (unique names, quotas, delete conflicts) live in
:mod:`iamcore.rules`.
"""

from __future__ import annotations

from datetime import datetime

import attrs

__all__ = ["AttachedPermissionsBoundary", "Group", "Tag", "User"]


@attrs.frozen
class Tag:
    """A key/value tag (AWS ``Tag``)."""

    key: str
    value: str


@attrs.frozen
class AttachedPermissionsBoundary:
    """The permissions boundary set on a user (AWS ``AttachedPermissionsBoundary``).

    AWS answers ``Policy`` for the type even though the model's enum says
    ``PermissionsBoundaryPolicy`` (awsdocs/iam-user-guide#82).
    """

    permissions_boundary_arn: str
    permissions_boundary_type: str = "Policy"


@attrs.frozen
class User:
    """An IAM user (AWS ``User``)."""

    path: str
    user_name: str
    user_id: str
    arn: str
    create_date: datetime
    password_last_used: datetime | None = None
    permissions_boundary: AttachedPermissionsBoundary | None = None
    tags: tuple[Tag, ...] = ()


@attrs.frozen
class Group:
    """An IAM user group (AWS ``Group``)."""

    path: str
    group_name: str
    group_id: str
    arn: str
    create_date: datetime
