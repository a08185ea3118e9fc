"""The credential report's rows, CSV rendering and parser (iamcore.credential_report)."""

from __future__ import annotations

import pathlib
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamcore import Account
from iamcore.credential_report import (
    COLUMNS,
    ROOT_USER,
    CredentialReportFormatError,
    CredentialReportRow,
    Sentinel,
    parse_csv,
    report_csv,
    rows,
    to_csv,
)
from iamcore.entities import AccessKeyLastUsed, RootAccessKey
from iamcore.errors import ValidationError
from iamcore.testing import FixedClock, seeded_entropy, totp_code
from iamcore.testing.strategies import user_names
from tests.helpers import fresh_snapshot
from tests.test_signing_certificates import pem_certificate

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
T0 = datetime(2026, 1, 1, tzinfo=UTC)
N_A, NO_INFO, NOT_SUPPORTED = (
    Sentinel.NOT_APPLICABLE,
    Sentinel.NO_INFORMATION,
    (Sentinel.NOT_SUPPORTED),
)
PASSWORD = "Correct-Horse-Battery-42!"
#: certificates valid 2025–2035, one per upload (the same one twice is a DuplicateCertificate)
CERTIFICATES = [pem_certificate(datetime(2025, 1, 1, tzinfo=UTC), 3650) for _ in range(12)]


def _enable_mfa(account: Account, clock: FixedClock, user_name: str) -> bytes:
    device = account.create_virtual_mfa_device(virtual_mfa_device_name=user_name)
    seed = device.virtual_mfa_device.base32_string_seed
    assert seed is not None
    account.enable_mfa_device(
        user_name=user_name,
        serial_number=device.virtual_mfa_device.serial_number,
        authentication_code1=totp_code(seed, clock, -1),
        authentication_code2=totp_code(seed, clock, 0),
    )
    return seed


def _use_key(account: Account, key: object, service: str, region: str) -> None:
    account.authenticate(
        access_key_id=key.access_key_id,  # type: ignore[attr-defined]
        secret_access_key=key.secret_access_key,  # type: ignore[attr-defined]
        service=service,
        region=region,
    )


def _golden_account() -> tuple[Account, FixedClock]:
    """Every sentinel and every kind of value, on a fixed clock with seeded entropy."""
    clock = FixedClock(T0)
    account = Account(clock=clock, entropy=seeded_entropy(2026))
    account.update_account_password_policy(minimum_password_length=14, max_password_age=90)
    for name in ("carol", "alice", "Dave", "bob"):
        account.create_user(user_name=name)
    clock.advance(timedelta(days=1))  # 2026-01-02
    account.create_login_profile(user_name="alice", password=PASSWORD)
    account.create_login_profile(user_name="carol", password=PASSWORD)
    alice_key = account.create_access_key(user_name="alice").access_key
    bob_key = account.create_access_key(user_name="bob").access_key
    account.update_access_key(
        user_name="bob", access_key_id=bob_key.access_key_id, status="Inactive"
    )
    seed = _enable_mfa(account, clock, "alice")
    account.upload_signing_certificate(user_name="carol", certificate_body=CERTIFICATES[0])
    clock.advance(timedelta(hours=6, minutes=30, seconds=15))  # 2026-01-02T06:30:15
    dave_1 = account.create_access_key(user_name="Dave").access_key
    cert = account.upload_signing_certificate(user_name="carol", certificate_body=CERTIFICATES[1])
    account.update_signing_certificate(
        user_name="carol", certificate_id=cert.certificate.certificate_id, status="Inactive"
    )
    clock.advance(timedelta(days=1))  # 2026-01-03T06:30:15
    dave_2 = account.create_access_key(user_name="Dave").access_key
    signed_in = account.console_sign_in(
        user_name="alice", password=PASSWORD, mfa_code=totp_code(seed, clock)
    )
    assert signed_in.success
    _use_key(account, alice_key, "s3", "N/A")
    _use_key(account, dave_2, "ec2", "eu-west-1")
    clock.advance(timedelta(days=2))  # 2026-01-05T06:30:15
    _use_key(account, dave_1, "sts", "us-east-1")
    account.set_root_credentials(
        password_last_used=clock.now() - timedelta(hours=1),
        mfa_active=True,
        access_keys=[
            RootAccessKey(
                "Active",
                T0,
                AccessKeyLastUsed("iam", "us-east-1", clock.now() - timedelta(minutes=5)),
            )
        ],
    )
    clock.advance(timedelta(days=5))  # 2026-01-10T06:30:15
    return account, clock


