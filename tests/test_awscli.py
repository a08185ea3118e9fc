"""``iamcore <command>``: the AWS CLI's ``aws iam`` commands over a state file."""

from __future__ import annotations

import base64
import io
import json
import pathlib

import jmespath
import pytest

from iamcore import awscli, cli_formats


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


@pytest.mark.parametrize(
    ("given", "parsed"),
    [
        ("Key=a,Value='b c'", {"Key": "a", "Value": "b c"}),  # quoted values are literal
        ('Key="a b",Value=x', {"Key": "a b", "Value": "x"}),
        ("Key = a , Value = b", {"Key": "a", "Value": "b"}),  # surrounding spaces dropped
        ("Key=a,Value=b\\,c", {"Key": "a", "Value": "b,c"}),  # a backslash escapes a comma
        ("Key=a,Value='x,y=z'", {"Key": "a", "Value": "x,y=z"}),
        ("Name=n,Values=a,b", {"Name": "n", "Values": ["a", "b"]}),
        # unquoted, only \\, is an escape; other backslashes are kept (paths)
        ("Key=dir,Value=C:\\temp\\new", {"Key": "dir", "Value": "C:\\temp\\new"}),
        ("Key=a,Value='a\\\\b'", {"Key": "a", "Value": "a\\b"}),  # quoted: \\ escapes
        ("Key=a[,Value=b", {"Key": "a[", "Value": "b"}),  # a bracket inside a value
        ("a={}", {"a": {}}),
        # list items are values (not key=value), a trailing comma adds none; a brace
        # inside a value is a character (compared with awscli.shorthand.ShorthandParser)
        ("Name=n,Values=[a=b,c,]", {"Name": "n", "Values": ["a=b", "c"]}),
        ("K=x={y,Z=w", {"K": "x={y", "Z": "w"}),
        ('Key=a,Value="\\b"', {"Key": "a", "Value": "\\b"}),  # quoted \\b stays
    ],
)
def test_shorthand_quotes_spaces_and_escapes(given: str, parsed: object) -> None:
    """The AWS CLI's shorthand syntax: quotes, surrounding spaces and backslash escapes
    (AWS CLI user guide, "Using shorthand syntax")."""
    assert awscli._shorthand(given) == parsed


def test_values_starting_with_a_bracket_are_json(cli: Cli) -> None:
    """The AWS CLI reads a value starting with { or [ as JSON only: shorthand inside
    braces is "Invalid JSON" (exit 252, nothing called), valid JSON works."""
    cli.json("create-user", "--user-name", "dev")
    status, _, err = cli("tag-user", "--user-name", "dev", "--tags", "{Key=a,Value=b}")
    assert status == 252
    assert err.strip().startswith("Error parsing parameter '--tags': Invalid JSON: ")
    assert err.strip().endswith("JSON received: {Key=a,Value=b}")
    cli.json("tag-user", "--user-name", "dev", "--tags", '[{"Key": "a", "Value": "b"}]')
    assert cli.json("list-user-tags", "--user-name", "dev")["Tags"] == [  # type: ignore[index]
        {"Key": "a", "Value": "b"}
    ]


