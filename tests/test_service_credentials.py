"""Service-specific credentials (HTTPS Git for CodeCommit, Keyspaces, Bedrock and CloudWatch
Logs API keys): Create, List, Reset, Update, Delete (native API and boto3)."""

from __future__ import annotations

import base64
import contextlib
import re
from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st

from iamcore import Account, passwords
from iamcore.errors import (
    DeleteConflict,
    InvalidInput,
    LimitExceeded,
    NoSuchEntity,
    NotSupportedService,
    ValidationError,
)
from iamcore.rules import service_credentials, users
from iamcore.testing import FixedClock
from tests.helpers import fresh_snapshot

CODECOMMIT = "codecommit.amazonaws.com"
KEYSPACES = "cassandra.amazonaws.com"
BEDROCK = "bedrock.amazonaws.com"
LOGS = "logs.amazonaws.com"
CREDENTIAL_ID = re.compile(r"ACCA[A-Z2-7]{17}")
#: 60 characters, the length of AWS's passwords (recorded from AWS, 2026)
PASSWORD = re.compile(r"[A-Za-z0-9+/]{60}")


def create(account: Account, user: str, service: str = CODECOMMIT, **kwargs: Any) -> Any:
    return account.create_service_specific_credential(
        user_name=user, service_name=service, **kwargs
    ).service_specific_credential


# -- CreateServiceSpecificCredential -----------------------------------------------------


def test_create_git_credentials(account: Account, bob: str) -> None:
    """CreateServiceSpecificCredential: ACCA ID, user-at-account user name, generated password,
    Active, CreateDate; no API-key fields."""
    credential = create(account, bob)
    assert CREDENTIAL_ID.fullmatch(credential.service_specific_credential_id)
    assert credential.service_name == CODECOMMIT
    assert credential.service_user_name == "bob-at-123456789012"
    assert PASSWORD.fullmatch(credential.service_password)
    assert credential.status == "Active"
    assert credential.user_name == bob
    assert credential.create_date == account.clock.now()
    assert credential.service_credential_alias is None
    assert credential.service_credential_secret is None
    assert credential.expiration_date is None


def test_second_credential_user_name_has_plus_one(account: Account, bob: str) -> None:
    """CreateServiceSpecificCredential: the second set is user+1-at-account (API reference)."""
    first, second = create(account, bob), create(account, bob)
    assert (first.service_user_name, second.service_user_name) == (
        "bob-at-123456789012",
        "bob+1-at-123456789012",
    )
    assert first.service_password != second.service_password
    account.delete_service_specific_credential(
        user_name=bob, service_specific_credential_id=first.service_specific_credential_id
    )
    assert create(account, bob).service_user_name == "bob-at-123456789012"


def test_two_per_service_per_user(account: Account, bob: str) -> None:
    """CreateServiceSpecificCredential: at most 2 per service per user (LimitExceeded)."""
    create(account, bob)
    create(account, bob)
    before = account.snapshot()
    with pytest.raises(LimitExceeded):
        create(account, bob)
    assert fresh_snapshot(account) == before
    create(account, bob, KEYSPACES)
    create(account, bob, KEYSPACES)
    account.create_user(user_name="carol")
    create(account, "carol")


def test_inactive_credentials_count_toward_the_limit(account: Account, bob: str) -> None:
    """CreateServiceSpecificCredential: Inactive credentials still count toward the 2."""
    for _ in range(2):
        credential = create(account, bob)
        account.update_service_specific_credential(
            user_name=bob,
            service_specific_credential_id=credential.service_specific_credential_id,
            status="Inactive",
        )
    with pytest.raises(LimitExceeded):
        create(account, bob)


@pytest.mark.parametrize(
    "service", ["s3.amazonaws.com", "codecommit", "codecommit.amazonaws.com.cn", ""]
)
def test_unsupported_service(account: Account, bob: str, service: str) -> None:
    """CreateServiceSpecificCredential: other services are NotSupportedService (404)."""
    with pytest.raises(NotSupportedService) as caught:
        create(account, bob, service)
    assert caught.value.http_status == 404


