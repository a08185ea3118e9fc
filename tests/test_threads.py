"""An Account shared between threads: every operation is atomic (design.md, house rules).

Several threads race on the same few users and groups (create, delete,
rename, tag, group membership, access key create/delete).  Afterwards the
account must be consistent: no lost updates, memberships only between
existing entities, no user in more than 10 groups or with more than 2
access keys, and no exception other than IamError escaped.
"""

from __future__ import annotations

import os
import random
import threading

import pytest

from iamcore import Account, IamError
from iamcore.rules.groups import MAX_GROUPS_PER_USER

OPERATIONS = int(os.environ.get("IAMCORE_STRESS_OPERATIONS", "3000"))
THREADS = 6
NAMES = [f"user{i}" for i in range(6)]
GROUPS = [f"group{i}" for i in range(12)]


def _worker(account: Account, seed: int, count: int, unexpected: list[BaseException]) -> None:
    rng = random.Random(seed)
    for _ in range(count):
        user, other = rng.choice(NAMES), rng.choice(NAMES)
        group = rng.choice(GROUPS)
        action = rng.randrange(10)
        try:
            if action == 0:
                account.create_user(user_name=user)
            elif action == 1:
                account.delete_user(user_name=user)
            elif action == 2:
                account.update_user(user_name=user, new_user_name=other)
            elif action == 3:
                account.create_group(group_name=group)
            elif action == 4:
                account.add_user_to_group(group_name=group, user_name=user)
            elif action == 5:
                account.remove_user_from_group(group_name=group, user_name=user)
            elif action == 6:
                account.tag_user(user_name=user, tags=[{"Key": "k", "Value": str(seed)}])
            elif action == 7:
                account.create_access_key(user_name=user)
            elif action == 8:
                keys = account.list_access_keys(user_name=user).access_key_metadata
                if keys:
                    account.delete_access_key(
                        user_name=user, access_key_id=rng.choice(keys).access_key_id
                    )
            else:
                account.delete_group(group_name=group)
        except IamError:
            pass
        except BaseException as error:
            unexpected.append(error)
            return


def test_concurrent_operations_keep_the_account_consistent() -> None:
    """Racing threads leave a consistent account and only IamError escapes."""
    account = Account()
    unexpected: list[BaseException] = []
    threads = [
        threading.Thread(target=_worker, args=(account, seed, OPERATIONS // THREADS, unexpected))
        for seed in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert unexpected == []
    snapshot = account.snapshot()
    users = {u.user_name.lower() for u in snapshot.users.values()}
    assert len(users) == len(snapshot.users), "two users share a name ignoring case"
    listed = {u.user_name.lower() for u in account.list_users(max_items=1000).users}
    assert listed == users
    for group_id, members in snapshot.tables["group_members"].items():
        assert group_id in snapshot.groups
        assert set(members) <= set(snapshot.users)
    for user in snapshot.users.values():
        groups = account.list_groups_for_user(user_name=user.user_name).groups
        assert len(groups) <= MAX_GROUPS_PER_USER
        assert len(account.list_access_keys(user_name=user.user_name).access_key_metadata) <= 2
    owners = set(snapshot.tables["user_access_keys"])
    assert owners <= set(snapshot.users), "an access key outlived its user"


def test_concurrent_creates_of_one_name_have_one_winner() -> None:
    """Of many threads creating the same user at once, exactly one succeeds."""
    account = Account()
    wins: list[str] = []
    barrier = threading.Barrier(8)

    def create(index: int) -> None:
        barrier.wait()
        try:
            account.create_user(user_name="Contended" if index % 2 else "contended")
            wins.append(str(index))
        except IamError:
            pass

    threads = [threading.Thread(target=create, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(wins) == 1
    assert len(account.list_users().users) == 1


def test_a_failed_call_releases_the_account_lock() -> None:
    """A call that raises (here EntityAlreadyExists from the rule) leaves the account
    usable from another thread: the lock is released whatever the outcome."""
    account = Account()
    account.create_user(user_name="taken")
    with pytest.raises(IamError) as caught:
        account.create_user(user_name="taken")
    assert caught.value.code == "EntityAlreadyExists"
    done = threading.Event()

    def create_other() -> None:
        account.create_user(user_name="other")
        done.set()

    thread = threading.Thread(target=create_other, daemon=True)
    thread.start()
    assert done.wait(timeout=10), "another thread could not take the account lock"
    assert [u.user_name for u in account.list_users().users] == ["other", "taken"]