def test_shorthand_quoted_tag_value(cli: Cli) -> None:
    """A tag value with a space, quoted in shorthand, reaches IAM without its quotes."""
    cli.json("create-user", "--user-name", "dev")
    cli.json("tag-user", "--user-name", "dev", "--tags", "Key=team,Value='Platform Core'")
    assert cli.json("list-user-tags", "--user-name", "dev")["Tags"] == [  # type: ignore[index]
        {"Key": "team", "Value": "Platform Core"}
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


# -- conformance with the AWS CLI user guide ----------------------------------------
# "Setting the AWS CLI output format" (cli-usage-output-format), "Using AWS CLI
# pagination options" (cli-usage-pagination), "Understanding return codes from the
# AWS CLI" (cli-usage-returncodes).  Expected outputs are the pages' examples.

#: the users of the output-format page's examples
DOC_USERS = [
    {
        "Path": "/",
        "UserName": "Admin",
        "UserId": "AIDA1111111111EXAMPLE",
        "Arn": "arn:aws:iam::123456789012:user/Admin",
        "CreateDate": "2014-10-16T16:03:09+00:00",
        "PasswordLastUsed": "2016-06-03T18:37:29+00:00",
    },
    {
        "Path": "/backup/",
        "UserName": "backup-user",
        "UserId": "AIDA2222222222EXAMPLE",
        "Arn": "arn:aws:iam::123456789012:user/backup/backup-user",
        "CreateDate": "2019-09-17T19:30:40+00:00",
    },
    {
        "Path": "/",
        "UserName": "cli-user",
        "UserId": "AIDA3333333333EXAMPLE",
        "Arn": "arn:aws:iam::123456789012:user/cli-user",
        "CreateDate": "2019-09-17T19:11:39+00:00",
    },
]


def test_text_output_documented_list_users() -> None:
    """Text: columns sorted by key, the list's key upper-cased, an empty field where absent."""
    assert cli_formats.format_text({"Users": DOC_USERS}) == (
        "USERS\tarn:aws:iam::123456789012:user/Admin\t2014-10-16T16:03:09+00:00\t"
        "2016-06-03T18:37:29+00:00\t/\tAIDA1111111111EXAMPLE\tAdmin\n"
        "USERS\tarn:aws:iam::123456789012:user/backup/backup-user\t2019-09-17T19:30:40+00:00\t"
        "\t/backup/\tAIDA2222222222EXAMPLE\tbackup-user\n"
        "USERS\tarn:aws:iam::123456789012:user/cli-user\t2019-09-17T19:11:39+00:00\t"
        "\t/\tAIDA3333333333EXAMPLE\tcli-user\n"
    )


def test_text_output_documented_query_lists() -> None:
    """Text with --query lists: the given column order, None for a missing key."""
    query = "Users[*].[UserName,CreateDate,PasswordLastUsed,UserId]"
    selected = jmespath.search(query, {"Users": DOC_USERS})
    assert cli_formats.format_text(selected) == (
        "Admin\t2014-10-16T16:03:09+00:00\t2016-06-03T18:37:29+00:00\tAIDA1111111111EXAMPLE\n"
        "backup-user\t2019-09-17T19:30:40+00:00\tNone\tAIDA2222222222EXAMPLE\n"
        "cli-user\t2019-09-17T19:11:39+00:00\tNone\tAIDA3333333333EXAMPLE\n"
    )
    groups = {"Groups": [{"GroupName": name} for name in ("HRDepartment", "Developers")]}
    single_line = jmespath.search("Groups[].GroupName", groups)
    one_per_line = jmespath.search("Groups[].[GroupName]", groups)
    assert cli_formats.format_text(single_line) == "HRDepartment\tDevelopers\n"
    assert cli_formats.format_text(one_per_line) == "HRDepartment\nDevelopers\n"


def test_text_output_scalars_as_the_cli_prints_them() -> None:
    """Text: booleans True/False, numbers as written, None, nested lists by key."""
    assert cli_formats.format_text({"B": True, "N": 12, "Z": None}) == "True\t12\tNone\n"
    assert cli_formats.format_text({"Names": ["a", "b"]}) == "NAMES\ta\nNAMES\tb\n"
    assert cli_formats.format_text(None) == "None\n"
    assert cli_formats.format_text({}) == ""


def test_table_output_documented_dictionary_query() -> None:
    """Table: title row, centred headers sorted by key, widths scaled (describe-volumes)."""
    volumes = [
        {"AZ": "us-west-2a", "ID": "vol-e11a5288", "InstanceId": "i-a071c394", "Size": 30},
        {"AZ": "us-west-2a", "ID": "vol-2e410a47", "InstanceId": "i-4b41a37c", "Size": 8},
    ]
    assert cli_formats.format_table("DescribeVolumes", volumes) == (
        "------------------------------------------------------\n"
        "|                   DescribeVolumes                  |\n"
        "+------------+----------------+--------------+-------+\n"
        "|     AZ     |      ID        | InstanceId   | Size  |\n"
        "+------------+----------------+--------------+-------+\n"
        "|  us-west-2a|  vol-e11a5288  |  i-a071c394  |  30   |\n"
        "|  us-west-2a|  vol-2e410a47  |  i-4b41a37c  |  8    |\n"
        "+------------+----------------+--------------+-------+\n"
    )


def test_table_output_documented_list_query() -> None:
    """Table of lists: unnamed columns in the query's order (describe-volumes)."""
    volumes = [
        ["vol-e11a5288", "i-a071c394", "us-west-2a", 30],
        ["vol-2e410a47", "i-4b41a37c", "us-west-2a", 8],
    ]
    assert cli_formats.format_table("DescribeVolumes", volumes) == (
        "----------------------------------------------------\n"
        "|                  DescribeVolumes                 |\n"
        "+--------------+--------------+--------------+-----+\n"
        "|  vol-e11a5288|  i-a071c394  |  us-west-2a  |  30 |\n"
        "|  vol-2e410a47|  i-4b41a37c  |  us-west-2a  |  8  |\n"
        "+--------------+--------------+--------------+-----+\n"
    )


def test_table_output_nested_sections_and_vertical_when_too_wide() -> None:
    """Nested structures are sections indented with |; too wide, one-row ones turn vertical."""
    value = {"Group": {"GroupName": "G", "Path": "/"}, "Users": [{"UserName": "a"}]}
    assert cli_formats.format_table("GetGroup", value, terminal_width=200) == (
        "-------------------------\n"
        "|       GetGroup        |\n"
        "+-----------------------+\n"
        "||        Group        ||\n"
        "|+------------+--------+|\n"
        "||  GroupName | Path   ||\n"
        "|+------------+--------+|\n"
        "||  G         |  /     ||\n"
        "|+------------+--------+|\n"
        "||        Users        ||\n"
        "|+---------------------+|\n"
        "||      UserName       ||\n"
        "|+---------------------+|\n"
        "||  a                  ||\n"
        "|+---------------------+|\n"
    )
    assert cli_formats.format_table("GetGroup", value, terminal_width=10) == (
        "----------------------\n"
        "|      GetGroup      |\n"
        "+--------------------+\n"
        "||       Group      ||\n"
        "|+------------+-----+|\n"
        "||  GroupName |  G  ||\n"
        "||  Path      |  /  ||\n"
        "|+------------+-----+|\n"
        "||       Users      ||\n"
        "|+------------+-----+|\n"
        "||  UserName  |  a  ||\n"
        "|+------------+-----+|\n"
    )
    assert cli_formats.format_table("DeleteUser", {}) == ""


def test_yaml_output_documented_list_users() -> None:
    """YAML: sorted keys, unindented sequence, timestamps single-quoted (list-users)."""
    users = [dict(user) for user in DOC_USERS]
    users[1]["UserName"] = "arq-45EFD6D1-CE56-459B-B39F-F9C1F78FBE19"
    users[2]["CreateDate"] = "2019-09-17T19:30:40+00:00"
    assert cli_formats.format_yaml({"Users": users}) == (
        "Users:\n"
        "- Arn: arn:aws:iam::123456789012:user/Admin\n"
        "  CreateDate: '2014-10-16T16:03:09+00:00'\n"
        "  PasswordLastUsed: '2016-06-03T18:37:29+00:00'\n"
        "  Path: /\n"
        "  UserId: AIDA1111111111EXAMPLE\n"
        "  UserName: Admin\n"
        "- Arn: arn:aws:iam::123456789012:user/backup/backup-user\n"
        "  CreateDate: '2019-09-17T19:30:40+00:00'\n"
        "  Path: /backup/\n"
        "  UserId: AIDA2222222222EXAMPLE\n"
        "  UserName: arq-45EFD6D1-CE56-459B-B39F-F9C1F78FBE19\n"
        "- Arn: arn:aws:iam::123456789012:user/cli-user\n"
        "  CreateDate: '2019-09-17T19:30:40+00:00'\n"
        "  Path: /\n"
        "  UserId: AIDA3333333333EXAMPLE\n"
        "  UserName: cli-user\n"
    )


def test_yaml_stream_documented_pages() -> None:
    """yaml-stream: each page a list item, with IsTruncated and Marker (--page-size 2)."""
    first = {"IsTruncated": True, "Marker": "ab1234cdef5ghi67jk8lmo9p/q012rs3t4", "Users": []}
    assert cli_formats.format_yaml([first, {"IsTruncated": False, "Users": []}]) == (
        "- IsTruncated: true\n"
        "  Marker: ab1234cdef5ghi67jk8lmo9p/q012rs3t4\n"
        "  Users: []\n"
        "- IsTruncated: false\n"
        "  Users: []\n"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("plain", "plain\n...\n"),
        ("2026-01-01", "'2026-01-01'\n"),
        ("123", "'123'\n"),
        ("true", "'true'\n"),
        ("yes", "yes\n...\n"),  # YAML 1.2: a string
        ("", "''\n"),
        ("a: b", "'a: b'\n"),
        ("- x", "'- x'\n"),
        ("tab\there", '"tab\\there"\n'),
        ("it's", "it's\n...\n"),
        ("'quoted'", "'''quoted'''\n"),
        (None, "null\n...\n"),
        (False, "false\n...\n"),
        (7, "7\n...\n"),
    ],
)
def test_yaml_scalar_quoting(value: object, text: str) -> None:
    """YAML: strings quoted only when YAML 1.2 would read them otherwise or must."""
    assert cli_formats.format_yaml(value) == text