def test_unknown_user(account: Account) -> None:
    """CreateServiceSpecificCredential: NoSuchEntity for an unknown user."""
    with pytest.raises(NoSuchEntity, match="nobody"):
        create(account, "nobody")


def test_api_key_credentials(account: Account, bob: str) -> None:
    """CreateServiceSpecificCredential (Bedrock): alias and secret instead of name and password;
    CredentialAgeDays sets ExpirationDate."""
    credential = create(account, bob, BEDROCK, credential_age_days=30)
    assert credential.service_credential_alias == "bob-at-123456789012"
    assert credential.service_user_name is None
    assert credential.service_password is None
    secret = credential.service_credential_secret
    assert secret.startswith("ABSK")
    alias, _, raw = base64.b64decode(secret[4:]).decode().partition(":")
    assert alias == "bob-at-123456789012"
    assert raw
    assert credential.expiration_date == account.clock.now() + timedelta(days=30)
    second = create(account, bob, BEDROCK)
    assert second.service_credential_alias == "bob+1-at-123456789012"
    assert second.expiration_date is None


def test_logs_api_keys_are_supported(account: Account, bob: str) -> None:
    """CreateServiceSpecificCredential: CloudWatch Logs API keys (logs.amazonaws.com)."""
    credential = create(account, bob, LOGS, credential_age_days=1)
    assert credential.service_credential_alias == "bob-at-123456789012"
    assert credential.service_credential_secret


@pytest.mark.parametrize("service", [CODECOMMIT, KEYSPACES])
def test_credential_age_days_for_password_services(
    account: Account, bob: str, service: str
) -> None:
    """CreateServiceSpecificCredential: CredentialAgeDays sets ExpirationDate for CodeCommit
    and Keyspaces too (recorded from AWS, 2026: stackd legacy-expiration, +86400 s)."""
    credential = create(account, bob, service, credential_age_days=1)
    assert credential.expiration_date == account.clock.now() + timedelta(days=1)
    assert credential.service_password is not None


def test_credential_age_days_range(account: Account, bob: str) -> None:
    """CreateServiceSpecificCredential: CredentialAgeDays is 1–36600."""
    for days in (0, 36601):
        with pytest.raises(ValidationError):
            create(account, bob, BEDROCK, credential_age_days=days)


def test_expired_api_key_lists_as_expired(account: Account, clock: FixedClock, bob: str) -> None:
    """A credential past its ExpirationDate reads as Expired."""
    create(account, bob, BEDROCK, credential_age_days=1)
    clock.advance(timedelta(days=1))
    (listed,) = account.list_service_specific_credentials(
        user_name=bob
    ).service_specific_credentials
    assert listed.status == "Expired"


# -- ListServiceSpecificCredentials ------------------------------------------------------


def test_list_has_no_passwords(account: Account, bob: str) -> None:
    """ListServiceSpecificCredentials: metadata only, never the password or secret."""
    git = create(account, bob)
    create(account, bob, BEDROCK)
    listed = account.list_service_specific_credentials(user_name=bob).service_specific_credentials
    assert [c.service_name for c in listed] == [BEDROCK, CODECOMMIT]
    assert listed[1].service_user_name == "bob-at-123456789012"
    assert listed[1].service_specific_credential_id == git.service_specific_credential_id
    for item in listed:
        assert not hasattr(item, "service_password")
        assert not hasattr(item, "service_credential_secret")


def test_list_filters_by_service(account: Account, bob: str) -> None:
    """ListServiceSpecificCredentials: ServiceName filters (unsupported: NotSupportedService)."""
    create(account, bob)
    create(account, bob, KEYSPACES)
    listed = account.list_service_specific_credentials(user_name=bob, service_name=KEYSPACES)
    assert [c.service_name for c in listed.service_specific_credentials] == [KEYSPACES]
    with pytest.raises(NotSupportedService):
        account.list_service_specific_credentials(user_name=bob, service_name="s3.amazonaws.com")


