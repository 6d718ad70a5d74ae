"""HTTP calls against the specs: invented endpoints, wrong methods, invented fields and params."""

from pathlib import Path

import pytest

from freeagent.edits import apply_edits
from freeagent.engine import FolderEngine
from tests.helpers import EXAMPLE, copy_fixture


def findings(tmp_path: Path, source: str, spec: str | None = None):
    """The Findings for ``source`` as src/probe.ts of a copy of the taskboard example."""
    root = tmp_path / "app"
    if not root.exists():
        copy_fixture(EXAMPLE, tmp_path, "app")
    if spec is not None:
        (root / "openapi.yaml").write_text(spec)
    path = root / "src" / "probe.ts"
    path.write_text(source)
    engine = FolderEngine(root)
    engine.load()
    return engine.validator().check_file(path)


def check(tmp_path: Path, source: str, spec: str | None = None, deps: dict | None = None):
    return [(f.code, f.severity.value, f.message) for f in findings(tmp_path, source, spec)]


CASES = [
    pytest.param("await fetch(`/tasks/${id}/comments`);\n", [], id="valid-get"),
    pytest.param(
        "await fetch(`${base}/tasks/${id}/comments`, { method: 'POST', body: JSON.stringify({ author: 'a@b.co', body: 'x' }) });\n",
        [],
        id="valid-post-with-base",
    ),
    pytest.param("await fetch('http://localhost:3000/api/v1/tasks/1');\n", [], id="absolute-server-url"),
    pytest.param(
        "await fetch(`/tasks/${id}/notes`);\n", [("FA301", "'/tasks/{taskId}/comments'")], id="invented-endpoint"
    ),
    pytest.param(
        "await fetch(`/tasks/${id}/comments`, { method: 'PUT' });\n", [("FA302", "GET, POST")], id="wrong-method"
    ),
    pytest.param(
        "await fetch(`/tasks/${id}/comments`, { method: 'POST', body: JSON.stringify({ author: 'a@b.co', text: 'x' }) });\n",
        [("FA303", "requires body field(s) body"), ("FA303", "no body field 'text'")],
        id="invented-field",
    ),
    pytest.param("await fetch(`/tasks/${id}/comments?cursor=a&page=2`);\n", [("FA304", "'page'")], id="invented-query"),
    pytest.param("await fetch('https://api.github.com/repos/x/y/issues');\n", [], id="third-party-host"),
    pytest.param("await fetch('/weather/today');\n", [], id="unrelated-first-segment"),
    pytest.param("await fetch(url);\n", [], id="dynamic-url"),
]


@pytest.mark.parametrize("source, expected", CASES)
def test_fetch_against_the_bundled_registry(tmp_path, source, expected):
    found = check(tmp_path, "declare const id: string, base: string, url: string;\n" + source)
    assert [f[0] for f in found] == [code for code, _ in expected], found
    for f, (_, needle) in zip(found, expected, strict=True):
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
    # a typo in the first segment is still judged (no file of ours mentions '/widgets' here)
    found = check(tmp_path, "await fetch('/widget?color=red');\n", spec)
    assert [f[0] for f in found] == ["FA301"] and "'/widgets'" in found[0][2]


PRELUDE = "import axios from 'axios';\nimport ky from 'ky';\ndeclare const id: string, base: string, c: string, titel: string, limt: number;\n"

