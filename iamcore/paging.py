"""Pagination as IAM does it: ``MaxItems`` (1–1000, default 100) and ``Marker``.

IAM returns ``IsTruncated`` and, only when it is true, an opaque ``Marker``
to pass back; a marker it did not issue is refused with ``ValidationError:
Invalid Marker.`` (HTTP 400), as AWS answers ListVirtualMFADevices (observed).
iamcore keeps each listing in a sorted index and the marker names the last
key returned, so a page costs O(log n + page) and pages stay
consistent when entities are added or removed between calls.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import hashlib
import re
from collections.abc import Callable, Iterable
from typing import TypeVar

from iamcore.errors import ValidationError

__all__ = [
    "DEFAULT_MAX_ITEMS",
    "SortedIndex",
    "bind_marker",
    "page",
    "page_in_order",
    "page_of_runs",
    "page_of_sorted",
    "unbind_marker",
]

T = TypeVar("T")
DEFAULT_MAX_ITEMS = 100


class SortedIndex:
    """String keys kept for listing in sorted order.

    The list is a sorted run followed by a tail of keys added since the last
    read.  Adding is O(1): a key that sorts after every other extends the run,
    any other goes to the tail.  Reading the keys sorts the tail into the run
    (timsort merges it in about linear time), so a burst of creates costs one
    sort rather than a shift per key.  Removing a key of the run is a binary
    search; removing one of the tail sorts first.
    """

    __slots__ = ("_keys", "_run")

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self._keys: list[str] = sorted(keys)
        self._run = len(self._keys)  # how many leading keys are sorted

    @property
    def keys(self) -> list[str]:
        """The keys in order (do not modify)."""
        keys = self._keys
        if self._run != len(keys):
            keys.sort()
            self._run = len(keys)
        return keys

    def add(self, key: str) -> None:
        """Insert ``key`` (absent before)."""
        keys = self._keys
        if self._run == len(keys) and (not keys or keys[-1] < key):
            self._run += 1
        keys.append(key)

    def remove(self, key: str) -> None:
        """Remove ``key`` (present before)."""
        keys, run = self._keys, self._run
        index = bisect.bisect_left(keys, key, 0, run)
        if index == run or keys[index] != key:  # in the tail
            keys = self.keys
            index = bisect.bisect_left(keys, key)
        del keys[index]
        self._run -= 1

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"SortedIndex({len(self._keys)} keys)"


#: AWS's answer to a Marker it did not issue (ValidationError, HTTP 400)
INVALID_MARKER = "Invalid Marker."
#: the longest Marker IAM accepts back (``markerType``: 1–320 characters)
MAX_MARKER = 320
_LONG = "!"  # starts a marker that names its key by a prefix and a digest
_DIGEST = 12  # characters of digest in such a marker
_DIGEST_TEXT = re.compile(f"[A-Za-z0-9+/]{{{_DIGEST}}}")  # the base64 of 9 digest bytes


def _digest(key: str) -> str:
    return base64.b64encode(hashlib.sha256(key.encode("utf-8")).digest()[:9]).decode("ascii")


def _encode(key: str) -> str:
    """Return the marker naming ``key``: the base64 of its UTF-8.

    A key whose base64 would not fit IAM's 320-character Marker (a long
    non-ASCII tag key) is named by a prefix that fits and a digest of the
    whole key, so every marker iamcore hands out can be passed back.
    """
    plain = base64.b64encode(key.encode("utf-8")).decode("ascii")
    if len(plain) <= MAX_MARKER:
        return plain
    budget = (MAX_MARKER - len(_LONG) - _DIGEST) // 4 * 3  # UTF-8 bytes whose base64 fits
    size = cut = 0
    for char in key:
        size += len(char.encode("utf-8"))
        if size > budget:
            break
        cut += 1
    prefix = base64.b64encode(key[:cut].encode("utf-8")).decode("ascii")
    return _LONG + _digest(key) + prefix


def _decode(marker: str) -> str:
    try:
        return base64.b64decode(marker.encode("latin-1"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError) as error:
        raise ValidationError(INVALID_MARKER) from error


def _start(keys: list[str], marker: str) -> int:
    """Where the page after ``marker`` starts in ``keys``: just after the key it names."""
    if not marker.startswith(_LONG):
        return bisect.bisect_right(keys, _decode(marker))
    digest = marker[len(_LONG) : len(_LONG) + _DIGEST]
    prefix = _decode(marker[len(_LONG) + _DIGEST :])
    if _DIGEST_TEXT.fullmatch(digest) is None or not prefix:  # not one _encode wrote
        raise ValidationError(INVALID_MARKER)
    first = index = bisect.bisect_left(keys, prefix)
    while index < len(keys) and keys[index].startswith(prefix):
        if _digest(keys[index]) == digest:
            return index + 1
        index += 1
    return first  # the key is gone since: go on from the first key sharing its prefix


def page(
    keys: list[str],
    lookup: Callable[[str], T | None],
    marker: str | None,
    max_items: int | None,
) -> tuple[list[T], bool, str | None]:
    """Return ``(items, is_truncated, next_marker)`` for one page of ``keys``.

    ``keys`` is sorted; ``lookup(key)`` returns the item for a key, or
    ``None`` to skip it (a filter such as ``PathPrefix``).
    """
    limit = DEFAULT_MAX_ITEMS if max_items is None else max_items
    start = _start(keys, marker) if marker is not None else 0
    items: list[T] = []
    last = ""
    rest = start  # where the look-ahead starts
    if limit > 0:
        for index in range(start, len(keys)):
            item = lookup(keys[index])
            if item is not None:
                items.append(item)
                if len(items) == limit:
                    last, rest = keys[index], index + 1
                    break
        else:  # every key seen: nothing more to come
            return items, False, None
    for index in range(rest, len(keys)):  # look ahead for one more match: IsTruncated is exact
        if lookup(keys[index]) is not None:
            return items, True, _encode(last)
    return items, False, None


def page_of_runs(
    runs: list[list[str]],
    lookup: Callable[[str], T],
    marker: str | None,
    max_items: int | None,
) -> tuple[list[T], bool, str | None]:
    """:func:`page` over the sorted union of a few disjoint sorted key lists.

    Each run gives at most a page and one more key after the marker (a bisection
    each); those are sorted together, so a page costs O(runs x (log n + page)),
    however many keys the runs hold.
    """
    limit = DEFAULT_MAX_ITEMS if max_items is None else max_items
    if marker is not None:
        _start([], marker)  # an invalid marker is refused even when no run is left
    found: list[str] = []
    for keys in runs:
        start = _start(keys, marker) if marker is not None else 0
        found += keys[start : start + limit + 1]
    if len(runs) > 1:
        found.sort()
    if len(found) > limit:
        last = found[limit - 1] if limit else ""  # as page() names an empty page's end
        return [lookup(key) for key in found[:limit]], True, _encode(last)
    return [lookup(key) for key in found], False, None


def page_of_sorted(
    items: list[T], key: Callable[[T], str], marker: str | None, max_items: int | None
) -> tuple[list[T], bool, str | None]:
    """Page through a small list already sorted by ``key`` (e.g. a user's tags)."""
    keys = [key(item) for item in items]
    by_key = dict(zip(keys, items, strict=True))
    return page(keys, by_key.get, marker, max_items)


def page_in_order(
    items: list[T], marker: str | None, max_items: int | None
) -> tuple[list[T], bool, str | None]:
    """Page through a small list in its own order (e.g. a user's access keys, oldest first).

    The marker names a position in the list.
    """
    keys = [f"{index:04d}" for index in range(len(items))]
    by_key = dict(zip(keys, items, strict=True))
    return page(keys, by_key.get, marker, max_items)


def bind_marker(scope: str, marker: str) -> str:
    """A marker that remembers what it was issued for (a Filter, a report and its list),
    so a later call can check it: base64 of ``scope``, ``~``, then ``marker``."""
    return f"{base64.b64encode(scope.encode('utf-8')).decode('ascii')}~{marker}"


def unbind_marker(marker: str) -> tuple[str, str] | None:
    """The ``(scope, marker)`` a :func:`bind_marker` marker holds, ``None`` for any other."""
    tag, separator, inner = marker.partition("~")
    if not separator or not inner:
        return None
    try:
        return base64.b64decode(tag, validate=True).decode("utf-8"), inner
    except (binascii.Error, ValueError, UnicodeError):
        return None
