"""SSH public keys for CodeCommit: UploadSSHPublicKey, GetSSHPublicKey, ListSSHPublicKeys,
UpdateSSHPublicKey, DeleteSSHPublicKey, and iamcore.ssh (native API and boto3)."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import random
import re
from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from iamcore import Account, ssh
from iamcore.errors import (
    DeleteConflict,
    DuplicateSSHPublicKey,
    InvalidInput,
    InvalidPublicKey,
    LimitExceeded,
    NoSuchEntity,
    UnrecognizedPublicKeyEncoding,
    ValidationError,
)
from iamcore.testing import FixedClock
from tests.helpers import fresh_snapshot

KEY_ID = re.compile(r"APKA[A-Z2-7]{17}")
FINGERPRINT = re.compile(r"([0-9a-f]{2}:){15}[0-9a-f]{2}")


def rsa_public_key(bits: int = 2048, seed: int = 0) -> rsa.RSAPublicKey:
    """An RSA public key of exactly ``bits`` bits (a random odd modulus: fast, not a real key)."""
    rng = random.Random(seed)
    modulus = rng.getrandbits(bits) | (1 << (bits - 1)) | 1
    return rsa.RSAPublicNumbers(65537, modulus).public_key()


def openssh(key: Any, comment: str = "") -> str:
    line: str = key.public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    ).decode()
    return f"{line} {comment}".strip()


def pem(key: Any, pkcs1: bool = False) -> str:
    fmt = (
        serialization.PublicFormat.PKCS1
        if pkcs1
        else serialization.PublicFormat.SubjectPublicKeyInfo
    )
    text: str = key.public_bytes(serialization.Encoding.PEM, fmt).decode()
    return text


def expected_fingerprint(key: rsa.RSAPublicKey) -> str:
    blob = base64.b64decode(openssh(key).split()[1])
    digest = hashlib.md5(blob, usedforsecurity=False).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, 32, 2))


def upload(account: Account, user: str, body: str) -> str:
    return account.upload_ssh_public_key(
        user_name=user, ssh_public_key_body=body
    ).ssh_public_key.ssh_public_key_id


# -- iamcore.ssh -------------------------------------------------------------------------


def test_parse_openssh_and_pem_give_the_same_key() -> None:
    """ssh-rsa, PEM SubjectPublicKeyInfo and PEM PKCS #1 encodings of one key parse alike."""
    key = rsa_public_key()
    parsed = {
        ssh.parse_public_key(body)
        for body in (openssh(key, "me@host"), pem(key), pem(key, pkcs1=True), "\n" + pem(key))
    }
    assert len(parsed) == 1
    (one,) = parsed
    assert one.bits == 2048
    assert one.openssh == openssh(key)
    assert one.pem == pem(key)


def test_fingerprint_is_md5_of_the_blob() -> None:
    """The fingerprint is MD5 of the OpenSSH blob, 16 colon-separated lower-case hex pairs."""
    key = rsa_public_key(seed=3)
    parsed = ssh.parse_public_key(openssh(key))
    assert FINGERPRINT.fullmatch(parsed.fingerprint)
    assert parsed.fingerprint == expected_fingerprint(key)


@pytest.mark.parametrize(
    "body",
    [
        "not a key",
        "AAAAB3NzaC1yc2EAAAADAQABAAABAQ==",
        "---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n---- END SSH2 PUBLIC KEY ----",
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
        "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----",
        'command="ls" ssh-rsa AAAAB3NzaC1yc2E',
    ],
)
def test_unrecognized_encodings(body: str) -> None:
    """UploadSSHPublicKey: encodings other than ssh-rsa and PEM: UnrecognizedPublicKeyEncoding."""
    with pytest.raises(UnrecognizedPublicKeyEncoding):
        ssh.parse_public_key(body)


def test_other_key_types_are_unrecognized() -> None:
    """UploadSSHPublicKey: CodeCommit takes RSA only; Ed25519 and ECDSA keys are refused."""
    ed = ed25519.Ed25519PrivateKey.generate().public_key()
    ecdsa = ec.generate_private_key(ec.SECP256R1()).public_key()
    for body in (openssh(ed), openssh(ecdsa), pem(ed), pem(ecdsa)):
        with pytest.raises(UnrecognizedPublicKeyEncoding):
            ssh.parse_public_key(body)


