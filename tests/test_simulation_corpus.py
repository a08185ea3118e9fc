"""The documented condition tables, checked through boto3's SimulateCustomPolicy.

``tests/policy/test_conditions.py`` holds the rows of AWS's condition-operator
pages ("Condition operators", "Single-valued vs. multivalued context keys",
"Multivalued context key examples") and checks them against the pure
evaluator.  Here the same tests run again with each row answered by the
policy simulator through boto3, as a user of the mock would ask it: a policy
that allows ``svc:Act`` under the row's condition, and the row's context as
typed ``ContextEntries``.  The simulator must say ``allowed`` exactly when
the row says the condition holds.
"""

from __future__ import annotations

import base64
import inspect
import json
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from ipaddress import IPv4Address, IPv6Address
from typing import Any

import pytest

from iamcore.mock import mock_iam
from tests.helpers import boto3_client
from tests.policy import test_conditions as tables


def _typed(value: Any) -> tuple[str, list[str]]:
    """A context value as (ContextKeyType, ContextKeyValues)."""
    if isinstance(value, list | tuple):
        if not value:
            return "stringList", []
        kind, _ = _typed(value[0])
        return kind + "List", [_typed(item)[1][0] for item in value]
    if isinstance(value, bool):
        return "boolean", ["true" if value else "false"]
    if isinstance(value, int | float | Decimal):
        return "numeric", [str(value)]
    if isinstance(value, datetime):
        return "date", [value.isoformat()]
    if isinstance(value, IPv4Address | IPv6Address):
        return "ip", [str(value)]
    if isinstance(value, bytes):
        return "binary", [base64.b64encode(value).decode("ascii")]
    return "string", [str(value)]


class Simulator:
    """Answers ``holds(...)`` through boto3's simulate_custom_policy."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.calls = 0

    def holds(
        self,
        operator: str,
        values: tuple[str, ...] | str,
        context: Any,
        *,
        key: str = "k:key",
        variables: dict[str, str] | None = None,
    ) -> bool:
        policy = {
            "Version": "2012-10-17",
            "Statement": {
                "Effect": "Allow",
                "Action": "svc:Act",
                "Resource": "*",
                "Condition": {operator: {key: values}},
            },
        }
        entries: dict[str, Any] = dict(variables or {})
        if context is not tables.MISSING:
            entries[key] = context
        context_entries = []
        for name, value in entries.items():
            kind, texts = _typed(value)
            context_entries.append(
                {"ContextKeyName": name, "ContextKeyValues": texts, "ContextKeyType": kind}
            )
        response = self.client.simulate_custom_policy(
            PolicyInputList=[json.dumps(policy)],
            ActionNames=["svc:Act"],
            ContextEntries=context_entries,
        )
        self.calls += 1
        decision = response["EvaluationResults"][0]["EvalDecision"]
        assert decision in {"allowed", "implicitDeny"}
        return bool(decision == "allowed")


@pytest.fixture(scope="module")
def simulator() -> Iterator[Simulator]:
    with mock_iam():
        client = boto3_client()
        yield Simulator(client)


_TABLE_TESTS = [
    name
    for name, function in inspect.getmembers(tables, inspect.isfunction)
    if name.startswith("test_")
    and not inspect.signature(function).parameters
    and "check(" in inspect.getsource(function)
]


@pytest.mark.parametrize("name", _TABLE_TESTS)
def test_documented_condition_rows_through_the_simulator(
    name: str, simulator: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each documented row gives the same answer through SimulateCustomPolicy."""
    monkeypatch.setattr(tables, "holds", simulator.holds)
    before = simulator.calls
    getattr(tables, name)()
    assert simulator.calls > before, "the table test did not go through the simulator"
