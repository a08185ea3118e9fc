"""Input validation driven by botocore's IAM service model.

AWS IAM checks every request parameter against the service model: the
botocore client checks ``required``, types and ``min``; the service checks
``max``, ``pattern`` and ``enum`` and answers ``ValidationError`` (HTTP 400)
with a message such as::

    1 validation error detected: Value at 'userName' failed to satisfy
    constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+

iamcore applies every constraint (both halves) to native calls, so a bad
argument is always an :class:`~iamcore.errors.ValidationError`, never a
``TypeError``.  Patterns are full-match and ASCII (Java's ``\\w`` is ASCII).

The service no longer echoes the offending value: every problem reads
``Value at '<member>' failed to satisfy constraint: Member ...``, whatever the
constraint (length, range, pattern, enum).  Observed in responses recorded from
real AWS in 2026 (LocalStack's ``@markers.aws.validated`` snapshots): pattern
violations of ``versionId`` (SetDefaultPolicyVersion, GetPolicyVersion) and
``tags.1.member.key`` (CreatePolicy, TagPolicy), length violations of ``path``,
``tags`` and ``tags.1.member.value``, range violations of the password policy;
and a 2026 Terraform report of CreateRole (``Value at 'tags.4.member.value'``).
Captures up to 2024 (``Value 'x' at 'userName'``) show the older, echoing
format, which IAM has since dropped.  A list of plain strings (``tagKeys``)
with a bad element is one problem for the whole list, naming every constraint
of its members (UntagPolicy, recorded 2026)::

    Value at 'tagKeys' failed to satisfy constraint: Member must satisfy
    constraint: [Member must have length less than or equal to 128, Member must
    have length greater than or equal to 1, Member must satisfy regular
    expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+, Member must not be null]

Several problems are counted and joined with ``; `` ("3 validation errors
detected: ...").  A ``Path`` that breaks its pattern gets IAM's own text, "The
specified value for path is invalid. It must begin and end with / and contain
only alphanumeric characters and/or / characters.", once every other
constraint holds.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from iamcore import _model
from iamcore._fastcheck import FastCheck, compile_fast_check
from iamcore.errors import MalformedInput, ValidationError

__all__ = ["FAST_CHECKS", "compile_pattern", "fast_check", "validate_fully", "validate_input"]

Problems = list[str]
Checker = Callable[[Any, str, Problems], Any]


def _location(member: str) -> str:
    return member[:1].lower() + member[1:]


def _problem(problems: Problems, where: str, rule: str) -> None:
    """One violated constraint.  AWS does not echo the value (recorded 2026; see above)."""
    problems.append(f"Value at '{where}' failed to satisfy constraint: Member {rule}")


def _bounds_problems(
    problems: Problems, where: str, size: int, low: int | None, high: int | None, what: str
) -> None:
    """The model's ``min``/``max`` of a string or list length (``what="length"``) or of an
    integer (``what="value"``)."""
    if low is not None and size < low:
        _problem(problems, where, f"must have {what} greater than or equal to {low}")
    if high is not None and size > high:
        _problem(problems, where, f"must have {what} less than or equal to {high}")


#: IAM's own answer to a ``Path``/``NewPath`` that breaks the ``pathType`` pattern
#: (observed for CreateVirtualMFADevice: LocalStack's AWS-validated MFA tests).
INVALID_PATH = (
    "The specified value for path is invalid. It must begin and end with / and contain "
    "only alphanumeric characters and/or / characters."
)
#: stands in the problem list for a path pattern violation (reported on its own, last)
_PATH_PROBLEM = "\x00path"
#: shapes whose pattern violation is reported as :data:`INVALID_PATH`
_PATH_SHAPES = frozenset({"pathType"})
#: members the service reports in another order than the model lists them; the others
#: follow in model order (UpdateAccountPasswordPolicy with three values out of range:
#: minimumPasswordLength, passwordReusePrevention, maxPasswordAge, LocalStack's
#: AWS-validated recording of 2026)
_REPORT_FIRST: dict[str, tuple[str, ...]] = {
    "UpdateAccountPasswordPolicyRequest": (
        "MinimumPasswordLength",
        "PasswordReusePrevention",
        "MaxPasswordAge",
    ),
}

#: enums the service lists in another order than the model in its "enum value set"
#: messages; only shapes of the simulation operations (SimulateCustomPolicy /
#: SimulatePrincipalPolicy, recorded from AWS, 2026: context_bad_type,
#: exclude_type_bogus, exclude_inline_bad_type)
#: member patterns the service applies instead of the model's (recorded from AWS, 2026:
#: an inline-policy exclusion may name owners with a wildcard, ``policyName`` "*" is
#: refused with this pattern in the message; simulation.json principal_*_exclude_inline_*)
_MEMBER_PATTERNS: dict[tuple[str, str], str] = {
    ("InlinePolicyIdentifierType", "PolicyName"): r".*[\w+=,.@-]+.*",
    ("InlinePolicyIdentifierType", "AttachmentName"): r".*[\w+=,.@-]+.*",
}
_ENUM_ORDER: dict[str, tuple[str, ...]] = {
    "ContextKeyTypeEnum": (
        "binary",
        "ipList",
        "booleanList",
        "ip",
        "boolean",
        "numericList",
        "dateList",
        "numeric",
        "date",
        "stringList",
        "string",
        "binaryList",
    ),
    "PolicyIdentifierPolicyType": (
        "scp",
        "permission-boundary",
        "aws-managed",
        "inline",
        "user-managed",
        "rcp",
    ),
    "AttachmentType": ("user", "role", "group"),
}


_UNICODE_CLASS = re.compile(r"\\p\{([A-Z])\}")


@functools.cache
def compile_pattern(pattern: str) -> Callable[[str], bool]:
    """Compile a service-model (Java) regex into a full-match predicate.

    ``\\p{L}``-style Unicode classes, which Python's ``re`` lacks, are checked
    with :func:`unicodedata.category` (used by the tag key and value patterns).
    """
    categories = tuple(_UNICODE_CLASS.findall(pattern))
    if not categories:
        compiled = re.compile(pattern, re.ASCII)
        return lambda value: compiled.fullmatch(value) is not None
    rest = _UNICODE_CLASS.sub("", pattern)
    match = re.fullmatch(r"\[(.*)\]([*+])", rest)
    if match is None:  # pragma: no cover - no such pattern in the model
        raise NotImplementedError(pattern)
    others = re.compile(f"[{match.group(1)}]")

    def allowed(char: str) -> bool:
        return unicodedata.category(char)[0] in categories or others.fullmatch(char) is not None

    # ASCII text (the usual case) is checked by one regex of the ASCII
    # characters ``allowed`` accepts: the same answer, much faster.
    ascii_class = "".join(re.escape(chr(code)) for code in range(128) if allowed(chr(code)))
    ascii_match = re.compile(f"[{ascii_class}]{match.group(2)}").fullmatch

    def check(value: str) -> bool:
        if value.isascii():  # "" too: the quantifier says whether it may be empty
            return ascii_match(value) is not None
        return all(allowed(char) for char in value)

    return check


def _matcher(pattern: str) -> Callable[[str], object]:
    """Like :func:`compile_pattern`, but a plain ``fullmatch`` where it can be (faster)."""
    if _UNICODE_CLASS.search(pattern) is None:
        return re.compile(pattern, re.ASCII).fullmatch
    return compile_pattern(pattern)


def _string_checker(shape: _model.Shape, path: bool = False) -> Checker:
    low, high = shape.get("min"), shape.get("max")
    pattern = shape.get("pattern")
    matches = _matcher(pattern) if pattern else None
    enum = shape.get("enum")

    def check(value: Any, where: str, problems: Problems) -> Any:
        if not isinstance(value, str):
            _problem(problems, where, "must be a string")
            return value
        _bounds_problems(problems, where, len(value), low, high, "length")
        if matches is not None and not matches(value):
            if path:
                problems.append(_PATH_PROBLEM)
                return value
            _problem(problems, where, f"must satisfy regular expression pattern: {pattern}")
        if enum is not None and value not in enum:
            _problem(problems, where, f"must satisfy enum value set: [{', '.join(enum)}]")
        return value

    return check


#: The range of an ``integer`` member on the wire (a Java int); ``long`` is 64-bit.
_WIRE_BITS = {"integer": 32, "long": 64}


def _integer_checker(shape: _model.Shape) -> Checker:
    low, high = shape.get("min"), shape.get("max")
    limit = 1 << (_WIRE_BITS[shape["type"]] - 1)

    def check(value: Any, where: str, problems: Problems) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            _problem(problems, where, "must be an integer")
            return value
        if not -limit <= value < limit:  # the service cannot even read it (recorded, 2026)
            raise MalformedInput(f"Value for {where} is not a valid {shape['type']}.")
        _bounds_problems(problems, where, value, low, high, "value")
        return value

    return check


def _instance_checker(kind: type, rule: str) -> Checker:
    """A checker that only checks the value's type (booleans, timestamps)."""

    def check(value: Any, where: str, problems: Problems) -> Any:
        if not isinstance(value, kind):
            _problem(problems, where, rule)
        return value

    return check


