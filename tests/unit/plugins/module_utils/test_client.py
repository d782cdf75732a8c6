# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""VolcengineClient: wire format, envelope parsing, retries, TLS and secret scrubbing.

A few tests use a real HTTP(S) server on 127.0.0.1 (bytes on the wire, signature checked with the official SDK);
the rest drive the client through a scripted fake session.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import datetime
import hashlib
import json
import os
import re
import socket
import ssl

import pytest
import requests

from ansible_collections.volcengine.cloud.plugins.module_utils import client as client_module
from ansible_collections.volcengine.cloud.plugins.module_utils import errors
from ansible_collections.volcengine.cloud.plugins.module_utils.client import APIResponse, VolcengineClient
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import (
    VolcengineAPIError,
    VolcengineError,
    VolcengineTransportError,
)
from ansible_collections.volcengine.cloud.tests.unit.plugins.module_utils import hostile_server
from ansible_collections.volcengine.cloud.tests.unit.plugins.module_utils.hostile_server import HostileServer
from ansible_collections.volcengine.cloud.tests.unit.plugins.module_utils.client_fakes import (
    ACCESS_KEY, SECRET_KEY, SESSION_TOKEN, FakeResponse, Sleeper, envelope, make_client)

COLLECTION_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))


# -- success and envelope ---------------------------------------------------------------------------------

def test_success_returns_result_request_id_and_attempts():
    client, session, sleeper = make_client([FakeResponse(body=envelope({'RelaySourceConfigList': []}, request_id='R1'))])
    response = client.call('DescribeRelaySourceV3', '2023-01-01', {'Vhost': 'v'})
    assert isinstance(response, APIResponse)
    assert response.result == {'RelaySourceConfigList': []}
    assert response.request_id == 'R1'
    assert response.attempts == 1
    assert client.request_ids == ['R1']
    assert sleeper.sleeps == []
    call = session.calls[0]
    assert call['url'] == 'https://live.volcengineapi.com/?Action=DescribeRelaySourceV3&Version=2023-01-01'
    assert call['verify'] is True
    assert call['timeout'] == (30, 60)  # connect, read: an abandoned attempt may wait the timeout again
    assert call['headers']['Host'] == 'live.volcengineapi.com'
    assert call['headers']['X-Date'] == '20240102T030405Z'


def test_missing_result_is_none():
    client, _session, _sleeper = make_client([FakeResponse(body=envelope(None))])
    assert client.call('UpdateRelaySourceV3', '2023-01-01', {}).result is None


@pytest.mark.parametrize('result', ['not an object', ['RelaySourceConfigList'], 7, False])
def test_result_of_another_type_is_kept_as_sent(result):
    """The shape check of relay_source.py judges it: turned into {} here it would read as "nothing configured"."""
    client, _session, _sleeper = make_client([FakeResponse(body=envelope(result))])
    assert client.call('DescribeRelaySourceV3', '2023-01-01', {}).result == result


def test_body_is_serialised_once_compact_utf8_in_given_order():
    client, session, _sleeper = make_client([FakeResponse()])
    client.call('UpdateRelaySourceV3', '2023-01-01', collections.OrderedDict([('Vhost', u'推流'), ('App', 'a')]))
    data = session.calls[0]['data']
    assert data == u'{"Vhost":"推流","App":"a"}'.encode('utf-8')
    assert session.calls[0]['headers']['X-Content-Sha256'] == hashlib.sha256(data).hexdigest()


def test_http_200_with_error_raises_api_error_and_is_not_retried():
    error = {'Code': 'InvalidParam', 'Message': 'App is invalid'}
    client, session, sleeper = make_client([FakeResponse(200, envelope(error=error, request_id='R-E'))])
    with pytest.raises(VolcengineAPIError) as caught:
        client.call('UpdateRelaySourceV3', '2023-01-01', {})
    assert caught.value.code == 'InvalidParam'
    assert caught.value.http_status == 200
    assert caught.value.request_id == 'R-E'
    assert caught.value.attempts == 1
    assert len(session.calls) == 1 and sleeper.sleeps == []
    assert client.request_ids == ['R-E']


