# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Units for relay_source.py: validation, conversion, normalisation, planning and the API wrappers."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import itertools

import pytest

from ansible_collections.volcengine.cloud.plugins.module_utils import relay_source as rs
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineError, VolcengineResponseError
from ansible_collections.volcengine.cloud.tests.unit.plugins.modules.relay_source_fake import (
    ODD_DESCRIBE_RESULTS, FakeRelaySourceAPI, FakeResponse, describe_result)

VHOST, APP = 'push.example.com', 'live'


def group(name, *domains, **kwargs):
    protocol = kwargs.get('protocol', 'rtmp')
    return {'name': name, 'servers': [{'domain': domain, 'protocol': protocol, 'params': kwargs.get('params', {})}
                                      for domain in (domains or ('%s.example.org' % name,))]}


# ---------------------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('domain', [
    'origin.example.org', 'origin.example.org:1935', '203.0.113.10', '203.0.113.10:8080', '[::1]:1935', '::1',
    '[2001:db8::1]', '2001:db8::1', 'localhost', 'origin_1.example.org', ' origin.example.org ', 'a:65535', 'a:1',
])
def test_valid_domains(domain):
    rs.validate_domain(domain, 'd')


@pytest.mark.parametrize('domain, fragment', [
    ('', 'must not be empty'),
    ('   ', 'must not be empty'),
    (None, 'must not be empty'),
    ('rtmp://origin.example.org', 'scheme'),
    ('http://origin.example.org/live', 'scheme'),
    ('origin.example.org/live', 'path'),
    ('origin.example.org?x=1', 'path'),
    ('origin example.org', 'whitespace'),
    ('origin.example.org:0', 'port'),
    ('origin.example.org:65536', 'port'),
    ('origin.example.org:abc', 'port'),
    ('origin.example.org:', 'port'),
    (':1935', 'no host'),
    ('orig!n.example.org', 'invalid host'),
    ('origin..example.org', 'invalid host'),
    ('-origin.example.org', 'invalid host'),
    ('[::1]:0', 'port'),
    ('[::1]:99999', 'port'),
    ('[zz::1]:1935', 'IPv6'),
    ('1:2:3', 'IPv6'),
])
def test_invalid_domains(domain, fragment):
    with pytest.raises(rs.RelaySourceInputError) as caught:
        rs.validate_domain(domain, 'groups[1].servers[0].domain')
    assert caught.value.path == 'groups[1].servers[0].domain'
    assert str(caught.value).startswith('groups[1].servers[0].domain: ')
    assert fragment in str(caught.value)


@pytest.mark.parametrize('vhost', ['', '  ', None, 'https://push.example.com', 'push.example.com/live', 'push example.com'])
def test_invalid_vhost(vhost):
    with pytest.raises(rs.RelaySourceInputError) as caught:
        rs.validate_options(vhost, APP, [], 'present')
    assert caught.value.path == 'vhost'


@pytest.mark.parametrize('app', ['', 'a' * 31, 'live/x', 'live app', 'live*', None])
def test_invalid_app(app):
    with pytest.raises(rs.RelaySourceInputError) as caught:
        rs.validate_options(VHOST, app, [], 'present')
    assert caught.value.path == 'app'


@pytest.mark.parametrize('app', ['live', 'a' * 30, 'events.2026', 'A-b_c.d'])
def test_valid_app(app):
    rs.validate_options(VHOST, app, [group('g')], 'present')


def _groups_error(groups, state='present'):
    with pytest.raises(rs.RelaySourceInputError) as caught:
        rs.validate_options(VHOST, APP, groups, state)
    return caught.value


def test_duplicate_group_names():
    error = _groups_error([group('a'), group('b'), group('a')])
    assert error.path == 'groups[2].name'
    assert 'duplicate' in str(error) and 'groups[0].name' in str(error)


def test_duplicate_group_names_absent_too():
    assert _groups_error([{'name': 'a'}, {'name': 'a'}], state='absent').path == 'groups[1].name'


