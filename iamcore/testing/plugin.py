"""iamcore's pytest plugin: fixtures for tests of code that uses IAM.

Installed with iamcore (entry point ``pytest11``, name ``iamcore``), so the
fixtures are available in every test without a ``conftest.py``.  Disable it
with ``-p no:iamcore``.

Fixtures:

``iam_clock``
    A :class:`~iamcore.testing.FixedClock` standing at 2026-01-01T00:00:00Z.
``iam_entropy``
    A seeded ``entropy(n) -> bytes`` (:func:`~iamcore.testing.seeded_entropy`):
    generated IDs, secrets and MFA seeds are the same on every run.
``iam_account``
    A fresh :class:`~iamcore.Account` reading ``iam_clock`` and
    ``iam_entropy``, with a low password-hashing cost
    (:data:`iamcore.passwords.FAST_COST`), so console passwords are quick to
    set and check.
``iam_mock``
    ``iam_account`` with the boto3 mock (:func:`iamcore.mock.mock_iam`)
    active for the whole test; yields the account.  Fake credentials and a
    region are set in the environment for the test, so clients need no
    arguments and real credentials are never picked up.  Skips the test if
    boto3 is not installed.
``iam_client``
    A ``boto3.client("iam")`` answered by ``iam_mock``.

The marker ``@pytest.mark.iam_account(account_id=..., seed=..., start=...)``
changes the account ID, the entropy seed and the clock's start for one test.

This module imports neither Hypothesis nor boto3 (nor iamcore itself) when
pytest loads it; the fixtures import what they need, so installing iamcore
without extras never breaks a test run.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from iamcore.account import Account
    from iamcore.ids import Entropy
    from iamcore.testing import FixedClock

__all__ = ["iam_account", "iam_client", "iam_clock", "iam_entropy", "iam_mock"]

#: The account ID of ``iam_account`` unless the marker says otherwise.
DEFAULT_ACCOUNT_ID = "123456789012"
#: The entropy seed of ``iam_entropy`` unless the marker says otherwise.
DEFAULT_SEED = 0

_MARKER = "iam_account"


def pytest_configure(config: pytest.Config) -> None:
    """Declare the ``iam_account`` marker (so ``--strict-markers`` accepts it)."""
    config.addinivalue_line(
        "markers",
        f"{_MARKER}(account_id='123456789012', seed=0, start=None): "
        "configure iamcore's iam_account/iam_clock/iam_entropy fixtures for this test",
    )


def _options(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker(_MARKER)
    options: dict[str, Any] = dict(marker.kwargs) if marker is not None else {}
    unknown = set(options) - {"account_id", "seed", "start"}
    if unknown:
        raise pytest.UsageError(
            f"@pytest.mark.{_MARKER} takes account_id, seed and start, not {sorted(unknown)}"
        )
    return options


@pytest.fixture
def iam_clock(request: pytest.FixtureRequest) -> FixedClock:
    """A FixedClock at 2026-01-01T00:00:00Z (or the marker's ``start``); advance it by hand."""
    from iamcore.testing import FixedClock

    start: datetime | None = _options(request).get("start")
    return FixedClock() if start is None else FixedClock(start)


@pytest.fixture
def iam_entropy(request: pytest.FixtureRequest) -> Entropy:
    """Seeded randomness (seed 0 or the marker's ``seed``): the same IDs on every run."""
    from iamcore.testing import seeded_entropy

    seed: int | str | bytes = _options(request).get("seed", DEFAULT_SEED)
    return seeded_entropy(seed)


@pytest.fixture
def iam_account(
    request: pytest.FixtureRequest, iam_clock: FixedClock, iam_entropy: Entropy
) -> Account:
    """A fresh, empty Account reading ``iam_clock`` and ``iam_entropy``."""
    from iamcore.account import Account
    from iamcore.passwords import FAST_COST

    account_id: str = _options(request).get("account_id", DEFAULT_ACCOUNT_ID)
    account = Account(account_id, clock=iam_clock, entropy=iam_entropy)
    account.password_hash_cost = FAST_COST  # console passwords hash in microseconds
    return account


@pytest.fixture
def iam_mock(iam_account: Account, monkeypatch: pytest.MonkeyPatch) -> Iterator[Account]:
    """``iam_account`` answering every boto3 IAM call made during the test."""
    try:
        import boto3  # noqa: F401
        import botocore  # noqa: F401
    except ImportError:
        pytest.skip("iam_mock needs boto3: pip install 'iamcore[boto3]'")
    from iamcore.mock import mock_iam

    for variable in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_iam(iam_account) as account:
        yield account


@pytest.fixture
def iam_client(iam_mock: Account) -> Any:
    """A ``boto3.client("iam")`` answered in-process by ``iam_mock``."""
    import boto3

    return boto3.client("iam", region_name="us-east-1")
