"""``iamcore <operation> --<param> …``: the AWS CLI's ``aws iam`` over a state file.

Every IAM operation that :class:`~iamcore.Account` models is a subcommand
named and shaped as in the AWS CLI (``create-user --user-name developer
--path /engineering/backend/``), driven generically by the service model:
string, integer, boolean (``--flag`` / ``--no-flag``), list and structure
parameters (AWS CLI shorthand ``Key=k,Value=v`` or JSON), ``file://`` and
``fileb://`` values.  Output is what AWS CLI v2 prints, formatted by the
same rules (AWS CLI user guide, "Setting the AWS CLI output format"; the
text, table and YAML writers are :mod:`iamcore.cli_formats`):

- ``json`` (default): 4-space indented, non-ASCII kept, nothing printed for
  an empty response, ``null`` for a ``--query`` that selects nothing;
- ``text``: tab-separated lines, columns sorted by key, lists of structures
  one line per item with the list's key upper-cased in front, scalars as
  Python writes them (``True``, ``None``); paginated output is printed page
  by page (``--query`` applies to each page) and ends with a ``NEXTTOKEN``
  line when ``--max-items`` cut it short;
- ``table``: the AWS CLI's table (a title row with the operation name,
  centred column headers sorted by key, nested sections indented with
  ``|``, column widths scaled to the widest section), turned vertical when
  wider than the terminal (80 columns when the output is not a terminal);
- ``yaml`` and ``yaml-stream``: block YAML with sorted keys and YAML 1.2
  quoting (``yaml-stream`` prints each page as it comes, ``IsTruncated`` and
  ``Marker`` included).

``--query`` takes JMESPath; timestamps print in ISO 8601 (``+00:00``), blobs
in base64.  Paginated operations page automatically, as the AWS CLI does
(``--max-items``, ``--starting-token`` with botocore's token format,
``--page-size``, ``--no-paginate``).  ``create-virtual-mfa-device`` takes
the AWS CLI's ``--outfile`` and ``--bootstrap-method``.

The account lives in a state file (``--state``, else ``$IAMCORE_STATE``,
else ``~/.local/share/iamcore/state.json``), changed atomically under a lock.
Errors print like the AWS CLI's and exit with its return codes ("AWS CLI
return codes"): 252 for a command-line error (the usage lines, then
``aws: error: ...``), 253 for an unreadable state file, 254 for a service
error, 130 when interrupted.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import difflib
import functools
import json
import os
import pathlib
import re
import signal
import sys
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, NoReturn, TextIO

import jmespath

from iamcore import _model
from iamcore._paramcheck import client_problems
from iamcore.account import Account
from iamcore.auth import is_account_key
from iamcore.cli_formats import format_table, format_text, format_yaml
from iamcore.errors import IamError
from iamcore.persistence import StateFile, StateFileError
from iamcore.serialize import to_response

__all__ = [
    "CONFIG_ERROR",
    "INTERRUPTED",
    "OUTPUT_FORMATS",
    "SERVICE_ERROR",
    "USAGE",
    "USAGE_ERROR",
    "cli_timestamp",
    "cli_value",
    "default_state_path",
    "format_table",
    "format_text",
    "format_yaml",
    "main",
    "operations",
    "with_policies_decoded",
]

#: AWS CLI return codes ("Understanding return codes from the AWS CLI")
USAGE_ERROR = 252  # command syntax invalid, unknown parameter, bad parameter value
CONFIG_ERROR = 253  # the environment or configuration is invalid (here: the state file)
SERVICE_ERROR = 254  # the service returned an error
INTERRUPTED = 130  # SIGINT (128 + 2)
OUTPUT_FORMATS = ("json", "text", "table", "yaml", "yaml-stream")

#: What the AWS CLI prints before a command-line error (aws-cli's argument parser).
USAGE = (
    "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n"
    "To see help text, you can run:\n"
    "\n"
    "  aws help\n"
    "  aws <command> help\n"
    "  aws <command> <subcommand> help\n"
)
_GLOBAL_OPTIONS = ("--state", "--output", "--query", "--account-id")
#: AWS CLI global options that mean nothing to a local model: accepted and ignored
#: (with a value / as a flag), so that commands written for ``aws`` run unchanged.
_IGNORED_VALUED = (
    "--region",
    "--profile",
    "--endpoint-url",
    "--color",
    "--ca-bundle",
    "--cli-read-timeout",
    "--cli-connect-timeout",
    "--cli-binary-format",
)
_IGNORED_FLAGS = (
    "--no-cli-pager",
    "--no-verify-ssl",
    "--no-sign-request",
    "--debug",
    "--no-cli-auto-prompt",
)


def command_first(argv: Sequence[str]) -> list[str]:
    """``argv`` with global options written before the command moved after it, as the
    AWS CLI accepts them (``aws --output text iam list-users``), and without the service
    name when it is given (``iamcore iam list-users``, as ``aws iam list-users``)."""
    valued = (*_GLOBAL_OPTIONS, *_IGNORED_VALUED)
    index = 0
    while index < len(argv) and argv[index].startswith("--"):
        option = argv[index].split("=", 1)[0]
        if option in valued and "=" not in argv[index]:
            index += 2
        elif option in valued or option in _IGNORED_FLAGS or option == "--no-paginate":
            index += 1
        else:
            break
    if index < len(argv) and argv[index] == "iam":
        argv = [*argv[:index], *argv[index + 1 :]]
    if index >= len(argv) or index == 0:
        return list(argv)
    return [argv[index], *argv[index + 1 :], *argv[:index]]


def default_state_path() -> pathlib.Path:
    """``$IAMCORE_STATE`` or ``$XDG_DATA_HOME/iamcore/state.json``."""
    if os.environ.get("IAMCORE_STATE"):
        return pathlib.Path(os.environ["IAMCORE_STATE"])
    base = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    return pathlib.Path(base) / "iamcore" / "state.json"


@functools.cache
def operations() -> dict[str, str]:
    """Map AWS CLI command names (``create-user``) to operations (``CreateUser``)."""
    return {
        op["snake"].replace("_", "-"): name
        for name, op in _model.model()["operations"].items()
        if callable(getattr(Account, op["snake"], None))
    }


class _UsageError(Exception):
    """An argument-parsing error: printed after the usage lines as ``aws: error: ...``."""


class _ParamError(Exception):
    """A parameter value the CLI cannot use: printed alone, exit status 252."""


@contextlib.contextmanager
def _signed_as(account: Account, operation: str) -> Iterator[None]:
    """Make the calls as the AWS CLI's credentials say.  ``AWS_ACCESS_KEY_ID`` (with
    ``AWS_SECRET_ACCESS_KEY``) naming one of the account's keys acts as that key's user,
    after the check AWS makes of every request (InvalidClientTokenId for an unknown or
    Inactive key, SignatureDoesNotMatch for a wrong secret), and each call must be allowed
    by the user's policies within their permissions boundary (AccessDenied otherwise), as
    on AWS; other credentials, or none, act as the account's administrator, as in the
    boto3 mock."""
    key_id = os.environ.get("AWS_ACCESS_KEY_ID", "")
    if not key_id or not is_account_key(account.account_id, key_id):
        yield
        return
    secret = os.environ.get("AWS_SECRET_ACCESS_KEY", "")
    identity = account.authenticate(
        access_key_id=key_id, secret_access_key=secret, action=operation
    )
    with account.acting_as(identity.user_name), account.enforcing():
        yield


def _outfile(given: str) -> pathlib.Path:
    """Where ``--outfile`` writes, checked before the service is called, as the AWS CLI
    does: a directory that does not exist or cannot be written is "Unable to write to
    file: <path>" (exit 252) and nothing is created."""
    path = pathlib.Path(os.path.expandvars(given)).expanduser()
    parent = path.absolute().parent
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise _ParamError(f"Unable to write to file: {path}")
    return path