def test_common_err_with_http_200_is_retried_a_bounded_number_of_times():
    client, session, sleeper = make_client([FakeResponse(200, envelope(error={'Code': 'CommonErr', 'Message': ''}))])
    with pytest.raises(VolcengineAPIError) as caught:
        client.call('UpdateRelaySourceV3', '2023-01-01', {})
    assert caught.value.code == 'CommonErr'
    assert len(session.calls) == client_module.COMMON_ERR_MAX_RETRIES + 1
    assert len(sleeper.sleeps) == client_module.COMMON_ERR_MAX_RETRIES


def test_common_err_then_success():
    client, session, _sleeper = make_client([
        FakeResponse(200, envelope(error={'Code': 'CommonErr'}, request_id='A')),
        FakeResponse(200, envelope({}, request_id='B')),
    ])
    response = client.call('UpdateRelaySourceV3', '2023-01-01', {})
    assert response.attempts == 2
    assert client.request_ids == ['A', 'B']


def test_html_error_page_gives_clear_error_with_short_snippet():
    html = b'<html><head><title>502 Bad Gateway</title></head><body>' + b'<p>nginx</p>' * 100 + b'</body></html>'
    client, session, _sleeper = make_client([FakeResponse(502, raw=html, headers={'Content-Type': 'text/html'})],
                                            max_retries=0)
    with pytest.raises(VolcengineTransportError) as caught:
        client.call('DescribeRelaySourceV3', '2023-01-01', {})
    error = caught.value
    assert error.code == errors.NON_JSON_RESPONSE
    assert error.http_status == 502
    assert '502 Bad Gateway' in str(error)
    assert 'HTTP 502' in str(error)
    assert len(str(error)) < 400
    assert 'Authorization' not in str(error) and 'X-Date' not in str(error)


def test_html_502_is_retried():
    client, session, sleeper = make_client([
        FakeResponse(502, raw=b'<html>bad gateway</html>'),
        FakeResponse(200, envelope({'ok': True})),
    ])
    assert client.call('DescribeRelaySourceV3', '2023-01-01', {}).result == {'ok': True}
    assert len(sleeper.sleeps) == 1


def test_empty_body_is_an_error():
    client, session, _sleeper = make_client([FakeResponse(200, raw=b'')])
    with pytest.raises(VolcengineTransportError) as caught:
        client.call('DescribeRelaySourceV3', '2023-01-01', {})
    assert caught.value.code == errors.EMPTY_RESPONSE
    assert caught.value.http_status == 200
    assert len(session.calls) == 1


def test_json_without_envelope_is_an_error():
    client, _session, _sleeper = make_client([FakeResponse(200, body={'hello': 'world'})])
    with pytest.raises(VolcengineTransportError) as caught:
        client.call('DescribeRelaySourceV3', '2023-01-01', {})
    assert caught.value.code == errors.INVALID_ENVELOPE


def test_http_error_without_error_envelope():
    client, session, _sleeper = make_client([FakeResponse(404, body={'message': 'no route'})])
    with pytest.raises(VolcengineTransportError) as caught:
        client.call('DescribeRelaySourceV3', '2023-01-01', {})
    assert caught.value.code == errors.HTTP_ERROR
    assert caught.value.http_status == 404
    assert len(session.calls) == 1


# -- retries ----------------------------------------------------------------------------------------------

def test_throttling_429_is_retried_then_succeeds():
    throttled = FakeResponse(429, envelope(error={'Code': 'FlowLimitExceeded', 'CodeN': 100018}))
    client, session, sleeper = make_client([throttled, throttled, FakeResponse(200, envelope({'x': 1}))])
    response = client.call('UpdateRelaySourceV3', '2023-01-01', {})
    assert response.attempts == 3
    assert len(sleeper.sleeps) == 2


def test_any_429_is_retried_even_with_unknown_code():
    client, session, sleeper = make_client([FakeResponse(429, envelope(error={'Code': 'Whatever'})),
                                            FakeResponse(200, envelope({}))])
    assert client.call('A', 'V', {}).attempts == 2


def test_throttling_code_with_other_status_is_retried():
    client, session, sleeper = make_client([FakeResponse(400, envelope(error={'Code': 'FlowLimitExceeded'})),
                                            FakeResponse(200, envelope({}))])
    assert client.call('A', 'V', {}).attempts == 2


def test_429_already_exists_is_not_retried():
    client, session, sleeper = make_client([
        FakeResponse(429, envelope(error={'Code': 'RequestLimitExceeded.Exist', 'Message': 'relay1 already exist'}),
                     headers={'Retry-After': '1'})])
    with pytest.raises(VolcengineAPIError) as caught:
        client.call('UpdateRelaySourceV3', '2023-01-01', {})
    assert caught.value.code == 'RequestLimitExceeded.Exist'
    assert caught.value.http_status == 429
    assert len(session.calls) == 1 and sleeper.sleeps == []


