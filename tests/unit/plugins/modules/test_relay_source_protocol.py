# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``protocol`` of an origin server, through both relay-source modules: any case is accepted (and sent and
stored in lower case, so a rerun in another case changes nothing); anything else fails before any call with a
message that starts with the option's path, as every other validation message does. Ansible's ``choices`` check
used to refuse ``RTMP`` without the path."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.volcengine.cloud.plugins.modules import volc_live_relay_source as single_module
from ansible_collections.volcengine.cloud.plugins.modules import volc_live_relay_sources as many_module
from ansible_collections.volcengine.cloud.tests.unit.model_client import ModelAPI, app_config, groups_of, model_client
from ansible_collections.volcengine.cloud.tests.unit.plugins.modules.test_volc_live_relay_sources import entry

VHOST, APP = 'push.example.com', 'live'
PROTOCOL_RULE = 'must be one of rtmp, flv (in any case), got '


def servers(*protocols, **options):
    key = options.get('key', 'protocol')
    return [{'domain': 'o%d.example.org' % index, key: protocol} for index, protocol in enumerate(protocols)]


def stored_protocols(api_client, app=APP):
    return [server['RelaySourceProtocol'] for group in groups_of(api_client, VHOST, app) for server in group['Servers']]


# -- volc_live_relay_source -------------------------------------------------------------------------------

@pytest.mark.parametrize('key', ['protocol', 'relay_source_protocol'])
def test_single_app_accepts_any_case_sends_lower_case_and_a_rerun_in_another_case_is_unchanged(run_module, key):
    api = model_client()
    groups = [{'name': 'primary', 'servers': servers('RTMP', 'Flv', key=key)}]
    run = run_module(single_module, dict(vhost=VHOST, app=APP, groups=groups), api)
    assert not run.failed and run.result['changed'] is True, run.result.get('msg')
    assert stored_protocols(api) == ['rtmp', 'flv']
    assert [server['protocol'] for server in run.result['relay_source']['groups'][0]['servers']] == ['rtmp', 'flv']

    api.clear_requests()
    lower = [{'name': 'primary', 'servers': servers('rtmp', 'FLV')}]
    again = run_module(single_module, dict(vhost=VHOST, app=APP, groups=lower), api)
    assert again.result['changed'] is False
    assert [call[0] for call in api.calls] == ['DescribeRelaySourceV3']


@pytest.mark.parametrize('protocol', ['hls', 'HLS', 'rtmps', 'webrtc'])
@pytest.mark.parametrize('state', ['present', 'absent'])
def test_single_app_refuses_another_protocol_naming_its_path_before_any_call(run_module, protocol, state):
    api = model_client([app_config(VHOST, APP, [{'name': 'primary', 'servers': servers('rtmp')}])])
    groups = [{'name': 'primary', 'servers': servers('rtmp')}, {'name': 'backup', 'servers': servers('flv', protocol)}]
    run = run_module(single_module, dict(vhost=VHOST, app=APP, groups=groups, state=state), api)
    path = 'groups[1].servers[1].protocol'
    assert run.failed and run.result['msg'] == '%s: %s%r' % (path, PROTOCOL_RULE, protocol)
    assert run.result['path'] == path
    assert api.calls == [] and not run.client_built


# -- volc_live_relay_sources ------------------------------------------------------------------------------

@pytest.fixture
def run_many(run_module):
    def run_task(api, **args):
        return run_module(many_module, args, client_factory=api.factory)
    return run_task


def test_many_apps_accept_any_case_and_send_lower_case(run_many):
    api = ModelAPI()
    config = [entry(APP, [{'name': 'primary', 'servers': servers('RTMP', 'fLV')}]),
              entry('sports', [{'name': 'primary', 'servers': servers('Flv')}])]
    run = run_many(api, config=config)
    assert not run.failed and run.result['changed'] is True, run.result.get('msg')
    assert stored_protocols(api.view) == ['rtmp', 'flv'] and stored_protocols(api.view, 'sports') == ['flv']

    api.view.clear_requests()
    again = run_many(api, config=[entry(APP, [{'name': 'primary', 'servers': servers('rtmp', 'flv')}]),
                                  entry('sports', [{'name': 'primary', 'servers': servers('FLV')}])])
    assert again.result['changed'] is False
    assert [call[0] for call in api.view.calls] == ['DescribeRelaySourceV3']


@pytest.mark.parametrize('protocol', ['hls', 'Rtmps'])
def test_many_apps_refuse_another_protocol_naming_config_and_its_path_before_any_call(run_many, protocol):
    api = ModelAPI()
    config = [entry(APP, [{'name': 'primary', 'servers': servers('rtmp')}]),
              entry('sports', [{'name': 'primary', 'servers': servers('flv')}, {'name': 'backup', 'servers': servers(protocol)}])]
    run = run_many(api, config=config)
    path = 'config[1].groups[1].servers[0].protocol'
    assert run.failed and run.result['msg'] == '%s: %s%r' % (path, PROTOCOL_RULE, protocol)
    assert run.result['path'] == path
    assert api.view.calls == [] and api.clients == []


def test_many_apps_first_entry_path_as_the_issue_names_it(run_many):
    api = ModelAPI()
    run = run_many(api, config=[entry(APP, [{'name': 'primary', 'servers': servers('hls')}])])
    assert run.failed and run.result['msg'].startswith('config[0].groups[0].servers[0].protocol: ')
    assert api.view.calls == []
