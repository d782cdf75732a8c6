# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A bad day, for real: faults injected into the emulator, typos from a tired operator, -vvvv in a shared log,
a self-signed certificate, and 20 forks at once. Every scenario runs the real module through ansible-playbook.

The fault, bad-input and secrets scenarios run at -vvvv with distinctive STS credentials (access key, secret key
and session token) through ``run_vvvv``, which fails any run whose output or results hold the secret key, the
session token or a signature, on success and failure alike."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re
import time
import types

import pytest

from ansible_collections.volcengine.cloud.tests.emulator.harness import Emulator
from ansible_collections.volcengine.cloud.tests.unit.plugins.module_utils import hostile_server
from ansible_collections.volcengine.cloud.tests.unit.plugins.module_utils.hostile_server import HostileServer
from ansible_collections.volcengine.cloud.tests.e2e.scenarios import (
    MODULE, VHOST, api_config, app_hosts, group, group_names, per_app_task, playbook, relay_task, server_domains)


DESIRED_GROUPS = [{'name': 'primary', 'servers': [{'domain': 'origin-a.example.org'}, {'domain': 'origin-b.example.org:1935'}]}]


# --- secrets never leave, even at -vvvv: the credentials and the check every run_vvvv run goes through -------

DISTINCTIVE = {'access_key': 'AKLTdistinctiveKEY0001', 'secret_key': 'SeCrEt-zebra-quartz-9917',
               'session_token': 'STStoken-marmalade-4411'}
DISTINCTIVE_ENV = {'VOLCENGINE_ACCESS_KEY': DISTINCTIVE['access_key'], 'VOLCENGINE_SECRET_KEY': DISTINCTIVE['secret_key'],
                   'VOLCENGINE_SESSION_TOKEN': DISTINCTIVE['session_token']}
_HEX64 = re.compile(r'\b[0-9a-f]{64}\b')


def assert_no_secret(text):
    assert DISTINCTIVE['secret_key'] not in text
    assert DISTINCTIVE['session_token'] not in text
    assert 'Signature=' not in text
    assert 'Authorization:' not in text
    assert 'HMAC-SHA256 Credential=' not in text
    assert not _HEX64.search(text), 'a 64-hex string (a signature or signing hash) reached the output'


@pytest.fixture(params=['replace', 'merge'])
def emulator(request):
    """The conftest's emulator, but it only accepts the distinctive credentials."""
    with Emulator(update_mode=request.param, rate_limit=0, credentials=[DISTINCTIVE]) as running:
        yield running


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


@pytest.mark.parametrize('leak', [
    pytest.param('key: ' + DISTINCTIVE['secret_key'], id='secret-key'),
    pytest.param('X-Security-Token: ' + DISTINCTIVE['session_token'], id='session-token'),
    pytest.param('/?Action=DescribeRelaySourceV3&Signature=abc', id='signature-query'),
    pytest.param('Authorization: HMAC-SHA256 Credential=AK/20260101/cn-north-1/live/request', id='authorization-header'),
    pytest.param('"signature": "%s"' % ('0123456789abcdef' * 4), id='64-hex'),
])
def test_assert_no_secret_detects_each_secret(leak):
    assert_no_secret('nothing to see: %s, %s' % (DISTINCTIVE['access_key'], '0123456789abcdef' * 3))
    with pytest.raises(AssertionError):
        assert_no_secret('before %s after' % leak)


# --- transient faults: retried until they pass ------------------------------------------------------------

TRANSIENT_FAULTS = [
    pytest.param({'kind': 'error', 'status': 429, 'code': 'FlowLimitExceeded', 'count': 3}, id='429-burst'),
    pytest.param({'kind': 'error', 'status': 429, 'code': 'FlowLimitExceeded', 'count': 1, 'retry_after': 1}, id='429-retry-after'),
    pytest.param({'kind': 'error', 'status': 500, 'code': 'InternalError', 'count': 2}, id='500'),
    pytest.param({'kind': 'error', 'status': 502, 'code': 'InternalServiceError', 'count': 2}, id='502'),
    pytest.param({'kind': 'error', 'status': 503, 'code': 'ServiceUnavailableTemp', 'count': 2}, id='503'),
    pytest.param({'kind': 'error', 'status': 504, 'code': 'InternalServiceTimeout', 'count': 2}, id='504'),
    pytest.param({'kind': 'drop', 'count': 2}, id='dropped-connection'),
    pytest.param({'kind': 'html', 'count': 2}, id='html-502-page'),
    pytest.param({'kind': 'commonerr', 'count': 1}, id='commonerr-http-200'),
    pytest.param({'kind': 'delay', 'delay': 1.5, 'count': 1}, id='slow-beyond-timeout'),
]


