"""The labelled corpus: recall on injected faults and false positives on tricky-but-valid code.

tests/fixtures/validation-corpus has files with faults of every fast rule family, each marked
on its line with ``expect FAxxx``, and clean files of valid code that naive checkers get wrong.
Every marked fault must be found at its line with its code (recall >= 95%), and nothing else
may be reported (zero false positives).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from freeagent.engine import FolderEngine
from tests.helpers import copy_fixture

_EXPECT = re.compile(r"(?://|#)\s*expect\s+(FA\d{3})\b")


def test_corpus_recall_and_false_positives(tmp_path):
    root = copy_fixture("validation-corpus", tmp_path, "corpus")
    for stub in (root / "stubs").glob("*.package.json"):  # what `npm install` would have put there
        target = root / "node_modules" / stub.name.removesuffix(".package.json") / "package.json"
        target.parent.mkdir(parents=True)
        shutil.copy(stub, target)
    engine = FolderEngine(root)
    engine.load()
    expected: set[tuple[str, int, str]] = set()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".ts", ".tsx", ".py") and "node_modules" not in path.parts:
            for number, line in enumerate(path.read_text().split("\n")):
                m = _EXPECT.search(line)
                if m:
                    expected.add((path.relative_to(root).as_posix(), number, m.group(1)))
    found: set[tuple[str, int, str]] = set()
    for file, findings in engine.validator().check_all().items():
        for f in findings:
            found.add((Path(file).relative_to(root).as_posix(), f.range.line, f.code))
    for file, findings in engine.problems_by_file().items():
        for f in findings:
            found.add((Path(file).relative_to(root).as_posix(), f.range.line, f.code))
    detected = expected & found
    false_positives = found - expected
    recall = len(detected) / len(expected)
    codes = sorted({c for _, _, c in expected})
    print(
        f"corpus: {len(expected)} injected faults over {len(codes)} codes, recall {recall:.1%}, "
        f"false positives {len(false_positives)}"
    )
    assert len(expected) >= 30 and len(codes) >= 10
    assert recall >= 0.95, sorted(expected - found)
    assert not false_positives, sorted(false_positives)
