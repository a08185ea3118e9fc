"""Managed policies: CreatePolicy … DeletePolicy, versions, attachments, AWS managed policies."""

from __future__ import annotations

import json
import re
import urllib.parse
from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st

from iamcore import Account
from iamcore.aws_managed_policies import AWS_MANAGED_POLICIES
from iamcore.errors import (
    AccessDenied,
    DeleteConflict,
    EntityAlreadyExists,
    IamError,
    InvalidInput,
    LimitExceeded,
    MalformedPolicyDocument,
    NoSuchEntity,
    ValidationError,
)
from iamcore.mock import mock_iam
from iamcore.policy import parse_policy
from iamcore.testing import FixedClock, seeded_entropy
from tests.helpers import boto3_client, policy

ACCOUNT = "123456789012"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
READ_ONLY = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"


def doc(action: str = "s3:GetObject", resource: str = "*", effect: str = "Allow") -> str:
    return policy({"Effect": effect, "Action": action, "Resource": resource})


def arn(name: str, path: str = "/") -> str:
    return f"arn:aws:iam::{ACCOUNT}:policy{path}{name}"


def unchanged(account: Account, call: object, error: type[IamError], **kwargs: object) -> IamError:
    """Run a call that must fail with ``error`` and leave the account as it was."""
    before = account.snapshot()
    with pytest.raises(error) as raised:
        call(**kwargs)  # type: ignore[operator]
    assert before == account.snapshot()
    return raised.value


# -- CreatePolicy / GetPolicy --------------------------------------------------


def test_create_policy_returns_v1_default(account: Account, clock: FixedClock) -> None:
    """CreatePolicy: v1 is the default version, counts start at 0, ANPA ID, policy ARN."""
    policy = account.create_policy(
        policy_name="Readers", policy_document=doc(), path="/team/", description="d"
    ).policy
    assert policy.arn == arn("Readers", "/team/")
    assert policy.policy_id.startswith("ANPA")
    assert len(policy.policy_id) == 21
    assert policy.default_version_id == "v1"
    assert (policy.attachment_count, policy.permissions_boundary_usage_count) == (0, 0)
    assert policy.is_attachable
    assert policy.create_date == policy.update_date == clock.now()
    assert policy.description is None  # CreatePolicy does not echo it (LS recording)


def test_policy_names_unique_ignoring_case(account: Account) -> None:
    """CreatePolicy: policy names are unique ignoring case (EntityAlreadyExists)."""
    account.create_policy(policy_name="Readers", policy_document=doc())
    error = unchanged(
        account,
        account.create_policy,
        EntityAlreadyExists,
        policy_name="READERS",
        policy_document=doc(),
        path="/other/",
    )
    assert (
        error.message == "A policy called READERS already exists. Duplicate names are not allowed."
    )


def test_customer_policy_may_share_an_aws_managed_name(account: Account) -> None:
    """CreatePolicy: an AWS managed policy's name is free in the account (different ARN)."""
    mine = account.create_policy(policy_name="AdministratorAccess", policy_document=doc())
    assert mine.policy.arn == arn("AdministratorAccess")
    assert account.get_policy(policy_arn=ADMIN).policy.policy_id == "ANPAIWMBCKSKIEE64ZLYK"


def test_malformed_document_is_refused(account: Account) -> None:
    """CreatePolicy: a document that is not policy grammar is MalformedPolicyDocument."""
    unchanged(
        account,
        account.create_policy,
        MalformedPolicyDocument,
        policy_name="Bad",
        policy_document='{"Statement": "nope"}',
    )


def test_managed_documents_need_version_2012(account: Account) -> None:
    """CreatePolicy: a managed policy must declare Version 2012-10-17 (inline ones need not)."""
    text = '{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}'
    error = unchanged(
        account,
        account.create_policy,
        MalformedPolicyDocument,
        policy_name="Old",
        policy_document=text,
    )
    assert error.message == "Policy document must be version 2012-10-17 or greater."
    account.create_user(user_name="u")
    account.put_user_policy(user_name="u", policy_name="old", policy_document=text)