def _boolean_checker(shape: _model.Shape) -> Checker:
    return _instance_checker(bool, "must be a boolean")


def _blob_checker(shape: _model.Shape) -> Checker:
    def check(value: Any, where: str, problems: Problems) -> Any:
        if isinstance(value, str):
            return value.encode("utf-8")
        if not isinstance(value, bytes | bytearray):
            _problem(problems, where, "must be bytes")
            return value
        return bytes(value)

    return check


def _timestamp_checker(shape: _model.Shape) -> Checker:
    return _instance_checker(datetime, "must be a timestamp")


def _member_constraints(shape: _model.Shape) -> str:
    """Every constraint of a list's string member, in AWS's order and wording (UntagPolicy,
    recorded 2026: ``[Member must have length less than or equal to 128, Member must have
    length greater than or equal to 1, Member must satisfy regular expression pattern: ...,
    Member must not be null]``)."""
    rules = []
    if shape.get("max") is not None:
        rules.append(f"Member must have length less than or equal to {shape['max']}")
    if shape.get("min") is not None:
        rules.append(f"Member must have length greater than or equal to {shape['min']}")
    if shape.get("pattern"):
        rules.append(f"Member must satisfy regular expression pattern: {shape['pattern']}")
    if shape.get("enum"):
        rules.append(f"Member must satisfy enum value set: [{', '.join(shape['enum'])}]")
    rules.append("Member must not be null")
    return f"must satisfy constraint: [{', '.join(rules)}]"


