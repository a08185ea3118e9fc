"""Inline policies: Put/Get/List/DeleteUserPolicy and the group equivalents."""

from __future__ import annotations

import json
import re
import urllib.parse

import pytest
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st

from iamcore import Account
from iamcore.errors import DeleteConflict, LimitExceeded, MalformedPolicyDocument, NoSuchEntity
from iamcore.mock import mock_iam
from iamcore.testing import FixedClock, seeded_entropy
from tests.helpers import allow, boto3_client, policy


def doc(resource: str = "*", action: str = "s3:GetObject") -> str:
    return policy(allow(action, resource))


def sized(size: int) -> str:
    """A document of exactly ``size`` non-whitespace characters."""
    base = len(doc("arn:aws:s3:::").replace(" ", ""))
    text = doc("arn:aws:s3:::" + "x" * (size - base))
    assert len(text.replace(" ", "")) == size
    return text


def test_put_get_list_delete_user_policy(account: Account) -> None:
    """PutUserPolicy/GetUserPolicy/ListUserPolicies/DeleteUserPolicy round trip."""
    account.create_user(user_name="bob")
    account.put_user_policy(user_name="bob", policy_name="b-read", policy_document=doc())
    account.put_user_policy(user_name="bob", policy_name="a-write", policy_document=doc())
    assert account.list_user_policies(user_name="bob").policy_names == ("a-write", "b-read")
    got = account.get_user_policy(user_name="Bob", policy_name="b-read")
    assert (got.user_name, got.policy_name) == ("bob", "b-read")
    assert urllib.parse.unquote(got.policy_document) == doc()
    account.delete_user_policy(user_name="bob", policy_name="b-read")
    assert account.list_user_policies(user_name="bob").policy_names == ("a-write",)


@pytest.mark.parametrize("kind", ["user", "group"])
def test_put_replaces_same_name(account: Account, kind: str) -> None:
    """PutUserPolicy/PutGroupPolicy: the same name ignoring case replaces the document and
    keeps the first spelling; GetUserPolicy answers the name as asked (recorded from AWS,
    2026: "MixedName" then "mixedname" lists "MixedName", Get "MIXEDNAME" says
    "MIXEDNAME")."""
    owner = {"user_name": "bob"} if kind == "user" else {"group_name": "devs"}
    if kind == "user":
        account.create_user(user_name="bob")
        put, get, names = (
            account.put_user_policy,
            account.get_user_policy,
            lambda: account.list_user_policies(user_name="bob").policy_names,
        )
    else:
        account.create_group(group_name="devs")
        put, get, names = (
            account.put_group_policy,
            account.get_group_policy,
            lambda: account.list_group_policies(group_name="devs").policy_names,
        )
    put(**owner, policy_name="MixedName", policy_document=doc())
    put(**owner, policy_name="mixedname", policy_document=doc("arn:aws:s3:::b"))
    assert names() == ("MixedName",)
    got = get(**owner, policy_name="MIXEDNAME")
    assert got.policy_name == "MIXEDNAME"
    assert urllib.parse.unquote(got.policy_document) == doc("arn:aws:s3:::b")


def test_inline_names_are_per_entity(account: Account) -> None:
    """Inline policy names are unique per user or group, not across the account."""
    account.create_user(user_name="a")
    account.create_user(user_name="b")
    account.create_group(group_name="g")
    for user in ("a", "b"):
        account.put_user_policy(user_name=user, policy_name="same", policy_document=doc())
    account.put_group_policy(group_name="g", policy_name="same", policy_document=doc())
    assert account.list_user_policies(user_name="b").policy_names == ("same",)
    assert account.list_group_policies(group_name="g").policy_names == ("same",)


def test_missing_inline_policy(account: Account) -> None:
    """GetUserPolicy/DeleteUserPolicy: NoSuchEntity with AWS's message; unknown user too."""
    account.create_user(user_name="bob")
    with pytest.raises(
        NoSuchEntity, match=re.escape("The user policy with name nope cannot be found.")
    ):
        account.get_user_policy(user_name="bob", policy_name="nope")
    before = account.snapshot()
    with pytest.raises(NoSuchEntity):
        account.delete_user_policy(user_name="bob", policy_name="nope")
    assert before == account.snapshot()
    with pytest.raises(NoSuchEntity, match=re.escape("The user with name ghost cannot be found.")):
        account.put_user_policy(user_name="ghost", policy_name="p", policy_document=doc())
    account.create_group(group_name="g")
    with pytest.raises(
        NoSuchEntity, match=re.escape("The group policy with name nope cannot be found.")
    ):
        account.get_group_policy(group_name="g", policy_name="nope")


def test_malformed_inline_policy(account: Account) -> None:
    """PutUserPolicy: a document that is not policy grammar is MalformedPolicyDocument."""
    account.create_user(user_name="bob")
    before = account.snapshot()
    with pytest.raises(MalformedPolicyDocument):
        account.put_user_policy(user_name="bob", policy_name="p", policy_document="[]")
    assert before == account.snapshot()


