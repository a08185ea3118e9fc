"""A model-driven fuzzer over every operation the Account models.

It builds arguments for any IAM operation from botocore's service model:
mostly *plausible* values (names, IDs and ARNs that exist in the account
right now, values that satisfy the patterns, well-formed policy documents),
mixed with *borderline* ones (at and past length limits, case variants) and
*garbage* (wrong types, None, huge strings, unicode, negative numbers).
Choices go through a :class:`Chooser`, so the same generator serves a
Hypothesis test (which can shrink the sequence) and the long plain-random run
in ``tools/fuzz_long.py``.

After each call it checks the invariants of the account: a failed call left
the snapshot equal to the one before, and quotas hold (see
:func:`check_invariants`).
"""

from __future__ import annotations

import json
import random
import string
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar

import attrs

from iamcore import Account, _model
from iamcore.errors import IamError
from tests.helpers import fresh_snapshot

T = TypeVar("T")

_NAME_CHARS = string.ascii_letters + string.digits + "+=,.@_-"
_GARBAGE: tuple[Any, ...] = (
    None,
    -1,
    0,
    10**12,
    3.5,
    True,
    "",
    " ",
    "x" * 5000,
    "é☃\u0000\n",
    b"bytes",
    [],
    {},
    ["list"],
    {"Key": object()},
)
_POLICIES = (
    json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
        }
    ),
    json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": {
                "Effect": "Deny",
                "Action": ["iam:Delete*", "iam:Put*"],
                "Resource": "arn:aws:iam::123456789012:user/*",
                "Condition": {"StringEquals": {"aws:username": "${aws:username}"}},
            },
        }
    ),
    '{"Version": "2012-10-17", "Statement": []}',
    "{not json",
    json.dumps({"Statement": [{"Effect": "Maybe", "Action": "*", "Resource": "*"}]}),
)
_PASSWORDS = ("TempPassword123!", "Str0ng&Passw0rd-Long", "weak", "a" * 128, "é" * 10)


class Chooser(Protocol):
    """Where the fuzzer's choices come from (Hypothesis ``data`` or ``random``)."""

    def choice(self, options: Sequence[T]) -> T:
        """Pick one of ``options`` (earlier ones are the simpler)."""
        ...

    def integer(self, low: int, high: int) -> int:
        """Pick an integer in ``[low, high]``."""
        ...


