"""The AWS CLI's output formats, for :mod:`iamcore.awscli`.

``--output text``, ``table`` and ``yaml``/``yaml-stream`` written by the rules
of the AWS CLI user guide ("Setting the AWS CLI output format"): text as
tab-separated lines sorted by key, the table with its title row, centred
headers and indented sections (vertical when wider than the terminal), YAML
in block style with YAML 1.2 quoting.  ``json`` is :func:`json.dumps` and
needs nothing here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

__all__ = ["format_table", "format_text", "format_yaml"]


# -- text output (AWS CLI "Text output format") ------------------------------------


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


def format_text(value: Any) -> str:
    """The AWS CLI's ``--output text`` of a (queried) response.

    A structure prints its scalar members on one tab-separated line, sorted
    by key, after the upper-cased key it is found under; its lists and
    structures follow, each under its own key.  A list of structures prints
    one line per item with the same columns (the union of the items' scalar
    keys, an empty field where an item lacks one).  A list of scalars prints
    on one line, or one line per value after the upper-cased key.  Scalars
    print as Python writes them (``True``, ``None``).
    """
    lines: list[str] = []
    _text_value(value, lines, None, None)
    return "".join(line + "\n" for line in lines)


def _text_value(value: Any, lines: list[str], key: str | None, columns: list[str] | None) -> None:
    if isinstance(value, dict):
        _text_dict(value, lines, key, columns)
    elif isinstance(value, list):
        _text_list(value, lines, key)
    else:
        lines.append(str(value))


def _text_list(items: list[Any], lines: list[str], key: str | None) -> None:
    if not items:
        return
    if any(isinstance(item, dict) for item in items):
        columns = sorted(
            {
                name
                for item in items
                if isinstance(item, dict)
                for name, member in item.items()
                if _is_scalar(member)
            }
        )
        for item in items:
            _text_value(item, lines, key, columns)
        return
    scalars = [item for item in items if _is_scalar(item)]
    nested = [item for item in items if not _is_scalar(item)]
    if scalars:
        if key is not None:
            lines.extend(f"{key.upper()}\t{item}" for item in scalars)
        else:
            lines.append("\t".join(str(item) for item in scalars))
    for item in nested:
        _text_value(item, lines, key, None)


def _text_dict(
    value: dict[str, Any], lines: list[str], key: str | None, columns: list[str] | None
) -> None:
    if columns is None:
        ordered = sorted(value.items())
        scalars = [str(member) for _, member in ordered if _is_scalar(member)]
        nested = [(name, member) for name, member in ordered if not _is_scalar(member)]
    else:
        scalars = [str(value.get(name, "")) for name in columns]
        nested = [(name, value[name]) for name in sorted(set(value) - set(columns))]
    if scalars:
        lines.append("\t".join(([key.upper()] if key is not None else []) + scalars))
    for name, member in nested:
        _text_value(member, lines, name, None)


# -- table output (AWS CLI "Table output format") ------------------------------------


def _width(text: str) -> int:
    """Display width: East Asian wide, full-width and ambiguous characters count 2."""
    return sum(2 if unicodedata.east_asian_width(char) in "WFA" else 1 for char in text)


def _center(text: str, length: int, left: str = "|", right: str = "|") -> str:
    start = length // 2 - _width(text) // 2 - 1
    so_far = len(left) + start + _width(text)
    return left + " " * start + text + " " * (length - len(right) - so_far) + right


def _align_left(text: str, length: int, left: str, right: str) -> str:
    padding = 2 if length - (_width(text) + 2 + len(left) + len(right)) >= 0 else 0
    so_far = len(left) + padding + _width(text)
    return left + " " * padding + text + " " * (length - so_far - len(right)) + right


class _Section:
    def __init__(self, title: str = "", indent: int = 0) -> None:
        self.title = title
        self.indent = indent
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self.widths: list[int] = []

    def _update(self, cells: list[str]) -> None:
        if not self.widths:
            self.widths = [_width(cell) for cell in cells]
        else:
            self.widths = [
                max(_width(cell), old) for cell, old in zip(cells, self.widths, strict=False)
            ]

    def add_header(self, headers: list[str]) -> None:
        self._update(headers)
        self.headers = headers

    def add_row(self, row: list[Any]) -> None:
        cells = [str(cell) for cell in row]
        self.rows.append(cells)
        self._update(cells)

    def column_widths(self, max_width: int | None = None) -> list[int]:
        widths = [width + 4 for width in self.widths]
        if max_width is None or not widths:
            return widths
        factor = max_width / float(sum(widths))
        scaled = [round(factor * width) for width in widths]
        off = sum(scaled) - max_width
        while off != 0:
            order = range(len(scaled)) if off > 0 else reversed(range(len(scaled)))
            for index in order:
                if off > 0:
                    scaled[index] -= 1
                    off -= 1
                else:
                    scaled[index] += 1
                    off += 1
                if off == 0:
                    break
        return scaled

    def total_width(self) -> int:
        total = sum(self.column_widths()) + 2 + 2 * self.indent
        return max(_width(self.title) + 2 + 2 * self.indent, total)


class _Table:
    """The AWS CLI's MultiTable: sections rendered one under the other, nested ones indented."""

    def __init__(self) -> None:
        self.sections: list[_Section] = []

    @property
    def current(self) -> _Section:
        return self.sections[-1]

    def new_section(self, title: str, indent: int = 0) -> None:
        self.sections.append(_Section(title, indent))

    def render(self, terminal_width: int) -> str:
        width = max(section.total_width() for section in self.sections)
        if width > terminal_width:  # too wide: one-row sections become key/value pairs
            for index, section in enumerate(self.sections):
                if len(section.rows) == 1 and section.headers:
                    vertical = _Section(section.title, section.indent)
                    for header, cell in zip(section.headers, section.rows[0], strict=False):
                        vertical.add_row([header, cell])
                    self.sections[index] = vertical
            width = max(section.total_width() for section in self.sections)
        lines = ["-" * width]
        for section in self.sections:
            inner = width - 2 * section.indent
            edge = "|" * section.indent
            lines.extend(edge + line + edge for line in self._section(section, inner))
        return "".join(line + "\n" for line in lines)

    @staticmethod
    def _rule(widths: list[int]) -> str:
        return "+" + "-" * (widths[0] - 2) + "+" + "".join("-" * (w - 1) + "+" for w in widths[1:])

    def _section(self, section: _Section, width: int) -> Iterator[str]:
        if section.title:
            yield _center(section.title, width)
            if not section.headers and not section.rows:
                yield "+" + "-" * (width - 2) + "+"
        widths = section.column_widths(width)
        if section.headers:
            yield self._rule(widths)
            yield "".join(
                _center(header, column, "|" if index == 0 else "", "|")
                for index, (column, header) in enumerate(
                    zip(widths, section.headers, strict=False)
                )
            )
        if section.rows and widths:
            yield self._rule(widths)
            for row in section.rows:
                yield "".join(
                    _align_left(cell, column, "|" if index == 0 else "", "|")
                    for index, (column, cell) in enumerate(zip(widths, row, strict=False))
                )
            yield self._rule(widths)


