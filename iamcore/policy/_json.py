"""A strict JSON reader that remembers where each object starts and ends.

AWS's policy simulator reports, for every matched statement, where the
statement stands in the policy text (``Statement.StartPosition`` /
``EndPosition``, 1-based).  Its numbers are those of a streaming JSON reader's
*current location* (Jackson's ``getCurrentLocation()``), so besides each
object's braces this reader records :attr:`Located.lead`, the offset that
reader stands at just before it hands out the object's ``{``; see
:class:`iamcore.policy.document.Position` for the rule and its sources.
:mod:`json` does not expose positions, so policy text is read with this small
recursive-descent reader (RFC 8259: no comments, no trailing commas, no
NaN/Infinity).  String and number scanning reuse :mod:`json`'s own scanners.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, cast

__all__ = ["JsonSyntaxError", "Located", "loads_located"]

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_scanstring = cast(
    Callable[[str, int, bool], tuple[str, int]],
    json.decoder.scanstring,  # type: ignore[attr-defined]
)


class JsonSyntaxError(ValueError):
    """The text is not one JSON value."""


class Located(dict[str, Any]):
    """A JSON object (a ``dict``) that also knows its 0-based ``start``/``end`` offsets.

    ``end`` is the offset of the closing ``}``.  ``lead`` is the offset just
    after the last character a streaming reader has consumed when it hands out
    this object's ``{`` token: for an array element, just after the ``[``
    (first element) or just after the previous element (the ``,`` and any
    whitespace are not yet read); for a member value, just after the ``{``
    itself (the reader consumes the value's first character while it reads
    the key and ``:``).  ``duplicate_keys`` lists keys that appeared more than
    once (the last occurrence wins, as in :mod:`json`).
    """

    __slots__ = ("duplicate_keys", "end", "lead", "start")

    def __init__(self, start: int) -> None:
        super().__init__()
        self.start = start
        self.end = start
        self.lead = start + 1
        self.duplicate_keys: list[str] = []


def loads_located(text: str) -> Any:
    """Parse ``text`` as one JSON value; objects come back as :class:`Located`."""
    reader = _Reader(text)
    pos = reader.skip(0)
    value, pos = reader.value(pos)
    pos = reader.skip(pos)
    if pos != len(text):
        raise JsonSyntaxError(f"extra data at offset {pos}")
    return value


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.depth = 0

    def skip(self, pos: int) -> int:
        match = _WS.match(self.text, pos)
        assert match is not None
        return match.end()

    def value(self, pos: int) -> tuple[Any, int]:
        text = self.text
        if pos >= len(text):
            raise JsonSyntaxError("unexpected end of text")
        char = text[pos]
        if char == "{":
            return self.object(pos)
        if char == "[":
            return self.array(pos)
        if char == '"':
            return self.string(pos)
        for literal, result in (("true", True), ("false", False), ("null", None)):
            if text.startswith(literal, pos):
                return result, pos + len(literal)
        match = _NUMBER.match(text, pos)
        if match is None:
            raise JsonSyntaxError(f"unexpected character at offset {pos}")
        number = match.group()
        if match.group(1) or match.group(2):
            return float(number), match.end()
        return int(number), match.end()

    def string(self, pos: int) -> tuple[str, int]:
        try:
            return _scanstring(self.text, pos + 1, True)
        except json.JSONDecodeError as exc:
            raise JsonSyntaxError(str(exc)) from None

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > 200:
            raise JsonSyntaxError("too deeply nested")

    def object(self, start: int) -> tuple[Located, int]:
        self._enter()
        result = Located(start)
        pos = self.skip(start + 1)
        if self.text.startswith("}", pos):
            result.end = pos
            self.depth -= 1
            return result, pos + 1
        while True:
            if not self.text.startswith('"', pos):
                raise JsonSyntaxError(f"expected a key at offset {pos}")
            key, pos = self.string(pos)
            pos = self.skip(pos)
            if not self.text.startswith(":", pos):
                raise JsonSyntaxError(f"expected ':' at offset {pos}")
            value, pos = self.value(self.skip(pos + 1))
            if key in result:
                result.duplicate_keys.append(key)
            result[key] = value
            pos = self.skip(pos)
            if self.text.startswith(",", pos):
                pos = self.skip(pos + 1)
                continue
            if self.text.startswith("}", pos):
                result.end = pos
                self.depth -= 1
                return result, pos + 1
            raise JsonSyntaxError(f"expected ',' or '}}' at offset {pos}")

    def array(self, start: int) -> tuple[list[Any], int]:
        self._enter()
        result: list[Any] = []
        pos = self.skip(start + 1)
        if self.text.startswith("]", pos):
            self.depth -= 1
            return result, pos + 1
        lead = start + 1
        while True:
            value, pos = self.value(pos)
            if isinstance(value, Located):
                value.lead = lead
            lead = pos
            result.append(value)
            pos = self.skip(pos)
            if self.text.startswith(",", pos):
                pos = self.skip(pos + 1)
                continue
            if self.text.startswith("]", pos):
                self.depth -= 1
                return result, pos + 1
            raise JsonSyntaxError(f"expected ',' or ']' at offset {pos}")
