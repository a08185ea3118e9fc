"""Conformance of access keys, login profiles, the password policy, virtual MFA, SSH keys and
service-specific credentials with AWS, through boto3.

Sources, cited per test:

- SM: botocore's IAM service model (operation and member documentation, shapes, errors);
- LS: LocalStack's IAM tests marked ``@markers.aws.validated``, whose snapshots are
  recorded against the real service (localstack/localstack,
  ``tests/aws/services/iam/test_iam_users.py``, ``test_iam_mfa.py``,
  ``test_iam_ssh_public_keys.py``, ``test_iam_account_password_policy.py``,
  ``test_iam.py::TestIAMServiceSpecificCredentials``, 2025–2026);
- CLI: the AWS CLI command reference examples.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from iamcore import Account, totp
from iamcore.mock import mock_iam
from iamcore.testing import FixedClock, seeded_entropy
from tests.helpers import aware, body, boto3_client, error

ACCOUNT = "123456789012"
PASSWORD = "TestPassword123!"
CODECOMMIT = "codecommit.amazonaws.com"
KEYSPACES = "cassandra.amazonaws.com"


@pytest.fixture
def mocked(clock: FixedClock) -> Iterator[tuple[Any, Account]]:
    account = Account(clock=clock, entropy=seeded_entropy(13))
    with mock_iam(account):
        yield boto3_client(), account


@pytest.fixture
def iam(mocked: tuple[Any, Account]) -> Any:
    return mocked[0]


def ssh_rsa(seed: int = 0) -> str:
    """An ssh-rsa line of a 2048-bit RSA public key (random odd modulus: fast, never used)."""
    modulus = random.Random(seed).getrandbits(2048) | (1 << 2047) | 1
    key = rsa.RSAPublicNumbers(65537, modulus).public_key()
    return key.public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    ).decode()


# -- access keys ----------------------------------------------------------------------------


def test_access_key_lifecycle(iam: Any) -> None:
    """LS test_access_key_lifecycle: ListAccessKeys is [] with IsTruncated false; the new key
    has AccessKeyId (20), CreateDate, SecretAccessKey (40), Status Active, UserName; the
    listing shows the same without the secret (SM CreateAccessKey: Active by default)."""
    iam.create_user(UserName="u")
    assert body(iam.list_access_keys(UserName="u")) == {
        "AccessKeyMetadata": [],
        "IsTruncated": False,
    }
    key = body(iam.create_access_key(UserName="u"))["AccessKey"]
    assert set(key) == {"AccessKeyId", "CreateDate", "SecretAccessKey", "Status", "UserName"}
    assert len(key["AccessKeyId"]) == 20
    assert len(key["SecretAccessKey"]) == 40
    assert (key["Status"], key["UserName"]) == ("Active", "u")
    assert aware(key["CreateDate"])
    metadata = {k: v for k, v in key.items() if k != "SecretAccessKey"}
    assert body(iam.list_access_keys(UserName="u")) == {
        "AccessKeyMetadata": [metadata],
        "IsTruncated": False,
    }
    assert body(iam.delete_access_key(UserName="u", AccessKeyId=key["AccessKeyId"])) == {}
    assert iam.list_access_keys(UserName="u")["AccessKeyMetadata"] == []


def test_access_key_update_status(iam: Any) -> None:
    """LS test_access_key_update_status: Inactive and back to Active, shown by ListAccessKeys."""
    iam.create_user(UserName="u")
    key_id = iam.create_access_key(UserName="u")["AccessKey"]["AccessKeyId"]
    for status in ("Inactive", "Active"):
        assert body(iam.update_access_key(UserName="u", AccessKeyId=key_id, Status=status)) == {}
        assert iam.list_access_keys(UserName="u")["AccessKeyMetadata"][0]["Status"] == status


def test_update_access_key_status_enum(iam: Any) -> None:
    """A status outside the enum (wrong case) is a ValidationError whose value is not
    echoed, as in every IAM ValidationError recorded from real AWS in 2026 (LocalStack
    snapshots).  ``Expired`` is not checked here: AWS answers it with InvalidInput
    "Operation does not support status Expired" (recorded from AWS, 2026:
    tests/test_credentials_recorded.py)."""
    iam.create_user(UserName="u")
    key_id = iam.create_access_key(UserName="u")["AccessKey"]["AccessKeyId"]
    for status in ("inactive",):
        assert error(iam.update_access_key, UserName="u", AccessKeyId=key_id, Status=status) == (
            "ValidationError",
            "1 validation error detected: Value at 'status' failed to satisfy "
            "constraint: Member must satisfy enum value set: [Active, Inactive, Expired]",
            400,
        )


def test_access_key_limit(iam: Any) -> None:
    """LS test_access_key_limit: a third key is LimitExceeded (409)
    'Cannot exceed quota for AccessKeysPerUser: 2' (an Inactive key still counts)."""
    iam.create_user(UserName="u")
    first = iam.create_access_key(UserName="u")["AccessKey"]["AccessKeyId"]
    iam.update_access_key(UserName="u", AccessKeyId=first, Status="Inactive")
    iam.create_access_key(UserName="u")
    assert error(iam.create_access_key, UserName="u") == (
        "LimitExceeded",
        "Cannot exceed quota for AccessKeysPerUser: 2",
        409,
    )


def test_access_key_last_used(iam: Any) -> None:
    """LS test_access_key_last_used: an unused key answers UserName and AccessKeyLastUsed
    {Region N/A, ServiceName N/A} without LastUsedDate; after an IAM call signed with it,
    LastUsedDate, Region us-east-1 and ServiceName iam (SM AccessKeyLastUsed)."""
    iam.create_user(UserName="u")
    key = iam.create_access_key(UserName="u")["AccessKey"]
    assert body(iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])) == {
        "AccessKeyLastUsed": {"Region": "N/A", "ServiceName": "N/A"},
        "UserName": "u",
    }
    boto3_client(key["AccessKeyId"], key["SecretAccessKey"]).get_user()
    used = body(iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"]))
    assert used["UserName"] == "u"
    last = used["AccessKeyLastUsed"]
    assert (last["Region"], last["ServiceName"]) == ("us-east-1", "iam")
    assert aware(last["LastUsedDate"])


def test_access_key_errors(iam: Any) -> None:
    """LS test_access_key_errors: unknown user NoSuchEntity; unknown key 'The Access Key with
    id X cannot be found.'; GetAccessKeyLastUsed of an unknown key is AccessDenied (403);
    DeleteAccessKey without UserName by non-user credentials is ValidationError 'Must specify
    userName when calling with non-User credentials'."""
    iam.create_user(UserName="u")
    assert error(iam.create_access_key, UserName="nonexistent-user") == (
        "NoSuchEntity",
        "The user with name nonexistent-user cannot be found.",
        404,
    )
    missing_key = "AKIAIOSFODNN7EXAMPLE"
    assert error(
        iam.update_access_key, UserName="u", AccessKeyId=missing_key, Status="Active"
    ) == (
        "NoSuchEntity",
        f"The Access Key with id {missing_key} cannot be found.",
        404,
    )
    code, message, status = error(iam.get_access_key_last_used, AccessKeyId=missing_key)
    assert (code, status) == ("AccessDenied", 403)
    assert message.startswith("User: ")
    assert message.endswith(
        f" is not authorized to perform iam:GetAccessKeyLastUsed on resource: "
        f"access key {missing_key}"
    )
    assert error(iam.delete_access_key, AccessKeyId=missing_key) == (
        "ValidationError",
        "Must specify userName when calling with non-User credentials",
        400,
    )


