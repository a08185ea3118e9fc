"""Regenerate ``iamcore/_data/iam-model.json`` from botocore's IAM service model.

The JSON keeps only what iamcore needs at run time (shapes, constraints,
operation inputs/outputs/errors and the snake_case names botocore uses),
so that importing iamcore does not need botocore.  Run::

    python tools/generate_model.py

``tests/test_model.py`` checks the committed file against the installed
botocore, so a botocore upgrade that changes a constraint is noticed.
"""

from __future__ import annotations

import json
import pathlib
import sys
from typing import Any

import botocore.session
from botocore import xform_name

OUT = pathlib.Path(__file__).resolve().parent.parent / "iamcore" / "_data" / "iam-model.json"
_KEEP = ("min", "max", "pattern", "enum", "sensitive")


def build() -> dict[str, Any]:
    """Return the trimmed model as a JSON-able dict."""
    session = botocore.session.get_session()
    raw = session.get_component("data_loader").load_service_model("iam", "service-2")
    shapes: dict[str, Any] = {}
    for name, shape in sorted(raw["shapes"].items()):
        out: dict[str, Any] = {"type": shape["type"]}
        for key in _KEEP:
            if key in shape:
                out[key] = shape[key]
        if shape["type"] == "structure":
            out["members"] = {
                member: {"shape": ref["shape"], "snake": xform_name(member)}
                for member, ref in shape["members"].items()
            }
            out["required"] = shape.get("required", [])
            if "error" in shape:
                out["error"] = shape["error"]
            if shape.get("exception"):
                out["exception"] = True
        elif shape["type"] == "list":
            out["member"] = shape["member"]["shape"]
        elif shape["type"] == "map":
            out["key"] = shape["key"]["shape"]
            out["value"] = shape["value"]["shape"]
        shapes[name] = out
    operations = {
        name: {
            "snake": xform_name(name),
            "input": op.get("input", {}).get("shape"),
            "output": op.get("output", {}).get("shape"),
            "errors": [err["shape"] for err in op.get("errors", [])],
        }
        for name, op in sorted(raw["operations"].items())
    }
    paginators = session.get_component("data_loader").load_service_model("iam", "paginators-1")[
        "pagination"
    ]
    return {
        "source": f"botocore {botocore.__version__} iam 2010-05-08",
        "operations": operations,
        "paginators": dict(sorted(paginators.items())),
        "shapes": shapes,
    }


def render() -> str:
    """Return the JSON text written to OUT.

    Shapes and operations are sorted by name; a structure's members keep the service
    model's order, the order in which the service (and botocore's parser) return them.
    """
    return json.dumps(build(), indent=0, separators=(",", ":")) + "\n"


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {OUT} ({OUT.stat().st_size} bytes)\n")
