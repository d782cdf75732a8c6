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
need 3.12), at the version the collection's tests pin for that release (``ANSIBLE_CORES`` in noxfile.py), so the
demo runs a release the tests cover. The venv is updated in place when the requirements change (a stamp file
inside it records them), never deleted.

Standard library only, Python 3.6 or later: it runs before any environment exists.
"""

import ast
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO_VENV = os.path.join(REPO_ROOT, ".venv-demo")
DEMO_REQUIREMENTS = os.path.join(REPO_ROOT, "tools", "requirements-demo.txt")
NOXFILE = os.path.join(REPO_ROOT, "noxfile.py")
STAMP = os.path.join(DEMO_VENV, ".requirements-stamp")

# controller Python (major, minor) -> the newest ansible-core release that accepts it
NEWEST_CORE_FOR_PYTHON = {
    (3, 10): "2.17",
    (3, 11): "2.19",
    (3, 12): "2.21",
    (3, 13): "2.21",
    (3, 14): "2.21",
}
PROBE = "import json, sys, venv, ensurepip; print(json.dumps([sys.version_info[0], sys.version_info[1], sys.version.split()[0]]))"


class DemoEnvironmentError(Exception):
    pass


def tested_core_pins():
    """{'2.19': 'ansible-core==2.19.14', ...}: the requirement each tested release is pinned at, read from the
    ``ANSIBLE_CORES`` table of noxfile.py (which imports nox, so it is parsed, not imported)."""
    with open(NOXFILE) as noxfile:
        tree = ast.parse(noxfile.read(), NOXFILE)
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(target, "id", None) for target in node.targets] == ["ANSIBLE_CORES"]:
            return {core: requirement for core, (_python, requirement) in ast.literal_eval(node.value).items()}
    raise DemoEnvironmentError("noxfile.py has no ANSIBLE_CORES table")


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
    found = [os.environ.get("DEMO_PYTHON"), os.path.join(DEMO_VENV, "bin", "python"), sys.executable]
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


def ensure_venv(python, requirements):
    """Create .venv-demo with ``python`` unless it exists, and install ``requirements`` unless its stamp says they
    are installed already; return pip's exit code."""
    wanted = hashlib.sha256("\n".join(requirements).encode()).hexdigest()
    if os.path.exists(STAMP):
        with open(STAMP) as stamp:
            if stamp.read().strip() == wanted:
                return 0
    venv_python = os.path.join(DEMO_VENV, "bin", "python")
    if not os.path.exists(venv_python):
        print("demo_environment: creating %s" % os.path.relpath(DEMO_VENV), flush=True)
        subprocess.run([python, "-m", "venv", DEMO_VENV], check=True)
    print("demo_environment: installing %s" % ", ".join(requirements), flush=True)
    completed = subprocess.run([venv_python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
                               + requirements, check=False)
    if completed.returncode == 0:
        with open(STAMP, "w") as stamp:
            stamp.write(wanted + "\n")
    return completed.returncode


def demo_requirements():
    with open(DEMO_REQUIREMENTS) as requirements:
        return [line.strip() for line in requirements if line.strip() and not line.startswith("#")]


def main():
    try:
        python, version, full_version = choose_python()
        core = NEWEST_CORE_FOR_PYTHON[version]
        pins = tested_core_pins()
        if core not in pins:
            raise DemoEnvironmentError("ANSIBLE_CORES of noxfile.py has no ansible-core %s" % core)
    except DemoEnvironmentError as error:
        print("demo_environment: %s" % error, file=sys.stderr)
        return 1
    print("demo environment %s: Python %s (%s), %s" % (os.path.relpath(DEMO_VENV), full_version, python, pins[core]),
          flush=True)
    return ensure_venv(python, [pins[core]] + demo_requirements())


if __name__ == "__main__":
    sys.exit(main())
