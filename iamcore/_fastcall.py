"""The generated call path of each :class:`~iamcore.account.Account` operation.

An Account method does three things on every call: it checks the arguments
against botocore's model, takes the account lock with the call's Context, and
runs the operation's rule.  :meth:`Account._run_complete` does them in the
plain way (the complete check, :meth:`Account._context`, the rule called with
the normalised arguments, authorization when a caller is set).

For the usual call (valid arguments, no caller, the system clock within the
last call's second) this module writes one function per operation that does
the same in one frame, as attrs writes ``__init__``:

- the fast check of :mod:`iamcore._fastcheck`, with each member left in a
  local variable instead of a new dict, and the count of members given a
  value standing for the check that no other key was passed;
- an absent optional member passed as the rule's own default (``None`` counts
  as absent, as in the complete check);
- the usual case of :meth:`Account._context` inlined;
- the rule called with every member as a keyword argument.

At the first doubt (a value the fast check declines, a caller whose calls
are authorized, a clock other than the system clock past the cached second)
it hands the call, untouched, to the complete path, so errors and results
are those of ``_run_complete``.  ``tests/test_fast_paths.py`` runs every
operation both ways and compares results, errors and account states.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from time import time as posix_time
from typing import TYPE_CHECKING, Any

from iamcore._fastcheck import _Writer, input_plan
from iamcore.clock import SystemClock

if TYPE_CHECKING:
    from iamcore.account import Account

__all__ = ["FastCall", "compile_fast_call"]

#: One operation's call: ``call(account, kwargs)`` returns what the rule returns.
FastCall = Callable[["Account", Mapping[str, Any]], Any]

_FAIL = "return complete(account, OPERATION, rule, kw)"


def compile_fast_call(
    operation: str,
    rule: Callable[..., Any],
    *,
    mutates: bool,
    complete: FastCall | Callable[..., Any],
    current_caller: Callable[[], str | None],
) -> FastCall:
    """Generate the call path of ``operation`` (see the module docstring).

    ``complete(account, operation, rule, kwargs)`` is the plain path the
    generated one hands doubtful calls to; ``current_caller()`` the calling
    user of this context, ``None`` for root.  Raises ``TypeError`` when
    ``rule`` does not take every member of the operation's input, or has no
    default for an optional one.
    """
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
    body: list[str] = []
    arguments: list[str] = []
    optional: list[str] = []  # counted at run time, in `given`, when given
    for snake, member_shape, shape_name, required in input_plan(operation):
        if snake not in parameters:
            raise TypeError(f"{rule.__qualname__} does not take {snake} ({operation})")
        var = f"a_{snake}"
        checks = writer.value(member_shape, shape_name, var, _FAIL)
        body.append(f"{var} = kw.get({snake!r})")
        if required:
            body.append(f"if {var} is None: {_FAIL}")
            body.extend(checks)
        else:
            default = parameters[snake].default
            if default is inspect.Parameter.empty:
                raise TypeError(f"{rule.__qualname__} has no default for {snake}")
            body.append(f"if {var} is None: {var} = {writer.bind('default', default)}")
            body.append("else:")
            body.extend("    " + line for line in [*checks, "given += 1"])
            optional.append(snake)
        arguments.append(f"{snake}={var}")
    required_count = len(arguments) - len(optional)
    body = [f"given = {required_count}", *body] if optional else body
    # every key is a member given a value (not None): else the complete path says which is not
    body.append(f"if len(kw) != {'given' if optional else required_count}: {_FAIL}")
    body += [
        f"if current_caller() is not None: {_FAIL}",  # authorized calls go the complete way
        # acquire/release rather than `with`: the same, without two special-method calls
        "lock = account._lock",
        "lock.acquire()",
        "try:",
        "    last = account._last_context",
        "    if (",
        "        last is not None",
        "        and account._clock.__class__ is SystemClock",
        "        and last[0] <= posix_time() < last[1]",
        "        and last[2].caller is None",
        "    ):",
        "        ctx = last[2]",
        "    else:",
        "        ctx = account._context()",
        f"    result = rule(account._state, ctx, {', '.join(arguments)})",
        *(["    account._state.version += 1"] if mutates else []),
        "    return result",
        "finally:",
        "    lock.release()",
    ]
    source = "\n\n".join(
        [*writer.functions, "def call(account, kw):\n" + "\n".join("    " + x for x in body)]
    )
    code = compile(source, f"<iamcore call {operation}>", "exec")
    exec(code, namespace)  # our own source, generated from the model
    call: FastCall = namespace["call"]
    return call
