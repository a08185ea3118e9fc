"""Shared helpers for iamcore's benchmarks against moto.

Every benchmark family (``bench_<family>.py``) runs the *same workload* on
five targets, in one process and one run, and reports per-call medians and
ratios between them:

================  ===========================================================
``native``        iamcore's native API (:class:`iamcore.Account`)
``mock``          boto3 answered by :func:`iamcore.mock.mock_iam`
``moto_backend``  moto's IAM backend object called directly
``moto_mock``     boto3 answered by moto's ``mock_aws``
``floor``         botocore's own floor: a ``before-call`` handler that returns
                  a canned ``(AWSResponse, parsed)`` at once, the lowest
                  possible per-call cost of any in-process boto3 mock
================  ===========================================================

A family describes its workload as a list of :class:`Phase` objects and, for
each target it supports, a *driver factory*: ``factory(n)`` is a context
manager that sets up a fresh, empty target and yields an object with one
method per phase.
:func:`run_family` does the timing (``time.perf_counter_ns``, or CPU time
with ``--clock cpu``; a warm-up, several repetitions, the median) and
:func:`table` builds the Markdown table of medians and ratios.

Figures are measured, never asserted: they vary with the machine and its
load, only the ratios within one run are meaningful.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python benchmarks/bench_x.py` from a checkout
    sys.path.insert(0, str(ROOT))

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"

#: Target keys, in table order, and their column labels.
TARGETS: dict[str, str] = {
    "native": "iamcore native",
    "moto_backend": "moto backend",
    "mock": "iamcore mock",
    "moto_mock": "moto mock_aws",
    "floor": "botocore floor",
}

#: The ratios every table shows: (label, numerator target, denominator target, target text).
RATIOS: tuple[tuple[str, str, str, str], ...] = (
    ("native / moto backend", "native", "moto_backend", "≤ 0.5"),
    ("moto mock_aws / iamcore mock", "moto_mock", "mock", "≥ 8"),
    ("iamcore mock / floor", "mock", "floor", "≤ 1.3"),
)

#: ``factory(n)`` sets up a fresh, empty target for a workload of ``n`` users.
DriverFactory = Callable[[int], contextlib.AbstractContextManager[Any]]


# -- command line ---------------------------------------------------------------


def parser(description: str, users: int = 5000) -> argparse.ArgumentParser:
    """The options every family takes (``users``: the family's default workload size)."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument(
        "--users", type=int, default=users, help=f"users in the workload (default {users})"
    )
    p.add_argument("--repeats", type=int, default=3, help="timed repetitions (default 3)")
    p.add_argument("--quick", action="store_true", help="small smoke run (200 users, 1 repeat)")
    p.add_argument(
        "--targets",
        default=",".join(TARGETS),
        help="comma-separated subset of: " + ", ".join(TARGETS),
    )
    p.add_argument("--markdown", type=Path, help="also write the Markdown tables to this file")
    p.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="wall",
        help="wall: time.perf_counter_ns (default); cpu: time.thread_time_ns, steadier "
        "when other processes load the machine",
    )
    return p


