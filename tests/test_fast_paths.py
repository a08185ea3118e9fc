"""The performance fast paths give exactly the answers of the plain code they shortcut.

Each fast path (benchmarks/, docs/performance.md) is checked against a
straightforward reference: validation's fast path against the complete,
ordered check; the generated output converters against a member-by-member
walk; paging against a plain scan; the ASCII shortcut of ``\\p{L}`` patterns
against per-character Unicode categories; the mock's cached date header,
timestamp memo and lazily built response headers against what botocore
builds; and the shared per-second Context against reading the clock.
"""

from __future__ import annotations

import base64
import contextlib
import linecache
import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from email.utils import formatdate
from inspect import signature
from types import MappingProxyType
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamcore import Account, _model, paging, serialize, validation
from iamcore.errors import IamError
from iamcore.testing import FAST_SCRYPT, FixedClock, seeded_entropy
from tests.helpers import pages

# -- validation --------------------------------------------------------------------

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=2000),
    st.text(alphabet="abAB09+=,.@_-/ é\u0000*:", max_size=12),
    st.sampled_from(["/", "/a/", "Active", "Inactive", "arn:aws:iam::aws:policy/ReadOnlyAccess"]),
    st.binary(max_size=4),
    st.just(datetime(2026, 1, 1, tzinfo=UTC)),
)
_VALUES = st.one_of(
    _SCALARS,
    st.lists(st.text(alphabet="ab/", max_size=3), max_size=3),
    st.lists(st.text(alphabet="ab/", max_size=3), max_size=3).map(tuple),
    st.lists(
        st.fixed_dictionaries({"Key": st.text(max_size=4), "Value": st.text(max_size=4)}),
        max_size=3,
    ),
    st.lists(  # snake_case members, extra or missing members, non-dict mappings
        st.dictionaries(st.sampled_from(["Key", "key", "Value", "value", "Other"]), _SCALARS)
        | st.builds(MappingProxyType, st.fixed_dictionaries({"Key": st.just("k")})),
        max_size=3,
    ),
    st.dictionaries(st.text(alphabet="ab:", max_size=3), st.lists(_SCALARS, max_size=2)),
)


def _outcome(check: Any, operation: str, kwargs: dict[str, Any]) -> tuple[Any, ...]:
    try:
        return ("ok", check(operation, kwargs))
    except IamError as error:
        return ("error", type(error), error.message)


@settings(max_examples=600)
@given(operation=st.sampled_from(sorted(_model.model()["operations"])), data=st.data())
def test_validation_fast_path_agrees_with_the_full_check(operation: str, data: Any) -> None:
    """Service-model validation: the fast path returns or raises what the full check does."""
    members = sorted(validation._input_members(operation)[1])
    names = data.draw(st.lists(st.sampled_from([*members, "bogus"] if members else ["bogus"])))
    kwargs = {name: data.draw(_VALUES) for name in names}
    assert _outcome(validation.validate_input, operation, kwargs) == _outcome(
        validation.validate_fully, operation, kwargs
    )


_SPECIALS = ["/", "/a/", "Active", "arn:aws:iam::aws:policy/ReadOnlyAccess", "{}", "ab"]


