# The README's two commands: `make demo` and `make test`. Everything they need is installed
# from this repository's own files, so they work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

TOOLCHAIN := tests/toolchain
TOOLSTAMP := $(TOOLCHAIN)/node_modules/.installed

.PHONY: demo test lint unit e2e bench eval debian-packages vscode vscode-e2e-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# byte-compile our own modules as a regular install does (editable installs and
	# PYTHONDONTWRITEBYTECODE=1 environments would otherwise recompile them on every start)
	$(BIN)/python -m compileall -q server/freeagent
	touch $(STAMP)

# The real TypeScript compiler and libraries the compile tests check generated code with.
$(TOOLSTAMP): $(TOOLCHAIN)/package.json $(TOOLCHAIN)/package-lock.json
	cd $(TOOLCHAIN) && npm ci --no-audit --no-fund --loglevel=error
	touch $(TOOLSTAMP)

## Run the main job on the bundled example workspace (no API key needed).
demo: $(STAMP)
	@echo "== What Free Agent knows about examples/taskboard =="
	$(BIN)/freeagent context examples/taskboard
	@echo "== Spec-first: the TODO in src/routes/tasks.ts, generated from specs/taskboard.openapi.yaml =="
	cd examples/taskboard && ../../$(BIN)/freeagent generate "list comments for a task" --file src/routes/tasks.ts

## Install everything the tests need, then run every suite.
test: $(STAMP) lint $(TOOLSTAMP) debian-packages vscode vscode-e2e-deps
	$(BIN)/python -m pytest -q tests

## ruff (lint and format check; rules in pyproject.toml) and mypy over server/freeagent.
lint: $(STAMP)
	$(BIN)/ruff check server tests bench
	$(BIN)/ruff format --check server tests bench
	$(BIN)/mypy

VSCODE_E2E := tests/e2e/vscode

## Real VS Code for tests/e2e/vscode: code-server + Node 24 + playwright-core (npm), and the Debian
## packages its native modules build with (apt-get as root). About 2 min once; a no-op afterwards.
vscode-e2e-deps:
	bash $(VSCODE_E2E)/install.sh

# The VS Code extension: install (lockfile), build, lint, its unit tests, and the .vsix.
vscode:
	cd vscode-client && npm ci --no-audit --no-fund --loglevel=error && npm run build && npm run lint && npm test && npm run package

# From Debian (CI runs as root): chromium renders the evaluation's HTML report in a test,
# neovim (0.7.2) runs the Neovim end-to-end test, setpriv (util-linux) drops root's file-access
# override so a test can meet an unreadable file.
debian-packages:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	  command -v nvim >/dev/null 2>&1 || missing="$$missing neovim"; \
	  command -v setpriv >/dev/null 2>&1 || missing="$$missing util-linux"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	    else echo "missing Debian packages:$$missing (sudo apt-get install$$missing); their tests will fail"; fi; fi

## The evaluation suite, offline: spec-first and the tasks' reference answers (no API key).
eval: $(STAMP) $(TOOLSTAMP)
	$(BIN)/freeagent eval --strategy spec --strategy reference --jobs 2 --report eval-report.html

unit: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit

e2e: $(STAMP) $(TOOLSTAMP) debian-packages vscode vscode-e2e-deps
	$(BIN)/python -m pytest -q tests/e2e

## Benchmarks (not tests): print the figures the issues name.
bench: $(STAMP)
	$(BIN)/python bench/context_bench.py
	$(BIN)/python bench/codeaction_bench.py
	$(BIN)/python bench/validate_bench.py
	$(BIN)/python bench/llm_bench.py
	$(BIN)/python bench/load_bench.py

clean:
	rm -rf $(VENV) build *.egg-info server/*.egg-info .pytest_cache $(VSCODE_E2E)/node_modules $(VSCODE_E2E)/results
