"""Aggregates per strategy/model: success rate with a Wilson 95% interval, pass@1 and
pass-after-retries, time (mean, p50, p90), dollars per task and per successful task (the
seed's "effective cost"), the hallucination rate and the failure categories.

A cost is unknown (None) as soon as one run's is: an unknown price is never counted as $0.
Skipped runs (no key, no Ollama) are counted apart and left out of every rate.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from .runner import SKIPPED, RunResult

Z95 = 1.959963984540054


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a binomial proportion (sound at 0%, 100% and small n)."""
    if n == 0:
        return (0.0, 0.0)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def percentile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Aggregate:
    strategy: str
    runs: int = 0
    skipped: int = 0
    skip_reason: str | None = None
    successes: int = 0
    success_rate: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    pass_at_1: float | None = None
    pass_after_retries: float | None = None
    mean_seconds: float | None = None
    p50_seconds: float | None = None
    p90_seconds: float | None = None
    cost_total_usd: float | None = 0.0
    cost_per_task_usd: float | None = None
    cost_per_success_usd: float | None = None
    hallucination_rate: float | None = None
    attempts: int = 0
    categories: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)


def aggregate(results: list[RunResult]) -> list[Aggregate]:
    by_strategy: dict[str, list[RunResult]] = {}
    for r in results:
        by_strategy.setdefault(r.strategy, []).append(r)
    out = []
    for strategy, rows in by_strategy.items():
        ran = [r for r in rows if r.category != SKIPPED]
        agg = Aggregate(strategy, runs=len(ran), skipped=len(rows) - len(ran))
        if agg.skipped:
            agg.skip_reason = next(r.reason for r in rows if r.category == SKIPPED)
        if ran:
            agg.successes = sum(r.success for r in ran)
            agg.success_rate = agg.successes / len(ran)
            agg.ci_low, agg.ci_high = wilson(agg.successes, len(ran))
            agg.pass_at_1 = sum(r.first_attempt for r in ran) / len(ran)
            agg.pass_after_retries = agg.success_rate
            seconds = [r.seconds for r in ran]
            agg.mean_seconds = sum(seconds) / len(seconds)
            agg.p50_seconds, agg.p90_seconds = percentile(seconds, 0.5), percentile(seconds, 0.9)
            costs = [r.cost_usd for r in ran if r.cost_usd is not None]
            if len(costs) < len(ran):  # a run with no known price: no total rather than a low one
                agg.cost_total_usd = agg.cost_per_task_usd = agg.cost_per_success_usd = None
            else:
                agg.cost_total_usd = round(sum(costs), 8)
                agg.cost_per_task_usd = agg.cost_total_usd / len(ran)
                agg.cost_per_success_usd = agg.cost_total_usd / agg.successes if agg.successes else None
            agg.attempts = sum(r.attempts for r in ran)
            llm_attempts = sum(r.attempts for r in ran if r.source == "llm")
            if llm_attempts:
                agg.hallucination_rate = sum(r.hallucinated_attempts for r in ran) / llm_attempts
            for r in ran:
                if not r.success and r.category:
                    agg.categories[r.category] = agg.categories.get(r.category, 0) + 1
        else:
            agg.cost_total_usd = None
        out.append(agg)
    return sorted(out, key=lambda a: a.strategy)


def lift(aggregates: list[Aggregate]) -> list[dict]:
    """``eval --learn``: per strategy, the success of each pass and the change from the first pass
    to the last, with a 95% interval (Newcombe's hybrid score interval from the two Wilson
    intervals — for independent proportions; the passes run the same tasks, so it is a
    conservative interval for the paired change)."""
    by_base: dict[str, dict[int, Aggregate]] = {}
    for a in aggregates:
        base, sep, number = a.strategy.rpartition("#pass")
        if sep and number.isdigit() and a.runs:
            by_base.setdefault(base, {})[int(number)] = a
    out = []
    for base, passes in sorted(by_base.items()):
        first, last = passes[min(passes)], passes[max(passes)]
        p1, p2 = first.successes / first.runs, last.successes / last.runs
        l1, u1 = wilson(first.successes, first.runs)
        l2, u2 = wilson(last.successes, last.runs)
        delta = p2 - p1
        out.append(
            {
                "strategy": base,
                "passes": {k: round(a.successes / a.runs, 4) for k, a in sorted(passes.items())},
                "lift": round(delta, 4),
                "ci_low": round(delta - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2), 4),
                "ci_high": round(delta + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2), 4),
            }
        )
    return out
