# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A local emulator of the Volcengine Live OpenAPI relay-source actions (test-only).

Serves ``UpdateRelaySourceV3``, ``DescribeRelaySourceV3`` and ``DeleteRelaySourceV3`` (Version 2023-01-01)
on ``POST /?Action=...&Version=...`` with the real API's response envelope, checks the V4 request signature
by recomputing it with the official ``volcengine`` SDK's signing code, throttles per access key, and offers
an unsigned control interface under ``/_emulator/`` (request log, state, fault injection, settings).

Run: ``python live_emulator.py --host 127.0.0.1 --port 0``; the first line of stdout is the URL. See
docs/developing.md, section "The emulator (tests/emulator/)", for the full contract.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import calendar
import collections
import copy
import itertools
import json
import os
import random
import re
import signal
import socket
import ssl
import sys
import tempfile
import threading
import time
import traceback

from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs, unquote, urlsplit

try:
    from volcengine.auth.MetaData import MetaData
    from volcengine.auth.SignerV4 import SignerV4
    from volcengine.base.Request import Request as SDKRequest
    from volcengine.util.Util import Util as SDKUtil
    HAS_SDK = True
    SDK_IMPORT_ERROR = None
except Exception as exc:  # pylint: disable=broad-except
    HAS_SDK = False
    SDK_IMPORT_ERROR = exc

SERVICE = 'live'
REGION = 'cn-north-1'
API_VERSION = '2023-01-01'
ACTIONS = ('UpdateRelaySourceV3', 'DescribeRelaySourceV3', 'DeleteRelaySourceV3')
WRITE_ACTIONS = ('UpdateRelaySourceV3', 'DeleteRelaySourceV3')
CONTROL_PREFIX = '/_emulator/'

DEMO_ACCESS_KEY = 'AKLTEMULATORDEMO'
DEMO_SECRET_KEY = 'emulator-demo-secret'

UPDATE_MODES = ('replace', 'merge')
EMPTY_DESCRIBE_MODES = ('list', 'missing', 'notfound')
FAULT_KINDS = ('error', 'delay', 'drop', 'drop_after', 'html', 'commonerr', 'raw')
REQUIRED_SIGNED_HEADERS = ('host', 'x-content-sha256', 'x-date')
SDK_SIGNABLE_HEADERS = ('content-type', 'content-md5', 'host')

# Whole-string patterns, used with fullmatch; ASCII only (a "$" would accept a trailing newline, "\d" any
# Unicode digit, which int() then reads).
VHOST_RE = re.compile(r'[A-Za-z0-9_.-]{1,60}', re.ASCII)
APP_RE = re.compile(r'[A-Za-z0-9_.-]{1,30}', re.ASCII)
# Labels may hold "_" (DNS allows it, and nothing in the API documentation forbids it).
_LABEL = r'[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?'
HOST_RE = re.compile(r'%s(?:\.%s)*\.?(?::([0-9]{1,5}))?' % (_LABEL, _LABEL), re.ASCII)
IPV6_RE = re.compile(r'\[[0-9A-Fa-f:.]+\](?::([0-9]{1,5}))?', re.ASCII)
BARE_IPV6_RE = re.compile(r'[0-9A-Fa-f]*(?::[0-9A-Fa-f.]*){2,}', re.ASCII)
AUTH_RE = re.compile(r'^HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9A-Fa-f]+)\s*$')
X_DATE_RE = re.compile(r'^\d{8}T\d{6}Z$')
MAX_SERVERS = 10
MAX_BODY = 10 * 1024 * 1024

# Numeric codes of Volcengine's common (gateway) errors, sent as Error.CodeN when known.
CODE_N = {
    'MissingParameter': 100002,
    'MissingAuthenticationToken': 100003,
    'MissingRequestInfo': 100004,
    'MissingSignature': 100005,
    'InvalidTimestamp': 100006,
    'ServiceNotFound': 100007,
    'InvalidActionOrVersion': 100008,
    'InvalidAccessKey': 100009,
    'SignatureDoesNotMatch': 100010,
    'LackPolicy': 100012,
    'AccessDenied': 100013,
    'InternalError': 100014,
    'InternalServiceError': 100015,
    'InternalServiceTimeout': 100016,
    'ServiceUnavailableTemp': 100017,
    'FlowLimitExceeded': 100018,
}

BIND_ERROR_MESSAGE = 'Request parameter error, please check input data'

HTML_PAGE = (
    '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n'
    '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>emulated gateway</center>\r\n'
    '</body>\r\n</html>\r\n'
)


class APIError(Exception):
    """An error answered in the API's envelope."""

    def __init__(self, status, code, message, headers=None):
        super(APIError, self).__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


class ControlError(Exception):
    """A bad control-interface request (answered as {"error": message})."""

    def __init__(self, status, message):
        super(ControlError, self).__init__(message)
        self.status = status
        self.message = message


def invalid_param(message):
    return APIError(400, 'InvalidParam', message)


def bind_error(message):
    return APIError(400, 'InvalidParam.BindError', '%s: %s' % (BIND_ERROR_MESSAGE, message))


# ---------------------------------------------------------------------------------------------------------
# Request ids


