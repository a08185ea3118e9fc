"""Service-specific credential rules: CreateServiceSpecificCredential,
ListServiceSpecificCredentials, ResetServiceSpecificCredential,
UpdateServiceSpecificCredential, DeleteServiceSpecificCredential.

AWS facts modelled here (aws-iam-rules.md §2.11, §3; API reference examples; answers
recorded from AWS, 2026: github.com/radkawar/stackd ``service_credentials_aws.json``,
``service_credentials_authorization_aws.json``):

- supported services: CodeCommit (``codecommit.amazonaws.com``, HTTPS Git
  credentials), Amazon Keyspaces (``cassandra.amazonaws.com``), and the
  long-term API keys of Amazon Bedrock (``bedrock.amazonaws.com``), CloudWatch
  Logs (``logs.amazonaws.com``), CloudWatch (``cloudwatch.amazonaws.com``) and
  ``aws-external-anthropic.amazonaws.com``.  The name is matched ignoring case
  and stored lower-case (``CodeCommit.amazonaws.com`` gives a credential for
  ``codecommit.amazonaws.com``, recorded); for any other name AWS answers
  ``NoSuchEntity`` (404) "No such service X is supported for Service Specific
  Credentials" although the model lists ``NotSupportedService`` (natively the
  error is also a :class:`~iamcore.errors.NotSupportedService`), and for an
  unknown credential ID "No such credential X exists";
- another user's credential ID is ``ValidationError: User <UserName> does not
  have a service specific credential with id <id>`` (Reset, Update, Delete;
  recorded);
- at most 2 credentials per supported service per user (``LimitExceeded:
  Cannot exceed quota for ContextSpecificCredentialsPerUserPerContext: 2``, recorded);
- IAM generates the user name and password; the password (60 characters,
  recorded) is returned only by Create and Reset.  ``ServiceUserName`` is the
  IAM user name, ``-at-`` and the account ID (``jane-at-123456789012``), with
  ``+1`` after the user name for a second credential of that name for the
  service (``jane+1-at-123456789012``); it keeps the name the user had when it
  was created, and is unique in the account for the service (a new user who
  took a renamed user's name gets ``+1``, recorded);
- API keys carry ``ServiceCredentialAlias`` and ``ServiceCredentialSecret``
  instead: the secret is a service prefix (``ABSK`` Bedrock, ``ACWL`` CloudWatch
  Logs, ``APIAACWM`` CloudWatch, ``AEAA`` aws-external-anthropic) followed by
  base64 of ``alias:secret`` with a 60-character secret (recorded);
- any credential may expire after ``CredentialAgeDays`` (``ExpirationDate``;
  recorded for CodeCommit too);
- ``AllUsers`` with ``UserName`` is ``InvalidInput: Cannot list credentials for
  all users if a username is given``; a ListServiceSpecificCredentials
  ``ServiceName`` outside ``[a-zA-Z0-9.-]*`` is ``ValidationError: ServiceName must
  match [a-zA-Z0-9.-]*``, and ``""`` lists every service (recorded);
- setting ``Expired`` is ``InvalidInput: Operation does not support status Expired``
  (recorded);
- Reset replaces the password; the old one stops working at once;
- DeleteUser is refused while the user has any (order 50; AWS answers
  ``Cannot delete entity, must remove referenced objects first.``).

iamcore's choices where AWS is silent (docs/mfa-ssh-git.md): passwords are 45
random bytes in base64 (60 characters, AWS's length); a credential past its
``ExpirationDate`` lists as ``Expired``.

State: ``state.service_specific_credentials`` maps each credential ID to a
:class:`~iamcore.entities.StoredServiceSpecificCredential` (the password only as
a salted Scrypt hash); ``state.user_service_specific_credentials`` maps a user
ID to its credential IDs, oldest first (no entry when none).
"""

from __future__ import annotations

import base64
import re
from datetime import datetime, timedelta

import attrs

from iamcore import ids, passwords
from iamcore.entities import (
    ServiceSpecificCredential,
    ServiceSpecificCredentialMetadata,
    StoredServiceSpecificCredential,
    User,
)
from iamcore.errors import (
    InvalidInput,
    LimitExceeded,
    NoSuchEntity,
    NotSupportedService,
    ValidationError,
)
from iamcore.paging import page_of_sorted
from iamcore.responses import (
    CreateServiceSpecificCredentialResponse,
    ListServiceSpecificCredentialsResponse,
    ResetServiceSpecificCredentialResponse,
)
from iamcore.rules import _common, users
from iamcore.rules.access_keys import refuse_expired
from iamcore.rules.users import target_user
from iamcore.state import AccountState, Context

