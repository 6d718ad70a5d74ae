"""Property-based fuzzing of every parser of user files (issue 12): cases, crashes, hangs per target.

Runs each target of tests/fuzzing (the parsers of user files, JSON-RPC framing, provider responses)
with ``--cases`` generated inputs (default 10,000) and prints, per target: cases, crashes,
hangs, seconds, and the first failing inputs (a crash shrunk to a minimal input by hypothesis).
A crash is an exception escaping the parser's entry point (they return Findings); a hang is a
case over the target's time bound (2 s) twice running; *slow once* counts cases over it once
and within it when run again (a loaded machine's noise, reported rather than hidden). Exit status: 0 when every target had 0 crashes and 0
hangs, 1 otherwise — so the figure can gate a release job; it is still printed in full.

    .venv/bin/python bench/fuzz.py --cases 10000
    .venv/bin/python bench/fuzz.py --cases 500 --targets tsconfig-extends,openapi-refs
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fuzzing.driver import ALL as TARGETS
from tests.fuzzing.driver import fuzz


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cases", type=int, default=10_000, help="generated cases per target")
    parser.add_argument("--targets", default="", help="comma-separated target names (default: all)")
    parser.add_argument("--derandomize", action="store_true", help="the same cases on every run")
    parser.add_argument("--failures", type=Path, help="also write each failing input in full (repr) to this file")
    args = parser.parse_args()
    names = [n for n in args.targets.split(",") if n] or list(TARGETS)
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        parser.error(f"unknown targets {unknown}; known: {', '.join(TARGETS)}")
    warnings.simplefilter("ignore")
    print(f"{'target':<18} {'cases':>7} {'crashes':>8} {'hangs':>6} {'slow once':>9} {'seconds':>9}", flush=True)
    started = time.perf_counter()
    bad = 0
    for name in names:
        report = fuzz(TARGETS[name], args.cases, derandomize=args.derandomize)
        print(report.line(), flush=True)
        bad += report.crashes + report.hangs
        for failure in report.failures:
            if args.failures:
                with args.failures.open("a", encoding="utf-8") as out:
                    out.write(f"{name}\t{failure.outcome.kind}\t{failure.value!r}\n")
            label = "minimal" if failure.shrunk else "input"
            print(f"    {failure.outcome.kind} ({label}): {failure.value!r:.400}")
            for line in failure.outcome.detail.strip().splitlines()[-3:]:
                print(f"      {line}")
    print(f"total: {bad} crashes+hangs in {time.perf_counter() - started:.0f} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
