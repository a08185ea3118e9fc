"""Policy documents: parse, validate and render the IAM JSON policy language.

Sources (IAM User Guide): "IAM JSON policy elements reference" (Version,
Id, Statement, Sid, Effect, Principal/NotPrincipal, Action/NotAction,
Resource/NotResource, Condition), "Grammar of the IAM JSON policy language"
and "IAM JSON policy elements: Condition operators".

A document is parsed once into frozen values in which every "string or list
of strings" element is a tuple, so a single string and a one-element list
are the same value.  Equality is semantic: it ignores the original text and
the statement positions, so ``parse_policy(doc.render()) == doc``.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from iamcore.errors import MalformedPolicyDocument
from iamcore.policy import conditions as _conditions
from iamcore.policy._json import JsonSyntaxError, Located, loads_located

__all__ = [
    "STATEMENT_ELEMENTS",
    "TOP_LEVEL_ELEMENTS",
    "VERSIONS",
    "Condition",
    "PolicyDocument",
    "PolicyKind",
    "Position",
    "Principal",
    "Statement",
    "non_whitespace_length",
    "parse_policy",
]

PolicyKind = Literal["identity", "boundary", "resource"]

#: The two policy language versions ("IAM JSON policy elements: Version").
VERSIONS = ("2012-10-17", "2008-10-17")

SYNTAX_ERROR = "Syntax errors in policy."

#: the elements a policy document and a statement may have
TOP_LEVEL_ELEMENTS = frozenset({"Version", "Id", "Statement"})
STATEMENT_ELEMENTS = frozenset(
    {
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
    }
)
_PRINCIPAL_TYPES = ("AWS", "Service", "Federated", "CanonicalUser")
_SID = re.compile(r"[0-9A-Za-z]*")
_WHITESPACE = re.compile(r"\s+")


def non_whitespace_length(text: str) -> int:
    """Policy size as IAM's quotas count it: characters other than whitespace.

    UG "IAM and AWS STS quotas": "IAM does not count white space when
    calculating the size of a policy against these limits."
    """
    return len(_WHITESPACE.sub("", text))


@attrs.frozen
class Position:
    """A 1-based line and column in the policy text (AWS ``Position``).

    The IAM policy simulator reports where a streaming JSON reader stands
    (Jackson's current location) around each statement:

    * ``EndPosition``: just after the statement's ``}``.
    * ``StartPosition``: where the reader stands just before it hands out the
      statement's ``{``, i.e. just after the preceding token: after the ``[``
      for the first statement of a ``Statement`` array, just after the
      previous statement's ``}`` for the others (so it equals the previous
      statement's ``EndPosition``; the ``,`` and whitespace are not counted),
      and just after the statement's own ``{`` when ``Statement`` is a single
      object (the reader consumes that ``{`` while reading ``"Statement":``).

    Columns count characters (a tab is one column); LF, CRLF and a lone CR
    each end a line.  The rule fits every real response found
    (tests/policy/test_positions.py cites them): the AWS CLI
    ``simulate-custom-policy`` example (1, 38)-(1, 167), AdministratorAccess
    (3, 17)-(8, 6), AmazonS3ReadOnlyAccess (3, 16)-(14, 4), and multi-statement
    policies whose later statements start where the previous one ended.
    """

    line: int
    column: int


@attrs.frozen
class Principal:
    """One principal of a ``Principal``/``NotPrincipal`` element.

    ``"Principal": "*"`` is stored as ``Principal("*", "*")``;
    ``{"AWS": ["a", "b"]}`` as two values of type ``"AWS"``.
    """

    type: str
    value: str


@attrs.frozen
class Condition:
    """One ``operator: {key: values}`` entry of a ``Condition`` block.

    The operator keeps its spelling (e.g. ``"ForAnyValue:StringLikeIfExists"``);
    the key keeps its case (keys match case-insensitively); values are
    strings (JSON numbers and booleans are rendered as JSON text).
    """

    operator: str
    key: str
    values: tuple[str, ...]


def _no_position() -> Position:
    return Position(0, 0)


@attrs.frozen
class Statement:
    """One policy statement (UG "IAM JSON policy elements: Statement").

    Exactly one of ``actions``/``not_actions`` and (except in resource
    policies) one of ``resources``/``not_resources`` is set; the others are
    ``None``.  ``start_position``/``end_position`` locate the statement in
    the original text as the simulator does (see :class:`Position`) and do not
    take part in equality.
    """

    effect: Literal["Allow", "Deny"]
    sid: str | None = None
    actions: tuple[str, ...] | None = None
    not_actions: tuple[str, ...] | None = None
    resources: tuple[str, ...] | None = None
    not_resources: tuple[str, ...] | None = None
    principals: tuple[Principal, ...] | None = None
    not_principals: tuple[Principal, ...] | None = None
    conditions: tuple[Condition, ...] = ()
    start_position: Position = attrs.field(factory=_no_position, eq=False)
    end_position: Position = attrs.field(factory=_no_position, eq=False)

    def to_json(self) -> dict[str, Any]:
        """The statement as a JSON-ready dict (canonical element order)."""
        result: dict[str, Any] = {}
        if self.sid is not None:
            result["Sid"] = self.sid
        result["Effect"] = self.effect
        for name, principals in (
            ("Principal", self.principals),
            ("NotPrincipal", self.not_principals),
        ):
            if principals is not None:
                result[name] = _render_principals(principals)
        for name, values in (
            ("Action", self.actions),
            ("NotAction", self.not_actions),
            ("Resource", self.resources),
            ("NotResource", self.not_resources),
        ):
            if values is not None:
                result[name] = list(values)
        if self.conditions:
            block: dict[str, dict[str, list[str]]] = {}
            for condition in self.conditions:
                block.setdefault(condition.operator, {})[condition.key] = list(condition.values)
            result["Condition"] = block
        return result


@attrs.frozen
class PolicyDocument:
    """A parsed policy (UG "IAM JSON policy elements reference").

    ``version`` is ``None`` when the document has no ``Version`` element:
    AWS then uses 2008-10-17 semantics, in which policy variables are plain
    text (UG "IAM JSON policy elements: Version").
    """

    version: str | None
    statements: tuple[Statement, ...]
    id: str | None = None
    text: str = attrs.field(default="", eq=False, repr=False)
    # The evaluator's compiled form, filled in on first use (iamcore.policy.evaluation).
    _compiled: Any = attrs.field(default=None, init=False, eq=False, repr=False)

    @property
    def substitutes_variables(self) -> bool:
        """Whether ``${...}`` policy variables are replaced (Version 2012-10-17 only)."""
        return self.version == "2012-10-17"

    def to_json(self) -> dict[str, Any]:
        """The document as a JSON-ready dict."""
        result: dict[str, Any] = {}
        if self.version is not None:
            result["Version"] = self.version
        if self.id is not None:
            result["Id"] = self.id
        result["Statement"] = [statement.to_json() for statement in self.statements]
        return result

    def render(self) -> str:
        """Canonical JSON text of the document; ``parse_policy(d.render()) == d``."""
        return json.dumps(self.to_json(), indent=2)


def _render_principals(principals: tuple[Principal, ...]) -> str | dict[str, list[str]]:
    if principals == (Principal("*", "*"),):
        return "*"
    grouped: dict[str, list[str]] = {}
    for principal in principals:
        grouped.setdefault(principal.type, []).append(principal.value)
    return grouped


# --------------------------------------------------------------------------------------
# Parsing
#
# IAM checks a document in phases, and the first failing phase decides the
# message.  The phases and texts below reproduce the answers IAM gives
# (AWS's messages, as captured in public test suites of IAM emulators against
# the real service, e.g. moto's tests/test_iam/test_iam_policies.py):
#
#  1. "Syntax errors in policy." – not a JSON object; unknown top-level or
#     statement element; Version other than 2008-10-17/2012-10-17; no or an
#     empty Statement; wrong element types; Effect not allow/deny in any case;
#     both Action and NotAction (or Resource and NotResource); an unknown
#     condition operator with a non-empty block.
#  2. "Policy document must be version 2012-10-17 or greater." – managed
#     policies only (CreatePolicy, CreatePolicyVersion).
#  3. Principal rules per policy kind.
#  4. "The policy failed legacy parsing" – Effect not exactly Allow/Deny;
#     a date condition value that is not a date; a malformed ARN.
#  5. SIDs: alphanumeric (IAM policies), unique.
#  6. "Policy statement must contain actions."
#  7. The first malformed Resource (ARN format, partition, vendor, region).
#  8. "Policy statement must contain resources." (identity and boundary).
#  9. Action names: a vendor prefix, a single colon, a valid vendor.
#  (8 before 9: AWS answers {"Effect": "Allow", "Action": "invalid"} with the missing
#  resources, LocalStack's AWS-validated recording of 2026.)


def parse_policy(
    text: str, *, kind: PolicyKind = "identity", managed: bool = False
) -> PolicyDocument:
    """Parse and validate policy JSON as IAM does (CreatePolicy, PutUserPolicy, …).

    Args:
        text: the policy JSON.
        kind: ``"identity"`` and ``"boundary"`` policies may not name a
            principal ("Policy document should not specify a principal.")
            and need a Resource element; ``"resource"`` policies must name
            one ("Missing required field Principal") and may omit Resource.
        managed: the document of a managed policy (CreatePolicy,
            CreatePolicyVersion), which must declare Version 2012-10-17.
            Inline policies may omit Version; variables are then literal text.

    Raises:
        MalformedPolicyDocument: with AWS's message (see the phases above).
    """
    try:
        data = loads_located(text)
    except (JsonSyntaxError, RecursionError):
        raise MalformedPolicyDocument(SYNTAX_ERROR) from None
    raw_statements = _check_structure(data)
    if managed and data.get("Version") != "2012-10-17":
        raise MalformedPolicyDocument("Policy document must be version 2012-10-17 or greater.")
    _check_principal_presence(raw_statements, kind)
    resource_error = _legacy_checks(raw_statements)
    _check_sids(raw_statements, kind)
    for raw in raw_statements:
        if not _strings_of(raw, "Action") and not _strings_of(raw, "NotAction"):
            raise MalformedPolicyDocument("Policy statement must contain actions.")
    if resource_error is not None:
        raise MalformedPolicyDocument(resource_error)
    if kind != "resource":
        for raw in raw_statements:
            if not _strings_of(raw, "Resource") and not _strings_of(raw, "NotResource"):
                raise MalformedPolicyDocument("Policy statement must contain resources.")
    for raw in raw_statements:
        for action in _strings_of(raw, "Action") + _strings_of(raw, "NotAction"):
            _check_action_name(action)
    lines = _LineIndex(text)
    statements = tuple(_build_statement(raw, lines) for raw in raw_statements)
    return PolicyDocument(
        version=data.get("Version"), statements=statements, id=data.get("Id"), text=text
    )


class _LineIndex:
    """Offset → 1-based (line, column); LF, CRLF and a lone CR each end a line."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\r\n?|\n", text)]

    def position(self, offset: int) -> Position:
        line = bisect.bisect_right(self.starts, offset)
        return Position(line, offset - self.starts[line - 1] + 1)


