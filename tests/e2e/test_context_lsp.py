"""The language server's context features, end to end, through pytest-lsp and the real process."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.helpers import EXAMPLE, TOOLCHAIN, copy_fixture

from .conftest import SERVER, folder, open_document, wait_until

BRIEF = "freeagent/projectBrief"


@attrs.define
class BriefResponse:
    """Keeps the custom request's result as plain JSON (pygls would make namedtuples)."""

    id: int | str
    result: dict[str, Any]
    jsonrpc: str = "2.0"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):
    lsp_client.registrations = []
    default_result_type = lsp_client.protocol.get_result_type
    lsp_client.protocol.get_result_type = lambda m: BriefResponse if m == BRIEF else default_result_type(m)

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def on_register(params: types.RegistrationParams):
        lsp_client.registrations.extend(params.registrations)

    yield lsp_client
    await lsp_client.shutdown_session()


async def start(client: LanguageClient, roots: list[Path], editor="visual-studio-code", options=None):
    caps = client_capabilities(editor)
    return await client.initialize_session(
        types.InitializeParams(
            capabilities=caps,
            workspace_folders=[folder(r) for r in roots],
            initialization_options=options,
        )
    )


async def brief(client: LanguageClient, root: Path) -> dict:
    return await client.protocol.send_request_async(BRIEF, {"uri": root.as_uri()})


def dependencies(data: dict, path: str = "package.json") -> dict:
    return next(p for p in data["packages"] if p["path"] == path).get("dependencies", {})


async def test_initialize_capabilities_and_brief(client, tmp_path):
    root = copy_fixture("express-zod-api", tmp_path)
    result = await start(client, [root])
    sync = result.capabilities.text_document_sync
    assert sync.change == types.TextDocumentSyncKind.Incremental and sync.open_close
    response = await brief(client, root)
    assert response["uri"] == root.as_uri() and response["markdown"].startswith("# Project brief")
    data = response["data"]
    assert dependencies(data) == {"express": "^4.19.2", "zod": "^3.23.8"}
    tsconfig = next(t for t in data["tsconfigs"] if t["path"] == "tsconfig.json")
    assert tsconfig["extends"] == ["tsconfig.base.json"]
    assert tsconfig["effective"]["moduleResolution"] == "nodenext"
    assert data["conventions"]["typescript"]["quotes"]["value"] == "single"
    # indexing reported progress and logged to the client's output
    assert any(m.message.startswith("indexed ") for m in client.log_messages)
    kinds = [type(v).__name__ for values in client.progress_reports.values() for v in values]
    assert kinds[0] == "WorkDoneProgressBegin" and kinds[-1] == "WorkDoneProgressEnd"


def _brief_deps(client, root):
    async def get():
        return dependencies((await brief(client, root))["data"])

    return get


