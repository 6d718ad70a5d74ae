import json
from dataclasses import replace
from pathlib import Path

import pytest

from freeagent.context import WorkspaceContext
from freeagent.context.conventions import infer, name_case, vote
from freeagent.context.parsing import Parsers
from freeagent.edits import apply_edits
from freeagent.validate.runner import Validator


@pytest.mark.parametrize(
    "name, case",
    [
        ("getUser", "camelCase"),
        ("UserCard", "PascalCase"),
        ("HTTPError", "PascalCase"),
        ("get_user", "snake_case"),
        ("MAX_SIZE", "SCREAMING_SNAKE_CASE"),
        ("user-service", "kebab-case"),
        ("user", None),
        ("X", None),
        ("_private", None),
        ("$el", None),
        ("parseJSON", "camelCase"),
    ],
)
def test_name_case(name, case):
    assert name_case(name) == case


def test_vote_is_deterministic_and_carries_evidence():
    v = vote({"single": 3, "double": 3, "x": 0})
    assert v.value == "double" and v.evidence == {"double": 3, "single": 3} and v.share == 0.5
    assert vote({}) is None


def _files(sources):
    p = Parsers()
    return [p.summarize(path, lang, src.encode()) for path, lang, src in sources]


def test_infer_majorities_and_libraries():
    files = _files(
        [
            (
                "src/user-service.ts",
                "typescript",
                "import express from 'express';\nimport { z } from 'zod';\nexport function getUser() {\n  return fetch('/u');\n}\n",
            ),
            (
                "src/order-service.ts",
                "typescript",
                "import { x } from '../lib/x.js';\nimport y from '@/y';\nexport const listOrders = () => 1;\n",
            ),
            ("src/legacy.js", "javascript", 'const a = require("axios")\nmodule.exports = { a }\n'),
            ("test/user.test.ts", "typescript", "import { test } from 'vitest';\ntest('x', () => {});\n"),
        ]
    )
    c = infer(files, {"express", "zod", "vitest", "axios"}, ["@/"])["typescript"]
    assert c["quotes"].value == "single" and c["quotes"].evidence["double"] == 1
    assert c["semicolons"].value == "always"
    assert c["module_system"].value == "esm" and c["module_system"].evidence == {"esm": 3, "commonjs": 1}
    assert c["import_style"].evidence == {"alias": 1, "relative": 1}
    assert c["relative_import_extension"].value == ".js"
    assert c["naming.functions"].value == "camelCase"
    assert c["naming.files"].value == "kebab-case"
    assert c["http_framework"].value == "express"
    assert c["validation"].value == "zod"
    assert c["test_framework"].value == "vitest"
    # fetch (1 file) ties axios (1 file): tie breaks by name, evidence shows both
    assert c["http_client"].evidence == {"axios": 1, "fetch": 1}


def test_declared_but_unimported_library_still_counts_once():
    files = _files([("__tests__/a.test.tsx", "tsx", "describe('x', () => {})\n")])
    c = infer(files, {"jest"}, [])["typescript"]
    assert c["test_framework"].value == "jest" and c["test_framework"].total == 1


def test_python_family():
    files = _files(
        [
            (
                "app/main.py",
                "python",
                'from fastapi import FastAPI\nimport httpx\nfrom pydantic import BaseModel\n\ndef get_item():\n    return "x"\n',
            )
        ]
    )
    c = infer(files, {"fastapi"}, [])["python"]
    assert c["http_framework"].value == "fastapi" and c["http_client"].value == "httpx"
    assert c["validation"].value == "pydantic" and c["naming.functions"].value == "snake_case"
    assert c["quotes"].value == "double" and c["indent"].value == "4 spaces"


# ---------------------------------------------------------------------- FA401 judged, with its rename fix


CAMEL_FUNCTIONS = "".join(
    f"export function {name}() {{\n  return 1;\n}}\n"
    for name in (
        "parseInput",
        "formatOutput",
        "loadConfig",
        "saveConfig",
        "readFile",
        "writeFile",
        "listUsers",
        "getUserName",
        "deleteUser",
    )
)


def _workspace(root: Path, files: dict[str, str]) -> WorkspaceContext:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    ctx = WorkspaceContext(root)
    ctx.load()
    return ctx


