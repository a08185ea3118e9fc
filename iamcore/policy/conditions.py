"""Condition operators (UG "IAM JSON policy elements: Condition operators").

An operator name is ``[ForAllValues:|ForAnyValue:]<Base>[IfExists]``.  The
bases are the string, numeric, date, Boolean, binary, IP address, ARN and
``Null`` operators.  Rules implemented here, with their sources:

* "If the key that you specify in a policy condition is not present in the
  request context, the values do not match and the condition is false. If the
  policy condition requires that the key is not matched, such as
  StringNotLike or ArnNotLike, and the right key is not present, the
  condition is true. This logic applies to all condition operators except
  ...IfExists and Null check." (Condition operators, "Important").
* ``...IfExists``: "If the policy key is present in the context of the
  request, process the key as specified in the policy. If the key is not
  present, evaluate the condition element as true."
* Several values for one key are OR'ed; a negated operator is true only
  when no value matches ("NOR") (UG "Creating a condition with multiple
  keys or values").
* ``ForAllValues``: true when every request value matches at least one
  policy value, and also "if there are no context keys in the request" or
  they "resolve to an empty data set"; ``ForAnyValue``: true when at least
  one request value matches one policy value, false when the key is missing
  or empty (UG "Single-valued vs. multivalued context keys").
* ``ArnEquals`` and ``ArnLike`` behave alike: "Each of the six
  colon-delimited components of the ARN is checked separately and each can
  include multi-character match wildcards (*) or single-character match
  wildcards (?)."  ARN and string matching are case-sensitive except the
  ``...IgnoreCase`` operators.
* Dates are ISO 8601 (with or without time and zone) or epoch seconds;
  numbers are integers or decimals; ``IpAddress`` takes IPv4/IPv6 CIDR
  blocks; ``BinaryEquals`` compares base64-decoded bytes.
* Policy variables are substituted in the values of string and ARN
  operators only (UG "IAM policy elements: Variables and tags").
"""

from __future__ import annotations

import base64
import binascii
import functools
import ipaddress
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from iamcore.policy import matching
from iamcore.policy.context import ContextValue, to_text
from iamcore.policy.variables import has_variables, substitute, unprotect

__all__ = [
    "DATE_FAMILIES",
    "MULTIVALUED_KEYS",
    "CompiledCondition",
    "Operator",
    "compile_condition",
    "is_known_operator",
    "parse_address",
    "parse_binary",
    "parse_date",
    "parse_number",
    "parse_operator",
]

_FAMILIES: dict[str, tuple[str, bool]] = {
    # base operator -> (family, negated)
    "StringEquals": ("string_equals", False),
    "StringNotEquals": ("string_equals", True),
    "StringEqualsIgnoreCase": ("string_equals_ignore_case", False),
    "StringNotEqualsIgnoreCase": ("string_equals_ignore_case", True),
    "StringLike": ("string_like", False),
    "StringNotLike": ("string_like", True),
    "NumericEquals": ("numeric_eq", False),
    "NumericNotEquals": ("numeric_eq", True),
    "NumericLessThan": ("numeric_lt", False),
    "NumericLessThanEquals": ("numeric_le", False),
    "NumericGreaterThan": ("numeric_gt", False),
    "NumericGreaterThanEquals": ("numeric_ge", False),
    "DateEquals": ("date_eq", False),
    "DateNotEquals": ("date_eq", True),
    "DateLessThan": ("date_lt", False),
    "DateLessThanEquals": ("date_le", False),
    "DateGreaterThan": ("date_gt", False),
    "DateGreaterThanEquals": ("date_ge", False),
    "Bool": ("bool", False),
    "BinaryEquals": ("binary", False),
    "IpAddress": ("ip", False),
    "NotIpAddress": ("ip", True),
    "ArnEquals": ("arn", False),
    "ArnLike": ("arn", False),
    "ArnNotEquals": ("arn", True),
    "ArnNotLike": ("arn", True),
    "Null": ("null", False),
}
_VARIABLE_FAMILIES = frozenset(
    {"string_equals", "string_equals_ignore_case", "string_like", "arn"}
)
_QUALIFIERS = ("ForAllValues", "ForAnyValue")