def test_policy_size_quota_counts_non_whitespace(account: Account) -> None:
    """CreatePolicy: 6,144 non-whitespace characters at most; whitespace does not count."""
    base = doc(resource="arn:aws:s3:::")
    filler = 6144 - len(base.replace(" ", ""))
    exact = doc(resource="arn:aws:s3:::" + "a" * filler)
    assert len(exact.replace(" ", "")) == 6144
    padded = exact.replace(",", ",   \n   ")
    account.create_policy(policy_name="Exact", policy_document=padded)
    too_big = doc(resource="arn:aws:s3:::" + "a" * (filler + 1))
    error = unchanged(
        account,
        account.create_policy,
        LimitExceeded,
        policy_name="Big",
        policy_document=too_big,
    )
    assert error.message == "Cannot exceed quota for PolicySize: 6144"


def test_policy_path_must_match_policy_path_type(account: Account) -> None:
    """CreatePolicy: Path uses policyPathType (no '*'; begins and ends with '/')."""
    unchanged(
        account,
        account.create_policy,
        ValidationError,
        policy_name="P",
        policy_document=doc(),
        path="/a*b/",
    )


def test_policy_tag_keys_are_case_sensitive(account: Account) -> None:
    """TagPolicy: tag keys on managed policies are case-sensitive (UG "Tagging IAM resources")."""
    policy = account.create_policy(
        policy_name="P", policy_document=doc(), tags=[{"Key": "Team", "Value": "a"}]
    ).policy
    account.tag_policy(policy_arn=policy.arn, tags=[{"Key": "team", "Value": "b"}])
    tags = account.list_policy_tags(policy_arn=policy.arn).tags
    assert [(t.key, t.value) for t in tags] == [("Team", "a"), ("team", "b")]
    account.untag_policy(policy_arn=policy.arn, tag_keys=["TEAM", "team"])
    assert [t.key for t in account.list_policy_tags(policy_arn=policy.arn).tags] == ["Team"]


def test_get_policy_unknown_and_invalid_arn(account: Account) -> None:
    """GetPolicy: NoSuchEntity for an unknown policy, InvalidInput for text that is no ARN."""
    with pytest.raises(NoSuchEntity, match="was not found"):
        account.get_policy(policy_arn=arn("Nope"))
    with pytest.raises(
        InvalidInput, match=re.escape("ARN this-is-not-an-arn-at-all is not valid.")
    ):
        account.get_policy(policy_arn="this-is-not-an-arn-at-all")


# -- AWS managed policies ------------------------------------------------------


@pytest.mark.parametrize(
    ("arn", "policy_id", "version", "created", "description"),
    [
        (
            ADMIN,
            "ANPAIWMBCKSKIEE64ZLYK",
            "v1",
            datetime(2015, 2, 6, 18, 39, 46, tzinfo=UTC),
            "Provides full access to AWS services and resources.",
        ),
        (  # the most attached one, at a real version of the IAMTrail archive
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "ANPAILL3HVNFSB6DCOWYQ",
            "v182",
            datetime(2015, 2, 6, 18, 39, 48, tzinfo=UTC),
            "Provides read-only access to AWS services and resources.",
        ),
    ],
)
def test_aws_managed_policies_are_built_in(
    account: Account, arn: str, policy_id: str, version: str, created: datetime, description: str
) -> None:
    """AWS managed policies exist in every account with AWS's IDs, dates, descriptions
    and default versions."""
    got = account.get_policy(policy_arn=arn).policy
    assert (got.policy_id, got.default_version_id, got.path) == (policy_id, version, "/")
    assert (got.create_date, got.description) == (created, description)


