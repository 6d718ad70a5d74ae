"""HTTP calls against the specs: invented endpoints, wrong methods, invented fields and params."""

import shutil
from pathlib import Path

import pytest

from freeagent.engine import FolderEngine

ROOT = Path(__file__).resolve().parents[2]


def check(tmp_path: Path, source: str, spec: str | None = None, deps: dict | None = None):
    root = tmp_path / "app"
    shutil.copytree(ROOT / "examples" / "taskboard", root)
    if spec is not None:
        (root / "openapi.yaml").write_text(spec)
    path = root / "src" / "probe.ts"
    path.write_text(source)
    engine = FolderEngine(root)
    engine.load()
    return [(f.code, f.severity.value, f.message) for f in engine.validator().check_file(path)]


CASES = [
    pytest.param("await fetch(`/tasks/${id}/comments`);\n", [], id="valid-get"),
    pytest.param("await fetch(`${base}/tasks/${id}/comments`, { method: 'POST', body: JSON.stringify({ author: 'a@b.co', body: 'x' }) });\n", [], id="valid-post-with-base"),
    pytest.param("await fetch('http://localhost:3000/api/v1/tasks/1');\n", [], id="absolute-server-url"),
    pytest.param("await fetch(`/tasks/${id}/notes`);\n", [("FA301", "'/tasks/{taskId}/comments'")], id="invented-endpoint"),
    pytest.param("await fetch(`/tasks/${id}/comments`, { method: 'PUT' });\n", [("FA302", "GET, POST")], id="wrong-method"),
    pytest.param("await fetch(`/tasks/${id}/comments`, { method: 'POST', body: JSON.stringify({ author: 'a@b.co', text: 'x' }) });\n",
                 [("FA303", "no body field 'text'"), ("FA303", "requires body field(s) body")], id="invented-field"),
    pytest.param("await fetch(`/tasks/${id}/comments?cursor=a&page=2`);\n", [("FA304", "'page'")], id="invented-query"),
    pytest.param("await fetch('https://api.github.com/repos/x/y/issues');\n", [], id="third-party-host"),
    pytest.param("await fetch('/weather/today');\n", [], id="unrelated-first-segment"),
    pytest.param("await fetch(url);\n", [], id="dynamic-url"),
]


@pytest.mark.parametrize("source, expected", CASES)
def test_fetch_against_the_bundled_registry(tmp_path, source, expected):
    found = check(tmp_path, "declare const id: string, base: string, url: string;\n" + source)
    assert [f[0] for f in found] == [code for code, _ in expected], found
    for f, (_, needle) in zip(found, expected):
        assert needle in f[2]


def test_axios_and_ky_calls(tmp_path):
    source = (
        "import axios from 'axios';\nimport ky from 'ky';\n"
        "const api = axios.create({ baseURL: '/api/v1' });\n"
        "declare const id: string;\n"
        "await axios.post(`/tasks/${id}/comments`, { author: 'a@b.co', body: 'x' });\n"
        "await api.get('/projects', { params: { status: 'active', pageSize: 2 } });\n"
        "await ky.delete(`/labels/${id}`);\n"
        "await ky.post('/projects', { json: { key: 'TB', name: 'T', owner: 'me' } });\n"
        "await axios({ url: '/webhooks', method: 'patch' });\n"
    )
    found = check(tmp_path, source)
    codes = [f[0] for f in found]
    assert codes.count("FA304") == 1 and any("pageSize" in f[2] for f in found)
    assert any(f[0] == "FA303" and "owner" in f[2] for f in found)
    assert any(f[0] == "FA302" and "PATCH" in f[2] for f in found)
    assert "FA301" not in codes


def test_workspace_spec_is_authoritative(tmp_path):
    spec = (
        "openapi: 3.1.0\ninfo: {title: W, version: '1'}\npaths:\n  /widgets:\n    get:\n"
        "      parameters: [{name: color, in: query, schema: {type: string}}]\n"
        "      responses: {'200': {description: ok}}\n"
    )
    # with the workspace's own spec, any relative path is judged (not just known first segments)
    found = check(tmp_path, "await fetch('/weather/today');\nawait fetch('/widgets?color=red');\n", spec)
    assert [f[0] for f in found] == ["FA301"]
