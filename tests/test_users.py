"""Users: CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser (aws-iam-rules.md §2.1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamcore import Account, User
from iamcore.errors import (
    DeleteConflict,
    EntityAlreadyExists,
    IamError,
    LimitExceeded,
    NoSuchEntity,
    ValidationError,
)
from iamcore.rules import users as user_rules
from iamcore.testing import FixedClock, seeded_entropy
from tests.helpers import fresh_snapshot, pages

# -- CreateUser --------------------------------------------------------------------------------


def test_create_user_defaults(account: Account, clock: FixedClock) -> None:
    """CreateUser: path defaults to '/', AIDA ID, user ARN, CreateDate now."""
    user = account.create_user(user_name="Bob").user
    assert user.path == "/"
    assert user.user_name == "Bob"
    assert user.user_id.startswith("AIDA")
    assert len(user.user_id) == 21
    assert user.arn == "arn:aws:iam::123456789012:user/Bob"
    assert user.create_date == clock.now()
    assert user.create_date.tzinfo is not None
    assert user.tags == ()
    assert user.permissions_boundary is None
    assert user.password_last_used is None


def test_create_user_with_path_and_tags(account: Account) -> None:
    """CreateUser: the path is part of the ARN; Tags are stored on the user."""
    user = account.create_user(
        user_name="JaneDoe",
        path="/division_abc/subdivision_xyz/",
        tags=[{"Key": "Dept", "Value": "Eng"}],
    ).user
    assert user.arn == "arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/JaneDoe"
    assert [(t.key, t.value) for t in user.tags] == [("Dept", "Eng")]
    assert account.get_user(user_name="JaneDoe").user == user


def test_create_date_is_whole_seconds() -> None:
    """IAM reports timestamps to the second."""
    clock = FixedClock(datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=UTC))
    account = Account(clock=clock)
    assert account.create_user(user_name="u").user.create_date == datetime(
        2026, 3, 4, 5, 6, 7, tzinfo=UTC
    )


@pytest.mark.parametrize("variant", ["bob", "BOB", "Bob", "bOb"])
def test_create_user_unique_ignoring_case(account: Account, variant: str) -> None:
    """User names are unique ignoring case: EntityAlreadyExists (409), original case kept."""
    account.create_user(user_name="Bob")
    before = account.snapshot()
    with pytest.raises(EntityAlreadyExists) as caught:
        account.create_user(user_name=variant)
    assert caught.value.http_status == 409
    assert caught.value.message == f"User with name {variant} already exists."
    assert account.snapshot() is before
    assert [u.user_name for u in account.list_users().users] == ["Bob"]


def test_user_quota(account: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    """At the account's user quota (5,000) CreateUser is LimitExceeded."""
    assert user_rules.MAX_USERS == 5000
    monkeypatch.setattr(user_rules, "MAX_USERS", 3)
    for i in range(3):
        account.create_user(user_name=f"u{i}")
    before = account.snapshot()
    with pytest.raises(LimitExceeded) as caught:
        account.create_user(user_name="u3")
    assert caught.value.message == "Cannot exceed quota for UsersPerAccount: 3"
    assert account.snapshot() is before
    account.delete_user(user_name="u0")
    account.create_user(user_name="u3")


