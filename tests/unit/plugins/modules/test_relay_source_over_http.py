# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""volc_live_relay_source in-process with the production client against the emulator over HTTP: the lifecycle with
its API calls, the request log replayed write by write, check mode, every seed error code, bad input, answers it
cannot understand, and the two ways the API says "nothing configured". Every module run's API calls are found in the
emulator's request log through the request_ids it returned. (These ran as ansible-playbook tasks in tests/e2e before
issue 25; what needs ansible-playbook stays there.)"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import ERROR_ADVICE
from ansible_collections.volcengine.cloud.plugins.modules import volc_live_relay_source as module
from ansible_collections.volcengine.cloud.plugins.modules import volc_live_relay_source_info as info_module
from ansible_collections.volcengine.cloud.tests.unit.http_emulator import (
    DELETE, DESCRIBE, UPDATE, VHOST, actions_of, api_config, calls_of, group, group_names)

# The error codes of the relay-source actions (seed page) with the HTTP status the API sends them with.
SEED_ERRORS = [
    ('CommonErr', 200), ('InvalidParam', 400), ('InvalidParam.BindError', 400), ('RequestForbidden', 403),
    ('RequestForbidden.AccountIDNotAllow', 403), ('RequestForbidden.BillingStatus', 403),
    ('RequestLimitExceeded.Exist', 429), ('InternalError', 500), ('InternalError.DB', 500),
    ('InternalServiceError', 502), ('InternalServiceError.BadResponse', 502), ('InternalServiceTimeout', 504),
]


@pytest.fixture
def run(run_over_http, emulator):
    """Run volc_live_relay_source on VHOST/live (or ``module_under_test`` on VHOST) against the emulator; ``options``
    are its options."""
    def run_task(check_mode=False, diff=False, module_under_test=module, **options):
        arguments = {'vhost': VHOST} if module_under_test is info_module else {'vhost': VHOST, 'app': 'live'}
        arguments.update(options)
        return run_over_http(module_under_test, arguments, emulator, check_mode=check_mode, diff=diff)
    return run_task


TWO_GROUPS = [{'name': 'relay1', 'servers': [{'domain': 'origin-a.example.org'}, {'domain': 'origin-b.example.org:1935'}]},
              {'name': 'relay2', 'servers': [{'domain': '203.0.113.10', 'protocol': 'flv', 'params': {'domain': 'live.push.net'}}]}]
REORDERED = [TWO_GROUPS[1], {'name': 'relay1', 'servers': [{'domain': 'origin-b.example.org:1935'}, {'domain': 'origin-a.example.org'}]}]
RELAY3_RELAY1 = [{'name': 'relay3', 'servers': [{'domain': 'origin-c.example.org:8080', 'protocol': 'flv'}]},
                 {'name': 'relay1', 'servers': [{'domain': 'origin-a.example.org'}]}]
# Each step: its options; each runs in check mode, for real, then again, all with the diff.
LIFECYCLE = [
    ('Create', dict(groups=TWO_GROUPS)),
    ('Reorder', dict(groups=REORDERED)),
    ('Add without purge', dict(groups=RELAY3_RELAY1, purge_groups=False)),
    ('Purge', dict(groups=RELAY3_RELAY1)),
    ('Delete one group', dict(state='absent', groups=[{'name': 'relay3'}])),
    ('Delete all', dict(state='absent')),
]


