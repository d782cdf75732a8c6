# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Units for relay_source_api.py: the checks of a Describe answer (read into StoredApps or failing closed with
InvalidResponse and the path of the odd field), the request bodies, and the calls (describe, read_app(s),
send_write)."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

import pytest

from ansible_collections.volcengine.cloud.plugins.module_utils.client import APIResponse
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineError, VolcengineResponseError
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source import StoredApp, normalize_groups
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_api import (
    ACTION_DELETE, ACTION_DESCRIBE, ACTION_UPDATE, API_VERSION, apps_from_describe_answer, delete_body, describe, groups_to_api,
    read_app, read_apps, send_write, update_body)
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_input import validate_app, validate_group_name
from ansible_collections.volcengine.cloud.tests.unit.model_client import app_config, groups_of, model_client
from ansible_collections.volcengine.cloud.tests.unit.odd_answers import ODD_DESCRIBE_RESULTS, describe_result

VHOST, APP = 'push.example.com', 'live'
DESCRIBE, UPDATE, DELETE = 'DescribeRelaySourceV3', 'UpdateRelaySourceV3', 'DeleteRelaySourceV3'
ENTRY = 'Result.RelaySourceConfigList[%d]'


def group(name, *domains, **kwargs):
    protocol = kwargs.get('protocol', 'rtmp')
    return {'name': name, 'servers': [{'domain': domain, 'protocol': protocol, 'params': kwargs.get('params', {})}
                                      for domain in (domains or ('%s.example.org' % name,))]}


def answer(result, request_id='r-1'):
    return APIResponse(result, request_id, 1)


def configs_of(result, vhost=VHOST):
    """The configurations (the modules' shape) a Describe answer of ``result`` for ``vhost`` lists."""
    return [stored.config() for stored in apps_from_describe_answer(answer(result), vhost)]


def answer_error(result, vhost=VHOST):
    """The VolcengineResponseError a Describe answer of ``result`` for ``vhost`` raises."""
    with pytest.raises(VolcengineResponseError) as raised:
        apps_from_describe_answer(answer(result), vhost)
    error = raised.value
    assert isinstance(error, VolcengineError) and error.code == 'InvalidResponse' and error.action == DESCRIBE
    assert error.message.startswith(error.path + ' ') and str(error).isprintable()
    return error


def app_entry(app=APP, groups=(), vhost=VHOST, **fields):
    config = app_config(vhost, app, list(groups) or [group('relay1')])
    config.update(fields)
    return config


# ---------------------------------------------------------------------------------------------------------
# Describe answers
# ---------------------------------------------------------------------------------------------------------

def test_describe_answer_normalises():
    entry = {'Vhost': VHOST, 'App': APP, 'GroupDetails': [
        {'Group': 'g', 'Servers': [
            {'RelaySourceDomain': ' a.example.org ', 'RelaySourceProtocol': 'RTMP', 'RelaySourceParams': None},
            {'RelaySourceDomain': 'b.example.org', 'RelaySourceProtocol': 'Flv', 'RelaySourceParams': {'n': '1'}},
            {'RelaySourceDomain': 'c.example.org', 'RelaySourceProtocol': ' rtmp', 'Backup': True},
            {'RelaySourceDomain': 'd.example.org', 'RelaySourceProtocol': 'flv', 'RelaySourceParams': '{"k": "v", "主": "源"}'},
            {'RelaySourceDomain': 'e.example.org', 'RelaySourceProtocol': 'flv', 'RelaySourceParams': '{}'},
        ]},
        {'Group': 'h', 'Servers': []},
    ]}
    apps = apps_from_describe_answer(answer({'RelaySourceConfigList': [entry], 'Total': 1}), VHOST)
    assert [stored.config() for stored in apps] == [{'vhost': VHOST, 'app': APP, 'groups': [
        {'name': 'g', 'servers': [
            {'domain': 'a.example.org', 'protocol': 'rtmp', 'params': {}},
            {'domain': 'b.example.org', 'protocol': 'flv', 'params': {'n': '1'}},
            {'domain': 'c.example.org', 'protocol': 'rtmp', 'params': {}},
            {'domain': 'd.example.org', 'protocol': 'flv', 'params': {'k': 'v', '主': '源'}},
            {'domain': 'e.example.org', 'protocol': 'flv', 'params': {}},
        ]},
        {'name': 'h', 'servers': []},
    ]}]
    # The field the collection does not model is kept aside, with its server's position.
    assert apps[0].unmanaged == {'g': {'group': {}, 'servers': [{}, {}, {'Backup': True}, {}, {}]}}
    assert apps[0].app_fields == {}


