"""The AWS CLI's check of parameters before a call (iamcore/_paramcheck.py) reports what
botocore's own ParamValidator reports, in the same order and words: botocore is the
client the AWS CLI uses, so it is the reference here."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamcore import _model
from iamcore._paramcheck import client_problems

botocore_session = pytest.importorskip("botocore.session")
validate = pytest.importorskip("botocore.validate")

_SERVICE = botocore_session.get_session().get_service_model("iam")


def _botocore(operation: str, params: dict[str, Any]) -> str:
    shape = _SERVICE.operation_model(operation).input_shape
    report = validate.ParamValidator().validate(params, shape)
    return str(report.generate_report()) if report.has_errors() else ""


def _ours(operation: str, params: dict[str, Any]) -> str:
    return "\n".join(client_problems(_model.operation(operation)["input"], params))


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("GetUser", {"UserName": ""}),
        ("ListUsers", {"MaxItems": 0}),
        ("TagUser", {"UserName": "u", "Tags": [{"Key": "a"}]}),
        ("TagUser", {"UserName": "u", "Tags": [{"Key": "a", "Valu": "x"}]}),
        ("TagUser", {"UserName": "u", "Tags": [{"Key": "a", "Value": 1}]}),
        ("UpdateAccountPasswordPolicy", {"MaxPasswordAge": 0, "MinimumPasswordLength": 5}),
        ("PutUserPolicy", {"UserName": "u", "PolicyName": "p", "PolicyDocument": b"{}"}),
        ("UntagUser", {"UserName": "u", "TagKeys": []}),
        ("UpdateAccessKey", {"AccessKeyId": "short", "Status": "Active"}),
        ("CreateUser", {"UserName": "ok", "Path": "/"}),
    ],
)
def test_reports_what_botocore_reports(operation: str, params: dict[str, Any]) -> None:
    """Known AWS CLI refusals: lengths, ranges, missing and unknown members, types."""
    assert _ours(operation, params) == _botocore(operation, params)


_ANY = st.one_of(
    st.text(max_size=3),
    st.integers(-2, 3),
    st.booleans(),
    st.binary(max_size=2),
    st.lists(st.text(max_size=2), max_size=2),
    st.dictionaries(st.sampled_from(["Key", "Value", "Other"]), st.text(max_size=2), max_size=3),
)
_OPERATIONS = sorted(
    name for name, op in _model.model()["operations"].items() if op["input"] is not None
)


@settings(max_examples=400, deadline=None)
@given(operation=st.sampled_from(_OPERATIONS), data=st.data())
def test_agrees_with_botocore_on_any_values(operation: str, data: Any) -> None:
    """For any values of an operation's members (and unknown ones), the same problems."""
    members = list(_model.shape(_model.operation(operation)["input"])["members"])
    names = data.draw(st.lists(st.sampled_from([*members, "Bogus"]), unique=True, max_size=4))
    params = {name: data.draw(_ANY) for name in names}
    assert _ours(operation, params) == _botocore(operation, params)