@pytest.mark.parametrize('update_mode', ['replace', 'merge'])
def test_lifecycle(update_mode, emulator, run):
    """create / reorder / add without purge / purge / delete one / delete all, each: check, real, rerun."""
    emulator.settings(update_mode=update_mode)
    upsert = update_mode == 'merge'
    runs = {}
    for step, options in LIFECYCLE:
        runs[step + ' (check)'] = run(check_mode=True, diff=True, **options).result
        runs[step] = run(diff=True, **options).result
        runs[step + ' again'] = run(diff=True, **options).result
    log = emulator.requests()
    assert not any(result.get('failed') for result in runs.values()), runs
    assert len(log) == sum(len(result['request_ids']) for result in runs.values())
    assert all(item['signature_valid'] for item in log)

    # The calls after the first read: a reorder is one update and a read under replace; under merge the read sees the
    # old order kept, so the group out of place is copied under a temporary name, deleted, appended again, the copy
    # deleted, and a last read confirms the order the learned behaviour predicted.
    recycle = [UPDATE, DELETE, UPDATE, DELETE, DESCRIBE]
    expected_calls = {
        'Create': [UPDATE],
        'Reorder': [UPDATE, DESCRIBE] + (recycle if upsert else []),
        'Add without purge': [UPDATE],
        'Purge': [UPDATE, DESCRIBE] + ([DELETE] + recycle if upsert else []),
        'Delete one group': [DELETE],
        'Delete all': [DELETE],
    }
    for step, calls in expected_calls.items():
        check, real, again = runs[step + ' (check)'], runs[step], runs[step + ' again']
        assert check['changed'] is True and actions_of(log, check) == [DESCRIBE], step
        assert check['actions'] == [], step
        # check mode shows the first pass, as planned; the real run makes it, then any follow-up
        first_pass = [write for write in real['plan']['writes'] if not write['follow_up']]
        assert [dict(write, outcome='planned') for write in first_pass] == check['plan']['writes'], step
        assert check['diff'] == real['diff'], step
        assert real['changed'] is True and actions_of(log, real) == [DESCRIBE] + calls, step
        assert len(real['actions']) == len([call for call in calls if call != DESCRIBE]), step
        # the rerun reads afresh: changed=false proves the emulator holds exactly the desired configuration
        assert again['changed'] is False and actions_of(log, again) == [DESCRIBE], step
        assert again['relay_source'] == real['relay_source'], step

    create = runs['Create']
    assert create['diff']['before'] == {}
    # the headers name the app, so a --diff of many apps says which one each diff is about (tests/e2e's
    # test_examples_run sees ansible-playbook print them)
    assert create['diff']['before_header'] == create['diff']['after_header'] == 'relay source %s/live' % VHOST
    assert create['diff']['after'] == create['relay_source'] == {'vhost': VHOST, 'app': 'live', 'groups': [
        {'name': 'relay1', 'servers': [{'domain': 'origin-a.example.org', 'protocol': 'rtmp', 'params': {}},
                                       {'domain': 'origin-b.example.org:1935', 'protocol': 'rtmp', 'params': {}}]},
        {'name': 'relay2', 'servers': [{'domain': '203.0.113.10', 'protocol': 'flv', 'params': {'domain': 'live.push.net'}}]}]}
    assert create['actions'] == ['updated groups relay1, relay2']
    update_body = calls_of(log, create)[1][1]
    assert update_body['GroupDetails'][1] == {'Group': 'relay2', 'Servers': [
        {'RelaySourceDomain': '203.0.113.10', 'RelaySourceProtocol': 'flv', 'RelaySourceParams': {'domain': 'live.push.net'}}]}

    reorder = runs['Reorder']
    assert [item['name'] for item in reorder['diff']['before']['groups']] == ['relay1', 'relay2']
    assert [item['name'] for item in reorder['diff']['after']['groups']] == ['relay2', 'relay1']
    assert reorder['plan']['verify'] is True
    assert reorder['plan']['update_semantics'] == ('merge' if upsert else 'replace, merge_first, merge_last')
    copy = 'relay1~ansible-copy'
    assert reorder['actions'] == ['updated groups relay2, relay1'] + ([
        'updated groups relay1, relay2, %s' % copy, 'deleted group relay1', 'updated groups relay2, %s, relay1' % copy,
        'deleted group %s' % copy] if upsert else [])

    added = runs['Add without purge']
    # purge_groups=false changes relay1 in place and appends relay3: nothing moves
    assert [item['name'] for item in added['relay_source']['groups']] == ['relay2', 'relay1', 'relay3']
    purge = runs['Purge']
    assert [(write['action'], write['groups']) for write in purge['plan']['writes']][0] == ('update', ['relay3', 'relay1'])
    assert calls_of(log, runs['Delete one group'])[1] == (DELETE, {'Vhost': VHOST, 'App': 'live', 'Group': 'relay3'})
    assert calls_of(log, runs['Delete all'])[1] == (DELETE, {'Vhost': VHOST, 'App': 'live'})
    assert runs['Delete all']['diff']['after'] == {}
    assert emulator.state()['RelaySourceConfigList'] == []


def writes_seen(log, app):
    """(action, Group of a delete, group names of ``app`` after the write, its server domains) for every write the
    emulator applied, from the state it logged after each one (setting log_state_after)."""
    steps = []
    for entry in log:
        if entry['action'] not in (UPDATE, DELETE) or 'state_after' not in entry:
            continue
        held = [config for config in entry['state_after'] if config['Vhost'] == VHOST and config['App'] == app]
        details = held[0]['GroupDetails'] if held else []
        steps.append((entry['action'], entry['body'].get('Group'), [detail['Group'] for detail in details],
                      set(server['RelaySourceDomain'] for detail in details for server in detail['Servers'])))
    return steps


