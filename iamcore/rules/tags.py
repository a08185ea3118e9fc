"""Tag rules shared by taggable resources (AWS "Tagging IAM resources").

- At most 50 tags per resource.
- Keys beginning with ``aws:`` (any case) are reserved for AWS: InvalidInput
  "Tag keys beginning with aws: are reserved for system use." (recorded from
  AWS for TagUser and TagMFADevice in 2026).  Values may begin with ``aws:``,
  and untagging an ``aws:`` key succeeds, as AWS answered then, although the
  tagging guide says values are reserved too.
- TagUser, TagPolicy and TagMFADevice with an empty tag list are refused:
  InvalidInput "Error occurred while validating input. " (recorded for
  TagUser, trailing space included).
- On IAM users (and roles) keys are case-insensitive with case preserved:
  tagging ``department=hr`` a user tagged ``Department=finance`` replaces that
  tag, and the new spelling is kept (observed: aws/aws-cdk#26253).  On other
  resources (managed policies, MFA devices, …) keys are case-sensitive.
- A request that names the same key twice (ignoring case where keys are
  case-insensitive) is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from iamcore.entities import Tag
from iamcore.errors import InvalidInput, LimitExceeded
from iamcore.paging import page

__all__ = [
    "EMPTY_TAG_LIST",
    "MAX_TAGS",
    "RESERVED_KEY",
    "add_tags",
    "page_tags",
    "remove_tags",
    "tags_to_add",
    "to_tags",
]

MAX_TAGS = 50
RESERVED_KEY = "Tag keys beginning with aws: are reserved for system use."
EMPTY_TAG_LIST = "Error occurred while validating input. "


def _key(key: str, case_insensitive: bool) -> str:
    return key.lower() if case_insensitive else key


def to_tags(raw: Iterable[Mapping[str, Any]], case_insensitive: bool) -> tuple[Tag, ...]:
    """Turn validated ``{"key", "value"}`` dicts into tags, refusing ``aws:`` keys and
    duplicates (in that order, as AWS checks them)."""
    tags = tuple(Tag(item["key"], item.get("value", "")) for item in raw)
    if any(tag.key.lower().startswith("aws:") for tag in tags):
        raise InvalidInput(RESERVED_KEY)
    seen = {_key(tag.key, case_insensitive) for tag in tags}
    if len(seen) != len(tags):
        note = " Please note that Tag keys are case insensitive." if case_insensitive else ""
        raise InvalidInput("Duplicate tag keys found." + note)
    return tags


def tags_to_add(raw: Sequence[Mapping[str, Any]], case_insensitive: bool) -> tuple[Tag, ...]:
    """The tags of a TagUser/TagPolicy/TagMFADevice request: :func:`to_tags`, and at
    least one (:data:`EMPTY_TAG_LIST`)."""
    if not raw:
        raise InvalidInput(EMPTY_TAG_LIST)
    return to_tags(raw, case_insensitive)


def add_tags(
    existing: tuple[Tag, ...],
    new: tuple[Tag, ...],
    case_insensitive: bool,
    quota_name: str,
) -> tuple[Tag, ...]:
    """Merge ``new`` into ``existing``: same keys are replaced, the rest appended.

    Raises LimitExceeded if the result would have more than 50 tags.
    """
    replacing = {_key(tag.key, case_insensitive): tag for tag in new}
    merged = [replacing.pop(_key(tag.key, case_insensitive), tag) for tag in existing]
    merged.extend(replacing.values())
    if len(merged) > MAX_TAGS:
        raise LimitExceeded(f"Cannot exceed quota for {quota_name}: {MAX_TAGS}")
    return tuple(merged)


def remove_tags(
    existing: tuple[Tag, ...], keys: Iterable[str], case_insensitive: bool
) -> tuple[Tag, ...]:
    """Remove the tags named by ``keys``; keys that are not there are ignored."""
    doomed = {_key(key, case_insensitive) for key in keys}
    return tuple(tag for tag in existing if _key(tag.key, case_insensitive) not in doomed)


def page_tags(
    tags: tuple[Tag, ...], marker: str | None, max_items: int | None
) -> tuple[list[Tag], bool, str | None]:
    """One page of a resource's tags sorted by key (ListUserTags, ListPolicyTags, …)."""
    by_key = {tag.key: tag for tag in tags}
    return page(sorted(by_key), by_key.get, marker, max_items)
