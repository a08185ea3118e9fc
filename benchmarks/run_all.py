"""Run every benchmark family in turn and collect their Markdown in one file.

    python benchmarks/run_all.py                 # every family, full size
    python benchmarks/run_all.py --quick         # smoke run of every family
    python benchmarks/run_all.py --markdown out.md

Each ``bench_*.py`` beside this file is a family with a ``main(argv)``; the
options given here are passed on to each one, so give only those every
family takes (``--quick``, ``--repeats``).  Families run one after another
in this process (never in parallel: the machine has 2 cores).
"""

from __future__ import annotations

import importlib
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def families() -> list[str]:
    """The module names of the families, in name order."""
    return sorted(path.stem for path in HERE.glob("bench_*.py"))


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    out: Path | None = None
    if "--markdown" in args:
        index = args.index("--markdown")
        out = Path(args[index + 1])
        del args[index : index + 2]
    sections = []
    with tempfile.TemporaryDirectory() as scratch:
        for name in families():
            module = importlib.import_module(name)
            part = Path(scratch) / f"{name}.md"
            module.main([*args, "--markdown", str(part)])
            sections.append(part.read_text("utf-8"))
    if out is not None:
        out.write_text("\n".join(sections), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