@attrs.frozen
class Operator:
    """A parsed condition operator name."""

    name: str
    base: str
    family: str
    negated: bool
    qualifier: str | None
    if_exists: bool

    @property
    def takes_variables(self) -> bool:
        """Whether values of this operator may hold policy variables (string and ARN operators)."""
        return self.family in _VARIABLE_FAMILIES


@functools.cache
def parse_operator(name: str) -> Operator | None:
    """Parse ``[ForAllValues:|ForAnyValue:]Base[IfExists]``; ``None`` if unknown.

    Operator names are case-sensitive.  IAM also accepts ``NullIfExists``
    and ``ForAllValues:Null``; they evaluate as ``Null`` (with ``IfExists``'s
    "missing key: true").
    """
    qualifier: str | None = None
    rest = name
    if ":" in name:
        qualifier, _, rest = name.partition(":")
        if qualifier not in _QUALIFIERS:
            return None
    if_exists = False
    if rest not in _FAMILIES and rest.endswith("IfExists"):
        rest = rest[: -len("IfExists")]
        if_exists = True
    if rest not in _FAMILIES:
        return None
    family, negated = _FAMILIES[rest]
    return Operator(name, rest, family, negated, qualifier, if_exists)


def is_known_operator(name: str) -> bool:
    """Whether ``name`` is a condition operator IAM accepts."""
    return parse_operator(name) is not None


# --------------------------------------------------------------------------------------
# Value parsing

_DATE = re.compile(
    r"(?P<year>-?\d+)(?:-(?P<month>\d+)(?:-(?P<day>\d+))?)?"
    r"(?:[Tt](?P<hour>\d+)?(?::(?P<minute>\d+)(?::(?P<second>\d+)(?:\.(?P<fraction>\d+))?)?)?"
    r"(?P<zone>[Zz]|[+-](?P<zh>\d\d)(?::(?P<zm>\d\d))?)?)?",
    re.ASCII,
)
_MIN_YEAR, _MAX_YEAR = -292275054, 292278993  # the range of Java's date types
_MAX_EPOCH = 2**63 - 1
_MIN_DATE = datetime.min.replace(tzinfo=UTC)
_MAX_DATE = datetime.max.replace(tzinfo=UTC)

#: Operator families whose values are dates (checked when a policy is stored).
DATE_FAMILIES = frozenset({"date_eq", "date_lt", "date_le", "date_gt", "date_ge"})


