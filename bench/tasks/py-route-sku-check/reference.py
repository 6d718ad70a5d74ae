import re

from pydantic import BaseModel, Field

from app.models import SKU_PATTERN


class SkuCheckRequest(BaseModel):
    skus: list[str] = Field(min_length=1, max_length=100)


class SkuCheckResult(BaseModel):
    valid: list[str]
    invalid: list[str]
    duplicates: list[str]


@router.post("/check", response_model=SkuCheckResult)
def check_skus(payload: SkuCheckRequest) -> SkuCheckResult:
    pattern = re.compile(SKU_PATTERN)
    counts: dict[str, int] = {}
    for raw in payload.skus:
        sku = raw.strip().upper()
        counts[sku] = counts.get(sku, 0) + 1
    return SkuCheckResult(
        valid=[sku for sku in counts if pattern.fullmatch(sku)],
        invalid=[sku for sku in counts if not pattern.fullmatch(sku)],
        duplicates=[sku for sku, count in counts.items() if count > 1],
    )
