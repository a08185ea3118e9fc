"""Service last accessed data (IAM Access Advisor): GenerateServiceLastAccessedDetails,
GetServiceLastAccessedDetails and GetServiceLastAccessedDetailsWithEntities, fed by
the authenticated attempts of the account's users."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from iamcore import Account, persistence, service_catalog
from iamcore.errors import InvalidInput, NoSuchEntity, ValidationError
from iamcore.testing import FixedClock
from tests.helpers import allow, boto3_client, fresh_snapshot, policy

ACCOUNT = "123456789012"


def arn(kind: str, name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:{kind}/{name}"


def key_of(account: Account, user: str) -> tuple[str, str]:
    key = account.create_access_key(user_name=user).access_key
    return key.access_key_id, key.secret_access_key


def attempt(
    account: Account,
    key: tuple[str, str],
    service: str,
    action: str | None = None,
    region: str = "us-east-1",
) -> None:
    """A request signed with ``key`` to ``service`` (and ``action``) from ``region``."""
    account.authenticate(
        access_key_id=key[0],
        secret_access_key=key[1],
        service=service,
        region=region,
        action=action,
    )


def report(account: Account, entity_arn: str, granularity: str = "SERVICE_LEVEL") -> Any:
    job = account.generate_service_last_accessed_details(
        arn=entity_arn, granularity=granularity
    ).job_id
    return account.get_service_last_accessed_details(job_id=job, max_items=1000)


def by_namespace(details: Any) -> dict[str, Any]:
    return {s.service_namespace: s for s in details.services_last_accessed}


@pytest.fixture
def team(account: Account) -> Account:
    """ana and ben in group devs (iam:Get*, lambda:*); ana also has s3 of her own."""
    for user in ("ana", "ben"):
        account.create_user(user_name=user)
    account.create_group(group_name="devs")
    for user in ("ana", "ben"):
        account.add_user_to_group(group_name="devs", user_name=user)
    account.put_group_policy(
        group_name="devs",
        policy_name="dev",
        policy_document=policy(allow(["iam:Get*", "lambda:*"])),
    )
    account.put_user_policy(
        user_name="ana", policy_name="own", policy_document=policy(allow("s3:GetObject"))
    )
    return account


def test_a_user_report_lists_the_services_its_policies_allow(team: Account) -> None:
    """A user's report lists every service its own and its groups' policies allow, sorted
    by namespace; a service never used has only its names and 0 entities (UG; every AWS
    example)."""
    details = report(team, arn("user", "ana"))
    assert [s.service_namespace for s in details.services_last_accessed] == [
        "iam",
        "lambda",
        "s3",
    ]
    s3 = by_namespace(details)["s3"]
    assert (s3.service_name, s3.total_authenticated_entities) == ("Amazon S3", 0)
    assert s3.last_authenticated is None
    assert s3.last_authenticated_entity is None
    assert by_namespace(details)["iam"].service_name == "AWS Identity and Access Management"
    assert (details.job_status, details.job_type) == ("COMPLETED", "SERVICE_LEVEL")
    assert details.job_completion_date == details.job_creation_date


def test_attempts_show_who_when_and_where(team: Account, clock: FixedClock) -> None:
    """The latest authenticated attempt: its time to the minute, its user and region, and
    how many users tried (a group's report counts its members)."""
    ana, ben = key_of(team, "ana"), key_of(team, "ben")
    clock.advance(timedelta(seconds=75))
    attempt(team, ana, "lambda", region="eu-west-1")
    clock.advance(timedelta(minutes=5))
    attempt(team, ben, "lambda", region="us-west-2")
    lambda_ = by_namespace(report(team, arn("group", "devs")))["lambda"]
    assert lambda_.total_authenticated_entities == 2
    assert lambda_.last_authenticated_entity == arn("user", "ben")
    assert lambda_.last_authenticated_region == "us-west-2"
    assert lambda_.last_authenticated == (clock.now() - timedelta(seconds=15))
    assert lambda_.last_authenticated.second == 0


def test_a_group_report_holds_only_the_groups_policies(team: Account) -> None:
    """A group's report lists the services its own policies allow, not its members'."""
    details = report(team, arn("group", "devs"))
    assert [s.service_namespace for s in details.services_last_accessed] == ["iam", "lambda"]


def test_a_policy_report_counts_its_users_direct_and_through_groups(team: Account) -> None:
    """A policy's report covers the users it is attached to, directly or through a group."""
    created = team.create_policy(
        policy_name="read-s3", policy_document=policy(allow("s3:List*"))
    ).policy
    team.attach_group_policy(group_name="devs", policy_arn=created.arn)
    team.create_user(user_name="cy")
    team.attach_user_policy(user_name="cy", policy_arn=created.arn)
    cy = key_of(team, "cy")
    attempt(team, cy, "s3")
    job = team.generate_service_last_accessed_details(arn=created.arn).job_id
    s3 = by_namespace(team.get_service_last_accessed_details(job_id=job))["s3"]
    assert (s3.total_authenticated_entities, s3.last_authenticated_entity) == (
        1,
        arn("user", "cy"),
    )
    entities = team.get_service_last_accessed_details_with_entities(
        job_id=job, service_namespace="s3"
    ).entity_details_list
    assert [e.entity_info.name for e in entities] == ["cy", "ana", "ben"]  # recent first
    assert entities[0].last_authenticated is not None
    assert entities[1].last_authenticated is None
    assert {e.entity_info.type for e in entities} == {"USER"}


def test_everything_allowed_lists_every_service_in_pages(account: Account) -> None:
    """An Allow of "*" allows every service AWS has (a real AdministratorAccess report
    lists them all); a page holds 200 without MaxItems (recorded from AWS, 2026, though
    the API reference says 100) and the marker continues the list."""
    account.create_user(user_name="root-like")
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    account.attach_user_policy(user_name="root-like", policy_arn=admin)
    job = account.generate_service_last_accessed_details(arn=admin).job_id
    seen: list[str] = []
    marker = None
    while True:
        kwargs = {"marker": marker} if marker else {}
        page = account.get_service_last_accessed_details(job_id=job, **kwargs)
        assert len(page.services_last_accessed) == min(200, 456 - len(seen))
        seen += [s.service_namespace for s in page.services_last_accessed]
        if not page.is_truncated:
            assert page.marker is None
            break
        marker = page.marker
    assert seen == sorted(service_catalog.SERVICE_NAMES)


def test_the_permissions_boundary_is_not_used(team: Account) -> None:
    """Last accessed data "does not use ... IAM permissions boundaries" (API reference)."""
    before = [s.service_namespace for s in report(team, arn("user", "ana")).services_last_accessed]
    boundary = team.create_policy(
        policy_name="only-s3", policy_document=policy(allow("s3:*"))
    ).policy.arn
    team.put_user_permissions_boundary(user_name="ana", permissions_boundary=boundary)
    after = [s.service_namespace for s in report(team, arn("user", "ana")).services_last_accessed]
    assert after == before


def test_a_report_is_a_snapshot(team: Account, clock: FixedClock) -> None:
    """Attempts made after a report was generated need a new report (UG)."""
    ana = key_of(team, "ana")
    job = team.generate_service_last_accessed_details(arn=arn("user", "ana")).job_id
    attempt(team, ana, "s3")
    old = by_namespace(team.get_service_last_accessed_details(job_id=job))["s3"]
    assert old.total_authenticated_entities == 0
    assert by_namespace(report(team, arn("user", "ana")))["s3"].total_authenticated_entities == 1


def test_action_level_reports_tracked_actions(team: Account) -> None:
    """ACTION_LEVEL adds each tracked action's latest attempt; iam:PassRole is not tracked
    (UG); SERVICE_LEVEL reports carry no tracked actions."""
    ana = key_of(team, "ana")
    attempt(team, ana, "iam", "GetUser")
    attempt(team, ana, "iam", "PassRole")
    iam = by_namespace(report(team, arn("user", "ana"), "ACTION_LEVEL"))["iam"]
    assert iam.tracked_actions_last_accessed is not None
    assert [t.action_name for t in iam.tracked_actions_last_accessed] == ["GetUser"]
    assert iam.tracked_actions_last_accessed[0].last_accessed_entity == arn("user", "ana")
    assert (
        by_namespace(report(team, arn("user", "ana")))["iam"].tracked_actions_last_accessed is None
    )


def test_only_the_principal_that_generated_it_may_read_it(team: Account) -> None:
    """ "Only the principal that generates a report can view the report details" (UG);
    any other principal, like an unknown job ID, gets NoSuchEntity."""
    job = team.generate_service_last_accessed_details(arn=arn("user", "ana")).job_id
    with team.acting_as("ben"), pytest.raises(NoSuchEntity):
        team.get_service_last_accessed_details(job_id=job)
    with team.acting_as("ben"):
        own = team.generate_service_last_accessed_details(arn=arn("user", "ben")).job_id
        assert team.get_service_last_accessed_details(job_id=own).job_status == "COMPLETED"
    with pytest.raises(NoSuchEntity) as caught:
        team.get_service_last_accessed_details(job_id="0" * 36)
    assert caught.value.message == f"Job {'0' * 36} does not exist."  # recorded


@pytest.mark.parametrize(
    ("entity_arn", "error"),
    [
        (arn("user", "nobody"), NoSuchEntity),
        (arn("role", "some-role"), NoSuchEntity),
        (arn("policy", "missing"), NoSuchEntity),
        (f"arn:aws:iam::{ACCOUNT}:root", InvalidInput),
        (f"arn:aws-cn:iam::{ACCOUNT}:user/ana", ValidationError),
        (f"arn:aws:s3::{ACCOUNT}:user/ana", ValidationError),
    ],
)
def test_bad_arns_change_nothing(team: Account, entity_arn: str, error: type[Exception]) -> None:
    """A bad or unknown ARN is refused as ListPoliciesGrantingServiceAccess refuses it
    (AWS's recorded answers there) and no report is made."""
    before = fresh_snapshot(team)
    with pytest.raises(error):
        team.generate_service_last_accessed_details(arn=entity_arn)
    assert fresh_snapshot(team) == before


def test_job_ids_are_uuids_reproducible_with_a_seed() -> None:
    """JobId is 36 characters (the model's jobIDType), drawn from the account's entropy."""
    from iamcore.testing import seeded_entropy

    ids = []
    for _ in range(2):
        account = Account(clock=FixedClock(), entropy=seeded_entropy(3))
        account.create_user(user_name="u")
        ids.append(account.generate_service_last_accessed_details(arn=arn("user", "u")).job_id)
    assert ids[0] == ids[1]
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", ids[0]
    )


