# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make bench` stays runnable: the benchmark script runs end to end at a small scale and what it reports holds.

Nothing here is timed; the figures a benchmark run reports are for people, the assertions are on counts."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import re
import subprocess
import sys

from ansible_collections.volcengine.cloud.tests.tool_loader import load_tool

COLLECTION_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(COLLECTION_ROOT)))
BENCH = os.path.join(COLLECTION_ROOT, 'tools', 'bench_relay_source.py')
BENCH_MANY = os.path.join(COLLECTION_ROOT, 'tools', 'bench_relay_sources.py')
BENCH_SCHEDULED = os.path.join(COLLECTION_ROOT, 'tools', 'bench_scheduled_relay_sources.py')
APPS = 6


# The one home of the calls-per-change table (cases, behaviours, the calls computed in-process), which the module
# notes and the user guide show and the benchmark measures again through ansible-playbook.
calls_per_change = load_tool('calls_per_change')


def test_benchmark_runs_and_reports_the_minimum_calls_and_no_failed_task(tmp_path):
    assert os.path.basename(os.path.dirname(os.path.dirname(COLLECTION_ROOT))) == 'ansible_collections', \
        'run the tests in the assembled collection (make integration)'
    report, results = str(tmp_path / 'report.md'), str(tmp_path / 'results.json')
    completed = subprocess.run(
        [sys.executable, BENCH, '--apps', str(APPS), '--forks', '3', '--runs', '2', '--samples', '2', '--repeats', '1',
         '--build-root', BUILD_ROOT, '--report', report, '--json', results],
        capture_output=True, text=True, timeout=900, check=False)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    with open(results, encoding='utf-8') as results_file:
        measured = json.load(results_file)

    # every case of tools/calls_per_change.py, under every update behaviour: the calls through ansible-playbook are the
    # ones computed in-process (the table of the module notes and the guide); a run that only reads changes nothing,
    # any other changes the app, under every behaviour; no task fails
    behaviours = calls_per_change.BEHAVIOURS
    computed = calls_per_change.table()
    assert [(row['scenario'], row['start']) for row in measured['api_calls']] == [
        (name, start) for name, start, _arguments in calls_per_change.CASES]
    assert [(row['scenario'], [row[behaviour]['calls'] for behaviour in behaviours]) for row in measured['api_calls']] == [
        (name, list(counts)) for name, counts in computed]
    for row, (_name, counts) in zip(measured['api_calls'], computed):
        assert [row[behaviour]['changed'] for behaviour in behaviours] == [int(max(counts) > 1)] * len(behaviours), row
        assert [row[behaviour]['failed'] for behaviour in behaviours] == [0] * len(behaviours), row
        for behaviour in behaviours:
            requests = row[behaviour]['requests'].split('; ')
            assert len(requests) == row[behaviour]['calls'] and requests[0] == 'Describe', row
    assert measured['overhead']['runs'] == 2
    assert measured['startup']['relay'] > 0 and measured['startup']['ping'] > 0

    # ansible-playbook at 10/s (limiter off, on), at 5/s (off, on), then plain processes (off, on)
    throughput = measured['throughput']
    assert [(row['api_rate'], row['client_rate_limit']) for row in throughput] == [
        (10.0, 0), (10.0, 10.0), (5.0, 0), (5.0, 5.0), (10.0, 0), (10.0, 10.0)]
    for row in throughput:
        if row['client_rate_limit']:
            assert (row['failed_tasks'], row['apps_configured'], row['successful_calls']) == (0, APPS, 2 * APPS), row
    assert measured['controller_floor']['wall'] > 0

    with open(report, encoding='utf-8') as report_file:
        text = report_file.read()
    assert '| case | app holds first | calls: replace | calls: merge | calls: merge_first | calls: merge_last | changed |' in text
    for row, (name, counts) in zip(measured['api_calls'], computed):
        cells = (name, ', '.join(row['start']) or '(nothing)', ' | '.join(map(str, counts)), int(max(counts) > 1))
        expected_row = '| %s | %s | %s | %d |' % cells
        assert expected_row in text
        for behaviour, calls in zip(behaviours, counts):
            assert '| %s | %s | %d | %s |' % (name, behaviour, calls, row[behaviour]['requests']) in text
    assert text.count('| ansible-playbook, forks=3 |') == 4 and text.count('| 3 plain processes |') == 2

    # what `make bench` does next: docs/performance.md rendered from the results, in the layout of the page committed
    text = assert_renders_with_signing_like_the_committed_page(results, tmp_path)
    # the page's API-call rows: one per case, the computed table's figures under each behaviour
    for name, counts in computed:
        assert '| API calls: %s (%s) | %s |' % (name, ' / '.join(behaviours), ' / '.join(map(str, counts))) in text


