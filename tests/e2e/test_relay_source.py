# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""volc_live_relay_source through real ansible-playbook runs against the emulator.

Scenarios are batched into few playbook runs (each task costs about a second); every task's own API calls are
found in the emulator's request log through the request_ids the task returned.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast

import pytest
import yaml

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import ERROR_ADVICE
from ansible_collections.volcengine.cloud.tests.e2e.scenarios import (
    VHOST, actions_of, api_config, calls_of, group, group_names, playbook, relay_task)

INFO_MODULE = 'volcengine.cloud.volc_live_relay_source_info'
DESCRIBE, UPDATE, DELETE = 'DescribeRelaySourceV3', 'UpdateRelaySourceV3', 'DeleteRelaySourceV3'

# The error codes of the relay-source actions (seed page) with the HTTP status the API sends them with.
SEED_ERRORS = [
    ('CommonErr', 200), ('InvalidParam', 400), ('InvalidParam.BindError', 400), ('RequestForbidden', 403),
    ('RequestForbidden.AccountIDNotAllow', 403), ('RequestForbidden.BillingStatus', 403),
    ('RequestLimitExceeded.Exist', 429), ('InternalError', 500), ('InternalError.DB', 500),
    ('InternalServiceError', 502), ('InternalServiceError.BadResponse', 502), ('InternalServiceTimeout', 504),
]


def test_lifecycle(emulator, run_playbook):
    """create / reorder / add without purge / purge / delete one / delete all, each: check, real, rerun."""
    upsert = emulator.settings()['update_mode'] == 'merge'
    run = run_playbook('relay_source_lifecycle.yml', emulator=emulator, diff=True)
    assert run.rc == 0, run
    log = emulator.requests()
    assert len(log) == sum(len(entry['result']['request_ids']) for entry in run.results)
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
        check, real, again = run.task(step + ' (check)'), run.task(step), run.task(step + ' again')
        assert check['status'] == 'changed' and actions_of(log, check) == [DESCRIBE], step
        assert check['result']['actions'] == [], step
        # check mode shows the first pass, as planned; the real run makes it, then any follow-up
        first_pass = [write for write in real['result']['plan']['writes'] if not write['follow_up']]
        assert [dict(write, outcome='planned') for write in first_pass] == check['result']['plan']['writes'], step
        assert check['result']['diff'] == real['result']['diff'], step
        assert real['status'] == 'changed' and actions_of(log, real) == [DESCRIBE] + calls, step
        assert len(real['result']['actions']) == len([call for call in calls if call != DESCRIBE]), step
        # the rerun reads afresh: changed=false proves the emulator holds exactly the desired configuration
        assert again['status'] == 'ok' and actions_of(log, again) == [DESCRIBE], step
        assert again['result']['relay_source'] == real['result']['relay_source'], step

    create = run.task('Create')['result']
    assert create['diff']['before'] == {}
    # the headers name the app, so a --diff of many apps says which one each diff is about
    assert '--- before: relay source %s/live\n+++ after: relay source %s/live' % (VHOST, VHOST) in run.stdout
    assert create['diff']['after'] == create['relay_source'] == {'vhost': VHOST, 'app': 'live', 'groups': [
        {'name': 'relay1', 'servers': [{'domain': 'origin-a.example.org', 'protocol': 'rtmp', 'params': {}},
                                       {'domain': 'origin-b.example.org:1935', 'protocol': 'rtmp', 'params': {}}]},
        {'name': 'relay2', 'servers': [{'domain': '203.0.113.10', 'protocol': 'flv', 'params': {'domain': 'live.push.net'}}]}]}
    assert create['actions'] == ['updated groups relay1, relay2']
    update_body = calls_of(log, run.task('Create'))[1][1]
    assert update_body['GroupDetails'][1] == {'Group': 'relay2', 'Servers': [
        {'RelaySourceDomain': '203.0.113.10', 'RelaySourceProtocol': 'flv', 'RelaySourceParams': {'domain': 'live.push.net'}}]}

    reorder = run.task('Reorder')['result']
    assert [item['name'] for item in reorder['diff']['before']['groups']] == ['relay1', 'relay2']
    assert [item['name'] for item in reorder['diff']['after']['groups']] == ['relay2', 'relay1']
    assert reorder['plan']['verify'] is True
    assert reorder['plan']['update_semantics'] == ('merge' if upsert else 'replace, merge_first, merge_last')
    copy = 'relay1~ansible-copy'
    assert reorder['actions'] == ['updated groups relay2, relay1'] + ([
        'updated groups relay1, relay2, %s' % copy, 'deleted group relay1', 'updated groups relay2, %s, relay1' % copy,
        'deleted group %s' % copy] if upsert else [])

    added = run.task('Add without purge')['result']
    # purge_groups=false changes relay1 in place and appends relay3: nothing moves
    assert [item['name'] for item in added['relay_source']['groups']] == ['relay2', 'relay1', 'relay3']
    purge = run.task('Purge')['result']
    assert [(write['action'], write['groups']) for write in purge['plan']['writes']][0] == ('update', ['relay3', 'relay1'])
    assert calls_of(log, run.task('Delete one group'))[1] == (DELETE, {'Vhost': VHOST, 'App': 'live', 'Group': 'relay3'})
    assert calls_of(log, run.task('Delete all'))[1] == (DELETE, {'Vhost': VHOST, 'App': 'live'})
    assert run.task('Delete all')['result']['diff']['after'] == {}
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


