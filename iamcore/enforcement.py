"""Authorize IAM calls against the calling user's effective permissions.

AWS authorizes every IAM call: the caller's identity-based policies (the
user's inline and attached policies and those of the user's groups),
intersected with the user's permissions boundary, must allow the action
``iam:<Operation>`` on the target resource, and no statement may deny it
(UG "Policy evaluation logic"; "Permissions boundaries for IAM entities").
The root user is never checked.

Which resource an operation targets follows the Service Authorization
Reference for IAM ("Actions, resources, and condition keys for AWS Identity
and Access Management"): the user for user operations (for CreateUser the
ARN the new user will have; for calls without ``UserName`` the caller), the
group for group operations (AddUserToGroup and RemoveUserFromGroup too), the
policy for managed-policy operations, the virtual MFA device for
Create/DeleteVirtualMFADevice, the principal for SimulatePrincipalPolicy,
and ``*`` for account-wide operations (ListUsers, ListPolicies, password
policy, credential report, …).  UpdateUser/UpdateGroup also need the action
on the new ARN ("the requester must have appropriate permissions on both
the source object and the target object", UG "Managing IAM users").

The request context is what AWS provides for a call signed with an IAM
user's long-term access key: ``aws:username``, ``aws:userid``,
``aws:PrincipalArn``, ``aws:PrincipalAccount``, ``aws:PrincipalType``
(``User``), ``aws:PrincipalTag/*``, ``aws:CurrentTime``, ``aws:EpochTime``,
``aws:SecureTransport`` (true), ``aws:RequestedRegion`` (``us-east-1``: IAM
is global), ``aws:ViaAWSService`` (false); no ``aws:MultiFactorAuthPresent``
(absent for long-term keys), except ``true`` in a session authenticated with
MFA (``Account.acting_as(..., mfa_authenticated=True)``), with
``aws:MultiFactorAuthAge`` the seconds since the session started.  Per
operation: ``iam:PermissionsBoundary`` (the requested boundary for
CreateUser/PutUserPermissionsBoundary, the target user's boundary for the
policy operations on a user), ``iam:PolicyARN`` for
Attach/Detach*Policy, ``aws:RequestTag/*`` and ``aws:TagKeys`` for
CreateUser/TagUser/CreatePolicy/TagPolicy/CreateVirtualMFADevice
(``aws:TagKeys`` for the Untag operations), ``aws:ResourceTag/*`` /
``iam:ResourceTag/*`` of an existing tagged target user or policy, and for
CreateServiceSpecificCredential ``iam:ServiceSpecificCredentialServiceName`` (the
service name, lower-case) and ``iam:ServiceSpecificCredentialAgeDays`` (when
``CredentialAgeDays`` is given) (recorded from AWS, 2026: policies conditioned on
them allow the call, github.com/radkawar/stackd ``credential_inputs.json``,
``service_credentials_authorization_aws.json``).  ListServiceSpecificCredentials
with ``AllUsers`` targets every user of the account (recorded: a grant on the
caller's own ARN, or on another user's, is AccessDenied).

Enforcement is opt-in: ``mock_iam(enforce=True)`` or
:meth:`iamcore.Account.enforcing`.
"""

from __future__ import annotations

import contextvars
import functools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

from iamcore import _model, ids
from iamcore.entities import ManagedPolicy, Tag, User
from iamcore.errors import AccessDenied
from iamcore.policy import (
    ContextValue,
    Evaluation,
    PolicyDocument,
    Request,
    SourcedPolicy,
    evaluate,
    parse_policy,
)
from iamcore.rules import login_profiles
from iamcore.rules.policies import find_policy
from iamcore.state import AccountState, Context

__all__ = [
    "REGION",
    "Target",
    "authorize",
    "boundary_policies",
    "denial_message",
    "enforcing",
    "evaluate_user",
    "group_policies",
    "identity_policies",
    "parsed_document",
    "password_policy_allowance",
    "principal_context",
    "source_type",
    "targets",
    "user_policies",
]

#: IAM is a global service; AWS reports its calls in us-east-1.
REGION = "us-east-1"

