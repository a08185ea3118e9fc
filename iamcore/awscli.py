"""``iamcore <operation> --<param> …``: the AWS CLI's ``aws iam`` over a state file.

Every IAM operation that :class:`~iamcore.Account` models is a subcommand
named and shaped as in the AWS CLI (``create-user --user-name developer
--path /engineering/backend/``), driven generically by the service model:
string, integer, boolean (``--flag`` / ``--no-flag``), list and structure
parameters (AWS CLI shorthand ``Key=k,Value=v`` or JSON), ``file://`` and
``fileb://`` values.  Output is what the AWS CLI prints: JSON by default,
``--output text|table|json``, ``--query`` JMESPath, timestamps in ISO 8601,
blobs in base64.  Paginated operations page automatically, as the AWS CLI
does (``--max-items``, ``--starting-token``, ``--page-size``,
``--no-paginate``).  ``create-virtual-mfa-device`` takes the AWS CLI's
``--outfile`` and ``--bootstrap-method``.

The account lives in a state file (``--state``, else ``$IAMCORE_STATE``,
else ``~/.local/share/iamcore/state.json``), changed atomically under a lock.
Errors print like the AWS CLI's and exit with its status codes (254 for a
service error, 252 for a usage error).
"""

from __future__ import annotations

import argparse
import base64
import functools
import json
import os
import pathlib
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, NoReturn, TextIO

import jmespath

from iamcore import _model
from iamcore.account import Account
from iamcore.errors import IamError
from iamcore.persistence import StateFile, StateFileError
from iamcore.serialize import to_response

__all__ = ["SERVICE_ERROR", "USAGE_ERROR", "default_state_path", "main", "operations"]

SERVICE_ERROR = 254
USAGE_ERROR = 252
_GLOBAL_OPTIONS = ("--state", "--output", "--query", "--account-id")


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
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


# -- parameter values ------------------------------------------------------------


def _read_file_value(text: str, binary: bool) -> str | bytes:
    for prefix, as_bytes in (("fileb://", True), ("file://", False)):
        if text.startswith(prefix):
            path = pathlib.Path(os.path.expanduser(text[len(prefix) :]))
            try:
                data = path.read_bytes()
            except OSError as error:
                raise _UsageError(f"Unable to load paramfile {text}: {error}") from error
            return data if as_bytes or binary else data.decode("utf-8")
    return text.encode("utf-8") if binary else text


