"""Every check of the volcengine.cloud collection, as nox sessions: the one list of checks.

    nox -l                       # the sessions; those marked * are the default ones, which `make test` runs
    nox -s units -- -k signing   # one session; what follows -- goes to its pytest or ansible-test
    nox -j 2                     # the default sessions, two at a time (what `make test` does)

`make test` runs the default sessions, the GitHub workflow runs each of them as a job of its own (its matrix is
read from `nox -l --json`), and `.ci/run` calls `make test`. Most lint, docs and build sessions come from
antsibull-nox and are configured in antsibull-nox.toml; the test sessions are defined here. nox builds and reuses
their virtual environments in .nox/.

Two helpers of tools/ exist only because this machine is offline (CONTRIBUTING.md): assemble_collection.py copies
the tree into an ``ansible_collections/volcengine/cloud`` path, which ansible-test needs, and
ansible_test_offline.py runs ansible-test without its download host, with every Python 3.8 to 3.14 on PATH.
"""

import contextlib
import fcntl
import glob
import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

import nox

try:
    import antsibull_nox
except ImportError:
    print("You need to install antsibull-nox in the same Python environment as nox (make venv does).")
    sys.exit(1)

antsibull_nox.load_antsibull_nox_toml()

# Every ansible-core release meta/runtime.yml supports: (controller Python of its venv, pip requirement).  `devel`,
# ansible-core's development branch, installs from github.com and runs in the GitHub workflow only, where it may
# fail.  tools/demo_environment.py reads this table too.
ANSIBLE_CORES = {
    "2.16": ("3.11", "ansible-core==2.16.19"),
    "2.17": ("3.11", "ansible-core==2.17.14"),
    "2.18": ("3.11", "ansible-core==2.18.19"),
    "2.19": ("3.11", "ansible-core==2.19.14"),
    "2.20": ("3.12", "ansible-core==2.20.10"),
    "2.21": ("3.12", "ansible-core==2.21.5"),
    "devel": ("3.13", "ansible-core @ https://github.com/ansible/ansible/archive/devel.tar.gz"),
}
# The release of the unit, integration and end-to-end tests and the benchmark.
TEST_CORE = "2.19"
TEST_REQUIREMENTS = os.path.join("tools", "requirements-test.txt")
# Sanity runs in full with the oldest and the newest release; with the releases between, `make test` runs the
# tests whose result depends on the release (each has its own compile and import rules and validate-modules);
# the GitHub workflow, where each is a job of its own, runs them in full (VOLCENGINE_SANITY_FULL=1).
FULL_SANITY_CORES = ("2.16", "2.21")
RELEASE_DEPENDENT_SANITY_TESTS = ("compile", "import", "validate-modules")

BUILD = "build"
TOOLS_BIN = os.path.dirname(sys.executable)

# The default sessions, longest first so that `nox -j 2` keeps both jobs busy.
nox.options.sessions = [
    "e2e", "sanity-2.16", "sanity-2.21", "integration", "units", "sanity-2.17", "sanity-2.18", "sanity-2.19",
    "sanity-2.20", "codeqa", "ansible-lint", "build-import-check", "docs-site", "docs-check", "yamllint",
    "extra-checks", "antsibull-nox-config", "changelog-lint", "actionlint",
]
nox.options.allow_parallel = True


def _pyenv_pythons_on_path():
    """Put the newest pyenv Python of each minor version on PATH, so that nox finds python3.12 and its kin where
    pyenv's shims would refuse (only the global version resolves).  A no-op without pyenv."""
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    newest = {}
    for folder in glob.glob(os.path.join(root, "versions", "3.*.*")):
        match = re.match(r"3\.(\d+)\.(\d+)$", os.path.basename(folder))
        if match and os.path.exists(os.path.join(folder, "bin", "python3")):
            minor, patch = int(match.group(1)), int(match.group(2))
            if newest.get(minor, (-1, ""))[0] < patch:
                newest[minor] = (patch, os.path.join(folder, "bin"))
    folders = [folder for _patch, folder in (newest[minor] for minor in sorted(newest))]
    os.environ["PATH"] = os.pathsep.join(folders + [os.environ.get("PATH", "")])


_pyenv_pythons_on_path()


def tool(name):
    """The path of a program installed in the same venv as nox (.venv-tools)."""
    return os.path.join(TOOLS_BIN, name)