def test_empty_group_name():
    assert _groups_error([group('a'), {'name': '  ', 'servers': group('x')['servers']}]).path == 'groups[1].name'


def test_empty_servers_for_present():
    assert _groups_error([group('a'), {'name': 'b', 'servers': []}]).path == 'groups[1].servers'
    assert _groups_error([{'name': 'b', 'servers': None}]).path == 'groups[0].servers'


def test_servers_not_needed_for_absent():
    rs.validate_options(VHOST, APP, [{'name': 'b', 'servers': None}, {'name': 'c', 'servers': [{'domain': 'bad://x'}]}], 'absent')


def test_too_many_servers():
    error = _groups_error([group('a', *['o%d.example.org' % index for index in range(11)])])
    assert error.path == 'groups[0].servers' and '10' in str(error)
    rs.validate_options(VHOST, APP, [group('a', *['o%d.example.org' % index for index in range(10)])], 'present')


def test_bad_domain_path_names_group_and_server():
    error = _groups_error([group('a'), group('b', 'ok.example.org', 'rtmp://bad.example.org')])
    assert error.path == 'groups[1].servers[1].domain'


@pytest.mark.parametrize('value', [1, 1.5, True, None, ['x'], {'a': 'b'}])
def test_param_values_must_be_strings(value):
    error = _groups_error([group('a', params={'key': value})])
    assert error.path == 'groups[0].servers[0].params.key'
    assert 'quote it' in str(error)


@pytest.mark.parametrize('key', ['', '  ', 1])
def test_param_keys_must_be_nonempty_strings(key):
    assert _groups_error([group('a', params={key: 'v'})]).path == 'groups[0].servers[0].params'


def test_protocol_checked_case_insensitively():
    rs.validate_options(VHOST, APP, [group('a', protocol='FLV')], 'present')
    assert _groups_error([group('a', protocol='hls')]).path == 'groups[0].servers[0].protocol'


# ---------------------------------------------------------------------------------------------------------
# Conversion and normalisation
# ---------------------------------------------------------------------------------------------------------

def answer(result, request_id='r-1'):
    return FakeResponse(result, request_id)


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
    assert rs.configs_from_describe_answer(answer({'RelaySourceConfigList': [entry], 'Total': 1})) == [{'vhost': VHOST, 'app': APP, 'groups': [
        {'name': 'g', 'servers': [
            {'domain': 'a.example.org', 'protocol': 'rtmp', 'params': {}},
            {'domain': 'b.example.org', 'protocol': 'flv', 'params': {'n': '1'}},
            {'domain': 'c.example.org', 'protocol': 'rtmp', 'params': {}},
            {'domain': 'd.example.org', 'protocol': 'flv', 'params': {'k': 'v', '主': '源'}},
            {'domain': 'e.example.org', 'protocol': 'flv', 'params': {}},
        ]},
        {'name': 'h', 'servers': []},
    ]}]


@pytest.mark.parametrize('result', [None, {}, {'RelaySourceConfigList': []}, {'Total': 0},
                                    {'RelaySourceConfigList': [{'Vhost': VHOST, 'App': APP, 'GroupDetails': []}]}])
def test_describe_answer_plain_empty_forms(result):
    configs = rs.configs_from_describe_answer(answer(result))
    assert configs in ([], [{'vhost': VHOST, 'app': APP, 'groups': []}])


@pytest.mark.parametrize('result, path', [case[1:] for case in ODD_DESCRIBE_RESULTS], ids=[case[0] for case in ODD_DESCRIBE_RESULTS])
def test_odd_describe_answer_fails_closed_naming_the_field(result, path):
    api = FakeRelaySourceAPI([FakeRelaySourceAPI.api_config(VHOST, APP, [group('relay1'), group('relay2')])])
    api.answer_results['DescribeRelaySourceV3'] = result
    with pytest.raises(VolcengineResponseError) as raised:
        rs.describe_app(api, VHOST, APP)
    error = raised.value
    assert isinstance(error, VolcengineError) and error.code == 'InvalidResponse'
    assert error.path == path and error.message.startswith(path + ' ')
    assert (error.action, error.request_id, error.http_status) == ('DescribeRelaySourceV3', 'req-1', 200)
    assert str(error).startswith('DescribeRelaySourceV3 failed: InvalidResponse: ' + path + ' ')
    assert 'RequestId req-1' in str(error) and str(error).isprintable()


