"""How a generated handler enforces an operation's security: through verification hooks the project
owns, never by looking at the shape of a credential.

A handler that only checked that ``Authorization`` starts with ``Bearer `` would accept any
token — code that looks like it enforces auth and does not. So every generated handler calls the
project's own hooks — ``verifyBearer(token)``, ``verifyBasic(user, password)``,
``verifyApiKey(name, key)`` — from one module (:data:`MODULE_FILE`, written once per package the
first time a handler needs it, and the user's from then on). As written they **fail closed**:
they reject every credential, so a generated handler answers ``401`` until the user implements
them. The module also holds the parsing the hooks should not repeat (a case-insensitive
``Bearer``/``Basic`` scheme, cookies), as ``checkBearer``/``checkBasic``/``checkApiKey``.

Owns: which checks an operation's security requirements need (:func:`requirements`), the
handler's condition (:func:`condition`), the ``WWW-Authenticate`` challenge of its ``401``, and
the module's text (:func:`module_text`). Where the module goes is the generator's business.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ...specs.model import Operation, SecurityScheme
from .style import TsStyle

MODULE_FILE = "auth.ts"  # next to the package's source root (src/auth.ts)
HOOKS = ("checkBearer", "checkBasic", "checkApiKey")


@dataclass(frozen=True)
class Check:
    hook: str  # checkBearer | checkBasic | checkApiKey
    location: str  # header | query | cookie
    name: str  # the header / query parameter / cookie holding the credential
    challenge: str | None  # the WWW-Authenticate value for a 401, when the scheme has one


def _check(scheme: SecurityScheme) -> Check | None:
    if scheme.type == "http" and scheme.scheme == "basic":
        return Check("checkBasic", "header", "authorization", 'Basic realm="api"')
    if (scheme.type == "http" and scheme.scheme == "bearer") or scheme.type in ("oauth2", "openIdConnect"):
        return Check("checkBearer", "header", "authorization", "Bearer")
    if scheme.type == "apiKey" and scheme.location in ("header", "query", "cookie") and scheme.param_name:
        return Check("checkApiKey", scheme.location, scheme.param_name, None)
    return None  # mutualTLS, an http scheme we cannot check (digest …): the transport's business


def requirements(op: Operation) -> list[list[Check]] | None:
    """The alternatives of the operation's security (any one suffices; every check of one must
    pass), or None when the operation is public. An alternative with a scheme no handler can
    check makes the whole operation unguardable here: None is not returned then, an empty
    list is — the caller refuses to pretend."""
    if not op.security or any(len(alternative) == 0 for alternative in op.security):
        return None
    out = []
    for alternative in op.security:
        checks = [_check(s) for s in alternative]
        if all(c is not None for c in checks):
            out.append([c for c in checks if c is not None])
    return out


def condition(alternatives: list[list[Check]], read: Mapping[str, Callable[[str], str]], st: TsStyle) -> str:
    """The expression that is true when the request carries a credential the project accepts.
    ``read[location](name)`` gives the framework's expression for a header/query/cookie value."""
    parts = []
    for alternative in alternatives:
        calls = []
        for c in alternative:
            value = read[c.location](c.name)
            if c.hook == "checkApiKey":
                calls.append(f"await checkApiKey({st.q(c.name)}, {value})")
            else:
                calls.append(f"await {c.hook}({value})")
        parts.append(" && ".join(f"({call})" for call in calls) if len(calls) > 1 else calls[0])
    if len(parts) == 1:
        return parts[0]
    return " || ".join(f"({p})" for p in parts)


def challenge(alternatives: list[list[Check]]) -> str | None:
    values = list(dict.fromkeys(c.challenge for alt in alternatives for c in alt if c.challenge))
    return ", ".join(values) or None


def imports_used(alternatives: list[list[Check]]) -> list[str]:
    """What the handler imports from the module."""
    names = {c.hook for alt in alternatives for c in alt}
    if any(c.location == "cookie" for alt in alternatives for c in alt):
        names.add("cookie")
    return sorted(names)


