"""Names and module style against the project's own conventions (rule family 4, FA4xx).

Only where the evidence is strong — a clear majority (at least 80% of at least 8 names of that
kind, or 5 files) — and never as more than information/hint, because conventions are advice:

* FA401 — a function, type or file name whose case differs from the project's majority. A
  PascalCase function in a project that uses JSX (its tsconfig sets ``jsx`` or
  ``jsxImportSource``, or the workspace has .tsx/.jsx files) is a component, not a drifted
  function name: hono's ``export const Fragment = …`` in a .ts file is fine; so is a PascalCase
  function where the tsconfig sets ``experimentalDecorators`` (a NestJS/Angular decorator factory,
  ``@Roles(…)``, or a mixin returning a class). Not drift either:
  a published package's exported names (its users import them); a type named after a value of
  the same file (``const userSchema = z.object(…); type userSchema = z.infer<typeof
  userSchema>``, ``type CHUNK = typeof CHUNK``); a case the workspace's published packages
  use for at least three exported names of that kind (tRPC's and zod's ``inferRouterOutputs``,
  ``objectOutputType``: a deliberate second style); a file named after what it exports
  (``ZodError.ts``), a test, story or benchmark named after a module or exported name it is about
  (``parseUtil.test.ts``), or named like most of its folder's files (zod's
  ``v3/helpers/parseUtil.ts`` among camelCase siblings). A drifted name of a declaration gets a
  quick fix renaming it (see :class:`Rename`);
* FA402 — ``require`` in an ES-module package file, or ``import``/``export`` statements in a
  CommonJS ``.js``/``.cjs`` file that Node will run as is (TypeScript files compile either way).
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from ..context.conventions import name_case
from ..context.frameworks import reserves_file_name
from ..context.index import last_segment
from ..context.manifests import BUNDLERS
from ..context.parsing import FileSummary
from ..context.workspace import WorkspaceContext
from ..edits import Fix, TextEdit
from ..findings import CODE_MODULE_STYLE, CODE_NAMING, Finding, Range, Severity
from .exports import ExportRules
from .fixes import lsp_position
from .resolve import resolve_python_relative

MIN_SHARE = 0.8
MIN_NAMES = 8
MIN_FILES = 5
# a name that fits no case style at all (`Parse_Date`) is drift by itself: fewer names make a
# clear enough majority for it than for a name that fits another style (`parse_date`)
MIN_NAMES_NO_STYLE = 3

_KIND_VOTE = {
    "function": "naming.functions",
    "class": "naming.types",
    "interface": "naming.types",
    "type": "naming.types",
    "enum": "naming.types",
    "component": "naming.components",
}
_VALUE_KINDS = frozenset({"variable", "constant", "function", "component", "class"})
_TYPE_KINDS = frozenset({"type", "interface", "enum"})
# a file about another one: a test, spec, story or benchmark, by its name or its folder
_ABOUT_ANOTHER = re.compile(
    r"\.(test|spec|stories|story|bench)\.[cm]?[jt]sx?$|(^|/)(tests?|__tests__|spec|benchmarks?|bench|stories)/"
)
MIN_API_NAMES = 3  # exported names in one case that make it a published package's deliberate style


# word boundaries: separators, a lower letter or digit before a capital, and the end of an
# acronym (the capital that starts the next word: TRPC|Infinite, HTTP|Server)
_WORDS = re.compile(r"[_\-]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _capitalized(word: str) -> str:
    """A word as it stands inside a camel/Pascal name: an acronym stays one (TRPC, not Trpc)."""
    return word if len(word) > 1 and word.isupper() else word.capitalize()


@lru_cache(maxsize=65536)
def fits_no_style(name: str) -> bool:
    """A name of several words in no case style: capitalised words joined by underscores
    (`Parse_Date`, `get_User`, `parse_Date`). Not one that is merely ambiguous (one word:
    `parse`, `URL`), nor a camelCase or PascalCase name with lower-case qualifiers around it —
    a deliberate family or marker (excalidraw's `…Endpoints_simple`/`_complex`,
    `LibraryItems_v1`, `__test__defineOrigId`, `legacy_decodeFromBackend`)."""
    stripped = name.strip("_$")
    if "_" not in stripped or not any(c.isupper() for c in stripped) or not any(c.islower() for c in stripped):
        return False
    segments = [p for p in stripped.split("_") if p]
    if not any(p[0].isupper() and not p.isupper() for p in segments):
        return False  # SCREAMING words with lower-case ones: `DRIVER_INTEL_i965` (frigate), `ID_v2`
    named = [p for p in segments if _MULTI_WORD.match(p)]
    qualifiers = [p for p in segments if p.islower() or p.isdigit()]
    return not (len(named) == 1 and len(named) + len(qualifiers) == len(segments))


def no_style_scheme(name: str) -> str:
    """The shape of a name in no case style, by its words' initials: `Parse_Date` and
    Flowise's `ChatOpenAI_ChatModels` are both "A_A". Many names of one shape are a scheme."""
    return "_".join("A" if p[0].isupper() else "a" for p in name.strip("_$").split("_") if p)


