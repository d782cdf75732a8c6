# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""volc_live_relay_sources through real ansible-playbook runs against the emulator: every state (each change in
check mode, for real, then again), the round trip gathered -> overridden, per-app failure isolation, bad input, and
the worker threads paced by the client's limiter against a rate-limited API far away."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.volcengine.cloud.tests.emulator.harness import Emulator
from ansible_collections.volcengine.cloud.tests.e2e.scenarios import (
    VHOST, actions_of, api_config, app_entry, calls_of, group, group_names, playbook, sources_task)

OTHER = 'play.example.com'
DESCRIBE, UPDATE, DELETE = 'DescribeRelaySourceV3', 'UpdateRelaySourceV3', 'DeleteRelaySourceV3'
LIVE = [group('relay1', 'origin-a.example.org'), group('relay2', '203.0.113.10', protocol='flv', params={'domain': 'live.push.net'})]


def three_runs(name, **options):
    """The task in check mode, for real, and again, each with --diff."""
    return [sources_task(name + ' (check)', {'check_mode': True, 'diff': True}, **options),
            sources_task(name, {'diff': True}, **options),
            sources_task(name + ' again', {'diff': True}, **options)]


def lifecycle():
    tasks = three_runs('Merge', config=[app_entry('live', LIVE), app_entry('sports', [group('s')]), app_entry('events', [group('e')])])
    tasks += three_runs('Replace', state='replaced', config=[app_entry('live', LIVE[::-1])])
    tasks += three_runs('Override', state='overridden', config=[app_entry('live', LIVE[::-1]), app_entry('new', [group('n')])])
    tasks += [sources_task('Gather', {'register': 'current'}, state='gathered', vhosts=[VHOST, OTHER]),
              sources_task('Override with what was gathered', {'diff': True}, state='overridden', config='{{ current.gathered }}',
                           vhosts=[VHOST, OTHER])]
    tasks += three_runs('Delete one group', state='deleted', config=[app_entry('live', [{'name': 'relay2'}])])
    tasks += three_runs('Delete the vhost', state='deleted', vhosts=[VHOST])
    tasks += [sources_task('Render', state='rendered', config=[app_entry('live', LIVE)])]
    return playbook(*tasks)


def writes_by_app(writes):
    """{(vhost, app): [(action, groups)]} of a task's ``writes``."""
    by_app = {}
    for write in writes:
        by_app.setdefault((write['vhost'], write['app']), []).append((write['action'], write.get('groups')))
    return by_app


