"""The ensembles' sandbox (generate/sandbox.py): a candidate's function run against tests written
for it in a child process with limits — per-test outcomes and the values of each call; code that
loops for ever is stopped at the time limit, code that allocates without bound fails in the child
with MemoryError, and no API key of the editor's environment reaches it."""

from __future__ import annotations

import time

from freeagent.generate.sandbox import run_python_tests

SLUGIFY = "def slugify(title):\n    return title.lower().strip().replace(' ', '-')\n"
TESTS = (
    "def test_spaces():\n    assert subject('Hello World') == 'hello-world'\n\n"
    "def test_punctuation():\n    assert subject('a, b!') == 'a-b'\n\n"
    "def test_bad_input():\n    subject(None)\n"
)


def test_each_test_passes_fails_or_errs_and_every_call_is_recorded():
    result = run_python_tests(SLUGIFY, "slugify", TESTS)
    assert result.tests == {
        "test_spaces": "passed",
        "test_punctuation": "failed",
        "test_bad_input": "error: AttributeError",
    }
    assert result.passed == 1 and not result.timed_out and result.load_error is None
    assert result.calls == [["returned", "'hello-world'"], ["returned", "'a,-b!'"], ["raised", "AttributeError"]]


def test_code_that_loops_for_ever_is_stopped_at_the_time_limit():
    started = time.perf_counter()
    result = run_python_tests(
        "def spin(n):\n    while True:\n        n += 1\n", "spin", "def test_it():\n    subject(1)\n", timeout_s=2
    )
    assert result.timed_out and result.tests == {}
    assert time.perf_counter() - started < 6


def test_code_that_allocates_without_bound_fails_in_the_child():
    hog = "def hog():\n    chunks = []\n    while True:\n        chunks.append(bytearray(50_000_000))\n"
    result = run_python_tests(hog, "hog", "def test_it():\n    subject()\n", timeout_s=20, memory_mb=512)
    assert result.out_of_memory and result.tests == {"test_it": "error: MemoryError"}
    assert not result.timed_out


def test_no_api_key_reaches_the_candidate(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-not-for-candidates")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp-not-either")
    module = "import os\n\ndef leak():\n    return [k for k in os.environ if 'KEY' in k or 'TOKEN' in k]\n"
    result = run_python_tests(module, "leak", "def test_nothing_leaks():\n    assert subject() == []\n")
    assert result.tests == {"test_nothing_leaks": "passed"}


def test_a_candidate_that_does_not_import_says_why():
    result = run_python_tests("def broken(:\n", "broken", "def test_it():\n    subject()\n")
    assert result.load_error is not None and result.load_error.startswith("SyntaxError") and result.tests == {}