_REQUEST_COUNTER = itertools.count(1)
_REQUEST_BASE = random.randint(10 ** 12, 9 * 10 ** 13)


def new_request_id():
    """A unique id shaped like the real ones: 14-digit UTC timestamp, 15 digits, 4 hex characters."""
    stamp = time.strftime('%Y%m%d%H%M%S', time.gmtime())
    return '%s%015d%04X' % (stamp, _REQUEST_BASE + next(_REQUEST_COUNTER), random.randint(0, 0xFFFF))


# ---------------------------------------------------------------------------------------------------------
# State shape


def _require_type(value, kind, where, error=bind_error):
    if not isinstance(value, kind):
        names = {str: 'a string', list: 'an array', dict: 'an object'}
        raise error('%s must be %s' % (where, names.get(kind, kind.__name__)))
    return value


def normalise_state(document):
    """Check the loose shape of a {"RelaySourceConfigList": [...]} document; return a clean copy.

    Used for --state files and PUT /_emulator/state: only structure is checked (so odd states, e.g. a
    vhost-wide config with App "", can be seeded), parameter values are turned into strings.
    """
    def fail(message):
        return ControlError(400, message)

    if isinstance(document, list):
        configs = document
    else:
        _require_type(document, dict, 'state', fail)
        configs = document.get('RelaySourceConfigList', [])
        if configs is None:
            configs = []
    _require_type(configs, list, 'RelaySourceConfigList', fail)
    result = []
    for index, config in enumerate(configs):
        where = 'RelaySourceConfigList[%d]' % index
        _require_type(config, dict, where, fail)
        groups = config.get('GroupDetails') or []
        _require_type(groups, list, where + '.GroupDetails', fail)
        clean_groups = []
        for group_index, group in enumerate(groups):
            group_where = '%s.GroupDetails[%d]' % (where, group_index)
            _require_type(group, dict, group_where, fail)
            servers = group.get('Servers') or []
            _require_type(servers, list, group_where + '.Servers', fail)
            clean_servers = []
            for server_index, server in enumerate(servers):
                server_where = '%s.Servers[%d]' % (group_where, server_index)
                _require_type(server, dict, server_where, fail)
                params = server.get('RelaySourceParams') or {}
                _require_type(params, dict, server_where + '.RelaySourceParams', fail)
                clean_servers.append(collections.OrderedDict([
                    ('RelaySourceDomain', str(server.get('RelaySourceDomain', ''))),
                    ('RelaySourceProtocol', str(server.get('RelaySourceProtocol', ''))),
                    ('RelaySourceParams', dict((str(k), _stringify(v)) for k, v in params.items())),
                ]))
            clean_groups.append(collections.OrderedDict([('Group', str(group.get('Group', ''))), ('Servers', clean_servers)]))
        result.append(collections.OrderedDict([
            ('Vhost', str(config.get('Vhost', ''))),
            ('App', str(config.get('App', ''))),
            ('GroupDetails', clean_groups),
        ]))
    return result


def _stringify(value):
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if value is None:
        return ''
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(',', ':'))
    return str(value)


def validate_domain(domain, where):
    if '://' in domain:
        raise invalid_param('%s.RelaySourceDomain must not contain a scheme: %r' % (where, domain))
    if '/' in domain or '?' in domain or '#' in domain:
        raise invalid_param('%s.RelaySourceDomain must not contain a path: %r' % (where, domain))
    match = HOST_RE.fullmatch(domain) or IPV6_RE.fullmatch(domain)
    if match:
        port = match.group(1)
    elif BARE_IPV6_RE.fullmatch(domain):
        port = None
    else:
        raise invalid_param('%s.RelaySourceDomain is not a valid domain name, IP address or host:port: %r' % (where, domain))
    if port is not None and not 1 <= int(port) <= 65535:
        raise invalid_param('%s.RelaySourceDomain has an invalid port: %r' % (where, domain))


def _optional_string(body, name):
    value = body.get(name)
    if value is None:
        return None
    return _require_type(value, str, name)


def _required_string(body, name):
    value = _optional_string(body, name)
    if not value:
        raise invalid_param('%s is required' % name)
    return value


def _vhost(body):
    vhost = _required_string(body, 'Vhost')
    if not VHOST_RE.fullmatch(vhost):
        raise invalid_param('Vhost must be 1 to 60 letters, digits, "_", "-" or ".": %r' % vhost)
    return vhost


def _app(body, required=True):
    app = _required_string(body, 'App') if required else _optional_string(body, 'App')
    if app and not APP_RE.fullmatch(app):
        raise invalid_param('App must be 1 to 30 letters, digits, "_", "-" or ".": %r' % app)
    return app


