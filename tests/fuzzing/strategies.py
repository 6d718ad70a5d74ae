"""Hypothesis strategies that reach the shapes a hostile or broken repository has.

Owns the generators the fuzz targets draw from: JSON-ish values with the keys our parsers look
at, text mutated towards invalid (truncated, invalid UTF-8 decoded with replacement, deep
nesting), YAML with anchors, aliases and recursive anchors, TOML with the wrong types in the
places manifests are read, gitignore lines built from wildmatch's special characters, and
``$ref`` / ``extends`` strings that point into cycles, at nothing, or outside the workspace.
"""

from __future__ import annotations

import json

from hypothesis import strategies as st

# keys the parsers read (package.json, pyproject, tsconfig, OpenAPI, settings): a fuzzer that only
# produces random keys never reaches the code that reads them
KEYS = [
    "name",
    "version",
    "private",
    "type",
    "exports",
    "imports",
    "workspaces",
    "packages",
    "dependencies",
    "devDependencies",
    "peerDependencies",
    "optionalDependencies",
    "tsconfig",
    "project",
    "tool",
    "poetry",
    "group",
    "dev-dependencies",
    "optional-dependencies",
    "dependency-groups",
    "requires-python",
    "extends",
    "compilerOptions",
    "baseUrl",
    "paths",
    "typeRoots",
    "rootDir",
    "outDir",
    "include",
    "exclude",
    "files",
    "references",
    "path",
    "openapi",
    "swagger",
    "info",
    "servers",
    "url",
    "components",
    "schemas",
    "securitySchemes",
    "security",
    "parameters",
    "requestBody",
    "responses",
    "content",
    "schema",
    "headers",
    "operationId",
    "tags",
    "in",
    "required",
    "$ref",
    "get",
    "post",
    "",
    "~1",
    "a/b",
    "0",
]

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["", ".", "..", "/", "module", "commonjs", "3.0.0", "3.1.0", "python", "\x00", "*", "**/*"]),
)

KEY = st.one_of(st.sampled_from(KEYS), st.text(max_size=8))


def json_values(max_leaves: int = 30) -> st.SearchStrategy:
    """Nested dict/list/scalar values whose keys are mostly the ones parsers read."""
    return st.recursive(
        SCALARS,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(KEY, children, max_size=5),
        ),
        max_leaves=max_leaves,
    )


def json_objects(max_leaves: int = 30) -> st.SearchStrategy:
    return st.dictionaries(KEY, json_values(max_leaves), max_size=8)


def _dump_json(value: object) -> str:
    return json.dumps(value, allow_nan=True)


@st.composite
def mutated(draw, text: str) -> str:
    """``text`` itself, truncated, with a slice replaced by junk, or with a BOM in front."""
    how = draw(st.sampled_from(["same", "truncate", "splice", "bom", "null"]))
    if how == "same" or not text:
        return text
    if how == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    if how == "bom":
        return "\ufeff" + text
    if how == "null":
        at = draw(st.integers(0, len(text)))
        return text[:at] + "\x00" + text[at:]
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    junk = draw(st.text(alphabet=st.sampled_from("{}[]\",:#/*\n\\'&*!|>-?%@`"), max_size=6) | st.text(max_size=6))
    return text[:start] + junk + text[end:]


def invalid_utf8() -> st.SearchStrategy[str]:
    """Random bytes read the way the engine reads files (UTF-8 with replacement)."""
    return st.binary(max_size=200).map(lambda b: b.decode("utf-8", errors="replace"))


def deep_nesting() -> st.SearchStrategy[str]:
    return st.builds(
        lambda open_, close, n, closed: open_ * n + (close * n if closed else ""),
        st.sampled_from(["[", "{", '{"a":', "[{", "- ", "a: {"]),
        st.sampled_from(["]", "}", "}", "}]", "", "}"]),
        st.integers(1, 3000),
        st.booleans(),
    )


def json_texts(objects: st.SearchStrategy | None = None) -> st.SearchStrategy[str]:
    """JSON documents (mostly objects of the keys parsers read), broken ones, and non-JSON."""
    valid = (objects if objects is not None else json_objects()).map(_dump_json) | json_values().map(_dump_json)
    return st.one_of(
        valid,
        valid.flatmap(mutated),
        invalid_utf8(),
        deep_nesting(),
        st.text(max_size=80),
    )


# -------------------------------------------------------------------------------- YAML


