"""Console passwords: Create/Get/Update/DeleteLoginProfile, ChangePassword, console sign-in."""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace

import pytest

from iamcore import Account
from iamcore.auth import SignInOutcome
from iamcore.errors import (
    AccessDenied,
    DeleteConflict,
    EntityAlreadyExists,
    InvalidAuthenticationCode,
    InvalidInput,
    InvalidUserType,
    NoSuchEntity,
    ValidationError,
)
from iamcore.mock import mock_iam
from iamcore.rules import login_profiles
from iamcore.testing import FixedClock
from tests.helpers import boto3_client, fresh_snapshot

GOOD = "Initial-pass1"
NEW = "Second-pass2"


@pytest.fixture
def may_change(account: Account) -> None:
    account.update_account_password_policy(allow_users_to_change_password=True)


# -- CreateLoginProfile / GetLoginProfile ---------------------------------------


def test_create_login_profile(account: Account, bob: str, clock: FixedClock) -> None:
    """CreateLoginProfile returns UserName, CreateDate and PasswordResetRequired (no password)."""
    profile = account.create_login_profile(user_name=bob, password=GOOD).login_profile
    assert profile.user_name == "bob"
    assert profile.create_date == clock.now()
    assert profile.password_reset_required is False
    assert not hasattr(profile, "password")


def test_login_profile_shape_through_boto3() -> None:
    """boto3 Create/GetLoginProfile: exactly CreateDate, PasswordResetRequired, UserName."""
    with mock_iam() as account:
        account.create_user(user_name="bob")
        iam = boto3_client()
        created = iam.create_login_profile(UserName="bob", Password=GOOD)["LoginProfile"]
        fetched = iam.get_login_profile(UserName="bob")["LoginProfile"]
    assert set(created) == set(fetched) == {"CreateDate", "PasswordResetRequired", "UserName"}
    assert fetched["PasswordResetRequired"] is False


def test_one_login_profile_per_user(account: Account, bob: str) -> None:
    """Second CreateLoginProfile: EntityAlreadyExists 'Login Profile for user X already exists.'"""
    account.create_login_profile(user_name=bob, password=GOOD)
    before = account.snapshot()
    with pytest.raises(EntityAlreadyExists) as raised:
        account.create_login_profile(user_name=bob, password=NEW)
    assert raised.value.message == "Login Profile for user bob already exists."
    assert fresh_snapshot(account) == before


def test_create_for_unknown_user(account: Account) -> None:
    """CreateLoginProfile for an unknown user: NoSuchEntity 'The user with name X …'."""
    with pytest.raises(NoSuchEntity) as raised:
        account.create_login_profile(user_name="ghost", password=GOOD)
    assert raised.value.message == "The user with name ghost cannot be found."


def test_create_requires_password(account: Account, bob: str) -> None:
    """CreateLoginProfile for an IAM user requires Password (optional only for root sessions)."""
    with pytest.raises(ValidationError):
        account.create_login_profile(user_name=bob)


def test_create_without_user_name_as_root(account: Account) -> None:
    """CreateLoginProfile without UserName from root/administrator: ValidationError."""
    with pytest.raises(ValidationError):
        account.create_login_profile(password=GOOD)


def test_get_login_profile_missing(account: Account, bob: str) -> None:
    """GetLoginProfile, no password: NoSuchEntity 'Login Profile for User X cannot be found.'"""
    with pytest.raises(NoSuchEntity) as raised:
        account.get_login_profile(user_name=bob)
    assert raised.value.message == "Login Profile for User bob cannot be found."


def test_own_login_profile_without_user_name(account: Account, bob: str) -> None:
    """Without UserName, Get/DeleteLoginProfile act on the calling user."""
    account.create_login_profile(user_name=bob, password=GOOD)
    with account.acting_as(bob):
        assert account.get_login_profile().login_profile.user_name == "bob"
        account.delete_login_profile()
    with pytest.raises(NoSuchEntity):
        account.get_login_profile(user_name=bob)