def validate_group_details(body):
    groups = body.get('GroupDetails')
    if groups is None:
        raise invalid_param('GroupDetails is required')
    _require_type(groups, list, 'GroupDetails')
    if not groups:
        raise invalid_param('GroupDetails must not be empty')
    clean = []
    seen = set()
    for group_index, group in enumerate(groups):
        where = 'GroupDetails[%d]' % group_index
        _require_type(group, dict, where)
        name = group.get('Group')
        if name is not None:
            _require_type(name, str, where + '.Group')
        if not name:
            raise invalid_param('%s.Group is required' % where)
        if name in seen:
            raise invalid_param('%s.Group %r appears more than once' % (where, name))
        seen.add(name)
        servers = group.get('Servers')
        if servers is None:
            raise invalid_param('%s.Servers is required' % where)
        _require_type(servers, list, where + '.Servers')
        if not servers:
            raise invalid_param('%s.Servers must not be empty' % where)
        if len(servers) > MAX_SERVERS:
            raise invalid_param('%s.Servers has %d entries; at most %d origin addresses are allowed' % (where, len(servers), MAX_SERVERS))
        clean_servers = []
        for server_index, server in enumerate(servers):
            server_where = '%s.Servers[%d]' % (where, server_index)
            _require_type(server, dict, server_where)
            domain = server.get('RelaySourceDomain')
            if domain is not None:
                _require_type(domain, str, server_where + '.RelaySourceDomain')
            if not domain:
                raise invalid_param('%s.RelaySourceDomain is required' % server_where)
            validate_domain(domain, server_where)
            protocol = server.get('RelaySourceProtocol')
            if protocol is not None:
                _require_type(protocol, str, server_where + '.RelaySourceProtocol')
            if not protocol:
                raise invalid_param('%s.RelaySourceProtocol is required' % server_where)
            if protocol not in ('rtmp', 'flv'):
                raise invalid_param('%s.RelaySourceProtocol must be "rtmp" or "flv", not %r' % (server_where, protocol))
            params = server.get('RelaySourceParams')
            if params is None:
                params = {}
            _require_type(params, dict, server_where + '.RelaySourceParams')
            for key, value in params.items():
                if not isinstance(value, str):
                    raise bind_error('%s.RelaySourceParams[%r] must be a string' % (server_where, key))
            clean_servers.append(collections.OrderedDict([
                ('RelaySourceDomain', domain), ('RelaySourceProtocol', protocol), ('RelaySourceParams', dict(params)),
            ]))
        clean.append(collections.OrderedDict([('Group', name), ('Servers', clean_servers)]))
    return clean


# ---------------------------------------------------------------------------------------------------------
# Signature check (recomputed with the official SDK's code)


def _sdk_header_name(name):
    """'x-content-sha256' -> 'X-Content-Sha256': the spelling the SDK's signer selects headers by."""
    return '-'.join(part.capitalize() for part in name.split('-'))


def compute_signature(method, path, query, signed_headers, header_values, body, secret_key, x_date, region, service):
    """Recompute the V4 signature with volcengine.auth.SignerV4 for the headers named in SignedHeaders.

    ``signed_headers`` is the list of lowercase names, ``header_values`` maps those names to the values
    received. The SDK signs headers by name (Content-Type, Content-Md5, Host, X-*); when SignedHeaders names
    something else, the canonical request is assembled from the SDK's own helpers instead.
    """
    meta = MetaData()
    meta.set_algorithm('HMAC-SHA256')
    meta.set_service(service)
    meta.set_region(region)
    meta.set_date(x_date[:8])
    sdk_can_select = all(name in SDK_SIGNABLE_HEADERS or name.startswith('x-') for name in signed_headers)
    if sdk_can_select:
        request = SDKRequest()
        request.method = method
        request.path = path
        request.query = query
        request.body = body
        request.headers = collections.OrderedDict((_sdk_header_name(name), header_values[name]) for name in signed_headers)
        hashed_canonical_request = SignerV4.hashed_canonical_request_v4(request, meta)
    else:
        values = dict((name, header_values[name]) for name in signed_headers)
        if 'host' in values and ':' in values['host']:
            host, port = values['host'].split(':', 1)
            if port in ('80', '443'):
                values['host'] = host
        canonical_headers = ''.join('%s:%s\n' % (name, values[name]) for name in sorted(values))
        meta.set_signed_headers(';'.join(sorted(values)))
        canonical_request = '\n'.join([method, SDKUtil.norm_uri(path or '/'), SDKUtil.norm_query(query), canonical_headers,
                                       meta.signed_headers, SDKUtil.sha256(body)])
        hashed_canonical_request = SDKUtil.sha256(canonical_request)
    scope = '/'.join([meta.date, region, service, 'request'])
    string_to_sign = '\n'.join([meta.algorithm, x_date, scope, hashed_canonical_request])
    signing_key = SignerV4.get_signing_secret_key_v4(secret_key, meta.date, region, service)
    return SignerV4.signature_v4(signing_key, string_to_sign), meta.signed_headers


def parse_x_date(x_date):
    return calendar.timegm(time.strptime(x_date, '%Y%m%dT%H%M%SZ'))


# ---------------------------------------------------------------------------------------------------------
# The emulator's state and behaviour (no HTTP here)


