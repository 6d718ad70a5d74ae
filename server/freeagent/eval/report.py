"""Reporting an evaluation: the terminal table (rich), the JSON report, and a self-contained
HTML report with charts drawn by plotly (its JavaScript inlined, so the file opens offline).

Owns the report's JSON shape (``{"generated_at", "suite", "seed", "repeat", "aggregates",
"runs"}``) that ``freeagent eval compare`` reads back.
"""

from __future__ import annotations

import html
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .runner import SKIPPED, RunResult
from .stats import Aggregate, aggregate

if TYPE_CHECKING:
    from rich.console import JustifyMethod


def money(value: float | None, digits: int = 4) -> str:
    return "unknown" if value is None else f"${value:.{digits}f}"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def report_json(results: list[RunResult], suite: str, seed: int, repeat: int) -> dict:
    return {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "suite": suite,
        "seed": seed,
        "repeat": repeat,
        "aggregates": [a.to_json() for a in aggregate(results)],
        "runs": [r.to_json() for r in sorted(results, key=lambda r: (r.task, r.strategy, r.repeat))],
    }


def table(aggregates: list[Aggregate]):
    from rich.table import Table

    t = Table(title="Free Agent evaluation", show_lines=False)
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("strategy / model", "left"),
        ("runs", "right"),
        ("success", "right"),
        ("95% CI", "right"),
        ("pass@1", "right"),
        ("after retries", "right"),
        ("mean s", "right"),
        ("p50 s", "right"),
        ("p90 s", "right"),
        ("$/task", "right"),
        ("$/success", "right"),
        ("halluc.", "right"),
        ("failures", "left"),
    )
    for column, justify in columns:
        t.add_column(column, justify=justify)
    for a in aggregates:
        if a.runs == 0:
            t.add_row(a.strategy, "0", f"skipped: {a.skip_reason}", *[""] * 10)
            continue
        failures = ", ".join(f"{k} {v}" for k, v in sorted(a.categories.items())) or "—"
        t.add_row(
            a.strategy,
            str(a.runs),
            f"{a.successes}/{a.runs} {pct(a.success_rate)}",
            f"{pct(a.ci_low)}–{pct(a.ci_high)}",
            pct(a.pass_at_1),
            pct(a.pass_after_retries),
            f"{a.mean_seconds:.1f}",
            f"{a.p50_seconds:.1f}",
            f"{a.p90_seconds:.1f}",
            money(a.cost_per_task_usd),
            money(a.cost_per_success_usd),
            pct(a.hallucination_rate),
            failures,
        )
    return t


def write_html(data: dict, out: Path) -> None:
    """One HTML file: a summary table, success vs cost per model, time distribution, failure
    categories, and a per-task grid — charts by plotly, with its JS inlined (works offline)."""
    import plotly.graph_objects as go
    from plotly.offline import get_plotlyjs

    aggregates = [a for a in data["aggregates"] if a["runs"]]
    runs = [r for r in data["runs"] if r["category"] != SKIPPED]
    figures = []

    scatter = go.Figure()
    for a in aggregates:
        cost = a["cost_per_success_usd"] if a["cost_per_success_usd"] is not None else a["cost_per_task_usd"]
        scatter.add_trace(
            go.Scatter(
                x=[cost if cost is not None else 0],
                y=[(a["success_rate"] or 0) * 100],
                mode="markers+text",
                name=a["strategy"],
                text=[a["strategy"]],
                textposition="top center",
                marker={"size": 14},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [((a["ci_high"] or 0) - (a["success_rate"] or 0)) * 100],
                    "arrayminus": [((a["success_rate"] or 0) - (a["ci_low"] or 0)) * 100],
                },
            )
        )
    scatter.update_layout(
        title="Success rate (95% CI) vs $ per successful task",
        xaxis_title="$ per successful task",
        yaxis_title="success %",
        yaxis_range=[0, 105],
    )
    figures.append(("success-vs-cost", scatter))

    times = go.Figure()
    for a in aggregates:
        times.add_trace(
            go.Box(
                y=[r["seconds"] for r in runs if r["strategy"] == a["strategy"]], name=a["strategy"], boxpoints="all"
            )
        )
    times.update_layout(title="Seconds per run", yaxis_title="seconds")
    figures.append(("time", times))

    categories = sorted({c for a in aggregates for c in a["categories"]})
    failures = go.Figure()
    for category in categories:
        failures.add_trace(
            go.Bar(
                x=[a["strategy"] for a in aggregates],
                y=[a["categories"].get(category, 0) for a in aggregates],
                name=category,
            )
        )
    failures.update_layout(barmode="stack", title="Failure categories", yaxis_title="runs")
    figures.append(("failures", failures))

    tasks = sorted({r["task"] for r in runs})
    strategies = [a["strategy"] for a in aggregates]
    grid = [[_task_rate(runs, task, s) for s in strategies] for task in tasks]
    heat = go.Figure(
        go.Heatmap(
            z=grid,
            x=strategies,
            y=tasks,
            zmin=0,
            zmax=1,
            colorscale="RdYlGn",
            colorbar={"title": "passed"},
            hovertemplate="%{y} · %{x}: %{z:.0%}<extra></extra>",
        )
    )
    heat.update_layout(title="Per task", height=max(400, 22 * len(tasks) + 150))
    figures.append(("tasks", heat))

    rows = "".join(
        f"<tr class='model-row' data-strategy='{html.escape(a['strategy'])}'><td>{html.escape(a['strategy'])}</td>"
        f"<td>{a['runs']}</td><td>{a['successes']}/{a['runs']} ({pct(a['success_rate'])})</td>"
        f"<td>{pct(a['ci_low'])}–{pct(a['ci_high'])}</td><td>{pct(a['pass_at_1'])}</td>"
        f"<td>{a['mean_seconds']:.1f} / {a['p50_seconds']:.1f} / {a['p90_seconds']:.1f}</td>"
        f"<td>{money(a['cost_per_task_usd'])}</td><td>{money(a['cost_per_success_usd'])}</td>"
        f"<td>{pct(a['hallucination_rate'])}</td></tr>"
        for a in aggregates
    )
    skipped = "".join(
        f"<li>{html.escape(a['strategy'])}: skipped — {html.escape(a['skip_reason'] or '')}</li>"
        for a in data["aggregates"]
        if not a["runs"]
    )
    charts = "".join(
        f"<div id='{name}' class='chart'>{fig.to_html(full_html=False, include_plotlyjs=False)}</div>"
        for name, fig in figures
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Free Agent evaluation</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;color:#222}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}}td:first-child,th:first-child{{text-align:left}}
.chart{{margin-top:2rem}}</style>
<script type="text/javascript">{get_plotlyjs()}</script></head><body>
<h1>Free Agent evaluation</h1>
<p>Suite <code>{html.escape(str(data["suite"]))}</code>, {data["repeat"]} repeat(s), seed {data["seed"]},
generated {html.escape(data["generated_at"])}. Success is decided by tsc and hidden tests.</p>
<table id="summary"><thead><tr><th>strategy / model</th><th>runs</th><th>success</th><th>95% CI</th><th>pass@1</th>
<th>mean / p50 / p90 s</th><th>$/task</th><th>$/success</th><th>hallucination</th></tr></thead>
<tbody>{rows}</tbody></table>
<ul>{skipped}</ul>
{charts}
</body></html>"""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")


def _task_rate(runs: list[dict], task: str, strategy: str) -> float | None:
    rows = [r for r in runs if r["task"] == task and r["strategy"] == strategy]
    return sum(r["success"] for r in rows) / len(rows) if rows else None


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
