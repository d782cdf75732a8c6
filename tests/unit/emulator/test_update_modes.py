# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's update modes: what UpdateRelaySourceV3 leaves as an app's group list under each of them, in the
model and through every place a mode is chosen (settings, the control interface, the command line, the harness)."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible_collections.volcengine.cloud.tests.emulator import api_model, live_emulator
from ansible_collections.volcengine.cloud.tests.emulator.harness import Emulator, EmulatorError
from ansible_collections.volcengine.cloud.tests.unit.emulator.conftest import SDKClient

VHOST = 'push.example.com'
UPDATE = 'UpdateRelaySourceV3'
OLD, NEW = 'old.example.org', 'new.example.org'


def group(name, domain):
    return {'Group': name, 'Servers': [{'RelaySourceDomain': domain, 'RelaySourceProtocol': 'rtmp'}]}


def stored_groups(names):
    return [group(name, '%s.%s' % (name.lower(), OLD)) for name in names]


def sent_groups(names):
    return [group(name, '%s.%s' % (name.lower(), NEW)) for name in names]


def update(model, names):
    body = {'Vhost': VHOST, 'App': 'live', 'GroupDetails': sent_groups(names)}
    reply = model.answer(UPDATE, api_model.API_VERSION, json.dumps(body))
    assert (reply.status, reply.error) == (200, None), reply


def groups_after(model):
    """[(group name, 'new' or 'old': whether it holds the content sent or the content seeded)] of the app."""
    [config] = model.state_document()['RelaySourceConfigList']
    return [(g['Group'], g['Servers'][0]['RelaySourceDomain'].split('.', 1)[1].split('.')[0]) for g in config['GroupDetails']]


# (stored, sent, {mode: the group list after the update}); a sent group always carries the sent content.
CASES = [
    ('ABC', 'CA', {'replace': 'CA', 'merge': 'ABC', 'merge_first': 'CAB', 'merge_last': 'BCA'}),
    ('ABC', 'B', {'replace': 'B', 'merge': 'ABC', 'merge_first': 'BAC', 'merge_last': 'ACB'}),
    ('AB', 'C', {'replace': 'C', 'merge': 'ABC', 'merge_first': 'CAB', 'merge_last': 'ABC'}),
    ('ABC', 'DB', {'replace': 'DB', 'merge': 'ABCD', 'merge_first': 'DBAC', 'merge_last': 'ACDB'}),
    ('ABC', 'CBA', {'replace': 'CBA', 'merge': 'ABC', 'merge_first': 'CBA', 'merge_last': 'CBA'}),
    ('', 'BA', {'replace': 'BA', 'merge': 'BA', 'merge_first': 'BA', 'merge_last': 'BA'}),
]


def test_every_mode_is_covered_by_the_cases():
    assert api_model.UPDATE_MODES == ('replace', 'merge', 'merge_first', 'merge_last')
    assert all(set(expected) == set(api_model.UPDATE_MODES) for _stored, _sent, expected in CASES)
    assert sorted(api_model.GROUP_LIST_AFTER_UPDATE) == sorted(api_model.UPDATE_MODES)


@pytest.mark.parametrize('mode', api_model.UPDATE_MODES)
@pytest.mark.parametrize('stored, sent, expected', CASES, ids=['%s+%s' % (case[0] or '-', case[1]) for case in CASES])
def test_update_mode_orders_and_contents(mode, stored, sent, expected):
    state = [{'Vhost': VHOST, 'App': 'live', 'GroupDetails': stored_groups(stored)}] if stored else []
    model = api_model.LiveAPIModel(state=state, rate_limit=0, update_mode=mode)
    update(model, sent)
    assert groups_after(model) == [(name, 'new' if name in sent else 'old') for name in expected[mode]]


@pytest.mark.parametrize('mode', api_model.UPDATE_MODES)
def test_merge_keeps_a_seeded_duplicate_as_before_and_the_other_upserts_keep_no_stale_copy(mode):
    """A seeded state may repeat a name (odd states are allowed): merge replaces the first copy only, as it always
    did; merge_first and merge_last keep no stored copy of a name that was sent."""
    model = api_model.LiveAPIModel(state=[{'Vhost': VHOST, 'App': 'live', 'GroupDetails': stored_groups('ABA')}], rate_limit=0,
                                   update_mode=mode)
    update(model, 'A')
    assert groups_after(model) == {'replace': [('A', 'new')], 'merge': [('A', 'new'), ('B', 'old'), ('A', 'old')],
                                   'merge_first': [('A', 'new'), ('B', 'old')], 'merge_last': [('B', 'old'), ('A', 'new')]}[mode]


@pytest.mark.parametrize('mode', api_model.UPDATE_MODES)
def test_each_mode_through_the_control_interface_and_describe(emu, client, mode):
    emu.set_state([{'Vhost': VHOST, 'App': 'live', 'GroupDetails': stored_groups('ABC')}])
    assert emu.settings(update_mode=mode)['update_mode'] == mode
    assert client.update(VHOST, 'live', sent_groups('CA')).status == 200
    [config] = client.describe(VHOST, 'live').json['Result']['RelaySourceConfigList']
    assert [g['Group'] for g in config['GroupDetails']] == list(CASES[0][2][mode])
    assert {g['Group']: g['Servers'][0]['RelaySourceDomain'] for g in config['GroupDetails']}['C'] == 'c.' + NEW


def test_an_unknown_mode_is_refused_naming_the_modes(emu):
    with pytest.raises(EmulatorError, match='update_mode must be one of replace, merge, merge_first, merge_last'):
        emu.settings(update_mode='merge_middle')
    with pytest.raises(api_model.ControlError):
        api_model.LiveAPIModel(update_mode='upsert')


def test_command_line_offers_every_mode_with_help():
    [option] = [action for action in live_emulator.build_parser()._actions if '--update-mode' in action.option_strings]
    assert tuple(option.choices) == api_model.UPDATE_MODES and option.default == 'replace'
    assert all(mode in option.help for mode in api_model.UPDATE_MODES)
    assert live_emulator.parse_args(['--update-mode', 'merge_first']).update_mode == 'merge_first'
    assert live_emulator.parse_args(['--update-mode', 'merge_last']).update_mode == 'merge_last'
    with pytest.raises(SystemExit):
        live_emulator.parse_args(['--update-mode', 'merge_middle'])


def test_harness_starts_the_emulator_in_a_new_mode():
    with Emulator(update_mode='merge_last', rate_limit=0) as running:
        assert running.settings()['update_mode'] == 'merge_last'
        running.set_state([{'Vhost': VHOST, 'App': 'live', 'GroupDetails': stored_groups('AB')}])
        assert SDKClient(running).update(VHOST, 'live', sent_groups('A')).status == 200
        assert [g['Group'] for g in running.state()['RelaySourceConfigList'][0]['GroupDetails']] == ['B', 'A']
