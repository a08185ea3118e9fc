"""Account-level operations: GetAccountSummary, aliases, GetAccountAuthorizationDetails.

Sources cited in the docstrings: API = the AWS IAM API Reference page of the
operation; SM = botocore's IAM service model; SIGNIN = AWS Sign-In UG
"Creating, deleting, and listing an AWS account alias"; REC = responses
recorded from AWS (radkawar/stackd ``testdata/aws/iam/account_reporting.json``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

import botocore.session
import pytest
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st

from iamcore import Account
from iamcore.errors import NoSuchEntity, ValidationError
from iamcore.mock import mock_iam
from iamcore.testing import FixedClock, seeded_entropy, totp_code
from tests.helpers import body, boto3_client, fresh_snapshot

DOCUMENT = (
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",'
    ' "Resource": "arn:aws:s3:::bucket/space + percent%/\u00e9"}]}'
)
AWS_POLICY = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
#: the SummaryMap AWS returned for an account (REC, case "baseline"): its key set
RECORDED_KEYS = {
    "GroupPolicySizeQuota", "InstanceProfilesQuota", "Policies", "GroupsPerUserQuota",
    "InstanceProfiles", "AttachedPoliciesPerUserQuota", "Users", "PoliciesQuota", "Providers",
    "AccountMFAEnabled", "AccessKeysPerUserQuota", "AssumeRolePolicySizeQuota",
    "PolicyVersionsInUseQuota", "GlobalEndpointTokenVersion", "VersionsPerPolicyQuota",
    "AttachedPoliciesPerGroupQuota", "PolicySizeQuota", "Groups",
    "AccountSigningCertificatesPresent", "UsersQuota", "ServerCertificatesQuota", "MFADevices",
    "UserPolicySizeQuota", "PolicyVersionsInUse", "ServerCertificates", "Roles", "RolesQuota",
    "SigningCertificatesPerUserQuota", "MFADevicesInUse", "RolePolicySizeQuota",
    "AttachedPoliciesPerRoleQuota", "AccountAccessKeysPresent", "AccountPasswordPresent",
    "GroupsQuota",
}  # fmt: skip


def summary(account: Account) -> dict[str, int]:
    """The SummaryMap as a plain dict."""
    return dict(account.get_account_summary().summary_map)


def create_policy(account: Account, name: str) -> str:
    """Create a customer managed policy; return its ARN."""
    return account.create_policy(policy_name=name, policy_document=DOCUMENT).policy.arn


def enable_new_device(account: Account, clock: FixedClock, user: str) -> None:
    """Create a virtual MFA device and enable it for ``user``."""
    device = account.create_virtual_mfa_device(virtual_mfa_device_name=f"{user}-phone")
    seed = device.virtual_mfa_device.base32_string_seed
    assert seed is not None
    account.enable_mfa_device(
        user_name=user,
        serial_number=device.virtual_mfa_device.serial_number,
        authentication_code1=totp_code(seed, clock, -1),
        authentication_code2=totp_code(seed, clock),
    )


# -- GetAccountSummary ------------------------------------------------------------


def test_summary_has_every_key_of_the_model_and_of_aws(account: Account) -> None:
    """SM summaryKeyType / REC baseline: SummaryMap carries all 34 keys AWS sends."""
    model = botocore.session.get_session().get_service_model("iam")
    assert set(summary(account)) == set(model.shape_for("summaryKeyType").enum) == RECORDED_KEYS


def test_summary_quotas_match_recorded_aws_defaults(account: Account) -> None:
    """REC baseline: the default quotas AWS reports (PoliciesQuota and
    AttachedPoliciesPerRoleQuota as UG quota defaults, 1,500 and 10)."""
    values = summary(account)
    assert values["UsersQuota"] == 5000
    assert values["GroupsQuota"] == 300
    assert values["PoliciesQuota"] == 1500
    assert values["PolicySizeQuota"] == 6144
    assert values["VersionsPerPolicyQuota"] == 5
    assert values["UserPolicySizeQuota"] == 2048
    assert values["GroupPolicySizeQuota"] == 5120
    assert values["RolePolicySizeQuota"] == 10240
    assert values["AccessKeysPerUserQuota"] == 2
    assert values["GroupsPerUserQuota"] == 10
    assert values["PolicyVersionsInUseQuota"] == 10000
    assert values["GlobalEndpointTokenVersion"] == 1


def test_summary_counts_users_groups_and_customer_policies(account: Account) -> None:
    """API GetAccountSummary / REC entities_created, unattached_policies: Users, Groups and
    Policies (customer managed only) follow the account; Roles etc. stay 0."""
    for name in ("a", "b", "c"):
        account.create_user(user_name=name)
    account.create_group(group_name="g")
    create_policy(account, "p")
    values = summary(account)
    assert (values["Users"], values["Groups"], values["Policies"]) == (3, 1, 1)
    assert values["Roles"] == values["InstanceProfiles"] == values["Providers"] == 0
    assert values["ServerCertificates"] == 0
    account.delete_user(user_name="c")
    assert summary(account)["Users"] == 2


def test_policy_versions_in_use_counts_policies_attached_or_boundaries(account: Account) -> None:
    """REC unattached_versions, customer_boundary_only, aws_boundary_only: only policies in
    use count, each once, whatever their number of versions; AWS managed ones too."""
    account.create_user(user_name="u")
    account.create_group(group_name="g")
    arn = create_policy(account, "p")
    account.create_policy_version(policy_arn=arn, policy_document=DOCUMENT)
    assert summary(account)["PolicyVersionsInUse"] == 0
    account.put_user_permissions_boundary(user_name="u", permissions_boundary=arn)
    assert summary(account)["PolicyVersionsInUse"] == 1
    account.attach_user_policy(user_name="u", policy_arn=arn)
    account.attach_group_policy(group_name="g", policy_arn=arn)
    assert summary(account)["PolicyVersionsInUse"] == 1
    account.attach_group_policy(group_name="g", policy_arn=AWS_POLICY)
    assert summary(account)["PolicyVersionsInUse"] == 2
    account.detach_group_policy(group_name="g", policy_arn=AWS_POLICY)
    assert summary(account)["PolicyVersionsInUse"] == 1


def test_mfa_devices_and_devices_in_use(account: Account, clock: FixedClock) -> None:
    """REC unassigned_mfa, assigned_mfa: a new virtual device counts in MFADevices, an
    enabled one also in MFADevicesInUse."""
    account.create_user(user_name="u")
    account.create_virtual_mfa_device(virtual_mfa_device_name="spare")
    values = summary(account)
    assert (values["MFADevices"], values["MFADevicesInUse"]) == (1, 0)
    enable_new_device(account, clock, "u")
    values = summary(account)
    assert (values["MFADevices"], values["MFADevicesInUse"]) == (2, 1)


def test_account_flags_describe_the_root_user(account: Account) -> None:
    """REC user_signing_certificate / API: AccountMFAEnabled and AccountAccessKeysPresent are
    the root user's; a user's credentials leave them at 0; the root has a password."""
    account.create_user(user_name="u")
    account.create_access_key(user_name="u")
    values = summary(account)
    assert values["AccountMFAEnabled"] == values["AccountAccessKeysPresent"] == 0
    assert values["AccountSigningCertificatesPresent"] == 0
    assert values["AccountPasswordPresent"] == 1
    account.set_root_credentials(
        mfa_active=True,
        access_keys=[{"status": "Active", "create_date": datetime(2025, 1, 1, tzinfo=UTC)}],
    )
    values = summary(account)
    assert values["AccountMFAEnabled"] == values["AccountAccessKeysPresent"] == 1


@settings(max_examples=15)
@given(st.lists(st.sampled_from(["user", "group", "policy"]), max_size=12))
def test_summary_counts_match_the_state(kinds: list[str]) -> None:
    """API GetAccountSummary: Users, Groups and Policies equal the entities created."""
    account = Account(clock=FixedClock(), entropy=seeded_entropy(3))
    for index, kind in enumerate(kinds):
        if kind == "user":
            account.create_user(user_name=f"u{index}")
        elif kind == "group":
            account.create_group(group_name=f"g{index}")
        else:
            create_policy(account, f"p{index}")
    values = summary(account)
    assert values["Users"] == kinds.count("user")
    assert values["Groups"] == kinds.count("group")
    assert values["Policies"] == kinds.count("policy")


# -- account aliases --------------------------------------------------------------


def test_alias_create_list_delete(account: Account) -> None:
    """API CreateAccountAlias / ListAccountAliases / DeleteAccountAlias: the round trip."""
    assert account.list_account_aliases().account_aliases == ()
    account.create_account_alias(account_alias="example-corp")
    listed = account.list_account_aliases()
    assert (listed.account_aliases, listed.is_truncated, listed.marker) == (
        ("example-corp",),
        False,
        None,
    )
    account.delete_account_alias(account_alias="example-corp")
    assert account.list_account_aliases().account_aliases == ()


def test_new_alias_overwrites_the_previous_one(account: Account) -> None:
    """SIGNIN: an account has one alias; a new alias overwrites the previous alias."""
    account.create_account_alias(account_alias="first")
    account.create_account_alias(account_alias="second")
    assert account.list_account_aliases().account_aliases == ("second",)
    with pytest.raises(NoSuchEntity):
        account.delete_account_alias(account_alias="first")


def test_same_alias_again_changes_nothing(account: Account) -> None:
    """iamcore choice (docs/account.md): creating the alias the account has succeeds."""
    account.create_account_alias(account_alias="same")
    before = account.snapshot()
    account.create_account_alias(account_alias="same")
    assert account.snapshot().tables["account_aliases"] == before.tables["account_aliases"]


def test_deleting_an_alias_the_account_lacks_is_no_such_entity(account: Account) -> None:
    """SM DeleteAccountAlias errors: NoSuchEntity, and nothing changes."""
    account.create_account_alias(account_alias="mine")
    before = account.snapshot()
    with pytest.raises(NoSuchEntity, match="other"):
        account.delete_account_alias(account_alias="other")
    assert fresh_snapshot(account) == before


@pytest.mark.parametrize("alias", ["ab", "-abc", "abc-", "a--b", "ABC", "a_b", "x" * 64])
def test_alias_pattern_from_the_model(account: Account, alias: str) -> None:
    """SM accountAliasType: 3-63 lowercase letters, digits, single inner dashes."""
    with pytest.raises(ValidationError):
        account.create_account_alias(account_alias=alias)
    assert account.list_account_aliases().account_aliases == ()


@settings(max_examples=25)
@given(st.from_regex(r"[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]", fullmatch=True))
def test_any_valid_alias_is_listed_as_given(alias: str) -> None:
    """SM accountAliasType: every alias matching the pattern is accepted and listed."""
    account = Account(clock=FixedClock(), entropy=seeded_entropy(1))
    account.create_account_alias(account_alias=alias)
    assert account.list_account_aliases().account_aliases == (alias,)


def test_aliases_through_boto3(account: Account) -> None:
    """API ListAccountAliases through boto3: AccountAliases and IsTruncated, paginator works."""
    with mock_iam(account):
        client = boto3_client()
        assert body(client.list_account_aliases()) == {"AccountAliases": [], "IsTruncated": False}
        client.create_account_alias(AccountAlias="example-corp")
        pages = list(client.get_paginator("list_account_aliases").paginate())
        assert [alias for p in pages for alias in p["AccountAliases"]] == ["example-corp"]
        with pytest.raises(ClientError) as caught:
            client.delete_account_alias(AccountAlias="other-corp")
        assert caught.value.response["Error"]["Code"] == "NoSuchEntity"
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


# -- GetAccountAuthorizationDetails -----------------------------------------------


def populate(account: Account) -> str:
    """Users, a group, inline, attached and boundary policies; return the customer ARN."""
    account.create_user(user_name="alice", tags=[{"key": "team", "value": "space + slash/"}])
    account.create_user(user_name="bob")
    account.create_group(group_name="devs")
    account.add_user_to_group(group_name="devs", user_name="alice")
    arn = create_policy(account, "shared")
    account.create_policy_version(policy_arn=arn, policy_document=DOCUMENT, set_as_default=True)
    account.put_user_policy(user_name="alice", policy_name="inline", policy_document=DOCUMENT)
    account.put_group_policy(group_name="devs", policy_name="ginline", policy_document=DOCUMENT)
    account.attach_user_policy(user_name="alice", policy_arn=arn)
    account.attach_user_policy(user_name="alice", policy_arn=AWS_POLICY)
    account.attach_group_policy(group_name="devs", policy_arn=arn)
    account.put_user_permissions_boundary(user_name="alice", permissions_boundary=arn)
    return arn


def test_details_of_a_configured_user(account: Account) -> None:
    """REC default_filter: inline policies URL-encoded, groups by name, attached policies,
    boundary and tags of each user."""
    arn = populate(account)
    details = account.get_account_authorization_details(filter=["User"])
    alice, bob = details.user_detail_list
    assert (alice.user_name, bob.user_name) == ("alice", "bob")
    assert alice.user_policy_list is not None
    (inline,) = alice.user_policy_list
    assert inline.policy_name == "inline"
    assert unquote(inline.policy_document) == DOCUMENT
    assert "%20" in inline.policy_document
    assert alice.group_list == ("devs",)
    assert [p.policy_arn for p in alice.attached_managed_policies] == [AWS_POLICY, arn]
    assert alice.permissions_boundary is not None
    assert alice.permissions_boundary.permissions_boundary_arn == arn
    assert [(t.key, t.value) for t in alice.tags] == [("team", "space + slash/")]
    assert bob.user_policy_list is None
    assert bob.group_list == bob.attached_managed_policies == ()
    assert details.group_detail_list == details.policies == ()


def test_details_of_a_group(account: Account) -> None:
    """REC configured_group: the group's inline and attached policies."""
    arn = populate(account)
    (group,) = account.get_account_authorization_details(filter=["Group"]).group_detail_list
    assert group.group_name == "devs"
    assert [p.policy_name for p in group.group_policy_list] == ["ginline"]
    assert [p.policy_arn for p in group.attached_managed_policies] == [arn]


