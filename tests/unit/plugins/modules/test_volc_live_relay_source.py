# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module-level units for volc_live_relay_source against the emulator's model of the API, in-process."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import ERROR_ADVICE
from ansible_collections.volcengine.cloud.plugins.modules import volc_live_relay_source as module
from ansible_collections.volcengine.cloud.tests.unit.model_client import app_config, groups_of, model_client, names_after_each_write
from ansible_collections.volcengine.cloud.tests.emulator.api_model import UPDATE_MODES
from ansible_collections.volcengine.cloud.tests.unit.odd_answers import ODD_DESCRIBE_RESULTS, describe_result

VHOST, APP = 'push.example.com', 'live'
DESCRIBE, UPDATE, DELETE = 'DescribeRelaySourceV3', 'UpdateRelaySourceV3', 'DeleteRelaySourceV3'


def group(name, *domains, **kwargs):
    return {'name': name, 'servers': [{'domain': domain, 'protocol': kwargs.get('protocol', 'rtmp'), 'params': kwargs.get('params', {})}
                                      for domain in (domains or ('%s.example.org' % name,))]}


def api_with(groups=None, update_mode='replace', **options):
    """The in-process API holding ``groups`` for VHOST/APP (``options``: the client's timeout and retries)."""
    return model_client([app_config(VHOST, APP, groups)] if groups else [], update_mode, **options)


def args(**kwargs):
    result = dict(vhost=VHOST, app=APP)
    result.update(kwargs)
    return result


TWO_GROUPS = [group('relay1', 'a.example.org', 'b.example.org:1935'), group('relay2', '203.0.113.10', protocol='flv', params={'domain': 'live.push.net'})]


@pytest.mark.parametrize('update_mode', ['replace', 'merge'])
def test_create_then_noop(run_module, update_mode):
    api = api_with(update_mode=update_mode)
    run = run_module(module, args(groups=TWO_GROUPS), api)
    assert run.result['changed'] is True
    assert run.result['plan'] == {'writes': [{'action': 'update', 'groups': ['relay1', 'relay2'], 'description': 'update groups relay1, relay2',
                                              'follow_up': False, 'temporary': False, 'outcome': 'applied', 'settled_by_read': False}],
                                  'verify': False, 'update_semantics': 'unknown'}
    assert run.result['actions'] == ['updated groups relay1, relay2']
    assert run.result['relay_source'] == {'vhost': VHOST, 'app': APP, 'groups': TWO_GROUPS}
    assert run.result['request_ids'] == ['req-1', 'req-2']
    assert groups_of(api, VHOST, APP)[1]['Servers'][0]['RelaySourceParams'] == {'domain': 'live.push.net'}

    api.clear_requests()
    again = run_module(module, args(groups=TWO_GROUPS), api)
    assert again.result['changed'] is False
    assert len(api.calls) == 1 and api.calls[0][0] == 'DescribeRelaySourceV3'
    assert again.result['actions'] == []


def test_check_mode_makes_no_write_and_diff(run_module):
    api = api_with([group('relay1')])
    run = run_module(module, args(groups=TWO_GROUPS), api, check_mode=True, diff=True)
    assert run.result['changed'] is True
    assert api.writes() == []
    assert run.result['actions'] == []
    assert [(write['action'], write['outcome']) for write in run.result['plan']['writes']] == [('update', 'planned')]
    assert run.result['diff'] == {'before': {'vhost': VHOST, 'app': APP, 'groups': [group('relay1')]},
                                  'after': {'vhost': VHOST, 'app': APP, 'groups': TWO_GROUPS},
                                  'before_header': 'relay source %s/%s' % (VHOST, APP),
                                  'after_header': 'relay source %s/%s' % (VHOST, APP)}
    assert groups_of(api, VHOST, APP)[0]['Group'] == 'relay1'


def test_diff_when_nothing_configured(run_module):
    run = run_module(module, args(groups=[group('g')]), api_with(), diff=True)
    assert run.result['diff']['before'] == {}
    run = run_module(module, args(state='absent'), api_with([group('g')]), diff=True)
    assert (run.result['diff']['before'], run.result['diff']['after']) == ({'vhost': VHOST, 'app': APP, 'groups': [group('g')]}, {})
    assert run.result['diff']['before_header'] == run.result['diff']['after_header'] == 'relay source %s/%s' % (VHOST, APP)
    assert run.result['relay_source'] == {'vhost': VHOST, 'app': APP, 'groups': []}


