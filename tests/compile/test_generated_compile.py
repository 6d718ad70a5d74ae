"""Every generated output compiles: the real TypeScript, strict, no unused locals or parameters.

For each (workspace, spec) case every operation is generated for every target into
``src/generated/`` of a copy of the workspace (handlers into a file that has an Express
Router, as a routes file would), and the workspace's own TypeScript version (7 native, or 5
where the fixture declares ^5) checks them with ``--strict --noUnusedLocals
--noUnusedParameters``. The compilers and libraries come from tests/toolchain (``make test``
installs them with ``npm ci``).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from freeagent.context import WorkspaceContext
from freeagent.generate.spec_first import GenerationError, SpecGenerator, apply_edits
from freeagent.specs.registry import Registry, bundled_spec_paths
from tests.helpers import EXAMPLE, FIXTURES, TOOLCHAIN, copy_fixture

FOREIGN = FIXTURES / "foreign-specs"
ROUTER_FILE = "import { Router } from 'express';\n\nexport const router = Router();\n\n// TODO: generated route\n"
PLAIN_FILE = "// TODO: generated code\n"


def compiler(major: int) -> list[str]:
    if not TOOLCHAIN.is_dir():
        pytest.fail("tests/toolchain is not installed: run `make test` (it runs npm ci there)")
    if major >= 7:
        return [str(TOOLCHAIN / ".bin" / "tsc")]
    return ["node", str(TOOLCHAIN / "typescript5" / "bin" / "tsc")]


def spec_generator(workspace: Path, specs: list[Path] | None = None) -> tuple[SpecGenerator, Registry]:
    """A generator for a workspace (indexed) over the given specs (default: the bundled registry)."""
    ctx = WorkspaceContext(workspace)
    ctx.load()
    registry = Registry()
    registry.load(specs if specs is not None else bundled_spec_paths())
    return SpecGenerator(ctx, registry), registry


def generate_all(
    workspace: Path,
    specs: list[Path],
    subdir: str,
    targets=("types", "schema", "client", "handler"),
    handler_file: str = ROUTER_FILE,
    handler_name: str = "handler-{op}.ts",
) -> int:
    generator, registry = spec_generator(workspace, specs)
    assert registry.operations, specs
    out = workspace / subdir
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for target in targets:
        for op in registry.operations:
            file = out / (handler_name.format(op=op.id) if target == "handler" else f"{target}-{op.id}.ts")
            file.parent.mkdir(parents=True, exist_ok=True)
            text = handler_file if target == "handler" else PLAIN_FILE
            marker = next((n for n, line in enumerate(text.split("\n")) if "TODO" in line), None)
            if file.exists():
                continue  # one handler per route file (Next.js: several operations share a path)
            try:
                result = generator.generate(op, target, file, text, marker)
            except GenerationError as exc:
                # the only refusals: nothing to validate, a Next.js handler outside a route.ts,
                # or a handler in a package without zod
                assert target == "schema" or "route.ts" in str(exc) or "zod" in str(exc), (
                    f"{target} {op.id} refused: {exc}"
                )
                continue
            assert result.findings == [], f"{target} {op.id}: {[f.message for f in result.findings]}"
            file.write_text(apply_edits(text, result.edits[str(file)]))
            for created in result.creates:  # the package's credential checks, the first time
                assert not Path(created).exists(), f"{created} would be overwritten"
                Path(created).write_text(apply_edits("", result.edits[created]))
            count += 1
    return count


def run_tsc(workspace: Path, major: int, include: list[str]) -> None:
    config = workspace / "tsconfig.generated.json"
    # skipLibCheck: the libraries' own .d.ts files are not what is under test
    config.write_text(
        json.dumps(
            {
                "extends": "./tsconfig.json",
                "include": include,
                "compilerOptions": {"noEmit": True, "skipLibCheck": True},
            }
        )
    )
    proc = subprocess.run(
        [
            *compiler(major),
            "-p",
            str(config),
            "--strict",
            "--noUnusedLocals",
            "--noUnusedParameters",
            "--pretty",
            "false",
        ],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]


def copy_workspace(src: Path, tmp_path: Path) -> Path:
    dest = copy_fixture(src, tmp_path)
    (dest / "node_modules").symlink_to(TOOLCHAIN)
    return dest


def test_bundled_registry_into_the_example(tmp_path):
    ws = copy_workspace(EXAMPLE, tmp_path)
    count = generate_all(ws, bundled_spec_paths(), "src/generated")
    assert count >= 4 * 30
    run_tsc(ws, 7, ["src/**/*.ts"])


@pytest.mark.parametrize(
    "name",
    [
        "petstore-allof",
        "payments-oneof",
        "multifile",
        "no-operation-ids",
        "duplicate-names",
        "recursive",
        "real-world-shapes",  # issue 13: union components, $ref operations, non-200 successes
        "nullable-30",  # issue 13: 3.0 nullable objects and refs
        "no-success",  # operations that declare only errors, or no responses at all (3.1)
    ],
)
def test_foreign_specs(tmp_path, name):
    ws = copy_workspace(EXAMPLE, tmp_path)
    generate_all(ws, [next((FOREIGN / name).glob("openapi.*"))], "src/generated")
    run_tsc(ws, 7, ["src/generated/**/*.ts"])


def test_express_zod_nodenext_fixture_with_its_typescript_5(tmp_path):
    """ESM + NodeNext: relative imports need .js; the fixture declares typescript ^5."""
    ws = copy_workspace(FIXTURES / "express-zod-api", tmp_path)
    generate_all(ws, bundled_spec_paths(), "src/generated")
    run_tsc(ws, 5, ["src/generated/**/*.ts"])


def test_commonjs_package_in_a_monorepo(tmp_path):
    """apps/worker: "type": "commonjs", module CommonJS, moduleResolution Node10."""
    root = copy_fixture("pnpm-monorepo", tmp_path)
    (root / "node_modules").symlink_to(TOOLCHAIN)
    worker = root / "apps" / "worker"
    ctx_generated = generate_all(
        root, bundled_spec_paths(), "apps/worker/src/generated", targets=("types", "client", "schema")
    )
    assert ctx_generated
    run_tsc(worker, 5, ["src/generated/**/*.ts"])


def test_nextjs_bundler_fixture_double_quotes_no_semicolons(tmp_path):
    """moduleResolution bundler, paths alias without baseUrl, the project's own style."""
    ws = copy_workspace(FIXTURES / "nextjs-app", tmp_path)
    generate_all(ws, bundled_spec_paths(), "src/lib/generated", targets=("types", "client", "schema", "handler"))
    sample = (ws / "src/lib/generated/client-createComment.ts").read_text()
    assert '"POST"' in sample and "'POST'" not in sample
    assert "(options.axios ?? axios).request({" in sample  # the project's HTTP client
    assert not any(
        line.rstrip().endswith(";") for line in sample.splitlines() if line.strip().startswith(("const ", "return "))
    )
    assert not list((ws / "src/lib/generated").glob("handler-*.ts")), "handlers only in route.ts files"
    run_tsc(ws, 5, ["src/lib/generated/**/*.ts"])