def test_access_keys_of_the_signing_user(iam: Any) -> None:
    """LS test_access_key_deletion_without_username; SM CreateAccessKey/ListAccessKeys/
    DeleteAccessKey: without UserName, the user is the one whose key signed the request."""
    iam.create_user(UserName="u")
    key = iam.create_access_key(UserName="u")["AccessKey"]
    as_user = boto3_client(key["AccessKeyId"], key["SecretAccessKey"])
    second = as_user.create_access_key()["AccessKey"]
    assert second["UserName"] == "u"
    listed = as_user.list_access_keys()["AccessKeyMetadata"]
    assert {k["AccessKeyId"] for k in listed} == {key["AccessKeyId"], second["AccessKeyId"]}
    assert body(as_user.delete_access_key(AccessKeyId=second["AccessKeyId"])) == {}


def test_request_signed_with_a_bad_key(iam: Any) -> None:
    """AWS's authentication answers (observed, e.g. quoted in localstack/localstack#5866): a
    wrong secret is SignatureDoesNotMatch (403); an Inactive or deleted key is
    InvalidClientTokenId (403) 'The security token included in the request is invalid.'
    (SM UpdateAccessKey: Inactive means the key cannot be used for API calls)."""
    iam.create_user(UserName="u")
    key = iam.create_access_key(UserName="u")["AccessKey"]
    key_id = key["AccessKeyId"]
    assert error(boto3_client(key_id, "wrong-secret").get_user)[::2] == (
        "SignatureDoesNotMatch",
        403,
    )
    invalid = ("InvalidClientTokenId", "The security token included in the request is invalid.")
    iam.update_access_key(UserName="u", AccessKeyId=key_id, Status="Inactive")
    assert error(boto3_client(key_id, key["SecretAccessKey"]).get_user)[:2] == invalid
    iam.delete_access_key(UserName="u", AccessKeyId=key_id)
    assert error(boto3_client(key_id, key["SecretAccessKey"]).get_user)[:2] == invalid


