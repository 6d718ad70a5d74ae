"""Spec-first generation: style, placement, import merging, reuse, and the check that guards it."""

import re

import pytest

from freeagent.engine import FolderEngine
from freeagent.generate.check import check_client, check_handler
from freeagent.generate.spec_first import GenerationError, apply_edits, mount_prefix, targets_for
from freeagent.generate.ts.imports import merge_imports
from freeagent.generate.ts.style import TsStyle
from freeagent.markers import find_task
from tests.helpers import EXAMPLE, FIXTURES, copy_fixture


@pytest.fixture(scope="module")
def taskboard():
    engine = FolderEngine(EXAMPLE)
    engine.load()
    return engine


def generate(engine, rel, task, target=None, text=None):
    path = engine.root / rel
    text = path.read_text() if text is None else text
    line = next(n for n in range(len(text.split("\n"))) if (t := find_task(text, n)) and t.text == task)
    match = engine.match(task)
    assert match.covered
    target = target or targets_for(rel, text)[0]
    result = engine.generator().generate(match.operation, target, path, text, line)
    return result, apply_edits(text, result.edits[str(path)])


def test_handler_replaces_the_marker_in_a_routes_file(taskboard):
    result, new = generate(taskboard, "src/routes/tasks.ts", "list comments for a task")
    assert result.target == "handler" and result.operation == "listComments" and result.findings == []
    assert "// TODO: list comments for a task" not in new
    # registered on the file's router, under the prefix it is mounted with (/tasks)
    assert "tasksRouter.get('/:taskId/comments', async (req, res, next) => {" in new
    assert new.count("import { Router } from 'express';") == 1
    assert "import type { Response } from 'express';" in new
    # the existing Comment type is reused, through the file's existing type import
    assert re.search(r"import type \{[^}]*\bComment\b[^}]*\} from '\.\./schemas/task\.js';", new)
    assert "export interface Comment " not in new
    assert "sendProblem(res, 401, 'Unauthorized');" in new
    assert "// Business logic for listComments" in new


def test_handler_at_the_routers_root_path_passes_its_check(taskboard):
    # GET /projects on a router mounted at /projects is the router's '/', not ''
    text = (taskboard.root / "src/routes/projects.ts").read_text() + "\n// TODO: list projects\n"
    result, new = generate(taskboard, "src/routes/projects.ts", "list projects", text=text)
    assert result.operation == "listProjects" and result.findings == []
    assert "projectsRouter.get('/', async (req, res, next) => {" in new


def test_client_inside_a_class_goes_after_the_class(taskboard):
    result, new = generate(taskboard, "src/api/client.ts", "create a comment on a task", target="client")
    assert result.findings == []
    lines = new.split("\n")
    class_end = next(i for i, ln in enumerate(lines) if ln == "}" and i > lines.index("export class TaskboardClient {"))
    fn = next(i for i, ln in enumerate(lines) if ln.startswith("export async function createComment("))
    assert fn > class_end and "TODO: create a comment" not in new
    # the file has its own ApiError with another shape: ours takes a free name
    assert "export class HttpApiError<TBody = unknown> extends Error {" in new
    assert new.count("export class ApiError") == 1


def test_generated_code_follows_the_project_style(tmp_path):
    ws = copy_fixture("nextjs-app", tmp_path, "app")
    (ws / "src/lib/comments.ts").write_text(
        'import { apiClient } from "@/lib/api-client"\n\n// TODO: create a comment on a task\n'
    )
    engine = FolderEngine(ws)
    engine.load()
    result, _ = generate(engine, "src/lib/comments.ts", "create a comment on a task", target="client")
    assert "'" not in result.code.replace("\\'", "")  # double quotes only
    statements = [ln for ln in result.code.splitlines() if ln.strip().startswith(("const ", "return ", "throw "))]
    assert statements and not any(ln.rstrip().endswith(";") for ln in statements)
    assert 'method: "POST"' in result.code


def test_handler_follows_the_package_framework():
    engine = FolderEngine(FIXTURES / "pnpm-monorepo")
    engine.load()
    op = engine.operation("createComment")
    api = engine.root / "apps/api/src/routes/orders.ts"
    result = engine.generator().generate(op, "handler", api, api.read_text(), None)
    assert "export async function createCommentRoute(app: FastifyInstance): Promise<void> {" in result.code
    assert "return reply.code(201).send(result);" in result.code and result.findings == []
    shared = engine.root / "packages/shared/src/schemas.ts"
    with pytest.raises(GenerationError, match=r"Express, Fastify, Hono and Next\.js"):
        engine.generator().generate(op, "handler", shared, shared.read_text(), None)


