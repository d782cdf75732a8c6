# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""VolcengineClient at its boundary: bad credentials, secrets in any encoding, netrc and proxies from the
environment, redirects, slow, cut, huge and hostile answers, and exceptions nobody expected.

Real answers come from the loopback servers of hostile_server.py; the rest from the scripted
fake session. Durations are measured only to tell "bounded by the timeout" from "bounded by the server", with
margins of several seconds.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import http.client
import json
import time
from urllib.parse import quote, quote_plus

import pytest
import requests
import urllib3

from ansible_collections.volcengine.cloud.plugins.module_utils import client as client_module
from ansible_collections.volcengine.cloud.plugins.module_utils import errors
from ansible_collections.volcengine.cloud.plugins.module_utils.client import (
    InvalidCredentialError,
    VolcengineClient,
)
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import (
    VolcengineAPIError,
    VolcengineError,
    VolcengineTransportError,
)
from ansible_collections.volcengine.cloud.tests.unit.plugins.module_utils import hostile_server
from ansible_collections.volcengine.cloud.tests.unit.plugins.module_utils.hostile_server import HostileServer
from ansible_collections.volcengine.cloud.tests.unit.plugins.module_utils.client_fakes import (
    ACCESS_KEY, SECRET_KEY, SESSION_TOKEN, FakeResponse, FakeSession, Sleeper, envelope, make_client)

# A token with every character that JSON, repr or URL encoding changes.
SPECIAL_TOKEN = 'STS/t0k+en=="q\'\\z&%ab'


def error_texts(error):
    return [str(error), repr(error), error.full_message(), json.dumps(error.to_result()), repr(vars(error))]


def encoded_forms(secret):
    """The forms the issue saw secrets take in messages: as is, repr-escaped, JSON- and URL-encoded."""
    forms = {secret, repr(secret)[1:-1], json.dumps(secret)[1:-1], quote(secret, safe=''), quote(secret),
             quote_plus(secret), quote(json.dumps(secret), safe=''), json.dumps(quote(secret, safe=''))[1:-1]}
    return sorted(forms)


def assert_no_secret_in(error, secrets=(SECRET_KEY, SESSION_TOKEN)):
    for text in error_texts(error):
        for secret in secrets:
            for form in encoded_forms(secret):
                assert form not in text, (form, text)


# -- credentials: checked before anything is sent ------------------------------------------------------------

BAD_CREDENTIALS = [
    pytest.param('session_token', SESSION_TOKEN + '\n', 'ends with a line break', id='token-trailing-newline'),
    pytest.param('session_token', SESSION_TOKEN + '\r\n', 'ends with a line break', id='token-trailing-crlf'),
    pytest.param('access_key', u'\u201c' + ACCESS_KEY + u'\u201d', 'non-ASCII', id='access-key-smart-quotes'),
    pytest.param('secret_key', SECRET_KEY + u'\u2019', 'non-ASCII', id='secret-key-smart-quote'),
    pytest.param('secret_key', SECRET_KEY + u'\u00a0', 'ends with whitespace', id='secret-key-nbsp'),
    pytest.param('secret_key', 'SK-with a-space', 'contains whitespace', id='secret-key-space'),
    pytest.param('access_key', ' ' + ACCESS_KEY, 'starts with whitespace', id='access-key-leading-space'),
    pytest.param('session_token', 'STS-tok\x00en-value', 'control character', id='token-nul'),
    pytest.param('session_token', u'STS-t\u00f6ken-value', 'non-ASCII', id='token-latin-1'),
]


@pytest.mark.parametrize('option, value, problem', BAD_CREDENTIALS)
def test_bad_credential_is_refused_before_any_request_naming_the_option_never_the_value(option, value, problem):
    credentials = dict(access_key=ACCESS_KEY, secret_key=SECRET_KEY, session_token=SESSION_TOKEN)
    credentials[option] = value
    session = FakeSession([FakeResponse()])
    with pytest.raises(InvalidCredentialError) as caught:
        VolcengineClient(session=session, **credentials)
    assert isinstance(caught.value, ValueError)
    message = str(caught.value)
    assert message.startswith(option + ' ') and problem in message
    assert 'printable ASCII' in message
    core = value.strip().strip(u'\u201c\u201d\u2019')
    for form in (value, repr(value)[1:-1], json.dumps(value)[1:-1], quote(value), core, core[:12]):
        assert form not in message
    assert session.calls == []