def _valid(shape_name: str, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values that satisfy ``shape_name``'s constraints (mostly), from the model."""
    shape = _model.shape(shape_name)
    kind = shape["type"]
    low, high = shape.get("min"), shape.get("max")
    if kind == "string":
        if shape.get("enum"):
            return st.sampled_from(shape["enum"])
        upper = min(high if high is not None else 40, (low or 0) + 30)
        text = st.text(alphabet="abAB09-_", min_size=low or 0, max_size=upper)
        candidates = st.one_of(text, st.sampled_from(_SPECIALS))
        if shape.get("pattern"):
            matches = validation.compile_pattern(shape["pattern"])
            return st.one_of(candidates.filter(matches), st.just("/"))
        return candidates
    if kind in ("integer", "long"):
        return st.integers(min_value=low if low is not None else -3, max_value=high or 1000)
    if kind == "boolean":
        return st.booleans()
    if kind == "list" and depth < 3:
        item = _valid(shape["member"], depth + 1)
        sizes = {"min_size": low or 0, "max_size": min(high if high is not None else 3, 3)}
        return st.lists(item, **sizes) | st.lists(item, **sizes).map(tuple)
    if kind == "structure" and depth < 3:
        members = {name: _valid(ref["shape"], depth + 1) for name, ref in shape["members"].items()}
        required = set(shape.get("required", ()))
        return st.fixed_dictionaries(
            {name: members[name] for name in required},
            optional={name: members[name] for name in set(members) - required},
        )
    return _VALUES


@settings(max_examples=800)
@given(operation=st.sampled_from(sorted(_model.model()["operations"])), data=st.data())
def test_validation_fast_path_agrees_on_model_shaped_calls(operation: str, data: Any) -> None:
    """Service-model validation: calls built from the model (valid ones included) get
    the same arguments or the same error from the fast path as from the full check."""
    input_shape = _model.operation(operation)["input"]
    kwargs: dict[str, Any] = {}
    if input_shape is not None:
        for ref in _model.shape(input_shape)["members"].values():
            if data.draw(st.booleans()):
                kwargs[ref["snake"]] = data.draw(_valid(ref["shape"]))
    assert _outcome(validation.validate_input, operation, kwargs) == _outcome(
        validation.validate_fully, operation, kwargs
    )


def _unicode_reference(pattern: str, value: str) -> bool:
    categories = tuple(re.findall(r"\\p\{([A-Z])\}", pattern))
    match = re.fullmatch(r"\[(.*)\]([*+])", re.sub(r"\\p\{[A-Z]\}", "", pattern))
    assert match is not None
    others = re.compile(f"[{match.group(1)}]")
    if not value:
        return match.group(2) == "*"
    return all(
        unicodedata.category(char)[0] in categories or others.fullmatch(char) is not None
        for char in value
    )


@pytest.mark.parametrize(
    "pattern",
    sorted(
        {
            shape["pattern"]
            for shape in _model.model()["shapes"].values()
            if "\\p{" in shape.get("pattern", "")
        }
    ),
)
def test_unicode_class_patterns_ascii_shortcut(pattern: str) -> None:
    """Tag patterns (\\p{L}…): the ASCII regex accepts exactly the ASCII the categories do."""
    check = validation.compile_pattern(pattern)
    for code in range(128):
        for value in (chr(code), f"a{chr(code)}b", chr(code) * 3):
            assert check(value) == _unicode_reference(pattern, value), (pattern, code)
    assert check("") == _unicode_reference(pattern, "")
    assert check("Ünïcödé 42") == _unicode_reference(pattern, "Ünïcödé 42")


# -- serialisation -------------------------------------------------------------------


def _reference_structure(shape_name: str, value: Any, stamp: Any, top_level: bool = False) -> Any:
    """The plain walk: members in name order; None left out, and empty optional lists
    left out inside entities (kept at the top level and where AWS sends them)."""
    shape = _model.shape(shape_name)
    kind = shape["type"]
    if kind == "structure":
        out: dict[str, Any] = {}
        required = set(shape.get("required", ()))
        for name, ref in sorted(shape["members"].items()):
            item = getattr(value, ref["snake"], None)
            is_list = _model.shape(ref["shape"])["type"] == "list"
            droppable = (
                is_list
                and name not in required
                and not top_level
                and (shape_name, name) not in serialize._KEEP_EMPTY
            )
            if item is None or (droppable and not item):
                continue
            out[name] = _reference_structure(ref["shape"], item, stamp)
        return out
    if kind == "list":
        return [_reference_structure(shape["member"], item, stamp) for item in value]
    if kind == "map":
        return {k: _reference_structure(shape["value"], v, stamp) for k, v in value.items()}
    if kind == "timestamp":
        return stamp(value)
    return value


def _sample(shape_name: str, depth: int, salt: int) -> Any:
    """An object for ``shape_name`` with some members missing, None, empty or falsy."""
    shape = _model.shape(shape_name)
    kind = shape["type"]
    if kind == "structure":
        fields: dict[str, Any] = {}
        for index, ref in enumerate(shape["members"].values()):
            choice = (index + salt) % 5
            if choice == 0:
                continue  # attribute absent
            fields[ref["snake"]] = (
                None
                if choice == 1 or depth > 3
                else _sample(ref["shape"], depth + 1, salt + index)
            )
        return type("Result", (), fields)()
    if kind == "list":
        return [] if salt % 3 == 0 else [_sample(shape["member"], depth + 1, salt + 1)]
    if kind == "map":
        return {"k": _sample(shape["value"], depth + 1, salt)}
    if kind == "timestamp":
        return datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=salt)
    if kind == "boolean":
        return salt % 2 == 0
    if kind in ("integer", "long"):
        return salt % 3
    if kind == "blob":
        return b"" if salt % 2 else b"csv"
    return "" if salt % 4 == 0 else f"s{salt}"


