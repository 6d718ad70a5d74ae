"""Matching a task ("list comments for a task", "GET /users/{id}", "createProject") to an operation.

Owns the decision "is this task covered by a spec, and by which operation, how surely":

1. explicit references win: ``METHOD /path`` (a template or a concrete path such as
   ``/users/42``) or an operationId named in the task → confidence 1.0;
2. otherwise every operation is scored against the task's words: nouns weighted by how rare
   they are in the registry (IDF) and by field (operationId and path segments count most,
   then summary, tags, description), compared with rapidfuzz so plurals and small typos
   still match; the task's verb ("list", "create", "remove" …) must agree with the method;
3. the confidence combines the best score with its margin over the runner-up; below
   ``THRESHOLD`` the task is not spec-covered (the LLM path takes it). The weights and the
   threshold were calibrated on the labelled table in ``tests/unit/test_match.py``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from .model import Operation, words

THRESHOLD = 0.45

STOPWORDS = frozenset(
    """a an the for of to on in by with from and or me my our its it this that these those is are be
    endpoint endpoints api call calls function request requests handler client implement write make
    route routes todo using via into given new please should which when where code generate
    one single specific each every all someone somebody something user's their""".split()
)
# verb -> methods it implies; "list"-like verbs also imply a collection (no trailing {param})
VERBS: dict[str, tuple[str, ...]] = {
    "list": ("GET",),
    "get": ("GET",),
    "fetch": ("GET",),
    "load": ("GET",),
    "show": ("GET",),
    "retrieve": ("GET",),
    "read": ("GET",),
    "find": ("GET",),
    "search": ("GET",),
    "query": ("GET",),
    "view": ("GET",),
    "lookup": ("GET",),
    "check": ("GET",),
    "create": ("POST",),
    "add": ("POST", "PUT"),
    "post": ("POST",),
    "submit": ("POST",),
    "upload": ("POST",),
    "register": ("POST",),
    "login": ("POST",),
    "logout": ("POST",),
    "send": ("POST",),
    "trigger": ("POST",),
    "test": ("POST",),
    "refresh": ("POST",),
    "assign": ("POST", "PUT"),
    "attach": ("PUT", "POST"),
    "link": ("PUT", "POST"),
    "update": ("PATCH", "PUT"),
    "edit": ("PATCH", "PUT"),
    "change": ("PATCH", "PUT"),
    "modify": ("PATCH", "PUT"),
    "rename": ("PATCH", "PUT"),
    "set": ("PUT", "PATCH"),
    "replace": ("PUT",),
    "delete": ("DELETE",),
    "remove": ("DELETE",),
    "destroy": ("DELETE",),
    "detach": ("DELETE",),
    "unlink": ("DELETE",),
    "archive": ("DELETE", "PATCH", "POST"),
}
COLLECTION_VERBS = frozenset({"list", "search", "query", "find"})
# verbs that only say which method: every API has them, so they carry no meaning of their own
# ("assign", "login", "upload" … do: they name operations, so they are matched like nouns)
GENERIC_VERBS = frozenset(
    "list get fetch load show retrieve read find query view lookup check create add post submit "
    "update edit change modify set replace delete remove destroy register".split()
)
FIELD_WEIGHTS = {"id": 2.0, "path": 2.0, "summary": 1.5, "tags": 1.0, "description": 0.6}
# phrasal verbs folded into the single words APIs use
PHRASES = (
    (re.compile(r"\b(?:log|sign)\s+((?:\w+\s+){0,2})in\b", re.I), r"login \1"),
    (re.compile(r"\b(?:log|sign)\s+((?:\w+\s+){0,2})out\b", re.I), r"logout \1"),
    (re.compile(r"\bsign\s+up\b", re.I), "register"),
)
_EXPLICIT = re.compile(r"\b(GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE)\s+(/[^\s`'\"]*)", re.I)


@dataclass(frozen=True)
class Match:
    operation: Operation | None
    confidence: float
    reason: str
    runner_up: Operation | None = None

    @property
    def covered(self) -> bool:
        return self.operation is not None and self.confidence >= THRESHOLD


def _template_regex(path: str) -> re.Pattern:
    out = ""
    for part in re.split(r"(\{[^}]+\})", path.rstrip("/")):
        out += "[^/]+" if part.startswith("{") else re.escape(part)
    return re.compile(f"^{out}/?$")


def _stem(word: str) -> str:
    if word.endswith(("ss", "us", "is")):
        return word
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ses", "s"), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + repl
    return word


