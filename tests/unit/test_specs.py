"""The spec registry: loading, $ref across files, ids, and bad documents as findings."""

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from freeagent.specs.model import derive_operation_id, normalise_id
from freeagent.specs.registry import Registry, bundled_spec_paths
from tests.helpers import FIXTURES

FOREIGN = FIXTURES / "foreign-specs"


@pytest.fixture(scope="module")
def bundled() -> Registry:
    registry = Registry()
    registry.load(bundled_spec_paths())
    return registry


def test_bundled_registry_has_30_plus_valid_operations(bundled):
    assert len(bundled.operations) >= 30
    assert len({op.id for op in bundled.operations}) == len(bundled.operations)
    assert bundled.problems == {}
    for path in bundled.roots:
        assert bundled.validate(path) == [], f"{path} must be valid OpenAPI"
    assert all(op.summary and op.tags for op in bundled.operations)


def test_operation_details_are_resolved_across_files(bundled):
    op = bundled.by_id["createComment"]
    assert (op.method, op.path) == ("POST", "/tasks/{taskId}/comments")
    (path_param,) = op.params("path")
    assert path_param.name == "taskId" and path_param.required
    assert path_param.schema.value.get("format") == "uuid"
    assert op.body is not None and op.body.required and "application/json" in op.body.content
    statuses = {r.status for r in op.responses}
    assert {"201", "400", "401", "404"} <= statuses
    bad_request = next(r for r in op.responses if r.status == "400")
    assert "application/problem+json" in bad_request.content  # from patterns/errors.yaml
    assert bad_request.content["application/problem+json"].doc.path.name == "errors.yaml"
    assert [[s.type for s in alt] for alt in op.security] == [["http"]]
    assert op.security[0][0].scheme == "bearer"


def test_public_and_api_key_operations(bundled):
    health = bundled.by_id["getHealth"]
    assert health.security == []
    webhook = next(op for op in bundled.operations if op.path == "/webhooks" and op.method == "POST")
    assert webhook.security[0][0].type == "apiKey" and webhook.security[0][0].param_name == "X-API-Key"


@pytest.mark.parametrize(
    "method, path, expected",
    [
        ("get", "/users/{userId}", "getUsersByUserId"),
        ("get", "/orgs/{org}/repos/{repo}/issues/{issue_number}", "getOrgsByOrgReposByRepoIssuesByIssueNumber"),
        ("post", "/", "post"),
        ("delete", "/v1/api-keys/{key_id}", "deleteV1ApiKeysByKeyId"),
    ],
)
def test_derived_operation_ids(method, path, expected):
    assert derive_operation_id(method, path) == expected


def test_duplicate_and_case_colliding_ids_are_disambiguated():
    registry = Registry()
    registry.load([FOREIGN / "duplicate-names" / "openapi.yaml"])
    ids = [op.id for op in registry.operations]
    assert len(ids) == len(set(ids)) and len({i.lower() for i in ids}) == len(ids)
    assert normalise_id("get_item") == normalise_id("GetItem") == "getItem"
    warnings = [f for fs in registry.problems.values() for f in fs if f.code == "FA011"]
    assert warnings, "a repeated operationId is reported where it is repeated"


def test_the_same_operation_id_in_two_descriptions_is_not_a_duplicate(tmp_path):
    """Two APIs may both have a getUser: FA011 is for one description repeating an operationId;
    the generated names still stay apart."""
    for name in ("users", "admin"):
        (tmp_path / f"{name}.yaml").write_text(
            f"openapi: 3.0.3\ninfo: {{title: {name}, version: '1'}}\npaths:\n  /{name}/{{id}}:\n    get:\n"
            "      operationId: getUser\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n"
            "      responses: {'200': {description: ok}}\n"
        )
    registry = Registry()
    registry.load([tmp_path / "users.yaml", tmp_path / "admin.yaml"])
    assert [f for fs in registry.problems.values() for f in fs if f.code == "FA011"] == []
    assert len({op.id for op in registry.operations}) == 2


