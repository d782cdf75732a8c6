# Developer entry points for the volcengine.cloud collection. `make test` is the one test command (CI runs it
# through .ci/run); the GitHub workflow .github/workflows/ci.yml runs the same groups, one make target per job.
# Every virtual environment is project-local and git-ignored; nox keeps its session venvs in .nox/.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
# --setup: create/update the venvs the selected stages need first (instant when current)
STAGES := $(PYTHON) tools/run_stages.py --setup
VENV_PYTHON := .venv/bin/python
# the demo's own small venv (ansible-core, requests, the emulator's SDK), made with any Python that a supported
# ansible-core accepts (tools/demo_environment.py says which it chose)
DEMO_ENVIRONMENT := $(PYTHON) tools/demo_environment.py
DEMO_PYTHON_BIN := .venv-demo/bin/python
# make install COLLECTIONS_PATH=...: where to install the collection (default ~/.ansible/collections)
COLLECTIONS_PATH ?=

.PHONY: help venv test units integration sanity lint docs build demo install bench clean

help:
	@echo "make demo         the flagship module against a local API emulator: create, rerun, review a change, apply"
	@echo "make install      build the collection and install it into ~/.ansible/collections (COLLECTIONS_PATH=...)"
	@echo "make test         every check: units, integration, sanity (ansible-core 2.16 to 2.21), lint, docs, build"
	@echo "make units | integration | sanity | lint | docs | build   one group of those checks, output streamed"
	@echo "make docs         the docsite (antsibull-docs, Sphinx) into build/docsite/html, failing on broken references"
	@echo "make sanity-2.17  ansible-test sanity with one ansible-core (2.16 to 2.21; devel on GitHub only)"
	@echo "make bench        run tools/bench_*.py, regenerate docs/performance.md and the calls-per-change table"
	@echo "make venv         create/update the venvs make test uses (instant when current)"
	@echo "make clean        remove build/ and tests/output/ (keeps the venvs and .nox/)"

venv:
	@$(PYTHON) tools/run_stages.py --setup-only

test:
	@$(STAGES)

units integration sanity lint docs build:
	@$(STAGES) --stream $@

sanity-%:
	@$(STAGES) --stream sanity-$*

demo:
	@$(DEMO_ENVIRONMENT)
	@$(DEMO_PYTHON_BIN) tools/demo.py

install:
	@$(DEMO_ENVIRONMENT)
	@$(DEMO_PYTHON_BIN) tools/install_collection.py $(if $(COLLECTIONS_PATH),--collections-path "$(COLLECTIONS_PATH)")

# make bench BENCH_RUNS=2: measure twice, docs/performance.md shows ranges across the runs
BENCH_RUNS ?= 1

bench:
	@$(PYTHON) tools/run_stages.py --setup-only units
	@$(VENV_PYTHON) tools/assemble_collection.py >/dev/null
	@rm -rf build/bench; status=0; for run in $$(seq 1 $(BENCH_RUNS)); do \
		mkdir -p build/bench/run$$run; for script in tools/bench_*.py; do \
			name=$$(basename "$$script" .py); echo "==== $$script (run $$run of $(BENCH_RUNS))"; \
			PYTHONPATH=build $(VENV_PYTHON) "$$script" --json "build/bench/run$$run/$${name#bench_}.json" || status=1; \
		done; \
	done; \
	if [ $$status -eq 0 ]; then $(VENV_PYTHON) tools/performance_page.py build/bench/run*; else exit $$status; fi
	@PYTHONPATH=build $(VENV_PYTHON) tools/calls_per_change.py --write

clean:
	rm -rf build tests/output
