"""SSH public keys as IAM accepts them for CodeCommit (pure functions).

UploadSSHPublicKey takes an RSA public key "encoded in ssh-rsa format or PEM
format" of at least 2048 bits (API reference) and at most 16,384 bits (IAM
User Guide, "Using IAM with CodeCommit").  iamcore accepts:

- an OpenSSH one-line key ``ssh-rsa AAAA… [comment]``;
- a PEM ``-----BEGIN PUBLIC KEY-----`` (SubjectPublicKeyInfo) or
  ``-----BEGIN RSA PUBLIC KEY-----`` (PKCS #1) block.

Anything else is ``UnrecognizedPublicKeyEncoding``: other encodings (RFC 4716
``---- BEGIN SSH2 PUBLIC KEY ----``, private keys, certificates) and other key
types (``ssh-ed25519``, ECDSA, DSA), which CodeCommit does not take.  A
recognised encoding that does not decode, or an RSA key outside 2048–16384
bits, is ``InvalidPublicKey``.

The fingerprint is the MD5 digest of the key's OpenSSH wire blob as 16
lower-case hex pairs joined by colons (47 characters), the same as
``ssh-keygen -l -E md5`` prints after ``MD5:``.  The service model says 48
characters, which no colon-separated MD5 has; AWS's documented example
(``12:34:56:78:90:ab:cd:ef:12:34:56:78:90:ab:cd:ef``) has 47.
"""

from __future__ import annotations

import base64
import hashlib

import attrs
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

from iamcore.errors import InvalidPublicKey, UnrecognizedPublicKeyEncoding

__all__ = [
    "MAX_BITS",
    "MIN_BITS",
    "ParsedPublicKey",
    "md5_fingerprint",
    "parse_public_key",
]

MIN_BITS = 2048
MAX_BITS = 16384

UNRECOGNIZED = (
    "The public key encoding format is unsupported or unrecognized: use an RSA key in "
    "ssh-rsa (OpenSSH) or PEM format."
)
MALFORMED = "The public key is malformed or otherwise invalid."

_PEM_LABELS = ("-----BEGIN PUBLIC KEY-----", "-----BEGIN RSA PUBLIC KEY-----")


@attrs.frozen
class ParsedPublicKey:
    """An RSA public key in both encodings IAM serves, with its fingerprint."""

    bits: int
    openssh: str  # "ssh-rsa AAAA…" (no comment)
    pem: str  # PEM SubjectPublicKeyInfo, ending with a newline
    fingerprint: str  # MD5 of the wire blob, colon-separated lower-case hex


def md5_fingerprint(blob: bytes) -> str:
    """Return ``aa:bb:…`` (47 characters): the MD5 of an OpenSSH key blob."""
    digest = hashlib.md5(blob, usedforsecurity=False).hexdigest()
    return ":".join(digest[index : index + 2] for index in range(0, len(digest), 2))


def _load(body: str) -> PublicKeyTypes:
    if body.startswith("-----BEGIN"):
        if not body.startswith(_PEM_LABELS):
            raise UnrecognizedPublicKeyEncoding(UNRECOGNIZED)
        try:
            return serialization.load_pem_public_key(body.encode("latin-1"))
        except UnsupportedAlgorithm as error:
            raise UnrecognizedPublicKeyEncoding(UNRECOGNIZED) from error
        except (ValueError, TypeError) as error:
            raise InvalidPublicKey(MALFORMED) from error
    fields = body.split(None, 1)
    if not fields or fields[0] != "ssh-rsa":
        raise UnrecognizedPublicKeyEncoding(UNRECOGNIZED)
    if "\n" in body or "\r" in body:
        raise InvalidPublicKey(MALFORMED)
    try:
        return serialization.load_ssh_public_key(body.encode("latin-1"))
    except UnsupportedAlgorithm as error:
        raise UnrecognizedPublicKeyEncoding(UNRECOGNIZED) from error
    except (ValueError, TypeError) as error:
        raise InvalidPublicKey(MALFORMED) from error


def parse_public_key(body: str) -> ParsedPublicKey:
    """Parse an SSHPublicKeyBody as UploadSSHPublicKey does.

    Raises :class:`~iamcore.errors.UnrecognizedPublicKeyEncoding` or
    :class:`~iamcore.errors.InvalidPublicKey` (see the module docstring).
    """
    key = _load(body.strip())
    if not isinstance(key, rsa.RSAPublicKey):
        raise UnrecognizedPublicKeyEncoding(UNRECOGNIZED)
    if not MIN_BITS <= key.key_size <= MAX_BITS:
        raise InvalidPublicKey(
            f"{MALFORMED} The key has {key.key_size} bits; "
            f"it must have {MIN_BITS} to {MAX_BITS} bits."
        )
    openssh = key.public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    ).decode("ascii")
    pem = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")
    blob = base64.b64decode(openssh.split()[1])
    return ParsedPublicKey(
        bits=key.key_size, openssh=openssh, pem=pem, fingerprint=md5_fingerprint(blob)
    )