def test_credential_message_names_the_environment_variable_when_given():
    with pytest.raises(InvalidCredentialError) as caught:
        client_module.check_credentials(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN + '\n',
                                        env_names={'session_token': 'VOLCENGINE_SESSION_TOKEN'})
    assert str(caught.value).startswith('session_token (or VOLCENGINE_SESSION_TOKEN) ends with a line break')


@pytest.mark.parametrize('token', [None, '', SPECIAL_TOKEN, 'A' * 2000])
def test_good_credentials_are_accepted(token):
    client_module.check_credentials(ACCESS_KEY, SECRET_KEY, token)
    VolcengineClient(ACCESS_KEY, SECRET_KEY, session_token=token, session=FakeSession([FakeResponse()]))


# -- the scrubber: every form of every secret -----------------------------------------------------------------

def _messages_holding(secret):
    return [template % form for form in encoded_forms(secret) for template in (
        'token %s rejected', "Invalid header value: '%s'", '{"token": "%s"}', 'GET /?token=%s HTTP/1.1')]


@pytest.mark.parametrize('secret', [SPECIAL_TOKEN, SECRET_KEY])
def test_secrets_are_scrubbed_in_every_encoding_wherever_the_server_puts_them(secret):
    for text in _messages_holding(secret):
        script = [
            FakeResponse(403, envelope(error={'Code': 'SignatureDoesNotMatch', 'Message': text})),
            FakeResponse(403, envelope(error={'Code': text, 'Message': 'm'}, request_id=text)),
            FakeResponse(403, envelope(error=text)),
            FakeResponse(502, raw=('<html>%s</html>' % text).encode('utf-8')),
            requests.exceptions.InvalidHeader(text),
            requests.exceptions.ConnectionError(text),
            ValueError(text),
        ]
        for item in script:
            client, _session, _sleeper = make_client([item], secret_key=SECRET_KEY, session_token=SPECIAL_TOKEN,
                                                     max_retries=0)
            with pytest.raises(VolcengineError) as caught:
                client.call('UpdateRelaySourceV3', '2023-01-01', {})
            assert_no_secret_in(caught.value, (SECRET_KEY, SPECIAL_TOKEN))
            assert all(secret not in request_id for request_id in client.request_ids)


def test_escape_sequences_cannot_smuggle_a_secret_past_the_scrubber():
    smuggled = SECRET_KEY[:6] + '\x1b[0m' + SECRET_KEY[6:]
    client, _session, _sleeper = make_client([FakeResponse(400, envelope(error={'Code': 'X', 'Message': smuggled}))])
    with pytest.raises(VolcengineAPIError) as caught:
        client.call('A', 'V', {})
    assert_no_secret_in(caught.value)


def test_a_secret_cut_by_the_scrub_window_leaves_no_part_behind():
    message = ' ' * (client_module.SCRUB_WINDOW - 12) + SECRET_KEY + ' tail'
    client, _session, _sleeper = make_client([FakeResponse(400, envelope(error={'Code': 'X', 'Message': message}))])
    with pytest.raises(VolcengineAPIError) as caught:
        client.call('A', 'V', {})
    for text in error_texts(caught.value):
        assert SECRET_KEY[:8] not in text


def test_the_signature_sent_is_scrubbed_even_without_its_label():
    client, session, _sleeper = make_client([requests.exceptions.ConnectionError('x')], max_retries=0)
    with pytest.raises(VolcengineTransportError):
        client.call('A', 'V', {})
    signature = session.calls[0]['headers']['Authorization'].rsplit('=', 1)[1]
    echo = FakeResponse(401, envelope(error={'Code': 'SignatureDoesNotMatch', 'Message': 'got %s' % signature}))
    client.session = FakeSession([echo])
    with pytest.raises(VolcengineAPIError) as caught:
        client.call('A', 'V', {})
    assert client.session.calls[0]['headers']['Authorization'].endswith(signature)
    assert signature not in caught.value.message


# -- the environment: proxies yes, netrc and CA bundles no ---------------------------------------------------

