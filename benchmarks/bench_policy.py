"""Policy evaluation: iamcore.policy.evaluate vs moto's access-control evaluator, one run.

    python benchmarks/bench_policy.py            # the recorded figures (9 repetitions)
    python benchmarks/bench_policy.py --quick    # smoke run (7 requests, one pass each)

The workload is one IAM user's policies and a fixed set of requests:

* 10 identity policies of 5 statements each (50 statements) over iam, s3, ec2
  and dynamodb (plus a few logs/kms/cloudwatch grants), with wildcards, policy
  variables, one explicit ``Deny`` and conditions using ``StringEquals``,
  ``StringLike``, ``IpAddress``, ``Bool``/``BoolIfExists``, ``DateLessThan``,
  ``ArnLike`` and ``ForAllValues:StringEquals``;
* a permissions boundary of 3 statements;
* requests = actions x resources x 4 request contexts (office with MFA, home
  without MFA, another user after a deadline, an empty context): some are
  allowed, some explicitly denied, some implicitly denied.

Three scenarios, each timed on every target in the same run:

``identity``       the 10 identity policies only;
``boundary``       the same plus the permissions boundary (the baseline);
``unrelated``      the baseline plus 1,000 statements for services no request
                   uses (100 more in each identity policy), to show that
                   iamcore's cost per decision does not grow with statements
                   that cannot match the action.

Targets:

``iamcore``             ``iamcore.policy.evaluate`` on documents parsed once
                        (``parse_policy``), evaluated many times;
``moto``                moto's ``moto.iam.access_control.IAMPolicy`` objects built
                        once, ``is_action_permitted(action, resource)`` per policy,
                        combined the way moto's ``IAMRequestBase.check_action_permitted``
                        does (any DENIED denies, else any PERMITTED allows);
``moto as driven``      the same, but building ``IAMPolicy`` (``json.loads`` of the
                        document) for every decision, as moto's access control does
                        on every request.

moto evaluates identity policies only: it has no permissions boundaries (in
the boundary scenarios it gets the identity policies, which is what it would
evaluate), it passes no request context to the evaluator (so every condition
it can read is true; it only knows ``StringEquals`` anyway), and its access
control's own policy collection (backend look-ups) is not timed here.
Decisions where moto and iamcore disagree are counted and a few are shown,
with the cause found by re-evaluating with iamcore without the boundary and
without the conditions.

Timing: ``time.perf_counter_ns``; each (target, scenario) pair is warmed up
and calibrated (enough passes over the requests to last ``--min-time``
seconds), then ``--repeats`` timed repetitions, each of which times every
pair (one target's scenarios back to back); the median is reported.
Figures are measured, never asserted: the machine is shared, only the
ratios within one run are meaningful.
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import os
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python benchmarks/bench_policy.py` from a checkout
    sys.path.insert(0, str(ROOT))

from iamcore.policy import (  # noqa: E402
    PolicyDocument,
    Request,
    SourcedPolicy,
    evaluate,
    parse_policy,
)
from iamcore.policy.matching import action_matches, compile_wildcard  # noqa: E402

ACCOUNT = "123456789012"
HEADER = (
    "| scenario | statements (identity + boundary) | iamcore decisions/s | iamcore µs/decision "
    "| moto decisions/s | moto µs/decision | moto / iamcore | moto as driven µs/decision "
    "| moto as driven / iamcore | disagreements |"
)

# ---------------------------------------------------------------------------------------
# The policies


def _stmt(sid: str, effect: str, action: Any, resource: Any, **condition: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {"Sid": sid, "Effect": effect, "Action": action}
    statement["Resource"] = resource
    if condition:
        statement["Condition"] = condition
    return statement


USER_ARN = f"arn:aws:iam::{ACCOUNT}:user"
ME = f"{USER_ARN}/${{aws:username}}"
PROD = ["arn:aws:s3:::prod-data", "arn:aws:s3:::prod-data/*"]
ORDERS = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/orders"
INSTANCES = f"arn:aws:ec2:*:{ACCOUNT}:instance/*"

IDENTITY: list[tuple[str, list[dict[str, Any]]]] = [
    (
        "IamSelfService",
        [
            _stmt("IamRead", "Allow", ["iam:Get*", "iam:List*"], "*"),
            _stmt(
                "OwnKeys",
                "Allow",
                ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:UpdateAccessKey"],
                ME,
            ),
            _stmt("OwnPassword", "Allow", "iam:ChangePassword", ME),
            _stmt(
                "OwnMfa",
                "Allow",
                ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice"],
                [f"arn:aws:iam::{ACCOUNT}:mfa/*", ME],
            ),
            _stmt(
                "PassAppRoles",
                "Allow",
                "iam:PassRole",
                f"arn:aws:iam::{ACCOUNT}:role/app-*",
                StringEquals={"iam:PassedToService": "ec2.amazonaws.com"},
            ),
        ],
    ),
    (
        "S3TeamBucket",
        [
            _stmt("ListBuckets", "Allow", ["s3:ListAllMyBuckets", "s3:GetBucketLocation"], "*"),
            _stmt(
                "ListOwnPrefix",
                "Allow",
                "s3:ListBucket",
                "arn:aws:s3:::team-bucket",
                StringLike={"s3:prefix": ["", "home/", "home/${aws:username}/*"]},
            ),
            _stmt(
                "OwnObjects",
                "Allow",
                ["s3:GetObject", "s3:PutObject"],
                "arn:aws:s3:::team-bucket/home/${aws:username}/*",
            ),
            _stmt("ReadShared", "Allow", "s3:GetObject", "arn:aws:s3:::team-bucket/shared/*"),
            _stmt(
                "WriteSharedTls",
                "Allow",
                "s3:PutObject",
                "arn:aws:s3:::team-bucket/shared/*",
                Bool={"aws:SecureTransport": "true"},
            ),
        ],
    ),
    (
        "S3ProdData",
        [
            _stmt("ProdRead", "Allow", ["s3:Get*", "s3:List*"], PROD),
            _stmt(
                "ProdUploadFromOffice",
                "Allow",
                "s3:PutObject",
                "arn:aws:s3:::prod-data/uploads/*",
                IpAddress={"aws:SourceIp": "203.0.113.0/24"},
            ),
            _stmt(
                "DenyDeleteWithoutMfa",
                "Deny",
                ["s3:DeleteObject", "s3:DeleteBucket"],
                PROD,
                BoolIfExists={"aws:MultiFactorAuthPresent": "false"},
            ),
            _stmt(
                "ProdDeleteUploads", "Allow", "s3:DeleteObject", "arn:aws:s3:::prod-data/uploads/*"
            ),
            _stmt(
                "TagClassified",
                "Allow",
                "s3:PutObjectTagging",
                "arn:aws:s3:::prod-data/*",
                StringEquals={"s3:RequestObjectTag/classification": ["public", "internal"]},
            ),
        ],
    ),
    (
        "Ec2Operate",
        [
            _stmt("Ec2Read", "Allow", "ec2:Describe*", "*"),
            _stmt(
                "StartStopOwn",
                "Allow",
                ["ec2:StartInstances", "ec2:StopInstances", "ec2:RebootInstances"],
                INSTANCES,
                StringEquals={"ec2:ResourceTag/owner": "${aws:username}"},
            ),
            _stmt(
                "TagOnLaunch",
                "Allow",
                "ec2:CreateTags",
                INSTANCES,
                StringEquals={"ec2:CreateAction": "RunInstances"},
            ),
            _stmt(
                "RunInHomeRegion",
                "Allow",
                "ec2:RunInstances",
                ["arn:aws:ec2:us-east-1::image/ami-*", f"arn:aws:ec2:us-east-1:{ACCOUNT}:*"],
                StringEquals={"aws:RequestedRegion": "us-east-1"},
            ),
            _stmt("ConsoleOutput", "Allow", "ec2:GetConsoleOutput", INSTANCES),
        ],
    ),
    (
        "Ec2Dev",
        [
            _stmt(
                "TerminateDev",
                "Allow",
                "ec2:TerminateInstances",
                INSTANCES,
                StringEquals={"ec2:ResourceTag/env": "dev"},
            ),
            _stmt(
                "VolumesDevTest",
                "Allow",
                "ec2:*Volume*",
                "*",
                StringLike={"ec2:ResourceTag/env": ["dev", "test*"]},
            ),
            _stmt(
                "SecurityGroups",
                "Allow",
                "ec2:*SecurityGroup*",
                f"arn:aws:ec2:us-east-1:{ACCOUNT}:security-group/*",
            ),
            # Action names are case-insensitive in IAM; people do write them so.
            _stmt("Snapshots", "Allow", "ec2:createsnapshot", "*"),
            _stmt(
                "AddressesUntil2030",
                "Allow",
                ["ec2:AllocateAddress", "ec2:AssociateAddress"],
                "*",
                DateLessThan={"aws:CurrentTime": "2030-01-01T00:00:00Z"},
            ),
        ],
    ),
    (
        "DynamoOrders",
        [
            _stmt(
                "OrdersRead",
                "Allow",
                ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan"],
                [ORDERS, f"{ORDERS}/index/*"],
            ),
            _stmt(
                "OrdersWriteFromOffice",
                "Allow",
                ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
                ORDERS,
                IpAddress={"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]},
            ),
            _stmt("DynamoDescribe", "Allow", ["dynamodb:Describe*", "dynamodb:List*"], "*"),
            _stmt(
                "OwnCustomerItems",
                "Allow",
                "dynamodb:GetItem",
                f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/customers",
                **{"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": "${aws:username}"}},
            ),
            _stmt(
                "BackupsUntil2026",
                "Allow",
                "dynamodb:*Backup*",
                f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/*",
                DateLessThan={"aws:CurrentTime": "2026-01-01T00:00:00Z"},
            ),
        ],
    ),
    (
        "DynamoAnalytics",
        [
            _stmt(
                "AnalyticsQuery",
                "Allow",
                ["dynamodb:Query", "dynamodb:PartiQLSelect"],
                f"arn:aws:dynamodb:*:{ACCOUNT}:table/analytics-*",
            ),
            _stmt(
                "ReferenceTables",
                "Allow",
                "dynamodb:Get*",
                f"arn:aws:dynamodb:*:{ACCOUNT}:table/ref-??",
            ),
            _stmt(
                "ScratchCreate",
                "Allow",
                "dynamodb:CreateTable",
                f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/scratch-*",
                StringEquals={"aws:RequestedRegion": "us-east-1"},
            ),
            _stmt(
                "ScratchDelete",
                "Allow",
                "dynamodb:DeleteTable",
                f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/scratch-*",
            ),
            _stmt(
                "TagAsAnalytics",
                "Allow",
                "dynamodb:TagResource",
                "*",
                StringEquals={"aws:RequestTag/team": "analytics"},
            ),
        ],
    ),
    (
        "Observability",
        [
            _stmt("Metrics", "Allow", ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics"], "*"),
            _stmt(
                "AppLogs",
                "Allow",
                ["logs:CreateLogStream", "logs:PutLogEvents"],
                f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/app/*",
            ),
            _stmt(
                "DecryptViaS3",
                "Allow",
                "kms:Decrypt",
                f"arn:aws:kms:us-east-1:{ACCOUNT}:key/*",
                StringEquals={"kms:ViaService": "s3.us-east-1.amazonaws.com"},
            ),
            _stmt("WhoAmI", "Allow", "sts:GetCallerIdentity", "*"),
            _stmt("ReadOnlyEverywhere", "Allow", "*:Describe*", "*"),
        ],
    ),
    (
        "Wildcards",
        [
            _stmt("ObjectTags", "Allow", "s3:Get*Tagging", "arn:aws:s3:::*"),
            _stmt("Ec2Tags", "Allow", "ec2:*Tags", f"arn:aws:ec2:us-east-1:{ACCOUNT}:volume/*"),
            _stmt("OwnSshKeys", "Allow", "iam:*SSHPublicKey*", ME),
            _stmt("IamTagsRead", "Allow", "iam:List*Tags", f"{USER_ARN}/*"),
            _stmt("DynamoStreams", "Allow", "dynamodb:*Stream*", f"{ORDERS}/stream/*"),
        ],
    ),
    (
        "IamUserAdmin",
        [
            _stmt(
                "CreateDevUsers",
                "Allow",
                ["iam:CreateUser", "iam:TagUser"],
                f"{USER_ARN}/dev/*",
                StringEquals={"aws:RequestTag/team": "platform"},
            ),
            _stmt(
                "AttachReadOnly",
                "Allow",
                "iam:AttachUserPolicy",
                f"{USER_ARN}/dev/*",
                ArnLike={"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
            ),
            _stmt(
                "DeleteDevUsersWithMfa",
                "Allow",
                "iam:DeleteUser",
                f"{USER_ARN}/dev/*",
                Bool={"aws:MultiFactorAuthPresent": "true"},
            ),
            _stmt(
                "DevGroup",
                "Allow",
                "iam:AddUserToGroup",
                f"arn:aws:iam::{ACCOUNT}:group/developers",
            ),
            _stmt(
                "SetDevBoundary",
                "Allow",
                "iam:PutUserPermissionsBoundary",
                f"{USER_ARN}/dev/*",
                StringEquals={
                    "iam:PermissionsBoundary": f"arn:aws:iam::{ACCOUNT}:policy/DevBoundary"
                },
            ),
        ],
    ),
]

BOUNDARY: list[dict[str, Any]] = [
    _stmt("DataServices", "Allow", ["s3:*", "dynamodb:*", "cloudwatch:*", "logs:*"], "*"),
    _stmt(
        "Ec2TwoRegions",
        "Allow",
        "ec2:*",
        "*",
        StringEquals={"aws:RequestedRegion": ["us-east-1", "eu-west-1"]},
    ),
    _stmt(
        "IamSelf",
        "Allow",
        [
            "iam:Get*",
            "iam:List*",
            "iam:*AccessKey*",
            "iam:ChangePassword",
            "iam:*MFADevice",
            "iam:*SSHPublicKey*",
        ],
        "*",
    ),
]

#: Real services no request uses, then made-up prefixes (svc0001, …).
UNRELATED_SERVICES = [
    "lambda",
    "sqs",
    "sns",
    "kinesis",
    "firehose",
    "glue",
    "athena",
    "redshift",
    "rds",
    "elasticache",
    "es",
    "route53",
    "acm",
    "secretsmanager",
    "ssm",
    "ecr",
    "ecs",
    "eks",
    "cloudformation",
    "codebuild",
    "codepipeline",
    "events",
    "states",
    "apigateway",
    "cognito-idp",
    "sagemaker",
    "batch",
    "backup",
    "elasticfilesystem",
    "fsx",
]


def unrelated_statements(count: int, *, distinct: bool = True) -> list[dict[str, Any]]:
    """``count`` statements, each for a service no request asks for.

    ``distinct``: every statement has its own action and resource patterns
    (half of them for made-up service prefixes ``svc0001``, …); otherwise
    the statements cycle through 30 real services with the same patterns.
    """
    statements = []
    for i in range(count):
        if not distinct:
            service = UNRELATED_SERVICES[i % len(UNRELATED_SERVICES)]
        elif i % 2 == 0:
            service = UNRELATED_SERVICES[(i // 2) % len(UNRELATED_SERVICES)]
        else:
            service = f"svc{i:04d}"
        tag = i if distinct else 0
        resource = f"arn:aws:{service}:us-east-1:{ACCOUNT}:thing/team-{tag % 17}/*"
        effect = "Deny" if i % 10 == 9 else "Allow"
        if i % 5 == 0:
            statements.append(
                _stmt(
                    f"Unrelated{i}",
                    effect,
                    [f"{service}:Get*", f"{service}:Describe{tag}"],
                    resource,
                    StringEquals={"aws:RequestedRegion": "us-east-1"},
                )
            )
        else:
            statements.append(
                _stmt(
                    f"Unrelated{i}", effect, [f"{service}:List*", f"{service}:Put{tag}"], resource
                )
            )
    return statements


def document_text(statements: list[dict[str, Any]]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def strip_conditions(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    stripped = copy.deepcopy(statements)
    for statement in stripped:
        statement.pop("Condition", None)
    return stripped


# ---------------------------------------------------------------------------------------
# The requests


def _arn_ec2(kind: str, ident: str, region: str = "us-east-1") -> str:
    return f"arn:aws:ec2:{region}:{ACCOUNT}:{kind}/{ident}"


ACTIONS: list[tuple[str, str]] = [
    ("iam:GetUser", f"{USER_ARN}/alice"),
    ("iam:ListUsers", "*"),
    ("iam:CreateAccessKey", f"{USER_ARN}/alice"),
    ("iam:CreateAccessKey", f"{USER_ARN}/bob"),
    ("iam:DeleteUser", f"{USER_ARN}/dev/carol"),
    ("iam:CreateRole", f"arn:aws:iam::{ACCOUNT}:role/admin"),
    ("s3:GetObject", "arn:aws:s3:::team-bucket/home/alice/notes.txt"),
    ("s3:PutObject", "arn:aws:s3:::team-bucket/shared/plan.txt"),
    ("s3:ListBucket", "arn:aws:s3:::team-bucket"),
    ("s3:DeleteObject", "arn:aws:s3:::prod-data/reports/q1.csv"),
    ("s3:DeleteObject", "arn:aws:s3:::prod-data/uploads/new.csv"),
    ("s3:PutObject", "arn:aws:s3:::prod-data/uploads/new.csv"),
    ("ec2:DescribeInstances", "*"),
    ("ec2:StartInstances", _arn_ec2("instance", "i-0123456789abcdef0")),
    ("ec2:TerminateInstances", _arn_ec2("instance", "i-0123456789abcdef0")),
    ("ec2:CreateSnapshot", _arn_ec2("volume", "vol-0123456789abcdef0")),
    ("dynamodb:GetItem", ORDERS),
    ("dynamodb:PutItem", ORDERS),
    ("dynamodb:GetItem", f"arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/ref-eu"),
    ("dynamodb:DeleteTable", ORDERS),
    ("dynamodb:CreateBackup", ORDERS),
]


def _entry(name: str, value: str, key_type: str = "string") -> dict[str, Any]:
    return {"ContextKeyName": name, "ContextKeyValues": [value], "ContextKeyType": key_type}


CONTEXTS: list[tuple[str, list[dict[str, Any]]]] = [
    (
        "office+MFA",
        [
            _entry("aws:username", "alice"),
            _entry("aws:SourceIp", "203.0.113.10", "ip"),
            _entry("aws:MultiFactorAuthPresent", "true", "boolean"),
            _entry("aws:SecureTransport", "true", "boolean"),
            _entry("aws:CurrentTime", "2025-06-01T12:00:00Z", "date"),
            _entry("aws:RequestedRegion", "us-east-1"),
            _entry("ec2:ResourceTag/owner", "alice"),
            _entry("ec2:ResourceTag/env", "dev"),
            _entry("s3:prefix", "home/alice/"),
        ],
    ),
    (
        "home, no MFA",
        [
            _entry("aws:username", "alice"),
            _entry("aws:SourceIp", "192.0.2.55", "ip"),
            _entry("aws:MultiFactorAuthPresent", "false", "boolean"),
            _entry("aws:SecureTransport", "true", "boolean"),
            _entry("aws:CurrentTime", "2025-06-01T12:00:00Z", "date"),
            _entry("aws:RequestedRegion", "eu-west-1"),
            _entry("ec2:ResourceTag/owner", "bob"),
            _entry("ec2:ResourceTag/env", "prod"),
            _entry("s3:prefix", "home/bob/"),
        ],
    ),
    (
        "bob, 2026, no TLS",
        [
            _entry("aws:username", "bob"),
            _entry("aws:SourceIp", "198.51.100.7", "ip"),
            _entry("aws:MultiFactorAuthPresent", "true", "boolean"),
            _entry("aws:SecureTransport", "false", "boolean"),
            _entry("aws:CurrentTime", "2026-06-01T12:00:00Z", "date"),
            _entry("aws:RequestedRegion", "ap-southeast-2"),
            _entry("ec2:ResourceTag/env", "test-1"),
            _entry("s3:prefix", ""),
        ],
    ),
    ("empty context", []),
]


@dataclass(frozen=True)
class Case:
    """One request: for iamcore with its context; for moto only action and resource."""

    action: str
    resource: str
    context_name: str
    request: Request


def cases() -> list[Case]:
    return [
        Case(action, resource, name, Request.from_context_entries(action, resource, entries))
        for action, resource in ACTIONS
        for name, entries in CONTEXTS
    ]


# ---------------------------------------------------------------------------------------
# Scenarios and targets


@dataclass
class Scenario:
    key: str
    label: str
    identity: list[tuple[str, list[dict[str, Any]]]]
    boundary: list[dict[str, Any]] | None
    iamcore_identity: list[SourcedPolicy] = field(default_factory=list)
    iamcore_boundary: list[SourcedPolicy] | None = None
    moto_texts: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.moto_texts = [document_text(statements) for _, statements in self.identity]
        self.iamcore_identity = [
            SourcedPolicy(name, "user-managed", parse_policy(text, managed=True))
            for (name, _), text in zip(self.identity, self.moto_texts, strict=True)
        ]
        if self.boundary is not None:
            document = parse_policy(document_text(self.boundary), kind="boundary", managed=True)
            self.iamcore_boundary = [SourcedPolicy("Boundary", "user-managed", document)]

    @property
    def identity_statements(self) -> int:
        return sum(len(statements) for _, statements in self.identity)

    @property
    def distinct_patterns(self) -> int:
        """Distinct Action and Resource strings of the identity policies (what moto matches)."""
        found: set[str] = set()
        for _, statements in self.identity:
            for statement in statements:
                for element in ("Action", "Resource"):
                    value = statement[element]
                    found.update(value if isinstance(value, list) else [value])
        return len(found)

    @property
    def boundary_statements(self) -> int:
        return len(self.boundary) if self.boundary is not None else 0


def _padded(extra: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The identity policies with 100 of ``extra`` around each one's 5 statements."""
    padded = []
    for index, (name, statements) in enumerate(IDENTITY):
        chunk = extra[index * 100 : (index + 1) * 100]
        padded.append((name, chunk[:50] + statements + chunk[50:]))
    return padded


