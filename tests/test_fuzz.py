"""Fuzzing the user, group and tag operations with arbitrary arguments.

Hypothesis calls every operation with valid, borderline and garbage
arguments (wrong types, huge strings, Unicode, None, negative numbers,
nested junk), natively and through boto3.  Natively only an ``IamError`` may
escape; through boto3 only ``ClientError`` or botocore's
``ParamValidationError``.  Every refused call leaves the snapshot unchanged,
and its error code is one the operation can return.
"""

from __future__ import annotations

import functools
from typing import Any

import botocore.exceptions
import botocore.session
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from iamcore import Account
from iamcore.errors import IamError
from iamcore.mock import mock_iam
from iamcore.testing import FixedClock, seeded_entropy
from tests.helpers import FOUNDATION_OPERATIONS, boto3_client

OPERATIONS = FOUNDATION_OPERATIONS
SERVICE = botocore.session.get_session().get_service_model("iam")

#: error codes an operation may answer: its model's list plus the common ones
ALLOWED = {
    operation: {
        shape.metadata["error"]["code"]
        for shape in SERVICE.operation_model(operation).error_shapes
        if "error" in shape.metadata
    }
    | {"ValidationError", "InvalidInput"}
    for operation in OPERATIONS
}

junk = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=40)
    | st.binary(max_size=20)
    | st.sampled_from(["x" * 5000, "\x00", "\ud800", "😀" * 10, "", " ", "\n"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=6), inner, max_size=3)
        | st.tuples(inner, inner)
        | st.frozensets(st.integers(), max_size=2)
    ),
    max_leaves=8,
)

valid_names = st.sampled_from(
    ["alice", "ALICE", "bob", "carol", "ghost", "x" * 64, "a+b=c,d.e@f_g-h"]
)
odd_names = st.sampled_from(["x" * 65, "x" * 128, "x" * 129, "bad name!", "é", "bob\n", ""])
valid_groups = st.sampled_from(["devs", "DEVS", "ops", "new", "ghost", "g" * 128])
odd_groups = st.sampled_from(["g" * 129, "bad group", "", "grp\n", "ü"])
valid_paths = st.sampled_from(["/", "/eng/", "/eng/backend/", "/!~/"])
odd_paths = st.sampled_from(["/eng", "eng/", "//", "/a b/", "/" * 513, "/é/", "/x\n/", ""])
valid_prefixes = st.sampled_from(["/", "/eng", "/eng/", "/\x7f"])
odd_prefixes = st.sampled_from(["eng", "/" * 513, " ", "", "/\n"])
valid_markers = st.sampled_from(["YWxpY2U=", "Ym9i", "ZGV2cw==", "b3Bz"])
odd_markers = st.text(max_size=12) | st.just("x" * 321)
valid_max_items = st.integers(min_value=1, max_value=1000)
odd_max_items = st.integers(min_value=-5, max_value=1005) | st.sampled_from([0, 1001, 10**30])
tag_keys = st.sampled_from(["team", "Team", "cost", "日本", "a b", "k" * 128])
odd_tag_keys = st.sampled_from(["aws:x", "AWS:y", "", "k" * 129, "bad!", "k\n"])
tag_values = st.sampled_from(["", "v", "v" * 256, "é ü"])
odd_tag_values = st.sampled_from(["aws:v", "v" * 257, "bad!"])
valid_tags = st.lists(st.fixed_dictionaries({"Key": tag_keys, "Value": tag_values}), max_size=4)
odd_tags = (
    st.lists(
        st.fixed_dictionaries(
            {"Key": tag_keys | odd_tag_keys}, optional={"Value": odd_tag_values, "Extra": junk}
        ),
        max_size=3,
    )
    | st.just([{"Key": f"k{i}", "Value": ""} for i in range(50)])
    | st.just([{"Key": f"k{i}", "Value": ""} for i in range(51)])
)
valid_keys = st.lists(tag_keys, max_size=4)
odd_keys = st.lists(tag_keys | odd_tag_keys, max_size=4) | st.just([f"k{i}" for i in range(51)])
boundaries = st.sampled_from(
    ["arn:aws:iam::123456789012:policy/b", "arn:aws:iam::aws:policy/AdministratorAccess"]
)
odd_boundaries = st.sampled_from(["short", "x" * 2049, "arn:aws:iam::123456789012:user/alice"])

