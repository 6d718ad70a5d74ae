"""Server handlers for an operation, for Express, Fastify, Hono and Next.js route handlers.

Every framework gets the same contract: path, query, header and body input validated with zod
(path/query/header/cookie values coerced from strings the way the spec types them), invalid input
answered with ``400`` (``422`` where the document declares that and no 400), the operation's
security enforced through the project's credential hooks (``401``, see :mod:`.auth`) — each
error in the format the document declares for its status (:func:`declared_error`), RFC 9457
problem+json (``errors: [{path, message}]``) where it declares none — and a clearly marked
business-logic function ``<op>Impl(input)`` typed with the spec's success body, whose result
is sent with the spec's success status. Only the way a framework reads a request and writes a
response differs; that is what a :class:`Framework` says.

Registration: Express and Hono routes go on the file's ``Router()`` / ``new Hono()`` when it
has one (with the prefix it is mounted under taken off, inferred from the routes it already
serves); otherwise an exported function registers them. Fastify routes come as a plugin
function; Next.js handlers are the file's exported ``GET``/``POST``… functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...specs.model import Node, Operation, Parameter
from ...specs.samples import NoSample, Sampler
from ..naming import camel, pascal, property_key
from . import auth
from .client import Emitted, _is_json, body_type, response_types
from .schemas import TypeEmitter, ZodEmitter, default_literal
from .style import TsStyle

FRAMEWORKS = ("express", "fastify", "hono", "next")
# what a generated handler file imports by name: no schema may be declared under one of them
IMPORTED_NAMES = frozenset(
    {"Router", "RequestHandler", "Request", "Response", "NextFunction", "FastifyInstance", "FastifyReply"}
    | {"FastifyRequest", "Hono", "Context", "NextRequest", "NextResponse", "z"}
)


def express_path(path: str) -> str:
    """The route: ``{name}`` → ``:name``; a ``#fragment`` some documents add to tell operations on
    one path apart (Box: ``/files/{id}#add_shared_link``) is not part of a request's path."""
    path = path.split("#", 1)[0]
    return re.sub(r"\{([^}]+)\}", lambda m: ":" + re.sub(r"\W", "_", m.group(1)), path)


def _coerced(p: Parameter, zod: ZodEmitter) -> str:
    """zod for a path/query/header/cookie value, which arrives as a string (or string[], or for a
    deepObject an object of strings), decoded as its ``style``/``explode`` say and coerced to the
    types its schema gives."""
    schema = p.schema.value if p.schema is not None and isinstance(p.schema.value, dict) else {}
    t = schema.get("type")
    types = t if isinstance(t, list) else [t]
    st = zod.style
    branches = _union_branches(p, schema, zod)
    if branches:  # anyOf/oneOf (Stripe's `created`: a deepObject of bounds, or one integer): each coerced
        parts = [
            _coerced(Parameter(p.name, p.location, True, b, style=p.style, explode=p.explode), zod) for b in branches
        ]
        expr = parts[0] if len(parts) == 1 else f"z.union([{', '.join(parts)}])"
    elif p.schema is not None and isinstance(schema.get("properties"), dict) and ("object" in types or t is None):
        expr = _object_value(p, zod)
    else:
        expr = _scalar_or_array(p, schema, types, zod)
    if p.location == "path" and p.style in ("label", "matrix"):  # '.a,b' / ';name=a,b': the prefix goes
        prefix = re.escape("." if p.style == "label" else f";{p.name}=")
        strip = f"(typeof value === {st.q('string')} ? value.replace(/^{prefix}/, {st.q('')}) : value)"
        expr = f"z.preprocess((value) => {strip}, {expr})"
    if not p.required:
        default = default_literal(schema, st) if not ({"boolean", "array", "object"} & set(types)) else None
        expr += f".default({default})" if default is not None else ".optional()"
        if p.allow_empty:  # `?name=` (allowEmptyValue): as if the parameter were not sent
            expr = f"z.preprocess((value) => (value === {st.q('')} ? undefined : value), {expr})"
    return expr


def _union_branches(p: Parameter, schema: dict, zod: ZodEmitter) -> list[Node]:
    """The branches of a parameter whose schema is only a union (anyOf/oneOf), leaving out
    ``type: null`` (a parameter that is absent is the null of a query)."""
    if p.schema is None or {"type", "properties", "enum", "const", "allOf"} & set(schema):
        return []
    key = (
        "anyOf" if isinstance(schema.get("anyOf"), list) else "oneOf" if isinstance(schema.get("oneOf"), list) else None
    )
    if key is None:
        return []
    return [b for b in zod.items_of(p.schema, key) if not (isinstance(b.value, dict) and b.value.get("type") == "null")]


def _scalar_or_array(p: Parameter, schema: dict, types: list, zod: ZodEmitter) -> str:
    st = zod.style
    expr = zod.ref(p.schema) if p.schema is not None else "z.string()"
    raw_items = schema.get("items")
    items: dict = raw_items if isinstance(raw_items, dict) else {}
    raw_type = items.get("type")
    item_types: list = raw_type if isinstance(raw_type, list) else [raw_type]
    if "array" in types:
        if {"integer", "number"} & set(item_types):
            expr = expr.replace("z.number()", "z.coerce.number()", 1)
        style = p.style or ("form" if p.location in ("query", "cookie") else "simple")
        explode = p.explode if p.explode is not None else style == "form"
        if p.location == "query" and explode and style in ("form", "spaceDelimited", "pipeDelimited"):
            return f"z.preprocess((value) => (Array.isArray(value) ? value : [value]), {expr})"  # repeated keys
        # one value holding the items: a,b (form, simple) | a b | a|b; an empty value: no items
        joiner = st.q({"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ","))
        empty = f"value === {st.q('')} ? [] : value.split({joiner})"
        return f"z.preprocess((value) => (typeof value === {st.q('string')} ? ({empty}) : value), {expr})"
    if "integer" in types or "number" in types:
        if "z.number()" in expr:
            expr = expr.replace("z.number()", "z.coerce.number()", 1)
            if schema.get("format") == "int64" and "integer" in types:  # beyond 2^53 a number cannot tell
                expr = f"z.preprocess({_int64_guard(st)}, {expr})"
        else:  # a named schema or an enum of numbers: the string becomes a number first
            number = f"(typeof value === {st.q('string')} && value.trim() !== {st.q('')} ? Number(value) : value)"
            expr = f"z.preprocess((value) => {number}, {expr})"
    elif "boolean" in types:
        expr = f"z.enum([{st.q('true')}, {st.q('false')}]).transform((value) => value === {st.q('true')})"
    return expr


def _object_value(p: Parameter, zod: ZodEmitter) -> str:
    """An object-valued parameter: each property coerced like a parameter of its own; ``a,1,b,2``
    (form/simple, not exploded) or ``a=1,b=2`` (simple, exploded) split into the object first.
    A deepObject (``name[a]=1``) arrives as an object already (Express's query parser; the
    Hono/Next query helper nests it the same way)."""
    st = zod.style
    assert p.schema is not None
    schema = p.schema.value if isinstance(p.schema.value, dict) else {}
    required = {r for r in schema.get("required") or [] if isinstance(r, str)}
    entries = []
    for key in schema.get("properties") or {}:
        child = zod.child(p.schema, "properties", key)
        if child is not None:
            entries.append((key, _coerced(Parameter(key, p.location, key in required, child), zod)))
    expr = _object(entries, st)
    style = p.style or ("form" if p.location in ("query", "cookie") else "simple")
    explode = p.explode if p.explode is not None else style == "form"
    if style == "deepObject" or (style == "form" and explode):
        return expr
    q = st.q
    if explode:  # simple, exploded: a=1,b=2
        pairs = f"value.split({q(',')}).map((pair) => pair.split({q('=')}))"
    else:  # a,1,b,2
        pairs = (
            f"value.split({q(',')}).flatMap((item, index, all) => (index % 2 === 0 ? [[item, all[index + 1]]] : []))"
        )
    decode = f"(value) => (typeof value === {q('string')} ? Object.fromEntries({pairs}) : value)"
    return f"z.preprocess({decode}, {expr})"


def _int64_guard(st: TsStyle) -> str:
    """A preprocess step that turns a decimal string outside the int64 range into NaN (rejected):
    compared as digits, since a JS number rounds 2^63 to 2^63 - 1."""
    q = st.q
    return (
        f"(value) => {{ if (typeof value !== {q('string')} || !/^-?\\d+$/.test(value)) return value{st.end} "
        f"const digits = value.replace(/^-?0*/, {q('')}){st.end} "
        f"const limit = value.startsWith({q('-')}) ? {q('9223372036854775808')} : {q('9223372036854775807')}{st.end} "
        f"return digits.length > 19 || (digits.length === 19 && digits > limit) ? Number.NaN : value{st.end} }}"
    )


def _object(entries: list[tuple[str, str]], style: TsStyle) -> str:
    if not entries:
        return "z.object({})"
    inner = ",\n".join(
        f"{style.indent}{property_key(k, style.quote)}: {v.replace(chr(10), chr(10) + style.indent)}"
        for k, v in entries
    )
    return "z.object({\n" + inner + ("," if style.trailing_comma else "") + "\n})"


FORM_MEDIA = ("application/x-www-form-urlencoded", "multipart/form-data")


def form_kinds(node: Node, zod: ZodEmitter) -> dict[str, str] | None:
    """Each field of a form body and what its string stands for (``integer``, ``number``,
    ``boolean``, ``object``, ``binary``, ``string``, ``array:<kind>``), or None when the body is
    not an object of fields (a whole-body upload): then it is passed through."""
    flat = zod.flatten_all_of(node) if isinstance(node.value, dict) and "allOf" in node.value else None
    if flat is not None:
        props = flat[0]
    elif isinstance(node.value, dict) and isinstance(node.value.get("properties"), dict):
        props = {k: c for k in node.value["properties"] if (c := zod.child(node, "properties", k)) is not None}
    else:
        return None

    def kind(child: Node | None) -> str:
        v = child.value if child is not None and isinstance(child.value, dict) else {}
        t = v.get("type")
        types = [x for x in (t if isinstance(t, list) else [t]) if x not in ("null", None)]
        if not types and any(k in v for k in ("oneOf", "anyOf", "allOf")):
            return "json"  # a composition: a multipart part holding JSON (OpenAPI's default for objects)
        if "array" in types or "items" in v:
            return "array:" + kind(zod.child(child, "items") if child is not None else None)
        if v.get("format") == "binary" or v.get("contentEncoding") == "binary" or "contentMediaType" in v:
            return "binary"
        for name in ("integer", "number", "boolean", "object"):
            if name in types or (name == "object" and "properties" in v):
                return name
        return "string"

    return {key: kind(child) for key, child in props.items()}


MESSAGE_FIELDS = ("message", "detail", "title", "error_description", "description", "error", "msg", "reason")
PROBLEM_MEDIA = "application/problem+json"


class _Title(str):
    """Where the error's own message goes in a body built from the document's error schema."""


def declared_error(op: Operation, status: int, sampler: Sampler) -> tuple[str, object] | None:
    """(media type, body) of the error format the document declares for ``status`` — the exact
    status, then ``4XX``, then ``default`` — when it is JSON other than problem+json and a body
    that conforms can be built (the message in its message-like string field). None: answer
    RFC 9457 problem+json, as where nothing is declared."""
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        response = next((r for r in op.responses if r.status.upper() == key.upper()), None)
        if response is None:
            continue
        media = next((m for m in response.content if _is_json(m)), None)
        if media is None or media == PROBLEM_MEDIA:
            return None
        try:
            return media, sampler.value(response.content[media])
        except NoSample:
            return None
    return None


def error_body(op: Operation, status: int, registry) -> tuple[str, object] | None:
    """:func:`declared_error` with the message going into the first message-like string field
    (``message``, ``detail``, ``title``…) free to hold it (no pattern, enum or format; room for it)."""
    placed: list[str] = []

    def message(name: str, schema: dict) -> str | None:
        short = isinstance(schema.get("maxLength"), int) and schema["maxLength"] < 64
        plain = not short and not any(k in schema for k in ("pattern", "enum", "const", "format"))
        if not placed and plain and name.lower() in MESSAGE_FIELDS:
            placed.append(name)
            return _Title(name)
        return None

    return declared_error(op, status, Sampler(registry, strings=message, direction="response"))


def error_literal(value: object, style: TsStyle, title: str) -> str:
    """A JS literal of a sample error body, the title where :class:`_Title` marks it."""
    if isinstance(value, _Title):
        return style.q(title)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = ", ".join(f"{property_key(k, style.quote)}: {error_literal(v, style, title)}" for k, v in value.items())
        return "{ " + inner + " }"
    if isinstance(value, list):
        return "[" + ", ".join(error_literal(v, style, title) for v in value) + "]"
    return style.lit(value)


@dataclass(frozen=True)
class Framework:
    name: str
    style: TsStyle

    # -- reading the request ----------------------------------------------------------
    def source(self, location: str) -> str:
        if location == "cookie":
            return f"cookieObject({self.header('cookie')})"
        return {
            "express": {
                "path": "req.params",
                "query": "req.query",
                "header": "req.headers",
                "body": "req.body",
            },
            "fastify": {
                "path": "request.params",
                "query": "request.query",
                "header": "request.headers",
                "body": "request.body",
            },
            "hono": {
                "path": "c.req.param()",
                "query": "queryObject(c.req.queries())",
                "header": "c.req.header()",
                "body": "await c.req.json().catch(() => undefined)",
            },
            "next": {
                "path": "context.params",
                "query": "queryObject(request.nextUrl.searchParams)",
                "header": "Object.fromEntries(request.headers)",
                "body": "await request.json().catch(() => undefined)",
            },
        }[self.name][location]

    def header(self, name: str) -> str:
        q = self.style.q(name.lower())
        return {
            "express": f"req.headers[{q}]",
            "fastify": f"request.headers[{q}]",
            "hono": f"c.req.header({q})",
            "next": f"request.headers.get({q})",
        }[self.name]

    # -- writing the response -------------------------------------------------------
    def query_value(self, name: str) -> str:
        q = self.style.q(name)
        return {
            "express": f"req.query[{q}]",
            "fastify": f"(request.query as Record<string, unknown>)[{q}]",
            "hono": f"c.req.query({q})",
            "next": f"request.nextUrl.searchParams.get({q})",
        }[self.name]

    def problem(
        self,
        status: int,
        title: str,
        errors: str | None,
        challenge: str | None = None,
        declared: tuple[str, str] | None = None,
    ) -> list[str]:
        """Answer a problem; ``challenge``: the ``WWW-Authenticate`` value of a 401; ``declared``:
        (media type, body literal) of the error format the document declares for the status,
        answered instead of problem+json."""
        st, e = self.style, self.style.end
        args = f"{status}, {st.q(title)}" + (f", {errors}" if errors else "")
        header = [st.q("WWW-Authenticate"), st.q(challenge)] if challenge else None
        if declared is not None:
            media, literal = st.q(declared[0]), declared[1]
            if self.name == "express":
                before = [f"res.setHeader({', '.join(header)}){e}"] if header else []
                return [*before, f"res.status({status}).type({media}).json({literal}){e}", f"return{e}"]
            if self.name == "fastify":
                before = [f"reply.header({', '.join(header)}){e}"] if header else []
                return [*before, f"return reply.code({status}).type({media}).send({literal}){e}"]
            headers = f"{st.q('content-type')}: {media}" + (f", {header[0]}: {header[1]}" if header else "")
            if self.name == "hono":
                return [f"return c.json({literal}, {status}, {{ {headers} }}){e}"]
            return [f"return NextResponse.json({literal}, {{ status: {status}, headers: {{ {headers} }} }}){e}"]
        if self.name == "express":
            before = [f"res.setHeader({', '.join(header)}){e}"] if header else []
            return [*before, f"sendProblem(res, {args}){e}", f"return{e}"]
        if self.name == "fastify":
            before = [f"reply.header({', '.join(header)}){e}"] if header else []
            return [*before, f"return sendProblem(reply, {args}){e}"]
        if self.name == "hono":
            before = [f"c.header({', '.join(header)}){e}"] if header else []
            return [*before, f"return sendProblem(c, {args}){e}"]
        if header:
            return [
                f"const problem = sendProblem({args}){e}",
                f"problem.headers.set({', '.join(header)}){e}",
                f"return problem{e}",
            ]
        return [f"return sendProblem({args}){e}"]

    def respond(self, status: str, result: str | None, media: str | None = None, reader: str = "json") -> list[str]:
        """Send the success: JSON, or (``reader`` text/blob) the body as ``media``."""
        e, q = self.style.end, self.style.q
        if result and media and reader in ("text", "blob"):
            data = result if reader == "text" else f"Buffer.from(await {result}.arrayBuffer())"
            if self.name == "express":
                return [f"res.status({status}).type({q(media)}).send({data}){e}"]
            if self.name == "fastify":
                return [f"return reply.code({status}).type({q(media)}).send({data}){e}"]
            body = result if reader == "text" else f"await {result}.arrayBuffer()"
            if self.name == "hono":
                return [f"return c.body({body}, {status}, {{ {q('content-type')}: {q(media)} }}){e}"]
            return [
                f"return new NextResponse({result}, {{ status: {status}, headers: {{ {q('content-type')}: {q(media)} }} }}){e}"
            ]
        if self.name == "express":
            return [f"res.status({status}).json({result}){e}"] if result else [f"res.status({status}).end(){e}"]
        if self.name == "fastify":
            return (
                [f"return reply.code({status}).send({result}){e}"]
                if result
                else [f"return reply.code({status}).send(){e}"]
            )
        if self.name == "hono":
            return [f"return c.json({result}, {status}){e}"] if result else [f"return c.body(null, {status}){e}"]
        if result:
            return [f"return NextResponse.json({result}, {{ status: {status} }}){e}"]
        return [f"return new NextResponse(null, {{ status: {status} }}){e}"]

    def helpers(self, statuses: list[int]) -> tuple[dict[str, str], list[tuple[str, str, bool]]]:
        """sendProblem (and for Hono/Next the query normaliser) with the imports they need."""
        st, e, i = self.style, self.style.end, self.style.indent
        comma = "," if st.trailing_comma else ""
        # a one-line type literal needs its separator whatever the project's semicolon style
        errors_param = f"{i}errors?: Array<{{ path: string; message: string }}>{comma}"
        body = f"{{ type: {st.q('about:blank')}, title, status, ...(errors ? {{ errors }} : {{}}) }}"
        status_type = " | ".join(str(s) for s in sorted(set(statuses))) or "number"
        out: dict[str, str] = {}
        imports: list[tuple[str, str, bool]] = []
        if self.name == "express":
            out["sendProblem"] = "\n".join(
                [
                    "function sendProblem(",
                    f"{i}res: Response,",
                    f"{i}status: number,",
                    f"{i}title: string,",
                    errors_param,
                    "): void {",
                    f"{i}res",
                    f"{i}{i}.status(status)",
                    f"{i}{i}.type({st.q('application/problem+json')})",
                    f"{i}{i}.json({body}){e}",
                    "}",
                ]
            )
            imports.append(("express", "Response", True))
        elif self.name == "fastify":
            out["sendProblem"] = "\n".join(
                [
                    "function sendProblem(",
                    f"{i}reply: FastifyReply,",
                    f"{i}status: number,",
                    f"{i}title: string,",
                    errors_param,
                    "): FastifyReply {",
                    f"{i}return reply.code(status).type({st.q('application/problem+json')}).send({body}){e}",
                    "}",
                ]
            )
            imports.append(("fastify", "FastifyReply", True))
        elif self.name == "hono":
            out["sendProblem"] = "\n".join(
                [
                    "function sendProblem(",
                    f"{i}c: Context,",
                    f"{i}status: {status_type},",
                    f"{i}title: string,",
                    errors_param,
                    "): Response {",
                    f"{i}return c.json({body}, status, {{ {st.q('content-type')}: {st.q('application/problem+json')} }}){e}",
                    "}",
                ]
            )
            imports.append(("hono", "Context", True))
        else:
            out["sendProblem"] = "\n".join(
                [
                    "function sendProblem(",
                    f"{i}status: number,",
                    f"{i}title: string,",
                    errors_param,
                    "): NextResponse {",
                    f"{i}return NextResponse.json({body}, {{ status, headers: {{ {st.q('content-type')}: "
                    f"{st.q('application/problem+json')} }} }}){e}",
                    "}",
                ]
            )
            imports.append(("next/server", "NextResponse", False))
        return out, imports

    def body_helper(self) -> str:
        """Express: the parsed body, or undefined when the request carries none — express.json()
        leaves ``{}`` then, which would pass for an empty object."""
        e, i, q = self.style.end, self.style.indent, self.style.q
        return "\n".join(
            [
                "function requestBody(req: Request): unknown {",
                f"{i}const length = req.headers[{q('content-length')}]{e}",
                f"{i}const chunked = req.headers[{q('transfer-encoding')}] !== undefined{e}",
                f"{i}return chunked || (length !== undefined && length !== {q('0')}) ? req.body : undefined{e}",
                "}",
            ]
        )

    def form_source(self, fields: str) -> str:
        """The form body as the framework parses it, decoded by :meth:`form_helper`'s function
        (Express: the app's form parser's ``req.body``, files from multer's ``req.files``)."""
        return {
            "express": f"formBody(req.body, {fields}, (req as {{ files?: unknown }}).files)",
            "fastify": f"formBody(request.body, {fields})",
            "hono": f"formBody(await c.req.parseBody({{ all: true }}).catch(() => undefined), {fields})",
            "next": f"formBody(await request.formData().catch(() => undefined), {fields})",
        }[self.name]

    def form_helper(self) -> str:
        """formBody and formField: form fields (strings) to the value the schema describes."""
        e, i, q = self.style.end, self.style.indent, self.style.q
        ii, iii = i * 2, i * 3
        return "\n".join(
            [
                "/** A form body (urlencoded or multipart: every field a string) as the value the document",
                " * describes: each field decoded by its kind; uploaded files (File parts, multer's files) as Blobs. */",
                "function formBody(fields: unknown, kinds: Record<string, string>, files?: unknown): unknown {",
                f"{i}if (fields === undefined || fields === null || typeof fields !== {q('object')}) return fields{e}",
                f"{i}const entries: Array<[string, unknown]> = []{e}",
                f"{i}if (fields instanceof FormData) {{",
                f"{ii}for (const key of new Set(fields.keys())) {{",
                f"{iii}const all = fields.getAll(key){e}",
                f"{iii}entries.push([key, all.length > 1 ? all : all[0]]){e}",
                f"{ii}}}",
                f"{i}}} else {{",
                f"{ii}entries.push(...Object.entries(fields as Record<string, unknown>)){e}",
                f"{i}}}",
                f"{i}for (const file of Array.isArray(files) ? files : []) {{",
                f"{ii}const {{ fieldname, buffer, mimetype }} = file as {{ fieldname?: unknown; buffer?: unknown; mimetype?: unknown }}{e}",
                f"{ii}if (typeof fieldname === {q('string')} && buffer instanceof Uint8Array) {{",
                f"{iii}entries.push([fieldname, new Blob([new Uint8Array(buffer)], {{ type: String(mimetype ?? {q('')}) }})]){e}",
                f"{ii}}}",
                f"{i}}}",
                f"{i}const body: Record<string, unknown> = {{}}{e}",
                f"{i}for (const [key, value] of entries) body[key] = formField(value, kinds[key] ?? {q('string')}){e}",
                f"{i}for (const [key, kind] of Object.entries(kinds)) {{",
                f"{ii}if (kind.startsWith({q('array:')}) && !(key in body)) body[key] = []{e} // a form cannot send an empty list",
                f"{i}}}",
                f"{i}return body{e}",
                "}",
                "",
                "function formField(value: unknown, kind: string): unknown {",
                f"{i}if (kind.startsWith({q('array:')})) {{",
                f"{ii}if (typeof value === {q('string')} && /^\\s*(\\[|null\\s*$)/.test(value)) {{",
                f"{iii}try {{",
                f"{iii}{i}return JSON.parse(value){e} // a multipart part holding the array as JSON",
                f"{iii}}} catch {{",
                f"{iii}{i}// not JSON: one item",
                f"{iii}}}",
                f"{ii}}}",
                f"{ii}return (Array.isArray(value) ? value : [value]).map((item) => formField(item, kind.slice(6))){e}",
                f"{i}}}",
                f"{i}if (typeof value !== {q('string')}) return value{e}",
                f"{i}if ((kind === {q('integer')} || kind === {q('number')}) && value.trim() !== {q('')} && !Number.isNaN(Number(value))) {{",
                f"{ii}return Number(value){e}",
                f"{i}}}",
                f"{i}if (kind === {q('boolean')} && (value === {q('true')} || value === {q('false')})) return value === {q('true')}{e}",
                f"{i}if (kind === {q('object')} || kind === {q('json')}) {{",
                f"{ii}try {{",
                f"{iii}return JSON.parse(value){e}",
                f"{ii}}} catch {{",
                f"{iii}return value{e}",
                f"{ii}}}",
                f"{i}}}",
                f"{i}return value{e}",
                "}",
            ]
        )

    def cookie_helper(self) -> str:
        """The request's cookies by name (RFC 6265 ``name=value; …``), values URI-decoded."""
        e, i, q = self.style.end, self.style.indent, self.style.q
        return "\n".join(
            [
                "function cookieObject(header: string | null | undefined): Record<string, string> {",
                f"{i}const cookies: Record<string, string> = {{}}{e}",
                f"{i}for (const part of (header ?? {q('')}).split({q(';')})) {{",
                f"{i}{i}const index = part.indexOf({q('=')}){e}",
                f"{i}{i}if (index <= 0) continue{e}",
                f"{i}{i}const value = part.slice(index + 1).trim(){e}",
                f"{i}{i}try {{",
                f"{i}{i}{i}cookies[part.slice(0, index).trim()] = decodeURIComponent(value){e}",
                f"{i}{i}}} catch {{",
                f"{i}{i}{i}cookies[part.slice(0, index).trim()] = value{e}",
                f"{i}{i}}}",
                f"{i}}}",
                f"{i}return cookies{e}",
                "}",
            ]
        )

    def query_helper(self) -> str:
        e, i = self.style.end, self.style.indent
        arg = "entries: Record<string, string[]>" if self.name == "hono" else "params: URLSearchParams"
        source = (
            "Object.entries(entries)"
            if self.name == "hono"
            else "[...new Set(params.keys())].map((key) => [key, params.getAll(key)] as const)"
        )
        return "\n".join(
            [
                "/** The query as Express's parser gives it: repeated keys as arrays, name[key] nested (deepObject). */",
                f"function queryObject({arg}): Record<string, unknown> {{",
                f"{i}const query: Record<string, unknown> = {{}}{e}",
                f"{i}for (const [key, values] of {source}) {{",
                f"{i}{i}const value = values.length > 1 ? values : values[0]{e}",
                f"{i}{i}const nested = /^([^[\\]]+)\\[([^[\\]]+)\\]$/.exec(key){e}",
                # `?.[n]`: a group is `string | undefined` under noUncheckedIndexedAccess
                f"{i}{i}const outer = nested?.[1]{e}",
                f"{i}{i}const field = nested?.[2]{e}",
                f"{i}{i}if (outer === undefined || field === undefined) {{",
                f"{i}{i}{i}query[key] = value{e}",
                f"{i}{i}}} else {{",
                f"{i}{i}{i}const inner = (query[outer] ?? {{}}) as Record<string, unknown>{e}",
                f"{i}{i}{i}inner[field] = value{e}",
                f"{i}{i}{i}query[outer] = inner{e}",
                f"{i}{i}}}",
                f"{i}}}",
                f"{i}return query{e}",
                "}",
            ]
        )


def generate_handler(
    op: Operation,
    framework: str,
    types: TypeEmitter,
    zod: ZodEmitter,
    style: TsStyle,
    declared: set[str],
    app: str | None,
    mount_prefix: str = "",
    auth_module: str | None = None,
) -> Emitted:
    """``auth_module``: the specifier of the package's credential checks (see :mod:`.auth`),
    needed when the operation is secured."""
    st, e, i = style, style.end, style.indent
    fw = Framework(framework, style)
    out = Emitted()
    name = camel(op.id)
    pas = pascal(op.id)

    # errors in the format the document declares for their status, else problem+json
    # invalid input: 400, or 422 where the document declares that and no 400 (nor 4XX, default)
    statuses = {r.status.upper() for r in op.responses}
    invalid = 422 if "422" in statuses and not ({"400", "4XX", "DEFAULT"} & statuses) else 400
    titles = {invalid: "Request validation failed", 401: "Unauthorized"}
    formats: dict[int, tuple[str, str]] = {}
    for code, title in titles.items():
        found = error_body(op, code, types.registry)
        if found is not None:
            formats[code] = (found[0], error_literal(found[1], st, title))
    problem_statuses: list[int] = []  # the statuses answered with sendProblem

    def reject(code: int, errors: str | None, challenge: str | None = None) -> list[str]:
        if code not in formats:
            problem_statuses.append(code)
        return fw.problem(code, titles[code], errors, challenge=challenge, declared=formats.get(code))

    inputs: list[tuple[str, str, str]] = []  # (field, schema const, source expr)
    checked_by: dict[str, str] = {}  # field -> its TS type, when it is not z.infer of one const
    for location in ("path", "query", "header", "cookie"):
        params = op.params(location)
        if not params:
            continue
        suffix = {"path": "Params", "query": "Query", "header": "Headers", "cookie": "Cookies"}[location]
        const = f"{name}{suffix}"
        entries = [(p.name.lower() if location == "header" else p.name, _coerced(p, zod)) for p in params]
        out.declarations[const] = f"const {const} = {_object(entries, style)}{e}"
        field = {"path": "params", "query": "query", "header": "headers", "cookie": "cookies"}[location]
        inputs.append((field, const, fw.source(location)))
    # a request with no body at all (express.json() leaves {} then; the others give undefined)
    length, chunked = fw.header("content-length"), fw.header("transfer-encoding")
    present = f"(Boolean({chunked}) || ({length} ?? {st.q('0')}) !== {st.q('0')})"
    # the body is validated with zod: its TS type is only needed to tell JSON from form data,
    # so it is computed on a scratch emitter whose declarations are dropped
    btype = body_type(op, TypeEmitter(types.registry, style, types.existing))
    absent: list[str] = []  # the 400 of a required body that is not JSON (not parsed here) and missing
    request_body = op.body  # never None when there is a body type
    content = request_body.content if request_body is not None else {}
    json_media = next((m for m in content if _is_json(m)), None)
    forms = [m for m in content if m.split(";")[0].strip().lower() in FORM_MEDIA]
    form_media = forms[0] if forms else None
    kinds: dict[str, str] | None = None
    for media in forms:  # urlencoded and multipart may describe the fields apart (files only in one)
        described = form_kinds(content[media], zod)
        if described is not None:
            kinds = {**described, **(kinds or {})}
    if request_body is not None and (json_media or kinds is not None):
        node = content[json_media] if json_media else content[form_media]  # type: ignore[index]
        const = f"{name}Body"
        body_schema = zod.ref(node)
        if not request_body.required:
            body_schema += ".optional()"
        out.declarations[const] = f"const {const} = {body_schema}{e}"
        source = fw.source("body")
        if framework == "express":  # no body: undefined, which an optional body accepts
            source = "requestBody(req)"
        if kinds is not None:  # form fields decoded into the value the schema describes, then checked
            form_fields = f"{name}FormFields"
            listed = ", ".join(f"{property_key(k, st.quote)}: {st.q(v)}" for k, v in kinds.items())
            out.declarations[form_fields] = f"const {form_fields}: Record<string, string> = {{ {listed} }}{e}"
            if "formBody" not in declared:
                out.declarations = {"formBody": fw.form_helper(), **out.declarations}
            form_source = f"{present} ? {fw.form_source(form_fields)} : undefined"  # no body: none to decode
            content_type = f"String({fw.header('content-type')} ?? {st.q('')})"
            if json_media:
                pattern = r"/^(application\/x-www-form-urlencoded|multipart\/form-data)/i"
                source = f"{pattern}.test({content_type}) ? {form_source} : {source}"
            # a form medium with a schema of its own (Discord's multipart adds `files[n]` to what
            # JSON and urlencoded share) is checked by that schema
            choices: list[tuple[str, str]] = []  # (content-type test, schema const)
            for media in forms:
                own = content[media]
                if (own.doc.path, own.pointer) == (node.doc.path, node.pointer):
                    continue
                multipart = media.lower().startswith("multipart/")
                own_const = f"{name}{'Multipart' if multipart else 'Form'}Body"
                if own_const in out.declarations:
                    continue
                own_schema = zod.ref(own) + ("" if request_body.required else ".optional()")
                out.declarations[own_const] = f"const {own_const} = {own_schema}{e}"
                test = r"/^multipart\/form-data/i" if multipart else r"/^application\/x-www-form-urlencoded/i"
                choices.append((f"{test}.test({content_type})", own_const))
            if choices:
                checked_by["body"] = " | ".join(f"z.infer<typeof {c}>" for _, c in [*choices, ("", const)])
                chosen = const
                for test, own_const in reversed(choices):
                    chosen = f"{test} ? {own_const} : {chosen}"
                const = f"({chosen})"
            if not json_media:
                source = form_source
        if "requestBody(" in source and "requestBody" not in declared:
            out.declarations["requestBody"] = fw.body_helper()
            out.imports.append(("express", "Request", True))
        inputs.append(("body", const, source))
    elif btype is not None:
        raw = {
            "express": "req.body",
            "fastify": "request.body",
            "hono": "await c.req.parseBody()",
            "next": "await request.formData()",
        }[framework]
        inputs.append(("body", "", raw))  # multipart/raw: passed through as the framework parsed it
        if request_body is not None and request_body.required:
            missing = f"[{{ path: {st.q('body')}, message: {st.q('Required')} }}]"
            absent = [f"if (!{present}) {{", *style.block(reject(invalid, missing)), "}"]

    success = op.success_responses()
    status, declared_success = op.success_status()
    result_type, reader = response_types(op, types, success=True)
    success_media = next(iter(success[0].content), None) if success and success[0].content else None
    sep = ";" if st.semi else ""
    input_type = f"{pas}Input"
    fields = [
        f"{i}{field}: {checked_by.get(field) or (f'z.infer<typeof {const}>' if const else 'unknown')}{sep}"
        for field, const, _ in inputs
    ]
    out.declarations[input_type] = (
        "\n".join([f"export interface {input_type} {{", *fields, "}"])
        if fields
        else f"export type {input_type} = Record<string, never>{e}"
    )
    impl = f"{name}Impl"
    out.declarations[impl] = "\n".join(
        [
            f"// Business logic for {op.id} ({op.method} {op.path}): replace this body.",
            f"export async function {impl}(_input: {input_type}): Promise<{result_type}> {{",
            f"{i}throw new Error({st.q(f'{op.id} is not implemented')}){e}",
            "}",
        ]
    )

    body: list[str] = []
    alternatives = auth.requirements(op)
    if alternatives:
        # the project's own hooks decide (auth.py); a credential's look never lets a caller in
        read = {
            "header": fw.header,
            "query": fw.query_value,
            "cookie": lambda name: f"cookie({fw.header('cookie')}, {st.q(name)})",
        }
        condition = auth.condition(alternatives, read, st)
        unauthorized = reject(401, None, auth.challenge(alternatives))
        body += [f"if (!({condition})) {{", *style.block(unauthorized), "}"]  # fails closed: 401
        if auth_module is not None:  # else the generator puts the checks into the file itself
            out.imports += [(auth_module, name, False) for name in auth.imports_used(alternatives)]
    body += absent
    parsed = []
    for field, const, source in inputs:
        if not const:
            parsed.append((field, source))
            continue
        var = f"{field}Result"
        details = [  # the issues, for problem+json; a declared error format has its own fields
            f"{i}const errors = {var}.error.issues.map((issue) => ({{",
            f"{i}{i}path: [{st.q(field)}, ...issue.path].join({st.q('.')}),",
            f"{i}{i}message: issue.message{',' if st.trailing_comma else ''}",
            f"{i}}})){e}",
        ]
        body += [
            f"const {var} = {const}.safeParse({source}){e}",
            f"if (!{var}.success) {{",
            *(details if invalid not in formats else []),
            *style.block(reject(invalid, "errors")),
            "}",
        ]
        parsed.append((field, f"{var}.data"))
    if problem_statuses and "sendProblem" not in declared:
        helpers, imports = fw.helpers(problem_statuses)
        out.declarations = {**helpers, **out.declarations}
        out.imports += imports
    elif framework == "next":
        out.imports.append(("next/server", "NextResponse", False))
    if framework in ("hono", "next") and op.params("query") and "queryObject" not in declared:
        out.declarations = {"queryObject": fw.query_helper(), **out.declarations}
    if op.params("cookie") and "cookieObject" not in declared:
        out.declarations = {"cookieObject": fw.cookie_helper(), **out.declarations}
    if any(const for _, const, _ in inputs):
        out.imports.append(("zod", "z", False))
    call = "{ " + ", ".join(f"{f}: {v}" for f, v in parsed) + " }" if parsed else "{}"
    if not declared_success:  # said where the reader of the handler looks (README: "no success declared")
        body.append(f"// {op.id} declares no success response: 204 No Content, no body")
    if result_type == "void":
        body += [f"await {impl}({call}){e}", *fw.respond(status, None)]
    else:
        body += [f"const result = await {impl}({call}){e}", *fw.respond(status, "result", success_media, reader)]

    doc = f"/** {op.summary or op.id} — {op.method} {op.path} */"
    route = express_path(op.path)
    if mount_prefix and route.startswith(mount_prefix):
        route = route[len(mount_prefix) :] or "/"
    method = op.method.lower()
    text = "\n".join(body)

    def parameter(name: str) -> str:
        """The request parameter's name: '_'-prefixed when the body never reads it (an operation
        without inputs, or basic auth with no check written), as strict tsc wants."""
        return name if re.search(rf"\b{name}\b", text) else f"_{name}"

    if framework == "express":
        wrapped = ["try {", *style.block(body), "} catch (error) {", f"{i}next(error){e}", "}"]
        req = parameter("req")
        if app:
            out.code = "\n".join(
                [doc, f"{app}.{method}({st.q(route)}, async ({req}, res, next) => {{", *style.block(wrapped), f"}}){e}"]
            )
        else:
            out.imports.append(("express", "RequestHandler", True))
            out.code = "\n".join(
                [
                    doc,
                    f"export const {name}Handler: RequestHandler = async ({req}, res, next) => {{",
                    *style.block(wrapped),
                    f"}}{e}",
                ]
            )
    elif framework == "fastify":
        out.imports.append(("fastify", "FastifyInstance", True))
        request = parameter("request")
        inner = [f"app.{method}({st.q(route)}, async ({request}, reply) => {{", *style.block(body), f"}}){e}"]
        out.code = "\n".join(
            [
                doc,
                f"export async function {name}Route(app: FastifyInstance): Promise<void> {{",
                *style.block(inner),
                "}",
            ]
        )
    elif framework == "hono":
        inner_head = f"{app or 'app'}.{method}({st.q(route)}, async (c) => {{"
        if app:
            out.code = "\n".join([doc, inner_head, *style.block(body), f"}}){e}"])
        else:
            out.imports.append(("hono", "Hono", True))
            out.code = "\n".join(
                [
                    doc,
                    f"export function {name}Route(app: Hono): void {{",
                    *style.block([inner_head, *style.block(body), f"}}){e}"]),
                    "}",
                ]
            )
    else:
        params = op.params("path")
        args = [f"{parameter('request')}: NextRequest"]
        if params:
            shape = "; ".join(f"{property_key(p.name, st.quote)}: string" for p in params)
            args.append(f"context: {{ params: {{ {shape} }} }}")
        out.imports.append(("next/server", "NextRequest", True))
        out.code = "\n".join(
            [
                doc,
                f"export async function {op.method}({', '.join(args)}): Promise<NextResponse> {{",
                *style.block(body),
                "}",
            ]
        )
        if ("next/server", "NextResponse", False) not in out.imports:
            out.imports.append(("next/server", "NextResponse", False))
    return out
