"""The IAM credential report, exactly as AWS writes it (pure functions).

AWS "Getting credential reports for your AWS account": the report is a CSV
file with one row per IAM user, after a first row for the root user
(``<root_account>``), and these 22 columns, in this order::

    user,arn,user_creation_time,password_enabled,password_last_used,
    password_last_changed,password_next_rotation,mfa_active,
    access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,
    access_key_1_last_used_region,access_key_1_last_used_service,
    access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,
    access_key_2_last_used_region,access_key_2_last_used_service,
    cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated

Three functions:

- :func:`rows` ``(snapshot, generated_at)``: the report of an account
  snapshot, one frozen :class:`CredentialReportRow` per row;
- :func:`to_csv` ``(rows)``: the CSV text, as AWS renders it;
- :func:`parse_csv` ``(text)``: rows again, from any credential report
  (a file downloaded from the console, or GetCredentialReport's content).

Values are typed: a timestamp column holds an aware UTC ``datetime`` or a
:class:`Sentinel` (``N/A``, ``no_information``, ``not_supported``), a flag
column ``True``/``False`` (or ``not_supported``), the last-used region and
service columns a string or ``N/A``.  Rendering writes timestamps as AWS
does (``2026-01-01T00:00:00+00:00``) and flags in lower case (``true``,
``false``), as real reports do although the user guide shows ``TRUE``; the
parser accepts either casing.  ``to_csv(parse_csv(to_csv(rows))) ==
to_csv(rows)``.
"""

from __future__ import annotations

import csv
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Final

import attrs

from iamcore.entities import RootCredentials

__all__ = [
    "COLUMNS",
    "ROOT_USER",
    "CredentialReportFormatError",
    "CredentialReportRow",
    "KeySlot",
    "Sentinel",
    "format_timestamp",
    "parse_csv",
    "report_csv",
    "rows",
    "to_csv",
]

#: The 22 columns of a credential report, in AWS's order.
COLUMNS: Final = (
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "access_key_2_last_used_region",
    "access_key_2_last_used_service",
    "cert_1_active",
    "cert_1_last_rotated",
    "cert_2_active",
    "cert_2_last_rotated",
)

#: The ``user`` value of the root user's row (always the first row).
ROOT_USER: Final = "<root_account>"


class Sentinel(StrEnum):
    """The placeholder values AWS writes instead of a date or a flag."""

    #: not applicable: no password, no such key or certificate, never used key
    NOT_APPLICABLE = "N/A"
    #: a password never used, or not used since tracking began (2014-10-20)
    NO_INFORMATION = "no_information"
    #: the root user's password_enabled, password_last_changed, password_next_rotation
    NOT_SUPPORTED = "not_supported"


N_A: Final = Sentinel.NOT_APPLICABLE
NO_INFORMATION: Final = Sentinel.NO_INFORMATION
NOT_SUPPORTED: Final = Sentinel.NOT_SUPPORTED

#: a timestamp column's value
Timestamp = datetime | Sentinel
#: a TRUE/FALSE column's value
Flag = bool | Sentinel
#: a last-used region or service column's value
Detail = str | Sentinel


class CredentialReportFormatError(ValueError):
    """A text is not a credential report: missing columns, a bad value, a short row.

    ``line`` is the 1-based line of the problem (``None`` for the header).
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message if line is None else f"line {line}: {message}")
        self.line = line


def _utc(value: datetime) -> datetime:
    """Check a timestamp is aware and normalise it to UTC, whole seconds."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"credential report timestamps must be timezone-aware: {value!r}")
    return value.astimezone(UTC).replace(microsecond=0)


@attrs.frozen
class KeySlot:
    """One access-key slot of a row (``access_key_1_*`` or ``access_key_2_*``)."""

    number: int
    active: Flag
    last_rotated: Timestamp
    last_used_date: Timestamp
    last_used_region: Detail
    last_used_service: Detail

    @property
    def exists(self) -> bool:
        """Whether the slot holds a key (active, or inactive with a rotation date)."""
        return self.active is True or isinstance(self.last_rotated, datetime)


