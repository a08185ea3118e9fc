"""Conformance of managed and inline policies, boundaries, the simulator and enforcement
with AWS, through boto3.

Sources, cited per test:

- SM: botocore's IAM service model (operation and member documentation, error lists,
  paginators);
- LS: LocalStack's IAM tests marked ``@markers.aws.validated``, whose snapshots are
  recorded against the real service (localstack/localstack,
  ``tests/aws/services/iam/test_iam_policies.py``, ``test_iam_managed_policies.py``,
  ``test_iam.py`` and their ``.snapshot.json`` recordings, 2023 and February 2026);
- REF: the AWS Managed Policy Reference Guide page of each AWS managed policy;
- UG: the IAM User Guide page named in the test;
- 3P: real AWS answers quoted in public issues, pull requests and write-ups (named in the
  test).
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.handlers import json_decode_policies

from iamcore import Account
from iamcore.mock import mock_iam
from iamcore.testing import FixedClock, seeded_entropy
from tests.helpers import aware, body, boto3_client, client_as, error

ACCOUNT = "123456789012"
AWS = "arn:aws:iam::aws:policy/"
LOCAL = f"arn:aws:iam::{ACCOUNT}:policy/"

#: LS SAMPLE_POLICY and friends (test_iam_policies.py)
SAMPLE = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "Statement1", "Effect": "Allow", "Action": ["iam:ListUsers"], "Resource": "*"}
    ],
}
SAMPLE_2 = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "Statement1", "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": "*"}
    ],
}
SAMPLE_3 = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Statement1",
            "Effect": "Allow",
            "Action": ["ec2:DescribeInstances"],
            "Resource": "*",
        }
    ],
}

#: what CreatePolicy and ListPolicies return for a policy (LS)
POLICY_KEYS = {
    "Arn",
    "AttachmentCount",
    "CreateDate",
    "DefaultVersionId",
    "IsAttachable",
    "Path",
    "PermissionsBoundaryUsageCount",
    "PolicyId",
    "PolicyName",
    "UpdateDate",
}


@pytest.fixture
def mocked(clock: FixedClock) -> Iterator[tuple[Any, Account]]:
    account = Account(clock=clock, entropy=seeded_entropy(17))
    with mock_iam(account):
        yield boto3_client(), account


@pytest.fixture
def iam(mocked: tuple[Any, Account]) -> Any:
    return mocked[0]


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any, resource: Any = "*") -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource}


def create(iam: Any, name: str = "p", document: Any = SAMPLE, **kwargs: Any) -> str:
    """Create a customer managed policy; return its ARN."""
    text = document if isinstance(document, str) else json.dumps(document)
    return str(iam.create_policy(PolicyName=name, PolicyDocument=text, **kwargs)["Policy"]["Arn"])


# -- CreatePolicy / GetPolicy / ListPolicies / DeletePolicy -----------------------------------


@pytest.mark.parametrize("path", [None, "/", "/test/path/"])
def test_policy_lifecycle_shapes(iam: Any, path: str | None) -> None:
    """LS test_policy_lifecycle: CreatePolicy and ListPolicies carry exactly POLICY_KEYS
    (no Description, no Tags), GetPolicy adds ``Tags: []``; Path defaults to '/' (SM
    CreatePolicy.Path); v1 is the default version (SM CreatePolicy)."""
    kwargs = {} if path is None else {"Path": path}
    created = body(iam.create_policy(PolicyName="p", PolicyDocument=json.dumps(SAMPLE), **kwargs))
    policy = created["Policy"]
    assert set(policy) == POLICY_KEYS
    expected_path = path or "/"
    assert policy["Arn"] == f"arn:aws:iam::{ACCOUNT}:policy{expected_path}p"
    assert (policy["Path"], policy["DefaultVersionId"]) == (expected_path, "v1")
    assert (policy["AttachmentCount"], policy["PermissionsBoundaryUsageCount"]) == (0, 0)
    assert policy["IsAttachable"] is True
    assert policy["PolicyId"].startswith("ANPA")
    assert len(policy["PolicyId"]) == 21
    assert aware(policy["CreateDate"])
    assert policy["CreateDate"] == policy["UpdateDate"]
    assert body(iam.get_policy(PolicyArn=policy["Arn"])) == {"Policy": {**policy, "Tags": []}}
    listed = [p for p in iam.list_policies(Scope="Local")["Policies"] if p["PolicyName"] == "p"]
    assert listed == [policy]
    assert body(iam.delete_policy(PolicyArn=policy["Arn"])) == {}
    assert error(iam.get_policy, PolicyArn=policy["Arn"]) == (
        "NoSuchEntity",
        f"Policy {policy['Arn']} was not found.",
        404,
    )


def test_duplicate_policy_name(iam: Any) -> None:
    """LS test_policy_errors: a second policy of the same name is EntityAlreadyExists 409
    "A policy called X already exists. Duplicate names are not allowed."; names are not
    distinguished by case (SM CreatePolicy.PolicyName)."""
    create(iam, "Readers")
    for name in ("Readers", "READERS"):
        assert error(iam.create_policy, PolicyName=name, PolicyDocument=json.dumps(SAMPLE)) == (
            "EntityAlreadyExists",
            f"A policy called {name} already exists. Duplicate names are not allowed.",
            409,
        )


def test_create_policy_tags_and_description(iam: Any) -> None:
    """LS test_policy_tag_lifecycle: CreatePolicy echoes Tags in the order given but not
    the Description; GetPolicy returns both; ListPolicyTags sorts by key, and policy tag
    keys are case-sensitive (``a`` and ``A`` coexist, ``A`` first)."""
    tags = [{"Key": "somekey", "Value": "somevalue"}, {"Key": "someotherkey", "Value": "x"}]
    created = iam.create_policy(
        PolicyName="p", PolicyDocument=json.dumps(SAMPLE), Tags=tags, Description="testing"
    )["Policy"]
    assert "Description" not in created
    assert created["Tags"] == tags
    got = iam.get_policy(PolicyArn=created["Arn"])["Policy"]
    assert (got["Description"], got["Tags"]) == ("testing", tags)
    assert body(iam.list_policy_tags(PolicyArn=created["Arn"])) == {
        "IsTruncated": False,
        "Tags": tags,
    }
    empty = create(iam, "empty", Tags=[{"Key": "somekey", "Value": ""}])
    assert iam.list_policy_tags(PolicyArn=empty)["Tags"] == [{"Key": "somekey", "Value": ""}]
    cased = [{"Key": "a", "Value": "lowercase"}, {"Key": "A", "Value": "uppercase"}]
    created = iam.create_policy(PolicyName="c", PolicyDocument=json.dumps(SAMPLE), Tags=cased)
    assert created["Policy"]["Tags"] == cased
    arn = created["Policy"]["Arn"]
    assert iam.list_policy_tags(PolicyArn=arn)["Tags"] == cased[::-1]


def test_policy_tag_operations(iam: Any) -> None:
    """LS test_policy_tag_operations: TagPolicy adds and overwrites (also to an empty
    value), ListPolicyTags pages with MaxItems/Marker, UntagPolicy removes exactly the
    named case-sensitive keys."""
    arn = create(iam)
    iam.tag_policy(
        PolicyArn=arn,
        Tags=[{"Key": "somekey", "Value": "somevalue"}, {"Key": "someotherkey", "Value": "o"}],
    )
    assert [t["Key"] for t in iam.get_policy(PolicyArn=arn)["Policy"]["Tags"]] == [
        "somekey",
        "someotherkey",
    ]
    first = body(iam.list_policy_tags(PolicyArn=arn, MaxItems=1))
    assert first["IsTruncated"] is True
    assert first["Tags"] == [{"Key": "somekey", "Value": "somevalue"}]
    second = body(iam.list_policy_tags(PolicyArn=arn, Marker=first["Marker"]))
    assert second == {"IsTruncated": False, "Tags": [{"Key": "someotherkey", "Value": "o"}]}
    iam.tag_policy(PolicyArn=arn, Tags=[{"Key": "somekey", "Value": ""}])
    assert iam.list_policy_tags(PolicyArn=arn)["Tags"][0] == {"Key": "somekey", "Value": ""}
    iam.untag_policy(PolicyArn=arn, TagKeys=["somekey", "someotherkey"])
    assert body(iam.list_policy_tags(PolicyArn=arn)) == {"IsTruncated": False, "Tags": []}
    iam.tag_policy(
        PolicyArn=arn, Tags=[{"Key": "a", "Value": "lowercase"}, {"Key": "A", "Value": "upper"}]
    )
    iam.untag_policy(PolicyArn=arn, TagKeys=["a"])
    assert iam.list_policy_tags(PolicyArn=arn)["Tags"] == [{"Key": "A", "Value": "upper"}]


def test_policy_tag_errors(iam: Any) -> None:
    """LS test_policy_tag_create_errors / test_policy_tag_update_errors: duplicate keys are
    InvalidInput "Duplicate tag keys found."; 51 tags or tag keys are ValidationError on the
    list length; an unknown policy is "Policy arn:… was not found." for Tag/UntagPolicy."""
    arn = create(iam)
    duplicate = [{"Key": "0", "Value": ""}, {"Key": "0", "Value": ""}]
    expected = ("InvalidInput", "Duplicate tag keys found.", 400)
    assert (
        error(iam.create_policy, PolicyName="q", PolicyDocument=json.dumps(SAMPLE), Tags=duplicate)
        == expected
    )
    assert error(iam.tag_policy, PolicyArn=arn, Tags=duplicate) == expected
    many = [{"Key": str(n), "Value": str(n)} for n in range(51)]
    too_many = (
        "ValidationError",
        "1 validation error detected: Value at 'tags' failed to satisfy constraint: "
        "Member must have length less than or equal to 50",
        400,
    )
    assert (
        error(iam.create_policy, PolicyName="q", PolicyDocument=json.dumps(SAMPLE), Tags=many)
        == too_many
    )
    assert error(iam.tag_policy, PolicyArn=arn, Tags=many) == too_many
    assert error(iam.untag_policy, PolicyArn=arn, TagKeys=[str(n) for n in range(51)]) == (
        "ValidationError",
        "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: "
        "Member must have length less than or equal to 50",
        400,
    )
    # err-untag-large-key / err-untag-invalid-character (recorded 2026-02-10): one problem
    # for the list, naming every constraint of its members, whichever one failed
    for keys in (["0" * 129], ["NOWAY!"]):
        assert error(iam.untag_policy, PolicyArn=arn, TagKeys=keys) == (
            "ValidationError",
            "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: "
            "Member must satisfy constraint: [Member must have length less than or equal to "
            "128, Member must have length greater than or equal to 1, Member must satisfy "
            "regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+, Member must not be "
            "null]",
            400,
        )
    # err-large-key / err-large-value / err-invalid-character (2026-02-10): no value echoed
    tag_errors = [
        ({"Key": "0" * 129, "Value": ""}, "key", "have length less than or equal to 128"),
        ({"Key": "k", "Value": "0" * 257}, "value", "have length less than or equal to 256"),
        (
            {"Key": "NOWAY!", "Value": ""},
            "key",
            "satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+",
        ),
    ]
    for tag, where, rule in tag_errors:
        expected = (
            "ValidationError",
            f"1 validation error detected: Value at 'tags.1.member.{where}' failed to satisfy "
            f"constraint: Member must {rule}",
            400,
        )
        assert error(iam.tag_policy, PolicyArn=arn, Tags=[tag]) == expected
        doc = json.dumps(SAMPLE)
        assert error(iam.create_policy, PolicyName="q", PolicyDocument=doc, Tags=[tag]) == expected
    missing = LOCAL + "NotAPolicy"
    not_found = ("NoSuchEntity", f"Policy {missing} was not found.", 404)
    assert error(iam.tag_policy, PolicyArn=missing, Tags=[{"Key": "k", "Value": "v"}]) == (
        not_found
    )
    assert error(iam.untag_policy, PolicyArn=missing, TagKeys=["k"]) == not_found
    assert iam.list_policies(Scope="Local")["Policies"][0]["PolicyName"] == "p"  # nothing else


def test_delete_policy_conflicts(iam: Any) -> None:
    """3P (terraform-provider-aws#32906, serverless/components#312,
    redradrat/aws-iam-operator#13; cloud-nuke#972 for boundaries): DeletePolicy is
    DeleteConflict 409 while attached ("Cannot delete a policy attached to entities."), while
    used as a permissions boundary, and while non-default versions remain (SM DeletePolicy)."""
    arn = create(iam)
    iam.create_user(UserName="bob")
    iam.attach_user_policy(UserName="bob", PolicyArn=arn)
    attached = ("DeleteConflict", "Cannot delete a policy attached to entities.", 409)
    assert error(iam.delete_policy, PolicyArn=arn) == attached
    iam.detach_user_policy(UserName="bob", PolicyArn=arn)
    iam.put_user_permissions_boundary(UserName="bob", PermissionsBoundary=arn)
    assert error(iam.delete_policy, PolicyArn=arn)[::2] == ("DeleteConflict", 409)
    iam.delete_user_permissions_boundary(UserName="bob")
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(SAMPLE_2))
    assert error(iam.delete_policy, PolicyArn=arn) == (
        "DeleteConflict",
        "This policy has more than one version. Before you delete a policy, you must delete "
        "the policy's versions. The default version is deleted with the policy.",
        409,
    )
    iam.delete_policy_version(PolicyArn=arn, VersionId="v2")
    iam.delete_policy(PolicyArn=arn)


def test_managed_policy_size_quota(iam: Any) -> None:
    """UG "IAM and AWS STS quotas" (managed policy 6,144 characters, whitespace not counted)
    and 3P (ministryofjustice/cloud-platform-environments#14473): LimitExceeded
    "Cannot exceed quota for PolicySize: 6144"."""
    skeleton = json.dumps(
        json.loads(doc(allow("s3:GetObject", "arn:aws:s3:::"))), separators=(",", ":")
    )
    fits = skeleton.replace("arn:aws:s3:::", "arn:aws:s3:::" + "y" * (6144 - len(skeleton)))
    assert len(fits) == 6144
    assert " " not in fits
    create(iam, "fits", fits)
    create(iam, "spaced", json.dumps(json.loads(fits), indent=8))  # whitespace is free
    over = fits.replace("arn:aws:s3:::", "arn:aws:s3:::z")
    assert error(iam.create_policy, PolicyName="over", PolicyDocument=over) == (
        "LimitExceeded",
        "Cannot exceed quota for PolicySize: 6144",
        409,
    )
    arn = create(iam, "small")
    assert error(iam.create_policy_version, PolicyArn=arn, PolicyDocument=over)[0] == (
        "LimitExceeded"
    )


def test_malformed_documents(iam: Any) -> None:
    """LS TestPolicyDocumentValidity: CreatePolicy refuses bad documents with
    MalformedPolicyDocument 400 and IAM's own texts (a sample of the recorded vectors)."""
    vectors = [
        ("This is not a json document", "Syntax errors in policy."),
        (
            json.dumps({"Statement": SAMPLE["Statement"]}),
            "Policy document must be version 2012-10-17 or greater.",
        ),
        (
            doc(allow("invalid", "arn:aws:s3:::example_bucket")),
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
        ),
        (doc(allow("a a:ListBucket")), "Vendor a a is not valid"),
        (doc(allow("s3:List:Bucket")), "Actions/Condition can contain only one colon."),
        (
            doc(allow("s3:ListBucket", "invalid resource")),
            'Resource invalid resource must be in ARN format or "*".',
        ),
        (
            doc({"Effect": "Allow", "Action": "s3:ListBucket"}),
            "Policy statement must contain resources.",
        ),
        (
            doc(allow("s3:ListBucket", "arn:aws:s3::example_bucket")),
            "The policy failed legacy parsing",
        ),
        (
            doc(
                {**allow("s3:ListBucket"), "Sid": "sdf"},
                {**allow("s3:ListBucket"), "Sid": "sdf"},
            ),
            "Statement IDs (SID) in a single policy must be unique.",
        ),
    ]
    for text, message in vectors:
        assert error(iam.create_policy, PolicyName="bad", PolicyDocument=text) == (
            "MalformedPolicyDocument",
            message,
            400,
        ), text
    assert iam.list_policies(Scope="Local")["Policies"] == []


def test_list_policies_scope_paging_and_filters(iam: Any) -> None:
    """LS TestListPoliciesScope and SM ListPolicies: Scope=Local/AWS split the lists, AWS
    entries have ``:aws:policy/`` ARNs, MaxItems pages with IsTruncated and a Marker, the
    paginator sees everything, OnlyAttached keeps policies in use, and with it
    PolicyUsageFilter=PermissionsBoundary keeps policies used as a boundary (recorded from
    AWS, 2026: without OnlyAttached the filter changes nothing)."""
    create(iam, "mine")
    assert [p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]] == ["mine"]
    aws = iam.list_policies(Scope="AWS", MaxItems=5)
    assert aws["IsTruncated"] is True
    assert len(aws["Policies"]) == 5
    assert aws["Marker"]
    assert all(":aws:policy/" in p["Arn"] for p in aws["Policies"])
    assert all(set(p) == POLICY_KEYS for p in aws["Policies"])
    service_roles = iam.list_policies(Scope="AWS", PathPrefix="/service-role/")["Policies"]
    assert [p["PolicyName"] for p in service_roles] == ["AWSLambdaBasicExecutionRole"]
    everything = iam.get_paginator("list_policies").paginate().build_full_result()["Policies"]
    names = {p["PolicyName"] for p in everything}
    assert {"mine", "IAMUserChangePassword"} <= names
    assert iam.list_policies(OnlyAttached=True)["Policies"] == []
    iam.create_group(GroupName="g")
    iam.attach_group_policy(
        GroupName="g", PolicyArn=AWS + "service-role/AWSLambdaBasicExecutionRole"
    )
    attached = iam.list_policies(OnlyAttached=True)["Policies"]
    assert [p["PolicyName"] for p in attached] == ["AWSLambdaBasicExecutionRole"]
    assert all(p["AttachmentCount"] > 0 for p in attached)
    iam.create_user(UserName="bob", PermissionsBoundary=LOCAL + "mine")
    bounded = iam.list_policies(OnlyAttached=True, PolicyUsageFilter="PermissionsBoundary")[
        "Policies"
    ]
    assert [(p["PolicyName"], p["PermissionsBoundaryUsageCount"]) for p in bounded] == [
        ("mine", 1)
    ]


# -- versions -----------------------------------------------------------------------------


def test_policy_version_lifecycle(iam: Any) -> None:
    """LS test_policy_version_lifecycle: CreatePolicyVersion answers CreateDate,
    IsDefaultVersion and VersionId (no Document); GetPolicyVersion's Document reaches boto3
    users as a dict (SM: URL-encoded per RFC 3986, decoded by botocore); ListPolicyVersions
    lists newest first without documents."""
    arn = create(iam)
    v2 = body(
        iam.create_policy_version(
            PolicyArn=arn, PolicyDocument=json.dumps(SAMPLE_2), SetAsDefault=True
        )
    )["PolicyVersion"]
    assert set(v2) == {"CreateDate", "IsDefaultVersion", "VersionId"}
    assert (v2["VersionId"], v2["IsDefaultVersion"]) == ("v2", True)
    got = body(iam.get_policy_version(PolicyArn=arn, VersionId="v2"))["PolicyVersion"]
    assert got == {**v2, "Document": SAMPLE_2}
    iam.delete_policy_version(PolicyArn=arn, VersionId="v1")
    v3 = iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(SAMPLE_3))
    assert (v3["PolicyVersion"]["VersionId"], v3["PolicyVersion"]["IsDefaultVersion"]) == (
        "v3",
        False,
    )
    assert iam.get_policy_version(PolicyArn=arn, VersionId="v3")["PolicyVersion"]["Document"] == (
        SAMPLE_3
    )
    listed = body(iam.list_policy_versions(PolicyArn=arn))
    assert listed["IsTruncated"] is False
    assert [(v["VersionId"], v["IsDefaultVersion"]) for v in listed["Versions"]] == [
        ("v3", False),
        ("v2", True),
    ]
    assert all(
        set(v) == {"CreateDate", "IsDefaultVersion", "VersionId"} for v in listed["Versions"]
    )
    assert iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v2"


