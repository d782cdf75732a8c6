# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tests of the Live API emulator itself, driven through its harness with requests signed by the official SDK."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import json
import re
import threading
import time
from collections import OrderedDict

import pytest
import requests

from ansible_collections.volcengine.cloud.tests.emulator import api_model, signature_check
from ansible_collections.volcengine.cloud.tests.emulator.harness import Emulator, EmulatorError
from ansible_collections.volcengine.cloud.tests.unit.emulator.conftest import SDKClient

VHOST = 'push.example.com'
UPDATE = 'UpdateRelaySourceV3'
DESCRIBE = 'DescribeRelaySourceV3'
DELETE = 'DeleteRelaySourceV3'


def server(domain, protocol='rtmp', params=None):
    entry = {'RelaySourceDomain': domain, 'RelaySourceProtocol': protocol}
    if params is not None:
        entry['RelaySourceParams'] = params
    return entry


def group(name, *domains):
    return {'Group': name, 'Servers': [server(domain) for domain in domains or ('%s.example.org' % name,)]}


def stored(name, *domains):
    return {'Group': name, 'Servers': [dict(server(domain), RelaySourceParams={}) for domain in domains or ('%s.example.org' % name,)]}


def group_names(emu, app='live'):
    for config in emu.state()['RelaySourceConfigList']:
        if config['Vhost'] == VHOST and config['App'] == app:
            return [detail['Group'] for detail in config['GroupDetails']]
    return None


# --- signatures --------------------------------------------------------------------------------------------

def test_sdk_signed_request_is_accepted_and_logged(emu, client):
    reply = client.describe(VHOST)
    assert reply.status == 200, reply
    metadata = reply.json['ResponseMetadata']
    assert 'Error' not in metadata
    assert metadata['Action'] == DESCRIBE and metadata['Version'] == '2023-01-01'
    assert metadata['Service'] == 'live' and metadata['Region'] == 'cn-north-1'
    assert re.match(r'^\d{14}\d{15}[0-9A-F]{4}$', metadata['RequestId'])
    assert reply.json['Result'] == {'RelaySourceConfigList': []}
    [entry] = emu.requests()
    assert entry['seq'] == 1 and entry['action'] == DESCRIBE and entry['version'] == '2023-01-01'
    assert entry['body'] == {'Vhost': VHOST}
    assert entry['access_key'] == 'AKLTEMULATORDEMO' and entry['signature_valid'] is True
    assert entry['http_status'] == 200 and entry['error_code'] is None and entry['fault'] is None
    assert entry['request_id'] == metadata['RequestId'] and isinstance(entry['time'], float)


def test_known_answer_vector_from_signing_doc():
    headers = {'host': 'live.volcengineapi.com', 'content-type': 'application/json',
               'x-content-sha256': '6f05451c4f3fd6d5efbe9e8d35947159dc3678d624cebd5839e3a20631047d75', 'x-date': '20240102T030405Z'}
    body = (b'{"Vhost":"push.example.com","App":"live","GroupDetails":[{"Group":"relay1","Servers":[{"RelaySourceProtocol":"rtmp",'
            b'"RelaySourceDomain":"example.org","RelaySourceParams":{"key1":"value1"}}]}]}')
    signature, signed = signature_check.compute_signature(
        'POST', '/', {'Action': ['UpdateRelaySourceV3'], 'Version': ['2023-01-01']}, sorted(headers), headers, body,
        'c2VjcmV0ZXhhbXBsZQ==', '20240102T030405Z', 'cn-north-1', 'live')
    assert signed == 'content-type;host;x-content-sha256;x-date'
    assert signature == '79a46ccbe2ea7c989509ce9ed6b2eb90ae88727b94e9251b6a9d37da6b42f613'


def test_one_changed_body_byte_is_rejected(emu, client):
    url, headers, data = client.prepare(DESCRIBE, {'Vhost': VHOST})
    reply = client.send(url, headers, data.replace(b'push', b'pusH'))
    assert (reply.status, reply.code) == (401, 'SignatureDoesNotMatch')
    assert reply.error['CodeN'] == 100010
    # even with X-Content-Sha256 fixed up, the signature no longer matches
    url, headers, data = client.prepare(DESCRIBE, {'Vhost': VHOST})
    data = data.replace(b'push', b'pusH')
    headers['X-Content-Sha256'] = signature_check.SDKUtil.sha256(data)
    reply = client.send(url, headers, data)
    assert (reply.status, reply.code) == (401, 'SignatureDoesNotMatch')
    assert [entry['signature_valid'] for entry in emu.requests()] == [False, False]
    assert emu.requests()[0]['access_key'] == 'AKLTEMULATORDEMO'


def test_altered_signature_or_signed_header_is_rejected(emu, client):
    url, headers, data = client.prepare(DESCRIBE, {'Vhost': VHOST})
    last = headers['Authorization'][-1]
    altered = dict(headers, Authorization=headers['Authorization'][:-1] + ('0' if last != '0' else '1'))
    assert client.send(url, altered, data).code == 'SignatureDoesNotMatch'
    assert client.send(url, dict(headers, **{'Content-Type': 'text/plain'}), data).code == 'SignatureDoesNotMatch'
    other_query = url.replace('Version=2023-01-01', 'Version=2023-01-01&Extra=1')
    assert client.send(other_query, headers, data).code == 'SignatureDoesNotMatch'
    assert client.send(url, headers, data).status == 200


