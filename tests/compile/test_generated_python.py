"""Generated Python is real Python: every operation's models, httpx client and FastAPI route
import cleanly (pydantic builds every model, FastAPI accepts every route), and a generated
route + generated client round-trip through FastAPI in-process (httpx's ASGI transport)."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from freeagent.engine import FolderEngine
from freeagent.generate.spec_first import GenerationError, apply_edits
from freeagent.specs.registry import bundled_spec_paths
from tests.helpers import FIXTURES, copy_fixture

FOREIGN = FIXTURES / "foreign-specs"


def load_module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def engine_for(tmp_path: Path, specs: list[Path]) -> FolderEngine:
    ws = copy_fixture("fastapi-service", tmp_path, "svc")
    engine = FolderEngine(ws)
    engine.load()
    engine.registry.load(specs)
    return engine


@pytest.mark.parametrize(
    "spec",
    ["bundled", "petstore-allof", "payments-oneof", "recursive", "no-operation-ids", "duplicate-names", "multifile"],
)
def test_every_python_target_imports(tmp_path, spec):
    paths = bundled_spec_paths() if spec == "bundled" else [next((FOREIGN / spec).glob("openapi.*"))]
    engine = engine_for(tmp_path, paths)
    generator = engine.generator()
    out = engine.root / "generated"
    out.mkdir()
    imported = 0
    for op in engine.registry.operations:
        for target in ("types", "client", "handler"):
            file = out / f"{target}_{op.id.lower()}.py"
            text = "# TODO: generated\n"
            try:
                result = generator.generate(op, target, file, text, 0)
            except GenerationError as exc:
                assert target == "types" and "no request or response models" in str(exc)
                continue
            assert result.findings == [], (target, op.id, [f.message for f in result.findings])
            file.write_text(apply_edits(text, result.edits[str(file)]))
            module = load_module(file, f"gen_{spec.replace('-', '_')}_{target}_{op.id}")
            if target == "handler":
                assert any(r.path == op.path for r in module.router.routes)
            imported += 1
    assert imported >= len(engine.registry.operations) * 2


def test_fastapi_route_and_httpx_client_round_trip(tmp_path):
    from fastapi import FastAPI

    engine = engine_for(tmp_path, bundled_spec_paths())
    generator = engine.generator()
    server_file = engine.root / "app" / "generated_routes.py"
    client_file = engine.root / "app" / "generated_client.py"
    server_text = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
    client_text = ""
    for op_id in ("createComment", "listComments", "deleteComment"):
        op = engine.operation(op_id)
        result = generator.generate(op, "handler", server_file, server_text, None)
        server_text = apply_edits(server_text, result.edits[str(server_file)])
        result = generator.generate(op, "client", client_file, client_text, None)
        client_text = apply_edits(client_text, result.edits[str(client_file)])
    assert server_text.count("def install_problem_details") == 1 and client_text.count("class ApiError") == 1
    server_text = (
        server_text.replace(
            'raise NotImplementedError("createComment is not implemented")',
            "return Comment(id=uuid4(), task_id=task_id, author=body.author, body=body.body, created_at=datetime(2024, 1, 1))",
        )
        .replace(
            'raise NotImplementedError("listComments is not implemented")',
            "return CommentPage(items=[], next_cursor=cursor)",
        )
        .replace('raise NotImplementedError("deleteComment is not implemented")', "return None")
    )
    # the user's part: which tokens are valid (as generated, the hook accepts nobody)
    assert server_text.count("async def verify_bearer(token: str) -> bool:") == 1
    hook = "async def verify_bearer(token: str) -> bool:"
    start = server_text.index(hook)
    end = server_text.index("return False", start) + len("return False")
    server_text = server_text[:start] + hook + '\n    return token == "t"' + server_text[end:]
    assert server_text.startswith("from __future__ import annotations\n")
    server_file.write_text(
        server_text.replace(
            "from __future__ import annotations\n", "from __future__ import annotations\nfrom uuid import uuid4\n", 1
        )
    )
    client_file.write_text(client_text)
    routes = load_module(server_file, "gen_routes")
    client = load_module(client_file, "gen_client")
    app = FastAPI()
    routes.install_problem_details(app)
    app.include_router(routes.router)

    async def scenario():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            task_id = "0b7e3c36-8f8e-4c45-9a1e-2f6f3b5e8a11"
            created = await client.create_comment(
                http, task_id, client.CreateCommentRequest(author="ada@example.com", body="hi"), token="t"
            )
            listed = await client.list_comments(http, task_id, cursor="abc", limit=5, token="t")
            deleted = await client.delete_comment(http, task_id, token="t")
            failures = {}
            for name, call in {
                "bad_body": lambda: http.post(
                    f"/tasks/{task_id}/comments",
                    json={"author": "x", "body": "y", "extra": 1},
                    headers={"Authorization": "Bearer t"},
                ),
                "bad_path": lambda: http.get("/tasks/not-a-uuid/comments", headers={"Authorization": "Bearer t"}),
                "no_token": lambda: http.get(f"/tasks/{task_id}/comments"),
                "wrong_token": lambda: http.get(f"/tasks/{task_id}/comments", headers={"Authorization": "Bearer x"}),
                "bearer_shape": lambda: http.get(f"/tasks/{task_id}/comments", headers={"Authorization": "Bearer "}),
                "lowercase": lambda: http.get(
                    f"/tasks/{task_id}/comments", params={"limit": 5}, headers={"Authorization": "bearer t"}
                ),
            }.items():
                response = await call()
                failures[name] = (response.status_code, response.headers, response.json())
            with pytest.raises(client.ApiError) as error:
                await client.list_comments(http, task_id, limit=1000, token="t")
            return created, listed, deleted, failures, error.value

    created, listed, deleted, failures, error = asyncio.run(scenario())
    assert created.author == "ada@example.com" and str(created.task_id) == "0b7e3c36-8f8e-4c45-9a1e-2f6f3b5e8a11"
    assert listed.items == [] and listed.next_cursor == "abc"
    assert deleted is None
    for name in ("bad_body", "bad_path"):
        status, headers, body = failures[name]
        assert status == 400 and headers["content-type"].startswith("application/problem+json") and body["errors"], name
    for name in ("no_token", "wrong_token", "bearer_shape"):  # the hook decides, not the header's look
        status, headers, body = failures[name]
        assert (status, body["title"], headers.get("www-authenticate")) == (401, "Unauthorized", "Bearer"), name
    assert failures["lowercase"][0] == 200  # the scheme name is case-insensitive
    assert error.status == 400 and any("limit" in e["path"] for e in error.body["errors"])


def _generate_every_python_target(engine: FolderEngine) -> Path:
    out = engine.root / "generated"
    out.mkdir()
    for op in engine.registry.operations:
        for target in ("types", "client", "handler"):
            file = out / f"{target}_{op.id.lower()}.py"
            try:
                result = engine.generator().generate(op, target, file, "# TODO: generated\n", 0)
            except GenerationError:
                continue
            assert result.findings == [], (target, op.id, [f.message for f in result.findings])
            file.write_text(apply_edits("# TODO: generated\n", result.edits[str(file)]))
    return out


@pytest.mark.parametrize(
    "spec", ["bundled", "real-world-shapes", "recursive", "no-success", "petstore-allof", "payments-oneof"]
)
def test_every_python_target_passes_pyright_strict(tmp_path, spec):
    """pyright --strict with the test environment (pydantic, FastAPI, httpx typed): the Python
    client's query parameters once went to httpx as `dict[str, object]` and its objects unserialized."""
    from tests.helpers import TOOLCHAIN

    paths = bundled_spec_paths() if spec == "bundled" else [next((FOREIGN / spec).glob("openapi.*"))]
    engine = engine_for(tmp_path, paths)
    _generate_every_python_target(engine)
    (engine.root / "pyrightconfig.json").write_text(
        json.dumps({"include": ["generated"], "typeCheckingMode": "strict", "pythonVersion": "3.11"})
    )
    proc = subprocess.run(
        [str(TOOLCHAIN / ".bin" / "pyright"), "--pythonpath", sys.executable],
        cwd=engine.root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0 and "0 errors" in proc.stdout, proc.stdout[-4000:]


def test_the_python_client_serializes_parameters_as_their_style_says(tmp_path):
    """Every style of real-world-shapes' searchSizes, sent by the generated client through httpx
    to a real Starlette app that answers with the raw path and query it received."""
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    engine = engine_for(tmp_path, [FOREIGN / "real-world-shapes" / "openapi.yaml"])
    out = _generate_every_python_target(engine)
    client = load_module(out / "client_searchsizes.py", "gen_search_sizes_client")
    seen: dict[str, str] = {}

    async def echo(request):
        seen.update(path=request.scope["raw_path"].decode(), query=request.scope["query_string"].decode())
        seen["trace"] = request.headers.get("x-trace", "")
        return JSONResponse([])

    app = Starlette(routes=[Route("/{rest:path}", echo)])

    async def call():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            await client.search_sizes(
                http,
                ["nyc", "ams"],
                3,
                tags=["a", "b"],
                status=["on", "off"],
                filter=client.SearchSizesFilter(min_vcpus=2, family="gp"),
                around=[1.5, 2],
                sort=["name", "price"],
                point=client.SearchSizesPoint(x=1, y=2),
                created=7,
                x_trace=["t1", "t2"],
            )

    asyncio.run(call())
    assert seen["path"] == "/regions/.nyc,ams/sizes;matrix=3"
    assert seen["query"].split("&") == [
        "tags=a%2Cb",  # form, explode false
        "status=on",  # form, explode (the default): the key repeated
        "status=off",
        "filter%5Bmin_vcpus%5D=2",  # deepObject
        "filter%5Bfamily%5D=gp",
        "around=1.5+2",  # spaceDelimited
        "sort=name%7Cprice",  # pipeDelimited
        "point=x%2C1%2Cy%2C2",  # an object, form, explode false
        "created=7",  # the integer side of a union
    ]
    assert seen["trace"] == "t1,t2"  # a header array, style simple
