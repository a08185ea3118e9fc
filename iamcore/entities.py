"""Immutable IAM entities (frozen attrs classes).

Each class mirrors the service model shape of the same name: its fields are
the snake_case of the shape's members, so an entity is also the value the
native API returns.  Entities hold single-entity invariants only; rules that
span entities (unique names, quotas, delete conflicts) live in
:mod:`iamcore.rules`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs

from iamcore.passwords import PasswordHash

__all__ = [
    "AccessKey",
    "AccessKeyLastUsed",
    "AccessKeyMetadata",
    "AccessReport",
    "AttachedPermissionsBoundary",
    "AttachedPolicy",
    "CredentialReportRecord",
    "Group",
    "GroupDetail",
    "InlinePolicy",
    "LoginProfile",
    "MFADevice",
    "ManagedPolicy",
    "ManagedPolicyDetail",
    "PasswordPolicy",
    "Policy",
    "PolicyDetail",
    "PolicyGroup",
    "PolicyUser",
    "PolicyVersion",
    "ReportedEntity",
    "RootAccessKey",
    "RootCredentials",
    "SSHPublicKey",
    "SSHPublicKeyMetadata",
    "ServiceAccess",
    "ServiceSpecificCredential",
    "ServiceSpecificCredentialMetadata",
    "SigningCertificate",
    "StoredAccessKey",
    "StoredLoginProfile",
    "StoredSSHPublicKey",
    "StoredServiceSpecificCredential",
    "StoredVirtualMFADevice",
    "Tag",
    "User",
    "UserDetail",
    "VirtualMFADevice",
]


@attrs.frozen
class Tag:
    """A key/value tag (AWS ``Tag``)."""

    key: str
    value: str


@attrs.frozen
class AttachedPermissionsBoundary:
    """The permissions boundary set on a user (AWS ``AttachedPermissionsBoundary``).

    AWS answers ``Policy`` for the type even though the model's enum says
    ``PermissionsBoundaryPolicy`` (awsdocs/iam-user-guide#82).
    """

    permissions_boundary_arn: str
    permissions_boundary_type: str = "Policy"


@attrs.frozen
class User:
    """An IAM user (AWS ``User``)."""

    path: str
    user_name: str
    user_id: str
    arn: str
    create_date: datetime
    password_last_used: datetime | None = None
    permissions_boundary: AttachedPermissionsBoundary | None = None
    tags: tuple[Tag, ...] = ()


@attrs.frozen
class Group:
    """An IAM user group (AWS ``Group``)."""

    path: str
    group_name: str
    group_id: str
    arn: str
    create_date: datetime


# -- access keys and console passwords (issue 3) -------------------------------


@attrs.frozen
class AccessKeyLastUsed:
    """When, where and for which service an access key was last used (AWS ``AccessKeyLastUsed``).

    A key never used answers ``ServiceName`` and ``Region`` ``"N/A"`` and no date.
    """

    service_name: str = "N/A"
    region: str = "N/A"
    last_used_date: datetime | None = None


#: What GetAccessKeyLastUsed reports for a key that was never used.
NEVER_USED = AccessKeyLastUsed()


@attrs.frozen
class StoredAccessKey:
    """An access key as the account keeps it (state table ``access_keys``).

    The secret itself is never kept: only its SHA-256 digest, enough to check
    a presented secret in constant time (the secret has 240 random bits, so a
    fast digest is safe).  ``user_id`` (not the name) ties the key to its
    owner, so a renamed user keeps their keys.
    """

    access_key_id: str
    user_id: str
    status: str  # "Active" or "Inactive"
    create_date: datetime
    secret_digest: bytes | None = attrs.field(repr=False)
    last_used: AccessKeyLastUsed = NEVER_USED


@attrs.frozen
class AccessKey:
    """A new access key with its secret (AWS ``AccessKey``): only CreateAccessKey returns it."""

    user_name: str
    access_key_id: str
    status: str
    secret_access_key: str = attrs.field(repr=False)
    create_date: datetime


@attrs.frozen
class AccessKeyMetadata:
    """An access key without its secret (AWS ``AccessKeyMetadata``), as ListAccessKeys lists it."""

    user_name: str
    access_key_id: str
    status: str
    create_date: datetime


def _hash_history(
    value: Iterable[PasswordHash | None] | None,
) -> tuple[PasswordHash | None, ...]:
    # a state file saved without secrets has no history (null): start afresh
    return () if value is None else tuple(value)


@attrs.frozen
class StoredLoginProfile:
    """A user's console password as the account keeps it (state table ``login_profiles``).

    ``password_hash`` is a salted Scrypt hash (never the password);
    ``history`` holds the hashes of the user's recent passwords, newest last,
    the current one included (at most :data:`iamcore.passwords.HISTORY_LIMIT`),
    for PasswordReusePrevention.  ``password_last_changed`` starts MaxPasswordAge.
    ``max_signin_session_duration`` is the user's MaxSigninSessionDuration.
    """

    user_id: str
    create_date: datetime
    password_last_changed: datetime
    password_reset_required: bool
    password_hash: PasswordHash | None = attrs.field(repr=False)
    history: tuple[PasswordHash | None, ...] = attrs.field(
        repr=False, default=(), converter=_hash_history
    )
    #: seconds (3600–7776000) a console session may last; ``None``: unset
    max_signin_session_duration: int | None = None


@attrs.frozen
class LoginProfile:
    """A user's console-password settings (AWS ``LoginProfile``): never the password."""

    user_name: str
    create_date: datetime
    password_reset_required: bool = False
    max_signin_session_duration: int | None = None


@attrs.frozen
class PasswordPolicy:
    """The account password policy (AWS ``PasswordPolicy``).

    ``max_password_age`` and ``password_reuse_prevention`` are ``None`` when
    off (AWS omits them); ``hard_expiry`` is ``None`` when it was not given
    (AWS omits it).  ``expire_passwords`` is derived: ``MaxPasswordAge > 0``.
    """

    minimum_password_length: int = 6
    require_symbols: bool = False
    require_numbers: bool = False
    require_uppercase_characters: bool = False
    require_lowercase_characters: bool = False
    allow_users_to_change_password: bool = False
    max_password_age: int | None = None
    password_reuse_prevention: int | None = None
    hard_expiry: bool | None = None

    @property
    def expire_passwords(self) -> bool:
        """Whether passwords expire (``MaxPasswordAge`` is set)."""
        return bool(self.max_password_age)


# -- MFA devices, SSH public keys, service-specific credentials (issue 3) -------


@attrs.frozen
class StoredVirtualMFADevice:
    """A virtual MFA device as the account keeps it (state table ``virtual_mfa_devices``).

    ``seed`` is the base32 TOTP secret: kept because codes are checked
    against it, never shown (``repr=False``) and never returned after
    CreateVirtualMFADevice.  ``user_id`` is the user it is enabled for
    (``None``: unassigned).  ``drift`` is the device's clock offset in 30-second
    steps, learnt when it was enabled or resynchronised; ``last_step`` is the
    latest time step whose code was accepted, so no code is accepted twice.
    """

    serial_number: str
    path: str
    name: str
    create_date: datetime
    seed: str | None = attrs.field(repr=False)  # None only in a redacted state file
    user_id: str | None = None
    enable_date: datetime | None = None
    tags: tuple[Tag, ...] = ()
    drift: int = 0
    last_step: int | None = None


@attrs.frozen
class VirtualMFADevice:
    """A virtual MFA device (AWS ``VirtualMFADevice``).

    ``base32_string_seed`` (the ASCII base32 text of the secret) and
    ``qr_code_png`` are bytes, as boto3 returns them, and only
    CreateVirtualMFADevice fills them in.
    """

    serial_number: str
    base32_string_seed: bytes | None = attrs.field(default=None, repr=False)
    qr_code_png: bytes | None = attrs.field(default=None, repr=False)
    user: User | None = None
    enable_date: datetime | None = None
    tags: tuple[Tag, ...] = ()


@attrs.frozen
class MFADevice:
    """An MFA device enabled for a user (AWS ``MFADevice``), as ListMFADevices lists it."""

    user_name: str
    serial_number: str
    enable_date: datetime


@attrs.frozen
class StoredSSHPublicKey:
    """An SSH public key as the account keeps it (state table ``ssh_public_keys``).

    ``body`` is the key as uploaded (surrounding whitespace removed);
    ``user_id`` ties it to its owner across renames.
    """

    ssh_public_key_id: str
    user_id: str
    fingerprint: str
    body: str
    status: str  # "Active" or "Inactive"
    upload_date: datetime


@attrs.frozen
class SSHPublicKey:
    """An SSH public key with its body (AWS ``SSHPublicKey``)."""

    user_name: str
    ssh_public_key_id: str
    fingerprint: str
    ssh_public_key_body: str
    status: str
    upload_date: datetime | None = None


@attrs.frozen
class SSHPublicKeyMetadata:
    """An SSH public key without its body (AWS ``SSHPublicKeyMetadata``)."""

    user_name: str
    ssh_public_key_id: str
    status: str
    upload_date: datetime


@attrs.frozen
class StoredServiceSpecificCredential:
    """A service-specific credential as the account keeps it (``service_specific_credentials``).

    The password (or API-key secret) is never kept: only its salted Scrypt
    hash.  ``status`` is what UpdateServiceSpecificCredential last set; a
    credential past its ``expiration_date`` reads as ``Expired``.
    """

    service_specific_credential_id: str
    user_id: str
    service_name: str
    create_date: datetime
    status: str  # "Active" or "Inactive"
    secret_hash: PasswordHash | None = attrs.field(repr=False)
    service_user_name: str | None = None
    service_credential_alias: str | None = None
    expiration_date: datetime | None = None


@attrs.frozen
class ServiceSpecificCredential:
    """A new or reset credential with its secret (AWS ``ServiceSpecificCredential``).

    Only CreateServiceSpecificCredential and ResetServiceSpecificCredential
    return it.  Git and Keyspaces credentials carry ``service_user_name`` and
    ``service_password``; Bedrock and CloudWatch Logs API keys carry
    ``service_credential_alias`` and ``service_credential_secret``.
    """

    create_date: datetime
    service_name: str
    service_specific_credential_id: str
    user_name: str
    status: str
    service_user_name: str | None = None
    service_password: str | None = attrs.field(default=None, repr=False)
    service_credential_alias: str | None = None
    service_credential_secret: str | None = attrs.field(default=None, repr=False)
    expiration_date: datetime | None = None


@attrs.frozen
class ServiceSpecificCredentialMetadata:
    """A service-specific credential without its secret (``ServiceSpecificCredentialMetadata``)."""

    user_name: str
    status: str
    create_date: datetime
    service_specific_credential_id: str
    service_name: str
    service_user_name: str | None = None
    service_credential_alias: str | None = None
    expiration_date: datetime | None = None


# -- managed and inline policies (issue 4) -------------------------------------


@attrs.frozen
class Policy:
    """A managed policy as GetPolicy/ListPolicies describe it (AWS ``Policy``).

    ``attachment_count`` and ``permissions_boundary_usage_count`` are the
    account's view at the time of the call.
    """

    policy_name: str
    policy_id: str
    arn: str
    path: str
    default_version_id: str
    create_date: datetime
    update_date: datetime
    attachment_count: int = 0
    permissions_boundary_usage_count: int = 0
    is_attachable: bool = True
    description: str | None = None
    #: ``None`` where AWS leaves Tags out (ListPolicies; CreatePolicy without
    #: tags); GetPolicy always has a tuple, sent even when empty
    tags: tuple[Tag, ...] | None = None


@attrs.frozen
class PolicyVersion:
    """One version of a managed policy (AWS ``PolicyVersion``).

    Stored with the document as written; GetPolicyVersion returns the
    document URL-encoded (RFC 3986), as AWS does, and CreatePolicyVersion
    and ListPolicyVersions leave it out (``None``).
    """

    version_id: str
    is_default_version: bool
    create_date: datetime
    document: str | None = None


@attrs.frozen
class ManagedPolicy:
    """A stored managed policy: its description and every version (not an AWS shape).

    ``next_version`` is the number the next CreatePolicyVersion will use:
    version IDs are never reused (UG "Versioning IAM policies").
    """

    policy_name: str
    policy_id: str
    arn: str
    path: str
    create_date: datetime
    update_date: datetime
    versions: tuple[PolicyVersion, ...]
    next_version: int
    description: str | None = None
    tags: tuple[Tag, ...] = ()
    is_attachable: bool = True
    aws_managed: bool = False

    @property
    def default_version(self) -> PolicyVersion:
        """The operative version."""
        return next(version for version in self.versions if version.is_default_version)


@attrs.frozen
class AttachedPolicy:
    """A managed policy attached to a user or group (AWS ``AttachedPolicy``)."""

    policy_name: str
    policy_arn: str


@attrs.frozen
class PolicyUser:
    """A user a managed policy is attached to (AWS ``PolicyUser``)."""

    user_name: str
    user_id: str


@attrs.frozen
class PolicyGroup:
    """A group a managed policy is attached to (AWS ``PolicyGroup``)."""

    group_name: str
    group_id: str


@attrs.frozen
class InlinePolicy:
    """A policy embedded in a user or group (PutUserPolicy/PutGroupPolicy)."""

    policy_name: str
    policy_document: str


# -- credential report, signing certificates, root user (issue 5) ---------------


@attrs.frozen
class SigningCertificate:
    """An X.509 signing certificate (AWS ``SigningCertificate``).

    Stored per user ID in state table ``signing_certificates``; ``user_name``
    is the owner's name when it was uploaded (the rules answer with the
    current name, so a renamed user keeps their certificates).
    """

    user_name: str
    certificate_id: str
    certificate_body: str
    status: str
    upload_date: datetime


@attrs.frozen
class RootAccessKey:
    """A root user's access key as the credential report sees it (no ID, no secret)."""

    status: str
    create_date: datetime
    last_used: AccessKeyLastUsed = NEVER_USED


@attrs.frozen
class RootCredentials:
    """What the account keeps of the root user's credentials (state table ``root_credentials``).

    ``password_last_used`` is the root user's last console sign-in (``None``:
    never); ``access_keys`` are at most two, oldest first.
    """

    password_last_used: datetime | None = None
    mfa_active: bool = False
    access_keys: tuple[RootAccessKey, ...] = ()


def _content_repr(content: bytes) -> str:
    return f"<{len(content)} bytes>"


@attrs.frozen
class CredentialReportRecord:
    """The account's one credential report (state table ``credential_report``).

    ``generated_time`` is when generation started and the time the content
    describes; ``content`` is the CSV (UTF-8); ``ready`` is set when a later
    GenerateCredentialReport call finds the report finished.
    """

    generated_time: datetime
    content: bytes = attrs.field(repr=_content_repr)
    ready: bool = False


# -- account summary, aliases, authorization details ------------------------------


@attrs.frozen
class PolicyDetail:
    """An inline policy in GetAccountAuthorizationDetails (AWS ``PolicyDetail``);
    the document URL-encoded as AWS returns it."""

    policy_name: str
    policy_document: str


@attrs.frozen
class UserDetail:
    """A user in GetAccountAuthorizationDetails (AWS ``UserDetail``).

    ``user_policy_list`` is ``None`` when the user has no inline policy (AWS
    leaves the member out); ``group_list`` and ``attached_managed_policies``
    are sent even when empty (recorded AWS responses).
    """

    path: str
    user_name: str
    user_id: str
    arn: str
    create_date: datetime
    user_policy_list: tuple[PolicyDetail, ...] | None
    group_list: tuple[str, ...]
    attached_managed_policies: tuple[AttachedPolicy, ...]
    permissions_boundary: AttachedPermissionsBoundary | None = None
    tags: tuple[Tag, ...] = ()


@attrs.frozen
class GroupDetail:
    """A group in GetAccountAuthorizationDetails (AWS ``GroupDetail``)."""

    path: str
    group_name: str
    group_id: str
    arn: str
    create_date: datetime
    group_policy_list: tuple[PolicyDetail, ...]
    attached_managed_policies: tuple[AttachedPolicy, ...]


@attrs.frozen
class ManagedPolicyDetail:
    """A managed policy in GetAccountAuthorizationDetails (AWS ``ManagedPolicyDetail``):
    every version, newest first, each with its URL-encoded document.  AWS sends
    no Description here (recorded AWS responses), so the field stays ``None``."""

    policy_name: str
    policy_id: str
    arn: str
    path: str
    default_version_id: str
    attachment_count: int
    permissions_boundary_usage_count: int
    is_attachable: bool
    create_date: datetime
    update_date: datetime
    policy_version_list: tuple[PolicyVersion, ...]
    description: str | None = None


# -- service last accessed data (Access Advisor) --------------------------------


@attrs.frozen
class ServiceAccess:
    """A user's latest authenticated attempt to use a service, or one of its tracked
    actions: when (to the minute, as AWS reports it) and from which region."""

    last_authenticated: datetime
    region: str


@attrs.frozen
class ReportedEntity:
    """A user a service last accessed report covers, by ID (the report shows the user as
    they are when read), with the attempts recorded for them when the report was
    generated (namespace or ``namespace:Action`` -> attempt)."""

    entity_id: str
    services: tuple[tuple[str, ServiceAccess], ...] = ()
    actions: tuple[tuple[str, ServiceAccess], ...] = ()


@attrs.frozen
class AccessReport:
    """A service last accessed report (GenerateServiceLastAccessedDetails): a snapshot
    of the services the entity's policies allow and of the attempts to use them.

    ``owner`` is the user ID of the principal that generated it (``None`` for the
    root user/administrator): only that principal may read it.
    """

    job_id: str
    owner: str | None
    job_type: str  # "SERVICE_LEVEL" | "ACTION_LEVEL"
    created: datetime
    namespaces: tuple[str, ...]  # the services the policies allow, sorted
    entities: tuple[ReportedEntity, ...]
