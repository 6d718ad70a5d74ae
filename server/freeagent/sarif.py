"""Findings as SARIF 2.1.0, the format GitHub code scanning (and most CI dashboards) ingest."""

from __future__ import annotations

from pathlib import Path

from . import __version__
from .findings import CODE_TITLES, Finding, docs_url

_LEVELS = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}


def to_sarif(findings: list[Finding], root: Path) -> dict:
    used = sorted({f.code for f in findings} | set(CODE_TITLES))
    rules = [
        {
            "id": code,
            "name": code,
            "shortDescription": {"text": CODE_TITLES.get(code, code)},
            "defaultConfiguration": {"level": "error"},
            **({"helpUri": docs_url(code)} if code in CODE_TITLES else {}),
        }
        for code in used
    ]
    index = {code: i for i, code in enumerate(used)}
    results = []
    for f in findings:
        data = f.to_json(str(root))
        results.append(
            {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": _LEVELS[f.severity.value],
                "message": {"text": f.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": data["file"], "uriBaseId": "%SRCROOT%"},
                            "region": {
                                "startLine": data["line"],
                                "startColumn": data["column"],
                                "endLine": data["end_line"],
                                "endColumn": data["end_column"],
                            },
                        }
                    }
                ],
            }
        )
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "freeagent", "version": __version__, "rules": rules}},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri() + "/"}},
                "results": results,
            }
        ],
    }
