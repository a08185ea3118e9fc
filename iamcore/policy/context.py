"""The request being authorized: action, resource and request context.

UG "Policy evaluation logic" (request context): a request carries the
action, the resource and context keys such as ``aws:username``,
``aws:CurrentTime`` or ``aws:PrincipalTag/team``.  Context key names are
case-insensitive ("Key names are case-insensitive. For example,
``aws:CurrentTime`` is equivalent to ``AWS:currenttime``", UG "IAM policy
elements: Variables and tags"), so :class:`Request` stores them lower-cased.
Values keep their type; the simulator's ``ContextEntries`` carry a
``ContextKeyType`` (``string``, ``stringList``, ``numeric``, …) that
:meth:`Request.from_context_entries` applies.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeAlias

import attrs

from iamcore.errors import InvalidInput

__all__ = [
    "CONTEXT_KEY_TYPES",
    "ContextMap",
    "ContextValue",
    "Request",
    "to_text",
]

ContextValue: TypeAlias = (
    str
    | bool
    | int
    | float
    | Decimal
    | datetime
    | bytes
    | ipaddress.IPv4Address
    | ipaddress.IPv6Address
)

#: ``ContextKeyType`` values of the IAM API (SM ``ContextKeyTypeEnum``).
CONTEXT_KEY_TYPES = (
    "string",
    "stringList",
    "numeric",
    "numericList",
    "boolean",
    "booleanList",
    "ip",
    "ipList",
    "binary",
    "binaryList",
    "date",
    "dateList",
)


def to_text(value: ContextValue) -> str:
    """A context value as the string the string operators compare."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        if value.microsecond:
            return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return str(value)


class ContextMap(Mapping[str, tuple[ContextValue, ...]]):
    """An immutable, hashable mapping of lower-cased context keys to value tuples."""

    __slots__ = ("_data", "_hash")

    def __init__(self, items: Iterable[tuple[str, tuple[ContextValue, ...]]] = ()) -> None:
        self._data: dict[str, tuple[ContextValue, ...]] = dict(items)
        self._hash: int | None = None

    def __getitem__(self, key: str) -> tuple[ContextValue, ...]:
        return self._data[key.lower()]

    def get(self, key: str, default: Any = None) -> Any:
        """The values of ``key`` (case-insensitive), or ``default``."""
        return self._data.get(key.lower(), default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ContextMap):
            return self._data == other._data
        return NotImplemented

    def __repr__(self) -> str:
        return f"ContextMap({self._data!r})"


def _to_context_map(value: Mapping[str, Any]) -> ContextMap:
    if isinstance(value, ContextMap):
        return value
    items: dict[str, tuple[ContextValue, ...]] = {}
    for key, values in value.items():
        if isinstance(values, list | tuple | set | frozenset):
            items[key.lower()] = tuple(values)
        else:
            items[key.lower()] = (values,)
    return ContextMap(items.items())


@attrs.frozen
class Request:
    """An authorization request: ``action`` on ``resource`` with a request context.

    ``context`` maps condition keys to their values; a single value may be
    given bare (``{"aws:username": "bob"}``) and is stored as a 1-tuple.
    Keys are stored lower-cased and looked up case-insensitively.
    """

    action: str
    resource: str = "*"
    context: ContextMap = attrs.field(factory=ContextMap, converter=_to_context_map)

    def lookup(self, key: str) -> str | None:
        """The single value of ``key`` as text (for policy variables), or ``None``.

        Multivalued keys cannot be used as policy variables (UG
        "Single-valued vs. multivalued context keys"), so a key with several
        values has no variable value.
        """
        values = self.context.get(key)
        if not values or len(values) != 1:
            return None
        return to_text(values[0])

    @classmethod
    def from_context_entries(
        cls, action: str, resource: str = "*", entries: Iterable[Mapping[str, Any]] = ()
    ) -> Request:
        """Build a request from SimulateCustomPolicy/SimulatePrincipalPolicy ``ContextEntries``.

        Each entry is ``{"ContextKeyName", "ContextKeyValues", "ContextKeyType"}``
        (or the snake_case ``context_key_name``/… of the native API).  Values
        are converted to the type's Python value (``numeric`` → Decimal,
        ``boolean`` → bool, ``date`` → aware datetime, ``ip`` → address,
        ``binary`` → bytes from base64).  A later entry for the same key
        (ignoring case) replaces an earlier one.

        Raises:
            InvalidInput: a value cannot be read as its declared type.
        """
        context: dict[str, tuple[ContextValue, ...]] = {}
        for entry in entries:
            name = _field(entry, "ContextKeyName", "context_key_name")
            values = _field(entry, "ContextKeyValues", "context_key_values") or ()
            key_type = _field(entry, "ContextKeyType", "context_key_type") or "string"
            if not isinstance(name, str) or not name:
                raise InvalidInput("Context entries must have a ContextKeyName.")
            if key_type not in CONTEXT_KEY_TYPES:
                raise InvalidInput(f"Invalid ContextKeyType {key_type} for {name}.")
            if isinstance(values, str):
                values = (values,)
            context[name.lower()] = tuple(_convert(name, key_type, v) for v in values)
        return cls(action=action, resource=resource, context=ContextMap(context.items()))


def _field(entry: Mapping[str, Any], camel: str, snake: str) -> Any:
    if camel in entry:
        return entry[camel]
    return entry.get(snake)


def _convert(name: str, key_type: str, raw: Any) -> ContextValue:
    from iamcore.policy.conditions import parse_date, parse_number

    base = key_type.removesuffix("List")
    text = raw if isinstance(raw, str) else str(raw)
    value: ContextValue | None
    if base == "string":
        value = text
    elif base == "numeric":
        value = parse_number(text)
    elif base == "boolean":
        lowered = text.strip().lower()
        value = {"true": True, "false": False}.get(lowered)
    elif base == "date":
        value = parse_date(text)
    elif base == "ip":
        try:
            value = ipaddress.ip_interface(text.strip()).ip
        except ValueError:
            value = None
    else:  # binary
        try:
            value = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            value = None
    if value is None:
        raise InvalidInput(f"Invalid value {text!r} for context key {name} of type {key_type}.")
    return value
