"""The code samples in README.md and docs/ run as written.

Every fenced ```python block of a page is run, top to bottom, in one fresh
interpreter per page, so a page's examples may build on each other.  A block
whose first line is ``# not run`` is skipped (used for shell-dependent snippets).
"""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAGES = sorted([ROOT / "README.md", *ROOT.glob("docs/**/*.md")])
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _program(page: pathlib.Path) -> str:
    blocks = [
        block
        for block in _BLOCK.findall(page.read_text("utf-8"))
        if not block.startswith("# not run")
    ]
    return "\n".join(blocks)


@pytest.mark.parametrize(
    "page",
    [page for page in PAGES if _program(page)],
    ids=lambda page: str(page.relative_to(ROOT)),
)
def test_page_examples_run(page: pathlib.Path, tmp_path: pathlib.Path) -> None:
    """Docs examples are executed, so they stay true as the code changes."""
    result = subprocess.run(
        [sys.executable, "-c", _program(page)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"{page.name} examples failed:\n{result.stderr[-4000:]}"


def test_docs_have_examples() -> None:
    """The quickstart has runnable examples (guards against a broken block regex)."""
    assert _program(ROOT / "docs" / "quickstart.md")


def test_error_table_matches_code() -> None:
    """docs/errors.md lists every error class with its AWS code and HTTP status."""
    from iamcore.errors import ERRORS

    text = (ROOT / "docs" / "errors.md").read_text("utf-8")
    for code, cls in ERRORS.items():
        assert f"| `{cls.__name__}` | `{code}` | {cls.http_status} |" in text


def test_relative_links_resolve() -> None:
    """Every relative link in the README and docs/ points at a file that exists."""
    broken = []
    for page in [*PAGES, ROOT / "SECURITY.md", ROOT / "CHANGELOG.md"]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text("utf-8")):
            if (
                not target.startswith(("http://", "https://"))
                and not (page.parent / target).exists()
            ):
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert broken == []
