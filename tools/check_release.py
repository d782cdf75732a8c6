#!/usr/bin/env python
"""Check that the changelog agrees with the version: the release procedure of docs/releasing.md was followed.

    .venv-tools/bin/python tools/check_release.py      # nox session `changelog-lint` runs it after the lint

* `galaxy.yml`'s version has a release in `changelogs/changelog.yaml`, with a release date and a release summary;
* `plugins/module_utils/client.py` `COLLECTION_VERSION` is that version;
* no release in `changelog.yaml` is newer than that version;
* every module whose `version_added` is a released version is listed as a new module of that release, and a module
  not released yet claims the next minor release after `galaxy.yml`'s version (where new modules come, under
  semantic versioning), no other;
* `CHANGELOG.rst` is exactly what `antsibull-changelog generate` makes from `changelog.yaml` (edit the YAML or the
  fragments, never the RST).

Run it with the Python of the venv that holds antsibull-changelog (.venv-tools). Prints each problem and exits 1, or
prints a one-line summary.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
import tempfile

import yaml

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHANGELOG_RST = os.path.join(REPO_ROOT, "CHANGELOG.rst")
ANTSIBULL_CHANGELOG = os.path.join(os.path.dirname(sys.executable), "antsibull-changelog")
VERSION_ADDED = re.compile(r"^version_added:\s*['\"]?([0-9][0-9.]*)['\"]?\s*$", re.MULTILINE)


def version_key(text):
    """A release version (X.Y.Z, semantic versioning) as a tuple that compares as versions do."""
    return tuple(int(part) for part in re.findall(r"\d+", text.split("-")[0]))


def load_yaml(*path):
    with open(os.path.join(REPO_ROOT, *path), encoding="utf-8") as yaml_file:
        return yaml.safe_load(yaml_file)


def collection_version_in_code():
    with open(os.path.join(REPO_ROOT, "plugins", "module_utils", "client.py"), encoding="utf-8") as client_file:
        match = re.search(r"^COLLECTION_VERSION = ['\"]([^'\"]+)['\"]", client_file.read(), re.MULTILINE)
    return match.group(1) if match else None


def modules_by_version_added():
    """{module name: version_added} from each module's DOCUMENTATION."""
    directory = os.path.join(REPO_ROOT, "plugins", "modules")
    modules = {}
    for name in sorted(os.listdir(directory)):
        if name.endswith(".py") and not name.startswith("_"):
            with open(os.path.join(directory, name), encoding="utf-8") as module_file:
                match = VERSION_ADDED.search(module_file.read())
            modules[name[:-3]] = match.group(1) if match else None
    return modules


def release_problems(version, releases):
    problems = []
    release = releases.get(version)
    if release is None:
        return ["galaxy.yml's version %s has no release in changelogs/changelog.yaml: run `antsibull-changelog release` "
                "(docs/releasing.md)" % version]
    if not release.get("release_date"):
        problems.append("release %s has no release_date" % version)
    if not (release.get("changes") or {}).get("release_summary"):
        problems.append("release %s has no release_summary: add a fragment with one and run "
                        "`antsibull-changelog release --update-existing`" % version)
    newer = [other for other in releases if version_key(str(other)) > version_key(version)]
    if newer:
        problems.append("changelog.yaml has releases newer than galaxy.yml's version %s: %s" % (version, ", ".join(newer)))
    code_version = collection_version_in_code()
    if code_version != version:
        problems.append("client.COLLECTION_VERSION is %s, galaxy.yml's version %s" % (code_version, version))
    return problems


def module_problems(version, releases):
    problems = []
    for module, added in modules_by_version_added().items():
        if added is None:
            problems.append("plugins/modules/%s.py has no version_added" % module)
        elif version_key(added) > version_key(version):
            # not released yet: new modules come with a minor release (semantic versioning), the next one
            upcoming = "%d.%d.0" % (version_key(version)[0], version_key(version)[1] + 1)
            if version_key(added) != version_key(upcoming):
                problems.append("%s says version_added %s; a module not released yet is new in the next minor "
                                "release after galaxy.yml's %s, %s" % (module, added, version, upcoming))
        elif added in releases:
            listed = [entry["name"] for entry in (releases[added].get("modules") or [])]
            if module not in listed:
                problems.append("%s (version_added %s) is not a new module of release %s in changelog.yaml"
                                % (module, added, added))
    return problems


def generated_changelog_problems():
    with tempfile.TemporaryDirectory() as directory:
        generated_path = os.path.join(directory, "CHANGELOG.rst")
        subprocess.check_call([ANTSIBULL_CHANGELOG, "generate", "--output", generated_path, "--output-format", "rst"],
                              cwd=REPO_ROOT)
        with open(generated_path, encoding="utf-8") as generated_file:
            generated = generated_file.read()
    if not os.path.exists(CHANGELOG_RST):
        return ["CHANGELOG.rst is missing: run `antsibull-changelog generate`"]
    with open(CHANGELOG_RST, encoding="utf-8") as committed_file:
        committed = committed_file.read()
    if committed == generated:
        return []
    difference = "".join(difflib.unified_diff(committed.splitlines(True), generated.splitlines(True),
                                              "CHANGELOG.rst", "antsibull-changelog generate", n=1))
    return ["CHANGELOG.rst is not what `antsibull-changelog generate` makes from changelogs/changelog.yaml "
            "(edit changelog.yaml or the fragments, then generate):\n" + difference[:4000]]


def main():
    version = str(load_yaml("galaxy.yml")["version"])
    releases = {str(name): release for name, release in (load_yaml("changelogs", "changelog.yaml").get("releases") or {}).items()}
    problems = release_problems(version, releases) + module_problems(version, releases) + generated_changelog_problems()
    for problem in problems:
        print("check_release: %s" % problem)
    if problems:
        return 1
    print("check_release: galaxy.yml's version %s is released in changelogs/changelog.yaml (%s, with a summary), its "
          "modules are listed, and CHANGELOG.rst is generated from it" % (version, releases[version]["release_date"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