@pytest.mark.parametrize('status, code', [
    (400, 'InvalidParam'), (400, 'InvalidParam.BindError'), (401, 'SignatureDoesNotMatch'),
    (403, 'RequestForbidden'), (403, 'AccessDenied'), (404, 'ResourceNotFound'), (404, 'InvalidActionOrVersion'),
])
def test_other_4xx_are_not_retried(status, code):
    client, session, sleeper = make_client([FakeResponse(status, envelope(error={'Code': code, 'Message': 'm'}))])
    with pytest.raises(VolcengineAPIError) as caught:
        client.call('UpdateRelaySourceV3', '2023-01-01', {})
    assert caught.value.code == code and caught.value.http_status == status
    assert len(session.calls) == 1 and sleeper.sleeps == []


@pytest.mark.parametrize('status, code', [
    (500, 'InternalError'), (500, 'InternalError.DB'), (502, 'InternalServiceError'),
    (502, 'InternalServiceError.BadResponse'), (503, 'ServiceUnavailableTemp'), (504, 'InternalServiceTimeout'),
])
def test_5xx_retried_up_to_max_then_raised(status, code):
    client, session, sleeper = make_client([FakeResponse(status, envelope(error={'Code': code}))], max_retries=3)
    with pytest.raises(VolcengineAPIError) as caught:
        client.call('UpdateRelaySourceV3', '2023-01-01', {})
    assert caught.value.code == code
    assert caught.value.attempts == 4
    assert len(session.calls) == 4 and len(sleeper.sleeps) == 3


def test_default_max_retries_is_four():
    client, session, sleeper = make_client([FakeResponse(503, envelope(error={'Code': 'ServiceUnavailableTemp'}))])
    with pytest.raises(VolcengineAPIError):
        client.call('A', 'V', {})
    assert len(session.calls) == 5


def test_max_retries_zero_disables_retries():
    client, session, sleeper = make_client([FakeResponse(503, envelope(error={'Code': 'ServiceUnavailableTemp'}))],
                                           max_retries=0)
    with pytest.raises(VolcengineAPIError):
        client.call('A', 'V', {})
    assert len(session.calls) == 1


def test_retry_after_seconds_is_honoured():
    client, session, sleeper = make_client([
        FakeResponse(429, envelope(error={'Code': 'FlowLimitExceeded'}), headers={'Retry-After': '7'}),
        FakeResponse(503, envelope(error={'Code': 'ServiceUnavailableTemp'}), headers={'Retry-After': '3600'}),
        FakeResponse(200, envelope({})),
    ])
    client.call('A', 'V', {})
    assert sleeper.sleeps == [7.0, client_module.MAX_RETRY_AFTER]


def test_retry_after_http_date():
    now = 1704164645.0
    assert client_module.parse_retry_after('Tue, 02 Jan 2024 03:04:15 GMT', now=now) == 10.0
    assert client_module.parse_retry_after('Tue, 02 Jan 2024 03:04:00 GMT', now=now) == 0.0
    assert client_module.parse_retry_after('garbage', now=now) is None
    assert client_module.parse_retry_after(None) is None
    assert client_module.parse_retry_after('-5') == 0.0
    assert client_module.parse_retry_after('1.5') == 1.5


def test_backoff_is_jittered_exponential_and_capped():
    client, session, sleeper = make_client([FakeResponse(503, envelope(error={'Code': 'X'}))], max_retries=8,
                                           backoff_base=0.5, backoff_cap=4.0)
    with pytest.raises(VolcengineAPIError):
        client.call('A', 'V', {})
    ceilings = [min(4.0, 0.5 * 2 ** n) for n in range(8)]
    assert len(sleeper.sleeps) == 8
    for slept, ceiling in zip(sleeper.sleeps, ceilings):
        assert ceiling / 2 <= slept <= ceiling
    assert max(sleeper.sleeps) <= 4.0


def test_backoff_bounds_with_fixed_random():
    client, _s, _sl = make_client([FakeResponse()], random_fraction=lambda: 0.0)
    assert client._delay(1, None) == 0.25
    assert client._delay(3, None) == 1.0
    client.random_fraction = lambda: 1.0
    assert client._delay(3, None) == 2.0
    assert client._delay(30, None) == client_module.DEFAULT_BACKOFF_CAP


