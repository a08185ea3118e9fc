"""The ``iamcore`` command line (also ``python -m iamcore``).

``iamcore demo`` walks through the IAM users guide on an in-memory account
and prints each call the way the AWS CLI would (``aws iam ...`` and its JSON).
``iamcore audit REPORT.csv`` audits a credential report against the CIS
AWS Foundations Benchmark (see :mod:`iamcore.audit`).
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from iamcore import __version__, audit, awscli, credential_report, demo

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iamcore",
        description="An in-memory model of AWS IAM users.",
        epilog=(
            "Every 'aws iam' command iamcore models also works as 'iamcore <command> ...' "
            "over a state file (--state, $IAMCORE_STATE), e.g. "
            "'iamcore create-user --user-name developer'. See docs/cli.md."
        ),
    )
    parser.add_argument("--version", action="version", version=f"iamcore {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo_parser = commands.add_parser(
        "demo", help="walk through the IAM users guide on an in-memory account"
    )
    demo_parser.add_argument(
        "--account-id", default="123456789012", help="12-digit account ID (default %(default)s)"
    )
    _add_audit_parser(commands)
    return parser


#: What iamcore's own parser handles; anything else is an `aws iam` command line.
_OWN = frozenset({"demo", "audit", "-h", "--help", "--version"})


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments and arguments[0] not in _OWN:
        # an `aws iam` command (global options may come first), or a mistyped one, which
        # gets the AWS CLI's "Invalid choice" answer and exit status 252
        return awscli.main(awscli.command_first(arguments))
    parser = _parser()
    args = parser.parse_args(arguments)
    if args.command == "demo":
        return demo.run(sys.stdout, account_id=args.account_id)
    if args.command == "audit":
        return _audit(args)
    parser.print_help()
    return 0


# -- iamcore audit (issue 5) ------------------------------------------------------

_FAIL_ON = ("critical", "high", "medium", "low", "none")


def _add_audit_parser(commands: Any) -> None:
    audit_parser = commands.add_parser(
        "audit",
        help="audit a credential report against the CIS AWS Foundations Benchmark",
        description=(
            "Audit an IAM credential report (the CSV, or what `aws iam get-credential-report` "
            "prints) against the CIS AWS Foundations Benchmark v3.0.0. Exit status: 0 no "
            "finding at or above --fail-on, 1 such findings, 2 unreadable input."
        ),
    )
    audit_parser.add_argument("report", metavar="PATH", help="the credential report ('-': stdin)")
    policy = audit_parser.add_mutually_exclusive_group()
    policy.add_argument(
        "--password-policy",
        metavar="FILE",
        help="the JSON `aws iam get-account-password-policy` printed; checks the policy",
    )
    policy.add_argument(
        "--no-password-policy",
        action="store_true",
        help="the account has no password policy (NoSuchEntity); report it",
    )
    audit_parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    audit_parser.add_argument(
        "--fail-on",
        choices=_FAIL_ON,
        default="high",
        help="exit 1 when a finding is at least this severe (default %(default)s)",
    )
    audit_parser.add_argument(
        "--now", metavar="TIME", help="audit as of this ISO 8601 time (default: now)"
    )
    defaults = audit.Thresholds()
    for option, field, text in (
        ("--unused-days", "unused_credentials_days", "CIS 1.12 unused credentials"),
        ("--rotation-days", "key_rotation_days", "CIS 1.14 key rotation"),
        ("--root-use-days", "root_use_days", "CIS 1.7 recent root use"),
    ):
        audit_parser.add_argument(
            option,
            type=int,
            dest=field,
            default=getattr(defaults, field),
            metavar="DAYS",
            help=f"{text} threshold (default %(default)s)",
        )
    audit_parser.add_argument(
        "--no-legacy",
        action="store_true",
        help="skip the CIS v1.2.0 password complexity and expiry checks",
    )


def _report_text(data: bytes) -> bytes:
    """The CSV from a file: the CSV itself, `get-credential-report` JSON, or base64 text."""
    stripped = data.lstrip(b"\xef\xbb\xbf").strip()
    if stripped.startswith(b"{"):
        document = json.loads(stripped)
        if not isinstance(document, dict) or "Content" not in document:
            raise ValueError("a JSON input must be `aws iam get-credential-report` output")
        return base64.b64decode(document["Content"], validate=True)
    if stripped[:5].lower() == b"user,":
        return data
    try:
        return base64.b64decode(b"".join(stripped.split()), validate=True)
    except ValueError:
        raise ValueError(
            "not a credential report: expected the CSV, its base64 text, or the JSON "
            "`aws iam get-credential-report` prints"
        ) from None


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    with open(path, "rb") as handle:
        return handle.read()


def _audit(args: argparse.Namespace) -> int:
    """``iamcore audit``: print the findings; the exit status says whether to fail."""
    try:
        if args.now is None:
            now = datetime.now(UTC)
        else:
            now = datetime.fromisoformat(args.now)
            now = now.replace(tzinfo=UTC) if now.tzinfo is None else now
        report_rows = credential_report.parse_csv(_report_text(_read(args.report)))
        policy: Any = audit.NOT_CHECKED
        if args.no_password_policy:
            policy = None
        elif args.password_policy is not None:
            policy = audit.password_policy_from_json(json.loads(_read(args.password_policy)))
    except (OSError, ValueError) as error:  # includes JSON, base64 and report format errors
        print(f"iamcore audit: error: {error}", file=sys.stderr)
        return 2
    thresholds = audit.Thresholds(
        unused_credentials_days=args.unused_credentials_days,
        key_rotation_days=args.key_rotation_days,
        root_use_days=args.root_use_days,
        legacy_password_checks=not args.no_legacy,
    )
    findings = audit.audit_rows(report_rows, policy, now=now, thresholds=thresholds)
    print(audit.to_json(findings, now) if args.json else audit.format_table(findings))
    fail_on = None if args.fail_on == "none" else audit.Severity(args.fail_on)
    return 1 if audit.fails(findings, fail_on) else 0