def test_local_policies_carry_every_version_newest_first(account: Account) -> None:
    """REC unattached_policy_details: every version with its document, newest first,
    counts of use, and no Description."""
    arn = populate(account)
    (policy,) = account.get_account_authorization_details(filter=["LocalManagedPolicy"]).policies
    assert policy.arn == arn
    assert policy.default_version_id == "v2"
    assert [v.version_id for v in policy.policy_version_list] == ["v2", "v1"]
    assert [v.is_default_version for v in policy.policy_version_list] == [True, False]
    assert all(unquote(v.document or "") == DOCUMENT for v in policy.policy_version_list)
    assert (policy.attachment_count, policy.permissions_boundary_usage_count) == (2, 1)
    assert policy.description is None


def test_aws_managed_policies_only_when_in_use(account: Account) -> None:
    """REC aws_boundary_only_details, baseline_aws_managed: the AWSManagedPolicy filter
    returns the AWS managed policies attached or used as a boundary, not the others."""
    account.create_user(user_name="u")
    details = account.get_account_authorization_details(filter=["AWSManagedPolicy"])
    assert details.policies == ()
    boundary = "arn:aws:iam::aws:policy/IAMUserChangePassword"
    account.put_user_permissions_boundary(user_name="u", permissions_boundary=boundary)
    details = account.get_account_authorization_details(filter=["AWSManagedPolicy"])
    assert [(p.arn, p.permissions_boundary_usage_count) for p in details.policies] == [
        (boundary, 1)
    ]


