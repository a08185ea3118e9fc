"""Saving and loading accounts: exact round trips, redacted secrets, a crash-safe file."""

from __future__ import annotations

import json
import pathlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamcore import Account
from iamcore.persistence import StateFile, StateFileError, dumps, from_dict, loads, to_dict
from iamcore.testing import FixedClock, seeded_entropy


def _populated() -> Account:
    account = Account("210987654321", clock=FixedClock(), entropy=seeded_entropy(5))
    account.create_user(user_name="alice", path="/eng/", tags=[{"Key": "team", "Value": "a"}])
    account.create_user(user_name="Bob")
    account.create_group(group_name="devs", path="/eng/")
    account.add_user_to_group(group_name="devs", user_name="alice")
    return account


def test_round_trip_is_exact() -> None:
    """A loaded account has a snapshot equal to the saved one."""
    account = _populated()
    assert account.snapshot() == loads(dumps(account, include_secrets=True)).snapshot()


def test_loaded_account_keeps_working() -> None:
    """Indexes survive the round trip: lookups ignore case and new names stay unique."""
    loaded = loads(dumps(_populated()))
    assert loaded.get_user(user_name="ALICE").user.path == "/eng/"
    assert [g.group_name for g in loaded.list_groups_for_user(user_name="alice").groups] == [
        "devs"
    ]
    with pytest.raises(Exception, match="already exists"):
        loaded.create_user(user_name="bob")
    loaded.create_user(user_name="carol")
    assert [u.user_name for u in loaded.list_users().users] == ["alice", "Bob", "carol"]


def test_document_is_versioned_json() -> None:
    """The format is named and versioned so future readers can refuse unknown versions."""
    data = to_dict(_populated())
    assert data["format"] == "iamcore-account/1"
    json.dumps(data)  # JSON-able as is
    data["format"] = "iamcore-account/999"
    with pytest.raises(StateFileError):
        from_dict(data)


@settings(max_examples=30)
@given(cut=st.integers(min_value=0, max_value=10_000))
def test_truncated_text_is_refused(cut: int) -> None:
    """A truncated state is refused with StateFileError, never loaded half-way."""
    text = dumps(_populated())
    cut = cut % (len(text) - 2)
    with pytest.raises(StateFileError):
        loads(text[:cut])


def test_altered_text_is_refused() -> None:
    """A payload that does not match its checksum is refused."""
    text = dumps(_populated()).replace('"alice"', '"alicf"')
    with pytest.raises(StateFileError, match="checksum"):
        loads(text)


def test_state_file_edit_saves_only_changes(tmp_path: pathlib.Path) -> None:
    """StateFile.edit writes atomically and only when the account changed."""
    store = StateFile(tmp_path / "state.json")
    with store.edit() as account:
        account.create_user(user_name="alice")
    first = (tmp_path / "state.json").stat().st_mtime_ns
    with store.edit() as account:
        account.list_users()
    assert (tmp_path / "state.json").stat().st_mtime_ns == first
    assert [u.user_name for u in store.load().list_users().users] == ["alice"]
    assert not list(tmp_path.glob("*.tmp"))


def test_state_file_refuses_corrupt_file(tmp_path: pathlib.Path) -> None:
    """A corrupt state file is reported, not silently replaced by an empty account."""
    path = tmp_path / "state.json"
    path.write_text("{not json")
    with pytest.raises(StateFileError):
        StateFile(path).load()
