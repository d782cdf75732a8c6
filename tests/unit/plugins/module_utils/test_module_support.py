# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import tempfile

import pytest
import yaml

from ansible.module_utils import basic
from ansible.module_utils.basic import AnsibleModule

from ansible_collections.volcengine.cloud.plugins.doc_fragments.volcengine import ModuleDocFragment
from ansible_collections.volcengine.cloud.plugins.module_utils import module_support
from ansible_collections.volcengine.cloud.plugins.module_utils.client import VolcengineClient
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineAPIError
from ansible_collections.volcengine.cloud.plugins.module_utils.rate_limit import HostRateLimiter
from ansible_collections.volcengine.cloud.tests.unit.module_args import patch_module_args

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
        reader = module_support.number_from_environment if option == 'rate_limit' else module_support.env_fallback_ignoring_empty
        assert spec[option]['fallback'] == (reader, [env])
    numeric = [option for option, entry in spec.items() if entry['type'] in ('int', 'float')]
    assert [option for option in numeric if 'fallback' in spec[option]] == ['rate_limit']
    for option in spec.values():
        for env in option.get('fallback', (None, []))[1]:
            assert not env.startswith('ANSIBLE_')
    assert spec['region']['default'] == 'cn-north-1'
    assert spec['endpoint']['default'] == 'https://live.volcengineapi.com'
    assert spec['validate_certs'] == {'type': 'bool', 'default': True}
    assert spec['ca_bundle']['type'] == 'path'
    assert spec['max_retries']['default'] == 4
    assert spec['timeout']['default'] == 30
    assert spec['rate_limit']['type'] == 'float' and spec['rate_limit']['default'] == 10


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


def test_the_spec_defaults_reach_the_client_unchanged():
    client = module_support.client_from_module(make_module({'access_key': 'AK', 'secret_key': 'SK'}))
    spec = module_support.volcengine_argument_spec()
    assert (client.timeout, client.max_retries, client.rate_limiter.rate) == (
        spec['timeout']['default'], spec['max_retries']['default'], spec['rate_limit']['default'])
    assert (client.region, client.endpoint, client.validate_certs) == (
        spec['region']['default'], spec['endpoint']['default'], spec['validate_certs']['default'])


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


# --- numeric options: finite and in the documented range, or a clear failure before any request ------------

@pytest.fixture
def no_client(monkeypatch):
    """Nothing may be built: a failing option must stop the module before any client or limiter exists."""
    def refuse(*_args, **_kwargs):
        raise AssertionError('no client or limiter may be built')
    monkeypatch.setattr(module_support, 'VolcengineClient', refuse)
    monkeypatch.setattr(module_support, 'HostRateLimiter', refuse)


def failure_message(args):
    module = make_module(dict({'access_key': 'AK', 'secret_key': 'SK'}, **args))
    with pytest.raises(Failed) as caught:
        module_support.client_from_module(module)
    assert 'exception' not in caught.value.kwargs
    return caught.value.kwargs['msg']


@pytest.mark.parametrize('option, value, words', [
    ('timeout', float('inf'), 'from 0.1 to 3600, got inf'),
    ('timeout', 'inf', 'from 0.1 to 3600, got inf'),
    ('timeout', float('nan'), 'from 0.1 to 3600, got nan'),
    ('timeout', float('-inf'), 'got -inf'),
    ('timeout', 0, 'got 0.0'),
    ('timeout', -5, 'got -5.0'),
    ('timeout', 0.05, 'got 0.05'),
    ('timeout', 3601, 'got 3601.0'),
    ('max_retries', -1, 'a whole number from 0 to 20, got -1'),
    ('max_retries', 21, 'got 21'),
    ('max_retries', 10 ** 12, 'got 1000000000000'),
    ('rate_limit', float('inf'), 'requests per second from 0.1 to 1000, got inf'),
    ('rate_limit', 'nan', 'got nan'),
    ('rate_limit', float('-inf'), 'got -inf'),
    ('rate_limit', -1, 'got -1.0'),
    ('rate_limit', 0.05, 'got 0.05'),
    ('rate_limit', 1000.5, 'got 1000.5'),
], ids=str)
def test_numeric_option_out_of_range_fails_naming_it_before_any_request(no_client, option, value, words):
    message = failure_message({option: value})
    assert message.startswith(option + ' must be '), message
    assert words in message, message


