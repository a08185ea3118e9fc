"""Signing-certificate rules: UploadSigningCertificate, ListSigningCertificates,
UpdateSigningCertificate, DeleteSigningCertificate.

AWS facts modelled here (IAM API reference; UG quotas):

- the body is an X.509 certificate in PEM; one that cannot be parsed, or has
  expired, is refused with MalformedCertificate (400) ("malformed or
  expired"; ``Certificate <body> is malformed.`` for one that cannot be
  parsed); a certificate whose validity has not begun yet with
  InvalidCertificate (400) (iamcore's reading of "the certificate is invalid");
- the same certificate may be associated with only one user in the account:
  DuplicateCertificate (409);
- a user has at most 2 signing certificates, Inactive ones included
  (LimitExceeded ``Cannot exceed quota for CertificatesPerUser: 2``, AWS's
  wording, though GetAccountSummary calls the quota SigningCertificatesPerUserQuota);
- a new certificate is Active; UpdateSigningCertificate sets Active or
  Inactive (``Expired`` is refused with InvalidInput, as for access keys);
- ``UserName`` may be omitted: it is then the calling user; a caller that
  is no IAM user must name one (root certificates are not modelled);
- DeleteUser is refused while the user has certificates (order 30).

Certificate IDs are 32 characters of the base32 alphabet (the model asks
for 24–128 word characters; the exact AWS format is unverified).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Final

import attrs
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from iamcore import ids
from iamcore.entities import SigningCertificate, User
from iamcore.errors import (
    DuplicateCertificate,
    InvalidCertificate,
    InvalidInput,
    LimitExceeded,
    MalformedCertificate,
    NoSuchEntity,
)
from iamcore.paging import page_in_order
from iamcore.responses import ListSigningCertificatesResponse, UploadSigningCertificateResponse
from iamcore.rules import users
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
_STATUSES: Final = ("Active", "Inactive")

users.register_delete_check(
    30,
    "delete signing certificates",
    lambda state, user_id: bool(state.signing_certificates.get(user_id)),
)


def _digest(certificate_body: str, now: datetime) -> str:
    """Parse the PEM body; return the SHA-256 of its DER form (its identity)."""
    try:
        certificate = x509.load_pem_x509_certificate(certificate_body.encode("latin-1"))
        der = certificate.public_bytes(Encoding.DER)
        not_before = certificate.not_valid_before_utc
        not_after = certificate.not_valid_after_utc
    except ValueError:
        # AWS's text, the body echoed (LocalStack's AWS-validated recording, 2026-02-17)
        raise MalformedCertificate(f"Certificate {certificate_body} is malformed.") from None
    if not_after < now:
        raise MalformedCertificate(
            f"The certificate has expired: it was valid until {not_after.isoformat()}."
        )
    if not_before > now:
        raise InvalidCertificate(
            f"The certificate is not valid yet: it is valid from {not_before.isoformat()}."
        )
    return hashlib.sha256(der).hexdigest()


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
    """AWS UploadSigningCertificate: a valid, unexpired PEM certificate, ≤2 per user, unique."""
    user = target_user(state, ctx, user_name)
    digest = _digest(certificate_body, ctx.now)
    if digest in state.signing_certificate_digests:
        raise DuplicateCertificate(
            "The request was rejected because the same certificate is associated with "
            "an IAM user in the account."
        )
    owned = state.signing_certificates.get(user.user_id, {})
    if len(owned) >= MAX_CERTIFICATES_PER_USER:
        raise LimitExceeded(
            f"Cannot exceed quota for CertificatesPerUser: {MAX_CERTIFICATES_PER_USER}"
        )
    certificate_id = ids.random_base32(ctx.entropy, CERTIFICATE_ID_LENGTH)
    while certificate_id in state.signing_certificate_owners:  # 160 bits: never in practice
        certificate_id = ids.random_base32(ctx.entropy, CERTIFICATE_ID_LENGTH)
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
    """AWS UpdateSigningCertificate: make a certificate Active or Inactive."""
    if status not in _STATUSES:
        raise InvalidInput(
            f"Invalid status {status} for a signing certificate: it must be Active or Inactive."
        )
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
