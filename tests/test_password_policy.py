"""Account password policy: Update/Get/DeleteAccountPasswordPolicy and its enforcement."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from iamcore import Account, passwords
from iamcore.auth import SignInOutcome
from iamcore.errors import NoSuchEntity, PasswordPolicyViolation, ValidationError
from iamcore.mock import mock_iam
from iamcore.testing import FixedClock
from tests.helpers import boto3_client, fresh_snapshot

VIOLATION = "Password does not conform to the account password policy."
GOOD = "Initial-pass1"


def test_no_policy_is_no_such_entity(account: Account) -> None:
    """GetAccountPasswordPolicy without a policy: NoSuchEntity naming the account."""
    with pytest.raises(NoSuchEntity) as raised:
        account.get_account_password_policy()
    assert raised.value.message == (
        "The Password Policy with domain name 123456789012 cannot be found."
    )


def test_defaults_shape_through_boto3() -> None:
    """UpdateAccountPasswordPolicy with no fields: AWS's defaults; unset fields are omitted."""
    with mock_iam() as account:
        iam = boto3_client()
        iam.update_account_password_policy()
        policy = iam.get_account_password_policy()["PasswordPolicy"]
    assert policy == {
        "AllowUsersToChangePassword": False,
        "ExpirePasswords": False,
        "MinimumPasswordLength": 6,
        "RequireLowercaseCharacters": False,
        "RequireNumbers": False,
        "RequireSymbols": False,
        "RequireUppercaseCharacters": False,
    }
    assert account.get_account_password_policy().password_policy.max_password_age is None


