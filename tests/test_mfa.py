"""Virtual MFA devices: CreateVirtualMFADevice, EnableMFADevice, DeactivateMFADevice,
ResyncMFADevice, ListMFADevices, ListVirtualMFADevices, DeleteVirtualMFADevice, MFA
device tags, and sign-in codes (native API and boto3 through iamcore.mock)."""

from __future__ import annotations

import base64
import re
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st

from iamcore import Account, persistence, totp
from iamcore.errors import (
    AccessDenied,
    DeleteConflict,
    EntityAlreadyExists,
    IamError,
    InvalidAuthenticationCode,
    InvalidInput,
    LimitExceeded,
    NoSuchEntity,
    ValidationError,
)
from iamcore.mock import mock_iam
from iamcore.rules import mfa
from iamcore.state import Context
from iamcore.testing import FixedClock, seeded_entropy, totp_code
from tests.helpers import boto3_client, fresh_snapshot, walk

STEP = timedelta(seconds=30)
SERIAL = re.compile(r"arn:aws:iam::123456789012:mfa/.+")


def new_device(account: Account, name: str = "bob-phone", path: str = "/") -> tuple[str, bytes]:
    """Create a virtual device; return its serial number and seed."""
    device = account.create_virtual_mfa_device(virtual_mfa_device_name=name, path=path)
    seed = device.virtual_mfa_device.base32_string_seed
    assert seed is not None
    return device.virtual_mfa_device.serial_number, seed


def enable(account: Account, clock: FixedClock, user: str, serial: str, seed: bytes) -> None:
    """Enable a device with the two codes an authenticator shows now."""
    account.enable_mfa_device(
        user_name=user,
        serial_number=serial,
        authentication_code1=totp_code(seed, clock, -1),
        authentication_code2=totp_code(seed, clock),
    )


def other_code(code: str) -> str:
    """A six-digit code that is not ``code``."""
    return f"{(int(code) + 1) % 1_000_000:06d}"


# -- CreateVirtualMFADevice --------------------------------------------------------------


def test_create_serial_is_the_arn(account: Account) -> None:
    """CreateVirtualMFADevice: SerialNumber is arn:aws:iam::{account}:mfa{path}{name}."""
    serial, _ = new_device(account, "phone")
    assert serial == "arn:aws:iam::123456789012:mfa/phone"
    serial, _ = new_device(account, "tablet", "/division/")
    assert serial == "arn:aws:iam::123456789012:mfa/division/tablet"


def test_create_returns_a_base32_seed_as_bytes(account: Account) -> None:
    """CreateVirtualMFADevice: Base32StringSeed is the base32 text (64 chars, 40 bytes), bytes."""
    _, seed = new_device(account)
    assert isinstance(seed, bytes)
    assert re.fullmatch(rb"[A-Z2-7]{64}", seed)
    assert len(base64.b32decode(seed)) == mfa.SEED_BYTES


def test_create_returns_a_png_qr_code_of_the_otpauth_uri(account: Account) -> None:
    """CreateVirtualMFADevice: QRCodePNG is a PNG of the otpauth:// URI with the seed."""
    device = account.create_virtual_mfa_device(virtual_mfa_device_name="phone").virtual_mfa_device
    assert device.qr_code_png is not None
    assert device.base32_string_seed is not None
    assert device.qr_code_png.startswith(b"\x89PNG\r\n\x1a\n")
    seed = device.base32_string_seed.decode()
    uri = mfa.otpauth_uri("phone", account.account_id, seed)
    assert device.qr_code_png == mfa.qr_code_png(uri)


def test_missing_segno_is_a_clear_import_error(account: Account) -> None:
    """CreateVirtualMFADevice without the optional segno package: ImportError naming the extra,
    and nothing is created."""
    before = account.snapshot()
    with mock.patch.dict("sys.modules", {"segno": None}), pytest.raises(ImportError) as caught:
        account.create_virtual_mfa_device(virtual_mfa_device_name="phone")
    assert "iamcore[qr]" in str(caught.value)
    assert not isinstance(caught.value, IamError)
    assert fresh_snapshot(account) == before


def test_otpauth_uri_format() -> None:
    """The QR payload: otpauth://totp/Amazon Web Services:{name}@{account}?secret=…&issuer=…."""
    uri = mfa.otpauth_uri("bob+phone", "123456789012", "ABCDEF")
    assert uri == (
        "otpauth://totp/Amazon%20Web%20Services:bob%2Bphone@123456789012"
        "?secret=ABCDEF&issuer=Amazon%20Web%20Services"
    )


def test_create_is_unassigned(account: Account) -> None:
    """CreateVirtualMFADevice: a new device has no user and no EnableDate."""
    device = account.create_virtual_mfa_device(virtual_mfa_device_name="phone").virtual_mfa_device
    assert device.user is None
    assert device.enable_date is None


def test_device_names_unique_ignoring_case_and_path(account: Account) -> None:
    """CreateVirtualMFADevice: a name already used (any case, any path) is EntityAlreadyExists."""
    new_device(account, "Phone")
    before = account.snapshot()
    for name, path in (("Phone", "/"), ("phone", "/"), ("PHONE", "/other/")):
        with pytest.raises(EntityAlreadyExists) as caught:
            account.create_virtual_mfa_device(virtual_mfa_device_name=name, path=path)
        assert caught.value.message == "MFA device already exists."
        assert caught.value.http_status == 409
    assert fresh_snapshot(account) == before


def test_device_name_at_most_128(account: Account) -> None:
    """CreateVirtualMFADevice: names longer than 128 characters are a ValidationError."""
    new_device(account, "x" * 128)
    with pytest.raises(ValidationError):
        account.create_virtual_mfa_device(virtual_mfa_device_name="y" * 129)


def test_serial_number_must_fit_256(account: Account) -> None:
    """CreateVirtualMFADevice: a path + name whose serial exceeds 256 chars is InvalidInput."""
    with pytest.raises(InvalidInput):
        account.create_virtual_mfa_device(
            virtual_mfa_device_name="d" * 100, path="/" + "p" * 200 + "/"
        )


