import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from app.partner_feed import StockSnapshot

CAMEL = {"sku": "A-1", "warehouseCode": "BER", "onHand": 5, "reserved": 2, "updatedAt": "2024-05-01T12:00:00+02:00"}


def test_reads_camel_case() -> None:
    snapshot = StockSnapshot.model_validate(CAMEL)
    assert snapshot.warehouse_code == "BER"
    assert snapshot.on_hand == 5 and snapshot.reserved == 2
    assert snapshot.updated_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert snapshot.available_quantity == 3
    assert snapshot.note is None


def test_reads_python_names_too() -> None:
    snapshot = StockSnapshot(
        sku="B-2", warehouse_code="HAM", on_hand=4, updated_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    )
    assert snapshot.reserved == 0
    assert snapshot.available_quantity == 4


def test_to_partner_is_camel_case_json_without_nones() -> None:
    assert StockSnapshot.model_validate(CAMEL).to_partner() == {
        "sku": "A-1",
        "warehouseCode": "BER",
        "onHand": 5,
        "reserved": 2,
        "updatedAt": "2024-05-01T10:00:00Z",
        "availableQuantity": 3,
    }
    with_note = StockSnapshot.model_validate({**CAMEL, "note": "recount pending"}).to_partner()
    assert with_note["note"] == "recount pending"
    assert json.loads(json.dumps(with_note)) == with_note


def test_timestamps_are_utc_seconds_with_z() -> None:
    snapshot = StockSnapshot.model_validate({**CAMEL, "updatedAt": "2024-05-01T12:00:00.75+02:00"})
    assert snapshot.to_partner()["updatedAt"] == "2024-05-01T10:00:00Z"
    late = StockSnapshot.model_validate({**CAMEL, "updatedAt": "2023-12-31T23:30:59-05:00"})
    assert late.to_partner()["updatedAt"] == "2024-01-01T04:30:59Z"
    zulu = StockSnapshot.model_validate({**CAMEL, "updatedAt": "2024-05-01T10:00:00Z"})
    assert zulu.to_partner()["updatedAt"] == "2024-05-01T10:00:00Z"
    india = datetime(2024, 5, 1, 15, 30, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    assert StockSnapshot.model_validate({**CAMEL, "updatedAt": india}).to_partner()["updatedAt"] == "2024-05-01T10:00:00Z"


def test_model_dump_keeps_python_names() -> None:
    dumped = StockSnapshot.model_validate(CAMEL).model_dump()
    assert dumped == {
        "sku": "A-1",
        "warehouse_code": "BER",
        "on_hand": 5,
        "reserved": 2,
        "updated_at": "2024-05-01T10:00:00Z",
        "note": None,
        "available_quantity": 3,
    }
    assert json.loads(StockSnapshot.model_validate(CAMEL).model_dump_json(by_alias=True))["updatedAt"] == (
        "2024-05-01T10:00:00Z"
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"updatedAt": "2024-05-01T12:00:00"},
        {"updatedAt": "yesterday"},
        {"onHand": -1},
        {"reserved": -1},
        {"reserved": 6},
        {"onHand": "many"},
    ],
)
def test_invalid_snapshots_raise(changes: dict) -> None:
    with pytest.raises(ValidationError):
        StockSnapshot.model_validate({**CAMEL, **changes})


def test_fully_reserved_is_allowed() -> None:
    snapshot = StockSnapshot.model_validate({**CAMEL, "reserved": 5})
    assert snapshot.available_quantity == 0
    assert snapshot.to_partner()["availableQuantity"] == 0


def test_missing_fields_raise() -> None:
    for key in ("sku", "warehouseCode", "onHand", "updatedAt"):
        with pytest.raises(ValidationError):
            StockSnapshot.model_validate({k: v for k, v in CAMEL.items() if k != key})