class RandomChooser:
    """A Chooser over ``random.Random`` (for long runs)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def choice(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)


def modelled_operations() -> list[str]:
    """Every IAM operation the Account implements, sorted."""
    return sorted(
        name
        for name, op in _model.model()["operations"].items()
        if callable(getattr(Account, op["snake"], None))
    )


def _strings_in(value: Any, key: str, pools: dict[str, set[str]]) -> None:
    if isinstance(value, str):
        pools.setdefault(key, set()).add(value)
    elif isinstance(value, tuple | list):
        for item in value:
            _strings_in(item, key, pools)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            if field.repr is not False:
                _strings_in(getattr(value, field.name), field.name, pools)


def pools(account: Account) -> dict[str, list[str]]:
    """Every string attribute value of every entity in the account, by attribute name."""
    found: dict[str, set[str]] = {}
    for table in account.snapshot().tables.values():
        if isinstance(table, dict | type(account.snapshot().tables)):
            items: Iterable[Any] = table.values()
        else:
            items = [table]
        for entity in items:
            if isinstance(entity, dict | type(account.snapshot().tables)):
                for inner in entity.values():
                    _strings_in(inner, "", found)
            else:
                _strings_in(entity, "", found)
    return {key: sorted(values) for key, values in found.items() if key}


def _pool_for(snake: str, available: dict[str, list[str]]) -> list[str]:
    if snake in available:
        return available[snake]
    base = snake.removeprefix("new_").removeprefix("old_")
    if base in available:
        return available[base]
    if snake.endswith("arn"):
        return [
            value for key, values in available.items() if key.endswith("arn") for value in values
        ]
    return []


def _name(chooser: Chooser, low: int, high: int) -> str:
    length = chooser.choice([min(max(low, 5), high), low, high, min(high, 12)])
    return "".join(chooser.choice(_NAME_CHARS) for _ in range(max(length, 0)))


def _string(
    chooser: Chooser, snake: str, shape: _model.Shape, available: dict[str, list[str]]
) -> Any:
    low, high = shape.get("min", 0), shape.get("max", 64)
    existing = _pool_for(snake, available)
    candidates: list[Callable[[], Any]] = []
    if existing:
        candidates.append(lambda: chooser.choice(existing))
        candidates.append(lambda: chooser.choice(existing).swapcase())
    if "enum" in shape:
        candidates.insert(0, lambda: chooser.choice(shape["enum"]))
    if "document" in snake:
        candidates.insert(0, lambda: chooser.choice(_POLICIES))
    if "password" in snake:
        candidates.insert(0, lambda: chooser.choice(_PASSWORDS))
    if "path" in snake:
        candidates.append(lambda: chooser.choice(["/", "/eng/", "/eng/backend/", "eng", "/a b/"]))
    if "code" in snake:
        candidates.append(lambda: f"{chooser.integer(0, 999999):06d}")
    candidates.append(lambda: _name(chooser, low, min(high, 200)))
    candidates.append(lambda: chooser.choice(_GARBAGE))
    return chooser.choice(candidates)()


def value_for(
    chooser: Chooser, snake: str, shape_name: str, available: dict[str, list[str]], depth: int = 0
) -> Any:
    """A plausible, borderline or garbage value for a member of shape ``shape_name``."""
    shape = _model.shape(shape_name)
    kind = shape["type"]
    if depth > 3:
        return chooser.choice(_GARBAGE)
    if kind == "string":
        return _string(chooser, snake, shape, available)
    if kind in ("integer", "long"):
        low, high = shape.get("min", 0), shape.get("max", 1000)
        return chooser.choice(
            [low, high, chooser.integer(low, high), high + 1, low - 1, chooser.choice(_GARBAGE)]
        )
    if kind == "boolean":
        return chooser.choice([True, False, chooser.choice(_GARBAGE)])
    if kind == "blob":
        return chooser.choice([b"\x00\x01", b"", "text", chooser.choice(_GARBAGE)])
    if kind == "timestamp":
        return chooser.choice(_GARBAGE)
    if kind == "list":
        count = chooser.choice(
            [1, 0, 2, 3, shape.get("max", 3) or 3, (shape.get("max") or 50) + 1]
        )
        count = min(count, 60)
        member = shape["member"]
        items = [
            value_for(chooser, snake.rstrip("s"), member, available, depth + 1)
            for _ in range(count)
        ]
        return chooser.choice([items, chooser.choice(_GARBAGE)])
    if kind == "map":
        return chooser.choice([{"k": "v"}, chooser.choice(_GARBAGE)])
    members = shape.get("members", {})
    structure = {
        name: value_for(chooser, ref["snake"], ref["shape"], available, depth + 1)
        for name, ref in members.items()
        if name in shape.get("required", ()) or chooser.choice([True, False])
    }
    return chooser.choice([structure, chooser.choice(_GARBAGE)])


def arguments_for(chooser: Chooser, operation: str, account: Account) -> dict[str, Any]:
    """Keyword arguments (snake_case) for one call of ``operation``."""
    input_name = _model.operation(operation)["input"]
    if input_name is None:
        return {}
    shape = _model.shape(input_name)
    available = pools(account)
    required = set(shape.get("required", ()))
    return {
        ref["snake"]: value_for(chooser, ref["snake"], ref["shape"], available)
        for name, ref in sorted(shape["members"].items())
        if name in required or chooser.choice([True, False, False])
    }


def check_invariants(account: Account) -> None:
    """Quotas and consistency that hold after every call, whatever happened."""
    snapshot = account.snapshot()
    users = snapshot.users
    names = [user.user_name.lower() for user in users.values()]
    assert len(set(names)) == len(names), "user names must be unique ignoring case"
    for user in users.values():
        assert len(user.tags) <= 50
        assert len({tag.key.lower() for tag in user.tags}) == len(user.tags)
    members = snapshot.tables.get("group_members", {})
    for group_id, user_ids in members.items():
        assert group_id in snapshot.groups
        assert set(user_ids) <= set(users)
    recount: dict[str, int] = {}
    for user in users.values():
        if user.permissions_boundary is not None:
            arn = user.permissions_boundary.permissions_boundary_arn
            recount[arn] = recount.get(arn, 0) + 1
    assert account._state.boundary_counts == recount, "PermissionsBoundaryUsageCount drifted"
    keys = snapshot.tables.get("access_keys")
    if keys:
        per_user: dict[str, int] = {}
        for key in keys.values():
            owner = getattr(key, "user_name", None) or getattr(key, "user_id", None)
            per_user[str(owner)] = per_user.get(str(owner), 0) + 1
        assert max(per_user.values()) <= 2, "at most two access keys per user"


def call_native(account: Account, operation: str, kwargs: dict[str, Any]) -> IamError | None:
    """Call ``operation`` natively; return the IamError it raised, if any.

    Any other exception propagates (that is a bug).  A failed call must leave
    the snapshot equal to the one before.
    """
    before = account.snapshot()
    method = getattr(account, _model.operation(operation)["snake"])
    try:
        method(**kwargs)
    except IamError as error:
        failure = error
    else:
        return None
    assert fresh_snapshot(account) == before, (
        f"{operation} failed ({failure.code}) but changed state"
    )
    return failure


def to_api_params(operation: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Rename snake_case kwargs to the API member names boto3 takes."""
    input_name = _model.operation(operation)["input"]
    if input_name is None:
        return {}
    members = _model.shape(input_name)["members"]
    by_snake = {ref["snake"]: name for name, ref in members.items()}
    return {by_snake[key]: value for key, value in kwargs.items() if value is not None}