def test_bad_device_name_is_validation_error(account: Account) -> None:
    """CreateVirtualMFADevice: the name pattern [\\w+=,.@-]+ is enforced."""
    with pytest.raises(ValidationError):
        account.create_virtual_mfa_device(virtual_mfa_device_name="my phone")


def test_virtual_device_quota(account: Account) -> None:
    """CreateVirtualMFADevice: LimitExceeded once the account has as many devices as users."""
    with mock.patch.object(mfa, "MAX_VIRTUAL_MFA_DEVICES", 2):
        new_device(account, "a")
        new_device(account, "b")
        with pytest.raises(LimitExceeded):
            new_device(account, "c")


def test_create_with_tags_keeps_case_sensitive_keys(account: Account) -> None:
    """CreateVirtualMFADevice: tags on MFA devices are case-sensitive: Env and env coexist."""
    device = account.create_virtual_mfa_device(
        virtual_mfa_device_name="phone",
        tags=[{"Key": "Env", "Value": "prod"}, {"Key": "env", "Value": "dev"}],
    ).virtual_mfa_device
    assert [(tag.key, tag.value) for tag in device.tags] == [("Env", "prod"), ("env", "dev")]


def test_create_with_a_bad_tag_creates_nothing(account: Account) -> None:
    """CreateVirtualMFADevice: tags are all-or-nothing (aws: prefix, duplicates, over 50)."""
    before = account.snapshot()
    bad_tag_lists = [
        [{"Key": "aws:x", "Value": "v"}],
        [{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}],
    ]
    for tags in bad_tag_lists:
        with pytest.raises(InvalidInput):
            account.create_virtual_mfa_device(virtual_mfa_device_name="phone", tags=tags)
    with pytest.raises(ValidationError):
        account.create_virtual_mfa_device(
            virtual_mfa_device_name="phone",
            tags=[{"Key": f"k{n}", "Value": ""} for n in range(51)],
        )
    assert fresh_snapshot(account) == before
    new_device(account, "phone")  # the name was never taken


# -- EnableMFADevice ---------------------------------------------------------------------


def test_enable_with_two_consecutive_codes(account: Account, clock: FixedClock, bob: str) -> None:
    """EnableMFADevice: two consecutive TOTP codes assign the device; EnableDate is now."""
    serial, seed = new_device(account)
    enable(account, clock, bob, serial, seed)
    (listed,) = account.list_mfa_devices(user_name=bob).mfa_devices
    assert (listed.user_name, listed.serial_number, listed.enable_date) == (
        "bob",
        serial,
        clock.now(),
    )
    assert mfa.has_mfa(account._state, account.get_user(user_name=bob).user.user_id)


@pytest.mark.parametrize(
    ("offset1", "offset2"),
    [(0, -1), (-2, 0), (0, 0), (-1, -1), (-3, -1)],
    ids=["swapped", "gap", "same-now", "same-previous", "gap-older"],
)
def test_enable_refuses_non_consecutive_codes(
    account: Account, clock: FixedClock, bob: str, offset1: int, offset2: int
) -> None:
    """EnableMFADevice: codes that are not consecutive are InvalidAuthenticationCode (403)."""
    serial, seed = new_device(account)
    before = account.snapshot()
    with pytest.raises(InvalidAuthenticationCode) as caught:
        account.enable_mfa_device(
            user_name=bob,
            serial_number=serial,
            authentication_code1=totp_code(seed, clock, offset1),
            authentication_code2=totp_code(seed, clock, offset2),
        )
    assert caught.value.http_status == 403
    assert caught.value.message == "Authentication code for device is not valid."
    assert fresh_snapshot(account) == before


def test_enable_refuses_a_wrong_code(account: Account, clock: FixedClock, bob: str) -> None:
    """EnableMFADevice: one wrong code is InvalidAuthenticationCode."""
    serial, seed = new_device(account)
    with pytest.raises(InvalidAuthenticationCode):
        account.enable_mfa_device(
            user_name=bob,
            serial_number=serial,
            authentication_code1=totp_code(seed, clock, -1),
            authentication_code2=other_code(totp_code(seed, clock)),
        )


def test_enable_accepts_one_step_ahead(account: Account, clock: FixedClock, bob: str) -> None:
    """EnableMFADevice window: a device clock one step fast is accepted."""
    serial, seed = new_device(account)
    account.enable_mfa_device(
        user_name=bob,
        serial_number=serial,
        authentication_code1=totp_code(seed, clock),
        authentication_code2=totp_code(seed, clock, 1),
    )
    assert account.list_mfa_devices(user_name=bob).mfa_devices


def test_enable_refuses_codes_outside_the_window(
    account: Account, clock: FixedClock, bob: str
) -> None:
    """EnableMFADevice window: code 2 more than 1000 steps ahead or 998 steps behind is
    refused (recorded from AWS, 2026: stackd mfa_pair_window.json, offsets +1001, -999)."""
    serial, seed = new_device(account)
    for offset in (1001, -999):
        with pytest.raises(InvalidAuthenticationCode):
            account.enable_mfa_device(
                user_name=bob,
                serial_number=serial,
                authentication_code1=totp_code(seed, clock, offset - 1),
                authentication_code2=totp_code(seed, clock, offset),
            )


def test_stale_codes_enable_an_out_of_sync_device(
    account: Account, clock: FixedClock, bob: str
) -> None:
    """EnableMFADevice: correct but stale codes still enable the device, which is then out of
    sync until ResyncMFADevice (API reference)."""
    serial, seed = new_device(account)
    code1, code2 = totp_code(seed, clock, -1), totp_code(seed, clock)
    clock.advance(3 * STEP)  # the user waited 90 seconds before submitting
    account.enable_mfa_device(
        user_name=bob, serial_number=serial, authentication_code1=code1, authentication_code2=code2
    )
    user_id = account.get_user(user_name=bob).user.user_id
    clock.advance(STEP)
    with pytest.raises(InvalidAuthenticationCode):
        mfa.verify_sign_in_code(account._state, _ctx(account), user_id, totp_code(seed, clock))
    account.resync_mfa_device(
        user_name=bob,
        serial_number=serial,
        authentication_code1=totp_code(seed, clock, -1),
        authentication_code2=totp_code(seed, clock),
    )
    clock.advance(STEP)
    mfa.verify_sign_in_code(account._state, _ctx(account), user_id, totp_code(seed, clock))