def billion_laughs(depth: int, width: int) -> str:
    lines = ["openapi: 3.0.0", "info: {title: bomb, version: '1'}", "paths: {}", "x-a: &a [lol, lol]"]
    names = [f"n{i}" for i in range(depth)]
    previous = "a"
    for name in names:
        lines.append(f"x-{name}: &{name} [{', '.join([f'*{previous}'] * width)}]")
        previous = name
    return "\n".join(lines) + "\n"


YAML_SNIPPETS = [
    "x: &a [1, *a]\n",  # an alias inside its own anchor
    "x: &a {k: *a}\n",
    "&a [*a]\n",
    "x: *undefined\n",
    "x: &a 1\ny: *a\n",
    "x: &a {b: &b [*a, *b]}\n",
    "<<: *a\n",
    "x: &a {p: 1}\ny: {<<: *a, q: 2}\n",
    "? [a, b]\n: c\n",
    "? {a: 1}\n: c\n",
    "!!python/object:os.system x\n",
    "x: !!binary AAAA\n",
    "x: !!timestamp 2001-12-14\n",
    "x: !custom 1\n",
    "--- a\n--- b\n",
    "%YAML 1.1\n---\nx: 1\n",
    "x: 'unterminated\n",
    "\t- tab\n",
    "x: [1, 2\n",
    "x: 1e99999\n",
    "x: .nan\n",
    "paths: &p\n  /a: {get: {responses: {'200': {description: x}}}}\n  /b: *p\n",
]


@st.composite
def yaml_texts(draw, base: st.SearchStrategy | None = None) -> str:
    """YAML: generated data dumped as block or flow YAML, hostile snippets, bombs, junk."""
    import yaml

    kind = draw(st.sampled_from(["dump", "flow", "snippet", "bomb", "junk", "mutated", "combined"]))
    if kind in ("dump", "flow", "mutated"):
        value = draw(base if base is not None else json_values())
        try:
            text = yaml.safe_dump(value, default_flow_style=(kind == "flow"), allow_unicode=True)
        except yaml.YAMLError:
            text = "x: 1\n"
        return draw(mutated(text)) if kind == "mutated" else text
    if kind == "snippet":
        return draw(st.sampled_from(YAML_SNIPPETS))
    if kind == "combined":
        return "".join(draw(st.lists(st.sampled_from(YAML_SNIPPETS), min_size=1, max_size=3)))
    if kind == "bomb":
        return billion_laughs(draw(st.integers(1, 12)), draw(st.integers(1, 12)))
    return draw(st.one_of(invalid_utf8(), deep_nesting(), st.text(max_size=80)))


# -------------------------------------------------------------------------------- TOML


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(max(min(value, 2**63 - 1), -(2**63)))
    if isinstance(value, float):
        return repr(value) if value == value and abs(value) != float("inf") else "nan"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items()) + "}"
    return '""'


REQUIREMENT_STRINGS = [
    "requests",
    "requests>=2",
    "Django[bcrypt]~=4.2",
    "pkg; python_version < '3.8'",
    "pkg @ https://example.com/pkg.whl",
    "pkg==1.*",
    "pkg===weird",
    "pkg (>=1)",
    "pkg[",
    "pkg;",
    "pkg; os_name == ",
    ">=1",
    "-e .",
    "",
    " ",
    "python",
    "Python",
    "pkg>=1,<2,!=1.5",
    "a" * 300,
]

REQUIREMENTS = st.one_of(st.sampled_from(REQUIREMENT_STRINGS), st.text(max_size=20))

TOML_TABLES = [
    "project",
    "tool",
    "tool.poetry",
    "tool.poetry.dependencies",
    "tool.poetry.dev-dependencies",
    "tool.poetry.group",
    "tool.poetry.group.dev",
    "tool.poetry.group.dev.dependencies",
    "project.optional-dependencies",
    "dependency-groups",
]

TOML_KEYS = [
    "name",
    "requires-python",
    "dependencies",
    "optional-dependencies",
    "dev-dependencies",
    "group",
    "poetry",
    "python",
    "version",
    "dev",
    "test",
    "requests",
]


