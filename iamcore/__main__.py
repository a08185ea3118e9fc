"""``python -m iamcore``: the same as the ``iamcore`` console script."""

from __future__ import annotations

import sys

from iamcore.cli import main

if __name__ == "__main__":
    sys.exit(main())
