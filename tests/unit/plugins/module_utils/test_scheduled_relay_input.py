# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The input rules of volc_live_scheduled_relay_sources (scheduled_relay_input.py): every rule, the path each message
names, and time parsing (Unix seconds and ISO 8601 with any offset are the same instant; a time without an offset is
refused)."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import calendar
import datetime

import pytest
from hypothesis import given, strategies as st

from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_input import RelaySourceInputError
from ansible_collections.volcengine.cloud.plugins.module_utils.scheduled_relay import MAX_WINDOW_SECONDS, Stream, iso_utc
from ansible_collections.volcengine.cloud.plugins.module_utils import scheduled_relay_input as rules

# 2026-12-20T10:00:00Z and 15:30 the same day
START = calendar.timegm((2026, 12, 20, 10, 0, 0))
END = calendar.timegm((2026, 12, 20, 15, 30, 0))
NOW = START - 24 * 3600


def refused(function, *args):
    with pytest.raises(RelaySourceInputError) as caught:
        function(*args)
    return caught.value


# -- times -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('text', [
    '2026-12-20T18:00:00+08:00', '2026-12-20T10:00:00Z', '2026-12-20T10:00:00z', '2026-12-20t10:00:00Z',
    '2026-12-20 18:00:00+08:00',   # str() of a timestamp YAML read
    '2026-12-20T18:00+08:00', '2026-12-20T18:00:00+0800', '2026-12-20T18:00:00+08', '2026-12-20T05:00:00-05:00',
    '2026-12-20T10:00:00.000Z', '2026-12-20T10:00:00,0Z', '  2026-12-20T10:00:00Z ', '2026-12-20T10:00:00+00:00',
    '2026-12-20T10:00:00-00:00', START, str(START), ' %d ' % START,
])
def test_the_same_instant_in_any_form_is_the_same_unix_seconds(text):
    assert rules.parse_time(text, 'start') == START


def test_an_offset_moves_the_instant():
    assert rules.parse_time('2026-12-20T10:00:00+08:00', 'start') == START - 8 * 3600
    assert rules.parse_time('2026-12-20T10:00:00-03:30', 'start') == START + 3 * 3600 + 1800
    assert rules.parse_time('2026-12-31T23:30:00-01:00', 'start') == calendar.timegm((2027, 1, 1, 0, 30, 0))


@given(st.datetimes(min_value=datetime.datetime(1971, 1, 1), max_value=datetime.datetime(9998, 12, 31)),
       st.integers(min_value=-14 * 60, max_value=14 * 60))
def test_iso_with_any_offset_and_unix_seconds_agree(moment, offset_minutes):
    moment = moment.replace(microsecond=0, tzinfo=datetime.timezone(datetime.timedelta(minutes=offset_minutes)))
    seconds = int(moment.timestamp())
    assert rules.parse_time(moment.isoformat(), 'end') == seconds
    assert rules.parse_time(seconds, 'end') == rules.parse_time(str(seconds), 'end') == seconds
    assert rules.parse_time(iso_utc(seconds), 'end') == seconds  # what gathered returns reads back the same


@pytest.mark.parametrize('value, words', [
    ('2026-12-20T18:00:00', 'has no UTC offset'),
    ('2026-12-20 18:00', 'has no UTC offset'),
    ('2026-12-20T10:00:00.5Z', 'fraction of a second'),
    ('2026-02-30T10:00:00Z', 'not a valid date and time'),
    ('2026-12-20T24:00:00Z', 'not a valid date and time'),
    ('2026-12-20T10:00:00+24:00', 'not a valid date and time'),
    ('2026-12-20', 'must be ISO 8601 with a UTC offset'),
    ('tomorrow', 'must be ISO 8601 with a UTC offset'),
    ('1766224800.5', 'must be ISO 8601 with a UTC offset'),
    ('-5', 'must be ISO 8601 with a UTC offset'),
    ('\u0661\u0662\u0663', 'must be ISO 8601 with a UTC offset'),  # Arabic-Indic digits are not Unix seconds
    (1766224800.0, 'got a number with a fraction'),
    (True, 'got a boolean'),
    ([START], 'got a list'),
    (0, 'outside the times the API takes'),
    (-1, 'outside the times the API takes'),
    (10 ** 12, 'outside the times the API takes'),
])
def test_a_time_the_api_cannot_take_or_that_could_mean_any_zone_is_refused(value, words):
    error = refused(rules.parse_time, value, 'config[2].start')
    assert error.path == 'config[2].start' and words in error.problem


