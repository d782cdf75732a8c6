# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""volc_live_scheduled_relay_sources against the emulator's model of the V4 actions (tests/emulator/api_model.py), in
process, with a client per worker thread as in production (model_client.ModelAPI): the model is the oracle
written from the API documentation, so these tests check that what the module sends is what the API takes, under each
of the emulator's settings for what the documentation leaves open (how a permanent stream is listed, whether a stream
whose window ended is listed, whether an app may hold both kinds of relay)."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

import pytest

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import ACTION_ADVICE
from ansible_collections.volcengine.cloud.plugins.module_utils.scheduled_relay import iso_utc
from ansible_collections.volcengine.cloud.plugins.modules import volc_live_scheduled_relay_sources as module
from ansible_collections.volcengine.cloud.tests.emulator.api_model import (
    ACTION_CREATE_V4 as CREATE,
    ACTION_DELETE_V4 as DELETE,
    ACTION_LIST_V4 as LIST,
    ACTION_UPDATE_V4 as UPDATE,
    RELAY_SOURCE_CONFLICT,
    V4_STATE_KEY,
)
from ansible_collections.volcengine.cloud.tests.unit.model_client import ModelAPI, app_config
from ansible_collections.volcengine.cloud.tests.unit.plugins.modules.test_volc_live_relay_source import group

DOMAIN = 'pull.example.com'
A, B = 'rtmp://origin-a.example.com/live/final', 'srt://origin-b.example.com:9000?streamid=final'
HOUR = 3600
NOW = int(time.time())
START, END = NOW + 24 * HOUR - NOW % 60, NOW + 30 * HOUR - NOW % 60
PAST_START, PAST_END = NOW - 6 * HOUR, NOW - 2 * HOUR


def stored(stream, origins=(A,), start=0, end=0, domain=DOMAIN, app='live'):
    """A V4 entry in the state's shape (0/0: permanent)."""
    return {'Domain': domain, 'App': app, 'Stream': stream, 'SrcAddrS': list(origins), 'StartTime': start, 'EndTime': end}


def entry(stream, origins=(A,), domain=DOMAIN, app='live', **window):
    config = {'domain': domain, 'app': app, 'stream': stream, 'origins': list(origins)}
    config.update(window)
    return config


def emulator(*streams, **settings):
    """The in-process API holding the V4 ``streams`` (and V3 ``settings.pop('v3')``), with the emulator ``settings``."""
    api = ModelAPI({'RelaySourceConfigList': settings.pop('v3', []), V4_STATE_KEY: list(streams)})
    if settings:
        api.view.settings(**settings)
    return api


def held(api):
    """The V4 entries the emulator holds, in creation order."""
    return api.view.state()[V4_STATE_KEY]


def actions(api):
    return [action for action, _body in api.view.calls]


@pytest.fixture
def run(run_module):
    def run_task(api, check_mode=False, diff=False, **args):
        return run_module(module, args, client_factory=api.factory, check_mode=check_mode, diff=diff)
    return run_task


@pytest.mark.parametrize('permanent_times', ['zero', 'absent'])
def test_create_then_change_then_round_trip_as_the_emulator_stores_it(run, permanent_times):
    api = emulator(v4_permanent_times=permanent_times)
    config = [entry('final', (A, B), start=time.strftime('%Y-%m-%dT%H:%M:%S+08:00', time.gmtime(START + 8 * HOUR)),
                    end=END), entry('channel-1', (B,))]
    first = run(api, config=config, max_workers=1).result  # one worker: created in order
    assert first['changed'] is True and not first.get('failed'), first.get('msg')
    assert held(api) == [stored('final', (A, B), START, END), stored('channel-1', (B,))]
    assert actions(api) == [LIST, CREATE, CREATE]

    api.view.clear_requests()
    assert run(api, config=config).result['changed'] is False and actions(api) == [LIST]

    api.view.clear_requests()
    changed = run(api, config=[entry('final', (B, A), start=START, end=END + HOUR)]).result
    assert changed['streams'][0]['change'] == 'update: origins changed; window now %s to %s' % (iso_utc(START), iso_utc(END + HOUR))
    assert actions(api) == [LIST, UPDATE] and held(api)[0] == stored('final', (B, A), START, END + HOUR)

    gathered = run(api, state='gathered', domains=[DOMAIN]).result['gathered']
    assert gathered == [dict(entry('final', (B, A)), start=iso_utc(START), end=iso_utc(END + HOUR)), entry('channel-1', (B,))]
    api.view.clear_requests()
    again = run(api, state='overridden', config=gathered).result
    assert again['changed'] is False and actions(api) == [LIST]


def test_an_update_without_a_window_makes_the_stream_permanent_and_the_read_after_it_confirms(run):
    api = emulator(stored('final', (A,), START, END))
    result = run(api, state='replaced', config=[entry('final')]).result
    assert not result.get('failed'), result.get('msg')
    assert actions(api) == [LIST, UPDATE, LIST] and held(api) == [stored('final')]


def test_a_thousand_streams_are_read_in_two_pages_of_the_emulator(run):
    api = emulator(*[stored('s%04d' % number) for number in range(1000)])
    result = run(api, state='overridden', config=[entry('s%04d' % number) for number in range(999)]).result
    assert [(action, body.get('Page'), body.get('Size')) for action, body in api.view.calls] == [
        (LIST, 1, 500), (LIST, 2, 500), (DELETE, None, None)]
    assert result['summary'] == '%s: deleted 1 (live/s0999), unchanged 999' % DOMAIN


def test_check_mode_writes_nothing_to_the_emulator(run):
    api = emulator(stored('old'), stored('final'))
    result = run(api, state='overridden', config=[entry('final', (B,)), entry('new')], check_mode=True, diff=True).result
    assert result['changed'] is True and api.view.writes() == [] and held(api) == [stored('old'), stored('final')]
    assert [item['status'] for item in result['streams']] == ['planned'] * 3


