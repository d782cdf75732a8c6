#!/usr/bin/env python
"""Run the collection's test stages and summarise them.

    python tools/run_stages.py                 # the default stages (this is what `make test` runs)
    python tools/run_stages.py units sanity-2.17 --stream
    python tools/run_stages.py --setup lint    # first create/update the venvs those stages need

Two kinds of stage:

* nox stages run a session of noxfile.py / antsibull-nox.toml (lint, docs, extra checks, build and import,
  ansible-lint, changelog and workflow lint, the docsite) from the repository root; nox keeps its session venvs
  in .nox/.
* the stages nox cannot run here: pytest on the units and the end-to-end tests, ansible-test integration on
  the targets against the emulator (tools/run_integration_targets.py), and ansible-test sanity through
  tools/ansible_test_offline.py (antsibull-nox runs sanity and integration in containers only).  They run in the
  copy assembled into build/ansible_collections/volcengine/cloud.

Every selected stage runs even when an earlier one failed; each prints one summary line (name,
PASS/FAIL/SKIP, seconds) and writes its full output to build/logs/<stage>.log.  The last line is exactly
``N passed, N failed`` and the exit code is non-zero when any stage failed.  A pytest stage whose folder
holds no test_*.py file is SKIPPED (counted neither way); one whose files collect no test fails.
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import subprocess
import sys
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO_ROOT, "tools"))

import assemble_collection  # noqa: E402  pylint: disable=wrong-import-position,import-error

BUILD_ROOT = os.path.join(REPO_ROOT, "build")
COLLECTION = os.path.join(BUILD_ROOT, "ansible_collections", "volcengine", "cloud")
LOG_DIRECTORY = os.path.join(BUILD_ROOT, "logs")
TOOLS = os.path.join(REPO_ROOT, "tools")
FAILURE_TAIL_LINES = 60

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"
PYTEST_NO_TESTS_COLLECTED = 5


class Venv:
    """A project-local virtual environment that tools/ensure_venv.sh creates from a requirements file."""

    def __init__(self, name, python_minor, requirements):
        self.path = os.path.join(REPO_ROOT, name)
        self.python_minor = python_minor
        self.requirements = os.path.join(TOOLS, requirements)

    def bin(self, program):
        return os.path.join(self.path, "bin", program)

    def ensure(self):
        subprocess.check_call(["bash", os.path.join(TOOLS, "ensure_venv.sh"), os.path.relpath(self.path, REPO_ROOT),
                               self.python_minor, os.path.relpath(self.requirements, REPO_ROOT)], cwd=REPO_ROOT)


VENV_TEST = Venv(".venv", "3.11", "requirements-test.txt")          # ansible-core 2.19, pytest, requests, volcengine
VENV_TOOLS = Venv(".venv-tools", "3.11", "requirements-tools.txt")  # nox + antsibull-nox, actionlint

# Every ansible-core release meta/runtime.yml supports, with the controller Python of its sanity venv, and
# `devel`, ansible-core's development branch, which installs from github.com and so runs in the GitHub workflow
# only (`make sanity-devel`).  2.19 uses the test venv.  `make test` runs every release here: the ones between
# the oldest and the newest catch what only their pylint or pycodestyle sees.
SANITY_VENVS = {
    "2.16": Venv(".venv-2.16", "3.11", "requirements-sanity-2.16.txt"),
    "2.17": Venv(".venv-2.17", "3.11", "requirements-sanity-2.17.txt"),
    "2.18": Venv(".venv-2.18", "3.11", "requirements-sanity-2.18.txt"),
    "2.19": VENV_TEST,
    "2.20": Venv(".venv-2.20", "3.12", "requirements-sanity-2.20.txt"),
    "2.21": Venv(".venv-2.21", "3.12", "requirements-sanity-2.21.txt"),
    "devel": Venv(".venv-devel", "3.13", "requirements-sanity-devel.txt"),
}
GITHUB_ONLY_SANITY_CORES = ("devel",)

# nox sessions by group (a make target each), in the order `make test` runs them; `lint` of antsibull-nox is
# codeqa + yamllint + antsibull-nox-config, run one by one for a line each in the summary
NOX_SESSIONS = {
    "lint": ("codeqa", "yamllint", "antsibull-nox-config", "ansible-lint", "docs-check", "extra-checks",
             "changelog-lint", "actionlint"),
    # the docsite built with antsibull-docs and Sphinx (noxfile.py); the workflow publishes what `make docs` builds
    "docs": ("docs-site",),
    "build": ("build-import-check",),
}
# names of stages that nox sessions replaced, still accepted on the command line
FORMER_STAGE_NAMES = {"antsibull-docs": "docs-check", "galaxy-build": "build-import-check",
                      "galaxy-importer": "build-import-check"}


class Stage:
    """One named check: a command, the venvs it needs, and how to summarise its output."""

    def __init__(self, name, group, command, venvs, cwd=COLLECTION, environment=None, pytest_folder=None,
                 detail=None, default=True):
        self.name = name
        self.group = group  # the make target that runs it (with the group's other default stages)
        self.command = command
        self.venvs = venvs
        self.cwd = cwd
        self.environment = environment or {}
        self.pytest_folder = pytest_folder  # tests/unit etc.: SKIP when it holds no test_*.py
        self.detail = detail  # function(output) -> short text for the summary line
        self.default = default  # part of a run without stage names


def last_matching_line(pattern):
    def detail(output):
        matches = [line.strip(" =") for line in output.splitlines() if re.search(pattern, line)]
        return matches[-1] if matches else ""
    return detail


def sanity_detail(output):
    """'N of M failed: test, test' from ansible-test's closing lines, or the number of tests run."""
    match = re.search(r"The (\d+) sanity test\(s\) listed below \(out of (\d+)\) failed.*\n((?:.+\n?)*)", output)
    if match:
        failed = [line.strip() for line in match.group(3).splitlines() if line.strip()]
        return "%s of %s failed: %s" % (match.group(1), match.group(2), ", ".join(failed))
    fatal = re.findall(r"^FATAL: (.*)", output, re.MULTILINE)
    if fatal:
        return fatal[-1][:150]
    return "%d tests run" % len(set(re.findall(r'^Running sanity test "([^"]+)"', output, re.MULTILINE)))


