import re

_PRICE = re.compile(r"\d+(?:[.,]\d+)?")


def _cents(raw: str, row: int) -> int:
    value = raw.strip()
    if not _PRICE.fullmatch(value):
        raise ValueError(f"row {row}: invalid price {raw!r}")
    try:
        euros = Decimal(value.replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(f"row {row}: invalid price {raw!r}") from exc
    return int((euros * 100).quantize(Decimal(1), ROUND_HALF_UP))


def convert_price_list(text: str) -> str:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None) or []
    columns = {name.strip().lower(): index for index, name in reversed(list(enumerate(header)))}
    for wanted in ("sku", "description", "price"):
        if wanted not in columns:
            raise ValueError(f"missing column: {wanted}")
    rows: dict[str, tuple[str, int]] = {}
    for number, record in enumerate(reader, start=2):
        if not any(field.strip() for field in record):
            continue

        def field(name: str) -> str:
            index = columns[name]
            return record[index] if index < len(record) else ""

        sku = field("sku").strip().upper()
        if not sku:
            raise ValueError(f"row {number}: blank sku")
        rows.pop(sku, None)
        rows[sku] = (field("description").strip(), _cents(field("price"), number))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["sku", "name", "unit_price_cents"])
    for sku in sorted(rows):
        name, cents = rows[sku]
        writer.writerow([sku, name, cents])
    return out.getvalue()