@pytest.mark.parametrize('exception, code', [
    (requests.exceptions.ConnectionError('refused'), errors.CONNECTION_ERROR),
    (requests.exceptions.ConnectTimeout('connect timed out'), errors.TIMEOUT),
    (requests.exceptions.ReadTimeout('read timed out'), errors.TIMEOUT),
])
def test_connection_errors_and_timeouts_are_retried(exception, code):
    client, session, sleeper = make_client([exception, exception, FakeResponse(200, envelope({'ok': 1}))])
    assert client.call('A', 'V', {}).attempts == 3
    client, session, sleeper = make_client([exception], max_retries=2)
    with pytest.raises(VolcengineTransportError) as caught:
        client.call('A', 'V', {})
    assert caught.value.code == code
    assert len(session.calls) == 3


def test_tls_error_is_not_retried_and_says_what_to_do():
    client, session, sleeper = make_client([requests.exceptions.SSLError('certificate verify failed')])
    with pytest.raises(VolcengineTransportError) as caught:
        client.call('A', 'V', {})
    assert caught.value.code == errors.TLS_VERIFICATION_FAILED
    assert len(session.calls) == 1
    assert 'ca_bundle' in caught.value.full_message()
    assert 'validate_certs' in caught.value.full_message()


def test_rate_limiter_acquired_before_every_attempt():
    class Limiter(object):
        count = 0

        def acquire(self, should_stop=None):
            self.count += 1
            return 0.0

    limiter = Limiter()
    client, session, sleeper = make_client([FakeResponse(503, envelope(error={'Code': 'X'})), FakeResponse()],
                                           rate_limiter=limiter)
    client.call('A', 'V', {})
    assert limiter.count == 2 == len(session.calls)


def test_every_attempt_is_signed_with_a_fresh_date():
    times = iter([1704164645.0, 1704164645.0, 1704164700.0, 1704164700.0, 1704164700.0])
    client, session, sleeper = make_client([FakeResponse(503, envelope(error={'Code': 'X'})), FakeResponse()],
                                           clock=lambda: next(times))
    client.call('A', 'V', {})
    assert session.calls[0]['headers']['X-Date'] == '20240102T030405Z'
    assert session.calls[1]['headers']['X-Date'] == '20240102T030500Z'
    assert session.calls[0]['headers']['Authorization'] != session.calls[1]['headers']['Authorization']


@pytest.mark.parametrize('validate_certs, ca_bundle, expected', [
    (True, None, True), (True, '/etc/ca.pem', '/etc/ca.pem'), (False, '/etc/ca.pem', False), (False, None, False),
])
def test_verify_argument(validate_certs, ca_bundle, expected):
    client, session, _sleeper = make_client([FakeResponse()], validate_certs=validate_certs, ca_bundle=ca_bundle)
    client.call('A', 'V', {})
    assert session.calls[0]['verify'] == expected


@pytest.mark.parametrize('endpoint, url, host', [
    ('https://live.volcengineapi.com', 'https://live.volcengineapi.com/', 'live.volcengineapi.com'),
    ('live.volcengineapi.com', 'https://live.volcengineapi.com/', 'live.volcengineapi.com'),
    ('https://live.volcengineapi.com:443/', 'https://live.volcengineapi.com/', 'live.volcengineapi.com'),
    ('http://127.0.0.1:8080', 'http://127.0.0.1:8080/', '127.0.0.1:8080'),
    ('http://127.0.0.1:80', 'http://127.0.0.1/', '127.0.0.1'),
    ('https://example.com:8443/prefix/', 'https://example.com:8443/prefix/', 'example.com:8443'),
    ('http://[::1]:9000', 'http://[::1]:9000/', '[::1]:9000'),
])
def test_endpoint_forms(endpoint, url, host):
    client, session, _sleeper = make_client([FakeResponse()], endpoint=endpoint)
    client.call('A', 'V', {})
    assert session.calls[0]['url'] == url + '?Action=A&Version=V'
    assert session.calls[0]['headers']['Host'] == host


@pytest.mark.parametrize('endpoint', ['ftp://example.com', 'https://', 'http:///path'])
def test_bad_endpoint_raises_value_error(endpoint):
    with pytest.raises(ValueError):
        make_client([FakeResponse()], endpoint=endpoint)


