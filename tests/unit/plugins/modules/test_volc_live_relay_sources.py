# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module-level units for volc_live_relay_sources against the emulator's model of the API, in-process, with a client
per worker thread as in production."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.volcengine.cloud.plugins.modules import volc_live_relay_sources as module
from ansible_collections.volcengine.cloud.tests.unit.model_client import (
    ModelAPI, app_config, groups_of, in_flight_gate, interrupt_after_writes)
from ansible_collections.volcengine.cloud.tests.unit.plugins.modules.test_volc_live_relay_source import group

VHOST = 'push.example.com'
OTHER = 'play.example.com'
DESCRIBE = 'DescribeRelaySourceV3'
UPDATE = 'UpdateRelaySourceV3'
DELETE = 'DeleteRelaySourceV3'


def entry(app, groups, vhost=VHOST):
    return {'vhost': vhost, 'app': app, 'groups': groups}


def seeded(*configs, **options):
    """An API holding ``configs``: (vhost, app, groups), (app, groups) in VHOST, or a dict in the API's shape."""
    return ModelAPI([config if isinstance(config, dict) else app_config(*(config if len(config) == 3 else (VHOST,) + config))
                     for config in configs], **options)


def apps(count, prefix='app'):
    return ['%s%02d' % (prefix, number) for number in range(count)]


def origin(app):
    return [group('primary', '%s-origin.example.org' % app)]


@pytest.fixture
def run(run_module):
    def run_task(api, check_mode=False, diff=False, **args):
        return run_module(module, args, client_factory=api.factory, check_mode=check_mode, diff=diff)
    return run_task


# --- merged / replaced / overridden / deleted -----------------------------------------------------------------

@pytest.mark.parametrize('update_mode', ['replace', 'merge'])
def test_merged_creates_many_apps_then_a_no_op_is_one_call(run, update_mode):
    api = ModelAPI(update_mode=update_mode)
    config = [entry(app, origin(app)) for app in apps(30)]
    first = run(api, config=config)
    assert first.result['changed'] is True
    assert [call[0] for call in api.view.calls] == [DESCRIBE] + [UPDATE] * 30
    assert api.view.calls[0] == (DESCRIBE, {'Vhost': VHOST})
    assert [result['status'] for result in first.result['apps']] == ['applied'] * 30
    assert [result['change'] for result in first.result['apps']] == ['create groups primary'] * 30
    assert first.result['after'] == [dict(item, groups=item['groups']) for item in config]
    assert first.result['before'] == []
    assert sorted(request['app'] for request in first.result['writes']) == apps(30)
    assert first.result['summary'] == '%s: created 30' % VHOST

    api.view.clear_requests()
    again = run(api, config=config)
    assert again.result['changed'] is False
    assert api.view.calls == [(DESCRIBE, {'Vhost': VHOST})]
    # an unchanged app is only counted: a no-op over an estate returns a few lines
    assert again.result['apps'] == [] and again.result['summary'] == '%s: unchanged 30' % VHOST
    assert again.result['writes'] == [] and again.result['before'] == again.result['after'] == []


def test_merged_replaces_the_servers_of_listed_groups_and_keeps_the_rest(run):
    api = seeded(('live', [group('x'), group('relay1', 'old.example.org')]), ('sports', [group('s')]))
    result = run(api, config=[entry('live', [group('relay1', 'new.example.org'), group('y')])]).result
    assert [item['Group'] for item in groups_of(api.view, VHOST, 'live')] == ['x', 'relay1', 'y']
    assert groups_of(api.view, VHOST, 'live')[1]['Servers'][0]['RelaySourceDomain'] == 'new.example.org'
    assert [item['Group'] for item in groups_of(api.view, VHOST, 'sports')] == ['s']
    assert [(item['app'], item['status'], item['change']) for item in result['apps']] == [
        ('live', 'applied', 'update: group relay1 changed; group y added')]