@st.composite
def pyproject_texts(draw) -> str:
    """pyproject.toml: the real tables with values of every type where lists/tables are read."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.one_of(invalid_utf8(), st.text(max_size=80)))
    value = st.one_of(
        REQUIREMENTS,
        st.lists(st.one_of(REQUIREMENTS, SCALARS.filter(lambda v: v is not None)), max_size=4),
        st.dictionaries(st.sampled_from(TOML_KEYS) | st.text(max_size=6), REQUIREMENTS | st.integers(), max_size=3),
        st.dictionaries(
            st.sampled_from(TOML_KEYS),
            st.lists(REQUIREMENTS, max_size=3) | st.dictionaries(st.sampled_from(TOML_KEYS), REQUIREMENTS, max_size=2),
            max_size=3,
        ),
        st.integers(),
        st.booleans(),
    )
    lines: list[str] = []
    for table in draw(st.lists(st.sampled_from(TOML_TABLES), max_size=5, unique=True)):
        lines.append(f"[{table}]")
        for key, item in draw(st.dictionaries(st.sampled_from(TOML_KEYS), value, max_size=4)).items():
            lines.append(f"{json.dumps(key)} = {_toml_value(item)}")
    text = "\n".join(lines) + "\n"
    return draw(mutated(text)) if draw(st.integers(0, 4)) == 0 else text


@st.composite
def requirements_texts(draw) -> str:
    line = st.one_of(
        REQUIREMENTS,
        st.sampled_from(
            ["-r", "-r ", "-r other.txt", "--requirement x", "-c c.txt", "# comment", "pkg # trailing", "--hash=x"]
        ),
        st.builds(lambda a, b: a + b, st.sampled_from(["-r ", "-c ", "--index-url ", "./", "/"]), st.text(max_size=8)),
    )
    lines = draw(st.lists(line, max_size=8))
    sep = draw(st.sampled_from(["\n", "\r\n", "\r", "\n\n"]))
    return sep.join(lines)


# -------------------------------------------------------------------------------- gitignore

GITIGNORE_ATOMS = [
    "!",
    "!!",
    "\\",
    "\\!",
    "\\#",
    "#",
    "*",
    "**",
    "***",
    "/**/",
    "**/",
    "/",
    "//",
    "[",
    "[!",
    "[]",
    "[]]",
    "[a-",
    "[z-a]",
    "[[:alpha:]]",
    "?",
    " ",
    "\\ ",
    "\t",
    "a",
    "b/",
    "src",
    "node_modules",
    ".",
    "..",
    "../x",
    "é",
    "\x00",
]


def gitignore_lines() -> st.SearchStrategy[list[str]]:
    atom_line = st.lists(st.sampled_from(GITIGNORE_ATOMS), min_size=1, max_size=4).map("".join)
    return st.lists(st.one_of(atom_line, st.text(max_size=10)), max_size=8)


REL_PATHS = st.lists(
    st.one_of(
        st.sampled_from(["a", "b", "src", "node_modules", "x.ts", ".", "é", " ", "[", "*", "\\"]),
        st.text(min_size=1, max_size=5),
    ),
    min_size=1,
    max_size=4,
).map("/".join)


# -------------------------------------------------------------------------------- refs and extends

OUTSIDE = ["../../etc/passwd", "../../../../../../etc/hosts", "/etc/passwd", "/dev/zero", "/proc/self/environ", "~/x"]


def ref_strings(files: list[str]) -> st.SearchStrategy[str]:
    """$ref values: local pointers (existing, missing, odd), other files (cycles), missing files,
    files outside the workspace, remote URLs, and junk."""
    pointers = st.sampled_from(
        [
            "#",
            "",
            "#/",
            "#/components/schemas/A",
            "#/components/schemas/B",
            "#/components/parameters/P",
            "#/components/responses/R",
            "#/a/b",
            "#/paths/~1items/get",
            "#/paths/~1items",
            "#/components/schemas/A/properties/x",
            "#/servers/0",
            "#/servers/99",
            "#/servers/-1",
            "#/servers/x",
            "#%ZZ",
            "#/~2",
            "#a",
        ]
    )
    file_part = st.sampled_from(files + ["missing.yaml", "sub/missing.json", "", ".", "sub/", "sub"] + OUTSIDE)
    return st.one_of(
        pointers,
        st.builds(lambda f, p: f + p, file_part, pointers),
        file_part,
        st.sampled_from(["http://example.com/x.yaml#/a", "file:///etc/passwd", "\x00", "a\x00b.yaml"]),
        st.text(max_size=10),
    )


def extends_specs(files: list[str]) -> st.SearchStrategy:
    one = st.one_of(
        st.sampled_from([f"./{f}" for f in files] + files),
        st.sampled_from(["./missing.json", "./sub", "./", ".", "..", "../"] + OUTSIDE),
        st.sampled_from(["@tsconfig/node20", "@tsconfig/node20/tsconfig.json", "pkg", "pkg/sub", "@scope", "@", "/"]),
        st.sampled_from(["C:\\x", "\x00", "./a\x00b.json", "./" + "x" * 300]),
        st.text(max_size=10),
        SCALARS,
    )
    return st.one_of(one, st.lists(one, max_size=4), json_values(8))