# -- windows that have ended, under each of the emulator's answers ------------------------------------------------

def test_when_the_api_lists_ended_windows_they_are_apart_left_by_overridden_and_deleted_by_deleted(run):
    api = emulator(stored('done', (A,), PAST_START, PAST_END), stored('live-now'), v4_ended='keep')
    gathered = run(api, state='gathered', domains=[DOMAIN]).result
    assert gathered['gathered'] == [entry('live-now')]
    assert gathered['ended'] == [dict(entry('done'), start=iso_utc(PAST_START), end=iso_utc(PAST_END))]
    assert run(api, state='overridden', domains=[DOMAIN], config=gathered['gathered']).result['changed'] is False
    assert len(held(api)) == 2
    run(api, state='deleted', domains=[DOMAIN])
    assert held(api) == []


def test_when_the_api_hides_ended_windows_a_create_of_such_a_stream_is_refused_with_advice(run):
    api = emulator(stored('done', (A,), PAST_START, PAST_END), v4_ended='hide')
    gathered = run(api, state='gathered', domains=[DOMAIN]).result
    assert gathered['gathered'] == [] and gathered['ended'] == []
    failed = run(api, config=[entry('done', start=START, end=END)])
    assert failed.failed and failed.result['error']['code'] == 'InvalidParam'
    assert ACTION_ADVICE[(CREATE, 'InvalidParam')] in failed.result['msg']
    assert 'already has a fixed-trigger configuration' in failed.result['msg']


def test_when_the_api_expires_ended_windows_the_stream_can_be_created_again(run):
    api = emulator(stored('done', (A,), PAST_START, PAST_END), v4_ended='expire')
    result = run(api, config=[entry('done', (B,), start=START, end=END)]).result
    assert not result.get('failed'), result.get('msg')
    assert held(api) == [stored('done', (B,), START, END)]


# -- refusals and lost answers -----------------------------------------------------------------------------------

def test_an_app_that_may_not_hold_both_kinds_of_relay_gets_advice_that_names_the_play_triggered_configuration(run):
    api = emulator(v3=[app_config(DOMAIN, 'live', [group('primary')])], v3_v4_same_app='refused')
    failed = run(api, config=[entry('final'), entry('other', app='events')])
    assert failed.failed and failed.result['error']['code'] == RELAY_SOURCE_CONFLICT
    assert 'play-triggered (V3)' in failed.result['msg'] and 'volc_live_relay_source_info' in failed.result['msg']
    assert [item['App'] for item in held(api)] == ['events'], 'the other app was not held up'


def test_a_lost_answer_of_an_applied_write_is_settled_by_listing_the_domain_again(run):
    api = emulator(stored('final'))
    api.view.inject_fault(kind='drop_after', actions=[UPDATE], streams=['final'])
    result = run(api, config=[entry('final', (B,)), entry('new')], max_workers=1).result
    assert not result.get('failed') and result['changed'] is True, result.get('msg')
    assert actions(api) == [LIST, UPDATE, LIST, CREATE]
    assert result['streams'][0]['plan']['writes'][0]['settled_by_read'] is True
    assert 'took effect, so it counts as applied' in str(result['warnings'])
    assert held(api) == [stored('final', (B,)), stored('new')]


def test_a_lost_answer_of_a_write_that_was_not_applied_is_sent_again_once_a_read_shows_it_missing(run):
    api = emulator()
    api.view.inject_fault(kind='drop', actions=[CREATE], streams=['final'])
    result = run(api, config=[entry('final')]).result
    assert not result.get('failed'), result.get('msg')
    assert actions(api) == [LIST, CREATE, LIST, CREATE] and held(api) == [stored('final')]
    assert [write['outcome'] for write in result['streams'][0]['plan']['writes']] == ['failed', 'applied']


def test_a_refused_write_fails_its_stream_only_with_the_request_id_and_advice(run):
    api = emulator()
    api.view.inject_fault(kind='error', status=403, code='RequestForbidden', actions=[CREATE], streams=['b'])
    failed = run(api, config=[entry('a'), entry('b'), entry('c')], max_workers=2)
    assert failed.failed and [item['Stream'] for item in held(api)] in (['a', 'c'], ['c', 'a'])
    request_id = failed.result['request_id']
    assert request_id and request_id in failed.result['msg']
    assert ACTION_ADVICE[(CREATE, 'RequestForbidden')] in failed.result['msg']
    assert failed.result['summary'] == '%s: created 2 (live/a, live/c), failed 1 (live/b)' % DOMAIN


# -- what the module accepts, the emulator accepts ----------------------------------------------------------------

ACCEPTED = [
    entry('a' * 100, app='b' * 30),
    entry('ipv6', ('rtmp://[2001:db8::1]:1935/live/x', 'http://203.0.113.10:8080/live/x.flv')),
    entry('hls', ('HTTPS://origin.example.com/live/x.m3u8?token=a%20b&x=1',)),
    entry('ten', ['srt://o%d.example.com:9000?streamid=x' % number for number in range(10)]),
    entry('week', start=START, end=START + 7 * 24 * HOUR),
    entry('under_score', domain='under_score.example.com'),
    entry('same-origin-twice', (A, A)),
]


@pytest.mark.parametrize('config', ACCEPTED, ids=[item['stream'][:12] for item in ACCEPTED])
def test_every_entry_the_module_accepts_the_emulator_accepts(run, config):
    api = emulator()
    result = run(api, config=[config]).result
    assert not result.get('failed'), result.get('msg')
    assert actions(api) == [LIST, CREATE] and run(api, config=[config]).result['changed'] is False