def scenarios() -> list[Scenario]:
    distinct = _padded(unrelated_statements(1000))
    repeated = _padded(unrelated_statements(1000, distinct=False))
    return [
        Scenario("identity", "10 identity policies × 5 statements", IDENTITY, None),
        Scenario("boundary", "… + permissions boundary (baseline)", IDENTITY, BOUNDARY),
        Scenario("unrelated", "… + 1,000 unrelated statements", distinct, BOUNDARY),
        Scenario(
            "unrelated-repeated",
            "… + 1,000 unrelated statements, 30 repeated patterns",
            repeated,
            BOUNDARY,
        ),
    ]


def iamcore_decider(scenario: Scenario) -> Callable[[Case], str]:
    identity, boundary = scenario.iamcore_identity, scenario.iamcore_boundary

    def decide(case: Case) -> str:
        return evaluate(case.request, identity, boundary).decision

    return decide


def moto_decider(scenario: Scenario, *, reparse: bool) -> Callable[[Case], str]:
    """moto's check_action_permitted loop over the identity policies (no boundary, no context)."""
    from moto.iam.access_control import IAMPolicy, PermissionResult

    denied, permitted_result = PermissionResult.DENIED, PermissionResult.PERMITTED
    inline = [{"policy_document": text} for text in scenario.moto_texts]
    built = [IAMPolicy(policy) for policy in inline]

    def decide(case: Case) -> str:
        permitted = False
        policies = [IAMPolicy(policy) for policy in inline] if reparse else built
        for policy in policies:
            result = policy.is_action_permitted(case.action, case.resource)
            if result == denied:
                return "explicitDeny"
            if result == permitted_result:
                permitted = True
        return "allowed" if permitted else "implicitDeny"

    return decide