def test_odd_answer_message_escapes_server_text():
    odd = describe_result(server={'RelaySourceProtocol': '\x1b[31mhls\n' + 'x' * 100})
    with pytest.raises(VolcengineResponseError) as raised:
        rs.configs_from_describe_answer(answer(odd))
    assert '\\u001b[31mhls\\n' in str(raised.value) and 'x' * 40 not in str(raised.value)
    assert str(raised.value).isprintable()


def test_resource_not_found_is_empty_only_as_the_documented_404():
    api = FakeRelaySourceAPI()
    api.fail_next('ResourceNotFound', 200)
    with pytest.raises(VolcengineError) as raised:
        rs.describe(api, VHOST)
    assert raised.value.code == 'ResourceNotFound'


def test_groups_to_api_round_trip():
    groups = [group('g', 'a.example.org', params={'domain': 'live.push.net'}), group('h', protocol='flv')]
    api = rs.groups_to_api(groups)
    assert api[0] == {'Group': 'g', 'Servers': [{'RelaySourceDomain': 'a.example.org', 'RelaySourceProtocol': 'rtmp',
                                                 'RelaySourceParams': {'domain': 'live.push.net'}}]}
    assert 'RelaySourceParams' not in api[1]['Servers'][0]
    read = rs.configs_from_describe_answer(answer({'RelaySourceConfigList': [{'Vhost': VHOST, 'App': APP, 'GroupDetails': api}]}))
    assert read[0]['groups'] == rs.normalize_groups(groups)


def test_user_input_normalised_like_api():
    user = [{'name': 'g', 'servers': [{'domain': ' a.example.org', 'protocol': 'RTMP', 'params': None}]}]
    assert rs.normalize_groups(user) == [group('g', 'a.example.org')]


def test_comparison_is_order_sensitive():
    assert rs.normalize_groups([group('a'), group('b')]) != rs.normalize_groups([group('b'), group('a')])
    assert group('a', 'x', 'y') != group('a', 'y', 'x')


# ---------------------------------------------------------------------------------------------------------
# API wrappers
# ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('style', ['list', 'missing', 'not_found'])
def test_describe_nothing_configured(style):
    api = FakeRelaySourceAPI()
    api.describe_style = style
    assert rs.describe_app(api, VHOST, APP) == []
    assert len(api.calls) == 1


def test_describe_filters_exact_app():
    api = FakeRelaySourceAPI([FakeRelaySourceAPI.api_config(VHOST, APP, [group('a')])])
    api.extra_describe_entries = [FakeRelaySourceAPI.api_config(VHOST, 'live2', [group('z')]),
                                  FakeRelaySourceAPI.api_config(VHOST, 'LIVE', [group('y')])]
    assert rs.describe_app(api, VHOST, APP) == [group('a')]
    assert api.calls == [('DescribeRelaySourceV3', {'Vhost': VHOST, 'App': APP})]


def test_describe_other_errors_raise_with_their_request_id():
    api = FakeRelaySourceAPI()
    api.fail_next('RequestForbidden', 403)
    with pytest.raises(VolcengineError) as raised:
        rs.describe(api, VHOST)
    assert raised.value.code == 'RequestForbidden' and raised.value.request_id == 'req-1'


