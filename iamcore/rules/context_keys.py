"""GetContextKeysForCustomPolicy and GetContextKeysForPrincipalPolicy: the condition keys
a set of policies refers to, as AWS lists them (recorded from AWS, 2026: github.com/
radkawar/stackd ``internal/services/iam/testdata/context_keys_aws.json``; the rules are
on each function below).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from iamcore.errors import InvalidInput, MalformedPolicyDocument
from iamcore.policy import PolicyDocument, parse_policy
from iamcore.policy.conditions import parse_operator
from iamcore.policy.document import STATEMENT_ELEMENTS, TOP_LEVEL_ELEMENTS
from iamcore.policy.evaluation import compiled
from iamcore.responses import GetContextKeysForPolicyResponse
from iamcore.rules.simulation import (
    Source,
    boundary_source,
    find_principal,
    parse_input_policy,
    principal_sources,
)
from iamcore.state import AccountState, Context

__all__ = ["get_context_keys_for_custom_policy", "get_context_keys_for_principal_policy"]

#: A policy variable: ``${name}`` or ``${name, 'default'}``.
_VARIABLE = re.compile(r"\$\{([^}]*)\}")
# GetContextKeysFor…Policy accepts a document with only the elements a policy may have
# (recorded from AWS, 2026: unknown_field refused a top-level "Foo").


def _variables(value: Any) -> list[str]:
    """The keys that policy variables in a string (or list of strings) name: the
    default part is dropped (``${aws:username, 'default'}`` names ``aws:username``) and
    the literal variables name themselves (``${*}`` → ``*``, recorded from AWS, 2026:
    default_and_literals)."""
    texts = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [
        match.split(",", 1)[0].strip()
        for text in texts
        if isinstance(text, str)
        for match in _VARIABLE.findall(text)
    ]


def _well_formed(data: Any) -> bool:
    """The structure GetContextKeysFor…Policy checks: a JSON object of known elements,
    each statement an object of known elements with an Effect, each Condition operator
    known.  Action and Resource may be absent, empty or not valid (recorded from AWS,
    2026: missing_Action, missing_resource, invalid_action, invalid_resource,
    empty_action_resource accepted; missing_Effect, unknown_field, invalid_operator
    refused)."""
    if not isinstance(data, dict) or not set(data) <= TOP_LEVEL_ELEMENTS:
        return False
    statements = data.get("Statement", [])
    statements = [statements] if isinstance(statements, dict) else statements
    if not isinstance(statements, list):
        return False
    for statement in statements:
        if not isinstance(statement, dict) or not set(statement) <= STATEMENT_ELEMENTS:
            return False
        if statement.get("Effect") not in ("Allow", "Deny"):
            return False
        condition = statement.get("Condition", {})
        if not isinstance(condition, dict):
            return False
        for operator, block in condition.items():
            if parse_operator(operator) is None or not isinstance(block, dict):
                return False
    return True


def _policy_keys(text: str, where: str) -> list[str]:
    """The context keys of one policy, as GetContextKeysFor…Policy lists them (recorded
    from AWS, 2026): the keys of every Condition (as written, even ``${aws:username}``:
    condition_key_variable) and, with Version 2012-10-17 only (old_version), the keys
    named by variables in Resource/NotResource and in condition values of any operator
    (variable_condition_numeric); not those in Action or Principal (action_variable,
    principal_variable).  A key is listed once per policy in each exact spelling
    (duplicates_and_case lists ``aws:username`` and ``AWS:username``).  A malformed
    policy keeps the parser's InvalidInput."""
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not _well_formed(data):
        _any_policy(text, where)
        raise InvalidInput(f"Invalid policy in {where}: Syntax errors in policy.")
    variables = data.get("Version") == "2012-10-17"
    statements = data.get("Statement", [])
    found: dict[str, None] = {}
    for statement in [statements] if isinstance(statements, dict) else statements:
        if variables:
            for element in ("Resource", "NotResource"):
                found.update(dict.fromkeys(_variables(statement.get(element))))
        for block in statement.get("Condition", {}).values():
            for key, value in block.items():
                found.setdefault(key)
                if variables:
                    found.update(dict.fromkeys(_variables(value)))
    return list(found)


def _keys_response(keyed: Iterable[list[str]]) -> GetContextKeysForPolicyResponse:
    """Every policy's keys, not de-duplicated across policies (recorded from AWS, 2026:
    multiple_duplicates lists ``aws:username`` twice for two policies naming it,
    extra_duplicate lists a key of the user's policy and of PolicyInputList twice),
    sorted ignoring case (AWS's order is unspecified)."""
    return GetContextKeysForPolicyResponse(
        tuple(sorted((key for keys in keyed for key in keys), key=str.lower))
    )


def _any_policy(text: str, where: str) -> PolicyDocument:
    try:
        return parse_policy(text, kind="identity")
    except MalformedPolicyDocument:
        return parse_input_policy(text, "resource", where)


def get_context_keys_for_custom_policy(
    state: AccountState, ctx: Context, *, policy_input_list: tuple[str, ...]
) -> GetContextKeysForPolicyResponse:
    """AWS GetContextKeysForCustomPolicy: the condition keys the policies refer to
    (see :func:`_policy_keys`); a policy with no Statement or an empty one has none
    (missing_statement, empty_statements, recorded from AWS, 2026)."""
    return _keys_response(
        _policy_keys(text, f"PolicyInputList.{n}")
        for n, text in enumerate(policy_input_list, start=1)
    )


def _document_keys(document: PolicyDocument, where: str) -> list[str]:
    if document.text:
        return _policy_keys(document.text, where)
    found: dict[str, None] = {}
    for statement in compiled(document).statements:
        found.update(dict.fromkeys(statement.referenced_keys()))
    return list(found)


def get_context_keys_for_principal_policy(
    state: AccountState,
    ctx: Context,
    *,
    policy_source_arn: str,
    policy_input_list: tuple[str, ...] = (),
) -> GetContextKeysForPolicyResponse:
    """AWS GetContextKeysForPrincipalPolicy: keys in the principal's policies (groups too)
    and the user's permissions boundary; a managed policy attached to the user and to
    one of its groups counts once (recorded from AWS, 2026:
    user_with_shared_attachment_and_boundary lists BoundaryOnly, and Managed once)."""
    principal = find_principal(state, ctx, policy_source_arn)
    sources: list[Source] = []
    seen_arns: set[str] = set()
    for source in principal_sources(state, principal):
        if source.arn is not None:
            if source.arn in seen_arns:
                continue
            seen_arns.add(source.arn)
        sources.append(source)
    boundary = boundary_source(state, principal)
    if boundary is not None:
        sources.append(boundary)
    keyed = [_document_keys(s.policy.document, s.policy.source_policy_id) for s in sources]
    keyed += [
        _policy_keys(text, f"PolicyInputList.{n}")
        for n, text in enumerate(policy_input_list, start=1)
    ]
    return _keys_response(keyed)
