# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module-level units for volc_live_scheduled_relay_sources against the emulator's model of the V4 actions, in-process
(tests/unit/model_client.py), with a client per worker thread as in production: every state, check mode, idempotence,
diff and summary, validation before any call, fail-closed reads, pagination, lost answers, failure isolation and
interrupts."""
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
)
from ansible_collections.volcengine.cloud.tests.unit.model_client import (
    ModelAPI,
    ThreadRecordingClient,
    in_flight_gate,
    interrupt_after_writes,
    list_page,
    scheduled_state,
    stream_entry,
)

DOMAIN = 'pull.example.com'
OTHER = 'pull2.example.com'
A, B = 'rtmp://origin-a.example.com/live/final', 'rtmp://origin-b.example.com/live/final'
HOUR = 3600
NOW = int(time.time())
# A window to come, as ISO 8601 with an offset and as Unix seconds; and one that has ended.
START, END = NOW + 2 * HOUR - NOW % 60, NOW + 6 * HOUR - NOW % 60
PAST_START, PAST_END = NOW - 6 * HOUR, NOW - 2 * HOUR


def beijing(seconds):
    return time.strftime('%Y-%m-%dT%H:%M:%S+08:00', time.gmtime(seconds + 8 * HOUR))


def entry(stream, origins=(A,), domain=DOMAIN, app='live', **window):
    config = {'domain': domain, 'app': app, 'stream': stream, 'origins': None if origins is None else list(origins)}
    config.update(window)
    return config


def seeded(*streams, **options):
    """The emulator's model holding ``streams``: (stream, origins[, start, end]) in DOMAIN/live, or an entry in the API's
    shape; ``options`` for ModelAPI."""
    return ModelAPI(scheduled_state([item if isinstance(item, dict) else stream_entry(DOMAIN, 'live', *item) for item in streams]),
                    **options)


def names(api, domain=DOMAIN):
    return [item['Stream'] for item in api.view.scheduled_relays(domain)]


@pytest.fixture
def run(run_module):
    def run_task(api, check_mode=False, diff=False, factory=None, **args):
        """The module with ``args``; its clients from ``factory``, by default ``api.factory``'s."""
        return run_module(module, args, client_factory=factory or api.factory, check_mode=check_mode, diff=diff)
    return run_task


# --- merged ------------------------------------------------------------------------------------------------------

def test_merged_creates_a_window_and_a_permanent_stream_then_a_rerun_is_one_read(run):
    api = seeded()
    config = [entry('final', (A, B), start=beijing(START), end=beijing(END)),
              entry('channel-1', ('srt://origin-a.example.com:9000?streamid=channel-1',))]
    first = run(api, config=config, max_workers=1).result  # one worker: the writes in order
    assert first['changed'] is True and not first.get('failed'), first.get('msg')
    assert api.view.writes() == [
        (CREATE, {'Domain': DOMAIN, 'App': 'live', 'Stream': 'final', 'SrcAddrS': [A, B], 'StartTime': START, 'EndTime': END}),
        (CREATE, {'Domain': DOMAIN, 'App': 'live', 'Stream': 'channel-1',
                  'SrcAddrS': ['srt://origin-a.example.com:9000?streamid=channel-1']})]
    assert first['summary'] == '%s: created 2 (live/final, live/channel-1)' % DOMAIN
    assert [(item['stream'], item['status'], item['change']) for item in first['streams']] == [
        ('final', 'applied', 'create: 2 origins, window %s to %s' % (iso_utc(START), iso_utc(END))),
        ('channel-1', 'applied', 'create: 1 origin, permanent')]
    assert first['after'] == [dict(entry('final', (A, B)), start=iso_utc(START), end=iso_utc(END)),
                              entry('channel-1', ('srt://origin-a.example.com:9000?streamid=channel-1',))]
    assert first['before'] == [] and first['ended'] == []

    api.view.clear_requests()
    again = run(api, config=config).result
    assert again['changed'] is False and api.view.calls == [(LIST, {'Domain': DOMAIN, 'Page': 1, 'Size': 500})]
    assert again['streams'] == [] and again['writes'] == [] and again['summary'] == '%s: unchanged 2' % DOMAIN


