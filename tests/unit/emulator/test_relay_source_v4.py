# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's V4 actions (fixed-triggered relay per stream): CreateRelaySourceV4, UpdateRelaySourceV4,
DeleteRelaySourceV4 and ListRelaySourceV4, over HTTP with requests signed by the official SDK where the wire matters,
in-process where only the model does (timing, counting sleeps)."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import time

import pytest
import requests

from ansible_collections.volcengine.cloud.tests.emulator import api_model, live_emulator
from ansible_collections.volcengine.cloud.tests.emulator.harness import Emulator, EmulatorError
from ansible_collections.volcengine.cloud.tests.unit.emulator.conftest import SDKClient, v4_body

DOMAIN = 'pull.example.com'
OTHER_DOMAIN = 'pull2.example.com'
CREATE = 'CreateRelaySourceV4'
UPDATE = 'UpdateRelaySourceV4'
DELETE = 'DeleteRelaySourceV4'
LIST = 'ListRelaySourceV4'
DESCRIBE_V3 = 'DescribeRelaySourceV3'
ORIGINS = ['rtmp://origin-a.example.com/live/final', 'rtmp://origin-b.example.com/live/final']
HOUR = 3600
WEEK = 7 * 24 * HOUR


def window(offset=HOUR, length=2 * HOUR):
    """(start, end) of a window starting ``offset`` seconds from now (negative: in the past)."""
    start = int(time.time()) + offset
    return start, start + length


def entry(stream, app='live', domain=DOMAIN, origins=None, start=0, end=0, **extra):
    """A V4 entry in the state's (and the default List's) shape."""
    result = {'Domain': domain, 'App': app, 'Stream': stream, 'SrcAddrS': list(origins or ORIGINS), 'StartTime': start, 'EndTime': end}
    result.update(extra)
    return result


def listed(client, domain=DOMAIN, **paging):
    reply = client.list_v4(domain, **paging)
    assert (reply.status, reply.error) == (200, None), reply
    return reply.json['Result']


def model(**settings):
    return api_model.LiveAPIModel(sleep=lambda seconds: None, **dict({'rate_limit': 0}, **settings))


def ask(api, action, body):
    return api.answer(action, api_model.API_VERSION, json.dumps(body))


# --- the four actions --------------------------------------------------------------------------------------

def test_create_answers_a_task_id_and_list_shows_the_entry(emu, client):
    start, end = window()
    reply = client.create_v4(DOMAIN, 'live', 'final', ORIGINS, start, end)
    assert (reply.status, reply.error) == (200, None), reply
    metadata = reply.json['ResponseMetadata']
    assert (metadata['Action'], metadata['Version'], metadata['Service'], metadata['Region']) == (CREATE, '2023-01-01', 'live', 'cn-north-1')
    task_id = reply.json['Result']['TaskId']
    assert isinstance(task_id, str) and task_id
    assert client.create_v4(DOMAIN, 'live', 'other', ORIGINS).json['Result']['TaskId'] != task_id
    result = listed(client)
    assert result['List'] == [entry('final', start=start, end=end), entry('other')]
    assert result['Pagination'] == {'PageCur': 1, 'PageSize': 20, 'PageTotal': 1, 'TotalCount': 2}
    assert emu.state()['RelaySourceV4List'] == result['List']
    assert emu.state()['RelaySourceConfigList'] == [], 'V4 entries are not V3 configurations'


def test_create_of_a_stream_that_has_a_configuration_is_invalid_param(emu, client):
    client.create_v4(DOMAIN, 'live', 'final', ORIGINS)
    reply = client.create_v4(DOMAIN, 'live', 'final', ['srt://other.example.com:9000'])
    assert (reply.status, reply.code) == (400, 'InvalidParam'), reply
    assert 'UpdateRelaySourceV4' in reply.error['Message']
    assert emu.scheduled_relays() == [entry('final')]
    assert client.create_v4(DOMAIN, 'live2', 'final', ORIGINS).status == 200, 'another app, same stream name'
    assert client.create_v4(OTHER_DOMAIN, 'live', 'final', ORIGINS).status == 200, 'another domain'
    assert len(emu.scheduled_relays()) == 3


def test_update_replaces_the_entry_in_its_place_and_answers_an_empty_result(emu, client):
    for stream in ('a', 'b', 'c'):
        client.create_v4(DOMAIN, 'live', stream, ORIGINS)
    start, end = window()
    reply = client.update_v4(DOMAIN, 'live', 'b', ['srt://origin-c.example.com:9000?streamid=b'], start, end)
    assert (reply.status, reply.error, reply.json['Result']) == (200, None, {}), reply
    assert listed(client)['List'] == [entry('a'), entry('b', origins=['srt://origin-c.example.com:9000?streamid=b'], start=start, end=end),
                                      entry('c')]
    assert client.update_v4(DOMAIN, 'live', 'b', ORIGINS).status == 200, 'back to permanent: no times'
    assert emu.scheduled_relays()[1] == entry('b')


