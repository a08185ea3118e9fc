"""Save an account to JSON and load it back, exactly; a crash-safe state file.

The format is versioned and generic: every table of the account state and
every frozen entity in it is written with a small type tag, so all families
(users, keys, login profiles, MFA devices, policies, the report cache…) round
trip without per-family code.  Only classes defined in the ``iamcore``
package are ever rebuilt from a file.

Secrets — fields declared ``repr=False`` on an entity: secret access keys,
password hashes, MFA seeds, service passwords — are written only when
``include_secrets=True``; by default they are replaced by ``null``, so a
redacted file is safe to share but cannot sign anyone in.

:class:`StateFile` is the store behind the ``iamcore`` command line: writes
go to a temporary file that is flushed, fsync'ed and atomically renamed over
the old one, an advisory ``flock`` keeps two processes from interleaving, and
a file that is truncated or corrupt is refused with :class:`StateFileError`
rather than loaded half-way (the payload carries its SHA-256).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import enum
import fcntl
import hashlib
import importlib
import json
import os
import pathlib
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from iamcore.account import Account
from iamcore.clock import Clock
from iamcore.ids import Entropy
from iamcore.paging import SortedIndex
from iamcore.state import AccountState

__all__ = ["FORMAT", "StateFile", "StateFileError", "dumps", "from_dict", "loads", "to_dict"]

#: The format name and version written into every file.
FORMAT = "iamcore-account/1"
_SKIP = frozenset({"_snapshot", "_snapshot_version", "version", "user_paths"})


class StateFileError(Exception):
    """A state file is missing, truncated, corrupt, or from an unknown format version."""


def _class_path(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _load_class(path: str) -> type:
    module_name, _, qualname = path.partition(":")
    if not (module_name == "iamcore" or module_name.startswith("iamcore.")):
        raise StateFileError(f"refusing to load a non-iamcore class {path!r}")
    obj: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    if not isinstance(obj, type):
        raise StateFileError(f"{path!r} is not a class")
    return obj


def _encode(value: Any, secrets: bool) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return {"$enum": _class_path(type(value)), "v": value.value}
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, SortedIndex):
        return {"$index": list(value.keys)}
    if isinstance(value, tuple):
        return {"$tuple": [_encode(item, secrets) for item in value]}
    if isinstance(value, list):
        return [_encode(item, secrets) for item in value]
    if isinstance(value, set | frozenset):
        tag = "$frozenset" if isinstance(value, frozenset) else "$set"
        return {tag: [_encode(item, secrets) for item in sorted(value, key=repr)]}
    if isinstance(value, dict):
        return {"$dict": [[_encode(k, secrets), _encode(v, secrets)] for k, v in value.items()]}
    if attrs.has(type(value)):
        fields = {
            field.name: (
                _encode(getattr(value, field.name), secrets)
                if secrets or field.repr is not False
                else None
            )
            for field in attrs.fields(type(value))
        }
        return {"$attrs": _class_path(type(value)), "f": fields}
    raise TypeError(f"cannot persist {type(value).__name__}")


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "$dt": dt.datetime.fromisoformat,
    "$b": base64.b64decode,
    "$index": SortedIndex,
}


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "$attrs" in value:
        cls = _load_class(value["$attrs"])
        return cls(**{name: _decode(item) for name, item in value["f"].items()})
    if "$enum" in value:
        return _load_class(value["$enum"])(value["v"])
    if "$tuple" in value:
        return tuple(_decode(item) for item in value["$tuple"])
    if "$set" in value:
        return {_decode(item) for item in value["$set"]}
    if "$frozenset" in value:
        return frozenset(_decode(item) for item in value["$frozenset"])
    if "$dict" in value:
        return {_decode(k): _decode(v) for k, v in value["$dict"]}
    ((tag, item),) = value.items()
    return _DECODERS[tag](item)


def to_dict(account: Account, *, include_secrets: bool = False) -> dict[str, Any]:
    """Return the whole account as a JSON-able dict (secrets redacted unless asked)."""
    state = account._state
    with account._lock:
        fields = {
            name: _encode(value, include_secrets)
            for name, value in vars(state).items()
            if name not in _SKIP
        }
    return {"format": FORMAT, "secrets": include_secrets, "state": fields}


def from_dict(data: Any, *, clock: Clock | None = None, entropy: Entropy | None = None) -> Account:
    """Rebuild an Account from :func:`to_dict` output."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StateFileError(f"not an {FORMAT} document")
    try:
        fields = {name: _decode(value) for name, value in data["state"].items()}
        account = Account(fields["account_id"], clock=clock, entropy=entropy)
        state = AccountState.__new__(AccountState)
        vars(state).update(vars(account._state))
        vars(state).update(fields)
        state.version = 0
    except (KeyError, TypeError, ValueError, AttributeError, ImportError) as error:
        raise StateFileError(f"corrupt account document: {error}") from error
    account._state = state
    return account


def dumps(account: Account, *, include_secrets: bool = False) -> str:
    """Return the account as JSON text with an integrity checksum."""
    payload = json.dumps(to_dict(account, include_secrets=include_secrets), sort_keys=True)
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    return json.dumps({"sha256": digest, "account": json.loads(payload)}, sort_keys=True) + "\n"


def loads(text: str, *, clock: Clock | None = None, entropy: Entropy | None = None) -> Account:
    """Load an account from :func:`dumps` text; refuse anything truncated or altered."""
    try:
        outer = json.loads(text)
        payload = json.dumps(outer["account"], sort_keys=True)
        expected = outer["sha256"]
    except (ValueError, KeyError, TypeError) as error:
        raise StateFileError(f"state is truncated or not JSON: {error}") from error
    if hashlib.sha256(payload.encode("utf-8")).hexdigest() != expected:
        raise StateFileError("state checksum does not match: the file is corrupt")
    return from_dict(outer["account"], clock=clock, entropy=entropy)


class StateFile:
    """An account kept in a file, changed under an exclusive advisory lock.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "state.json"
    >>> with StateFile(path).edit() as account:
    ...     _ = account.create_user(user_name="alice")
    >>> with StateFile(path).edit() as account:
    ...     [u.user_name for u in account.list_users().users]
    ['alice']
    """

    def __init__(self, path: str | os.PathLike[str], account_id: str = "123456789012") -> None:
        self.path = pathlib.Path(path)
        self.account_id = account_id

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with open(lock_path, "a+b") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def _read(self) -> Account:
        if not self.path.exists():
            return Account(self.account_id)
        return loads(self.path.read_text("utf-8"))

    def _write(self, account: Account) -> None:
        text = dumps(account, include_secrets=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        directory = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def load(self) -> Account:
        """Read the account (a fresh one if the file does not exist yet)."""
        with self._locked():
            return self._read()

    @contextlib.contextmanager
    def edit(self) -> Iterator[Account]:
        """Lock, load, yield the account, and save it if it changed."""
        with self._locked():
            account = self._read()
            before = account.snapshot()
            yield account
            if account.snapshot() is not before:
                self._write(account)