def parse(p: argparse.ArgumentParser, argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse and apply ``--quick``."""
    args = p.parse_args(argv)
    if args.quick:
        args.users = min(args.users, 200)
        args.repeats = 1
    CLOCK[0] = CLOCKS[args.clock]
    args.targets = [t for t in args.targets.split(",") if t]
    unknown = set(args.targets) - set(TARGETS)
    if unknown:
        p.error(f"unknown targets: {', '.join(sorted(unknown))}")
    return args


#: The clock phases are timed with: ``time.perf_counter_ns`` (wall time, the
#: default) or, with ``--clock cpu``, ``time.thread_time_ns`` (this thread's
#: CPU time: what the code costs, without the time other processes on a
#: loaded machine take the core away).
CLOCKS: dict[str, Callable[[], int]] = {"wall": time.perf_counter_ns, "cpu": time.thread_time_ns}
CLOCK: list[Callable[[], int]] = [time.perf_counter_ns]


def log(text: str) -> None:
    """Progress goes to stderr, so stdout is only the tables."""
    print(text, file=sys.stderr, flush=True)


# -- timing -----------------------------------------------------------------------


@dataclass
class Phase:
    """One step of a workload: call ``driver.<name>(item)`` for every item.

    ``unit`` says what one "call" is in the table (``"call"`` or e.g.
    ``"listing"`` for a full paginated listing that makes several calls).
    """

    name: str
    items: Callable[[int], list[Any]]
    unit: str = "call"
    label: str = ""
    #: False for an untimed step the workload needs (e.g. computing MFA codes)
    shown: bool = True

    @property
    def title(self) -> str:
        return self.label or self.name


@dataclass
class Timings:
    """Per-call nanoseconds: ``samples[target][phase]`` holds one value per repetition."""

    samples: dict[str, dict[str, list[float]]] = field(default_factory=dict)

    def add(self, target: str, phase: str, ns_per_call: float) -> None:
        self.samples.setdefault(target, {}).setdefault(phase, []).append(ns_per_call)

    def median_us(self, target: str, phase: str) -> float | None:
        values = self.samples.get(target, {}).get(phase)
        return statistics.median(values) / 1000 if values else None


def time_calls(call: Callable[[Any], Any], items: Sequence[Any]) -> float:
    """Call ``call(item)`` for each item; return the mean nanoseconds per call.

    The garbage collector stays on (as in real use), but a collection is run
    first so that earlier phases' garbage is not charged to this one.
    """
    gc.collect()
    clock = CLOCK[0]
    start = clock()
    for item in items:
        call(item)
    elapsed = clock() - start
    return elapsed / max(len(items), 1)


def run_phases(factory: DriverFactory, phases: Sequence[Phase], n: int) -> dict[str, float]:
    """Run every phase once on a fresh driver; return ns per call by phase."""
    result: dict[str, float] = {}
    with factory(n) as driver:
        for phase in phases:
            result[phase.name] = time_calls(getattr(driver, phase.name), phase.items(n))
    return result


def run_family(
    drivers: dict[str, DriverFactory],
    phases: Sequence[Phase],
    n: int,
    repeats: int,
    *,
    warmup: int | None = None,
    log: Callable[[str], None] | None = None,
) -> Timings:
    """Warm each target up on a small workload, then time ``repeats`` full runs.

    Repetitions are interleaved across targets (target A, B, … then again),
    so a burst of load on the shared machine hits every target alike.
    """
    log = log or globals()["log"]
    timings = Timings()
    small = warmup if warmup is not None else min(n, 100)
    for target, factory in drivers.items():
        log(f"  warm-up {TARGETS[target]} ({small} users)")
        run_phases(factory, phases, small)
    for rep in range(1, repeats + 1):
        for target, factory in drivers.items():
            started = time.perf_counter()
            for phase, ns in run_phases(factory, phases, n).items():
                timings.add(target, phase, ns)
            took = time.perf_counter() - started
            log(f"  repetition {rep}/{repeats} {TARGETS[target]}: {took:.1f}s")
    return timings


# -- the five targets ---------------------------------------------------------------


def boto3_client() -> Any:
    """A boto3 IAM client with fixed test credentials (no network is ever used)."""
    import boto3

    return boto3.client(
        "iam",
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def moto_backend() -> Any:
    """moto 5's IAM backend object for :data:`ACCOUNT_ID` (IAM is global: key ``"global"``)."""
    from moto.iam.models import iam_backends

    return iam_backends[ACCOUNT_ID]["global"]


@contextlib.contextmanager
def native_account(**options: Any) -> Iterator[Any]:
    """A fresh :class:`iamcore.Account` (by default system clock, ``os.urandom``)."""
    from iamcore import Account

    yield Account(ACCOUNT_ID, **options)


@contextlib.contextmanager
def iamcore_mock(**options: Any) -> Iterator[tuple[Any, Any]]:
    """``(account, client)``: a boto3 client answered by ``iamcore.mock.mock_iam``."""
    from iamcore import Account
    from iamcore.mock import mock_iam

    with mock_iam(Account(ACCOUNT_ID, **options)) as account:
        yield account, boto3_client()


@contextlib.contextmanager
def moto_fresh_backend() -> Iterator[Any]:
    """moto's IAM backend, reset to empty, called directly (no boto3, no HTTP, no XML)."""
    from moto.iam.models import iam_backends

    iam_backends.reset()
    try:
        yield moto_backend()
    finally:
        iam_backends.reset()


@contextlib.contextmanager
def moto_mock() -> Iterator[Any]:
    """A boto3 client answered by moto's ``mock_aws`` (fresh state)."""
    from moto import mock_aws

    with mock_aws():
        yield boto3_client()


def aws_response(status: int = 200) -> Any:
    """An ``AWSResponse`` like the one a mock hands botocore at ``before-call``."""
    from botocore.awsrequest import AWSResponse

    return AWSResponse("https://iam.amazonaws.com/", status, {}, None)


def response_metadata() -> dict[str, Any]:
    """A fixed ``ResponseMetadata``, as a canned response carries."""
    return {
        "RequestId": "00000000-0000-0000-0000-000000000000",
        "HTTPStatusCode": 200,
        "HTTPHeaders": {"x-amzn-requestid": "00000000-0000-0000-0000-000000000000"},
        "RetryAttempts": 0,
    }


@contextlib.contextmanager
def floor_client(
    answer: Callable[[str, dict[str, Any]], dict[str, Any]],
) -> Iterator[Any]:
    """A boto3 client whose ``before-call`` handler returns a canned response at once.

    ``answer(operation_name, query_params)`` returns the parsed dict (built
    ahead of time by the family, so the handler only looks it up).  This is
    botocore's own cost per call: parameter validation, endpoint resolution,
    request serialisation, the event system, and nothing else.
    """
    client = boto3_client()
    http = aws_response()

    def before_call(model: Any, params: dict[str, Any], **_: Any) -> tuple[Any, dict[str, Any]]:
        return http, answer(model.name, params["body"])

    client.meta.events.register_first("before-call.iam", before_call, unique_id="bench_floor")
    yield client


def now() -> datetime:
    """An aware UTC timestamp with whole seconds, as IAM reports them."""
    return datetime.now(UTC).replace(microsecond=0)


# -- reporting -------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "–"
    return f"{a / b:.2f}×"


def table(title: str, phases: Sequence[Phase], timings: Timings, targets: Iterable[str]) -> str:
    """A Markdown table: medians (µs per call) per target, then the ratios."""
    targets = [t for t in TARGETS if t in set(targets)]
    ratios = [r for r in RATIOS if r[1] in targets and r[2] in targets]
    head = ["operation", *(f"{TARGETS[t]} µs" for t in targets), *(r[0] for r in ratios)]
    lines = [
        f"### {title}",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|",
    ]
    for phase in phases:
        if not phase.shown:
            continue
        medians = {t: timings.median_us(t, phase.name) for t in targets}
        row = [f"{phase.title} (per {phase.unit})"]
        row += [_fmt(medians[t]) for t in targets]
        row += [_ratio(medians[r[1]], medians[r[2]]) for r in ratios]
        lines.append("| " + " | ".join(row) + " |")
    if ratios:
        lines.append("")
        lines.append(
            "Targets: " + "; ".join(f"{label} {goal}" for label, _, _, goal in ratios) + "."
        )
    return "\n".join(lines) + "\n"


def machine() -> str:
    """One Markdown paragraph describing where the figures come from."""
    import boto3
    import botocore

    try:
        import moto

        moto_version = moto.__version__
    except ImportError:  # pragma: no cover - the bench extra is missing
        moto_version = "not installed"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    clock = "CPU time (time.thread_time_ns)" if CLOCK[0] is time.thread_time_ns else "wall time"
    return (
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, load average {load} at start; "
        f"timed in {clock}; "
        f"Python {platform.python_version()} ({platform.python_implementation()}); "
        f"boto3 {boto3.__version__}, botocore {botocore.__version__}, moto {moto_version}.\n"
    )


def command(script: str, argv: Sequence[str] | None = None) -> str:
    """The command line that ran this benchmark, for the record (without ``--markdown``)."""
    given = list(sys.argv[1:] if argv is None else argv)
    if "--markdown" in given:
        index = given.index("--markdown")
        del given[index : index + 2]
    args = " ".join(given)
    return f"`python benchmarks/{script}{' ' + args if args else ''}`"


def emit(markdown: str, path: Path | None) -> None:
    """Print the Markdown and, when asked, write it to ``path``."""
    print(markdown)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(markdown, encoding="utf-8")
