def _contains(column, needle: str):
    escaped = needle.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


@router.get("/search")
def search_catalog(
    response: Response,
    session: SessionDep,
    q: Annotated[str, Query()],
    in_stock: Annotated[bool, Query()] = False,
    max_price_cents: Annotated[int | None, Query(ge=0)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict[str, int | str]]:
    needle = q.strip()
    if not 2 <= len(needle) <= 50:
        raise HTTPException(status_code=422, detail="q must be 2 to 50 characters")
    conditions = [_contains(ItemRecord.name, needle) | _contains(ItemRecord.sku, needle)]
    if in_stock:
        conditions.append(ItemRecord.quantity > 0)
    if max_price_cents is not None:
        conditions.append(ItemRecord.unit_price_cents <= max_price_cents)
    total = session.scalar(select(func.count()).select_from(ItemRecord).where(*conditions)) or 0
    records = session.scalars(
        select(ItemRecord).where(*conditions).order_by(ItemRecord.name, ItemRecord.id).offset(offset).limit(limit)
    )
    response.headers["X-Total-Count"] = str(total)
    return [
        {
            "id": r.id,
            "sku": r.sku,
            "name": r.name,
            "quantity": r.quantity,
            "unit_price_cents": r.unit_price_cents,
        }
        for r in records
    ]
