from pydantic import field_validator, model_validator


class AdjustmentLine(BaseModel):
    sku: str
    delta: int = Field(ge=-10000, le=10000)

    @field_validator("sku")
    @classmethod
    def normalize_sku(cls, value: str) -> str:
        return value.strip().upper()

    @field_validator("delta")
    @classmethod
    def not_zero(cls, value: int) -> int:
        if value == 0:
            raise ValueError("delta must not be 0")
        return value


class AdjustmentRequest(BaseModel):
    reason: str
    lines: list[AdjustmentLine] = Field(min_length=1, max_length=50)

    @field_validator("reason")
    @classmethod
    def check_reason(cls, value: str) -> str:
        value = value.strip()
        if not 3 <= len(value) <= 200:
            raise ValueError("reason must be 3 to 200 characters")
        return value

    @model_validator(mode="after")
    def unique_skus(self) -> "AdjustmentRequest":
        skus = [line.sku for line in self.lines]
        if len(set(skus)) != len(skus):
            raise ValueError("a SKU appears in more than one line")
        return self


class AdjustedItem(BaseModel):
    sku: str
    quantity: int


class AdjustmentResult(BaseModel):
    reason: str
    items: list[AdjustedItem]


@router.post("", response_model=AdjustmentResult)
def book_adjustments(payload: AdjustmentRequest, session: SessionDep) -> AdjustmentResult:
    skus = [line.sku for line in payload.lines]
    records = {r.sku: r for r in session.scalars(select(ItemRecord).where(ItemRecord.sku.in_(skus)))}
    for line in payload.lines:
        if line.sku not in records:
            raise HTTPException(status_code=404, detail=f"Unknown SKU: {line.sku}")
    for line in payload.lines:
        if records[line.sku].quantity + line.delta < 0:
            raise HTTPException(status_code=409, detail=f"Insufficient stock for {line.sku}")
    for line in payload.lines:
        records[line.sku].quantity += line.delta
    session.commit()
    return AdjustmentResult(
        reason=payload.reason,
        items=[AdjustedItem(sku=line.sku, quantity=records[line.sku].quantity) for line in payload.lines],
    )