def test_every_state_checked_applied_and_idempotent(emulator, run_playbook):
    upsert = emulator.settings()['update_mode'] == 'merge'
    emulator.set_state([api_config('keep', [group('k')], vhost=OTHER), api_config('', [group('wide')])])
    run = run_playbook(lifecycle(), emulator=emulator)
    assert run.rc == 0, run
    log = emulator.requests()
    assert len(log) == sum(len(entry['result'].get('request_ids') or []) for entry in run.results)
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
        check, real, again = run.task(step + ' (check)'), run.task(step), run.task(step + ' again')
        assert check['status'] == 'changed' and actions_of(log, check) == [DESCRIBE], step
        assert [result['status'] for result in check['result']['apps']] == ['planned'] * len(real['result']['apps']), step
        assert [result['change'] for result in check['result']['apps']] == [result['change'] for result in real['result']['apps']], step
        assert all(request['outcome'] == 'planned' for request in check['result']['writes']), step
        # check mode lists each app's writes up to the first that a read must follow; the real run makes them first
        planned, made = writes_by_app(check['result']['writes']), writes_by_app(real['result']['writes'])
        assert set(planned) == set(made) and all(made[key][:len(writes)] == writes for key, writes in planned.items()), step
        assert check['result']['diff'][1:] == real['result']['diff'][1:] and check['result']['after'] == real['result']['after'], step
        assert check['result']['summary'].replace('would create', 'created').replace('would update', 'updated').replace(
            'would delete', 'deleted') == real['result']['summary'], step
        actions = actions_of(log, real)
        assert real['status'] == 'changed' and actions[0] == DESCRIBE and sorted(actions[1:]) == sorted(writes), step
        assert all(request['outcome'] == 'applied' for request in real['result']['writes']), step
        assert again['status'] == 'ok' and actions_of(log, again) == [DESCRIBE], step
        assert again['result']['apps'] == [] and again['result']['before'] == again['result']['after'] == [], step
        assert not any(word in again['result']['summary'] for word in ('would', 'created', 'updated', 'deleted', 'failed')), step
        # the diffs printed by the default callback: the summary first, then one per app, headed with it
        assert real['result']['summary'] in run.stdout, step

    merge = run.task('Merge')['result']
    assert merge['diff'][0] == {'prepared': '%s: created 3 (live, sports, events)\n' % VHOST}
    assert [diff['before'] for diff in merge['diff'][1:]] == [{}] * 3
    assert sorted((diff['after']['app'], diff['before_header']) for diff in merge['diff'][1:]) == [
        (app, 'relay source %s/%s' % (VHOST, app)) for app in ('events', 'live', 'sports')]
    assert merge['vhost_wide'] == [{'vhost': VHOST, 'app': '', 'groups': [group('wide', protocol='rtmp', params={})]}]
    replace = run.task('Replace')['result']['apps'][0]
    assert replace['plan']['update_semantics'] == ('merge' if upsert else 'replace, merge_first, merge_last')
    override = run.task('Override')['result']
    # config's apps in order, then the apps deleted because config does not list them (in the API's order)
    assert [(result['app'], result['status']) for result in override['apps'][:1]] == [('new', 'applied')]
    assert sorted((result['app'], result['status'], result['change']) for result in override['apps'][1:]) == [
        ('events', 'applied', 'delete groups e'), ('sports', 'applied', 'delete groups s')]
    assert override['summary'] in ['%s: created 1 (new), deleted 2 (%s), unchanged 1' % (VHOST, names)
                                   for names in ('sports, events', 'events, sports')]  # the API's order of the apps
    assert sorted(body['App'] for action, body in calls_of(log, run.task('Override')) if action == DELETE) == ['events', 'sports']

    gathered = run.task('Gather')
    assert gathered['status'] == 'ok' and actions_of(log, gathered) == [DESCRIBE, DESCRIBE]
    assert [(entry['vhost'], entry['app']) for entry in gathered['result']['gathered']] == [(VHOST, 'live'), (VHOST, 'new'), (OTHER, 'keep')]
    round_trip = run.task('Override with what was gathered')
    assert round_trip['status'] == 'ok' and actions_of(log, round_trip) == [DESCRIBE, DESCRIBE]
    assert round_trip['result']['diff'] == [{'prepared': '%s: unchanged 2; %s: unchanged 1\n' % (VHOST, OTHER)}]

    assert calls_of(log, run.task('Delete one group'))[1] == (DELETE, {'Vhost': VHOST, 'App': 'live', 'Group': 'relay2'})
    assert sorted(body['App'] for action, body in calls_of(log, run.task('Delete the vhost'))[1:]) == ['live', 'new']
    rendered_body = {'Vhost': VHOST, 'App': 'live', 'GroupDetails': [
        {'Group': 'relay1', 'Servers': [{'RelaySourceDomain': 'origin-a.example.org', 'RelaySourceProtocol': 'rtmp'}]},
        {'Group': 'relay2', 'Servers': [{'RelaySourceDomain': '203.0.113.10', 'RelaySourceProtocol': 'flv',
                                         'RelaySourceParams': {'domain': 'live.push.net'}}]}]}
    assert run.task('Render')['result']['rendered'] == [{'action': UPDATE, 'body': rendered_body}]
    assert (UPDATE, rendered_body) in calls_of(log, run.task('Merge')), 'rendered shows what a run sends'

    # The vhost-wide configuration and the vhost outside the scope are as seeded; no delete was ever sent without App.
    assert emulator.state()['RelaySourceConfigList'] == [api_config('keep', [group('k')], vhost=OTHER), api_config('', [group('wide')])]
    assert all(item['body'].get('App') for item in log if item['action'] == DELETE)


def test_one_failing_app_fails_the_task_the_others_are_applied_and_a_rerun_converges(emulator_replace, run_playbook):
    emulator = emulator_replace
    apps = ['app%02d' % number for number in range(12)]
    config = [app_entry(app, [group('primary', app + '-origin.example.org')]) for app in apps]
    emulator.inject_fault(kind='error', status=400, code='InvalidParam', message='emulated refusal', apps=['app05'], actions=[UPDATE])
    run = run_playbook(playbook(sources_task('Apply', {'ignore_errors': True}, config=config, max_workers=6),
                                sources_task('Apply again', config=config, max_workers=6),
                                sources_task('Apply once more', config=config)),
                       emulator=emulator, env={'VOLCENGINE_RATE_LIMIT': '10'})
    assert run.rc == 0, run
    log = emulator.requests()
    failed = run.task('Apply')
    refused = [item for item in log if item['fault']][0]
    assert failed['status'] == 'failed' and failed['result']['changed'] is True
    message = failed['result']['msg']
    assert message.startswith('1 of 12 apps failed (push.example.com/app05); 11 were applied and 0 needed no change.'), message
    assert ('Failed, push.example.com/app05 (create groups primary): UpdateRelaySourceV3 failed: InvalidParam: emulated '
            'refusal (HTTP 400, RequestId %s)' % refused['request_id']) in message
    assert 'Applied: push.example.com/app00 (create groups primary);' in message
    assert failed['result']['error'] == {'code': 'InvalidParam', 'message': 'emulated refusal'}
    statuses = dict((result['app'], result['status']) for result in failed['result']['apps'])
    assert statuses == dict((app, 'failed' if app == 'app05' else 'applied') for app in apps)
    assert sorted(actions_of(log, failed)) == [DESCRIBE] + [UPDATE] * 12

    again = run.task('Apply again')
    assert again['status'] == 'changed'
    assert calls_of(log, again)[1:] == [(UPDATE, {'Vhost': VHOST, 'App': 'app05', 'GroupDetails': [
        {'Group': 'primary', 'Servers': [{'RelaySourceDomain': 'app05-origin.example.org', 'RelaySourceProtocol': 'rtmp'}]}]})]
    assert run.task('Apply once more')['status'] == 'ok' and actions_of(log, run.task('Apply once more')) == [DESCRIBE]
    assert sorted(config['App'] for config in emulator.state()['RelaySourceConfigList']) == apps


