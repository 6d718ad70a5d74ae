"""Imports against the project: injected faults are found, tricky-but-valid imports are not."""

import json
from pathlib import Path

import pytest

from freeagent.context import WorkspaceContext
from freeagent.validate.runner import Validator
from tests.helpers import FIXTURES, copy_fixture


def workspace(tmp_path: Path, name: str) -> Path:
    return copy_fixture(name, tmp_path)


def check(root: Path, rel: str, source: str):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    ctx = WorkspaceContext(root)
    ctx.load()
    return [(f.code, f.severity.value, f.range.line, f.message) for f in Validator(ctx).check_file(path)]


@pytest.mark.parametrize(
    "source, code, severity, needle",
    [
        pytest.param("import _ from 'lodash';\n", "FA101", "error", "not installed", id="hallucinated-package"),
        pytest.param("import { z } from 'zod/v9/hidden';\n", "FA101", None, None, id="ok-zod-subpath-not-installed"),
        pytest.param("import { x } from './nope.js';\n", "FA104", "error", "cannot find", id="missing-relative"),
        pytest.param(
            "import { config } from './config';\n", "FA104", "error", "'./config.js'", id="nodenext-needs-extension"
        ),
        pytest.param("import { x } from '@/lib/nothing.js';\n", "FA104", "error", "paths", id="alias-to-nothing"),
        pytest.param(
            "import request from 'supertest';\n", "FA102", "warning", "devDependency", id="dev-only-in-production"
        ),
        pytest.param("import { x } from '#nope';\n", "FA104", "error", "imports", id="unknown-imports-key"),
        pytest.param("import fs from 'node:fsx';\n", "FA104", "error", "builtin", id="bad-node-builtin"),
    ],
)
def test_faults_in_express_app(tmp_path, source, code, severity, needle):
    found = check(workspace(tmp_path, "express-zod-api"), "src/probe.ts", source)
    if severity is None:  # zod is declared: its subpaths are not our business when not installed
        assert [f for f in found if f[0] == code] == []
        return
    (finding,) = found
    assert finding[0] == code and finding[1] == severity and finding[2] == 0
    assert needle in finding[3]


@pytest.mark.parametrize(
    "rel, source",
    [
        pytest.param(
            "src/ok.ts", "import { readFile } from 'node:fs/promises';\nimport path from 'path';\n", id="builtins"
        ),
        pytest.param(
            "src/ok.ts",
            "import { config } from './config.js';\nimport { HttpError } from './lib/http-error.js';\n",
            id="js-for-ts",
        ),
        pytest.param("src/ok.ts", "import { config } from '#config';\n", id="imports-map"),
        pytest.param("src/ok.ts", "import { userSchema } from '@/schemas/user.js';\n", id="paths-alias"),
        pytest.param(
            "src/ok.ts", "import type { Request } from 'express';\nimport express from 'express';\n", id="declared"
        ),
        pytest.param(
            "test/ok.test.ts",
            "import request from 'supertest';\nimport { describe } from 'vitest';\n",
            id="dev-in-tests",
        ),
        pytest.param(
            "src/ok.ts", "import type { Server } from 'node:http';\nexport type S = Server;\n", id="type-only-builtin"
        ),
        pytest.param("src/ok.ts", "const m = await import('./config.js');\nexport default m;\n", id="dynamic"),
    ],
)
def test_valid_imports_in_express_app(tmp_path, rel, source):
    assert check(workspace(tmp_path, "express-zod-api"), rel, source) == []


def test_types_only_package_and_ambient_module(tmp_path):
    root = workspace(tmp_path, "nextjs-app")
    (root / "src/env.d.ts").write_text("declare module 'virtual:config' {\n  export const value: string;\n}\n")
    assert (
        check(
            root,
            "src/lib/ok.ts",
            "import { value } from 'virtual:config';\nimport type { Mock } from 'jest';\nexport { value };\nexport type M = Mock;\n",
        )
        == []
    )


def test_bundler_resolution_and_alias_without_base_url(tmp_path):
    root = workspace(tmp_path, "nextjs-app")
    ok = "import UserCard from '@/components/UserCard';\nimport { apiClient } from '../lib/api-client';\n"
    assert check(root, "src/hooks/ok.ts", ok) == []
    bad = check(root, "src/hooks/bad.ts", "import { x } from '@/components/UserCrad';\n")
    assert bad and bad[0][0] == "FA104"


def test_workspace_packages_and_exports_maps(tmp_path):
    root = workspace(tmp_path, "pnpm-monorepo")
    fine = "import { formatDate } from '@acme/shared';\nimport { x } from '@acme/shared/utils';\n"
    assert check(root, "apps/api/src/ok.ts", fine) == []
    # an installed package whose exports map hides a subpath
    pkg = root / "node_modules" / "fastify"
    pkg.mkdir(parents=True)
    (pkg / "package.json").write_text(
        json.dumps({"name": "fastify", "exports": {".": "./fastify.js", "./package.json": "./package.json"}})
    )
    found = check(root, "apps/api/src/bad.ts", "import x from 'fastify/lib/internal.js';\n")
    assert [(f[0], f[1]) for f in found] == [("FA103", "error")]


def test_installed_but_undeclared_is_a_warning(tmp_path):
    root = workspace(tmp_path, "express-zod-api")
    pkg = root / "node_modules" / "chalk"
    pkg.mkdir(parents=True)
    (pkg / "package.json").write_text(json.dumps({"name": "chalk", "version": "5.3.0"}))
    (finding,) = check(root, "src/probe.ts", "import chalk from 'chalk';\n")
    assert finding[0] == "FA101" and finding[1] == "warning" and "installed but not declared" in finding[3]


@pytest.mark.parametrize(
    "source, bad",
    [
        pytest.param("import requests\n", ["requests"], id="undeclared"),
        pytest.param("from PIL import Image\n", ["PIL"], id="pillow-trap"),
        pytest.param(
            "import yaml\nimport httpx\nfrom fastapi import FastAPI\nfrom starlette.requests import Request\n",
            [],
            id="declared-and-mapped",
        ),
        pytest.param(
            "import os, json\nfrom typing import Any\nfrom app.models import Item\nfrom . import models\n",
            [],
            id="stdlib-and-local",
        ),
        pytest.param("from .nope import x\n", ["relative"], id="missing-relative"),
    ],
)
def test_python_imports(tmp_path, source, bad):
    found = check(workspace(tmp_path, "fastapi-service"), "app/probe.py", source)
    assert len(found) == len(bad)
    for finding, name in zip(found, bad, strict=True):
        assert name in finding[3]
    if bad == ["PIL"]:
        assert "pillow" in found[0][3]


