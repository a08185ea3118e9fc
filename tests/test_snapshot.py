"""Snapshots and determinism: immutable values, reproducible IDs, failed calls change nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import attrs
import pytest

from iamcore import Account, AccountSnapshot
from iamcore.errors import IamError
from iamcore.testing import FixedClock, seeded_entropy


def _build(account: Account) -> None:
    account.create_user(user_name="alice", path="/eng/", tags=[{"Key": "team", "Value": "a"}])
    account.create_user(user_name="bob")
    account.create_group(group_name="devs")
    account.add_user_to_group(group_name="devs", user_name="alice")
    account.update_user(user_name="bob", new_user_name="robert")
    account.tag_user(user_name="robert", tags=[{"Key": "k", "Value": "v"}])


def test_same_calls_same_snapshot() -> None:
    """Two accounts built by the same calls with FixedClock and the same seed are equal."""
    first = Account(clock=FixedClock(), entropy=seeded_entropy(42))
    second = Account(clock=FixedClock(), entropy=seeded_entropy(42))
    _build(first)
    _build(second)
    assert first.snapshot() == second.snapshot()
    ids_first = sorted(u.user_id for u in first.snapshot().users.values())
    ids_second = sorted(u.user_id for u in second.snapshot().users.values())
    assert ids_first == ids_second
    assert first.get_user(user_name="alice").user == second.get_user(user_name="alice").user
    assert hash(first.snapshot()) == hash(second.snapshot())


def test_different_seeds_differ() -> None:
    """A different seed gives different IDs, hence a different snapshot."""
    first = Account(clock=FixedClock(), entropy=seeded_entropy(1))
    second = Account(clock=FixedClock(), entropy=seeded_entropy(2))
    _build(first)
    _build(second)
    assert first.snapshot() != second.snapshot()


def test_different_times_differ() -> None:
    """The same calls at different times give different CreateDates, so unequal snapshots."""
    clock = FixedClock()
    first = Account(clock=clock, entropy=seeded_entropy(1))
    second = Account(clock=FixedClock(), entropy=seeded_entropy(1))
    clock.advance(timedelta(seconds=5))
    _build(first)
    _build(second)
    assert first.snapshot() != second.snapshot()


FAILING_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("create_user", {"user_name": "ALICE"}),
    ("create_user", {"user_name": "bad name!"}),
    ("create_user", {"user_name": "new", "tags": [{"Key": "aws:x", "Value": "v"}]}),
    ("create_user", {"user_name": "new", "tags": [{"Key": "k", "Value": "v"}] * 2}),
    ("create_user", {"user_name": 7}),
    ("get_user", {"user_name": "nobody"}),
    ("list_users", {"max_items": 0}),
    ("list_users", {"marker": "not-a-marker"}),
    ("update_user", {"user_name": "alice", "new_user_name": "ROBERT"}),
    ("update_user", {"user_name": "ghost", "new_user_name": "x"}),
    ("delete_user", {"user_name": "alice"}),
    ("delete_user", {"user_name": "ghost"}),
    ("create_group", {"group_name": "DEVS"}),
    ("update_group", {"group_name": "devs", "new_group_name": "Devs"}),
    ("delete_group", {"group_name": "devs"}),
    ("add_user_to_group", {"group_name": "devs", "user_name": "ghost"}),
    ("remove_user_from_group", {"group_name": "ghosts", "user_name": "robert"}),
    (
        "tag_user",
        {"user_name": "robert", "tags": [{"Key": f"n{i}", "Value": ""} for i in range(50)]},
    ),
    ("tag_user", {"user_name": "robert", "tags": []}),
    ("untag_user", {"user_name": "ghost", "tag_keys": ["k"]}),
    ("list_user_tags", {"user_name": "robert", "max_items": 1001}),
]


@pytest.mark.parametrize(("method", "kwargs"), FAILING_CALLS, ids=[c[0] for c in FAILING_CALLS])
def test_failed_call_changes_nothing(method: str, kwargs: dict[str, Any]) -> None:
    """A call that raises leaves snapshot() equal to before, and the very same object."""
    account = Account(clock=FixedClock(), entropy=seeded_entropy(3))
    _build(account)
    before = account.snapshot()
    call: Callable[..., Any] = getattr(account, method)
    with pytest.raises(IamError):
        call(**kwargs)
    after = account.snapshot()
    assert after is before
    assert after == before


def test_snapshot_is_reused_until_something_changes(account: Account) -> None:
    """Taking a snapshot while nothing changed returns the same object; reads change nothing."""
    account.create_user(user_name="u")
    first = account.snapshot()
    account.get_user(user_name="u")
    account.list_users()
    account.list_user_tags(user_name="u")
    assert account.snapshot() is first
    account.tag_user(user_name="u", tags=[{"Key": "k", "Value": "v"}])
    assert account.snapshot() is not first
    assert account.snapshot() != first


def test_snapshot_is_a_value(account: Account) -> None:
    """An old snapshot does not change when the account does."""
    account.create_user(user_name="u")
    old = account.snapshot()
    account.update_user(user_name="u", new_user_name="v")
    account.create_user(user_name="w")
    assert [user.user_name for user in old.users.values()] == ["u"]
    assert old.user_named("U") is not None
    assert old.user_named("v") is None
    assert account.snapshot().user_named("V") is not None


def test_snapshot_is_immutable(account: Account) -> None:
    """Snapshot tables are read-only mappings of frozen entities."""
    user = account.create_user(user_name="u").user
    account.create_group(group_name="g")
    account.add_user_to_group(group_name="g", user_name="u")
    snapshot = account.snapshot()
    assert isinstance(snapshot, AccountSnapshot)
    with pytest.raises(TypeError):
        snapshot.tables["users"] = {}  # type: ignore[index]
    with pytest.raises(TypeError):
        snapshot.users["AIDAFAKE"] = user  # type: ignore[index]
    with pytest.raises(TypeError):
        del snapshot.users[user.user_id]  # type: ignore[attr-defined]
    members = snapshot.tables["group_members"]
    (group_id,) = snapshot.groups
    with pytest.raises(TypeError):
        members[group_id]["AIDAFAKE"] = None
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        snapshot.users[user.user_id].user_name = "x"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        snapshot.account_id = "000000000000"  # type: ignore[misc]


def test_snapshot_contents(account: Account) -> None:
    """The snapshot holds users, groups and memberships by unique ID."""
    user = account.create_user(user_name="u").user
    group = account.create_group(group_name="g").group
    account.add_user_to_group(group_name="g", user_name="u")
    snapshot = account.snapshot()
    assert snapshot.account_id == "123456789012"
    assert snapshot.users == {user.user_id: user}
    assert snapshot.groups == {group.group_id: group}
    assert dict(snapshot.tables["group_members"][group.group_id]) == {user.user_id: None}


def test_snapshots_of_fresh_accounts_are_equal() -> None:
    """Two fresh accounts created at the same time have equal snapshots."""
    first = Account(clock=FixedClock(), entropy=seeded_entropy(0))
    second = Account(clock=FixedClock(), entropy=seeded_entropy(9))
    assert first.snapshot() == second.snapshot()
    other = Account("210987654321", clock=FixedClock())
    assert other.snapshot() != first.snapshot()


def test_fresh_snapshot_sees_what_the_cache_hides() -> None:
    """A call that raises changes nothing: the tests prove it with a snapshot rebuilt from the
    state, because the cached one is kept until a successful call and would hide a half-apply."""
    from tests.helpers import fresh_snapshot

    account = Account(clock=FixedClock(), entropy=seeded_entropy(1))
    account.create_user(user_name="alice")
    before = account.snapshot()
    user_id = account._state.user_ids["alice"]
    user = account._state.users[user_id]
    account._state.users[user_id] = attrs.evolve(user, path="/half/")  # as a buggy rule would
    assert account.snapshot() is before
    assert fresh_snapshot(account) != before