def test_list_all_users(account: Account, bob: str) -> None:
    """ListServiceSpecificCredentials: AllUsers lists every user's; not together with UserName."""
    account.create_user(user_name="alice")
    create(account, bob)
    create(account, "alice")
    create(account, "alice", BEDROCK)
    listed = account.list_service_specific_credentials(all_users=True, service_name=CODECOMMIT)
    assert [c.user_name for c in listed.service_specific_credentials] == ["alice", "bob"]
    everything = account.list_service_specific_credentials(all_users=True)
    assert len(everything.service_specific_credentials) == 3
    with pytest.raises(InvalidInput):
        account.list_service_specific_credentials(all_users=True, user_name=bob)


def test_list_defaults_to_the_caller(account: Account, bob: str) -> None:
    """ListServiceSpecificCredentials: without UserName the caller's; root must name a user."""
    create(account, bob)
    with account.acting_as(bob):
        assert len(account.list_service_specific_credentials().service_specific_credentials) == 1
    with pytest.raises(ValidationError, match="non-User credentials"):
        account.list_service_specific_credentials()
    with pytest.raises(NoSuchEntity):
        account.list_service_specific_credentials(user_name="nobody")


def test_list_pages(account: Account, bob: str) -> None:
    """ListServiceSpecificCredentials: MaxItems/Marker paging."""
    for service in (CODECOMMIT, KEYSPACES, BEDROCK):
        create(account, bob, service)
    first = account.list_service_specific_credentials(user_name=bob, max_items=2)
    assert first.is_truncated
    rest = account.list_service_specific_credentials(user_name=bob, marker=first.marker)
    assert not rest.is_truncated
    services = [c.service_name for c in first.service_specific_credentials]
    services += [c.service_name for c in rest.service_specific_credentials]
    assert services == [BEDROCK, KEYSPACES, CODECOMMIT]


def test_renamed_user_keeps_service_user_name(account: Account, bob: str) -> None:
    """UpdateUser: credentials follow the user, but ServiceUserName keeps the old name."""
    create(account, bob)
    account.update_user(user_name=bob, new_user_name="robert")
    (listed,) = account.list_service_specific_credentials(
        user_name="robert"
    ).service_specific_credentials
    assert (listed.user_name, listed.service_user_name) == ("robert", "bob-at-123456789012")
    assert create(account, "robert").service_user_name == "robert-at-123456789012"


# -- Reset, Update, Delete ---------------------------------------------------------------


def test_reset_generates_a_new_password(account: Account, bob: str) -> None:
    """ResetServiceSpecificCredential: a new password; the old one stops working at once."""
    credential = create(account, bob)
    credential_id = credential.service_specific_credential_id
    state = account._state
    assert service_credentials.check_service_password(
        state, credential_id, credential.service_password
    )
    reset = account.reset_service_specific_credential(
        user_name=bob, service_specific_credential_id=credential_id
    ).service_specific_credential
    assert reset.service_password != credential.service_password
    assert PASSWORD.fullmatch(reset.service_password)
    assert reset.service_user_name == credential.service_user_name
    assert reset.service_specific_credential_id == credential_id
    assert not service_credentials.check_service_password(
        state, credential_id, credential.service_password
    )
    assert service_credentials.check_service_password(state, credential_id, reset.service_password)


def test_reset_api_key_keeps_alias(account: Account, bob: str) -> None:
    """ResetServiceSpecificCredential (Bedrock): a new secret under the same alias."""
    credential = create(account, bob, BEDROCK)
    reset = account.reset_service_specific_credential(
        user_name=bob, service_specific_credential_id=credential.service_specific_credential_id
    ).service_specific_credential
    assert reset.service_credential_alias == credential.service_credential_alias
    assert reset.service_credential_secret != credential.service_credential_secret


def test_reset_defaults_to_the_caller(account: Account, bob: str) -> None:
    """ResetServiceSpecificCredential: without UserName the caller's credential."""
    credential_id = create(account, bob).service_specific_credential_id
    with account.acting_as(bob):
        account.reset_service_specific_credential(service_specific_credential_id=credential_id)
    account.create_user(user_name="carol")
    with pytest.raises(ValidationError) as caught:
        account.reset_service_specific_credential(
            user_name="carol", service_specific_credential_id=credential_id
        )
    assert caught.value.message == (
        f"User carol does not have a service specific credential with id {credential_id}"
    )


