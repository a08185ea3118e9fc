"""Virtual MFA device rules: CreateVirtualMFADevice, EnableMFADevice, DeactivateMFADevice,
ResyncMFADevice, GetMFADevice, ListMFADevices, ListVirtualMFADevices, DeleteVirtualMFADevice, MFA
device tags, and checking an MFA code at console sign-in.

AWS facts modelled here (aws-iam-rules.md §1.4, §2.4, §3):

- a virtual device's serial number is its ARN ``arn:aws:iam::{account}:mfa{path}{name}``;
  CreateVirtualMFADevice returns the base32 seed and a QR code PNG of its
  ``otpauth://`` URI, and nothing ever returns them again;
- device names are unique in the account ignoring case, whatever the path
  (``EntityAlreadyExists: MFA device already exists.``, the text AWS sends); an
  unknown serial number is ``NoSuchEntity: MFA Device with serial number X does
  not exist.`` (observed: LocalStack's AWS-validated MFA tests); an account
  holds at most as many virtual devices as users (5,000);
- EnableMFADevice needs two *consecutive* 6-digit TOTP codes (RFC 6238:
  HMAC-SHA1, 30-second steps); wrong ones are ``InvalidAuthenticationCode``
  (403).  A device serves one user: enabling it again for the same user is
  ``EntityAlreadyExists: MFA Device for user X already exists.``, for another
  user ``EntityAlreadyExists: MFA Device is already in use.``; a user has at
  most 8 devices;
- codes that are correct but stale still enable the device, which is then
  out of sync until ResyncMFADevice (API reference, EnableMFADevice);
- DeactivateMFADevice leaves an unassigned device; DeleteVirtualMFADevice
  refuses an assigned one (DeleteConflict); DeleteUser is refused while a
  device is enabled for the user, before access keys are checked (order 15,
  ``Cannot delete entity, must remove tokens from principal first.``);
- tag keys on MFA devices are case-sensitive (unlike user tags).

Code windows and reuse (recorded from AWS, 2026: github.com/radkawar/stackd
``mfa_pair_window.json``, ``mfa_resync_anchor.json``, ``mfa_time.json``,
``mfa_reuse.json``, ``mfa.json``):

- EnableMFADevice and ResyncMFADevice accept code 2 from 998 steps behind to
  1000 steps ahead of the device's drift-corrected current step (code 1 being
  the step before).  A new device has no drift; each accepted pair sets the
  drift to code 2's offset from now, and the drift survives
  DeactivateMFADevice, so a device enabled 600 steps ahead can be resynchronised
  1200 steps ahead and re-enabled 1804 steps ahead.
- A pair may not reuse the previous accepted pair's codes: code 1 must be for
  a later step than code 2 of the last pair (``(s, s+1)`` after ``(s-1, s)`` is
  InvalidAuthenticationCode, also across deactivation).

iamcore's choices where AWS is silent (docs/mfa-ssh-git.md): sign-in accepts
the step at the drift-corrected current time ±1, later than the last step the
device accepted; sign-in and the Enable/Resync pairs share that one record of
the last accepted step, so no code is accepted twice.

State (read by the credential report): ``state.virtual_mfa_devices`` maps the
lower-case serial number to a :class:`~iamcore.entities.StoredVirtualMFADevice`;
``state.user_mfa_devices`` maps a user ID to the lower-case serials of the
devices enabled for that user.  A user has MFA active exactly when
``state.user_mfa_devices`` has an entry for them (:func:`has_mfa`).
"""

from __future__ import annotations

import base64
import io
from typing import Any
from urllib.parse import quote

import attrs

from iamcore import ids, totp
from iamcore.entities import MFADevice, StoredVirtualMFADevice, User, VirtualMFADevice
from iamcore.errors import (
    AccessDenied,
    DeleteConflict,
    EntityAlreadyExists,
    InvalidAuthenticationCode,
    InvalidInput,
    LimitExceeded,
    NoSuchEntity,
    ValidationError,
)
from iamcore.paging import page, page_of_sorted
from iamcore.responses import (
    CreateVirtualMFADeviceResponse,
    GetMFADeviceResponse,
    ListMFADevicesResponse,
    ListMFADeviceTagsResponse,
    ListVirtualMFADevicesResponse,
)
from iamcore.rules import _common, users
from iamcore.rules import tags as tag_rules
from iamcore.rules.users import target_user
from iamcore.state import AccountState, Context