COPY = '~ansible-copy'
# (app, current groups, declared groups, group names after each write under replace, ... under merge)
MAKE_BEFORE_BREAK = [
    ('reorder', ['a', 'b'], ['b', 'a'], [['b', 'a']],
     [['a', 'b'], ['a', 'b', 'a' + COPY], ['b', 'a' + COPY], ['b', 'a' + COPY, 'a'], ['b', 'a']]),
    ('reorder-drop', ['a', 'b', 'c'], ['c', 'a'], [['c', 'a']],
     [['a', 'b', 'c'], ['a', 'c'], ['a', 'c', 'a' + COPY], ['c', 'a' + COPY], ['c', 'a' + COPY, 'a'], ['c', 'a']]),
    ('replace-all', ['a', 'b'], ['c'], [['a', 'b', 'c'], ['b', 'c'], ['c']], [['a', 'b', 'c'], ['b', 'c'], ['c']]),
    ('purge', ['a', 'x', 'b'], ['a', 'b'], [['a', 'b']], [['a', 'b']]),
    ('add', ['a'], ['a', 'b'], [['a', 'b']], [['a', 'b']]),
]


@pytest.mark.parametrize('update_mode', ['replace', 'merge'])
def test_request_log_replayed_shows_the_app_never_without_a_group(update_mode, emulator, run):
    """The state the emulator logged after each single write of each task: never without a group, never without an
    origin the change keeps, no app-wide delete, no declared group deleted under replace, and the declared list at
    the end."""
    emulator.settings(update_mode=update_mode, log_state_after=True)
    emulator.set_state([api_config(app, [group(name) for name in current]) for app, current, _d, _r, _u in MAKE_BEFORE_BREAK])
    results = dict((app, run(app=app, groups=[group(name) for name in declared]).result)
                   for app, _c, declared, _r, _u in MAKE_BEFORE_BREAK)
    log = emulator.requests()
    for app, current, declared, after_replace, after_merge in MAKE_BEFORE_BREAK:
        assert not results[app].get('failed'), results[app]
        ids = set(results[app]['request_ids'])
        steps = writes_seen([entry for entry in log if entry['request_id'] in ids], app)
        assert [names for _action, _group, names, _domains in steps] == (after_replace if update_mode == 'replace' else after_merge), app
        kept = set(name + '.example.org' for name in current if name in declared)
        for action, deleted, names, domains in steps:
            assert names, (app, 'the app passed through zero groups')
            assert kept <= domains, (app, 'an origin the change keeps was taken away', names)
            if action == DELETE:
                assert deleted is not None, (app, 'an app-wide delete while groups are declared')
                assert update_mode == 'merge' or deleted not in declared, (app, 'a declared group deleted under replace')
        assert group_names(emulator, app) == declared == steps[-1][2], app


def test_check_mode_run_writes_nothing(emulator, run):
    emulator.set_state([api_config('live', [group('old')])])
    apply = run(check_mode=True, diff=True, groups=[group('relay1'), group('relay2', '[::1]:1935')])
    delete_other = run(check_mode=True, diff=True, app='other', state='absent')
    assert not apply.failed and not delete_other.failed
    assert apply.result['changed'] is True
    # the new groups are added before the old one goes
    assert [(write['action'], write['outcome']) for write in apply.result['plan']['writes']] == [
        ('update', 'planned'), ('delete_group', 'planned')]
    assert emulator.write_requests() == []
    assert [item['action'] for item in emulator.requests()] == [DESCRIBE, DESCRIBE]
    assert group_names(emulator) == ['old']
    assert 'diff' in apply.result


@pytest.mark.parametrize('code, status', SEED_ERRORS)
def test_every_seed_error_code_reaches_the_user(code, status, emulator, run):
    emulator.inject_fault(kind='error', status=status, code=code, actions=[DESCRIBE])
    failed = run(groups=[group('relay1')], max_retries=0)
    result = failed.result
    log = emulator.requests()
    assert failed.failed, code
    failed_call = [item for item in log if item['request_id'] == result['request_id']]
    assert failed_call and failed_call[0]['error_code'] == code, code
    assert result['error']['code'] == code and result['http_status'] == status, code
    assert ERROR_ADVICE[code] in result['msg'] and code in result['msg'] and result['request_id'] in result['msg'], code
    assert result['request_ids'] == [result['request_id']] and result['actions'] == [], code
    assert 'Traceback' not in result['msg'] + str(result.get('exception', '')), code
    assert emulator.secret_key not in str(result), code
    assert emulator.faults() == []


