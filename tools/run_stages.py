#!/usr/bin/env python
"""Run the collection's test stages against the assembled copy and summarise them.

    python tools/run_stages.py                 # every stage (this is what `make test` runs)
    python tools/run_stages.py units sanity-2.19 --stream

The collection is first assembled into build/ansible_collections/volcengine/cloud.  Every selected
stage runs even when an earlier one failed; each prints one summary line (name, PASS/FAIL/SKIP,
seconds) and writes its full output to build/logs/<stage>.log.  The last line is exactly
``N passed, N failed`` and the exit code is non-zero when any stage failed.  A pytest stage whose
folder holds no test_*.py file is SKIPPED (counted neither way); one whose files collect no test fails.
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
DIST_DIRECTORY = os.path.join(BUILD_ROOT, "dist")
TOOLS = os.path.join(REPO_ROOT, "tools")

VENV_TEST = os.path.join(REPO_ROOT, ".venv")          # ansible-core 2.19, pytest, requests, volcengine
VENV_TOOLS = os.path.join(REPO_ROOT, ".venv-tools")   # ansible-lint, antsibull-*, galaxy-importer
VENV_SANITY = {
    "2.19": VENV_TEST,
    "2.16": os.path.join(REPO_ROOT, ".venv-2.16"),
    "2.21": os.path.join(REPO_ROOT, ".venv-2.21"),
}
FAILURE_TAIL_LINES = 60

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"
PYTEST_NO_TESTS_COLLECTED = 5


class Stage:
    """One named check: a command run in the assembled collection."""

    def __init__(self, name, command, environment=None, pytest_folder=None, detail=None, cwd=COLLECTION):
        self.name = name
        self.cwd = cwd
        self.command = command
        self.environment = environment or {}
        self.pytest_folder = pytest_folder  # tests/unit etc.: SKIP when it holds no test_*.py
        self.detail = detail  # function(output) -> short text for the summary line


def venv_bin(venv, program):
    return os.path.join(venv, "bin", program)


def galaxy_version():
    with open(os.path.join(REPO_ROOT, "galaxy.yml"), encoding="utf-8") as galaxy_file:
        match = re.search(r"^version:\s*['\"]?([^'\"\s]+)", galaxy_file.read(), re.MULTILINE)
    return match.group(1) if match else "0.0.0"


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


def pytest_stage(name, folder):
    return Stage(
        name,
        [venv_bin(VENV_TEST, "python"), "-m", "pytest", "-p", "no:cacheprovider", "-q", folder],
        environment={"PYTHONPATH": BUILD_ROOT, "PYTHONDONTWRITEBYTECODE": "1"},
        pytest_folder=folder,
        detail=last_matching_line(r"\b(passed|failed|error|no tests ran)\b.* in [0-9.]+s"),
    )


def sanity_stage(core):
    python = venv_bin(VENV_SANITY[core], "python")
    return Stage(
        "sanity-" + core,
        [python, os.path.join(TOOLS, "ansible_test_offline.py"), "--chdir", COLLECTION,
         "sanity", "--local", "--color", "no"],
        detail=sanity_detail,
    )


def all_stages():
    tarball = os.path.join(DIST_DIRECTORY, "volcengine-cloud-%s.tar.gz" % galaxy_version())
    tools_path = os.path.join(VENV_TOOLS, "bin") + os.pathsep + os.environ.get("PATH", "")
    return [
        pytest_stage("units", "tests/unit"),
        pytest_stage("integration", "tests/integration"),
        sanity_stage("2.19"),
        sanity_stage("2.16"),
        sanity_stage("2.21"),
        Stage("ansible-lint", [venv_bin(VENV_TOOLS, "ansible-lint"), "--offline", "--profile", "production"],
              environment={"PATH": tools_path, "ANSIBLE_COLLECTIONS_PATH": BUILD_ROOT},
              detail=last_matching_line(r"^(Passed|Failed)")),
        Stage("antsibull-docs", [venv_bin(VENV_TOOLS, "antsibull-docs"), "lint-collection-docs", "--plugin-docs", "."],
              environment={"PATH": tools_path}),
        Stage("changelog-lint", [venv_bin(VENV_TOOLS, "antsibull-changelog"), "lint"]),
        Stage("galaxy-build", [venv_bin(VENV_TOOLS, "ansible-galaxy"), "collection", "build", "--force",
                               "--output-path", DIST_DIRECTORY], environment={"PATH": tools_path}),
        Stage("galaxy-importer", [venv_bin(VENV_TOOLS, "python"), "-m", "galaxy_importer.main", tarball],
              environment={"PATH": tools_path,
                           "GALAXY_IMPORTER_CONFIG": os.path.join(TOOLS, "galaxy-importer.cfg")},
              detail=last_matching_line(r"^(ERROR|WARNING)"), cwd=DIST_DIRECTORY),  # writes importer_result.json
    ]


def has_test_files(folder):
    return bool(glob.glob(os.path.join(COLLECTION, folder, "**", "test_*.py"), recursive=True))


def run_stage(stage, stream):
    """Run one stage; return (status, seconds, detail)."""
    started = time.monotonic()
    if stage.pytest_folder and not has_test_files(stage.pytest_folder):
        return SKIP, 0.0, "no test_*.py files under %s yet" % stage.pytest_folder
    if not os.path.exists(stage.command[0]):
        return FAIL, 0.0, "%s is missing: run `make venv`" % os.path.relpath(stage.command[0], REPO_ROOT)

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
    line = "%s%-16s %-4s %7.1fs" % (marker, name, status, seconds)
    return line + ("  " + detail if detail else "")


def main():
    stages = all_stages()
    names = [stage.name for stage in stages]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stages", nargs="*", metavar="STAGE",
                        help="stages to run (default: all): %s; 'sanity' means all three cores" % ", ".join(names))
    parser.add_argument("--stream", action="store_true", help="print every stage's output as it runs")
    args = parser.parse_args()

    selected = []
    for name in args.stages or names:
        wanted = [stage for stage in stages if stage.name == name or stage.name.startswith(name + "-")]
        if not wanted:
            parser.error("unknown stage %r; known: %s" % (name, ", ".join(names)))
        selected.extend(stage for stage in wanted if stage not in selected)

    os.makedirs(LOG_DIRECTORY, exist_ok=True)
    os.makedirs(DIST_DIRECTORY, exist_ok=True)
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
