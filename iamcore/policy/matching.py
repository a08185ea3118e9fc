"""Wildcard matching of actions, resource ARNs and condition values.

Rules (IAM User Guide):

* "IAM JSON policy elements: Action": action names are case-insensitive;
  ``*`` matches any run of characters and ``?`` any single character
  (``iam:Get*``, ``s3:*Object``, ``*``).
* "IAM JSON policy elements: Resource": ARNs are case-sensitive.  Wildcards
  work "within the individual segments of an ARN (the parts separated by
  colons)"; a ``*`` that is the last character of a segment "can expand to
  match beyond the colon boundaries", and ``*`` expands over ``/``; in the
  resource path (after the first ``/`` of the resource component) a ``*``
  also matches colons (recorded from AWS, 2026).
  ``"Resource": "*"`` matches every resource.
* "IAM JSON policy elements: Condition operators" (ARN operators): "Each of
  the six colon-delimited components of the ARN is checked separately and
  each can include multi-character match wildcards (*) or single-character
  match wildcards (?)."

Every pattern is compiled to a regular expression once (``functools.cache``).
"""

from __future__ import annotations

import functools
import re

from iamcore.policy.variables import LITERAL_QUESTION, LITERAL_STAR

__all__ = [
    "action_matches",
    "arn_like",
    "compile_resource_pattern",
    "compile_wildcard",
    "resource_matches",
    "service_of",
    "wildcard_matches",
]


def _wildcard_body(pattern: str, star: str, question: str) -> str:
    parts: list[str] = []
    for char in pattern:
        if char == "*":
            parts.append(star)
        elif char == "?":
            parts.append(question)
        elif char == LITERAL_STAR:
            parts.append(r"\*")
        elif char == LITERAL_QUESTION:
            parts.append(r"\?")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


@functools.cache
def compile_wildcard(pattern: str, *, ignore_case: bool = False) -> re.Pattern[str]:
    """``*`` → any run of characters, ``?`` → one character; the rest literal (full match)."""
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile(_wildcard_body(pattern, ".*", "."), flags)


def wildcard_matches(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    """Whether ``value`` matches the wildcard ``pattern`` as a whole."""
    if pattern == "*":
        return True
    return compile_wildcard(pattern, ignore_case=ignore_case).fullmatch(value) is not None


def action_matches(pattern: str, action: str) -> bool:
    """Whether an ``Action`` entry matches a ``service:Action`` name (case-insensitive)."""
    return wildcard_matches(pattern, action, ignore_case=True)


def service_of(action: str) -> str:
    """The lower-case service prefix of ``service:action`` (``""`` when there is none)."""
    service, sep, _ = action.partition(":")
    return service.lower() if sep else ""


@functools.cache
def compile_resource_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a ``Resource`` ARN pattern segment by segment.

    Inside a colon-separated segment ``*`` and ``?`` do not cross a colon,
    except a ``*`` that ends its segment, which may ("IAM JSON policy
    elements: Resource", "Using wildcards in resource ARNs").  In the
    resource path -- the part of the resource component (after the fifth
    colon) from its first ``/`` on -- a ``*`` matches any characters, colons
    included: ``arn:aws:s3:::b/folder/*/object`` matches
    ``arn:aws:s3:::b/folder/a:b/object`` (recorded from AWS, 2026, policy
    simulator).  ``?`` still matches one character other than a colon.
    """
    segments = pattern.split(":")
    compiled: list[str] = []
    in_path = False
    for index, segment in enumerate(segments):
        if in_path:
            compiled.append(_wildcard_body(segment, ".*", "[^:]"))
            continue
        head, tail = segment, ""
        if index >= 5 and "/" in segment:
            cut = segment.index("/")
            head, tail = segment[:cut], segment[cut:]
            in_path = True
        if head.endswith("*") and not tail:
            body = _wildcard_body(head[:-1], "[^:]*", "[^:]") + ".*"
        else:
            body = _wildcard_body(head, "[^:]*", "[^:]")
        compiled.append(body + _wildcard_body(tail, ".*", "[^:]"))
    return re.compile(":".join(compiled), re.DOTALL)


def resource_matches(pattern: str, resource: str) -> bool:
    """Whether a ``Resource`` entry matches a resource ARN (case-sensitive)."""
    if pattern == "*":
        return True
    return compile_resource_pattern(pattern).fullmatch(resource) is not None


@functools.cache
def _arn_segment_patterns(pattern: str) -> tuple[re.Pattern[str], ...] | None:
    parts = pattern.split(":", 5)
    if len(parts) != 6:
        return None
    return tuple(compile_wildcard(part) for part in parts)


def arn_like(pattern: str, value: str) -> bool:
    """``ArnLike``/``ArnEquals``: the six ARN components compared one by one, case-sensitively.

    A value or pattern with fewer than six components matches nothing
    (except the pattern ``*``, which matches every ARN).
    """
    if pattern == "*":
        return len(value.split(":", 5)) == 6
    patterns = _arn_segment_patterns(pattern)
    parts = value.split(":", 5)
    if patterns is None or len(parts) != 6:
        return False
    return all(p.fullmatch(part) is not None for p, part in zip(patterns, parts, strict=True))
