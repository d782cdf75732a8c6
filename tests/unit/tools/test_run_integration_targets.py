# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tools/run_integration_targets.py: the configuration it writes (credentials) is 0600 from its creation on, and
the emulator check accepts writes to apps of a test run only (prefix, six-character run id, "-"), in the test vhost
(the Domain of a fixed-trigger write), and a state left as it was seeded."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import stat

import pytest
import yaml

from ansible_collections.volcengine.cloud.tests.tool_loader import load_tool


@pytest.fixture(scope='module')
def runner():
    return load_tool('run_integration_targets')


@pytest.fixture
def collection(tmp_path):
    (tmp_path / 'tests' / 'integration').mkdir(parents=True)
    return tmp_path


def mode_of(path):
    return stat.S_IMODE(os.stat(str(path)).st_mode)


@pytest.fixture
def modes_at_creation(monkeypatch):
    """The mode of every file os.open creates, read on its descriptor at once; os.chmod is refused."""
    seen = []
    real_open = os.open

    def no_chmod(*_args, **_kwargs):
        raise AssertionError('the file must be created private, not made private afterwards')
    monkeypatch.setattr(os, 'chmod', no_chmod)

    def recording_open(path, flags, mode=0o777, **kwargs):
        descriptor = real_open(path, flags, mode, **kwargs)
        if flags & os.O_CREAT:
            seen.append(stat.S_IMODE(os.fstat(descriptor).st_mode))
        return descriptor
    monkeypatch.setattr(os, 'open', recording_open)
    return seen


@pytest.mark.parametrize('umask', [0o022, 0o000, 0o077], ids=oct)
def test_the_written_configuration_is_0600_from_its_creation(runner, collection, modes_at_creation, umask):
    previous = os.umask(umask)
    try:
        runner.write_config(str(collection), {'volcengine_secret_key': 'emulator-secret'})
    finally:
        os.umask(previous)
    path = collection / runner.CONFIG_PATH
    assert modes_at_creation == [0o600]
    assert mode_of(path) == 0o600
    assert yaml.safe_load(path.read_text())['volcengine_secret_key'] == 'emulator-secret'


def test_the_copied_configuration_is_0600_from_its_creation(runner, collection, tmp_path, modes_at_creation):
    source = tmp_path / 'maintainer.yml'
    source.write_text(u'volcengine_secret_key: real-secret\n')  # as readable as the umask lets it be
    runner.copy_config(str(source), str(collection))
    path = collection / runner.CONFIG_PATH
    assert modes_at_creation == [0o600]
    assert mode_of(path) == 0o600
    assert path.read_text() == u'volcengine_secret_key: real-secret\n'


def test_a_leftover_configuration_is_replaced_by_a_private_one(runner, collection):
    path = collection / runner.CONFIG_PATH
    path.write_text(u'old: true\n')
    os.chmod(str(path), 0o644)
    runner.write_config(str(collection), {'new': True})
    assert mode_of(path) == 0o600
    assert yaml.safe_load(path.read_text()) == {'new': True}


def test_a_symbolic_link_in_place_of_the_configuration_is_never_followed(runner, collection, tmp_path):
    target = tmp_path / 'elsewhere.txt'
    target.write_text(u'untouched\n')
    path = collection / runner.CONFIG_PATH
    path.symlink_to(target)
    runner.write_config(str(collection), {'volcengine_secret_key': 'x'})
    assert not path.is_symlink() and mode_of(path) == 0o600
    assert target.read_text() == u'untouched\n'


class FakeEmulator(object):
    def __init__(self, apps, scheduled_writes=(), state=None):
        self.apps = apps
        self.scheduled_writes = list(scheduled_writes)
        self.held = state or {'RelaySourceConfigList': [], 'RelaySourceV4List': []}

    def write_requests(self):
        return [{'action': 'UpdateRelaySourceV3', 'body': {'Vhost': 'ansible-test.example.com', 'App': app}}
                for app in self.apps] + self.scheduled_writes

    def state(self):
        return self.held


EMPTY = {'RelaySourceConfigList': [], 'RelaySourceV4List': []}


@pytest.mark.parametrize('app, allowed', [
    ('ansibletest-k3x9q2-one', True),
    ('ansibletest-000000-a', True),
    ('ansibletest-production', False),
    ('ansibletest-prod-a', False),
    ('ansibletest-K3X9Q2-one', False),
    ('ansibletest-k3x9q2', False),
    ('xansibletest-k3x9q2-one', False),
])
def test_only_writes_to_apps_of_a_test_run_are_in_scope(runner, app, allowed):
    problems = runner.emulator_problems(FakeEmulator([app]), EMPTY)
    assert (problems == []) is allowed, problems


@pytest.mark.parametrize('body, allowed', [
    ({'Domain': 'ansible-test.example.com', 'App': 'ansibletest-k3x9q2-sa', 'Stream': 'final'}, True),
    ({'Domain': 'pull.example.com', 'App': 'ansibletest-k3x9q2-sa', 'Stream': 'final'}, False),
    ({'Domain': 'ansible-test.example.com', 'App': 'ansibletest-production', 'Stream': 'final'}, False),
    ({'Vhost': 'ansible-test.example.com', 'App': 'ansibletest-k3x9q2-sa', 'Stream': 'final'}, False),
])
def test_fixed_trigger_writes_are_in_scope_by_their_domain(runner, body, allowed):
    write = {'action': 'CreateRelaySourceV4', 'body': body}
    problems = runner.emulator_problems(FakeEmulator([], [write]), EMPTY)
    assert (problems == []) is allowed, problems


def test_a_leftover_of_either_kind_is_a_problem(runner):
    stream = {'Domain': 'pull.example.com', 'App': 'live', 'Stream': 'final', 'SrcAddrS': [], 'StartTime': 0, 'EndTime': 0}
    assert runner.emulator_problems(FakeEmulator([], state=dict(EMPTY, RelaySourceV4List=[stream])), EMPTY) == [
        'the RelaySourceV4List after the targets is not the one before them: [%r]' % stream]
    assert runner.emulator_problems(FakeEmulator([], state=dict(EMPTY, RelaySourceV4List=[stream])),
                                    dict(EMPTY, RelaySourceV4List=[stream])) == []