def test_nextjs_route_handlers(tmp_path):
    ws = copy_workspace(FIXTURES / "nextjs-app", tmp_path)
    manifest = json.loads((ws / "package.json").read_text())
    manifest["dependencies"]["zod"] = "^3.23.8"  # handlers validate with zod: the app adds it
    (ws / "package.json").write_text(json.dumps(manifest))
    count = generate_all(
        ws,
        bundled_spec_paths(),
        "src/app/generated",
        targets=("handler",),
        handler_file="",
        handler_name="{op}/route.ts",
    )
    assert count >= 30
    run_tsc(ws, 5, ["src/app/generated/**/*.ts", "next-env.d.ts"])


@pytest.mark.parametrize("name", ["real-world-shapes", "nullable-30"])
def test_nextjs_route_handlers_of_real_world_shapes(tmp_path, name):
    """Basic-auth operations (no check is generated, so the request may go unread), $ref operations."""
    ws = copy_workspace(FIXTURES / "nextjs-app", tmp_path)
    manifest = json.loads((ws / "package.json").read_text())
    manifest["dependencies"]["zod"] = "^3.23.8"
    (ws / "package.json").write_text(json.dumps(manifest))
    spec = next((FOREIGN / name).glob("openapi.*"))
    count = generate_all(
        ws, [spec], "src/app/generated", targets=("handler",), handler_file="", handler_name="{op}/route.ts"
    )
    assert count >= 1
    run_tsc(ws, 5, ["src/app/generated/**/*.ts", "next-env.d.ts"])


def test_fastify_app_in_the_monorepo(tmp_path):
    root = copy_fixture("pnpm-monorepo", tmp_path)
    (root / "node_modules").symlink_to(TOOLCHAIN)
    # what `pnpm install` does for a workspace dependency: link it into the app's node_modules
    (root / "apps/api/node_modules/@acme").mkdir(parents=True)
    (root / "apps/api/node_modules/@acme/tsconfig").symlink_to(root / "packages/tsconfig")
    count = generate_all(
        root,
        bundled_spec_paths(),
        "apps/api/src/generated",
        targets=("handler", "client"),
        handler_file="// TODO: routes\n",
    )
    assert count >= 60
    sample = (root / "apps/api/src/generated/handler-createComment.ts").read_text()
    assert "app.post('/tasks/:taskId/comments', async (request, reply) => {" in sample
    run_tsc(root / "apps" / "api", 5, ["src/generated/**/*.ts"])


