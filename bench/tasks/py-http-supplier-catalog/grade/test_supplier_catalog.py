import httpx
import pytest

from app.supplier_catalog import CatalogError, fetch_catalog

PAGES = {
    None: {"items": [{"sku": "A-1"}, {"sku": "A-2"}], "next_cursor": "p2"},
    "p2": {"items": [{"sku": "B-1"}], "next_cursor": "p3"},
    "p3": {"items": [{"sku": "C-1"}, {"sku": "C-2"}], "next_cursor": None},
}


class Upstream:
    """A fake supplier API behind httpx.MockTransport, recording every request."""

    def __init__(self, pages=PAGES, failures=None):
        self.pages = pages
        self.failures = dict(failures or {})  # cursor -> list of responses to give before the page
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        assert request.method == "GET"
        assert request.url.path == "/v2/products"
        cursor = request.url.params.get("cursor")
        queued = self.failures.get(cursor)
        if queued:
            return queued.pop(0)
        return httpx.Response(200, json=self.pages[cursor])

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self), base_url="https://supplier.test/v2")


def test_follows_the_cursor_through_every_page() -> None:
    upstream = Upstream()
    items = fetch_catalog(upstream.client(), page_size=2)
    assert items == [{"sku": "A-1"}, {"sku": "A-2"}, {"sku": "B-1"}, {"sku": "C-1"}, {"sku": "C-2"}]
    assert [dict(r.url.params) for r in upstream.requests] == [
        {"limit": "2"},
        {"limit": "2", "cursor": "p2"},
        {"limit": "2", "cursor": "p3"},
    ]


def test_default_page_size_and_missing_next_cursor() -> None:
    upstream = Upstream(pages={None: {"items": [{"sku": "ONLY"}]}})
    assert fetch_catalog(upstream.client()) == [{"sku": "ONLY"}]
    assert len(upstream.requests) == 1
    assert dict(upstream.requests[0].url.params) == {"limit": "100"}


def test_empty_catalogue() -> None:
    upstream = Upstream(pages={None: {"items": [], "next_cursor": None}})
    assert fetch_catalog(upstream.client(), page_size=500) == []


def test_retries_a_retryable_status_twice() -> None:
    upstream = Upstream(failures={"p2": [httpx.Response(503), httpx.Response(429)]})
    items = fetch_catalog(upstream.client(), page_size=2)
    assert len(items) == 5
    assert [r.url.params.get("cursor") for r in upstream.requests] == [None, "p2", "p2", "p2", "p3"]


def test_gives_up_after_three_tries() -> None:
    upstream = Upstream(failures={"p3": [httpx.Response(502), httpx.Response(504), httpx.Response(503)]})
    with pytest.raises(CatalogError, match="503"):
        fetch_catalog(upstream.client())
    assert [r.url.params.get("cursor") for r in upstream.requests] == [None, "p2", "p3", "p3", "p3"]


def test_other_errors_are_not_retried() -> None:
    upstream = Upstream(failures={None: [httpx.Response(401, json={"error": "bad key"})]})
    with pytest.raises(CatalogError, match="401"):
        fetch_catalog(upstream.client())
    assert len(upstream.requests) == 1
    upstream = Upstream(failures={"p2": [httpx.Response(500)]})
    with pytest.raises(CatalogError, match="500"):
        fetch_catalog(upstream.client())
    assert len(upstream.requests) == 2


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text="<html>maintenance</html>"),
        httpx.Response(200, json=[{"sku": "A-1"}]),
        httpx.Response(200, json={"products": []}),
        httpx.Response(200, json={"items": "A-1"}),
    ],
)
def test_unexpected_bodies_raise(response: httpx.Response) -> None:
    upstream = Upstream(failures={None: [response]})
    with pytest.raises(CatalogError):
        fetch_catalog(upstream.client())


def test_too_many_pages() -> None:
    endless = Upstream(pages={None: {"items": [1], "next_cursor": "x"}, "x": {"items": [2], "next_cursor": "x"}})
    with pytest.raises(CatalogError):
        fetch_catalog(endless.client(), max_pages=4)
    assert len(endless.requests) == 4
    exact = Upstream()
    assert len(fetch_catalog(exact.client(), max_pages=3)) == 5


@pytest.mark.parametrize("page_size", [0, -1, 501])
def test_bad_page_size_raises_before_any_request(page_size: int) -> None:
    upstream = Upstream()
    with pytest.raises(ValueError):
        fetch_catalog(upstream.client(), page_size=page_size)
    assert upstream.requests == []
