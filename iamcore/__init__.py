"""iamcore: an in-memory model of AWS IAM users that behaves like the real service.

>>> from iamcore import Account
>>> account = Account()
>>> account.create_user(user_name="Bob", path="/eng/").user.arn
'arn:aws:iam::123456789012:user/eng/Bob'
"""

from __future__ import annotations

from iamcore.account import Account
from iamcore.entities import AttachedPermissionsBoundary, Group, Tag, User
from iamcore.errors import IamError
from iamcore.state import AccountSnapshot

__all__ = [
    "Account",
    "AccountSnapshot",
    "AttachedPermissionsBoundary",
    "Group",
    "IamError",
    "Tag",
    "User",
    "__version__",
]

__version__ = "0.1.0"