def parse_number(text: str) -> Decimal | None:
    """A finite decimal number, or ``None``."""
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_date(text: str) -> datetime | None:
    """A date condition value as an aware datetime, or ``None`` when IAM would refuse it.

    UG Condition operators, date operators: values use "one of the W3C
    implementations of the ISO 8601 date formats" or "epoch (UNIX) time".
    Accepted, as IAM accepts them: ``YYYY[-MM[-DD]]`` followed optionally by
    ``T`` and ``hh[:mm[:ss[.fraction]]]`` and a zone (``Z``, ``±hh``,
    ``±hh:mm``; none means UTC), e.g. ``2019-07-16T12:00:00Z``,
    ``2016-12-13T21:20:37.593194+00:00``, even ``01T``; or a whole number of
    seconds since 1970 (0 to 2**63-1).  Dates beyond Python's range are
    clamped to ``datetime.min``/``max`` (UTC), which compares the same.
    """
    text = text.strip()
    if "-" not in text and "t" not in text.lower():
        digits = text[1:] if text.startswith("+") else text
        if not digits.isdigit() or int(digits) > _MAX_EPOCH:
            return None
        try:
            return datetime.fromtimestamp(int(digits), UTC)
        except (OverflowError, OSError, ValueError):
            return _MAX_DATE
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    fields = match.groupdict()
    year = int(fields["year"])
    month = int(fields["month"] or 1)
    day = int(fields["day"] or 1)
    hour = int(fields["hour"] or 0)
    minute = int(fields["minute"] or 0)
    second = int(fields["second"] or 0)
    fraction = fields["fraction"] or "0"
    zone_hours = int(fields["zh"] or 0)
    zone_minutes = int(fields["zm"] or 0)
    if not (
        _MIN_YEAR <= year <= _MAX_YEAR
        and 1 <= month <= 12
        and 1 <= day <= 31
        and hour <= 23
        and minute <= 59
        and second <= 59
        and int(fraction) <= 999_999_999
        and zone_hours <= 23
        and zone_minutes <= 59
    ):
        return None
    if year < 1:
        return _MIN_DATE
    if year > 9999:
        return _MAX_DATE
    offset = timedelta(hours=zone_hours, minutes=zone_minutes)
    if fields["zone"] and fields["zone"].startswith("-"):
        offset = -offset
    try:
        value = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:  # e.g. 31 February: roll over as a lenient calendar does
        value = datetime(year, month, 1, hour, minute, second, tzinfo=UTC) + timedelta(
            days=day - 1
        )
    # IAM keeps milliseconds: further digits are dropped, not rounded
    # (recorded from AWS, 2026: "…00.1231Z" equals "…00.1239Z").
    micro = int((fraction + "000")[:3]) * 1000
    return value + timedelta(microseconds=micro) - offset


_IPV4 = re.compile(r"(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})", re.ASCII)
_IPV6_GROUPS = re.compile(r"[0-9A-Fa-f:]+", re.ASCII)
_PREFIX = re.compile(r"\+?\d+", re.ASCII)
_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")
_Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse_ipv4(text: str) -> ipaddress.IPv4Address | None:
    """Dotted-quad IPv4; octets may have leading zeros, read as decimal ("192.000.002.1")."""
    match = _IPV4.fullmatch(text)
    if match is None:
        return None
    octets = [int(group) for group in match.groups()]
    if any(octet > 255 for octet in octets):
        return None
    return ipaddress.IPv4Address(bytes(octets))


def parse_address(text: str) -> _Address | None:
    """An IP address as IAM reads one (recorded from AWS, 2026, condition_ip.json).

    IPv4 is dotted-quad only (``192.0.513`` and ``3221225985`` are not
    addresses); IPv6 is written in hexadecimal groups, except that the
    IPv4-mapped form ``::ffff:a.b.c.d`` is accepted.  Other dotted IPv6
    forms (``::192.0.2.1``, ``2001:db8::192.0.2.1``) are not addresses.
    """
    if ":" not in text:
        return _parse_ipv4(text)
    if text[:7].lower() == "::ffff:" and "." in text:
        v4 = _parse_ipv4(text[7:])
        return None if v4 is None else ipaddress.IPv6Address(b"\0" * 10 + b"\xff\xff" + v4.packed)
    if _IPV6_GROUPS.fullmatch(text) is None:
        return None
    try:
        return ipaddress.IPv6Address(text)
    except ValueError:
        return None


