"""nox sessions of the volcengine.cloud collection (`nox -l` lists them; CONTRIBUTING.md explains them).

Most sessions come from antsibull-nox and are configured in antsibull-nox.toml.  Two defined here run tools
that live beside nox in the tools venv (.venv-tools, pinned in tools/requirements-tools.txt), so they need no
session venv of their own; `docs-site` builds the collection's docsite in a session venv of its own
(tools/requirements-docsite.txt).
"""

import os
import shutil
import stat
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


DOCSITE_CONFIG = os.path.join("tools", "docsite")
DOCSITE_BUILD = os.path.join("build", "docsite")
COLLECTION_COPY = os.path.join("build", "ansible_collections", "volcengine", "cloud")


@nox.session(name="docs-site")
def docs_site(session):
    """Build the collection's docsite (module pages, the guide, the error reference) into build/docsite/html with
    antsibull-docs and Sphinx; any warning fails it (a broken reference among them), and so does a link into the
    published site that leads nowhere or a docs.ansible.com search link in ansible-doc (tools/check_docsite.py)."""
    session.install("-r", os.path.join("tools", "requirements-docsite.txt"))
    # the collection as ansible-core finds it: build/ansible_collections/volcengine/cloud (stdlib only)
    session.run("python", os.path.join("tools", "assemble_collection.py"), silent=True)
    # the error reference as the code says it now, whether or not the committed page is current (a unit test
    # checks that): generated into the copy, so that building the site never writes to the tree
    session.run("python", os.path.join("tools", "render_errors_page.py"), "--output",
                os.path.join(COLLECTION_COPY, "docs", "docsite", "rst", "errors.rst"), silent=True)
    environment = {"ANSIBLE_COLLECTIONS_PATH": os.path.abspath("build"), "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false"}

    rst = os.path.join(DOCSITE_BUILD, "rst")
    for stale in ("html", "doctrees"):  # a page of a removed module must not survive to be published
        shutil.rmtree(os.path.join(DOCSITE_BUILD, stale), ignore_errors=True)
    os.makedirs(rst, exist_ok=True)
    os.chmod(rst, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)  # antsibull-docs wants og-w
    session.run("antsibull-docs", "--config-file", os.path.join(DOCSITE_CONFIG, "antsibull-docs.cfg"),
                "collection", "--use-current", "--squash-hierarchy", "--fail-on-error", "--cleanup", "everything",
                "--dest-dir", rst, "volcengine.cloud", env=environment)
    session.run("sphinx-build", "--builder", "html", "--conf-dir", DOCSITE_CONFIG, "--fail-on-warning",
                "--keep-going", "--nitpicky", "--quiet", "--doctree-dir", os.path.join(DOCSITE_BUILD, "doctrees"),
                rst, os.path.join(DOCSITE_BUILD, "html"))
    session.run("python", os.path.join("tools", "check_docsite.py"), os.path.join(DOCSITE_BUILD, "html"),
                env=environment)
    session.log("the docsite is in %s" % os.path.join(DOCSITE_BUILD, "html", "index.html"))


if __name__ == "__main__":
    nox.main()