def test_rename_follows_credentials(mocked: tuple[Any, Account], clock: FixedClock) -> None:
    """LS TestUserRename: after UpdateUser, access keys, the login profile, SSH keys and MFA
    devices list the new UserName; a service-specific credential keeps its ServiceUserName."""
    iam, _ = mocked
    iam.create_user(UserName="before")
    iam.create_access_key(UserName="before")
    iam.create_login_profile(UserName="before", Password=PASSWORD)
    iam.upload_ssh_public_key(UserName="before", SSHPublicKeyBody=ssh_rsa())
    iam.create_service_specific_credential(UserName="before", ServiceName=CODECOMMIT)
    serial = enable_new_device(iam, clock, "before")
    iam.update_user(UserName="before", NewUserName="after")
    assert iam.list_access_keys(UserName="after")["AccessKeyMetadata"][0]["UserName"] == "after"
    assert iam.get_login_profile(UserName="after")["LoginProfile"]["UserName"] == "after"
    assert iam.list_ssh_public_keys(UserName="after")["SSHPublicKeys"][0]["UserName"] == "after"
    device = iam.list_mfa_devices(UserName="after")["MFADevices"][0]
    assert (device["UserName"], device["SerialNumber"]) == ("after", serial)
    (credential,) = iam.list_service_specific_credentials(UserName="after")[
        "ServiceSpecificCredentials"
    ]
    assert credential["UserName"] == "after"
    assert credential["ServiceUserName"] == f"before-at-{ACCOUNT}"


# -- login profiles and the password policy -------------------------------------------------------


def test_login_profile_lifecycle(iam: Any) -> None:
    """LS test_login_profile_lifecycle: Create and Get show CreateDate, PasswordResetRequired
    (always, false by default) and UserName; UpdateLoginProfile sets the flag; a deleted
    profile is 'Login Profile for User X cannot be found.' (404)."""
    iam.create_user(UserName="u")
    created = body(
        iam.create_login_profile(UserName="u", Password=PASSWORD, PasswordResetRequired=False)
    )["LoginProfile"]
    assert set(created) == {"CreateDate", "PasswordResetRequired", "UserName"}
    assert (created["PasswordResetRequired"], created["UserName"]) == (False, "u")
    assert aware(created["CreateDate"])
    assert body(iam.get_login_profile(UserName="u")) == {"LoginProfile": created}
    assert (
        body(
            iam.update_login_profile(
                UserName="u", Password="NewPassword456!", PasswordResetRequired=True
            )
        )
        == {}
    )
    updated = iam.get_login_profile(UserName="u")["LoginProfile"]
    assert updated == {**created, "PasswordResetRequired": True}
    assert body(iam.delete_login_profile(UserName="u")) == {}
    assert error(iam.get_login_profile, UserName="u") == (
        "NoSuchEntity",
        "Login Profile for User u cannot be found.",
        404,
    )


def test_login_profile_errors(iam: Any) -> None:
    """LS test_login_profile_errors: unknown user NoSuchEntity; a second profile is
    'Login Profile for user X already exists.' (409); deleting none is NoSuchEntity."""
    iam.create_user(UserName="u")
    unknown = ("NoSuchEntity", "The user with name nonexistent-user cannot be found.", 404)
    assert error(iam.create_login_profile, UserName="nonexistent-user", Password=PASSWORD) == (
        unknown
    )
    iam.create_login_profile(UserName="u", Password=PASSWORD)
    assert error(iam.create_login_profile, UserName="u", Password="AnotherPassword123!") == (
        "EntityAlreadyExists",
        "Login Profile for user u already exists.",
        409,
    )
    iam.delete_login_profile(UserName="u")
    assert error(iam.delete_login_profile, UserName="u") == (
        "NoSuchEntity",
        "Login Profile for User u cannot be found.",
        404,
    )
    assert error(iam.delete_login_profile, UserName="nonexistent-user") == unknown


def test_delete_user_with_login_profile(iam: Any) -> None:
    """SM DeleteUser: the password (DeleteLoginProfile) must go first: DeleteConflict 409."""
    iam.create_user(UserName="u")
    iam.create_login_profile(UserName="u", Password=PASSWORD)
    assert error(iam.delete_user, UserName="u")[::2] == ("DeleteConflict", 409)