def test_deleting_a_user_drops_their_attempts(team: Account) -> None:
    """A deleted user's attempts no longer count in new reports."""
    ben = key_of(team, "ben")
    attempt(team, ben, "lambda")
    team.delete_access_key(user_name="ben", access_key_id=ben[0])
    team.remove_user_from_group(group_name="devs", user_name="ben")
    team.delete_user(user_name="ben")
    team.create_user(user_name="ben")
    team.add_user_to_group(group_name="devs", user_name="ben")
    lambda_ = by_namespace(report(team, arn("group", "devs")))["lambda"]
    assert lambda_.total_authenticated_entities == 0


def test_reports_and_attempts_persist(team: Account) -> None:
    """Attempts and reports are account state: saved and loaded with it."""
    attempt(team, key_of(team, "ana"), "s3")
    job = team.generate_service_last_accessed_details(arn=arn("user", "ana")).job_id
    loaded = persistence.loads(persistence.dumps(team, include_secrets=True))
    assert loaded.get_service_last_accessed_details(
        job_id=job
    ) == team.get_service_last_accessed_details(job_id=job)


def test_boto3_signed_calls_feed_the_report(account: Account) -> None:
    """Through boto3, calls signed with a user's key are IAM attempts of that user (with
    their action, at ACTION_LEVEL); a never-used service has exactly the three members
    AWS sends; an unknown job is a ClientError NoSuchEntity."""
    from iamcore.mock import mock_iam

    with mock_iam(account):
        admin = boto3_client()
        admin.create_user(UserName="dev")
        admin.put_user_policy(
            UserName="dev",
            PolicyName="p",
            PolicyDocument=policy(allow(["iam:GetUser", "sqs:SendMessage"])),
        )
        key = admin.create_access_key(UserName="dev")["AccessKey"]
        signed = boto3_client(key["AccessKeyId"], key["SecretAccessKey"])
        signed.get_user()
        job = admin.generate_service_last_accessed_details(
            Arn=arn("user", "dev"), Granularity="ACTION_LEVEL"
        )["JobId"]
        details = admin.get_service_last_accessed_details(JobId=job)
        iam, sqs = details["ServicesLastAccessed"]
        assert iam["LastAuthenticatedEntity"] == arn("user", "dev")
        assert [t["ActionName"] for t in iam["TrackedActionsLastAccessed"]] == ["GetUser"]
        assert sqs == {
            "ServiceName": "Amazon SQS",
            "ServiceNamespace": "sqs",
            "TotalAuthenticatedEntities": 0,
        }
        assert details["IsTruncated"] is False
        with pytest.raises(ClientError) as caught:
            admin.get_service_last_accessed_details(JobId="f" * 36)
        assert caught.value.response["Error"]["Code"] == "NoSuchEntity"


