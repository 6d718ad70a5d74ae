"""Generated Python is real Python: every operation's models, httpx client and FastAPI route
import cleanly (pydantic builds every model, FastAPI accepts every route), and a generated
route + generated client round-trip through FastAPI in-process (httpx's ASGI transport)."""

from __future__ import annotations

import asyncio
import importlib.util
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