@pytest.mark.parametrize("name", ["express-zod-api", "nextjs-app", "pnpm-monorepo", "fastapi-service", "broken-config"])
def test_no_false_positives_on_the_clean_fixtures(name):
    ctx = WorkspaceContext(FIXTURES / name)
    ctx.load()
    assert Validator(ctx).check_all() == {}


@pytest.mark.parametrize(
    "source, expected",
    [
        pytest.param(
            "import { userSchema, usrSchema } from './schemas/user.js';\n",
            [("FA201", "'userSchema'")],
            id="invented-name",
        ),
        pytest.param("import config from './config.js';\n", [("FA202", "no default export")], id="no-default"),
        pytest.param("import { HttpError } from '@/lib/http-error.js';\n", [], id="alias-real-name"),
        pytest.param("import type { User } from './schemas/user.js';\n", [], id="type-export"),
    ],
)
def test_named_imports_against_real_exports(tmp_path, source, expected):
    found = check(workspace(tmp_path, "express-zod-api"), "src/probe.ts", source)
    assert [f[0] for f in found] == [code for code, _ in expected]
    for f, (_, needle) in zip(found, expected, strict=True):
        assert needle in f[3]


def test_exports_through_export_star_chains(tmp_path):
    root = workspace(tmp_path, "express-zod-api")
    (root / "src/lib/a.ts").write_text("export const alpha = 1;\nexport default alpha;\n")
    (root / "src/lib/b.ts").write_text("export * from './a.js';\nexport { alpha as renamed } from './a.js';\n")
    (root / "src/lib/index.ts").write_text("export * from './b.js';\n")
    assert check(root, "src/probe.ts", "import { alpha, renamed } from './lib/index.js';\n") == []
    found = check(root, "src/probe.ts", "import { beta } from './lib/index.js';\n")
    assert [f[0] for f in found] == ["FA201"]
    # a module that re-exports a package cannot be judged: no finding
    (root / "src/lib/c.ts").write_text("export * from 'zod';\n")
    assert check(root, "src/probe.ts", "import { anything } from './lib/c.js';\n") == []


def test_python_names_from_relative_modules(tmp_path):
    root = workspace(tmp_path, "fastapi-service")
    found = check(root, "app/probe.py", "from .models import ItemCreate, ItemCreat\nfrom . import routers\n")
    assert [f[0] for f in found] == ["FA201"] and "ItemCreat'" in found[0][3]


def test_python_names_from_the_workspaces_own_package_by_its_absolute_name(tmp_path):
    """`from app.models import ItemCreat` names the workspace's own module as surely as
    `from .models import …` (Netflix dispatch: `from dispatch.plugins.bases import
    DocumentResolverPlugin`, a class no module of it defines; pyright found it, Free Agent judged
    only relative imports). A module with a module-level `__getattr__` may serve any name."""
    root = workspace(tmp_path, "fastapi-service")
    found = check(root, "app/probe.py", "from app.models import ItemCreate, ItemCreat\nfrom app import routers\n")
    assert [(f[0], f[2]) for f in found] == [("FA201", 0)] and "ItemCreat' is not defined in 'app.models'" in found[0][
        3
    ]
    (root / "app" / "lazy.py").write_text("def __getattr__(name):\n    return name\n")
    assert check(root, "app/probe.py", "from app.lazy import anything\n") == []


@pytest.mark.parametrize(
    "package, text, expected",
    [
        pytest.param(
            "zzz",
            '{\n  "dependencies": {\n    "a": "1"\n  }\n}\n',
            '"a": "1",\n    "zzz": "^1.2.3"\n',
            id="last-no-comma",
        ),
        pytest.param(
            "b",
            '{\n  "dependencies": {\n    "a": "1",\n    "c": "2"\n  }\n}\n',
            '"a": "1",\n    "b": "^1.2.3",\n    "c": "2"',
            id="middle",
        ),
        pytest.param(
            "a", '{\n  "dependencies": {}\n}\n', '"dependencies": {\n    "a": "^1.2.3"\n  }', id="empty-object"
        ),
        pytest.param(
            "a", '{\n  "name": "x"\n}\n', '{\n  "dependencies": {\n    "a": "^1.2.3"\n  },\n  "name"', id="no-group"
        ),
    ],
)
def test_add_dependency_edit(package, text, expected):
    from freeagent.edits import apply_edits
    from freeagent.validate.fixes import add_dependency

    fix = add_dependency(Path("/w/package.json"), text, "dependencies", package, "1.2.3")
    new = apply_edits(text, fix.edits[0][1])
    assert expected in new
    assert json.loads(new)["dependencies"][package] == "^1.2.3"


def test_hallucinated_package_gets_no_add_fix(tmp_path):
    root = workspace(tmp_path, "express-zod-api")
    ctx_path = root / "src/probe.ts"
    ctx_path.write_text("import _ from 'lodash';\n")
    ctx = WorkspaceContext(root)
    ctx.load()
    (finding,) = Validator(ctx).check_file(ctx_path)
    assert finding.code == "FA101" and finding.fixes == ()


def test_convention_drift_is_information_only(tmp_path):
    root = workspace(tmp_path, "express-zod-api")
    found = check(root, "src/lib/probe.ts", "export function get_user_by_id(id: string) {\n  return id;\n}\n")
    assert [(f[0], f[1]) for f in found] == [("FA401", "information")]
    assert "'getUserById'" in found[0][3]
    found = check(
        root, "src/lib/probe2.ts", "const fs = require('fs');\nimport { z } from 'zod';\nexport const a = [fs, z];\n"
    )
    assert [(f[0], f[1]) for f in found] == [("FA402", "information")]


def test_convention_needs_strong_evidence(tmp_path):
    # the monorepo's worker is CommonJS TypeScript with require: TS compiles it, no complaint;
    # a lone odd name where the vote is weak is not reported
    root = workspace(tmp_path, "pnpm-monorepo")
    assert check(root, "apps/worker/src/probe.ts", "import x = require('bullmq');\nexport const Y = x;\n") == []


