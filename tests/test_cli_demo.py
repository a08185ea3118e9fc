"""The ``iamcore`` command line: ``demo`` walks the IAM users guide; ``--version``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from iamcore import __version__
from iamcore.cli import main

#: the user part of the IAM users guide, in order (the guide's second user is renamed
#: backend-dev in the demo, since `developer` already exists by then)
GUIDE_COMMANDS = [
    "aws iam create-user --user-name developer",
    "aws iam add-user-to-group --user-name developer --group-name Developers",
    "aws iam create-user --user-name backend-dev --path /engineering/backend/",
    "aws iam list-users --path-prefix /engineering/",
    "aws iam tag-user --user-name developer --tags Key=Department,Value=Engineering "
    "Key=CostCenter,Value=12345",
]


#: the AWS CLI commands of the users, groups and user-tags operations
USER_PART = {
    "create-user",
    "get-user",
    "list-users",
    "update-user",
    "delete-user",
    "create-group",
    "get-group",
    "list-groups",
    "update-group",
    "delete-group",
    "add-user-to-group",
    "remove-user-from-group",
    "list-groups-for-user",
    "tag-user",
    "untag-user",
    "list-user-tags",
}


def _steps(output: str) -> list[tuple[str, str]]:
    """Split demo output into (command, what it printed) pairs."""
    steps: list[tuple[str, list[str]]] = []
    for line in output.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif line.startswith(("## ", "# ")) or not steps:
            continue  # headings and narration
        else:
            steps[-1][1].append(line)
    return [(command, "\n".join(lines).strip()) for command, lines in steps]


def _check_demo_output(output: str, account_id: str = "123456789012") -> None:
    steps = _steps(output)
    commands = [command for command, _ in steps]
    positions = [commands.index(command) for command in GUIDE_COMMANDS]
    assert positions == sorted(positions)
    printed = dict(steps)
    created = json.loads(printed["aws iam create-user --user-name developer"])["User"]
    assert created["UserName"] == "developer"
    assert created["UserId"].startswith("AIDA")
    assert created["Arn"] == f"arn:aws:iam::{account_id}:user/developer"
    listed = json.loads(printed["aws iam list-users --path-prefix /engineering/"])
    assert [u["UserName"] for u in listed["Users"]] == ["backend-dev"]
    assert "IsTruncated" not in listed  # the AWS CLI pages list-users itself
    assert printed[GUIDE_COMMANDS[1]] == ""  # AddUserToGroup prints nothing
    for command, text in steps:
        words = command.split()
        if words[:2] != ["aws", "iam"] or words[2] not in USER_PART or not text:
            continue
        if text.startswith("An error occurred ("):
            assert " when calling the " in text
        else:
            json.loads(text)  # every other answer of these is the AWS CLI's JSON


def test_demo_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    """`iamcore demo` exits 0 and prints the guide's user commands with AWS CLI output."""
    assert main(["demo"]) == 0
    _check_demo_output(capsys.readouterr().out)


def test_demo_shows_case_insensitive_names(capsys: pytest.CaptureFixture[str]) -> None:
    """The demo shows a case-variant CreateUser failing as the AWS CLI prints it."""
    main(["demo"])
    printed = dict(_steps(capsys.readouterr().out))
    assert printed["aws iam create-user --user-name DEVELOPER"] == (
        "An error occurred (EntityAlreadyExists) when calling the CreateUser operation: "
        "User with name DEVELOPER already exists."
    )


def test_demo_password_policy_step(capsys: pytest.CaptureFixture[str]) -> None:
    """The password policy step shows the policy at work: a weak new password is refused
    with PasswordPolicyViolation and a strong one goes through (the developer's boundary
    allows iam:ChangePassword, as a self-service boundary must)."""
    main(["demo"])
    printed = dict(_steps(capsys.readouterr().out))
    weak = 'aws iam change-password --old-password "TempPassword123!" --new-password "Short1!"'
    assert printed[weak] == (
        "An error occurred (PasswordPolicyViolation) when calling the ChangePassword "
        "operation: Password does not conform to the account password policy."
    )
    strong = (
        'aws iam change-password --old-password "TempPassword123!" '
        '--new-password "Correct-Horse-42-Battery"'
    )
    assert printed[strong] == ""


def test_demo_account_id(capsys: pytest.CaptureFixture[str]) -> None:
    """`iamcore demo --account-id` puts that account in every ARN."""
    assert main(["demo", "--account-id", "210987654321"]) == 0
    _check_demo_output(capsys.readouterr().out, "210987654321")


def test_demo_as_a_module() -> None:
    """`python -m iamcore demo` runs in a fresh interpreter and exits 0."""
    completed = subprocess.run(
        [sys.executable, "-m", "iamcore", "demo"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    _check_demo_output(completed.stdout)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """`iamcore --version` prints the version and exits 0."""
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"iamcore {__version__}"


def test_version_as_a_module() -> None:
    """`python -m iamcore --version` works too."""
    completed = subprocess.run(
        [sys.executable, "-m", "iamcore", "--version"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 0
    assert completed.stdout.strip() == f"iamcore {__version__}"


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    """`iamcore` alone prints its usage and exits 0."""
    assert main([]) == 0
    assert "usage: iamcore" in capsys.readouterr().out


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown command is answered as the AWS CLI answers one: "Invalid choice", close
    matches, exit status 252 (iamcore's own commands are demo and audit)."""
    assert main(["get-usr"]) == 252
    err = capsys.readouterr().err
    assert "aws: error: argument operation: Invalid choice" in err
    assert "* get-user" in err
