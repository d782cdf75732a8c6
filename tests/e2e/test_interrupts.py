# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ctrl-C on a real ansible-playbook: SIGINT to its process group (the terminal's Ctrl-C) during a many-app
``overridden`` run, and no write may reach the emulator after it."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import signal
import time

from ansible_collections.volcengine.cloud.tests.emulator.harness import Emulator
from ansible_collections.volcengine.cloud.tests.e2e.scenarios import VHOST, api_config, group, playbook, sources_task

APPS = ['app%02d' % number for number in range(30)]
# A write that passed its last check before the signal may still be on its way; nothing may start later than this.
IN_FLIGHT_ALLOWANCE = 0.3


def wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_sigint_to_the_playbook_stops_every_new_write(run_playbook):
    with Emulator(update_mode='replace', rate_limit=0) as emulator:
        emulator.set_state([api_config(app, [group('g', '%s.example.org' % app)]) for app in APPS])
        # Overridden with nothing listed in the vhost: 30 whole-app deletes, paced at 2 per second by the client.
        task = sources_task('Empty the vhost', state='overridden', config=[], vhosts=[VHOST], rate_limit=2)
        process, finish = run_playbook(playbook(task), emulator=emulator, background=True)
        assert wait_for(lambda: len(emulator.write_requests()) >= 3), finish()
        os.killpg(process.pid, signal.SIGINT)
        interrupted_at = time.time()
        run = finish()
        time.sleep(3)  # any write the module still had queued would arrive now (the pace is one per 0.5 s)
        writes = emulator.write_requests()
        late = [entry for entry in writes if entry['time'] > interrupted_at + IN_FLIGHT_ALLOWANCE]
        assert late == [], (late, run)
        assert 3 <= len(writes) < len(APPS)
        assert len(emulator.state()['RelaySourceConfigList']) == len(APPS) - len(writes)