class TokenBucket(object):
    def __init__(self, rate, clock):
        self.rate = float(rate)
        self.capacity = max(1.0, self.rate)
        self.tokens = self.capacity
        self.clock = clock
        self.stamp = clock()

    def take(self):
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class Emulator(object):
    def __init__(self, keys=None, state_file=None, update_mode='replace', rate_limit=10.0, empty_describe='list',
                 max_clock_skew=900.0, clock=time.time):
        self.lock = threading.RLock()
        self.keys = {}
        for key in keys or [{'access_key': DEMO_ACCESS_KEY, 'secret_key': DEMO_SECRET_KEY, 'session_token': None}]:
            self.keys[key['access_key']] = key
        self.state_file = state_file
        self.clock = clock
        self.settings = {
            'update_mode': update_mode,
            'rate_limit': float(rate_limit),
            'empty_describe': empty_describe,
            'max_clock_skew': float(max_clock_skew),
        }
        self.configs = []
        self.log = []
        self.faults = []
        self.buckets = {}
        self.seq = itertools.count(1)
        if state_file and os.path.exists(state_file) and os.path.getsize(state_file):
            with open(state_file, 'r') as handle:
                self.configs = normalise_state(json.load(handle))

    # -- persistence -------------------------------------------------------------------------------------

    def state_document(self):
        with self.lock:
            return {'RelaySourceConfigList': copy.deepcopy(self.configs)}

    def set_state(self, document):
        configs = normalise_state(document)
        with self.lock:
            self.configs = configs
            self.persist()

    def persist(self):
        if not self.state_file:
            return
        directory = os.path.dirname(os.path.abspath(self.state_file))
        handle, temporary = tempfile.mkstemp(prefix='.emulator-state-', dir=directory)
        try:
            with os.fdopen(handle, 'w') as stream:
                json.dump({'RelaySourceConfigList': self.configs}, stream, indent=2, sort_keys=False)
                stream.write('\n')
            os.replace(temporary, self.state_file)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise

    # -- settings and faults -----------------------------------------------------------------------------

    def get_settings(self):
        with self.lock:
            return dict(self.settings)

    def update_settings(self, changes):
        if not isinstance(changes, dict):
            raise ControlError(400, 'settings must be a JSON object')
        new = self.get_settings()
        for name, value in changes.items():
            if name == 'update_mode':
                if value not in UPDATE_MODES:
                    raise ControlError(400, 'update_mode must be one of %s' % ', '.join(UPDATE_MODES))
            elif name == 'empty_describe':
                if value not in EMPTY_DESCRIBE_MODES:
                    raise ControlError(400, 'empty_describe must be one of %s' % ', '.join(EMPTY_DESCRIBE_MODES))
            elif name in ('rate_limit', 'max_clock_skew'):
                if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                    raise ControlError(400, '%s must be a number >= 0' % name)
                value = float(value)
            else:
                raise ControlError(400, 'unknown setting %r (known: update_mode, rate_limit, empty_describe, max_clock_skew)' % name)
            new[name] = value
        with self.lock:
            if new['rate_limit'] != self.settings['rate_limit']:
                self.buckets = {}
            self.settings = new
            return dict(new)

    def add_fault(self, spec):
        if not isinstance(spec, dict):
            raise ControlError(400, 'a fault must be a JSON object')
        known = ('kind', 'count', 'status', 'code', 'message', 'delay', 'actions', 'retry_after', 'body')
        unknown = sorted(set(spec) - set(known))
        if unknown:
            raise ControlError(400, 'unknown fault field(s) %s (known: %s)' % (', '.join(unknown), ', '.join(known)))
        kind = spec.get('kind')
        if kind not in FAULT_KINDS:
            raise ControlError(400, 'kind must be one of %s' % ', '.join(FAULT_KINDS))
        fault = {
            'kind': kind,
            'count': spec.get('count', 1),
            'status': spec.get('status', {'error': 500, 'html': 502, 'commonerr': 200, 'raw': 200}.get(kind)),
            'code': spec.get('code', {'error': 'InternalError', 'commonerr': 'CommonErr'}.get(kind)),
            'message': spec.get('message'),
            'delay': spec.get('delay', 1.0 if kind == 'delay' else 0.0),
            'actions': spec.get('actions'),
            'retry_after': spec.get('retry_after'),
        }
        if kind == 'raw':
            if 'body' not in spec:
                raise ControlError(400, 'a raw fault needs "body": the JSON document to answer with')
            fault['body'] = spec['body']
        elif 'body' in spec:
            raise ControlError(400, 'body is only used by a raw fault')
        if isinstance(fault['count'], bool) or not isinstance(fault['count'], int) or fault['count'] < 1:
            raise ControlError(400, 'count must be an integer >= 1')
        if fault['status'] is not None and (isinstance(fault['status'], bool) or not isinstance(fault['status'], int)
                                            or not 100 <= fault['status'] <= 599):
            raise ControlError(400, 'status must be an HTTP status code')
        if fault['code'] is not None and not isinstance(fault['code'], str):
            raise ControlError(400, 'code must be a string')
        if fault['message'] is not None and not isinstance(fault['message'], str):
            raise ControlError(400, 'message must be a string')
        if isinstance(fault['delay'], bool) or not isinstance(fault['delay'], (int, float)) or fault['delay'] < 0:
            raise ControlError(400, 'delay must be a number of seconds >= 0')
        if fault['actions'] is not None:
            if isinstance(fault['actions'], str):
                fault['actions'] = [fault['actions']]
            if not isinstance(fault['actions'], list) or not all(isinstance(a, str) for a in fault['actions']):
                raise ControlError(400, 'actions must be a list of action names')
        if fault['retry_after'] is not None and (isinstance(fault['retry_after'], bool)
                                                 or not isinstance(fault['retry_after'], (int, float))):
            raise ControlError(400, 'retry_after must be a number of seconds')
        with self.lock:
            self.faults.append(fault)
            return {'queued': dict(fault), 'faults': copy.deepcopy(self.faults)}

    def list_faults(self):
        with self.lock:
            return copy.deepcopy(self.faults)

    def clear_faults(self):
        with self.lock:
            self.faults = []

    def take_fault(self, action):
        """The first queued fault matching ``action`` (FIFO), its count consumed; None when none matches."""
        with self.lock:
            for index, fault in enumerate(self.faults):
                if fault['actions'] is None or action in fault['actions']:
                    fault['count'] -= 1
                    if fault['count'] <= 0:
                        del self.faults[index]
                    return dict(fault)
        return None

    # -- request log -------------------------------------------------------------------------------------

    def record(self, entry):
        with self.lock:
            entry['seq'] = next(self.seq)
            self.log.append(entry)

    def update_entry(self, entry, **fields):
        with self.lock:
            entry.update(fields)

    def requests(self):
        with self.lock:
            return copy.deepcopy(self.log)

    def clear_requests(self):
        with self.lock:
            self.log = []

    # -- throttling --------------------------------------------------------------------------------------

    def allow(self, access_key):
        with self.lock:
            rate = self.settings['rate_limit']
            if rate <= 0:
                return True
            bucket = self.buckets.get(access_key)
            if bucket is None:
                bucket = self.buckets[access_key] = TokenBucket(rate, time.monotonic)
            return bucket.take()

    # -- authentication ----------------------------------------------------------------------------------

    def authenticate(self, method, path, query, headers, body):
        """Return the access key of a correctly signed request; raise APIError otherwise.

        ``headers`` maps lowercase names to values. The signature is recomputed with the SDK from the
        headers named in SignedHeaders, the X-Date received and the secret key on file.
        """
        authorization = headers.get('authorization')
        if not authorization:
            raise APIError(401, 'MissingAuthenticationToken', 'the request carries no Authorization header')
        match = AUTH_RE.match(authorization.strip())
        if not match:
            raise APIError(400, 'InvalidAuthorization',
                           'Authorization must be "HMAC-SHA256 Credential=<ak>/<date>/<region>/<service>/request, '
                           'SignedHeaders=<names>, Signature=<hex>"')
        credential, signed_list, signature = match.groups()
        scope = credential.split('/')
        if len(scope) != 5 or scope[4] != 'request' or not all(scope):
            raise APIError(400, 'InvalidAuthorization', 'the Credential %r is not <ak>/<date>/<region>/<service>/request' % credential)
        access_key = scope[0]
        x_date = headers.get('x-date')
        if not x_date:
            raise APIError(400, 'MissingRequestInfo', 'the request carries no X-Date header')
        if not X_DATE_RE.match(x_date):
            raise APIError(400, 'MissingRequestInfo', 'X-Date %r is not YYYYMMDDTHHMMSSZ' % x_date)
        signed_headers = signed_list.split(';')
        missing = [name for name in REQUIRED_SIGNED_HEADERS if name not in signed_headers]
        if missing:
            raise APIError(400, 'MissingRequestInfo', 'SignedHeaders must include %s' % ', '.join(missing))
        absent = [name for name in signed_headers if name not in headers]
        if absent:
            raise APIError(400, 'MissingRequestInfo', 'signed header(s) %s not present in the request' % ', '.join(absent))
        key = self.keys.get(access_key)
        if key is None:
            raise APIError(401, 'InvalidAccessKey', 'the access key %s does not exist' % access_key)
        try:
            stamp = parse_x_date(x_date)
        except ValueError:
            raise APIError(400, 'MissingRequestInfo', 'X-Date %r is not a valid date' % x_date) from None
        skew = abs(self.clock() - stamp)
        if skew > self.settings['max_clock_skew']:
            raise APIError(403, 'InvalidTimestamp', 'X-Date %s is %d seconds away from the server time (at most %d allowed)'
                           % (x_date, skew, self.settings['max_clock_skew']))
        expected_token = key.get('session_token') or None
        sent_token = headers.get('x-security-token')
        if expected_token is not None or sent_token is not None:
            if sent_token != expected_token:
                raise APIError(401, 'InvalidSecretToken', 'the security token is invalid or does not belong to this access key')
            if 'x-security-token' not in signed_headers:
                raise APIError(401, 'InvalidSecretToken', 'X-Security-Token must be signed')
        if scope[1] != x_date[:8] or scope[2] != REGION or scope[3] != SERVICE:
            raise APIError(401, 'SignatureDoesNotMatch', 'the credential scope %s does not match %s/%s/%s/request'
                           % ('/'.join(scope[1:]), x_date[:8], REGION, SERVICE))
        body_hash = SDKUtil.sha256(body)
        if headers.get('x-content-sha256') != body_hash:
            raise APIError(401, 'SignatureDoesNotMatch', 'X-Content-Sha256 does not match the SHA-256 of the body received')
        expected = compute_signature(method, path, query, signed_headers, headers, body, key['secret_key'], x_date, REGION, SERVICE)[0]
        if expected != signature.lower():
            raise APIError(401, 'SignatureDoesNotMatch', 'the request signature does not match the one computed with the secret key')
        return access_key

    # -- actions -----------------------------------------------------------------------------------------

    def _find(self, vhost, app):
        for config in self.configs:
            if config['Vhost'] == vhost and config['App'] == app:
                return config
        return None

    def update(self, body):
        vhost = _vhost(body)
        app = _app(body)
        groups = validate_group_details(body)
        with self.lock:
            config = self._find(vhost, app)
            if config is None:
                config = collections.OrderedDict([('Vhost', vhost), ('App', app), ('GroupDetails', [])])
                self.configs.append(config)
            if self.settings['update_mode'] == 'replace':
                config['GroupDetails'] = groups
            else:
                for group in groups:
                    for index, existing in enumerate(config['GroupDetails']):
                        if existing['Group'] == group['Group']:
                            config['GroupDetails'][index] = group
                            break
                    else:
                        config['GroupDetails'].append(group)
            self.persist()
        return None

    def describe(self, body):
        vhost = _vhost(body)
        app = _app(body, required=False)
        group = _optional_string(body, 'Group')
        result = []
        with self.lock:
            for config in self.configs:
                if config['Vhost'] != vhost or (app and config['App'] != app):
                    continue
                config = copy.deepcopy(config)
                if group:
                    config['GroupDetails'] = [g for g in config['GroupDetails'] if g['Group'] == group]
                    if not config['GroupDetails']:
                        continue
                result.append(config)
            empty_mode = self.settings['empty_describe']
        if not result:
            if empty_mode == 'missing':
                return {}
            if empty_mode == 'notfound':
                raise APIError(404, 'ResourceNotFound', 'no relay source configuration found for Vhost %s' % vhost)
        return {'RelaySourceConfigList': result}

    def delete(self, body):
        vhost = _vhost(body)
        app = _app(body)
        group = _optional_string(body, 'Group')
        with self.lock:
            config = self._find(vhost, app)
            if config is None:
                raise APIError(404, 'ResourceNotFound', 'no relay source configuration for Vhost %s App %s' % (vhost, app))
            if group:
                remaining = [g for g in config['GroupDetails'] if g['Group'] != group]
                if len(remaining) == len(config['GroupDetails']):
                    raise APIError(404, 'ResourceNotFound', 'no group %s in the configuration of Vhost %s App %s' % (group, vhost, app))
                config['GroupDetails'] = remaining
            else:
                config['GroupDetails'] = []
            if not config['GroupDetails']:
                self.configs.remove(config)
            self.persist()
        return None

    def run_action(self, action, body):
        handler = {'UpdateRelaySourceV3': self.update, 'DescribeRelaySourceV3': self.describe,
                   'DeleteRelaySourceV3': self.delete}[action]
        return handler(body)