def _invalid_choice(value: str, choices: Sequence[str]) -> str:
    """The AWS CLI's "Invalid choice" text: two choices a line, then close matches."""
    lines = ["Invalid choice, valid choices are:\n"]
    for index in range(0, len(choices), 2):
        lines.append(" | ".join(f"{choice:<40}" for choice in choices[index : index + 2]))
    possible = difflib.get_close_matches(value, choices, cutoff=0.8)
    if possible:
        lines.append(f"\n\nInvalid choice: {value!r}, maybe you meant:\n")
        lines.extend(f"  * {word}" for word in possible)
    return "\n".join(lines)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is not None and value not in action.choices:
            raise argparse.ArgumentError(action, _invalid_choice(value, list(action.choices)))


# -- parameter values ------------------------------------------------------------


def _read_file_value(text: str, binary: bool) -> str | bytes:
    for prefix, as_bytes in (("fileb://", True), ("file://", False)):
        if text.startswith(prefix):
            path = pathlib.Path(os.path.expanduser(text[len(prefix) :]))
            try:
                data = path.read_bytes()
            except OSError as error:
                raise _ParamError(f"Unable to load paramfile {text}: {error}") from error
            return data if as_bytes or binary else data.decode("utf-8")
    return text.encode("utf-8") if binary else text


