import json
from pathlib import Path

import pytest

from app.cli import main

ITEMS = [
    {"sku": "WIDGET-42", "name": "Blue widget", "quantity": 12, "unit_price_cents": 1000},
    {"sku": "GADGET-1", "name": "Gadget", "quantity": 3, "unit_price_cents": 250},
    {"sku": "BOLT-9", "name": "Bolt, M8", "quantity": 10, "unit_price_cents": 5},
    {"sku": "ANCHOR-2", "name": "Anchor", "quantity": 3, "unit_price_cents": 90},
    {"sku": "NUT-1", "name": "Nut", "quantity": 0, "unit_price_cents": 2},
]


@pytest.fixture()
def inventory(tmp_path: Path) -> Path:
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps(ITEMS), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_text_lists_items_strictly_below_the_default_threshold(inventory: Path, capsys) -> None:
    code, out = run(capsys, "--inventory", str(inventory), "low-stock")
    assert code == 3
    assert out == "NUT-1\t0\tNut\nANCHOR-2\t3\tAnchor\nGADGET-1\t3\tGadget\n3 items below 10\n"


def test_threshold_option(inventory: Path, capsys) -> None:
    code, out = run(capsys, "--inventory", str(inventory), "low-stock", "--threshold", "11")
    assert code == 3
    assert out.splitlines()[-2:] == ["BOLT-9\t10\tBolt, M8", "4 items below 11"]
    code, out = run(capsys, "--inventory", str(inventory), "low-stock", "--threshold", "1")
    assert (code, out) == (3, "NUT-1\t0\tNut\n1 items below 1\n")


def test_nothing_below(tmp_path: Path, capsys) -> None:
    path = tmp_path / "full.json"
    path.write_text(json.dumps([item for item in ITEMS if item["quantity"] >= 10]), encoding="utf-8")
    code, out = run(capsys, "--inventory", str(path), "low-stock", "--threshold", "10")
    assert (code, out) == (0, "no items below 10\n")
    code, out = run(capsys, "--inventory", str(path), "low-stock", "--threshold", "10", "--format", "csv")
    assert (code, out) == (0, "sku,name,quantity\n")


def test_csv_format(inventory: Path, capsys) -> None:
    code, out = run(capsys, "--inventory", str(inventory), "low-stock", "--format", "csv", "--threshold", "50")
    assert code == 3
    assert out == (
        "sku,name,quantity\n"
        "NUT-1,Nut,0\n"
        "ANCHOR-2,Anchor,3\n"
        "GADGET-1,Gadget,3\n"
        'BOLT-9,"Bolt, M8",10\n'
        "WIDGET-42,Blue widget,12\n"
    )


@pytest.mark.parametrize(
    "options",
    [["--threshold", "0"], ["--threshold", "-5"], ["--threshold", "x"], ["--format", "json"], ["--limit", "3"]],
)
def test_bad_options_are_usage_errors(inventory: Path, capsys, options: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--inventory", str(inventory), "low-stock", *options])
    assert caught.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_is_a_listed_subcommand_and_the_others_still_work(inventory: Path, capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    assert "low-stock" in capsys.readouterr().out
    assert run(capsys, "--inventory", str(inventory), "count") == (0, "5 items, 28 units\n")
    assert run(capsys, "--inventory", str(inventory), "show", "gadget-1") == (0, "GADGET-1\t3\tGadget\n")