# a name of two words at least in camelCase or PascalCase: `defineOrigId`, `LibraryItems`
_MULTI_WORD = re.compile(r"^[A-Za-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+$")


def convert(name: str, case: str) -> str:
    """'get_user' → 'getUser' (camelCase) and so on: the name the convention asks for
    ('useTRPCQuery' → 'UseTRPCQuery', not 'UseTrpcquery'; 'CHUNK_TYPE' → 'ChunkType': in a name
    with no lower-case letter the capitals are not acronyms)."""
    parts = [p for p in _WORDS.split(name.strip("_")) if p]
    if not any(c.islower() for c in name):
        parts = [p.lower() for p in parts]
    lower = [p.lower() for p in parts]
    if case == "camelCase":
        return lower[0] + "".join(_capitalized(p) for p in parts[1:])
    if case == "PascalCase":
        return "".join(_capitalized(p) for p in parts)
    if case == "snake_case":
        return "_".join(lower)
    if case == "kebab-case":
        return "-".join(lower)
    if case == "SCREAMING_SNAKE_CASE":
        return "_".join(p.upper() for p in lower)
    return name


class ConventionRules:
    def __init__(self, ctx: WorkspaceContext):
        self.ctx = ctx
        self._workspace_jsx: bool | None = None  # one Validator serves one check
        self._exports: ExportRules | None = None  # its resolver (and cache) serves the renames
        self._api_cases: dict[str, Counter] | None = None  # family -> (vote, case) -> published exports
        self._folder_cases: dict[str, Counter] | None = None  # folder -> case of its files' names
        self._names: tuple[set[str], Counter] | None = None  # exported names; file stems
        self._schemes: dict[str, Counter] | None = None  # family -> (vote, scheme) -> names in no case style

    def _conventions(self):
        return self.ctx.conventions()  # cached by the context

    def uses_jsx(self, path: Path) -> bool:
        """Whether PascalCase functions in this file may be JSX components."""
        config = self.ctx.nearest_tsconfig(path)
        if config is not None and (config.option("jsx") or config.option("jsxImportSource")):
            return True
        if self._workspace_jsx is None:
            self._workspace_jsx = any(rel.endswith((".tsx", ".jsx")) for rel in self.ctx.index.files)
        return self._workspace_jsx

    def _decorators(self, path: Path) -> bool:
        """Whether the file's project compiles decorators (tsconfig ``experimentalDecorators``):
        there PascalCase functions are decorator factories and class mixins by convention."""
        config = self.ctx.nearest_tsconfig(path)
        return config is not None and bool(config.option("experimentalDecorators"))

    def resolve_rename(self, recipe: dict) -> Fix | None:
        """The edits of a rename an FA401 finding proposed; None when the file or the name moved
        on, or when the rename cannot be done safely (see :class:`Rename`)."""
        path = Path(str(recipe.get("file", "")))
        if not self.ctx.contains(path):
            return None
        summary = self.ctx.index.files.get(self.ctx.rel(path))
        if summary is None:
            return None
        symbol = next(
            (s for s in summary.symbols if s.name == recipe.get("name") and s.line == recipe.get("line")), None
        ) or next((s for s in summary.symbols if s.name == recipe.get("name")), None)
        new = recipe.get("to")
        if symbol is None or not isinstance(new, str):
            return None
        if self._exports is None:
            self._exports = ExportRules(self.ctx)
        return Rename(self.ctx, self._exports, path, summary, symbol, new).fix()

    def _published(self, path: Path) -> bool:
        """Whether the file belongs to a package others install (``PackageManifest.published``)."""
        package = self.ctx.nearest_package(path)
        return package is not None and package.published

    def check(self, path: Path, summary: FileSummary) -> list[Finding]:
        family = "python" if summary.language == "python" else "typescript"
        votes = self._conventions().get(family, {})
        findings: list[Finding] = []
        about_another = _ABOUT_ANOTHER.search(self.ctx.rel(path)) is not None
        for symbol in summary.symbols:
            vote = votes.get(_KIND_VOTE.get(symbol.kind, ""))
            if vote is None or vote.share < MIN_SHARE:
                continue
            case = name_case(symbol.name)
            if case is None and fits_no_style(symbol.name) and not about_another:
                case = "no style"  # `test_Parse_Date` in a test file is pytest's habit, not drift
                if self._no_style_schemes(family)[(_KIND_VOTE[symbol.kind], no_style_scheme(symbol.name))] >= 3:
                    continue  # a naming scheme of the project's own: Flowise's `ChatOpenAI_ChatModels`
            elif vote.total < MIN_NAMES:
                continue
            if case is None or case == vote.value or (case == "no style" and vote.total < MIN_NAMES_NO_STYLE):
                continue
            if symbol.kind == "function" and case == "PascalCase" and family == "typescript":
                if self.uses_jsx(path):
                    continue  # a component written in a .ts/.js file
                if self._decorators(path):
                    continue  # a decorator factory (`@Roles(…)`) or a mixin returning a class: NestJS, Angular
            if symbol.exported and self._published(path):
                continue  # a published package's API: its users import that name; renaming breaks them
            if symbol.kind in _TYPE_KINDS and any(
                other.name == symbol.name and other.kind in _VALUE_KINDS for other in summary.symbols
            ):
                continue  # the type of a value, named after it: `type userSchema = z.infer<typeof userSchema>`
            if self._api_style(family).get((_KIND_VOTE[symbol.kind], case), 0) >= MIN_API_NAMES:
                continue  # the case of names the workspace's published packages export: deliberate
            wanted = convert(symbol.name, vote.value)
            # the rename reads every importer: computed when asked for (resolve_rename), not here
            recipe = {"kind": "rename", "file": str(path), "name": symbol.name, "line": symbol.line, "to": wanted}
            fix = Fix(f"Rename '{symbol.name}' to '{wanted}'", (), recipe=recipe)
            findings.append(
                Finding(
                    str(path),
                    Range(symbol.line, 0, symbol.line, 0),
                    Severity.INFORMATION,
                    CODE_NAMING,
                    f"'{symbol.name}' {'fits no case style' if case == 'no style' else 'is ' + case}; this project "
                    f"names {_KIND_VOTE[symbol.kind].split('.')[1]} in "
                    f"{vote.value} ({round(vote.share * 100)}% of {vote.total}): '{wanted}'",
                    fixes=(fix,) if fix is not None else (),
                )
            )
        files_vote = votes.get("naming.files")
        base = posixpath.basename(self.ctx.rel(path)).split(".", 1)[0]
        is_component = summary.language == "tsx" and any(s.kind == "component" for s in summary.symbols)
        if (
            files_vote is not None
            and not is_component
            and files_vote.share >= MIN_SHARE
            and files_vote.total >= MIN_FILES
        ):
            case = name_case(base)
            if (
                case is not None
                and case != files_vote.value
                and not self._file_name_fits(path, summary, base, case)
                and not self._reserved(path, base)
            ):
                findings.append(
                    Finding(
                        str(path),
                        Range(0, 0, 0, 0),
                        Severity.HINT,
                        CODE_NAMING,
                        f"file name '{base}' is {case}; this project's files are {files_vote.value}: "
                        f"'{convert(base, files_vote.value)}'",
                    )
                )
        if summary.language != "python":
            findings += self._module_style(path, summary)
        return findings

    def _no_style_schemes(self, family: str) -> Counter:
        """How many names of each (kind vote, scheme) in no case style the workspace has."""
        if self._schemes is None:
            self._schemes = {"python": Counter(), "typescript": Counter()}
            for summary in self.ctx.index.files.values():
                counts = self._schemes["python" if summary.language == "python" else "typescript"]
                for symbol in summary.symbols:
                    if symbol.kind in _KIND_VOTE and fits_no_style(symbol.name):
                        counts[(_KIND_VOTE[symbol.kind], no_style_scheme(symbol.name))] += 1
        return self._schemes[family]

    def _api_style(self, family: str) -> Counter:
        """How many exported names of each (kind vote, case) the workspace's published packages
        have: their API's styles, chosen deliberately (tRPC's ``inferRouterOutputs``)."""
        if self._api_cases is None:
            self._api_cases = {"python": Counter(), "typescript": Counter()}
            for rel, summary in self.ctx.index.files.items():
                exported = [s for s in summary.symbols if s.exported and s.kind in _KIND_VOTE]
                if exported and self._published(self.ctx.root / rel):
                    counts = self._api_cases["python" if summary.language == "python" else "typescript"]
                    for symbol in exported:
                        counts[(_KIND_VOTE[symbol.kind], name_case(symbol.name))] += 1
        return self._api_cases[family]

    def _reserved(self, path: Path, base: str) -> bool:
        """A file name the package's framework gives a meaning (Next.js's ``not-found``, SvelteKit's
        ``+page.server``, Remix's ``_index``): renaming it would change what the app does."""
        manifests = (self.ctx.nearest_package(path), self.ctx.root_package)
        stem = path.name.rsplit(".", 1)[0]  # `+page.server`, `entry.client`: the name up to its extension
        return any(reserves_file_name(name, *manifests) is not None for name in {base, stem})

    def _file_name_fits(self, path: Path, summary: FileSummary, base: str, case: str) -> bool:
        """A file named after something it exports (``ZodError.ts``: class ZodError), a test or
        benchmark named after a module or name of the workspace, or a file in the case most of
        its folder's other files are in (two at least)."""
        if any(s.exported and s.name == base for s in summary.symbols):
            return True
        rel = self.ctx.rel(path)
        if _ABOUT_ANOTHER.search(rel):
            exported, stems = self._workspace_names()
            own = 1 if rel in self.ctx.index.files else 0
            if base in exported or stems[base] > own:
                return True  # `parseUtil.test.ts` tests parseUtil.ts; `nativeEnum.test.ts`, z.nativeEnum
        if self._folder_cases is None:
            self._folder_cases = {}
            for indexed in self.ctx.index.files:
                folder, _, name = indexed.rpartition("/")
                found = name_case(name.split(".", 1)[0])
                if found is not None:
                    self._folder_cases.setdefault(folder, Counter())[found] += 1
        siblings = Counter(self._folder_cases.get(rel.rpartition("/")[0], Counter()))
        if rel in self.ctx.index.files:
            siblings[case] -= 1  # the file itself
        others = sum(n for n in siblings.values() if n > 0)
        return siblings[case] >= 2 and siblings[case] * 2 > others

    def _workspace_names(self) -> tuple[set[str], Counter]:
        """The workspace's exported names, and its file stems with how many files have each:
        what a test, benchmark or story file is named after."""
        if self._names is None:
            exported: set[str] = set()
            stems: Counter = Counter()
            for rel, summary in self.ctx.index.files.items():
                stems[rel.rpartition("/")[2].split(".", 1)[0]] += 1
                exported.update(e.name for e in summary.exports)
            self._names = (exported, stems)
        return self._names

    def _module_style(self, path: Path, summary: FileSummary) -> list[Finding]:
        package = self.ctx.nearest_package(path)
        if package is None:
            return []
        out = []
        esm_file = path.suffix in (".mjs", ".mts") or (package.type == "module" and path.suffix not in (".cjs", ".cts"))
        if esm_file and summary.style.esm:
            for record in summary.imports:
                if record.kind == "require":
                    s = record.span
                    out.append(
                        Finding(
                            str(path),
                            Range(s.line, s.column, s.end_line, s.end_column),
                            Severity.INFORMATION,
                            CODE_MODULE_STYLE,
                            f'require() in an ES-module package ({self.ctx.rel(package.path)} has "type": '
                            f'"module"): use import',
                        )
                    )
        runs_as_cjs = path.suffix == ".cjs" or (path.suffix == ".js" and package.type == "commonjs")
        # a file in a tool's own folder (.storybook/preview.js) is loaded, and transpiled, by that tool
        in_tool_folder = any(part.startswith(".") for part in self.ctx.rel(path).split("/")[:-1])
        if runs_as_cjs and summary.style.esm and not self._bundled() and not in_tool_folder:
            first = next((r for r in summary.imports if r.kind in ("static", "reexport")), None)
            if first is not None:
                s = first.span
                out.append(
                    Finding(
                        str(path),
                        Range(s.line, s.column, s.end_line, s.end_column),
                        Severity.INFORMATION,
                        CODE_MODULE_STYLE,
                        f"import/export in a CommonJS file ({self.ctx.rel(package.path)} has no "
                        '"type": "module"): Node will not run it as is; use require or .mjs',
                    )
                )
        return out

    def _bundled(self) -> bool:
        """Bundler-based apps (Next.js, Vite …) transpile .js modules: no CommonJS complaint there."""
        return bool(self.ctx.declared_packages() & BUNDLERS)


