# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Advice that names the cause, read in the message a module shows (``full_message()``): a plain-HTTP endpoint
behind an https:// (or scheme-less) endpoint is "not TLS", not a certificate problem, and a region the API does
not serve the request in is the ``region`` option, not the secret key.

The real cases run against servers on 127.0.0.1: the emulator's own HTTP server (in-process, with its signature
check, which recomputes signatures with the official SDK) and raw sockets that answer a TLS hello with other bytes.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import socket
import threading

import pytest
import requests

from ansible_collections.volcengine.cloud.plugins.module_utils import errors
from ansible_collections.volcengine.cloud.plugins.module_utils.client import VolcengineClient, _split_endpoint
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineAPIError, VolcengineTransportError
from ansible_collections.volcengine.cloud.tests.unit.plugins.module_utils import hostile_server
from ansible_collections.volcengine.cloud.tests.unit.plugins.module_utils.hostile_server import HostileServer
from ansible_collections.volcengine.cloud.tests.unit.plugins.module_utils.client_fakes import Sleeper, make_client

NOT_TLS_ADVICE = errors.ERROR_ADVICE[errors.ENDPOINT_NOT_TLS]
CERTIFICATE_ADVICE = errors.ERROR_ADVICE[errors.TLS_VERIFICATION_FAILED]


@pytest.fixture
def emulator():
    """The emulator's HTTP server on 127.0.0.1 in a thread: (url, its api_model module)."""
    signature_check = pytest.importorskip('ansible_collections.volcengine.cloud.tests.emulator.signature_check')
    if not signature_check.HAS_SDK:
        pytest.skip('the volcengine SDK is needed to check signatures')
    from ansible_collections.volcengine.cloud.tests.emulator import api_model, live_emulator

    server = live_emulator.Server(('127.0.0.1', 0), live_emulator.Handler)
    server.model, server.checker = api_model.LiveAPIModel(), signature_check.SignatureChecker()
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield 'http://127.0.0.1:%d' % server.server_address[1], api_model
    finally:
        server.shutdown()
        server.server_close()


def failure_of(client):
    with pytest.raises(errors.VolcengineError) as caught:
        client.call('DescribeRelaySourceV3', '2023-01-01', {'Vhost': 'push.example.com', 'App': 'live'})
    return caught.value


# -- an https:// endpoint that answers in plain HTTP -------------------------------------------------------

def assert_not_tls(error, host):
    assert isinstance(error, VolcengineTransportError) and error.code == errors.ENDPOINT_NOT_TLS
    message = error.full_message()
    assert 'the endpoint %s did not answer in TLS' % host in message
    assert message.endswith(NOT_TLS_ADVICE)
    assert 'http:// URL' in message and 'check the port' in message
    assert 'CA certificates' not in message and 'ca_bundle' not in message
    assert error.attempts == 1 and error.sent is False  # not retried: the answer will not change


def test_an_https_endpoint_that_answers_in_plain_http_says_to_use_http(emulator):
    url, api_model = emulator
    host = url.split('://', 1)[1]
    keys = (api_model.DEMO_ACCESS_KEY, api_model.DEMO_SECRET_KEY)
    error = failure_of(VolcengineClient(*keys, endpoint='https://' + host, sleep=Sleeper()))
    assert_not_tls(error, host)
    assert 'wrong version number' in error.message.lower() or 'record layer' in error.message.lower()
    assert 'no scheme' not in error.message  # the user wrote https:// on purpose
    # The advice's fix works: the same endpoint with http://.
    answer = VolcengineClient(*keys, endpoint='http://' + host).call('DescribeRelaySourceV3', '2023-01-01',
                                                                     {'Vhost': 'push.example.com', 'App': 'live'})
    assert answer.request_id


