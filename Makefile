# Developer entry points for the volcengine.cloud collection. `make test` is the one test command (CI runs it
# through .ci/run); the GitHub workflow .github/workflows/ci.yml runs the same groups, one make target per job.
# Every virtual environment is project-local and git-ignored; nox keeps its session venvs in .nox/.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
# --setup: create/update the venvs the selected stages need first (instant when current)
STAGES := $(PYTHON) tools/run_stages.py --setup
VENV_PYTHON := .venv/bin/python

.PHONY: help venv test units integration sanity lint build demo bench clean

help:
	@echo "make demo         run the flagship module twice against the local emulator (idempotence shown)"
	@echo "make test         every check: units, integration, sanity (ansible-core 2.16 to 2.21), lint, build"
	@echo "make units | integration | sanity | lint | build   one group of those checks, output streamed"
	@echo "make sanity-2.17  ansible-test sanity with one ansible-core (2.16 to 2.21; devel on GitHub only)"
	@echo "make bench        run tools/bench_*.py"
	@echo "make venv         create/update the venvs make test uses (instant when current)"
	@echo "make clean        remove build/ and tests/output/ (keeps the venvs and .nox/)"

venv:
	@$(PYTHON) tools/run_stages.py --setup-only

test:
	@$(STAGES)

units integration sanity lint build:
	@$(STAGES) --stream $@

sanity-%:
	@$(STAGES) --stream sanity-$*

demo: venv
	@$(VENV_PYTHON) tools/demo.py

bench: venv
	@$(VENV_PYTHON) tools/assemble_collection.py >/dev/null
	@status=0; for script in tools/bench_*.py; do \
		echo "==== $$script"; PYTHONPATH=build $(VENV_PYTHON) "$$script" || status=1; \
	done; exit $$status

clean:
	rm -rf build tests/output
