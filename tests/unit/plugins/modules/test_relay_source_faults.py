# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A bad day for volc_live_relay_source, in-process with the production client over HTTP: faults injected into the
emulator (retried until they pass, or failing clearly), refusals and lost answers settled by a fresh read, typos
that fail before any call, and hostile loopback servers (redirects, drips, cut answers), a netrc file and a
self-signed certificate. Every result is checked for secrets (run_module_over_http). (These ran as ansible-playbook
tasks at -vvvv in tests/e2e/test_reliability.py before issue 25; the scenarios whose output at -vvvv, forks or
process matter stay there.)"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re
import time

import pytest

from ansible_collections.volcengine.cloud.plugins.modules import volc_live_relay_source as module
from ansible_collections.volcengine.cloud.tests.unit.http_emulator import (
    KEYS, VHOST, api_config, assert_no_secret, emulator_with_keys, group, group_names, loopback_endpoint, server_domains)
from ansible_collections.volcengine.cloud.tests.unit.plugins.module_utils import hostile_server
from ansible_collections.volcengine.cloud.tests.unit.plugins.module_utils.hostile_server import HostileServer

DESIRED_GROUPS = [{'name': 'primary', 'servers': [{'domain': 'origin-a.example.org'}, {'domain': 'origin-b.example.org:1935'}]}]


@pytest.fixture
def run(run_over_http, emulator):
    """Run volc_live_relay_source on VHOST/live against the emulator (or ``endpoint``); ``options`` are its options."""
    def run_task(endpoint=None, **options):
        arguments = {'vhost': VHOST, 'app': 'live'}
        arguments.update(options)
        return run_over_http(module, arguments, endpoint or emulator)
    return run_task


# --- the check every result goes through (and ansible-playbook's output at -vvvv in tests/e2e) -----------------

@pytest.mark.parametrize('leak', [
    pytest.param('key: ' + KEYS['secret_key'], id='secret-key'),
    pytest.param('X-Security-Token: ' + KEYS['session_token'], id='session-token'),
    pytest.param('/?Action=DescribeRelaySourceV3&Signature=abc', id='signature-query'),
    pytest.param('Authorization: HMAC-SHA256 Credential=AK/20260101/cn-north-1/live/request', id='authorization-header'),
    pytest.param('"signature": "%s"' % ('0123456789abcdef' * 4), id='64-hex'),
])
def test_assert_no_secret_detects_each_secret(leak):
    assert_no_secret('nothing to see: %s, %s' % (KEYS['access_key'], '0123456789abcdef' * 3))
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
def test_transient_fault_is_retried_and_the_task_converges(fault, action, emulator, run):
    emulator.inject_fault(actions=[action], **fault)
    applied = run(groups=DESIRED_GROUPS, timeout=1)
    assert not applied.failed, applied
    assert applied.result['changed'] is True
    assert group_names(emulator) == ['primary']
    faulted = [entry for entry in emulator.requests() if entry.get('fault')]
    assert faulted, 'the fault was never applied'
    if 'retry_after' in fault:  # retried after the time the API asked for
        assert applied.sleeps and applied.sleeps[0] >= fault['retry_after']

    emulator.clear_requests()
    rerun = run(groups=DESIRED_GROUPS)
    assert not rerun.failed and rerun.result['changed'] is False
    assert [entry['action'] for entry in emulator.requests()] == ['DescribeRelaySourceV3']


PERSISTENT_FAULTS = [
    pytest.param({'kind': 'error', 'status': 503, 'code': 'ServiceUnavailableTemp'}, 'ServiceUnavailableTemp', id='503'),
    pytest.param({'kind': 'html'}, '502', id='html-502-page'),
    pytest.param({'kind': 'commonerr'}, 'CommonErr', id='commonerr-http-200'),
    pytest.param({'kind': 'drop'}, 'connect', id='dropped-connection'),
]


