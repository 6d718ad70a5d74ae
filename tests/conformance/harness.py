"""Run-time conformance of generated code, judged by the tools the OpenAPI ecosystem trusts:
Prism (``@stoplight/prism-cli``, a validating mock of the document) for clients, Schemathesis
for handlers. Used by the CI tests beside this module (bundled and fixture specs) and by
``bench/real_specs.py --conformance`` (the real corpus).

:func:`build` generates, for every operation of a document, the client function and the Express
handler into one package (``src/client.ts``, ``src/handlers.ts``), then writes only what a user
would write: the business-logic bodies (each returns a sample of its declared success body,
built by :mod:`freeagent.specs.samples`), the credential hooks of the generated ``src/auth.ts``
(accepting :data:`TOKEN` / :data:`API_KEY` / :data:`BASIC`), a ``server.ts`` that mounts the
router, and ``calls.ts`` that calls every client function with sample arguments.

:func:`prism_check` runs ``calls.ts`` against Prism on 127.0.0.1 and returns, per operation, the
request violations Prism reported (its ``sl-violations`` header) and whether the client parsed
the mock's answer. :func:`schemathesis_check` runs the handlers under node and Schemathesis
against them, and returns its failures per operation.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from freeagent.context import WorkspaceContext
from freeagent.edits import apply_edits
from freeagent.generate.naming import function_name
from freeagent.generate.spec_first import GenerationError, SpecGenerator
from freeagent.generate.ts.client import _is_json, body_type
from freeagent.generate.ts.schemas import TypeEmitter
from freeagent.generate.ts.style import style_for
from freeagent.specs.loader import escape_pointer
from freeagent.specs.model import HTTP_METHODS, Operation
from freeagent.specs.registry import Registry
from freeagent.specs.samples import NoSample, Sampler
from tests.helpers import TOOLCHAIN

TOKEN = "test-token"
API_KEY = "test-key"
BASIC = ("test-user", "test-password")
CHECKS = (
    "not_a_server_error",
    "content_type_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "ignored_auth",
    "status_code_conformance",
    "response_schema_conformance",
)
TSCONFIG = {
    "compilerOptions": {
        "target": "ES2022",
        "module": "ESNext",
        "moduleResolution": "Bundler",
        "strict": True,
        "skipLibCheck": True,
        "noEmit": True,
        "types": ["node"],
        "lib": ["ES2022", "DOM", "DOM.Iterable"],
    },
    "include": ["src/**/*.ts"],
}
SERVER = """import express from 'express';
import type { ErrorRequestHandler } from 'express';
import multer from 'multer';
import { router } from './handlers';

