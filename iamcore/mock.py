"""Answer boto3/botocore IAM calls in-process from an :class:`~iamcore.Account`.

``mock_iam(account=None)`` is a context manager and a decorator.  While it is
active, every botocore IAM client, created before or inside it, is answered
at botocore's ``before-call`` stage: no HTTP, no XML.  botocore still
validates parameters on the client side (required members, types, minimum
lengths) exactly as it does against AWS; iamcore then applies the service's
own checks (maximum lengths, patterns, enums) and the IAM rules.

Responses are the dicts botocore parses from the real service (timestamps
with botocore's ``tzutc``, ``ResponseMetadata``), errors raise
``botocore.exceptions.ClientError`` with the AWS code and HTTP status, and
boto3 paginators work.  An operation iamcore does not model raises
:class:`NotImplementedError` naming it.

Requires the ``boto3`` extra (``pip install iamcore[boto3]``).
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from email.utils import formatdate
from typing import Any, ParamSpec, TypeVar

import botocore.client
from botocore.awsrequest import AWSResponse
from dateutil.tz import tzutc

from iamcore import _model, ids
from iamcore.account import Account
from iamcore.errors import IamError
from iamcore.serialize import to_response

__all__ = ["IamMock", "mock_iam"]

P = ParamSpec("P")
T = TypeVar("T")

_UTC = tzutc()
_PARAMS_KEY = "iamcore_params"
_HOOKED = "_iamcore_hooked"

_lock = threading.RLock()
_active: list[Account] = []
_original_make_api_call: Callable[..., Any] | None = None


def _stamp(value: datetime) -> datetime:
    return value.astimezone(_UTC)


def _capture_params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
    """Keep the caller's parameters: at before-call botocore has serialized them."""
    context[_PARAMS_KEY] = params


@functools.cache
def _input_names(operation: str) -> dict[str, str]:
    input_shape = _model.operation(operation)["input"]
    if input_shape is None:
        return {}
    members = _model.shape(input_shape)["members"]
    return {name: ref["snake"] for name, ref in members.items()}


def _metadata(account: Account, status: int) -> dict[str, Any]:
    request_id = ids.request_id(account.entropy)
    return {
        "RequestId": request_id,
        "HTTPStatusCode": status,
        "HTTPHeaders": {
            "x-amzn-requestid": request_id,
            "content-type": "text/xml",
            "date": formatdate(usegmt=True),
        },
        "RetryAttempts": 0,
    }


def _answer(
    model: Any, context: dict[str, Any], **_: Any
) -> tuple[AWSResponse, dict[str, Any]] | None:
    """The before-call handler: return ``(http_response, parsed)`` or let the call through."""
    if not _active:
        return None
    account = _active[-1]
    operation = model.name
    method = getattr(account, _model.operation(operation)["snake"], None)
    if method is None:
        raise NotImplementedError(f"iamcore does not model the IAM operation {operation} yet")
    params = context.get(_PARAMS_KEY, {})
    names = _input_names(operation)
    kwargs = {names.get(key, key): value for key, value in params.items()}
    try:
        result = method(**kwargs)
    except IamError as error:
        status = error.http_status
        parsed: dict[str, Any] = {
            "Error": {
                "Type": "Sender" if error.sender_fault else "Receiver",
                "Code": error.code,
                "Message": error.message,
            },
        }
    else:
        status = 200
        parsed = to_response(operation, result, _stamp)
    parsed["ResponseMetadata"] = _metadata(account, status)
    headers = parsed["ResponseMetadata"]["HTTPHeaders"]
    return AWSResponse("https://iam.amazonaws.com/", status, headers, None), parsed


def _hook(client: Any) -> None:
    if getattr(client, _HOOKED, False) or client.meta.service_model.service_name != "iam":
        return
    events = client.meta.events
    events.register_last("before-parameter-build.iam", _capture_params, unique_id=_PARAMS_KEY)
    events.register_first("before-call.iam", _answer, unique_id="iamcore_answer")
    setattr(client, _HOOKED, True)


def _patched_make_api_call(self: Any, operation_name: str, api_params: Any) -> Any:
    if _active:
        _hook(self)
    assert _original_make_api_call is not None
    return _original_make_api_call(self, operation_name, api_params)


def _push(account: Account) -> None:
    global _original_make_api_call
    with _lock:
        if _original_make_api_call is None:
            _original_make_api_call = botocore.client.BaseClient._make_api_call
            botocore.client.BaseClient._make_api_call = _patched_make_api_call
        _active.append(account)


def _pop(account: Account) -> None:
    global _original_make_api_call
    with _lock:
        _active.remove(account)
        if not _active and _original_make_api_call is not None:
            botocore.client.BaseClient._make_api_call = _original_make_api_call
            _original_make_api_call = None


class IamMock(contextlib.ContextDecorator):
    """The object ``mock_iam`` returns: a context manager and a decorator."""

    def __init__(self, account: Account | None = None) -> None:
        self._given = account
        self.account: Account | None = None

    def start(self) -> Account:
        """Start answering IAM calls; return the account that answers them."""
        self.account = self._given if self._given is not None else Account()
        _push(self.account)
        return self.account

    def stop(self) -> None:
        """Stop answering IAM calls."""
        if self.account is not None:
            _pop(self.account)
            self.account = None

    def __enter__(self) -> Account:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _recreate_cm(self) -> IamMock:
        # as a decorator each call gets its own fresh account (unless one was given)
        return IamMock(self._given)


def mock_iam(account: Account | None = None) -> IamMock:
    """Answer every boto3 IAM call from ``account`` (a fresh Account if ``None``).

    >>> import boto3
    >>> with mock_iam() as account:
    ...     iam = boto3.client("iam", region_name="us-east-1")
    ...     _ = iam.create_user(UserName="alice")
    ...     [u.user_name for u in account.list_users().users]
    ['alice']
    """
    return IamMock(account)


@contextlib.contextmanager
def _active_account(account: Account) -> Iterator[Account]:  # pragma: no cover - helper
    with mock_iam(account) as active:
        yield active