def test_rename_keeps_login_profile(account: Account, bob: str) -> None:
    """UpdateUser: the login profile follows a renamed user."""
    account.create_login_profile(user_name=bob, password=GOOD)
    account.update_user(user_name=bob, new_user_name="robert")
    assert account.get_login_profile(user_name="robert").login_profile.user_name == "robert"
    assert account.console_sign_in(user_name="robert", password=GOOD).success


# -- UpdateLoginProfile / DeleteLoginProfile ------------------------------------


def test_update_reset_flag_only(account: Account, bob: str, clock: FixedClock) -> None:
    """UpdateLoginProfile can set only PasswordResetRequired; CreateDate does not change."""
    created = account.create_login_profile(user_name=bob, password=GOOD).login_profile
    clock.advance(timedelta(days=1))
    account.update_login_profile(user_name=bob, password_reset_required=True)
    profile = account.get_login_profile(user_name=bob).login_profile
    assert profile.password_reset_required is True
    assert profile.create_date == created.create_date
    assert account.console_sign_in(user_name=bob, password=GOOD).success


def test_update_password_keeps_reset_flag(account: Account, bob: str) -> None:
    """UpdateLoginProfile with only Password sets it and leaves PasswordResetRequired as it was."""
    account.create_login_profile(user_name=bob, password=GOOD, password_reset_required=True)
    account.update_login_profile(user_name=bob, password=NEW)
    assert account.get_login_profile(user_name=bob).login_profile.password_reset_required
    assert not account.console_sign_in(user_name=bob, password=GOOD).success
    assert account.console_sign_in(user_name=bob, password=NEW).password_change_required


def test_update_missing_profile(account: Account, bob: str) -> None:
    """UpdateLoginProfile for a user without a password: NoSuchEntity."""
    with pytest.raises(NoSuchEntity):
        account.update_login_profile(user_name=bob, password=GOOD)


def test_delete_login_profile(account: Account, bob: str) -> None:
    """DeleteLoginProfile ends console access (twice: NoSuchEntity); access keys keep working."""
    account.create_login_profile(user_name=bob, password=GOOD)
    key = account.create_access_key(user_name=bob).access_key
    account.delete_login_profile(user_name=bob)
    assert not account.console_sign_in(user_name=bob, password=GOOD).success
    with pytest.raises(NoSuchEntity) as raised:
        account.delete_login_profile(user_name=bob)
    assert raised.value.message == "Login Profile for User bob cannot be found."
    account.authenticate(access_key_id=key.access_key_id, secret_access_key=key.secret_access_key)


def test_delete_user_refused_while_login_profile_exists(account: Account, bob: str) -> None:
    """DeleteUser: 'must delete login profile first' (checked before access keys)."""
    account.create_login_profile(user_name=bob, password=GOOD)
    account.create_access_key(user_name=bob)
    with pytest.raises(DeleteConflict) as raised:
        account.delete_user(user_name=bob)
    assert raised.value.message == "Cannot delete entity, must delete login profile first."


def test_max_signin_session_duration(account: Account, bob: str) -> None:
    """MaxSigninSessionDuration: set at creation, replaced by an update, cleared by Reset…=true."""
    created = account.create_login_profile(
        user_name=bob, password=GOOD, max_signin_session_duration=3600
    ).login_profile
    assert created.max_signin_session_duration == 3600
    account.update_login_profile(user_name=bob, max_signin_session_duration=7776000)
    profile = account.get_login_profile(user_name=bob).login_profile
    assert profile.max_signin_session_duration == 7776000
    account.update_login_profile(user_name=bob, password_reset_required=True)
    assert account.get_login_profile(user_name=bob).login_profile.max_signin_session_duration
    account.update_login_profile(user_name=bob, reset_max_signin_session_duration=True)
    assert (
        account.get_login_profile(user_name=bob).login_profile.max_signin_session_duration is None
    )
    assert account.console_sign_in(user_name=bob, password=GOOD).success


def test_max_signin_session_duration_conflicts_and_range(account: Account, bob: str) -> None:
    """MaxSigninSessionDuration with ResetMaxSigninSessionDuration=true is InvalidInput;
    outside 3600–7776000 it is a ValidationError."""
    account.create_login_profile(user_name=bob, password=GOOD)
    before = account.snapshot()
    with pytest.raises(InvalidInput):
        account.update_login_profile(
            user_name=bob, max_signin_session_duration=3600, reset_max_signin_session_duration=True
        )
    for bad in (3599, 7776001):
        with pytest.raises(ValidationError):
            account.update_login_profile(user_name=bob, max_signin_session_duration=bad)
    assert fresh_snapshot(account) == before


