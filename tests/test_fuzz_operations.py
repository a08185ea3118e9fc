"""Fuzzing every modelled operation, natively and through boto3.

Hypothesis drives random sequences of every operation the Account models
with plausible, borderline and garbage arguments.  Only IamError may escape
natively; only ClientError or botocore's ParamValidationError through boto3;
a failed call leaves the snapshot equal; the invariants hold after every step.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iamcore import Account
from iamcore.testing import FixedClock, seeded_entropy
from tests.fuzzing import (
    arguments_for,
    call_native,
    check_invariants,
    modelled_operations,
    to_api_params,
)
from tests.helpers import boto3_client, fresh_snapshot

OPERATIONS = modelled_operations()


class HypothesisChooser:
    """Choices drawn from Hypothesis, so failing sequences shrink."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def choice(self, options: Any) -> Any:
        return self.data.draw(st.sampled_from(list(options)))

    def integer(self, low: int, high: int) -> int:
        return self.data.draw(st.integers(min_value=low, max_value=high))


def _account() -> Account:
    account = Account(clock=FixedClock(), entropy=seeded_entropy(11))
    account.create_user(user_name="alice", path="/eng/")
    account.create_group(group_name="devs")
    return account


@settings(max_examples=60, stateful_step_count=1, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_native_calls_raise_only_iam_errors(data: st.DataObject) -> None:
    """Any sequence of native calls raises only IamError and never half-applies a call."""
    account = _account()
    chooser = HypothesisChooser(data)
    for _ in range(data.draw(st.integers(min_value=1, max_value=25))):
        operation = chooser.choice(OPERATIONS)
        call_native(account, operation, arguments_for(chooser, operation, account))
        check_invariants(account)


@settings(max_examples=30, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_boto3_calls_raise_only_client_errors(data: st.DataObject) -> None:
    """Through the mock, calls raise only ClientError or botocore's ParamValidationError."""
    pytest.importorskip("boto3")
    from botocore.exceptions import ClientError, ParamValidationError

    from iamcore.mock import mock_iam

    account = _account()
    chooser = HypothesisChooser(data)
    with mock_iam(account):
        client = boto3_client()
        for _ in range(data.draw(st.integers(min_value=1, max_value=15))):
            operation = chooser.choice(OPERATIONS)
            params = to_api_params(operation, arguments_for(chooser, operation, account))
            before = account.snapshot()
            method = getattr(client, _snake(operation))
            try:
                method(**params)
            except ParamValidationError:
                assert fresh_snapshot(account) == before
            except ClientError:
                assert fresh_snapshot(account) == before
            check_invariants(account)


def _snake(operation: str) -> str:
    from iamcore import _model

    return str(_model.operation(operation)["snake"])