@pytest.mark.parametrize("salt", range(5))
def test_generated_converters_agree_with_the_plain_walk(salt: int) -> None:
    """Output shapes: the compiled converters build the dict the plain member walk builds."""
    for name, operation in _model.model()["operations"].items():
        output = operation["output"]
        if output is None:
            continue
        value = _sample(output, 0, salt + len(name))
        expected = _reference_structure(output, value, lambda when: ("stamped", when), True)
        assert serialize.to_response(name, value, lambda when: ("stamped", when)) == expected


# -- paging -----------------------------------------------------------------------


def _reference_page(
    keys: list[str], lookup: Any, marker: str | None, max_items: int | None
) -> tuple[list[Any], bool, str | None]:
    limit = 100 if max_items is None else max_items
    start = 0
    if marker is not None:
        after = base64.b64decode(marker).decode("utf-8")
        start = next((i for i, key in enumerate(keys) if key > after), len(keys))
    matches = [(key, lookup(key)) for key in keys[start:]]
    matches = [(key, item) for key, item in matches if item is not None]
    page = matches[:limit]
    if len(matches) > limit:
        return (
            [item for _, item in page],
            True,
            base64.b64encode((page[-1][0] if page else "").encode()).decode(),
        )
    return [item for _, item in page], False, None


def _paged_by_lookup(
    keys: list[str], kept: dict[str, str], marker: str | None, max_items: int | None
) -> Any:
    return paging.page(keys, kept.get, marker, max_items)


def _paged_by_runs(
    keys: list[str], kept: dict[str, str], marker: str | None, max_items: int | None
) -> Any:
    # the kept keys split into three sorted runs, as ListUsers gets them from the path index
    runs = [
        [key for key in keys if key in kept and sum(map(ord, key)) % 3 == run] for run in range(3)
    ]
    return paging.page_of_runs(runs, kept.__getitem__, marker, max_items)


@pytest.mark.parametrize("pager", [_paged_by_lookup, _paged_by_runs])
@given(
    keys=st.lists(st.text(alphabet="abcAB", min_size=1, max_size=3), unique=True, max_size=60),
    data=st.data(),
    max_items=st.one_of(st.none(), st.integers(min_value=0, max_value=6)),
    after=st.one_of(st.none(), st.text(alphabet="abcAB", max_size=3)),
)
def test_paging_agrees_with_a_plain_scan(
    pager: Any, keys: list[str], data: Any, max_items: int | None, after: str | None
) -> None:
    """MaxItems/Marker paging: one page (items, IsTruncated, Marker) is what a plain
    filtered scan gives, whether the filter is a lookup per key (``page``) or the kept
    keys come as several sorted runs (``page_of_runs``: ListUsers PathPrefix)."""
    keys = sorted(keys)
    keep = data.draw(st.lists(st.booleans(), min_size=len(keys), max_size=len(keys)))
    kept = {key: key.upper() for key, wanted in zip(keys, keep, strict=True) if wanted}
    marker = None if after is None else base64.b64encode(after.encode()).decode()
    assert pager(keys, kept, marker, max_items) == _reference_page(
        keys, kept.get, marker, max_items
    )