@pytest.mark.parametrize('fault', TRANSIENT_FAULTS)
@pytest.mark.parametrize('action', ['DescribeRelaySourceV3', 'UpdateRelaySourceV3'])
def test_transient_fault_is_retried_and_the_task_converges(fault, action, emulator_replace, run_vvvv):
    emulator_replace.inject_fault(actions=[action], **fault)
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


PERSISTENT_FAULTS = [
    pytest.param({'kind': 'error', 'status': 503, 'code': 'ServiceUnavailableTemp'}, 'ServiceUnavailableTemp', id='503'),
    pytest.param({'kind': 'html'}, '502', id='html-502-page'),
    pytest.param({'kind': 'commonerr'}, 'CommonErr', id='commonerr-http-200'),
    pytest.param({'kind': 'drop'}, 'connect', id='dropped-connection'),
]


@pytest.mark.parametrize('fault, expected_text', PERSISTENT_FAULTS)
def test_persistent_fault_fails_clearly_and_writes_nothing(fault, expected_text, emulator_replace, run_vvvv):
    emulator_replace.inject_fault(count=50, **fault)
    run = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS, max_retries=2, ignore_errors=True)), emulator_replace)
    result = run.task('Apply relay source')
    assert result['status'] == 'failed'
    assert expected_text.lower() in result['result']['msg'].lower()
    assert 'DescribeRelaySourceV3' in result['result']['msg']
    assert 'Traceback' not in json.dumps(result['result'])
    assert len(emulator_replace.requests()) == 3, 'one try and max_retries=2 retries'
    assert emulator_replace.state()['RelaySourceConfigList'] == []


def test_throttling_code_that_means_already_exists_is_not_retried(emulator_replace, run_vvvv):
    emulator_replace.inject_fault(kind='error', status=429, code='RequestLimitExceeded.Exist', count=5)
    run = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS, ignore_errors=True)), emulator_replace)
    assert run.task('Apply relay source')['status'] == 'failed'
    result = run.task('Apply relay source')['result']
    assert result['error']['code'] == 'RequestLimitExceeded.Exist'
    assert result['http_status'] == 429
    assert len(emulator_replace.requests()) == 1


def test_a_refused_update_takes_nothing_away(emulator, run_vvvv):
    """The update that changes primary comes before legacy is deleted: refused, it leaves both as they were."""
    emulator.set_state([api_config('live', [group('primary', 'old-origin.example.org'), group('legacy')])])
    emulator.inject_fault(kind='error', status=400, code='InvalidParam', count=1, actions=['UpdateRelaySourceV3'])

    run = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS, ignore_errors=True)), emulator)
    assert run.task('Apply relay source')['status'] == 'failed'
    result = run.task('Apply relay source')['result']
    assert result['error']['code'] == 'InvalidParam' and result['changed'] is False and result['actions'] == []
    assert 'No write was applied (not applied: update groups primary, legacy; delete group legacy)' in result['msg']
    assert 'would meet the same refusal' in result['msg']
    assert group_names(emulator) == ['primary', 'legacy']
    assert server_domains(emulator, 'live', 'primary') == ['old-origin.example.org']

    rerun = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS)), emulator)
    assert rerun.task('Apply relay source')['status'] == 'changed'
    assert server_domains(emulator, 'live', 'primary') == ['origin-a.example.org', 'origin-b.example.org:1935']
    assert group_names(emulator) == ['primary']
    final = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS)), emulator)
    assert final.task('Apply relay source')['status'] == 'ok'


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

