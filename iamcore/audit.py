"""A best-practice audit of IAM credentials (pure checks).

The checks are the IAM recommendations of the **CIS Amazon Web Services
Foundations Benchmark v3.0.0** (numbering shared by v1.4.0–v3.0.0) that a
credential report and the account password policy can decide, plus the
password-complexity and expiry recommendations of the older v1.2.0, which
later versions dropped (they can be turned off):

==================  ========  =================================================
rule                severity  finding
==================  ========  =================================================
CIS 1.4             critical  the root user has an access key (medium: inactive)
CIS 1.5             critical  the root user has no MFA
CIS 1.7             high      the root user signed in or used a key recently
CIS 1.8             medium    password policy missing, or minimum length < 14
CIS 1.9             medium    password policy missing, or reuse prevention < 24
CIS 1.10            high      a user with a console password has no MFA
CIS 1.11            low       a console user's access key was never used
CIS 1.12            medium    a password or active key unused for 45+ days
CIS 1.13            medium    a user has more than one active access key
CIS 1.14            medium    an active access key 90 days old or older
CIS 1.15            low       a user has policies attached directly, not via groups
CIS v1.2.0 1.5–1.8  low       the policy does not require upper/lower/symbol/number
CIS v1.2.0 1.11     low       the policy does not expire passwords within 90 days
==================  ========  =================================================

:func:`audit_rows` audits credential-report rows (from
:func:`iamcore.credential_report.parse_csv` or
:func:`~iamcore.credential_report.rows`); :func:`audit_account` audits a
native :class:`~iamcore.Account` and also checks CIS 1.15 (directly attached
policies).  Every threshold is a field of :class:`Thresholds`.  An account
without a password policy is reported by CIS 1.8 and CIS 1.9 (not again by
the v1.2.0 checks).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Final

import attrs

from iamcore.credential_report import (
    CredentialReportRow,
    KeySlot,
    Sentinel,
    format_timestamp,
    rows,
)
from iamcore.entities import PasswordPolicy

__all__ = [
    "BENCHMARK",
    "NOT_CHECKED",
    "RULES",
    "Finding",
    "Rule",
    "Severity",
    "Thresholds",
    "audit_account",
    "audit_rows",
    "fails",
    "format_table",
    "password_policy_from_json",
    "to_json",
]

#: The benchmark whose numbering the rule IDs follow.
BENCHMARK: Final = "CIS Amazon Web Services Foundations Benchmark v3.0.0"


class Severity(StrEnum):
    """How bad a finding is; ordered ``low < medium < high < critical``."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """0 for low … 3 for critical."""
        return _RANKS[self]


_RANKS: Final = {severity: rank for rank, severity in enumerate(Severity)}


@attrs.frozen
class Rule:
    """One check: its ID, what it finds and its default severity."""

    rule_id: str
    title: str
    severity: Severity


def _rules(*entries: tuple[str, str, Severity]) -> dict[str, Rule]:
    return {rule_id: Rule(rule_id, title, severity) for rule_id, title, severity in entries}


#: Every check, in report order.
RULES: Final = _rules(
    ("CIS 1.4", "Root user has an access key", Severity.CRITICAL),
    ("CIS 1.5", "Root user has no MFA", Severity.CRITICAL),
    ("CIS 1.7", "Root user used recently", Severity.HIGH),
    ("CIS 1.10", "Console user without MFA", Severity.HIGH),
    ("CIS 1.8", "Password policy minimum length too short", Severity.MEDIUM),
    ("CIS 1.9", "Password policy allows password reuse", Severity.MEDIUM),
    ("CIS 1.12", "Credentials unused for too long", Severity.MEDIUM),
    ("CIS 1.13", "More than one active access key", Severity.MEDIUM),
    ("CIS 1.14", "Access key not rotated", Severity.MEDIUM),
    ("CIS 1.11", "Access key set up with a console password and never used", Severity.LOW),
    ("CIS 1.15", "Policies attached directly to a user", Severity.LOW),
    ("CIS v1.2.0 1.5", "Password policy does not require uppercase letters", Severity.LOW),
    ("CIS v1.2.0 1.6", "Password policy does not require lowercase letters", Severity.LOW),
    ("CIS v1.2.0 1.7", "Password policy does not require symbols", Severity.LOW),
    ("CIS v1.2.0 1.8", "Password policy does not require numbers", Severity.LOW),
    ("CIS v1.2.0 1.11", "Password policy does not expire passwords", Severity.LOW),
)
_ORDER: Final = {rule_id: index for index, rule_id in enumerate(RULES)}


@attrs.frozen
class Finding:
    """One failed check.

    ``user`` is the report's user name (``<root_account>`` for the root user)
    or ``None`` for an account-wide finding (the password policy).
    """

    rule_id: str
    title: str
    severity: Severity
    user: str | None
    evidence: str

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON-able data."""
        return {
            "rule_id": self.rule_id,
            "title": self.title,
            "severity": self.severity.value,
            "user": self.user,
            "evidence": self.evidence,
        }