def test_update_and_delete_bodies():
    api = FakeRelaySourceAPI([FakeRelaySourceAPI.api_config(VHOST, APP, [group('a'), group('b')])])
    rs.delete(api, VHOST, APP, group='a')
    rs.delete(api, VHOST, APP)
    rs.update(api, VHOST, APP, [group('c')])
    assert api.calls == [
        ('DeleteRelaySourceV3', {'Vhost': VHOST, 'App': APP, 'Group': 'a'}),
        ('DeleteRelaySourceV3', {'Vhost': VHOST, 'App': APP}),
        ('UpdateRelaySourceV3', {'Vhost': VHOST, 'App': APP, 'GroupDetails': rs.groups_to_api([group('c')])}),
    ]


# ---------------------------------------------------------------------------------------------------------
# Planning
# ---------------------------------------------------------------------------------------------------------

def test_plan_no_change():
    assert rs.plan_present([group('a'), group('b')], [group('a'), group('b')]) == rs.empty_plan()
    assert not rs.plan_changes(rs.plan_present([], []))


def test_plan_create():
    assert rs.plan_present([], [group('a'), group('b')]) == {
        'delete_app': False, 'delete_groups': [], 'send_update': True, 'update_groups': ['a', 'b']}


def test_plan_remove_trailing_group_needs_no_update():
    assert rs.plan_present([group('a'), group('b'), group('c')], [group('a'), group('b')]) == {
        'delete_app': False, 'delete_groups': ['c'], 'send_update': False, 'update_groups': []}


def test_plan_reorder_deletes_groups_out_of_place():
    plan = rs.plan_present([group('a'), group('b'), group('c')], [group('a'), group('c'), group('b')])
    assert plan == {'delete_app': False, 'delete_groups': ['b', 'c'], 'send_update': True, 'update_groups': ['a', 'c', 'b']}


def test_plan_everything_out_of_place_uses_app_delete():
    plan = rs.plan_present([group('a'), group('b')], [group('b'), group('a')])
    assert plan == {'delete_app': True, 'delete_groups': [], 'send_update': True, 'update_groups': ['b', 'a']}


def test_plan_single_group_replaced_deletes_that_group():
    plan = rs.plan_present([group('a')], [group('b')])
    assert plan == {'delete_app': False, 'delete_groups': ['a'], 'send_update': True, 'update_groups': ['b']}


def test_plan_change_in_place_is_only_an_update():
    plan = rs.plan_present([group('a'), group('b')], [group('a', 'new.example.org'), group('b')])
    assert plan == {'delete_app': False, 'delete_groups': [], 'send_update': True, 'update_groups': ['a', 'b']}


def test_plan_empty_desired_deletes_app():
    assert rs.plan_present([group('a'), group('b')], [])['delete_app']
    assert rs.plan_present([group('a')], []) == {'delete_app': False, 'delete_groups': ['a'], 'send_update': False, 'update_groups': []}


def test_desired_groups_purge_false_appends_unlisted_in_order():
    current = [group('x'), group('a'), group('y')]
    assert rs.group_names(rs.desired_groups(current, [group('a', 'n.example.org'), group('b')], False)) == ['a', 'b', 'x', 'y']
    assert rs.group_names(rs.desired_groups(current, [group('b')], True)) == ['b']


def test_plan_absent():
    current = [group('a'), group('b'), group('c')]
    assert rs.plan_absent(current) == dict(rs.empty_plan(), delete_app=True)
    assert rs.plan_absent([group('a')]) == dict(rs.empty_plan(), delete_app=True)
    assert rs.plan_absent([]) == rs.empty_plan()
    assert rs.plan_absent(current, ['c', 'a', 'zz']) == dict(rs.empty_plan(), delete_groups=['a', 'c'])
    assert rs.plan_absent(current, ['a', 'b', 'c']) == dict(rs.empty_plan(), delete_app=True)
    assert rs.plan_absent([group('a')], ['a']) == dict(rs.empty_plan(), delete_groups=['a'])
    assert rs.plan_absent(current, ['zz']) == rs.empty_plan()
    assert rs.groups_after_deletes(current, rs.plan_absent(current, ['b'])) == [group('a'), group('c')]


