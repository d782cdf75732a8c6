# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fields the emulator does not model (BytePlus documents RetryTimes, LBType, Backup, Weight, Host, PullAuth, ...):
kept verbatim at app, group and server level, in seeded state and in Update bodies, and answered by Describe in
the same place; an Update replaces a sent group whole and keeps only the app-level fields it was sent."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible_collections.volcengine.cloud.tests.emulator import api_model

VHOST = 'push.example.com'


def pull_auth():
    """A nested unmodelled value, fresh each time (a test changes its copy)."""
    return {'Enable': True, 'Keys': ['k1', None], 'Ttl': 3600}


def server(domain, **fields):
    entry = {'RelaySourceDomain': domain, 'RelaySourceProtocol': 'rtmp', 'RelaySourceParams': {}}
    entry.update(fields)
    return entry


def group(name, servers, **fields):
    entry = {'Group': name, 'Servers': servers}
    entry.update(fields)
    return entry


def config(groups, **fields):
    entry = {'Vhost': VHOST, 'App': 'live', 'GroupDetails': groups}
    entry.update(fields)
    return entry


def seeded():
    """An app holding unmodelled fields at every level: group A and its server, group B, the app itself."""
    return config([group('A', [server('a.example.org', Host='origin.example.net', PullAuth=pull_auth())], Backup=False, Weight=3),
                   group('B', [server('b.example.org')], Backup=True)],
                  RetryTimes=2, LBType='roundrobin')


def described(client, **filters):
    [only] = client.describe(VHOST, **filters).json['Result']['RelaySourceConfigList']
    return only


def test_seeded_fields_come_back_from_describe_in_place_known_keys_first(emu, client):
    state = seeded()
    state['GroupDetails'][0]['Servers'][0] = dict([('OutboundConfig', {'Ip': '10.0.0.1'}), ('RelaySourceProtocol', 'rtmp'),
                                                   ('Host', 'origin.example.net'), ('RelaySourceDomain', 'a.example.org')])
    emu.set_state([dict([('LBType', 'roundrobin'), ('App', 'live'), ('GroupDetails', state['GroupDetails']), ('Vhost', VHOST)])])
    answer = described(client)
    assert list(answer) == ['Vhost', 'App', 'GroupDetails', 'LBType']
    assert list(answer['GroupDetails'][0]) == ['Group', 'Servers', 'Backup', 'Weight']
    first = answer['GroupDetails'][0]['Servers'][0]
    assert list(first) == ['RelaySourceDomain', 'RelaySourceProtocol', 'RelaySourceParams', 'OutboundConfig', 'Host']
    assert (first['OutboundConfig'], first['Host'], first['RelaySourceParams']) == ({'Ip': '10.0.0.1'}, 'origin.example.net', {})
    assert answer['GroupDetails'][1]['Backup'] is True
    assert emu.state()['RelaySourceConfigList'] == [answer]
    assert described(client, group='B')['LBType'] == 'roundrobin', 'the Group filter keeps the app-level fields'


def test_update_stores_any_json_value_and_describe_answers_it(emu, client):
    odd = {'Null': None, 'List': [1, 'two', {'three': 3}], 'Float': 1.5, 'False': False, 'Nested': {'a': {'b': []}}}
    body = config([group('A', [server('a.example.org', PullAuth=pull_auth(), **odd)], Weight=0, Backup=None)], RetryTimes=0, **odd)
    assert client.call('UpdateRelaySourceV3', body).status == 200
    answer = described(client)
    assert answer == body
    assert list(answer) == ['Vhost', 'App', 'GroupDetails', 'RetryTimes'] + list(odd)
    assert list(answer['GroupDetails'][0]['Servers'][0])[3:] == ['PullAuth'] + list(odd)