def test_user_inline_aggregate_quota(account: Account) -> None:
    """PutUserPolicy: a user's inline documents total ≤ 2,048 non-whitespace characters."""
    account.create_user(user_name="bob")
    account.put_user_policy(user_name="bob", policy_name="one", policy_document=sized(1000))
    account.put_user_policy(user_name="bob", policy_name="two", policy_document=sized(1048))
    before = account.snapshot()
    with pytest.raises(LimitExceeded) as raised:
        account.put_user_policy(user_name="bob", policy_name="three", policy_document=sized(110))
    assert raised.value.message == "Maximum policy size of 2048 bytes exceeded for user bob"
    assert before == account.snapshot()
    # replacing counts the new document instead of the old one
    account.put_user_policy(user_name="bob", policy_name="two", policy_document=sized(900))
    account.put_user_policy(user_name="bob", policy_name="three", policy_document=sized(148))


def test_group_inline_aggregate_quota(account: Account) -> None:
    """PutGroupPolicy: a group's inline documents total ≤ 5,120 non-whitespace characters."""
    account.create_group(group_name="devs")
    account.put_group_policy(group_name="devs", policy_name="a", policy_document=sized(5000))
    with pytest.raises(LimitExceeded) as raised:
        account.put_group_policy(group_name="devs", policy_name="b", policy_document=sized(121))
    assert raised.value.message == "Maximum policy size of 5120 bytes exceeded for group devs"
    account.put_group_policy(group_name="devs", policy_name="b", policy_document=sized(120))


@settings(max_examples=30)
@given(st.lists(st.tuples(st.sampled_from("abcd"), st.integers(110, 900)), max_size=12))
def test_user_inline_total_never_exceeds_quota(puts: list[tuple[str, int]]) -> None:
    """PutUserPolicy: whatever is put, the stored total never exceeds 2,048 characters."""
    account = Account(clock=FixedClock(), entropy=seeded_entropy(3))
    account.create_user(user_name="u")
    stored: dict[str, int] = {}
    for name, size in puts:
        total = sum(v for k, v in stored.items() if k != name) + size
        try:
            account.put_user_policy(user_name="u", policy_name=name, policy_document=sized(size))
        except LimitExceeded:
            assert total > 2048
        else:
            assert total <= 2048
            stored[name] = size
    assert account.list_user_policies(user_name="u").policy_names == tuple(sorted(stored))


def test_delete_user_and_group_refused_while_inline_policies(account: Account) -> None:
    """DeleteUser/DeleteGroup: DeleteConflict "must delete policies first" while inline remain."""
    account.create_user(user_name="u")
    account.create_group(group_name="g")
    account.put_user_policy(user_name="u", policy_name="p", policy_document=doc())
    account.put_group_policy(group_name="g", policy_name="p", policy_document=doc())
    with pytest.raises(
        DeleteConflict, match=re.escape("Cannot delete entity, must delete policies first.")
    ):
        account.delete_user(user_name="u")
    with pytest.raises(
        DeleteConflict, match=re.escape("Cannot delete entity, must delete policies first.")
    ):
        account.delete_group(group_name="g")
    account.delete_user_policy(user_name="u", policy_name="p")
    account.delete_group_policy(group_name="g", policy_name="p")
    account.delete_user(user_name="u")
    account.delete_group(group_name="g")


def test_list_user_policies_pages(account: Account) -> None:
    """ListUserPolicies: MaxItems/Marker paging by name."""
    account.create_user(user_name="u")
    for name in "edcba":
        account.put_user_policy(user_name="u", policy_name=name, policy_document=doc())
    first = account.list_user_policies(user_name="u", max_items=2)
    assert (first.policy_names, first.is_truncated) == (("a", "b"), True)
    rest = account.list_user_policies(user_name="u", marker=first.marker)
    assert (rest.policy_names, rest.is_truncated, rest.marker) == (("c", "d", "e"), False, None)


def test_boto3_inline_policies() -> None:
    """boto3: GetUserPolicy's document is decoded by botocore; errors carry AWS codes."""
    with mock_iam():
        iam = boto3_client()
        iam.create_user(UserName="bob")
        iam.put_user_policy(UserName="bob", PolicyName="p", PolicyDocument=doc())
        got = iam.get_user_policy(UserName="bob", PolicyName="p")
        assert got["PolicyDocument"] == json.loads(doc())
        assert iam.list_user_policies(UserName="bob")["PolicyNames"] == ["p"]
        iam.create_group(GroupName="g")
        iam.put_group_policy(GroupName="g", PolicyName="q", PolicyDocument=doc())
        assert iam.get_group_policy(GroupName="g", PolicyName="q")["GroupName"] == "g"
        with pytest.raises(ClientError) as raised:
            iam.get_user_policy(UserName="bob", PolicyName="zzz")
        assert raised.value.response["Error"]["Code"] == "NoSuchEntity"
        assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