@attrs.frozen
class CredentialReportRow:
    """One row of a credential report: one field per column, named like the column.

    Timestamps are timezone-aware datetimes (rendered in UTC, whole seconds).
    """

    user: str
    arn: str
    user_creation_time: Timestamp
    password_enabled: Flag
    password_last_used: Timestamp
    password_last_changed: Timestamp
    password_next_rotation: Timestamp
    mfa_active: Flag
    access_key_1_active: Flag
    access_key_1_last_rotated: Timestamp
    access_key_1_last_used_date: Timestamp
    access_key_1_last_used_region: Detail
    access_key_1_last_used_service: Detail
    access_key_2_active: Flag
    access_key_2_last_rotated: Timestamp
    access_key_2_last_used_date: Timestamp
    access_key_2_last_used_region: Detail
    access_key_2_last_used_service: Detail
    cert_1_active: Flag
    cert_1_last_rotated: Timestamp
    cert_2_active: Flag
    cert_2_last_rotated: Timestamp

    @property
    def is_root(self) -> bool:
        """Whether this is the root user's row."""
        return self.user == ROOT_USER

    @property
    def access_keys(self) -> tuple[KeySlot, KeySlot]:
        """The two access-key slots, key 1 first."""
        return (
            KeySlot(
                1,
                self.access_key_1_active,
                self.access_key_1_last_rotated,
                self.access_key_1_last_used_date,
                self.access_key_1_last_used_region,
                self.access_key_1_last_used_service,
            ),
            KeySlot(
                2,
                self.access_key_2_active,
                self.access_key_2_last_rotated,
                self.access_key_2_last_used_date,
                self.access_key_2_last_used_region,
                self.access_key_2_last_used_service,
            ),
        )

    def values(self) -> tuple[str, ...]:
        """The row's 22 cells as AWS writes them, in column order."""
        return tuple(_render(value) for value in _cells(self))


# -- rendering ------------------------------------------------------------------

#: the 22 values of a row, in column order (one C-level call)
_cells: Callable[[CredentialReportRow], tuple[Any, ...]] = operator.attrgetter(*COLUMNS)


def format_timestamp(value: datetime) -> str:
    """Render a time as the report does: ``2026-01-01T00:00:00+00:00`` (UTC, seconds)."""
    if value.tzinfo is not UTC or value.microsecond:
        value = _utc(value)
    return value.isoformat()


def _render_text(value: str) -> str:
    if "," in value or '"' in value or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


#: the cells whose text is fixed: flags and sentinels
_FIXED: Final[dict[object, str]] = {
    True: "true",
    False: "false",
    **{sentinel: sentinel.value for sentinel in Sentinel},
}


def _render(value: object) -> str:
    fixed = _FIXED.get(value)
    if fixed is not None:
        return fixed
    if isinstance(value, datetime):
        return format_timestamp(value)
    return _render_text(str(value))


def _lines(cells: Iterable[Sequence[Any]]) -> str:
    fixed, render = _FIXED.get, _render
    lines = [",".join(COLUMNS)]
    lines.extend(",".join([fixed(value) or render(value) for value in row]) for row in cells)
    return "\n".join(lines)


def to_csv(report_rows: Iterable[CredentialReportRow]) -> str:
    """Render rows as the credential report CSV.

    A header line, then one line per row, separated by ``\\n`` with no
    newline after the last line (as GetCredentialReport's content ends).
    Values are quoted only when they must be (a user name may contain ``,``),
    as Python's :mod:`csv` does.
    """
    return _lines(_cells(row) for row in report_rows)


# -- parsing --------------------------------------------------------------------

_TIME_COLUMNS = frozenset(
    name
    for name in COLUMNS
    if name.endswith(("_time", "_last_used", "_changed", "_rotation", "_rotated", "_date"))
)
_FLAG_COLUMNS = frozenset(name for name in COLUMNS if name.endswith(("_active", "_enabled")))
_DETAIL_COLUMNS = frozenset(name for name in COLUMNS if name.endswith(("_region", "_service")))

_SENTINELS: Mapping[str, Sentinel] = {
    "n/a": N_A,
    "na": N_A,
    "": N_A,
    "not_applicable": N_A,
    "no_information": NO_INFORMATION,
    "not_supported": NOT_SUPPORTED,
}


def _sentinel(text: str) -> Sentinel | None:
    return _SENTINELS.get(text.strip().lower().replace(" ", "_").replace("-", "_"))


def _parse_time(text: str) -> Timestamp:
    sentinel = _sentinel(text)
    if sentinel is not None:
        return sentinel
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is None:  # no offset written: IAM's times are UTC
        value = value.replace(tzinfo=UTC)
    return _utc(value)


