"""What the outcome store says about generation here: per strategy and model, and week by week.

Owns the figures ``freeagent stats`` prints and ``freeagent/stats`` returns: generations, how many
were applied, their survival (the mean of each applied generation's latest measure), **success**
(passed its checks, was applied, and its latest survival is ≥ 80 % — or, not measured yet, was
applied), the hallucination rate (generations where an attempt invented a package, an API or an
export), and cost ($ in all, $ per generation and per success; unknown once a model of unknown
price was used). The HTML report draws them with plotly, its JavaScript inlined (opens offline).
"""

from __future__ import annotations

import datetime
import html
from collections import defaultdict
from pathlib import Path

SURVIVED = 0.8


def _succeeded(row: dict) -> bool:
    if not row["passed"] or row["outcome"] != "applied":
        return False
    return row["share"] is None or row["share"] >= SURVIVED


def _figures(rows: list[dict]) -> dict:
    applied = [r for r in rows if r["outcome"] == "applied"]
    measured = [r["share"] for r in applied if r["share"] is not None]
    successes = sum(_succeeded(r) for r in rows)
    costs = [r["cost_usd"] for r in rows]
    cost = None if any(c is None for c in costs) else round(sum(costs), 6)
    return {
        "generations": len(rows),
        "applied": len(applied),
        "rejected": sum(r["outcome"] == "rejected" for r in rows),
        "survival": round(sum(measured) / len(measured), 4) if measured else None,
        "successes": successes,
        "success_rate": round(successes / len(rows), 4) if rows else None,
        "hallucination_rate": round(sum(bool(r["hallucinated"]) for r in rows) / len(rows), 4) if rows else None,
        "cost_usd": cost,
        "cost_per_generation_usd": round(cost / len(rows), 6) if cost is not None and rows else None,
        "cost_per_success_usd": round(cost / successes, 6) if cost is not None and successes else None,
    }


def _ensembles(rows: list[dict]) -> list[dict]:
    """Per model, the ensembles it took part in and how many it won (its candidate was kept)."""
    import json

    table: dict[str, dict] = {}
    for row in rows:
        try:
            entrants = [m for m in json.loads(row.get("entrants") or "[]") if m]
        except (TypeError, ValueError):
            continue
        for model in entrants:
            table.setdefault(model, {"model": model, "entered": 0, "won": 0})["entered"] += 1
        if entrants and row["model"] in table:
            table[row["model"]]["won"] += 1
    return sorted(table.values(), key=lambda w: (-w["won"], -w["entered"], w["model"]))


def compute(rows: list[dict]) -> dict:
    """``{"total", "by_strategy": [...], "by_week": [...], "ensembles": [...]}`` from the store's
    summary rows (``ensembles``: per model, ensembles entered and won)."""
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    weeks: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[(row["strategy"], row["model"] or "")].append(row)
        year, week, _ = datetime.datetime.fromtimestamp(row["created"], datetime.UTC).isocalendar()
        weeks[f"{year}-W{week:02d}"].append(row)
    return {
        "total": _figures(rows),
        "by_strategy": [
            {"strategy": strategy, "model": model or None, **_figures(group)}
            for (strategy, model), group in sorted(groups.items())
        ],
        "by_week": [{"week": week, **_figures(group)} for week, group in sorted(weeks.items())],
        "ensembles": _ensembles(rows),
    }


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _money(value: float | None) -> str:
    return "unknown" if value is None else f"${value:.4f}"


def table(stats: dict) -> str:
    """The figures as a plain-text table, one line per strategy and model."""
    head = f"{'strategy / model':<34} {'gens':>5} {'applied':>7} {'survival':>8} {'success':>8} {'halluc.':>7} {'$/gen':>9}"
    lines = [head, "-" * len(head)]
    for row in [*stats["by_strategy"], {"strategy": "all", "model": None, **stats["total"]}]:
        name = row["strategy"] + (f" {row['model']}" if row["model"] else "")
        lines.append(
            f"{name[:34]:<34} {row['generations']:>5} {row['applied']:>7} {_pct(row['survival']):>8}"
            f" {_pct(row['success_rate']):>8} {_pct(row['hallucination_rate']):>7} {_money(row['cost_per_generation_usd']):>9}"
        )
    if stats.get("ensembles"):
        lines += ["", "ensembles: which model's candidate was kept"]
        for w in stats["ensembles"]:
            lines.append(f"  {w['model'][:32]:<32} won {w['won']:>4} of {w['entered']:>4}")
    return "\n".join(lines)


def write_html(stats: dict, out: Path, title: str) -> None:
    """One self-contained HTML page: the table, success and survival week by week, and
    generations per strategy and outcome."""
    import plotly.graph_objects as go
    from plotly.offline import get_plotlyjs

    weeks = [w["week"] for w in stats["by_week"]]
    trend = go.Figure()
    for key, label in (("success_rate", "success"), ("survival", "survival"), ("hallucination_rate", "hallucination")):
        trend.add_trace(
            go.Scatter(
                x=weeks, y=[(w[key] or 0) * 100 if w[key] is not None else None for w in stats["by_week"]], name=label
            )
        )
    trend.update_layout(title="Week by week", yaxis_title="%", yaxis_range=[0, 105])
    outcomes = go.Figure()
    names = [r["strategy"] + (f" {r['model']}" if r["model"] else "") for r in stats["by_strategy"]]
    for key in ("applied", "rejected"):
        outcomes.add_trace(go.Bar(x=names, y=[r[key] for r in stats["by_strategy"]], name=key))
    outcomes.add_trace(
        go.Bar(
            x=names,
            y=[r["generations"] - r["applied"] - r["rejected"] for r in stats["by_strategy"]],
            name="only offered",
        )
    )
    outcomes.update_layout(barmode="stack", title="Generations per strategy and model", yaxis_title="generations")
    charts = "".join(
        f"<div id='{name}'>{fig.to_html(full_html=False, include_plotlyjs=False)}</div>"
        for name, fig in (("trend", trend), ("outcomes", outcomes))
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Free Agent statistics</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;color:#222}}pre{{background:#f6f6f6;padding:1rem}}</style>
<script type="text/javascript">{get_plotlyjs()}</script></head><body>
<h1>Free Agent statistics — {html.escape(title)}</h1>
<p>Success: passed the checks, applied, and ≥ 80 % of its lines still there at the latest measure.</p>
<pre id="summary">{html.escape(table(stats))}</pre>
{charts}
</body></html>"""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