def _unmap(address: _Address) -> _Address:
    """An IPv4-mapped IPv6 address (``::ffff:192.0.2.1``) is the IPv4 address it maps."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@attrs.frozen
class _Block:
    """A policy ``IpAddress`` value; ``network`` is ``None`` when it can never match."""

    network: ipaddress.IPv4Network | ipaddress.IPv6Network | None


def _parse_network(text: str) -> _Block | None:
    """A CIDR block of an ``IpAddress``/``NotIpAddress`` policy value, or ``None`` if invalid.

    Recorded from AWS, 2026 (condition_ip.json): IPv4 octets and the prefix
    length may have leading zeros or a ``+`` (``192.000.002.0/024``,
    ``192.0.2.0/+24``); an IPv4 block with host bits set is masked
    (``192.0.2.5/24`` holds ``192.0.2.1``), but an IPv6 block with host bits
    set matches nothing (``2001:db8::5/64`` holds not even ``2001:db8::5``),
    and so does a block written as an IPv4-mapped IPv6 address
    (``::ffff:192.0.2.0/120``).
    """
    address_text, slash, prefix_text = text.strip().partition("/")
    address = parse_address(address_text)
    if address is None:
        return None
    if slash:
        if _PREFIX.fullmatch(prefix_text) is None:
            return None
        prefix = int(prefix_text)
    else:
        prefix = address.max_prefixlen
    if prefix > address.max_prefixlen:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address in _MAPPED:
        return _Block(None)
    network = ipaddress.ip_network((address, prefix), strict=False)
    if isinstance(address, ipaddress.IPv6Address) and network.network_address != address:
        return _Block(None)
    return _Block(network)


def parse_binary(text: str) -> bytes | None:
    """Canonical base64 only: ``YR==`` (padding bits set) is not ``a`` (recorded, AWS 2026)."""
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return data if base64.b64encode(data).decode("ascii") == text else None


# --------------------------------------------------------------------------------------
# Context values → comparable values -------------------------------------------------


def _as_number(value: ContextValue) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        return parse_number(value)
    return None


def _as_date(value: ContextValue) -> datetime | None:
    if isinstance(value, datetime):
        value = value if value.tzinfo else value.replace(tzinfo=UTC)
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return parse_date(str(value))
    if isinstance(value, str):
        return parse_date(value)
    return None


def _as_ip(value: ContextValue) -> _Address | None:
    if isinstance(value, ipaddress.IPv4Address | ipaddress.IPv6Address):
        return _unmap(value)
    if isinstance(value, str):
        address = parse_address(value)
        return None if address is None else _unmap(address)
    return None


def _as_bytes(value: ContextValue) -> bytes | None:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return parse_binary(value)
    return None


# Per-family "does this request value match this policy value" --------------------------

_Matcher = Callable[[ContextValue, str], bool]


def _cmp(
    convert_ctx: Callable[[ContextValue], Any],
    convert_policy: Callable[[str], Any],
    compare: Callable[[Any, Any], bool],
) -> _Matcher:
    cached_policy = functools.lru_cache(maxsize=4096)(convert_policy)

    def match(value: ContextValue, policy_value: str) -> bool:
        left = convert_ctx(value)
        right = cached_policy(policy_value)
        if left is None or right is None:
            return False
        return compare(left, right)

    return match


def _string_equals(value: ContextValue, policy_value: str) -> bool:
    return to_text(value) == unprotect(policy_value)


def _lower(text: str) -> str:
    """Lower-case as IAM does (recorded from AWS, 2026, condition_strings.json).

    Unicode lower-casing of each character, with the final-sigma rule
    (``ΟΣ`` equals ``ος``), no case folding (``ſ`` is not ``s``, ``ß`` is
    not ``SS``, ``ı`` is not ``I``) -- except that characters outside the
    Basic Multilingual Plane keep their case (``𐐀`` is not ``𐐨``), as each
    is two UTF-16 code units to IAM.
    """
    lowered = text.lower()
    if not text or max(text) <= "\uffff":
        return lowered
    out: list[str] = []
    position = 0
    for char in text:
        width = len(char.lower())  # whole-string lowering differs only for sigma (1:1)
        out.append(char if char > "\uffff" else lowered[position : position + width])
        position += width
    return "".join(out)


def _utf16_units(text: str) -> str:
    """``text`` with each non-BMP character spelled as its UTF-16 surrogate pair."""
    if not text or max(text) <= "\uffff":
        return text
    out: list[str] = []
    for char in text:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            out.append(chr(0xD800 + (code >> 10)) + chr(0xDC00 + (code & 0x3FF)))
        else:
            out.append(char)
    return "".join(out)


def _string_equals_ignore_case(value: ContextValue, policy_value: str) -> bool:
    return _lower(to_text(value)) == _lower(unprotect(policy_value))


def _string_like(value: ContextValue, policy_value: str) -> bool:
    # "?" matches one UTF-16 code unit: "?" does not match "𐐀", "??" does
    # (recorded from AWS, 2026, condition_strings.json).
    return matching.wildcard_matches(_utf16_units(policy_value), _utf16_units(to_text(value)))


def _parse_boolean(text: str) -> bool:
    """Java's ``Boolean.parseBoolean``: ``true`` in any case; anything else is false."""
    return text.lower() == "true"