def _parse_flag(text: str) -> Flag:
    lowered = text.strip().lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    sentinel = _sentinel(text)
    if sentinel is None:
        raise ValueError(f"expected true or false, not {text!r}")
    return sentinel


def _parse_detail(text: str) -> Detail:
    sentinel = _sentinel(text)
    return N_A if sentinel is N_A else text.strip()


def _parse_cell(column: str, text: str) -> Any:
    if column in _TIME_COLUMNS:
        return _parse_time(text)
    if column in _FLAG_COLUMNS:
        return _parse_flag(text)
    if column in _DETAIL_COLUMNS:
        return _parse_detail(text)
    return text.strip()


def parse_csv(text: str | bytes) -> tuple[CredentialReportRow, ...]:
    """Parse a credential report as AWS produces it.

    Accepts the text or the bytes GetCredentialReport returns (UTF-8, with or
    without a byte-order mark), ``\\n`` or ``\\r\\n`` line ends, a trailing
    newline or blank lines, ``TRUE``/``true`` in any casing, sentinel
    variants (``N/A``, ``n/a``, ``no_information``, ``not_supported``, in any
    casing; an empty cell reads as ``N/A``), timestamps with ``+00:00``, ``Z``
    or another offset (normalised to UTC) and columns in any order.  Columns
    it does not know are ignored.

    Raises:
        CredentialReportFormatError: a column is missing, a row has the wrong
            number of cells, or a value cannot be read.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise CredentialReportFormatError(f"not UTF-8 text: {error}") from None
    lines = [(number, line) for number, line in enumerate(text.lstrip("\ufeff").splitlines(), 1)]
    lines = [(number, line) for number, line in lines if line.strip()]
    if not lines:
        raise CredentialReportFormatError("empty credential report")
    records = csv.reader([line for _, line in lines])
    header = [name.strip().lower() for name in next(records)]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise CredentialReportFormatError(
            f"not a credential report: missing column(s) {', '.join(missing)}"
        )
    positions = {column: header.index(column) for column in COLUMNS}
    parsed = []
    for (number, _), cells in zip(lines[1:], records, strict=True):
        if len(cells) != len(header):
            raise CredentialReportFormatError(
                f"expected {len(header)} values, found {len(cells)}", number
            )
        try:
            values = {
                column: _parse_cell(column, cells[position])
                for column, position in positions.items()
            }
            parsed.append(CredentialReportRow(**values))
        except ValueError as error:
            raise CredentialReportFormatError(str(error), number) from None
    return tuple(parsed)


# -- the report of an account ------------------------------------------------------

_NO_KEY: Final = (False, N_A, N_A, N_A, N_A)
_NO_CERT: Final = (False, N_A)


def _key_cells(key: Any) -> tuple[Flag, Timestamp, Timestamp, Detail, Detail]:
    """``(active, last_rotated, last_used_date, region, service)`` of one key.

    ``key`` has ``status``, ``create_date`` and ``last_used`` (an
    ``AccessKeyLastUsed``: ``last_used_date``, ``region``, ``service_name``).
    A key shows its creation date as last_rotated whether it is active or
    not; a key never used shows ``N/A`` in the three last-used columns, and a
    non-regional service (S3) ``N/A`` as the region.
    """
    used = key.last_used
    if used is None or used.last_used_date is None:
        return (key.status == "Active", key.create_date, N_A, N_A, N_A)
    region = used.region if used.region and used.region != "N/A" else N_A
    service = used.service_name if used.service_name and used.service_name != "N/A" else N_A
    return (key.status == "Active", key.create_date, used.last_used_date, region, service)


def _slots(keys: list[tuple[Flag, Timestamp, Timestamp, Detail, Detail]]) -> list[Any]:
    """Key 1 and key 2 cells, oldest key first; ``N/A``/``false`` for an absent key."""
    if not keys:
        return [*_NO_KEY, *_NO_KEY]
    cells: list[Any] = []
    for index in range(2):
        cells.extend(keys[index] if index < len(keys) else _NO_KEY)
    return cells


def _cert_slots(certificates: Mapping[str, Any] | None) -> list[Any]:
    """cert_1 and cert_2 cells, in upload order."""
    if not certificates:
        return [*_NO_CERT, *_NO_CERT]
    cells: list[Any] = []
    listed = list(certificates.values())
    for index in range(2):
        if index < len(listed):
            cert = listed[index]
            cells.extend((cert.status == "Active", cert.upload_date))
        else:
            cells.extend(_NO_CERT)
    return cells


#: a row from its 22 values in column order (positional: the fastest way to build 5,000)
_row: Callable[..., CredentialReportRow] = CredentialReportRow


def _table(source: Any, name: str) -> Any:
    """A table of an :class:`~iamcore.AccountSnapshot` or of the live ``AccountState``."""
    tables: Mapping[str, Any] | None = getattr(source, "tables", None)
    if tables is None:  # the state itself (GenerateCredentialReport, under the lock)
        return getattr(source, name, None)
    return tables.get(name)


def _root_values(snapshot: Any) -> list[Any]:
    root: RootCredentials = _table(snapshot, "root_credentials") or RootCredentials()
    return [
        ROOT_USER,
        f"arn:aws:iam::{snapshot.account_id}:root",
        snapshot.created,
        NOT_SUPPORTED,
        root.password_last_used or NO_INFORMATION,
        NOT_SUPPORTED,
        NOT_SUPPORTED,
        root.mfa_active,
        *_slots([_key_cells(key) for key in root.access_keys]),
        *_NO_CERT,
        *_NO_CERT,
    ]


def _row_values(snapshot: Any) -> Iterator[list[Any]]:
    """Each row's 22 values in column order: root first, then users by name ignoring case."""
    users = _table(snapshot, "users") or {}
    profiles = _table(snapshot, "login_profiles") or {}
    key_ids = _table(snapshot, "user_access_keys") or {}
    keys = _table(snapshot, "access_keys") or {}
    certificates = _table(snapshot, "signing_certificates") or {}
    policy = _table(snapshot, "password_policy")
    max_age = getattr(policy, "max_password_age", None)
    rotation = timedelta(days=max_age) if max_age else None
    mfa = _table(snapshot, "user_mfa_devices") or {}
    yield _root_values(snapshot)
    for user in sorted(users.values(), key=lambda u: u.user_name.lower()):
        user_id = user.user_id
        profile = profiles.get(user_id)
        if profile is None:  # a sign-in recorded before the password was deleted stays
            last_used = user.password_last_used
            password: list[Any] = [False, N_A if last_used is None else last_used, N_A, N_A]
        else:
            changed = profile.password_last_changed
            password = [
                True,
                user.password_last_used or NO_INFORMATION,
                changed,
                changed + rotation if rotation is not None else N_A,
            ]
        owned = key_ids.get(user_id)
        yield [
            user.user_name,
            user.arn,
            user.create_date,
            *password,
            bool(mfa.get(user_id)),
            *_slots([_key_cells(keys[key_id]) for key_id in owned] if owned else []),
            *_cert_slots(certificates.get(user_id)),
        ]