def test_custom_values_through_boto3() -> None:
    """GetAccountPasswordPolicy returns every set field; ExpirePasswords = MaxPasswordAge > 0."""
    with mock_iam():
        iam = boto3_client()
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
        policy = iam.get_account_password_policy()["PasswordPolicy"]
    assert policy == {
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


def test_update_replaces_whole_policy(account: Account) -> None:
    """UpdateAccountPasswordPolicy is no partial update: omitted fields revert to defaults."""
    account.update_account_password_policy(
        minimum_password_length=12, require_symbols=True, max_password_age=30, hard_expiry=True
    )
    account.update_account_password_policy(require_numbers=True)
    policy = account.get_account_password_policy().password_policy
    assert policy.minimum_password_length == 6
    assert not policy.require_symbols
    assert policy.require_numbers
    assert policy.max_password_age is None
    assert policy.hard_expiry is None
    assert not policy.expire_passwords


def test_explicit_false_hard_expiry_is_kept(account: Account) -> None:
    """HardExpiry given as false is reported as false (it is omitted only when not given)."""
    account.update_account_password_policy(hard_expiry=False)
    assert account.get_account_password_policy().password_policy.hard_expiry is False


def test_delete_policy(account: Account) -> None:
    """DeleteAccountPasswordPolicy removes it; deleting again is NoSuchEntity."""
    account.update_account_password_policy()
    account.delete_account_password_policy()
    with pytest.raises(NoSuchEntity):
        account.get_account_password_policy()
    with pytest.raises(NoSuchEntity) as raised:
        account.delete_account_password_policy()
    assert raised.value.message == "The account policy with name PasswordPolicy cannot be found."


@pytest.mark.parametrize(
    "field",
    [
        {"minimum_password_length": 5},
        {"minimum_password_length": 129},
        {"max_password_age": 0},
        {"max_password_age": 1096},
        {"password_reuse_prevention": 0},
        {"password_reuse_prevention": 25},
    ],
)
def test_ranges(account: Account, field: dict[str, int]) -> None:
    """Ranges: MinimumPasswordLength 6–128, MaxPasswordAge 1–1095, PasswordReusePrevention 1–24."""
    with pytest.raises(ValidationError):
        account.update_account_password_policy(**field)  # type: ignore[arg-type]
    with pytest.raises(NoSuchEntity):
        account.get_account_password_policy()


@pytest.mark.parametrize(
    ("policy", "password"),
    [
        ({"minimum_password_length": 10}, "Short-pw1"),
        ({"require_symbols": True}, "NoSymbols123"),
        ({"require_numbers": True}, "No-numbers-here"),
        ({"require_uppercase_characters": True}, "no-upper-123"),
        ({"require_lowercase_characters": True}, "NO-LOWER-123"),
    ],
)
def test_create_login_profile_checks_policy(
    account: Account, bob: str, policy: dict[str, Any], password: str
) -> None:
    """CreateLoginProfile: a password breaking the policy is PasswordPolicyViolation (400)."""
    account.update_account_password_policy(**policy)
    before = account.snapshot()
    with pytest.raises(PasswordPolicyViolation) as raised:
        account.create_login_profile(user_name=bob, password=password)
    assert raised.value.message == VIOLATION
    assert raised.value.http_status == 400
    assert fresh_snapshot(account) == before


def test_update_login_profile_checks_policy(account: Account, bob: str) -> None:
    """UpdateLoginProfile: the new password must satisfy the policy."""
    account.create_login_profile(user_name=bob, password=GOOD)
    account.update_account_password_policy(minimum_password_length=20)
    with pytest.raises(PasswordPolicyViolation):
        account.update_login_profile(user_name=bob, password="Still-too-short1")


def test_change_password_checks_policy(account: Account, bob: str) -> None:
    """ChangePassword: the new password must satisfy the policy."""
    account.create_login_profile(user_name=bob, password=GOOD)
    account.update_account_password_policy(
        allow_users_to_change_password=True, require_symbols=True
    )
    with account.acting_as(bob), pytest.raises(PasswordPolicyViolation):
        account.change_password(old_password=GOOD, new_password="NoSymbolsAtAll1")


def test_default_policy_applies_without_custom_policy(account: Account, bob: str) -> None:
    """No custom policy: AWS's default applies (8+ characters, three of four classes)."""
    for weak in ("Ab1!", "abcdefgh", "abcdefg1"):
        with pytest.raises(PasswordPolicyViolation):
            account.create_login_profile(user_name=bob, password=weak)
    account.create_login_profile(user_name=bob, password="abcdefG1")


def test_default_policy_can_be_turned_off(account: Account, bob: str) -> None:
    """enforce_default_password_policy=False: no checks at all while no policy is set."""
    account.enforce_default_password_policy = False
    assert not account.enforce_default_password_policy
    account.create_login_profile(user_name=bob, password="a")


def test_custom_policy_replaces_default(account: Account, bob: str) -> None:
    """A custom policy (even all defaults: 6 chars, no classes) replaces AWS's default policy."""
    account.update_account_password_policy()
    account.create_login_profile(user_name=bob, password="abcdef")
    account.delete_account_password_policy()
    with pytest.raises(PasswordPolicyViolation):
        account.update_login_profile(user_name=bob, password="ghijkl")


def test_rule_changes_not_retroactive(account: Account, bob: str) -> None:
    """Stricter length/class rules do not invalidate existing passwords."""
    account.create_login_profile(user_name=bob, password=GOOD)
    account.update_account_password_policy(minimum_password_length=30, require_symbols=True)
    result = account.console_sign_in(user_name=bob, password=GOOD)
    assert result.outcome is SignInOutcome.SIGNED_IN


def test_reuse_prevention(account: Account, bob: str) -> None:
    """PasswordReusePrevention N: none of the last N passwords (current included) may be reused."""
    account.update_account_password_policy(
        allow_users_to_change_password=True, password_reuse_prevention=2
    )
    account.create_login_profile(user_name=bob, password="Password-1")
    with account.acting_as(bob):
        with pytest.raises(PasswordPolicyViolation):
            account.change_password(old_password="Password-1", new_password="Password-1")
        account.change_password(old_password="Password-1", new_password="Password-2")
        with pytest.raises(PasswordPolicyViolation):
            account.change_password(old_password="Password-2", new_password="Password-1")
        account.change_password(old_password="Password-2", new_password="Password-3")
        account.change_password(old_password="Password-3", new_password="Password-1")


def test_reuse_prevention_applies_to_admin_reset(account: Account, bob: str) -> None:
    """PasswordReusePrevention also applies to UpdateLoginProfile (an administrator's reset)."""
    account.update_account_password_policy(password_reuse_prevention=3)
    account.create_login_profile(user_name=bob, password="Password-1")
    account.update_login_profile(user_name=bob, password="Password-2")
    with pytest.raises(PasswordPolicyViolation):
        account.update_login_profile(user_name=bob, password="Password-1")


def test_history_is_bounded(account: Account, bob: str) -> None:
    """iamcore keeps at most the last 24 password hashes per user."""
    account.enforce_default_password_policy = False
    account.create_login_profile(user_name=bob, password="p0")
    for number in range(1, 30):
        account.update_login_profile(user_name=bob, password=f"p{number}")
    stored = account.snapshot().tables["login_profiles"]
    (profile,) = stored.values()
    assert len(profile.history) == passwords.HISTORY_LIMIT


def test_expiry_is_retroactive_and_console_only(
    account: Account, bob: str, clock: FixedClock
) -> None:
    """MaxPasswordAge expires older passwords at once; sign-in must change it; keys still work."""
    account.create_login_profile(user_name=bob, password=GOOD)
    key = account.create_access_key(user_name=bob).access_key
    clock.advance(timedelta(days=100))
    assert account.console_sign_in(user_name=bob, password=GOOD).outcome is (
        SignInOutcome.SIGNED_IN
    )
    account.update_account_password_policy(max_password_age=90)
    result = account.console_sign_in(user_name=bob, password=GOOD)
    assert result.success
    assert result.password_change_required
    account.authenticate(access_key_id=key.access_key_id, secret_access_key=key.secret_access_key)


def test_expiry_boundary(account: Account, bob: str, clock: FixedClock) -> None:
    """A password expires exactly MaxPasswordAge days after it was set."""
    account.update_account_password_policy(max_password_age=1)
    account.create_login_profile(user_name=bob, password=GOOD)
    clock.advance(timedelta(days=1) - timedelta(seconds=1))
    assert not account.console_sign_in(user_name=bob, password=GOOD).password_change_required
    clock.advance(timedelta(seconds=1))
    assert account.console_sign_in(user_name=bob, password=GOOD).password_change_required


def test_hard_expiry_needs_admin_reset(account: Account, bob: str, clock: FixedClock) -> None:
    """HardExpiry: an expired user is refused at sign-in until an administrator resets it."""
    account.update_account_password_policy(max_password_age=30, hard_expiry=True)
    account.create_login_profile(user_name=bob, password=GOOD)
    clock.advance(timedelta(days=31))
    result = account.console_sign_in(user_name=bob, password=GOOD)
    assert result.outcome is SignInOutcome.PASSWORD_EXPIRED
    assert not result.success
    account.update_login_profile(user_name=bob, password="Reset-by-admin1")
    assert account.console_sign_in(user_name=bob, password="Reset-by-admin1").outcome is (
        SignInOutcome.SIGNED_IN
    )


def test_hard_expiry_api_change_still_allowed(
    account: Account, bob: str, clock: FixedClock
) -> None:
    """HardExpiry: a user allowed to ChangePassword can still change it through the API."""
    account.update_account_password_policy(
        max_password_age=30, hard_expiry=True, allow_users_to_change_password=True
    )
    account.create_login_profile(user_name=bob, password=GOOD)
    clock.advance(timedelta(days=31))
    with account.acting_as(bob):
        account.change_password(old_password=GOOD, new_password="Changed-by-me1")
    assert account.console_sign_in(user_name=bob, password="Changed-by-me1").success


def test_violation_through_boto3() -> None:
    """PasswordPolicyViolation reaches boto3 as a ClientError with HTTP 400."""
    with mock_iam() as account:
        account.create_user(user_name="eve")
        iam = boto3_client()
        iam.update_account_password_policy(MinimumPasswordLength=12)
        with pytest.raises(ClientError) as raised:
            iam.create_login_profile(UserName="eve", Password="short-Pass1")
    error = raised.value.response
    assert error["Error"]["Code"] == "PasswordPolicyViolation"
    assert error["Error"]["Message"] == VIOLATION
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
