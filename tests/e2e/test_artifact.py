# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the built artifact ships runs from an installed collection: the pytest end-to-end suite of tests/e2e (it
needs the source tree's tools/ and its assembled copy) and the developer side (make targets, tools, nox, CI,
developer documentation) stay out, every collection import of a shipped Python file resolves inside the artifact, the
shipped unit tests are collected there and those that depend on the layout pass, and so do the shipped ansible-test
integration targets."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast
import os
import subprocess
import sys

import yaml

from ansible_collections.volcengine.cloud.tests.e2e.conftest import COLLECTION_DIR, COLLECTIONS_ROOT

PACKAGE = 'ansible_collections.volcengine.cloud'
# In the repository only: what runs from a clone (make, tools, nox, CI, the conftest.py that lets pytest import a
# checkout), the documents that describe it, and the end-to-end suite that needs both
DEVELOPER_SIDE = ('Makefile', 'tools', 'noxfile.py', 'antsibull-nox.toml', '.github', '.ci', 'conftest.py',
                  'CONTRIBUTING.md', 'docs/developing.md', 'docs/releasing.md', 'docs/testing.md',
                  'docs/docsite/errors.rst.in', 'tests/e2e')


def shipped_root(installed_collection):
    return installed_collection / 'ansible_collections' / 'volcengine' / 'cloud'