LEGACY_STATE = [api_config('live', [group('primary', 'origin-a.example.org', 'origin-b.example.org:1935'), group('legacy')])]
LET_THE_FIRST_READ_THROUGH = {'kind': 'delay', 'delay': 0, 'actions': ['DescribeRelaySourceV3']}  # FIFO: taken by the first read


@pytest.mark.parametrize('faults, max_retries, status, outcomes, message_parts, calls', [
    pytest.param([{'kind': 'drop_after', 'actions': ['DeleteRelaySourceV3']}], 0, 'changed', ['applied'], [],
                 ['DescribeRelaySourceV3', 'DeleteRelaySourceV3', 'DescribeRelaySourceV3'], id='lost-delete-answer'),
    pytest.param([{'kind': 'drop_after', 'actions': ['DeleteRelaySourceV3']}], 3, 'changed', ['applied'], [],
                 ['DescribeRelaySourceV3', 'DeleteRelaySourceV3', 'DescribeRelaySourceV3'],
                 id='lost-delete-answer-never-resent-blindly'),
    pytest.param([{'kind': 'drop', 'actions': ['DeleteRelaySourceV3']}], 0, 'changed', ['failed', 'applied'], [],
                 ['DescribeRelaySourceV3', 'DeleteRelaySourceV3', 'DescribeRelaySourceV3', 'DeleteRelaySourceV3',
                  'DescribeRelaySourceV3'], id='dropped-delete-read-then-sent-again'),
    pytest.param([LET_THE_FIRST_READ_THROUGH, {'kind': 'drop_after', 'actions': ['DeleteRelaySourceV3']},
                  {'kind': 'error', 'status': 500, 'code': 'InternalError', 'actions': ['DescribeRelaySourceV3']}], 0, 'failed',
                 ['unknown'], ['Already applied: nothing. Not applied: nothing. Outcome unknown', 'delete group legacy', 'converges'],
                 ['DescribeRelaySourceV3', 'DeleteRelaySourceV3', 'DescribeRelaySourceV3'], id='unsettled-delete-unknown'),
])
def test_lost_delete_answer_is_settled_by_a_fresh_read(faults, max_retries, status, outcomes, message_parts, calls,
                                                       emulator_replace, run_vvvv):
    emulator = emulator_replace
    emulator.set_state(LEGACY_STATE)
    for fault in faults:
        emulator.inject_fault(**fault)
    run = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS, max_retries=max_retries, ignore_errors=True)), emulator)
    result = run.task('Apply relay source')
    assert result['status'] == status, result
    assert [entry['action'] for entry in emulator.requests()] == calls
    writes = result['result']['plan']['writes']
    assert [write['description'] for write in writes] == ['delete group legacy'] * len(outcomes)
    assert [write['outcome'] for write in writes] == outcomes
    assert writes[0]['settled_by_read'] is (status == 'changed')  # the unsettled one: its read failed
    if status == 'changed':
        # the delete happened (its answer lost, or sent again after a read showed it not applied); the run finished
        assert result['result']['actions'] == ['deleted group legacy']
        if outcomes == ['applied']:
            assert 'counts as applied' in run.stdout + run.stderr  # the warning
    else:
        assert result['result']['changed'] is True
        assert 'had succeeded' not in result['result']['msg']
        for part in message_parts:
            assert part in result['result']['msg'], result['result']['msg']
    emulator.clear_requests()
    rerun = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS)), emulator)
    assert rerun.task('Apply relay source')['status'] == 'ok'
    assert group_names(emulator) == ['primary']
    assert emulator.faults() == []


def test_lost_update_answer_on_a_reorder_is_settled_by_the_check_read(emulator, run_vvvv):
    upsert = emulator.settings()['update_mode'] == 'merge'
    emulator.set_state([api_config('live', [group('a'), group('b')])])
    emulator.inject_fault(kind='drop_after', actions=['UpdateRelaySourceV3'])
    run = run_vvvv(playbook(relay_task(groups=[group('b'), group('a')], max_retries=0)), emulator)
    result = run.task('Apply relay source')['result']
    assert run.task('Apply relay source')['status'] == 'changed', run
    # the read that settles the lost answer is also the read that tells what the API did: no extra call
    assert [entry['action'] for entry in emulator.requests()] == (
        ['DescribeRelaySourceV3', 'UpdateRelaySourceV3', 'DescribeRelaySourceV3']
        + (['UpdateRelaySourceV3', 'DeleteRelaySourceV3', 'UpdateRelaySourceV3', 'DeleteRelaySourceV3',
            'DescribeRelaySourceV3'] if upsert else []))
    assert result['plan']['update_semantics'] == ('merge' if upsert else 'replace, merge_first, merge_last')
    assert all(write['outcome'] == 'applied' for write in result['plan']['writes'])
    assert group_names(emulator) == ['b', 'a']
    rerun = run_vvvv(playbook(relay_task(groups=[group('b'), group('a')])), emulator)
    assert rerun.task('Apply relay source')['status'] == 'ok'