@pytest.mark.parametrize('endpoint', ['https://user:pa55word@', 'user:pa55word@:443/x', 'https://user:pa55word@/path?q=1',
                                      'ftp://user:pa55word@example.com'])
def test_a_bad_endpoint_s_message_hides_its_userinfo(endpoint):
    with pytest.raises(ValueError) as raised:
        make_client([FakeResponse()], endpoint=endpoint)
    assert 'pa55word' not in str(raised.value) and '***@' in str(raised.value)


def test_the_client_repr_hides_the_endpoint_s_userinfo():
    client, _session, _sleeper = make_client([FakeResponse()], endpoint='https://user:pa55word@example.com:8443/prefix')
    assert 'pa55word' not in repr(client) and "'https://***@example.com:8443/prefix'" in repr(client)


def test_user_agent_has_the_single_version_constant_matching_the_collection_version():
    client, session, _sleeper = make_client([FakeResponse()])
    client.call('A', 'V', {})
    assert session.calls[0]['headers']['User-Agent'] == \
        'volcengine.cloud/%s (ansible-collection)' % client_module.COLLECTION_VERSION
    assert collection_version() == client_module.COLLECTION_VERSION


def collection_version():
    """galaxy.yml's version in the source tree; MANIFEST.json's in a built or installed collection."""
    galaxy_yml = os.path.join(COLLECTION_DIR, 'galaxy.yml')
    if not os.path.exists(galaxy_yml):
        with open(os.path.join(COLLECTION_DIR, 'MANIFEST.json')) as manifest:
            return json.load(manifest)['collection_info']['version']
    with open(galaxy_yml) as galaxy:
        return re.search(r'^version:\s*(\S+)', galaxy.read(), re.M).group(1).strip('\'"')


def test_session_token_header_sent():
    client, session, _sleeper = make_client([FakeResponse()], session_token=SESSION_TOKEN)
    client.call('A', 'V', {})
    assert session.calls[0]['headers']['X-Security-Token'] == SESSION_TOKEN
    assert 'x-security-token' in session.calls[0]['headers']['Authorization']


# -- secrets never leak ------------------------------------------------------------------------------------

def _assert_clean(text, sent_headers=None):
    assert SECRET_KEY not in text
    assert SESSION_TOKEN not in text
    assert not re.search(r'Signature=[0-9a-f]{8}', text)
    for name in ('Authorization', 'X-Security-Token', 'X-Content-Sha256'):
        if name in (sent_headers or {}):
            assert sent_headers[name] not in text
    if sent_headers:
        signature = sent_headers['Authorization'].rsplit('=', 1)[1]
        assert signature not in text


@pytest.mark.parametrize('script', [
    [FakeResponse(403, envelope(error={'Code': 'SignatureDoesNotMatch', 'Message': (
        'expected Signature=0123456789abcdef0123 for secret %s token %s' % (SECRET_KEY, SESSION_TOKEN))}))],
    [FakeResponse(502, raw=('<html>Authorization: HMAC-SHA256 Signature=deadbeefdeadbeef %s</html>'
                            % SECRET_KEY).encode('utf-8'))],
    [requests.exceptions.ConnectionError('failed with %s Signature=abcdef0123456789' % SECRET_KEY)],
    [requests.exceptions.SSLError('bad cert %s' % SESSION_TOKEN)],
    [requests.exceptions.ReadTimeout('slow')],
    [FakeResponse(200, raw=b'')],
])
def test_errors_never_contain_secrets_or_signature(script):
    client, session, _sleeper = make_client(script, session_token=SESSION_TOKEN, max_retries=1)
    with pytest.raises(VolcengineError) as caught:
        client.call('UpdateRelaySourceV3', '2023-01-01', {'Vhost': 'v'})
    error = caught.value
    sent = session.calls[0]['headers']
    _assert_clean(str(error), sent)
    _assert_clean(repr(error), sent)
    _assert_clean(error.full_message(), sent)
    _assert_clean(json.dumps(error.to_result()), sent)
    _assert_clean(repr(client), sent)
    _assert_clean(repr(vars(error)), sent)
    # and the request really was signed with those secrets
    assert session.calls[0]['headers']['X-Security-Token'] == SESSION_TOKEN


# -- a real local server ----------------------------------------------------------------------------------

def ok(body=None, status=200, headers=None, delay=0):
    """A JSON answer (``body`` defaults to an empty envelope), sent after ``delay`` seconds."""
    payload = json.dumps(body if body is not None else envelope({})).encode('utf-8')
    return hostile_server.answer(payload, status, headers, delay)