def test_no_diff_unless_asked(run_module):
    assert 'diff' not in run_module(module, args(groups=[group('g')]), api_with()).result


def test_aliases_and_defaults(run_module):
    api = api_with()
    run = run_module(module, args(groups=[{'group': 'g', 'servers': [
        {'relay_source_domain': 'a.example.org', 'relay_source_protocol': 'flv', 'relay_source_params': {'k': 'v'}},
        {'domain': 'b.example.org'}]}]), api)
    assert run.result['relay_source']['groups'] == [{'name': 'g', 'servers': [
        {'domain': 'a.example.org', 'protocol': 'flv', 'params': {'k': 'v'}},
        {'domain': 'b.example.org', 'protocol': 'rtmp', 'params': {}}]}]


@pytest.mark.parametrize('update_mode', UPDATE_MODES)
def test_purge_false_changes_listed_groups_in_place_and_appends_new_ones(run_module, update_mode):
    """Editing the backup of primary, backup never promotes it, and a new standby goes last: one update."""
    api = api_with([group('primary'), group('backup')], update_mode)
    run = run_module(module, args(groups=[group('backup', 'new.example.org'), group('standby')], purge_groups=False), api)
    assert [item['name'] for item in run.result['relay_source']['groups']] == ['primary', 'backup', 'standby']
    assert [item['Group'] for item in groups_of(api, VHOST, APP)] == ['primary', 'backup', 'standby']
    assert groups_of(api, VHOST, APP)[0]['Servers'][0]['RelaySourceDomain'] == 'primary.example.org'
    assert [action for action, _body in api.writes()] == [UPDATE]


def test_purge_true_deletes_unlisted_group_without_update(run_module):
    api = api_with(TWO_GROUPS)
    run = run_module(module, args(groups=TWO_GROUPS[:1]), api)
    assert [(write['action'], write['groups']) for write in run.result['plan']['writes']] == [('delete_group', ['relay2'])]
    assert run.result['actions'] == ['deleted group relay2']
    assert [call[0] for call in api.calls] == ['DescribeRelaySourceV3', 'DeleteRelaySourceV3']


def test_present_with_empty_groups_deletes_app(run_module):
    api = api_with(TWO_GROUPS)
    run = run_module(module, args(groups=[]), api)
    assert [write['action'] for write in run.result['plan']['writes']] == ['delete_app']
    assert run.result['actions'] == ["deleted the app's whole configuration (groups relay1, relay2)"]
    assert api.calls[-1] == ('DeleteRelaySourceV3', {'Vhost': VHOST, 'App': APP})


@pytest.mark.parametrize('listed, expected_calls, remaining', [
    (None, [('DeleteRelaySourceV3', {'Vhost': VHOST, 'App': APP})], None),
    ([{'name': 'relay2'}], [('DeleteRelaySourceV3', {'Vhost': VHOST, 'App': APP, 'Group': 'relay2'})], ['relay1']),
    ([{'name': 'relay1'}, {'name': 'relay2'}], [('DeleteRelaySourceV3', {'Vhost': VHOST, 'App': APP, 'Group': 'relay1'}),
                                                ('DeleteRelaySourceV3', {'Vhost': VHOST, 'App': APP, 'Group': 'relay2'})], None),
    ([{'name': 'nope'}], [], ['relay1', 'relay2']),
])
def test_absent(run_module, listed, expected_calls, remaining):
    api = api_with(TWO_GROUPS)
    run = run_module(module, args(state='absent', groups=listed) if listed is not None else args(state='absent'), api)
    assert api.writes() == expected_calls
    assert run.result['changed'] is bool(expected_calls)
    assert [item['name'] for item in run.result['relay_source']['groups']] == (remaining or [])


def test_absent_nothing_configured(run_module):
    api = api_with()
    run = run_module(module, args(state='absent'), api)
    assert run.result['changed'] is False and len(api.calls) == 1