async def test_package_json_change_via_watched_files_notification(client, tmp_path):
    root = copy_fixture("express-zod-api", tmp_path)
    await start(client, [root])
    await brief(client, root)
    registered = [r for r in client.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    assert registered, "the server registers file watchers when the client supports it"
    globs = [w["globPattern"] for w in registered[0].register_options["watchers"]]
    assert "**/package.json" in globs and any("tsconfig" in g for g in globs)

    manifest = root / "package.json"
    data = json.loads(manifest.read_text())
    data["dependencies"]["pino"] = "^9.0.0"
    manifest.write_text(json.dumps(data, indent=2))
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=manifest.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    deps = _brief_deps(client, root)
    assert "pino" in await deps()


async def test_package_json_change_on_disk_with_server_watcher(client, tmp_path):
    root = copy_fixture("express-zod-api", tmp_path)
    # Neovim 0.9 cannot watch files dynamically: the server must watch by itself.
    await start(client, [root], editor="neovim@v0.9.1")
    await brief(client, root)
    assert not client.registrations
    await wait_until(lambda: any("server's own watcher" in m.message for m in client.log_messages))
    manifest = root / "package.json"
    data = json.loads(manifest.read_text())
    data["dependencies"]["pino"] = "^9.0.0"
    manifest.write_text(json.dumps(data, indent=2))
    latest = {}

    async def poll():
        latest["deps"] = dependencies((await brief(client, root))["data"])
        return "pino" in latest["deps"]

    for _ in range(200):
        if await poll():
            break
        await __import__("asyncio").sleep(0.05)
    assert "pino" in latest["deps"]


def cleared(client: LanguageClient, uri: str) -> bool:
    """An empty diagnostics list was published for ``uri`` (not merely never published)."""
    return uri in client.diagnostics and len(client.diagnostics[uri]) == 0


async def test_broken_configs_are_diagnostics_and_fixing_clears_them(client, tmp_path):
    root = copy_fixture("broken-config", tmp_path)
    await start(client, [root])
    tsconfig = root / "tsconfig.json"
    bad_manifest = root / "packages/bad-manifest/package.json"
    await wait_until(
        lambda: client.diagnostics.get(tsconfig.as_uri()) and client.diagnostics.get(bad_manifest.as_uri())
    )
    (ts_diag,) = client.diagnostics[tsconfig.as_uri()]
    assert ts_diag.code == "FA002" and ts_diag.severity == types.DiagnosticSeverity.Error
    assert ts_diag.source == "freeagent"
    (pkg_diag,) = client.diagnostics[bad_manifest.as_uri()]
    assert pkg_diag.code == "FA001"
    # the rest of the context keeps working: the valid root package.json is in the brief
    data = (await brief(client, root))["data"]
    assert any(p["path"] == "package.json" for p in data["packages"])
    assert {p["code"] for p in data["problems"]} == {"FA001", "FA002"}

    tsconfig.write_text('{\n  "compilerOptions": {\n    "strict": true,\n    "module": "NodeNext"\n  }\n}\n')
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=tsconfig.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    await wait_until(lambda: cleared(client, tsconfig.as_uri()))
    assert client.diagnostics[bad_manifest.as_uri()], "the other file's diagnostic stays"


async def test_open_document_text_overrides_disk(client, tmp_path):
    root = copy_fixture("express-zod-api", tmp_path)
    await start(client, [root])
    await brief(client, root)
    manifest = root / "package.json"
    on_disk = manifest.read_text()
    edited = json.loads(on_disk)
    edited["dependencies"]["dayjs"] = "^1.11.0"
    text = json.dumps(edited, indent=2)
    uri = manifest.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="json", version=1, text=text)
        )
    )
    assert "dayjs" in dependencies((await brief(client, root))["data"]) or await wait_until_async(
        client, root, lambda d: "dayjs" in d
    )
    assert manifest.read_text() == on_disk

    # typing a syntax error: a diagnostic for that document version
    broken = text.replace('"dayjs"', '"dayjs" "oops"', 1)
    end_line = len(text.splitlines())
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=broken)],
        )
    )
    await wait_until(lambda: client.diagnostics.get(uri))
    assert client.diagnostics[uri][0].code == "FA001"

    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    await wait_until(lambda: cleared(client, uri))
    assert "dayjs" not in dependencies((await brief(client, root))["data"])
    del end_line


async def wait_until_async(client, root, predicate, timeout=10.0):
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if predicate(dependencies((await brief(client, root))["data"])):
            return True
        await asyncio.sleep(0.05)
    return False


async def test_configuration_from_client_and_bad_values(client, tmp_path):
    root = copy_fixture("express-zod-api", tmp_path)
    client.set_configuration({"index": {"exclude": ["src/routes/**"]}, "logLevel": "verbose"}, section="freeagent")
    await start(client, [root], options={"changeDebounceMs": 10})
    data = (await brief(client, root))["data"]
    files = {f["path"] for f in data["representative_files"]}
    assert data["index"]["files"] == 9  # 11 sources minus the two route files
    assert not any(f.startswith("src/routes/") for f in files)
    await wait_until(lambda: client.messages)
    assert any("freeagent.logLevel" in m.message for m in client.messages)

    client.set_configuration({"index": {"exclude": []}}, section="freeagent")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))

    async def count():
        return (await brief(client, root))["data"]["index"]["files"]

    for _ in range(100):
        if await count() == 11:
            break
        import asyncio

        await asyncio.sleep(0.05)
    assert await count() == 11