def test_a_window_in_unix_seconds_and_the_same_instant_in_iso_8601_are_equal(run):
    api = seeded(('final', [A], START, END))
    for window in (dict(start=START, end=END), dict(start=str(START), end=str(END)),
                   dict(start=beijing(START), end=iso_utc(END)), dict(start=iso_utc(START), end=beijing(END))):
        result = run(api, config=[entry('final', **window)]).result
        assert result['changed'] is False, window
    assert api.view.writes() == []


def test_merged_without_a_window_keeps_the_existing_window_in_one_update(run):
    api = seeded(('final', [A], START, END))
    result = run(api, config=[entry('final', (B, A))], diff=True).result
    assert api.view.writes() == [(UPDATE, {'Domain': DOMAIN, 'App': 'live', 'Stream': 'final', 'SrcAddrS': [B, A],
                                           'StartTime': START, 'EndTime': END})]
    assert result['streams'][0]['change'] == 'update: origins changed'
    assert result['diff'][1]['after']['start'] == iso_utc(START)


def test_merged_with_a_window_changes_only_the_window_in_one_update(run):
    api = seeded(('final', [A]), ('other', [B]))
    result = run(api, config=[entry('final', start=START, end=END)]).result
    assert api.view.writes() == [(UPDATE, {'Domain': DOMAIN, 'App': 'live', 'Stream': 'final', 'SrcAddrS': [A],
                                           'StartTime': START, 'EndTime': END})]
    assert result['streams'][0]['change'] == 'update: window now %s to %s' % (iso_utc(START), iso_utc(END))
    assert names(api) == ['final', 'other'], 'merged leaves other streams alone'


def test_merged_leaves_a_stream_whose_window_ended_alone_when_its_origins_are_the_same(run):
    api = seeded(('done', [A], PAST_START, PAST_END))
    result = run(api, config=[entry('done')]).result
    assert result['changed'] is False and api.view.writes() == []
    assert result['ended'] == [dict(entry('done'), start=iso_utc(PAST_START), end=iso_utc(PAST_END))]


def test_merged_refuses_before_any_write_to_carry_a_window_that_ended(run):
    api = seeded(('done', [A], PAST_START, PAST_END))
    failed = run(api, config=[entry('new', (B,)), entry('done', (B,))])
    assert failed.failed and failed.result['changed'] is False and api.view.writes() == []
    assert failed.result['path'] == 'config[1]'
    assert failed.result['msg'].startswith('config[1]: %s/live/done has a window that ended at %s' % (DOMAIN, iso_utc(PAST_END)))
    assert 'state=replaced' in failed.result['msg'] and 'Nothing was written.' in failed.result['msg']
    assert failed.result['request_ids'] == ['req-1']


# --- replaced / overridden / deleted -----------------------------------------------------------------------------

def test_replaced_without_a_window_makes_the_stream_permanent_with_one_update_and_a_read(run):
    api = seeded(('final', [A], START, END), ('other', [B]))
    result = run(api, state='replaced', config=[entry('final')]).result
    assert api.view.writes() == [(UPDATE, {'Domain': DOMAIN, 'App': 'live', 'Stream': 'final', 'SrcAddrS': [A]})]
    assert [call[0] for call in api.view.calls] == [LIST, UPDATE, LIST]
    assert result['streams'][0]['change'] == 'update: now permanent' and result['streams'][0]['plan']['verify'] is True
    assert names(api) == ['final', 'other']


def test_replaced_fails_the_stream_when_the_api_keeps_the_window_an_update_does_not_name(run):
    api = seeded(('final', [A], START, END))
    # The model's update makes the stream permanent; an API that keeps the window shows it to the read after the update.
    api.view.inject_fault(kind='result', actions=[LIST], skip=1, result=list_page([stream_entry(DOMAIN, 'live', 'final', [A], START, END)]))
    failed = run(api, state='replaced', config=[entry('final')])
    assert failed.failed and failed.result['changed'] is True
    assert failed.result['error']['code'] == 'UnexpectedScheduledRelayState'
    assert failed.result['streams'][0]['status'] == 'failed'
    assert 'does not seem to make a stream permanent' in failed.result['msg']


