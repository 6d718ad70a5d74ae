"""CI's share of the fuzzing (issue 12): every target of tests/fuzzing/targets.py, a few
hundred derandomized cases each (bench/fuzz.py runs 10,000). A failure prints the minimal
input hypothesis shrank it to."""

from __future__ import annotations

import pytest

from tests.fuzzing.driver import ALL as TARGETS
from tests.fuzzing.driver import fuzz

CASES = {"workspace": 60, "tsconfig-extends": 100, "openapi-refs": 100, "pnpm-workspace": 100}


@pytest.mark.parametrize("name", list(TARGETS))
def test_no_crash_no_hang(name):
    report = fuzz(TARGETS[name], CASES.get(name, 150), derandomize=True)
    assert report.cases > 0
    failures = "\n".join(f"{f.outcome.kind}: {f.value!r:.500}\n{f.outcome.detail}" for f in report.failures)
    assert report.crashes == 0 and report.hangs == 0, failures
