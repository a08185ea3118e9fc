"""``iamcore demo``: the IAM users guide, step by step, on an in-memory account.

Each step prints the AWS CLI command it models and the JSON the AWS CLI
would print for the response (errors as the AWS CLI prints them).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TextIO

import jmespath

from iamcore import _model, audit, credential_report, totp
from iamcore.account import Account
from iamcore.awscli import cli_timestamp, cli_value, with_policies_decoded
from iamcore.errors import IamError
from iamcore.serialize import to_response

__all__ = ["Walkthrough", "run"]


class Walkthrough:
    """Runs native calls and prints them as ``aws iam`` commands and JSON."""

    def __init__(self, account: Account, out: TextIO) -> None:
        self.account = account
        self.out = out

    def say(self, text: str) -> None:
        """Print a heading."""
        self.out.write(f"\n## {text}\n")

    def note(self, text: str) -> None:
        """Print a comment line."""
        self.out.write(f"# {text}\n")

    def call(
        self,
        operation: str,
        command: str,
        *,
        hide: tuple[str, ...] = (),
        query: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """Run ``operation`` natively, printing ``command`` and the CLI-shaped output.

        ``hide`` names members the AWS CLI writes to a file instead of printing
        (``create-virtual-mfa-device --outfile``).
        """
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
        body = _as_cli_prints(
            operation, _without(to_response(operation, result, cli_timestamp), hide)
        )
        if query is not None:
            body = jmespath.search(query, body)
        if body:
            self.out.write(json.dumps(cli_value(body), indent=4) + "\n")
        return result


def _as_cli_prints(operation: str, body: dict[str, Any]) -> dict[str, Any]:
    """What the AWS CLI prints for a one-page answer: policy documents decoded, and for an
    operation it pages automatically, no ``IsTruncated``/``Marker``."""
    body = with_policies_decoded(operation, body)
    paginator = _model.model()["paginators"].get(operation)
    if paginator is not None and body.get("IsTruncated") is False:
        body = {
            k: v for k, v in body.items() if k not in ("IsTruncated", paginator["output_token"])
        }
    return body


def _without(value: Any, hidden: tuple[str, ...]) -> Any:
    if isinstance(value, dict):
        return {k: _without(v, hidden) for k, v in value.items() if k not in hidden}
    return value


def run(out: TextIO, account_id: str = "123456789012") -> int:
    """Run the whole walkthrough, writing to ``out``; return 0."""
    account = Account(account_id)
    demo = Walkthrough(account, out)
    out.write(f"iamcore demo: the IAM users guide on an in-memory account {account_id}\n")
    users_and_groups(demo)
    console_password(demo)
    mfa(demo)
    paths(demo)
    boundaries(demo)
    key_rotation(demo)
    password_policy(demo)
    tags_and_names(demo)
    report_and_audit(demo)  # keep last (issue 5)
    return 0


def users_and_groups(demo: Walkthrough) -> None:
    """Create the user and add it to a group."""
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


def console_password(demo: Walkthrough) -> None:
    """A console password that must be changed at the first sign-in."""
    demo.say("Create console password (optional)")
    demo.call(
        "CreateLoginProfile",
        'create-login-profile --user-name developer --password "TempPassword123!" '
        "--password-reset-required",
        user_name="developer",
        password="TempPassword123!",
        password_reset_required=True,
    )
    result = demo.account.console_sign_in(user_name="developer", password="TempPassword123!")
    demo.note(f"console sign-in as developer: {result.outcome.value}")


def mfa(demo: Walkthrough) -> None:
    """A virtual MFA device, enabled with two consecutive real TOTP codes."""
    demo.say("Enable MFA")
    try:
        import segno  # noqa: F401 - only to tell whether QR codes can be drawn
    except ImportError:
        demo.note("skipped: drawing the QR code needs the optional 'segno' (iamcore[qr])")
        return
    created = demo.call(
        "CreateVirtualMFADevice",
        "create-virtual-mfa-device --virtual-mfa-device-name developer-mfa "
        "--outfile /tmp/qrcode.png --bootstrap-method QRCodePNG",
        virtual_mfa_device_name="developer-mfa",
        hide=("QRCodePNG", "Base32StringSeed"),
    )
    if created is None:
        return
    device = created.virtual_mfa_device
    demo.note(f"QR code: a {len(device.qr_code_png)}-byte PNG of the otpauth:// URI")
    serial = device.serial_number
    demo.call(
        "EnableMFADevice",
        f"enable-mfa-device --user-name developer --serial-number {serial} "
        "--authentication-code1 123456 --authentication-code2 789012",
        user_name="developer",
        serial_number=serial,
        authentication_code1="123456",
        authentication_code2="789012",
    )
    step = totp.time_step(demo.account.clock.now())
    first = totp.code_for_step(device.base32_string_seed, step - 1)
    second = totp.code_for_step(device.base32_string_seed, step)
    demo.note("the guide's sample codes are refused; two consecutive codes from the seed work:")
    demo.call(
        "EnableMFADevice",
        f"enable-mfa-device --user-name developer --serial-number {serial} "
        f"--authentication-code1 {first} --authentication-code2 {second}",
        user_name="developer",
        serial_number=serial,
        authentication_code1=first,
        authentication_code2=second,
    )
    demo.call("ListMFADevices", "list-mfa-devices --user-name developer", user_name="developer")


def paths(demo: Walkthrough) -> None:
    """Paths organise users; ListUsers filters by path prefix."""
    demo.say("User paths")
    demo.call(
        "CreateUser",
        "create-user --user-name developer --path /engineering/backend/",
        user_name="developer",
        path="/engineering/backend/",
    )
    demo.note("the name is taken (names are unique in the account); another user:")
    demo.call(
        "CreateUser",
        "create-user --user-name backend-dev --path /engineering/backend/",
        user_name="backend-dev",
        path="/engineering/backend/",
    )
    demo.call("ListUsers", "list-users --path-prefix /engineering/", path_prefix="/engineering/")


_BOUNDARY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["s3:*", "cloudwatch:*", "iam:Get*", "iam:ChangePassword"],
            "Resource": "*",
        }
    ],
}


def boundaries(demo: Walkthrough) -> None:
    """A permissions boundary caps what the developer's policies can grant."""
    demo.say("Permission boundaries")
    demo.call(
        "CreatePolicy",
        "create-policy --policy-name DeveloperBoundary --policy-document file://boundary.json",
        policy_name="DeveloperBoundary",
        policy_document=json.dumps(_BOUNDARY),
    )
    arn = f"arn:aws:iam::{demo.account.account_id}:policy/DeveloperBoundary"
    demo.call(
        "PutUserPermissionsBoundary",
        f"put-user-permissions-boundary --user-name developer --permissions-boundary {arn}",
        user_name="developer",
        permissions_boundary=arn,
    )
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    demo.call(
        "AttachUserPolicy",
        f"attach-user-policy --user-name developer --policy-arn {admin}",
        user_name="developer",
        policy_arn=admin,
    )
    demo.note("AdministratorAccess allows everything, but the boundary caps it:")
    user_arn = f"arn:aws:iam::{demo.account.account_id}:user/developer"
    query = (
        "EvaluationResults[].{Action: EvalActionName, Decision: EvalDecision, "
        "AllowedByBoundary: PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary}"
    )
    demo.call(
        "SimulatePrincipalPolicy",
        f"simulate-principal-policy --policy-source-arn {user_arn} "
        f"--action-names s3:GetObject iam:CreateUser --query '{query}'",
        policy_source_arn=user_arn,
        action_names=["s3:GetObject", "iam:CreateUser"],
        query=query,
    )
    demo.call(
        "DetachUserPolicy",
        f"detach-user-policy --user-name developer --policy-arn {admin}",
        user_name="developer",
        policy_arn=admin,
    )


