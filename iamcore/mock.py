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

STS ``GetCallerIdentity`` is answered too (who is calling, as the account
knows it), so code that reads its account ID or caller ARN from STS runs
under the mock; other STS calls are left alone.

Requires the ``boto3`` extra (``pip install iamcore[boto3]``).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import threading
import time
from collections.abc import Callable
from datetime import datetime
from email.utils import formatdate
from typing import Any, ParamSpec, TypeVar

import botocore.client
from botocore.awsrequest import AWSResponse, HeadersDict
from botocore.credentials import Credentials
from dateutil.tz import tzutc

from iamcore import _model, ids
from iamcore.account import Account, current_caller, current_mfa_session
from iamcore.auth import is_account_key
from iamcore.enforcement import enforcing
from iamcore.errors import IamError
from iamcore.serialize import to_response

__all__ = ["IamMock", "mock_iam"]

P = ParamSpec("P")
T = TypeVar("T")

_UTC = tzutc()
_TEMPORARY_KEY = ids.IdPrefix.TEMPORARY_ACCESS_KEY.value  # "ASIA": STS session credentials
_HOOKED = "_iamcore_hooked"

_lock = threading.RLock()
_active: list[Account] = []
_original_make_api_call: Callable[..., Any] | None = None


#: the last ``(timestamp, stamped)``: a listing's users mostly share a creation second
_last_stamp: tuple[datetime | None, datetime | None] = (None, None)


def _stamp(value: datetime) -> datetime:
    global _last_stamp
    last_value, last_stamped = _last_stamp
    if last_stamped is not None and value == last_value:  # the same instant: the same answer
        return last_stamped
    stamped = value.astimezone(_UTC)
    _last_stamp = (value, stamped)
    return stamped


#: The caller's parameters of the API call under way in this context.  At
#: ``before-call`` botocore has already serialized them into a Query body, so
#: the patched ``_make_api_call`` keeps them here for :func:`_answer`.
_call_params: contextvars.ContextVar[Any] = contextvars.ContextVar("iamcore_call_params")


@functools.cache
def _input_names(operation: str) -> dict[str, str]:
    input_shape = _model.operation(operation)["input"]
    if input_shape is None:
        return {}
    members = _model.shape(input_shape)["members"]
    return {name: ref["snake"] for name, ref in members.items()}


#: ``(second, HTTP date)``: the ``date`` header changes once a second, so format it once.
_date_header: tuple[int, str] = (0, "")


class _Response(AWSResponse):  # type: ignore[misc]
    """The ``AWSResponse`` handed to botocore, its ``HeadersDict`` built on first use.

    Building a ``HeadersDict`` is the dearest part of a response and botocore
    reads no IAM response's headers (the caller sees ``ResponseMetadata``), so
    it waits until something asks for ``headers``; what it then gets is the
    same as from ``AWSResponse(url, status, headers, None)``.
    """

    def __init__(self, status_code: int, headers: dict[str, str]) -> None:
        self.url = "https://iam.amazonaws.com/"
        self.status_code = status_code
        self.raw = None
        self._content = None
        self._plain_headers: dict[str, str] | None = headers
        self._headers: Any = None

    @property
    def headers(self) -> Any:
        if self._plain_headers is not None:
            self._headers = HeadersDict(self._plain_headers)
            self._plain_headers = None
        return self._headers

    @headers.setter
    def headers(self, value: Any) -> None:
        self._headers = HeadersDict(value)
        self._plain_headers = None


#: operation -> (Account method name, {API member name: keyword}), filled on first use
_dispatch: dict[str, tuple[str, dict[str, str]]] = {}


def _dispatch_for(operation: str) -> tuple[str, dict[str, str]]:
    entry = _dispatch[operation] = (_model.operation(operation)["snake"], _input_names(operation))
    return entry


def _metadata(account: Account, status: int) -> dict[str, Any]:
    global _date_header
    request_id = ids.request_id(account.entropy)
    second = int(time.time())
    if _date_header[0] != second:
        _date_header = (second, formatdate(second, usegmt=True))
    return {
        "RequestId": request_id,
        "HTTPStatusCode": status,
        "HTTPHeaders": {
            "x-amzn-requestid": request_id,
            "content-type": "text/xml",
            "date": _date_header[1],
        },
        "RetryAttempts": 0,
    }


def _signing_key(request_signer: Any, account_id: str) -> tuple[str, str] | None:
    """The access key ID and secret a client signs with, if it is one of the account's.

    ``None`` for unsigned clients and for credentials that are no key of this
    account (the usual ``testing``).
    """
    pair = _credentials(request_signer)
    if pair is None or not _is_account_key(account_id, pair[0]):
        return None
    return pair