def test_set_default_policy_version(iam: Any) -> None:
    """LS test_policy_version_set_default: SetDefaultPolicyVersion moves the default flag
    and returns nothing."""
    arn = create(iam)
    for document in (SAMPLE_2, SAMPLE_3):
        iam.create_policy_version(
            PolicyArn=arn, PolicyDocument=json.dumps(document), SetAsDefault=True
        )
    assert body(iam.set_default_policy_version(PolicyArn=arn, VersionId="v1")) == {}
    assert [
        (v["VersionId"], v["IsDefaultVersion"])
        for v in iam.list_policy_versions(PolicyArn=arn)["Versions"]
    ] == [("v3", False), ("v2", False), ("v1", True)]


def test_policy_version_limit(iam: Any) -> None:
    """LS test_policy_version_limit and SM CreatePolicyVersion (up to five versions): the
    sixth is LimitExceeded 409 with AWS's text; after a delete the next ID is v6."""
    arn = create(iam)
    for _ in range(4):
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(SAMPLE))
    assert error(iam.create_policy_version, PolicyArn=arn, PolicyDocument=json.dumps(SAMPLE)) == (
        "LimitExceeded",
        "A managed policy can have up to 5 versions. Before you create a new version, you "
        "must delete an existing version.",
        409,
    )
    assert [v["VersionId"] for v in iam.list_policy_versions(PolicyArn=arn)["Versions"]] == [
        "v5",
        "v4",
        "v3",
        "v2",
        "v1",
    ]
    iam.delete_policy_version(PolicyArn=arn, VersionId="v5")
    created = iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(SAMPLE))
    assert created["PolicyVersion"]["VersionId"] == "v6"


