"""Users workload: iamcore vs moto, five targets, one run.

    python benchmarks/bench_users.py            # 5,000 users (the AWS quota), 3 repetitions
    python benchmarks/bench_users.py --quick    # 200 users, 1 repetition (smoke run)

The workload, on a fresh target each repetition: create N users spread over
five paths, get each one, list each path prefix with ``MaxItems=100`` until
``IsTruncated`` is false, tag each user (two tags), rename each user
(``UpdateUser NewUserName``) and delete each one.  Then the cost of one full
paginated listing of every user (``PathPrefix="/"``) at N/5, N/2 and N users,
to show how it grows.

moto never paginates ListUsers (it ignores ``MaxItems`` and answers every
user with ``IsTruncated`` false), so one moto "listing" is a single call that
returns all the users, where iamcore and the floor make N/100 calls.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from common import ACCOUNT_ID, REGION, TARGETS, Phase

PATHS = ("/engineering/", "/sales/", "/operations/", "/finance/", "/support/")
TAGS = [{"Key": "team", "Value": "platform"}, {"Key": "cost-center", "Value": "4242"}]
PAGE = 100


def name(i: int) -> str:
    return f"user-{i:05d}"


def renamed(i: int) -> str:
    return f"renamed-{i:05d}"


PHASES = [
    Phase(
        "create",
        lambda n: [(name(i), PATHS[i % len(PATHS)]) for i in range(n)],
        label="CreateUser",
    ),
    Phase("get", lambda n: [name(i) for i in range(n)], label="GetUser"),
    Phase(
        "list",
        lambda n: list(PATHS),
        unit="path prefix",
        label="ListUsers, all pages of one path prefix",
    ),
    Phase("tag", lambda n: [name(i) for i in range(n)], label="TagUser (2 tags)"),
    Phase(
        "rename",
        lambda n: [(name(i), renamed(i)) for i in range(n)],
        label="UpdateUser NewUserName",
    ),
    Phase("delete", lambda n: [renamed(i) for i in range(n)], label="DeleteUser"),
]


# -- drivers -----------------------------------------------------------------------


class Native:
    """iamcore's native API."""

    def __init__(self, account: Any) -> None:
        self.account = account

    def create(self, item: tuple[str, str]) -> None:
        self.account.create_user(user_name=item[0], path=item[1])

    def get(self, user: str) -> None:
        self.account.get_user(user_name=user)

    def list(self, prefix: str) -> int:
        count, marker = 0, None
        while True:
            kwargs: dict[str, Any] = {"path_prefix": prefix, "max_items": PAGE}
            if marker is not None:
                kwargs["marker"] = marker
            page = self.account.list_users(**kwargs)
            count += len(page.users)
            if not page.is_truncated:
                return count
            marker = page.marker

    def tag(self, user: str) -> None:
        self.account.tag_user(user_name=user, tags=TAGS)

    def rename(self, item: tuple[str, str]) -> None:
        self.account.update_user(user_name=item[0], new_user_name=item[1])

    def delete(self, user: str) -> None:
        self.account.delete_user(user_name=user)


class MotoBackend:
    """moto's IAM backend object, called directly (its own Python API)."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend

    def create(self, item: tuple[str, str]) -> None:
        self.backend.create_user(REGION, user_name=item[0], path=item[1])

    def get(self, user: str) -> None:
        self.backend.get_user(user)

    def list(self, prefix: str) -> int:
        # moto's backend has no pagination: one call returns every match
        return len(list(self.backend.list_users(prefix, None, PAGE)))

    def tag(self, user: str) -> None:
        self.backend.tag_user(user, TAGS)

    def rename(self, item: tuple[str, str]) -> None:
        self.backend.update_user(item[0], None, item[1])

    def delete(self, user: str) -> None:
        self.backend.delete_user(user)


class Boto3:
    """A boto3 IAM client (answered by iamcore's mock, moto's mock_aws or the floor)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def create(self, item: tuple[str, str]) -> None:
        self.client.create_user(UserName=item[0], Path=item[1])

    def get(self, user: str) -> None:
        self.client.get_user(UserName=user)

    def list(self, prefix: str) -> int:
        count, kwargs = 0, {"PathPrefix": prefix, "MaxItems": PAGE}
        while True:
            page = self.client.list_users(**kwargs)
            count += len(page["Users"])
            if not page["IsTruncated"]:
                return count
            kwargs["Marker"] = page["Marker"]

    def tag(self, user: str) -> None:
        self.client.tag_user(UserName=user, Tags=TAGS)

    def rename(self, item: tuple[str, str]) -> None:
        self.client.update_user(UserName=item[0], NewUserName=item[1])

    def delete(self, user: str) -> None:
        self.client.delete_user(UserName=user)


# -- factories ------------------------------------------------------------------------


@contextlib.contextmanager
def native(n: int) -> Iterator[Native]:
    with common.native_account() as account:
        yield Native(account)


@contextlib.contextmanager
def mock(n: int) -> Iterator[Boto3]:
    with common.iamcore_mock() as (_, client):
        yield Boto3(client)


@contextlib.contextmanager
def moto_backend(n: int) -> Iterator[MotoBackend]:
    with common.moto_fresh_backend() as backend:
        yield MotoBackend(backend)


@contextlib.contextmanager
def moto_mock(n: int) -> Iterator[Boto3]:
    with common.moto_mock() as client:
        yield Boto3(client)