def _naming(ctx: WorkspaceContext, rel: str):
    """FA401 findings with their rename fixes computed, as codeAction/resolve computes them."""
    validator = Validator(ctx)
    found = [f for f in validator.check_file(ctx.root / rel) if f.code == "FA401"]
    for f in found:  # a check leaves the rename to be computed when asked for
        assert all(fix.edits == () and fix.recipe for fix in f.fixes)
    return [
        replace(f, fixes=tuple(r for fix in f.fixes if (r := validator.resolve_fix(fix.recipe)) is not None))
        for f in found
    ]


def _applied(root: Path, fix) -> dict[str, str]:
    return {
        Path(file).relative_to(root).as_posix(): apply_edits((Path(file)).read_text(), edits)
        for file, edits in fix.edits
    }


USERS = (
    "// get_user_by_id looks a user up\n"
    "export function get_user_by_id(id: string) {\n"
    "  const cache = { get_user_by_id };\n"
    "  return `${id} get_user_by_id` + cache.get_user_by_id.name;\n"
    "}\n"
    "export const handlers = [get_user_by_id];\n"
)


def test_rename_fix_renames_the_declaration_and_its_importers(tmp_path):
    ctx = _workspace(
        tmp_path,
        {
            "package.json": '{"name": "w", "type": "module"}\n',
            "src/helpers.ts": CAMEL_FUNCTIONS,
            "src/users.ts": USERS,
            "src/routes.ts": (
                "import { get_user_by_id, handlers } from './users.js';\n"
                "\n"
                "export function route(id: string) {\n"
                "  return get_user_by_id(id) ?? handlers;\n"
                "}\n"
                "export const label = 'café → ' + get_user_by_id('1');\n"
            ),
            "src/aliased.ts": (
                "import { get_user_by_id as byId } from './users';\n"
                "\n"
                "const get_user_by_id = 'a local of the same name';\n"
                "export const one = byId(get_user_by_id);\n"
            ),
            "src/unrelated.ts": "const get_user_by_id = 1;\nexport const two = get_user_by_id;\n",
        },
    )
    (finding,) = _naming(ctx, "src/users.ts")
    assert finding.message.endswith("'getUserById'")
    (fix,) = finding.fixes
    assert fix.title == "Rename 'get_user_by_id' to 'getUserById'"
    assert _applied(tmp_path, fix) == {
        # the shorthand keeps its key; the property after a dot, the string and the comment stay
        "src/users.ts": (
            "// get_user_by_id looks a user up\n"
            "export function getUserById(id: string) {\n"
            "  const cache = { get_user_by_id: getUserById };\n"
            "  return `${id} get_user_by_id` + cache.get_user_by_id.name;\n"
            "}\n"
            "export const handlers = [getUserById];\n"
        ),
        "src/routes.ts": (
            "import { getUserById, handlers } from './users.js';\n"
            "\n"
            "export function route(id: string) {\n"
            "  return getUserById(id) ?? handlers;\n"
            "}\n"
            "export const label = 'café → ' + getUserById('1');\n"  # columns count characters, not bytes
        ),
        # with an alias only the imported name changes (the file's own get_user_by_id is another thing)
        "src/aliased.ts": (
            "import { getUserById as byId } from './users';\n"
            "\n"
            "const get_user_by_id = 'a local of the same name';\n"
            "export const one = byId(get_user_by_id);\n"
        ),
    }
    assert fix.edits[0][0] == str(tmp_path / "src/users.ts")


def test_rename_follows_a_barrel_and_export_star(tmp_path):
    ctx = _workspace(
        tmp_path,
        {
            "src/helpers.ts": CAMEL_FUNCTIONS,
            "src/users.ts": "export function get_user_by_id() {\n  return 1;\n}\n",
            "src/index.ts": "export { get_user_by_id } from './users';\n",
            "src/all.ts": "export * from './users';\n",
            "app/main.ts": "import { get_user_by_id } from '../src';\nimport { get_user_by_id as g } from '../src/all';\nget_user_by_id(g);\n",
        },
    )
    (fix,) = _naming(ctx, "src/users.ts")[0].fixes
    changed = _applied(tmp_path, fix)
    assert changed["src/index.ts"] == "export { getUserById } from './users';\n"
    assert "src/all.ts" not in changed  # export * passes the new name through untouched
    assert changed["app/main.ts"] == (
        "import { getUserById } from '../src';\nimport { getUserById as g } from '../src/all';\ngetUserById(g);\n"
    )


