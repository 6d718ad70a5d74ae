"""Typed client functions for an operation: fetch by default, axios or ky when the project uses them.

Errors: a non-2xx response is **thrown** as ``ApiError<E>`` whose ``body`` is typed as the
union of the operation's declared error bodies (problem+json etc.) and whose ``status`` is the
HTTP status; the function resolves with the success body. Throwing keeps call sites ordinary
(``await listTasks(...)``) while ``error instanceof ApiError`` narrows to the declared shapes.
Parameters are serialized as their ``style``/``explode`` say (path: simple, label, matrix; query:
form exploded or not, spaceDelimited, pipeDelimited, deepObject; header arrays comma-joined;
cookies in one ``Cookie`` header); auth (bearer token — OAuth 2 and OpenID Connect access tokens too —, API key in a header, query or
cookie, basic user and password) comes from the options object.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...specs.model import Operation, Parameter
from ..naming import function_name, pascal, property_key
from .schemas import TypeEmitter
from .style import TsStyle

JSON_TYPES = ("application/json", "application/problem+json")


def _is_json(media: str) -> bool:
    return media in JSON_TYPES or media.endswith("+json")


@dataclass
class Emitted:
    """One generated piece: declarations it needs, the main code, and imports to merge."""

    declarations: dict[str, str] = field(default_factory=dict)
    code: str = ""
    imports: list[tuple[str, str, bool]] = field(default_factory=list)  # (module, name, type_only)


# Each helper: candidate names (first free one wins) and how to recognise our own earlier copy.
HELPERS = {
    "ApiError": (("ApiError", "HttpApiError", "ApiResponseError"), r"class {name}<TBody = unknown> extends Error"),
    "ClientOptions": (
        ("ClientOptions", "ApiClientOptions", "HttpClientOptions"),
        r"interface {name} \{{\s*baseUrl\?: string",
    ),
    "readBody": (
        ("readBody", "readResponseBody", "readApiBody"),
        r"function {name}\(response: Response\): Promise<unknown>",
    ),
}


def helper_names(declared: set[str], text: str) -> dict[str, tuple[str, bool]]:
    """For each helper: (name to use, whether to emit it). A name the file already uses for
    something else is never reused: the next candidate is taken instead."""
    out = {}
    for key, (candidates, signature) in HELPERS.items():
        for name in candidates:
            if re.search(signature.format(name=re.escape(name)), text):
                out[key] = (name, False)  # our own helper from an earlier generation
                break
            if name not in declared:
                out[key] = (name, True)
                break
        else:
            out[key] = (candidates[-1] + "2", True)
    return out


TRANSPORT_OPTION = {
    "fetch": ("fetch?: typeof fetch", None),
    "axios": ("axios?: AxiosInstance", ("axios", "AxiosInstance", True)),
    "ky": ("ky?: KyInstance", ("ky", "KyInstance", True)),
}


def runtime_helpers(style: TsStyle, names: dict[str, str], library: str = "fetch") -> dict[str, str]:
    """The ApiError class, the ClientOptions interface and readBody, under the given names."""
    st, e, i = style, style.end, style.indent
    api_error = "\n".join(
        [
            f"export class {names['ApiError']}<TBody = unknown> extends Error {{",
            f"{i}readonly status: number{e}",
            f"{i}readonly body: TBody{e}",
            "",
            f"{i}constructor(status: number, body: TBody, message?: string) {{",
            f"{i}{i}super(message ?? `HTTP ${{status}}`){e}",
            f"{i}{i}this.name = {st.q(names['ApiError'])}{e}",
            f"{i}{i}this.status = status{e}",
            f"{i}{i}this.body = body{e}",
            f"{i}}}",
            "}",
        ]
    )
    sep = ";" if st.semi else ""
    options = "\n".join(
        [
            f"export interface {names['ClientOptions']} {{",
            f"{i}baseUrl?: string{sep}",
            f"{i}token?: string | (() => string | Promise<string>){sep}",
            f"{i}apiKey?: string{sep}",
            f"{i}apiKeys?: Record<string, string>{sep}",
            f"{i}basic?: {{ user: string; password: string }}{sep}",
            f"{i}headers?: Record<string, string>{sep}",
            f"{i}signal?: AbortSignal{sep}",
            f"{i}{TRANSPORT_OPTION[library][0]}{sep}",
            "}",
        ]
    )
    read_body = "\n".join(
        [
            f"async function {names['readBody']}(response: Response): Promise<unknown> {{",
            f"{i}const text = await response.text(){e}",
            f"{i}if (!text) return undefined{e}",
            f"{i}const type = response.headers.get({st.q('content-type')}) ?? {st.q('')}{e}",
            f"{i}return type.includes({st.q('json')}) ? JSON.parse(text) : text{e}",
            "}",
        ]
    )
    return {"ApiError": api_error, "ClientOptions": options, "readBody": read_body}


def params_type(op: Operation, types: TypeEmitter, style: TsStyle) -> tuple[str, str] | None:
    """(name, declaration) of the interface holding path, query and header parameters."""
    params = [p for p in op.parameters if p.location in ("path", "query", "header", "cookie")]
    if not params:
        return None
    name = pascal(op.id) + "Params"
    sep = ";" if style.semi else ""
    lines = [f"export interface {name} {{"]
    for p in params:
        t = types.ref(p.schema) if p.schema is not None else "string"
        optional = "" if p.required else "?"
        lines.append(f"{style.indent}{property_key(p.name, style.quote)}{optional}: {t}{sep}")
    lines.append("}")
    return name, "\n".join(lines)


def body_type(op: Operation, types: TypeEmitter) -> tuple[str, str] | None:
    """(TS type, media type) of the request body, or None."""
    if op.body is None or not op.body.content:
        return None
    media = next((m for m in op.body.content if _is_json(m)), None)
    if media is not None:
        return types.ref(op.body.content[media]), media
    media = next(iter(op.body.content))
    if media.startswith("multipart/") or media == "application/x-www-form-urlencoded":
        return ("FormData" if media.startswith("multipart/") else "URLSearchParams"), media
    if media.startswith("text/"):
        return "string", media
    return "Blob", media


def response_types(op: Operation, types: TypeEmitter, success: bool) -> tuple[str, str]:
    """(TS type of the body, how to read it: json|text|blob|none) for success or error responses."""
    responses = op.success_responses() if success else op.error_responses()
    rendered, readers = [], set()
    for r in responses:
        if not r.content:
            rendered.append("void" if success else "undefined")
            readers.add("none")
            continue
        media = next((m for m in r.content if _is_json(m)), next(iter(r.content)))
        if _is_json(media):
            rendered.append(types.ref(r.content[media]))
            readers.add("json")
        elif media.startswith("text/"):
            rendered.append("string")
            readers.add("text")
        else:
            rendered.append("Blob")
            readers.add("blob")
    if not rendered:
        return ("void", "none") if success else ("unknown", "json")
    unique = list(dict.fromkeys(rendered))
    if success and "void" in unique and len(unique) > 1:
        unique = [u for u in unique if u != "void"] + ["undefined"]
    reader = readers.pop() if len(readers) == 1 else "mixed"
    return " | ".join(unique), reader


def _path_value(p: Parameter, st: TsStyle) -> str:
    """A path parameter as OpenAPI serializes it: style simple (default), label or matrix."""
    access = _param_access(p, st)
    kind, style = p.shape(), p.style or "simple"
    explode = bool(p.explode)
    if kind == "array":
        items = f"{access}.map((item) => encodeURIComponent(String(item)))"
        if style == "label":
            return f"{st.q('.')} + {items}.join({st.q('.' if explode else ',')})"
        if style == "matrix":
            if explode:
                return f"{items}.map((item) => {st.q(';' + p.name + '=')} + item).join({st.q('')})"
            return f"{st.q(';' + p.name + '=')} + {items}.join({st.q(',')})"
        return f"{items}.join({st.q(',')})"
    value = f"encodeURIComponent(String({access}))"
    if style == "label":
        return f"{st.q('.')} + {value}"
    if style == "matrix":
        return f"{st.q(';' + p.name + '=')} + {value}"
    return value


def _query_lines(p: Parameter, st: TsStyle) -> list[str]:
    """A query parameter as OpenAPI serializes it: form (explode or not), spaceDelimited,
    pipeDelimited, deepObject."""
    e = st.end
    access = _param_access(p, st)
    guard = "" if p.required else f"if ({access} !== undefined) "
    name = st.q(p.name)
    kind, style = p.shape(), p.style or "form"
    explode = p.explode if p.explode is not None else style == "form"
    if kind == "union":  # each shape the way the parameter's style serializes it
        as_array, as_object = _query_lines(p.as_shape("array"), st), _query_lines(p.as_shape("object"), st)
        scalar = f"url.searchParams.set({name}, String({access})){e}"
        return [
            f"if (Array.isArray({access})) {{",
            *(st.indent + line for line in as_array),
            f"}} else if (typeof {access} === {st.q('object')} && {access} !== null) {{",
            *(st.indent + line for line in as_object),
            f"}} else if ({access} !== undefined) {{",
            st.indent + scalar,
            "}",
        ]
    if kind == "array":
        joiner = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
        if style == "deepObject":
            return [
                f"{guard}for (const value of {access}) url.searchParams.append({st.q(p.name + '[]')}, String(value)){e}"
            ]
        if explode:
            return [f"{guard}for (const value of {access}) url.searchParams.append({name}, String(value)){e}"]
        return [f"{guard}url.searchParams.set({name}, {access}.map(String).join({st.q(joiner)})){e}"]
    if kind == "object":
        entries = f"Object.entries({access} as Record<string, unknown>)"
        if style == "deepObject":
            return [
                f"{guard}for (const [key, value] of {entries}) {{",
                f"{st.indent}if (value !== undefined) url.searchParams.append(`{p.name}[${{key}}]`, String(value)){e}",
                "}",
            ]
        if explode:
            return [
                f"{guard}for (const [key, value] of {entries}) {{",
                f"{st.indent}if (value !== undefined) url.searchParams.append(key, String(value)){e}",
                "}",
            ]
        flat = f"{entries}.flatMap(([key, value]) => [key, String(value)]).join({st.q(',')})"
        return [f"{guard}url.searchParams.set({name}, {flat}){e}"]
    return [f"{guard}url.searchParams.set({name}, String({access})){e}"]


def _param_access(p: Parameter, style: TsStyle) -> str:
    key = property_key(p.name, style.quote)
    return f"params.{key}" if key == p.name else f"params[{key}]"


def generate_client(
    op: Operation, types: TypeEmitter, style: TsStyle, declared: set[str], text: str = "", library: str = "fetch"
) -> Emitted:
    st, e, i = style, style.end, style.indent
    out = Emitted()
    ptype = params_type(op, types, style)
    if ptype:
        out.declarations[ptype[0]] = ptype[1]
    btype = body_type(op, types)
    result_type, reader = response_types(op, types, success=True)
    error_type, _ = response_types(op, types, success=False)
    picked = helper_names(declared, text)
    names = {key: name for key, (name, _) in picked.items()}
    for key, code in runtime_helpers(style, names, library).items():
        if key == "readBody" and library == "axios":
            continue  # axios parses bodies itself
        if picked[key][1]:
            out.declarations[names[key]] = code
            if key == "ClientOptions" and (transport_import := TRANSPORT_OPTION[library][1]):
                out.imports.append(transport_import)

    args = []
    if ptype:
        args.append(f"params: {ptype[0]}")
    if btype:
        args.append(f"body: {btype[0]}")
    args.append(f"options: {names['ClientOptions']} = {{}}")
    returns = f"Promise<{result_type}>"

    # URL with path parameters
    path_expr = op.path
    for p in op.params("path"):
        path_expr = path_expr.replace("{" + p.name + "}", "${" + _path_value(p, st) + "}")
    lines = [
        f"const url = new URL(`${{options.baseUrl ?? {st.q(op.servers[0] if op.servers else 'http://localhost')}}}{path_expr}`){e}"
    ]
    for p in op.params("query"):
        lines += _query_lines(p, st)
    # what the success responses are (a download asks for its own media type, not JSON)
    media = list(dict.fromkeys(m for r in op.success_responses() for m in r.content))
    accept = ", ".join([m for m in media if _is_json(m)] or media) or "application/json"
    lines.append(f"const headers: Record<string, string> = {{ accept: {st.q(accept)}, ...options.headers }}{e}")
    for p in op.params("header"):
        access = _param_access(p, st)
        guard = "" if p.required else f"if ({access} !== undefined) "
        value = f"{access}.join(',')" if p.shape() == "array" else f"String({access})"  # style simple
        lines.append(f"{guard}headers[{st.q(p.name.lower())}] = {value}{e}")
    cookies = op.params("cookie")
    if cookies:  # style form: name=value pairs in one Cookie header
        lines.append(f"const cookies: string[] = []{e}")
        for p in cookies:
            access = _param_access(p, st)
            guard = "" if p.required else f"if ({access} !== undefined) "
            value = f"{access}.join(',')" if p.shape() == "array" else f"String({access})"
            lines.append(f"{guard}cookies.push(`{p.name}=${{encodeURIComponent({value})}}`){e}")
        lines.append(f"if (cookies.length > 0) headers[{st.q('cookie')}] = cookies.join({st.q('; ')}){e}")
    # auth: the first requirement alternative the options can satisfy
    schemes = [s for alternative in op.security for s in alternative]
    if any((s.type == "http" and s.scheme == "bearer") or s.type in ("oauth2", "openIdConnect") for s in schemes):
        lines += [
            "if (options.token !== undefined) {",
            f"{i}const token = typeof options.token === {st.q('function')} ? await options.token() : options.token{e}",
            f"{i}headers[{st.q('authorization')}] = `Bearer ${{token}}`{e}",
            "}",
        ]
    if any(s.type == "http" and s.scheme == "basic" for s in schemes):
        credentials = "`${options.basic.user}:${options.basic.password}`"
        encoded = f"btoa(String.fromCharCode(...new TextEncoder().encode({credentials})))"
        lines.append(f"if (options.basic !== undefined) headers[{st.q('authorization')}] = `Basic ${{{encoded}}}`{e}")
    # API keys: every key of the first requirement that has any (Plaid wants a client id and a
    # secret together), each from options.apiKeys by its parameter name, else options.apiKey
    alternative = next((a for a in op.security if any(s.type == "apiKey" and s.param_name for s in a)), [])
    for s in alternative:
        if s.type != "apiKey" or not s.param_name or s.location not in ("header", "query", "cookie"):
            continue
        var = "key" if len(alternative) == 1 else f"key{pascal(s.param_name)}"
        lines.append(f"const {var} = options.apiKeys?.[{st.q(s.param_name)}] ?? options.apiKey{e}")
        if s.location == "header":
            lines.append(f"if ({var} !== undefined) headers[{st.q(s.param_name.lower())}] = {var}{e}")
        elif s.location == "query":
            lines.append(f"if ({var} !== undefined) url.searchParams.set({st.q(s.param_name)}, {var}){e}")
        else:
            pair = f"`{s.param_name}=${{encodeURIComponent({var})}}`"
            cookie = f"headers[{st.q('cookie')}]"  # a Record: brackets, as noPropertyAccessFromIndexSignature wants
            joined = f"{cookie} ? `${{{cookie}}}; ${{{pair}}}` : {pair}"
            lines.append(f"if ({var} !== undefined) {cookie} = {joined}{e}")
    body_arg = ""
    if btype:
        if _is_json(btype[1]):
            lines.append(f"headers[{st.q('content-type')}] = {st.q(btype[1])}{e}")
            body_arg = "body: JSON.stringify(body), "
        elif btype[0] in ("FormData", "URLSearchParams"):
            body_arg = "body, "
        else:
            lines.append(f"headers[{st.q('content-type')}] = {st.q(btype[1])}{e}")
            body_arg = "body, "
    if library == "axios":
        # axios throws on non-2xx unless told not to; the body is already parsed
        data = "data: body, " if body_arg else ""
        if btype and _is_json(btype[1]):
            data = "data: JSON.stringify(body), "
        lines += [
            "const response = await (options.axios ?? axios).request({",
            f"{i}method: {st.q(op.method)},",
            f"{i}url: url.toString(),",
            f"{i}headers,",
            *([f"{i}{data.rstrip(', ')},"] if data else []),
            # exactOptionalPropertyTypes: an optional property is left out, never given undefined
            f"{i}...(options.signal !== undefined ? {{ signal: options.signal }} : {{}}),"
            if st.exact_optional
            else f"{i}signal: options.signal,",
            f"{i}validateStatus: () => true{',' if st.trailing_comma else ''}",
            f"}}){e}",
            "if (response.status < 200 || response.status >= 300) {",
            f"{i}throw new {names['ApiError']}<{error_type}>(response.status, response.data as {error_type}){e}",
            "}",
        ]
        out.imports.append(("axios", "default:axios", False))
        lines.append(f"return response.data as {result_type}{e}" if result_type != "void" else f"return{e}")
        return _finish(op, out, lines, args, returns, style)
    transport = "options.ky ?? ky" if library == "ky" else "options.fetch ?? fetch"
    extra = ", throwHttpErrors: false" if library == "ky" else ""
    if library == "ky":
        out.imports.append(("ky", "default:ky", False))
    # RequestInit's signal is AbortSignal | null: under exactOptionalPropertyTypes it may not be undefined
    signal = "options.signal ?? null" if st.exact_optional else "options.signal"
    lines.append(
        f"const response = await ({transport})(url, {{ method: {st.q(op.method)}, headers, {body_arg}signal: {signal}{extra} }}){e}"
    )
    lines += [
        "if (!response.ok) {",
        f"{i}throw new {names['ApiError']}<{error_type}>(response.status, (await {names['readBody']}(response)) as {error_type}){e}",
        "}",
    ]
    if result_type == "void":
        lines.append(f"await response.body?.cancel(){e}")
    elif reader == "json":
        lines.append(f"return (await response.json()) as {result_type}{e}")
    elif reader == "text":
        lines.append(f"return await response.text(){e}")
    elif reader == "blob":
        lines.append(f"return await response.blob(){e}")
    else:
        lines.append(f"return (await {names['readBody']}(response)) as {result_type}{e}")

    return _finish(op, out, lines, args, returns, style)


def _finish(op: Operation, out: Emitted, lines: list[str], args: list[str], returns: str, style: TsStyle) -> Emitted:
    fn = function_name(op.id)
    doc = f"/** {op.summary or op.id} — {op.method} {op.path} */"
    signature = f"export async function {fn}(" + ", ".join(args) + f"): {returns} {{"
    if len(signature) > 100:
        signature = "\n".join([f"export async function {fn}(", *style.comma_list(args, 1), f"): {returns} {{"])
    out.code = "\n".join([doc, signature, *style.block(lines), "}"])
    return out