def _list_checker(shape: _model.Shape) -> Checker:
    low, high = shape.get("min"), shape.get("max")
    member = _checker(shape["member"])
    member_shape = _model.shape(shape["member"])
    # A list of strings reports a bad element once, for the whole list, naming all of the
    # element's constraints; a list of structures locates it (``tags.2.member.key``).
    scalar = member_shape["type"] == "string"
    member_rule = _member_constraints(member_shape) if scalar else ""

    def check(value: Any, where: str, problems: Problems) -> Any:
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, list | tuple):
            _problem(problems, where, "must be a list")
            return value
        _bounds_problems(problems, where, len(value), low, high, "length")
        if scalar:
            scratch: Problems = []
            items = tuple(member(item, where, scratch) for item in value)
            if scratch:
                _problem(problems, where, member_rule)
            return items
        return tuple(
            member(item, f"{where}.{index}.member", problems)
            for index, item in enumerate(value, start=1)
        )

    return check


def _map_checker(shape: _model.Shape) -> Checker:
    key_check, value_check = _checker(shape["key"]), _checker(shape["value"])

    def check(value: Any, where: str, problems: Problems) -> Any:
        if not isinstance(value, Mapping):
            _problem(problems, where, "must be a map")
            return value
        return {
            key_check(k, f"{where}.key", problems): value_check(v, f"{where}.value", problems)
            for k, v in value.items()
        }

    return check


def _rank(first: tuple[str, ...], name: str) -> int:
    return first.index(name) if name in first else 0


def _structure_checker(shape: _model.Shape, shape_name: str = "") -> Checker:
    members = shape["members"]
    required = set(shape.get("required", ()))
    checkers = {
        name: (
            _checker(ref["shape"])
            if (shape_name, name) not in _MEMBER_PATTERNS
            else _string_checker(
                {**_model.shape(ref["shape"]), "pattern": _MEMBER_PATTERNS[shape_name, name]}
            )
        )
        for name, ref in members.items()
    }
    known = set(members) | {ref["snake"] for ref in members.values()}
    # per member, worked out once: (name, snake_case, location, checker, required)
    first = _REPORT_FIRST.get(shape_name, ())
    ordered = sorted(
        members.items(), key=lambda item: (item[0] not in first, _rank(first, item[0]))
    )
    plan = [
        (name, ref["snake"], _location(name), checkers[name], name in required)
        for name, ref in ordered
    ]

    def check(value: Any, where: str, problems: Problems) -> Any:
        prefix = f"{where}." if where else ""
        out: dict[str, Any] = {}
        is_mapping = isinstance(value, Mapping)
        if is_mapping:
            unknown = [key for key in value if key not in known]
            if unknown:  # botocore's client refuses these too ("Unknown parameter in ...")
                _problem(
                    problems,
                    where,
                    f"must have only the members {', '.join(members)}, not {unknown[0]}",
                )
        elif not any(hasattr(value, ref["snake"]) for ref in members.values()):
            _problem(problems, where, "must be a structure")
            return value
        for name, snake, location, member_check, is_required in plan:
            # as _member_value: a boto3-style dict, a snake-case dict or an object
            item = value.get(name, value.get(snake)) if is_mapping else getattr(value, snake, None)
            if item is None:
                if is_required:
                    _problem(problems, prefix + location, "must not be null")
                continue
            out[snake] = member_check(item, prefix + location, problems)
        return out

    return check