def test_suppression_by_comment_and_setting(tmp_path):
    root = workspace(tmp_path, "express-zod-api")
    source = (
        "// freeagent-ignore FA101\nimport _ from 'lodash';\n"
        "import dayjs from 'dayjs'; // freeagent-ignore\n"
        "import { x } from './nope.js'; // freeagent-ignore FA101\n"
    )
    found = check(root, "src/probe.ts", source)
    assert [(f[0], f[2]) for f in found] == [("FA104", 3)]  # a comment for another code does not silence it
    from freeagent.config import Settings

    path = root / "src/probe.ts"
    ctx = WorkspaceContext(root, Settings(ignore_codes=["FA104"]))
    ctx.load()
    assert Validator(ctx).check_file(path) == []


def test_runtime_specifiers_deno_scopes_and_test_dirs(tmp_path):
    root = workspace(tmp_path, "express-zod-api")
    assert check(root, "src/probe.ts", "import { x } from 'npm:left-pad';\nimport { test } from 'bun:test';\n") == []
    (root / "deno-tests").mkdir()
    (root / "deno-tests/deno.json").write_text('{"imports": {"@std/assert": "jsr:@std/assert@1"}}')
    assert check(root, "deno-tests/a.test.ts", "import { assert } from '@std/assert';\n") == []
    # a *-tests directory is test code: devDependencies are fine there
    assert check(root, "runtime-tests/mock.ts", "import { vi } from 'vitest';\nexport const m = vi;\n") == []


def test_modules_that_do_not_parse_cleanly_are_not_judged(tmp_path):
    root = workspace(tmp_path, "express-zod-api")
    (root / "src/odd.ts").write_text("export const a = 1;\nexport type T = <<<broken;\nexport const b = 2;\n")
    assert check(root, "src/probe.ts", "import { b, zzz } from './odd.js';\n") == []


def _assets(root: Path) -> None:
    for rel in ("App.css", "styles.module.css", "assets/font.woff2", "README.md", "logo.svg", "styles/globals.scss"):
        (root / "src" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "src" / rel).write_text("")
    (root / "src" / "data.json").write_text('{"a": 1}')


def test_imports_of_files_that_are_not_code_resolve(tmp_path):
    """Issue 14's largest class: stylesheets, fonts, images, documents and JSON that exist are
    imports a bundler resolves — through relative paths and through `paths` aliases."""
    root = workspace(tmp_path, "nextjs-app")
    _assets(root)
    source = (
        "import './App.css';\nimport styles from './styles.module.css';\nimport font from './assets/font.woff2';\n"
        "import readme from './README.md';\nimport logo from './logo.svg';\nimport data from './data.json';\n"
        "import attr from './data.json' with { type: 'json' };\nimport '@/styles/globals.scss';\n"
        "export const all = [styles, font, readme, logo, data, attr];\n"
    )
    assert check(root, "src/probe.tsx", source) == []
    missing = check(root, "src/probe.tsx", "import './Gone.css';\nimport '@/styles/gone.scss';\n")
    assert [(code, message) for code, _, _, message in missing] == [
        ("FA104", "cannot find './Gone.css'"),
        ("FA104", "'@/styles/gone.scss' matches a tsconfig \"paths\" alias but no file exists there"),
    ]


def test_a_preferred_fix_is_offered_only_when_it_resolves(tmp_path):
    """No "did you mean X?" with the X that was written, and no fix to a file that is not there
    (`./styles.module.css` → `./styles.css` was one): the whole name is matched, then resolved."""
    root = workspace(tmp_path, "nextjs-app")
    _assets(root)
    path = root / "src" / "typo.tsx"
    path.write_text(
        "import a from './stlyes.module.css';\nimport b from './Ap.css';\nimport c from './zzz.css';\n"
        "import { d } from './lib/api-clinet';\nimport { e } from './lib/api-clinet.js';\n"
    )
    ctx = WorkspaceContext(root)
    ctx.load()
    found = Validator(ctx).check_file(path)
    fixes = {f.message: [e.new_text for fix in f.fixes for _, edits in fix.edits for e in edits] for f in found}
    assert fixes == {
        "cannot find './stlyes.module.css': did you mean './styles.module.css'?": ["./styles.module.css"],
        "cannot find './Ap.css': did you mean './App.css'?": ["./App.css"],
        "cannot find './zzz.css'": [],
        # a code file by its stem, with the extension the import is written with
        "cannot find './lib/api-clinet': did you mean './lib/api-client'?": ["./lib/api-client"],
        "cannot find './lib/api-clinet.js': did you mean './lib/api-client.js'?": ["./lib/api-client.js"],
    }


def test_destructured_exports_are_exports(tmp_path):
    root = workspace(tmp_path, "nextjs-app")
    (root / "src" / "lib" / "pair.ts").write_text(
        "const obj = { alpha: 1, beta: { gamma: 2 }, delta: 3, rest1: 4 };\n"
        "export const { alpha, beta: { gamma }, delta: renamed, missingDefault = 5, ...others } = obj;\n"
        "export const [first, , [second], ...tail] = [1, 2, [3], 4];\n"
    )
    ok = "import { alpha, gamma, renamed, missingDefault, others, first, second, tail } from '../lib/pair';\n"
    assert check(root, "src/hooks/uses.ts", ok) == []
    bad = check(root, "src/hooks/bad.ts", "import { beta, delta } from '../lib/pair';\n")
    assert sorted(message for code, _, _, message in bad if code == "FA201") == [
        "'beta' is not exported by '../lib/pair'",
        "'delta' is not exported by '../lib/pair'",
    ]


def test_dev_dependencies_that_are_peers_or_guarded_are_not_runtime_faults(tmp_path):
    """FA102 is for a devDependency production code needs; a dev + peer dependency (a library
    tests with what its users provide) and an import whose failure the code handles are not."""
    root = workspace(tmp_path, "express-zod-api")
    manifest = json.loads((root / "package.json").read_text())
    manifest.setdefault("peerDependencies", {})["supertest"] = "*"
    guarded = (
        "export async function load() {\n  try {\n    return await import('supertest');\n  } catch {\n"
        "    return null;\n  }\n}\nexport const lazy = () => import('supertest').catch(() => null);\n"
        "export function sync() {\n  try {\n    return require('supertest');\n  } catch {\n    return null;\n  }\n}\n"
    )
    plain = "export const eager = () => import('supertest');\n"
    imports = lambda rel, source: [c for c, *_ in check(root, rel, source) if c.startswith("FA1")]  # noqa: E731
    assert imports("src/guarded.ts", guarded) == []
    assert imports("src/plain.ts", plain) == ["FA102"]  # still a fault when unguarded
    (root / "package.json").write_text(json.dumps(manifest))
    assert imports("src/plain.ts", plain) == []  # dev + peer