def test_aws_managed_paths_and_documents(account: Account) -> None:
    """Service-role policies have their path; documents are AWS's (AdministratorAccess)."""
    lam = account.get_policy(
        policy_arn="arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    )
    assert lam.policy.path == "/service-role/"
    version = account.get_policy_version(policy_arn=ADMIN, version_id="v1").policy_version
    assert version.document is not None
    assert json.loads(urllib.parse.unquote(version.document)) == {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }


def test_read_only_access_grants_reads_only(account: Account) -> None:
    """ReadOnlyAccess can be attached, and it grants reads but not writes."""
    arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    account.create_user(user_name="reader")
    account.attach_user_policy(user_name="reader", policy_arn=arn)
    result = account.simulate_principal_policy(
        policy_source_arn="arn:aws:iam::123456789012:user/reader",
        action_names=["s3:GetObject", "iam:ListUsers", "s3:PutObject", "iam:CreateUser"],
    )
    decisions = [r.eval_decision for r in result.evaluation_results]
    assert decisions == ["allowed", "allowed", "implicitDeny", "implicitDeny"]
    assert result.evaluation_results[0].matched_statements[0].source_policy_id == (
        "ReadOnlyAccess"
    )


@pytest.mark.parametrize(
    ("name", "policy_id", "version", "allowed", "denied"),
    [
        ("AmazonS3ReadOnlyAccess", "ANPAIZTJ4DXE7G6AGAE6M", "v3", "s3:GetObject", "s3:PutObject"),
        ("AmazonS3FullAccess", "ANPAIFIR6V6BVTRAHWINE", "v2", "s3:PutObject", "ec2:RunInstances"),
        ("AmazonSQSFullAccess", "ANPAI65L554VRJ33ECQS6", "v1", "sqs:SendMessage", "sns:Publish"),
    ],
)
def test_common_service_policies_are_built_in(
    account: Account, name: str, policy_id: str, version: str, allowed: str, denied: str
) -> None:
    """Often-attached AWS managed policies carry AWS's IDs and versions and decide as
    their documents say."""
    arn = f"arn:aws:iam::aws:policy/{name}"
    got = account.get_policy(policy_arn=arn).policy
    assert (got.policy_id, got.default_version_id) == (policy_id, version)
    result = account.simulate_custom_policy(
        policy_input_list=[
            urllib.parse.unquote(
                account.get_policy_version(
                    policy_arn=arn, version_id=version
                ).policy_version.document
                or ""
            )
        ],
        action_names=[allowed, denied],
    )
    assert [r.eval_decision for r in result.evaluation_results] == ["allowed", "implicitDeny"]


def test_view_only_access_is_a_job_function_policy(account: Account) -> None:
    """job-function/ViewOnlyAccess: path /job-function/, AWS's ID, attachable."""
    arn = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
    got = account.get_policy(policy_arn=arn).policy
    assert (got.policy_id, got.path) == ("ANPAID22R6XPJATWOFDK6", "/job-function/")
    account.create_group(group_name="viewers")
    account.attach_group_policy(group_name="viewers", policy_arn=arn)
    attached = account.list_attached_group_policies(group_name="viewers").attached_policies
    assert [(a.policy_name, a.policy_arn) for a in attached] == [("ViewOnlyAccess", arn)]


@pytest.mark.parametrize(
    "policy", list(AWS_MANAGED_POLICIES.values()), ids=lambda p: p.policy_name
)
def test_aws_managed_documents_are_valid(account: Account, policy: object) -> None:
    """Every built-in AWS managed policy document parses and is its default version."""
    got = account.get_policy(policy_arn=policy.arn).policy  # type: ignore[attr-defined]
    version = account.get_policy_version(
        policy_arn=got.arn, version_id=got.default_version_id
    ).policy_version
    assert version.is_default_version
    assert got.update_date == version.create_date
    assert version.document is not None
    parse_policy(urllib.parse.unquote(version.document), managed=True)  # the grammar holds
    assert re.fullmatch(r"ANPA[A-Z0-9]{17}", got.policy_id)
    assert got.description


def test_aws_managed_policies_cannot_be_changed(account: Account) -> None:
    """AWS managed policies are AWS's: delete, new versions and tags are AccessDenied."""
    unchanged(account, account.delete_policy, AccessDenied, policy_arn=ADMIN)
    unchanged(
        account,
        account.create_policy_version,
        AccessDenied,
        policy_arn=ADMIN,
        policy_document=doc(),
    )
    error = unchanged(
        account,
        account.tag_policy,
        AccessDenied,
        policy_arn=ADMIN,
        tags=[{"Key": "k", "Value": "v"}],
    )
    assert error.message == (
        f"User: arn:aws:iam::{ACCOUNT}:root is not authorized to perform: iam:TagPolicy "
        f"on resource: policy {ADMIN}"
    )


# -- ListPolicies ----------------------------------------------------------------


def test_list_policies_scopes_and_filters(account: Account) -> None:
    """ListPolicies: Scope All|AWS|Local, OnlyAttached, PathPrefix, PolicyUsageFilter."""
    account.create_policy(policy_name="B", policy_document=doc(), path="/x/")
    account.create_policy(policy_name="a", policy_document=doc())
    account.create_user(user_name="u")
    account.attach_user_policy(user_name="u", policy_arn=arn("a"))
    local = [p.policy_name for p in account.list_policies(scope="Local").policies]
    assert local == ["a", "B"]
    aws = account.list_policies(scope="AWS").policies
    assert {p.arn.lower() for p in aws} == set(AWS_MANAGED_POLICIES)
    everything = account.list_policies().policies
    assert len(everything) == len(aws) + 2
    names = [p.policy_name.lower() for p in everything]
    assert names == sorted(names)
    attached = account.list_policies(only_attached=True).policies
    assert [p.policy_name for p in attached] == ["a"]
    assert attached[0].attachment_count == 1
    assert [p.policy_name for p in account.list_policies(path_prefix="/x/").policies] == ["B"]
    account.put_user_permissions_boundary(user_name="u", permissions_boundary=READ_ONLY)
    bounds = account.list_policies(only_attached=True, policy_usage_filter="PermissionsBoundary")
    assert [p.policy_name for p in bounds.policies] == ["IAMReadOnlyAccess"]
    assert all(p.description is None and p.tags is None for p in everything)


def test_list_policies_usage_filter_needs_only_attached(account: Account) -> None:
    """As recorded from AWS (2026): PolicyUsageFilter counts only with OnlyAttached=true,
    and OnlyAttached alone keeps a policy used only as a permissions boundary too."""
    for name in ("attached", "boundary", "both", "unused"):
        account.create_policy(policy_name=name, policy_document=doc())
    account.create_user(user_name="u")
    account.create_user(user_name="v")
    account.attach_user_policy(user_name="u", policy_arn=arn("attached"))
    account.attach_user_policy(user_name="u", policy_arn=arn("both"))
    account.put_user_permissions_boundary(user_name="u", permissions_boundary=arn("boundary"))
    account.put_user_permissions_boundary(user_name="v", permissions_boundary=arn("both"))

    def names(**kwargs: object) -> list[str]:
        return [p.policy_name for p in account.list_policies(scope="Local", **kwargs).policies]

    everything = ["attached", "both", "boundary", "unused"]
    assert names(policy_usage_filter="PermissionsBoundary") == everything
    assert names(only_attached=False, policy_usage_filter="PermissionsPolicy") == everything
    assert names(only_attached=True) == ["attached", "both", "boundary"]
    assert names(only_attached=True, policy_usage_filter="PermissionsBoundary") == [
        "both",
        "boundary",
    ]
    assert names(only_attached=True, policy_usage_filter="PermissionsPolicy") == [
        "attached",
        "both",
    ]


@settings(max_examples=15)
@given(count=st.integers(0, 12), page_size=st.integers(1, 5))
def test_list_policies_pages_cover_everything_once(count: int, page_size: int) -> None:
    """ListPolicies: MaxItems/Marker paging returns every policy exactly once, in order."""
    account = Account(clock=FixedClock(), entropy=seeded_entropy(1))
    for index in range(count):
        account.create_policy(policy_name=f"p{index:02d}", policy_document=doc())
    seen: list[str] = []
    marker = None
    while True:
        kwargs = {"scope": "Local", "max_items": page_size}
        if marker is not None:
            kwargs["marker"] = marker
        result = account.list_policies(**kwargs)  # type: ignore[arg-type]
        seen += [p.policy_name for p in result.policies]
        if not result.is_truncated:
            assert result.marker is None
            break
        marker = result.marker
    assert seen == [f"p{index:02d}" for index in range(count)]


# -- versions --------------------------------------------------------------------


def test_versions_lifecycle(account: Account, clock: FixedClock) -> None:
    """CreatePolicyVersion/SetDefaultPolicyVersion/DeletePolicyVersion and UpdateDate."""
    policy = account.create_policy(policy_name="P", policy_document=doc()).policy
    clock.advance(timedelta(hours=1))
    v2 = account.create_policy_version(
        policy_arn=policy.arn, policy_document=doc("s3:PutObject")
    ).policy_version
    assert (v2.version_id, v2.is_default_version, v2.document) == ("v2", False, None)
    assert account.get_policy(policy_arn=policy.arn).policy.default_version_id == "v1"
    v3 = account.create_policy_version(
        policy_arn=policy.arn, policy_document=doc("s3:*"), set_as_default=True
    ).policy_version
    got = account.get_policy(policy_arn=policy.arn).policy
    assert (got.default_version_id, got.update_date) == ("v3", v3.create_date)
    assert got.create_date == policy.create_date
    listed = account.list_policy_versions(policy_arn=policy.arn).versions
    assert [(v.version_id, v.is_default_version) for v in listed] == [
        ("v3", True),
        ("v2", False),
        ("v1", False),
    ]
    assert all(v.document is None for v in listed)
    error = unchanged(
        account,
        account.delete_policy_version,
        DeleteConflict,
        policy_arn=policy.arn,
        version_id="v3",
    )
    assert error.message == "Cannot delete the default version of a policy."
    account.set_default_policy_version(policy_arn=policy.arn, version_id="v1")
    account.delete_policy_version(policy_arn=policy.arn, version_id="v3")
    with pytest.raises(NoSuchEntity):
        account.get_policy_version(policy_arn=policy.arn, version_id="v3")
    with pytest.raises(NoSuchEntity):
        account.set_default_policy_version(policy_arn=policy.arn, version_id="v9")


def test_at_most_five_versions(account: Account) -> None:
    """CreatePolicyVersion: a policy keeps at most 5 versions (LimitExceeded)."""
    policy = account.create_policy(policy_name="P", policy_document=doc()).policy
    for _ in range(4):
        account.create_policy_version(policy_arn=policy.arn, policy_document=doc())
    error = unchanged(
        account,
        account.create_policy_version,
        LimitExceeded,
        policy_arn=policy.arn,
        policy_document=doc(),
    )
    assert error.message == (
        "A managed policy can have up to 5 versions. Before you create a new version, "
        "you must delete an existing version."
    )


@settings(max_examples=40)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 6)), max_size=25))
def test_version_ids_never_reused(steps: list[tuple[bool, int]]) -> None:
    """Versions: whatever the creates and deletes, IDs count up, are never reused, ≤ 5 kept."""
    account = Account(clock=FixedClock(), entropy=seeded_entropy(2))
    policy_arn = account.create_policy(policy_name="P", policy_document=doc()).policy.arn
    issued = ["v1"]
    for create, pick in steps:
        versions = account.list_policy_versions(policy_arn=policy_arn).versions
        if create:
            try:
                new = account.create_policy_version(
                    policy_arn=policy_arn, policy_document=doc(), set_as_default=pick % 2 == 0
                ).policy_version
            except LimitExceeded:
                assert len(versions) == 5
            else:
                assert new.version_id == f"v{len(issued) + 1}"
                issued.append(new.version_id)
        else:
            victim = versions[pick % len(versions)]
            try:
                account.delete_policy_version(policy_arn=policy_arn, version_id=victim.version_id)
            except DeleteConflict:
                assert victim.is_default_version
        versions = account.list_policy_versions(policy_arn=policy_arn).versions
        assert 1 <= len(versions) <= 5
        assert sum(v.is_default_version for v in versions) == 1
        assert {v.version_id for v in versions} <= set(issued)


