# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The signer against known-answer vectors made by the official volcengine SDK, recomputed live with the SDK."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import datetime
import json
import os

import pytest

from ansible_collections.volcengine.cloud.plugins.module_utils import signer
# The SDK call of the generator of signing_vectors.json (tools/generate_signing_vectors.py): imported deliberately
# unguarded, so a missing SDK fails these tests instead of skipping them, and the stored vectors cannot drift from
# what it produces.
from ansible_collections.volcengine.cloud.tests.unit.plugins.module_utils.sdk_signing import sdk_sign

VECTOR_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'signing_vectors.json')
with open(VECTOR_FILE, 'rb') as _vector_file:
    VECTORS = json.loads(_vector_file.read().decode('utf-8'))['vectors']
VECTOR_IDS = [vector['name'] for vector in VECTORS]


def _query(vector):
    return collections.OrderedDict((key, value) for key, value in vector['query'])


def _our_signature(vector):
    return signer.sign_request(
        vector['method'], vector['path'], _query(vector), collections.OrderedDict(vector['headers']),
        vector['body'].encode('utf-8'), vector['access_key'], vector['secret_key'], vector['region'],
        vector['service'], vector['x_date'], session_token=vector['session_token'])


def test_there_are_enough_vectors_covering_the_required_cases():
    assert len(VECTORS) >= 12
    assert any(vector['body'] == '' for vector in VECTORS)
    assert any(vector['session_token'] for vector in VECTORS)
    assert any(any(ord(char) > 127 for char in vector['body']) for vector in VECTORS)
    hosts = [dict(vector['headers'])['Host'] for vector in VECTORS]
    assert any(host.endswith(':80') for host in hosts)
    assert any(host.endswith(':443') for host in hosts)
    assert any(host.endswith(':8080') for host in hosts)
    assert len(set((vector['region'], vector['service']) for vector in VECTORS)) >= 3
    query_text = json.dumps([vector['query'] for vector in VECTORS], ensure_ascii=False)
    for char in (' ', '+', '~', '*', '中'):
        assert char in query_text


@pytest.mark.parametrize('vector', VECTORS, ids=VECTOR_IDS)
def test_signer_matches_stored_sdk_vector(vector):
    headers = _our_signature(vector)
    expected = vector['expected']
    assert headers['X-Date'] == expected['x_date']
    assert headers['X-Content-Sha256'] == expected['x_content_sha256']
    assert headers['Authorization'] == expected['authorization']
    assert 'SignedHeaders=%s,' % expected['signed_headers'] in headers['Authorization']
    if vector['session_token']:
        assert headers['X-Security-Token'] == vector['session_token']
    else:
        assert 'X-Security-Token' not in headers


@pytest.mark.parametrize('vector', VECTORS, ids=VECTOR_IDS)
def test_stored_vector_still_matches_the_live_sdk(vector):
    assert sdk_sign(vector) == vector['expected']


def test_signing_md_vectors_are_stored_verbatim():
    by_signature = dict((vector['expected']['signature'], vector) for vector in VECTORS)
    assert '79a46ccbe2ea7c989509ce9ed6b2eb90ae88727b94e9251b6a9d37da6b42f613' in by_signature
    assert '13030b776389bacf2cf1b042a859955dc9781c9b83b4d2c34969e25dc80218fe' in by_signature
    assert '578540832a6dcc8492091f44e2a7f1e5d64b429b44629dda266a2e319e865922' in by_signature
    first = by_signature['79a46ccbe2ea7c989509ce9ed6b2eb90ae88727b94e9251b6a9d37da6b42f613']['expected']
    assert first['x_content_sha256'] == '6f05451c4f3fd6d5efbe9e8d35947159dc3678d624cebd5839e3a20631047d75'


def test_canonical_query_example_from_signing_md():
    query = {'z': 'a b*c~d/e+f=&', 'A': u'中文', 'Action': 'DescribeRelaySourceV3', 'Version': '2023-01-01'}
    assert signer.canonical_query(query) == (
        'A=%E4%B8%AD%E6%96%87&Action=DescribeRelaySourceV3&Version=2023-01-01&z=a%20b%2Ac~d%2Fe%2Bf%3D%26')


def test_canonical_query_lists_and_empty():
    assert signer.canonical_query({}) == ''
    assert signer.canonical_query(None) == ''
    assert signer.canonical_query({'k': ['b', 'a'], 'e': ''}) == 'e=&k=b&k=a'


def test_canonical_uri():
    assert signer.canonical_uri('') == '/'
    assert signer.canonical_uri('/') == '/'
    assert signer.canonical_uri('/a b/c+d~') == '/a%20b/c%2Bd~'


def test_sign_request_returns_new_dict_and_replaces_stale_generated_headers():
    headers = {'Host': 'live.volcengineapi.com', 'Content-Type': 'application/json', 'x-date': 'stale',
               'authorization': 'stale'}
    original = dict(headers)
    signed = signer.sign_request('POST', '/', {'Action': 'A'}, headers, b'{}', 'AK', 'SK', 'cn-north-1', 'live',
                                 '20240102T030405Z')
    assert headers == original
    assert 'x-date' not in signed and 'authorization' not in signed
    assert signed['X-Date'] == '20240102T030405Z'
    assert signed['Authorization'].startswith('HMAC-SHA256 Credential=AK/20240102/cn-north-1/live/request, ')


def test_unsigned_headers_do_not_change_the_signature():
    base = {'Host': 'h', 'Content-Type': 'application/json'}
    plain = signer.sign_request('POST', '/', {}, base, b'', 'AK', 'SK', 'r', 's', '20240102T030405Z')
    extra = dict(base, **{'User-Agent': 'x', 'Accept': 'application/json'})
    with_extra = signer.sign_request('POST', '/', {}, extra, b'', 'AK', 'SK', 'r', 's', '20240102T030405Z')
    assert plain['Authorization'] == with_extra['Authorization']


def test_body_text_and_bytes_sign_the_same_and_none_is_empty():
    args = ('POST', '/', {}, {'Host': 'h'})
    tail = ('AK', 'SK', 'r', 's', '20240102T030405Z')
    as_bytes = signer.sign_request(*(args + (u'{"a":"中"}'.encode('utf-8'),) + tail))
    as_text = signer.sign_request(*(args + (u'{"a":"中"}',) + tail))
    assert as_bytes == as_text
    empty = signer.sign_request(*(args + (None,) + tail))
    assert empty['X-Content-Sha256'] == 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'


@pytest.mark.parametrize('host, expected', [
    ('h.example.com:80', 'h.example.com'),
    ('h.example.com:443', 'h.example.com'),
    ('h.example.com:8443', 'h.example.com:8443'),
    ('h.example.com', 'h.example.com'),
    ('[::1]:443', '[::1]'),
    ('[::1]:8080', '[::1]:8080'),
    ('[::1]', '[::1]'),
])
def test_host_default_port_rule(host, expected):
    assert signer._host_without_default_port(host) == expected


def test_format_x_date():
    assert signer.format_x_date(datetime.datetime(2024, 1, 2, 3, 4, 5)) == '20240102T030405Z'
