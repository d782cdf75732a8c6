# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""volc_live_relay_sources in-process with the production client against the emulator over HTTP: every state (each
change in check mode, for real, then again), the round trip gathered -> overridden, and per-app failure isolation
with the client-side rate limit on. Every module run's API calls are found in the emulator's request log through
the request_ids it returned. (These ran as ansible-playbook tasks in tests/e2e/test_relay_sources.py before issue
25; the printed output, -vvvv and the worker threads against a far-away API stay there.)"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import tempfile

import pytest

from ansible_collections.volcengine.cloud.plugins.modules import volc_live_relay_sources as module
from ansible_collections.volcengine.cloud.tests.unit.http_emulator import (
    DELETE, DESCRIBE, UPDATE, VHOST, actions_of, api_config, calls_of, group)

OTHER = 'play.example.com'
LIVE = [group('relay1', 'origin-a.example.org'), group('relay2', '203.0.113.10', protocol='flv', params={'domain': 'live.push.net'})]


def app_entry(app, groups=None, vhost=VHOST):
    """A ``config`` entry (``groups`` None: left out)."""
    entry = {'vhost': vhost, 'app': app}
    if groups is not None:
        entry['groups'] = groups
    return entry


@pytest.fixture
def run(run_over_http, emulator):
    """Run volc_live_relay_sources against the emulator; ``options`` are its options."""
    def run_task(check_mode=False, diff=False, **options):
        return run_over_http(module, options, emulator, check_mode=check_mode, diff=diff)
    return run_task


def writes_by_app(writes):
    """{(vhost, app): [(action, groups)]} of a task's ``writes``."""
    by_app = {}
    for write in writes:
        by_app.setdefault((write['vhost'], write['app']), []).append((write['action'], write.get('groups')))
    return by_app


# Each step: its options; each runs in check mode, for real, then again, all with the diff.
STATES = [
    ('Merge', dict(config=[app_entry('live', LIVE), app_entry('sports', [group('s')]), app_entry('events', [group('e')])])),
    ('Replace', dict(state='replaced', config=[app_entry('live', LIVE[::-1])])),
    ('Override', dict(state='overridden', config=[app_entry('live', LIVE[::-1]), app_entry('new', [group('n')])])),
    ('Delete one group', dict(state='deleted', config=[app_entry('live', [{'name': 'relay2'}])])),
    ('Delete the vhost', dict(state='deleted', vhosts=[VHOST])),
]


def assert_checked_applied_and_idempotent(log, runs, step, writes):
    """Check mode, the real run and a rerun of one step: ``writes`` are the real run's writes after its one read."""
    check, real, again = runs[step + ' (check)'], runs[step], runs[step + ' again']
    assert check['changed'] is True and actions_of(log, check) == [DESCRIBE], step
    assert [result['status'] for result in check['apps']] == ['planned'] * len(real['apps']), step
    assert [result['change'] for result in check['apps']] == [result['change'] for result in real['apps']], step
    assert all(request['outcome'] == 'planned' for request in check['writes']), step
    # check mode lists each app's writes up to the first that a read must follow; the real run makes them first
    planned, made = writes_by_app(check['writes']), writes_by_app(real['writes'])
    assert set(planned) == set(made) and all(made[key][:len(writes)] == writes for key, writes in planned.items()), step
    assert check['diff'][1:] == real['diff'][1:] and check['after'] == real['after'], step
    assert check['summary'].replace('would create', 'created').replace('would update', 'updated').replace(
        'would delete', 'deleted') == real['summary'], step
    actions = actions_of(log, real)
    assert real['changed'] is True and actions[0] == DESCRIBE and sorted(actions[1:]) == sorted(writes), step
    assert all(request['outcome'] == 'applied' for request in real['writes']), step
    assert again['changed'] is False and actions_of(log, again) == [DESCRIBE], step
    assert again['apps'] == [] and again['before'] == again['after'] == [], step
    assert not any(word in again['summary'] for word in ('would', 'created', 'updated', 'deleted', 'failed')), step
    # the diffs the default callback prints: the summary first, then one per app, headed with it (tests/e2e's
    # test_demo and test_iac_example_check_then_apply_then_idempotent see ansible-playbook print them)
    assert real['diff'][0] == {'prepared': real['summary'] + '\n'}, step
    assert check['diff'][0] == {'prepared': check['summary'] + '\n'}, step