def test_replaced_makes_listed_apps_exact_and_leaves_other_apps(run):
    api = seeded(('live', [group('x'), group('relay1')]), ('sports', [group('s')]))
    result = run(api, state='replaced', config=[entry('live', [group('relay1')])]).result
    assert [item['Group'] for item in groups_of(api.view, VHOST, 'live')] == ['relay1']
    assert [item['Group'] for item in groups_of(api.view, VHOST, 'sports')] == ['s']
    assert result['apps'][0]['actions'] == ['deleted group x']
    assert [item['app'] for item in result['after']] == ['live']


def test_replaced_with_no_groups_deletes_the_app(run):
    api = seeded(('live', [group('x')]))
    result = run(api, state='replaced', config=[entry('live', [])]).result
    assert api.view.writes() == [(DELETE, {'Vhost': VHOST, 'App': 'live'})]
    assert result['after'] == []


def test_overridden_deletes_the_unlisted_apps_of_the_vhosts_in_scope_only(run):
    api = seeded(('live', [group('relay1')]), ('sports', [group('s')]), ('old', [group('o')]), (OTHER, 'keep', [group('k')]),
                 (VHOST, '', [group('all', 'wide.example.org')]))
    result = run(api, state='overridden', config=[entry('live', [group('relay1')])]).result
    assert api.view.calls[0] == (DESCRIBE, {'Vhost': VHOST}) and [call[0] for call in api.view.calls].count(DESCRIBE) == 1
    assert sorted(body['App'] for action, body in api.view.writes()) == ['old', 'sports']
    assert all(action == DELETE and body['App'] for action, body in api.view.writes())
    assert [(item['app'], item['status']) for item in result['apps']] == [('sports', 'applied'), ('old', 'applied')]
    assert result['apps'][0]['actions'] == ["deleted the app's whole configuration (groups s)"]
    assert result['summary'] == '%s: deleted 2 (sports, old), unchanged 1' % VHOST
    assert groups_of(api.view, OTHER, 'keep') and groups_of(api.view, VHOST, '')
    assert result['vhost_wide'] == [{'vhost': VHOST, 'app': '', 'groups': [group('all', 'wide.example.org')]}]
    assert [item['app'] for item in result['before']] == ['sports', 'old']
    assert result['after'] == []


def test_overridden_with_vhosts_and_an_empty_config_empties_those_vhosts(run):
    api = seeded(('live', [group('relay1')]), (OTHER, 'a', [group('k')]), (OTHER, 'b', [group('k')]))
    result = run(api, state='overridden', config=[], vhosts=[OTHER]).result
    assert api.view.calls[0] == (DESCRIBE, {'Vhost': OTHER})
    assert api.view.writes() == [(DELETE, {'Vhost': OTHER, 'App': 'a'}), (DELETE, {'Vhost': OTHER, 'App': 'b'})]
    assert groups_of(api.view, VHOST, 'live'), 'a vhost outside the scope is never touched'
    assert result['changed'] is True and result['after'] == []


@pytest.mark.parametrize('config', [None, []])
def test_overridden_with_nothing_in_scope_is_an_error_before_any_call(run, config):
    api = seeded(('live', [group('relay1')]))
    run_result = run(api, state='overridden', config=config)
    assert run_result.failed and run_result.result['path'] == 'config'
    assert 'nothing in scope' in run_result.result['msg']
    assert run_result.client_built is False and api.view.calls == []


def test_deleted_listed_groups_whole_apps_and_whole_vhosts(run):
    api = seeded(('live', [group('a'), group('b')]), ('sports', [group('s')]), ('stays', [group('s')]),
                 (OTHER, 'x', [group('x')]), (OTHER, 'y', [group('y')]))
    result = run(api, state='deleted', vhosts=[OTHER], config=[
        entry('live', [{'name': 'b'}, {'name': 'missing'}]), entry('sports', None), entry('absent', None)]).result
    assert api.view.writes() == [
        (DELETE, {'Vhost': VHOST, 'App': 'live', 'Group': 'b'}), (DELETE, {'Vhost': VHOST, 'App': 'sports'}),
        (DELETE, {'Vhost': OTHER, 'App': 'x'}), (DELETE, {'Vhost': OTHER, 'App': 'y'})]
    assert [(item['app'], item['status']) for item in result['apps']] == [
        ('live', 'applied'), ('sports', 'applied'), ('x', 'applied'), ('y', 'applied')]
    assert result['summary'] == '%s: updated 1 (live), deleted 1 (sports), unchanged 1; %s: deleted 2 (x, y)' % (VHOST, OTHER)
    assert [item['Group'] for item in groups_of(api.view, VHOST, 'live')] == ['a']
    assert groups_of(api.view, VHOST, 'stays')