@attrs.frozen
class Thresholds:
    """The limits the checks apply (defaults: CIS v3.0.0, except ``root_use_days``).

    Attributes:
        unused_credentials_days: CIS 1.12: a console password or active key
            unused for this many days or more is a finding (v1.2.0 said 90).
        key_rotation_days: CIS 1.14: an active key this old or older is a finding.
        root_use_days: CIS 1.7: root use within fewer days than this is a finding.  CIS
            gives no window ("determine when the 'root user' was last used"); 30 days
            is iamcore's choice (tools differ: 1, 30 or 90 days).
        minimum_password_length: CIS 1.8.
        password_reuse_prevention: CIS 1.9.
        max_password_age_days: CIS v1.2.0 1.11.
        legacy_password_checks: run the v1.2.0 complexity and expiry checks.
    """

    unused_credentials_days: int = 45
    key_rotation_days: int = 90
    root_use_days: int = 30
    minimum_password_length: int = 14
    password_reuse_prevention: int = 24
    max_password_age_days: int = 90
    legacy_password_checks: bool = True

    @classmethod
    def cis_v1_2(cls) -> Thresholds:
        """The thresholds of CIS v1.2.0 (credentials unused for 90 days)."""
        return cls(unused_credentials_days=90)


class _NotChecked:
    def __repr__(self) -> str:
        return "NOT_CHECKED"


#: ``password_policy`` default of :func:`audit_rows`: the policy is unknown, skip its checks.
NOT_CHECKED: Final = _NotChecked()


def _finding(
    rule_id: str, user: str | None, evidence: str, severity: Severity | None = None
) -> Finding:
    rule = RULES[rule_id]
    return Finding(rule_id, rule.title, severity or rule.severity, user, evidence)


def _days(delta: timedelta) -> int:
    return delta // timedelta(days=1)


def _when(value: datetime, now: datetime) -> str:
    age = _days(now - value)
    ago = "today" if age == 0 else f"{age} day{'s' if abs(age) != 1 else ''} ago"
    return f"{format_timestamp(value)} ({ago})"


def _used_where(slot: KeySlot) -> str:
    shown = [
        f"{preposition} {value}"
        for preposition, value in (
            ("in", slot.last_used_region),
            ("for", slot.last_used_service),
        )
        if not isinstance(value, Sentinel)
    ]
    return (" " + " ".join(shown)) if shown else ""


def _root_checks(row: CredentialReportRow, now: datetime, limits: Thresholds) -> Iterator[Finding]:
    for slot in row.access_keys:
        if slot.active is True:
            yield _finding("CIS 1.4", row.user, f"access key {slot.number} is active")
        elif slot.exists:
            yield _finding(
                "CIS 1.4",
                row.user,
                f"access key {slot.number} exists (inactive)",
                Severity.MEDIUM,
            )
    if row.mfa_active is not True:
        yield _finding("CIS 1.5", row.user, "mfa_active is false")
    recent = timedelta(days=limits.root_use_days)
    if isinstance(row.password_last_used, datetime) and now - row.password_last_used < recent:
        yield _finding(
            "CIS 1.7", row.user, f"password last used {_when(row.password_last_used, now)}"
        )
    for slot in row.access_keys:
        used = slot.last_used_date
        if isinstance(used, datetime) and now - used < recent:
            yield _finding(
                "CIS 1.7",
                row.user,
                f"access key {slot.number} last used {_when(used, now)}{_used_where(slot)}",
            )