def _syntax(condition: bool) -> None:
    if not condition:
        raise MalformedPolicyDocument(SYNTAX_ERROR)


def _is_strings(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(v, str) for v in value)
    )


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float) and value is not None


def _check_structure(data: Any) -> list[Located]:
    """Phase 1: the grammar ("Syntax errors in policy.")."""
    _syntax(isinstance(data, Located) and set(data) <= TOP_LEVEL_ELEMENTS)
    _syntax(data.get("Version", VERSIONS[0]) in VERSIONS)
    _syntax(isinstance(data.get("Id", ""), str))
    raw = data.get("Statement")
    statements = [raw] if isinstance(raw, Located) else raw
    _syntax(isinstance(statements, list) and len(statements) > 0)
    for statement in statements:
        _check_statement_structure(statement)
    return statements


def _check_statement_structure(statement: Any) -> None:
    _syntax(isinstance(statement, Located) and set(statement) <= STATEMENT_ELEMENTS)
    for first, second in (
        ("Action", "NotAction"),
        ("Resource", "NotResource"),
        ("Principal", "NotPrincipal"),
    ):
        _syntax(not (first in statement and second in statement))
    effect = statement.get("Effect")
    _syntax(isinstance(effect, str) and effect.lower() in ("allow", "deny"))
    for element in ("Action", "NotAction", "Resource", "NotResource"):
        _syntax(element not in statement or _is_strings(statement[element]))
    _syntax(isinstance(statement.get("Sid", ""), str))
    for element in ("Principal", "NotPrincipal"):
        if element in statement:
            _check_principal_structure(statement[element])
    if "Condition" in statement:
        _check_condition_structure(statement["Condition"])


