"""Loading a large OpenAPI description: the registry's load, the positions, schema validation.

Target (reliability issue): a 10 MB document loads without hanging the server. Generates a
description of N operations (each with its own 20-property component schema) as JSON and as
YAML in a temporary folder, and prints per format: size, the registry's load (parse + $ref +
operations), the first position lookup (JSON finds positions lazily), and — with
``--validate`` — the schema validation the server runs in the background. Asserts nothing.

Usage: python bench/spec_bench.py [--mb 10] [--validate]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))

from freeagent.specs.registry import Registry


def description(megabytes: float) -> dict:
    paths: dict = {}
    schemas: dict = {}
    doc = {"openapi": "3.0.3", "info": {"title": "big", "version": "1"}, "paths": paths}
    doc["components"] = {"schemas": schemas}
    size, i = 0, 0
    while size < megabytes * 1_000_000:
        fields = {f"field{j}": {"type": "string", "description": "some words " * 5} for j in range(20)}
        schemas[f"Thing{i}"] = {"type": "object", "required": ["field0"], "properties": fields}
        response = {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/Thing{i}"}}},
        }
        parameter = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
        paths[f"/things{i}/{{id}}"] = {
            "get": {"operationId": f"getThing{i}", "parameters": [parameter], "responses": {"200": response}}
        }
        i += 1
        size += 3100  # about what one operation and its schema take, indented
    return doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--mb", type=float, default=10.0, help="document size in MB")
    parser.add_argument("--validate", action="store_true", help="also time the schema validation (slow)")
    args = parser.parse_args()
    doc = description(args.mb)
    with tempfile.TemporaryDirectory() as tmp:
        files = {"json": Path(tmp) / "api.json", "yaml": Path(tmp) / "api.yaml"}
        files["json"].write_text(json.dumps(doc, indent=1))
        files["yaml"].write_text(yaml.safe_dump(doc, sort_keys=False))
        print(f"{'format':<6} {'MB':>6} {'operations':>10} {'load s':>7} {'positions s':>11} {'validate s':>10}")
        for kind, path in files.items():
            registry = Registry()
            started = time.perf_counter()
            registry.load([path])
            load = time.perf_counter() - started
            started = time.perf_counter()
            registry.documents[path.resolve()].position("/paths")
            positions = time.perf_counter() - started
            validate = "-"
            if args.validate:
                started = time.perf_counter()
                registry.validate(path)
                validate = f"{time.perf_counter() - started:.1f}"
            mb = path.stat().st_size / 1e6
            print(f"{kind:<6} {mb:>6.1f} {len(registry.operations):>10} {load:>7.2f} {positions:>11.2f} {validate:>10}")


if __name__ == "__main__":
    main()