# --- gathered and rendered ------------------------------------------------------------------------------------

@pytest.mark.parametrize('update_mode', ['replace', 'merge'])
def test_gathered_then_overridden_round_trip_changes_nothing(run, update_mode):
    api = seeded(('live', [group('relay1', 'a.example.org', 'b.example.org:1935'),
                           group('relay2', '203.0.113.10', protocol='flv', params={'domain': 'live.push.net'})]),
                 ('sports', [group('s', '[2001:db8::10]:1935')]), (OTHER, 'events', [group('k')]),
                 {'Vhost': VHOST, 'App': '*', 'GroupDetails': []}, update_mode=update_mode)
    gathered = run(api, state='gathered', vhosts=[VHOST, OTHER]).result
    assert gathered['changed'] is False
    assert [(item['vhost'], item['app']) for item in gathered['gathered']] == [(VHOST, 'live'), (VHOST, 'sports'), (OTHER, 'events')]
    assert gathered['vhost_wide'] == [{'vhost': VHOST, 'app': '*', 'groups': []}]
    assert api.view.calls == [(DESCRIBE, {'Vhost': VHOST}), (DESCRIBE, {'Vhost': OTHER})]

    api.view.clear_requests()
    result = run(api, state='overridden', config=gathered['gathered'], diff=True).result
    assert result['changed'] is False
    assert [call[0] for call in api.view.calls] == [DESCRIBE, DESCRIBE]
    assert result['diff'] == [{'prepared': '%s: unchanged 2; %s: unchanged 1\n' % (VHOST, OTHER)}]


def test_gathered_needs_vhosts_and_takes_no_config(run):
    api = ModelAPI()
    assert run(api, state='gathered').result['path'] == 'vhosts'
    assert run(api, state='gathered', vhosts=[VHOST], config=[entry('live', [])]).result['path'] == 'config'
    assert api.view.calls == []


def test_rendered_maps_config_to_requests_without_a_client(run):
    api = ModelAPI()
    run_result = run(api, state='rendered', config=[
        entry('live', [group('primary', 'a.example.org'), group('backup', '203.0.113.10', protocol='flv', params={'k': 'v'})]),
        entry('empty', [])])
    assert run_result.client_built is False and api.view.calls == []
    assert run_result.result['changed'] is False and run_result.result['request_ids'] == []
    assert run_result.result['rendered'] == [{'action': UPDATE, 'body': {
        'Vhost': VHOST, 'App': 'live', 'GroupDetails': [
            {'Group': 'primary', 'Servers': [{'RelaySourceDomain': 'a.example.org', 'RelaySourceProtocol': 'rtmp'}]},
            {'Group': 'backup', 'Servers': [{'RelaySourceDomain': '203.0.113.10', 'RelaySourceProtocol': 'flv',
                                             'RelaySourceParams': {'k': 'v'}}]}]}}]


# --- check mode, diff, validation ------------------------------------------------------------------------------