def _split_top(text: str, sep: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        if char == sep and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _shorthand(text: str) -> Any:
    """Parse AWS CLI shorthand: ``Key=a,Value=b``, ``[x,y]``, ``{K=v}``."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1]
        return [_shorthand(item) for item in _split_top(inner, ",")] if inner else []
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    if "=" not in text:
        return text
    result: dict[str, Any] = {}
    last_key: str | None = None
    for part in _split_top(text, ","):
        if "=" in part:
            key, _, value = part.partition("=")
            last_key = key.strip()
            result[last_key] = _shorthand(value) if value[:1] in "[{" else value
        elif last_key is not None:  # ``Values=a,b`` continues a list
            previous = result[last_key]
            result[last_key] = [*(previous if isinstance(previous, list) else [previous]), part]
    return result


def _structured(text: str) -> Any:
    loaded = _read_file_value(text, binary=False)
    assert isinstance(loaded, str)
    stripped = loaded.strip()
    if stripped[:1] in "[{":
        try:
            return json.loads(stripped)
        except ValueError:
            pass
    return _shorthand(stripped)


def _scalar_converter(shape: _model.Shape) -> Callable[[str], Any]:
    kind = shape["type"]
    if kind in ("integer", "long"):

        def to_int(text: str) -> int:
            try:
                return int(text)
            except ValueError as error:
                raise _UsageError(f"invalid literal for int() with base 10: '{text}'") from error

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
        return [convert(str(item)) for item in json.loads(items[0])]
    return [convert(item) for item in items]


# -- parser ----------------------------------------------------------------------


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--state", help="state file (default $IAMCORE_STATE or ~/.local/share)")
    parser.add_argument("--output", choices=("json", "text", "table"), default="json")
    parser.add_argument("--query", help="JMESPath query applied to the output")
    parser.add_argument("--account-id", default="123456789012", help="for a new state file")


def _parser_for(command: str, operation: str) -> tuple[argparse.ArgumentParser, dict[str, Any]]:
    parser = _Parser(prog=f"iamcore {command}", add_help=True)
    _add_global_options(parser)
    input_name = _model.operation(operation)["input"]
    paginator = _model.model()["paginators"].get(operation)
    hidden = {paginator["input_token"], paginator["limit_key"]} if paginator else set()
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
        if shape["type"] == "boolean":
            kwargs[dest] = raw
        elif shape["type"] == "list":
            kwargs[dest] = _list_value(_model.shape(shape["member"]), raw)
        else:
            kwargs[dest] = _scalar_converter(shape)(raw)
    return kwargs


# -- calling and output --------------------------------------------------------------


def _stamp(value: datetime) -> str:
    return value.isoformat()


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value


def _token(marker: str | None, skip: int) -> str:
    data = json.dumps({"Marker": marker, "skip": skip}).encode()
    return base64.b64encode(data).decode("ascii")


def _untoken(token: str) -> tuple[str | None, int]:
    try:
        data = json.loads(base64.b64decode(token))
        marker = data["Marker"]
        if marker is not None and not isinstance(marker, str):
            raise TypeError("marker")
        return marker, int(data["skip"])
    except (ValueError, KeyError, TypeError) as error:
        raise _UsageError(f"Bad pagination token: {token}") from error


def _paginate(
    method: Callable[..., Any], operation: str, kwargs: dict[str, Any], args: argparse.Namespace
) -> dict[str, Any]:
    """Call every page and merge them, as the AWS CLI's automatic pagination does.

    ``--max-items`` caps the total and prints a ``NextToken`` to pass back as
    ``--starting-token``; ``--page-size`` sets MaxItems for each call.
    """
    paginator = _model.model()["paginators"][operation]
    keys = paginator["result_key"]
    result_keys = [keys] if isinstance(keys, str) else list(keys)
    first = result_keys[0]
    limit = args._max_items
    marker, skip = _untoken(args._starting_token) if args._starting_token else (None, 0)
    merged: dict[str, Any] = {key: [] for key in result_keys}
    while True:
        call = dict(kwargs)
        if marker is not None:
            call["marker"] = marker
        if args._page_size is not None:
            call["max_items"] = args._page_size
        page = to_response(operation, method(**call), _stamp)
        for key, value in page.items():
            if key not in merged and key not in ("IsTruncated", "Marker"):
                merged[key] = value
        items = page.get(first, [])[skip:]
        if limit is not None and len(merged[first]) + len(items) > limit:
            take = limit - len(merged[first])
            merged[first].extend(items[:take])
            merged["NextToken"] = _token(marker, skip + take)
            return merged
        merged[first].extend(items)
        for key in result_keys[1:]:
            merged[key].extend(page.get(key, []))
        skip = 0
        if not page.get("IsTruncated"):
            return merged
        marker = page["Marker"]
        if limit is not None and len(merged[first]) >= limit:
            merged["NextToken"] = _token(marker, 0)
            return merged


def _text(value: Any, out: TextIO) -> None:
    """The AWS CLI's ``--output text``: tab-separated rows, nested lists by identifier."""
    _text_item(value, out, None, None)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _text_item(value: Any, out: TextIO, label: str | None, columns: list[str] | None) -> None:
    if isinstance(value, dict):
        if columns is None:
            scalars = [str(v) for _, v in sorted(value.items()) if _is_scalar(v)]
            nested = [(k, v) for k, v in sorted(value.items()) if not _is_scalar(v)]
        else:
            scalars = [str(value.get(key, "")) for key in columns]
            nested = [(k, value[k]) for k in sorted(set(value) - set(columns))]
        if scalars:
            out.write("\t".join(([label.upper()] if label else []) + scalars) + "\n")
        for key, item in nested:
            _text_item(item, out, key, None)
    elif isinstance(value, list):
        if any(isinstance(item, dict) for item in value):
            keys = sorted(
                {
                    k
                    for item in value
                    if isinstance(item, dict)
                    for k, v in item.items()
                    if _is_scalar(v)
                }
            )
            for item in value:
                _text_item(item, out, label, keys)
        elif value and all(_is_scalar(item) for item in value):
            if label:
                out.writelines(f"{label.upper()}\t{item}\n" for item in value)
            else:
                out.write("\t".join(str(item) for item in value) + "\n")
        else:
            for item in value:
                _text_item(item, out, label, None)
    elif value is not None:
        out.write(f"{value}\n")


def _table(value: Any, out: TextIO, title: str) -> None:
    """A readable table in the spirit of the AWS CLI's ``--output table``."""
    rows: list[tuple[str, str]] = []

    def walk(item: Any, prefix: str) -> None:
        if isinstance(item, dict):
            for key, sub in sorted(item.items()):
                walk(sub, f"{prefix}.{key}" if prefix else key)
        elif isinstance(item, list):
            for index, sub in enumerate(item):
                walk(sub, f"{prefix}[{index}]")
        else:
            rows.append((prefix, str(item)))

    walk(value, "")
    width = max([len(title), *(len(k) + len(v) + 5 for k, v in rows)]) + 4
    line = "-" * width
    out.write(f"{line}\n|{title.center(width - 2)}|\n{line}\n")
    key_width = max((len(k) for k, _ in rows), default=0)
    for key, text in rows:
        out.write(f"|  {key.ljust(key_width)} | {text.ljust(width - key_width - 7)}|\n")
    out.write(f"{line}\n")


def _print(value: Any, args: argparse.Namespace, operation: str, out: TextIO) -> None:
    if args.query:
        value = jmespath.search(args.query, value)
    if args.output == "text":
        _text(value, out)
    elif args.output == "table":
        _table(value, out, operation)
    elif value is not None and value != {}:
        out.write(json.dumps(value, indent=4, ensure_ascii=False) + "\n")


def _run(command: str, argv: Sequence[str], out: TextIO) -> int:
    operation = operations()[command]
    parser, members = _parser_for(command, operation)
    args = parser.parse_args(list(argv))
    kwargs = _kwargs(args, members)
    store = StateFile(args.state or default_state_path(), account_id=args.account_id)
    with store.edit() as account:
        method = getattr(account, _model.operation(operation)["snake"])
        paginated = operation in _model.model()["paginators"] and not args._no_paginate
        if paginated:
            body = _paginate(method, operation, kwargs, args)
        else:
            if getattr(args, "_page_size", None) is not None:
                kwargs["max_items"] = args._page_size
            body = to_response(operation, method(**kwargs), _stamp)
    if operation == "CreateVirtualMFADevice":
        device = body.get("VirtualMFADevice", {})
        blob = device.pop(args._bootstrap_method, b"")
        device.pop("QRCodePNG", None)
        device.pop("Base32StringSeed", None)
        pathlib.Path(args._outfile).write_bytes(blob)
    _print(_jsonable(body), args, operation, out)
    return 0


def main(argv: Sequence[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run ``iamcore <command> …``; return the AWS CLI's exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    argv = list(argv)
    command = argv[0] if argv else ""
    if command not in operations():
        err.write(f"aws: error: argument operation: Invalid choice: '{command}'\n")
        return USAGE_ERROR
    try:
        return _run(command, argv[1:], out)
    except _UsageError as error:
        err.write(f"\naws: error: {error}\n")
        return USAGE_ERROR
    except IamError as error:
        err.write(
            f"\nAn error occurred ({error.code}) when calling the {operations()[command]} "
            f"operation: {error.message}\n"
        )
        return SERVICE_ERROR
    except StateFileError as error:
        err.write(f"\niamcore: error: state file: {error}\n")
        return USAGE_ERROR
