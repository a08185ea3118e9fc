"""Helpers shared by iamcore's own tests (the shared fixtures are in ``conftest.py``).

boto3 and botocore are imported where they are used, so that importing this
module (as ``conftest.py`` does) never needs them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import attrs
import pytest

#: the operations of the users/groups/tags family (issue 2)
FOUNDATION_OPERATIONS = [
    "CreateUser",
    "GetUser",
    "ListUsers",
    "UpdateUser",
    "DeleteUser",
    "CreateGroup",
    "GetGroup",
    "ListGroups",
    "UpdateGroup",
    "DeleteGroup",
    "AddUserToGroup",
    "RemoveUserFromGroup",
    "ListGroupsForUser",
    "TagUser",
    "UntagUser",
    "ListUserTags",
]


def boto3_client(key_id: str = "testing", secret: str = "testing") -> Any:
    """A boto3 IAM client in us-east-1 signing with ``key_id``/``secret`` (by default the
    fake ``testing`` credentials, which the mock answers as the account's administrator)."""
    import boto3

    return boto3.client(
        "iam", region_name="us-east-1", aws_access_key_id=key_id, aws_secret_access_key=secret
    )


def body(response: dict[str, Any]) -> dict[str, Any]:
    """The response without ResponseMetadata, checking the HTTP status is 200."""
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    return {key: value for key, value in response.items() if key != "ResponseMetadata"}


def error(call: Any, **kwargs: Any) -> tuple[str, str, int]:
    """Call, expect a ClientError of Type Sender; return (code, message, HTTP status)."""
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    response = caught.value.response
    assert response["Error"]["Type"] == "Sender"
    return (
        response["Error"]["Code"],
        response["Error"]["Message"],
        response["ResponseMetadata"]["HTTPStatusCode"],
    )


def aware(value: object) -> bool:
    """Whether ``value`` is a timezone-aware datetime (as boto3 parses IAM's timestamps)."""
    return isinstance(value, datetime) and value.utcoffset() is not None


def client_as(account: Any, user_name: str) -> Any:
    """A boto3 IAM client signed with a new access key of ``user_name`` in ``account``."""
    key = account.create_access_key(user_name=user_name).access_key
    return boto3_client(key.access_key_id, key.secret_access_key)


def policy(*statements: dict[str, Any]) -> str:
    """An identity policy document (Version 2012-10-17) of ``statements``, as JSON text."""
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    """An Allow statement."""
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    """A Deny statement."""
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def walk(value: object) -> Iterator[object]:
    """Every value reachable from an attrs result (fields, tuples, lists and mappings)."""
    yield value
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from walk(getattr(value, field.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from walk(item)
    elif hasattr(value, "items"):
        for key, item in value.items():
            yield from walk(key)
            yield from walk(item)


def fresh_snapshot(account: Any) -> Any:
    """``account.snapshot()`` rebuilt from the live state, never the cached value.

    The cache is keyed by a version that only a successful call bumps, so after a
    failed call ``account.snapshot()`` returns the value from before the call even
    if the rule half-applied it; compare this one to prove a failed call changed nothing.
    """
    with account._lock:
        account._state._snapshot = None
        return account.snapshot()


def pages(call: Any, listed: str, **kwargs: Any) -> list[list[Any]]:
    """Every page of a native list call, following ``Marker`` until ``IsTruncated`` is
    false; ``listed`` names the result field that holds the page (``users``, …).

    Checks on every page that a Marker comes back exactly while the listing is truncated.
    """
    found: list[list[Any]] = []
    marker: str | None = None
    while True:
        result = call(**kwargs) if marker is None else call(marker=marker, **kwargs)
        assert (result.marker is not None) == result.is_truncated
        found.append(list(getattr(result, listed)))
        if not result.is_truncated:
            return found
        marker = result.marker