def test_an_endpoint_without_a_scheme_is_https_and_the_message_says_so(emulator):
    url, _api_model = emulator
    host = url.split('://', 1)[1]
    assert _split_endpoint(host) == ('https://' + host, '/', host)  # a bare host:port defaults to https
    error = failure_of(VolcengineClient('AK', 'SK', endpoint=host, sleep=Sleeper()))
    assert_not_tls(error, host)
    assert error.message.endswith('; the endpoint option has no scheme, so https:// was used')


def test_a_hostile_plain_http_server_gets_no_request_through_the_tls_attempt():
    with HostileServer(hostile_server.answer()) as server:
        host = server.url.split('://', 1)[1]
        error = failure_of(VolcengineClient('AK', 'SK', endpoint='https://' + host, sleep=Sleeper()))
    assert_not_tls(error, host)
    assert server.requests == []


def raw_server(reply):
    """A socket on 127.0.0.1 that answers the first thing it receives (a TLS hello) with ``reply``; its port."""
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(1)

    def serve():
        connection, _address = listener.accept()
        try:
            connection.settimeout(5)
            connection.recv(4096)
            connection.sendall(reply)
        except OSError:
            pass
        finally:
            connection.close()
            listener.close()
    thread = threading.Thread(target=serve)
    thread.daemon = True
    thread.start()
    return listener.getsockname()[1]


@pytest.mark.parametrize('reply', [
    b'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',  # what an HTTP server says
    b'<html><body>not TLS</body></html>',
    b'SSH-2.0-OpenSSH_9.6\r\n',  # another service on the port
    b'\x16\x03\x03\xff\xff' + b'x' * 64,  # a record header announcing more than TLS allows: "packet length too long"
], ids=['http-answer', 'html', 'ssh-banner', 'oversized-record'])
def test_other_bytes_in_answer_to_the_tls_hello_are_not_tls(reply):
    port = raw_server(reply)
    host = '127.0.0.1:%d' % port
    assert_not_tls(failure_of(VolcengineClient('AK', 'SK', endpoint='https://' + host, sleep=Sleeper(), timeout=5)), host)


@pytest.mark.parametrize('reason', [
    '[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)',
    '[SSL: RECORD_LAYER_FAILURE] record layer failure (_ssl.c:1000)',  # OpenSSL 3.2 on
    '[SSL: PACKET_LENGTH_TOO_LONG] packet length too long (_ssl.c:1006)',
    '[SSL: UNKNOWN_PROTOCOL] unknown protocol (_ssl.c:600)',  # OpenSSL 1.0
    '[SSL: HTTP_REQUEST] http request (_ssl.c:1006)',
])
def test_every_wording_of_not_tls_gets_the_http_advice(reason):
    client, session, _sleeper = make_client([requests.exceptions.SSLError(reason)], endpoint='https://api.example.test:8080')
    error = failure_of(client)
    assert error.code == errors.ENDPOINT_NOT_TLS and reason in error.message
    assert error.full_message().endswith(NOT_TLS_ADVICE) and len(session.calls) == 1


@pytest.mark.parametrize('reason', [
    '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)',
    '[SSL: TLSV1_ALERT_PROTOCOL_VERSION] tlsv1 alert protocol version (_ssl.c:1006)',
    'hostname mismatch, certificate is not valid for api.example.test',
])
def test_a_real_tls_failure_keeps_the_certificate_advice(reason):
    client, _session, _sleeper = make_client([requests.exceptions.SSLError(reason)], endpoint='https://api.example.test')
    error = failure_of(client)
    assert error.code == errors.TLS_VERIFICATION_FAILED
    assert error.full_message().endswith(CERTIFICATE_ADVICE)


# -- a wrong region --------------------------------------------------------------------------------------