def test_password_policy_defaults(iam: Any) -> None:
    """LS test_update_account_password_policy_defaults; SM UpdateAccountPasswordPolicy:
    omitted parameters take their defaults (6, false…, never expire); MaxPasswordAge,
    PasswordReusePrevention and HardExpiry are absent; ExpirePasswords is false."""
    assert body(iam.update_account_password_policy()) == {}
    assert body(iam.get_account_password_policy()) == {
        "PasswordPolicy": {
            "AllowUsersToChangePassword": False,
            "ExpirePasswords": False,
            "MinimumPasswordLength": 6,
            "RequireLowercaseCharacters": False,
            "RequireNumbers": False,
            "RequireSymbols": False,
            "RequireUppercaseCharacters": False,
        }
    }


def test_password_policy_custom_values(iam: Any) -> None:
    """LS test_update_account_password_policy_custom_values: every field shown, ExpirePasswords
    true (SM PasswordPolicy.ExpirePasswords: true if MaxPasswordAge > 0)."""
    iam.update_account_password_policy(
        MinimumPasswordLength=10,
        RequireSymbols=True,
        RequireNumbers=True,
        RequireUppercaseCharacters=True,
        RequireLowercaseCharacters=True,
        AllowUsersToChangePassword=True,
        MaxPasswordAge=60,
        PasswordReusePrevention=3,
        HardExpiry=True,
    )
    assert body(iam.get_account_password_policy()) == {
        "PasswordPolicy": {
            "AllowUsersToChangePassword": True,
            "ExpirePasswords": True,
            "HardExpiry": True,
            "MaxPasswordAge": 60,
            "MinimumPasswordLength": 10,
            "PasswordReusePrevention": 3,
            "RequireLowercaseCharacters": True,
            "RequireNumbers": True,
            "RequireSymbols": True,
            "RequireUppercaseCharacters": True,
        }
    }


def test_password_policy_no_partial_updates(iam: Any) -> None:
    """SM UpdateAccountPasswordPolicy: 'This operation does not support partial updates…
    if you do not specify a parameter, that parameter's value reverts to its default'."""
    iam.update_account_password_policy(MinimumPasswordLength=12, MaxPasswordAge=30)
    iam.update_account_password_policy(RequireNumbers=True)
    policy = iam.get_account_password_policy()["PasswordPolicy"]
    assert policy["MinimumPasswordLength"] == 6
    assert policy["RequireNumbers"] is True
    assert "MaxPasswordAge" not in policy
    assert policy["ExpirePasswords"] is False


def test_password_policy_not_found(iam: Any) -> None:
    """LS test_get/delete_account_password_policy_not_found: 'The Password Policy with domain
    name <account> cannot be found.' and 'The account policy with name PasswordPolicy cannot
    be found.' (NoSuchEntity 404)."""
    missing = (
        "NoSuchEntity",
        f"The Password Policy with domain name {ACCOUNT} cannot be found.",
        404,
    )
    assert error(iam.get_account_password_policy) == missing
    assert error(iam.delete_account_password_policy) == (
        "NoSuchEntity",
        "The account policy with name PasswordPolicy cannot be found.",
        404,
    )
    iam.update_account_password_policy()
    assert body(iam.delete_account_password_policy()) == {}
    assert error(iam.get_account_password_policy) == missing


def test_password_policy_violation(iam: Any) -> None:
    """SM CreateLoginProfile/UpdateLoginProfile: a password breaking the account policy is
    PasswordPolicyViolation (400)."""
    iam.update_account_password_policy(MinimumPasswordLength=20)
    iam.create_user(UserName="u")
    assert error(iam.create_login_profile, UserName="u", Password=PASSWORD)[::2] == (
        "PasswordPolicyViolation",
        400,
    )


# -- virtual MFA ----------------------------------------------------------------------


def new_device(iam: Any, name: str = "mfa-device", **kwargs: Any) -> dict[str, Any]:
    device: dict[str, Any] = body(
        iam.create_virtual_mfa_device(VirtualMFADeviceName=name, **kwargs)
    )["VirtualMFADevice"]
    return device


def enable_new_device(iam: Any, clock: FixedClock, user: str, name: str = "phone") -> str:
    """Create a device and enable it with the previous and the current code (as LS does)."""
    device = new_device(iam, name)
    seed = device["Base32StringSeed"]
    step = totp.time_step(clock.now())
    iam.enable_mfa_device(
        UserName=user,
        SerialNumber=device["SerialNumber"],
        AuthenticationCode1=totp.code_for_step(seed, step - 1),
        AuthenticationCode2=totp.code_for_step(seed, step),
    )
    serial: str = device["SerialNumber"]
    return serial


