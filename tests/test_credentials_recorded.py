"""Credential behaviour recorded from real AWS IAM in 2026 (github.com/radkawar/stackd:
``testdata/aws/iam/*.json`` and ``internal/services/iam/testdata/*_aws.json``).

Each test names the capture and case it follows; where the capture contradicts an
earlier iamcore choice, the capture wins.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from iamcore import Account, totp
from iamcore.errors import (
    AccessDenied,
    DeleteConflict,
    DuplicateCertificate,
    DuplicateSSHPublicKey,
    EntityAlreadyExists,
    InvalidAuthenticationCode,
    InvalidInput,
    InvalidPublicKey,
    LimitExceeded,
    MalformedCertificate,
    NoSuchEntity,
    UnrecognizedPublicKeyEncoding,
    ValidationError,
)
from iamcore.mock import mock_iam
from iamcore.rules import access_keys
from iamcore.state import Context
from iamcore.testing import FixedClock, seeded_entropy
from tests.helpers import allow, client_as, fresh_snapshot, policy
from tests.test_signing_certificates import pem_certificate

EXPIRED_TEXT = "Operation does not support status Expired"
CODECOMMIT = "codecommit.amazonaws.com"
KEYSPACES = "cassandra.amazonaws.com"
BEDROCK = "bedrock.amazonaws.com"
LOGS = "logs.amazonaws.com"
CLOUDWATCH = "cloudwatch.amazonaws.com"
ANTHROPIC = "aws-external-anthropic.amazonaws.com"


def _ctx(account: Account) -> Context:
    return Context(account.account_id, account.clock.now(), account.entropy)


def _rsa_openssh(bits: int = 2048) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits).public_key()
    return key.public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    ).decode()


# -- 1. Status Expired -------------------------------------------------------------------


def test_update_access_key_expired_rule(account: Account, bob: str) -> None:
    """UpdateAccessKey Status=Expired: InvalidInput "Operation does not support status
    Expired", the key keeping its status, Active or Inactive (recorded from AWS, 2026:
    stackd resource_inputs.json key_statuses).  The rule's own check."""
    key_id = account.create_access_key(user_name=bob).access_key.access_key_id
    for stored in ("Active", "Inactive"):
        account.update_access_key(user_name=bob, access_key_id=key_id, status=stored)
        before = account.snapshot()
        with pytest.raises(InvalidInput) as caught:
            access_keys.update_access_key(
                account._state,
                _ctx(account),
                user_name=bob,
                access_key_id=key_id,
                status="Expired",
            )
        assert caught.value.message == EXPIRED_TEXT
        assert fresh_snapshot(account) == before


def test_update_access_key_expired_through_the_api(account: Account, bob: str) -> None:
    """UpdateAccessKey Status=Expired through the API: InvalidInput "Operation does not
    support status Expired" (recorded from AWS, 2026: stackd resource_inputs.json)."""
    key_id = account.create_access_key(user_name=bob).access_key.access_key_id
    with pytest.raises(InvalidInput) as caught:
        account.update_access_key(user_name=bob, access_key_id=key_id, status="Expired")
    assert caught.value.message == EXPIRED_TEXT


def test_update_other_credentials_expired(account: Account, bob: str) -> None:
    """UpdateSigningCertificate, UpdateSSHPublicKey and UpdateServiceSpecificCredential
    Status=Expired: InvalidInput "Operation does not support status Expired", nothing
    changes (recorded from AWS, 2026: stackd certificates_aws.json signing:status-Expired,
    ssh:status-Expired; service_credentials_aws.json *:set-expired)."""
    pem = pem_certificate(account.clock.now() - timedelta(days=1))
    cert_id = account.upload_signing_certificate(
        user_name=bob, certificate_body=pem
    ).certificate.certificate_id
    key_id = account.upload_ssh_public_key(
        user_name=bob, ssh_public_key_body=_rsa_openssh()
    ).ssh_public_key.ssh_public_key_id
    credential_ids = [
        account.create_service_specific_credential(
            user_name=bob, service_name=service
        ).service_specific_credential.service_specific_credential_id
        for service in (CODECOMMIT, BEDROCK, CLOUDWATCH)
    ]
    before = account.snapshot()
    calls: list[Any] = [
        lambda: account.update_signing_certificate(
            user_name=bob, certificate_id=cert_id, status="Expired"
        ),
        lambda: account.update_ssh_public_key(
            user_name=bob, ssh_public_key_id=key_id, status="Expired"
        ),
    ]
    for credential_id in credential_ids:
        calls.append(
            lambda credential_id=credential_id: account.update_service_specific_credential(
                user_name=bob, service_specific_credential_id=credential_id, status="Expired"
            )
        )
    for call in calls:
        with pytest.raises(InvalidInput) as caught:
            call()
        assert caught.value.message == EXPIRED_TEXT
    assert fresh_snapshot(account) == before


