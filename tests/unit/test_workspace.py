"""WorkspaceContext over the fixture workspaces: what it knows, and keeping it current."""

import json
from pathlib import Path

import pytest

from freeagent.config import IndexSettings, Settings
from freeagent.context import WorkspaceContext
from tests.helpers import FIXTURES, copy_fixture


def load(name: str, tmp_path: Path | None = None, settings: Settings | None = None) -> WorkspaceContext:
    root = FIXTURES / name
    if tmp_path is not None:
        root = copy_fixture(name, tmp_path)
    ctx = WorkspaceContext(root, settings)
    ctx.load()
    return ctx


def test_express_zod_api():
    ctx = load("express-zod-api")
    root = ctx.root
    pkg = ctx.root_package
    assert pkg.type == "module" and set(pkg.dependencies) == {"express", "zod"}
    assert ctx.lockfiles == {root / "package-lock.json": "npm"}
    config = ctx.nearest_tsconfig(root / "src/routes/users.ts")
    assert config.path == root / "tsconfig.json"
    assert config.chain == [root / "tsconfig.json", root / "tsconfig.base.json"]
    assert config.module_resolution == "nodenext" and config.option("strict") is True
    assert config.paths_base == root and config.option("paths") == {"@/*": ["src/*"]}
    assert ctx.alias_prefixes() == ["@/"]
    assert ctx.nearest_package(root / "src/app.ts") is pkg
    assert "src/index.ts" in ctx.index.files and "test/users.test.ts" in ctx.index.files
    conventions = ctx.conventions()["typescript"]
    assert conventions["quotes"].value == "single"
    assert conventions["semicolons"].value == "always"
    assert conventions["relative_import_extension"].value == ".js"
    assert conventions["naming.files"].value == "kebab-case"
    assert conventions["http_framework"].value == "express"
    assert conventions["validation"].value == "zod"
    assert conventions["test_framework"].value == "vitest"
    assert ctx.problems == {}


def test_nextjs_app():
    ctx = load("nextjs-app")
    pkg = ctx.root_package
    assert pkg.type == "commonjs" and not pkg.type_declared and "next" in pkg.dependencies
    assert set(ctx.lockfiles.values()) == {"yarn"}
    config = ctx.nearest_tsconfig(ctx.root / "src/app/page.tsx")
    assert config.module_resolution == "bundler" and config.option("jsx") == "preserve"
    assert config.base_url is None and config.paths_base == ctx.root  # paths without baseUrl
    c = ctx.conventions()["typescript"]
    assert (c["quotes"].value, c["semicolons"].value) == ("double", "never")
    assert c["import_style"].value == "alias"
    assert c["naming.components"].value == "PascalCase"
    assert c["naming.component_files"].value == "PascalCase"
    assert c["http_framework"].value == "next" and c["http_client"].value == "axios"
    assert c["validation"].value == "yup" and c["test_framework"].value == "jest"


def test_pnpm_monorepo():
    ctx = load("pnpm-monorepo")
    root = ctx.root
    tool, patterns = ctx.workspace_globs()
    assert tool == "pnpm" and patterns == ["packages/*", "apps/*"]
    members = ctx.workspace_packages()
    assert set(members) == {"@acme/api", "@acme/worker", "@acme/shared", "@acme/tsconfig"}
    api = ctx.nearest_package(root / "apps/api/src/server.ts")
    assert api.name == "@acme/api" and api.dependencies["@acme/shared"] == "workspace:*"
    shared = ctx.nearest_package(root / "packages/shared/src/utils/index.ts")
    assert shared.exports["./utils"] == "./src/utils/index.ts"
    # extends a package that is a workspace member (before install it is not in node_modules)
    api_config = ctx.nearest_tsconfig(root / "apps/api/src/server.ts")
    assert api_config.chain[1] == root / "packages/tsconfig/node.json"
    assert api_config.module_resolution == "nodenext"
    worker = ctx.nearest_tsconfig(root / "apps/worker/src/index.ts")
    assert worker.chain[1] == root / "tsconfig.base.json"
    assert (worker.module, worker.module_resolution) == ("commonjs", "node10")
    assert ctx.nearest_package(root / "apps/worker/src/legacy/mailer.js").type == "commonjs"
    kinds = {r.kind for r in ctx.index.files["apps/worker/src/jobs/send-email.ts"].imports}
    assert "import-equals" in kinds
    assert ctx.conventions()["typescript"]["http_framework"].value == "fastify"
    assert ctx.problems == {}