def _split_top(text: str, sep: str) -> list[str]:
    """Split at ``sep`` outside nested values, quotes and backslash escapes (which stay in
    the parts, for :func:`_value` to read).  A bracket opens a nested value only where a
    value may start: first, after a part's first ``=``, or after ``[``, ``{``, ``,`` or an
    inner ``=`` inside a nested value; anywhere else it is a character of the value, as
    in ``Key=a[``."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    quote: str | None = None
    escaped = False
    opens = True  # may the next non-space character open a nested value?
    seen_equals = False  # has this part (at depth 0) had its "=" yet?
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\" and (quote is not None or text[index + 1 : index + 2] == sep):
            escaped = True  # in quotes a backslash escapes; outside, only before the separator
            opens = False
        elif quote is not None:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
            opens = False
        elif char in "[{" and opens:
            depth += 1
        elif char in "]}" and depth > 0:
            depth -= 1
            opens = False
        elif char == sep and depth == 0:
            parts.append("".join(current))
            current = []
            opens, seen_equals = True, False
            continue
        elif char == "," and depth > 0:
            opens = True
        elif char == "=":
            opens = depth > 0 or not seen_equals
            seen_equals = seen_equals or depth == 0
        elif not char.isspace():
            opens = False
        current.append(char)
    parts.append("".join(current))
    return parts


def _value(raw: str) -> str:
    """A shorthand scalar as the AWS CLI reads it: surrounding spaces dropped; a value in
    single or double quotes taken literally but for ``\\\\`` and an escaped quote
    (``'a\\\\b'`` is ``a\\b``, ``"\\b"`` keeps its backslash); unquoted, only ``\\,``
    is an escape (a literal comma) and any other backslash is kept (``C:\\temp``)."""
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        quote = raw[0]
        return re.sub(r"\\([\\" + quote + "])", r"\1", raw[1:-1])
    return raw.replace("\\,", ",")


def _shorthand(text: str) -> Any:
    """Parse AWS CLI shorthand: ``Key=a,Value=b``, ``[x,y]``, ``{K=v}``, quoted values."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1]
        if not inner.strip():
            return []
        # list items are values: a nested list or structure, else a scalar (even "a=b");
        # a trailing comma adds no item
        items = _split_top(inner, ",")
        if len(items) > 1 and not items[-1].strip():
            items.pop()
        return [
            _shorthand(item) if item.strip()[:1] in ("[", "{") else _value(item) for item in items
        ]
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
        if not text.strip():
            return {}
    if "=" not in _split_top(text, ",")[0]:
        return _value(text)
    result: dict[str, Any] = {}
    last_key: str | None = None
    for part in _split_top(text, ","):
        key, equals, value = part.partition("=")
        if equals and key.strip()[:1] not in ("'", '"'):
            last_key = key.strip()
            stripped = value.strip()
            result[last_key] = _shorthand(stripped) if stripped[:1] in "[{" else _value(value)
        elif last_key is not None:  # ``Values=a,b`` continues a list
            previous = result[last_key]
            items = previous if isinstance(previous, list) else [previous]
            result[last_key] = [*items, _value(part)]
    return result