async def test_multi_root_one_context_per_folder(client, tmp_path):
    api = copy_fixture("express-zod-api", tmp_path)
    web = copy_fixture("nextjs-app", tmp_path)
    await start(client, [api])
    client.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(event=types.WorkspaceFoldersChangeEvent(added=[folder(web)], removed=[]))
    )
    api_brief = (await brief(client, api))["data"]
    web_brief = (await brief(client, web / "src/app/page.tsx"))["data"]
    assert "express" in dependencies(api_brief)
    assert "next" in dependencies(web_brief) and "express" not in dependencies(web_brief)
    assert web_brief["conventions"]["typescript"]["semicolons"]["value"] == "never"
    assert api_brief["conventions"]["typescript"]["semicolons"]["value"] == "always"


async def test_brief_for_uri_outside_any_folder_is_an_error(client, tmp_path):
    root = copy_fixture("express-zod-api", tmp_path)
    await start(client, [root])
    with pytest.raises(Exception, match="no workspace folder"):
        await client.protocol.send_request_async(BRIEF, {"uri": (tmp_path / "elsewhere.ts").as_uri()})


assert sys.version_info >= (3, 11)


async def test_import_diagnostics_on_open_and_cleared_when_the_dependency_is_added(client, tmp_path):
    root = copy_fixture("express-zod-api", tmp_path)
    await start(client, [root])
    source = root / "src" / "probe.ts"
    text = "import dayjs from 'dayjs';\nexport const now = dayjs();\n"
    uri = open_document(client, source, text)
    await wait_until(lambda: client.diagnostics.get(uri))
    (diagnostic,) = client.diagnostics[uri]
    assert diagnostic.code == "FA101" and diagnostic.severity == types.DiagnosticSeverity.Error
    assert (diagnostic.range.start.line, diagnostic.range.start.character) == (0, 18)
    manifest = root / "package.json"
    data = json.loads(manifest.read_text())
    data["dependencies"]["dayjs"] = "^1.11.0"
    manifest.write_text(json.dumps(data, indent=2))
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=manifest.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    await wait_until(lambda: cleared(client, uri))


async def test_quick_fixes_add_dependency_and_fix_the_import_path(client, tmp_path):
    from freeagent.edits import TextEdit, apply_edits

    root = copy_fixture("express-zod-api", tmp_path)
    installed = root / "node_modules" / "chalk"
    installed.mkdir(parents=True)
    (installed / "package.json").write_text(json.dumps({"name": "chalk", "version": "5.3.0"}))
    await start(client, [root])
    source = root / "src" / "probe.ts"
    text = "import chalk from 'chalk';\nimport { config } from './confg.js';\nexport const c = [chalk, config];\n"
    uri = open_document(client, source, text)
    await wait_until(lambda: len(client.diagnostics.get(uri, [])) == 2)
    diagnostics = sorted(client.diagnostics[uri], key=lambda d: d.range.start.line)
    assert [d.code for d in diagnostics] == ["FA101", "FA104"]

    def apply(action, path):
        (edits,) = [e for u, e in action.edit.changes.items() if u == path.as_uri()]
        return apply_edits(
            path.read_text(),
            [
                TextEdit(
                    e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character, e.new_text
                )
                for e in edits
            ],
        )

    for diagnostic, check in ((diagnostics[0], "manifest"), (diagnostics[1], "path")):
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=diagnostic.range,
                context=types.CodeActionContext(diagnostics=[diagnostic], only=[types.CodeActionKind.QuickFix]),
            )
        )
        (action,) = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
        if check == "manifest":
            assert action.title == "Add chalk@^5.3.0 to dependencies in package.json"
            manifest = json.loads(apply(action, root / "package.json"))
            assert manifest["dependencies"]["chalk"] == "^5.3.0"
        else:
            assert action.title == "Change to './config.js'"
            assert "from './config.js'" in apply(action, source)


async def test_pull_diagnostics_when_the_client_asks_for_them(client, tmp_path):
    root = copy_fixture("express-zod-api", tmp_path)
    caps = client_capabilities("visual-studio-code")
    caps.text_document.diagnostic = types.DiagnosticClientCapabilities(dynamic_registration=False)
    await client.initialize_session(types.InitializeParams(capabilities=caps, workspace_folders=[folder(root)]))
    source = root / "src" / "probe.ts"
    text = "import _ from 'lodash';\n"
    uri = open_document(client, source, text)
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert [d.code for d in report.items] == ["FA101"]
    workspace = await client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[]))
    assert any(item.uri == uri and item.items for item in workspace.items)
    assert uri not in client.diagnostics, "pull mode: nothing is pushed"


