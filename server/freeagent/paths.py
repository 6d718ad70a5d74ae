"""Paths given by users and clients: resolved one documented way, refused outside the workspace.

A path argument is resolved as ``git``, ``eslint`` and ``tsc`` resolve theirs: relative to the
current directory (never to the workspace), with symlinks resolved, so a link inside the
workspace that points out of it counts as outside. Whatever is then outside the workspace root
is refused — nothing is ever read as the workspace's, validated with its context, or written,
outside it. The CLI turns the refusal into a usage error (exit 2), the server into an LSP error,
the evaluation into a task error. Reading a file the user named goes through :func:`read_text`,
so a directory, an unreadable file or one that is not UTF-8 text is a one-line error too.
"""

from __future__ import annotations

import os
from pathlib import Path


class PathError(ValueError):
    """A path that cannot be used: outside the workspace, not a file, unreadable, not text."""


def resolve(path: Path | str, cwd: Path | None = None) -> Path:
    """``path`` made absolute against ``cwd`` (default: the current directory), symlinks resolved."""
    path = Path(os.path.expanduser(str(path)))
    if not path.is_absolute():
        path = (cwd or Path.cwd()) / path
    return path.resolve()


def is_inside(path: Path, root: Path) -> bool:
    """Whether the resolved ``path`` is ``root`` or below it (``root`` resolved too)."""
    root = root.resolve()
    return path == root or root in path.parents


def inside(path: Path | str, root: Path, what: str = "path", cwd: Path | None = None) -> Path:
    """The resolved ``path``, or a :class:`PathError` naming it when it is outside ``root``."""
    resolved = resolve(path, cwd)
    if not is_inside(resolved, root):
        raise PathError(f"{what} {path} is outside the workspace {root.resolve()} (it resolves to {resolved})")
    return resolved


def is_relative_inside(rel: str) -> bool:
    """Whether a workspace-relative path written in a file (a task's ``file``) stays inside: not
    absolute, and no ``..`` that climbs out."""
    import posixpath

    norm = posixpath.normpath(rel.replace("\\", "/"))
    return not posixpath.isabs(norm) and not Path(rel).is_absolute() and norm != ".." and not norm.startswith("../")


def write_atomically(path: Path, data: str | bytes) -> None:
    """Replace a file's content in one step: a temporary file beside it, renamed over it, so a
    reader sees the old content or the new, never half of it (an existing file keeps its mode).
    Creates the folder; raises OSError, leaving no temporary file behind."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_text(path: Path, missing_ok: bool = False) -> str:
    """A file's text, or a :class:`PathError` saying why it cannot be had ('' for a missing file
    when ``missing_ok``)."""
    if path.is_dir():
        raise PathError(f"{path} is a directory, not a file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if missing_ok:
            return ""
        raise PathError(f"{path} does not exist") from None
    except OSError as exc:
        raise PathError(f"{path} cannot be read: {exc.strerror or exc}") from None
    if b"\0" in data[:8192]:
        raise PathError(f"{path} is a binary file, not source text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PathError(f"{path} is not UTF-8 text (byte {exc.start})") from None