def test_update_of_a_missing_stream_is_resource_not_found(emu, client):
    client.create_v4(DOMAIN, 'live', 'a', ORIGINS)
    for domain, app, stream in ((DOMAIN, 'live', 'b'), (DOMAIN, 'other', 'a'), (OTHER_DOMAIN, 'live', 'a')):
        reply = client.update_v4(domain, app, stream, ORIGINS)
        assert (reply.status, reply.code) == (404, 'ResourceNotFound'), reply
        assert stream in reply.error['Message'] and domain in reply.error['Message']
    assert emu.scheduled_relays() == [entry('a')]


def test_delete_removes_one_stream_and_a_missing_one_is_resource_not_found(emu, client):
    client.create_v4(DOMAIN, 'live', 'a', ORIGINS)
    client.create_v4(DOMAIN, 'live', 'b', ORIGINS)
    client.create_v4(OTHER_DOMAIN, 'live', 'a', ORIGINS)
    reply = client.delete_v4(DOMAIN, 'live', 'a')
    assert (reply.status, reply.error, reply.json['Result']) == (200, None, {}), reply
    assert emu.scheduled_relays() == [entry('b'), entry('a', domain=OTHER_DOMAIN)]
    again = client.delete_v4(DOMAIN, 'live', 'a')
    assert (again.status, again.code) == (404, 'ResourceNotFound'), 'what a client retrying a lost delete gets'
    assert client.delete_v4(DOMAIN, 'other', 'b').code == 'ResourceNotFound'
    assert len(emu.scheduled_relays()) == 2


def test_a_deleted_and_created_again_stream_is_listed_last(emu, client):
    for stream in ('a', 'b', 'c'):
        client.create_v4(DOMAIN, 'live', stream, ORIGINS)
    client.delete_v4(DOMAIN, 'live', 'a')
    client.create_v4(DOMAIN, 'live', 'a', ORIGINS)
    assert [item['Stream'] for item in listed(client)['List']] == ['b', 'c', 'a']


def test_unmodelled_fields_are_kept_and_an_update_keeps_only_those_it_sent(emu, client):
    client.create_v4(DOMAIN, 'live', 'a', ORIGINS, Note={'by': 'test'}, Retry=3)
    assert listed(client)['List'] == [entry('a', Note={'by': 'test'}, Retry=3)]
    client.update_v4(DOMAIN, 'live', 'a', ORIGINS, Retry=4)
    assert listed(client)['List'] == [entry('a', Retry=4)]
    assert list(emu.scheduled_relays()[0]) == ['Domain', 'App', 'Stream', 'SrcAddrS', 'StartTime', 'EndTime', 'Retry']


def test_v4_actions_need_version_2023_01_01(emu, client):
    reply = client.call(LIST, {'Domain': DOMAIN}, version='2020-08-01')
    assert (reply.status, reply.code) == (404, 'InvalidActionOrVersion')


# --- validation --------------------------------------------------------------------------------------------

def _body(**changes):
    """A valid Create/Update body with ``changes`` (None removes a key)."""
    body = v4_body(DOMAIN, 'live', 'final', ORIGINS, 1900000000, 1900003600)
    for key, value in changes.items():
        if value is None:
            body.pop(key)
        else:
            body[key] = value
    return body