def test_update_status(account: Account, bob: str) -> None:
    """UpdateServiceSpecificCredential: Active ↔ Inactive; Inactive passwords do not work."""
    credential = create(account, bob)
    credential_id = credential.service_specific_credential_id
    account.update_service_specific_credential(
        user_name=bob, service_specific_credential_id=credential_id, status="Inactive"
    )
    (listed,) = account.list_service_specific_credentials(
        user_name=bob
    ).service_specific_credentials
    assert listed.status == "Inactive"
    assert not service_credentials.check_service_password(
        account._state, credential_id, credential.service_password
    )
    with pytest.raises(InvalidInput):
        account.update_service_specific_credential(
            user_name=bob, service_specific_credential_id=credential_id, status="Expired"
        )
    with pytest.raises(NoSuchEntity):
        account.update_service_specific_credential(
            user_name=bob, service_specific_credential_id="ACCAAAAAAAAAAAAAAAAAA", status="Active"
        )


def test_delete_and_delete_user(account: Account, bob: str) -> None:
    """DeleteUser: refused while service-specific credentials exist; Delete removes them."""
    credential_id = create(account, bob).service_specific_credential_id
    with pytest.raises(DeleteConflict) as caught:
        account.delete_user(user_name=bob)
    assert caught.value.message == "Cannot delete entity, must remove referenced objects first."
    account.delete_service_specific_credential(
        user_name=bob, service_specific_credential_id=credential_id
    )
    with pytest.raises(NoSuchEntity):
        account.delete_service_specific_credential(
            user_name=bob, service_specific_credential_id=credential_id
        )
    assert account._state.user_service_specific_credentials == {}
    account.delete_user(user_name=bob)


def test_password_never_stored_in_plaintext(account: Account, bob: str) -> None:
    """The state keeps only a salted Scrypt hash of the password."""
    credential = create(account, bob)
    stored = account._state.service_specific_credentials[credential.service_specific_credential_id]
    assert credential.service_password not in repr(account.snapshot())
    assert isinstance(stored.secret_hash, passwords.PasswordHash)
    assert credential.service_password.encode() not in stored.secret_hash.digest


@settings(max_examples=15)
@given(services=st.lists(st.sampled_from([CODECOMMIT, KEYSPACES, BEDROCK, LOGS]), max_size=12))
def test_never_more_than_two_per_service(services: list[str]) -> None:
    """CreateServiceSpecificCredential: whatever is asked, each service has at most 2 per user,
    with distinct generated names."""
    account = Account()
    account.create_user(user_name="bob")
    for service in services:
        with contextlib.suppress(LimitExceeded):
            create(account, "bob", service)
    listed = account.list_service_specific_credentials(
        user_name="bob"
    ).service_specific_credentials
    for service in set(services):
        mine = [c for c in listed if c.service_name == service]
        assert len(mine) == min(services.count(service), 2)
        names = {c.service_user_name or c.service_credential_alias for c in mine}
        assert len(names) == len(mine)


# -- boto3 through iamcore.mock ----------------------------------------------------------