# -- the boto3 mock ----------------------------------------------------------------------


def test_mock_date_header_and_response_headers() -> None:
    """ResponseMetadata: the cached date is the HTTP date; the lazy headers are botocore's."""
    mock = pytest.importorskip("iamcore.mock")
    from botocore.awsrequest import AWSResponse

    account = Account(entropy=seeded_entropy(1))
    before = formatdate(usegmt=True)
    metadata = mock._metadata(account, 200)
    after = formatdate(usegmt=True)
    assert metadata["HTTPHeaders"]["date"] in (before, after)
    headers = metadata["HTTPHeaders"]
    lazy = mock._Response(200, headers)
    plain = AWSResponse("https://iam.amazonaws.com/", 200, headers, None)
    assert isinstance(lazy, AWSResponse)
    # every attribute botocore's own __init__ sets is there (headers as a property)
    assert set(vars(plain)) <= set(vars(lazy)) | {"headers"}
    assert (lazy.url, lazy.status_code, lazy.raw) == (plain.url, plain.status_code, plain.raw)
    assert dict(lazy.headers) == dict(plain.headers)
    assert lazy.headers["X-Amzn-RequestId"] == plain.headers["x-amzn-requestid"]
    lazy.headers = {"a": "b"}
    assert dict(lazy.headers) == {"a": "b"}


@pytest.mark.parametrize(
    "zone", [UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-7, minutes=-30))]
)
def test_mock_timestamp_memo(zone: timezone) -> None:
    """Timestamps through boto3 are the same instant in botocore's tzutc, memo or not."""
    mock = pytest.importorskip("iamcore.mock")
    from dateutil.tz import tzutc

    when = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC).astimezone(zone)
    for value in (when, when, when + timedelta(seconds=1), when):
        stamped = mock._stamp(value)
        assert stamped == value.astimezone(tzutc())
        assert stamped.tzinfo == tzutc()
        assert stamped.utcoffset() == timedelta(0)
        in_utc = value.astimezone(UTC)
        assert (stamped.hour, stamped.minute, stamped.second) == (
            in_utc.hour,
            in_utc.minute,
            in_utc.second,
        )


# -- the per-second Context ----------------------------------------------------------------


def test_context_follows_the_clock_and_the_caller() -> None:
    """Whole-second IAM times: calls share a Context only within one second and one caller."""
    from iamcore.account import current_caller

    clock = FixedClock(datetime(2026, 1, 1, 0, 0, 0, 400_000, tzinfo=UTC))
    account = Account(clock=clock, entropy=seeded_entropy(3))
    first = account.create_user(user_name="a").user.create_date
    clock.advance(timedelta(milliseconds=500))  # 00:00:00.9: same second
    second = account.create_user(user_name="b").user.create_date
    clock.advance(timedelta(milliseconds=200))  # 00:00:01.1: next second
    third = account.create_user(user_name="c").user.create_date
    clock.advance(timedelta(seconds=-5))  # a clock that goes back is read as it is
    fourth = account.create_user(user_name="d").user.create_date
    assert first == second == datetime(2026, 1, 1, tzinfo=UTC)
    assert third == datetime(2026, 1, 1, 0, 0, 1, tzinfo=UTC)
    assert fourth == datetime(2025, 12, 31, 23, 59, 56, tzinfo=UTC)
    assert all(d.microsecond == 0 for d in (first, second, third, fourth))

    seen: list[Any] = []

    def spy(state: Any, ctx: Any) -> None:
        seen.append(ctx)

    account._run_complete("GetAccountSummary", spy, {})
    user_id = account.get_user(user_name="a").user.user_id
    token = current_caller.set(user_id)
    try:
        account._run_complete("GetAccountSummary", spy, {})
    finally:
        current_caller.reset(token)
    account._run_complete("GetAccountSummary", spy, {})
    assert [ctx.caller for ctx in seen] == [None, user_id, None]
    assert attrs.evolve(seen[0]) == seen[2]


