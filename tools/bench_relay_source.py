#!/usr/bin/env python
"""Benchmark volc_live_relay_source against the local emulator and write a report.

Measures, in one run on this controller:
  1. API calls per scenario (no-op, create, change in place, add, remove, purge, reorders, replace all, deletes),
     under both update semantics the emulator offers (replace and upsert);
  2. per-task overhead: N no-op relay-source task runs next to N ansible.builtin.ping runs;
  3. module start-up cost: CPU seconds of one module process (relay no-op next to ping), and what the
     imports cost;
  4. throughput under the API's 10 requests/second limit: 100 apps with forks=20 through ansible-playbook,
     with the client-side limiter off and on (the emulator enforces the limit either way), next to the
     controller's own floor (the same hosts running ping) and the CPU the controller spent;
  5. the same through ansible-playbook at an API limit of 5 requests/second, where the API, not the
     controller, is the bottleneck;
  6. the same 100 apps sent by 20 plain processes through the collection's client, without Ansible, to show
     what the client and its limiter achieve when the controller is not the bottleneck.

Usage: .venv/bin/python tools/bench_relay_source.py [--runs N] [--apps N] [--forks N] [--report FILE] [--json FILE]
(`make bench` runs it). Nothing leaves 127.0.0.1. The emulator harness and the playbook builders are the integration
tests' own (tests/emulator/harness.py, tests/e2e/scenarios.py), imported from the assembled collection.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

TOOLS_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS_DIR)
import assemble_collection  # noqa: E402  (a sibling script, not a package)
from performance_page import measured_on  # noqa: E402

REPO_ROOT = assemble_collection.REPO_ROOT
BUILD_ROOT = assemble_collection.DEFAULT_BUILD_ROOT
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
API_RATE = 10.0  # requests/second per account: what the emulator enforces and the ceiling we measure against
# A lower limit at which 100 apps take the API longer than they take a 2-core controller: the API-bound case.
API_BOUND_RATE = 5.0


# The emulator harness and the integration tests' scenario builders, from the assembled collection (load_test_helpers).
harness = scenarios = None


def load_test_helpers(build_root):
    """Import tests/emulator/harness.py and tests/e2e/scenarios.py from the collection assembled under
    ``build_root``: tools/ is no part of the collection's packages, so it reaches them through sys.path."""
    global harness, scenarios
    sys.path.insert(0, build_root)
    from ansible_collections.volcengine.cloud.tests.emulator import harness as emulator_harness
    from ansible_collections.volcengine.cloud.tests.e2e import scenarios as scenario_builders
    harness, scenarios = emulator_harness, scenario_builders


def write_playbook(directory, name, tasks, hosts='localhost'):
    path = os.path.join(directory, name + '.yml')
    with open(path, 'w', encoding='utf-8') as playbook:
        playbook.write(scenarios.playbook(*tasks, name=name, hosts=hosts))
    return path


