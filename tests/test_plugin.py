"""iamcore's pytest plugin (entry point ``pytest11``): iam_account, iam_clock, iam_mock, …"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from iamcore import Account
from iamcore.testing import FixedClock

# -- in this process: the plugin is loaded through its entry point ---------------


def test_iam_account_reads_iam_clock(iam_account: Account, iam_clock: FixedClock) -> None:
    """CreateUser's CreateDate is the fixture clock's time, in whole seconds."""
    assert datetime(2026, 1, 1, tzinfo=UTC) == iam_clock.now()
    iam_clock.advance(timedelta(hours=1))
    user = iam_account.create_user(user_name="alice").user
    assert datetime(2026, 1, 1, 1, tzinfo=UTC) == user.create_date


def test_iam_account_is_reproducible(iam_account: Account) -> None:
    """Seeded entropy gives the same unique IDs as an account seeded the same way."""
    from iamcore.testing import seeded_entropy

    twin = Account(entropy=seeded_entropy(0))
    assert (
        twin.create_user(user_name="a").user.user_id
        == iam_account.create_user(user_name="a").user.user_id
    )


def test_iam_account_hashes_passwords_cheaply(iam_account: Account) -> None:
    """iam_account uses the test Scrypt cost, so CreateLoginProfile stays fast in tests."""
    from iamcore.testing import FAST_SCRYPT

    assert iam_account.password_hash_cost == FAST_SCRYPT
    iam_account.create_user(user_name="p")
    iam_account.create_login_profile(user_name="p", password="Correct-Horse-9")


@pytest.mark.iam_account(account_id="111122223333", seed=5, start=datetime(2030, 6, 1))
def test_marker_configures_the_account(iam_account: Account, iam_clock: FixedClock) -> None:
    """The iam_account marker sets the account ID, the seed and the clock's start."""
    assert iam_account.account_id == "111122223333"
    assert datetime(2030, 6, 1, tzinfo=UTC) == iam_clock.now()
    assert ":111122223333:user/" in iam_account.create_user(user_name="b").user.arn


def test_iam_mock_answers_boto3(iam_mock: Account) -> None:
    """With iam_mock active, boto3 IAM calls reach the fixture's account."""
    import boto3

    iam = boto3.client("iam")
    iam.create_user(UserName="carol", Path="/eng/")
    assert [u.user_name for u in iam_mock.list_users().users] == ["carol"]


def test_iam_client_is_answered_by_iam_mock(iam_client: object, iam_mock: Account) -> None:
    """iam_client is a boto3 IAM client answered by the iam_mock account."""
    iam_mock.create_user(user_name="dave")
    response = iam_client.get_user(UserName="dave")  # type: ignore[attr-defined]
    assert response["User"]["UserName"] == "dave"


# -- in a throwaway project, in a subprocess -------------------------------------

_PROJECT_TESTS = """
from datetime import timedelta

import boto3
import pytest
from botocore.exceptions import ClientError


def test_account(iam_account, iam_clock):
    user = iam_account.create_user(user_name="alice").user
    assert user.create_date == iam_clock.now()
    assert user.user_id.startswith("AIDA")


def test_same_ids_on_every_run(iam_account):
    assert iam_account.create_user(user_name="x").user.user_id == {expected_id!r}


def test_mock(iam_mock):
    iam = boto3.client("iam")
    iam.create_user(UserName="bob")
    with pytest.raises(ClientError) as caught:
        iam.create_user(UserName="BOB")
    assert caught.value.response["Error"]["Code"] == "EntityAlreadyExists"
    assert [u.user_name for u in iam_mock.list_users().users] == ["bob"]


def test_client(iam_client, iam_clock):
    iam_clock.advance(timedelta(days=1))
    created = iam_client.create_group(GroupName="admins")["Group"]["CreateDate"]
    assert created.isoformat() == "2026-01-02T00:00:00+00:00"


@pytest.mark.iam_account(account_id="210987654321")
def test_marker(iam_account):
    assert iam_account.account_id == "210987654321"
"""


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "AWS_"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _project(tmp_path: Path) -> Path:
    from iamcore.testing import seeded_entropy

    expected_id = Account(entropy=seeded_entropy(0)).create_user(user_name="x").user.user_id
    (tmp_path / "test_uses_iamcore.py").write_text(_PROJECT_TESTS.format(expected_id=expected_id))
    return tmp_path


def _pytest(project: Path, *args: str, prelude: str = "") -> subprocess.CompletedProcess[str]:
    code = prelude + "import sys, pytest; sys.exit(pytest.main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, "-q", "-p", "no:cacheprovider", *args, str(project)],
        cwd=project,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_fixtures_work_in_a_fresh_project(tmp_path: Path) -> None:
    """An installed iamcore gives any project the fixtures, with no conftest.py."""
    result = _pytest(_project(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 passed" in result.stdout


def test_plugin_is_registered_under_its_name(tmp_path: Path) -> None:
    """-p no:iamcore disables the plugin, so its fixtures are then missing."""
    result = _pytest(_project(tmp_path), "-p", "no:iamcore")
    assert result.returncode != 0
    assert "fixture 'iam_account' not found" in result.stdout


_BLOCK = textwrap.dedent(
    """
    import importlib.abc, sys

    class _Missing(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("hypothesis", "boto3", "botocore"):
                raise ImportError(f"{name} is not installed (blocked by the test)")
            return None

    sys.meta_path.insert(0, _Missing())
    """
)

_NO_EXTRAS_TESTS = """
import sys


def test_account_without_extras(iam_account):
    iam_account.create_user(user_name="alice")
    assert "hypothesis" not in sys.modules and "boto3" not in sys.modules


def test_mock_without_boto3(iam_mock):
    raise AssertionError("iam_mock should have skipped")
"""


def test_plugin_works_without_extras(tmp_path: Path) -> None:
    """Without Hypothesis or boto3 the plugin loads, iam_account works, iam_mock skips."""
    (tmp_path / "test_no_extras.py").write_text(_NO_EXTRAS_TESTS)
    result = _pytest(tmp_path, "-rs", "-p", "no:hypothesispytest", prelude=_BLOCK)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed, 1 skipped" in result.stdout
    assert "iam_mock needs boto3: pip install 'iamcore[boto3]'" in result.stdout