@pytest.mark.parametrize(
    "body",
    [
        "ssh-rsa",
        "ssh-rsa not-base64!",
        "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIPPyhhXkhiYl/K4wnw54Tk/Jm1xSiWnZSk0slIG9XjgC",
        "-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----",
    ],
)
def test_malformed_keys_are_invalid(body: str) -> None:
    """UploadSSHPublicKey: a recognised encoding that does not decode is InvalidPublicKey."""
    with pytest.raises(InvalidPublicKey):
        ssh.parse_public_key(body)


def test_multiline_ssh_body_is_invalid() -> None:
    """UploadSSHPublicKey: an ssh-rsa key must be one line."""
    line = openssh(rsa_public_key())
    with pytest.raises(InvalidPublicKey):
        ssh.parse_public_key(line[:60] + "\n" + line[60:])


@pytest.mark.parametrize(
    ("bits", "accepted"),
    [(1024, False), (2047, False), (2048, True), (4096, True), (16384, True), (16385, False)],
)
def test_key_size_2048_to_16384_bits(bits: int, accepted: bool) -> None:
    """UploadSSHPublicKey: RSA keys must have 2048 to 16384 bits (InvalidPublicKey otherwise)."""
    body = openssh(rsa_public_key(bits))
    if accepted:
        assert ssh.parse_public_key(body).bits == bits
    else:
        with pytest.raises(InvalidPublicKey):
            ssh.parse_public_key(body)


@settings(max_examples=30)
@given(seed=st.integers(0, 2**32), bits=st.sampled_from([2048, 3072, 4096]))
def test_fingerprint_stable_across_encodings(seed: int, bits: int) -> None:
    """For any RSA key, the fingerprint is the same whatever the encoding or comment."""
    key = rsa_public_key(bits, seed)
    bodies = [openssh(key), openssh(key, "a comment"), pem(key), pem(key, pkcs1=True)]
    fingerprints = {ssh.parse_public_key(body).fingerprint for body in bodies}
    assert fingerprints == {expected_fingerprint(key)}


# -- UploadSSHPublicKey ------------------------------------------------------------------


def test_upload_returns_the_key(account: Account, bob: str) -> None:
    """UploadSSHPublicKey: APKA ID, MD5 fingerprint, the body exactly as uploaded (a
    trailing newline kept, recorded from AWS, 2026), Active, UploadDate."""
    key = rsa_public_key()
    body = openssh(key, "bob@laptop")
    uploaded = account.upload_ssh_public_key(user_name=bob, ssh_public_key_body=body + "\n")
    result = uploaded.ssh_public_key
    assert KEY_ID.fullmatch(result.ssh_public_key_id)
    assert result.user_name == bob
    assert result.fingerprint == expected_fingerprint(key)
    assert result.ssh_public_key_body == body + "\n"
    assert result.status == "Active"
    assert result.upload_date == account.clock.now()


def test_upload_unknown_user(account: Account) -> None:
    """UploadSSHPublicKey: NoSuchEntity for an unknown user."""
    with pytest.raises(NoSuchEntity):
        upload(account, "nobody", openssh(rsa_public_key()))


def test_upload_duplicate_for_the_same_user(account: Account, bob: str) -> None:
    """UploadSSHPublicKey: the same key twice for a user is DuplicateSSHPublicKey (400),
    whatever the encoding; another user may upload it."""
    key = rsa_public_key()
    upload(account, bob, openssh(key))
    before = account.snapshot()
    for body in (openssh(key), openssh(key, "other comment"), pem(key)):
        with pytest.raises(DuplicateSSHPublicKey) as caught:
            upload(account, bob, body)
        assert caught.value.http_status == 400
    assert fresh_snapshot(account) == before
    account.create_user(user_name="carol")
    upload(account, "carol", openssh(key))