def collection_imports(path, root):
    """The collection modules ``path`` imports (absolute or relative), as dotted names relative to the collection."""
    package = '.'.join(path.relative_to(root).parent.parts)
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level:
            base = '.'.join(package.split('.')[:len(package.split('.')) - node.level + 1])
            names += ['%s.%s.%s' % (PACKAGE, base, node.module or alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module.startswith(PACKAGE + '.'):
            names += [node.module] + ['%s.%s' % (node.module, alias.name) for alias in node.names]
    return [name[len(PACKAGE) + 1:] for name in names if name.startswith(PACKAGE + '.')]


def resolves(root, dotted):
    """Whether the dotted name is a module or a package of the tree under ``root``, or a name defined in one."""
    path = root.joinpath(*dotted.split('.'))
    if path.with_suffix('.py').is_file() or path.is_dir():
        return True
    return path.parent.with_suffix('.py').is_file()  # `from module import name`


def test_the_developer_side_stays_out_and_what_the_shipped_tests_need_ships(installed_collection):
    root = shipped_root(installed_collection)
    assert [name for name in DEVELOPER_SIDE if (COLLECTION_DIR / name).exists()] == list(DEVELOPER_SIDE)
    assert [name for name in DEVELOPER_SIDE if (root / name).exists()] == []
    tests = root / 'tests'
    for needed in ('emulator/api_model.py', 'emulator/signature_check.py', 'emulator/live_emulator.py',
                   'emulator/harness.py', 'unit/model_client.py', 'unit/plugins/module_utils/hostile_server.py',
                   'integration/integration_config.yml.template', 'integration/targets/setup_volcengine/tasks/main.yml'):
        assert (tests / needed).is_file(), needed
    modules = sorted(path.stem for path in (root / 'plugins' / 'modules').glob('volc_*.py'))
    targets = sorted(path.name for path in (tests / 'integration' / 'targets').iterdir() if not path.name.startswith('setup_'))
    assert modules and targets == modules
    assert list((tests / 'integration').glob('*.py')) == []


def test_a_maintainer_s_integration_config_never_ships():
    """It holds the credentials of a test account; git ignores it, and so must a build from a working tree."""
    with open(str(COLLECTION_DIR / 'galaxy.yml'), encoding='utf-8') as galaxy_file:
        assert 'tests/integration/integration_config.yml' in yaml.safe_load(galaxy_file)['build_ignore']
    with open(str(COLLECTION_DIR / '.gitignore'), encoding='utf-8') as gitignore:
        assert '/tests/integration/integration_config.yml' in gitignore.read().splitlines()


def test_every_collection_import_of_a_shipped_file_resolves_inside_the_artifact(installed_collection):
    root = shipped_root(installed_collection)
    python_files = sorted(root.rglob('*.py'))
    assert any(path.name == 'test_relay_source_writer.py' for path in python_files)
    unresolved = ['%s imports %s' % (path.relative_to(root), name)
                  for path in python_files for name in collection_imports(path, root) if not resolves(root, name)]
    assert unresolved == []


# The unit tests whose outcome depends on where they run from: those that read files beside them or elsewhere in the
# collection (the signing vectors; the docs; MANIFEST.json where a checkout has galaxy.yml), that start processes with
# the collection on their path (the emulator, rate-limiter peers), and a few of each kind of in-process API (the
# emulator's model; the emulator over HTTP, with the conftest fixtures that start it).
LAYOUT_SENSITIVE_UNITS = [
    'tests/unit/plugins/module_utils/test_signer.py',
    'tests/unit/plugins/module_utils/test_relay_source_error_docs.py',
    'tests/unit/plugins/module_utils/test_environment_variable_docs.py',
    'tests/unit/plugins/module_utils/test_client.py::test_user_agent_has_the_single_version_constant_matching_the_collection_version',
    'tests/unit/plugins/module_utils/test_rate_limit.py::test_real_processes_share_one_window',
    'tests/unit/plugins/modules/test_volc_live_relay_source_info.py',
    'tests/unit/plugins/modules/test_relay_source_info_over_http.py',
    'tests/unit/emulator/test_update_modes.py',
]


def run_pytest(root, *arguments, **environment):
    """pytest run in ``root`` with ``environment`` added to this one's; (return code, stdout, stderr)."""
    completed = subprocess.run([sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider'] + list(arguments),
                               cwd=str(root), env=dict(os.environ, PYTHONDONTWRITEBYTECODE='1', **environment),
                               capture_output=True, text=True, timeout=900, check=False)
    return completed.returncode, completed.stdout, completed.stderr


def collected_node_ids(output):
    return sorted(line for line in output.splitlines() if '::' in line)


def test_the_shipped_unit_tests_are_all_collected_and_the_layout_sensitive_ones_pass_in_the_installed_collection(
        installed_collection):
    """Every shipped unit test file imports from the installed collection: its tests are collected there, the same
    node ids as in the source tree (less tests/unit/tools, which stays out). Of those tests, the ones whose outcome
    depends on where they run from (LAYOUT_SENSITIVE_UNITS) run there and pass.

    The trade-off: the whole unit suite ran here before (47 s, the suite once more); the rest of it tests the same
    code from the same files in the unit stage, and the artifact can only break it through an import (collected
    here) or a file read or process started at run time (the list). A new unit test that reads a file or starts a
    process belongs in LAYOUT_SENSITIVE_UNITS, or it is checked only where the unit stage runs it."""
    root = shipped_root(installed_collection)
    environment = dict(PYTHONPATH=str(installed_collection))
    code, shipped, errors = run_pytest(root, '--collect-only', 'tests/unit', **environment)
    assert code == 0, shipped[-3000:] + errors[-3000:]
    code, source, errors = run_pytest(COLLECTION_DIR, '--collect-only', 'tests/unit', '--ignore', 'tests/unit/tools',
                                      PYTHONPATH=str(COLLECTIONS_ROOT))
    assert code == 0, source[-3000:] + errors[-3000:]
    assert len(collected_node_ids(shipped)) > 1000
    assert collected_node_ids(shipped) == collected_node_ids(source)

    code, output, errors = run_pytest(root, *LAYOUT_SENSITIVE_UNITS, **environment)
    summary = output.strip().splitlines()[-1] if output.strip() else ''
    assert code == 0, output[-3000:] + errors[-3000:]
    assert ' passed' in summary and 'skipped' not in summary and 'error' not in summary, summary


def test_the_shipped_integration_targets_run_from_the_installed_collection(installed_collection):
    """As a maintainer runs them against the real cloud, with the emulator standing in for it (one target, both update
    modes; the stage integration-targets runs them all from the source tree)."""
    environment = dict(os.environ, PYTHONDONTWRITEBYTECODE='1')
    completed = subprocess.run([sys.executable, str(COLLECTION_DIR / 'tools' / 'run_integration_targets.py'),
                                '--collection', str(shipped_root(installed_collection)), 'volc_live_relay_source_info'],
                               env=environment, capture_output=True, text=True, timeout=600, check=False)
    assert completed.returncode == 0, completed.stdout[-5000:] + completed.stderr[-3000:]
    assert completed.stdout.count('Running volc_live_relay_source_info integration test role') == 2
    assert completed.stdout.strip().splitlines()[-1] == 'PASS: volc_live_relay_source_info'
