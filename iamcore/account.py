"""The :class:`Account` aggregate: the only public way to change IAM state.

Every public method is named after the boto3 IAM client method (the
snake_case of the IAM operation) and takes the snake_case of the API
member names as keyword arguments.  Each call:

1. checks its arguments against botocore's service model
   (:func:`iamcore.validation.validate_input`), so bad input of any kind is
   a :class:`~iamcore.errors.ValidationError`;
2. takes the account lock, reads the clock once (whole seconds, as IAM
   reports times) and runs the rule for the operation;
3. leaves the account unchanged if the rule raised.
"""

from __future__ import annotations

import contextvars
import os
import re
import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, Unpack

from iamcore import requests as rq
from iamcore.clock import Clock, SystemClock
from iamcore.errors import ValidationError
from iamcore.ids import Entropy
from iamcore.responses import (
    CreateGroupResponse,
    CreateUserResponse,
    GetGroupResponse,
    GetUserResponse,
    ListGroupsForUserResponse,
    ListGroupsResponse,
    ListUsersResponse,
    ListUserTagsResponse,
)
from iamcore.rules import groups, users
from iamcore.state import AccountSnapshot, AccountState, Context
from iamcore.validation import validate_input

__all__ = ["Account"]

R = TypeVar("R")

#: The user ID on whose behalf calls in this context are made (``None``: root).
#: The boto3 mock sets it for calls signed with one of the account's keys.
current_caller: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "iamcore_current_caller", default=None
)
_READ_ONLY = re.compile(r"(Get|List|Simulate)[A-Z]")


