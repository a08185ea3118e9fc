"""Access-key rules: CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey,
GetAccessKeyLastUsed, and authenticating a request signed with a key.

AWS facts modelled here (aws-iam-rules.md §1.5–§1.6, §2.6, §3):

- a user has at most 2 access keys, Inactive ones included
  (``LimitExceeded: Cannot exceed quota for AccessKeysPerUser: 2``);
- key IDs are ``AKIA`` + 16 base32 characters encoding the account ID; the
  40-character secret is returned by CreateAccessKey only;
- new keys are Active; only Active and Inactive can be set: ``Expired`` is
  ``InvalidInput: Operation does not support status Expired`` (recorded from
  AWS, 2026, github.com/radkawar/stackd ``resource_inputs.json``; the same
  answer as UpdateSigningCertificate, UpdateSSHPublicKey and
  UpdateServiceSpecificCredential, which share :data:`EXPIRED_NOT_SUPPORTED`);
- ``UserName`` may be omitted: it is then the calling user.  A caller that is
  no IAM user (``ctx.caller is None``: iamcore's root/administrator) gets
  AWS's ``ValidationError: Must specify userName when calling with non-User
  credentials`` (iamcore models no root access keys);
- GetAccessKeyLastUsed answers ``N/A``/``N/A`` and no date for a key never
  used, and AccessDenied for a key that does not exist (as AWS does);
- DeleteUser is refused while the user has keys (order 20, after MFA devices).

State (read by the credential report): ``state.access_keys`` maps each key
ID to a :class:`~iamcore.entities.StoredAccessKey`; ``state.user_access_keys``
maps a user ID to its key IDs, oldest first ("key 1" is the older key).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

import attrs

from iamcore import ids
from iamcore.auth import CallerIdentity
from iamcore.entities import (
    AccessKey,
    AccessKeyLastUsed,
    AccessKeyMetadata,
    StoredAccessKey,
    User,
)
from iamcore.errors import (
    AccessDenied,
    InvalidClientTokenId,
    InvalidInput,
    LimitExceeded,
    NoSuchEntity,
    SignatureDoesNotMatch,
)
from iamcore.paging import page_in_order
from iamcore.responses import (
    CreateAccessKeyResponse,
    GetAccessKeyLastUsedResponse,
    ListAccessKeysResponse,
)
from iamcore.rules import access_advisor, users
from iamcore.rules.users import INVALID_TOKEN, caller_user, target_user
from iamcore.state import AccountState, Context

__all__ = [
    "ACTIVE",
    "EXPIRED",
    "EXPIRED_NOT_SUPPORTED",
    "INACTIVE",
    "LAST_USED_GRANULARITY",
    "MAX_KEYS_PER_USER",
    "authenticate",
    "caller_user",
    "create_access_key",
    "delete_access_key",
    "get_access_key_last_used",
    "list_access_keys",
    "metadata",
    "refuse_expired",
    "secret_digest",
    "update_access_key",
]

MAX_KEYS_PER_USER = 2
ACTIVE = "Active"
INACTIVE = "Inactive"
EXPIRED = "Expired"
#: AWS's answer to setting ``Expired`` on an access key, signing certificate, SSH public
#: key or service-specific credential (InvalidInput, 400; recorded from AWS, 2026:
#: github.com/radkawar/stackd ``resource_inputs.json``, ``service_credentials_aws.json``,
#: ``certificates_aws.json``).
EXPIRED_NOT_SUPPORTED = "Operation does not support status Expired"
#: Uses of a key within this span of its recorded last use are not recorded
#: (UG "Getting credential reports": only the first use in 15 minutes counts).
LAST_USED_GRANULARITY = timedelta(minutes=15)

BAD_SIGNATURE = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details."
)

users.register_delete_check(
    20, "delete access keys", lambda state, user_id: bool(state.user_access_keys.get(user_id))
)


def secret_digest(secret: str) -> bytes:
    """The SHA-256 digest under which a secret access key is kept."""
    return hashlib.sha256(secret.encode("utf-8")).digest()


def refuse_expired(status: str) -> None:
    """The Update*Status operations of credentials: ``Expired`` is the model's third
    ``statusType`` value, but no credential can be set to it (AWS answers InvalidInput
    :data:`EXPIRED_NOT_SUPPORTED`, recorded from AWS, 2026)."""
    if status == EXPIRED:
        raise InvalidInput(EXPIRED_NOT_SUPPORTED)


def metadata(state: AccountState, key: StoredAccessKey) -> AccessKeyMetadata:
    """The key as ListAccessKeys shows it (with the owner's current name)."""
    return AccessKeyMetadata(
        user_name=state.users[key.user_id].user_name,
        access_key_id=key.access_key_id,
        status=key.status,
        create_date=key.create_date,
    )


def _require_key(state: AccountState, user: User, access_key_id: str) -> StoredAccessKey:
    key = state.access_keys.get(access_key_id)
    if key is None or key.user_id != user.user_id:
        raise NoSuchEntity(f"The Access Key with id {access_key_id} cannot be found.")
    return key


def create_access_key(
    state: AccountState, ctx: Context, *, user_name: str | None = None
) -> CreateAccessKeyResponse:
    """AWS CreateAccessKey: a new Active key; at most 2 per user, Inactive keys included."""
    user = target_user(state, ctx, user_name)
    owned = state.user_access_keys.get(user.user_id, ())
    if len(owned) >= MAX_KEYS_PER_USER:
        raise LimitExceeded(f"Cannot exceed quota for AccessKeysPerUser: {MAX_KEYS_PER_USER}")
    key_id = ids.access_key_id(ctx.account_id, ctx.entropy)
    while key_id in state.access_keys:  # 39 random bits: practically never loops
        key_id = ids.access_key_id(ctx.account_id, ctx.entropy)
    secret = ids.secret_access_key(ctx.entropy)
    state.access_keys[key_id] = StoredAccessKey(
        access_key_id=key_id,
        user_id=user.user_id,
        status=ACTIVE,
        create_date=ctx.now,
        secret_digest=secret_digest(secret),
    )
    state.user_access_keys[user.user_id] = (*owned, key_id)
    return CreateAccessKeyResponse(
        AccessKey(
            user_name=user.user_name,
            access_key_id=key_id,
            status=ACTIVE,
            secret_access_key=secret,
            create_date=ctx.now,
        )
    )


def list_access_keys(
    state: AccountState,
    ctx: Context,
    *,
    user_name: str | None = None,
    marker: str | None = None,
    max_items: int | None = None,
) -> ListAccessKeysResponse:
    """AWS ListAccessKeys: the user's keys without secrets, oldest first, paged."""
    user = target_user(state, ctx, user_name)
    keys = [state.access_keys[key_id] for key_id in state.user_access_keys.get(user.user_id, ())]
    items, truncated, next_marker = page_in_order(keys, marker, max_items)
    listed = tuple(metadata(state, key) for key in items)
    return ListAccessKeysResponse(listed, truncated, next_marker)


def update_access_key(
    state: AccountState,
    ctx: Context,
    *,
    access_key_id: str,
    status: str,
    user_name: str | None = None,
) -> None:
    """AWS UpdateAccessKey: make a key Active or Inactive.

    ``Expired`` (in the model's status enum) is InvalidInput "Operation does not
    support status Expired", and the key keeps its status, whether Active or
    Inactive (recorded from AWS, 2026: stackd ``resource_inputs.json`` ``key_statuses``).
    """
    user = target_user(state, ctx, user_name)
    key = _require_key(state, user, access_key_id)
    refuse_expired(status)
    if key.status != status:
        state.access_keys[access_key_id] = attrs.evolve(key, status=status)


def delete_access_key(
    state: AccountState, ctx: Context, *, access_key_id: str, user_name: str | None = None
) -> None:
    """AWS DeleteAccessKey: remove a key for good (NoSuchEntity if the user has no such key)."""
    user = target_user(state, ctx, user_name)
    _require_key(state, user, access_key_id)
    del state.access_keys[access_key_id]
    remaining = tuple(k for k in state.user_access_keys[user.user_id] if k != access_key_id)
    if remaining:
        state.user_access_keys[user.user_id] = remaining
    else:
        del state.user_access_keys[user.user_id]


def get_access_key_last_used(
    state: AccountState, ctx: Context, *, access_key_id: str
) -> GetAccessKeyLastUsedResponse:
    """AWS GetAccessKeyLastUsed: the owner and last use (``N/A`` when never used).

    A key that does not exist is answered with AccessDenied, as AWS does
    (the caller cannot be authorized on a resource that is not there).
    """
    key = state.access_keys.get(access_key_id)
    if key is None:
        raise AccessDenied(
            f"User: {users.caller_arn(state, ctx)} is not authorized to perform "
            f"iam:GetAccessKeyLastUsed on resource: access key {access_key_id}"
        )
    return GetAccessKeyLastUsedResponse(state.users[key.user_id].user_name, key.last_used)


def authenticate(
    state: AccountState,
    ctx: Context,
    *,
    access_key_id: str,
    secret_access_key: str,
    service: str,
    region: str,
    action: str | None = None,
    service_access: bool = True,
) -> CallerIdentity:
    """Check a request's credentials, as AWS does before any operation runs.

    Unknown or Inactive key → InvalidClientTokenId (403); wrong secret →
    SignatureDoesNotMatch (403); the secret is compared in constant time.
    On success the key's last use (date, service, region) is recorded,
    unless it was already recorded within the last 15 minutes, and the
    attempt to use ``service`` (and ``action``) for the service last accessed
    data (:mod:`iamcore.rules.access_advisor`), unless ``service_access`` is false:
    a request that needs no permission (STS GetCallerIdentity) is authorized by
    nobody, so it is no access attempt.  AWS reports
    that date to the minute (``…T10:45:00Z`` in GetAccessKeyLastUsed samples,
    ``:00`` seconds in every real credential report, where the other dates
    keep their seconds), so it is stored rounded down to the minute.
    """
    key = state.access_keys.get(access_key_id)
    if key is None or key.status != ACTIVE:
        raise InvalidClientTokenId(INVALID_TOKEN)
    expected = key.secret_digest if key.secret_digest is not None else b""
    if not hmac.compare_digest(secret_digest(secret_access_key), expected):
        raise SignatureDoesNotMatch(BAD_SIGNATURE)
    last = key.last_used.last_used_date
    if last is None or ctx.now - last >= LAST_USED_GRANULARITY:
        minute = ctx.now.replace(second=0)
        used = AccessKeyLastUsed(service_name=service, region=region, last_used_date=minute)
        state.access_keys[access_key_id] = attrs.evolve(key, last_used=used)
    if service_access:
        access_advisor.record_attempt(state, ctx, key.user_id, service, region, action)
    user = state.users[key.user_id]
    return CallerIdentity(
        user_id=user.user_id,
        user_name=user.user_name,
        arn=user.arn,
        account=ctx.account_id,
        access_key_id=access_key_id,
    )