def test_get_policy_version_document_is_url_encoded(account: Account) -> None:
    """GetPolicyVersion: the document comes back URL-encoded (RFC 3986), as written."""
    text = (
        '{\n  "Version": "2012-10-17",\n'
        '  "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]\n}'
    )
    policy = account.create_policy(policy_name="P", policy_document=text).policy
    encoded = account.get_policy_version(policy_arn=policy.arn, version_id="v1")
    document = encoded.policy_version.document
    assert document is not None
    assert document.startswith("%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22%2C")
    assert '"Resource": "*"' not in document
    assert "%22Action%22%3A%20%22s3%3A*%22" in document  # '*' stays as it is
    assert urllib.parse.unquote(document) == text


# -- DeletePolicy ----------------------------------------------------------------


def test_delete_policy_conflicts(account: Account) -> None:
    """DeletePolicy: refused while attached, used as a boundary, or with other versions."""
    policy = account.create_policy(policy_name="P", policy_document=doc()).policy
    account.create_group(group_name="g")
    account.attach_group_policy(group_name="g", policy_arn=policy.arn)
    error = unchanged(account, account.delete_policy, DeleteConflict, policy_arn=policy.arn)
    assert error.message == "Cannot delete a policy attached to entities."
    account.detach_group_policy(group_name="g", policy_arn=policy.arn)
    account.create_user(user_name="u", permissions_boundary=policy.arn)
    unchanged(account, account.delete_policy, DeleteConflict, policy_arn=policy.arn)
    account.delete_user_permissions_boundary(user_name="u")
    account.create_policy_version(policy_arn=policy.arn, policy_document=doc())
    error = unchanged(account, account.delete_policy, DeleteConflict, policy_arn=policy.arn)
    assert error.message.startswith("This policy has more than one version.")
    account.delete_policy_version(policy_arn=policy.arn, version_id="v2")
    account.delete_policy(policy_arn=policy.arn)
    with pytest.raises(NoSuchEntity):
        account.get_policy(policy_arn=policy.arn)
    account.create_policy(policy_name="p", policy_document=doc())  # the name is free again