def _json(text: str) -> Any:
    """A value starting with ``[`` or ``{``: JSON, as the AWS CLI reads it (it does not try
    shorthand then), else its "Invalid JSON" refusal."""
    try:
        return json.loads(text)
    except ValueError as error:
        raise _ParamError(f"Invalid JSON: {error}\nJSON received: {text}") from None


def _structured(text: str) -> Any:
    loaded = _read_file_value(text, binary=False)
    assert isinstance(loaded, str)
    stripped = loaded.strip()
    if stripped[:1] in "[{":
        return _json(stripped)
    return _shorthand(stripped)


def _scalar_converter(shape: _model.Shape) -> Callable[[str], Any]:
    kind = shape["type"]
    if kind in ("integer", "long"):

        def to_int(text: str) -> int:
            try:
                return int(text)
            except ValueError as error:  # the AWS CLI's general error handler: code 255
                raise _GeneralError(f"invalid literal for int() with base 10: '{text}'") from error

        return to_int
    if kind == "blob":
        return lambda text: _read_file_value(text, binary=True)
    if kind == "timestamp":
        return datetime.fromisoformat
    if kind == "string":
        return lambda text: _read_file_value(text, binary=False)
    return _structured


def _list_value(member: _model.Shape, items: list[str]) -> list[Any]:
    if member["type"] in ("structure", "map", "list"):
        if len(items) == 1:
            parsed = _structured(items[0])
            return parsed if isinstance(parsed, list) else [parsed]
        return [_structured(item) for item in items]
    convert = _scalar_converter(member)
    if len(items) == 1 and items[0].lstrip().startswith("["):
        return [convert(str(item)) for item in _json(items[0].strip())]
    return [convert(item) for item in items]


# -- parser ----------------------------------------------------------------------


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--state", help="state file (default $IAMCORE_STATE or ~/.local/share)")
    parser.add_argument(
        "--output", choices=OUTPUT_FORMATS, default=os.environ.get("AWS_DEFAULT_OUTPUT") or "json"
    )
    parser.add_argument("--query", help="JMESPath query applied to the output")
    parser.add_argument("--account-id", default="123456789012", help="for a new state file")
    for option in _IGNORED_VALUED:
        parser.add_argument(
            option, dest=f"_ignored{option.replace('-', '_')}", help=argparse.SUPPRESS
        )
    for option in _IGNORED_FLAGS:
        parser.add_argument(
            option,
            action="store_true",
            dest=f"_ignored{option.replace('-', '_')}",
            help=argparse.SUPPRESS,
        )


