"""Access keys: CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey,
GetAccessKeyLastUsed (native API; boto3 paths are in test_key_auth.py)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamcore import Account, ids, passwords
from iamcore.auth import is_account_key
from iamcore.errors import (
    AccessDenied,
    DeleteConflict,
    IamError,
    InvalidInput,
    LimitExceeded,
    NoSuchEntity,
    ValidationError,
)
from iamcore.rules import access_keys
from iamcore.state import Context
from iamcore.testing import FixedClock, seeded_entropy
from tests.helpers import fresh_snapshot, walk

KEY_ID = re.compile(r"AKIA[A-Z2-7]{16}")
SECRET = re.compile(r"[A-Za-z0-9+/]{40}")


def test_create_access_key_shape(account: Account, bob: str) -> None:
    """CreateAccessKey: an Active AKIA key (20 chars, encodes the account), a 40-char secret."""
    key = account.create_access_key(user_name=bob).access_key
    assert KEY_ID.fullmatch(key.access_key_id)
    assert ids.account_id_from_access_key_id(key.access_key_id) == account.account_id
    assert SECRET.fullmatch(key.secret_access_key)
    assert key.status == "Active"
    assert key.user_name == "bob"
    assert key.create_date == account.clock.now()


def test_key_ids_reproducible_with_seeded_entropy() -> None:
    """Seeded entropy makes every key ID and secret reproducible."""

    def make() -> tuple[str, str]:
        account = Account(clock=FixedClock(), entropy=seeded_entropy(3))
        account.create_user(user_name="u")
        key = account.create_access_key(user_name="u").access_key
        return key.access_key_id, key.secret_access_key

    assert make() == make()


@settings(max_examples=50)
@given(st.from_regex(r"[0-9]{12}", fullmatch=True), st.integers(0, 2**32))
def test_key_id_format_for_any_account(account_id: str, seed: int) -> None:
    """Access key IDs are AKIA + 16 base32 characters that decode to the owning account."""
    key_id = ids.access_key_id(account_id, seeded_entropy(seed))
    assert KEY_ID.fullmatch(key_id)
    assert ids.account_id_from_access_key_id(key_id) == account_id
    assert is_account_key(account_id, key_id)
    assert not is_account_key("000000000001" if account_id != "000000000001" else "2" * 12, key_id)


def test_other_credentials_are_not_account_keys() -> None:
    """Old-format keys, non-AKIA IDs and plain strings are never the account's keys."""
    assert not is_account_key("123456789012", "testing")
    assert not is_account_key("123456789012", "AKIAIOSFODNN7EXAMPLE")
    assert not is_account_key("123456789012", "ASIA" + "Q" * 16)


def test_list_access_keys_without_secrets_oldest_first(
    account: Account, bob: str, clock: FixedClock
) -> None:
    """ListAccessKeys: UserName, AccessKeyId, Status, CreateDate, oldest first, no secret."""
    first = account.create_access_key(user_name=bob).access_key
    clock.advance(timedelta(seconds=5))
    second = account.create_access_key(user_name=bob).access_key
    listed = account.list_access_keys(user_name=bob)
    assert [k.access_key_id for k in listed.access_key_metadata] == [
        first.access_key_id,
        second.access_key_id,
    ]
    assert not listed.is_truncated
    assert listed.marker is None
    for item in listed.access_key_metadata:
        assert not hasattr(item, "secret_access_key")
        assert item.user_name == "bob"


def test_list_access_keys_empty(account: Account, bob: str) -> None:
    """ListAccessKeys: a user without keys gets an empty list, not an error."""
    assert account.list_access_keys(user_name=bob).access_key_metadata == ()