def test_base_url_bare_specifiers_and_framework_virtual_modules(tmp_path):
    """FA101 is for packages that do not exist; `types` under a baseUrl of src, Docusaurus's
    @theme/… and Nuxt's #imports are modules — but only where that framework is declared."""
    root = workspace(tmp_path, "nextjs-app")
    config = json.loads((root / "tsconfig.json").read_text())
    config["compilerOptions"]["baseUrl"] = "src"
    (root / "tsconfig.json").write_text(json.dumps(config))
    (root / "src" / "types").mkdir(exist_ok=True)
    (root / "src" / "types" / "index.ts").write_text("export type Id = string;\n")
    source = (
        "import type { Id } from 'types';\nimport Layout from '@theme/Layout';\nimport Link from '@docusaurus/Link';\n"
        "import { ref } from '#imports';\nimport { env } from 'cloudflare:workers';\n"
        "export const all = [Layout, Link, ref, env] as unknown as Id[];\n"
    )
    codes = lambda: sorted(  # noqa: E731
        (code, message.split("'")[1]) for code, _, _, message in check(root, "src/probe.ts", source) if code < "FA2"
    )
    assert codes() == [("FA101", "@docusaurus/Link"), ("FA101", "@theme/Layout"), ("FA104", "#imports")]
    manifest = json.loads((root / "package.json").read_text())
    manifest["dependencies"].update({"@docusaurus/core": "^3.0.0", "nuxt": "^3.0.0"})
    (root / "package.json").write_text(json.dumps(manifest))
    assert codes() == []
    hallucinated = check(root, "src/other.ts", "import x from 'made-up-package';\n")
    assert [code for code, *_ in hallucinated] == ["FA101"]  # a framework does not excuse everything


def test_renames_keep_acronyms_and_leave_a_published_api_alone(tmp_path):
    """FA401: 'useTRPCInfiniteQuery' becomes 'UseTRPCInfiniteQuery' (not 'UseTrpcinfiniteQuery'),
    and an exported name of a package others install (named, versioned, not private) is its API:
    not a convention to fix."""
    from freeagent.validate.conventions import convert

    assert convert("useTRPCInfiniteQuery", "PascalCase") == "UseTRPCInfiniteQuery"
    assert convert("getURLForID", "camelCase") == "getURLForID" and convert("HTTPServer", "camelCase") == "httpServer"
    assert convert("parseJSONBody", "snake_case") == "parse_json_body"
    root = workspace(tmp_path, "express-zod-api")
    source = "export function get_user_by_id(id: string) {\n  return id;\n}\nfunction load_all() {}\nload_all();\n"
    unpublished = [f[3].split("'")[1] for f in check(root, "src/lib/probe.ts", source) if f[0] == "FA401"]
    assert unpublished == ["get_user_by_id", "load_all"]
    manifest = json.loads((root / "package.json").read_text())
    manifest.update({"name": "some-library", "version": "1.2.3", "private": False})
    (root / "package.json").write_text(json.dumps(manifest))
    published = [f[3].split("'")[1] for f in check(root, "src/lib/probe.ts", source) if f[0] == "FA401"]
    assert published == ["load_all"]  # its own internal name is still the project's convention


def test_tooling_run_by_npm_scripts_and_test_setup_files_is_not_production(tmp_path):
    """FA102 is about what ships: a script `npm run build` runs and a vitest setup file import
    devDependencies by design — but what `npm start` runs is the product."""
    root = workspace(tmp_path, "express-zod-api")
    manifest = json.loads((root / "package.json").read_text())
    manifest["scripts"] = {"gen": "tsx ./tools/gen.ts --watch", "start": "tsx src/main.ts"}
    (root / "package.json").write_text(json.dumps(manifest))
    (root / "vitest.config.ts").write_text("export default { test: { setupFiles: ['./src/setup-tests.ts'] } };\n")
    source = "import request from 'supertest';\nexport const r = request;\n"
    fa102 = lambda rel: [c for c, *_ in check(root, rel, source) if c == "FA102"]  # noqa: E731
    assert fa102("tools/gen.ts") == [] and fa102("src/setup-tests.ts") == []
    assert fa102("src/main.ts") == ["FA102"]  # what `npm start` runs ships
    assert fa102("src/other.ts") == ["FA102"]


def test_a_type_import_under_node10_resolution_ignores_exports_maps(tmp_path):
    """moduleResolution node (node10) reads no exports map: TypeScript resolves `import type`
    of a hidden subpath, and a type-only import never runs — no FA103. A value import still
    runs under Node, which does read the map."""
    root = workspace(tmp_path, "pnpm-monorepo")
    pkg = root / "node_modules" / "fastify"
    pkg.mkdir(parents=True)
    (pkg / "package.json").write_text(json.dumps({"name": "fastify", "exports": {".": "./fastify.js"}}))
    config = root / "apps" / "api" / "tsconfig.json"
    data = json.loads(config.read_text())
    data.setdefault("compilerOptions", {})["moduleResolution"] = "node"
    config.write_text(json.dumps(data))
    typed = check(
        root, "apps/api/src/types.ts", "import type { X } from 'fastify/types/instance';\nexport type Y = X;\n"
    )
    assert [c for c, *_ in typed if c == "FA103"] == []
    value = check(root, "apps/api/src/value.ts", "import x from 'fastify/lib/internal.js';\nexport const y = x;\n")
    assert [c for c, *_ in value if c == "FA103"] == ["FA103"]