@pytest.mark.parametrize('bad_args, path', [
    (dict(groups=[group('a'), group('a')]), 'groups[1].name'),
    (dict(app='bad app'), 'app'),
    (dict(vhost='https://push.example.com'), 'vhost'),
    (dict(groups=[group('a'), group('b', 'ok.example.org', 'rtmp://x.example.org/live')]), 'groups[1].servers[1].domain'),
    (dict(groups=[group('a', 'x.example.org:70000')]), 'groups[0].servers[0].domain'),
    (dict(groups=[{'name': 'a', 'servers': []}]), 'groups[0].servers'),
    (dict(groups=[{'name': 'a'}]), 'groups[0].servers'),
    (dict(groups=[group('a', params={'port': 1935})]), 'groups[0].servers[0].params.port'),
    (dict(groups=[group('a', *['o%d.example.org' % index for index in range(11)])]), 'groups[0].servers'),
    (dict(app='live\n'), 'app'),
    (dict(vhost='push.example.com\n'), 'vhost'),
    (dict(vhost='v' * 61), 'vhost'),
    (dict(groups=[group('a', 'x.example.org:19\u00b3')]), 'groups[0].servers[0].domain'),
    (dict(groups=[group('a', 'x.example.org:\u0661\u0669\u0663\u0665')]), 'groups[0].servers[0].domain'),
    (dict(groups=[group('a'), {'name': 'b\n', 'servers': [{'domain': 'b.example.org'}]}]), 'groups[1].name'),
    (dict(groups=[group('a', params={'k': 'v\r\nX: y'})]), 'groups[0].servers[0].params.k'),
])
def test_bad_input_fails_before_any_call(run_module, bad_args, path):
    api = api_with()
    request = args(groups=[group('g')])
    request.update(bad_args)
    run = run_module(module, request, api)
    assert run.failed and run.result['msg'].startswith(path + ': ')
    assert run.result['path'] == path
    assert api.calls == [] and not run.client_built


def test_argspec_rejects_unknown_suboption_and_bad_protocol(run_module):
    api = api_with()
    run = run_module(module, args(groups=[{'name': 'a', 'servers': [{'domain': 'a.example.org', 'port': 1}]}]), api)
    assert run.failed and 'port' in run.result['msg']
    run = run_module(module, args(groups=[{'name': 'a', 'servers': [{'domain': 'a.example.org', 'protocol': 'hls'}]}]), api)
    assert run.failed and 'protocol' in run.result['msg']
    run = run_module(module, args(), api)
    assert run.failed and 'groups' in run.result['msg']
    assert api.calls == []


@pytest.mark.parametrize('code, status', [('RequestForbidden', 403), ('InvalidParam.BindError', 400), ('CommonErr', 200)])
def test_error_on_read(run_module, code, status):
    api = api_with()
    api.inject_fault(kind='error', code=code, status=status, message='api says no')
    run = run_module(module, args(groups=[group('g')]), api)
    assert run.failed
    assert ERROR_ADVICE[code] in run.result['msg'] and code in run.result['msg'] and 'req-1' in run.result['msg']
    assert run.result['error'] == {'code': code, 'message': 'api says no'}
    assert run.result['request_id'] == 'req-1' and run.result['http_status'] == status
    assert run.result['request_ids'] == ['req-1'] and run.result['actions'] == []
    assert 'Traceback' not in run.result['msg'] and 'test-secret' not in str(run.result)


def test_partial_failure_says_what_was_applied(run_module):
    api = api_with([group('a'), group('x'), group('b')])
    api.inject_fault(kind='error', code='FlowLimitExceeded', status=429, actions=[DELETE])
    run = run_module(module, args(groups=[group('a'), group('b', 'n.example.org')]), api)
    assert run.failed and run.result['changed'] is True
    assert run.result['actions'] == ['updated groups a, x, b']
    assert 'Already applied: updated groups a, x, b. Not applied: delete group x' in run.result['msg']
    assert 'converges' in run.result['msg'] and 'No write' not in run.result['msg']
    assert [write['outcome'] for write in run.result['plan']['writes']] == ['applied', 'failed']