def _user_checks(row: CredentialReportRow, now: datetime, limits: Thresholds) -> Iterator[Finding]:
    console = row.password_enabled is True
    active = [slot for slot in row.access_keys if slot.active is True]
    if console and row.mfa_active is not True:
        yield _finding("CIS 1.10", row.user, "password_enabled is true and mfa_active is false")
    # CIS 1.11's command-line audit: "password_enabled set to true AND
    # access_key_last_used_date set to N/A"; an Inactive key counts too ("Keys that were
    # created at the same time as the user profile and do not have a last used date
    # should be deleted")
    for slot in row.access_keys:
        exists = slot.active or isinstance(slot.last_rotated, datetime)  # else an empty slot
        if console and exists and not isinstance(slot.last_used_date, datetime):
            state = "active" if slot.active else "inactive"
            yield _finding(
                "CIS 1.11",
                row.user,
                f"console user's access key {slot.number} is {state} and was never used",
            )
    unused = timedelta(days=limits.unused_credentials_days)
    credentials = [("password", row.password_last_used, row.password_last_changed, "set")]
    credentials = credentials if console else []
    credentials += [
        (f"access key {slot.number}", slot.last_used_date, slot.last_rotated, "created")
        for slot in active
    ]
    for what, used, since, verb in credentials:
        if isinstance(used, datetime):
            if now - used >= unused:
                yield _finding("CIS 1.12", row.user, f"{what} last used {_when(used, now)}")
        elif isinstance(since, datetime) and now - since >= unused:
            yield _finding("CIS 1.12", row.user, f"{what} never used, {verb} {_when(since, now)}")
    if len(active) > 1:
        yield _finding("CIS 1.13", row.user, f"{len(active)} access keys are active")
    rotation = timedelta(days=limits.key_rotation_days)
    for slot in active:
        # CIS 1.14: "Ensure that Access key age is less than 90 days"
        if isinstance(slot.last_rotated, datetime) and now - slot.last_rotated >= rotation:
            yield _finding(
                "CIS 1.14",
                row.user,
                f"access key {slot.number} last rotated {_when(slot.last_rotated, now)}",
            )


def _policy_checks(policy: PasswordPolicy | None, limits: Thresholds) -> Iterator[Finding]:
    if policy is None:  # reported once per current check; the v1.2.0 ones add nothing
        missing = "no account password policy is set"
        yield _finding("CIS 1.8", None, missing)
        yield _finding("CIS 1.9", None, missing)
        return
    length = policy.minimum_password_length
    if length < limits.minimum_password_length:
        yield _finding(
            "CIS 1.8",
            None,
            f"MinimumPasswordLength is {length} (at least {limits.minimum_password_length})",
        )
    reuse = policy.password_reuse_prevention
    if reuse is None or reuse < limits.password_reuse_prevention:
        shown = "not set" if reuse is None else f"{reuse}"
        yield _finding(
            "CIS 1.9",
            None,
            f"PasswordReusePrevention is {shown} (at least {limits.password_reuse_prevention})",
        )
    if not limits.legacy_password_checks:
        return
    for rule_id, flag, member in (
        ("CIS v1.2.0 1.5", policy.require_uppercase_characters, "RequireUppercaseCharacters"),
        ("CIS v1.2.0 1.6", policy.require_lowercase_characters, "RequireLowercaseCharacters"),
        ("CIS v1.2.0 1.7", policy.require_symbols, "RequireSymbols"),
        ("CIS v1.2.0 1.8", policy.require_numbers, "RequireNumbers"),
    ):
        if not flag:
            yield _finding(rule_id, None, f"{member} is false")
    age = policy.max_password_age
    if age is None or age > limits.max_password_age_days:
        shown = "not set" if age is None else f"{age} days"
        yield _finding(
            "CIS v1.2.0 1.11",
            None,
            f"MaxPasswordAge is {shown} (at most {limits.max_password_age_days} days)",
        )


