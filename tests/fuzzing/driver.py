"""Running a fuzz target for N cases and summing up what happened: the one loop bench/fuzz.py
and tests/fuzzing/test_fuzz.py share.

Owns :func:`fuzz`: one hypothesis run that *counts* (every generated case is judged by
:func:`~tests.fuzzing.targets.run_case` and never stops the run), then, when a case crashed,
a second run that lets hypothesis shrink the first crash to a minimal input. Hangs are reported
as generated (shrinking a hang costs its time bound per step). A case over its bound is run
once more: only one that is over it again counts as a hang — on a loaded 2-core machine a
garbage collection or a neighbour's burst can push one run past the bound — and one that is not
is counted as *slow once*, so the figure stays honest either way.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings

from .providers import PROVIDER_TARGET
from .rpc import RPC_TARGET
from .targets import TARGETS, Outcome, Target, run_case

ALL: dict[str, Target] = {**TARGETS, RPC_TARGET.name: RPC_TARGET, PROVIDER_TARGET.name: PROVIDER_TARGET}


@dataclass
class Failure:
    value: Any
    outcome: Outcome
    shrunk: bool = False


@dataclass
class Report:
    target: str
    cases: int = 0
    crashes: int = 0
    hangs: int = 0
    slow_once: int = 0  # over the bound once, within it when run again
    seconds: float = 0.0
    failures: list[Failure] = field(default_factory=list)  # the first few, in the order found

    def line(self) -> str:
        return f"{self.target:<18} {self.cases:>7} {self.crashes:>8} {self.hangs:>6} {self.slow_once:>9} {self.seconds:>9.1f}"


def _settings(cases: int, derandomize: bool, phases: tuple[Phase, ...], seed: int | None = None) -> settings:
    return settings(
        max_examples=cases,
        deadline=None,
        database=None,
        derandomize=derandomize,
        phases=phases,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )


class _Found(Exception):
    pass


def fuzz(target: Target, cases: int, derandomize: bool = False, keep: int = 3, shrink: bool = True) -> Report:
    """Run ``target`` on ``cases`` generated inputs (fewer if hypothesis exhausts the strategy)."""
    report = Report(target.name)
    started = time.perf_counter()
    with target.session() as env:

        @_settings(cases, derandomize, (Phase.generate,))
        @given(target.strategy)
        def count(value):
            report.cases += 1
            outcome = run_case(target, env, value)
            if outcome is not None and outcome.kind == "hang" and run_case(target, env, value) is None:
                report.slow_once += 1
                return
            if outcome is None:
                return
            if outcome.kind == "crash":
                report.crashes += 1
            else:
                report.hangs += 1
            if len(report.failures) < keep:
                report.failures.append(Failure(value, outcome))

        count()
        first_crash = next((f for f in report.failures if f.outcome.kind == "crash"), None)
        if shrink and first_crash is not None:
            last: list[Failure] = []

            @_settings(max(cases, 200), derandomize, (Phase.generate, Phase.shrink))
            @given(target.strategy)
            def minimise(value):
                outcome = run_case(target, env, value)
                if outcome is not None and outcome.kind == "crash":
                    last.append(Failure(value, outcome, shrunk=True))
                    raise _Found

            with contextlib.suppress(_Found):
                minimise()
            if last:  # hypothesis replays the minimal failing example last
                report.failures.insert(0, last[-1])
    report.seconds = time.perf_counter() - started
    return report
