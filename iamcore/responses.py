"""Result values of the native API (frozen attrs).

Each class is named after an IAM operation's output shape (``CreateUser`` →
:class:`CreateUserResponse`) and its fields are the snake_case of the
shape's members, so ``account.list_users().users`` is boto3's
``client.list_users()["Users"]``.  Operations without output return ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import attrs

from iamcore.entities import (
    AccessKey,
    AccessKeyLastUsed,
    AccessKeyMetadata,
    AttachedPolicy,
    Group,
    GroupDetail,
    LoginProfile,
    ManagedPolicyDetail,
    MFADevice,
    PasswordPolicy,
    Policy,
    PolicyGroup,
    PolicyUser,
    PolicyVersion,
    ServiceSpecificCredential,
    ServiceSpecificCredentialMetadata,
    SigningCertificate,
    SSHPublicKey,
    SSHPublicKeyMetadata,
    Tag,
    User,
    UserDetail,
    VirtualMFADevice,
)

__all__ = [
    "CreateAccessKeyResponse",
    "CreateGroupResponse",
    "CreateLoginProfileResponse",
    "CreatePolicyResponse",
    "CreatePolicyVersionResponse",
    "CreateServiceSpecificCredentialResponse",
    "CreateUserResponse",
    "CreateVirtualMFADeviceResponse",
    "EntityDetails",
    "EntityInfo",
    "EvaluationResult",
    "GenerateCredentialReportResponse",
    "GenerateServiceLastAccessedDetailsResponse",
    "GetAccessKeyLastUsedResponse",
    "GetAccountAuthorizationDetailsResponse",
    "GetAccountPasswordPolicyResponse",
    "GetAccountSummaryResponse",
    "GetContextKeysForPolicyResponse",
    "GetCredentialReportResponse",
    "GetGroupPolicyResponse",
    "GetGroupResponse",
    "GetLoginProfileResponse",
    "GetMFADeviceResponse",
    "GetPolicyResponse",
    "GetPolicyVersionResponse",
    "GetSSHPublicKeyResponse",
    "GetServiceLastAccessedDetailsResponse",
    "GetServiceLastAccessedDetailsWithEntitiesResponse",
    "GetUserPolicyResponse",
    "GetUserResponse",
    "ListAccessKeysResponse",
    "ListAccountAliasesResponse",
    "ListAttachedGroupPoliciesResponse",
    "ListAttachedUserPoliciesResponse",
    "ListEntitiesForPolicyResponse",
    "ListGroupPoliciesResponse",
    "ListGroupsForUserResponse",
    "ListGroupsResponse",
    "ListMFADeviceTagsResponse",
    "ListMFADevicesResponse",
    "ListPoliciesGrantingServiceAccessEntry",
    "ListPoliciesGrantingServiceAccessResponse",
    "ListPoliciesResponse",
    "ListPolicyTagsResponse",
    "ListPolicyVersionsResponse",
    "ListSSHPublicKeysResponse",
    "ListServiceSpecificCredentialsResponse",
    "ListSigningCertificatesResponse",
    "ListUserPoliciesResponse",
    "ListUserTagsResponse",
    "ListUsersResponse",
    "ListVirtualMFADevicesResponse",
    "OrganizationsDecisionDetail",
    "PermissionsBoundaryDecisionDetail",
    "PolicyGrantingServiceAccess",
    "ResetServiceSpecificCredentialResponse",
    "ResourceSpecificResult",
    "RootUser",
    "ServiceLastAccessed",
    "SimulatePolicyResponse",
    "StatementMatch",
    "StatementPosition",
    "TrackedActionLastAccessed",
    "UploadSSHPublicKeyResponse",
    "UploadSigningCertificateResponse",
]


@attrs.frozen
class RootUser:
    """The account's root user as GetUser describes it (no name, no path)."""

    user_id: str
    arn: str
    create_date: object
    password_last_used: object = None


@attrs.frozen
class CreateUserResponse:
    """Result of CreateUser."""

    user: User


@attrs.frozen
class GetUserResponse:
    """Result of GetUser (the root user when called without a name by root)."""

    user: User | RootUser