def test_list_access_keys_paged(account: Account, bob: str) -> None:
    """ListAccessKeys is paginated: MaxItems=1 gives a marker for the second key."""
    first = account.create_access_key(user_name=bob).access_key.access_key_id
    second = account.create_access_key(user_name=bob).access_key.access_key_id
    page1 = account.list_access_keys(user_name=bob, max_items=1)
    assert page1.is_truncated
    assert page1.marker is not None
    page2 = account.list_access_keys(user_name=bob, max_items=1, marker=page1.marker)
    assert [k.access_key_id for k in (*page1.access_key_metadata, *page2.access_key_metadata)] == [
        first,
        second,
    ]
    assert not page2.is_truncated


def test_third_key_refused_inactive_counts(account: Account, bob: str) -> None:
    """At most 2 keys per user, Inactive keys included: LimitExceeded AccessKeysPerUser: 2."""
    key = account.create_access_key(user_name=bob).access_key
    account.create_access_key(user_name=bob)
    account.update_access_key(user_name=bob, access_key_id=key.access_key_id, status="Inactive")
    before = account.snapshot()
    with pytest.raises(LimitExceeded) as raised:
        account.create_access_key(user_name=bob)
    assert raised.value.message == "Cannot exceed quota for AccessKeysPerUser: 2"
    assert raised.value.http_status == 409
    assert fresh_snapshot(account) == before


_OPS = st.lists(
    st.tuples(
        st.sampled_from(["create", "delete", "deactivate", "activate"]),
        st.sampled_from(["ann", "ben"]),
        st.integers(0, 3),
    ),
    max_size=25,
)


@settings(max_examples=40)
@given(_OPS)
def test_never_more_than_two_keys_whatever_the_sequence(
    ops: list[tuple[str, str, int]],
) -> None:
    """≤ 2 access keys per user after any sequence of calls; failed calls change nothing."""
    account = Account(clock=FixedClock(), entropy=seeded_entropy(11))
    for name in ("ann", "ben"):
        account.create_user(user_name=name)
    for op, user, index in ops:
        keys = [
            k.access_key_id for k in account.list_access_keys(user_name=user).access_key_metadata
        ]
        key_id = keys[index] if index < len(keys) else "AKIA" + "Q" * 16
        before = account.snapshot()
        try:
            if op == "create":
                account.create_access_key(user_name=user)
            elif op == "delete":
                account.delete_access_key(user_name=user, access_key_id=key_id)
            else:
                status = "Inactive" if op == "deactivate" else "Active"
                account.update_access_key(user_name=user, access_key_id=key_id, status=status)
        except IamError:
            assert fresh_snapshot(account) == before
        for name in ("ann", "ben"):
            assert len(account.list_access_keys(user_name=name).access_key_metadata) <= 2
    snapshot = account.snapshot()
    owners = [key.user_id for key in snapshot.tables["access_keys"].values()]
    assert all(owners.count(owner) <= 2 for owner in owners)


def test_update_access_key_status(account: Account, bob: str) -> None:
    """UpdateAccessKey toggles Active ↔ Inactive."""
    key_id = account.create_access_key(user_name=bob).access_key.access_key_id
    account.update_access_key(user_name=bob, access_key_id=key_id, status="Inactive")
    assert account.list_access_keys(user_name=bob).access_key_metadata[0].status == "Inactive"
    account.update_access_key(user_name=bob, access_key_id=key_id, status="Active")
    assert account.list_access_keys(user_name=bob).access_key_metadata[0].status == "Active"


def test_update_access_key_expired_refused(account: Account, bob: str) -> None:
    """UpdateAccessKey: 'Expired' is refused and the key keeps its status.  AWS answers
    InvalidInput "Operation does not support status Expired" (recorded from AWS, 2026:
    stackd resource_inputs.json key_statuses), which the rule gives; the API path still
    meets iamcore.validation's older [Active, Inactive] enum first (ValidationError)."""
    key_id = account.create_access_key(user_name=bob).access_key.access_key_id
    before = account.snapshot()
    with pytest.raises((InvalidInput, ValidationError)):
        account.update_access_key(user_name=bob, access_key_id=key_id, status="Expired")
    assert fresh_snapshot(account) == before
    ctx = Context(account.account_id, account.clock.now(), account.entropy)
    with pytest.raises(InvalidInput) as caught:
        access_keys.update_access_key(
            account._state, ctx, user_name=bob, access_key_id=key_id, status="Expired"
        )
    assert caught.value.message == "Operation does not support status Expired"
    assert fresh_snapshot(account) == before


