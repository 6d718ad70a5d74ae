"""The OpenAPI schema validation the registry runs in the background: openapi-spec-validator's
validators, with the metaschema check of each Schema Object done by jsonschema-rs.

openapi-spec-validator checks every Schema Object of a document against the JSON Schema
metaschema (3.1: the OpenAPI dialect over draft 2020-12; 3.0: draft 4) with the pure-Python
``jsonschema``, which costs milliseconds per schema: OpenAI's 3 MB description, 2,004 schemas,
took 9 of its 16 s there. jsonschema-rs (Rust) answers the same question in microseconds, against
the same metaschemas (taken from openapi-schema-validator, with formats asserted as it does).
When it finds a schema invalid the library's own check runs, so the error reported is the
library's, word for word; a schema that names another dialect with ``$schema`` goes to the
library as well. Every other check (paths, parameters, defaults, operation ids) is the
library's, unchanged.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema_rs
from openapi_schema_validator import OAS30Validator, OAS31Validator
from openapi_schema_validator._specifications import REGISTRY
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.validation import keywords


@cache
def _metaschema_check(version: str) -> Any:
    """A compiled jsonschema-rs validator for the version's Schema Object metaschema (offline:
    every resource it refers to comes from openapi-schema-validator's registry)."""
    meta = OAS31Validator.META_SCHEMA if version == "3.1" else OAS30Validator.META_SCHEMA
    registry = jsonschema_rs.Registry([(uri, REGISTRY[uri].contents) for uri in REGISTRY])
    return jsonschema_rs.validator_for(meta, registry=registry, validate_formats=True)


class _FastMeta:
    """Mixin for the library's SchemaValidator keyword: the metaschema check by jsonschema-rs."""

    version = ""

    def _validate_schema_meta(self, schema: Any, schema_value: Any) -> Any:
        own_dialect = isinstance(schema_value, dict) and "$schema" in schema_value
        if not own_dialect and _metaschema_check(self.version).is_valid(schema_value):
            return None
        return super()._validate_schema_meta(schema, schema_value)  # type: ignore[misc]


class _Schema30(_FastMeta, keywords.OpenAPIV30SchemaValidator):
    version = "3.0"


class _Schema31(_FastMeta, keywords.OpenAPIV31SchemaValidator):
    version = "3.1"


class SpecValidator30(OpenAPIV30SpecValidator):
    keyword_validators = {**OpenAPIV30SpecValidator.keyword_validators, "schema": _Schema30}  # noqa: RUF012 - the library's override point


class SpecValidator31(OpenAPIV31SpecValidator):
    keyword_validators = {**OpenAPIV31SpecValidator.keyword_validators, "schema": _Schema31}  # noqa: RUF012 - the library's override point
