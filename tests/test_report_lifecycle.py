"""GenerateCredentialReport / GetCredentialReport: generation, 4-hour caching, errors."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError

from iamcore import Account, demo
from iamcore.credential_report import parse_csv
from iamcore.errors import (
    CredentialReportExpired,
    CredentialReportNotPresent,
    CredentialReportNotReady,
)
from iamcore.mock import mock_iam
from iamcore.rules.report import (
    GENERATION_TIME,
    NEW_DESCRIPTION,
    REGENERATION_INTERVAL,
)
from iamcore.testing import FixedClock, seeded_entropy
from tests.helpers import boto3_client, fresh_snapshot


def _users(account: Account) -> list[str]:
    return [row.user for row in parse_csv(account.get_credential_report().content)][1:]


def test_no_report_before_generation(account: Account) -> None:
    """GetCredentialReport before any generation: ReportNotPresent (410)."""
    with pytest.raises(CredentialReportNotPresent) as error:
        account.get_credential_report()
    assert (error.value.code, error.value.http_status) == ("ReportNotPresent", 410)
    assert error.value.message == ""  # AWS sends no message (botocore prints "Unknown")


def test_first_generation_started_then_complete(account: Account) -> None:
    """STARTED with AWS's text, then COMPLETE without a Description (prowler issue #272)."""
    first = account.generate_credential_report()
    assert (first.state, first.description) == ("STARTED", NEW_DESCRIPTION)
    assert NEW_DESCRIPTION == "No report exists. Starting a new report generation task"
    second = account.generate_credential_report()
    assert (second.state, second.description) == ("COMPLETE", None)
    report = account.get_credential_report()
    assert report.report_format == "text/csv"
    assert report.generated_time == account.clock.now()
    assert isinstance(report.content, bytes)


def test_in_progress_until_ready(account: Account, clock: FixedClock) -> None:
    """While generating: ReportInProgress (404); ready after the generation time passes."""
    account.generate_credential_report()
    clock.advance(GENERATION_TIME - timedelta(seconds=1))
    with pytest.raises(CredentialReportNotReady) as error:
        account.get_credential_report()
    assert (error.value.code, error.value.http_status, error.value.message) == (
        "ReportInProgress",
        404,
        "",
    )
    clock.advance(timedelta(seconds=1))
    assert account.get_credential_report().content.startswith(b"user,arn,")


def test_polling_loop_ends_with_a_clock_standing_still(account: Account) -> None:
    """`while generate().state != "COMPLETE"` ends after one more call, even on a FixedClock."""
    states = []
    while not states or states[-1] != "COMPLETE":
        states.append(account.generate_credential_report().state)
        assert len(states) <= 2
    assert states == ["STARTED", "COMPLETE"]


def test_cached_for_four_hours(account: Account, clock: FixedClock) -> None:
    """Within 4 hours the same report is served: users created meanwhile do not show."""
    account.create_user(user_name="alice")
    account.generate_credential_report()
    generated = clock.now()
    clock.advance(timedelta(minutes=1))
    account.create_user(user_name="bob")
    clock.advance(REGENERATION_INTERVAL - timedelta(minutes=1))  # exactly 4 h old
    assert account.generate_credential_report().state == "COMPLETE"
    assert _users(account) == ["alice"]
    assert account.get_credential_report().generated_time == generated


def test_regenerated_after_four_hours(account: Account, clock: FixedClock) -> None:
    """A report older than 4 hours is replaced (STARTED, "No report exists..."): changes show."""
    account.create_user(user_name="alice")
    account.generate_credential_report()
    account.create_user(user_name="bob")
    clock.advance(REGENERATION_INTERVAL + timedelta(seconds=1))
    started = account.generate_credential_report()
    assert (started.state, started.description) == ("STARTED", NEW_DESCRIPTION)
    with pytest.raises(CredentialReportNotReady):
        account.get_credential_report()
    assert account.generate_credential_report().state == "COMPLETE"
    assert _users(account) == ["alice", "bob"]
    assert account.get_credential_report().generated_time == clock.now()