# -- 2. MFA conflicts, DeleteUser ----------------------------------------------------------


def _device(account: Account, name: str = "phone") -> tuple[str, bytes]:
    device = account.create_virtual_mfa_device(virtual_mfa_device_name=name).virtual_mfa_device
    assert device.base32_string_seed is not None
    return device.serial_number, device.base32_string_seed


def _pair(account: Account, op: Any, user: str, serial: str, seed: bytes, second: int) -> None:
    """Call Enable/ResyncMFADevice with the codes of steps (second - 1, second)."""
    op(
        user_name=user,
        serial_number=serial,
        authentication_code1=totp.code_for_step(seed, second - 1),
        authentication_code2=totp.code_for_step(seed, second),
    )


def test_enable_again_for_the_same_user(account: Account, bob: str) -> None:
    """EnableMFADevice of a device already enabled for the same user: EntityAlreadyExists
    "MFA Device for user <name> already exists." (recorded from AWS, 2026: stackd mfa.json
    enable_duplicate); another user's device stays "MFA Device is already in use."."""
    account.create_user(user_name="carol")
    serial, seed = _device(account)
    now = totp.time_step(account.clock.now())
    _pair(account, account.enable_mfa_device, bob, serial, seed, now)
    before = account.snapshot()
    with pytest.raises(EntityAlreadyExists) as caught:
        _pair(account, account.enable_mfa_device, bob, serial, seed, now + 5)
    assert caught.value.message == "MFA Device for user bob already exists."
    with pytest.raises(EntityAlreadyExists) as caught:
        _pair(account, account.enable_mfa_device, "carol", serial, seed, now + 5)
    assert caught.value.message == "MFA Device is already in use."
    assert fresh_snapshot(account) == before


def test_delete_user_with_mfa_and_access_key(account: Account, bob: str) -> None:
    """DeleteUser of a user with an enabled MFA device and an access key: DeleteConflict
    "Cannot delete entity, must remove tokens from principal first." -- MFA is checked
    before access keys (recorded from AWS, 2026: stackd mfa.json delete_assigned_user)."""
    serial, seed = _device(account)
    key_id = account.create_access_key(user_name=bob).access_key.access_key_id
    _pair(
        account, account.enable_mfa_device, bob, serial, seed, totp.time_step(account.clock.now())
    )
    with pytest.raises(DeleteConflict) as caught:
        account.delete_user(user_name=bob)
    assert caught.value.message == "Cannot delete entity, must remove tokens from principal first."
    account.deactivate_mfa_device(user_name=bob, serial_number=serial)
    with pytest.raises(DeleteConflict) as caught:
        account.delete_user(user_name=bob)
    assert caught.value.message == "Cannot delete entity, must delete access keys first."
    account.delete_access_key(user_name=bob, access_key_id=key_id)
    account.delete_user(user_name=bob)


def test_delete_user_with_certificates(account: Account, bob: str) -> None:
    """DeleteUser of a user with a signing certificate: "Cannot delete entity, must delete
    certificates first." (recorded from AWS, 2026: stackd signing:user-delete-blocked)."""
    pem = pem_certificate(account.clock.now() - timedelta(days=1))
    account.upload_signing_certificate(user_name=bob, certificate_body=pem)
    with pytest.raises(DeleteConflict) as caught:
        account.delete_user(user_name=bob)
    assert caught.value.message == "Cannot delete entity, must delete certificates first."


