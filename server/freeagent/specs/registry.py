"""The registry of OpenAPI operations: which documents, their operations, and their problems.

Owns loading documents from the bundled ``specs/`` folder and from the workspace (paths the
caller found with the spec globs), following ``$ref`` (local pointers and relative files, with
cycle detection, never to a file outside the allowed folders nor over the network — the schema
validator's own ``$ref`` retrieval goes through the registry too), building :class:`~.model.Operation` records, and the Findings for documents
that do not parse, do not resolve or do not validate. One document's problems never hide the
operations of another.
"""

from __future__ import annotations

import gc
import os
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from ..findings import CODE_BAD_REF, CODE_BAD_SPEC, CODE_INVALID_SPEC, Finding, Range, Severity
from ..paths import is_inside
from .cache import SpecCache
from .loader import (
    SpecDocument,
    escape_pointer,
    load_document,
    looks_like_openapi,
    pointer_of,
    unescape_pointer,
    walk,
    yaml_document,
)
from .model import HTTP_METHODS, Body, Node, Operation, Parameter, Response, SecurityScheme, assign_ids, normalise_id

Reader = Callable[[Path], "str | None"]
BUNDLED_DIR = Path(__file__).resolve().parents[3] / "specs"


class RefError(Exception):
    def __init__(self, doc: SpecDocument, pointer: str, message: str):
        super().__init__(message)
        self.doc, self.pointer, self.message = doc, pointer, message


