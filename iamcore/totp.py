"""Time-based one-time passwords (RFC 6238) as AWS virtual MFA devices use them.

Pure functions on top of :mod:`pyotp`: no state, no clock of their own.

AWS documents only "RFC 6238 TOTP, six-digit codes" for virtual MFA devices
(IAM User Guide, "Assign a virtual MFA device").  iamcore uses the RFC 6238
defaults that every authenticator app applies to an ``otpauth://totp`` URI
without parameters: HMAC-SHA1, a 30-second time step counted from the Unix
epoch, and 6 digits.

Codes are compared in constant time (:func:`hmac.compare_digest`).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime

import pyotp

__all__ = [
    "DIGITS",
    "STEP_SECONDS",
    "Window",
    "code_at",
    "code_for_step",
    "find_step",
    "time_step",
    "verify_consecutive",
]

#: Length of a time step in seconds (RFC 6238 default).
STEP_SECONDS = 30
#: Digits in a code (AWS virtual MFA: six).
DIGITS = 6

#: A search window around the current time step: ``(steps behind, steps ahead)``,
#: or one int for the same number both ways.
Window = int | tuple[int, int]


def _seconds(when: datetime | float) -> float:
    if isinstance(when, datetime):
        return when.timestamp()
    return float(when)


def _seed_text(seed_base32: str | bytes) -> str:
    return seed_base32.decode("ascii") if isinstance(seed_base32, bytes) else seed_base32


def _totp(seed_base32: str | bytes, digits: int) -> pyotp.TOTP:
    return pyotp.TOTP(
        _seed_text(seed_base32), digits=digits, digest=hashlib.sha1, interval=STEP_SECONDS
    )


def time_step(when: datetime | float) -> int:
    """Return the RFC 6238 time step (counter) of ``when``: ``floor(unix time / 30)``.

    ``when`` is an aware datetime or a Unix time in seconds.
    """
    return int(_seconds(when) // STEP_SECONDS)


def code_for_step(seed_base32: str | bytes, step: int, *, digits: int = DIGITS) -> str:
    """Return the code of time step ``step`` for the base32 ``seed_base32``."""
    return str(_totp(seed_base32, digits).generate_otp(step))


def code_at(seed_base32: str | bytes, when: datetime | float, *, digits: int = DIGITS) -> str:
    """Return the code an authenticator shows at ``when`` (datetime or Unix seconds).

    >>> code_at("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59, digits=8)
    '94287082'
    """
    return code_for_step(seed_base32, time_step(when), digits=digits)


def _steps(center: int, window: Window) -> range:
    behind, ahead = (window, window) if isinstance(window, int) else window
    return range(center - behind, center + ahead + 1)


def find_step(seed_base32: str | bytes, code: str, steps: Iterable[int]) -> int | None:
    """Return the first step of ``steps`` whose code is ``code``, else ``None``.

    Negative steps (before the Unix epoch) never match.
    """
    if not code.isascii() or not code.isdigit():
        return None
    totp = _totp(seed_base32, len(code))
    for step in steps:
        if step >= 0 and hmac.compare_digest(str(totp.generate_otp(step)), code):
            return step
    return None


def verify_consecutive(
    seed_base32: str | bytes,
    code1: str,
    code2: str,
    now: datetime | float,
    window: Window = 1,
    *,
    offset: int = 0,
    after: int | None = None,
) -> int | None:
    """Check two consecutive codes, as EnableMFADevice and ResyncMFADevice do.

    ``code2`` must be the code of some step ``s`` within ``window`` of the
    current step (shifted by ``offset`` steps, a device's known drift), and
    ``code1`` the code of ``s - 1``.  With ``after``, ``s`` must be later than
    it (code 2 must be newer than any code already used).  Returns ``s``, or
    ``None`` if the pair does not verify.
    """
    if len(code1) != len(code2):
        return None
    for step in _steps(time_step(now) + offset, window):
        if after is not None and step <= after:
            continue
        if find_step(seed_base32, code2, (step,)) is not None and (
            find_step(seed_base32, code1, (step - 1,)) is not None
        ):
            return step
    return None
