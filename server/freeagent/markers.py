"""Task markers: the one default list and the one scan that finds a generation task in a file.

A task is a comment line that starts with a marker — ``// TODO: list users``,
``# @generate a client for getUser``, ``/* FIXME: … */``. The markers are the
``freeagent.markers`` setting (its default is :data:`DEFAULT_MARKERS`, which the settings, the
VS Code extension's contributed default and the tests all take from here). Every caller — code
actions, their resolve step, the LLM command, ``freeagent generate --file``, the evaluation
runner — finds tasks through these functions, so they agree on what a marker is and on when two
tasks are the same (case and runs of white space do not count).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

DEFAULT_MARKERS: tuple[str, ...] = ("TODO", "FIXME", "@generate")


@dataclass(frozen=True)
class Task:
    text: str
    line: int | None  # 0-based line of the marker comment, when the task came from one


@lru_cache(maxsize=32)
def _regex(markers: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(re.escape(m) for m in markers if m) or "|".join(re.escape(m) for m in DEFAULT_MARKERS)
    return re.compile(rf"^\s*(?://|#|/\*+|\*)\s*(?:{names})(?![\w])[:\s-]*(?P<task>.*?)\s*(?:\*/)?\s*$", re.I)


def marker_regex(markers: Iterable[str] = DEFAULT_MARKERS) -> re.Pattern[str]:
    """A comment line that starts with one of the markers (an empty list means the defaults)."""
    return _regex(tuple(markers))


def task_on_line(line_text: str, markers: Iterable[str] = DEFAULT_MARKERS) -> str | None:
    """The task of one line when it is a marker comment (``// TODO: list users`` → ``list users``)."""
    m = marker_regex(markers).match(line_text)
    return m.group("task") if m and m.group("task") else None


def find_task(
    text: str, line: int, end_line: int | None = None, markers: Iterable[str] = DEFAULT_MARKERS
) -> Task | None:
    """The first marker comment on the lines ``line``…``end_line`` (inclusive) of ``text``."""
    lines = text.split("\n")
    for number in range(max(line, 0), min((end_line if end_line is not None else line) + 1, len(lines))):
        task = task_on_line(lines[number], markers)
        if task is not None:
            return Task(task, number)
    return None


def tasks_in(text: str, markers: Iterable[str] = DEFAULT_MARKERS) -> list[Task]:
    """Every marker comment of ``text``, in order."""
    markers = tuple(markers)
    out = []
    for number, line_text in enumerate(text.split("\n")):
        task = task_on_line(line_text, markers)
        if task is not None:
            out.append(Task(task, number))
    return out


def same_task(a: str, b: str) -> bool:
    """Whether two task texts name the same task: case and runs of white space do not count."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _wanted(task: str, markers: Sequence[str]) -> str:
    """A task given with its marker word (``TODO: list users``, as eval tasks write it) or
    without it (``list users``) → the task text."""
    return task_on_line("// " + task.strip(), markers) or task.strip()


def find_task_near(text: str, task: str, line: int = 0, markers: Iterable[str] = DEFAULT_MARKERS) -> int | None:
    """The line of the marker comment carrying ``task`` closest to ``line`` (the document may
    have moved since an action was listed), or None when it is gone. ``task`` may carry its
    marker word. With ``line=0`` this is the first such marker of the file."""
    markers = tuple(markers)
    wanted = _wanted(task, markers)
    found = [t.line for t in tasks_in(text, markers) if t.line is not None and same_task(t.text, wanted)]
    return min(found, key=lambda n: (abs(n - line), n), default=None)


def locate_task(text: str, task: str | None, markers: Iterable[str] = DEFAULT_MARKERS) -> Task | None:
    """The marker comment of ``task`` in a file (the first, if it is there more than once), or
    with no ``task`` the file's first marker comment: where a task given by name (the CLI's
    argument, an evaluation task's ``marker``) is to be generated."""
    markers = tuple(markers)
    if task is None:
        return next(iter(tasks_in(text, markers)), None)
    line = find_task_near(text, task, 0, markers)
    return find_task(text, line, markers=markers) if line is not None else None
