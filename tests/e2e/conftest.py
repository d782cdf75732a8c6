# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by the integration tests: a running emulator and real ansible-playbook runs against it.

The tests run from an assembled copy (``<root>/ansible_collections/volcengine/cloud``); ``<root>`` becomes
ANSIBLE_COLLECTIONS_PATH, so the playbooks use exactly the code under test.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import itertools
import json
import os
import pathlib
import subprocess
import sys

import pytest

from ansible_collections.volcengine.cloud.tests.emulator.harness import Emulator

INTEGRATION_DIR = pathlib.Path(__file__).resolve().parent
COLLECTION_DIR = INTEGRATION_DIR.parent.parent
COLLECTIONS_ROOT = COLLECTION_DIR.parents[2]
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')

if COLLECTION_DIR.parents[1].name != 'ansible_collections':
    raise RuntimeError('Run the integration tests from an assembled copy (tools/assemble_collection.py), '
                       'not from %s' % COLLECTION_DIR)

# Variables of the caller's shell that would change what the playbooks do.
_LEAKY_PREFIXES = ('VOLCENGINE_', 'ANSIBLE_')


class PlaybookRun(object):
    def __init__(self, command, completed, results):
        self.command = command
        self.rc = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr
        self.results = results

    @property
    def changed_count(self):
        return sum(1 for entry in self.results if entry['status'] == 'changed')

    @property
    def failed_count(self):
        return sum(1 for entry in self.results if entry['status'] in ('failed', 'unreachable'))

    def task(self, name):
        matches = [entry for entry in self.results if entry['task'] == name]
        if not matches:
            raise KeyError('no result for task %r; tasks seen: %s' % (name, sorted({entry['task'] for entry in self.results})))
        return matches[-1]

    def __repr__(self):
        return 'PlaybookRun(rc=%s, command=%s)\n--- stdout ---\n%s\n--- stderr ---\n%s' % (
            self.rc, ' '.join(self.command), self.stdout, self.stderr)


def _playbook_path(playbook, workdir):
    """``playbook``: the YAML text of a playbook, or the absolute path of one."""
    if '\n' in playbook:
        path = workdir / 'inline_playbook.yml'
        path.write_text(playbook, encoding='utf-8')
        return path
    path = pathlib.Path(playbook)
    if not path.is_absolute():
        raise ValueError('run_playbook takes a playbook as YAML text or an absolute path, not %s' % playbook)
    return path


def _inventory_path(inventory, workdir):
    if inventory is None:
        inventory = 'localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable
    if '\n' not in inventory:
        return pathlib.Path(inventory)
    path = workdir / 'inventory.ini'
    path.write_text(inventory, encoding='utf-8')
    return path


@pytest.fixture
def run_playbook(tmp_path):
    counter = itertools.count(1)  # next() is atomic: tests may run playbooks from several threads at once

    def run(playbook, emulator=None, extra_vars=None, check=False, diff=False, verbosity=0, env=None,
            forks=None, inventory=None, timeout=300, background=False):
        """Run ``playbook`` and return its PlaybookRun; with ``background``, start it in a process group of its own
        and return (the Popen, a function that waits for it and returns its PlaybookRun)."""
        workdir = tmp_path / ('run%d' % next(counter))
        workdir.mkdir()
        record_file = workdir / 'results.jsonl'
        record_file.touch()

        environment = {key: value for key, value in os.environ.items() if not key.startswith(_LEAKY_PREFIXES)}
        environment.update({
            'ANSIBLE_COLLECTIONS_PATH': str(COLLECTIONS_ROOT),
            'ANSIBLE_COLLECTIONS_SCAN_SYS_PATH': 'False',
            'ANSIBLE_CALLBACK_PLUGINS': str(INTEGRATION_DIR / 'callback_plugins'),
            'ANSIBLE_CALLBACKS_ENABLED': 'volcengine_test_recorder',
            'VOLCENGINE_TEST_RECORD_FILE': str(record_file),
            'ANSIBLE_LOCAL_TEMP': str(workdir / 'ansible-tmp'),
            'ANSIBLE_LOCALHOST_WARNING': 'False',
            'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'False',
            'ANSIBLE_RETRY_FILES_ENABLED': 'False',
            'ANSIBLE_NOCOLOR': '1',
            'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
        })
        all_extra_vars = dict(extra_vars or {})
        if emulator is not None:
            environment.update({
                'VOLCENGINE_ENDPOINT': emulator.url,
                'VOLCENGINE_ACCESS_KEY': emulator.access_key,
                'VOLCENGINE_SECRET_KEY': emulator.secret_key,
                'VOLCENGINE_RATE_LIMIT': '0',
            })
            all_extra_vars.setdefault('emulator_url', emulator.url)
        for key, value in (env or {}).items():
            if value is None:
                environment.pop(key, None)
            else:
                environment[key] = str(value)

        command = [ANSIBLE_PLAYBOOK, '-i', str(_inventory_path(inventory, workdir)), str(_playbook_path(playbook, workdir))]
        if all_extra_vars:
            command += ['--extra-vars', json.dumps(all_extra_vars)]
        if check:
            command.append('--check')
        if diff:
            command.append('--diff')
        if verbosity:
            command.append('-' + 'v' * verbosity)
        if forks:
            command += ['--forks', str(forks)]

        def recorded(completed):
            with record_file.open(encoding='utf-8') as records:
                results = [json.loads(line) for line in records if line.strip()]
            return PlaybookRun(command, completed, results)

        if background:
            process = subprocess.Popen(command, env=environment, cwd=str(workdir), stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True, start_new_session=True)

            def finish():
                stdout, stderr = process.communicate(timeout=timeout)
                return recorded(subprocess.CompletedProcess(command, process.returncode, stdout, stderr))
            return process, finish
        return recorded(subprocess.run(command, env=environment, cwd=str(workdir), capture_output=True, text=True,
                                       timeout=timeout, check=False))

    return run


@pytest.fixture(params=['replace', 'merge'])
def emulator(request):
    with Emulator(update_mode=request.param, rate_limit=0) as running:
        yield running


@pytest.fixture
def emulator_replace():
    with Emulator(update_mode='replace', rate_limit=0) as running:
        yield running


def run_tool(*command, **options):
    """Run a command of this Python's environment (``command[0]`` is looked up beside sys.executable); its stdout,
    or an assertion error with its output."""
    command = (os.path.join(os.path.dirname(sys.executable), command[0]),) + command[1:]
    completed = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600, **options)
    assert completed.returncode == 0, '%s\n%s\n%s' % (' '.join(command), completed.stdout, completed.stderr)
    return completed.stdout


@pytest.fixture(scope='session')
def installed_collection(tmp_path_factory):
    """The collection as users get it: built with ansible-galaxy from this assembled copy and installed into a
    collections path of its own, which is returned (the parent of ansible_collections/)."""
    workdir = tmp_path_factory.mktemp('artifact')
    run_tool('ansible-galaxy', 'collection', 'build', str(COLLECTION_DIR), '--output-path', str(workdir))
    tarball = next(workdir.glob('volcengine-cloud-*.tar.gz'))
    installed = workdir / 'collections'
    # Outside the source tree: run from inside an ansible_collections/ folder, ansible-galaxy would find the
    # collection "already installed" and install nothing.
    run_tool('ansible-galaxy', 'collection', 'install', '--offline', '--force', '-p', str(installed), str(tarball),
             cwd=str(workdir))
    return installed