def _scalar_keys(value: dict[str, Any]) -> tuple[list[str], list[str]]:
    headers = sorted(key for key, member in value.items() if _is_scalar(member))
    more = sorted(key for key, member in value.items() if not _is_scalar(member))
    return headers, more


def _build_table(table: _Table, title: str | None, value: Any, indent: int = 0) -> bool:
    if not value:
        return False
    if title is not None:
        table.new_section(title, indent)
    if isinstance(value, list):
        if isinstance(value[0], dict):
            _table_from_list(table, value, indent, title)
        else:
            for item in value:
                if _is_scalar(item):
                    table.current.add_row([item])
                elif all(_is_scalar(element) for element in item):
                    table.current.add_row(list(item))
                else:
                    _build_table(table, None, item)
    if isinstance(value, dict):
        headers, more = _scalar_keys(value)
        if len(headers) == 1:
            table.current.add_row([headers[0], value[headers[0]]])
        elif headers:
            table.current.add_header(headers)
            table.current.add_row([value[key] for key in headers])
        for key in more:
            _build_table(table, key, value[key], indent + 1)
    return True


def _table_from_list(table: _Table, items: list[Any], indent: int, title: str | None) -> None:
    headers_set: set[str] = set()
    more_set: set[str] = set()
    for item in items:
        headers_of, more_of = _scalar_keys(item)
        headers_set.update(headers_of)
        more_set.update(more_of)
    headers, more = sorted(headers_set), sorted(more_set)
    table.current.add_header(headers)
    for position, item in enumerate(items):
        if position and more:
            table.new_section(title or "", indent)
            table.current.add_header(headers)
        table.current.add_row([item.get(header, "") for header in headers])
        for key in more:
            if key in item:
                _build_table(table, key, item[key], indent + 1)


