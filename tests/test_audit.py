"""The CIS audit of credential reports (iamcore.audit) and `iamcore audit`."""

from __future__ import annotations

import base64
import json
import pathlib
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamcore import Account
from iamcore.audit import (
    NOT_CHECKED,
    RULES,
    Finding,
    Severity,
    Thresholds,
    audit_account,
    audit_rows,
    fails,
    format_table,
    password_policy_from_json,
    to_json,
)
from iamcore.cli import main
from iamcore.credential_report import (
    COLUMNS,
    ROOT_USER,
    CredentialReportRow,
    Sentinel,
    to_csv,
)
from iamcore.entities import PasswordPolicy
from iamcore.testing import FixedClock

NOW = datetime(2026, 6, 1, tzinfo=UTC)
N_A = Sentinel.NOT_APPLICABLE
STRONG = PasswordPolicy(
    minimum_password_length=14,
    require_symbols=True,
    require_numbers=True,
    require_uppercase_characters=True,
    require_lowercase_characters=True,
    max_password_age=90,
    password_reuse_prevention=24,
)


def _ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def user_row(name: str = "alice", **values: object) -> CredentialReportRow:
    """A clean IAM user's row (no password, no keys, no certificates) with ``values`` set."""
    cells: dict[str, object] = dict.fromkeys(COLUMNS, N_A)
    cells.update(
        user=name,
        arn=f"arn:aws:iam::123456789012:user/{name}",
        user_creation_time=_ago(400),
        password_enabled=False,
        mfa_active=False,
        access_key_1_active=False,
        access_key_2_active=False,
        cert_1_active=False,
        cert_2_active=False,
    )
    cells.update(values)
    return CredentialReportRow(**cells)  # type: ignore[arg-type]


def root_row(**values: object) -> CredentialReportRow:
    """A clean root row (MFA, no keys, not used for a year) with ``values`` set."""
    defaults: dict[str, object] = {
        "arn": "arn:aws:iam::123456789012:root",
        "password_enabled": Sentinel.NOT_SUPPORTED,
        "password_last_used": _ago(365),
        "password_last_changed": Sentinel.NOT_SUPPORTED,
        "password_next_rotation": Sentinel.NOT_SUPPORTED,
        "mfa_active": True,
    }
    return user_row(ROOT_USER, **{**defaults, **values})


def console_user(**values: object) -> CredentialReportRow:
    """A console user with MFA who signed in yesterday."""
    base: dict[str, object] = {
        "password_enabled": True,
        "password_last_used": _ago(1),
        "password_last_changed": _ago(30),
        "mfa_active": True,
    }
    return user_row(**{**base, **values})


def key(
    slot: int, *, active: bool = True, rotated: float = 10, used: float | None = 1
) -> dict[str, object]:
    """The cells of access key ``slot`` created ``rotated`` days ago, used ``used`` days ago."""
    prefix = f"access_key_{slot}_"
    return {
        prefix + "active": active,
        prefix + "last_rotated": _ago(rotated),
        prefix + "last_used_date": N_A if used is None else _ago(used),
        prefix + "last_used_region": N_A if used is None else "us-east-1",
        prefix + "last_used_service": N_A if used is None else "ec2",
    }


def _ids(findings: tuple[Finding, ...]) -> list[str]:
    return [finding.rule_id for finding in findings]


def _audit(*rows: CredentialReportRow, **kwargs: object) -> tuple[Finding, ...]:
    return audit_rows(rows, now=NOW, **kwargs)  # type: ignore[arg-type]


def test_clean_account_has_no_findings() -> None:
    """A root with MFA and no keys, console users with MFA, a strong policy: nothing found."""
    assert (
        _audit(root_row(), console_user(**key(1)), user_row("bob"), password_policy=STRONG) == ()
    )


# -- root user ------------------------------------------------------------------------