@pytest.fixture
def clean_proxy_environment(monkeypatch):
    for name in ('HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'all_proxy',
                 'no_proxy', 'NETRC'):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_netrc_default_entry_never_replaces_the_signature(tmp_path, clean_proxy_environment):
    netrc = tmp_path / 'netrc'
    netrc.write_text('default login intruder password netrc-password-XYZZY\n')
    netrc.chmod(0o600)
    clean_proxy_environment.setenv('NETRC', str(netrc))
    clean_proxy_environment.setenv('HOME', str(tmp_path))
    with HostileServer(hostile_server.answer()) as server:
        client = VolcengineClient(ACCESS_KEY, SECRET_KEY, session_token=SESSION_TOKEN, endpoint=server.url)
        client.call('DescribeRelaySourceV3', '2023-01-01', {'Vhost': 'v'})
    received = server.requests[0]['headers']
    assert received['Authorization'].startswith('HMAC-SHA256 Credential=%s/' % ACCESS_KEY)
    assert 'Basic' not in received['Authorization']
    assert received['X-Security-Token'] == SESSION_TOKEN


@pytest.mark.parametrize('variable', ['HTTP_PROXY', 'http_proxy', 'ALL_PROXY'])
def test_proxy_from_the_environment_is_still_used(variable, clean_proxy_environment):
    with HostileServer(hostile_server.answer()) as proxy:
        clean_proxy_environment.setenv(variable, proxy.url)
        client = VolcengineClient(ACCESS_KEY, SECRET_KEY, endpoint='http://live-api.example.test:8080')
        client.call('DescribeRelaySourceV3', '2023-01-01', {})
    assert proxy.requests[0]['path'] == 'http://live-api.example.test:8080/?Action=DescribeRelaySourceV3&Version=2023-01-01'
    assert proxy.requests[0]['headers']['Host'] == 'live-api.example.test:8080'
    assert proxy.requests[0]['headers']['Authorization'].startswith('HMAC-SHA256 ')


def test_no_proxy_from_the_environment_is_honoured(clean_proxy_environment):
    with HostileServer(hostile_server.answer()) as server, HostileServer(hostile_server.answer()) as proxy:
        clean_proxy_environment.setenv('HTTP_PROXY', proxy.url)
        clean_proxy_environment.setenv('NO_PROXY', '127.0.0.1')
        client = VolcengineClient(ACCESS_KEY, SECRET_KEY, endpoint=server.url)
        client.call('DescribeRelaySourceV3', '2023-01-01', {})
    assert len(server.requests) == 1 and proxy.requests == []


# -- redirects: an error, never followed -----------------------------------------------------------------------

@pytest.mark.parametrize('status', [301, 302, 303, 307, 308])
def test_redirect_is_an_error_and_the_target_receives_nothing(status):
    sleeper = Sleeper()
    with HostileServer(hostile_server.answer()) as target:
        location = 'http://user:pa55word@127.0.0.1:%d/steal?token=abc' % target.port
        with HostileServer(hostile_server.redirect(location, status)) as origin:
            client = VolcengineClient(ACCESS_KEY, SECRET_KEY, session_token=SESSION_TOKEN, endpoint=origin.url,
                                      sleep=sleeper, max_retries=3)
            with pytest.raises(VolcengineTransportError) as caught:
                client.call('UpdateRelaySourceV3', '2023-01-01', {'Vhost': 'v'})
    error = caught.value
    assert error.code == errors.REDIRECTED and error.http_status == status
    assert 'HTTP %d' % status in error.message and 'to host 127.0.0.1:%d' % target.port in error.message
    for part in ('steal', 'token=abc', 'pa55word', 'user'):
        assert part not in error.full_message()
    assert target.requests == []
    assert len(origin.requests) == 1 and error.attempts == 1 and sleeper.sleeps == []


@pytest.mark.parametrize('headers, target', [
    ({'Location': '/elsewhere?x=1'}, 'to a path on the same host'),
    ({}, 'without a Location'),
    ({'Location': 'http://[not-a-host/'}, 'to a location that is not a valid URL'),
    ({'Location': u'http://\u00e9vil\x1b[31m.example/'}, 'to a location that is not a valid URL'),
    ({'Location': 'https://other.example.com/x'}, 'to host other.example.com'),
])
def test_redirect_message_tells_only_the_target_host(headers, target):
    client, _session, _sleeper = make_client([FakeResponse(302, raw=b'', headers=headers)])
    with pytest.raises(VolcengineTransportError) as caught:
        client.call('A', 'V', {})
    assert caught.value.code == errors.REDIRECTED
    assert target in caught.value.message
    assert 'elsewhere' not in caught.value.message and '\x1b' not in caught.value.message


# -- a deadline per attempt, the body included --------------------------------------------------------------