# -- attachments -------------------------------------------------------------------


def test_attach_and_list_user_policies(account: Account) -> None:
    """AttachUserPolicy: counts, ListAttachedUserPolicies with PathPrefix; re-attach is a no-op."""
    account.create_user(user_name="bob")
    mine = account.create_policy(policy_name="Mine", policy_document=doc(), path="/t/").policy
    account.attach_user_policy(user_name="bob", policy_arn=mine.arn)
    account.attach_user_policy(user_name="bob", policy_arn=mine.arn)
    account.attach_user_policy(user_name="BOB", policy_arn=READ_ONLY)
    attached = account.list_attached_user_policies(user_name="bob").attached_policies
    assert [(a.policy_name, a.policy_arn) for a in attached] == [
        ("IAMReadOnlyAccess", READ_ONLY),
        ("Mine", mine.arn),
    ]
    filtered = account.list_attached_user_policies(user_name="bob", path_prefix="/t/")
    assert [a.policy_name for a in filtered.attached_policies] == ["Mine"]
    assert account.get_policy(policy_arn=mine.arn).policy.attachment_count == 1
    assert account.get_policy(policy_arn=READ_ONLY).policy.attachment_count == 1


def test_attach_errors(account: Account) -> None:
    """AttachUserPolicy: NoSuchEntity for an unknown user or policy, InvalidInput for a bad ARN."""
    account.create_user(user_name="bob")
    with pytest.raises(
        NoSuchEntity, match=re.escape("The user with name nobody cannot be found.")
    ):
        account.attach_user_policy(user_name="nobody", policy_arn=READ_ONLY)
    error = unchanged(
        account,
        account.attach_user_policy,
        NoSuchEntity,
        user_name="bob",
        policy_arn=arn("Missing"),
    )
    assert error.message == f"Policy {arn('Missing')} does not exist or is not attachable."
    unchanged(
        account,
        account.attach_user_policy,
        InvalidInput,
        user_name="bob",
        policy_arn="policy/Missing-not-an-arn",
    )
    with pytest.raises(NoSuchEntity, match="was not found"):
        account.detach_user_policy(user_name="bob", policy_arn=READ_ONLY)