def collection_copy(session, name):
    """Assemble the tree into build/<name>/ansible_collections/volcengine/cloud (each session a copy of its own, so
    that parallel sessions never share one); return that folder."""
    output = session.run("python", os.path.join("tools", "assemble_collection.py"), "--build-root",
                         os.path.join(BUILD, name), silent=True)
    return output.strip().splitlines()[-1]


def private_tmpdir(name):
    """A TMPDIR of the session's own: the client's rate limiter keeps its state there, and tests of two sessions
    running at once must not pace each other. Outside the tree: ansible-test, run on a collection installed under
    the tests' temporary folders, must not find this git repository above it."""
    checkout = hashlib.sha256(os.path.abspath(".").encode()).hexdigest()[:12]
    path = os.path.join(tempfile.gettempdir(), "volcengine-cloud-nox-%s" % checkout, name)
    os.makedirs(path, exist_ok=True)
    return path


def test_environment(session):
    session.install(ANSIBLE_CORES[TEST_CORE][1], "-r", TEST_REQUIREMENTS)


@nox.session(python=ANSIBLE_CORES[TEST_CORE][0])
def units(session):
    """pytest tests/unit on the tree as it is (the root conftest.py makes it importable as the collection)."""
    test_environment(session)
    session.run("python", "-m", "pytest", "-p", "no:cacheprovider", "-q", *(session.posargs or ["tests/unit"]),
                env={"PYTHONDONTWRITEBYTECODE": "1", "TMPDIR": private_tmpdir("units")})


@nox.session(python=ANSIBLE_CORES[TEST_CORE][0])
def integration(session):
    """ansible-test integration on tests/integration/targets against the emulator, in both of its update modes
    (tools/run_integration_targets.py; arguments: the targets to run)."""
    test_environment(session)
    collection = collection_copy(session, "integration")
    session.run("python", os.path.join("tools", "run_integration_targets.py"), "--collection", collection,
                *session.posargs, env={"PYTHONPATH": os.path.abspath(os.path.join(BUILD, "integration")),
                                       "PYTHONDONTWRITEBYTECODE": "1", "TMPDIR": private_tmpdir("integration")})


@nox.session(python=ANSIBLE_CORES[TEST_CORE][0])
def e2e(session):
    """pytest tests/e2e: real ansible-playbook runs against the emulator (what needs one: lost answers, secrets at
    -vvvv, forks, interrupts, the printed diff, the demo, the documented playbooks, the artifact)."""
    test_environment(session)
    collection = collection_copy(session, "e2e")
    arguments = session.posargs or ["-n", "2", "tests/e2e"]
    environment = {"PYTHONPATH": os.path.abspath(os.path.join(BUILD, "e2e")), "PYTHONDONTWRITEBYTECODE": "1",
                   "TMPDIR": private_tmpdir("e2e")}
    with session.chdir(collection):  # the tests run in the copy, as the code under test
        session.run("python", "-m", "pytest", "-p", "no:cacheprovider", "-q", *arguments, env=environment)