# ---------------------------------------------------------------------------------------------------------
# HTTP


def envelope(request_id, action, version, result=None, error=None):
    metadata = collections.OrderedDict([
        ('RequestId', request_id), ('Action', action or ''), ('Version', version or ''),
        ('Service', SERVICE), ('Region', REGION),
    ])
    if error is not None:
        code, message = error
        error_body = collections.OrderedDict([('Code', code)])
        if code in CODE_N:
            error_body['CodeN'] = CODE_N[code]
        error_body['Message'] = message
        metadata['Error'] = error_body
    document = collections.OrderedDict([('ResponseMetadata', metadata)])
    if result is not None:
        document['Result'] = result
    return document


class DropConnection(Exception):
    """Close the connection without answering."""


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'VolcengineLiveEmulator/1.0'
    sys_version = ''
    timeout = 120

    @property
    def emulator(self):
        return self.server.emulator

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.verbose:
            sys.stderr.write('%s - %s\n' % (self.address_string(), format % args))

    # -- plumbing ----------------------------------------------------------------------------------------

    def _read_body(self):
        length = self.headers.get('Content-Length')
        if length is None:
            if self.headers.get('Transfer-Encoding', '').lower() == 'chunked':
                return self._read_chunked()
            return b''
        try:
            length = int(length)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            raise ControlError(400, 'bad Content-Length')
        return self.rfile.read(length) if length else b''

    def _read_chunked(self):
        chunks = []
        while True:
            size = int(self.rfile.readline().split(b';', 1)[0].strip() or b'0', 16)
            if size == 0:
                while self.rfile.readline() not in (b'\r\n', b'\n', b''):
                    pass
                return b''.join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _send(self, status, payload, content_type='application/json; charset=utf-8', headers=None):
        if isinstance(payload, (dict, list)):
            data = json.dumps(payload, ensure_ascii=False).encode('utf-8')
        elif isinstance(payload, bytes):
            data = payload
        else:
            data = payload.encode('utf-8')
        self.send_response(status)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header('Connection', 'close')
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(data)

    def _dispatch(self):
        try:
            if self.path.startswith(CONTROL_PREFIX) or self.path.rstrip('/') == CONTROL_PREFIX.rstrip('/'):
                self._control()
            else:
                self._api()
        except DropConnection:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        except ControlError as exc:
            self._send(exc.status, {'error': exc.message})
        except (BrokenPipeError, ConnectionResetError):  # the client went away
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _dispatch  # noqa: N815

    # -- control interface -------------------------------------------------------------------------------

    def _control(self):
        body = self._read_body()
        route = urlsplit(self.path).path[len(CONTROL_PREFIX):].strip('/')
        method = self.command
        emulator = self.emulator

        def document():
            if not body.strip():
                return {}
            try:
                return json.loads(body.decode('utf-8'))
            except ValueError as exc:
                raise ControlError(400, 'the body is not JSON: %s' % exc) from None

        routes = {
            ('requests', 'GET'): emulator.requests,
            ('requests', 'DELETE'): lambda: (emulator.clear_requests(), {'cleared': True})[1],
            ('state', 'GET'): emulator.state_document,
            ('state', 'PUT'): lambda: (emulator.set_state(document()), emulator.state_document())[1],
            ('faults', 'GET'): emulator.list_faults,
            ('faults', 'POST'): lambda: emulator.add_fault(document()),
            ('faults', 'DELETE'): lambda: (emulator.clear_faults(), {'cleared': True})[1],
            ('settings', 'GET'): emulator.get_settings,
            ('settings', 'PUT'): lambda: emulator.update_settings(document()),
        }
        if (route, method) not in routes:
            if any(name == route for name, _method in routes):
                raise ControlError(405, 'method %s not allowed on %s%s' % (method, CONTROL_PREFIX, route))
            raise ControlError(404, 'no control endpoint %s%s (known: requests, state, faults, settings)' % (CONTROL_PREFIX, route))
        self._send(200, routes[(route, method)]())

    # -- the API -----------------------------------------------------------------------------------------

    def _api(self):
        emulator = self.emulator
        request_id = new_request_id()
        body = self._read_body()
        split = urlsplit(self.path)
        query = parse_qs(split.query, keep_blank_values=True)
        action = (query.get('Action') or [None])[0]
        version = (query.get('Version') or [None])[0]
        try:
            parsed = json.loads(body.decode('utf-8')) if body.strip() else None
            logged_body = parsed if body.strip() else body.decode('utf-8', 'replace')
        except ValueError:
            parsed = ValueError
            logged_body = body.decode('utf-8', 'replace')
        entry = {
            'seq': None, 'time': time.time(), 'action': action, 'version': version, 'body': logged_body,
            'access_key': None, 'signature_valid': False, 'http_status': None, 'error_code': None,
            'request_id': request_id, 'fault': None,
        }
        headers = dict((name.lower(), value) for name, value in self.headers.items())
        # Logged on arrival (so a request still being delayed is visible); completed before the answer is sent.
        emulator.record(entry)
        emulator.update_entry(entry, access_key=self._claimed_access_key(headers))
        lose_answer = False  # a drop_after fault: process the request as usual, then cut the connection unanswered
        try:
            emulator.authenticate(self.command, unquote(split.path) or '/', query, headers, body)
            emulator.update_entry(entry, signature_valid=True)
            if not emulator.allow(entry['access_key']):
                raise APIError(429, 'FlowLimitExceeded', 'request rate exceeded the limit of %g requests/second for this account'
                               % emulator.settings['rate_limit'])
            if not action or not version:
                raise APIError(400, 'MissingParameter', 'the query parameters Action and Version are required')
            if action not in ACTIONS or version != API_VERSION:
                raise APIError(404, 'InvalidActionOrVersion', 'Could not find operation %s for version %s' % (action, version))
            fault = emulator.take_fault(action)
            if fault is not None:
                emulator.update_entry(entry, fault=fault['kind'])
                self._apply_fault(fault, entry, action, version)
                if fault['kind'] not in ('delay', 'drop_after'):
                    return
                lose_answer = fault['kind'] == 'drop_after'
            if self.command != 'POST':
                raise APIError(404, 'InvalidActionOrVersion', 'Could not find operation %s %s for version %s' % (self.command, action, version))
            if parsed is ValueError:
                raise bind_error('the body is not valid JSON')
            if parsed is None:
                parsed = {}
            if not isinstance(parsed, dict):
                raise bind_error('the body must be a JSON object')
            result = emulator.run_action(action, parsed)
        except APIError as exc:
            if lose_answer:
                emulator.update_entry(entry, error_code=exc.code)
                raise DropConnection()
            emulator.update_entry(entry, http_status=exc.status, error_code=exc.code)
            self._send(exc.status, envelope(request_id, action, version, error=(exc.code, exc.message)), headers=exc.headers)
            return
        except (DropConnection, BrokenPipeError, ConnectionResetError):
            raise
        except Exception:  # pylint: disable=broad-except
            traceback.print_exc()
            emulator.update_entry(entry, http_status=500, error_code='InternalError')
            self._send(500, envelope(request_id, action, version, error=('InternalError', 'an internal error occurred, please contact the administrator.')))
            return
        if lose_answer:
            raise DropConnection()
        emulator.update_entry(entry, http_status=200)
        self._send(200, envelope(request_id, action, version, result=result))

    @staticmethod
    def _claimed_access_key(headers):
        match = AUTH_RE.match((headers.get('authorization') or '').strip())
        return match.group(1).split('/')[0] if match else None

    def _apply_fault(self, fault, entry, action, version):
        kind = fault['kind']
        extra = {}
        if fault['retry_after'] is not None:
            extra['Retry-After'] = ('%d' % fault['retry_after']) if float(fault['retry_after']).is_integer() else str(fault['retry_after'])
        if kind in ('delay', 'drop_after'):
            time.sleep(fault['delay'])
        elif kind == 'drop':
            if fault['delay']:
                time.sleep(fault['delay'])
            raise DropConnection()
        elif kind == 'html':
            self.emulator.update_entry(entry, http_status=fault['status'])
            self._send(fault['status'], HTML_PAGE, content_type='text/html', headers=extra)
        elif kind == 'raw':
            self.emulator.update_entry(entry, http_status=fault['status'])
            self._send(fault['status'], json.dumps(fault['body']), headers=extra)
        elif kind in ('error', 'commonerr'):
            if fault['delay']:
                time.sleep(fault['delay'])
            code = fault['code']
            message = fault['message'] or ('emulated fault: %s' % code)
            self.emulator.update_entry(entry, http_status=fault['status'], error_code=code)
            self._send(fault['status'], envelope(entry['request_id'], action, version, error=(code, message)), headers=extra)


