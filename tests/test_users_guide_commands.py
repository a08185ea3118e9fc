"""Every ``aws iam`` command of the IAM users guide runs verbatim as ``iamcore``.

The commands below are those of ``shared/reference/iam-users-guide.txt``,
word for word, with ``aws iam`` replaced by ``iamcore`` and run by bash
(line continuations, quoting and the ``| base64 -d`` pipe included).  Where
the page's sample values cannot work on a real account (its made-up access
key ID and MFA codes, a user name already taken), iamcore answers with the
error AWS gives; the test then runs the same step with real values.
"""

from __future__ import annotations

import json
import os
import pathlib
import shlex
import subprocess
import sys

import pytest

from iamcore.persistence import StateFile
from iamcore.testing import totp_code


class Shell:
    """Runs bash with ``iamcore`` bound to this interpreter and one state file."""

    def __init__(self, tmp_path: pathlib.Path) -> None:
        self.cwd = tmp_path
        self.state = tmp_path / "state.json"
        self.env = {**os.environ, "IAMCORE_STATE": str(self.state)}
        self.prelude = f'iamcore() {{ {shlex.quote(sys.executable)} -m iamcore "$@"; }}\n'

    def run(self, script: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-c", self.prelude + script],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def ok(self, script: str) -> object:
        result = self.run(script)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout) if result.stdout.strip() else None

    def fails(self, script: str, code: str) -> None:
        result = self.run(script)
        assert result.returncode == 254, (result.returncode, result.stdout, result.stderr)
        assert f"An error occurred ({code})" in result.stderr


@pytest.fixture
def sh(tmp_path: pathlib.Path) -> Shell:
    return Shell(tmp_path)