@pytest.mark.parametrize('mutate, status, code', [
    (lambda h: h.pop('Authorization'), 401, 'MissingAuthenticationToken'),
    (lambda h: h.update(Authorization='Bearer abc'), 400, 'InvalidAuthorization'),
    (lambda h: h.update(Authorization=h['Authorization'].replace('/request,', '/req,')), 400, 'InvalidAuthorization'),
    (lambda h: h.pop('X-Date'), 400, 'MissingRequestInfo'),
    (lambda h: h.update(Authorization=h['Authorization'].replace('x-content-sha256;', '')), 400, 'MissingRequestInfo'),
    (lambda h: h.update(Authorization=h['Authorization'].replace('AKLTEMULATORDEMO', 'AKLTnobody')), 401, 'InvalidAccessKey'),
    (lambda h: h.update({'X-Security-Token': 'unexpected'}), 401, 'InvalidSecretToken'),
])
def test_authentication_errors(emu, client, mutate, status, code):
    url, headers, data = client.prepare(DESCRIBE, {'Vhost': VHOST})
    mutate(headers)
    reply = client.send(url, headers, data)
    assert (reply.status, reply.code) == (status, code), reply
    entry = emu.requests()[-1]
    assert entry['signature_valid'] is False and entry['error_code'] == code and entry['http_status'] == status


def test_unknown_key_signed_properly_is_rejected(emu):
    reply = SDKClient(emu, access_key='AKLTunknown', secret_key='whatever').describe(VHOST)
    assert (reply.status, reply.code, reply.error['CodeN']) == (401, 'InvalidAccessKey', 100009)


def test_wrong_secret_is_signature_mismatch(emu):
    reply = SDKClient(emu, secret_key='not-the-secret').describe(VHOST)
    assert (reply.status, reply.code) == (401, 'SignatureDoesNotMatch')


def test_wrong_region_in_scope_is_rejected(emu, client):
    reply = client.call(DESCRIBE, {'Vhost': VHOST}, region='cn-beijing')
    assert (reply.status, reply.code) == (401, 'SignatureDoesNotMatch')
    assert 'cn-north-1' in reply.error['Message']


def test_clock_skew_is_rejected(emu, client):
    now = datetime.datetime.now(datetime.timezone.utc)
    reply = client.call(DESCRIBE, {'Vhost': VHOST}, date=now - datetime.timedelta(minutes=16))
    assert (reply.status, reply.code, reply.error['CodeN']) == (403, 'InvalidTimestamp', 100006)
    reply = client.call(DESCRIBE, {'Vhost': VHOST}, date=now + datetime.timedelta(minutes=16))
    assert reply.code == 'InvalidTimestamp'
    assert client.call(DESCRIBE, {'Vhost': VHOST}, date=now - datetime.timedelta(minutes=14)).status == 200
    emu.settings(max_clock_skew=60)
    assert client.call(DESCRIBE, {'Vhost': VHOST}, date=now - datetime.timedelta(minutes=2)).code == 'InvalidTimestamp'


def test_session_token_is_required_and_checked():
    keys = [{'access_key': 'AKLTsts', 'secret_key': 'sts-secret', 'session_token': 'STStoken-1'},
            {'access_key': 'AKLTplain', 'secret_key': 'plain-secret'}]
    with Emulator(rate_limit=0, credentials=keys) as emu:
        assert (emu.access_key, emu.secret_key, emu.session_token) == ('AKLTsts', 'sts-secret', 'STStoken-1')
        assert SDKClient(emu).describe(VHOST).status == 200
        assert SDKClient(emu, session_token='').describe(VHOST).code == 'InvalidSecretToken'
        assert SDKClient(emu, session_token='STStoken-2').describe(VHOST).code == 'InvalidSecretToken'
        assert SDKClient(emu, access_key='AKLTplain', secret_key='plain-secret', session_token='').describe(VHOST).status == 200
        assert SDKClient(emu, access_key='AKLTEMULATORDEMO', secret_key='emulator-demo-secret',
                         session_token='').describe(VHOST).code == 'InvalidAccessKey'


# --- actions -----------------------------------------------------------------------------------------------

def test_update_describe_roundtrip_with_params_as_strings(emu, client):
    groups = [{'Group': 'g1', 'Servers': [server('a.example.org:1935', 'flv', {'domain': 'live.push.net'}), server('10.0.0.1')]}]
    reply = client.update(VHOST, 'live', groups)
    assert reply.status == 200 and reply.error is None, reply
    described = client.describe(VHOST, 'live').json['Result']['RelaySourceConfigList']
    assert described == [{'Vhost': VHOST, 'App': 'live', 'GroupDetails': [{'Group': 'g1', 'Servers': [
        {'RelaySourceDomain': 'a.example.org:1935', 'RelaySourceProtocol': 'flv', 'RelaySourceParams': {'domain': 'live.push.net'}},
        {'RelaySourceDomain': '10.0.0.1', 'RelaySourceProtocol': 'rtmp', 'RelaySourceParams': {}}]}]}]
    assert emu.state()['RelaySourceConfigList'] == described
    emu.set_state([{'Vhost': VHOST, 'App': 'x', 'GroupDetails': [{'Group': 'g', 'Servers': [
        {'RelaySourceDomain': 'o.example.org', 'RelaySourceProtocol': 'rtmp', 'RelaySourceParams': {'n': 5, 'b': True}}]}]}])
    params = client.describe(VHOST).json['Result']['RelaySourceConfigList'][0]['GroupDetails'][0]['Servers'][0]['RelaySourceParams']
    assert params == {'n': '5', 'b': 'true'}


