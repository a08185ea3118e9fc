"""Credential report rules: GenerateCredentialReport, GetCredentialReport.

AWS facts (aws-iam-rules.md §4; IAM User Guide "Getting credential reports
for your AWS account"):

- the account stores one report; generating again replaces it;
- a report is generated at most once every four hours: a request within
  four hours of the last generation gets that report back, so changes made
  in the meantime do not show; an older report (or none) starts a new one;
- GenerateCredentialReport answers ``STARTED`` for a new generation (with
  the description "No report exists. Starting a new report generation
  task" when there was none), and ``COMPLETE`` once the report is ready;
- GetCredentialReport answers the CSV (``text/csv``) and its GeneratedTime,
  or ReportNotPresent (410) before any generation, ReportInProgress (404)
  while it is being generated, ReportExpired (410) for an expired report.

iamcore's choices where AWS does not document the behaviour:

- a generation is finished :data:`GENERATION_TIME` (5 seconds of the
  account clock) after it started, or earlier when GenerateCredentialReport
  is called again (the usual polling loop, which then ends at once even with
  a clock standing still);
- a report expires when it is older than :data:`REPORT_EXPIRY`, which is
  also the regeneration interval (4 hours), so a report is either served by
  both operations or by neither: there is never a stale report that
  GenerateCredentialReport would keep but GetCredentialReport refuse;
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
    "COMPLETE_DESCRIPTION",
    "GENERATION_TIME",
    "NEW_DESCRIPTION",
    "REGENERATION_INTERVAL",
    "REPORT_EXPIRY",
    "STALE_DESCRIPTION",
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

#: STARTED, no report before (AWS's documented text).
NEW_DESCRIPTION: Final = "No report exists. Starting a new report generation task"
#: STARTED, the last report was older than 4 hours (iamcore's text).
STALE_DESCRIPTION: Final = (
    "The most recent report is older than 4 hours. Starting a new report generation task"
)
#: COMPLETE (iamcore's text).
COMPLETE_DESCRIPTION: Final = "Report generated"


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
        description = NEW_DESCRIPTION if record is None else STALE_DESCRIPTION
        return GenerateCredentialReportResponse("STARTED", description)
    if not is_ready(record, ctx):
        state.credential_report = attrs.evolve(record, ready=True)
    return GenerateCredentialReportResponse("COMPLETE", COMPLETE_DESCRIPTION)


def get_credential_report(state: AccountState, ctx: Context) -> GetCredentialReportResponse:
    """AWS GetCredentialReport: the stored report's CSV, if there is a ready, current one."""
    record = state.credential_report
    if record is None:
        raise CredentialReportNotPresent(
            "The request was rejected because the credential report does not exist. "
            "To generate a credential report, use GenerateCredentialReport."
        )
    if _expired(record, ctx):
        raise CredentialReportExpired(
            "The request was rejected because the most recent credential report has expired. "
            "To generate a new credential report, use GenerateCredentialReport."
        )
    if not is_ready(record, ctx):
        raise CredentialReportNotReady(
            "The request was rejected because the credential report is still being generated."
        )
    return GetCredentialReportResponse(record.content, "text/csv", record.generated_time)