def test_a_deny_in_any_policy_takes_a_service_away(team: Account) -> None:
    """Unlike ListPoliciesGrantingServiceAccess, a report weighs every policy's
    unconditional Deny: sqs allowed by a managed policy and denied by an inline one is
    left out; an Allow whose resources a Deny covers too; a conditional Deny is not
    (recorded from AWS, 2026)."""
    shared = team.create_policy(
        policy_name="shared", policy_document=policy(allow(["sqs:SendMessage", "s3:GetObject"]))
    ).policy.arn
    team.attach_user_policy(user_name="ana", policy_arn=shared)
    team.put_user_policy(
        user_name="ana",
        policy_name="no-sqs",
        policy_document=policy(
            {"Effect": "Deny", "Action": "sqs:*", "Resource": "*"},
            allow("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:123456789012:table/a"),
            {
                "Effect": "Deny",
                "Action": "dynamodb:*",
                "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/*",
            },
            allow("ec2:DescribeInstances"),
            {
                "Effect": "Deny",
                "Action": "ec2:*",
                "Resource": "*",
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}},
            },
        ),
    )
    listed = [s.service_namespace for s in report(team, arn("user", "ana")).services_last_accessed]
    assert listed == ["ec2", "iam", "lambda", "s3"]


def test_reported_users_are_followed_by_id(team: Account) -> None:
    """A report's users are followed by ID: after a rename WithEntities shows the new name
    and ARN, and a deleted user is gone (recorded from AWS, 2026)."""
    job = team.generate_service_last_accessed_details(arn=arn("group", "devs")).job_id
    team.update_user(user_name="ana", new_user_name="anna", new_path="/moved/")
    team.remove_user_from_group(group_name="devs", user_name="ben")
    team.delete_user(user_name="ben")
    entities = team.get_service_last_accessed_details_with_entities(
        job_id=job, service_namespace="iam"
    ).entity_details_list
    assert [(e.entity_info.name, e.entity_info.arn) for e in entities] == [
        ("anna", arn("user", "moved/anna"))
    ]