__all__ = [
    "ENABLE_WINDOW",
    "MAX_DEVICE_NAME_LENGTH",
    "MAX_MFA_DEVICES_PER_USER",
    "MAX_VIRTUAL_MFA_DEVICES",
    "MFA_SESSION_REQUIRED",
    "RESYNC_WINDOW",
    "SEED_BYTES",
    "SIGN_IN_WINDOW",
    "create_virtual_mfa_device",
    "deactivate_mfa_device",
    "delete_virtual_mfa_device",
    "enable_mfa_device",
    "enabled_devices",
    "get_mfa_device",
    "has_mfa",
    "list_mfa_device_tags",
    "list_mfa_devices",
    "list_virtual_mfa_devices",
    "otpauth_uri",
    "qr_code_png",
    "resync_mfa_device",
    "tag_mfa_device",
    "target_user",
    "untag_mfa_device",
    "verify_sign_in_code",
]

#: A user may have up to eight MFA devices (UG "Using MFA in AWS").
MAX_MFA_DEVICES_PER_USER = 8
#: Virtual MFA devices per account (assigned or not) equal the user quota.
MAX_VIRTUAL_MFA_DEVICES = 5000
#: The model sets no maximum; iamcore takes 128, like other IAM names (unverified).
MAX_DEVICE_NAME_LENGTH = 128
#: Seed size: 40 random bytes, i.e. 64 base32 characters like AWS's documented example.
SEED_BYTES = 40
#: Where EnableMFADevice looks for code 2: (steps behind, steps ahead) of the device's
#: drift-corrected now (recorded from AWS, 2026: accepted -998 and +1000, refused -999
#: and +1001, stackd ``mfa_pair_window.json``).
ENABLE_WINDOW = (998, 1000)
#: Where ResyncMFADevice looks for code 2, around the device's drift-corrected now (AWS
#: searches around the device's stored adjustment, ``mfa_resync_anchor.json``; iamcore
#: takes Enable's recorded window).
RESYNC_WINDOW = (998, 1000)
#: Where a sign-in code may be, around the device's drift-corrected now.
SIGN_IN_WINDOW = (1, 1)

INVALID_CODE = "Authentication code for device is not valid."
MFA_SESSION_REQUIRED = (
    "To complete this action, please ensure that you are authenticated with an MFA device "
    "that is enabled for this user."
)
#: GetMFADevice's answer for a serial number that is not a FIDO security key's,
#: recorded from AWS for a virtual device enabled for the user named
#: (github.com/radkawar/stackd, testdata/aws/iam/mfa.json).
NOT_A_SECURITY_KEY = (
    "The MFA device serial number sent in the request is invalid or not supported by "
    "this API. Currently, only hardware FIDO security keys are supported. Please use "
    "the compatible device or API."
)
_ISSUER = "Amazon Web Services"


# -- helpers ------------------------------------------------------------------


def _require_device(state: AccountState, serial_number: str) -> StoredVirtualMFADevice:
    device = state.virtual_mfa_devices.get(serial_number.lower())
    if device is None:
        raise NoSuchEntity(f"MFA Device with serial number {serial_number} does not exist.")
    return device


def _require_mfa_session(state: AccountState, ctx: Context, user: User) -> None:
    """A user with an MFA device enabled may enable or deactivate their own devices only
    in a session authenticated with MFA, not with a long-term access key (AWS security
    bulletin AWS-2023-001; recorded from AWS, 2026: AccessDenied before any other
    check, while another user's devices and ResyncMFADevice are unaffected)."""
    if ctx.caller == user.user_id and not ctx.mfa_authenticated and has_mfa(state, user.user_id):
        raise AccessDenied(MFA_SESSION_REQUIRED)


def _require_users_device(
    state: AccountState, user: User, serial_number: str
) -> StoredVirtualMFADevice:
    device = _require_device(state, serial_number)
    if device.user_id != user.user_id:
        raise NoSuchEntity("MFA Device invalid for user.")
    return device