def test_a_partial_failure_says_what_was_applied_and_a_rerun_converges(emulator, run):
    before_partial = [group('a'), group('x'), group('b')]
    emulator.set_state([api_config('partial', before_partial)])
    emulator.inject_fault(kind='error', status=403, code='RequestForbidden', actions=[DELETE], apps=['partial'])
    partial_groups = [group('a'), group('b', 'new-b.example.org'), group('c')]
    failed = run(app='partial', groups=partial_groups, max_retries=0)
    partial = failed.result
    log = emulator.requests()
    assert failed.failed and partial['changed'] is True
    # the groups are added (x kept for now) before x is deleted; the delete is refused
    assert partial['actions'] == ['updated groups a, x, b, c']
    assert 'Already applied: updated groups a, x, b, c. Not applied: delete group x.' in partial['msg']
    assert 'would meet the same refusal' in partial['msg'] and 'converges' not in partial['msg']
    assert ERROR_ADVICE['RequestForbidden'] in partial['msg']
    assert [item['action'] for item in log if item['request_id'] in partial['request_ids']] == [DESCRIBE, UPDATE, DELETE]
    assert [write['outcome'] for write in partial['plan']['writes']] == ['applied', 'failed']

    rerun = run(app='partial', groups=partial_groups, max_retries=0)
    assert not rerun.failed and rerun.result['changed'] is True
    again = run(app='partial', groups=partial_groups, max_retries=0)
    assert not again.failed and again.result['changed'] is False
    assert group_names(emulator, 'partial') == ['a', 'b', 'c']
    assert emulator.faults() == []


def test_a_refused_protocol_change_gets_the_hint(emulator, run):
    emulator.set_state([api_config('proto', [group('p', 'x.example.org')])])
    emulator.inject_fault(kind='error', status=400, code='InvalidParam', actions=[UPDATE], apps=['proto'])
    protocol = run(app='proto', groups=[group('p', 'x.example.org', protocol='flv')], max_retries=0)
    assert protocol.failed
    assert 'protocol of a saved origin cannot be changed' in protocol.result['msg'] and 'state=absent' in protocol.result['msg']
    assert ERROR_ADVICE['InvalidParam'] in protocol.result['msg']
    assert emulator.faults() == []


BAD_INPUTS = [
    ('duplicate group', dict(groups=[group('a'), group('a')]), 'groups[1].name'),
    ('empty group name', dict(groups=[group('a'), {'name': '', 'servers': [{'domain': 'x.example.org'}]}]), 'groups[1].name'),
    ('bad app', dict(app='live/x'), 'app'),
    ('long app', dict(app='a' * 31), 'app'),
    ('vhost with scheme', dict(vhost='https://push.example.com'), 'vhost'),
    ('empty vhost', dict(vhost=''), 'vhost'),
    ('domain with scheme', dict(groups=[group('a'), group('b', 'ok.example.org', 'rtmp://x.example.org')]), 'groups[1].servers[1].domain'),
    ('domain with path', dict(groups=[group('a', 'x.example.org/live')]), 'groups[0].servers[0].domain'),
    ('domain with whitespace', dict(groups=[group('a', 'x example.org')]), 'groups[0].servers[0].domain'),
    ('empty domain', dict(groups=[group('a', '')]), 'groups[0].servers[0].domain'),
    ('bad port', dict(groups=[group('a', 'x.example.org:65536')]), 'groups[0].servers[0].domain'),
    ('bad host', dict(groups=[group('a', 'x$y.example.org')]), 'groups[0].servers[0].domain'),
    ('too many servers', dict(groups=[group('a', *['o%d.example.org' % index for index in range(11)])]), 'groups[0].servers'),
    ('no servers', dict(groups=[{'name': 'a', 'servers': []}]), 'groups[0].servers'),
    ('number param', dict(groups=[group('a', params={'port': 1935})]), 'groups[0].servers[0].params.port'),
    ('empty param key', dict(groups=[group('a', params={'': 'x'})]), 'groups[0].servers[0].params'),
    ('app with a trailing newline', dict(app='live\n'), 'app'),
    ('vhost too long', dict(vhost='v' * 61), 'vhost'),
    ('port of Unicode digits', dict(groups=[group('a', 'x.example.org:19\u00b3')]), 'groups[0].servers[0].domain'),
    ('group name with a control character', dict(groups=[group('a\x1b[2J')]), 'groups[0].name'),
    ('param value with a line break', dict(groups=[group('a', params={'token': 'x\r\nHost: y'})]), 'groups[0].servers[0].params.token'),
]