def test_expired_after_four_hours(account: Account, clock: FixedClock) -> None:
    """GetCredentialReport of a report older than 4 hours: ReportExpired (410)."""
    account.generate_credential_report()
    clock.advance(REGENERATION_INTERVAL)
    account.get_credential_report()
    clock.advance(timedelta(seconds=1))
    with pytest.raises(CredentialReportExpired) as error:
        account.get_credential_report()
    assert (error.value.code, error.value.http_status) == ("ReportExpired", 410)


def test_get_changes_nothing(account: Account, clock: FixedClock) -> None:
    """GetCredentialReport is read-only: the snapshot is the same object before and after."""
    account.generate_credential_report()
    clock.advance(GENERATION_TIME)
    before = account.snapshot()
    account.get_credential_report()
    with pytest.raises(CredentialReportNotPresent):
        Account(clock=clock).get_credential_report()
    assert account.snapshot() is before


def test_failed_get_changes_nothing(account: Account) -> None:
    """A refused GetCredentialReport leaves the account unchanged."""
    account.generate_credential_report()
    before = account.snapshot()
    with pytest.raises(CredentialReportNotReady):
        account.get_credential_report()
    assert fresh_snapshot(account) == before


def test_report_is_part_of_the_snapshot(account: Account) -> None:
    """The stored report is state: a snapshot before generation differs from one after."""
    before = account.snapshot()
    account.generate_credential_report()
    after = account.snapshot()
    assert before != after
    assert after.tables["credential_report"].generated_time == account.clock.now()


def test_unknown_argument_is_a_validation_error(account: Account) -> None:
    """The operations take no parameters: any argument is a ValidationError, not a TypeError."""
    from iamcore.errors import ValidationError

    with pytest.raises(ValidationError):
        account.generate_credential_report(user_name="x")


def test_boto3_lifecycle() -> None:
    """Through boto3: errors as ClientError with AWS codes; Content is the CSV as bytes."""
    clock = FixedClock()
    with mock_iam(Account(clock=clock, entropy=seeded_entropy(1))):
        iam = boto3_client()
        iam.create_user(UserName="alice")  # type: ignore[attr-defined]
        with pytest.raises(ClientError) as error:
            iam.get_credential_report()  # type: ignore[attr-defined]
        assert error.value.response["Error"]["Code"] == "ReportNotPresent"
        assert not error.value.response["Error"].get("Message")  # AWS: none ("Unknown")
        assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 410
        started = iam.generate_credential_report()  # type: ignore[attr-defined]
        assert started["State"] == "STARTED"
        assert started["Description"] == NEW_DESCRIPTION
        with pytest.raises(ClientError) as error:
            iam.get_credential_report()  # type: ignore[attr-defined]
        assert error.value.response["Error"]["Code"] == "ReportInProgress"
        assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
        complete = iam.generate_credential_report()  # type: ignore[attr-defined]
        assert complete["State"] == "COMPLETE"
        assert "Description" not in complete  # {"State": "COMPLETE"}, as AWS answers
        report = iam.get_credential_report()  # type: ignore[attr-defined]
        assert isinstance(report["Content"], bytes)
        assert report["ReportFormat"] == "text/csv"
        assert report["GeneratedTime"].tzinfo is not None
        assert [row.user for row in parse_csv(report["Content"])] == ["<root_account>", "alice"]
        clock.advance(REGENERATION_INTERVAL + timedelta(seconds=1))
        with pytest.raises(ClientError) as error:
            iam.get_credential_report()  # type: ignore[attr-defined]
        assert error.value.response["Error"]["Code"] == "ReportExpired"
        assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 410


def test_demo_ends_with_report_and_audit() -> None:
    """`iamcore demo` ends by printing the credential report and its audit."""
    out = io.StringIO()
    assert demo.run(out) == 0
    text = out.getvalue()
    assert "aws iam generate-credential-report" in text
    assert "<root_account>,arn:aws:iam::123456789012:root," in text
    assert "CIS 1.5" in text
