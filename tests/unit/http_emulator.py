# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The unit tests' API over HTTP: a module's main() run in-process with the production client (signing, retries,
timeouts, the answer checks), against the emulator (tests/emulator/harness.py) or a hostile loopback server.

    result = run_module_over_http(capsys, volc_live_relay_source, {'vhost': VHOST, 'app': 'live', 'groups': [...]},
                                  emulator)
    result.result, result.failed, result.sleeps

It is what an ansible-playbook task does, less Ansible's process around the module: the tests that need that
process (output at -vvvv, forks, interrupts, the printed diff, the documented playbooks) stay in tests/e2e. The
client's backoff sleeps are recorded (``sleeps``) instead of slept; the emulator's delays and the client's timeouts
are real.

The emulator of these tests accepts only KEYS, three distinctive credentials: ``assert_no_secret`` fails on any
text holding the secret key, the session token or a signature (tests/e2e checks ansible-playbook's output with it).
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re
import types

import pytest

from unittest import mock

from ansible_collections.volcengine.cloud.plugins.module_utils import module_support
from ansible_collections.volcengine.cloud.plugins.module_utils.client import VolcengineClient
from ansible_collections.volcengine.cloud.tests.emulator.api_model import DEFAULT_SETTINGS
from ansible_collections.volcengine.cloud.tests.emulator.harness import Emulator
from ansible_collections.volcengine.cloud.tests.unit.module_args import patch_module_args

VHOST = 'push.example.com'
DESCRIBE, UPDATE, DELETE = 'DescribeRelaySourceV3', 'UpdateRelaySourceV3', 'DeleteRelaySourceV3'

KEYS = {'access_key': 'AKLTdistinctiveKEY0001', 'secret_key': 'SeCrEt-zebra-quartz-9917',
        'session_token': 'STStoken-marmalade-4411'}
_HEX64 = re.compile(r'\b[0-9a-f]{64}\b')


def assert_no_secret(text):
    """``text`` holds neither KEYS' secret key nor their session token, nor anything of a signature."""
    assert KEYS['secret_key'] not in text
    assert KEYS['session_token'] not in text
    assert 'Signature=' not in text
    assert 'Authorization:' not in text
    assert 'HMAC-SHA256 Credential=' not in text
    assert not _HEX64.search(text), 'a 64-hex string (a signature or signing hash) reached the output'


def emulator_with_keys(**options):
    """A harness.Emulator (not started) that accepts only KEYS, without throttling unless ``options`` say so."""
    options.setdefault('rate_limit', 0)
    return Emulator(credentials=[KEYS], **options)


def reset(emulator, update_mode='replace'):
    """``emulator`` as a fresh one: no configuration, fault or logged request, the default settings (no throttling)."""
    emulator.clear_faults()
    emulator.settings(**dict(DEFAULT_SETTINGS, rate_limit=0, update_mode=update_mode))
    emulator.set_state([])
    emulator.clear_requests()
    return emulator


def loopback_endpoint(server):
    """A hostile_server.HostileServer as an endpoint for run_module_over_http (KEYS as the credentials)."""
    return types.SimpleNamespace(url=server.url, **KEYS)


class ModuleRun(object):
    def __init__(self, exit_code, result, sleeps):
        self.exit_code = exit_code
        self.result = result
        self.failed = bool(result.get('failed'))
        self.sleeps = sleeps

    def __repr__(self):
        return 'ModuleRun(exit_code=%r, result=%s)' % (self.exit_code, json.dumps(self.result, indent=1, default=str))


def run_module_over_http(capsys, module, args, endpoint, check_mode=False, diff=False):
    """Run ``module``'s main() with ``args`` against ``endpoint`` (the emulator, or loopback_endpoint(...)): its URL
    and credentials are the connection options, the client-side rate limit is off unless ``args`` set it. Every
    result is checked with assert_no_secret."""
    module_args = dict(endpoint=endpoint.url, access_key=endpoint.access_key, secret_key=endpoint.secret_key,
                       session_token=endpoint.session_token, rate_limit=0, _ansible_check_mode=check_mode,
                       _ansible_diff=diff)
    module_args.update(args)
    sleeps = []

    class RecordingSleepClient(VolcengineClient):
        def __init__(self, *arguments, **options):
            options['sleep'] = sleeps.append
            super(RecordingSleepClient, self).__init__(*arguments, **options)

    capsys.readouterr()
    with patch_module_args(module_args), mock.patch.object(module_support, 'VolcengineClient', RecordingSleepClient):
        with pytest.raises(SystemExit) as exited:
            module.main()
    output = capsys.readouterr().out
    assert_no_secret(output)
    return ModuleRun(exited.value.code, json.loads(output), sleeps)


# --- the API's shape, and what the emulator logged -------------------------------------------------------------

def group(name, *domains, **server_options):
    """A group as the modules take it; without domains, one server ``<name>.example.org``."""
    return {'name': name, 'servers': [dict(domain=domain, **server_options) for domain in (domains or (name + '.example.org',))]}


def api_config(app, groups, vhost=VHOST):
    """The emulator's (the API's) shape of ``vhost``/``app`` holding ``groups`` given as the modules take them."""
    return {'Vhost': vhost, 'App': app, 'GroupDetails': [
        {'Group': item['name'], 'Servers': [{'RelaySourceDomain': server['domain'],
                                             'RelaySourceProtocol': server.get('protocol', 'rtmp'),
                                             'RelaySourceParams': server.get('params', {})} for server in item['servers']]}
        for item in groups]}


def group_names(emulator, app='live', vhost=VHOST):
    """The emulator's group names of ``vhost``/``app``, in order; [] when the app has no configuration."""
    for config in emulator.state()['RelaySourceConfigList']:
        if config['Vhost'] == vhost and config['App'] == app:
            return [detail['Group'] for detail in config['GroupDetails']]
    return []


def server_domains(emulator, app, group_name):
    """The emulator's server domains of group ``group_name`` of VHOST/``app``, in order; None when there is no such
    group."""
    for config in emulator.state()['RelaySourceConfigList']:
        if config['App'] == app:
            for detail in config['GroupDetails']:
                if detail['Group'] == group_name:
                    return [server['RelaySourceDomain'] for server in detail['Servers']]
    return None


def calls_of(log, result):
    """The emulator log entries of one module result, as (action, body), via the request_ids it returned."""
    ids = set(result.get('request_ids') or [])
    return [(item['action'], item['body']) for item in log if item['request_id'] in ids]


def actions_of(log, result):
    return [action for action, _body in calls_of(log, result)]