const app = express();
app.use(express.json({ strict: false, type: ['application/json', 'application/*+json'] }));
app.use(express.urlencoded({ extended: true }));
app.use(express.text({ type: 'text/*' }));
app.use(multer({ storage: multer.memoryStorage() }).any()); // multipart: fields in req.body, files in req.files
// a body the parsers above cannot read (malformed JSON, a multipart without its boundary) goes on
// to the handler as an invalid value: its validation answers in the format the document declares
const malformed: ErrorRequestHandler = (_error, req, _res, next) => {
  req.body = Symbol('malformed body');
  next();
};
app.use(malformed);
app.use(router);
const server = app.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : 0}`);
});
"""
CALLS_HEAD = """import * as client from './client';

const baseUrl = process.argv[2];
const violations: unknown[] = [];
const recording = (async (input: URL | RequestInfo, init?: RequestInit) => {
  const response = await fetch(input, init);
  const header = response.headers.get('sl-violations');
  if (header) violations.push(...(JSON.parse(header) as unknown[]));
  return response;
}) as typeof fetch;
const options = { baseUrl, token: %(token)s, apiKey: %(key)s, basic: %(basic)s, fetch: recording };
const results: Record<string, unknown> = {};
async function call(name: string, run: () => Promise<unknown>): Promise<void> {
  violations.length = 0;
  try {
    await run();
    results[name] = { ok: true, violations: [...violations] };
  } catch (error) {
    const e = error as { status?: number; body?: unknown; message?: string };
    results[name] = { ok: false, status: e.status, body: e.body, error: String(e.message ?? error), violations: [...violations] };
  }
}
"""


@dataclass
class Package:
    root: Path
    spec: Path
    registry: Registry
    operations: list[Operation] = field(default_factory=list)  # generated (client and handler)
    refused: dict[str, str] = field(default_factory=dict)  # operation id -> reason
    unsampled: dict[str, str] = field(default_factory=dict)  # no sample arguments: not called


def _sampler(registry: Registry, direction: str) -> Sampler:
    return Sampler(registry, pattern=_from_regex, optional=True, direction=direction)


def _from_regex(pattern: str, _schema: dict) -> str | None:
    """A string matching a ``pattern`` (hypothesis builds it: a test dependency)."""
    try:
        from hypothesis import HealthCheck, given, settings
        from hypothesis import strategies as st
    except ImportError:
        return None
    found: list[str] = []

    @settings(max_examples=20, database=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(st.from_regex(pattern, fullmatch=False).filter(lambda s: s.isprintable() and 0 < len(s) < 64))
    def pick(s: str) -> None:
        if not found:
            found.append(s)

    try:
        pick()
    except Exception:  # noqa: BLE001 - a pattern Python's re cannot take: no sample
        return None
    return found[0] if found else None


def _json_success(op: Operation) -> tuple[str, object] | None:
    """('json'|'void'|'text'|'blob', node) of the success body the stub returns."""
    success = op.success_responses()
    if not success or not success[0].content:
        return ("void", None)
    content = success[0].content
    media = next((m for m in content if _is_json(m)), None)
    if media is not None:
        return ("json", content[media])
    media = next(iter(content))
    return ("text", None) if media.startswith("text/") else ("blob", None)


def build(work: Path, spec: Path, allowed: list[Path] | None = None, op_ids: list[str] | None = None) -> Package:
    """Generate every operation's client and Express handler into a package under ``work``."""
    root = work / "pkg"
    (root / "src").mkdir(parents=True)
    (root / "package.json").write_text(
        json.dumps({"name": "conformance", "type": "module", "dependencies": {"express": "^4.19.2", "zod": "^3.23.8"}})
    )
    (root / "tsconfig.json").write_text(json.dumps(TSCONFIG))
    (root / "node_modules").symlink_to(TOOLCHAIN)
    registry = Registry(allowed=allowed or [spec.parent])
    registry.load([spec])
    ctx = WorkspaceContext(root)
    ctx.load()
    generator = SpecGenerator(ctx, registry)
    package = Package(root, spec, registry)
    clients, handlers = root / "src" / "client.ts", root / "src" / "handlers.ts"
    client_text = ""
    handler_text = "import { Router } from 'express';\n\nexport const router = Router();\n"
    sampler = _sampler(registry, "response")
    stubs: dict[str, str] = {}
    for op in registry.operations:
        if op_ids is not None and op.id not in op_ids:
            continue
        stub = _stub(op, sampler)
        if stub is None:
            package.refused[op.id] = "no sample of the success body"
            continue
        try:
            made_client = generator.generate(op, "client", clients, client_text, None)
            made_handler = generator.generate(op, "handler", handlers, handler_text, None)
        except GenerationError as exc:
            package.refused[op.id] = str(exc).split("\n", 1)[0]
            continue
        if made_client.findings or made_handler.findings:
            package.refused[op.id] = "self-check: " + (made_client.findings or made_handler.findings)[0].message
            continue
        client_text = apply_edits(client_text, made_client.edits[str(clients)])
        handler_text = apply_edits(handler_text, made_handler.edits[str(handlers)])
        for created in made_handler.creates:  # the package's credential hooks, once
            Path(created).write_text(_implemented_auth(apply_edits("", made_handler.edits[created])))
            generator = SpecGenerator(ctx, registry)  # sees the module from now on
            ctx.load()
        stubs[op.id] = stub
        package.operations.append(op)
    for op_id, stub in stubs.items():
        marker = re.compile(r"throw new Error\(['\"]" + re.escape(op_id) + r" is not implemented['\"]\);?")
        handler_text, n = marker.subn(lambda _m, s=stub: s, handler_text, count=1)
        assert n == 1, op_id
    clients.write_text(client_text)
    handlers.write_text(handler_text)
    (root / "src" / "server.ts").write_text(SERVER)
    (root / "src" / "calls.ts").write_text(_calls(package, generator, _sampler(registry, "request")))
    return package


def _stub(op: Operation, sampler: Sampler) -> str | None:
    kind = _json_success(op)
    if kind is None:
        return None
    if kind[0] == "void":
        return "return;"
    if kind[0] == "text":
        return "return 'example';"
    if kind[0] == "blob":
        return "return new Blob(['example']);"
    try:
        value = sampler.value(kind[1])  # type: ignore[arg-type]
    except NoSample:
        return None
    return f"return JSON.parse({json.dumps(json.dumps(value))});"


def _implemented_auth(text: str) -> str:
    """The user's part of src/auth.ts: which credentials are valid here."""
    user, password = BASIC
    for signature, body in (
        ("verifyBearer(_token: string)", f"return _token === '{TOKEN}'"),
        ("verifyBasic(_user: string, _password: string)", f"return _user === '{user}' && _password === '{password}'"),
        ("verifyApiKey(_name: string, _key: string)", f"void _name;\n  return _key === '{API_KEY}'"),
    ):
        text = re.sub(
            r"(" + re.escape(signature) + r": Promise<boolean> \{\n\s*)return false;?",
            lambda m, b=body: m.group(1) + b + ";",
            text,
        )
    return text


def _calls(package: Package, generator: SpecGenerator, sampler: Sampler) -> str:
    user, password = BASIC
    lines = [
        CALLS_HEAD
        % {
            "token": json.dumps(TOKEN),
            "key": json.dumps(API_KEY),
            "basic": json.dumps({"user": user, "password": password}),
        }
    ]
    types = TypeEmitter(package.registry, style_for(generator.ctx, package.root / "src" / "client.ts"), set())
    for op in package.operations:
        args = []
        try:
            params = {
                p.name: sampler.value(p.schema, p.name) if p.schema is not None else "example"
                for p in op.parameters
                if p.location in ("path", "query", "header", "cookie") and (p.required or p.schema is not None)
            }
            if any(p.location in ("path", "query", "header", "cookie") for p in op.parameters):
                args.append(f"JSON.parse({json.dumps(json.dumps(params))})")
            btype = body_type(op, types)
            if btype is not None and op.body is not None:
                node = op.body.content[btype[1]]
                value = sampler.value(node)
                if btype[0] == "FormData" or btype[0] == "URLSearchParams":
                    entries = value if isinstance(value, dict) else {}
                    cls = btype[0]
                    pairs = json.dumps(
                        json.dumps({k: v if isinstance(v, str) else json.dumps(v) for k, v in entries.items()})
                    )
                    args.append(
                        f"((f) => {{ for (const [k, v] of Object.entries(JSON.parse({pairs}))) f.append(k, String(v)); return f; }})(new {cls}())"
                    )
                elif btype[0] == "Blob":
                    args.append("new Blob(['example'])")
                elif btype[0] == "string":
                    args.append(json.dumps(value if isinstance(value, str) else "example"))
                else:
                    args.append(f"JSON.parse({json.dumps(json.dumps(value))})")
        except NoSample as exc:
            package.unsampled[op.id] = str(exc)
            continue
        fn = function_name(op.id)
        lines.append(f"await call({json.dumps(op.id)}, () => client.{fn}({', '.join([*args, 'options'])}));")
    lines.append("console.log(JSON.stringify(results));")
    return "\n".join(lines) + "\n"


def typecheck(package: Package) -> str:
    """The strict tsc output for the package ('' when it compiles)."""
    proc = subprocess.run(
        [str(TOOLCHAIN / ".bin" / "tsc"), "-p", "tsconfig.json", "--strict", "--noUnusedLocals", "--pretty", "false"],
        cwd=package.root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return "" if proc.returncode == 0 else proc.stdout + proc.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc: subprocess.Popen, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"exited {proc.returncode} before listening:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.2)
    raise RuntimeError(f"not listening on {port} after {timeout:.0f} s:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def _process(args: list[str], cwd: Path, port: int, log: Path, timeout: float = 60) -> Iterator[subprocess.Popen]:
    with log.open("w") as out:
        # long query strings (Schemathesis fills maxLength 5000 parameters) fit in node's header limit
        env = {**os.environ, "NODE_OPTIONS": "--max-http-header-size=1048576"}
        proc = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, env=env)
    try:
        _wait_port(port, proc, timeout, log)
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def tool_document(package: Package) -> Path:
    """The document as Prism and Schemathesis read it: a copy of its folder in which what their
    resolvers do not follow is inlined, resolved by the registry — operations given by ``$ref``
    (common in multi-file documents, not strict OpenAPI) and ``$ref``s to a JSON Schema ``$id``
    or ``$anchor``. What is inlined from another file keeps its other ``$ref``s, rebased onto the
    root's folder (they are written relative to that file). Everything else stays as written."""
    import shutil

    import yaml

    folder = package.root / "tool-spec"
    if folder.exists():
        return folder / package.spec.name
    shutil.copytree(package.spec.parent, folder)
    registry = package.registry
    root = registry.document(package.spec)
    assert root is not None

    def plain(ref: str) -> bool:
        file_part, _, fragment = ref.partition("#")
        return (not fragment or fragment.startswith("/")) and not file_part.startswith("/") and "://" not in file_part

    def rebased(ref: str, doc) -> str:
        """A plain $ref written in another file, as the root document would write it."""
        file_part, _, fragment = ref.partition("#")
        target = (doc.path.parent / file_part).resolve() if file_part else doc.path
        return f"{os.path.relpath(target, root.path.parent)}#{fragment}"

    def walk(value: object, doc, pointer: str, depth: int) -> object:
        if depth > 48:
            raise RuntimeError(f"{pointer}: too deep to inline")
        if isinstance(value, dict):
            ref = value.get("$ref")
            parts = pointer.split("/")
            operation = doc is root and len(parts) == 4 and parts[1] == "paths"
            if isinstance(ref, str) and (operation or not plain(ref)):
                node = registry.resolve(doc, value, pointer)
                return walk(node.value, node.doc, node.pointer, depth + 1)
            if isinstance(ref, str) and doc is not root:  # inlined from another file: its refs rebased
                return {**value, "$ref": rebased(ref, doc)}
            return {k: walk(v, doc, f"{pointer}/{escape_pointer(k)}", depth) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, doc, f"{pointer}/{i}", depth) for i, v in enumerate(value)]
        return value

    out = {k: walk(v, root, f"/{k}", 0) for k, v in root.data.items()}
    if len(package.operations) < len(registry.operations):  # a sample: only what it needs
        out = _only(out, package.operations)
    target = folder / package.spec.name
    if target.suffix == ".json":
        target.write_text(json.dumps(out, indent=1, ensure_ascii=False))
    else:
        target.write_text(yaml.safe_dump(out, sort_keys=False, allow_unicode=True))
    return folder / package.spec.name


def _only(document: dict, operations: list[Operation]) -> dict:
    """The document cut down to the given operations and the components they reach by local
    ``$ref`` (Prism dereferences a whole document before it listens: Stripe's takes minutes)."""
    keep = {(op.path, op.method.lower()) for op in operations}
    paths: dict = {}
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        methods = {k: v for k, v in item.items() if (path, k) in keep}
        if methods:
            shared = {k: v for k, v in item.items() if k not in HTTP_METHODS}
            paths[path] = {**shared, **methods}
    out = {k: v for k, v in document.items() if k != "webhooks"}  # 3.1 webhooks: not served here
    out["paths"] = paths
    components = document.get("components") if isinstance(document.get("components"), dict) else {}
    reached: dict[str, dict] = {}
    stack: list[object] = [paths, document.get("security"), (components or {}).get("securitySchemes")]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/"):
                parts = ref.split("/")
                kind, name = parts[2], parts[3].replace("~1", "/").replace("~0", "~") if len(parts) > 3 else ""
                target = (components.get(kind) or {}).get(name)
                if target is not None and name not in reached.setdefault(kind, {}):
                    reached[kind][name] = target
                    stack.append(target)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    if components:
        kept = {
            kind: {k: v for k, v in (components.get(kind) or {}).items() if k in names}
            for kind, names in reached.items()
        }
        out["components"] = {**kept, "securitySchemes": components.get("securitySchemes", {})}
    return out


def prism_check(package: Package, start_timeout: float = 600) -> dict[str, dict]:
    """Every sampled client call against Prism: ``{op id: {ok, violations, status?, body?}}``."""
    port = _free_port()
    prism = TOOLCHAIN / ".bin" / "prism"
    args = [str(prism), "mock", str(tool_document(package)), "-h", "127.0.0.1", "-p", str(port)]
    with _process(args, package.root, port, package.root / "prism.log", timeout=start_timeout):
        run = subprocess.run(
            [str(TOOLCHAIN / ".bin" / "tsx"), "src/calls.ts", f"http://127.0.0.1:{port}"],
            cwd=package.root,
            capture_output=True,
            text=True,
            timeout=600,
        )
    if run.returncode != 0:
        raise RuntimeError(f"calls.ts failed:\n{run.stderr[-4000:]}")
    results = json.loads(run.stdout.strip().splitlines()[-1])
    for result in results.values():  # what Prism's own mock answered is not the client's doing
        result["violations"] = [v for v in result["violations"] if (v.get("location") or [""])[0] == "request"]
    return results


@dataclass
class Failure:
    operation: str  # "GET /tasks/{id}"
    check: str
    message: str
    undocumented: bool = False  # a 400/401 the document declares no response for: its gap, not ours


def _undocumented(failure: Failure, package: Package) -> bool:
    """A status-code failure for a rejection (400 invalid input, 401 no credential) on an
    operation whose document declares neither that status, nor its class, nor ``default``:
    there is no conforming way to refuse, so it is counted apart."""
    m = re.search(r"Received: (\d{3})", failure.message)
    if failure.check != "status_code_conformance" or not m or m.group(1) not in ("400", "401"):
        return False
    op = next((o for o in package.operations if o.label == failure.operation), None)
    if op is None:
        return False
    declared = {r.status.upper() for r in op.responses}
    return not ({m.group(1), m.group(1)[0] + "XX", "DEFAULT"} & declared)


def auth_config(package: Package) -> str:
    """``schemathesis.toml``: the credentials for each security scheme the operations use, named
    as the document names them, so Schemathesis knows what to leave out for ``ignored_auth``."""
    blocks: dict[str, str] = {}
    user, password = BASIC
    for op in package.operations:
        for alternative in op.security:
            for s in alternative:
                if s.type == "http" and s.scheme == "basic":
                    value = f"username = {json.dumps(user)}\npassword = {json.dumps(password)}"
                elif s.type in ("http", "oauth2", "openIdConnect"):
                    value = f"bearer = {json.dumps(TOKEN)}"
                elif s.type == "apiKey":
                    value = f"api_key = {json.dumps(API_KEY)}"
                else:
                    continue
                blocks.setdefault(s.name, f"[auth.openapi.{json.dumps(s.name)}]\n{value}\n")
    return "\n".join(blocks.values())


def schemathesis_check(
    package: Package, max_examples: int = 20, checks: tuple[str, ...] = CHECKS, seed: int = 1
) -> tuple[list[Failure], str]:
    """Schemathesis against the generated handlers: (failures, its output)."""
    port = _free_port()
    tsx = TOOLCHAIN / ".bin" / "tsx"
    with _process([str(tsx), "src/server.ts", str(port)], package.root, port, package.root / "server.log"):
        report = package.root / "schemathesis.ndjson"
        config = package.root / "schemathesis.toml"
        config.write_text(auth_config(package))
        args = [
            str(Path(sys.executable).parent / "schemathesis"),
            "--config-file",
            str(config),
            "run",
            str(tool_document(package)),
            "--url",
            f"http://127.0.0.1:{port}",
            "--checks",
            ",".join(checks),
            "--max-examples",
            str(max_examples),
            "--seed",
            str(seed),
            "--workers",
            "1",
            "--phases",
            "examples,coverage,fuzzing",
            "--report",
            "ndjson",
            "--report-ndjson-path",
            str(report),
            "--no-color",
        ]
        for op in package.registry.operations:
            if op not in package.operations:
                args += ["--exclude-operation-id", op.declared_id] if op.declared_id else []
        run = subprocess.run(args, cwd=package.root, capture_output=True, text=True, timeout=1800)
    output = run.stdout + run.stderr
    failures = _failures(report)
    for failure in failures:
        failure.undocumented = _undocumented(failure, package)
    if run.returncode not in (0, 1):
        failures.append(Failure("(run)", "schemathesis", output[-2000:]))
    return failures, output


def _failures(report: Path) -> list[Failure]:
    """Each failed check of the run's NDJSON report, once per (operation, check, title)."""
    out: dict[tuple[str, str, str], Failure] = {}
    if not report.exists():
        return []
    for line in report.read_text().splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        finished = event.get("ScenarioFinished") if isinstance(event, dict) else None
        if not isinstance(finished, dict) or finished.get("status") != "failure":
            continue
        recorder = finished.get("recorder") or {}
        for checks in (recorder.get("checks") or {}).values():
            for check in checks:
                if check.get("status") != "failure":
                    continue
                failure = (check.get("failure_info") or {}).get("failure") or {}
                key = (str(recorder.get("label", "")), str(check.get("name")), str(failure.get("title", "")))
                out.setdefault(key, Failure(key[0], key[1], str(failure.get("message", ""))[:1500]))
    return list(out.values())