def test_names_that_follow_the_projects_own_second_styles_are_not_drift(tmp_path):
    """FA401 on real libraries (zod, tRPC): a type named after its value (`type userSchema =
    z.infer<typeof userSchema>`, `type CHUNK = typeof CHUNK`), a case the workspace's published
    packages export three names in (tRPC's `inferRouterOutputs`), a file named after its class
    (`ZodError.ts`) or like its folder's files (`helpers/parseUtil.ts`) are the project's style.
    A SCREAMING_SNAKE type that really drifts is renamed word by word ('FileExtension')."""
    from freeagent.validate.conventions import convert

    assert convert("CHUNK_VALUE_TYPE_PROMISE", "PascalCase") == "ChunkValueTypePromise"
    assert convert("WS_SUBTYPES", "camelCase") == "wsSubtypes" and convert("HTTPServer", "PascalCase") == "HTTPServer"
    root = workspace(tmp_path, "express-zod-api")
    types = "".join(
        f"export type {n}Record = {{ id: string }};\n"
        for n in ("User", "Order", "Item", "Cart", "Tag", "Box", "Page", "Row", "Job", "Log", "Key", "Map", "Set")
    )
    (root / "src" / "lib" / "records.ts").write_text(types + "export interface PageInfo {\n  next: string;\n}\n")
    for n in ("user", "order", "item", "cart", "tag", "box", "page", "row", "job", "log", "key", "map", "set", "day"):
        (root / "src" / "lib" / f"{n}-store.ts").write_text("export const x = 1;\n")
    source = (
        "import { z } from 'zod';\n"
        "const userSchema = z.object({ id: z.string() });\ntype userSchema = z.infer<typeof userSchema>;\n"
        "const CHUNK = 0;\ntype CHUNK = typeof CHUNK;\n"
        "type FILE_EXTENSION = 'png' | 'svg';\ntype inferShape<T> = T;\n"
        "export const all: [userSchema, CHUNK, FILE_EXTENSION, inferShape<1>] = [userSchema.parse({}), CHUNK, 'png', 1];\n"
    )
    drift = lambda rel, text=source: sorted(  # noqa: E731
        f[3].split("'")[1] for f in check(root, rel, text) if f[0] == "FA401"
    )
    assert drift("src/lib/probe.ts") == ["FILE_EXTENSION", "inferShape"]
    # the workspace's published package exports three camelCase types: a deliberate style
    lib = root / "packages" / "lib"
    lib.mkdir(parents=True)
    (lib / "package.json").write_text('{"name": "@w/lib", "version": "1.0.0", "exports": "./index.ts"}')
    (lib / "index.ts").write_text("".join(f"export type infer{n}<T> = T;\n" for n in ("Input", "Output", "Error")))
    assert drift("src/lib/probe.ts") == ["FILE_EXTENSION"]
    # file names: kebab-case project; a class's own file and a camelCase folder are fine
    assert drift("src/lib/ParseError.ts", "export class ParseError extends Error {}\n") == []
    (root / "src" / "lib" / "ParseError.ts").unlink()
    assert drift("src/lib/OtherThing.ts", "export class ParseFailure extends Error {}\n") == ["OtherThing"]
    helpers = root / "src" / "helpers"
    helpers.mkdir()
    for n in ("enumUtil", "errorUtil"):
        (helpers / f"{n}.ts").write_text("export const y = 2;\n")
    assert drift("src/helpers/parseUtil.ts", "export const z = 3;\n") == []
    ctx = WorkspaceContext(root)
    ctx.load()
    ctx.index.files["src/app.ts"] = ctx.index.files.pop("src/app.ts")  # the last file indexed: elsewhere
    found = Validator(ctx).check_file(root / "src" / "helpers" / "parseUtil.ts")
    assert [f for f in found if f.code == "FA401"] == []  # its own folder is asked, whatever came last
    (helpers / "parseUtil.ts").unlink()
    (root / "src" / "lib" / "OtherThing.ts").unlink()
    assert drift("src/lib/parseUtil.ts", "export const z = 3;\n") == ["parseUtil"]
    # a test named after the module it tests, or after a name the workspace exports
    assert drift("test/parseUtil.test.ts", "export {};\n") == []
    for rel in ("test/parseUtil.test.ts", "src/lib/parseUtil.ts"):
        (root / rel).unlink()
    assert drift("test/nativeEnum.test.ts", "export {};\n") == ["nativeEnum"]
    (root / "src" / "lib" / "enums.ts").write_text(
        "const nativeEnumType = 1;\nexport { nativeEnumType as nativeEnum };\n"
    )
    assert drift("test/nativeEnum.test.ts", "export {};\n") == []


def test_a_type_only_import_is_found_through_definitely_typed(tmp_path):
    """`import type { APIGatewayProxyEvent } from 'aws-lambda'` needs @types/aws-lambda, not the
    runtime package: pnpm hoists @types to the root, so tRPC's tests resolve it — undeclared, a
    warning like any installed-but-undeclared package, not the error for one that is not there."""
    root = workspace(tmp_path, "express-zod-api")
    types = root / "node_modules" / "@types" / "aws-lambda"
    types.mkdir(parents=True)
    (types / "package.json").write_text('{"name": "@types/aws-lambda", "version": "8.10.149"}')
    (types / "index.d.ts").write_text("export interface Handler {}\n")
    typed = check(root, "src/lambda.ts", "import type { Handler } from 'aws-lambda';\nexport type H = Handler;\n")
    assert [(c, s, m) for c, s, _, m in typed if c == "FA101"] == [
        (
            "FA101",
            "warning",
            "'@types/aws-lambda' (the types of 'aws-lambda') is installed but not declared in package.json",
        )
    ]  # there, but undeclared (knip: unlisted) — not "a package that does not exist here"
    manifest = json.loads((root / "package.json").read_text())
    manifest["devDependencies"]["@types/aws-lambda"] = "^8.10.149"
    (root / "package.json").write_text(json.dumps(manifest))
    typed = check(root, "src/lambda.ts", "import type { Handler } from 'aws-lambda';\nexport type H = Handler;\n")
    assert [c for c, *_ in typed if c == "FA101"] == []
    value = check(root, "src/lambda.ts", "import { Handler } from 'aws-lambda';\nexport const h = Handler;\n")
    assert [(c, s) for c, s, *_ in value if c == "FA101"] == [("FA101", "error")]  # at run time: not there


def test_a_manifest_that_declares_nothing_is_no_dependency_boundary(tmp_path):
    """tRPC's next-app-dir example has `src/trpc/package.json` with only a name and `exports`
    (linked as `trpc-api`): its files use the app's dependencies, as Node finds them."""
    root = workspace(tmp_path, "pnpm-monorepo")
    inner = root / "apps" / "api" / "src" / "trpc"
    inner.mkdir(parents=True)
    (inner / "package.json").write_text('{"name": "trpc-api", "exports": {".": "./client.ts"}}')
    source = "import { z } from 'zod';\nimport pino from 'pino';\nexport const s = [z, pino];\n"
    assert [c for c, *_ in check(root, "apps/api/src/trpc/client.ts", source) if c.startswith("FA10")] == []
    (inner / "package.json").write_text('{"name": "trpc-api", "version": "1.0.0", "dependencies": {"zod": "^3"}}')
    found = check(root, "apps/api/src/trpc/client.ts", source)
    assert [m.split("'")[1] for c, _, _, m in found if c == "FA101"] == ["pino"]  # a real package: its own