def _bool(value: ContextValue, policy_value: str) -> bool:
    # Recorded from AWS, 2026 (condition_values.json): a request value other
    # than "true" -- "yes", "1", "", " true " -- reads as false and so
    # matches a policy "false"; a policy "yes" reads as false too.
    flag = value if isinstance(value, bool) else _parse_boolean(to_text(value))
    return flag == _parse_boolean(policy_value.strip())


def _arn(value: ContextValue, policy_value: str) -> bool:
    return matching.arn_like(policy_value, to_text(value))


def _ip(value: ContextValue, policy_value: str) -> bool:
    address = _as_ip(value)
    block = _cached_network(policy_value)
    if address is None or block is None or block.network is None:
        return False
    if address.version != block.network.version:
        return False
    return address in block.network


_cached_network = functools.lru_cache(maxsize=4096)(_parse_network)


def _is_arn(value: ContextValue) -> bool:
    return len(to_text(value).split(":", 5)) == 6


#: Families whose request values must parse as their type: a value that does
#: not (``not-an-ip``, ``192.0.2.1/32``, ``not-an-arn``) matches neither the
#: operator nor its negation -- ``NotIpAddress``/``ArnNotLike`` are false too
#: (recorded from AWS, 2026, condition_values.json and condition_ip.json).
_TYPED_VALUE: dict[str, Callable[[ContextValue], bool]] = {
    "ip": lambda value: _as_ip(value) is not None,
    "arn": _is_arn,
}


def _lt(a: Any, b: Any) -> bool:
    return bool(a < b)


def _le(a: Any, b: Any) -> bool:
    return bool(a <= b)


def _gt(a: Any, b: Any) -> bool:
    return bool(a > b)


def _ge(a: Any, b: Any) -> bool:
    return bool(a >= b)


def _eq(a: Any, b: Any) -> bool:
    return bool(a == b)


_MATCHERS: dict[str, _Matcher] = {
    "string_equals": _string_equals,
    "string_equals_ignore_case": _string_equals_ignore_case,
    "string_like": _string_like,
    "numeric_eq": _cmp(_as_number, parse_number, _eq),
    "numeric_lt": _cmp(_as_number, parse_number, _lt),
    "numeric_le": _cmp(_as_number, parse_number, _le),
    "numeric_gt": _cmp(_as_number, parse_number, _gt),
    "numeric_ge": _cmp(_as_number, parse_number, _ge),
    "date_eq": _cmp(_as_date, parse_date, _eq),
    "date_lt": _cmp(_as_date, parse_date, _lt),
    "date_le": _cmp(_as_date, parse_date, _le),
    "date_gt": _cmp(_as_date, parse_date, _gt),
    "date_ge": _cmp(_as_date, parse_date, _ge),
    "bool": _bool,
    "binary": _cmp(_as_bytes, parse_binary, _eq),
    "ip": _ip,
    "arn": _arn,
}


# --------------------------------------------------------------------------------------
# Compiled conditions

Lookup = Callable[[str], str | None]

