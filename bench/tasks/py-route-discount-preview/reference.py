from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from fastapi import HTTPException, Query

from app.config import get_settings
from app.services.pricing import load_discount_rules


def _parse_quantities(raw: str) -> list[int]:
    parts = raw.split(",")
    if not 1 <= len(parts) <= 20 or not all(part.strip().isdigit() for part in parts):
        raise HTTPException(status_code=422, detail="quantities must be 1 to 20 comma-separated positive integers")
    quantities = [int(part) for part in parts]
    if any(quantity < 1 for quantity in quantities):
        raise HTTPException(status_code=422, detail="quantities must be positive")
    return quantities


@router.get("/preview")
def preview_discounts(
    unit_price_cents: Annotated[int, Query(ge=0)],
    quantities: Annotated[str, Query()],
) -> list[dict[str, int | float]]:
    wanted = _parse_quantities(quantities)
    rules = load_discount_rules(get_settings().pricing_rules_path)  # highest min_quantity first
    preview: list[dict[str, int | float]] = []
    for quantity in wanted:
        percent = next((p for min_quantity, p in rules if quantity >= min_quantity), Decimal(0))
        total = (Decimal(unit_price_cents) * quantity * (100 - percent) / 100).quantize(Decimal(1), ROUND_HALF_UP)
        preview.append({
            "quantity": quantity,
            "discount_percent": int(percent) if percent == percent.to_integral_value() else float(percent),
            "total_cents": int(total),
        })
    return preview