#: Whether calls in this context are authorized against the caller's policies.
enforcing: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "iamcore_enforcing", default=False
)

#: Operations whose own rule decides who may call them.
_SELF_AUTHORIZED = frozenset({"ChangePassword"})
_GROUP_OPERATIONS = frozenset({"AddUserToGroup", "RemoveUserFromGroup"})
_TAGGING = frozenset(
    {
        "CreateUser",
        "TagUser",
        "CreatePolicy",
        "TagPolicy",
        "CreateVirtualMFADevice",
        "TagMFADevice",
    }
)
_UNTAGGING = frozenset({"UntagUser", "UntagPolicy", "UntagMFADevice"})
_POLICY_ARN_KEY = frozenset(
    {"AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy", "DetachGroupPolicy"}
)
_CURRENT_BOUNDARY_KEY = frozenset(
    {
        "AttachUserPolicy",
        "DetachUserPolicy",
        "PutUserPolicy",
        "DeleteUserPolicy",
        "DeleteUserPermissionsBoundary",
    }
)


@attrs.frozen
class Target:
    """A resource an operation acts on, with the request context keys it adds.

    ``shown`` is how AWS's AccessDenied message names the resource when it
    differs from the ARN that policies are matched against (``user bob``,
    ``group admins``, ``policy arn:…``, ``policy path /``, …).
    """

    resource: str
    context: Mapping[str, Any] = attrs.field(factory=dict)
    shown: str | None = None


# -- the caller's policies ----------------------------------------------------


@functools.lru_cache(maxsize=4096)
def parsed_document(text: str) -> PolicyDocument:
    # Stored documents were validated when they were stored; parsing is cached
    # (a parsed document also keeps its compiled form).
    return parse_policy(text, kind="identity")


def source_type(policy: ManagedPolicy) -> str:
    """The simulator's ``SourcePolicyType`` of a managed policy."""
    return "aws-managed" if policy.aws_managed else "user-managed"


def _managed(state: AccountState, arns: Iterable[str]) -> Iterator[SourcedPolicy]:
    for arn in arns:
        policy = find_policy(state, arn)
        if policy is not None:
            document = policy.default_version.document
            assert document is not None
            yield SourcedPolicy(policy.policy_name, source_type(policy), parsed_document(document))


def identity_policies(
    state: AccountState, user_id: str, *, include_groups: bool = True
) -> list[SourcedPolicy]:
    """A user's identity-based policies: inline, attached, then each group's (UG §6.1)."""
    policies = [
        SourcedPolicy(inline.policy_name, "user", parsed_document(inline.policy_document))
        for inline in state.user_inline_policies.get(user_id, {}).values()
    ]
    policies.extend(_managed(state, state.user_attached_policies.get(user_id, {})))
    if include_groups:
        for group_id in state.user_groups.get(user_id, {}):
            policies.extend(group_policies(state, group_id))
    return policies


def password_policy_allowance(state: AccountState, user: User) -> list[SourcedPolicy]:
    """AllowUsersToChangePassword lets every IAM user change their own password and read
    the password policy (UG "Setting an account password policy") as if an
    identity-based policy allowed it: an explicit deny still wins (UG "Policy
    evaluation logic") and, in iamcore's reading, a permissions boundary still limits it.
    """
    policy = state.password_policy
    if policy is None or not policy.allow_users_to_change_password:
        return []
    document = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "iam:ChangePassword", "Resource": user.arn},
                {"Effect": "Allow", "Action": "iam:GetAccountPasswordPolicy", "Resource": "*"},
            ],
        }
    )
    return [SourcedPolicy("AllowUsersToChangePassword", "user", parsed_document(document))]


def user_policies(state: AccountState, user: User) -> list[SourcedPolicy]:
    """Everything that grants a user permissions: identity-based policies and what the
    account password policy allows every user."""
    return identity_policies(state, user.user_id) + password_policy_allowance(state, user)