def test_replace_mode_replaces_the_group_list(emu, client):
    client.update(VHOST, 'live', [group('a'), group('b')])
    assert client.update(VHOST, 'live', [group('c'), group('a', 'new.example.org')]).status == 200
    assert group_names(emu) == ['c', 'a']
    assert emu.state()['RelaySourceConfigList'][0]['GroupDetails'][1] == stored('a', 'new.example.org')


def test_merge_mode_upserts_groups_in_place(emu, client):
    emu.settings(update_mode='merge')
    client.update(VHOST, 'live', [group('a'), group('b')])
    assert client.update(VHOST, 'live', [group('c'), group('a', 'new.example.org')]).status == 200
    assert group_names(emu) == ['a', 'b', 'c']
    assert emu.state()['RelaySourceConfigList'][0]['GroupDetails'][0] == stored('a', 'new.example.org')


def test_describe_filters_by_app_and_group(emu, client):
    client.update(VHOST, 'live', [group('a'), group('b')])
    client.update(VHOST, 'other', [group('b')])
    client.update('pull.example.com', 'live', [group('z')])
    assert [c['App'] for c in client.describe(VHOST).json['Result']['RelaySourceConfigList']] == ['live', 'other']
    assert [c['App'] for c in client.describe(VHOST, app='other').json['Result']['RelaySourceConfigList']] == ['other']
    by_group = client.describe(VHOST, group='b').json['Result']['RelaySourceConfigList']
    assert [(c['App'], [g['Group'] for g in c['GroupDetails']]) for c in by_group] == [('live', ['b']), ('other', ['b'])]
    assert client.describe(VHOST, app='live', group='nope').json['Result'] == {'RelaySourceConfigList': []}


@pytest.mark.parametrize('mode, status, result', [
    ('list', 200, {'RelaySourceConfigList': []}),
    ('missing', 200, {}),
    ('notfound', 404, None),
])
def test_empty_describe_shapes(emu, client, mode, status, result):
    emu.settings(empty_describe=mode)
    reply = client.describe('empty.example.com')
    assert reply.status == status
    if result is None:
        assert reply.code == 'ResourceNotFound'
    else:
        assert reply.error is None and reply.json.get('Result') == result


def test_delete_group_then_app_and_resource_not_found(emu, client):
    client.update(VHOST, 'live', [group('a'), group('b')])
    assert client.delete(VHOST, 'live', 'a').status == 200
    assert group_names(emu) == ['b']
    reply = client.delete(VHOST, 'live', 'a')
    assert (reply.status, reply.code) == (404, 'ResourceNotFound')
    assert client.delete(VHOST, 'live', 'b').status == 200
    assert emu.state()['RelaySourceConfigList'] == []
    client.update(VHOST, 'live', [group('a'), group('b')])
    assert client.delete(VHOST, 'live').status == 200
    assert emu.state()['RelaySourceConfigList'] == []
    assert client.delete(VHOST, 'live').code == 'ResourceNotFound'
    assert client.delete('other.example.com', 'live').code == 'ResourceNotFound'


# --- validation --------------------------------------------------------------------------------------------

def _body(**changes):
    body = {'Vhost': VHOST, 'App': 'live', 'GroupDetails': [group('g')]}
    for key, value in changes.items():
        if value is None:
            body.pop(key)
        else:
            body[key] = value
    return body


def _servers(*servers):
    return [{'Group': 'g', 'Servers': list(servers)}]