def test_at_most_five_keys_per_user(account: Account, bob: str) -> None:
    """UploadSSHPublicKey: 5 keys per user, Inactive ones included; the 6th is LimitExceeded."""
    ids = [upload(account, bob, openssh(rsa_public_key(seed=n))) for n in range(5)]
    account.update_ssh_public_key(user_name=bob, ssh_public_key_id=ids[0], status="Inactive")
    before = account.snapshot()
    with pytest.raises(LimitExceeded, match="SSHPublicKeysPerUser: 5"):
        upload(account, bob, openssh(rsa_public_key(seed=99)))
    assert fresh_snapshot(account) == before
    account.delete_ssh_public_key(user_name=bob, ssh_public_key_id=ids[0])
    upload(account, bob, openssh(rsa_public_key(seed=99)))


def test_upload_bad_keys_change_nothing(account: Account, bob: str) -> None:
    """UploadSSHPublicKey: a refused key leaves the account unchanged."""
    before = account.snapshot()
    with pytest.raises(InvalidPublicKey):
        upload(account, bob, openssh(rsa_public_key(1024)))
    with pytest.raises(UnrecognizedPublicKeyEncoding):
        upload(account, bob, "hello")
    assert fresh_snapshot(account) == before


def test_body_over_16384_characters_is_validation_error(account: Account, bob: str) -> None:
    """UploadSSHPublicKey: SSHPublicKeyBody is at most 16,384 characters."""
    with pytest.raises(ValidationError):
        upload(account, bob, "ssh-rsa " + "A" * 16384)


# -- GetSSHPublicKey ---------------------------------------------------------------------


def test_get_in_ssh_and_pem_encodings(account: Account, bob: str) -> None:
    """GetSSHPublicKey: Encoding SSH gives the ssh-rsa line without the uploaded comment
    (recorded from AWS, 2026), PEM a PEM public key block."""
    key = rsa_public_key()
    key_id = upload(account, bob, openssh(key, "bob@laptop"))
    as_ssh = account.get_ssh_public_key(user_name=bob, ssh_public_key_id=key_id, encoding="SSH")
    assert as_ssh.ssh_public_key.ssh_public_key_body == openssh(key)
    as_pem = account.get_ssh_public_key(user_name=bob, ssh_public_key_id=key_id, encoding="PEM")
    assert as_pem.ssh_public_key.ssh_public_key_body == pem(key)
    assert as_pem.ssh_public_key.fingerprint == expected_fingerprint(key)


def test_get_pem_upload_as_ssh(account: Account, bob: str) -> None:
    """GetSSHPublicKey: a key uploaded as PEM is served as an ssh-rsa line on request."""
    key = rsa_public_key()
    key_id = upload(account, bob, pem(key, pkcs1=True))
    got = account.get_ssh_public_key(user_name=bob, ssh_public_key_id=key_id, encoding="SSH")
    assert got.ssh_public_key.ssh_public_key_body == openssh(key)


def test_get_another_users_key_is_no_such_entity(account: Account, bob: str) -> None:
    """GetSSHPublicKey: NoSuchEntity for an unknown ID or a key of another user."""
    account.create_user(user_name="carol")
    key_id = upload(account, bob, openssh(rsa_public_key()))
    with pytest.raises(NoSuchEntity, match=key_id):
        account.get_ssh_public_key(user_name="carol", ssh_public_key_id=key_id, encoding="SSH")
    with pytest.raises(NoSuchEntity):
        account.get_ssh_public_key(
            user_name=bob, ssh_public_key_id="APKAAAAAAAAAAAAAAAAAA", encoding="SSH"
        )


def test_get_bad_encoding_is_validation_error(account: Account, bob: str) -> None:
    """GetSSHPublicKey: Encoding must be SSH or PEM."""
    key_id = upload(account, bob, openssh(rsa_public_key()))
    with pytest.raises(ValidationError):
        account.get_ssh_public_key(user_name=bob, ssh_public_key_id=key_id, encoding="DER")


# -- ListSSHPublicKeys -------------------------------------------------------------------


def test_list_is_metadata_only(account: Account, bob: str, clock: FixedClock) -> None:
    """ListSSHPublicKeys: UserName, SSHPublicKeyId, Status, UploadDate; no body or fingerprint."""
    key_id = upload(account, bob, openssh(rsa_public_key()))
    (item,) = account.list_ssh_public_keys(user_name=bob).ssh_public_keys
    assert (item.user_name, item.ssh_public_key_id, item.status, item.upload_date) == (
        bob,
        key_id,
        "Active",
        clock.now(),
    )
    assert not hasattr(item, "ssh_public_key_body")
    assert not hasattr(item, "fingerprint")


