# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""volc_live_relay_source_info in-process with the production client against the emulator over HTTP: an API error,
reads of an empty vhost, every app, one app, one group and a missing group, what was read given back to
volc_live_relay_source (no change), and a read in check mode. (This ran as an ansible-playbook run in
tests/e2e/test_relay_source_info.py before issue 25.)"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import ERROR_ADVICE
from ansible_collections.volcengine.cloud.plugins.modules import volc_live_relay_source as relay_source_module
from ansible_collections.volcengine.cloud.plugins.modules import volc_live_relay_source_info as module
from ansible_collections.volcengine.cloud.tests.unit.http_emulator import DESCRIBE, VHOST


def server(domain, protocol='rtmp', params=None):
    return {'RelaySourceDomain': domain, 'RelaySourceProtocol': protocol, 'RelaySourceParams': params or {}}


STATE = [
    {'Vhost': VHOST, 'App': 'live', 'GroupDetails': [
        {'Group': 'primary', 'Servers': [server('origin-a.example.org'), server('origin-b.example.org:1935')]},
        {'Group': 'backup', 'Servers': [server('203.0.113.10', 'flv', {'domain': 'live.push.net'})]}]},
    {'Vhost': VHOST, 'App': 'events.2026', 'GroupDetails': [
        {'Group': 'keynote', 'Servers': [server('keynote.example.org:8080', 'flv')]}]},
    {'Vhost': 'other.example.com', 'App': 'live', 'GroupDetails': [{'Group': 'x', 'Servers': [server('x.example.org')]}]},
]


def test_info(emulator, run_over_http):
    def read(check_mode=False, **options):
        return run_over_http(module, dict(options, max_retries=0), emulator, check_mode=check_mode)

    emulator.set_state(STATE)
    emulator.inject_fault(kind='error', status=403, code='RequestForbidden.BillingStatus', actions=[DESCRIBE])
    error = read(vhost=VHOST)
    assert error.failed
    assert error.result['error']['code'] == 'RequestForbidden.BillingStatus' and error.result['http_status'] == 403
    assert ERROR_ADVICE['RequestForbidden.BillingStatus'] in error.result['msg'] and error.result['request_id'] in error.result['msg']

    runs = {'Empty vhost': read(vhost='empty.example.com'), 'Every app': read(vhost=VHOST),
            'One app': read(vhost=VHOST, app='events.2026'), 'One group': read(vhost=VHOST, app='live', group='backup'),
            'Missing group': read(vhost=VHOST, app='live', group='nope')}
    assert not any(item.failed for item in runs.values()), runs
    assert runs['Empty vhost'].result['relay_sources'] == []
    every = runs['Every app'].result
    assert every['changed'] is False and len(every['request_ids']) == 1
    assert every['relay_sources'] == [
        {'vhost': VHOST, 'app': 'live', 'groups': [
            {'name': 'primary', 'servers': [{'domain': 'origin-a.example.org', 'protocol': 'rtmp', 'params': {}},
                                            {'domain': 'origin-b.example.org:1935', 'protocol': 'rtmp', 'params': {}}]},
            {'name': 'backup', 'servers': [{'domain': '203.0.113.10', 'protocol': 'flv', 'params': {'domain': 'live.push.net'}}]}]},
        {'vhost': VHOST, 'app': 'events.2026', 'groups': [
            {'name': 'keynote', 'servers': [{'domain': 'keynote.example.org:8080', 'protocol': 'flv', 'params': {}}]}]},
    ]
    assert runs['One app'].result['relay_sources'] == every['relay_sources'][1:]
    assert runs['One group'].result['relay_sources'] == [
        {'vhost': VHOST, 'app': 'live', 'groups': every['relay_sources'][0]['groups'][1:]}]
    assert runs['Missing group'].result['relay_sources'] == []

    round_trip = [run_over_http(relay_source_module, dict(item, max_retries=0), emulator) for item in every['relay_sources']]
    assert [(item.failed, item.result['changed']) for item in round_trip] == [(False, False), (False, False)]
    assert emulator.write_requests() == []
    in_check_mode = read(check_mode=True, vhost=VHOST)
    assert not in_check_mode.failed and in_check_mode.result['relay_sources'] == every['relay_sources']