@contextlib.contextmanager
def one_ansible_test_sanity_at_a_time():
    """ansible-test builds its tool venvs in ~/.ansible/test, some of them shared by every release: two sanity runs
    that build the same one at once would break it, so sanity sessions that nox runs in parallel take turns."""
    os.makedirs(BUILD, exist_ok=True)
    with open(os.path.join(BUILD, "sanity.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def sanity(session, core):
    session.install(ANSIBLE_CORES[core][1])
    collection = collection_copy(session, "sanity-" + core)
    arguments = list(session.posargs)
    if not arguments and core not in FULL_SANITY_CORES and not os.environ.get("VOLCENGINE_SANITY_FULL"):
        for test in RELEASE_DEPENDENT_SANITY_TESTS:
            arguments += ["--test", test]
    with one_ansible_test_sanity_at_a_time():
        session.run("python", os.path.join("tools", "ansible_test_offline.py"), "--chdir", collection, "sanity",
                    "--local", "--color", "no", *arguments)


def sanity_session(core):
    python, requirement = ANSIBLE_CORES[core]

    def session_function(session):
        sanity(session, core)
    session_function.__doc__ = "ansible-test sanity with %s (Python %s): %s" % (
        requirement.split(" @ ")[0], python,
        "every test" if core in FULL_SANITY_CORES + ("devel",) else
        "%s (every test with VOLCENGINE_SANITY_FULL=1)" % ", ".join(RELEASE_DEPENDENT_SANITY_TESTS))
    tags = ["github-only"] if core == "devel" else ["sanity"]  # `nox -t sanity`: every release meta/runtime.yml supports
    return nox.session(name="sanity-" + core, python=python, tags=tags)(session_function)


SANITY_SESSIONS = [sanity_session(core) for core in ANSIBLE_CORES]


@nox.session(name="changelog-lint", python=False)
def changelog_lint(session):
    """Check changelogs/ (config, fragments, changelog.yaml) with antsibull-changelog lint, and that galaxy.yml's version
    is released there and CHANGELOG.rst is generated from it (tools/check_release.py, docs/releasing.md)."""
    session.run(tool("antsibull-changelog"), "lint", external=True)
    session.run(sys.executable, os.path.join("tools", "check_release.py"), external=True)


@nox.session(name="actionlint", python=False)
def actionlint(session):
    """Check .github/workflows with actionlint (shellcheck, pyflakes)."""
    session.run(tool("actionlint"), "-no-color", "-shellcheck", tool("shellcheck"), "-pyflakes", tool("pyflakes"),
                external=True)


DOCSITE_CONFIG = os.path.join("tools", "docsite")
DOCSITE_BUILD = os.path.join(BUILD, "docsite")


@nox.session(name="docs-site")
def docs_site(session):
    """Build the collection's docsite (module pages, the guide, the error reference) into build/docsite/html with
    antsibull-docs and Sphinx; any warning fails it (a broken reference among them), and so does a link into the
    published site that leads nowhere or a docs.ansible.com search link in ansible-doc (tools/check_docsite.py)."""
    session.install("-r", os.path.join("tools", "requirements-docsite.txt"))
    collection = collection_copy(session, os.path.join("docsite", "collection"))
    # the error reference as the code says it now, whether or not the committed page is current (a unit test
    # checks that): generated into the copy, so that building the site never writes to the tree
    session.run("python", os.path.join("tools", "render_errors_page.py"), "--output",
                os.path.join(collection, "docs", "docsite", "rst", "errors.rst"), silent=True)
    environment = {"ANSIBLE_COLLECTIONS_PATH": os.path.abspath(os.path.join(DOCSITE_BUILD, "collection")),
                   "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false"}

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


@nox.session(python=ANSIBLE_CORES[TEST_CORE][0], allow_parallel=False)
def bench(session):
    """`make bench`: run tools/bench_*.py through ansible-playbook against the emulator (arguments: how many runs,
    default 1), regenerate docs/performance.md from their results and the calls-per-change table in the module
    notes and the guide (tools/calls_per_change.py). Not a test: it measures, alone."""
    test_environment(session)
    collection_copy(session, "bench")
    environment = {"PYTHONPATH": os.path.abspath(os.path.join(BUILD, "bench")), "PYTHONDONTWRITEBYTECODE": "1"}
    runs = int(session.posargs[0]) if session.posargs else 1
    results = os.path.join(BUILD, "bench", "results")
    shutil.rmtree(results, ignore_errors=True)
    missed = []
    for run in range(1, runs + 1):
        os.makedirs(os.path.join(results, "run%d" % run))
        for script in sorted(glob.glob(os.path.join("tools", "bench_*.py"))):
            name = os.path.basename(script)[len("bench_"):-len(".py")]
            session.log("%s (run %d of %d)" % (script, run, runs))
            # a benchmark that misses a goal exits 1 after writing its figures: the page still shows them all
            status = subprocess.call([os.path.join(session.bin, "python"), script, "--json",
                                      os.path.join(results, "run%d" % run, name + ".json")],
                                     env=dict(os.environ, **environment))
            if status:
                missed.append("%s (run %d): exit status %d" % (script, run, status))
    session.run("python", os.path.join("tools", "performance_page.py"),
                *sorted(glob.glob(os.path.join(results, "run*"))), env=environment)
    session.run("python", os.path.join("tools", "calls_per_change.py"), "--write", env=environment)
    if missed:
        session.error("benchmarks that missed a goal or failed (their FAIL lines above): %s" % "; ".join(missed))


if __name__ == "__main__":
    nox.main()