# -- 3, 4. Enforcement ---------------------------------------------------------------------


def test_list_all_users_needs_every_user() -> None:
    """ListServiceSpecificCredentials AllUsers=true is authorized on every user: a grant on
    the caller's own ARN, or on another user's, is AccessDenied; a grant on every user or
    on "*" succeeds (recorded from AWS, 2026: stackd credential_inputs.json boolean_inputs,
    service_credentials_authorization_aws.json self:/target:/account-users:/global:)."""
    account = Account(clock=FixedClock(), entropy=seeded_entropy(3))
    account.create_user(user_name="actor")
    account.create_user(user_name="target")
    account.create_service_specific_credential(user_name="target", service_name=CODECOMMIT)
    with mock_iam(account, enforce=True):
        me = client_as(account, "actor")
        own = "arn:aws:iam::123456789012:user/actor"
        other = "arn:aws:iam::123456789012:user/target"
        cases = {
            own: ("AccessDenied", "Success", "AccessDenied"),
            other: ("AccessDenied", "AccessDenied", "Success"),
            "arn:aws:iam::123456789012:user/*": ("Success", "Success", "Success"),
            "*": ("Success", "Success", "Success"),
        }
        for resource, expected in cases.items():
            account.put_user_policy(
                user_name="actor",
                policy_name="Probe",
                policy_document=policy(allow("iam:ListServiceSpecificCredentials", resource)),
            )
            outcomes = []
            for kwargs in ({"AllUsers": True}, {}, {"UserName": "target"}):
                try:
                    me.list_service_specific_credentials(**kwargs)
                    outcomes.append("Success")
                except ClientError as error:
                    outcomes.append(error.response["Error"]["Code"])
            assert tuple(outcomes) == expected, resource


def test_service_credential_condition_keys() -> None:
    """CreateServiceSpecificCredential sets iam:ServiceSpecificCredentialServiceName (the
    service, lower-case) and iam:ServiceSpecificCredentialAgeDays (when CredentialAgeDays
    is given) in the request context (recorded from AWS, 2026: stackd credential_inputs.json
    condition_inputs; service_credentials_authorization_aws.json uppercase-service-condition,
    lowercase-service-condition, omitted-age-condition)."""
    account = Account(clock=FixedClock(), entropy=seeded_entropy(4))
    account.create_user(user_name="actor")
    own = "arn:aws:iam::123456789012:user/actor"
    with mock_iam(account, enforce=True):
        me = client_as(account, "actor")
        account.put_user_policy(
            user_name="actor",
            policy_name="Probe",
            policy_document=policy(
                allow(
                    "iam:CreateServiceSpecificCredential",
                    own,
                    Condition={
                        "StringEquals": {
                            "iam:ServiceSpecificCredentialAgeDays": "1",
                            "iam:ServiceSpecificCredentialServiceName": BEDROCK,
                        }
                    },
                )
            ),
        )
        created = me.create_service_specific_credential(
            UserName="actor", ServiceName=BEDROCK, CredentialAgeDays=1
        )["ServiceSpecificCredential"]
        assert created["ExpirationDate"] - created["CreateDate"] == timedelta(days=1)
        account.put_user_policy(
            user_name="actor",
            policy_name="Probe",
            policy_document=policy(
                allow(
                    "iam:CreateServiceSpecificCredential",
                    own,
                    Condition={
                        "StringEquals": {"iam:ServiceSpecificCredentialServiceName": CODECOMMIT},
                        "NumericLessThanEquals": {"iam:ServiceSpecificCredentialAgeDays": "2"},
                    },
                )
            ),
        )
        upper = me.create_service_specific_credential(
            UserName="actor", ServiceName="CodeCommit.amazonaws.com", CredentialAgeDays=1
        )["ServiceSpecificCredential"]
        assert upper["ServiceName"] == CODECOMMIT
        with pytest.raises(ClientError) as caught:  # omitted-age-condition
            me.create_service_specific_credential(UserName="actor", ServiceName=CODECOMMIT)
        assert caught.value.response["Error"]["Code"] == "AccessDenied"
        me.create_service_specific_credential(
            UserName="actor", ServiceName=CODECOMMIT, CredentialAgeDays=1
        )


