"""Signing-certificate rules: UploadSigningCertificate, ListSigningCertificates,
UpdateSigningCertificate, DeleteSigningCertificate.

AWS facts modelled here (IAM API reference; UG quotas; answers recorded from AWS,
2026, github.com/radkawar/stackd ``certificates_aws.json`` and
``certificate_edges_aws.json``):

- the body is an X.509 certificate in PEM; one that cannot be parsed, or has
  expired, is refused with MalformedCertificate (400) ``Certificate <body> is
  malformed.`` (recorded: an expired certificate gets the same answer as a
  malformed one); a certificate whose validity has not begun yet with
  InvalidCertificate (400) (iamcore's reading of "the certificate is invalid");
- the same certificate may be associated with only one user in the account:
  another user's upload is DuplicateCertificate (409) ``Duplicate certificate
  uploaded.``; the owner's own re-upload succeeds and answers the existing
  certificate (same ID and UploadDate) with Status ``Active``, while the stored
  status does not change (recorded: a re-uploaded Inactive certificate still
  lists as Inactive);
- a user has at most 2 signing certificates, Inactive ones included
  (LimitExceeded ``Cannot exceed quota for CertificatesPerUser: 2``, AWS's
  wording, though GetAccountSummary calls the quota SigningCertificatesPerUserQuota);
- a new certificate is Active; UpdateSigningCertificate sets Active or
  Inactive (``Expired`` is InvalidInput ``Operation does not support status
  Expired``, as for access keys);
- ``UserName`` may be omitted: it is then the calling user; a caller that
  is no IAM user must name one (root certificates are not modelled);
- DeleteUser is refused while the user has certificates (order 30,
  ``Cannot delete entity, must delete certificates first.``, recorded).

Certificate IDs are the base32 of the SHA-1 of the certificate's DER form, 32
characters (recorded from AWS, 2026: ``certificate_edges_aws.json``
``id_is_base32_sha1_der``).
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from typing import Final

import attrs
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from iamcore.entities import SigningCertificate, User
from iamcore.errors import (
    DuplicateCertificate,
    InvalidCertificate,
    LimitExceeded,
    MalformedCertificate,
    NoSuchEntity,
)
from iamcore.paging import page_in_order
from iamcore.responses import ListSigningCertificatesResponse, UploadSigningCertificateResponse
from iamcore.rules import users
from iamcore.rules.access_keys import refuse_expired
from iamcore.rules.users import target_user
from iamcore.state import AccountState, Context

__all__ = [
    "CERTIFICATE_ID_LENGTH",
    "MAX_CERTIFICATES_PER_USER",
    "delete_signing_certificate",
    "list_signing_certificates",
    "update_signing_certificate",
    "upload_signing_certificate",
]

MAX_CERTIFICATES_PER_USER: Final = 2
CERTIFICATE_ID_LENGTH: Final = 32
#: AWS's DuplicateCertificate text (recorded from AWS, 2026).
DUPLICATE_CERTIFICATE: Final = "Duplicate certificate uploaded."

users.register_delete_check(
    30,
    "delete certificates",
    lambda state, user_id: bool(state.signing_certificates.get(user_id)),
)


def _certificate_id(der: bytes) -> str:
    """AWS's CertificateId: base32 of the SHA-1 of the DER form (recorded from AWS, 2026)."""
    return base64.b32encode(hashlib.sha1(der).digest()).decode("ascii")


def _digest(certificate_body: str, now: datetime) -> tuple[str, str]:
    """Parse the PEM body; return the SHA-256 of its DER form (its identity) and the
    certificate ID."""
    # AWS's text, the body echoed, for malformed and expired certificates alike
    # (LocalStack's AWS-validated recording, 2026-02-17; recorded from AWS, 2026)
    malformed = f"Certificate {certificate_body} is malformed."
    try:
        certificate = x509.load_pem_x509_certificate(certificate_body.encode("latin-1"))
        der = certificate.public_bytes(Encoding.DER)
        not_before = certificate.not_valid_before_utc
        not_after = certificate.not_valid_after_utc
    except ValueError:
        raise MalformedCertificate(malformed) from None
    if not_after < now:
        raise MalformedCertificate(malformed)
    if not_before > now:
        raise InvalidCertificate(
            f"The certificate is not valid yet: it is valid from {not_before.isoformat()}."
        )
    return hashlib.sha256(der).hexdigest(), _certificate_id(der)


def _shown(certificate: SigningCertificate, user: User) -> SigningCertificate:
    """The certificate with its owner's current name (the user may have been renamed)."""
    if certificate.user_name == user.user_name:
        return certificate
    return attrs.evolve(certificate, user_name=user.user_name)


