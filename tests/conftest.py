"""Shared fixtures and Hypothesis profiles for iamcore's own tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from iamcore import Account
from iamcore.passwords import set_default_cost
from iamcore.testing import FAST_SCRYPT, FixedClock, seeded_entropy
from tests.helpers import boto3_client

# Scrypt at its real cost takes ~50 ms a hash; tests that are not about the cost use a fast one.
set_default_cost(FAST_SCRYPT)

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", parent=settings.get_profile("default"), max_examples=200)
settings.register_profile("fast", parent=settings.get_profile("default"), max_examples=20)
settings.load_profile(os.environ.get("IAMCORE_HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def clock() -> FixedClock:
    """A clock standing at 2026-01-01T00:00:00Z."""
    return FixedClock()


@pytest.fixture
def account(clock: FixedClock) -> Account:
    """A fresh account with a fixed clock and seeded entropy."""
    return Account(clock=clock, entropy=seeded_entropy(7))


@pytest.fixture(autouse=True)
def _fast_scrypt() -> Iterator[None]:
    """Every test starts with the fast Scrypt cost, whatever an earlier test set."""
    previous = set_default_cost(FAST_SCRYPT)
    yield
    set_default_cost(previous)


@pytest.fixture
def bob(account: Account) -> str:
    """The user ``bob`` in ``account``; returns the name."""
    account.create_user(user_name="bob")
    return "bob"


@pytest.fixture
def boto3_iam(account: Account) -> Iterator[Any]:
    """A boto3 IAM client answered by ``account`` through ``mock_iam``."""
    from iamcore.mock import mock_iam

    with mock_iam(account):
        yield boto3_client()
