"""What several rule families share: name tables, owned items, delete checks, statuses.

AWS facts modelled here (aws-iam-rules.md §1–§3):

- IAM names are unique in the account ignoring case and keep their case, so
  each named table (users, groups) has a lower-case name → unique ID dict and
  a sorted index of the lower-case names, which gives ListUsers and
  ListGroups their name order;
- renaming (UpdateUser, UpdateGroup) keeps the unique ID: only the name
  entries move;
- deleting is never a cascade: DeleteUser and DeleteGroup are refused with
  ``DeleteConflict: Cannot delete entity, must ... first.`` while anything
  still belongs to the entity, the first check in order deciding the text;
- SSH public keys and service-specific credentials can be set Active or
  Inactive only: the model's ``statusType`` also lists ``Expired``, which
  iamcore refuses with InvalidInput (AWS's answer is undocumented).

Tables that map an owner (a user, group or policy) to the IDs of what it
owns keep no entry for an owner that owns nothing (:func:`discard`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol, TypeVar

from iamcore.errors import DeleteConflict, InvalidInput, NoSuchEntity
from iamcore.paging import SortedIndex, page
from iamcore.state import AccountState

__all__ = [
    "ACTIVE",
    "INACTIVE",
    "DeleteCheck",
    "DeleteChecks",
    "add_delete_check",
    "add_name",
    "check_settable_status",
    "count_boundary",
    "discard",
    "page_by_path",
    "refuse_delete",
    "remove_name",
    "rename",
    "require_owned",
]

#: ``has_any(state, entity_id)``: whether something that must go first still belongs
#: to the entity.
DeleteCheck = Callable[[AccountState, str], bool]
#: ``(order, what must go first, has_any)``, kept sorted by ``order``.
DeleteChecks = list[tuple[int, str, DeleteCheck]]


class _Pathed(Protocol):
    @property
    def path(self) -> str: ...


class _Owned(Protocol):
    @property
    def user_id(self) -> str: ...


E = TypeVar("E", bound=_Pathed)
T = TypeVar("T", bound=_Owned)
V = TypeVar("V")

ACTIVE = "Active"
INACTIVE = "Inactive"


def add_delete_check(checks: DeleteChecks, order: int, what: str, has_any: DeleteCheck) -> None:
    """Add a check to ``checks``, keeping them in ``order``."""
    checks.append((order, what, has_any))
    checks.sort(key=lambda check: check[0])


def refuse_delete(checks: DeleteChecks, state: AccountState, entity_id: str) -> None:
    """Raise DeleteConflict ``Cannot delete entity, must {what} first.`` for the first
    check, in order, that finds something still belonging to the entity."""
    for _, what, has_any in checks:
        if has_any(state, entity_id):
            raise DeleteConflict(f"Cannot delete entity, must {what} first.")


def add_name(names: dict[str, str], index: SortedIndex, name: str, entity_id: str) -> None:
    """Record a new entity's name (the caller checked it is free ignoring case)."""
    names[name.lower()] = entity_id
    index.add(name.lower())


def remove_name(names: dict[str, str], index: SortedIndex, name: str) -> None:
    """Forget a deleted entity's name."""
    del names[name.lower()]
    index.remove(name.lower())


def rename(
    names: dict[str, str], index: SortedIndex, old_name: str, new_name: str, entity_id: str
) -> None:
    """Move the name entries of a renamed entity; its unique ID stays."""
    if new_name != old_name:
        remove_name(names, index, old_name)
        add_name(names, index, new_name, entity_id)


def discard(table: dict[str, dict[str, V]], owner_id: str, item_id: str) -> None:
    """Remove ``item_id`` (present) from what ``owner_id`` owns, and the owner's entry
    once it owns nothing."""
    owned = table[owner_id]
    del owned[item_id]
    if not owned:
        del table[owner_id]


def require_owned(table: Mapping[str, T], item_id: str, user_id: str, not_found: str) -> T:
    """The item ``item_id`` of ``table`` if it belongs to the user.  An unknown ID and
    another user's item are answered alike, NoSuchEntity ``not_found`` (GetSSHPublicKey,
    ResetServiceSpecificCredential, …)."""
    item = table.get(item_id)
    if item is None or item.user_id != user_id:
        raise NoSuchEntity(not_found)
    return item


def check_settable_status(status: str, what: str) -> None:
    """UpdateSSHPublicKey, UpdateServiceSpecificCredential: only Active or Inactive can be
    set on ``what`` (``an SSH public key``, …); anything else (``Expired``) is InvalidInput."""
    if status not in (ACTIVE, INACTIVE):
        raise InvalidInput(f"Status {status} cannot be set on {what}: use Active or Inactive.")


def page_by_path(
    table: Mapping[str, E],
    names: Mapping[str, str],
    index: SortedIndex,
    path_prefix: str,
    marker: str | None,
    max_items: int | None,
) -> tuple[list[E], bool, str | None]:
    """ListUsers/ListGroups: the entities whose path starts with PathPrefix, by name, paged."""

    def lookup(key: str) -> E | None:
        entity = table[names[key]]
        return entity if entity.path.startswith(path_prefix) else None

    return page(index.keys, lookup, marker, max_items)


def count_boundary(state: AccountState, policy_arn: str | None, delta: int) -> None:
    """Keep ``state.boundary_counts`` (PermissionsBoundaryUsageCount) as a boundary is
    set (``delta=1``) or removed (``delta=-1``); ``None`` (no boundary) is ignored."""
    if policy_arn is None:
        return
    count = state.boundary_counts.get(policy_arn, 0) + delta
    if count:
        state.boundary_counts[policy_arn] = count
    else:
        state.boundary_counts.pop(policy_arn, None)