def test_enable_unknown_user_or_device(account: Account, clock: FixedClock, bob: str) -> None:
    """EnableMFADevice: NoSuchEntity for an unknown user or serial number."""
    serial, seed = new_device(account)
    with pytest.raises(
        NoSuchEntity, match=re.escape("The user with name nobody cannot be found.")
    ):
        enable(account, clock, "nobody", serial, seed)
    missing = "arn:aws:iam::123456789012:mfa/missing"
    with pytest.raises(NoSuchEntity) as caught:
        enable(account, clock, bob, missing, seed)
    assert caught.value.message == f"MFA Device with serial number {missing} does not exist."


def test_enable_a_device_already_in_use(account: Account, clock: FixedClock, bob: str) -> None:
    """EnableMFADevice: a device already assigned is EntityAlreadyExists, "MFA Device for
    user X already exists." for its own user (recorded from AWS, 2026: stackd mfa.json
    enable_duplicate) and "MFA Device is already in use." for another user."""
    account.create_user(user_name="carol")
    serial, seed = new_device(account)
    enable(account, clock, bob, serial, seed)
    clock.advance(2 * STEP)
    with pytest.raises(EntityAlreadyExists) as caught:
        enable(account, clock, bob, serial, seed)
    assert caught.value.message == "MFA Device for user bob already exists."
    with pytest.raises(EntityAlreadyExists) as caught:
        enable(account, clock, "carol", serial, seed)
    assert caught.value.message == "MFA Device is already in use."


def test_at_most_eight_devices_per_user(account: Account, clock: FixedClock, bob: str) -> None:
    """EnableMFADevice: a user has at most 8 MFA devices; the 9th is LimitExceeded."""
    devices = [new_device(account, f"d{n}") for n in range(9)]
    for serial, seed in devices[:8]:
        enable(account, clock, bob, serial, seed)
    before = account.snapshot()
    with pytest.raises(LimitExceeded, match="MFADevicesPerUser: 8"):
        enable(account, clock, bob, *devices[8])
    assert fresh_snapshot(account) == before
    assert len(account.list_mfa_devices(user_name=bob).mfa_devices) == 8


def test_enable_codes_cannot_be_replayed(account: Account, clock: FixedClock, bob: str) -> None:
    """EnableMFADevice: codes already accepted by the device are not accepted again."""
    serial, seed = new_device(account)
    code1, code2 = totp_code(seed, clock, -1), totp_code(seed, clock)
    enable(account, clock, bob, serial, seed)
    account.deactivate_mfa_device(user_name=bob, serial_number=serial)
    with pytest.raises(InvalidAuthenticationCode):
        account.enable_mfa_device(
            user_name=bob,
            serial_number=serial,
            authentication_code1=code1,
            authentication_code2=code2,
        )
    clock.advance(2 * STEP)
    enable(account, clock, bob, serial, seed)


# -- sign-in codes -----------------------------------------------------------------------


def _ctx(account: Account) -> Context:
    return Context(account.account_id, account.clock.now(), account.entropy)


def test_sign_in_code_used_once(account: Account, clock: FixedClock, bob: str) -> None:
    """Sign-in: a valid code is accepted once; the enabling step and reuse are refused."""
    serial, seed = new_device(account)
    enable(account, clock, bob, serial, seed)
    user_id = account.get_user(user_name=bob).user.user_id
    state = account._state
    with pytest.raises(InvalidAuthenticationCode):  # the enabling code itself
        mfa.verify_sign_in_code(state, _ctx(account), user_id, totp_code(seed, clock))
    clock.advance(STEP)
    code = totp_code(seed, clock)
    mfa.verify_sign_in_code(state, _ctx(account), user_id, code)
    with pytest.raises(InvalidAuthenticationCode):
        mfa.verify_sign_in_code(state, _ctx(account), user_id, code)


def test_sign_in_window_is_one_step(account: Account, clock: FixedClock, bob: str) -> None:
    """Sign-in: the previous, current or next code is accepted; two steps off is not."""
    serial, seed = new_device(account)
    enable(account, clock, bob, serial, seed)
    user_id = account.get_user(user_name=bob).user.user_id
    clock.advance(10 * STEP)
    for offset in (-2, 2):
        with pytest.raises(InvalidAuthenticationCode):
            mfa.verify_sign_in_code(
                account._state, _ctx(account), user_id, totp_code(seed, clock, offset)
            )
    mfa.verify_sign_in_code(account._state, _ctx(account), user_id, totp_code(seed, clock, -1))
    mfa.verify_sign_in_code(account._state, _ctx(account), user_id, totp_code(seed, clock, 1))


def test_sign_in_code_for_a_user_without_mfa(account: Account, bob: str) -> None:
    """Sign-in: without an enabled device no code is valid; bad formats are refused."""
    user_id = account.get_user(user_name=bob).user.user_id
    assert not mfa.has_mfa(account._state, user_id)
    for code in ("123456", "12345", "abcdef"):
        with pytest.raises(InvalidAuthenticationCode):
            mfa.verify_sign_in_code(account._state, _ctx(account), user_id, code)


def test_sign_in_any_enabled_device(account: Account, clock: FixedClock, bob: str) -> None:
    """Sign-in: a code from any of the user's enabled devices is accepted."""
    first = new_device(account, "first")
    second = new_device(account, "second")
    enable(account, clock, bob, *first)
    enable(account, clock, bob, *second)
    clock.advance(STEP)
    user_id = account.get_user(user_name=bob).user.user_id
    mfa.verify_sign_in_code(account._state, _ctx(account), user_id, totp_code(second[1], clock))


