"""Aggregates against hand-computed values: Wilson intervals, percentiles, costs (unknown stays
unknown), pass@1, hallucination rate, categories; the report compare."""

import pytest

from freeagent.eval.compare import compare, render
from freeagent.eval.runner import RunResult, parse_strategies
from freeagent.eval.stats import aggregate, percentile, wilson


@pytest.mark.parametrize(
    "successes, n, low, high",
    [
        (8, 10, 0.4902, 0.9433),
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (1, 4, 0.0456, 0.6994),
    ],
)
def test_wilson_interval(successes, n, low, high):
    lo, hi = wilson(successes, n)
    assert lo == pytest.approx(low, abs=1e-4) and hi == pytest.approx(high, abs=1e-4)


def test_percentile_interpolates():
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile([10, 20, 30, 40, 50], 0.9) == pytest.approx(46.0)
    assert percentile([], 0.5) is None


def run(task, success, **kw):
    return RunResult(
        task=task, strategy=kw.pop("strategy", "llm:anthropic/m"), repeat=kw.pop("repeat", 0), success=success, **kw
    )


def test_aggregate_by_hand():
    rows = [
        run("a", True, attempts=1, first_attempt=True, cost_usd=0.01, seconds=2.0, source="llm"),
        run("b", True, attempts=3, cost_usd=0.03, seconds=6.0, source="llm", hallucinated_attempts=2),
        run("c", False, category="tests failed", attempts=1, cost_usd=0.01, seconds=4.0, source="llm"),
        run(
            "d",
            False,
            category="validator rejected",
            attempts=3,
            cost_usd=0.03,
            seconds=8.0,
            source="llm",
            hallucinated_attempts=3,
        ),
        run("e", False, category="skipped", reason="ANTHROPIC_API_KEY is not set"),
    ]
    (agg,) = aggregate(rows)
    assert (agg.runs, agg.skipped, agg.successes) == (4, 1, 2)
    assert agg.success_rate == 0.5 and agg.pass_at_1 == 0.25 and agg.pass_after_retries == 0.5
    assert (agg.ci_low, agg.ci_high) == pytest.approx(wilson(2, 4))
    assert agg.mean_seconds == 5.0 and agg.p50_seconds == 5.0 and agg.p90_seconds == pytest.approx(7.4)
    assert agg.cost_total_usd == pytest.approx(0.08) and agg.cost_per_task_usd == pytest.approx(0.02)
    assert agg.cost_per_success_usd == pytest.approx(0.04)
    assert agg.hallucination_rate == pytest.approx(5 / 8)
    assert agg.categories == {"tests failed": 1, "validator rejected": 1}


def test_one_unknown_price_makes_the_cost_unknown():
    (agg,) = aggregate(
        [
            run("a", True, cost_usd=0.01, source="llm", attempts=1),
            run("b", True, cost_usd=None, source="llm", attempts=1),
        ]
    )
    assert agg.cost_total_usd is None and agg.cost_per_task_usd is None and agg.cost_per_success_usd is None


def test_all_skipped():
    (agg,) = aggregate([run("a", False, category="skipped", reason="no Ollama answering at http://x")])
    assert agg.runs == 0 and agg.success_rate is None and agg.skip_reason.startswith("no Ollama")


def test_parse_strategies():
    plan = parse_strategies(("spec", "llm"), ("anthropic/claude-sonnet-5-5", "openai/gpt-4o", "qwen"))
    assert [s.label for s in plan] == [
        "spec",
        "llm:anthropic/claude-sonnet-5-5",
        "llm:openai/gpt-4o",
        "llm:anthropic/qwen",
    ]


def report(rates):
    from freeagent.eval.report import report_json

    rows = [run(task, ok, strategy="spec", repeat=i) for task, oks in rates.items() for i, ok in enumerate(oks)]
    for i, r in enumerate(rows):
        r.repeat = i
    return report_json(rows, "suite", 0, 1)


def test_compare_flags_noise_and_lists_changed_tasks():
    before = report({"a": [True] * 5, "b": [False] * 5})
    after = report({"a": [True] * 5, "b": [True, False, False, False, False]})
    diff = compare(before, after)
    (row,) = diff["strategies"]
    assert row["success_delta"] == pytest.approx(0.1) and row["within_noise"] is True
    assert diff["tasks"] == [{"task": "b", "strategy": "spec", "before": 0.0, "after": 0.2}]
    assert "within noise" in render(diff)
    big = compare(report({"a": [False] * 20}), report({"a": [True] * 20}))
    assert big["strategies"][0]["within_noise"] is False and "significant" in render(big)