TARGETS = ("iamcore", "moto", "moto_driven")


def deciders(scenario: Scenario) -> dict[str, Callable[[Case], str]]:
    return {
        "iamcore": iamcore_decider(scenario),
        "moto": moto_decider(scenario, reparse=False),
        "moto_driven": moto_decider(scenario, reparse=True),
    }


# ---------------------------------------------------------------------------------------
# Timing


def log(text: str) -> None:
    """Progress goes to stderr, so stdout is only the report."""
    print(text, file=sys.stderr, flush=True)


def time_passes(decide: Callable[[Case], str], requests: Sequence[Case], passes: int) -> float:
    """Nanoseconds per decision over ``passes`` passes of ``requests``."""
    gc.collect()
    clock = time.perf_counter_ns
    start = clock()
    for _ in range(passes):
        for case in requests:
            decide(case)
    return (clock() - start) / (passes * len(requests))


def calibrate(decide: Callable[[Case], str], requests: Sequence[Case], min_time: float) -> int:
    """Warm up, then the number of passes that lasts at least ``min_time`` seconds."""
    ns = time_passes(decide, requests, 1)  # warm-up (and caches) …
    if min_time <= 0:
        return 1
    ns = time_passes(decide, requests, 1)  # … then a first estimate
    per_pass = ns * len(requests) / 1e9
    return max(1, int(min_time / max(per_pass, 1e-9)) + 1)