def module_text(st: TsStyle) -> str:
    """The module as first written: hooks that reject everything, and the parsing helpers."""
    e, i, q = st.end, st.indent, st.q
    return "\n".join(
        [
            "/**",
            " * Credential checks for the HTTP handlers Free Agent generates. This file is yours: it is",
            " * written once, the first time a generated handler needs it, and never again.",
            " *",
            " * The verify* functions decide who may call a secured operation. As written they accept",
            " * nobody, so every secured operation answers 401 until you implement them — a generated",
            " * handler never lets a caller in on the look of a credential alone.",
            " */",
            "",
            "// TODO: verify the token (signature, expiry, audience, revocation) and return true if it is valid.",
            "export async function verifyBearer(_token: string): Promise<boolean> {",
            f"{i}return false{e}",
            "}",
            "",
            "// TODO: check the user's password (against a hash, in constant time) and return true if it matches.",
            "export async function verifyBasic(_user: string, _password: string): Promise<boolean> {",
            f"{i}return false{e}",
            "}",
            "",
            "// TODO: look the key up (name: the header, query parameter or cookie it came in) and return true if it is valid.",
            "export async function verifyApiKey(_name: string, _key: string): Promise<boolean> {",
            f"{i}return false{e}",
            "}",
            "",
            "function text(value: unknown): string | undefined {",
            f"{i}const first = Array.isArray(value) ? value[0] : value{e}",
            f"{i}return typeof first === {q('string')} && first.length > 0 ? first : undefined{e}",
            "}",
            "",
            "/** `Authorization: Bearer <token>` (the scheme is case-insensitive) checked by verifyBearer. */",
            "export async function checkBearer(header: unknown): Promise<boolean> {",
            # `?.[1]`: a group's value is `string | undefined` under noUncheckedIndexedAccess
            f"{i}const token = /^bearer[ \\t]+(\\S+)[ \\t]*$/i.exec(text(header) ?? {q('')})?.[1]{e}",
            f"{i}return token !== undefined && verifyBearer(token){e}",
            "}",
            "",
            "/** `Authorization: Basic <base64 user:password>` checked by verifyBasic. */",
            "export async function checkBasic(header: unknown): Promise<boolean> {",
            f"{i}const encoded = /^basic[ \\t]+([A-Za-z0-9+/=]+)[ \\t]*$/i.exec(text(header) ?? {q('')})?.[1]{e}",
            f"{i}if (encoded === undefined) return false{e}",
            f"{i}let decoded: string{e}",
            f"{i}try {{",
            f"{i}{i}const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0)){e}",
            f"{i}{i}decoded = new TextDecoder().decode(bytes){e}",
            f"{i}}} catch {{",
            f"{i}{i}return false{e}",
            f"{i}}}",
            f"{i}const colon = decoded.indexOf({q(':')}){e}",
            f"{i}return colon > 0 && verifyBasic(decoded.slice(0, colon), decoded.slice(colon + 1)){e}",
            "}",
            "",
            "/** An API key from a header, a query parameter or a cookie value, checked by verifyApiKey. */",
            "export async function checkApiKey(name: string, value: unknown): Promise<boolean> {",
            f"{i}const key = text(value){e}",
            f"{i}return key !== undefined && verifyApiKey(name, key){e}",
            "}",
            "",
            "/** The value of one cookie of a `Cookie` header. */",
            "export function cookie(header: unknown, name: string): string | undefined {",
            f"{i}for (const part of (text(header) ?? {q('')}).split({q(';')})) {{",
            f"{i}{i}const [key, ...rest] = part.trim().split({q('=')}){e}",
            f"{i}{i}if (key === name) return decodeURIComponent(rest.join({q('=')})){e}",
            f"{i}}}",
            f"{i}return undefined{e}",
            "}",
            "",
        ]
    )