# Key last-used dates are to the minute (06:30:00), as AWS reports them; other dates keep seconds.
GOLDEN = """\
user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,\
password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,\
access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,\
access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,\
access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,\
cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::123456789012:root,2026-01-01T00:00:00+00:00,not_supported,\
2026-01-05T05:30:15+00:00,not_supported,not_supported,true,true,2026-01-01T00:00:00+00:00,\
2026-01-05T06:25:15+00:00,us-east-1,iam,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
alice,arn:aws:iam::123456789012:user/alice,2026-01-01T00:00:00+00:00,true,\
2026-01-03T06:30:15+00:00,2026-01-02T00:00:00+00:00,2026-04-02T00:00:00+00:00,true,true,\
2026-01-02T00:00:00+00:00,2026-01-03T06:30:00+00:00,N/A,s3,false,N/A,N/A,N/A,N/A,false,N/A,\
false,N/A
bob,arn:aws:iam::123456789012:user/bob,2026-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,\
false,2026-01-02T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
carol,arn:aws:iam::123456789012:user/carol,2026-01-01T00:00:00+00:00,true,no_information,\
2026-01-02T00:00:00+00:00,2026-04-02T00:00:00+00:00,false,false,N/A,N/A,N/A,N/A,false,N/A,\
N/A,N/A,N/A,true,2026-01-02T00:00:00+00:00,false,2026-01-02T06:30:15+00:00
Dave,arn:aws:iam::123456789012:user/Dave,2026-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,\
true,2026-01-02T06:30:15+00:00,2026-01-05T06:30:00+00:00,us-east-1,sts,true,\
2026-01-03T06:30:15+00:00,2026-01-03T06:30:00+00:00,eu-west-1,ec2,false,N/A,false,N/A"""


def test_golden_report_every_sentinel() -> None:
    """The report, byte for byte: 22 columns, root first, N/A, no_information, not_supported."""
    account, clock = _golden_account()
    assert to_csv(rows(account.snapshot(), clock.now())) == GOLDEN
    assert report_csv(account.snapshot(), clock.now()) == GOLDEN


def test_get_credential_report_serves_the_golden_report() -> None:
    """GetCredentialReport's content is the report of the account when generation started."""
    account, _ = _golden_account()
    account.generate_credential_report()
    account.create_user(user_name="zed")  # after generation: not in this report
    account.generate_credential_report()
    assert account.get_credential_report().content == GOLDEN.encode("utf-8")


def test_golden_report_is_reproducible() -> None:
    """FixedClock + seeded entropy: two runs give the same report."""
    first, first_clock = _golden_account()
    second, second_clock = _golden_account()
    assert rows(first.snapshot(), first_clock.now()) == rows(second.snapshot(), second_clock.now())


def test_header_is_awss_column_list() -> None:
    """The 22 columns, in the order of AWS's "Understanding the report format"."""
    assert len(COLUMNS) == 22
    assert GOLDEN.splitlines()[0] == ",".join(COLUMNS)
    assert [field.name for field in attrs.fields(CredentialReportRow)] == list(COLUMNS)


def test_root_row_first_with_not_supported() -> None:
    """The first row is <root_account> with not_supported in the three password columns."""
    account = Account(clock=FixedClock(T0))
    (root,) = rows(account.snapshot(), T0)
    assert root.is_root
    assert root.user == ROOT_USER
    assert root.arn == "arn:aws:iam::123456789012:root"
    assert root.user_creation_time == T0
    assert (root.password_enabled, root.password_last_changed, root.password_next_rotation) == (
        NOT_SUPPORTED,
        NOT_SUPPORTED,
        NOT_SUPPORTED,
    )
    assert root.password_last_used == NO_INFO
    assert root.mfa_active is False
    assert root.access_key_1_active is False


