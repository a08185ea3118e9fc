"""Groups and membership (aws-iam-rules.md §2.2, quotas §3)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamcore import Account
from iamcore.errors import (
    DeleteConflict,
    EntityAlreadyExists,
    LimitExceeded,
    NoSuchEntity,
    ValidationError,
)
from iamcore.rules import groups as group_rules
from iamcore.testing import FixedClock, seeded_entropy
from tests.helpers import fresh_snapshot

# -- CreateGroup / GetGroup / ListGroups ------------------------------------------------------


def test_create_group(account: Account, clock: FixedClock) -> None:
    """CreateGroup: AGPA ID, group ARN with path, path default '/'."""
    group = account.create_group(group_name="Developers").group
    assert group.group_id.startswith("AGPA")
    assert len(group.group_id) == 21
    assert group.arn == "arn:aws:iam::123456789012:group/Developers"
    assert group.path == "/"
    assert group.create_date == clock.now()
    nested = account.create_group(group_name="Admins", path="/eng/").group
    assert nested.arn == "arn:aws:iam::123456789012:group/eng/Admins"


@pytest.mark.parametrize("variant", ["admins", "ADMINS", "Admins"])
def test_group_names_unique_ignoring_case(account: Account, variant: str) -> None:
    """Group names are unique ignoring case: EntityAlreadyExists (409)."""
    account.create_group(group_name="Admins")
    before = account.snapshot()
    with pytest.raises(EntityAlreadyExists) as caught:
        account.create_group(group_name=variant)
    assert caught.value.http_status == 409
    assert account.snapshot() is before


def test_group_name_up_to_128(account: Account) -> None:
    """Group names are 1–128 characters."""
    account.create_group(group_name="g" * 128)
    with pytest.raises(ValidationError):
        account.create_group(group_name="g" * 129)


def test_group_quota_300(account: Account) -> None:
    """An account holds at most 300 groups: the 301st is LimitExceeded."""
    assert group_rules.MAX_GROUPS == 300
    for i in range(300):
        account.create_group(group_name=f"g{i}")
    before = account.snapshot()
    with pytest.raises(LimitExceeded) as caught:
        account.create_group(group_name="one-too-many")
    assert caught.value.message == "Cannot exceed quota for GroupsPerAccount: 300"
    assert account.snapshot() is before
    account.delete_group(group_name="g0")
    account.create_group(group_name="one-too-many")


def test_get_group_ignores_case(account: Account) -> None:
    """GetGroup finds the group by name ignoring case."""
    created = account.create_group(group_name="Ops").group
    result = account.get_group(group_name="OPS")
    assert result.group == created
    assert result.users == ()
    assert result.is_truncated is False
    assert result.marker is None


def test_get_missing_group(account: Account) -> None:
    """GetGroup for an unknown group is NoSuchEntity with AWS's message."""
    with pytest.raises(NoSuchEntity) as caught:
        account.get_group(group_name="nope")
    assert caught.value.message == "The group with name nope cannot be found."


def test_get_group_members_are_paginated(account: Account) -> None:
    """GetGroup pages its Users; Marker only while IsTruncated."""
    account.create_group(group_name="big")
    names = [f"user{i:02d}" for i in range(7)]
    for name in names:
        account.create_user(user_name=name, tags=[{"Key": "k", "Value": "v"}])
        account.add_user_to_group(group_name="big", user_name=name)
    seen: list[str] = []
    result = account.get_group(group_name="big", max_items=3)
    while True:
        assert (result.marker is not None) == result.is_truncated
        assert result.group.group_name == "big"
        seen += [u.user_name for u in result.users]
        assert all(u.tags == () for u in result.users)
        if not result.is_truncated:
            break
        assert result.marker is not None
        result = account.get_group(group_name="big", max_items=3, marker=result.marker)
    assert seen == names


def test_group_members_and_mfa_users_leave_out_password_last_used(
    account: Account, clock: FixedClock
) -> None:
    """User.PasswordLastUsed "is returned only in the GetUser and ListUsers operations"
    (botocore's model): a GetGroup member or a virtual MFA device's user carries none."""
    account.create_user(user_name="pat")
    account.create_group(group_name="g")
    account.add_user_to_group(group_name="g", user_name="pat")
    account.create_login_profile(user_name="pat", password="Initial-pass1!")
    assert account.console_sign_in(user_name="pat", password="Initial-pass1!").success
    device = account.create_virtual_mfa_device(virtual_mfa_device_name="pat-mfa")
    serial = device.virtual_mfa_device.serial_number
    account.enable_mfa_device(
        user_name="pat",
        serial_number=serial,
        authentication_code1=_totp(device, clock, 0),
        authentication_code2=_totp(device, clock, 30),
    )
    signed_in = clock.now()
    assert account.get_user(user_name="pat").user.password_last_used == signed_in
    assert account.list_users().users[0].password_last_used == signed_in
    member = account.get_group(group_name="g").users[0]
    assert (member.user_name, member.password_last_used) == ("pat", None)
    (listed,) = account.list_virtual_mfa_devices().virtual_mfa_devices
    assert listed.user is not None
    assert (listed.user.user_name, listed.user.password_last_used) == ("pat", None)


