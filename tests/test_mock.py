"""The boto3 mock: responses as botocore parses them from the real service, errors, paginators.

The reference for "what boto3 returns" is a boto3 client, with no mock, fed
the HTTP response the IAM API documents for the call (XML body, headers,
status) at botocore's ``before-send`` stage: botocore's own parser, retry
handler and error factory then build the result.  The mock's answer must
equal it field for field and type for type.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape

import boto3
import botocore.exceptions
import pytest
from botocore.awsrequest import AWSResponse
from dateutil.tz import tzlocal, tzutc

from iamcore import Account
from iamcore.mock import IamMock, mock_iam
from iamcore.testing import FixedClock, seeded_entropy
from tests.helpers import boto3_client

NS = "https://iam.amazonaws.com/doc/2010-05-08/"


@pytest.fixture
def mocked() -> Iterator[tuple[Any, Account]]:
    """A boto3 IAM client answered by a fresh, seeded account."""
    account = Account(clock=FixedClock(), entropy=seeded_entropy(11))
    with mock_iam(account):
        yield boto3_client(), account


# -- reference responses ------------------------------------------------------------------------


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _element(name: str, value: Any) -> str:
    return f"<{name}>{escape(str(value))}</{name}>"


def _tags_xml(tags: list[dict[str, str]]) -> str:
    members = "".join(
        f"<member>{_element('Key', t['Key'])}{_element('Value', t['Value'])}</member>"
        for t in tags
    )
    return f"<Tags>{members}</Tags>"


def _user_xml(user: dict[str, Any], *, full: bool) -> str:
    """A ``User`` element; only CreateUser/GetUser carry Tags, and only when there are some."""
    parts = [
        _element("Path", user["Path"]),
        _element("UserName", user["UserName"]),
        _element("UserId", user["UserId"]),
        _element("Arn", user["Arn"]),
        _element("CreateDate", _stamp(user["CreateDate"])),
    ]
    if full and user.get("Tags"):
        parts.append(_tags_xml(user["Tags"]))
    if full and "PermissionsBoundary" in user:
        boundary = user["PermissionsBoundary"]
        parts.append(
            "<PermissionsBoundary>"
            + _element("PermissionsBoundaryType", boundary["PermissionsBoundaryType"])
            + _element("PermissionsBoundaryArn", boundary["PermissionsBoundaryArn"])
            + "</PermissionsBoundary>"
        )
    return "".join(parts)


def _group_xml(group: dict[str, Any]) -> str:
    return "".join(
        [
            _element("Path", group["Path"]),
            _element("GroupName", group["GroupName"]),
            _element("GroupId", group["GroupId"]),
            _element("Arn", group["Arn"]),
            _element("CreateDate", _stamp(group["CreateDate"])),
        ]
    )


def _paging_xml(response: dict[str, Any]) -> str:
    """IsTruncated, and Marker only when IsTruncated is true (the IAM paging contract)."""
    text = _element("IsTruncated", str(response["IsTruncated"]).lower())
    if response["IsTruncated"]:
        text += _element("Marker", response["Marker"])
    return text


def _result_xml(operation: str, response: dict[str, Any]) -> str:
    """The documented XML result element of ``operation`` carrying ``response``'s values."""
    if operation in {"CreateUser", "GetUser"}:
        return f"<User>{_user_xml(response['User'], full=True)}</User>"
    if operation == "ListUsers":
        users = "".join(f"<member>{_user_xml(u, full=False)}</member>" for u in response["Users"])
        return f"<Users>{users}</Users>{_paging_xml(response)}"
    if operation == "CreateGroup":
        return f"<Group>{_group_xml(response['Group'])}</Group>"
    if operation == "GetGroup":
        users = "".join(f"<member>{_user_xml(u, full=False)}</member>" for u in response["Users"])
        return (
            f"<Group>{_group_xml(response['Group'])}</Group><Users>{users}</Users>"
            + _paging_xml(response)
        )
    if operation in {"ListGroups", "ListGroupsForUser"}:
        groups = "".join(f"<member>{_group_xml(g)}</member>" for g in response["Groups"])
        return f"<Groups>{groups}</Groups>{_paging_xml(response)}"
    if operation == "ListUserTags":
        return _tags_xml(response["Tags"]) + _paging_xml(response)
    return ""  # operations without output: only ResponseMetadata


class _Body:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