def test_specs_without_operation_ids():
    registry = Registry()
    registry.load([FOREIGN / "no-operation-ids" / "openapi.yaml"])
    assert registry.operations and all(op.declared_id is None for op in registry.operations)
    again = Registry()
    again.load([FOREIGN / "no-operation-ids" / "openapi.yaml"])
    assert [op.id for op in registry.operations] == [op.id for op in again.operations]  # stable


@pytest.mark.parametrize(
    "name",
    [
        "petstore-allof",
        "payments-oneof",
        "multifile",
        "no-operation-ids",
        "duplicate-names",
        "recursive",
        "nullable-30",
    ],
)
def test_foreign_specs_load_and_validate(name):
    path = next((FOREIGN / name).glob("openapi.*"))
    registry = Registry()
    registry.load([path])
    assert registry.operations
    assert [f for fs in registry.problems.values() for f in fs if f.severity.value in ("error", "warning")] == []
    assert registry.validate(path) == []


def test_operations_and_parameters_given_by_ref_are_followed():
    """Redocly-style multi-file descriptions: `get: {$ref: resources/x/get.yml}`, parameters and
    responses by $ref into shared files (issue 13, class 2)."""
    path = FOREIGN / "real-world-shapes" / "openapi.yaml"
    registry = Registry()
    registry.load([path])
    assert registry.problems == {}
    op = registry.by_id["getDroplet"]
    assert op.declared_id == "getDroplet" and op.doc.path.name == "get.yml"
    (param,) = op.parameters
    assert (param.name, param.location, param.required) == ("droplet_id", "path", True)
    assert param.schema is not None and param.schema.value["type"] == "integer"
    (ok,) = op.success_responses()
    assert ok.status == "200" and ok.content["application/json"].value["required"] == ["droplet"]
    assert [p.name for p in registry.by_id["listDroplets"].parameters] == ["per_page"]
    assert registry.by_id["createDroplet"].success_responses()[0].status == "201"
    # the schema validator cannot look inside them: one note per operation, not an error
    notes = registry.validate(path)
    assert [(f.severity.value, f.range.line) for f in notes] == [
        ("information", 16),
        ("information", 18),
        ("information", 21),
    ]
    assert "GET /droplets is given by $ref" in notes[0].message


def test_default_is_the_success_of_an_operation_that_declares_nothing_else():
    registry = Registry()
    registry.load([FOREIGN / "real-world-shapes" / "openapi.yaml"])
    health = registry.by_id["getHealth"]
    assert [r.status for r in health.success_responses()] == ["default"] and health.error_responses() == []
    delete = registry.by_id["deleteDroplet"]  # 204 and default: default is its error
    assert [r.status for r in delete.success_responses()] == ["204"]
    assert [r.status for r in delete.error_responses()] == ["default"]


def test_multifile_refs_follow_relative_files():
    registry = Registry()
    registry.load([FOREIGN / "multifile" / "openapi.yaml"])
    docs = {p.name for p in registry.documents}
    assert {"openapi.yaml", "common.yaml"} <= docs and len(docs) >= 4


def test_broken_yaml_is_a_finding_at_the_parser_position():
    path = FOREIGN / "broken" / "openapi.yaml"
    registry = Registry()
    registry.load([path])
    (finding,) = registry.problems[str(path.resolve())]
    assert finding.code == "FA010" and finding.range.line + 1 == 14
    assert registry.operations == []


def test_invalid_spec_keeps_valid_operations_and_points_at_problems():
    path = (FOREIGN / "invalid" / "openapi.yaml").resolve()
    registry = Registry()
    registry.load([path, *bundled_spec_paths()])
    (bad_ref,) = registry.problems[str(path)]
    assert bad_ref.code == "FA012" and bad_ref.range.line + 1 == 32
    assert any(op.path == "/items" for op in registry.operations)
    assert len(registry.operations) > 30  # the bundled spec is unaffected
    validation = registry.validate(path)
    assert any(f.range.line + 1 == 17 and "description" in f.message for f in validation)