def test_console_sign_in_asks_for_the_code(account: Account, clock: FixedClock, bob: str) -> None:
    """Console sign-in: a user with MFA needs a valid, unused code."""
    account.create_login_profile(user_name=bob, password="Correct-Horse-9")
    serial, seed = new_device(account)
    enable(account, clock, bob, serial, seed)
    clock.advance(STEP)
    assert not account.console_sign_in(user_name=bob, password="Correct-Horse-9").success
    code = totp_code(seed, clock)
    assert account.console_sign_in(
        user_name=bob, password="Correct-Horse-9", mfa_code=code
    ).success
    again = account.console_sign_in(user_name=bob, password="Correct-Horse-9", mfa_code=code)
    assert not again.success


# -- ResyncMFADevice ---------------------------------------------------------------------


def test_resync_accepts_a_wider_window(account: Account, clock: FixedClock, bob: str) -> None:
    """ResyncMFADevice: a device whose clock is 16 steps off is resynchronised."""
    serial, seed = new_device(account)
    enable(account, clock, bob, serial, seed)
    clock.advance(timedelta(days=30))  # the device's clock has drifted 8 minutes behind
    account.resync_mfa_device(
        user_name=bob,
        serial_number=serial,
        authentication_code1=totp_code(seed, clock, -17),
        authentication_code2=totp_code(seed, clock, -16),
    )
    user_id = account.get_user(user_name=bob).user.user_id
    clock.advance(STEP)  # the device is 16 steps behind: its codes now verify
    mfa.verify_sign_in_code(account._state, _ctx(account), user_id, totp_code(seed, clock, -16))


def test_resync_refuses_bad_codes(account: Account, clock: FixedClock, bob: str) -> None:
    """ResyncMFADevice: wrong or non-consecutive codes are InvalidAuthenticationCode."""
    serial, seed = new_device(account)
    enable(account, clock, bob, serial, seed)
    clock.advance(STEP)
    before = account.snapshot()
    with pytest.raises(InvalidAuthenticationCode):
        account.resync_mfa_device(
            user_name=bob,
            serial_number=serial,
            authentication_code1=totp_code(seed, clock, -2),
            authentication_code2=totp_code(seed, clock),
        )
    with pytest.raises(InvalidAuthenticationCode):
        account.resync_mfa_device(
            user_name=bob,
            serial_number=serial,
            authentication_code1=totp_code(seed, clock, -1000),
            authentication_code2=totp_code(seed, clock, -999),
        )
    assert fresh_snapshot(account) == before


def test_resync_needs_the_device_enabled_for_the_user(
    account: Account, clock: FixedClock, bob: str
) -> None:
    """ResyncMFADevice: NoSuchEntity unless the device is enabled for that user."""
    serial, seed = new_device(account)
    with pytest.raises(NoSuchEntity, match=re.escape("MFA Device invalid for user.")):
        account.resync_mfa_device(
            user_name=bob,
            serial_number=serial,
            authentication_code1=totp_code(seed, clock, -1),
            authentication_code2=totp_code(seed, clock),
        )


# -- DeactivateMFADevice -----------------------------------------------------------------


def test_deactivate_leaves_an_unassigned_device(
    account: Account, clock: FixedClock, bob: str
) -> None:
    """DeactivateMFADevice: the device stays, Unassigned, and can be deleted afterwards."""
    serial, seed = new_device(account)
    enable(account, clock, bob, serial, seed)
    account.deactivate_mfa_device(user_name=bob, serial_number=serial)
    assert account.list_mfa_devices(user_name=bob).mfa_devices == ()
    (device,) = account.list_virtual_mfa_devices(
        assignment_status="Unassigned"
    ).virtual_mfa_devices
    assert device.serial_number == serial
    assert device.user is None
    assert account._state.user_mfa_devices == {}
    account.delete_virtual_mfa_device(serial_number=serial)


def test_deactivate_for_the_wrong_user(account: Account, clock: FixedClock, bob: str) -> None:
    """DeactivateMFADevice: a device not enabled for that user is NoSuchEntity."""
    account.create_user(user_name="carol")
    serial, seed = new_device(account)
    with pytest.raises(NoSuchEntity, match=re.escape("MFA Device invalid for user.")):
        account.deactivate_mfa_device(user_name=bob, serial_number=serial)
    enable(account, clock, bob, serial, seed)
    with pytest.raises(NoSuchEntity, match=re.escape("MFA Device invalid for user.")):
        account.deactivate_mfa_device(user_name="carol", serial_number=serial)


def test_deactivate_defaults_to_the_caller(account: Account, clock: FixedClock, bob: str) -> None:
    """DeactivateMFADevice: without UserName it is the calling user; root must name one."""
    serial, seed = new_device(account)
    enable(account, clock, bob, serial, seed)
    with pytest.raises(ValidationError, match="non-User credentials"):
        account.deactivate_mfa_device(serial_number=serial)
    with account.acting_as(bob, mfa_authenticated=True):
        account.deactivate_mfa_device(serial_number=serial)
    assert account.list_mfa_devices(user_name=bob).mfa_devices == ()


def test_own_mfa_devices_need_an_mfa_session(
    account: Account, clock: FixedClock, bob: str
) -> None:
    """Once a user has an MFA device, enabling another or deactivating one of their own
    with a long-term key is AccessDenied, before any other check (AWS-2023-001; recorded
    from AWS, 2026); ResyncMFADevice, another user's devices, and a session
    authenticated with MFA are not affected."""
    first, first_seed = new_device(account, "first")
    second, second_seed = new_device(account, "second")
    with account.acting_as(bob):
        enable(account, clock, bob, first, first_seed)  # the first device: no MFA yet
    clock.advance(STEP)
    before = fresh_snapshot(account)
    calls = [
        lambda: enable(account, clock, bob, second, second_seed),
        lambda: account.deactivate_mfa_device(user_name=bob, serial_number=first),
        lambda: account.deactivate_mfa_device(
            user_name=bob, serial_number="arn:aws:iam::123456789012:mfa/missing"
        ),
    ]
    with account.acting_as(bob):
        for call in calls:
            with pytest.raises(AccessDenied) as caught:
                call()
            assert caught.value.message == mfa.MFA_SESSION_REQUIRED
        assert fresh_snapshot(account) == before
        clock.advance(STEP)  # a new pair may not reuse the last pair's code 2
        account.resync_mfa_device(
            user_name=bob,
            serial_number=first,
            authentication_code1=totp_code(first_seed, clock, -1),
            authentication_code2=totp_code(first_seed, clock),
        )
    clock.advance(STEP)
    with account.acting_as(bob, mfa_authenticated=True):
        enable(account, clock, bob, second, second_seed)
        account.deactivate_mfa_device(user_name=bob, serial_number=first)
    assert [d.serial_number for d in account.list_mfa_devices(user_name=bob).mfa_devices] == [
        second
    ]