def test_list_defaults_to_the_caller(account: Account, bob: str) -> None:
    """ListSSHPublicKeys: without UserName the caller's keys; root must name a user."""
    key_id = upload(account, bob, openssh(rsa_public_key()))
    with account.acting_as(bob):
        (item,) = account.list_ssh_public_keys().ssh_public_keys
    assert item.ssh_public_key_id == key_id
    with pytest.raises(ValidationError, match="non-User credentials"):
        account.list_ssh_public_keys()
    with pytest.raises(NoSuchEntity):
        account.list_ssh_public_keys(user_name="nobody")


def test_list_pages_in_upload_order(account: Account, bob: str, clock: FixedClock) -> None:
    """ListSSHPublicKeys: MaxItems/Marker paging, oldest first."""
    ids = []
    for n in range(4):
        ids.append(upload(account, bob, openssh(rsa_public_key(seed=n))))
        clock.advance(timedelta(minutes=1))
    first = account.list_ssh_public_keys(user_name=bob, max_items=3)
    assert first.is_truncated
    rest = account.list_ssh_public_keys(user_name=bob, marker=first.marker)
    assert not rest.is_truncated
    listed = [k.ssh_public_key_id for k in first.ssh_public_keys + rest.ssh_public_keys]
    assert listed == ids


def test_renamed_user_keeps_keys(account: Account, bob: str) -> None:
    """UpdateUser: a renamed user keeps their SSH keys, listed under the new name."""
    key_id = upload(account, bob, openssh(rsa_public_key()))
    account.update_user(user_name=bob, new_user_name="robert")
    (item,) = account.list_ssh_public_keys(user_name="robert").ssh_public_keys
    assert (item.ssh_public_key_id, item.user_name) == (key_id, "robert")


# -- UpdateSSHPublicKey and DeleteSSHPublicKey -------------------------------------------


def test_update_status(account: Account, bob: str) -> None:
    """UpdateSSHPublicKey: Active ↔ Inactive; Expired cannot be set (InvalidInput)."""
    key_id = upload(account, bob, openssh(rsa_public_key()))
    account.update_ssh_public_key(user_name=bob, ssh_public_key_id=key_id, status="Inactive")
    assert account.list_ssh_public_keys(user_name=bob).ssh_public_keys[0].status == "Inactive"
    account.update_ssh_public_key(user_name=bob, ssh_public_key_id=key_id, status="Active")
    with pytest.raises(InvalidInput):
        account.update_ssh_public_key(user_name=bob, ssh_public_key_id=key_id, status="Expired")
    with pytest.raises(ValidationError):
        account.update_ssh_public_key(user_name=bob, ssh_public_key_id=key_id, status="Off")
    with pytest.raises(NoSuchEntity):
        account.update_ssh_public_key(
            user_name=bob, ssh_public_key_id="APKAAAAAAAAAAAAAAAAAA", status="Active"
        )


def test_delete_and_delete_user(account: Account, bob: str) -> None:
    """DeleteUser: refused while SSH keys exist ("must remove referenced objects first")."""
    key_id = upload(account, bob, openssh(rsa_public_key()))
    with pytest.raises(DeleteConflict) as caught:
        account.delete_user(user_name=bob)
    assert caught.value.message == "Cannot delete entity, must remove referenced objects first."
    account.delete_ssh_public_key(user_name=bob, ssh_public_key_id=key_id)
    with pytest.raises(NoSuchEntity):
        account.delete_ssh_public_key(user_name=bob, ssh_public_key_id=key_id)
    assert account._state.user_ssh_public_keys == {}
    account.delete_user(user_name=bob)


