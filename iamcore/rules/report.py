"""Credential report rules: GenerateCredentialReport, GetCredentialReport.

AWS facts (aws-iam-rules.md §4; IAM User Guide "Getting credential reports
for your AWS account"):

- the account stores one report; generating again replaces it;
- a report is generated at most once every four hours: a request within
  four hours of the last generation gets that report back, so changes made
  in the meantime do not show; an older report (or none) starts a new one;
- GenerateCredentialReport answers ``STARTED`` for a new generation, with
  the description "No report exists. Starting a new report generation
  task" (API reference sample; the AWS CLI output quoted in prowler issue
  #272 and in several blog posts), and ``COMPLETE`` once the report is
  ready, **without a Description** (the same captures print
  ``{"State": "COMPLETE"}``);
- GetCredentialReport answers the CSV (``text/csv``) and its GeneratedTime,
  or ReportNotPresent (410) before any generation, ReportInProgress (404)
  while it is being generated, ReportExpired (410) for an expired report.
  AWS sends these errors **without a message**: botocore prints
  "An error occurred (ReportNotPresent) when calling the GetCredentialReport
  operation: Unknown" (prowler issue #272; goldfiglabs/introspector issue
  #17 for ReportInProgress; steampipe-plugin-aws issue #509 shows the Go
  SDK's empty message).  iamcore's errors carry an empty message.

iamcore's choices where AWS does not document the behaviour:

- a generation is finished :data:`GENERATION_TIME` (5 seconds of the
  account clock) after it started, or earlier when GenerateCredentialReport
  is called again (the usual polling loop, which then ends at once even with
  a clock standing still);
- a report expires when it is older than :data:`REPORT_EXPIRY`, which is
  also the regeneration interval (4 hours), so a report is either served by
  both operations or by neither: there is never a stale report that
  GenerateCredentialReport would keep but GetCredentialReport refuse; an
  expired report counts as none, so the new generation's description is the
  same "No report exists. ..." (the text prowler issue #272 got after its
  report had expired);
- the report describes the account at the moment generation started, which
  is also its GeneratedTime.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

import attrs

from iamcore import credential_report
from iamcore.entities import CredentialReportRecord
from iamcore.errors import (
    CredentialReportExpired,
    CredentialReportNotPresent,
    CredentialReportNotReady,
)
from iamcore.responses import GenerateCredentialReportResponse, GetCredentialReportResponse
from iamcore.state import AccountState, Context

__all__ = [
    "GENERATION_TIME",
    "NEW_DESCRIPTION",
    "REGENERATION_INTERVAL",
    "REPORT_EXPIRY",
    "generate_credential_report",
    "get_credential_report",
    "is_ready",
]

#: A report is regenerated only when the last one is older than this (AWS: 4 hours).
REGENERATION_INTERVAL: Final = timedelta(hours=4)
#: GetCredentialReport refuses a report older than this with ReportExpired (iamcore's choice).
REPORT_EXPIRY: Final = REGENERATION_INTERVAL
#: How long a generation takes on the account clock (iamcore's choice).
GENERATION_TIME: Final = timedelta(seconds=5)

#: STARTED: no report, or only an expired one (AWS's text; COMPLETE has no description).
NEW_DESCRIPTION: Final = "No report exists. Starting a new report generation task"


def is_ready(record: CredentialReportRecord, ctx: Context) -> bool:
    """Whether the report's generation has finished at ``ctx.now``."""
    return record.ready or ctx.now - record.generated_time >= GENERATION_TIME


def _expired(record: CredentialReportRecord, ctx: Context) -> bool:
    return ctx.now - record.generated_time > REPORT_EXPIRY


def generate_credential_report(
    state: AccountState, ctx: Context
) -> GenerateCredentialReportResponse:
    """AWS GenerateCredentialReport: at most one new report every four hours.

    No report, or one older than four hours: a new generation starts from the
    account as it is now (``STARTED``).  A report of the last four hours is
    kept as it is (``COMPLETE``); if it was still being generated, this call
    finds it finished.
    """
    record = state.credential_report
    if record is None or ctx.now - record.generated_time > REGENERATION_INTERVAL:
        content = credential_report.report_csv(state, ctx.now).encode("utf-8")
        state.credential_report = CredentialReportRecord(ctx.now, content)
        return GenerateCredentialReportResponse("STARTED", NEW_DESCRIPTION)
    if not is_ready(record, ctx):
        state.credential_report = attrs.evolve(record, ready=True)
    return GenerateCredentialReportResponse("COMPLETE")


def get_credential_report(state: AccountState, ctx: Context) -> GetCredentialReportResponse:
    """AWS GetCredentialReport: the stored report's CSV, if there is a ready, current one."""
    record = state.credential_report
    if record is None:
        raise CredentialReportNotPresent("")
    if _expired(record, ctx):
        raise CredentialReportExpired("")
    if not is_ready(record, ctx):
        raise CredentialReportNotReady("")
    return GetCredentialReportResponse(record.content, "text/csv", record.generated_time)