def _real_client_answer(
    method: str, kwargs: dict[str, Any], status: int, body: str, headers: dict[str, str]
) -> dict[str, Any]:
    """What a plain boto3 client returns when IAM answers ``body`` (no mock involved)."""
    client = boto3_client()

    def send(**_: Any) -> AWSResponse:
        return AWSResponse("https://iam.amazonaws.com/", status, headers, _Body(body.encode()))

    client.meta.events.register("before-send.iam", send)
    try:
        response: dict[str, Any] = getattr(client, method)(**kwargs)
    except botocore.exceptions.ClientError as error:
        return {"raised": type(error).__name__, **error.response}
    return response


def _same(mine: Any, theirs: Any, where: str = "") -> None:
    """Equal values of identical types, recursively (datetimes: see _same_zone)."""
    assert type(mine) is type(theirs), (where, type(mine), type(theirs))
    if isinstance(mine, dict):
        assert set(mine) == set(theirs), (where, set(mine) ^ set(theirs))
        for key in mine:
            _same(mine[key], theirs[key], f"{where}.{key}")
    elif isinstance(mine, list):
        assert len(mine) == len(theirs), where
        for index, (a, b) in enumerate(zip(mine, theirs, strict=True)):
            _same(a, b, f"{where}[{index}]")
    else:
        assert mine == theirs, where
        if isinstance(mine, datetime):
            _same_zone(mine, theirs, where)


def _same_zone(mine: datetime, theirs: datetime, where: str) -> None:
    """The mock stamps times with dateutil's tzutc().  botocore does too, except on a machine
    whose local zone is UTC, where dateutil reads the 'Z' suffix as tzlocal() (same instant,
    zero offset)."""
    assert isinstance(mine.tzinfo, tzutc), where
    assert isinstance(theirs.tzinfo, tzutc | tzlocal), where
    assert theirs.utcoffset() == mine.utcoffset() == timedelta(0), where


class Recorder:
    """Calls boto3 methods through the mock and remembers them for comparison afterwards."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.calls: list[tuple[str, dict[str, Any], dict[str, Any]]] = []

    def __call__(self, method: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response: dict[str, Any] = getattr(self.client, method)(**kwargs)
        except botocore.exceptions.ClientError as error:
            response = {"raised": type(error).__name__, **error.response}
        self.calls.append((method, kwargs, response))
        return response

    def verify(self) -> None:
        """Compare every recorded answer with a real client's parse (call after the mock)."""
        for method, kwargs, response in self.calls:
            _check(method, kwargs, response)