@pytest.mark.parametrize('whole_answer', [False, True], ids=['body-dripped', 'status-line-and-headers-dripped'])
def test_a_dripping_server_cannot_hold_an_attempt_beyond_its_timeout(whole_answer):
    # ~80 bytes at 0.25 s each: 20 s if each socket read were its own allowance; the attempt must end at ~1 s.
    with HostileServer(hostile_server.drip(interval=0.25, whole_answer=whole_answer)) as server:
        client = VolcengineClient(ACCESS_KEY, SECRET_KEY, endpoint=server.url, timeout=1, max_retries=0)
        started = time.monotonic()
        with pytest.raises(VolcengineTransportError) as caught:
            client.call('DescribeRelaySourceV3', '2023-01-01', {})
        elapsed = time.monotonic() - started
    assert caught.value.code == errors.TIMEOUT
    assert 'no complete answer' in caught.value.message
    assert elapsed < 5, 'the attempt outlived its 1 s timeout by far: %.1f s' % elapsed


def test_each_retry_gets_one_timeout_and_the_call_is_bounded():
    sleeper = Sleeper()
    with HostileServer(hostile_server.drip(interval=0.25)) as server:
        client = VolcengineClient(ACCESS_KEY, SECRET_KEY, endpoint=server.url, timeout=1, max_retries=2,
                                  sleep=sleeper)
        started = time.monotonic()
        with pytest.raises(VolcengineTransportError) as caught:
            client.call('DescribeRelaySourceV3', '2023-01-01', {})
        elapsed = time.monotonic() - started
    assert caught.value.attempts == 3 and len(server.requests) == 3 and len(sleeper.sleeps) == 2
    assert elapsed < 3 * 1 + 6
    assert 'It was retried 2 times with backoff.' in caught.value.full_message()


# -- a body cut mid-answer: retried like a dropped connection, reported as a cut ------------------------------

@pytest.mark.parametrize('reset', [False, True], ids=['closed', 'reset'])
def test_real_body_cut_mid_answer_is_retried_then_succeeds(reset):
    with HostileServer(hostile_server.cut(keep=20, reset=reset), hostile_server.answer()) as server:
        client = VolcengineClient(ACCESS_KEY, SECRET_KEY, endpoint=server.url, sleep=Sleeper())
        response = client.call('DescribeRelaySourceV3', '2023-01-01', {})
    assert response.attempts == 2 and response.result == {'RelaySourceConfigList': []}
    assert len(server.requests) == 2


def test_real_body_cut_every_time_fails_as_a_cut_not_as_could_not_connect():
    with HostileServer(hostile_server.cut(keep=20)) as server:
        client = VolcengineClient(ACCESS_KEY, SECRET_KEY, endpoint=server.url, sleep=Sleeper(), max_retries=1)
        with pytest.raises(VolcengineTransportError) as caught:
            client.call('DescribeRelaySourceV3', '2023-01-01', {})
    assert caught.value.code == errors.CONNECTION_ERROR
    assert 'cut while reading the answer' in caught.value.message
    assert 'could not connect' not in caught.value.full_message().lower()
    assert caught.value.attempts == 2 and len(server.requests) == 2


@pytest.mark.parametrize('failure', [
    urllib3.exceptions.ProtocolError('Connection broken: IncompleteRead(20 bytes read, 80 more expected)'),
    urllib3.exceptions.IncompleteRead(20, 80),
    http.client.IncompleteRead(b'partial', 80),
    ConnectionResetError(104, 'Connection reset by peer'),
    requests.exceptions.ChunkedEncodingError('Connection broken: InvalidChunkLength'),
], ids=['protocol-error', 'urllib3-incomplete-read', 'http-client-incomplete-read', 'reset', 'chunked-encoding'])
def test_read_errors_mid_body_are_retried_and_reported_as_a_cut(failure):
    cut = FakeResponse(200, raw=b'{"ResponseMetadata": {"Req', failure=failure)
    client, session, sleeper = make_client([cut, FakeResponse(200, envelope({'ok': 1}))])
    assert client.call('A', 'V', {}).attempts == 2
    client, session, sleeper = make_client([cut], max_retries=2)
    with pytest.raises(VolcengineTransportError) as caught:
        client.call('A', 'V', {})
    assert caught.value.code == errors.CONNECTION_ERROR and caught.value.attempts == 3
    assert 'cut while reading the answer' in caught.value.message