async def test_type_check_on_save_when_enabled(client, tmp_path):
    root = copy_fixture(EXAMPLE, tmp_path)
    (root / "node_modules").symlink_to(TOOLCHAIN)
    client.set_configuration({"typecheckOnSave": True}, section="freeagent")
    await start(client, [root])
    source = root / "src" / "probe.ts"
    text = "export const n: number = 'x';\n"
    uri = open_document(client, source, text)
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    await wait_until(lambda: any(d.code == "FA501" for d in client.diagnostics.get(uri, [])), timeout=60)
    fixed = "export const n: number = 1;\n"
    source.write_text(fixed)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    await wait_until(lambda: cleared(client, uri))  # stale type errors go with the edit
    assert not [p for p in root.rglob("*freeagent-*")]


async def test_diagnostics_are_never_published_for_an_older_version(client, tmp_path):
    """A document edited while something else re-validates it (here: package.json changing on
    disk, during the edit's debounce, so the document's findings change): every publishDiagnostics must describe the very text of
    the version it names (each version imports a missing package of its own), and the last one
    the final text."""
    root = copy_fixture("express-zod-api", tmp_path)
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            workspace_folders=[folder(root)],
            initialization_options={"changeDebounceMs": 60},
        )
    )
    published: list[tuple[int | None, list[str]]] = []
    features = client.protocol.fm.features
    original = features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def recording(params: types.PublishDiagnosticsParams):
        if params.uri == uri:
            published.append(
                (
                    params.version,
                    sorted(
                        d.message.split("'")[1]
                        for d in params.diagnostics
                        if d.code == "FA101" and "missing-pkg" in d.message
                    ),
                )
            )
        return original(params)

    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = recording
    source = root / "src" / "probe.ts"
    manifest = root / "package.json"

    def text(version: int) -> str:
        return f"import x from 'missing-pkg-{version}';\nimport dayjs from 'dayjs';\nexport const y = [x, dayjs];\n"

    uri = open_document(client, source, text(1))
    await wait_until(lambda: published)
    final = 12
    for version in range(2, final + 1):
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text(version))],
            )
        )
        data = json.loads(manifest.read_text())
        if version % 2:  # dayjs declared, then not: the re-validation's findings change each time
            data["dependencies"]["dayjs"] = "^1.11.0"
        else:
            data["dependencies"].pop("dayjs", None)
        manifest.write_text(json.dumps(data, indent=2))
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=manifest.as_uri(), type=types.FileChangeType.Changed)]
            )
        )
        await asyncio.sleep(0.03)  # the manifest's re-validation lands inside the edit's debounce
    await wait_until(lambda: published and published[-1][0] == final)
    assert published[-1] == (final, [f"missing-pkg-{final}"])
    for version, packages in published:
        assert packages == [f"missing-pkg-{version}"], f"version {version} published with {packages}"


async def test_configuration_change_right_after_initialized_is_harmless(client, tmp_path):
    """VS Code sends didChangeConfiguration as soon as it has sent `initialized`, while the server
    is still asking for the settings: no error, and the settings still arrive."""
    root = copy_fixture("express-zod-api", tmp_path)
    await start(client, [root])
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"freeagent": {}}))
    assert (await brief(client, root))["data"]  # a round trip: the notification has been handled
    errors = [m.message for m in client.messages if m.type == types.MessageType.Error]
    errors += [m.message for m in client.log_messages if m.type == types.MessageType.Error]
    assert errors == []


