# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Building blocks of the playbooks the integration tests write: a play, a relay-source task, a group."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import yaml

MODULE = 'volcengine.cloud.volc_live_relay_source'
VHOST = 'push.example.com'


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