def _sdk_signature_of(received, path_and_query, region='cn-north-1', service='live'):
    """Recompute the received request's signature with the official SDK from what arrived on the wire."""
    from volcengine.auth.SignerV4 import SignerV4
    from volcengine.auth.SignParam import SignParam
    from volcengine.Credentials import Credentials
    from urllib.parse import parse_qsl, urlsplit
    headers = received['headers']
    authorization = headers['Authorization']
    signed_names = re.search(r'SignedHeaders=([^,]+)', authorization).group(1).split(';')
    canonical = {'content-type': 'Content-Type', 'content-md5': 'Content-Md5', 'host': 'Host'}
    header_list = collections.OrderedDict()
    lower_headers = dict((name.lower(), value) for name, value in headers.items())
    for name in signed_names:
        if name in ('x-date', 'x-content-sha256', 'x-security-token'):
            continue
        proper = canonical.get(name) or '-'.join(part.capitalize() for part in name.split('-'))
        header_list[proper] = lower_headers[name]
    parts = urlsplit(path_and_query)
    param = SignParam()
    param.set_method('POST')
    param.set_path(parts.path)
    param.set_query(collections.OrderedDict(parse_qsl(parts.query, keep_blank_values=True)))
    param.set_header_list(header_list)
    param.set_body(received['body'])
    param.set_date(datetime.datetime.strptime(lower_headers['x-date'], '%Y%m%dT%H%M%SZ'))
    token = lower_headers.get('x-security-token', '')
    result = SignerV4.sign_only(param, Credentials(ACCESS_KEY, SECRET_KEY, service, region, token))
    return result.authorization


def test_real_server_bytes_on_the_wire_are_what_was_signed():
    with HostileServer(ok(envelope({'RelaySourceConfigList': [{'Vhost': 'v'}]}, request_id='WIRE-1'))) as server:
        client = VolcengineClient(ACCESS_KEY, SECRET_KEY, session_token=SESSION_TOKEN, endpoint=server.url,
                                  region='cn-north-1', rate_limiter=None)
        response = client.call('DescribeRelaySourceV3', '2023-01-01', {'Vhost': u'推流.example.com', 'App': 'live'})
        client.close()
    assert response.result == {'RelaySourceConfigList': [{'Vhost': 'v'}]}
    assert response.request_id == 'WIRE-1'
    received = server.requests[0]
    assert received['path'] == '/?Action=DescribeRelaySourceV3&Version=2023-01-01'
    assert received['body'] == u'{"Vhost":"推流.example.com","App":"live"}'.encode('utf-8')
    assert received['headers']['Content-Type'] == 'application/json'
    assert received['headers']['Host'] == server.url.split('://')[1]
    assert received['headers']['X-Security-Token'] == SESSION_TOKEN
    assert received['headers']['User-Agent'].startswith('volcengine.cloud/')
    assert received['headers']['Authorization'] == _sdk_signature_of(received, received['path'])


def test_real_server_retries_503_with_retry_after_then_succeeds():
    sleeper = Sleeper()
    script = [ok(envelope(error={'Code': 'ServiceUnavailableTemp'}, request_id='R1'), status=503,
                 headers={'Retry-After': '2'}),
              ok(envelope({'done': True}, request_id='R2'))]
    with HostileServer(*script) as server:
        client = VolcengineClient(ACCESS_KEY, SECRET_KEY, endpoint=server.url, sleep=sleeper)
        response = client.call('UpdateRelaySourceV3', '2023-01-01', {})
    assert response.result == {'done': True} and response.attempts == 2
    assert sleeper.sleeps == [2.0]
    assert client.request_ids == ['R1', 'R2']
    assert len(server.requests) == 2


def test_real_server_html_502_page():
    page = b'<html><body><h1>502 Bad Gateway</h1></body></html>'
    with HostileServer(hostile_server.answer(page, 502, {'Content-Type': 'text/html'})) as server:
        client = VolcengineClient(ACCESS_KEY, SECRET_KEY, endpoint=server.url, sleep=Sleeper(), max_retries=1)
        with pytest.raises(VolcengineTransportError) as caught:
            client.call('UpdateRelaySourceV3', '2023-01-01', {})
    assert caught.value.code == errors.NON_JSON_RESPONSE and caught.value.http_status == 502
    assert 'text/html' in str(caught.value) and '502 Bad Gateway' in str(caught.value)
    assert len(server.requests) == 2


