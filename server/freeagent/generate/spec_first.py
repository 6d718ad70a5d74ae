"""Spec-first generation for one operation into one file: the path every caller shares.

Owns choosing the targets that make sense for a file, reading the target file (its own
declarations, its imports, an Express router and the prefix it is mounted under), the map of
names the project already exports (so existing types are imported, not redefined), assembling
declarations + code in the project's style, placing it (replacing the marker line; after the
enclosing class or function when the marker sits inside one), merging imports, and checking
the result against the operation.
"""

from __future__ import annotations

import posixpath
import re
import time
from dataclasses import dataclass
from pathlib import Path

from ..context.parsing import Parsers
from ..context.workspace import WorkspaceContext
from ..edits import TextEdit, apply_edits
from ..findings import Finding
from ..languages import TS_SUFFIXES
from ..specs.model import Operation
from ..specs.registry import RefError, Registry
from .check import check_client, check_handler, check_python
from .naming import property_key
from .result import Generation
from .ts import auth
from .ts.client import Emitted, body_type, generate_client, params_type, response_types
from .ts.handlers import FRAMEWORKS, IMPORTED_NAMES, express_path, generate_handler
from .ts.imports import merge_imports
from .ts.schemas import TypeEmitter, ZodEmitter
from .ts.style import TsStyle, style_for

TARGETS = ("types", "schema", "client", "handler")


class GenerationError(Exception):
    """The request cannot be served (unsupported file, unknown operation …): a clear message."""


_ROUTE_FILE = re.compile(r"(^|/)(routes?|routers?|handlers?|controllers?|server|app|api/.+/route)(/|\.|$)")
_CLIENT_FILE = re.compile(r"(^|/)(api|client|clients|services?|hooks?|components?|lib|sdk)(/|[-.]|$)|client")
_SCHEMA_FILE = re.compile(r"(^|/)(schemas?|validation|validators?)(/|\.|$)")
_TYPES_FILE = re.compile(r"(^|/)(types?|models?|interfaces?)(/|\.|$)|\.d\.ts$")


def targets_for(rel_path: str, text: str) -> list[str]:
    """The targets worth offering in a file, most likely first."""
    out = []
    if _ROUTE_FILE.search(rel_path) or re.search(r"\bRouter\(\)|express\(\)|new Hono\b|FastifyInstance", text):
        out.append("handler")
    if _CLIENT_FILE.search(rel_path) and "handler" not in out:
        out.append("client")
    if _SCHEMA_FILE.search(rel_path):
        out.append("schema")
    if _TYPES_FILE.search(rel_path):
        out.append("types")
    for t in ("client", "types", "schema"):
        if t not in out:
            out.append(t)
    return out


@dataclass
class FileFacts:
    declared: set[str]  # top-level names declared or imported in the file
    router: str | None  # an Express Router() variable
    routes: list[str]  # paths already registered on the router / Hono app
    hono: str | None = None  # a `new Hono()` variable


def _file_facts(parsers: Parsers, rel: str, text: str) -> FileFacts:
    language = "tsx" if rel.endswith("x") else "typescript"
    summary = parsers.summarize(rel, language, text.encode("utf-8"))
    declared = {s.name for s in summary.symbols}
    for imp in summary.imports:
        declared.update(n for n in imp.names if n not in ("*", "default"))
    for m in re.finditer(r"import\s+(?:type\s+)?(\w+)\s*(?:,|\s+from)", text):
        declared.add(m.group(1))
    declared.update(re.findall(r"^(?:export\s+)?(?:async\s+)?function\s+(\w+)", text, re.M))
    router = hono = None
    router_match = re.search(r"(?:const|let)\s+(\w+)\s*(?::\s*\w+)?\s*=\s*(?:express\.)?Router\(", text)
    if router_match:
        router = router_match.group(1)
    hono_match = re.search(r"(?:const|let)\s+(\w+)\s*(?::\s*[\w<>{}, ]+)?\s*=\s*new\s+Hono\b", text)
    if hono_match:
        hono = hono_match.group(1)
    app = router or hono
    routes = (
        re.findall(rf"\b{re.escape(app)}\.(?:get|post|put|patch|delete)\(\s*['\"]([^'\"]+)['\"]", text) if app else []
    )
    return FileFacts(declared, router, routes, hono)