def test_check_mode_plans_every_write_and_makes_none(run):
    api = seeded(('live', [group('x')]), ('old', [group('o')]))
    result = run(api, state='overridden', config=[entry('live', [group('relay1')]), entry('new', [group('n')])],
                 check_mode=True, diff=True).result
    assert api.view.writes() == []
    assert result['changed'] is True
    assert [(item['app'], item['status']) for item in result['apps']] == [('live', 'planned'), ('new', 'planned'), ('old', 'planned')]
    assert [(request['action'], request['app'], request.get('groups'), request['outcome']) for request in result['writes']] == [
        (UPDATE, 'live', ['x', 'relay1'], 'planned'), (DELETE, 'live', ['x'], 'planned'), (UPDATE, 'new', ['n'], 'planned'),
        (DELETE, 'old', None, 'planned')]
    header = 'relay source %s/%%s' % VHOST
    summary = '%s: would create 1 (new), would update 1 (live), would delete 1 (old)' % VHOST
    assert result['summary'] == summary
    assert result['diff'] == [
        {'prepared': summary + '\n'},
        {'before': {'vhost': VHOST, 'app': 'live', 'groups': [group('x')]}, 'after': {'vhost': VHOST, 'app': 'live', 'groups': [group('relay1')]},
         'before_header': header % 'live', 'after_header': header % 'live'},
        {'before': {'vhost': VHOST, 'app': 'old', 'groups': [group('o')]}, 'after': {},
         'before_header': header % 'old', 'after_header': header % 'old'},
        {'before': {}, 'after': {'vhost': VHOST, 'app': 'new', 'groups': [group('n')]},
         'before_header': header % 'new', 'after_header': header % 'new'}]


def test_no_diff_unless_asked(run):
    assert 'diff' not in run(ModelAPI(), config=[entry('live', [group('g')])]).result


BAD_INPUTS = [
    (dict(config=[entry('a', [group('g')]), entry('b', [group('g')]), entry('c', [group('g')]),
                  entry('d', [group('g'), {'name': 'h', 'servers': [{'domain': 'ok.example.org'}, {'domain': 'http://x.example.org/'}]}])]),
     'config[3].groups[1].servers[1].domain', 'must not include a scheme'),
    (dict(config=[entry('live', [group('g')]), entry('sports', [group('g')]), entry('live', [group('h')])]),
     'config[2]', 'push.example.com/live is already listed by config[0]'),
    (dict(config=[entry('live', [group('g')]), entry('', [group('g')])]), 'config[1].app', 'vhost-wide'),
    (dict(config=[entry('*', [group('g')])]), 'config[0].app', 'never changes'),
    (dict(config=[entry('live', [group('g')], vhost='bad vhost')]), 'config[0].vhost', 'whitespace'),
    (dict(state='replaced', config=[entry('live', None)]), 'config[0].groups', 'use groups: []'),
    (dict(config=[entry('live', [{'name': 'g', 'servers': []}])]), 'config[0].groups[0].servers', 'at least one'),
    (dict(config=[entry('live', [group('g'), group('g')])]), 'config[0].groups[1].name', 'duplicate group name'),
    (dict(vhosts=[VHOST], config=[entry('live', [group('g')])]), 'vhosts', 'only used with state=overridden'),
    (dict(state='rendered', vhosts=[VHOST], config=[]), 'vhosts', 'rendered reads nothing'),
    (dict(state='deleted', vhosts=[OTHER, VHOST], config=[entry('live', None)]), 'config[0].vhost', 'not both'),
    (dict(state='overridden', vhosts=[VHOST, OTHER, VHOST]), 'vhosts[2]', 'already listed as vhosts[0]'),
    (dict(config=[entry('live', [group('g')])], max_workers=0), 'max_workers', 'from 1 to 100'),
    (dict(config=[entry('live', [group('g')])], max_workers=101), 'max_workers', 'from 1 to 100'),
]


@pytest.mark.parametrize('args, path, words', BAD_INPUTS, ids=[case[1] for case in BAD_INPUTS])
def test_bad_input_fails_with_its_path_before_any_call(run, args, path, words):
    api = seeded(('live', [group('g')]))
    run_result = run(api, **args)
    assert run_result.failed
    assert run_result.result['path'] == path
    assert run_result.result['msg'].startswith(path + ': ') and words in run_result.result['msg']
    assert run_result.client_built is False and api.view.calls == []


