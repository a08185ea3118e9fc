"""A Hypothesis state machine over users' credentials and managed policies.

The second state machine of the suite (the first, ``test_state_machine.py``,
covers users, groups and tags).  It grows the model to the credential and
policy families: access keys (and authenticating with them), login profiles,
the account password policy and ChangePassword (reuse prevention included),
virtual MFA devices enabled with real TOTP codes at the machine's clock, AWS
managed policies attached to users and permissions boundaries.

Every step runs one IAM call on an :class:`Account` and the same operation on
a plain model of the documented rules.  When the model says the call must
fail, the account must raise exactly the predicted error (and, where AWS's
text is known, its message) and leave the account untouched: ``snapshot()``
equal to before and every table of the state, indexes included, identical.
After every step the invariants check the quotas (2 access keys, 8 MFA
devices, one login profile, a password history of at most 24 covering the
reuse window), that every credential belongs to an existing user, and that
everything the API shows equals the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    MultipleResults,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from iamcore import Account, passwords
from iamcore.entities import User
from iamcore.errors import IamError
from iamcore.paging import SortedIndex
from iamcore.rules import mfa
from iamcore.testing import FAST_SCRYPT, FixedClock, seeded_entropy, totp_code

pytestmark = pytest.mark.stateful

USER_NAMES = st.sampled_from(["alice", "Alice", "bob", "carol", "Dave"])
PATHS = st.sampled_from(["/", "/eng/"])

# -- passwords ----------------------------------------------------------------------------

#: Passwords with known shapes: too short, one class, three classes, all four, symbols that
#: are not IAM symbols ('~', '.'), letters outside A–Z ('é'), spaces.
PASSWORD_POOL = [
    "Passw0rd!",
    "Passw0rd!!",
    "password",
    "PASSWORD1",
    "Sh0rt!",
    "abcdefgh",
    "Abcdefg1",
    "abc123!@#",
    "ABC123!@#xyz",
    "Tr0ub4dor&3",
    "~.~.~.~.Aa1",
    "éééééééé1A",
    "Zz9'Zz9'",
    "correct horse battery staple",
]
PASSWORDS = st.sampled_from(PASSWORD_POOL) | st.text(alphabet="aZ9!.é ", min_size=1, max_size=12)
#: ``None``: a fresh password; ``i``: the user's ``i``-th previous password (modulo history).
REUSE = st.one_of(st.none(), st.integers(min_value=0, max_value=30))

#: IAM's 20 symbols (UG "Setting an account password policy for IAM users").
SYMBOLS = set("!@#$%^&*()_+-=[]{}|'")
HISTORY_LIMIT = 24  # passwords kept per user for reuse prevention (iamcore/state.py)

POLICY_DEFAULTS: dict[str, Any] = {
    "minimum_password_length": 6,
    "require_symbols": False,
    "require_numbers": False,
    "require_uppercase_characters": False,
    "require_lowercase_characters": False,
    "allow_users_to_change_password": False,
    "max_password_age": None,
    "password_reuse_prevention": None,
    "hard_expiry": None,
}
#: A random valid UpdateAccountPasswordPolicy request.  AllowUsersToChangePassword and
#: PasswordReusePrevention are drawn for every policy (``None``: left out) so that users may
#: change their own passwords, and reuse prevention applies, in many runs.  128, the longest
#: minimum length, refuses every password the machine tries.
PASSWORD_POLICIES = st.fixed_dictionaries(
    {
        "allow_users_to_change_password": st.booleans(),
        "password_reuse_prevention": st.none()
        | st.integers(min_value=1, max_value=4)
        | st.just(24),
    },
    optional={
        "minimum_password_length": st.sampled_from([6, 8, 10, 14, 128]),
        "require_symbols": st.booleans(),
        "require_numbers": st.booleans(),
        "require_uppercase_characters": st.booleans(),
        "require_lowercase_characters": st.booleans(),
        "max_password_age": st.integers(min_value=1, max_value=1095),
        "hard_expiry": st.booleans(),
    },
).map(lambda fields: {name: value for name, value in fields.items() if value is not None})


def _classes(password: str) -> set[str]:
    found = set()
    for char in password:
        if "A" <= char <= "Z":
            found.add("upper")
        elif "a" <= char <= "z":
            found.add("lower")
        elif "0" <= char <= "9":
            found.add("number")
        elif char in SYMBOLS:
            found.add("symbol")
    return found


def _breaks_policy(password: str, policy: dict[str, Any] | None) -> bool:
    """Whether ``password`` breaks the custom policy, or AWS's default one when there is none."""
    classes = _classes(password)
    if policy is None:  # AWS default: 8 characters and three of the four classes
        return len(password) < 8 or len(classes) < 3
    required = {
        "upper": policy["require_uppercase_characters"],
        "lower": policy["require_lowercase_characters"],
        "number": policy["require_numbers"],
        "symbol": policy["require_symbols"],
    }
    missing = any(needed and name not in classes for name, needed in required.items())
    return len(password) < policy["minimum_password_length"] or missing


# -- MFA codes ----------------------------------------------------------------------------