@pytest.mark.parametrize('action, body, code, field', [
    (UPDATE, _body(Vhost=None), 'InvalidParam', 'Vhost'),
    (UPDATE, _body(Vhost=''), 'InvalidParam', 'Vhost'),
    (UPDATE, _body(App=None), 'InvalidParam', 'App'),
    (UPDATE, _body(App='bad app!'), 'InvalidParam', 'App'),
    (UPDATE, _body(App='a' * 31), 'InvalidParam', 'App'),
    (UPDATE, _body(GroupDetails=None), 'InvalidParam', 'GroupDetails'),
    (UPDATE, _body(GroupDetails=[]), 'InvalidParam', 'GroupDetails'),
    (UPDATE, _body(GroupDetails=[{'Group': '', 'Servers': [server('o.example.org')]}]), 'InvalidParam', 'Group'),
    (UPDATE, _body(GroupDetails=[group('g'), group('g')]), 'InvalidParam', 'Group'),
    (UPDATE, _body(GroupDetails=_servers()), 'InvalidParam', 'Servers'),
    (UPDATE, _body(GroupDetails=_servers(*[server('o%d.example.org' % n) for n in range(11)])), 'InvalidParam', 'Servers'),
    (UPDATE, _body(GroupDetails=_servers(server('o.example.org', 'hls'))), 'InvalidParam', 'RelaySourceProtocol'),
    (UPDATE, _body(GroupDetails=_servers(server('o.example.org', 'RTMP'))), 'InvalidParam', 'RelaySourceProtocol'),
    (UPDATE, _body(GroupDetails=_servers(server('rtmp://o.example.org'))), 'InvalidParam', 'RelaySourceDomain'),
    (UPDATE, _body(GroupDetails=_servers(server('o.example.org/live'))), 'InvalidParam', 'RelaySourceDomain'),
    (UPDATE, _body(GroupDetails=_servers(server(''))), 'InvalidParam', 'RelaySourceDomain'),
    (UPDATE, _body(GroupDetails=_servers(server('o.example.org:99999'))), 'InvalidParam', 'RelaySourceDomain'),
    (UPDATE, _body(App='live\n'), 'InvalidParam', 'App'),
    (UPDATE, _body(Vhost='push.example.com\n'), 'InvalidParam', 'Vhost'),
    (UPDATE, _body(Vhost='v' * 61), 'InvalidParam', 'Vhost'),
    (UPDATE, _body(Vhost='push example.com'), 'InvalidParam', 'Vhost'),
    (UPDATE, _body(GroupDetails=_servers(server('o.example.org\n'))), 'InvalidParam', 'RelaySourceDomain'),
    (UPDATE, _body(GroupDetails=_servers(server('o.example.org:19\u00b3'))), 'InvalidParam', 'RelaySourceDomain'),
    (UPDATE, _body(GroupDetails=_servers(server('o.example.org:\u0661\u0669\u0663\u0665'))), 'InvalidParam', 'RelaySourceDomain'),
    (UPDATE, _body(GroupDetails=_servers(server('[::1]:\u0661\u0669\u0663\u0665'))), 'InvalidParam', 'RelaySourceDomain'),
    (UPDATE, _body(App=5), 'InvalidParam.BindError', 'App'),
    (UPDATE, _body(GroupDetails={'Group': 'g'}), 'InvalidParam.BindError', 'GroupDetails'),
    (UPDATE, _body(GroupDetails=[{'Group': 'g', 'Servers': 'o.example.org'}]), 'InvalidParam.BindError', 'Servers'),
    (UPDATE, _body(GroupDetails=_servers(server('o.example.org', params={'k': 1}))), 'InvalidParam.BindError', 'RelaySourceParams'),
    (UPDATE, _body(GroupDetails=_servers(server('o.example.org', params=['k']))), 'InvalidParam.BindError', 'RelaySourceParams'),
    (UPDATE, '{"Vhost": ', 'InvalidParam.BindError', 'JSON'),
    (UPDATE, '["Vhost"]', 'InvalidParam.BindError', 'object'),
    (DESCRIBE, {}, 'InvalidParam', 'Vhost'),
    (DESCRIBE, {'Vhost': VHOST, 'App': ['live']}, 'InvalidParam.BindError', 'App'),
    (DELETE, {'Vhost': VHOST}, 'InvalidParam', 'App'),
    (DELETE, {'Vhost': VHOST, 'App': 'a/b'}, 'InvalidParam', 'App'),
    (DELETE, {'Vhost': VHOST, 'App': 'live\n'}, 'InvalidParam', 'App'),
    (DESCRIBE, {'Vhost': VHOST + '\n'}, 'InvalidParam', 'Vhost'),
    (DESCRIBE, {'Vhost': VHOST, 'App': 'live\n'}, 'InvalidParam', 'App'),
    (DELETE, {'Vhost': VHOST, 'App': 'live', 'Group': 3}, 'InvalidParam.BindError', 'Group'),
])
def test_validation_errors(emu, client, action, body, code, field):
    reply = client.call(action, body)
    assert (reply.status, reply.code) == (400, code), reply
    assert field in reply.error['Message']
    assert emu.state()['RelaySourceConfigList'] == []
    assert emu.requests()[-1]['error_code'] == code


def test_valid_domains_are_accepted(emu, client):
    domains = ['example.org', 'origin-1.example.org:1935', '192.0.2.10', '192.0.2.10:8080', '[2001:db8::1]:1935',
               'origin_1.example.org', '2001:db8::1', '::1']
    reply = client.update(VHOST, 'live', _servers(*[server(d) for d in domains]))
    assert reply.status == 200, reply


@pytest.mark.parametrize('domain', ['o.example.org\n', 'o.example.org:1935\n', 'o.example.org:19\u00b3', 'o.example.org:\uff11',
                                    '\u4f8b.example.org', '[::1]\n', '[::1]:1\u0669', 'fe80::1%eth0', 'o.example.org:0',
                                    'o.example.org:65536', 'o.example.org:123456', ':1935', 'o..example.org'])
def test_emulator_domain_pattern_is_whole_string_ascii(domain):
    with pytest.raises(api_model.APIError) as raised:
        api_model.validate_domain(domain, 'GroupDetails[0].Servers[0]')
    assert raised.value.code == 'InvalidParam'


@pytest.mark.parametrize('vhost, app, valid', [
    ('v' * 60, 'a' * 30, True), ('push_1-x.example.com', 'A-b_c.d', True),
    ('v' * 61, 'live', False), (VHOST + '\n', 'live', False), ('push.\u4f8b.com', 'live', False), ('', 'live', False),
    (VHOST, 'a' * 31, False), (VHOST, 'live\n', False), (VHOST, '\uff4c\uff49\uff56\uff45', False), (VHOST, 'l\u0131ve', False),
])
def test_emulator_vhost_and_app_patterns(vhost, app, valid):
    body = {'Vhost': vhost, 'App': app}
    if valid:
        assert (api_model.validate_vhost(body), api_model.validate_app(body)) == (vhost, app)
    else:
        with pytest.raises(api_model.APIError):
            api_model.validate_vhost(body)
            api_model.validate_app(body)


