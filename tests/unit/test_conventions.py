import pytest

from freeagent.context.conventions import infer, name_case, vote
from freeagent.context.parsing import Parsers


@pytest.mark.parametrize(
    "name, case",
    [
        ("getUser", "camelCase"), ("UserCard", "PascalCase"), ("HTTPError", "PascalCase"),
        ("get_user", "snake_case"), ("MAX_SIZE", "SCREAMING_SNAKE_CASE"), ("user-service", "kebab-case"),
        ("user", None), ("X", None), ("_private", None), ("$el", None), ("parseJSON", "camelCase"),
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
            ("src/user-service.ts", "typescript", "import express from 'express';\nimport { z } from 'zod';\nexport function getUser() {\n  return fetch('/u');\n}\n"),
            ("src/order-service.ts", "typescript", "import { x } from '../lib/x.js';\nimport y from '@/y';\nexport const listOrders = () => 1;\n"),
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
    files = _files([("app/main.py", "python", "from fastapi import FastAPI\nimport httpx\nfrom pydantic import BaseModel\n\ndef get_item():\n    return \"x\"\n")])
    c = infer(files, {"fastapi"}, [])["python"]
    assert c["http_framework"].value == "fastapi" and c["http_client"].value == "httpx"
    assert c["validation"].value == "pydantic" and c["naming.functions"].value == "snake_case"
    assert c["quotes"].value == "double" and c["indent"].value == "4 spaces"