PAGE = os.path.join(COLLECTION_ROOT, 'docs', 'performance.md')
NUMBERS = re.compile(r'\d+(?:\.\d+)?(?:\u2013\d+(?:\.\d+)?)?')


def page_sections(text):
    """{section title: [(what, result) of each row, every number (or range of numbers) replaced by #]}."""
    sections, title = {}, None
    for line in text.splitlines():
        if line.startswith('## '):
            title = line[3:]
            sections[title] = []
        elif title and line.startswith('| ') and line not in ('| what | result |',):
            what, result = line[2:-2].split(' | ')
            sections[title].append((NUMBERS.sub('#', what), NUMBERS.sub('#', result)))
    return sections


def assert_renders_with_signing_like_the_committed_page(relay_source_results, tmp_path):
    run = tmp_path / 'run1'
    run.mkdir()
    os.rename(relay_source_results, str(run / 'relay_source.json'))
    signing = subprocess.run([sys.executable, os.path.join(COLLECTION_ROOT, 'tools', 'bench_signing.py'), '-n', '200',
                              '-r', '1', '--json', str(run / 'signing.json')],
                             capture_output=True, text=True, timeout=300, check=False, env=dict(os.environ, PYTHONPATH=BUILD_ROOT))
    assert signing.returncode == 0, signing.stdout + signing.stderr
    fresh, text = assert_renders_like_the_committed_page(run, tmp_path)
    assert sorted(fresh) == ['Request signing (tools/bench_signing.py)',
                             'volc_live_relay_source against the emulator (tools/bench_relay_source.py)']
    # a row per case of tools/calls_per_change.py, then the 7 rows of times and throughput
    assert len(fresh['volc_live_relay_source against the emulator (tools/bench_relay_source.py)']) == len(calls_per_change.CASES) + 7
    return text


def assert_renders_like_the_committed_page(run, tmp_path):
    """Render docs/performance.md from the benchmark JSON files in ``run`` as `make bench` does; every section
    rendered must have the rows of the committed page, numbers aside. Returns (its sections, its text)."""
    page = tmp_path / 'performance.md'
    rendered = subprocess.run([sys.executable, os.path.join(COLLECTION_ROOT, 'tools', 'performance_page.py'), str(run),
                               '--output', str(page)], capture_output=True, text=True, check=False)
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr
    text = page.read_text(encoding='utf-8')
    with open(PAGE, encoding='utf-8') as committed_file:
        fresh, committed = page_sections(text), page_sections(committed_file.read())
    for title, rows in fresh.items():
        assert committed.get(title) == rows, 'docs/performance.md has another layout than make bench writes: %s' % title
    return fresh, text