# --- bad input: named field, zero calls, no traceback ------------------------------------------------------

def servers(*domains):
    return [{'domain': domain} for domain in domains]


BAD_INPUTS = [
    ({'app': ''}, 'app'),
    ({'app': 'a' * 31}, 'app'),
    ({'app': 'live/stream'}, 'app'),
    ({'app': 'live stream'}, 'app'),
    ({'app': u'直播'}, 'app'),
    ({'vhost': ''}, 'vhost'),
    ({'vhost': 'https://push.example.com'}, 'vhost'),
    ({'groups': [{'name': 'a', 'servers': servers('rtmp://origin.example.org')}]}, 'groups[0].servers[0].domain'),
    ({'groups': [{'name': 'a', 'servers': servers('http://origin.example.org')}]}, 'groups[0].servers[0].domain'),
    ({'groups': [{'name': 'a', 'servers': servers('origin.example.org/live')}]}, 'groups[0].servers[0].domain'),
    ({'groups': [{'name': 'a', 'servers': servers('origin.example.org:0')}]}, 'groups[0].servers[0].domain'),
    ({'groups': [{'name': 'a', 'servers': servers('origin.example.org:65536')}]}, 'groups[0].servers[0].domain'),
    ({'groups': [{'name': 'a', 'servers': servers('origin.example.org:port')}]}, 'groups[0].servers[0].domain'),
    ({'groups': [{'name': 'a', 'servers': servers('')}]}, 'groups[0].servers[0].domain'),
    ({'groups': [{'name': 'a', 'servers': servers('origin example.org')}]}, 'groups[0].servers[0].domain'),
    ({'groups': [{'name': 'a', 'servers': servers(u'örigin_bad!.example.org')}]}, 'groups[0].servers[0].domain'),
    ({'groups': [{'name': 'a', 'servers': servers('ok.example.org', 'https://b.example.org')}]}, 'groups[0].servers[1].domain'),
    ({'groups': [{'name': 'a', 'servers': servers(*['o%d.example.org' % n for n in range(11)])}]}, 'groups[0].servers'),
    ({'groups': [{'name': 'a', 'servers': []}]}, 'groups[0].servers'),
    ({'groups': [{'name': 'a'}]}, 'groups[0].servers'),
    ({'groups': [{'name': 'a', 'servers': servers('a.example.org')}, {'name': 'a', 'servers': servers('b.example.org')}]},
     'groups[1].name'),
    ({'groups': [{'name': '', 'servers': servers('a.example.org')}]}, 'groups[0].name'),
    ({'groups': [{'name': 'a', 'servers': [{'domain': 'a.example.org', 'params': {'port': 1935}}]}]},
     'groups[0].servers[0].params'),
    ({'groups': [{'name': 'a', 'servers': [{'domain': 'a.example.org', 'params': {'': 'x'}}]}]}, 'groups[0].servers[0].params'),
    ({'groups': [{'name': 'a', 'servers': [{'domain': 'a.example.org', 'protocol': 'hls'}]}]}, 'protocol'),
    ({'groups': [{'name': 'a', 'servers': [{'domain': 'a.example.org', 'weight': 3}]}]}, 'weight'),
    ({'groups': [{'name': 'a', 'servers': servers('a.example.org'), 'priority': 1}]}, 'priority'),
    ({'groups': {'name': 'primary'}}, 'groups'),
    ({'state': 'present', 'groups': None}, 'groups'),
    ({'purge_groups': 'sometimes', 'groups': [{'name': 'a', 'servers': servers('a.example.org')}]}, 'purge_groups'),
]