@pytest.mark.parametrize('result', [None, {}, {'RelaySourceConfigList': []},
                                    {'RelaySourceConfigList': [{'Vhost': VHOST, 'App': APP, 'GroupDetails': []}]}])
def test_describe_answer_plain_empty_forms(result):
    configs = configs_of(result)
    assert configs in ([], [{'vhost': VHOST, 'app': APP, 'groups': []}])


@pytest.mark.parametrize('result', [
    {'Total': 0},
    {'Total': 1},
    {'Total': 1, 'PageNum': 1},
    {'RelaySourceConfigs': [app_entry()]},
    {'relaySourceConfigList': [app_entry()]},
    {'RelaySourceConfigList ': []},
    {'Items': []},
], ids=['zero Total', 'Total only', 'paging only', 'renamed list', 'list in another case', 'list key with a space', 'empty other list'])
def test_result_without_the_list_is_not_nothing_configured(result):
    """Read as "nothing configured", such an answer would make the next write remove what is there."""
    error = answer_error(result)
    assert error.path == 'Result' and 'RelaySourceConfigList' in error.message
    for key in result:
        assert key.strip() in error.message


@pytest.mark.parametrize('result', [{'Total': 1}, {'RelaySourceConfigs': [app_entry()]}])
def test_result_without_the_list_fails_the_calls_too(result):
    api = model_client([app_config(VHOST, APP, [group('relay1')])])
    for call in (lambda: read_app(api, VHOST, APP), lambda: read_apps(api, VHOST), lambda: describe(api, VHOST, group='relay1')):
        api.inject_fault(kind='result', result=result, actions=[DESCRIBE])
        with pytest.raises(VolcengineResponseError) as raised:
            call()
        assert (raised.value.code, raised.value.path) == ('InvalidResponse', 'Result')


@pytest.mark.parametrize('result, path', [case[1:] for case in ODD_DESCRIBE_RESULTS], ids=[case[0] for case in ODD_DESCRIBE_RESULTS])
def test_odd_describe_answer_fails_closed_naming_the_field(result, path):
    api = model_client([app_config(VHOST, APP, [group('relay1'), group('relay2')])])
    api.inject_fault(kind='result', result=result, actions=[DESCRIBE])
    with pytest.raises(VolcengineResponseError) as raised:
        read_app(api, VHOST, APP)
    error = raised.value
    assert isinstance(error, VolcengineError) and error.code == 'InvalidResponse'
    assert error.path == path and error.message.startswith(path + ' ')
    assert (error.action, error.request_id, error.http_status) == ('DescribeRelaySourceV3', 'req-1', 200)
    assert str(error).startswith('DescribeRelaySourceV3 failed: InvalidResponse: ' + path + ' ')
    assert 'RequestId req-1' in str(error) and str(error).isprintable()


def test_odd_answer_message_escapes_server_text():
    odd = describe_result(server={'RelaySourceProtocol': '\x1b[31mhls\n' + 'x' * 100})
    with pytest.raises(VolcengineResponseError) as raised:
        apps_from_describe_answer(answer(odd), VHOST)
    assert '\\u001b[31mhls\\n' in str(raised.value) and 'x' * 40 not in str(raised.value)
    assert str(raised.value).isprintable()


# -- the Vhost of each entry -------------------------------------------------------------------------------

@pytest.mark.parametrize('listed', ['PUSH.EXAMPLE.COM', 'Push.Example.Com', 'push.EXAMPLE.com', VHOST])
def test_an_entry_of_the_vhost_in_another_case_is_read_as_the_vhost_asked_for(listed):
    apps = apps_from_describe_answer(answer({'RelaySourceConfigList': [app_entry(vhost=listed), app_entry('other', vhost=VHOST)]}), VHOST)
    assert [(stored.vhost, stored.app) for stored in apps] == [(VHOST, APP), (VHOST, 'other')]
    assert apps[0].config() == {'vhost': VHOST, 'app': APP, 'groups': [group('relay1')]}
    # asked in another case, the answer's entries are read as the vhost asked for, whatever case they use
    assert [stored.vhost for stored in apps_from_describe_answer(answer({'RelaySourceConfigList': [app_entry(vhost=listed)]}),
                                                                 'Push.Example.COM')] == ['Push.Example.COM']