def test_request_log_replayed_shows_the_app_never_without_a_group(emulator, run_playbook):
    """The state the emulator logged after each single write of each task: never without a group, never without an
    origin the change keeps, no app-wide delete, no declared group deleted under replace, and the declared list at
    the end."""
    update_mode = emulator.settings()['update_mode']
    emulator.settings(log_state_after=True)
    emulator.set_state([api_config(app, [group(name) for name in current]) for app, current, _d, _r, _u in MAKE_BEFORE_BREAK])
    run = run_playbook(playbook(*[relay_task(app, app=app, groups=[group(name) for name in declared])
                                  for app, _c, declared, _r, _u in MAKE_BEFORE_BREAK]), emulator=emulator)
    assert run.rc == 0, run
    log = emulator.requests()
    for app, current, declared, after_replace, after_merge in MAKE_BEFORE_BREAK:
        ids = set(run.task(app)['result']['request_ids'])
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


def test_check_mode_run_writes_nothing(emulator_replace, run_playbook):
    emulator_replace.set_state([api_config('live', [group('old')])])
    run = run_playbook(playbook(relay_task('apply', groups=[group('relay1'), group('relay2', '[::1]:1935')]),
                                relay_task('delete other', app='other', state='absent')),
                       emulator=emulator_replace, check=True, diff=True)
    assert run.rc == 0, run
    assert run.task('apply')['status'] == 'changed'
    # the new groups are added before the old one goes
    assert [(write['action'], write['outcome']) for write in run.task('apply')['result']['plan']['writes']] == [
        ('update', 'planned'), ('delete_group', 'planned')]
    assert emulator_replace.write_requests() == []
    assert [item['action'] for item in emulator_replace.requests()] == [DESCRIBE, DESCRIBE]
    assert group_names(emulator_replace) == ['old']
    assert 'diff' in run.task('apply')['result']


