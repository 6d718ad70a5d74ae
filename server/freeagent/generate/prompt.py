"""The grounded prompt for the LLM fallback, built from the context engine and fitted to a token
budget.

Owns what the model is told and in what order of importance: the rules (one code block, only
the installed packages, the project's conventions), the task, the target file around the task
(the marker line shown where the code goes), the exact installed packages, the tsconfig settings
that change what compiles, a spec operation's exact signature when one is partly relevant, the
project's conventions, and 2–4 of the project's own files most similar to the task. Sections
are added most-important first; the later ones are cut, then dropped, when the budget is spent.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..context.manifests import locked_version
from ..context.workspace import WorkspaceContext
from ..languages import JS_SUFFIXES
from ..redact import is_secret_file, mask_keys, mask_source, settings_keys
from .correction import STRICT_FLAGS
from .tokens import TokenCounter

INSERT_HERE = "<<< your code goes here (this line is replaced) >>>"


@dataclass
class Prompt:
    system: str
    user: str
    tokens: int
    sections: dict[str, int] = field(default_factory=dict)  # section -> tokens it got (0: dropped)
    estimated: bool = False  # token counts are estimates (no tokenizer)
    language: str = "typescript"
    knowledge: list[str] = field(default_factory=list)  # the patterns and facts it carries ("pattern:<id>" …)


def language_of(path: Path) -> str:
    """The language a model writes for ``path``: python, javascript, or typescript (anything else)."""
    if path.suffix == ".py":
        return "python"
    return "javascript" if path.suffix in JS_SUFFIXES else "typescript"


class PromptBuilder:
    def __init__(self, ctx: WorkspaceContext, counter: TokenCounter | None = None, knowledge=None):
        """``knowledge``: the knowledge base (:class:`freeagent.learn.knowledge.KnowledgeBase`),
        whose sections ("what worked here", "known pitfalls") are budgeted like the others."""
        self.ctx = ctx
        self.counter = counter or TokenCounter()
        self.knowledge = knowledge

    # ------------------------------------------------------------------ sections

    def installed_packages(self, path: Path) -> list[str]:
        """'name@exact-version' for every package the file's package.json (and the root's)
        declares — the installed version when node_modules or the lockfile has it."""
        out: dict[str, str] = {}
        for package in filter(None, [self.ctx.nearest_package(path), self.ctx.root_package]):
            for group in (package.dependencies, package.dev_dependencies, package.peer_dependencies):
                for name, declared in group.items():
                    if name not in out:
                        out[name] = locked_version(package.dir, name) or declared
        python = [m for m in self.ctx.python.values()]
        for manifest in python:
            for dep in manifest.dependencies:
                out.setdefault(dep.name, dep.specifier or "*")
        return [f"{name}@{version}" for name, version in sorted(out.items())]

    def tsconfig_facts(self, path: Path) -> list[str]:
        config = self.ctx.nearest_tsconfig(path)
        if config is None:
            return []
        facts = [f"module: {config.option('module') or 'default'}", f"moduleResolution: {config.module_resolution}"]
        for key in ("strict", "target", "jsx", "esModuleInterop", "allowJs"):
            value = config.option(key)
            if value is not None:
                facts.append(f"{key}: {json.dumps(value)}")
        for flag in config.strict_flags():  # what changes what compiles, and how to write for it
            facts.append(f"{flag}: {json.dumps(config.option(flag))} — {STRICT_FLAGS[flag]}")
        paths = config.option("paths")
        if isinstance(paths, dict) and paths:
            facts.append(
                "path aliases: "
                + ", ".join(f"{k} -> {v[0] if isinstance(v, list) and v else v}" for k, v in list(paths.items())[:8])
            )
        if config.module_resolution in ("node16", "nodenext"):
            facts.append("relative imports need the emitted extension: './x.js' for ./x.ts")
        return facts

    def conventions(self, path: Path) -> list[str]:
        family = "python" if path.suffix == ".py" else "typescript"
        votes = self.ctx.conventions().get(family, {})
        return [
            f"{key}: {vote.value}"
            for key, vote in votes.items()
            if vote is not None and vote.share >= 0.6 and vote.total >= 3
        ]

    def _keys(self) -> list[str]:
        return settings_keys(self.ctx.settings.llm)

    def examples(self, task: str, path: Path, limit: int = 4) -> list[tuple[str, str]]:
        """(relative path, text) of the project's files most like the task (paths and exported
        names against the task's words), the target file itself left out."""
        from rapidfuzz import fuzz

        target = self.ctx.rel(path) if self.ctx.contains(path) else ""
        family_py = path.suffix == ".py"
        words = " ".join(re.findall(r"[A-Za-z]+", task)).lower()
        scored = []
        for rel, summary in self.ctx.index.files.items():
            if rel == target or (summary.language == "python") != family_py or rel.endswith(".d.ts"):
                continue
            if re.search(r"(^|/)(tests?|__tests__)/|\.(test|spec)\.", rel) or is_secret_file(rel):
                continue
            names = " ".join(e.name for e in summary.exports) + " " + " ".join(s.name for s in summary.symbols)
            haystack = (rel.replace("/", " ").replace("-", " ").replace("_", " ") + " " + _split_words(names)).lower()
            score = fuzz.token_set_ratio(words, haystack)
            scored.append((score, -summary.size, rel))
        scored.sort(reverse=True)
        out = []
        for _, _, rel in scored[:limit]:
            text = self.ctx.read(self.ctx.root / rel)
            if text:
                out.append((rel, mask_source(text, rel, self._keys())))
        return out

    # ------------------------------------------------------------------ the prompt

    def build(
        self,
        task: str,
        path: Path,
        text: str,
        marker_line: int | None,
        budget: int,
        related_operation: str | None = None,
        models: list[str] | None = None,
    ) -> Prompt:
        """``models``: the models the prompt is for (their own pitfalls are named)."""
        language = language_of(path)
        fence = {"typescript": "ts", "javascript": "js", "python": "python"}[language]
        rel = self.ctx.rel(path) if self.ctx.contains(path) else path.name
        system = (
            f"You write {language} code for an existing project, to be inserted into {rel}.\n"
            "Rules:\n"
            f"- Answer with exactly one ```{fence} code block and nothing else.\n"
            "- The block holds the code that replaces the marked line; put any imports it needs at the top of the "
            "block (they are merged into the file's imports).\n"
            "- Import only the installed packages listed, the language's standard library, and files of this "
            "project. Never add another dependency.\n"
            "- Call only APIs that exist in the installed versions; use only exports the project's files really have.\n"
            "- Follow the project's conventions (quotes, semicolons, naming, module style).\n"
            "- Do not repeat code that is already in the file."
        )
        counter = self.counter
        remaining = budget - counter.count(system)
        sections: dict[str, int] = {}
        parts: list[str] = []

        def add(name: str, body: str, required: bool = False) -> None:
            nonlocal remaining
            if not body:
                return
            cost = counter.count(body)
            if cost > remaining:
                if required or remaining > 200:
                    body = counter.truncate(body, max(remaining, 0))
                    cost = counter.count(body)
                else:
                    sections[name] = 0
                    return
            if not body.strip():
                sections[name] = 0
                return
            parts.append(body)
            remaining -= cost
            sections[name] = cost

        keys = self._keys()
        add("task", f"## Task\n{mask_keys(task, keys)}\n", required=True)
        text = "" if is_secret_file(rel) else mask_source(text, rel, keys)  # same lines, secrets masked
        add(
            "file",
            self._file_section(rel, fence, text, marker_line, remaining_hint=max(remaining // 2, 400)),
            required=True,
        )
        packages = self.installed_packages(path)
        add(
            "packages",
            "## Installed packages (use no others)\n" + ("\n".join(f"- {p}" for p in packages) or "- none") + "\n",
            required=True,
        )
        if language != "python":
            facts = self.tsconfig_facts(path)
            if facts:
                add("tsconfig", "## TypeScript settings\n" + "\n".join(f"- {f}" for f in facts) + "\n")
        knowledge = {s.name: s for s in self.knowledge.sections(task, path, models)} if self.knowledge else {}
        used: list[str] = []
        if "pitfalls" in knowledge:  # before the project's examples: cut after them, before the task
            add("pitfalls", mask_source(knowledge["pitfalls"].body, rel, keys))
            used += knowledge["pitfalls"].used if sections.get("pitfalls") else []
        if related_operation:
            add(
                "operation",
                "## A related API operation (use it exactly if the task needs it)\n" + related_operation + "\n",
            )
        conventions = self.conventions(path)
        if conventions:
            add("conventions", "## Conventions of this project\n" + "\n".join(f"- {c}" for c in conventions) + "\n")
        if "worked" in knowledge:
            add("worked", mask_source(knowledge["worked"].body, rel, keys))
            used += knowledge["worked"].used if sections.get("worked") else []
        for example_rel, example in self.examples(task, path):
            if remaining < 300:
                sections[f"example:{example_rel}"] = 0
                continue
            body = f"## A file of this project: {example_rel}\n```{fence}\n{example.rstrip()}\n```\n"
            if counter.count(body) > remaining:
                body = counter.truncate(body, remaining - 10) + "\n…\n```\n"
            add(f"example:{example_rel}", body)
        user = "\n".join(parts)
        return Prompt(system, user, budget - remaining, sections, not counter.exact, language, used)

    def _file_section(self, rel: str, fence: str, text: str, marker_line: int | None, remaining_hint: int) -> str:
        lines = text.split("\n") if text else []
        if marker_line is not None and 0 <= marker_line < len(lines):
            lines = lines[:marker_line] + [INSERT_HERE] + lines[marker_line + 1 :]
            around = marker_line
        else:
            lines = lines + [INSERT_HERE]
            around = len(lines) - 1
        body = "\n".join(lines)
        if self.counter.count(body) > remaining_hint:  # a long file: the lines around the spot
            start, end = max(around - 60, 0), min(around + 40, len(lines))
            body = "\n".join((["// …"] if start else []) + lines[start:end] + (["// …"] if end < len(lines) else []))
        return f"## The file {rel} (the marked line is where your code goes)\n```{fence}\n{body}\n```\n"


def _split_words(names: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", names)