@pytest.mark.parametrize('fault, expected_text', PERSISTENT_FAULTS)
def test_persistent_fault_fails_clearly_and_writes_nothing(fault, expected_text, emulator, run):
    emulator.inject_fault(count=50, **fault)
    failed = run(groups=DESIRED_GROUPS, max_retries=2)
    assert failed.failed
    assert expected_text.lower() in failed.result['msg'].lower()
    assert 'DescribeRelaySourceV3' in failed.result['msg']
    assert 'Traceback' not in json.dumps(failed.result)
    assert len(emulator.requests()) == 3, 'one try and max_retries=2 retries'
    assert emulator.state()['RelaySourceConfigList'] == []


def test_throttling_code_that_means_already_exists_is_not_retried(emulator, run):
    emulator.inject_fault(kind='error', status=429, code='RequestLimitExceeded.Exist', count=5)
    failed = run(groups=DESIRED_GROUPS)
    assert failed.failed
    assert failed.result['error']['code'] == 'RequestLimitExceeded.Exist'
    assert failed.result['http_status'] == 429
    assert len(emulator.requests()) == 1


def test_no_retry_is_claimed_when_none_was_made(emulator, run):
    emulator.inject_fault(kind='error', status=503, code='ServiceUnavailableTemp', count=5)
    message = run(groups=DESIRED_GROUPS, max_retries=0).result['msg']
    assert 'ServiceUnavailableTemp' in message and 'retried' not in message.lower()
    assert len(emulator.requests()) == 1


# --- refusals and lost answers ------------------------------------------------------------------------------

@pytest.mark.parametrize('update_mode', ['replace', 'merge'])
def test_a_refused_update_takes_nothing_away(update_mode, emulator, run):
    """The update that changes primary comes before legacy is deleted: refused, it leaves both as they were."""
    emulator.settings(update_mode=update_mode)
    emulator.set_state([api_config('live', [group('primary', 'old-origin.example.org'), group('legacy')])])
    emulator.inject_fault(kind='error', status=400, code='InvalidParam', count=1, actions=['UpdateRelaySourceV3'])

    refused = run(groups=DESIRED_GROUPS)
    result = refused.result
    assert refused.failed
    assert result['error']['code'] == 'InvalidParam' and result['changed'] is False and result['actions'] == []
    assert 'No write was applied (not applied: update groups primary, legacy; delete group legacy)' in result['msg']
    assert 'would meet the same refusal' in result['msg']
    assert group_names(emulator) == ['primary', 'legacy']
    assert server_domains(emulator, 'live', 'primary') == ['old-origin.example.org']

    rerun = run(groups=DESIRED_GROUPS)
    assert not rerun.failed and rerun.result['changed'] is True
    assert server_domains(emulator, 'live', 'primary') == ['origin-a.example.org', 'origin-b.example.org:1935']
    assert group_names(emulator) == ['primary']
    final = run(groups=DESIRED_GROUPS)
    assert not final.failed and final.result['changed'] is False


LEGACY_STATE = [api_config('live', [group('primary', 'origin-a.example.org', 'origin-b.example.org:1935'), group('legacy')])]
LET_THE_FIRST_READ_THROUGH = {'kind': 'delay', 'delay': 0, 'actions': ['DescribeRelaySourceV3']}  # FIFO: taken by the first read


