from collections import Counter, defaultdict

_FIELDS = {"in": "received", "out": "shipped", "adjust": "adjusted"}


def summarize_movements(rows: Iterable[Mapping[str, object]]) -> list[dict[str, object]]:
    totals: dict[str, dict[str, int]] = defaultdict(lambda: {"received": 0, "shipped": 0, "adjusted": 0})
    days: dict[str, Counter[date]] = defaultdict(Counter)
    for index, row in enumerate(rows):
        sku = str(row["sku"]).strip().upper()
        kind = row["kind"]
        quantity = row["quantity"]
        if not sku:
            raise ValueError(f"row {index}: blank sku")
        if kind not in _FIELDS:
            raise ValueError(f"row {index}: unknown kind {kind!r}")
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity == 0 or (
            kind != "adjust" and quantity < 0
        ):
            raise ValueError(f"row {index}: quantity {quantity!r} is not allowed for {kind!r}")
        totals[sku][_FIELDS[kind]] += quantity
        days[sku][row["day"]] += 1
    summary: list[dict[str, object]] = []
    for sku in sorted(totals):
        t = totals[sku]
        counter = days[sku]
        busiest = max(counter.values())
        summary.append({
            "sku": sku,
            "received": t["received"],
            "shipped": t["shipped"],
            "adjusted": t["adjusted"],
            "net": t["received"] - t["shipped"] + t["adjusted"],
            "moves": sum(counter.values()),
            "first_day": min(counter),
            "last_day": max(counter),
            "busiest_day": min(day for day, count in counter.items() if count == busiest),
        })
    return summary