def test_api_errors_reach_the_user(emulator_replace, run_playbook):
    """Every seed error code, the partial-failure message, and the protocol-change hint."""
    emulator = emulator_replace
    for code, status in SEED_ERRORS:
        emulator.inject_fault(kind='error', status=status, code=code, actions=[DESCRIBE])
    before_partial = [group('a'), group('x'), group('b')]
    emulator.set_state([api_config('partial', before_partial), api_config('proto', [group('p', 'x.example.org')])])
    emulator.inject_fault(kind='error', status=403, code='RequestForbidden', actions=[DELETE], apps=['partial'])
    emulator.inject_fault(kind='error', status=400, code='InvalidParam', actions=[UPDATE], apps=['proto'])
    partial_groups = [group('a'), group('b', 'new-b.example.org'), group('c')]
    tasks = [relay_task(code, ignore_errors=True, groups=[group('relay1')]) for code, _status in SEED_ERRORS]
    tasks += [
        relay_task('partial', ignore_errors=True, app='partial', groups=partial_groups),
        relay_task('protocol change', ignore_errors=True, app='proto', groups=[group('p', 'x.example.org', protocol='flv')]),
        relay_task('partial rerun', app='partial', groups=partial_groups),
        relay_task('partial rerun again', app='partial', groups=partial_groups),
    ]
    run = run_playbook(playbook(*tasks, module_defaults={'group/volcengine.cloud.volcengine': {'max_retries': 0}}),
                       emulator=emulator)
    log = emulator.requests()
    for code, status in SEED_ERRORS:
        entry = run.task(code)
        result = entry['result']
        assert entry['status'] == 'failed', code
        failed_call = [item for item in log if item['request_id'] == result['request_id']]
        assert failed_call and failed_call[0]['error_code'] == code, code
        assert result['error']['code'] == code and result['http_status'] == status, code
        assert ERROR_ADVICE[code] in result['msg'] and code in result['msg'] and result['request_id'] in result['msg'], code
        assert result['request_ids'] == [result['request_id']] and result['actions'] == [], code
        assert 'Traceback' not in result['msg'] + str(result.get('exception', '')), code
        assert emulator.secret_key not in str(result), code

    partial = run.task('partial')['result']
    assert run.task('partial')['status'] == 'failed' and partial['changed'] is True
    # the groups are added (x kept for now) before x is deleted; the delete is refused
    assert partial['actions'] == ['updated groups a, x, b, c']
    assert 'Already applied: updated groups a, x, b, c. Not applied: delete group x.' in partial['msg']
    assert 'would meet the same refusal' in partial['msg'] and 'converges' not in partial['msg']
    assert ERROR_ADVICE['RequestForbidden'] in partial['msg']
    assert [item['action'] for item in log if item['request_id'] in partial['request_ids']] == [DESCRIBE, UPDATE, DELETE]
    assert [write['outcome'] for write in partial['plan']['writes']] == ['applied', 'failed']

    protocol = run.task('protocol change')['result']
    assert 'protocol of a saved origin cannot be changed' in protocol['msg'] and 'state=absent' in protocol['msg']
    assert ERROR_ADVICE['InvalidParam'] in protocol['msg']

    assert run.task('partial rerun')['status'] == 'changed'
    assert run.task('partial rerun again')['status'] == 'ok'
    assert group_names(emulator, 'partial') == ['a', 'b', 'c']
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


def test_bad_inputs_make_no_call(emulator_replace, run_playbook):
    tasks = []
    for name, options, _path in BAD_INPUTS:
        arguments = dict(groups=[group('g')])
        arguments.update(options)
        tasks.append(relay_task(name, ignore_errors=True, **arguments))
    tasks.append(relay_task('unknown server key', ignore_errors=True, groups=[{'name': 'a', 'servers': [{'domain': 'x.example.org', 'port': 1}]}]))
    tasks.append(relay_task('bad protocol', ignore_errors=True, groups=[group('a', protocol='hls')]))
    tasks.append(relay_task('present without groups', ignore_errors=True))
    tasks.append({'name': 'info group without app', INFO_MODULE: {'vhost': VHOST, 'group': 'a'}, 'ignore_errors': True})
    run = run_playbook(playbook(*tasks), emulator=emulator_replace)
    for name, _options, path in BAD_INPUTS:
        result = run.task(name)['result']
        assert run.task(name)['status'] == 'failed', name
        assert result['msg'].startswith(path + ': '), (name, result['msg'])
    assert 'port' in run.task('unknown server key')['result']['msg']
    assert 'protocol' in run.task('bad protocol')['result']['msg']
    assert 'groups' in run.task('present without groups')['result']['msg']
    assert 'app' in run.task('info group without app')['result']['msg']
    assert run.failed_count == len(tasks)
    assert emulator_replace.requests() == []


