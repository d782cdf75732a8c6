# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A bad day, for real, where ansible-playbook's own part matters: the output at -vvvv (on success, an API error,
retries, a bad secret, a retried fault, a lost answer's warning, credentials with a stray character), the server's
text as printed, an attempt still open when the module process ends, and 20 forks at once.

Every -vvvv scenario runs with distinctive STS credentials (access key, secret key and session token) through
``run_vvvv``, which fails any run whose output or results hold the secret key, the session token or a signature, on
success and failure alike. The module's behaviour under each fault, lost answer, bad input and hostile server is
tested in-process over HTTP in tests/unit/plugins/modules/test_relay_source_faults.py."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import time

import pytest

from ansible_collections.volcengine.cloud.tests.emulator.harness import Emulator
from ansible_collections.volcengine.cloud.tests.unit.http_emulator import KEYS as DISTINCTIVE
from ansible_collections.volcengine.cloud.tests.unit.http_emulator import assert_no_secret
from ansible_collections.volcengine.cloud.tests.e2e.scenarios import (
    MODULE, VHOST, api_config, app_hosts, group, group_names, per_app_task, playbook, relay_task, server_domains)


DESIRED_GROUPS = [{'name': 'primary', 'servers': [{'domain': 'origin-a.example.org'}, {'domain': 'origin-b.example.org:1935'}]}]


# --- secrets never leave, even at -vvvv: the credentials and the check every run_vvvv run goes through -------

DISTINCTIVE_ENV = {'VOLCENGINE_ACCESS_KEY': DISTINCTIVE['access_key'], 'VOLCENGINE_SECRET_KEY': DISTINCTIVE['secret_key'],
                   'VOLCENGINE_SESSION_TOKEN': DISTINCTIVE['session_token']}


@pytest.fixture
def emulator_replace():
    """The conftest's emulator_replace, but it only accepts the distinctive credentials."""
    with Emulator(update_mode='replace', rate_limit=0, credentials=[DISTINCTIVE]) as running:
        yield running


@pytest.fixture
def run_vvvv(run_playbook):
    """run_playbook at -vvvv with the distinctive credentials (env overrides them); every run is checked for secrets."""
    def run(playbook_text, emulator, env=None, **options):
        environment = dict(DISTINCTIVE_ENV)
        environment.update(env or {})
        completed = run_playbook(playbook_text, emulator=emulator, verbosity=4, env=environment, **options)
        assert 'ESTABLISH LOCAL CONNECTION' in completed.stdout, 'the run was not verbose: %r' % completed
        assert_no_secret(completed.stdout)
        assert_no_secret(completed.stderr)
        assert_no_secret(json.dumps(completed.results))
        return completed
    return run


# --- transient faults: retried until they pass ------------------------------------------------------------

def test_a_retried_fault_shows_no_secret_at_vvvv_and_the_task_converges(emulator_replace, run_vvvv):
    """One of the faults of the unit tests' matrix (test_relay_source_faults.py), through ansible-playbook at -vvvv: a
    dropped connection on the update, read and sent again."""
    emulator_replace.inject_fault(actions=['UpdateRelaySourceV3'], kind='drop', count=2)
    run = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS, timeout=1)), emulator_replace)
    assert run.rc == 0, run
    result = run.task('Apply relay source')
    assert result['status'] == 'changed'
    assert group_names(emulator_replace) == ['primary']
    faulted = [entry for entry in emulator_replace.requests() if entry.get('fault')]
    assert faulted, 'the fault was never applied'

    emulator_replace.clear_requests()
    rerun = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS)), emulator_replace)
    assert rerun.task('Apply relay source')['status'] == 'ok'
    assert [entry['action'] for entry in emulator_replace.requests()] == ['DescribeRelaySourceV3']


