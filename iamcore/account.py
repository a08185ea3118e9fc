# mypy: disable-error-code="empty-body"
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

Each operation method is declared here by its typed signature and docstring
under ``@_operation(rule)``; its body is generated from the model on the first
call (:mod:`iamcore._fastcall`, as attrs writes ``__init__``), hence the empty
bodies mypy is told to accept (the decorator's types still hold each declared
return type to its rule's).  A usual call (valid arguments, no caller to
authorize) runs entirely in that body; any other call takes
:meth:`Account._run_complete`, the same steps written out plainly.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from time import time as _posix_time
from typing import Any, ParamSpec, TypeVar, Unpack, cast

from iamcore import _model, enforcement, root
from iamcore import requests as rq
from iamcore import responses as rs
from iamcore._fastcall import compile_method
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


def _mutates(operation: str) -> bool:
    """Whether ``operation`` may change the account: Get, List and Simulate calls never do."""
    return _READ_ONLY.match(operation) is None


_OPERATION_NAMES = _model.operation_by_snake()

#: method name -> (IAM operation, rule) of every Account operation method
OPERATIONS: dict[str, tuple[str, Callable[..., Any]]] = {}

P = ParamSpec("P")


def _operation(rule: Callable[..., R]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Declare an Account method that runs ``rule`` for the IAM operation of its name.

    The declaration gives the method's typed signature and docstring; its body is
    written from botocore's model on the first call (:func:`iamcore._fastcall.compile_method`)
    and then stands in the class in place of the declaration.  Calls it doubts go to
    :meth:`Account._run_complete`.  The declaration's return type must be the rule's
    (mypy checks it).
    """

    def declare(declaration: Callable[P, R]) -> Callable[P, R]:
        name = declaration.__name__
        operation = _OPERATION_NAMES[name]
        OPERATIONS[name] = (operation, rule)
        compiled: Callable[..., Any] | None = None

        @functools.wraps(declaration)
        def first_call(self: Account, *args: Any, **kwargs: Any) -> Any:
            nonlocal compiled
            if compiled is None:
                compiled = compile_method(
                    operation,
                    rule,
                    declaration,
                    mutates=_mutates(operation),
                    complete=Account._run_complete,
                    current_caller=current_caller.get,
                )
                if Account.__dict__.get(name) is first_call:  # not patched meanwhile
                    setattr(Account, name, compiled)
            return compiled(self, *args, **kwargs)

        return cast(Callable[P, R], first_call)

    return declare


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

    @_operation(users.create_user)
    def create_user(self, **kwargs: Unpack[rq.CreateUserRequest]) -> CreateUserResponse:
        """Create a user (AWS CreateUser)."""

    @_operation(users.get_user)
    def get_user(self, **kwargs: Unpack[rq.GetUserRequest]) -> GetUserResponse:
        """Describe a user, or the caller when no name is given (AWS GetUser)."""

    @_operation(users.list_users)
    def list_users(self, **kwargs: Unpack[rq.ListUsersRequest]) -> ListUsersResponse:
        """List users by path prefix, paged (AWS ListUsers)."""

    @_operation(users.update_user)
    def update_user(self, **kwargs: Unpack[rq.UpdateUserRequest]) -> None:
        """Rename or move a user (AWS UpdateUser)."""

    @_operation(users.delete_user)
    def delete_user(self, **kwargs: Unpack[rq.DeleteUserRequest]) -> None:
        """Delete a user that owns nothing any more (AWS DeleteUser)."""

    @_operation(users.tag_user)
    def tag_user(self, **kwargs: Unpack[rq.TagUserRequest]) -> None:
        """Add or replace user tags (AWS TagUser)."""

    @_operation(users.untag_user)
    def untag_user(self, **kwargs: Unpack[rq.UntagUserRequest]) -> None:
        """Remove user tags (AWS UntagUser)."""

    @_operation(users.list_user_tags)
    def list_user_tags(self, **kwargs: Unpack[rq.ListUserTagsRequest]) -> ListUserTagsResponse:
        """List a user's tags sorted by key (AWS ListUserTags)."""

    # -- groups ------------------------------------------------------------

    @_operation(groups.create_group)
    def create_group(self, **kwargs: Unpack[rq.CreateGroupRequest]) -> CreateGroupResponse:
        """Create a group (AWS CreateGroup)."""

    @_operation(groups.get_group)
    def get_group(self, **kwargs: Unpack[rq.GetGroupRequest]) -> GetGroupResponse:
        """Describe a group and its members (AWS GetGroup)."""

    @_operation(groups.list_groups)
    def list_groups(self, **kwargs: Unpack[rq.ListGroupsRequest]) -> ListGroupsResponse:
        """List groups by path prefix, paged (AWS ListGroups)."""

    @_operation(groups.update_group)
    def update_group(self, **kwargs: Unpack[rq.UpdateGroupRequest]) -> None:
        """Rename or move a group (AWS UpdateGroup)."""

    @_operation(groups.delete_group)
    def delete_group(self, **kwargs: Unpack[rq.DeleteGroupRequest]) -> None:
        """Delete an empty group (AWS DeleteGroup)."""

    @_operation(groups.add_user_to_group)
    def add_user_to_group(self, **kwargs: Unpack[rq.AddUserToGroupRequest]) -> None:
        """Add a user to a group (AWS AddUserToGroup)."""

    @_operation(groups.remove_user_from_group)
    def remove_user_from_group(self, **kwargs: Unpack[rq.RemoveUserFromGroupRequest]) -> None:
        """Remove a user from a group (AWS RemoveUserFromGroup)."""

    @_operation(groups.list_groups_for_user)
    def list_groups_for_user(
        self, **kwargs: Unpack[rq.ListGroupsForUserRequest]
    ) -> ListGroupsForUserResponse:
        """List the groups a user belongs to (AWS ListGroupsForUser)."""

    # -- access keys (issue 3) -----------------------------------------------

    @_operation(access_keys.create_access_key)
    def create_access_key(
        self, **kwargs: Unpack[rq.CreateAccessKeyRequest]
    ) -> rs.CreateAccessKeyResponse:
        """Create an Active key; the only result with the secret (AWS CreateAccessKey)."""

    @_operation(access_keys.list_access_keys)
    def list_access_keys(
        self, **kwargs: Unpack[rq.ListAccessKeysRequest]
    ) -> rs.ListAccessKeysResponse:
        """List a user's keys without secrets, oldest first (AWS ListAccessKeys)."""

    @_operation(access_keys.update_access_key)
    def update_access_key(self, **kwargs: Unpack[rq.UpdateAccessKeyRequest]) -> None:
        """Make a key Active or Inactive (AWS UpdateAccessKey)."""

    @_operation(access_keys.delete_access_key)
    def delete_access_key(self, **kwargs: Unpack[rq.DeleteAccessKeyRequest]) -> None:
        """Delete a key (AWS DeleteAccessKey)."""

    @_operation(access_keys.get_access_key_last_used)
    def get_access_key_last_used(
        self, **kwargs: Unpack[rq.GetAccessKeyLastUsedRequest]
    ) -> rs.GetAccessKeyLastUsedResponse:
        """When, where and for which service a key was last used (AWS GetAccessKeyLastUsed)."""

    def _run_native(self, rule: Callable[..., R], /, **kwargs: Any) -> R:
        """Run a rule that is no IAM operation (authentication, sign-in) like ``_run_complete``."""
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
        service_access: bool = True,
    ) -> CallerIdentity:
        """Check an access key and its secret as AWS does for every signed request.

        Returns who the key belongs to, and records the key's last use
        (date, ``service``, ``region``; IAM is global and AWS records it as
        ``us-east-1``) and the attempt to use ``service`` (and ``action``, a
        bare action name such as ``GetObject``) for service last accessed
        reports (not with ``service_access=False``: a request that needs no
        permission, such as STS GetCallerIdentity, is no access attempt).
        Raises InvalidClientTokenId for an unknown or Inactive key and
        SignatureDoesNotMatch for a wrong secret (both HTTP 403).  The boto3
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
        if not isinstance(service_access, bool):
            raise ValidationError(
                f"serviceAccess must be a boolean, not {type(service_access).__name__}."
            )
        return self._run_native(
            access_keys.authenticate,
            access_key_id=access_key_id,
            secret_access_key=secret_access_key,
            service=service,
            region=region,
            action=action,
            service_access=service_access,
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

    @_operation(login_profiles.create_login_profile)
    def create_login_profile(
        self, **kwargs: Unpack[rq.CreateLoginProfileRequest]
    ) -> rs.CreateLoginProfileResponse:
        """Give a user a console password (AWS CreateLoginProfile)."""

    @_operation(login_profiles.get_login_profile)
    def get_login_profile(
        self, **kwargs: Unpack[rq.GetLoginProfileRequest]
    ) -> rs.GetLoginProfileResponse:
        """Describe a user's console password, never showing it (AWS GetLoginProfile)."""

    @_operation(login_profiles.update_login_profile)
    def update_login_profile(self, **kwargs: Unpack[rq.UpdateLoginProfileRequest]) -> None:
        """Reset a user's password and/or PasswordResetRequired (AWS UpdateLoginProfile)."""

    @_operation(login_profiles.delete_login_profile)
    def delete_login_profile(self, **kwargs: Unpack[rq.DeleteLoginProfileRequest]) -> None:
        """Remove a user's console password (AWS DeleteLoginProfile)."""

    @_operation(login_profiles.change_password)
    def change_password(self, **kwargs: Unpack[rq.ChangePasswordRequest]) -> None:
        """Change the calling user's own password (AWS ChangePassword).

        Natively, call it inside :meth:`acting_as`: the root user/administrator
        cannot (InvalidUserType), as in AWS.
        """

    @_operation(password_policy.update_account_password_policy)
    def update_account_password_policy(
        self, **kwargs: Unpack[rq.UpdateAccountPasswordPolicyRequest]
    ) -> None:
        """Replace the account password policy (AWS UpdateAccountPasswordPolicy)."""

    @_operation(password_policy.get_account_password_policy)
    def get_account_password_policy(self) -> rs.GetAccountPasswordPolicyResponse:
        """The account password policy; NoSuchEntity when unset (AWS GetAccountPasswordPolicy)."""

    @_operation(password_policy.delete_account_password_policy)
    def delete_account_password_policy(self) -> None:
        """Remove the account password policy (AWS DeleteAccountPasswordPolicy)."""

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

    @_operation(mfa.create_virtual_mfa_device)
    def create_virtual_mfa_device(
        self, **kwargs: Unpack[rq.CreateVirtualMFADeviceRequest]
    ) -> rs.CreateVirtualMFADeviceResponse:
        """Create a virtual MFA device; the only call that returns its seed and QR code
        (AWS CreateVirtualMFADevice)."""

    @_operation(mfa.enable_mfa_device)
    def enable_mfa_device(self, **kwargs: Unpack[rq.EnableMFADeviceRequest]) -> None:
        """Assign an MFA device to a user with two consecutive codes (AWS EnableMFADevice)."""

    @_operation(mfa.resync_mfa_device)
    def resync_mfa_device(self, **kwargs: Unpack[rq.ResyncMFADeviceRequest]) -> None:
        """Resynchronise an enabled MFA device with two consecutive codes (AWS ResyncMFADevice)."""

    @_operation(mfa.deactivate_mfa_device)
    def deactivate_mfa_device(self, **kwargs: Unpack[rq.DeactivateMFADeviceRequest]) -> None:
        """Unassign an MFA device from a user; the device remains (AWS DeactivateMFADevice)."""

    @_operation(mfa.get_mfa_device)
    def get_mfa_device(self, **kwargs: Unpack[rq.GetMFADeviceRequest]) -> rs.GetMFADeviceResponse:
        """Describe a FIDO security key; any other serial number is a ValidationError
        (AWS GetMFADevice)."""

    @_operation(mfa.list_mfa_devices)
    def list_mfa_devices(
        self, **kwargs: Unpack[rq.ListMFADevicesRequest]
    ) -> rs.ListMFADevicesResponse:
        """List the MFA devices enabled for a user, paged (AWS ListMFADevices)."""

    @_operation(mfa.list_virtual_mfa_devices)
    def list_virtual_mfa_devices(
        self, **kwargs: Unpack[rq.ListVirtualMFADevicesRequest]
    ) -> rs.ListVirtualMFADevicesResponse:
        """List virtual MFA devices by assignment status, paged (AWS ListVirtualMFADevices)."""

    @_operation(mfa.delete_virtual_mfa_device)
    def delete_virtual_mfa_device(
        self, **kwargs: Unpack[rq.DeleteVirtualMFADeviceRequest]
    ) -> None:
        """Delete an unassigned virtual MFA device (AWS DeleteVirtualMFADevice)."""

    @_operation(mfa.tag_mfa_device)
    def tag_mfa_device(self, **kwargs: Unpack[rq.TagMFADeviceRequest]) -> None:
        """Add or replace tags on a virtual MFA device (AWS TagMFADevice)."""

    @_operation(mfa.untag_mfa_device)
    def untag_mfa_device(self, **kwargs: Unpack[rq.UntagMFADeviceRequest]) -> None:
        """Remove tags from a virtual MFA device (AWS UntagMFADevice)."""

    @_operation(mfa.list_mfa_device_tags)
    def list_mfa_device_tags(
        self, **kwargs: Unpack[rq.ListMFADeviceTagsRequest]
    ) -> rs.ListMFADeviceTagsResponse:
        """List a virtual MFA device's tags sorted by key (AWS ListMFADeviceTags)."""

    # -- SSH public keys and service-specific credentials (issue 3) ------------

    @_operation(ssh_keys.upload_ssh_public_key)
    def upload_ssh_public_key(
        self, **kwargs: Unpack[rq.UploadSSHPublicKeyRequest]
    ) -> rs.UploadSSHPublicKeyResponse:
        """Upload an RSA SSH public key for CodeCommit (AWS UploadSSHPublicKey)."""

    @_operation(ssh_keys.get_ssh_public_key)
    def get_ssh_public_key(
        self, **kwargs: Unpack[rq.GetSSHPublicKeyRequest]
    ) -> rs.GetSSHPublicKeyResponse:
        """Get an SSH public key in SSH or PEM encoding (AWS GetSSHPublicKey)."""

    @_operation(ssh_keys.list_ssh_public_keys)
    def list_ssh_public_keys(
        self, **kwargs: Unpack[rq.ListSSHPublicKeysRequest]
    ) -> rs.ListSSHPublicKeysResponse:
        """List a user's SSH public keys without their bodies (AWS ListSSHPublicKeys)."""

    @_operation(ssh_keys.update_ssh_public_key)
    def update_ssh_public_key(self, **kwargs: Unpack[rq.UpdateSSHPublicKeyRequest]) -> None:
        """Set an SSH public key Active or Inactive (AWS UpdateSSHPublicKey)."""

    @_operation(ssh_keys.delete_ssh_public_key)
    def delete_ssh_public_key(self, **kwargs: Unpack[rq.DeleteSSHPublicKeyRequest]) -> None:
        """Delete an SSH public key (AWS DeleteSSHPublicKey)."""

    @_operation(service_credentials.create_service_specific_credential)
    def create_service_specific_credential(
        self, **kwargs: Unpack[rq.CreateServiceSpecificCredentialRequest]
    ) -> rs.CreateServiceSpecificCredentialResponse:
        """Create Git (CodeCommit), Keyspaces or API-key credentials; the only call that
        returns the password (AWS CreateServiceSpecificCredential)."""

    @_operation(service_credentials.list_service_specific_credentials)
    def list_service_specific_credentials(
        self, **kwargs: Unpack[rq.ListServiceSpecificCredentialsRequest]
    ) -> rs.ListServiceSpecificCredentialsResponse:
        """List service-specific credentials without passwords
        (AWS ListServiceSpecificCredentials)."""

    @_operation(service_credentials.reset_service_specific_credential)
    def reset_service_specific_credential(
        self, **kwargs: Unpack[rq.ResetServiceSpecificCredentialRequest]
    ) -> rs.ResetServiceSpecificCredentialResponse:
        """Generate a new password for a service-specific credential
        (AWS ResetServiceSpecificCredential)."""

    @_operation(service_credentials.update_service_specific_credential)
    def update_service_specific_credential(
        self, **kwargs: Unpack[rq.UpdateServiceSpecificCredentialRequest]
    ) -> None:
        """Set a service-specific credential Active or Inactive
        (AWS UpdateServiceSpecificCredential)."""

    @_operation(service_credentials.delete_service_specific_credential)
    def delete_service_specific_credential(
        self, **kwargs: Unpack[rq.DeleteServiceSpecificCredentialRequest]
    ) -> None:
        """Delete a service-specific credential (AWS DeleteServiceSpecificCredential)."""

    # -- managed and inline policies, permission boundaries (issue 4) ----------

    @_operation(policies.create_policy)
    def create_policy(self, **kwargs: Unpack[rq.CreatePolicyRequest]) -> rs.CreatePolicyResponse:
        """Create a customer managed policy (AWS CreatePolicy)."""

    @_operation(policies.get_policy)
    def get_policy(self, **kwargs: Unpack[rq.GetPolicyRequest]) -> rs.GetPolicyResponse:
        """Describe a managed policy (AWS GetPolicy)."""

    @_operation(policies.list_policies)
    def list_policies(self, **kwargs: Unpack[rq.ListPoliciesRequest]) -> rs.ListPoliciesResponse:
        """List AWS and customer managed policies, paged (AWS ListPolicies)."""

    @_operation(policies.delete_policy)
    def delete_policy(self, **kwargs: Unpack[rq.DeletePolicyRequest]) -> None:
        """Delete an unused customer managed policy (AWS DeletePolicy)."""

    @_operation(policies.create_policy_version)
    def create_policy_version(
        self, **kwargs: Unpack[rq.CreatePolicyVersionRequest]
    ) -> rs.CreatePolicyVersionResponse:
        """Add a version to a managed policy (AWS CreatePolicyVersion)."""

    @_operation(policies.get_policy_version)
    def get_policy_version(
        self, **kwargs: Unpack[rq.GetPolicyVersionRequest]
    ) -> rs.GetPolicyVersionResponse:
        """One version with its URL-encoded document (AWS GetPolicyVersion)."""

    @_operation(policies.list_policy_versions)
    def list_policy_versions(
        self, **kwargs: Unpack[rq.ListPolicyVersionsRequest]
    ) -> rs.ListPolicyVersionsResponse:
        """List a managed policy's versions, newest first (AWS ListPolicyVersions)."""

    @_operation(policies.set_default_policy_version)
    def set_default_policy_version(
        self, **kwargs: Unpack[rq.SetDefaultPolicyVersionRequest]
    ) -> None:
        """Make a version the operative one (AWS SetDefaultPolicyVersion)."""

    @_operation(policies.delete_policy_version)
    def delete_policy_version(self, **kwargs: Unpack[rq.DeletePolicyVersionRequest]) -> None:
        """Delete a non-default version (AWS DeletePolicyVersion)."""

    @_operation(policies.tag_policy)
    def tag_policy(self, **kwargs: Unpack[rq.TagPolicyRequest]) -> None:
        """Add or replace managed policy tags (AWS TagPolicy)."""

    @_operation(policies.untag_policy)
    def untag_policy(self, **kwargs: Unpack[rq.UntagPolicyRequest]) -> None:
        """Remove managed policy tags (AWS UntagPolicy)."""

    @_operation(policies.list_policy_tags)
    def list_policy_tags(
        self, **kwargs: Unpack[rq.ListPolicyTagsRequest]
    ) -> rs.ListPolicyTagsResponse:
        """List a managed policy's tags (AWS ListPolicyTags)."""

    @_operation(policies.attach_user_policy)
    def attach_user_policy(self, **kwargs: Unpack[rq.AttachUserPolicyRequest]) -> None:
        """Attach a managed policy to a user (AWS AttachUserPolicy)."""

    @_operation(policies.detach_user_policy)
    def detach_user_policy(self, **kwargs: Unpack[rq.DetachUserPolicyRequest]) -> None:
        """Detach a managed policy from a user (AWS DetachUserPolicy)."""

    @_operation(policies.list_attached_user_policies)
    def list_attached_user_policies(
        self, **kwargs: Unpack[rq.ListAttachedUserPoliciesRequest]
    ) -> rs.ListAttachedUserPoliciesResponse:
        """List a user's managed policies (AWS ListAttachedUserPolicies)."""

    @_operation(policies.attach_group_policy)
    def attach_group_policy(self, **kwargs: Unpack[rq.AttachGroupPolicyRequest]) -> None:
        """Attach a managed policy to a group (AWS AttachGroupPolicy)."""

    @_operation(policies.detach_group_policy)
    def detach_group_policy(self, **kwargs: Unpack[rq.DetachGroupPolicyRequest]) -> None:
        """Detach a managed policy from a group (AWS DetachGroupPolicy)."""

    @_operation(policies.list_attached_group_policies)
    def list_attached_group_policies(
        self, **kwargs: Unpack[rq.ListAttachedGroupPoliciesRequest]
    ) -> rs.ListAttachedGroupPoliciesResponse:
        """List a group's managed policies (AWS ListAttachedGroupPolicies)."""

    @_operation(policies.list_entities_for_policy)
    def list_entities_for_policy(
        self, **kwargs: Unpack[rq.ListEntitiesForPolicyRequest]
    ) -> rs.ListEntitiesForPolicyResponse:
        """List the users and groups using a policy (AWS ListEntitiesForPolicy)."""

    @_operation(access_advisor.generate_service_last_accessed_details)
    def generate_service_last_accessed_details(
        self, **kwargs: Unpack[rq.GenerateServiceLastAccessedDetailsRequest]
    ) -> rs.GenerateServiceLastAccessedDetailsResponse:
        """Take a report of the services a user, group or policy allows and of their
        last use (AWS GenerateServiceLastAccessedDetails)."""

    @_operation(access_advisor.get_service_last_accessed_details)
    def get_service_last_accessed_details(
        self, **kwargs: Unpack[rq.GetServiceLastAccessedDetailsRequest]
    ) -> rs.GetServiceLastAccessedDetailsResponse:
        """Read a service last accessed report, paged (AWS GetServiceLastAccessedDetails)."""

    @_operation(access_advisor.get_service_last_accessed_details_with_entities)
    def get_service_last_accessed_details_with_entities(
        self, **kwargs: Unpack[rq.GetServiceLastAccessedDetailsWithEntitiesRequest]
    ) -> rs.GetServiceLastAccessedDetailsWithEntitiesResponse:
        """Read a report's users for one service, the latest first, paged (AWS
        GetServiceLastAccessedDetailsWithEntities)."""

    @_operation(service_access.list_policies_granting_service_access)
    def list_policies_granting_service_access(
        self, **kwargs: Unpack[rq.ListPoliciesGrantingServiceAccessRequest]
    ) -> rs.ListPoliciesGrantingServiceAccessResponse:
        """List, per service namespace, the policies of a user or group that grant access
        to it (AWS ListPoliciesGrantingServiceAccess)."""

    @_operation(inline_policies.put_user_policy)
    def put_user_policy(self, **kwargs: Unpack[rq.PutUserPolicyRequest]) -> None:
        """Add or replace a user's inline policy (AWS PutUserPolicy)."""

    @_operation(inline_policies.get_user_policy)
    def get_user_policy(
        self, **kwargs: Unpack[rq.GetUserPolicyRequest]
    ) -> rs.GetUserPolicyResponse:
        """A user's inline policy, URL-encoded (AWS GetUserPolicy)."""

    @_operation(inline_policies.list_user_policies)
    def list_user_policies(
        self, **kwargs: Unpack[rq.ListUserPoliciesRequest]
    ) -> rs.ListUserPoliciesResponse:
        """List a user's inline policy names (AWS ListUserPolicies)."""

    @_operation(inline_policies.delete_user_policy)
    def delete_user_policy(self, **kwargs: Unpack[rq.DeleteUserPolicyRequest]) -> None:
        """Delete a user's inline policy (AWS DeleteUserPolicy)."""

    @_operation(inline_policies.put_group_policy)
    def put_group_policy(self, **kwargs: Unpack[rq.PutGroupPolicyRequest]) -> None:
        """Add or replace a group's inline policy (AWS PutGroupPolicy)."""

    @_operation(inline_policies.get_group_policy)
    def get_group_policy(
        self, **kwargs: Unpack[rq.GetGroupPolicyRequest]
    ) -> rs.GetGroupPolicyResponse:
        """A group's inline policy, URL-encoded (AWS GetGroupPolicy)."""

    @_operation(inline_policies.list_group_policies)
    def list_group_policies(
        self, **kwargs: Unpack[rq.ListGroupPoliciesRequest]
    ) -> rs.ListGroupPoliciesResponse:
        """List a group's inline policy names (AWS ListGroupPolicies)."""

    @_operation(inline_policies.delete_group_policy)
    def delete_group_policy(self, **kwargs: Unpack[rq.DeleteGroupPolicyRequest]) -> None:
        """Delete a group's inline policy (AWS DeleteGroupPolicy)."""

    @_operation(boundaries.put_user_permissions_boundary)
    def put_user_permissions_boundary(
        self, **kwargs: Unpack[rq.PutUserPermissionsBoundaryRequest]
    ) -> None:
        """Set or replace a user's boundary (AWS PutUserPermissionsBoundary)."""

    @_operation(boundaries.delete_user_permissions_boundary)
    def delete_user_permissions_boundary(
        self, **kwargs: Unpack[rq.DeleteUserPermissionsBoundaryRequest]
    ) -> None:
        """Remove a user's boundary (AWS DeleteUserPermissionsBoundary)."""

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

    @_operation(simulation.simulate_custom_policy)
    def simulate_custom_policy(
        self, **kwargs: Unpack[rq.SimulateCustomPolicyRequest]
    ) -> rs.SimulatePolicyResponse:
        """Simulate policies given as text (AWS SimulateCustomPolicy)."""

    @_operation(simulation.simulate_principal_policy)
    def simulate_principal_policy(
        self, **kwargs: Unpack[rq.SimulatePrincipalPolicyRequest]
    ) -> rs.SimulatePolicyResponse:
        """Simulate a user's or group's policies (AWS SimulatePrincipalPolicy)."""

    @_operation(context_keys.get_context_keys_for_custom_policy)
    def get_context_keys_for_custom_policy(
        self, **kwargs: Unpack[rq.GetContextKeysForCustomPolicyRequest]
    ) -> rs.GetContextKeysForPolicyResponse:
        """Condition keys of policies given as text (AWS GetContextKeysForCustomPolicy)."""

    @_operation(context_keys.get_context_keys_for_principal_policy)
    def get_context_keys_for_principal_policy(
        self, **kwargs: Unpack[rq.GetContextKeysForPrincipalPolicyRequest]
    ) -> rs.GetContextKeysForPolicyResponse:
        """Condition keys of a principal's policies (AWS GetContextKeysForPrincipalPolicy)."""

    # -- credential report and signing certificates (issue 5) -------------------

    @_operation(report.generate_credential_report)
    def generate_credential_report(self, **kwargs: Any) -> rs.GenerateCredentialReportResponse:
        """Start a credential report, or find the last one (AWS GenerateCredentialReport).

        At most one new report every four hours: ``STARTED`` when a new one
        starts, ``COMPLETE`` when the report of the last four hours is ready.
        """

    @_operation(report.get_credential_report)
    def get_credential_report(self, **kwargs: Any) -> rs.GetCredentialReportResponse:
        """The stored credential report as CSV bytes (AWS GetCredentialReport)."""

    @_operation(signing_certificates.upload_signing_certificate)
    def upload_signing_certificate(
        self, **kwargs: Unpack[rq.UploadSigningCertificateRequest]
    ) -> rs.UploadSigningCertificateResponse:
        """Add an X.509 signing certificate to a user (AWS UploadSigningCertificate)."""

    @_operation(signing_certificates.list_signing_certificates)
    def list_signing_certificates(
        self, **kwargs: Unpack[rq.ListSigningCertificatesRequest]
    ) -> rs.ListSigningCertificatesResponse:
        """List a user's signing certificates in upload order (AWS ListSigningCertificates)."""

    @_operation(signing_certificates.update_signing_certificate)
    def update_signing_certificate(
        self, **kwargs: Unpack[rq.UpdateSigningCertificateRequest]
    ) -> None:
        """Make a signing certificate Active or Inactive (AWS UpdateSigningCertificate)."""

    @_operation(signing_certificates.delete_signing_certificate)
    def delete_signing_certificate(
        self, **kwargs: Unpack[rq.DeleteSigningCertificateRequest]
    ) -> None:
        """Delete a signing certificate (AWS DeleteSigningCertificate)."""

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

    @_operation(account_rules.get_account_summary)
    def get_account_summary(self, **kwargs: Any) -> rs.GetAccountSummaryResponse:
        """The account's entity usage and quotas, all 34 keys (AWS GetAccountSummary)."""

    @_operation(account_rules.create_account_alias)
    def create_account_alias(self, **kwargs: Unpack[rq.CreateAccountAliasRequest]) -> None:
        """Set the account's one alias, replacing any other (AWS CreateAccountAlias)."""

    @_operation(account_rules.delete_account_alias)
    def delete_account_alias(self, **kwargs: Unpack[rq.DeleteAccountAliasRequest]) -> None:
        """Remove the account's alias (AWS DeleteAccountAlias)."""

    @_operation(account_rules.list_account_aliases)
    def list_account_aliases(
        self, **kwargs: Unpack[rq.ListAccountAliasesRequest]
    ) -> rs.ListAccountAliasesResponse:
        """The account's alias, none or one, paged (AWS ListAccountAliases)."""

    @_operation(account_rules.get_account_authorization_details)
    def get_account_authorization_details(
        self, **kwargs: Unpack[rq.GetAccountAuthorizationDetailsRequest]
    ) -> rs.GetAccountAuthorizationDetailsResponse:
        """Users, groups, roles and managed policies with their relationships, filtered
        and paged together (AWS GetAccountAuthorizationDetails)."""


def _require_strings(**values: object) -> None:
    """Native-only methods (issue 3): bad argument types are ValidationErrors, never TypeErrors."""
    for name, value in values.items():
        if not isinstance(value, str):
            raise ValidationError(f"{name} must be a string, not {type(value).__name__}.")