def _answer(request_id, result):
    return {'ResponseMetadata': {'RequestId': request_id, 'Action': DESCRIBE, 'Version': '2023-01-01', 'Service': 'live',
                                 'Region': 'cn-north-1'}, 'Result': result}


def test_odd_answers_fail_closed_before_any_write(emulator_replace, run_playbook):
    """Answers read as "nothing configured" before: the Update that followed wiped relay1 and relay2 (purge_groups=false)."""
    emulator = emulator_replace
    stored = api_config('live', [group('relay1'), group('relay2', 'b.example.org', params={'domain': 'live.push.net'})])
    emulator.set_state([stored])
    json_params = dict(stored, GroupDetails=[stored['GroupDetails'][0], dict(stored['GroupDetails'][1], Servers=[
        dict(stored['GroupDetails'][1]['Servers'][0], RelaySourceParams='{"domain": "live.push.net"}')])])
    answers = [
        ('list an empty object', _answer('odd-0', {'RelaySourceConfigList': {}}), 'Result.RelaySourceConfigList'),
        ('Result a string', _answer('odd-2', 'RelaySourceConfigList'), 'Result'),
        ('list an object', _answer('odd-1', {'RelaySourceConfigList': stored}), 'Result.RelaySourceConfigList'),
        ('group details an object', _answer('odd-3', {'RelaySourceConfigList': [dict(stored, GroupDetails={'Group': 'relay1'})]}),
         'Result.RelaySourceConfigList[0].GroupDetails'),
        ('params a list', _answer('odd-4', {'RelaySourceConfigList': [dict(stored, GroupDetails=[stored['GroupDetails'][0], dict(
            stored['GroupDetails'][1], Servers=[dict(stored['GroupDetails'][1]['Servers'][0], RelaySourceParams=['domain'])])])]}),
         'Result.RelaySourceConfigList[0].GroupDetails[1].Servers[0].RelaySourceParams'),
        ('params a JSON string', _answer('odd-5', {'RelaySourceConfigList': [json_params]}), None),
    ]
    for _name, body, _path in answers:
        emulator.inject_fault(kind='raw', body=body, actions=[DESCRIBE])
    tasks = [relay_task(answers[0][0], ignore_errors=True, purge_groups=False, groups=[group('relay3')]),
             relay_task(answers[1][0], ignore_errors=True, purge_groups=False, groups=[group('relay3')]),
             relay_task(answers[2][0], ignore_errors=True, state='absent', groups=[{'name': 'relay1'}]),
             {'name': answers[3][0], INFO_MODULE: {'vhost': VHOST}, 'ignore_errors': True},
             relay_task(answers[4][0], ignore_errors=True, purge_groups=False, groups=[group('relay1')]),
             relay_task(answers[5][0], groups=[group('relay1'), group('relay2', 'b.example.org', params={'domain': 'live.push.net'})])]
    run = run_playbook(playbook(*tasks), emulator=emulator)
    for name, body, path in answers[:5]:
        entry = run.task(name)
        result = entry['result']
        assert entry['status'] == 'failed', name
        assert result['msg'].startswith('DescribeRelaySourceV3 failed: InvalidResponse: %s ' % path), (name, result['msg'])
        assert ERROR_ADVICE['InvalidResponse'] in result['msg'] and 'MODULE FAILURE' not in result['msg'], name
        request_id = body['ResponseMetadata']['RequestId']
        assert result['error']['code'] == 'InvalidResponse' and result['request_id'] == request_id, name
        assert result['http_status'] == 200 and 'RequestId %s' % request_id in result['msg'], name
    assert run.task('params a JSON string')['status'] == 'ok', 'the JSON-encoded parameters were decoded and compared'
    assert emulator.write_requests() == []
    assert emulator.state()['RelaySourceConfigList'] == [stored]
    assert emulator.faults() == []