def _seed(device: StoredVirtualMFADevice) -> str:
    """The device's seed; a device loaded from a redacted state file has none."""
    if device.seed is None:
        raise InvalidAuthenticationCode(INVALID_CODE)
    return device.seed


def _consecutive_step(
    device: StoredVirtualMFADevice,
    ctx: Context,
    code1: str,
    code2: str,
    window: tuple[int, int],
) -> int:
    """EnableMFADevice, ResyncMFADevice: the time step of code 2 of two consecutive codes
    within ``window`` of the device's drift-corrected now, whose code 1 is for a later
    step than the device's last accepted step (a pair may not reuse the previous
    pair's code 2: recorded from AWS, 2026), else InvalidAuthenticationCode."""
    seed = _seed(device)
    if len(code1) != len(code2):
        raise InvalidAuthenticationCode(INVALID_CODE)
    # nearest steps first: the usual pair, at the device's drift, is found at once
    center = totp.time_step(ctx.now) + device.drift
    behind, ahead = window
    lowest = center - behind
    if device.last_step is not None:
        lowest = max(lowest, device.last_step + 2)  # code 1 after the last accepted step
    candidates = iter(
        sorted(range(lowest, center + ahead + 1), key=lambda step: (abs(step - center), step))
    )
    while (step := totp.find_step(seed, code2, candidates)) is not None:
        if totp.find_step(seed, code1, (step - 1,)) is not None:
            return step
    raise InvalidAuthenticationCode(INVALID_CODE)


def _enable_order_key(device: StoredVirtualMFADevice) -> str:
    enabled = device.enable_date.isoformat() if device.enable_date is not None else ""
    return f"{enabled}\x00{device.serial_number.lower()}"


def enabled_devices(state: AccountState, user_id: str) -> tuple[StoredVirtualMFADevice, ...]:
    """The MFA devices enabled for a user, in the order they were enabled."""
    serials = state.user_mfa_devices.get(user_id, {})
    return tuple(state.virtual_mfa_devices[serial] for serial in serials)


def has_mfa(state: AccountState, user_id: str) -> bool:
    """Whether the user has at least one MFA device enabled (credential report ``mfa_active``)."""
    return bool(state.user_mfa_devices.get(user_id))


def otpauth_uri(device_name: str, account_id: str, seed: str) -> str:
    """The ``otpauth://`` URI the QR code of a new virtual device encodes.

    ``otpauth://totp/Amazon%20Web%20Services:{name}@{account}?secret={seed}&issuer=Amazon%20Web%20Services``:
    the label is the device name at the account ID (the model's
    ``$virtualMFADeviceName@$AccountName``; a new device has no user yet, so
    the account ID), prefixed with the issuer as authenticator apps expect.
    """
    issuer = quote(_ISSUER, safe="")
    label = f"{issuer}:{quote(device_name, safe='')}@{account_id}"
    return f"otpauth://totp/{label}?secret={seed}&issuer={issuer}"


def qr_code_png(text: str) -> bytes:
    """Return a PNG image of a QR code encoding ``text``.

    Needs the optional ``segno`` package (``pip install iamcore[qr]``).
    """
    try:
        import segno  # optional dependency, imported on first use
    except ImportError as error:
        raise ImportError(
            "CreateVirtualMFADevice draws the QR code with the optional 'segno' package; "
            "install it with: pip install 'iamcore[qr]'"
        ) from error
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=4, border=4)
    return buffer.getvalue()


def _view(state: AccountState, device: StoredVirtualMFADevice) -> VirtualMFADevice:
    """A device as ListVirtualMFADevices shows it: no seed, no QR code, no tags."""
    if device.user_id is None:
        return VirtualMFADevice(serial_number=device.serial_number)
    return VirtualMFADevice(
        serial_number=device.serial_number,
        user=users.nested_view(state.users[device.user_id]),
        enable_date=device.enable_date,
    )


# -- CreateVirtualMFADevice ----------------------------------------------------


