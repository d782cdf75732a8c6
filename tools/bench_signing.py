#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Time N signings of a typical UpdateRelaySourceV3 request: our signer vs the official SDK's SignerV4.sign_only.

Usage (in the nox session bench, or its venv .nox/bench): python tools/bench_signing.py [-n 20000] [--json FILE]
(imports the collection from build/ — run tools/assemble_collection.py first; the SDK is a test-only dependency;
--json also writes the figures and their row of docs/performance.md, see tools/performance_page.py)
"""
from __future__ import absolute_import, division, print_function

import argparse
import collections
import datetime
import json
import os
import sys
import timeit

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO_ROOT, 'build'))
sys.path.insert(0, os.path.join(REPO_ROOT, 'tools'))

from ansible_collections.volcengine.cloud.plugins.module_utils.signer import sign_request  # noqa: E402
from performance_page import measured_on  # noqa: E402

BODY = ('{"Vhost":"push.example.com","App":"live","GroupDetails":[{"Group":"relay1","Servers":[{'
        '"RelaySourceProtocol":"rtmp","RelaySourceDomain":"example.org","RelaySourceParams":{"key1":"value1"}}]}]}'
        ).encode('utf-8')
QUERY = collections.OrderedDict([('Action', 'UpdateRelaySourceV3'), ('Version', '2023-01-01')])
HEADERS = collections.OrderedDict([('Host', 'live.volcengineapi.com'), ('Content-Type', 'application/json'),
                                   ('User-Agent', 'volcengine.cloud/0.1.0 (ansible-collection)')])
AK, SK, TOKEN = 'AKLTexample', 'c2VjcmV0ZXhhbXBsZQ==', 'STSeyJexampleToken'


def ours():
    return sign_request('POST', '/', QUERY, HEADERS, BODY, AK, SK, 'cn-north-1', 'live', '20240102T030405Z',
                        session_token=TOKEN)['Authorization']


def make_sdk():
    from volcengine.auth.SignerV4 import SignerV4
    from volcengine.auth.SignParam import SignParam
    from volcengine.Credentials import Credentials
    credentials = Credentials(AK, SK, 'live', 'cn-north-1', TOKEN)
    date = datetime.datetime(2024, 1, 2, 3, 4, 5)

    def sdk():
        param = SignParam()  # sign_only mutates its inputs, so each signing gets fresh ones, as in real use
        param.set_method('POST')
        param.set_path('/')
        param.set_host('live.volcengineapi.com')
        param.set_query(collections.OrderedDict(QUERY))
        param.set_header_list(collections.OrderedDict(HEADERS))
        param.set_body(BODY)
        param.set_date(date)
        return SignerV4.sign_only(param, credentials).authorization
    return sdk


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-n', type=int, default=20000, help='signings per measurement (default 20000)')
    parser.add_argument('-r', '--repeat', type=int, default=5, help='measurements; the best is reported')
    parser.add_argument('--json', help='also write the figures to this file, as JSON')
    args = parser.parse_args()
    sdk = make_sdk()
    if ours() != sdk():
        print('MISMATCH: our signer and the SDK disagree', file=sys.stderr)
        return 1
    microseconds = {}
    for name, function in (('volcengine.cloud signer', ours), ('volcengine SDK SignerV4.sign_only', sdk)):
        best = min(timeit.repeat(function, number=args.n, repeat=args.repeat))
        microseconds[name] = best / args.n * 1e6
        print('%-36s %8.2f us/request  (best of %d x %d)' % (name, microseconds[name], args.repeat, args.n))
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as json_file:
            json.dump({'microseconds_per_request': microseconds, 'summary': {
                'title': 'Request signing (tools/bench_signing.py)', 'measured': measured_on(),
                'rows': [{'what': 'signing one request: ours vs the official SDK', 'result': '{:.0f} \u00b5s vs {:.0f} \u00b5s',
                          'values': [microseconds['volcengine.cloud signer'],
                                     microseconds['volcengine SDK SignerV4.sign_only']]}],
                'notes': ['Best of %d measurements of %d signings of a typical UpdateRelaySourceV3 request.' % (
                    args.repeat, args.n)]}}, json_file, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