WRITE_BODY_ERRORS = [
    (_body(Domain=None), 'InvalidParam', 'Domain'),
    (_body(Domain=''), 'InvalidParam', 'Domain'),
    (_body(Domain='pull example.com'), 'InvalidParam', 'Domain'),
    (_body(Domain='pull.example.com\n'), 'InvalidParam', 'Domain'),
    (_body(Domain='a' * 254), 'InvalidParam', 'Domain'),
    (_body(Domain=['pull.example.com']), 'InvalidParam.BindError', 'Domain'),
    (_body(App=None), 'InvalidParam', 'App'),
    (_body(App='a' * 31), 'InvalidParam', 'App'),
    (_body(App='li/ve'), 'InvalidParam', 'App'),
    (_body(App=7), 'InvalidParam.BindError', 'App'),
    (_body(Stream=None), 'InvalidParam', 'Stream'),
    (_body(Stream=''), 'InvalidParam', 'Stream'),
    (_body(Stream='s' * 101), 'InvalidParam', 'Stream'),
    (_body(Stream='a/b'), 'InvalidParam', 'Stream'),
    (_body(Stream='a b'), 'InvalidParam', 'Stream'),
    (_body(Stream='fin\u00e4l'), 'InvalidParam', 'Stream'),
    (_body(Stream='final\n'), 'InvalidParam', 'Stream'),
    (_body(Stream=12), 'InvalidParam.BindError', 'Stream'),
    (_body(SrcAddrS=None), 'InvalidParam', 'SrcAddrS'),
    (_body(SrcAddrS=[]), 'InvalidParam', 'SrcAddrS'),
    (_body(SrcAddrS='rtmp://origin.example.com/live/final'), 'InvalidParam.BindError', 'SrcAddrS'),
    (_body(SrcAddrS=[{'url': 'rtmp://origin.example.com/live/final'}]), 'InvalidParam.BindError', 'SrcAddrS[0]'),
    (_body(SrcAddrS=['rtmp://o%d.example.com/live/final' % n for n in range(11)]), 'InvalidParam', 'at most 10'),
    (_body(SrcAddrS=['origin.example.com/live/final']), 'InvalidParam', 'SrcAddrS[0]'),
    (_body(SrcAddrS=[ORIGINS[0], 'ftp://origin.example.com/live/final']), 'InvalidParam', 'SrcAddrS[1]'),
    (_body(SrcAddrS=['rtmps://origin.example.com/live/final']), 'InvalidParam', 'SrcAddrS[0]'),
    (_body(SrcAddrS=['rtmp:///live/final']), 'InvalidParam', 'SrcAddrS[0]'),
    (_body(SrcAddrS=['rtmp://origin.example.com:99999/live/final']), 'InvalidParam', 'port'),
    (_body(SrcAddrS=['rtmp://origin example.com/live/final']), 'InvalidParam', 'SrcAddrS[0]'),
    (_body(SrcAddrS=['rtmp://origin.example.com/live/final\n']), 'InvalidParam', 'SrcAddrS[0]'),
    (_body(SrcAddrS=['rtmp://[2001:db8::1/live/final']), 'InvalidParam', 'SrcAddrS[0]'),
    (_body(SrcAddrS=['']), 'InvalidParam', 'SrcAddrS[0]'),
    (_body(EndTime=None), 'InvalidParam', 'StartTime and EndTime go together'),
    (_body(StartTime=None), 'InvalidParam', 'StartTime and EndTime go together'),
    (_body(EndTime=1900000000), 'InvalidParam', 'later than StartTime'),
    (_body(EndTime=1899999999), 'InvalidParam', 'later than StartTime'),
    (_body(EndTime=1900000000 + WEEK + 1), 'InvalidParam', '7 days'),
    (_body(StartTime=0, EndTime=3600), 'InvalidParam', 'StartTime must be a Unix time'),
    (_body(StartTime=-3600, EndTime=3600), 'InvalidParam', 'StartTime must be a Unix time'),
    (_body(StartTime='1900000000'), 'InvalidParam.BindError', 'StartTime'),
    (_body(EndTime=1900003600.0), 'InvalidParam.BindError', 'EndTime'),
    (_body(EndTime=True), 'InvalidParam.BindError', 'EndTime'),
    (_body(StartTime=2 ** 31, EndTime=2 ** 31 + 60), 'InvalidParam.BindError', 'StartTime'),
    ('{"Domain": ', 'InvalidParam.BindError', 'JSON'),
    ('["Domain"]', 'InvalidParam.BindError', 'object'),
]


@pytest.mark.parametrize('action', [CREATE, UPDATE])
@pytest.mark.parametrize('body, code, text', WRITE_BODY_ERRORS)
def test_create_and_update_validation_errors(emu, client, action, body, code, text):
    seeded = [entry('final', start=1800000000, end=1800003600)]
    emu.set_scheduled_relays(seeded)
    reply = client.call(action, body)
    assert (reply.status, reply.code) == (400, code), reply
    assert text in reply.error['Message']
    assert emu.scheduled_relays() == seeded
    assert emu.requests()[-1]['applied_time'] is None


def test_validation_comes_before_the_missing_stream_check(emu, client):
    assert client.call(UPDATE, _body(StartTime=None)).code == 'InvalidParam', 'a bad body of a missing stream is still a bad body'