# ---------------------------------------------------------------------- the rename quick fix

_TS_NAMES = ("identifier", "type_identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern")
_TS_SHORTHAND = ("shorthand_property_identifier", "shorthand_property_identifier_pattern")


class Declined(Exception):
    """The rename cannot be done safely (a collision, or a use it cannot see): no fix."""


class Rename:
    """The quick fix renaming one top-level declaration to the conventional name.

    Syntactic, not scope-aware: in the declaring file every reference node with the old text is
    renamed — identifiers and type identifiers, ``{ name }`` shorthands become ``{ name: New }``
    so the object's key stays — but never a property after a dot, a string or a comment.
    Renaming every same-named binding in a file keeps its meaning as long as the new name is
    not already in use there, so a file where it is gets no fix. Files importing the name from
    a module that exposes it (the declaring file, barrels re-exporting it, ``export *``) get
    the imported name changed, and, unless the import has an ``as`` alias, their references
    too. Python: the same within the file (``__all__`` strings included, attributes, keyword
    arguments and methods excluded), and ``from module import name`` importers, relative or
    absolute from the workspace's source roots. The fix is withheld when a use cannot be
    rewritten by name: a namespace import, ``require``, dynamic ``import()`` or a Python
    ``import module`` of an exposing module; and for a symbol that is only a default export.
    """

    def __init__(self, ctx: WorkspaceContext, exports: ExportRules, path: Path, summary: FileSummary, symbol, new: str):
        self.ctx, self.exports, self.summary = ctx, exports, summary
        self.path = ctx.root / ctx.rel(path)  # the form the resolver returns, for comparisons
        self.old, self.new = symbol.name, new
        self.symbol = symbol
        self.python = summary.language == "python"
        self.edits: dict[Path, list[TextEdit]] = {}

    def fix(self) -> Fix | None:
        try:
            self._plan()
        except Declined:
            return None
        if not self.edits.get(self.path):
            return None
        files = [self.path] + sorted(p for p in self.edits if p != self.path)
        return Fix(
            f"Rename '{self.old}' to '{self.new}'",
            tuple(
                (str(p), tuple(sorted(self.edits[p], key=lambda e: (e.line, e.character))))
                for p in files
                if self.edits.get(p)
            ),
        )

    # -------------------------------------------------------------- planning

    def _plan(self) -> None:
        source, tree = self._parse(self.path, self.summary)
        if self._default_only(tree.root_node):
            raise Declined
        self._rename_all(self.path, source, tree)
        # a Python module exposes any top-level name; a TypeScript one only through named exports
        exposing = [self.path] if self.python or self._exports_by_name(self.summary) else []
        exposed = set(exposing)
        while exposing:
            module = exposing.pop()
            if not self.python and any(e.name == self.new for e in self._summary(module).exports):
                raise Declined  # the module would export the new name twice
            for importer, summary in self._importers(module):
                # a file importing from two exposing modules is visited for each (edits dedupe)
                if self._rename_importer(importer, summary, module) and importer not in exposed:
                    exposed.add(importer)
                    exposing.append(importer)

    def _summary(self, path: Path) -> FileSummary:
        return self.ctx.index.files[self.ctx.rel(path)]

    def _exports_by_name(self, summary: FileSummary) -> bool:
        return any(e.name == self.old and e.kind in ("local", "reexport") for e in summary.exports)

    def _default_only(self, root) -> bool:
        if self.python or self._exports_by_name(self.summary):
            return False
        if self.symbol.exported:
            return True  # export default function name()
        for node in root.named_children:
            if node.type == "export_statement" and any(c.type == "default" for c in node.children):
                value = node.child_by_field_name("value")
                if value is not None and value.type == "identifier" and _text(value) == self.old:
                    return True
        return False

    def _parse(self, path: Path, summary: FileSummary):
        """(source bytes, tree) of a file as the editor has it (its open-document tree when kept)."""
        text = self.ctx.read(path)
        if text is None:
            raise Declined
        source = text.encode("utf-8")
        rel = self.ctx.rel(path)
        kept = self.ctx.index.trees.get(rel)
        if kept is not None and kept[0] == source:
            return source, kept[1]
        return source, self.ctx.index.parsers.summarize_tree(rel, summary.language, source)[1]

    # -------------------------------------------------------------- finding importers

    def _importers(self, module: Path):
        """(path, summary) of indexed files with an import record that may name ``module``;
        records are resolved only when their last segment could name it (cheap on big trees)."""
        stem = last_segment(self.ctx.rel(module))
        if self.python:
            stem = module.parent.name if module.name == "__init__.py" else module.stem
        for rel, summary in self.ctx.index.files.items():
            if (summary.language == "python") != self.python or rel == self.ctx.rel(module):
                continue
            for record in summary.imports:
                if self._may_name(record, stem):
                    yield self.ctx.root / rel, summary
                    break

    def _may_name(self, record, stem: str) -> bool:
        spec = record.specifier
        if self.python:
            last = spec.rsplit(".", 1)[-1]
            return last in ("", stem) or stem in record.names
        return last_segment(spec) in (stem, ".", "..", "")

    def _resolve(self, importer: Path, spec: str) -> Path | None:
        if not self.python:
            return self.exports._resolve(importer, spec)
        if spec.startswith("."):
            found = resolve_python_relative(importer, spec)
            return found / "__init__.py" if found is not None and found.is_dir() else found
        rel = spec.replace(".", "/")
        roots = [importer.parent, self.ctx.root, self.ctx.root / "src"]
        for manifest in self.ctx.python.values():
            roots += [manifest.dir, manifest.dir / "src"]
        for base in roots:
            for candidate in (base / f"{rel}.py", base / rel / "__init__.py"):
                if self.ctx.file_exists(str(candidate)):
                    return candidate
        return None

    # -------------------------------------------------------------- rewriting an importer

    def _rename_importer(self, path: Path, summary: FileSummary, module: Path) -> bool:
        """Rename the uses in one importer of ``module``; True when it now exposes the name too."""
        records = []
        for record in summary.imports:
            if self._resolve(path, record.specifier) == module:
                if record.kind not in ("static", "reexport", "python") or (
                    record.kind != "reexport" and "*" in record.names
                ):
                    # require(), import(), import x = require(), import * as ns, Python `import
                    # module` or `from module import *`: the uses are not found by name
                    raise Declined
                records.append(record)
            elif self.python and any(
                self._resolve(path, _submodule(record.specifier, n)) == module for n in record.names if n != "*"
            ):
                raise Declined  # `from package import module`: its uses are attributes
        if not records:
            return False
        source, tree = self._parse(path, summary)
        full, exposes = False, False
        for record in records:
            statement = _statement_at(tree.root_node, record.span)
            if statement is None:
                raise Declined
            if self.python:
                full |= self._python_import(path, source, statement)
            elif statement.type == "import_statement":
                full |= self._ts_specifiers(path, source, statement, "import_specifier")
            elif any(c.type == "namespace_export" for c in statement.named_children):
                raise Declined  # export * as ns from: the uses are properties
            elif "*" in record.names:
                exposes = True  # export * from: the name passes through unchanged
            elif self._ts_specifiers(path, source, statement, "export_specifier"):
                exposes = True  # export { name } from: the barrel exports the new name
        if full:
            self._rename_all(path, source, tree)
            exposes = exposes or self.python or self._exports_by_name(summary)
        return exposes

    def _ts_specifiers(self, path: Path, source: bytes, statement, kind: str) -> bool:
        """Rename ``{ old }`` / ``{ old as x }`` in one statement; True when one has no alias."""
        unaliased = False
        stack = [statement]
        while stack:
            node = stack.pop()
            if node.type == kind:
                name = node.child_by_field_name("name")
                if name is not None and _text(name) == self.old:
                    self._edit(path, source, name, self.new)
                    unaliased |= node.child_by_field_name("alias") is None
                continue
            stack.extend(node.named_children)
        return unaliased

    def _python_import(self, path: Path, source: bytes, statement) -> bool:
        """Rename ``from m import old`` / ``old as x``; True when one has no alias."""
        unaliased = False
        for name in statement.children_by_field_name("name"):
            target = name.child_by_field_name("name") if name.type == "aliased_import" else name
            if target is not None and _text(target) == self.old:
                self._edit(path, source, target, self.new)
                unaliased |= name.type != "aliased_import"
        return unaliased

    # -------------------------------------------------------------- renaming inside one file

    def _rename_all(self, path: Path, source: bytes, tree) -> None:
        """Every reference to the name in the file, after making sure the new name is free."""
        if any(True for _ in self._references(tree.root_node, self.new, with_imports=True)):
            raise Declined
        for node in self._references(tree.root_node, self.old, with_imports=False):
            shorthand = node.type in _TS_SHORTHAND  # { old } → { old: New }: the key stays
            self._edit(path, source, node, f"{self.old}: {self.new}" if shorthand else self.new)

    def _references(self, root, text: str, with_imports: bool):
        """Nodes naming ``text`` as a binding or reference (not properties, strings, comments).
        Import statements (and TypeScript ``export … from``) name other modules' exports:
        included only when checking that a name is free."""
        encoded = text.encode("utf-8")
        stack = [root]
        while stack:
            node = stack.pop()
            kind = node.type
            if kind == "future_import_statement" or (
                not with_imports
                and (
                    kind in ("import_statement", "import_from_statement")
                    or (kind == "export_statement" and node.child_by_field_name("source") is not None)
                )
            ):
                continue
            if self.python:
                if kind in ("import_statement", "import_from_statement"):
                    stack.extend(_python_bindings(node))  # not the module path: `from .x import y`
                    continue
                if kind == "identifier" and node.text == encoded and not self._python_excluded(node):
                    yield node
                elif kind == "expression_statement" and _is_all(node):
                    yield from (s for s in _all_strings(node) if s.text == encoded)
                    continue
            elif kind in _TS_NAMES and node.text == encoded:
                parent = node.parent
                if not (
                    parent is not None
                    and parent.type == "export_specifier"
                    and node == parent.child_by_field_name("alias")
                ):
                    yield node  # (an export alias is the exported name, not a reference)
                continue
            stack.extend(node.named_children)

    @staticmethod
    def _python_excluded(node) -> bool:
        parent = node.parent
        if parent is None:
            return False
        if parent.type == "attribute" and node == parent.child_by_field_name("attribute"):
            return True  # obj.name
        if parent.type == "keyword_argument" and node == parent.child_by_field_name("name"):
            return True  # f(name=…) names a parameter
        if parent.type in ("function_definition", "class_definition") and node == parent.child_by_field_name("name"):
            holder = (
                parent.parent if parent.parent is not None and parent.parent.type == "decorated_definition" else parent
            )
            return _in_class_body(holder)  # a method
        if parent.type == "assignment" and node == parent.child_by_field_name("left"):
            return _in_class_body(parent.parent)  # a class attribute
        return False

    def _edit(self, path: Path, source: bytes, node, text: str) -> None:
        """A TextEdit over the node (tree-sitter columns are bytes; edits count UTF-16 units)."""
        edit = TextEdit(*lsp_position(source, node.start_byte), *lsp_position(source, node.end_byte), text)
        edits = self.edits.setdefault(path, [])
        if edit not in edits:
            edits.append(edit)