def test_documented_next_token_format(cli: Cli) -> None:
    """--max-items cuts a page: NextToken is botocore's token, as the pagination page shows."""
    for name in ("a", "b"):
        cli.json("create-user", "--user-name", name)
    first = cli.json("list-users", "--max-items", "1")
    assert first["NextToken"] == "eyJNYXJrZXIiOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="
    assert base64.b64decode(first["NextToken"]) == b'{"Marker": null, "boto_truncate_amount": 1}'
    rest = cli.json("list-users", "--starting-token", first["NextToken"])
    assert [u["UserName"] for u in first["Users"] + rest["Users"]] == ["a", "b"]
    assert "NextToken" not in rest
    assert "IsTruncated" not in rest
    assert "Marker" not in rest
    on_boundary = cli.json("list-users", "--max-items", "1", "--page-size", "1")
    token = json.loads(base64.b64decode(on_boundary["NextToken"]))
    assert list(token) == ["Marker"]  # a page boundary: the service's marker alone


def test_text_output_is_per_page_with_next_token(cli: Cli) -> None:
    """Text pages print one by one (--query per page); a NEXTTOKEN line ends a cut listing."""
    for name in ("a", "b", "c"):
        cli.json("create-user", "--user-name", name)
    status, out, _ = cli(
        "list-users", "--page-size", "2", "--query", "Users[].UserName", "--output", "text"
    )
    assert (status, out) == (0, "a\tb\nc\n")
    status, out, _ = cli(
        "list-users", "--max-items", "1", "--query", "Users[].UserName", "--output", "text"
    )
    assert out == "a\nNone\n"  # the NextToken line goes through --query too
    _, out, _ = cli("list-users", "--max-items", "1", "--output", "text")
    assert out.splitlines()[-1].startswith("NEXTTOKEN\teyJ")