def test_system_clock_context_is_the_current_whole_second(monkeypatch: Any) -> None:
    """The system clock's Context (read with ``time.time``, no datetime per call) gives
    the same whole-second UTC times as ``datetime.now(UTC)`` would."""
    import iamcore._fastcall as fastcall_module
    import iamcore.account as account_module

    now = [1_767_225_600.25]  # 2026-01-01T00:00:00.25Z
    monkeypatch.setattr(account_module, "_posix_time", lambda: now[0])
    # the generated methods read the time they were compiled with: compile anew
    monkeypatch.setattr(fastcall_module, "posix_time", lambda: now[0])
    operation, rule = account_module.OPERATIONS["create_user"]
    recompiled = fastcall_module.compile_method(
        operation,
        rule,
        Account.create_user.__wrapped__,
        mutates=True,
        complete=Account._run_complete,
        current_caller=account_module.current_caller.get,
    )
    monkeypatch.setattr(Account, "create_user", recompiled)
    monkeypatch.setattr(
        "iamcore.clock.datetime",
        type(
            "FrozenDatetime",
            (datetime,),
            {"now": classmethod(lambda cls, tz: cls.fromtimestamp(now[0], tz))},
        ),
    )
    account = Account()
    dates = []
    for seconds in (1_767_225_600.25, 1_767_225_600.99, 1_767_225_601.0, 1_767_225_599.5):
        now[0] = seconds
        dates.append(account.create_user(user_name=f"u{len(dates)}").user.create_date)
    assert dates == [
        datetime(2026, 1, 1, tzinfo=UTC),
        datetime(2026, 1, 1, tzinfo=UTC),
        datetime(2026, 1, 1, 0, 0, 1, tzinfo=UTC),
        datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC),  # a clock that goes back is read as it is
    ]
    assert all(date.tzinfo is UTC for date in dates)


# -- the generated call path ----------------------------------------------------------------

#: the operations Account runs (the model's other operations, roles and so on, are not modelled)
_METHODS = {
    operation: snake
    for snake, operation in _model.operation_by_snake().items()
    if callable(getattr(Account, snake, None))
}
_RUN_OPERATIONS = sorted(_METHODS)


def test_generated_method_keeps_its_declaration_and_compiles_once(monkeypatch: Any) -> None:
    """An operation method is written on its first call and reused after: a method taken
    before that call compiles once, does not overwrite a patch made meanwhile, and
    keeps the declared name, docstring and signature (``help()``, IDEs)."""
    import iamcore._fastcall as fastcall_module
    import iamcore.account as account_module
    from iamcore.rules import users

    compiled: list[str] = []
    real_compile = fastcall_module.compile_method

    def counting(operation: str, *args: Any, **kwargs: Any) -> Any:
        compiled.append(operation)
        return real_compile(operation, *args, **kwargs)

    monkeypatch.setattr(account_module, "compile_method", counting)
    monkeypatch.setattr(account_module, "OPERATIONS", dict(account_module.OPERATIONS))

    def get_user(self: Account, **kwargs: Any) -> Any:
        """Declared."""

    installed = account_module.Account.__dict__["get_user"]  # stands for a patch
    method = account_module._operation(users.get_user)(get_user)
    account = _populated(False)
    assert method(account, user_name="a").user.user_name == "a"
    assert method(account, user_name="b").user.path == "/p/"
    with pytest.raises(IamError, match="Unknown parameter for GetUser: bogus"):
        method(account, user_name="a", bogus=1)
    assert compiled.count("GetUser") == 1
    assert account_module.Account.__dict__["get_user"] is installed  # not written over
    account.create_user(user_name="c")  # written by now
    generated = account_module.Account.__dict__["create_user"]
    assert generated.__code__.co_filename == "<iamcore call CreateUser>"
    # tracebacks through it show its lines, as through attrs' generated methods
    first_line = generated.__code__.co_firstlineno
    assert linecache.getline("<iamcore call CreateUser>", first_line).startswith(
        "def create_user("
    )
    assert (generated.__name__, generated.__doc__) == (
        "create_user",
        "Create a user (AWS CreateUser).",
    )
    assert str(signature(generated)) == (
        "(self, **kwargs: 'Unpack[rq.CreateUserRequest]') -> 'CreateUserResponse'"
    )