def test_policy_version_errors(iam: Any) -> None:
    """LS test_policy_version_errors: an unknown policy or version is NoSuchEntity 404
    "Policy arn:… version vN does not exist or is not attachable." for GetPolicyVersion and
    SetDefaultPolicyVersion (and DeletePolicyVersion's unknown version); the default version
    is DeleteConflict "Cannot delete the default version of a policy."; a malformed
    VersionId is ValidationError 400; nothing changes."""
    arn = create(iam)
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(SAMPLE_2))
    missing = LOCAL + "TestNonExistingPolicy"

    def gone(policy_arn: str, version: str) -> tuple[str, str, int]:
        message = f"Policy {policy_arn} version {version} does not exist or is not attachable."
        return ("NoSuchEntity", message, 404)

    assert error(iam.get_policy_version, PolicyArn=missing, VersionId="v1") == gone(missing, "v1")
    assert error(iam.get_policy_version, PolicyArn=arn, VersionId="v9") == gone(arn, "v9")
    assert error(iam.delete_policy_version, PolicyArn=arn, VersionId="v1") == (
        "DeleteConflict",
        "Cannot delete the default version of a policy.",
        409,
    )
    assert error(iam.delete_policy_version, PolicyArn=arn, VersionId="v9") == gone(arn, "v9")
    assert error(iam.set_default_policy_version, PolicyArn=missing, VersionId="v1") == gone(
        missing, "v1"
    )
    assert error(iam.set_default_policy_version, PolicyArn=arn, VersionId="v4") == gone(arn, "v4")
    # LS test_policy_version_errors (recorded 2026-02-10) and
    # test_get_aws_managed_policy_version (2026-02-12): the value is not echoed
    for call in (iam.set_default_policy_version, iam.get_policy_version):
        assert error(call, PolicyArn=arn, VersionId="wrong_version_id") == (
            "ValidationError",
            "1 validation error detected: Value at 'versionId' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?",
            400,
        )
    iam.delete_policy_version(PolicyArn=arn, VersionId="v2")
    assert [v["VersionId"] for v in iam.list_policy_versions(PolicyArn=arn)["Versions"]] == ["v1"]