def test_no_paginate_returns_the_raw_page(cli: Cli) -> None:
    """--no-paginate: one call, IsTruncated and Marker shown; --max-items is the API's."""
    for name in ("a", "b"):
        cli.json("create-user", "--user-name", name)
    page = cli.json("list-users", "--no-paginate", "--max-items", "1")
    assert page["IsTruncated"] is True
    assert len(page["Users"]) == 1
    assert isinstance(page["Marker"], str)
    marked = cli.json("list-users", "--marker", page["Marker"])  # turns pagination off
    assert [u["UserName"] for u in marked["Users"]] == ["b"]
    status, _, err = cli("list-users", "--no-paginate", "--page-size", "1")
    assert status == 255  # botocore's PaginationError, through the CLI's general handler
    assert err == (
        "\nError during pagination: Cannot specify --no-paginate along with "
        "pagination arguments: --page-size\n"
    )


def test_yaml_and_yaml_stream_through_the_cli(cli: Cli) -> None:
    """--output yaml merges pages; yaml-stream prints each page with IsTruncated."""
    for name in ("a", "b", "c"):
        cli.json("create-user", "--user-name", name)
    _, out, _ = cli("list-users", "--output", "yaml", "--query", "Users[].UserName")
    assert out == "- a\n- b\n- c\n"
    _, out, _ = cli("list-users", "--output", "yaml-stream", "--page-size", "2")
    assert out.count("- IsTruncated: ") == 2
    assert "  Marker: " in out