def test_unknown_action_and_version(emu, client):
    reply = client.call('CreateRelaySourceV3', {'Vhost': VHOST})
    assert (reply.status, reply.code, reply.error['CodeN']) == (404, 'InvalidActionOrVersion', 100008)
    assert reply.json['ResponseMetadata']['Action'] == 'CreateRelaySourceV3'
    reply = client.call(DESCRIBE, {'Vhost': VHOST}, version='2020-08-01')
    assert (reply.status, reply.code) == (404, 'InvalidActionOrVersion')
    assert reply.json['ResponseMetadata']['Version'] == '2020-08-01'
    assert [entry['signature_valid'] for entry in emu.requests()] == [True, True]


def test_request_ids_are_unique(emu, client):
    ids = {client.describe(VHOST).json['ResponseMetadata']['RequestId'] for _attempt in range(20)}
    assert len(ids) == 20


# --- throttling --------------------------------------------------------------------------------------------

def test_throttling_after_ten_rapid_requests(emu, client):
    emu.settings(rate_limit=10)
    prepared = [client.prepare(DESCRIBE, {'Vhost': VHOST}) for _attempt in range(40)]
    session = requests.Session()
    statuses, codes = [], []
    for url, headers, data in prepared:
        response = session.post(url, headers=headers, data=data, timeout=10)
        statuses.append(response.status_code)
        codes.append(response.json()['ResponseMetadata'].get('Error', {}).get('Code'))
        if len(statuses) >= 12 and 429 in statuses:
            break
    assert statuses[:10] == [200] * 10
    assert 429 in statuses[10:]
    throttled = [index for index, status in enumerate(statuses) if status == 429]
    assert all(codes[index] == 'FlowLimitExceeded' for index in throttled)
    logged = [entry for entry in emu.requests() if entry['http_status'] == 429]
    assert len(logged) == len(throttled) and all(entry['error_code'] == 'FlowLimitExceeded' for entry in logged)
    time.sleep(0.25)
    assert client.describe(VHOST).status == 200, 'tokens refill at the configured rate'
    emu.settings(rate_limit=0)
    assert all(client.describe(VHOST).status == 200 for _attempt in range(15))


def test_throttling_is_per_access_key():
    keys = [{'access_key': 'AKLTone', 'secret_key': 's1'}, {'access_key': 'AKLTtwo', 'secret_key': 's2'}]
    with Emulator(rate_limit=2, credentials=keys) as emu:
        one, two = SDKClient(emu), SDKClient(emu, access_key='AKLTtwo', secret_key='s2')
        assert [one.describe(VHOST).status for _attempt in range(3)][:2] == [200, 200]
        assert one.describe(VHOST).code == 'FlowLimitExceeded'
        assert two.describe(VHOST).status == 200


# --- faults ------------------------------------------------------------------------------------------------

def test_error_fault_answers_the_envelope_and_changes_nothing(emu, client):
    emu.inject_fault(kind='error', status=503, code='ServiceUnavailableTemp', retry_after=2)
    reply = client.update(VHOST, 'live', [group('a')])
    assert (reply.status, reply.code, reply.error['CodeN']) == (503, 'ServiceUnavailableTemp', 100017)
    assert reply.headers['Retry-After'] == '2'
    assert emu.state()['RelaySourceConfigList'] == []
    assert client.update(VHOST, 'live', [group('a')]).status == 200, 'count=1 is used up'
    assert [(e['fault'], e['http_status'], e['error_code']) for e in emu.requests()] == [
        ('error', 503, 'ServiceUnavailableTemp'), (None, 200, None)]
    assert [e['action'] for e in emu.write_requests()] == [UPDATE, UPDATE]


def test_fault_defaults_count_actions_filter_and_fifo(emu, client):
    emu.inject_fault(kind='error', count=2, actions=[UPDATE])
    emu.inject_fault(kind='commonerr')
    assert len(emu.faults()) == 2
    assert client.describe(VHOST).code == 'CommonErr', 'the first fault does not match Describe; the second does'
    assert client.describe(VHOST).status == 200
    assert [client.update(VHOST, 'live', [group('a')]).code for _attempt in range(3)] == ['InternalError', 'InternalError', None]
    assert emu.faults() == []
    emu.inject_fault(kind='error', count=5)
    emu.clear_faults()
    assert client.describe(VHOST).status == 200


def test_apps_filter_faults_only_requests_for_those_apps(emu, client):
    emu.inject_fault(kind='error', status=400, code='InvalidParam', apps=['sports'], actions=[UPDATE])
    assert client.update(VHOST, 'live', [group('a')]).status == 200, 'another app passes'
    assert client.describe(VHOST, app='sports').status == 200, 'another action passes'
    assert client.update(VHOST, 'sports', [group('a')]).code == 'InvalidParam'
    assert [entry['fault'] for entry in emu.requests()] == [None, None, 'error']
    assert emu.faults() == []


def test_latency_holds_every_answer_after_the_request_took_effect(emu, client):
    emu.settings(latency=0.4)
    started = time.monotonic()
    reply = client.update(VHOST, 'live', [group('a')])
    assert time.monotonic() - started >= 0.4
    assert reply.status == 200
    [entry] = emu.requests()
    assert entry['time'] <= time.time() - 0.4, 'logged on arrival, answered after the latency'
    emu.inject_fault(kind='error', status=503, code='ServiceUnavailableTemp')
    started = time.monotonic()
    assert client.describe(VHOST).code == 'ServiceUnavailableTemp'
    assert time.monotonic() - started >= 0.4, 'faults are held too'
    emu.settings(latency=0)
    assert emu.settings()['latency'] == 0.0


def test_latency_from_the_command_line():
    with Emulator(latency=0.25) as running:
        assert running.settings()['latency'] == 0.25


