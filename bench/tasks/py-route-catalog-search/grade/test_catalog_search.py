from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from app.catalog_search import router
from app.db import Base, ItemRecord, get_session

ITEMS = [
    # id 1 …
    ("WIDGET-42", "Blue widget", 12, 1000),
    ("WIDGET-7", "Red widget", 0, 800),
    ("GADGET-1", "Widget adapter", 5, 250),
    ("BOLT-9", "Bolt 100% steel", 500, 5),
    ("BOLT-10", "Bolt x steel", 40, 6),
    ("NUT-1", "Nut_small", 3, 2),
    ("NUT-2", "Nutxsmall", 3, 2),
    ("CABLE-3", "Blue widget", 1, 1200),
]


@pytest.fixture()
def client() -> Iterator[TestClient]:
    engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
    Base.metadata.create_all(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as session:
        for sku, name, quantity, price in ITEMS:
            session.add(ItemRecord(sku=sku, name=name, quantity=quantity, unit_price_cents=price))
            session.flush()
        session.commit()

    def override() -> Iterator[Session]:
        with factory() as session:
            yield session

    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[get_session] = override
    yield TestClient(app)
    engine.dispose()


def search(client: TestClient, **params):
    return client.get("/catalog/search", params=params)


def skus(response) -> list[str]:
    return [row["sku"] for row in response.json()]


def test_matches_name_or_sku_case_insensitively_in_order(client: TestClient) -> None:
    response = search(client, q="WiDgEt")
    assert response.status_code == 200
    # ordered by name, then id: the two "Blue widget" rows by id
    assert skus(response) == ["WIDGET-42", "CABLE-3", "WIDGET-7", "GADGET-1"]
    assert response.headers["X-Total-Count"] == "4"
    assert response.json()[0] == {
        "id": 1, "sku": "WIDGET-42", "name": "Blue widget", "quantity": 12, "unit_price_cents": 1000,
    }


def test_sku_match(client: TestClient) -> None:
    response = search(client, q="  bolt-1 ")
    assert skus(response) == ["BOLT-10"]
    assert response.headers["X-Total-Count"] == "1"


def test_filters(client: TestClient) -> None:
    assert skus(search(client, q="widget", in_stock="true")) == ["WIDGET-42", "CABLE-3", "GADGET-1"]
    assert skus(search(client, q="widget", max_price_cents=1000)) == ["WIDGET-42", "WIDGET-7", "GADGET-1"]
    response = search(client, q="widget", in_stock="true", max_price_cents=800)
    assert skus(response) == ["GADGET-1"]
    assert response.headers["X-Total-Count"] == "1"
    assert skus(search(client, q="widget", max_price_cents=0)) == []


def test_wildcards_are_literal(client: TestClient) -> None:
    assert skus(search(client, q="t_s")) == ["NUT-1"]
    assert skus(search(client, q="100%")) == ["BOLT-9"]
    assert skus(search(client, q="%%")) == []


def test_paging_and_total(client: TestClient) -> None:
    response = search(client, q="widget", limit=2, offset=1)
    assert skus(response) == ["CABLE-3", "WIDGET-7"]
    assert response.headers["X-Total-Count"] == "4"
    response = search(client, q="widget", offset=10)
    assert response.json() == []
    assert response.headers["X-Total-Count"] == "4"


def test_no_match(client: TestClient) -> None:
    response = search(client, q="zz")
    assert response.status_code == 200
    assert response.json() == []
    assert response.headers["X-Total-Count"] == "0"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "a"},
        {"q": "  a  "},
        {"q": "x" * 51},
        {"q": "widget", "limit": 0},
        {"q": "widget", "limit": 101},
        {"q": "widget", "offset": -1},
        {"q": "widget", "max_price_cents": -1},
        {"q": "widget", "in_stock": "maybe"},
    ],
)
def test_invalid_parameters_are_422(client: TestClient, params: dict) -> None:
    assert search(client, **params).status_code == 422


def test_longest_query_and_limit_are_allowed(client: TestClient) -> None:
    assert search(client, q=" " + "x" * 50 + " ", limit=100).status_code == 200