def test_an_update_held_beyond_twice_the_timeout_stops_the_run_with_an_unknown_outcome(emulator_replace, run_vvvv):
    """The update's attempt is abandoned at the 1 s timeout and waited for once more; the API answers only after
    3 s, so it may still be applied: no further write, the outcome said to be unknown, and a rerun converges."""
    emulator = emulator_replace
    emulator.set_state([api_config('live', [group('primary', 'old-origin.example.org'), group('legacy')])])
    emulator.inject_fault(kind='delay', delay=3.0, count=1, actions=['UpdateRelaySourceV3'])
    run = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS, timeout=1, ignore_errors=True)), emulator)
    result = run.task('Apply relay source')['result']
    assert run.task('Apply relay source')['status'] == 'failed' and result['changed'] is True
    assert 'may still be applied: no further write was made' in result['msg'] and 'Outcome unknown' in result['msg']
    assert [entry['action'] for entry in emulator.requests()] == [
        'DescribeRelaySourceV3', 'UpdateRelaySourceV3', 'DescribeRelaySourceV3']
    time.sleep(2)  # the held update lands
    rerun = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS)), emulator)
    assert rerun.task('Apply relay source')['status'] == 'changed' and group_names(emulator) == ['primary']


# --- lost answers: a write applied whose answer never came back (the emulator's drop_after fault) ------------

def test_a_lost_delete_answer_is_settled_and_the_warning_is_printed(emulator_replace, run_vvvv):
    """The delete is applied, its answer lost: a fresh read settles it and ansible-playbook prints the module's
    warning (the other lost answers: tests/unit/plugins/modules/test_relay_source_faults.py)."""
    emulator = emulator_replace
    emulator.set_state([api_config('live', [group('primary', 'origin-a.example.org', 'origin-b.example.org:1935'), group('legacy')])])
    emulator.inject_fault(kind='drop_after', actions=['DeleteRelaySourceV3'])
    run = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS, max_retries=0, ignore_errors=True)), emulator)
    result = run.task('Apply relay source')
    assert result['status'] == 'changed', result
    assert [entry['action'] for entry in emulator.requests()] == [
        'DescribeRelaySourceV3', 'DeleteRelaySourceV3', 'DescribeRelaySourceV3']
    writes = result['result']['plan']['writes']
    assert [(write['description'], write['outcome'], write['settled_by_read']) for write in writes] == [
        ('delete group legacy', 'applied', True)]
    assert result['result']['actions'] == ['deleted group legacy']
    assert 'counts as applied' in run.stdout + run.stderr  # the warning
    emulator.clear_requests()
    rerun = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS)), emulator)
    assert rerun.task('Apply relay source')['status'] == 'ok'
    assert group_names(emulator) == ['primary']
    assert emulator.faults() == []


# --- secrets never leave, even at -vvvv: success and failure ---------------------------------------------

@pytest.mark.parametrize('scenario', ['success', 'api-error', 'retried-then-failed', 'bad-secret'])
def test_no_secret_in_any_output_at_vvvv(scenario, emulator_replace, run_vvvv):
    secret_key = DISTINCTIVE['secret_key']
    if scenario == 'api-error':
        emulator_replace.inject_fault(kind='error', status=403, code='RequestForbidden.BillingStatus')
    elif scenario == 'retried-then-failed':
        emulator_replace.inject_fault(kind='error', status=503, code='ServiceUnavailableTemp', count=10)
    elif scenario == 'bad-secret':
        secret_key = DISTINCTIVE['secret_key'] + 'x'
    tasks = [relay_task(groups=DESIRED_GROUPS, max_retries=1, ignore_errors=True),
             {'name': 'Explicit options', MODULE: {'vhost': VHOST, 'app': 'live', 'groups': DESIRED_GROUPS, 'max_retries': 1,
                                                   'secret_key': secret_key,
                                                   'session_token': DISTINCTIVE['session_token']},
              'ignore_errors': True}]
    run = run_vvvv(playbook(*tasks), emulator_replace, env={'VOLCENGINE_SECRET_KEY': secret_key})
    expected = 'ok' if scenario == 'success' else 'failed'
    assert run.task('Apply relay source')['status'] in (expected, 'changed' if expected == 'ok' else expected)
    if scenario == 'bad-secret':
        assert run.task('Apply relay source')['result']['error']['code'] == 'SignatureDoesNotMatch'