def test_bad_inputs_fail_naming_the_field_with_zero_api_calls(emulator_replace, run_vvvv):
    tasks = []
    for index, (options, _field) in enumerate(BAD_INPUTS):
        arguments = {'groups': DESIRED_GROUPS}  # valid unless the case itself breaks them
        arguments.update(options)
        tasks.append(relay_task(name='bad input %d' % index, ignore_errors=True, **arguments))
    run = run_vvvv(playbook(*tasks), emulator_replace)
    assert len(BAD_INPUTS) >= 25
    for index, (options, field) in enumerate(BAD_INPUTS):
        result = run.task('bad input %d' % index)
        assert result['status'] == 'failed', (options, result)
        assert field in result['result']['msg'], (options, result['result']['msg'])
        # ansible-core 2.19 puts exception: "(traceback unavailable)" in every fail_json result; a real one has frames.
        assert 'Traceback (most recent call last)' not in json.dumps(result['result']), (options, result)
        assert 'File "' not in result['result'].get('exception', ''), (options, result)
    assert emulator_replace.requests() == []


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


# --- the client's boundary: bad credentials, netrc, redirects, slow, cut and hostile answers -----------------

CREDENTIAL_ENV = {'access_key': 'VOLCENGINE_ACCESS_KEY', 'secret_key': 'VOLCENGINE_SECRET_KEY',
                  'session_token': 'VOLCENGINE_SESSION_TOKEN'}


def loopback_endpoint(server):
    """A hostile loopback server as run_vvvv's endpoint (it reads the URL and the credentials from it)."""
    return types.SimpleNamespace(url=server.url, access_key=DISTINCTIVE['access_key'],
                                 secret_key=DISTINCTIVE['secret_key'])


def actions_received(server):
    return [re.search(r'Action=(\w+)', entry['path']).group(1) for entry in server.requests]


@pytest.mark.parametrize('where', ['environment', 'option'])
def test_session_token_with_a_trailing_newline_fails_naming_it_with_zero_calls(where, emulator_replace, run_vvvv):
    token = DISTINCTIVE['session_token'] + '\n'  # what `echo "$TOKEN" | ansible-vault encrypt_string` produces
    options = {'session_token': token} if where == 'option' else {}
    run = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS, ignore_errors=True, **options)), emulator_replace,
                   env={'VOLCENGINE_SESSION_TOKEN': token})
    result = run.task('Apply relay source')
    assert result['status'] == 'failed'
    assert result['result']['msg'].startswith('session_token (or VOLCENGINE_SESSION_TOKEN) ends with a line break')
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


def test_a_netrc_default_entry_does_not_replace_the_signature(emulator_replace, run_vvvv, tmp_path):
    netrc = tmp_path / 'netrc'
    netrc.write_text('default login intruder password netrc-password-0042\n')
    netrc.chmod(0o600)
    run = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS)), emulator_replace, env={'NETRC': str(netrc)})
    assert run.rc == 0, run
    assert run.task('Apply relay source')['status'] == 'changed'
    received = emulator_replace.requests()
    assert [entry['action'] for entry in received] == ['DescribeRelaySourceV3', 'UpdateRelaySourceV3']
    assert all(entry['signature_valid'] and entry['access_key'] == DISTINCTIVE['access_key'] for entry in received)
    assert group_names(emulator_replace) == ['primary']


def test_a_redirect_to_another_port_fails_and_that_port_receives_nothing(run_vvvv):
    with HostileServer(hostile_server.answer()) as elsewhere:
        location = '%s/collect?Action=DescribeRelaySourceV3' % elsewhere.url
        with HostileServer(hostile_server.redirect(location, 307)) as endpoint:
            run = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS, ignore_errors=True)), loopback_endpoint(endpoint))
    result = run.task('Apply relay source')['result']
    assert run.task('Apply relay source')['status'] == 'failed'
    assert result['error']['code'] == 'Redirected' and result['http_status'] == 307
    assert 'HTTP 307' in result['msg'] and 'to host 127.0.0.1:%d' % elsewhere.port in result['msg']
    assert 'collect' not in result['msg'] and 'retried' not in result['msg']
    assert elsewhere.requests == [], 'the body and the session token were sent to the redirect target'
    assert actions_received(endpoint) == ['DescribeRelaySourceV3']