def _check_principal_structure(value: Any) -> None:
    if value == "*":
        return
    _syntax(isinstance(value, Located) and len(value) > 0)
    for principal_type, values in value.items():
        _syntax(principal_type in _PRINCIPAL_TYPES and _is_strings(values) and values != [])


def _check_condition_structure(block: Any) -> None:
    _syntax(isinstance(block, Located))
    for operator, entries in block.items():
        _syntax(isinstance(entries, Located))
        for values in entries.values():
            if isinstance(values, list):
                _syntax(all(_is_scalar(v) for v in values))
            else:
                _syntax(_is_scalar(values))
        # An unknown operator is tolerated only with an empty block.
        _syntax(not entries or _conditions.is_known_operator(operator))


def _check_principal_presence(statements: list[Located], kind: PolicyKind) -> None:
    """Phase 3: identity and boundary policies have no principal; resource policies need one."""
    for statement in statements:
        has_principal = "Principal" in statement or "NotPrincipal" in statement
        if kind != "resource" and has_principal:
            raise MalformedPolicyDocument("Policy document should not specify a principal.")
        if kind == "resource" and not has_principal:
            raise MalformedPolicyDocument("Missing required field Principal")


def _strings_of(statement: Located, element: str) -> list[str]:
    value = statement.get(element)
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _legacy_checks(statements: list[Located]) -> str | None:
    """Phase 4 ("The policy failed legacy parsing"); returns the first Resource format error.

    A Resource entry with a format error (phase 7) is not legacy-parsed.
    """
    for statement in statements:
        if statement["Effect"] not in ("Allow", "Deny"):  # case-sensitive here
            raise MalformedPolicyDocument(LEGACY_ERROR)
        for operator, entries in statement.get("Condition", {}).items():
            parsed = _conditions.parse_operator(operator)
            if parsed is None or parsed.family not in _conditions.DATE_FAMILIES:
                continue
            for values in entries.values():
                for value in values if isinstance(values, list) else [values]:
                    if not _is_date_value(value):
                        raise MalformedPolicyDocument(LEGACY_ERROR)
    first_error: str | None = None
    for statement in statements:
        for element in ("Resource", "NotResource"):
            resources = _strings_of(statement, element)
            errors = [e for e in map(_resource_format_error, sorted(resources)) if e]
            if errors:
                first_error = first_error or errors[0]
            elif first_error is None and any(_fails_legacy_arn(r) for r in resources):
                raise MalformedPolicyDocument(LEGACY_ERROR)
    return first_error


