"""Identifiers and ARNs, as AWS IAM forms them.

AWS "IAM identifiers" (Understanding unique ID prefixes): unique IDs start
with a four-letter prefix that names the resource type (``AIDA`` users,
``AGPA`` groups, ``ANPA`` managed policies, ``AKIA`` access keys, …) and are
21 characters long; the 17 characters after the prefix come from the RFC 4648
base32 alphabet (``A``–``Z``, ``2``–``7``).

Access key IDs are 20 characters and, since 2019, encode the owning account:
the 80 bits after ``AKIA`` are a generation flag (1), the 12-digit account ID
as a 40-bit integer, and 39 random bits.  ``sts:GetAccessKeyInfo`` relies on
this, and so does :func:`account_id_from_access_key_id`.

Every function draws its randomness from the entropy it is given, so a seeded
entropy gives the same IDs for the same calls.  The one exception in how, not
what: with the default system entropy, :func:`unique_id` draws IDs of each
prefix 256 at a time (one read, one translation) and hands them out one by
one, as a buffered reader does with bytes; a forked child drops what its
parent had drawn.
"""

from __future__ import annotations

import base64
import os
from collections import deque
from collections.abc import Callable
from enum import StrEnum

from iamcore._system_entropy import system_entropy

__all__ = [
    "Entropy",
    "IdPrefix",
    "access_key_id",
    "account_id_from_access_key_id",
    "arn",
    "random_base32",
    "request_id",
    "secret_access_key",
    "unique_id",
]

#: A source of randomness: ``entropy(n)`` returns ``n`` bytes.
Entropy = Callable[[int], bytes]

_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


class IdPrefix(StrEnum):
    """The unique-ID prefixes from AWS "IAM identifiers"."""

    USER = "AIDA"
    GROUP = "AGPA"
    MANAGED_POLICY = "ANPA"
    POLICY_VERSION = "ANVA"
    ROLE = "AROA"
    INSTANCE_PROFILE = "AIPA"
    ACCESS_KEY = "AKIA"
    TEMPORARY_ACCESS_KEY = "ASIA"
    PUBLIC_KEY = "APKA"
    CERTIFICATE = "ASCA"
    CONTEXT_SPECIFIC_CREDENTIAL = "ACCA"


#: maps every byte to the base32 character of its low five bits (uniform: 256 = 8 x 32)
_BYTE_TO_BASE32 = bytes(ord(_BASE32[byte & 31]) for byte in range(256))


def random_base32(entropy: Entropy, length: int) -> str:
    """Return ``length`` characters of the base32 alphabet drawn from ``entropy``."""
    return entropy(length).translate(_BYTE_TO_BASE32).decode("ascii")


_ID_RANDOM = 17  # base32 characters after the prefix
_DRAWN_AHEAD = 256  # system-entropy IDs drawn per prefix at a time

#: prefix -> IDs drawn ahead from the system entropy, not yet handed out
_drawn: dict[str, deque[str]] = {}


def unique_id(prefix: IdPrefix, entropy: Entropy) -> str:
    """Return a 21-character unique ID such as ``AIDAJQABLZS4A3QDU576Q``."""
    if entropy is system_entropy:
        try:
            return _drawn[prefix].popleft()  # atomic: threads never share an ID
        except (KeyError, IndexError):
            return _draw_ahead(prefix)
    return prefix + entropy(_ID_RANDOM).translate(_BYTE_TO_BASE32).decode("ascii")


def _draw_ahead(prefix: str) -> str:
    """Draw the next IDs of ``prefix`` from the system entropy; return one of them."""
    text = system_entropy(_ID_RANDOM * _DRAWN_AHEAD).translate(_BYTE_TO_BASE32).decode("ascii")
    ahead = [
        prefix + text[start : start + _ID_RANDOM] for start in range(0, len(text), _ID_RANDOM)
    ]
    own = ahead.pop()
    _drawn.setdefault(prefix, deque()).extend(ahead)
    return own


if hasattr(os, "register_at_fork"):  # a child must not repeat its parent's IDs
    os.register_at_fork(after_in_child=_drawn.clear)


def access_key_id(account_id: str, entropy: Entropy) -> str:
    """Return a 20-character ``AKIA`` key ID that encodes ``account_id``.

    Layout of the 80 bits after the prefix: ``1`` (new-format flag), the
    account ID in 40 bits, 39 random bits.
    """
    random_bits = int.from_bytes(entropy(5), "big") & ((1 << 39) - 1)
    payload = (1 << 79) | (int(account_id) << 39) | random_bits
    return "AKIA" + base64.b32encode(payload.to_bytes(10, "big")).decode("ascii")


def account_id_from_access_key_id(key_id: str) -> str | None:
    """Return the 12-digit account encoded in a new-format key ID, else ``None``.

    This is what ``sts:GetAccessKeyInfo`` answers.  Old-format keys (fifth
    character ``A``–``P``) carry no account and give ``None``.
    """
    body = key_id[4:]
    if len(body) != 16 or any(char not in _BASE32 for char in body):
        return None
    value = int.from_bytes(base64.b32decode(body), "big")
    if not value >> 79:
        return None
    return f"{(value >> 39) & ((1 << 40) - 1):012d}"


def secret_access_key(entropy: Entropy) -> str:
    """Return a 40-character secret from the base64 alphabet (30 random bytes)."""
    return base64.b64encode(entropy(30)).decode("ascii")


def request_id(entropy: Entropy) -> str:
    """Return a request ID shaped like AWS's (a UUID, lower-case hex)."""
    raw = entropy(16).hex()
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"


def arn(account_id: str, resource_type: str, path: str, name: str) -> str:
    """Return ``arn:aws:iam::{account}:{type}{path}{name}``.

    The path keeps its slashes, so path ``/`` gives ``user/Bob`` and path
    ``/division_abc/`` gives ``user/division_abc/Bob`` (AWS "IAM ARNs").
    """
    return f"arn:aws:iam::{account_id}:{resource_type}{path}{name}"