class Registry:
    def __init__(self, read: Reader | None = None, allowed: Sequence[Path] | None = None):
        """``allowed``: the folders a ``$ref`` may lead into (the workspace root and the bundled
        specs); None allows any local file (for tools that load a document they were given)."""
        self.read = read or _read_disk
        self.allowed = None if allowed is None else tuple(p.resolve() for p in allowed)
        self.documents: dict[Path, SpecDocument] = {}
        self.roots: list[Path] = []  # OpenAPI documents whose operations we index
        self.operations: list[Operation] = []
        self.by_id: dict[str, Operation] = {}
        self.problems: dict[str, list[Finding]] = {}  # file -> findings
        self._ids: dict[Path, dict] = {}  # document -> its schemas' $id and $anchor (see _identified)
        # (folder, file part of a $ref) -> the file it resolves to, and whether it may be read: a
        # multi-file description names the same few files tens of thousands of times
        self._ref_files: dict[tuple[Path, str], tuple[Path, bool]] = {}
        self._root_paths: list[Path] = []  # the documents load() was given
        self.cache: SpecCache | None = None  # the parse cache of large documents (see .cache)
        self.load_seconds = 0.0

    # ------------------------------------------------------------------ documents

    def document(self, path: Path) -> SpecDocument | None:
        if path in self.documents:  # its key is the resolved path
            return self.documents[path]
        path = path.resolve()
        if path not in self.documents:
            if _too_large(path):
                message = f"{path.name} is larger than {MAX_SPEC_BYTES // 2**20} MB; it is not loaded"
                self.problems.setdefault(str(path), []).append(
                    Finding(str(path), Range.at(0, 0), Severity.ERROR, CODE_BAD_SPEC, message)
                )
                return None
            text = self.read(path)
            if text is None:
                return None
            doc, findings = self._parse(path, text)
            if findings:
                self.problems.setdefault(str(path), []).extend(findings)
            if doc is None:
                return None
            self.documents[path] = doc
        return self.documents[path]

    def _parse(self, path: Path, text: str) -> tuple[SpecDocument | None, list[Finding]]:
        """A document's text parsed — from the parse cache when a large YAML document of exactly
        this text was parsed before (JSON parses fast enough without it). Positions the load
        left to be found when asked for are found then, from the text, on a hit too."""
        yaml_text = len(text) >= CACHE_MIN_CHARS and text.lstrip()[:1] != "{"
        cache = self.cache if yaml_text else None
        if cache is not None:
            hit = cache.get(text)
            if hit is not None:
                data, positions = hit
                return (SpecDocument(path, data, positions) if positions else yaml_document(path, data, text)), []
        doc, findings = load_document(path, text)
        if cache is not None and doc is not None and not findings:
            cache.put(text, doc.data, doc._positions)
        return doc, findings

    def resolve(self, doc: SpecDocument, value: object, pointer: str) -> Node:
        """Follow ``$ref``s from ``value`` (found at ``pointer`` in ``doc``) to a concrete node."""
        seen: set[tuple[Path, str]] = set()
        last_ref = None
        while isinstance(value, dict) and isinstance(value.get("$ref"), str):
            ref = value["$ref"]
            last_ref = ref
            target_doc, target_pointer = self._locate(doc, pointer, ref)
            key = (target_doc.path, target_pointer)
            if key in seen:
                raise RefError(doc, f"{pointer}/$ref", f"circular $ref '{ref}'")
            seen.add(key)
            try:
                value = target_doc.get(target_pointer)
            except (KeyError, IndexError, ValueError):
                raise RefError(
                    doc, f"{pointer}/$ref", f"$ref '{ref}' points to nothing in {target_doc.path.name}"
                ) from None
            doc, pointer = target_doc, target_pointer
        return Node(doc, pointer, value, last_ref)

    def child(self, node: Node, *keys: str | int) -> Node | None:
        """A resolved child of ``node`` (None when absent)."""
        value, doc, pointer = node.value, node.doc, node.pointer
        for key in keys:
            if isinstance(value, dict):
                if key not in value:
                    return None
                value = value[key]
            elif isinstance(value, list) and isinstance(key, int) and key < len(value):
                value = value[key]
            else:
                return None
            pointer = f"{pointer}/{escape_pointer(str(key))}"
            resolved = self.resolve(doc, value, pointer)
            value, doc, pointer = resolved.value, resolved.doc, resolved.pointer
        return Node(doc, pointer, value)

    def _locate(self, doc: SpecDocument, pointer: str, ref: str) -> tuple[SpecDocument, str]:
        file_part, _, fragment = ref.partition("#")
        fragment = unquote(fragment)
        if not file_part:
            return doc, self._fragment(doc, "", fragment, pointer, ref)
        if file_part in self._identified(doc):  # a schema's own $id (JSON Schema 2020-12, OpenAPI 3.1)
            return doc, self._fragment(doc, self._identified(doc)[file_part], fragment, pointer, ref)
        if "://" in file_part:
            raise RefError(doc, f"{pointer}/$ref", f"remote $ref '{ref}' is not followed (no network); vendor the file")
        try:
            known = self._ref_files.get((doc.path.parent, file_part))
            if known is None:
                resolved = (doc.path.parent / unquote(file_part)).resolve()
                known = self._ref_files[(doc.path.parent, file_part)] = (resolved, self.may_read(resolved))
            path, allowed = known
            if not allowed:
                raise RefError(
                    doc, f"{pointer}/$ref", f"$ref '{ref}' leads outside the workspace ({path}); it is not followed"
                )
            target = self.document(path)
        except (OSError, ValueError):  # a NUL byte, a name too long for the OS
            target = None
        if target is None:
            raise RefError(doc, f"{pointer}/$ref", f"$ref '{ref}': cannot read {file_part}")
        return target, self._fragment(target, "", fragment, pointer, ref)

    def _fragment(self, doc: SpecDocument, base: str, fragment: str, pointer: str, ref: str) -> str:
        """The pointer a fragment names below ``base``: a JSON pointer (``/components/x``), or the
        name of an ``$anchor`` (``#pet_details_id``)."""
        if not fragment or fragment.startswith("/"):
            return base + fragment
        anchors = [
            p for p in self._identified(doc, "$anchor").get(fragment, ()) if p == base or p.startswith(base + "/")
        ]
        if not anchors:
            raise RefError(doc, f"{pointer}/$ref", f"$ref '{ref}': no $anchor '{fragment}' in {doc.path.name}")
        return anchors[0]

    def _identified(self, doc: SpecDocument, keyword: str = "$id") -> dict:
        """``$id`` → pointer (``$anchor`` → pointers) of the schemas of ``doc`` that declare one,
        found by one walk of the document the first time a $ref asks."""
        cache = self._ids.get(doc.path)
        if cache is None:
            ids: dict[str, str] = {}
            anchors: dict[str, list[str]] = {}
            for tokens, value in walk(doc.data):
                if isinstance(value, dict):
                    if isinstance(value.get("$id"), str):
                        ids.setdefault(value["$id"], pointer_of(tokens))
                    if isinstance(value.get("$anchor"), str):
                        anchors.setdefault(value["$anchor"], []).append(pointer_of(tokens))
            cache = self._ids[doc.path] = {"$id": ids, "$anchor": anchors}
        return cache[keyword]

    def may_read(self, path: Path) -> bool:
        """Whether a ``$ref`` may lead to the (resolved) ``path``: inside an allowed folder, or
        inside the folder of a root document the caller chose to load (a configured spec path)."""
        if self.allowed is None:
            return True
        return any(is_inside(path, root) for root in (*self.allowed, *(r.parent for r in self._root_paths)))

    # ------------------------------------------------------------------ loading

    def load(self, paths: list[Path]) -> None:
        """(Re)build the registry from these root documents."""
        # a load makes hundreds of thousands of containers and frees none: the cyclic collector
        # would only re-scan them (a third of a warm load of a large description)
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            self._load(paths)
        finally:
            if was_enabled:
                gc.enable()

    def _load(self, paths: list[Path]) -> None:
        started = time.perf_counter()
        self.documents.clear()
        self.problems.clear()
        self._ids.clear()
        self._ref_files.clear()
        self.roots = []
        self._root_paths = sorted({p.resolve() for p in paths})
        operations: list[Operation] = []
        root_of: dict[int, Path] = {}  # operation -> the root document it was found from
        for path in sorted({p.resolve() for p in paths}):
            doc = self.document(path)
            if doc is None or not looks_like_openapi(doc.data):
                continue
            if "swagger" in doc.data and "openapi" not in doc.data:
                version = doc.data.get("swagger")
                self._problem(
                    doc,
                    "/swagger",
                    CODE_INVALID_SPEC,
                    f"{path.name} is Swagger {version}, which Free Agent does not read (OpenAPI 3.0 and 3.1 "
                    "only); convert it, e.g. `npx swagger2openapi "
                    f"{path.name} -o {path.stem}.openapi.yaml`, and its operations are served",
                    Severity.WARNING,
                )
                continue
            self.roots.append(path)
            found = self._operations(doc)
            root_of.update((id(op), path) for op in found)
            operations.extend(found)
        assign_ids(operations)
        # operationIds are unique within one description; two APIs may both have a getUser
        first: dict[tuple[Path, str], Operation] = {}
        for op in operations:
            if op.declared_id is None:
                continue
            key = (root_of[id(op)], normalise_id(op.declared_id).lower())
            if key in first:
                other = first[key]
                line = other.doc.position(f"{other.pointer}/operationId")[0] + 1
                exact = other.declared_id == op.declared_id
                self._problem(
                    op.doc,
                    f"{op.pointer}/operationId",
                    CODE_INVALID_SPEC,
                    f"operationId '{op.declared_id}' {'is already used' if exact else 'collides with'} "
                    f"'{other.declared_id}' (line {line} of {other.doc.path.name}); generated code calls it {op.id}",
                    Severity.WARNING if exact else Severity.INFORMATION,
                )
            else:
                first[key] = op
        self.operations = operations
        self.by_id = {op.id: op for op in operations}
        self.load_seconds = time.perf_counter() - started

    def _problem(self, doc: SpecDocument, pointer: str, code: str, message: str, severity=Severity.ERROR) -> None:
        line, col = doc.position(pointer)
        finding = Finding(str(doc.path), Range.at(line, col, 1), severity, code, message)
        bucket = self.problems.setdefault(str(doc.path), [])
        if finding not in bucket:
            bucket.append(finding)

    def _safe(self, doc: SpecDocument, value: object, pointer: str) -> Node | None:
        try:
            return self.resolve(doc, value, pointer)
        except RefError as exc:
            self._problem(exc.doc, exc.pointer, CODE_BAD_REF, exc.message)
            return None

    def _operations(self, doc: SpecDocument) -> list[Operation]:
        data = doc.data
        raw_paths = data.get("paths")
        paths = raw_paths if isinstance(raw_paths, dict) else {}
        schemes = self._security_schemes(doc)
        global_security = data.get("security")
        raw_servers = data.get("servers")
        servers = [_server_url(s) for s in _list(raw_servers) if isinstance(s, dict) and isinstance(s.get("url"), str)]
        out = []
        for path, raw_item in paths.items():
            item_pointer = f"/paths/{escape_pointer(path)}"
            item = self._safe(doc, raw_item, item_pointer)
            if item is None or not isinstance(item.value, dict):
                continue
            shared = item.value.get("parameters") or []
            for method in HTTP_METHODS:
                if not isinstance(item.value.get(method), dict):
                    continue
                op_pointer = f"{item.pointer}/{method}"
                try:
                    # an operation given by $ref (`get: {$ref: resources/x/get.yml}`): not strict
                    # OpenAPI, but what multi-file descriptions kept with Redocly and similar do
                    op = self.resolve(item.doc, item.value[method], op_pointer)
                    if not isinstance(op.value, dict):
                        continue
                    out.append(
                        self._operation(
                            op.doc,
                            path,
                            method,
                            op.value,
                            op.pointer,
                            (item.doc, shared, f"{item.pointer}/parameters"),
                            schemes,
                            global_security,
                            servers,
                        )
                    )
                except RefError as exc:
                    self._problem(exc.doc, exc.pointer, CODE_BAD_REF, exc.message)
                except (TypeError, AttributeError, ValueError) as exc:
                    self._problem(
                        item.doc, op_pointer, CODE_INVALID_SPEC, f"{method.upper()} {path} could not be read: {exc}"
                    )
        return out

    def _security_schemes(self, doc: SpecDocument) -> dict[str, SecurityScheme]:
        raw = _dict(_dict(doc.data.get("components")).get("securitySchemes"))
        out = {}
        for name, value in raw.items():
            node = self._safe(doc, value, f"/components/securitySchemes/{escape_pointer(name)}")
            if node is None or not isinstance(node.value, dict):
                continue
            v = node.value
            out[name] = SecurityScheme(
                name=name,
                type=str(v.get("type", "")),
                scheme=(v.get("scheme") or None) and str(v["scheme"]).lower(),
                location=v.get("in"),
                param_name=v.get("name"),
                bearer_format=v.get("bearerFormat"),
            )
        return out

    def _parameter(self, doc: SpecDocument, value: object, pointer: str) -> Parameter | None:
        node = self.resolve(doc, value, pointer)
        v = node.value
        if not isinstance(v, dict) or "name" not in v or "in" not in v:
            self._problem(node.doc, node.pointer, CODE_INVALID_SPEC, "parameter needs 'name' and 'in'")
            return None
        schema = None
        content_type = None
        if "schema" in v:
            schema = self.resolve(node.doc, v["schema"], f"{node.pointer}/schema")
        elif isinstance(v.get("content"), dict) and v["content"]:
            content_type, media = next(iter(v["content"].items()))
            if isinstance(media, dict) and "schema" in media:
                schema = self.resolve(
                    node.doc, media["schema"], f"{node.pointer}/content/{escape_pointer(content_type)}/schema"
                )
        return Parameter(
            name=str(v["name"]),
            location=str(v["in"]),
            required=bool(v.get("required", v["in"] == "path")),
            schema=schema,
            description=str(v.get("description") or ""),
            style=v.get("style"),
            explode=v.get("explode"),
            content_type=content_type,
            allow_empty=v.get("allowEmptyValue") is True and v["in"] == "query",
        )

    def _content(self, doc: SpecDocument, content: object, pointer: str) -> dict[str, Node]:
        out = {}
        if isinstance(content, dict):
            for media_type, media in content.items():
                media_pointer = f"{pointer}/{escape_pointer(media_type)}"
                if isinstance(media, dict) and "schema" in media:
                    out[media_type] = self.resolve(doc, media["schema"], f"{media_pointer}/schema")
                else:
                    out[media_type] = Node(doc, media_pointer, {})
        return out

    def _operation(self, doc, path, method, v, pointer, shared, schemes, global_security, servers) -> Operation:
        """``shared``: (document, parameters, pointer) of the path item's own parameters."""
        params: dict[tuple[str, str], Parameter] = {}
        shared_doc, shared_params, shared_pointer = shared
        for i, raw in enumerate(_list(shared_params)):
            p = self._parameter(shared_doc, raw, f"{shared_pointer}/{i}")
            if p is not None:
                params[(p.name, p.location)] = p
        for i, raw in enumerate(v.get("parameters") or []):
            p = self._parameter(doc, raw, f"{pointer}/parameters/{i}")
            if p is not None:
                params[(p.name, p.location)] = p  # operation-level wins over path-level
        body = None
        if "requestBody" in v:
            b = self.resolve(doc, v["requestBody"], f"{pointer}/requestBody")
            if isinstance(b.value, dict):
                body = Body(
                    bool(b.value.get("required", False)),
                    self._content(b.doc, b.value.get("content"), f"{b.pointer}/content"),
                    str(b.value.get("description") or ""),
                )
        responses = []
        for status, raw in (v.get("responses") or {}).items():
            r = self.resolve(doc, raw, f"{pointer}/responses/{escape_pointer(str(status))}")
            if not isinstance(r.value, dict):
                continue
            headers = {}
            for name, h in (r.value.get("headers") or {}).items():
                hn = self.resolve(r.doc, h, f"{r.pointer}/headers/{escape_pointer(name)}")
                schema = hn.value.get("schema") if isinstance(hn.value, dict) else None
                headers[name] = self.resolve(hn.doc, schema, f"{hn.pointer}/schema") if schema is not None else hn
            responses.append(
                Response(
                    str(status).upper() if str(status).lower().endswith("xx") else str(status),
                    str(r.value.get("description") or ""),
                    self._content(r.doc, r.value.get("content"), f"{r.pointer}/content"),
                    headers,
                )
            )
        security_raw = v.get("security", global_security) or []
        security = []
        for requirement in security_raw:
            if isinstance(requirement, dict):
                security.append([schemes[n] for n in requirement if n in schemes])
        declared = v.get("operationId")
        return Operation(
            id="",
            declared_id=str(declared) if declared else None,
            method=method.upper(),
            path=path,
            summary=str(v.get("summary") or ""),
            description=str(v.get("description") or ""),
            tags=[str(t) for t in v.get("tags") or []],
            parameters=list(params.values()),
            body=body,
            responses=responses,
            security=security,
            deprecated=bool(v.get("deprecated", False)),
            doc=doc,
            pointer=pointer,
            servers=list(servers),
        )

    # ------------------------------------------------------------------ validation

    def validate(self, path: Path) -> list[Finding]:
        """Validate one root document against the OpenAPI schema (slow: run off the hot path)."""
        doc = self.documents.get(path.resolve())
        if doc is None:
            return []
        from jsonschema_path import SchemaPath

        from .spec_validator import SpecValidator30, SpecValidator31

        version = str(doc.data.get("openapi", ""))
        validator_cls = SpecValidator31 if version.startswith("3.1") else SpecValidator30
        findings: list[Finding] = []
        referenced_operations: set[str] = set()
        suffixes = _Suffixes(doc)
        try:
            schema = SchemaPath.from_dict(doc.data, base_uri=doc.path.as_uri(), handlers=_Retrieval(self))
            validator = validator_cls(schema)
            for error in validator.iter_errors():
                parts = list(getattr(error, "absolute_path", []) or getattr(error, "path", []) or [])
                pointer = "".join(f"/{escape_pointer(str(p))}" for p in parts)
                if parts and not _exists(doc, pointer):
                    # the path is relative to a schema the validator checked on its own: find it
                    found = suffixes.find(parts, getattr(error, "instance", None))
                    if found is not None:
                        pointer, parts = found, [unescape_pointer(t) for t in found.split("/")[1:]]
                line, col = doc.position(pointer)
                where = "/".join(str(p) for p in parts) or "(document)"
                message = str(getattr(error, "message", error)).split("\n", 1)[0]
                if _is_operation_ref(doc, parts):
                    if pointer not in referenced_operations:  # one note per operation, not per complaint
                        referenced_operations.add(pointer)
                        findings.append(
                            Finding(
                                str(doc.path),
                                Range.at(line, col, 1),
                                Severity.INFORMATION,
                                CODE_INVALID_SPEC,
                                f"{str(parts[2]).upper()} {parts[1]} is given by $ref: strict OpenAPI allows $ref "
                                "only on path items; Free Agent follows it (as Redocly does), but schema "
                                "validation does not look inside it",
                            )
                        )
                    continue
                findings.append(
                    Finding(
                        str(doc.path),
                        Range.at(line, col, 1),
                        Severity.ERROR,
                        CODE_INVALID_SPEC,
                        f"invalid OpenAPI at {where}: {message}",
                    )
                )
                if len(findings) >= 50:
                    break
        except Exception as exc:  # noqa: BLE001 - the validator raises on unresolvable refs
            message = str(exc).split("\n", 1)[0]
            if not any(f.code == CODE_BAD_REF for f in self.problems.get(str(doc.path), [])):
                findings.append(
                    Finding(
                        str(doc.path),
                        Range.at(0, 0),
                        Severity.ERROR,
                        CODE_INVALID_SPEC,
                        f"invalid OpenAPI: {message[:300]}",
                    )
                )
        return findings


