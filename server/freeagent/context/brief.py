"""The project brief: a compact, deterministic summary of the context for prompts and people.

Owns choosing what goes in (installed packages per manifest, the tsconfig settings that matter,
conventions with evidence, a few representative files, problems) and rendering it twice: as
JSON (``Brief.data``) and as markdown (``Brief.markdown``). Same workspace → same bytes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .conventions import is_bare
from .manifests import DEP_GROUPS
from .tsconfig import KEY_OPTIONS

if TYPE_CHECKING:
    from .workspace import WorkspaceContext

_ROLE_PATTERNS = (
    ("route", re.compile(r"(^|/)(routes?|api|controllers?|handlers?|routers?)/|route\.[jt]sx?$")),
    ("component", re.compile(r"(^|/)components?/|\.(tsx|jsx)$")),
    ("schema", re.compile(r"(^|/)(schemas?|models?|validation|types)(/|\.)")),
    ("service", re.compile(r"(^|/)(services?|lib|clients?|api-client)(/|[-.])")),
    ("test", re.compile(r"\.(test|spec)\.|(^|/)(__tests__|tests?)/|(^|/)test_")),
)
MAX_REPRESENTATIVE = 5


@dataclass(frozen=True)
class Brief:
    data: dict
    markdown: str


def _rel(ctx: WorkspaceContext, path) -> str:
    return ctx.rel(path) if ctx.contains(path) else str(path)


def _representative(ctx: WorkspaceContext) -> list[dict]:
    index = ctx.index
    indegree: Counter = Counter()
    alias_targets: list[tuple[str, str]] = []
    for config in ctx.tsconfigs.values():
        paths = config.option("paths")
        if isinstance(paths, dict) and config.paths_base is not None:
            for key, targets in paths.items():
                if key.endswith("*") and targets and isinstance(targets[0], str) and targets[0].endswith("*"):
                    base_dir = (config.paths_base / targets[0][:-1]).resolve()
                    if ctx.contains(base_dir):
                        alias_targets.append((key[:-1], ctx.rel(base_dir)))
    for summary in index.files.values():
        for record in summary.imports:
            spec = record.specifier
            target = None
            if spec.startswith("."):
                target = index.resolve_relative(summary.path, spec)
            else:
                for prefix, base in alias_targets:
                    if spec.startswith(prefix):
                        target = index.resolve_relative(base + "/x", "./" + spec[len(prefix) :])
                        break
            if target and target != summary.path:
                indegree[target] += 1
    chosen: list[tuple[str, str]] = []
    by_rank = sorted(index.files, key=lambda p: (-indegree[p], p))
    for path in by_rank[:2]:
        if indegree[path]:
            chosen.append((path, f"imported by {indegree[path]} files"))
    for role, pattern in _ROLE_PATTERNS:
        if len(chosen) >= MAX_REPRESENTATIVE:
            break
        for path in by_rank:
            if pattern.search(path) and path not in {c[0] for c in chosen}:
                chosen.append((path, f"a typical {role} file"))
                break
    out = []
    for path, why in chosen[:MAX_REPRESENTATIVE]:
        summary = index.files[path]
        out.append(
            {
                "path": path,
                "why": why,
                "exports": sorted({e.name for e in summary.exports})[:12],
                "imports": sorted({r.specifier for r in summary.imports if is_bare(r.specifier)})[:12],
            }
        )
    return out


def build_brief(ctx: WorkspaceContext) -> Brief:
    languages = Counter(s.language for s in ctx.index.files.values())
    tool, patterns = ctx.workspace_globs()
    members = ctx.workspace_packages()
    packages = []
    for path, manifest in sorted(ctx.packages.items()):
        entry: dict[str, object] = {
            "path": _rel(ctx, path),
            "name": manifest.name,
            "type": manifest.type,
            "workspace_member": manifest.name in members and members[manifest.name] == path.parent,
        }
        for group, deps in manifest.groups().items():
            if deps:
                entry[group] = dict(sorted(deps.items()))
        if manifest.exports is not None:
            entry["exports"] = manifest.exports
        if manifest.imports is not None:
            entry["imports"] = manifest.imports
        packages.append(entry)
    python = [
        {
            "path": _rel(ctx, path),
            "kind": m.kind,
            "name": m.name,
            "requires_python": m.requires_python,
            "dependencies": [
                {"name": d.name, "specifier": d.specifier, "group": d.group}
                for d in sorted(m.dependencies, key=lambda d: (d.group != "main", d.group, d.name))
            ],
        }
        for path, m in sorted(ctx.python.items())
    ]
    tsconfigs = []
    for path, config in sorted(ctx.tsconfigs.items()):
        options = {k: config.compiler_options[k] for k in KEY_OPTIONS if k in config.compiler_options}
        for key in ("baseUrl", "rootDir", "outDir"):
            if key in options:
                options[key] = _rel(ctx, type(path)(options[key]))
        tsconfigs.append(
            {
                "path": _rel(ctx, path),
                "extends": [_rel(ctx, p) for p in config.chain[1:]],
                "compilerOptions": options,
                "effective": {"module": config.module, "moduleResolution": config.module_resolution},
                "include": config.include,
                "exclude": config.exclude,
                "files": config.files,
                "references": [_rel(ctx, p) for p in config.references],
            }
        )
    conventions = {
        family: {k: (v.to_json() if v else None) for k, v in votes.items()}
        for family, votes in ctx.conventions().items()
    }
    problems = [
        {
            "file": _rel(ctx, type(ctx.root)(f.file)),
            "line": f.range.line + 1,
            "column": f.range.character + 1,
            "code": f.code,
            "severity": f.severity.value,
            "message": f.message,
        }
        for file, items in sorted(ctx.problems_by_file().items())
        for f in sorted(items, key=lambda f: (f.range.line, f.range.character, f.code))
    ]
    data = {
        "root": ctx.root.name,
        "languages": dict(sorted(languages.items())),
        "index": {"files": len(ctx.index), "bytes": ctx.index.total_bytes},
        "monorepo": {"tool": tool, "patterns": patterns, "packages": sorted(members)} if tool else None,
        "packages": packages,
        "lockfiles": [{"path": _rel(ctx, p), "kind": k} for p, k in sorted(ctx.lockfiles.items())],
        "python": python,
        "python_environment": _python_environment(ctx) if python else None,
        "tsconfigs": tsconfigs,
        "conventions": conventions,
        "representative_files": _representative(ctx),
        "problems": problems,
    }
    return Brief(data=data, markdown=render_markdown(data))


def _fmt(value) -> str:
    if isinstance(value, (dict, list)):
        import json

        return json.dumps(value, sort_keys=True, separators=(", ", ": "))
    return str(value).lower() if isinstance(value, bool) else str(value)


def render_markdown(data: dict) -> str:
    lines = [f"# Project brief: {data['root']}", ""]
    langs = ", ".join(f"{k} {v}" for k, v in data["languages"].items()) or "none"
    lines.append(f"Indexed {data['index']['files']} source files ({langs}).")
    if data["monorepo"]:
        m = data["monorepo"]
        lines.append(
            f"Monorepo ({m['tool']} workspaces: {', '.join(m['patterns'])}); "
            f"packages: {', '.join(m['packages']) or 'none'}."
        )
    if data["lockfiles"]:
        lines.append("Lockfiles: " + ", ".join(f"{lock['path']} ({lock['kind']})" for lock in data["lockfiles"]) + ".")
    lines.append("")
    if data["packages"]:
        lines += ["## Installed packages (use no others)", ""]
        for p in data["packages"]:
            label = p["name"] or "(unnamed)"
            lines.append(f"### {p['path']} — {label}, {'ESM' if p['type'] == 'module' else 'CommonJS'}")
            for group in DEP_GROUPS:
                if p.get(group):
                    deps = ", ".join(f"{k}@{v}" for k, v in p[group].items())
                    lines.append(f"- {group}: {deps}")
            if not any(p.get(g) for g in DEP_GROUPS):
                lines.append("- no dependencies")
            lines.append("")
    if data["python"]:
        lines += ["## Python dependencies", ""]
        env = data.get("python_environment")
        if env and env.get("path"):
            lines += [
                f"Environment: `{env['path']}` ({env['how']}; Python {env['python'] or '?'}, "
                f"{env['distributions']} distributions installed): imports are judged by what it has installed.",
                "",
            ]
        elif env is not None:
            lines += [
                "Environment: none found (no .venv/venv in the workspace): imports are judged by the manifests.",
                "",
            ]
        for m in data["python"]:
            py = f", Python {m['requires_python']}" if m["requires_python"] else ""
            lines.append(f"### {m['path']} ({m['kind']}{py})")
            groups: dict[str, list[str]] = {}
            for d in m["dependencies"]:
                groups.setdefault(d["group"], []).append(d["name"] + d["specifier"])
            for group, names in groups.items():
                lines.append(f"- {group}: {', '.join(names)}")
            lines.append("")
    if data["tsconfigs"]:
        lines += ["## TypeScript settings", ""]
        for t in data["tsconfigs"]:
            chain = f" (extends {' → '.join(t['extends'])})" if t["extends"] else ""
            lines.append(f"### {t['path']}{chain}")
            eff = t["effective"]
            lines.append(f"- module {eff['module']}, moduleResolution {eff['moduleResolution']}")
            for k, v in t["compilerOptions"].items():
                if k not in ("module", "moduleResolution"):
                    lines.append(f"- {k}: {_fmt(v)}")
            for k in ("include", "exclude", "files"):
                if t[k] is not None:
                    lines.append(f"- {k}: {_fmt(t[k])}")
            if t["references"]:
                lines.append(f"- references: {', '.join(t['references'])}")
            lines.append("")
    if data["conventions"]:
        lines += ["## Conventions (majority of existing code; evidence in brackets)", ""]
        for family, votes in data["conventions"].items():
            lines.append(f"### {family}")
            for key, v in votes.items():
                if v is None:
                    continue
                ev = ", ".join(f"{k} {n}" for k, n in v["evidence"].items())
                lines.append(f"- {key}: **{v['value']}** ({round(v['share'] * 100)}% of {v['total']}: {ev})")
            lines.append("")
    if data["representative_files"]:
        lines += ["## Representative files", ""]
        for f in data["representative_files"]:
            exp = f"; exports {', '.join(f['exports'])}" if f["exports"] else ""
            lines.append(f"- `{f['path']}` — {f['why']}{exp}")
        lines.append("")
    if data["problems"]:
        lines += ["## Problems", ""]
        for p in data["problems"]:
            lines.append(f"- {p['file']}:{p['line']}:{p['column']} {p['code']} {p['message']}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _python_environment(ctx) -> dict:
    """Which Python environment the checks read (``{}`` when there is none)."""
    env = ctx.python_environment()
    if env is None:
        return {}
    return {"path": _rel(ctx, env.path), "how": env.how, "python": env.python, "distributions": len(env.distributions)}