# -- windows ---------------------------------------------------------------------------------------------------

def entry(**fields):
    base = {'domain': 'pull.example.com', 'app': 'live', 'stream': 'final', 'origins': ['rtmp://origin.example.com/live/final']}
    base.update(fields)
    return base


def test_a_window_is_both_or_neither_and_neither_is_permanent():
    assert rules.declared_window(entry(), NOW) == (None, None)
    assert rules.declared_window(entry(start=None, end=''), NOW) == (None, None)
    assert rules.declared_window(entry(start='2026-12-20T18:00:00+08:00', end=END), NOW) == (START, END)
    assert refused(rules.declared_window, entry(start=START), NOW).path == 'end'
    error = refused(rules.declared_window, entry(end=END), NOW)
    assert error.path == 'start' and 'is required with end' in error.problem and 'neither for a permanent' in error.problem


@pytest.mark.parametrize('start, end, path, words', [
    (START, START, 'end', 'not after start'),
    (END, START, 'end', 'is 2026-12-20T10:00:00Z, not after start (2026-12-20T15:30:00Z)'),
    (START, START + MAX_WINDOW_SECONDS + 1, 'end', 'is 7 d 1 s after start; a window lasts at most 7 days'),
    (NOW - 7200, NOW - 3600, 'end', 'already past'),
    (NOW - 7200, NOW, 'end', 'Remove the entry, give a window to come, or delete the stream with state=deleted'),
])
def test_a_window_ends_after_it_starts_lasts_at_most_7_days_and_is_not_over(start, end, path, words):
    error = refused(rules.declared_window, entry(start=start, end=end), NOW)
    assert error.path == path and words in error.problem


def test_a_window_of_exactly_7_days_and_one_that_already_started_are_accepted():
    assert rules.declared_window(entry(start=START, end=START + MAX_WINDOW_SECONDS), NOW) == (START, START + MAX_WINDOW_SECONDS)
    assert rules.declared_window(entry(start=NOW - 60, end=NOW + 1), NOW) == (NOW - 60, NOW + 1)


# -- names and origins -----------------------------------------------------------------------------------------

@pytest.mark.parametrize('domain, words', [
    (None, 'must not be empty'), ('', 'must not be empty'), (' ', 'must not be empty'), (5, 'must be a string'),
    ('https://pull.example.com', 'without a scheme'), ('pull.example.com:443', 'without a port'),
    ('pull.example.com/live', 'without a port, path'), ('pull example.com', 'whitespace'),
    ('pull..example.com', 'must be a domain name'), ('-pull.example.com', 'must be a domain name'),
    ('pull.exämple.com', 'xn-- form'), ('a' * 250 + '.com', 'at most 253'),
])
def test_a_domain_is_a_bare_domain_name(domain, words):
    error = refused(rules.validate_domain_name, domain, 'domains[1]')
    assert error.path == 'domains[1]' and words in error.problem


@pytest.mark.parametrize('domain', ['pull.example.com', 'Pull.Example.COM', 'a', 'xn--bcher-kva.example', 'under_score.example.com'])
def test_domain_names_accepted(domain):
    rules.validate_domain_name(domain)


@pytest.mark.parametrize('stream', [None, '', 'a' * 101, 'live/final', 'final stream', 'fin\u00e4l', 5, 'x\n'])
def test_a_stream_name_is_1_to_100_ascii_letters_digits_and_three_marks(stream):
    error = refused(rules.validate_stream, stream)
    assert error.path == 'stream'


def test_stream_names_accepted():
    for stream in ('final', 'a' * 100, 'channel-1_HD.v2', '0'):
        rules.validate_stream(stream)


