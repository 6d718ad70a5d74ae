"""Survival: how much of an applied generation is still in its file on save, close, re-index and
at the first git commit that contains it (learn/survival.py)."""

from __future__ import annotations

import json
import subprocess

import pytest
from click.testing import CliRunner

from freeagent.cli import cli
from freeagent.engine import FolderEngine
from freeagent.learn.survival import share_kept
from freeagent.store import SqliteStore
from tests.helpers import EXAMPLE, copy_fixture

INSERTED = [
    "export function slugify(title: string): string {",
    "  const lower = title.toLowerCase();",
    "  return lower.replace(/[^a-z0-9]+/g, '-');",
    "}",
]


@pytest.mark.parametrize(
    "text, share",
    [
        pytest.param("\n".join(INSERTED), 1.0, id="untouched"),
        pytest.param(
            "// header\n" + "\n".join(INSERTED) + "\nexport const more = 1;\n", 1.0, id="moved-and-surrounded"
        ),
        pytest.param(
            "\n".join(INSERTED).replace("toLowerCase()", "toLocaleLowerCase()"), 2.5 / 3, id="one-line-edited"
        ),
        pytest.param("\n".join(INSERTED[:1] + INSERTED[3:]), 1 / 3, id="two-lines-deleted"),
        pytest.param("export const nothing = 0;\n", 0.0, id="all-gone"),
    ],
)
def test_share_kept(text, share):
    assert share_kept(INSERTED, text) == pytest.approx(share, abs=1e-3)


def test_brackets_and_blank_lines_say_nothing():
    assert share_kept(["", "}", "  "], "anything") is None


def _git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_survival_on_save_and_at_the_first_commit(tmp_path):
    root = copy_fixture(EXAMPLE, tmp_path)
    (root / ".freeagent.json").write_text(json.dumps({"store": {"path": ".fa/outcomes.db"}}))
    (root / ".gitignore").write_text(".fa/\n")
    _git(root, "init", "-q")
    _git(root, "-c", "user.email=t@example.com", "-c", "user.name=t", "add", "-A")
    _git(root, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "start")
    target = root / "src/routes/tasks.ts"
    done = CliRunner().invoke(
        cli,
        ["generate", "list comments for a task", "--workspace", str(root), "--file", str(target), "--write", "--json"],
    )
    gid = json.loads(done.stdout)["id"]
    store = SqliteStore(root / ".fa" / "outcomes.db")
    inserted = store.get(gid).inserted_lines
    engine = FolderEngine(root)
    engine.load()
    # the user keeps the handler but rewrites its last meaningful lines
    kept = target.read_text()
    for line in [line for line in inserted if line.strip() not in ("", "}", "});")][-3:]:
        kept = kept.replace(line, "// removed by hand")
    target.write_text(kept)
    assert engine.track_survival(target, kept, "save") == 1
    ((_, event, share),) = store.get(gid).survival
    expected = share_kept(inserted, kept)
    assert event == "save" and share == expected and 0.5 < share < 1.0
    # not committed yet: nothing measured at a commit
    assert engine.track_commits() == 0
    _git(root, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qam", "comments")
    assert engine.track_commits() == 1
    assert [e for _, e, _ in store.get(gid).survival] == ["save", "commit"]
    assert store.get(gid).survival[-1][2] == expected
    assert engine.track_commits() == 0  # once per generation
