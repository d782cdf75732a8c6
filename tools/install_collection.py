#!/usr/bin/env python
"""Build the collection's artifact from this checkout and install it where ansible-playbook finds it.

    make install                                   # into ~/.ansible/collections, with .venv-demo's ansible-galaxy
    make install COLLECTIONS_PATH=/srv/collections # or into a collections path of your choice

Builds build/volcengine-cloud-<version>.tar.gz with `ansible-galaxy collection build` from the assembled copy (the
files git tracks plus new ones it does not ignore), then installs it with `ansible-galaxy collection install --force`.
~/.ansible/collections is on ansible-core's default collections path, so any ansible-playbook of this user finds
the collection there; another path needs ANSIBLE_COLLECTIONS_PATH (or collections_path in ansible.cfg) to name it.
The artifact is also what an execution environment installs (docs/awx/execution-environment.yml).
"""

from __future__ import annotations

import argparse
import glob
import os
import subprocess
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO_ROOT, "tools"))

import assemble_collection  # noqa: E402  pylint: disable=wrong-import-position,import-error

BUILD_ROOT = os.path.join(REPO_ROOT, "build")
DEFAULT_COLLECTIONS_PATH = "~/.ansible/collections"


def ansible_galaxy(*arguments):
    command = [os.path.join(os.path.dirname(os.path.abspath(sys.executable)), "ansible-galaxy")] + list(arguments)
    # from the repository root: inside an ansible_collections/ tree ansible-galaxy would find the collection
    # "already installed" and install nothing
    subprocess.run(command, cwd=REPO_ROOT, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collections-path", default=DEFAULT_COLLECTIONS_PATH,
                        help="where to install (the folder that gets ansible_collections/; default: %(default)s)")
    args = parser.parse_args()

    collection = assemble_collection.assemble(BUILD_ROOT)
    for old in glob.glob(os.path.join(BUILD_ROOT, "volcengine-cloud-*.tar.gz")):
        os.remove(old)
    ansible_galaxy("collection", "build", collection, "--output-path", BUILD_ROOT)
    (artifact,) = glob.glob(os.path.join(BUILD_ROOT, "volcengine-cloud-*.tar.gz"))
    target = os.path.expanduser(args.collections_path)
    ansible_galaxy("collection", "install", "--offline", "--force", "-p", target, artifact)
    print("\nInstalled %s into %s." % (os.path.relpath(artifact, REPO_ROOT), target))
    if args.collections_path == DEFAULT_COLLECTIONS_PATH:
        print("ansible-playbook finds it there (ansible-core's default collections path).")
    else:
        print("Point ansible-playbook at it: export ANSIBLE_COLLECTIONS_PATH=%s" % target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