def test_cis_1_4_root_access_keys() -> None:
    """CIS 1.4: an active root key is critical; an inactive one that exists is medium."""
    (finding,) = _audit(root_row(**key(1, used=400)))
    assert (finding.rule_id, finding.severity, finding.user) == (
        "CIS 1.4",
        Severity.CRITICAL,
        ROOT_USER,
    )
    (finding,) = _audit(root_row(**key(2, active=False, used=None)))
    assert (finding.rule_id, finding.severity) == ("CIS 1.4", Severity.MEDIUM)
    assert "access key 2" in finding.evidence


def test_cis_1_5_root_without_mfa() -> None:
    """CIS 1.5: the root user without MFA is critical."""
    (finding,) = _audit(root_row(mfa_active=False))
    assert (finding.rule_id, finding.severity) == ("CIS 1.5", Severity.CRITICAL)


@pytest.mark.parametrize(("days", "found"), [(29, True), (29.99, True), (30, False), (31, False)])
def test_cis_1_7_root_used_recently(days: float, found: bool) -> None:
    """CIS 1.7: root sign-in within the last 30 days (the threshold) is a high finding."""
    findings = _audit(root_row(password_last_used=_ago(days)))
    assert _ids(findings) == (["CIS 1.7"] if found else [])


def test_cis_1_7_root_key_used_names_region_and_service() -> None:
    """CIS 1.7 also covers root keys; the evidence says where and for what it was used."""
    findings = _audit(root_row(**key(1, used=2)))
    assert _ids(findings) == ["CIS 1.4", "CIS 1.7"]
    assert "in us-east-1 for ec2" in findings[1].evidence
    assert findings[1].severity is Severity.HIGH


def test_cis_1_7_threshold_is_a_parameter() -> None:
    """root_use_days moves the CIS 1.7 boundary."""
    row = root_row(password_last_used=_ago(60))
    assert _audit(row) == ()
    assert _ids(_audit(row, thresholds=Thresholds(root_use_days=61))) == ["CIS 1.7"]


# -- IAM users ----------------------------------------------------------------------------


def test_cis_1_10_console_user_without_mfa() -> None:
    """CIS 1.10: a user with a console password and no MFA (high); no password, no finding."""
    (finding,) = _audit(console_user(mfa_active=False))
    assert (finding.rule_id, finding.severity, finding.user) == (
        "CIS 1.10",
        Severity.HIGH,
        "alice",
    )
    assert _audit(user_row(mfa_active=False)) == ()


def test_cis_1_11_console_user_key_never_used() -> None:
    """CIS 1.11: a console user's key that was never used (low), active or not: the
    command-line audit is "password_enabled set to true AND access_key_last_used_date set
    to N/A", and such keys "should be deleted"; an empty key slot is no key."""
    (finding,) = _audit(console_user(**key(1, used=None)))
    assert (finding.rule_id, finding.severity) == ("CIS 1.11", Severity.LOW)
    assert _audit(user_row(**key(1, used=None))) == ()
    (inactive,) = _audit(console_user(**key(1, active=False, used=None)))
    assert inactive.evidence == "console user's access key 1 is inactive and was never used"
    assert _audit(console_user()) == ()


@pytest.mark.parametrize(("days", "found"), [(44, False), (44.99, False), (45, True), (46, True)])
def test_cis_1_12_password_unused(days: float, found: bool) -> None:
    """CIS 1.12: a console password unused for 45 days or more is a finding."""
    findings = _audit(console_user(password_last_used=_ago(days)))
    assert _ids(findings) == (["CIS 1.12"] if found else [])


@pytest.mark.parametrize(("days", "found"), [(44, False), (45, True), (46, True)])
def test_cis_1_12_password_never_used(days: float, found: bool) -> None:
    """CIS 1.12: a password never used (no_information) counts from when it was set."""
    row = console_user(
        password_last_used=Sentinel.NO_INFORMATION, password_last_changed=_ago(days)
    )
    assert _ids(_audit(row)) == (["CIS 1.12"] if found else [])


