"""Key use: Account.authenticate, acting_as, and boto3 clients signed with a user's key."""

from __future__ import annotations

from datetime import timedelta

import pytest
from botocore.exceptions import ClientError

from iamcore import Account, ids
from iamcore.errors import (
    InvalidClientTokenId,
    NoSuchEntity,
    SignatureDoesNotMatch,
    ValidationError,
)
from iamcore.mock import mock_iam
from iamcore.testing import FixedClock, seeded_entropy
from tests.helpers import boto3_client, fresh_snapshot

INVALID_TOKEN = "The security token included in the request is invalid."
BAD_SIGNATURE = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details."
)


@pytest.fixture
def key(account: Account) -> tuple[str, str]:
    account.create_user(user_name="bob")
    created = account.create_access_key(user_name="bob").access_key
    return created.access_key_id, created.secret_access_key


# -- native ---------------------------------------------------------------------


def test_authenticate_identifies_user_and_records_use(
    account: Account, key: tuple[str, str], clock: FixedClock
) -> None:
    """A valid Active key and secret authenticate as the key's user; the use is recorded."""
    clock.advance(timedelta(hours=1))
    identity = account.authenticate(
        access_key_id=key[0], secret_access_key=key[1], service="s3", region="eu-west-1"
    )
    assert identity.user_name == "bob"
    assert identity.arn == "arn:aws:iam::123456789012:user/bob"
    assert identity.account == "123456789012"
    assert identity.access_key_id == key[0]
    used = account.get_access_key_last_used(access_key_id=key[0]).access_key_last_used
    assert (used.service_name, used.region, used.last_used_date) == (
        "s3",
        "eu-west-1",
        clock.now(),
    )


def test_authenticate_defaults_to_iam_us_east_1(account: Account, key: tuple[str, str]) -> None:
    """authenticate() defaults to service iam, region us-east-1 (IAM is global)."""
    account.authenticate(access_key_id=key[0], secret_access_key=key[1])
    used = account.get_access_key_last_used(access_key_id=key[0]).access_key_last_used
    assert (used.service_name, used.region) == ("iam", "us-east-1")


def test_unknown_key_is_invalid_client_token(account: Account) -> None:
    """An access key ID that does not exist: InvalidClientTokenId (403)."""
    key_id = ids.access_key_id(account.account_id, seeded_entropy(99))
    with pytest.raises(InvalidClientTokenId) as raised:
        account.authenticate(access_key_id=key_id, secret_access_key="x" * 40)
    assert raised.value.http_status == 403
    assert raised.value.message == INVALID_TOKEN


def test_inactive_key_is_invalid_client_token(account: Account, key: tuple[str, str]) -> None:
    """An Inactive key cannot be used: InvalidClientTokenId, even with the right secret."""
    account.update_access_key(user_name="bob", access_key_id=key[0], status="Inactive")
    before = account.snapshot()
    with pytest.raises(InvalidClientTokenId):
        account.authenticate(access_key_id=key[0], secret_access_key=key[1])
    assert fresh_snapshot(account) == before


def test_wrong_secret_is_signature_mismatch(account: Account, key: tuple[str, str]) -> None:
    """A wrong secret: SignatureDoesNotMatch (403) with AWS's message; no use recorded."""
    before = account.snapshot()
    wrong = key[1][:-1] + ("A" if key[1][-1] != "A" else "B")
    with pytest.raises(SignatureDoesNotMatch) as raised:
        account.authenticate(access_key_id=key[0], secret_access_key=wrong)
    assert raised.value.http_status == 403
    assert raised.value.message == BAD_SIGNATURE
    assert fresh_snapshot(account) == before