# -- 5. Service-specific credentials -------------------------------------------------------


def test_credential_age_days_for_codecommit(account: Account, bob: str) -> None:
    """CreateServiceSpecificCredential CodeCommit/Keyspaces with CredentialAgeDays: Success,
    ExpirationDate = CreateDate + 86400 s; the password has 60 characters (recorded from
    AWS, 2026: stackd service_credentials_aws.json legacy-expiration)."""
    for service in (CODECOMMIT, KEYSPACES):
        credential = account.create_service_specific_credential(
            user_name=bob, service_name=service, credential_age_days=1
        ).service_specific_credential
        assert credential.expiration_date == credential.create_date + timedelta(seconds=86400)
        assert credential.service_password is not None
        assert len(credential.service_password) == 60


def test_service_name_ignores_case(account: Account, bob: str) -> None:
    """ServiceName "CodeCommit.amazonaws.com": Success, ServiceName stored
    "codecommit.amazonaws.com" (recorded from AWS, 2026: stackd uppercase-service)."""
    credential = account.create_service_specific_credential(
        user_name=bob, service_name="CodeCommit.amazonaws.com"
    ).service_specific_credential
    assert credential.service_name == CODECOMMIT
    listed = account.list_service_specific_credentials(
        user_name=bob, service_name="CODECOMMIT.amazonaws.com"
    ).service_specific_credentials
    assert [c.service_name for c in listed] == [CODECOMMIT]


@pytest.mark.parametrize(
    ("service", "prefix"),
    [(BEDROCK, "ABSK"), (LOGS, "ACWL"), (CLOUDWATCH, "APIAACWM"), (ANTHROPIC, "AEAA")],
)
def test_api_key_services_and_secret_shape(account: Account, service: str, prefix: str) -> None:
    """API keys of Bedrock, CloudWatch Logs, CloudWatch and aws-external-anthropic: the
    secret is the service's prefix + base64("alias:" + a 60-character secret), so a 31-
    character user name gives 148 characters (+4 for CloudWatch's longer prefix) and the
    +1 alias 152 (recorded from AWS, 2026: stackd service_credentials_aws.json *:create-*,
    service_credentials_authorization_aws.json public-token-envelope)."""
    user = "u" * 31
    account.create_user(user_name=user)
    first = account.create_service_specific_credential(
        user_name=user, service_name=service, credential_age_days=1
    ).service_specific_credential
    second = account.create_service_specific_credential(
        user_name=user, service_name=service
    ).service_specific_credential
    extra = len(prefix) - 4
    assert first.service_credential_alias == f"{user}-at-123456789012"
    assert second.service_credential_alias == f"{user}+1-at-123456789012"
    for credential, length in ((first, 148), (second, 152)):
        secret = credential.service_credential_secret
        assert secret is not None
        assert secret.startswith(prefix)
        assert len(secret) == length + extra
        alias, _, raw = base64.b64decode(secret[len(prefix) :]).decode().partition(":")
        assert alias == credential.service_credential_alias
        assert len(raw) == 60
    assert first.expiration_date == first.create_date + timedelta(days=1)
    with pytest.raises(LimitExceeded) as caught:
        account.create_service_specific_credential(user_name=user, service_name=service)
    assert caught.value.message == (
        "Cannot exceed quota for ContextSpecificCredentialsPerUserPerContext: 2"
    )


