"""Permissions boundary rules: Put/DeleteUserPermissionsBoundary, CreateUser's boundary.

AWS facts modelled here (UG "Permissions boundaries for IAM entities",
aws-iam-rules.md §2.5, §6):

- a user has at most one boundary; PutUserPermissionsBoundary sets or
  replaces it;
- only managed policies (customer or AWS managed) can be boundaries; an
  unknown policy is ``NoSuchEntity``, text that is not an ARN ``InvalidInput``;
- GetUser shows it as ``{PermissionsBoundaryType: "Policy",
  PermissionsBoundaryArn}``; the policy's ``PermissionsBoundaryUsageCount``
  counts the users using it, and it cannot be deleted while used;
- a boundary never grants anything: it only limits (see :mod:`iamcore.policy`).
"""

from __future__ import annotations

import attrs

from iamcore.entities import AttachedPermissionsBoundary
from iamcore.errors import NoSuchEntity
from iamcore.rules import users as user_rules
from iamcore.rules._common import count_boundary
from iamcore.rules.policies import require_attachable
from iamcore.state import AccountState, Context

__all__ = [
    "NO_BOUNDARY",
    "delete_user_permissions_boundary",
    "put_user_permissions_boundary",
    "resolve_boundary",
]

#: DeleteUserPermissionsBoundary for a user without a boundary (iamcore's words)
NO_BOUNDARY = "The user with name {} has no permissions boundary."


def resolve_boundary(state: AccountState, policy_arn: str) -> AttachedPermissionsBoundary:
    """The boundary a PermissionsBoundary ARN names (CreateUser, PutUserPermissionsBoundary).

    The ARN is stored as the policy's own spelling.  An unknown policy is
    NoSuchEntity "Scope ARN: … does not exist or is not attachable.", as AWS
    words it for boundaries (seen in boto/SDK errors from real accounts).
    """
    return AttachedPermissionsBoundary(require_attachable(state, policy_arn, "Scope ARN:").arn)


def put_user_permissions_boundary(
    state: AccountState, ctx: Context, *, user_name: str, permissions_boundary: str
) -> None:
    """AWS PutUserPermissionsBoundary: set or replace the user's one boundary."""
    user = user_rules.require_user(state, user_name)
    boundary = resolve_boundary(state, permissions_boundary)
    if user.permissions_boundary is not None:
        count_boundary(state, user.permissions_boundary.permissions_boundary_arn, -1)
    count_boundary(state, boundary.permissions_boundary_arn, 1)
    state.users[user.user_id] = attrs.evolve(user, permissions_boundary=boundary)


def delete_user_permissions_boundary(state: AccountState, ctx: Context, *, user_name: str) -> None:
    """AWS DeleteUserPermissionsBoundary: remove the boundary.

    A user without one is NoSuchEntity (recorded from AWS in 2026, radkawar/stackd
    policy_management.json ``delete_boundary_missing``; the message was not
    recorded, so :data:`NO_BOUNDARY` is iamcore's wording).
    """
    user = user_rules.require_user(state, user_name)
    if user.permissions_boundary is None:
        raise NoSuchEntity(NO_BOUNDARY.format(user.user_name))
    count_boundary(state, user.permissions_boundary.permissions_boundary_arn, -1)
    state.users[user.user_id] = attrs.evolve(user, permissions_boundary=None)


# CreateUser's PermissionsBoundary goes through the same resolver.
user_rules.resolve_boundary.append(resolve_boundary)