def test_overridden_deletes_the_unlisted_streams_of_the_domains_in_scope_but_not_those_whose_window_ended(run):
    api = seeded(('final', [A], START, END), ('old', [A]), ('done', [A], PAST_START, PAST_END),
                 stream_entry(OTHER, 'live', 'keep', [A]))
    result = run(api, state='overridden', config=[entry('final', start=START, end=END), entry('new')], max_workers=1).result
    assert api.view.writes() == [(CREATE, {'Domain': DOMAIN, 'App': 'live', 'Stream': 'new', 'SrcAddrS': [A]}),
                                 (DELETE, {'Domain': DOMAIN, 'App': 'live', 'Stream': 'old'})]
    assert names(api) == ['final', 'done', 'new'] and names(api, OTHER) == ['keep']
    assert result['summary'] == '%s: created 1 (live/new), deleted 1 (live/old), unchanged 1' % DOMAIN
    assert result['ended'] == [dict(entry('done'), start=iso_utc(PAST_START), end=iso_utc(PAST_END))]
    assert result['before'] == [entry('old')] and result['after'] == [entry('new')]


def test_overridden_with_domains_and_an_empty_config_empties_those_domains(run):
    api = seeded(('final', [A]), stream_entry(OTHER, 'live', 'a', [A]), stream_entry(OTHER, 'live', 'b', [B]))
    result = run(api, state='overridden', config=[], domains=[OTHER], max_workers=1).result
    assert api.view.writes() == [(DELETE, {'Domain': OTHER, 'App': 'live', 'Stream': 'a'}),
                                 (DELETE, {'Domain': OTHER, 'App': 'live', 'Stream': 'b'})]
    assert names(api) == ['final'] and result['after'] == []


def test_deleted_deletes_listed_streams_and_every_stream_of_domains_ended_ones_included(run):
    api = seeded(('final', [A]), ('stays', [A]), ('done', [A], PAST_START, PAST_END),
                 stream_entry(OTHER, 'live', 'x', [A], PAST_START, PAST_END), stream_entry(OTHER, 'live', 'y', [B]))
    result = run(api, state='deleted', domains=[OTHER], max_workers=1,
                 config=[entry('final', origins=None), {'domain': DOMAIN, 'app': 'live', 'stream': 'done'},
                         {'domain': DOMAIN, 'app': 'live', 'stream': 'absent'}]).result
    assert api.view.writes() == [(DELETE, {'Domain': DOMAIN, 'App': 'live', 'Stream': 'final'}),
                                 (DELETE, {'Domain': DOMAIN, 'App': 'live', 'Stream': 'done'}),
                                 (DELETE, {'Domain': OTHER, 'App': 'live', 'Stream': 'x'}),
                                 (DELETE, {'Domain': OTHER, 'App': 'live', 'Stream': 'y'})]
    assert names(api) == ['stays'] and names(api, OTHER) == []
    assert result['summary'] == ('%s: deleted 2 (live/final, live/done), unchanged 1; %s: deleted 2 (live/x, live/y)'
                                 % (DOMAIN, OTHER))
    assert [item['change'] for item in result['streams']] == ['delete'] * 4


# --- gathered and rendered --------------------------------------------------------------------------------------

@pytest.mark.parametrize('permanent_as', ['absent', 'zero', 'null'])
def test_gathered_then_overridden_round_trip_changes_nothing(run, permanent_as):
    api = seeded(('final', [A, B], START, END), ('channel-1', ['srt://o.example.com:9000?streamid=c1']),
                 ('done', [A], PAST_START, PAST_END), stream_entry(OTHER, 'events', 'e1', [B]),
                 null_permanent_times=permanent_as == 'null')
    api.view.settings(v4_permanent_times='absent' if permanent_as == 'absent' else 'zero')
    gathered = run(api, state='gathered', domains=[DOMAIN, OTHER]).result
    assert gathered['changed'] is False
    assert gathered['gathered'] == [
        dict(entry('final', (A, B)), start=iso_utc(START), end=iso_utc(END)),
        entry('channel-1', ['srt://o.example.com:9000?streamid=c1']),
        entry('e1', (B,), domain=OTHER, app='events')]
    assert all(item['start'].endswith('Z') for item in gathered['gathered'] if 'start' in item)
    assert gathered['ended'] == [dict(entry('done'), start=iso_utc(PAST_START), end=iso_utc(PAST_END))]
    assert api.view.calls == [(LIST, {'Domain': DOMAIN, 'Page': 1, 'Size': 500}), (LIST, {'Domain': OTHER, 'Page': 1, 'Size': 500})]

    api.view.clear_requests()
    again = run(api, state='overridden', domains=[DOMAIN, OTHER], config=gathered['gathered'], diff=True).result
    assert again['changed'] is False and api.view.writes() == []
    assert again['diff'] == [{'prepared': '%s: unchanged 2; %s: unchanged 1\n' % (DOMAIN, OTHER)}]