def test_no_filter_and_empty_filter_return_everything(account: Account) -> None:
    """REC default_filter, empty_filter, duplicate_filter: no Filter (or an empty one) means
    every type; a repeated type is the same as once."""
    populate(account)
    everything = account.get_account_authorization_details()
    assert len(everything.user_detail_list) == 2
    assert len(everything.group_detail_list) == 1
    assert {p.policy_name for p in everything.policies} == {"shared", "IAMReadOnlyAccess"}
    assert account.get_account_authorization_details(filter=[]) == everything
    users = account.get_account_authorization_details(filter=["User"])
    assert account.get_account_authorization_details(filter=["User", "User"]) == users


def test_unknown_filter_is_a_validation_error(account: Account) -> None:
    """REC unknown_filter, wrong_case_filter: a value outside EntityType is ValidationError."""
    for value in ("Unknown", "user"):
        with pytest.raises(ValidationError):
            account.get_account_authorization_details(filter=[value])


def test_foreign_marker_is_refused(account: Account) -> None:
    """REC invalid_marker: ValidationError 'Marker and Filter do not match'."""
    with pytest.raises(ValidationError, match="Marker and Filter do not match"):
        account.get_account_authorization_details(filter=["User"], marker="not-an-aws-marker")


@settings(max_examples=15)
@given(
    st.integers(min_value=0, max_value=4),
    st.integers(min_value=0, max_value=4),
    st.integers(min_value=0, max_value=3),
    st.integers(min_value=1, max_value=5),
)
def test_pages_cover_the_combined_listing_once(
    users: int, groups: int, local: int, size: int
) -> None:
    """API GetAccountAuthorizationDetails: MaxItems/Marker page across all lists together;
    the pages hold every entity exactly once, users, then groups, then policies."""
    account = Account(clock=FixedClock(), entropy=seeded_entropy(5))
    for index in range(users):
        account.create_user(user_name=f"u{index}")
    for index in range(groups):
        account.create_group(group_name=f"g{index}")
    for index in range(local):
        create_policy(account, f"p{index}")
    seen: list[str] = []
    marker: str | None = None
    while True:
        kwargs: dict[str, Any] = {"max_items": size}
        if marker is not None:
            kwargs["marker"] = marker
        result = account.get_account_authorization_details(**kwargs)
        count = len(result.user_detail_list) + len(result.group_detail_list)
        count += len(result.policies)
        assert count == size or not result.is_truncated
        seen += [u.user_name for u in result.user_detail_list]
        seen += [g.group_name for g in result.group_detail_list]
        seen += [p.policy_name for p in result.policies]
        if not result.is_truncated:
            assert result.marker is None
            break
        marker = result.marker
    expected = [f"u{i}" for i in range(users)] + [f"g{i}" for i in range(groups)]
    assert seen == expected + [f"p{i}" for i in range(local)]