@pytest.mark.parametrize('args', [
    {'timeout': 0.1}, {'timeout': 3600}, {'max_retries': 0}, {'max_retries': 20},
    {'rate_limit': 0}, {'rate_limit': 0.1}, {'rate_limit': 1000},
])
def test_numeric_option_bounds_are_accepted(args):
    client = module_support.client_from_module(make_module(dict({'access_key': 'AK', 'secret_key': 'SK'}, **args)))
    option, value = list(args.items())[0]
    if option == 'rate_limit':
        assert (client.rate_limiter.rate if client.rate_limiter else None) == (value or None)
    else:
        assert getattr(client, option) == value


ENVIRONMENT_LEAD = 'The VOLCENGINE_RATE_LIMIT environment variable (read because the rate_limit option is not set) is '
RATE_RULE = 'rate_limit must be 0 (no client-side limit) or a number of requests per second from 0.1 to 1000.'


@pytest.mark.parametrize('text, shown, problem', [
    ('inf', '"inf"', 'not a finite number'),
    ('nan', '"nan"', 'not a finite number'),
    ('-3', '"-3"', 'out of range'),
    ('5000', '"5000"', 'out of range'),
    (' 0.01 ', '"0.01"', 'out of range'),
])
def test_rate_limit_from_the_environment_out_of_range_fails_naming_the_variable(no_client, monkeypatch, text, shown, problem):
    monkeypatch.setenv('VOLCENGINE_RATE_LIMIT', text)
    message = failure_message({})
    assert message == '%s%s, which is %s; %s Correct or unset the variable, or set the rate_limit option.' % (
        ENVIRONMENT_LEAD, shown, problem, RATE_RULE)


@pytest.mark.parametrize('text, shown', [
    ('fast', '"fast"'),
    ('ten', '"ten"'),
    ('10/s', '"10/s"'),
    ('5,5', '"5,5"'),
    ('0x10', '"0x10"'),
    (' fast\n', '"fast"'),  # surrounding whitespace (a line break from a file) is not shown
    ('\x1b[31mred\x1b[0m', '"red"'),  # nor a terminal escape sequence
    ('x' * 100, '"%s..."' % ('x' * 37)),  # a long text is cut
])
def test_rate_limit_from_the_environment_that_is_no_number_fails_naming_the_variable(no_client, monkeypatch, text, shown):
    """Ansible's type check used to refuse it ("argument 'rate_limit' is of type str and we were unable to convert
    to float"), naming neither the variable nor where the value came from."""
    monkeypatch.setenv('VOLCENGINE_RATE_LIMIT', text)
    module = make_module({'access_key': 'AK', 'secret_key': 'SK'})  # Ansible's own checks pass: nothing fails yet
    value = module.params['rate_limit']
    assert isinstance(value, module_support.EnvironmentNumber) and value.variable == 'VOLCENGINE_RATE_LIMIT'
    with pytest.raises(Failed) as caught:
        module_support.client_from_module(module)
    message = caught.value.kwargs['msg']
    assert message == '%s%s, which is not a number; %s Correct or unset the variable, or set the rate_limit option.' % (
        ENVIRONMENT_LEAD, shown, RATE_RULE)
    assert 'unable to convert' not in message


