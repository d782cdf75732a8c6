#!/usr/bin/env python
"""Run ansible-test on a machine that reaches package indexes but not ansible-test's file host.

Run it with the Python of the virtual environment that holds the ansible-core to test with:

    .nox/sanity-2-16/bin/python tools/ansible_test_offline.py --chdir build/sanity-2.16/ansible_collections/volcengine/cloud \\
        sanity --local

Two things stand between ansible-test and an offline machine:

* Sanity tests bootstrap pip into private virtual environments with a ``get-pip`` script that
  ansible-test downloads and caches as ``~/.ansible/test/cache/get_pip_<version>.py``.  When that
  file is missing this script writes a stand-in that installs the same packages through
  ``ensurepip`` and the configured package indexes.
* ansible-test passes only a few environment variables (PATH, HOME) to its children, so pyenv's
  shims resolve to one Python.  The ``bin`` folders of the pyenv Pythons 3.8 to 3.13 are put on
  PATH instead, so compile and import tests run on every one of them.
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import subprocess
import sys

PYTHON_MINOR_VERSIONS = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14")
CACHE_DIRECTORY = os.path.expanduser("~/.ansible/test/cache")
MISSING_BOOTSTRAP = re.compile(r"saved to: (\S*get_pip_[0-9_]+\.py)")

# The stand-in ansible-test runs as ``python get_pip_<ver>.py [pip options] pip==<ver> ...
# [--no-setuptools] [--no-wheel]`` inside a fresh virtual environment.  pip must run in a
# subprocess: run in-process right after ensurepip it fails with certificate errors.
BOOTSTRAP_STAND_IN = '''\
"""Offline stand-in for ansible-test's get-pip bootstrap (written by tools/ansible_test_offline.py)."""
import subprocess
import sys

UNSUPPORTED_OPTIONS = ("--no-setuptools", "--no-wheel")


def main():
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"])
    arguments = [argument for argument in sys.argv[1:] if argument not in UNSUPPORTED_OPTIONS]
    subprocess.check_call([sys.executable, "-m", "pip", "install"] + arguments)


if __name__ == "__main__":
    main()
'''


def pyenv_root():
    """Return pyenv's root folder, or None when pyenv is absent."""
    root = os.environ.get("PYENV_ROOT")
    if not root:
        try:
            root = subprocess.check_output(["pyenv", "root"], universal_newlines=True).strip()
        except (OSError, subprocess.CalledProcessError):
            root = os.path.expanduser("~/.pyenv")
    return root if os.path.isdir(root) else None


def python_bin_directories():
    """Return the bin folder of the newest pyenv patch release of each supported minor version."""
    root = pyenv_root()
    if root is None:
        return []
    directories = []
    for minor in PYTHON_MINOR_VERSIONS:
        candidates = glob.glob(os.path.join(root, "versions", minor + ".*", "bin", "python" + minor))
        candidates = [path for path in candidates if re.search(r"/%s\.\d+/bin/" % re.escape(minor), path)]
        if candidates:
            newest = max(candidates, key=lambda path: [int(part) for part in re.findall(r"\d+", path.split("/")[-3])])
            directories.append(os.path.dirname(newest))
    return directories


def required_pip_versions():
    """Return the pip versions the installed ansible-test bootstraps (read from its source)."""
    import ansible_test  # pylint: disable=import-outside-toplevel,import-error

    source_path = os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")
    with open(source_path, encoding="utf-8") as source_file:
        source = source_file.read()
    return sorted(set(re.findall(r"""\bpip\s*=\s*['"]([0-9.]+)['"]""", source)))


def write_bootstrap_stand_in(path):
    """Write the stand-in to ``path`` unless a bootstrap script is already cached there."""
    if os.path.exists(path):
        return False
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # written whole, then renamed: another ansible-test starting at the same moment never runs half a file
    partial = "%s.%d.partial" % (path, os.getpid())
    with open(partial, "w", encoding="utf-8") as stand_in:
        stand_in.write(BOOTSTRAP_STAND_IN)
    os.replace(partial, path)
    print("ansible_test_offline: wrote pip bootstrap stand-in %s" % path, flush=True)
    return True


def ansible_test_environment():
    """Return the environment for ansible-test: this venv first on PATH, then the pyenv Pythons."""
    environment = dict(os.environ)
    venv_bin = os.path.dirname(os.path.abspath(sys.executable))
    # pyenv's shims are left out: with PYENV_VERSION lost they resolve unpredictably (see the docstring)
    inherited = [directory for directory in environment.get("PATH", "").split(os.pathsep)
                 if os.path.basename(directory.rstrip("/")) != "shims"]
    unique_path = []
    for directory in [venv_bin] + python_bin_directories() + inherited:
        if directory and directory not in unique_path:
            unique_path.append(directory)
    environment["PATH"] = os.pathsep.join(unique_path)
    environment.pop("PYENV_VERSION", None)
    return environment


def run_ansible_test(arguments, directory, environment):
    """Run ansible-test, echoing its output; return (exit code, output)."""
    command = [os.path.join(os.path.dirname(os.path.abspath(sys.executable)), "ansible-test")] + arguments
    process = subprocess.Popen(command, cwd=directory, env=environment, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, universal_newlines=True)
    lines = []
    for line in process.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        lines.append(line)
    return process.wait(), "".join(lines)


def run_offline(arguments, directory):
    """Run ansible-test with ``arguments`` in the collection folder ``directory`` as main() does, echoing its output;
    return (exit code, output).  tools/run_integration_targets.py calls it too."""
    for version in required_pip_versions():
        write_bootstrap_stand_in(os.path.join(CACHE_DIRECTORY, "get_pip_%s.py" % version.replace(".", "_")))

    environment = ansible_test_environment()
    print("ansible_test_offline: Pythons on PATH: %s" % ", ".join(python_bin_directories()), flush=True)
    status, output = run_ansible_test(arguments, directory, environment)

    # A pip version this script could not read from ansible-test's source: write it and retry once.
    if status != 0:
        written = [write_bootstrap_stand_in(path) for path in sorted(set(MISSING_BOOTSTRAP.findall(output)))]
        if written and max(written):
            status, output = run_ansible_test(arguments, directory, environment)
    return status, output


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chdir", default=".", help="the collection folder (.../ansible_collections/NS/NAME)")
    parser.add_argument("arguments", nargs=argparse.REMAINDER, help="arguments for ansible-test")
    args = parser.parse_args()
    arguments = args.arguments[1:] if args.arguments[:1] == ["--"] else args.arguments
    return run_offline(arguments, args.chdir)[0]


if __name__ == "__main__":
    sys.exit(main())
