"""iamcore: an in-memory model of AWS IAM users that behaves like the real service.

>>> from iamcore import Account
>>> account = Account()
>>> account.create_user(user_name="Bob", path="/eng/").user.arn
'arn:aws:iam::123456789012:user/eng/Bob'
"""

from __future__ import annotations

from iamcore.account import Account
from iamcore.entities import (
    AccessKey,
    AccessKeyLastUsed,
    AccessKeyMetadata,
    AttachedPermissionsBoundary,
    AttachedPolicy,
    Group,
    LoginProfile,
    MFADevice,
    PasswordPolicy,
    Policy,
    PolicyVersion,
    ServiceSpecificCredential,
    ServiceSpecificCredentialMetadata,
    SigningCertificate,
    SSHPublicKey,
    SSHPublicKeyMetadata,
    Tag,
    User,
    VirtualMFADevice,
)
from iamcore.errors import IamError
from iamcore.state import AccountSnapshot

__all__ = [
    "AccessKey",
    "AccessKeyLastUsed",
    "AccessKeyMetadata",
    "Account",
    "AccountSnapshot",
    "AttachedPermissionsBoundary",
    "AttachedPolicy",
    "Group",
    "IamError",
    "LoginProfile",
    "MFADevice",
    "PasswordPolicy",
    "Policy",
    "PolicyVersion",
    "SSHPublicKey",
    "SSHPublicKeyMetadata",
    "ServiceSpecificCredential",
    "ServiceSpecificCredentialMetadata",
    "SigningCertificate",
    "Tag",
    "User",
    "VirtualMFADevice",
    "__version__",
]

__version__ = "0.1.0"