@pytest.mark.parametrize(("days", "found"), [(44, False), (45, True), (46, True)])
def test_cis_1_12_active_key_unused(days: float, found: bool) -> None:
    """CIS 1.12: an active key last used 45+ days ago; never used: counted from its creation."""
    used = _audit(user_row(**key(1, rotated=50, used=days)))
    assert _ids(used) == (["CIS 1.12"] if found else [])
    never = _audit(user_row(**key(2, rotated=days, used=None)))
    assert _ids(never) == (["CIS 1.12"] if found else [])


def test_cis_1_12_inactive_credentials_are_not_unused() -> None:
    """CIS 1.12 looks at active keys only (an inactive key is already disabled)."""
    assert _audit(user_row(**key(1, active=False, rotated=80, used=70))) == ()


@pytest.mark.parametrize(("days", "found"), [(89, False), (90, True), (91, True)])
def test_cis_1_12_older_benchmark_threshold(days: int, found: bool) -> None:
    """CIS v1.2.0's 90 days (Thresholds.cis_v1_2()) for unused credentials."""
    row = console_user(password_last_used=_ago(days))
    findings = _audit(row, thresholds=Thresholds.cis_v1_2())
    assert _ids(findings) == (["CIS 1.12"] if found else [])


def test_cis_1_13_more_than_one_active_key() -> None:
    """CIS 1.13: two active keys is a finding; one active and one inactive is not."""
    (finding,) = _audit(user_row(**key(1), **key(2)))
    assert (finding.rule_id, finding.severity) == ("CIS 1.13", Severity.MEDIUM)
    assert _audit(user_row(**key(1), **key(2, active=False))) == ()


@pytest.mark.parametrize(
    ("age", "found"),
    [
        (timedelta(days=89), False),
        (timedelta(days=89, hours=23), False),
        (timedelta(days=90), True),
        (timedelta(days=91), True),
    ],
)
def test_cis_1_14_key_rotation(age: timedelta, found: bool) -> None:
    """CIS 1.14: "Ensure that Access key age is less than 90 days": an active key 90 days
    old or older is a finding."""
    row = user_row(access_key_1_active=True, access_key_1_last_rotated=NOW - age)
    row = attrs.evolve(row, access_key_1_last_used_date=_ago(1))
    assert _ids(_audit(row)) == (["CIS 1.14"] if found else [])


def test_cis_1_14_ignores_inactive_keys_and_takes_a_threshold() -> None:
    """CIS 1.14 skips inactive keys; key_rotation_days moves the boundary."""
    assert _audit(user_row(**key(1, active=False, rotated=400, used=1))) == ()
    row = user_row(**key(1, rotated=40, used=1))
    assert _ids(_audit(row, thresholds=Thresholds(key_rotation_days=30))) == ["CIS 1.14"]


# -- password policy --------------------------------------------------------------------


def test_policy_not_checked_by_default() -> None:
    """Without a password policy argument, no policy finding is made."""
    assert _audit(root_row()) == ()
    assert _audit(root_row(), password_policy=NOT_CHECKED) == ()


def test_missing_policy() -> None:
    """No password policy: CIS 1.8 and CIS 1.9, account-wide (user None)."""
    findings = _audit(password_policy=None)
    assert _ids(findings) == ["CIS 1.8", "CIS 1.9"]
    assert {finding.user for finding in findings} == {None}


@pytest.mark.parametrize(("length", "found"), [(13, True), (14, False), (15, False)])
def test_cis_1_8_minimum_length(length: int, found: bool) -> None:
    """CIS 1.8: MinimumPasswordLength at least 14."""
    policy = attrs.evolve(STRONG, minimum_password_length=length)
    assert _ids(_audit(password_policy=policy)) == (["CIS 1.8"] if found else [])


@pytest.mark.parametrize(("reuse", "found"), [(None, True), (23, True), (24, False)])
def test_cis_1_9_reuse_prevention(reuse: int | None, found: bool) -> None:
    """CIS 1.9: PasswordReusePrevention at least 24."""
    policy = attrs.evolve(STRONG, password_reuse_prevention=reuse)
    assert _ids(_audit(password_policy=policy)) == (["CIS 1.9"] if found else [])


