"""iamcore.testing.strategies: every valid value is accepted, every invalid one refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from iamcore import Account, Group, Tag, User
from iamcore.entities import PasswordPolicy, Policy
from iamcore.errors import InvalidInput, PasswordPolicyViolation, ValidationError
from iamcore.passwords import (
    FAST_COST,
    SYMBOLS,
    default_policy_violations,
    policy_violations,
)
from iamcore.policy import PolicyDocument, Request, SourcedPolicy, evaluate
from iamcore.policy.matching import action_matches, resource_matches
from iamcore.testing import strategies as iam_st
from iamcore.testing.strategies import MAX_TAGS

pytestmark = pytest.mark.property

_POLICY_DOC = json.dumps(
    {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}
)


def _fresh() -> Account:
    return Account()


# -- names ---------------------------------------------------------------------


@given(name=iam_st.user_names())
def test_user_names_are_accepted(name: str) -> None:
    """CreateUser accepts every userNameType value: 1–64 of [\\w+=,.@-], ASCII."""
    account = _fresh()
    assert name == account.create_user(user_name=name).user.user_name


@given(name=iam_st.invalid_user_names())
def test_invalid_user_names_are_refused(name: str) -> None:
    """CreateUser refuses a name outside userNameType with ValidationError, changing nothing."""
    account = _fresh()
    before = account.snapshot()
    with pytest.raises(ValidationError):
        account.create_user(user_name=name)
    assert before == account.snapshot()


@given(name=iam_st.invalid_user_names())
def test_invalid_user_names_are_refused_by_rename(name: str) -> None:
    """UpdateUser refuses a NewUserName outside userNameType with ValidationError."""
    account = _fresh()
    account.create_user(user_name="alice")
    with pytest.raises(ValidationError):
        account.update_user(user_name="alice", new_user_name=name)


@given(name=iam_st.group_names())
def test_group_names_are_accepted(name: str) -> None:
    """CreateGroup accepts every groupNameType value: 1–128 of [\\w+=,.@-]."""
    assert name == _fresh().create_group(group_name=name).group.group_name


@given(name=iam_st.invalid_group_names())
def test_invalid_group_names_are_refused(name: str) -> None:
    """CreateGroup refuses a name outside groupNameType with ValidationError."""
    with pytest.raises(ValidationError):
        _fresh().create_group(group_name=name)


@given(name=iam_st.policy_names(), path=iam_st.policy_paths())
def test_policy_names_and_paths_are_accepted(name: str, path: str) -> None:
    """CreatePolicy accepts every policyNameType name and policyPathType path; PutUserPolicy
    every name."""
    account = _fresh()
    policy = account.create_policy(policy_name=name, path=path, policy_document=_POLICY_DOC)
    assert (name, path) == (policy.policy.policy_name, policy.policy.path)
    account.create_user(user_name="u")
    account.put_user_policy(user_name="u", policy_name=name, policy_document=_POLICY_DOC)


@given(name=iam_st.invalid_policy_names())
def test_invalid_policy_names_are_refused(name: str) -> None:
    """CreatePolicy refuses a PolicyName outside policyNameType with ValidationError."""
    with pytest.raises(ValidationError):
        _fresh().create_policy(policy_name=name, policy_document=_POLICY_DOC)


@given(path=iam_st.invalid_policy_paths())
def test_invalid_policy_paths_are_refused(path: str) -> None:
    """CreatePolicy refuses a Path outside policyPathType with ValidationError."""
    with pytest.raises(ValidationError):
        _fresh().create_policy(policy_name="p", path=path, policy_document=_POLICY_DOC)


def test_name_edge_cases_are_reachable() -> None:
    """The name pools include 64-character names and every allowed punctuation character."""
    assert len(find(iam_st.user_names(), lambda n: len(n) == 64)) == 64
    assert find(iam_st.user_names(), lambda n: set(iam_st.NAME_PUNCTUATION) <= set(n))
    assert len(find(iam_st.group_names(), lambda n: len(n) == 128)) == 128


def test_invalid_name_kinds_are_all_drawn() -> None:
    """Invalid names cover empty, too long, non-ASCII and trailing-newline values."""
    strategy = iam_st.invalid_user_names()
    assert find(strategy, lambda n: n == "") == ""
    assert find(strategy, lambda n: len(n) > 64)
    assert find(strategy, lambda n: n.endswith("\n"))
    assert find(strategy, lambda n: any(ord(c) > 127 and c.isalnum() for c in n))


# -- paths ---------------------------------------------------------------------


@given(path=iam_st.paths())
def test_paths_are_accepted(path: str) -> None:
    """CreateUser and CreateGroup accept every pathType value ('/' or /…/ of '!'–'~')."""
    account = _fresh()
    user = account.create_user(user_name="u", path=path).user
    group = account.create_group(group_name="g", path=path).group
    assert (path, path) == (user.path, group.path)
    assert user.arn.endswith(f":user{path}u")


@given(path=iam_st.invalid_paths())
def test_invalid_paths_are_refused(path: str) -> None:
    """CreateUser refuses a Path outside pathType with ValidationError."""
    with pytest.raises(ValidationError):
        _fresh().create_user(user_name="u", path=path)


@given(prefix=iam_st.path_prefixes())
def test_path_prefixes_are_accepted(prefix: str) -> None:
    """ListUsers accepts every pathPrefixType value ('/' then '!'–DEL, not needing a final '/')."""
    _fresh().list_users(path_prefix=prefix)


@given(prefix=iam_st.invalid_path_prefixes())
def test_invalid_path_prefixes_are_refused(prefix: str) -> None:
    """ListUsers refuses a PathPrefix outside pathPrefixType with ValidationError."""
    with pytest.raises(ValidationError):
        _fresh().list_users(path_prefix=prefix)


@given(data=st.data(), path=iam_st.paths())
def test_prefixes_of_a_path_list_its_user(data: st.DataObject, path: str) -> None:
    """ListUsers(PathPrefix=p) lists a user whose path starts with p."""
    account = _fresh()
    account.create_user(user_name="u", path=path)
    prefix = data.draw(iam_st.path_prefixes(of=path))
    assert path.startswith(prefix)
    assert [u.user_name for u in account.list_users(path_prefix=prefix).users] == ["u"]


def test_path_edge_cases_are_reachable() -> None:
    """The path pool includes '/', a 512-character path and a path nested 255 deep."""
    assert find(iam_st.paths(), lambda p: p == "/") == "/"
    assert len(find(iam_st.paths(), lambda p: len(p) == 512)) == 512
    assert find(iam_st.paths(), lambda p: p.count("/") > 200)


# -- tags ----------------------------------------------------------------------


@given(tag_set=iam_st.tag_sets())
@settings(max_examples=50)
def test_tag_sets_are_accepted(tag_set: tuple[Tag, ...]) -> None:
    """CreateUser accepts up to 50 tags with keys unique ignoring case and no aws: prefix."""
    account = _fresh()
    account.create_user(user_name="u", tags=tag_set)
    listed = account.list_user_tags(user_name="u").tags
    assert sorted(tag_set, key=lambda t: t.key) == list(listed)


@given(tag_set=iam_st.tag_sets(min_size=1, max_size=10))
@settings(max_examples=50)
def test_tag_sets_are_accepted_by_tag_user(tag_set: tuple[Tag, ...]) -> None:
    """TagUser accepts every drawn tag set and UntagUser removes it again."""
    account = _fresh()
    account.create_user(user_name="u")
    account.tag_user(user_name="u", tags=tag_set)
    account.untag_user(user_name="u", tag_keys=[tag.key for tag in tag_set])
    assert account.list_user_tags(user_name="u").tags == ()


def test_full_tag_sets_are_drawn() -> None:
    """About one tag set in ten is exactly at the 50-tag quota."""
    assert len(find(iam_st.tag_sets(), lambda tags: len(tags) == MAX_TAGS)) == MAX_TAGS


def test_tag_sets_bounds_are_checked() -> None:
    """tag_sets refuses sizes the TagsPerUser quota (50) makes impossible."""
    with pytest.raises(ValueError, match="max_size"):
        iam_st.tag_sets(max_size=51)


@given(key=iam_st.invalid_tag_keys())
def test_invalid_tag_keys_are_refused(key: str) -> None:
    """TagUser refuses a key outside tagKeyType with ValidationError."""
    account = _fresh()
    account.create_user(user_name="u")
    with pytest.raises(ValidationError):
        account.tag_user(user_name="u", tags=[Tag(key, "v")])


@given(key=iam_st.tag_keys(), case=st.sampled_from(["aws:", "AWS:", "Aws:"]))
def test_tag_keys_never_take_the_reserved_prefix(key: str, case: str) -> None:
    """Drawn keys never start with aws:, which TagUser refuses with InvalidInput."""
    assert not key.lower().startswith("aws:")
    account = _fresh()
    account.create_user(user_name="u")
    with pytest.raises(InvalidInput):
        account.tag_user(user_name="u", tags=[Tag((case + key)[:128], "v")])


# -- passwords -----------------------------------------------------------------


def _fast_account() -> Account:
    account = Account()
    account.password_hash_cost = FAST_COST
    return account


@given(policy=iam_st.password_policies())
def test_password_policies_are_accepted(policy: PasswordPolicy) -> None:
    """UpdateAccountPasswordPolicy accepts every drawn policy and GetAccountPasswordPolicy
    returns it unchanged."""
    account = _fresh()
    account.update_account_password_policy(**iam_st.password_policy_arguments(policy))
    assert policy == account.get_account_password_policy().password_policy


@given(data=st.data(), policy=st.none() | iam_st.password_policies())
@settings(max_examples=60)
def test_passwords_satisfy_the_policy(data: st.DataObject, policy: PasswordPolicy | None) -> None:
    """CreateLoginProfile accepts a password the policy checker passes (no policy: AWS's
    default policy)."""
    password = data.draw(iam_st.passwords(policy))
    violations = (
        default_policy_violations(password)
        if policy is None
        else policy_violations(password, policy)
    )
    assert not violations
    account = _fast_account()
    if policy is not None:
        account.update_account_password_policy(**iam_st.password_policy_arguments(policy))
    account.create_user(user_name="u")
    account.create_login_profile(user_name="u", password=password)


@given(data=st.data(), policy=st.none() | iam_st.password_policies())
@settings(max_examples=60)
def test_weak_passwords_violate_the_policy(
    data: st.DataObject, policy: PasswordPolicy | None
) -> None:
    """CreateLoginProfile refuses a password the policy checker flags with
    PasswordPolicyViolation (not ValidationError)."""
    password = data.draw(iam_st.weak_passwords(policy))
    violations = (
        default_policy_violations(password)
        if policy is None
        else policy_violations(password, policy)
    )
    assert violations
    account = _fast_account()
    if policy is not None:
        account.update_account_password_policy(**iam_st.password_policy_arguments(policy))
    account.create_user(user_name="u")
    with pytest.raises(PasswordPolicyViolation):
        account.create_login_profile(user_name="u", password=password)


def test_weak_password_kinds_are_all_drawn() -> None:
    """Weak passwords include too-short ones and long ones missing a required class."""
    policy = PasswordPolicy(minimum_password_length=10, require_symbols=True)
    weak = iam_st.weak_passwords(policy)
    assert find(weak, lambda p: len(p) < 10)
    assert find(weak, lambda p: len(p) >= 10 and not set(p) & SYMBOLS)


# -- entities ------------------------------------------------------------------


@given(user=iam_st.users())
@settings(max_examples=50)
def test_users_can_be_recreated(user: User) -> None:
    """A drawn User is what CreateUser returns for its name, path and tags."""
    account = Account(user.arn.split(":")[4])
    created = account.create_user(user_name=user.user_name, path=user.path, tags=user.tags).user
    assert (user.arn, user.tags) == (created.arn, created.tags)
    assert user.user_id.startswith("AIDA")


@given(group=iam_st.groups())
@settings(max_examples=50)
def test_groups_are_consistent(group: Group) -> None:
    """A drawn Group has a group ARN made of its path and name, and an AGPA unique ID."""
    assert group.arn.endswith(f":group{group.path}{group.group_name}")
    assert group.group_id.startswith("AGPA")


@given(policy=iam_st.managed_policies())
@settings(max_examples=30)
def test_managed_policies_are_consistent(policy: Policy) -> None:
    """A drawn managed policy has an ANPA ID, version v1 and an ARN made of its path and name."""
    assert policy.policy_id.startswith("ANPA")
    assert policy.default_version_id == "v1"
    assert policy.arn.endswith(f":policy{policy.path}{policy.policy_name}")


@given(moment=iam_st.timestamps())
def test_timestamps_are_whole_utc_seconds(moment: object) -> None:
    """IAM reports times in whole UTC seconds."""
    assert moment.microsecond == 0  # type: ignore[attr-defined]
    assert moment.tzname() == "UTC"  # type: ignore[attr-defined]


# -- policies and requests ----------------------------------------------------------


@given(document=iam_st.policy_documents())
@settings(max_examples=60)
def test_policy_documents_are_accepted(document: str) -> None:
    """CreatePolicy, PutUserPolicy and CreateUser(PermissionsBoundary=…) accept every drawn
    document (valid grammar, at most 2,048 non-whitespace characters)."""
    account = _fresh()
    arn = account.create_policy(policy_name="p", policy_document=document).policy.arn
    account.create_user(user_name="u", permissions_boundary=arn)
    account.put_user_policy(user_name="u", policy_name="inline", policy_document=document)
    account.attach_user_policy(user_name="u", policy_arn=arn)


@given(
    document=iam_st.policy_documents(
        versions=["2012-10-17", "2008-10-17", None], max_statements=2, max_length=1000
    )
)
@settings(max_examples=40)
def test_older_versions_are_accepted_inline(document: str) -> None:
    """PutUserPolicy and PutGroupPolicy accept inline documents of version 2008-10-17 or none."""
    account = _fresh()
    account.create_user(user_name="u")
    account.create_group(group_name="g")
    account.put_user_policy(user_name="u", policy_name="p", policy_document=document)
    account.put_group_policy(group_name="g", policy_name="p", policy_document=document)


_FOCUS = ["iam:CreateUser", "iam:PutUserPermissionsBoundary"]
_USERS = "arn:aws:iam::123456789012:user/*"


@given(document=iam_st.parsed_policy_documents(actions=_FOCUS, resources=[_USERS]))
@settings(max_examples=50)
def test_focused_documents_stay_on_their_actions_and_resources(
    document: PolicyDocument,
) -> None:
    """Every Action/Resource entry of a focused document matches a named action/resource."""
    for statement in document.statements:
        for pattern in statement.actions or statement.not_actions or ():
            assert any(action_matches(pattern, action) for action in _FOCUS), pattern
        for pattern in statement.resources or statement.not_resources or ():
            assert pattern == "*" or resource_matches(pattern, _USERS.replace("*", "x")), pattern


@given(
    request=iam_st.requests(
        actions=["iam:*PermissionsBoundary"],
        resources=[_USERS],
        context={"iam:PermissionsBoundary": st.none() | st.just("arn:aws:iam::aws:policy/X")},
    )
)
def test_focused_requests_match_their_patterns(request: Request) -> None:
    """requests() fills wildcard actions and ARNs with concrete names that match them."""
    assert action_matches("iam:*PermissionsBoundary", request.action)
    assert "*" not in request.resource
    assert resource_matches(_USERS, request.resource)
    assert set(request.context) <= {"iam:permissionsboundary"}


@given(document=iam_st.parsed_policy_documents(), request=iam_st.requests())
@settings(max_examples=100)
def test_drawn_requests_can_be_evaluated(document: PolicyDocument, request: Request) -> None:
    """The evaluator decides every drawn request against every drawn document."""
    decision = evaluate(request, [SourcedPolicy("p", "user", document)]).decision
    assert decision in {"allowed", "explicitDeny", "implicitDeny"}


def test_request_context_shrinks_to_nothing() -> None:
    """The smallest drawn request has no context keys (so counterexamples stay small)."""
    assert not find(iam_st.requests(), lambda r: True).context


@given(account=iam_st.accounts())
@settings(max_examples=25)
def test_accounts_are_consistent(account: Account) -> None:
    """A drawn account keeps IAM's quotas: ≤ 2 access keys, ≤ 10 groups and ≤ 10 attached
    policies per user; every user can be described and simulated."""
    users = account.list_users().users
    assert len(users) == len(account.snapshot().users)
    for listed in users:
        name = listed.user_name
        assert len(account.list_access_keys(user_name=name).access_key_metadata) <= 2
        assert len(account.list_groups_for_user(user_name=name).groups) <= 10
        assert len(account.list_attached_user_policies(user_name=name).attached_policies) <= 10
        user = account.get_user(user_name=name).user
        account.simulate_principal_policy(policy_source_arn=user.arn, action_names=["iam:GetUser"])


def test_accounts_hold_every_kind_of_entity() -> None:
    """accounts() draws users with keys, passwords, MFA, policies and boundaries."""
    seen: set[str] = set()

    @given(account=iam_st.accounts())
    @settings(max_examples=30, derandomize=True, database=None)
    def draw(account: Account) -> None:
        snapshot = account.snapshot()
        seen.update(name for name, table in snapshot.tables.items() if table)
        if any(user.permissions_boundary for user in snapshot.users.values()):
            seen.add("boundaries")

    draw()
    assert {
        "users",
        "groups",
        "group_members",
        "access_keys",
        "login_profiles",
        "password_policy",
        "virtual_mfa_devices",
        "policies",
        "user_inline_policies",
        "group_inline_policies",
        "user_attached_policies",
        "group_attached_policies",
        "boundaries",
    } <= seen


# -- registration with Hypothesis ------------------------------------------------


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_from_type_works_without_importing_the_strategies() -> None:
    """The hypothesis entry point registers iamcore's types when Hypothesis is imported."""
    result = _run(
        """
        import sys
        from hypothesis import given, settings, strategies as st
        import iamcore
        assert "iamcore.testing.strategies" not in sys.modules

        @settings(max_examples=10, database=None)
        @given(st.from_type(iamcore.User), st.from_type(iamcore.Group),
               st.from_type(iamcore.Tag))
        def check(user, group, tag):
            assert isinstance(user, iamcore.User) and user.user_id.startswith("AIDA")
            assert isinstance(group, iamcore.Group) and group.group_id.startswith("AGPA")
            assert isinstance(tag, iamcore.Tag) and not tag.key.lower().startswith("aws:")

        from iamcore import entities, policy

        @settings(max_examples=5, database=None)
        @given(st.from_type(entities.AccessKey), st.from_type(entities.PasswordPolicy),
               st.from_type(entities.LoginProfile), st.from_type(entities.VirtualMFADevice),
               st.from_type(policy.PolicyDocument), st.from_type(policy.Request),
               st.from_type(iamcore.Account))
        def check_more(key, password_policy, profile, device, document, request, account):
            assert key.access_key_id.startswith("AKIA")
            assert 6 <= password_policy.minimum_password_length <= 128
            assert isinstance(profile, entities.LoginProfile)
            assert device.serial_number.startswith("arn:aws:iam::")
            assert document.statements and ":" in request.action
            assert isinstance(account, iamcore.Account)

        check()
        check_more()
        print("ok")
        """
    )
    assert "ok" in result.stdout, result.stderr


