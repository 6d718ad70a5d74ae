@router.get("/{sku}/reorder")
def suggest_reorder(
    sku: str,
    session: SessionDep,
    target: Annotated[int, Query(ge=1)],
    pack_size: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> dict[str, int | str]:
    record = session.scalar(select(ItemRecord).where(ItemRecord.sku == sku.strip().upper()))
    if record is None:
        raise HTTPException(status_code=404, detail="Item not found")
    missing = max(target - record.quantity, 0)
    packs = -(-missing // pack_size)
    return {
        "sku": record.sku,
        "on_hand": record.quantity,
        "target": target,
        "packs": packs,
        "order_quantity": packs * pack_size,
    }