def test_a_body_shorter_than_its_content_length_is_a_cut():
    short = FakeResponse(200, raw=b'{"ResponseMetadata": {}}', headers={'Content-Length': '500'})
    client, session, _sleeper = make_client([short], max_retries=1)
    with pytest.raises(VolcengineTransportError) as caught:
        client.call('A', 'V', {})
    assert caught.value.code == errors.CONNECTION_ERROR and len(session.calls) == 2
    assert '24 of the 500 bytes' in caught.value.message


def test_requests_chunked_encoding_error_before_the_body_is_a_cut_too():
    client, session, _sleeper = make_client([requests.exceptions.ChunkedEncodingError('broken')], max_retries=1)
    with pytest.raises(VolcengineTransportError) as caught:
        client.call('A', 'V', {})
    assert caught.value.code == errors.CONNECTION_ERROR and len(session.calls) == 2


def test_connection_closed_without_an_answer_is_not_called_could_not_connect():
    aborted = requests.exceptions.ConnectionError(urllib3.exceptions.ProtocolError(
        'Connection aborted.', http.client.RemoteDisconnected('Remote end closed connection without response')))
    client, _session, _sleeper = make_client([aborted], max_retries=0)
    with pytest.raises(VolcengineTransportError) as caught:
        client.call('A', 'V', {})
    assert 'closed before an answer arrived' in caught.value.message


# -- answers above the cap -----------------------------------------------------------------------------------

@pytest.mark.parametrize('behaviour, detail', [
    (hostile_server.announced(2 * 1024 ** 3), 'Content-Length 2147483648'),
    (hostile_server.endless(), 'after decoding'),
    (hostile_server.gzip_bomb(11 * 1024 * 1024), 'after decoding'),
], ids=['content-length-2GiB', 'endless-chunked', 'gzip-bomb'])
def test_an_answer_over_the_cap_is_refused_without_reading_it_whole(behaviour, detail):
    with HostileServer(behaviour) as server:
        client = VolcengineClient(ACCESS_KEY, SECRET_KEY, endpoint=server.url, sleep=Sleeper(), timeout=20)
        with pytest.raises(VolcengineTransportError) as caught:
            client.call('DescribeRelaySourceV3', '2023-01-01', {})
    assert caught.value.code == errors.RESPONSE_TOO_LARGE
    assert detail in caught.value.message and '10485760 bytes' in caught.value.message
    assert len(server.requests) == 1, 'a too-large answer is not retried'


def test_a_compressed_answer_under_the_cap_is_read():
    import gzip
    body = hostile_server.envelope_bytes({'RelaySourceConfigList': [{'App': 'a' * 1000}]})
    with HostileServer(hostile_server.answer(gzip.compress(body), headers={'Content-Encoding': 'gzip'})) as server:
        client = VolcengineClient(ACCESS_KEY, SECRET_KEY, endpoint=server.url)
        response = client.call('DescribeRelaySourceV3', '2023-01-01', {})
    assert response.result == {'RelaySourceConfigList': [{'App': 'a' * 1000}]}


def test_counted_bytes_over_the_cap_stop_the_read():
    big = FakeResponse(200, raw=b' ' * (client_module.MAX_RESPONSE_BYTES + 1), piece=1024 * 1024)
    client, session, _sleeper = make_client([big])
    with pytest.raises(VolcengineTransportError) as caught:
        client.call('A', 'V', {})
    assert caught.value.code == errors.RESPONSE_TOO_LARGE and len(session.calls) == 1


# -- server text: bounded, no control characters or escape sequences ----------------------------------------

def test_server_code_message_and_request_id_are_bounded_and_cleaned():
    hostile = '\x1b[2J\x1b[31mALERT\x1b[0m \x1b]0;owned\x07bell\x07 nul\x00 bidi\u202egnp.exe del\x7f '
    error = {'Code': '\x1b[1mInvalidParam\x1b[0m\x00', 'Message': hostile + 'y' * 200000}
    client, _session, _sleeper = make_client([FakeResponse(400, envelope(error=error, request_id='RID\x1b[5m-' + 'r' * 10000))])
    with pytest.raises(VolcengineAPIError) as caught:
        client.call('A', 'V', {})
    error = caught.value
    assert error.code == 'InvalidParam'
    assert error.message.startswith('ALERT bell nul bidignp.exe del yyy')
    assert len(error.message) <= errors.MESSAGE_LIMIT
    assert len(error.request_id) <= errors.REQUEST_ID_LIMIT and error.request_id.startswith('RID-rrr')
    for text in error_texts(error) + client.request_ids:
        for character in ('\x1b', '\x07', '\x00', '\x7f', '\u202e', '[31m', ']0;'):
            assert character not in text
    assert len(error.full_message()) < 1200


