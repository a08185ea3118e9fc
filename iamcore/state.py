"""The mutable inside of an :class:`~iamcore.Account` and its immutable snapshot.

Entities are frozen; the state is a set of dictionaries of them, keyed by
the entity's unique ID (which survives renames, AWS "IAM identifiers"), plus
case-insensitive name indexes, because IAM names are unique ignoring case.
Only the rules in :mod:`iamcore.rules` change it, under the account's lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

import attrs

from iamcore.entities import (
    AccessReport,
    CredentialReportRecord,
    Group,
    InlinePolicy,
    ManagedPolicy,
    PasswordPolicy,
    RootCredentials,
    ServiceAccess,
    SigningCertificate,
    StoredAccessKey,
    StoredLoginProfile,
    StoredServiceSpecificCredential,
    StoredSSHPublicKey,
    StoredVirtualMFADevice,
    User,
)
from iamcore.ids import Entropy
from iamcore.paging import SortedIndex
from iamcore.passwords import ScryptCost

__all__ = ["AccountSnapshot", "AccountState", "Context"]


@attrs.frozen
class Context:
    """What a rule needs besides the state: the account, the time and randomness."""

    account_id: str
    now: datetime
    entropy: Entropy
    #: the user ID of the IAM user making the call, or ``None`` for the root
    #: user / an administrator (native calls, and mock calls not signed with
    #: one of the account's access keys)
    caller: str | None = None
    #: when the calling user's session was authenticated with MFA
    #: (``Account.acting_as(..., mfa_authenticated=True)``), ``None`` for none (and
    #: always for long-term access keys)
    mfa_since: datetime | None = None

    @property
    def mfa_authenticated(self) -> bool:
        """Whether the call is made in a session authenticated with MFA."""
        return self.mfa_since is not None


def _freeze(value: object) -> object:
    if isinstance(value, dict):
        return MappingProxyType({key: _freeze(item) for key, item in value.items()})
    if isinstance(value, list | set):
        return tuple(_freeze(item) for item in value)
    return value


@attrs.frozen(hash=False)
class AccountSnapshot:
    """An immutable value of a whole account, comparable with ``==``.

    ``tables`` maps each state table name (``users``, ``groups``,
    ``group_members``, …) to a read-only mapping of frozen entities, keyed by
    unique ID.  Two accounts built by the same calls with the same clock and
    entropy have equal snapshots.
    """

    account_id: str
    created: datetime
    tables: Mapping[str, Any]

    @property
    def users(self) -> Mapping[str, User]:
        """Users by user ID."""
        users: Mapping[str, User] = self.tables["users"]
        return users

    @property
    def groups(self) -> Mapping[str, Group]:
        """Groups by group ID."""
        groups: Mapping[str, Group] = self.tables["groups"]
        return groups

    def user_named(self, name: str) -> User | None:
        """Return the user called ``name`` (ignoring case), if any."""
        lowered = name.lower()
        return next((u for u in self.users.values() if u.user_name.lower() == lowered), None)

    def __hash__(self) -> int:
        return hash((self.account_id, self.created, tuple(self.tables)))


class AccountState:
    """Every table of one account.  Not thread-safe by itself: the Account locks."""

    #: tables copied into snapshots; each family adds its own
    TABLES: tuple[str, ...] = (
        "users",
        "groups",
        "group_members",
        "access_keys",
        "user_access_keys",
        "login_profiles",
        "password_policy",
        "policies",
        "user_attached_policies",
        "group_attached_policies",
        "policy_users",
        "policy_groups",
        "user_inline_policies",
        "group_inline_policies",
        "virtual_mfa_devices",
        "user_mfa_devices",
        "ssh_public_keys",
        "user_ssh_public_keys",
        "service_specific_credentials",
        "user_service_specific_credentials",
        "signing_certificates",
        "root_credentials",
        "credential_report",
        "account_aliases",
        "service_access",
        "action_access",
        "access_reports",
    )

    def __init__(self, account_id: str, created: datetime) -> None:
        self.account_id = account_id
        self.created = created
        self.version = 0
        self.users: dict[str, User] = {}
        #: policy ARN -> how many users have it as their permissions boundary
        #: (kept by CreateUser, Put/DeleteUserPermissionsBoundary and DeleteUser)
        self.boundary_counts: dict[str, int] = {}
        self.user_ids: dict[str, str] = {}  # lower-case name -> user ID
        self.user_index = SortedIndex()  # lower-case names, for ListUsers order
        #: path -> lower-case names of the users with exactly that path (ListUsers with a
        #: PathPrefix); ``None`` until first needed (see rules.users.path_index), a cache
        #: that is neither persisted nor part of snapshots
        self.user_paths: dict[str, SortedIndex] | None = None
        self.groups: dict[str, Group] = {}
        self.group_ids: dict[str, str] = {}
        self.group_index = SortedIndex()
        self.group_members: dict[str, dict[str, None]] = {}  # group ID -> user IDs
        self.user_groups: dict[str, dict[str, None]] = {}  # user ID -> group IDs
        # -- access keys and console passwords (issue 3; iamcore/rules/access_keys.py,
        # login_profiles.py, password_policy.py) --
        self.access_keys: dict[str, StoredAccessKey] = {}  # access key ID -> key
        self.user_access_keys: dict[str, tuple[str, ...]] = {}  # user ID -> key IDs, oldest first
        self.login_profiles: dict[str, StoredLoginProfile] = {}  # user ID -> console password
        self.password_policy: PasswordPolicy | None = None  # None: no custom policy
        self.password_hash_cost: ScryptCost | None = None  # None: passwords.default_cost()
        self.enforce_default_password_policy = True  # AWS's default policy when none is set
        # -- managed and inline policies (issue 4; iamcore/rules/policies.py,
        # inline_policies.py, boundaries.py); AWS managed policies are built in
        # (iamcore.aws_managed_policies) and not stored --
        self.policies: dict[str, ManagedPolicy] = {}  # policy ID -> customer managed policy
        self.policy_arns: dict[str, str] = {}  # lower-case ARN -> policy ID
        self.policy_names: dict[str, str] = {}  # lower-case name -> policy ID
        self.policy_index = SortedIndex()  # lower-case names, for ListPolicies order
        self.user_attached_policies: dict[str, dict[str, None]] = {}  # user ID -> policy ARNs
        self.group_attached_policies: dict[str, dict[str, None]] = {}  # group ID -> ARNs
        self.policy_users: dict[str, dict[str, None]] = {}  # policy ARN -> user IDs
        self.policy_groups: dict[str, dict[str, None]] = {}  # policy ARN -> group IDs
        # user/group ID -> lower-case policy name -> inline policy
        self.user_inline_policies: dict[str, dict[str, InlinePolicy]] = {}
        self.group_inline_policies: dict[str, dict[str, InlinePolicy]] = {}
        # -- MFA devices, SSH public keys, service-specific credentials (issue 3;
        # iamcore/rules/mfa.py, ssh_keys.py, service_credentials.py) --
        # lower-case serial number -> virtual MFA device (assigned or not)
        self.virtual_mfa_devices: dict[str, StoredVirtualMFADevice] = {}
        self.virtual_mfa_names: dict[str, str] = {}  # lower-case device name -> lower serial
        self.virtual_mfa_index = SortedIndex()  # lower-case serials, ListVirtualMFADevices order
        # user ID -> lower-case serials of the MFA devices enabled for the user, in
        # enable order; a user with no device has no entry ("MFA active" = has an entry)
        self.user_mfa_devices: dict[str, dict[str, None]] = {}
        self.ssh_public_keys: dict[str, StoredSSHPublicKey] = {}  # SSH key ID -> key
        self.user_ssh_public_keys: dict[str, dict[str, None]] = {}  # user ID -> key IDs
        # credential ID -> credential; user ID -> credential IDs (oldest first)
        self.service_specific_credentials: dict[str, StoredServiceSpecificCredential] = {}
        self.user_service_specific_credentials: dict[str, dict[str, None]] = {}
        # -- credential report, signing certificates, root user (issue 5;
        # iamcore/rules/report.py, signing_certificates.py, iamcore/root.py) --
        # user ID -> certificate ID -> certificate, in upload order;
        # certificate ID -> user ID; SHA-256 of the DER certificate -> certificate ID
        self.signing_certificates: dict[str, dict[str, SigningCertificate]] = {}
        self.signing_certificate_owners: dict[str, str] = {}
        self.signing_certificate_digests: dict[str, str] = {}
        self.root_credentials = RootCredentials()
        self.credential_report: CredentialReportRecord | None = None  # the one stored report
        # -- account summary, aliases, authorization details (iamcore/rules/account.py) --
        self.account_aliases: dict[str, None] = {}  # the account alias (AWS: at most one)
        # -- service last accessed data (iamcore/rules/access_advisor.py) --
        # user ID -> namespace, or "namespace:Action" -> latest authenticated attempt
        self.service_access: dict[str, dict[str, ServiceAccess]] = {}
        self.action_access: dict[str, dict[str, ServiceAccess]] = {}
        self.access_reports: dict[str, AccessReport] = {}  # job ID -> report
        self._snapshot: AccountSnapshot | None = None
        self._snapshot_version = -1

    def snapshot(self) -> AccountSnapshot:
        """Return an immutable copy; reused while nothing has changed."""
        if self._snapshot is None or self._snapshot_version != self.version:
            tables = {name: _freeze(getattr(self, name)) for name in self.TABLES}
            self._snapshot = AccountSnapshot(
                self.account_id, self.created, MappingProxyType(tables)
            )
            self._snapshot_version = self.version
        return self._snapshot