def test_circular_ref_is_reported_not_looping(tmp_path):
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n"
        "        '200': {$ref: '#/components/responses/A'}\ncomponents:\n  responses:\n"
        "    A: {$ref: '#/components/responses/B'}\n    B: {$ref: '#/components/responses/A'}\n"
    )
    registry = Registry()
    registry.load([spec])
    assert any("circular" in f.message for fs in registry.problems.values() for f in fs)


# text YAML reads as JSON does (YAML refuses control characters and breaks lines at U+2028/9)
_text = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufffe\uffff"), max_size=6
)
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | _text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(value=st.dictionaries(_text, _json_values, max_size=5), indent=st.sampled_from([None, 0, 2]))
def test_json_documents_get_the_positions_yaml_would_give(value, indent):
    """The fast JSON path finds each pointer where the YAML composer puts it."""
    from freeagent.specs import loader

    text = json.dumps(value, indent=indent, ensure_ascii=False)
    path = Path("openapi.json")
    fast, findings = loader.load_document(path, text)
    assert fast is not None and findings == [] and fast._positions is None  # found lazily
    slow = loader._Builder(10**6, text)
    data = slow.build(yaml.compose(text, Loader=loader._COMPOSER))
    assert fast.data == data == value
    assert fast.positions == slow.positions


def test_json_that_json_refuses_is_reported_where_yaml_finds_the_problem(tmp_path):
    from freeagent.specs.loader import load_document

    doc, findings = load_document(tmp_path / "api.json", '{"openapi": "3.0.0",\n  "paths": {,}}')
    assert doc is None and findings[0].code == "FA010" and findings[0].range.line == 1


def test_an_oversized_document_is_a_finding_not_a_read(tmp_path, monkeypatch):
    import freeagent.specs.registry as registry_module

    monkeypatch.setattr(registry_module, "MAX_SPEC_BYTES", 1000)
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps({"openapi": "3.0.0", "info": {"title": "x" * 2000, "version": "1"}, "paths": {}}))
    reads: list[Path] = []
    registry = Registry(lambda p: reads.append(p) or p.read_text())
    registry.load([path])
    (finding,) = registry.problems[str(path)]
    assert finding.code == "FA010" and "larger than" in finding.message
    assert reads == []


def test_swagger_2_is_refused_with_a_way_forward(tmp_path):
    path = tmp_path / "swagger.yaml"
    path.write_text(
        "swagger: '2.0'\ninfo: {title: old, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n"
    )
    registry = Registry()
    registry.load([path])
    assert registry.operations == [] and registry.roots == []
    (finding,) = registry.problems[str(path)]
    assert (
        finding.severity.value == "warning"
        and "Swagger 2.0" in finding.message
        and "swagger2openapi" in finding.message
    )
    assert finding.range.line == 0


def test_server_variables_take_their_defaults_and_ids_and_anchors_resolve():
    registry = Registry()
    registry.load([FOREIGN / "real-world-shapes" / "openapi.yaml"])
    kernel = registry.by_id["getKernel"]
    assert kernel.servers == ["https://api.example.test/v1"]
    (param,) = kernel.parameters  # $ref: "/schemas/kernel#kernel_id" — an $id, then an $anchor in it
    assert param.schema is not None and param.schema.pointer == "/components/schemas/Kernel/properties/id"
    (ok,) = kernel.success_responses()
    assert ok.content["application/json"].pointer == "/components/schemas/Kernel"


def test_schemas_named_by_their_file_key_and_cycles_through_them_end():
    from freeagent.generate.ts.schemas import TypeEmitter, ZodEmitter
    from freeagent.generate.ts.style import TsStyle

    registry = Registry()
    registry.load([FOREIGN / "real-world-shapes" / "openapi.yaml"])
    (ok,) = registry.by_id["getDropletTree"].success_responses()
    node = ok.content["application/json"]
    types = TypeEmitter(registry, TsStyle())
    assert types.ref(node) == "NodeModel"  # resources/schemas.yml#/node, declared once under its key's name
    assert "children?: NodeModel[]" in types.decls.code["NodeModel"].replace(";", "")
    zod = ZodEmitter(registry, TsStyle(), types=types)
    assert zod.ref(node) == "nodeSchema" and "z.lazy(() => nodeSchema)" in zod.decls.code["nodeSchema"]