def test_protocol_only_changes():
    current = [group('a', 'x.example.org'), group('b')]
    assert rs.protocol_only_changes(current, [group('a', 'x.example.org', protocol='flv'), group('b', 'other')]) == ['a']
    assert rs.protocol_only_changes(current, current) == []


def _all_orderings(names):
    for size in range(len(names) + 1):
        for subset in itertools.permutations(names, size):
            yield list(subset)


def _converge(current, desired, update_mode):
    api = FakeRelaySourceAPI([FakeRelaySourceAPI.api_config(VHOST, APP, current)] if current else [], update_mode)
    plan = rs.plan_present(current, desired)
    rs.apply_plan(api, VHOST, APP, plan, desired)
    return plan, api


@pytest.mark.parametrize('update_mode', ['replace', 'merge'])
def test_plan_converges_under_both_update_semantics(update_mode):
    """Every ordering of up to 4 groups to every other, with and without server changes and purge_groups."""
    names = ['a', 'b', 'c', 'd']
    checked = 0
    for current_names in _all_orderings(names):
        current = [group(name) for name in current_names]
        for listed_names in _all_orderings(names):
            for changed_servers in (False, True):
                listed = [group(name, 'new-%s.example.org' % name, 'second.example.org') if changed_servers and name in 'ac'
                          else group(name) for name in listed_names]
                for purge in (True, False):
                    desired = rs.desired_groups(current, listed, purge)
                    plan, api = _converge(current, desired, update_mode)
                    assert rs.normalize_groups(rs.describe_app(api, VHOST, APP)) == desired, (current_names, listed_names, purge)
                    writes = api.writes()
                    if desired == current:
                        assert writes == [] and not rs.plan_changes(plan)
                    else:
                        assert writes and rs.plan_changes(plan)
                        assert len([call for call in writes if call[0] == 'UpdateRelaySourceV3']) <= 1
                        # deletes come before the update
                        assert [call[0] for call in writes] == sorted((call[0] for call in writes), key=lambda action: action != 'DeleteRelaySourceV3')
                        # an app-wide delete is used instead of deleting every group one by one
                        per_group = [call for call in writes if call[0] == 'DeleteRelaySourceV3' and 'Group' in call[1]]
                        assert not (len(current) >= 2 and len(per_group) == len(current))
                    checked += 1
    assert checked == 65 * 65 * 4


@pytest.mark.parametrize('update_mode', ['replace', 'merge'])
def test_absent_converges(update_mode):
    names = ['a', 'b', 'c']
    for current_names in _all_orderings(names):
        current = [group(name) for name in current_names]
        for listed in [None] + list(_all_orderings(names + ['zz'])):
            api = FakeRelaySourceAPI([FakeRelaySourceAPI.api_config(VHOST, APP, current)] if current else [], update_mode)
            plan = rs.plan_absent(current, listed)
            rs.apply_plan(api, VHOST, APP, plan, [])
            expected = [] if listed is None else [item for item in current if item['name'] not in listed]
            assert rs.describe_app(api, VHOST, APP) == expected
            assert bool(api.writes()) == (expected != current)


def test_apply_plan_reports_progress_when_a_write_fails():
    current = [group('a'), group('b'), group('c'), group('d')]
    desired = [group('a'), group('c', 'n.example.org'), group('b')]
    api = FakeRelaySourceAPI([FakeRelaySourceAPI.api_config(VHOST, APP, current)])
    api.fail_next('InternalError', 500, action='UpdateRelaySourceV3')
    plan = rs.plan_present(current, desired)
    actions = []
    with pytest.raises(VolcengineError):
        rs.apply_plan(api, VHOST, APP, plan, desired, actions=actions)
    assert actions == ['deleted group b', 'deleted group c', 'deleted group d']
    assert [action for action, _body in api.calls] == ['DeleteRelaySourceV3'] * 3 + ['UpdateRelaySourceV3']
    message = rs.progress_message(plan, APP, actions)
    assert 'Already applied: deleted group b; deleted group c; deleted group d' in message
    assert 'Not applied: update groups a, c, b' in message
    assert 'Rerunning the task converges' in message
    assert rs.progress_message(plan, APP, []) == ''


