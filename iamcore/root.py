"""The account's root user, modelled as far as the credential report needs it.

The root user has no IAM API of its own: its password, MFA device and
access keys are managed in the console while signed in as root.  iamcore
keeps what the credential report's ``<root_account>`` row and the audit
read (state table ``root_credentials``):

- ``password_last_used``: the root user's last console sign-in (``None``:
  never, which the report shows as ``no_information``);
- ``mfa_active``: whether an MFA device is enabled for the root user;
- ``access_keys``: up to two root access keys (AWS quota
  "Access keys per root user: 2"), oldest first.

The root user's creation time is the account's.  Root signing
certificates are not modelled (like root access keys, the signing
certificate operations need a ``UserName`` from a non-user caller), so the
root row's cert columns are always ``false``/``N/A``.

Set them with :meth:`iamcore.Account.set_root_credentials` (native only: it
is not an AWS operation).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final

import attrs

from iamcore.entities import AccessKeyLastUsed, RootAccessKey, RootCredentials
from iamcore.errors import ValidationError
from iamcore.state import AccountState, Context

__all__ = [
    "KEEP",
    "MAX_ROOT_ACCESS_KEYS",
    "Keep",
    "RootAccessKey",
    "RootCredentials",
    "set_root_credentials",
]

#: AWS quota: access keys per root user.
MAX_ROOT_ACCESS_KEYS: Final = 2
_STATUSES: Final = ("Active", "Inactive")


class Keep:
    """Marks an argument not given: the current value stays."""

    def __repr__(self) -> str:
        return "KEEP"


#: Default of :func:`set_root_credentials` arguments: leave the value as it is.
KEEP: Final = Keep()


def _aware(value: Any, name: str, *, optional: bool = False) -> datetime | None:
    if value is None and optional:
        return None
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(f"{name} must be a timezone-aware datetime, not {value!r}.")
    return value.astimezone(UTC).replace(microsecond=0)


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValidationError(f"{name} must be a non-empty string, not {value!r}.")
    return value


def _root_key(value: Any, number: int) -> RootAccessKey:
    where = f"access_keys[{number}]"
    if isinstance(value, RootAccessKey):
        value = attrs.asdict(value, recurse=False)
    if not isinstance(value, Mapping):
        raise ValidationError(f"{where} must be a RootAccessKey or a mapping, not {value!r}.")
    unknown = sorted(set(value) - {"status", "create_date", "last_used"})
    if unknown:
        raise ValidationError(f"{where} has unknown field(s): {', '.join(map(str, unknown))}.")
    status = value.get("status", "Active")
    if status not in _STATUSES:
        raise ValidationError(f"{where}.status must be Active or Inactive, not {status!r}.")
    created = _aware(value.get("create_date"), f"{where}.create_date")
    assert created is not None
    used = value.get("last_used", AccessKeyLastUsed())
    if isinstance(used, Mapping):
        try:
            used = AccessKeyLastUsed(**used)
        except TypeError:
            raise ValidationError(f"{where}.last_used has unknown fields: {used!r}.") from None
    if not isinstance(used, AccessKeyLastUsed):
        raise ValidationError(f"{where}.last_used must be an AccessKeyLastUsed, not {used!r}.")
    used_date = _aware(used.last_used_date, f"{where}.last_used.last_used_date", optional=True)
    region = _text(used.region, f"{where}.last_used.region")
    service = _text(used.service_name, f"{where}.last_used.service_name")
    if used_date is not None and used_date < created:
        raise ValidationError(f"{where} cannot be used before it was created.")
    if used_date is None:
        region = service = "N/A"
    return RootAccessKey(status, created, AccessKeyLastUsed(service, region, used_date))


def set_root_credentials(
    state: AccountState,
    ctx: Context,
    *,
    password_last_used: datetime | Keep | None = KEEP,
    mfa_active: bool | Keep = KEEP,
    access_keys: Sequence[RootAccessKey | Mapping[str, Any]] | Keep = KEEP,
) -> RootCredentials:
    """Set what the credential report shows for the root user (native only).

    Each argument left out keeps its value.  ``access_keys`` replaces the
    root user's keys (at most two, oldest first), each a :class:`RootAccessKey`
    or a mapping with ``status`` (``Active``/``Inactive``, default Active),
    ``create_date`` and optionally ``last_used`` (an
    :class:`~iamcore.entities.AccessKeyLastUsed` or its fields as a mapping).
    Times must be timezone-aware; they are kept in UTC, whole seconds.

    Raises:
        ValidationError: a value of the wrong type, a naive time, a status other
            than Active/Inactive, more than two keys, a key used before it was
            created.  Nothing changes then.
    """
    current: RootCredentials = state.root_credentials
    changes: dict[str, Any] = {}
    if not isinstance(password_last_used, Keep):
        changes["password_last_used"] = _aware(
            password_last_used, "password_last_used", optional=True
        )
    if not isinstance(mfa_active, Keep):
        if not isinstance(mfa_active, bool):
            raise ValidationError(f"mfa_active must be a boolean, not {mfa_active!r}.")
        changes["mfa_active"] = mfa_active
    if not isinstance(access_keys, Keep):
        if isinstance(access_keys, str | bytes | Mapping) or not isinstance(access_keys, Sequence):
            raise ValidationError(f"access_keys must be a sequence, not {access_keys!r}.")
        if len(access_keys) > MAX_ROOT_ACCESS_KEYS:
            raise ValidationError(
                f"Cannot exceed quota for AccessKeysPerRootUser: {MAX_ROOT_ACCESS_KEYS}"
            )
        keys = [_root_key(key, number) for number, key in enumerate(access_keys)]
        changes["access_keys"] = tuple(sorted(keys, key=lambda key: key.create_date))
    updated = attrs.evolve(current, **changes)
    state.root_credentials = updated
    return updated