@pytest.mark.parametrize(
    "users, importer",
    [
        pytest.param(USERS + "const getUserById = 2;\n", None, id="new-name-declared-in-the-file"),
        pytest.param(
            USERS, "import { get_user_by_id } from './users';\nconst getUserById = 3;\n", id="new-name-in-an-importer"
        ),
        pytest.param(USERS, "import * as users from './users';\nusers.get_user_by_id('1');\n", id="namespace-import"),
        pytest.param(USERS, "const users = require('./users');\n", id="require"),
        pytest.param("export default function get_user_by_id() {\n  return 1;\n}\n", None, id="default-export-only"),
        pytest.param(
            "function get_user_by_id() {\n  return 1;\n}\nexport default get_user_by_id;\n",
            None,
            id="default-export-of-a-local",
        ),
    ],
)
def test_no_rename_fix_when_it_cannot_be_done_safely(tmp_path, users, importer):
    files = {"src/helpers.ts": CAMEL_FUNCTIONS, "src/users.ts": users}
    if importer is not None:
        files["src/importer.ts"] = importer
    ctx = _workspace(tmp_path, files)
    (finding,) = _naming(ctx, "src/users.ts")
    assert finding.fixes == ()


def test_a_type_renamed_to_pascal_case(tmp_path):
    types = "".join(
        f"export interface {n} {{\n  id: string;\n}}\n"
        for n in (
            "UserCard",
            "OrderLine",
            "ServerOptions",
            "ClientOptions",
            "RouteInfo",
            "TaskItem",
            "TaskList",
            "CommentItem",
            "ApiError",
        )
    )
    ctx = _workspace(
        tmp_path,
        {
            "src/types.ts": types,
            "src/config.ts": "export type acceptsConfig = { strict: boolean };\nexport const x: acceptsConfig[] = [];\n",
            "src/use.ts": "import type { acceptsConfig } from './config';\nlet c: acceptsConfig | null = null;\n",
        },
    )
    (finding,) = _naming(ctx, "src/config.ts")
    assert "'acceptsConfig' is camelCase; this project names types in PascalCase" in finding.message
    assert _applied(tmp_path, finding.fixes[0]) == {
        "src/config.ts": "export type AcceptsConfig = { strict: boolean };\nexport const x: AcceptsConfig[] = [];\n",
        "src/use.ts": "import type { AcceptsConfig } from './config';\nlet c: AcceptsConfig | null = null;\n",
    }


def test_python_rename_in_the_module_and_its_importers(tmp_path):
    helpers = "".join(
        f"def {n}():\n    return 1\n\n\n"
        for n in (
            "parse_input",
            "format_output",
            "load_config",
            "save_config",
            "read_file",
            "write_file",
            "list_users",
            "get_user_name",
            "delete_user",
        )
    )
    ctx = _workspace(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/helpers.py": helpers,
            "app/users.py": (
                '__all__ = ["getUser"]\n\n\n'
                "class Repo:\n    def getUser(self):\n        return self.getUser\n\n\n"
                'def getUser(user_id, getUser_hint=None):\n    """getUser in a docstring"""\n'
                "    return dict(getUser=user_id, f=getUser)\n"
            ),
            "app/routes.py": "from .users import getUser\n\n\ndef route():\n    return getUser(1)\n",
            "app/main.py": "from app.users import getUser as fetch_user\n\nfetch_user(2)\n",
        },
    )
    (finding,) = _naming(ctx, "app/users.py")
    assert finding.message.endswith("'get_user'")
    assert _applied(tmp_path, finding.fixes[0]) == {
        # the method, the attribute and the keyword argument are other names; the docstring is text
        "app/users.py": (
            '__all__ = ["get_user"]\n\n\n'
            "class Repo:\n    def getUser(self):\n        return self.getUser\n\n\n"
            'def get_user(user_id, getUser_hint=None):\n    """getUser in a docstring"""\n'
            "    return dict(getUser=user_id, f=get_user)\n"
        ),
        "app/routes.py": "from .users import get_user\n\n\ndef route():\n    return get_user(1)\n",
        "app/main.py": "from app.users import get_user as fetch_user\n\nfetch_user(2)\n",
    }


def test_python_module_imported_whole_gets_no_fix(tmp_path):
    helpers = "".join(
        f"def {n}():\n    return 1\n\n\n"
        for n in (
            "parse_input",
            "format_output",
            "load_config",
            "save_config",
            "read_file",
            "write_file",
            "list_users",
            "get_user_name",
            "delete_user",
        )
    )
    ctx = _workspace(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/helpers.py": helpers,
            "app/users.py": "def getUser():\n    return 1\n",
            "app/main.py": "from app import users\n\nusers.getUser()\n",
        },
    )
    (finding,) = _naming(ctx, "app/users.py")
    assert finding.fixes == ()


