"""Express handlers for an operation: validation, auth, the spec's status codes and errors.

The handler validates path, query, header and body input with zod (query and path values are
coerced from strings the way the spec types them), rejects invalid input with the spec's
``400`` as RFC 9457 problem+json (``errors: [{path, message}]``), enforces the operation's
security (bearer token or API key header → ``401``), and calls a clearly marked business-logic
function whose return type is the success response body. When the file already has an
Express ``Router``, the route is registered on it (with the router's mount prefix taken off,
inferred from the routes it already has); otherwise an exported ``RequestHandler`` is emitted.
"""

from __future__ import annotations

import re

from ...specs.model import Operation, Parameter
from ..naming import camel, pascal, property_key
from .client import Emitted, body_type, response_types
from .schemas import TypeEmitter, ZodEmitter
from .style import TsStyle


def express_path(path: str) -> str:
    return re.sub(r"\{([^}]+)\}", lambda m: ":" + re.sub(r"\W", "_", m.group(1)), path)


def _coerced(p: Parameter, zod: ZodEmitter) -> str:
    """zod for a path/query/header value, which arrives as a string (or string[])."""
    schema = p.schema.value if p.schema is not None and isinstance(p.schema.value, dict) else {}
    t = schema.get("type")
    types = t if isinstance(t, list) else [t]
    expr = zod.ref(p.schema) if p.schema is not None else "z.string()"
    st = zod.style
    if "integer" in types or "number" in types:
        expr = expr.replace("z.number()", "z.coerce.number()", 1)
    elif "boolean" in types:
        expr = f"z.enum([{st.q('true')}, {st.q('false')}]).transform((value) => value === {st.q('true')})"
    elif "array" in types:
        expr = f"z.preprocess((value) => (Array.isArray(value) ? value : [value]), {expr})"
    if not p.required:
        expr += ".optional()"
    return expr


def _object(entries: list[tuple[str, str]], style: TsStyle) -> str:
    if not entries:
        return "z.object({})"
    inner = ",\n".join(f"{style.indent}{property_key(k, style.quote)}: {v}" for k, v in entries)
    return "z.object({\n" + inner + ("," if style.trailing_comma else "") + "\n})"


def problem_helper(style: TsStyle) -> str:
    st, e, i = style, style.end, style.indent
    sep = ";" if st.semi else ""
    return "\n".join([
        "function sendProblem(",
        f"{i}res: Response,",
        f"{i}status: number,",
        f"{i}title: string,",
        f"{i}errors?: Array<{{ path: string{sep} message: string }}>{',' if st.trailing_comma else ''}",
        "): void {",
        f"{i}res",
        f"{i}{i}.status(status)",
        f"{i}{i}.type({st.q('application/problem+json')})",
        f"{i}{i}.json({{ type: {st.q('about:blank')}, title, status, ...(errors ? {{ errors }} : {{}}) }}){e}",
        "}",
    ])


