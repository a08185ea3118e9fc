"""SSH public key rules (CodeCommit): UploadSSHPublicKey, GetSSHPublicKey, ListSSHPublicKeys,
UpdateSSHPublicKey, DeleteSSHPublicKey.

AWS facts modelled here (aws-iam-rules.md §2.10, §3):

- keys are RSA, 2048–16384 bits, in ssh-rsa (OpenSSH) or PEM encoding
  (:mod:`iamcore.ssh`); a body that is no public key (an SSH certificate
  included) is ``UnrecognizedPublicKeyEncoding: Invalid public key uploaded.``
  and an RSA key that is too short (1024 bits) ``InvalidPublicKey: Invalid body
  for public key`` (AWS's texts, recorded from AWS, 2026:
  github.com/radkawar/stackd ``certificates_aws.json``);
- a user has at most 5 SSH public keys, Inactive ones included
  (LimitExceeded), and cannot upload the same key twice
  (``DuplicateSSHPublicKey: Duplicate SSH public key uploaded.``, 400, recorded)
  — the same key in another encoding is the same key; another user may upload it;
- another user's key ID is ``NoSuchEntity: User has no Public Key with id X.``
  (recorded); an ID no user has is ``The Public Key with id X cannot be found.``;
- UpdateSSHPublicKey cannot set ``Expired`` (``InvalidInput: Operation does not
  support status Expired``, recorded);
- key IDs are ``APKA`` + 17 characters; new keys are Active; the fingerprint
  is the MD5 of the key blob;
- GetSSHPublicKey answers the key in the encoding asked for (``SSH``: the
  ssh-rsa line; ``PEM``: a PEM SubjectPublicKeyInfo block);
- DeleteUser is refused while the user has SSH keys (order 40; AWS answers
  ``Cannot delete entity, must remove referenced objects first.``).

State: ``state.ssh_public_keys`` maps each key ID to a
:class:`~iamcore.entities.StoredSSHPublicKey`; ``state.user_ssh_public_keys``
maps a user ID to its key IDs in upload order (no entry when none).
"""

from __future__ import annotations

import attrs

from iamcore import ids, ssh
from iamcore.entities import SSHPublicKey, SSHPublicKeyMetadata, StoredSSHPublicKey, User
from iamcore.errors import (
    DuplicateSSHPublicKey,
    InvalidPublicKey,
    LimitExceeded,
    NoSuchEntity,
    UnrecognizedPublicKeyEncoding,
)
from iamcore.paging import page_of_sorted
from iamcore.responses import (
    GetSSHPublicKeyResponse,
    ListSSHPublicKeysResponse,
    UploadSSHPublicKeyResponse,
)
from iamcore.rules import _common, users
from iamcore.rules.access_keys import refuse_expired
from iamcore.rules.users import target_user
from iamcore.state import AccountState, Context

__all__ = [
    "ACTIVE",
    "INACTIVE",
    "MAX_SSH_KEYS_PER_USER",
    "delete_ssh_public_key",
    "get_ssh_public_key",
    "has_ssh_keys",
    "list_ssh_public_keys",
    "update_ssh_public_key",
    "upload_ssh_public_key",
]

MAX_SSH_KEYS_PER_USER = 5
ACTIVE = _common.ACTIVE
INACTIVE = _common.INACTIVE
#: AWS's texts (recorded from AWS, 2026: stackd ``certificates_aws.json``).
UNRECOGNIZED_KEY = "Invalid public key uploaded."
INVALID_KEY = "Invalid body for public key"
DUPLICATE_KEY = "Duplicate SSH public key uploaded."


def has_ssh_keys(state: AccountState, user_id: str) -> bool:
    """Whether the user has any SSH public key (Active or Inactive)."""
    return bool(state.user_ssh_public_keys.get(user_id))


def _user_keys(state: AccountState, user_id: str) -> list[StoredSSHPublicKey]:
    return [
        state.ssh_public_keys[key_id] for key_id in state.user_ssh_public_keys.get(user_id, ())
    ]


def _require_key(state: AccountState, user: User, key_id: str) -> StoredSSHPublicKey:
    """The user's key ``key_id``: NoSuchEntity ``User has no Public Key with id X.`` for
    another user's key (recorded from AWS, 2026: stackd ``ssh:wrong-owner``), ``The
    Public Key with id X cannot be found.`` for an ID no user has."""
    key = state.ssh_public_keys.get(key_id)
    if key is None:
        raise NoSuchEntity(f"The Public Key with id {key_id} cannot be found.")
    if key.user_id != user.user_id:
        raise NoSuchEntity(f"User has no Public Key with id {key_id}.")
    return key


def _parse(body: str) -> ssh.ParsedPublicKey:
    """Parse an uploaded key, answering with AWS's recorded texts."""
    try:
        return ssh.parse_public_key(body)
    except UnrecognizedPublicKeyEncoding:
        raise UnrecognizedPublicKeyEncoding(UNRECOGNIZED_KEY) from None
    except InvalidPublicKey:
        raise InvalidPublicKey(INVALID_KEY) from None