@pytest.mark.parametrize("operation", _RUN_OPERATIONS)
def test_every_operation_has_a_generated_call_path(operation: str) -> None:
    """Each rule takes every member of its operation's input, with a default for each
    optional one, so the generated method compiles (else TypeError on first call) and
    then stands in the class for its declaration."""
    import iamcore.account as account_module

    account = _populated(False)
    with contextlib.suppress(IamError):  # a required member missing: the complete check says so
        getattr(account, _METHODS[operation])()
    compiled = account_module.Account.__dict__[_METHODS[operation]]
    assert compiled.__code__.co_filename == f"<iamcore call {operation}>"


def _populated(complete: bool) -> Account:
    """Users a and b, group g with a in it, a key of a, a managed policy p (seeded, fixed
    clock: two of these are equal and stay equal under the same calls)."""
    account = Account(
        clock=FixedClock(datetime(2026, 1, 1, tzinfo=UTC)), entropy=seeded_entropy(9)
    )
    account.password_hash_cost = FAST_SCRYPT
    _call(account, "create_user", complete, user_name="a", tags=[{"Key": "k", "Value": "v"}])
    _call(account, "create_user", complete, user_name="b", path="/p/")
    _call(account, "create_group", complete, group_name="g")
    _call(account, "add_user_to_group", complete, user_name="a", group_name="g")
    _call(account, "create_access_key", complete, user_name="a")
    _call(account, "create_policy", complete, policy_name="p", policy_document=_ALLOW_ALL)
    return account


def _call(account: Account, method: str, complete: bool, **kwargs: Any) -> Any:
    """``account.<method>(**kwargs)``, or the same call through
    :meth:`Account._run_complete` (the plain path) when ``complete``."""
    import iamcore.account as account_module

    if not complete:
        return getattr(account, method)(**kwargs)
    operation, rule = account_module.OPERATIONS[method]
    return account._run_complete(operation, rule, kwargs)


_ALLOW_ALL = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
)


def _names(snake: str, shape_name: str) -> st.SearchStrategy[Any]:
    """Names of what _populated made, most of the time, else any model-shaped value."""
    existing = {
        "user_name": ["a", "b", "A", "nobody"],
        "group_name": ["g", "G"],
        "new_user_name": ["c", "b"],
        "policy_arn": ["arn:aws:iam::123456789012:policy/p"],
        "access_key_id": ["AKIAIOSFODNN7EXAMPLE"],
    }.get(snake)
    valid = _valid(shape_name)
    return st.sampled_from(existing) | valid if existing else valid


