"""The fast path of input validation, generated per operation from the service model.

:func:`iamcore.validation.validate_input` checks every parameter against
botocore's model.  Its complete check walks the shapes with one checker call
per value and collects every problem, in the service's order and wording.
Nearly every call is valid, though, and for a valid call only one answer
matters: the normalised arguments.  So for each operation this module writes
one straight-line Python function (as attrs writes ``__init__``) that tests
each member in place (class, length bounds, pattern, enum, list sizes, nested
structures) and returns the normalised arguments, or ``None`` at the first
doubt: a wrong value, a ``str`` subclass, a mapping that is not a ``dict``.
``None`` sends the call down the complete check, which raises (or, for the
odd valid value the fast path declines, returns the same arguments).
``tests/test_fast_paths.py`` checks that both give the same answer for every
operation.

A generated function only reads the model (patterns compiled once); it has
no state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from iamcore import _model

__all__ = ["FastCheck", "InputMember", "compile_fast_check", "input_plan"]

#: One operation's fast path: the normalised arguments of a valid call, or ``None``.
FastCheck = Callable[[Mapping[str, Any]], "dict[str, Any] | None"]


class _Writer:
    """Writes the source of one operation's fast path and the names it uses."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {}
        self.functions: list[str] = []
        self._structures: dict[str, str] = {}  # shape name -> function name
        self._count = 0

    def bind(self, prefix: str, value: object) -> str:
        """Put ``value`` in the generated code's namespace under a fresh name."""
        self._count += 1
        name = f"{prefix}{self._count}"
        self.namespace[name] = value
        return name

    def value(
        self, shape: _model.Shape, shape_name: str, var: str, fail: str = "return None"
    ) -> list[str]:
        """Lines that test ``var`` against ``shape`` and leave it normalised in ``var``
        (each failed test runs ``fail``)."""
        kind = shape["type"]
        if kind == "string":
            return self._string(shape, var, fail)
        if kind in ("integer", "long"):
            lines = [f"if {var}.__class__ is not int: {fail}"]  # bool is not int here
            if shape.get("min") is not None:
                lines.append(f"if {var} < {int(shape['min'])}: {fail}")
            if shape.get("max") is not None:
                lines.append(f"if {var} > {int(shape['max'])}: {fail}")
            return lines
        if kind == "boolean":
            return [f"if {var}.__class__ is not bool: {fail}"]
        if kind == "list":
            return self._list(shape, var, fail)
        if kind == "structure":
            function = self.structure(shape, shape_name)
            return [f"{var} = {function}({var})", f"if {var} is None: {fail}"]
        return self._delegate(shape, var, fail)

    def _string(self, shape: _model.Shape, var: str, fail: str) -> list[str]:
        from iamcore import validation

        lines = [f"if {var}.__class__ is not str: {fail}"]
        low, high = shape.get("min"), shape.get("max")
        if low:
            lines.append(f"if len({var}) < {int(low)}: {fail}")
        if high is not None:
            lines.append(f"if len({var}) > {int(high)}: {fail}")
        if shape.get("pattern"):
            matches = self.bind("match", validation._matcher(shape["pattern"]))
            lines.append(f"if not {matches}({var}): {fail}")
        if shape.get("enum"):
            enum = self.bind("enum", frozenset(shape["enum"]))
            lines.append(f"if {var} not in {enum}: {fail}")
        return lines

    def _list(self, shape: _model.Shape, var: str, fail: str) -> list[str]:
        lines = [f"if {var}.__class__ is not list and {var}.__class__ is not tuple: {fail}"]
        if shape.get("min"):
            lines.append(f"if len({var}) < {int(shape['min'])}: {fail}")
        if shape.get("max") is not None:
            lines.append(f"if len({var}) > {int(shape['max'])}: {fail}")
        member = _model.shape(shape["member"])
        if member["type"] == "string":
            item = f"{var}_item"
            lines.append(f"for {item} in {var}:")
            lines.extend("    " + line for line in self._string(member, item, fail))
            lines.append(f"{var} = tuple({var})")
        elif member["type"] == "structure":
            function = self.structure(member, shape["member"])
            lines.append(f"{var} = tuple(map({function}, {var}))")
            lines.append(f"if None in {var}: {fail}")
        else:
            return self._delegate(shape, var, fail)
        return lines

    def _delegate(self, shape: _model.Shape, var: str, fail: str) -> list[str]:
        """Maps, blobs and timestamps: the complete check's own checker, problems dropped."""
        from iamcore import validation

        check = self.bind("check", validation._BY_TYPE[shape["type"]](shape))
        return ["p = []", f"{var} = {check}({var}, '', p)", f"if p: {fail}"]

    def structure(self, shape: _model.Shape, shape_name: str) -> str:
        """The name of a generated function that checks one nested structure given as a
        ``dict`` with boto3 (``Key``) or snake_case (``key``) member names."""

        if shape_name in self._structures:
            return self._structures[shape_name]
        function = self._structures[shape_name] = f"structure_{len(self._structures)}"
        names = frozenset(shape["members"])
        known = self.bind("known", names | {ref["snake"] for ref in shape["members"].values()})
        lines = [
            f"def {function}(v):",
            "    if v.__class__ is not dict: return None",
            f"    if not v.keys() <= {known}: return None",
            "    out = {}",
        ]
        required = set(shape.get("required", ()))
        for name, ref in shape["members"].items():
            snake = ref["snake"]
            # as the complete check reads a member: value.get(name, value.get(snake))
            lines.append(f"    m = v[{name!r}] if {name!r} in v else v.get({snake!r})")
            body = self.value(_model.shape(ref["shape"]), ref["shape"], "m")
            lines.extend(_member(body, f"out[{snake!r}] = m", name in required))
        lines.append("    return out")
        self.functions.append("\n".join(lines))
        return function


def _member(body: list[str], assign: str, required: bool) -> list[str]:
    """A member's tests and assignment: skipped when it is absent, unless it is required."""
    if required:
        return ["    if m is None: return None", *("    " + line for line in [*body, assign])]
    return ["    if m is not None:", *("        " + line for line in [*body, assign])]


#: One member of an operation's input: (snake_case name, its shape as checked, the
#: shape's name, required?)
InputMember = tuple[str, _model.Shape, str, bool]


def input_plan(operation: str) -> list[InputMember]:
    """The members of ``operation``'s input in model order, as the generated code checks
    them."""
    input_shape = _model.operation(operation)["input"]
    if input_shape is None:
        return []
    shape = _model.shape(input_shape)
    required = set(shape.get("required", ()))
    return [
        (
            ref["snake"],
            _model.shape(ref["shape"]),
            ref["shape"],
            name in required,
        )
        for name, ref in shape["members"].items()
    ]


def compile_fast_check(operation: str) -> FastCheck:
    """Generate the fast path of ``operation`` (see the module docstring)."""
    from iamcore import validation

    _, allowed = validation._input_members(operation)
    writer = _Writer()
    top = [
        "def fast(kw):",
        f"    if not kw.keys() <= {writer.bind('allowed', allowed)}: return None",
    ]
    top.append("    out = {}")
    for snake, member_shape, shape_name, required in input_plan(operation):
        top.append(f"    m = kw.get({snake!r})")
        body = writer.value(member_shape, shape_name, "m")
        top.extend(_member(body, f"out[{snake!r}] = m", required))
    top.append("    return out")
    source = "\n\n".join([*writer.functions, "\n".join(top)])
    code = compile(source, f"<iamcore fast check {operation}>", "exec")
    exec(code, writer.namespace)  # our own source, generated from the model
    fast: FastCheck = writer.namespace["fast"]
    return fast