def test_duplicate_name_is_reported_before_the_quota(
    account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full account still says EntityAlreadyExists for a taken name (uniqueness first)."""
    monkeypatch.setattr(user_rules, "MAX_USERS", 1)
    account.create_user(user_name="a")
    with pytest.raises(EntityAlreadyExists):
        account.create_user(user_name="A")


@pytest.mark.parametrize(
    "boundary",
    [
        "arn:aws:iam::123456789012:policy/NoSuchBoundaryPolicy",
        "arn:aws:iam::123456789012:policy/eng/AlsoMissing",
    ],
)
def test_permissions_boundary_is_never_silently_dropped(account: Account, boundary: str) -> None:
    """CreateUser with a PermissionsBoundary either sets it or refuses; it never ignores it.

    A boundary naming a policy that does not exist is refused (NoSuchEntity or
    InvalidInput, both in the model's error list) and no user is created.
    """
    before = account.snapshot()
    with pytest.raises(IamError) as caught:
        account.create_user(user_name="bounded", permissions_boundary=boundary)
    assert caught.value.code in {"NoSuchEntity", "InvalidInput"}
    assert fresh_snapshot(account) == before
    with pytest.raises(NoSuchEntity):
        account.get_user(user_name="bounded")


def test_permissions_boundary_kept_when_accepted(account: Account) -> None:
    """If iamcore accepts a boundary (policy family present), GetUser reports it."""
    boundary = "arn:aws:iam::aws:policy/AdministratorAccess"
    refused: IamError | None = None
    try:
        created = account.create_user(user_name="bounded", permissions_boundary=boundary).user
    except IamError as error:
        refused = error
    if refused is not None:
        assert refused.code in {"NoSuchEntity", "InvalidInput", "PolicyNotAttachable"}
        with pytest.raises(NoSuchEntity):
            account.get_user(user_name="bounded")
        return
    fetched = account.get_user(user_name="bounded").user
    assert created.permissions_boundary is not None
    assert fetched.permissions_boundary == created.permissions_boundary
    assert fetched.permissions_boundary.permissions_boundary_arn == boundary
    assert fetched.permissions_boundary.permissions_boundary_type == "Policy"
    (listed,) = account.list_users().users
    assert listed.permissions_boundary is None  # ListUsers leaves the boundary out


# -- GetUser -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lookup", ["Alice", "alice", "ALICE", "aLiCe"])
def test_get_user_ignores_case(account: Account, lookup: str) -> None:
    """GetUser finds a user by name ignoring case and returns the stored case."""
    created = account.create_user(user_name="Alice").user
    assert account.get_user(user_name=lookup).user == created


def test_get_user_missing(account: Account) -> None:
    """GetUser for an unknown name is NoSuchEntity (404) with AWS's message."""
    with pytest.raises(NoSuchEntity) as caught:
        account.get_user(user_name="nobody")
    assert caught.value.http_status == 404
    assert caught.value.message == "The user with name nobody cannot be found."


def test_existing_user_name_up_to_128(account: Account) -> None:
    """Existing-user parameters take up to 128 characters; a 65–128 name is NoSuchEntity."""
    with pytest.raises(NoSuchEntity):
        account.get_user(user_name="x" * 128)
    with pytest.raises(NoSuchEntity):
        account.delete_user(user_name="x" * 65)
    with pytest.raises(ValidationError):
        account.get_user(user_name="x" * 129)
    with pytest.raises(ValidationError):
        account.create_user(user_name="x" * 65)
    assert account.create_user(user_name="x" * 64).user.user_name == "x" * 64


def test_get_user_returns_tags(account: Account) -> None:
    """GetUser includes the user's Tags (ListUsers does not)."""
    account.create_user(user_name="t", tags=[{"Key": "k", "Value": "v"}])
    assert [(t.key, t.value) for t in account.get_user(user_name="t").user.tags] == [("k", "v")]


def test_get_user_without_name_describes_the_root_user(account: Account) -> None:
    """GetUser without UserName describes the caller; natively that is the root user."""
    root = account.get_user().user
    assert root.user_id == "123456789012"
    assert root.arn == "arn:aws:iam::123456789012:root"


# -- ListUsers ---------------------------------------------------------------------------------


def test_list_users_empty(account: Account) -> None:
    """An empty account lists no users, not an error."""
    result = account.list_users()
    assert result.users == ()
    assert result.is_truncated is False
    assert result.marker is None


def test_list_users_path_prefix(account: Account) -> None:
    """ListUsers returns the users whose path starts with PathPrefix (default '/': all)."""
    account.create_user(user_name="root-level")
    account.create_user(user_name="backend", path="/engineering/backend/")
    account.create_user(user_name="frontend", path="/engineering/frontend/")
    account.create_user(user_name="sales", path="/sales/")

    def names(**kwargs: str) -> list[str]:
        return sorted(u.user_name for u in account.list_users(**kwargs).users)  # type: ignore[arg-type]

    assert names() == ["backend", "frontend", "root-level", "sales"]
    assert names(path_prefix="/") == ["backend", "frontend", "root-level", "sales"]
    assert names(path_prefix="/engineering/") == ["backend", "frontend"]
    assert names(path_prefix="/engineering/back") == ["backend"]
    assert names(path_prefix="/eng") == ["backend", "frontend"]
    assert names(path_prefix="/nothing/") == []


def test_list_users_omits_tags_and_boundary(account: Account) -> None:
    """ListUsers items leave out Tags and PermissionsBoundary (use GetUser for those)."""
    account.create_user(user_name="t", tags=[{"Key": "k", "Value": "v"}])
    (listed,) = account.list_users().users
    assert listed.tags == ()
    assert listed.permissions_boundary is None
    full = account.get_user(user_name="t").user
    assert (listed.user_id, listed.arn, listed.create_date) == (
        full.user_id,
        full.arn,
        full.create_date,
    )


def test_list_users_default_page_is_100(account: Account) -> None:
    """MaxItems defaults to 100; Marker is present only when IsTruncated."""
    for i in range(101):
        account.create_user(user_name=f"user{i:03d}")
    first = account.list_users()
    assert len(first.users) == 100
    assert first.is_truncated is True
    assert first.marker is not None
    second = account.list_users(marker=first.marker)
    assert [u.user_name for u in second.users] == ["user100"]
    assert second.is_truncated is False
    assert second.marker is None


def test_list_users_exact_fit_is_not_truncated(account: Account) -> None:
    """A page that holds the last user is not truncated and has no Marker."""
    for i in range(3):
        account.create_user(user_name=f"u{i}")
    result = account.list_users(max_items=3)
    assert len(result.users) == 3
    assert result.is_truncated is False
    assert result.marker is None


def test_list_users_order_is_case_insensitive_by_name(account: Account) -> None:
    """iamcore lists users in case-insensitive name order (AWS leaves order undocumented)."""
    for name in ["bob", "Alice", "carol", "BETTY"]:
        account.create_user(user_name=name)
    assert [u.user_name for u in account.list_users().users] == ["Alice", "BETTY", "bob", "carol"]


def _all_pages(account: Account, page_size: int, path_prefix: str = "/") -> list[list[str]]:
    found = pages(account.list_users, "users", max_items=page_size, path_prefix=path_prefix)
    return [[u.user_name for u in page] for page in found]


@settings(max_examples=40)
@given(
    names=st.sets(st.from_regex(r"[a-zA-Z0-9_]{1,8}", fullmatch=True), max_size=30).map(
        lambda found: sorted({n.lower(): n for n in found}.values())
    ),
    page_size=st.integers(min_value=1, max_value=12),
    in_path=st.data(),
)
def test_pages_cover_every_user_once(
    names: list[str], page_size: int, in_path: st.DataObject
) -> None:
    """Following Marker while IsTruncated visits every matching user exactly once."""
    account = Account(clock=FixedClock(), entropy=seeded_entropy(1))
    paths = {}
    for name in names:
        path = in_path.draw(st.sampled_from(["/", "/a/", "/b/"]))
        paths[name] = path
        account.create_user(user_name=name, path=path)
    found = _all_pages(account, page_size)
    listed = [name for page in found for name in page]
    assert sorted(listed) == sorted(names)
    assert len(listed) == len(set(listed))
    assert all(1 <= len(page) <= page_size for page in found) or listed == []
    in_a = [name for page in _all_pages(account, page_size, "/a/") for name in page]
    assert sorted(in_a) == sorted(n for n in names if paths[n] == "/a/")


def test_paging_survives_changes_between_pages(account: Account) -> None:
    """A marker stays valid when users are added or deleted between pages: none repeats."""
    for i in range(10):
        account.create_user(user_name=f"u{i}")
    first = account.list_users(max_items=4)
    assert [u.user_name for u in first.users] == ["u0", "u1", "u2", "u3"]
    assert first.marker is not None
    account.delete_user(user_name="u5")
    account.create_user(user_name="u55")
    account.delete_user(user_name="u3")  # the marker's own user
    rest = account.list_users(marker=first.marker)
    assert [u.user_name for u in rest.users] == ["u4", "u55", "u6", "u7", "u8", "u9"]


def test_list_users_bad_marker(account: Account) -> None:
    """A marker iamcore did not issue is refused (ValidationError "Invalid Marker.", as AWS)."""
    account.create_user(user_name="u")
    for marker in ("not-a-marker", "!!!!", "!AAAAAAAAAAAA", "!" + "A" * 11 + "!" + "dQ=="):
        for prefix in ("/", "/a/"):  # the name index and the path index
            with pytest.raises(IamError) as caught:
                account.list_users(marker=marker, path_prefix=prefix)
            assert caught.value.code == "ValidationError"
            assert caught.value.message == "Invalid Marker."


# -- UpdateUser --------------------------------------------------------------------------------


def test_update_user_rename_keeps_id_groups_and_tags(account: Account) -> None:
    """UpdateUser rename: same UserId, new ARN; tags and group memberships follow the user."""
    created = account.create_user(
        user_name="backend-dev", tags=[{"Key": "team", "Value": "core"}]
    ).user
    account.create_group(group_name="devs")
    account.add_user_to_group(group_name="devs", user_name="backend-dev")

    account.update_user(user_name="backend-dev", new_user_name="backend-lead")

    renamed = account.get_user(user_name="backend-lead").user
    assert renamed.user_id == created.user_id
    assert renamed.arn == "arn:aws:iam::123456789012:user/backend-lead"
    assert renamed.create_date == created.create_date
    assert renamed.tags == created.tags
    assert [u.user_name for u in account.get_group(group_name="devs").users] == ["backend-lead"]
    groups = account.list_groups_for_user(user_name="backend-lead").groups
    assert [g.group_name for g in groups] == ["devs"]
    tags = account.list_user_tags(user_name="backend-lead").tags
    assert [(t.key, t.value) for t in tags] == [("team", "core")]
    with pytest.raises(NoSuchEntity):
        account.get_user(user_name="backend-dev")
    with pytest.raises(NoSuchEntity):
        account.list_groups_for_user(user_name="backend-dev")
    assert account.create_user(user_name="backend-dev").user.user_id != created.user_id


def test_update_user_new_path(account: Account) -> None:
    """UpdateUser NewPath moves the user: path and ARN change, name and ID do not."""
    created = account.create_user(user_name="mover").user
    account.update_user(user_name="MOVER", new_path="/eng/")
    moved = account.get_user(user_name="mover").user
    assert (moved.path, moved.arn) == ("/eng/", "arn:aws:iam::123456789012:user/eng/mover")
    assert moved.user_id == created.user_id
    assert [u.user_name for u in account.list_users(path_prefix="/eng/").users] == ["mover"]


def test_update_user_name_and_path_together(account: Account) -> None:
    """UpdateUser may change the name and the path in one call."""
    account.create_user(user_name="a", path="/x/")
    account.update_user(user_name="a", new_user_name="b", new_path="/y/")
    assert account.get_user(user_name="b").user.arn == "arn:aws:iam::123456789012:user/y/b"


@pytest.mark.parametrize("new_name", ["Shira", "SHIRA", "shira"])
def test_update_user_to_case_variant_of_itself(account: Account, new_name: str) -> None:
    """Renaming a user to (a case variant of) its own name is EntityAlreadyExists."""
    account.create_user(user_name="shira")
    before = account.snapshot()
    with pytest.raises(EntityAlreadyExists):
        account.update_user(user_name="shira", new_user_name=new_name)
    assert account.snapshot() is before


def test_update_user_to_existing_name(account: Account) -> None:
    """Renaming a user onto another user's name (ignoring case) is EntityAlreadyExists."""
    account.create_user(user_name="one")
    account.create_user(user_name="two")
    before = account.snapshot()
    with pytest.raises(EntityAlreadyExists):
        account.update_user(user_name="one", new_user_name="TWO")
    assert account.snapshot() is before


def test_update_missing_user(account: Account) -> None:
    """UpdateUser for an unknown user is NoSuchEntity."""
    with pytest.raises(NoSuchEntity, match="The user with name ghost cannot be found"):
        account.update_user(user_name="ghost", new_user_name="spirit")


def test_update_user_new_name_is_a_new_user_name(account: Account) -> None:
    """NewUserName follows the create rules (1–64, pattern)."""
    account.create_user(user_name="u")
    with pytest.raises(ValidationError, match="newUserName"):
        account.update_user(user_name="u", new_user_name="x" * 65)
    with pytest.raises(ValidationError, match="newUserName"):
        account.update_user(user_name="u", new_user_name="no spaces")


def test_update_user_keeps_listing_order(account: Account) -> None:
    """After a rename the user is listed under its new name, once."""
    for name in ["a", "m", "z"]:
        account.create_user(user_name=name)
    account.update_user(user_name="a", new_user_name="n")
    assert [u.user_name for u in account.list_users().users] == ["m", "n", "z"]


# -- DeleteUser --------------------------------------------------------------------------------


def test_delete_user(account: Account) -> None:
    """DeleteUser removes the user; a deleted-then-recreated user gets a new ID."""
    first = account.create_user(user_name="temp").user
    account.delete_user(user_name="TEMP")
    with pytest.raises(NoSuchEntity):
        account.get_user(user_name="temp")
    assert account.list_users().users == ()
    second = account.create_user(user_name="temp").user
    assert second.user_id != first.user_id


def test_delete_user_in_a_group_conflicts(account: Account) -> None:
    """DeleteUser is refused with DeleteConflict (409) while the user is in a group."""
    account.create_user(user_name="member")
    account.create_group(group_name="g")
    account.add_user_to_group(group_name="g", user_name="member")
    before = account.snapshot()
    with pytest.raises(DeleteConflict) as caught:
        account.delete_user(user_name="member")
    assert caught.value.http_status == 409
    assert caught.value.message == "Cannot delete entity, must remove user from all groups first."
    assert account.snapshot() is before
    account.remove_user_from_group(group_name="g", user_name="member")
    account.delete_user(user_name="member")
    assert account.get_group(group_name="g").users == ()


def test_delete_missing_user(account: Account) -> None:
    """DeleteUser for an unknown user is NoSuchEntity."""
    with pytest.raises(NoSuchEntity):
        account.delete_user(user_name="ghost")


def test_delete_user_with_tags_is_allowed(account: Account) -> None:
    """Tags do not block DeleteUser (they are not on the delete-user checklist)."""
    account.create_user(user_name="tagged", tags=[{"Key": "k", "Value": "v"}])
    account.delete_user(user_name="tagged")
    assert account.list_users().users == ()


def test_users_are_values(account: Account) -> None:
    """Returned users are frozen values, detached from the account."""
    user = account.create_user(user_name="frozen").user
    assert isinstance(user, User)
    with pytest.raises(AttributeError):
        user.user_name = "thawed"  # type: ignore[misc]
    account.update_user(user_name="frozen", new_user_name="thawed")
    assert user.user_name == "frozen"


def test_clock_moves_create_dates(account: Account, clock: FixedClock) -> None:
    """CreateDate is the clock's time at the call."""
    first = account.create_user(user_name="early").user
    clock.advance(timedelta(days=1))
    second = account.create_user(user_name="late").user
    assert second.create_date - first.create_date == timedelta(days=1)
