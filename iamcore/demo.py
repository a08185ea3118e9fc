"""``iamcore demo``: the IAM users guide, step by step, on an in-memory account.

Each step prints the AWS CLI command it models and the JSON the AWS CLI
would print for the response (errors as the AWS CLI prints them).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, TextIO

from iamcore import _model
from iamcore.account import Account
from iamcore.errors import IamError
from iamcore.serialize import to_response

__all__ = ["Walkthrough", "run"]


def _stamp(value: datetime) -> str:
    return value.isoformat()


class Walkthrough:
    """Runs native calls and prints them as ``aws iam`` commands and JSON."""

    def __init__(self, account: Account, out: TextIO) -> None:
        self.account = account
        self.out = out

    def say(self, text: str) -> None:
        """Print a heading."""
        self.out.write(f"\n## {text}\n")

    def call(self, operation: str, command: str, **kwargs: Any) -> Any:
        """Run ``operation`` natively, printing ``command`` and the CLI-shaped output."""
        method: Callable[..., Any] = getattr(self.account, _model.operation(operation)["snake"])
        self.out.write(f"$ aws iam {command}\n")
        try:
            result = method(**kwargs)
        except IamError as error:
            self.out.write(
                f"An error occurred ({error.code}) when calling the {operation} "
                f"operation: {error.message}\n"
            )
            return None
        body = to_response(operation, result, _stamp)
        if body:
            self.out.write(json.dumps(body, indent=4) + "\n")
        return result


def run(out: TextIO, account_id: str = "123456789012") -> int:
    """Run the whole walkthrough, writing to ``out``; return 0."""
    account = Account(account_id)
    demo = Walkthrough(account, out)
    out.write(f"iamcore demo: an in-memory IAM account {account_id}\n")
    demo.say("Create the user")
    demo.call("CreateUser", "create-user --user-name developer", user_name="developer")
    demo.say("Add to a group")
    demo.call("CreateGroup", "create-group --group-name Developers", group_name="Developers")
    demo.call(
        "AddUserToGroup",
        "add-user-to-group --user-name developer --group-name Developers",
        user_name="developer",
        group_name="Developers",
    )
    demo.say("User paths")
    demo.call(
        "CreateUser",
        "create-user --user-name backend-dev --path /engineering/backend/",
        user_name="backend-dev",
        path="/engineering/backend/",
    )
    demo.call(
        "ListUsers",
        "list-users --path-prefix /engineering/",
        path_prefix="/engineering/",
    )
    demo.say("User tags")
    demo.call(
        "TagUser",
        "tag-user --user-name developer --tags Key=Department,Value=Engineering "
        "Key=CostCenter,Value=12345",
        user_name="developer",
        tags=[
            {"Key": "Department", "Value": "Engineering"},
            {"Key": "CostCenter", "Value": "12345"},
        ],
    )
    demo.call("ListUserTags", "list-user-tags --user-name developer", user_name="developer")
    demo.say("Names are unique ignoring case")
    demo.call("CreateUser", "create-user --user-name DEVELOPER", user_name="DEVELOPER")
    demo.say("Rename: the unique ID, tags and groups follow")
    demo.call(
        "UpdateUser",
        "update-user --user-name backend-dev --new-user-name backend-lead",
        user_name="backend-dev",
        new_user_name="backend-lead",
    )
    demo.call("GetUser", "get-user --user-name backend-lead", user_name="backend-lead")
    demo.say("DeleteUser is not a cascade")
    demo.call("DeleteUser", "delete-user --user-name developer", user_name="developer")
    demo.call(
        "RemoveUserFromGroup",
        "remove-user-from-group --user-name developer --group-name Developers",
        user_name="developer",
        group_name="Developers",
    )
    demo.call("DeleteUser", "delete-user --user-name developer", user_name="developer")
    demo.call(
        "ListUsers",
        "list-users",
    )
    return 0