def _check(method: str, kwargs: dict[str, Any], response: dict[str, Any]) -> None:
    metadata = response["ResponseMetadata"]
    assert set(metadata) == {"RequestId", "HTTPStatusCode", "HTTPHeaders", "RetryAttempts"}
    assert metadata["RetryAttempts"] == 0
    assert isinstance(metadata["RequestId"], str)
    assert metadata["HTTPHeaders"]["x-amzn-requestid"] == metadata["RequestId"]
    assert metadata["HTTPHeaders"]["content-type"] == "text/xml"
    status = metadata["HTTPStatusCode"]
    request_id = metadata["RequestId"]
    operation = boto3_client().meta.method_to_api_mapping[method]
    if "Error" in response:
        info = response["Error"]
        kind = "Sender" if status < 500 else "Receiver"
        body = (
            f'<ErrorResponse xmlns="{NS}"><Error>{_element("Type", kind)}'
            f"{_element('Code', info['Code'])}{_element('Message', info['Message'])}</Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        )
    else:
        assert status == 200
        result = _result_xml(operation, response)
        wrapped = f"<{operation}Result>{result}</{operation}Result>" if result else ""
        body = (
            f'<{operation}Response xmlns="{NS}">{wrapped}'
            f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata>"
            f"</{operation}Response>"
        )
    reference = _real_client_answer(method, kwargs, status, body, metadata["HTTPHeaders"])
    _same(response, reference)


# -- every operation, field for field ------------------------------------------------------------


def test_user_operations_match_a_real_client() -> None:
    """CreateUser/GetUser/ListUsers/UpdateUser/DeleteUser answer like the real service."""
    with mock_iam(Account(clock=FixedClock(), entropy=seeded_entropy(11))):
        call = Recorder(boto3_client())
        created = call(
            "create_user", UserName="alice", Path="/eng/", Tags=[{"Key": "k", "Value": "v"}]
        )
        assert isinstance(created["User"]["CreateDate"].tzinfo, tzutc)
        plain = call("create_user", UserName="bob")
        assert "Tags" not in plain["User"]
        assert "PermissionsBoundary" not in plain["User"]
        got = call("get_user", UserName="ALICE")
        assert got["User"]["Tags"] == [{"Key": "k", "Value": "v"}]
        assert "Tags" not in call("get_user", UserName="bob")["User"]
        listed = call("list_users")
        assert [u["UserName"] for u in listed["Users"]] == ["alice", "bob"]
        assert all("Tags" not in u and "PermissionsBoundary" not in u for u in listed["Users"])
        assert listed["IsTruncated"] is False
        assert "Marker" not in listed
        truncated = call("list_users", MaxItems=1)
        assert truncated["IsTruncated"] is True
        assert isinstance(truncated["Marker"], str)
        call("list_users", MaxItems=1, Marker=truncated["Marker"], PathPrefix="/")
        call("update_user", UserName="bob", NewUserName="robert", NewPath="/x/")
        assert call("get_user", UserName="robert")["User"]["Arn"].endswith(":user/x/robert")
        call("delete_user", UserName="robert")
        call("get_user", UserName="robert")
        call("create_user", UserName="ALICE")
    call.verify()


def test_permissions_boundary_through_boto3() -> None:
    """GetUser shows a user's boundary as {PermissionsBoundaryType: Policy, ...}; ListUsers not."""
    boundary = "arn:aws:iam::aws:policy/AdministratorAccess"
    with mock_iam(Account(clock=FixedClock(), entropy=seeded_entropy(14))):
        call = Recorder(boto3_client())
        created = call("create_user", UserName="bounded", PermissionsBoundary=boundary)
        if "Error" in created:  # no managed policies modelled: refused, never dropped
            assert created["Error"]["Code"] in {"NoSuchEntity", "InvalidInput"}
            assert "Error" in call("get_user", UserName="bounded")
        else:
            user = call("get_user", UserName="bounded")["User"]
            assert user["PermissionsBoundary"] == {
                "PermissionsBoundaryType": "Policy",
                "PermissionsBoundaryArn": boundary,
            }
            (listed,) = call("list_users")["Users"]
            assert "PermissionsBoundary" not in listed
    call.verify()


def test_group_operations_match_a_real_client() -> None:
    """Group and membership operations answer like the real service."""
    with mock_iam(Account(clock=FixedClock(), entropy=seeded_entropy(12))):
        call = Recorder(boto3_client())
        call("create_user", UserName="u1", Tags=[{"Key": "k", "Value": "v"}])
        call("create_user", UserName="u2")
        call("create_group", GroupName="devs", Path="/eng/")
        call("add_user_to_group", GroupName="devs", UserName="u1")
        call("add_user_to_group", GroupName="devs", UserName="u2")
        group = call("get_group", GroupName="devs")
        assert [u["UserName"] for u in group["Users"]] == ["u1", "u2"]
        assert all("Tags" not in u for u in group["Users"])
        call("get_group", GroupName="devs", MaxItems=1)
        call("list_groups")
        call("list_groups", PathPrefix="/eng/", MaxItems=1)
        call("list_groups_for_user", UserName="u1")
        call("delete_group", GroupName="devs")
        call("remove_user_from_group", GroupName="devs", UserName="u2")
        call("update_group", GroupName="devs", NewGroupName="engineers")
        renamed = call("list_groups_for_user", UserName="u1")
        assert renamed["Groups"][0]["GroupName"] == "engineers"
        call("remove_user_from_group", GroupName="engineers", UserName="u1")
        call("delete_group", GroupName="engineers")
        assert call("list_groups")["Groups"] == []
        call("get_group", GroupName="engineers")
    call.verify()


def test_tag_operations_match_a_real_client() -> None:
    """TagUser/UntagUser/ListUserTags answer like the real service."""
    with mock_iam(Account(clock=FixedClock(), entropy=seeded_entropy(13))):
        call = Recorder(boto3_client())
        call("create_user", UserName="u")
        assert call("list_user_tags", UserName="u")["Tags"] == []
        tags = [
            {"Key": "b", "Value": "2"},
            {"Key": "a", "Value": ""},
            {"Key": "é", "Value": "ß ü"},
        ]
        call("tag_user", UserName="u", Tags=tags)
        assert call("list_user_tags", UserName="u")["Tags"] == [
            {"Key": "a", "Value": ""},
            {"Key": "b", "Value": "2"},
            {"Key": "é", "Value": "ß ü"},
        ]
        call("list_user_tags", UserName="u", MaxItems=2)
        call("untag_user", UserName="u", TagKeys=["A", "missing"])
        assert [t["Key"] for t in call("list_user_tags", UserName="u")["Tags"]] == ["b", "é"]
        call("tag_user", UserName="u", Tags=[{"Key": "aws:x", "Value": "v"}])
        call("tag_user", UserName="u", Tags=[{"Key": "bad!", "Value": "v"}])
    call.verify()


def test_boto3_calls_change_the_native_account(mocked: tuple[Any, Account]) -> None:
    """The mock's account is the one the context manager yields."""
    iam, account = mocked
    iam.create_user(UserName="shared")
    assert account.get_user(user_name="shared").user.user_name == "shared"
    account.create_group(group_name="native")
    assert iam.get_group(GroupName="native")["Group"]["GroupName"] == "native"


# -- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "exception", "code", "status"),
    [
        (lambda c: c.get_user(UserName="nobody"), "NoSuchEntityException", "NoSuchEntity", 404),
        (
            lambda c: c.create_user(UserName="EXISTS"),
            "EntityAlreadyExistsException",
            "EntityAlreadyExists",
            409,
        ),
        (
            lambda c: c.delete_group(GroupName="g"),
            "DeleteConflictException",
            "DeleteConflict",
            409,
        ),
        (
            lambda c: c.tag_user(UserName="exists", Tags=[{"Key": "aws:x", "Value": "v"}]),
            "InvalidInputException",
            "InvalidInput",
            400,
        ),
        (
            lambda c: c.tag_user(
                UserName="exists", Tags=[{"Key": f"k{i}", "Value": ""} for i in range(50)]
            ),
            "LimitExceededException",
            "LimitExceeded",
            409,
        ),
    ],
)
def test_client_errors(
    mocked: tuple[Any, Account], call: Any, exception: str, code: str, status: int
) -> None:
    """Errors raise the modelled ClientError subclass with the AWS code and HTTP status."""
    iam, account = mocked
    iam.create_user(UserName="exists", Tags=[{"Key": "t", "Value": "v"}])
    iam.create_group(GroupName="g")
    iam.add_user_to_group(GroupName="g", UserName="exists")
    before = account.snapshot()
    with pytest.raises(getattr(iam.exceptions, exception)) as caught:
        call(iam)
    error = caught.value
    assert isinstance(error, botocore.exceptions.ClientError)
    assert error.response["Error"]["Code"] == code
    assert error.response["Error"]["Type"] == "Sender"
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert error.operation_name in str(error)
    assert account.snapshot() is before