@pytest.mark.parametrize('result', [None, {}, {'Anything': [1]}])
def test_write_answers_without_result_fields_are_fine(result):
    api = FakeRelaySourceAPI([FakeRelaySourceAPI.api_config(VHOST, APP, [group('a')])])
    api.answer_results.update({'UpdateRelaySourceV3': result, 'DeleteRelaySourceV3': result})
    rs.update(api, VHOST, APP, [group('a'), group('b')])
    rs.delete(api, VHOST, APP, group='a')
    assert [detail['Group'] for detail in api.groups_of(VHOST, APP)] == ['b']


@pytest.mark.parametrize('action', ['UpdateRelaySourceV3', 'DeleteRelaySourceV3'])
@pytest.mark.parametrize('result', ['done', ['ok'], 1, True])
def test_write_answer_result_not_an_object_fails_closed(action, result):
    api = FakeRelaySourceAPI([FakeRelaySourceAPI.api_config(VHOST, APP, [group('a')])])
    api.answer_results[action] = result
    with pytest.raises(VolcengineResponseError) as raised:
        if action == 'UpdateRelaySourceV3':
            rs.update(api, VHOST, APP, [group('a')])
        else:
            rs.delete(api, VHOST, APP)
    assert (raised.value.code, raised.value.path, raised.value.action) == ('InvalidResponse', 'Result', action)


def test_apply_plan_stops_after_an_odd_write_answer_and_counts_that_write():
    current = [group('a'), group('b'), group('c'), group('d')]
    desired = [group('a'), group('c', 'n.example.org'), group('b')]
    api = FakeRelaySourceAPI([FakeRelaySourceAPI.api_config(VHOST, APP, current)])
    api.answer_results['DeleteRelaySourceV3'] = 'deleted'
    plan = rs.plan_present(current, desired)
    actions = []
    with pytest.raises(VolcengineResponseError):
        rs.apply_plan(api, VHOST, APP, plan, desired, actions=actions)
    assert [action for action, _body in api.calls] == ['DeleteRelaySourceV3'], 'nothing is written after the odd answer'
    assert actions == ['deleted group b'], 'the API reported success for that delete'
    assert 'Not applied: delete group c; delete group d; update groups a, c, b' in rs.progress_message(plan, APP, actions)


# ---------------------------------------------------------------------------------------------------------
# Whole-string, ASCII input patterns
# ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('app', ['live\n', 'live\r', '\nlive', 'live\x00', '\uff4c\uff49\uff56\uff45', 'liv\u00e9', 'live\u200b', 7])
def test_app_is_whole_string_ascii(app):
    with pytest.raises(rs.RelaySourceInputError) as caught:
        rs.validate_app(app)
    assert caught.value.path == 'app' and str(caught.value).isprintable()


@pytest.mark.parametrize('vhost, fragment', [
    ('push.example.com\n', 'whitespace'),
    ('a' * 61, '1 to 60'),
    ('push\x00.example.com', '1 to 60'),
    ('push\u4f8b.example.com', '1 to 60'),
    ('push:8080', '1 to 60'),
    ('push*.example.com', '1 to 60'),
    ('rtmp://push.example.com', 'scheme'),
    ('push.example.com/live', 'path'),
])
def test_vhost_follows_the_sdk_rule(vhost, fragment):
    with pytest.raises(rs.RelaySourceInputError) as caught:
        rs.validate_vhost(vhost)
    assert caught.value.path == 'vhost' and fragment in str(caught.value) and str(caught.value).isprintable()


@pytest.mark.parametrize('vhost', ['push.example.com', 'a' * 60, 'push_1-x.example.com', 'P'])
def test_valid_vhosts(vhost):
    rs.validate_vhost(vhost)


