"""Python targets for an operation: models, an httpx client function, a FastAPI route.

Errors (client): a non-2xx response raises ``ApiError`` with ``status`` and the parsed
``body`` (the declared problem document); success bodies are validated into the spec's types
with pydantic's ``TypeAdapter``. FastAPI routes validate with FastAPI itself (path, query,
header parameters with the spec's constraints, the body as a pydantic model), enforce the
operation's security through credential hooks the module owns (``verify_bearer`` /
``verify_basic`` / ``verify_api_key``, failing closed until implemented: ``401`` with
``WWW-Authenticate``), and call a marked ``<op>_impl`` function; ``install_problem_details
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


def _path_value(p: Parameter, arg: str, q) -> str:
    """A path parameter as OpenAPI serializes it: style simple (default), label or matrix."""
    style, explode = p.style or "simple", bool(p.explode)
    one = f"quote(str({arg}), safe={q('')})"
    if p.shape() != "array":
        return {"label": f"{q('.')} + {one}", "matrix": f"{q(';' + p.name + '=')} + {one}"}.get(style, one)
    items = f"(quote(str(v), safe={q('')}) for v in {arg})"
    if style == "label":
        return f"{q('.')} + {q('.' if explode else ',')}.join{items}"
    if style == "matrix":
        if explode:
            return f"{q('')}.join({q(';' + p.name + '=')} + v for v in {items})"
        return f"{q(';' + p.name + '=')} + {q(',')}.join{items}"
    return f"{q(',')}.join{items}"


def _query_lines(p: Parameter, arg: str, models: PyModels, q, out: PyEmitted, model: bool = True) -> list[str]:
    """Statements putting a query parameter into ``params`` as OpenAPI serializes it (form,
    explode or not; spaceDelimited, pipeDelimited, deepObject), by the value's shape. ``model``:
    whether an object value is a pydantic model (else a dict)."""
    name, style = q(p.name), p.style or "form"
    explode = p.explode if p.explode is not None else style == "form"
    shape = p.shape()
    schema = p.schema.value if p.schema is not None and isinstance(p.schema.value, dict) else {}
    i = models.indent
    if shape == "union" and p.schema is not None:  # which shape the value is decides, at run time
        members = models.items(p.schema, "anyOf" if "anyOf" in schema else "oneOf")
        kinds = []  # only the branches the union has: pyright strict rejects the unreachable ones
        for member in members:
            kind = Parameter(p.name, p.location, True, member).shape()
            if kind == "object":
                kind = "model" if models.is_object(member) else "dict"
            if kind in ("model", "dict", "array") and kind not in kinds:
                kinds.append(kind)
        lines: list[str] = []
        for kind in kinds:
            test = {"model": "BaseModel", "dict": "dict", "array": "list"}[kind]
            if kind == "model":
                out.imports.add(("pydantic", "BaseModel"))
            branch = _query_lines(
                p.as_shape("array" if kind == "array" else "object"), arg, models, q, out, kind == "model"
            )
            lines += [f"{'el' if lines else ''}if isinstance({arg}, {test}):", *(i + line for line in branch)]
        scalar = [f"params[{name}] = {arg}"]
        return [*lines, "else:", *(i + line for line in scalar)] if lines else scalar
    if shape == "array":
        items = schema.get("items")
        as_text = isinstance(items, dict) and items.get("format") in ("uuid", "date", "date-time")
        value = f"[str(v) for v in {arg}]" if as_text else arg
        if style == "deepObject":
            return [f"params[{q(p.name + '[]')}] = {value}"]
        if explode:
            return [f"params[{name}] = {value}"]  # httpx repeats the key for each item
        joiner = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
        return [f"params[{name}] = {q(joiner)}.join(str(v) for v in {arg})"]
    if shape == "object":
        entries = (
            f"{arg}.model_dump(mode={q('json')}, by_alias=True, exclude_none=True).items()"
            if model
            else f"{arg}.items()"
        )
        if style == "deepObject":
            key = "f" + q(p.name + "[{key}]")
            return [f"for key, value in {entries}:", f"{i}params[{key}] = value"]
        if explode:
            return [f"for key, value in {entries}:", f"{i}params[key] = value"]
        pair = "f" + q("{key},{value}")
        return [f"params[{name}] = {q(',')}.join({pair} for key, value in {entries})"]
    value = f"str({arg})" if schema.get("format") in ("uuid", "date", "date-time") else arg
    return [f"params[{name}] = {value}"]


def client_function(op: Operation, models: PyModels, declared: set[str], q) -> PyEmitted:
    out = PyEmitted()
    i = models.indent
    name = py_name(op.id)
    args = ["client: httpx.AsyncClient"]
    out.imports.add(("httpx", ""))
    path_expr = op.path
    path_lines: list[str] = []  # path values with a style of their own, computed before the request
    for p in op.params("path"):
        arg = py_name(p.name)
        args.append(f"{arg}: {models.ref(p.schema, op.id + '_' + p.name) if p.schema else 'str'}")
        out.imports.add(("urllib.parse", "quote"))
        value = _path_value(p, arg, q)
        if value == f"quote(str({arg}), safe={q('')})":
            # Python 3.11 f-strings cannot reuse their own quote inside a replacement field
            inner = "''" if models.quote == '"' else '""'
            path_expr = path_expr.replace("{" + p.name + "}", "{quote(str(" + arg + "), safe=" + inner + ")}")
        else:
            path_lines.append(f"{i}{arg}_path = {value}")
            path_expr = path_expr.replace("{" + p.name + "}", "{" + arg + "_path}")
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
    bearer = any((s.type == "http" and s.scheme == "bearer") or s.type in ("oauth2", "openIdConnect") for s in schemes)
    if bearer:  # OAuth 2 and OpenID Connect access tokens are sent as Bearer too
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
    # httpx's own QueryParamTypes values (PrimitiveData or a sequence of it): pyright strict checks the call
    out.imports.add(("collections.abc", "Sequence"))
    primitive = "str | int | float | bool | None"
    body.append(f"{i}params: dict[str, {primitive} | Sequence[{primitive}]] = {{}}")
    for p in op.params("query"):
        # an object is a pydantic model unless its annotation (the signature's) is a dict
        annotation = models.ref(p.schema, op.id + "_" + p.name) if p.schema else "str"
        lines = _query_lines(p, py_name(p.name), models, q, out, model=not annotation.startswith("dict["))
        body += (
            [f"{i}{line}" for line in lines]
            if p.required
            else [
                f"{i}if {py_name(p.name)} is not None:",
                *(f"{i}{i}{line}" for line in lines),
            ]
        )
    body.append(f"{i}headers: dict[str, str] = {{}}")
    for p in op.params("header"):
        arg = py_name(p.name)
        guard = [] if p.required else [f"{i}if {arg} is not None:"]
        value = f"{q(',')}.join(str(v) for v in {arg})" if p.shape() == "array" else f"str({arg})"
        body += guard + [f"{i}{i if guard else ''}headers[{q(p.name)}] = {value}"]
    if bearer:
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
    body += path_lines
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
    auth, auth_params = _credential_check(op, out, declared, i, q)
    defaults += auth_params
    result, _ = _result(op, models)
    status, declared_success = op.success_status()
    impl = f"{name}_impl"
    impl_args = [a.split(":")[0] + ": " + _plain(a) for a in params + defaults if a not in auth_params]
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
                f"{i}{i}return JSONResponse(problem, status_code=exc.status_code, media_type={q('application/problem+json')}, headers=exc.headers)",
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
    if not declared_success:
        lines.append(f"{i}# {op.id} declares no success response: 204 No Content, no body")
    if result == "None":
        lines += [f"{i}await {impl}({call_text})", f"{i}return Response(status_code={status})"]
    else:
        lines += [f"{i}return await {impl}({call_text})"]
    out.code = "\n".join(lines)
    return out


HOOKS = {
    "verify_bearer": (
        "token: str",
        "verify the token (signature, expiry, audience, revocation) and return True if it is valid",
    ),
    "verify_basic": (
        "user: str, password: str",
        "check the password (against a hash, in constant time) and return True if it matches",
    ),
    "verify_api_key": (
        "name: str, key: str",
        "look the key up (name: the header, query parameter or cookie it came in) and return True if it is valid",
    ),
}


def _credential_check(op: Operation, out: PyEmitted, declared: set[str], i: str, q) -> tuple[list[str], list[str]]:
    """The route's security (lines of its body, its extra parameters): the project's own hooks
    decide — ``verify_bearer``/``verify_basic``/``verify_api_key``, declared once per module and
    rejecting everyone until implemented — never the look of a credential. Fails closed: 401,
    with ``WWW-Authenticate``."""
    if not op.security or any(len(alt) == 0 for alt in op.security):
        return [], []
    params: dict[str, str] = {}
    alternatives: list[str] = []
    challenges: list[str] = []
    for alternative in op.security:
        checks = []
        for s in alternative:
            if (s.type == "http" and s.scheme in ("bearer", "basic")) or s.type in ("oauth2", "openIdConnect"):
                scheme = "basic" if s.scheme == "basic" else "bearer"
                out.imports.add(("fastapi", "Header"))
                params["authorization"] = "authorization: Annotated[str | None, Header()] = None"
                hook = f"verify_{scheme}"
                var = f"{scheme}_credential"
                got = f"({var} := credential(authorization, {q(scheme)})) is not None"
                if scheme == "basic":
                    checks.append(f"{got} and await verify_basic(*basic_pair({var}))")
                    challenges.append('Basic realm="api"')
                else:
                    checks.append(f"{got} and await verify_bearer({var})")
                    challenges.append("Bearer")
            elif s.type == "apiKey" and s.param_name and s.location in ("header", "query", "cookie"):
                kind = {"header": "Header", "query": "Query", "cookie": "Cookie"}[s.location]
                out.imports.add(("fastapi", kind))
                var = "key_" + re.sub(r"\W", "_", s.param_name).lower()
                params[var] = f"{var}: Annotated[str | None, {kind}(alias={q(s.param_name)})] = None"
                hook = "verify_api_key"
                checks.append(f"{var} is not None and await verify_api_key({q(s.param_name)}, {var})")
            else:
                checks = []  # a scheme no handler can check (mutualTLS, digest): not this alternative
                break
            if hook not in declared and hook not in out.declarations:
                args, todo = HOOKS[hook]
                out.declarations[hook] = "\n".join(
                    [
                        f"async def {hook}({args}) -> bool:",
                        f'{i}"""Who may call the secured operations of this module. As written it accepts nobody: every',
                        f"{i}secured route answers 401 until you implement it (a generated route never lets a caller in on",
                        f'{i}the look of a credential alone)."""',
                        f"{i}# TODO: {todo}.",
                        f"{i}return False",
                    ]
                )
        if checks:
            alternatives.append(" and ".join(f"({c})" for c in checks) if len(checks) > 1 else checks[0])
    if not alternatives:
        alternatives = ["False"]  # nothing here can check what the document asks for: nobody gets in
    if "authorization" in params and "credential" not in declared:
        out.declarations["credential"] = "\n".join(
            [
                "def credential(header: str | None, scheme: str) -> str | None:",
                f'{i}"""The credential of an `Authorization: <scheme> <credential>` header (the scheme is case-insensitive)."""',
                f"{i}name, _, value = (header or {q('')}).strip().partition({q(' ')})",
                f"{i}return value.strip() or None if name.lower() == scheme else None",
            ]
        )
    if any("basic_pair(" in a for a in alternatives) and "basic_pair" not in declared:
        out.imports.add(("base64", "b64decode"))
        out.declarations["basic_pair"] = "\n".join(
            [
                "def basic_pair(value: str) -> tuple[str, str]:",
                f'{i}"""(user, password) of a Basic credential; ("", "") when it is not base64 of user:password."""',
                f"{i}try:",
                f"{i}{i}user, colon, password = b64decode(value, validate=True).decode({q('utf-8')}).partition({q(':')})",
                f"{i}except ValueError:",
                f"{i}{i}return {q('')}, {q('')}",
                f"{i}return (user, password) if colon else ({q('')}, {q('')})",
            ]
        )
    condition = alternatives[0] if len(alternatives) == 1 else " or ".join(f"({a})" for a in alternatives)
    challenge = ", ".join(dict.fromkeys(challenges))
    headers = f", headers={{{q('WWW-Authenticate')}: {q(challenge)}}}" if challenge else ""
    body = [
        f"{i}if not ({condition}):",
        f"{i}{i}raise HTTPException(status_code=401, detail={q('Unauthorized')}{headers})",
    ]
    return body, list(params.values())


def _plain(arg: str) -> str:
    """'x: Annotated[T, Query()] = None' → 'T' (the impl function takes plain values)."""
    annotation = arg.split(":", 1)[1].split(" = ")[0].strip()
    m = re.match(r"^Annotated\[(.*), (?:Path|Query|Header|Cookie|Body)\(.*\)\]$", annotation)
    return m.group(1) if m else annotation