def _credentials(request_signer: Any) -> tuple[str, str] | None:
    """The access key ID and secret a client signs with; ``None`` for unsigned clients.

    Plain static credentials are read without freezing them, which is what makes
    the common case cheap.
    """
    credentials = getattr(request_signer, "_credentials", None)
    if credentials is None:
        return None
    if type(credentials) is Credentials:
        access_key, secret_key = credentials.access_key, credentials.secret_key
    else:  # refreshable credentials: read one consistent pair
        frozen = credentials.get_frozen_credentials()
        access_key, secret_key = frozen.access_key, frozen.secret_key
    if not access_key:
        return None
    return access_key, secret_key or ""


@functools.lru_cache(maxsize=1024)
def _is_account_key(account_id: str, access_key_id: str) -> bool:
    return is_account_key(account_id, access_key_id)


def _call_as_signer(
    account: Account,
    method: Callable[..., Any],
    kwargs: dict[str, Any],
    request_signer: Any,
    operation: str,
) -> Any:
    """Run ``method`` as the user whose key signed the request (issue 3).

    A request signed with one of the account's access keys (an ``AKIA`` ID
    that encodes the account) is authenticated — InvalidClientTokenId for an
    unknown, deleted or Inactive key, SignatureDoesNotMatch for a wrong secret
    — and made by that key's user; the key's last use is recorded (service
    ``iam``, region ``us-east-1``: IAM is global), and so is the attempt to
    use IAM's ``operation`` (service last accessed data).  Any other credentials (the
    usual ``testing``) leave the caller as it is: the account's administrator,
    or the user of an enclosing ``account.acting_as(...)``.
    """
    key = _signing_key(request_signer, account.account_id)
    if key is None:
        return method(**kwargs)
    identity = account.authenticate(
        access_key_id=key[0], secret_access_key=key[1], action=operation
    )
    token = current_caller.set(identity.user_id)
    mfa_token = current_mfa_session.set(None)  # a long-term access key: no MFA session
    try:
        return method(**kwargs)
    finally:
        current_mfa_session.reset(mfa_token)
        current_caller.reset(token)


def _answer(
    model: Any, context: dict[str, Any], request_signer: Any = None, **_: Any
) -> tuple[AWSResponse, dict[str, Any]] | None:
    """The before-call handler: return ``(http_response, parsed)`` or let the call through."""
    try:
        account = _active[-1]
    except IndexError:  # no mock active (another thread may just have stopped the last one)
        return None
    operation = model.name
    snake, names = _dispatch.get(operation) or _dispatch_for(operation)
    method = getattr(account, snake, None)
    if method is None:
        raise NotImplementedError(f"iamcore does not model the IAM operation {operation} yet")
    params = _call_params.get(None) or {}
    kwargs = {names.get(key, key): value for key, value in params.items()}
    enforce_token = enforcing.set(True) if _enforces(account) else None
    try:
        result = _call_as_signer(account, method, kwargs, request_signer, operation)
    except IamError as error:
        return _respond(account, error.http_status, _error_body(error))
    else:
        return _respond(account, 200, to_response(operation, result, _stamp))
    finally:
        if enforce_token is not None:
            enforcing.reset(enforce_token)


def _error_body(error: IamError) -> dict[str, Any]:
    """What botocore parses from the service's error response."""
    details = {"Type": "Sender" if error.sender_fault else "Receiver", "Code": error.code}
    if error.message:  # AWS sends some errors (GetCredentialReport's) with no message
        details["Message"] = error.message
    return {"Error": details}


def _respond(
    account: Account, status: int, parsed: dict[str, Any]
) -> tuple[AWSResponse, dict[str, Any]]:
    parsed["ResponseMetadata"] = _metadata(account, status)
    return _Response(status, parsed["ResponseMetadata"]["HTTPHeaders"]), parsed