#: (step of code 1, step of code 2) relative to the current time step.  EnableMFADevice takes
#: consecutive codes whose second is up to 4 steps behind or 1 ahead (iamcore/rules/mfa.py).
CODE_PAIRS = {
    "now": (-1, 0),
    "ahead": (0, 1),
    "stale": (-3, -2),
    "oldest": (-5, -4),
    "too old": (-6, -5),
    "swapped": (0, -1),
    "gap": (-2, 0),
}
STEP_SECONDS = 30

# -- managed policies ---------------------------------------------------------------------

AWS_POLICY = "arn:aws:iam::aws:policy/"
READ_ONLY = AWS_POLICY + "IAMReadOnlyAccess"
CHANGE_PASSWORD = AWS_POLICY + "IAMUserChangePassword"
ADMIN = AWS_POLICY + "AdministratorAccess"
MISSING_POLICY = AWS_POLICY + "NoSuchPolicy"
POLICY_ARNS = st.sampled_from([READ_ONLY, CHANGE_PASSWORD, ADMIN, MISSING_POLICY])


def _grants_change_password(arn: str | None, path: str) -> bool:
    """Whether the AWS managed policy allows iam:ChangePassword on its user.

    IAMUserChangePassword (v5) allows it on ``arn:aws:iam::*:user/${aws:username}`` and
    ``arn:aws:iam::*:user/*/${aws:username}``, which together match users at every path.
    """
    return arn in (ADMIN, CHANGE_PASSWORD)


# -- the model ------------------------------------------------------------------------------


@dataclass(eq=False)
class KeyModel:
    """One access key: its owner, status and secret."""

    owner: UserModel
    status: str
    secret: str
    last_used: datetime | None = None  # at most once every 15 minutes, to the minute


@dataclass(eq=False)
class DeviceModel:
    """One virtual MFA device: serial, seed, owner and the last time step it accepted."""

    serial: str
    name: str
    seed: bytes
    owner: UserModel | None = None
    last_step: int | None = None


@dataclass(eq=False)
class UserModel:
    """One user and everything it owns."""

    name: str
    path: str
    keys: dict[str, KeyModel] = field(default_factory=dict)  # key ID -> key, oldest first
    #: the login profile's passwords, newest last (at most 24); None: no login profile
    passwords: list[str] | None = None
    reset_required: bool = False
    devices: dict[str, DeviceModel] = field(default_factory=dict)  # lower serial -> device
    attached: set[str] = field(default_factory=set)
    boundary: str | None = None

    def delete_conflict(self) -> str | None:
        """What DeleteUser says must go first (iamcore's check order), or None."""
        owned = [
            (self.passwords is not None, "delete login profile"),
            (bool(self.devices), "remove tokens from principal"),
            (bool(self.keys), "delete access keys"),
            (bool(self.attached), "detach all policies"),
        ]
        return next((what for has, what in owned if has), None)


@dataclass(frozen=True)
class Refusal:
    """The error the model predicts: its code and, where AWS's text is known, its message."""

    code: str
    message: str | None = None


