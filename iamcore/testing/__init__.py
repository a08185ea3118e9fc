"""Test helpers: a controllable clock and reproducible randomness.

Importing this package never imports Hypothesis; the strategies live in
:mod:`iamcore.testing.strategies`, the policy property checks in
:mod:`iamcore.testing.properties`, and the pytest fixtures (``iam_account``,
``iam_clock``, ``iam_mock``, …) in :mod:`iamcore.testing.plugin`, which
pytest loads by itself (docs/testing-toolkit.md).
"""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta

from iamcore import totp
from iamcore.clock import Clock
from iamcore.ids import Entropy
from iamcore.passwords import FAST_COST, ScryptCost

__all__ = ["FAST_SCRYPT", "FixedClock", "seeded_entropy", "totp_code"]

DEFAULT_START = datetime(2026, 1, 1, tzinfo=UTC)

#: A very low Scrypt cost for console passwords in tests (never for real passwords):
#: ``account.password_hash_cost = FAST_SCRYPT``, or process-wide
#: ``iamcore.passwords.set_default_cost(FAST_SCRYPT)``.
FAST_SCRYPT: ScryptCost = FAST_COST


class FixedClock:
    """A clock that stands still until told to move.

    ``FixedClock(start)`` starts at ``start`` (an aware datetime; a naive one
    is taken as UTC); ``advance(timedelta)`` moves it forward.
    """

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        if start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """Return the clock's current time."""
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock forward by ``delta`` and return the new time."""
        with self._lock:
            self._now += delta
            return self._now

    def set(self, when: datetime) -> None:
        """Jump to ``when`` (aware, or naive taken as UTC)."""
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        self._now = when.astimezone(UTC)

    def __repr__(self) -> str:
        return f"FixedClock({self._now.isoformat()!r})"


def seeded_entropy(seed: int | str | bytes = 0) -> Entropy:
    """Return a reproducible ``entropy(n) -> bytes`` source.

    Two accounts given ``seeded_entropy(s)`` with the same ``s`` and the same
    calls produce identical IDs, secrets and seeds.  Never use it outside tests.
    """
    generator = random.Random(seed)
    lock = threading.Lock()

    def entropy(n: int) -> bytes:
        with lock:
            return generator.randbytes(n)

    return entropy


def totp_code(seed: bytes | str, clock: Clock | datetime, offset_steps: int = 0) -> str:
    """Return the 6-digit code an authenticator app shows for ``seed`` at ``clock``'s time.

    ``seed`` is a virtual MFA device's ``Base32StringSeed`` (bytes, as
    CreateVirtualMFADevice and boto3 return it, or text); ``clock`` is the
    account's clock (or a datetime); ``offset_steps`` shifts by 30-second
    steps (``-1``: the previous code).  EnableMFADevice wants
    ``totp_code(seed, clock, -1)`` then ``totp_code(seed, clock)``.
    """
    when = clock if isinstance(clock, datetime) else clock.now()
    return totp.code_for_step(seed, totp.time_step(when) + offset_steps)