def test_boto3_lifecycle(boto3_iam: Any) -> None:
    """boto3: Create, List, Reset, Update, Delete a CodeCommit Git credential."""
    boto3_iam.create_user(UserName="bob")
    created = boto3_iam.create_service_specific_credential(UserName="bob", ServiceName=CODECOMMIT)[
        "ServiceSpecificCredential"
    ]
    assert set(created) == {
        "CreateDate",
        "ServiceName",
        "ServiceUserName",
        "ServicePassword",
        "ServiceSpecificCredentialId",
        "UserName",
        "Status",
    }
    credential_id = created["ServiceSpecificCredentialId"]
    listed = boto3_iam.list_service_specific_credentials(UserName="bob")[
        "ServiceSpecificCredentials"
    ]
    assert [c["ServiceSpecificCredentialId"] for c in listed] == [credential_id]
    assert "ServicePassword" not in listed[0]
    reset = boto3_iam.reset_service_specific_credential(
        UserName="bob", ServiceSpecificCredentialId=credential_id
    )["ServiceSpecificCredential"]
    assert reset["ServicePassword"] != created["ServicePassword"]
    boto3_iam.update_service_specific_credential(
        UserName="bob", ServiceSpecificCredentialId=credential_id, Status="Inactive"
    )
    listed = boto3_iam.list_service_specific_credentials(UserName="bob")[
        "ServiceSpecificCredentials"
    ]
    assert listed[0]["Status"] == "Inactive"
    boto3_iam.delete_service_specific_credential(
        UserName="bob", ServiceSpecificCredentialId=credential_id
    )
    boto3_iam.delete_user(UserName="bob")


def test_boto3_not_supported_service(boto3_iam: Any) -> None:
    """boto3 CreateServiceSpecificCredential: NoSuchEntity (AWS's code for it), HTTP 404."""
    boto3_iam.create_user(UserName="bob")
    with pytest.raises(ClientError) as caught:
        boto3_iam.create_service_specific_credential(
            UserName="bob", ServiceName="s3.amazonaws.com"
        )
    assert caught.value.response["Error"]["Code"] == "NoSuchEntity"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_boto3_bedrock_api_key(boto3_iam: Any) -> None:
    """boto3 CreateServiceSpecificCredential (Bedrock): alias, secret and ExpirationDate."""
    boto3_iam.create_user(UserName="bob")
    created = boto3_iam.create_service_specific_credential(
        UserName="bob", ServiceName=BEDROCK, CredentialAgeDays=7
    )["ServiceSpecificCredential"]
    assert created["ServiceCredentialAlias"] == "bob-at-123456789012"
    assert created["ServiceCredentialSecret"].startswith("ABSK")
    assert created["ExpirationDate"] - created["CreateDate"] == timedelta(days=7)
    assert "ServicePassword" not in created


def test_boto3_limit_exceeded(boto3_iam: Any) -> None:
    """boto3 CreateServiceSpecificCredential: LimitExceeded (409) for a third credential."""
    boto3_iam.create_user(UserName="bob")
    for _ in range(2):
        boto3_iam.create_service_specific_credential(UserName="bob", ServiceName=KEYSPACES)
    with pytest.raises(ClientError) as caught:
        boto3_iam.create_service_specific_credential(UserName="bob", ServiceName=KEYSPACES)
    assert caught.value.response["Error"]["Code"] == "LimitExceeded"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409


def test_delete_user_checks_in_documented_order(account: Account, bob: str) -> None:
    """DeleteUser: MFA devices (15) come before access keys (20), recorded from AWS, 2026
    (stackd mfa.json delete_assigned_user); SSH keys (40) and service credentials (50)
    keep their documented places."""
    checks = {(order, what) for order, what, _ in users.DELETE_CHECKS}
    assert {
        (15, "remove tokens from principal"),
        (20, "delete access keys"),
        (40, "remove referenced objects"),
        (50, "remove referenced objects"),
    } <= checks


def test_expired_api_key_secret_does_not_match(account: Account, clock: FixedClock) -> None:
    """CredentialAgeDays: an API key past its ExpirationDate reads Expired and its secret no
    longer matches (given the time); before that it does."""
    account.create_user(user_name="bob")
    credential = create(account, "bob", BEDROCK, credential_age_days=1)
    credential_id = credential.service_specific_credential_id
    secret = credential.service_credential_secret
    state = account._state
    assert service_credentials.check_service_password(state, credential_id, secret, clock.now())
    clock.advance(timedelta(days=1))
    (listed,) = account.list_service_specific_credentials(
        user_name="bob"
    ).service_specific_credentials
    assert listed.status == "Expired"
    assert not service_credentials.check_service_password(
        state, credential_id, secret, clock.now()
    )