# --- failures ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('max_workers', [1, 8])
def test_one_failing_app_does_not_stop_the_others_and_a_rerun_converges(run, max_workers):
    api = ModelAPI()
    config = [entry(app, origin(app)) for app in apps(10)]
    api.view.inject_fault(kind='error', status=400, code='InvalidParam', message='RelaySourceDomain refused',
                          apps=['app03'], actions=[UPDATE])
    failed = run(api, config=config, max_workers=max_workers)
    result = failed.result
    assert failed.failed and result['changed'] is True
    failed_call = [entry for entry in api.view.requests() if entry['fault']][0]
    assert result['msg'].startswith('1 of 10 apps failed (push.example.com/app03); 9 were applied and 0 needed no change.')
    assert ('Failed, push.example.com/app03 (create groups primary): UpdateRelaySourceV3 failed: InvalidParam: '
            'RelaySourceDomain refused' in result['msg'])
    assert 'Applied: push.example.com/app00 (create groups primary); push.example.com/app01 (create groups primary)' in result['msg']
    assert 'would meet the same refusal' in result['msg'] and 'converges' not in result['msg']
    assert failed_call['request_id'] in result['msg']
    assert (result['error']['code'], result['request_id'], result['http_status']) == ('InvalidParam', failed_call['request_id'], 400)
    statuses = dict((item['app'], item['status']) for item in result['apps'])
    assert statuses == dict((app, 'failed' if app == 'app03' else 'applied') for app in apps(10))
    assert result['summary'] == '%s: created 9, failed 1 (app03)' % VHOST
    app03 = result['apps'][3]
    assert (app03['error']['code'], app03['request_id'], app03['changed']) == ('InvalidParam', failed_call['request_id'], False)
    assert app03['plan']['writes'][0]['outcome'] == 'failed' and 'No write was applied' in app03['msg']
    assert sorted(config['App'] for config in api.view.state()['RelaySourceConfigList']) == [app for app in apps(10) if app != 'app03']
    assert 'after' not in result and 'diff' not in result

    api.view.clear_requests()
    rerun = run(api, config=config, max_workers=max_workers)
    assert rerun.result['changed'] is True and not rerun.failed
    assert api.view.writes() == [(UPDATE, {'Vhost': VHOST, 'App': 'app03', 'GroupDetails': [
        {'Group': 'primary', 'Servers': [{'RelaySourceDomain': 'app03-origin.example.org', 'RelaySourceProtocol': 'rtmp'}]}]})]
    assert run(api, config=config).result['changed'] is False


def test_a_lost_answer_is_settled_and_the_warning_names_the_app(run):
    api = ModelAPI()
    api.view.inject_fault(kind='drop_after', apps=['app01'], actions=[UPDATE])
    result = run(api, config=[entry(app, origin(app)) for app in apps(3)]).result
    assert result['changed'] is True and not result.get('failed')
    assert result['apps'][1]['plan']['writes'][0]['settled_by_read'] is True
    assert 'plan' not in result['apps'][0]  # nothing to say beyond the one-line change
    warnings = str(result['warnings'])  # plain strings before ansible-core 2.19, structured after
    assert 'push.example.com/app01: UpdateRelaySourceV3 failed: ConnectionError' in warnings
    assert '"update groups primary" took effect' in warnings


def test_a_failed_read_stops_the_task_before_any_write(run):
    api = seeded(('live', [group('g')]), (OTHER, 'x', [group('x')]))
    api.view.inject_fault(kind='error', status=403, code='RequestForbidden', skip=1, actions=[DESCRIBE])
    run_result = run(api, state='overridden', config=[entry('live', []), entry('x', [], vhost=OTHER)], max_workers=1)
    assert run_result.failed and run_result.result['changed'] is False
    assert run_result.result['msg'].startswith('Reading the relay sources of vhost play.example.com failed. DescribeRelaySourceV3 '
                                               'failed: RequestForbidden')
    assert run_result.result['msg'].endswith('Nothing was written.')
    assert api.view.writes() == []
    assert run_result.result['request_ids'] == ['req-1', 'req-2']


def test_an_answer_it_does_not_understand_stops_the_task_before_any_write(run):
    api = seeded(('live', [group('g')]))
    api.view.inject_fault(kind='result', result={'RelaySourceConfigList': {'not': 'a list'}}, actions=[DESCRIBE])
    run_result = run(api, state='overridden', config=[entry('sports', [group('s')])])
    assert run_result.failed and run_result.result['error']['code'] == 'InvalidResponse'
    assert api.view.writes() == []


# --- the worker pool -------------------------------------------------------------------------------------------

