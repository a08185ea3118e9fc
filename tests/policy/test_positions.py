"""Statement StartPosition/EndPosition as the IAM policy simulator reports them.

SimulateCustomPolicy / SimulatePrincipalPolicy return, for each matched
statement, ``StartPosition`` and ``EndPosition`` (API Reference "Statement",
"Position": 1-based line and column).  Every case below is a real response
found in public material, with the exact policy text that produced it (or,
where the source shows only the program that built the text, the text that
program builds; the docstring says which).  The rule they all fit is a
streaming JSON reader's current location (see ``iamcore.policy.Position``):

* end = just after the statement's ``}``;
* start = just after the token before the statement's ``{``: the ``[`` for the
  first statement of an array, the previous statement's ``}`` for the others,
  and the statement's own ``{`` when ``Statement`` is a single object.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamcore.aws_managed_policies import aws_managed_policy
from iamcore.policy import Position, parse_policy

Span = tuple[tuple[int, int], tuple[int, int]]


def spans(text: str, kind: Any = "identity") -> list[Span]:
    """(start, end) of every statement of ``text`` as (line, column) pairs."""
    return [
        (
            (s.start_position.line, s.start_position.column),
            (s.end_position.line, s.end_position.column),
        )
        for s in parse_policy(text, kind=kind).statements
    ]


# -- the captures ----------------------------------------------------------------------


CLI_CUSTOM_EXAMPLE = (
    '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*",'
    '"Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":'
    '"2018-08-16T12:00:00Z"}}}}'
)


def test_cli_simulate_custom_policy_example() -> None:
    """Single-object Statement starts after its own '{': AWS CLI example gives (1,38)-(1,167).

    Source: AWS CLI reference, ``aws iam simulate-custom-policy`` Example 1
    (https://docs.aws.amazon.com/cli/latest/reference/iam/simulate-custom-policy.html,
    https://github.com/aws/aws-cli/blob/develop/awscli/examples/iam/simulate-custom-policy.rst);
    the policy text is the ``--policy-input-list`` argument verbatim.  The
    ``{`` of the statement is column 37, its ``}`` column 166.
    """
    assert spans(CLI_CUSTOM_EXAMPLE) == [((1, 38), (1, 167))]


ADMINISTRATOR_ACCESS = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "*",
      "Resource": "*"
    }
  ]
}"""


def test_administrator_access_starts_after_the_bracket() -> None:
    """First statement of an array starts just after '[': AdministratorAccess is (3,17)-(8,6).

    Source: captured ``simulate-principal-policy`` responses for a principal
    with AWS's AdministratorAccess (SourcePolicyId "AdministratorAccess",
    StartPosition {Line 3, Column 17}, EndPosition {Line 8, Column 6}) in two
    public GitHub files (a notes page on ``aws iam simulate-principal-policy``
    and a Python test fixture ``eval_with_allows_no_resource``), found by
    searching for '"SourcePolicyType": "IAM Policy"'.  AWS stores that policy
    2-space indented, as above.  The ``{`` is at (4, 5): the old rule "just
    after the '{'" would have said (4, 6).
    """
    assert spans(ADMINISTRATOR_ACCESS) == [((3, 17), (8, 6))]


def test_builtin_administrator_access_matches_aws() -> None:
    """iamcore's built-in AdministratorAccess text yields AWS's (3,17)-(8,6)."""
    policy = aws_managed_policy("arn:aws:iam::aws:policy/AdministratorAccess")
    assert policy is not None
    assert spans(policy.versions[-1].document) == [((3, 17), (8, 6))]


AMAZON_S3_READ_ONLY_ACCESS = (
    "{\n"
    '\t"Version": "2012-10-17",\n'
    '\t"Statement": [\n'
    "\t\t{\n"
    '\t\t\t"Effect": "Allow",\n'
    '\t\t\t"Action": [\n'
    '\t\t\t\t"s3:Get*",\n'
    '\t\t\t\t"s3:List*",\n'
    '\t\t\t\t"s3:Describe*",\n'
    '\t\t\t\t"s3-object-lambda:Get*",\n'
    '\t\t\t\t"s3-object-lambda:List*"\n'
    "\t\t\t],\n"
    '\t\t\t"Resource": "*"\n'
    "\t\t}\n"
    "\t]\n"
    "}"
)


def test_tab_is_one_column() -> None:
    """A tab counts one column: AmazonS3ReadOnlyAccess (tab-indented) is (3,16)-(14,4).

    Source: a public write-up of ``aws iam simulate-principal-policy
    --action-names s3:ListBucket`` for a user with AmazonS3ReadOnlyAccess
    (SourcePolicyId "AmazonS3ReadOnlyAccess", StartPosition {3, 16},
    EndPosition {14, 4}), found by searching for '"SourcePolicyType": "IAM
    Policy"'.  The statement structure is the policy's v3 (2023-08-10, five
    actions; zoph-io/MAMIP policies/AmazonS3ReadOnlyAccess); MAMIP re-indents
    documents, so the tab indentation is inferred from the numbers: only a
    one-tab "Statement" line puts the '[' at column 15, and only a two-tab
    statement '}' lands at column 3.
    """
    assert spans(AMAZON_S3_READ_ONLY_ACCESS) == [((3, 16), (14, 4))]


def _dumps(document: dict[str, Any]) -> str:
    """``json.dumps`` with its default separators (", " and ": "), as the sources call it."""
    return json.dumps(document)


def test_blog_role_and_bucket_policies() -> None:
    """Later statements start at the previous statement's end, not after the ','.

    Source: T. Yates, "Automated permissions testing with AWS IAM Policy
    Simulator" (https://timkins666.github.io/blog/2025/04/03/automated-iam-policy-simulator-testing.html,
    also ScottLogic/blog _posts/2025-04-03-automated-iam-policy-simulator-testing.md).
    The role policy is sent as ``json.dumps(get_role_policy(...)["PolicyDocument"])``:
    AWS answered (1,41)-(1,180).  The bucket policy is sent as S3's
    ``GetBucketPolicy`` text, which S3 stores minified with one-element arrays
    collapsed to strings: AWS answered (1,38)-(1,248) for DenyInsecureTransport
    and (1,248)-(1,470) for DenyTimDelete; the second start is column 248, the
    ',' right after the first statement's '}', where "after the ','" would be
    249.  The account ID is the blog's ``ACCOUNT_ID=112233445566``.
    """
    role = _dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "s3",
                    "Effect": "Allow",
                    "Action": ["s3:GetObject", "s3:DeleteObject"],
                    "Resource": ["arn:aws:s3:::tims-fancy-bucket/only-here/*"],
                }
            ],
        }
    )
    assert spans(role) == [((1, 41), (1, 180))]
    bucket = (
        '{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport",'
        '"Effect":"Deny","Principal":"*","Action":"*","Resource":'
        '["arn:aws:s3:::tims-fancy-bucket/*","arn:aws:s3:::tims-fancy-bucket"],'
        '"Condition":{"Bool":{"aws:SecureTransport":"false"}}},'
        '{"Sid":"DenyTimDelete","Effect":"Deny","Principal":"*",'
        '"Action":"s3:DeleteObject","Resource":"arn:aws:s3:::tims-fancy-bucket/*",'
        '"Condition":{"ArnLike":{"aws:PrincipalArn":'
        '"arn:aws:iam::112233445566:role/tims-test-role"}}}]}'
    )
    assert spans(bucket, kind="resource") == [((1, 38), (1, 248)), ((1, 248), (1, 470))]