__all__ = [
    "ACTIVE",
    "API_KEY_SERVICES",
    "EXPIRED",
    "INACTIVE",
    "MAX_CREDENTIALS_PER_SERVICE",
    "PASSWORD_SERVICES",
    "SUPPORTED_SERVICES",
    "ServiceNotSupported",
    "canonical_service_name",
    "check_service_password",
    "create_service_specific_credential",
    "delete_service_specific_credential",
    "has_service_specific_credentials",
    "list_service_specific_credentials",
    "reset_service_specific_credential",
    "update_service_specific_credential",
]

#: Services whose credentials are a generated user name and password.
PASSWORD_SERVICES = ("codecommit.amazonaws.com", "cassandra.amazonaws.com")
#: Services whose credentials are long-term API keys (alias and secret).
API_KEY_SERVICES = (
    "bedrock.amazonaws.com",
    "logs.amazonaws.com",
    "cloudwatch.amazonaws.com",
    "aws-external-anthropic.amazonaws.com",
)
SUPPORTED_SERVICES = PASSWORD_SERVICES + API_KEY_SERVICES
MAX_CREDENTIALS_PER_SERVICE = 2
ACTIVE = _common.ACTIVE
INACTIVE = _common.INACTIVE
EXPIRED = "Expired"

#: 45 bytes make 60 base64 characters, the length of AWS's passwords (recorded, 2026).
_PASSWORD_BYTES = 45
#: 45 bytes make the 60-character secret inside an API key (recorded, 2026).
_API_SECRET_BYTES = 45
#: What an API key's ServiceCredentialSecret starts with (recorded from AWS, 2026).
_API_KEY_PREFIX = {
    "bedrock.amazonaws.com": "ABSK",
    "logs.amazonaws.com": "ACWL",
    "cloudwatch.amazonaws.com": "APIAACWM",
    "aws-external-anthropic.amazonaws.com": "AEAA",
}
#: ListServiceSpecificCredentials' check of ServiceName (AWS's text, recorded, 2026).
_LIST_SERVICE_NAME = re.compile(r"[a-zA-Z0-9.-]*")


class ServiceNotSupported(NoSuchEntity, NotSupportedService):
    """A service without service-specific credentials: AWS's code is ``NoSuchEntity`` (404),
    not the model's ``NotSupportedService``; native callers may catch either class."""

    code = "NoSuchEntity"


def has_service_specific_credentials(state: AccountState, user_id: str) -> bool:
    """Whether the user has any service-specific credential."""
    return bool(state.user_service_specific_credentials.get(user_id))


def _user_credentials(state: AccountState, user_id: str) -> list[StoredServiceSpecificCredential]:
    ids_ = state.user_service_specific_credentials.get(user_id, ())
    return [state.service_specific_credentials[credential_id] for credential_id in ids_]


def canonical_service_name(service_name: str) -> str:
    """The supported service ``service_name`` names, lower-case (AWS matches the name
    ignoring case and stores it lower-case, recorded from AWS, 2026), else
    NoSuchEntity "No such service X is supported for Service Specific Credentials"."""
    canonical = service_name.lower()
    if canonical not in SUPPORTED_SERVICES:
        raise ServiceNotSupported(
            f"No such service {service_name} is supported for Service Specific Credentials"
        )
    return canonical


def _require_credential(
    state: AccountState, user: User, credential_id: str
) -> StoredServiceSpecificCredential:
    """The user's credential: NoSuchEntity for an unknown ID, ValidationError ``User X
    does not have a service specific credential with id Y`` for another user's
    (recorded from AWS, 2026: stackd ``wrong-owner``)."""
    credential = state.service_specific_credentials.get(credential_id)
    if credential is None:
        raise NoSuchEntity(f"No such credential {credential_id} exists")
    if credential.user_id != user.user_id:
        raise ValidationError(
            f"User {user.user_name} does not have a service specific credential "
            f"with id {credential_id}"
        )
    return credential


def _status(credential: StoredServiceSpecificCredential, ctx: Context) -> str:
    """The status as read: ``Expired`` once past the expiration date."""
    if credential.expiration_date is not None and ctx.now >= credential.expiration_date:
        return EXPIRED
    return credential.status


def _cost(state: AccountState) -> passwords.ScryptCost:
    return state.password_hash_cost or passwords.default_cost()


def _new_secret(
    state: AccountState, ctx: Context, service_name: str, alias: str | None
) -> tuple[str, passwords.PasswordHash]:
    """A fresh password (or API-key secret) and its hash."""
    if service_name in PASSWORD_SERVICES:
        secret = base64.b64encode(ctx.entropy(_PASSWORD_BYTES)).decode("ascii")
    else:
        raw = base64.b64encode(ctx.entropy(_API_SECRET_BYTES)).decode("ascii")
        token = base64.b64encode(f"{alias}:{raw}".encode()).decode("ascii")
        secret = _API_KEY_PREFIX.get(service_name, "") + token
    return secret, passwords.hash_password(secret, ctx.entropy(16), _cost(state))