@pytest.mark.parametrize('options, path', [case[1:] for case in BAD_INPUTS], ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_makes_no_call(options, path, emulator, run):
    arguments = dict(groups=[group('g')])
    arguments.update(options)
    failed = run(**arguments)
    assert failed.failed
    assert failed.result['msg'].startswith(path + ': '), failed.result['msg']
    assert emulator.requests() == []


@pytest.mark.parametrize('options, word', [
    pytest.param(dict(groups=[{'name': 'a', 'servers': [{'domain': 'x.example.org', 'port': 1}]}]), 'port', id='unknown server key'),
    pytest.param(dict(groups=[group('a', protocol='hls')]), 'protocol', id='bad protocol'),
    pytest.param(dict(), 'groups', id='present without groups'),
    pytest.param(dict(module_under_test=info_module, group='a'), 'app', id='info group without app'),
])
def test_options_the_argument_spec_refuses_make_no_call(options, word, emulator, run):
    failed = run(**options)
    assert failed.failed and word in failed.result['msg']
    assert emulator.requests() == []


def _answer(request_id, result):
    return {'ResponseMetadata': {'RequestId': request_id, 'Action': DESCRIBE, 'Version': '2023-01-01', 'Service': 'live',
                                 'Region': 'cn-north-1'}, 'Result': result}


def test_odd_answers_fail_closed_before_any_write(emulator, run):
    """Answers read as "nothing configured" before: the Update that followed wiped relay1 and relay2 (purge_groups=false)."""
    stored = api_config('live', [group('relay1'), group('relay2', 'b.example.org', params={'domain': 'live.push.net'})])
    emulator.set_state([stored])
    json_params = dict(stored, GroupDetails=[stored['GroupDetails'][0], dict(stored['GroupDetails'][1], Servers=[
        dict(stored['GroupDetails'][1]['Servers'][0], RelaySourceParams='{"domain": "live.push.net"}')])])
    answers = [
        ('list an empty object', _answer('odd-0', {'RelaySourceConfigList': {}}), 'Result.RelaySourceConfigList',
         dict(purge_groups=False, groups=[group('relay3')])),
        ('Result a string', _answer('odd-2', 'RelaySourceConfigList'), 'Result', dict(purge_groups=False, groups=[group('relay3')])),
        ('list an object', _answer('odd-1', {'RelaySourceConfigList': stored}), 'Result.RelaySourceConfigList',
         dict(state='absent', groups=[{'name': 'relay1'}])),
        ('group details an object', _answer('odd-3', {'RelaySourceConfigList': [dict(stored, GroupDetails={'Group': 'relay1'})]}),
         'Result.RelaySourceConfigList[0].GroupDetails', dict(module_under_test=info_module)),
        ('params a list', _answer('odd-4', {'RelaySourceConfigList': [dict(stored, GroupDetails=[stored['GroupDetails'][0], dict(
            stored['GroupDetails'][1], Servers=[dict(stored['GroupDetails'][1]['Servers'][0], RelaySourceParams=['domain'])])])]}),
         'Result.RelaySourceConfigList[0].GroupDetails[1].Servers[0].RelaySourceParams', dict(purge_groups=False, groups=[group('relay1')])),
    ]
    for name, body, path, options in answers:
        emulator.inject_fault(kind='raw', body=body, actions=[DESCRIBE])
        failed = run(**options)
        result = failed.result
        assert failed.failed, name
        assert result['msg'].startswith('DescribeRelaySourceV3 failed: InvalidResponse: %s ' % path), (name, result['msg'])
        assert ERROR_ADVICE['InvalidResponse'] in result['msg'] and 'MODULE FAILURE' not in result['msg'], name
        request_id = body['ResponseMetadata']['RequestId']
        assert result['error']['code'] == 'InvalidResponse' and result['request_id'] == request_id, name
        assert result['http_status'] == 200 and 'RequestId %s' % request_id in result['msg'], name

    emulator.inject_fault(kind='raw', body=_answer('odd-5', {'RelaySourceConfigList': [json_params]}), actions=[DESCRIBE])
    decoded = run(groups=[group('relay1'), group('relay2', 'b.example.org', params={'domain': 'live.push.net'})])
    assert not decoded.failed and decoded.result['changed'] is False, 'the JSON-encoded parameters were decoded and compared'
    assert emulator.write_requests() == []
    assert emulator.state()['RelaySourceConfigList'] == [stored]
    assert emulator.faults() == []


@pytest.mark.parametrize('empty_describe', ['missing', 'notfound'])
def test_nothing_configured_variants(empty_describe, emulator, run):
    emulator.settings(empty_describe=empty_describe)
    results = [run(state='absent'), run(groups=[group('g')]), run(groups=[group('g')])]
    assert [(item.failed, item.result['changed']) for item in results] == [(False, False), (False, True), (False, False)]
