"""Authentication results: who signed a request, and how a console sign-in went.

These are native-only values (no IAM operation returns them):

- :class:`CallerIdentity` — what :meth:`iamcore.Account.authenticate` answers
  for a valid, active access key and its secret (the same facts as STS
  ``GetCallerIdentity``, plus the user name and key ID);
- :class:`SignInResult` / :class:`SignInOutcome` — what
  :meth:`iamcore.Account.console_sign_in` answers.

:func:`is_account_key` tells whether an access key ID was issued for an
account: since 2019 AWS key IDs encode their account (aws-iam-rules.md §1.5),
so the boto3 mock can tell the account's own keys (checked, and the caller
becomes that user) from any other credentials (the account's administrator).
"""

from __future__ import annotations

from enum import StrEnum

import attrs

from iamcore import ids

__all__ = ["CallerIdentity", "SignInOutcome", "SignInResult", "is_account_key"]


@attrs.frozen
class CallerIdentity:
    """The IAM user an access key belongs to, as authentication established it."""

    user_id: str
    user_name: str
    arn: str
    account: str
    access_key_id: str


class SignInOutcome(StrEnum):
    """How a console sign-in attempt ended."""

    #: signed in
    SIGNED_IN = "signed_in"
    #: signed in, but the user must choose a new password first (PasswordResetRequired,
    #: or the password is older than MaxPasswordAge without HardExpiry)
    PASSWORD_CHANGE_REQUIRED = "password_change_required"
    #: refused: the password expired under HardExpiry; an administrator must reset it
    PASSWORD_EXPIRED = "password_expired"
    #: refused: the user has an MFA device and no code was given
    MFA_REQUIRED = "mfa_required"
    #: refused: the MFA code was wrong or already used
    INVALID_MFA_CODE = "invalid_mfa_code"
    #: refused: no such user, no console password, or the wrong password (the console
    #: does not say which)
    INVALID_CREDENTIALS = "invalid_credentials"


_ADMITTED = frozenset({SignInOutcome.SIGNED_IN, SignInOutcome.PASSWORD_CHANGE_REQUIRED})


@attrs.frozen
class SignInResult:
    """The result of :meth:`iamcore.Account.console_sign_in`."""

    outcome: SignInOutcome
    user_name: str

    @property
    def success(self) -> bool:
        """Whether the user got in (possibly only to set a new password)."""
        return self.outcome in _ADMITTED

    @property
    def password_change_required(self) -> bool:
        """Whether the user must set a new password before doing anything else."""
        return self.outcome is SignInOutcome.PASSWORD_CHANGE_REQUIRED


def is_account_key(account_id: str, access_key_id: str) -> bool:
    """Whether ``access_key_id`` is a long-term key ID issued for ``account_id``.

    True for every ``AKIA`` key the account ever issued (deleted ones too, so
    a deleted key is refused rather than mistaken for someone else's).
    """
    return (
        access_key_id.startswith(ids.IdPrefix.ACCESS_KEY.value)
        and ids.account_id_from_access_key_id(access_key_id) == account_id
    )