@pytest.mark.parametrize("kind", ["user", "group"])
def test_ten_managed_policies_per_user_and_group(account: Account, kind: str) -> None:
    """AttachUserPolicy/AttachGroupPolicy: at most 10 managed policies (LimitExceeded)."""
    if kind == "user":
        account.create_user(user_name="e")
        attach = account.attach_user_policy
    else:
        account.create_group(group_name="e")
        attach = account.attach_group_policy  # type: ignore[assignment]
    for index in range(11):
        account.create_policy(policy_name=f"p{index}", policy_document=doc())
    for index in range(10):
        attach(**{f"{kind}_name": "e", "policy_arn": arn(f"p{index}")})  # type: ignore[arg-type]
    error = unchanged(
        account, attach, LimitExceeded, **{f"{kind}_name": "e", "policy_arn": arn("p10")}
    )
    quota = "PoliciesPerUser" if kind == "user" else "PoliciesPerGroup"
    assert error.message == f"Cannot exceed quota for {quota}: 10"


def test_group_attachments_and_entities_for_policy(account: Account) -> None:
    """ListEntitiesForPolicy: groups and users using a policy, by EntityFilter and usage."""
    policy = account.create_policy(policy_name="P", policy_document=doc()).policy
    account.create_group(group_name="devs", path="/eng/")
    account.create_user(user_name="ann")
    account.create_user(user_name="cid", permissions_boundary=policy.arn)
    account.attach_group_policy(group_name="devs", policy_arn=policy.arn)
    account.attach_user_policy(user_name="ann", policy_arn=policy.arn)
    attached = account.list_attached_group_policies(group_name="devs").attached_policies
    assert [a.policy_name for a in attached] == ["P"]
    everyone = account.list_entities_for_policy(policy_arn=policy.arn)
    assert [g.group_name for g in everyone.policy_groups] == ["devs"]
    assert [u.user_name for u in everyone.policy_users] == ["ann", "cid"]
    assert everyone.policy_roles == ()
    only_policy = account.list_entities_for_policy(
        policy_arn=policy.arn, policy_usage_filter="PermissionsPolicy", entity_filter="User"
    )
    assert ([u.user_name for u in only_policy.policy_users], only_policy.policy_groups) == (
        ["ann"],
        (),
    )
    bounded = account.list_entities_for_policy(
        policy_arn=policy.arn, policy_usage_filter="PermissionsBoundary"
    )
    assert [u.user_name for u in bounded.policy_users] == ["cid"]
    by_path = account.list_entities_for_policy(policy_arn=policy.arn, path_prefix="/eng/")
    assert ([g.group_name for g in by_path.policy_groups], by_path.policy_users) == (["devs"], ())
    paged = account.list_entities_for_policy(policy_arn=policy.arn, max_items=2)
    assert paged.is_truncated
    rest = account.list_entities_for_policy(policy_arn=policy.arn, marker=paged.marker)
    assert [u.user_name for u in rest.policy_users] == ["cid"]
    assert account.get_policy(policy_arn=policy.arn).policy.attachment_count == 2