def test_latency_counts_in_the_model_without_sleeping():
    slept = []
    model = api_model.LiveAPIModel(sleep=slept.append, rate_limit=0, latency=0.3)
    reply = model.answer(DESCRIBE, '2023-01-01', json.dumps({'Vhost': VHOST}))
    assert (reply.status, reply.waited, slept) == (200, 0.3, [0.3])
    model.add_fault({'kind': 'delay', 'delay': 1.0})
    assert model.answer(DESCRIBE, '2023-01-01', json.dumps({'Vhost': VHOST})).waited == 1.3


def test_delay_fault_delays_then_processes(emu, client):
    emu.inject_fault(kind='delay', delay=0.6, actions=[UPDATE])
    started = time.monotonic()
    reply = client.update(VHOST, 'live', [group('a')])
    assert time.monotonic() - started >= 0.6
    assert reply.status == 200
    assert group_names(emu) == ['a']
    assert emu.requests()[-1]['fault'] == 'delay'


def test_delay_fault_times_out_a_client_but_the_write_still_happens(emu, client):
    emu.inject_fault(kind='delay', delay=0.8)
    with pytest.raises(requests.exceptions.Timeout):
        client.call(UPDATE, _body(), timeout=0.2)
    [entry] = emu.requests()
    assert (entry['fault'], entry['http_status']) == ('delay', None), 'logged on arrival, completed later'
    time.sleep(0.9)
    assert emu.requests()[0]['http_status'] == 200
    assert group_names(emu) == ['g']


def test_delayed_write_applies_late_while_other_requests_are_answered(emu, client):
    """The emulator is threaded: a write held by a delay fault takes effect when the delay ends, after requests that
    arrived later were answered; so a late write can undo a later one, and the log tells arrival from effect."""
    emu.inject_fault(kind='delay', delay=1.5, actions=[UPDATE])
    late = {}
    writer = threading.Thread(target=lambda: late.update(reply=SDKClient(emu).update(VHOST, 'live', [group('late')])))
    writer.start()
    try:
        deadline = time.monotonic() + 5
        while not emu.requests() and time.monotonic() < deadline:
            time.sleep(0.02)
        started = time.monotonic()
        assert client.describe(VHOST).json['Result'] == {'RelaySourceConfigList': []}, 'held: not applied yet'
        assert client.update(VHOST, 'live', [group('early')]).status == 200
        assert time.monotonic() - started < 1.0, 'answered while the delayed write is held'
        assert group_names(emu) == ['early']
    finally:
        writer.join(10)
    assert late['reply'].status == 200
    assert group_names(emu) == ['late'], 'the held write took effect last, over the later one'
    held, read, other = emu.requests()
    assert (held['fault'], read['fault'], other['fault']) == ('delay', None, None)
    assert held['applied_time'] - held['time'] >= 1.5, 'applied a delay after its arrival'
    assert held['time'] < read['time'] < other['applied_time'] < held['applied_time']
    assert read['applied_time'] is None, 'a read changes nothing'


def test_applied_time_is_set_by_writes_the_model_applied_only():
    model = api_model.LiveAPIModel(rate_limit=0)
    body = json.dumps({'Vhost': VHOST, 'App': 'live', 'GroupDetails': [group('a')]})
    model.add_fault({'kind': 'error', 'actions': [UPDATE]})
    model.add_fault({'kind': 'commonerr', 'apply': True, 'actions': [UPDATE]})
    model.add_fault({'kind': 'drop_after', 'actions': [DELETE]})
    model.answer(UPDATE, '2023-01-01', body)
    model.answer(UPDATE, '2023-01-01', body)
    model.answer(DESCRIBE, '2023-01-01', json.dumps({'Vhost': VHOST}))
    model.answer(DELETE, '2023-01-01', json.dumps({'Vhost': VHOST, 'App': 'nope'}))
    model.answer(UPDATE, '2023-01-01', json.dumps({'Vhost': VHOST, 'App': 'live', 'GroupDetails': []}))
    model.answer(DELETE, '2023-01-01', json.dumps({'Vhost': VHOST, 'App': 'live'}))
    log = model.requests()
    applied = [entry['applied_time'] is not None for entry in log]
    assert applied == [False, True, False, False, False, True], [(e['action'], e['fault'], e['error_code']) for e in log]
    assert all(entry['time'] <= entry['applied_time'] for entry in log if entry['applied_time'] is not None)


def test_a_delay_fault_holds_the_write_before_the_model_applies_it():
    seen = []
    model = api_model.LiveAPIModel(rate_limit=0, sleep=lambda seconds: seen.append((seconds, model.state_document(), model.requests())))
    model.add_fault({'kind': 'delay', 'delay': 2.5, 'actions': [UPDATE]})
    reply = model.answer(UPDATE, '2023-01-01', json.dumps({'Vhost': VHOST, 'App': 'live', 'GroupDetails': [group('a')]}))
    assert len(seen) == 1, 'slept once'
    seconds, state_while_held, log_while_held = seen[0]
    assert (seconds, state_while_held, reply.waited) == (2.5, {'RelaySourceConfigList': [], 'RelaySourceV4List': []}, 2.5)
    assert [(entry['fault'], entry['applied_time']) for entry in log_while_held] == [('delay', None)]
    assert model.requests()[0]['applied_time'] is not None and model.state_document()['RelaySourceConfigList'][0]['App'] == 'live'


