"""Comparing two evaluation reports: per strategy, the change in success rate, cost and time,
flagged as noise when the two 95% intervals overlap; per task, the runs that flipped."""

from __future__ import annotations


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["ci_low"] is not None
        and b["ci_low"] is not None
        and a["ci_low"] <= b["ci_high"]
        and b["ci_low"] <= a["ci_high"]
    )


def compare(before: dict, after: dict) -> dict:
    old = {a["strategy"]: a for a in before["aggregates"]}
    new = {a["strategy"]: a for a in after["aggregates"]}
    strategies = []
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name), new.get(name)
        row = {"strategy": name, "before": a, "after": b}
        if a and b and a["runs"] and b["runs"]:
            row["success_delta"] = b["success_rate"] - a["success_rate"]
            row["within_noise"] = _overlap(a, b)
            row["cost_delta"] = (
                None
                if a["cost_per_task_usd"] is None or b["cost_per_task_usd"] is None
                else b["cost_per_task_usd"] - a["cost_per_task_usd"]
            )
            row["seconds_delta"] = b["mean_seconds"] - a["mean_seconds"]
        strategies.append(row)

    def rates(report: dict) -> dict:
        out: dict = {}
        for r in report["runs"]:
            if r["category"] == "skipped":
                continue
            key = (r["task"], r["strategy"])
            passed, total = out.get(key, (0, 0))
            out[key] = (passed + bool(r["success"]), total + 1)
        return out

    rb, ra = rates(before), rates(after)
    tasks = []
    for key in sorted(set(rb) | set(ra)):
        b = rb.get(key)
        a = ra.get(key)
        rate_b = b[0] / b[1] if b else None
        rate_a = a[0] / a[1] if a else None
        if rate_b != rate_a:
            tasks.append({"task": key[0], "strategy": key[1], "before": rate_b, "after": rate_a})
    return {"strategies": strategies, "tasks": tasks}


def render(diff: dict) -> str:
    def pct(v):
        return "—" if v is None else f"{v * 100:.0f}%"

    lines = ["strategy                             before   after    change   note"]
    for row in diff["strategies"]:
        a, b = row["before"], row["after"]
        if not (a and b and a["runs"] and b["runs"]):
            lines.append(
                f"{row['strategy']:<36} {pct(a and a['success_rate']):>7}  {pct(b and b['success_rate']):>7}"
                f"  {'':>7}   only in one report"
            )
            continue
        note = "within noise (95% intervals overlap)" if row["within_noise"] else "significant"
        cost = "" if row["cost_delta"] is None else f", $/task {row['cost_delta']:+.4f}"
        lines.append(
            f"{row['strategy']:<36} {pct(a['success_rate']):>7}  {pct(b['success_rate']):>7}  "
            f"{row['success_delta'] * 100:+6.0f}pt   {note}{cost}, mean s {row['seconds_delta']:+.1f}"
        )
    if diff["tasks"]:
        lines.append("")
        lines.append("tasks that changed:")
        for t in diff["tasks"]:
            lines.append(f"  {t['task']} [{t['strategy']}]: {pct(t['before'])} → {pct(t['after'])}")
    else:
        lines.append("")
        lines.append("no task changed")
    return "\n".join(lines)