def test_writes_run_concurrently_on_at_most_max_workers_threads_each_with_its_own_client(run):
    workers = 4
    gate = in_flight_gate(workers, lambda action, write: action == UPDATE)

    api = ModelAPI(client_class=gate)
    result = run(api, config=[entry(app, origin(app)) for app in apps(12)], max_workers=workers).result
    assert not result.get('failed'), result.get('msg')
    assert gate.most == workers
    assert len(api.view.writes()) == 12
    assert all(len(client.threads) == 1 for client in api.clients), 'a client is used by one thread only'
    assert len(api.clients) <= 1 + workers  # the reading worker's, then one per writing worker
    assert all(client.closed for client in api.clients)


def test_request_ids_list_the_reads_first_then_each_app_in_order(run):
    api = seeded((OTHER, 'x', [group('x')]))
    result = run(api, config=[entry('a', [group('g')]), entry('x', [], vhost=OTHER)], state='replaced', max_workers=1).result
    assert result['request_ids'] == ['req-1', 'req-2', 'req-3', 'req-4']
    assert [item['request_ids'] for item in result['apps']] == [['req-3'], ['req-4']]


# --- answers read before any write, interrupts, unmanaged fields ------------------------------------------------

@pytest.mark.parametrize('odd_app', [' ', 'live\x1b[31m', 'a' * 31])
def test_an_app_name_the_input_rules_refuse_stops_overridden_before_any_write(run, odd_app):
    api = seeded(('live', [group('x')]), ('other', [group('o')]), {'Vhost': VHOST, 'App': odd_app, 'GroupDetails': []})
    failed = run(api, state='overridden', config=[entry('live', [group('x')])])
    assert failed.failed and failed.result['changed'] is False and api.view.writes() == []
    assert failed.result['error']['code'] == 'InvalidResponse' and '.App' in failed.result['msg']
    assert '\x1b' not in failed.result['msg']


def test_vhosts_compare_case_insensitively_and_another_vhost_in_the_answer_stops_the_task(run):
    api = seeded(('live', [group('x')]))
    api.view.inject_fault(kind='result', actions=[DESCRIBE], result={'RelaySourceConfigList': [
        app_config(VHOST.upper(), 'live', [group('x')])]})
    same = run(api, config=[entry('live', [group('x')])])
    assert not same.failed and same.result['changed'] is False and api.view.writes() == []
    api.view.inject_fault(kind='result', actions=[DESCRIBE], result={'RelaySourceConfigList': [
        app_config(OTHER, 'live', [group('x')])]})
    other = run(api, state='overridden', config=[entry('live', [group('y')])])
    assert other.failed and api.view.writes() == [] and 'RelaySourceConfigList[0].Vhost' in other.result['msg']


def test_an_interrupt_stops_every_app_not_started_and_says_what_became_of_each(run, stop_flags):
    api = ModelAPI(client_class=interrupt_after_writes(3, stop_flags))
    result = run(api, config=[entry(app, origin(app)) for app in apps(10)], max_workers=1).result
    assert result['failed'] and len(api.view.writes()) == 3
    statuses = [item['status'] for item in result['apps']]
    assert statuses == ['applied'] * 3 + ['not_started'] * 7
    assert result['msg'].startswith('Stopped by SIGINT: no write was sent after it arrived. Apps: 3 applied, 7 not started.')
    assert result['changed'] is True


def test_a_change_that_drops_unmanaged_fields_warns_and_the_diff_says_so(run):
    api = seeded({'Vhost': VHOST, 'App': 'live', 'GroupDetails': [
        {'Group': 'x', 'Weight': 3, 'Servers': [{'RelaySourceDomain': 'x.example.org', 'RelaySourceProtocol': 'rtmp'}]}]})
    result = run(api, config=[entry('live', [group('x', 'y.example.org')])], check_mode=True, diff=True).result
    assert 'holds fields this collection does not manage (Weight)' in str(result['warnings'])
    assert result['diff'][1]['before']['groups'][0]['unmanaged_fields'] == ['Weight']
    assert 'unmanaged_fields' not in result['diff'][1]['after']['groups'][0]