def key_rotation(demo: Walkthrough) -> None:
    """Rotate access keys: create a new one, deactivate the old one, delete it."""
    demo.say("Rotate access keys")
    old = demo.call(
        "CreateAccessKey", "create-access-key --user-name developer", user_name="developer"
    )
    demo.note("the secret access key is shown only now; later calls never return it")
    new = demo.call(
        "CreateAccessKey", "create-access-key --user-name developer", user_name="developer"
    )
    demo.call("CreateAccessKey", "create-access-key --user-name developer", user_name="developer")
    if old is None or new is None:
        return
    old_id = old.access_key.access_key_id
    demo.account.authenticate(
        access_key_id=new.access_key.access_key_id,
        secret_access_key=new.access_key.secret_access_key,
        service="s3",
        region="eu-west-1",
    )
    demo.note("an application signs a request with the new key (recorded as last used)")
    demo.call(
        "UpdateAccessKey",
        f"update-access-key --user-name developer --access-key-id {old_id} --status Inactive",
        user_name="developer",
        access_key_id=old_id,
        status="Inactive",
    )
    demo.call(
        "DeleteAccessKey",
        f"delete-access-key --user-name developer --access-key-id {old_id}",
        user_name="developer",
        access_key_id=old_id,
    )
    demo.call("ListAccessKeys", "list-access-keys --user-name developer", user_name="developer")
    new_id = new.access_key.access_key_id
    demo.call(
        "GetAccessKeyLastUsed",
        f"get-access-key-last-used --access-key-id {new_id}",
        access_key_id=new_id,
    )