@settings(max_examples=15)
@given(uploads=st.lists(st.integers(0, 7), min_size=1, max_size=10))
def test_never_more_than_five_keys(uploads: list[int]) -> None:
    """UploadSSHPublicKey: whatever is uploaded, a user holds at most 5 keys and no duplicates."""
    account = Account()
    account.create_user(user_name="bob")
    for seed in uploads:
        with contextlib.suppress(DuplicateSSHPublicKey, LimitExceeded):
            upload(account, "bob", openssh(rsa_public_key(seed=seed)))
    keys = account.list_ssh_public_keys(user_name="bob").ssh_public_keys
    assert len(keys) == min(len(set(uploads)), 5)


# -- boto3 through iamcore.mock ----------------------------------------------------------


def test_boto3_ssh_key_lifecycle(boto3_iam: Any) -> None:
    """boto3: Upload, Get (SSH and PEM), List, Update, Delete an SSH public key."""
    boto3_iam.create_user(UserName="bob")
    key = rsa_public_key()
    uploaded = boto3_iam.upload_ssh_public_key(UserName="bob", SSHPublicKeyBody=openssh(key))[
        "SSHPublicKey"
    ]
    assert set(uploaded) == {
        "UserName",
        "SSHPublicKeyId",
        "Fingerprint",
        "SSHPublicKeyBody",
        "Status",
        "UploadDate",
    }
    key_id = uploaded["SSHPublicKeyId"]
    assert uploaded["Fingerprint"] == expected_fingerprint(key)
    got = boto3_iam.get_ssh_public_key(UserName="bob", SSHPublicKeyId=key_id, Encoding="PEM")
    assert got["SSHPublicKey"]["SSHPublicKeyBody"] == pem(key)
    listed = boto3_iam.list_ssh_public_keys(UserName="bob")
    assert [k["SSHPublicKeyId"] for k in listed["SSHPublicKeys"]] == [key_id]
    assert listed["IsTruncated"] is False
    boto3_iam.update_ssh_public_key(UserName="bob", SSHPublicKeyId=key_id, Status="Inactive")
    assert (
        boto3_iam.list_ssh_public_keys(UserName="bob")["SSHPublicKeys"][0]["Status"] == "Inactive"
    )
    boto3_iam.delete_ssh_public_key(UserName="bob", SSHPublicKeyId=key_id)
    # the generic serializer leaves out an empty optional list (see the report)
    assert boto3_iam.list_ssh_public_keys(UserName="bob").get("SSHPublicKeys", []) == []
    boto3_iam.delete_user(UserName="bob")


@pytest.mark.parametrize(
    ("body", "code", "status"),
    [
        ("hello", "UnrecognizedPublicKeyEncoding", 400),
        ("ssh-rsa AAAA", "InvalidPublicKey", 400),
    ],
)
def test_boto3_upload_errors(boto3_iam: Any, body: str, code: str, status: int) -> None:
    """boto3 UploadSSHPublicKey: encoding and malformed-key errors with their HTTP status."""
    boto3_iam.create_user(UserName="bob")
    with pytest.raises(ClientError) as caught:
        boto3_iam.upload_ssh_public_key(UserName="bob", SSHPublicKeyBody=body)
    assert caught.value.response["Error"]["Code"] == code
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


def test_boto3_duplicate_key(boto3_iam: Any) -> None:
    """boto3 UploadSSHPublicKey: DuplicateSSHPublicKey, HTTP 400."""
    boto3_iam.create_user(UserName="bob")
    body = openssh(rsa_public_key())
    boto3_iam.upload_ssh_public_key(UserName="bob", SSHPublicKeyBody=body)
    with pytest.raises(ClientError) as caught:
        boto3_iam.upload_ssh_public_key(UserName="bob", SSHPublicKeyBody=body)
    assert caught.value.response["Error"]["Code"] == "DuplicateSSHPublicKey"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_boto3_paginate_ssh_keys(boto3_iam: Any) -> None:
    """boto3: the ListSSHPublicKeys paginator walks every page."""
    boto3_iam.create_user(UserName="bob")
    for n in range(5):
        boto3_iam.upload_ssh_public_key(
            UserName="bob", SSHPublicKeyBody=openssh(rsa_public_key(seed=n))
        )
    paginator = boto3_iam.get_paginator("list_ssh_public_keys")
    pages = list(paginator.paginate(UserName="bob", PaginationConfig={"PageSize": 2}))
    assert [len(page["SSHPublicKeys"]) for page in pages] == [2, 2, 1]