def test_fastapi_service():
    ctx = load("fastapi-service")
    manifests = {p.name: m for p, m in ctx.python.items()}
    assert set(manifests) == {"pyproject.toml", "requirements.txt", "requirements-dev.txt"}
    main = {d.name for d in manifests["pyproject.toml"].dependencies if d.group == "main"}
    assert main == {"fastapi", "pydantic", "httpx", "sqlalchemy", "pyyaml"}
    assert manifests["requirements-dev.txt"].includes == ["requirements.txt"]
    assert ctx.nearest_python_manifest(ctx.root / "app/main.py").kind == "pep621"
    c = ctx.conventions()["python"]
    assert c["http_framework"].value == "fastapi" and c["validation"].value == "pydantic"
    assert c["http_client"].value == "httpx" and c["test_framework"].value == "pytest"
    assert c["naming.functions"].value == "snake_case" and c["indent"].value == "4 spaces"
    assert "typescript" not in ctx.conventions()


def test_broken_config_keeps_the_rest_working():
    ctx = load("broken-config")
    by_file = ctx.problems_by_file()
    tsconfig = str(ctx.root / "tsconfig.json")
    bad = str(ctx.root / "packages/bad-manifest/package.json")
    assert set(by_file) == {tsconfig, bad}
    (ts,) = by_file[tsconfig]
    assert ts.code == "FA002" and (ts.range.line, ts.range.character) == (5, 4)
    (pkg,) = by_file[bad]
    assert pkg.code == "FA001" and pkg.range.line == 7
    assert ctx.root_package is not None and "src/index.ts" in ctx.index.files


def test_brief_is_deterministic_and_complete():
    first = load("express-zod-api").brief()
    second = load("express-zod-api").brief()
    assert first.markdown == second.markdown
    assert json.dumps(first.data, sort_keys=True) == json.dumps(second.data, sort_keys=True)
    md = first.markdown
    for needle in (
        "express@^4.19.2",
        "zod@^3.23.8",
        "tsconfig.json (extends tsconfig.base.json)",
        "moduleResolution nodenext",
        "quotes: **single**",
        "Representative files",
    ):
        assert needle in md
    rep = [f["path"] for f in first.data["representative_files"]]
    assert 1 <= len(rep) <= 5 and len(set(rep)) == len(rep)


def test_ignored_paths_are_not_indexed(tmp_path):
    root = copy_fixture("express-zod-api", tmp_path)
    for rel in (
        "node_modules/lodash/index.js",
        "dist/index.js",
        "coverage/x.js",
        "generated/api.ts",
        "src/generated/keep.ts",
        "src/generated/drop.ts",
        "src/big.ts",
    ):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("export const x = 1;\n")
    (root / ".gitignore").write_text((root / ".gitignore").read_text() + "generated/\n")
    (root / "src/.gitignore").write_text("generated/*\n!generated/keep.ts\n")
    (root / "src/big.ts").write_text("export const x = 1;\n" * 200)
    ctx = WorkspaceContext(root, Settings(index=IndexSettings(exclude=["**/*.test.ts"], max_file_size_kb=2)))
    ctx.load()
    files = set(ctx.index.files)
    assert not any(f.startswith(("node_modules/", "dist/", "coverage/", "generated/")) for f in files)
    assert "src/generated/drop.ts" not in files
    assert "test/users.test.ts" not in files  # settings exclude
    assert "src/big.ts" not in files  # over maxFileSizeKb
    assert "src/app.ts" in files


def test_incremental_updates(tmp_path):
    ctx = load("express-zod-api", tmp_path)
    root = ctx.root
    before = len(ctx.index)
    new = root / "src/lib/slugify.ts"
    new.write_text("export function slugify(s: string): string {\n  return s;\n}\n")
    change = ctx.file_changed(new)
    assert change.kinds == {"sources"} and len(ctx.index) == before + 1
    assert [e.name for e in ctx.index.files["src/lib/slugify.ts"].exports] == ["slugify"]
    new.unlink()
    ctx.file_changed(new)
    assert len(ctx.index) == before and "src/lib/slugify.ts" not in ctx.index.files

    # an open document overrides disk, closing it goes back to disk
    app = root / "src/app.ts"
    ctx.set_overlay(app, "export const onlyInEditor = 1;\n")
    assert [e.name for e in ctx.index.files["src/app.ts"].exports] == ["onlyInEditor"]
    ctx.drop_overlay(app)
    assert "onlyInEditor" not in {e.name for e in ctx.index.files["src/app.ts"].exports}

    # package.json: broken → finding, fixed → cleared, and the fix is seen in the brief
    manifest = root / "package.json"
    good = manifest.read_text()
    manifest.write_text(good.replace('"zod"', '"zod" "x"', 1))
    change = ctx.file_changed(manifest)
    assert change.problem_files == {str(manifest)} and ctx.problems_by_file()[str(manifest)][0].code == "FA001"
    assert ctx.root_package is None
    fixed = json.loads(good)
    fixed["dependencies"]["pino"] = "^9.0.0"
    manifest.write_text(json.dumps(fixed))
    change = ctx.file_changed(manifest)
    assert change.problem_files == {str(manifest)} and ctx.problems == {}
    assert "pino" in ctx.brief().markdown

    # tsconfig base changes flow through the extends chain
    base = root / "tsconfig.base.json"
    base.write_text(base.read_text().replace('"ES2022"', '"ES2023"'))
    ctx.file_changed(base)
    assert ctx.nearest_tsconfig(app).option("target") == "ES2023"

    # files outside the folder, and files the context does not care about, change nothing
    assert not ctx.file_changed(tmp_path / "elsewhere.ts").kinds
    assert not ctx.file_changed(root / "README.md").kinds