def group_policies(state: AccountState, group_id: str) -> list[SourcedPolicy]:
    """A group's inline and attached policies."""
    policies = [
        SourcedPolicy(inline.policy_name, "group", parsed_document(inline.policy_document))
        for inline in state.group_inline_policies.get(group_id, {}).values()
    ]
    policies.extend(_managed(state, state.group_attached_policies.get(group_id, {})))
    return policies


def boundary_policies(state: AccountState, user: User) -> list[SourcedPolicy] | None:
    """The user's permissions boundary as policies to evaluate (``None``: no boundary)."""
    if user.permissions_boundary is None:
        return None
    return list(_managed(state, [user.permissions_boundary.permissions_boundary_arn]))


# -- request context ----------------------------------------------------------


def principal_context(
    account_id: str, user: User, now: datetime | None
) -> dict[str, ContextValue | tuple[ContextValue, ...]]:
    """The global condition keys AWS sets for a request signed with the user's access key."""
    context: dict[str, ContextValue | tuple[ContextValue, ...]] = {
        "aws:username": user.user_name,
        "aws:userid": user.user_id,
        "aws:PrincipalArn": user.arn,
        "aws:PrincipalAccount": account_id,
        "aws:PrincipalType": "User",
        "aws:SecureTransport": True,
        "aws:RequestedRegion": REGION,
        "aws:ViaAWSService": False,
    }
    for tag in user.tags:
        context[f"aws:PrincipalTag/{tag.key}"] = tag.value
    if now is not None:
        context["aws:CurrentTime"] = now
        context["aws:EpochTime"] = int(now.timestamp())
    return context


