def _get_page(client: httpx.Client, params: dict[str, str | int]) -> dict:
    for _ in range(3):
        response = client.get("/products", params=params)
        if response.status_code not in RETRYABLE_STATUS:
            break
    if not response.is_success:
        raise CatalogError(f"the catalogue API answered {response.status_code}")
    try:
        body = response.json()
    except ValueError as exc:
        raise CatalogError("the catalogue API did not answer JSON") from exc
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        raise CatalogError("the catalogue API answered without an items list")
    return body


def fetch_catalog(client: httpx.Client, *, page_size: int = 100, max_pages: int = 50) -> list[dict]:
    if not 1 <= page_size <= 500:
        raise ValueError("page_size must be from 1 to 500")
    items: list[dict] = []
    cursor: str | None = None
    for page in range(max_pages):
        params: dict[str, str | int] = {"limit": page_size}
        if page > 0:
            params["cursor"] = cursor
        body = _get_page(client, params)
        items.extend(body["items"])
        cursor = body.get("next_cursor")
        if cursor is None:
            return items
    raise CatalogError(f"the catalogue has more than {max_pages} pages")
