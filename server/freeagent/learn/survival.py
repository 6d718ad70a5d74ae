"""Survival: how much of an applied generation is still in its file later.

Owns the measure — the share of the inserted lines still present: a line found as it was counts
1, a line found edited (rapidfuzz ratio ≥ 60 against the closest line left) counts ½, a line gone
counts 0; blank lines and lone brackets say nothing and are left out — and when it is taken:
on save, on close, on the next index of the file after it changed on disk, and at the first git
commit that contains the file after the generation was applied (the commit after the HEAD it was
applied on, read with ``git log``/``git show``; no hooks). Each measure is one row of the store's ``survival`` table; the knowledge base trusts a
pattern that kept ≥ 80 % of its lines a day later or at its commit.
"""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from pathlib import Path

from ..store import OutcomeStore, StoreError

TRACKED_DAYS = 30  # applied generations measured again for this long
_TRIVIAL = {"", "{", "}", "(", ")", "[", "]", "});", "};", "),", "],", "end", "pass"}


def share_kept(inserted: list[str], text: str) -> float | None:
    """The share of ``inserted`` lines still in ``text`` (edited ones count half); None when
    there is nothing meaningful to measure."""
    from rapidfuzz import fuzz, process

    wanted = [line.strip() for line in inserted if line.strip() not in _TRIVIAL]
    if not wanted:
        return None
    present = Counter(line.strip() for line in text.splitlines())
    others = [line for line in present if line not in _TRIVIAL]
    score = 0.0
    for line in wanted:
        if present[line] > 0:
            present[line] -= 1
            score += 1.0
        elif others and process.extractOne(line, others, scorer=fuzz.ratio, score_cutoff=60) is not None:
            score += 0.5
    return round(score / len(wanted), 4)


def measure(store: OutcomeStore, identity: str, rel: str, text: str, event: str) -> int:
    """Record the survival of the generations applied to ``rel`` (of the workspace the store
    knows as ``identity``) in the last :data:`TRACKED_DAYS`, measured on ``text``; how many."""
    since = time.time() - TRACKED_DAYS * 86400
    measured = 0
    for rec in store.applied(identity, rel, since):
        share = share_kept(rec.inserted_lines, text)
        if share is not None and store.add_survival(rec.id, event, share):
            measured += 1
    return measured


def measure_commits(store: OutcomeStore, identity: str, workspace: Path) -> int:
    """For each generation applied in the last :data:`TRACKED_DAYS` and not yet measured at a
    commit: the first commit after it was applied that touched its file, the file as committed
    there, its survival (event ``commit``). How many were measured; 0 outside a git work tree."""
    since = time.time() - TRACKED_DAYS * 86400
    measured = 0
    for rec in store.applied(identity, None, since):
        if rec.file is None or rec.outcome_at is None or any(e == "commit" for _, e, _ in rec.survival):
            continue
        if rec.applied_on:  # the commits after the one it was applied on
            commit = _git(workspace, "log", "--reverse", "--format=%H", f"{rec.applied_on}..HEAD", "--", rec.file)
        else:  # applied outside git history (no commit yet): by time
            after = f"--since={int(rec.outcome_at) + 1}"
            commit = _git(workspace, "log", "--reverse", "--format=%H", after, "--", rec.file)
        first = commit.split("\n", 1)[0].strip() if commit else ""
        if not first:
            continue
        committed = _git(workspace, "show", f"{first}:{rec.file}")
        share = share_kept(rec.inserted_lines, committed or "")
        if share is not None and store.add_survival(rec.id, "commit", share):
            measured += 1
    return measured


def head(workspace: Path) -> str | None:
    """The commit the workspace's work tree is on (None outside git, or before a first commit)."""
    found = _git(workspace, "rev-parse", "--verify", "-q", "HEAD")
    return found.strip() or None if found else None


def _git(cwd: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


__all__ = ["StoreError", "head", "measure", "measure_commits", "share_kept"]