def test_documents_reach_boto3_decoded(iam: Any) -> None:
    """SM GetPolicyVersion/GetUserPolicy/GetGroupPolicy: documents are returned URL-encoded
    (RFC 3986); botocore's ``json_decode_policies`` turns them into dicts, so boto3 users get
    the JSON they sent (Latin-1 characters included); without that handler the wire text
    percent-decodes to the stored document."""
    text = doc(allow(["s3:GetObject"], "arn:aws:s3:::bücket/ä ö*", Sid="Latin1"))
    arn = create(iam, "latin", text)
    iam.create_user(UserName="bob")
    iam.create_group(GroupName="g")
    iam.put_user_policy(UserName="bob", PolicyName="inline", PolicyDocument=text)
    iam.put_group_policy(GroupName="g", PolicyName="inline", PolicyDocument=text)
    expected = json.loads(text)
    version = iam.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]
    assert version["Document"] == expected
    got = body(iam.get_user_policy(UserName="bob", PolicyName="inline"))
    assert got == {"UserName": "bob", "PolicyName": "inline", "PolicyDocument": expected}
    got = body(iam.get_group_policy(GroupName="g", PolicyName="inline"))
    assert got == {"GroupName": "g", "PolicyName": "inline", "PolicyDocument": expected}
    iam.meta.events.unregister("after-call.iam", json_decode_policies)
    try:
        raw = iam.get_policy_version(PolicyArn=arn, VersionId="v1")["PolicyVersion"]["Document"]
        raw_inline = iam.get_user_policy(UserName="bob", PolicyName="inline")["PolicyDocument"]
    finally:
        iam.meta.events.register("after-call.iam", json_decode_policies)
    assert isinstance(raw, str)
    assert " " not in raw
    assert "%22" in raw
    assert urllib.parse.unquote(raw) == urllib.parse.unquote(raw_inline) == text


# -- AWS managed policies --------------------------------------------------------------------

