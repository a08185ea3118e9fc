"""The mutable inside of an :class:`~iamcore.Account` and its immutable snapshot.

Entities are frozen; the state is a set of dictionaries of them, keyed by
the entity's unique ID (which survives renames, AWS "IAM identifiers"), plus
case-insensitive name indexes, because IAM names are unique ignoring case.
Only the rules in :mod:`iamcore.rules` change it, under the account's lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

import attrs

from iamcore.entities import Group, User
from iamcore.ids import Entropy
from iamcore.paging import SortedIndex

__all__ = ["AccountSnapshot", "AccountState", "Context"]


@attrs.frozen
class Context:
    """What a rule needs besides the state: the account, the time and randomness."""

    account_id: str
    now: datetime
    entropy: Entropy
    #: the user ID of the IAM user making the call, or ``None`` for the root
    #: user / an administrator (native calls, and mock calls not signed with
    #: one of the account's access keys)
    caller: str | None = None


def _freeze(value: object) -> object:
    if isinstance(value, dict):
        return MappingProxyType({key: _freeze(item) for key, item in value.items()})
    if isinstance(value, list | set):
        return tuple(_freeze(item) for item in value)
    return value


@attrs.frozen(hash=False)
class AccountSnapshot:
    """An immutable value of a whole account, comparable with ``==``.

    ``tables`` maps each state table name (``users``, ``groups``,
    ``group_members``, …) to a read-only mapping of frozen entities, keyed by
    unique ID.  Two accounts built by the same calls with the same clock and
    entropy have equal snapshots.
    """

    account_id: str
    created: datetime
    tables: Mapping[str, Any]

    @property
    def users(self) -> Mapping[str, User]:
        """Users by user ID."""
        users: Mapping[str, User] = self.tables["users"]
        return users

    @property
    def groups(self) -> Mapping[str, Group]:
        """Groups by group ID."""
        groups: Mapping[str, Group] = self.tables["groups"]
        return groups

    def user_named(self, name: str) -> User | None:
        """Return the user called ``name`` (ignoring case), if any."""
        lowered = name.lower()
        return next((u for u in self.users.values() if u.user_name.lower() == lowered), None)

    def __hash__(self) -> int:
        return hash((self.account_id, self.created, tuple(self.tables)))


class AccountState:
    """Every table of one account.  Not thread-safe by itself: the Account locks."""

    #: tables copied into snapshots; each family adds its own
    TABLES: tuple[str, ...] = ("users", "groups", "group_members")

    def __init__(self, account_id: str, created: datetime) -> None:
        self.account_id = account_id
        self.created = created
        self.version = 0
        self.users: dict[str, User] = {}
        self.user_ids: dict[str, str] = {}  # lower-case name -> user ID
        self.user_index = SortedIndex()  # lower-case names, for ListUsers order
        self.groups: dict[str, Group] = {}
        self.group_ids: dict[str, str] = {}
        self.group_index = SortedIndex()
        self.group_members: dict[str, dict[str, None]] = {}  # group ID -> user IDs
        self.user_groups: dict[str, dict[str, None]] = {}  # user ID -> group IDs
        self._snapshot: AccountSnapshot | None = None
        self._snapshot_version = -1

    def snapshot(self) -> AccountSnapshot:
        """Return an immutable copy; reused while nothing has changed."""
        if self._snapshot is None or self._snapshot_version != self.version:
            tables = {name: _freeze(getattr(self, name)) for name in self.TABLES}
            self._snapshot = AccountSnapshot(
                self.account_id, self.created, MappingProxyType(tables)
            )
            self._snapshot_version = self.version
        return self._snapshot
