"""Policy variables: ``${aws:username}``, ``${aws:PrincipalTag/team, 'default'}``, ``${*}``.

Rules (UG "IAM policy elements: Variables and tags"):

* Variables are replaced only when the policy's ``Version`` is
  ``2012-10-17``; otherwise "variables like ``${aws:username}`` are treated
  as literal strings in the policy".
* They may be used "in the ``Resource`` element, but only in the resource
  portion of the ARN" (after the fifth colon), and in condition values of
  the string and ARN operators only — not with ``Numeric``, ``Date``,
  ``Bool``, ``Binary``, IP address or ``Null`` operators.
* ``${*}``, ``${?}`` and ``${$}`` stand for a literal ``*``, ``?`` and ``$``.
* A default value is written in single quotes after a comma and space:
  ``${aws:userid, 'anonymous'}``.
* Key names are case-insensitive.  A key that is "not present" in the
  request: "any attempt to match it fails and causes the statement to be
  invalid" — iamcore raises :class:`Unresolved`, and the evaluator then
  treats the statement as not applying (neither its Allow nor its Deny).

Substituted text is literal: its ``*`` and ``?`` are not wildcards.  To keep
that distinction inside an ordinary string, :func:`substitute` writes literal
``*``/``?`` as the private-use characters :data:`LITERAL_STAR` and
:data:`LITERAL_QUESTION`, which the wildcard compilers in
:mod:`iamcore.policy.matching` treat as plain characters.  (Policy text is
limited to U+0009–U+00FF by the IAM API, so these never occur in a policy.)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

__all__ = [
    "LITERAL_QUESTION",
    "LITERAL_STAR",
    "Unresolved",
    "has_variables",
    "referenced_keys",
    "split_resource",
    "substitute",
    "unprotect",
]

LITERAL_STAR = "\ue000"
LITERAL_QUESTION = "\ue001"
_ESCAPES = {"*": LITERAL_STAR, "?": LITERAL_QUESTION, "$": "$"}
_UNPROTECT = str.maketrans({LITERAL_STAR: "*", LITERAL_QUESTION: "?"})
_PROTECT = str.maketrans({"*": LITERAL_STAR, "?": LITERAL_QUESTION})

# ${key} or ${key, 'default'}; the key may not contain '}' or ','.
_VARIABLE = re.compile(r"\$\{\s*([^},']+?)\s*(?:,\s*'([^']*)'\s*)?\}")


class Unresolved(LookupError):
    """A policy variable has no value in the request and no default."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def has_variables(text: str) -> bool:
    """Whether ``text`` contains a ``${...}`` variable or escape."""
    return "${" in text


@functools.cache
def _parts(text: str) -> tuple[tuple[str, str | None, str | None], ...]:
    """``text`` as (literal, key, default) triples; key ``None`` ends the text."""
    result: list[tuple[str, str | None, str | None]] = []
    pos = 0
    for match in _VARIABLE.finditer(text):
        result.append((text[pos : match.start()], match.group(1), match.group(2)))
        pos = match.end()
    result.append((text[pos:], None, None))
    return tuple(result)


def referenced_keys(text: str) -> Iterator[str]:
    """The context keys a text refers to through variables (escapes excluded)."""
    for _, key, _ in _parts(text):
        if key is not None and key not in _ESCAPES:
            yield key


def substitute(text: str, lookup: Callable[[str], str | None]) -> str:
    """Replace the variables of ``text`` using ``lookup(key)``.

    Substituted values (and ``${*}``/``${?}``) come out protected: their
    ``*``/``?`` are :data:`LITERAL_STAR`/:data:`LITERAL_QUESTION`.

    Raises:
        Unresolved: a variable has no value and no default.
    """
    if "${" not in text:
        return text
    out: list[str] = []
    for literal, key, default in _parts(text):
        out.append(literal)
        if key is None:
            continue
        if key in _ESCAPES:
            out.append(_ESCAPES[key])
            continue
        value = lookup(key)
        if value is None:
            value = default
        if value is None:
            raise Unresolved(key)
        out.append(value.translate(_PROTECT))
    return "".join(out)


def unprotect(text: str) -> str:
    """Turn protected literal ``*``/``?`` back into ordinary characters."""
    return text.translate(_UNPROTECT)


def split_resource(pattern: str) -> tuple[str, str]:
    """Split a Resource ARN into (the first five segments with their colons, the resource part).

    Only the resource part (after the fifth colon) takes variables.
    """
    parts = pattern.split(":", 5)
    if len(parts) < 6:
        return pattern, ""
    head = ":".join(parts[:5]) + ":"
    return head, parts[5]