def measure(
    all_scenarios: Sequence[Scenario], requests: Sequence[Case], repeats: int, min_time: float
) -> dict[tuple[str, str], list[float]]:
    """ns per decision for each (target, scenario key), one value per repetition.

    Every repetition times every (target, scenario) pair, one target's
    scenarios back to back, so that a burst of load on the shared machine
    hits all of them alike and the scaling ratios compare neighbours.
    """
    runs = [
        (target, scenario, decide)
        for target in TARGETS
        for scenario in all_scenarios
        for name, decide in deciders(scenario).items()
        if name == target
    ]
    passes = []
    for target, scenario, decide in runs:
        log(f"  calibrating {target} on {scenario.key}")
        passes.append(calibrate(decide, requests, min_time))
    samples: dict[tuple[str, str], list[float]] = {(t, s.key): [] for t, s, _ in runs}
    for rep in range(repeats):
        for (target, scenario, decide), count in zip(runs, passes, strict=True):
            samples[target, scenario.key].append(time_passes(decide, requests, count))
        log(
            f"  repetition {rep + 1}/{repeats}: "
            + ", ".join(f"{t}/{k} {v[-1] / 1000:.1f} µs" for (t, k), v in samples.items())
        )
    return samples


# ---------------------------------------------------------------------------------------
# Fidelity: where moto and iamcore disagree


