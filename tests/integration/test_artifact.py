# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the built artifact ships runs from an installed collection: the pytest drivers of tests/integration (they
need the source tree's tools/ and its assembled copy) stay out, every collection import of a shipped Python file
resolves inside the artifact, and the shipped unit tests pass there."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast
import os
import subprocess
import sys

PACKAGE = 'ansible_collections.volcengine.cloud'


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


def test_the_integration_test_drivers_stay_out_and_what_the_shipped_tests_need_ships(installed_collection):
    tests = shipped_root(installed_collection) / 'tests'
    pytest_files = [path.name for path in (tests / 'integration').glob('*.py')]
    assert pytest_files == [] and not (tests / 'integration' / 'playbooks').exists()
    assert not (tests / 'integration' / 'callback_plugins').exists()
    for needed in ('emulator/api_model.py', 'emulator/signature_check.py', 'emulator/live_emulator.py',
                   'emulator/harness.py', 'unit/model_client.py', 'unit/plugins/module_utils/hostile_server.py'):
        assert (tests / needed).is_file(), needed


def test_every_collection_import_of_a_shipped_file_resolves_inside_the_artifact(installed_collection):
    root = shipped_root(installed_collection)
    python_files = sorted(root.rglob('*.py'))
    assert any(path.name == 'test_relay_source_logic.py' for path in python_files)
    unresolved = ['%s imports %s' % (path.relative_to(root), name)
                  for path in python_files for name in collection_imports(path, root) if not resolves(root, name)]
    assert unresolved == []


def test_the_shipped_unit_tests_pass_in_the_installed_collection(installed_collection):
    environment = dict(os.environ, PYTHONPATH=str(installed_collection), PYTHONDONTWRITEBYTECODE='1')
    completed = subprocess.run([sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests/unit'],
                               cwd=str(shipped_root(installed_collection)), env=environment, capture_output=True,
                               text=True, timeout=900, check=False)
    summary = completed.stdout.strip().splitlines()[-1] if completed.stdout.strip() else ''
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert ' passed' in summary and 'skipped' not in summary and 'error' not in summary, summary