def _member_value(value: Any, name: str, snake: str) -> Any:
    """Read a structure member given as a boto3-style dict, a snake-case dict or an object."""
    if isinstance(value, Mapping):
        return value.get(name, value.get(snake))
    return getattr(value, snake, None)


_BY_TYPE: dict[str, Callable[[_model.Shape], Checker]] = {
    "string": _string_checker,
    "integer": _integer_checker,
    "long": _integer_checker,
    "boolean": _boolean_checker,
    "blob": _blob_checker,
    "timestamp": _timestamp_checker,
    "list": _list_checker,
    "map": _map_checker,
    "structure": _structure_checker,
}


@functools.cache
def _checker(shape_name: str) -> Checker:
    shape = _model.shape(shape_name)
    if shape["type"] == "structure":
        return _structure_checker(shape, shape_name)
    if shape_name in _PATH_SHAPES:
        return _string_checker(shape, path=True)
    if shape_name in _ENUM_ORDER:  # the same values, in the service's message order
        assert set(_ENUM_ORDER[shape_name]) == set(shape["enum"])
        return _string_checker({**shape, "enum": list(_ENUM_ORDER[shape_name])})
    return _BY_TYPE[shape["type"]](shape)


@functools.cache
def _input_members(operation: str) -> tuple[str | None, frozenset[str]]:
    input_shape = _model.operation(operation)["input"]
    if input_shape is None:
        return None, frozenset()
    members = _model.shape(input_shape)["members"].values()
    return input_shape, frozenset(ref["snake"] for ref in members)


#: each operation's generated fast path (:mod:`iamcore._fastcheck`), compiled on its
#: first call; :class:`~iamcore.Account` calls them directly
FAST_CHECKS: dict[str, FastCheck] = {}


def fast_check(operation: str) -> FastCheck:
    """The generated fast path of ``operation``, compiled on first use."""
    fast = FAST_CHECKS.get(operation)
    if fast is None:
        fast = FAST_CHECKS[operation] = compile_fast_check(operation)
    return fast


def validate_input(operation: str, kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """Check ``kwargs`` (snake_case) against the input shape of ``operation``.

    Returns the arguments normalised (lists as tuples, nested structures as
    snake_case dicts, omitted optional members absent).  Raises
    :class:`ValidationError` listing every violated constraint, in AWS's
    message format, or for an argument the operation does not take.
    """
    fast = FAST_CHECKS.get(operation) or fast_check(operation)
    # The usual, valid call passes the generated fast path; anything wrong (or a
    # required member missing) goes the complete way, which reports every problem
    # in the service's order.
    result = fast(kwargs)
    if result is not None:
        return result
    return validate_fully(operation, kwargs)


def validate_fully(operation: str, kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The complete check: every problem, in the service's order and wording."""
    input_shape, allowed = _input_members(operation)
    unknown = sorted(set(kwargs) - allowed)
    if unknown:
        raise ValidationError(
            f"Unknown parameter for {operation}: {', '.join(unknown)}; "
            f"valid parameters are: {', '.join(sorted(allowed)) or 'none'}"
        )
    if input_shape is None:
        return {}
    problems: Problems = []
    result: dict[str, Any] = _checker(input_shape)(kwargs, "", problems)
    if _PATH_PROBLEM in problems:  # IAM checks the path itself, after the model constraints
        problems = [problem for problem in problems if problem != _PATH_PROBLEM]
        if not problems:
            raise ValidationError(INVALID_PATH)
    if problems:
        count = len(problems)
        noun = "error" if count == 1 else "errors"
        raise ValidationError(f"{count} validation {noun} detected: " + "; ".join(problems))
    return result