def test_gathered_needs_domains_and_takes_no_config(run):
    api = seeded()
    assert run(api, state='gathered').result['path'] == 'domains'
    assert run(api, state='gathered', domains=[DOMAIN], config=[entry('final')]).result['path'] == 'config'
    assert api.view.calls == []


def test_rendered_maps_config_to_create_requests_without_a_client(run):
    api = seeded()
    result = run(api, state='rendered', config=[entry('final', (A, B), start=beijing(START), end=END), entry('c1')])
    assert result.client_built is False and api.view.calls == []
    assert result.result['changed'] is False and result.result['request_ids'] == []
    assert result.result['rendered'] == [
        {'action': CREATE, 'body': {'Domain': DOMAIN, 'App': 'live', 'Stream': 'final', 'SrcAddrS': [A, B],
                                    'StartTime': START, 'EndTime': END}},
        {'action': CREATE, 'body': {'Domain': DOMAIN, 'App': 'live', 'Stream': 'c1', 'SrcAddrS': [A]}}]


# --- check mode, diff ---------------------------------------------------------------------------------------------

def test_check_mode_plans_every_write_and_makes_none(run):
    api = seeded(('final', [A]), ('old', [B]))
    result = run(api, state='overridden', config=[entry('final', (A, B), start=START, end=END), entry('new')],
                 check_mode=True, diff=True).result
    assert api.view.writes() == [] and result['changed'] is True
    assert [(item['stream'], item['status']) for item in result['streams']] == [
        ('final', 'planned'), ('new', 'planned'), ('old', 'planned')]
    assert [(request['action'], request['stream'], request['outcome']) for request in result['writes']] == [
        (UPDATE, 'final', 'planned'), (CREATE, 'new', 'planned'), (DELETE, 'old', 'planned')]
    summary = '%s: would create 1 (live/new), would update 1 (live/final), would delete 1 (live/old)' % DOMAIN
    assert result['summary'] == summary
    header = 'scheduled relay %s/live/%%s' % DOMAIN
    assert result['diff'] == [
        {'prepared': summary + '\n'},
        {'before': entry('final'), 'after': dict(entry('final', (A, B)), start=iso_utc(START), end=iso_utc(END)),
         'before_header': header % 'final', 'after_header': header % 'final'},
        {'before': entry('old', (B,)), 'after': {}, 'before_header': header % 'old', 'after_header': header % 'old'},
        {'before': {}, 'after': entry('new'), 'before_header': header % 'new', 'after_header': header % 'new'}]
    assert result['after'] == [dict(entry('final', (A, B)), start=iso_utc(START), end=iso_utc(END)), entry('new')]


def test_no_diff_unless_asked(run):
    assert 'diff' not in run(seeded(), config=[entry('final')]).result


# --- validation -------------------------------------------------------------------------------------------------