@dataclass
class Disagreement:
    case: Case
    iamcore: str
    moto: str
    cause: str
    iamcore_sids: tuple[str, ...]
    moto_sids: tuple[str, ...]


def _sid_index(documents: Sequence[SourcedPolicy]) -> dict[tuple[str, int, int], str]:
    index = {}
    for sourced in documents:
        document: PolicyDocument = sourced.document
        for statement in document.statements:
            position = statement.start_position
            key = (sourced.source_policy_id, position.line, position.column)
            index[key] = statement.sid or "?"
    return index


def _moto_sids(scenario: Scenario, case: Case, decision: str) -> tuple[str, ...]:
    """The statements behind moto's decision (the first DENIED, or every PERMITTED)."""
    from moto.iam.access_control import IAMPolicyStatement, PermissionResult

    wanted = PermissionResult.DENIED if decision == "explicitDeny" else PermissionResult.PERMITTED
    found = []
    for name, statements in scenario.identity:
        for statement in statements:
            result = IAMPolicyStatement(statement).is_action_permitted(case.action, case.resource)
            if result == wanted:
                found.append(f"{name}/{statement['Sid']}")
                if decision == "explicitDeny":
                    return tuple(found)
    return tuple(found) if decision != "implicitDeny" else ()


def _outcome(decision: str) -> str:
    return "allowed" if decision == "allowed" else "denied"


