"""STS GetCallerIdentity under the boto3 mock: who is calling, as the account knows it.

AWS STS API reference, GetCallerIdentity: "Returns details about the IAM user or
role whose credentials are used to call the operation. No permissions are
required to perform this operation. If an administrator attaches a policy to
your identity that explicitly denies access to the sts:GetCallerIdentity
action, you can still perform this operation."  For the root user ``UserId``
is the account ID and ``Arn`` is ``arn:aws:iam::<account>:root``; for an IAM
user, the user's unique ID and ARN (with its path).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import botocore.exceptions
import botocore.parsers
import pytest
from botocore.stub import Stubber

from iamcore import Account
from iamcore.mock import mock_iam
from iamcore.testing import FixedClock, seeded_entropy
from tests.helpers import boto3_client

_DENY_ALL = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}
)
_ALLOW_STS = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:*", "Resource": "*"}],
    }
)


def _sts(key_id: str = "testing", secret: str = "testing", region: str = "eu-west-1") -> Any:
    return boto3.client(
        "sts", region_name=region, aws_access_key_id=key_id, aws_secret_access_key=secret
    )


@pytest.fixture
def account() -> Iterator[Account]:
    """A mocked account with user ``bob`` at path ``/eng/``."""
    account = Account(
        clock=FixedClock(datetime(2026, 3, 1, 12, 0, 5, tzinfo=UTC)), entropy=seeded_entropy(5)
    )
    with mock_iam(account, enforce=True):
        account.create_user(user_name="bob", path="/eng/")
        yield account


def _bob_key(account: Account) -> tuple[str, str]:
    key = account.create_access_key(user_name="bob").access_key
    return key.access_key_id, key.secret_access_key


def _parsed_from_aws(user_id: str, account_id: str, arn: str) -> dict[str, Any]:
    """What botocore's own parser makes of AWS's documented XML answer (no client call,
    so no mock is involved)."""
    body = (
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        f"<GetCallerIdentityResult><Arn>{arn}</Arn><UserId>{user_id}</UserId>"
        f"<Account>{account_id}</Account></GetCallerIdentityResult>"
        "<ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>"
        "</ResponseMetadata></GetCallerIdentityResponse>"
    )
    model = _sts().meta.service_model
    output = model.operation_model("GetCallerIdentity").output_shape
    parser = botocore.parsers.create_parser(model.protocol)
    response: dict[str, Any] = parser.parse(
        {"body": body.encode(), "headers": {}, "status_code": 200}, output
    )
    del response["ResponseMetadata"]
    return response


def _identity(client: Any) -> dict[str, Any]:
    response: dict[str, Any] = client.get_caller_identity()
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    del response["ResponseMetadata"]
    return response


def test_other_credentials_are_the_root_user(account: Account) -> None:
    """Credentials that are no key of the account act as the account's administrator (the
    mock's contract), whom STS describes as the root user: UserId is the account ID."""
    assert _identity(_sts()) == _parsed_from_aws(
        "123456789012", "123456789012", "arn:aws:iam::123456789012:root"
    )


def test_a_users_key_is_that_user_with_its_path(account: Account) -> None:
    """Signed with an IAM user's access key: the user's unique ID and ARN (path included),
    field for field what botocore parses from AWS's answer."""
    key_id, secret = _bob_key(account)
    bob = account.get_user(user_name="bob").user
    assert bob.arn == "arn:aws:iam::123456789012:user/eng/bob"
    assert _identity(_sts(key_id, secret)) == _parsed_from_aws(
        bob.user_id, "123456789012", bob.arn
    )


def test_acting_as_a_user_is_that_user(account: Account) -> None:
    """Inside ``account.acting_as(user)``, unsigned calls are that user's, STS's too."""
    bob = account.get_user(user_name="bob").user
    with account.acting_as("bob"):
        assert _identity(_sts())["Arn"] == bob.arn
    assert _identity(_sts())["Arn"] == "arn:aws:iam::123456789012:root"


def test_no_permission_is_needed(account: Account) -> None:
    """Even under an explicit Deny of everything, GetCallerIdentity answers (AWS API
    reference), while an IAM call by the same key is refused."""
    account.put_user_policy(user_name="bob", policy_name="deny", policy_document=_DENY_ALL)
    key_id, secret = _bob_key(account)
    assert _identity(_sts(key_id, secret))["UserId"].startswith("AIDA")
    with pytest.raises(botocore.exceptions.ClientError, match="AccessDenied"):
        boto3_client(key_id, secret).get_user()