@settings(max_examples=600, deadline=None)
@given(operation=st.sampled_from(_RUN_OPERATIONS), data=st.data())
def test_generated_call_path_agrees_with_the_complete_path(operation: str, data: Any) -> None:
    """Every operation, run through its generated call path and through the plain one
    (complete check, Context, rule with the normalised arguments), returns the same
    result or raises the same error, and leaves the same account."""
    input_shape = _model.operation(operation)["input"]
    kwargs: dict[str, Any] = {}
    if input_shape is not None:
        for ref in _model.shape(input_shape)["members"].values():
            if data.draw(st.booleans()):
                kwargs[ref["snake"]] = data.draw(_names(ref["snake"], ref["shape"]))
    method = _METHODS[operation]
    takes_any = any(
        p.kind is p.VAR_KEYWORD for p in signature(getattr(Account, method)).parameters.values()
    )
    if takes_any and data.draw(st.booleans()):  # an unknown member, or a known one made wrong
        kwargs = {**kwargs, data.draw(st.sampled_from(["bogus", *kwargs])): data.draw(_VALUES)}
    outcomes = []
    for complete in (False, True):
        account = _populated(complete)
        result = _outcome(
            lambda _, kw, account=account, complete=complete: _call(
                account, method, complete, **kw
            ),
            operation,
            kwargs,
        )
        outcomes.append((result, account.snapshot()))
    assert outcomes[0] == outcomes[1]


# -- the sorted name index ----------------------------------------------------------------


@settings(max_examples=300)
@given(
    st.lists(
        st.tuples(st.sampled_from(["add", "remove", "read"]), st.text(alphabet="abcd", max_size=3))
    )
)
def test_sorted_index_matches_a_sorted_list(steps: list[tuple[str, str]]) -> None:
    """Listing order (ListUsers, ListGroups, …): the lazily sorted index always reads as
    the sorted list of the keys added and not removed, whatever the order of the calls."""
    index, reference = paging.SortedIndex(), set()
    for action, key in steps:
        if action == "add" and key not in reference:
            index.add(key)
            reference.add(key)
        elif action == "remove" and key in reference:
            index.remove(key)
            reference.discard(key)
        elif action == "read":
            assert index.keys == sorted(reference)
        assert len(index) == len(reference)
    assert index.keys == sorted(reference)
    assert paging.SortedIndex(reversed(index.keys)).keys == sorted(reference)


# -- entities rebuilt field by field ---------------------------------------------------


def test_user_rebuilt_by_hand_keeps_every_other_field() -> None:
    """TagUser/UntagUser, UpdateUser and ListUsers rebuild a User without attrs.evolve:
    every field they do not mean to change survives (a field added to User later
    must be added there too)."""
    from iamcore.entities import AttachedPermissionsBoundary, Tag, User
    from iamcore.rules import users

    values: dict[str, Any] = {
        "path": "/a/",
        "user_name": "Bob",
        "user_id": "AIDAEXAMPLEEXAMPLEEX",
        "arn": "arn:aws:iam::123456789012:user/a/Bob",
        "create_date": datetime(2026, 1, 1, tzinfo=UTC),
        "password_last_used": datetime(2026, 1, 2, tzinfo=UTC),
        "permissions_boundary": AttachedPermissionsBoundary("arn:aws:iam::aws:policy/X"),
        "tags": (Tag("k", "v"),),
    }
    assert set(values) == {field.name for field in attrs.fields(User)}
    user = User(**values)
    new_tags = (Tag("n", "w"),)
    assert users._with_tags(user, new_tags) == attrs.evolve(user, tags=new_tags)
    assert users.listed_view(user) == attrs.evolve(user, tags=(), permissions_boundary=None)
    assert users._with_tags(user, (), None) == attrs.evolve(
        user, tags=(), permissions_boundary=None
    )
    account = Account(entropy=seeded_entropy(2))
    account.create_user(user_name="Bob", path="/a/", tags=[{"Key": "k", "Value": "v"}])
    before = account.get_user(user_name="Bob").user
    account.update_user(user_name="Bob", new_user_name="Robert", new_path="/b/")
    after = account.get_user(user_name="Robert").user
    assert after == attrs.evolve(
        before, user_name="Robert", path="/b/", arn=before.arn.replace("/a/Bob", "/b/Robert")
    )


