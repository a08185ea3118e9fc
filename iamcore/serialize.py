"""Turn native results into the dicts boto3 returns, driven by the service model.

:func:`to_response` walks the output shape of an operation and reads each
member from the result object by its snake_case name, so one generic path
serves every operation (the boto3 mock and the CLI's JSON output).
Members that are ``None`` are left out.  An empty list is kept at the top
level of a response (``{"SSHPublicKeys": []}``: the real service always
sends its result lists) and in the simulator's evaluation results (AWS sends
``"MatchedStatements": []``), but left out inside other entities when the
member is optional: the real service omits, e.g., ``Tags`` on an untagged
user.
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
    if member is _scalar:
        return lambda value, stamp: list(value)

    def convert(value: Any, stamp: Callable[[datetime], Any]) -> Any:
        return [member(item, stamp) for item in value]

    return convert


def _map(shape: _model.Shape) -> Converter:
    member = _converter(shape["value"])

    def convert(value: Any, stamp: Callable[[datetime], Any]) -> Any:
        return {key: member(item, stamp) for key, item in value.items()}

    return convert


#: nested optional lists that AWS sends even when empty
_KEEP_EMPTY = frozenset(
    {
        ("EvaluationResult", "MatchedStatements"),
        ("EvaluationResult", "MissingContextValues"),
        ("ResourceSpecificResult", "MatchedStatements"),
        ("ResourceSpecificResult", "MissingContextValues"),
        ("Policy", "Tags"),  # GetPolicy sends "Tags": [] (others pass None to leave it out)
        # GetAccountAuthorizationDetails (recorded AWS responses; UserPolicyList is left out)
        ("UserDetail", "GroupList"),
        ("UserDetail", "AttachedManagedPolicies"),
        ("UserDetail", "Tags"),
        ("GroupDetail", "GroupPolicyList"),
        ("GroupDetail", "AttachedManagedPolicies"),
        # ListPoliciesGrantingServiceAccess: every namespace asked for, "Policies": [] too
        ("ListPoliciesGrantingServiceAccessEntry", "Policies"),
    }
)


def _structure(shape: _model.Shape, shape_name: str = "", top_level: bool = False) -> Converter:
    """Compile the structure's converter to straight-line code, one test per member.

    For each member, in name order: read the snake_case attribute (absent or
    ``None``: left out), skip an empty optional list, copy a scalar, stamp a
    timestamp, convert anything nested.  Generating the code once keeps the
    per-object cost to a few attribute reads (a ListUsers page converts 100).
    """
    required = set(shape.get("required", ()))
    namespace: dict[str, Any] = {}
    lines = ["def convert(value, stamp):", "    out = {}"]
    for index, (member_name, ref) in enumerate(shape["members"].items()):
        member = _converter(ref["shape"])
        lines.append(f"    item = getattr(value, {ref['snake']!r}, None)")
        if member is _scalar:
            lines.append(f"    if item is not None: out[{member_name!r}] = item")
        elif member is _timestamp:
            lines.append(f"    if item is not None: out[{member_name!r}] = stamp(item)")
        else:
            namespace[f"member{index}"] = member
            omit_empty = (
                _model.shape(ref["shape"])["type"] == "list"
                and member_name not in required
                and not top_level
                and (shape_name, member_name) not in _KEEP_EMPTY
            )
            test = "item is not None and item" if omit_empty else "item is not None"
            lines.append(f"    if {test}: out[{member_name!r}] = member{index}(item, stamp)")
    lines.append("    return out")
    exec("\n".join(lines), namespace)
    convert: Converter = namespace["convert"]
    return convert


@functools.cache
def _converter(shape_name: str) -> Converter:
    shape = _model.shape(shape_name)
    kind = shape["type"]
    if kind == "structure":
        return _structure(shape, shape_name)
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
    convert = _outputs.get(operation)
    if convert is None:
        output = _model.operation(operation)["output"]
        convert = _outputs[operation] = (
            _structure(_model.shape(output), output, top_level=True)
            if output is not None
            else _nothing
        )
    if result is None:
        return {}
    converted: dict[str, Any] = convert(result, stamp)
    return converted


def _nothing(value: Any, stamp: Callable[[datetime], Any]) -> Any:
    return {}


#: operation -> the converter of its output shape, filled on first use
_outputs: dict[str, Converter] = {}
