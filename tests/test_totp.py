"""TOTP (RFC 6238) as virtual MFA devices use it: iamcore.totp."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from iamcore import totp
from iamcore.testing import FixedClock, totp_code

#: RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
RFC_SEED = base64.b32encode(b"12345678901234567890").decode("ascii")

seeds = st.binary(min_size=16, max_size=40).map(lambda raw: base64.b32encode(raw).decode())
steps = st.integers(min_value=6, max_value=2**34)


@pytest.mark.parametrize(
    ("unix_time", "expected"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_rfc6238_sha1_vectors(unix_time: int, expected: str) -> None:
    """RFC 6238 Appendix B: HMAC-SHA1, 30-second steps, 8-digit known answers."""
    assert totp.code_at(RFC_SEED, unix_time, digits=8) == expected
    when = datetime.fromtimestamp(unix_time, UTC)
    assert totp.code_at(RFC_SEED.encode(), when, digits=8) == expected


def test_six_digit_codes_are_the_last_six_of_the_rfc_vector() -> None:
    """AWS codes are 6 digits: the same HOTP truncation modulo 10**6."""
    assert totp.code_at(RFC_SEED, 59) == "287082"
    assert totp.code_at(RFC_SEED, 1111111109) == "081804"


def test_time_step_is_unix_time_over_30() -> None:
    """RFC 6238: T = floor((unix time - 0) / 30)."""
    assert totp.time_step(59) == 1
    assert totp.time_step(60) == 2
    assert totp.time_step(datetime(1970, 1, 1, 0, 1, tzinfo=UTC)) == 2


def test_verify_consecutive_accepts_previous_then_current() -> None:
    """EnableMFADevice: code 1 of step t-1 and code 2 of step t verify and give t."""
    now = 1_700_000_000
    step = totp.time_step(now)
    code1 = totp.code_for_step(RFC_SEED, step - 1)
    code2 = totp.code_for_step(RFC_SEED, step)
    assert totp.verify_consecutive(RFC_SEED, code1, code2, now, 0) == step


def test_verify_consecutive_refuses_swapped_codes() -> None:
    """The codes must be given in order: code 2 after code 1."""
    now = 1_700_000_000
    step = totp.time_step(now)
    code1 = totp.code_for_step(RFC_SEED, step - 1)
    code2 = totp.code_for_step(RFC_SEED, step)
    assert totp.verify_consecutive(RFC_SEED, code2, code1, now, 1) is None


def test_verify_consecutive_window_and_offset() -> None:
    """The pair may end anywhere in the window around now, shifted by the device's drift."""
    now = 1_700_000_000
    step = totp.time_step(now)
    old1 = totp.code_for_step(RFC_SEED, step - 4)
    old2 = totp.code_for_step(RFC_SEED, step - 3)
    assert totp.verify_consecutive(RFC_SEED, old1, old2, now, (2, 0)) is None
    assert totp.verify_consecutive(RFC_SEED, old1, old2, now, (3, 0)) == step - 3
    assert totp.verify_consecutive(RFC_SEED, old1, old2, now, 0, offset=-3) == step - 3


def test_verify_consecutive_after_refuses_used_steps() -> None:
    """Code 2 must be newer than the last step used (``after``); code 1 may be that step."""
    now = 1_700_000_000
    step = totp.time_step(now)
    code1 = totp.code_for_step(RFC_SEED, step - 1)
    code2 = totp.code_for_step(RFC_SEED, step)
    assert totp.verify_consecutive(RFC_SEED, code1, code2, now, 0, after=step - 1) == step
    assert totp.verify_consecutive(RFC_SEED, code1, code2, now, 0, after=step) is None


def test_find_step_refuses_non_digits() -> None:
    """Only decimal digits can be a code; steps before the epoch never match."""
    assert totp.find_step(RFC_SEED, "12345a", range(10)) is None
    assert totp.find_step(RFC_SEED, totp.code_for_step(RFC_SEED, 0), range(-3, 1)) == 0
    assert totp.find_step(RFC_SEED, "１２３４５６", range(10)) is None


def test_testing_helper_matches_the_clock() -> None:
    """iamcore.testing.totp_code gives the code at the clock's time (and neighbours)."""
    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    assert totp_code(RFC_SEED, clock) == totp.code_at(RFC_SEED, clock.now())
    previous = totp.code_at(RFC_SEED, clock.now() - timedelta(seconds=30))
    assert totp_code(RFC_SEED.encode(), clock, -1) == previous
    assert totp_code(RFC_SEED, clock.now(), 1) == totp.code_at(
        RFC_SEED, clock.now() + timedelta(seconds=30)
    )


@settings(max_examples=50)
@given(seed=seeds, step=steps)
def test_codes_are_six_digits(seed: str, step: int) -> None:
    """Every code is exactly six decimal digits (leading zeros kept)."""
    code = totp.code_for_step(seed, step)
    assert len(code) == 6
    assert code.isdigit()


@settings(max_examples=50)
@given(seed=seeds, step=steps)
def test_consecutive_codes_always_verify(seed: str, step: int) -> None:
    """For any seed and time, the device's codes for t-1 and t verify at t."""
    now = step * totp.STEP_SECONDS + 15
    code1, code2 = totp.code_for_step(seed, step - 1), totp.code_for_step(seed, step)
    assert totp.verify_consecutive(seed, code1, code2, now, 0) == step


@settings(max_examples=50)
@given(seed=seeds, step=steps, gap=st.integers(min_value=-5, max_value=5))
def test_non_consecutive_codes_never_verify(seed: str, step: int, gap: int) -> None:
    """Codes of steps that are not consecutive (gap != 1) are refused."""
    assume(gap != 1)
    code1, code2 = totp.code_for_step(seed, step - gap), totp.code_for_step(seed, step)
    assume(code1 != totp.code_for_step(seed, step - 1))  # no chance collision
    now = step * totp.STEP_SECONDS
    assert totp.verify_consecutive(seed, code1, code2, now, 0) is None