#: REF pages (default version and JSON document of each built-in AWS managed policy)
PUBLISHED = {
    "AdministratorAccess": (
        "/",
        "v1",
        "Provides full access to AWS services and resources.",
        [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    ),
    "IAMUserChangePassword": (
        "/",
        "v5",
        "Provides the ability for an IAM user to change their own password.",
        [
            {
                "Effect": "Allow",
                "Action": ["iam:ChangePassword"],
                "Resource": [
                    "arn:aws:iam::*:user/${aws:username}",
                    "arn:aws:iam::*:user/*/${aws:username}",
                ],
            },
            {"Effect": "Allow", "Action": ["iam:GetAccountPasswordPolicy"], "Resource": "*"},
        ],
    ),
    "IAMReadOnlyAccess": (
        "/",
        "v4",
        "Provides read only access to IAM via the AWS Management Console.",
        [
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
    ),
    "IAMFullAccess": (
        "/",
        "v2",
        "Provides full access to IAM via the AWS Management Console.",
        [
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
    ),
    "IAMUserSSHKeys": (
        "/",
        "v1",
        "Provides the ability for an IAM user to manage their own SSH keys.",
        [
            {
                "Effect": "Allow",
                "Action": [
                    "iam:DeleteSSHPublicKey",
                    "iam:GetSSHPublicKey",
                    "iam:ListSSHPublicKeys",
                    "iam:UpdateSSHPublicKey",
                    "iam:UploadSSHPublicKey",
                ],
                "Resource": "arn:aws:iam::*:user/${aws:username}",
            }
        ],
    ),
    "PowerUserAccess": (
        "/",
        "v12",
        "Provides full access to AWS services and resources, but does not allow management "
        "of Users and groups.",
        [
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
    ),
    "AWSLambdaBasicExecutionRole": (
        "/service-role/",
        "v1",
        "Provides write permissions to CloudWatch Logs.",
        [
            {
                "Effect": "Allow",
                "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": "*",
            }
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_aws_managed_policies_match_the_reference(iam: Any, name: str) -> None:
    """REF page of each policy (ARN, path, default version, JSON document) and LS
    test_get_aws_managed_policy / _version (GetPolicy of an AWS managed policy carries its
    Description and ``Tags: []``; IAMUserChangePassword is at v5 since February 2026)."""
    path, version, description, statements = PUBLISHED[name]
    arn = f"{AWS}{path[1:]}{name}"
    policy = body(iam.get_policy(PolicyArn=arn))["Policy"]
    assert set(policy) == POLICY_KEYS | {"Description", "Tags"}
    assert (policy["Arn"], policy["Path"], policy["DefaultVersionId"]) == (arn, path, version)
    assert (policy["Description"], policy["Tags"], policy["IsAttachable"]) == (
        description,
        [],
        True,
    )
    assert policy["PolicyId"].startswith("ANPA")
    got = body(iam.get_policy_version(PolicyArn=arn, VersionId=version))["PolicyVersion"]
    assert got["Document"] == {"Version": "2012-10-17", "Statement": statements}
    assert (got["VersionId"], got["IsDefaultVersion"]) == (version, True)
    assert got["CreateDate"] == policy["UpdateDate"]


# -- attachments -----------------------------------------------------------------------------


def test_attach_errors(iam: Any) -> None:
    """LS test_user_attach_policy: a PolicyArn that is not an ARN is InvalidInput 400
    "ARN x is not valid."; a well-formed unknown ARN is NoSuchEntity 404 "Policy arn:… does
    not exist or is not attachable."; a known one attaches with an empty answer."""
    arn = create(iam, "longpolicynamebutnoarnx")
    iam.create_user(UserName="bob")
    iam.create_group(GroupName="g")
    for call, who in (
        (iam.attach_user_policy, {"UserName": "bob"}),
        (iam.attach_group_policy, {"GroupName": "g"}),
    ):
        for text in ("longpolicynamebutnoarn", "longpolicynamebutnoarnx"):
            assert error(call, PolicyArn=text, **who) == (
                "InvalidInput",
                f"ARN {text} is not valid.",
                400,
            )
        assert error(call, PolicyArn=arn + "123", **who) == (
            "NoSuchEntity",
            f"Policy {arn}123 does not exist or is not attachable.",
            404,
        )
        assert body(call(PolicyArn=arn, **who)) == {}
    assert iam.get_policy(PolicyArn=arn)["Policy"]["AttachmentCount"] == 2


def test_attached_policy_quotas(iam: Any) -> None:
    """UG "IAM and AWS STS quotas" (10 managed policies per user and per group) and 3P
    (AWS answers quoted in FogSecurity/aws-size#62-era write-ups and terraform logs):
    LimitExceeded 409 "Cannot exceed quota for PoliciesPerUser: 10" / "…PoliciesPerGroup: 10"."""
    iam.create_user(UserName="bob")
    iam.create_group(GroupName="g")
    arns = [create(iam, f"p{n}") for n in range(11)]
    for arn in arns[:10]:
        iam.attach_user_policy(UserName="bob", PolicyArn=arn)
        iam.attach_group_policy(GroupName="g", PolicyArn=arn)
    assert error(iam.attach_user_policy, UserName="bob", PolicyArn=arns[10]) == (
        "LimitExceeded",
        "Cannot exceed quota for PoliciesPerUser: 10",
        409,
    )
    assert error(iam.attach_group_policy, GroupName="g", PolicyArn=arns[10]) == (
        "LimitExceeded",
        "Cannot exceed quota for PoliciesPerGroup: 10",
        409,
    )
    listed = body(iam.list_attached_user_policies(UserName="bob", MaxItems=4))
    assert listed["IsTruncated"] is True
    assert len(listed["AttachedPolicies"]) == 4
    assert set(listed["AttachedPolicies"][0]) == {"PolicyArn", "PolicyName"}


def test_list_entities_for_policy(iam: Any) -> None:
    """LS TestListEntitiesForPolicy: every answer carries PolicyGroups, PolicyRoles and
    PolicyUsers (empty lists included); EntityFilter User/Group/Role narrows, and
    LocalManagedPolicy lists nothing; an unknown policy is "Policy arn:… does not exist or is
    not attachable."."""
    arn = create(iam)
    empty = {"IsTruncated": False, "PolicyGroups": [], "PolicyRoles": [], "PolicyUsers": []}
    assert body(iam.list_entities_for_policy(PolicyArn=arn)) == empty
    user = iam.create_user(UserName="u")["User"]
    group = iam.create_group(GroupName="g")["Group"]
    iam.attach_user_policy(UserName="u", PolicyArn=arn)
    iam.attach_group_policy(GroupName="g", PolicyArn=arn)
    users = [{"UserId": user["UserId"], "UserName": "u"}]
    groups = [{"GroupId": group["GroupId"], "GroupName": "g"}]
    assert body(iam.list_entities_for_policy(PolicyArn=arn, EntityFilter="Role")) == empty
    assert body(iam.list_entities_for_policy(PolicyArn=arn, EntityFilter="User")) == {
        **empty,
        "PolicyUsers": users,
    }
    assert body(iam.list_entities_for_policy(PolicyArn=arn, EntityFilter="Group")) == {
        **empty,
        "PolicyGroups": groups,
    }
    filtered = iam.list_entities_for_policy(PolicyArn=arn, EntityFilter="LocalManagedPolicy")
    assert body(filtered) == empty
    assert body(iam.list_entities_for_policy(PolicyArn=arn)) == {
        **empty,
        "PolicyGroups": groups,
        "PolicyUsers": users,
    }
    missing = LOCAL + "NonExistentPolicy"
    assert error(iam.list_entities_for_policy, PolicyArn=missing) == (
        "NoSuchEntity",
        f"Policy {missing} does not exist or is not attachable.",
        404,
    )


# -- inline policies -------------------------------------------------------------------------


def test_inline_policy_lifecycle_and_errors(iam: Any) -> None:
    """SM Put/Get/List/DeleteUserPolicy and the group operations (PutUserPolicy adds or
    updates; empty list when there are none); 3P (emulators matching AWS, e.g. fog and
    Outscale's suite): an unknown inline policy is "The user policy with name X cannot be
    found." / "The group policy with name X cannot be found."."""
    iam.create_user(UserName="bob")
    iam.create_group(GroupName="g")
    assert body(iam.list_user_policies(UserName="bob")) == {
        "IsTruncated": False,
        "PolicyNames": [],
    }
    first, second = doc(allow("s3:GetObject")), doc(allow("s3:PutObject"))
    assert body(iam.put_user_policy(UserName="bob", PolicyName="p", PolicyDocument=first)) == {}
    iam.put_user_policy(UserName="bob", PolicyName="p", PolicyDocument=second)
    assert iam.get_user_policy(UserName="bob", PolicyName="p")["PolicyDocument"] == json.loads(
        second
    )
    assert iam.list_user_policies(UserName="bob")["PolicyNames"] == ["p"]
    for call, who, kind in (
        (iam.get_user_policy, {"UserName": "bob"}, "user"),
        (iam.delete_user_policy, {"UserName": "bob"}, "user"),
        (iam.get_group_policy, {"GroupName": "g"}, "group"),
        (iam.delete_group_policy, {"GroupName": "g"}, "group"),
    ):
        assert error(call, PolicyName="nope", **who) == (
            "NoSuchEntity",
            f"The {kind} policy with name nope cannot be found.",
            404,
        )
    assert error(iam.put_user_policy, UserName="nobody", PolicyName="p", PolicyDocument=first) == (
        "NoSuchEntity",
        "The user with name nobody cannot be found.",
        404,
    )
    assert error(iam.put_user_policy, UserName="bob", PolicyName="x", PolicyDocument="{")[::2] == (
        "MalformedPolicyDocument",
        400,
    )
    assert body(iam.delete_user_policy(UserName="bob", PolicyName="p")) == {}
    assert iam.list_user_policies(UserName="bob")["PolicyNames"] == []


@pytest.mark.parametrize(("kind", "limit"), [("user", 2048), ("group", 5120)])
def test_inline_policy_size_quotas(iam: Any, kind: str, limit: int) -> None:
    """UG "IAM and AWS STS quotas" (inline policies of a user total 2,048 and of a group
    5,120 non-whitespace characters) and 3P (danvk/mapsnap#483 for users, a deployment
    write-up for groups): LimitExceeded 409 "Maximum policy size of N bytes exceeded for
    user|group X"; replacing a policy counts only its new size."""
    if kind == "user":
        iam.create_user(UserName="who")
        put = lambda **kw: iam.put_user_policy(UserName="who", **kw)  # noqa: E731
    else:
        iam.create_group(GroupName="who")
        put = lambda **kw: iam.put_group_policy(GroupName="who", **kw)  # noqa: E731
    base = json.dumps(
        json.loads(doc(allow("s3:GetObject", "arn:aws:s3:::"))), separators=(",", ":")
    )
    half = limit // 2
    one = base.replace("arn:aws:s3:::", "arn:aws:s3:::" + "a" * (half - len(base)))
    put(PolicyName="one", PolicyDocument=one)
    two = base.replace("arn:aws:s3:::", "arn:aws:s3:::" + "b" * (limit - half - len(base)))
    put(PolicyName="two", PolicyDocument=json.dumps(json.loads(two), indent=4))  # fits exactly
    put(PolicyName="two", PolicyDocument=two)  # replacing does not double count
    bigger = two.replace("arn:aws:s3:::", "arn:aws:s3:::c")
    exceeded = (
        "LimitExceeded",
        f"Maximum policy size of {limit} bytes exceeded for {kind} who",
        409,
    )
    assert error(put, PolicyName="three", PolicyDocument=base) == exceeded
    assert error(put, PolicyName="two", PolicyDocument=bigger) == exceeded


# -- permissions boundaries ------------------------------------------------------------------


def test_permissions_boundary(iam: Any) -> None:
    """SM Put/DeleteUserPermissionsBoundary (AWS or customer managed policy; replaces; empty
    answers) and observed AWS answers: GetUser shows PermissionsBoundaryType "Policy"
    (awsdocs/iam-user-guide#82), an unknown policy is "Scope ARN: arn:… does not exist or is
    not attachable." (SDK errors from real accounts), a non-ARN is InvalidInput; the policy
    counts the use in PermissionsBoundaryUsageCount (SM Policy)."""
    arn = create(iam)
    iam.create_user(UserName="bob")
    assert body(iam.put_user_permissions_boundary(UserName="bob", PermissionsBoundary=arn)) == {}
    iam.put_user_permissions_boundary(UserName="bob", PermissionsBoundary=AWS + "PowerUserAccess")
    assert iam.get_user(UserName="bob")["User"]["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "Policy",
        "PermissionsBoundaryArn": AWS + "PowerUserAccess",
    }
    assert iam.get_policy(PolicyArn=arn)["Policy"]["PermissionsBoundaryUsageCount"] == 0
    power = iam.get_policy(PolicyArn=AWS + "PowerUserAccess")["Policy"]
    assert power["PermissionsBoundaryUsageCount"] == 1
    entities = iam.list_entities_for_policy(
        PolicyArn=AWS + "PowerUserAccess", PolicyUsageFilter="PermissionsBoundary"
    )
    assert [u["UserName"] for u in entities["PolicyUsers"]] == ["bob"]
    missing = LOCAL + "nope"
    assert error(
        iam.put_user_permissions_boundary, UserName="bob", PermissionsBoundary=missing
    ) == (
        "NoSuchEntity",
        f"Scope ARN: {missing} does not exist or is not attachable.",
        404,
    )
    assert error(
        iam.put_user_permissions_boundary, UserName="bob", PermissionsBoundary="x" * 20
    ) == ("InvalidInput", f"ARN {'x' * 20} is not valid.", 400)
    assert body(iam.delete_user_permissions_boundary(UserName="bob")) == {}
    assert "PermissionsBoundary" not in iam.get_user(UserName="bob")["User"]
    assert error(iam.delete_user_permissions_boundary, UserName="bob")[::2] == (
        "NoSuchEntity",
        404,
    )  # no boundary left to delete (recorded from AWS, 2026)
    assert error(iam.delete_user_permissions_boundary, UserName="nobody")[::2] == (
        "NoSuchEntity",
        404,
    )


# -- simulation -----------------------------------------------------------------------------


def test_simulate_custom_policy_shapes(iam: Any) -> None:
    """SM SimulateCustomPolicy / EvaluationResult and UG "Policy evaluation logic":
    EvalDecision is allowed/explicitDeny/implicitDeny; a deny wins and only the deny is a
    matched statement; MatchedStatements name ``PolicyInputList.N``; an implicit deny lists
    none; wildcards in action names are InvalidInput."""
    policies = [doc(allow("s3:*")), doc(deny("s3:DeleteObject"))]
    results = iam.simulate_custom_policy(
        PolicyInputList=policies, ActionNames=["s3:GetObject", "s3:DeleteObject", "ec2:Run"]
    )
    assert results["IsTruncated"] is False
    get, delete, run = results["EvaluationResults"]
    assert (get["EvalActionName"], get["EvalResourceName"], get["EvalDecision"]) == (
        "s3:GetObject",
        "*",
        "allowed",
    )
    assert [s["SourcePolicyId"] for s in get["MatchedStatements"]] == ["PolicyInputList.1"]
    assert delete["EvalDecision"] == "explicitDeny"
    assert [s["SourcePolicyId"] for s in delete["MatchedStatements"]] == ["PolicyInputList.2"]
    assert (run["EvalDecision"], run["MatchedStatements"]) == ("implicitDeny", [])
    assert run["MissingContextValues"] == []
    # an action name without a service prefix is refused; "s3:*" is simulated as written
    # (both recorded from AWS, 2026)
    assert error(iam.simulate_custom_policy, PolicyInputList=policies, ActionNames=["GetObject"])[
        ::2
    ] == ("InvalidInput", 400)


def test_simulate_boundary_and_paging(iam: Any) -> None:
    """UG "Permissions boundaries for IAM entities" (effective = identity ∩ boundary; the
    boundary grants nothing) through SimulateCustomPolicy's PermissionsBoundaryPolicyInputList
    (SM: only one), with PermissionsBoundaryDecisionDetail; SM paginators: MaxItems/Marker
    page the results."""
    results = iam.simulate_custom_policy(
        PolicyInputList=[doc(allow("iam:*"))],
        PermissionsBoundaryPolicyInputList=[doc(allow(["s3:*", "iam:GetUser"]))],
        ActionNames=["iam:GetUser", "iam:CreateUser", "s3:GetObject"],
    )["EvaluationResults"]
    assert [(r["EvalDecision"], r["PermissionsBoundaryDecisionDetail"]) for r in results] == [
        ("allowed", {"AllowedByPermissionsBoundary": True}),
        ("implicitDeny", {"AllowedByPermissionsBoundary": False}),
        ("implicitDeny", {"AllowedByPermissionsBoundary": True}),
    ]
    assert error(
        iam.simulate_custom_policy,
        PolicyInputList=[doc(allow("iam:*"))],
        PermissionsBoundaryPolicyInputList=[doc(allow("s3:*")), doc(allow("s3:*"))],
        ActionNames=["iam:GetUser"],
    )[::2] == ("InvalidInput", 400)
    page = iam.simulate_custom_policy(
        PolicyInputList=[doc(allow("iam:*"))],
        ActionNames=["iam:GetUser", "iam:CreateUser", "iam:DeleteUser"],
        MaxItems=2,
    )
    assert page["IsTruncated"] is True
    assert len(page["EvaluationResults"]) == 2
    paginator = iam.get_paginator("simulate_custom_policy")
    full = paginator.paginate(
        PolicyInputList=[doc(allow("iam:*"))],
        ActionNames=["iam:GetUser", "iam:CreateUser", "iam:DeleteUser"],
        PaginationConfig={"PageSize": 2},
    ).build_full_result()
    names = [r["EvalActionName"] for r in full["EvaluationResults"]]
    assert names == ["iam:GetUser", "iam:CreateUser", "iam:DeleteUser"]


def test_simulate_principal_policy(iam: Any) -> None:
    """SM SimulatePrincipalPolicy: a user's simulation includes the user's policies and those
    of the user's groups, and the attached boundary unless PermissionsBoundaryPolicyInputList
    replaces it; an unknown principal is NoSuchEntity 404; GetContextKeysForPrincipalPolicy
    also reads the groups' policies (SM)."""
    iam.create_user(UserName="bob")
    iam.create_group(GroupName="g")
    iam.add_user_to_group(GroupName="g", UserName="bob")
    iam.put_group_policy(
        GroupName="g",
        PolicyName="g",
        PolicyDocument=doc(
            allow("s3:GetObject", Condition={"StringEquals": {"aws:username": "bob"}})
        ),
    )
    iam.attach_user_policy(UserName="bob", PolicyArn=AWS + "IAMReadOnlyAccess")
    source = f"arn:aws:iam::{ACCOUNT}:user/bob"

    def decisions(**kwargs: Any) -> list[str]:
        answer = iam.simulate_principal_policy(
            PolicySourceArn=source, ActionNames=["iam:GetUser", "s3:GetObject"], **kwargs
        )
        return [r["EvalDecision"] for r in answer["EvaluationResults"]]

    entry = {
        "ContextKeyName": "aws:username",
        "ContextKeyValues": ["bob"],
        "ContextKeyType": "string",
    }
    assert decisions(ContextEntries=[entry]) == ["allowed", "allowed"]
    # the simulator fills aws:username from the simulated user (recorded from AWS, 2026)
    assert decisions() == ["allowed", "allowed"]
    iam.put_user_permissions_boundary(UserName="bob", PermissionsBoundary=AWS + "PowerUserAccess")
    assert decisions(ContextEntries=[entry]) == ["implicitDeny", "allowed"]
    replaced = decisions(
        ContextEntries=[entry], PermissionsBoundaryPolicyInputList=[doc(allow("iam:Get*"))]
    )
    assert replaced == ["allowed", "implicitDeny"]
    keys = iam.get_context_keys_for_principal_policy(PolicySourceArn=source)["ContextKeyNames"]
    assert "aws:username" in keys
    unknown = f"arn:aws:iam::{ACCOUNT}:user/nobody"
    assert error(iam.simulate_principal_policy, PolicySourceArn=unknown, ActionNames=["s3:Get"])[
        ::2
    ] == ("NoSuchEntity", 404)
    custom = iam.get_context_keys_for_custom_policy(
        PolicyInputList=[
            doc(allow("s3:*", Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))
        ]
    )
    assert custom["ContextKeyNames"] == ["aws:SourceIp"]


# -- enforcement ----------------------------------------------------------------------------


def test_access_denied_messages() -> None:
    """UG "Troubleshoot access denied error messages" (… because no identity-based policy
    allows the X action / … with an explicit deny in a T policy) and 3P real answers for the
    resource text: ``user NAME`` for operations on an existing user (GetUser, CreateAccessKey,
    ListAttachedUserPolicies, AttachUserPolicy), the new user's ARN for CreateUser,
    ``arn:aws:iam::ACCOUNT:user/`` for ListUsers, ``policy path /`` for ListPolicies,
    ``policy NAME`` for CreatePolicy, ``policy ARN`` for an existing policy (GetPolicy,
    CreatePolicyVersion), ``group NAME`` for GetGroup; an explicit deny by a managed policy
    or the boundary ends with ": <policy ARN>" (AWS Security Blog "Enhanced access denied
    error messages with policy ARNs")."""
    with mock_iam(Account(entropy=seeded_entropy(3)), enforce=True) as account:
        account.create_user(user_name="eve")
        account.create_user(user_name="bob")
        account.create_group(group_name="devs")
        eve = client_as(account, "eve")
        head = f"User: arn:aws:iam::{ACCOUNT}:user/eve is not authorized to perform: "

        def refused(call: Any, **kwargs: Any) -> str:
            code, message, status = error(call, **kwargs)
            assert (code, status) == ("AccessDenied", 403)
            return message

        def implicit(action: str, shown: str) -> str:
            because = f"because no identity-based policy allows the {action} action"
            return f"{head}{action} on resource: {shown} {because}"

        assert refused(eve.get_user, UserName="bob") == implicit("iam:GetUser", "user bob")
        assert refused(eve.create_access_key, UserName="bob") == implicit(
            "iam:CreateAccessKey", "user bob"
        )
        assert refused(eve.list_attached_user_policies, UserName="eve") == implicit(
            "iam:ListAttachedUserPolicies", "user eve"
        )
        assert refused(eve.create_user, UserName="new") == implicit(
            "iam:CreateUser", f"arn:aws:iam::{ACCOUNT}:user/new"
        )
        assert refused(eve.list_users) == implicit(
            "iam:ListUsers", f"arn:aws:iam::{ACCOUNT}:user/"
        )
        assert refused(eve.list_groups) == implicit(
            "iam:ListGroups", f"arn:aws:iam::{ACCOUNT}:group/"
        )
        assert refused(eve.list_policies) == implicit("iam:ListPolicies", "policy path /")
        assert refused(eve.get_group, GroupName="devs") == implicit("iam:GetGroup", "group devs")
        assert refused(eve.create_policy, PolicyName="x", PolicyDocument=doc(allow("s3:*"))) == (
            implicit("iam:CreatePolicy", "policy x")
        )
        readonly = AWS + "IAMReadOnlyAccess"
        assert refused(eve.get_policy, PolicyArn=readonly) == implicit(
            "iam:GetPolicy", f"policy {readonly}"
        )
        account.create_policy(policy_name="no-users", policy_document=doc(deny("iam:*User*")))
        account.attach_user_policy(user_name="eve", policy_arn=LOCAL + "no-users")
        account.attach_user_policy(user_name="eve", policy_arn=readonly)
        assert refused(eve.get_user, UserName="bob") == (
            f"{head}iam:GetUser on resource: user bob with an explicit deny in an "
            f"identity-based policy: {LOCAL}no-users"
        )
        account.put_user_policy(
            user_name="eve", policy_name="inline", policy_document=doc(deny("iam:ListGroups"))
        )
        assert refused(eve.list_groups).endswith(
            "with an explicit deny in an identity-based policy"
        )
        account.create_policy(
            policy_name="edge",
            policy_document=doc(allow("iam:List*"), deny("iam:ListPolicies")),
        )
        account.put_user_permissions_boundary(user_name="eve", permissions_boundary=LOCAL + "edge")
        assert refused(eve.get_group, GroupName="devs") == (
            f"{head}iam:GetGroup on resource: group devs because no permissions boundary "
            "allows the iam:GetGroup action"
        )
        assert refused(eve.list_policies) == (
            f"{head}iam:ListPolicies on resource: policy path / with an explicit deny in a "
            f"permissions boundary: {LOCAL}edge"
        )


def test_family_errors_are_in_the_model() -> None:
    """SM: every error code this family's operations raise in these tests is one the
    operation's model lists (or a common error: ValidationError, AccessDenied)."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("iam")
    listed = {
        "CreatePolicy": {"EntityAlreadyExists", "LimitExceeded", "MalformedPolicyDocument"},
        "CreatePolicyVersion": {"LimitExceeded", "MalformedPolicyDocument", "NoSuchEntity"},
        "DeletePolicy": {"DeleteConflict", "NoSuchEntity"},
        "DeletePolicyVersion": {"DeleteConflict", "NoSuchEntity"},
        "GetPolicyVersion": {"NoSuchEntity"},
        "SetDefaultPolicyVersion": {"NoSuchEntity"},
        "ListEntitiesForPolicy": {"NoSuchEntity"},
        "AttachUserPolicy": {"InvalidInput", "LimitExceeded", "NoSuchEntity"},
        "AttachGroupPolicy": {"InvalidInput", "LimitExceeded", "NoSuchEntity"},
        "PutUserPolicy": {"LimitExceeded", "MalformedPolicyDocument", "NoSuchEntity"},
        "PutGroupPolicy": {"LimitExceeded", "NoSuchEntity"},
        "GetUserPolicy": {"NoSuchEntity"},
        "DeleteGroupPolicy": {"NoSuchEntity"},
        "PutUserPermissionsBoundary": {"InvalidInput", "NoSuchEntity"},
        "TagPolicy": {"InvalidInput", "NoSuchEntity"},
        "UntagPolicy": {"NoSuchEntity"},
        "SimulateCustomPolicy": {"InvalidInput"},
        "SimulatePrincipalPolicy": {"NoSuchEntity"},
    }
    for operation, codes in listed.items():
        modelled = {
            shape.metadata.get("error", {}).get("code", shape.name)
            for shape in model.operation_model(operation).error_shapes
        }
        assert codes <= modelled, (operation, codes - modelled)