class Server(ThreadingMixIn, HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    ssl_context = None
    verbose = False
    emulator = None

    def finish_request(self, request, client_address):
        # The TLS handshake happens here, in the request's own thread, so a slow client blocks nobody.
        if self.ssl_context is not None:
            try:
                request.settimeout(30)
                request = self.ssl_context.wrap_socket(request, server_side=True)
                request.settimeout(None)
            except (ssl.SSLError, OSError) as exc:
                if self.verbose:
                    sys.stderr.write('TLS handshake with %s failed: %s\n' % (client_address[0], exc))
                return
        try:
            HTTPServer.finish_request(self, request, client_address)
        finally:
            if self.ssl_context is not None:
                try:
                    request.close()
                except OSError:
                    pass

    def handle_error(self, request, client_address):
        if self.verbose:
            HTTPServer.handle_error(self, request, client_address)


def load_keys(path):
    with open(path, 'r') as handle:
        document = json.load(handle)
    keys = document.get('keys') if isinstance(document, dict) else None
    if not isinstance(keys, list) or not keys:
        raise ValueError('%s: expected {"keys": [{"access_key": ..., "secret_key": ..., "session_token": null}]}' % path)
    result = []
    for key in keys:
        if not isinstance(key, dict) or not isinstance(key.get('access_key'), str) or not isinstance(key.get('secret_key'), str):
            raise ValueError('%s: every key needs string access_key and secret_key' % path)
        token = key.get('session_token')
        if token is not None and not isinstance(token, str):
            raise ValueError('%s: session_token must be a string or null' % path)
        result.append({'access_key': key['access_key'], 'secret_key': key['secret_key'], 'session_token': token or None})
    return result


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Local emulator of the Volcengine Live relay-source OpenAPI (test-only).')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--state', help='JSON file {"RelaySourceConfigList": [...]} loaded at start and rewritten after each change')
    parser.add_argument('--credentials', help='JSON file {"keys": [{"access_key", "secret_key", "session_token"}]}')
    parser.add_argument('--update-mode', choices=UPDATE_MODES, default='replace')
    parser.add_argument('--rate-limit', type=float, default=10.0, help='requests/second per access key (burst the same); 0 disables')
    parser.add_argument('--empty-describe', choices=EMPTY_DESCRIBE_MODES, default='list')
    parser.add_argument('--max-clock-skew', type=float, default=900.0, help='seconds')
    parser.add_argument('--tls-cert')
    parser.add_argument('--tls-key')
    parser.add_argument('--verbose', action='store_true', help='log every request on stderr')
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error('--tls-cert and --tls-key go together')
    if args.rate_limit < 0:
        parser.error('--rate-limit must be >= 0')
    return args


def main(argv=None):
    args = parse_args(argv)
    if not HAS_SDK:
        sys.stderr.write('live_emulator: the volcengine SDK (pip install volcengine) is needed to check signatures: %s\n' % SDK_IMPORT_ERROR)
        return 2
    try:
        keys = load_keys(args.credentials) if args.credentials else None
        emulator = Emulator(keys=keys, state_file=args.state, update_mode=args.update_mode, rate_limit=args.rate_limit,
                            empty_describe=args.empty_describe, max_clock_skew=args.max_clock_skew)
    except (OSError, ValueError, ControlError) as exc:
        sys.stderr.write('live_emulator: %s\n' % getattr(exc, 'message', exc))
        return 2

    server = Server((args.host, args.port), Handler)
    server.emulator = emulator
    server.verbose = args.verbose
    scheme = 'http'
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.ssl_context = context
        scheme = 'https'
    host, port = server.server_address[:2]
    if ':' in host:
        host = '[%s]' % host
    stopping = threading.Event()

    def stop(signum, frame):  # pylint: disable=unused-argument
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown).start()

    # Before the URL is printed: a harness may stop the emulator as soon as it has read it.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sys.stdout.write('%s://%s:%d\n' % (scheme, host, port))
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
