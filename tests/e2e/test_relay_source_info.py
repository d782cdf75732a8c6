# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""volc_live_relay_source_info through a real ansible-playbook run against the emulator."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import ERROR_ADVICE

VHOST = 'push.example.com'


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


def test_info(emulator_replace, run_playbook):
    emulator = emulator_replace
    emulator.set_state(STATE)
    emulator.inject_fault(kind='error', status=403, code='RequestForbidden.BillingStatus', actions=['DescribeRelaySourceV3'])
    run = run_playbook('relay_source_info.yml', emulator=emulator, extra_vars={'vhost': VHOST}, check=False)
    assert run.failed_count == 1, run

    error = run.task('Error')['result']
    assert error['error']['code'] == 'RequestForbidden.BillingStatus' and error['http_status'] == 403
    assert ERROR_ADVICE['RequestForbidden.BillingStatus'] in error['msg'] and error['request_id'] in error['msg']

    assert run.task('Empty vhost')['result']['relay_sources'] == []
    every = run.task('Every app')['result']
    assert every['changed'] is False and len(every['request_ids']) == 1
    assert every['relay_sources'] == [
        {'vhost': VHOST, 'app': 'live', 'groups': [
            {'name': 'primary', 'servers': [{'domain': 'origin-a.example.org', 'protocol': 'rtmp', 'params': {}},
                                            {'domain': 'origin-b.example.org:1935', 'protocol': 'rtmp', 'params': {}}]},
            {'name': 'backup', 'servers': [{'domain': '203.0.113.10', 'protocol': 'flv', 'params': {'domain': 'live.push.net'}}]}]},
        {'vhost': VHOST, 'app': 'events.2026', 'groups': [
            {'name': 'keynote', 'servers': [{'domain': 'keynote.example.org:8080', 'protocol': 'flv', 'params': {}}]}]},
    ]
    assert run.task('One app')['result']['relay_sources'] == every['relay_sources'][1:]
    assert run.task('One group')['result']['relay_sources'] == [
        {'vhost': VHOST, 'app': 'live', 'groups': every['relay_sources'][0]['groups'][1:]}]
    assert run.task('Missing group')['result']['relay_sources'] == []

    round_trip = run.task('Round trip')
    assert round_trip['status'] == 'ok' and [item['changed'] for item in round_trip['result']['results']] == [False, False]
    assert emulator.write_requests() == []
    assert run.task('Read in check mode')['result']['relay_sources'] == every['relay_sources']
