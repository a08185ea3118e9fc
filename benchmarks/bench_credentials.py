"""Credentials workload: access keys, login profiles, MFA -- iamcore vs moto, one run.

    python benchmarks/bench_credentials.py            # 1,000 users, 3 repetitions
    python benchmarks/bench_credentials.py --quick    # 200 users, 1 repetition

On a fresh target each repetition, for N users: CreateUser (untimed setup),
CreateAccessKey, UpdateAccessKey (to Inactive), CreateLoginProfile at the
*testing* Scrypt cost (``iamcore.testing.FAST_SCRYPT``-style, N - K users)
and at the *configured* cost (the process default, a 16 MiB Scrypt; only K
users, ``--hashed K``, default 10, because each call takes tens of ms),
CreateVirtualMFADevice and EnableMFADevice with two consecutive TOTP codes.

iamcore's targets read a fixed clock, so the codes (computed untimed between
the two MFA phases) stay valid; moto accepts any codes and stores passwords
in plain text, so its login-profile figures are the same at both costs.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from common import ACCOUNT_ID, REGION, TARGETS, Phase

PASSWORD = "Bench-Passw0rd!"  # meets AWS's default password policy
HASHED = 10  # users whose login profile is hashed at the configured cost


def name(i: int) -> str:
    return f"cred-{i:05d}"


def device(i: int) -> str:
    return f"mfa-{i:05d}"


def _testing_cost() -> Any:
    from iamcore.passwords import FAST_COST

    return FAST_COST


def _hashed(n: int) -> int:
    return min(HASHED, n // 2)


PHASES = [
    Phase("user", lambda n: list(range(n)), label="CreateUser (setup)", shown=False),
    Phase("create_key", lambda n: list(range(n)), label="CreateAccessKey"),
    Phase("update_key", lambda n: list(range(n)), label="UpdateAccessKey (Inactive)"),
    Phase(
        "login_testing",
        lambda n: list(range(_hashed(n), n)),
        label="CreateLoginProfile, testing Scrypt cost",
    ),
    Phase(
        "login_configured",
        lambda n: list(range(_hashed(n))),
        label="CreateLoginProfile, configured Scrypt cost",
    ),
    Phase("virtual_mfa", lambda n: list(range(n)), label="CreateVirtualMFADevice"),
    Phase("codes", lambda n: list(range(n)), label="(TOTP codes, untimed)", shown=False),
    Phase("enable_mfa", lambda n: list(range(n)), label="EnableMFADevice"),
]


class _Codes:
    """Two consecutive TOTP codes per device, for the clock the target reads."""

    def __init__(self, clock: Any = None) -> None:
        self.clock = clock
        self.seeds: dict[int, Any] = {}
        self.serials: dict[int, str] = {}
        self.pairs: dict[int, tuple[str, str]] = {}
        self.keys: dict[int, str] = {}

    def codes_for(self, i: int) -> None:
        from iamcore import totp

        seed = self.seeds.get(i)
        if seed is None or self.clock is None:  # moto / floor: any six digits
            self.pairs[i] = ("123456", "654321")
            return
        step = totp.time_step(self.clock.now())
        self.pairs[i] = (totp.code_for_step(seed, step - 1), totp.code_for_step(seed, step))


class Native(_Codes):
    """iamcore's native API."""

    def __init__(self, account: Any) -> None:
        super().__init__(account.clock)
        self.account = account

    def user(self, i: int) -> None:
        self.account.create_user(user_name=name(i))

    def create_key(self, i: int) -> None:
        key = self.account.create_access_key(user_name=name(i)).access_key
        self.keys[i] = key.access_key_id

    def update_key(self, i: int) -> None:
        self.account.update_access_key(
            user_name=name(i), access_key_id=self.keys[i], status="Inactive"
        )

    def login_testing(self, i: int) -> None:
        self.account.password_hash_cost = _testing_cost()
        self.account.create_login_profile(user_name=name(i), password=PASSWORD)

    def login_configured(self, i: int) -> None:
        self.account.password_hash_cost = None  # the configured (process default) cost
        self.account.create_login_profile(user_name=name(i), password=PASSWORD)

    def virtual_mfa(self, i: int) -> None:
        made = self.account.create_virtual_mfa_device(virtual_mfa_device_name=device(i))
        self.serials[i] = made.virtual_mfa_device.serial_number
        self.seeds[i] = made.virtual_mfa_device.base32_string_seed

    def codes(self, i: int) -> None:
        self.codes_for(i)

    def enable_mfa(self, i: int) -> None:
        code1, code2 = self.pairs[i]
        self.account.enable_mfa_device(
            user_name=name(i),
            serial_number=self.serials[i],
            authentication_code1=code1,
            authentication_code2=code2,
        )


