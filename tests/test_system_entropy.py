"""The default entropy: the system CSPRNG read through a buffer.

IDs, secret access keys and password salts are drawn from it, so it must
give exactly the bytes asked for, never the same bytes twice (across
threads, and across a fork, where a child inherits the parent's buffer), and
fall back to ``os.urandom`` where there is no ``/dev/urandom``.  The same
holds for the unique IDs drawn ahead from it.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from typing import Any

import pytest

from iamcore import Account, _system_entropy, ids
from iamcore._system_entropy import system_entropy
from iamcore.ids import IdPrefix


@pytest.mark.parametrize("size", [0, 1, 5, 16, 17, 40, 4095, 4096, 10_000])
def test_gives_exactly_the_bytes_asked_for(size: int) -> None:
    """entropy(n) returns n bytes (the contract every ID and secret relies on)."""
    assert len(system_entropy(size)) == size


def test_is_the_default_entropy_of_an_account() -> None:
    """An Account without injected entropy draws from the system CSPRNG."""
    assert Account().entropy is system_entropy


def test_threads_never_share_bytes() -> None:
    """Concurrent draws (the buffer is shared by every thread) are all different."""
    drawn: list[bytes] = []

    def draw() -> None:
        drawn.extend(system_entropy(16) for _ in range(2_000))

    threads = [threading.Thread(target=draw) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(drawn) == len(set(drawn)) == 8_000


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_does_not_repeat_its_parents_bytes() -> None:
    """After a fork, parent and child draw different bytes: the child does not hand
    out what remains of the buffer it inherited (else both would mint the same IDs
    and secrets)."""
    system_entropy(16)  # the parent's buffer now holds bytes not yet handed out
    from_child = _in_forked_child(lambda: system_entropy(64), 64)
    assert len(from_child) == 64
    assert system_entropy(64) != from_child


def _in_forked_child(draw: Any, size: int) -> bytes:
    """The ``size`` bytes ``draw()`` returns in a forked child of this process."""
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            os.write(writing, draw())
        finally:
            os._exit(0)
    os.close(writing)
    from_child = b""
    while len(from_child) < size:
        chunk = os.read(reading, size)
        if not chunk:
            break
        from_child += chunk
    os.close(reading)
    os.waitpid(child, 0)
    return from_child


def test_falls_back_to_os_urandom(monkeypatch: Any) -> None:
    """No /dev/urandom (Windows, a chroot), or a short read: os.urandom gives the bytes."""
    calls: list[int] = []

    def urandom(size: int) -> bytes:
        calls.append(size)
        return b"\x01" * size

    monkeypatch.setattr(_system_entropy.os, "urandom", urandom)
    monkeypatch.setattr(_system_entropy, "_read", None)
    assert system_entropy(8) == b"\x01" * 8
    monkeypatch.setattr(_system_entropy, "_read", lambda size: b"\x02" * (size - 1))
    assert system_entropy(8) == b"\x01" * 8
    assert calls == [8, 8]


@pytest.mark.skipif(sys.platform == "win32", reason="no /dev/urandom")
def test_reads_the_system_device_through_a_buffer() -> None:
    """Where /dev/urandom exists it is read through a buffer (one system call per 4 KiB)."""
    assert _system_entropy._read is not None
    assert _system_entropy._readers[-1].name == "/dev/urandom"


def test_a_negative_or_non_integer_size_is_refused_as_os_urandom_does() -> None:
    """entropy(-1) raises ValueError and entropy(None) TypeError at once, as os.urandom
    does, instead of reading the device without end."""
    with pytest.raises(ValueError, match="negative"):
        system_entropy(-1)
    with pytest.raises(TypeError):
        system_entropy(None)  # type: ignore[arg-type]


def test_system_ids_are_well_formed_and_never_repeat_across_threads() -> None:
    """AWS unique IDs: prefix and 17 base32 characters.  With the system entropy they
    are drawn ahead in batches; threads drawing at once never get the same ID."""
    drawn: list[str] = []

    def draw() -> None:
        drawn.extend(ids.unique_id(IdPrefix.USER, system_entropy) for _ in range(1_000))

    threads = [threading.Thread(target=draw) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(drawn) == len(set(drawn)) == 4_000
    assert all(re.fullmatch(r"AIDA[A-Z2-7]{17}", value) for value in drawn)
    group_id = ids.unique_id(IdPrefix.GROUP, system_entropy)
    assert re.fullmatch(r"AGPA[A-Z2-7]{17}", group_id)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_does_not_repeat_its_parents_ids() -> None:
    """IDs drawn ahead by the parent are not handed out again by a forked child (else
    parent and child would create users with the same ID)."""
    ids.unique_id(IdPrefix.USER, system_entropy)  # the parent now holds IDs drawn ahead
    from_child = _in_forked_child(
        lambda: ids.unique_id(IdPrefix.USER, system_entropy).encode(), 21
    )
    assert len(from_child) == 21
    assert ids.unique_id(IdPrefix.USER, system_entropy) != from_child.decode()