@pytest.mark.parametrize('faults, max_retries, failed, outcomes, message_parts, calls', [
    pytest.param([{'kind': 'drop_after', 'actions': ['DeleteRelaySourceV3']}], 0, False, ['applied'], [],
                 ['DescribeRelaySourceV3', 'DeleteRelaySourceV3', 'DescribeRelaySourceV3'], id='lost-delete-answer'),
    pytest.param([{'kind': 'drop_after', 'actions': ['DeleteRelaySourceV3']}], 3, False, ['applied'], [],
                 ['DescribeRelaySourceV3', 'DeleteRelaySourceV3', 'DescribeRelaySourceV3'],
                 id='lost-delete-answer-never-resent-blindly'),
    pytest.param([{'kind': 'drop', 'actions': ['DeleteRelaySourceV3']}], 0, False, ['failed', 'applied'], [],
                 ['DescribeRelaySourceV3', 'DeleteRelaySourceV3', 'DescribeRelaySourceV3', 'DeleteRelaySourceV3',
                  'DescribeRelaySourceV3'], id='dropped-delete-read-then-sent-again'),
    pytest.param([LET_THE_FIRST_READ_THROUGH, {'kind': 'drop_after', 'actions': ['DeleteRelaySourceV3']},
                  {'kind': 'error', 'status': 500, 'code': 'InternalError', 'actions': ['DescribeRelaySourceV3']}], 0, True,
                 ['unknown'], ['Already applied: nothing. Not applied: nothing. Outcome unknown', 'delete group legacy', 'converges'],
                 ['DescribeRelaySourceV3', 'DeleteRelaySourceV3', 'DescribeRelaySourceV3'], id='unsettled-delete-unknown'),
])
def test_lost_delete_answer_is_settled_by_a_fresh_read(faults, max_retries, failed, outcomes, message_parts, calls, emulator, run):
    emulator.set_state(LEGACY_STATE)
    for fault in faults:
        emulator.inject_fault(**fault)
    applied = run(groups=DESIRED_GROUPS, max_retries=max_retries)
    result = applied.result
    assert applied.failed is failed, applied
    assert result['changed'] is True
    assert [entry['action'] for entry in emulator.requests()] == calls
    writes = result['plan']['writes']
    assert [write['description'] for write in writes] == ['delete group legacy'] * len(outcomes)
    assert [write['outcome'] for write in writes] == outcomes
    assert writes[0]['settled_by_read'] is (not failed)  # the unsettled one: its read failed
    if not failed:
        # the delete happened (its answer lost, or sent again after a read showed it not applied); the run finished
        assert result['actions'] == ['deleted group legacy']
        if outcomes == ['applied']:
            assert 'counts as applied' in str(result['warnings'])  # plain strings before ansible-core 2.19, structured after
    else:
        assert 'had succeeded' not in result['msg']
        for part in message_parts:
            assert part in result['msg'], result['msg']
    emulator.clear_requests()
    rerun = run(groups=DESIRED_GROUPS)
    assert not rerun.failed and rerun.result['changed'] is False
    assert group_names(emulator) == ['primary']
    assert emulator.faults() == []


@pytest.mark.parametrize('update_mode', ['replace', 'merge'])
def test_lost_update_answer_on_a_reorder_is_settled_by_the_check_read(update_mode, emulator, run):
    emulator.settings(update_mode=update_mode)
    upsert = update_mode == 'merge'
    emulator.set_state([api_config('live', [group('a'), group('b')])])
    emulator.inject_fault(kind='drop_after', actions=['UpdateRelaySourceV3'])
    applied = run(groups=[group('b'), group('a')], max_retries=0)
    result = applied.result
    assert not applied.failed and result['changed'] is True, applied
    # the read that settles the lost answer is also the read that tells what the API did: no extra call
    assert [entry['action'] for entry in emulator.requests()] == (
        ['DescribeRelaySourceV3', 'UpdateRelaySourceV3', 'DescribeRelaySourceV3']
        + (['UpdateRelaySourceV3', 'DeleteRelaySourceV3', 'UpdateRelaySourceV3', 'DeleteRelaySourceV3',
            'DescribeRelaySourceV3'] if upsert else []))
    assert result['plan']['update_semantics'] == ('merge' if upsert else 'replace, merge_first, merge_last')
    assert all(write['outcome'] == 'applied' for write in result['plan']['writes'])
    assert group_names(emulator) == ['b', 'a']
    rerun = run(groups=[group('b'), group('a')])
    assert not rerun.failed and rerun.result['changed'] is False


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


def test_the_bad_inputs_are_many():
    assert len(BAD_INPUTS) >= 25


@pytest.mark.parametrize('options, field', BAD_INPUTS, ids=['%d-%s' % (index, case[1]) for index, case in enumerate(BAD_INPUTS)])
def test_bad_inputs_fail_naming_the_field_with_zero_api_calls(options, field, emulator, run):
    arguments = {'groups': DESIRED_GROUPS}  # valid unless the case itself breaks them
    arguments.update(options)
    failed = run(**arguments)
    assert failed.failed, (options, failed)
    assert field in failed.result['msg'], (options, failed.result['msg'])
    assert 'Traceback (most recent call last)' not in json.dumps(failed.result), (options, failed)
    assert 'File "' not in failed.result.get('exception', ''), (options, failed)
    assert emulator.requests() == []


# --- the client's boundary: netrc, redirects, slow and cut answers, TLS ---------------------------------------