BAD_INPUTS = [
    (dict(config=[entry('a'), entry('b'), entry('c'), entry('d', (A, 'origin.example.com/live'))]),
     'config[3].origins[1]', 'must be a full URL with its scheme'),
    (dict(config=[entry('a'), entry('b'), entry('a', domain=DOMAIN.upper())]), 'config[2]',
     'PULL.EXAMPLE.COM/live/a is already listed by config[0]; list each stream once'),
    (dict(config=[entry('a', origins=['rtmp://o.example.com/x'] * 11)]), 'config[0].origins', 'at most 10'),
    (dict(config=[entry('a', origins=[])]), 'config[0].origins', 'must list 1 to 10'),
    (dict(state='replaced', config=[entry('a', origins=None)]), 'config[0].origins', 'is required with state=replaced'),
    (dict(config=[entry('a', origins=['ftp://o.example.com/x'])]), 'config[0].origins[0]', "has the scheme 'ftp'"),
    (dict(config=[entry('a b')]), 'config[0].stream', 'must be 1 to 100 characters'),
    (dict(config=[entry('a', app='x' * 31)]), 'config[0].app', 'must be 1 to 30 characters'),
    (dict(config=[entry('a', domain='https://pull.example.com')]), 'config[0].domain', 'without a scheme'),
    (dict(config=[entry('a', start=START)]), 'config[0].end', 'is required with start'),
    (dict(config=[entry('a', end=END)]), 'config[0].start', 'is required with end'),
    (dict(config=[entry('a', start='2026-12-20T18:00:00', end=END)]), 'config[0].start', 'has no UTC offset'),
    (dict(config=[entry('a', start=END, end=START)]), 'config[0].end', 'not after start'),
    (dict(config=[entry('a', start=START, end=START + 7 * 24 * HOUR + 60)]), 'config[0].end', 'at most 7 days'),
    (dict(config=[entry('a', start=PAST_START, end=PAST_END)]), 'config[0].end', 'already past'),
    (dict(state='rendered', config=[entry('a', start=PAST_START, end=PAST_END)]), 'config[0].end', 'already past'),
    (dict(domains=[DOMAIN], config=[entry('a')]), 'domains', 'only used with state=overridden, deleted or gathered'),
    (dict(state='rendered', domains=[DOMAIN], config=[]), 'domains', 'rendered reads nothing'),
    (dict(state='deleted', domains=[OTHER, DOMAIN.upper()], config=[entry('a')]), 'config[0].domain', 'not both'),
    (dict(state='overridden', domains=[DOMAIN, OTHER, DOMAIN.upper()]), 'domains[2]', 'already listed as domains[0]'),
    (dict(state='overridden', domains=['bad domain']), 'domains[0]', 'whitespace'),
    (dict(state='overridden', config=[]), 'config', 'nothing in scope'),
    (dict(config=[entry('a')], max_workers=0), 'max_workers', 'from 1 to 100'),
]


@pytest.mark.parametrize('args, path, words', BAD_INPUTS, ids=['%s: %s' % (case[1], case[2]) for case in BAD_INPUTS])
def test_bad_input_fails_with_its_path_before_any_call(run, args, path, words):
    api = seeded(('a', [A]))
    failed = run(api, **args)
    assert failed.failed and failed.result['path'] == path
    assert failed.result['msg'].startswith(path + ': ') and words in failed.result['msg']
    assert failed.client_built is False and api.view.calls == []


def test_deleted_ignores_origins_and_window(run):
    api = seeded(('a', [A]))
    result = run(api, state='deleted', config=[entry('a', origins=['not a url'], start='never')]).result
    assert not result.get('failed') and names(api) == []


# --- reads ------------------------------------------------------------------------------------------------------

def test_a_thousand_streams_are_read_with_two_list_calls_and_a_no_op_writes_nothing(run):
    api = seeded(*[('s%04d' % number, [A]) for number in range(1000)])
    config = [entry('s%04d' % number) for number in range(1000)]
    result = run(api, state='overridden', config=config).result
    assert result['changed'] is False and result['summary'] == '%s: unchanged 1000' % DOMAIN
    assert api.view.calls == [(LIST, {'Domain': DOMAIN, 'Page': 1, 'Size': 500}), (LIST, {'Domain': DOMAIN, 'Page': 2, 'Size': 500})]


def test_domains_are_read_concurrently(run):
    # each List waits until the three domains are being read at once (a broken barrier otherwise)
    domains = [DOMAIN, OTHER, 'pull3.example.com']
    api = seeded(*[stream_entry(domain, 'live', 'a', [A]) for domain in domains],
                 client_class=in_flight_gate(3, lambda action, write: action == LIST))
    result = run(api, state='gathered', domains=domains, max_workers=3).result
    assert not result.get('failed'), result.get('msg')
    assert [item['domain'] for item in result['gathered']] == domains


