"""Secrets never leak (SECURITY.md; AWS: secrets are returned only by the call that creates them).

One account is given every kind of secret iamcore knows — a console
password, a secret access key, an MFA seed and QR code, a service-specific
password — and then every read path is searched for them: ``repr`` of the
snapshot, every Get/List operation natively and through the serializer, the
credential report, the default saved file, and error messages.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from iamcore import Account, IamError, _model
from iamcore.persistence import dumps
from iamcore.serialize import to_response
from iamcore.testing import FixedClock, seeded_entropy, totp_code

PASSWORD = "Initial-Passw0rd!"
NEW_PASSWORD = "Rotated-Passw0rd!"


def _ssh_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    return key.public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    ).decode()


@pytest.fixture(scope="module")
def loaded() -> tuple[Account, list[str]]:
    """An account holding every kind of secret, and the secrets as text."""
    clock = FixedClock()
    account = Account(clock=clock, entropy=seeded_entropy(99))
    account.create_user(user_name="developer")
    account.create_group(group_name="Developers")
    account.add_user_to_group(group_name="Developers", user_name="developer")
    account.create_login_profile(user_name="developer", password=PASSWORD)
    key = account.create_access_key(user_name="developer").access_key
    device = account.create_virtual_mfa_device(virtual_mfa_device_name="developer-mfa")
    seed = device.virtual_mfa_device.base32_string_seed
    assert seed is not None
    account.enable_mfa_device(
        user_name="developer",
        serial_number=device.virtual_mfa_device.serial_number,
        authentication_code1=totp_code(seed, clock, -1),
        authentication_code2=totp_code(seed, clock, 0),
    )
    account.upload_ssh_public_key(user_name="developer", ssh_public_key_body=_ssh_key())
    credential = account.create_service_specific_credential(
        user_name="developer", service_name="codecommit.amazonaws.com"
    ).service_specific_credential
    account.update_login_profile(user_name="developer", password=NEW_PASSWORD)
    account.generate_credential_report()
    account.generate_credential_report()
    qr = device.virtual_mfa_device.qr_code_png
    assert qr is not None
    assert key.secret_access_key
    assert credential.service_password
    secrets = [
        PASSWORD,
        NEW_PASSWORD,
        key.secret_access_key,
        seed.decode("ascii"),
        base64.b64encode(qr).decode("ascii")[:40],
        credential.service_password,
    ]
    return account, secrets


def _assert_clean(text: str, secrets: list[str], where: str) -> None:
    for secret in secrets:
        assert secret not in text, f"a secret appears in {where}"


def _read_calls(account: Account) -> Iterator[tuple[str, dict[str, Any]]]:
    snapshot = account.snapshot()
    user = next(iter(snapshot.users.values()))
    names = {
        "user_name": user.user_name,
        "group_name": "Developers",
        "access_key_id": next(iter(snapshot.tables["access_keys"])),
        "serial_number": next(iter(snapshot.tables["virtual_mfa_devices"])),
        "ssh_public_key_id": next(iter(snapshot.tables["ssh_public_keys"])),
        "encoding": "SSH",
        "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess",
        "version_id": "v1",
        "policy_source_arn": user.arn,
        "action_names": ["iam:GetUser"],
        "policy_input_list": [
            '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}'
        ],
    }
    for name, op in sorted(_model.model()["operations"].items()):
        if not name.startswith(("Get", "List", "Simulate")):
            continue
        method = getattr(account, op["snake"], None)
        if method is None:
            continue
        input_name = op["input"]
        members = _model.shape(input_name)["members"].values() if input_name else []
        kwargs = {ref["snake"]: names[ref["snake"]] for ref in members if ref["snake"] in names}
        yield name, kwargs


def test_snapshot_repr_hides_secrets(loaded: tuple[Account, list[str]]) -> None:
    """Snapshots hold hashes and seeds for checking, but never show them."""
    account, secrets = loaded
    _assert_clean(repr(account.snapshot()), secrets, "repr(snapshot)")
    _assert_clean(str(account.snapshot()), secrets, "str(snapshot)")


def test_no_read_operation_returns_a_secret(loaded: tuple[Account, list[str]]) -> None:
    """AWS returns secrets only from the creating call: no Get/List/Simulate result has one."""
    account, secrets = loaded
    called = 0
    for operation, kwargs in _read_calls(account):
        method = getattr(account, _model.operation(operation)["snake"])
        try:
            result = method(**kwargs)
        except IamError:
            continue
        called += 1
        _assert_clean(repr(result), secrets, f"repr({operation})")
        body = to_response(operation, result)
        text = json.dumps(body, default=lambda value: repr(value))
        _assert_clean(text, secrets, f"{operation} response")
        assert "QRCodePNG" not in text
        assert "Base32StringSeed" not in text
        assert "ServicePassword" not in text
        assert "SecretAccessKey" not in text
    assert called >= 20, "the walk should reach most read operations"


def test_credential_report_has_no_secret(loaded: tuple[Account, list[str]]) -> None:
    """The credential report lists credential metadata only."""
    account, secrets = loaded
    _assert_clean(account.get_credential_report().content.decode(), secrets, "the report")


def test_default_saved_file_is_redacted(loaded: tuple[Account, list[str]]) -> None:
    """A saved account omits secrets (hashes, digests, seeds) unless asked."""
    account, secrets = loaded
    text = dumps(account)
    _assert_clean(text, secrets, "the saved file")
    for field in ('"password_hash"', '"secret_digest"', '"seed"', '"secret_hash"'):
        for chunk in text.split(field)[1:]:
            assert chunk.startswith(": null"), f"{field} is written without include_secrets"


def test_error_messages_mask_passwords(loaded: tuple[Account, list[str]]) -> None:
    """Validation messages never show the value sent (AWS, 2026), so no password appears."""
    account, _ = loaded
    secret = "x" * 129  # too long for passwordType
    with pytest.raises(IamError) as caught:
        account.update_login_profile(user_name="developer", password=secret)
    assert secret not in caught.value.message
    assert secret not in repr(caught.value)
    weak = "weakpass"
    account.update_account_password_policy(minimum_password_length=12)
    try:
        with pytest.raises(IamError) as violation:
            account.update_login_profile(user_name="developer", password=weak)
        assert weak not in violation.value.message
    finally:
        account.delete_account_password_policy()