def _exists(doc: SpecDocument, pointer: str) -> bool:
    try:
        doc.get(pointer)
    except (KeyError, IndexError, ValueError):
        return False
    return True


class _Suffixes:
    """Where in a document a path *relative to some schema* is: the schema validator reports the
    errors it finds inside a schema (its meta-schema check) by their path in that schema only.
    Indexed by last token on the first question (one walk of the document)."""

    def __init__(self, doc: SpecDocument) -> None:
        self.doc = doc
        self.by_last: dict[str, list[tuple[tuple[str, ...], object]]] | None = None

    def find(self, parts: list, instance: object) -> str | None:
        if self.by_last is None:
            self.by_last = {}
            for tokens, value in walk(self.doc.data):
                if tokens:
                    self.by_last.setdefault(tokens[-1], []).append((tokens, value))
        tail = tuple(str(p) for p in parts)
        matches = [t for t, v in self.by_last.get(tail[-1], []) if t[-len(tail) :] == tail and v == instance]
        return pointer_of(min(matches)) if matches else None


def _is_operation_ref(doc: SpecDocument, parts: list) -> bool:
    """Whether a validation error is about ``paths.<path>.<method>`` being a ``$ref``."""
    if len(parts) != 3 or parts[0] != "paths" or str(parts[2]) not in HTTP_METHODS:
        return False
    item = _dict(doc.data.get("paths")).get(parts[1])
    return isinstance(item, dict) and isinstance(item.get(parts[2]), dict) and "$ref" in item[parts[2]]