def test_dev_dependencies_matter_only_where_code_runs_without_them(tmp_path):
    """FA102: a published package's users get no devDependencies, nor does a private server
    deployed with a production install. A private package with no dependencies at all (zod's
    bench inputs, tRPC's examples) or one a bundler builds (a Next.js app) has them where it runs."""
    root = workspace(tmp_path, "express-zod-api")
    source = "import request from 'supertest';\nexport const r = request;\n"
    fa102 = lambda: [c for c, *_ in check(root, "src/probe.ts", source) if c == "FA102"]  # noqa: E731
    original = json.loads((root / "package.json").read_text())
    assert fa102() == ["FA102"]  # private, has dependencies, no bundler: a server
    (root / "package.json").write_text(json.dumps({**original, "dependencies": {}}))
    assert fa102() == []
    (root / "package.json").write_text(
        json.dumps({**original, "devDependencies": {**original["devDependencies"], "vite": "^5"}})
    )
    assert fa102() == []
    (root / "package.json").write_text(json.dumps({**original, "private": False, "dependencies": {}}))
    assert fa102() == ["FA102"]  # published: its users install no devDependencies


def test_a_module_only_tooling_imports_is_tooling(tmp_path):
    """zod's vitest.root.mjs (imported by vitest configs) and excalidraw's env.cjs (required by
    a build script) import devDependencies by design; once production code imports it, it ships."""
    root = workspace(tmp_path, "express-zod-api")
    (root / "vitest.config.ts").write_text("import shared from './src/shared-setup';\nexport default shared;\n")
    (root / "scripts").mkdir()
    (root / "scripts" / "build.ts").write_text("import { env } from '../src/env-helper';\nexport const e = env;\n")
    (root / "src" / "env-helper.ts").write_text("import request from 'supertest';\nexport const env = request;\n")
    source = "import request from 'supertest';\nexport default request;\n"
    fa102 = lambda rel, text=source: [c for c, *_ in check(root, rel, text) if c == "FA102"]  # noqa: E731
    assert fa102("src/shared-setup.ts") == []
    assert fa102("src/env-helper.ts", (root / "src" / "env-helper.ts").read_text()) == []
    (root / "src" / "main.ts").write_text("import shared from './shared-setup';\nexport const m = shared;\n")
    assert fa102("src/shared-setup.ts") == ["FA102"]
    assert fa102("src/lonely.ts") == ["FA102"]  # nothing imports it: an entry point


def test_imports_of_build_output_not_built_yet_are_not_findings(tmp_path):
    """taxonomy's `contentlayer/generated` (a paths alias into the git-ignored .contentlayer/),
    tRPC's git-ignored `CompaniesUsing.script.output.ts`, Nuxt's `.nuxt/tsconfig.json`: made by
    a build that has not run. A missing file the project does not ignore is still FA104."""
    root = workspace(tmp_path, "nextjs-app")
    config = json.loads((root / "tsconfig.json").read_text())
    config["compilerOptions"].setdefault("paths", {})["contentlayer/generated"] = ["./.contentlayer/generated"]
    (root / "tsconfig.json").write_text(json.dumps(config))
    source = (
        "import { allDocs } from 'contentlayer/generated';\nimport data from './data.output';\n"
        "export const all = [allDocs, data];\n"
    )
    unresolved = lambda: sorted(  # noqa: E731
        m.split("'")[1] for c, _, _, m in check(root, "src/docs.ts", source) if c == "FA104"
    )
    assert unresolved() == ["./data.output", "contentlayer/generated"]
    gitignore = root / ".gitignore"
    gitignore.write_text((gitignore.read_text() if gitignore.exists() else "") + ".contentlayer\n*.output.ts\n")
    assert unresolved() == []
    nuxt = root / "tsconfig.nuxt.json"
    nuxt.write_text('{"extends": "./.nuxt/tsconfig.json"}')
    docusaurus = root / "tsconfig.docs.json"
    docusaurus.write_text('{"extends": "@tsconfig/docusaurus/tsconfig.json"}')
    ctx = WorkspaceContext(root)
    ctx.load()
    assert [f.message for f in ctx.problems_by_file().get(str(nuxt), [])] == []
    assert [f.code for f in ctx.problems_by_file().get(str(docusaurus), [])] == ["FA004"]  # not declared
    manifest = json.loads((root / "package.json").read_text())
    manifest.setdefault("devDependencies", {})["@tsconfig/docusaurus"] = "^1.0.5"
    (root / "package.json").write_text(json.dumps(manifest))
    ctx = WorkspaceContext(root)
    ctx.load()
    assert ctx.problems_by_file().get(str(docusaurus), []) == []  # declared, not installed: the install's job


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


def _codes(root: Path, rel: str) -> list[tuple[str, str]]:
    ctx = WorkspaceContext(root)
    ctx.load()
    return [(f.code, f.message) for f in Validator(ctx).check_file(root / rel)]


def test_a_solution_tsconfig_hands_each_file_to_the_project_that_includes_it(tmp_path):
    """Vite's React template (chartdb: 1,455 false FA101): tsconfig.json is `{"files": [],
    "references": [...]}` and `paths` live in tsconfig.app.json, which includes src/. An
    `@/…` no alias matches is FA104 (no package can be named '@'), not "'@' is not declared"."""
    _write(
        tmp_path,
        {
            "package.json": '{"name": "app", "private": true, "type": "module"}',
            "tsconfig.json": '{"files": [], "references": [{"path": "./tsconfig.app.json"}, {"path": "./tsconfig.node.json"}]}',
            "tsconfig.app.json": '{"compilerOptions": {"moduleResolution": "bundler", "paths": {"@/*": ["./src/*"]}},'
            ' "include": ["src"]}',
            "tsconfig.node.json": '{"compilerOptions": {"moduleResolution": "bundler"}, "include": ["vite.config.ts"]}',
            "src/lib/utils.ts": "export const cn = 1;\n",
            "src/main.ts": "import { cn } from '@/lib/utils';\nexport const x = cn;\n",
            "vite.config.ts": "import { cn } from '@/lib/utils';\nexport default cn;\n",
        },
    )
    assert _codes(tmp_path, "src/main.ts") == []
    assert _codes(tmp_path, "vite.config.ts") == [
        ("FA104", "'@/lib/utils' is no package name, and no tsconfig \"paths\" alias matches it")
    ]  # tsconfig.node.json, its project, has no such alias