def _totp(device: object, clock: FixedClock, offset: int) -> str:
    import pyotp

    seed = device.virtual_mfa_device.base32_string_seed  # type: ignore[attr-defined]
    return str(pyotp.TOTP(seed).at(clock.now().timestamp() + offset))


def test_list_groups_path_prefix_and_pages(account: Account) -> None:
    """ListGroups filters by PathPrefix and pages with MaxItems/Marker."""
    for i in range(5):
        account.create_group(group_name=f"eng{i}", path="/eng/")
    account.create_group(group_name="sales", path="/sales/")
    result = account.list_groups(path_prefix="/eng/", max_items=2)
    seen = [g.group_name for g in result.groups]
    while result.is_truncated:
        assert result.marker is not None
        result = account.list_groups(path_prefix="/eng/", max_items=2, marker=result.marker)
        seen += [g.group_name for g in result.groups]
    assert result.marker is None
    assert seen == [f"eng{i}" for i in range(5)]
    assert [g.group_name for g in account.list_groups(path_prefix="/s").groups] == ["sales"]
    assert len(account.list_groups().groups) == 6


@settings(max_examples=30)
@given(count=st.integers(min_value=0, max_value=25), page=st.integers(min_value=1, max_value=8))
def test_list_groups_pages_cover_every_group_once(count: int, page: int) -> None:
    """Every group appears on exactly one page."""
    account = Account(clock=FixedClock(), entropy=seeded_entropy(2))
    for i in range(count):
        account.create_group(group_name=f"G{i}")
    seen: list[str] = []
    marker: str | None = None
    while True:
        result = (
            account.list_groups(max_items=page)
            if marker is None
            else account.list_groups(max_items=page, marker=marker)
        )
        assert len(result.groups) <= page
        seen += [g.group_name for g in result.groups]
        if not result.is_truncated:
            break
        marker = result.marker
    assert sorted(seen) == sorted(f"G{i}" for i in range(count))
    assert len(seen) == count


# -- UpdateGroup / DeleteGroup ------------------------------------------------------------------


def test_update_group_rename_keeps_members(account: Account) -> None:
    """UpdateGroup renames/moves a group; ID and members stay, ARN changes."""
    group = account.create_group(group_name="devs").group
    account.create_user(user_name="u")
    account.add_user_to_group(group_name="devs", user_name="u")
    account.update_group(group_name="DEVS", new_group_name="engineers", new_path="/eng/")
    renamed = account.get_group(group_name="engineers")
    assert renamed.group.group_id == group.group_id
    assert renamed.group.arn == "arn:aws:iam::123456789012:group/eng/engineers"
    assert [u.user_name for u in renamed.users] == ["u"]
    assert [g.group_name for g in account.list_groups_for_user(user_name="u").groups] == [
        "engineers"
    ]
    with pytest.raises(NoSuchEntity):
        account.get_group(group_name="devs")


@pytest.mark.parametrize("new_name", ["Other", "OTHER", "g", "G"])
def test_update_group_name_taken(account: Account, new_name: str) -> None:
    """Renaming a group onto a taken name (its own too, ignoring case): EntityAlreadyExists."""
    account.create_group(group_name="g")
    account.create_group(group_name="other")
    before = account.snapshot()
    with pytest.raises(EntityAlreadyExists):
        account.update_group(group_name="g", new_group_name=new_name)
    assert account.snapshot() is before


def test_update_missing_group(account: Account) -> None:
    """UpdateGroup for an unknown group is NoSuchEntity."""
    with pytest.raises(NoSuchEntity):
        account.update_group(group_name="nope", new_path="/x/")


def test_delete_group_with_members_conflicts(account: Account) -> None:
    """DeleteGroup is refused with DeleteConflict while the group has members."""
    account.create_group(group_name="g")
    account.create_user(user_name="u")
    account.add_user_to_group(group_name="g", user_name="u")
    before = account.snapshot()
    with pytest.raises(DeleteConflict) as caught:
        account.delete_group(group_name="g")
    assert caught.value.message == "Cannot delete entity, must remove users from group first."
    assert account.snapshot() is before
    account.remove_user_from_group(group_name="g", user_name="u")
    account.delete_group(group_name="g")
    with pytest.raises(NoSuchEntity):
        account.get_group(group_name="g")
    assert account.list_groups_for_user(user_name="u").groups == ()