#: Context keys that are multivalued in AWS ("Single-valued vs. multivalued
#: context keys"); only the set operators compare their values.
MULTIVALUED_KEYS = frozenset(
    {"aws:tagkeys", "aws:calledvia", "aws:principalservicenameslist", "aws:principalorgpaths"}
)
# What a multivalued key substitutes to: a private-use character, which IAM
# policy text (U+0009-U+00FF) and hence no policy value can contain.
_NO_VALUE = "\ue002"


@attrs.frozen
class CompiledCondition:
    """One ``operator: {key: values}`` clause, ready to evaluate.

    ``key`` keeps the policy's spelling; ``lookup_key`` is its lower-case
    form (context keys are case-insensitive).
    """

    operator: Operator
    key: str
    lookup_key: str
    values: tuple[str, ...]
    substitutes: bool

    def referenced_variables(self) -> tuple[str, ...]:
        """Context keys named by ``${...}`` variables in the values (when substituted)."""
        if not self.substitutes:
            return ()
        from iamcore.policy.variables import referenced_keys

        return tuple(k for v in self.values for k in referenced_keys(v))

    def evaluate(self, context: Mapping[str, tuple[ContextValue, ...]], lookup: Lookup) -> bool:
        """Whether the clause holds for the request context.

        Raises:
            iamcore.policy.variables.Unresolved: a value's variable has no value.
        """
        op = self.operator
        present = context.get(self.lookup_key)
        if not present and op.if_exists:
            return True
        if op.family == "null":
            # Policy values read as Java booleans: "TRUE" is true, "yes" is
            # false (recorded from AWS, 2026, condition_values.json).
            is_null = not present
            return any(_parse_boolean(v.strip()) == is_null for v in self.values)
        if not present:
            if op.qualifier == "ForAllValues":
                return True
            if op.qualifier == "ForAnyValue":
                return False
            return op.negated
        if op.qualifier is None and self.lookup_key in MULTIVALUED_KEYS:
            # A single-valued operator on a multivalued key holds neither way:
            # StringEquals and StringNotEquals on aws:TagKeys ["team"] are both
            # false (recorded from AWS, 2026, condition_sets.json).
            return False
        policy_values = self._policy_values(lookup)
        match = _MATCHERS[op.family]
        typed = _TYPED_VALUE.get(op.family)

        def hit(value: ContextValue) -> bool:
            return any(match(value, p) for p in policy_values)

        def miss(value: ContextValue) -> bool:
            return (typed is None or typed(value)) and not hit(value)

        if op.qualifier == "ForAllValues":
            if op.negated:
                return all(miss(v) for v in present)
            return all(hit(v) for v in present)
        if op.qualifier == "ForAnyValue":
            if op.negated:
                return any(miss(v) for v in present)
            return any(hit(v) for v in present)
        # No set operator: a positive operator holds when some request value
        # matches some policy value; a negated one when none does.
        if op.negated:
            return all(miss(v) for v in present)
        return any(hit(v) for v in present)

    def _policy_values(self, lookup: Lookup) -> tuple[str, ...]:
        if not self.substitutes:
            return self.values

        def single_valued(key: str) -> str | None:
            # A multivalued key as a variable resolves, but to nothing a
            # request value equals: StringEquals "${aws:TagKeys}" is false and
            # StringNotEquals true, default or not (recorded from AWS, 2026,
            # condition_sets.json).
            if key.strip().lower() in MULTIVALUED_KEYS:
                return _NO_VALUE
            return lookup(key)

        return tuple(substitute(v, single_valued) for v in self.values)


def compile_condition(
    operator: str, key: str, values: tuple[str, ...], *, substitute_variables: bool
) -> CompiledCondition:
    """Compile a parsed condition clause (the operator is known to be valid)."""
    parsed = parse_operator(operator)
    if parsed is None:  # pragma: no cover - guarded by the parser
        raise ValueError(f"unknown condition operator {operator!r}")
    substitutes = (
        substitute_variables and parsed.takes_variables and any(has_variables(v) for v in values)
    )
    return CompiledCondition(parsed, key, key.lower(), values, substitutes)
