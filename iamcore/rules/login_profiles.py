"""Console-password rules: CreateLoginProfile, GetLoginProfile, UpdateLoginProfile,
DeleteLoginProfile, ChangePassword, and the console sign-in check.

AWS facts modelled here (aws-iam-rules.md §2.3, §3, §5):

- a user has at most one login profile (``EntityAlreadyExists: Login Profile
  for user X already exists.``); GetLoginProfile never shows the password
  and answers ``NoSuchEntity: Login Profile for User X cannot be found.``;
- passwords are kept only as salted Scrypt hashes
  (:mod:`iamcore.passwords`); every new password passes the password policy
  (:mod:`iamcore.rules.password_policy`);
- ChangePassword changes the caller's own password.  The root user gets
  InvalidUserType; an IAM user needs ``AllowUsersToChangePassword`` or a
  policy granting ``iam:ChangePassword`` on themselves, with no explicit deny
  and within their permissions boundary (see :data:`CHANGE_PASSWORD_DENIAL`),
  else AccessDenied; a new password equal to the current one is AccessDenied
  too, even with no password policy (after the policy's own checks; recorded from AWS, 2026:
  github.com/radkawar/stackd ``login_profile_aws.json`` ``change_to_same_password``;
  AWS's message was not recorded, :data:`SAME_PASSWORD` is iamcore's); it
  clears PasswordResetRequired;
- console sign-in (native only, :func:`console_sign_in`) honours the
  password, MFA, PasswordResetRequired and MaxPasswordAge/HardExpiry, and
  records PasswordLastUsed (first use in any 5 minutes, as AWS);
- DeleteUser is refused while the user has a login profile (order 10).

State (read by the credential report): ``state.login_profiles`` maps a user
ID to a :class:`~iamcore.entities.StoredLoginProfile` (create date, last
change, reset flag, hash and the hash history used for reuse prevention).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime, timedelta
from types import ModuleType

import attrs

from iamcore import passwords
from iamcore.auth import SignInOutcome, SignInResult
from iamcore.entities import LoginProfile, StoredLoginProfile, User
from iamcore.errors import (
    AccessDenied,
    EntityAlreadyExists,
    IamError,
    InvalidInput,
    InvalidUserType,
    NoSuchEntity,
    ValidationError,
)
from iamcore.responses import CreateLoginProfileResponse, GetLoginProfileResponse
from iamcore.rules import users
from iamcore.rules.password_policy import check_new_password, password_expired
from iamcore.rules.users import caller_user, target_user
from iamcore.state import AccountState, Context

__all__ = [
    "CHANGE_PASSWORD_DENIAL",
    "PASSWORD_LAST_USED_GRANULARITY",
    "SAME_PASSWORD",
    "change_password",
    "change_password_denial",
    "console_sign_in",
    "create_login_profile",
    "delete_login_profile",
    "get_login_profile",
    "update_login_profile",
]

#: Hooks answering "may this user change their own password?" as
#: ``hook(state, user_id, now) -> None`` (yes) or the AccessDenied text (no).  The
#: policy family appends one, which weighs the user's policies, boundary and the
#: password policy's AllowUsersToChangePassword together; with no hook, only
#: AllowUsersToChangePassword lets users change their password.
CHANGE_PASSWORD_DENIAL: list[Callable[[AccountState, str, datetime], str | None]] = []

#: ChangePassword's AccessDenied text when the new password is the current one (AWS's
#: code is recorded, its message is not: iamcore's wording).
SAME_PASSWORD = "The new password must be different from the current password."

#: Sign-ins within this span of the recorded PasswordLastUsed are not recorded
#: (SM ``User.PasswordLastUsed``: only the first use in 5 minutes counts).
PASSWORD_LAST_USED_GRANULARITY = timedelta(minutes=5)

users.register_delete_check(
    10, "delete login profile", lambda state, user_id: user_id in state.login_profiles
)


def _no_profile(user: User) -> NoSuchEntity:
    return NoSuchEntity(f"Login Profile for User {user.user_name} cannot be found.")


def _hash(state: AccountState, ctx: Context, password: str) -> passwords.PasswordHash:
    cost = state.password_hash_cost or passwords.default_cost()
    return passwords.hash_password(password, ctx.entropy(16), cost)


def _view(user: User, profile: StoredLoginProfile) -> LoginProfile:
    return LoginProfile(
        user_name=user.user_name,
        create_date=profile.create_date,
        password_reset_required=profile.password_reset_required,
        max_signin_session_duration=profile.max_signin_session_duration,
    )


def _with_password(
    state: AccountState, ctx: Context, profile: StoredLoginProfile, password: str
) -> StoredLoginProfile:
    """``profile`` with ``password`` set now (the caller has checked the policy)."""
    new_hash = _hash(state, ctx, password)
    history = (*profile.history, new_hash)[-passwords.HISTORY_LIMIT :]
    return attrs.evolve(
        profile, password_hash=new_hash, history=history, password_last_changed=ctx.now
    )


def create_login_profile(
    state: AccountState,
    ctx: Context,
    *,
    user_name: str | None = None,
    password: str | None = None,
    password_reset_required: bool = False,
    max_signin_session_duration: int | None = None,
) -> CreateLoginProfileResponse:
    """AWS CreateLoginProfile: one console password per user, checked against the policy.

    The model makes Password optional only for root AssumeRoot sessions; for
    an IAM user it is required (a ValidationError when missing).
    MaxSigninSessionDuration (3600–7776000 s) is stored and shown when given.
    """
    if password is None:
        raise ValidationError(
            "1 validation error detected: Value at 'password' failed to satisfy "
            "constraint: Member must not be null"
        )
    user = target_user(state, ctx, user_name)
    if user.user_id in state.login_profiles:
        raise EntityAlreadyExists(f"Login Profile for user {user.user_name} already exists.")
    check_new_password(state, password)
    password_hash = _hash(state, ctx, password)
    profile = StoredLoginProfile(
        user_id=user.user_id,
        create_date=ctx.now,
        password_last_changed=ctx.now,
        password_reset_required=password_reset_required,
        password_hash=password_hash,
        history=(password_hash,),
        max_signin_session_duration=max_signin_session_duration,
    )
    state.login_profiles[user.user_id] = profile
    return CreateLoginProfileResponse(_view(user, profile))


def get_login_profile(
    state: AccountState, ctx: Context, *, user_name: str | None = None
) -> GetLoginProfileResponse:
    """AWS GetLoginProfile: creation date and reset flag, never the password."""
    user = target_user(state, ctx, user_name)
    profile = state.login_profiles.get(user.user_id)
    if profile is None:
        raise _no_profile(user)
    return GetLoginProfileResponse(_view(user, profile))


def update_login_profile(
    state: AccountState,
    ctx: Context,
    *,
    user_name: str,
    password: str | None = None,
    password_reset_required: bool | None = None,
    max_signin_session_duration: int | None = None,
    reset_max_signin_session_duration: bool | None = None,
) -> None:
    """AWS UpdateLoginProfile: an administrator sets a new password, the reset flag and/or
    the maximum sign-in session duration.

    The new password passes the password policy, reuse prevention included;
    an omitted PasswordResetRequired or MaxSigninSessionDuration leaves it as
    it was; ResetMaxSigninSessionDuration=true clears the duration, and
    together with a MaxSigninSessionDuration is InvalidInput.  CreateDate
    does not change.
    """
    if reset_max_signin_session_duration and max_signin_session_duration is not None:
        raise InvalidInput(
            "You cannot specify MaxSigninSessionDuration and set "
            "ResetMaxSigninSessionDuration to true in the same request."
        )
    user = users.require_user(state, user_name)
    profile = state.login_profiles.get(user.user_id)
    if profile is None:
        raise _no_profile(user)
    if password is not None:
        check_new_password(state, password, profile.history)
        profile = _with_password(state, ctx, profile, password)
    if password_reset_required is not None:
        profile = attrs.evolve(profile, password_reset_required=password_reset_required)
    if max_signin_session_duration is not None or reset_max_signin_session_duration:
        profile = attrs.evolve(profile, max_signin_session_duration=max_signin_session_duration)
    state.login_profiles[user.user_id] = profile


def delete_login_profile(
    state: AccountState, ctx: Context, *, user_name: str | None = None
) -> None:
    """AWS DeleteLoginProfile: remove console access (keys keep working).

    The user's password history goes with it.
    """
    user = target_user(state, ctx, user_name)
    if user.user_id not in state.login_profiles:
        raise _no_profile(user)
    del state.login_profiles[user.user_id]


def change_password_denial(state: AccountState, user_id: str, now: datetime) -> str | None:
    """``None`` when a user may change their own password at ``now``, else why not
    (AccessDenied)."""
    if CHANGE_PASSWORD_DENIAL:
        return CHANGE_PASSWORD_DENIAL[-1](state, user_id, now)
    policy = state.password_policy
    if policy is not None and policy.allow_users_to_change_password:
        return None
    user = state.users[user_id]
    return (
        f"User: {user.arn} is not authorized to perform: iam:ChangePassword on resource: "
        f"user {user.user_name} because no identity-based policy allows the "
        "iam:ChangePassword action"
    )


def change_password(
    state: AccountState, ctx: Context, *, old_password: str, new_password: str
) -> None:
    """AWS ChangePassword: the calling IAM user replaces their own password.

    Checked in this order: the caller is an IAM user (else InvalidUserType),
    may change their password (else AccessDenied), has a login profile (else
    NoSuchEntity), gave the right old password (else AccessDenied), the new
    password passes the policy and reuse prevention (else
    PasswordPolicyViolation), and differs from the current one (else
    AccessDenied, recorded from AWS in 2026 with no password policy; with
    PasswordReusePrevention the policy's refusal comes first, iamcore's order).
    Works for an expired password even under HardExpiry (AWS allows it through
    the API), and clears PasswordResetRequired.
    """
    user = caller_user(state, ctx)
    if user is None:
        raise InvalidUserType("Only IAM users can change their own password.")
    denial = change_password_denial(state, user.user_id, ctx.now)
    if denial is not None:
        raise AccessDenied(denial)
    profile = state.login_profiles.get(user.user_id)
    if profile is None:
        raise _no_profile(user)
    if not passwords.verify_password(old_password, profile.password_hash):
        raise AccessDenied("The old password is incorrect.")
    check_new_password(state, new_password, profile.history)
    if new_password == old_password:
        raise AccessDenied(SAME_PASSWORD)
    changed = _with_password(state, ctx, profile, new_password)
    state.login_profiles[user.user_id] = attrs.evolve(changed, password_reset_required=False)


def _mfa_module() -> ModuleType | None:
    try:
        return importlib.import_module("iamcore.rules.mfa")
    except ModuleNotFoundError:  # pragma: no cover - the MFA family is always shipped
        return None


def _record_password_use(state: AccountState, ctx: Context, user: User) -> None:
    last = user.password_last_used
    if last is None or ctx.now - last >= PASSWORD_LAST_USED_GRANULARITY:
        state.users[user.user_id] = attrs.evolve(user, password_last_used=ctx.now)


def console_sign_in(
    state: AccountState,
    ctx: Context,
    *,
    user_name: str,
    password: str,
    mfa_code: str | None = None,
) -> SignInResult:
    """A console sign-in attempt by an IAM user (no IAM operation: the console's check).

    Refused (INVALID_CREDENTIALS) for an unknown user, a user without a
    console password, or a wrong password.  A user with an enabled MFA device
    must give a valid, unused TOTP code (MFA_REQUIRED / INVALID_MFA_CODE).
    A password older than MaxPasswordAge must be changed first
    (PASSWORD_CHANGE_REQUIRED), or with HardExpiry is refused until an
    administrator resets it (PASSWORD_EXPIRED).  PasswordResetRequired also
    gives PASSWORD_CHANGE_REQUIRED.  A sign-in that gets in records
    PasswordLastUsed on the user.
    """
    user_id = state.user_ids.get(user_name.lower())
    profile = state.login_profiles.get(user_id) if user_id is not None else None
    if user_id is None or profile is None:
        return SignInResult(SignInOutcome.INVALID_CREDENTIALS, user_name)
    user = state.users[user_id]
    if not passwords.verify_password(password, profile.password_hash):
        return SignInResult(SignInOutcome.INVALID_CREDENTIALS, user.user_name)
    mfa = _mfa_module()
    if mfa is not None and mfa.has_mfa(state, user_id):
        if mfa_code is None:
            return SignInResult(SignInOutcome.MFA_REQUIRED, user.user_name)
        try:
            mfa.verify_sign_in_code(state, ctx, user_id, mfa_code)
        except IamError:
            return SignInResult(SignInOutcome.INVALID_MFA_CODE, user.user_name)
    if password_expired(state.password_policy, profile.password_last_changed, ctx.now):
        policy = state.password_policy
        if policy is not None and policy.hard_expiry:
            return SignInResult(SignInOutcome.PASSWORD_EXPIRED, user.user_name)
        outcome = SignInOutcome.PASSWORD_CHANGE_REQUIRED
    elif profile.password_reset_required:
        outcome = SignInOutcome.PASSWORD_CHANGE_REQUIRED
    else:
        outcome = SignInOutcome.SIGNED_IN
    _record_password_use(state, ctx, user)
    return SignInResult(outcome, user.user_name)
