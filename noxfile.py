"""nox sessions of the volcengine.cloud collection (`nox -l` lists them; CONTRIBUTING.md explains them).

Most sessions come from antsibull-nox and are configured in antsibull-nox.toml.  The two defined here run
tools that live beside nox in the tools venv (.venv-tools, pinned in tools/requirements-tools.txt), so they
need no session venv of their own.
"""

import os
import sys

import nox

try:
    import antsibull_nox
except ImportError:
    print("You need to install antsibull-nox in the same Python environment as nox (make venv does).")
    sys.exit(1)

antsibull_nox.load_antsibull_nox_toml()

TOOLS_BIN = os.path.dirname(sys.executable)


def tool(name):
    """The path of a program installed in the same venv as nox."""
    return os.path.join(TOOLS_BIN, name)


@nox.session(name="changelog-lint", python=False)
def changelog_lint(session):
    """Check changelogs/ (config, fragments, changelog.yaml) with antsibull-changelog lint, and that galaxy.yml's version
    is released there and CHANGELOG.rst is generated from it (tools/check_release.py, docs/releasing.md)."""
    session.run(tool("antsibull-changelog"), "lint", external=True)
    session.run(sys.executable, os.path.join("tools", "check_release.py"), external=True)


@nox.session(name="actionlint", python=False)
def actionlint(session):
    """Check .github/workflows with actionlint (shellcheck, pyflakes), and that ci.yml runs what make test runs."""
    session.run(tool("actionlint"), "-no-color", "-shellcheck", tool("shellcheck"), "-pyflakes", tool("pyflakes"),
                external=True)
    session.run(sys.executable, os.path.join("tools", "check_workflow.py"), external=True)


if __name__ == "__main__":
    nox.main()