def test_refused_first_write_reports_no_change(run_module):
    api = api_with([group('a')])
    api.inject_fault(kind='error', code='InvalidParam.BindError', status=400, actions=[UPDATE])
    run = run_module(module, args(groups=[group('a', 'n.example.org')]), api)
    assert run.failed and run.result['changed'] is False and run.result['actions'] == []
    assert 'No write was applied (not applied: update groups a). Running the task again would meet the same refusal' in run.result['msg']
    assert 'converges' not in run.result['msg']


@pytest.mark.parametrize('update_mode', UPDATE_MODES)
def test_lost_delete_answer_settled_by_a_read_succeeds_with_a_warning(run_module, update_mode):
    api = api_with([group('a'), group('x')], update_mode, retries=1)
    api.inject_fault(kind='drop_after', actions=[DELETE])  # the delete is applied, its answer lost: never re-sent blindly
    run = run_module(module, args(groups=[group('a')]), api)
    assert not run.failed and run.result['changed'] is True
    assert run.result['actions'] == ['deleted group x']
    assert [call[0] for call in api.calls] == [DESCRIBE, DELETE, DESCRIBE]
    warnings = str(run.result['warnings'])  # plain strings before ansible-core 2.19, structured after
    assert 'DeleteRelaySourceV3 failed: ConnectionError' in warnings and '"delete group x" took effect' in warnings


def test_lost_answer_that_no_read_can_settle_fails_with_changed_true(run_module):
    api = api_with([group('a'), group('x')])
    api.inject_fault(kind='delay', delay=60, actions=[DELETE])  # applied, but held past the client's timeout
    api.inject_fault(kind='drop', actions=[DESCRIBE], skip=1)  # the settling read gets no answer
    run = run_module(module, args(groups=[group('a')]), api)
    assert run.failed and run.result['changed'] is True and run.result['actions'] == []
    assert run.result['error']['code'] == 'Timeout'
    assert 'Outcome unknown' in run.result['msg'] and 'delete group x' in run.result['msg']
    assert 'No write was applied' not in run.result['msg']
    assert run.result['plan']['writes'][0]['outcome'] == 'unknown'


@pytest.mark.parametrize('update_mode, semantics, writes', [
    ('replace', 'replace, merge_first, merge_last', [('update', False)]),
    ('merge_last', 'replace, merge_first, merge_last', [('update', False)]),
    ('merge', 'merge', [('update', False), ('update', True), ('delete_group', True), ('update', True), ('delete_group', True)]),
])
def test_reorder_reports_the_semantics_it_saw_and_check_mode_the_first_pass(run_module, update_mode, semantics, writes):
    reordered = [TWO_GROUPS[1], TWO_GROUPS[0]]
    api = api_with(TWO_GROUPS, update_mode)
    check = run_module(module, args(groups=reordered), api, check_mode=True)
    assert check.result['changed'] is True and api.writes() == []
    assert check.result['plan'] == {'writes': [{'action': 'update', 'groups': ['relay2', 'relay1'], 'description': 'update groups relay2, relay1',
                                                'follow_up': False, 'temporary': False, 'outcome': 'planned', 'settled_by_read': False}],
                                    'verify': True, 'update_semantics': 'unknown'}
    run = run_module(module, args(groups=reordered), api)
    assert run.result['changed'] is True and run.result['plan']['update_semantics'] == semantics
    assert [(write['action'], write['follow_up']) for write in run.result['plan']['writes']] == writes
    assert all(write['outcome'] == 'applied' for write in run.result['plan']['writes'])
    assert [item['Group'] for item in groups_of(api, VHOST, APP)] == ['relay2', 'relay1']
    assert all(names for _action, _body, names in names_after_each_write(api, VHOST, APP))


def test_protocol_change_refused_gets_hint(run_module):
    api = api_with([group('a', 'x.example.org')])
    api.inject_fault(kind='error', code='InvalidParam', status=400, actions=[UPDATE])
    run = run_module(module, args(groups=[group('a', 'x.example.org', protocol='flv')]), api)
    assert run.failed and 'protocol of a saved origin cannot be changed' in run.result['msg']
    assert 'state=absent' in run.result['msg']


