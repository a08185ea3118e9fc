"""The default entropy of an Account: the operating system's CSPRNG, read through a buffer.

IDs, secret access keys, passwords and salts need 5 to 40 random bytes at a
time.  :func:`os.urandom` makes one ``getrandom()`` system call for each
(about 0.3 µs, as much as the rest of drawing a user ID).  Where the system
has ``/dev/urandom`` (the same generator as ``getrandom()`` on Linux, the
system CSPRNG on macOS and the BSDs), :func:`system_entropy` reads it through
an :class:`io.BufferedReader`, 4 KiB per system call.  The reader is C code
with its own lock, so threads that draw at the same time never get the same
bytes.

A forked child must not hand out the bytes its parent still holds in the
buffer: it opens a reader of its own at fork.  The parent's copy is kept
referenced, never used or closed, because another thread may have held its
lock at the moment of the fork.  Where ``/dev/urandom`` cannot be opened
(Windows, a chroot without ``/dev``), :func:`system_entropy` is
:func:`os.urandom`.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable

__all__ = ["system_entropy"]

_BUFFER_BYTES = 4096


def _open() -> Callable[[int], bytes] | None:
    try:
        reader = open("/dev/urandom", "rb", buffering=_BUFFER_BYTES)  # noqa: SIM115 (kept open)
    except OSError:
        return None
    if not isinstance(reader, io.BufferedReader):  # pragma: no cover - open() gives one
        reader.close()
        return None
    _readers.append(reader)
    return reader.read


_readers: list[io.BufferedReader] = []  # every reader opened, so none is ever collected
_read = _open()


def system_entropy(n: int) -> bytes:
    """Return ``n`` bytes from the operating system's CSPRNG (see the module docstring)."""
    read = _read
    if read is not None and n.__class__ is int and n >= 0:  # else os.urandom raises
        data = read(n)
        if len(data) == n:
            return data
    return os.urandom(n)


def _reopen_in_child() -> None:
    global _read
    if _read is not None:
        _read = _open()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reopen_in_child)