def create_virtual_mfa_device(
    state: AccountState,
    ctx: Context,
    *,
    virtual_mfa_device_name: str,
    path: str = "/",
    tags: tuple[dict[str, Any], ...] = (),
) -> CreateVirtualMFADeviceResponse:
    """AWS CreateVirtualMFADevice: a new unassigned device, its seed and QR code.

    The name is unique in the account ignoring case (EntityAlreadyExists);
    at most :data:`MAX_VIRTUAL_MFA_DEVICES` devices; tags all-or-nothing,
    keys case-sensitive.
    """
    name = virtual_mfa_device_name
    if len(name) > MAX_DEVICE_NAME_LENGTH:
        raise ValidationError(
            "1 validation error detected: Value at 'virtualMFADeviceName' failed to "
            f"satisfy constraint: Member must have length less than or equal to "
            f"{MAX_DEVICE_NAME_LENGTH}"
        )
    serial_number = ids.arn(ctx.account_id, "mfa", path, name)
    if len(serial_number) > 256:
        raise InvalidInput(
            f"The serial number {serial_number} would be longer than 256 characters; "
            "use a shorter path or name."
        )
    if name.lower() in state.virtual_mfa_names:
        raise EntityAlreadyExists("MFA device already exists.")
    if len(state.virtual_mfa_devices) >= MAX_VIRTUAL_MFA_DEVICES:
        raise LimitExceeded(f"Cannot exceed quota for MFADevices: {MAX_VIRTUAL_MFA_DEVICES}")
    device_tags = tag_rules.add_tags((), tag_rules.to_tags(tags, False), False, "TagsPerMFADevice")
    seed = base64.b32encode(ctx.entropy(SEED_BYTES)).decode("ascii")
    png = qr_code_png(otpauth_uri(name, ctx.account_id, seed))
    device = StoredVirtualMFADevice(
        serial_number=serial_number,
        path=path,
        name=name,
        create_date=ctx.now,
        seed=seed,
        tags=device_tags,
    )
    key = serial_number.lower()
    state.virtual_mfa_devices[key] = device
    state.virtual_mfa_names[name.lower()] = key
    state.virtual_mfa_index.add(key)
    return CreateVirtualMFADeviceResponse(
        VirtualMFADevice(
            serial_number=serial_number,
            base32_string_seed=seed.encode("ascii"),
            qr_code_png=png,
            tags=device_tags,
        )
    )


# -- EnableMFADevice, ResyncMFADevice, DeactivateMFADevice ---------------------


def enable_mfa_device(
    state: AccountState,
    ctx: Context,
    *,
    user_name: str,
    serial_number: str,
    authentication_code1: str,
    authentication_code2: str,
) -> None:
    """AWS EnableMFADevice: assign a device to a user with two consecutive codes.

    Checks, in order: the user exists, the device exists, it is not already
    assigned (EntityAlreadyExists ``MFA Device for user X already exists.`` when
    it is the same user's, recorded from AWS, 2026; ``MFA Device is already in
    use.`` for another user's), the user has fewer than 8 devices
    (LimitExceeded), and the codes are consecutive codes of the device within
    :data:`ENABLE_WINDOW` of its drift-corrected now, not reusing the last
    accepted pair's (InvalidAuthenticationCode).
    """
    user = users.require_user(state, user_name)
    _require_mfa_session(state, ctx, user)
    device = _require_device(state, serial_number)
    if device.user_id == user.user_id:
        raise EntityAlreadyExists(f"MFA Device for user {user.user_name} already exists.")
    if device.user_id is not None:
        raise EntityAlreadyExists("MFA Device is already in use.")
    if len(state.user_mfa_devices.get(user.user_id, ())) >= MAX_MFA_DEVICES_PER_USER:
        raise LimitExceeded(
            f"Cannot exceed quota for MFADevicesPerUser: {MAX_MFA_DEVICES_PER_USER}"
        )
    step = _consecutive_step(
        device, ctx, authentication_code1, authentication_code2, ENABLE_WINDOW
    )
    key = device.serial_number.lower()
    state.virtual_mfa_devices[key] = attrs.evolve(
        device,
        user_id=user.user_id,
        enable_date=ctx.now,
        drift=step - totp.time_step(ctx.now),
        last_step=step,
    )
    state.user_mfa_devices.setdefault(user.user_id, {})[key] = None