async def test_a_rename_fix_is_computed_on_resolve_not_with_the_diagnostics(client, tmp_path):
    """FA401's rename reads every importer, so a check only names it; codeAction/resolve then
    computes the edits — in the declaring file and in the file that imports the name."""
    root = tmp_path / "w"
    (root / "src").mkdir(parents=True)
    (root / "package.json").write_text('{"name": "w", "private": true, "type": "module"}\n')
    functions = "".join(
        f"export function {name}() {{\n  return 1;\n}}\n"
        for name in ("parseInput", "formatOutput", "loadConfig", "saveConfig", "readFile", "writeFile", "listUsers")
    )
    (root / "src" / "helpers.ts").write_text(functions)
    (root / "src" / "uses.ts").write_text("import { get_user } from './users.js';\nexport const u = get_user();\n")
    users = root / "src" / "users.ts"
    text = "export function get_user() {\n  return 1;\n}\n"
    users.write_text(text)
    await start(client, [root])
    uri = open_document(client, users, text)
    await wait_until(lambda: any(d.code == "FA401" for d in client.diagnostics.get(uri, [])))
    (diagnostic,) = [d for d in client.diagnostics[uri] if d.code == "FA401"]
    assert diagnostic.data and all("recipe" in f and not f["edits"] for f in diagnostic.data["fixes"])
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic], only=[types.CodeActionKind.QuickFix]),
        )
    )
    (action,) = [a for a in actions if a.title == "Rename 'get_user' to 'getUser'"]
    assert action.edit is None  # nothing computed for the list
    resolved = await client.code_action_resolve_async(action)
    assert resolved.edit is not None and resolved.edit.changes is not None
    changed = {
        Path(u.removeprefix("file://")).name: [e.new_text for e in edits] for u, edits in resolved.edit.changes.items()
    }
    assert changed == {"users.ts": ["getUser"], "uses.ts": ["getUser", "getUser"]}


async def test_a_new_python_interpreter_setting_takes_in_a_running_server(client, tmp_path):
    """The Python environment is found again when python.interpreter changes (it was cached and
    not keyed by the setting): the open file's findings follow the new environment."""
    import sys

    root = tmp_path / "svc"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "svc"\nversion = "0.1"\ndependencies = ["httpx"]\n')
    client.set_configuration(
        {"python": {"interpreter": str(tmp_path / "nowhere" / "bin" / "python")}}, section="freeagent"
    )
    await start(client, [root])
    text = "import os\n\nimport httpx\n\nclient = httpx.Client(retries=3)\nos.path.joinn('a')\n"
    uri = open_document(client, root / "app.py", text)
    # no environment: the standard library is judged (FA204), nothing installed is (httpx's keywords)
    await wait_until(lambda: "FA204" in {d.code for d in client.diagnostics.get(uri, [])}, timeout=60)
    assert "FA205" not in {d.code for d in client.diagnostics[uri]}
    client.set_configuration({"python": {"interpreter": sys.executable}}, section="freeagent")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await wait_until(lambda: "FA205" in {d.code for d in client.diagnostics.get(uri, [])}, timeout=60)
    (finding,) = [d for d in client.diagnostics[uri] if d.code == "FA205"]
    assert "takes no keyword argument 'retries'" in finding.message


async def test_the_server_asks_python_questions_ahead_so_a_first_open_finds_the_answers(client, tmp_path):
    """After the workspace loads, the server asks jedi — in a process of its own, under a progress —
    what every Python file uses of installed modules, and leaves the answers on disk: asked before
    any file is opened (a first open took 3-5 s on a cold cache), and what an open file is then
    judged from. ``textwrap.TextWrapper``'s keywords are asked by no other test of the session."""
    import json
    import os
    import sys

    root = tmp_path / "svc"
    (root / "app").mkdir(parents=True)
    (root / ".venv").symlink_to(Path(sys.prefix))
    (root / "pyproject.toml").write_text('[project]\nname = "svc"\nversion = "0.1"\n')
    text = "import textwrap\n\nwrapper = textwrap.TextWrapper(widht=30)\n"
    (root / "app" / "wrap.py").write_text(text)
    await start(client, [root])
    title = "Free Agent: reading installed Python packages"

    def warmed():
        for reports in client.progress_reports.values():
            if (
                reports
                and getattr(reports[0], "title", "") == title
                and isinstance(reports[-1], types.WorkDoneProgressEnd)
            ):
                return reports[-1]
        return None

    end = await wait_until(warmed, timeout=120)
    assert end.message.startswith("warmed 1 files"), end.message
    answers = {}
    for file in (Path(os.environ["XDG_CACHE_HOME"]) / "freeagent" / "index" / "pynames").glob("*.json"):
        answers.update(json.loads(file.read_text()))
    (key,) = [k for k in answers if k.endswith("|textwrap|call:textwrap.TextWrapper")]
    assert "width" in answers[key]["keywords"]  # asked with no file open: the warm-up's answer
    uri = open_document(client, root / "app" / "wrap.py", text, language="python")
    await wait_until(lambda: "FA205" in {d.code for d in client.diagnostics.get(uri, [])}, timeout=30)