def test_drop_fault_closes_the_connection(emu, client):
    emu.inject_fault(kind='drop')
    with pytest.raises(requests.exceptions.ConnectionError):
        client.update(VHOST, 'live', [group('a')])
    assert emu.state()['RelaySourceConfigList'] == []
    [entry] = emu.requests()
    assert entry['fault'] == 'drop' and entry['http_status'] is None and entry['signature_valid'] is True


@pytest.mark.parametrize('update_mode', api_model.UPDATE_MODES)
def test_drop_after_fault_applies_the_write_then_closes_the_connection(emu, client, update_mode):
    emu.settings(update_mode=update_mode)
    emu.set_state([{'Vhost': VHOST, 'App': 'live', 'GroupDetails': [group('a'), group('b')]}])
    emu.inject_fault(kind='drop_after', actions=[DELETE])
    with pytest.raises(requests.exceptions.ConnectionError):
        client.delete(VHOST, 'live', 'b')
    assert group_names(emu) == ['a'], 'the delete was applied although no answer came back'
    [entry] = emu.requests()
    assert (entry['fault'], entry['http_status'], entry['error_code']) == ('drop_after', None, None)
    retried = client.delete(VHOST, 'live', 'b')
    assert (retried.status, retried.code) == (404, 'ResourceNotFound'), 'what a client retrying the lost delete gets'

    emu.inject_fault(kind='drop_after', actions=[UPDATE])
    with pytest.raises(requests.exceptions.ConnectionError):
        client.update(VHOST, 'live', [group('c')])
    assert group_names(emu) == {'replace': ['c'], 'merge': ['a', 'c'], 'merge_first': ['c', 'a'], 'merge_last': ['a', 'c']}[update_mode]


def test_drop_after_fault_on_a_refused_write_logs_the_error_and_still_sends_no_answer(emu, client):
    emu.inject_fault(kind='drop_after')
    with pytest.raises(requests.exceptions.ConnectionError):
        client.delete(VHOST, 'live', 'nope')
    [entry] = emu.requests()
    assert (entry['fault'], entry['http_status'], entry['error_code']) == ('drop_after', None, 'ResourceNotFound')


def test_html_fault_is_a_502_page(emu, client):
    emu.inject_fault(kind='html')
    reply = client.update(VHOST, 'live', [group('a')])
    assert reply.status == 502 and reply.json is None
    assert reply.headers['Content-Type'].startswith('text/html') and '<html>' in reply.text
    assert emu.state()['RelaySourceConfigList'] == []
    assert emu.requests()[-1]['fault'] == 'html'


def test_commonerr_fault_is_http_200_with_an_error(emu, client):
    emu.inject_fault(kind='commonerr', actions=[DELETE])
    client.update(VHOST, 'live', [group('a')])
    reply = client.delete(VHOST, 'live')
    assert reply.status == 200 and reply.code == 'CommonErr'
    assert group_names(emu) == ['a']


def test_raw_fault_answers_the_given_body_verbatim(emu, client):
    odd = {'ResponseMetadata': {'RequestId': 'raw-1', 'Action': DESCRIBE}, 'Result': {'RelaySourceConfigList': {'Vhost': VHOST}}}
    emu.inject_fault(kind='raw', body=odd, actions=[DESCRIBE])
    emu.inject_fault(kind='raw', status=201, body='not an envelope', actions=[UPDATE])
    reply = client.describe(VHOST)
    assert (reply.status, reply.json) == (200, odd)
    reply = client.update(VHOST, 'live', [group('a')])
    assert (reply.status, reply.json) == (201, 'not an envelope')
    assert emu.state()['RelaySourceConfigList'] == [], 'the action is not run'
    assert [(entry['fault'], entry['http_status']) for entry in emu.requests()] == [('raw', 200), ('raw', 201)]
    with pytest.raises(EmulatorError, match='body'):
        emu.inject_fault(kind='raw')
    with pytest.raises(EmulatorError, match='body'):
        emu.inject_fault(kind='error', body={})


def test_skip_lets_matching_requests_through_first(emu, client):
    emu.inject_fault(kind='error', code='InternalError', skip=2, actions=[DESCRIBE])
    assert [client.describe(VHOST).code for _attempt in range(4)] == [None, None, 'InternalError', None]
    client.update(VHOST, 'live', [group('a')])
    assert [entry['fault'] for entry in emu.requests()] == [None, None, 'error', None, None]


def test_error_fault_with_apply_answers_the_error_after_the_write_took_effect(emu, client):
    emu.inject_fault(kind='error', status=504, code='InternalServiceTimeout', apply=True, actions=[UPDATE])
    reply = client.update(VHOST, 'live', [group('a')])
    assert (reply.status, reply.code) == (504, 'InternalServiceTimeout')
    assert group_names(emu) == ['a'], 'the gateway gave up after the backend applied the write'
    emu.inject_fault(kind='commonerr', apply=True, actions=[DELETE])
    reply = client.delete(VHOST, 'live', 'nope')
    assert (reply.status, reply.code) == (404, 'ResourceNotFound'), 'a refused write gets its own refusal'
    with pytest.raises(EmulatorError, match='apply'):
        emu.inject_fault(kind='drop', apply=True)


def test_result_fault_runs_the_action_and_answers_the_given_result(emu, client):
    emu.inject_fault(kind='result', result=['odd'], actions=[UPDATE])
    emu.inject_fault(kind='result', result=None, actions=[DESCRIBE])
    reply = client.update(VHOST, 'live', [group('a')])
    assert reply.status == 200 and reply.error is None and reply.json['Result'] == ['odd']
    assert group_names(emu) == ['a']
    reply = client.describe(VHOST)
    assert reply.status == 200 and 'Result' not in reply.json
    assert [entry['fault'] for entry in emu.requests()] == ['result', 'result']
    with pytest.raises(EmulatorError, match='result'):
        emu.inject_fault(kind='result')


