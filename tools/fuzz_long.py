"""The long fuzz run: many random operations on one account, with figures.

    python tools/fuzz_long.py --operations 100000 --seed 1

Runs every operation the Account models with plausible, borderline and
garbage arguments (``tests/fuzzing.py``), checking after every call that only
IamError escaped, that a failed call changed nothing, and the invariants.
Prints the number of operations tried, how many succeeded and failed (by
AWS error code), and any violation found.  The figures of the last recorded
run are in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import collections
import pathlib
import sys
import time
import traceback

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from iamcore import Account
from iamcore.passwords import set_default_cost
from iamcore.testing import FAST_SCRYPT, FixedClock, seeded_entropy
from tests.fuzzing import (
    RandomChooser,
    arguments_for,
    call_native,
    check_invariants,
    modelled_operations,
)


def main() -> int:
    """Run the fuzzer and print its figures; exit 1 on any violation."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--operations", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reset-every", type=int, default=2_000, help="start a fresh account")
    args = parser.parse_args()
    set_default_cost(FAST_SCRYPT)  # the fuzzer tests rules, not the hash's cost
    chooser = RandomChooser(args.seed)
    operations = modelled_operations()
    outcomes: collections.Counter[str] = collections.Counter()
    violations: list[str] = []
    started = time.perf_counter()
    account = Account(clock=FixedClock(), entropy=seeded_entropy(args.seed))
    for index in range(args.operations):
        if index % args.reset_every == 0:
            account = Account(clock=FixedClock(), entropy=seeded_entropy(args.seed + index))
        operation = chooser.choice(operations)
        try:
            kwargs = arguments_for(chooser, operation, account)
            error = call_native(account, operation, kwargs)
            check_invariants(account)
        except Exception:
            violations.append(f"#{index} {operation}: {traceback.format_exc(limit=3)}")
            continue
        outcomes["ok" if error is None else error.code] += 1
    elapsed = time.perf_counter() - started
    print(f"operations tried: {args.operations} ({len(operations)} kinds), seed {args.seed}")
    print(f"elapsed: {elapsed:.1f} s ({args.operations / elapsed:,.0f} operations/s)")
    print(
        f"violations (non-IamError escapes, half-applied calls, broken invariants): "
        f"{len(violations)}"
    )
    for code, count in outcomes.most_common():
        print(f"  {code:32} {count}")
    for violation in violations[:10]:
        print(violation)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