def test_gitignore_change_reloads(tmp_path):
    ctx = load("express-zod-api", tmp_path)
    assert "src/app.ts" in ctx.index.files
    gitignore = ctx.root / ".gitignore"
    gitignore.write_text(gitignore.read_text() + "src/app.ts\n")
    ctx.file_changed(gitignore)
    assert "src/app.ts" not in ctx.index.files


@pytest.mark.parametrize("name", ["express-zod-api", "nextjs-app", "pnpm-monorepo", "fastapi-service"])
def test_fixture_workspaces_are_clean(name):
    ctx = load(name)
    assert ctx.problems == {}
    assert not [s.path for s in ctx.index.files.values() if s.has_errors]


def test_unreadable_manifest_is_a_finding_and_recovers(tmp_path, monkeypatch):
    ctx = load("express-zod-api", tmp_path)
    manifest = ctx.root / "package.json"
    real_read_text = Path.read_text

    def failing(self, *args, **kwargs):
        if self == manifest:
            raise PermissionError(13, "Permission denied")
        return real_read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", failing)
    change = ctx.file_changed(manifest)
    (finding,) = ctx.problems_by_file()[str(manifest)]
    assert finding.code == "FA003" and change.problem_files == {str(manifest)}
    assert ctx.root_package is None and "src/app.ts" in ctx.index.files
    monkeypatch.setattr(Path, "read_text", real_read_text)
    ctx.file_changed(manifest)
    assert ctx.problems == {} and ctx.root_package is not None


def test_a_tracked_file_is_never_ignored(tmp_path):
    """git ignores no tracked file: zod's packages/zod/.gitignore says `**/package.json` (for
    build output) and its own package.json is committed; ignoring it made the whole published
    package part of the private root package."""
    import subprocess

    (tmp_path / "package.json").write_text('{"name": "root", "private": true}')
    lib = tmp_path / "packages" / "lib"
    (lib / "src").mkdir(parents=True)
    (lib / ".gitignore").write_text("**/package.json\n")
    (lib / "package.json").write_text('{"name": "lib", "version": "1.0.0"}')
    (lib / "src" / "index.ts").write_text("export const a = 1;\n")
    (lib / "src" / "package.json").write_text('{"type": "module"}')  # generated, not tracked
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "add", "-f", "packages/lib/package.json"], check=True)
    ctx = WorkspaceContext(tmp_path)
    ctx.load()
    assert ctx.nearest_package(lib / "src" / "index.ts").name == "lib"
    assert lib / "src" / "package.json" not in ctx.packages  # ignored and untracked: still ignored


def test_the_python_warm_up_follows_its_settings(tmp_path):
    """The server's warm-up (context/pywarm) runs with the interpreter the server uses — passed to
    it, since the editor's settings are not the process's to read — and not at all when
    ``python.warm`` is off or nothing is cached."""
    from freeagent.engine import FolderEngine

    root = tmp_path / "ws"
    root.mkdir()
    (root / "app.py").write_text("import json\n")

    def command(layers, cache=True):
        engine = FolderEngine(root, layers=layers)
        engine.tune(jobs=2, cache_dir=tmp_path / "cache", cache=cache)
        engine.load()
        return engine.context.python_warm_command()

    argv = command([{"python": {"interpreter": "env2/bin/python"}}])
    assert argv is not None and argv[1:4] == ["-m", "freeagent.context.pywarm", str(root.resolve())]
    assert argv[argv.index("--interpreter") + 1] == "env2/bin/python"
    assert argv[argv.index("--cache-dir") + 1] == str(tmp_path / "cache")
    assert argv[argv.index("--jobs") + 1] == "2"
    assert command([{"python": {"warm": False}}]) is None
    assert command([], cache=False) is None