@pytest.mark.parametrize(
    ("field", "rule_id"),
    [
        ("require_uppercase_characters", "CIS v1.2.0 1.5"),
        ("require_lowercase_characters", "CIS v1.2.0 1.6"),
        ("require_symbols", "CIS v1.2.0 1.7"),
        ("require_numbers", "CIS v1.2.0 1.8"),
    ],
)
def test_legacy_complexity_rules(field: str, rule_id: str) -> None:
    """CIS v1.2.0 1.5–1.8: each character class must be required (low); can be turned off."""
    policy = attrs.evolve(STRONG, **{field: False})
    (finding,) = _audit(password_policy=policy)
    assert (finding.rule_id, finding.severity) == (rule_id, Severity.LOW)
    assert (
        _audit(password_policy=policy, thresholds=Thresholds(legacy_password_checks=False)) == ()
    )


@pytest.mark.parametrize(("age", "found"), [(None, True), (89, False), (90, False), (91, True)])
def test_legacy_password_expiry(age: int | None, found: bool) -> None:
    """CIS v1.2.0 1.11: passwords expire within 90 days."""
    policy = attrs.evolve(STRONG, max_password_age=age)
    assert _ids(_audit(password_policy=policy)) == (["CIS v1.2.0 1.11"] if found else [])


def test_password_policy_from_json() -> None:
    """The JSON of get-account-password-policy (or its inner object) becomes a PasswordPolicy."""
    text = {
        "PasswordPolicy": {
            "MinimumPasswordLength": 14,
            "RequireSymbols": True,
            "ExpirePasswords": True,
            "MaxPasswordAge": 90,
        }
    }
    policy = password_policy_from_json(text)
    assert policy == PasswordPolicy(
        minimum_password_length=14, require_symbols=True, max_password_age=90
    )
    assert password_policy_from_json(text["PasswordPolicy"]) == policy
    for bad in ([], {"PasswordPolicy": {"MinimumPasswordLength": "14"}}, {"RequireSymbols": 1}):
        with pytest.raises(ValueError, match="PasswordPolicy"):
            password_policy_from_json(bad)


# -- properties, ordering, output --------------------------------------------------------

_ages = st.floats(min_value=0, max_value=800, allow_nan=False)


@st.composite
def _user_rows(draw: st.DrawFn) -> CredentialReportRow:
    values: dict[str, object] = {}
    if draw(st.booleans()):
        used = draw(st.none() | _ages)
        values.update(
            password_enabled=True,
            password_last_used=Sentinel.NO_INFORMATION if used is None else _ago(used),
            password_last_changed=_ago(draw(_ages)),
        )
    values["mfa_active"] = draw(st.booleans())
    for slot in (1, 2):
        if draw(st.booleans()):
            used = draw(st.none() | _ages)
            values.update(key(slot, active=draw(st.booleans()), rotated=draw(_ages), used=used))
    return user_row(draw(st.sampled_from(["alice", "bob", "carol"])), **values)


@settings(max_examples=80)
@given(report=st.lists(_user_rows(), max_size=5), more=st.integers(0, 400))
def test_raising_thresholds_never_adds_findings(
    report: list[CredentialReportRow], more: int
) -> None:
    """Findings with looser age thresholds are a subset of those with stricter ones."""
    strict = set(_audit(*report))
    loose = Thresholds(unused_credentials_days=45 + more, key_rotation_days=90 + more)
    assert set(_audit(*report, thresholds=loose)) <= strict


@settings(max_examples=80)
@given(report=st.lists(_user_rows(), max_size=5))
def test_findings_are_sorted_and_known(report: list[CredentialReportRow]) -> None:
    """Every finding names a known rule and a user of the report, most severe first."""
    findings = _audit(root_row(mfa_active=False), *report, password_policy=None)
    ranks = [finding.severity.rank for finding in findings]
    assert ranks == sorted(ranks, reverse=True)
    users = {row.user for row in report} | {ROOT_USER, None}
    for finding in findings:
        assert finding.rule_id in RULES
        assert finding.title == RULES[finding.rule_id].title
        assert finding.user in users