def test_max_signin_session_duration_through_boto3() -> None:
    """boto3 GetLoginProfile shows MaxSigninSessionDuration only when it is set."""
    with mock_iam() as account:
        account.create_user(user_name="bob")
        iam = boto3_client()
        iam.create_login_profile(UserName="bob", Password=GOOD, MaxSigninSessionDuration=43200)
        profile = iam.get_login_profile(UserName="bob")["LoginProfile"]
    assert profile["MaxSigninSessionDuration"] == 43200


# -- ChangePassword ---------------------------------------------------------------


def test_change_password_by_root_is_invalid_user_type(account: Account) -> None:
    """ChangePassword can be called by IAM users only: root gets InvalidUserType."""
    with pytest.raises(InvalidUserType) as raised:
        account.change_password(old_password=GOOD, new_password=NEW)
    assert raised.value.http_status == 400


def test_change_password_needs_permission(account: Account, bob: str) -> None:
    """Without AllowUsersToChangePassword or a policy: AccessDenied in AWS's format
    (UG "Troubleshoot access denied error messages": who, action, resource, why)."""
    account.create_login_profile(user_name=bob, password=GOOD)
    arn = "arn:aws:iam::123456789012:user/bob"
    with account.acting_as(bob), pytest.raises(AccessDenied) as raised:
        account.change_password(old_password=GOOD, new_password=NEW)
    assert raised.value.message == (
        f"User: {arn} is not authorized to perform: iam:ChangePassword on resource: user bob "
        "because no identity-based policy allows the iam:ChangePassword action"
    )
    assert raised.value.http_status == 403


def test_change_password_conditions_see_the_time(account: Account, bob: str) -> None:
    """ChangePassword is decided with the request's time (aws:CurrentTime), as every
    other call is: a time-conditioned allow grants it, a time-conditioned deny refuses."""
    account.create_login_profile(user_name=bob, password=GOOD)
    since_2000 = {"DateGreaterThan": {"aws:CurrentTime": "2000-01-01T00:00:00Z"}}
    allow = {"Effect": "Allow", "Action": "iam:ChangePassword", "Resource": "*"}
    document = {"Version": "2012-10-17", "Statement": [{**allow, "Condition": since_2000}]}
    account.put_user_policy(user_name=bob, policy_name="p", policy_document=json.dumps(document))
    with account.acting_as(bob):
        account.change_password(old_password=GOOD, new_password=NEW)
    account.update_account_password_policy(allow_users_to_change_password=True)
    deny = {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": since_2000}
    document = {"Version": "2012-10-17", "Statement": [deny]}
    account.put_user_policy(user_name=bob, policy_name="p", policy_document=json.dumps(document))
    with account.acting_as(bob), pytest.raises(AccessDenied):
        account.change_password(old_password=NEW, new_password=GOOD)


def test_explicit_deny_overrides_allow_users_to_change_password(
    account: Account, bob: str
) -> None:
    """AllowUsersToChangePassword grants ChangePassword and GetAccountPasswordPolicy like an
    identity-based policy, so an explicit deny still wins (UG "Policy evaluation logic"; users
    of an MFA-enforcing deny policy cannot change their password until they use MFA)."""
    account.create_login_profile(user_name=bob, password=GOOD)
    account.update_account_password_policy(allow_users_to_change_password=True)
    deny = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}'
    account.put_user_policy(user_name=bob, policy_name="deny-all", policy_document=deny)
    with account.acting_as(bob), pytest.raises(AccessDenied) as raised:
        account.change_password(old_password=GOOD, new_password=NEW)
    assert "with an explicit deny in an identity-based policy" in raised.value.message
    account.delete_user_policy(user_name=bob, policy_name="deny-all")
    with account.acting_as(bob):
        account.change_password(old_password=GOOD, new_password=NEW)
    assert account.console_sign_in(user_name=bob, password=NEW).success