@pytest.mark.parametrize('action, body, code, text', [
    (DELETE, {'App': 'live', 'Stream': 'final'}, 'InvalidParam', 'Domain'),
    (DELETE, {'Domain': DOMAIN, 'Stream': 'final'}, 'InvalidParam', 'App'),
    (DELETE, {'Domain': DOMAIN, 'App': 'live'}, 'InvalidParam', 'Stream'),
    (DELETE, {'Domain': DOMAIN, 'App': 'live', 'Stream': 'a/b'}, 'InvalidParam', 'Stream'),
    (DELETE, {'Domain': DOMAIN, 'App': 'live', 'Stream': ['final']}, 'InvalidParam.BindError', 'Stream'),
    (LIST, {}, 'InvalidParam', 'Domain'),
    (LIST, {'App': 'live'}, 'InvalidParam', 'Domain'),
    (LIST, {'Domain': 5}, 'InvalidParam.BindError', 'Domain'),
    (LIST, {'Domain': DOMAIN, 'Page': 0}, 'InvalidParam', 'Page'),
    (LIST, {'Domain': DOMAIN, 'Page': -1}, 'InvalidParam', 'Page'),
    (LIST, {'Domain': DOMAIN, 'Size': 0}, 'InvalidParam', 'Size'),
    (LIST, {'Domain': DOMAIN, 'Size': 501}, 'InvalidParam', 'Size'),
    (LIST, {'Domain': DOMAIN, 'Page': '1'}, 'InvalidParam.BindError', 'Page'),
    (LIST, {'Domain': DOMAIN, 'Size': 20.0}, 'InvalidParam.BindError', 'Size'),
])
def test_delete_and_list_validation_errors(emu, client, action, body, code, text):
    emu.set_scheduled_relays([entry('final')])
    reply = client.call(action, body)
    assert (reply.status, reply.code) == (400, code), reply
    assert text in reply.error['Message']
    assert emu.scheduled_relays() == [entry('final')]


@pytest.mark.parametrize('changes', [
    {'SrcAddrS': ['rtmp://o%d.example.com/live/final' % n for n in range(10)]},
    {'SrcAddrS': ['rtmp://origin.example.com:1935/live/final', 'http://origin.example.com/live/final.flv',
                  'https://origin.example.com/live/final.m3u8', 'srt://203.0.113.10:9000?streamid=#!::r=live/final,m=request']},
    {'SrcAddrS': ['RTMP://origin.example.com/live/final', 'rtmp://[2001:db8::1]:1935/live/final', 'rtmp://user:pw@10.0.0.1/live/s']},
    {'EndTime': 1900000000 + WEEK},
    {'EndTime': 1900000001},
    {'StartTime': None, 'EndTime': None},
    {'Stream': 'S' * 100, 'App': 'A' * 30},
    {'Stream': 'a-B_9.x', 'Domain': 'pull_1.example-2.com'},
])
def test_valid_bodies_are_accepted(emu, client, changes):
    body = _body(**dict((key, value) for key, value in changes.items() if value is not None))
    for key in [key for key, value in changes.items() if value is None]:
        body.pop(key)
    reply = client.call(CREATE, body)
    assert (reply.status, reply.error) == (200, None), reply
    [stored] = emu.scheduled_relays()
    assert stored['SrcAddrS'] == body['SrcAddrS'], 'stored as sent, in order'
    assert (stored['StartTime'], stored['EndTime']) == (body.get('StartTime', 0), body.get('EndTime', 0))


def test_null_times_mean_permanent(emu, client):
    assert client.call(CREATE, dict(_body(), StartTime=None, EndTime=None)).status == 200
    assert emu.scheduled_relays() == [entry('final')]


# --- List: pagination and order ------------------------------------------------------------------------------

def _seed(count, domain=DOMAIN):
    return [entry('s%04d' % number, domain=domain) for number in range(count)]


def test_pagination_default_and_pages(emu, client):
    seeded = _seed(45)
    emu.set_scheduled_relays(seeded + _seed(3, OTHER_DOMAIN))
    first = listed(client)
    assert first['Pagination'] == {'PageCur': 1, 'PageSize': 20, 'PageTotal': 3, 'TotalCount': 45}
    assert first['List'] == seeded[:20]
    assert listed(client, page=2)['List'] == seeded[20:40]
    third = listed(client, page=3)
    assert third['List'] == seeded[40:] and third['Pagination'] == {'PageCur': 3, 'PageSize': 20, 'PageTotal': 3, 'TotalCount': 45}
    beyond = listed(client, page=4)
    assert beyond['List'] == [] and beyond['Pagination'] == {'PageCur': 4, 'PageSize': 20, 'PageTotal': 3, 'TotalCount': 45}
    assert listed(client, size=45)['List'] == seeded
    assert listed(client, size=44, page=2)['List'] == seeded[44:]
    assert listed(client, size=1, page=45)['List'] == seeded[44:]
    assert listed(client, OTHER_DOMAIN)['Pagination']['TotalCount'] == 3


