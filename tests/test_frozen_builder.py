"""iamcore._frozen.builder: CreateUser's objects built without their attrs __init__ must be
the very values cls(...) makes (equal, same hash and repr, still frozen)."""

from __future__ import annotations

from datetime import UTC, datetime

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iamcore._frozen import builder
from iamcore.entities import AttachedPermissionsBoundary, Tag, User
from iamcore.responses import CreateUserResponse

TEXT = st.text(max_size=20)
USERS = st.builds(
    User,
    TEXT,
    TEXT,
    TEXT,
    TEXT,
    st.datetimes(timezones=st.just(UTC)),
    st.none() | st.datetimes(timezones=st.just(UTC)),
    st.none() | st.builds(AttachedPermissionsBoundary, TEXT),
    st.lists(st.builds(Tag, TEXT, TEXT), max_size=3).map(tuple),
)


@given(USERS)
def test_built_users_equal_constructed_ones(user: User) -> None:
    """For any field values, the builder's User equals, hashes and prints as User(...)
    does, and stays frozen."""
    built = builder(User)(*attrs.astuple(user, recurse=False))
    assert built == user
    assert hash(built) == hash(user)
    assert repr(built) == repr(user)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.user_name = "changed"  # type: ignore[misc]
    assert builder(CreateUserResponse)(built) == CreateUserResponse(user)


def test_only_plain_frozen_slotted_classes() -> None:
    """A class whose __init__ does more than store fields (a validator, a converter, a
    post-init hook), or one without slots, is refused rather than built wrongly."""

    @attrs.frozen
    class Checked:
        value: int = attrs.field(validator=attrs.validators.instance_of(int))

    @attrs.frozen(slots=False)
    class Unslotted:
        value: int

    @attrs.frozen
    class Hooked:
        value: int

        def __attrs_post_init__(self) -> None:
            pass

    for cls in (Checked, Unslotted, Hooked):
        with pytest.raises(TypeError):
            builder(cls)
    assert builder(User)("/", "n", "AIDA", "arn", datetime(2026, 1, 1, tzinfo=UTC), None, None, ())