# -- listing -----------------------------------------------------------------------------


def test_list_mfa_devices_defaults_to_the_caller(
    account: Account, clock: FixedClock, bob: str
) -> None:
    """ListMFADevices: without UserName the caller's devices; the root user has none here."""
    serial, seed = new_device(account)
    enable(account, clock, bob, serial, seed)
    with account.acting_as(bob):
        (device,) = account.list_mfa_devices().mfa_devices
    assert device.serial_number == serial
    assert account.list_mfa_devices().mfa_devices == ()
    with pytest.raises(NoSuchEntity):
        account.list_mfa_devices(user_name="nobody")


def test_list_mfa_devices_pages(account: Account, clock: FixedClock, bob: str) -> None:
    """ListMFADevices: MaxItems/Marker paging in enable order."""
    serials = []
    for n in range(3):
        serial, seed = new_device(account, f"d{n}")
        enable(account, clock, bob, serial, seed)
        serials.append(serial)
        clock.advance(STEP)
    first = account.list_mfa_devices(user_name=bob, max_items=2)
    assert first.is_truncated
    assert first.marker is not None
    rest = account.list_mfa_devices(user_name=bob, marker=first.marker)
    assert not rest.is_truncated
    assert rest.marker is None
    listed = [d.serial_number for d in first.mfa_devices + rest.mfa_devices]
    assert listed == serials


def test_list_virtual_mfa_devices_by_assignment_status(
    account: Account, clock: FixedClock, bob: str
) -> None:
    """ListVirtualMFADevices: Assigned / Unassigned / Any (default), ordered by serial number."""
    serial_b, seed_b = new_device(account, "b")
    serial_a, _ = new_device(account, "a")
    enable(account, clock, bob, serial_b, seed_b)

    def serials(status: str | None) -> list[str]:
        kwargs = {} if status is None else {"assignment_status": status}
        return [
            d.serial_number for d in account.list_virtual_mfa_devices(**kwargs).virtual_mfa_devices
        ]

    assert serials(None) == serials("Any") == [serial_a, serial_b]
    assert serials("Assigned") == [serial_b]
    assert serials("Unassigned") == [serial_a]


def test_list_virtual_mfa_devices_assigned_items(
    account: Account, clock: FixedClock, bob: str
) -> None:
    """ListVirtualMFADevices: assigned devices carry User and EnableDate, never seed/QR/tags."""
    serial, seed = new_device(account)
    account.tag_mfa_device(serial_number=serial, tags=[{"Key": "k", "Value": "v"}])
    enable(account, clock, bob, serial, seed)
    (device,) = account.list_virtual_mfa_devices().virtual_mfa_devices
    assert device.user is not None
    assert device.user.user_name == bob
    assert device.enable_date == clock.now()
    assert device.base32_string_seed is None
    assert device.qr_code_png is None
    assert device.tags == ()


def test_list_virtual_mfa_devices_pages(account: Account) -> None:
    """ListVirtualMFADevices: MaxItems/Marker paging with exact IsTruncated."""
    for n in range(5):
        new_device(account, f"d{n}")
    seen: list[str] = []
    marker = None
    while True:
        kwargs = {"max_items": 2} if marker is None else {"max_items": 2, "marker": marker}
        page = account.list_virtual_mfa_devices(**kwargs)
        seen += [d.serial_number for d in page.virtual_mfa_devices]
        if not page.is_truncated:
            break
        marker = page.marker
    assert seen == [f"arn:aws:iam::123456789012:mfa/d{n}" for n in range(5)]


def test_renamed_user_shows_in_lists(account: Account, clock: FixedClock, bob: str) -> None:
    """UpdateUser: a renamed user's devices list under the new name."""
    serial, seed = new_device(account)
    enable(account, clock, bob, serial, seed)
    account.update_user(user_name=bob, new_user_name="robert")
    assert account.list_mfa_devices(user_name="robert").mfa_devices[0].user_name == "robert"
    (device,) = account.list_virtual_mfa_devices().virtual_mfa_devices
    assert device.user is not None
    assert device.user.user_name == "robert"


# -- DeleteVirtualMFADevice and DeleteUser -----------------------------------------------


def test_delete_an_assigned_device_is_a_conflict(
    account: Account, clock: FixedClock, bob: str
) -> None:
    """DeleteVirtualMFADevice: an assigned device must be deactivated first (DeleteConflict)."""
    serial, seed = new_device(account)
    enable(account, clock, bob, serial, seed)
    with pytest.raises(
        DeleteConflict, match=re.escape("MFA VirtualDevice in use. Must deactivate first.")
    ):
        account.delete_virtual_mfa_device(serial_number=serial)


def test_delete_frees_the_name(account: Account) -> None:
    """DeleteVirtualMFADevice: the device is gone and its name can be used again."""
    serial, _ = new_device(account, "phone")
    account.delete_virtual_mfa_device(serial_number=serial)
    assert account.list_virtual_mfa_devices().virtual_mfa_devices == ()
    with pytest.raises(NoSuchEntity, match="does not exist"):
        account.delete_virtual_mfa_device(serial_number=serial)
    new_device(account, "PHONE")