def test_a_dripping_endpoint_cannot_hold_a_task_beyond_its_timeout(run_vvvv):
    # The answer comes one byte every 0.5 s: about 85 s for the whole of it. Each attempt must end at 2 s.
    with HostileServer(hostile_server.drip(interval=0.5)) as endpoint:
        started = time.monotonic()
        run = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS, timeout=2, max_retries=1, ignore_errors=True)),
                       loopback_endpoint(endpoint))
        elapsed = time.monotonic() - started
    result = run.task('Apply relay source')['result']
    assert result['error']['code'] == 'Timeout'
    assert 'within 2.0 seconds' in result['msg'] and 'It was retried 1 time with backoff.' in result['msg']
    assert len(endpoint.requests) == 2
    gap = endpoint.requests[1]['time'] - endpoint.requests[0]['time']
    assert gap < 2 + 0.5 + 5, 'the first attempt lasted %.1f s with timeout: 2' % gap
    assert elapsed < 60, 'the run took %.0f s' % elapsed


@pytest.mark.parametrize('reset', [False, True], ids=['closed', 'reset'])
def test_an_answer_cut_mid_body_is_retried_and_the_task_converges(reset, run_vvvv):
    with HostileServer(hostile_server.cut(keep=30, reset=reset), hostile_server.answer()) as endpoint:
        run = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS)), loopback_endpoint(endpoint))
    assert run.rc == 0, run
    assert run.task('Apply relay source')['status'] == 'changed'
    assert actions_received(endpoint) == ['DescribeRelaySourceV3', 'DescribeRelaySourceV3', 'UpdateRelaySourceV3']


def test_no_retry_is_claimed_when_none_was_made(emulator_replace, run_vvvv):
    emulator_replace.inject_fault(kind='error', status=503, code='ServiceUnavailableTemp', count=5)
    run = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS, max_retries=0, ignore_errors=True)), emulator_replace)
    message = run.task('Apply relay source')['result']['msg']
    assert 'ServiceUnavailableTemp' in message and 'retried' not in message.lower()
    assert len(emulator_replace.requests()) == 1


def test_server_text_reaches_the_output_bounded_and_without_escape_sequences(emulator_replace, run_vvvv):
    hostile = '\x1b[2J\x1b[31mEVERYTHING IS FINE\x1b[0m\x1b]0;owned\x07 ' + 'x' * 100000
    emulator_replace.inject_fault(kind='error', status=400, code='InvalidParam', message=hostile)
    run = run_vvvv(playbook(relay_task(groups=DESIRED_GROUPS, ignore_errors=True)), emulator_replace)
    result = run.task('Apply relay source')['result']
    assert result['error']['message'].startswith('EVERYTHING IS FINE xxx')
    assert len(result['error']['message']) <= 500 and len(result['msg']) < 1500
    for output in (run.stdout, run.stderr, json.dumps(result)):
        assert '\x1b' not in output and '\\u001b' not in output and ']0;owned' not in output


# --- TLS ----------------------------------------------------------------------------------------------------

def test_tls_verification_is_on_by_default_and_a_ca_bundle_fixes_it(run_playbook):
    with Emulator(update_mode='replace', rate_limit=0, tls=True) as tls_emulator:
        assert tls_emulator.url.startswith('https://127.0.0.1:')
        refused = run_playbook(playbook(relay_task(groups=DESIRED_GROUPS, max_retries=0, ignore_errors=True)), emulator=tls_emulator)
        assert refused.task('Apply relay source')['status'] == 'failed'
        result = refused.task('Apply relay source')['result']
        assert 'certificate' in result['msg'].lower()
        assert 'ca_bundle' in result['msg']
        assert tls_emulator.requests() == []

        trusted = run_playbook(playbook(relay_task(groups=DESIRED_GROUPS, ca_bundle=tls_emulator.ca_cert)), emulator=tls_emulator)
        assert trusted.task('Apply relay source')['status'] == 'changed', trusted
        assert group_names(tls_emulator) == ['primary']


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