def nox_detail(output):
    """Why the session failed (nox's last words), or nothing."""
    failures = re.findall(r"^nox > Session \S+ (?:aborted|failed)(?:: (.*?))?\.?(?: \(took .*)?$", output, re.MULTILINE)
    return "; ".join(reason or "failed" for reason in failures)[:200]


def pytest_stage(name, folder, group=None):
    return Stage(
        name,
        group or name,
        [VENV_TEST.bin("python"), "-m", "pytest", "-p", "no:cacheprovider", "-q", folder],
        [VENV_TEST],
        environment={"PYTHONPATH": BUILD_ROOT, "PYTHONDONTWRITEBYTECODE": "1"},
        pytest_folder=folder,
        detail=last_matching_line(r"\b(passed|failed|error|no tests ran)\b.* in [0-9.]+s"),
    )


def sanity_stage(core):
    venv = SANITY_VENVS[core]
    return Stage(
        "sanity-" + core,
        "sanity",
        [venv.bin("python"), os.path.join(TOOLS, "ansible_test_offline.py"), "--chdir", COLLECTION,
         "sanity", "--local", "--color", "no"],
        [venv],
        detail=sanity_detail,
        default=core not in GITHUB_ONLY_SANITY_CORES,
    )


def nox_stage(group, session):
    # -r reuses a session venv and still runs its pinned installs, so a changed pin takes effect
    return Stage(session, group, [VENV_TOOLS.bin("nox"), "--no-color", "-r", "-e", session], [VENV_TOOLS],
                 cwd=REPO_ROOT, detail=nox_detail)


def integration_targets_stage():
    """ansible-test integration on tests/integration/targets against the emulator (tools/run_integration_targets.py)."""
    return Stage("integration-targets", "integration",
                 [VENV_TEST.bin("python"), os.path.join(TOOLS, "run_integration_targets.py")], [VENV_TEST],
                 cwd=REPO_ROOT, environment={"PYTHONPATH": BUILD_ROOT, "PYTHONDONTWRITEBYTECODE": "1"},
                 detail=last_matching_line(r"^(PASS|FAIL): "))


def all_stages():
    return ([pytest_stage("units", "tests/unit"), integration_targets_stage(),
             pytest_stage("e2e", "tests/e2e", group="integration")]
            + [sanity_stage(core) for core in SANITY_VENVS]
            + [nox_stage(group, session) for group, sessions in NOX_SESSIONS.items() for session in sessions])


def has_test_files(folder):
    return bool(glob.glob(os.path.join(COLLECTION, folder, "**", "test_*.py"), recursive=True))


