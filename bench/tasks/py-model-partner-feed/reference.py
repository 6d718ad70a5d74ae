class StockSnapshot(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    sku: str
    warehouse_code: str
    on_hand: int = Field(ge=0)
    reserved: int = Field(default=0, ge=0)
    updated_at: AwareDatetime
    note: str | None = None

    @model_validator(mode="after")
    def reserved_within_stock(self) -> "StockSnapshot":
        if self.reserved > self.on_hand:
            raise ValueError("reserved must not exceed on_hand")
        return self

    @computed_field
    @property
    def available_quantity(self) -> int:
        return self.on_hand - self.reserved

    @field_serializer("updated_at")
    def serialize_updated_at(self, value: datetime) -> str:
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def to_partner(self) -> dict:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)