def test_bad_input_fails_before_any_call(emulator_replace, run_playbook):
    emulator = emulator_replace
    bad = [
        ('Bad domain', 'config[1].groups[0].servers[1].domain', dict(config=[
            app_entry('live', [group('g')]), app_entry('sports', [group('g', 'ok.example.org', 'rtmp://bad.example.org')])])),
        ('Duplicate app', 'config[1]', dict(config=[app_entry('live', [group('g')]), app_entry('live', [group('h')])])),
        ('Vhost-wide app', 'config[0].app', dict(config=[app_entry('', [group('g')])])),
        ('Nothing in scope', 'config', dict(state='overridden', config=[])),
        ('Vhosts with merged', 'vhosts', dict(vhosts=[VHOST], config=[app_entry('live', [group('g')])])),
    ]
    tasks = [sources_task(name, {'ignore_errors': True}, **options) for name, path, options in bad]
    tasks.append(sources_task('Protocol not in the choices', {'ignore_errors': True}, config=[
        app_entry('live', [group('g', protocol='hls')])]))
    run = run_playbook(playbook(*tasks), emulator=emulator)
    assert run.rc == 0, run
    for name, path, options in bad:
        result = run.task(name)
        assert result['status'] == 'failed' and result['result']['path'] == path, name
        assert result['result']['msg'].startswith(path + ': '), name
    assert run.task('Protocol not in the choices')['status'] == 'failed'
    assert emulator.requests() == []


def test_worker_threads_keep_to_the_rate_limit_of_an_api_far_away(run_playbook):
    """30 new apps, 10 workers, an API that answers in 0.2 s and accepts 10 requests/second: the client's limiter paces
    the threads, so nothing is throttled; the secret never shows, even at -vvvv."""
    apps = ['app%02d' % number for number in range(30)]
    with Emulator(update_mode='replace', rate_limit=10, latency=0.2) as emulator:
        run = run_playbook(playbook(sources_task('Apply', config=[app_entry(app, [group('primary', app + '-origin.example.org')])
                                                                  for app in apps])),
                           emulator=emulator, env={'VOLCENGINE_RATE_LIMIT': '10'}, verbosity=4)
        assert run.rc == 0, run
        log = emulator.requests()
        assert [item['http_status'] for item in log] == [200] * 31, 'no request was throttled'
        assert sorted(item['action'] for item in log) == [DESCRIBE] + [UPDATE] * 30
        assert [result['status'] for result in run.task('Apply')['result']['apps']] == ['applied'] * 30
        assert all(group_names(emulator, app) == ['primary'] for app in apps)
        assert emulator.secret_key not in run.stdout + run.stderr


def test_output_is_sized_for_an_estate(run_playbook):
    """A no-op over 100 apps stays a few lines at -v; a run with one failing app of 100 prints under 10 KB at default
    verbosity, naming the applied apps with their change and the failure with its code and RequestId."""
    apps = ['app%03d' % number for number in range(100)]
    config = [app_entry(app, [group('primary', app + '-origin.example.org')]) for app in apps]
    with Emulator(update_mode='replace', rate_limit=0) as emulator:
        emulator.set_state([api_config(app, [group('primary', app + '-origin.example.org')]) for app in apps])
        noop = run_playbook(playbook(sources_task('Keep', config=config)), emulator=emulator, verbosity=1)
        assert noop.rc == 0 and noop.task('Keep')['status'] == 'ok', noop
        assert len(noop.stdout.splitlines()) < 60, noop.stdout
        assert '%s: unchanged 100' % VHOST in noop.stdout

        changed = [app_entry(app, [group('primary', app + '-new.example.org')]) if app in apps[:5] else entry
                   for app, entry in zip(apps, config)]
        emulator.inject_fault(kind='error', status=400, code='InvalidParam', message='emulated refusal', apps=['app002'],
                              actions=[UPDATE])
        failed = run_playbook(playbook(sources_task('Change five', {'ignore_errors': True}, config=changed)), emulator=emulator)
        refused = [entry for entry in emulator.requests() if entry['fault']][0]
        assert failed.task('Change five')['status'] == 'failed'
        assert len(failed.stdout.encode('utf-8')) < 10 * 1024, len(failed.stdout)
        for app in ('app000', 'app001', 'app003', 'app004'):
            assert '%s/%s (update: group primary changed)' % (VHOST, app) in failed.stdout
        assert 'InvalidParam' in failed.stdout and refused['request_id'] in failed.stdout
        assert '%s: updated 4 (app000, app001, app003, app004), failed 1 (app002), unchanged 95' % VHOST in failed.stdout
