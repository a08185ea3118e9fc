"""Signing certificates: UploadSigningCertificate, ListSigningCertificates,
UpdateSigningCertificate, DeleteSigningCertificate (native and through boto3)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from iamcore import Account
from iamcore.errors import (
    DeleteConflict,
    DuplicateCertificate,
    InvalidCertificate,
    InvalidInput,
    LimitExceeded,
    MalformedCertificate,
    NoSuchEntity,
    ValidationError,
)
from iamcore.mock import mock_iam
from iamcore.testing import FixedClock, seeded_entropy
from tests.helpers import boto3_client, fresh_snapshot

CERTIFICATE_ID = re.compile(r"[A-Z2-7]{32}")


def pem_certificate(
    not_before: datetime, days: int = 365, common_name: str = "iamcore test"
) -> str:
    """A self-signed X.509 certificate in PEM, valid from ``not_before`` for ``days``."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


@pytest.fixture
def pem(clock: FixedClock) -> str:
    return pem_certificate(clock.now() - timedelta(days=1))


def test_upload_shape(account: Account, bob: str, pem: str) -> None:
    """UploadSigningCertificate: an Active certificate with an ID, the body, the upload date."""
    certificate = account.upload_signing_certificate(user_name=bob, certificate_body=pem)
    cert = certificate.certificate
    assert CERTIFICATE_ID.fullmatch(cert.certificate_id)
    assert (cert.user_name, cert.status, cert.certificate_body) == ("bob", "Active", pem)
    assert cert.upload_date == account.clock.now()


def test_list_in_upload_order_with_current_name(
    account: Account, clock: FixedClock, bob: str, pem: str
) -> None:
    """ListSigningCertificates lists in upload order, under the user's current name."""
    first = account.upload_signing_certificate(user_name=bob, certificate_body=pem)
    clock.advance(timedelta(hours=1))
    second_pem = pem_certificate(clock.now() - timedelta(days=1))
    second = account.upload_signing_certificate(user_name=bob, certificate_body=second_pem)
    account.update_user(user_name="bob", new_user_name="robert")
    listed = account.list_signing_certificates(user_name="robert").certificates
    assert [c.certificate_id for c in listed] == [
        first.certificate.certificate_id,
        second.certificate.certificate_id,
    ]
    assert {c.user_name for c in listed} == {"robert"}
    page = account.list_signing_certificates(user_name="robert", max_items=1)
    assert page.is_truncated
    assert page.marker is not None
    rest = account.list_signing_certificates(user_name="robert", marker=page.marker)
    assert [c.certificate_id for c in rest.certificates] == [second.certificate.certificate_id]


def test_limit_two_per_user_counts_inactive(account: Account, clock: FixedClock, bob: str) -> None:
    """Signing certificates per user: 2, Inactive ones included (LimitExceeded)."""
    start = clock.now() - timedelta(days=1)
    for number in range(2):
        cert = account.upload_signing_certificate(
            user_name=bob, certificate_body=pem_certificate(start, common_name=f"c{number}")
        ).certificate
        account.update_signing_certificate(
            user_name=bob, certificate_id=cert.certificate_id, status="Inactive"
        )
    before = account.snapshot()
    with pytest.raises(LimitExceeded, match=r": Cannot exceed quota for CertificatesPerUser: 2$"):
        account.upload_signing_certificate(user_name=bob, certificate_body=pem_certificate(start))
    assert fresh_snapshot(account) == before


def test_duplicate_certificate_account_wide(account: Account, bob: str, pem: str) -> None:
    """The same certificate may belong to only one user of the account: another user's
    upload is DuplicateCertificate "Duplicate certificate uploaded."; the owner's
    re-upload (even re-encoded) answers the existing certificate (recorded from AWS, 2026:
    stackd certificates_aws.json signing:duplicate, signing:duplicate-other-user)."""
    account.create_user(user_name="carol")
    first = account.upload_signing_certificate(user_name=bob, certificate_body=pem).certificate
    with pytest.raises(DuplicateCertificate) as error:
        account.upload_signing_certificate(user_name="carol", certificate_body=pem)
    assert error.value.http_status == 409
    assert error.value.message == "Duplicate certificate uploaded."
    again = account.upload_signing_certificate(user_name=bob, certificate_body=f"\n{pem}\n")
    assert again.certificate == first
    assert len(account.list_signing_certificates(user_name=bob).certificates) == 1


def test_malformed_and_expired_certificates(account: Account, clock: FixedClock, bob: str) -> None:
    """A body that is no PEM certificate, or an expired one, is MalformedCertificate (400),
    "Certificate <body> is malformed." for both (recorded from AWS, 2026: the expired
    certificate's answer starts "Certificate -----BEGIN CERTIFICATE-----")."""
    with pytest.raises(MalformedCertificate) as error:
        account.upload_signing_certificate(user_name=bob, certificate_body="not a certificate")
    assert error.value.http_status == 400
    assert error.value.message == "Certificate not a certificate is malformed."
    expired = pem_certificate(clock.now() - timedelta(days=30), days=10)
    with pytest.raises(MalformedCertificate) as error:
        account.upload_signing_certificate(user_name=bob, certificate_body=expired)
    assert error.value.message == f"Certificate {expired} is malformed."
    future = pem_certificate(clock.now() + timedelta(days=1))
    with pytest.raises(InvalidCertificate):
        account.upload_signing_certificate(user_name=bob, certificate_body=future)
    assert account.list_signing_certificates(user_name=bob).certificates == ()