def actions_received(server):
    return [re.search(r'Action=(\w+)', entry['path']).group(1) for entry in server.requests]


def test_a_netrc_default_entry_does_not_replace_the_signature(emulator, run, tmp_path, monkeypatch):
    netrc = tmp_path / 'netrc'
    netrc.write_text('default login intruder password netrc-password-0042\n')
    netrc.chmod(0o600)
    monkeypatch.setenv('NETRC', str(netrc))
    applied = run(groups=DESIRED_GROUPS)
    assert not applied.failed and applied.result['changed'] is True, applied
    received = emulator.requests()
    assert [entry['action'] for entry in received] == ['DescribeRelaySourceV3', 'UpdateRelaySourceV3']
    assert all(entry['signature_valid'] and entry['access_key'] == KEYS['access_key'] for entry in received)
    assert group_names(emulator) == ['primary']


def test_a_redirect_to_another_port_fails_and_that_port_receives_nothing(run):
    with HostileServer(hostile_server.answer()) as elsewhere:
        location = '%s/collect?Action=DescribeRelaySourceV3' % elsewhere.url
        with HostileServer(hostile_server.redirect(location, 307)) as endpoint:
            failed = run(endpoint=loopback_endpoint(endpoint), groups=DESIRED_GROUPS)
    result = failed.result
    assert failed.failed
    assert result['error']['code'] == 'Redirected' and result['http_status'] == 307
    assert 'HTTP 307' in result['msg'] and 'to host 127.0.0.1:%d' % elsewhere.port in result['msg']
    assert 'collect' not in result['msg'] and 'retried' not in result['msg']
    assert elsewhere.requests == [], 'the body and the session token were sent to the redirect target'
    assert actions_received(endpoint) == ['DescribeRelaySourceV3']


def test_a_dripping_endpoint_cannot_hold_a_task_beyond_its_timeout(run):
    # The answer comes one byte every 0.5 s: about 85 s for the whole of it. Each attempt must end at 2 s.
    with HostileServer(hostile_server.drip(interval=0.5)) as endpoint:
        started = time.monotonic()
        failed = run(endpoint=loopback_endpoint(endpoint), groups=DESIRED_GROUPS, timeout=2, max_retries=1)
        elapsed = time.monotonic() - started
    result = failed.result
    assert result['error']['code'] == 'Timeout'
    assert 'within 2.0 seconds' in result['msg'] and 'It was retried 1 time with backoff.' in result['msg']
    assert len(endpoint.requests) == 2
    gap = endpoint.requests[1]['time'] - endpoint.requests[0]['time']
    assert gap < 2 + 0.5 + 5, 'the first attempt lasted %.1f s with timeout: 2' % gap
    assert elapsed < 60, 'the run took %.0f s' % elapsed


@pytest.mark.parametrize('reset', [False, True], ids=['closed', 'reset'])
def test_an_answer_cut_mid_body_is_retried_and_the_task_converges(reset, run):
    with HostileServer(hostile_server.cut(keep=30, reset=reset), hostile_server.answer()) as endpoint:
        applied = run(endpoint=loopback_endpoint(endpoint), groups=DESIRED_GROUPS)
    assert not applied.failed and applied.result['changed'] is True, applied
    assert actions_received(endpoint) == ['DescribeRelaySourceV3', 'DescribeRelaySourceV3', 'UpdateRelaySourceV3']


def test_tls_verification_is_on_by_default_and_a_ca_bundle_fixes_it(run):
    with emulator_with_keys(update_mode='replace', tls=True) as tls_emulator:
        assert tls_emulator.url.startswith('https://127.0.0.1:')
        refused = run(endpoint=tls_emulator, groups=DESIRED_GROUPS, max_retries=0)
        assert refused.failed
        assert 'certificate' in refused.result['msg'].lower()
        assert 'ca_bundle' in refused.result['msg']
        assert tls_emulator.requests() == []

        trusted = run(endpoint=tls_emulator, groups=DESIRED_GROUPS, ca_bundle=tls_emulator.ca_cert)
        assert not trusted.failed and trusted.result['changed'] is True, trusted
        assert group_names(tls_emulator) == ['primary']
