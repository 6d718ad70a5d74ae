import httpx


def download_price_list(url: str) -> dict[str, int]:
    try:
        response = httpx.get(url, timeout=get_settings().request_timeout_seconds, follow_redirects=True)
    except httpx.HTTPError as exc:
        raise PriceListError(f"could not download {url}: {exc}") from exc
    if response.status_code != 200:
        raise PriceListError(f"{url} answered {response.status_code}")
    try:
        body = response.json()
    except ValueError as exc:
        raise PriceListError(f"{url} did not answer JSON") from exc
    if not isinstance(body, dict) or not isinstance(body.get("prices"), list):
        raise PriceListError("the price list has no prices")
    if body.get("currency") != "EUR":
        raise PriceListError(f"unexpected currency {body.get('currency')!r}")
    prices: dict[str, int] = {}
    for entry in body["prices"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("sku"), str) or not isinstance(entry.get("price"), str):
            raise PriceListError(f"malformed entry {entry!r}")
        try:
            price = Decimal(entry["price"].strip())
        except InvalidOperation as exc:
            raise PriceListError(f"invalid price {entry['price']!r}") from exc
        if not price.is_finite() or price < 0:
            raise PriceListError(f"invalid price {entry['price']!r}")
        prices[entry["sku"].strip().upper()] = int((price * 100).quantize(Decimal(1), ROUND_HALF_UP))
    return prices