def test_validation_error_through_boto3(mocked: tuple[Any, Account]) -> None:
    """Service-side checks (max, pattern) reach boto3 as ClientError ValidationError 400."""
    iam, account = mocked
    for kwargs in ({"UserName": "bad name!"}, {"UserName": "x" * 65}, {"UserName": "bob\n"}):
        with pytest.raises(botocore.exceptions.ClientError) as caught:
            iam.create_user(**kwargs)
        assert caught.value.response["Error"]["Code"] == "ValidationError"
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert caught.value.response["Error"]["Message"].startswith(
            "1 validation error detected: Value "  # a too-long value is not echoed
        )
    assert account.list_users().users == ()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"UserName": ""},
        {"UserName": 5},
        {},
        {"UserName": "ok", "Bogus": 1},
        {"UserName": "ok", "Tags": [{"Key": "k"}]},
    ],
)
def test_botocore_client_side_validation_still_happens(
    mocked: tuple[Any, Account], kwargs: dict[str, Any]
) -> None:
    """botocore's own ParamValidationError comes first, exactly as against AWS."""
    iam, account = mocked
    with pytest.raises(botocore.exceptions.ParamValidationError):
        iam.create_user(**kwargs)
    with pytest.raises(botocore.exceptions.ParamValidationError):
        iam.list_users(MaxItems=0)
    assert account.list_users().users == ()