def test_second_key_moves_to_slot_one_when_first_deleted(account: Account) -> None:
    """Key slots follow creation order: delete key 1 and key 2 becomes key 1."""
    account.create_user(user_name="bob")
    first = account.create_access_key(user_name="bob").access_key
    account.clock.advance(timedelta(days=1))  # type: ignore[attr-defined]
    second = account.create_access_key(user_name="bob").access_key
    account.delete_access_key(user_name="bob", access_key_id=first.access_key_id)
    (_, bob) = rows(account.snapshot(), account.clock.now())
    assert bob.access_key_1_last_rotated == second.create_date
    assert bob.access_key_2_active is False
    assert bob.access_key_2_last_rotated == N_A


def test_no_rotation_without_max_password_age(account: Account) -> None:
    """password_next_rotation is N/A when the policy sets no MaxPasswordAge."""
    account.create_user(user_name="bob")
    account.create_login_profile(user_name="bob", password=PASSWORD)
    account.update_account_password_policy(minimum_password_length=8)
    (_, bob) = rows(account.snapshot(), account.clock.now())
    assert bob.password_enabled is True
    assert bob.password_next_rotation == N_A


def test_rows_need_an_aware_time(account: Account) -> None:
    """The generation time must be timezone-aware."""
    with pytest.raises(ValueError, match="timezone-aware"):
        rows(account.snapshot(), datetime(2026, 1, 1))


# -- property: the report agrees with the account -----------------------------------

_USER_PLAN = st.fixed_dictionaries(
    {
        "password": st.sampled_from(["none", "unused", "used"]),
        "mfa": st.booleans(),
        "keys": st.lists(st.tuples(st.booleans(), st.booleans()), max_size=2),
        "certificates": st.lists(st.booleans(), max_size=2),
        "hours": st.integers(0, 3000),
    }
)


def _expected_time(value: datetime | None) -> datetime | Sentinel:
    return N_A if value is None else value


@settings(max_examples=25)
@given(
    names=st.lists(user_names(), max_size=4, unique_by=str.lower),
    plans=st.lists(_USER_PLAN, min_size=4, max_size=4),
    max_age=st.none() | st.integers(1, 1095),
)
def test_report_agrees_with_the_account(
    names: list[str], plans: list[dict[str, object]], max_age: int | None
) -> None:
    """One row per user plus root, and every column agrees with the account's own APIs."""
    clock = FixedClock(T0)
    account = Account(clock=clock, entropy=seeded_entropy(1))
    if max_age is not None:
        account.update_account_password_policy(max_password_age=max_age)
    certificates = iter(CERTIFICATES)
    for name, plan in zip(names, plans, strict=False):
        account.create_user(user_name=name)
        clock.advance(timedelta(hours=plan["hours"]))  # type: ignore[arg-type]
        if plan["password"] != "none":
            account.create_login_profile(user_name=name, password=PASSWORD)
        if plan["password"] == "used":
            account.console_sign_in(user_name=name, password=PASSWORD)
        if plan["mfa"]:
            _enable_mfa(account, clock, name)
        for active, used in plan["keys"]:  # type: ignore[attr-defined]
            clock.advance(timedelta(minutes=20))
            key = account.create_access_key(user_name=name).access_key
            if used:
                _use_key(account, key, "s3", "us-west-2")
            if not active:
                account.update_access_key(
                    user_name=name, access_key_id=key.access_key_id, status="Inactive"
                )
        for active in plan["certificates"]:  # type: ignore[attr-defined]
            cert = account.upload_signing_certificate(
                user_name=name, certificate_body=next(certificates)
            ).certificate
            if not active:
                account.update_signing_certificate(
                    user_name=name, certificate_id=cert.certificate_id, status="Inactive"
                )
    report = rows(account.snapshot(), clock.now())
    assert report_csv(account.snapshot(), clock.now()) == to_csv(report)
    assert report[0].is_root
    listed = account.list_users(max_items=1000).users
    assert [row.user for row in report[1:]] == [user.user_name for user in listed]
    for row, user in zip(report[1:], listed, strict=True):
        _check_row(account, row, user.user_name, max_age)


