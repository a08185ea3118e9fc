"""Turn native results into the dicts boto3 returns, driven by the service model.

:func:`to_response` walks the output shape of an operation and reads each
member from the result object by its snake_case name, so one generic path
serves every operation (the boto3 mock and the CLI's JSON output).
Members that are ``None`` are left out, as are optional lists that are
empty: the real service omits them (e.g. ``Tags`` on an untagged user).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any

from iamcore import _model

__all__ = ["to_response"]

Converter = Callable[[Any, Callable[[datetime], Any]], Any]


def _scalar(value: Any, stamp: Callable[[datetime], Any]) -> Any:
    return value


def _timestamp(value: Any, stamp: Callable[[datetime], Any]) -> Any:
    return stamp(value)


def _list(shape: _model.Shape) -> Converter:
    member = _converter(shape["member"])

    def convert(value: Any, stamp: Callable[[datetime], Any]) -> Any:
        return [member(item, stamp) for item in value]

    return convert


def _map(shape: _model.Shape) -> Converter:
    member = _converter(shape["value"])

    def convert(value: Any, stamp: Callable[[datetime], Any]) -> Any:
        return {key: member(item, stamp) for key, item in value.items()}

    return convert


def _structure(shape: _model.Shape) -> Converter:
    required = set(shape.get("required", ()))
    members = [
        (
            name,
            ref["snake"],
            _converter(ref["shape"]),
            name in required,
            _model.shape(ref["shape"])["type"] == "list",
        )
        for name, ref in sorted(shape["members"].items())
    ]

    def convert(value: Any, stamp: Callable[[datetime], Any]) -> Any:
        out: dict[str, Any] = {}
        for name, snake, member, is_required, is_list in members:
            item = getattr(value, snake, None)
            if item is None or (is_list and not is_required and not item):
                continue
            out[name] = member(item, stamp)
        return out

    return convert


@functools.cache
def _converter(shape_name: str) -> Converter:
    shape = _model.shape(shape_name)
    kind = shape["type"]
    if kind == "structure":
        return _structure(shape)
    if kind == "list":
        return _list(shape)
    if kind == "map":
        return _map(shape)
    if kind == "timestamp":
        return _timestamp
    return _scalar


def to_response(
    operation: str, result: object, stamp: Callable[[datetime], Any] = lambda value: value
) -> dict[str, Any]:
    """Return ``result`` as the dict botocore would parse for ``operation``.

    ``stamp`` converts timestamps (the mock gives them botocore's ``tzutc``;
    the CLI renders ISO 8601 text).
    """
    output = _model.operation(operation)["output"]
    if output is None or result is None:
        return {}
    converted: dict[str, Any] = _converter(output)(result, stamp)
    return converted
