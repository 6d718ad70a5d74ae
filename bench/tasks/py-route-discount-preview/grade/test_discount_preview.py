from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.config import get_settings


@pytest.fixture()
def rules_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    rules = tmp_path / "pricing.yaml"
    rules.write_text(
        "volume_discounts:\n"
        "  - min_quantity: 10\n    percent: 5\n"
        "  - min_quantity: 50\n    percent: 12.5\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PRICING_RULES_PATH", str(rules))
    get_settings.cache_clear()
    yield rules
    get_settings.cache_clear()


@pytest.fixture()
def client(rules_file: Path) -> TestClient:
    from app.discount_preview import router

    app = FastAPI()
    app.include_router(router)
    return TestClient(app)


def preview(client: TestClient, **params):
    return client.get("/discounts/preview", params=params)


def test_preview_in_the_given_order(client: TestClient) -> None:
    response = preview(client, unit_price_cents=999, quantities="50,1,10")
    assert response.status_code == 200
    assert response.json() == [
        {"quantity": 50, "discount_percent": 12.5, "total_cents": 43706},
        {"quantity": 1, "discount_percent": 0, "total_cents": 999},
        {"quantity": 10, "discount_percent": 5, "total_cents": 9491},
    ]


def test_rounds_half_up_not_to_even(client: TestClient) -> None:
    # 3 * 10 * 95 / 100 = 28.5 cents: half up gives 29, Python's round() (half to even) 28
    body = preview(client, unit_price_cents=3, quantities="10").json()
    assert body == [{"quantity": 10, "discount_percent": 5, "total_cents": 29}]


def test_thresholds_are_inclusive(client: TestClient) -> None:
    body = preview(client, unit_price_cents=100, quantities="9,10,49,50,1000").json()
    assert [row["discount_percent"] for row in body] == [0, 5, 5, 12.5, 12.5]
    assert [row["total_cents"] for row in body] == [900, 950, 4655, 4375, 87500]


def test_values_are_json_numbers(client: TestClient) -> None:
    row = preview(client, unit_price_cents=0, quantities="60").json()[0]
    assert row == {"quantity": 60, "discount_percent": 12.5, "total_cents": 0}
    assert isinstance(row["discount_percent"], (int, float))
    assert isinstance(row["total_cents"], int)


def test_rules_are_read_on_every_request(client: TestClient, rules_file: Path) -> None:
    assert preview(client, unit_price_cents=100, quantities="10").json()[0]["discount_percent"] == 5
    rules_file.write_text("volume_discounts:\n  - min_quantity: 2\n    percent: 50\n", encoding="utf-8")
    assert preview(client, unit_price_cents=100, quantities="10").json() == [
        {"quantity": 10, "discount_percent": 50, "total_cents": 500}
    ]


def test_no_rules_file_means_no_discount(client: TestClient, rules_file: Path) -> None:
    rules_file.unlink()
    assert preview(client, unit_price_cents=250, quantities="100").json() == [
        {"quantity": 100, "discount_percent": 0, "total_cents": 25000}
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"unit_price_cents": 100},
        {"quantities": "1"},
        {"unit_price_cents": -1, "quantities": "1"},
        {"unit_price_cents": 100, "quantities": ""},
        {"unit_price_cents": 100, "quantities": "0"},
        {"unit_price_cents": 100, "quantities": "1,-2"},
        {"unit_price_cents": 100, "quantities": "1,,2"},
        {"unit_price_cents": 100, "quantities": "a"},
        {"unit_price_cents": 100, "quantities": "1.5"},
        {"unit_price_cents": 100, "quantities": ",".join(["1"] * 21)},
    ],
)
def test_invalid_parameters_are_422(client: TestClient, params: dict) -> None:
    assert preview(client, **params).status_code == 422


def test_twenty_quantities_are_allowed(client: TestClient) -> None:
    response = preview(client, unit_price_cents=1, quantities=",".join(str(i) for i in range(1, 21)))
    assert response.status_code == 200
    assert [row["quantity"] for row in response.json()] == list(range(1, 21))