def test_unmodelled_operation_fails_loudly(mocked: tuple[Any, Account]) -> None:
    """An IAM operation iamcore does not model raises NotImplementedError naming it."""
    iam, _ = mocked
    candidates = [
        (
            "create_saml_provider",
            "CreateSAMLProvider",
            {"Name": "idp", "SAMLMetadataDocument": "x" * 1000},
        ),
        ("list_saml_providers", "ListSAMLProviders", {}),
        ("list_open_id_connect_providers", "ListOpenIDConnectProviders", {}),
    ]
    unmodelled = [c for c in candidates if not hasattr(Account, c[0])]
    assert unmodelled, "every candidate is modelled now: pick another unmodelled operation"
    method, operation, kwargs = unmodelled[0]
    with pytest.raises(NotImplementedError, match=operation):
        getattr(iam, method)(**kwargs)


def test_waiters(mocked: tuple[Any, Account]) -> None:
    """botocore's IAM waiters (UserExists, PolicyExists) poll GetUser/GetPolicy: they
    return at once for an existing entity and give up after NoSuchEntity answers."""
    from botocore.exceptions import WaiterError

    iam, _ = mocked
    iam.create_user(UserName="waited")
    iam.get_waiter("user_exists").wait(UserName="waited")
    document = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
    )
    arn = iam.create_policy(PolicyName="waited", PolicyDocument=document)["Policy"]["Arn"]
    iam.get_waiter("policy_exists").wait(PolicyArn=arn)
    with pytest.raises(WaiterError, match="NoSuchEntity"):
        iam.get_waiter("user_exists").wait(
            UserName="missing", WaiterConfig={"Delay": 0.01, "MaxAttempts": 2}
        )


# -- paginators ----------------------------------------------------------------------------------


def test_paginators(mocked: tuple[Any, Account]) -> None:
    """boto3 paginators work across pages for every paginated operation of the family."""
    iam, _ = mocked
    names = [f"user{i:02d}" for i in range(7)]
    groups = [f"group{i}" for i in range(5)]
    for name in names:
        iam.create_user(UserName=name)
    for group in groups:
        iam.create_group(GroupName=group)
        iam.add_user_to_group(GroupName=group, UserName="user00")
    for name in names:
        iam.add_user_to_group(GroupName="group0", UserName=name)
    iam.tag_user(UserName="user00", Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(9)])
    config = {"PageSize": 2}

    pages = list(iam.get_paginator("list_users").paginate(PaginationConfig=config))
    assert len(pages) == 4
    assert [u["UserName"] for p in pages for u in p["Users"]] == names
    assert all("Marker" in p for p in pages[:-1])
    assert "Marker" not in pages[-1]

    pages = list(
        iam.get_paginator("get_group").paginate(GroupName="group0", PaginationConfig=config)
    )
    assert len(pages) == 4
    assert [u["UserName"] for p in pages for u in p["Users"]] == names
    assert all(p["Group"]["GroupName"] == "group0" for p in pages)

    pages = list(iam.get_paginator("list_groups").paginate(PaginationConfig=config))
    assert [g["GroupName"] for p in pages for g in p["Groups"]] == groups

    pages = list(
        iam.get_paginator("list_groups_for_user").paginate(
            UserName="user00", PaginationConfig=config
        )
    )
    assert [g["GroupName"] for p in pages for g in p["Groups"]] == groups

    pages = list(
        iam.get_paginator("list_user_tags").paginate(UserName="user00", PaginationConfig=config)
    )
    assert len(pages) == 5
    assert [t["Key"] for p in pages for t in p["Tags"]] == [f"k{i}" for i in range(9)]

    built = (
        iam.get_paginator("list_users")
        .paginate(PaginationConfig={"PageSize": 3, "MaxItems": 5})
        .build_full_result()
    )
    assert [u["UserName"] for u in built["Users"]] == names[:5]
    assert "NextToken" in built


# -- lifecycle of the mock -----------------------------------------------------------------------


def test_client_created_before_the_mock_is_answered() -> None:
    """A client made before mock_iam started is answered while the mock is active."""
    early = boto3_client()
    with mock_iam() as account:
        early.create_user(UserName="early-bird")
        assert account.get_user(user_name="early-bird").user.user_name == "early-bird"


def test_decorator_gives_each_call_a_fresh_account() -> None:
    """@mock_iam() answers clients made inside the decorated function, fresh per call."""

    @mock_iam()
    def create_and_list(name: str) -> list[str]:
        iam = boto3_client()
        iam.create_user(UserName=name)
        return [u["UserName"] for u in iam.list_users()["Users"]]

    assert create_and_list("first") == ["first"]
    assert create_and_list("second") == ["second"]