def _check_row(account: Account, row: CredentialReportRow, name: str, max_age: int | None) -> None:
    user = account.get_user(user_name=name).user
    assert (row.arn, row.user_creation_time) == (user.arn, user.create_date)
    profile = account.snapshot().tables["login_profiles"].get(user.user_id)  # type: ignore[union-attr]
    assert row.password_enabled is (profile is not None)
    if profile is None:
        assert row.password_last_used == (user.password_last_used or N_A)  # type: ignore[union-attr]
        assert row.password_last_changed == N_A
        assert row.password_next_rotation == N_A
    else:
        assert row.password_last_used == (user.password_last_used or NO_INFO)  # type: ignore[union-attr]
        assert row.password_last_changed == profile.password_last_changed
        expected = (
            N_A if max_age is None else profile.password_last_changed + timedelta(days=max_age)
        )
        assert row.password_next_rotation == expected
    assert row.mfa_active is bool(account.list_mfa_devices(user_name=name).mfa_devices)
    keys = account.list_access_keys(user_name=name).access_key_metadata
    for slot, key in zip(row.access_keys, [*keys, None, None], strict=False):
        if key is None:
            assert (slot.active, slot.last_rotated, slot.last_used_date) == (False, N_A, N_A)
            continue
        used = account.get_access_key_last_used(access_key_id=key.access_key_id)
        last = used.access_key_last_used
        assert slot.active is (key.status == "Active")
        assert slot.last_rotated == key.create_date
        assert slot.last_used_date == _expected_time(last.last_used_date)
        assert slot.last_used_service == (last.service_name if last.last_used_date else N_A)
        assert slot.last_used_region == (last.region if last.last_used_date else N_A)
    certs = account.list_signing_certificates(user_name=name).certificates
    cells = [
        (row.cert_1_active, row.cert_1_last_rotated),
        (row.cert_2_active, row.cert_2_last_rotated),
    ]
    for (active, rotated), cert in zip(cells, [*certs, None, None], strict=False):
        if cert is None:
            assert (active, rotated) == (False, N_A)
        else:
            assert (active, rotated) == (cert.status == "Active", cert.upload_date)


# -- property: render → parse → render ---------------------------------------------

