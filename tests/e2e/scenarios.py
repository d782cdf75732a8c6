# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Building blocks of the end-to-end tests and the benchmarks: the playbooks and inventories they write (a play, a
relay-source task, one host per app) and the API's shape of what they seed and read (a group, an app's
configuration), the latter from tests/unit/http_emulator.py."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import yaml

# The API's shape and the emulator's state, as the in-process tests over HTTP read them: re-exported for the tests
# here and for tools/bench_relay_source*.py, which build their scenarios from this module
from ansible_collections.volcengine.cloud.tests.unit.http_emulator import (  # noqa: F401  pylint: disable=unused-import
    VHOST, api_config, group, group_names, server_domains)

MODULE = 'volcengine.cloud.volc_live_relay_source'
SOURCES_MODULE = 'volcengine.cloud.volc_live_relay_sources'


def playbook(*tasks, **play_options):
    """One play on localhost (or ``hosts=...``) running ``tasks``, as YAML."""
    play = {'name': 'Relay source scenario', 'hosts': 'localhost', 'connection': 'local', 'gather_facts': False,
            'tasks': list(tasks)}
    play.update(play_options)
    return yaml.safe_dump([play], sort_keys=False)


def relay_task(name='Apply relay source', ignore_errors=False, **options):
    """A volc_live_relay_source task on VHOST/live; ``options`` are module options."""
    arguments = {'vhost': VHOST, 'app': 'live'}
    arguments.update(options)
    task = {'name': name, MODULE: arguments}
    if ignore_errors:
        task['ignore_errors'] = True
    return task


def sources_task(name, task_options=None, **options):
    """A volc_live_relay_sources task; ``options`` are module options, ``task_options`` task keywords (check_mode,
    diff, register, ignore_errors, ...)."""
    task = {'name': name, SOURCES_MODULE: options}
    task.update(task_options or {})
    return task


def app_entry(app, groups=None, vhost=VHOST):
    """A ``config`` entry of volc_live_relay_sources (``groups`` None: left out)."""
    entry = {'vhost': vhost, 'app': app}
    if groups is not None:
        entry['groups'] = groups
    return entry


def app_hosts(apps):
    """An inventory with one local host per app name, for a play on ``hosts: all`` running per_app_task."""
    return ''.join('%s ansible_connection=local\n' % app for app in apps)


def per_app_task():
    """A relay-source task that gives the app named after the host one group ``primary`` pulling from
    ``<app>-origin.example.org``; with app_hosts, every fork configures its own app."""
    return {'name': 'Apply relay source per app', MODULE: {
        'vhost': VHOST, 'app': '{{ inventory_hostname }}', 'groups': [group('primary', '{{ inventory_hostname }}-origin.example.org')]}}
