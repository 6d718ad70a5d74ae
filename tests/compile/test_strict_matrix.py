"""Generated TypeScript compiles under the strictest tsconfig a project uses: every spec-first target
× every strict flag alone and all of them together × ESM and CommonJS packages, one real ``tsc``
(7, native) run per program.

Each cell is a fresh monorepo whose packages' tsconfigs carry the cell's flags, so the generator
reads them as it would in a user's project (``exactOptionalPropertyTypes`` changes what it
writes); every target is generated for the bundled spec and the test specs into each package:

* ``esm-*`` (``"type": "module"``, NodeNext) and ``cjs-*`` (``"type": "commonjs"``, NodeNext):
  Express, Fastify and Hono handlers with the credential module they create, zod schemas, types,
  the fetch client, axios and (ESM only: ky ships no CommonJS) ky clients, and the type guards a
  package without zod gets;
* ``next`` (bundler resolution): route handlers in ``app/**/route.ts``.

The packages of one module system share one program per cell (NodeNext takes each file's format
from its package.json), Next.js has its own. ``verbatimModuleSyntax`` in a CommonJS package makes
every ES ``import``/``export`` an error (TS1295/TS1287: the package's own files must be written
with ``import x = require()``), so there the generator refuses, and says why; CommonJS packages
are compiled under every other flag, and under all of them but that one.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from freeagent.context import WorkspaceContext
from freeagent.context.tsconfig import STRICT_OPTIONS
from freeagent.generate.spec_first import GenerationError, SpecGenerator
from freeagent.specs.registry import Registry, bundled_spec_paths
from tests.compile.test_generated_compile import FOREIGN, compiler, generate_all
from tests.helpers import TOOLCHAIN

FLAGS: dict[str, object] = dict(STRICT_OPTIONS)  # @tsconfig/strictest's, and verbatimModuleSyntax
CELLS = {**{name: {name: value} for name, value in FLAGS.items()}, "all": dict(FLAGS)}

SPECS = [
    *bundled_spec_paths(),
    *(
        next((FOREIGN / name).glob("openapi.*"))
        for name in ("real-world-shapes", "recursive", "nullable-30", "no-success")
    ),
]

EXPRESS_FILE = "import { Router } from 'express';\n\nexport const router = Router();\n\n// TODO: generated route\n"
HONO_FILE = "import { Hono } from 'hono';\n\nexport const app = new Hono();\n\n// TODO: generated route\n"

# package -> (dependencies, targets, handler file)
PACKAGES = {
    "express": ({"express": "^4.19.2", "zod": "^3.23.8"}, ("types", "schema", "client", "handler"), EXPRESS_FILE),
    "fastify": ({"fastify": "^4.29.1", "zod": "^3.23.8"}, ("handler",), "// TODO: routes\n"),
    "hono": ({"hono": "^4.6.0", "zod": "^3.23.8"}, ("handler",), HONO_FILE),
    "axios": ({"axios": "^1.7.2"}, ("client",), ""),
    "ky": ({"ky": "^1.7.0"}, ("client",), ""),
    "guards": ({}, ("schema", "client"), ""),  # no zod: the schema target gives type guards
}


def _base(flags: dict, module: str = "NodeNext", resolution: str = "NodeNext") -> dict:
    return {
        "compilerOptions": {
            "target": "ES2022",
            "module": module,
            "moduleResolution": resolution,
            "strict": True,
            "esModuleInterop": True,
            "skipLibCheck": True,
            "noEmit": True,
            "types": ["node"],
            "lib": ["ES2022", "DOM", "DOM.Iterable"],
            **flags,
        }
    }


def _package(root: Path, name: str, kind: str, flags: dict) -> Path:
    dependencies = PACKAGES[name][0]
    app = root / "apps" / f"{kind}-{name}"
    (app / "src").mkdir(parents=True)
    manifest = {"name": f"{kind}-{name}", "type": "module" if kind == "esm" else "commonjs"}
    (app / "package.json").write_text(json.dumps({**manifest, "dependencies": dependencies}))
    (app / "tsconfig.json").write_text(json.dumps({**_base(flags), "include": ["src"]}))
    return app


def _next_package(root: Path, flags: dict) -> Path:
    app = root / "apps" / "next"
    (app / "src" / "app").mkdir(parents=True)
    deps = {"next": "14.2.5", "react": "^18.3.1", "zod": "^3.23.8"}
    (app / "package.json").write_text(json.dumps({"name": "next-app", "private": True, "dependencies": deps}))
    config = _base(flags, "esnext", "bundler")
    config["compilerOptions"].update({"jsx": "preserve", "allowJs": True, "types": []})
    (app / "tsconfig.json").write_text(json.dumps({**config, "include": ["next-env.d.ts", "src"]}))
    (app / "next-env.d.ts").write_text(
        '/// <reference types="next" />\n/// <reference types="next/image-types/global" />\n'
    )
    return app


def _generate(root: Path, app: Path, name: str) -> int:
    _, targets, handler_file = PACKAGES[name]
    count = 0
    for index, spec in enumerate(SPECS):
        count += generate_all(root, [spec], f"{app.relative_to(root)}/src/generated/s{index}", targets, handler_file)
    return count


def _tsc(config: Path) -> tuple[int, list[str]]:
    proc = subprocess.run(
        [*compiler(7), "-p", str(config), "--pretty", "false"],
        cwd=config.parent,
        capture_output=True,
        text=True,
        timeout=600,
    )
    errors = [line for line in proc.stdout.splitlines() if "error TS" in line]
    return proc.returncode, errors


def _program(root: Path, name: str, flags: dict, apps: list[str], module="NodeNext", resolution="NodeNext") -> Path:
    config = _base(flags, module, resolution)
    if name == "next":
        config["compilerOptions"].update({"jsx": "preserve", "allowJs": True, "types": []})
    include = [f"apps/{app}/src/**/*.ts" for app in apps] + (["apps/next/next-env.d.ts"] if name == "next" else [])
    path = root / f"tsconfig.{name}.json"
    path.write_text(json.dumps({**config, "include": include}))
    return path


@pytest.mark.parametrize("cell", list(CELLS))
def test_every_target_compiles_under_each_strict_flag(tmp_path, cell):
    if not TOOLCHAIN.is_dir():
        pytest.fail("tests/toolchain is not installed: run `make test` (it runs npm ci there)")
    flags = CELLS[cell]
    cjs_flags = {k: v for k, v in flags.items() if k != "verbatimModuleSyntax"}
    root = tmp_path / "matrix"
    root.mkdir()
    (root / "package.json").write_text(json.dumps({"name": "matrix", "private": True, "workspaces": ["apps/*"]}))
    (root / "node_modules").symlink_to(TOOLCHAIN)
    started = time.perf_counter()
    esm = [_package(root, name, "esm", flags) for name in PACKAGES]
    cjs = [_package(root, name, "cjs", cjs_flags) for name in PACKAGES if name != "ky"]
    generated = 0
    for app in esm + cjs:
        generated += _generate(root, app, app.name.split("-", 1)[1])
    nxt = _next_package(root, flags)
    for index, spec in enumerate(SPECS):
        generated += generate_all(
            root,
            [spec],
            f"apps/next/src/app/s{index}",
            targets=("handler",),
            handler_file="",
            handler_name="{op}/route.ts",
        )
    for app in ("esm-express", "cjs-express", "esm-hono", "cjs-fastify"):  # the credential module is in the matrix
        assert (root / "apps" / app / "src" / "auth.ts").is_file(), app
    generating = time.perf_counter() - started

    programs = []
    if flags == cjs_flags:  # one program for both module systems
        programs.append(_program(root, "node", flags, [a.name for a in esm + cjs]))
    else:
        programs.append(_program(root, "esm", flags, [a.name for a in esm]))
        if cjs_flags:
            programs.append(_program(root, "cjs", cjs_flags, [a.name for a in cjs]))
    programs.append(_program(root, "next", flags, [nxt.name], "esnext", "bundler"))
    started = time.perf_counter()
    failures = []
    for program in programs:
        code, errors = _tsc(program)
        if code != 0:
            failures.append(f"{program.name}: {len(errors)} errors\n" + "\n".join(errors[:25]))
    print(
        f"strict matrix [{cell}]: {generated} files generated in {generating:.1f} s, "
        f"{len(programs)} tsc programs in {time.perf_counter() - started:.1f} s"
    )
    assert not failures, "\n\n".join(failures)
    shutil.rmtree(root)


def test_verbatim_module_syntax_in_a_commonjs_package_is_refused_with_its_reason(tmp_path):
    root = tmp_path / "matrix"
    root.mkdir()
    (root / "node_modules").symlink_to(TOOLCHAIN)
    app = _package(root, "express", "cjs", {"verbatimModuleSyntax": True})
    ctx = WorkspaceContext(root)
    ctx.load()
    registry = Registry()
    registry.load(bundled_spec_paths())
    generator = SpecGenerator(ctx, registry)
    op = next(o for o in registry.operations if o.id == "listComments")
    file = app / "src" / "client.ts"
    with pytest.raises(GenerationError, match=r"CommonJS module under verbatimModuleSyntax"):
        generator.generate(op, "client", file, "// TODO\n", 0)
