"""Samples built from schemas (freeagent.specs.samples): each one is checked against its schema
with jsonschema, so a sampler that ignores a constraint fails here."""

from __future__ import annotations

import jsonschema
import pytest

from freeagent.generate.ts.handlers import error_body, error_literal
from freeagent.generate.ts.style import TsStyle
from freeagent.specs.registry import Registry
from freeagent.specs.samples import NoSample, Sampler
from tests.conformance.harness import _from_regex
from tests.helpers import FIXTURES

FOREIGN = FIXTURES / "foreign-specs"


def _registry(name: str, file: str = "openapi.yaml") -> Registry:
    registry = Registry()
    registry.load([FOREIGN / name / file])
    return registry


def _check(registry: Registry, doc_path, node, value, direction="response") -> None:
    """Validate against the schema with the whole document as the $ref base (3.1 = 2020-12)."""
    doc = registry.document(doc_path)
    hidden = "writeOnly" if direction == "response" else "readOnly"

    def directed(v):  # OpenAPI: a required writeOnly property is not required in a response
        if isinstance(v, dict):
            out = {k: directed(x) for k, x in v.items()}
            props = v.get("properties") if isinstance(v.get("properties"), dict) else {}
            gone = {k for k, p in props.items() if isinstance(p, dict) and p.get(hidden) is True}
            if isinstance(v.get("required"), list) and gone:
                out["required"] = [r for r in v["required"] if r not in gone]
            return out
        return [directed(x) for x in v] if isinstance(v, list) else v

    schema = directed({**node.value, "components": doc.data.get("components", {})})
    assert hidden not in str(value)  # nothing of the other direction
    jsonschema.Draft202012Validator(schema).validate(value)


@pytest.mark.parametrize("name,file", [("payments-oneof", "openapi.json"), ("petstore-allof", "openapi.yaml")])
def test_every_success_body_sample_validates(name, file):
    registry = _registry(name, file)
    sampler = Sampler(registry, pattern=_from_regex)  # patterns: strings hypothesis builds
    checked = 0
    for op in registry.operations:
        for response in op.success_responses():
            node = response.content.get("application/json")
            if node is None or node.doc.path != FOREIGN / name / file:
                continue
            value = sampler.value(node)
            _check(registry, FOREIGN / name / file, node, value)
            checked += 1
    assert checked >= 5


def test_constraints_are_met_or_refused():
    registry = _registry("petstore-allof")
    sampler = Sampler(registry)
    doc = registry.document(FOREIGN / "petstore-allof" / "openapi.yaml")
    from freeagent.specs.model import Node

    def sample(schema: dict):
        return sampler.value(Node(doc, "/x", schema))

    assert sample({"type": "integer", "minimum": 7, "multipleOf": 5}) == 10
    assert sample({"type": "number", "exclusiveMinimum": 0, "maximum": 0.5, "multipleOf": 0.25}) == 0.25
    assert sample({"type": "string", "minLength": 10}) == "stringxxxx"
    assert sample({"type": "string", "format": "email"}) == "user@example.com"
    assert sample({"type": "array", "items": {"type": "string"}, "minItems": 3, "uniqueItems": True}) == [
        "string",
        "string1",
        "string2",
    ]
    assert sample({"type": "object", "minProperties": 2, "additionalProperties": {"type": "integer"}}) == {
        "key1": 1,
        "key2": 1,
    }
    assert sample({"type": ["null", "string"], "enum": [None, "a"]}) == "a"
    with pytest.raises(NoSample, match="pattern"):
        sample({"type": "string", "pattern": "^[A-Z]{3}$"})  # no example fits, no pattern hook given
    assert sample({"type": "string", "pattern": "^[A-Z]{3}$", "example": "EUR"}) == "EUR"
    with pytest.raises(NoSample, match="bounds"):
        sample({"type": "integer", "minimum": 5, "maximum": 4})


def test_a_discriminated_branch_carries_its_tag_and_recursion_ends():
    registry = _registry("payments-oneof", "openapi.json")
    method = next(op for op in registry.operations if op.id == "createPaymentMethod")
    node = method.body.content["application/json"]
    value = Sampler(registry, pattern=_from_regex, direction="request").value(node)
    assert value["type"] == "card" and "id" not in value  # readOnly left out of a request
    recursive = _registry("recursive")
    tree = next(op for op in recursive.operations if op.id == "getTree")
    assert Sampler(recursive).value(tree.success_responses()[0].content["application/json"])["children"] is not None


def test_errors_take_the_format_the_document_declares():
    """Class 9: the 400 of an operation whose document declares `{error: {code, message}}` as
    application/json is answered in that shape, the message where its message goes; problem+json
    stays where the document declares problem+json or nothing."""
    registry = _registry("payments-oneof", "openapi.json")
    op = next(op for op in registry.operations if op.id == "createPayment")
    media, body = error_body(op, 400, registry)
    assert media == "application/json"
    literal = error_literal(body, TsStyle(), "Request validation failed")
    assert "message: 'Request validation failed'" in literal and literal.startswith("{ error: {")
    bundled = Registry()
    from freeagent.specs.registry import bundled_spec_paths

    bundled.load(bundled_spec_paths())
    assert error_body(bundled.by_id["createComment"], 400, bundled) is None  # problem+json declared


def test_the_message_finds_an_optional_field_and_only_one():
    """An error schema whose fields are all optional ({errors: [{message}]}, as Asana's) still gets
    the message, in the first field it fits; nothing else optional is added."""
    from freeagent.specs.model import Node

    registry = _registry("petstore-allof")
    doc = registry.document(FOREIGN / "petstore-allof" / "openapi.yaml")
    item = {"type": "object", "properties": {"help": {"type": "integer"}, "message": {"type": "string"}}}
    schema = {"type": "object", "properties": {"code": {"type": "integer"}, "errors": {"type": "array", "items": item}}}
    placed: list[str] = []

    def hook(name: str, _schema: dict):
        if name == "message" and not placed:
            placed.append(name)
            return "M"
        return None

    assert Sampler(registry, strings=hook).value(Node(doc, "/x", schema)) == {"errors": [{"message": "M"}]}
    assert Sampler(registry).value(Node(doc, "/x", schema)) == {}


def test_a_one_of_sample_is_valid_for_exactly_one_branch():
    """oneOf wants exactly one branch to match: a branch whose sample the other branch accepts
    too ({b: 1} is also an object with an optional a) is passed over for one that is unique."""
    from freeagent.specs.model import Node

    registry = _registry("petstore-allof")
    doc = registry.document(FOREIGN / "petstore-allof" / "openapi.yaml")
    loose = {"type": "object", "properties": {"a": {"type": "string"}}}
    strict = {"type": "object", "required": ["b"], "properties": {"b": {"type": "integer"}}}
    schema = {"oneOf": [strict, loose]}
    doc.data["x-sample-test"] = schema  # where the validator's $ref can find the branches
    try:
        value = Sampler(registry).value(Node(doc, "/x-sample-test", schema))
    finally:
        del doc.data["x-sample-test"]
    assert value == {}
    jsonschema.validate(value, {"oneOf": [strict, loose]})