def test_delete_user_and_group_refused_while_policies_attached(account: Account) -> None:
    """DeleteUser/DeleteGroup: DeleteConflict until every managed policy is detached."""
    account.create_user(user_name="u")
    account.create_group(group_name="g")
    account.attach_user_policy(user_name="u", policy_arn=READ_ONLY)
    account.attach_group_policy(group_name="g", policy_arn=READ_ONLY)
    error = unchanged(account, account.delete_user, DeleteConflict, user_name="u")
    assert error.message == "Cannot delete entity, must detach all policies first."
    error = unchanged(account, account.delete_group, DeleteConflict, group_name="g")
    assert error.message == "Cannot delete entity, must detach all policies first."
    account.detach_user_policy(user_name="u", policy_arn=READ_ONLY)
    account.detach_group_policy(group_name="g", policy_arn=READ_ONLY)
    account.delete_user(user_name="u")
    account.delete_group(group_name="g")
    assert account.get_policy(policy_arn=READ_ONLY).policy.attachment_count == 0


def test_renamed_user_keeps_attachments(account: Account) -> None:
    """UpdateUser: attached policies stay with a renamed user (UG "Managing IAM users")."""
    account.create_user(user_name="old")
    account.attach_user_policy(user_name="old", policy_arn=READ_ONLY)
    account.update_user(user_name="old", new_user_name="new")
    attached = account.list_attached_user_policies(user_name="new").attached_policies
    assert [a.policy_arn for a in attached] == [READ_ONLY]
    users = account.list_entities_for_policy(policy_arn=READ_ONLY).policy_users
    assert [u.user_name for u in users] == ["new"]