def _answer_caller_identity(
    request_signer: Any = None, **_: Any
) -> tuple[AWSResponse, dict[str, Any]] | None:
    """The before-call handler of STS GetCallerIdentity: who is calling, as the account
    knows it.

    A request signed with one of the account's keys is authenticated as for IAM
    (InvalidClientTokenId, SignatureDoesNotMatch) and answers that key's user; the
    key's last use is recorded for ``sts`` in the client's region.  The operation
    needs no permission (AWS: it works even under an explicit Deny), so it is never
    authorized and is no service access attempt.  Temporary credentials (``ASIA``
    key IDs) come from an STS iamcore does not model (moto's, AWS's): the call is
    left to it.  Any other credentials answer the user of an enclosing
    ``account.acting_as(...)``, else the root user (``UserId`` the account ID,
    ``Arn`` ``arn:aws:iam::<account>:root``).
    """
    try:
        account = _active[-1]
    except IndexError:
        return None
    pair = _credentials(request_signer)
    if pair is not None and pair[0].startswith(_TEMPORARY_KEY):
        return None  # a session of an STS iamcore does not model: let it answer
    key = pair if pair is not None and _is_account_key(account.account_id, pair[0]) else None
    try:
        if key is not None:
            identity = account.authenticate(
                access_key_id=key[0],
                secret_access_key=key[1],
                service="sts",
                region=getattr(request_signer, "region_name", None) or "us-east-1",
                service_access=False,
            )
            user_id, arn = identity.user_id, identity.arn
        else:
            enforce_token = enforcing.set(False)  # needs no permission
            try:
                caller = account.get_user().user
            finally:
                enforcing.reset(enforce_token)
            user_id, arn = caller.user_id, caller.arn
    except IamError as error:
        return _respond(account, error.http_status, _error_body(error))
    return _respond(account, 200, {"UserId": user_id, "Account": account.account_id, "Arn": arn})


def _hook(client: Any) -> None:
    if getattr(client, _HOOKED, False):
        return
    service = client.meta.service_model.service_name
    if service == "iam":
        client.meta.events.register_first("before-call.iam", _answer, unique_id="iamcore_answer")
    elif service == "sts":  # its other operations go where they went before
        client.meta.events.register_first(
            "before-call.sts.GetCallerIdentity",
            _answer_caller_identity,
            unique_id="iamcore_caller_identity",
        )
    else:
        return
    setattr(client, _HOOKED, True)


def _patched_make_api_call(self: Any, operation_name: str, api_params: Any) -> Any:
    if _active:
        _hook(self)
    # Read once: another thread stopping the last mock restores botocore's own
    # method and then sets this back to None; the call then runs botocore's method.
    original = _original_make_api_call or botocore.client.BaseClient._make_api_call
    token = _call_params.set(api_params)
    try:
        return original(self, operation_name, api_params)
    finally:
        _call_params.reset(token)


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


#: ``(account, enforce)`` of every active mock, innermost last (issue 4)
_enforce_stack: list[tuple[Account, bool]] = []


#: ``id(account)`` -> whether its innermost active mock enforces (rebuilt from the stack on
#: every start and stop, so each call reads it with one lookup)
_enforcing_accounts: dict[int, bool] = {}


def _restack() -> None:
    """Rebuild :data:`_enforcing_accounts` from the stack (under ``_lock``); swapped in
    whole, so a call on another thread reads the old map or the new one."""
    global _enforcing_accounts
    # innermost last: a later entry for the same account wins
    _enforcing_accounts = {id(active): flag for active, flag in _enforce_stack}


def _enforces(account: Account) -> bool:
    """Whether the innermost mock answering from ``account`` enforces permissions."""
    return _enforcing_accounts.get(id(account), False)


class IamMock(contextlib.ContextDecorator):
    """The object ``mock_iam`` returns: a context manager and a decorator."""

    def __init__(self, account: Account | None = None, *, enforce: bool = False) -> None:
        self._given = account
        self._enforce = enforce
        self.account: Account | None = None

    def start(self) -> Account:
        """Start answering IAM calls; return the account that answers them."""
        self.account = self._given if self._given is not None else Account()
        with _lock:
            _push(self.account)
            _enforce_stack.append((self.account, self._enforce))
            _restack()
        return self.account

    def stop(self) -> None:
        """Stop answering IAM calls."""
        if self.account is not None:
            with _lock:
                _pop(self.account)
                for index in range(len(_enforce_stack) - 1, -1, -1):
                    active, flag = _enforce_stack[index]
                    if active is self.account and flag == self._enforce:
                        del _enforce_stack[index]
                        break
                _restack()
            self.account = None

    def __enter__(self) -> Account:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _recreate_cm(self) -> IamMock:
        # as a decorator each call gets its own fresh account (unless one was given)
        return IamMock(self._given, enforce=self._enforce)


def mock_iam(account: Account | None = None, *, enforce: bool = False) -> IamMock:
    """Answer every boto3 IAM call from ``account`` (a fresh Account if ``None``).

    With ``enforce=True``, a call signed with one of the account's access keys
    is authorized against that key's user's policies and permissions boundary
    and fails with AccessDenied (HTTP 403) when AWS would refuse it (see
    :mod:`iamcore.enforcement`); unsigned calls and the usual ``testing``
    credentials act as the account's administrator and are never checked.

    >>> import boto3
    >>> with mock_iam() as account:
    ...     iam = boto3.client("iam", region_name="us-east-1")
    ...     _ = iam.create_user(UserName="alice")
    ...     [u.user_name for u in account.list_users().users]
    ['alice']
    """
    return IamMock(account, enforce=enforce)