def _parser_for(command: str, operation: str) -> tuple[argparse.ArgumentParser, dict[str, Any]]:
    parser = _Parser(prog=f"iamcore {command}", add_help=True)
    _add_global_options(parser)
    input_name = _model.operation(operation)["input"]
    paginator = _model.model()["paginators"].get(operation)
    # the AWS CLI's --max-items shadows the API's MaxItems; --marker stays (undocumented)
    hidden = {paginator["limit_key"]} if paginator else set()
    members: dict[str, Any] = {}
    if input_name is not None:
        shape = _model.shape(input_name)
        required = set(shape.get("required", ()))
        for name, ref in shape["members"].items():
            if name in hidden:
                continue
            member_shape = _model.shape(ref["shape"])
            option = "--" + ref["snake"].replace("_", "-")
            dest = ref["snake"]
            members[dest] = (name, member_shape)
            is_required = name in required
            if member_shape["type"] == "boolean":
                parser.add_argument(option, dest=dest, action="store_true", default=None)
                parser.add_argument(
                    "--no-" + option[2:], dest=dest, action="store_false", default=None
                )
            elif member_shape["type"] == "list":
                parser.add_argument(option, dest=dest, nargs="+", required=is_required)
            else:
                parser.add_argument(option, dest=dest, required=is_required)
    if paginator:
        parser.add_argument("--max-items", type=int, dest="_max_items")
        parser.add_argument("--starting-token", dest="_starting_token")
        parser.add_argument("--page-size", type=int, dest="_page_size")
    parser.add_argument("--no-paginate", action="store_true", dest="_no_paginate")
    if operation == "CreateVirtualMFADevice":
        parser.add_argument("--outfile", required=True, dest="_outfile")
        parser.add_argument(
            "--bootstrap-method",
            required=True,
            choices=("QRCodePNG", "Base32StringSeed"),
            dest="_bootstrap_method",
        )
    return parser, members