def check_service_password(
    state: AccountState, credential_id: str, secret: str, now: datetime | None = None
) -> bool:
    """Whether ``secret`` is the current password (or API-key secret) of a credential.

    For tools that model the services themselves (a CodeCommit Git credential
    helper, say); no IAM operation does this.  Inactive or unknown credentials
    never match, nor, given the time ``now``, one past its ExpirationDate
    (an API key made with CredentialAgeDays reads ``Expired`` then).
    """
    credential = state.service_specific_credentials.get(credential_id)
    if credential is None or credential.status != ACTIVE:
        return False
    expiry = credential.expiration_date
    if now is not None and expiry is not None and now >= expiry:
        return False
    return passwords.verify_password(secret, credential.secret_hash)


def _generated_name(
    state: AccountState, ctx: Context, user: User, service_name: str, field: str
) -> str:
    """``{user}-at-{account}``, or ``{user}+N-at-{account}`` with the lowest N free in
    the account for the service (a renamed user's credentials keep their names, so a
    new user of the old name gets ``+1``: recorded from AWS, 2026)."""
    taken = {
        getattr(credential, field)
        for credential in state.service_specific_credentials.values()
        if credential.service_name == service_name
    }
    index = 0
    while True:
        suffix = "" if index == 0 else f"+{index}"
        name = f"{user.user_name}{suffix}-at-{ctx.account_id}"
        if name not in taken:
            return name
        index += 1


def _full(
    credential: StoredServiceSpecificCredential, user: User, ctx: Context, secret: str
) -> ServiceSpecificCredential:
    api_key = credential.service_name in API_KEY_SERVICES
    return ServiceSpecificCredential(
        create_date=credential.create_date,
        service_name=credential.service_name,
        service_specific_credential_id=credential.service_specific_credential_id,
        user_name=user.user_name,
        status=_status(credential, ctx),
        service_user_name=credential.service_user_name,
        service_password=None if api_key else secret,
        service_credential_alias=credential.service_credential_alias,
        service_credential_secret=secret if api_key else None,
        expiration_date=credential.expiration_date,
    )


def _metadata(
    state: AccountState, ctx: Context, credential: StoredServiceSpecificCredential
) -> ServiceSpecificCredentialMetadata:
    return ServiceSpecificCredentialMetadata(
        user_name=state.users[credential.user_id].user_name,
        status=_status(credential, ctx),
        create_date=credential.create_date,
        service_specific_credential_id=credential.service_specific_credential_id,
        service_name=credential.service_name,
        service_user_name=credential.service_user_name,
        service_credential_alias=credential.service_credential_alias,
        expiration_date=credential.expiration_date,
    )


def create_service_specific_credential(
    state: AccountState,
    ctx: Context,
    *,
    user_name: str,
    service_name: str,
    credential_age_days: int | None = None,
) -> CreateServiceSpecificCredentialResponse:
    """AWS CreateServiceSpecificCredential: generated name and password, 2 per service per user.

    Checks, in order: the user exists (NoSuchEntity), the service is supported,
    ignoring case (NoSuchEntity), and the user has fewer than 2 credentials for
    the service (LimitExceeded ``…ContextSpecificCredentialsPerUserPerContext: 2``).
    ``CredentialAgeDays`` sets an ExpirationDate for every service, CodeCommit and
    Keyspaces included (recorded from AWS, 2026: stackd ``legacy-expiration``).
    """
    user = users.require_user(state, user_name)
    service_name = canonical_service_name(service_name)
    api_key = service_name in API_KEY_SERVICES
    same_service = [
        credential
        for credential in _user_credentials(state, user.user_id)
        if credential.service_name == service_name
    ]
    if len(same_service) >= MAX_CREDENTIALS_PER_SERVICE:
        raise LimitExceeded(
            f"Cannot exceed quota for ContextSpecificCredentialsPerUserPerContext: "
            f"{MAX_CREDENTIALS_PER_SERVICE}"
        )
    field = "service_credential_alias" if api_key else "service_user_name"
    generated = _generated_name(state, ctx, user, service_name, field)
    secret, secret_hash = _new_secret(state, ctx, service_name, generated)
    credential = StoredServiceSpecificCredential(
        service_specific_credential_id=ids.unique_id(
            ids.IdPrefix.CONTEXT_SPECIFIC_CREDENTIAL, ctx.entropy
        ),
        user_id=user.user_id,
        service_name=service_name,
        create_date=ctx.now,
        status=ACTIVE,
        secret_hash=secret_hash,
        service_user_name=None if api_key else generated,
        service_credential_alias=generated if api_key else None,
        expiration_date=(
            ctx.now + timedelta(days=credential_age_days)
            if credential_age_days is not None
            else None
        ),
    )
    credential_id = credential.service_specific_credential_id
    state.service_specific_credentials[credential_id] = credential
    state.user_service_specific_credentials.setdefault(user.user_id, {})[credential_id] = None
    return CreateServiceSpecificCredentialResponse(_full(credential, user, ctx, secret))


