"""Credential report workload: iamcore vs moto, in one run.

    python benchmarks/bench_report.py            # 5,000 users (the AWS quota), 3 repetitions
    python benchmarks/bench_report.py --quick    # 200 users, 1 repetition (smoke run)

The account (built untimed): N users; every other user has an access key,
every third a console password.  One timed "report" is what a client does
to read a fresh report: GenerateCredentialReport (a new report starts),
GenerateCredentialReport again (it is complete), GetCredentialReport, and
the CSV in hand (iamcore native: ``content``; boto3: ``Content`` bytes).

iamcore caches a report for four hours, as AWS does, so each repetition
moves the account's clock past that window first.  moto has no cache: its
GetCredentialReport builds the CSV on every call (and has no root row).

The second table times iamcore's report alone (native, generate + get) at
N/5, N/2 and N users (median of at least 5 reports each) and shows the cost
per user, to show the cost grows linearly.
"""

from __future__ import annotations

import contextlib
import gc
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from common import ACCOUNT_ID, TARGETS

PASSWORD = "Correct-Horse-Battery-42!"
REPORT_TARGETS = ("native", "moto_backend", "mock", "moto_mock")


def name(i: int) -> str:
    return f"user-{i:05d}"


# -- building the account (untimed) ---------------------------------------------------


def build_iamcore(account: Any, n: int) -> None:
    """N users, a key for every other one, a console password for every third."""
    from iamcore.testing import FAST_SCRYPT

    account.password_hash_cost = FAST_SCRYPT  # password hashing is not what is measured
    for i in range(n):
        account.create_user(user_name=name(i))
        if i % 2 == 0:
            account.create_access_key(user_name=name(i))
        if i % 3 == 0:
            account.create_login_profile(user_name=name(i), password=PASSWORD)


def build_moto(backend: Any, n: int) -> None:
    """The same account in moto's backend."""
    for i in range(n):
        backend.create_user(region_name="us-east-1", user_name=name(i), path="/", tags=[])
        if i % 2 == 0:
            backend.create_access_key(name(i))
        if i % 3 == 0:
            backend.create_login_profile(name(i), PASSWORD)


# -- one report per target -------------------------------------------------------------


@contextlib.contextmanager
def native(n: int) -> Iterator[Callable[[], int]]:
    from iamcore import Account
    from iamcore.testing import FixedClock

    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    account = Account(ACCOUNT_ID, clock=clock)
    build_iamcore(account, n)

    def report() -> int:
        clock.advance(timedelta(hours=4, seconds=1))  # past the cache: a new report
        account.generate_credential_report()
        account.generate_credential_report()
        return len(account.get_credential_report().content)

    yield report


@contextlib.contextmanager
def mock(n: int) -> Iterator[Callable[[], int]]:
    from iamcore import Account
    from iamcore.mock import mock_iam
    from iamcore.testing import FixedClock

    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    account = Account(ACCOUNT_ID, clock=clock)
    build_iamcore(account, n)
    with mock_iam(account):
        client = common.boto3_client()

        def report() -> int:
            clock.advance(timedelta(hours=4, seconds=1))
            client.generate_credential_report()
            client.generate_credential_report()
            return len(client.get_credential_report()["Content"])

        yield report


@contextlib.contextmanager
def moto_backend(n: int) -> Iterator[Callable[[], int]]:
    with common.moto_fresh_backend() as backend:
        build_moto(backend, n)

        def report() -> int:
            backend.generate_report()
            backend.generate_report()
            return len(backend.get_credential_report().encode("utf-8"))

        yield report


@contextlib.contextmanager
def moto_mock(n: int) -> Iterator[Callable[[], int]]:
    with common.moto_mock() as client:
        build_moto(common.moto_backend(), n)

        def report() -> int:
            client.generate_credential_report()
            client.generate_credential_report()
            return len(client.get_credential_report()["Content"])

        yield report


FACTORIES: dict[str, Callable[[int], contextlib.AbstractContextManager[Callable[[], int]]]] = {
    "native": native,
    "moto_backend": moto_backend,
    "mock": mock,
    "moto_mock": moto_mock,
}


def time_report(report: Callable[[], int]) -> float:
    """Seconds for one report."""
    gc.collect()
    start = time.perf_counter()
    report()
    return time.perf_counter() - start


def compare(n: int, repeats: int, targets: list[str]) -> dict[str, float]:
    """Median seconds per report for each target, interleaving repetitions."""
    samples: dict[str, list[float]] = {target: [] for target in targets}
    for target in targets:  # warm-up on a small account
        with FACTORIES[target](50) as report:
            report()
    for rep in range(1, repeats + 1):
        for target in targets:
            common.log(f"  repetition {rep}/{repeats} {TARGETS[target]} ({n} users)")
            with FACTORIES[target](n) as report:
                samples[target].append(time_report(report))
    return {target: statistics.median(values) for target, values in samples.items()}


def scaling(sizes: list[int], repeats: int) -> dict[int, float]:
    """Median seconds per native report (generate + get) at each size."""
    result: dict[int, float] = {}
    for size in sizes:
        common.log(f"  scaling: {size} users")
        with native(size) as report:
            report()  # warm
            result[size] = statistics.median(time_report(report) for _ in range(repeats))
    return result


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def comparison_table(n: int, medians: dict[str, float]) -> str:
    head = [f"{TARGETS[t]} ms" for t in medians]
    ratios = []
    if "native" in medians and "moto_backend" in medians:
        ratios.append(("moto backend / native", medians["moto_backend"] / medians["native"]))
    if "mock" in medians and "moto_mock" in medians:
        ratios.append(("moto mock_aws / iamcore mock", medians["moto_mock"] / medians["mock"]))
    lines = [
        f"### Credential report for {n:,} users (generate, generate, get)",
        "",
        "| " + " | ".join(["operation", *head, *(label for label, _ in ratios)]) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(head) + len(ratios))) + "|",
        "| "
        + " | ".join(
            ["one fresh report", *(_ms(v) for v in medians.values())]
            + [f"{value:.1f}×" for _, value in ratios]
        )
        + " |",
    ]
    return "\n".join(lines) + "\n"


def scaling_table(result: dict[int, float]) -> str:
    lines = [
        "### iamcore report cost by account size (native)",
        "",
        "| users | ms per report | µs per user |",
        "|---:|---:|---:|",
    ]
    for size, seconds in result.items():
        lines.append(f"| {size:,} | {_ms(seconds)} | {seconds / size * 1e6:.1f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = common.parser(__doc__.splitlines()[0] if __doc__ else "credential report")
    args = common.parse(parser, argv)
    targets = [t for t in REPORT_TARGETS if t in args.targets]
    n = args.users
    common.log(f"credential report, {n} users, {args.repeats} repetitions")
    medians = compare(n, args.repeats, targets)
    sizes = sorted({max(n // 5, 1), max(n // 2, 1), n})
    markdown = "\n".join(
        [
            comparison_table(n, medians),
            scaling_table(scaling(sizes, max(args.repeats, 5))),
            common.machine(),
        ]
    )
    common.emit(markdown, args.markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