class MotoBackend(_Codes):
    """moto's IAM backend object, called directly."""

    def __init__(self, backend: Any) -> None:
        super().__init__()
        self.backend = backend

    def user(self, i: int) -> None:
        self.backend.create_user(REGION, user_name=name(i))

    def create_key(self, i: int) -> None:
        self.keys[i] = self.backend.create_access_key(name(i)).access_key_id

    def update_key(self, i: int) -> None:
        self.backend.update_access_key(name(i), self.keys[i], "Inactive")

    def login_testing(self, i: int) -> None:
        self.backend.create_login_profile(name(i), PASSWORD)

    login_configured = login_testing  # moto does not hash passwords

    def virtual_mfa(self, i: int) -> None:
        self.serials[i] = self.backend.create_virtual_mfa_device(device(i), "/").serial_number

    def codes(self, i: int) -> None:
        self.codes_for(i)

    def enable_mfa(self, i: int) -> None:
        code1, code2 = self.pairs[i]
        self.backend.enable_mfa_device(name(i), self.serials[i], code1, code2)


class Boto3(_Codes):
    """A boto3 IAM client (iamcore's mock, moto's mock_aws or the floor)."""

    def __init__(self, client: Any, account: Any = None) -> None:
        super().__init__(account.clock if account is not None else None)
        self.client = client
        self.account = account

    def user(self, i: int) -> None:
        self.client.create_user(UserName=name(i))

    def create_key(self, i: int) -> None:
        self.keys[i] = self.client.create_access_key(UserName=name(i))["AccessKey"]["AccessKeyId"]

    def update_key(self, i: int) -> None:
        self.client.update_access_key(
            UserName=name(i), AccessKeyId=self.keys[i], Status="Inactive"
        )

    def _cost(self, cost: Any) -> None:
        if self.account is not None:
            self.account.password_hash_cost = cost

    def login_testing(self, i: int) -> None:
        self._cost(_testing_cost())
        self.client.create_login_profile(UserName=name(i), Password=PASSWORD)

    def login_configured(self, i: int) -> None:
        self._cost(None)
        self.client.create_login_profile(UserName=name(i), Password=PASSWORD)

    def virtual_mfa(self, i: int) -> None:
        made = self.client.create_virtual_mfa_device(VirtualMFADeviceName=device(i))
        self.serials[i] = made["VirtualMFADevice"]["SerialNumber"]
        if self.account is not None:
            self.seeds[i] = made["VirtualMFADevice"]["Base32StringSeed"]

    def codes(self, i: int) -> None:
        self.codes_for(i)

    def enable_mfa(self, i: int) -> None:
        code1, code2 = self.pairs[i]
        self.client.enable_mfa_device(
            UserName=name(i),
            SerialNumber=self.serials[i],
            AuthenticationCode1=code1,
            AuthenticationCode2=code2,
        )


# -- factories ----------------------------------------------------------------------------


def _fixed_clock() -> Any:
    from iamcore.testing import FixedClock

    return FixedClock()


@contextlib.contextmanager
def native(n: int) -> Iterator[Native]:
    with common.native_account(clock=_fixed_clock()) as account:
        yield Native(account)