_times = st.datetimes(
    min_value=datetime(2006, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
).map(lambda value: value.replace(microsecond=0))
_timestamps = _times | st.sampled_from(list(Sentinel))
_flags = st.booleans() | st.just(NOT_SUPPORTED)
_details = st.sampled_from(["us-east-1", "eu-west-1", "s3", "ec2", "sts"]) | st.just(N_A)


def _strategy_for(column: str) -> st.SearchStrategy[object]:
    if column == "user":
        return user_names() | st.just(ROOT_USER)
    if column == "arn":
        return user_names().map(lambda name: f"arn:aws:iam::123456789012:user/{name}")
    if column.endswith(("_active", "_enabled")):
        return _flags
    if column.endswith(("_region", "_service")):
        return _details
    return _timestamps


_rows = st.builds(CredentialReportRow, **{column: _strategy_for(column) for column in COLUMNS})


@settings(max_examples=60)
@given(report=st.lists(_rows, max_size=6))
def test_render_parse_render_is_identity(report: list[CredentialReportRow]) -> None:
    """parse_csv(to_csv(rows)) == rows and to_csv(parse_csv(text)) == text."""
    text = to_csv(report)
    parsed = parse_csv(text)
    assert parsed == tuple(report)
    assert to_csv(parsed) == text


def test_round_trip_of_golden_report() -> None:
    """The golden report parses back into the rows it came from."""
    account, clock = _golden_account()
    assert parse_csv(GOLDEN) == rows(account.snapshot(), clock.now())
    assert to_csv(parse_csv(GOLDEN.encode("utf-8"))) == GOLDEN


# -- real reports, reproduced byte for byte ------------------------------------------


def _at(clock: FixedClock, text: str) -> None:
    """Move the clock forward to ``text`` (UTC)."""
    clock.advance(datetime.fromisoformat(text).replace(tzinfo=UTC) - clock.now())


#: A real GetCredentialReport Content (base64-decoded), published in a public
#: password-expiry Lambda script: a 45-day MaxPasswordAge, a console user with MFA and a
#: CLI user whose key was created with the user. No newline after the last row.
REAL_REPORT_976168295228 = (
    ",".join(COLUMNS) + "\n"
    "<root_account>,arn:aws:iam::976168295228:root,2016-07-23T07:07:49+00:00,not_supported,"
    "2017-07-20T15:18:29+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,"
    "N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
    "robert.jackson,arn:aws:iam::976168295228:user/robert.jackson,2017-07-18T21:41:36+00:00,"
    "true,2017-08-07T15:58:16+00:00,2017-07-18T21:58:17+00:00,2017-09-01T21:58:17+00:00,true,"
    "false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
    "robert.jackson.cli,arn:aws:iam::976168295228:user/robert.jackson.cli,"
    "2017-07-19T13:34:01+00:00,false,N/A,N/A,N/A,false,true,2017-07-19T13:34:01+00:00,"
    "2017-08-10T14:16:00+00:00,us-east-1,iam,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A"
)


def test_reproduces_a_real_report_with_rotation() -> None:
    """A real AWS report, byte for byte: next rotation = last changed + MaxPasswordAge."""
    clock = FixedClock(datetime(2016, 7, 23, 7, 7, 49, tzinfo=UTC))  # the account's creation
    account = Account("976168295228", clock=clock, entropy=seeded_entropy(7))
    account.update_account_password_policy(max_password_age=45)
    _at(clock, "2017-07-18T21:41:36")
    account.create_user(user_name="robert.jackson")
    _at(clock, "2017-07-18T21:58:17")
    account.create_login_profile(user_name="robert.jackson", password=PASSWORD)
    _at(clock, "2017-07-19T13:34:01")
    account.create_user(user_name="robert.jackson.cli")
    key = account.create_access_key(user_name="robert.jackson.cli").access_key
    _at(clock, "2017-07-20T15:18:29")
    account.set_root_credentials(password_last_used=clock.now(), mfa_active=True)
    _at(clock, "2017-08-07T15:50:00")
    seed = _enable_mfa(account, clock, "robert.jackson")
    _at(clock, "2017-08-07T15:58:16")
    assert account.console_sign_in(
        user_name="robert.jackson", password=PASSWORD, mfa_code=totp_code(seed, clock)
    ).success
    _at(clock, "2017-08-10T14:16:00")
    _use_key(account, key, "iam", "us-east-1")
    _at(clock, "2017-08-11T00:00:00")
    assert report_csv(account.snapshot(), clock.now()) == REAL_REPORT_976168295228
    assert to_csv(parse_csv(REAL_REPORT_976168295228)) == REAL_REPORT_976168295228


#: A real report's Content, anonymised ("fakearn"), from the test suite of the open-source
#: `oil` auditing tool (IAMBarrel): passwords changed after first use, MFA, a key used in
#: ap-southeast-1, keys never used (N/A in the three last-used columns), no MaxPasswordAge.
REAL_REPORT_FAKEARN = (
    ",".join(COLUMNS) + "\n"
    "<root_account>,arn:aws:iam::fakearn:root,2017-06-10T02:35:07+00:00,not_supported,"
    "2017-10-22T08:11:09+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,"
    "N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
    "example.user,arn:aws:iam::fakearn:user/example.user,2017-06-10T02:43:37+00:00,true,"
    "2017-06-10T02:45:16+00:00,2017-06-10T02:45:50+00:00,N/A,false,true,"
    "2017-06-10T02:47:48+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
    "fakeuser,arn:aws:iam::fakearn:user/fakeuser,2017-07-01T02:18:08+00:00,true,"
    "2017-07-01T02:21:06+00:00,2017-10-22T08:12:28+00:00,N/A,true,true,"
    "2017-10-22T08:12:39+00:00,2017-11-08T18:39:00+00:00,ap-southeast-1,ec2,false,N/A,N/A,"
    "N/A,N/A,false,N/A,false,N/A\n"
    "final.user,arn:aws:iam::fakearn:user/final.user,2017-06-10T02:42:36+00:00,true,"
    "2017-06-10T16:19:22+00:00,2017-06-10T16:19:07+00:00,N/A,false,true,"
    "2017-06-10T02:42:36+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A"
)


def test_reproduces_a_real_report_without_rotation() -> None:
    """A second real report, byte for byte: N/A rotation, unused keys N/A, users by name."""
    clock = FixedClock(datetime(2017, 6, 10, 2, 35, 7, tzinfo=UTC))
    account = Account("111111111111", clock=clock, entropy=seeded_entropy(7))
    other = "Another-Horse-Battery-43!"
    _at(clock, "2017-06-10T02:42:36")
    account.create_user(user_name="final.user")
    account.create_access_key(user_name="final.user")
    _at(clock, "2017-06-10T02:43:37")
    account.create_user(user_name="example.user")
    account.create_login_profile(user_name="example.user", password=PASSWORD)
    _at(clock, "2017-06-10T02:45:16")
    assert account.console_sign_in(user_name="example.user", password=PASSWORD).success
    _at(clock, "2017-06-10T02:45:50")
    account.update_login_profile(user_name="example.user", password=other)
    _at(clock, "2017-06-10T02:47:48")
    account.create_access_key(user_name="example.user")
    _at(clock, "2017-06-10T16:19:07")
    account.create_login_profile(user_name="final.user", password=PASSWORD)
    _at(clock, "2017-06-10T16:19:22")
    assert account.console_sign_in(user_name="final.user", password=PASSWORD).success
    _at(clock, "2017-07-01T02:18:08")
    account.create_user(user_name="fakeuser")
    account.create_login_profile(user_name="fakeuser", password=PASSWORD)
    _at(clock, "2017-07-01T02:21:06")
    assert account.console_sign_in(user_name="fakeuser", password=PASSWORD).success
    _at(clock, "2017-10-22T08:11:09")
    account.set_root_credentials(password_last_used=clock.now(), mfa_active=True)
    _at(clock, "2017-10-22T08:12:28")
    account.update_login_profile(user_name="fakeuser", password=other)
    _at(clock, "2017-10-22T08:12:39")
    key = account.create_access_key(user_name="fakeuser").access_key
    _enable_mfa(account, clock, "fakeuser")
    _at(clock, "2017-11-08T18:39:00")
    _use_key(account, key, "ec2", "ap-southeast-1")
    _at(clock, "2017-11-09T00:00:00")
    text = report_csv(account.snapshot(), clock.now()).replace("111111111111", "fakearn")
    assert text == REAL_REPORT_FAKEARN


def test_password_deleted_keeps_its_last_use(account: Account) -> None:
    """No password but a recorded sign-in: password_enabled false, password_last_used the date.

    AWS keeps PasswordLastUsed when console access is removed (aws-quickstart
    quickstart-compliance-cis-benchmark issue #25, prowler issue #231), and real reports show
    ``false`` followed by a date (guardian/security-hq's report fixture, user
    ``with-disabled-key``); a user who never signed in stays ``N/A``.
    """
    account.create_user(user_name="bob")
    account.create_login_profile(user_name="bob", password=PASSWORD)
    account.clock.advance(timedelta(hours=1))  # type: ignore[attr-defined]
    assert account.console_sign_in(user_name="bob", password=PASSWORD).success
    signed_in = account.clock.now()
    account.delete_login_profile(user_name="bob")
    account.create_user(user_name="carol")
    (_, bob, carol) = rows(account.snapshot(), account.clock.now())
    assert (bob.password_enabled, bob.password_last_used) == (False, signed_in)
    assert (bob.password_last_changed, bob.password_next_rotation) == (N_A, N_A)
    assert (carol.password_enabled, carol.password_last_used) == (False, N_A)


# -- the parser: real reports --------------------------------------------------------


def test_fixture_documented_format_uppercase() -> None:
    """A report with TRUE/FALSE as the user guide writes them parses, and renders lower case."""
    text = (FIXTURES / "credential_report_documented.csv").read_text("utf-8")
    report = parse_csv(text)
    assert [row.user for row in report] == [ROOT_USER, "Alice", "svc.deploy@example.com"]
    root, alice, service = report
    assert root.password_enabled == NOT_SUPPORTED
    assert root.mfa_active is True
    assert alice.password_enabled is True
    assert alice.mfa_active is False
    assert alice.password_last_used == datetime(2017, 6, 10, 2, 35, 7, tzinfo=UTC)
    assert alice.password_next_rotation == N_A
    assert service.password_last_used == N_A
    assert service.access_key_1_last_used_region == N_A
    assert service.access_key_1_last_used_service == "s3"
    assert "TRUE" not in to_csv(report)
    assert ",true," in to_csv(report)


def test_fixture_real_report_lowercase() -> None:
    """A report as GetCredentialReport returns it (lower case, commas in names) round trips."""
    text = (FIXTURES / "credential_report_real.csv").read_text("utf-8")
    report = parse_csv(text)
    assert to_csv(report) == text.rstrip("\n")
    names = [row.user for row in report]
    assert names[0] == ROOT_USER
    assert "ops,admin" in names
    never = next(row for row in report if row.user == "never-signed-in")
    assert never.password_last_used == NO_INFO
    inactive = next(row for row in report if row.user == "ops,admin")
    assert inactive.access_key_2_active is False
    assert inactive.access_key_2_last_rotated == datetime(2019, 4, 2, 20, 45, 11, tzinfo=UTC)


def test_parser_tolerates_variants() -> None:
    """BOM, CRLF, trailing newlines, Z offsets, other offsets, sentinel casing, column order."""
    header = list(COLUMNS)
    header[2], header[3] = header[3], header[2]
    values = [
        "alice",
        "arn:aws:iam::123456789012:user/alice",
        "True",
        "2026-01-01T01:00:00+01:00",
        "n/a",
        "NOT_SUPPORTED",
        "No_Information",
        "",
        "FALSE",
        "2026-01-02T00:00:00Z",
        *["N/A"] * 12,
    ]
    text = "\ufeff" + ",".join([*header, "extra"]) + "\r\n" + ",".join([*values, "x"]) + "\r\n\n"
    (row,) = parse_csv(text.encode("utf-8"))
    assert row.password_enabled is True
    assert row.user_creation_time == datetime(2026, 1, 1, tzinfo=UTC)
    assert row.password_last_used == N_A
    assert row.password_last_changed == NOT_SUPPORTED
    assert row.password_next_rotation == NO_INFO
    assert row.mfa_active == N_A
    assert row.access_key_1_active is False
    assert row.access_key_1_last_rotated == datetime(2026, 1, 2, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("user,arn\nalice,arn", "missing column"),
        (",".join(COLUMNS) + "\nalice,arn", "line 2: expected 22 values, found 2"),
        (",".join(COLUMNS) + "\n" + ",".join(["a", "b", "N/A", "yes", *["N/A"] * 18]), "line 2"),
        (",".join(COLUMNS) + "\n" + ",".join(["a", "b", "yesterday", *["N/A"] * 19]), "line 2"),
        (b"\xff\xfe", "UTF-8"),
    ],
)
def test_parser_rejects_what_is_no_report(text: str | bytes, message: str) -> None:
    """Missing columns, short rows, bad values: CredentialReportFormatError (a ValueError)."""
    with pytest.raises(CredentialReportFormatError, match=message):
        parse_csv(text)


