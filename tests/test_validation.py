"""Every parameter of the user, group and user-tag operations is checked as IAM checks it.

The expectations are read from botocore's own service model (not iamcore's
copy): lengths, full-match ASCII patterns, integer ranges, list sizes and
required members; failures are ``ValidationError`` (HTTP 400) with AWS's
message format.
"""

from __future__ import annotations

import re
import string
import unicodedata
from typing import Any

import botocore.session
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iamcore import Account
from iamcore.errors import MalformedInput, ValidationError
from iamcore.validation import compile_pattern, validate_input
from tests.helpers import FOUNDATION_OPERATIONS

OPERATIONS = FOUNDATION_OPERATIONS
SERVICE = botocore.session.get_session().get_service_model("iam")
NAME_CHARS = frozenset(string.ascii_letters + string.digits + "_+=,.@-")
TAG_PUNCTUATION = frozenset("_.:/=+-@")
PATTERN_NAME = r"[\w+=,.@-]+"
PATTERN_PATH = r"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)"


def _snake(member: str) -> str:
    return botocore.xform_name(member)


def _location(member: str) -> str:
    return member[0].lower() + member[1:]


def _sample(shape: Any, length: int) -> str:
    """A value of ``shape`` that matches its pattern, ``length`` characters long."""
    if shape.name == "pathType":
        return "/" if length == 1 else "/" + "a" * (length - 2) + "/"
    if shape.name == "pathPrefixType":
        return "/" + "a" * (length - 1)
    return "a" * length


def _valid_value(shape: Any) -> Any:
    if shape.type_name == "string":
        return _sample(shape, max(shape.metadata.get("min", 1), 1))
    if shape.type_name == "integer":
        return shape.metadata.get("min", 1)
    if shape.type_name == "list":
        return []
    raise AssertionError(shape)


def _required_arguments(operation: str) -> dict[str, Any]:
    shape = SERVICE.operation_model(operation).input_shape
    return {_snake(name): _valid_value(shape.members[name]) for name in shape.required_members}


def _members(kind: str) -> list[tuple[str, str, Any]]:
    found = []
    for operation in OPERATIONS:
        shape = SERVICE.operation_model(operation).input_shape
        for name, member in shape.members.items():
            if member.type_name == kind:
                found.append((operation, name, member))
    return found


def _id(case: tuple[str, str, Any]) -> str:
    return f"{case[0]}.{case[1]}"


STRINGS = _members("string")
INTEGERS = _members("integer")
LISTS = _members("list")


def _message(where: str, rule: str) -> str:
    """AWS's message for one problem; it never echoes the value (LocalStack's recordings of
    real AWS, 2026: "Value at 'versionId' ...", "Value at 'tags.1.member.key' ...")."""
    return (
        f"1 validation error detected: Value at '{where}' "
        f"failed to satisfy constraint: Member {rule}"
    )


INVALID_PATH = (
    "The specified value for path is invalid. It must begin and end with / and contain "
    "only alphanumeric characters and/or / characters."
)