@pytest.mark.parametrize(
    ("resource", "end_column"),
    [
        ("arn:aws:s3:::smoketurner-test-iam-bucket/*", 145),
        ("arn:aws:s3:::smoketurner-test-iam-bucket", 143),
    ],
)
def test_smoketurner_single_statement_object(resource: str, end_column: int) -> None:
    """json.dumps'd single-object Statement: (1,41)-(1,145) and (1,41)-(1,143).

    Source: smoketurner/sam-iam-role design/sample_response.py (two versions
    of the file; the "/*" one is a boto3 response dated 2020-03-02, RequestId
    5dd95549-3a65-418a-8861-46f5adbc9f0c),
    https://github.com/smoketurner/sam-iam-role/blob/master/design/sample_response.py.
    The text is what src/handlers/role_creation_service/simulate.py sends,
    ``json.dumps({"Version": "2012-10-17", "Statement": statement})``, for the
    statement role.py builds from sample_roles.yml (``{"Effect", "Action",
    "Resource": [resource]}``).  The '{' is column 40 and the start 41: a
    single object starts after its own '{' (after the ':' would be 39).
    """
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": [resource]}
    text = _dumps({"Version": "2012-10-17", "Statement": statement})
    assert spans(text) == [((1, 41), (1, end_column))]


