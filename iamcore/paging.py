"""Pagination as IAM does it: ``MaxItems`` (1–1000, default 100) and ``Marker``.

IAM returns ``IsTruncated`` and, only when it is true, an opaque ``Marker``
to pass back.  iamcore keeps each listing in a sorted index and the marker
names the last key returned, so a page costs O(log n + page) and pages stay
consistent when entities are added or removed between calls.
"""

from __future__ import annotations

import base64
import binascii
import bisect
from collections.abc import Callable, Iterable
from typing import TypeVar

from iamcore.errors import InvalidInput

__all__ = ["DEFAULT_MAX_ITEMS", "SortedIndex", "page", "page_of_sorted"]

T = TypeVar("T")
DEFAULT_MAX_ITEMS = 100


class SortedIndex:
    """A sorted list of string keys with O(log n) search."""

    __slots__ = ("keys",)

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self.keys: list[str] = sorted(keys)

    def add(self, key: str) -> None:
        """Insert ``key`` (absent before)."""
        bisect.insort(self.keys, key)

    def remove(self, key: str) -> None:
        """Remove ``key`` (present before)."""
        del self.keys[bisect.bisect_left(self.keys, key)]

    def __len__(self) -> int:
        return len(self.keys)

    def __repr__(self) -> str:
        return f"SortedIndex({len(self.keys)} keys)"


def _encode(key: str) -> str:
    return base64.b64encode(key.encode("utf-8")).decode("ascii")


def _decode(marker: str) -> str:
    try:
        return base64.b64decode(marker.encode("latin-1"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError) as error:
        raise InvalidInput("Invalid Marker.") from error


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
    start = bisect.bisect_right(keys, _decode(marker)) if marker is not None else 0
    items: list[T] = []
    last = ""
    index = start
    total = len(keys)
    while index < total and len(items) < limit:
        key = keys[index]
        item = lookup(key)
        if item is not None:
            items.append(item)
            last = key
        index += 1
    while index < total:  # look ahead for one more match, so IsTruncated is exact
        if lookup(keys[index]) is not None:
            return items, True, _encode(last)
        index += 1
    return items, False, None


def page_of_sorted(
    items: list[T], key: Callable[[T], str], marker: str | None, max_items: int | None
) -> tuple[list[T], bool, str | None]:
    """Page through a small list already sorted by ``key`` (e.g. a user's tags)."""
    keys = [key(item) for item in items]
    by_key = dict(zip(keys, items, strict=True))
    return page(keys, by_key.get, marker, max_items)