def test_real_server_timeout_is_retried():
    sleeper = Sleeper()
    with HostileServer(ok(delay=1.0), ok(envelope({'late': False}))) as server:
        client = VolcengineClient(ACCESS_KEY, SECRET_KEY, endpoint=server.url, sleep=sleeper, timeout=0.3)
        response = client.call('DescribeRelaySourceV3', '2023-01-01', {})
    assert response.result == {'late': False} and response.attempts == 2


def test_real_connection_refused_is_retried_then_raised():
    probe = socket.socket()
    probe.bind(('127.0.0.1', 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    sleeper = Sleeper()
    client = VolcengineClient(ACCESS_KEY, SECRET_KEY, endpoint='http://127.0.0.1:%d' % port, sleep=sleeper,
                              max_retries=2, timeout=2)
    with pytest.raises(VolcengineTransportError) as caught:
        client.call('DescribeRelaySourceV3', '2023-01-01', {})
    assert caught.value.code == errors.CONNECTION_ERROR
    assert caught.value.attempts == 3 and len(sleeper.sleeps) == 2
    assert '127.0.0.1:%d' % port in str(caught.value)


# -- real TLS ---------------------------------------------------------------------------------------------

@pytest.fixture(scope='module')
def self_signed(tmp_path_factory):
    pytest.importorskip('cryptography')  # test-only dependency, used to mint a certificate
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, u'127.0.0.1')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(u'127.0.0.1'))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    directory = tmp_path_factory.mktemp('tls')
    cert_path = directory / 'cert.pem'
    key_path = directory / 'key.pem'
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert_path), str(key_path))
    return context, str(cert_path)


def test_real_tls_unknown_ca_fails_clearly_and_ca_bundle_or_no_validation_works(self_signed):
    context, cert_path = self_signed
    with HostileServer(ok(envelope({'tls': True})), tls_context=context) as server:
        client = VolcengineClient(ACCESS_KEY, SECRET_KEY, endpoint=server.url, sleep=Sleeper())
        with pytest.raises(VolcengineTransportError) as caught:
            client.call('DescribeRelaySourceV3', '2023-01-01', {})
        assert caught.value.code == errors.TLS_VERIFICATION_FAILED
        assert caught.value.attempts == 1
        assert 'ca_bundle' in caught.value.full_message()

        trusted = VolcengineClient(ACCESS_KEY, SECRET_KEY, endpoint=server.url, ca_bundle=cert_path)
        assert trusted.call('DescribeRelaySourceV3', '2023-01-01', {}).result == {'tls': True}

        unverified = VolcengineClient(ACCESS_KEY, SECRET_KEY, endpoint=server.url, validate_certs=False)
        assert unverified.call('DescribeRelaySourceV3', '2023-01-01', {}).result == {'tls': True}


@pytest.mark.parametrize('variable', ['REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE'])
def test_a_ca_bundle_from_the_environment_does_not_replace_the_ca_store(self_signed, monkeypatch, variable):
    context, cert_path = self_signed
    for name in ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE'):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, cert_path)  # would make the self-signed endpoint trusted, silently
    with HostileServer(ok(envelope({'tls': True})), tls_context=context) as server:
        client = VolcengineClient(ACCESS_KEY, SECRET_KEY, endpoint=server.url, sleep=Sleeper(), max_retries=0)
        with pytest.raises(VolcengineTransportError) as caught:
            client.call('DescribeRelaySourceV3', '2023-01-01', {})
        assert caught.value.code == errors.TLS_VERIFICATION_FAILED
        trusted = VolcengineClient(ACCESS_KEY, SECRET_KEY, endpoint=server.url, ca_bundle=cert_path)
        assert trusted.call('DescribeRelaySourceV3', '2023-01-01', {}).result == {'tls': True}


def test_missing_ca_bundle_file_is_a_clear_tls_error(tmp_path):
    client, session, _sleeper = make_client([IOError('Could not find a suitable TLS CA certificate bundle')],
                                            ca_bundle=str(tmp_path / 'missing.pem'))
    with pytest.raises(VolcengineTransportError) as caught:
        client.call('A', 'V', {})
    assert caught.value.code == errors.TLS_VERIFICATION_FAILED
    assert 'missing.pem' in str(caught.value)