def mount_prefix(routes: list[str], operations: list[Operation]) -> str:
    """The prefix a router is mounted under: '/tasks' when it serves '/:taskId' for '/tasks/{taskId}'."""
    spec_paths = sorted({express_path(op.path) for op in operations})
    for loose in (False, True):  # same parameter names first (':taskId' is not ':projectId')
        votes: dict[str, int] = {}
        for route in set(routes):
            body = re.escape(route)
            if loose:
                body = re.sub(r":\w+", ":[^/]+", body)
            pattern = re.compile("^(.*?)" + body + "$")
            for sp in spec_paths:
                m = pattern.match(sp)
                if m and (m.group(1) == "" or m.group(1).startswith("/")):
                    votes[m.group(1)] = votes.get(m.group(1), 0) + 1
        if votes:
            return sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return ""


def _generated(
    op: Operation, target: str, file: Path, body: str, edits: list[TextEdit], findings: list[Finding], started: float
) -> Generation:
    """One operation's ``target`` generated into ``file`` (TypeScript or Python alike)."""
    return Generation(
        code=body,
        edits={str(file): edits},
        source="spec",
        operation=op.id,
        target=target,
        file=str(file),
        seconds=time.perf_counter() - started,
        findings=findings,
        title=f"Generate {target} for {op.id} ({op.method} {op.path})",
    )