def test_pagination_of_an_empty_domain(emu, client):
    emu.set_scheduled_relays(_seed(3, OTHER_DOMAIN))
    assert listed(client) == {'List': [], 'Pagination': {'PageCur': 1, 'PageSize': 20, 'PageTotal': 0, 'TotalCount': 0}}


def test_exact_multiple_of_the_page_size(emu, client):
    emu.set_scheduled_relays(_seed(40))
    assert listed(client, page=2)['Pagination'] == {'PageCur': 2, 'PageSize': 20, 'PageTotal': 2, 'TotalCount': 40}
    assert listed(client, page=3)['List'] == []


def test_a_thousand_streams_in_two_pages_of_500(emu, client):
    seeded = _seed(1000)
    emu.set_scheduled_relays(seeded)
    pages = [listed(client, page=page, size=500) for page in (1, 2)]
    assert [page['Pagination'] for page in pages] == [
        {'PageCur': page, 'PageSize': 500, 'PageTotal': 2, 'TotalCount': 1000} for page in (1, 2)]
    assert pages[0]['List'] + pages[1]['List'] == seeded


def test_listing_a_page_costs_the_domain_not_the_square_of_it():
    """In-process, without HTTP: two pages of 500 of a 1,000-stream domain (next to 20,000 streams of other domains)
    take a few milliseconds each; an O(n^2) listing would take seconds. The bound is generous for a shared machine."""
    api = model(state={'RelaySourceV4List': _seed(1000) + _seed(20000, 'busy.example.com')})
    started = time.monotonic()
    pages = [ask(api, LIST, {'Domain': DOMAIN, 'Page': page, 'Size': 500}) for page in (1, 2)]
    elapsed = time.monotonic() - started
    assert [len(reply.result['List']) for reply in pages] == [500, 500]
    assert elapsed < 0.5, 'two pages of 500 took %.3f s' % elapsed


# --- settings: the unconfirmed answers --------------------------------------------------------------------------

def test_permanent_entries_are_listed_with_zero_times_or_without_them(emu, client):
    start, end = window()
    client.create_v4(DOMAIN, 'live', 'permanent', ORIGINS)
    client.create_v4(DOMAIN, 'live', 'windowed', ORIGINS, start, end)
    assert [(item.get('StartTime'), item.get('EndTime')) for item in listed(client)['List']] == [(0, 0), (start, end)]
    emu.settings(v4_permanent_times='absent')
    permanent, windowed = listed(client)['List']
    assert 'StartTime' not in permanent and 'EndTime' not in permanent
    assert (windowed['StartTime'], windowed['EndTime']) == (start, end)
    assert emu.scheduled_relays()[0] == entry('permanent'), 'the state document keeps 0/0 whatever List answers'


def _seed_ended(emu):
    ended_start, ended_end = window(-3 * HOUR)
    running_start, running_end = window(-HOUR)
    seeded = [entry('ended', start=ended_start, end=ended_end), entry('running', start=running_start, end=running_end),
              entry('permanent')]
    emu.set_scheduled_relays(seeded)
    return seeded


def test_ended_entries_are_kept_by_default(emu, client):
    seeded = _seed_ended(emu)
    assert emu.settings()['v4_ended'] == 'keep'
    assert listed(client)['List'] == seeded


def test_hidden_ended_entries_are_left_out_of_list_only(emu, client):
    seeded = _seed_ended(emu)
    emu.settings(v4_ended='hide')
    result = listed(client)
    assert result['List'] == seeded[1:] and result['Pagination']['TotalCount'] == 2
    assert client.create_v4(DOMAIN, 'live', 'ended', ORIGINS).code == 'InvalidParam', 'Create still finds it'
    start, end = window()
    assert client.update_v4(DOMAIN, 'live', 'ended', ORIGINS, start, end).status == 200, 'Update still finds it'
    assert [item['Stream'] for item in listed(client)['List']] == ['ended', 'running', 'permanent'], 'its new window is running'
    assert emu.scheduled_relays() == [entry('ended', start=start, end=end)] + seeded[1:]


def test_expired_entries_are_gone_once_a_v4_request_arrives(emu, client):
    seeded = _seed_ended(emu)
    emu.settings(v4_ended='expire')
    assert len(emu.scheduled_relays()) == 3, 'nothing expires before a V4 request'
    assert listed(client)['List'] == seeded[1:]
    assert emu.scheduled_relays() == seeded[1:]
    emu.set_scheduled_relays(seeded)
    assert client.update_v4(DOMAIN, 'live', 'ended', ORIGINS).code == 'ResourceNotFound'
    emu.set_scheduled_relays(seeded)
    assert client.delete_v4(DOMAIN, 'live', 'ended').code == 'ResourceNotFound'
    emu.set_scheduled_relays(seeded)
    assert client.create_v4(DOMAIN, 'live', 'ended', ORIGINS).status == 200, 'a new configuration of the stream'
    assert [item['Stream'] for item in emu.scheduled_relays()] == ['running', 'permanent', 'ended']


