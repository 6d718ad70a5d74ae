# The README's two commands: `make demo` and `make test`. Everything they need is installed
# from this repository's own files, so they work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test unit e2e bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Run the main job on the bundled example workspace (no API key needed).
demo: $(STAMP)
	$(BIN)/freeagent context examples/taskboard

## Install everything the tests need, then run every suite.
test: $(STAMP)
	$(BIN)/python -m pytest -q tests

unit: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit

e2e: $(STAMP)
	$(BIN)/python -m pytest -q tests/e2e

## Benchmarks (not tests): print the figures the issues name.
bench: $(STAMP)
	$(BIN)/python bench/context_bench.py

clean:
	rm -rf $(VENV) build *.egg-info server/*.egg-info .pytest_cache