def test_fails_at_or_above() -> None:
    """fails(): any finding at or above the given severity; never for None."""
    findings = _audit(console_user(mfa_active=False))  # one high finding
    assert fails(findings, Severity.HIGH)
    assert fails(findings, Severity.LOW)
    assert not fails(findings, Severity.CRITICAL)
    assert not fails(findings, None)
    assert not fails((), Severity.LOW)


def test_table_and_json_output() -> None:
    """format_table lists each finding with a summary; to_json is machine-readable."""
    findings = _audit(root_row(mfa_active=False), console_user(mfa_active=False))
    table = format_table(findings)
    assert table.splitlines()[0].split() == ["SEVERITY", "RULE", "USER", "FINDING"]
    assert table.endswith("2 findings: 1 critical, 1 high")
    assert format_table(()) == "No findings."
    document = json.loads(to_json(findings, NOW))
    assert document["now"] == "2026-06-01T00:00:00+00:00"
    assert [f["rule_id"] for f in document["findings"]] == ["CIS 1.5", "CIS 1.10"]
    assert document["findings"][1]["user"] == "alice"


def test_now_must_be_aware() -> None:
    """audit_rows needs a timezone-aware now."""
    with pytest.raises(ValueError, match="timezone-aware"):
        audit_rows([], now=datetime(2026, 1, 1))


# -- a native account ---------------------------------------------------------------------


def _secure(account: Account) -> None:
    """Root MFA and the STRONG password policy: nothing to find in an empty account."""
    account.set_root_credentials(mfa_active=True)
    settings = {
        name: value
        for name, value in attrs.asdict(STRONG).items()
        if value is not None and name != "hard_expiry"
    }
    account.update_account_password_policy(**settings)  # type: ignore[arg-type]


def test_audit_account_reads_the_live_account() -> None:
    """audit_account: a fresh report of the account (not the cached one) and its policy."""
    clock = FixedClock(NOW)
    account = Account(clock=clock)
    _secure(account)
    assert audit_account(account) == ()
    account.generate_credential_report()
    account.create_user(user_name="alice")
    account.create_login_profile(user_name="alice", password="Correct-Horse-Battery-42!")
    (finding,) = audit_account(account)
    assert (finding.rule_id, finding.user) == ("CIS 1.10", "alice")
    clock.advance(timedelta(days=45))
    assert _ids(audit_account(account)) == ["CIS 1.10", "CIS 1.12"]
    assert audit_account(account, now=NOW) == (finding,)


def test_audit_account_cis_1_15_direct_policies() -> None:
    """CIS 1.15: a user with an inline or attached policy gets a finding; via a group, none."""
    account = Account(clock=FixedClock(NOW))
    _secure(account)
    account.create_user(user_name="alice")
    account.create_user(user_name="bob")
    document = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
        }
    )
    account.put_user_policy(user_name="alice", policy_name="s3", policy_document=document)
    arn = account.create_policy(policy_name="deploy", policy_document=document).policy.arn
    account.attach_user_policy(user_name="alice", policy_arn=arn)
    account.create_group(group_name="readers")
    account.add_user_to_group(group_name="readers", user_name="bob")
    account.put_group_policy(group_name="readers", policy_name="s3", policy_document=document)
    account.attach_group_policy(group_name="readers", policy_arn=arn)
    (finding,) = audit_account(account)
    assert (finding.rule_id, finding.user, finding.severity) == ("CIS 1.15", "alice", Severity.LOW)
    assert "policy/deploy" in finding.evidence
    assert "inline: s3" in finding.evidence


# -- the command line ---------------------------------------------------------------------


@pytest.fixture
def report_file(tmp_path: pathlib.Path) -> pathlib.Path:
    rows = [root_row(mfa_active=False), console_user(mfa_active=False), user_row("bob", **key(1))]
    path = tmp_path / "report.csv"
    path.write_text(to_csv(rows), "utf-8")
    return path


