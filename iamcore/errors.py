"""The error model: every error iamcore raises is an :class:`IamError`.

Each subclass stands for one AWS error code, with the code and HTTP status of
botocore's IAM service model (``shapes[*].error``), plus the common Query
protocol errors that IAM returns without listing them in the model
(``ValidationError``, ``MalformedInput``, ``AccessDenied``, the signature
errors).

Exception tree::

    IamError
    ├── ValidationError            400  (parameter failed a model constraint)
    ├── InvalidInput               400
    ├── NoSuchEntity               404
    ├── EntityAlreadyExists        409
    ├── LimitExceeded              409
    ├── DeleteConflict             409
    ├── AccessDenied               403
    └── …one class per AWS code (see ``ERRORS``)
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "ERRORS",
    "AccessDenied",
    "ConcurrentModification",
    "CredentialReportExpired",
    "CredentialReportNotPresent",
    "CredentialReportNotReady",
    "DeleteConflict",
    "DuplicateCertificate",
    "DuplicateSSHPublicKey",
    "EntityAlreadyExists",
    "EntityTemporarilyUnmodifiable",
    "FeatureDisabled",
    "FeatureEnabled",
    "IamError",
    "InvalidAuthenticationCode",
    "InvalidCertificate",
    "InvalidClientTokenId",
    "InvalidInput",
    "InvalidPublicKey",
    "InvalidUserType",
    "KeyPairMismatch",
    "LimitExceeded",
    "MalformedCertificate",
    "MalformedInput",
    "MalformedPolicyDocument",
    "NameConflict",
    "NoSuchEntity",
    "NotSupportedService",
    "OpenIdIdpCommunicationError",
    "PasswordPolicyViolation",
    "PolicyEvaluation",
    "PolicyNotAttachable",
    "ReportGenerationLimitExceeded",
    "RoleModified",
    "RoleTemplateDisabled",
    "ServiceFailure",
    "SignatureDoesNotMatch",
    "UnmodifiableEntity",
    "UnrecognizedPublicKeyEncoding",
    "ValidationError",
    "error_for_code",
]


class IamError(Exception):
    """Base of every error iamcore raises.

    Attributes:
        code: the AWS error code string, e.g. ``"NoSuchEntity"``.
        http_status: the HTTP status AWS answers with.
        sender_fault: ``True`` for client errors (``<Type>Sender</Type>``).
        message: the human-readable message, shaped like AWS's.
    """

    code: ClassVar[str] = "InternalFailure"
    http_status: ClassVar[int] = 500
    sender_fault: ClassVar[bool] = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class _SenderError(IamError):
    sender_fault = True
    http_status = 400


class ValidationError(_SenderError):
    """A parameter broke a constraint of the service model (length, pattern, enum, range)."""

    code = "ValidationError"


class MalformedInput(_SenderError):
    """A parameter could not be read as its type (the Query protocol's answer to an
    integer beyond 32 bits, ``MaxItems=2147483648``: recorded from AWS, 2026)."""

    code = "MalformedInput"


class AccessDenied(_SenderError):
    """The caller is not authorized to perform the action."""

    code = "AccessDenied"
    http_status = 403


class InvalidClientTokenId(_SenderError):
    """The access key ID in the request does not exist (or is inactive)."""

    code = "InvalidClientTokenId"
    http_status = 403


class SignatureDoesNotMatch(_SenderError):
    """The request was signed with the wrong secret access key."""

    code = "SignatureDoesNotMatch"
    http_status = 403


class ConcurrentModification(_SenderError):
    """Another request changed the same entity at the same time."""

    code = "ConcurrentModification"
    http_status = 409


class CredentialReportExpired(_SenderError):
    """The credential report is older than its expiry period."""

    code = "ReportExpired"
    http_status = 410


class CredentialReportNotPresent(_SenderError):
    """No credential report has been generated."""

    code = "ReportNotPresent"
    http_status = 410


class CredentialReportNotReady(_SenderError):
    """The credential report is still being generated."""

    code = "ReportInProgress"
    http_status = 404


class DeleteConflict(_SenderError):
    """The entity still has subordinate entities and cannot be deleted."""

    code = "DeleteConflict"
    http_status = 409


class DuplicateCertificate(_SenderError):
    """The certificate is already uploaded."""

    code = "DuplicateCertificate"
    http_status = 409


class DuplicateSSHPublicKey(_SenderError):
    """The SSH public key is already associated with the user."""

    code = "DuplicateSSHPublicKey"


class EntityAlreadyExists(_SenderError):
    """An entity with that name (ignoring case) already exists."""

    code = "EntityAlreadyExists"
    http_status = 409


class EntityTemporarilyUnmodifiable(_SenderError):
    """The entity is being modified by another request."""

    code = "EntityTemporarilyUnmodifiable"
    http_status = 409


class FeatureDisabled(_SenderError):
    """The feature is disabled for the account."""

    code = "FeatureDisabled"
    http_status = 404


class FeatureEnabled(_SenderError):
    """The feature is already enabled for the account."""

    code = "FeatureEnabled"
    http_status = 409


class InvalidAuthenticationCode(_SenderError):
    """An MFA authentication code was wrong or not consecutive."""

    code = "InvalidAuthenticationCode"
    http_status = 403


class InvalidCertificate(_SenderError):
    """The certificate is invalid."""

    code = "InvalidCertificate"


class InvalidInput(_SenderError):
    """A parameter value is invalid for the operation."""

    code = "InvalidInput"


class InvalidPublicKey(_SenderError):
    """The public key is invalid."""

    code = "InvalidPublicKey"


class InvalidUserType(_SenderError):
    """The request was made for the wrong kind of user."""

    code = "InvalidUserType"


class KeyPairMismatch(_SenderError):
    """The public key does not match the private key."""

    code = "KeyPairMismatch"


class LimitExceeded(_SenderError):
    """An IAM quota would be exceeded."""

    code = "LimitExceeded"
    http_status = 409


class MalformedCertificate(_SenderError):
    """The certificate is malformed."""

    code = "MalformedCertificate"


class MalformedPolicyDocument(_SenderError):
    """The policy document is not valid policy grammar."""

    code = "MalformedPolicyDocument"


class NameConflict(_SenderError):
    """The name is already used by another kind of entity."""

    code = "NameConflict"
    http_status = 409


class NoSuchEntity(_SenderError):
    """The named entity does not exist."""

    code = "NoSuchEntity"
    http_status = 404


class NotSupportedService(_SenderError):
    """The service is not supported for service-specific credentials."""

    code = "NotSupportedService"
    http_status = 404


class OpenIdIdpCommunicationError(_SenderError):
    """IAM could not reach the OpenID Connect provider."""

    code = "OpenIdIdpCommunicationError"


class PasswordPolicyViolation(_SenderError):
    """The password does not satisfy the account password policy."""

    code = "PasswordPolicyViolation"


class PolicyEvaluation(IamError):
    """A policy could not be evaluated (server fault)."""

    code = "PolicyEvaluation"
    http_status = 500


class PolicyNotAttachable(_SenderError):
    """The policy cannot be attached (e.g. a service-role policy)."""

    code = "PolicyNotAttachable"


class ReportGenerationLimitExceeded(_SenderError):
    """Too many report generations were requested."""

    code = "ReportGenerationLimitExceeded"
    http_status = 409


class RoleModified(_SenderError):
    """The role changed while a role template was being applied."""

    code = "RoleModified"
    http_status = 409


class RoleTemplateDisabled(_SenderError):
    """The role template is disabled."""

    code = "RoleTemplateDisabled"


class ServiceFailure(IamError):
    """An unexpected server-side failure."""

    code = "ServiceFailure"
    http_status = 500


class UnmodifiableEntity(_SenderError):
    """The entity is protected (e.g. a service-linked role)."""

    code = "UnmodifiableEntity"


class UnrecognizedPublicKeyEncoding(_SenderError):
    """The public key encoding is not recognised."""

    code = "UnrecognizedPublicKeyEncoding"


#: Every error class iamcore can raise, by AWS error code.
ERRORS: dict[str, type[IamError]] = {
    cls.code: cls
    for cls in (
        AccessDenied,
        ConcurrentModification,
        CredentialReportExpired,
        CredentialReportNotPresent,
        CredentialReportNotReady,
        DeleteConflict,
        DuplicateCertificate,
        DuplicateSSHPublicKey,
        EntityAlreadyExists,
        EntityTemporarilyUnmodifiable,
        FeatureDisabled,
        FeatureEnabled,
        InvalidAuthenticationCode,
        InvalidCertificate,
        InvalidClientTokenId,
        InvalidInput,
        InvalidPublicKey,
        InvalidUserType,
        KeyPairMismatch,
        LimitExceeded,
        MalformedCertificate,
        MalformedInput,
        MalformedPolicyDocument,
        NameConflict,
        NoSuchEntity,
        NotSupportedService,
        OpenIdIdpCommunicationError,
        PasswordPolicyViolation,
        PolicyEvaluation,
        PolicyNotAttachable,
        ReportGenerationLimitExceeded,
        RoleModified,
        RoleTemplateDisabled,
        ServiceFailure,
        SignatureDoesNotMatch,
        UnmodifiableEntity,
        UnrecognizedPublicKeyEncoding,
        ValidationError,
    )
}


def error_for_code(code: str) -> type[IamError]:
    """Return the error class for an AWS error code (e.g. ``"NoSuchEntity"``)."""
    return ERRORS[code]