class Matcher:
    """Precomputes each operation's weighted words once per registry load."""

    def __init__(self, operations: list[Operation]):
        self.operations = operations
        self.docs: list[dict[str, float]] = [self._document(op) for op in operations]
        df: dict[str, int] = {}
        for doc in self.docs:
            for w in doc:
                df[w] = df.get(w, 0) + 1
        n = max(len(self.docs), 1)
        self.idf = {w: math.log(1 + n / c) for w, c in df.items()}
        self.default_idf = math.log(1 + n)
        self.templates = [(_template_regex(op.path), op) for op in operations]

    @staticmethod
    def _document(op: Operation) -> dict[str, float]:
        fields = {
            "id": words(op.id) + (words(op.declared_id) if op.declared_id else []),
            "path": [w for seg in op.path.split("/") if seg and not seg.startswith("{") for w in words(seg)],
            "summary": words(op.summary),
            "tags": [w for t in op.tags for w in words(t)],
            "description": words(op.description),
        }
        doc: dict[str, float] = {}
        for name, ws in fields.items():
            for w in ws:
                w = _stem(w)
                if w in STOPWORDS or w in GENERIC_VERBS:
                    continue
                doc[w] = max(doc.get(w, 0.0), FIELD_WEIGHTS[name])
        return doc

    def _explicit(self, task: str) -> Match | None:
        for m in _EXPLICIT.finditer(task):
            method, path = m.group(1).upper(), m.group(2).rstrip(".,;:)")
            for op in self.operations:
                if op.method == method and op.path.rstrip("/") == path.rstrip("/"):
                    return Match(op, 1.0, f"explicit {method} {op.path}")
            for regex, op in self.templates:
                if op.method == method and regex.match(path.split("?")[0]):
                    return Match(op, 1.0, f"explicit {method} {path} matches {op.path}")
        tokens = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", task))
        lowered = {t.lower() for t in tokens}
        for op in self.operations:
            ids = {op.id.lower()} | ({op.declared_id.lower()} if op.declared_id else set())
            if ids & lowered and (len(op.id) > 6 or op.id in tokens):
                return Match(op, 1.0, f"explicit operationId {op.id}")
        return None

    def match(self, task: str) -> Match:
        if not self.operations:
            return Match(None, 0.0, "the registry has no operations")
        explicit = self._explicit(task)
        if explicit is not None:
            return explicit
        for pattern, replacement in PHRASES:
            task = pattern.sub(replacement, task)
        task_words = words(task)
        verbs = [w for w in task_words if w in VERBS]
        nouns = [_stem(w) for w in task_words if w not in STOPWORDS and w not in GENERIC_VERBS]
        if not nouns:
            return Match(None, 0.0, "no nouns in the task to match on")
        methods = set(m for v in verbs for m in VERBS[v])
        wants_collection = any(v in COLLECTION_VERBS for v in verbs) or "all" in task_words
        total = sum(self.idf.get(n, self.default_idf) for n in nouns)
        scored = []
        for op, doc in zip(self.operations, self.docs, strict=True):
            hit = 0.0
            for noun in nouns:
                weight = doc.get(noun)
                if weight is None:
                    best = max((fuzz.ratio(noun, w) for w in doc), default=0)
                    if best >= 85:  # typos and near-forms ('comemnt')
                        weight = max(doc[w] for w in doc if fuzz.ratio(noun, w) == best) * best / 100
                if weight:
                    hit += self.idf.get(noun, self.default_idf) * weight / FIELD_WEIGHTS["id"]
            score = hit / total if total else 0.0
            if methods:
                score *= 1.0 if op.method in methods else 0.35
            is_collection = not op.path.rstrip("/").endswith("}")
            if wants_collection and op.method == "GET":
                score *= 1.0 if is_collection else 0.7
            elif (
                verbs
                and op.method == "GET"
                and not wants_collection
                and any(v in ("get", "fetch", "show", "retrieve", "view", "read") for v in verbs)
            ):
                score *= 1.0 if not is_collection else 0.85
            # how much of the operation the task explains (penalise broad ops that only share one word)
            coverage = sum(1 for w in doc if w in nouns) / max(1, len([w for w, f in doc.items() if f >= 1.5]))
            score *= 0.85 + 0.15 * min(1.0, coverage)
            scored.append((score, op))
        scored.sort(key=lambda s: (-s[0], s[1].id))
        best_score, top = scored[0]
        runner_score, runner = scored[1] if len(scored) > 1 else (0.0, None)
        margin = best_score - runner_score
        confidence = round(min(1.0, best_score) * (0.55 + 0.45 * min(1.0, margin / 0.15)), 3)
        reason = f"score {best_score:.2f}, runner-up {runner.id if runner else '-'} {runner_score:.2f}"
        return Match(top, confidence, reason, runner)
