# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""volc_live_scheduled_relay_sources through ansible-playbook against the emulator over HTTP: its EXAMPLES as written
(their windows are in June 2030: past that, the module refuses them as ended and this test says so), and times as
YAML reads them unquoted."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast
import datetime
import pathlib
import time

import yaml

from ansible_collections.volcengine.cloud.tests.e2e.scenarios import playbook

MODULE = 'volcengine.cloud.volc_live_scheduled_relay_sources'
DOMAIN = 'pull.example.com'


def _examples():
    path = pathlib.Path(__file__).resolve().parents[2] / 'plugins' / 'modules' / 'volc_live_scheduled_relay_sources.py'
    for node in ast.parse(path.read_text(encoding='utf-8')).body:
        if isinstance(node, ast.Assign) and node.targets[0].id == 'EXAMPLES':
            return yaml.safe_load(node.value.value)
    raise AssertionError('no EXAMPLES in %s' % path)


def test_examples_run_and_a_rerun_changes_nothing(emulator_replace, run_playbook):
    assert time.time() < 1907748000, 'the EXAMPLES windows (15 June 2030) have ended: move them to a date to come'
    emulator = emulator_replace
    emulator.set_scheduled_relays([{'Domain': DOMAIN, 'App': 'live', 'Stream': 'old',
                                    'SrcAddrS': ['rtmp://origin-a.example.com/live/old']}])
    review_data = [{'domain': DOMAIN, 'app': 'live', 'stream': 'channel-1',
                    'origins': ['srt://origin-a.example.com:9000?streamid=channel-1']}]
    run = run_playbook(playbook(*_examples()), emulator=emulator, extra_vars={'scheduled_relays': review_data})
    assert run.rc == 0 and run.failed_count == 0, run
    created = run.task('Pull the final on 15 June 2030 from 18:00 to 23:30 Beijing time, and channel-1 permanently')
    assert created['status'] == 'changed'
    assert created['result']['summary'] == '%s: created 2 (live/final, live/channel-1)' % DOMAIN  # 'old' is not listed
    review = run.task('Make pull.example.com hold exactly these streams (every other stream of it is deleted); review first')
    assert review['status'] == 'changed'
    assert review['result']['summary'] == '%s: would delete 2 (live/old, live/final), unchanged 1' % DOMAIN
    gathered = dict((item['stream'], item) for item in run.task('Read every stream of a domain')['result']['gathered'])
    assert sorted(gathered) == ['channel-1', 'final', 'old']  # the two creates ran concurrently: either came first
    assert gathered['final']['start'] == '2030-06-15T10:00:00Z' and gathered['final']['end'] == '2030-06-15T15:30:00Z'
    assert 'start' not in gathered['channel-1']
    assert run.task('Feed what was read back (reports no change)')['status'] == 'ok'
    assert run.task('Stop pulling one stream')['status'] == 'changed'
    rendered = run.task('Show the API requests a configuration maps to (a window in Unix seconds), without credentials '
                        'or network')['result']['rendered']
    assert rendered[0]['body']['StartTime'] == 1907834400 and rendered[0]['action'] == 'CreateRelaySourceV4'
    assert sorted(entry['Stream'] for entry in emulator.scheduled_relays(DOMAIN)) == ['channel-1', 'old']
    assert all(entry['signature_valid'] for entry in emulator.requests())

    emulator.clear_requests()
    again = run_playbook(playbook(*_examples()[:1]), emulator=emulator)
    assert again.rc == 0 and again.changed_count == 1, again  # the final, deleted by the example, comes back
    again = run_playbook(playbook(*_examples()[:1]), emulator=emulator)
    assert again.rc == 0 and again.changed_count == 0, again


UNQUOTED_TIMES = """
- name: Times as YAML reads them unquoted
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: With an offset
      %(module)s:
        config:
          - domain: %(domain)s
            app: live
            stream: final
            origins: [rtmp://o.example.com/live/final]
            start: 2030-06-15 18:00:00+08:00
            end: 2030-06-15T23:30:00+08:00

    - name: Without an offset
      %(module)s:
        config:
          - domain: %(domain)s
            app: live
            stream: other
            origins: [rtmp://o.example.com/live/final]
            start: 2030-06-15T18:00:00
            end: 2030-06-15T23:30:00
      ignore_errors: true
""" % {'module': MODULE, 'domain': DOMAIN}


def test_an_unquoted_yaml_timestamp_with_an_offset_is_read_and_one_without_is_refused(emulator_replace, run_playbook):
    assert isinstance(yaml.safe_load(UNQUOTED_TIMES)[0]['tasks'][0][MODULE]['config'][0]['start'], datetime.datetime)
    run = run_playbook(UNQUOTED_TIMES, emulator=emulator_replace)
    assert run.rc == 0, run
    assert run.task('With an offset')['status'] == 'changed'
    assert [(entry['StartTime'], entry['EndTime']) for entry in emulator_replace.scheduled_relays(DOMAIN)] == [
        (1907748000, 1907767800)]
    refused = run.task('Without an offset')
    assert refused['status'] == 'failed' and refused['result']['path'] == 'config[0].start'
    assert 'has no UTC offset' in refused['result']['msg']