def test_delete_user_refused_while_mfa_enabled(
    account: Account, clock: FixedClock, bob: str
) -> None:
    """DeleteUser: refused while an MFA device is enabled: "Cannot delete entity, must
    remove tokens from principal first." (recorded from AWS, 2026: stackd mfa.json)."""
    serial, seed = new_device(account)
    enable(account, clock, bob, serial, seed)
    with pytest.raises(DeleteConflict) as caught:
        account.delete_user(user_name=bob)
    assert caught.value.message == "Cannot delete entity, must remove tokens from principal first."
    account.deactivate_mfa_device(user_name=bob, serial_number=serial)
    account.delete_user(user_name=bob)
    assert account.list_virtual_mfa_devices().virtual_mfa_devices[0].serial_number == serial


def test_serial_lookup_ignores_case(account: Account) -> None:
    """Serial numbers are found ignoring case, like the names they are built from."""
    serial, _ = new_device(account, "Phone")
    account.tag_mfa_device(serial_number=serial.upper(), tags=[{"Key": "k", "Value": "v"}])
    assert account.list_mfa_device_tags(serial_number=serial.lower()).tags[0].key == "k"


# -- GetMFADevice ------------------------------------------------------------------------


def test_get_mfa_device_refuses_a_virtual_device(
    account: Account, clock: FixedClock, bob: str
) -> None:
    """GetMFADevice serves FIDO security keys only: for a virtual device enabled for the
    user named, AWS answers ValidationError with this text (recorded from AWS)."""
    serial, seed = new_device(account)
    enable(account, clock, bob, serial, seed)
    before = fresh_snapshot(account)
    for named in ({"user_name": bob}, {}):
        with pytest.raises(ValidationError) as caught:
            account.get_mfa_device(serial_number=serial, **named)
        assert caught.value.message == mfa.NOT_A_SECURITY_KEY
        assert caught.value.http_status == 400
    assert fresh_snapshot(account) == before


def test_get_mfa_device_security_key_serials(account: Account, bob: str) -> None:
    """A security key's serial number (``…:u2f/user/<user>/<key>-<id>``, API reference)
    names no device in iamcore (keys are registered only in the console): NoSuchEntity,
    and an unknown user named is reported first."""
    serial = "arn:aws:iam::123456789012:u2f/user/bob/fidokey-EXAMPLEBN5FHTECLFG7EXAMPLE"
    with pytest.raises(NoSuchEntity) as caught:
        account.get_mfa_device(serial_number=serial, user_name=bob)
    assert caught.value.message == f"MFA Device with serial number {serial} does not exist."
    with pytest.raises(NoSuchEntity) as caught:
        account.get_mfa_device(serial_number=serial, user_name="nobody")
    assert caught.value.message == "The user with name nobody cannot be found."


@pytest.mark.parametrize(
    ("serial", "security_key"),
    [
        ("arn:aws:iam::123456789012:u2f/user/alice/key-ABC", True),
        ("arn:aws:iam::123456789012:mfa/alice", False),
        ("GAHT12345678", False),  # a hardware TOTP token's serial number
        ("arn:aws:iam::123456789012:user/u2f/x", False),
        ("arn:aws:s3:::u2f/x", False),
    ],
)
def test_security_key_serial_shape(account: Account, serial: str, security_key: bool) -> None:
    """Only ``arn:…:iam::…:u2f/…`` serial numbers reach the device lookup (NoSuchEntity);
    any other is GetMFADevice's ValidationError."""
    expected = NoSuchEntity if security_key else ValidationError
    with pytest.raises(expected):
        account.get_mfa_device(serial_number=serial)


def test_get_mfa_device_checks_the_model_first(account: Account) -> None:
    """SerialNumber must be 9-256 characters ([\\w+=/:,.@-]+) and UserName 1-64
    (botocore's model): ValidationError in the model's format."""
    with pytest.raises(ValidationError) as caught:
        account.get_mfa_device(serial_number="short")
    assert "Value at 'serialNumber' failed to satisfy constraint" in caught.value.message
    with pytest.raises(ValidationError) as caught:
        account.get_mfa_device(serial_number="arn:aws:iam::1:u2f/x", user_name="u" * 65)
    assert "Value at 'userName' failed to satisfy constraint" in caught.value.message


def test_boto3_get_mfa_device(boto3_iam: Any) -> None:
    """boto3 GetMFADevice on a virtual device: ClientError ValidationError, HTTP 400."""
    serial = boto3_iam.create_virtual_mfa_device(VirtualMFADeviceName="phone")["VirtualMFADevice"][
        "SerialNumber"
    ]
    with pytest.raises(ClientError) as caught:
        boto3_iam.get_mfa_device(SerialNumber=serial)
    error = caught.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("ValidationError", mfa.NOT_A_SECURITY_KEY)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


# -- tags --------------------------------------------------------------------------------


def test_tag_untag_list_mfa_device_tags(account: Account) -> None:
    """TagMFADevice/UntagMFADevice/ListMFADeviceTags: case-sensitive keys, sorted listing."""
    serial, _ = new_device(account)
    account.tag_mfa_device(
        serial_number=serial,
        tags=[{"Key": "b", "Value": "1"}, {"Key": "B", "Value": "2"}, {"Key": "a", "Value": ""}],
    )
    account.tag_mfa_device(serial_number=serial, tags=[{"Key": "b", "Value": "3"}])
    tags = account.list_mfa_device_tags(serial_number=serial).tags
    assert [(t.key, t.value) for t in tags] == [("B", "2"), ("a", ""), ("b", "3")]
    account.untag_mfa_device(serial_number=serial, tag_keys=["b", "A", "missing"])
    tags = account.list_mfa_device_tags(serial_number=serial).tags
    assert [t.key for t in tags] == ["B", "a"]


def test_tag_limits_and_unknown_device(account: Account) -> None:
    """TagMFADevice: at most 50 tags (LimitExceeded); unknown serial is NoSuchEntity."""
    serial, _ = new_device(account)
    account.tag_mfa_device(
        serial_number=serial, tags=[{"Key": f"k{n}", "Value": ""} for n in range(50)]
    )
    with pytest.raises(LimitExceeded):
        account.tag_mfa_device(serial_number=serial, tags=[{"Key": "one-more", "Value": ""}])
    missing = "arn:aws:iam::123456789012:mfa/missing"
    with pytest.raises(NoSuchEntity):
        account.tag_mfa_device(serial_number=missing, tags=[{"Key": "k", "Value": ""}])
    with pytest.raises(NoSuchEntity):
        account.untag_mfa_device(serial_number=missing, tag_keys=["k"])
    with pytest.raises(NoSuchEntity):
        account.list_mfa_device_tags(serial_number=missing)