def _fingerprint(value: object) -> object:
    """A comparable copy of a state table (its entities are frozen; containers are not)."""
    if isinstance(value, dict):
        return tuple((key, _fingerprint(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return tuple(_fingerprint(item) for item in value)
    if isinstance(value, set):
        return frozenset(value)
    if isinstance(value, SortedIndex):
        return ("SortedIndex", tuple(value.keys))
    return value


def _raw_state(account: Account) -> object:
    """Every attribute of the account's state, indexes and version included (not the
    caches: the snapshot, and the path index a listing builds on first use)."""
    state = vars(account._state)
    return tuple(
        (name, _fingerprint(value))
        for name, value in sorted(state.items())
        if name not in {"_snapshot", "_snapshot_version", "user_paths"}
    )


def _no_user(name: str) -> Refusal:
    return Refusal("NoSuchEntity", f"The user with name {name} cannot be found.")


class CredentialMachine(RuleBasedStateMachine):
    """Users' access keys, console passwords, MFA devices and managed policies against a model."""

    users = Bundle("users")
    keys = Bundle("keys")
    devices = Bundle("devices")

    def __init__(self) -> None:
        super().__init__()
        self.clock = FixedClock()
        self.account = Account(clock=self.clock, entropy=seeded_entropy(3))
        self.account.password_hash_cost = FAST_SCRYPT
        self.model_users: dict[str, UserModel] = {}  # lower-case name -> user
        self.model_keys: dict[str, KeyModel] = {}  # live keys by ID
        self.secrets: dict[str, str] = {}  # every key ever created: ID -> secret
        self.model_devices: dict[str, DeviceModel] = {}  # lower serial -> device
        self.policy: dict[str, Any] | None = None
        self.account.create_user(user_name="alice")
        self.model_users["alice"] = UserModel("alice", "/")
        self.first_key_id: str = self.create_access_key("alice").values[0]
        self.create_login_profile("alice", "Passw0rd!", False)
        self.first_serial = self._create_device("mfa0", "/")

    # -- helpers ---------------------------------------------------------------------------

    def _call(self, refusal: Refusal | None, call: Callable[[], Any]) -> Any:
        """Run ``call``: it must raise ``refusal`` leaving everything as it was, or succeed."""
        before, raw = self.account.snapshot(), _raw_state(self.account)
        if refusal is None:
            return call()
        with pytest.raises(IamError) as caught:
            call()
        error = caught.value
        assert error.code == refusal.code, (error, refusal)
        if refusal.message is not None:
            assert error.message == refusal.message
        assert self.account.snapshot() == before
        assert _raw_state(self.account) == raw
        detail = (
            f" ({refusal.message})" if refusal.code in {"LimitExceeded", "DeleteConflict"} else ""
        )
        event(f"refused: {refusal.code}{detail}")
        return None

    def _user(self, name: str) -> UserModel | None:
        return self.model_users.get(name.lower())

    def _step(self) -> int:
        return int(self.clock.now().timestamp()) // STEP_SECONDS

    def _serial(self, path: str, name: str) -> str:
        return f"arn:aws:iam::{self.account.account_id}:mfa{path}{name}"

    def _change_password_refused_by(self, user: UserModel) -> str | None:
        """Which policy type refuses the user's ChangePassword, if any. Password policy's
        AllowUsersToChangePassword grants like an identity-based policy, within the boundary."""
        by_policy = self.policy is not None and self.policy["allow_users_to_change_password"]
        if not (by_policy or any(_grants_change_password(a, user.path) for a in user.attached)):
            return "identity-based policy"
        if user.boundary is not None and not _grants_change_password(user.boundary, user.path):
            return "permissions boundary"
        return None

    def _password_refusal(self, password: str, history: list[str]) -> Refusal | None:
        reuse: int | None = None
        if self.policy is not None:
            reuse = self.policy["password_reuse_prevention"]
        reused = reuse is not None and password in history[-reuse:]
        if _breaks_policy(password, self.policy) or reused:
            event("password refused: reused" if reused else "password refused: policy")
            return Refusal(
                "PasswordPolicyViolation",
                "Password does not conform to the account password policy.",
            )
        return None

    @staticmethod
    def _pick(password: str, reuse: int | None, user: UserModel | None) -> str:
        if reuse is None or user is None or not user.passwords:
            return password
        return user.passwords[-1 - reuse % len(user.passwords)]

    @staticmethod
    def _set_password(user: UserModel, password: str) -> None:
        assert user.passwords is not None
        user.passwords = [*user.passwords, password][-HISTORY_LIMIT:]

    # -- users -----------------------------------------------------------------------------

    # alice (with an access key and a console password) and an unassigned device exist from
    # the start (made in __init__, as initialize rules run in any order), so every rule has
    # something to draw

    @initialize(target=users)
    def first_user(self) -> str:
        return "alice"

    @initialize(target=keys)
    def first_key(self) -> str:
        return self.first_key_id

    @initialize(target=devices)
    def first_device(self) -> str:
        return self.first_serial

    @initialize(fields=st.none() | PASSWORD_POLICIES)
    def first_password_policy(self, fields: dict[str, Any] | None) -> None:
        """Start with AWS's default password policy or a random custom one."""
        if fields is not None:
            self.update_account_password_policy(fields)

    @rule(target=users, name=USER_NAMES, path=PATHS)
    def create_user(self, name: str, path: str) -> str:
        exists = name.lower() in self.model_users
        refusal = (
            Refusal("EntityAlreadyExists", f"User with name {name} already exists.")
            if exists
            else None
        )
        self._call(refusal, lambda: self.account.create_user(user_name=name, path=path))
        if refusal is None:
            self.model_users[name.lower()] = UserModel(name, path)
        return name

    @rule(name=users)
    def delete_user(self, name: str) -> None:
        """DeleteUser is refused while the user owns anything, naming what must go first."""
        user = self._user(name)
        refusal = None
        if user is None:
            refusal = _no_user(name)
        elif (what := user.delete_conflict()) is not None:
            refusal = Refusal("DeleteConflict", f"Cannot delete entity, must {what} first.")
        self._call(refusal, lambda: self.account.delete_user(user_name=name))
        if refusal is None:
            del self.model_users[name.lower()]
            event("user deleted")

    @rule(name=users, kinds=st.integers(min_value=0, max_value=4))
    def strip_and_delete_user(self, name: str, kinds: int) -> None:
        """Remove the first ``kinds`` kinds of what a user owns (login profile, access keys,
        MFA devices, attached policies), one call at a time, then try DeleteUser: it names
        the next kind still owned, or succeeds once all four are gone."""
        user = self._user(name)
        if user is None:
            return
        if kinds >= 1 and user.passwords is not None:
            self.delete_login_profile(name)
        if kinds >= 2:
            for key_id in list(user.keys):
                self.delete_access_key(name, key_id)
        if kinds >= 3:
            for device in list(user.devices.values()):
                self.deactivate_mfa_device(name, device.serial)
        if kinds >= 4:
            for arn in sorted(user.attached):
                self.detach_user_policy(name, arn)
            assert user.delete_conflict() is None
        self.delete_user(name)

    @rule(target=users, name=users, new_name=USER_NAMES, path=st.none() | PATHS)
    def update_user(self, name: str, new_name: str, path: str | None) -> str:
        """UpdateUser renames and/or moves a user; credentials follow (they are keyed by ID)."""
        user = self._user(name)
        refusal = None
        if user is None:
            refusal = _no_user(name)
        elif new_name.lower() in self.model_users:
            refusal = Refusal("EntityAlreadyExists", f"User with name {new_name} already exists.")
        kwargs: dict[str, Any] = {"user_name": name, "new_user_name": new_name}
        if path is not None:
            kwargs["new_path"] = path
        self._call(refusal, lambda: self.account.update_user(**kwargs))
        if refusal is None:
            assert user is not None
            del self.model_users[name.lower()]
            user.name = new_name
            user.path = user.path if path is None else path
            self.model_users[new_name.lower()] = user
        return new_name

    # -- access keys -----------------------------------------------------------------------

    @rule(target=keys, name=users)
    def create_access_key(self, name: str) -> MultipleResults[str]:
        """CreateAccessKey: at most 2 keys per user, Inactive ones included."""
        user = self._user(name)
        refusal = None
        if user is None:
            refusal = _no_user(name)
        elif len(user.keys) >= 2:
            refusal = Refusal("LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")
        created = self._call(refusal, lambda: self.account.create_access_key(user_name=name))
        if refusal is not None:
            return multiple()
        assert user is not None
        key = created.access_key
        assert key.status == "Active"
        assert key.user_name == user.name
        assert len(key.secret_access_key) == 40
        model = KeyModel(user, "Active", key.secret_access_key)
        user.keys[key.access_key_id] = model
        self.model_keys[key.access_key_id] = model
        self.secrets[key.access_key_id] = key.secret_access_key
        return multiple(key.access_key_id)

    def _key_refusal(self, name: str, key_id: str) -> Refusal | None:
        user = self._user(name)
        if user is None:
            return _no_user(name)
        if key_id not in user.keys:
            return Refusal("NoSuchEntity", f"The Access Key with id {key_id} cannot be found.")
        return None

    @rule(name=users, key_id=keys, status=st.sampled_from(["Active", "Inactive"]))
    def update_access_key(self, name: str, key_id: str, status: str) -> None:
        refusal = self._key_refusal(name, key_id)
        self._call(
            refusal,
            lambda: self.account.update_access_key(
                user_name=name, access_key_id=key_id, status=status
            ),
        )
        if refusal is None:
            self.model_keys[key_id].status = status

    @rule(name=users, key_id=keys)
    def delete_access_key(self, name: str, key_id: str) -> None:
        refusal = self._key_refusal(name, key_id)
        self._call(
            refusal, lambda: self.account.delete_access_key(user_name=name, access_key_id=key_id)
        )
        if refusal is None:
            key = self.model_keys.pop(key_id)
            del key.owner.keys[key_id]

    @rule(key_id=keys, right_secret=st.booleans())
    def authenticate(self, key_id: str, right_secret: bool) -> None:
        """A request signed with a key: only an Active key with its own secret gets in."""
        secret = self.secrets[key_id]
        if not right_secret:
            secret = secret[:-1] + ("A" if secret[-1] != "A" else "B")
        key = self.model_keys.get(key_id)
        refusal = None
        if key is None or key.status != "Active":
            refusal = Refusal("InvalidClientTokenId")
        elif not right_secret:
            refusal = Refusal("SignatureDoesNotMatch")
        caller = self._call(
            refusal,
            lambda: self.account.authenticate(access_key_id=key_id, secret_access_key=secret),
        )
        if refusal is None:
            assert key is not None
            assert (caller.user_name, caller.access_key_id) == (key.owner.name, key_id)
            now = self.clock.now()
            if key.last_used is None or now - key.last_used >= timedelta(minutes=15):
                key.last_used = now.replace(second=0)  # AWS reports key use to the minute
            event("authenticated")

    @rule(key_id=keys, wait=st.sampled_from([299, 300, 899, 900]))
    def authenticate_again(self, key_id: str, wait: int) -> None:
        """Two signed requests ``wait`` seconds apart: GetAccessKeyLastUsed records a use only
        when 15 minutes have passed since the recorded one."""
        self.authenticate(key_id, True)
        self.clock.advance(timedelta(seconds=wait))
        self.authenticate(key_id, True)

    # -- login profiles and the password policy --------------------------------------------

    @rule(name=users, password=PASSWORDS, reset=st.booleans())
    def create_login_profile(self, name: str, password: str, reset: bool) -> None:
        """CreateLoginProfile: one per user; the password passes the policy (no history yet)."""
        user = self._user(name)
        refusal = None
        if user is None:
            refusal = _no_user(name)
        elif user.passwords is not None:
            refusal = Refusal(
                "EntityAlreadyExists", f"Login Profile for user {user.name} already exists."
            )
        else:
            refusal = self._password_refusal(password, [])
        self._call(
            refusal,
            lambda: self.account.create_login_profile(
                user_name=name, password=password, password_reset_required=reset
            ),
        )
        if refusal is None:
            assert user is not None
            user.passwords = [password]
            user.reset_required = reset
            event("login profile created")

    def _profile_refusal(self, name: str) -> Refusal | None:
        user = self._user(name)
        if user is None:
            return _no_user(name)
        if user.passwords is None:
            return Refusal("NoSuchEntity", f"Login Profile for User {user.name} cannot be found.")
        return None

    @rule(
        name=users,
        password=st.none() | PASSWORDS,
        reuse=REUSE,
        reset=st.none() | st.booleans(),
    )
    def update_login_profile(
        self, name: str, password: str | None, reuse: int | None, reset: bool | None
    ) -> None:
        """UpdateLoginProfile: a new password passes the policy and reuse prevention."""
        user = self._user(name)
        refusal = self._profile_refusal(name)
        if password is not None:
            password = self._pick(password, reuse, user)
            if refusal is None:
                assert user is not None
                assert user.passwords is not None
                refusal = self._password_refusal(password, user.passwords)
        kwargs: dict[str, Any] = {"user_name": name}
        if password is not None:
            kwargs["password"] = password
        if reset is not None:
            kwargs["password_reset_required"] = reset
        self._call(refusal, lambda: self.account.update_login_profile(**kwargs))
        if refusal is None:
            assert user is not None
            if password is not None:
                self._set_password(user, password)
                event("password updated by an administrator")
            if reset is not None:
                user.reset_required = reset

    @rule(name=users)
    def delete_login_profile(self, name: str) -> None:
        """DeleteLoginProfile: the password history goes with the profile."""
        refusal = self._profile_refusal(name)
        self._call(refusal, lambda: self.account.delete_login_profile(user_name=name))
        if refusal is None:
            user = self._user(name)
            assert user is not None
            user.passwords = None
            user.reset_required = False

    def _change_password(self, name: str, old_right: bool, new: str) -> None:
        user = self._user(name)
        old = "Passw0rd!x"
        if user is not None and user.passwords:
            old = user.passwords[-1] if old_right else user.passwords[-1] + "x"
        refusal = None
        if user is None:
            refusal = _no_user(name)  # acting_as refuses a user that does not exist
        elif (refused_by := self._change_password_refused_by(user)) is not None:
            arn = f"arn:aws:iam::{self.account.account_id}:user{user.path}{user.name}"
            refusal = Refusal(
                "AccessDenied",
                f"User: {arn} is not authorized to perform: iam:ChangePassword on resource: "
                f"user {user.name} because no {refused_by} allows the iam:ChangePassword action",
            )
        elif user.passwords is None:
            refusal = Refusal(
                "NoSuchEntity", f"Login Profile for User {user.name} cannot be found."
            )
        elif not old_right:
            refusal = Refusal("AccessDenied", "The old password is incorrect.")
        else:
            refusal = self._password_refusal(new, user.passwords)
            if refusal is None and new == old:  # recorded from AWS, 2026 (message: iamcore's)
                refusal = Refusal(
                    "AccessDenied", "The new password must be different from the current password."
                )

        def call() -> None:
            with self.account.acting_as(name):
                self.account.change_password(old_password=old, new_password=new)

        self._call(refusal, call)
        if refusal is None:
            assert user is not None
            self._set_password(user, new)
            user.reset_required = False
            event("password changed by the user")

    @rule(name=users, old_right=st.booleans(), password=PASSWORDS, reuse=REUSE)
    def change_password(
        self, name: str, old_right: bool, password: str, reuse: int | None
    ) -> None:
        """ChangePassword as the user: permission, profile, old password, then the policy."""
        self._change_password(name, old_right, self._pick(password, reuse, self._user(name)))

    @precondition(lambda self: any(u.passwords for u in self.model_users.values()))
    @rule(data=st.data(), password=PASSWORDS, reuse=REUSE)
    def change_own_password(self, data: st.DataObject, password: str, reuse: int | None) -> None:
        """ChangePassword by a user who has a console password, with the right old password."""
        names = sorted(u.name for u in self.model_users.values() if u.passwords)
        name = data.draw(st.sampled_from(names), label="user")
        self._change_password(name, True, self._pick(password, reuse, self._user(name)))

    @rule(fields=PASSWORD_POLICIES)
    def update_account_password_policy(self, fields: dict[str, Any]) -> None:
        """UpdateAccountPasswordPolicy replaces the whole policy; omitted fields take defaults."""
        self._call(None, lambda: self.account.update_account_password_policy(**fields))
        self.policy = {**POLICY_DEFAULTS, **fields}

    @rule()
    def delete_account_password_policy(self) -> None:
        refusal = None
        if self.policy is None:
            refusal = Refusal(
                "NoSuchEntity", "The account policy with name PasswordPolicy cannot be found."
            )
        self._call(refusal, self.account.delete_account_password_policy)
        self.policy = None

    # -- virtual MFA devices -----------------------------------------------------------------

    def _create_device(self, name: str, path: str) -> str:
        serial = self._serial(path, name)
        taken = any(d.name.lower() == name.lower() for d in self.model_devices.values())
        refusal = Refusal("EntityAlreadyExists", "MFA device already exists.") if taken else None
        created = self._call(
            refusal,
            lambda: self.account.create_virtual_mfa_device(
                virtual_mfa_device_name=name, path=path
            ),
        )
        if refusal is None:
            device = created.virtual_mfa_device
            assert device.serial_number == serial
            self.model_devices[serial.lower()] = DeviceModel(
                serial, name, device.base32_string_seed
            )
        return serial

    @rule(
        target=devices,
        name=st.sampled_from([f"mfa{i}" for i in range(10)] + ["MFA0", "Mfa3"]),
        path=PATHS,
    )
    def create_virtual_mfa_device(self, name: str, path: str) -> str:
        """CreateVirtualMFADevice: names are unique in the account ignoring case."""
        return self._create_device(name, path)

    @precondition(lambda self: len(self.model_devices) < 9)
    @rule(target=devices)
    def create_nine_devices(self) -> MultipleResults[str]:
        """Enough devices for one user to reach the quota of 8 and try a ninth."""
        created = []
        for i in range(10):
            name = f"mfa{i}"
            taken = any(d.name.lower() == name for d in self.model_devices.values())
            if not taken and len(self.model_devices) < 9:
                created.append(self._create_device(name, "/"))
        return multiple(*created)

    def _enable(self, name: str, serial: str, pair: str) -> None:
        user = self._user(name)
        device = self.model_devices.get(serial.lower())
        first, second = CODE_PAIRS[pair]
        step = self._step() + second
        seed = device.seed if device is not None else b"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        codes = (totp_code(seed, self.clock, first), totp_code(seed, self.clock, second))
        refusal = None
        if user is None:
            refusal = _no_user(name)
        elif device is None:
            refusal = Refusal(
                "NoSuchEntity", f"MFA Device with serial number {serial} does not exist."
            )
        elif device.owner is user:
            refusal = Refusal(
                "EntityAlreadyExists", f"MFA Device for user {user.name} already exists."
            )
        elif device.owner is not None:
            refusal = Refusal("EntityAlreadyExists", "MFA Device is already in use.")
        elif len(user.devices) >= 8:
            refusal = Refusal("LimitExceeded", "Cannot exceed quota for MFADevicesPerUser: 8")
        elif (
            # every pair here is well inside the recorded window (-998..+1000 around the
            # device's drift); code 1 must be newer than the last accepted step (recorded
            # from AWS, 2026: a pair may not reuse the previous pair's code 2)
            first != second - 1 or (device.last_step is not None and step - 1 <= device.last_step)
        ):
            if device.last_step is not None and step - 1 <= device.last_step:
                event("enable refused: code already used")
            refusal = Refusal(
                "InvalidAuthenticationCode", "Authentication code for device is not valid."
            )
        self._call(
            refusal,
            lambda: self.account.enable_mfa_device(
                user_name=name,
                serial_number=serial,
                authentication_code1=codes[0],
                authentication_code2=codes[1],
            ),
        )
        if refusal is None:
            assert user is not None
            assert device is not None
            device.owner = user
            device.last_step = step
            user.devices[serial.lower()] = device
            event("MFA device enabled")

    @rule(name=users, serial=devices, pair=st.sampled_from(sorted(CODE_PAIRS)))
    def enable_mfa_device(self, name: str, serial: str, pair: str) -> None:
        """EnableMFADevice with real codes from the seed at the clock; no code accepted twice."""
        self._enable(name, serial, pair)

    @precondition(
        lambda self: self.model_users and any(d.owner is None for d in self.model_devices.values())
    )
    @rule(data=st.data(), pair=st.sampled_from(sorted(CODE_PAIRS)))
    def enable_unassigned_device(self, data: st.DataObject, pair: str) -> None:
        """EnableMFADevice for an existing user and an unassigned device."""
        name = data.draw(st.sampled_from(sorted(u.name for u in self.model_users.values())))
        serials = sorted(d.serial for d in self.model_devices.values() if d.owner is None)
        self._enable(name, data.draw(st.sampled_from(serials), label="device"), pair)

    @precondition(lambda self: len(self.model_devices) >= 9)
    @rule(name=users)
    def enable_every_device(self, name: str) -> None:
        """Enable every unassigned device for one user: the ninth is over the quota of 8."""
        for device in list(self.model_devices.values()):
            if device.owner is None:
                self._enable(name, device.serial, "now")

    @precondition(lambda self: any(d.owner for d in self.model_devices.values()))
    @rule(data=st.data(), wait=st.sampled_from([0, 29, 30]))
    def deactivate_and_reenable(self, data: st.DataObject, wait: int) -> None:
        """Deactivate a device and enable it again with the current codes: refused as a
        replay unless a new 30-second step has begun since the codes it last accepted."""
        serials = sorted(d.serial for d in self.model_devices.values() if d.owner)
        serial = data.draw(st.sampled_from(serials), label="device")
        owner = self.model_devices[serial.lower()].owner
        assert owner is not None
        self.deactivate_mfa_device(owner.name, serial)
        self.clock.advance(timedelta(seconds=wait))
        self._enable(owner.name, serial, "now")

    @rule(name=users, serial=devices)
    def deactivate_mfa_device(self, name: str, serial: str) -> None:
        user = self._user(name)
        device = self.model_devices.get(serial.lower())
        refusal = None
        if user is None:
            refusal = _no_user(name)
        elif device is None:
            refusal = Refusal(
                "NoSuchEntity", f"MFA Device with serial number {serial} does not exist."
            )
        elif device.owner is not user:
            refusal = Refusal("NoSuchEntity", "MFA Device invalid for user.")
        self._call(
            refusal,
            lambda: self.account.deactivate_mfa_device(user_name=name, serial_number=serial),
        )
        if refusal is None:
            assert user is not None
            assert device is not None
            device.owner = None
            del user.devices[serial.lower()]

    @rule(serial=devices)
    def delete_virtual_mfa_device(self, serial: str) -> None:
        device = self.model_devices.get(serial.lower())
        refusal = None
        if device is None:
            refusal = Refusal(
                "NoSuchEntity", f"MFA Device with serial number {serial} does not exist."
            )
        elif device.owner is not None:
            refusal = Refusal("DeleteConflict", "MFA VirtualDevice in use. Must deactivate first.")
        self._call(refusal, lambda: self.account.delete_virtual_mfa_device(serial_number=serial))
        if refusal is None:
            del self.model_devices[serial.lower()]

    @rule(seconds=st.sampled_from([1, 15, 29, 30, 31, 60, 95, 300, 899, 900, 3600]))
    def advance_clock(self, seconds: int) -> None:
        """Time passes: new TOTP codes (a code is accepted once, so enabling needs a new step)."""
        self.clock.advance(timedelta(seconds=seconds))

    # -- managed policies and permissions boundaries ---------------------------------------

    @rule(name=users, arn=POLICY_ARNS)
    def attach_user_policy(self, name: str, arn: str) -> None:
        """AttachUserPolicy: an AWS managed policy; attaching twice changes nothing."""
        user = self._user(name)
        refusal = None
        if user is None:
            refusal = _no_user(name)
        elif arn == MISSING_POLICY:
            refusal = Refusal("NoSuchEntity", f"Policy {arn} does not exist or is not attachable.")
        self._call(
            refusal, lambda: self.account.attach_user_policy(user_name=name, policy_arn=arn)
        )
        if refusal is None:
            assert user is not None
            user.attached.add(arn)

    @rule(name=users, arn=POLICY_ARNS)
    def detach_user_policy(self, name: str, arn: str) -> None:
        user = self._user(name)
        refusal = None
        if user is None:
            refusal = _no_user(name)
        elif arn not in user.attached:
            refusal = Refusal("NoSuchEntity", f"Policy {arn} was not found.")
        self._call(
            refusal, lambda: self.account.detach_user_policy(user_name=name, policy_arn=arn)
        )
        if refusal is None:
            assert user is not None
            user.attached.discard(arn)

    @rule(name=users, arn=POLICY_ARNS)
    def put_user_permissions_boundary(self, name: str, arn: str) -> None:
        """PutUserPermissionsBoundary sets or replaces the user's one boundary."""
        user = self._user(name)
        refusal = None
        if user is None:
            refusal = _no_user(name)
        elif arn == MISSING_POLICY:
            refusal = Refusal(
                "NoSuchEntity", f"Scope ARN: {arn} does not exist or is not attachable."
            )
        self._call(
            refusal,
            lambda: self.account.put_user_permissions_boundary(
                user_name=name, permissions_boundary=arn
            ),
        )
        if refusal is None:
            assert user is not None
            user.boundary = arn
            event("permissions boundary set")

    @rule(name=users)
    def delete_user_permissions_boundary(self, name: str) -> None:
        user = self._user(name)
        refusal = _no_user(name) if user is None else None
        if user is not None and user.boundary is None:  # recorded from AWS, 2026
            refusal = Refusal(
                "NoSuchEntity", f"The user with name {user.name} has no permissions boundary."
            )
        self._call(refusal, lambda: self.account.delete_user_permissions_boundary(user_name=name))
        if user is not None:
            user.boundary = None

    # -- invariants ------------------------------------------------------------------------

    @invariant()
    def quotas_hold(self) -> None:
        """≤ 2 access keys and ≤ 8 MFA devices per user, at most one login profile each."""
        tables = self.account.snapshot().tables
        for user_id, key_ids in tables["user_access_keys"].items():
            assert 1 <= len(key_ids) <= 2, user_id
        for user_id, serials in tables["user_mfa_devices"].items():
            assert 1 <= len(serials) <= 8, user_id
        for user_id, profile in tables["login_profiles"].items():
            assert profile.user_id == user_id  # one profile per user: keyed by the user
        for user in self.model_users.values():
            assert len(self.account.list_access_keys(user_name=user.name).access_key_metadata) <= 2
            assert len(self.account.list_mfa_devices(user_name=user.name).mfa_devices) <= 8

    @invariant()
    def password_history_bounded(self) -> None:
        """The stored history holds the user's last passwords: ≤ 24, covering the reuse window."""
        tables = self.account.snapshot().tables
        by_id = {tables["users"][uid].user_name.lower(): uid for uid in tables["users"]}
        window = self.policy["password_reuse_prevention"] if self.policy is not None else None
        for lowered, user in self.model_users.items():
            profile = tables["login_profiles"].get(by_id[lowered])
            assert (profile is None) == (user.passwords is None)
            if profile is None or user.passwords is None:
                continue
            history = profile.history
            assert 1 <= len(history) <= HISTORY_LIMIT
            assert len(history) == len(user.passwords)
            if window:
                assert len(history) >= min(window, len(user.passwords))
            assert history[-1] == profile.password_hash
            for stored, password in zip(history, user.passwords, strict=True):
                assert passwords.verify_password(password, stored)

    @invariant()
    def credentials_have_owners(self) -> None:
        """Every key, profile, enabled device and attachment belongs to an existing user."""
        tables = self.account.snapshot().tables
        users = tables["users"]
        for key_id, key in tables["access_keys"].items():
            assert key.user_id in users
            assert key_id in tables["user_access_keys"][key.user_id]
        for user_id, key_ids in tables["user_access_keys"].items():
            assert user_id in users
            assert all(tables["access_keys"][k].user_id == user_id for k in key_ids)
        assert all(user_id in users for user_id in tables["login_profiles"])
        for serial, device in tables["virtual_mfa_devices"].items():
            if device.user_id is not None:
                assert device.user_id in users
                assert serial in tables["user_mfa_devices"][device.user_id]
        for user_id, serials in tables["user_mfa_devices"].items():
            assert user_id in users
            assert all(tables["virtual_mfa_devices"][s].user_id == user_id for s in serials)
        for user_id, arns in tables["user_attached_policies"].items():
            assert user_id in users
            assert all(user_id in tables["policy_users"][arn] for arn in arns)

    @invariant()
    def account_matches_model(self) -> None:
        """What the API shows equals the model, user by user."""
        listed = self.account.list_users(max_items=1000).users
        assert sorted((u.user_name, u.path) for u in listed) == sorted(
            (u.name, u.path) for u in self.model_users.values()
        )
        for user in self.model_users.values():
            name = user.name
            keys = self.account.list_access_keys(user_name=name).access_key_metadata
            assert [(k.access_key_id, k.status, k.user_name) for k in keys] == [
                (key_id, key.status, name) for key_id, key in user.keys.items()
            ]
            for key_id, key in user.keys.items():
                used = self.account.get_access_key_last_used(access_key_id=key_id)
                assert used.user_name == name
                assert used.access_key_last_used.last_used_date == key.last_used
            if user.passwords is None:
                with pytest.raises(IamError) as caught:
                    self.account.get_login_profile(user_name=name)
                assert caught.value.code == "NoSuchEntity"
            else:
                profile = self.account.get_login_profile(user_name=name).login_profile
                assert (profile.user_name, profile.password_reset_required) == (
                    name,
                    user.reset_required,
                )
            enabled = self.account.list_mfa_devices(user_name=name).mfa_devices
            assert sorted(d.serial_number for d in enabled) == sorted(
                d.serial for d in user.devices.values()
            )
            assert all(d.user_name == name for d in enabled)
            attached = self.account.list_attached_user_policies(user_name=name)
            assert {p.policy_arn for p in attached.attached_policies} == user.attached
            shown = self.account.get_user(user_name=name).user
            assert isinstance(shown, User)
            boundary = shown.permissions_boundary
            if user.boundary is None:
                assert boundary is None
            else:
                assert boundary is not None
                assert boundary.permissions_boundary_arn == user.boundary
                assert boundary.permissions_boundary_type == "Policy"

    @invariant()
    def devices_and_policy_match(self) -> None:
        """ListVirtualMFADevices and GetAccountPasswordPolicy equal the model."""
        listed = self.account.list_virtual_mfa_devices(max_items=1000).virtual_mfa_devices
        shown = {d.serial_number: d.user.user_name if d.user else None for d in listed}
        assert shown == {
            d.serial: d.owner.name if d.owner else None for d in self.model_devices.values()
        }
        assert all(d.base32_string_seed is None and d.qr_code_png is None for d in listed)
        if self.policy is None:
            with pytest.raises(IamError) as caught:
                self.account.get_account_password_policy()
            assert caught.value.code == "NoSuchEntity"
        else:
            policy = self.account.get_account_password_policy().password_policy
            for name, value in self.policy.items():
                assert getattr(policy, name) == value, name
            assert policy.expire_passwords == (self.policy["max_password_age"] is not None)


def _stub_qr_code_png(text: str) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + text.encode("ascii")


def test_credential_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys, console passwords, MFA devices and managed policies keep AWS's rules and quotas.

    Drawing a device's QR code (segno, ~10 ms, covered by test_mfa.py) is replaced by a stub
    so the machine's time goes to the rules.
    """
    monkeypatch.setattr(mfa, "qr_code_png", _stub_qr_code_png)
    run_state_machine_as_test(
        CredentialMachine,
        settings=settings(max_examples=300, stateful_step_count=60, deadline=None),
    )