def run_stage(stage, stream):
    """Run one stage; return (status, seconds, detail)."""
    started = time.monotonic()
    if stage.pytest_folder and not has_test_files(stage.pytest_folder):
        return SKIP, 0.0, "no test_*.py files under %s yet" % stage.pytest_folder
    if not os.path.exists(stage.command[0]):
        missing = os.path.relpath(stage.command[0], REPO_ROOT)
        return FAIL, 0.0, "%s is missing: run `make %s`" % (missing, stage.name)

    environment = dict(os.environ)
    environment["NO_COLOR"] = "1"  # plain text logs: ansible-core, pytest and ansible-lint all honour it
    environment.update(stage.environment)
    log_path = os.path.join(LOG_DIRECTORY, stage.name + ".log")
    lines = []
    with open(log_path, "w", encoding="utf-8") as log_file:
        log_file.write("$ %s\n" % " ".join(stage.command))
        process = subprocess.Popen(stage.command, cwd=stage.cwd, env=environment, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                                   errors="replace")
        for line in process.stdout:
            log_file.write(line)
            lines.append(line)
            if stream:
                sys.stdout.write(line)
                sys.stdout.flush()
        exit_code = process.wait()
    seconds = time.monotonic() - started
    output = "".join(lines)
    detail = stage.detail(output) if stage.detail else ""

    if exit_code == 0:
        return PASS, seconds, detail
    if stage.pytest_folder and exit_code == PYTEST_NO_TESTS_COLLECTED:
        detail = "test files exist but no test was collected"
    if not stream:
        print("---- %s: last %d lines of %s ----" % (stage.name, FAILURE_TAIL_LINES, os.path.relpath(log_path)))
        sys.stdout.write("".join(lines[-FAILURE_TAIL_LINES:]))
        print("---- end of %s ----" % stage.name)
    return FAIL, seconds, detail or "exit code %d" % exit_code


def summary_line(name, status, seconds, detail):
    marker = "!!! " if status != PASS else "    "
    line = "%s%-20s %-4s %7.1fs" % (marker, name, status, seconds)
    return line + ("  " + detail if detail else "")


def select_stages(parser, stages, names):
    """The stages named, or the default stages of the groups named, or every default stage."""
    if not names:
        return [stage for stage in stages if stage.default]
    selected = []
    for name in names:
        name = FORMER_STAGE_NAMES.get(name, name)
        wanted = ([stage for stage in stages if stage.name == name]
                  or [stage for stage in stages if stage.group == name and stage.default])
        if not wanted:
            parser.error("unknown stage or group %r; stages: %s; groups: %s" % (
                name, ", ".join(stage.name for stage in stages), ", ".join(sorted(stage_groups(stages)))))
        selected.extend(stage for stage in wanted if stage not in selected)
    return selected


def stage_groups(stages):
    """{group: [its default stages]} in run order."""
    groups = {}
    for stage in stages:
        groups.setdefault(stage.group, [])
        if stage.default:
            groups[stage.group].append(stage)
    return groups


def main():
    stages = all_stages()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stages", nargs="*", metavar="STAGE",
                        help="stages or groups to run (default: every default stage). %s" % "; ".join(
                            "%s: %s" % (group, ", ".join(stage.name for stage in group_stages))
                            for group, group_stages in stage_groups(stages).items()))
    parser.add_argument("--stream", action="store_true", help="print every stage's output as it runs")
    parser.add_argument("--setup", action="store_true",
                        help="first create or update the venvs the selected stages need (tools/ensure_venv.sh)")
    parser.add_argument("--setup-only", action="store_true", help="only create or update those venvs")
    args = parser.parse_args()
    selected = select_stages(parser, stages, args.stages)

    if args.setup or args.setup_only:
        venvs = []
        for stage in selected:
            venvs.extend(venv for venv in stage.venvs if venv not in venvs)
        for venv in venvs:
            venv.ensure()
        if args.setup_only:
            return 0

    os.makedirs(LOG_DIRECTORY, exist_ok=True)
    print("assembling %s" % assemble_collection.assemble(BUILD_ROOT), flush=True)

    results = []
    for stage in selected:
        print("==== %s" % stage.name, flush=True)
        status, seconds, detail = run_stage(stage, args.stream)
        results.append((stage.name, status, seconds, detail))
        print(summary_line(stage.name, status, seconds, detail), flush=True)

    print("\n==== summary (logs in %s)" % os.path.relpath(LOG_DIRECTORY))
    for result in results:
        print(summary_line(*result))
    skipped = [name for name, status, _seconds, _detail in results if status == SKIP]
    if skipped:
        print("!!! SKIPPED (counted neither passed nor failed): %s" % ", ".join(skipped))
    passed = sum(1 for result in results if result[1] == PASS)
    failed = sum(1 for result in results if result[1] == FAIL)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