def test_a_wrong_region_against_the_emulator_names_the_region_option(emulator):
    url, api_model = emulator
    client = VolcengineClient(api_model.DEMO_ACCESS_KEY, api_model.DEMO_SECRET_KEY, endpoint=url, region='cn-beijing')
    error = failure_of(client)
    assert isinstance(error, VolcengineAPIError) and error.code == 'SignatureDoesNotMatch'
    assert '/cn-beijing/live/request does not match' in error.message  # the emulator quotes the credential scopes
    message = error.full_message()
    assert message.endswith(errors.ERROR_ADVICE[errors.WRONG_REGION])
    assert 'set the region option (or VOLCENGINE_REGION)' in message and 'cn-north-1' in message
    assert 'secret_key' not in message
    assert error.to_result()['error']['code'] == 'SignatureDoesNotMatch'  # the API's code, as it sent it

    right = VolcengineClient(api_model.DEMO_ACCESS_KEY, api_model.DEMO_SECRET_KEY, endpoint=url, region='cn-north-1')
    assert right.call('DescribeRelaySourceV3', '2023-01-01', {'Vhost': 'push.example.com', 'App': 'live'}).request_id


def test_a_wrong_secret_in_the_right_region_keeps_the_secret_key_advice(emulator):
    url, api_model = emulator
    error = failure_of(VolcengineClient(api_model.DEMO_ACCESS_KEY, 'not-the-secret', endpoint=url, region='cn-north-1'))
    assert error.code == 'SignatureDoesNotMatch'
    assert error.full_message().endswith(errors.ERROR_ADVICE['SignatureDoesNotMatch'])
    assert 'check that secret_key belongs to access_key' in error.full_message()


GATEWAY_SIGNATURE_MESSAGE = ('The request signature we calculated does not match the signature you provided. Check your '
                             'Secret Access Key and signing method. Consult the service documentation for details.')


@pytest.mark.parametrize('code, message, answer_region, wrong_region', [
    # the credential scope quoted, with another region than the client's
    ('SignatureDoesNotMatch', 'the credential scope 20260105/cn-beijing/live/request does not match '
                              '20260105/cn-north-1/live/request', 'cn-north-1', True),
    ('InvalidCredential', 'Credential=AKLTunittest/20260105/cn-north-1/live/request is not valid here: expected '
                          '20260105/ap-southeast-1/live/request', 'cn-north-1', True),
    # said in words
    ('SignatureDoesNotMatch', "Credential should be scoped to a valid region, not 'cn-north-1'.", None, True),
    ('InvalidCredential', "the region 'cn-north-1' is wrong; expecting 'cn-beijing'", None, True),
    # the answer's own region is another one
    ('SignatureDoesNotMatch', GATEWAY_SIGNATURE_MESSAGE, 'cn-beijing', True),
    # nothing says the region is wrong: the key is the likelier cause
    ('SignatureDoesNotMatch', GATEWAY_SIGNATURE_MESSAGE, 'cn-north-1', False),
    ('SignatureDoesNotMatch', 'the credential scope 20260104/cn-north-1/live/request does not match '
                              '20260105/cn-north-1/live/request', 'cn-north-1', False),  # only the date differs
    # not a signature code: never read as a region problem
    ('AccessDenied', "the region 'cn-north-1' is wrong; expecting 'cn-beijing'", 'cn-beijing', False),
])
def test_the_client_reads_the_region_out_of_a_signature_error(code, message, answer_region, wrong_region):
    body = hostile_server.envelope_bytes(error={'Code': code, 'Message': message})
    if answer_region != 'cn-north-1':
        body = body.replace(b'"Region": "cn-north-1"', b'"Region": %s' % (b'null' if answer_region is None else
                                                                          b'"%s"' % answer_region.encode('ascii')))
    with HostileServer(hostile_server.answer(body, status=401)) as server:
        error = failure_of(VolcengineClient('AKLTunittest', 'SK', endpoint=server.url, region='cn-north-1', max_retries=0))
    assert error.code == code
    advice = error.full_message()[len(str(error)) + 2:]
    if wrong_region:
        assert advice == errors.ERROR_ADVICE[errors.WRONG_REGION] and 'region option' in advice
    else:
        assert advice == errors.advice_for(code)