def test_deleted_then_recreated_group_gets_a_new_id(account: Account) -> None:
    """A group deleted and created again under the same name is a new group."""
    first = account.create_group(group_name="g").group
    account.delete_group(group_name="g")
    assert account.create_group(group_name="g").group.group_id != first.group_id


def test_delete_missing_group(account: Account) -> None:
    """DeleteGroup for an unknown group is NoSuchEntity."""
    with pytest.raises(NoSuchEntity):
        account.delete_group(group_name="nope")


# -- membership ---------------------------------------------------------------------------------


def test_add_user_to_group_is_idempotent(account: Account) -> None:
    """Adding a member again succeeds and changes nothing."""
    account.create_group(group_name="g")
    account.create_user(user_name="u")
    account.add_user_to_group(group_name="g", user_name="u")
    after_first = account.snapshot()
    account.add_user_to_group(group_name="G", user_name="U")
    assert account.snapshot() == after_first
    assert [u.user_name for u in account.get_group(group_name="g").users] == ["u"]


def test_add_user_to_group_missing_entities(account: Account) -> None:
    """AddUserToGroup needs both the user and the group: NoSuchEntity otherwise."""
    account.create_group(group_name="g")
    account.create_user(user_name="u")
    with pytest.raises(NoSuchEntity, match="user with name ghost"):
        account.add_user_to_group(group_name="g", user_name="ghost")
    with pytest.raises(NoSuchEntity, match="group with name ghost"):
        account.add_user_to_group(group_name="ghost", user_name="u")


def test_ten_groups_per_user(account: Account) -> None:
    """A user belongs to at most 10 groups: the 11th is LimitExceeded."""
    account.create_user(user_name="joiner")
    for i in range(11):
        account.create_group(group_name=f"g{i:02d}")
    for i in range(10):
        account.add_user_to_group(group_name=f"g{i:02d}", user_name="joiner")
    before = account.snapshot()
    with pytest.raises(LimitExceeded) as caught:
        account.add_user_to_group(group_name="g10", user_name="joiner")
    assert caught.value.message == "Cannot exceed quota for GroupsPerUser: 10"
    assert caught.value.http_status == 409
    assert account.snapshot() is before
    account.add_user_to_group(group_name="g09", user_name="joiner")  # re-adding is fine
    account.remove_user_from_group(group_name="g00", user_name="joiner")
    account.add_user_to_group(group_name="g10", user_name="joiner")
    assert len(account.list_groups_for_user(user_name="joiner").groups) == 10


def test_remove_user_from_group(account: Account) -> None:
    """RemoveUserFromGroup removes the membership; a non-member is a no-op (as AWS)."""
    account.create_group(group_name="g")
    account.create_user(user_name="u")
    account.add_user_to_group(group_name="g", user_name="u")
    account.remove_user_from_group(group_name="G", user_name="U")
    assert account.get_group(group_name="g").users == ()
    before = account.snapshot()
    with pytest.raises(NoSuchEntity):
        account.remove_user_from_group(group_name="g", user_name="ghost")
    with pytest.raises(NoSuchEntity):
        account.remove_user_from_group(group_name="ghost", user_name="u")
    assert account.snapshot() is before
    account.remove_user_from_group(group_name="g", user_name="u")
    assert fresh_snapshot(account) == before


def test_list_groups_for_user(account: Account) -> None:
    """ListGroupsForUser returns full Group objects, paged."""
    account.create_user(user_name="u")
    created = []
    for i in range(5):
        created.append(account.create_group(group_name=f"g{i}", path="/p/").group)
        account.add_user_to_group(group_name=f"g{i}", user_name="u")
    first = account.list_groups_for_user(user_name="U", max_items=3)
    assert first.is_truncated is True
    assert first.marker is not None
    second = account.list_groups_for_user(user_name="u", max_items=3, marker=first.marker)
    assert second.is_truncated is False
    assert second.marker is None
    assert list(first.groups + second.groups) == created


def test_list_groups_for_missing_user(account: Account) -> None:
    """ListGroupsForUser for an unknown user is NoSuchEntity."""
    with pytest.raises(NoSuchEntity):
        account.list_groups_for_user(user_name="ghost")


def test_membership_is_by_entity_not_name(account: Account) -> None:
    """A recreated user with an old member's name is not a member."""
    account.create_group(group_name="g")
    account.create_user(user_name="u")
    account.add_user_to_group(group_name="g", user_name="u")
    account.remove_user_from_group(group_name="g", user_name="u")
    account.delete_user(user_name="u")
    account.create_user(user_name="u")
    assert account.get_group(group_name="g").users == ()
    assert account.list_groups_for_user(user_name="u").groups == ()