def test_wrong_owner_is_validation_error(account: Account, bob: str) -> None:
    """Reset/Update/Delete of another user's credential: ValidationError "User <name> does
    not have a service specific credential with id <id>"; an unknown ID stays NoSuchEntity
    (recorded from AWS, 2026: stackd *:wrong-owner, wrong-owner-update/-delete,
    missing-credential-id)."""
    account.create_user(user_name="bob-other")
    credential_id = account.create_service_specific_credential(
        user_name=bob, service_name=BEDROCK
    ).service_specific_credential.service_specific_credential_id
    before = account.snapshot()
    text = f"User bob-other does not have a service specific credential with id {credential_id}"
    calls: list[Any] = [
        lambda: account.reset_service_specific_credential(
            user_name="bob-other", service_specific_credential_id=credential_id
        ),
        lambda: account.update_service_specific_credential(
            user_name="bob-other", service_specific_credential_id=credential_id, status="Inactive"
        ),
        lambda: account.delete_service_specific_credential(
            user_name="bob-other", service_specific_credential_id=credential_id
        ),
    ]
    for call in calls:
        with pytest.raises(ValidationError) as caught:
            call()
        assert caught.value.message == text
    assert fresh_snapshot(account) == before
    with pytest.raises(NoSuchEntity, match="No such credential ACCAAAAAAAAAAAAAAAAAA exists"):
        account.delete_service_specific_credential(
            user_name=bob, service_specific_credential_id="ACCAAAAAAAAAAAAAAAAAA"
        )


def test_list_service_name_checks(account: Account, bob: str) -> None:
    """ListServiceSpecificCredentials: ServiceName "" succeeds (every service); characters
    outside [a-zA-Z0-9.-] are ValidationError "ServiceName must match [a-zA-Z0-9.-]*";
    an unsupported name stays NoSuchEntity; AllUsers with UserName is InvalidInput "Cannot
    list credentials for all users if a username is given" (recorded from AWS, 2026:
    stackd list-empty-service, list-invalid-service-characters, list-unsupported-cn-service,
    list-all-users-and-user)."""
    account.create_service_specific_credential(user_name=bob, service_name=CODECOMMIT)
    listed = account.list_service_specific_credentials(user_name=bob, service_name="")
    assert len(listed.service_specific_credentials) == 1
    with pytest.raises(ValidationError) as caught:
        account.list_service_specific_credentials(
            user_name=bob, service_name=" CODECOMMIT.amazonaws.com "
        )
    assert caught.value.message == "ServiceName must match [a-zA-Z0-9.-]*"
    with pytest.raises(NoSuchEntity) as not_found:
        account.list_service_specific_credentials(
            user_name=bob, service_name="codecommit.amazonaws.com.cn"
        )
    assert not_found.value.message == (
        "No such service codecommit.amazonaws.com.cn is supported for Service Specific Credentials"
    )
    with pytest.raises(InvalidInput) as invalid:
        account.list_service_specific_credentials(all_users=True, user_name=bob)
    assert invalid.value.message == "Cannot list credentials for all users if a username is given"


def test_recreated_user_name_gets_plus_one(account: Account) -> None:
    """A new user who takes a renamed user's name gets the "+1" ServiceUserName: generated
    names are unique in the account (recorded from AWS, 2026: stackd
    recreated-username-public-alias-collision, legacy-alias-case keeps the case)."""
    name = "stackd-MixedCred-abc"
    account.create_user(user_name=name)
    first = account.create_service_specific_credential(
        user_name=name, service_name=CODECOMMIT
    ).service_specific_credential
    assert first.service_user_name == f"{name}-at-123456789012"
    account.update_user(user_name=name, new_user_name=f"{name}-new")
    account.create_user(user_name=name)
    second = account.create_service_specific_credential(
        user_name=name, service_name=CODECOMMIT
    ).service_specific_credential
    assert second.service_user_name == f"{name}+1-at-123456789012"


# -- 6. MFA windows and reuse ----------------------------------------------------------------


def test_enable_window_edges(account: Account, bob: str) -> None:
    """EnableMFADevice accepts code 2 from 998 steps behind to 1000 ahead; -999 and +1001
    are InvalidAuthenticationCode (recorded from AWS, 2026: stackd mfa_pair_window.json
    eligibility, offset_720_3, offset_990_6)."""
    now = totp.time_step(account.clock.now())
    for offset, accepted in (
        (1001, False),
        (-999, False),
        (1000, True),
        (-998, True),
        (720, True),
    ):
        serial, seed = _device(account, f"d{offset}")
        if accepted:
            _pair(account, account.enable_mfa_device, bob, serial, seed, now + offset)
            account.deactivate_mfa_device(user_name=bob, serial_number=serial)
        else:
            with pytest.raises(InvalidAuthenticationCode):
                _pair(account, account.enable_mfa_device, bob, serial, seed, now + offset)