@pytest.mark.parametrize('domain, fragment', [
    ('a.example.org:19\u00b3', 'printable ASCII'),
    ('a.example.org:\u0661\u0669\u0663\u0665', 'printable ASCII'),
    ('a.example.org:\uff11\uff19\uff13\uff15', 'printable ASCII'),
    ('a.example.org:+1935', 'port'),
    ('a.example.org:000001', 'port'),
    ('a.example.org\n:1935', 'whitespace'),
    ('ex\x00ample.org', 'printable ASCII'),
    ('ex\x7fample.org', 'printable ASCII'),
    ('\u4f8b\u5b50.\u4e2d\u56fd', 'printable ASCII'),
    ('rtmp://\u4f8b.org\x1b[2J', 'printable ASCII'),
    ('fe80::1%eth0', 'IPv6'),
    ('[fe80::1%25eth0]:1935', 'IPv6'),
    ('[::\u0661]:1935', 'printable ASCII'),
    ('[::1]:19\u00b3', 'printable ASCII'),
    ('[::1]:0x10', 'port'),
])
def test_domain_is_ascii_with_ascii_port(domain, fragment):
    with pytest.raises(rs.RelaySourceInputError) as caught:
        rs.validate_domain(domain, 'groups[0].servers[1].domain')
    message = str(caught.value)
    assert caught.value.path == 'groups[0].servers[1].domain' and fragment in message, message
    assert message.isprintable()


def test_domain_surrounding_newline_is_stripped_like_what_is_sent():
    rs.validate_domain('a.example.org:1935\n', 'd')
    assert rs.normalize_server({'domain': 'a.example.org:1935\n'})['domain'] == 'a.example.org:1935'


@pytest.mark.parametrize('name, fragment', [
    ('relay1\n', 'whitespace'),
    (' relay1', 'whitespace'),
    ('relay1\u3000', 'whitespace'),
    ('re\tlay', 'control'),
    ('re\x00lay', 'control'),
    ('\x1b[31mred', 'control'),
    ('re\u202elay', 'control'),
    ('re\u200blay', 'control'),
    ('re\u2028lay', 'control'),
    ('re\x85lay', 'control'),
    ('re\ud800lay', 'control'),
    ('', 'empty'),
])
def test_group_names_refuse_control_characters_and_surrounding_whitespace(name, fragment):
    error = _groups_error([group('ok'), {'name': name, 'servers': group('x')['servers']}], state='absent')
    assert error.path == 'groups[1].name' and fragment in str(error) and str(error).isprintable()


@pytest.mark.parametrize('name', ['\u4e3b\u6e90', 'relay 1', 'r\u00e9lais', 'a-b_c.d', 'x' * 200])
def test_group_names_may_be_any_visible_text(name):
    rs.validate_options(VHOST, APP, [group(name, 'x.example.org')], 'present')


def test_param_keys_and_values_refuse_control_characters_and_never_show_the_value():
    error = _groups_error([group('a', params={'to\nken': 'x'})])
    assert error.path == 'groups[0].servers[0].params' and "'to\\nken'" in str(error)
    error = _groups_error([group('a', params={'token': 's3cr3t-origin-password\r\nX-Injected: 1'})])
    assert error.path == 'groups[0].servers[0].params.token' and 'U+000D' in str(error)
    assert 's3cr3t' not in str(error) and 'Injected' not in str(error)
    rs.validate_options(VHOST, APP, [group('a', params={'domain': 'live.push.net', '\u540d': '\u503c'})], 'present')


def test_info_filters_are_validated():
    rs.validate_filters(VHOST, APP, 'relay1')
    rs.validate_filters(VHOST)
    for app, name, path in [('live\n', None, 'app'), (APP, 'relay1\n', 'group'), (APP, '', 'group')]:
        with pytest.raises(rs.RelaySourceInputError) as caught:
            rs.validate_filters(VHOST, app, name)
        assert caught.value.path == path