FIX_CASES = [
    # (probe line, code, text the finding's range covers, fix title, the line once fixed)
    pytest.param(
        "await fetch(`${base}/tasks/${id}/coments`);",
        "FA301",
        "`${base}/tasks/${id}/coments`",
        "Change path to '/tasks/{taskId}/comments'",
        "await fetch(`${base}/tasks/${id}/comments`);",
        id="template-base-prefix-and-substitution",
    ),
    pytest.param(
        "await fetch(`${base}/tasks/${id}/coments?cursor=${c}&limit=5#top`);",
        "FA301",
        "`${base}/tasks/${id}/coments?cursor=${c}&limit=5#top`",
        "Change path to '/tasks/{taskId}/comments'",
        "await fetch(`${base}/tasks/${id}/comments?cursor=${c}&limit=5#top`);",
        id="query-and-hash-kept",
    ),
    pytest.param(
        "await fetch('http://localhost:3000/api/v1/auth/logn', { method: 'POST' });",
        "FA301",
        "'http://localhost:3000/api/v1/auth/logn'",
        "Change path to '/auth/login'",
        "await fetch('http://localhost:3000/api/v1/auth/login', { method: 'POST' });",
        id="absolute-url-host-and-base-kept",
    ),
    pytest.param(
        "await fetch(`http://localhost:3000/api/v1/tasks/${id}/coments`);",
        "FA301",
        "`http://localhost:3000/api/v1/tasks/${id}/coments`",
        "Change path to '/tasks/{taskId}/comments'",
        "await fetch(`http://localhost:3000/api/v1/tasks/${id}/comments`);",
        id="absolute-template-url",
    ),
    pytest.param(
        "await fetch('/api/v1/auth/logn', { method: 'POST' });",
        "FA301",
        "'/api/v1/auth/logn'",
        "Change path to '/auth/login'",
        "await fetch('/api/v1/auth/login', { method: 'POST' });",
        id="server-base-path-kept",
    ),
    pytest.param(
        "await axios.post(`/tasks/${id}/comments`, { author: 'a@b.co', bdy: 'x' });",
        "FA303",
        "bdy",
        "Rename field 'bdy' to 'body'",
        "await axios.post(`/tasks/${id}/comments`, { author: 'a@b.co', body: 'x' });",
        id="body-key",
    ),
    pytest.param(
        "await axios.post(`/tasks/${id}/comments`, { author: 'a@b.co', \"bdy\": 'x' });",
        "FA303",
        '"bdy"',
        "Rename field 'bdy' to 'body'",
        "await axios.post(`/tasks/${id}/comments`, { author: 'a@b.co', \"body\": 'x' });",
        id="body-quoted-key",
    ),
    pytest.param(
        "await fetch(`/projects/${id}/tasks`, { method: 'POST', body: JSON.stringify({ titel }) });",
        "FA303",
        "titel",
        "Rename field 'titel' to 'title'",
        "await fetch(`/projects/${id}/tasks`, { method: 'POST', body: JSON.stringify({ title: titel }) });",
        id="body-shorthand-property",
    ),
    pytest.param(
        "await axios.post(`/tasks/${id}/comments`, { author: 'zoë@b.co', bdy: 'x' });",
        "FA303",
        "bdy",
        "Rename field 'bdy' to 'body'",
        "await axios.post(`/tasks/${id}/comments`, { author: 'zoë@b.co', body: 'x' });",
        id="body-key-after-non-ascii-text",
    ),
    pytest.param(
        "await axios.get(`/tasks/${id}/comments`, { params: { limt: 2 } });",
        "FA304",
        "limt",
        "Change query parameter 'limt' to 'limit'",
        "await axios.get(`/tasks/${id}/comments`, { params: { limit: 2 } });",
        id="axios-params-key",
    ),
    pytest.param(
        "await ky.get(`/tasks/${id}/comments`, { searchParams: { 'limt': 2 } });",
        "FA304",
        "'limt'",
        "Change query parameter 'limt' to 'limit'",
        "await ky.get(`/tasks/${id}/comments`, { searchParams: { 'limit': 2 } });",
        id="ky-search-params-quoted-key",
    ),
    pytest.param(
        "await axios.get(`/tasks/${id}/comments`, { params: { limt } });",
        "FA304",
        "limt",
        "Change query parameter 'limt' to 'limit'",
        "await axios.get(`/tasks/${id}/comments`, { params: { limit: limt } });",
        id="axios-params-shorthand",
    ),
    pytest.param(
        "await fetch(`/tasks/${id}/comments?cursor=${c}&limt=5`);",
        "FA304",
        "limt",
        "Change query parameter 'limt' to 'limit'",
        "await fetch(`/tasks/${id}/comments?cursor=${c}&limit=5`);",
        id="url-query-name",
    ),
]


@pytest.mark.parametrize("line, code, spot, title, fixed", FIX_CASES)
def test_quick_fix_applies_and_the_finding_goes(tmp_path, line, code, spot, title, fixed):
    source = PRELUDE + line + "\n"
    (finding,) = [f for f in findings(tmp_path, source) if f.code == code and f.fixes]
    r = finding.range
    assert r.line == r.end_line == 3 and line[r.character : r.end_character] == spot
    fix = finding.fixes[0]
    assert (fix.title, fix.preferred) == (title, True)
    ((file, edits),) = fix.edits
    assert file == str(tmp_path / "app" / "src" / "probe.ts")
    assert apply_edits(source, edits) == PRELUDE + fixed + "\n"
    assert not [f for f in findings(tmp_path, PRELUDE + fixed + "\n") if f.code.startswith("FA3")]