def run_playbook(playbook, emulator, workdir, rate_limit=0, forks=5, inventory=None, extra_env=None):
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
    environment.update(extra_env or {})
    inventory_path = os.path.join(workdir, 'inventory.ini')
    with open(inventory_path, 'w', encoding='utf-8') as inventory_file:
        inventory_file.write(inventory or 'localhost ansible_connection=local\n')
    started, cpu_before = time.monotonic(), children_cpu()
    completed = subprocess.run([ANSIBLE_PLAYBOOK, '-i', inventory_path, '--forks', str(forks), playbook], env=environment,
                               cwd=workdir, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - started
    completed.cpu_seconds = children_cpu() - cpu_before  # ansible-playbook, its forks and their modules
    if completed.returncode not in (0, 2):
        raise RuntimeError('ansible-playbook failed to run:\n%s\n%s' % (completed.stdout, completed.stderr))
    return elapsed, completed


def process_cpu(pid):
    """CPU seconds used so far by a running process (Linux /proc), or None where that cannot be read."""
    try:
        with open('/proc/%d/stat' % pid, encoding='ascii') as stat:
            fields = stat.read().rsplit(')', 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / float(os.sysconf('SC_CLK_TCK'))
    except (OSError, IndexError, ValueError, AttributeError):
        return None


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def recap_count(completed, field):
    total = 0
    for line in completed.stdout.splitlines():
        if ' : ok=' in line:
            for part in line.split():
                if part.startswith(field + '='):
                    total += int(part.split('=', 1)[1])
    return total


def letter_groups(names):
    """One group per letter, each pulling from <letter>.example.org."""
    return [scenarios.group(name, name.lower() + '.example.org') for name in names]


def api_call_scenarios():
    """(scenario, groups the app holds first (letters), the task): every kind of change whose API calls the
    module's notes and the guide document."""
    task, group = scenarios.relay_task, scenarios.group
    return [
        ('no-op', 'AB', task(groups=letter_groups('AB'))),
        ('create (2 groups)', '', task(groups=letter_groups('AB'))),
        ('change a group in place', 'AB', task(groups=[group('A', 'a.example.org', 'a2.example.org')] + letter_groups('B'))),
        ('add a group at the end', 'A', task(groups=letter_groups('AB'))),
        ('remove the last group', 'AB', task(groups=letter_groups('A'))),
        ('purge a group in the middle (A, X, B to A, B)', 'AXB', task(groups=letter_groups('AB'))),
        ('reorder (A, B to B, A)', 'AB', task(groups=letter_groups('BA'))),
        ('reorder and drop (A, B, C to C, A)', 'ABC', task(groups=letter_groups('CA'))),
        ('insert a group first (A, B to C, A, B)', 'AB', task(groups=letter_groups('CAB'))),
        ('replace every group (A, B to C)', 'AB', task(groups=letter_groups('C'))),
        ('delete one group (state=absent)', 'AB', task(groups=[{'name': 'B'}], state='absent')),
        ('delete the app (state=absent)', 'AB', task(state='absent')),
    ]


UPDATE_MODES = (('replace', 'replace'), ('merge', 'upsert'))  # (emulator --update-mode, what the docs call it)


def measure_api_calls(emulator, workdir):
    """API calls of each scenario under each update semantics the emulator offers, each from its own seeded state."""
    rows = []
    for name, seeded, task in api_call_scenarios():
        row = {'scenario': name}
        for mode, semantics in UPDATE_MODES:
            emulator.settings(update_mode=mode)
            emulator.set_state([scenarios.api_config('live', letter_groups(seeded))] if seeded else [])
            emulator.clear_requests()
            _elapsed, completed = run_playbook(write_playbook(workdir, 'calls', [task]), emulator, workdir)
            actions = [entry['action'] for entry in emulator.requests()]
            row[semantics] = {'calls': len(actions), 'actions': ', '.join(actions),
                              'changed': recap_count(completed, 'changed'), 'failed': recap_count(completed, 'failed')}
        rows.append(row)
    emulator.settings(update_mode='replace')
    return rows


NOOP_GROUPS = [{'name': 'primary', 'servers': [{'domain': 'origin-a.example.org'}]}]


def seed_noop_state(emulator):
    """The vhost's app live already relays from NOOP_GROUPS, so a task declaring them is a no-op."""
    emulator.set_state([scenarios.api_config('live', NOOP_GROUPS)])


def measure_overhead(emulator, workdir, runs):
    seed_noop_state(emulator)
    loop = list(range(runs))
    empty = write_playbook(workdir, 'empty', [])
    ping = write_playbook(workdir, 'ping', [{'name': 'Ping', 'ansible.builtin.ping': {}, 'loop': loop}])
    noop = write_playbook(workdir, 'noop', [dict(scenarios.relay_task(groups=NOOP_GROUPS), loop=loop)])
    baseline = run_playbook(empty, emulator, workdir)[0]
    ping_time = run_playbook(ping, emulator, workdir)[0]
    noop_time, completed = run_playbook(noop, emulator, workdir)
    if recap_count(completed, 'changed') or recap_count(completed, 'failed'):
        raise RuntimeError('the no-op run changed or failed:\n' + completed.stdout)
    per_ping = (ping_time - baseline) / runs
    per_noop = (noop_time - baseline) / runs
    return {'runs': runs, 'playbook_start': baseline, 'ping_per_task': per_ping, 'relay_noop_per_task': per_noop,
            'ratio': per_noop / per_ping if per_ping > 0 else float('nan')}


def ansiballz_cpu_seconds(emulator, workdir, tasks, samples):
    """Median CPU seconds of one module process as Ansible runs it: each task runs once through ansible-playbook
    with ANSIBLE_KEEP_REMOTE_FILES, then its AnsiballZ file is run ``samples`` times, the tasks interleaved so
    that machine noise hits them alike."""
    payloads = {}
    for name, task in tasks.items():
        remote_tmp = os.path.join(workdir, 'remote-' + str(len(payloads)))
        completed = run_playbook(write_playbook(workdir, 'keep', [task]), emulator, workdir, extra_env={
            'ANSIBLE_KEEP_REMOTE_FILES': 'True', 'ANSIBLE_REMOTE_TMP': remote_tmp})[1]
        found = [os.path.join(root, file_name) for root, dirs, files in os.walk(remote_tmp) for file_name in files
                 if file_name.startswith('AnsiballZ_')]
        if completed.returncode != 0 or len(found) != 1:
            raise RuntimeError('could not keep the AnsiballZ file of %s:\n%s' % (name, completed.stdout))
        payloads[name] = found[0]
    environment = dict(os.environ, VOLCENGINE_ENDPOINT=emulator.url, VOLCENGINE_ACCESS_KEY=emulator.access_key,
                       VOLCENGINE_SECRET_KEY=emulator.secret_key, VOLCENGINE_RATE_LIMIT='0')
    measured = {name: [] for name in payloads}
    for sample in range(samples):
        for name, payload in payloads.items():
            before = children_cpu()
            completed = subprocess.run([sys.executable, payload], env=environment, capture_output=True, text=True,
                                       check=False)
            measured[name].append(children_cpu() - before)
            if completed.returncode != 0:
                raise RuntimeError('%s failed:\n%s\n%s' % (name, completed.stdout, completed.stderr))
    return {name: statistics.median(values) for name, values in measured.items()}


def import_cpu_seconds(statements, samples):
    """Median CPU seconds each import statement adds, in order, in a fresh process."""
    timed = '\n'.join('started = time.process_time()\n%s\ncosts.append(time.process_time() - started)' % statement
                      for statement in statements)
    code = 'import json, time\ncosts = []\n%s\nprint(json.dumps(costs))\n' % timed
    environment = dict(os.environ, PYTHONPATH=BUILD_ROOT)
    runs = [json.loads(subprocess.run([sys.executable, '-c', code], env=environment, capture_output=True, text=True,
                                      check=True).stdout) for sample in range(samples)]
    return [statistics.median(costs) for costs in zip(*runs)]


def compile_cpu_seconds(samples):
    """Median CPU seconds to compile the collection's files a relay-source module run ships: AnsiballZ sends
    source in a zip, so every run compiles them again (byte-code caches do not apply)."""
    collection = os.path.join(BUILD_ROOT, 'ansible_collections', 'volcengine', 'cloud', 'plugins')
    utils = os.path.join(collection, 'module_utils')
    paths = [os.path.join(collection, 'modules', 'volc_live_relay_source.py')] + [
        os.path.join(utils, name) for name in sorted(os.listdir(utils)) if name.endswith('.py')]
    sources = []
    for path in paths:
        with open(path, encoding='utf-8') as source:
            sources.append((path, source.read()))
    measured = []
    for sample in range(samples):
        started = time.process_time()
        for path, source in sources:
            compile(source, path, 'exec')
        measured.append(time.process_time() - started)
    return statistics.median(measured)


def measure_startup(emulator, workdir, samples):
    """Where a module process's CPU goes: ping next to a relay no-op, and the imports the relay module adds."""
    seed_noop_state(emulator)
    processes = ansiballz_cpu_seconds(emulator, workdir, {
        'ping': {'name': 'Ping', 'ansible.builtin.ping': {}},
        'relay': scenarios.relay_task(groups=NOOP_GROUPS),
    }, samples)
    imports = import_cpu_seconds([
        'import ansible.module_utils.basic',
        'import requests',
        'import ansible_collections.volcengine.cloud.plugins.module_utils.module_support',
        'import ansible_collections.volcengine.cloud.plugins.module_utils.relay_source',
    ], samples)
    return {'samples': samples, 'ping': processes['ping'], 'relay': processes['relay'], 'basic': imports[0], 'requests': imports[1],
            'collection': imports[2] + imports[3], 'compile': compile_cpu_seconds(samples)}


def app_names(apps):
    return ['app%03d' % number for number in range(apps)]


def measure_throughput(workdir, apps, forks, rate_limit, api_rate=API_RATE):
    playbook = write_playbook(workdir, 'throughput', [scenarios.per_app_task()], hosts='all')
    with harness.Emulator(update_mode='replace', rate_limit=api_rate) as emulator:
        emulator_cpu = process_cpu(emulator.process.pid)
        elapsed, completed = run_playbook(playbook, emulator, workdir, rate_limit=rate_limit, forks=forks,
                                          inventory=scenarios.app_hosts(app_names(apps)))
        if emulator_cpu is not None:
            emulator_cpu = process_cpu(emulator.process.pid) - emulator_cpu
        log = emulator.requests()
        configured = len(emulator.state()['RelaySourceConfigList'])
    capacity = elapsed * (os.cpu_count() or 1)
    row = summarize_calls('ansible-playbook, forks=%d' % forks, rate_limit, apps, elapsed, log, api_rate)
    row.update({'failed_tasks': recap_count(completed, 'failed'), 'apps_configured': configured,
                'cpu_busy': completed.cpu_seconds / capacity,
                'emulator_busy': emulator_cpu / capacity if emulator_cpu is not None else None})
    return row


def summarize_calls(how, rate_limit, apps, elapsed, log, api_rate=API_RATE):
    api_calls = sum(1 for entry in log if entry['http_status'] != 429)
    floor = api_calls / api_rate
    return {'how': how, 'api_rate': api_rate, 'client_rate_limit': rate_limit, 'apps': apps, 'wall': elapsed, 'successful_calls': api_calls,
            'throttled_429': sum(1 for entry in log if entry['http_status'] == 429), 'floor': floor,
            'efficiency': floor / elapsed if elapsed else 0.0}


def measure_controller_floor(workdir, apps, forks):
    """The same inventory and forks running ansible.builtin.ping: what the controller alone needs, no API."""
    playbook = write_playbook(workdir, 'controller_floor', [{'name': 'Ping', 'ansible.builtin.ping': {}}], hosts='all')
    with harness.Emulator(update_mode='replace', rate_limit=0) as emulator:
        elapsed, completed = run_playbook(playbook, emulator, workdir, forks=forks,
                                          inventory=scenarios.app_hosts(app_names(apps)))
    return {'wall': elapsed, 'cpu_busy': completed.cpu_seconds / (elapsed * (os.cpu_count() or 1))}


def client_worker(spec):
    """One of the plain processes of measure_client_throughput: Describe then Update for each of its apps."""
    sys.path.insert(0, spec['build_root'])
    from ansible_collections.volcengine.cloud.plugins.module_utils import relay_source
    from ansible_collections.volcengine.cloud.plugins.module_utils.client import VolcengineClient
    from ansible_collections.volcengine.cloud.plugins.module_utils.rate_limit import HostRateLimiter

    limiter = HostRateLimiter(spec['rate_limit'], key=spec['access_key']) if spec['rate_limit'] > 0 else None
    client = VolcengineClient(access_key=spec['access_key'], secret_key=spec['secret_key'], endpoint=spec['endpoint'],
                              rate_limiter=limiter)
    time.sleep(max(0.0, spec['start_at'] - time.time()))
    for app in spec['apps']:
        relay_source.describe_app(client, spec['vhost'], app)
        relay_source.update(client, spec['vhost'], app, [{'name': 'primary', 'servers': [
            {'domain': app + '-origin.example.org', 'protocol': 'rtmp', 'params': {}}]}])
    print(json.dumps({'finished_at': time.time()}))


def measure_client_throughput(apps, processes, rate_limit):
    """The throughput scenario without Ansible: ``processes`` Python processes share the apps and send their
    Describe + Update through the collection's client, all starting at the same instant."""
    names = app_names(apps)
    with harness.Emulator(update_mode='replace', rate_limit=API_RATE) as emulator:
        start_at = time.time() + 2.0  # every process has imported and connected by then
        workers = []
        for number in range(processes):
            spec = {'apps': names[number::processes], 'vhost': scenarios.VHOST, 'rate_limit': rate_limit, 'start_at': start_at,
                    'build_root': BUILD_ROOT,
                    'endpoint': emulator.url, 'access_key': emulator.access_key, 'secret_key': emulator.secret_key}
            workers.append(subprocess.Popen([sys.executable, os.path.abspath(__file__), '--client-worker', json.dumps(spec)],
                                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        outputs = [worker.communicate(timeout=600) for worker in workers]
        failed = sum(1 for worker in workers if worker.returncode != 0)
        finished = [json.loads(out)['finished_at'] for (out, err), worker in zip(outputs, workers) if worker.returncode == 0]
        log = emulator.requests()
        configured = len(emulator.state()['RelaySourceConfigList'])
    elapsed = (max(finished) if finished else time.time()) - start_at
    row = summarize_calls('%d plain processes' % processes, rate_limit, apps, elapsed, log)
    row.update({'failed_tasks': failed, 'apps_configured': configured, 'cpu_busy': None, 'emulator_busy': None})
    return row


def median_run(rows):
    """The run with the median wall time, carrying the range of all runs' wall times."""
    ordered = sorted(rows, key=lambda row: row['wall'])
    chosen = dict(ordered[len(ordered) // 2])
    chosen.update({'runs': len(rows), 'wall_min': ordered[0]['wall'], 'wall_max': ordered[-1]['wall']})
    return chosen


def wall_text(row):
    if row.get('runs', 1) > 1:
        return '%.1f (%.1f–%.1f)' % (row['wall'], row['wall_min'], row['wall_max'])
    return '%.1f' % row['wall']


def percent(fraction):
    if fraction is None:
        return 'n/a'
    return '%.1f %%' % (100 * fraction) if fraction < 0.1 else '%.0f %%' % (100 * fraction)


def render_report(calls, overhead, startup, throughput, controller_floor):
    cores = os.cpu_count() or 0
    lines = ['# volc_live_relay_source benchmark', '',
             'Controller: %s, Python %s, %d cores. Emulator on 127.0.0.1, on the same cores.' % (
                 sys.platform, sys.version.split()[0], cores), '',
             '## API calls per scenario', '',
             'Each scenario starts from its own seeded state, once with the emulator replacing the group list on '
             'update and once upserting (`--update-mode replace|merge`).', '',
             '| scenario | calls (replace) | calls (upsert) | changed | actions (replace) | actions (upsert) |',
             '|---|---|---|---|---|---|']
    lines += ['| %s | %d | %d | %d | %s | %s |' % (
        row['scenario'], row['replace']['calls'], row['upsert']['calls'], row['replace']['changed'],
        row['replace']['actions'], row['upsert']['actions']) for row in calls]
    lines += ['', '## Per-task overhead (%d task runs each)' % overhead['runs'], '',
              '| what | seconds |', '|---|---|',
              '| ansible-playbook start-up (empty play) | %.2f |' % overhead['playbook_start'],
              '| ansible.builtin.ping, per task | %.3f |' % overhead['ping_per_task'],
              '| volc_live_relay_source no-op, per task | %.3f |' % overhead['relay_noop_per_task'],
              '| ratio relay no-op / ping | %.2f |' % overhead['ratio'],
              '', '## Module start-up cost (CPU seconds per module process, median of %d)' % startup['samples'], '',
              'The first two rows run the AnsiballZ files Ansible itself produced (module arguments included); '
              'the import rows are measured in a plain Python process with byte-code caches warm, and the compile '
              'row is what AnsiballZ adds on every run because it ships source in a zip.', '',
              '| what | CPU seconds |', '|---|---|',
              '| ansible.builtin.ping, AnsiballZ process | %.3f |' % startup['ping'],
              '| volc_live_relay_source no-op (one Describe call), AnsiballZ process | %.3f |' % startup['relay'],
              '| import ansible.module_utils.basic (both modules) | %.3f |' % startup['basic'],
              '| import requests (relay only) | %.3f |' % startup['requests'],
              '| import the collection\'s module_utils (relay only) | %.3f |' % startup['collection'],
              '| compile the collection\'s files (relay only, every AnsiballZ run) | %.3f |' % startup['compile'],
              '', '## Throughput under the API\'s rate limit', '',
              'Each ansible-playbook row at %g requests/second is the median of %d runs (wall range in brackets), '
              'the configurations interleaved. Floor: successful calls / the API limit. Controller floor: the same '
              '%d hosts with forks=%d running ansible.builtin.ping (no API call) take %s s here, with the controller '
              '%.0f %% busy; an ansible-playbook run cannot beat max(API floor, controller floor). The rows at a '
              'lower API limit show the API-bound case, where the controller is not the bottleneck.' % (
                  API_RATE, controller_floor['runs'], throughput[0]['apps'], controller_floor['forks'],
                  wall_text(controller_floor), 100 * controller_floor['cpu_busy']), '',
              '| how | API limit | client limiter | apps | wall (s) | successful calls | floor (s) | % of ceiling '
              '| % of max(API floor, controller floor) | 429s | failed | apps configured | CPU busy: Ansible '
              '| CPU busy: emulator |',
              '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|']
    for row in throughput:
        achievable = max(row['floor'], controller_floor['wall']) / row['wall'] if row['cpu_busy'] is not None else None
        lines.append('| %s | %g/s | %s | %d | %s | %d | %.1f | %.0f %% | %s | %d | %d | %d | %s | %s |' % (
            row['how'], row['api_rate'], 'on (%g/s)' % row['client_rate_limit'] if row['client_rate_limit'] else 'off',
            row['apps'], wall_text(row), row['successful_calls'], row['floor'], 100 * row['efficiency'],
            percent(achievable), row['throttled_429'], row['failed_tasks'], row['apps_configured'],
            percent(row['cpu_busy']), percent(row['emulator_busy'])))
    lines += ['', 'CPU busy: CPU seconds used during the run / (wall time x %d cores). The plain processes start '
              'together after importing, so their wall time is send time only; the first window\'s %d requests go '
              'at once, which is how a run can beat calls / %g per second.' % (cores, int(API_RATE), API_RATE)]
    return '\n'.join(lines) + '\n'


def summary(calls, overhead, startup, throughput, controller_floor, apps, forks):
    """The rows of docs/performance.md (tools/performance_page.py renders them, with ranges across runs): each a
    label, a format and the values it formats."""
    replace_calls = {row['scenario']: row['replace']['calls'] for row in calls}
    upsert_calls = {row['scenario']: row['upsert']['calls'] for row in calls}
    reorder = 'reorder (A, B to B, A)'
    off, on, bound_off, bound_on, plain_off, plain_on = throughput
    return {
        'title': 'volc_live_relay_source against the emulator (tools/bench_relay_source.py)',
        'measured': measured_on(),
        'rows': [
            {'what': 'API calls: no-op / create / change a group in place / purge a group / delete the app',
             'result': '{:d} / {:d} / {:d} / {:d} / {:d}',
             'values': [replace_calls[name] for name in ('no-op', 'create (2 groups)', 'change a group in place',
                                                         'purge a group in the middle (A, X, B to A, B)',
                                                         'delete the app (state=absent)')]},
            {'what': 'API calls of a reorder `A, B` to `B, A`, API replacing / upserting on update (every case: the user '
                     'guide\'s behaviour notes)',
             'result': '{:d} / {:d}', 'values': [replace_calls[reorder], upsert_calls[reorder]]},
            {'what': 'per-task time, no-op relay-source task vs `ansible.builtin.ping`',
             'result': '{:.2f} s vs {:.2f} s ({:.1f}\u00d7)',
             'values': [overhead['relay_noop_per_task'], overhead['ping_per_task'], overhead['ratio']]},
            {'what': 'module process CPU, relay no-op vs ping',
             'result': '{:.2f} s vs {:.2f} s; the difference is mostly `import requests` ({:.2f} s); the collection\'s own '
                       'code (imports and compiling) costs {:.2f} s',
             'values': [startup['relay'], startup['ping'], startup['requests'], startup['collection'] + startup['compile']]},
            {'what': '%d apps, forks=%d, API limit %g req/s, client limiter off' % (apps, forks, off['api_rate']),
             'result': '{:.0f} s, {:d} HTTP 429 (all retried), {:d} failed',
             'values': [off['wall'], off['throttled_429'], off['failed_tasks']]},
            {'what': 'same, client limiter on (default: %g req/s shared by all forks)' % on['client_rate_limit'],
             'result': '{:.0f} s, {:d} HTTP 429, {:d} failed', 'values': [on['wall'], on['throttled_429'], on['failed_tasks']]},
            {'what': 'same hosts and forks running only `ping` (controller floor)',
             'result': '{:.0f} s with the controller {:.0f} % busy; the API floor is {:d} calls / ' + '%g' % on['api_rate']
                       + ' = {:.0f} s',
             'values': [controller_floor['wall'], 100 * controller_floor['cpu_busy'], on['successful_calls'], on['floor']]},
            {'what': 'API-bound: same at an API limit of %g req/s, limiter off / on' % bound_off['api_rate'],
             'result': 'off: {:d} tasks failed, {:d} HTTP 429; on: {:.1f} s = {:.0f} % of the {:.0f} s floor, {:d} HTTP 429, '
                       '{:d} failed',
             'values': [bound_off['failed_tasks'], bound_off['throttled_429'], bound_on['wall'], 100 * bound_on['efficiency'],
                        bound_on['floor'], bound_on['throttled_429'], bound_on['failed_tasks']]},
            {'what': '%d plain processes through the client (no Ansible), %g req/s, limiter off / on' % (
                forks, plain_on['api_rate']),
             'result': 'off: {:d} processes failed, {:d} HTTP 429; on: {:.1f} s for {:d} calls = {:.0f} % of the ceiling, '
                       '{:d} HTTP 429',
             'values': [plain_off['failed_tasks'], plain_off['throttled_429'], plain_on['wall'], plain_on['successful_calls'],
                        100 * plain_on['efficiency'], plain_on['throttled_429']]},
        ],
        'notes': [
            'What this means: with the client-side limiter on, the processes of a controller together stay at the '
            'API\'s ceiling without 429s, and the plain processes show that the client alone reaches it. When the '
            '`ansible-playbook` row with the limiter on is close to the controller floor (`ping` alone), the run is '
            'bound by the controller, which starts a module process per task, not by the API; at the lower API limit '
            'it is bound by the API, less the few seconds every run needs to start its module processes. More cores '
            'or more apps per run bring it closer to the ceiling.',
            'The full report of a run, with every scenario\'s calls and actions under both update semantics, the '
            'start-up costs and the CPU figures, is in `bench/results/relay_source.md` after `make bench`.',
        ],
    }


def main():
    if len(sys.argv) == 3 and sys.argv[1] == '--client-worker':
        client_worker(json.loads(sys.argv[2]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=20, help='task runs for the overhead comparison')
    parser.add_argument('--samples', type=int, default=15, help='module processes timed for the start-up cost')
    parser.add_argument('--apps', type=int, default=100)
    parser.add_argument('--forks', type=int, default=20)
    parser.add_argument('--repeats', type=int, default=3, help='runs of each ansible-playbook throughput configuration')
    parser.add_argument('--report', default=os.path.join(REPO_ROOT, 'bench', 'results', 'relay_source.md'))
    parser.add_argument('--json', help='also write every measurement to this file, as JSON')
    parser.add_argument('--build-root', help='use the collection already assembled under this directory (the parent '
                                             'of ansible_collections/) instead of assembling one into build/')
    args = parser.parse_args()

    global BUILD_ROOT
    if args.build_root:
        BUILD_ROOT = os.path.abspath(args.build_root)
    else:
        assemble_collection.assemble(BUILD_ROOT)
    load_test_helpers(BUILD_ROOT)

    with tempfile.TemporaryDirectory(prefix='volcengine-bench-') as workdir:
        with harness.Emulator(update_mode='replace', rate_limit=0) as emulator:
            calls = measure_api_calls(emulator, workdir)
            overhead = measure_overhead(emulator, workdir, args.runs)
            startup = measure_startup(emulator, workdir, args.samples)
        runs = {'off': [], 'on': [], 'ping': []}
        for repeat in range(args.repeats):
            runs['off'].append(measure_throughput(workdir, args.apps, args.forks, 0))
            runs['on'].append(measure_throughput(workdir, args.apps, args.forks, API_RATE))
            runs['ping'].append(measure_controller_floor(workdir, args.apps, args.forks))
        throughput = [median_run(runs['off']), median_run(runs['on'])]
        controller_floor = median_run(runs['ping'])
        controller_floor['forks'] = args.forks
        throughput += [measure_throughput(workdir, args.apps, args.forks, rate_limit, api_rate=API_BOUND_RATE)
                       for rate_limit in (0, API_BOUND_RATE)]
        throughput += [measure_client_throughput(args.apps, args.forks, rate_limit) for rate_limit in (0, API_RATE)]

    report = render_report(calls, overhead, startup, throughput, controller_floor)
    os.makedirs(os.path.dirname(args.report), exist_ok=True)
    with open(args.report, 'w', encoding='utf-8') as report_file:
        report_file.write(report)
    print(report)
    print('report written to %s' % args.report)
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as json_file:
            json.dump({'api_calls': calls,
                       'overhead': overhead, 'startup': startup, 'throughput': throughput,
                       'controller_floor': controller_floor,
                       'summary': summary(calls, overhead, startup, throughput, controller_floor, args.apps, args.forks)},
                      json_file, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
