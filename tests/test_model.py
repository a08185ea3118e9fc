"""The committed service model and request types match botocore and their generators."""

from __future__ import annotations

import importlib.util
import json
import pathlib
from types import ModuleType
from typing import Any

import botocore.session
import pytest

from iamcore import _model
from iamcore.account import Account
from tests.helpers import FOUNDATION_OPERATIONS, boto3_client

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _tool(name: str) -> ModuleType:
    path = ROOT / "tools" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"iamcore_tools_{name}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _without_source(text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(text)
    data.pop("source", None)
    return data


def test_committed_model_matches_installed_botocore() -> None:
    """iamcore/_data/iam-model.json is tools/generate_model.py's output for this botocore.

    The ``source`` line (botocore's version) is left out: botocore releases
    almost daily without changing IAM, and only a changed IAM model matters.
    Regenerate with ``python tools/generate_model.py`` when this fails.
    """
    generated = _tool("generate_model").render()
    committed = (ROOT / "iamcore" / "_data" / "iam-model.json").read_text("utf-8")
    assert _without_source(committed) == _without_source(generated)


def test_committed_requests_match_generator() -> None:
    """iamcore/requests.py is exactly tools/generate_requests.py's output for the model."""
    generated = _tool("generate_requests").render()
    committed = (ROOT / "iamcore" / "requests.py").read_text("utf-8")
    assert committed == generated


def test_model_source_names_botocore() -> None:
    """The trimmed model records which botocore it was generated from."""
    assert _model.model()["source"].startswith("botocore ")


def test_every_botocore_operation_is_in_the_model() -> None:
    """Every IAM operation botocore knows is in the trimmed model, under boto3's method name."""
    service = botocore.session.get_session().get_service_model("iam")
    client = boto3_client()
    methods = client.meta.method_to_api_mapping
    assert set(_model.model()["operations"]) == set(service.operation_names)
    assert _model.operation_by_snake() == methods


@pytest.mark.parametrize("operation", FOUNDATION_OPERATIONS)
def test_account_has_a_method_per_operation(operation: str) -> None:
    """The native API names each operation like boto3's IAM client method."""
    snake = _model.operation(operation)["snake"]
    assert callable(getattr(Account, snake))


@pytest.mark.parametrize("operation", FOUNDATION_OPERATIONS)
def test_model_inputs_match_botocore(operation: str) -> None:
    """Each foundation operation's members, limits and patterns are botocore's."""
    service = botocore.session.get_session().get_service_model("iam")
    input_shape = service.operation_model(operation).input_shape
    ours = _model.shape(_model.operation(operation)["input"])
    assert set(ours["members"]) == set(input_shape.members)
    assert set(ours["required"]) == set(input_shape.required_members)
    for name, member in input_shape.members.items():
        mine = _model.shape(ours["members"][name]["shape"])
        for key in ("min", "max", "pattern"):
            assert mine.get(key) == member.metadata.get(key), (operation, name, key)
