# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The built artifact declares its Python requirements so ansible-builder puts them into an execution
environment for AWX / Automation Controller."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import pathlib
import subprocess
import sys

import yaml

COLLECTION_DIR = pathlib.Path(__file__).resolve().parents[2]
BIN_DIR = os.path.dirname(sys.executable)


def run(*command, **options):
    completed = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300, **options)
    assert completed.returncode == 0, '%s\n%s\n%s' % (' '.join(command), completed.stdout, completed.stderr)
    return completed.stdout


def test_ansible_builder_introspect_lists_requests_from_the_built_collection(tmp_path):
    run(os.path.join(BIN_DIR, 'ansible-galaxy'), 'collection', 'build', str(COLLECTION_DIR),
        '--output-path', str(tmp_path))
    tarball = next(tmp_path.glob('volcengine-cloud-*.tar.gz'))
    installed = tmp_path / 'collections'
    # Outside the source tree: run from inside an ansible_collections/ folder, ansible-galaxy would find the
    # collection "already installed" and install nothing.
    run(os.path.join(BIN_DIR, 'ansible-galaxy'), 'collection', 'install', '--offline', '--force', '-p', str(installed),
        str(tarball), cwd=str(tmp_path))

    report = yaml.safe_load(run(os.path.join(BIN_DIR, 'ansible-builder'), 'introspect', str(installed), cwd=str(tmp_path)))

    # ansible-builder 3 lists 'requests>=2.20  # from collection volcengine.cloud'
    assert [line for line in report['python'] if 'volcengine.cloud' in line] == ['requests>=2.20  # from collection volcengine.cloud']
    # The emulator and the developer tools are test-only: they must not ship.
    shipped = installed / 'ansible_collections' / 'volcengine' / 'cloud'
    assert not (shipped / 'tests' / 'emulator').exists()
    assert (shipped / 'plugins' / 'modules' / 'volc_live_relay_source.py').exists()
