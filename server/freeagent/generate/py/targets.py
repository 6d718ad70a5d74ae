"""Python targets for an operation: models, an httpx client function, a FastAPI route.

Errors (client): a non-2xx response raises ``ApiError`` with ``status`` and the parsed
``body`` (the declared problem document); success bodies are validated into the spec's types
with pydantic's ``TypeAdapter``. FastAPI routes validate with FastAPI itself (path, query,
header parameters with the spec's constraints, the body as a pydantic model), enforce bearer /
API-key security (``401``), and call a marked ``<op>_impl`` function; ``install_problem_details
(app)`` (emitted once per file) makes validation failures the spec's ``400`` and every
HTTPException an RFC 9457 problem+json response.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...specs.model import Operation, Parameter
from ..naming import py_name
from .models import PyModels


@dataclass
class PyEmitted:
    declarations: dict[str, str] = field(default_factory=dict)
    code: str = ""
    imports: set[tuple[str, str]] = field(default_factory=set)  # (module, name); name "" → `import module`


def _json_media(content: dict) -> str | None:
    return next((m for m in content if m == "application/json" or m.endswith("+json")), None)


def _param_constraints(p: Parameter) -> list[str]:
    v = p.schema.value if p.schema is not None and isinstance(p.schema.value, dict) else {}
    out = []
    for key, arg in (
        ("minimum", "ge"),
        ("maximum", "le"),
        ("exclusiveMinimum", "gt"),
        ("exclusiveMaximum", "lt"),
        ("minLength", "min_length"),
        ("maxLength", "max_length"),
    ):
        value = v.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append(f"{arg}={value!r}")
    if isinstance(v.get("pattern"), str):
        out.append(f"pattern={v['pattern']!r}")
    return out


def _result(op: Operation, models: PyModels) -> tuple[str, str | None]:
    """(annotation, json media type or None for no body) of the first success response."""
    for r in op.success_responses():
        media = _json_media(r.content)
        if media:
            return models.ref(r.content[media], f"{op.id}_response"), media
        if r.content:
            return ("str" if next(iter(r.content)).startswith("text/") else "bytes"), None
        return "None", None
    return "None", None


def client_function(op: Operation, models: PyModels, declared: set[str], q) -> PyEmitted:
    out = PyEmitted()
    i = models.indent
    name = py_name(op.id)
    args = ["client: httpx.AsyncClient"]
    out.imports.add(("httpx", ""))
    path_expr = op.path
    for p in op.params("path"):
        arg = py_name(p.name)
        args.append(f"{arg}: {models.ref(p.schema, op.id + '_' + p.name) if p.schema else 'str'}")
        # Python 3.11 f-strings cannot reuse their own quote inside a replacement field
        inner = "''" if models.quote == '"' else '""'
        path_expr = path_expr.replace("{" + p.name + "}", "{quote(str(" + arg + "), safe=" + inner + ")}")
        out.imports.add(("urllib.parse", "quote"))
    body_media = _json_media(op.body.content) if op.body and op.body.content else None
    body_type = None
    body_required = False
    if op.body and op.body.content:
        if body_media:
            body_type = models.ref(op.body.content[body_media], op.id + "_body")
        else:
            body_type = "dict[str, Any]"
            models.imports.add(("typing", "Any"))
        body_required = op.body.required
        args.append(f"body: {body_type}" if body_required else f"body: {body_type} | None = None")
    keyword_args = []
    for p in op.params("query") + op.params("header"):
        t = models.ref(p.schema, op.id + "_" + p.name) if p.schema else "str"
        keyword_args.append(f"{py_name(p.name)}: {t}" if p.required else f"{py_name(p.name)}: {t} | None = None")
    schemes = [s for alt in op.security for s in alt]
    if any(s.type == "http" and s.scheme == "bearer" for s in schemes):
        keyword_args.append("token: str | None = None")
    api_key = next((s for s in schemes if s.type == "apiKey" and s.location == "header" and s.param_name), None)
    if api_key:
        keyword_args.append("api_key: str | None = None")
    result, result_media = _result(op, models)
    signature = (
        [f"async def {name}("]
        + [f"{i}{a}," for a in args]
        + ([f"{i}*,"] + [f"{i}{a}," for a in keyword_args] if keyword_args else [])
        + [f") -> {result}:"]
    )
    body = [f'{i}"""{op.summary or op.id} — {op.method} {op.path}"""']
    body.append(f"{i}params: dict[str, object] = {{}}")
    for p in op.params("query"):
        arg = py_name(p.name)
        value = (
            arg
            if not (
                p.schema
                and isinstance(p.schema.value, dict)
                and p.schema.value.get("format") in ("uuid", "date", "date-time")
            )
            else f"str({arg})"
        )
        if p.required:
            body.append(f"{i}params[{q(p.name)}] = {value}")
        else:
            body += [f"{i}if {arg} is not None:", f"{i}{i}params[{q(p.name)}] = {value}"]
    body.append(f"{i}headers: dict[str, str] = {{}}")
    for p in op.params("header"):
        arg = py_name(p.name)
        guard = [] if p.required else [f"{i}if {arg} is not None:"]
        body += guard + [f"{i}{i if guard else ''}headers[{q(p.name)}] = str({arg})"]
    if any(s.type == "http" and s.scheme == "bearer" for s in schemes):
        body += [f"{i}if token is not None:", f"{i}{i}headers[{q('Authorization')}] = f{q('Bearer {token}')}"]
    if api_key:
        body += [f"{i}if api_key is not None:", f"{i}{i}headers[{q(api_key.param_name)}] = api_key"]
    send = ""
    if body_type is not None:
        if body_media:
            out.imports.add(("pydantic", "TypeAdapter"))
            dump = f"TypeAdapter({body_type}).dump_python(body, mode={q('json')}, by_alias=True, exclude_none=True)"
            send = f", json={dump}" if body_required else f", json=None if body is None else {dump}"
        else:
            send = ", files=body"
    body.append(
        f"{i}response = await client.request({q(op.method)}, f{q(path_expr)}, params=params, headers=headers{send})"
    )
    body += [
        f"{i}if response.is_error:",
        f"{i}{i}raise ApiError(response.status_code, response.json() if response.content else None)",
    ]
    if result == "None":
        body.append(f"{i}return None")
    elif result_media:
        out.imports.add(("pydantic", "TypeAdapter"))
        body.append(f"{i}return TypeAdapter({result}).validate_python(response.json())")
    elif result == "str":
        body.append(f"{i}return response.text")
    else:
        body.append(f"{i}return response.content")
    if "ApiError" not in declared:
        out.declarations["ApiError"] = "\n".join(
            [
                "class ApiError(Exception):",
                f'{i}"""A non-2xx response: ``status`` and the parsed ``body`` (the declared error document)."""',
                "",
                f"{i}def __init__(self, status: int, body: object) -> None:",
                f"{i}{i}super().__init__(f{q('HTTP {status}')})",
                f"{i}{i}self.status = status",
                f"{i}{i}self.body = body",
            ]
        )
    out.code = "\n".join(signature + body)
    return out


def fastapi_route(op: Operation, models: PyModels, declared: set[str], router: str | None, q) -> PyEmitted:
    out = PyEmitted()
    i = models.indent
    name = py_name(op.id)
    out.imports.update({("typing", "Annotated"), ("fastapi", "HTTPException")})
    params, call = [], []
    defaults: list[str] = []
    for p in op.params("path"):
        t = models.ref(p.schema, op.id + "_" + p.name) if p.schema else "str"
        out.imports.add(("fastapi", "Path"))
        extra = [f"alias={q(p.name)}"] if py_name(p.name) != p.name else []
        params.append(f"{py_name(p.name)}: Annotated[{t}, Path({', '.join(extra + _param_constraints(p))})]")
        call.append(py_name(p.name))
    for location, factory in (("query", "Query"), ("header", "Header"), ("cookie", "Cookie")):
        for p in op.params(location):
            t = models.ref(p.schema, op.id + "_" + p.name) if p.schema else "str"
            out.imports.add(("fastapi", factory))
            arg = py_name(p.name)
            extra = [f"alias={q(p.name)}"] if arg != p.name and location != "header" else []
            if location == "header" and arg.replace("_", "-") != p.name.lower():
                extra = [f"alias={q(p.name)}"]
            spec = f"Annotated[{t}{'' if p.required else ' | None'}, {factory}({', '.join(extra + _param_constraints(p))})]"
            (params if p.required else defaults).append(f"{arg}: {spec}" + ("" if p.required else " = None"))
            call.append(arg)
    body_media = _json_media(op.body.content) if op.body and op.body.content else None
    if op.body and op.body.content:
        if body_media:
            t = models.ref(op.body.content[body_media], op.id + "_body")
            out.imports.add(("fastapi", "Body"))
            if op.body.required:
                params.append(f"body: Annotated[{t}, Body()]")
            else:
                defaults.append(f"body: Annotated[{t} | None, Body()] = None")
        else:
            out.imports.add(("fastapi", "Request"))
            params.append("request: Request")
        call.append("body" if body_media else "request")
    schemes = [s for alt in op.security for s in alt]
    public = not op.security or any(len(alt) == 0 for alt in op.security)
    auth = []
    if schemes and not public:
        out.imports.add(("fastapi", "Header"))
        checks = []
        if any(s.type == "http" and s.scheme == "bearer" for s in schemes):
            defaults.append("authorization: Annotated[str | None, Header()] = None")
            checks.append(f"(authorization or {q('')}).startswith({q('Bearer ')})")
        key = next((s for s in schemes if s.type == "apiKey" and s.location == "header" and s.param_name), None)
        if key:
            defaults.append(f"api_key: Annotated[str | None, Header(alias={q(key.param_name)})] = None")
            checks.append("api_key is not None")
        if checks:
            condition = checks[0] if len(checks) == 1 else f"({' or '.join(checks)})"
            auth = [
                f"{i}if not {condition}:",
                f"{i}{i}raise HTTPException(status_code=401, detail={q('Unauthorized')})",
            ]
    result, _ = _result(op, models)
    success = op.success_responses()
    status = success[0].status if success and success[0].status.isdigit() else "200"
    impl = f"{name}_impl"
    impl_args = [
        a.split(":")[0] + ": " + _plain(a) for a in params + defaults if not a.startswith(("authorization", "api_key"))
    ]
    out.declarations[impl] = "\n".join(
        [
            f"# Business logic for {op.id} ({op.method} {op.path}): replace this body.",
            f"async def {impl}({'*, ' if impl_args else ''}{', '.join(impl_args)}) -> {result}:",
            f"{i}raise NotImplementedError({q(f'{op.id} is not implemented')})",
        ]
    )
    if "install_problem_details" not in declared:
        out.imports.update(
            {
                ("fastapi", "FastAPI"),
                ("fastapi", "Request"),
                ("fastapi.exceptions", "RequestValidationError"),
                ("fastapi.responses", "JSONResponse"),
                ("starlette.exceptions", "HTTPException as StarletteHTTPException"),
            }
        )
        out.declarations["install_problem_details"] = "\n".join(
            [
                "def install_problem_details(app: FastAPI) -> None:",
                f'{i}"""Answer invalid requests with 400 and every HTTP error as RFC 9457 problem+json (as the spec declares)."""',
                "",
                f"{i}@app.exception_handler(RequestValidationError)",
                f"{i}async def validation_problem(_request: Request, exc: RequestValidationError) -> JSONResponse:",
                f"{i}{i}errors = [{{{q('path')}: {q('.')}.join(str(part) for part in error[{q('loc')}]), {q('message')}: error[{q('msg')}]}} for error in exc.errors()]",
                f"{i}{i}problem = {{{q('type')}: {q('about:blank')}, {q('title')}: {q('Request validation failed')}, {q('status')}: 400, {q('errors')}: errors}}",
                f"{i}{i}return JSONResponse(problem, status_code=400, media_type={q('application/problem+json')})",
                "",
                f"{i}@app.exception_handler(StarletteHTTPException)",
                f"{i}async def http_problem(_request: Request, exc: StarletteHTTPException) -> JSONResponse:",
                f"{i}{i}problem = {{{q('type')}: {q('about:blank')}, {q('title')}: str(exc.detail), {q('status')}: exc.status_code}}",
                f"{i}{i}return JSONResponse(problem, status_code=exc.status_code, media_type={q('application/problem+json')})",
            ]
        )
    target = router or "router"
    if router is None and "router" not in declared:
        out.imports.add(("fastapi", "APIRouter"))
        out.declarations["router"] = "router = APIRouter()"
    response_model = "" if result == "None" else f", response_model={result}"
    decorator = f"@{target}.{op.method.lower()}({q(op.path)}{response_model}, status_code={status}, response_model_by_alias=True)"
    if result == "None":
        out.imports.add(("fastapi", "Response"))
    signature = (
        [f"async def {name}("]
        + [f"{i}{a}," for a in params + defaults]
        + [f") -> {'Response' if result == 'None' else result}:"]
    )
    call_text = ", ".join(f"{c}={c}" for c in call)
    lines = [decorator] + signature + [f'{i}"""{op.summary or op.id}"""'] + auth
    if result == "None":
        lines += [f"{i}await {impl}({call_text})", f"{i}return Response(status_code={status})"]
    else:
        lines += [f"{i}return await {impl}({call_text})"]
    out.code = "\n".join(lines)
    return out


def _plain(arg: str) -> str:
    """'x: Annotated[T, Query()] = None' → 'T' (the impl function takes plain values)."""
    annotation = arg.split(":", 1)[1].split(" = ")[0].strip()
    m = re.match(r"^Annotated\[(.*), (?:Path|Query|Header|Cookie|Body)\(.*\)\]$", annotation)
    return m.group(1) if m else annotation