_MAX_LONG = 2**63 - 1


def _is_date_value(value: Any) -> bool:
    if isinstance(value, str):
        return _conditions.parse_date(value) is not None
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _MAX_LONG


LEGACY_ERROR = "The policy failed legacy parsing"


def _fails_legacy_arn(resource: str) -> bool:
    """An ARN the legacy parser refuses: too few segments around an empty one, or no service."""
    if resource in ("*", ""):
        return False
    parts = resource.split(":")
    if resource.count(":") < 5 and "::" in resource:
        return True
    return len(parts) > 2 and parts[2] == ""


_IAM_RESOURCE_PREFIXES = (
    "user/",
    "federated-user/",
    "role/",
    "group/",
    "instance-profile/",
    "mfa/",
    "server-certificate/",
    "policy/",
    "sms-mfa/",
    "saml-provider/",
    "oidc-provider/",
    "report/",
    "access-report/",
)


def _resource_format_error(resource: str) -> str | None:
    """Phase 7: AWS's message for a malformed Resource entry, or ``None``."""
    if resource == "*":
        return None
    parts = resource.split(":")
    if len(parts) == 1:
        return f'Resource {resource} must be in ARN format or "*".'
    partition, rest = parts[1], parts[2:]
    if partition != "aws":
        # IAM shows the entry as an ARN with the missing segments as "*".
        shown = [
            rest[0] if rest and (rest[0] != "" or len(rest) > 1) else "*",
            rest[1] if len(rest) > 1 else "*",
            rest[2] if len(rest) > 2 else "*",
            ":".join(rest[3:]) if len(rest) > 3 else "*",
        ]
        return (
            f'Partition "{partition}" is not valid for resource '
            f'"arn:{partition}:{":".join(shown)}".'
        )
    if not rest or "*" in rest[0] or "?" in rest[0]:
        return "Resource vendor must be fully qualified and cannot contain regexes."
    service = rest[0]
    if len(rest) > 1 and rest[1] != "":
        if service == "iam":
            return f"IAM resource {resource} cannot contain region information."
        # bucket and object ARNs have no region (nor account); regional S3 resources,
        # such as access points, carry both, and AWS accepts them (LS recording, 2026)
        if service == "s3" and (len(rest) < 3 or rest[2] == ""):
            return f"Resource {resource} can not contain region information."
    if service == "iam" and len(rest) > 3:
        path = ":".join(rest[3:])
        literal = re.split(r"[*?$]", path, maxsplit=1)[0]
        if path != "root" and not any(
            p.startswith(literal) or literal.startswith(p) for p in _IAM_RESOURCE_PREFIXES
        ):
            return (
                'IAM resource path must either be "*", root, or start with '
                + ", ".join(_IAM_RESOURCE_PREFIXES)
                + "."
            )
    return None


