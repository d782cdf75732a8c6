# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The integration targets clean up after a failure: a target that fails half-way still deletes what it created,
because its tasks sit in a block whose `always` removes its apps. The stage integration-targets runs every target
when all goes well (tools/run_integration_targets.py); this test makes one fail on purpose, with an emulator fault,
and one stop at its guard before state=overridden, on an app of the prefix that is not a test run's."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
import shutil

from ansible_collections.volcengine.cloud.tests.e2e.conftest import COLLECTION_DIR
from ansible_collections.volcengine.cloud.tests.emulator.harness import Emulator
from ansible_collections.volcengine.cloud.tests.tool_loader import load_tool


def collection_copy(tmp_path):
    """A copy of the assembled collection of its own (ansible-test runs from .../ansible_collections/NS/NAME); without
    build/ and the venvs, which other tests (test_demo) may be writing at the same time."""
    copy = tmp_path / 'ansible_collections' / 'volcengine' / 'cloud'
    shutil.copytree(str(COLLECTION_DIR), str(copy), ignore=shutil.ignore_patterns('output', '__pycache__', 'build', '.venv*'))
    return copy


def run_only_the_state(collection, state):
    """The copy's volc_live_relay_sources target made to run ``state`` alone: the other state files of its
    tests/common go (the helpers stay) and sources_states lists ``state`` only, as the target checks."""
    target = collection / 'tests' / 'integration' / 'targets' / 'volc_live_relay_sources'
    for path in (target / 'tests' / 'common').glob('*.yaml'):
        if not path.name.startswith('_') and path.stem != state:
            path.unlink()
    variables = target / 'vars' / 'main.yml'
    text, count = re.subn(r'^sources_states: .*$', 'sources_states: [%s]' % state, variables.read_text(encoding='utf-8'),
                          flags=re.MULTILINE)
    assert count == 1, 'sources_states is no longer one line of %s' % variables
    variables.write_text(text, encoding='utf-8')


def test_a_target_that_fails_half_way_still_deletes_what_it_created(tmp_path):
    runner = load_tool('run_integration_targets')
    collection = collection_copy(tmp_path)
    with Emulator(update_mode='replace', rate_limit=0) as emulator:
        runner.write_config(str(collection), runner.emulator_config(emulator))
        # the first update (the create) passes, the second (the change of one server) is refused
        emulator.inject_fault(kind='error', status=400, code='InvalidParam', message='refused by the test',
                              actions=['UpdateRelaySourceV3'], skip=1)
        status, output = runner.run_ansible_test(str(collection), ['volc_live_relay_source'])
        writes = emulator.write_requests()
        left = emulator.state()['RelaySourceConfigList']

    assert status != 0
    assert 'refused by the test' in output and 'TASK [volc_live_relay_source : Change one server]' in output
    created = [request['body']['App'] for request in writes if request['action'] == 'UpdateRelaySourceV3'][0]
    assert created.startswith(runner.TEST_APP_PREFIX) and created.endswith('-one')
    assert 'TASK [volc_live_relay_source : Remove the app this target created]' in output
    assert writes[-1]['action'] == 'DeleteRelaySourceV3' and writes[-1]['body']['App'] == created
    assert left == []


def test_overridden_stops_before_an_app_that_merely_starts_with_the_prefix(tmp_path):
    """An app of the test vhost named like the prefix but not like a test run's app (prefix, six-character run id,
    "-") is not a test app: the target stops before state=overridden, and that app is never written. The target runs
    its overridden state alone (the stage integration-targets runs every state, and checks that every write of the
    targets names an app of a test run)."""
    runner = load_tool('run_integration_targets')
    collection = collection_copy(tmp_path)
    run_only_the_state(collection, 'overridden')
    production = {'Vhost': runner.TEST_VHOST, 'App': runner.TEST_APP_PREFIX + 'production',
                  'GroupDetails': [{'Group': 'primary', 'Servers': [runner.SEED_SERVER]}]}
    with Emulator(update_mode='replace', rate_limit=0) as emulator:
        emulator.set_state([production])
        seeded = emulator.state()['RelaySourceConfigList']
        runner.write_config(str(collection), runner.emulator_config(emulator))
        status, output = runner.run_ansible_test(str(collection), ['volc_live_relay_sources'])
        writes = emulator.write_requests()
        left = emulator.state()['RelaySourceConfigList']

    assert status != 0
    assert 'TASK [volc_live_relay_sources : The test vhost holds only apps of test runs' in output
    assert "holds apps that are not apps of a test run" in output and "'ansibletest-production'" in output
    assert 'TASK [volc_live_relay_sources : Override the vhost' not in output
    assert [request for request in writes if request['body'].get('App') == production['App']] == []
    assert all(runner.TEST_RUN_APP.match(request['body']['App']) for request in writes), writes
    assert left == seeded