@pytest.mark.parametrize("path", [None, "/", "/test-path/", "/test//double/"])
def test_virtual_mfa_device_lifecycle(iam: Any, path: str | None) -> None:
    """LS test_virtual_mfa_device_lifecycle: CreateVirtualMFADevice answers SerialNumber (the
    ARN with the path), Base32StringSeed and QRCodePNG (blobs: bytes); the listing shows only
    SerialNumber (SM ListVirtualMFADevices: no tags); DeleteVirtualMFADevice removes it."""
    device = new_device(iam, **({} if path is None else {"Path": path}))
    assert set(device) == {"Base32StringSeed", "QRCodePNG", "SerialNumber"}
    assert device["SerialNumber"] == f"arn:aws:iam::{ACCOUNT}:mfa{path or '/'}mfa-device"
    assert isinstance(device["Base32StringSeed"], bytes)
    base64.b32decode(device["Base32StringSeed"])
    assert device["QRCodePNG"].startswith(b"\x89PNG\r\n\x1a\n")
    assert body(iam.list_virtual_mfa_devices()) == {
        "IsTruncated": False,
        "VirtualMFADevices": [{"SerialNumber": device["SerialNumber"]}],
    }
    assert body(iam.delete_virtual_mfa_device(SerialNumber=device["SerialNumber"])) == {}
    assert iam.list_virtual_mfa_devices()["VirtualMFADevices"] == []


def test_virtual_mfa_device_errors(iam: Any) -> None:
    """LS test_virtual_mfa_device_errors: a duplicate is EntityAlreadyExists 'MFA device
    already exists.' (409); an unknown serial is NoSuchEntity 'MFA Device with serial number
    X does not exist.'."""
    new_device(iam)
    assert error(iam.create_virtual_mfa_device, VirtualMFADeviceName="mfa-device") == (
        "EntityAlreadyExists",
        "MFA device already exists.",
        409,
    )
    missing = f"arn:aws:iam::{ACCOUNT}:mfa/nonexistent-device"
    assert error(iam.delete_virtual_mfa_device, SerialNumber=missing) == (
        "NoSuchEntity",
        f"MFA Device with serial number {missing} does not exist.",
        404,
    )


def test_list_virtual_mfa_devices(iam: Any) -> None:
    """LS test_list_virtual_mfa_devices: AssignmentStatus Unassigned/Assigned/Any filter
    (SM: default Any); MaxItems=1 truncates with a Marker that leads on."""
    serials = [new_device(iam, f"mfa-list-{index}")["SerialNumber"] for index in range(3)]

    def serials_of(**kwargs: Any) -> list[str]:
        return [
            d["SerialNumber"] for d in iam.list_virtual_mfa_devices(**kwargs)["VirtualMFADevices"]
        ]

    listed = {
        status: serials_of(**kwargs)
        for status, kwargs in (
            ("Unassigned", {"AssignmentStatus": "Unassigned"}),
            ("Assigned", {"AssignmentStatus": "Assigned"}),
            ("Any", {"AssignmentStatus": "Any"}),
            ("default", {}),
        )
    }
    assert sorted(listed["Unassigned"]) == sorted(serials)
    assert listed["Assigned"] == []
    assert sorted(listed["Any"]) == sorted(listed["default"]) == sorted(serials)
    first = iam.list_virtual_mfa_devices(MaxItems=1)
    assert len(first["VirtualMFADevices"]) == 1
    assert first["IsTruncated"] is True
    rest = iam.list_virtual_mfa_devices(Marker=first["Marker"], MaxItems=1)
    assert rest["VirtualMFADevices"] != first["VirtualMFADevices"]


def test_enable_virtual_mfa_device(iam: Any, clock: FixedClock) -> None:
    """LS test_enable_virtual_mfa_device: ListMFADevices is [] then shows EnableDate,
    SerialNumber, UserName; the Assigned listing carries EnableDate and the User (Arn,
    CreateDate, Path, UserId, UserName); after deactivation ListMFADevices is []."""
    user = iam.create_user(UserName="u")["User"]
    assert body(iam.list_mfa_devices(UserName="u")) == {"IsTruncated": False, "MFADevices": []}
    serial = enable_new_device(iam, clock, "u")
    (device,) = body(iam.list_mfa_devices(UserName="u"))["MFADevices"]
    assert set(device) == {"EnableDate", "SerialNumber", "UserName"}
    assert (device["SerialNumber"], device["UserName"]) == (serial, "u")
    assert aware(device["EnableDate"])
    (assigned,) = iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    assert assigned == {"EnableDate": device["EnableDate"], "SerialNumber": serial, "User": user}
    assert iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"] == []
    assert body(iam.deactivate_mfa_device(UserName="u", SerialNumber=serial)) == {}
    assert iam.list_mfa_devices(UserName="u")["MFADevices"] == []
    assert iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"] == []