def test_errors_inside_a_schema_point_at_the_node_not_at_line_one(tmp_path):
    """3.1 schemas are checked against their meta-schema one by one, which reports paths inside
    the schema only ('properties/name/minLength'); the finding must still land on that line."""
    path = tmp_path / "openapi.yaml"
    path.write_text(
        "openapi: 3.1.0\n"
        "info: {title: t, version: '1'}\n"
        "paths: {}\n"
        "components:\n"
        "  schemas:\n"
        "    Pet:\n"
        "      type: object\n"
        "      properties:\n"
        "        name:\n"
        "          type: string\n"
        "          minLength: three\n"  # line 11: not a number
    )
    registry = Registry()
    registry.load([path])
    findings = registry.validate(path)
    assert [(f.range.line + 1, f.range.character + 1) for f in findings] == [(11, 11)], [f.message for f in findings]
    assert "components/schemas/Pet/properties/name/minLength" in findings[0].message


def test_defaults_and_property_counts_reach_the_zod_schema():
    """Fidelity: a parameter's default is applied (.default), not just allowed to be missing;
    min/maxProperties are enforced; the handler's own check reads a default as not required."""
    from freeagent.generate.check import _zod_keys
    from freeagent.generate.ts.schemas import ZodEmitter
    from freeagent.generate.ts.style import TsStyle

    registry = Registry()
    registry.load(bundled_spec_paths())
    zod = ZodEmitter(registry, TsStyle())
    list_tasks = next(op for op in registry.operations if any(p.name == "limit" for p in op.params("query")))
    limit = next(p for p in list_tasks.params("query") if p.name == "limit")
    assert limit.schema is not None and limit.schema.value.get("default") is not None
    from freeagent.generate.ts.handlers import _coerced

    assert _coerced(limit, zod).endswith(f".default({limit.schema.value['default']})")
    metadata = next(
        n for op in registry.operations if op.body for n in op.body.content.values() if "minProperties" in n.value
    )
    assert "Object.keys(value).length" in zod.ref(metadata) + "".join(zod.decls.code.values())
    keys, optional = _zod_keys(
        "z.object({\n  a: z.string(),\n  b: z.number().default(20),\n  c: z.string().optional(),\n})"
    )
    assert keys == {"a", "b", "c"} and optional == {"b", "c"}


def _large_yaml(n: int = 1500) -> str:
    lines = ["openapi: 3.0.3", "info: {title: big, version: '1'}", "paths:"]
    for i in range(n):
        lines += [f"  /things{i}:", "    get:", f"      operationId: getThing{i}", "      responses:"]
        lines += ["        '200': {description: 'ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok'}"]
    return "\n".join(lines) + "\n"


def test_the_parse_cache_serves_a_large_yaml_document_the_second_time(tmp_path, monkeypatch):
    import pickle

    import freeagent.specs.registry as registry_module
    from freeagent.specs.cache import SpecCache

    path = tmp_path / "openapi.yaml"
    path.write_text(_large_yaml())
    assert len(path.read_text()) >= registry_module.CACHE_MIN_CHARS
    parses: list[Path] = []
    real = registry_module.load_document
    monkeypatch.setattr(registry_module, "load_document", lambda p, t: parses.append(p) or real(p, t))
    first, second = Registry(), Registry()
    first.cache = second.cache = SpecCache(tmp_path / "cache")
    first.load([path])
    second.load([path])
    assert parses == [path.resolve()], "parsed once, then read from the cache"
    a, b = first.documents[path.resolve()], second.documents[path.resolve()]
    assert a.data == b.data and a.positions == b.positions and len(second.operations) == 1500
    # an edited document is a miss; a tampered entry is a miss, and builds nothing
    path.write_text(_large_yaml().replace("getThing7:", "getThingSeven:").replace("getThing7\n", "getThingSeven\n"))
    third = Registry()
    third.cache = first.cache
    third.load([path])
    assert len(parses) == 2 and "getThingSeven" in third.by_id
    entry = first.cache._path(path.read_text())
    assert entry.exists()

    class Boom:
        def __reduce__(self):
            return (exec, ("raise SystemExit('code ran from the cache')",))

    entry.write_bytes(pickle.dumps((Boom(), None)))
    fourth = Registry()
    fourth.cache = first.cache
    fourth.load([path])
    assert len(parses) == 3 and "getThingSeven" in fourth.by_id