def _matching_cause(scenario: Scenario, case: Case, iamcore_sids: Sequence[str]) -> str:
    """Why moto's action/resource matching missed the statement iamcore applied."""
    statements = {
        f"{name}/{statement['Sid']}": statement
        for name, policy in scenario.identity
        for statement in policy
    }
    for sid in iamcore_sids:
        statement = statements.get(sid)
        if statement is None:
            continue
        actions = statement["Action"] if isinstance(statement["Action"], list) else []
        actions = actions or [statement["Action"]]
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else []
        resources = resources or [statement["Resource"]]
        if any(
            action_matches(a, case.action) and compile_wildcard(a).fullmatch(case.action) is None
            for a in actions
        ):
            return "matching: moto compares action names case-sensitively"
        if any("${" in r for r in resources):
            return "matching: moto does not substitute policy variables"
        if any("?" in r for r in resources + actions):
            return "matching: moto reads `?` as regular-expression syntax"
    return "matching: action/resource matching differs"


def deny_kind_differences(scenario: Scenario, requests: Sequence[Case]) -> int:
    """Requests both deny, one explicitly and the other implicitly (not a visible difference)."""
    iamcore = iamcore_decider(scenario)
    moto = moto_decider(scenario, reparse=False)
    count = 0
    for case in requests:
        ours, theirs = iamcore(case), moto(case)
        count += ours != theirs and "allowed" not in (ours, theirs)
    return count