class _Retrieval(dict):
    """The schema validator's ``$ref`` handlers, for every URI scheme: a local file the registry
    may read, parsed by the registry's bounded loader (the validator's own would fetch remote
    URLs, read any file, and expand YAML aliases without bound); anything else is refused."""

    def __init__(self, registry: Registry) -> None:
        super().__init__()
        self.registry = registry
        self.identified: dict[str, tuple[SpecDocument, str]] | None = None

    def __contains__(self, scheme: object) -> bool:
        return True

    def __getitem__(self, scheme: str):
        return self.retrieve

    def retrieve(self, uri: str) -> object:
        if self.identified is None:  # the $id of every schema of the loaded documents, as URLs
            self.identified = {
                urljoin(known.path.as_uri(), identifier): (known, pointer)
                for known in list(self.registry.documents.values())
                for identifier, pointer in self.registry._identified(known).items()
            }
        if (found := self.identified.get(uri.split("#", 1)[0])) is not None:
            return found[0].get(found[1])
        parts = urlsplit(uri)
        if parts.scheme != "file":
            raise ValueError(f"remote $ref {uri} is not followed (no network)")
        from urllib.request import url2pathname  # urllib.request brings http.client and ssl: 19 ms

        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not self.registry.may_read(path):
            raise ValueError(f"$ref {uri} leads outside the workspace; it is not followed")
        doc = self.registry.documents.get(path)
        if doc is None:
            text = self.registry.read(path)
            doc = load_document(path, text)[0] if text is not None else None
        if doc is None:
            raise ValueError(f"$ref {uri}: cannot read it")
        return doc.data