def test_apps_bundled_by_angular_or_nx_and_tool_folders_are_not_production_runtimes(tmp_path):
    """ghostfolio: an app's package.json (not private, but naming no main/exports/bin/files: not
    published) built by @angular-devkit/build-angular; a Prisma `.config/`, a `.storybook/`
    folder, a jest `preset` file and an Nx project's jest setup file import devDependencies by
    design; Storybook bundles its ES-module preview.js (no FA402)."""
    _write(
        tmp_path,
        {
            "package.json": json.dumps(
                {
                    "name": "ghostfolio",
                    "version": "2.0.0",
                    "dependencies": {"express": "^4"},
                    "devDependencies": {
                        "@angular/localize": "^20",
                        "@angular-devkit/build-angular": "^20",
                        "@storybook/addon-themes": "^10",
                        "prisma": "^7",
                    },
                }
            ),
            "src/polyfills.ts": "import '@angular/localize/init';\n",
            ".config/prisma.ts": "import { defineConfig } from 'prisma';\nexport default defineConfig;\n",
            ".storybook/preview.js": "import { withThemeByClassName } from '@storybook/addon-themes';\nexport const d = [withThemeByClassName];\n",
            "jest.preset.js": "const p = require('@angular/localize');\nmodule.exports = p;\n",
            "apps/client/jest.config.ts": "export default { setupFilesAfterEnv: ['<rootDir>/src/boot.ts'], preset: '../../jest.preset.js' };\n",
            "apps/client/src/boot.ts": "import '@angular/localize/init';\n",
        },
    )
    for rel in (
        "src/polyfills.ts",
        ".config/prisma.ts",
        ".storybook/preview.js",
        "jest.preset.js",
        "apps/client/src/boot.ts",
    ):
        assert [c for c, _ in _codes(tmp_path, rel) if c in ("FA102", "FA402")] == [], rel
    manifest = json.loads((tmp_path / "package.json").read_text())
    del manifest["devDependencies"]["@angular-devkit/build-angular"]
    (tmp_path / "package.json").write_text(json.dumps(manifest))
    assert [c for c, _ in _codes(tmp_path, "src/polyfills.ts")] == ["FA102"]  # no bundler: a Node app
    manifest["devDependencies"]["@angular-devkit/build-angular"] = "^20"
    manifest["main"] = "dist/index.js"  # now a package others install: its runtime imports matter
    (tmp_path / "package.json").write_text(json.dumps(manifest))
    assert [c for c, _ in _codes(tmp_path, "src/polyfills.ts")] == ["FA102"]
    assert [c for c, _ in _codes(tmp_path, "apps/client/src/boot.ts")] == []  # still a test setup file


def test_pascal_case_functions_are_decorator_factories_where_decorators_compile(tmp_path):
    """NestJS: `export const Roles = (...roles) => SetMetadata('roles', roles)` is used as
    `@Roles('admin')`, and mixins return classes; with experimentalDecorators that is the
    convention, not drift from camelCase functions."""
    helpers = {f"src/helper-{i}.ts": f"export function makeThing{i}() {{\n  return {i};\n}}\n" for i in range(9)}
    _write(
        tmp_path,
        {
            "package.json": '{"name": "api", "private": true, "dependencies": {"@nestjs/common": "^11"}}',
            "tsconfig.json": '{"compilerOptions": {"module": "commonjs"}}',
            "src/roles.decorator.ts": "export const Roles = (...roles: string[]) => roles;\n",
            **helpers,
        },
    )
    assert [m.split("'")[1] for c, m in _codes(tmp_path, "src/roles.decorator.ts") if c == "FA401"] == ["Roles"]
    (tmp_path / "tsconfig.json").write_text(
        '{"compilerOptions": {"module": "commonjs", "experimentalDecorators": true}}'
    )
    assert [c for c, _ in _codes(tmp_path, "src/roles.decorator.ts") if c == "FA401"] == []


def test_python_imports_against_the_projects_environment(tmp_path):
    """With a .venv in the workspace, its installed metadata says which distribution provides an
    import (attrs gives `attr`, PyYAML `yaml`): installed but undeclared is a phantom dependency
    (warning), neither installed nor declared an error that says so. Without one, the manifests
    and the usual traps decide, as before. The environment here is the one running the tests."""
    import sys

    from freeagent.context.brief import render_markdown

    assert (Path(sys.prefix) / "pyvenv.cfg").is_file(), "the tests run in a virtual environment (make test)"
    root = tmp_path / "svc"
    root.mkdir()
    (root / "pyproject.toml").write_text(
        '[project]\nname = "svc"\nversion = "0.1"\ndependencies = ["httpx>=0.27", "Attrs"]\n'
    )
    (root / ".venv").symlink_to(Path(sys.prefix))
    (root / "app.py").write_text("import httpx\nimport attr\nimport yaml\nimport numpy_hallucinated\nimport json\n")
    ctx = WorkspaceContext(root)
    ctx.load()
    found = [(f.range.line, f.severity.value, f.message) for f in Validator(ctx).check_file(root / "app.py")]
    assert [(line, severity) for line, severity, _ in found] == [(2, "warning"), (3, "error")], found
    assert "installed in .venv (pyyaml " in found[0][2] and "phantom dependency" in found[0][2]
    assert "nor installed in .venv" in found[1][2]
    brief = ctx.brief()
    assert brief.data["python_environment"]["how"] == ".venv in the workspace"
    assert "Environment: `.venv`" in render_markdown(brief.data)

    (root / ".venv").unlink()
    ctx.load()
    found = [(f.range.line, f.message) for f in Validator(ctx).check_file(root / "app.py")]
    assert [line for line, _ in found] == [2, 3] and "(the distribution is 'pyyaml')" in found[0][1]
    assert "none found" in render_markdown(ctx.brief().data)


