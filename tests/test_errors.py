"""The error model: one IamError class per AWS error code, with AWS's HTTP status."""

from __future__ import annotations

import inspect

import botocore.session
import pytest

from iamcore import errors
from iamcore.errors import ERRORS, IamError, error_for_code


def _modelled_errors() -> list[tuple[str, int, bool]]:
    model = botocore.session.get_session().get_service_model("iam")
    found = []
    for shape in model.error_shapes:
        error = shape.metadata.get("error")
        if error and error.get("code"):
            found.append((error["code"], error["httpStatusCode"], bool(error.get("senderFault"))))
    return sorted(found)


MODELLED = _modelled_errors()


def test_the_model_lists_errors() -> None:
    """botocore's IAM model has error shapes with codes (guards the table below)."""
    assert len(MODELLED) >= 30
    assert ("NoSuchEntity", 404, True) in MODELLED


@pytest.mark.parametrize(("code", "status", "sender"), MODELLED, ids=[m[0] for m in MODELLED])
def test_every_modelled_error_has_a_class(code: str, status: int, sender: bool) -> None:
    """Each IAM error shape in botocore's model has an IamError class with its code and status."""
    cls = error_for_code(code)
    assert issubclass(cls, IamError)
    assert cls.code == code
    assert cls.http_status == status
    assert cls.sender_fault is sender


@pytest.mark.parametrize(
    ("cls", "code", "status", "sender"),
    [
        (errors.ValidationError, "ValidationError", 400, True),
        (errors.MalformedInput, "MalformedInput", 400, True),
        (errors.AccessDenied, "AccessDenied", 403, True),
        (errors.InvalidClientTokenId, "InvalidClientTokenId", 403, True),
        (errors.SignatureDoesNotMatch, "SignatureDoesNotMatch", 403, True),
        (errors.InvalidInput, "InvalidInput", 400, True),
        (errors.NoSuchEntity, "NoSuchEntity", 404, True),
        (errors.EntityAlreadyExists, "EntityAlreadyExists", 409, True),
        (errors.LimitExceeded, "LimitExceeded", 409, True),
        (errors.DeleteConflict, "DeleteConflict", 409, True),
        (errors.ServiceFailure, "ServiceFailure", 500, False),
    ],
)
def test_common_errors(cls: type[IamError], code: str, status: int, sender: bool) -> None:
    """The Query-protocol common errors IAM returns without listing them in the model."""
    assert (cls.code, cls.http_status, cls.sender_fault) == (code, status, sender)
    assert ERRORS[code] is cls


def test_error_attributes_and_text() -> None:
    """An IamError carries .code, .http_status and .message; str() shows code and message."""
    error = errors.NoSuchEntity("The user with name bob cannot be found.")
    assert error.code == "NoSuchEntity"
    assert error.http_status == 404
    assert error.message == "The user with name bob cannot be found."
    assert str(error) == "NoSuchEntity: The user with name bob cannot be found."
    assert repr(error) == "NoSuchEntity('The user with name bob cannot be found.')"
    assert isinstance(error, Exception)


def test_every_error_class_is_registered_and_exported() -> None:
    """Every IamError subclass in iamcore.errors is in ERRORS and __all__, under its own code."""
    classes = [
        obj
        for name, obj in vars(errors).items()
        if inspect.isclass(obj)
        and issubclass(obj, IamError)
        and obj is not IamError
        and not name.startswith("_")
    ]
    assert classes
    for cls in classes:
        assert ERRORS[cls.code] is cls
        assert cls.__name__ in errors.__all__
    assert len(ERRORS) == len(classes)


def test_unknown_code_is_a_key_error() -> None:
    """error_for_code only knows AWS codes iamcore models."""
    with pytest.raises(KeyError):
        error_for_code("NoSuchThing")


def test_sender_faults_are_4xx_and_receiver_faults_5xx() -> None:
    """AWS Query protocol: Type=Sender errors are client (4xx) errors, Receiver errors 5xx."""
    for cls in ERRORS.values():
        if cls.sender_fault:
            assert 400 <= cls.http_status < 500, cls
        else:
            assert cls.http_status >= 500, cls