def _server_url(server: dict) -> str:
    """A server's URL with its variables (``{scheme}://{region}.api.test``) at their defaults."""
    variables = _dict(server.get("variables"))

    def default(match: re.Match) -> str:
        variable = _dict(variables.get(match.group(1)))
        value = variable.get("default")
        if value is None and isinstance(variable.get("enum"), list) and variable["enum"]:
            value = variable["enum"][0]
        return str(value) if value is not None else match.group(0)

    return re.sub(r"\{([^{}]+)\}", default, server["url"])


def _dict(value: object) -> dict:
    """``value`` when the document has a mapping there; a wrong type contributes nothing (the
    schema validation reports it)."""
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


CACHE_MIN_CHARS = 200_000  # below this a YAML document parses in well under 0.1 s
MAX_SPEC_BYTES = 64 * 2**20  # the largest public descriptions (GitHub's, Stripe's) are 10-15 MB


def _too_large(path: Path) -> bool:
    try:
        return os.stat(path).st_size > MAX_SPEC_BYTES
    except (OSError, ValueError):
        return False  # the read says what is wrong with it


def _read_disk(path: Path) -> str | None:
    try:
        if not path.is_file():  # a device or a FIFO named by a $ref would never end
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def bundled_spec_paths() -> list[Path]:
    """The bundled registry's root documents (pattern fragments are loaded when referenced)."""
    if not BUNDLED_DIR.is_dir():
        return []
    return sorted(p for p in BUNDLED_DIR.glob("*.yaml")) + sorted(BUNDLED_DIR.glob("*.json"))
