"""Built-in AWS managed policies (``arn:aws:iam::aws:policy/...``).

Every account can attach these without creating them.  Names, ARNs, paths,
policy IDs, dates, default version IDs and documents are AWS's own, as
``aws iam get-policy`` / ``get-policy-version`` report them (AWS Managed
Policy Reference Guide pages of the same names; the ``zoph-io/MAMIP`` /
``zoph-io/IAMTrail`` archive of ``get-policy-version`` output for the exact
documents and dates; public ``get-policy``/``list-policies`` output for IDs).
They are data, in ``_data/aws_managed_policies.json``, with the sources of
each policy's fields.  iamcore ships a selection of the most used ones, not
all of AWS's; an ARN of another is NoSuchEntity, as for a policy that does
not exist.

Only the default (operative) version of each policy is modelled; AWS also
keeps some earlier versions, which ``ListPolicyVersions`` would list.  The
documents are rendered as 2-space-indented JSON, the layout AWS stores for
``AdministratorAccess`` (the simulator's statement positions for it, line 3
column 17 to line 8 column 6, fit only that layout).

AWS managed policies cannot be changed or deleted by an account:
iamcore refuses those calls with AccessDenied (see
:mod:`iamcore.rules.policies`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from importlib import resources
from types import MappingProxyType
from typing import Any

from iamcore.entities import ManagedPolicy, PolicyVersion

__all__ = ["AWS_MANAGED_POLICIES", "AWS_POLICY_ARN_PREFIX", "aws_managed_policy"]

#: Every AWS managed policy ARN starts with this (the account field is ``aws``).
AWS_POLICY_ARN_PREFIX = "arn:aws:iam::aws:policy/"


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _policy(
    name: str,
    policy_id: str,
    description: str,
    created: str,
    version_id: str,
    version_created: str,
    document: dict[str, Any],
    path: str = "/",
) -> ManagedPolicy:
    version = PolicyVersion(
        version_id=version_id,
        is_default_version=True,
        create_date=_when(version_created),
        document=json.dumps(document, indent=2),
    )
    return ManagedPolicy(
        policy_name=name,
        policy_id=policy_id,
        arn=f"{AWS_POLICY_ARN_PREFIX}{path[1:]}{name}",
        path=path,
        create_date=_when(created),
        update_date=version.create_date,
        versions=(version,),
        next_version=int(version_id[1:]) + 1,
        description=description,
        aws_managed=True,
    )


def _load() -> tuple[ManagedPolicy, ...]:
    data = resources.files("iamcore").joinpath("_data/aws_managed_policies.json")
    text = data.read_text("utf-8")
    return tuple(
        _policy(
            entry["name"],
            entry["policy_id"],
            entry["description"],
            entry["create_date"],
            entry["version_id"],
            entry["version_create_date"],
            entry["document"],
            path=entry["path"],
        )
        for entry in json.loads(text)["policies"]
    )


_POLICIES = _load()

#: The built-in AWS managed policies by lower-case ARN.
AWS_MANAGED_POLICIES: Mapping[str, ManagedPolicy] = MappingProxyType(
    {policy.arn.lower(): policy for policy in _POLICIES}
)


def aws_managed_policy(arn: str) -> ManagedPolicy | None:
    """Return the AWS managed policy with this ARN (ignoring case), if iamcore has it."""
    return AWS_MANAGED_POLICIES.get(arn.lower())
