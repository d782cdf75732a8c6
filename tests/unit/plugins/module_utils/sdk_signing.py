# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The official volcengine SDK signing one known-answer vector: what tools/generate_signing_vectors.py stores in
signing_vectors.json and what test_signer.py recomputes live (a test-only oracle; plugins never import it)."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import datetime


def sdk_sign(vector):
    """Sign one vector's inputs with the official SDK; returns the SDK's outputs."""
    from volcengine.auth.SignerV4 import SignerV4
    from volcengine.auth.SignParam import SignParam
    from volcengine.Credentials import Credentials

    param = SignParam()
    param.set_method(vector['method'])
    param.set_path(vector['path'])
    param.set_host(dict(vector['headers']).get('Host', ''))
    query = collections.OrderedDict()
    for key, value in vector['query']:
        query[key] = list(value) if isinstance(value, list) else value
    param.set_query(query)
    param.set_header_list(collections.OrderedDict((name, value) for name, value in vector['headers']))
    param.set_body(vector['body'].encode('utf-8'))
    param.set_date(datetime.datetime.strptime(vector['x_date'], '%Y%m%dT%H%M%SZ'))
    credentials = Credentials(vector['access_key'], vector['secret_key'], vector['service'], vector['region'],
                              vector['session_token'] or '')
    result = SignerV4.sign_only(param, credentials)
    return {
        'x_date': result.xdate,
        'x_content_sha256': result.xContextSha256,
        'signed_headers': result.xSignedHeaders,
        'signature': result.xSignature,
        'authorization': result.authorization,
    }