def test_code_n_is_kept_only_as_a_number():
    client, _session, _sleeper = make_client([FakeResponse(400, envelope(error={'Code': 'X', 'CodeN': 'x' * 9999}))])
    with pytest.raises(VolcengineAPIError) as caught:
        client.call('A', 'V', {})
    assert caught.value.code_n is None


# -- nothing but the collection's own errors leaves call() ------------------------------------------------------

@pytest.mark.parametrize('failure', [
    UnicodeEncodeError('latin-1', u'\u201c', 0, 1, 'ordinal not in range(256)'),
    urllib3.exceptions.LocationParseError('http://[::1'),
    requests.exceptions.InvalidURL('Failed to parse: http://exa mple'),
    requests.exceptions.InvalidHeader("Invalid return character or leading space in header: '%s\\n'" % SESSION_TOKEN),
    ValueError('something odd with %s' % SECRET_KEY),
    RuntimeError('unexpected'),
    KeyError('Content-Type'),
], ids=lambda failure: type(failure).__name__)
def test_unexpected_exceptions_become_a_scrubbed_request_failed_error(failure):
    client, session, sleeper = make_client([failure], session_token=SESSION_TOKEN)
    with pytest.raises(VolcengineTransportError) as caught:
        client.call('UpdateRelaySourceV3', '2023-01-01', {})
    error = caught.value
    assert error.code == errors.REQUEST_FAILED
    assert type(failure).__name__ in error.message
    assert error.__cause__ is None and error.__context__ is None, 'a chained exception would show in a traceback'
    assert len(session.calls) == 1 and sleeper.sleeps == []
    assert_no_secret_in(error)


def test_a_body_that_cannot_be_serialised_is_a_collection_error():
    client, session, _sleeper = make_client([FakeResponse()])
    with pytest.raises(VolcengineTransportError) as caught:
        client.call('UpdateRelaySourceV3', '2023-01-01', {'when': object()})
    assert caught.value.code == errors.REQUEST_FAILED and session.calls == []
    assert caught.value.__context__ is None


def test_deeply_nested_json_is_a_non_json_answer():
    client, _session, _sleeper = make_client([FakeResponse(200, raw=b'[' * 100000 + b']' * 100000)])
    with pytest.raises(VolcengineTransportError) as caught:
        client.call('A', 'V', {})
    assert caught.value.code == errors.NON_JSON_RESPONSE


def test_undecodable_content_encoding_is_reported_as_such():
    failure = urllib3.exceptions.DecodeError('Received response with content-encoding: gzip, but failed')
    broken = FakeResponse(200, raw=b'', failure=failure)
    client, session, _sleeper = make_client([broken])
    with pytest.raises(VolcengineTransportError) as caught:
        client.call('A', 'V', {})
    assert caught.value.code == errors.NON_JSON_RESPONSE and 'could not be decoded' in caught.value.message
    assert len(session.calls) == 1


# -- the message says what happened: retries only when there were some ------------------------------------------

@pytest.mark.parametrize('script', [
    [FakeResponse(503, envelope(error={'Code': 'ServiceUnavailableTemp'}))],
    [FakeResponse(429, envelope(error={'Code': 'FlowLimitExceeded'}))],
    [FakeResponse(200, envelope(error={'Code': 'CommonErr'}))],
    [requests.exceptions.ConnectionError('refused')],
    [requests.exceptions.ReadTimeout('slow')],
], ids=['503', 'throttled', 'commonerr', 'connection', 'timeout'])
def test_no_retry_is_claimed_with_max_retries_zero_and_the_count_is_told_otherwise(script):
    client, _session, _sleeper = make_client(script, max_retries=0)
    with pytest.raises(VolcengineError) as caught:
        client.call('A', 'V', {})
    assert caught.value.attempts == 1
    assert 'retried' not in caught.value.full_message().lower()
    client, _session, _sleeper = make_client(script, max_retries=2)
    with pytest.raises(VolcengineError) as caught:
        client.call('A', 'V', {})
    assert 'It was retried 2 times with backoff.' in caught.value.full_message()


def test_no_advice_sentence_claims_a_retry():
    for code, advice in errors.ERROR_ADVICE.items():
        assert 'retried' not in advice.replace('not retried', ''), code