def test_enable_mfa_device_errors(iam: Any) -> None:
    """LS test_enable_mfa_device_errors: Enable/Deactivate for an unknown user is NoSuchEntity
    (the user is checked first); deactivating an unknown serial is 'MFA Device with serial
    number X does not exist.'."""
    serial = new_device(iam)["SerialNumber"]
    unknown = ("NoSuchEntity", "The user with name nonexistent-user cannot be found.", 404)
    assert (
        error(
            iam.enable_mfa_device,
            UserName="nonexistent-user",
            SerialNumber=serial,
            AuthenticationCode1="123456",
            AuthenticationCode2="654321",
        )
        == unknown
    )
    assert error(iam.deactivate_mfa_device, UserName="nonexistent-user", SerialNumber=serial) == (
        unknown
    )
    iam.create_user(UserName="u")
    missing = f"arn:aws:iam::{ACCOUNT}:mfa/nonexistent-mfa"
    assert error(iam.deactivate_mfa_device, UserName="u", SerialNumber=missing) == (
        "NoSuchEntity",
        f"MFA Device with serial number {missing} does not exist.",
        404,
    )


def test_enable_mfa_device_already_attached(iam: Any, clock: FixedClock) -> None:
    """LS test_enable_mfa_device_already_attached: 'MFA Device is already in use.' (409); SM
    DeleteVirtualMFADevice: an assigned device must be deactivated first (DeleteConflict)."""
    iam.create_user(UserName="u")
    iam.create_user(UserName="v")
    serial = enable_new_device(iam, clock, "u")
    code, message, status = error(
        iam.enable_mfa_device,
        UserName="v",
        SerialNumber=serial,
        AuthenticationCode1="123456",
        AuthenticationCode2="654321",
    )
    assert (code, message, status) == ("EntityAlreadyExists", "MFA Device is already in use.", 409)
    assert error(iam.delete_virtual_mfa_device, SerialNumber=serial)[::2] == (
        "DeleteConflict",
        409,
    )


def test_wrong_codes(iam: Any) -> None:
    """SM EnableMFADevice: wrong codes are InvalidAuthenticationCode (403); SM VirtualMFADevice:
    the seed is returned by CreateVirtualMFADevice only, never by the listing."""
    iam.create_user(UserName="u")
    serial = new_device(iam)["SerialNumber"]
    (listed,) = iam.list_virtual_mfa_devices()["VirtualMFADevices"]
    assert "Base32StringSeed" not in listed
    code, _, status = error(
        iam.enable_mfa_device,
        UserName="u",
        SerialNumber=serial,
        AuthenticationCode1="000000",
        AuthenticationCode2="000000",
    )
    assert (code, status) == ("InvalidAuthenticationCode", 403)


# -- SSH public keys ------------------------------------------------------------------------------


def test_ssh_public_key_lifecycle(iam: Any) -> None:
    """LS TestSSHPublicKeys: Upload/Get answer Fingerprint, SSHPublicKeyBody, SSHPublicKeyId,
    Status Active, UploadDate, UserName; List shows metadata only (SSHPublicKeyId, Status,
    UploadDate, UserName), [] when none; Update to Inactive; Delete."""
    iam.create_user(UserName="u")
    assert body(iam.list_ssh_public_keys(UserName="u")) == {
        "IsTruncated": False,
        "SSHPublicKeys": [],
    }
    line = ssh_rsa()
    uploaded = body(iam.upload_ssh_public_key(UserName="u", SSHPublicKeyBody=line))["SSHPublicKey"]
    full = {
        "Fingerprint",
        "SSHPublicKeyBody",
        "SSHPublicKeyId",
        "Status",
        "UploadDate",
        "UserName",
    }
    assert set(uploaded) == full
    assert (uploaded["Status"], uploaded["UserName"], uploaded["SSHPublicKeyBody"]) == (
        "Active",
        "u",
        line,
    )
    assert uploaded["SSHPublicKeyId"].startswith("APKA")
    assert aware(uploaded["UploadDate"])
    key_id = uploaded["SSHPublicKeyId"]
    fetched = body(iam.get_ssh_public_key(UserName="u", SSHPublicKeyId=key_id, Encoding="SSH"))
    assert fetched == {"SSHPublicKey": uploaded}
    (listed,) = body(iam.list_ssh_public_keys(UserName="u"))["SSHPublicKeys"]
    assert listed == {
        k: uploaded[k] for k in ("SSHPublicKeyId", "Status", "UploadDate", "UserName")
    }
    assert (
        body(iam.update_ssh_public_key(UserName="u", SSHPublicKeyId=key_id, Status="Inactive"))
        == {}
    )
    again = iam.get_ssh_public_key(UserName="u", SSHPublicKeyId=key_id, Encoding="SSH")
    assert again["SSHPublicKey"]["Status"] == "Inactive"
    assert body(iam.delete_ssh_public_key(UserName="u", SSHPublicKeyId=key_id)) == {}
    assert iam.list_ssh_public_keys(UserName="u")["SSHPublicKeys"] == []