def resync_mfa_device(
    state: AccountState,
    ctx: Context,
    *,
    user_name: str,
    serial_number: str,
    authentication_code1: str,
    authentication_code2: str,
) -> None:
    """AWS ResyncMFADevice: re-learn an enabled device's clock offset from two consecutive codes.

    The device must be enabled for the user (NoSuchEntity); the codes are
    searched within :data:`RESYNC_WINDOW` of the device's drift-corrected now
    and may not reuse the last accepted pair's (InvalidAuthenticationCode).
    """
    user = users.require_user(state, user_name)
    device = _require_users_device(state, user, serial_number)
    step = _consecutive_step(
        device, ctx, authentication_code1, authentication_code2, RESYNC_WINDOW
    )
    state.virtual_mfa_devices[device.serial_number.lower()] = attrs.evolve(
        device, drift=step - totp.time_step(ctx.now), last_step=step
    )


def deactivate_mfa_device(
    state: AccountState, ctx: Context, *, serial_number: str, user_name: str | None = None
) -> None:
    """AWS DeactivateMFADevice: unassign the device; it stays as an unassigned virtual device.

    ``UserName`` defaults to the calling user.  The device must be enabled
    for that user (NoSuchEntity ``MFA Device invalid for user.``).
    """
    user = target_user(state, ctx, user_name)
    _require_mfa_session(state, ctx, user)
    device = _require_users_device(state, user, serial_number)
    key = device.serial_number.lower()
    state.virtual_mfa_devices[key] = attrs.evolve(device, user_id=None, enable_date=None)
    _common.discard(state.user_mfa_devices, user.user_id, key)


def get_mfa_device(
    state: AccountState, ctx: Context, *, serial_number: str, user_name: str | None = None
) -> GetMFADeviceResponse:
    """AWS GetMFADevice: describe a FIDO security key and its certifications.

    The API serves security keys only, whose serial numbers are
    ``arn:aws:iam::{account}:u2f/user/{user}/{key}-{id}`` (API reference
    example).  Any other serial number, a virtual device's included, is a
    ValidationError (:data:`NOT_A_SECURITY_KEY`, recorded from AWS).  Security
    keys are registered only in the console, which iamcore does not model, so
    a ``u2f`` serial number names no device: NoSuchEntity, after the user
    named (if any) is looked up.
    """
    if not _is_security_key_serial(serial_number):
        raise ValidationError(NOT_A_SECURITY_KEY)
    if user_name is not None:
        users.require_user(state, user_name)
    raise NoSuchEntity(f"MFA Device with serial number {serial_number} does not exist.")


def _is_security_key_serial(serial_number: str) -> bool:
    """Whether ``serial_number`` is shaped as a FIDO security key's (``…:u2f/…``)."""
    parts = serial_number.split(":", 5)
    return (
        len(parts) == 6 and parts[0] == "arn" and parts[2] == "iam" and parts[5].startswith("u2f/")
    )


# -- sign-in (used by the console sign-in rule) ---------------------------------


def verify_sign_in_code(state: AccountState, ctx: Context, user_id: str, code: str) -> None:
    """Check an MFA code given at console sign-in; each code is accepted once.

    The code must be the code of one of the user's enabled devices for a
    time step within :data:`SIGN_IN_WINDOW` of the device's drift-corrected
    current step, and later than the last step that device accepted.  On
    success the step is remembered (the only change this makes); otherwise
    InvalidAuthenticationCode is raised and nothing changes.  Call it after
    every other sign-in check, so a sign-in refused for another reason does
    not use up the code.
    """
    if len(code) != totp.DIGITS:
        raise InvalidAuthenticationCode(INVALID_CODE)
    now_step = totp.time_step(ctx.now)
    for device in enabled_devices(state, user_id):
        behind, ahead = SIGN_IN_WINDOW
        center = now_step + device.drift
        candidates = range(center - behind, center + ahead + 1)
        if device.last_step is not None:
            candidates = range(max(candidates.start, device.last_step + 1), candidates.stop)
        if device.seed is None:
            continue
        step = totp.find_step(device.seed, code, candidates)
        if step is not None:
            key = device.serial_number.lower()
            state.virtual_mfa_devices[key] = attrs.evolve(device, last_step=step)
            return
    raise InvalidAuthenticationCode(INVALID_CODE)


# -- listing and deleting ------------------------------------------------------