@pytest.mark.parametrize("spec", ["bundled", "real-world-shapes"])
def test_hono_app(tmp_path, spec):
    ws = tmp_path / "hono-api"
    (ws / "src").mkdir(parents=True)
    (ws / "package.json").write_text(
        json.dumps({"name": "hono-api", "type": "module", "dependencies": {"hono": "^4.6.0", "zod": "^3.23.8"}})
    )
    (ws / "tsconfig.json").write_text(
        json.dumps(
            {
                "compilerOptions": {
                    "target": "ES2022",
                    "module": "ESNext",
                    "moduleResolution": "Bundler",
                    "strict": True,
                    "skipLibCheck": True,
                    "types": ["node"],
                    "lib": ["ES2022", "DOM"],
                }
            }
        )
    )
    (ws / "node_modules").symlink_to(TOOLCHAIN)
    hono_file = "import { Hono } from 'hono';\n\nexport const app = new Hono();\n\n// TODO: generated route\n"
    specs = bundled_spec_paths() if spec == "bundled" else [FOREIGN / spec / "openapi.yaml"]
    count = generate_all(ws, specs, "src/generated", targets=("handler", "schema"), handler_file=hono_file)
    if spec == "bundled":
        assert count >= 30
        sample = (ws / "src/generated/handler-createComment.ts").read_text()
        assert "app.post('/tasks/:taskId/comments', async (c) => {" in sample
    else:  # a component named Context, like the type the handler imports from hono
        assert "export interface Context2 {" in (ws / "src/generated/handler-updateDropletMetadata.ts").read_text()
    run_tsc(ws, 7, ["src/generated/**/*.ts"])


def test_generate_all_missing_into_existing_files(tmp_path):
    """The source action's output: every missing handler into the example's tasks router and
    every missing client into its API client file, on top of their existing code."""
    ws = copy_workspace(EXAMPLE, tmp_path)
    (ws / "src" / "auth.ts").unlink()  # generate_all creates the credential checks once
    generator, registry = spec_generator(ws)
    for rel, target in (("src/routes/tasks.ts", "handler"), ("src/api/client.ts", "client")):
        path = ws / rel
        text = path.read_text()
        missing = generator.missing(target, path, text, registry.operations)
        if target == "handler":  # the router is mounted at /tasks: only /tasks/… operations belong
            assert missing and all(op.path.startswith("/tasks/") for op in missing)
            assert "getTask" not in {op.id for op in missing}  # already served by the file
        else:
            assert len(missing) >= 30
        result = generator.generate_all(target, path, text, registry.operations)
        assert result.findings == []
        path.write_text(apply_edits(text, result.edits[str(path)]))
        if target == "handler":  # every secured handler checks credentials through one new module
            assert result.creates == [str(ws / "src" / "auth.ts")]
            (ws / "src" / "auth.ts").write_text(apply_edits("", result.edits[result.creates[0]]))
        assert generator.missing(target, path, path.read_text(), registry.operations) == []
    run_tsc(ws, 7, ["src/**/*.ts"])


def test_ky_client(tmp_path):
    ws = tmp_path / "ky-app"
    (ws / "src").mkdir(parents=True)
    (ws / "package.json").write_text(json.dumps({"name": "ky-app", "type": "module", "dependencies": {"ky": "^1.7.0"}}))
    (ws / "src/api.ts").write_text("import ky from 'ky';\n\nexport const api = ky.create({ prefixUrl: '/api' });\n")
    (ws / "tsconfig.json").write_text(
        json.dumps(
            {
                "compilerOptions": {
                    "target": "ES2022",
                    "module": "ESNext",
                    "moduleResolution": "Bundler",
                    "strict": True,
                    "lib": ["ES2022", "DOM"],
                }
            }
        )
    )
    (ws / "node_modules").symlink_to(TOOLCHAIN)
    generate_all(ws, bundled_spec_paths(), "src/generated", targets=("client",))
    assert "(options.ky ?? ky)(url, {" in (ws / "src/generated/client-listComments.ts").read_text()
    run_tsc(ws, 7, ["src/generated/**/*.ts"])


def test_zod_4_project(tmp_path):
    """A project on zod 4: the same schemas and handlers must compile against its API."""
    ws = copy_fixture(EXAMPLE, tmp_path, "zod4-api")
    manifest = json.loads((ws / "package.json").read_text())
    manifest["dependencies"]["zod"] = "^4.1.0"
    (ws / "package.json").write_text(json.dumps(manifest))
    modules = ws / "node_modules"
    modules.mkdir()
    for entry in TOOLCHAIN.iterdir():
        if entry.name not in ("zod", "zod4", ".bin"):
            (modules / entry.name).symlink_to(entry)
    (modules / "zod").symlink_to(TOOLCHAIN / "zod4")
    generate_all(ws, bundled_spec_paths(), "src/generated", targets=("schema", "handler"))
    config = ws / "tsconfig.generated.json"
    config.write_text(
        json.dumps(
            {
                "extends": "./tsconfig.json",
                "include": ["src/generated/**/*.ts"],
                "compilerOptions": {"noEmit": True, "skipLibCheck": True},
            }
        )
    )
    proc = subprocess.run(
        [
            str(TOOLCHAIN / ".bin" / "tsc"),
            "-p",
            str(config),
            "--strict",
            "--noUnusedLocals",
            "--noUnusedParameters",
            "--pretty",
            "false",
        ],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-6000:]