def format_table(title: str, value: Any, terminal_width: int = 80) -> str:
    """The AWS CLI's ``--output table`` of a (queried) response titled ``title``.

    A title row (the operation's name), then one section per structure: its
    scalar members as centred column headers sorted by key over one row of
    values, or as a key/value row when there is one; a list of structures is
    one section with a row per item.  Nested lists and structures follow as
    sections indented with ``|``.  Columns share the widest section's width
    in proportion to their content.  A table wider than ``terminal_width``
    shows each one-row section vertically (key | value).  An empty response
    prints nothing.
    """
    table = _Table()
    if not _build_table(table, title, value):
        return ""
    return table.render(terminal_width)


# -- YAML output (AWS CLI "YAML output format") -------------------------------------

_YAML_INDICATORS = "#,[]{}&*!|>'\"%@`"
_YAML_IMPLICIT = re.compile(
    r"""(?x)
    (?:true|True|TRUE|false|False|FALSE)
    | (?:~|null|Null|NULL)
    | [-+]?0b[0-1_]+ | [-+]?0o?[0-7_]+ | [-+]?[0-9_]+ | [-+]?0x[0-9a-fA-F_]+
    | [-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?
    | [-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    | \.[0-9_]+(?:[eE][-+][0-9]+)?
    | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
    | [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
    | [0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]
      :[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?
    | <<
    | =
    """
)
_YAML_BREAKS = "\n\x85\u2028\u2029"
_YAML_ESCAPES = {
    "\0": "0",
    "\x07": "a",
    "\x08": "b",
    "\x09": "t",
    "\x0a": "n",
    "\x0b": "v",
    "\x0c": "f",
    "\x0d": "r",
    "\x1b": "e",
    '"': '"',
    "\\": "\\",
    "\x85": "N",
    "\xa0": "_",
    "\u2028": "L",
    "\u2029": "P",
}
_YAML_WIDTH = 80


def _printable(char: str) -> bool:
    code = ord(char)
    return (
        char == "\n"
        or 0x20 <= code <= 0x7E
        or code == 0x85
        or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    ) and code != 0xFEFF


def _yaml_style(text: str) -> str:
    """``""`` (plain), ``"'"`` or ``'"'``: the style a YAML emitter picks for a string."""
    if not text:
        return "'"
    if any(not _printable(char) for char in text):
        return '"'
    if _YAML_IMPLICIT.fullmatch(text):
        return "'"
    multiline = any(char in _YAML_BREAKS for char in text)
    plain = not multiline and text[0] != " " and text[-1] != " "
    if text.startswith(("---", "...")) and (len(text) == 3 or text[3] in " \t\n"):
        plain = False
    if text[0] in _YAML_INDICATORS or (
        text[0] in "?:-" and (len(text) == 1 or text[1] in " \t\n")
    ):
        plain = False
    if ": " in text or " #" in text or text.endswith(":"):
        plain = False
    if plain:
        return ""
    spaces_around_break = any(
        (text[index] == " " and text[index + 1] in _YAML_BREAKS)
        or (text[index] in _YAML_BREAKS and text[index + 1] == " ")
        for index in range(len(text) - 1)
    )
    return '"' if spaces_around_break else "'"