def test_read_only_calls_change_nothing(account: Account) -> None:
    """API: GetAccountSummary, ListAccountAliases and GetAccountAuthorizationDetails are reads."""
    populate(account)
    before = account.snapshot()
    account.get_account_summary()
    account.list_account_aliases()
    account.get_account_authorization_details()
    assert fresh_snapshot(account) == before


def test_details_through_boto3(account: Account) -> None:
    """REC default_filter through boto3: decoded documents, the members AWS sends (GroupList,
    AttachedManagedPolicies and Tags even empty, no UserPolicyList without inline policies;
    LS test_get_account_authorization_details_no_filter, recorded 2026)."""
    arn = populate(account)
    with mock_iam(account):
        client = boto3_client()
        result = body(client.get_account_authorization_details())
    alice, bob = result["UserDetailList"]
    assert alice["UserPolicyList"][0]["PolicyDocument"]["Statement"][0]["Resource"] == (
        "arn:aws:s3:::bucket/space + percent%/\u00e9"
    )
    assert alice["GroupList"] == ["devs"]
    assert alice["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "Policy",
        "PermissionsBoundaryArn": arn,
    }
    assert "UserPolicyList" not in bob
    assert bob["GroupList"] == bob["AttachedManagedPolicies"] == []
    assert bob["Tags"] == []
    assert result["RoleDetailList"] == []
    assert result["IsTruncated"] is False
    local = next(p for p in result["Policies"] if p["Arn"] == arn)
    assert "Description" not in local
    assert [v["VersionId"] for v in local["PolicyVersionList"]] == ["v2", "v1"]
    assert isinstance(local["PolicyVersionList"][0]["Document"], dict)
    (group,) = result["GroupDetailList"]
    assert set(group) >= {"GroupPolicyList", "AttachedManagedPolicies"}