# --- credentials with a stray character: refused naming the option, never showing the value ------------------

CREDENTIAL_ENV = {'access_key': 'VOLCENGINE_ACCESS_KEY', 'secret_key': 'VOLCENGINE_SECRET_KEY',
                  'session_token': 'VOLCENGINE_SESSION_TOKEN'}


def test_session_token_with_a_trailing_newline_fails_naming_it_with_zero_calls(emulator_replace, run_vvvv):
    """From the environment, and as the option too (one run: both tasks see the environment's token)."""
    token = DISTINCTIVE['session_token'] + '\n'  # what `echo "$TOKEN" | ansible-vault encrypt_string` produces
    run = run_vvvv(playbook(relay_task('environment', groups=DESIRED_GROUPS, ignore_errors=True),
                            relay_task('option', groups=DESIRED_GROUPS, ignore_errors=True, session_token=token)),
                   emulator_replace, env={'VOLCENGINE_SESSION_TOKEN': token})
    for where in ('environment', 'option'):
        result = run.task(where)
        assert result['status'] == 'failed', where
        assert result['result']['msg'].startswith('session_token (or VOLCENGINE_SESSION_TOKEN) ends with a line break'), where
    assert emulator_replace.requests() == []


@pytest.mark.parametrize('option, value', [
    pytest.param('session_token', DISTINCTIVE['session_token'] + u'\u2019', id='session-token'),
    pytest.param('access_key', u'\u201c' + DISTINCTIVE['access_key'] + u'\u201d', id='access-key'),
    pytest.param('secret_key', DISTINCTIVE['secret_key'] + u'\u2019', id='secret-key'),
])
def test_a_non_latin_1_character_in_a_credential_fails_clearly_with_zero_calls(option, value, emulator_replace,
                                                                               run_vvvv):
    run = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS, ignore_errors=True)), emulator_replace,
                   env={CREDENTIAL_ENV[option]: value})
    result = run.task('Apply relay source')
    message = result['result']['msg']
    assert result['status'] == 'failed'
    assert message.startswith('%s (or %s) contains a non-ASCII character' % (option, CREDENTIAL_ENV[option]))
    assert value not in message and DISTINCTIVE[option] not in message
    assert 'MODULE FAILURE' not in message and 'Traceback' not in json.dumps(result['result'])
    assert emulator_replace.requests() == []


def test_server_text_reaches_the_output_bounded_and_without_escape_sequences(emulator_replace, run_vvvv):
    hostile = '\x1b[2J\x1b[31mEVERYTHING IS FINE\x1b[0m\x1b]0;owned\x07 ' + 'x' * 100000
    emulator_replace.inject_fault(kind='error', status=400, code='InvalidParam', message=hostile)
    run = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS, ignore_errors=True)), emulator_replace)
    result = run.task('Apply relay source')['result']
    assert result['error']['message'].startswith('EVERYTHING IS FINE xxx')
    assert len(result['error']['message']) <= 500 and len(result['msg']) < 1500
    for output in (run.stdout, run.stderr, json.dumps(result)):
        assert '\x1b' not in output and '\\u001b' not in output and ']0;owned' not in output


# --- concurrency ----------------------------------------------------------------------------------------------

def test_twenty_forks_on_one_vhost_end_with_every_app_correct(run_playbook):
    apps = ['app%02d' % number for number in range(20)]
    with Emulator(update_mode='merge', rate_limit=10) as limited:
        run = run_playbook(playbook(per_app_task(), hosts='all'), emulator=limited, forks=20, inventory=app_hosts(apps),
                           env={'VOLCENGINE_RATE_LIMIT': '10'})
        assert run.rc == 0, run
        assert run.failed_count == 0
        assert run.changed_count == 20
        for app in apps:
            assert server_domains(limited, app, 'primary') == ['%s-origin.example.org' % app]
        throttled = [entry for entry in limited.requests() if entry['http_status'] == 429]
        assert len(throttled) <= 4, 'the shared client-side limiter should keep 20 forks under the API limit'