def test_usage_error_prints_the_aws_cli_usage(cli: Cli) -> None:
    """A missing required option: the usage lines, then 'aws: error: ...', return code 252."""
    status, out, err = cli("create-user")
    assert (status, out) == (252, "")
    assert err == (
        "\nusage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n"
        "To see help text, you can run:\n\n"
        "  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n\n"
        "aws: error: the following arguments are required: --user-name\n"
    )
    status, _, err = cli("list-users", "--bogus", "x")
    assert status == 252
    assert err.endswith("\nUnknown options: --bogus, x\n")
    status, _, err = cli("list-users", "--output", "xml")
    assert status == 252
    assert "argument --output: Invalid choice, valid choices are:" in err
    status, _, err = cli("create-policy", "--policy-name", "p", "--policy-document", "file://no")
    assert status == 252
    assert err.startswith(
        "\nError parsing parameter '--policy-document': Unable to load paramfile"
    )


def test_return_codes(cli: Cli, tmp_path: pathlib.Path) -> None:
    """254 service error (no message: 'Unknown'), 255 bad --query, 253 unreadable state."""
    status, _, err = cli("get-credential-report")
    assert status == awscli.SERVICE_ERROR
    assert err == (
        "\nAn error occurred (ReportNotPresent) when calling the GetCredentialReport "
        "operation: Unknown\n"
    )
    status, _, err = cli("list-users", "--query", "Users[")
    assert status == 255
    assert err.startswith("\nBad value for --query Users[: ")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    out, errors = io.StringIO(), io.StringIO()
    assert awscli.main(["list-users", "--state", str(broken)], out, errors) == 253


def test_blob_prints_base64_and_null_query(cli: Cli) -> None:
    """Blobs print in base64 (get-credential-report); a query selecting nothing: null/None."""
    cli.json("create-user", "--user-name", "alice")
    started = cli.json("generate-credential-report")
    assert started == {
        "State": "STARTED",
        "Description": "No report exists. Starting a new report generation task",
    }
    assert cli.json("generate-credential-report") == {"State": "COMPLETE"}
    status, out, _ = cli("get-credential-report", "--query", "Content", "--output", "text")
    assert status == 0
    assert base64.b64decode(out).startswith(b"user,arn,user_creation_time,")
    assert cli("get-user", "--user-name", "alice", "--query", "User.Nope")[1] == "null\n"
    text = cli("get-user", "--user-name", "alice", "--query", "User.Nope", "--output", "text")
    assert text[1] == "None\n"
    for output in awscli.OUTPUT_FORMATS[:4]:
        assert cli("delete-user", "--user-name", "alice", "--output", output)[1] == ""
        cli.json("create-user", "--user-name", "alice")


