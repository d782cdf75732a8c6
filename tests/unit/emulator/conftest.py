# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the emulator's own tests: a shared running emulator and a client signing with the official SDK."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import json
from collections import OrderedDict

import pytest
import requests

from volcengine.auth.SignParam import SignParam
from volcengine.auth.SignerV4 import SignerV4
from volcengine.Credentials import Credentials

from ansible_collections.volcengine.cloud.tests.emulator.api_model import DEFAULT_SETTINGS
from ansible_collections.volcengine.cloud.tests.emulator.harness import Emulator

VERSION = '2023-01-01'


class Reply(object):
    def __init__(self, response):
        self.status = response.status_code
        self.headers = response.headers
        self.text = response.text
        try:
            self.json = response.json()
        except ValueError:
            self.json = None

    @property
    def error(self):
        return (self.json or {}).get('ResponseMetadata', {}).get('Error')

    @property
    def code(self):
        return (self.error or {}).get('Code')

    def __repr__(self):
        return 'Reply(%s, %s)' % (self.status, self.text)


class SDKClient(object):
    """Signs requests with volcengine.auth.SignerV4.sign_only (the official SDK) and sends them with requests."""

    def __init__(self, emulator, access_key=None, secret_key=None, session_token=None):
        self.emulator = emulator
        self.access_key = access_key or emulator.access_key
        self.secret_key = secret_key or emulator.secret_key
        self.session_token = session_token if session_token is not None else emulator.session_token

    def prepare(self, action, body, version=VERSION, date=None, region='cn-north-1'):
        """Return (url, headers, data) signed by the SDK."""
        if isinstance(body, (dict, list)):
            data = json.dumps(body).encode('utf-8')
        elif isinstance(body, str):
            data = body.encode('utf-8')
        else:
            data = body or b''
        host = self.emulator.url.split('://', 1)[1]
        query = OrderedDict([('Action', action), ('Version', version)])
        param = SignParam()
        param.set_method('POST')
        param.set_host(host)
        param.set_path('/')
        param.set_query(OrderedDict(query))
        param.set_body(data)
        param.set_date(date or datetime.datetime.now(datetime.timezone.utc))
        param.set_header_list(OrderedDict([('Host', host), ('Content-Type', 'application/json')]))
        credentials = Credentials(self.access_key, self.secret_key, 'live', region, self.session_token or '')
        result = SignerV4.sign_only(param, credentials)
        headers = dict(param.header_list)
        headers['Authorization'] = result.authorization
        url = '%s/?Action=%s&Version=%s' % (self.emulator.url, action, version)
        return url, headers, data

    def send(self, url, headers, data, timeout=10):
        return Reply(requests.post(url, headers=headers, data=data, timeout=timeout, verify=self.emulator.ca_cert or True))

    def call(self, action, body, **kwargs):
        timeout = kwargs.pop('timeout', 10)
        return self.send(*self.prepare(action, body, **kwargs), timeout=timeout)

    def update(self, vhost, app, groups):
        return self.call('UpdateRelaySourceV3', {'Vhost': vhost, 'App': app, 'GroupDetails': groups})

    def describe(self, vhost, app=None, group=None):
        body = {'Vhost': vhost}
        if app is not None:
            body['App'] = app
        if group is not None:
            body['Group'] = group
        return self.call('DescribeRelaySourceV3', body)

    def delete(self, vhost, app, group=None):
        body = {'Vhost': vhost, 'App': app}
        if group is not None:
            body['Group'] = group
        return self.call('DeleteRelaySourceV3', body)

    # -- V4: fixed-triggered relay per stream -------------------------------------------------------------------

    def create_v4(self, domain, app, stream, origins, start=None, end=None, **extra):
        return self.call('CreateRelaySourceV4', v4_body(domain, app, stream, origins, start, end, **extra))

    def update_v4(self, domain, app, stream, origins, start=None, end=None, **extra):
        return self.call('UpdateRelaySourceV4', v4_body(domain, app, stream, origins, start, end, **extra))

    def delete_v4(self, domain, app, stream):
        return self.call('DeleteRelaySourceV4', {'Domain': domain, 'App': app, 'Stream': stream})

    def list_v4(self, domain, page=None, size=None):
        body = {'Domain': domain}
        if page is not None:
            body['Page'] = page
        if size is not None:
            body['Size'] = size
        return self.call('ListRelaySourceV4', body)


def v4_body(domain, app, stream, origins, start=None, end=None, **extra):
    """A Create/Update body; StartTime/EndTime only when given."""
    body = {'Domain': domain, 'App': app, 'Stream': stream, 'SrcAddrS': origins}
    if start is not None:
        body['StartTime'] = start
    if end is not None:
        body['EndTime'] = end
    body.update(extra)
    return body


@pytest.fixture(scope='module')
def shared_emulator():
    with Emulator(update_mode='replace', rate_limit=0) as running:
        yield running


@pytest.fixture
def emu(shared_emulator):
    """The module's emulator, reset to an empty state with default settings."""
    shared_emulator.clear_faults()
    shared_emulator.settings(**dict(DEFAULT_SETTINGS, rate_limit=0))
    shared_emulator.set_state([])
    shared_emulator.clear_requests()
    return shared_emulator


@pytest.fixture
def client(emu):
    return SDKClient(emu)
