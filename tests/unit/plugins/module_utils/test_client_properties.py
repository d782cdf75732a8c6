# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property tests (Hypothesis, a test-only dependency): whatever the endpoint answers and whatever the transport
raises, VolcengineClient.call ends in an APIResponse or one of the collection's own errors, and no error text
(nor any RequestId it keeps) holds a secret, in any encoding, or a control character."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import http.client
import json
import unicodedata
from urllib.parse import quote, quote_plus

import requests
import urllib3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.volcengine.cloud.plugins.module_utils import errors
from ansible_collections.volcengine.cloud.plugins.module_utils.client import APIResponse
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineError
from ansible_collections.volcengine.cloud.tests.unit.plugins.module_utils.client_fakes import (
    SECRET_KEY, FakeResponse, make_client)

TOKEN = 'STS/t0k+en=="q\'\\z&%ab'
FORMS = sorted({form for secret in (SECRET_KEY, TOKEN) for form in (
    secret, repr(secret)[1:-1], json.dumps(secret)[1:-1], quote(secret, safe=''), quote(secret), quote_plus(secret),
    json.dumps(secret)[1:-1].replace('/', '\\/'), quote(json.dumps(secret), safe=''))})
PROPERTY_SETTINGS = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text as a hostile server writes it: anything, sometimes with a secret (in some encoding) inside, sometimes with
# terminal escape sequences.
hostile_text = st.one_of(
    st.text(max_size=40),
    st.builds(lambda before, form, after: before + form + after, st.text(max_size=10), st.sampled_from(FORMS),
              st.text(max_size=10)),
    st.sampled_from(['\x1b[31mred\x1b[0m', '\x1b]0;title\x07', 'a\u202eb', '\x00\x7f\x9b2J', 'x' * 5000]),
)
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10 ** 40, max_value=10 ** 40),
                         st.floats(allow_nan=True, allow_infinity=True), hostile_text)
json_values = st.recursive(json_scalars, lambda children: st.one_of(
    st.lists(children, max_size=3), st.dictionaries(st.text(max_size=6), children, max_size=3)), max_leaves=8)
api_errors = st.one_of(json_values, st.fixed_dictionaries({}, optional={
    'Code': json_values, 'Message': json_values, 'CodeN': json_values}))
metadata = st.one_of(json_values, st.fixed_dictionaries({}, optional={
    'RequestId': json_values, 'Error': api_errors, 'Action': json_values}))
envelopes = st.one_of(json_values, st.fixed_dictionaries({'ResponseMetadata': metadata}, optional={
    'Result': st.one_of(json_values, st.fixed_dictionaries({}, optional={'RelaySourceConfigList': json_values}))}))


def _encode(document):
    return json.dumps(document).encode('utf-8')


bodies = st.one_of(
    envelopes.map(_encode),
    st.binary(max_size=64),
    hostile_text.map(lambda text: text.encode('utf-8', 'surrogatepass')),
    st.sampled_from([b'', b' ', b'[' * 5000, b'1' * 5000, b'{"ResponseMetadata": {"Error": {"Code": "' + b'9' * 5000]),
)
headers = st.dictionaries(
    st.sampled_from(['Content-Type', 'Retry-After', 'Location', 'Content-Length', 'X-Anything']),
    st.one_of(hostile_text, st.integers(min_value=0, max_value=2 ** 40).map(str), st.sampled_from(
        ['1', '-5', 'nan', 'inf', '1e400', 'Tue, 02 Jan 2024 03:04:15 GMT', 'Fri, 31 Dec 9999 23:59:59 GMT'])),
    max_size=3)
read_failures = st.one_of(st.none(), st.sampled_from([
    urllib3.exceptions.ProtocolError('Connection broken: ' + TOKEN),
    http.client.IncompleteRead(b'x', 5),
    ConnectionResetError(104, 'reset'),
    urllib3.exceptions.DecodeError('bad gzip ' + SECRET_KEY),
    urllib3.exceptions.ReadTimeoutError(None, '/', 'read timed out'),
]))
answers = st.builds(FakeResponse, status=st.integers(min_value=100, max_value=599), raw=bodies, headers=headers,
                    failure=read_failures, piece=st.one_of(st.none(), st.integers(min_value=1, max_value=64)))


def _exception(kind, text):
    return kind(text)


transport_failures = st.builds(_exception, st.sampled_from([
    requests.exceptions.ConnectionError, requests.exceptions.ReadTimeout, requests.exceptions.ConnectTimeout,
    requests.exceptions.SSLError, requests.exceptions.ChunkedEncodingError, requests.exceptions.InvalidHeader,
    requests.exceptions.InvalidURL, requests.exceptions.ContentDecodingError, urllib3.exceptions.LocationParseError,
    ValueError, TypeError, KeyError, RuntimeError, OSError, UnicodeError, RecursionError, MemoryError,
]), hostile_text)


def assert_clean(text):
    for form in FORMS:
        assert form not in text, (form, text)
    assert not any(unicodedata.category(character) == 'Cc' for character in text), text


def check_outcome(client, session):
    try:
        outcome = client.call('DescribeRelaySourceV3', '2023-01-01', {'Vhost': 'v'})
    except VolcengineError as error:
        assert error.attempts == len(session.calls) <= client.max_retries + 1
        for text in (str(error), error.full_message(), json.dumps(error.to_result())):
            assert_clean(text)
        assert len(error.message or '') <= errors.MESSAGE_LIMIT
        assert error.__context__ is None and error.__cause__ is None
    else:
        assert isinstance(outcome, APIResponse)
    for request_id in client.request_ids:
        assert_clean(request_id)
        assert len(request_id) <= errors.REQUEST_ID_LIMIT


@PROPERTY_SETTINGS
@given(script=st.lists(answers, min_size=1, max_size=3))
def test_any_answer_ends_in_a_response_or_a_collection_error_without_a_secret(script):
    client, session, _sleeper = make_client(script, session_token=TOKEN, max_retries=2)
    check_outcome(client, session)


@PROPERTY_SETTINGS
@given(script=st.lists(st.one_of(transport_failures, answers), min_size=1, max_size=3))
def test_any_transport_failure_ends_in_a_collection_error_without_a_secret(script):
    client, session, _sleeper = make_client(script, session_token=TOKEN, max_retries=2)
    check_outcome(client, session)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.text(), hostile_text), limit=st.integers(min_value=3, max_value=600))
def test_clean_text_is_bounded_single_line_and_free_of_controls(text, limit):
    cleaned = errors.clean_text(text, limit)
    assert len(cleaned) <= limit
    assert not any(unicodedata.category(character)[0] == 'C' for character in cleaned)
    assert '\x1b' not in cleaned and '\n' not in cleaned
    assert errors.clean_text(cleaned, limit) == cleaned
