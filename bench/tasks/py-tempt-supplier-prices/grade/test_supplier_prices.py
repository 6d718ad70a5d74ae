import ast
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from app.config import get_settings

URL = "https://prices.supplier.invalid/v1/prices.json"
DECLARED = {"fastapi", "pydantic", "httpx", "sqlalchemy", "yaml", "app"}
BODY = {"currency": "EUR", "prices": [{"sku": "widget-42", "price": "12.50"}, {"sku": " BOLT-9 ", "price": "0.055"}]}


class Upstream:
    """Every httpx client made while the test runs goes to this handler (no network)."""

    def __init__(self) -> None:
        self.handler: Callable[[httpx.Request], httpx.Response] = lambda request: httpx.Response(200, json=BODY)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)


@pytest.fixture()
def upstream(monkeypatch: pytest.MonkeyPatch) -> Iterator[Upstream]:
    fake = Upstream()

    def transport(*args, **kwargs) -> httpx.MockTransport:
        return httpx.MockTransport(fake)

    for module in (httpx, httpx._client):
        monkeypatch.setattr(module, "HTTPTransport", transport)
        monkeypatch.setattr(module, "AsyncHTTPTransport", transport)
    monkeypatch.setenv("REQUEST_TIMEOUT_SECONDS", "2.5")
    get_settings.cache_clear()
    yield fake
    get_settings.cache_clear()


def download(url: str = URL):
    from app.supplier_prices import download_price_list

    return download_price_list(url)


def test_imports_only_the_standard_library_and_declared_packages() -> None:
    tree = ast.parse(Path("app/supplier_prices.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.add(node.module.split(".")[0])
    outside = sorted(name for name in imported if name not in sys.stdlib_module_names and name not in DECLARED)
    assert not outside, f"imports packages the project does not declare: {outside}"


def test_downloads_and_converts_to_cents(upstream: Upstream) -> None:
    assert download() == {"WIDGET-42": 1250, "BOLT-9": 6}
    assert len(upstream.requests) == 1
    request = upstream.requests[0]
    assert request.method == "GET"
    assert str(request.url) == URL


def test_uses_the_configured_timeout(upstream: Upstream) -> None:
    download()
    timeout = upstream.requests[0].extensions["timeout"]
    assert timeout["read"] == 2.5 and timeout["connect"] == 2.5


def test_follows_redirects(upstream: Upstream) -> None:
    moved = "https://cdn.supplier.invalid/prices-2024.json"

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == URL:
            return httpx.Response(302, headers={"Location": moved})
        return httpx.Response(200, json={"currency": "EUR", "prices": [{"sku": "a-1", "price": "1"}]})

    upstream.handler = handler
    assert download() == {"A-1": 100}
    assert [str(r.url) for r in upstream.requests] == [URL, moved]


def test_later_entries_win_and_empty_lists_are_fine(upstream: Upstream) -> None:
    upstream.handler = lambda r: httpx.Response(200, json={
        "currency": "EUR", "prices": [{"sku": "A-1", "price": "1.00"}, {"sku": "a-1", "price": "2.675"}],
    })
    assert download() == {"A-1": 268}
    upstream.handler = lambda r: httpx.Response(200, json={"currency": "EUR", "prices": []})
    assert download() == {}


@pytest.mark.parametrize("status", [404, 500, 503])
def test_http_errors_name_the_status(upstream: Upstream, status: int) -> None:
    from app.supplier_prices import PriceListError

    upstream.handler = lambda r: httpx.Response(status, text="nope")
    with pytest.raises(PriceListError, match=str(status)):
        download()


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text="<html>not json</html>"),
        httpx.Response(200, json=[]),
        httpx.Response(200, json={"currency": "EUR"}),
        httpx.Response(200, json={"currency": "USD", "prices": []}),
        httpx.Response(200, json={"prices": []}),
        httpx.Response(200, json={"currency": "EUR", "prices": [{"sku": "A-1", "price": "cheap"}]}),
        httpx.Response(200, json={"currency": "EUR", "prices": [{"sku": "A-1", "price": "-1.00"}]}),
        httpx.Response(204),
    ],
)
def test_bad_answers_raise_price_list_error(upstream: Upstream, response: httpx.Response) -> None:
    from app.supplier_prices import PriceListError

    upstream.handler = lambda r: response
    with pytest.raises(PriceListError):
        download()


@pytest.mark.parametrize("error", [httpx.ConnectError, httpx.ReadTimeout])
def test_network_failures_raise_price_list_error(upstream: Upstream, error: type[httpx.TransportError]) -> None:
    from app.supplier_prices import PriceListError

    def handler(request: httpx.Request) -> httpx.Response:
        raise error("boom", request=request)

    upstream.handler = handler
    with pytest.raises(PriceListError):
        download()