NO_FIX_CASES = [
    pytest.param("await fetch(`/tasks/${id}/${id}/coments`);", "FA301", id="placeholder-count-differs"),
    pytest.param("await fetch('/tasks/1/coments');", "FA301", id="plain-string-and-a-templated-suggestion"),
    pytest.param("await fetch('/auth/lo\\gn');", "FA301", id="escape-sequence-in-literal"),
    pytest.param(
        "await axios.post(`/tasks/${id}/comments`, { author: 'a@b.co', body: 'x', bdy: 'y' });",
        "FA303",
        id="rename-would-duplicate-a-key",
    ),
    pytest.param("await fetch(`/tasks/${id}/comments?limit=1&limt=5`);", "FA304", id="query-name-already-given"),
]


@pytest.mark.parametrize("line, code", NO_FIX_CASES)
def test_no_quick_fix_where_it_would_be_wrong(tmp_path, line, code):
    found = [f for f in findings(tmp_path, PRELUDE + line + "\n") if f.code == code]
    assert found and "did you mean" in found[0].message
    assert all(f.fixes == () for f in found)


def test_only_suggestions_that_fit_are_offered_best_first(tmp_path):
    source = PRELUDE + "await fetch(`/tasks/${id}/${id}/notes`);\n"
    (finding,) = [f for f in findings(tmp_path, source) if f.code == "FA301"]
    assert "'/tasks/{taskId}/attachments' or '/tasks/{taskId}/labels/{labelId}'" in finding.message
    # the best suggestion has one {param} for two substitutions: only the second is offered, not preferred
    assert [(f.title, f.preferred) for f in finding.fixes] == [
        ("Change path to '/tasks/{taskId}/labels/{labelId}'", False)
    ]
    ((_, edits),) = finding.fixes[0].edits
    assert apply_edits(source, edits).endswith("await fetch(`/tasks/${id}/labels/${id}`);\n")

    source = PRELUDE + "await fetch(`/tasks/${id}/coments`);\n"
    (finding,) = [f for f in findings(tmp_path, source) if f.code == "FA301"]
    assert [(f.title, f.preferred) for f in finding.fixes] == [
        ("Change path to '/tasks/{taskId}/comments'", True),
        ("Change path to '/tasks/{taskId}/attachments'", False),
    ]


def test_missing_required_fields_stay_on_the_body(tmp_path):
    line = "await axios.post(`/tasks/${id}/comments`, { author: 'a@b.co', text: 'x' });"
    found = [f for f in findings(tmp_path, PRELUDE + line + "\n") if f.code == "FA303"]
    spots = {f.message.split(") ", 1)[1]: line[f.range.character : f.range.end_character] for f in found}
    assert spots == {
        "requires body field(s) body": "{ author: 'a@b.co', text: 'x' }",
        "has no body field 'text'": "text",
    }


def test_a_tests_fixture_document_is_not_the_api_the_code_calls(tmp_path):
    """An OpenAPI document under test/fixtures describes test material: the project's fetch
    calls are not judged against it (FA301 on a local test server's URL was one of issue 14's
    classes). The same document as the project's own spec is."""
    spec = (
        "openapi: 3.0.3\ninfo: {title: pets, version: '1'}\npaths:\n  /pets:\n    get:\n"
        "      operationId: listPets\n      responses: {'200': {description: ok}}\n"
    )
    (tmp_path / "package.json").write_text('{"name": "w", "private": true, "type": "module"}\n')
    (tmp_path / "src").mkdir()
    client = tmp_path / "src" / "client.ts"
    client.write_text("export const load = (base: string) => fetch(`${base}/owners`);\n")
    (tmp_path / "test" / "fixtures").mkdir(parents=True)
    (tmp_path / "test" / "fixtures" / "openapi.yaml").write_text(spec)

    def fa301() -> list[str]:
        engine = FolderEngine(tmp_path)
        engine.load()
        return [f.code for f in engine.validator().check_file(client) if f.code.startswith("FA30")]

    assert fa301() == []
    (tmp_path / "examples" / "codegen").mkdir(parents=True)  # an example app's document: the same
    (tmp_path / "test" / "fixtures" / "openapi.yaml").rename(tmp_path / "examples" / "codegen" / "openapi.yaml")
    assert fa301() == []
    (tmp_path / "openapi.yaml").write_text(spec)
    assert fa301() == ["FA301"]