def test_decorator_with_a_given_account() -> None:
    """@mock_iam(account) answers from that account on every call."""
    account = Account()

    @mock_iam(account)
    def create(name: str) -> None:
        boto3_client().create_user(UserName=name)

    create("a")
    create("b")
    assert [u.user_name for u in account.list_users().users] == ["a", "b"]


def test_nested_mocks() -> None:
    """The innermost active mock answers; leaving it hands back to the outer one."""
    iam = boto3_client()
    with mock_iam() as outer:
        iam.create_user(UserName="outer")
        with mock_iam() as inner:
            assert iam.list_users()["Users"] == []
            iam.create_user(UserName="inner")
        assert [u["UserName"] for u in iam.list_users()["Users"]] == ["outer"]
    assert [u.user_name for u in inner.list_users().users] == ["inner"]
    assert [u.user_name for u in outer.list_users().users] == ["outer"]


class _ReachedTheNetwork(Exception):
    pass


def _refuse_to_send(**_: Any) -> None:
    raise _ReachedTheNetwork


def test_calls_are_not_answered_after_the_mock_stops() -> None:
    """Once the mock stops, calls go to botocore's HTTP layer again (here: stopped there)."""
    iam = boto3_client()
    iam.meta.events.register("before-send.iam", _refuse_to_send)
    with mock_iam():
        iam.create_user(UserName="inside")
    with pytest.raises(_ReachedTheNetwork):
        iam.list_users()
    late = boto3_client()
    late.meta.events.register("before-send.iam", _refuse_to_send)
    with pytest.raises(_ReachedTheNetwork):
        late.list_users()


def test_start_and_stop() -> None:
    """IamMock.start()/stop() work without a with-statement."""
    mock = mock_iam()
    assert isinstance(mock, IamMock)
    account = mock.start()
    try:
        boto3_client().create_user(UserName="started")
    finally:
        mock.stop()
    assert [u.user_name for u in account.list_users().users] == ["started"]
    iam = boto3_client()
    iam.meta.events.register("before-send.iam", _refuse_to_send)
    with pytest.raises(_ReachedTheNetwork):
        iam.list_users()


def test_mock_yields_a_fresh_account_by_default() -> None:
    """mock_iam() without an account answers from a new, empty Account."""
    with mock_iam() as account:
        assert isinstance(account, Account)
        assert account.list_users().users == ()
        assert boto3_client().list_users()["Users"] == []


def test_other_services_are_not_answered() -> None:
    """Only IAM clients (and STS GetCallerIdentity: tests/test_mock_sts.py) are answered by
    the mock; other services and STS's other operations reach the network."""
    sts = boto3.client(
        "sts", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="x"
    )
    sts.meta.events.register("before-send.sts", _refuse_to_send)
    s3 = boto3.client(
        "s3", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="x"
    )
    s3.meta.events.register("before-send.s3", _refuse_to_send)
    with mock_iam():
        with pytest.raises(_ReachedTheNetwork):
            sts.get_session_token()
        with pytest.raises(_ReachedTheNetwork):
            s3.list_buckets()


def test_a_call_racing_the_last_mock_stop_goes_to_botocore() -> None:
    """A call that entered the patched method just before another thread stopped the last
    mock runs botocore's own method (HTTP), not an AssertionError."""
    import iamcore.mock as mock_module

    iam = boto3_client()
    iam.meta.events.register("before-send.iam", _refuse_to_send)
    with mock_iam():
        patched = botocore.client.BaseClient._make_api_call
    assert mock_module._original_make_api_call is None  # the stop has restored botocore
    with pytest.raises(_ReachedTheNetwork):
        patched(iam, "ListUsers", {})


class _EmptiedList(list[Account]):
    """An ``_active`` list that another thread empties between the check and the read."""

    def __len__(self) -> int:
        return 1


def test_the_answer_racing_the_last_mock_stop_lets_the_call_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The before-call handler lets the call through when the last mock stopped under it."""
    import iamcore.mock as mock_module

    monkeypatch.setattr(mock_module, "_active", _EmptiedList())
    model = boto3_client().meta.service_model.operation_model("ListUsers")
    assert mock_module._answer(model, {}) is None