@pytest.mark.parametrize('update_mode', ['replace', 'merge'])
def test_every_state_checked_applied_and_idempotent(update_mode, emulator, run):
    emulator.settings(update_mode=update_mode)
    upsert = update_mode == 'merge'
    emulator.set_state([api_config('keep', [group('k')], vhost=OTHER), api_config('', [group('wide')])])
    runs = {}

    def three_runs(step, options):
        runs[step + ' (check)'] = run(check_mode=True, diff=True, **options).result
        runs[step] = run(diff=True, **options).result
        runs[step + ' again'] = run(diff=True, **options).result

    for step, options in STATES[:3]:
        three_runs(step, options)
    runs['Gather'] = run(state='gathered', vhosts=[VHOST, OTHER]).result
    runs['Override with what was gathered'] = run(diff=True, state='overridden', config=runs['Gather']['gathered'],
                                                  vhosts=[VHOST, OTHER]).result
    for step, options in STATES[3:]:
        three_runs(step, options)
    runs['Render'] = run(state='rendered', config=[app_entry('live', LIVE)]).result
    assert not any(result.get('failed') for result in runs.values()), runs
    log = emulator.requests()
    assert len(log) == sum(len(result.get('request_ids') or []) for result in runs.values())
    assert all(item['signature_valid'] for item in log)

    # The writes of each real run after its one read (any order: the apps' writes run concurrently); a reorder of a
    # listed app is followed by a read and, under merge, finished by moving relay2 with a temporary copy of it, and a
    # last read.
    expected_writes = {
        'Merge': [UPDATE] * 3,
        'Replace': [DESCRIBE, UPDATE] + ([UPDATE, DELETE, UPDATE, DELETE, DESCRIBE] if upsert else []),
        'Override': [DELETE, DELETE, UPDATE],
        'Delete one group': [DELETE],
        'Delete the vhost': [DELETE, DELETE],
    }
    for step, writes in expected_writes.items():
        assert_checked_applied_and_idempotent(log, runs, step, writes)

    merge = runs['Merge']
    assert merge['diff'][0] == {'prepared': '%s: created 3 (live, sports, events)\n' % VHOST}
    assert [diff['before'] for diff in merge['diff'][1:]] == [{}] * 3
    assert sorted((diff['after']['app'], diff['before_header']) for diff in merge['diff'][1:]) == [
        (app, 'relay source %s/%s' % (VHOST, app)) for app in ('events', 'live', 'sports')]
    assert merge['vhost_wide'] == [{'vhost': VHOST, 'app': '', 'groups': [group('wide', protocol='rtmp', params={})]}]
    replace = runs['Replace']['apps'][0]
    assert replace['plan']['update_semantics'] == ('merge' if upsert else 'replace, merge_first, merge_last')
    override = runs['Override']
    # config's apps in order, then the apps deleted because config does not list them (in the API's order)
    assert [(result['app'], result['status']) for result in override['apps'][:1]] == [('new', 'applied')]
    assert sorted((result['app'], result['status'], result['change']) for result in override['apps'][1:]) == [
        ('events', 'applied', 'delete groups e'), ('sports', 'applied', 'delete groups s')]
    assert override['summary'] in ['%s: created 1 (new), deleted 2 (%s), unchanged 1' % (VHOST, names)
                                   for names in ('sports, events', 'events, sports')]  # the API's order of the apps
    assert sorted(body['App'] for action, body in calls_of(log, override) if action == DELETE) == ['events', 'sports']

    gathered = runs['Gather']
    assert gathered['changed'] is False and actions_of(log, gathered) == [DESCRIBE, DESCRIBE]
    assert [(entry['vhost'], entry['app']) for entry in gathered['gathered']] == [(VHOST, 'live'), (VHOST, 'new'), (OTHER, 'keep')]
    round_trip = runs['Override with what was gathered']
    assert round_trip['changed'] is False and actions_of(log, round_trip) == [DESCRIBE, DESCRIBE]
    assert round_trip['diff'] == [{'prepared': '%s: unchanged 2; %s: unchanged 1\n' % (VHOST, OTHER)}]

    assert calls_of(log, runs['Delete one group'])[1] == (DELETE, {'Vhost': VHOST, 'App': 'live', 'Group': 'relay2'})
    assert sorted(body['App'] for action, body in calls_of(log, runs['Delete the vhost'])[1:]) == ['live', 'new']
    rendered_body = {'Vhost': VHOST, 'App': 'live', 'GroupDetails': [
        {'Group': 'relay1', 'Servers': [{'RelaySourceDomain': 'origin-a.example.org', 'RelaySourceProtocol': 'rtmp'}]},
        {'Group': 'relay2', 'Servers': [{'RelaySourceDomain': '203.0.113.10', 'RelaySourceProtocol': 'flv',
                                         'RelaySourceParams': {'domain': 'live.push.net'}}]}]}
    assert runs['Render']['rendered'] == [{'action': UPDATE, 'body': rendered_body}]
    assert (UPDATE, rendered_body) in calls_of(log, runs['Merge']), 'rendered shows what a run sends'

    # The vhost-wide configuration and the vhost outside the scope are as seeded; no delete was ever sent without App.
    assert emulator.state()['RelaySourceConfigList'] == [api_config('keep', [group('k')], vhost=OTHER), api_config('', [group('wide')])]
    assert all(item['body'].get('App') for item in log if item['action'] == DELETE)