def _sorted(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Most severe first, then in rule order; each rule's findings in row order."""
    return tuple(
        sorted(findings, key=lambda f: (-f.severity.rank, _ORDER[f.rule_id]))  # stable
    )


def audit_rows(
    report_rows: Iterable[CredentialReportRow],
    password_policy: PasswordPolicy | _NotChecked | None = NOT_CHECKED,
    *,
    now: datetime,
    thresholds: Thresholds = Thresholds(),
) -> tuple[Finding, ...]:
    """Audit credential-report rows (and the password policy, if given) at ``now``.

    ``password_policy`` is a :class:`~iamcore.entities.PasswordPolicy`,
    ``None`` for an account without one (GetAccountPasswordPolicy answered
    NoSuchEntity), or :data:`NOT_CHECKED` (default) to skip the policy checks.
    Returns the findings, most severe first.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    findings: list[Finding] = []
    for row in report_rows:
        checks = _root_checks if row.is_root else _user_checks
        findings.extend(checks(row, now, thresholds))
    if not isinstance(password_policy, _NotChecked):
        findings.extend(_policy_checks(password_policy, thresholds))
    return _sorted(findings)


def _direct_policies(snapshot: Any) -> Iterator[Finding]:
    """CIS 1.15 over the account's tables (when the policy family is present)."""
    tables: Mapping[str, Any] = snapshot.tables
    attached = tables.get("user_attached_policies") or {}
    inline = tables.get("user_inline_policies") or {}
    users = tables.get("users") or {}
    for user in sorted(users.values(), key=lambda u: u.user_name.lower()):
        arns = list(attached.get(user.user_id, ()))
        policies = (inline.get(user.user_id) or {}).values()
        names = [getattr(policy, "policy_name", str(policy)) for policy in policies]
        parts = []
        if arns:
            parts.append("managed: " + ", ".join(arns))
        if names:
            parts.append("inline: " + ", ".join(names))
        if parts:
            yield _finding("CIS 1.15", user.user_name, "; ".join(parts))


def audit_account(
    account: Any,
    *,
    now: datetime | None = None,
    thresholds: Thresholds = Thresholds(),
) -> tuple[Finding, ...]:
    """Audit a native :class:`~iamcore.Account` as it is now.

    Reads a fresh credential report of the account (not the cached one
    GetCredentialReport serves), its password policy (``None`` when not
    set) and, when the policy family's tables exist, the policies attached
    directly to users (CIS 1.15).  ``now`` defaults to the account's clock.
    """
    snapshot = account.snapshot()
    when = account.clock.now() if now is None else now
    findings = list(
        audit_rows(
            rows(snapshot, when),
            snapshot.tables.get("password_policy"),
            now=when,
            thresholds=thresholds,
        )
    )
    findings.extend(_direct_policies(snapshot))
    return _sorted(findings)


def fails(findings: Iterable[Finding], fail_on: Severity | None) -> bool:
    """Whether any finding is at or above ``fail_on`` (never, for ``None``)."""
    if fail_on is None:
        return False
    return any(finding.severity.rank >= fail_on.rank for finding in findings)


# -- input and output -------------------------------------------------------------

_POLICY_MEMBERS: Final = {
    "MinimumPasswordLength": "minimum_password_length",
    "RequireSymbols": "require_symbols",
    "RequireNumbers": "require_numbers",
    "RequireUppercaseCharacters": "require_uppercase_characters",
    "RequireLowercaseCharacters": "require_lowercase_characters",
    "AllowUsersToChangePassword": "allow_users_to_change_password",
    "MaxPasswordAge": "max_password_age",
    "PasswordReusePrevention": "password_reuse_prevention",
    "HardExpiry": "hard_expiry",
}

_INTEGER_MEMBERS: Final = frozenset(
    {"minimum_password_length", "max_password_age", "password_reuse_prevention"}
)


def password_policy_from_json(data: Any) -> PasswordPolicy:
    """The policy ``aws iam get-account-password-policy`` printed (``{"PasswordPolicy": {…}}``).

    The inner object alone is accepted too; ``ExpirePasswords`` (derived) and
    unknown members are ignored.  Raises ValueError for anything else.
    """
    if isinstance(data, Mapping) and "PasswordPolicy" in data:
        data = data["PasswordPolicy"]
    if not isinstance(data, Mapping):
        raise ValueError("expected a JSON object with a PasswordPolicy member")
    values: dict[str, Any] = {}
    for member, field in _POLICY_MEMBERS.items():
        if member not in data:
            continue
        value = data[member]
        expected = int if field in _INTEGER_MEMBERS else bool
        if isinstance(value, bool) != (expected is bool) or not isinstance(value, expected):
            raise ValueError(f"PasswordPolicy.{member} must be {expected.__name__}, not {value!r}")
        values[field] = value
    return PasswordPolicy(**values)


def to_json(findings: Iterable[Finding], now: datetime) -> str:
    """The findings as a JSON document (``now``, ``benchmark``, ``findings``)."""
    document = {
        "now": format_timestamp(now),
        "benchmark": BENCHMARK,
        "findings": [finding.to_dict() for finding in findings],
    }
    return json.dumps(document, indent=2)


def format_table(findings: Iterable[Finding]) -> str:
    """The findings as a plain-text table, with a summary line."""
    listed = list(findings)
    if not listed:
        return "No findings."
    header = ("SEVERITY", "RULE", "USER", "FINDING")
    cells = [
        (f.severity.value, f.rule_id, f.user or "(account)", f"{f.title}: {f.evidence}")
        for f in listed
    ]
    widths = [max(len(row[i]) for row in (header, *cells)) for i in range(3)]
    lines = [
        "  ".join(value.ljust(width) for value, width in zip(row, widths, strict=False))
        + "  "
        + row[3]
        for row in (header, *cells)
    ]
    counts = dict.fromkeys(reversed(Severity), 0)
    for finding in listed:
        counts[finding.severity] += 1
    summary = ", ".join(f"{count} {severity.value}" for severity, count in counts.items() if count)
    noun = "finding" if len(listed) == 1 else "findings"
    return "\n".join([*lines, "", f"{len(listed)} {noun}: {summary}"])
