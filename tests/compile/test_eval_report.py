"""The HTML report rendered by a real browser (headless Chromium): the page is not empty, it
shows every model's row and draws its charts, and a screenshot of it is not blank."""

from __future__ import annotations

import shutil
import subprocess
import zlib

import pytest

from freeagent.eval.report import report_json, write_html
from freeagent.eval.runner import RunResult

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--virtual-time-budget=5000",
]
MODELS = ["spec", "llm:anthropic/claude-sonnet-5-5", "llm:openai/gpt-4o", "llm:ollama/qwen2.5-coder:7b"]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("Debian's chromium is not installed: `make test` installs it (apt-get install chromium)")
    return found


def results() -> list[RunResult]:
    rows = []
    for m, model in enumerate(MODELS):
        for t in range(6):
            ok = (t + m) % 3 != 0
            rows.append(
                RunResult(
                    f"task-{t}",
                    model,
                    0,
                    ok,
                    None if ok else "tests failed",
                    attempts=1 + (t % 2),
                    first_attempt=ok and t % 2 == 0,
                    seconds=1.0 + t + m,
                    cost_usd=0.0 if model == "spec" or "ollama" in model else 0.002 * (t + 1),
                    source="spec" if model == "spec" else "llm",
                )
            )
    return rows


def non_blank(png: bytes) -> bool:
    """The screenshot's pixels are not all one colour (decoded from the PNG's IDAT chunks)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    data, i = b"", 8
    while i < len(png):
        length = int.from_bytes(png[i : i + 4], "big")
        kind = png[i + 4 : i + 8]
        if kind == b"IDAT":
            data += png[i + 8 : i + 8 + length]
        i += 12 + length
    raw = zlib.decompress(data)
    return len(set(raw[::97])) > 10  # sampled bytes of many different values: text and charts drawn


def test_html_report_renders_every_model(tmp_path):
    browser = chromium()
    out = tmp_path / "report.html"
    write_html(report_json(results(), "bench/tasks", 7, 1), out)
    profile = tmp_path / "profile"
    dom = subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", out.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert "Free Agent evaluation" in dom
    for model in MODELS:
        assert f'data-strategy="{model}"' in dom, f"{model} has no row"
    assert dom.count('class="main-svg"') >= 4, "plotly did not draw the charts"
    shot = tmp_path / "report.png"
    subprocess.run(
        [
            browser,
            *FLAGS,
            f"--user-data-dir={profile}",
            "--window-size=1280,2400",
            f"--screenshot={shot}",
            out.as_uri(),
        ],
        capture_output=True,
        timeout=120,
    )
    assert shot.stat().st_size > 20_000 and non_blank(shot.read_bytes())