def test_update_status_and_expired_refused(account: Account, bob: str, pem: str) -> None:
    """UpdateSigningCertificate sets Active/Inactive; Expired is InvalidInput."""
    cert_id = account.upload_signing_certificate(
        user_name=bob, certificate_body=pem
    ).certificate.certificate_id
    account.update_signing_certificate(user_name=bob, certificate_id=cert_id, status="Inactive")
    (listed,) = account.list_signing_certificates(user_name=bob).certificates
    assert listed.status == "Inactive"
    with pytest.raises(InvalidInput):
        account.update_signing_certificate(user_name=bob, certificate_id=cert_id, status="Expired")
    with pytest.raises(ValidationError):
        account.update_signing_certificate(user_name=bob, certificate_id=cert_id, status="Off")


def test_unknown_or_foreign_certificate_is_no_such_entity(
    account: Account, bob: str, pem: str
) -> None:
    """A certificate ID the user does not own is NoSuchEntity for update and delete."""
    account.create_user(user_name="carol")
    cert_id = account.upload_signing_certificate(
        user_name=bob, certificate_body=pem
    ).certificate.certificate_id
    with pytest.raises(NoSuchEntity, match=f"The Certificate with id {cert_id} cannot be found"):
        account.delete_signing_certificate(user_name="carol", certificate_id=cert_id)
    with pytest.raises(NoSuchEntity):
        account.update_signing_certificate(
            user_name=bob, certificate_id="A" * 32, status="Inactive"
        )
    with pytest.raises(NoSuchEntity):
        account.upload_signing_certificate(user_name="nobody", certificate_body=pem)


def test_delete_frees_the_certificate(account: Account, bob: str, pem: str) -> None:
    """DeleteSigningCertificate removes it; the same certificate can be uploaded again."""
    cert_id = account.upload_signing_certificate(
        user_name=bob, certificate_body=pem
    ).certificate.certificate_id
    account.delete_signing_certificate(user_name=bob, certificate_id=cert_id)
    assert account.list_signing_certificates(user_name=bob).certificates == ()
    account.upload_signing_certificate(user_name=bob, certificate_body=pem)


def test_delete_user_refused_while_certificates_remain(
    account: Account, bob: str, pem: str
) -> None:
    """DeleteUser: DeleteConflict "Cannot delete entity, must delete certificates first."
    after access keys (recorded from AWS, 2026: stackd signing:user-delete-blocked)."""
    cert_id = account.upload_signing_certificate(
        user_name=bob, certificate_body=pem
    ).certificate.certificate_id
    key_id = account.create_access_key(user_name=bob).access_key.access_key_id
    with pytest.raises(DeleteConflict, match="must delete access keys first"):
        account.delete_user(user_name=bob)
    account.delete_access_key(user_name=bob, access_key_id=key_id)
    with pytest.raises(DeleteConflict, match="must delete certificates first"):
        account.delete_user(user_name=bob)
    account.delete_signing_certificate(user_name=bob, certificate_id=cert_id)
    account.delete_user(user_name=bob)


def test_user_name_omitted(account: Account, bob: str, pem: str) -> None:
    """Without UserName the caller's certificates are meant; a non-user caller must name one."""
    with pytest.raises(ValidationError, match="Must specify userName"):
        account.upload_signing_certificate(certificate_body=pem)
    with account.acting_as(bob):
        account.upload_signing_certificate(certificate_body=pem)
        assert len(account.list_signing_certificates().certificates) == 1


def test_ids_reproducible_with_seeded_entropy(clock: FixedClock) -> None:
    """Seeded entropy makes certificate IDs reproducible."""
    pem = pem_certificate(clock.now() - timedelta(days=1))

    def upload() -> str:
        account = Account(clock=FixedClock(clock.now()), entropy=seeded_entropy(5))
        account.create_user(user_name="bob")
        return account.upload_signing_certificate(
            user_name="bob", certificate_body=pem
        ).certificate.certificate_id

    assert upload() == upload()


def test_boto3_round_trip() -> None:
    """Through boto3: upload, list (UploadDate aware), update, errors as ClientError."""
    with mock_iam() as account:
        iam = boto3_client()
        iam.create_user(UserName="alice")  # type: ignore[attr-defined]
        pem = pem_certificate(datetime.now(UTC) - timedelta(days=1))
        cert = iam.upload_signing_certificate(  # type: ignore[attr-defined]
            UserName="alice", CertificateBody=pem
        )["Certificate"]
        assert cert["Status"] == "Active"
        assert cert["UserName"] == "alice"
        assert cert["UploadDate"].tzinfo is not None
        iam.update_signing_certificate(  # type: ignore[attr-defined]
            UserName="alice", CertificateId=cert["CertificateId"], Status="Inactive"
        )
        listed = iam.list_signing_certificates(UserName="alice")  # type: ignore[attr-defined]
        assert [c["Status"] for c in listed["Certificates"]] == ["Inactive"]
        iam.create_user(UserName="bob")  # type: ignore[attr-defined]
        with pytest.raises(ClientError) as error:
            iam.upload_signing_certificate(  # type: ignore[attr-defined]
                UserName="bob", CertificateBody=pem
            )
        assert error.value.response["Error"]["Code"] == "DuplicateCertificate"
        assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
        again = iam.upload_signing_certificate(  # type: ignore[attr-defined]
            UserName="alice", CertificateBody=pem
        )["Certificate"]
        assert again["CertificateId"] == cert["CertificateId"]
        assert again["Status"] == "Active"
        assert len(account.list_signing_certificates(user_name="alice").certificates) == 1
        listed = iam.list_signing_certificates(UserName="alice")  # type: ignore[attr-defined]
        assert [c["Status"] for c in listed["Certificates"]] == ["Inactive"]