def _user_dict(i: int, path: str, created: Any) -> dict[str, Any]:
    return {
        "Path": path,
        "UserName": name(i),
        "UserId": f"AIDA{i:017d}",
        "Arn": f"arn:aws:iam::{ACCOUNT_ID}:user{path}{name(i)}",
        "CreateDate": created,
    }


def _pages(users: list[dict[str, Any]], prefix: str) -> dict[tuple[str, str | None], Any]:
    """Canned ListUsers pages for ``prefix``, keyed by (prefix, marker)."""
    pages: dict[tuple[str, str | None], Any] = {}
    marker: str | None = None
    chunks = [users[i : i + PAGE] for i in range(0, len(users), PAGE)] or [[]]
    for index, chunk in enumerate(chunks):
        parsed: dict[str, Any] = {"Users": chunk, "IsTruncated": index < len(chunks) - 1}
        if parsed["IsTruncated"]:
            parsed["Marker"] = f"m{index}"
        parsed["ResponseMetadata"] = common.response_metadata()
        pages[(prefix, marker)] = parsed
        marker = parsed.get("Marker")
    return pages


@contextlib.contextmanager
def floor(n: int) -> Iterator[Boto3]:
    created = common.now()
    users = [_user_dict(i, PATHS[i % len(PATHS)], created) for i in range(n)]
    pages: dict[tuple[str, str | None], Any] = {}
    for prefix in PATHS:
        pages.update(_pages([u for u in users if u["Path"] == prefix], prefix))
    pages.update(_pages(sorted(users, key=lambda u: u["UserName"]), "/"))
    one_user = {"User": users[0] if users else _user_dict(0, "/", created)}
    one_user["ResponseMetadata"] = common.response_metadata()
    empty = {"ResponseMetadata": common.response_metadata()}
    canned = {"CreateUser": one_user, "GetUser": one_user}

    def answer(operation: str, params: dict[str, Any]) -> dict[str, Any]:
        if operation == "ListUsers":
            page: dict[str, Any] = pages[(params.get("PathPrefix", "/"), params.get("Marker"))]
            return page
        return canned.get(operation, empty)

    with common.floor_client(answer) as client:
        yield Boto3(client)


FACTORIES: dict[str, common.DriverFactory] = {
    "native": native,
    "moto_backend": moto_backend,
    "mock": mock,
    "moto_mock": moto_mock,
    "floor": floor,
}


# -- list scaling -------------------------------------------------------------------------


def list_scaling(
    targets: list[str], sizes: list[int], repeats: int
) -> dict[str, dict[int, float]]:
    """Median µs for one full paginated listing of every user (``PathPrefix="/"``)."""
    result: dict[str, dict[int, float]] = {}
    for target in targets:
        result[target] = {}
        for size in sizes:
            with FACTORIES[target](size) as driver:
                for item in PHASES[0].items(size):
                    driver.create(item)
                assert driver.list("/") == size  # sanity: every user listed
                samples = []
                for _ in range(repeats):
                    samples.append(common.time_calls(driver.list, ["/"]))
                result[target][size] = statistics.median(samples) / 1000
            common.log(
                f"  list scaling {TARGETS[target]} at {size} users: "
                f"{result[target][size] / 1000:.1f} ms"
            )
    return result


def scaling_table(result: dict[str, dict[int, float]], sizes: list[int]) -> str:
    targets = [t for t in TARGETS if t in result]
    head = ["users", *(f"{TARGETS[t]} ms" for t in targets)]
    lines = [
        f"### ListUsers, one full paginated listing of every user (MaxItems {PAGE})",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "|".join(["---:"] * len(head)) + "|",
    ]
    for size in sizes:
        row = [f"{size:,}"] + [f"{result[t][size] / 1000:.2f}" for t in targets]
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    big = sizes[-1]
    per_user = []
    for t in targets:
        first, last = result[t][sizes[0]] / sizes[0], result[t][big] / big
        per_user.append(f"{TARGETS[t]} {last / first:.2f}")
    lines.append(
        f"Cost per listed user at {big:,} relative to {sizes[0]:,} users (1.00 = linear, "
        "below 1 = better than linear): " + "; ".join(per_user) + "."
    )
    if "mock" in result and "moto_mock" in result:
        ratio = result["moto_mock"][big] / result["mock"][big]
        lines.append("")
        lines.append(
            f"Through boto3 at {big:,} users, moto mock_aws / iamcore mock = **{ratio:.1f}×** "
            "(target ≥ 20)."
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = common.parse(common.parser(__doc__.splitlines()[0]), argv)
    n = args.users
    targets = [t for t in TARGETS if t in args.targets]
    common.log(f"users workload: {n} users, {args.repeats} repetitions, targets {targets}")
    started = time.perf_counter()
    header = common.machine()
    timings = common.run_family({t: FACTORIES[t] for t in targets}, PHASES, n, args.repeats)
    sizes = sorted({max(1, n // 5), max(1, n // 2), n})
    scaling = list_scaling(targets, sizes, max(3, args.repeats))
    markdown = "\n".join(
        [
            f"## Users: {n:,} users, median of {args.repeats} repetitions\n",
            header,
            common.table(
                f"Per-call medians (µs) and ratios, {n:,} users over {len(PATHS)} paths",
                PHASES,
                timings,
                targets,
            ),
            scaling_table(scaling, sizes),
            f"Run time {time.perf_counter() - started:.0f} s; command: "
            f"{common.command('bench_users.py', argv)}.\n",
        ]
    )
    common.emit(markdown, args.markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