def test_a_failed_read_stops_the_task_before_any_write(run):
    api = seeded(('a', [A]), stream_entry(OTHER, 'live', 'x', [A]))
    api.view.inject_fault(kind='error', actions=[LIST], code='RequestForbidden', status=403)
    failed = run(api, state='overridden', config=[entry('new'), entry('new', domain=OTHER)], max_workers=1)
    assert failed.failed and failed.result['changed'] is False and api.view.writes() == []
    assert failed.result['msg'].startswith('Reading the fixed-trigger relays of domain %s failed. ListRelaySourceV4 failed: '
                                           'RequestForbidden' % DOMAIN)
    assert ACTION_ADVICE[(LIST, 'RequestForbidden')] in failed.result['msg']
    assert failed.result['msg'].endswith('Nothing was written.')
    assert failed.result['request_ids'] == ['req-1', 'req-2']


def test_an_answer_it_does_not_understand_stops_the_task_before_any_write(run):
    api = seeded(('a', [A]))
    api.view.inject_fault(kind='result', actions=[LIST], result={'List': [stream_entry(OTHER, 'live', 'a', [A])],
                                                                 'Pagination': {'TotalCount': 1}})
    failed = run(api, state='overridden', config=[entry('b')])
    assert failed.failed and failed.result['error']['code'] == 'InvalidResponse' and api.view.writes() == []
    assert 'Result.List[0].Domain is "pull2.example.com", not the domain asked for' in failed.result['msg']


# --- failures, lost answers, interrupts ---------------------------------------------------------------------------

@pytest.mark.parametrize('max_workers', [1, 8])
def test_one_failing_stream_does_not_stop_the_others_and_a_rerun_converges(run, max_workers):
    api = seeded()
    config = [entry('s%02d' % number) for number in range(10)]
    api.view.inject_fault(kind='error', actions=[CREATE], streams=['s03'], code='InvalidParam', status=400, message='SrcAddrS refused')
    failed = run(api, config=config, max_workers=max_workers)
    result = failed.result
    assert failed.failed and result['changed'] is True
    assert result['msg'].startswith('1 of 10 streams failed (%s/live/s03); 9 were applied and 0 needed no change. The '
                                    'other streams were not held up by the failures.' % DOMAIN)
    assert 'Failed, %s/live/s03 (create: 1 origin, permanent): CreateRelaySourceV4 failed: InvalidParam: SrcAddrS refused' % DOMAIN \
        in result['msg']
    assert ACTION_ADVICE[(CREATE, 'InvalidParam')] in result['msg'] and 'play-triggered (V3)' in result['msg']
    s03 = [item for item in result['streams'] if item['stream'] == 's03'][0]
    assert result['request_id'] == s03['request_id'] and s03['request_id'] in result['msg']
    assert (result['error']['code'], result['http_status']) == ('InvalidParam', 400)
    assert s03['status'] == 'failed' and s03['changed'] is False and s03['plan']['writes'][0]['outcome'] == 'failed'
    assert result['summary'] == '%s: created 9, failed 1 (live/s03)' % DOMAIN
    assert 'after' not in result and 'diff' not in result
    assert sorted(names(api)) == ['s%02d' % number for number in range(10) if number != 3]

    api.view.clear_requests()
    rerun = run(api, config=config, max_workers=max_workers).result
    assert rerun['changed'] is True and api.view.writes() == [(CREATE, {'Domain': DOMAIN, 'App': 'live', 'Stream': 's03', 'SrcAddrS': [A]})]
    assert run(api, config=config).result['changed'] is False


def test_a_lost_answer_is_settled_by_a_read_and_the_warning_names_the_stream(run):
    api = seeded(('s1', [A]))
    api.view.inject_fault(kind='drop_after', actions=[UPDATE], streams=['s1'])
    result = run(api, config=[entry('s0'), entry('s1', (B,)), entry('s2')]).result
    assert result['changed'] is True and not result.get('failed')
    s1 = result['streams'][1]
    assert s1['status'] == 'applied' and s1['plan']['writes'][0]['settled_by_read'] is True
    assert 'plan' not in result['streams'][0]
    warnings = str(result['warnings'])
    assert '%s/live/s1: UpdateRelaySourceV4 failed: ConnectionError' % DOMAIN in warnings and 'took effect' in warnings


