#!/usr/bin/env python
"""Benchmark volc_live_relay_source against the local emulator and write a report.

Measures, in one run on this controller:
  1. API calls per case of tools/calls_per_change.py (CASES: no change, create, change in place, add, remove,
     rename, reorders, replace all, deletes), through ansible-playbook under each update behaviour of
     UpdateRelaySourceV3 the emulator offers (api_model.UPDATE_MODES: replace, merge, merge_first, merge_last),
     one playbook per behaviour, each case on an app of its own seeded with its start state; they must equal
     calls_per_change.table(), the same count made in-process (the table of the module notes and the user guide),
     or the bench stops with exit status 1 and the difference;
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

Usage (in the nox session bench, or its venv .nox/bench): python tools/bench_relay_source.py [--runs N] [--apps N] [--forks N] [--report FILE] [--json FILE]
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
import calls_per_change  # noqa: E402  (a sibling script: the cases, and the table of calls the documents show)
from performance_page import measured_on  # noqa: E402

REPO_ROOT = assemble_collection.REPO_ROOT
BUILD_ROOT = assemble_collection.DEFAULT_BUILD_ROOT
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
API_RATE = 10.0  # requests/second per account: what the emulator enforces and the ceiling we measure against
# A lower limit at which 100 apps take the API longer than they take a 2-core controller: the API-bound case.
API_BOUND_RATE = 5.0


# The emulator harness, its API model and the integration tests' scenario builders, from the assembled collection
# (load_test_helpers).
harness = scenarios = api_model = None


def load_test_helpers(build_root):
    """Import tests/emulator/harness.py, tests/emulator/api_model.py and tests/e2e/scenarios.py from the collection
    assembled under ``build_root``: tools/ is no part of the collection's packages, so it reaches them through
    sys.path (as calls_per_change.table() reaches the collection's writer)."""
    global harness, scenarios, api_model
    sys.path.insert(0, build_root)
    from ansible_collections.volcengine.cloud.tests.emulator import harness as emulator_harness
    from ansible_collections.volcengine.cloud.tests.emulator import api_model as emulator_model
    from ansible_collections.volcengine.cloud.tests.e2e import scenarios as scenario_builders
    harness, scenarios, api_model = emulator_harness, scenario_builders, emulator_model


def use_collection(build_root=None):
    """Run the benchmarks on the collection assembled under ``build_root`` (a --build-root argument), or, without one,
    on the tree assembled into build/; then load the emulator harness and test helpers from it."""
    global BUILD_ROOT
    if build_root:
        BUILD_ROOT = os.path.abspath(build_root)
    else:
        assemble_collection.assemble(BUILD_ROOT)
    load_test_helpers(BUILD_ROOT)


def write_playbook(directory, name, tasks, hosts='localhost'):
    path = os.path.join(directory, name + '.yml')
    with open(path, 'w', encoding='utf-8') as playbook:
        playbook.write(scenarios.playbook(*tasks, name=name, hosts=hosts))
    return path


def run_playbook(playbook, emulator, workdir, rate_limit=0, forks=5, inventory=None, extra_env=None):
    """(wall seconds, the completed process) of one ansible-playbook run against ``emulator``.

    Its TMPDIR is ``workdir``/tmp, and so is the client limiter's window (plugins/module_utils/rate_limit.py keeps one per
    user and access key in the temporary directory): the runs of one benchmark share it, as the forks of a controller
    do, but another run on the machine with the emulator's demo key cannot take from their requests per second."""
    private_tmp = os.path.join(workdir, 'tmp')
    os.makedirs(private_tmp, mode=0o700, exist_ok=True)
    environment = {key: value for key, value in os.environ.items() if not key.startswith(('ANSIBLE_', 'VOLCENGINE_'))}
    environment['TMPDIR'] = private_tmp
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


def behaviours():
    """The update behaviours to measure: every one the emulator offers (api_model.UPDATE_MODES), which must be the
    ones calls_per_change computes its table for."""
    if tuple(api_model.UPDATE_MODES) != tuple(calls_per_change.BEHAVIOURS):
        raise RuntimeError('the emulator offers the update modes %s, tools/calls_per_change.py computes %s: make them '
                           'the same' % (', '.join(api_model.UPDATE_MODES), ', '.join(calls_per_change.BEHAVIOURS)))
    return tuple(api_model.UPDATE_MODES)


def request_text(entry):
    """One logged request, short: ``Describe``, ``Update A, B`` (the groups sent), ``Delete X`` or ``Delete (app)``."""
    action, body = entry['action'], entry.get('body')
    short = action[:-len('RelaySourceV3')] if action.endswith('RelaySourceV3') else action
    body = body if isinstance(body, dict) else {}
    if short == 'Update':
        return 'Update ' + ', '.join(str(detail.get('Group')) for detail in body.get('GroupDetails') or []
                                     if isinstance(detail, dict))
    if short == 'Delete':
        return 'Delete ' + (str(body['Group']) if 'Group' in body else '(app)')
    return short


def case_app(index):
    return 'case%d' % index


def task_statuses(output):
    """{task name: 'ok' | 'changed' | 'failed'} from ansible-playbook's default output of a play on one host."""
    statuses, task = {}, None
    for line in output.splitlines():
        if line.startswith('TASK ['):
            task = line[len('TASK ['):line.index(']')]
        elif task and line.startswith(('ok: [', 'changed: [', 'fatal: [')):
            statuses[task] = {'ok': 'ok', 'changed': 'changed', 'fatal': 'failed'}[line.split(':', 1)[0]]
            task = None
    return statuses


def measure_api_calls(emulator, workdir):
    """The API calls of each case of calls_per_change.CASES under each update behaviour, through ansible-playbook:
    for each behaviour one playbook, a task per case on an app of its own (case0, case1, ...) seeded with the groups
    calls_per_change.letters(start) gives; the emulator's log is split by app."""
    rows = [{'scenario': name, 'start': start} for name, start, _arguments in calls_per_change.CASES]
    tasks = [scenarios.relay_task(name=case_app(index), ignore_errors=True, **dict(arguments, app=case_app(index)))
             for index, (_name, _start, arguments) in enumerate(calls_per_change.CASES)]
    seeded = [scenarios.api_config(case_app(index), calls_per_change.letters(start))
              for index, (_name, start, _arguments) in enumerate(calls_per_change.CASES) if start]
    for behaviour in behaviours():
        emulator.settings(update_mode=behaviour)
        emulator.set_state(seeded)
        emulator.clear_requests()
        _elapsed, completed = run_playbook(write_playbook(workdir, 'calls', tasks), emulator, workdir)
        log, statuses = emulator.requests(), task_statuses(completed.stdout)
        for index, row in enumerate(rows):
            calls = [entry for entry in log if (entry.get('body') or {}).get('App') == case_app(index)]
            status = statuses.get(case_app(index))
            row[behaviour] = {'calls': len(calls), 'actions': ', '.join(entry['action'] for entry in calls),
                              'requests': '; '.join(request_text(entry) for entry in calls),
                              'changed': int(status == 'changed'), 'failed': int(status != 'changed' and status != 'ok')}
        if len(log) != sum(row[behaviour]['calls'] for row in rows):
            raise RuntimeError('requests of no case in the log: %s' % [entry for entry in log if not any(
                (entry.get('body') or {}).get('App') == case_app(index) for index in range(len(rows)))])
    emulator.settings(update_mode='replace')
    return rows


def calls_differences(calls, computed):
    """Where the calls measured through ansible-playbook differ from calls_per_change.table() (``computed``), or a
    task failed: a line per case and behaviour, [] when they agree."""
    expected = dict(computed)
    differences = []
    if [row['scenario'] for row in calls] != [name for name, _counts in computed]:
        differences.append('cases measured %s, computed %s' % ([row['scenario'] for row in calls], [name for name, _counts in computed]))
    for row in calls:
        for behaviour, want in zip(calls_per_change.BEHAVIOURS, expected.get(row['scenario'], [])):
            got = row[behaviour]
            if got['calls'] != want or got['failed']:
                differences.append('%s, %s: %d calls through ansible-playbook (%s), %d computed in-process%s' % (
                    row['scenario'], behaviour, got['calls'], got['requests'], want,
                    ', %d failed task' % got['failed'] if got['failed'] else ''))
    return differences


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
    # the module itself last: it imports every module_utils file it needs (the relay-source ones are split by role)
    imports = import_cpu_seconds([
        'import ansible.module_utils.basic',
        'import requests',
        'import ansible_collections.volcengine.cloud.plugins.module_utils.module_support',
        'import ansible_collections.volcengine.cloud.plugins.modules.volc_live_relay_source',
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
    from ansible_collections.volcengine.cloud.plugins.module_utils import relay_source_api
    from ansible_collections.volcengine.cloud.plugins.module_utils.client import VolcengineClient
    from ansible_collections.volcengine.cloud.plugins.module_utils.rate_limit import HostRateLimiter

    limiter = HostRateLimiter(spec['rate_limit'], key=spec['access_key']) if spec['rate_limit'] > 0 else None
    client = VolcengineClient(access_key=spec['access_key'], secret_key=spec['secret_key'], endpoint=spec['endpoint'],
                              rate_limiter=limiter)
    time.sleep(max(0.0, spec['start_at'] - time.time()))
    for app in spec['apps']:
        relay_source_api.read_app(client, spec['vhost'], app)
        relay_source_api.send_write(client, relay_source_api.ACTION_UPDATE, relay_source_api.update_body(
            spec['vhost'], app, [{'name': 'primary', 'servers': [{'domain': app + '-origin.example.org'}]}]))
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
             '## API calls per case', '',
             'The cases of `tools/calls_per_change.py`, each run through ansible-playbook on an app of its own seeded with its start state '
             'under each update behaviour of UpdateRelaySourceV3 the emulator offers (`--update-mode %s`). The calls, '
             'the first read included, equal what `tools/calls_per_change.py` computes in-process for the module notes '
             'and the user guide (the bench stops otherwise). Changed: whether the task of the case reported changed (1) or ok (0), the same '
             'under every behaviour.' % '|'.join(calls_per_change.BEHAVIOURS), '',
             '| case | app holds first | %s | changed |' % ' | '.join('calls: %s' % behaviour for behaviour in calls_per_change.BEHAVIOURS),
             '|---|---|%s---|' % ('---|' * len(calls_per_change.BEHAVIOURS))]
    lines += ['| %s | %s | %s | %s |' % (
        row['scenario'], ', '.join(row['start']) or '(nothing)',
        ' | '.join('%d' % row[behaviour]['calls'] for behaviour in calls_per_change.BEHAVIOURS),
        ' / '.join(sorted({'%d' % row[behaviour]['changed'] for behaviour in calls_per_change.BEHAVIOURS})))
        for row in calls]
    lines += ['', '### Requests per case and behaviour', '',
              'In order, as the emulator logged them: `Update` with the groups it sent, `Delete` with the group it '
              'named (`(app)`: the whole app).', '',
              '| case | behaviour | calls | requests |', '|---|---|---|---|']
    lines += ['| %s | %s | %d | %s |' % (row['scenario'], behaviour, row[behaviour]['calls'], row[behaviour]['requests'])
              for row in calls for behaviour in calls_per_change.BEHAVIOURS]
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
              '| import the collection\'s module and its module_utils (relay only) | %.3f |' % startup['collection'],
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
    off, on, bound_off, bound_on, plain_off, plain_on = throughput
    return {
        'title': 'volc_live_relay_source against the emulator (tools/bench_relay_source.py)',
        'measured': measured_on(),
        'rows': [
            {'what': 'API calls: %s (%s)' % (row['scenario'], ' / '.join(calls_per_change.BEHAVIOURS)),
             'result': ' / '.join(['{:d}'] * len(calls_per_change.BEHAVIOURS)),
             'values': [row[behaviour]['calls'] for behaviour in calls_per_change.BEHAVIOURS]} for row in calls
        ] + [
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
            'API calls: each case of `tools/calls_per_change.py` run through `ansible-playbook` on an app of its own '
            'seeded with its start state, under the update behaviours of UpdateRelaySourceV3 the emulator offers (replace: the group list '
            'becomes the one sent; merge: an upsert that changes a sent group where it stands and appends new ones; '
            'merge_first / merge_last: an upsert that puts the sent groups first / last), the first read included. '
            'They equal the table in the module notes and the user guide, which `tools/calls_per_change.py` computes '
            'in-process; the bench stops when they differ.',
            'The full report of a run, with every case\'s requests under each update behaviour, the start-up costs and '
            'the CPU figures, is in `bench/results/relay_source.md` after `make bench`.',
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

    use_collection(args.build_root)

    with tempfile.TemporaryDirectory(prefix='volcengine-bench-') as workdir:
        with harness.Emulator(update_mode='replace', rate_limit=0) as emulator:
            calls = measure_api_calls(emulator, workdir)
            differences = calls_differences(calls, calls_per_change.table())
            if differences:
                print('bench_relay_source: the API calls measured through ansible-playbook differ from '
                      'tools/calls_per_change.py\'s in-process count (the table of the module notes and the guide):\n  '
                      + '\n  '.join(differences), file=sys.stderr)
                return 1
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