def test_the_environments_metadata_is_cached_until_an_install(tmp_path):
    """What each installed distribution provides is kept in the cache folder, keyed by the
    metadata folders' names: a second read costs no RECORD, an install is seen at once, and a
    broken cache file is read past."""
    import subprocess
    import sys

    from freeagent.context.pyenv import find_environment

    root = tmp_path / "svc"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / ".venv")], check=True)
    (site,) = (root / ".venv" / "lib").glob("python3*/site-packages")

    def install(name: str, version: str, module: str) -> None:  # what an installer leaves behind
        info = site / f"{name}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        (info / "RECORD").write_text(f"{module}/__init__.py,,\n{name}-{version}.dist-info/METADATA,,\n")
        (site / module).mkdir()
        (site / module / "__init__.py").write_text("")

    install("Foo_Bar", "1.0", "foobar")
    cache = tmp_path / "cache"
    env = find_environment(root, [], cache)
    assert env is not None and env.how == ".venv in the workspace" and env.provides("foobar") == ["foo-bar"]
    (stored,) = (cache / "pyenv").glob("*.json")
    (site / "Foo_Bar-1.0.dist-info" / "RECORD").write_text("elsewhere/__init__.py,,\n")  # the cache answers
    assert find_environment(root, [], cache).provides("foobar") == ["foo-bar"]
    install("baz", "2.0", "baz_mod")
    again = find_environment(root, [], cache)
    assert again.provides("baz_mod") == ["baz"] and again.distributions["baz"].version == "2.0"
    stored.write_text("{not json")
    assert find_environment(root, [], cache).provides("baz_mod") == ["baz"]


def test_optional_and_type_checking_python_imports(tmp_path):
    """An import in a `try` that catches ImportError is an optional dependency (never FA105); an
    installed-but-undeclared package under `if TYPE_CHECKING:` is not a phantom dependency (it is
    never imported where the project runs); one neither installed nor declared is still an error."""
    import sys

    root = tmp_path / "svc"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "svc"\nversion = "0.1"\ndependencies = []\n')
    (root / ".venv").symlink_to(Path(sys.prefix))
    (root / "app.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "try:\n    import orjson_hallucinated\nexcept (ImportError, OSError):\n    orjson_hallucinated = None\n"
        "try:\n    from dateutil import parser\nexcept Exception:\n    parser = None\n"
        "if TYPE_CHECKING:\n    import yaml\n    import numpy_hallucinated\n"
        "try:\n    import attr\nexcept KeyError:\n    pass\n"
    )
    ctx = WorkspaceContext(root)
    ctx.load()
    found = [(f.range.line, f.severity.value) for f in Validator(ctx).check_file(root / "app.py")]
    assert found == [(11, "error"), (13, "warning")], found


def test_the_interpreter_setting_and_poetrys_own_environments(tmp_path, monkeypatch):
    """`python.interpreter` names the environment (an interpreter inside it, or its folder), and
    nothing else is tried; without it, Poetry's environment of the project in Poetry's cache
    folder (named as Poetry names it: name-<8 characters of the folder's hash>-pyX.Y) is found."""
    import base64
    import hashlib
    import os
    import sys

    from freeagent.context.pyenv import find_environment

    root = tmp_path / "svc"
    root.mkdir()
    (root / "pyproject.toml").write_text('[tool.poetry]\nname = "svc-app"\nversion = "0.1"\n')
    chosen = find_environment(root, [root], None, str(Path(sys.prefix) / "bin" / "python"))
    assert chosen is not None and chosen.path == Path(sys.prefix) and chosen.how == "the python.interpreter setting"
    assert "httpx" in chosen.by_import
    assert find_environment(root, [root], None, "no/such/python") is None

    cache = tmp_path / "poetry-envs"
    digest = hashlib.sha256(os.path.normcase(os.path.realpath(root)).encode()).digest()
    name = f"svc-app-{base64.urlsafe_b64encode(digest).decode()[:8]}-py3.11"
    cache.mkdir()
    (cache / name).symlink_to(Path(sys.prefix))
    (cache / "other-project-AAAAAAAA-py3.11").symlink_to(Path(sys.prefix))
    monkeypatch.setenv("POETRY_VIRTUALENVS_PATH", str(cache))
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    found = find_environment(root, [root], None)
    assert found is not None and found.path == cache / name and found.how == f"Poetry's {name}"
    (cache / name).unlink()
    assert find_environment(root, [root], None) is None  # another project's environment is not this one's


def test_what_a_declared_package_brings_at_its_exact_version_is_not_a_phantom(tmp_path):
    """pydantic pins pydantic-core exactly and its documentation imports from it
    (`from pydantic_core import PydanticCustomError`): with pydantic declared, importing
    pydantic_core is not a phantom dependency — reported 5 times on mealie while the table of what
    frameworks bring said so, because an environment's metadata (pydantic-core) was asked instead
    of the table. A package nothing declared brings is still one (w3lib, brought by extruct, is not
    pinned by it: not in the table)."""
    import sys

    root = tmp_path / "svc"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "svc"\nversion = "0.1"\ndependencies = ["pydantic>=2"]\n')
    (root / ".venv").symlink_to(Path(sys.prefix))
    (root / "app.py").write_text("import pydantic\nfrom pydantic_core import PydanticCustomError\nimport yaml\n")
    ctx = WorkspaceContext(root)
    ctx.load()
    found = [(f.range.line, f.code) for f in Validator(ctx).check_file(root / "app.py")]
    assert found == [(2, "FA105")], found  # yaml only


def test_a_jsconfig_alias_reaches_javascript_files(tmp_path):
    """A jsconfig.json is a tsconfig with allowJs on: its ``paths`` alias names ``.js`` files
    (Netflix dispatch's Vue app: `import app from "@/app/store"` for src/app/store.js was reported
    249 times as an alias with no file). A tsconfig.json without allowJs still does not."""
    root = tmp_path / "web"
    (root / "src" / "app").mkdir(parents=True)
    (root / "package.json").write_text('{"name": "web", "version": "1.0.0", "type": "module"}')
    (root / "src" / "app" / "store.js").write_text("export default {}\n")
    (root / "src" / "main.js").write_text('import app from "@/app/store"\nexport { app }\n')
    config = '{"compilerOptions": {"paths": {"@/*": ["./src/*"]}}}'
    (root / "jsconfig.json").write_text(config)

    def unresolved() -> list[str]:
        ctx = WorkspaceContext(root)
        ctx.load()
        return [f.message for f in Validator(ctx).check_file(root / "src" / "main.js") if f.code == "FA104"]

    assert unresolved() == []
    (root / "jsconfig.json").unlink()
    (root / "tsconfig.json").write_text(config)
    assert unresolved() == ["'@/app/store' matches a tsconfig \"paths\" alias but no file exists there"]