def test_the_key_is_authenticated(account: Account) -> None:
    """A wrong secret is SignatureDoesNotMatch and an Inactive key InvalidClientTokenId,
    both HTTP 403, as for any signed AWS request."""
    key_id, secret = _bob_key(account)
    with pytest.raises(botocore.exceptions.ClientError) as wrong:
        _sts(key_id, "x" * 40).get_caller_identity()
    assert wrong.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    assert wrong.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    account.update_access_key(user_name="bob", access_key_id=key_id, status="Inactive")
    with pytest.raises(botocore.exceptions.ClientError) as inactive:
        _sts(key_id, secret).get_caller_identity()
    assert inactive.value.response["Error"] == {
        "Type": "Sender",
        "Code": "InvalidClientTokenId",
        "Message": "The security token included in the request is invalid.",
    }
    assert inactive.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_the_keys_last_use_is_sts_in_the_clients_region(account: Account) -> None:
    """GetAccessKeyLastUsed after a GetCallerIdentity names ``sts`` and the region the STS
    client called; the call is no service access attempt (nothing was authorized), so
    service last accessed data shows STS as never accessed."""
    account.put_user_policy(user_name="bob", policy_name="sts", policy_document=_ALLOW_STS)
    key_id, secret = _bob_key(account)
    _identity(_sts(key_id, secret, region="ap-southeast-2"))
    used = account.get_access_key_last_used(access_key_id=key_id).access_key_last_used
    assert (used.service_name, used.region) == ("sts", "ap-southeast-2")
    assert used.last_used_date == datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    bob_arn = account.get_user(user_name="bob").user.arn
    job = account.generate_service_last_accessed_details(arn=bob_arn).job_id
    details = account.get_service_last_accessed_details(job_id=job)
    (sts,) = [s for s in details.services_last_accessed if s.service_namespace == "sts"]
    assert sts.last_authenticated is None


def test_other_sts_operations_are_left_alone(account: Account) -> None:
    """Only GetCallerIdentity is answered: any other STS call goes on to whatever answers
    it without the mock (here botocore's Stubber), as before."""
    sts = _sts()
    credentials = {
        "AccessKeyId": "ASIAIOSFODNN7EXAMPLE",
        "SecretAccessKey": "x" * 40,
        "SessionToken": "token",
        "Expiration": datetime(2026, 3, 1, tzinfo=UTC),
    }
    with Stubber(sts) as stubber:
        stubber.add_response("get_session_token", {"Credentials": credentials})
        assert sts.get_session_token()["Credentials"]["SessionToken"] == "token"
        stubber.assert_no_pending_responses()


def test_without_an_active_mock_sts_is_not_answered() -> None:
    """A client hooked while a mock was active goes back to its own answer after."""
    sts = _sts()
    with mock_iam():
        assert _identity(sts)["Account"] == "123456789012"
    with Stubber(sts) as stubber:
        stubber.add_response(
            "get_caller_identity",
            {
                "UserId": "AIDAEXAMPLE",
                "Account": "999999999999",
                "Arn": "arn:aws:iam::999999999999:user/x",
            },
        )
        assert sts.get_caller_identity()["Account"] == "999999999999"


def test_session_credentials_are_left_to_their_sts(account: Account) -> None:
    """Temporary credentials (``ASIA`` key IDs) come from an STS iamcore does not model
    (moto's AssumeRole, AWS's): GetCallerIdentity with them is left to whatever issued
    them, which knows the session (here botocore's Stubber standing for it)."""
    sts = boto3.client(
        "sts",
        region_name="eu-west-1",
        aws_access_key_id="ASIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="x" * 40,
        aws_session_token="token",
    )
    session_arn = "arn:aws:sts::123456789012:assumed-role/deployer/session"
    with Stubber(sts) as stubber:
        stubber.add_response(
            "get_caller_identity",
            {"UserId": "AROAEXAMPLE:session", "Account": "123456789012", "Arn": session_arn},
        )
        assert sts.get_caller_identity()["Arn"] == session_arn
