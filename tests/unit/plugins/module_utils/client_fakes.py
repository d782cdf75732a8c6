# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A scripted stand-in for requests.Session, for driving VolcengineClient without a network (shared by the
client's example-based and property-based tests)."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from requests.structures import CaseInsensitiveDict

from ansible_collections.volcengine.cloud.plugins.module_utils.client import VolcengineClient

SECRET_KEY = 'SK-distinctive-s3cr3t-value-XYZZY'
SESSION_TOKEN = 'STS-distinctive-t0ken-value-PLUGH'
ACCESS_KEY = 'AKLTunittest'


def envelope(result=None, error=None, request_id='req-1', action='DescribeRelaySourceV3'):
    metadata = {'RequestId': request_id, 'Action': action, 'Version': '2023-01-01', 'Service': 'live',
                'Region': 'cn-north-1'}
    if error:
        metadata['Error'] = error
    body = {'ResponseMetadata': metadata}
    if result is not None:
        body['Result'] = result
    return body


class FakeRaw(object):
    """The streamed body (urllib3's HTTPResponse as the client uses it): read1 hands the bytes out in pieces of
    at most ``piece`` bytes, then raises ``failure`` (an exception instance) when one is set, else returns b''."""

    def __init__(self, data, failure=None, piece=None):
        self.data = data
        self.failure = failure
        self.piece = piece
        self.position = 0

    def read1(self, amount=None, decode_content=None):
        if self.position >= len(self.data):
            if self.failure is not None:
                raise self.failure
            return b''
        size = min(amount or len(self.data), self.piece or len(self.data))
        piece = self.data[self.position:self.position + size]
        self.position += len(piece)
        return piece

    def tell(self):
        return self.position


class FakeResponse(object):
    """An answer: ``body`` (JSON-encoded) or ``raw`` bytes; ``failure`` is raised once those bytes are read."""

    def __init__(self, status=200, body=None, headers=None, raw=None, failure=None, piece=None):
        self.status_code = status
        if raw is None:
            raw = json.dumps(body if body is not None else envelope({})).encode('utf-8')
        self.body = raw
        self.failure = failure
        self.piece = piece
        self.headers = CaseInsensitiveDict(headers or {})
        self.raw = FakeRaw(raw, failure, piece)
        self.closed = False

    def replay(self):
        """A fresh copy, body unread: what the session hands out for each request."""
        return FakeResponse(self.status_code, headers=dict(self.headers), raw=self.body, failure=self.failure,
                            piece=self.piece)

    def close(self):
        self.closed = True


class FakeSession(object):
    """Plays back a script: each item is a FakeResponse or an exception instance to raise; the last item repeats.
    ``calls`` records the keyword arguments of every post."""

    def __init__(self, script):
        self.script = list(script)
        self.calls = []
        self.trust_env = True

    def post(self, url, data=None, headers=None, **options):
        call = dict(options, url=url, data=data, headers=dict(headers))
        self.calls.append(call)
        item = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(item, BaseException):
            raise item
        return item.replay()

    def close(self):
        pass


class Sleeper(object):
    def __init__(self):
        self.sleeps = []

    def __call__(self, seconds):
        self.sleeps.append(seconds)


def make_client(script, **kwargs):
    """(client, session, sleeper): a client on a FakeSession playing ``script``, with a fixed clock."""
    sleeper = Sleeper()
    session = FakeSession(script)
    options = dict(access_key=ACCESS_KEY, secret_key=SECRET_KEY, sleep=sleeper, session=session,
                   clock=lambda: 1704164645.0)
    options.update(kwargs)
    return VolcengineClient(**options), session, sleeper