# ---------------------------------------------------------------------- JSX components in .ts files

COMPONENT = (
    "export const Fragment = (props: { children?: unknown }) => props.children;\n"
    "export function ErrorBoundary() {\n  return null;\n}\n"
)


@pytest.mark.parametrize(
    "extra, exempt",
    [
        pytest.param(
            {"tsconfig.json": json.dumps({"compilerOptions": {"jsx": "react-jsx", "jsxImportSource": "hono/jsx"}})},
            True,
            id="tsconfig-jsx",
        ),
        pytest.param(
            {"tsconfig.json": json.dumps({"compilerOptions": {"jsxImportSource": "preact"}})},
            True,
            id="tsconfig-jsxImportSource",
        ),
        pytest.param({"src/view.tsx": "export const view = () => <div />;\n"}, True, id="workspace-has-tsx"),
        pytest.param({"tsconfig.json": json.dumps({"compilerOptions": {"strict": True}})}, False, id="no-jsx-anywhere"),
    ],
)
def test_pascal_case_functions_are_components_when_the_project_uses_jsx(tmp_path, extra, exempt):
    ctx = _workspace(tmp_path, {"src/helpers.ts": CAMEL_FUNCTIONS, "src/jsx/base.ts": COMPONENT, **extra})
    found = _naming(ctx, "src/jsx/base.ts")
    if exempt:
        assert found == []
    else:
        assert sorted(f.message.split("'")[1] for f in found) == ["ErrorBoundary", "Fragment"]


# ---------------------------------------------------------------------- names in no case style


@pytest.mark.parametrize(
    "name, none",
    [
        ("Parse_Date", True),
        ("get_User", True),
        ("parse_Date", True),
        ("Get_UserById", True),
        ("parse_date", False),  # snake_case: a style (drift only against a clear camelCase majority)
        ("PARSE_DATE", False),
        ("parseDate", False),
        ("parse", False),  # one word: ambiguous, not styleless
        ("__init__", False),
        ("legacy_decodeFromBackend", False),  # a qualifier on a camelCase name (excalidraw)
        ("getBindingStrategy_complex", False),
        ("LibraryItems_v1", False),
        ("__test__defineOrigId", False),
        ("DRIVER_INTEL_i965", False),  # SCREAMING with the driver's own lower-case name (frigate)
    ],
)
def test_fits_no_style(name, none):
    from freeagent.validate.conventions import fits_no_style

    assert fits_no_style(name) is none


def test_a_name_in_no_style_is_drift_with_less_evidence(tmp_path):
    four = "".join(
        f"export function {n}() {{\n  return 1;\n}}\n" for n in ("parseInput", "loadConfig", "readFile", "saveFile")
    )
    styleless = "export function Parse_Date() {\n  return 1;\n}\nexport function parse_date() {\n  return 2;\n}\n"
    ctx = _workspace(
        tmp_path,
        {"src/a.ts": four, "src/dates.ts": styleless, "test/dates.test.ts": "export function check_Parse_Date() {}\n"},
    )
    found = _naming(ctx, "src/dates.ts")
    # 4 of 5 camelCase functions is a clear majority: enough for `Parse_Date`, not for the
    # snake_case `parse_date`, which needs MIN_NAMES (8) of evidence
    assert [f.message.split("'")[1] for f in found] == ["Parse_Date"]
    assert "fits no case style" in found[0].message and "'parseDate'" in found[0].message
    assert _naming(ctx, "test/dates.test.ts") == []  # pytest-style names in a test file


def test_a_scheme_of_names_in_no_style_is_the_projects_own(tmp_path):
    """Flowise names its node classes `<Node>_<Category>` (294 of 510 there): three names of one
    shape make a scheme, not drift; a lone `Parse_Date` among them still is."""
    pascal = "".join(f"export class {n} {{}}\n" for n in ("Toolbar", "Footer", "Sidebar", "Canvas", "Panel"))
    nodes = "".join(
        f"export class {n} {{}}\n" for n in ("ChatOpenAI_ChatModels", "Pinecone_VectorStores", "OpenAI_LLMs")
    )
    ctx = _workspace(
        tmp_path,
        {
            "src/ui.ts": pascal,
            "src/nodes.ts": nodes,
            "src/dates.ts": "export function Parse_Date() {}\n" + CAMEL_FUNCTIONS,
        },
    )
    assert _naming(ctx, "src/nodes.ts") == []
    assert [f.message.split("'")[1] for f in _naming(ctx, "src/dates.ts")] == ["Parse_Date"]
