#!/usr/bin/env python
"""Create or update the demo's virtual environment, .venv-demo, and say which Python and ansible-core it has.

    python3 tools/demo_environment.py        # `make demo` and `make install` run it first

The demo needs no more than ansible-core, requests (the modules' one requirement) and the official `volcengine`
SDK (the emulator checks signatures with it): tools/requirements-demo.txt. The sanity and tool environments are
`make test`'s business.

Which Python: any on this machine that a supported ansible-core (meta/runtime.yml: 2.16 and later) accepts as its
controller Python, that is 3.10 to 3.14, and that can make a virtual environment. In this order: $DEMO_PYTHON when
set; the Python the existing .venv-demo was made with; the Python running this script (the `python3` on PATH, or
make's PYTHON); then the newest python3.X on PATH or under pyenv. To change the Python of an existing .venv-demo,
remove it first.

Which ansible-core: the newest release that Python accepts (2.17 on 3.10; 2.18 and 2.19 need 3.11; 2.20 and 2.21
need 3.12), at the version the collection's tests pin for that release (tools/requirements-test.txt and
tools/requirements-sanity-<release>.txt), so the demo runs a release the tests cover.

Standard library only, Python 3.6 or later: it runs before any environment exists.
"""

import glob
import json
import os
import re
import shutil
import subprocess
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLS = os.path.join(REPO_ROOT, "tools")
DEMO_VENV = ".venv-demo"
DEMO_REQUIREMENTS = os.path.join("tools", "requirements-demo.txt")
# written for tools/ensure_venv.sh, whose stamp then covers the ansible-core pin too
COMBINED_REQUIREMENTS = os.path.join("build", "demo", "requirements.txt")

# controller Python (major, minor) -> the newest ansible-core release that accepts it
NEWEST_CORE_FOR_PYTHON = {
    (3, 10): "2.17",
    (3, 11): "2.19",
    (3, 12): "2.21",
    (3, 13): "2.21",
    (3, 14): "2.21",
}
CORE_PIN = re.compile(r"^ansible-core==(\d+\.\d+)\.\d+\S*$", re.MULTILINE)
PROBE = "import json, sys, venv, ensurepip; print(json.dumps([sys.version_info[0], sys.version_info[1], sys.version.split()[0]]))"


class DemoEnvironmentError(Exception):
    pass


def tested_core_pins():
    """{'2.19': 'ansible-core==2.19.14', ...}: the ansible-core version each tested release is pinned at."""
    pins = {}
    for path in sorted(glob.glob(os.path.join(TOOLS, "requirements-*.txt"))):
        with open(path) as requirements:
            for match in CORE_PIN.finditer(requirements.read()):
                pins.setdefault(match.group(1), match.group(0))
    return pins


def probe(python):
    """(major, minor, full version) of ``python`` when it runs and can make a venv with pip, else None."""
    try:
        completed = subprocess.run([python, "-c", PROBE], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   universal_newlines=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if completed.returncode != 0:
        return None
    major, minor, version = json.loads(completed.stdout)
    return major, minor, version


def candidates():
    """Pythons to consider, in the order of preference of the module docstring."""
    found = [os.environ.get("DEMO_PYTHON"), os.path.join(REPO_ROOT, DEMO_VENV, "bin", "python"), sys.executable]
    newest_first = sorted(NEWEST_CORE_FOR_PYTHON, reverse=True)
    found += [shutil.which("python%d.%d" % version) for version in newest_first]
    pyenv_root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    for major, minor in newest_first:
        found += sorted(glob.glob(os.path.join(pyenv_root, "versions", "%d.%d.*" % (major, minor), "bin", "python3")),
                        reverse=True)
    return [python for python in found if python and os.path.exists(python)]


def choose_python():
    """(interpreter path, (major, minor), full version) of the first acceptable candidate."""
    refused = []
    for python in candidates():
        found = probe(python)
        if found and tuple(found[:2]) in NEWEST_CORE_FOR_PYTHON:
            return python, tuple(found[:2]), found[2]
        refused.append("%s (%s)" % (python, "Python %s" % found[2] if found else "cannot make a venv with pip"))
    raise DemoEnvironmentError(
        "no Python on this machine can run the demo: it needs Python %s with the venv and ensurepip modules, for "
        "ansible-core 2.16 or later; found %s. Install one, or set DEMO_PYTHON to its path." % (
            " to ".join("%d.%d" % version for version in (min(NEWEST_CORE_FOR_PYTHON), max(NEWEST_CORE_FOR_PYTHON))),
            ", ".join(refused) or "none"))


def write_requirements(core_pin):
    path = os.path.join(REPO_ROOT, COMBINED_REQUIREMENTS)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(os.path.join(REPO_ROOT, DEMO_REQUIREMENTS)) as demo_requirements:
        content = "%s\n%s" % (core_pin, demo_requirements.read())
    with open(path, "w") as requirements:
        requirements.write(content)


def main():
    try:
        python, version, full_version = choose_python()
        core = NEWEST_CORE_FOR_PYTHON[version]
        pins = tested_core_pins()
        if core not in pins:
            raise DemoEnvironmentError("no tools/requirements-*.txt pins ansible-core %s" % core)
    except DemoEnvironmentError as error:
        print("demo_environment: %s" % error, file=sys.stderr)
        return 1
    write_requirements(pins[core])
    print("demo environment %s: Python %s (%s), %s" % (DEMO_VENV, full_version, python, pins[core]), flush=True)
    environment = dict(os.environ, ENSURE_VENV_PYTHON=python)
    completed = subprocess.run(["bash", os.path.join("tools", "ensure_venv.sh"), DEMO_VENV, "%d.%d" % version,
                                COMBINED_REQUIREMENTS], cwd=REPO_ROOT, env=environment, check=False)
    return completed.returncode


if __name__ == "__main__":
    sys.exit(main())