class Account:
    """An in-memory AWS account's IAM users, groups and credentials.

    Args:
        account_id: the 12-digit account ID used in ARNs and access key IDs.
        clock: an object with ``now()`` returning an aware UTC datetime
            (default: the system clock; tests use :class:`iamcore.testing.FixedClock`).
        entropy: ``entropy(n) -> bytes`` used for every ID, secret and seed
            (default :func:`os.urandom`; tests use :func:`iamcore.testing.seeded_entropy`).

    An Account may be shared between threads: every operation is atomic.
    """

    def __init__(
        self,
        account_id: str = "123456789012",
        *,
        clock: Clock | None = None,
        entropy: Entropy | None = None,
    ) -> None:
        if not isinstance(account_id, str) or re.fullmatch(r"\d{12}", account_id) is None:  # type: ignore[redundant-expr]
            raise ValidationError(f"Account ID must be 12 digits, not {account_id!r}.")
        self._account_id = account_id
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._entropy: Entropy = entropy if entropy is not None else os.urandom
        self._lock = threading.RLock()
        self._state = AccountState(account_id, self._now())

    def __repr__(self) -> str:
        return f"Account(account_id={self._account_id!r}, users={len(self._state.users)})"

    @property
    def account_id(self) -> str:
        """The 12-digit account ID."""
        return self._account_id

    @property
    def clock(self) -> Clock:
        """The clock this account reads."""
        return self._clock

    @property
    def entropy(self) -> Entropy:
        """The randomness source this account draws IDs and secrets from."""
        return self._entropy

    def _now(self) -> Any:
        return self._clock.now().replace(microsecond=0)

    def snapshot(self) -> AccountSnapshot:
        """Return an immutable value of the whole account, comparable with ``==``.

        Taking a snapshot while nothing changed returns the same object.
        """
        with self._lock:
            return self._state.snapshot()

    def _run(self, operation: str, rule: Callable[..., R], kwargs: Mapping[str, Any]) -> R:
        arguments = validate_input(operation, kwargs)
        with self._lock:
            ctx = Context(self._account_id, self._now(), self._entropy, current_caller.get())
            result = rule(self._state, ctx, **arguments)
            if _READ_ONLY.match(operation) is None:
                self._state.version += 1
            return result

    # -- users -------------------------------------------------------------

    def create_user(self, **kwargs: Unpack[rq.CreateUserRequest]) -> CreateUserResponse:
        """Create a user (AWS CreateUser)."""
        return self._run("CreateUser", users.create_user, kwargs)

    def get_user(self, **kwargs: Unpack[rq.GetUserRequest]) -> GetUserResponse:
        """Describe a user, or the caller when no name is given (AWS GetUser)."""
        return self._run("GetUser", users.get_user, kwargs)

    def list_users(self, **kwargs: Unpack[rq.ListUsersRequest]) -> ListUsersResponse:
        """List users by path prefix, paged (AWS ListUsers)."""
        return self._run("ListUsers", users.list_users, kwargs)

    def update_user(self, **kwargs: Unpack[rq.UpdateUserRequest]) -> None:
        """Rename or move a user (AWS UpdateUser)."""
        return self._run("UpdateUser", users.update_user, kwargs)

    def delete_user(self, **kwargs: Unpack[rq.DeleteUserRequest]) -> None:
        """Delete a user that owns nothing any more (AWS DeleteUser)."""
        return self._run("DeleteUser", users.delete_user, kwargs)

    def tag_user(self, **kwargs: Unpack[rq.TagUserRequest]) -> None:
        """Add or replace user tags (AWS TagUser)."""
        return self._run("TagUser", users.tag_user, kwargs)

    def untag_user(self, **kwargs: Unpack[rq.UntagUserRequest]) -> None:
        """Remove user tags (AWS UntagUser)."""
        return self._run("UntagUser", users.untag_user, kwargs)

    def list_user_tags(self, **kwargs: Unpack[rq.ListUserTagsRequest]) -> ListUserTagsResponse:
        """List a user's tags sorted by key (AWS ListUserTags)."""
        return self._run("ListUserTags", users.list_user_tags, kwargs)

    # -- groups ------------------------------------------------------------

    def create_group(self, **kwargs: Unpack[rq.CreateGroupRequest]) -> CreateGroupResponse:
        """Create a group (AWS CreateGroup)."""
        return self._run("CreateGroup", groups.create_group, kwargs)

    def get_group(self, **kwargs: Unpack[rq.GetGroupRequest]) -> GetGroupResponse:
        """Describe a group and its members (AWS GetGroup)."""
        return self._run("GetGroup", groups.get_group, kwargs)

    def list_groups(self, **kwargs: Unpack[rq.ListGroupsRequest]) -> ListGroupsResponse:
        """List groups by path prefix, paged (AWS ListGroups)."""
        return self._run("ListGroups", groups.list_groups, kwargs)

    def update_group(self, **kwargs: Unpack[rq.UpdateGroupRequest]) -> None:
        """Rename or move a group (AWS UpdateGroup)."""
        return self._run("UpdateGroup", groups.update_group, kwargs)

    def delete_group(self, **kwargs: Unpack[rq.DeleteGroupRequest]) -> None:
        """Delete an empty group (AWS DeleteGroup)."""
        return self._run("DeleteGroup", groups.delete_group, kwargs)

    def add_user_to_group(self, **kwargs: Unpack[rq.AddUserToGroupRequest]) -> None:
        """Add a user to a group (AWS AddUserToGroup)."""
        return self._run("AddUserToGroup", groups.add_user_to_group, kwargs)

    def remove_user_from_group(self, **kwargs: Unpack[rq.RemoveUserFromGroupRequest]) -> None:
        """Remove a user from a group (AWS RemoveUserFromGroup)."""
        return self._run("RemoveUserFromGroup", groups.remove_user_from_group, kwargs)

    def list_groups_for_user(
        self, **kwargs: Unpack[rq.ListGroupsForUserRequest]
    ) -> ListGroupsForUserResponse:
        """List the groups a user belongs to (AWS ListGroupsForUser)."""
        return self._run("ListGroupsForUser", groups.list_groups_for_user, kwargs)

    # -- access keys (issue 3) -----------------------------------------------

    # -- login profiles and password policy (issue 3) ---------------------------

    # -- MFA devices (issue 3) ------------------------------------------------

    # -- SSH public keys and service-specific credentials (issue 3) ------------

    # -- managed and inline policies, permission boundaries (issue 4) ----------

    # -- policy simulation (issue 4) -------------------------------------------

    # -- credential report and signing certificates (issue 5) -------------------