def test_other_invalid_param_gets_no_protocol_hint(run_module):
    api = api_with([group('a', 'x.example.org')])
    api.inject_fault(kind='error', code='InvalidParam', status=400, actions=[UPDATE])
    run = run_module(module, args(groups=[group('a', 'y.example.org')]), api)
    assert run.failed and 'saved origin' not in run.result['msg']


def test_describe_not_found_means_nothing(run_module):
    api = api_with()
    api.settings(empty_describe='notfound')
    run = run_module(module, args(groups=[group('g')]), api)
    assert run.result['changed'] is True and api.writes()[0][0] == 'UpdateRelaySourceV3'


ODD_IDS = [case[0] for case in ODD_DESCRIBE_RESULTS]


@pytest.mark.parametrize('result, path', [case[1:] for case in ODD_DESCRIBE_RESULTS], ids=ODD_IDS)
@pytest.mark.parametrize('update_mode', ['replace', 'merge'])
def test_odd_describe_answer_fails_closed_before_any_write(run_module, result, path, update_mode):
    """Read as "nothing configured", these answers made the next Update (purge_groups=false) wipe relay1/relay2."""
    api = api_with([group('relay1'), group('relay2')], update_mode=update_mode)
    api.inject_fault(kind='result', result=result, actions=[DESCRIBE])
    run = run_module(module, args(groups=[group('relay3')], purge_groups=False), api)
    assert run.failed and api.writes() == []
    assert [detail['Group'] for detail in groups_of(api, VHOST, APP)] == ['relay1', 'relay2']
    message = run.result['msg']
    assert message.startswith('DescribeRelaySourceV3 failed: InvalidResponse: %s ' % path), message
    assert 'RequestId req-1' in message and ERROR_ADVICE['InvalidResponse'] in message
    assert run.result['error']['code'] == 'InvalidResponse' and run.result['error']['message'].startswith(path + ' ')
    assert run.result['request_id'] == 'req-1' and run.result['http_status'] == 200
    assert run.result['actions'] == [] and run.result['changed'] is False
    assert 'Traceback' not in message and 'MODULE FAILURE' not in message and 'exception' not in run.result


@pytest.mark.parametrize('result, path', [case[1:] for case in ODD_DESCRIBE_RESULTS[:6]], ids=ODD_IDS[:6])
def test_odd_describe_answer_stops_state_absent_too(run_module, result, path):
    api = api_with([group('relay1'), group('relay2')])
    api.inject_fault(kind='result', result=result, actions=[DESCRIBE])
    run = run_module(module, args(state='absent', groups=[{'name': 'relay1'}]), api)
    assert run.failed and path in run.result['msg'] and api.writes() == []


def test_params_sent_as_a_json_string_are_decoded(run_module):
    api = api_with([group('relay1'), group('relay2')])
    api.inject_fault(kind='result', result=describe_result(server={'RelaySourceParams': '{"domain": "live.push.net"}'}),
                     actions=[DESCRIBE])
    declared = [group('relay1'), {'name': 'relay2', 'servers': [
        {'domain': 'a.example.org', 'protocol': 'flv', 'params': {}},
        {'domain': 'b.example.org', 'protocol': 'rtmp', 'params': {'domain': 'live.push.net'}}]}]
    run = run_module(module, args(groups=declared), api)
    assert run.result['changed'] is False and api.writes() == []


def test_odd_write_answer_stops_the_remaining_writes(run_module):
    api = api_with([group('a'), group('x'), group('b')])
    api.inject_fault(kind='result', result=['updated'], actions=[UPDATE])
    run = run_module(module, args(groups=[group('a'), group('b', 'n.example.org')]), api)
    assert run.failed and run.result['changed'] is True
    assert [action for action, _body in api.writes()] == ['UpdateRelaySourceV3']
    assert run.result['actions'] == ['updated groups a, x, b']
    assert run.result['msg'].startswith('UpdateRelaySourceV3 failed: InvalidResponse: Result is an array; expected an object')
    assert 'Already applied: updated groups a, x, b. Not applied: delete group x.' in run.result['msg']
