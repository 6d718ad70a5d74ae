from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from app.db import Base, ItemRecord, get_session
from app.reorder import router


@pytest.fixture()
def client() -> Iterator[TestClient]:
    engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
    Base.metadata.create_all(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as session:
        session.add_all([
            ItemRecord(sku="WIDGET-42", name="Widget", quantity=7, unit_price_cents=1000),
            ItemRecord(sku="GADGET-1", name="Gadget", quantity=0, unit_price_cents=250),
            ItemRecord(sku="BOLT-9", name="Bolt", quantity=500, unit_price_cents=5),
        ])
        session.commit()

    def override() -> Iterator[Session]:
        with factory() as session:
            yield session

    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[get_session] = override
    yield TestClient(app)
    engine.dispose()


def reorder(client: TestClient, sku: str, **params):
    return client.get(f"/inventory/{sku}/reorder", params=params)


def test_rounds_up_to_whole_packs(client: TestClient) -> None:
    response = reorder(client, "WIDGET-42", target=30, pack_size=12)
    assert response.status_code == 200
    # 23 missing: one pack of 12 is not enough, two are
    assert response.json() == {"sku": "WIDGET-42", "on_hand": 7, "target": 30, "packs": 2, "order_quantity": 24}


def test_exact_multiple_needs_no_extra_pack(client: TestClient) -> None:
    body = reorder(client, "GADGET-1", target=36, pack_size=12).json()
    assert body == {"sku": "GADGET-1", "on_hand": 0, "target": 36, "packs": 3, "order_quantity": 36}
    body = reorder(client, "WIDGET-42", target=8, pack_size=1).json()
    assert (body["packs"], body["order_quantity"]) == (1, 1)


def test_pack_size_defaults_to_one(client: TestClient) -> None:
    body = reorder(client, "WIDGET-42", target=10).json()
    assert body == {"sku": "WIDGET-42", "on_hand": 7, "target": 10, "packs": 3, "order_quantity": 3}


def test_enough_stock_orders_nothing(client: TestClient) -> None:
    for target in (7, 1):
        body = reorder(client, "WIDGET-42", target=target, pack_size=50).json()
        assert (body["packs"], body["order_quantity"]) == (0, 0)
    assert reorder(client, "BOLT-9", target=100, pack_size=1000).json()["packs"] == 0


def test_sku_is_normalized(client: TestClient) -> None:
    response = reorder(client, "widget-42", target=8)
    assert response.status_code == 200
    assert response.json()["sku"] == "WIDGET-42"
    response = reorder(client, "%20Gadget-1%20", target=1)
    assert response.status_code == 200
    assert response.json()["sku"] == "GADGET-1"


def test_unknown_sku_is_404(client: TestClient) -> None:
    response = reorder(client, "NOPE-1", target=5)
    assert response.status_code == 404
    assert response.json() == {"detail": "Item not found"}


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"target": 0},
        {"target": -3},
        {"target": "many"},
        {"target": 5, "pack_size": 0},
        {"target": 5, "pack_size": 1001},
        {"target": 5, "pack_size": "x"},
    ],
)
def test_invalid_query_is_422(client: TestClient, params: dict) -> None:
    assert reorder(client, "WIDGET-42", **params).status_code == 422


def test_largest_pack_size_is_allowed(client: TestClient) -> None:
    body = reorder(client, "GADGET-1", target=1, pack_size=1000).json()
    assert body["packs"] == 1 and body["order_quantity"] == 1000