def test_many_app_benchmark_runs_and_renders_its_section(tmp_path):
    results = tmp_path / 'run1' / 'relay_sources.json'
    results.parent.mkdir()
    completed = subprocess.run(
        [sys.executable, BENCH_MANY, '--apps', str(APPS), '--latency', '0.05', '--repeats', '1', '--build-root', BUILD_ROOT,
         '--json', str(results)],
        capture_output=True, text=True, timeout=900, check=False)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    with open(str(results), encoding='utf-8') as results_file:
        measured = json.load(results_file)

    noop = measured['noop']
    assert (noop['apps'], noop['calls'], noop['loop_calls'], noop['loop_changed'], noop['loop_failed']) == (APPS, 1, APPS, 0, 0)
    assert noop['wall'] > 0 and noop['ping_wall'] > 0
    many, loop = measured['throughput']
    assert (many['calls'], many['throttled_429'], many['failed_tasks'], many['apps_configured'], many['changed']) == (APPS + 1, 0, 0, APPS, 1)
    assert (loop['calls'], loop['failed_tasks'], loop['apps_configured']) == (2 * APPS, 0, APPS)
    assert many['floor'] == 0.0 and loop['floor'] == 1.0  # (7 - 1) // 10 and (12 - 1) // 10 whole seconds

    # its section of docs/performance.md, rendered as `make bench` does, has the committed page's layout (the committed
    # page was measured with 100 apps and 3 repeats: the same rows, numbers aside)
    fresh, text = assert_renders_like_the_committed_page(results.parent, tmp_path)
    title = 'volc_live_relay_sources: many apps in one task (tools/bench_relay_sources.py)'
    assert list(fresh) == [title] and len(fresh[title]) == 4
    assert '| the same no-op with `volc_live_relay_source` in a loop (one run) | ' in text


def test_scheduled_benchmark_runs_and_renders_its_section(tmp_path):
    """tools/bench_scheduled_relay_sources.py at a small scale (6 new streams over 2 domains, a 12-stream no-op), its
    goals reported only (--report-only: a few calls make no rate): the calls, no 429, no failed stream, a no-op that
    writes nothing, and its section of docs/performance.md in the committed layout."""
    results = tmp_path / 'run1' / 'scheduled_relay_sources.json'
    results.parent.mkdir()
    completed = subprocess.run(
        [sys.executable, BENCH_SCHEDULED, '--streams', '6', '--domains', '2', '--noop-streams', '12', '--latency', '0.05',
         '--repeats', '1', '--build-root', BUILD_ROOT, '--json', str(results), '--report-only'],
        capture_output=True, text=True, timeout=900, check=False)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    with open(str(results), encoding='utf-8') as results_file:
        measured = json.load(results_file)

    noop = measured['noop']
    # one run of each form (the entries in the task, in a JSON file), each next to its floor (a module that does nothing)
    assert (noop['streams'], noop['calls_per_run'], noop['expected_calls'], noop['actions']) == (12, [1, 1], 1, ['ListRelaySourceV4'])
    assert (noop['changed'], noop['failed_tasks'], noop['state_unchanged']) == (0, 0, True)
    assert sorted(noop['forms']) == ['json_file', 'task'] and noop['ping_wall'] > 0
    for figures in noop['forms'].values():
        assert figures['wall'] > 0 and figures['floor_wall'] > 0
        assert figures['module_share'] == figures['wall'] - figures['floor_wall']
    throughput = measured['throughput']
    assert (throughput['calls'], throughput['expected_calls'], throughput['throttled_429']) == (8, 8, 0)
    assert (throughput['failed_streams'], throughput['failed_tasks'], throughput['changed']) == (0, 0, 1)
    # only the timing goals may be missed at this scale, and each missed one is printed as a failure
    assert all('times the ping playbook' in sentence or 'ceiling' in sentence for sentence in measured['missed_goals'])
    assert all('FAIL: %s' % sentence in completed.stdout for sentence in measured['missed_goals'])

    fresh, text = assert_renders_like_the_committed_page(results.parent, tmp_path)
    title = 'volc_live_scheduled_relay_sources: many streams in one task (tools/bench_scheduled_relay_sources.py)'
    assert list(fresh) == [title] and len(fresh[title]) == 3
    assert '(goal: at least 90 %)' in text and '(goal: at most 0.5\u00d7)' in text