def test_next_route_handlers_only_in_route_files(tmp_path):
    import json

    plain = FolderEngine(FIXTURES / "nextjs-app")
    plain.load()
    with pytest.raises(GenerationError, match="zod"):  # a yup app: no zod to validate with
        plain.generator().generate(
            plain.operation("listComments"), "handler", plain.root / "src/app/api/x/route.ts", "", None
        )
    ws = copy_fixture("nextjs-app", tmp_path, "app")
    manifest = json.loads((ws / "package.json").read_text())
    manifest["dependencies"]["zod"] = "^3.23.8"
    (ws / "package.json").write_text(json.dumps(manifest))
    engine = FolderEngine(ws)
    engine.load()
    op = engine.operation("listComments")
    route = engine.root / "src/app/api/tasks/[taskId]/comments/route.ts"
    result = engine.generator().generate(op, "handler", route, "", None)
    assert (
        "export async function GET(request: NextRequest, context: { params: { taskId: string } }): Promise<NextResponse> {"
        in result.code
    )
    with pytest.raises(GenerationError, match=r"route\.ts"):
        engine.generator().generate(op, "handler", engine.root / "src/lib/x.ts", "", None)
    existing = engine.root / "src/app/api/users/route.ts"
    with pytest.raises(GenerationError, match="already exports GET"):
        engine.generator().generate(op, "handler", existing, existing.read_text(), None)


def test_unsupported_files_are_refused_clearly(taskboard):
    op = taskboard.operation("GET /tasks/{taskId}")
    with pytest.raises(GenerationError, match="TypeScript"):
        taskboard.generator().generate(op, "client", taskboard.root / "x.rb", "", None)
    with pytest.raises(GenerationError, match="FastAPI"):  # a .py handler needs a FastAPI project
        taskboard.generator().generate(op, "handler", taskboard.root / "x.py", "", None)


def test_python_targets_follow_the_file(tmp_path):
    engine = FolderEngine(FIXTURES / "fastapi-service")
    engine.load()
    path = engine.root / "app/routers/items.py"
    text = path.read_text()
    result = engine.generator().generate(engine.operation("createComment"), "handler", path, text, None)
    new = apply_edits(text, result.edits[str(path)])
    assert result.findings == []
    # the file's own `router = APIRouter(...)` is used, not a second router
    assert new.count("APIRouter(") == text.count("APIRouter(")
    assert '@router.post("/tasks/{taskId}/comments", response_model=Comment, status_code=201' in new
    assert new.startswith("from __future__ import annotations\n") or '"""' in new.split("from __future__")[0]
    compile(new, str(path), "exec")


def test_edits_never_land_past_the_end(taskboard):
    op = taskboard.operation("getTask")
    path = taskboard.root / "src/new.ts"
    result = taskboard.generator().generate(op, "types", path, "const a = 1", None)
    lines = ["const a = 1"]
    for edit in result.edits[str(path)]:
        assert edit.end_line < len(lines) and edit.end_character <= len(lines[edit.end_line])
    new = apply_edits("const a = 1", result.edits[str(path)])
    assert new.startswith("import type { Task } from './schemas/task.js';\n\nconst a = 1\n\nexport ")


@pytest.mark.parametrize(
    "rel, text, first",
    [
        ("src/routes/users.ts", "import { Router } from 'express';\nconst r = Router();", "handler"),
        ("src/api/client.ts", "", "client"),
        ("src/schemas/user.ts", "", "schema"),
        ("src/types/index.ts", "", "types"),
    ],
)
def test_targets_for_files(rel, text, first):
    assert targets_for(rel, text)[0] == first


def test_mount_prefix_uses_parameter_names(taskboard):
    ops = taskboard.registry.operations
    assert mount_prefix(["/:taskId"], ops) == "/tasks"
    assert mount_prefix(["/:projectId", "/"], ops) == "/projects"
    assert mount_prefix([], ops) == ""