def test_loose_describe_filter_lists_more_apps_than_asked(emu, client):
    for app in ('live', 'live2', 'LIVE', 'other'):
        client.update(VHOST, app, [group('a')])
    assert [c['App'] for c in client.describe(VHOST, app='live').json['Result']['RelaySourceConfigList']] == ['live']
    emu.settings(describe_filter='loose')
    listed = client.describe(VHOST, app='live').json['Result']['RelaySourceConfigList']
    assert [c['App'] for c in listed] == ['live', 'live2', 'LIVE']


def test_log_state_after_records_the_state_each_applied_write_left(emu, client):
    emu.settings(log_state_after=True)
    client.update(VHOST, 'live', [group('a'), group('b')])
    client.describe(VHOST)
    client.delete(VHOST, 'live', 'nope')
    emu.inject_fault(kind='drop_after', actions=[DELETE])
    with pytest.raises(requests.exceptions.ConnectionError):
        client.delete(VHOST, 'live', 'a')
    log = emu.requests()
    assert [[g['Group'] for g in entry['state_after'][0]['GroupDetails']] for entry in log if 'state_after' in entry] == [
        ['a', 'b'], ['b']], 'only writes that were applied, a lost answer included'
    assert 'state_after' not in log[1] and 'state_after' not in log[2]
    emu.settings(log_state_after=False)
    client.update(VHOST, 'live', [group('c')])
    assert 'state_after' not in emu.requests()[-1]


def test_bad_control_requests_are_refused(emu):
    with pytest.raises(EmulatorError, match='kind'):
        emu.inject_fault(kind='explode')
    with pytest.raises(EmulatorError, match='update_mode'):
        emu.settings(update_mode='upsert')
    with pytest.raises(EmulatorError, match='latency must be a number >= 0'):
        emu.settings(latency=-1)
    with pytest.raises(EmulatorError, match='apps must be a list of App values'):
        emu.inject_fault(kind='error', apps=[1])
    with pytest.raises(EmulatorError, match='404'):
        emu.control('GET', 'nothing')
    with pytest.raises(EmulatorError):
        emu.set_state({'RelaySourceConfigList': 'nope'})
    assert emu.settings()['update_mode'] == 'replace'


# --- persistence, TLS, process -----------------------------------------------------------------------------

def test_state_persists_across_restart(tmp_path):
    state_file = tmp_path / 'state.json'
    with Emulator(rate_limit=0, state_file=state_file) as emu:
        assert SDKClient(emu).update(VHOST, 'live', [group('a'), group('b')]).status == 200
        assert SDKClient(emu).delete(VHOST, 'live', 'a').status == 200
    saved = json.loads(state_file.read_text())
    assert [g['Group'] for g in saved['RelaySourceConfigList'][0]['GroupDetails']] == ['b']
    with Emulator(rate_limit=0, state_file=state_file) as emu:
        assert group_names(emu) == ['b']
        assert SDKClient(emu).describe(VHOST).json['Result']['RelaySourceConfigList'][0]['GroupDetails'] == [stored('b')]
    assert [p.name for p in tmp_path.iterdir()] == ['state.json'], 'no temporary files left behind'


def test_tls_with_generated_certificate():
    with Emulator(rate_limit=0, tls=True) as emu:
        assert emu.url.startswith('https://127.0.0.1:') and emu.ca_cert
        assert SDKClient(emu).describe(VHOST).status == 200
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(emu.url + '/_emulator/state', timeout=5)
        assert emu.state() == {'RelaySourceConfigList': [], 'RelaySourceV4List': []}


def test_process_starts_prints_url_and_stops_cleanly():
    emu = Emulator(rate_limit=0)
    with emu:
        assert re.match(r'^http://127\.0\.0\.1:\d+$', emu.url)
        process = emu.process
    assert process.returncode == 0, emu.stderr()


def test_start_failure_is_reported_with_stderr(tmp_path):
    bad = tmp_path / 'credentials.json'
    with pytest.raises(EmulatorError, match='did not start'):
        with Emulator(extra_args=['--credentials', str(bad)]):
            pass


def test_compute_signature_fallback_for_headers_the_sdk_does_not_select():
    headers = OrderedDict([('host', '127.0.0.1:80'), ('user-agent', 'x'), ('x-content-sha256', signature_check.SDKUtil.sha256(b'')),
                           ('x-date', '20240102T030405Z')])
    signature, signed = signature_check.compute_signature('POST', '/', {'Action': ['A']}, list(headers), headers, b'', 'sk',
                                                          '20240102T030405Z', 'cn-north-1', 'live')
    assert signed == 'host;user-agent;x-content-sha256;x-date'
    assert re.match(r'^[0-9a-f]{64}$', signature)


def test_every_command_line_option_has_a_help_text():
    from ansible_collections.volcengine.cloud.tests.emulator import live_emulator

    options = [action for action in live_emulator.build_parser()._actions if action.option_strings]
    assert {'--host', '--port', '--update-mode', '--rate-limit', '--tls-cert'} <= {action.option_strings[0] for action in options}
    assert [action.option_strings[0] for action in options if not (action.help or '').strip()] == []
