#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Regenerate tests/unit/plugins/module_utils/signing_vectors.json with the official volcengine SDK.

The SDK (`pip install volcengine`) is a test-only oracle: `SignerV4.sign_only(SignParam, Credentials)` signs
with a fixed date. Each vector stores its inputs and the SDK's outputs; the unit tests check our signer against
the stored outputs AND recompute them with the SDK, so the file cannot drift from the reference.

Usage (with the units session venv): .nox/units/bin/python tools/generate_signing_vectors.py [--check]
"""
from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS_DIR = os.path.join(REPO_ROOT, 'tests', 'unit', 'plugins', 'module_utils')
VECTOR_FILE = os.path.join(TESTS_DIR, 'signing_vectors.json')
# The SDK call lives beside the signer's tests, which recompute the vectors with it.
sys.path.insert(0, TESTS_DIR)

from sdk_signing import sdk_sign  # noqa: E402  pylint: disable=wrong-import-position,import-error

AK = 'AKLTexample'
SK = 'c2VjcmV0ZXhhbXBsZQ=='
X_DATE = '20240102T030405Z'
LIVE_HOST = 'live.volcengineapi.com'
JSON_HEADERS = [['Host', LIVE_HOST], ['Content-Type', 'application/json']]
UPDATE_BODY = ('{"Vhost":"push.example.com","App":"live","GroupDetails":[{"Group":"relay1","Servers":[{'
               '"RelaySourceProtocol":"rtmp","RelaySourceDomain":"example.org","RelaySourceParams":{"key1":"value1"}}]}]}')


def action(name):
    return [['Action', name], ['Version', '2023-01-01']]


def case(name, query, body='', headers=None, method='POST', path='/', region='cn-north-1', service='live',
         session_token=None, access_key=AK, secret_key=SK, x_date=X_DATE):
    """One vector's inputs. query/headers are lists of pairs (JSON keeps no dict order guarantee for readers)."""
    return {
        'name': name, 'method': method, 'path': path, 'query': query,
        'headers': headers if headers is not None else JSON_HEADERS,
        'body': body, 'access_key': access_key, 'secret_key': secret_key, 'session_token': session_token,
        'region': region, 'service': service, 'x_date': x_date,
    }


CASES = [
    # The three vectors printed in signing.md.
    case('signing.md #1 Update with body', action('UpdateRelaySourceV3'), UPDATE_BODY),
    case('signing.md #2 Describe with session token', action('DescribeRelaySourceV3'),
         '{"Vhost":"push.example.com","App":"live"}', session_token='STSeyJexampleToken'),
    case('signing.md #3 Delete with empty body', action('DeleteRelaySourceV3'), ''),
    # Bodies.
    case('unicode body', action('UpdateRelaySourceV3'),
         '{"Vhost":"推流.example.com","App":"直播","GroupDetails":[{"Group":"回源组","Servers":[]}]}'),
    case('empty JSON object body', action('DescribeRelaySourceV3'), '{}'),
    # Query strings with reserved and non-ASCII characters (the example from signing.md, then more).
    case('query reserved and non-ASCII (signing.md example)',
         [['z', 'a b*c~d/e+f=&'], ['A', '中文']] + action('DescribeRelaySourceV3'), '{}'),
    case('query with list value, empty value and punctuation',
         [['Tag', ['b v', 'a+v']], ['Empty', ''], ['k!\'()', "x!'()@:$,;?#[]"], ['Ünïcode', 'ñ € 😀']]
         + action('DescribeRelaySourceV3'), '{}'),
    case('no query at all, GET', [], '', method='GET'),
    # Host ports.
    case('host port 80 dropped', action('DescribeRelaySourceV3'), '{}',
         headers=[['Host', 'live.volcengineapi.com:80'], ['Content-Type', 'application/json']]),
    case('host port 443 dropped', action('DescribeRelaySourceV3'), '{}',
         headers=[['Host', 'live.volcengineapi.com:443'], ['Content-Type', 'application/json']]),
    case('host other port kept (emulator-like)', action('UpdateRelaySourceV3'), UPDATE_BODY,
         headers=[['Host', '127.0.0.1:8080'], ['Content-Type', 'application/json']]),
    # Regions, services, extra signed and unsigned headers, paths.
    case('other region and service', [['Action', 'DescribeInstances'], ['Version', '2020-04-01']], '{}',
         region='ap-southeast-1', service='ecs',
         headers=[['Host', 'open.volcengineapi.com'], ['Content-Type', 'application/json; charset=utf-8']]),
    case('extra X- header and unsigned User-Agent', action('DescribeRelaySourceV3'), '{"Vhost":"v"}',
         region='cn-beijing',
         headers=JSON_HEADERS + [['X-Custom-Trace', 'trace 1'], ['User-Agent', 'volcengine.cloud/0.1.0'],
                                 ['Content-Md5', 'XrY7u+Ae7tCTyyK7j1rNww==']]),
    case('path with reserved characters', [], '', method='GET', path='/a b/c+d/~e/中'),
    case('session token with unicode secret key', action('DeleteRelaySourceV3'),
         '{"Vhost":"push.example.com","App":"live","Group":"g1"}',
         session_token='STS2/token+with=chars', secret_key='sëcret/ключ+==', access_key='AKLTother',
         x_date='20280229T235959Z'),
]


def build():
    vectors = []
    for vector in CASES:
        entry = dict(vector)
        entry['expected'] = sdk_sign(vector)
        vectors.append(entry)
    import volcengine
    return {
        'generator': 'tools/generate_signing_vectors.py',
        'sdk': 'volcengine %s' % getattr(volcengine, '__version__', getattr(volcengine, 'VERSION', 'unknown')),
        'vectors': vectors,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--check', action='store_true', help='fail if the stored file differs from a fresh build')
    args = parser.parse_args()
    text = json.dumps(build(), indent=2, ensure_ascii=False, sort_keys=True) + '\n'
    if args.check:
        with open(VECTOR_FILE, encoding='utf-8') as stored:
            if stored.read() != text:
                print('%s is out of date; rerun without --check' % VECTOR_FILE)
                return 1
        print('up to date')
        return 0
    with open(VECTOR_FILE, 'w', encoding='utf-8') as output:
        output.write(text)
    print('wrote %d vectors to %s' % (len(CASES), VECTOR_FILE))
    return 0


if __name__ == '__main__':
    sys.exit(main())
