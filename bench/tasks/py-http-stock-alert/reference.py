async def send_low_stock_alert(
    client: httpx.AsyncClient, *, sku: str, quantity: int, threshold: int, secret: str
) -> str:
    body = json.dumps(
        {"sku": sku, "quantity": quantity, "threshold": threshold}, separators=(",", ":"), sort_keys=True
    ).encode("utf-8")
    signature = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    response = await client.post(
        "/hooks/low-stock",
        content=body,
        headers={"Content-Type": "application/json", "X-Signature": f"sha256={signature}"},
    )
    if response.status_code in (200, 201, 202):
        return response.json()["alert_id"]
    if 400 <= response.status_code < 500:
        detail = response.text
        try:
            data = response.json()
        except ValueError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("detail"), str):
            detail = data["detail"]
        raise AlertRejected(response.status_code, detail)
    response.raise_for_status()
    raise httpx.HTTPStatusError(
        f"unexpected status {response.status_code}", request=response.request, response=response
    )