# -- GetGroup members: two ways to one page ----------------------------------------------


def _all_members(account: Account, max_items: int) -> list[list[str]]:
    found = pages(account.get_group, "users", group_name="g", max_items=max_items)
    return [[user.user_name for user in page] for page in found]


@settings(max_examples=60)
@given(
    names=st.lists(st.text(alphabet="abcAB", min_size=1, max_size=4), max_size=30),
    data=st.data(),
    max_items=st.integers(min_value=1, max_value=7),
)
def test_get_group_pages_the_same_whether_it_walks_the_index_or_sorts(
    names: list[str], data: Any, max_items: int
) -> None:
    """GetGroup members in name order, paged: walking the account's name index (dense
    groups) and sorting the members (sparse groups) give the same pages."""
    from iamcore.rules import groups

    account = Account(entropy=seeded_entropy(4))
    account.create_group(group_name="g")
    unique = list({name.lower(): name for name in names}.values())
    members = []
    for name in unique:
        account.create_user(user_name=name)
        if data.draw(st.booleans()):
            account.add_user_to_group(group_name="g", user_name=name)
            members.append(name)
    expected = sorted(members, key=str.lower)
    answers = []
    for dense in (1, 10**9):  # 1: sort unless all users are members; 10**9: walk the index
        original, groups._DENSE = groups._DENSE, dense
        try:
            answers.append(_all_members(account, max_items))
        finally:
            groups._DENSE = original
    assert answers[0] == answers[1]
    assert [name for page in answers[0] for name in page] == expected
    assert all(len(page) <= max_items for page in answers[0])


# -- ListUsers PathPrefix: the path index and the name scan --------------------------------


def _all_users(account: Account, prefix: str, max_items: int) -> list[list[str]]:
    found = pages(account.list_users, "users", path_prefix=prefix, max_items=max_items)
    return [[user.user_name for user in page] for page in found]


@settings(max_examples=40)
@given(
    users=st.lists(
        st.tuples(
            st.text(alphabet="abcAB", min_size=1, max_size=4),
            st.sampled_from(["/", "/a/", "/a/b/", "/ab/", "/b/"] + [f"/p{i}/" for i in range(20)]),
        ),
        max_size=40,
    ),
    prefix=st.sampled_from(["/a", "/a/", "/p", "/p1", "/b/", "/zz/"]),
    max_items=st.integers(min_value=1, max_value=7),
)
def test_list_users_by_prefix_same_from_the_path_index_or_the_name_scan(
    users: list[tuple[str, str]], prefix: str, max_items: int
) -> None:
    """ListUsers PathPrefix pages are the same whether they come from the per-path index
    (few matching paths) or from scanning the name index (many), and after a save and
    load (the path index is a cache, rebuilt on first use)."""
    from iamcore import persistence
    from iamcore.rules import users as user_rules

    account = Account(entropy=seeded_entropy(5))
    for name, path in {name.lower(): (name, path) for name, path in users}.values():
        account.create_user(user_name=name, path=path)
    answers = []
    for limit in (0, 10**9):  # 0: always scan the names; 10**9: always use the path index
        original, user_rules._MERGED_PATHS = user_rules._MERGED_PATHS, limit
        try:
            answers.append(_all_users(account, prefix, max_items))
        finally:
            user_rules._MERGED_PATHS = original
    assert answers[0] == answers[1]
    expected = [
        name
        for name in sorted(
            {n.lower(): (n, p) for n, p in users}.values(), key=lambda u: u[0].lower()
        )
        if name[1].startswith(prefix)
    ]
    assert [name for page in answers[0] for name in page] == [name for name, _ in expected]
    reloaded = persistence.loads(persistence.dumps(account))
    assert _all_users(reloaded, prefix, max_items) == answers[0]