def test_an_attempt_still_open_makes_the_stream_unknown_and_writes_nothing_more_to_it(run):
    class AttemptStillOpenClient(ThreadRecordingClient):
        def wait_for_abandoned_attempts(self):
            return False  # an attempt abandoned after its answer was lost may still be applied

    api = seeded(('s1', [A]), client_class=AttemptStillOpenClient)
    api.view.inject_fault(kind='drop', actions=[UPDATE], streams=['s1'])
    failed = run(api, config=[entry('s1', (B,))])
    assert failed.failed and failed.result['changed'] is True
    s1 = failed.result['streams'][0]
    assert s1['plan']['writes'][0]['outcome'] == 'unknown' and s1['changed'] is True
    assert 'no further write was made to this stream' in s1['msg']
    assert [call[0] for call in api.view.calls] == [LIST, UPDATE, LIST]


def test_an_interrupt_stops_every_stream_not_started_and_says_what_became_of_each(run, stop_flags):
    interrupting_client = interrupt_after_writes(3, stop_flags)
    api = seeded()
    outcome = run(api, factory=lambda: interrupting_client(api.model, stop=stop_flags[0]),
                  config=[entry('s%02d' % number) for number in range(10)], max_workers=1).result
    assert outcome['failed'] and len(api.view.writes()) == 3
    assert [item['status'] for item in outcome['streams']] == ['applied'] * 3 + ['not_started'] * 7
    assert outcome['msg'].startswith('Stopped by SIGINT: no write was sent after it arrived. Streams: 3 applied, 7 not '
                                     'started. Writes in flight ended or were abandoned within the timeout; streams[] says '
                                     'for each stream what was applied, not applied or unknown.')
    assert outcome['msg'].endswith('%s: created 3 (live/s00, live/s01, live/s02), not started 7' % DOMAIN)
    assert outcome['changed'] is True


def test_an_interrupt_after_a_stream_started_but_before_its_write_was_sent_leaves_it_not_started(run, stop_flags):
    class SignalBeforeSecondWrite(ThreadRecordingClient):
        """SIGTERM arrives while the second write waits to be sent (as in the rate limiter): the client stops it."""

        def call(self, action, version, body=None, write=False):
            if write and len(api.view.writes()) == 1:
                stop_flags[0].set('SIGTERM')
            return super(SignalBeforeSecondWrite, self).call(action, version, body, write=write)

    api = seeded()
    outcome = run(api, factory=lambda: SignalBeforeSecondWrite(api.model, stop=stop_flags[0]),
                  config=[entry('s%02d' % number) for number in range(3)], max_workers=1).result
    assert outcome['failed'] and names(api) == ['s00']
    assert [item['status'] for item in outcome['streams']] == ['applied', 'not_started', 'not_started']
    assert outcome['streams'][1]['changed'] is False and 'error' not in outcome['streams'][1]
    assert outcome['msg'].startswith('Stopped by SIGTERM: no write was sent after it arrived. Streams: 1 applied, 2 not '
                                     'started.')


def test_writes_run_concurrently_on_at_most_max_workers_threads_each_with_its_own_client(run):
    workers = 4
    gate = in_flight_gate(workers, lambda action, write: write)

    api = seeded(client_class=gate)
    result = run(api, config=[entry('s%02d' % number) for number in range(12)], max_workers=workers).result
    assert not result.get('failed'), result.get('msg')
    assert gate.most == workers and len(api.view.writes()) == 12
    assert all(len(client.threads) == 1 for client in api.clients) and all(client.closed for client in api.clients)
    assert len(api.clients) <= 1 + workers


def test_request_ids_list_the_reads_first_then_each_stream_in_order(run):
    api = seeded(stream_entry(OTHER, 'live', 'x', [A]))
    result = run(api, state='replaced', config=[entry('a'), entry('x', (B,), domain=OTHER)], max_workers=1).result
    assert result['request_ids'] == ['req-1', 'req-2', 'req-3', 'req-4']
    assert [item['request_ids'] for item in result['streams']] == [['req-3'], ['req-4']]
