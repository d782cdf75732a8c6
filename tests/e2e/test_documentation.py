# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every playbook of the user guide, the README and examples/ follows the localhost convention and runs as written
against the emulator, on a `-i localhost,` inventory and without an interpreter set from outside the playbook. New
playbooks are found by documentation.py."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.volcengine.cloud.tests.e2e.documentation import (
    INTERPRETER,
    LOCALHOST_CONVENTION,
    documented_playbooks,
    plays_of,
)

PLAYBOOKS = documented_playbooks()
# As a user runs them: a one-host inventory, and no interpreter but the one the play sets.
AS_WRITTEN = dict(inventory='localhost,', env={'ANSIBLE_PYTHON_INTERPRETER': None})


def test_the_documented_playbooks_are_found():
    # guards the search itself: the guide's getting-started and module_defaults plays, the README's two, the demo's
    # (its data files, such as examples/whole_vhost/push.example.com.yml, are vars files, not playbooks)
    assert sum(1 for name in PLAYBOOKS if name.startswith('guide-')) >= 2
    assert sum(1 for name in PLAYBOOKS if name.startswith('readme-')) >= 2
    assert {'examples/demo.yml', 'examples/show_relay_sources.yml', 'examples/whole_vhost/gather.yml',
            'examples/whole_vhost/apply.yml'} <= set(PLAYBOOKS)
    assert 'examples/whole_vhost/push.example.com.yml' not in PLAYBOOKS
    assert sum(1 for playbook in PLAYBOOKS.values() if 'module_defaults' in str(plays_of(playbook))) >= 2


@pytest.mark.parametrize('name', sorted(PLAYBOOKS))
def test_the_playbook_follows_the_localhost_convention(name):
    for play in plays_of(PLAYBOOKS[name]):
        assert {key: play.get(key) for key in LOCALHOST_CONVENTION} == LOCALHOST_CONVENTION, play.get('name')
        assert (play.get('vars') or {}).get('ansible_python_interpreter') == INTERPRETER, play.get('name')


@pytest.mark.parametrize('name', sorted(PLAYBOOKS))
def test_the_playbook_runs_as_written_and_again_changes_nothing(name, emulator_replace, run_playbook):
    playbook = PLAYBOOKS[name]
    first = run_playbook(str(playbook), emulator=emulator_replace, **AS_WRITTEN)
    assert first.rc == 0 and first.failed_count == 0, first
    assert 'WARNING' not in first.stdout + first.stderr, first
    emulator_replace.clear_requests()
    second = run_playbook(str(playbook), emulator=emulator_replace, **AS_WRITTEN)
    assert second.rc == 0 and second.changed_count == 0, second
    assert emulator_replace.write_requests() == []


@pytest.mark.parametrize('name', sorted(name for name, playbook in PLAYBOOKS.items() if 'module_defaults' in str(plays_of(playbook))))
def test_module_defaults_give_the_keys_from_variables_when_the_environment_has_none(name, emulator_replace, run_playbook):
    keys = {'volcengine_access_key': emulator_replace.access_key, 'volcengine_secret_key': emulator_replace.secret_key}
    run = run_playbook(str(PLAYBOOKS[name]), emulator=emulator_replace, extra_vars=keys, inventory='localhost,',
                       env={'ANSIBLE_PYTHON_INTERPRETER': None, 'VOLCENGINE_ACCESS_KEY': None, 'VOLCENGINE_SECRET_KEY': None})
    assert run.rc == 0 and run.failed_count == 0, run
    assert emulator_replace.requests() and all(entry['signature_valid'] for entry in emulator_replace.requests())