@pytest.mark.parametrize(
    "text, wanted, expected",
    [
        pytest.param("import { a } from 'm';\n", [("m", "b", False)], "import { a, b } from 'm';\n", id="merge-named"),
        pytest.param("import { a } from 'm';\n", [("m", "a", False)], "import { a } from 'm';\n", id="no-duplicate"),
        pytest.param(
            "import { a } from 'm';\n",
            [("m", "T", True)],
            "import { a } from 'm';\nimport type { T } from 'm';\n",
            id="type-separate",
        ),
        pytest.param(
            "import type { S } from 'm';\n", [("m", "T", True)], "import type { S, T } from 'm';\n", id="type-merge"
        ),
        pytest.param(
            "const x = 1;\n", [("zod", "z", False)], "import { z } from 'zod';\n\nconst x = 1;\n", id="no-imports-yet"
        ),
        pytest.param(
            "import {\n  a,\n} from 'm';\n", [("m", "b", False)], "import {\n  a,\n  b,\n} from 'm';\n", id="multiline"
        ),
        pytest.param(
            "// c\nimport a from 'a';\n\nexport {};\n",
            [("b", "default:b", False)],
            "// c\nimport a from 'a';\nimport b from 'b';\n\nexport {};\n",
            id="after-last",
        ),
    ],
)
def test_merge_imports(text, wanted, expected):
    assert apply_edits(text, merge_imports(text, wanted, TsStyle())) == expected


def test_check_catches_a_wrong_client(taskboard):
    op = taskboard.operation("listComments")
    good = taskboard.generator().generate(op, "client", taskboard.root / "src/c.ts", "", None)
    assert check_client(op, good.code) == []
    wrong_method = good.code.replace("method: 'GET'", "method: 'POST'")
    assert check_client(op, wrong_method)
    wrong_path = good.code.replace("/comments`", "/notes`")
    assert any("instead of" in f.message for f in check_client(op, wrong_path))
    no_query = good.code.replace("'cursor'", "'page'")
    assert any("cursor" in f.message for f in check_client(op, no_query))


def test_check_catches_a_wrong_handler(taskboard):
    op = taskboard.operation("createComment")
    text = "import { Router } from 'express';\n\nexport const router = Router();\n"
    good = taskboard.generator().generate(op, "handler", taskboard.root / "src/routes/h.ts", text, None)
    assert good.findings == []
    decls = {"createCommentBody": "const createCommentBody = z.object({\n  author: z.string().email(),\n}).strict();"}
    findings = check_handler(op, "router.post('/tasks/:taskId/comments', x); res.status(201)", decls, None)
    assert any("body fields" in f.message for f in findings)
    findings = check_handler(op, "router.get('/tasks/:taskId/comments', x); res.status(299)", {}, None)
    assert any("GET" in f.message for f in findings) and any("299" in f.message for f in findings)
    optional = {
        "createCommentBody": "const createCommentBody = z.object({\n  author: z.string().optional(),\n  body: z.string(),\n});"
    }
    assert any("required-ness" in f.message for f in check_handler(op, "", optional, None))


@pytest.mark.parametrize(
    "rel, is_spec",
    [
        ("openapi.yaml", True),
        ("api/openapi.v2.json", True),
        ("specs/b.yaml", True),
        ("specs/v1/b.json", True),
        ("config/app.yaml", False),
        ("openapi.txt", False),
    ],
)
def test_spec_globs(taskboard, rel, is_spec):
    assert taskboard._matches_spec_globs(taskboard.root / rel) is is_spec


def test_a_guard_of_a_recursive_schema_in_another_file_checks_it(tmp_path):
    # `node` in resources/schemas.yml refers to itself (`#/node`): its guard, first met inside the
    # response's own inlining of it, was `return true` — a guard that lets anything through
    ws = tmp_path / "guards"
    (ws / "src").mkdir(parents=True)
    (ws / "package.json").write_text('{"name": "guards", "type": "module"}')
    engine = FolderEngine(ws)
    engine.load()
    engine.registry.load([FIXTURES / "foreign-specs" / "real-world-shapes" / "openapi.yaml"])
    op = next(o for o in engine.registry.operations if o.id == "getDropletTree")
    path = ws / "src" / "guards.ts"
    result = engine.generator().generate(op, "schema", path, "// TODO\n", 0)
    code = apply_edits("// TODO\n", result.edits[str(path)])
    guard = re.search(r"export function isNodeModel\(value: unknown\): value is NodeModel \{\n(.*?)\n\}", code, re.S)
    assert guard is not None, code
    assert "return true" not in guard.group(1) and "['name'] === 'string'" in guard.group(1)
    assert "isNodeModel(i1)" in guard.group(1)  # children, checked by the same guard