def list_mfa_devices(
    state: AccountState,
    ctx: Context,
    *,
    user_name: str | None = None,
    marker: str | None = None,
    max_items: int | None = None,
) -> ListMFADevicesResponse:
    """AWS ListMFADevices: the devices enabled for a user (default: the caller), paged.

    Without a user name the root user's devices are listed; iamcore models
    no root MFA, so that list is empty.
    """
    if user_name is None and ctx.caller is None:
        return ListMFADevicesResponse(())
    user = target_user(state, ctx, user_name)
    devices = sorted(enabled_devices(state, user.user_id), key=_enable_order_key)
    items, truncated, next_marker = page_of_sorted(devices, _enable_order_key, marker, max_items)
    listed = tuple(
        MFADevice(
            user_name=user.user_name,
            serial_number=device.serial_number,
            enable_date=device.enable_date if device.enable_date is not None else ctx.now,
        )
        for device in items
    )
    return ListMFADevicesResponse(listed, truncated, next_marker)


def list_virtual_mfa_devices(
    state: AccountState,
    ctx: Context,
    *,
    assignment_status: str = "Any",
    marker: str | None = None,
    max_items: int | None = None,
) -> ListVirtualMFADevicesResponse:
    """AWS ListVirtualMFADevices: every virtual device, by serial number, filtered and paged.

    ``AssignmentStatus`` is ``Assigned``, ``Unassigned`` or ``Any`` (default).
    Assigned devices carry their ``User`` and ``EnableDate``; no item carries
    the seed, the QR code or tags.
    """

    def lookup(key: str) -> VirtualMFADevice | None:
        device = state.virtual_mfa_devices[key]
        assigned = device.user_id is not None
        if assignment_status == "Assigned" and not assigned:
            return None
        if assignment_status == "Unassigned" and assigned:
            return None
        return _view(state, device)

    items, truncated, next_marker = page(state.virtual_mfa_index.keys, lookup, marker, max_items)
    return ListVirtualMFADevicesResponse(tuple(items), truncated, next_marker)


def delete_virtual_mfa_device(state: AccountState, ctx: Context, *, serial_number: str) -> None:
    """AWS DeleteVirtualMFADevice: delete an unassigned device (DeleteConflict while assigned)."""
    device = _require_device(state, serial_number)
    if device.user_id is not None:
        raise DeleteConflict("MFA VirtualDevice in use. Must deactivate first.")
    key = device.serial_number.lower()
    del state.virtual_mfa_devices[key]
    del state.virtual_mfa_names[device.name.lower()]
    state.virtual_mfa_index.remove(key)


# -- tags ------------------------------------------------------------------------


def tag_mfa_device(
    state: AccountState, ctx: Context, *, serial_number: str, tags: tuple[dict[str, Any], ...]
) -> None:
    """AWS TagMFADevice: add or replace tags; keys are case-sensitive, at most 50 tags."""
    new = tag_rules.tags_to_add(tags, False)
    device = _require_device(state, serial_number)
    merged = tag_rules.add_tags(device.tags, new, False, "TagsPerMFADevice")
    state.virtual_mfa_devices[device.serial_number.lower()] = attrs.evolve(device, tags=merged)


def untag_mfa_device(
    state: AccountState, ctx: Context, *, serial_number: str, tag_keys: tuple[str, ...]
) -> None:
    """AWS UntagMFADevice: remove the named tags (exact case); absent keys are ignored."""
    device = _require_device(state, serial_number)
    remaining = tag_rules.remove_tags(device.tags, tag_keys, False)
    state.virtual_mfa_devices[device.serial_number.lower()] = attrs.evolve(device, tags=remaining)


def list_mfa_device_tags(
    state: AccountState,
    ctx: Context,
    *,
    serial_number: str,
    marker: str | None = None,
    max_items: int | None = None,
) -> ListMFADeviceTagsResponse:
    """AWS ListMFADeviceTags: the device's tags sorted by key, paged."""
    device = _require_device(state, serial_number)
    items, truncated, next_marker = tag_rules.page_tags(device.tags, marker, max_items)
    return ListMFADeviceTagsResponse(tuple(items), truncated, next_marker)


# Before access keys (order 20): recorded from AWS, 2026 (stackd ``mfa.json``
# ``delete_assigned_user``: a user with an MFA device and an access key).
users.register_delete_check(15, "remove tokens from principal", has_mfa)
