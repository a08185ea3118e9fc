"""Account password policy rules: UpdateAccountPasswordPolicy, GetAccountPasswordPolicy,
DeleteAccountPasswordPolicy, and the checks every new console password must pass.

AWS facts modelled here (aws-iam-rules.md §2.7, §5):

- UpdateAccountPasswordPolicy replaces the whole policy; omitted fields take
  their defaults (minimum length 6, no class required, users may not change
  their own password, no expiry, no reuse prevention, HardExpiry unset);
- GetAccountPasswordPolicy answers NoSuchEntity while no policy is set, and
  omits MaxPasswordAge, PasswordReusePrevention and HardExpiry when they are
  unset; ExpirePasswords is derived (MaxPasswordAge > 0);
- CreateLoginProfile, UpdateLoginProfile and ChangePassword check the new
  password: ``PasswordPolicyViolation`` (400) with AWS's text "Password does
  not conform to the account password policy."  Rule changes are not
  retroactive (existing passwords stay valid); expiry is (see
  :func:`password_expired`);
- with no custom policy, AWS's *default* policy applies to console-set
  passwords: at least 8 characters and three of the four character classes.
  iamcore enforces it (``state.enforce_default_password_policy``, on by
  default; ``Account.enforce_default_password_policy = False`` turns it off);
- PasswordReusePrevention N: the new password may not equal any of the
  user's last N passwords, the current one included.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from iamcore import passwords
from iamcore.entities import PasswordPolicy
from iamcore.errors import NoSuchEntity, PasswordPolicyViolation
from iamcore.passwords import PasswordHash
from iamcore.responses import GetAccountPasswordPolicyResponse
from iamcore.state import AccountState, Context

__all__ = [
    "VIOLATION",
    "check_new_password",
    "delete_account_password_policy",
    "get_account_password_policy",
    "password_expired",
    "password_violations",
    "update_account_password_policy",
]

#: AWS's message for every password-policy violation.
VIOLATION = "Password does not conform to the account password policy."


def update_account_password_policy(
    state: AccountState,
    ctx: Context,
    *,
    minimum_password_length: int = 6,
    require_symbols: bool = False,
    require_numbers: bool = False,
    require_uppercase_characters: bool = False,
    require_lowercase_characters: bool = False,
    allow_users_to_change_password: bool = False,
    max_password_age: int | None = None,
    password_reuse_prevention: int | None = None,
    hard_expiry: bool | None = None,
) -> None:
    """AWS UpdateAccountPasswordPolicy: replace the whole policy (omitted fields → defaults)."""
    state.password_policy = PasswordPolicy(
        minimum_password_length=minimum_password_length,
        require_symbols=require_symbols,
        require_numbers=require_numbers,
        require_uppercase_characters=require_uppercase_characters,
        require_lowercase_characters=require_lowercase_characters,
        allow_users_to_change_password=allow_users_to_change_password,
        max_password_age=max_password_age,
        password_reuse_prevention=password_reuse_prevention,
        hard_expiry=hard_expiry,
    )


def get_account_password_policy(
    state: AccountState, ctx: Context
) -> GetAccountPasswordPolicyResponse:
    """AWS GetAccountPasswordPolicy: NoSuchEntity while no custom policy is set."""
    if state.password_policy is None:
        raise NoSuchEntity(
            f"The Password Policy with domain name {ctx.account_id} cannot be found."
        )
    return GetAccountPasswordPolicyResponse(state.password_policy)


def delete_account_password_policy(state: AccountState, ctx: Context) -> None:
    """AWS DeleteAccountPasswordPolicy: NoSuchEntity when there is none; AWS's default
    policy applies again afterwards."""
    if state.password_policy is None:
        raise NoSuchEntity("The account policy with name PasswordPolicy cannot be found.")
    state.password_policy = None


def password_violations(
    state: AccountState, password: str, history: Sequence[PasswordHash | None] = ()
) -> list[str]:
    """Every password rule of the account that ``password`` breaks (empty: accepted).

    The custom policy if one is set, else AWS's default policy (when
    enforced), plus reuse prevention against ``history`` (the user's previous
    password hashes, newest last, the current one included).
    """
    policy = state.password_policy
    if policy is not None:
        problems = passwords.policy_violations(password, policy)
    elif state.enforce_default_password_policy:
        problems = passwords.default_policy_violations(password)
    else:
        problems = []
    reuse = policy.password_reuse_prevention if policy is not None else None
    if reuse and history and passwords.matches_any(password, history[-reuse:]):
        problems.append(f"Password should not be one of your last {reuse} passwords")
    return problems


def check_new_password(
    state: AccountState, password: str, history: Sequence[PasswordHash | None] = ()
) -> None:
    """Raise PasswordPolicyViolation unless ``password`` may be set now."""
    if password_violations(state, password, history):
        raise PasswordPolicyViolation(VIOLATION)


def password_expired(policy: PasswordPolicy | None, last_changed: datetime, now: datetime) -> bool:
    """Whether a password set at ``last_changed`` has expired at ``now``.

    Retroactive, as in AWS: a MaxPasswordAge set today expires every password
    older than it at once.  Expiry affects console sign-in only, never keys.
    """
    if policy is None or not policy.max_password_age:
        return False
    return now >= last_changed + timedelta(days=policy.max_password_age)