def test_v3_and_v4_in_one_app_are_allowed_by_default(emu, client):
    servers = [{'RelaySourceDomain': 'o.example.org', 'RelaySourceProtocol': 'rtmp'}]
    client.update(DOMAIN, 'live', [{'Group': 'g', 'Servers': servers}])
    assert client.create_v4(DOMAIN, 'live', 'final', ORIGINS).status == 200
    assert client.update(DOMAIN, 'live', [{'Group': 'h', 'Servers': servers}]).status == 200
    assert len(emu.state()['RelaySourceConfigList']) == 1 and len(emu.scheduled_relays()) == 1


def test_v3_and_v4_in_one_app_refused(emu, client):
    emu.settings(v3_v4_same_app='refused')
    v3_groups = [{'Group': 'g', 'Servers': [{'RelaySourceDomain': 'o.example.org', 'RelaySourceProtocol': 'rtmp'}]}]
    assert client.update(DOMAIN, 'v3app', v3_groups).status == 200
    reply = client.create_v4(DOMAIN, 'v3app', 'final', ORIGINS)
    assert (reply.status, reply.code) == (400, 'InvalidParam.RelaySourceConflict'), reply
    assert 'play-triggered (V3)' in reply.error['Message'] and 'v3app' in reply.error['Message']
    assert client.create_v4(DOMAIN, 'v4app', 'final', ORIGINS).status == 200
    assert client.create_v4(OTHER_DOMAIN, 'v3app', 'final', ORIGINS).status == 200, 'the same app name in another domain'
    reply = client.update(DOMAIN, 'v4app', v3_groups)
    assert (reply.status, reply.code) == (400, 'InvalidParam.RelaySourceConflict'), reply
    assert 'fixed-triggered (V4)' in reply.error['Message']
    assert [config['App'] for config in emu.state()['RelaySourceConfigList']] == ['v3app']
    assert [(item['Domain'], item['App']) for item in emu.scheduled_relays()] == [(DOMAIN, 'v4app'), (OTHER_DOMAIN, 'v3app')]
    assert client.delete_v4(DOMAIN, 'v4app', 'final').status == 200
    assert client.update(DOMAIN, 'v4app', v3_groups).status == 200, 'allowed once the app has no V4 stream left'


def test_settings_are_checked_and_set_from_the_command_line_and_the_harness(emu):
    for name, bad in (('v4_permanent_times', 'null'), ('v4_ended', 'drop'), ('v3_v4_same_app', 'no')):
        with pytest.raises(EmulatorError, match=name):
            emu.settings(**{name: bad})
    assert dict((name, api_model.DEFAULT_SETTINGS[name]) for name in ('v4_permanent_times', 'v4_ended', 'v3_v4_same_app')) == {
        'v4_permanent_times': 'zero', 'v4_ended': 'keep', 'v3_v4_same_app': 'allowed'}
    arguments = live_emulator.parse_args(['--v4-permanent-times', 'absent', '--v4-ended', 'hide', '--v3-v4-same-app', 'refused'])
    assert (arguments.v4_permanent_times, arguments.v4_ended, arguments.v3_v4_same_app) == ('absent', 'hide', 'refused')
    with Emulator(extra_args=['--v4-ended', 'expire'], settings={'v4_permanent_times': 'absent'}) as running:
        settings = running.settings()
        assert (settings['v4_ended'], settings['v4_permanent_times'], settings['v3_v4_same_app']) == ('expire', 'absent', 'allowed')


# --- faults, latency, throttling ------------------------------------------------------------------------------

def test_faults_target_v4_actions(emu, client):
    emu.inject_fault(kind='error', status=503, code='ServiceUnavailableTemp', actions=[CREATE])
    assert listed(client)['List'] == [], 'List passes'
    reply = client.create_v4(DOMAIN, 'live', 'final', ORIGINS)
    assert (reply.status, reply.code) == (503, 'ServiceUnavailableTemp')
    assert emu.scheduled_relays() == []
    assert client.create_v4(DOMAIN, 'live', 'final', ORIGINS).status == 200