def _require(state: AccountState, user: User, certificate_id: str) -> SigningCertificate:
    certificate = state.signing_certificates.get(user.user_id, {}).get(certificate_id)
    if certificate is None:
        raise NoSuchEntity(f"The Certificate with id {certificate_id} cannot be found.")
    return certificate


def upload_signing_certificate(
    state: AccountState, ctx: Context, *, certificate_body: str, user_name: str | None = None
) -> UploadSigningCertificateResponse:
    """AWS UploadSigningCertificate: a valid, unexpired PEM certificate, ≤2 per user, unique.

    Re-uploading a certificate the user already has succeeds and changes nothing:
    the answer is the existing certificate (its ID and UploadDate) with Status
    ``Active`` whatever its stored status (recorded from AWS, 2026: stackd
    ``signing:duplicate``, ``signing:duplicate-inactive``); another user's
    certificate is DuplicateCertificate ``Duplicate certificate uploaded.``
    """
    user = target_user(state, ctx, user_name)
    digest, certificate_id = _digest(certificate_body, ctx.now)
    existing_id = state.signing_certificate_digests.get(digest)
    if existing_id is not None:
        existing = state.signing_certificates.get(user.user_id, {}).get(existing_id)
        if existing is None:
            raise DuplicateCertificate(DUPLICATE_CERTIFICATE)
        shown = attrs.evolve(_shown(existing, user), status="Active")
        return UploadSigningCertificateResponse(shown)
    owned = state.signing_certificates.get(user.user_id, {})
    if len(owned) >= MAX_CERTIFICATES_PER_USER:
        raise LimitExceeded(
            f"Cannot exceed quota for CertificatesPerUser: {MAX_CERTIFICATES_PER_USER}"
        )
    certificate = SigningCertificate(
        user_name=user.user_name,
        certificate_id=certificate_id,
        certificate_body=certificate_body,
        status="Active",
        upload_date=ctx.now,
    )
    state.signing_certificates[user.user_id] = {**owned, certificate_id: certificate}
    state.signing_certificate_owners[certificate_id] = user.user_id
    state.signing_certificate_digests[digest] = certificate_id
    return UploadSigningCertificateResponse(certificate)


def list_signing_certificates(
    state: AccountState,
    ctx: Context,
    *,
    user_name: str | None = None,
    marker: str | None = None,
    max_items: int | None = None,
) -> ListSigningCertificatesResponse:
    """AWS ListSigningCertificates: the user's certificates in upload order, paged."""
    user = target_user(state, ctx, user_name)
    owned = list(state.signing_certificates.get(user.user_id, {}).values())
    items, truncated, next_marker = page_in_order(owned, marker, max_items)
    return ListSigningCertificatesResponse(
        tuple(_shown(cert, user) for cert in items), truncated, next_marker
    )


def update_signing_certificate(
    state: AccountState,
    ctx: Context,
    *,
    certificate_id: str,
    status: str,
    user_name: str | None = None,
) -> None:
    """AWS UpdateSigningCertificate: make a certificate Active or Inactive.

    ``Expired`` is InvalidInput ``Operation does not support status Expired``
    (recorded from AWS, 2026: stackd ``signing:status-Expired``).
    """
    refuse_expired(status)
    user = target_user(state, ctx, user_name)
    certificate = _require(state, user, certificate_id)
    if certificate.status != status:
        state.signing_certificates[user.user_id] = {
            **state.signing_certificates[user.user_id],
            certificate_id: attrs.evolve(certificate, status=status),
        }


def delete_signing_certificate(
    state: AccountState, ctx: Context, *, certificate_id: str, user_name: str | None = None
) -> None:
    """AWS DeleteSigningCertificate: remove a certificate (NoSuchEntity if the user has none)."""
    user = target_user(state, ctx, user_name)
    certificate = _require(state, user, certificate_id)
    digest = _digest_of_stored(certificate)
    remaining = {
        cid: cert
        for cid, cert in state.signing_certificates[user.user_id].items()
        if cid != certificate_id
    }
    if remaining:
        state.signing_certificates[user.user_id] = remaining
    else:
        del state.signing_certificates[user.user_id]
    del state.signing_certificate_owners[certificate_id]
    state.signing_certificate_digests.pop(digest, None)


def _digest_of_stored(certificate: SigningCertificate) -> str:
    """The DER digest of a stored (hence parseable) certificate."""
    parsed = x509.load_pem_x509_certificate(certificate.certificate_body.encode("latin-1"))
    return hashlib.sha256(parsed.public_bytes(Encoding.DER)).hexdigest()