def _text(node) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text is not None else ""


def _statement_at(root, span):
    """The import/export statement whose specifier (or Python module name) is at ``span``."""
    node = root.named_descendant_for_point_range((span.line, span.column), (span.end_line, span.end_column))
    while node is not None and node.type not in ("import_statement", "export_statement", "import_from_statement"):
        node = node.parent
    return node


def _in_class_body(statement) -> bool:
    block = statement.parent if statement is not None else None
    return (
        block is not None
        and block.type == "block"
        and block.parent is not None
        and block.parent.type == "class_definition"
    )


def _python_bindings(statement):
    """The identifiers a Python import statement binds in the importing file."""
    for name in statement.children_by_field_name("name"):
        if name.type == "aliased_import":
            alias = name.child_by_field_name("alias")
            if alias is not None:
                yield alias
        elif name.named_children:  # dotted_name: `import a.b` binds a; `from m import a` binds a
            yield name.named_children[0]


def _submodule(specifier: str, name: str) -> str:
    return specifier + name if specifier.endswith(".") else f"{specifier}.{name}"


def _is_all(node) -> bool:
    """A module-level ``__all__ = [...]`` statement."""
    assign = node.named_children[0] if node.named_child_count else None
    if assign is None or assign.type != "assignment" or node.parent is None or node.parent.type != "module":
        return False
    left = assign.child_by_field_name("left")
    return left is not None and left.text == b"__all__"


def _all_strings(node):
    right = node.named_children[0].child_by_field_name("right")
    if right is None or right.type not in ("list", "tuple"):
        return
    for item in right.named_children:
        if item.type == "string":
            yield from (c for c in item.named_children if c.type == "string_content")