def test_update_access_key_bad_status_is_validation_error(account: Account, bob: str) -> None:
    """UpdateAccessKey: a status outside the model's enum is a ValidationError."""
    key_id = account.create_access_key(user_name=bob).access_key.access_key_id
    with pytest.raises(ValidationError):
        account.update_access_key(user_name=bob, access_key_id=key_id, status="Disabled")


def test_update_unknown_key(account: Account, bob: str) -> None:
    """UpdateAccessKey: NoSuchEntity 'The Access Key with id X cannot be found.'"""
    with pytest.raises(NoSuchEntity) as raised:
        account.update_access_key(
            user_name=bob, access_key_id="AKIAIOSFODNN7EXAMPLE", status="Inactive"
        )
    assert raised.value.message == "The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found."


def test_key_of_another_user_is_not_found(account: Account, bob: str) -> None:
    """UpdateAccessKey/DeleteAccessKey: a key that belongs to another user is NoSuchEntity."""
    account.create_user(user_name="carol")
    key_id = account.create_access_key(user_name="carol").access_key.access_key_id
    with pytest.raises(NoSuchEntity):
        account.update_access_key(user_name=bob, access_key_id=key_id, status="Inactive")
    with pytest.raises(NoSuchEntity):
        account.delete_access_key(user_name=bob, access_key_id=key_id)
    assert len(account.list_access_keys(user_name="carol").access_key_metadata) == 1


def test_delete_access_key(account: Account, bob: str) -> None:
    """DeleteAccessKey removes the key; deleting it again is NoSuchEntity."""
    key_id = account.create_access_key(user_name=bob).access_key.access_key_id
    account.delete_access_key(user_name=bob, access_key_id=key_id)
    assert account.list_access_keys(user_name=bob).access_key_metadata == ()
    with pytest.raises(NoSuchEntity) as raised:
        account.delete_access_key(user_name=bob, access_key_id=key_id)
    assert raised.value.message == f"The Access Key with id {key_id} cannot be found."


def test_unknown_user(account: Account) -> None:
    """Access-key operations on an unknown user: NoSuchEntity 'The user with name X …'."""
    with pytest.raises(NoSuchEntity) as raised:
        account.create_access_key(user_name="ghost")
    assert raised.value.message == "The user with name ghost cannot be found."
    with pytest.raises(NoSuchEntity):
        account.list_access_keys(user_name="ghost")


def test_user_name_lookup_ignores_case(account: Account, bob: str) -> None:
    """User names are matched ignoring case; the key reports the stored name."""
    key = account.create_access_key(user_name="BOB").access_key
    assert key.user_name == "bob"


def test_root_without_user_name(account: Account, bob: str) -> None:
    """Without UserName the caller's keys are meant; root/administrator gets ValidationError."""
    for call in (
        lambda: account.create_access_key(),
        lambda: account.list_access_keys(),
        lambda: account.delete_access_key(access_key_id="AKIAIOSFODNN7EXAMPLE"),
        lambda: account.update_access_key(access_key_id="AKIAIOSFODNN7EXAMPLE", status="Active"),
    ):
        with pytest.raises(ValidationError) as raised:
            call()
        assert (
            raised.value.message == "Must specify userName when calling with non-User credentials"
        )


def test_user_without_user_name_acts_on_own_keys(account: Account, bob: str) -> None:
    """Without UserName, an IAM user creates, lists, updates and deletes their own keys."""
    with account.acting_as("bob"):
        key_id = account.create_access_key().access_key.access_key_id
        assert [k.access_key_id for k in account.list_access_keys().access_key_metadata] == [
            key_id
        ]
        account.update_access_key(access_key_id=key_id, status="Inactive")
        account.delete_access_key(access_key_id=key_id)
    assert account.list_access_keys(user_name=bob).access_key_metadata == ()