# what a large YAML description has that a naive fast parser gets wrong (each line a class seen)
_TRICKY_YAML = """\
---
openapi: 3.0.3
info:
  title: "tricky: quoted"
  version: '2023-08-16'
  x-released: 2023-08-16
  x-flags: [yes, no, on, "yes"]
  x-numbers: {a: 1e3, b: 1.5e3, c: 010, d: 0x1F, e: .inf, f: ~, g: null, h: '', i: 1_000}
  description: |
    Line one
    # not a comment

    line three
  summary: >-
    folded
    text
# a comment at column 0 inside the mapping
paths:
  /pets/{id}:
    parameters:
    - name: id
      in: path
      required: true
      schema: &id_schema
        type: string
    -
      $ref: '#/components/parameters/Limit'
    get:
      'operationId': "getPet"
      tags:
        - pets
        - - nested
      responses:
        200:
          description: ok
        "404":   # quoted status
          description: 'it''s gone'
  /owners/{id}:
    get:
      parameters:
      - name: id
        in: path
        required: true
        schema: *id_schema
      responses:
        default: {description: error}
components:
  parameters:
    Limit:
      name: limit
      in: query
      schema:
        <<: *id_schema
        maxLength: 3
  schemas:
    Last:
      description: |
        the last block scalar keeps its one line break
"""


def _composed(text: str):
    from freeagent.specs import loader

    builder = loader._Builder(10**6, text)
    return builder.build(yaml.compose(text, Loader=loader._COMPOSER)), builder.positions


def test_a_large_yaml_document_is_parsed_fast_with_the_composers_data_and_positions():
    """rapidyaml builds the data (a quoted date stays a string, ``yes`` is True, ``1e3`` a
    string, an alias is a copy of its anchor, a merge key is a key as the composer leaves it),
    and one pointer's position comes from the indentation: both exactly what the composer gives."""
    from freeagent.specs import loader

    text = _TRICKY_YAML + "x-padding:\n" + "".join(f"  k{i}: value {i}\n" for i in range(12_000))
    assert len(text) >= loader.FAST_YAML_CHARS
    doc, findings = loader.load_document(Path("openapi.yaml"), text)
    assert doc is not None and findings == []
    assert doc._positions is None, "parsed by rapidyaml, positions left until asked for"
    data, positions = _composed(text)
    assert doc.data == data
    assert doc.data["info"]["version"] == "2023-08-16" and doc.data["info"]["x-flags"] == [True, False, True, "yes"]
    owner_schema = doc.data["paths"]["/owners/{id}"]["get"]["parameters"][0]["schema"]
    assert owner_schema == {"type": "string"}
    assert owner_schema is not doc.data["paths"]["/pets/{id}"]["parameters"][0]["schema"]
    scanner = loader.BlockPositions(text, doc.data)
    found = {pointer: scanner.find(pointer) for pointer in positions}
    assert {p: at for p, at in found.items() if at is not None and at != positions[p]} == {}
    # all but what is inside flow collections, anchors and aliases is found by indentation
    unfound = {p for p, at in found.items() if at is None}
    inside = ("/info/x-flags/", "/info/x-numbers/", "/responses/default/", "/schema/type", "/schema/<</")
    assert unfound and all(any(part in p for part in inside) for p in unfound), unfound
    assert doc.position("/paths/~1pets~1{id}/get/responses/404/description") == (36, 10)
    assert doc._positions is None, "one position did not compose the document"
    assert doc.position("/paths/~1pets~1{id}/get/responses/404/nope") == (35, 8)  # its nearest parent