def test_importing_the_strategies_first_works() -> None:
    """Importing iamcore.testing.strategies before Hypothesis does not trip over the hook."""
    result = _run(
        """
        import iamcore.testing.strategies
        from hypothesis import strategies as st
        import iamcore
        assert isinstance(st.from_type(iamcore.User).example(), iamcore.User)
        print("ok")
        """
    )
    assert "ok" in result.stdout, result.stderr


def test_registration_by_hand_without_plugins() -> None:
    """With HYPOTHESIS_NO_PLUGINS, register_type_strategies() registers the types."""
    code = (
        "import iamcore; from hypothesis import strategies as st\n"
        "from iamcore.testing.strategies import register_type_strategies\n"
        "register_type_strategies()\n"
        "print(type(st.from_type(iamcore.Group).example()).__name__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "HYPOTHESIS_NO_PLUGINS": "1"},
    )
    assert result.stdout.strip() == "Group", result.stderr


def test_iamcore_never_imports_hypothesis() -> None:
    """Importing iamcore, iamcore.testing or the pytest plugin leaves Hypothesis unimported."""
    result = _run(
        """
        import sys
        import iamcore, iamcore.testing, iamcore.testing.plugin
        print(sorted(m for m in ("hypothesis", "boto3", "botocore") if m in sys.modules))
        """
    )
    assert result.stdout.strip() == "[]", result.stderr