def disagreements(scenario: Scenario, requests: Sequence[Case]) -> list[Disagreement]:
    """Requests whose outcome (allowed vs denied) differs between iamcore and moto."""
    iamcore = iamcore_decider(scenario)
    moto = moto_decider(scenario, reparse=False)
    no_boundary = scenario.iamcore_identity
    unconditional = [
        SourcedPolicy(name, "user-managed", parse_policy(document_text(strip_conditions(s))))
        for name, s in scenario.identity
    ]
    all_docs = no_boundary + (scenario.iamcore_boundary or [])
    sids = _sid_index(all_docs)
    found = []
    for case in requests:
        ours, theirs = iamcore(case), moto(case)
        if _outcome(ours) == _outcome(theirs):
            continue
        cause = ""
        if _outcome(evaluate(case.request, no_boundary).decision) == _outcome(theirs):
            cause = "boundary: moto has no permissions boundaries"
        elif _outcome(evaluate(case.request, unconditional).decision) == _outcome(theirs):
            cause = "conditions: moto treats them as true"
        evaluation = evaluate(case.request, no_boundary, scenario.iamcore_boundary)
        ours_sids = tuple(
            f"{m.source_policy_id}/"
            + sids.get((m.source_policy_id, m.start_position.line, m.start_position.column), "?")
            for m in evaluation.matched_statements
        )
        if not cause:
            cause = _matching_cause(scenario, case, ours_sids)
        found.append(
            Disagreement(case, ours, theirs, cause, ours_sids, _moto_sids(scenario, case, theirs))
        )
    return found


# ---------------------------------------------------------------------------------------
# Report


def _us(ns: float) -> str:
    us = ns / 1000
    return f"{us:,.0f}" if us >= 100 else f"{us:.1f}" if us >= 10 else f"{us:.2f}"


def _rate(ns: float) -> str:
    return f"{1e9 / ns:,.0f}"


def machine() -> str:
    try:
        import moto

        moto_version = moto.__version__
    except ImportError:  # pragma: no cover - the bench extra is missing
        moto_version = "not installed"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, load average {load}; "
        f"Python {platform.python_version()} ({platform.python_implementation()}); "
        f"moto {moto_version}."
    )


