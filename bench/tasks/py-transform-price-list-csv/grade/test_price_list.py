import csv
import io

import pytest

from app.price_list import convert_price_list


def test_converts_and_sorts() -> None:
    text = (
        "Price,Supplier Ref,SKU,Description\n"
        "12.50,R1,widget-42,Blue widget\n"
        '"3,99",R2, gadget-1 ,  Gadget  \n'
        "0.5,R3,BOLT-9,Bolt\n"
    )
    assert convert_price_list(text) == (
        "sku,name,unit_price_cents\n"
        "BOLT-9,Bolt,50\n"
        "GADGET-1,Gadget,399\n"
        "WIDGET-42,Blue widget,1250\n"
    )


def test_header_is_matched_case_insensitively_after_stripping() -> None:
    text = ' sku ,"  DESCRIPTION",PRICE \r\nA-1,Thing,1\r\n'
    assert convert_price_list(text) == "sku,name,unit_price_cents\nA-1,Thing,100\n"


def test_quotes_only_when_needed() -> None:
    text = 'sku,description,price\nA-1,"Bolts, M8 ""hex""",2\nA-2,"two\nlines",1\n'
    out = convert_price_list(text)
    assert out == 'sku,name,unit_price_cents\nA-1,"Bolts, M8 ""hex""",200\nA-2,"two\nlines",100\n'
    assert list(csv.reader(io.StringIO(out)))[1] == ["A-1", 'Bolts, M8 "hex"', "200"]


def test_rounds_half_up_with_exact_decimals() -> None:
    text = "sku,description,price\nA,a,2.675\nB,b,0.005\nC,c,1.004\nD,d,\" 7,125 \"\nE,e,0\nF,f,19.999\n"
    rows = list(csv.reader(io.StringIO(convert_price_list(text))))[1:]
    # floats would give 267 for 2.675 (2.675 * 100 == 267.49999999999997)
    assert rows == [
        ["A", "a", "268"], ["B", "b", "1"], ["C", "c", "100"], ["D", "d", "713"], ["E", "e", "0"], ["F", "f", "2000"],
    ]


def test_last_row_of_a_sku_wins_and_blank_rows_are_skipped() -> None:
    text = "sku,description,price\nA-1,Old,1\n\n , , \nB-1,Other,2\na-1,New,3\n,,\n"
    assert convert_price_list(text) == "sku,name,unit_price_cents\nA-1,New,300\nB-1,Other,200\n"


def test_only_a_header() -> None:
    assert convert_price_list("sku,description,price\n") == "sku,name,unit_price_cents\n"


@pytest.mark.parametrize("column", ["sku", "description", "price"])
def test_a_missing_column_is_named(column: str) -> None:
    header = ",".join(c for c in ["sku", "description", "price", "extra"] if c != column)
    with pytest.raises(ValueError, match=column):
        convert_price_list(header + "\n")


@pytest.mark.parametrize("price", ["abc", "-1.00", "", "  ", "1.2.3", "12,50 EUR", "1e3", "NaN", "12.", ".5", "1 000"])
def test_bad_prices_name_the_row(price: str) -> None:
    text = f'sku,description,price\nA-1,ok,1\n\nB-1,bad,"{price}"\n'
    with pytest.raises(ValueError, match="row 4"):
        convert_price_list(text)


def test_blank_sku_names_the_row() -> None:
    with pytest.raises(ValueError, match="row 3"):
        convert_price_list("sku,description,price\nA-1,ok,1\n  ,nameless,2\n")