@contextlib.contextmanager
def mock(n: int) -> Iterator[Boto3]:
    with common.iamcore_mock(clock=_fixed_clock()) as (account, client):
        yield Boto3(client, account)


@contextlib.contextmanager
def moto_backend(n: int) -> Iterator[MotoBackend]:
    with common.moto_fresh_backend() as backend:
        yield MotoBackend(backend)


@contextlib.contextmanager
def moto_mock(n: int) -> Iterator[Boto3]:
    with common.moto_mock() as client:
        yield Boto3(client)


@contextlib.contextmanager
def floor(n: int) -> Iterator[Boto3]:
    created = common.now()
    meta = {"ResponseMetadata": common.response_metadata()}
    canned = {
        "CreateUser": {
            "User": {
                "Path": "/",
                "UserName": name(0),
                "UserId": "AIDA" + "A" * 17,
                "Arn": f"arn:aws:iam::{ACCOUNT_ID}:user/{name(0)}",
                "CreateDate": created,
            },
            **meta,
        },
        "CreateAccessKey": {
            "AccessKey": {
                "UserName": name(0),
                "AccessKeyId": "AKIA" + "A" * 16,
                "Status": "Active",
                "SecretAccessKey": "s" * 40,
                "CreateDate": created,
            },
            **meta,
        },
        "CreateLoginProfile": {
            "LoginProfile": {
                "UserName": name(0),
                "CreateDate": created,
                "PasswordResetRequired": False,
            },
            **meta,
        },
        "CreateVirtualMFADevice": {
            "VirtualMFADevice": {
                "SerialNumber": f"arn:aws:iam::{ACCOUNT_ID}:mfa/{device(0)}",
                "Base32StringSeed": b"A" * 64,
                "QRCodePNG": b"\x89PNG\r\n\x1a\n" + b"\x00" * 600,
            },
            **meta,
        },
    }

    def answer(operation: str, params: dict[str, Any]) -> dict[str, Any]:
        return canned.get(operation, meta)

    with common.floor_client(answer) as client:
        yield Boto3(client)


FACTORIES: dict[str, common.DriverFactory] = {
    "native": native,
    "moto_backend": moto_backend,
    "mock": mock,
    "moto_mock": moto_mock,
    "floor": floor,
}


def main(argv: list[str] | None = None) -> int:
    global HASHED
    p = common.parser(__doc__.splitlines()[0], users=1000)
    p.add_argument(
        "--hashed",
        type=int,
        default=HASHED,
        help=f"login profiles hashed at the configured cost (default {HASHED})",
    )
    args = common.parse(p, argv)
    HASHED = args.hashed
    n = args.users
    targets = [t for t in TARGETS if t in args.targets]
    common.log(f"credentials workload: {n} users, {args.repeats} repetitions, targets {targets}")
    started = time.perf_counter()
    header = common.machine()
    timings = common.run_family(
        {t: FACTORIES[t] for t in targets}, PHASES, n, args.repeats, warmup=min(n, 20)
    )
    from iamcore.passwords import DEFAULT_COST, FAST_COST, default_cost

    cost = default_cost()
    markdown = "\n".join(
        [
            f"## Credentials: {n:,} users, median of {args.repeats} repetitions\n",
            header,
            common.table(
                f"Per-call medians (µs) and ratios, {n:,} users "
                f"({_hashed(n)} login profiles at the configured cost)",
                PHASES,
                timings,
                targets,
            ),
            f"Scrypt costs: configured n={cost.n}, r={cost.r}, p={cost.p}"
            f"{' (the default)' if cost == DEFAULT_COST else ''}; testing n={FAST_COST.n}, "
            f"r={FAST_COST.r}, p={FAST_COST.p}. moto stores login passwords in plain text "
            "and accepts any MFA codes.\n",
            f"Run time {time.perf_counter() - started:.0f} s; command: "
            f"{common.command('bench_credentials.py', argv)}.\n",
        ]
    )
    common.emit(markdown, args.markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
