# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module-level units for volc_live_relay_source_info against the emulator's model of the API, in-process."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import ERROR_ADVICE
from ansible_collections.volcengine.cloud.plugins.modules import volc_live_relay_source as relay_module
from ansible_collections.volcengine.cloud.plugins.modules import volc_live_relay_source_info as module
from ansible_collections.volcengine.cloud.tests.unit.model_client import app_config, model_client
from ansible_collections.volcengine.cloud.tests.unit.odd_answers import ODD_DESCRIBE_RESULTS

VHOST = 'push.example.com'


def group(name, protocol='rtmp', params=None):
    return {'name': name, 'servers': [{'domain': '%s.example.org:1935' % name, 'protocol': protocol, 'params': params or {}}]}


def three_apps():
    return model_client([
        app_config(VHOST, 'live', [group('a'), group('b', 'flv', {'domain': 'x'})]),
        app_config(VHOST, 'sports', [group('s')]),
        app_config('other.example.com', 'live', [group('o')]),
    ])


def test_whole_vhost(run_module):
    api = three_apps()
    run = run_module(module, {'vhost': VHOST}, api)
    assert run.result['changed'] is False
    assert run.result['relay_sources'] == [
        {'vhost': VHOST, 'app': 'live', 'groups': [group('a'), group('b', 'flv', {'domain': 'x'})]},
        {'vhost': VHOST, 'app': 'sports', 'groups': [group('s')]},
    ]
    assert api.calls == [('DescribeRelaySourceV3', {'Vhost': VHOST})]
    assert run.result['request_ids'] == ['req-1']


def test_one_app_and_one_group(run_module):
    api = three_apps()
    assert run_module(module, {'vhost': VHOST, 'app': 'sports'}, api).result['relay_sources'] == [
        {'vhost': VHOST, 'app': 'sports', 'groups': [group('s')]}]
    run = run_module(module, {'vhost': VHOST, 'app': 'live', 'group': 'b'}, api)
    assert run.result['relay_sources'] == [{'vhost': VHOST, 'app': 'live', 'groups': [group('b', 'flv', {'domain': 'x'})]}]
    assert api.calls[-1] == ('DescribeRelaySourceV3', {'Vhost': VHOST, 'App': 'live', 'Group': 'b'})
    assert run_module(module, {'vhost': VHOST, 'app': 'live', 'group': 'zz'}, api).result['relay_sources'] == []


def test_group_requires_app(run_module):
    api = three_apps()
    run = run_module(module, {'vhost': VHOST, 'group': 'b'}, api)
    assert run.failed and 'app' in run.result['msg'] and api.calls == []


def test_empty_vhost_and_not_found(run_module):
    api = model_client()
    assert run_module(module, {'vhost': VHOST}, api).result['relay_sources'] == []
    api.settings(empty_describe='notfound')
    assert run_module(module, {'vhost': VHOST}, api).result['relay_sources'] == []
    api.settings(empty_describe='missing')
    assert run_module(module, {'vhost': VHOST}, api).result['relay_sources'] == []


def test_check_mode_supported(run_module):
    assert run_module(module, {'vhost': VHOST}, three_apps(), check_mode=True).result['relay_sources']


def test_error(run_module):
    api = three_apps()
    api.inject_fault(kind='error', code='RequestForbidden.BillingStatus', status=403)
    run = run_module(module, {'vhost': VHOST}, api)
    assert run.failed and ERROR_ADVICE['RequestForbidden.BillingStatus'] in run.result['msg']
    assert run.result['request_ids'] == ['req-1'] and run.result['error']['code'] == 'RequestForbidden.BillingStatus'


def test_bad_vhost_makes_no_call(run_module):
    api = three_apps()
    run = run_module(module, {'vhost': 'https://push.example.com'}, api)
    assert run.failed and run.result['path'] == 'vhost' and api.calls == []


def test_round_trip_reports_no_change(run_module):
    api = three_apps()
    sources = run_module(module, {'vhost': VHOST}, api).result['relay_sources']
    api.clear_requests()
    for source in sources:
        run = run_module(relay_module, source, api)
        assert run.result['changed'] is False
    assert api.writes() == []


@pytest.mark.parametrize('result, path', [case[1:] for case in ODD_DESCRIBE_RESULTS], ids=[case[0] for case in ODD_DESCRIBE_RESULTS])
def test_odd_answer_is_a_clean_failure(run_module, result, path):
    api = three_apps()
    api.inject_fault(kind='result', result=result, actions=['DescribeRelaySourceV3'])
    run = run_module(module, {'vhost': VHOST}, api)
    assert run.failed and run.result['error']['code'] == 'InvalidResponse'
    assert run.result['msg'].startswith('DescribeRelaySourceV3 failed: InvalidResponse: %s ' % path)
    assert run.result['request_id'] == 'req-1' and 'RequestId req-1' in run.result['msg']
    # no relay_sources on failure: a play that ignores the error must not read "nothing configured"
    assert run.result['http_status'] == 200 and 'relay_sources' not in run.result


@pytest.mark.parametrize('options, path', [({'app': 'live\n'}, 'app'), ({'app': 'live', 'group': 'a\x1b[2J'}, 'group'),
                                           ({'vhost': 'push.example.com\r'}, 'vhost')])
def test_bad_filters_make_no_call(run_module, options, path):
    api = three_apps()
    arguments = {'vhost': VHOST}
    arguments.update(options)
    run = run_module(module, arguments, api)
    assert run.failed and run.result['path'] == path and api.calls == []


@pytest.mark.parametrize('wide_app', ['', '*'])
def test_a_vhost_wide_configuration_is_returned_apart_and_the_round_trip_holds(run_module, wide_app):
    """The entry volc_live_relay_sources returns as vhost_wide is returned apart here too, so re-applying every entry
    of relay_sources changes nothing (the documented round trip)."""
    api = three_apps()
    wide = {'Vhost': VHOST, 'App': wide_app, 'GroupDetails': [
        {'Group': 'wide', 'Servers': [{'RelaySourceDomain': 'wide.example.org', 'RelaySourceProtocol': 'rtmp'}]}]}
    api.model.configs.append(wide)
    run = run_module(module, {'vhost': VHOST}, api)
    assert [entry['app'] for entry in run.result['vhost_wide']] == [wide_app]
    assert wide_app not in [entry['app'] for entry in run.result['relay_sources']] and run.result['relay_sources']
    api.clear_requests()
    for entry in run.result['relay_sources']:
        again = run_module(relay_module, dict(entry), api)
        assert not again.failed and again.result['changed'] is False, entry
    assert api.writes() == []