def test_one_failing_app_fails_the_task_the_others_are_applied_and_a_rerun_converges(emulator, run, tmp_path, monkeypatch):
    """12 apps on 6 workers paced by the client-side limiter (10 requests/second, its state in a directory of this
    test's own); the API refuses one app's update."""
    monkeypatch.setattr(tempfile, 'tempdir', str(tmp_path))
    apps = ['app%02d' % number for number in range(12)]
    config = [app_entry(app, [group('primary', app + '-origin.example.org')]) for app in apps]
    emulator.inject_fault(kind='error', status=400, code='InvalidParam', message='emulated refusal', apps=['app05'], actions=[UPDATE])
    failed = run(config=config, max_workers=6, rate_limit=10)
    again = run(config=config, max_workers=6, rate_limit=10)
    once_more = run(config=config, rate_limit=10)
    log = emulator.requests()
    refused = [item for item in log if item['fault']][0]
    assert failed.failed and failed.result['changed'] is True
    message = failed.result['msg']
    assert message.startswith('1 of 12 apps failed (push.example.com/app05); 11 were applied and 0 needed no change.'), message
    assert ('Failed, push.example.com/app05 (create groups primary): UpdateRelaySourceV3 failed: InvalidParam: emulated '
            'refusal (HTTP 400, RequestId %s)' % refused['request_id']) in message
    assert 'Applied: push.example.com/app00 (create groups primary);' in message
    assert failed.result['error'] == {'code': 'InvalidParam', 'message': 'emulated refusal'}
    statuses = dict((result['app'], result['status']) for result in failed.result['apps'])
    assert statuses == dict((app, 'failed' if app == 'app05' else 'applied') for app in apps)
    assert sorted(actions_of(log, failed.result)) == [DESCRIBE] + [UPDATE] * 12

    assert not again.failed and again.result['changed'] is True
    assert calls_of(log, again.result)[1:] == [(UPDATE, {'Vhost': VHOST, 'App': 'app05', 'GroupDetails': [
        {'Group': 'primary', 'Servers': [{'RelaySourceDomain': 'app05-origin.example.org', 'RelaySourceProtocol': 'rtmp'}]}]})]
    assert not once_more.failed and once_more.result['changed'] is False and actions_of(log, once_more.result) == [DESCRIBE]
    assert sorted(config['App'] for config in emulator.state()['RelaySourceConfigList']) == apps