def password_policy(demo: Walkthrough) -> None:
    """An account password policy, enforced when the user changes the password."""
    demo.say("Password policy")
    demo.call(
        "UpdateAccountPasswordPolicy",
        "update-account-password-policy --minimum-password-length 14 --require-symbols "
        "--require-numbers --require-uppercase-characters --require-lowercase-characters "
        "--allow-users-to-change-password --max-password-age 90 --password-reuse-prevention 24",
        minimum_password_length=14,
        require_symbols=True,
        require_numbers=True,
        require_uppercase_characters=True,
        require_lowercase_characters=True,
        allow_users_to_change_password=True,
        max_password_age=90,
        password_reuse_prevention=24,
    )
    demo.call("GetAccountPasswordPolicy", "get-account-password-policy")
    with demo.account.acting_as("developer"):
        demo.note("signed in as developer:")
        demo.call(
            "ChangePassword",
            'change-password --old-password "TempPassword123!" --new-password "Short1!"',
            old_password="TempPassword123!",
            new_password="Short1!",
        )
        demo.call(
            "ChangePassword",
            'change-password --old-password "TempPassword123!" '
            '--new-password "Correct-Horse-42-Battery"',
            old_password="TempPassword123!",
            new_password="Correct-Horse-42-Battery",
        )


def tags_and_names(demo: Walkthrough) -> None:
    """Tags, case-insensitive names, renames, and DeleteUser's refusal to cascade."""
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
    demo.say("Names are unique ignoring case; renames keep the unique ID")
    demo.call("CreateUser", "create-user --user-name DEVELOPER", user_name="DEVELOPER")
    demo.call(
        "UpdateUser",
        "update-user --user-name backend-dev --new-user-name backend-lead",
        user_name="backend-dev",
        new_user_name="backend-lead",
    )
    demo.call("GetUser", "get-user --user-name backend-lead", user_name="backend-lead")
    demo.say("DeleteUser is not a cascade")
    demo.call("DeleteUser", "delete-user --user-name developer", user_name="developer")


def report_and_audit(demo: Walkthrough) -> None:
    """The closing step: the credential report (its CSV) and its CIS audit."""
    demo.say("Credential report: generated at most every 4 hours")
    demo.call("GenerateCredentialReport", "generate-credential-report")
    demo.call("GenerateCredentialReport", "generate-credential-report")
    demo.out.write("$ aws iam get-credential-report --output text --query Content | base64 -d\n")
    content = demo.account.get_credential_report().content.decode("utf-8")
    demo.out.write(content + "\n")
    demo.say("Audit: CIS AWS Foundations Benchmark checks")
    policy = demo.account.snapshot().tables.get("password_policy")
    option = "--no-password-policy" if policy is None else "--password-policy policy.json"
    demo.out.write(f"$ iamcore audit report.csv {option}\n")
    now = demo.account.clock.now()
    findings = audit.audit_rows(credential_report.parse_csv(content), policy, now=now)
    demo.out.write(audit.format_table(findings) + "\n")