def test_resync_searches_around_the_stored_drift(account: Account, bob: str) -> None:
    """ResyncMFADevice searches around the device's adjustment, which survives
    deactivation: enable +600, resync +1200, +1800, +1802, deactivate, re-enable +1804 all
    succeed (recorded from AWS, 2026: stackd mfa_resync_anchor.json)."""
    serial, seed = _device(account)
    now = totp.time_step(account.clock.now())
    _pair(account, account.enable_mfa_device, bob, serial, seed, now + 600)
    for offset in (1200, 1800, 1802):
        _pair(account, account.resync_mfa_device, bob, serial, seed, now + offset)
    account.deactivate_mfa_device(user_name=bob, serial_number=serial)
    _pair(account, account.enable_mfa_device, bob, serial, seed, now + 1804)


def test_pair_may_not_reuse_the_previous_second_code(account: Account, bob: str) -> None:
    """A Resync pair whose code 1 is the previous accepted pair's code 2 is
    InvalidAuthenticationCode; the next disjoint pair succeeds (recorded from AWS, 2026:
    stackd mfa_reuse.json resync_after_use_1..4, mfa_time.json resync_overlap_pair)."""
    serial, seed = _device(account)
    enabled = totp.time_step(account.clock.now())
    _pair(account, account.enable_mfa_device, bob, serial, seed, enabled)
    account.clock.advance(timedelta(seconds=66))  # now = enabled + 2
    _pair(account, account.resync_mfa_device, bob, serial, seed, enabled + 3)
    before = account.snapshot()
    with pytest.raises(InvalidAuthenticationCode):
        _pair(account, account.resync_mfa_device, bob, serial, seed, enabled + 4)
    assert fresh_snapshot(account) == before
    _pair(account, account.resync_mfa_device, bob, serial, seed, enabled + 5)
    with pytest.raises(InvalidAuthenticationCode):
        _pair(account, account.resync_mfa_device, bob, serial, seed, enabled + 6)


def test_reenroll_may_not_reuse_the_previous_second_code(account: Account, bob: str) -> None:
    """EnableMFADevice after deactivation with a pair overlapping the last accepted pair is
    InvalidAuthenticationCode; the next pair succeeds, even 12 steps ahead (recorded from
    AWS, 2026: stackd mfa_time.json reenroll_overlap_pair, reenroll_next_pair)."""
    serial, seed = _device(account)
    now = totp.time_step(account.clock.now())
    _pair(account, account.enable_mfa_device, bob, serial, seed, now)
    account.deactivate_mfa_device(user_name=bob, serial_number=serial)
    with pytest.raises(InvalidAuthenticationCode):
        _pair(account, account.enable_mfa_device, bob, serial, seed, now + 1)
    _pair(account, account.enable_mfa_device, bob, serial, seed, now + 12)


# -- 7. Certificates, SSH keys, passwords ---------------------------------------------------


def test_signing_certificate_reupload_same_user(account: Account, bob: str) -> None:
    """UploadSigningCertificate of a certificate the user already has: Success with the
    existing certificate (same ID and UploadDate), Status "Active" in the answer while the
    listing keeps "Inactive" (recorded from AWS, 2026: stackd certificates_aws.json
    signing:duplicate, certificate_edges_aws.json signing:duplicate-inactive)."""
    account.create_user(user_name="carol")
    pem = pem_certificate(account.clock.now() - timedelta(days=1))
    first = account.upload_signing_certificate(user_name=bob, certificate_body=pem).certificate
    account.update_signing_certificate(
        user_name=bob, certificate_id=first.certificate_id, status="Inactive"
    )
    account.clock.advance(timedelta(minutes=5))
    before = account.snapshot()
    again = account.upload_signing_certificate(user_name=bob, certificate_body=pem).certificate
    assert again.certificate_id == first.certificate_id
    assert again.upload_date == first.upload_date
    assert again.status == "Active"
    assert fresh_snapshot(account) == before
    (listed,) = account.list_signing_certificates(user_name=bob).certificates
    assert listed.status == "Inactive"
    with pytest.raises(DuplicateCertificate) as caught:
        account.upload_signing_certificate(user_name="carol", certificate_body=pem)
    assert caught.value.message == "Duplicate certificate uploaded."