def test_the_calls_accept_the_vhost_in_another_case():
    api = model_client([app_config(VHOST, APP, [group('relay1')])])
    api.inject_fault(kind='result', result={'RelaySourceConfigList': [app_entry(vhost='PUSH.example.COM')]}, actions=[DESCRIBE])
    stored = read_app(api, VHOST, APP)
    assert (stored.vhost, stored.app, stored.groups) == (VHOST, APP, [group('relay1')])


@pytest.mark.parametrize('listed', ['pull.example.com', 'push.example.co', 'push.example.com.evil.org', 'example.com', '',
                                    ' push.example.com', 'push.example.com\n', 'push-example.com', 'push.example.com\x1b[2J',
                                    'push.ex\u0430mple.com'])
@pytest.mark.parametrize('index', [0, 1])
def test_an_entry_of_another_vhost_fails_naming_its_vhost(listed, index):
    entries = [app_entry('first'), app_entry('second')]
    entries[index]['Vhost'] = listed
    error = answer_error({'RelaySourceConfigList': entries})
    assert error.path == (ENTRY % index) + '.Vhost'
    assert '\x1b' not in str(error) and '\n' not in str(error)


def test_an_entry_of_another_vhost_fails_the_calls_before_the_app_filter():
    """The single-app read used to take another vhost's entry as this app's."""
    api = model_client([app_config(VHOST, APP, [group('relay1')])])
    for call in (lambda: read_app(api, VHOST, APP), lambda: read_apps(api, VHOST, 'other'), lambda: describe(api, VHOST)):
        api.inject_fault(kind='result', result={'RelaySourceConfigList': [app_entry(vhost='pull.example.com')]}, actions=[DESCRIBE])
        with pytest.raises(VolcengineResponseError) as raised:
            call()
        assert (raised.value.code, raised.value.path) == ('InvalidResponse', 'Result.RelaySourceConfigList[0].Vhost')


# -- the App of each entry ---------------------------------------------------------------------------------

@pytest.mark.parametrize('app', ['', '*', 'live', 'a' * 30, 'A-b_c.d', 'events.2026'])
def test_an_app_the_input_rules_accept_or_the_vhost_wide_one_is_read(app):
    assert [stored.app for stored in apps_from_describe_answer(answer({'RelaySourceConfigList': [app_entry(app)]}), VHOST)] == [app]


@pytest.mark.parametrize('app', [' ', '  ', 'live\x1b[31m', 'a' * 31, 'live app', 'live/x', 'live\n', '\nlive', 'liv\u00e9',
                                 'live\u200b', '**', ' live', 'live*'])
@pytest.mark.parametrize('index', [0, 1])
def test_an_app_the_input_rules_refuse_fails_naming_it(app, index):
    entries = [app_entry('first'), app_entry('second')]
    entries[index]['App'] = app
    error = answer_error({'RelaySourceConfigList': entries})
    assert error.path == (ENTRY % index) + '.App'
    assert '\x1b' not in str(error) and '\n' not in str(error)


def test_a_blank_app_fails_the_calls_even_when_another_app_is_asked_for():
    api = model_client([app_config(VHOST, APP, [group('relay1')])])
    api.inject_fault(kind='result', result={'RelaySourceConfigList': [app_entry(), app_entry(' ')]}, actions=[DESCRIBE])
    with pytest.raises(VolcengineResponseError) as raised:
        read_app(api, VHOST, APP)
    assert raised.value.path == 'Result.RelaySourceConfigList[1].App'


# -- the Group names of each entry -------------------------------------------------------------------------

@pytest.mark.parametrize('name', ['', ' ', '  ', ' x', 'x ', 'a\nb', 'relay1\n', '\x1b[2J', '\x1b[31mred', 'a\u200bb', 're\u202elay',
                                  'a\tb', 're\x00lay', 'a\u2028b', 're\x85lay', '\ufeffrelay', 'relay\u3000'])
