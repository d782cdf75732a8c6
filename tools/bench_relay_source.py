#!/usr/bin/env python
"""Benchmark volc_live_relay_source against the local emulator and write a report.

Measures, in one run on this controller:
  1. API calls per scenario (no-op, create, update one server, purge one group, delete);
  2. per-task overhead: N no-op relay-source task runs next to N ansible.builtin.ping runs;
  3. throughput under the API's 10 requests/second limit: 100 apps with forks=20, with the client-side
     limiter off and on (the emulator enforces the limit either way).

Usage: .venv/bin/python tools/bench_relay_source.py [--runs N] [--apps N] [--forks N] [--report FILE]
(`make bench` runs it). Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

TOOLS_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS_DIR)
import assemble_collection  # noqa: E402  (a sibling script, not a package)

REPO_ROOT = assemble_collection.REPO_ROOT
BUILD_ROOT = assemble_collection.DEFAULT_BUILD_ROOT
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
VHOST = 'push.example.com'
MODULE = 'volcengine.cloud.volc_live_relay_source'


def relay_task(app='live', groups=None, state='present', loop=None):
    arguments = {'vhost': VHOST, 'app': app, 'state': state}
    if groups is not None:
        arguments['groups'] = groups
    task = {'name': 'Relay source', MODULE: arguments}
    if loop is not None:
        task['loop'] = loop
    return task


def group(name, *domains):
    return {'name': name, 'servers': [{'domain': domain} for domain in domains]}


def write_playbook(directory, name, tasks, hosts='localhost'):
    path = os.path.join(directory, name + '.yml')
    with open(path, 'w', encoding='utf-8') as playbook:
        json.dump([{'name': name, 'hosts': hosts, 'gather_facts': False, 'tasks': tasks}], playbook)
    return path


def run_playbook(playbook, emulator, workdir, rate_limit=0, forks=5, inventory=None):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(('ANSIBLE_', 'VOLCENGINE_'))}
    environment.update({
        'ANSIBLE_COLLECTIONS_PATH': BUILD_ROOT,
        'ANSIBLE_COLLECTIONS_SCAN_SYS_PATH': 'False',
        'ANSIBLE_LOCALHOST_WARNING': 'False',
        'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
        'ANSIBLE_LOCAL_TEMP': os.path.join(workdir, 'ansible-tmp'),
        'VOLCENGINE_ENDPOINT': emulator.url,
        'VOLCENGINE_ACCESS_KEY': emulator.access_key,
        'VOLCENGINE_SECRET_KEY': emulator.secret_key,
        'VOLCENGINE_RATE_LIMIT': str(rate_limit),
    })
    inventory_path = os.path.join(workdir, 'inventory.ini')
    with open(inventory_path, 'w', encoding='utf-8') as inventory_file:
        inventory_file.write(inventory or 'localhost ansible_connection=local\n')
    started = time.monotonic()
    completed = subprocess.run([ANSIBLE_PLAYBOOK, '-i', inventory_path, '--forks', str(forks), playbook], env=environment,
                               cwd=workdir, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - started
    if completed.returncode not in (0, 2):
        raise RuntimeError('ansible-playbook failed to run:\n%s\n%s' % (completed.stdout, completed.stderr))
    return elapsed, completed


def recap_count(completed, field):
    total = 0
    for line in completed.stdout.splitlines():
        if ' : ok=' in line:
            for part in line.split():
                if part.startswith(field + '='):
                    total += int(part.split('=', 1)[1])
    return total


def measure_api_calls(emulator, workdir):
    primary = group('primary', 'origin-a.example.org', 'origin-b.example.org:1935')
    backup = group('backup', '203.0.113.10')
    scenarios = [
        ('create (2 groups)', relay_task(groups=[primary, backup])),
        ('no-op', relay_task(groups=[primary, backup])),
        ('update one server', relay_task(groups=[group('primary', 'origin-a.example.org', 'origin-c.example.org'), backup])),
        ('purge one group', relay_task(groups=[group('primary', 'origin-a.example.org', 'origin-c.example.org')])),
        ('delete the app', relay_task(state='absent')),
    ]
    rows = []
    for name, task in scenarios:
        emulator.clear_requests()
        _elapsed, completed = run_playbook(write_playbook(workdir, 'calls', [task]), emulator, workdir)
        actions = [entry['action'] for entry in emulator.requests()]
        rows.append((name, len(actions), ', '.join(actions), recap_count(completed, 'changed')))
    return rows


def measure_overhead(emulator, workdir, runs):
    emulator.set_state([{'Vhost': VHOST, 'App': 'live', 'GroupDetails': [
        {'Group': 'primary', 'Servers': [{'RelaySourceDomain': 'origin-a.example.org', 'RelaySourceProtocol': 'rtmp',
                                          'RelaySourceParams': {}}]}]}])
    loop = list(range(runs))
    empty = write_playbook(workdir, 'empty', [])
    ping = write_playbook(workdir, 'ping', [{'name': 'Ping', 'ansible.builtin.ping': {}, 'loop': loop}])
    noop = write_playbook(workdir, 'noop', [relay_task(groups=[group('primary', 'origin-a.example.org')], loop=loop)])
    baseline = run_playbook(empty, emulator, workdir)[0]
    ping_time = run_playbook(ping, emulator, workdir)[0]
    noop_time, completed = run_playbook(noop, emulator, workdir)
    if recap_count(completed, 'changed') or recap_count(completed, 'failed'):
        raise RuntimeError('the no-op run changed or failed:\n' + completed.stdout)
    per_ping = (ping_time - baseline) / runs
    per_noop = (noop_time - baseline) / runs
    return {'runs': runs, 'playbook_start': baseline, 'ping_per_task': per_ping, 'relay_noop_per_task': per_noop,
            'ratio': per_noop / per_ping if per_ping > 0 else float('nan')}


def measure_throughput(harness, workdir, apps, forks, rate_limit):
    names = ['app%03d' % number for number in range(apps)]
    inventory = ''.join('%s ansible_connection=local\n' % name for name in names)
    task = relay_task(app='{{ inventory_hostname }}', groups=[group('primary', '{{ inventory_hostname }}-origin.example.org')])
    playbook = write_playbook(workdir, 'throughput', [task], hosts='all')
    with harness(update_mode='replace', rate_limit=10) as emulator:
        elapsed, completed = run_playbook(playbook, emulator, workdir, rate_limit=rate_limit, forks=forks, inventory=inventory)
        log = emulator.requests()
        configured = len(emulator.state()['RelaySourceConfigList'])
    api_calls = sum(1 for entry in log if entry['http_status'] != 429)
    throttled = sum(1 for entry in log if entry['http_status'] == 429)
    floor = api_calls / 10.0
    return {'client_rate_limit': rate_limit, 'apps': apps, 'forks': forks, 'wall': elapsed, 'successful_calls': api_calls,
            'throttled_429': throttled, 'floor': floor, 'efficiency': floor / elapsed if elapsed else 0.0,
            'failed_tasks': recap_count(completed, 'failed'), 'apps_configured': configured}


def measure_controller_floor(harness, workdir, apps, forks):
    """The same inventory and forks running ansible.builtin.ping: what the controller alone needs, no API."""
    inventory = ''.join('app%03d ansible_connection=local\n' % number for number in range(apps))
    playbook = write_playbook(workdir, 'controller_floor', [{'name': 'Ping', 'ansible.builtin.ping': {}}], hosts='all')
    with harness(update_mode='replace', rate_limit=0) as emulator:
        return run_playbook(playbook, emulator, workdir, forks=forks, inventory=inventory)[0]


def render_report(calls, overhead, throughput, controller_floor):
    lines = ['# volc_live_relay_source benchmark', '',
             'Controller: %s, Python %s, %d cores. Emulator on 127.0.0.1.' % (
                 sys.platform, sys.version.split()[0], os.cpu_count() or 0), '',
             '## API calls per scenario', '', '| scenario | calls | actions | changed |', '|---|---|---|---|']
    lines += ['| %s | %d | %s | %d |' % row for row in calls]
    lines += ['', '## Per-task overhead (%d task runs each)' % overhead['runs'], '',
              '| what | seconds |', '|---|---|',
              '| ansible-playbook start-up (empty play) | %.2f |' % overhead['playbook_start'],
              '| ansible.builtin.ping, per task | %.3f |' % overhead['ping_per_task'],
              '| volc_live_relay_source no-op, per task | %.3f |' % overhead['relay_noop_per_task'],
              '| ratio relay no-op / ping | %.2f |' % overhead['ratio'],
              '', '## Throughput under the 10 requests/second API limit', '',
              '| client limiter | apps | forks | wall (s) | successful calls | floor (s) | % of ceiling | 429s | failed tasks |',
              '|---|---|---|---|---|---|---|---|---|']
    lines.insert(len(lines) - 2, 'Controller floor: the same %d hosts with forks=%d running ansible.builtin.ping (no API call) '
                 'take %.1f s on this machine; a run cannot beat max(API floor, controller floor).' % (
                     throughput[0]['apps'], throughput[0]['forks'], controller_floor))
    lines.insert(len(lines) - 2, '')
    for row in throughput:
        lines.append('| %s | %d | %d | %.1f | %d | %.1f | %.0f %% | %d | %d |' % (
            'on (%g/s)' % row['client_rate_limit'] if row['client_rate_limit'] else 'off', row['apps'], row['forks'],
            row['wall'], row['successful_calls'], row['floor'], 100 * row['efficiency'], row['throttled_429'],
            row['failed_tasks']))
    return '\n'.join(lines) + '\n'


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=20, help='task runs for the overhead comparison')
    parser.add_argument('--apps', type=int, default=100)
    parser.add_argument('--forks', type=int, default=20)
    parser.add_argument('--report', default=os.path.join(REPO_ROOT, 'bench', 'results', 'relay_source.md'))
    args = parser.parse_args()

    assemble_collection.assemble(BUILD_ROOT)
    sys.path.insert(0, BUILD_ROOT)
    from ansible_collections.volcengine.cloud.tests.emulator.harness import Emulator

    with tempfile.TemporaryDirectory(prefix='volcengine-bench-') as workdir:
        with Emulator(update_mode='replace', rate_limit=0) as emulator:
            calls = measure_api_calls(emulator, workdir)
            overhead = measure_overhead(emulator, workdir, args.runs)
        throughput = [measure_throughput(Emulator, workdir, args.apps, args.forks, rate_limit) for rate_limit in (0, 10)]
        controller_floor = measure_controller_floor(Emulator, workdir, args.apps, args.forks)

    report = render_report(calls, overhead, throughput, controller_floor)
    os.makedirs(os.path.dirname(args.report), exist_ok=True)
    with open(args.report, 'w', encoding='utf-8') as report_file:
        report_file.write(report)
    print(report)
    print('report written to %s' % args.report)
    return 0


if __name__ == '__main__':
    sys.exit(main())
