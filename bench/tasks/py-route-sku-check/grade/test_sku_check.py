import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.sku_check import router


@pytest.fixture()
def client() -> TestClient:
    app = FastAPI()
    app.include_router(router)
    return TestClient(app)


def check(client: TestClient, skus):
    return client.post("/skus/check", json={"skus": skus})


def test_sorts_valid_invalid_and_duplicates(client: TestClient) -> None:
    response = check(client, ["widget-42", " WIDGET-42 ", "bad sku", "A", "bad sku", "-X", "gadget-1"])
    assert response.status_code == 200
    assert response.json() == {
        "valid": ["WIDGET-42", "A", "GADGET-1"],
        "invalid": ["BAD SKU", "-X"],
        "duplicates": ["WIDGET-42", "BAD SKU"],
    }


def test_all_valid_without_duplicates(client: TestClient) -> None:
    response = check(client, ["b-2", "a-1"])
    assert response.status_code == 200
    assert response.json() == {"valid": ["B-2", "A-1"], "invalid": [], "duplicates": []}


def test_duplicates_are_listed_once_in_order_of_first_occurrence(client: TestClient) -> None:
    body = check(client, ["z", "y", "y", "z", "Z", "y", "x"]).json()
    assert body["duplicates"] == ["Z", "Y"]
    assert body["valid"] == ["Z", "Y", "X"]


def test_length_limits_of_the_pattern(client: TestClient) -> None:
    longest = "A" * 64
    too_long = "B" * 65
    body = check(client, [longest, too_long]).json()
    assert body["valid"] == [longest]
    assert body["invalid"] == [too_long]


def test_blank_and_odd_characters_are_invalid(client: TestClient) -> None:
    body = check(client, ["", "   ", "ÄBC", "AB_C", "AB.C", "AB-"]).json()
    assert body["valid"] == ["AB-"]
    assert body["invalid"] == ["", "ÄBC", "AB_C", "AB.C"]
    assert body["duplicates"] == [""]


def test_size_limits(client: TestClient) -> None:
    assert check(client, []).status_code == 422
    assert check(client, ["A"] * 101).status_code == 422
    assert check(client, [f"SKU-{i}" for i in range(100)]).status_code == 200


def test_body_must_be_a_list_of_strings(client: TestClient) -> None:
    assert client.post("/skus/check", json={}).status_code == 422
    assert client.post("/skus/check", json={"skus": "A-1"}).status_code == 422
    assert client.post("/skus/check", json={"skus": [1, 2]}).status_code == 422