@pytest.mark.parametrize('url', [
    'rtmp://origin-a.example.com/live/final', 'RTMP://origin-a.example.com/live/final',
    'http://203.0.113.10:8080/live/final.flv', 'https://origin.example.com/live/final.m3u8?token=abc&x=1',
    'srt://origin-a.example.com:9000?streamid=channel-1', 'rtmp://[2001:db8::1]:1935/live/final',
    'rtmp://user:pa55@origin.example.com/live/final', 'rtmp://origin.example.com',
])
def test_origin_urls_accepted(url):
    rules.validate_origin(url, 'origins[0]')


@pytest.mark.parametrize('url, words', [
    ('', 'must not be empty'), (None, 'must not be empty'), (7, 'must be a string'),
    ('origin.example.com/live/final', 'must be a full URL with its scheme'),
    ('rtmps://origin.example.com/live/final', "has the scheme 'rtmps'"),
    ('ftp://origin.example.com/x', "has the scheme 'ftp'"),
    ('rtmp:///live/final', 'has no host'),
    ('rtmp://origin.example.com:99999/live', 'invalid port'),
    ('rtmp://origin.example.com:0/live', 'invalid port'),
    ('rtmp://orig in.example.com/live', 'printable ASCII without whitespace'),
    ('rtmp://origin.example.com/live/fin\u00e4l', 'printable ASCII without whitespace'),
    ('rtmp://origin.example.com/live/final\n', 'printable ASCII without whitespace'),
    ('rtmp://bad_host!.example.com/live', 'invalid host'),
    ('rtmp://2001:db8::1/live', 'IPv6 host without brackets'),
])
def test_an_origin_is_a_full_url_of_a_scheme_the_api_pulls(url, words):
    error = refused(rules.validate_origin, url, 'origins[3]')
    assert error.path == 'origins[3]' and words in error.problem


def test_origins_number_1_to_10_and_each_is_checked_at_its_path():
    assert 'must list 1 to 10' in refused(rules.validate_origins, []).problem
    assert 'must list 1 to 10' in refused(rules.validate_origins, 'rtmp://o.example.com/a').problem
    assert 'lists 11 origins; the API takes at most 10' in refused(
        rules.validate_origins, ['rtmp://o%d.example.com/a' % index for index in range(11)]).problem
    rules.validate_origins(['rtmp://o%d.example.com/a' % index for index in range(10)])
    assert refused(rules.validate_origins, ['rtmp://o.example.com/a', 'o.example.com']).path == 'origins[1]'


# -- entries ---------------------------------------------------------------------------------------------------

def test_an_entry_needs_origins_except_to_delete_and_deleted_uses_its_name_only():
    error = refused(rules.validate_entry, entry(origins=None), 'merged', NOW)
    assert error.path == 'origins' and 'is required with state=merged' in error.problem
    rules.validate_entry(entry(origins=None, start='not a time'), 'deleted', NOW)
    assert refused(rules.validate_entry, entry(stream='a b'), 'deleted', NOW).path == 'stream'
    assert refused(rules.validate_entry, entry(app=''), 'replaced', NOW).path == 'app'
    assert refused(rules.validate_entry, entry(domain='x://y'), 'replaced', NOW).path == 'domain'
    assert refused(rules.validate_entry, entry(start=START), 'rendered', NOW).path == 'end'


def test_declared_stream_holds_the_parsed_window_or_none():
    declared = rules.declared_stream(entry(start='2026-12-20T18:00:00+08:00', end='2026-12-20T23:30:00+08:00'), NOW)
    assert (declared.start, declared.end) == (START, END) and not declared.permanent
    assert declared.config()['start'] == '2026-12-20T10:00:00Z' and declared.config()['end'] == '2026-12-20T15:30:00Z'
    permanent = rules.declared_stream(entry(), NOW)
    assert permanent.permanent and 'start' not in permanent.config() and 'end' not in permanent.config()
    assert permanent.key == Stream('PULL.example.com', 'live', 'final', []).key
