# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import json

import pytest
import yaml

from ansible.module_utils import basic
from ansible.module_utils.basic import AnsibleModule

from ansible_collections.volcengine.cloud.plugins.doc_fragments.volcengine import ModuleDocFragment
from ansible_collections.volcengine.cloud.plugins.module_utils import module_support
from ansible_collections.volcengine.cloud.plugins.module_utils.client import VolcengineClient
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineAPIError
from ansible_collections.volcengine.cloud.plugins.module_utils.rate_limit import HostRateLimiter

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    @contextlib.contextmanager
    def patch_module_args(args=None):
        from ansible.module_utils.common.text.converters import to_bytes
        previous = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args or {}}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = previous

ENV_NAMES = ['VOLCENGINE_ACCESS_KEY', 'VOLCENGINE_SECRET_KEY', 'VOLCENGINE_SESSION_TOKEN', 'VOLCENGINE_REGION',
             'VOLCENGINE_ENDPOINT', 'VOLCENGINE_RATE_LIMIT']


class Failed(Exception):
    def __init__(self, kwargs):
        super(Failed, self).__init__(kwargs.get('msg'))
        self.kwargs = kwargs


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


def make_module(args):
    with patch_module_args(args):
        module = AnsibleModule(argument_spec=module_support.volcengine_argument_spec(), supports_check_mode=True)

    def fail_json(**kwargs):
        raise Failed(kwargs)
    module.fail_json = fail_json
    return module


def test_argument_spec_secrets_and_env_fallbacks():
    spec = module_support.volcengine_argument_spec()
    assert spec['access_key']['no_log'] is False
    assert spec['secret_key']['no_log'] is True
    assert spec['session_token']['no_log'] is True
    expected_env = {
        'access_key': 'VOLCENGINE_ACCESS_KEY', 'secret_key': 'VOLCENGINE_SECRET_KEY',
        'session_token': 'VOLCENGINE_SESSION_TOKEN', 'region': 'VOLCENGINE_REGION',
        'endpoint': 'VOLCENGINE_ENDPOINT', 'rate_limit': 'VOLCENGINE_RATE_LIMIT',
    }
    for option, env in expected_env.items():
        assert spec[option]['fallback'][1] == [env]
    for option in spec.values():
        for env in option.get('fallback', (None, []))[1]:
            assert not env.startswith('ANSIBLE_')
    assert spec['region']['default'] == 'cn-north-1'
    assert spec['endpoint']['default'] == 'https://live.volcengineapi.com'
    assert spec['validate_certs'] == {'type': 'bool', 'default': True}
    assert spec['ca_bundle']['type'] == 'path'
    assert spec['max_retries']['default'] == 4
    assert spec['rate_limit']['default'] == 10


def test_spec_returns_a_fresh_copy():
    spec = module_support.volcengine_argument_spec()
    spec['region']['default'] = 'changed'
    assert module_support.volcengine_argument_spec()['region']['default'] == 'cn-north-1'


def test_doc_fragment_documents_exactly_the_spec():
    documentation = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)
    documented = documentation['options']
    spec = module_support.volcengine_argument_spec()
    assert set(documented) == set(spec)
    for name, option in spec.items():
        assert documented[name]['type'] == option['type'], name
        if 'default' in option:
            assert documented[name]['default'] == option['default'], name
        else:
            assert 'default' not in documented[name], name
        env = option.get('fallback', (None, []))[1]
        for variable in env:
            assert variable in ' '.join(documented[name]['description']), name
    assert documentation['requirements'] == ['requests']


def test_environment_fallbacks(monkeypatch):
    monkeypatch.setenv('VOLCENGINE_ACCESS_KEY', 'AKLTenv')
    monkeypatch.setenv('VOLCENGINE_SECRET_KEY', 'env-secret')
    monkeypatch.setenv('VOLCENGINE_SESSION_TOKEN', 'env-token')
    monkeypatch.setenv('VOLCENGINE_REGION', 'cn-beijing')
    monkeypatch.setenv('VOLCENGINE_ENDPOINT', 'http://127.0.0.1:9')
    monkeypatch.setenv('VOLCENGINE_RATE_LIMIT', '0')
    module = make_module({})
    client = module_support.client_from_module(module)
    assert isinstance(client, VolcengineClient)
    assert client.access_key == 'AKLTenv'
    assert client.region == 'cn-beijing'
    assert client.endpoint == 'http://127.0.0.1:9'
    assert client.rate_limiter is None
    assert 'env-secret' in module.no_log_values and 'env-token' in module.no_log_values


def test_options_build_the_client():
    module = make_module({'access_key': 'AK', 'secret_key': 'SK', 'timeout': 5, 'max_retries': 1,
                          'validate_certs': False, 'ca_bundle': '/tmp/ca.pem', 'rate_limit': 3})
    client = module_support.client_from_module(module)
    assert client.timeout == 5.0 and client.max_retries == 1
    assert client.validate_certs is False and client.ca_bundle == '/tmp/ca.pem'
    assert isinstance(client.rate_limiter, HostRateLimiter) and client.rate_limiter.rate == 3.0
    assert client.region == 'cn-north-1'
    assert client.endpoint == 'https://live.volcengineapi.com'
    assert client.request_ids == []


