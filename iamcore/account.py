"""The :class:`Account` aggregate: the only public way to change IAM state.

Every public method is named after the boto3 IAM client method (the
snake_case of the IAM operation) and takes the snake_case of the API
member names as keyword arguments.  Each call:

1. checks its arguments against botocore's service model
   (:func:`iamcore.validation.validate_input`), so bad input of any kind is
   a :class:`~iamcore.errors.ValidationError`;
2. takes the account lock, reads the clock once (whole seconds, as IAM
   reports times) and runs the rule for the operation;
3. leaves the account unchanged if the rule raised.

A usual call (valid arguments, no caller to authorize) does all of this in one
function generated per operation (:mod:`iamcore._fastcall`); any other call
takes :meth:`Account._run_complete`, the same steps written out plainly.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from time import time as _posix_time
from typing import Any, TypeVar, Unpack

from iamcore import enforcement, root
from iamcore import requests as rq
from iamcore import responses as rs
from iamcore._fastcall import FastCall, compile_fast_call
from iamcore._system_entropy import system_entropy
from iamcore.auth import CallerIdentity, SignInResult
from iamcore.clock import Clock, SystemClock
from iamcore.entities import RootAccessKey, RootCredentials, User
from iamcore.errors import ValidationError
from iamcore.ids import Entropy
from iamcore.passwords import ScryptCost
from iamcore.policy import Evaluation
from iamcore.responses import (
    CreateGroupResponse,
    CreateUserResponse,
    GetGroupResponse,
    GetUserResponse,
    ListGroupsForUserResponse,
    ListGroupsResponse,
    ListUsersResponse,
    ListUserTagsResponse,
)
from iamcore.rules import (
    access_advisor,
    access_keys,
    boundaries,
    context_keys,
    groups,
    inline_policies,
    login_profiles,
    mfa,
    password_policy,
    policies,
    report,
    service_access,
    service_credentials,
    signing_certificates,
    simulation,
    ssh_keys,
    users,
)
from iamcore.rules import account as account_rules
from iamcore.state import AccountSnapshot, AccountState, Context
from iamcore.validation import validate_fully

__all__ = ["Account"]

R = TypeVar("R")

#: The user ID on whose behalf calls in this context are made (``None``: root).
#: The boto3 mock sets it for calls signed with one of the account's keys.
current_caller: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "iamcore_current_caller", default=None
)
#: Whether the calling user's session in this context was authenticated with MFA.
current_mfa_session: contextvars.ContextVar[datetime | None] = contextvars.ContextVar(
    "iamcore_current_mfa_session", default=None
)
_ONE_SECOND = timedelta(seconds=1)
_from_posix = datetime.fromtimestamp
_READ_ONLY = re.compile(r"(Get|List|Simulate)[A-Z]")


#: rule -> the generated call path (:mod:`iamcore._fastcall`) of the one operation it
#: serves, compiled on first use (keyed by the function: one hash of its identity)
_FAST_CALLS: dict[Callable[..., Any], FastCall] = {}


def _mutates(operation: str) -> bool:
    """Whether ``operation`` may change the account: Get, List and Simulate calls never do."""
    return _READ_ONLY.match(operation) is None


class Account:
    """An in-memory AWS account's IAM users, groups and credentials.

    Args:
        account_id: the 12-digit account ID used in ARNs and access key IDs.
        clock: an object with ``now()`` returning an aware UTC datetime
            (default: the system clock; tests use :class:`iamcore.testing.FixedClock`).
        entropy: ``entropy(n) -> bytes`` used for every ID, secret and seed
            (default: the system CSPRNG, ``/dev/urandom`` read through a buffer where
            there is one, else :func:`os.urandom`; tests use
            :func:`iamcore.testing.seeded_entropy`).

    An Account may be shared between threads: every operation is atomic.
    """

    def __init__(
        self,
        account_id: str = "123456789012",
        *,
        clock: Clock | None = None,
        entropy: Entropy | None = None,
    ) -> None:
        if not isinstance(account_id, str) or re.fullmatch(r"\d{12}", account_id) is None:  # type: ignore[redundant-expr]
            raise ValidationError(f"Account ID must be 12 digits, not {account_id!r}.")
        self._account_id = account_id
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._entropy: Entropy = entropy if entropy is not None else system_entropy
        self._lock = threading.RLock()
        self._state = AccountState(account_id, self._now())

    def __repr__(self) -> str:
        return f"Account(account_id={self._account_id!r}, users={len(self._state.users)})"

    @property
    def account_id(self) -> str:
        """The 12-digit account ID."""
        return self._account_id

    @property
    def clock(self) -> Clock:
        """The clock this account reads."""
        return self._clock

    @property
    def entropy(self) -> Entropy:
        """The randomness source this account draws IDs and secrets from."""
        return self._entropy

    def _now(self) -> Any:
        return self._clock.now().replace(microsecond=0)

    def snapshot(self) -> AccountSnapshot:
        """Return an immutable value of the whole account, comparable with ``==``.

        Taking a snapshot while nothing changed returns the same object.
        """
        with self._lock:
            return self._state.snapshot()

    #: ``(second, next second, context)`` of the last call: calls within the same
    #: whole second by the same caller share one (immutable) Context.  For the
    #: system clock the bounds are POSIX seconds (``time.time()``, which is what
    #: ``datetime.now`` reads, without building a datetime per call); for any
    #: other clock they are the datetimes it returned.
    _last_context: tuple[Any, Any, Context] | None = None

    def _context(self) -> Context:
        """The Context of a call now (under the lock): the time in whole seconds, as
        IAM reports times, and the calling user."""
        caller = current_caller.get()
        mfa = current_mfa_session.get() if caller is not None else None
        last = self._last_context
        if self._clock.__class__ is SystemClock:
            seconds = _posix_time()
            if (
                last is not None
                and last[0] <= seconds < last[1]
                and last[2].caller == caller
                and last[2].mfa_since == mfa
            ):
                return last[2]
            whole = int(seconds)
            now = _from_posix(whole, UTC)
            ctx = Context(self._account_id, now, self._entropy, caller, mfa)
            self._last_context = (whole, whole + 1, ctx)
            return ctx
        raw = self._clock.now()
        if (
            last is not None
            and raw.tzinfo is last[0].tzinfo
            and last[0] <= raw < last[1]
            and last[2].caller == caller
            and last[2].mfa_since == mfa
        ):
            return last[2]
        now = raw.replace(microsecond=0)  # as _now(): IAM times are whole seconds
        ctx = Context(self._account_id, now, self._entropy, caller, mfa)
        self._last_context = (now, now + _ONE_SECOND, ctx)
        return ctx

    def _run(self, operation: str, rule: Callable[..., R], kwargs: Mapping[str, Any]) -> R:
        """Run ``operation``: its generated call path (:mod:`iamcore._fastcall`), which
        does what :meth:`_run_complete` does and hands it any call it doubts."""
        call = _FAST_CALLS.get(rule)
        if call is None:
            call = _FAST_CALLS[rule] = compile_fast_call(
                operation,
                rule,
                mutates=_mutates(operation),
                complete=Account._run_complete,
                current_caller=current_caller.get,
            )
        result: R = call(self, kwargs)
        return result

    def _run_complete(
        self, operation: str, rule: Callable[..., R], kwargs: Mapping[str, Any]
    ) -> R:
        """The plain call path: the complete check (ValidationError listing every
        problem), then under the lock the Context, authorization when a caller is set
        (issue 4), the rule, and a new state version for a call that may change it."""
        arguments = validate_fully(operation, kwargs)
        with self._lock:
            ctx = self._context()
            if ctx.caller is not None and enforcement.enforcing.get():  # opt-in authz
                enforcement.authorize(self._state, ctx, operation, arguments)
            result = rule(self._state, ctx, **arguments)
            if _mutates(operation):
                self._state.version += 1
            return result

    # -- users -------------------------------------------------------------

    def create_user(self, **kwargs: Unpack[rq.CreateUserRequest]) -> CreateUserResponse:
        """Create a user (AWS CreateUser)."""
        return self._run("CreateUser", users.create_user, kwargs)

    def get_user(self, **kwargs: Unpack[rq.GetUserRequest]) -> GetUserResponse:
        """Describe a user, or the caller when no name is given (AWS GetUser)."""
        return self._run("GetUser", users.get_user, kwargs)

    def list_users(self, **kwargs: Unpack[rq.ListUsersRequest]) -> ListUsersResponse:
        """List users by path prefix, paged (AWS ListUsers)."""
        return self._run("ListUsers", users.list_users, kwargs)

    def update_user(self, **kwargs: Unpack[rq.UpdateUserRequest]) -> None:
        """Rename or move a user (AWS UpdateUser)."""
        return self._run("UpdateUser", users.update_user, kwargs)

    def delete_user(self, **kwargs: Unpack[rq.DeleteUserRequest]) -> None:
        """Delete a user that owns nothing any more (AWS DeleteUser)."""
        return self._run("DeleteUser", users.delete_user, kwargs)

    def tag_user(self, **kwargs: Unpack[rq.TagUserRequest]) -> None:
        """Add or replace user tags (AWS TagUser)."""
        return self._run("TagUser", users.tag_user, kwargs)

    def untag_user(self, **kwargs: Unpack[rq.UntagUserRequest]) -> None:
        """Remove user tags (AWS UntagUser)."""
        return self._run("UntagUser", users.untag_user, kwargs)

    def list_user_tags(self, **kwargs: Unpack[rq.ListUserTagsRequest]) -> ListUserTagsResponse:
        """List a user's tags sorted by key (AWS ListUserTags)."""
        return self._run("ListUserTags", users.list_user_tags, kwargs)

    # -- groups ------------------------------------------------------------

    def create_group(self, **kwargs: Unpack[rq.CreateGroupRequest]) -> CreateGroupResponse:
        """Create a group (AWS CreateGroup)."""
        return self._run("CreateGroup", groups.create_group, kwargs)

    def get_group(self, **kwargs: Unpack[rq.GetGroupRequest]) -> GetGroupResponse:
        """Describe a group and its members (AWS GetGroup)."""
        return self._run("GetGroup", groups.get_group, kwargs)

    def list_groups(self, **kwargs: Unpack[rq.ListGroupsRequest]) -> ListGroupsResponse:
        """List groups by path prefix, paged (AWS ListGroups)."""
        return self._run("ListGroups", groups.list_groups, kwargs)

    def update_group(self, **kwargs: Unpack[rq.UpdateGroupRequest]) -> None:
        """Rename or move a group (AWS UpdateGroup)."""
        return self._run("UpdateGroup", groups.update_group, kwargs)

    def delete_group(self, **kwargs: Unpack[rq.DeleteGroupRequest]) -> None:
        """Delete an empty group (AWS DeleteGroup)."""
        return self._run("DeleteGroup", groups.delete_group, kwargs)

    def add_user_to_group(self, **kwargs: Unpack[rq.AddUserToGroupRequest]) -> None:
        """Add a user to a group (AWS AddUserToGroup)."""
        return self._run("AddUserToGroup", groups.add_user_to_group, kwargs)

    def remove_user_from_group(self, **kwargs: Unpack[rq.RemoveUserFromGroupRequest]) -> None:
        """Remove a user from a group (AWS RemoveUserFromGroup)."""
        return self._run("RemoveUserFromGroup", groups.remove_user_from_group, kwargs)

    def list_groups_for_user(
        self, **kwargs: Unpack[rq.ListGroupsForUserRequest]
    ) -> ListGroupsForUserResponse:
        """List the groups a user belongs to (AWS ListGroupsForUser)."""
        return self._run("ListGroupsForUser", groups.list_groups_for_user, kwargs)

    # -- access keys (issue 3) -----------------------------------------------

    def create_access_key(
        self, **kwargs: Unpack[rq.CreateAccessKeyRequest]
    ) -> rs.CreateAccessKeyResponse:
        """Create an Active key; the only result with the secret (AWS CreateAccessKey)."""
        return self._run("CreateAccessKey", access_keys.create_access_key, kwargs)

    def list_access_keys(
        self, **kwargs: Unpack[rq.ListAccessKeysRequest]
    ) -> rs.ListAccessKeysResponse:
        """List a user's keys without secrets, oldest first (AWS ListAccessKeys)."""
        return self._run("ListAccessKeys", access_keys.list_access_keys, kwargs)

    def update_access_key(self, **kwargs: Unpack[rq.UpdateAccessKeyRequest]) -> None:
        """Make a key Active or Inactive (AWS UpdateAccessKey)."""
        return self._run("UpdateAccessKey", access_keys.update_access_key, kwargs)

    def delete_access_key(self, **kwargs: Unpack[rq.DeleteAccessKeyRequest]) -> None:
        """Delete a key (AWS DeleteAccessKey)."""
        return self._run("DeleteAccessKey", access_keys.delete_access_key, kwargs)

    def get_access_key_last_used(
        self, **kwargs: Unpack[rq.GetAccessKeyLastUsedRequest]
    ) -> rs.GetAccessKeyLastUsedResponse:
        """When, where and for which service a key was last used (AWS GetAccessKeyLastUsed)."""
        return self._run("GetAccessKeyLastUsed", access_keys.get_access_key_last_used, kwargs)

    def _run_native(self, rule: Callable[..., R], /, **kwargs: Any) -> R:
        """Run a rule that is no IAM operation (authentication, sign-in) like ``_run``."""
        with self._lock:
            caller = current_caller.get()
            mfa = current_mfa_session.get() if caller is not None else None
            ctx = Context(self._account_id, self._now(), self._entropy, caller, mfa)
            result = rule(self._state, ctx, **kwargs)
            self._state.version += 1
            return result

    def authenticate(
        self,
        *,
        access_key_id: str,
        secret_access_key: str,
        service: str = "iam",
        region: str = "us-east-1",
        action: str | None = None,
    ) -> CallerIdentity:
        """Check an access key and its secret as AWS does for every signed request.

        Returns who the key belongs to, and records the key's last use
        (date, ``service``, ``region``; IAM is global and AWS records it as
        ``us-east-1``) and the attempt to use ``service`` (and ``action``, a
        bare action name such as ``GetObject``) for service last accessed
        reports.  Raises InvalidClientTokenId for an unknown or Inactive key
        and SignatureDoesNotMatch for a wrong secret (both HTTP 403).  The boto3
        mock calls it for requests signed with the account's keys.
        """
        _require_strings(
            accessKeyId=access_key_id,
            secretAccessKey=secret_access_key,
            service=service,
            region=region,
        )
        if action is not None:
            _require_strings(action=action)
        return self._run_native(
            access_keys.authenticate,
            access_key_id=access_key_id,
            secret_access_key=secret_access_key,
            service=service,
            region=region,
            action=action,
        )

    @contextlib.contextmanager
    def acting_as(self, user_name: str, *, mfa_authenticated: bool = False) -> Iterator[User]:
        """Make the calls inside the ``with`` block as the IAM user ``user_name``.

        Native calls (and boto3 mock calls not signed with one of the account's
        keys) are normally made by the root user/administrator; inside the block
        they are the user's: ``get_user()`` describes them, ``change_password``
        changes their password, ``create_access_key()`` creates their key.  Yields
        the user; NoSuchEntity if there is none.  Nests, and is per thread/task.

        The calls are those of a long-term access key unless ``mfa_authenticated``
        says the session was authenticated with MFA (as STS GetSessionToken with a
        code, or a console sign-in with MFA, gives), starting when the block is
        entered: then the request context has ``aws:MultiFactorAuthPresent`` true and
        ``aws:MultiFactorAuthAge`` the seconds since then (on the account's clock), and
        the user may manage their own MFA devices, which AWS refuses to a long-term
        key once one is enabled.
        """
        _require_strings(userName=user_name)
        if not isinstance(mfa_authenticated, bool):
            raise ValidationError("mfa_authenticated must be a boolean")
        with self._lock:
            user = users.require_user(self._state, user_name)
        token = current_caller.set(user.user_id)
        # the session starts now (account clock): aws:MultiFactorAuthAge counts from here
        mfa_token = current_mfa_session.set(self._now() if mfa_authenticated else None)
        try:
            yield user
        finally:
            current_mfa_session.reset(mfa_token)
            current_caller.reset(token)

    # -- login profiles and password policy (issue 3) ---------------------------
    # (_require_strings, used by the native-only methods above and below, is at the
    # end of this module)

    def create_login_profile(
        self, **kwargs: Unpack[rq.CreateLoginProfileRequest]
    ) -> rs.CreateLoginProfileResponse:
        """Give a user a console password (AWS CreateLoginProfile)."""
        return self._run("CreateLoginProfile", login_profiles.create_login_profile, kwargs)

    def get_login_profile(
        self, **kwargs: Unpack[rq.GetLoginProfileRequest]
    ) -> rs.GetLoginProfileResponse:
        """Describe a user's console password, never showing it (AWS GetLoginProfile)."""
        return self._run("GetLoginProfile", login_profiles.get_login_profile, kwargs)

    def update_login_profile(self, **kwargs: Unpack[rq.UpdateLoginProfileRequest]) -> None:
        """Reset a user's password and/or PasswordResetRequired (AWS UpdateLoginProfile)."""
        return self._run("UpdateLoginProfile", login_profiles.update_login_profile, kwargs)

    def delete_login_profile(self, **kwargs: Unpack[rq.DeleteLoginProfileRequest]) -> None:
        """Remove a user's console password (AWS DeleteLoginProfile)."""
        return self._run("DeleteLoginProfile", login_profiles.delete_login_profile, kwargs)

    def change_password(self, **kwargs: Unpack[rq.ChangePasswordRequest]) -> None:
        """Change the calling user's own password (AWS ChangePassword).

        Natively, call it inside :meth:`acting_as`: the root user/administrator
        cannot (InvalidUserType), as in AWS.
        """
        return self._run("ChangePassword", login_profiles.change_password, kwargs)

    def update_account_password_policy(
        self, **kwargs: Unpack[rq.UpdateAccountPasswordPolicyRequest]
    ) -> None:
        """Replace the account password policy (AWS UpdateAccountPasswordPolicy)."""
        return self._run(
            "UpdateAccountPasswordPolicy", password_policy.update_account_password_policy, kwargs
        )

    def get_account_password_policy(self) -> rs.GetAccountPasswordPolicyResponse:
        """The account password policy; NoSuchEntity when unset (AWS GetAccountPasswordPolicy)."""
        return self._run(
            "GetAccountPasswordPolicy", password_policy.get_account_password_policy, {}
        )

    def delete_account_password_policy(self) -> None:
        """Remove the account password policy (AWS DeleteAccountPasswordPolicy)."""
        return self._run(
            "DeleteAccountPasswordPolicy", password_policy.delete_account_password_policy, {}
        )

    def console_sign_in(
        self, *, user_name: str, password: str, mfa_code: str | None = None
    ) -> SignInResult:
        """Try to sign in to the console as an IAM user (no IAM operation: the console's check).

        Returns a :class:`~iamcore.auth.SignInResult`: ``success``,
        ``password_change_required`` and the ``outcome``.  Honours the password,
        MFA (a valid, unused code when the user has a device),
        PasswordResetRequired and MaxPasswordAge/HardExpiry; records
        PasswordLastUsed when the user gets in.
        """
        _require_strings(userName=user_name, password=password)
        if mfa_code is not None:
            _require_strings(mfaCode=mfa_code)
        return self._run_native(
            login_profiles.console_sign_in,
            user_name=user_name,
            password=password,
            mfa_code=mfa_code,
        )

    @property
    def password_hash_cost(self) -> ScryptCost | None:
        """This account's Scrypt cost for new password hashes (``None``: the process default,
        :func:`iamcore.passwords.default_cost`).  Tests set ``iamcore.testing.FAST_SCRYPT``."""
        return self._state.password_hash_cost

    @password_hash_cost.setter
    def password_hash_cost(self, cost: ScryptCost | None) -> None:
        if cost is not None and not isinstance(cost, ScryptCost):
            raise ValidationError(f"Expected a ScryptCost, not {cost!r}.")
        with self._lock:
            self._state.password_hash_cost = cost

    @property
    def enforce_default_password_policy(self) -> bool:
        """Whether AWS's default password policy (8+ characters, 3 of 4 classes) applies
        while no custom policy is set (default True, as in current AWS accounts)."""
        return self._state.enforce_default_password_policy

    @enforce_default_password_policy.setter
    def enforce_default_password_policy(self, enforce: bool) -> None:
        with self._lock:
            self._state.enforce_default_password_policy = bool(enforce)

    # -- MFA devices (issue 3) ------------------------------------------------

    def create_virtual_mfa_device(
        self, **kwargs: Unpack[rq.CreateVirtualMFADeviceRequest]
    ) -> rs.CreateVirtualMFADeviceResponse:
        """Create a virtual MFA device; the only call that returns its seed and QR code
        (AWS CreateVirtualMFADevice)."""
        return self._run("CreateVirtualMFADevice", mfa.create_virtual_mfa_device, kwargs)

    def enable_mfa_device(self, **kwargs: Unpack[rq.EnableMFADeviceRequest]) -> None:
        """Assign an MFA device to a user with two consecutive codes (AWS EnableMFADevice)."""
        return self._run("EnableMFADevice", mfa.enable_mfa_device, kwargs)

    def resync_mfa_device(self, **kwargs: Unpack[rq.ResyncMFADeviceRequest]) -> None:
        """Resynchronise an enabled MFA device with two consecutive codes (AWS ResyncMFADevice)."""
        return self._run("ResyncMFADevice", mfa.resync_mfa_device, kwargs)

    def deactivate_mfa_device(self, **kwargs: Unpack[rq.DeactivateMFADeviceRequest]) -> None:
        """Unassign an MFA device from a user; the device remains (AWS DeactivateMFADevice)."""
        return self._run("DeactivateMFADevice", mfa.deactivate_mfa_device, kwargs)

    def get_mfa_device(self, **kwargs: Unpack[rq.GetMFADeviceRequest]) -> rs.GetMFADeviceResponse:
        """Describe a FIDO security key; any other serial number is a ValidationError
        (AWS GetMFADevice)."""
        return self._run("GetMFADevice", mfa.get_mfa_device, kwargs)

    def list_mfa_devices(
        self, **kwargs: Unpack[rq.ListMFADevicesRequest]
    ) -> rs.ListMFADevicesResponse:
        """List the MFA devices enabled for a user, paged (AWS ListMFADevices)."""
        return self._run("ListMFADevices", mfa.list_mfa_devices, kwargs)

    def list_virtual_mfa_devices(
        self, **kwargs: Unpack[rq.ListVirtualMFADevicesRequest]
    ) -> rs.ListVirtualMFADevicesResponse:
        """List virtual MFA devices by assignment status, paged (AWS ListVirtualMFADevices)."""
        return self._run("ListVirtualMFADevices", mfa.list_virtual_mfa_devices, kwargs)

    def delete_virtual_mfa_device(
        self, **kwargs: Unpack[rq.DeleteVirtualMFADeviceRequest]
    ) -> None:
        """Delete an unassigned virtual MFA device (AWS DeleteVirtualMFADevice)."""
        return self._run("DeleteVirtualMFADevice", mfa.delete_virtual_mfa_device, kwargs)

    def tag_mfa_device(self, **kwargs: Unpack[rq.TagMFADeviceRequest]) -> None:
        """Add or replace tags on a virtual MFA device (AWS TagMFADevice)."""
        return self._run("TagMFADevice", mfa.tag_mfa_device, kwargs)

    def untag_mfa_device(self, **kwargs: Unpack[rq.UntagMFADeviceRequest]) -> None:
        """Remove tags from a virtual MFA device (AWS UntagMFADevice)."""
        return self._run("UntagMFADevice", mfa.untag_mfa_device, kwargs)

    def list_mfa_device_tags(
        self, **kwargs: Unpack[rq.ListMFADeviceTagsRequest]
    ) -> rs.ListMFADeviceTagsResponse:
        """List a virtual MFA device's tags sorted by key (AWS ListMFADeviceTags)."""
        return self._run("ListMFADeviceTags", mfa.list_mfa_device_tags, kwargs)

    # -- SSH public keys and service-specific credentials (issue 3) ------------

    def upload_ssh_public_key(
        self, **kwargs: Unpack[rq.UploadSSHPublicKeyRequest]
    ) -> rs.UploadSSHPublicKeyResponse:
        """Upload an RSA SSH public key for CodeCommit (AWS UploadSSHPublicKey)."""
        return self._run("UploadSSHPublicKey", ssh_keys.upload_ssh_public_key, kwargs)

    def get_ssh_public_key(
        self, **kwargs: Unpack[rq.GetSSHPublicKeyRequest]
    ) -> rs.GetSSHPublicKeyResponse:
        """Get an SSH public key in SSH or PEM encoding (AWS GetSSHPublicKey)."""
        return self._run("GetSSHPublicKey", ssh_keys.get_ssh_public_key, kwargs)

    def list_ssh_public_keys(
        self, **kwargs: Unpack[rq.ListSSHPublicKeysRequest]
    ) -> rs.ListSSHPublicKeysResponse:
        """List a user's SSH public keys without their bodies (AWS ListSSHPublicKeys)."""
        return self._run("ListSSHPublicKeys", ssh_keys.list_ssh_public_keys, kwargs)

    def update_ssh_public_key(self, **kwargs: Unpack[rq.UpdateSSHPublicKeyRequest]) -> None:
        """Set an SSH public key Active or Inactive (AWS UpdateSSHPublicKey)."""
        return self._run("UpdateSSHPublicKey", ssh_keys.update_ssh_public_key, kwargs)

    def delete_ssh_public_key(self, **kwargs: Unpack[rq.DeleteSSHPublicKeyRequest]) -> None:
        """Delete an SSH public key (AWS DeleteSSHPublicKey)."""
        return self._run("DeleteSSHPublicKey", ssh_keys.delete_ssh_public_key, kwargs)

    def create_service_specific_credential(
        self, **kwargs: Unpack[rq.CreateServiceSpecificCredentialRequest]
    ) -> rs.CreateServiceSpecificCredentialResponse:
        """Create Git (CodeCommit), Keyspaces or API-key credentials; the only call that
        returns the password (AWS CreateServiceSpecificCredential)."""
        return self._run(
            "CreateServiceSpecificCredential",
            service_credentials.create_service_specific_credential,
            kwargs,
        )

    def list_service_specific_credentials(
        self, **kwargs: Unpack[rq.ListServiceSpecificCredentialsRequest]
    ) -> rs.ListServiceSpecificCredentialsResponse:
        """List service-specific credentials without passwords
        (AWS ListServiceSpecificCredentials)."""
        return self._run(
            "ListServiceSpecificCredentials",
            service_credentials.list_service_specific_credentials,
            kwargs,
        )

    def reset_service_specific_credential(
        self, **kwargs: Unpack[rq.ResetServiceSpecificCredentialRequest]
    ) -> rs.ResetServiceSpecificCredentialResponse:
        """Generate a new password for a service-specific credential
        (AWS ResetServiceSpecificCredential)."""
        return self._run(
            "ResetServiceSpecificCredential",
            service_credentials.reset_service_specific_credential,
            kwargs,
        )

    def update_service_specific_credential(
        self, **kwargs: Unpack[rq.UpdateServiceSpecificCredentialRequest]
    ) -> None:
        """Set a service-specific credential Active or Inactive
        (AWS UpdateServiceSpecificCredential)."""
        return self._run(
            "UpdateServiceSpecificCredential",
            service_credentials.update_service_specific_credential,
            kwargs,
        )

    def delete_service_specific_credential(
        self, **kwargs: Unpack[rq.DeleteServiceSpecificCredentialRequest]
    ) -> None:
        """Delete a service-specific credential (AWS DeleteServiceSpecificCredential)."""
        return self._run(
            "DeleteServiceSpecificCredential",
            service_credentials.delete_service_specific_credential,
            kwargs,
        )

    # -- managed and inline policies, permission boundaries (issue 4) ----------

    def create_policy(self, **kwargs: Unpack[rq.CreatePolicyRequest]) -> rs.CreatePolicyResponse:
        """Create a customer managed policy (AWS CreatePolicy)."""
        return self._run("CreatePolicy", policies.create_policy, kwargs)

    def get_policy(self, **kwargs: Unpack[rq.GetPolicyRequest]) -> rs.GetPolicyResponse:
        """Describe a managed policy (AWS GetPolicy)."""
        return self._run("GetPolicy", policies.get_policy, kwargs)

    def list_policies(self, **kwargs: Unpack[rq.ListPoliciesRequest]) -> rs.ListPoliciesResponse:
        """List AWS and customer managed policies, paged (AWS ListPolicies)."""
        return self._run("ListPolicies", policies.list_policies, kwargs)

    def delete_policy(self, **kwargs: Unpack[rq.DeletePolicyRequest]) -> None:
        """Delete an unused customer managed policy (AWS DeletePolicy)."""
        return self._run("DeletePolicy", policies.delete_policy, kwargs)

    def create_policy_version(
        self, **kwargs: Unpack[rq.CreatePolicyVersionRequest]
    ) -> rs.CreatePolicyVersionResponse:
        """Add a version to a managed policy (AWS CreatePolicyVersion)."""
        return self._run("CreatePolicyVersion", policies.create_policy_version, kwargs)

    def get_policy_version(
        self, **kwargs: Unpack[rq.GetPolicyVersionRequest]
    ) -> rs.GetPolicyVersionResponse:
        """One version with its URL-encoded document (AWS GetPolicyVersion)."""
        return self._run("GetPolicyVersion", policies.get_policy_version, kwargs)

    def list_policy_versions(
        self, **kwargs: Unpack[rq.ListPolicyVersionsRequest]
    ) -> rs.ListPolicyVersionsResponse:
        """List a managed policy's versions, newest first (AWS ListPolicyVersions)."""
        return self._run("ListPolicyVersions", policies.list_policy_versions, kwargs)

    def set_default_policy_version(
        self, **kwargs: Unpack[rq.SetDefaultPolicyVersionRequest]
    ) -> None:
        """Make a version the operative one (AWS SetDefaultPolicyVersion)."""
        return self._run("SetDefaultPolicyVersion", policies.set_default_policy_version, kwargs)

    def delete_policy_version(self, **kwargs: Unpack[rq.DeletePolicyVersionRequest]) -> None:
        """Delete a non-default version (AWS DeletePolicyVersion)."""
        return self._run("DeletePolicyVersion", policies.delete_policy_version, kwargs)

    def tag_policy(self, **kwargs: Unpack[rq.TagPolicyRequest]) -> None:
        """Add or replace managed policy tags (AWS TagPolicy)."""
        return self._run("TagPolicy", policies.tag_policy, kwargs)

    def untag_policy(self, **kwargs: Unpack[rq.UntagPolicyRequest]) -> None:
        """Remove managed policy tags (AWS UntagPolicy)."""
        return self._run("UntagPolicy", policies.untag_policy, kwargs)

    def list_policy_tags(
        self, **kwargs: Unpack[rq.ListPolicyTagsRequest]
    ) -> rs.ListPolicyTagsResponse:
        """List a managed policy's tags (AWS ListPolicyTags)."""
        return self._run("ListPolicyTags", policies.list_policy_tags, kwargs)

    def attach_user_policy(self, **kwargs: Unpack[rq.AttachUserPolicyRequest]) -> None:
        """Attach a managed policy to a user (AWS AttachUserPolicy)."""
        return self._run("AttachUserPolicy", policies.attach_user_policy, kwargs)

    def detach_user_policy(self, **kwargs: Unpack[rq.DetachUserPolicyRequest]) -> None:
        """Detach a managed policy from a user (AWS DetachUserPolicy)."""
        return self._run("DetachUserPolicy", policies.detach_user_policy, kwargs)

    def list_attached_user_policies(
        self, **kwargs: Unpack[rq.ListAttachedUserPoliciesRequest]
    ) -> rs.ListAttachedUserPoliciesResponse:
        """List a user's managed policies (AWS ListAttachedUserPolicies)."""
        return self._run("ListAttachedUserPolicies", policies.list_attached_user_policies, kwargs)

    def attach_group_policy(self, **kwargs: Unpack[rq.AttachGroupPolicyRequest]) -> None:
        """Attach a managed policy to a group (AWS AttachGroupPolicy)."""
        return self._run("AttachGroupPolicy", policies.attach_group_policy, kwargs)

    def detach_group_policy(self, **kwargs: Unpack[rq.DetachGroupPolicyRequest]) -> None:
        """Detach a managed policy from a group (AWS DetachGroupPolicy)."""
        return self._run("DetachGroupPolicy", policies.detach_group_policy, kwargs)

    def list_attached_group_policies(
        self, **kwargs: Unpack[rq.ListAttachedGroupPoliciesRequest]
    ) -> rs.ListAttachedGroupPoliciesResponse:
        """List a group's managed policies (AWS ListAttachedGroupPolicies)."""
        return self._run(
            "ListAttachedGroupPolicies", policies.list_attached_group_policies, kwargs
        )

    def list_entities_for_policy(
        self, **kwargs: Unpack[rq.ListEntitiesForPolicyRequest]
    ) -> rs.ListEntitiesForPolicyResponse:
        """List the users and groups using a policy (AWS ListEntitiesForPolicy)."""
        return self._run("ListEntitiesForPolicy", policies.list_entities_for_policy, kwargs)

    def generate_service_last_accessed_details(
        self, **kwargs: Unpack[rq.GenerateServiceLastAccessedDetailsRequest]
    ) -> rs.GenerateServiceLastAccessedDetailsResponse:
        """Take a report of the services a user, group or policy allows and of their
        last use (AWS GenerateServiceLastAccessedDetails)."""
        return self._run(
            "GenerateServiceLastAccessedDetails",
            access_advisor.generate_service_last_accessed_details,
            kwargs,
        )

    def get_service_last_accessed_details(
        self, **kwargs: Unpack[rq.GetServiceLastAccessedDetailsRequest]
    ) -> rs.GetServiceLastAccessedDetailsResponse:
        """Read a service last accessed report, paged (AWS GetServiceLastAccessedDetails)."""
        return self._run(
            "GetServiceLastAccessedDetails",
            access_advisor.get_service_last_accessed_details,
            kwargs,
        )

    def get_service_last_accessed_details_with_entities(
        self, **kwargs: Unpack[rq.GetServiceLastAccessedDetailsWithEntitiesRequest]
    ) -> rs.GetServiceLastAccessedDetailsWithEntitiesResponse:
        """Read a report's users for one service, the latest first, paged (AWS
        GetServiceLastAccessedDetailsWithEntities)."""
        return self._run(
            "GetServiceLastAccessedDetailsWithEntities",
            access_advisor.get_service_last_accessed_details_with_entities,
            kwargs,
        )

    def list_policies_granting_service_access(
        self, **kwargs: Unpack[rq.ListPoliciesGrantingServiceAccessRequest]
    ) -> rs.ListPoliciesGrantingServiceAccessResponse:
        """List, per service namespace, the policies of a user or group that grant access
        to it (AWS ListPoliciesGrantingServiceAccess)."""
        return self._run(
            "ListPoliciesGrantingServiceAccess",
            service_access.list_policies_granting_service_access,
            kwargs,
        )

    def put_user_policy(self, **kwargs: Unpack[rq.PutUserPolicyRequest]) -> None:
        """Add or replace a user's inline policy (AWS PutUserPolicy)."""
        return self._run("PutUserPolicy", inline_policies.put_user_policy, kwargs)

    def get_user_policy(
        self, **kwargs: Unpack[rq.GetUserPolicyRequest]
    ) -> rs.GetUserPolicyResponse:
        """A user's inline policy, URL-encoded (AWS GetUserPolicy)."""
        return self._run("GetUserPolicy", inline_policies.get_user_policy, kwargs)

    def list_user_policies(
        self, **kwargs: Unpack[rq.ListUserPoliciesRequest]
    ) -> rs.ListUserPoliciesResponse:
        """List a user's inline policy names (AWS ListUserPolicies)."""
        return self._run("ListUserPolicies", inline_policies.list_user_policies, kwargs)

    def delete_user_policy(self, **kwargs: Unpack[rq.DeleteUserPolicyRequest]) -> None:
        """Delete a user's inline policy (AWS DeleteUserPolicy)."""
        return self._run("DeleteUserPolicy", inline_policies.delete_user_policy, kwargs)

    def put_group_policy(self, **kwargs: Unpack[rq.PutGroupPolicyRequest]) -> None:
        """Add or replace a group's inline policy (AWS PutGroupPolicy)."""
        return self._run("PutGroupPolicy", inline_policies.put_group_policy, kwargs)

    def get_group_policy(
        self, **kwargs: Unpack[rq.GetGroupPolicyRequest]
    ) -> rs.GetGroupPolicyResponse:
        """A group's inline policy, URL-encoded (AWS GetGroupPolicy)."""
        return self._run("GetGroupPolicy", inline_policies.get_group_policy, kwargs)

    def list_group_policies(
        self, **kwargs: Unpack[rq.ListGroupPoliciesRequest]
    ) -> rs.ListGroupPoliciesResponse:
        """List a group's inline policy names (AWS ListGroupPolicies)."""
        return self._run("ListGroupPolicies", inline_policies.list_group_policies, kwargs)

    def delete_group_policy(self, **kwargs: Unpack[rq.DeleteGroupPolicyRequest]) -> None:
        """Delete a group's inline policy (AWS DeleteGroupPolicy)."""
        return self._run("DeleteGroupPolicy", inline_policies.delete_group_policy, kwargs)

    def put_user_permissions_boundary(
        self, **kwargs: Unpack[rq.PutUserPermissionsBoundaryRequest]
    ) -> None:
        """Set or replace a user's boundary (AWS PutUserPermissionsBoundary)."""
        return self._run(
            "PutUserPermissionsBoundary", boundaries.put_user_permissions_boundary, kwargs
        )

    def delete_user_permissions_boundary(
        self, **kwargs: Unpack[rq.DeleteUserPermissionsBoundaryRequest]
    ) -> None:
        """Remove a user's boundary (AWS DeleteUserPermissionsBoundary)."""
        return self._run(
            "DeleteUserPermissionsBoundary", boundaries.delete_user_permissions_boundary, kwargs
        )

    @contextlib.contextmanager
    def enforcing(self) -> Iterator[None]:
        """Authorize the calls made by IAM users inside the ``with`` block (issue 4).

        Calls made as an IAM user (:meth:`acting_as`, or the boto3 mock with a
        request signed with one of the account's keys) must then be allowed by
        the user's policies, intersected with their permissions boundary, or
        they raise AccessDenied, as AWS does; the root user is never checked.
        ``mock_iam(enforce=True)`` turns this on for every mock call.  Per
        thread/task; nests.
        """
        token = enforcement.enforcing.set(True)
        try:
            yield
        finally:
            enforcement.enforcing.reset(token)

    def is_authorized(
        self,
        *,
        user_name: str,
        action: str,
        resource: str = "*",
        context: Mapping[str, Any] | None = None,
    ) -> Evaluation:
        """Would ``user_name`` be allowed ``action`` on ``resource``? (native only).

        Evaluates the user's effective permissions as AWS authorizes a request
        signed with the user's access key: the inline and attached policies of
        the user and of the user's groups, intersected with the permissions
        boundary; an explicit deny wins.  The request context holds the keys
        AWS provides for such a request (``aws:username``, ``aws:userid``,
        ``aws:PrincipalArn``, ``aws:PrincipalTag/*``, ``aws:CurrentTime``, …,
        see :mod:`iamcore.enforcement`), updated with ``context`` (key →
        value or tuple of values).  Returns the
        :class:`~iamcore.policy.Evaluation` (``.allowed``, ``.decision``,
        ``.matched_statements``).  NoSuchEntity for an unknown user.
        """
        _require_strings(userName=user_name, action=action, resource=resource)
        if context is not None and not isinstance(context, Mapping):
            raise ValidationError(f"context must be a mapping, not {type(context).__name__}.")
        with self._lock:
            user = users.require_user(self._state, user_name)
            return enforcement.evaluate_user(
                self._state, self._account_id, user, action, resource, context, self._now()
            )

    # -- policy simulation (issue 4) -------------------------------------------

    def simulate_custom_policy(
        self, **kwargs: Unpack[rq.SimulateCustomPolicyRequest]
    ) -> rs.SimulatePolicyResponse:
        """Simulate policies given as text (AWS SimulateCustomPolicy)."""
        return self._run("SimulateCustomPolicy", simulation.simulate_custom_policy, kwargs)

    def simulate_principal_policy(
        self, **kwargs: Unpack[rq.SimulatePrincipalPolicyRequest]
    ) -> rs.SimulatePolicyResponse:
        """Simulate a user's or group's policies (AWS SimulatePrincipalPolicy)."""
        return self._run("SimulatePrincipalPolicy", simulation.simulate_principal_policy, kwargs)

    def get_context_keys_for_custom_policy(
        self, **kwargs: Unpack[rq.GetContextKeysForCustomPolicyRequest]
    ) -> rs.GetContextKeysForPolicyResponse:
        """Condition keys of policies given as text (AWS GetContextKeysForCustomPolicy)."""
        return self._run(
            "GetContextKeysForCustomPolicy",
            context_keys.get_context_keys_for_custom_policy,
            kwargs,
        )

    def get_context_keys_for_principal_policy(
        self, **kwargs: Unpack[rq.GetContextKeysForPrincipalPolicyRequest]
    ) -> rs.GetContextKeysForPolicyResponse:
        """Condition keys of a principal's policies (AWS GetContextKeysForPrincipalPolicy)."""
        return self._run(
            "GetContextKeysForPrincipalPolicy",
            context_keys.get_context_keys_for_principal_policy,
            kwargs,
        )

    # -- credential report and signing certificates (issue 5) -------------------

    def generate_credential_report(self, **kwargs: Any) -> rs.GenerateCredentialReportResponse:
        """Start a credential report, or find the last one (AWS GenerateCredentialReport).

        At most one new report every four hours: ``STARTED`` when a new one
        starts, ``COMPLETE`` when the report of the last four hours is ready.
        """
        return self._run("GenerateCredentialReport", report.generate_credential_report, kwargs)

    def get_credential_report(self, **kwargs: Any) -> rs.GetCredentialReportResponse:
        """The stored credential report as CSV bytes (AWS GetCredentialReport)."""
        return self._run("GetCredentialReport", report.get_credential_report, kwargs)

    def upload_signing_certificate(
        self, **kwargs: Unpack[rq.UploadSigningCertificateRequest]
    ) -> rs.UploadSigningCertificateResponse:
        """Add an X.509 signing certificate to a user (AWS UploadSigningCertificate)."""
        return self._run(
            "UploadSigningCertificate", signing_certificates.upload_signing_certificate, kwargs
        )

    def list_signing_certificates(
        self, **kwargs: Unpack[rq.ListSigningCertificatesRequest]
    ) -> rs.ListSigningCertificatesResponse:
        """List a user's signing certificates in upload order (AWS ListSigningCertificates)."""
        return self._run(
            "ListSigningCertificates", signing_certificates.list_signing_certificates, kwargs
        )

    def update_signing_certificate(
        self, **kwargs: Unpack[rq.UpdateSigningCertificateRequest]
    ) -> None:
        """Make a signing certificate Active or Inactive (AWS UpdateSigningCertificate)."""
        return self._run(
            "UpdateSigningCertificate", signing_certificates.update_signing_certificate, kwargs
        )

    def delete_signing_certificate(
        self, **kwargs: Unpack[rq.DeleteSigningCertificateRequest]
    ) -> None:
        """Delete a signing certificate (AWS DeleteSigningCertificate)."""
        return self._run(
            "DeleteSigningCertificate", signing_certificates.delete_signing_certificate, kwargs
        )

    def set_root_credentials(
        self,
        *,
        password_last_used: datetime | root.Keep | None = root.KEEP,
        mfa_active: bool | root.Keep = root.KEEP,
        access_keys: Sequence[RootAccessKey | Mapping[str, Any]] | root.Keep = root.KEEP,
    ) -> RootCredentials:
        """Set what the credential report shows for the root user (native only, no AWS operation).

        ``password_last_used`` (an aware datetime, or ``None``: never used),
        ``mfa_active`` and ``access_keys`` (at most two
        :class:`~iamcore.entities.RootAccessKey` or mappings with ``status``,
        ``create_date`` and optionally ``last_used``); each one left out keeps
        its value.  Returns the root user's credentials; ValidationError for a
        bad value (nothing changes then).  See :mod:`iamcore.root`.
        """
        return self._run_native(
            root.set_root_credentials,
            password_last_used=password_last_used,
            mfa_active=mfa_active,
            access_keys=access_keys,
        )

    # -- account summary, aliases, authorization details --------------------------

    def get_account_summary(self, **kwargs: Any) -> rs.GetAccountSummaryResponse:
        """The account's entity usage and quotas, all 34 keys (AWS GetAccountSummary)."""
        return self._run("GetAccountSummary", account_rules.get_account_summary, kwargs)

    def create_account_alias(self, **kwargs: Unpack[rq.CreateAccountAliasRequest]) -> None:
        """Set the account's one alias, replacing any other (AWS CreateAccountAlias)."""
        return self._run("CreateAccountAlias", account_rules.create_account_alias, kwargs)

    def delete_account_alias(self, **kwargs: Unpack[rq.DeleteAccountAliasRequest]) -> None:
        """Remove the account's alias (AWS DeleteAccountAlias)."""
        return self._run("DeleteAccountAlias", account_rules.delete_account_alias, kwargs)

    def list_account_aliases(
        self, **kwargs: Unpack[rq.ListAccountAliasesRequest]
    ) -> rs.ListAccountAliasesResponse:
        """The account's alias, none or one, paged (AWS ListAccountAliases)."""
        return self._run("ListAccountAliases", account_rules.list_account_aliases, kwargs)

    def get_account_authorization_details(
        self, **kwargs: Unpack[rq.GetAccountAuthorizationDetailsRequest]
    ) -> rs.GetAccountAuthorizationDetailsResponse:
        """Users, groups, roles and managed policies with their relationships, filtered
        and paged together (AWS GetAccountAuthorizationDetails)."""
        return self._run(
            "GetAccountAuthorizationDetails",
            account_rules.get_account_authorization_details,
            kwargs,
        )


def _require_strings(**values: object) -> None:
    """Native-only methods (issue 3): bad argument types are ValidationErrors, never TypeErrors."""
    for name, value in values.items():
        if not isinstance(value, str):
            raise ValidationError(f"{name} must be a string, not {type(value).__name__}.")
