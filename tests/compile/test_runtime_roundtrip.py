"""Generated Express handlers and the generated client, compiled by tsc and run by node against
each other on 127.0.0.1: valid requests round-trip, invalid ones get the spec's 400/401
problem+json. The only hand-written code is what a user writes: the business-logic bodies and
a main that mounts the router."""

from __future__ import annotations

import json
import subprocess

from freeagent.generate.spec_first import apply_edits
from tests.helpers import EXAMPLE, TOOLCHAIN, copy_fixture

from .test_generated_compile import compiler, spec_generator

IMPLEMENTATIONS = {
    "createComment": "return { id: '6f1c0d1e-8d7e-4e0a-9f51-0a3c2b1d4e5f', taskId: _input.params.taskId, "
    "author: _input.body.author, body: _input.body.body, createdAt: new Date(0).toISOString() };",
    "listComments": "return { items: [], nextCursor: _input.query.cursor ?? null };",
    "deleteComment": "void _input;",
}

MAIN = """
import express from 'express';
import { router } from './handlers.js';
import { createComment, listComments, deleteComment, HttpApiError, ApiError } from './client.js';

const ErrorClass = (typeof HttpApiError !== 'undefined' ? HttpApiError : ApiError);
const app = express();
app.use(express.json());
app.use('/api/v1', router);
const server = app.listen(0, '127.0.0.1', async () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}/api/v1`;
  const taskId = '0b7e3c36-8f8e-4c45-9a1e-2f6f3b5e8a11';
  const results: Record<string, unknown> = {};
  results.created = await createComment({ taskId }, { author: 'ada@example.com', body: 'Looks good' }, { baseUrl, token: 'test-token' });
  results.listed = await listComments({ taskId, limit: 10, cursor: 'abc' }, { baseUrl, token: 'test-token' });
  await deleteComment({ commentId: taskId }, { baseUrl, token: 'test-token' });
  results.deleted = 'ok';
  for (const [name, call] of [
    ['badBody', () => createComment({ taskId }, { author: 'not-an-email', body: '' } as never, { baseUrl, token: 'test-token' })],
    ['badPath', () => listComments({ taskId: 'nope' }, { baseUrl, token: 'test-token' })],
    ['badQuery', () => listComments({ taskId, limit: 1000 }, { baseUrl, token: 'test-token' })],
    ['noToken', () => listComments({ taskId }, { baseUrl })],
  ] as const) {
    try {
      await call();
      results[name] = 'no error';
    } catch (error) {
      if (error instanceof ErrorClass) {
        const e = error as InstanceType<typeof ErrorClass>;
        results[name] = { status: e.status, body: e.body };
      } else {
        results[name] = String(error);
      }
    }
  }
  const raw = await fetch(`${baseUrl}/tasks/${taskId}/comments`, { method: 'POST', headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' }, body: '{"author":"a@b.co","body":"x","extra":1}' });
  results.rawContentType = raw.headers.get('content-type');
  results.rawStatus = raw.status;
  // credentials: the project's verifyBearer decides, not the look of the header (ignored_auth)
  const list = `${baseUrl}/tasks/${taskId}/comments`;
  const status = async (authorization?: string) => {
    const response = await fetch(list, { headers: authorization ? { authorization } : {} });
    return { status: response.status, challenge: response.headers.get('www-authenticate') };
  };
  results.auth = {
    none: await status(),
    wrong: await status('Bearer not-a-known-token'),
    empty: await status('Bearer '),
    lowercase: await status('bearer test-token'),
  };
  console.log(JSON.stringify(results));
  server.close();
});
"""