def test_a_bad_environment_value_fails_the_real_module_with_json_that_names_it(monkeypatch, capsys):
    """Through AnsibleModule.fail_json itself, as a module prints it (the NaN standing for the text is serialisable
    in the result's invocation on every supported core)."""
    monkeypatch.setenv('VOLCENGINE_RATE_LIMIT', 'fast')
    with patch_module_args({'access_key': 'AK', 'secret_key': 'SK'}):
        module = AnsibleModule(argument_spec=module_support.volcengine_argument_spec(), supports_check_mode=True)
        with pytest.raises(SystemExit):
            module_support.client_from_module(module)
    result = json.loads(capsys.readouterr().out)
    assert result['failed'] is True
    assert result['msg'].startswith(ENVIRONMENT_LEAD + '"fast", which is not a number; ')


def test_a_number_from_the_environment_is_an_ordinary_float_otherwise(monkeypatch):
    monkeypatch.setenv('VOLCENGINE_RATE_LIMIT', ' 2.5 ')
    module = make_module({'access_key': 'AK', 'secret_key': 'SK'})
    value = module.params['rate_limit']
    assert value == 2.5 and isinstance(value, float) and value.variable == 'VOLCENGINE_RATE_LIMIT' and value.problem is None
    limiter = module_support.client_from_module(module).rate_limiter
    assert limiter.rate == 2.5 and type(limiter.rate) is float  # pylint: disable=unidiomatic-typecheck


def test_empty_environment_variables_count_as_unset(monkeypatch):
    for name in ENV_NAMES:
        monkeypatch.setenv(name, ' ')
    module = make_module({'access_key': 'AK', 'secret_key': 'SK'})
    assert module.params['session_token'] is None and module.params['rate_limit'] == 10
    client = module_support.client_from_module(module)
    assert (client.region, client.endpoint, client.rate_limiter.rate) == ('cn-north-1', 'https://live.volcengineapi.com', 10)
    monkeypatch.setenv('VOLCENGINE_ACCESS_KEY', '')
    with pytest.raises(Failed, match='Missing access key'):
        module_support.client_from_module(make_module({'secret_key': 'SK'}))


@pytest.mark.parametrize('environment, option, expected', [
    (None, None, 10.0),
    ('', None, 10.0),
    ('  ', None, 10.0),
    (' 2.5 ', None, 2.5),
    ('0', None, None),
    ('not a number', 3, 3.0),  # the option wins; the variable is not read
    ('4', 0, None),
])
def test_rate_limit_comes_from_the_option_then_the_environment_then_the_default(monkeypatch, environment, option, expected):
    if environment is not None:
        monkeypatch.setenv('VOLCENGINE_RATE_LIMIT', environment)
    args = {'access_key': 'AK', 'secret_key': 'SK'}
    if option is not None:
        args['rate_limit'] = option
    client = module_support.client_from_module(make_module(args))
    assert (client.rate_limiter.rate if client.rate_limiter else None) == expected


def test_doc_fragment_states_the_numeric_ranges():
    options = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']

    def text(name):
        return ' '.join(options[name]['description'])
    assert 'From V(%g) to V(%g)' % module_support.TIMEOUT_RANGE in text('timeout')
    assert 'From V(%g) to V(%g)' % module_support.MAX_RETRIES_RANGE in text('max_retries')
    assert 'V(0) disables the limiter; otherwise from V(%g) to V(%g)' % module_support.RATE_LIMIT_RANGE in text('rate_limit')
    assert 'E(VOLCENGINE_RATE_LIMIT)' in text('rate_limit') and 'then V(10)' in text('rate_limit')
    assert module_support.DEFAULT_RATE_LIMIT == 10


# --- warnings: plain HTTP or unverified TLS to another machine, once, never with a secret --------------------

def warnings_of(args):
    module = make_module(dict({'access_key': 'AKLTvisible', 'secret_key': 'SeCrEt-warn-1', 'session_token': 'ToKeN-warn-2'},
                              **args))
    seen = []
    module.warn = seen.append
    module_support.client_from_module(module)
    for warning in seen:
        assert 'SeCrEt-warn-1' not in warning and 'ToKeN-warn-2' not in warning
    return seen


