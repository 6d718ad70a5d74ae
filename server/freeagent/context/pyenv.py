"""The Python environment a workspace's code runs in: which one it is, and what it has installed.

Owns finding it and reading it, without running it:

* **where**: ``$VIRTUAL_ENV`` when it lies inside the workspace (an activated shell), else an
  environment in the workspace or in one of its Python projects' folders — ``.venv`` (uv,
  Poetry with ``virtualenvs.in-project``, PDM, Hatch's ``dirs.env``, ``python -m venv``), ``venv``,
  ``env``, ``.env`` when it is an environment (a ``pyvenv.cfg`` beside a ``bin/python``) — the
  nearest to the project first. Environments elsewhere (Poetry's cache, Hatch's data folder) are
  not guessed at: no environment found is said once, and the manifests decide as before.
* **what**: every installed distribution of its ``site-packages`` (``importlib.metadata`` over that
  folder), with its version and the top-level import names it provides — ``top_level.txt``, else
  the top-level entries of its ``RECORD`` — so ``yaml`` is PyYAML's and ``jwt`` PyJWT's because
  their metadata says so, not a hand-kept table.

Read once per workspace load; a changed ``site-packages`` (an install) is read again when asked.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

_ENV_NAMES = (".venv", "venv", "env", ".env")


def normalise(name: str) -> str:
    """A distribution name as PEP 503 compares them ('Python_Dateutil' → 'python-dateutil')."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class Distribution:
    name: str  # normalised
    version: str
    imports: tuple[str, ...]  # the top-level import names it provides


@dataclass
class PythonEnvironment:
    path: Path  # the environment's folder
    python: str  # 'X.Y', from pyvenv.cfg
    site_packages: Path
    how: str  # how it was found ('VIRTUAL_ENV', '.venv in the workspace' …)
    distributions: dict[str, Distribution] = field(default_factory=dict)  # normalised name →
    by_import: dict[str, list[str]] = field(default_factory=dict)  # import name → distribution names

    @property
    def interpreter(self) -> Path:
        """The environment's Python executable."""
        for sub in ("bin/python", "bin/python3", "Scripts/python.exe"):
            if (self.path / sub).exists():
                return self.path / sub
        return self.path / "bin" / "python"

    def provides(self, import_name: str) -> list[str]:
        """The installed distributions that provide a top-level import name."""
        return self.by_import.get(import_name, [])


def _python_version(env: Path) -> str | None:
    try:
        text = (env / "pyvenv.cfg").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    m = re.search(r"^\s*(?:version|version_info)\s*=\s*(\d+\.\d+)", text, re.MULTILINE)
    return m.group(1) if m else ""


def _site_packages(env: Path, version: str) -> Path | None:
    candidates = [env / "lib" / f"python{version}" / "site-packages"] if version else []
    candidates += sorted((env / "lib").glob("python3*/site-packages")) + [env / "Lib" / "site-packages"]
    return next((c for c in candidates if c.is_dir()), None)


def _is_environment(env: Path) -> bool:
    return (env / "pyvenv.cfg").is_file() and any(
        (env / sub).exists() for sub in ("bin/python", "bin/python3", "Scripts/python.exe")
    )


def find_environment(
    root: Path, project_dirs: list[Path], cache_dir: Path | None = None, interpreter: str = ""
) -> PythonEnvironment | None:
    """The workspace's environment (see the module), read; None when there is none. With a
    ``cache_dir``, what its distributions provide is kept there, keyed by the names of their
    metadata folders (``name-version.dist-info``): an install changes them, and reading every
    ``RECORD`` again (150 ms for this project's 93 distributions) is only done then."""
    candidates: list[tuple[Path, str]] = []
    if interpreter:  # the setting: an environment's folder or its interpreter, nothing else tried
        chosen = Path(os.path.expanduser(interpreter))
        chosen = chosen if chosen.is_absolute() else root / chosen
        folder = chosen if chosen.is_dir() else chosen.parent.parent
        candidates = [(folder, "the python.interpreter setting")]
        return _first_environment(candidates, cache_dir)
    active = os.environ.get("VIRTUAL_ENV")
    if active and Path(active).resolve().is_relative_to(root):
        candidates.append((Path(active).resolve(), "VIRTUAL_ENV"))
    for folder in sorted(set(project_dirs), key=lambda p: (-len(p.parts), str(p))) + [root]:
        for name in _ENV_NAMES:
            where = "the workspace" if folder == root else os.path.relpath(folder, root)
            candidates.append((folder / name, f"{name} in {where}"))
    for poetry in _poetry_environments(project_dirs):
        candidates.append((poetry, f"Poetry's {poetry.name}"))
    return _first_environment(candidates, cache_dir)