class _YamlWriter:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.column = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.column += len(text)

    def newline(self) -> None:
        self.parts.append("\n")
        self.column = 0

    def indent(self, indent: int) -> None:
        if self.column >= indent:
            self.newline()
        self.write(" " * (indent - self.column))

    def scalar(self, value: Any, indent: int, *, key: bool = False) -> None:
        """Write a scalar; ``indent`` is where its continuation lines start."""
        if value is None:
            self.write("null")
        elif value is True or value is False:
            self.write("true" if value else "false")
        elif isinstance(value, int | float):
            self.write(repr(value))
        else:
            self.string(str(value), indent, split=not key)

    def string(self, text: str, indent: int, *, split: bool) -> None:
        style = _yaml_style(text)
        if style == '"':
            escaped = "".join(
                "\\" + _YAML_ESCAPES[char]
                if char in _YAML_ESCAPES
                else char
                if _printable(char)
                else f"\\x{ord(char):02X}"
                if ord(char) <= 0xFF
                else f"\\u{ord(char):04X}"
                for char in text
            )
            self.write(f'"{escaped}"')
            return
        quoted = style == "'"
        if quoted:
            self.write("'")
        words = re.split(r"([ ]+|[\n\x85\u2028\u2029]+)", text)
        for index, word in enumerate(words):
            if not word:
                continue
            if word[0] == " ":
                last = index == len(words) - 1 or (index == len(words) - 2 and not words[-1])
                if (
                    len(word) == 1
                    and split
                    and self.column > _YAML_WIDTH
                    and index != 0
                    and not last
                ):
                    self.indent(indent)
                else:
                    self.write(word)
            elif word[0] in _YAML_BREAKS:
                if word[0] == "\n":
                    self.newline()
                for _ in word:
                    self.newline()
                self.write(" " * indent)
            else:
                self.write(word.replace("'", "''") if quoted else word)
        if quoted:
            self.write("'")

    def node(self, value: Any, indent: int) -> None:
        """Write a block node whose first line continues the current one."""
        if isinstance(value, dict) and value:
            for position, key in enumerate(sorted(value)):
                if position:
                    self.newline()
                    self.write(" " * indent)
                self.scalar(key, indent + 2, key=True)
                self.write(":")
                self.value(value[key], indent)
        elif isinstance(value, list) and value:
            for position, item in enumerate(value):
                if position:
                    self.newline()
                    self.write(" " * indent)
                self.write("- ")
                self.node(item, indent + 2)
        elif isinstance(value, dict):
            self.write("{}")
        elif isinstance(value, list):
            self.write("[]")
        else:
            self.scalar(value, indent)

    def value(self, value: Any, indent: int) -> None:
        """A mapping value: nested blocks on the next lines, scalars after ``key: ``."""
        if isinstance(value, dict) and value:
            self.newline()
            self.write(" " * (indent + 2))
            self.node(value, indent + 2)
        elif isinstance(value, list) and value:
            self.newline()
            self.write(" " * indent)
            self.node(value, indent)
        else:
            self.write(" ")
            self.node(value, indent + 2)


def format_yaml(value: Any) -> str:
    """``--output yaml``: block YAML as AWS CLI v2 writes it (ruamel.yaml, safe dumper).

    Mappings with their keys sorted, sequences not indented under their key
    (``Users:`` then ``- Arn: ...``), strings plain unless YAML 1.2 would read
    them as something else (timestamps, numbers, ``true``, ``null``: single
    quoted) or they need quoting (indicators, ``: ``, line breaks;
    double-quoted with escapes when they hold non-printable characters),
    long plain and single-quoted strings folded at spaces past column 80.
    A lone plain scalar is followed by the document end marker ``...``.
    """
    writer = _YamlWriter()
    writer.node(value, 0)
    text = "".join(writer.parts) + "\n"
    if _is_scalar(value) and not text.startswith(("'", '"')):
        text += "...\n"
    return text
