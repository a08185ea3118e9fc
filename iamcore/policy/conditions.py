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
    "CompiledCondition",
    "Operator",
    "compile_condition",
    "is_known_operator",
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
        if not text.isdigit() or int(text) > _MAX_EPOCH:
            return None
        try:
            return datetime.fromtimestamp(int(text), UTC)
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
    micro = int((fraction + "000000")[:6])
    return value + timedelta(microseconds=micro) - offset


def _parse_network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def _parse_binary(text: str) -> bytes | None:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


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
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return parse_date(str(value))
    if isinstance(value, str):
        return parse_date(value)
    return None


def _as_ip(value: ContextValue) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if isinstance(value, ipaddress.IPv4Address | ipaddress.IPv6Address):
        return value
    if isinstance(value, str):
        try:
            return ipaddress.ip_interface(value.strip()).ip
        except ValueError:
            return None
    return None


def _as_bytes(value: ContextValue) -> bytes | None:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return _parse_binary(value)
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


def _string_equals_ignore_case(value: ContextValue, policy_value: str) -> bool:
    return to_text(value).lower() == unprotect(policy_value).lower()


def _string_like(value: ContextValue, policy_value: str) -> bool:
    return matching.wildcard_matches(policy_value, to_text(value))


def _bool(value: ContextValue, policy_value: str) -> bool:
    return to_text(value).lower() == policy_value.strip().lower()


def _arn(value: ContextValue, policy_value: str) -> bool:
    return matching.arn_like(policy_value, to_text(value))


def _ip(value: ContextValue, policy_value: str) -> bool:
    address = _as_ip(value)
    network = _cached_network(policy_value)
    if address is None or network is None or address.version != network.version:
        return False
    return address in network


_cached_network = functools.lru_cache(maxsize=4096)(_parse_network)


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
    "binary": _cmp(_as_bytes, _parse_binary, _eq),
    "ip": _ip,
    "arn": _arn,
}


# --------------------------------------------------------------------------------------
# Compiled conditions

Lookup = Callable[[str], str | None]


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
            is_null = not present
            return any(
                v.strip().lower() in ("true", "false") and (v.strip().lower() == "true") == is_null
                for v in self.values
            )
        if not present:
            if op.qualifier == "ForAllValues":
                return True
            if op.qualifier == "ForAnyValue":
                return False
            return op.negated
        policy_values = self._policy_values(lookup)
        match = _MATCHERS[op.family]

        def hit(value: ContextValue) -> bool:
            return any(match(value, p) for p in policy_values)

        if op.qualifier == "ForAllValues":
            if op.negated:
                return all(not hit(v) for v in present)
            return all(hit(v) for v in present)
        if op.qualifier == "ForAnyValue":
            if op.negated:
                return any(not hit(v) for v in present)
            return any(hit(v) for v in present)
        # No set operator: a positive operator holds when some request value
        # matches some policy value; a negated one when none does.
        any_hit = any(hit(v) for v in present)
        return not any_hit if op.negated else any_hit

    def _policy_values(self, lookup: Lookup) -> tuple[str, ...]:
        if not self.substitutes:
            return self.values
        return tuple(substitute(v, lookup) for v in self.values)


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