def test_signing_certificate_id_is_base32_sha1_of_der(account: Account, bob: str) -> None:
    """CertificateId is base32(SHA-1(DER)), 32 characters (recorded from AWS, 2026: stackd
    certificate_edges_aws.json id_is_base32_sha1_der)."""
    pem = pem_certificate(account.clock.now() - timedelta(days=1))
    der = x509.load_pem_x509_certificate(pem.encode()).public_bytes(serialization.Encoding.DER)
    expected = base64.b32encode(hashlib.sha1(der).digest()).decode()
    certificate = account.upload_signing_certificate(user_name=bob, certificate_body=pem)
    assert certificate.certificate.certificate_id == expected
    assert len(expected) == 32


def test_expired_signing_certificate_is_malformed(account: Account, bob: str) -> None:
    """An expired signing certificate: MalformedCertificate "Certificate <body> is
    malformed." (recorded from AWS, 2026: stackd signing:expired shows "Certificate
    -----BEGIN CERTIFICATE-----", the CLI's first line of that text)."""
    expired = pem_certificate(account.clock.now() - timedelta(days=400), days=10)
    with pytest.raises(MalformedCertificate) as caught:
        account.upload_signing_certificate(user_name=bob, certificate_body=expired)
    assert caught.value.message == f"Certificate {expired} is malformed."
    assert caught.value.message.startswith("Certificate -----BEGIN CERTIFICATE-----")


def test_ssh_key_texts(account: Account, bob: str) -> None:
    """UploadSSHPublicKey/DeleteSSHPublicKey texts: "Invalid public key uploaded." for a body
    that is no key, "Invalid body for public key" for RSA 1024, "Duplicate SSH public key
    uploaded.", and "User has no Public Key with id X." for another user's key (recorded
    from AWS, 2026: stackd certificates_aws.json ssh:malformed, ssh:rsa1024,
    ssh:duplicate-pem, ssh:wrong-owner)."""
    account.create_user(user_name="carol")
    with pytest.raises(UnrecognizedPublicKeyEncoding) as unrecognized:
        account.upload_ssh_public_key(user_name=bob, ssh_public_key_body="not a key")
    assert unrecognized.value.message == "Invalid public key uploaded."
    with pytest.raises(InvalidPublicKey) as invalid:
        account.upload_ssh_public_key(user_name=bob, ssh_public_key_body=_rsa_openssh(1024))
    assert invalid.value.message == "Invalid body for public key"
    body = _rsa_openssh()
    key_id = account.upload_ssh_public_key(
        user_name=bob, ssh_public_key_body=body
    ).ssh_public_key.ssh_public_key_id
    with pytest.raises(DuplicateSSHPublicKey) as duplicate:
        account.upload_ssh_public_key(user_name=bob, ssh_public_key_body=body)
    assert duplicate.value.message == "Duplicate SSH public key uploaded."
    with pytest.raises(NoSuchEntity) as foreign:
        account.delete_ssh_public_key(user_name="carol", ssh_public_key_id=key_id)
    assert foreign.value.message == f"User has no Public Key with id {key_id}."


def test_change_password_to_the_current_password(account: Account, bob: str) -> None:
    """ChangePassword with NewPassword equal to the current password: AccessDenied, even
    with no password policy, and nothing changes (recorded from AWS, 2026: stackd
    login_profile_aws.json change_to_same_password; the message was not recorded)."""
    account.put_user_policy(
        user_name=bob,
        policy_name="self",
        policy_document=policy(allow("iam:ChangePassword", "arn:aws:iam::123456789012:user/bob")),
    )
    account.create_login_profile(user_name=bob, password="Correct-Horse-9")
    before = account.snapshot()
    with account.acting_as(bob), pytest.raises(AccessDenied):
        account.change_password(old_password="Correct-Horse-9", new_password="Correct-Horse-9")
    assert fresh_snapshot(account) == before
    with account.acting_as(bob):
        account.change_password(old_password="Correct-Horse-9", new_password="Battery-Staple-8")