def test_change_password_granted_by_policy_hook(
    account: Account, bob: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user whose own policies allow iam:ChangePassword may change it (policy hook)."""
    account.create_login_profile(user_name=bob, password=GOOD)
    user_id = account.get_user(user_name=bob).user.user_id
    monkeypatch.setattr(
        login_profiles,
        "CHANGE_PASSWORD_DENIAL",
        [lambda state, uid, now: None if uid == user_id else "denied"],
    )
    with account.acting_as(bob):
        account.change_password(old_password=GOOD, new_password=NEW)
    assert account.console_sign_in(user_name=bob, password=NEW).success


def test_change_password_without_login_profile(
    account: Account, bob: str, may_change: None
) -> None:
    """ChangePassword by a user without a password: NoSuchEntity 'Login Profile for User X …'."""
    with account.acting_as(bob), pytest.raises(NoSuchEntity) as raised:
        account.change_password(old_password=GOOD, new_password=NEW)
    assert raised.value.message == "Login Profile for User bob cannot be found."


def test_change_password_wrong_old_password(account: Account, bob: str, may_change: None) -> None:
    """ChangePassword with a wrong OldPassword: AccessDenied; nothing changes."""
    account.create_login_profile(user_name=bob, password=GOOD)
    before = account.snapshot()
    with account.acting_as(bob), pytest.raises(AccessDenied):
        account.change_password(old_password="not-it-1A", new_password=NEW)
    assert fresh_snapshot(account) == before


def test_change_password_clears_reset_required(
    account: Account, bob: str, may_change: None, clock: FixedClock
) -> None:
    """ChangePassword sets the new password and clears PasswordResetRequired."""
    account.create_login_profile(user_name=bob, password=GOOD, password_reset_required=True)
    assert account.console_sign_in(user_name=bob, password=GOOD).outcome is (
        SignInOutcome.PASSWORD_CHANGE_REQUIRED
    )
    with account.acting_as(bob):
        account.change_password(old_password=GOOD, new_password=NEW)
    assert account.get_login_profile(user_name=bob).login_profile.password_reset_required is False
    assert account.console_sign_in(user_name=bob, password=NEW).outcome is SignInOutcome.SIGNED_IN
    assert not account.console_sign_in(user_name=bob, password=GOOD).success


def test_change_password_restarts_expiry(account: Account, bob: str, clock: FixedClock) -> None:
    """Setting a password restarts the MaxPasswordAge period."""
    account.update_account_password_policy(
        allow_users_to_change_password=True, max_password_age=10
    )
    account.create_login_profile(user_name=bob, password=GOOD)
    clock.advance(timedelta(days=11))
    assert account.console_sign_in(user_name=bob, password=GOOD).password_change_required
    with account.acting_as(bob):
        account.change_password(old_password=GOOD, new_password=NEW)
    assert account.console_sign_in(user_name=bob, password=NEW).outcome is SignInOutcome.SIGNED_IN


# -- console sign-in ---------------------------------------------------------------


def test_sign_in_refusals(account: Account, bob: str) -> None:
    """Sign-in is refused for an unknown user, a user without password, or a wrong password."""
    assert account.console_sign_in(user_name="ghost", password=GOOD).outcome is (
        SignInOutcome.INVALID_CREDENTIALS
    )
    assert account.console_sign_in(user_name=bob, password=GOOD).outcome is (
        SignInOutcome.INVALID_CREDENTIALS
    )
    account.create_login_profile(user_name=bob, password=GOOD)
    before = account.snapshot()
    result = account.console_sign_in(user_name=bob, password="Wrong-pass1")
    assert result.outcome is SignInOutcome.INVALID_CREDENTIALS
    assert not result.success
    assert fresh_snapshot(account) == before


def test_sign_in_records_password_last_used(account: Account, bob: str, clock: FixedClock) -> None:
    """A successful sign-in sets PasswordLastUsed, shown by GetUser and ListUsers."""
    account.create_login_profile(user_name=bob, password=GOOD)
    assert account.get_user(user_name=bob).user.password_last_used is None
    clock.advance(timedelta(hours=2))
    assert account.console_sign_in(user_name=bob, password=GOOD).success
    assert account.get_user(user_name=bob).user.password_last_used == clock.now()
    assert account.list_users().users[0].password_last_used == clock.now()


def test_password_last_used_first_use_in_5_minutes(
    account: Account, bob: str, clock: FixedClock
) -> None:
    """PasswordLastUsed: repeated sign-ins within 5 minutes record only the first."""
    account.create_login_profile(user_name=bob, password=GOOD)
    account.console_sign_in(user_name=bob, password=GOOD)
    first = clock.now()
    clock.advance(timedelta(minutes=4))
    account.console_sign_in(user_name=bob, password=GOOD)
    assert account.get_user(user_name=bob).user.password_last_used == first
    clock.advance(timedelta(minutes=1))
    account.console_sign_in(user_name=bob, password=GOOD)
    assert account.get_user(user_name=bob).user.password_last_used == clock.now()


def test_password_last_used_through_boto3(account: Account, bob: str) -> None:
    """boto3 GetUser shows PasswordLastUsed after a console sign-in."""
    account.create_login_profile(user_name=bob, password=GOOD)
    account.console_sign_in(user_name=bob, password=GOOD)
    with mock_iam(account):
        user = boto3_client().get_user(UserName="bob")["User"]
    assert user["PasswordLastUsed"] == account.clock.now()


def test_sign_in_bad_types(account: Account) -> None:
    """console_sign_in with non-string arguments: ValidationError."""
    with pytest.raises(ValidationError):
        account.console_sign_in(user_name="bob", password=None)  # type: ignore[arg-type]


def _stub_mfa(monkeypatch: pytest.MonkeyPatch, valid: set[str]) -> list[str]:
    used: list[str] = []

    def verify(state: object, ctx: object, user_id: str, code: str) -> None:
        if code not in valid or code in used:
            raise InvalidAuthenticationCode("bad code")
        used.append(code)

    stub = SimpleNamespace(has_mfa=lambda state, user_id: True, verify_sign_in_code=verify)
    monkeypatch.setattr(login_profiles, "_mfa_module", lambda: stub)
    return used


def test_sign_in_with_mfa_stub(
    account: Account, bob: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user with MFA needs a valid code, each usable once; the password is checked first."""
    account.create_login_profile(user_name=bob, password=GOOD)
    used = _stub_mfa(monkeypatch, {"123456"})
    assert account.console_sign_in(user_name=bob, password=GOOD).outcome is (
        SignInOutcome.MFA_REQUIRED
    )
    assert account.console_sign_in(user_name=bob, password="nope", mfa_code="123456").outcome is (
        SignInOutcome.INVALID_CREDENTIALS
    )
    assert used == []
    ok = account.console_sign_in(user_name=bob, password=GOOD, mfa_code="123456")
    assert ok.outcome is SignInOutcome.SIGNED_IN
    again = account.console_sign_in(user_name=bob, password=GOOD, mfa_code="123456")
    assert again.outcome is SignInOutcome.INVALID_MFA_CODE


def test_sign_in_with_virtual_mfa_device(account: Account, bob: str, clock: FixedClock) -> None:
    """Console sign-in with an enabled virtual MFA device: a fresh TOTP code, usable once."""
    from iamcore import totp

    account.create_login_profile(user_name=bob, password=GOOD)
    device = account.create_virtual_mfa_device(virtual_mfa_device_name="bob-mfa")
    seed = device.virtual_mfa_device.base32_string_seed
    step = totp.time_step(clock.now())
    account.enable_mfa_device(
        user_name=bob,
        serial_number=device.virtual_mfa_device.serial_number,
        authentication_code1=totp.code_for_step(seed, step - 1),
        authentication_code2=totp.code_for_step(seed, step),
    )
    clock.advance(timedelta(seconds=30))
    code = totp.code_at(seed, clock.now())
    assert account.console_sign_in(user_name=bob, password=GOOD).outcome is (
        SignInOutcome.MFA_REQUIRED
    )
    assert account.console_sign_in(user_name=bob, password=GOOD, mfa_code=code).success
    reused = account.console_sign_in(user_name=bob, password=GOOD, mfa_code=code)
    assert reused.outcome is SignInOutcome.INVALID_MFA_CODE