@pytest.mark.parametrize('index', [0, 1])
def test_a_group_name_the_input_rules_refuse_fails_naming_it(name, index):
    details = groups_to_api([group('relay1'), group('relay2')])
    details[index]['Group'] = name
    error = answer_error({'RelaySourceConfigList': [app_entry('first'), app_entry(APP, GroupDetails=details)]})
    assert error.path == 'Result.RelaySourceConfigList[1].GroupDetails[%d].Group' % index
    message = str(error)
    assert '\x1b' not in message and '\n' not in message and '\u200b' not in message and '\u202e' not in message
    assert message.isprintable()


def test_a_group_name_with_an_escape_sequence_is_shown_escaped():
    error = answer_error(describe_result(group={'Group': '\x1b[2Jrelay'}))
    assert '"\\u001b[2Jrelay"' in str(error) and '\x1b' not in str(error)


@pytest.mark.parametrize('name', ['\u4e3b\u6e90', 'relay 1', 'r\u00e9lais', 'a-b_c.d', 'x' * 200])
def test_a_group_name_the_input_rules_accept_is_read(name):
    result = {'RelaySourceConfigList': [app_entry(APP, GroupDetails=groups_to_api([group(name), group('relay2')]))]}
    assert apps_from_describe_answer(answer(result), VHOST)[0].groups == [group(name), group('relay2')]


# -- fields the collection does not model ------------------------------------------------------------------

PULL_AUTH = {'Enable': True, 'Key': 's3cr3t', 'Nested': [1, {'a': None}]}


def _unmanaged_entry():
    """An app whose answer holds fields the collection does not model, at every level; relay2 holds none."""
    return {'Vhost': VHOST, 'App': APP, 'RetryTimes': 3, 'LBType': 'RoundRobin', 'GroupDetails': [
        {'Group': 'relay1', 'Backup': False, 'Weight': 10, 'Servers': [
            {'RelaySourceDomain': 'a.example.org', 'RelaySourceProtocol': 'rtmp', 'Host': 'origin.internal', 'PullAuth': PULL_AUTH},
            {'RelaySourceDomain': 'b.example.org', 'RelaySourceProtocol': 'flv', 'RelaySourceParams': {'k': 'v'}}]},
        {'Group': 'relay2', 'Servers': [{'RelaySourceDomain': 'c.example.org', 'RelaySourceProtocol': 'rtmp'}]},
    ]}


RELAY1 = {'name': 'relay1', 'servers': [{'domain': 'a.example.org', 'protocol': 'rtmp', 'params': {}},
                                        {'domain': 'b.example.org', 'protocol': 'flv', 'params': {'k': 'v'}}]}
RELAY2 = group('relay2', 'c.example.org')


def _stored():
    apps = apps_from_describe_answer(answer({'RelaySourceConfigList': [_unmanaged_entry()]}), VHOST)
    assert len(apps) == 1
    return apps[0]


def test_unmodelled_fields_are_kept_aside_at_every_level():
    stored = _stored()
    assert isinstance(stored, StoredApp) and stored.groups == [RELAY1, RELAY2]
    assert stored.app_fields == {'RetryTimes': 3, 'LBType': 'RoundRobin'}
    assert stored.unmanaged == {'relay1': {'group': {'Backup': False, 'Weight': 10},
                                           'servers': [{'Host': 'origin.internal', 'PullAuth': PULL_AUTH}, {}]}}
    assert stored.unmanaged_fields('relay1') == ['Backup', 'Weight', 'servers[0].Host', 'servers[0].PullAuth']
    assert stored.unmanaged_fields('relay2') == []


def test_update_body_sends_the_unmodelled_fields_of_an_unchanged_group_back_verbatim():
    stored = _stored()
    body = update_body(VHOST, APP, [RELAY1, RELAY2], stored)
    assert body == _unmanaged_entry(), 'the app as read, field for field'
    assert body['GroupDetails'][0]['Servers'][0]['PullAuth'] == PULL_AUTH
    # the same groups in another order: each keeps its own fields
    body = update_body(VHOST, APP, [RELAY2, RELAY1], stored)
    assert [detail['Group'] for detail in body['GroupDetails']] == ['relay2', 'relay1']
    assert body['GroupDetails'][1] == _unmanaged_entry()['GroupDetails'][0]
    assert body['GroupDetails'][0] == _unmanaged_entry()['GroupDetails'][1]


