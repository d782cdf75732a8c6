# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Two controllers on one account, as on two AWX execution nodes: each client-side limiter coordinates only its own
forks, so together they offer the API up to twice its rate, and the retries must absorb the 429s that follow.

Both playbooks run at once against one emulator that allows 10 requests/second per access key, each with 20 forks
and its own TMPDIR (its own limiter directory: each believes it is alone), default max_retries. The test asserts
correctness only; the number of 429s is printed and written to <build root>/results/two_controllers.json for
people (the user guide's sizing advice quotes it)."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import concurrent.futures
import json
import os
import shlex
import time

from ansible_collections.volcengine.cloud.tests.emulator.harness import Emulator
from ansible_collections.volcengine.cloud.tests.e2e.conftest import COLLECTIONS_ROOT
from ansible_collections.volcengine.cloud.tests.e2e.scenarios import (
    app_hosts, per_app_task, playbook, server_domains)

API_RATE = 10
FORKS = 20
CONTROLLERS = {name: ['%s-app%02d' % (name, number) for number in range(FORKS)] for name in ('node-a', 'node-b')}


def start_together(ready, gate):
    """A task that makes a play start its real work only once every controller is ready: on a small machine one
    ansible-playbook may otherwise be done before the other has started. It says this controller is ready and waits
    for the gate in one module, polling every 0.05 s for up to 120 s, so that "ready" means "already waiting": with a
    task for each, a controller still starting its wait (a second of module start-up on a busy machine) set off
    seconds after the other, which could then be done first."""
    script = 'touch %s && for attempt in $(seq 2400); do [ -e %s ] && exit 0; sleep 0.05; done; exit 1' % (
        shlex.quote(str(ready)), shlex.quote(str(gate)))
    return [{'name': 'Say this controller is ready and wait for the others', 'ansible.builtin.shell': script,
             'run_once': True}]


def open_gate_when_ready(ready_files, gate, runs):
    deadline = time.monotonic() + 120
    while not all(path.exists() for path in ready_files):
        assert time.monotonic() < deadline and not any(run.done() for run in runs), 'a controller never became ready'
        time.sleep(0.05)
    gate.touch()


def run_both_controllers(run_playbook, workdir):
    """Both playbooks at once against a fresh emulator; ({name: (run, its TMPDIR)}, the request log), with every
    app checked in the emulator's state."""
    workdir.mkdir()
    with Emulator(update_mode='replace', rate_limit=API_RATE) as api:
        gate = workdir / 'gate'

        def controller(name):
            temporary = workdir / ('tmp-' + name)
            temporary.mkdir()
            tasks = start_together(workdir / ('ready-' + name), gate) + [per_app_task()]
            run = run_playbook(playbook(*tasks, hosts='all'), emulator=api, forks=FORKS,
                               inventory=app_hosts(CONTROLLERS[name]),
                               env={'TMPDIR': str(temporary), 'VOLCENGINE_RATE_LIMIT': str(API_RATE)})
            return run, temporary

        with concurrent.futures.ThreadPoolExecutor(len(CONTROLLERS)) as pool:
            started = {name: pool.submit(controller, name) for name in CONTROLLERS}
            open_gate_when_ready([workdir / ('ready-' + name) for name in CONTROLLERS], gate, started.values())
            finished = {name: future.result() for name, future in started.items()}
        log = api.requests()

        for name, (run, temporary) in finished.items():
            assert run.rc == 0, run
            assert (run.failed_count, run.changed_count) == (0, FORKS + 1), run  # + the gate's shell task
            # Each controller's forks shared one window of their own, in their own TMPDIR.
            limiter_directory = temporary / ('volcengine-cloud-%d' % os.getuid())
            assert [path.name.startswith('rate-') for path in limiter_directory.iterdir()] == [True], name
            for app in CONTROLLERS[name]:
                assert server_domains(api, app, 'primary') == ['%s-origin.example.org' % app], app
    return finished, log


def request_spans(log):
    """{controller: (first, last request time)} from the emulator's request log."""
    spans = {}
    for name, apps in CONTROLLERS.items():
        times = [entry['time'] for entry in log if isinstance(entry['body'], dict) and entry['body'].get('App') in apps]
        spans[name] = (min(times), max(times))
    return spans


def overlap(spans):
    return min(end for start, end in spans.values()) - max(start for start, end in spans.values())


# On a loaded 2-core machine one controller's forks can still finish before the other's start, even behind the
# gate (wait_for polls once a second); such a run proves nothing about sharing the API, so it is run again.
ATTEMPTS_TO_OVERLAP = 3


def test_two_controllers_with_their_own_limiters_end_with_every_app_correct(run_playbook, tmp_path):
    for attempt in range(1, ATTEMPTS_TO_OVERLAP + 1):
        finished, log = run_both_controllers(run_playbook, tmp_path / ('attempt%d' % attempt))
        spans = request_spans(log)
        if overlap(spans) > 0:
            break
    # Not a timing assertion: only that the two runs did overlap, without which the test would prove nothing.
    assert overlap(spans) > 0, 'the two controllers never ran at the same time in %d attempts: %s' % (attempt, spans)

    throttled = [entry for entry in log if entry['http_status'] == 429]
    report = {
        'api_rate': API_RATE, 'controllers': len(CONTROLLERS), 'forks_each': FORKS, 'client_rate_limit_each': API_RATE,
        'requests': len(log), 'throttled_429': len(throttled),
        'successful': sum(1 for entry in log if entry['http_status'] == 200),
        'overlap_seconds': overlap(spans), 'attempts': attempt,
        'api_busy_seconds': max(end for start, end in spans.values()) - min(start for start, end in spans.values()),
        'failed_tasks': sum(run.failed_count for run, temporary in finished.values()),
    }
    print('\ntwo controllers sharing one account: %s' % json.dumps(report, sort_keys=True))
    results = COLLECTIONS_ROOT / 'results'
    results.mkdir(exist_ok=True)
    (results / 'two_controllers.json').write_text(json.dumps(report, indent=2, sort_keys=True) + '\n', encoding='utf-8')
