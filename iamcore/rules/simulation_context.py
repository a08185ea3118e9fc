"""The ``ContextEntries`` of a simulation: AWS's checks of each entry and its values.

Recorded from AWS in 2026 (github.com/radkawar/stackd ``simulation.json`` and
``simulation_inputs.json``): a key named twice (ignoring case) is refused; a
single-valued type takes one value; each value must read as its type (AWS's
texts, by type below; IP addresses and base64 read as in conditions); a
``boolean`` that is not ``true`` reads as false; an entry with nothing in it is
ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from iamcore.errors import InvalidInput
from iamcore.policy import Request
from iamcore.policy.conditions import parse_address, parse_binary
from iamcore.policy.context import CONTEXT_KEY_TYPES

__all__ = ["checked_context_entries", "entry_field"]

#: A ``numeric`` ContextEntries value: a decimal with optional sign, fraction and
#: exponent, nothing around it (recorded from AWS, 2026: input_context_numeric_0.._6
#: took "01.00", "+1", "1e2" and "1e9999", refused "0x10", " 1 " and "Infinity").
_NUMERIC_VALUE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")

#: What ``ContextEntries`` values must look like, by base type (AWS's messages, 2026).
_EXPECTED = {
    "numeric": "numeric format",
    "date": "DateTime format",
    "ip": "IP address",
    "binary": "base-64 encoded binary format",
}


def entry_field(entry: Mapping[str, Any], camel: str, snake: str) -> Any:
    """A ContextEntries member, spelt as the API (``ContextKeyName``) or natively."""
    return entry[camel] if camel in entry else entry.get(snake)


def _ip_value(text: str) -> str | None:
    """An ``ip`` ContextEntries value as the evaluator reads it, or None when AWS
    refuses it: a single address read as condition values are (IPv4 parts may have
    leading zeros), no CIDR block or IPv6 zone (recorded from AWS, 2026:
    input_context_ip_0.._4)."""
    address = parse_address(text)
    return None if address is None else str(address)


def _entry_values(name: str, key_type: str, values: list[str]) -> list[str]:
    """The values of one entry checked against their type (AWS's messages, 2026)."""
    base = key_type.removesuffix("List")
    if base == key_type and len(values) > 1:
        raise InvalidInput(
            f"Context key {key_type} expected a single value, but received {len(values)}."
        )
    if base == "boolean":
        return ["true" if v.strip().lower() == "true" else "false" for v in values]
    if base not in _EXPECTED:
        return values
    bad = InvalidInput(f"Invalid context value for key {name}: expected {_EXPECTED[base]}.")
    if base == "numeric" and not all(_NUMERIC_VALUE.fullmatch(v) for v in values):
        raise bad
    if base == "binary" and any(parse_binary(v) is None for v in values):
        raise bad
    if base == "ip":
        addresses = [_ip_value(v) for v in values]
        if any(a is None for a in addresses):
            raise bad
        values = [a for a in addresses if a is not None]
    try:
        Request.from_context_entries(
            "iam:GetUser",
            "*",
            [{"ContextKeyName": name, "ContextKeyValues": values, "ContextKeyType": key_type}],
        )
    except InvalidInput:
        raise bad from None
    return values


def checked_context_entries(entries: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Check ContextEntries as AWS does (recorded 2026) and normalise boolean values.

    - an entry with no name, type or values is ignored (input_context_absent_all);
    - no name: "ContextKeyName cannot be null or empty." (input_context_absent_name);
    - no type: "Context key k has invalid type null." (input_context_absent_type);
    - no values, or none for a single-valued type: "Context values for context key k
      cannot be null or empty." (input_context_absent_values, _empty_scalar);
    - a key given twice, ignoring case: "Duplicate context key: STACK:TEST.";
    - a non-list type with several values: "Context key string expected a single
      value, but received 2." (AWS names the type there);
    - a value that is not of its type: "Invalid context value for key k: expected
      numeric format." (``DateTime format``, ``IP address``, ``base-64 encoded binary
      format``);
    - a boolean value other than ``true`` (any case) is read as false, not refused.
    """
    seen: set[str] = set()
    checked: list[dict[str, Any]] = []
    for entry in entries:
        name = entry_field(entry, "ContextKeyName", "context_key_name")
        raw_values = entry_field(entry, "ContextKeyValues", "context_key_values")
        key_type = entry_field(entry, "ContextKeyType", "context_key_type")
        if name is None and raw_values is None and key_type is None:
            continue
        if not isinstance(name, str) or not name:
            raise InvalidInput("ContextKeyName cannot be null or empty.")
        if key_type is None:
            raise InvalidInput(f"Context key {name} has invalid type null.")
        if isinstance(raw_values, str):
            raw_values = (raw_values,)
        if raw_values is None or (not raw_values and not str(key_type).endswith("List")):
            # AWS refuses an empty list for a list type too (input_context_empty_list);
            # iamcore keeps taking it: iamcore.testing.simulator_result writes a key with
            # no values that way.
            raise InvalidInput(f"Context values for context key {name} cannot be null or empty.")
        values = [v if isinstance(v, str) else str(v) for v in raw_values]
        if name.lower() in seen:
            raise InvalidInput(f"Duplicate context key: {name}.")
        seen.add(name.lower())
        if key_type in CONTEXT_KEY_TYPES:
            values = _entry_values(name, key_type, values)
        checked.append(
            {"ContextKeyName": name, "ContextKeyValues": values, "ContextKeyType": key_type}
        )
    # Anything else (an unknown type) keeps the evaluator's own check.
    Request.from_context_entries("iam:GetUser", "*", checked)
    return checked
