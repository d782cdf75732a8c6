#!/usr/bin/env python
"""Benchmark volc_live_relay_sources (many apps in one task) against the local emulator; with --json, its section of
docs/performance.md (`make bench` renders the page with tools/performance_page.py).

Measures, in one run, side by side:
  1. a 100-app no-op: the API calls (1 is the goal) and the wall time of the playbook, next to a playbook with a
     single ansible.builtin.ping task (goal: at most 1.5 times) and to the single-app module in a loop;
  2. 100 new apps against an emulator that accepts 10 requests/second and answers each after 0.3 seconds (an API far
     away): efficiency = the API floor ((requests - 1) // 10 seconds) over the time from the first to the last
     request in the emulator's log (goal: at least 90 %), and the failed tasks (goal: 0);
  3. the same 100 apps through the single-app module in a loop, which is what users did before.

Usage (in the nox session bench, or its venv .nox/bench): python tools/bench_relay_sources.py [--apps N] [--latency S] [--repeats N] [--json FILE]
(`make bench` runs it). Nothing leaves 127.0.0.1. Playbook runs, the emulator harness and the scenario builders are
those of tools/bench_relay_source.py and of the integration tests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile

TOOLS_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS_DIR)
import bench_relay_source as single  # noqa: E402  (a sibling script: its playbook runner and emulator helpers)
from performance_page import measured_on  # noqa: E402

API_RATE = single.API_RATE


def origin_groups(app):
    return [single.scenarios.group('primary', app + '-origin.example.org')]


def sources_playbook(workdir, name, apps):
    config = [single.scenarios.app_entry(app, origin_groups(app)) for app in apps]
    return single.write_playbook(workdir, name, [single.scenarios.sources_task('Apply relay sources', config=config)])


def loop_playbook(workdir, name, apps):
    task = {'name': 'Apply relay source per app', single.scenarios.MODULE: {
        'vhost': single.scenarios.VHOST, 'app': '{{ item }}', 'groups': origin_groups('{{ item }}')}, 'loop': apps}
    return single.write_playbook(workdir, name, [task])


def seed(emulator, apps):
    emulator.set_state([single.scenarios.api_config(app, origin_groups(app)) for app in apps])


def run(playbook, emulator, workdir):
    """(wall seconds, the emulator's log, changed, failed) of one playbook run with the client limiter at its default."""
    emulator.clear_requests()
    elapsed, completed = single.run_playbook(playbook, emulator, workdir, rate_limit=API_RATE)
    return elapsed, emulator.requests(), single.recap_count(completed, 'changed'), single.recap_count(completed, 'failed')


def measure_noop(workdir, apps, repeats):
    """The no-op of ``apps`` apps next to a one-task ping playbook, interleaved ``repeats`` times; the single-app
    loop once."""
    ping = single.write_playbook(workdir, 'ping', [{'name': 'Ping', 'ansible.builtin.ping': {}}])
    sources = sources_playbook(workdir, 'noop_sources', apps)
    walls = {'ping': [], 'sources': []}
    with single.harness.Emulator(update_mode='replace', rate_limit=API_RATE) as emulator:
        seed(emulator, apps)
        for repeat in range(repeats):
            walls['ping'].append(run(ping, emulator, workdir)[0])
            elapsed, log, changed, failed = run(sources, emulator, workdir)
            walls['sources'].append(elapsed)
            if changed or failed or len(log) != 1:
                raise RuntimeError('the no-op run changed, failed or made %d calls' % len(log))
        loop_wall, loop_log, loop_changed, loop_failed = run(loop_playbook(workdir, 'noop_loop', apps), emulator, workdir)
    ping_wall, sources_wall = statistics.median(walls['ping']), statistics.median(walls['sources'])
    return {'apps': len(apps), 'repeats': repeats, 'calls': 1, 'wall': sources_wall, 'wall_range': [min(walls['sources']), max(walls['sources'])],
            'ping_wall': ping_wall, 'ping_range': [min(walls['ping']), max(walls['ping'])], 'ratio': sources_wall / ping_wall,
            'loop_wall': loop_wall, 'loop_calls': len(loop_log), 'loop_changed': loop_changed, 'loop_failed': loop_failed}


def api_floor(requests, rate=API_RATE):
    """The least time from the first to the last of ``requests`` requests that keep to ``rate`` requests in any second:
    request k + n may not go within a second of request k (n = rate), so (requests - 1) // n whole seconds."""
    per_second = max(1, int(rate))
    return (requests - 1) // per_second * per_second / rate if requests else 0.0


def summarize(how, elapsed, log, changed, failed, configured, apps, latency):
    """The figures of one run that creates ``apps`` apps: calls, 429s, and efficiency from the request log."""
    answered = [entry for entry in log if entry['http_status'] != 429]
    times = sorted(entry['time'] for entry in log)
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    floor = api_floor(len(answered))
    return {'how': how, 'apps': apps, 'latency': latency, 'wall': elapsed, 'calls': len(answered),
            'throttled_429': len(log) - len(answered), 'span': span, 'floor': floor,
            'efficiency': floor / span if span and floor else None, 'changed': changed, 'failed_tasks': failed,
            'apps_configured': configured}


def measure_new_apps(workdir, apps, latency, playbook):
    with single.harness.Emulator(update_mode='replace', rate_limit=API_RATE, latency=latency) as emulator:
        elapsed, log, changed, failed = run(playbook, emulator, workdir)
        configured = len(emulator.state()['RelaySourceConfigList'])
    return elapsed, log, changed, failed, configured


def measure_throughput(workdir, apps, latency, repeats, with_loop):
    rows = []
    sources = sources_playbook(workdir, 'new_sources', apps)
    runs = []
    for repeat in range(repeats):
        elapsed, log, changed, failed, configured = measure_new_apps(workdir, apps, latency, sources)
        runs.append(summarize('volc_live_relay_sources, one task', elapsed, log, changed, failed, configured, len(apps), latency))
    chosen = dict(sorted(runs, key=lambda row: row['span'])[len(runs) // 2])
    efficiencies = [row['efficiency'] or 0.0 for row in runs]
    chosen.update({'runs': len(runs), 'efficiency_range': [min(efficiencies), max(efficiencies)],
                   'failed_tasks': sum(row['failed_tasks'] for row in runs), 'throttled_429': sum(row['throttled_429'] for row in runs)})
    rows.append(chosen)
    if with_loop:
        elapsed, log, changed, failed, configured = measure_new_apps(workdir, apps, latency, loop_playbook(workdir, 'new_loop', apps))
        rows.append(summarize('volc_live_relay_source in a loop', elapsed, log, changed, failed, configured, len(apps), latency))
    return rows


def summary(noop, throughput, latency):
    """The section of docs/performance.md (tools/performance_page.py renders it, with ranges across runs)."""
    rows = [
        {'what': '%d-app no-op, playbook wall time (%d interleaved runs, median): one `volc_live_relay_sources` task vs '
                 'one `ansible.builtin.ping` task' % (noop['apps'], noop['repeats']),
         'result': '{:.2f} s vs {:.2f} s = {:.2f}\u00d7 (goal: at most 1.5\u00d7), {:d} API call',
         'values': [noop['wall'], noop['ping_wall'], noop['ratio'], noop['calls']]},
        {'what': 'the same no-op with `volc_live_relay_source` in a loop (one run)',
         'result': '{:.1f} s, {:d} API calls', 'values': [noop['loop_wall'], noop['loop_calls']]},
    ]
    for row in throughput:
        runs = ' (%d runs, median)' % row['runs'] if 'runs' in row else ''
        rows.append({
            'what': '%d new apps, API at %g req/s holding each answer %g s: %s%s' % (
                row['apps'], API_RATE, latency, row['how'], runs),
            'result': '{:d} API calls, {:d} HTTP 429, first to last request {:.1f} s for an API floor of {:.1f} s = '
                      '{:.0f} % efficiency, {:.1f} s wall, {:d} failed tasks, {:d} apps configured',
            'values': [row['calls'], row['throttled_429'], row['span'], row['floor'], 100 * (row['efficiency'] or 0.0),
                       row['wall'], row['failed_tasks'], row['apps_configured']]})
    return {
        'title': 'volc_live_relay_sources: many apps in one task (tools/bench_relay_sources.py)',
        'measured': measured_on(),
        'rows': rows,
        'notes': [
            'The client-side limiter is at its default (%g requests/second); the emulator runs on the same machine. '
            'Efficiency is the API floor (the least time from the first to the last request that keeps to %g requests '
            'in any second: (requests \u2212 1) // %d seconds) over the time from the first to the last request in the '
            'emulator\'s log. Goals: the no-op at most 1.5 times the ping playbook; at least 90 %% efficiency and no '
            'failed task.' % (API_RATE, API_RATE, int(API_RATE)),
            'The many-app task reads the vhost once and writes the apps concurrently (`max_workers`, default 10), so the '
            'client-side limiter, not the answers\' latency, sets the pace; the loop waits for each module process and '
            'each answer in turn.']}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--apps', type=int, default=100)
    parser.add_argument('--latency', type=float, default=0.3, help='seconds the emulator holds each answer (new apps)')
    parser.add_argument('--repeats', type=int, default=3, help='runs of the many-app module in each measurement')
    parser.add_argument('--no-loop', action='store_true', help='leave out the single-app loop over new apps (the longest run)')
    parser.add_argument('--json', help='write every measurement and the section of docs/performance.md to this file, '
                                       'as JSON (see tools/performance_page.py)')
    parser.add_argument('--build-root', help='use the collection already assembled under this directory')
    args = parser.parse_args()

    single.use_collection(args.build_root)

    apps = single.app_names(args.apps)
    with tempfile.TemporaryDirectory(prefix='volcengine-bench-') as workdir:
        noop = measure_noop(workdir, apps, args.repeats)
        throughput = measure_throughput(workdir, apps, args.latency, args.repeats, not args.no_loop)

    section = summary(noop, throughput, args.latency)
    for row in section['rows']:
        print('%s: %s' % (row['what'], row['result'].format(*row['values'])))
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as json_file:
            json.dump({'noop': noop, 'throughput': throughput, 'summary': section}, json_file, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
