import json

import pytest
from pydantic import ValidationError

from app.suppliers import Supplier

VALID = {"code": "ACME1", "name": "Acme Corp", "email": "orders@acme.example", "country": "DE"}


def make(**changes) -> Supplier:
    return Supplier(**{**VALID, **changes})


def test_normalizes_strings() -> None:
    supplier = Supplier(
        code=" acme1 ", name="  Acme Corp ", email="  Orders@ACME.Example ", country=" de ",
        tags=["  Fasteners", "BULK ", "", "   ", "bulk", "fasteners", "eu"],
    )
    assert supplier.code == "ACME1"
    assert supplier.name == "Acme Corp"
    assert supplier.email == "orders@acme.example"
    assert supplier.country == "DE"
    assert supplier.tags == ["fasteners", "bulk", "eu"]


def test_defaults_and_computed_weeks() -> None:
    supplier = make()
    assert supplier.lead_time_days == 14
    assert supplier.tags == []
    assert supplier.lead_time_weeks == 2
    assert [make(lead_time_days=d).lead_time_weeks for d in (0, 1, 7, 8, 14, 15, 365)] == [0, 1, 1, 2, 2, 3, 53]


def test_dumps_include_the_computed_field() -> None:
    supplier = make(lead_time_days=8, tags=["eu"])
    expected = {
        "code": "ACME1", "name": "Acme Corp", "email": "orders@acme.example", "country": "DE",
        "lead_time_days": 8, "tags": ["eu"], "lead_time_weeks": 2,
    }
    assert supplier.model_dump() == expected
    assert json.loads(supplier.model_dump_json()) == expected


@pytest.mark.parametrize(
    "changes",
    [
        {"code": "AB"},
        {"code": "ABCDEFGHIJK"},
        {"code": "AC-ME"},
        {"code": "ÄCME"},
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 101},
        {"email": "orders.acme.example"},
        {"email": "@acme.example"},
        {"email": "a@b@acme.example"},
        {"email": "orders@acme"},
        {"email": "orders@.example"},
        {"email": "orders@example."},
        {"email": "orders@"},
        {"country": "DEU"},
        {"country": "D"},
        {"country": "1E"},
        {"lead_time_days": -1},
        {"lead_time_days": 366},
        {"lead_time_days": "soon"},
    ],
)
def test_invalid_values_raise(changes: dict) -> None:
    with pytest.raises(ValidationError):
        make(**changes)


def test_limits_that_are_allowed() -> None:
    assert make(code="abc").code == "ABC"
    assert make(code="A" * 10, name="x" * 100, lead_time_days=365).lead_time_days == 365
    assert make(email="a@b.co").email == "a@b.co"
    assert make(email="first.last@mail.acme.example").email == "first.last@mail.acme.example"


def test_missing_and_extra_fields_raise() -> None:
    with pytest.raises(ValidationError):
        Supplier(code="ACME1", name="Acme", country="DE")
    with pytest.raises(ValidationError):
        make(phone="+49 30 1234")


def test_instances_are_frozen() -> None:
    supplier = make()
    with pytest.raises(ValidationError):
        supplier.name = "Other"
    assert supplier.name == "Acme Corp"
    assert Supplier.model_validate(supplier.model_dump(exclude={"lead_time_weeks"})) == supplier