def report(
    results: list[tuple[Scenario, dict[str, float], list[Disagreement], int]],
    samples: dict[tuple[str, str], list[float]],
    requests: Sequence[Case],
    args: argparse.Namespace,
) -> str:
    lines = [
        "### Policy evaluation: iamcore.policy.evaluate vs moto's IAMPolicy",
        "",
        (
            f"{len(requests)} requests: a quick smoke run, not the recorded figures."
            if args.quick
            else f"{len(requests)} requests ({len(ACTIONS)} action/resource pairs × "
            f"{len(CONTEXTS)} request contexts), median of {args.repeats} repetitions "
            f"(each ≥ {args.min_time:g} s per target)."
        ),
        "",
        HEADER,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario, medians, found, _ in results:
        ours, theirs, driven = medians["iamcore"], medians["moto"], medians["moto_driven"]
        statements = f"{scenario.identity_statements} + {scenario.boundary_statements}"
        lines.append(
            f"| {scenario.label} | {statements} | {_rate(ours)} | {_us(ours)} | {_rate(theirs)} "
            f"| {_us(theirs)} | {theirs / ours:.1f}× | {_us(driven)} | {driven / ours:.1f}× "
            f"| {len(found)} / {len(requests)} |"
        )
    by_key = {scenario.key: scenario for scenario, _, _, _ in results}

    def scaling(target: str, key: str) -> float:
        """Median over repetitions of (µs with the statements / µs at baseline), paired."""
        pairs = zip(samples[target, key], samples[target, "boundary"], strict=True)
        return statistics.median(big / base for big, base in pairs)

    lines += [
        "",
        "Scaling with 1,000 statements that cannot match the action (µs/decision with "
        "them / baseline, median of the per-repetition ratios):",
        "",
    ]
    for key in ("unrelated", "unrelated-repeated"):
        lines.append(
            f"- {key} ({by_key[key].distinct_patterns:,} distinct Action/Resource patterns): "
            f"iamcore **{scaling('iamcore', key):.2f}×**, moto {scaling('moto', key):.1f}×, "
            f"moto as driven {scaling('moto_driven', key):.1f}×"
        )
    lines += [
        "",
        f"(baseline: {by_key['boundary'].distinct_patterns} distinct patterns. moto matches "
        "each pattern with `re.match` on a pattern string; with more distinct patterns than "
        "the `re` module's cache holds (512), every match recompiles its regular "
        "expression: hence moto's 'unrelated' vs 'unrelated-repeated' difference.)",
        "",
        "moto evaluates the identity policies only: it has no permissions boundaries, its "
        "access control passes no request context to the evaluator (every condition is "
        "treated as true; it only implements StringEquals), and it matches actions and "
        "resources with a regular expression made by replacing `*` with `.*` "
        "(case-sensitive, `?` and `$` are regex syntax, no policy variables, NotResource "
        "ignored). 'moto' reuses IAMPolicy objects built once; 'moto as driven' builds them "
        "(json.loads) for every decision, as moto's access control does on every request. "
        "Disagreements compare the outcome (allowed vs denied).",
        "",
        machine(),
        "",
    ]
    listed: list[tuple[str, list[tuple[Case, str, str, str]]]] = []
    for scenario, _, found, kind_only in results:
        causes = Counter(d.cause for d in found)
        lines.append(
            f"#### Disagreements, {scenario.key}: {len(found)} of {len(requests)}"
            + (
                " (" + "; ".join(f"{c} ×{n}" for c, n in causes.most_common()) + ")"
                if found
                else ""
            )
        )
        lines.append("")
        lines.append(
            f"Besides these, {kind_only} request(s) denied by both: explicitly by one, "
            "implicitly by the other."
        )
        lines.append("")
        signature = [(d.case, d.iamcore, d.moto, d.cause) for d in found]
        same_as = next((key for key, seen in listed if seen == signature), None)
        listed.append((scenario.key, signature))
        if same_as is not None:
            lines.append(f"The same requests as in {same_as}.")
            lines.append("")
            continue
        shown: set[tuple[str, str, str]] = set()
        for d in found:
            example = (d.case.action, d.case.resource, d.cause)
            if example in shown or len(shown) >= args.examples:
                continue
            shown.add(example)
            lines.append(
                f"- `{d.case.action}` on `{d.case.resource}` ({d.case.context_name}): "
                f"iamcore {d.iamcore} [{', '.join(d.iamcore_sids) or 'no statement'}], "
                f"moto {d.moto} [{', '.join(d.moto_sids) or 'no statement'}] — {d.cause}"
            )
        lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--quick", action="store_true", help="smoke run: 7 requests, 1 pass")
    p.add_argument("--repeats", type=int, default=9, help="timed repetitions (default 9)")
    p.add_argument(
        "--min-time",
        type=float,
        default=0.2,
        help="seconds per target and scenario per repetition (default 0.2)",
    )
    p.add_argument("--examples", type=int, default=16, help="disagreements shown per scenario")
    p.add_argument("--markdown", type=Path, help="also write the report to this file")
    args = p.parse_args(argv)
    requests = cases()
    if args.quick:  # a third of the actions in one context; one warm-up and one timed pass
        args.repeats, args.min_time = 1, 0.0
        requests = requests[:: 3 * len(CONTEXTS)]
    all_scenarios = scenarios()
    samples = measure(all_scenarios, requests, args.repeats, args.min_time)
    results = []
    for scenario in all_scenarios:
        log(f"  comparing decisions on {scenario.key}")
        found = disagreements(scenario, requests)
        kind_only = deny_kind_differences(scenario, requests)
        medians = {t: statistics.median(samples[t, scenario.key]) for t in TARGETS}
        results.append((scenario, medians, found, kind_only))
    text = report(results, samples, requests, args)
    print(text)
    if args.markdown is not None:
        args.markdown.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
