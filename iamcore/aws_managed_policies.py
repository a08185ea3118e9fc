"""Built-in AWS managed policies (``arn:aws:iam::aws:policy/...``).

Every account can attach these without creating them.  Names, ARNs, paths,
policy IDs, dates, default version IDs and documents are AWS's own, as
``aws iam get-policy`` / ``get-policy-version`` report them (AWS Managed
Policy Reference Guide pages of the same names; the ``zoph-io/MAMIP``
archive of ``get-policy-version`` output for the exact dates).

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


_OWN_USER = "arn:aws:iam::*:user/${aws:username}"

_POLICIES = (
    _policy(
        "AdministratorAccess",
        "ANPAIWMBCKSKIEE64ZLYK",
        "Provides full access to AWS services and resources.",
        "2015-02-06T18:39:46",
        "v1",
        "2015-02-06T18:39:46",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
        },
    ),
    _policy(
        "PowerUserAccess",
        "ANPAJYRXTHIB4FOVS3ZXS",
        "Provides full access to AWS services and resources, "
        "but does not allow management of Users and groups.",
        "2015-02-06T18:39:47",
        "v12",
        "2026-02-12T17:59:14",
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "NotAction": ["iam:*", "organizations:*", "account:*"],
                    "Resource": "*",
                },
                {
                    "Effect": "Allow",
                    "Action": [
                        "account:GetAccountInformation",
                        "account:GetGovCloudAccountInformation",
                        "account:GetPrimaryEmail",
                        "account:ListRegions",
                        "iam:CreateServiceLinkedRole",
                        "iam:DeleteServiceLinkedRole",
                        "iam:ListRoles",
                        "organizations:DescribeEffectivePolicy",
                        "organizations:DescribeOrganization",
                    ],
                    "Resource": "*",
                },
            ],
        },
    ),
    _policy(
        "IAMFullAccess",
        "ANPAI7XKCFMBPM3QQRRVQ",
        "Provides full access to IAM via the AWS Management Console.",
        "2015-02-06T18:40:38",
        "v2",
        "2019-06-21T19:40:00",
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": [
                        "iam:*",
                        "organizations:DescribeAccount",
                        "organizations:DescribeOrganization",
                        "organizations:DescribeOrganizationalUnit",
                        "organizations:DescribePolicy",
                        "organizations:ListChildren",
                        "organizations:ListParents",
                        "organizations:ListPoliciesForTarget",
                        "organizations:ListRoots",
                        "organizations:ListPolicies",
                        "organizations:ListTargetsForPolicy",
                    ],
                    "Resource": "*",
                }
            ],
        },
    ),
    _policy(
        "IAMReadOnlyAccess",
        "ANPAJKSO7NDY4T57MWDSQ",
        "Provides read only access to IAM via the AWS Management Console.",
        "2015-02-06T18:40:39",
        "v4",
        "2018-01-25T19:11:27",
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": [
                        "iam:GenerateCredentialReport",
                        "iam:GenerateServiceLastAccessedDetails",
                        "iam:Get*",
                        "iam:List*",
                        "iam:SimulateCustomPolicy",
                        "iam:SimulatePrincipalPolicy",
                    ],
                    "Resource": "*",
                }
            ],
        },
    ),
    _policy(
        "IAMUserChangePassword",
        "ANPAJ4L4MM2A7QIEB56MS",
        "Provides the ability for an IAM user to change their own password.",
        "2016-11-15T00:25:16",
        # v5 since 2026-02-12 17:58 UTC (reference page "Edited time"; LS recorded
        # DefaultVersionId v5 the same day); the second is not published.
        "v5",
        "2026-02-12T17:58:00",
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["iam:ChangePassword"],
                    "Resource": [_OWN_USER, "arn:aws:iam::*:user/*/${aws:username}"],
                },
                {"Effect": "Allow", "Action": ["iam:GetAccountPasswordPolicy"], "Resource": "*"},
            ],
        },
    ),
    _policy(
        "IAMUserSSHKeys",
        "ANPAJTSHUA4UXGXU7ANUA",
        "Provides the ability for an IAM user to manage their own SSH keys.",
        "2015-07-09T17:08:54",
        "v1",
        "2015-07-09T17:08:54",
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": [
                        "iam:DeleteSSHPublicKey",
                        "iam:GetSSHPublicKey",
                        "iam:ListSSHPublicKeys",
                        "iam:UpdateSSHPublicKey",
                        "iam:UploadSSHPublicKey",
                    ],
                    "Resource": _OWN_USER,
                }
            ],
        },
    ),
    _policy(
        "AWSLambdaBasicExecutionRole",
        "ANPAJNCQGXC42545SKXIK",
        "Provides write permissions to CloudWatch Logs.",
        "2015-04-09T15:03:43",
        "v1",
        "2015-04-09T15:03:43",
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": [
                        "logs:CreateLogGroup",
                        "logs:CreateLogStream",
                        "logs:PutLogEvents",
                    ],
                    "Resource": "*",
                }
            ],
        },
        path="/service-role/",
    ),
)

#: The built-in AWS managed policies by lower-case ARN.
AWS_MANAGED_POLICIES: Mapping[str, ManagedPolicy] = MappingProxyType(
    {policy.arn.lower(): policy for policy in _POLICIES}
)


def aws_managed_policy(arn: str) -> ManagedPolicy | None:
    """Return the AWS managed policy with this ARN (ignoring case), if iamcore has it."""
    return AWS_MANAGED_POLICIES.get(arn.lower())