def test_markers_belong_to_their_job_and_list(team: Account) -> None:
    """A marker from another job, or from the other list, is InvalidInput "The marker
    passed in the request was invalid." (recorded from AWS, 2026)."""
    first = team.generate_service_last_accessed_details(arn=arn("user", "ana")).job_id
    other = team.generate_service_last_accessed_details(arn=arn("user", "ana")).job_id
    marker = team.get_service_last_accessed_details(job_id=first, max_items=1).marker
    assert marker is not None
    assert team.get_service_last_accessed_details(
        job_id=first, marker=marker
    ).services_last_accessed
    for call in (
        lambda: team.get_service_last_accessed_details(job_id=other, marker=marker),
        lambda: team.get_service_last_accessed_details_with_entities(
            job_id=first, service_namespace="s3", marker=marker
        ),
        lambda: team.get_service_last_accessed_details(job_id=first, marker="garbage"),
    ):
        with pytest.raises(InvalidInput) as caught:
            call()
        assert caught.value.message == "The marker passed in the request was invalid."


@pytest.mark.parametrize("namespace", ["stackdunmodeled", "S3"])
def test_with_entities_refuses_an_unknown_namespace(team: Account, namespace: str) -> None:
    """WithEntities for a namespace that is no service prefix (case-sensitive) is
    InvalidInput, in AWS's words (its "namepace" typo included; recorded 2026)."""
    job = team.generate_service_last_accessed_details(arn=arn("user", "ana")).job_id
    with pytest.raises(InvalidInput) as caught:
        team.get_service_last_accessed_details_with_entities(
            job_id=job, service_namespace=namespace
        )
    assert caught.value.message == (
        f"Service namepace {namespace} is either invalid or unsupported."
    )


def test_service_names_are_the_ones_aws_reports() -> None:
    """ServiceName is the name AWS's reports show, which for a few services is not the
    Service Authorization Reference's title (a 2026 report recorded from AWS)."""
    from iamcore.rules.access_advisor import service_name

    assert service_name("ses") == "Amazon SES"
    assert service_name("cloudformation") == "AWS CloudFormation"
    assert service_name("iam") == "AWS Identity and Access Management"
    assert service_name("s3") == "Amazon S3"


def test_deleting_the_owner_drops_their_reports(team: Account) -> None:
    """Only the principal that generated a report may read it; when that user is deleted
    their reports go too (no one could read them)."""
    with team.acting_as("ben"):
        team.generate_service_last_accessed_details(arn=arn("user", "ben"))
    team.remove_user_from_group(group_name="devs", user_name="ben")
    team.delete_user(user_name="ben")
    assert team.snapshot().tables["access_reports"] == {}
