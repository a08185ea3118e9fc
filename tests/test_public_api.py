"""The public surface: ``iamcore.__all__`` and what importing iamcore pulls in."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap

import pytest

import iamcore


def test_all_is_sorted_and_unique() -> None:
    """iamcore.__all__ is sorted and has no duplicates."""
    assert list(iamcore.__all__) == sorted(iamcore.__all__)
    assert len(set(iamcore.__all__)) == len(iamcore.__all__)


@pytest.mark.parametrize("name", iamcore.__all__)
def test_every_public_name_is_importable(name: str) -> None:
    """Every name in iamcore.__all__ can be imported from iamcore."""
    module = importlib.import_module("iamcore")
    assert getattr(module, name) is not None
    namespace: dict[str, object] = {}
    exec(f"from iamcore import {name}", namespace)
    assert namespace[name] is getattr(module, name)


def test_core_names_are_public() -> None:
    """The contract's names are exported: Account, snapshots, entities, IamError, version."""
    for name in ("Account", "AccountSnapshot", "Group", "IamError", "Tag", "User", "__version__"):
        assert name in iamcore.__all__
    assert isinstance(iamcore.__version__, str)


@pytest.mark.parametrize(
    "module", ["iamcore.errors", "iamcore.ids", "iamcore.rules.users", "iamcore.rules.groups"]
)
def test_submodule_all(module: str) -> None:
    """Each foundation module's __all__ names exist in it."""
    loaded = importlib.import_module(module)
    for name in loaded.__all__:
        assert hasattr(loaded, name), (module, name)


def test_importing_iamcore_stays_light() -> None:
    """Importing iamcore (and using it) imports neither hypothesis, boto3 nor botocore."""
    program = textwrap.dedent(
        """
        import sys
        import iamcore
        import iamcore.testing
        account = iamcore.Account()
        account.create_user(user_name="bob", tags=[{"Key": "k", "Value": "v"}])
        account.list_users()
        heavy = sorted(
            name
            for name in sys.modules
            if name.split(".")[0] in {"hypothesis", "boto3", "botocore", "pytest"}
        )
        assert not heavy, heavy
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False, timeout=60
    )
    assert completed.returncode == 0, completed.stderr


def test_mock_module_needs_botocore_only_when_imported() -> None:
    """iamcore.mock is a separate import (it needs boto3's botocore)."""
    program = "import sys, iamcore; assert 'iamcore.mock' not in sys.modules"
    completed = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