def _check_sids(statements: list[Located], kind: PolicyKind) -> None:
    """Phase 5: SIDs are alphanumeric in IAM policies (UG "Sid") and unique."""
    seen: set[str] = set()
    for statement in statements:
        sid = statement.get("Sid")
        if not sid:
            continue
        if kind != "resource" and not _SID.fullmatch(sid):
            raise MalformedPolicyDocument(
                "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies "
                "the regular expression [0-9A-Za-z]*"
            )
        if sid in seen:
            raise MalformedPolicyDocument("Statement IDs (SID) in a single policy must be unique.")
        seen.add(sid)


_VENDOR = re.compile(r"[A-Za-z0-9.-]*")


def _check_action_name(action: str) -> None:
    """Phase 8: ``vendor:action``, one colon, a vendor of letters, digits, ``.`` and ``-``."""
    parts = action.split(":")
    if len(parts) == 1 and action != "*":
        raise MalformedPolicyDocument(
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
        )
    if len(parts) > 2:
        raise MalformedPolicyDocument("Actions/Condition can contain only one colon.")
    vendor = parts[0]
    if vendor != "*" and ("*" in vendor or "?" in vendor):  # "s*:Get*" (recorded, 2026)
        raise MalformedPolicyDocument(
            "Action vendors (e.g., aws, ec2, etc.) must not contain wildcards."
        )
    if vendor != "*" and not _VENDOR.fullmatch(vendor):
        raise MalformedPolicyDocument(f"Vendor {vendor} is not valid")


def _build_statement(raw: Located, lines: _LineIndex) -> Statement:
    def strings(element: str) -> tuple[str, ...] | None:
        return tuple(_strings_of(raw, element)) if element in raw else None

    return Statement(
        effect=raw["Effect"],
        sid=raw.get("Sid"),
        actions=strings("Action"),
        not_actions=strings("NotAction"),
        resources=strings("Resource"),
        not_resources=strings("NotResource"),
        principals=_principals(raw["Principal"]) if "Principal" in raw else None,
        not_principals=_principals(raw["NotPrincipal"]) if "NotPrincipal" in raw else None,
        conditions=_build_conditions(raw.get("Condition", {})),
        # The simulator's JSON reader location before the statement's "{" is
        # handed out, and after its "}" is consumed (see Position).
        start_position=lines.position(raw.lead),
        end_position=lines.position(raw.end + 1),
    )


def _principals(value: Any) -> tuple[Principal, ...]:
    if value == "*":
        return (Principal("*", "*"),)
    result: list[Principal] = []
    for principal_type, values in value.items():
        for item in [values] if isinstance(values, str) else values:
            result.append(Principal(principal_type, item))
    return tuple(result)


def _condition_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def _build_conditions(block: Mapping[str, Any]) -> tuple[Condition, ...]:
    result: list[Condition] = []
    for operator, entries in block.items():
        if not entries:  # an empty block constrains nothing
            continue
        for key, values in entries.items():
            raw_values = values if isinstance(values, list) else [values]
            result.append(Condition(operator, key, tuple(_condition_value(v) for v in raw_values)))
    return tuple(result)
