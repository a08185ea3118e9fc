"""Smoke runs of the benchmarks (benchmarks/): they run and print their tables, nothing timed."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.skipif(importlib.util.find_spec("moto") is None, reason="moto is not installed")
def test_policy_benchmark_quick() -> None:
    """bench_policy.py --quick times iamcore and moto on the same requests and prints the table."""
    completed = _run("bench_policy.py", "--quick")
    assert completed.returncode == 0, completed.stderr
    assert (
        "| scenario | statements (identity + boundary) | iamcore decisions/s |" in completed.stdout
    )