@pytest.mark.parametrize('changed', [
    dict(RELAY1, servers=[dict(RELAY1['servers'][0], domain='n.example.org'), RELAY1['servers'][1]]),
    dict(RELAY1, servers=list(reversed(RELAY1['servers']))),
    dict(RELAY1, servers=RELAY1['servers'][:1]),
    dict(RELAY1, servers=[RELAY1['servers'][0], dict(RELAY1['servers'][1], params={})]),
    dict(RELAY1, servers=[dict(RELAY1['servers'][0], protocol='flv'), RELAY1['servers'][1]]),
], ids=['domain', 'server order', 'server removed', 'params', 'protocol'])
def test_update_body_does_not_send_the_unmodelled_fields_of_a_changed_group(changed):
    stored = _stored()
    body = update_body(VHOST, APP, [changed, RELAY2], stored)
    assert body['GroupDetails'][0] == groups_to_api([changed])[0]
    assert set(body['GroupDetails'][0]) == {'Group', 'Servers'}
    assert all(set(server) <= {'RelaySourceDomain', 'RelaySourceProtocol', 'RelaySourceParams'} for server in body['GroupDetails'][0]['Servers'])
    assert body['GroupDetails'][1] == _unmanaged_entry()['GroupDetails'][1]
    assert (body['RetryTimes'], body['LBType']) == (3, 'RoundRobin'), 'app-level fields always go back'


def test_app_level_fields_go_back_whatever_the_groups():
    stored = _stored()
    for groups in ([], [RELAY2], [group('new')], [RELAY1, RELAY2, group('new')]):
        body = update_body(VHOST, APP, groups, stored)
        assert (body['Vhost'], body['App'], body['RetryTimes'], body['LBType']) == (VHOST, APP, 3, 'RoundRobin')
        assert body['GroupDetails'] == groups_to_api(groups, stored)


def test_without_the_stored_app_no_unmodelled_field_is_sent():
    body = update_body(VHOST, APP, [RELAY1, RELAY2])
    assert body == {'Vhost': VHOST, 'App': APP, 'GroupDetails': groups_to_api([RELAY1, RELAY2])}
    assert body['GroupDetails'] == [
        {'Group': 'relay1', 'Servers': [{'RelaySourceDomain': 'a.example.org', 'RelaySourceProtocol': 'rtmp'},
                                        {'RelaySourceDomain': 'b.example.org', 'RelaySourceProtocol': 'flv', 'RelaySourceParams': {'k': 'v'}}]},
        {'Group': 'relay2', 'Servers': [{'RelaySourceDomain': 'c.example.org', 'RelaySourceProtocol': 'rtmp'}]}]


def test_update_body_does_not_change_the_stored_app():
    stored = _stored()
    before = copy.deepcopy((stored.groups, stored.unmanaged, stored.app_fields))
    body = update_body(VHOST, APP, [RELAY1, RELAY2], stored)
    body['RetryTimes'] = 9
    body['GroupDetails'][0]['Weight'] = 99
    body['GroupDetails'][0]['Servers'][0]['Host'] = 'changed'
    assert (stored.groups, stored.unmanaged, stored.app_fields) == before


def test_unmodelled_fields_survive_a_read_and_write_round_trip():
    api = model_client([_unmanaged_entry()])
    stored = read_app(api, VHOST, APP)
    assert stored.app_fields == {'RetryTimes': 3, 'LBType': 'RoundRobin'}
    send_write(api, ACTION_UPDATE, update_body(VHOST, APP, stored.groups + [group('relay3')], stored))
    details = groups_of(api, VHOST, APP)
    assert [detail['Group'] for detail in details] == ['relay1', 'relay2', 'relay3']
    assert (details[0]['Backup'], details[0]['Weight'], details[0]['Servers'][0]['Host']) == (False, 10, 'origin.internal')
    assert details[0]['Servers'][0]['PullAuth'] == PULL_AUTH
    config = [item for item in api.state()['RelaySourceConfigList'] if item['App'] == APP][0]
    assert (config['RetryTimes'], config['LBType']) == (3, 'RoundRobin')
    assert read_app(api, VHOST, APP).unmanaged == stored.unmanaged