def test_ssh_public_key_not_found(iam: Any) -> None:
    """LS test_get/update/delete_ssh_public_key_not_found: NoSuchEntity 'The Public Key with id
    X cannot be found.' (404)."""
    iam.create_user(UserName="u")
    key_id = "APKAXXXXXXXXXXXXXXXXX"
    missing = ("NoSuchEntity", f"The Public Key with id {key_id} cannot be found.", 404)
    assert error(iam.get_ssh_public_key, UserName="u", SSHPublicKeyId=key_id, Encoding="SSH") == (
        missing
    )
    assert (
        error(iam.update_ssh_public_key, UserName="u", SSHPublicKeyId=key_id, Status="Inactive")
        == missing
    )
    assert error(iam.delete_ssh_public_key, UserName="u", SSHPublicKeyId=key_id) == missing


def test_ssh_public_key_rules(iam: Any) -> None:
    """SM UploadSSHPublicKey: the same key twice is DuplicateSSHPublicKey (400); a malformed
    key InvalidPublicKey (400); an unknown encoding UnrecognizedPublicKeyEncoding (400)."""
    iam.create_user(UserName="u")
    line = ssh_rsa()
    iam.upload_ssh_public_key(UserName="u", SSHPublicKeyBody=line)
    assert error(iam.upload_ssh_public_key, UserName="u", SSHPublicKeyBody=line)[::2] == (
        "DuplicateSSHPublicKey",
        400,
    )
    assert error(iam.upload_ssh_public_key, UserName="u", SSHPublicKeyBody="ssh-rsa AAAA")[
        ::2
    ] == ("InvalidPublicKey", 400)
    assert error(iam.upload_ssh_public_key, UserName="u", SSHPublicKeyBody="garbage")[::2] == (
        "UnrecognizedPublicKeyEncoding",
        400,
    )


# -- service-specific credentials ----------------------------------------------------


@pytest.mark.parametrize("service", [CODECOMMIT, KEYSPACES])
def test_service_specific_credential_lifecycle(iam: Any, service: str) -> None:
    """LS test_service_specific_credential_lifecycle; CLI create-service-specific-credential:
    Create answers CreateDate, ServiceName, ServicePassword, ServiceSpecificCredentialId,
    ServiceUserName (user-at-account), Status Active, UserName; List the same without the
    password; Update to Inactive; Reset gives a new password; Delete."""
    iam.create_user(UserName="sofia")
    created = body(iam.create_service_specific_credential(UserName="sofia", ServiceName=service))[
        "ServiceSpecificCredential"
    ]
    keys = {
        "CreateDate",
        "ServiceName",
        "ServicePassword",
        "ServiceSpecificCredentialId",
        "ServiceUserName",
        "Status",
        "UserName",
    }
    assert set(created) == keys
    assert created["ServiceUserName"] == f"sofia-at-{ACCOUNT}"
    assert (created["ServiceName"], created["Status"], created["UserName"]) == (
        service,
        "Active",
        "sofia",
    )
    assert aware(created["CreateDate"])
    credential_id = created["ServiceSpecificCredentialId"]
    metadata = {k: v for k, v in created.items() if k != "ServicePassword"}
    listed = body(iam.list_service_specific_credentials(UserName="sofia", ServiceName=service))
    assert listed == {"IsTruncated": False, "ServiceSpecificCredentials": [metadata]}
    assert (
        body(
            iam.update_service_specific_credential(
                UserName="sofia", ServiceSpecificCredentialId=credential_id, Status="Inactive"
            )
        )
        == {}
    )
    listed = iam.list_service_specific_credentials(UserName="sofia", ServiceName=service)
    assert listed["ServiceSpecificCredentials"][0]["Status"] == "Inactive"
    reset = body(
        iam.reset_service_specific_credential(
            UserName="sofia", ServiceSpecificCredentialId=credential_id
        )
    )["ServiceSpecificCredential"]
    assert set(reset) == keys
    assert reset["ServicePassword"] != created["ServicePassword"]
    assert (
        body(
            iam.delete_service_specific_credential(
                UserName="sofia", ServiceSpecificCredentialId=credential_id
            )
        )
        == {}
    )


