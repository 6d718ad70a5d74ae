from datetime import date

import pytest

from app.movements import summarize_movements

D1, D2, D3, D4 = date(2024, 5, 1), date(2024, 5, 2), date(2024, 5, 3), date(2024, 5, 4)


def row(sku, kind, quantity, day):
    return {"sku": sku, "kind": kind, "quantity": quantity, "day": day}


ROWS = [
    row("widget-42", "in", 100, D3),
    row("GADGET-1", "in", 5, D1),
    row(" WIDGET-42 ", "out", 30, D1),
    row("Widget-42", "adjust", -2, D3),
    row("WIDGET-42", "out", 8, D2),
    row("widget-42", "out", 1, D2),
    row("BOLT-9", "adjust", 7, D4),
]


def test_groups_and_aggregates_per_normalized_sku() -> None:
    assert summarize_movements(ROWS) == [
        {
            "sku": "BOLT-9", "received": 0, "shipped": 0, "adjusted": 7, "net": 7, "moves": 1,
            "first_day": D4, "last_day": D4, "busiest_day": D4,
        },
        {
            "sku": "GADGET-1", "received": 5, "shipped": 0, "adjusted": 0, "net": 5, "moves": 1,
            "first_day": D1, "last_day": D1, "busiest_day": D1,
        },
        {
            "sku": "WIDGET-42", "received": 100, "shipped": 39, "adjusted": -2, "net": 59, "moves": 5,
            # D2 and D3 both have two rows: the earlier one wins
            "first_day": D1, "last_day": D3, "busiest_day": D2,
        },
    ]


def test_accepts_a_one_shot_iterator() -> None:
    result = summarize_movements(r for r in ROWS)
    assert [s["sku"] for s in result] == ["BOLT-9", "GADGET-1", "WIDGET-42"]
    assert result[2]["net"] == 59
    assert result[2]["moves"] == 5


def test_busiest_day_tie_goes_to_the_earliest_day() -> None:
    rows = [row("A", "in", 1, D4), row("A", "in", 1, D4), row("A", "out", 1, D2), row("A", "out", 1, D2)]
    (only,) = summarize_movements(rows)
    assert only["busiest_day"] == D2
    assert (only["first_day"], only["last_day"]) == (D2, D4)
    rows.append(row("a", "adjust", 3, D4))
    assert summarize_movements(rows)[0]["busiest_day"] == D4


def test_no_rows() -> None:
    assert summarize_movements([]) == []
    assert summarize_movements(iter([])) == []


@pytest.mark.parametrize(
    ("bad", "position"),
    [
        (row("C", "transfer", 1, D1), 2),
        (row("C", "in", 0, D1), 2),
        (row("C", "in", -4, D1), 2),
        (row("C", "out", -1, D1), 2),
        (row("C", "adjust", 0, D1), 2),
        (row("   ", "in", 1, D1), 2),
    ],
)
def test_invalid_rows_raise_with_their_position(bad: dict, position: int) -> None:
    rows = [row("A", "in", 1, D1), row("B", "adjust", -1, D1), bad, row("D", "in", 1, D1)]
    with pytest.raises(ValueError, match=f"row {position}"):
        summarize_movements(rows)


def test_negative_net_is_kept() -> None:
    (only,) = summarize_movements([row("X", "out", 5, D1), row("X", "adjust", -1, D1)])
    assert (only["received"], only["shipped"], only["adjusted"], only["net"]) == (0, 5, -1, -6)