NOW_ARG = ["--now", "2026-06-01T00:00:00Z"]


def test_cli_table_and_exit_status(
    report_file: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`iamcore audit PATH`: a table; exit 1 when findings at or above --fail-on (default high)."""
    assert main(["audit", str(report_file), *NOW_ARG]) == 1
    out = capsys.readouterr().out
    assert "CIS 1.5" in out
    assert "CIS 1.10" in out
    assert main(["audit", str(report_file), *NOW_ARG, "--fail-on", "none"]) == 0
    assert main(["audit", str(report_file), *NOW_ARG, "--fail-on", "critical"]) == 1


def test_cli_passes_when_below_fail_on(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only medium findings: exit 0 with the default --fail-on high, 1 with --fail-on medium."""
    path = tmp_path / "r.csv"
    path.write_text(to_csv([root_row(), user_row("bob", **key(1), **key(2))]), "utf-8")
    assert main(["audit", str(path), *NOW_ARG]) == 0
    assert main(["audit", str(path), *NOW_ARG, "--fail-on", "medium"]) == 1
    assert "CIS 1.13" in capsys.readouterr().out


def test_cli_json_and_password_policy(
    report_file: pathlib.Path, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--json prints a document; --password-policy FILE reads get-account-password-policy JSON."""
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"PasswordPolicy": {"MinimumPasswordLength": 8}}), "utf-8")
    status = main(
        ["audit", str(report_file), *NOW_ARG, "--json", "--password-policy", str(policy)]
    )
    assert status == 1
    document = json.loads(capsys.readouterr().out)
    ids = [finding["rule_id"] for finding in document["findings"]]
    assert "CIS 1.8" in ids
    assert "CIS 1.9" in ids
    main(["audit", str(report_file), *NOW_ARG, "--json", "--no-password-policy", "--no-legacy"])
    document = json.loads(capsys.readouterr().out)
    policy_findings = [f["rule_id"] for f in document["findings"] if f["user"] is None]
    assert policy_findings == ["CIS 1.8", "CIS 1.9"]


def test_cli_reads_base64_and_get_credential_report_json(
    report_file: pathlib.Path, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The input may be the CSV, its base64 text (`--output text`), or the CLI's JSON output."""
    encoded = base64.b64encode(report_file.read_bytes()).decode("ascii")
    as_text = tmp_path / "report.b64"
    as_text.write_text(encoded[:40] + "\n" + encoded[40:] + "\n", "utf-8")
    as_json = tmp_path / "report.json"
    as_json.write_text(json.dumps({"Content": encoded, "ReportFormat": "text/csv"}), "utf-8")
    expected = main(["audit", str(report_file), *NOW_ARG, "--json"])
    reference = capsys.readouterr().out
    for path in (as_text, as_json):
        assert main(["audit", str(path), *NOW_ARG, "--json"]) == expected
        assert capsys.readouterr().out == reference


@pytest.mark.parametrize(
    "content", ["not a report at all", '{"Content": "!!"}', "user,arn\nalice,arn"]
)
def test_cli_unreadable_input_exits_2(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    """Input that is no credential report: a message on stderr and exit status 2."""
    path = tmp_path / "bad.csv"
    path.write_text(content, "utf-8")
    assert main(["audit", str(path)]) == 2
    assert "iamcore audit: error:" in capsys.readouterr().err
    assert main(["audit", str(tmp_path / "missing.csv")]) == 2


def test_cli_thresholds(report_file: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--rotation-days changes CIS 1.14's threshold."""
    main(["audit", str(report_file), *NOW_ARG, "--fail-on", "none"])
    assert "CIS 1.14" not in capsys.readouterr().out
    main(["audit", str(report_file), *NOW_ARG, "--rotation-days", "5", "--fail-on", "none"])
    assert "CIS 1.14" in capsys.readouterr().out
