"""The AWS CLI's own check of parameters, made before any call is sent.

The AWS CLI (through botocore's client) refuses some values without calling
the service, with ``Parameter validation failed:`` and one line per problem,
exit status 252.  It checks less than the service: a value's type, a
structure's required and unknown members, and *minimum* lengths and values
(maximums, patterns and enums are left to the service, whose ValidationError
iamcore answers).  :func:`client_problems` makes the same checks, in the same
order (a structure's missing required members, then its unknown ones, then
each member), with the same wording, so ``iamcore <command>`` fails the way
``aws iam <command>`` does.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from iamcore import _model

__all__ = ["client_problems"]

#: What the CLI names as valid types for each kind of shape.
_VALID_TYPES = {
    "string": ("<class 'str'>",),
    "integer": ("<class 'int'>",),
    "long": ("<class 'int'>",),
    "boolean": ("<class 'bool'>",),
    "list": ("<class 'list'>", "<class 'tuple'>"),
    "structure": ("<class 'dict'>",),
    "map": ("<class 'dict'>",),
    "blob": ("<class 'bytes'>", "<class 'bytearray'>", "file-like object"),
    "timestamp": ("<class 'datetime.datetime'>", "timestamp-string"),
}


def client_problems(input_shape: str, params: Mapping[str, Any]) -> list[str]:
    """The problems the AWS CLI reports for ``params`` (named as in the API:
    ``UserName``, ``Tags``) of an operation whose input shape is ``input_shape``."""
    problems: list[str] = []
    _check(params, _model.shape(input_shape), "", problems)
    return problems


def _name(path: str) -> str:
    return path.removeprefix(".") or "input"


def _type_problem(value: Any, kind: str, path: str, problems: list[str]) -> None:
    problems.append(
        f"Invalid type for parameter {_name(path)}, value: {value}, type: {type(value)}, "
        f"valid types: {', '.join(_VALID_TYPES[kind])}"
    )


def _check(value: Any, shape: _model.Shape, path: str, problems: list[str]) -> None:
    kind = shape["type"]
    low = shape.get("min")
    if kind == "structure":
        if not isinstance(value, dict):
            _type_problem(value, kind, path, problems)
            return
        members = shape["members"]
        for required in shape.get("required", ()):
            if required not in value:
                problems.append(f'Missing required parameter in {_name(path)}: "{required}"')
        for key in value:
            if key not in members:
                problems.append(
                    f'Unknown parameter in {_name(path)}: "{key}", '
                    f"must be one of: {', '.join(members)}"
                )
        for key, item in value.items():
            if key in members:
                _check(item, _model.shape(members[key]["shape"]), f"{path}.{key}", problems)
    elif kind == "list":
        if not isinstance(value, list | tuple):
            _type_problem(value, kind, path, problems)
            return
        if low is not None and len(value) < low:
            _length_problem(len(value), low, path, problems)
        member = _model.shape(shape["member"])
        for index, item in enumerate(value):
            _check(item, member, f"{path}[{index}]", problems)
    elif kind == "string":
        if not isinstance(value, str):
            _type_problem(value, kind, path, problems)
        elif low is not None and len(value) < low:
            _length_problem(len(value), low, path, problems)
    elif kind in ("integer", "long"):
        if not isinstance(value, int):  # True and False pass, as in botocore
            _type_problem(value, kind, path, problems)
        elif low is not None and value < low:
            problems.append(
                f"Invalid value for parameter {_name(path)}, value: {value}, "
                f"valid min value: {low}"
            )
    elif kind == "boolean":
        if not isinstance(value, bool):
            _type_problem(value, kind, path, problems)
    elif kind == "blob":  # no length check: botocore makes none for blobs
        if not isinstance(value, bytes | bytearray | str) and not hasattr(value, "read"):
            _type_problem(value, kind, path, problems)
    elif kind == "timestamp":
        if not isinstance(value, datetime.datetime | str):
            _type_problem(value, kind, path, problems)
    elif kind == "map":
        if not isinstance(value, dict):
            _type_problem(value, kind, path, problems)
            return
        key_shape, value_shape = _model.shape(shape["key"]), _model.shape(shape["value"])
        for key, item in value.items():
            _check(key, key_shape, f"{path} (key: {key})", problems)
            _check(item, value_shape, f"{path}.{key}", problems)


def _length_problem(length: int, low: int, path: str, problems: list[str]) -> None:
    problems.append(
        f"Invalid length for parameter {_name(path)}, value: {length}, valid min length: {low}"
    )