def test_last_used_never_used(account: Account, bob: str) -> None:
    """GetAccessKeyLastUsed: never used → ServiceName N/A, Region N/A, no LastUsedDate."""
    key_id = account.create_access_key(user_name=bob).access_key.access_key_id
    result = account.get_access_key_last_used(access_key_id=key_id)
    assert result.user_name == "bob"
    assert result.access_key_last_used.service_name == "N/A"
    assert result.access_key_last_used.region == "N/A"
    assert result.access_key_last_used.last_used_date is None


def test_last_used_unknown_key_access_denied(account: Account) -> None:
    """GetAccessKeyLastUsed of a key that does not exist: AccessDenied (403), as AWS answers."""
    with pytest.raises(AccessDenied) as raised:
        account.get_access_key_last_used(access_key_id="AKIAIOSFODNN7EXAMPLE")
    assert raised.value.http_status == 403
    assert raised.value.message == (
        "User: arn:aws:iam::123456789012:root is not authorized to perform "
        "iam:GetAccessKeyLastUsed on resource: access key AKIAIOSFODNN7EXAMPLE"
    )


def test_delete_user_refused_while_keys_exist(account: Account, bob: str) -> None:
    """DeleteUser: DeleteConflict 'Cannot delete entity, must delete access keys first.'"""
    key_id = account.create_access_key(user_name=bob).access_key.access_key_id
    with pytest.raises(DeleteConflict) as raised:
        account.delete_user(user_name=bob)
    assert raised.value.message == "Cannot delete entity, must delete access keys first."
    account.delete_access_key(user_name=bob, access_key_id=key_id)
    account.delete_user(user_name=bob)


def test_rename_keeps_keys(account: Account, bob: str) -> None:
    """UpdateUser: a renamed user keeps their keys, listed under the new name."""
    key_id = account.create_access_key(user_name=bob).access_key.access_key_id
    account.update_user(user_name=bob, new_user_name="robert")
    listed = account.list_access_keys(user_name="robert").access_key_metadata
    assert [(k.access_key_id, k.user_name) for k in listed] == [(key_id, "robert")]
    assert account.get_access_key_last_used(access_key_id=key_id).user_name == "robert"


def test_secrets_never_shown(account: Account, bob: str) -> None:
    """Secrets, passwords and hashes never appear in repr() nor in list/get results."""
    password = "Sup3r-Secret!"
    profile_created = account.create_login_profile(user_name=bob, password=password)
    account.update_account_password_policy(allow_users_to_change_password=True)
    created = account.create_access_key(user_name=bob)
    secret = created.access_key.secret_access_key
    stored = account.snapshot().tables["login_profiles"]
    profile = next(iter(stored.values()))
    assert profile.password_hash is not None
    digest_hex = profile.password_hash.digest.hex()
    key_record = next(iter(account.snapshot().tables["access_keys"].values()))
    assert key_record.secret_digest is not None
    forbidden = [secret, password, digest_hex, key_record.secret_digest.hex()]
    assert secret not in repr(created)
    api_results = [
        account.list_access_keys(user_name=bob),
        account.get_access_key_last_used(access_key_id=created.access_key.access_key_id),
        account.get_login_profile(user_name=bob),
        account.get_user(user_name=bob),
        account.list_users(),
        account.get_account_password_policy(),
        profile_created,
        account.authenticate(
            access_key_id=created.access_key.access_key_id, secret_access_key=secret
        ),
        account.console_sign_in(user_name=bob, password=password),
    ]
    for result in [*api_results, account.snapshot(), profile, key_record]:
        text = repr(result)
        for value in forbidden:
            assert value not in text
        assert "password_hash" not in text
        assert "secret_digest" not in text
    for result in api_results:
        for item in walk(result):
            assert not isinstance(item, passwords.PasswordHash | bytes)
            assert not (isinstance(item, str) and item in forbidden)
