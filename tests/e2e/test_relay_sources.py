# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""volc_live_relay_sources through real ansible-playbook runs against the emulator: the worker threads paced by the
client's limiter against a rate-limited API far away (at -vvvv), and the output sized for an estate. Every state,
the round trip and per-app failure isolation are tested in-process over HTTP in
tests/unit/plugins/modules/test_relay_sources_over_http.py; bad input in test_volc_live_relay_sources.py and
test_relay_source_protocol.py."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.volcengine.cloud.tests.emulator.harness import Emulator
from ansible_collections.volcengine.cloud.tests.e2e.scenarios import (
    VHOST, api_config, app_entry, group, group_names, playbook, sources_task)

DESCRIBE, UPDATE = 'DescribeRelaySourceV3', 'UpdateRelaySourceV3'


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