def _first_environment(candidates: list[tuple[Path, str]], cache_dir: Path | None) -> PythonEnvironment | None:
    for env, how in candidates:
        if not _is_environment(env):
            continue
        version = _python_version(env) or ""
        site = _site_packages(env, version)
        if site is None:
            continue
        found = PythonEnvironment(env, version, site, how)
        _read_cached(found, cache_dir) if cache_dir is not None else _read_distributions(found)
        return found
    return None


def _poetry_environments(project_dirs: list[Path]) -> list[Path]:
    """Poetry's environments of these project folders in its cache (``virtualenvs.in-project``
    off, its default): ``<cache>/virtualenvs/<name>-<8 characters of the folder's hash>-py3.X``,
    named as Poetry names them."""
    import base64
    import glob
    import hashlib

    base = os.environ.get("POETRY_VIRTUALENVS_PATH") or os.path.join(
        os.environ.get("POETRY_CACHE_DIR") or os.path.join(os.environ.get("XDG_CACHE_HOME") or "~/.cache", "pypoetry"),
        "virtualenvs",
    )
    folder = Path(os.path.expanduser(base))
    if not folder.is_dir():
        return []
    out = []
    for project in project_dirs:
        name = _pyproject_name(project)
        if not name:
            continue
        sanitized = re.sub(r'[ $`!*@"\\\r\n\t]', "_", name)[:42]
        digest = hashlib.sha256(os.path.normcase(os.path.realpath(project)).encode()).digest()
        prefix = f"{sanitized}-{base64.urlsafe_b64encode(digest).decode()[:8]}-py"
        out += sorted(folder.glob(glob.escape(prefix) + "*"), reverse=True)  # the newest Python first
    return out


def _pyproject_name(project: Path) -> str | None:
    import tomllib

    try:
        data = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = (data.get("tool", {}).get("poetry", {}) or {}).get("name") or (data.get("project", {}) or {}).get("name")
    return name if isinstance(name, str) else None


def _read_cached(env: PythonEnvironment, cache_dir: Path) -> None:
    import hashlib
    import json

    from ..paths import write_atomically

    try:
        listing = sorted(n for n in os.listdir(env.site_packages) if n.endswith((".dist-info", ".egg-info")))
    except OSError:
        listing = []
    where = cache_dir / "pyenv" / (hashlib.sha256(str(env.site_packages).encode()).hexdigest()[:20] + ".json")
    try:
        data = json.loads(where.read_text(encoding="utf-8"))
        if data.get("listing") == listing and isinstance(data.get("distributions"), list):
            for name, version, imports in data["distributions"]:
                env.distributions[name] = Distribution(name, version, tuple(imports))
                for top in imports:
                    env.by_import.setdefault(top, []).append(name)
            return
    except (OSError, ValueError, TypeError, AttributeError):
        env.distributions.clear()
        env.by_import.clear()
    _read_distributions(env)
    rows = [[d.name, d.version, list(d.imports)] for d in env.distributions.values()]
    with contextlib.suppress(OSError):
        where.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(where, json.dumps({"listing": listing, "distributions": rows}))


def _read_distributions(env: PythonEnvironment) -> None:
    from importlib import metadata

    for dist in metadata.distributions(path=[str(env.site_packages)]):
        raw = dist.metadata["Name"] if dist.metadata is not None else None
        if not raw:
            continue
        name = normalise(raw)
        if name in env.distributions:
            continue  # two copies of one distribution: the first on the path wins, as for imports
        imports = _import_names(dist)
        env.distributions[name] = Distribution(name, dist.version or "", imports)
        for top in imports:
            env.by_import.setdefault(top, []).append(name)


def _import_names(dist) -> tuple[str, ...]:
    text = dist.read_text("top_level.txt")
    if text:
        return tuple(sorted({line.strip() for line in text.splitlines() if line.strip()}))
    names: set[str] = set()
    # RECORD read as text: `dist.files` makes a path object of every file (thousands per package)
    for row in (dist.read_text("RECORD") or "").splitlines():
        entry = row.split(",", 1)[0]
        first, slash, _ = entry.partition("/")
        if not first or first in ("..", "__pycache__") or first.endswith((".dist-info", ".egg-info", ".pth", ".data")):
            continue
        if not slash:
            if first.endswith((".py", ".pyi")):
                names.add(first.rsplit(".", 1)[0])
            elif first.endswith((".so", ".pyd")):
                names.add(first.split(".", 1)[0])  # an extension module: name.cpython-311-x86_64.so
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", first):
            names.add(first)
    return tuple(sorted(names))
