# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tools/bench_scheduled_relay_sources.py without a playbook: the streams it declares and seeds agree, and each goal it
checks is missed (a line of its own, which makes it exit 1) exactly when its figure says so."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime

import pytest

from ansible_collections.volcengine.cloud.tests.tool_loader import load_tool


@pytest.fixture(scope='module')
def bench():
    return load_tool('bench_scheduled_relay_sources')


def test_declared_windows_are_the_instants_the_api_holds(bench):
    base = bench.window_base()
    config, entries = bench.declared('pull.example.com', bench.stream_names(4), base)
    assert [item['stream'] for item in config] == [entry['Stream'] for entry in entries] == [
        'stream0000', 'stream0001', 'stream0002', 'stream0003']
    for item, entry in zip(config, entries):
        assert item['origins'] == entry['SrcAddrS'] and len(item['origins']) == 2
        if 'start' in item:
            assert item['start'].endswith('+08:00')
            assert [int(datetime.datetime.fromisoformat(item[name]).timestamp()) for name in ('start', 'end')] == [
                entry['StartTime'], entry['EndTime']]
            assert entry['EndTime'] - entry['StartTime'] == 6 * 3600 and entry['StartTime'] > datetime.datetime.now().timestamp()
        else:
            assert (entry['StartTime'], entry['EndTime']) == (0, 0)
    assert ['start' in item for item in config] == [False, True, False, True]


@pytest.mark.parametrize('count, calls', [(0, 1), (1, 1), (500, 1), (501, 2), (1000, 2), (1001, 3)])
def test_list_calls_are_pages_of_500(bench, count, calls):
    assert bench.list_calls(count) == calls


def test_failed_streams_are_the_missing_the_different_and_the_undeclared(bench):
    config, expected = bench.declared('pull.example.com', bench.stream_names(3), bench.window_base())
    held = [expected[0], dict(expected[1], SrcAddrS=['rtmp://other.example.org/live/x']),
            dict(expected[0], Stream='extra')]
    assert bench.failed_streams(held, expected) == [
        ('pull.example.com', 'live', 'stream0001'), ('pull.example.com', 'live', 'stream0002'),
        ('pull.example.com', 'live', 'extra')]
    assert bench.failed_streams(expected, expected) == []


def noop(**changes):
    figures = {'streams': 1000, 'repeats': 3, 'calls': 2, 'calls_per_run': [2, 2, 2], 'expected_calls': 2,
               'actions': ['ListRelaySourceV4'], 'changed': 0, 'failed_tasks': 0, 'state_unchanged': True,
               'wall': 2.4, 'ping_wall': 2.0, 'ratio': 1.2, 'ping_carrying_wall': 2.2}
    figures.update(changes)
    return figures


def throughput(**changes):
    figures = {'streams': 200, 'domains': 2, 'runs': 3, 'calls': 202, 'expected_calls': 202, 'calls_per_second': 9.8,
               'share_of_ceiling': 0.98, 'throttled_429': 0, 'failed_streams': 0, 'failed_tasks': 0, 'failed_stream_names': []}
    figures.update(changes)
    return figures


@pytest.mark.parametrize('noop_changes, throughput_changes, missed', [
    ({}, {}, []),
    ({'ratio': 1.51, 'wall': 3.02}, {}, ['1.51 times the ping playbook']),
    ({'calls_per_run': [2, 3, 2], 'calls': 3}, {}, ['made [2, 3, 2] API calls']),
    ({'actions': ['ListRelaySourceV4', 'UpdateRelaySourceV4']}, {}, ['ListRelaySourceV4, UpdateRelaySourceV4']),
    ({'changed': 1}, {}, ['changed=1']),
    ({'state_unchanged': False}, {}, ['state unchanged: False']),
    ({}, {'share_of_ceiling': 0.89, 'calls_per_second': 8.9}, ['89 % of the 10/s ceiling']),
    ({}, {'share_of_ceiling': None, 'calls_per_second': None}, ['0 % of the 10/s ceiling']),
    ({}, {'throttled_429': 1}, ['1 HTTP 429 answers']),
    ({}, {'failed_streams': 2, 'failed_stream_names': ['pull1.example.com/live/stream0003']},
     ['2 failed streams and 0 failed tasks', 'pull1.example.com/live/stream0003']),
    ({}, {'failed_tasks': 1}, ['0 failed streams and 1 failed tasks']),
    ({}, {'calls': 203}, ['took 203 API calls; expected 202']),
])
def test_each_missed_goal_is_a_sentence_of_its_own(bench, noop_changes, throughput_changes, missed):
    sentences = bench.missed_goals(noop(**noop_changes), throughput(**throughput_changes))
    assert len(sentences) == (1 if missed else 0), sentences
    for text in missed:
        assert text in sentences[0]


def test_the_throughput_figures_are_the_median_run_with_every_run_counted(bench):
    runs = [throughput(span=span, share_of_ceiling=share, throttled_429=throttled, failed_streams=failed)
            for span, share, throttled, failed in ((20.5, 0.97, 0, 0), (21.0, 0.95, 2, 0), (19.8, 1.01, 0, 1))]
    figures = bench.throughput_figures(runs)
    assert (figures['span'], figures['share_of_ceiling'], figures['share_range']) == (20.5, 0.97, [0.95, 1.01])
    assert (figures['runs'], figures['throttled_429'], figures['failed_streams']) == (3, 2, 1)