def test_module_defaults_group(emulator_replace, run_playbook):
    """Credentials and endpoint set once through the action group, with no VOLCENGINE_* variable set."""
    defaults = {'group/volcengine.cloud.volcengine': {
        'access_key': emulator_replace.access_key, 'secret_key': emulator_replace.secret_key,
        'endpoint': emulator_replace.url, 'rate_limit': 0}}
    tasks = [relay_task('apply', groups=[group('relay1', '[::1]:1935', '198.51.100.7:8080')]),
             {'name': 'read', INFO_MODULE: {'vhost': VHOST}}]
    no_environment = {'VOLCENGINE_ENDPOINT': None, 'VOLCENGINE_ACCESS_KEY': None, 'VOLCENGINE_SECRET_KEY': None}
    run = run_playbook(playbook(*tasks, module_defaults=defaults), env=no_environment)
    assert run.rc == 0, run
    assert run.task('apply')['status'] == 'changed'
    assert run.task('read')['result']['relay_sources'][0]['groups'][0]['servers'][0]['domain'] == '[::1]:1935'
    assert group_names(emulator_replace) == ['relay1']
    assert emulator_replace.secret_key not in run.stdout + run.stderr


def _examples(module_name):
    path = __import__('pathlib').Path(__file__).resolve().parents[2] / 'plugins' / 'modules' / (module_name + '.py')
    for node in ast.parse(path.read_text(encoding='utf-8')).body:
        if isinstance(node, ast.Assign) and node.targets[0].id == 'EXAMPLES':
            return yaml.safe_load(node.value.value)
    raise AssertionError('no EXAMPLES in %s' % path)


def test_examples_run(emulator_replace, run_playbook):
    """The EXAMPLES of both modules, as written, run against the emulator; the info module's re-apply is a no-op."""
    emulator = emulator_replace
    tasks = _examples('volc_live_relay_source') + _examples('volc_live_relay_source_info')
    run = run_playbook(playbook(*tasks), emulator=emulator)
    assert run.rc == 0, run
    assert run.failed_count == 0
    assert run.task('Pull live/* of push.example.com from two origin groups')['status'] == 'changed'
    assert run.task('Show what would change, without changing anything')['status'] == 'changed'
    assert run.task('Update one group and keep the groups not listed here')['status'] == 'changed'
    assert run.task('Delete one group')['status'] == 'changed'
    assert run.task('Make the groups exactly these, deleting any other group (purge_groups defaults to true)')['status'] == 'changed'
    assert run.task('Configure the sports app')['status'] == 'changed'
    assert run.task('Delete the whole relay source configuration of an app')['status'] == 'changed'
    assert run.task('Read one group of one app')['result']['relay_sources'] == []
    reapply = run.task('Re-apply what was read (reports no change)')
    assert reapply['status'] == 'ok' and len(reapply['result']['results']) == 1
    assert [config['App'] for config in emulator.state()['RelaySourceConfigList']] == ['sports']


@pytest.mark.parametrize('empty_describe', ['missing', 'notfound'])
def test_nothing_configured_variants(emulator_replace, run_playbook, empty_describe):
    emulator_replace.settings(empty_describe=empty_describe)
    run = run_playbook(playbook(relay_task('delete nothing', state='absent'), relay_task('create', groups=[group('g')]),
                                relay_task('create again', groups=[group('g')])), emulator=emulator_replace)
    assert run.rc == 0, run
    assert [entry['status'] for entry in run.results] == ['ok', 'changed', 'ok']
