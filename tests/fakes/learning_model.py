"""A scripted model for measuring the learning loop (``eval --learn``) on the bundled suite,
behind the fake Anthropic server (the real SDK is the client).

It answers every task of the suite with the task's own reference answer — except the
``learn-wrapper-*`` family, three client functions that must go through the project's own
``apiFetch`` wrapper (their hidden tests fail when it is bypassed). For those it writes the
wrapper version only when the prompt shows it how: the task's text names ``apiFetch`` (the
family's last task does), or the prompt carries an earlier accepted pattern that uses it ("What
worked in this project before"). Otherwise it calls ``fetch`` directly, as a model that does not
know the project would. So a first pass fails the first two, and a second pass — with what the
first learned — passes all three.
"""

from __future__ import annotations

import re
from pathlib import Path

from freeagent.eval.tasks import EvalTask

from .llm_server import Reply

FAMILY = "learn-wrapper-"


class LearningModel:
    def __init__(self, tasks: list[EvalTask]):
        self.tasks = tasks
        self.asked: list[tuple[str, bool]] = []  # (task id, whether the prompt carried a pattern)

    def __call__(self, path: str, body: dict) -> Reply:
        prompt = body["messages"][0]["content"]
        stated = prompt.split("## Task\n", 1)[1].split("\n", 1)[0] if "## Task\n" in prompt else ""
        task = next((t for t in self.tasks if self._instruction(t) and self._instruction(t) in stated), None)
        if task is None or task.reference is None:
            return Reply(status=400, error="a prompt for no task of the suite")
        reference = task.reference.read_text(encoding="utf-8")
        learned = "## What worked in this project before" in prompt and "apiFetch" in prompt
        self.asked.append((task.id, learned))
        if task.id.startswith(FAMILY) and not (learned or "apiFetch" in stated):
            reference = _bypass(reference)
        fence = "python" if task.file.endswith(".py") else "ts"
        return Reply(text=f"```{fence}\n{reference.rstrip()}\n```", input_tokens=1500, output_tokens=120)

    @staticmethod
    def _instruction(task: EvalTask) -> str:
        """The task's instruction as the prompt states it: its own, or its marker's text."""
        if task.instruction:
            return task.instruction.strip()
        text = task.setup.get(task.file, "") if isinstance(task.setup, dict) else ""
        marker = re.search(r"TODO:\s*(.+)", text)
        return marker.group(1).strip()[:80] if marker else ""


def _bypass(reference: str) -> str:
    """The family's answer written without the project's wrapper: fetch, and no ApiFailure."""
    call = re.search(r"apiFetch<(.+)>\('([^']+)'\)", reference)
    assert call is not None, reference
    shape, path = call.group(1), call.group(2)
    body = reference.split("\n", 2)[2]  # the import line and the blank after it go
    return body.replace(
        call.group(0).join(["await ", ""]),
        f"((await (await fetch('https://api.taskboard.test/v1{path}')).json()) as {shape})",
    )


def suite_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "bench" / "tasks"