# -- conversions --------------------------------------------------------------------------------------------

def test_resource_not_found_is_empty_only_as_the_documented_404():
    api = model_client()
    api.inject_fault(kind='error', code='ResourceNotFound', status=200)
    with pytest.raises(VolcengineError) as raised:
        describe(api, VHOST)
    assert raised.value.code == 'ResourceNotFound'


def test_groups_to_api_round_trip():
    groups = [group('g', 'a.example.org', params={'domain': 'live.push.net'}), group('h', protocol='flv')]
    api = groups_to_api(groups)
    assert api[0] == {'Group': 'g', 'Servers': [{'RelaySourceDomain': 'a.example.org', 'RelaySourceProtocol': 'rtmp',
                                                 'RelaySourceParams': {'domain': 'live.push.net'}}]}
    assert 'RelaySourceParams' not in api[1]['Servers'][0]
    read = configs_of({'RelaySourceConfigList': [{'Vhost': VHOST, 'App': APP, 'GroupDetails': api}]})
    assert read[0]['groups'] == normalize_groups(groups)


def test_user_input_normalised_like_api():
    user = [{'name': 'g', 'servers': [{'domain': ' a.example.org', 'protocol': 'RTMP', 'params': None}]}]
    assert normalize_groups(user) == [group('g', 'a.example.org')]


def test_comparison_is_order_sensitive():
    assert normalize_groups([group('a'), group('b')]) != normalize_groups([group('b'), group('a')])
    assert group('a', 'x', 'y') != group('a', 'y', 'x')


# ---------------------------------------------------------------------------------------------------------
# API wrappers
# ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('style', ['list', 'missing', 'notfound'])
def test_describe_nothing_configured(style):
    api = model_client()
    api.settings(empty_describe=style)
    stored = read_app(api, VHOST, APP)
    assert (stored.vhost, stored.app, stored.groups, stored.unmanaged, stored.app_fields) == (VHOST, APP, [], {}, {})
    assert len(api.calls) == 1
    assert read_apps(api, VHOST) == [] and describe(api, VHOST, APP) == []
    assert len(api.calls) == 3


def test_describe_filters_exact_app():
    api = model_client([app_config(VHOST, APP, [group('a')]), app_config(VHOST, 'live2', [group('z')]),
                        app_config(VHOST, 'LIVE', [group('y')])])
    api.settings(describe_filter='loose')  # the API answers with live2 and LIVE too
    assert read_app(api, VHOST, APP).groups == [group('a')]
    assert api.calls == [('DescribeRelaySourceV3', {'Vhost': VHOST, 'App': APP})]
    assert [stored.app for stored in read_apps(api, VHOST, APP)] == [APP]
    assert describe(api, VHOST, APP) == [{'vhost': VHOST, 'app': APP, 'groups': [group('a')]}]


def test_describe_with_a_group_lists_that_group_of_the_apps_that_have_it():
    api = model_client()
    api.inject_fault(kind='result', result={'RelaySourceConfigList': [
        app_config(VHOST, APP, [group('a'), group('b')]), app_config(VHOST, 'other', [group('c')])]})  # more than asked
    assert describe(api, VHOST, group='b') == [{'vhost': VHOST, 'app': APP, 'groups': [group('b')]}]


def test_describe_other_errors_raise_with_their_request_id():
    api = model_client()
    api.inject_fault(kind='error', code='RequestForbidden', status=403)
    with pytest.raises(VolcengineError) as raised:
        describe(api, VHOST)
    assert raised.value.code == 'RequestForbidden' and raised.value.request_id == 'req-1'


def test_update_and_delete_bodies():
    api = model_client([app_config(VHOST, APP, [group('a'), group('b')])])
    send_write(api, ACTION_DELETE, delete_body(VHOST, APP, group='a'))
    send_write(api, ACTION_DELETE, delete_body(VHOST, APP))
    send_write(api, ACTION_UPDATE, update_body(VHOST, APP, [group('c')]))
    assert api.calls == [
        ('DeleteRelaySourceV3', {'Vhost': VHOST, 'App': APP, 'Group': 'a'}),
        ('DeleteRelaySourceV3', {'Vhost': VHOST, 'App': APP}),
        ('UpdateRelaySourceV3', {'Vhost': VHOST, 'App': APP, 'GroupDetails': groups_to_api([group('c')])}),
    ]