class SpecGenerator:
    def __init__(self, ctx: WorkspaceContext, registry: Registry, create_files: bool = True):
        self.ctx = ctx
        self.create_files = create_files
        self.registry = registry
        self.parsers = ctx.index.parsers
        self._pending_auth: dict[Path, Path] = {}  # folder -> auth module a generate_all run creates

    def http_client(self, file: Path) -> str:
        """fetch, or axios/ky when the file's package declares it and the project uses it."""
        package = self.ctx.nearest_package(file)
        vote = self.ctx.conventions().get("typescript", {}).get("http_client")
        for library in ("axios", "ky"):
            if package is not None and package.declared(library) and (vote is None or vote.value == library):
                return library
        return "fetch"

    def uses_zod(self, file: Path) -> bool:
        package = self.ctx.nearest_package(file)
        return (
            package is None
            or package.declared("zod") is not None
            or any(m.declared("zod") for m in self.ctx.packages.values() if m.path.parent == self.ctx.root)
        )

    def framework(self, file: Path) -> str | None:
        """The HTTP framework the file's package declares (express, fastify, hono, next …)."""
        from ..context.conventions import HTTP_FRAMEWORKS

        package = self.ctx.nearest_package(file)
        if package is None:
            return None
        declared = [HTTP_FRAMEWORKS[name] for name in HTTP_FRAMEWORKS if package.declared(name)]
        return declared[0] if declared else None

    def _refuse_verbatim_commonjs(self, file: Path) -> None:
        """``verbatimModuleSyntax`` in a file TypeScript emits as CommonJS makes every ES
        ``import``/``export`` an error (TS1295, TS1287): such a package writes ``import x =
        require()`` and ``export =``, which the generators do not. Said plainly, not left to tsc."""
        config = self.ctx.nearest_tsconfig(file)
        if config is None or config.option("verbatimModuleSyntax") is not True:
            return
        package = self.ctx.nearest_package(file)
        esm_package = package is not None and package.type == "module"
        commonjs = config.module == "commonjs" or (
            config.module in ("node16", "node18", "node20", "nodenext")
            and file.suffix not in (".mts",)
            and (file.suffix == ".cts" or not esm_package)
        )
        if commonjs:
            raise GenerationError(
                f"{self.ctx.rel(file) if self.ctx.contains(file) else file.name} is a CommonJS module under "
                f"verbatimModuleSyntax ({self.ctx.rel(config.path) if self.ctx.contains(config.path) else config.path}): "
                "ES import/export cannot be written there (TS1295/TS1287), only `import x = require()` and "
                '`export =`, which spec-first generation does not write. Make the package ESM ("type": "module") '
                "or turn verbatimModuleSyntax off for it."
            )

    def existing_exports(self, file: Path) -> dict[str, str]:
        """Names exported by other files of the same package → the specifier to import them by."""
        package = self.ctx.nearest_package(file)
        style = style_for(self.ctx, file)
        out: dict[str, str] = {}
        for rel, summary in sorted(self.ctx.index.files.items()):
            other = self.ctx.root / rel
            if other == file or summary.language == "python" or rel.endswith(".d.ts"):
                continue
            if re.search(r"(^|/)(test|tests|__tests__)/|\.(test|spec)\.", rel):
                continue
            if package is not None and self.ctx.nearest_package(other) is not package:
                continue
            spec = posixpath.relpath(rel, posixpath.dirname(self.ctx.rel(file)) or ".")
            if not spec.startswith("."):
                spec = "./" + spec
            if spec.endswith(TS_SUFFIXES):
                spec = spec[: spec.rindex(".")]
            if spec.endswith("/index"):
                spec = spec[: -len("/index")]
            elif style.relative_extension:
                spec += style.relative_extension
            for export in summary.exports:
                if export.kind in ("local", "reexport") and export.name not in ("default", "*"):
                    out.setdefault(export.name, spec)
        return out

    def generate(self, op: Operation, target: str, file: Path, text: str, marker_line: int | None) -> Generation:
        """``op`` as ``target`` code into ``file``; a request that cannot be served, or a schema
        of the operation whose ``$ref`` leads nowhere, is a :class:`GenerationError` saying why."""
        try:
            return self._generate(op, target, file, text, marker_line)
        except RefError as exc:  # schemas resolve lazily: a broken $ref deep inside one meets us here
            where = f"{exc.doc.path.name}#{exc.pointer}"
            raise GenerationError(f"{op.label} cannot be generated: {exc.message} (at {where})") from None

    def _generate(self, op: Operation, target: str, file: Path, text: str, marker_line: int | None) -> Generation:
        started = time.perf_counter()
        if target not in TARGETS:
            raise GenerationError(f"unknown target '{target}' (choose one of {', '.join(TARGETS)})")
        rel = self.ctx.rel(file) if self.ctx.contains(file) else file.name
        if file.suffix == ".py":
            return self._generate_python(op, target, file, rel, text, marker_line, started)
        if file.suffix not in TS_SUFFIXES:
            raise GenerationError(
                f"{file.name}: spec-first generation writes TypeScript (.ts/.tsx) and Python (.py) files"
            )
        self._refuse_verbatim_commonjs(file)
        style = style_for(self.ctx, file)
        facts = _file_facts(self.parsers, rel, text)
        other_edits: dict[str, list[TextEdit]] = {}  # files besides ``file`` (created: the auth module)
        exports = self.existing_exports(file)
        existing = {k: v for k, v in exports.items() if k not in facts.declared}
        types = TypeEmitter(self.registry, style, existing, reserved=IMPORTED_NAMES)
        zod = ZodEmitter(self.registry, style, existing, types)
        emitted = Emitted()
        route = None
        if target == "types":
            pt = params_type(op, types, style)
            if pt:
                emitted.declarations[pt[0]] = pt[1]
            bt = body_type(op, types)
            ok, _ = response_types(op, types, success=True)
            from .naming import pascal

            lines = []
            taken = set(types.decls.code) | set(types.decls.reused) | facts.declared | set(emitted.declarations)
            for suffix, value in (("Body", bt[0] if bt else None), ("Response", ok)):
                alias = f"{pascal(op.id)}{suffix}"
                if value is None or value == alias:  # the component itself has the alias's name
                    continue
                while alias in taken:  # a component already has the name (Plaid's `XResponse` schemas)
                    alias += "Type" if not alias.endswith("Type") else "2"
                taken.add(alias)
                lines.append(f"export type {alias} = {value}{style.end}")
            emitted.code = "\n".join(lines)
        elif target == "schema" and not self.uses_zod(file):
            from .naming import pascal
            from .ts.guards import GuardEmitter

            guards = GuardEmitter(types)
            names = []
            if op.body and op.body.content:
                media = next((m for m in op.body.content if "json" in m), None)
                if media:
                    names.append(guards.guard_for(op.body.content[media], f"{op.id}Body"))
            for r in op.success_responses():
                media = next((m for m in r.content if "json" in m), None)
                if media:
                    names.append(guards.guard_for(r.content[media], f"{op.id}Response"))
                    break
            if not names:
                raise GenerationError(f"{op.id} has no JSON body to check")
            last = list(guards.decls)[-1]
            emitted.code = guards.decls.pop(last)
            emitted.declarations.update(guards.decls)
        elif target == "schema":
            from .naming import camel

            parts = []
            for location in ("path", "query"):
                params = op.params(location)
                if params:
                    entries = ",\n".join(
                        f"{style.indent}{property_key(p.name, style.quote)}: "
                        f"{zod.ref(p.schema) if p.schema else 'z.string()'}{'' if p.required else '.optional()'}"
                        for p in params
                    )
                    name = f"{camel(op.id)}{'Params' if location == 'path' else 'Query'}Schema"
                    parts.append(
                        f"export const {name} = z.object({{\n{entries}{',' if style.trailing_comma else ''}\n}}){style.end}"
                    )
            if op.body and op.body.content:
                media = next((m for m in op.body.content if "json" in m), next(iter(op.body.content)))
                value = zod.ref(op.body.content[media])
                name = f"{camel(op.id)}BodySchema"
                if value != name:  # else the body's component schema already has the name
                    while name in zod.decls.code:
                        name = name.removesuffix("Schema") + "InputSchema"
                    parts.append(f"export const {name} = {value}{style.end}")
            if not parts:
                raise GenerationError(f"{op.id} has no parameters or body to validate")
            emitted.code = "\n\n".join(parts)
            emitted.imports.append(("zod", "z", False))
        elif target == "client":
            emitted = generate_client(op, types, style, facts.declared, text, self.http_client(file))
        else:
            framework = self.framework(file)
            if not self.uses_zod(file):
                raise GenerationError(
                    f"handlers validate requests with zod, which {rel}'s package does not depend on; "
                    "add it (npm install zod) — the schema target gives plain type guards meanwhile"
                )
            if framework not in FRAMEWORKS:
                raise GenerationError(
                    f"handlers are generated for Express, Fastify, Hono and Next.js; {rel} belongs to a "
                    f"{framework + ' ' if framework else ''}package without one of them"
                )
            app = facts.router if framework == "express" else facts.hono if framework == "hono" else None
            if framework == "next":
                if not re.search(r"(^|/)route\.(ts|tsx|mts)$", rel):
                    raise GenerationError(f"Next.js route handlers live in app/**/route.ts, not {rel}")
                if op.method in facts.declared:
                    raise GenerationError(f"{rel} already exports {op.method}")
            prefix = mount_prefix(facts.routes, self.registry.operations) if app else ""
            alternatives = auth.requirements(op)
            if alternatives == []:
                kinds = sorted({s.type + (f" {s.scheme}" if s.scheme else "") for alt in op.security for s in alt})
                raise GenerationError(
                    f"{op.label} is secured by {', '.join(kinds)}, which a generated handler cannot check "
                    "(it checks bearer/OAuth2/OpenID Connect tokens, HTTP basic and API keys)"
                )
            auth_module = None
            names = auth.imports_used(alternatives or [])
            in_file = all(n in facts.declared for n in names)  # imported or declared by the file already
            if alternatives and not in_file:
                auth_module, other_edits = self.auth_module(file, style, names, exports)
            emitted = generate_handler(op, framework, types, zod, style, facts.declared, app, prefix, auth_module)
            if alternatives and auth_module is None and not in_file:  # no file creation: inline
                emitted.declarations = {"verifyBearer": auth.module_text(style).rstrip("\n"), **emitted.declarations}
            if app:
                route = express_path(op.path)
                route = (route[len(prefix) :] or "/") if prefix and route.startswith(prefix) else route
        # declarations: component types, then zod schemas, then the operation's own pieces
        uses_zod = bool(zod.decls.code) or any("z." in d for d in emitted.declarations.values()) or "z." in emitted.code
        if uses_zod and ("zod", "z", False) not in emitted.imports:
            emitted.imports.append(("zod", "z", False))
        declarations: dict[str, str] = {}
        for name, code in (
            list(types.decls.code.items()) + list(zod.decls.code.items()) + list(emitted.declarations.items())
        ):
            if name not in facts.declared and name not in declarations:
                declarations[name] = code
        body = "\n\n".join(list(declarations.values()) + [emitted.code]) + "\n"
        imports = list(emitted.imports)
        for name, module in sorted({**types.decls.reused, **zod.decls.reused}.items()):
            # only what the inserted text uses (a walk may touch names whose declaration the
            # file already has, and which is therefore not inserted again)
            if re.search(rf"(?<![\w$]){re.escape(name)}(?![\w$])", body):
                imports.append((module, name, name[:1].isupper() and not name.endswith("Schema")))

        findings: list[Finding] = []
        if target == "client":
            findings += check_client(op, emitted.code)
        elif target == "handler":
            findings += check_handler(op, emitted.code, emitted.declarations, route)

        edits = self._placement(text, body, marker_line, rel) + merge_imports(
            text, imports, style, rel.endswith("x"), self.parsers
        )
        result = _generated(op, target, file, body, edits, findings, started)
        for other, changes in other_edits.items():
            result.edits[other] = changes
            result.creates.append(other)
        return result

    def auth_module(
        self, file: Path, style: TsStyle, names: list[str], existing: dict[str, str]
    ) -> tuple[str | None, dict[str, list[TextEdit]]]:
        """The specifier of the package's credential-check module (:mod:`.ts.auth`) for ``file``,
        and the edits that create it when the package has none yet (src/auth.ts, or next to the
        file without a src/; another name when the project has its own auth.ts). ``existing``:
        what the package's other files export (:meth:`existing_exports`)."""
        if all(n in existing for n in names) and len({existing[n] for n in names}) == 1:
            return existing[names[0]], {}
        package = self.ctx.nearest_package(file)
        base = package.path.parent if package is not None else self.ctx.root
        folder = base / "src" if (base / "src").is_dir() else file.parent
        path = self._pending_auth.get(folder)  # generate_all: an earlier operation of the run creates it
        create = False
        if path is None:
            for stem in ("auth", "credentials", "freeagent-auth"):
                candidate = folder / f"{stem}.ts"
                current = self.ctx.read(candidate) if candidate.exists() else None
                if current is None:
                    path, create = candidate, True
                    break
                summary = self.parsers.summarize(self.ctx.rel(candidate), "typescript", current.encode("utf-8"))
                if set(names) <= {x.name for x in summary.exports if x.kind in ("local", "reexport")}:
                    path = candidate  # ours, written earlier (the index may not have seen it yet)
                    break
            else:
                raise GenerationError(
                    f"{folder} has auth.ts, credentials.ts and freeagent-auth.ts, none with the credential "
                    f"checks a handler needs ({', '.join(names)}); export them from one of them"
                )
        if create and not self.create_files:
            return None, {}  # the checks go into the handler's own file
        spec = posixpath.relpath(self.ctx.rel(path)[: -len(".ts")], posixpath.dirname(self.ctx.rel(file)) or ".")
        spec = (spec if spec.startswith(".") else "./" + spec) + style.relative_extension
        return spec, ({str(path): [TextEdit(0, 0, 0, 0, auth.module_text(style))]} if create else {})

    def missing(self, target: str, file: Path, text: str, operations: list[Operation]) -> list[Operation]:
        """Operations that have no `target` in the file yet (no route / no client function)."""
        from .naming import function_name

        rel = self.ctx.rel(file) if self.ctx.contains(file) else file.name
        facts = _file_facts(self.parsers, rel, text)
        if target == "handler":
            prefix = mount_prefix(facts.routes, operations) if (facts.router or facts.hono) else ""
            registered = set(re.findall(r"\.(get|post|put|patch|delete)\(\s*['\"]([^'\"]+)['\"]", text))
            out = []
            for op in operations:
                route = express_path(op.path)
                if prefix and not route.startswith(prefix + "/") and route != prefix:
                    continue  # a router mounted at /tasks only serves /tasks/…
                route = route[len(prefix) :] if prefix else route
                if (op.method.lower(), route or "/") not in registered:
                    out.append(op)
            return out
        return [op for op in operations if function_name(op.id) not in facts.declared]

    def generate_all(self, target: str, file: Path, text: str, operations: list[Operation]) -> Generation:
        """Every missing operation's `target` appended to the file, as one whole-document edit."""
        started = time.perf_counter()
        current = text
        findings: list[Finding] = []
        done = []
        others: dict[str, list[TextEdit]] = {}
        creates: list[str] = []
        try:
            for op in self.missing(target, file, text, operations):
                result = self.generate(op, target, file, current, None)
                findings += result.findings
                current = apply_edits(current, result.edits[str(file)])
                done.append(op.id)
                for created in result.creates:  # the auth module: once, for every handler of the run
                    self._pending_auth[Path(created).parent] = Path(created)
                    others[created] = result.edits[created]
                    creates.append(created)
        finally:
            self._pending_auth.clear()
        lines = text.split("\n")
        edit = TextEdit(0, 0, len(lines) - 1, len(lines[-1]), current)
        return Generation(
            code=current,
            edits={str(file): [edit], **others},
            creates=creates,
            source="spec",
            operation=None,
            target=target,
            file=str(file),
            seconds=time.perf_counter() - started,
            findings=findings,
            title=f"Generate {target}s for {len(done)} operations",
        )

    def _generate_python(
        self, op: Operation, target: str, file: Path, rel: str, text: str, marker_line: int | None, started: float
    ) -> Generation:
        from .py.imports import merge_python_imports
        from .py.models import PyModels, import_lines
        from .py.targets import PyEmitted, client_function, fastapi_route

        votes = self.ctx.conventions().get("python", {})
        quote_vote = votes.get("quotes")
        quote = "'" if quote_vote is not None and quote_vote.value == "single" else '"'
        indent_vote = votes.get("indent")
        indent_value = indent_vote.value if indent_vote is not None else "4 spaces"
        indent = "\t" if indent_value == "tab" else " " * int(indent_value.split()[0])
        summary = self.parsers.summarize(rel, "python", text.encode("utf-8"))
        declared = {s.name for s in summary.symbols} | {n for r in summary.imports for n in r.names}
        models = PyModels(self.registry, declared, indent, quote)

        def q(value: str) -> str:
            return models.q(value)

        if target in ("types", "schema"):
            emitted = PyEmitted()
            names = []
            if op.body and op.body.content:
                media = next(iter(op.body.content))
                names.append(models.ref(op.body.content[media], op.id + "_body"))
            for r in op.success_responses():
                if r.content:
                    names.append(models.ref(next(iter(r.content.values())), op.id + "_response"))
            if not models.decls:
                raise GenerationError(f"{op.id} has no request or response models to generate")
            # the models are the whole output: the last one becomes the code, the rest its declarations
            last = list(models.decls)[-1]
            emitted.code = models.decls.pop(last)
        elif target == "client":
            emitted = client_function(op, models, declared, q)
        else:
            if not any(d.name == "fastapi" for m in self.ctx.python.values() for d in m.dependencies):
                raise GenerationError(f"Python handlers are FastAPI routes; {rel}'s project does not declare fastapi")
            router = None
            m = re.search(r"^(\w+)\s*=\s*APIRouter\(", text, re.M)
            if m:
                router = m.group(1)
            emitted = fastapi_route(op, models, declared, router, q)
        declarations = {}
        for name, code in list(models.decls.items()) + list(emitted.declarations.items()):
            if name not in declared and name not in declarations:
                declarations[name] = code
        body = "\n\n\n".join(list(declarations.values()) + [emitted.code]) + "\n"
        imports = [
            (m_, n)
            for m_, n in import_lines(models.imports | emitted.imports)
            if re.search(rf"\b{re.escape(n.split(' as ')[-1] if n else m_.split('.')[0])}\b", body)
        ]
        # postponed annotations: recursive and not-yet-defined models need no quoting
        imports.insert(0, ("__future__", "annotations"))
        findings = check_python(op, target, emitted.code)
        edits = self._placement(text, body, marker_line, rel) + merge_python_imports(text, imports, self.parsers)
        return _generated(op, target, file, body, edits, findings, started)

    def _placement(self, text: str, body: str, marker_line: int | None, rel: str) -> list[TextEdit]:
        lines = text.split("\n")
        if marker_line is None or marker_line >= len(lines):
            # append at the end (never past it)
            last = len(lines) - 1
            prefix = "\n" if lines[last].strip() else ""
            return [
                TextEdit(
                    last,
                    len(lines[last]),
                    last,
                    len(lines[last]),
                    prefix + ("\n" if text.strip() else "") + body.rstrip("\n"),
                )
            ]
        lang = self.parsers._py if rel.endswith(".py") else self.parsers._tsx if rel.endswith("x") else self.parsers._ts
        tree = lang[1].parse(text.encode("utf-8"))
        top = None
        for child in tree.root_node.named_children:
            if child.start_point[0] < marker_line <= child.end_point[0] and child.end_point[0] != marker_line:
                top = child
                break
        if top is None:
            # replace the marker line itself
            return [TextEdit(marker_line, 0, marker_line, len(lines[marker_line]), body.rstrip("\n"))]
        # inside a class/function: drop the marker line, put the code after the enclosing statement
        end_row = top.end_point[0]
        remove = TextEdit(marker_line, 0, marker_line + 1, 0, "")
        if marker_line > 0 and not lines[marker_line - 1].strip():
            remove = TextEdit(marker_line - 1, 0, marker_line + 1, 0, "")  # and the blank line above it
        insert = TextEdit(end_row, len(lines[end_row]), end_row, len(lines[end_row]), "\n\n" + body.rstrip("\n"))
        return [remove, insert]


__all__ = ["TARGETS", "GenerationError", "SpecGenerator", "TsStyle", "apply_edits", "targets_for"]
