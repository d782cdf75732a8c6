#!/usr/bin/env python
"""Copy the collection's files into build/ansible_collections/volcengine/cloud.

ansible-test and the Python import system both need the collection under an
``ansible_collections/<namespace>/<name>`` path, and ansible-test refuses a
symlinked working directory, so the tree is copied.  The copy holds the files
git tracks plus new files git does not ignore, so work in progress is tested
exactly as it would be after ``git add``.  Files that vanished are removed from
the copy; unchanged files are left alone to keep ansible-test's caches warm.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_BUILD_ROOT = os.path.join(REPO_ROOT, "build")


def collection_files():
    output = subprocess.check_output(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO_ROOT,
    )
    names = [name for name in output.decode("utf-8").split("\0") if name]
    return sorted(name for name in names if os.path.isfile(os.path.join(REPO_ROOT, name)))


def assemble(build_root):
    target = os.path.join(build_root, "ansible_collections", "volcengine", "cloud")
    wanted = set(collection_files())
    for name in wanted:
        source = os.path.join(REPO_ROOT, name)
        destination = os.path.join(target, name)
        if os.path.isfile(destination) and filecmp.cmp(source, destination, shallow=False):
            if os.stat(source).st_mode != os.stat(destination).st_mode:
                shutil.copymode(source, destination)  # sanity's shebang test checks execute bits
            continue
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        shutil.copy2(source, destination)
    for directory, subdirectories, files in os.walk(target, topdown=False):
        relative_directory = os.path.relpath(directory, target)
        if relative_directory.split(os.sep)[:2] == ["tests", "output"]:
            continue  # ansible-test's own results and caches
        if relative_directory.split(os.sep)[0] == ".git":
            continue  # the copy's own repository, see below
        for file_name in files:
            relative = os.path.normpath(os.path.join(relative_directory, file_name))
            if relative not in wanted and not relative.endswith(".pyc"):
                os.remove(os.path.join(directory, file_name))
        if directory != target and not os.listdir(directory):
            os.rmdir(directory)
    # ansible-test and ansible-lint list files with git when they find a repository above them.  The
    # copy lies in the source repository's git-ignored build/ folder, where they would see nothing, so
    # the copy gets an empty repository of its own: its untracked, non-ignored files are the collection.
    if not os.path.exists(os.path.join(target, ".git")):
        subprocess.check_call(["git", "init", "--quiet", target])
    return target


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-root", default=DEFAULT_BUILD_ROOT)
    args = parser.parse_args()
    print(assemble(os.path.abspath(args.build_root)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