def generate_express_handler(
    op: Operation,
    types: TypeEmitter,
    zod: ZodEmitter,
    style: TsStyle,
    helpers_available: set[str],
    router: str | None,
    mount_prefix: str = "",
) -> Emitted:
    st, e, i = style, style.end, style.indent
    out = Emitted()
    name = camel(op.id)
    pas = pascal(op.id)

    inputs: list[tuple[str, str, str]] = []  # (field, schema const, source expr)
    for location, source in (("path", "req.params"), ("query", "req.query"), ("header", "req.headers")):
        params = op.params(location)
        if not params:
            continue
        const = f"{name}{ {'path': 'Params', 'query': 'Query', 'header': 'Headers'}[location] }"
        entries = [(p.name.lower() if location == "header" else p.name, _coerced(p, zod)) for p in params]
        out.declarations[const] = f"const {const} = {_object(entries, style)}{e}"
        inputs.append(({"path": "params", "query": "query", "header": "headers"}[location], const, source))
    btype = body_type(op, types)
    if btype is not None and btype[0] not in ("FormData", "URLSearchParams", "Blob", "string"):
        media = btype[1]
        const = f"{name}Body"
        body_schema = zod.ref(op.body.content[media])
        if not op.body.required:
            body_schema += ".optional()"
        out.declarations[const] = f"const {const} = {body_schema}{e}"
        inputs.append(("body", const, "req.body"))
    elif btype is not None:
        inputs.append(("body", "", "req.body"))  # multipart/raw: passed through untyped

    success = op.success_responses()
    status = success[0].status if success and success[0].status.isdigit() else "200"
    result_type, reader = response_types(op, types, success=True)
    sep = ";" if st.semi else ""
    input_fields = []
    for field, const, _ in inputs:
        input_fields.append(f"{i}{field}: {f'z.infer<typeof {const}>' if const else 'unknown'}{sep}")
    input_type = f"{pas}Input"
    out.declarations[input_type] = "\n".join([f"export interface {input_type} {{", *input_fields, "}"]) if input_fields else f"export type {input_type} = Record<string, never>{e}"
    impl = f"{name}Impl"
    out.declarations[impl] = "\n".join([
        f"// Business logic for {op.id} ({op.method} {op.path}): replace this body.",
        f"export async function {impl}(_input: {input_type}): Promise<{result_type}> {{",
        f"{i}throw new Error({st.q(f'{op.id} is not implemented')}){e}",
        "}",
    ])

    body = []
    # auth
    schemes = [s for alternative in op.security for s in alternative]
    public = not op.security or any(len(alt) == 0 for alt in op.security)
    if schemes and not public:
        checks = []
        for s in schemes:
            if s.type == "http" and s.scheme == "bearer":
                checks.append(f"req.headers.authorization?.startsWith({st.q('Bearer ')})")
            elif s.type == "apiKey" and s.location == "header" and s.param_name:
                checks.append(f"req.headers[{st.q(s.param_name.lower())}] !== undefined")
        if checks:
            unique = list(dict.fromkeys(checks))
            condition = f"!{unique[0]}" if len(unique) == 1 else f"!({' || '.join(unique)})"
            body += [
                f"if ({condition}) {{",
                f"{i}sendProblem(res, 401, {st.q('Unauthorized')}){e}",
                f"{i}return{e}",
                "}",
            ]
    parsed = []
    for field, const, source in inputs:
        if not const:
            parsed.append((field, source))
            continue
        var = f"{field}Result"
        body += [
            f"const {var} = {const}.safeParse({source}){e}",
            f"if (!{var}.success) {{",
            f"{i}const errors = {var}.error.issues.map((issue) => ({{",
            f"{i}{i}path: [{st.q(field)}, ...issue.path].join({st.q('.')}),",
            f"{i}{i}message: issue.message{',' if st.trailing_comma else ''}",
            f"{i}}})){e}",
            f"{i}sendProblem(res, 400, {st.q('Request validation failed')}, errors){e}",
            f"{i}return{e}",
            "}",
        ]
        parsed.append((field, f"{var}.data"))
    if any(const for _, const, _ in inputs):
        out.imports.append(("zod", "z", False))
    uses_problem = any("sendProblem(" in line for line in body)
    if uses_problem and "sendProblem" not in helpers_available:
        out.declarations = {"sendProblem": problem_helper(style), **out.declarations}
        out.imports.append(("express", "Response", True))
    req = "req" if (inputs or uses_problem) else "_req"
    call_args = "{ " + ", ".join(f"{f}: {v}" for f, v in parsed) + " }" if parsed else "{}"
    if result_type == "void":
        body += [f"await {impl}({call_args}){e}", f"res.status({status}).end(){e}"]
    else:
        body += [f"const result = await {impl}({call_args}){e}", f"res.status({status}).json(result){e}"]
    wrapped = ["try {", *style.block(body), "} catch (error) {", f"{i}next(error){e}", "}"]

    doc = f"/** {op.summary or op.id} — {op.method} {op.path} */"
    if router:
        route = express_path(op.path)
        if mount_prefix and route.startswith(mount_prefix):
            route = route[len(mount_prefix):] or "/"
        head = f"{router}.{op.method.lower()}({st.q(route)}, async ({req}, res, next) => {{"
        out.code = "\n".join([doc, head, *style.block(wrapped), f"}}){e}"])
    else:
        out.imports.append(("express", "RequestHandler", True))
        head = f"export const {name}Handler: RequestHandler = async ({req}, res, next) => {{"
        out.code = "\n".join([doc, head, *style.block(wrapped), f"}}{e}"])
    return out