@attrs.frozen
class ListUsersResponse:
    """Result of ListUsers: users without Tags or PermissionsBoundary."""

    users: tuple[User, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class CreateGroupResponse:
    """Result of CreateGroup."""

    group: Group


@attrs.frozen
class GetGroupResponse:
    """Result of GetGroup: the group and one page of its members."""

    group: Group
    users: tuple[User, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class ListGroupsResponse:
    """Result of ListGroups."""

    groups: tuple[Group, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class ListGroupsForUserResponse:
    """Result of ListGroupsForUser."""

    groups: tuple[Group, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class ListUserTagsResponse:
    """Result of ListUserTags: tags sorted by key."""

    tags: tuple[Tag, ...]
    is_truncated: bool = False
    marker: str | None = None


# -- access keys and console passwords (issue 3) -------------------------------


@attrs.frozen
class CreateAccessKeyResponse:
    """Result of CreateAccessKey: the only result that carries the secret."""

    access_key: AccessKey


@attrs.frozen
class ListAccessKeysResponse:
    """Result of ListAccessKeys: the user's keys, oldest first, without secrets."""

    access_key_metadata: tuple[AccessKeyMetadata, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class GetAccessKeyLastUsedResponse:
    """Result of GetAccessKeyLastUsed: the owner and the key's last use."""

    user_name: str
    access_key_last_used: AccessKeyLastUsed


@attrs.frozen
class CreateLoginProfileResponse:
    """Result of CreateLoginProfile (never the password)."""

    login_profile: LoginProfile


@attrs.frozen
class GetLoginProfileResponse:
    """Result of GetLoginProfile (never the password)."""

    login_profile: LoginProfile


@attrs.frozen
class GetAccountPasswordPolicyResponse:
    """Result of GetAccountPasswordPolicy."""

    password_policy: PasswordPolicy


# -- MFA devices, SSH public keys, service-specific credentials (issue 3) -------


@attrs.frozen
class CreateVirtualMFADeviceResponse:
    """Result of CreateVirtualMFADevice: the device with its seed and QR code (only here)."""

    virtual_mfa_device: VirtualMFADevice


@attrs.frozen
class ListMFADevicesResponse:
    """Result of ListMFADevices: the devices enabled for a user."""

    mfa_devices: tuple[MFADevice, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class ListVirtualMFADevicesResponse:
    """Result of ListVirtualMFADevices: no seeds, QR codes or tags."""

    virtual_mfa_devices: tuple[VirtualMFADevice, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class GetMFADeviceResponse:
    """Result of GetMFADevice: a FIDO security key and its certification levels
    (``{"FIDO": "L1"}`` in AWS's example)."""

    serial_number: str
    user_name: str | None = None
    enable_date: datetime | None = None
    certifications: Mapping[str, str] | None = None


@attrs.frozen
class PolicyGrantingServiceAccess:
    """A policy that grants access to a service (AWS ``PolicyGrantingServiceAccess``):
    a managed policy with its ARN, an inline one with the user or group it belongs to."""

    policy_name: str
    policy_type: str  # "INLINE" | "MANAGED"
    policy_arn: str | None = None
    entity_type: str | None = None  # "USER" | "GROUP" for an inline policy
    entity_name: str | None = None


@attrs.frozen
class ListPoliciesGrantingServiceAccessEntry:
    """One service namespace asked for and the policies granting access to it."""

    service_namespace: str
    policies: tuple[PolicyGrantingServiceAccess, ...] = ()


@attrs.frozen
class ListPoliciesGrantingServiceAccessResponse:
    """Result of ListPoliciesGrantingServiceAccess: one entry per namespace asked for."""

    policies_granting_service_access: tuple[ListPoliciesGrantingServiceAccessEntry, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class GenerateServiceLastAccessedDetailsResponse:
    """Result of GenerateServiceLastAccessedDetails: the report's job ID."""

    job_id: str


@attrs.frozen
class TrackedActionLastAccessed:
    """The latest attempt to use a tracked action (AWS ``TrackedActionLastAccessed``)."""

    action_name: str
    last_accessed_entity: str
    last_accessed_time: datetime
    last_accessed_region: str


@attrs.frozen
class ServiceLastAccessed:
    """A service the entity's policies allow and its latest use (AWS
    ``ServiceLastAccessed``); a service nobody used has only its names and
    ``TotalAuthenticatedEntities`` 0, as AWS sends it."""

    service_name: str
    service_namespace: str
    last_authenticated: datetime | None = None
    last_authenticated_entity: str | None = None
    last_authenticated_region: str | None = None
    total_authenticated_entities: int = 0
    tracked_actions_last_accessed: tuple[TrackedActionLastAccessed, ...] | None = None


@attrs.frozen
class GetServiceLastAccessedDetailsResponse:
    """Result of GetServiceLastAccessedDetails: services sorted by namespace, paged."""

    job_status: str
    job_type: str
    job_creation_date: datetime
    services_last_accessed: tuple[ServiceLastAccessed, ...]
    job_completion_date: datetime
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class EntityInfo:
    """A user a report covers (AWS ``EntityInfo``)."""

    arn: str
    name: str
    type: str  # "USER"
    id: str
    path: str | None = None


@attrs.frozen
class EntityDetails:
    """A user and their latest use of the service (AWS ``EntityDetails``)."""

    entity_info: EntityInfo
    last_authenticated: datetime | None = None


@attrs.frozen
class GetServiceLastAccessedDetailsWithEntitiesResponse:
    """Result of GetServiceLastAccessedDetailsWithEntities: the users that could use the
    service, the latest user first, paged."""

    job_status: str
    job_creation_date: datetime
    job_completion_date: datetime
    entity_details_list: tuple[EntityDetails, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class ListMFADeviceTagsResponse:
    """Result of ListMFADeviceTags: tags sorted by key."""

    tags: tuple[Tag, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class UploadSSHPublicKeyResponse:
    """Result of UploadSSHPublicKey."""

    ssh_public_key: SSHPublicKey


@attrs.frozen
class GetSSHPublicKeyResponse:
    """Result of GetSSHPublicKey: the key in the requested encoding."""

    ssh_public_key: SSHPublicKey


@attrs.frozen
class ListSSHPublicKeysResponse:
    """Result of ListSSHPublicKeys: metadata only (no body, no fingerprint)."""

    ssh_public_keys: tuple[SSHPublicKeyMetadata, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class CreateServiceSpecificCredentialResponse:
    """Result of CreateServiceSpecificCredential: the only time the password is shown."""

    service_specific_credential: ServiceSpecificCredential


@attrs.frozen
class ResetServiceSpecificCredentialResponse:
    """Result of ResetServiceSpecificCredential: the new password, shown once."""

    service_specific_credential: ServiceSpecificCredential


@attrs.frozen
class ListServiceSpecificCredentialsResponse:
    """Result of ListServiceSpecificCredentials: metadata without passwords."""

    service_specific_credentials: tuple[ServiceSpecificCredentialMetadata, ...]
    is_truncated: bool = False
    marker: str | None = None


# -- credential report and signing certificates (issue 5) -----------------------


@attrs.frozen
class GenerateCredentialReportResponse:
    """Result of GenerateCredentialReport: ``STARTED``, ``INPROGRESS`` or ``COMPLETE``.

    ``description`` is ``None`` (left out) for ``COMPLETE``, as AWS answers.
    """

    state: str
    description: str | None = None


@attrs.frozen
class GetCredentialReportResponse:
    """Result of GetCredentialReport: the CSV as bytes (boto3 decodes the base64 blob)."""

    content: bytes = attrs.field(repr=lambda content: f"<{len(content)} bytes>")
    report_format: str = "text/csv"
    generated_time: datetime | None = None


@attrs.frozen
class UploadSigningCertificateResponse:
    """Result of UploadSigningCertificate."""

    certificate: SigningCertificate


@attrs.frozen
class ListSigningCertificatesResponse:
    """Result of ListSigningCertificates, in upload order."""

    certificates: tuple[SigningCertificate, ...]
    is_truncated: bool = False
    marker: str | None = None


# -- managed and inline policies, permission boundaries (issue 4) -------------


@attrs.frozen
class CreatePolicyResponse:
    """Result of CreatePolicy."""

    policy: Policy


@attrs.frozen
class GetPolicyResponse:
    """Result of GetPolicy."""

    policy: Policy


@attrs.frozen
class ListPoliciesResponse:
    """Result of ListPolicies: policies without Description or Tags."""

    policies: tuple[Policy, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class CreatePolicyVersionResponse:
    """Result of CreatePolicyVersion (the version without its document)."""

    policy_version: PolicyVersion


@attrs.frozen
class GetPolicyVersionResponse:
    """Result of GetPolicyVersion: ``policy_version.document`` is URL-encoded, as in AWS."""

    policy_version: PolicyVersion


@attrs.frozen
class ListPolicyVersionsResponse:
    """Result of ListPolicyVersions: newest first, without documents."""

    versions: tuple[PolicyVersion, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class ListAttachedUserPoliciesResponse:
    """Result of ListAttachedUserPolicies."""

    attached_policies: tuple[AttachedPolicy, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class ListAttachedGroupPoliciesResponse:
    """Result of ListAttachedGroupPolicies."""

    attached_policies: tuple[AttachedPolicy, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class ListEntitiesForPolicyResponse:
    """Result of ListEntitiesForPolicy (iamcore models no roles: ``policy_roles`` is empty)."""

    policy_groups: tuple[PolicyGroup, ...]
    policy_users: tuple[PolicyUser, ...]
    policy_roles: tuple[object, ...] = ()
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class ListPolicyTagsResponse:
    """Result of ListPolicyTags: tags sorted by key."""

    tags: tuple[Tag, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class GetUserPolicyResponse:
    """Result of GetUserPolicy: ``policy_document`` is URL-encoded, as in AWS."""

    user_name: str
    policy_name: str
    policy_document: str


@attrs.frozen
class GetGroupPolicyResponse:
    """Result of GetGroupPolicy: ``policy_document`` is URL-encoded, as in AWS."""

    group_name: str
    policy_name: str
    policy_document: str


@attrs.frozen
class ListUserPoliciesResponse:
    """Result of ListUserPolicies: inline policy names."""

    policy_names: tuple[str, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class ListGroupPoliciesResponse:
    """Result of ListGroupPolicies: inline policy names."""

    policy_names: tuple[str, ...]
    is_truncated: bool = False
    marker: str | None = None


# -- policy simulation (issue 4) ----------------------------------------------


@attrs.frozen
class StatementPosition:
    """A line/column in a policy (AWS ``Position``)."""

    line: int
    column: int


@attrs.frozen
class StatementMatch:
    """A statement that decided a simulation (AWS ``Statement``)."""

    source_policy_id: str
    source_policy_type: str
    start_position: StatementPosition | None = None
    end_position: StatementPosition | None = None


@attrs.frozen
class PermissionsBoundaryDecisionDetail:
    """Whether the permissions boundary allowed the action (AWS shape of that name)."""

    allowed_by_permissions_boundary: bool


@attrs.frozen
class OrganizationsDecisionDetail:
    """Whether service control policies allowed the action (AWS shape of that name)."""

    allowed_by_organizations: bool


@attrs.frozen
class ResourceSpecificResult:
    """The decision for one action on one resource (AWS ``ResourceSpecificResult``)."""

    eval_resource_name: str
    eval_resource_decision: str
    matched_statements: tuple[StatementMatch, ...] = ()
    missing_context_values: tuple[str, ...] = ()
    eval_decision_details: dict[str, str] | None = None
    permissions_boundary_decision_detail: PermissionsBoundaryDecisionDetail | None = None


@attrs.frozen
class EvaluationResult:
    """The decision for one action (AWS ``EvaluationResult``)."""

    eval_action_name: str
    eval_decision: str
    eval_resource_name: str | None = None
    matched_statements: tuple[StatementMatch, ...] = ()
    missing_context_values: tuple[str, ...] = ()
    eval_decision_details: dict[str, str] | None = None
    permissions_boundary_decision_detail: PermissionsBoundaryDecisionDetail | None = None
    organizations_decision_detail: OrganizationsDecisionDetail | None = None
    resource_specific_results: tuple[ResourceSpecificResult, ...] = ()


@attrs.frozen
class SimulatePolicyResponse:
    """Result of SimulateCustomPolicy and SimulatePrincipalPolicy."""

    evaluation_results: tuple[EvaluationResult, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class GetContextKeysForPolicyResponse:
    """Result of GetContextKeysForCustomPolicy and GetContextKeysForPrincipalPolicy."""

    context_key_names: tuple[str, ...]


# -- account summary, aliases, authorization details ------------------------------


@attrs.frozen
class GetAccountSummaryResponse:
    """Result of GetAccountSummary: usage counts and quotas by ``summaryKeyType`` key."""

    summary_map: Mapping[str, int]


@attrs.frozen
class ListAccountAliasesResponse:
    """Result of ListAccountAliases (at most one alias)."""

    account_aliases: tuple[str, ...]
    is_truncated: bool = False
    marker: str | None = None


@attrs.frozen
class GetAccountAuthorizationDetailsResponse:
    """Result of GetAccountAuthorizationDetails: one page across the four lists."""

    user_detail_list: tuple[UserDetail, ...] = ()
    group_detail_list: tuple[GroupDetail, ...] = ()
    role_detail_list: tuple[()] = ()
    policies: tuple[ManagedPolicyDetail, ...] = ()
    is_truncated: bool = False
    marker: str | None = None