def test_yaml_the_fast_parser_would_get_wrong_goes_through_the_composer():
    from freeagent.specs import loader

    pad = "x-padding:\n" + "".join(f"  k{i}: value {i}\n" for i in range(12_000))
    # a last block scalar with no line break after it: rapidyaml would add one
    text = "openapi: 3.0.3\n" + pad + "description: |\n  no break at the end"
    doc, _ = loader.load_document(Path("openapi.yaml"), text)
    assert doc is not None and doc.data["description"] == "no break at the end"
    # two documents, and a tag: the composer's findings and values
    doc, findings = loader.load_document(Path("openapi.yaml"), "openapi: 3.0.3\n" + pad + "---\nb: 2\n")
    assert doc is None and findings[0].code == "FA010"
    doc, _ = loader.load_document(Path("openapi.yaml"), "openapi: 3.0.3\n" + pad + "n: !!str 12\n")
    assert doc is not None and doc.data["n"] == "12"


def test_a_large_broken_yaml_document_is_one_finding_and_nothing_on_stderr(capfd):
    from freeagent.specs import loader

    pad = "".join(f"  k{i}: value {i}\n" for i in range(12_000))
    text = "openapi: 3.0.3\npaths:\n" + pad + "  broken: [1, 2\n"
    doc, findings = loader.load_document(Path("openapi.yaml"), text)
    assert doc is None and [f.code for f in findings] == ["FA010"]
    assert findings[0].range.line >= 12_000 and "openapi.yaml" in findings[0].message
    assert "ERROR" not in capfd.readouterr().err  # rapidyaml's own report is not passed on


def test_a_billion_laughs_document_over_the_fast_size_is_still_refused():
    from freeagent.specs import loader

    lines = ["openapi: 3.0.3", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 12)]
    text = "\n".join(lines) + "\nx-padding:\n" + "".join(f"  k{i}: v\n" for i in range(30_000))
    assert len(text) >= loader.FAST_YAML_CHARS
    doc, findings = loader.load_document(Path("openapi.yaml"), text)
    assert doc is None and "billion laughs" in findings[0].message


@settings(max_examples=150, deadline=None, database=None, derandomize=True)
@given(value=st.dictionaries(_text, _json_values, min_size=1, max_size=5), width=st.sampled_from([20, 80]))
def test_block_yaml_gets_the_composers_data_and_positions(value, width):
    """Any data PyYAML writes in block style reads back the same through rapidyaml, and each of
    its pointers is found by indentation where the composer puts it (or not found at all)."""
    from freeagent.specs import loader

    text = yaml.safe_dump(value, default_flow_style=False, allow_unicode=True, width=width, sort_keys=False)
    fast = loader._load_yaml_fast(Path("openapi.yaml"), text)
    if fast is None:  # rapidyaml refuses one thing PyYAML writes: an explicit key (an empty one)
        assert "? ''" in text
        return
    data, positions = _composed(text)
    assert fast.data == data
    scanner = loader.BlockPositions(text, fast.data)
    for pointer, at in positions.items():
        assert scanner.find(pointer) in (None, at), pointer


def test_fast_schema_validation_reports_what_the_library_reports(tmp_path):
    """The metaschema check in Rust (specs/spec_validator.py) changes the speed, not the answer:
    the same errors, worded by the library, as openapi-spec-validator on its own gives."""
    from jsonschema_path import SchemaPath
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    from freeagent.specs.spec_validator import SpecValidator30, SpecValidator31

    def doc(version: str) -> dict:
        bad = {"type": "object", "properties": {"a": {"type": "strin"}, "b": {"minLength": -1}}}
        good = {"type": "object", "properties": {"c": {"type": "array", "items": {"$ref": "#/components/schemas/Bad"}}}}
        return {
            "openapi": version,
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/x": {
                    "get": {
                        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": good}}}}
                    }
                }
            },
            "components": {"schemas": {"Bad": bad, "Good": good}},
        }

    for version, fast, library in (
        ("3.1.0", SpecValidator31, OpenAPIV31SpecValidator),
        ("3.0.3", SpecValidator30, OpenAPIV30SpecValidator),
    ):
        messages = []
        for cls in (fast, library):
            errors = cls(SchemaPath.from_dict(doc(version))).iter_errors()
            messages.append(sorted(str(e.message) for e in errors))
        assert messages[0] == messages[1] and messages[0], (version, messages)