# -- through boto3 -------------------------------------------------------------------


def test_boto3_policy_round_trip() -> None:
    """boto3: create, read (document decoded by botocore), attach, errors with AWS codes."""
    with mock_iam():
        iam = boto3_client()
        created = iam.create_policy(  # type: ignore[attr-defined]
            PolicyName="P", PolicyDocument=doc(), Tags=[{"Key": "k", "Value": "v"}]
        )["Policy"]
        assert created["DefaultVersionId"] == "v1"
        assert created["Tags"] == [{"Key": "k", "Value": "v"}]
        assert "Description" not in created
        version = iam.get_policy_version(  # type: ignore[attr-defined]
            PolicyArn=created["Arn"], VersionId="v1"
        )["PolicyVersion"]
        assert version["Document"] == json.loads(doc())  # botocore's json_decode_policies
        iam.create_user(UserName="bob")  # type: ignore[attr-defined]
        iam.attach_user_policy(UserName="bob", PolicyArn=created["Arn"])  # type: ignore[attr-defined]
        listed = iam.list_policies(Scope="Local", OnlyAttached=True)["Policies"]  # type: ignore[attr-defined]
        assert [(p["PolicyName"], p["AttachmentCount"]) for p in listed] == [("P", 1)]
        with pytest.raises(ClientError) as raised:
            iam.delete_policy(PolicyArn=created["Arn"])  # type: ignore[attr-defined]
        assert raised.value.response["Error"]["Code"] == "DeleteConflict"
        assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
        paginator = iam.get_paginator("list_policies")  # type: ignore[attr-defined]
        names = [
            p["PolicyName"]
            for page in paginator.paginate(Scope="AWS", PaginationConfig={"PageSize": 3})
            for p in page["Policies"]
        ]
        assert len(names) == len(AWS_MANAGED_POLICIES)


def test_boto3_malformed_document() -> None:
    """boto3: a bad document is MalformedPolicyDocument (HTTP 400)."""
    with mock_iam():
        with pytest.raises(ClientError) as raised:
            boto3_client().create_policy(PolicyName="P", PolicyDocument="{not json")
        assert raised.value.response["Error"]["Code"] == "MalformedPolicyDocument"
        assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
