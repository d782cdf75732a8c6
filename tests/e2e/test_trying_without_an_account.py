# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The user guide's "Trying it without an account" runs as written, in a fresh copy of the source tree: `make install`
(the demo venv, the artifact, the collection in ~/.ansible/collections), the emulator started by hand, the variables
exported, the getting-started playbook reviewed, applied and rerun, the emulator stopped.

Two things differ from a newcomer's machine: the emulator's port (a free one replaces 8080) and HOME (a fresh one,
so ~/.ansible/collections is the test's own). The copy lies at a fixed place under the build root and keeps its
.venv-demo from one run to the next (a venv cannot move), so only the first run builds it from the package index
(what `make demo` measures cold); later runs find it current. Everything else in the copy is new each run.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import re
import shutil
import signal
import socket
import subprocess
import sys

from ansible_collections.volcengine.cloud.tests.e2e.conftest import COLLECTIONS_ROOT
from ansible_collections.volcengine.cloud.tests.e2e.documentation import (
    COLLECTION_DIR,
    guide_code_blocks,
    guide_section,
    is_playbook,
)

SECTION = 'ansible_collections.volcengine.cloud.docsite.guide.without_account'
SHOWN_PORT = '8080'
CLONE = COLLECTIONS_ROOT / 'trying-without-an-account'
DEMO_VENV = '.venv-demo'
RECAP = re.compile(r'^localhost\s*: ok=\d+\s+changed=(\d+)\s+unreachable=0\s+failed=0', re.MULTILINE)


def free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return str(probe.getsockname()[1])


def fresh_copy_of_the_source_tree():
    """CLONE holding the files of this checkout, as a clone has them (a git repository without build/), and the
    .venv-demo of the previous run, if any."""
    if CLONE.exists():
        for entry in CLONE.iterdir():
            if entry.name == DEMO_VENV:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(str(entry))
            else:
                entry.unlink()
    shutil.copytree(str(COLLECTION_DIR), str(CLONE), symlinks=True, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns('.git', 'build', '.venv*', 'output', '__pycache__', '.nox'))
    subprocess.run(['git', 'init', '--quiet', str(CLONE)], check=True)


def test_trying_it_without_an_account_runs_as_written(tmp_path):
    commands = [line[2:] for line in guide_code_blocks('console', guide_section(SECTION))[0].splitlines()
                if line.startswith('$ ')]
    assert commands[0].startswith('make install') and commands[-1].startswith('kill %1')
    port = free_port()
    script = '\n'.join(['set -e'] + [command.replace(SHOWN_PORT, port) for command in commands])

    fresh_copy_of_the_source_tree()
    # "relay.yml from above": the getting-started playbook of the guide
    (CLONE / 'relay.yml').write_text(next(block for block in guide_code_blocks('yaml+jinja') if is_playbook(block)),
                                     encoding='utf-8')
    home = tmp_path / 'home'
    home.mkdir()
    test_venv_bin = os.path.dirname(sys.executable)
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(('ANSIBLE_', 'VOLCENGINE_')) and key not in ('PYTHONPATH', 'VIRTUAL_ENV')}
    environment.update(HOME=str(home), PATH=os.pathsep.join(
        entry for entry in os.environ.get('PATH', '').split(os.pathsep) if entry != test_venv_bin))

    process = subprocess.Popen(['bash', '-c', script], cwd=str(CLONE), env=environment, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, universal_newlines=True, start_new_session=True)
    try:
        output = process.communicate(timeout=900)[0]
    finally:
        try:  # the emulator, should the script have stopped before `kill %1`
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert process.returncode == 0, output[-6000:]

    assert 'http://127.0.0.1:%s' % port in output
    assert (home / '.ansible' / 'collections' / 'ansible_collections' / 'volcengine' / 'cloud' / 'MANIFEST.json').is_file()
    # review (changed, with the diff naming the app), apply (changed), rerun (changed=0)
    assert RECAP.findall(output) == ['1', '1', '0'], output[-6000:]
    assert '--- before: relay source push.example.com/live' in output
    assert 'WARNING' not in output.split('Installed build/volcengine-cloud-', 1)[1], output[-6000:]