@pytest.mark.parametrize('endpoint', ['http://live.example.com', 'http://live.example.com:8080/prefix', 'HTTP://Live.Example.com',
                                      'http://10.0.0.5:8080', 'http://[2001:db8::1]:8080', 'http://localhost.example.com',
                                      'http://128.0.0.1'])
def test_plain_http_to_another_host_warns_once(endpoint):
    seen = warnings_of({'endpoint': endpoint})
    assert len(seen) == 1
    assert seen[0].startswith('The endpoint uses plain HTTP to ')
    assert 'https://' in seen[0]


@pytest.mark.parametrize('endpoint', ['http://127.0.0.1:40123', 'http://127.8.9.10', 'http://[::1]:8080', 'http://localhost:9',
                                      'http://LOCALHOST', 'http://localhost.:9', 'https://live.volcengineapi.com',
                                      'live.volcengineapi.com', 'https://127.0.0.1:8443'])
def test_loopback_or_verified_tls_does_not_warn(endpoint):
    assert warnings_of({'endpoint': endpoint}) == []
    if endpoint.startswith(('http://127', 'http://[::1]', 'http://local', 'http://LOCAL', 'https://127')):
        assert warnings_of({'endpoint': endpoint, 'validate_certs': False}) == []


@pytest.mark.parametrize('endpoint', ['https://live.volcengineapi.com', 'live.volcengineapi.com', 'https://10.1.2.3:8443'])
def test_unverified_tls_to_another_host_warns_once(endpoint):
    seen = warnings_of({'endpoint': endpoint, 'validate_certs': False})
    assert len(seen) == 1
    assert seen[0].startswith('validate_certs is false: the TLS certificate of ')
    assert 'ca_bundle' in seen[0]


def test_http_warning_names_the_host_never_the_url():
    seen = warnings_of({'endpoint': 'http://live.example.com:8080/some/prefix', 'validate_certs': False})
    assert len(seen) == 1, 'plain HTTP warns once; certificate verification does not apply to it'
    assert 'live.example.com' in seen[0]
    assert '8080' not in seen[0] and 'prefix' not in seen[0]


# --- an endpoint with userinfo: refused before any request, never shown (not even in invocation) ---------------

def printed_failure(capsys, args):
    """The whole JSON a real AnsibleModule prints when client_factory_from_module fails it, as text and parsed."""
    with patch_module_args(args):  # ansible-core 2.19+ prints a result only inside it (its serialization profile)
        module = AnsibleModule(argument_spec=module_support.volcengine_argument_spec(), supports_check_mode=True)
        capsys.readouterr()
        with pytest.raises(SystemExit):
            module_support.client_factory_from_module(module)
    printed = capsys.readouterr().out
    return printed, json.loads(printed)