def _kwargs(args: argparse.Namespace, members: dict[str, Any]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for dest, (_, shape) in members.items():
        raw = getattr(args, dest)
        if raw is None:
            continue
        try:
            if shape["type"] == "boolean":
                kwargs[dest] = raw
            elif shape["type"] == "list":
                kwargs[dest] = _list_value(_model.shape(shape["member"]), raw)
            else:
                kwargs[dest] = _scalar_converter(shape)(raw)
        except _ParamError as error:
            option = "--" + dest.replace("_", "-")
            raise _ParamError(f"Error parsing parameter '{option}': {error}") from None
    return kwargs


def _client_check(
    operation: str, args: argparse.Namespace, kwargs: dict[str, Any], members: dict[str, Any]
) -> None:
    """The AWS CLI's check before the call (:mod:`iamcore._paramcheck`): "Parameter
    validation failed:" and the problems, exit status 252."""
    input_shape = _model.operation(operation)["input"]
    if input_shape is None:
        return
    params = {members[dest][0]: value for dest, value in kwargs.items() if dest in members}
    page_size = getattr(args, "_page_size", None)
    if page_size is not None:  # --page-size is the API's MaxItems
        params["MaxItems"] = page_size
    problems = client_problems(input_shape, params)
    if problems:
        raise _ParamError("Parameter validation failed:\n" + "\n".join(problems))


# -- calling ---------------------------------------------------------------------


def cli_timestamp(value: datetime) -> str:
    """A timestamp as the AWS CLI prints it (ISO 8601 with the offset)."""
    return value.isoformat()


def cli_value(value: Any) -> Any:
    """Blobs as the AWS CLI prints them (base64 text, as on the wire), recursively."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {key: cli_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [cli_value(item) for item in value]
    return value


def _encode_token(token: dict[str, Any]) -> str:
    """botocore's pagination token: the base64 of the JSON of the input token(s) and,
    when a page was cut short, ``boto_truncate_amount`` (AWS CLI user guide,
    "Pagination": ``eyJNYXJrZXIiOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==``)."""
    return base64.b64encode(json.dumps(token).encode("utf-8")).decode("utf-8")


def _decode_token(text: str, input_token: str) -> tuple[str | None, int]:
    """``(marker, items to skip)`` of a ``--starting-token``, as botocore reads it.

    A token that is not botocore's base64 JSON is read in botocore's older
    ``marker___index`` form, and anything else is taken as the marker itself
    (which the service then refuses if it did not issue it).
    """
    try:
        token = json.loads(base64.b64decode(text.encode("utf-8"), validate=True))
        if not isinstance(token, dict):
            raise TypeError("not a token")
        index = token.pop("boto_truncate_amount", 0)
        marker = token.get(input_token)
        if not isinstance(index, int) or (marker is not None and not isinstance(marker, str)):
            raise TypeError("not a token")
        return (None if marker == "None" else marker), index
    except (ValueError, TypeError):
        parts = text.split("___")
        index = 0
        if len(parts) == 2:
            try:
                index = int(parts[1])
                text = parts[0]
            except ValueError:
                pass
        return (None if text == "None" else text), index


@functools.cache
def _pagination(operation: str) -> tuple[str, str, str, list[str], list[str]]:
    """``(input_token, output_token, more_results, result_keys, non_aggregate_keys)``."""
    config = _model.model()["paginators"][operation]
    keys = config["result_key"]
    result_keys = [keys] if isinstance(keys, str) else list(keys)
    return (
        config["input_token"],
        config["output_token"],
        config["more_results"],
        result_keys,
        list(config.get("non_aggregate_keys", ())),
    )


class _Pages:
    """The pages of one paginated command, as botocore's PageIterator yields them."""

    def __init__(self, operation: str) -> None:
        self.operation = operation
        _, _, _, self.result_keys, self.non_aggregate_keys = _pagination(operation)
        self.pages: list[dict[str, Any]] = []
        self.resume_token: str | None = None
        self.non_aggregate: dict[str, Any] = {}

    def full_result(self) -> dict[str, Any]:
        """botocore's ``build_full_result``: result keys merged, non-aggregate keys, NextToken."""
        result: dict[str, Any] = {}
        for page in self.pages:
            for key in self.result_keys:
                value = page.get(key)
                if value is None:
                    continue
                existing = result.get(key)
                if existing is None:
                    result[key] = list(value) if isinstance(value, list) else value
                elif isinstance(value, list):
                    existing.extend(value)
                elif isinstance(value, int | float | str):
                    result[key] = existing + value
        result.update(self.non_aggregate)
        if self.resume_token is not None:
            result["NextToken"] = self.resume_token
        return result

    def text_pages(self) -> Iterator[dict[str, Any]]:
        """What ``--output text`` prints, page by page (the AWS CLI's TextFormatter)."""
        for index, page in enumerate(self.pages):
            current = dict(self.non_aggregate) if index == 0 else {}
            for key in self.result_keys:
                current[key] = page.get(key)
            yield current
        if self.resume_token is not None:
            yield {"NextToken": {"NextToken": self.resume_token}}


def _paginate(
    method: Callable[..., Any], operation: str, kwargs: dict[str, Any], args: argparse.Namespace
) -> _Pages:
    """Call page after page, as the AWS CLI's automatic pagination (botocore) does.

    ``--page-size`` is each call's MaxItems; ``--max-items`` caps the items
    of the first result key and leaves a NextToken to pass back as
    ``--starting-token``; a starting token skips the items already shown.
    """
    input_token, output_token, more_results, result_keys, non_aggregate = _pagination(operation)
    primary = result_keys[0]
    input_snake = _snake_member(operation, input_token)
    result = _Pages(operation)
    call = dict(kwargs)
    marker: str | None = None
    skip = 0
    if args._starting_token is not None:
        marker, skip = _decode_token(args._starting_token, input_token)
        if marker is not None:
            call[input_snake] = marker
    if args._page_size is not None:
        call["max_items"] = args._page_size
    limit = args._max_items
    total = 0
    first = True
    while True:
        page = with_policies_decoded(
            operation, to_response(operation, method(**call), cli_timestamp)
        )
        truncation = 0
        if first:
            if args._starting_token is not None:
                truncation = skip
                items = page.get(primary)
                if isinstance(items, list | str):
                    page[primary] = items[skip:]
                for key in result_keys[1:]:
                    if isinstance(page.get(key), list):
                        page[key] = []
            result.non_aggregate = {key: page.get(key) for key in non_aggregate}
            first = False
        items = page.get(primary) or []
        over = total + len(items) - limit if limit is not None else 0
        if over > 0:
            keep = len(items) - over
            page[primary] = items[:keep]
            result.pages.append(page)
            token = {input_token: marker, "boto_truncate_amount": keep + truncation}
            result.resume_token = _encode_token(token)
            return result
        result.pages.append(page)
        total += len(items)
        following = page.get(output_token) if page.get(more_results) else None
        if not following:
            return result
        marker = following
        if limit is not None and total == limit:
            result.resume_token = _encode_token({input_token: marker})
            return result
        call[input_snake] = marker


def _snake_member(operation: str, name: str) -> str:
    input_name = _model.operation(operation)["input"]
    assert input_name is not None
    return str(_model.shape(input_name)["members"][name]["snake"])


# -- printing ------------------------------------------------------------------------


def _terminal_width(out: TextIO) -> int:
    """The terminal's width when ``out`` is one, else 80 (as the AWS CLI decides)."""
    try:
        return os.get_terminal_size(out.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return 80


def _search(query: Any, value: Any) -> Any:
    return value if query is None else query.search(value)


def _print(
    body: dict[str, Any] | _Pages, args: argparse.Namespace, operation: str, out: TextIO
) -> None:
    query = args.query
    if args.output == "text":
        responses = body.text_pages() if isinstance(body, _Pages) else iter([body])
        for response in responses:
            out.write(format_text(_search(query, cli_value(response))))
        return
    if args.output == "yaml-stream":
        pages = body.pages if isinstance(body, _Pages) else [body]
        for page in pages:
            out.write(format_yaml([_search(query, cli_value(page))]))
        return
    value = _search(query, cli_value(body.full_result() if isinstance(body, _Pages) else body))
    if value == {}:  # an operation without output: nothing is printed
        return
    if args.output == "table":
        out.write(format_table(operation, value, _terminal_width(out)))
    elif args.output == "yaml":
        out.write(format_yaml(value))
    else:
        out.write(json.dumps(value, indent=4, ensure_ascii=False) + "\n")


# -- running a command ----------------------------------------------------------------


class _QueryError(Exception):
    """``--query`` is not a JMESPath expression (the AWS CLI: return code 255)."""


class _GeneralError(Exception):
    """What the AWS CLI's general exception handler prints alone, return code 255."""


def _compile_query(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return jmespath.compile(text)
    except Exception as error:  # jmespath raises several kinds
        raise _QueryError(f"Bad value for --query {text}: {error}") from None


def _check_paging(args: argparse.Namespace, members: dict[str, Any], operation: str) -> bool:
    """Whether to paginate; refuse paging options together with ``--no-paginate``.

    As the AWS CLI does, passing the operation's own Marker turns automatic
    pagination off, and so does ``--no-paginate``; ``--max-items`` then is
    the API's MaxItems.
    """
    if operation not in _model.model()["paginators"]:
        return False
    input_token = _pagination(operation)[0]
    if getattr(args, _snake_member(operation, input_token), None) is not None:
        args._no_paginate = True
    if not args._no_paginate:
        return True
    used = [
        "--" + name.replace("_", "-")
        for name in ("starting_token", "page_size")
        if getattr(args, "_" + name) is not None
    ]
    if used:  # botocore's PaginationError, which the AWS CLI reports as a general error
        raise _GeneralError(
            "Error during pagination: Cannot specify --no-paginate along "
            f"with pagination arguments: {', '.join(used)}"
        )
    return False


def _run(command: str, argv: Sequence[str], out: TextIO) -> int:
    operation = operations()[command]
    parser, members = _parser_for(command, operation)
    args, unknown = parser.parse_known_args(list(argv))
    if unknown:
        raise _UnknownOptions(f"Unknown options: {', '.join(unknown)}")
    args.query = _compile_query(args.query)
    kwargs = _kwargs(args, members)
    _client_check(operation, args, kwargs, members)
    paginated = _check_paging(args, members, operation)
    if not paginated and getattr(args, "_max_items", None) is not None:
        kwargs["max_items"] = args._max_items  # the API's own MaxItems
    outfile = _outfile(args._outfile) if operation == "CreateVirtualMFADevice" else None
    store = StateFile(args.state or default_state_path(), account_id=args.account_id)
    with store.edit() as account, _signed_as(account, operation):
        method = getattr(account, _model.operation(operation)["snake"])
        body: dict[str, Any] | _Pages
        if paginated:
            body = _paginate(method, operation, kwargs, args)
        else:
            body = with_policies_decoded(
                operation, to_response(operation, method(**kwargs), cli_timestamp)
            )
    if operation == "CreateVirtualMFADevice":
        assert isinstance(body, dict)
        device = body.get("VirtualMFADevice", {})
        blob = device.pop(args._bootstrap_method, b"")
        device.pop("QRCodePNG", None)
        device.pop("Base32StringSeed", None)
        assert outfile is not None
        try:  # the seed is a secret: owner only, also for a file that existed
            descriptor = os.open(outfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(descriptor, 0o600)
            with os.fdopen(descriptor, "wb") as written:
                written.write(blob)
        except OSError as error:  # after the call, as the AWS CLI: a general error
            raise _GeneralError(str(error)) from None
    _print(body, args, operation, out)
    return 0


#: IAM returns policy documents URL-encoded JSON; the AWS CLI (botocore's after-call
#: handler for IAM) shows them decoded, as JSON objects.
_POLICY_DOCUMENT_SHAPE = "policyDocumentType"


def with_policies_decoded(operation: str, body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with every policy document member (shape ``policyDocumentType``) turned
    from URL-encoded JSON text into the JSON value, as the AWS CLI prints it; a value
    that does not decode is left as it is."""
    output = _model.operation(operation)["output"]
    if output is not None:
        _decode_documents(body, output)
    return body


def _decode_documents(value: Any, shape_name: str) -> None:
    shape = _model.shape(shape_name)
    if shape["type"] == "list" and isinstance(value, list):
        for item in value:
            _decode_documents(item, shape["member"])
    elif shape["type"] == "structure" and isinstance(value, dict):
        for name, ref in shape["members"].items():
            if name not in value:
                continue
            if ref["shape"] == _POLICY_DOCUMENT_SHAPE and isinstance(value[name], str):
                with contextlib.suppress(ValueError):
                    value[name] = json.loads(urllib.parse.unquote(value[name]))
            else:
                _decode_documents(value[name], ref["shape"])


class _UnknownOptions(Exception):
    """Options the command does not take: the usage lines, then ``Unknown options: ...``."""


def main(argv: Sequence[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run ``iamcore <command> …``; return the AWS CLI's return code.

    0 success; 252 a command-line error; 253 an unreadable state file; 254
    an error from the service; 255 another failure (a bad ``--query``); 130
    interrupted.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    argv = list(argv)
    command = argv[0] if argv else ""
    try:
        if command not in operations():
            choices = sorted(operations())
            raise _UsageError(f"argument operation: {_invalid_choice(command, choices)}")
        return _run(command, argv[1:], out)
    except _UsageError as error:
        err.write(f"\n{USAGE}\naws: error: {error}\n")
        return USAGE_ERROR
    except _UnknownOptions as error:
        err.write(f"\n{USAGE}\n{error}\n")
        return USAGE_ERROR
    except _ParamError as error:
        err.write(f"\n{error}\n")
        return USAGE_ERROR
    except IamError as error:
        message = error.message or "Unknown"  # botocore's word for an error without a message
        err.write(
            f"\nAn error occurred ({error.code}) when calling the {operations()[command]} "
            f"operation: {message}\n"
        )
        return SERVICE_ERROR
    except StateFileError as error:
        err.write(f"\niamcore: error: state file: {error}\n")
        return CONFIG_ERROR
    except (_QueryError, _GeneralError) as error:
        err.write(f"\n{error}\n")
        return 255
    except KeyboardInterrupt:
        out.write("\n")
        return 128 + signal.SIGINT