def _order_key(credential: StoredServiceSpecificCredential) -> str:
    return (
        f"{credential.service_name}\x00{credential.create_date.isoformat()}"
        f"\x00{credential.service_specific_credential_id}"
    )


def list_service_specific_credentials(
    state: AccountState,
    ctx: Context,
    *,
    user_name: str | None = None,
    service_name: str | None = None,
    all_users: bool | None = None,
    marker: str | None = None,
    max_items: int | None = None,
) -> ListServiceSpecificCredentialsResponse:
    """AWS ListServiceSpecificCredentials: one user's (default: the caller's), or every
    user's with ``AllUsers``, optionally for one service, without secrets, paged.

    Ordered by user name, then service, then creation.  ``AllUsers`` with
    ``UserName`` is InvalidInput; ``ServiceName`` must match ``[a-zA-Z0-9.-]*``
    (ValidationError) and ``""`` means every service (recorded from AWS, 2026).
    """
    if all_users and user_name is not None:
        raise InvalidInput("Cannot list credentials for all users if a username is given")
    if service_name is not None and _LIST_SERVICE_NAME.fullmatch(service_name) is None:
        raise ValidationError("ServiceName must match [a-zA-Z0-9.-]*")
    if all_users:
        owners = [state.users[state.user_ids[key]] for key in state.user_index.keys]
    else:  # the user is looked up before the service is checked, as in Create
        owners = [target_user(state, ctx, user_name)]
    if service_name == "":
        service_name = None
    if service_name is not None:
        service_name = canonical_service_name(service_name)
    keyed: list[tuple[str, StoredServiceSpecificCredential]] = []
    for owner in owners:
        for credential in _user_credentials(state, owner.user_id):
            if service_name is None or credential.service_name == service_name:
                keyed.append(
                    (f"{owner.user_name.lower()}\x00{_order_key(credential)}", credential)
                )
    keyed.sort(key=lambda pair: pair[0])
    items, truncated, next_marker = page_of_sorted(keyed, lambda pair: pair[0], marker, max_items)
    listed = tuple(_metadata(state, ctx, credential) for _, credential in items)
    return ListServiceSpecificCredentialsResponse(listed, truncated, next_marker)


def reset_service_specific_credential(
    state: AccountState,
    ctx: Context,
    *,
    service_specific_credential_id: str,
    user_name: str | None = None,
) -> ResetServiceSpecificCredentialResponse:
    """AWS ResetServiceSpecificCredential: a new generated password; the old one stops working.

    The ID, service, user name (or alias), status and expiry stay.
    """
    user = target_user(state, ctx, user_name)
    credential = _require_credential(state, user, service_specific_credential_id)
    alias = credential.service_credential_alias
    secret, secret_hash = _new_secret(state, ctx, credential.service_name, alias)
    updated = attrs.evolve(credential, secret_hash=secret_hash)
    state.service_specific_credentials[credential.service_specific_credential_id] = updated
    return ResetServiceSpecificCredentialResponse(_full(updated, user, ctx, secret))


def update_service_specific_credential(
    state: AccountState,
    ctx: Context,
    *,
    service_specific_credential_id: str,
    status: str,
    user_name: str | None = None,
) -> None:
    """AWS UpdateServiceSpecificCredential: set Active or Inactive; ``Expired`` is
    InvalidInput ``Operation does not support status Expired`` (recorded from AWS, 2026)."""
    user = target_user(state, ctx, user_name)
    credential = _require_credential(state, user, service_specific_credential_id)
    refuse_expired(status)
    state.service_specific_credentials[credential.service_specific_credential_id] = attrs.evolve(
        credential, status=status
    )


def delete_service_specific_credential(
    state: AccountState,
    ctx: Context,
    *,
    service_specific_credential_id: str,
    user_name: str | None = None,
) -> None:
    """AWS DeleteServiceSpecificCredential: remove one of the user's credentials."""
    user = target_user(state, ctx, user_name)
    credential = _require_credential(state, user, service_specific_credential_id)
    credential_id = credential.service_specific_credential_id
    del state.service_specific_credentials[credential_id]
    _common.discard(state.user_service_specific_credentials, user.user_id, credential_id)


users.register_delete_check(50, "remove referenced objects", has_service_specific_credentials)