def test_documented_shorthand_and_json_forms_agree(cli: Cli) -> None:
    """'Using shorthand syntax': Key=..,Value=.. items and the JSON list give the same tags."""
    for name in ("short", "json"):
        cli.json("create-user", "--user-name", name)
    cli.json(
        "tag-user", "--user-name", "short", "--tags", "Key=My1stTag,Value=Value1",
        "Key=My2ndTag,Value=Value2",
    )  # fmt: skip
    document = '[{"Key": "My1stTag", "Value": "Value1"}, {"Key": "My2ndTag", "Value": "Value2"}]'
    cli.json("tag-user", "--user-name", "json", "--tags", document)
    short = cli.json("list-user-tags", "--user-name", "short")
    assert short == cli.json("list-user-tags", "--user-name", "json")
    assert short == {
        "Tags": [{"Key": "My1stTag", "Value": "Value1"}, {"Key": "My2ndTag", "Value": "Value2"}]
    }


# -- AWS CLI parity (audit of 2026-11-29) ---------------------------------------------


def test_json_keys_in_the_services_order(cli: Cli) -> None:
    """The AWS CLI prints members in the order the service returns them (botocore parses
    them in model order; the users guide shows UserName, AccessKeyId, Status, ...)."""
    status, out, _ = cli("create-user", "--user-name", "dev")
    assert status == 0
    assert list(json.loads(out)["User"]) == ["Path", "UserName", "UserId", "Arn", "CreateDate"]
    _, out, _ = cli("create-access-key", "--user-name", "dev")
    assert list(json.loads(out)["AccessKey"])[:4] == [
        "UserName",
        "AccessKeyId",
        "Status",
        "SecretAccessKey",
    ]


def test_policy_documents_print_decoded(cli: Cli) -> None:
    """IAM returns policy documents URL-encoded; the AWS CLI prints them as JSON objects
    (botocore decodes every policyDocumentType member), also nested in lists."""
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
    }
    cli.json("create-user", "--user-name", "dev")
    cli.json(
        "put-user-policy",
        "--user-name",
        "dev",
        "--policy-name",
        "p",
        "--policy-document",
        json.dumps(document),
    )
    got = cli.json("get-user-policy", "--user-name", "dev", "--policy-name", "p")
    assert got["PolicyDocument"] == document  # type: ignore[index]
    details = cli.json("get-account-authorization-details", "--filter", "User")
    (user,) = details["UserDetailList"]  # type: ignore[index]
    assert user["UserPolicyList"][0]["PolicyDocument"] == document


def test_global_options_before_the_command_and_ignored_ones(tmp_path: pathlib.Path) -> None:
    """As with `aws`: global options may come before the command, `iam` may name the
    service, an unknown command is "Invalid choice" with exit status 252, and --region,
    --profile, --no-cli-pager are accepted (they mean nothing to a local model)."""
    from iamcore.cli import main

    state = str(tmp_path / "s.json")
    assert main(["--state", state, "iam", "create-user", "--user-name", "dev"]) == 0
    assert (
        main(
            [
                "list-users",
                "--state",
                state,
                "--region",
                "eu-west-1",
                "--profile",
                "x",
                "--no-cli-pager",
            ]
        )
        == 0
    )
    assert main(["--state", state, "get-usr"]) == 252
    assert main(["--no-paginate", "--state", state, "iam", "list-users"]) == 0


def test_outfile_that_cannot_be_written(cli: Cli, tmp_path: pathlib.Path) -> None:
    """create-virtual-mfa-device checks --outfile before calling the service: "Unable to
    write to file: <path>", exit 252, no device; a written seed file is owner-only."""
    status, _, err = cli(
        "create-virtual-mfa-device",
        "--virtual-mfa-device-name",
        "d",
        "--outfile",
        str(tmp_path / "missing" / "qr.png"),
        "--bootstrap-method",
        "QRCodePNG",
    )
    assert (status, err.strip()) == (
        252,
        f"Unable to write to file: {tmp_path / 'missing' / 'qr.png'}",
    )
    assert cli.json("list-virtual-mfa-devices") == {"VirtualMFADevices": []}
    seed = tmp_path / "seed.txt"
    cli.json(
        "create-virtual-mfa-device",
        "--virtual-mfa-device-name",
        "d",
        "--outfile",
        str(seed),
        "--bootstrap-method",
        "Base32StringSeed",
    )
    assert seed.stat().st_mode & 0o777 == 0o600
    seed.chmod(0o644)  # a file that existed is made owner-only too
    cli.json(
        "create-virtual-mfa-device",
        "--virtual-mfa-device-name",
        "d2",
        "--outfile",
        str(seed),
        "--bootstrap-method",
        "Base32StringSeed",
    )
    assert seed.stat().st_mode & 0o777 == 0o600
    status, _, err = cli(  # a directory: the device exists, the write fails after the call
        "create-virtual-mfa-device",
        "--virtual-mfa-device-name",
        "d3",
        "--outfile",
        str(tmp_path),
        "--bootstrap-method",
        "Base32StringSeed",
    )
    assert status == 255
    assert "Is a directory" in err