# -- the root user's credentials ------------------------------------------------------


def test_set_root_credentials_shows_in_report(account: Account) -> None:
    """set_root_credentials: password last use, MFA and up to two keys appear in the root row."""
    later = T0 + timedelta(days=3)
    account.set_root_credentials(
        password_last_used=later,
        mfa_active=True,
        access_keys=[
            {"status": "Inactive", "create_date": T0 + timedelta(days=1)},
            {
                "create_date": T0,
                "last_used": {
                    "last_used_date": later,
                    "region": "us-east-1",
                    "service_name": "ec2",
                },
            },
        ],
    )
    (root,) = rows(account.snapshot(), later)
    assert (root.password_last_used, root.mfa_active) == (later, True)
    key_1, key_2 = root.access_keys
    assert (key_1.active, key_1.last_rotated, key_1.last_used_service) == (True, T0, "ec2")
    assert (key_2.active, key_2.last_rotated, key_2.last_used_date) == (
        False,
        T0 + timedelta(days=1),
        N_A,
    )
    account.set_root_credentials(mfa_active=False)  # the others are kept
    (root,) = rows(account.snapshot(), later)
    assert root.password_last_used == later
    assert root.access_key_1_active is True


@pytest.mark.parametrize(
    "kwargs",
    [
        {"mfa_active": "yes"},
        {"password_last_used": datetime(2026, 1, 1)},
        {"access_keys": [{"create_date": T0}] * 3},
        {"access_keys": [{"create_date": T0, "status": "Expired"}]},
        {"access_keys": [{"create_date": T0, "colour": "red"}]},
        {"access_keys": "AKIA"},
        {
            "access_keys": [
                {"create_date": T0, "last_used": {"last_used_date": T0 - timedelta(days=1)}}
            ]
        },
    ],
)
def test_set_root_credentials_rejects_bad_values(
    account: Account, kwargs: dict[str, object]
) -> None:
    """Bad root credentials are a ValidationError and change nothing."""
    before = account.snapshot()
    with pytest.raises(ValidationError):
        account.set_root_credentials(**kwargs)  # type: ignore[arg-type]
    assert fresh_snapshot(account) == before