def test_faults_target_one_stream(emu, client):
    emu.inject_fault(kind='error', status=400, code='InvalidParam', streams=['b'])
    assert client.describe(DOMAIN, app='live').status == 200, 'a V3 request has no Stream: a streams fault passes it'
    assert listed(client)['List'] == [], 'a List has no Stream either'
    assert client.create_v4(DOMAIN, 'live', 'a', ORIGINS).status == 200
    assert client.create_v4(DOMAIN, 'live', 'b', ORIGINS).code == 'InvalidParam'
    assert client.create_v4(DOMAIN, 'live', 'b', ORIGINS).status == 200, 'count=1 used up'
    assert [entry_['fault'] for entry_ in emu.requests()] == [None, None, None, 'error', None]
    emu.inject_fault(kind='error', code='InternalError', apps=['live'], streams=['a', 'c'], actions=[DELETE])
    assert client.delete_v4(DOMAIN, 'other', 'a').code == 'ResourceNotFound', 'another app: the fault passes it'
    assert client.delete_v4(DOMAIN, 'live', 'a').code == 'InternalError'
    with pytest.raises(EmulatorError, match='streams must be a list of Stream values'):
        emu.inject_fault(kind='error', streams=[1])


def test_drop_after_on_create_applies_it_and_a_retry_finds_it(emu, client):
    emu.inject_fault(kind='drop_after', actions=[CREATE])
    with pytest.raises(requests.exceptions.ConnectionError):
        client.create_v4(DOMAIN, 'live', 'final', ORIGINS)
    assert emu.scheduled_relays() == [entry('final')]
    assert client.create_v4(DOMAIN, 'live', 'final', ORIGINS).code == 'InvalidParam'
    [lost, retried] = emu.requests()
    assert (lost['fault'], lost['http_status'], lost['applied_time'] is not None) == ('drop_after', None, True)
    assert (retried['error_code'], retried['applied_time']) == ('InvalidParam', None)


def test_error_with_apply_on_update_and_result_fault_on_create(emu, client):
    emu.set_scheduled_relays([entry('final')])
    emu.inject_fault(kind='error', status=504, code='InternalServiceTimeout', apply=True, actions=[UPDATE])
    assert client.update_v4(DOMAIN, 'live', 'final', ORIGINS[:1]).code == 'InternalServiceTimeout'
    assert emu.scheduled_relays() == [entry('final', origins=ORIGINS[:1])]
    emu.inject_fault(kind='result', result={'TaskId': 7}, actions=[CREATE])
    reply = client.create_v4(DOMAIN, 'live', 'new', ORIGINS)
    assert reply.json['Result'] == {'TaskId': 7} and len(emu.scheduled_relays()) == 2


def test_latency_and_delay_hold_v4_answers():
    slept = []
    api = api_model.LiveAPIModel(sleep=slept.append, rate_limit=0, latency=0.3)
    assert ask(api, LIST, {'Domain': DOMAIN}).waited == 0.3
    api.add_fault({'kind': 'delay', 'delay': 1.0, 'streams': ['final']})
    reply = ask(api, CREATE, v4_body(DOMAIN, 'live', 'final', ORIGINS))
    assert (reply.status, reply.waited, slept) == (200, 1.3, [0.3, 1.0, 0.3])


def test_v3_and_v4_share_one_rate_limit():
    api = api_model.LiveAPIModel(sleep=lambda seconds: None, rate_limit=2)
    replies = [ask(api, DESCRIBE_V3, {'Vhost': DOMAIN}), ask(api, LIST, {'Domain': DOMAIN}),
               ask(api, CREATE, v4_body(DOMAIN, 'live', 'final', ORIGINS))]
    assert [reply.status for reply in replies] == [200, 200, 429]
    assert replies[2].error[0] == 'FlowLimitExceeded'
    assert api.state_document()['RelaySourceV4List'] == []


# --- the request log --------------------------------------------------------------------------------------------

def test_log_entries_name_the_domain_app_and_stream(emu, client):
    client.create_v4(DOMAIN, 'live', 'final', ORIGINS)
    client.update_v4(DOMAIN, 'live', 'final', ORIGINS[:1])
    client.list_v4(DOMAIN)
    client.delete_v4(DOMAIN, 'live', 'nope')
    client.call(DELETE, '{"Domain": 1')
    client.describe(DOMAIN)
    log = emu.requests()
    assert [(item['action'], item['domain'], item['app'], item['stream']) for item in log[:5]] == [
        (CREATE, DOMAIN, 'live', 'final'), (UPDATE, DOMAIN, 'live', 'final'), (LIST, DOMAIN, None, None),
        (DELETE, DOMAIN, 'live', 'nope'), (DELETE, None, None, None)]
    assert [item['applied_time'] is not None for item in log] == [True, True, False, False, False, False]
    assert 'stream' not in log[5], 'V3 entries are as they were'
    assert [item['action'] for item in emu.write_requests()] == [CREATE, UPDATE, DELETE, DELETE]