def _order_key(key: StoredSSHPublicKey) -> str:
    return f"{key.upload_date.isoformat()}\x00{key.ssh_public_key_id}"


def upload_ssh_public_key(
    state: AccountState, ctx: Context, *, user_name: str, ssh_public_key_body: str
) -> UploadSSHPublicKeyResponse:
    """AWS UploadSSHPublicKey: an RSA key for CodeCommit; 5 per user, no duplicates."""
    user = users.require_user(state, user_name)
    parsed = _parse(ssh_public_key_body)
    owned = _user_keys(state, user.user_id)
    if any(key.fingerprint == parsed.fingerprint for key in owned):
        raise DuplicateSSHPublicKey(DUPLICATE_KEY)
    if len(owned) >= MAX_SSH_KEYS_PER_USER:
        raise LimitExceeded(
            f"Cannot exceed quota for SSHPublicKeysPerUser: {MAX_SSH_KEYS_PER_USER}"
        )
    key = StoredSSHPublicKey(
        ssh_public_key_id=ids.unique_id(ids.IdPrefix.PUBLIC_KEY, ctx.entropy),
        user_id=user.user_id,
        fingerprint=parsed.fingerprint,
        body=ssh_public_key_body,  # answered as uploaded (recorded from AWS, 2026)
        status=ACTIVE,
        upload_date=ctx.now,
    )
    state.ssh_public_keys[key.ssh_public_key_id] = key
    state.user_ssh_public_keys.setdefault(user.user_id, {})[key.ssh_public_key_id] = None
    return UploadSSHPublicKeyResponse(
        SSHPublicKey(
            user_name=user.user_name,
            ssh_public_key_id=key.ssh_public_key_id,
            fingerprint=key.fingerprint,
            ssh_public_key_body=key.body,
            status=key.status,
            upload_date=key.upload_date,
        )
    )


def get_ssh_public_key(
    state: AccountState, ctx: Context, *, user_name: str, ssh_public_key_id: str, encoding: str
) -> GetSSHPublicKeyResponse:
    """AWS GetSSHPublicKey: the key in ``SSH`` (ssh-rsa line) or ``PEM`` encoding.

    ``SSH`` gives the ssh-rsa line of the key without a comment, even for a key
    uploaded as an ssh-rsa line with one (recorded from AWS, 2026: the body
    answered is not the uploaded ``… kept-comment``); ``PEM`` gives a PEM
    SubjectPublicKeyInfo block.
    """
    user = users.require_user(state, user_name)
    key = _require_key(state, user, ssh_public_key_id)
    parsed = ssh.parse_public_key(key.body)
    body = parsed.pem if encoding == "PEM" else parsed.openssh
    return GetSSHPublicKeyResponse(
        SSHPublicKey(
            user_name=user.user_name,
            ssh_public_key_id=key.ssh_public_key_id,
            fingerprint=key.fingerprint,
            ssh_public_key_body=body,
            status=key.status,
            upload_date=key.upload_date,
        )
    )


def list_ssh_public_keys(
    state: AccountState,
    ctx: Context,
    *,
    user_name: str | None = None,
    marker: str | None = None,
    max_items: int | None = None,
) -> ListSSHPublicKeysResponse:
    """AWS ListSSHPublicKeys: a user's keys (default: the caller) without bodies, paged."""
    user = target_user(state, ctx, user_name)
    keys = sorted(_user_keys(state, user.user_id), key=_order_key)
    items, truncated, next_marker = page_of_sorted(keys, _order_key, marker, max_items)
    listed = tuple(
        SSHPublicKeyMetadata(
            user_name=user.user_name,
            ssh_public_key_id=key.ssh_public_key_id,
            status=key.status,
            upload_date=key.upload_date,
        )
        for key in items
    )
    return ListSSHPublicKeysResponse(listed, truncated, next_marker)


def update_ssh_public_key(
    state: AccountState,
    ctx: Context,
    *,
    user_name: str,
    ssh_public_key_id: str,
    status: str,
) -> None:
    """AWS UpdateSSHPublicKey: set a key Active or Inactive; ``Expired`` is InvalidInput
    ``Operation does not support status Expired`` (recorded from AWS, 2026)."""
    user = users.require_user(state, user_name)
    key = _require_key(state, user, ssh_public_key_id)
    refuse_expired(status)
    state.ssh_public_keys[key.ssh_public_key_id] = attrs.evolve(key, status=status)


def delete_ssh_public_key(
    state: AccountState, ctx: Context, *, user_name: str, ssh_public_key_id: str
) -> None:
    """AWS DeleteSSHPublicKey: remove one of the user's keys."""
    user = users.require_user(state, user_name)
    key = _require_key(state, user, ssh_public_key_id)
    del state.ssh_public_keys[key.ssh_public_key_id]
    _common.discard(state.user_ssh_public_keys, user.user_id, key.ssh_public_key_id)


users.register_delete_check(40, "remove referenced objects", has_ssh_keys)