class _RecordingClient(object):
    """Records how each call was made; answers with ``result``."""

    def __init__(self, result=None):
        self.result = result
        self.calls = []

    def call(self, action, version, body=None, write=False):
        self.calls.append((action, version, body, write))
        return APIResponse(self.result, 'req-recorded', 1)


def test_writes_are_sent_as_writes_and_reads_as_reads():
    client = _RecordingClient()
    send_write(client, ACTION_UPDATE, update_body(VHOST, APP, [group('a')]))
    send_write(client, ACTION_DELETE, delete_body(VHOST, APP, 'a'))
    client.result = {'RelaySourceConfigList': []}
    read_app(client, VHOST, APP)
    assert client.calls == [
        (ACTION_UPDATE, API_VERSION, update_body(VHOST, APP, [group('a')]), True),
        (ACTION_DELETE, API_VERSION, {'Vhost': VHOST, 'App': APP, 'Group': 'a'}, True),
        (ACTION_DESCRIBE, API_VERSION, {'Vhost': VHOST, 'App': APP}, False),
    ]
    assert API_VERSION == '2023-01-01' and (ACTION_DESCRIBE, ACTION_UPDATE, ACTION_DELETE) == (DESCRIBE, UPDATE, DELETE)


# ---------------------------------------------------------------------------------------------------------
# Writes: the delete guard and the write answers
# ---------------------------------------------------------------------------------------------------------

def test_delete_refuses_a_missing_or_blank_app_or_group():
    api = model_client([app_config(VHOST, APP, [group('a')])])
    for app in (None, '', '  ', '*', 5):
        with pytest.raises(ValueError, match='without an App'):
            send_write(api, ACTION_DELETE, delete_body(VHOST, app))
        with pytest.raises(ValueError, match='without an App'):
            send_write(api, ACTION_DELETE, delete_body(VHOST, app, group='a'))
    for name in ('', '  ', 5):
        with pytest.raises(ValueError, match='blank Group'):
            send_write(api, ACTION_DELETE, delete_body(VHOST, APP, group=name))
    assert api.calls == []


@pytest.mark.parametrize('result', [None, {}, {'Anything': [1]}])
def test_write_answers_without_result_fields_are_fine(result):
    api = model_client([app_config(VHOST, APP, [group('a')])])
    for action in (UPDATE, DELETE):
        api.inject_fault(kind='result', result=result, actions=[action])
    send_write(api, ACTION_UPDATE, update_body(VHOST, APP, [group('a'), group('b')]))
    send_write(api, ACTION_DELETE, delete_body(VHOST, APP, group='a'))
    assert [detail['Group'] for detail in groups_of(api, VHOST, APP)] == ['b']


@pytest.mark.parametrize('action', ['UpdateRelaySourceV3', 'DeleteRelaySourceV3'])
@pytest.mark.parametrize('result', ['done', ['ok'], 1, True])
def test_write_answer_result_not_an_object_fails_closed(action, result):
    api = model_client([app_config(VHOST, APP, [group('a')])])
    api.inject_fault(kind='result', result=result, actions=[action])
    with pytest.raises(VolcengineResponseError) as raised:
        if action == 'UpdateRelaySourceV3':
            send_write(api, ACTION_UPDATE, update_body(VHOST, APP, [group('a')]))
        else:
            send_write(api, ACTION_DELETE, delete_body(VHOST, APP))
    assert (raised.value.code, raised.value.path, raised.value.action) == ('InvalidResponse', 'Result', action)


# ---------------------------------------------------------------------------------------------------------
# What an accepted answer holds passes the input rules
# ---------------------------------------------------------------------------------------------------------

def test_every_name_read_passes_the_input_rules():
    result = {'RelaySourceConfigList': [app_entry('', [group('\u4e3b\u6e90')]), app_entry('*', [group('relay 1')]),
                                        app_entry('a' * 30, [group('x' * 200)], vhost='PUSH.example.com')]}
    for stored in apps_from_describe_answer(answer(result), VHOST):
        assert stored.vhost == VHOST
        if stored.app not in ('', '*'):
            validate_app(stored.app)
        for item in stored.groups:
            validate_group_name(item['name'], 'groups[0].name')