def evaluate_user(
    state: AccountState,
    account_id: str,
    user: User,
    action: str,
    resource: str = "*",
    context: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> Evaluation:
    """Decide ``action`` on ``resource`` for ``user``: identity policies ∩ boundary.

    ``context`` adds to (and overrides) :func:`principal_context`.
    """
    full: dict[str, Any] = principal_context(account_id, user, now)
    full.update(context or {})
    request = Request(action, resource, full)
    return evaluate(
        request,
        user_policies(state, user),
        boundary_policies(state, user),
        principal_arn=user.arn,
    )


# -- what an operation targets -------------------------------------------------


@functools.cache
def _members(operation: str) -> frozenset[str]:
    input_shape = _model.operation(operation)["input"]
    if input_shape is None:
        return frozenset()
    return frozenset(_model.shape(input_shape)["members"])


def _tag_keys(tags: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    context: dict[str, Any] = {f"aws:RequestTag/{t['key']}": t.get("value", "") for t in tags}
    context["aws:TagKeys"] = tuple(t["key"] for t in tags)
    return context


def _resource_tags(tags: Iterable[Tag]) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for tag in tags:
        context[f"aws:ResourceTag/{tag.key}"] = tag.value
        context[f"iam:ResourceTag/{tag.key}"] = tag.value
    return context


def _user_target(state: AccountState, account_id: str, name: str) -> tuple[str, User | None]:
    user_id = state.user_ids.get(name.lower())
    if user_id is None:
        return ids.arn(account_id, "user", "/", name), None
    user = state.users[user_id]
    return user.arn, user


def _group_arn(state: AccountState, account_id: str, name: str) -> str:
    group_id = state.group_ids.get(name.lower())
    if group_id is None:
        return ids.arn(account_id, "group", "/", name)
    return state.groups[group_id].arn


#: Access-key calls without UserName: AWS's AccessDenied names the resource
#: "user null<caller>" (an unset path printed as "null"), as in real answers such as
#: "… iam:ListAccessKeys on resource: user nullweb_admin because …".
_NULL_PATH_WITHOUT_NAME = frozenset(
    {"ListAccessKeys", "CreateAccessKey", "DeleteAccessKey", "UpdateAccessKey"}
)


def _service_credential_keys(args: Mapping[str, Any]) -> dict[str, Any]:
    """CreateServiceSpecificCredential's condition keys: the service as AWS stores it
    (lower-case) and, when given, the credential age in days (recorded from AWS, 2026:
    ``StringEquals {"iam:ServiceSpecificCredentialAgeDays": "1"}`` allows
    ``CredentialAgeDays`` 1, and a policy on the lower-case service name allows
    ``CodeCommit.amazonaws.com``)."""
    extra: dict[str, Any] = {
        "iam:ServiceSpecificCredentialServiceName": str(args["service_name"]).lower()
    }
    if args.get("credential_age_days") is not None:
        extra["iam:ServiceSpecificCredentialAgeDays"] = int(args["credential_age_days"])
    return extra


def _user_targets(
    state: AccountState, ctx: Context, operation: str, args: Mapping[str, Any], caller: User
) -> list[Target]:
    name = args.get("user_name")
    if operation == "ListServiceSpecificCredentials" and args.get("all_users") and name is None:
        # every user's credentials are read: the action must be allowed on each user
        # (recorded from AWS, 2026: a grant on the caller's own ARN is AccessDenied)
        everyone = [state.users[state.user_ids[key]] for key in state.user_index.keys]
        return [
            Target(user.arn, _resource_tags(user.tags), f"user {user.user_name}")
            for user in everyone
        ] or [Target(caller.arn, shown=f"user {caller.user_name}")]
    if operation == "CreateUser":
        arn = ids.arn(ctx.account_id, "user", args.get("path", "/"), name or "")
        extra: dict[str, Any] = {}
        if args.get("permissions_boundary") is not None:
            extra["iam:PermissionsBoundary"] = args["permissions_boundary"]
        if args.get("tags"):
            extra.update(_tag_keys(args["tags"]))
        return [Target(arn, extra)]
    if operation == "GetAccessKeyLastUsed" and name is None:
        key = state.access_keys.get(args.get("access_key_id", ""))
        owner = state.users.get(key.user_id) if key is not None else None
        owner = owner if owner is not None else caller
        return [Target(owner.arn, shown=f"user {owner.user_name}")]
    user: User | None = caller
    arn = caller.arn
    if name is not None:
        arn, user = _user_target(state, ctx.account_id, name)
    shown = f"user {name if name is not None else caller.user_name}"
    if name is None and operation in _NULL_PATH_WITHOUT_NAME:
        shown = f"user null{caller.user_name}"
    extra = _resource_tags(user.tags) if user is not None else {}
    if operation == "PutUserPermissionsBoundary":
        extra["iam:PermissionsBoundary"] = args["permissions_boundary"]
    elif operation in _CURRENT_BOUNDARY_KEY and user is not None and user.permissions_boundary:
        extra["iam:PermissionsBoundary"] = user.permissions_boundary.permissions_boundary_arn
    if operation in _POLICY_ARN_KEY:
        extra["iam:PolicyARN"] = args["policy_arn"]
    if operation == "CreateServiceSpecificCredential":
        extra.update(_service_credential_keys(args))
    if operation == "TagUser":
        extra.update(_tag_keys(args["tags"]))
    elif operation == "UntagUser":
        extra["aws:TagKeys"] = tuple(args["tag_keys"])
    targets = [Target(arn, extra, shown)]
    if operation == "UpdateUser" and user is not None:
        new_path = args.get("new_path") or user.path
        new_name = args.get("new_user_name") or user.user_name
        new_arn = ids.arn(ctx.account_id, "user", new_path, new_name)
        if new_arn != arn:
            targets.append(Target(new_arn, extra, f"user {new_name}"))
    return targets


def _group_targets(
    state: AccountState, ctx: Context, operation: str, args: Mapping[str, Any]
) -> list[Target]:
    name = args["group_name"]
    if operation == "CreateGroup":
        return [Target(ids.arn(ctx.account_id, "group", args.get("path", "/"), name))]
    arn = _group_arn(state, ctx.account_id, name)
    extra: dict[str, Any] = {}
    if operation in _POLICY_ARN_KEY:
        extra["iam:PolicyARN"] = args["policy_arn"]
    targets = [Target(arn, extra, f"group {name}")]
    group_id = state.group_ids.get(name.lower())
    if operation == "UpdateGroup" and group_id is not None:
        group = state.groups[group_id]
        new_name = args.get("new_group_name") or group.group_name
        new_arn = ids.arn(ctx.account_id, "group", args.get("new_path") or group.path, new_name)
        if new_arn != arn:
            targets.append(Target(new_arn, shown=f"group {new_name}"))
    return targets


def _policy_targets(
    state: AccountState, ctx: Context, operation: str, args: Mapping[str, Any]
) -> list[Target]:
    if operation == "CreatePolicy":
        name = args["policy_name"]
        arn = ids.arn(ctx.account_id, "policy", args.get("path", "/"), name)
        tags = _tag_keys(args["tags"]) if args.get("tags") else {}
        return [Target(arn, tags, f"policy {name}")]
    policy = find_policy(state, args["policy_arn"])
    arn = policy.arn if policy is not None else args["policy_arn"]
    extra = _resource_tags(policy.tags) if policy is not None else {}
    if operation == "TagPolicy":
        extra.update(_tag_keys(args["tags"]))
    elif operation == "UntagPolicy":
        extra["aws:TagKeys"] = tuple(args["tag_keys"])
    return [Target(arn, extra, f"policy {arn}")]


def targets(
    state: AccountState, ctx: Context, operation: str, args: Mapping[str, Any], caller: User
) -> list[Target]:
    """The resources ``operation`` with validated ``args`` acts on, and their context keys."""
    members = _members(operation)
    if operation in _GROUP_OPERATIONS or ("GroupName" in members and "UserName" not in members):
        return _group_targets(state, ctx, operation, args)
    if "UserName" in members:
        return _user_targets(state, ctx, operation, args, caller)
    if "PolicyArn" in members or operation == "CreatePolicy":
        return _policy_targets(state, ctx, operation, args)
    if operation == "CreateVirtualMFADevice":
        arn = ids.arn(
            ctx.account_id, "mfa", args.get("path", "/"), args["virtual_mfa_device_name"]
        )
        return [Target(arn, _tag_keys(args["tags"]) if args.get("tags") else {})]
    if "SerialNumber" in members:  # DeleteVirtualMFADevice, Tag/UntagMFADevice, …
        extra = {"aws:TagKeys": tuple(args["tag_keys"])} if operation in _UNTAGGING else {}
        if operation in _TAGGING:
            extra = _tag_keys(args["tags"])
        return [Target(args["serial_number"], extra)]
    if "PolicySourceArn" in members:  # SimulatePrincipalPolicy, GetContextKeysFor…
        return [Target(args["policy_source_arn"])]
    if "Arn" in members:  # ListPoliciesGrantingServiceAccess, GenerateServiceLastAccessed…
        # authorized on the identity found (its own ARN: the lookup ignores the path)
        from iamcore.rules.service_access import find_identity  # imported late: a cycle

        found = find_identity(state, ctx, args["arn"])
        return [Target(found.arn if found is not None else args["arn"])]
    if "AccessKeyId" in members:  # GetAccessKeyLastUsed
        return _user_targets(state, ctx, "GetAccessKeyLastUsed", args, caller)
    prefix = args.get("path_prefix", "/")
    if operation in ("ListUsers", "ListGroups"):
        kind = "user" if operation == "ListUsers" else "group"
        return [Target("*", shown=f"arn:aws:iam::{ctx.account_id}:{kind}{prefix}")]
    if operation == "ListVirtualMFADevices":  # named like ListUsers' "…:user/" (real answers)
        return [Target("*", shown=f"arn:aws:iam::{ctx.account_id}:mfa/")]
    if operation == "ListPolicies":
        return [Target("*", shown=f"policy path {prefix}")]
    return [Target("*")]


# -- the check ----------------------------------------------------------------


def denial_message(
    state: AccountState,
    account_id: str,
    user: User,
    action: str,
    resource: str,
    context: Mapping[str, Any],
    evaluation: Evaluation,
    now: datetime | None = None,
    shown: str | None = None,
) -> str:
    """AWS's AccessDenied text, naming the policy type that denied.

    "User: arn:… is not authorized to perform: iam:X on resource: R
    because no identity-based policy allows the iam:X action" (or "with an
    explicit deny in an identity-based policy", "because no permissions
    boundary allows the iam:X action", "with an explicit deny in a
    permissions boundary"; UG "Troubleshooting access denied error messages").
    An explicit deny by a managed policy ends with ": <policy ARN>" (AWS
    Security Blog "Enhanced access denied error messages with policy ARNs";
    real answers such as "… with an explicit deny in a permissions boundary:
    arn:aws:iam::…:policy/…"); inline policies have no ARN to name.  R is
    ``shown`` when given (``user bob``, ``policy arn:…``: the form real
    answers use), else ``resource``.
    """
    head = (
        f"User: {user.arn} is not authorized to perform: {action} "
        f"on resource: {shown if shown is not None else resource}"
    )
    full: dict[str, Any] = principal_context(account_id, user, now)
    full.update(context)
    request = Request(action, resource, full)
    identity = evaluate(request, user_policies(state, user))
    if evaluation.decision == "explicitDeny":
        if identity.decision == "explicitDeny":
            arn = _denying_arn(state, user, identity)
            suffix = f": {arn}" if arn is not None else ""
            return f"{head} with an explicit deny in an identity-based policy{suffix}"
        assert user.permissions_boundary is not None
        boundary = user.permissions_boundary.permissions_boundary_arn
        return f"{head} with an explicit deny in a permissions boundary: {boundary}"
    if not identity.allowed:
        return f"{head} because no identity-based policy allows the {action} action"
    return f"{head} because no permissions boundary allows the {action} action"


def _denying_arn(state: AccountState, user: User, identity: Evaluation) -> str | None:
    """The ARN of the first managed policy whose statement denied, if a managed one did."""
    attached = list(state.user_attached_policies.get(user.user_id, {}))
    for group_id in state.user_groups.get(user.user_id, {}):
        attached.extend(state.group_attached_policies.get(group_id, {}))
    for statement in identity.matched_statements:
        if statement.source_policy_type not in ("aws-managed", "user-managed"):
            continue
        for arn in attached:
            policy = find_policy(state, arn)
            if policy is not None and policy.policy_name == statement.source_policy_id:
                return policy.arn
    return None


def authorize(state: AccountState, ctx: Context, operation: str, args: Mapping[str, Any]) -> None:
    """Raise AccessDenied unless the calling user may perform ``operation`` (root: always).

    Called by :class:`iamcore.Account` before the rule when :data:`enforcing`
    is set.
    """
    if ctx.caller is None or operation in _SELF_AUTHORIZED:
        return
    caller = state.users.get(ctx.caller)
    if caller is None:
        return
    action = f"iam:{operation}"
    for target in targets(state, ctx, operation, args, caller):
        if ctx.mfa_since is not None:  # a session authenticated with MFA (absent for keys)
            mfa = {
                "aws:MultiFactorAuthPresent": True,
                "aws:MultiFactorAuthAge": int((ctx.now - ctx.mfa_since).total_seconds()),
            }
            target = attrs.evolve(target, context={**target.context, **mfa})
        evaluation = evaluate_user(
            state, ctx.account_id, caller, action, target.resource, target.context, ctx.now
        )
        if not evaluation.allowed:
            raise AccessDenied(
                denial_message(
                    state,
                    ctx.account_id,
                    caller,
                    action,
                    target.resource,
                    target.context,
                    evaluation,
                    ctx.now,
                    target.shown,
                )
            )


def _change_password_denial(state: AccountState, user_id: str, now: datetime) -> str | None:
    """ChangePassword hook: ``None`` when the user may change their own password (their
    policies or AllowUsersToChangePassword, within their boundary, with no explicit
    deny), else AWS's AccessDenied text."""
    user = state.users[user_id]
    action = "iam:ChangePassword"
    evaluation = evaluate_user(state, state.account_id, user, action, user.arn, now=now)
    if evaluation.allowed:
        return None
    shown = f"user {user.user_name}"
    return denial_message(
        state, state.account_id, user, action, user.arn, {}, evaluation, now, shown
    )


login_profiles.CHANGE_PASSWORD_DENIAL.append(_change_password_denial)