def test_smoketurner_lambda_policy_statements_chain() -> None:
    """Four statements on one line: each starts where the previous ended (41, 198, 300, 485).

    Source: smoketurner/sam-iam-role design/sample_response.py (boto3
    response dated 2020-03-08, RequestId 031796bc-ada8-445e-aca5-c2777a6eeaef):
    ENI (1,41)-(1,198), CloudWatchLogGroup (1,198)-(1,300), XRay
    (1,485)-(1,695) (CloudWatchLogStream, between them, did not match "*").
    The text is ``json.dumps`` of src/handlers/role_creation_service/
    default_role_policies/lambda_policy.json's PolicyDocument after role.py
    turns each Resource into a list and fills ${AWS::Region}/${AWS::AccountId}
    (any 9-character region and 12-digit account give the same numbers).
    """

    def statement(sid: str, action: Any, resource: str) -> dict[str, Any]:
        return {"Sid": sid, "Effect": "Allow", "Action": action, "Resource": [resource]}

    text = _dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                statement(
                    "ENI",
                    [
                        "ec2:CreateNetworkInterface",
                        "ec2:DescribeNetworkInterfaces",
                        "ec2:DeleteNetworkInterface",
                    ],
                    "*",
                ),
                statement("CloudWatchLogGroup", "logs:CreateLogGroup", "*"),
                statement(
                    "CloudWatchLogStream",
                    ["logs:CreateLogStream", "logs:PutLogEvents"],
                    "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/*",
                ),
                statement(
                    "XRay",
                    [
                        "xray:PutTraceSegments",
                        "xray:PutTelemetryRecords",
                        "xray:GetSamplingRules",
                        "xray:GetSamplingTargets",
                        "xray:GetSamplingStatisticSummaries",
                    ],
                    "*",
                ),
            ],
        }
    )
    eni, log_group, log_stream, xray = spans(text)
    assert eni == ((1, 41), (1, 198))
    assert log_group == ((1, 198), (1, 300))
    assert log_stream[0] == (1, 300)
    assert xray == ((1, 485), (1, 695))


def test_cli_simulate_principal_policy_example_layout() -> None:
    """The CLI's principal-policy example (3,19)-(9,10) fits a 4-space layout under the rule.

    Source: AWS CLI reference, ``aws iam simulate-principal-policy`` Example 1
    (https://github.com/aws/aws-cli/blob/develop/awscli/examples/iam/simulate-principal-policy.rst),
    policy "Grant-Access-To-CodeCommit-ListRepo".  The page does not show the
    policy text, so this is a reconstruction (``json.dumps(..., indent=4)``
    of a four-element statement): the '[' at column 18 of line 3 and the '}'
    at column 9 of line 9 are what the numbers require.
    """
    text = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "ListRepos",
                    "Effect": "Allow",
                    "Action": "codecommit:ListRepositories",
                    "Resource": "*",
                }
            ],
        },
        indent=4,
    )
    assert spans(text) == [((3, 19), (9, 10))]


# -- line endings (inferred: no capture uses them) ---------------------------------------


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_end_a_line(newline: str) -> None:
    """CRLF and a lone CR each end one line, as in the simulator's (Jackson) reader."""
    text = ADMINISTRATOR_ACCESS.replace("\n", newline)
    assert spans(text) == [((3, 17), (8, 6))]


# -- property: the rule holds for any whitespace ------------------------------------------

WHITESPACE = st.lists(st.sampled_from([" ", "\t", "\n", "\r\n", "\r"]), max_size=3).map("".join)
STATEMENT_TEXTS = st.sampled_from(
    [
        '{"Effect":"Allow","Action":"s3:*","Resource":"*"}',
        '{"Effect": "Deny",\n "Action": ["iam:*"], "Resource": "*"}',
        '{"Effect":"Allow","NotAction":"ec2:*","Resource":["*"]}',
    ]
)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    """An independent offset → (line, column): count line breaks before the offset."""
    before = text[:offset]
    breaks = list(re.finditer("\r\n|\r|\n", before))
    line_start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, offset - line_start + 1


@settings(max_examples=60)
@given(
    statements=st.lists(STATEMENT_TEXTS, min_size=1, max_size=4),
    gaps=st.lists(WHITESPACE, min_size=12, max_size=12),
)
def test_positions_follow_the_tokens_for_any_whitespace(
    statements: list[str], gaps: list[str]
) -> None:
    """For any layout: first start after '[', later starts at the previous end, ends after '}'."""
    head = "{" + gaps[0] + '"Version"' + gaps[1] + ":" + gaps[2] + '"2012-10-17",' + gaps[3]
    head += '"Statement"' + gaps[4] + ":" + gaps[5] + "["
    expected: list[Span] = []
    text = head
    previous = len(text)
    for index, statement in enumerate(statements):
        if index:
            text += gaps[6] + "," + gaps[7]
        else:
            text += gaps[8]
        start = previous
        text += statement
        previous = len(text)
        expected.append((_line_column(text, start), _line_column(text, previous)))
    text += gaps[9] + "]" + gaps[10] + "}" + gaps[11]
    assert spans(text) == expected


@settings(max_examples=30)
@given(before=WHITESPACE, after=WHITESPACE, statement=STATEMENT_TEXTS)
def test_single_object_statement_starts_after_its_brace(
    before: str, after: str, statement: str
) -> None:
    """For any layout, a single-object Statement starts just after its own '{'."""
    head = '{"Version":"2012-10-17","Statement"' + before + ":" + after
    text = head + statement + "}"
    (statement_of_text,) = parse_policy(text).statements
    assert statement_of_text.start_position == Position(*_line_column(text, len(head) + 1))
    assert statement_of_text.end_position == Position(
        *_line_column(text, len(head) + len(statement))
    )