# -- secrets -----------------------------------------------------------------------------


def test_secrets_never_in_repr_or_listings(account: Account, clock: FixedClock, bob: str) -> None:
    """Seeds, QR codes and service passwords appear only in the creating call's result:
    never in any repr, nor in any list or get result."""
    device = account.create_virtual_mfa_device(virtual_mfa_device_name="phone").virtual_mfa_device
    assert device.base32_string_seed is not None
    assert device.qr_code_png is not None
    seed, png = device.base32_string_seed, device.qr_code_png
    enable(account, clock, bob, device.serial_number, seed)
    git = account.create_service_specific_credential(
        user_name=bob, service_name="codecommit.amazonaws.com"
    ).service_specific_credential
    api = account.create_service_specific_credential(
        user_name=bob, service_name="bedrock.amazonaws.com"
    ).service_specific_credential
    reset = account.reset_service_specific_credential(
        user_name=bob, service_specific_credential_id=git.service_specific_credential_id
    ).service_specific_credential
    secrets = [seed.decode(), git.service_password, api.service_credential_secret]
    secrets.append(reset.service_password)
    assert all(isinstance(secret, str) and secret for secret in secrets)
    created = [device, git, api, reset]
    results: list[object] = [
        account.list_virtual_mfa_devices(),
        account.list_mfa_devices(user_name=bob),
        account.list_mfa_device_tags(serial_number=device.serial_number),
        account.list_service_specific_credentials(user_name=bob),
        account.list_service_specific_credentials(all_users=True),
        account.get_user(user_name=bob),
    ]
    # the state keeps the seed (codes are checked against it), but never shows it
    for shown in [*created, *results, account.snapshot()]:
        text = repr(shown)
        for secret in secrets:
            assert secret not in text
        assert repr(png) not in text
    for result in results:
        for value in walk(result):
            assert value not in (*secrets, seed, png)
            if isinstance(value, str):
                assert not any(secret in value for secret in secrets)


# -- atomicity and properties ------------------------------------------------------------


@settings(max_examples=25)
@given(codes=st.tuples(st.integers(0, 999_999), st.integers(0, 999_999)))
def test_random_codes_never_enable(codes: tuple[int, int]) -> None:
    """EnableMFADevice: any pair that is not the device's consecutive codes is refused,
    and the refusal changes nothing."""
    clock = FixedClock()
    account = Account(clock=clock, entropy=seeded_entropy(11))
    account.create_user(user_name="bob")
    serial, seed = new_device(account)
    code1, code2 = (f"{code:06d}" for code in codes)
    now_step = totp.time_step(clock.now())
    behind, ahead = mfa.ENABLE_WINDOW
    genuine = {
        (totp.code_for_step(seed, step - 1), totp.code_for_step(seed, step))
        for step in range(now_step - behind, now_step + ahead + 1)
    }
    before = account.snapshot()
    if (code1, code2) in genuine:
        return
    with pytest.raises(InvalidAuthenticationCode):
        account.enable_mfa_device(
            user_name="bob",
            serial_number=serial,
            authentication_code1=code1,
            authentication_code2=code2,
        )
    assert fresh_snapshot(account) == before


@settings(max_examples=10)
@given(attempts=st.integers(min_value=1, max_value=12), seed=st.integers(0, 1000))
def test_never_more_than_eight_devices(attempts: int, seed: int) -> None:
    """EnableMFADevice: however many devices a user tries to enable, at most 8 are enabled."""
    clock = FixedClock()
    account = Account(clock=clock, entropy=seeded_entropy(seed))
    account.create_user(user_name="bob")
    with mock.patch.object(mfa, "qr_code_png", return_value=b"\x89PNG"):
        for n in range(attempts):
            serial, device_seed = new_device(account, f"d{n}")
            if n < mfa.MAX_MFA_DEVICES_PER_USER:
                enable(account, clock, "bob", serial, device_seed)
            else:
                with pytest.raises(LimitExceeded):
                    enable(account, clock, "bob", serial, device_seed)
    enabled = account.list_mfa_devices(user_name="bob").mfa_devices
    assert len(enabled) == min(attempts, mfa.MAX_MFA_DEVICES_PER_USER)


# -- boto3 through iamcore.mock ----------------------------------------------------------


def test_boto3_create_virtual_mfa_device_types(boto3_iam: Any) -> None:
    """boto3 CreateVirtualMFADevice: Base32StringSeed and QRCodePNG are bytes; PNG magic."""
    response = boto3_iam.create_virtual_mfa_device(
        VirtualMFADeviceName="phone", Path="/team/", Tags=[{"Key": "k", "Value": "v"}]
    )
    device = response["VirtualMFADevice"]
    assert device["SerialNumber"] == "arn:aws:iam::123456789012:mfa/team/phone"
    assert isinstance(device["Base32StringSeed"], bytes)
    assert re.fullmatch(rb"[A-Z2-7]{64}", device["Base32StringSeed"])
    assert isinstance(device["QRCodePNG"], bytes)
    assert device["QRCodePNG"].startswith(b"\x89PNG")
    assert device["Tags"] == [{"Key": "k", "Value": "v"}]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_boto3_mfa_lifecycle(boto3_iam: Any, account: Account, clock: FixedClock) -> None:
    """boto3: Create, Enable, ListMFADevices, ListVirtualMFADevices, Resync, Deactivate, Delete."""
    client = boto3_iam
    client.create_user(UserName="bob")
    device = client.create_virtual_mfa_device(VirtualMFADeviceName="phone")["VirtualMFADevice"]
    serial, seed = device["SerialNumber"], device["Base32StringSeed"]
    client.enable_mfa_device(
        UserName="bob",
        SerialNumber=serial,
        AuthenticationCode1=totp_code(seed, clock, -1),
        AuthenticationCode2=totp_code(seed, clock),
    )
    (listed,) = client.list_mfa_devices(UserName="bob")["MFADevices"]
    assert listed["UserName"] == "bob"
    assert listed["SerialNumber"] == serial
    assert listed["EnableDate"] == clock.now()
    (virtual,) = client.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    assert virtual["User"]["UserName"] == "bob"
    assert set(virtual) == {"SerialNumber", "User", "EnableDate"}
    clock.advance(2 * STEP)  # a pair may not reuse the enabling pair's code 2
    client.resync_mfa_device(
        UserName="bob",
        SerialNumber=serial,
        AuthenticationCode1=totp_code(seed, clock, -1),
        AuthenticationCode2=totp_code(seed, clock),
    )
    with pytest.raises(ClientError) as caught:
        client.delete_virtual_mfa_device(SerialNumber=serial)
    assert caught.value.response["Error"]["Code"] == "DeleteConflict"
    client.deactivate_mfa_device(UserName="bob", SerialNumber=serial)
    client.delete_virtual_mfa_device(SerialNumber=serial)
    assert client.list_virtual_mfa_devices()["VirtualMFADevices"] == []


