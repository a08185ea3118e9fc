"""The users and credentials benchmarks still run against the current API (nothing is timed)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("moto") is None, reason="moto is not installed"
)


def _run(*args: str) -> str:
    completed = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    return completed.stdout


def test_users_benchmark_tiny_run() -> None:
    """bench_users.py runs every phase on all five targets and prints both tables."""
    out = _run("benchmarks/bench_users.py", "--users", "20", "--repeats", "1")
    assert "| CreateUser (per call) |" in out
    assert "| DeleteUser (per call) |" in out
    assert "moto mock_aws / iamcore mock" in out
    assert "| 20 |" in out  # the listing-scaling table's last row


def test_credentials_benchmark_tiny_run() -> None:
    """bench_credentials.py runs keys, login profiles (both costs) and MFA on all five targets."""
    out = _run(
        "benchmarks/bench_credentials.py", "--users", "6", "--repeats", "1", "--hashed", "1"
    )
    assert "| EnableMFADevice (per call) |" in out
    assert "| CreateLoginProfile, configured Scrypt cost (per call) |" in out
