# Developer entry points for the volcengine.cloud collection. `make test` is the one test command
# (CI runs it through .ci/run). Every virtual environment is project-local and git-ignored.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV_PYTHON := .venv/bin/python
STAGES := $(VENV_PYTHON) tools/run_stages.py

.PHONY: help venv test units integration sanity lint build demo bench clean

help:
	@echo "make demo         run the flagship module twice against the local emulator (idempotence shown)"
	@echo "make test         every check: units, integration, sanity (2.16/2.19/2.21), lint, docs, build"
	@echo "make units | integration | sanity | lint | build   one group of those checks, output streamed"
	@echo "make bench        run tools/bench_*.py"
	@echo "make venv         create/update .venv, .venv-tools, .venv-2.16, .venv-2.21 (instant when current)"
	@echo "make clean        remove build/ and tests/output/ (keeps the venvs)"

# Each venv carries a stamp with the hash of its requirements file: a warm run costs four sha256sums.
venv:
	@bash tools/ensure_venv.sh .venv 3.11 tools/requirements-test.txt
	@bash tools/ensure_venv.sh .venv-tools 3.11 tools/requirements-tools.txt
	@bash tools/ensure_venv.sh .venv-2.16 3.11 tools/requirements-sanity-2.16.txt
	@bash tools/ensure_venv.sh .venv-2.21 3.12 tools/requirements-sanity-2.21.txt

test: venv
	@$(STAGES)

units: venv
	@$(STAGES) --stream units

integration: venv
	@$(STAGES) --stream integration

sanity: venv
	@$(STAGES) --stream sanity

lint: venv
	@$(STAGES) --stream ansible-lint antsibull-docs changelog-lint

build: venv
	@$(STAGES) --stream galaxy-build galaxy-importer

demo: venv
	@$(VENV_PYTHON) tools/demo.py

bench: venv
	@$(VENV_PYTHON) tools/assemble_collection.py >/dev/null
	@status=0; for script in tools/bench_*.py; do \
		echo "==== $$script"; PYTHONPATH=build $(VENV_PYTHON) "$$script" || status=1; \
	done; exit $$status

clean:
	rm -rf build tests/output
