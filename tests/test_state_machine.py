"""A Hypothesis state machine over users, groups, memberships and user tags.

Every step runs one IAM call on an :class:`Account` and on a plain-dict model
of the documented rules.  When the model says a call must fail, the account
must raise one of the errors the rules allow and leave ``snapshot()``
untouched; otherwise both change alike.  After every step the account must
match the model (names, paths, memberships, tags) and no user may be in more
than 10 groups.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    MultipleResults,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
)

from iamcore import Account
from iamcore.errors import IamError
from iamcore.testing import FixedClock, seeded_entropy
from tests.helpers import fresh_snapshot, pages

USER_NAMES = st.sampled_from(["alice", "Alice", "bob", "BOB", "carol", "dave", "eve", "Eve"])
GROUP_NAMES = st.sampled_from([f"g{i}" for i in range(13)] + ["G1", "Admins", "admins"])
PATHS = st.sampled_from(["/", "/eng/", "/eng/backend/", "/sales/"])
TAG_KEYS = st.sampled_from(["team", "Team", "cost", "COST", "env", "aws:x", "Aws:y"])
TAG_VALUES = st.sampled_from(["", "a", "B", "engineering", "aws:reserved"])
MANY_KEYS = st.lists(st.integers(min_value=0, max_value=79), max_size=40, unique=True)


class UserModel:
    """One modelled user: stored name, path and tags by lower-case key."""

    def __init__(self, name: str, path: str, tags: dict[str, tuple[str, str]]) -> None:
        self.name = name
        self.path = path
        self.tags = tags


def _tag_errors(
    pairs: list[tuple[str, str]], existing: dict[str, tuple[str, str]], tagging: bool = False
) -> set[str]:
    """What a request with these tags may be refused for: TagUser needs at least one tag
    (``tagging``); keys, not values, must not begin with aws: (recorded)."""
    errors: set[str] = set()
    if tagging and not pairs:
        errors.add("InvalidInput")
    keys = [key.lower() for key, _ in pairs]
    if len(set(keys)) != len(keys):
        errors.add("InvalidInput")
    if any(key.lower().startswith("aws:") for key, _ in pairs):
        errors.add("InvalidInput")
    if len(set(existing) | set(keys)) > 50:
        errors.add("LimitExceeded")
    return errors


class IamMachine(RuleBasedStateMachine):
    """Users, groups, memberships and tags against a dict model."""

    users = Bundle("users")
    groups = Bundle("groups")

    def __init__(self) -> None:
        super().__init__()
        self.account = Account(clock=FixedClock(), entropy=seeded_entropy(0))
        self.model_users: dict[str, UserModel] = {}
        self.model_groups: dict[str, tuple[str, str]] = {}  # lower -> (name, path)
        self.members: set[tuple[str, str]] = set()  # (user lower, group lower)

    # -- helpers ---------------------------------------------------------------------------

    def _expect(self, errors: set[str], call: Callable[[], Any]) -> bool:
        """Run ``call``; it must fail with one of ``errors`` (unchanged) or succeed if none."""
        before = self.account.snapshot()
        if errors:
            with pytest.raises(IamError) as caught:
                call()
            assert caught.value.code in errors, (caught.value, errors)
            assert self.account.snapshot() is before
            assert fresh_snapshot(self.account) == before  # the cache cannot hide a half-apply
            event(f"refused: {caught.value.code}")
            return False
        call()
        return True

    def _groups_of(self, user: str) -> set[str]:
        return {group for member, group in self.members if member == user}

    # -- users -----------------------------------------------------------------------------

    @initialize(target=users, name=USER_NAMES)
    def first_user(self, name: str) -> str:
        self.account.create_user(user_name=name)
        self.model_users[name.lower()] = UserModel(name, "/", {})
        return name

    @rule(
        target=users,
        name=USER_NAMES,
        path=PATHS,
        tags=st.lists(st.tuples(TAG_KEYS, TAG_VALUES), max_size=3),
    )
    def create_user(self, name: str, path: str, tags: list[tuple[str, str]]) -> str:
        errors = _tag_errors(tags, {})
        if name.lower() in self.model_users:
            errors.add("EntityAlreadyExists")
        created = self._expect(
            errors,
            lambda: self.account.create_user(
                user_name=name, path=path, tags=[{"Key": k, "Value": v} for k, v in tags]
            ),
        )
        if created:
            self.model_users[name.lower()] = UserModel(
                name, path, {k.lower(): (k, v) for k, v in tags}
            )
        return name

    @rule(name=users)
    def delete_user(self, name: str) -> None:
        errors = set()
        if name.lower() not in self.model_users:
            errors.add("NoSuchEntity")
        elif self._groups_of(name.lower()):
            errors.add("DeleteConflict")
        if self._expect(errors, lambda: self.account.delete_user(user_name=name)):
            del self.model_users[name.lower()]

    @rule(target=users, name=users, new_name=USER_NAMES)
    def rename_user(self, name: str, new_name: str) -> str:
        old = name.lower()
        errors = set()
        if old not in self.model_users:
            errors.add("NoSuchEntity")
        elif new_name.lower() in self.model_users:
            errors.add("EntityAlreadyExists")
        call = partial(self.account.update_user, user_name=name, new_user_name=new_name)
        if self._expect(errors, call):
            user = self.model_users.pop(old)
            user.name = new_name
            self.model_users[new_name.lower()] = user
            self.members = {
                (new_name.lower() if member == old else member, group)
                for member, group in self.members
            }
        return new_name

    @rule(name=users, path=PATHS)
    def move_user(self, name: str, path: str) -> None:
        errors = set() if name.lower() in self.model_users else {"NoSuchEntity"}
        if self._expect(errors, lambda: self.account.update_user(user_name=name, new_path=path)):
            self.model_users[name.lower()].path = path

    # -- groups ----------------------------------------------------------------------------

    @rule(target=groups, name=GROUP_NAMES, path=PATHS)
    def create_group(self, name: str, path: str) -> str:
        errors = {"EntityAlreadyExists"} if name.lower() in self.model_groups else set()
        if self._expect(errors, lambda: self.account.create_group(group_name=name, path=path)):
            self.model_groups[name.lower()] = (name, path)
        return name

    @rule(target=groups, count=st.integers(min_value=1, max_value=13))
    def create_many_groups(self, count: int) -> MultipleResults[str]:
        created = []
        for i in range(13):
            name = f"g{i}"
            if len(created) < count and name not in self.model_groups:
                self.account.create_group(group_name=name)
                self.model_groups[name] = (name, "/")
                created.append(name)
        return multiple(*created)

    @rule(name=groups)
    def delete_group(self, name: str) -> None:
        errors = set()
        if name.lower() not in self.model_groups:
            errors.add("NoSuchEntity")
        elif any(group == name.lower() for _, group in self.members):
            errors.add("DeleteConflict")
        if self._expect(errors, lambda: self.account.delete_group(group_name=name)):
            del self.model_groups[name.lower()]

    @rule(target=groups, name=groups, new_name=GROUP_NAMES)
    def rename_group(self, name: str, new_name: str) -> str:
        old = name.lower()
        errors = set()
        if old not in self.model_groups:
            errors.add("NoSuchEntity")
        elif new_name.lower() in self.model_groups:
            errors.add("EntityAlreadyExists")
        call = partial(self.account.update_group, group_name=name, new_group_name=new_name)
        if self._expect(errors, call):
            _, path = self.model_groups.pop(old)
            self.model_groups[new_name.lower()] = (new_name, path)
            self.members = {
                (member, new_name.lower() if group == old else group)
                for member, group in self.members
            }
        return new_name

    # -- membership ------------------------------------------------------------------------

    def _add(self, user: str, group: str) -> None:
        errors = set()
        if user.lower() not in self.model_users or group.lower() not in self.model_groups:
            errors.add("NoSuchEntity")
        elif (user.lower(), group.lower()) not in self.members and len(
            self._groups_of(user.lower())
        ) >= 10:
            errors.add("LimitExceeded")
        call = partial(self.account.add_user_to_group, group_name=group, user_name=user)
        if self._expect(errors, call):
            self.members.add((user.lower(), group.lower()))

    @rule(user=users, group=groups)
    def add_user_to_group(self, user: str, group: str) -> None:
        self._add(user, group)

    @precondition(lambda self: len(self.model_groups) >= 10)
    @rule(user=users)
    def join_every_group(self, user: str) -> None:
        for lowered in sorted(self.model_groups):
            self._add(user, self.model_groups[lowered][0])

    @rule(user=users, group=groups)
    def remove_user_from_group(self, user: str, group: str) -> None:
        pair = (user.lower(), group.lower())
        # AWS: an unknown user or group is NoSuchEntity; a non-member is a silent success
        exists = pair[0] in self.model_users and pair[1] in self.model_groups
        errors = set() if exists else {"NoSuchEntity"}
        call = partial(self.account.remove_user_from_group, group_name=group, user_name=user)
        if self._expect(errors, call):
            self.members.discard(pair)

    # -- tags ------------------------------------------------------------------------------

    def _tag(self, user: str, pairs: list[tuple[str, str]]) -> None:
        model = self.model_users.get(user.lower())
        # the tags are checked before the user is looked up
        errors = _tag_errors(pairs, model.tags if model is not None else {}, tagging=True)
        if model is None:
            errors.add("NoSuchEntity")
        tags = [{"Key": key, "Value": value} for key, value in pairs]
        if self._expect(errors, lambda: self.account.tag_user(user_name=user, tags=tags)):
            assert model is not None
            for key, value in pairs:
                model.tags[key.lower()] = (key, value)

    @rule(user=users, pairs=st.lists(st.tuples(TAG_KEYS, TAG_VALUES), min_size=1, max_size=4))
    def tag_user(self, user: str, pairs: list[tuple[str, str]]) -> None:
        self._tag(user, pairs)

    @rule(user=users, numbers=MANY_KEYS)
    def tag_user_in_bulk(self, user: str, numbers: list[int]) -> None:
        self._tag(user, [(f"k{n:02d}", "v") for n in numbers])

    @rule(user=users, keys=st.lists(TAG_KEYS | st.sampled_from(["k01", "K02"]), max_size=4))
    def untag_user(self, user: str, keys: list[str]) -> None:
        model = self.model_users.get(user.lower())
        errors = set()
        if model is None:
            errors.add("NoSuchEntity")
        if self._expect(errors, lambda: self.account.untag_user(user_name=user, tag_keys=keys)):
            assert model is not None
            for key in keys:
                model.tags.pop(key.lower(), None)

    @rule(
        prefix=PATHS | st.sampled_from(["/e", "/eng", "/s", "/x/"]),
        max_items=st.integers(min_value=1, max_value=3),
    )
    def list_users_by_prefix(self, prefix: str, max_items: int) -> None:
        """ListUsers PathPrefix, page by page: the users whose path starts with the prefix,
        in case-insensitive name order, whatever renames and moves came before."""
        found = pages(self.account.list_users, "users", path_prefix=prefix, max_items=max_items)
        assert all(len(page) <= max_items for page in found)
        names = [user.user_name for page in found for user in page]
        expected = [m.name for m in self.model_users.values() if m.path.startswith(prefix)]
        assert names == sorted(expected, key=str.lower)

    # -- invariants ------------------------------------------------------------------------

    @invariant()
    def users_match(self) -> None:
        listed = self.account.list_users(max_items=1000).users
        assert sorted((u.user_name, u.path) for u in listed) == sorted(
            (m.name, m.path) for m in self.model_users.values()
        )
        for lowered, model in self.model_users.items():
            tags = self.account.list_user_tags(user_name=lowered).tags
            assert [(t.key, t.value) for t in tags] == sorted(model.tags.values())
            groups = self.account.list_groups_for_user(user_name=model.name).groups
            expected = {self.model_groups[g][0] for g in self._groups_of(lowered)}
            assert {g.group_name for g in groups} == expected
            assert len(groups) <= 10

    @invariant()
    def groups_match(self) -> None:
        listed = self.account.list_groups(max_items=1000).groups
        assert sorted((g.group_name, g.path) for g in listed) == sorted(self.model_groups.values())
        for lowered, (name, _) in self.model_groups.items():
            members = self.account.get_group(group_name=name).users
            expected = {self.model_users[u].name for u, g in self.members if g == lowered}
            assert {u.user_name for u in members} == expected

    @invariant()
    def snapshot_matches(self) -> None:
        snapshot = self.account.snapshot()
        assert len(snapshot.users) == len(self.model_users)
        assert len(snapshot.groups) == len(self.model_groups)


IamMachine.TestCase.settings = settings(max_examples=200, stateful_step_count=50, deadline=None)
TestIamMachine = IamMachine.TestCase