def test_generated_express_and_client_round_trip(tmp_path):
    ws = copy_fixture(EXAMPLE, tmp_path)
    (ws / "node_modules").symlink_to(TOOLCHAIN)
    generator, registry = spec_generator(ws)
    out = ws / "src" / "generated"
    out.mkdir()
    handlers = out / "handlers.ts"
    clients = out / "client.ts"
    handler_text = "import { Router } from 'express';\n\nexport const router = Router();\n"
    client_text = ""
    for op_id in IMPLEMENTATIONS:
        op = registry.by_id[op_id]
        result = generator.generate(op, "handler", handlers, handler_text, None)
        assert result.findings == []
        handler_text = apply_edits(handler_text, result.edits[str(handlers)])
        result = generator.generate(op, "client", clients, client_text, None)
        assert result.findings == []
        client_text = apply_edits(client_text, result.edits[str(clients)])
    for op_id, body in IMPLEMENTATIONS.items():
        marker = f"throw new Error('{op_id} is not implemented');"
        assert marker in handler_text
        handler_text = handler_text.replace(marker, body)
    handlers.write_text(handler_text)
    clients.write_text(client_text)
    if "HttpApiError" not in client_text:
        (out / "main.ts").write_text(
            MAIN.replace("HttpApiError, ", "").replace(
                "typeof HttpApiError !== 'undefined' ? HttpApiError : ApiError", "ApiError"
            )
        )
    else:
        (out / "main.ts").write_text(
            MAIN.replace(", ApiError }", " }").replace(
                "typeof HttpApiError !== 'undefined' ? HttpApiError : ApiError", "HttpApiError"
            )
        )
    config = ws / "tsconfig.run.json"
    config.write_text(
        json.dumps(
            {
                "extends": "./tsconfig.json",
                "include": ["src/generated/**/*.ts"],
                "compilerOptions": {"outDir": "build", "rootDir": "src", "noEmit": False},
            }
        )
    )
    proc = subprocess.run(
        [*compiler(7), "-p", str(config), "--strict", "--noUnusedLocals", "--noUnusedParameters", "--pretty", "false"],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-4000:]
    run = subprocess.run(["node", "build/generated/main.js"], cwd=ws, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr[-4000:]
    results = json.loads(run.stdout.strip().splitlines()[-1])
    assert results["created"]["author"] == "ada@example.com" and results["created"]["taskId"].startswith("0b7e3c36")
    assert results["listed"] == {"items": [], "nextCursor": "abc"}
    assert results["deleted"] == "ok"  # 204: resolved with no body
    for name in ("badBody", "badPath", "badQuery"):
        assert results[name]["status"] == 400, results[name]
        assert results[name]["body"]["title"] == "Request validation failed"
        assert results[name]["body"]["errors"], results[name]
    assert any(e["path"].startswith("body.author") for e in results["badBody"]["body"]["errors"])
    assert any(e["path"] == "query.limit" for e in results["badQuery"]["body"]["errors"])
    assert results["noToken"]["status"] == 401
    auth = results["auth"]
    for case in ("none", "wrong", "empty"):  # a Bearer-shaped header with an unknown token gets nowhere
        assert auth[case] == {"status": 401, "challenge": "Bearer"}, (case, auth[case])
    assert auth["lowercase"]["status"] == 200  # the scheme name is case-insensitive (RFC 9110)
    # unknown body fields are rejected where the spec says additionalProperties: false
    assert results["rawStatus"] == 400 and results["rawContentType"].startswith("application/problem+json")


def test_type_guards_accept_and_reject_at_runtime(tmp_path):
    """The schema target without zod: guards compiled by tsc and run by node."""
    ws = tmp_path / "guards"
    (ws / "src").mkdir(parents=True)
    (ws / "package.json").write_text(json.dumps({"name": "guards", "type": "module"}))
    (ws / "tsconfig.json").write_text(
        json.dumps(
            {
                "compilerOptions": {
                    "target": "ES2022",
                    "module": "NodeNext",
                    "moduleResolution": "NodeNext",
                    "strict": True,
                    "outDir": "build",
                    "rootDir": "src",
                    "types": ["node"],
                },
                "include": ["src"],
            }
        )
    )
    (ws / "node_modules").symlink_to(TOOLCHAIN)
    generator, registry = spec_generator(ws)
    guards = ws / "src" / "guards.ts"
    text = ""
    for op_id in ("createComment", "createProject", "createWebhook"):
        result = generator.generate(registry.by_id[op_id], "schema", guards, text, None)
        text = apply_edits(text, result.edits[str(guards)])
    guards.write_text(text)
    (ws / "src" / "main.ts").write_text(
        "import { isCreateCommentBody, isCreateProjectBody, isCreateWebhookBody } from './guards.js';\n"
        "console.log(JSON.stringify([\n"
        "  isCreateCommentBody({ author: 'a@b.co', body: 'hi' }),\n"
        "  isCreateCommentBody({ author: 'a@b.co' }),\n"
        "  isCreateCommentBody({ author: 'a@b.co', body: 'hi', extra: 1 }),\n"
        "  isCreateCommentBody(null),\n"
        "  isCreateProjectBody({ key: 'TB', name: 'Taskboard', metadata: { team: 'x' } }),\n"
        "  isCreateProjectBody({ key: 'TB', name: 'Taskboard', metadata: { team: 1 } }),\n"
        "  isCreateWebhookBody({ url: 'https://example.com/hook', events: ['task.created'] }),\n"
        "  isCreateWebhookBody({ url: 'https://example.com/hook', events: ['nope'] }),\n"
        "]));\n"
    )
    proc = subprocess.run(
        [*compiler(7), "-p", "tsconfig.json", "--pretty", "false"], cwd=ws, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout[-4000:]
    run = subprocess.run(["node", "build/main.js"], cwd=ws, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [True, False, False, False, True, False, True, False]


def test_deep_type_check_maps_tsc_errors_and_cleans_up(tmp_path):
    from freeagent.context import WorkspaceContext
    from freeagent.validate.typecheck import TypeCheck

    ws = copy_fixture(EXAMPLE, tmp_path)
    (ws / "node_modules").symlink_to(TOOLCHAIN)
    ctx = WorkspaceContext(ws)
    ctx.load()
    path = ws / "src" / "probe.ts"
    text = "import { db } from './lib/store.js';\nexport const n: number = 'x';\nexport const d = db;\n"
    findings = TypeCheck(ctx).run(path, text)  # the overlay: the file need not exist on disk
    assert [(f.code, f.range.line, f.message.split(":")[0]) for f in findings] == [("FA501", 1, "TS2322")]
    assert not path.exists() and not [p for p in ws.rglob("*freeagent-*")]
    assert TypeCheck(ctx).run(ws / "src" / "ok.ts", "export const ok = 1;\n") == []


SERIALIZE = """
import { searchSizes } from './client.js';

const seen: Array<{ url: string; headers: Record<string, string> }> = [];
const fakeFetch = (async (url: URL, init: RequestInit) => {
  seen.push({ url: String(url), headers: init.headers as Record<string, string> });
  return new Response('[]', { headers: { 'content-type': 'application/json' } });
}) as unknown as typeof fetch;

await searchSizes(
  {
    slugs: ['nyc1', 'sfo 2'],
    matrix: 5,
    tags: ['a', 'b'],
    status: ['active', 'off'],
    filter: { min_vcpus: 2, family: 'cpu' },
    around: [1.5, 2],
    sort: ['name', '-price'],
    point: { x: 1, y: 2 },
    'X-Trace': ['t1', 't2'],
    session: 's=1',
  },
  { baseUrl: 'http://api.test', fetch: fakeFetch },
);
console.log(JSON.stringify(seen[0]));
"""


def test_client_serializes_every_parameter_style(tmp_path):
    """OpenAPI 3 parameter serialization (style/explode) at run time: what the generated client
    actually sends, decoded the way a server decodes it."""
    from urllib.parse import parse_qsl, urlsplit

    from tests.helpers import FIXTURES

    ws = copy_fixture(EXAMPLE, tmp_path)
    (ws / "node_modules").symlink_to(TOOLCHAIN)
    generator, registry = spec_generator(ws, [FIXTURES / "foreign-specs" / "real-world-shapes" / "openapi.yaml"])
    out = ws / "src" / "generated"
    out.mkdir()
    client = out / "client.ts"
    result = generator.generate(registry.by_id["searchSizes"], "client", client, "", None)
    assert result.findings == []
    client.write_text(apply_edits("", result.edits[str(client)]))
    (out / "main.ts").write_text(SERIALIZE)
    config = ws / "tsconfig.run.json"
    config.write_text(
        json.dumps(
            {
                "extends": "./tsconfig.json",
                "include": ["src/generated/**/*.ts"],
                "compilerOptions": {"outDir": "build", "rootDir": "src", "noEmit": False},
            }
        )
    )
    proc = subprocess.run(
        [*compiler(7), "-p", str(config), "--strict", "--pretty", "false"],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-4000:]
    run = subprocess.run(["node", "build/generated/main.js"], cwd=ws, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr[-4000:]
    sent = json.loads(run.stdout.strip().splitlines()[-1])
    parts = urlsplit(sent["url"])
    assert parts.path == "/regions/.nyc1,sfo%202/sizes;matrix=5"  # label, matrix
    assert parse_qsl(parts.query) == [
        ("tags", "a,b"),  # form, explode false
        ("status", "active"),  # form, explode true: repeated
        ("status", "off"),
        ("filter[min_vcpus]", "2"),  # deepObject
        ("filter[family]", "cpu"),
        ("around", "1.5 2"),  # spaceDelimited
        ("sort", "name|-price"),  # pipeDelimited
        ("point", "x,1,y,2"),  # form object, explode false
    ]
    assert sent["headers"]["x-trace"] == "t1,t2" and sent["headers"]["cookie"] == "session=s%3D1"