def test_calls_signed_with_a_users_key(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY naming one of the account's keys make the
    calls as its user, authorized by the user's policies as on AWS (ChangePassword works
    through AllowUsersToChangePassword; a wrong secret is SignatureDoesNotMatch)."""
    cli.json("create-user", "--user-name", "dev")
    cli.json("update-account-password-policy", "--allow-users-to-change-password")
    cli.json("create-login-profile", "--user-name", "dev", "--password", "Old-pass-123!")
    key = cli.json("create-access-key", "--user-name", "dev")["AccessKey"]  # type: ignore[index]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    status, _, err = cli("get-user")  # the user's calls are authorized: no policy yet
    assert status == 254
    assert "(AccessDenied)" in err
    assert "because no identity-based policy allows the iam:GetUser action" in err
    cli.json(  # ChangePassword: granted to every user by AllowUsersToChangePassword
        "change-password", "--old-password", "Old-pass-123!", "--new-password", "New-pass-456!"
    )
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")  # the administrator grants read-only access
    cli.json(
        "attach-user-policy",
        "--user-name",
        "dev",
        "--policy-arn",
        "arn:aws:iam::aws:policy/IAMReadOnlyAccess",
    )
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    assert cli.json("get-user")["User"]["UserName"] == "dev"  # type: ignore[index]
    status, _, err = cli("create-user", "--user-name", "eve")  # read-only: refused
    assert (status, "(AccessDenied)" in err) == (254, True)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong")
    status, _, err = cli("get-user")
    assert status == 254
    assert "(SignatureDoesNotMatch)" in err
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")  # not one of the account's: the admin
    status, _, err = cli("change-password", "--old-password", "a", "--new-password", "b")
    assert (status, "(InvalidUserType)" in err) == (254, True)


def test_list_policies_granting_service_access_documented_example(cli: Cli) -> None:
    """The AWS CLI reference's list-policies-granting-service-access example (user sofia,
    codecommit) prints what the reference shows, IsTruncated included (the command has no
    paginator)."""
    cli.json("create-user", "--user-name", "sofia")
    document = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "codecommit:*", "Resource": "*"}],
        }
    )
    cli.json(
        "put-user-policy",
        "--user-name",
        "sofia",
        "--policy-name",
        "Grant-Sofia-Access-To-CodeCommit",
        "--policy-document",
        document,
    )
    status, out, err = cli(
        "list-policies-granting-service-access",
        "--arn",
        "arn:aws:iam::123456789012:user/sofia",
        "--service-namespaces",
        "codecommit",
    )
    assert (status, err) == (0, "")
    assert out == (
        "{\n"
        '    "PoliciesGrantingServiceAccess": [\n'
        "        {\n"
        '            "ServiceNamespace": "codecommit",\n'
        '            "Policies": [\n'
        "                {\n"
        '                    "PolicyName": "Grant-Sofia-Access-To-CodeCommit",\n'
        '                    "PolicyType": "INLINE",\n'
        '                    "EntityType": "USER",\n'
        '                    "EntityName": "sofia"\n'
        "                }\n"
        "            ]\n"
        "        }\n"
        "    ],\n"
        '    "IsTruncated": false\n'
        "}\n"
    )
