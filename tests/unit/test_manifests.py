from pathlib import Path

import pytest

from freeagent.context.manifests import (
    is_node_builtin,
    parse_package_json,
    parse_pnpm_workspace,
    parse_pyproject,
    parse_requirements,
)
from freeagent.findings import Severity

P = Path("/ws/package.json")


def test_package_json_groups_type_and_maps():
    text = """{
      "name": "api", "type": "module",
      "dependencies": {"express": "^4.19.2"},
      "devDependencies": {"typescript": "^5.5.0"},
      "peerDependencies": {"react": ">=18"},
      "optionalDependencies": {"fsevents": "*"},
      "exports": {".": "./dist/index.js", "./utils": "./dist/utils.js"},
      "imports": {"#config": "./src/config.ts"},
      "workspaces": ["packages/*"]
    }"""
    manifest, findings = parse_package_json(P, text)
    assert findings == []
    assert manifest.name == "api" and manifest.type == "module" and manifest.type_declared
    assert manifest.declared("express") == "dependencies"
    assert manifest.declared("typescript") == "devDependencies"
    assert manifest.declared("react") == "peerDependencies"
    assert manifest.declared("fsevents") == "optionalDependencies"
    assert manifest.declared("lodash") is None
    assert manifest.exports["./utils"] == "./dist/utils.js"
    assert manifest.imports == {"#config": "./src/config.ts"}
    assert manifest.workspaces == ["packages/*"]


def test_package_json_without_type_is_commonjs_and_yarn_workspaces_object():
    manifest, _ = parse_package_json(P, '{"workspaces": {"packages": ["apps/*"], "nohoist": []}}')
    assert manifest.type == "commonjs" and not manifest.type_declared
    assert manifest.workspaces == ["apps/*"]


@pytest.mark.parametrize(
    "text, line, column",
    [
        pytest.param('{\n  "name": "x",\n  "version": "1.0.0",\n}', 4, 1, id="trailing-comma"),
        pytest.param('{\n  "name": "x"\n  "version": "1"\n}', 3, 3, id="missing-comma"),
        pytest.param('{"name": ', 1, 10, id="truncated"),
        pytest.param("[1, 2]", 1, 1, id="not-an-object"),
    ],
)
def test_malformed_package_json_is_a_finding_with_position(text, line, column):
    manifest, findings = parse_package_json(P, text)
    assert manifest is None
    (finding,) = findings
    assert finding.severity is Severity.ERROR and finding.code == "FA001"
    assert (finding.range.line + 1, finding.range.character + 1) == (line, column)
    assert finding.file == str(P)


def test_pnpm_workspace_and_its_errors():
    globs, findings = parse_pnpm_workspace(
        Path("/ws/pnpm-workspace.yaml"), "packages:\n  - 'packages/*'\n  - '!**/test/**'\n"
    )
    assert globs == ["packages/*", "!**/test/**"] and findings == []
    globs, findings = parse_pnpm_workspace(Path("/ws/pnpm-workspace.yaml"), "packages:\n  - [oops\n")
    assert globs == [] and findings[0].code == "FA006"


@pytest.mark.parametrize(
    "specifier, builtin",
    [
        ("fs", True),
        ("node:fs", True),
        ("fs/promises", True),
        ("node:fs/promises", True),
        ("node:test", True),
        ("test", False),
        ("node:sqlite", True),
        ("express", False),
        ("path/posix", True),
        ("node:nope", False),
    ],
)
def test_node_builtins(specifier, builtin):
    assert is_node_builtin(specifier) is builtin


def test_pyproject_pep621_with_extras_and_groups():
    text = """
[project]
name = "svc"
requires-python = ">=3.11"
dependencies = ["FastAPI>=0.110", "PyYAML>=6", "uvicorn[standard]>=0.29 ; python_version >= '3.11'"]
[project.optional-dependencies]
dev = ["pytest>=8"]
[dependency-groups]
lint = ["ruff"]
"""
    manifest, findings = parse_pyproject(Path("/ws/pyproject.toml"), text)
    assert findings == []
    assert manifest.kind == "pep621" and manifest.name == "svc" and manifest.requires_python == ">=3.11"
    by_name = {d.name: d for d in manifest.dependencies}
    assert by_name["fastapi"].group == "main" and by_name["fastapi"].specifier == ">=0.110"
    assert by_name["pyyaml"].group == "main"  # canonical distribution names
    assert "python_version" in by_name["uvicorn"].marker
    assert by_name["pytest"].group == "dev"
    assert by_name["ruff"].group == "lint"


def test_pyproject_poetry():
    text = """
[tool.poetry]
name = "legacy"
[tool.poetry.dependencies]
python = "^3.11"
requests = "^2.31"
pydantic = {version = "^2.6", extras = ["email"]}
[tool.poetry.group.test.dependencies]
pytest = "^8"
[tool.poetry.dev-dependencies]
black = "*"
"""
    manifest, _ = parse_pyproject(Path("/ws/pyproject.toml"), text)
    assert manifest.kind == "poetry" and manifest.requires_python == "^3.11"
    groups = {d.name: (d.group, d.specifier) for d in manifest.dependencies}
    assert groups == {
        "requests": ("main", "^2.31"),
        "pydantic": ("main", "^2.6"),
        "black": ("dev", "*"),
        "pytest": ("test", "^8"),
    }


def test_pyproject_tool_config_only_declares_nothing_and_bad_toml_is_a_finding():
    manifest, findings = parse_pyproject(Path("/ws/pyproject.toml"), "[tool.ruff]\nline-length = 100\n")
    assert manifest is None and findings == []
    manifest, findings = parse_pyproject(Path("/ws/pyproject.toml"), "[project]\nname = \n")
    assert manifest is None and findings[0].code == "FA005" and findings[0].range.line == 1


def test_requirements_file():
    text = "-r base.txt\n# comment\nDjango>=4.2  # web\nrequests[socks]==2.31.0\n-e .\nhttps://x/y.whl\nruff ; python_version >= '3.11'\n!!bad!!\n"
    manifest, findings = parse_requirements(Path("/ws/requirements-dev.txt"), text)
    assert manifest.includes == ["base.txt"]
    assert [d.name for d in manifest.dependencies] == ["django", "requests", "ruff"]
    assert manifest.dependencies[0].group == "requirements-dev.txt"
    assert len(findings) == 1 and findings[0].range.line == 7