def test_last_used_records_first_use_in_15_minutes(
    account: Account, key: tuple[str, str], clock: FixedClock
) -> None:
    """Uses within 15 minutes of the recorded one are not recorded (UG credential report)."""
    account.authenticate(access_key_id=key[0], secret_access_key=key[1], service="s3")
    first = clock.now()
    clock.advance(timedelta(minutes=14, seconds=59))
    account.authenticate(access_key_id=key[0], secret_access_key=key[1], service="ec2")
    used = account.get_access_key_last_used(access_key_id=key[0]).access_key_last_used
    assert (used.service_name, used.last_used_date) == ("s3", first)
    clock.advance(timedelta(seconds=1))
    account.authenticate(access_key_id=key[0], secret_access_key=key[1], service="ec2")
    used = account.get_access_key_last_used(access_key_id=key[0]).access_key_last_used
    assert (used.service_name, used.last_used_date) == ("ec2", clock.now())


def test_last_used_date_is_to_the_minute(
    account: Account, key: tuple[str, str], clock: FixedClock
) -> None:
    """AWS reports a key's last use to the minute (GetAccessKeyLastUsed samples end in
    ":00Z"; real credential reports show :00 seconds for key use only)."""
    clock.advance(timedelta(minutes=3, seconds=37))
    account.authenticate(access_key_id=key[0], secret_access_key=key[1], service="ec2")
    used = account.get_access_key_last_used(access_key_id=key[0]).access_key_last_used
    assert used.last_used_date == clock.now().replace(second=0)
    assert used.last_used_date is not None
    assert used.last_used_date.second == 0


def test_authenticate_bad_types(account: Account) -> None:
    """authenticate() with a non-string argument is a ValidationError, not a TypeError."""
    with pytest.raises(ValidationError):
        account.authenticate(access_key_id=123, secret_access_key="x")  # type: ignore[arg-type]


def test_acting_as_makes_calls_as_the_user(account: Account, key: tuple[str, str]) -> None:
    """GetUser without UserName describes the caller: the user inside acting_as, else root."""
    with account.acting_as("BOB") as user:
        assert user.user_name == "bob"
        assert account.get_user().user.arn == "arn:aws:iam::123456789012:user/bob"
    assert account.get_user().user.arn == "arn:aws:iam::123456789012:root"


def test_acting_as_nests_and_restores(account: Account, key: tuple[str, str]) -> None:
    """acting_as blocks nest; leaving one restores the outer caller."""
    account.create_user(user_name="carol")
    with account.acting_as("bob"):
        with account.acting_as("carol"):
            assert account.get_user().user.user_name == "carol"
        assert account.get_user().user.user_name == "bob"


def test_acting_as_unknown_user(account: Account) -> None:
    """acting_as an unknown user: NoSuchEntity."""
    with pytest.raises(NoSuchEntity), account.acting_as("ghost"):
        pass  # pragma: no cover - never entered


def test_deleted_caller_has_invalid_credentials(account: Account) -> None:
    """A caller whose user was deleted holds invalid credentials: InvalidClientTokenId."""
    account.create_user(user_name="temp")
    with account.acting_as("temp"):
        account.delete_user(user_name="temp")
        with pytest.raises(InvalidClientTokenId):
            account.get_user()


# -- boto3 ----------------------------------------------------------------------


def test_boto3_client_with_user_key_is_that_user(account: Account, key: tuple[str, str]) -> None:
    """A client signed with a user's key calls as that user: get_user() returns them."""
    with mock_iam(account):
        user = boto3_client(*key).get_user()["User"]
        assert user["UserName"] == "bob"
        root = boto3_client().get_user()["User"]
        assert root["Arn"] == "arn:aws:iam::123456789012:root"


def test_boto3_records_last_used(
    account: Account, key: tuple[str, str], clock: FixedClock
) -> None:
    """A call signed with a key records LastUsedDate, ServiceName iam, Region us-east-1."""
    with mock_iam(account):
        admin = boto3_client()
        before = admin.get_access_key_last_used(AccessKeyId=key[0])
        assert before["AccessKeyLastUsed"] == {"ServiceName": "N/A", "Region": "N/A"}
        clock.advance(timedelta(minutes=3))
        boto3_client(*key).list_users()
        after = admin.get_access_key_last_used(AccessKeyId=key[0])
    last_used = after["AccessKeyLastUsed"]
    assert last_used["ServiceName"] == "iam"
    assert last_used["Region"] == "us-east-1"
    assert last_used["LastUsedDate"] == clock.now()
    assert after["UserName"] == "bob"


