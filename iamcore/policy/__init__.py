"""The IAM policy language: parse, validate, render and evaluate policies.

A pure package: no account, no state, only frozen values.  Sources are the
IAM User Guide pages cited in each module ("Policy evaluation logic",
"IAM JSON policy elements reference", "…: Condition operators", "IAM policy
elements: Variables and tags", "Permissions boundaries for IAM entities").

>>> from iamcore.policy import Request, SourcedPolicy, evaluate, parse_policy
>>> doc = parse_policy('{"Version": "2012-10-17", "Statement": '
...                    '{"Effect": "Allow", "Action": "iam:Get*", "Resource": "*"}}')
>>> evaluate(Request("iam:GetUser"), [SourcedPolicy("p", "user", doc)]).decision
'allowed'
"""

from __future__ import annotations

from iamcore.policy.boundary import boundary_allows, effective_evaluation
from iamcore.policy.conditions import Operator, is_known_operator, parse_operator
from iamcore.policy.context import CONTEXT_KEY_TYPES, ContextMap, ContextValue, Request
from iamcore.policy.document import (
    Condition,
    PolicyDocument,
    PolicyKind,
    Position,
    Principal,
    Statement,
    non_whitespace_length,
    parse_policy,
)
from iamcore.policy.evaluation import (
    Decision,
    Evaluation,
    MatchedStatement,
    SourcedPolicy,
    context_keys,
    evaluate,
)
from iamcore.policy.matching import action_matches, arn_like, resource_matches

__all__ = [
    "CONTEXT_KEY_TYPES",
    "Condition",
    "ContextMap",
    "ContextValue",
    "Decision",
    "Evaluation",
    "MatchedStatement",
    "Operator",
    "PolicyDocument",
    "PolicyKind",
    "Position",
    "Principal",
    "Request",
    "SourcedPolicy",
    "Statement",
    "action_matches",
    "arn_like",
    "boundary_allows",
    "context_keys",
    "effective_evaluation",
    "evaluate",
    "is_known_operator",
    "non_whitespace_length",
    "parse_operator",
    "parse_policy",
    "resource_matches",
]