# a workspace document with nesting: arrays of $ref'd objects, allOf, a discriminated oneOf
DEPTH_SPEC = """openapi: 3.1.0
info: {title: Shop, version: '1'}
paths:
  /orders:
    post:
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/NewOrder'}}}
      responses: {'201': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}}}
    get:
      responses: {'200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Order'}}}}}}
  /orders/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}}}
  /payments:
    post:
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/NewPayment'}}}
      responses: {'201': {description: ok}}
  /free:
    post:
      requestBody:
        content: {application/json: {schema: {type: object, title: Body}}}
      responses: {'201': {description: ok}}
  /notes:
    post:
      requestBody:
        content: {application/json: {schema: {type: object, properties: {text: {type: string}}, additionalProperties: true}}}
      responses: {'201': {description: ok}}
components:
  schemas:
    Item:
      type: object
      required: [sku, quantity]
      properties: {sku: {type: string}, quantity: {type: integer}, gift: {$ref: '#/components/schemas/Gift'}}
    Gift:
      type: object
      properties: {message: {type: string}}
    NewOrder:
      allOf:
        - {$ref: '#/components/schemas/Base'}
        - type: object
          required: [items]
          properties: {items: {type: array, items: {$ref: '#/components/schemas/Item'}}}
    Base:
      type: object
      required: [customerId]
      properties: {customerId: {type: string}, note: {type: string}}
    Order:
      type: object
      properties: {id: {type: string}, status: {type: string}, items: {type: array, items: {$ref: '#/components/schemas/Item'}}}
    NewPayment:
      oneOf: [{$ref: '#/components/schemas/Card'}, {$ref: '#/components/schemas/Bank'}]
      discriminator: {propertyName: method}
    Card:
      type: object
      required: [method, token]
      properties: {method: {type: string, const: card}, token: {type: string}}
    Bank:
      type: object
      required: [method, iban]
      properties: {method: {type: string, const: bank}, iban: {type: string}}
"""

DEPTH_PRELUDE = "import axios from 'axios';\ndeclare const id: string, c: string;\n"

DEPTH_CASES = [
    pytest.param(
        "await fetch('/orders', { method: 'POST', body: JSON.stringify({ customerId: c, items: [{ sku: 'a', qty: 1 }] }) });",
        [
            ("FA303", "requires body field(s) items[].quantity"),
            ("FA303", "no body field 'items[].qty'; did you mean 'items[].quantity'?"),
        ],
        id="array-of-objects-through-ref-and-allof",
    ),
    pytest.param(
        "await axios.post('/orders', { customerId: c, items: [{ sku: 'a', quantity: 1, gift: { mesage: 'hi' } }] });",
        [("FA303", "no body field 'items[].gift.mesage'; did you mean 'items[].gift.message'?")],
        id="object-in-an-array-item",
    ),
    pytest.param(
        "await axios.post('/orders', { items: [] });",
        [("FA303", "requires body field(s) customerId")],
        id="allof-required",
    ),
    pytest.param(
        "const body = { customerId: c, items: [{ sku: 'a' }] };\nawait fetch('/orders', { method: 'POST', body: JSON.stringify(body) });",
        [("FA303", "requires body field(s) items[].quantity")],
        id="const-body-then-the-call",
    ),
    pytest.param(
        "let body = { customerId: c, itemz: [] };\nbody = { customerId: c, items: [] };\nawait axios.post('/orders', body);",
        [],
        id="let-body-is-not-judged",
    ),
    pytest.param(
        "await axios.post('/payments', { method: 'card', iban: 'x' });",
        [("FA303", "requires body field(s) token"), ("FA303", "no body field 'iban'")],
        id="discriminator-by-const",
    ),
    pytest.param("await axios.post('/payments', { method: 'bank', iban: 'x' });", [], id="discriminator-valid"),
    pytest.param("await axios.post('/payments', { method: c, iban: 'x' });", [], id="discriminator-unknown"),
    pytest.param("await axios.post('/notes', { text: 'a', tags: [] });", [], id="additional-properties-allowed"),
    # FastAPI's `body: dict` (frigate's spec): an object without properties allows any field
    pytest.param(
        "await axios.post('/free', { training_file: 'a', category: 'b' });", [], id="object-without-properties"
    ),
    pytest.param(
        "const res = await fetch(`/orders/${id}`);\nconst order = await res.json();\nconsole.log(order.stauts, order.status, order.items.length);",
        [
            (
                "FA305",
                "the 200 response of getOrdersById (GET /orders/{id}) has no field 'stauts'; did you mean 'status'?",
            )
        ],
        id="response-after-json",
    ),
    pytest.param(
        "const order = await (await fetch(`/orders/${id}`)).json();\nconsole.log(order.itmes, order.toString());",
        [("FA305", "has no field 'itmes'; did you mean 'items'?")],
        id="response-inline-json-method-calls-not-judged",
    ),
    pytest.param(
        "const { data } = await axios.get(`/orders/${id}`);\nconst r = await axios.get(`/orders/${id}`);\nconsole.log(data.stat, r.data.id);",
        [("FA305", "has no field 'stat'; did you mean 'status'?")],
        id="axios-data",
    ),
    pytest.param(
        "const res = await fetch('/orders');\nconst all = await res.json();\nconsole.log(all.length);",
        [],
        id="array-response-not-judged",
    ),
]