@pytest.mark.parametrize(
    "service", ["nonexistentservice.amazonaws.com", "o3on3n3onosneo", "lambda.amazonaws.com"]
)
def test_service_not_supported(iam: Any, service: str) -> None:
    """LS test_create_service_specific_credential_invalid_service/_invalid_user and
    test_list_service_specific_credential_different_service: an unsupported service is
    NoSuchEntity (404) 'No such service X is supported for Service Specific Credentials'
    (not the model's NotSupportedService); an unknown user is reported first."""
    iam.create_user(UserName="u")
    expected = (
        "NoSuchEntity",
        f"No such service {service} is supported for Service Specific Credentials",
        404,
    )
    assert error(iam.create_service_specific_credential, UserName="u", ServiceName=service) == (
        expected
    )
    assert error(iam.list_service_specific_credentials, UserName="u", ServiceName=service) == (
        expected
    )
    assert error(
        iam.create_service_specific_credential, UserName="non-existent-user", ServiceName=service
    ) == ("NoSuchEntity", "The user with name non-existent-user cannot be found.", 404)


def test_list_credentials_of_another_service(iam: Any) -> None:
    """LS test_list_service_specific_credential_different_service: filtering on another
    supported service answers an empty list."""
    iam.create_user(UserName="u")
    iam.create_service_specific_credential(UserName="u", ServiceName=CODECOMMIT)
    assert body(iam.list_service_specific_credentials(UserName="u", ServiceName=KEYSPACES)) == {
        "IsTruncated": False,
        "ServiceSpecificCredentials": [],
    }


def test_delete_user_with_service_credential(iam: Any) -> None:
    """LS test_delete_user_after_service_credential_created; SM DeleteUser: Git credentials
    must be deleted first (DeleteConflict, 409)."""
    iam.create_user(UserName="u")
    iam.create_service_specific_credential(UserName="u", ServiceName=CODECOMMIT)
    assert error(iam.delete_user, UserName="u")[::2] == ("DeleteConflict", 409)


def test_credential_id_and_user_mismatch(iam: Any) -> None:
    """LS test_id_match_user_mismatch/test_user_match_id_mismatch/
    test_invalid_update_parameters: a wrong user is NoSuchEntity for the user; a well-formed
    unknown ID is 'No such credential X exists'; a malformed ID or status ValidationError."""
    iam.create_user(UserName="u")
    credential_id = iam.create_service_specific_credential(UserName="u", ServiceName=CODECOMMIT)[
        "ServiceSpecificCredential"
    ]["ServiceSpecificCredentialId"]
    wrong_user = ("NoSuchEntity", "The user with name wrong-user-name cannot be found.", 404)
    unknown_id = "satisfiesregexbutstillinvalid"
    no_such = ("NoSuchEntity", f"No such credential {unknown_id} exists", 404)
    for user, cid, expected in (
        ("wrong-user-name", credential_id, wrong_user),
        ("u", unknown_id, no_such),
    ):
        ids = {"UserName": user, "ServiceSpecificCredentialId": cid}
        assert error(iam.update_service_specific_credential, Status="Inactive", **ids) == expected
        assert error(iam.reset_service_specific_credential, **ids) == expected
        assert error(iam.delete_service_specific_credential, **ids) == expected
    bad_id = "totally-wrong-credential-id-with-hyphens"
    assert error(
        iam.reset_service_specific_credential, UserName="u", ServiceSpecificCredentialId=bad_id
    )[::2] == ("ValidationError", 400)
    assert error(
        iam.update_service_specific_credential,
        ServiceSpecificCredentialId=credential_id,
        Status="Invalid",
    )[::2] == ("ValidationError", 400)


def test_two_credentials_per_service(iam: Any) -> None:
    """SM CreateServiceSpecificCredential: 'a maximum of two sets of service-specific
    credentials for each supported service per user' (LimitExceeded, 409)."""
    iam.create_user(UserName="u")
    for _ in range(2):
        iam.create_service_specific_credential(UserName="u", ServiceName=CODECOMMIT)
    iam.create_service_specific_credential(UserName="u", ServiceName=KEYSPACES)
    assert error(iam.create_service_specific_credential, UserName="u", ServiceName=CODECOMMIT)[
        ::2
    ] == ("LimitExceeded", 409)