def rows(snapshot: Any, generated_at: datetime) -> tuple[CredentialReportRow, ...]:
    """The credential report of an account snapshot (:meth:`iamcore.Account.snapshot`).

    (The live ``AccountState`` is accepted too: GenerateCredentialReport
    reads it under the account's lock rather than copying it first.)

    The root user's row first, then one row per IAM user in ListUsers order
    (user names ignoring case).  ``generated_at`` is the time the report is
    generated: the snapshot must be of that time.  Per column:

    - ``password_enabled``: the user has a login profile;
      ``password_last_used``: the user's PasswordLastUsed when there is one
      (even after the password was deleted: AWS keeps it, and real reports
      show ``false`` with a date), else ``no_information`` with a password
      and ``N/A`` without;
      ``password_last_changed``: when the password was last set;
      ``password_next_rotation``: that plus the policy's MaxPasswordAge days,
      ``N/A`` when the policy sets none (or there is no password);
    - ``mfa_active``: an MFA device is enabled for the user;
    - ``access_key_1_*`` / ``access_key_2_*``: the user's keys, oldest first
      (a key shows its creation date as last_rotated, active or not);
    - ``cert_1_*`` / ``cert_2_*``: the user's signing certificates, in upload
      order (the root user's are always ``false``/``N/A``).
    """
    _utc(generated_at)
    return tuple(_row(*values) for values in _row_values(snapshot))


def report_csv(snapshot: Any, generated_at: datetime) -> str:
    """``to_csv(rows(snapshot, generated_at))``, without building the row objects.

    What GenerateCredentialReport stores: the same text, about twice as fast.
    """
    _utc(generated_at)
    return _lines(_row_values(snapshot))