@pytest.mark.parametrize('mode', api_model.UPDATE_MODES)
def test_a_sent_group_is_replaced_whole_an_unsent_one_kept_and_unsent_app_fields_dropped(emu, client, mode):
    emu.set_state([seeded()])
    emu.settings(update_mode=mode)
    sent = group('A', [server('a2.example.org', Host='new.example.net')], Weight=5)
    assert client.call('UpdateRelaySourceV3', config([sent], LBType='hash')).status == 200
    answer = described(client)
    by_name = dict((entry['Group'], entry) for entry in answer['GroupDetails'])
    assert by_name['A'] == sent, 'exactly the sent content: Backup and PullAuth not sent, so gone'
    if mode == 'replace':
        assert list(by_name) == ['A']
    else:
        assert by_name['B'] == seeded()['GroupDetails'][1], 'a group not sent keeps every field'
    assert (answer.get('LBType'), 'RetryTimes' in answer) == ('hash', False), 'app-level fields not sent are dropped'


@pytest.mark.parametrize('mode', api_model.UPDATE_MODES)
def test_an_update_without_app_fields_drops_them_all(emu, client, mode):
    emu.set_state([seeded()])
    emu.settings(update_mode=mode)
    assert client.update(VHOST, 'live', [group('C', [server('c.example.org')])]).status == 200
    assert list(described(client)) == ['Vhost', 'App', 'GroupDetails']


def test_delete_of_a_group_keeps_the_other_groups_and_the_app_fields(emu, client):
    emu.set_state([seeded()])
    assert client.delete(VHOST, 'live', 'A').status == 200
    expected = seeded()
    del expected['GroupDetails'][0]
    assert described(client) == expected


@pytest.mark.parametrize('body, code, field', [
    (config([group('A', [server('a.example.org', RelaySourceProtocol='hls', Host='h')], Weight=1)], LBType='x'), 'InvalidParam',
     'RelaySourceProtocol'),
    (config([group('A', [server('a.example.org', RelaySourceParams={'k': 1}, Host='h')])]), 'InvalidParam.BindError',
     'RelaySourceParams'),
    (config([group('', [server('a.example.org')], Backup=True)]), 'InvalidParam', 'Group'),
    (config([group('A', [], Weight=1)]), 'InvalidParam', 'Servers'),
    (config([group('A', [server('a.example.org')])], App=None, RetryTimes=1), 'InvalidParam', 'App'),
])
def test_unmodelled_fields_never_relax_the_checks_of_the_modelled_ones(emu, client, body, code, field):
    reply = client.call('UpdateRelaySourceV3', dict((key, value) for key, value in body.items() if value is not None))
    assert (reply.status, reply.code) == (400, code), reply
    assert field in reply.error['Message']
    assert emu.state()['RelaySourceConfigList'] == []


def test_state_file_keeps_the_fields_across_a_restart(tmp_path):
    state_file = str(tmp_path / 'state.json')
    model = api_model.LiveAPIModel(state=[seeded()], state_file=state_file, rate_limit=0, update_mode='merge')
    body = config([group('B', [server('b.example.org', Host='b.example.net')])], RetryTimes=4)
    assert model.answer('UpdateRelaySourceV3', api_model.API_VERSION, json.dumps(body)).status == 200
    reloaded = api_model.LiveAPIModel(state_file=state_file, rate_limit=0).state_document()['RelaySourceConfigList']
    expected = seeded()
    expected['GroupDetails'][1] = body['GroupDetails'][0]
    del expected['LBType']
    expected['RetryTimes'] = 4
    assert reloaded == [expected]
    assert list(reloaded[0]['GroupDetails'][0]['Servers'][0])[3:] == ['Host', 'PullAuth']


def test_a_seeded_value_is_copied_not_shared():
    state = seeded()
    model = api_model.LiveAPIModel(state=[state], rate_limit=0)
    state['GroupDetails'][0]['Servers'][0]['PullAuth']['Keys'].append('k2')
    state['RetryTimes'] = 9
    [kept] = model.state_document()['RelaySourceConfigList']
    assert kept['GroupDetails'][0]['Servers'][0]['PullAuth'] == pull_auth() and kept['RetryTimes'] == 2
