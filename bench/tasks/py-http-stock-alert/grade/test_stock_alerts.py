import asyncio
import hashlib
import hmac

import httpx
import pytest

from app.stock_alerts import AlertRejected, send_low_stock_alert

SECRET = "s3cr3t-ü"


def run(handler, **overrides):
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    async def go():
        async with httpx.AsyncClient(transport=httpx.MockTransport(record), base_url="https://hooks.test/api") as client:
            arguments = {"sku": "WIDGET-42", "quantity": 3, "threshold": 10, "secret": SECRET, **overrides}
            return await send_low_stock_alert(client, **arguments)

    return asyncio.run(go()), seen


def accepted(status=201):
    return lambda request: httpx.Response(status, json={"alert_id": "al_123", "status": "queued"})


def test_posts_the_signed_compact_sorted_body() -> None:
    alert_id, seen = run(accepted())
    assert alert_id == "al_123"
    assert len(seen) == 1
    request = seen[0]
    assert request.method == "POST"
    assert request.url.path == "/api/hooks/low-stock"
    body = request.content
    assert body == b'{"quantity":3,"sku":"WIDGET-42","threshold":10}'
    assert request.headers["content-type"] == "application/json"
    expected = hmac.new(SECRET.encode("utf-8"), body, hashlib.sha256).hexdigest()
    assert request.headers["x-signature"] == f"sha256={expected}"


def test_signature_follows_the_body() -> None:
    _, seen = run(accepted(), sku="GADGET-1", quantity=0, threshold=5, secret="other")
    body = seen[0].content
    assert body == b'{"quantity":0,"sku":"GADGET-1","threshold":5}'
    assert seen[0].headers["x-signature"] == "sha256=" + hmac.new(b"other", body, hashlib.sha256).hexdigest()


@pytest.mark.parametrize("status", [200, 201, 202])
def test_success_statuses(status: int) -> None:
    assert run(accepted(status))[0] == "al_123"


def test_4xx_with_json_detail() -> None:
    with pytest.raises(AlertRejected) as caught:
        run(lambda r: httpx.Response(422, json={"detail": "threshold must exceed quantity"}))
    assert caught.value.status_code == 422
    assert caught.value.detail == "threshold must exceed quantity"


def test_4xx_without_a_string_detail_uses_the_text() -> None:
    with pytest.raises(AlertRejected) as caught:
        run(lambda r: httpx.Response(401, text="bad signature"))
    assert (caught.value.status_code, caught.value.detail) == (401, "bad signature")
    with pytest.raises(AlertRejected) as caught:
        run(lambda r: httpx.Response(400, json={"detail": ["sku", "missing"]}))
    assert caught.value.status_code == 400
    assert caught.value.detail == '{"detail":["sku","missing"]}'
    with pytest.raises(AlertRejected) as caught:
        run(lambda r: httpx.Response(409, json=["duplicate"]))
    assert caught.value.detail == '["duplicate"]'


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_raises_http_status_error(status: int) -> None:
    with pytest.raises(httpx.HTTPStatusError) as caught:
        run(lambda r: httpx.Response(status, text="down"))
    assert caught.value.response.status_code == status


def test_network_errors_propagate() -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(httpx.ConnectError):
        run(broken)
