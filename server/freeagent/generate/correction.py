"""Why an LLM candidate failed, and what the retry prompt tells the model about it.

Owns the root cause of a failed attempt (one word per family of failure, in order: a missing
package before a misspelt name of a real one, both before a style nit) and the correction message
that goes back to the model: each finding in its own words, then the facts the model got wrong —
the packages really installed, the API of their installed versions, the tsconfig's strict flags
that make code which compiles elsewhere fail here.

A type error is a ``strict_tsconfig`` failure when its TypeScript code belongs to one of those
flags (TS4111 is only ever ``noPropertyAccessFromIndexSignature``), or when it is a generic one
(TS2769 "no overload matches", TS2345, TS18048 "possibly undefined" …) and the file's tsconfig
sets the flag that typically causes it (``exactOptionalPropertyTypes``,
``noUncheckedIndexedAccess``): the retry then names the flag and how code is written under it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..findings import (
    CODE_ANSWER_SYNTAX,
    CODE_BODY_FIELDS,
    CODE_DEV_DEPENDENCY_AT_RUNTIME,
    CODE_MODULE_STYLE,
    CODE_NAME_NOT_EXPORTED,
    CODE_NAMING,
    CODE_NO_DEFAULT_EXPORT,
    CODE_SUBPATH_NOT_EXPORTED,
    CODE_TYPE_ERROR,
    CODE_UNDECLARED_PACKAGE,
    CODE_UNDECLARED_PYTHON_IMPORT,
    CODE_UNKNOWN_ATTRIBUTE,
    CODE_UNKNOWN_IMPORTED_NAME,
    CODE_UNKNOWN_KEYWORD,
    CODE_UNKNOWN_METHOD,
    CODE_UNKNOWN_PATH,
    CODE_UNKNOWN_QUERY_PARAM,
    CODE_UNRESOLVED_IMPORT,
    Finding,
)

_CAUSES = [
    (
        "hallucinated_package",
        (
            CODE_UNDECLARED_PACKAGE,
            CODE_DEV_DEPENDENCY_AT_RUNTIME,
            CODE_SUBPATH_NOT_EXPORTED,
            CODE_UNDECLARED_PYTHON_IMPORT,
        ),
    ),
    # a real package, an API it does not have (`requests.post_json`, `httpx.Client(retries=3)`)
    ("hallucinated_api", (CODE_UNKNOWN_IMPORTED_NAME, CODE_UNKNOWN_ATTRIBUTE, CODE_UNKNOWN_KEYWORD)),
    ("invented_export", (CODE_NAME_NOT_EXPORTED, CODE_NO_DEFAULT_EXPORT)),
    ("unresolved_import", (CODE_UNRESOLVED_IMPORT,)),
    ("unknown_endpoint", (CODE_UNKNOWN_PATH, CODE_UNKNOWN_METHOD, CODE_BODY_FIELDS, CODE_UNKNOWN_QUERY_PARAM)),
    ("syntax_error", (CODE_ANSWER_SYNTAX,)),
    ("type_error", (CODE_TYPE_ERROR,)),
    ("style", (CODE_NAMING, CODE_MODULE_STYLE)),
]

# How code is written under each strict flag: what the retry prompt says when the flag bites.
STRICT_FLAGS = {
    "noPropertyAccessFromIndexSignature": "a property that comes from an index signature (a Record, "
    "`headers`, `process.env`) is read and written with brackets: `headers['authorization']`, not `headers.authorization`",
    "exactOptionalPropertyTypes": "an optional property may be left out but never given `undefined`: "
    "spread it in only when it is defined (`...(signal !== undefined ? { signal } : {})`), or give the API's own "
    "empty value (`signal: options.signal ?? null`)",
    "noUncheckedIndexedAccess": "an indexed read (`match[1]`, `list[0]`, `record[key]`) may be undefined: "
    "check it (`const token = match?.[1]; if (token === undefined) …`) instead of asserting it with `!`",
    "noImplicitReturns": "every path of a function that returns a value returns one",
    "noImplicitOverride": "a method that overrides a base class's is marked `override`",
    "verbatimModuleSyntax": "a type is imported with `import type` (or `import { type X }`), and an ES "
    "import/export is written only in an ES module",
    "isolatedModules": "a re-exported type is written `export type { X }`",
    "allowUnreachableCode": "no statement after a return or a throw",
    "noUnusedLocals": "every declared local and import is used (remove the unused ones)",
    "noUnusedParameters": "every parameter is used, or named with a leading underscore",
    "noFallthroughCasesInSwitch": "every non-empty `case` ends with break, return or throw",
}
# TypeScript codes that only one strict flag raises
_FLAG_OF_CODE = {
    "TS4111": "noPropertyAccessFromIndexSignature",
    "TS2375": "exactOptionalPropertyTypes",
    "TS2379": "exactOptionalPropertyTypes",
    "TS2412": "exactOptionalPropertyTypes",
    "TS7030": "noImplicitReturns",
    "TS4114": "noImplicitOverride",
    "TS4115": "noImplicitOverride",
    "TS4116": "noImplicitOverride",
    "TS1484": "verbatimModuleSyntax",
    "TS1485": "verbatimModuleSyntax",
    "TS1287": "verbatimModuleSyntax",
    "TS1295": "verbatimModuleSyntax",
    "TS1205": "isolatedModules",
    "TS7027": "allowUnreachableCode",
    "TS6133": "noUnusedLocals",
    "TS6192": "noUnusedLocals",
    "TS6196": "noUnusedLocals",
    "TS6198": "noUnusedLocals",
    "TS6138": "noUnusedParameters",
    "TS7029": "noFallthroughCasesInSwitch",
}
# generic codes that a strict flag typically causes, when the file's tsconfig sets it
_LIKELY_FLAGS = {
    "exactOptionalPropertyTypes": {"TS2769", "TS2322", "TS2345"},
    "noUncheckedIndexedAccess": {"TS2345", "TS2322", "TS2532", "TS2538", "TS2769", "TS18048"},
}
_TS_CODE = re.compile(r"^(TS\d+):")


def strict_flags_of(findings: Iterable[Finding], flags: Iterable[str] = ()) -> list[str]:
    """The strict flags (of those the tsconfig sets, ``flags``) the type errors among ``findings``
    come from, in the order of :data:`STRICT_FLAGS`."""
    flags = set(flags)
    found: set[str] = set()
    for f in findings:
        m = _TS_CODE.match(f.message) if f.code == CODE_TYPE_ERROR else None
        if m is None:
            continue
        code = m.group(1)
        if code in _FLAG_OF_CODE:  # only that flag raises it: it is on, whatever we read of the tsconfig
            found.add(_FLAG_OF_CODE[code])
        found.update(flag for flag, codes in _LIKELY_FLAGS.items() if flag in flags and code in codes)
    return [flag for flag in STRICT_FLAGS if flag in found]


def root_cause(findings: list[Finding], flags: Iterable[str] = ()) -> str | None:
    """One word for why the findings fail a candidate; ``flags``: the strict flags the file's
    tsconfig sets (a type error they cause is ``strict_tsconfig``)."""
    codes = {f.code for f in findings}
    for cause, members in _CAUSES:
        if codes & set(members):
            if cause == "type_error" and strict_flags_of(findings, flags):
                return "strict_tsconfig"
            return cause
    return "other" if findings else None


def correction(findings: list[Finding], installed: list[str], language: str, flags: Iterable[str] = ()) -> str:
    """What to tell the model: each problem in its own words, plus the facts it got wrong."""
    flags = list(flags)
    cause = root_cause(findings, flags)
    lines = ["Your code does not pass this project's checks:"]
    for f in findings[:12]:
        lines.append(f"- line {f.range.line + 1}: {f.message} [{f.code}]")
    if cause == "hallucinated_package":
        names = sorted({m.group(1) for f in findings if (m := re.search(r"'([^']+)'", f.message))})
        lines.append(
            f"{', '.join(f'`{n}`' for n in names)} cannot be used here. The installed packages are: "
            f"{', '.join(installed) or 'none'}. Use only those (or the standard library), or write the code "
            "without a package."
        )
    elif cause == "hallucinated_api":
        lines.append(
            "Those names do not exist in the versions installed in this project's environment (the messages "
            "name the package, its version and the closest real name). Use only the API these versions have."
        )
    elif cause == "invented_export":
        lines.append("Import only names those modules really export (the messages list the closest real ones).")
    elif cause == "unresolved_import":
        lines.append("Import only files that exist in this project, with the extension rules of its tsconfig.")
    elif cause == "unknown_endpoint":
        lines.append("Call only the API's real paths, methods, fields and query parameters (see the suggestions).")
    elif cause == "syntax_error":
        lines.append("The code must parse: check brackets, quotes and that nothing is left unfinished.")
    elif cause == "strict_tsconfig":
        lines.append("This project's tsconfig is stricter than the defaults; code here must be written for it:")
        for flag in strict_flags_of(findings, flags):
            lines.append(f"- {flag}: {STRICT_FLAGS[flag]}.")
    elif cause == "type_error":
        lines.append("Fix the type errors the compiler reports.")
    fence = {"python": "python", "javascript": "js"}.get(language, "ts")
    lines.append(f"Answer again with exactly one ```{fence} code block holding the whole corrected code.")
    return "\n".join(lines)