@pytest.mark.parametrize("source, expected", DEPTH_CASES)
def test_bodies_and_responses_below_the_top_level(tmp_path, source, expected):
    found = [f for f in check(tmp_path, DEPTH_PRELUDE + source + "\n", DEPTH_SPEC) if f[0].startswith("FA3")]
    assert [f[0] for f in found] == [code for code, _ in expected], found
    for f, (_, needle) in zip(found, expected, strict=True):
        assert needle in f[2], f


def test_a_nested_typo_is_fixed_in_place(tmp_path):
    line = "await axios.post('/orders', { customerId: c, items: [{ sku: 'a', quantity: 1, gift: { mesage: 'hi' } }] });"
    (finding,) = [f for f in findings(tmp_path, DEPTH_PRELUDE + line + "\n", DEPTH_SPEC) if f.code == "FA303"]
    ((_, edits),) = finding.fixes[0].edits
    fixed = apply_edits(DEPTH_PRELUDE + line + "\n", edits)
    assert "gift: { message: 'hi' }" in fixed
    assert not [f for f in findings(tmp_path, fixed, DEPTH_SPEC) if f.code.startswith("FA3")]


def test_findings_kept_between_edits_are_those_a_fresh_check_finds(tmp_path):
    """The server keeps each top-level statement's API findings for the next check of the file
    (the same text at the same place); after every kind of edit they must equal a fresh check's
    — shifted lines, a changed call, a top-level const that a top-level call reads."""
    from freeagent.validate.runner import Validator

    root = copy_fixture(EXAMPLE, tmp_path, "app")
    (root / "openapi.yaml").write_text(DEPTH_SPEC)
    path = root / "src" / "probe.ts"
    calls = (
        "export async function a() {\n  await fetch('/orders', { method: 'POST', body: JSON.stringify({ customerId: 'c', items: [{ sku: 'a', qty: 1 }] }) });\n}\n"
        "export async function b(id: string) {\n  const res = await fetch(`/orders/${id}`);\n  const o = await res.json();\n  return o.stauts;\n}\n"
    )
    top = "const draft = { customerId: 'c', itemz: [] };\nawait fetch('/orders', { method: 'POST', body: JSON.stringify(draft) });\n"
    versions = [
        calls + top,
        "// a new first line moves everything down\n" + calls + top,
        "// a new first line moves everything down\n" + calls.replace("qty", "quantity") + top,
        "// a new first line moves everything down\n" + calls + top.replace("itemz", "items"),
        calls.replace("o.stauts", "o.status") + top,
        calls + top,
    ]
    path.write_text(versions[0])
    engine = FolderEngine(root)
    engine.load()
    seen = []
    for text in versions:
        engine.set_overlay(path, text)
        kept = [f for f in engine.validator().check_file(path) if f.code.startswith("FA3")]
        fresh = [
            f
            for f in Validator(engine.context, *engine._called_operations(), registry=engine.registry).check_file(path)
            if f.code.startswith("FA3")
        ]
        assert kept == fresh
        seen.append(sorted({f.message.split(" has no ")[-1] for f in kept}))
    assert seen[0] != seen[2] != seen[3] and seen[0] == seen[5]
    assert engine._validation_memo  # the statements' findings were kept