#: per member: (valid values, borderline or invalid values)
VALUES: dict[str, tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]] = {
    "UserName": (valid_names, odd_names),
    "NewUserName": (valid_names, odd_names),
    "GroupName": (valid_groups, odd_groups),
    "NewGroupName": (valid_groups, odd_groups),
    "Path": (valid_paths, odd_paths),
    "NewPath": (valid_paths, odd_paths),
    "PathPrefix": (valid_prefixes, odd_prefixes),
    "Marker": (valid_markers, odd_markers),
    "MaxItems": (valid_max_items, odd_max_items),
    "Tags": (valid_tags, odd_tags),
    "TagKeys": (valid_keys, odd_keys),
    "PermissionsBoundary": (boundaries, odd_boundaries),
}


@st.composite
def requests(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """One (operation, boto3-style arguments) pair: mostly valid, sometimes odd or garbage."""
    operation = draw(st.sampled_from(OPERATIONS))
    shape = SERVICE.operation_model(operation).input_shape
    arguments: dict[str, Any] = {}
    for name in shape.members:
        valid, odd = VALUES[name]
        roll = draw(st.integers(min_value=0, max_value=11))
        if roll == 0 or (roll < 4 and name not in shape.required_members):
            continue  # omitted, required or not
        arguments[name] = draw(junk if roll == 1 else odd if roll == 2 else valid)
    if draw(st.integers(min_value=0, max_value=20)) == 0:
        arguments["Unexpected"] = draw(junk)
    return operation, arguments


def _snake(arguments: dict[str, Any]) -> dict[str, Any]:
    return {botocore.xform_name(name): value for name, value in arguments.items()}


def _populated() -> Account:
    account = Account(clock=FixedClock(), entropy=seeded_entropy(21))
    account.create_user(user_name="alice", tags=[{"Key": "team", "Value": "core"}])
    account.create_user(user_name="bob", path="/eng/")
    account.create_group(group_name="devs")
    account.create_group(group_name="ops", path="/eng/")
    account.add_user_to_group(group_name="devs", user_name="alice")
    return account


FUZZ_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@FUZZ_SETTINGS
@given(st.lists(requests(), min_size=1, max_size=8))
def test_native_fuzz(calls: list[tuple[str, dict[str, Any]]]) -> None:
    """Natively, any arguments give a result or an IamError that changed nothing."""
    account = _populated()
    for operation, arguments in calls:
        method = getattr(account, botocore.xform_name(operation))
        before = account.snapshot()
        refused: IamError | None = None
        try:
            method(**_snake(arguments))
        except IamError as error:
            refused = error
        event(f"{operation}: {refused.code if refused else 'ok'}")
        if refused is not None:
            assert refused.code in ALLOWED[operation], (operation, refused)
            assert isinstance(refused.message, str)
            after = account.snapshot()
            assert after is before
            assert after == before


#: one boto3 client for all examples (made before any mock starts, as users do)
_client = functools.cache(boto3_client)


@FUZZ_SETTINGS
@given(calls=st.lists(requests(), min_size=1, max_size=8))
def test_boto3_fuzz(calls: list[tuple[str, dict[str, Any]]]) -> None:
    """Through boto3, only ClientError or ParamValidationError escape; refusals change nothing."""
    account = _populated()
    client = _client()
    with mock_iam(account):
        for operation, arguments in calls:
            method = getattr(client, botocore.xform_name(operation))
            before = account.snapshot()
            response: dict[str, Any] = {}
            outcome = "ok"
            try:
                method(**arguments)
            except botocore.exceptions.ParamValidationError:
                outcome = "ParamValidationError"
            except botocore.exceptions.ClientError as error:
                response = error.response
                outcome = response["Error"]["Code"]
            event(f"{operation}: {outcome}")
            if outcome == "ok":
                continue
            assert account.snapshot() is before
            if response:
                assert outcome in ALLOWED[operation], (operation, response)
                assert 400 <= response["ResponseMetadata"]["HTTPStatusCode"] < 500
