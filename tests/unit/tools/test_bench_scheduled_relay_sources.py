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


def noop(json_file=None, **changes):
    figures = {'streams': 1000, 'repeats': 3, 'runs': 6, 'calls': 2, 'calls_per_run': [2] * 6, 'expected_calls': 2,
               'actions': ['ListRelaySourceV4'], 'changed': 0, 'failed_tasks': 0, 'state_unchanged': True, 'ping_wall': 1.0,
               'forms': {'task': {'wall': 2.1, 'floor_wall': 1.8, 'module_share': 0.3, 'share_of_ping': 0.3},
                         'json_file': dict({'wall': 1.3, 'floor_wall': 1.1, 'module_share': 0.2, 'share_of_ping': 0.2},
                                           **(json_file or {}))}}
    figures.update(changes)
    return figures


def throughput(**changes):
    figures = {'streams': 200, 'domains': 2, 'runs': 3, 'calls': 202, 'expected_calls': 202, 'calls_per_second': 9.8,
               'share_of_ceiling': 0.98, 'throttled_429': 0, 'failed_streams': 0, 'failed_tasks': 0, 'failed_stream_names': []}
    figures.update(changes)
    return figures


@pytest.mark.parametrize('noop_changes, throughput_changes, missed', [
    ({}, {}, []),
    ({'json_file': {'wall': 1.61, 'module_share': 0.51, 'share_of_ping': 0.51}}, {},
     ['(entries in a JSON file) took 1.61 s, 0.51 s over the floor (1.10 s), 0.51 times the ping playbook (1.00 s)']),
    ({'json_file': {'share_of_ping': 0.5}}, {}, []),
    ({'calls_per_run': [2, 3, 2, 2, 2, 2], 'calls': 3}, {}, ['made [2, 3, 2, 2, 2, 2] API calls']),
    ({'calls_per_run': [2, 2, 2]}, {}, ['made [2, 2, 2] API calls']),
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


def test_the_floor_module_has_the_options_of_the_module(bench, tmp_path):
    """The floor of the no-op: a module with the same options (each fallback Ansible's env_fallback over the same
    variables), which does nothing but return."""
    from ansible_collections.volcengine.cloud.plugins.modules.volc_live_scheduled_relay_sources import argument_spec
    bench.write_floor_module(str(tmp_path))
    source = (tmp_path / 'library' / (bench.FLOOR_MODULE + '.py')).read_text(encoding='utf-8')
    namespace = {}
    exec(compile(source, bench.FLOOR_MODULE, 'exec'), namespace)  # pylint: disable=exec-used
    floor, spec = namespace['ARGUMENT_SPEC'], argument_spec()

    def without_fallbacks(options):
        return dict((name, dict((key, without_fallbacks(value) if key == 'options' else value)
                                for key, value in option.items() if key != 'fallback')) for name, option in options.items())
    assert without_fallbacks(floor) == without_fallbacks(spec)
    assert dict((name, option['fallback'][1]) for name, option in floor.items() if 'fallback' in option) == dict(
        (name, list(option['fallback'][1])) for name, option in spec.items() if 'fallback' in option)
    assert all(option['fallback'][0] is namespace['env_fallback'] for option in floor.values() if 'fallback' in option)
    assert 'exit_json(changed=False)' in source and 'secret_key' in floor