def test_users_guide_commands_verbatim(sh: Shell) -> None:
    """The page's commands, in a workable order, behave as on AWS."""
    user = sh.ok("iamcore create-user --user-name developer")
    assert user["User"]["UserName"] == "developer"
    assert user["User"]["Arn"] == "arn:aws:iam::123456789012:user/developer"
    assert user["User"]["UserId"].startswith("AIDA")

    key = sh.ok("iamcore create-access-key --user-name developer")
    assert key["AccessKey"]["UserName"] == "developer"
    assert key["AccessKey"]["Status"] == "Active"
    assert key["AccessKey"]["AccessKeyId"].startswith("AKIA")
    assert len(key["AccessKey"]["SecretAccessKey"]) == 40

    sh.fails(
        "iamcore add-user-to-group \\\n--user-name developer \\\n--group-name Developers",
        "NoSuchEntity",
    )
    sh.ok("iamcore create-group --group-name Developers")
    sh.ok("iamcore add-user-to-group \\\n--user-name developer \\\n--group-name Developers")

    sh.ok(
        "iamcore create-login-profile \\\n--user-name developer \\\n"
        '--password "TempPassword123!" \\\n--password-reset-required'
    )

    device = sh.ok(
        "# Create virtual MFA device\n"
        "iamcore create-virtual-mfa-device \\\n--virtual-mfa-device-name developer-mfa \\\n"
        "--outfile /tmp/qrcode.png \\\n--bootstrap-method QRCodePNG"
    )
    serial = device["VirtualMFADevice"]["SerialNumber"]
    assert serial == "arn:aws:iam::123456789012:mfa/developer-mfa"
    assert "QRCodePNG" not in device["VirtualMFADevice"]
    assert pathlib.Path("/tmp/qrcode.png").read_bytes().startswith(b"\x89PNG")
    sh.fails(
        "# Enable MFA for user\n"
        "iamcore enable-mfa-device \\\n--user-name developer \\\n"
        "--serial-number arn:aws:iam::123456789012:mfa/developer-mfa \\\n"
        "--authentication-code1 123456 \\\n--authentication-code2 789012",
        "InvalidAuthenticationCode",
    )

    sh.fails(
        "iamcore create-user \\\n--user-name developer \\\n--path /engineering/backend/",
        "EntityAlreadyExists",
    )
    sh.ok("iamcore create-user \\\n--user-name backend-dev \\\n--path /engineering/backend/")
    listed = sh.ok("iamcore list-users --path-prefix /engineering/")
    assert [u["UserName"] for u in listed["Users"]] == ["backend-dev"]

    sh.fails(
        "iamcore put-user-permissions-boundary \\\n--user-name developer \\\n"
        "--permissions-boundary arn:aws:iam::123456789012:policy/DeveloperBoundary",
        "NoSuchEntity",
    )
    boundary = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:*", "cloudwatch:*"], "Resource": "*"}],
    }
    (sh.cwd / "boundary.json").write_text(json.dumps(boundary))
    sh.ok(
        "iamcore create-policy --policy-name DeveloperBoundary "
        "--policy-document file://boundary.json"
    )
    sh.ok(
        "iamcore put-user-permissions-boundary \\\n--user-name developer \\\n"
        "--permissions-boundary arn:aws:iam::123456789012:policy/DeveloperBoundary"
    )
    shown = sh.ok("iamcore get-user --user-name developer")
    assert shown["User"]["PermissionsBoundary"] == {
        "PermissionsBoundaryType": "Policy",
        "PermissionsBoundaryArn": "arn:aws:iam::123456789012:policy/DeveloperBoundary",
    }

    new_key = sh.ok("iamcore create-access-key --user-name developer")
    sh.fails(
        "iamcore update-access-key \\\n--user-name developer \\\n"
        "--access-key-id AKIAIOSFODNN7EXAMPLE \\\n--status Inactive",
        "NoSuchEntity",
    )
    old_id = key["AccessKey"]["AccessKeyId"]
    sh.ok(
        f"iamcore update-access-key \\\n--user-name developer \\\n"
        f"--access-key-id {old_id} \\\n--status Inactive"
    )
    sh.fails(
        "iamcore delete-access-key \\\n--user-name developer \\\n"
        "--access-key-id AKIAIOSFODNN7EXAMPLE",
        "NoSuchEntity",
    )
    sh.ok(f"iamcore delete-access-key \\\n--user-name developer \\\n--access-key-id {old_id}")
    keys = sh.ok("iamcore list-access-keys --user-name developer")
    assert [k["AccessKeyId"] for k in keys["AccessKeyMetadata"]] == [
        new_key["AccessKey"]["AccessKeyId"]
    ]

    sh.ok(
        "iamcore update-account-password-policy \\\n--minimum-password-length 14 \\\n"
        "--require-symbols \\\n--require-numbers \\\n--require-uppercase-characters \\\n"
        "--require-lowercase-characters \\\n--allow-users-to-change-password \\\n"
        "--max-password-age 90 \\\n--password-reuse-prevention 24"
    )
    policy = sh.ok("iamcore get-account-password-policy")["PasswordPolicy"]
    assert policy["MinimumPasswordLength"] == 14
    assert policy["ExpirePasswords"] is True
    assert policy["PasswordReusePrevention"] == 24

    sh.ok(
        "iamcore tag-user \\\n--user-name developer \\\n"
        "--tags Key=Department,Value=Engineering Key=CostCenter,Value=12345"
    )
    tags = sh.ok("iamcore list-user-tags --user-name developer")["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {
        "Department": "Engineering",
        "CostCenter": "12345",
    }

    started = sh.ok("iamcore generate-credential-report")
    assert started["State"] in {"STARTED", "COMPLETE"}
    sh.ok("iamcore generate-credential-report")
    report = sh.run("iamcore get-credential-report --output text --query Content | base64 -d")
    assert report.returncode == 0, report.stderr
    lines = report.stdout.splitlines()
    assert lines[0].startswith("user,arn,user_creation_time,password_enabled")
    assert lines[1].startswith("<root_account>,arn:aws:iam::123456789012:root,")
    assert any(line.startswith("developer,") for line in lines)

    sh.fails(
        "iamcore get-access-key-last-used --access-key-id AKIAIOSFODNN7EXAMPLE", "AccessDenied"
    )
    used = sh.ok(
        f"iamcore get-access-key-last-used --access-key-id {new_key['AccessKey']['AccessKeyId']}"
    )
    assert used["UserName"] == "developer"
    assert used["AccessKeyLastUsed"]["ServiceName"] == "N/A"


def test_enable_mfa_with_real_codes(sh: Shell) -> None:
    """With two consecutive codes from the device's seed, enable-mfa-device succeeds."""
    sh.ok("iamcore create-user --user-name developer")
    sh.ok(
        "iamcore create-virtual-mfa-device --virtual-mfa-device-name developer-mfa "
        "--outfile seed.txt --bootstrap-method Base32StringSeed"
    )
    seed = (sh.cwd / "seed.txt").read_bytes()
    clock = StateFile(sh.state).load().clock
    first, second = totp_code(seed, clock, -1), totp_code(seed, clock, 0)
    sh.ok(
        "iamcore enable-mfa-device --user-name developer "
        "--serial-number arn:aws:iam::123456789012:mfa/developer-mfa "
        f"--authentication-code1 {first} --authentication-code2 {second}"
    )
    devices = sh.ok("iamcore list-mfa-devices --user-name developer")["MFADevices"]
    assert [d["SerialNumber"] for d in devices] == ["arn:aws:iam::123456789012:mfa/developer-mfa"]
