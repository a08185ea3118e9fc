"""The ``iamcore`` command line (also ``python -m iamcore``).

``iamcore demo`` walks through the IAM users guide on an in-memory account
and prints each call the way the AWS CLI would (``aws iam ...`` and its JSON).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from iamcore import __version__, awscli, demo

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iamcore", description="An in-memory model of AWS IAM users."
    )
    parser.add_argument("--version", action="version", version=f"iamcore {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo_parser = commands.add_parser(
        "demo", help="walk through the IAM users guide on an in-memory account"
    )
    demo_parser.add_argument(
        "--account-id", default="123456789012", help="12-digit account ID (default %(default)s)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments and arguments[0] in awscli.operations():
        return awscli.main(arguments)
    parser = _parser()
    args = parser.parse_args(arguments)
    if args.command == "demo":
        return demo.run(sys.stdout, account_id=args.account_id)
    parser.print_help()
    return 0