def test_log_state_after_of_a_v4_write_is_the_v4_list(emu, client):
    emu.settings(log_state_after=True)
    client.create_v4(DOMAIN, 'live', 'a', ORIGINS)
    client.create_v4(DOMAIN, 'live', 'b', ORIGINS)
    client.delete_v4(DOMAIN, 'live', 'a')
    assert [[item['Stream'] for item in entry_['state_after']] for entry_ in emu.requests()] == [['a'], ['a', 'b'], ['b']]


# --- the state: seeding, inspecting, persisting --------------------------------------------------------------

def test_put_replaces_the_whole_state_and_patch_one_kind(emu):
    v3 = [{'Vhost': DOMAIN, 'App': 'v3', 'GroupDetails': []}]
    emu.set_state(v3, scheduled_relays=[entry('a')])
    assert [len(value) for value in (emu.state()['RelaySourceConfigList'], emu.scheduled_relays())] == [1, 1]
    emu.set_scheduled_relays([entry('b'), entry('c', domain=OTHER_DOMAIN)])
    assert emu.state()['RelaySourceConfigList'][0]['App'] == 'v3', 'PATCH of the V4 list keeps V3'
    assert [item['Stream'] for item in emu.scheduled_relays()] == ['b', 'c']
    assert emu.scheduled_relays(OTHER_DOMAIN) == [entry('c', domain=OTHER_DOMAIN)]
    emu.control('PATCH', 'state', {'RelaySourceConfigList': []})
    assert emu.state()['RelaySourceConfigList'] == [] and len(emu.scheduled_relays()) == 2
    emu.set_state(v3)
    assert emu.scheduled_relays() == [], 'PUT without the V4 key: no V4 entries'
    emu.set_state({'RelaySourceConfigList': [], 'RelaySourceV4List': [entry('d')]})
    assert emu.scheduled_relays() == [entry('d')]


@pytest.mark.parametrize('entries, message', [
    ([entry('a'), entry('a')], 'more than once'),
    ([dict(entry('a'), StartTime='1')], 'StartTime must be an integer'),
    ([dict(entry('a'), SrcAddrS='rtmp://o.example.com/a')], 'SrcAddrS must be an array'),
    ([dict(entry('a'), SrcAddrS=[1])], 'SrcAddrS[0] must be a string'),
    ([dict(entry('a'), Stream=5)], 'Stream must be a string'),
    ('nope', 'RelaySourceV4List must be an array'),
])
def test_seeding_checks_the_structure(emu, entries, message):
    emu.set_scheduled_relays([entry('kept')])
    with pytest.raises(EmulatorError) as raised:
        emu.control('PATCH', 'state', {'RelaySourceV4List': entries})
    assert message in str(raised.value)
    assert emu.scheduled_relays() == [entry('kept')]


def test_patch_needs_a_known_kind(emu):
    with pytest.raises(EmulatorError, match='RelaySourceV4List'):
        emu.control('PATCH', 'state', {'Other': []})


def test_seeded_odd_entries_are_kept(emu, client):
    odd = {'Domain': DOMAIN, 'App': 'live', 'Stream': 'odd', 'SrcAddrS': ['not a url'], 'StartTime': None, 'Extra': [1]}
    emu.set_scheduled_relays([odd])
    assert emu.scheduled_relays() == [entry('odd', origins=['not a url'], Extra=[1])], 'null and absent times become 0'
    assert listed(client)['List'] == emu.scheduled_relays()


def test_v4_state_persists_across_restart(tmp_path):
    state_file = tmp_path / 'state.json'
    with Emulator(rate_limit=0, state_file=state_file) as emu:
        client = SDKClient(emu)
        assert client.create_v4(DOMAIN, 'live', 'a', ORIGINS).status == 200
        assert client.create_v4(DOMAIN, 'live', 'b', ORIGINS, *window()).status == 200
        assert client.delete_v4(DOMAIN, 'live', 'a').status == 200
        held = emu.scheduled_relays()
    saved = json.loads(state_file.read_text())
    assert saved['RelaySourceV4List'] == held and saved['RelaySourceConfigList'] == []
    with Emulator(rate_limit=0, state_file=state_file) as emu:
        assert emu.scheduled_relays() == held
        assert listed(SDKClient(emu))['List'] == held


def test_in_process_model_takes_a_state_document_with_v4_entries():
    api = model(state={'RelaySourceV4List': [entry('a')]})
    assert api.state_document() == {'RelaySourceConfigList': [], 'RelaySourceV4List': [entry('a')]}
    assert ask(api, DELETE, {'Domain': DOMAIN, 'App': 'live', 'Stream': 'a'}).result == {}
    assert api.state_document()['RelaySourceV4List'] == []