def test_boto3_invalid_authentication_code(boto3_iam: Any, clock: FixedClock) -> None:
    """boto3 EnableMFADevice: bad codes raise ClientError InvalidAuthenticationCode, HTTP 403."""
    boto3_iam.create_user(UserName="bob")
    device = boto3_iam.create_virtual_mfa_device(VirtualMFADeviceName="phone")["VirtualMFADevice"]
    with pytest.raises(ClientError) as caught:
        boto3_iam.enable_mfa_device(
            UserName="bob",
            SerialNumber=device["SerialNumber"],
            AuthenticationCode1="000000",
            AuthenticationCode2="000000",
        )
    error = caught.value.response
    assert error["Error"]["Code"] == "InvalidAuthenticationCode"
    assert error["Error"]["Message"] == "Authentication code for device is not valid."
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_boto3_paginate_virtual_mfa_devices(boto3_iam: Any) -> None:
    """boto3: the ListVirtualMFADevices paginator walks every page."""
    for n in range(5):
        boto3_iam.create_virtual_mfa_device(VirtualMFADeviceName=f"d{n}")
    paginator = boto3_iam.get_paginator("list_virtual_mfa_devices")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 2}))
    assert len(pages) == 3
    serials = [d["SerialNumber"] for page in pages for d in page["VirtualMFADevices"]]
    assert serials == [f"arn:aws:iam::123456789012:mfa/d{n}" for n in range(5)]


def test_boto3_mfa_device_tags(boto3_iam: Any) -> None:
    """boto3: TagMFADevice, ListMFADeviceTags, UntagMFADevice."""
    serial = boto3_iam.create_virtual_mfa_device(VirtualMFADeviceName="phone")["VirtualMFADevice"][
        "SerialNumber"
    ]
    boto3_iam.tag_mfa_device(
        SerialNumber=serial, Tags=[{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "1"}]
    )
    assert boto3_iam.list_mfa_device_tags(SerialNumber=serial)["Tags"] == [
        {"Key": "a", "Value": "1"},
        {"Key": "b", "Value": "2"},
    ]
    boto3_iam.untag_mfa_device(SerialNumber=serial, TagKeys=["a"])
    assert boto3_iam.list_mfa_device_tags(SerialNumber=serial)["Tags"] == [
        {"Key": "b", "Value": "2"}
    ]


def test_boto3_delete_user_with_mfa(boto3_iam: Any, clock: FixedClock) -> None:
    """boto3 DeleteUser: DeleteConflict (409) while an MFA device is enabled."""
    boto3_iam.create_user(UserName="bob")
    device = boto3_iam.create_virtual_mfa_device(VirtualMFADeviceName="phone")["VirtualMFADevice"]
    boto3_iam.enable_mfa_device(
        UserName="bob",
        SerialNumber=device["SerialNumber"],
        AuthenticationCode1=totp_code(device["Base32StringSeed"], clock, -1),
        AuthenticationCode2=totp_code(device["Base32StringSeed"], clock),
    )
    with pytest.raises(ClientError) as caught:
        boto3_iam.delete_user(UserName="bob")
    assert caught.value.response["Error"]["Code"] == "DeleteConflict"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409


# -- persistence -----------------------------------------------------------------------


def test_state_file_round_trip(account: Account, clock: FixedClock, bob: str) -> None:
    """Saved with secrets and loaded back, devices, SSH keys and credentials are equal and the
    device still verifies codes; a redacted file keeps no seed, so no code verifies."""
    serial, seed = new_device(account)
    enable(account, clock, bob, serial, seed)
    account.create_service_specific_credential(
        user_name=bob, service_name="codecommit.amazonaws.com"
    )
    loaded = persistence.loads(persistence.dumps(account, include_secrets=True), clock=clock)
    assert loaded.snapshot().tables == account.snapshot().tables
    clock.advance(STEP)
    user_id = loaded.get_user(user_name=bob).user.user_id
    mfa.verify_sign_in_code(loaded._state, _ctx(loaded), user_id, totp_code(seed, clock))
    redacted = persistence.loads(persistence.dumps(account), clock=clock)
    assert mfa.has_mfa(redacted._state, user_id)
    with pytest.raises(InvalidAuthenticationCode):
        mfa.verify_sign_in_code(redacted._state, _ctx(redacted), user_id, totp_code(seed, clock))


def test_boto3_list_mfa_devices_of_the_signing_user(account: Account, clock: FixedClock) -> None:
    """boto3 ListMFADevices without UserName, signed with a user's key: that user's devices."""
    account.create_user(user_name="bob")
    key = account.create_access_key(user_name="bob").access_key
    serial, seed = new_device(account)
    enable(account, clock, "bob", serial, seed)
    with mock_iam(account):
        as_bob = boto3_client(key.access_key_id, key.secret_access_key)
        (device,) = as_bob.list_mfa_devices()["MFADevices"]
    assert (device["UserName"], device["SerialNumber"]) == ("bob", serial)