def test_boto3_paginator_and_summary(account: Account) -> None:
    """API through boto3: the GetAccountAuthorizationDetails paginator yields every entity
    once; GetAccountSummary answers the SummaryMap; a foreign Marker is ValidationError."""
    populate(account)
    with mock_iam(account):
        client = boto3_client()
        pages = list(
            client.get_paginator("get_account_authorization_details").paginate(
                PaginationConfig={"PageSize": 1}
            )
        )
        assert len(pages) == 5
        users = [u["UserName"] for p in pages for u in p["UserDetailList"]]
        assert users == ["alice", "bob"]
        summary_map = body(client.get_account_summary())["SummaryMap"]
        assert summary_map["Users"] == 2
        assert summary_map["PolicyVersionsInUse"] == 2
        with pytest.raises(ClientError) as caught:
            client.get_account_authorization_details(Marker="garbage")
        assert caught.value.response["Error"] == {
            "Code": "ValidationError",
            "Message": "Marker and Filter do not match",
            "Type": "Sender",
        }


def test_authorization_details_markers_belong_to_their_filter(account: Account) -> None:
    """A marker is checked against the Filter it was issued for (recorded from AWS, 2026):
    another explicit Filter is "Marker and Filter do not match", a Filter given on one
    call and not the other "Invalid Marker."; the same types in another order, or another
    MaxItems, continue the listing."""
    for name in ("a", "b", "c"):
        account.create_user(user_name=name)
    first = account.get_account_authorization_details(
        filter=["Group", "User", "LocalManagedPolicy"], max_items=1
    )
    assert first.marker is not None
    following = account.get_account_authorization_details(
        filter=["User", "LocalManagedPolicy", "Group"], max_items=2, marker=first.marker
    )
    assert [u.user_name for u in following.user_detail_list] == ["b", "c"]
    with pytest.raises(ValidationError, match=r"Marker and Filter do not match$"):
        account.get_account_authorization_details(filter=["Group"], marker=first.marker)
    with pytest.raises(ValidationError, match=r": Invalid Marker\.$"):
        account.get_account_authorization_details(marker=first.marker)
    unfiltered = account.get_account_authorization_details(max_items=1).marker
    assert unfiltered is not None
    with pytest.raises(ValidationError, match=r": Invalid Marker\.$"):
        account.get_account_authorization_details(
            filter=["User", "Group", "Role", "LocalManagedPolicy"], marker=unfiltered
        )
    assert account.get_account_authorization_details(marker=unfiltered).user_detail_list
