from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from app.adjustments import router
from app.db import Base, ItemRecord, get_session


@pytest.fixture()
def factory() -> Iterator[sessionmaker]:
    engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
    Base.metadata.create_all(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as session:
        session.add_all([
            ItemRecord(sku="WIDGET-42", name="Widget", quantity=10, unit_price_cents=1000),
            ItemRecord(sku="GADGET-1", name="Gadget", quantity=3, unit_price_cents=250),
            ItemRecord(sku="BOLT-9", name="Bolt", quantity=0, unit_price_cents=5),
        ])
        session.commit()
    yield factory
    engine.dispose()


@pytest.fixture()
def client(factory: sessionmaker) -> TestClient:
    def override() -> Iterator[Session]:
        with factory() as session:
            yield session

    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[get_session] = override
    return TestClient(app)


def stock(factory: sessionmaker) -> dict[str, int]:
    with factory() as session:
        return {r.sku: r.quantity for r in session.scalars(select(ItemRecord))}


def adjust(client: TestClient, reason, lines):
    return client.post("/adjustments", json={"reason": reason, "lines": lines})


def test_applies_every_line_in_order(client: TestClient, factory: sessionmaker) -> None:
    response = adjust(
        client,
        "  cycle count  ",
        [{"sku": " gadget-1", "delta": -3}, {"sku": "widget-42", "delta": 5}, {"sku": "BOLT-9", "delta": 100}],
    )
    assert response.status_code == 200
    assert response.json() == {
        "reason": "cycle count",
        "items": [
            {"sku": "GADGET-1", "quantity": 0},
            {"sku": "WIDGET-42", "quantity": 15},
            {"sku": "BOLT-9", "quantity": 100},
        ],
    }
    assert stock(factory) == {"WIDGET-42": 15, "GADGET-1": 0, "BOLT-9": 100}


def test_unknown_sku_is_404_and_changes_nothing(client: TestClient, factory: sessionmaker) -> None:
    response = adjust(
        client,
        "returns",
        [{"sku": "WIDGET-42", "delta": 1}, {"sku": "nope-2", "delta": 1}, {"sku": "NOPE-1", "delta": 1}],
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Unknown SKU: NOPE-2"}
    assert stock(factory) == {"WIDGET-42": 10, "GADGET-1": 3, "BOLT-9": 0}


def test_negative_stock_is_409_and_changes_nothing(client: TestClient, factory: sessionmaker) -> None:
    response = adjust(
        client,
        "damaged",
        [{"sku": "WIDGET-42", "delta": -10}, {"sku": "GADGET-1", "delta": -4}, {"sku": "BOLT-9", "delta": -1}],
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "Insufficient stock for GADGET-1"}
    assert stock(factory) == {"WIDGET-42": 10, "GADGET-1": 3, "BOLT-9": 0}


def test_unknown_sku_wins_over_insufficient_stock(client: TestClient, factory: sessionmaker) -> None:
    response = adjust(client, "damaged", [{"sku": "GADGET-1", "delta": -9}, {"sku": "GHOST", "delta": 2}])
    assert response.status_code == 404
    assert response.json() == {"detail": "Unknown SKU: GHOST"}


def test_limits_that_are_allowed(client: TestClient, factory: sessionmaker) -> None:
    assert adjust(client, "abc", [{"sku": "WIDGET-42", "delta": 10000}]).status_code == 200
    assert adjust(client, "x" * 200, [{"sku": "WIDGET-42", "delta": -10000}]).status_code == 200
    assert stock(factory)["WIDGET-42"] == 10


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"reason": "recount"},
        {"lines": [{"sku": "WIDGET-42", "delta": 1}]},
        {"reason": "  ab  ", "lines": [{"sku": "WIDGET-42", "delta": 1}]},
        {"reason": "x" * 201, "lines": [{"sku": "WIDGET-42", "delta": 1}]},
        {"reason": "recount", "lines": []},
        {"reason": "recount", "lines": [{"sku": f"S-{i}", "delta": 1} for i in range(51)]},
        {"reason": "recount", "lines": [{"sku": "WIDGET-42", "delta": 0}]},
        {"reason": "recount", "lines": [{"sku": "WIDGET-42", "delta": 10001}]},
        {"reason": "recount", "lines": [{"sku": "WIDGET-42", "delta": -10001}]},
        {"reason": "recount", "lines": [{"sku": "WIDGET-42", "delta": 1.5}]},
        {"reason": "recount", "lines": [{"sku": "WIDGET-42"}]},
        {"reason": "recount", "lines": [{"delta": 1}]},
        {"reason": "recount", "lines": [{"sku": "widget-42", "delta": 1}, {"sku": " WIDGET-42 ", "delta": 2}]},
    ],
)
def test_invalid_bodies_are_422(client: TestClient, factory: sessionmaker, body: dict) -> None:
    assert client.post("/adjustments", json=body).status_code == 422
    assert stock(factory) == {"WIDGET-42": 10, "GADGET-1": 3, "BOLT-9": 0}