@pytest.mark.parametrize('args, option, env', [
    ({'secret_key': 'SK'}, 'access_key', 'VOLCENGINE_ACCESS_KEY'),
    ({'access_key': 'AK'}, 'secret_key', 'VOLCENGINE_SECRET_KEY'),
    ({}, 'access_key', 'VOLCENGINE_ACCESS_KEY'),
    ({'access_key': '', 'secret_key': 'SK'}, 'access_key', 'VOLCENGINE_ACCESS_KEY'),
])
def test_missing_credentials_fail_before_any_request_naming_option_and_env(monkeypatch, args, option, env):
    def no_client(*_args, **_kwargs):
        raise AssertionError('no client may be built')
    monkeypatch.setattr(module_support, 'VolcengineClient', no_client)
    module = make_module(args)
    with pytest.raises(Failed) as caught:
        module_support.client_from_module(module)
    message = caught.value.kwargs['msg']
    assert option in message and env in message
    assert message.startswith('Missing ')


@pytest.mark.parametrize('option, env, value', [
    ('session_token', 'VOLCENGINE_SESSION_TOKEN', 'STS-token-read-from-a-file\n'),
    ('access_key', 'VOLCENGINE_ACCESS_KEY', u'AKLT\u201cpasted-with-quotes\u201d'),
    ('secret_key', 'VOLCENGINE_SECRET_KEY', 'secret with a space'),
])
def test_malformed_credentials_fail_before_any_request_naming_option_and_env_never_the_value(
        monkeypatch, option, env, value):
    def no_client(*_args, **_kwargs):
        raise AssertionError('no client may be built')
    monkeypatch.setattr(module_support, 'VolcengineClient', no_client)
    monkeypatch.setenv(env, value)
    args = {'access_key': 'AKLTgood', 'secret_key': 'good-secret'}
    args.pop(option, None)
    with pytest.raises(Failed) as caught:
        module_support.client_from_module(make_module(args))
    message = caught.value.kwargs['msg']
    assert message.startswith('%s (or %s) ' % (option, env))
    assert value not in message and value.strip().strip(u'\u201c\u201d') not in message


def test_missing_requests_uses_missing_required_lib(monkeypatch):
    monkeypatch.setattr(module_support, 'HAS_REQUESTS', False)
    monkeypatch.setattr(module_support, 'REQUESTS_IMPORT_ERROR', 'Traceback: no module named requests')
    module = make_module({'access_key': 'AK', 'secret_key': 'SK'})
    with pytest.raises(Failed) as caught:
        module_support.client_from_module(module)
    assert caught.value.kwargs['msg'] == basic.missing_required_lib('requests')
    assert 'requests' in caught.value.kwargs['msg']
    assert caught.value.kwargs['exception'] == 'Traceback: no module named requests'


@pytest.mark.parametrize('args, words', [
    ({'timeout': 0}, 'timeout'),
    ({'max_retries': -1}, 'max_retries'),
    ({'endpoint': 'ftp://example.com'}, 'endpoint'),
])
def test_out_of_range_options_fail_clearly(args, words):
    args = dict({'access_key': 'AK', 'secret_key': 'SK'}, **args)
    module = make_module(args)
    with pytest.raises(Failed) as caught:
        module_support.client_from_module(module)
    assert words in caught.value.kwargs['msg']


def test_fail_from_error_reports_code_message_request_id_status_and_advice():
    module = make_module({'access_key': 'AK', 'secret_key': 'SK'})
    error = VolcengineAPIError('this AccountID does not have permission', action='UpdateRelaySourceV3',
                               code='RequestForbidden.AccountIDNotAllow', http_status=403, request_id='RID-9')
    with pytest.raises(Failed) as caught:
        module_support.fail_from_error(module, error, request_ids=['RID-9'], changed=False)
    result = caught.value.kwargs
    assert result['error'] == {'code': 'RequestForbidden.AccountIDNotAllow',
                               'message': 'this AccountID does not have permission'}
    assert result['request_id'] == 'RID-9'
    assert result['http_status'] == 403
    assert result['request_ids'] == ['RID-9']
    assert result['changed'] is False
    assert 'UpdateRelaySourceV3' in result['msg'] and 'RID-9' in result['msg']
    assert error.advice in result['msg']


def test_fail_from_error_appends_context_after_the_advice():
    module = make_module({'access_key': 'AK', 'secret_key': 'SK'})
    error = VolcengineAPIError('bad', action='UpdateRelaySourceV3', code='InvalidParam', http_status=400, request_id='RID-1')
    with pytest.raises(Failed) as caught:
        module_support.fail_from_error(module, error, 'Already applied: deleted group b.')
    message = caught.value.kwargs['msg']
    assert message.endswith(' Already applied: deleted group b.')
    assert message.index(error.advice) < message.index('Already applied')


def test_request_ids_of():
    class Holder(object):
        request_ids = ['a', 'b']
    ids = module_support.request_ids_of(Holder())
    assert ids == ['a', 'b'] and ids is not Holder.request_ids
    assert module_support.request_ids_of(None) == []
