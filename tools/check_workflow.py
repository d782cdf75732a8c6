#!/usr/bin/env python
"""Check that .github/workflows/ci.yml runs what `make test` runs, so the two cannot drift.

    python tools/check_workflow.py      # nox session `actionlint` runs it after actionlint

* every `run:` step is one `make <target>` (with `${{ matrix.* }}` filled in from the job's matrix);
* the targets cover every group of tools/run_stages.py (units, integration, lint, docs, build) and `sanity-<core>` for
  every ansible-core in run_stages.SANITY_VENVS: each release meta/runtime.yml supports, and devel;
* only the devel job may fail without failing the workflow (`continue-on-error`);
* SANITY_VENVS starts at meta/runtime.yml's `requires_ansible` and skips no release after it.

Prints each problem and exits 1, or prints a one-line summary.
"""

from __future__ import annotations

import itertools
import os
import re
import sys

import yaml

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO_ROOT, "tools"))

import run_stages  # noqa: E402  pylint: disable=wrong-import-position,import-error

WORKFLOW = os.path.join(REPO_ROOT, ".github", "workflows", "ci.yml")
MATRIX_REFERENCE = re.compile(r"\$\{\{\s*matrix\.([\w-]+)\s*\}\}")
DEVEL_ONLY = re.compile(r"^\$\{\{\s*matrix\.([\w-]+)\s*==\s*'devel'\s*\}\}$")


def matrix_combinations(job):
    """Each combination of the job's matrix (lists only) as a dict; [{}] without a matrix."""
    matrix = (job.get("strategy") or {}).get("matrix") or {}
    keys = sorted(key for key, values in matrix.items() if isinstance(values, list))
    return [dict(zip(keys, values)) for values in itertools.product(*(matrix[key] for key in keys))]


def may_fail(job, combination):
    """Whether `continue-on-error` is true for this combination (true, or `${{ matrix.KEY == 'devel' }}`)."""
    value = job.get("continue-on-error", False)
    if isinstance(value, bool):
        return value
    match = DEVEL_ONLY.match(str(value).strip())
    if not match:
        raise ValueError("continue-on-error %r: use true or ${{ matrix.KEY == 'devel' }}" % value)
    return str(combination.get(match.group(1))) == "devel"


def make_targets(workflow, problems):
    """{target: may fail} for every `make <target>` step, matrix filled in; other steps are problems."""
    targets = {}
    for job_name, job in workflow["jobs"].items():
        for combination in matrix_combinations(job):
            for step in job.get("steps", []):
                if "run" not in step:
                    continue
                command = MATRIX_REFERENCE.sub(lambda match: str(combination[match.group(1)]), step["run"]).split()
                if len(command) != 2 or command[0] != "make":
                    problems.append("job %s: step %r is not one `make <target>`" % (job_name, step["run"]))
                    continue
                try:
                    targets[command[1]] = may_fail(job, combination)
                except ValueError as error:
                    problems.append("job %s: %s" % (job_name, error))
    return targets


def minor_versions(cores):
    return sorted(tuple(int(part) for part in core.split(".")) for core in cores if core != "devel")


def check_supported_cores(problems):
    with open(os.path.join(REPO_ROOT, "meta", "runtime.yml"), encoding="utf-8") as runtime_file:
        requires = yaml.safe_load(runtime_file)["requires_ansible"]
    match = re.match(r"^>=\s*(\d+)\.(\d+)", requires)
    if not match:
        problems.append("meta/runtime.yml requires_ansible %r is not of the form >=X.Y" % requires)
        return
    cores = minor_versions(run_stages.SANITY_VENVS)
    wanted = [cores[0][:1] + (minor,) for minor in range(int(match.group(2)), cores[-1][1] + 1)]
    if cores[0] != (int(match.group(1)), int(match.group(2))) or cores != wanted:
        problems.append("run_stages.SANITY_VENVS has %s; meta/runtime.yml requires_ansible %r wants %s up to the "
                        "newest release" % (", ".join("%d.%d" % core for core in cores), requires,
                                            ", ".join("%d.%d" % core for core in wanted)))
    if "devel" not in run_stages.SANITY_VENVS:
        problems.append("run_stages.SANITY_VENVS has no devel")


def main():
    problems = []
    with open(WORKFLOW, encoding="utf-8") as workflow_file:
        workflow = yaml.safe_load(workflow_file)
    targets = make_targets(workflow, problems)

    wanted = [group for group in run_stages.stage_groups(run_stages.all_stages()) if group != "sanity"]
    wanted += ["sanity-" + core for core in run_stages.SANITY_VENVS]
    for target in wanted:
        if target not in targets:
            problems.append("the workflow never runs `make %s`" % target)
    for target, allowed_to_fail in sorted(targets.items()):
        if allowed_to_fail != (target == "sanity-devel"):
            problems.append("`make %s` %s fail without failing the workflow" % (
                target, "may" if allowed_to_fail else "must be allowed to"))
    check_supported_cores(problems)

    for problem in problems:
        print("check_workflow: %s" % problem)
    if problems:
        return 1
    print("%s runs %s" % (os.path.relpath(WORKFLOW, REPO_ROOT), ", ".join("make " + target for target in wanted)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
