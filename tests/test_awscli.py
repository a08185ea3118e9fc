"""``iamcore <command>``: the AWS CLI's ``aws iam`` commands over a state file."""

from __future__ import annotations

import io
import json
import pathlib

import pytest

from iamcore import awscli


class Cli:
    """Runs iamcore commands against one state file, capturing output."""

    def __init__(self, path: pathlib.Path) -> None:
        self.state = str(path)

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        status = awscli.main([*argv, "--state", self.state], out, err)
        return status, out.getvalue(), err.getvalue()

    def json(self, *argv: str) -> object:
        status, out, err = self(*argv)
        assert status == 0, err
        return json.loads(out) if out else None


@pytest.fixture
def cli(tmp_path: pathlib.Path) -> Cli:
    return Cli(tmp_path / "state.json")


def test_users_guide_user_commands(cli: Cli) -> None:
    """The users guide's create-user / list-users --path-prefix commands run verbatim."""
    created = cli.json("create-user", "--user-name", "developer")
    assert created["User"]["Arn"] == "arn:aws:iam::123456789012:user/developer"
    assert created["User"]["CreateDate"].endswith("+00:00")
    cli.json("create-user", "--user-name", "backend", "--path", "/engineering/backend/")
    listed = cli.json("list-users", "--path-prefix", "/engineering/")
    assert [u["UserName"] for u in listed["Users"]] == ["backend"]
    assert "IsTruncated" not in listed  # the AWS CLI pages automatically


def test_tags_shorthand(cli: Cli) -> None:
    """AWS CLI shorthand Key=..,Value=.. builds the Tags list, as in the users guide."""
    cli.json("create-user", "--user-name", "developer")
    cli.json(
        "tag-user",
        "--user-name",
        "developer",
        "--tags",
        "Key=Department,Value=Engineering",
        "Key=CostCenter,Value=12345",
    )
    tags = cli.json("list-user-tags", "--user-name", "developer")["Tags"]
    assert tags == [
        {"Key": "CostCenter", "Value": "12345"},
        {"Key": "Department", "Value": "Engineering"},
    ]


def test_output_text_and_query(cli: Cli) -> None:
    """--query applies JMESPath and --output text prints tab-separated values."""
    for name in ("b", "a"):
        cli.json("create-user", "--user-name", name)
    status, out, _ = cli("list-users", "--query", "Users[].UserName", "--output", "text")
    assert (status, out) == (0, "a\tb\n")


def test_max_items_and_starting_token(cli: Cli) -> None:
    """--max-items stops early with a NextToken that --starting-token resumes from."""
    for index in range(5):
        cli.json("create-user", "--user-name", f"u{index}")
    first = cli.json("list-users", "--max-items", "2", "--page-size", "1")
    rest = cli.json("list-users", "--starting-token", first["NextToken"])
    names = [u["UserName"] for u in first["Users"] + rest["Users"]]
    assert names == ["u0", "u1", "u2", "u3", "u4"]
    assert "NextToken" not in rest


def test_service_error_prints_like_aws_cli(cli: Cli) -> None:
    """A service error goes to stderr in the AWS CLI's words, with exit status 254."""
    status, out, err = cli("get-user", "--user-name", "nobody")
    assert status == awscli.SERVICE_ERROR
    assert out == ""
    assert (
        "An error occurred (NoSuchEntity) when calling the GetUser operation: "
        "The user with name nobody cannot be found." in err
    )


def test_usage_error_exit_status(cli: Cli) -> None:
    """A missing required option is a usage error (exit status 252)."""
    status, _, err = cli("create-user")
    assert status == awscli.USAGE_ERROR
    assert "--user-name" in err


def test_state_persists_between_commands(cli: Cli) -> None:
    """Each command loads and saves the state file, so later commands see earlier ones."""
    cli.json("create-group", "--group-name", "Developers")
    cli.json("create-user", "--user-name", "developer")
    cli.json("add-user-to-group", "--user-name", "developer", "--group-name", "Developers")
    group = cli.json("get-group", "--group-name", "Developers")
    assert [u["UserName"] for u in group["Users"]] == ["developer"]
    assert group["Group"]["GroupName"] == "Developers"


def test_shorthand_parser() -> None:
    """Shorthand values: lists in brackets and comma-continued lists."""
    assert awscli._shorthand("Key=a,Value=b") == {"Key": "a", "Value": "b"}
    assert awscli._shorthand("Name=k,Values=[x,y]") == {"Name": "k", "Values": ["x", "y"]}
    assert awscli._shorthand("Name=k,Values=x,y") == {"Name": "k", "Values": ["x", "y"]}
