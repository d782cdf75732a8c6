# Developer entry points of the volcengine.cloud collection: short aliases of the nox sessions of noxfile.py, the
# one list of checks (`make sessions` lists them). `make test` is the one test command; CI runs it through .ci/run.
# nox and antsibull-nox live in .venv-tools; nox keeps the session venvs in .nox/. Everything is project-local.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
NOX := .venv-tools/bin/nox
# -r: reuse a session venv (its pinned installs still run, so a changed pin takes effect)
NOX_RUN := $(NOX) --no-color -r
# the demo's own small venv (ansible-core, requests, the emulator's SDK), made with any Python that a supported
# ansible-core accepts (tools/demo_environment.py says which it chose)
DEMO_ENVIRONMENT := $(PYTHON) tools/demo_environment.py
DEMO_PYTHON_BIN := .venv-demo/bin/python
# make install COLLECTIONS_PATH=...: where to install the collection (default ~/.ansible/collections)
COLLECTIONS_PATH ?=
# make bench BENCH_RUNS=2: measure twice, docs/performance.md shows ranges across the runs
BENCH_RUNS ?= 1
LINT_SESSIONS := codeqa yamllint antsibull-nox-config ansible-lint docs-check extra-checks changelog-lint actionlint

.PHONY: help venv sessions test units integration e2e sanity lint docs build demo install bench clean

help:
	@echo "make demo         the flagship module against a local API emulator: create, rerun, review a change, apply"
	@echo "make install      build the collection and install it into ~/.ansible/collections (COLLECTIONS_PATH=...)"
	@echo "make test         every check (the default nox sessions), two at a time"
	@echo "make units | integration | e2e | sanity | lint | docs | build   one group of those checks"
	@echo "make sanity-2.17  ansible-test sanity with one ansible-core (2.16 to 2.21; devel on GitHub only)"
	@echo "make docs         the docsite (antsibull-docs, Sphinx) into build/docsite/html, failing on broken references"
	@echo "make bench        measure (tools/bench_*.py), regenerate docs/performance.md and the calls-per-change table"
	@echo "make sessions     list the nox sessions (the default ones are marked *)"
	@echo "make clean        remove build/ and tests/output/ (keeps the venvs and .nox/)"

# nox itself, in .venv-tools (made with $(PYTHON)), brought up to date when its pins change
$(NOX): tools/requirements-tools.txt
	@test -x .venv-tools/bin/python || $(PYTHON) -m venv .venv-tools
	@.venv-tools/bin/python -m pip install --quiet --disable-pip-version-check -r tools/requirements-tools.txt
	@touch $(NOX)

venv: $(NOX)

sessions: $(NOX)
	@$(NOX) --list

test: $(NOX)
	@$(NOX_RUN) --parallel 2

units integration e2e: $(NOX)
	@$(NOX_RUN) --session $@

docs: $(NOX)
	@$(NOX_RUN) --session docs-site

build: $(NOX)
	@$(NOX_RUN) --session build-import-check

sanity: $(NOX)
	@$(NOX_RUN) --tags sanity

sanity-%: $(NOX)
	@$(NOX_RUN) --session sanity-$*

lint: $(NOX)
	@$(NOX_RUN) --parallel 2 --session $(LINT_SESSIONS)

bench: $(NOX)
	@$(NOX_RUN) --session bench -- $(BENCH_RUNS)

demo:
	@$(DEMO_ENVIRONMENT)
	@$(DEMO_PYTHON_BIN) tools/demo.py

install:
	@$(DEMO_ENVIRONMENT)
	@$(DEMO_PYTHON_BIN) tools/install_collection.py $(if $(COLLECTIONS_PATH),--collections-path "$(COLLECTIONS_PATH)")

clean:
	rm -rf build tests/output