@pytest.mark.parametrize('endpoint', [
    'http://relay-admin:S3cr3t-pw@127.0.0.1:8080',
    'https://relay-admin:S3cr3t-pw@live.example.com/prefix?x=1',
    '  relay-admin:S3cr3t-pw@live.example.com:8443  ',
    'http://relay-admin:S3cr3t%2Dpw@127.0.0.1:8080',
    'http://relay-admin@127.0.0.1:8080',
    'http://relay-admin:S3cr3t-pw@with@at@127.0.0.1',
], ids=['http', 'https-path', 'no-scheme', 'percent-encoded', 'user-only', 'at-in-password'])
@pytest.mark.parametrize('source', ['option', 'environment'])
def test_an_endpoint_with_userinfo_is_refused_showing_neither_user_nor_password(
        no_client, capsys, monkeypatch, endpoint, source):
    args = {'access_key': 'AKLTvisible', 'secret_key': 'SK-not-shown'}
    if source == 'option':
        args['endpoint'] = endpoint
    else:
        monkeypatch.setenv('VOLCENGINE_ENDPOINT', endpoint)
    printed, result = printed_failure(capsys, args)
    assert result['failed'] is True
    assert result['msg'].startswith('Invalid endpoint option: it must not contain a user name or password ('), result
    assert '***@' in result['msg'] and 'access_key and secret_key' in result['msg']
    assert 'VOLCENGINE_ENDPOINT' in result['msg']
    for secret in ('relay-admin', 'S3cr3t', 'S3cr3t-pw', 'S3cr3t%2Dpw', 'SK-not-shown'):
        assert secret not in printed, secret
    assert result['invocation']['module_args']['endpoint'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert result['invocation']['module_args']['access_key'] == 'AKLTvisible'


def test_a_common_user_name_does_not_garble_the_message(no_client, capsys):
    """A user name that the message holds anyway ("user") and a password too short to mask on its own still never
    show as userinfo: the endpoint is masked whole."""
    printed, result = printed_failure(capsys, {'access_key': 'AK', 'secret_key': 'SK', 'endpoint': 'http://user:pw@127.0.0.1:8080'})
    assert 'a user name or password (http://***@127.0.0.1:8080: ' in result['msg'], result['msg']
    assert 'user:pw' not in printed and ':pw@' not in printed
    assert result['invocation']['module_args']['endpoint'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'


def test_userinfo_is_refused_before_any_other_check_can_print_it(no_client, capsys):
    """A missing secret key would fail the module too; the endpoint's password must already be masked then."""
    printed, result = printed_failure(capsys, {'access_key': 'AK', 'endpoint': 'http://relay-admin:S3cr3t-pw@127.0.0.1:8080'})
    assert 'S3cr3t' not in printed and 'relay-admin' not in printed
    assert result['msg'].startswith('Invalid endpoint option')


@pytest.mark.parametrize('endpoint', ['http://127.0.0.1:8080/path@with-at', 'http://127.0.0.1:8080/?q=a@b', 'https://live.volcengineapi.com#x@y'])
def test_an_at_sign_after_the_authority_is_not_userinfo(endpoint):
    module = make_module({'access_key': 'AK', 'secret_key': 'SK', 'endpoint': endpoint})
    assert module_support.client_from_module(module).endpoint == endpoint


def test_limiter_warning_reaches_module_warn(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, 'tempdir', str(tmp_path))
    (tmp_path / ('volcengine-cloud-%d' % os.getuid())).write_text(u'a file where the directory should be')
    module = make_module({'access_key': 'AK', 'secret_key': 'SK', 'endpoint': 'http://127.0.0.1:9'})
    seen = []
    module.warn = seen.append
    client = module_support.client_from_module(module)
    assert seen == []
    for attempt in range(3):
        client.rate_limiter.acquire()
    assert seen == [client.rate_limiter.warning]
    assert 'is not a directory' in seen[0] and str(tmp_path) in seen[0]


# --- a client factory for modules that work in several threads -------------------------------------------------

def test_client_factory_makes_a_new_client_per_call_sharing_one_limiter():
    module = make_module({'access_key': 'AK', 'secret_key': 'SK', 'endpoint': 'http://10.0.0.5:8080', 'rate_limit': 3})
    seen = []
    module.warn = seen.append
    new_client = module_support.client_factory_from_module(module)
    clients = [new_client() for number in range(3)]
    assert len(set(id(client) for client in clients)) == 3
    assert len(set(id(client.session) for client in clients)) == 3, 'a requests.Session is never shared'
    assert all(client.rate_limiter is clients[0].rate_limiter for client in clients)
    assert clients[0].rate_limiter.rate == 3.0
    assert [client.endpoint for client in clients] == ['http://10.0.0.5:8080'] * 3
    assert len(seen) == 1 and seen[0].startswith('The endpoint uses plain HTTP'), 'the transport warning comes once'


def test_client_factory_checks_the_options_before_any_client_is_asked_for():
    module = make_module({'access_key': 'AK', 'secret_key': 'SK', 'endpoint': 'ftp://live.example.com'})
    with pytest.raises(Failed) as failed:
        module_support.client_factory_from_module(module)
    assert 'Invalid endpoint option' in failed.value.kwargs['msg']