def _errors(operation: str, **kwargs: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        validate_input(operation, {**_required_arguments(operation), **kwargs})
    assert caught.value.http_status == 400
    return caught.value.message


def test_tables_cover_every_parameter() -> None:
    """The tables below cover all 16 operations' string, integer and list members."""
    covered = {(op, name) for op, name, _ in STRINGS + INTEGERS + LISTS}
    for operation in OPERATIONS:
        members = SERVICE.operation_model(operation).input_shape.members
        assert {(operation, name) for name in members} <= covered
    assert len(STRINGS) > 25


@pytest.mark.parametrize("case", STRINGS, ids=_id)
def test_string_max_length(case: tuple[str, str, Any]) -> None:
    """A string at its model maximum is accepted; one character more is a ValidationError."""
    operation, name, shape = case
    high = shape.metadata.get("max")
    if high is None:
        pytest.skip("no maximum in the model")
    validate_input(
        operation, {**_required_arguments(operation), _snake(name): _sample(shape, high)}
    )
    too_long = _sample(shape, high + 1)
    message = _errors(operation, **{_snake(name): too_long})
    assert message == _message(_location(name), f"must have length less than or equal to {high}")


@pytest.mark.parametrize("case", STRINGS, ids=_id)
def test_string_min_length(case: tuple[str, str, Any]) -> None:
    """A string at its model minimum is accepted; one character less is a ValidationError."""
    operation, name, shape = case
    low = shape.metadata.get("min", 0)
    validate_input(
        operation, {**_required_arguments(operation), _snake(name): _sample(shape, max(low, 1))}
    )
    if low == 0:
        return
    message = _errors(operation, **{_snake(name): _sample(shape, low - 1) if low > 1 else ""})
    assert f"Member must have length greater than or equal to {low}" in message


@pytest.mark.parametrize("case", STRINGS, ids=_id)
@pytest.mark.parametrize("wrong", [5, 1.5, True, b"bob", ["bob"], {"bob": 1}, ("bob",)])
def test_string_wrong_type(case: tuple[str, str, Any], wrong: object) -> None:
    """A non-string for a string member is a ValidationError, never a TypeError."""
    operation, name, _ = case
    message = _errors(operation, **{_snake(name): wrong})
    assert message.startswith("1 validation error detected: Value ")
    assert message.endswith(
        f"at '{_location(name)}' failed to satisfy constraint: Member must be a string"
    )


@pytest.mark.parametrize("case", INTEGERS, ids=_id)
def test_max_items_range(case: tuple[str, str, Any]) -> None:
    """MaxItems is an integer 1–1000: 0 and 1001 are ValidationErrors, as are non-integers."""
    operation, name, shape = case
    assert (shape.metadata["min"], shape.metadata["max"]) == (1, 1000)
    where = _location(name)
    for ok in (1, 1000):
        validate_input(operation, {**_required_arguments(operation), _snake(name): ok})
    assert _errors(operation, **{_snake(name): 0}) == _message(
        where, "must have value greater than or equal to 1"
    )
    assert _errors(operation, **{_snake(name): 1001}) == _message(
        where, "must have value less than or equal to 1000"
    )
    assert _errors(operation, **{_snake(name): -5}).endswith("greater than or equal to 1")
    for wrong in ("10", 10.0, True, [10], b"1"):
        assert _errors(operation, **{_snake(name): wrong}).endswith("Member must be an integer")


@pytest.mark.parametrize("case", LISTS, ids=_id)
def test_list_sizes_and_types(case: tuple[str, str, Any]) -> None:
    """Tags/TagKeys hold at most 50 members; a non-list is a ValidationError."""
    operation, name, shape = case
    high = shape.metadata["max"]
    assert high == 50
    if shape.member.type_name == "string":
        items: list[Any] = [f"k{i}" for i in range(high + 1)]
    else:
        items = [{"Key": f"k{i}", "Value": "v"} for i in range(high + 1)]
    validate_input(operation, {**_required_arguments(operation), _snake(name): items[:high]})
    message = _errors(operation, **{_snake(name): items})
    assert message.startswith("1 validation error detected: Value ")
    assert message.endswith(
        f"at '{_location(name)}' failed to satisfy constraint: "
        f"Member must have length less than or equal to {high}"
    )
    for wrong in ("k", b"k", 5, {"Key": "k", "Value": "v"}, {"k"}):
        assert _errors(operation, **{_snake(name): wrong}).endswith("Member must be a list")


@pytest.mark.parametrize("operation", OPERATIONS)
def test_required_members(operation: str) -> None:
    """A required member that is missing or None is 'Member must not be null'."""
    shape = SERVICE.operation_model(operation).input_shape
    for name in shape.required_members:
        arguments = _required_arguments(operation)
        del arguments[_snake(name)]
        expected = (
            f"Value at '{_location(name)}' failed to satisfy constraint: Member must not be null"
        )
        with pytest.raises(ValidationError, match=re.escape(expected)):
            validate_input(operation, arguments)
        with pytest.raises(ValidationError, match=re.escape(expected)):
            validate_input(operation, {**arguments, _snake(name): None})


@pytest.mark.parametrize("operation", OPERATIONS)
def test_unknown_argument(operation: str) -> None:
    """An argument the operation does not take is a ValidationError naming it."""
    with pytest.raises(ValidationError, match="bogus_argument"):
        validate_input(operation, {**_required_arguments(operation), "bogus_argument": 1})
    with pytest.raises(ValidationError, match="UserName"):
        validate_input(operation, {**_required_arguments(operation), "UserName": "bob"})


def test_message_format_for_a_bad_name() -> None:
    """AWS's format (2026): 1 validation error detected: Value at 'userName' failed to ..."""
    with pytest.raises(ValidationError) as caught:
        Account().create_user(user_name="bad name!")
    assert caught.value.message == _message(
        "userName", f"must satisfy regular expression pattern: {PATTERN_NAME}"
    )
    assert "bad name!" not in caught.value.message
    assert caught.value.code == "ValidationError"


def test_message_format_for_several_errors() -> None:
    """Several violations are counted and joined with '; '."""
    with pytest.raises(ValidationError) as caught:
        Account().create_user(user_name="bad name!", path="/" + "a" * 512)
    message = caught.value.message
    assert message.startswith("2 validation errors detected: Value at ")
    problems = message.removeprefix("2 validation errors detected: ").split("; ")
    assert sorted(problems) == sorted(
        [
            _message(
                "userName", f"must satisfy regular expression pattern: {PATTERN_NAME}"
            ).removeprefix("1 validation error detected: "),
            _message("path", "must have length less than or equal to 512").removeprefix(
                "1 validation error detected: "
            ),
        ]
    )


def test_bad_path_has_iam_own_message_after_the_model_checks() -> None:
    """A Path breaking its pattern: IAM's own text, once every other member is valid."""
    with pytest.raises(ValidationError) as caught:
        Account().create_user(user_name="bob", path="nope")
    assert caught.value.message == INVALID_PATH
    with pytest.raises(ValidationError) as caught:
        Account().create_user(user_name="bad name!", path="nope")
    assert caught.value.message == _message(
        "userName", f"must satisfy regular expression pattern: {PATTERN_NAME}"
    )


#: UntagPolicy with TagKeys=["0" * 129] or ["NOWAY!"], recorded from real AWS 2026-02-10
#: (LocalStack tests/aws/services/iam/test_iam_policies.snapshot.json,
#: test_policy_tag_update_errors: err-untag-large-key, err-untag-invalid-character)
TAG_KEYS_MEMBER = (
    "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member "
    "must satisfy constraint: [Member must have length less than or equal to 128, Member "
    "must have length greater than or equal to 1, Member must satisfy regular expression "
    "pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+, Member must not be null]"
)


def test_message_for_tag_members() -> None:
    """Structure members are located (tags.2.member.key); a bad string in a list is one
    problem for the list naming all its member constraints (AWS UntagPolicy, 2026)."""
    message = _errors("TagUser", tags=[{"Key": "ok", "Value": "ok"}, {"Key": "a!", "Value": "v"}])
    assert message == _message(
        "tags.2.member.key",
        "must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+",
    )
    for keys in (["ok", "x" * 129], ["NOWAY!"], [""], ["a!", "x" * 129, "b!"]):
        assert _errors("UntagUser", tag_keys=keys) == TAG_KEYS_MEMBER
        assert _errors("UntagPolicy", tag_keys=keys) == TAG_KEYS_MEMBER
    too_many = _errors("UntagUser", tag_keys=[str(n) for n in range(50)] + ["!"])
    assert too_many == (
        "2 validation errors detected: Value at 'tagKeys' failed to satisfy constraint: Member "
        "must have length less than or equal to 50; "
        + TAG_KEYS_MEMBER.removeprefix("1 validation error detected: ")
    )


# -- patterns --------------------------------------------------------------------------------

USER_NAME_GOOD = ["Bob", "bob", "a+b=c,d.e@f_g-h", "0", "_", "-", "A" * 64]
USER_NAME_BAD = [
    "bad name!",
    "é",
    "bob\n",
    "\nbob",
    "bob\r",
    "a b",
    "a/b",
    "a*",
    "ǅ",
    "\u0660",  # ARABIC-INDIC DIGIT ZERO: a Unicode \d, not an ASCII one
    "ａ",  # FULLWIDTH LATIN SMALL LETTER A
    "a\tb",
    "a:b",
]


@pytest.mark.parametrize(
    ("operation", "member"),
    [
        ("CreateUser", "user_name"),
        ("GetUser", "user_name"),
        ("UpdateUser", "user_name"),
        ("UpdateUser", "new_user_name"),
        ("DeleteUser", "user_name"),
        ("CreateGroup", "group_name"),
        ("GetGroup", "group_name"),
        ("UpdateGroup", "group_name"),
        ("UpdateGroup", "new_group_name"),
        ("DeleteGroup", "group_name"),
        ("AddUserToGroup", "user_name"),
        ("AddUserToGroup", "group_name"),
        ("RemoveUserFromGroup", "user_name"),
        ("RemoveUserFromGroup", "group_name"),
        ("ListGroupsForUser", "user_name"),
        ("TagUser", "user_name"),
        ("UntagUser", "user_name"),
        ("ListUserTags", "user_name"),
    ],
)
def test_name_patterns(operation: str, member: str) -> None:
    """User and group names full-match [\\w+=,.@-]+ with ASCII \\w: no spaces, é or newline."""
    for good in USER_NAME_GOOD:
        validate_input(operation, {**_required_arguments(operation), member: good})
    for bad in USER_NAME_BAD:
        message = _errors(operation, **{member: bad})
        assert message.endswith(f"Member must satisfy regular expression pattern: {PATTERN_NAME}")


PATH_GOOD = ["/", "/a/", "/a/b/", "/!~/", "///", "/division_abc/subdivision_xyz/", "/" * 512]
PATH_BAD = ["a", "/a", "a/", "//", "/a b/", "/é/", "/a/\n", "\n/", "/\n", "/\x7f/", "/a\t/"]


@pytest.mark.parametrize(
    ("operation", "member"),
    [
        ("CreateUser", "path"),
        ("UpdateUser", "new_path"),
        ("CreateGroup", "path"),
        ("UpdateGroup", "new_path"),
    ],
)
def test_path_pattern(operation: str, member: str) -> None:
    """Paths are '/' or '/' + printable ASCII (U+0021–U+007E) + '/', full-match."""
    for good in PATH_GOOD:
        validate_input(operation, {**_required_arguments(operation), member: good})
    for bad in PATH_BAD:
        assert _errors(operation, **{member: bad}) == INVALID_PATH


@pytest.mark.parametrize("operation", ["ListUsers", "ListGroups"])
def test_path_prefix_pattern(operation: str) -> None:
    """PathPrefix is '/' followed by U+0021–U+007F; it need not end with '/'."""
    for good in ["/", "/a", "/a/b", "/\x7f", "/!~", "/engineering/"]:
        validate_input(operation, {"path_prefix": good})
    for bad in ["a", " /", "/é", "/a b", "/a\n", "\n", "/\x80"]:
        message = _errors(operation, path_prefix=bad)
        assert message.endswith(
            "Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*"
        )


@pytest.mark.parametrize(
    "operation", ["ListUsers", "ListGroups", "GetGroup", "ListGroupsForUser", "ListUserTags"]
)
def test_marker_pattern(operation: str) -> None:
    """Marker is 1–320 characters of U+0020–U+00FF."""
    for good in [" ", "a", "ÿ", "\u0080", "a" * 320]:
        validate_input(operation, {**_required_arguments(operation), "marker": good})
    for bad in ["\u0100", "\x1f", "\n", "日", "a\n"]:
        message = _errors(operation, marker=bad)
        assert message.endswith(
            "Member must satisfy regular expression pattern: [\\u0020-\\u00FF]+"
        )
    assert _errors(operation, marker="a" * 321).endswith("less than or equal to 320")


TAG_GOOD = ["a", "a b", "é", "日本", "\u00a0", "_.:/=+-@", "\u0663", "Ⅻ", "½", "\u2028", "ǅ"]
TAG_BAD = ["!", "#", "a\n", "\t", "😀", "a,b", "*", "\u200b", "a;b", "\x00", "<", "$"]


def test_tag_key_and_value_characters() -> None:
    """Tag keys/values: Unicode letters, separators and numbers plus _ . : / = + - @."""
    for good in TAG_GOOD:
        validate_input("TagUser", {"user_name": "u", "tags": [{"Key": good, "Value": good}]})
        validate_input("UntagUser", {"user_name": "u", "tag_keys": [good]})
    for bad in TAG_BAD:
        message = _errors("TagUser", tags=[{"Key": bad, "Value": "v"}])
        assert "at 'tags.1.member.key'" in message
        message = _errors("TagUser", tags=[{"Key": "k", "Value": bad}])
        assert "at 'tags.1.member.value'" in message
        message = _errors("CreateUser", user_name="u", tags=[{"Key": bad, "Value": "v"}])
        assert "at 'tags.1.member.key'" in message
        assert _errors("UntagUser", tag_keys=[bad]) == TAG_KEYS_MEMBER


def test_tag_lengths() -> None:
    """Tag keys are 1–128 characters, values 0–256 (empty values allowed)."""
    validate_input("TagUser", {"user_name": "u", "tags": [{"Key": "k" * 128, "Value": "v" * 256}]})
    validate_input("TagUser", {"user_name": "u", "tags": [{"Key": "k", "Value": ""}]})
    assert "length less than or equal to 128" in _errors(
        "TagUser", tags=[{"Key": "k" * 129, "Value": ""}]
    )
    assert "length greater than or equal to 1" in _errors(
        "TagUser", tags=[{"Key": "", "Value": ""}]
    )
    assert "length less than or equal to 256" in _errors(
        "TagUser", tags=[{"Key": "k", "Value": "v" * 257}]
    )


def test_tag_structure_errors() -> None:
    """A tag must be a Key/Value structure: missing Value, junk or extra members are refused."""
    assert "tags.1.member.value' failed to satisfy constraint: Member must not be null" in (
        _errors("TagUser", tags=[{"Key": "k"}])
    )
    assert "Member must be a structure" in _errors("TagUser", tags=[5])
    assert "Member must be a structure" in _errors("TagUser", tags=[None])
    assert "Member must have only the members Key, Value" in _errors(
        "TagUser", tags=[{"Key": "k", "Value": "v", "Extra": "x"}]
    )
    assert "Member must be a string" in _errors("TagUser", tags=[{"Key": 1, "Value": "v"}])


def test_tags_accept_boto3_snake_and_entity_forms() -> None:
    """Tags may be boto3 dicts, snake_case dicts or iamcore Tag entities."""
    from iamcore import Tag

    for tag in ({"Key": "k", "Value": "v"}, {"key": "k", "value": "v"}, Tag("k", "v")):
        arguments = validate_input("TagUser", {"user_name": "u", "tags": [tag]})
        assert arguments["tags"] == ({"key": "k", "value": "v"},)


def test_every_model_pattern_rejects_a_trailing_newline() -> None:
    """No pattern in the model accepts a value followed by '\\n' (full match, no '$' slack)."""
    shapes = {
        shape.name: shape for _, _, shape in STRINGS if shape.metadata.get("pattern") is not None
    }
    samples = {"pathType": "/a/", "pathPrefixType": "/a", "tagValueType": "v"}
    for name, shape in shapes.items():
        matches = compile_pattern(shape.metadata["pattern"])
        value = samples.get(name, "a")
        assert matches(value), name
        assert not matches(value + "\n"), name
        assert not matches(value + "\r\n"), name


def test_validation_comes_before_the_rules() -> None:
    """A call with a bad parameter is a ValidationError even where a rule would also refuse."""
    account = Account()
    account.create_user(user_name="bob")
    with pytest.raises(ValidationError):
        account.create_user(user_name="bob", path="bad")
    with pytest.raises(ValidationError):
        account.get_user(user_name="nobody!")


# -- properties ------------------------------------------------------------------------------

_ascii_names = st.from_regex(re.compile(r"[\w+=,.@-]{1,70}", re.ASCII), fullmatch=True)
_any_text = st.text(max_size=140)
_ascii_text = st.text(alphabet=st.characters(codec="ascii"), max_size=140)
_names = _ascii_names | _any_text | _ascii_text


def _is_name(value: str, high: int) -> bool:
    return 1 <= len(value) <= high and all(char in NAME_CHARS for char in value)


def _accepted(operation: str, **kwargs: Any) -> bool:
    try:
        validate_input(operation, {**_required_arguments(operation), **kwargs})
    except ValidationError:
        return False
    return True


@given(_names)
def test_user_name_property(name: str) -> None:
    """A user name is accepted iff it is 1–64 characters of [A-Za-z0-9_+=,.@-]."""
    assert _accepted("CreateUser", user_name=name) == _is_name(name, 64)
    assert _accepted("UpdateUser", new_user_name=name) == _is_name(name, 64)


@given(_names)
def test_existing_user_name_property(name: str) -> None:
    """An existing-user name (GetUser, TagUser, …) is accepted iff 1–128 name characters."""
    assert _accepted("GetUser", user_name=name) == _is_name(name, 128)
    assert _accepted("TagUser", user_name=name) == _is_name(name, 128)


@given(_names)
def test_group_name_property(name: str) -> None:
    """A group name is accepted iff it is 1–128 characters of [A-Za-z0-9_+=,.@-]."""
    assert _accepted("CreateGroup", group_name=name) == _is_name(name, 128)


@given(_names)
def test_user_name_property_on_the_account(name: str) -> None:
    """CreateUser on an account creates the user iff the name is valid, else ValidationError."""
    account = Account()
    if _is_name(name, 64):
        account.create_user(user_name=name)
        assert account.get_user(user_name=name).user.user_name == name
    else:
        with pytest.raises(ValidationError):
            account.create_user(user_name=name)
        assert account.list_users().users == ()


_paths = (
    st.from_regex(re.compile(r"/([!-~]{0,20}/)?"), fullmatch=True)
    | st.text(max_size=20).map(lambda s: "/" + s + "/")
    | st.text(max_size=20)
    | st.text(alphabet="/ab \x7f\n", max_size=10)
)


def _is_path(value: str) -> bool:
    if not 1 <= len(value) <= 512:
        return False
    if value == "/":
        return True
    middle = value[1:-1]
    return (
        len(value) >= 3
        and value[0] == value[-1] == "/"
        and all(0x21 <= ord(char) <= 0x7E for char in middle)
    )


@given(_paths)
def test_path_property(path: str) -> None:
    """A path is accepted iff it is '/' or '/' + U+0021–U+007E characters + '/', ≤ 512."""
    assert _accepted("CreateUser", path=path) == _is_path(path)
    assert _accepted("UpdateGroup", new_path=path) == _is_path(path)


@given(st.text(max_size=20) | st.text(max_size=20).map(lambda s: "/" + s))
def test_path_prefix_property(prefix: str) -> None:
    """A path prefix is accepted iff it is '/' then U+0021–U+007F characters, ≤ 512."""
    expected = (
        1 <= len(prefix) <= 512
        and prefix[0] == "/"
        and all(0x21 <= ord(char) <= 0x7F for char in prefix[1:])
    )
    assert _accepted("ListUsers", path_prefix=prefix) == expected


def _is_tag_text(value: str) -> bool:
    return all(unicodedata.category(char)[0] in "LZN" or char in TAG_PUNCTUATION for char in value)


@given(st.text(max_size=140), st.text(max_size=270))
def test_tag_property(key: str, value: str) -> None:
    """A tag is accepted iff key is 1–128 and value 0–256 letters/separators/numbers/_.:/=+-@."""
    expected = (
        1 <= len(key) <= 128 and _is_tag_text(key) and len(value) <= 256 and _is_tag_text(value)
    )
    assert _accepted("TagUser", tags=[{"Key": key, "Value": value}]) == expected


@given(st.integers(min_value=-2000, max_value=3000))
def test_max_items_property(max_items: int) -> None:
    """MaxItems is accepted iff 1 ≤ MaxItems ≤ 1000."""
    assert _accepted("ListUsers", max_items=max_items) == (1 <= max_items <= 1000)


@given(st.text(max_size=330))
def test_marker_property(marker: str) -> None:
    """A marker passes validation iff it is 1–320 characters of U+0020–U+00FF."""
    expected = 1 <= len(marker) <= 320 and all(0x20 <= ord(char) <= 0xFF for char in marker)
    assert _accepted("ListUsers", marker=marker) == expected


def test_password_policy_problems_in_the_services_order() -> None:
    """UpdateAccountPasswordPolicy with three values out of range: AWS lists
    minimumPasswordLength, passwordReusePrevention, maxPasswordAge, in that order
    (LocalStack's AWS-validated recording of 2026)."""
    with pytest.raises(ValidationError) as caught:
        Account().update_account_password_policy(
            max_password_age=1096, minimum_password_length=129, password_reuse_prevention=25
        )
    assert caught.value.message == (
        "3 validation errors detected: "
        "Value at 'minimumPasswordLength' failed to satisfy constraint: "
        "Member must have value less than or equal to 128; "
        "Value at 'passwordReusePrevention' failed to satisfy constraint: "
        "Member must have value less than or equal to 24; "
        "Value at 'maxPasswordAge' failed to satisfy constraint: "
        "Member must have value less than or equal to 1095"
    )


@pytest.mark.parametrize("max_items", [2**31, -(2**31) - 1, 10**20])
def test_integers_beyond_32_bits_are_malformed_input(max_items: int) -> None:
    """AWS cannot read MaxItems=2147483648 as an integer: MalformedInput (400), before any
    range check (recorded from AWS, 2026); 2**31 - 1 is only out of range."""
    account = Account()
    with pytest.raises(MalformedInput):
        account.list_users(max_items=max_items)
    with pytest.raises(ValidationError):
        account.list_users(max_items=2**31 - 1)