@pytest.mark.parametrize("change", ["inactive", "deleted", "wrong_secret"])
def test_boto3_bad_credentials(account: Account, key: tuple[str, str], change: str) -> None:
    """Inactive/deleted key → InvalidClientTokenId; wrong secret → SignatureDoesNotMatch (403)."""
    secret = key[1]
    if change == "inactive":
        account.update_access_key(user_name="bob", access_key_id=key[0], status="Inactive")
    elif change == "deleted":
        account.delete_access_key(user_name="bob", access_key_id=key[0])
    else:
        secret = "x" * 40
    expected = "SignatureDoesNotMatch" if change == "wrong_secret" else "InvalidClientTokenId"
    with mock_iam(account), pytest.raises(ClientError) as raised:
        boto3_client(key[0], secret).get_user()
    error = raised.value.response
    assert error["Error"]["Code"] == expected
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_boto3_user_manages_own_keys(account: Account, key: tuple[str, str]) -> None:
    """CreateAccessKey/ListAccessKeys without UserName act on the signing user's keys."""
    with mock_iam(account):
        bob = boto3_client(*key)
        created = bob.create_access_key()["AccessKey"]
        assert created["UserName"] == "bob"
        listed = bob.list_access_keys()["AccessKeyMetadata"]
        assert [k["AccessKeyId"] for k in listed] == [key[0], created["AccessKeyId"]]
        assert all("SecretAccessKey" not in item for item in listed)
        with pytest.raises(ClientError) as raised:
            bob.create_access_key()
    assert raised.value.response["Error"]["Code"] == "LimitExceeded"


def test_boto3_root_needs_user_name(account: Account) -> None:
    """Administrator credentials without UserName: ValidationError (non-User credentials)."""
    with mock_iam(account), pytest.raises(ClientError) as raised:
        boto3_client().list_access_keys()
    assert raised.value.response["Error"]["Code"] == "ValidationError"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_boto3_other_accounts_key_is_administrator(account: Account, key: tuple[str, str]) -> None:
    """Credentials that are no key of this account (another account's AKIA) are the admin."""
    foreign = ids.access_key_id("210987654321", seeded_entropy(1))
    with mock_iam(account):
        user = boto3_client(foreign, "x" * 40).get_user()["User"]
    assert user["Arn"] == "arn:aws:iam::123456789012:root"


def test_boto3_acting_as_applies_to_unsigned_by_account(
    account: Account, key: tuple[str, str]
) -> None:
    """Inside acting_as, a client with non-account credentials calls as that user."""
    with mock_iam(account), account.acting_as("bob"):
        user = boto3_client().get_user()["User"]
    assert user["UserName"] == "bob"


def test_boto3_change_password_as_user() -> None:
    """ChangePassword through boto3 signed with the user's key changes their own password."""
    account = Account(clock=FixedClock(), entropy=seeded_entropy(5))
    account.create_user(user_name="dana")
    account.create_login_profile(user_name="dana", password="Initial-pass1")
    account.update_account_password_policy(allow_users_to_change_password=True)
    created = account.create_access_key(user_name="dana").access_key
    with mock_iam(account):
        dana = boto3_client(created.access_key_id, created.secret_access_key)
        dana.change_password(OldPassword="Initial-pass1", NewPassword="Second-pass2")
        with pytest.raises(ClientError) as raised:
            boto3_client().change_password(OldPassword="Second-pass2", NewPassword="Third-pass3")
    assert raised.value.response["Error"]["Code"] == "InvalidUserType"
    assert account.console_sign_in(user_name="dana", password="Second-pass2").success
    assert not account.console_sign_in(user_name="dana", password="Initial-pass1").success
