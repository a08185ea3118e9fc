"""The generated body of each :class:`~iamcore.account.Account` operation method.

An Account operation does three things on every call: it checks the
arguments against botocore's model, takes the account lock with the call's
Context, and runs the operation's rule.  :meth:`Account._run_complete` does
them in the plain way (the complete check, :meth:`Account._context`, the
rule called with the normalised arguments, authorization when a caller is
set).

For the usual call (valid arguments, no caller, the system clock within the
last call's second) this module writes the method itself, once per
operation, as attrs writes ``__init__``:

- the input's members are the method's keyword-only parameters (default
  ``None``, which counts as absent, as in the complete check), so no dict of
  arguments is built, and any other keyword lands in ``**_extra``;
- the fast check of :mod:`iamcore._fastcheck`, with each checked value in a
  local variable;
- an absent optional member passed as the rule's own default;
- the usual case of :meth:`Account._context` inlined;
- the rule called with every member as a keyword argument.

At the first doubt (another keyword, a value the fast check declines, a
caller whose calls are authorized, a clock other than the system clock past
the cached second) it hands the call to the complete path with the keywords
as given (those given ``None`` left out, as the complete check ignores
them), so errors and results are those of ``_run_complete``.
``tests/test_fast_paths.py`` runs every operation both ways and compares
results, errors and account states.
"""

from __future__ import annotations

import functools
import inspect
import linecache
from collections.abc import Callable
from time import time as posix_time
from typing import Any

from iamcore._fastcheck import _Writer, input_plan
from iamcore.clock import SystemClock

__all__ = ["compile_method"]

#: names the generated method uses for itself; no member of any input is named so
_LOCALS = frozenset({"self", "p", "given"})


def compile_method(
    operation: str,
    rule: Callable[..., Any],
    declaration: Callable[..., Any],
    *,
    mutates: bool,
    complete: Callable[..., Any],
    current_caller: Callable[[], str | None],
) -> Callable[..., Any]:
    """Generate the Account method of ``operation`` (see the module docstring).

    ``declaration`` is the method as declared (signature and docstring; the
    result wraps it, as :func:`functools.wraps` does); ``complete(account,
    operation, rule, kwargs)`` is the plain path the generated one hands
    doubtful calls to; ``current_caller()`` the calling user of this context,
    ``None`` for root.  Raises ``TypeError`` when ``rule`` does not take every
    member of the operation's input, or has no default for an optional one.
    """
    plan = input_plan(operation)
    takes_members = any(
        p.kind is p.VAR_KEYWORD for p in inspect.signature(declaration).parameters.values()
    )
    if plan and not takes_members:
        raise TypeError(f"{declaration.__qualname__} takes no arguments, but {operation} does")
    parameters = inspect.signature(rule).parameters
    writer = _Writer()
    namespace = writer.namespace
    namespace.update(
        OPERATION=operation,
        rule=rule,
        complete=complete,
        current_caller=current_caller,
        SystemClock=SystemClock,
        posix_time=posix_time,
    )
    snakes = [snake for snake, _, _, _ in plan]
    if takes_members:  # the keywords as given go to the complete path
        fail = f"return complete(self, OPERATION, rule, given(_extra, {', '.join(snakes)}))"
    else:
        fail = "return complete(self, OPERATION, rule, {})"
    body: list[str] = ["if _extra: " + fail] if takes_members else []
    arguments: list[str] = []
    for snake, member_shape, shape_name, required in plan:
        if snake not in parameters:
            raise TypeError(f"{rule.__qualname__} does not take {snake} ({operation})")
        if snake in _LOCALS or snake in namespace or snake.startswith(("a_", "_")):
            raise TypeError(f"{operation} member {snake} clashes with a generated name")
        var = f"a_{snake}"
        checks = [f"{var} = {snake}", *writer.value(member_shape, shape_name, var, fail)]
        if required:
            body.append(f"if {snake} is None: {fail}")
            body.extend(checks)
        else:
            default = parameters[snake].default
            if default is inspect.Parameter.empty:
                raise TypeError(f"{rule.__qualname__} has no default for {snake}")
            body.append(f"if {snake} is None: {var} = {writer.bind('default', default)}")
            body.append("else:")
            body.extend("    " + line for line in checks)
        arguments.append(f"{snake}={var}")
    body += [
        f"if current_caller() is not None: {fail}",  # authorized calls go the complete way
        *_locked_call(arguments, mutates),
    ]
    functions = list(writer.functions)
    if takes_members:
        functions.append(_given_function(snakes))
        signature = ", ".join(
            ["self", *(["*", *(f"{s}=None" for s in snakes)] if snakes else []), "**_extra"]
        )
    else:
        signature = "self"
    name = declaration.__name__
    source = "\n\n".join(
        [
            *functions,
            f"def {name}({signature}):\n" + "\n".join("    " + line for line in body),
        ]
    )
    filename = f"<iamcore call {operation}>"
    code = compile(source, filename, "exec")
    # as attrs does for its generated methods: tracebacks then show the generated lines
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(code, namespace)  # our own source, generated from the model
    method: Callable[..., Any] = functools.wraps(declaration)(namespace[name])
    return method


def _locked_call(arguments: list[str], mutates: bool) -> list[str]:
    """Lines that run the rule under the account lock with the call's Context: the
    usual case of :meth:`Account._context` inlined (system clock, same second, no
    caller), and a new state version for a call that may change the account."""
    return [
        # acquire/release rather than `with`: the same, without two special-method calls
        "_lock = self._lock",
        "_lock.acquire()",
        "try:",
        "    _last = self._last_context",
        "    if (",
        "        _last is not None",
        "        and self._clock.__class__ is SystemClock",
        "        and _last[0] <= posix_time() < _last[1]",
        "        and _last[2].caller is None",
        "    ):",
        "        _ctx = _last[2]",
        "    else:",
        "        _ctx = self._context()",
        f"    _result = rule(self._state, _ctx, {', '.join(arguments)})",
        *(["    self._state.version += 1"] if mutates else []),
        "    return _result",
        "finally:",
        "    _lock.release()",
    ]


def _given_function(snakes: list[str]) -> str:
    """The source of ``given(extra, *members)``: the keywords as the caller gave them, for
    the complete path (a member given ``None`` is absent there too)."""
    return "\n".join(
        [
            f"def given(extra, {', '.join(snakes)}):",
            "    kw = dict(extra)",
            *(f"    if {s} is not None: kw[{s!r}] = {s}" for s in snakes),
            "    return kw",
        ]
    )
