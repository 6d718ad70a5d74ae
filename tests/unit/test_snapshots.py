"""Snapshots of spec-first output over the whole bundled registry, per target and framework.

Any change to what the generators write shows up here as a readable diff. When a change is
intended, regenerate with ``FREEAGENT_UPDATE_SNAPSHOTS=1 pytest tests/unit/test_snapshots.py``
and review the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from freeagent.engine import FolderEngine
from freeagent.generate.spec_first import GenerationError
from tests.helpers import FIXTURES, ROOT

SNAPSHOTS = ROOT / "tests" / "snapshots"
UPDATE = os.environ.get("FREEAGENT_UPDATE_SNAPSHOTS") == "1"

# (snapshot name, workspace, file the code is generated into, target, text of that file)
VARIANTS = [
    ("ts-types", ROOT / "examples/taskboard", "src/types/api.ts", "types", ""),
    ("ts-schema-zod", ROOT / "examples/taskboard", "src/schemas/api.ts", "schema", ""),
    ("ts-client-fetch", ROOT / "examples/taskboard", "src/api/generated.ts", "client", ""),
    ("ts-client-axios", FIXTURES / "nextjs-app", "src/lib/generated.ts", "client", ""),
    (
        "ts-handler-express",
        ROOT / "examples/taskboard",
        "src/routes/api.ts",
        "handler",
        "import { Router } from 'express';\n\nexport const router = Router();\n",
    ),
    ("ts-handler-fastify", FIXTURES / "pnpm-monorepo", "apps/api/src/routes/api.ts", "handler", ""),
    ("ts-handler-next", FIXTURES / "nextjs-app", "src/app/api/generated/route.ts", "handler", ""),  # yup app: refused
    ("ts-schema-guards", FIXTURES / "nextjs-app", "src/lib/guards.ts", "schema", ""),  # no zod: type guards
    ("py-models", FIXTURES / "fastapi-service", "app/generated.py", "types", ""),
    ("py-client-httpx", FIXTURES / "fastapi-service", "app/generated.py", "client", ""),
    (
        "py-handler-fastapi",
        FIXTURES / "fastapi-service",
        "app/generated.py",
        "handler",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n",
    ),
]
_ENGINES: dict[Path, FolderEngine] = {}


def engine(root: Path) -> FolderEngine:
    if root not in _ENGINES:
        _ENGINES[root] = FolderEngine(root)
        _ENGINES[root].load()
    return _ENGINES[root]


def render(name: str, root: Path, rel: str, target: str, text: str) -> str:
    eng = engine(root)
    path = eng.root / rel
    parts = []
    for op in eng.registry.operations:
        if op.doc.path.parent.name != "specs":
            continue
        try:
            result = eng.generator().generate(op, target, path, text, None)
            body = result.code
        except GenerationError as exc:
            body = f"(not generated: {exc})\n"
        parts.append(f"==== {op.id} ({op.method} {op.path}) ====\n{body}")
    return "".join(parts)


@pytest.mark.parametrize("name, root, rel, target, text", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_snapshot(name, root, rel, target, text):
    actual = render(name, root, rel, target, text)
    snapshot = SNAPSHOTS / f"{name}.snap"
    if UPDATE or not snapshot.exists():
        snapshot.write_text(actual)
        if not UPDATE:
            pytest.fail(f"{snapshot.name} was missing and has been written: review and commit it")
    expected = snapshot.read_text()
    assert actual == expected, f"{name}: generated output changed (FREEAGENT_UPDATE_SNAPSHOTS=1 to accept)"
