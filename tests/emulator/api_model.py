# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Volcengine Live relay-source API as an in-memory model, without HTTP (test-only).

``LiveAPIModel.answer`` takes one request (action, version, body) from arrival to answer: throttling, the queued
faults, validation, the action on the state, and the request log; it returns a ``Reply`` (HTTP status and the
envelope, or no answer at all). live_emulator.py serves it over HTTP, with the signature check of
signature_check.py in front; unit tests drive it in-process (tests/unit/model_client.py).

This is the tests' oracle: its rules are written from the API documentation, never imported from plugins/.
docs/developing.md, section "The emulator (tests/emulator/)", is the contract.

Two kinds of relay source live side by side (the console's two tabs):

- play-triggered relay per app (V3: UpdateRelaySourceV3, DescribeRelaySourceV3, DeleteRelaySourceV3), the state's
  ``RelaySourceConfigList``;
- fixed-triggered ("scheduled" or permanent) relay per stream (V4: CreateRelaySourceV4, UpdateRelaySourceV4,
  DeleteRelaySourceV4, ListRelaySourceV4), the state's ``RelaySourceV4List``: entries {Domain, App, Stream,
  SrcAddrS, StartTime, EndTime} keyed by Domain + App + Stream, StartTime = EndTime = 0 for a permanent one.

The V4 choices where the API documentation says nothing (docs/developing.md lists them with the rules):
Create of a stream that has a configuration -> 400 InvalidParam; Update *and Delete* of a stream that has none ->
404 ResourceNotFound (as the V3 Delete; the real API may answer 403 RequestForbidden or, for Delete, 400
InvalidParam.OutOfRange: a queued fault with that code tries it). ListRelaySourceV4 answers a domain's entries in
creation order (an Update keeps an entry's place; a Delete and a new Create puts it last). Three settings choose
the unconfirmed answers: ``v4_permanent_times`` (``zero``: a permanent entry is listed with StartTime/EndTime 0;
``absent``: without those keys), ``v4_ended`` (an entry whose EndTime has passed: ``keep`` = listed as any other;
``hide`` = List leaves it out while Create/Update/Delete still find it; ``expire`` = it is gone, removed from the
state when the next V4 request arrives) and ``v3_v4_same_app`` (``allowed``; ``refused``: a write that would leave
one Domain/Vhost + App holding both kinds, CreateRelaySourceV4 into an app with a V3 configuration or
UpdateRelaySourceV3 into an app with V4 streams, is answered 400 InvalidParam.RelaySourceConflict).
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import itertools
import json
import os
import random
import re
import tempfile
import threading
import time
import traceback
import uuid

from urllib.parse import urlsplit

SERVICE = 'live'
REGION = 'cn-north-1'
API_VERSION = '2023-01-01'
ACTION_UPDATE = 'UpdateRelaySourceV3'
ACTION_DESCRIBE = 'DescribeRelaySourceV3'
ACTION_DELETE = 'DeleteRelaySourceV3'
ACTION_CREATE_V4 = 'CreateRelaySourceV4'
ACTION_UPDATE_V4 = 'UpdateRelaySourceV4'
ACTION_DELETE_V4 = 'DeleteRelaySourceV4'
ACTION_LIST_V4 = 'ListRelaySourceV4'
V3_ACTIONS = (ACTION_UPDATE, ACTION_DESCRIBE, ACTION_DELETE)
V4_ACTIONS = (ACTION_CREATE_V4, ACTION_UPDATE_V4, ACTION_DELETE_V4, ACTION_LIST_V4)
ACTIONS = V3_ACTIONS + V4_ACTIONS
V3_WRITE_ACTIONS = (ACTION_UPDATE, ACTION_DELETE)
V4_WRITE_ACTIONS = (ACTION_CREATE_V4, ACTION_UPDATE_V4, ACTION_DELETE_V4)
WRITE_ACTIONS = V3_WRITE_ACTIONS + V4_WRITE_ACTIONS

# The emulator's built-in key (the only one it accepts unless given a credentials file); the demo, the guide and
# the harness use it from here.
DEMO_ACCESS_KEY = 'AKLTEMULATORDEMO'
DEMO_SECRET_KEY = 'emulator-demo-secret'

# What UpdateRelaySourceV3 does with the app's group list (see group_list_after_update): nobody has confirmed which
# of these the real API does, so a test can run the modules against each.
UPDATE_MODES = ('replace', 'merge', 'merge_first', 'merge_last')
EMPTY_DESCRIBE_MODES = ('list', 'missing', 'notfound')
DESCRIBE_FILTERS = ('exact', 'loose')
FAULT_KINDS = ('error', 'delay', 'drop', 'drop_after', 'html', 'commonerr', 'raw', 'result')
FAULT_FIELDS = ('kind', 'count', 'skip', 'status', 'code', 'message', 'delay', 'actions', 'apps', 'streams', 'retry_after', 'apply',
                'body', 'result')
# The unconfirmed V4 answers (see the module docstring), each a setting so a test can run the modules against each.
V4_PERMANENT_TIMES = ('zero', 'absent')
V4_ENDED = ('keep', 'hide', 'expire')
V3_V4_SAME_APP = ('allowed', 'refused')
DEFAULT_SETTINGS = {'update_mode': 'replace', 'rate_limit': 10.0, 'empty_describe': 'list', 'max_clock_skew': 900.0,
                    'describe_filter': 'exact', 'log_state_after': False, 'latency': 0.0,
                    'v4_permanent_times': 'zero', 'v4_ended': 'keep', 'v3_v4_same_app': 'allowed'}
SETTING_CHOICES = {'update_mode': UPDATE_MODES, 'empty_describe': EMPTY_DESCRIBE_MODES, 'describe_filter': DESCRIBE_FILTERS,
                   'v4_permanent_times': V4_PERMANENT_TIMES, 'v4_ended': V4_ENDED, 'v3_v4_same_app': V3_V4_SAME_APP}

# Whole-string patterns, used with fullmatch; ASCII only (a "$" would accept a trailing newline, "\d" any
# Unicode digit, which int() then reads).
VHOST_RE = re.compile(r'[A-Za-z0-9_.-]{1,60}', re.ASCII)
APP_RE = re.compile(r'[A-Za-z0-9_.-]{1,30}', re.ASCII)
# Labels may hold "_" (DNS allows it, and nothing in the API documentation forbids it).
_LABEL = r'[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?'
HOST_RE = re.compile(r'%s(?:\.%s)*\.?(?::([0-9]{1,5}))?' % (_LABEL, _LABEL), re.ASCII)
IPV6_RE = re.compile(r'\[[0-9A-Fa-f:.]+\](?::([0-9]{1,5}))?', re.ASCII)
BARE_IPV6_RE = re.compile(r'[0-9A-Fa-f]*(?::[0-9A-Fa-f.]*){2,}', re.ASCII)
MAX_SERVERS = 10

# V4 (fixed-triggered relay per stream)
V4_STATE_KEY = 'RelaySourceV4List'
V4_FIELDS = ('Domain', 'App', 'Stream', 'SrcAddrS', 'StartTime', 'EndTime')
DOMAIN_RE = re.compile(r'%s(?:\.%s)*' % (_LABEL, _LABEL), re.ASCII)
MAX_DOMAIN_LENGTH = 253
STREAM_RE = re.compile(r'[A-Za-z0-9_.-]{1,100}', re.ASCII)
ORIGIN_SCHEMES = ('rtmp', 'http', 'https', 'srt')
MAX_ORIGINS = 10
MAX_WINDOW_SECONDS = 7 * 24 * 3600
INT32_RANGE = (-2 ** 31, 2 ** 31 - 1)  # StartTime/EndTime are int32 in the official SDKs: beyond, the JSON does not bind
LIST_DEFAULT_SIZE = 20
LIST_MAX_SIZE = 500
RELAY_SOURCE_CONFLICT = 'InvalidParam.RelaySourceConflict'

# The fields the model checks, per level, in the order it stores them. Any other key is kept verbatim after them
# (see _with_unmodelled): BytePlus documents more (RetryTimes, LBType; per group Backup, Weight; per server Host,
# PullAuth, OutboundConfig, ...), and a client that drops them must be seen to drop them.
APP_FIELDS = ('Vhost', 'App', 'GroupDetails')
GROUP_FIELDS = ('Group', 'Servers')
SERVER_FIELDS = ('RelaySourceDomain', 'RelaySourceProtocol', 'RelaySourceParams')

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
JSON_CONTENT_TYPE = 'application/json; charset=utf-8'

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
    """A bad control request (the HTTP control interface answers it as {"error": message})."""

    def __init__(self, status, message):
        super(ControlError, self).__init__(message)
        self.status = status
        self.message = message


def invalid_param(message):
    return APIError(400, 'InvalidParam', message)


def bind_error(message):
    return APIError(400, 'InvalidParam.BindError', '%s: %s' % (BIND_ERROR_MESSAGE, message))


_REQUEST_BASE = random.randint(10 ** 12, 9 * 10 ** 13)


def new_request_id(seq):
    """A unique id shaped like the real ones: 14-digit UTC timestamp, 15 digits, 4 hex characters."""
    stamp = time.strftime('%Y%m%d%H%M%S', time.gmtime())
    return '%s%015d%04X' % (stamp, _REQUEST_BASE + seq, random.randint(0, 0xFFFF))


# ---------------------------------------------------------------------------------------------------------
# State shape and validation


def _require_type(value, kind, where, error=bind_error):
    if not isinstance(value, kind):
        names = {str: 'a string', list: 'an array', dict: 'an object'}
        raise error('%s must be %s' % (where, names.get(kind, kind.__name__)))
    return value


def normalise_state(document):
    """Check the loose shape of a {"RelaySourceConfigList": [...]} document (or of the bare list); return a clean copy.

    Used for --state files and set_state: only structure is checked (so odd states, e.g. a vhost-wide config with
    App "", can be seeded), parameter values are turned into strings. Keys the model does not know are kept
    verbatim after the known ones, at app, group and server level, so a test can seed what the real API stores.
    """
    if isinstance(document, list):
        document = {'RelaySourceConfigList': document}
    _require_type(document, dict, 'state', _state_error)
    return [_with_unmodelled(collections.OrderedDict([
        ('Vhost', str(config.get('Vhost', ''))),
        ('App', str(config.get('App', ''))),
        ('GroupDetails', [_state_group(group, group_where) for group_where, group in _objects(config, 'GroupDetails', where)]),
    ]), config, APP_FIELDS) for where, config in _objects(document, 'RelaySourceConfigList')]


def _state_group(group, where):
    return _with_unmodelled(collections.OrderedDict([
        ('Group', str(group.get('Group', ''))),
        ('Servers', [_state_server(server, server_where) for server_where, server in _objects(group, 'Servers', where)]),
    ]), group, GROUP_FIELDS)


def _unmodelled(source, known):
    """The keys of ``source`` other than ``known``, values copied, in the order received."""
    return collections.OrderedDict((key, _copy(value)) for key, value in source.items() if key not in known)


def _with_unmodelled(clean, source, known):
    """``clean`` (the checked fields, in the model's order) followed by the other keys of ``source``, verbatim: the
    real API keeps fields this model does not check, and answers them back."""
    clean.update(_unmodelled(source, known))
    return clean


def _state_error(message):
    return ControlError(400, message)


def _objects(container, key, where=None):
    """(path, object) for each entry of the array ``container[key]`` (absent or null: none), each checked to be an
    object; ControlError naming the path otherwise."""
    path = key if where is None else '%s.%s' % (where, key)
    entries = container.get(key) or []
    _require_type(entries, list, path, _state_error)
    return [('%s[%d]' % (path, index), _require_type(entry, dict, '%s[%d]' % (path, index), _state_error))
            for index, entry in enumerate(entries)]


def _state_server(server, where):
    params = server.get('RelaySourceParams') or {}
    _require_type(params, dict, where + '.RelaySourceParams', _state_error)
    return _with_unmodelled(collections.OrderedDict([
        ('RelaySourceDomain', str(server.get('RelaySourceDomain', ''))),
        ('RelaySourceProtocol', str(server.get('RelaySourceProtocol', ''))),
        ('RelaySourceParams', dict((str(k), _stringify(v)) for k, v in params.items())),
    ]), server, SERVER_FIELDS)


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


def _path(name, where):
    return name if where is None else '%s.%s' % (where, name)


def _optional_string(body, name, where=None):
    value = body.get(name)
    if value is None:
        return None
    return _require_type(value, str, _path(name, where))


def _required_string(body, name, where=None):
    value = _optional_string(body, name, where)
    if not value:
        raise invalid_param('%s is required' % _path(name, where))
    return value


def _required_array(body, name, where=None):
    """body[name] as a non-empty array: InvalidParam when absent or empty, InvalidParam.BindError when no array."""
    value = body.get(name)
    if value is None:
        raise invalid_param('%s is required' % _path(name, where))
    _require_type(value, list, _path(name, where))
    if not value:
        raise invalid_param('%s must not be empty' % _path(name, where))
    return value


def validate_vhost(body):
    vhost = _required_string(body, 'Vhost')
    if not VHOST_RE.fullmatch(vhost):
        raise invalid_param('Vhost must be 1 to 60 letters, digits, "_", "-" or ".": %r' % vhost)
    return vhost


def validate_app(body, required=True):
    app = _required_string(body, 'App') if required else _optional_string(body, 'App')
    if app and not APP_RE.fullmatch(app):
        raise invalid_param('App must be 1 to 30 letters, digits, "_", "-" or ".": %r' % app)
    return app


def validate_group_details(body):
    """The checked GroupDetails of an Update ``body``; each group and server also keeps the keys the model does not
    check, verbatim after the checked ones (a sent group is stored exactly as sent)."""
    clean = []
    seen = set()
    for group_index, group in enumerate(_required_array(body, 'GroupDetails')):
        where = 'GroupDetails[%d]' % group_index
        _require_type(group, dict, where)
        name = _required_string(group, 'Group', where)
        if name in seen:
            raise invalid_param('%s.Group %r appears more than once' % (where, name))
        seen.add(name)
        servers = _required_array(group, 'Servers', where)
        if len(servers) > MAX_SERVERS:
            raise invalid_param('%s.Servers has %d entries; at most %d origin addresses are allowed' % (where, len(servers), MAX_SERVERS))
        clean.append(_with_unmodelled(collections.OrderedDict([('Group', name), ('Servers', [
            _validate_server(server, '%s.Servers[%d]' % (where, server_index)) for server_index, server in enumerate(servers)])]),
            group, GROUP_FIELDS))
    return clean


def _validate_server(server, where):
    _require_type(server, dict, where)
    domain = _required_string(server, 'RelaySourceDomain', where)
    validate_domain(domain, where)
    protocol = _required_string(server, 'RelaySourceProtocol', where)
    if protocol not in ('rtmp', 'flv'):
        raise invalid_param('%s.RelaySourceProtocol must be "rtmp" or "flv", not %r' % (where, protocol))
    params = server.get('RelaySourceParams')
    if params is None:
        params = {}
    _require_type(params, dict, where + '.RelaySourceParams')
    for key, value in params.items():
        if not isinstance(value, str):
            raise bind_error('%s.RelaySourceParams[%r] must be a string' % (where, key))
    return _with_unmodelled(collections.OrderedDict([('RelaySourceDomain', domain), ('RelaySourceProtocol', protocol),
                                                     ('RelaySourceParams', dict(params))]), server, SERVER_FIELDS)


def _upsert_in_place(stored, sent):
    """merge: a sent group replaces the stored one of its name where it stands; new ones are appended in the order
    sent; the others stay."""
    groups = list(stored)
    for group in sent:
        for index, existing in enumerate(groups):
            if existing['Group'] == group['Group']:
                groups[index] = group
                break
        else:
            groups.append(group)
    return groups


def _not_sent(stored, sent):
    names = set(group['Group'] for group in sent)
    return [group for group in stored if group['Group'] not in names]


# The app's group list after an Update, per update mode: (the stored groups, the validated groups sent) -> the new
# list. Each keeps every group it was sent, with the sent content; they differ in the order and in what they keep.
GROUP_LIST_AFTER_UPDATE = {
    'replace': lambda stored, sent: list(sent),
    'merge': _upsert_in_place,
    'merge_first': lambda stored, sent: list(sent) + _not_sent(stored, sent),
    'merge_last': lambda stored, sent: _not_sent(stored, sent) + list(sent),
}


def group_list_after_update(mode, stored, sent):
    """What UpdateRelaySourceV3 leaves as the app's group list under ``mode`` (one of UPDATE_MODES)."""
    return GROUP_LIST_AFTER_UPDATE[mode](stored, sent)


# ---------------------------------------------------------------------------------------------------------
# V4: fixed-triggered relay per stream, its state shape and validation


def normalise_scheduled_state(document):
    """Check the loose shape of the ``RelaySourceV4List`` of a state document; return clean entries.

    As for normalise_state only structure is checked (odd entries can be seeded): Domain, App and Stream strings,
    SrcAddrS an array of strings, StartTime/EndTime integers, null or absent (null and absent become 0: no window).
    Keys the model does not know are kept verbatim after the known ones. Domain + App + Stream must be unique.
    """
    entries, seen = [], set()
    for where, entry in _objects(document, V4_STATE_KEY):
        clean = collections.OrderedDict()
        for name in ('Domain', 'App', 'Stream'):
            clean[name] = _require_type(entry.get(name, ''), str, '%s.%s' % (where, name), _state_error)
        sources = entry.get('SrcAddrS') or []
        _require_type(sources, list, where + '.SrcAddrS', _state_error)
        for index, source in enumerate(sources):
            _require_type(source, str, '%s.SrcAddrS[%d]' % (where, index), _state_error)
        clean['SrcAddrS'] = list(sources)
        for name in ('StartTime', 'EndTime'):
            value = entry.get(name) or 0
            if isinstance(value, bool) or not isinstance(value, int):
                raise ControlError(400, '%s.%s must be an integer (Unix seconds; 0 or null: no window)' % (where, name))
            clean[name] = value
        key = scheduled_key(clean)
        if key in seen:
            raise ControlError(400, '%s: Domain %s App %s Stream %s appears more than once' % ((where,) + key))
        seen.add(key)
        entries.append(_with_unmodelled(clean, entry, V4_FIELDS))
    return entries


def scheduled_key(entry):
    """What identifies a V4 configuration: (Domain, App, Stream)."""
    return entry['Domain'], entry['App'], entry['Stream']


def is_permanent(entry):
    return not entry['StartTime'] and not entry['EndTime']


def has_ended(entry, now):
    """Whether the entry's window is over (a permanent one never ends)."""
    return bool(entry['EndTime']) and entry['EndTime'] <= now


def validate_v4_domain(body):
    domain = _required_string(body, 'Domain')
    if len(domain) > MAX_DOMAIN_LENGTH or not DOMAIN_RE.fullmatch(domain):
        raise invalid_param('Domain must be a domain name (labels of letters, digits, "_" and "-", at most %d characters): %r'
                            % (MAX_DOMAIN_LENGTH, domain))
    return domain


def validate_stream(body):
    stream = _required_string(body, 'Stream')
    if not STREAM_RE.fullmatch(stream):
        raise invalid_param('Stream must be 1 to 100 letters, digits, "_", "-" or ".": %r' % stream)
    return stream


def validate_origin(url, where):
    """One SrcAddrS entry: a full URL, scheme rtmp, http, https or srt (any case), a valid host[:port]."""
    if not url or any(not 0x21 <= ord(character) <= 0x7e for character in url):
        raise invalid_param('%s must be a URL of printable ASCII characters without spaces: %r' % (where, url))
    scheme, separator = url.partition('://')[:2]
    if not separator or scheme.lower() not in ORIGIN_SCHEMES:
        raise invalid_param('%s must be a full URL whose scheme is rtmp, http, https or srt: %r' % (where, url))
    try:
        host = urlsplit(url).netloc.rpartition('@')[2]
    except ValueError:  # an unclosed "[" of an IPv6 address
        host = ''
    match = HOST_RE.fullmatch(host) or IPV6_RE.fullmatch(host)
    if not match:
        raise invalid_param('%s has no valid host[:port] after %s://: %r' % (where, scheme, url))
    port = match.group(1)
    if port is not None and not 1 <= int(port) <= 65535:
        raise invalid_param('%s has an invalid port: %r' % (where, url))
    return url


def validate_origins(body):
    origins = _required_array(body, 'SrcAddrS')
    for index, origin in enumerate(origins):
        _require_type(origin, str, 'SrcAddrS[%d]' % index)
    if len(origins) > MAX_ORIGINS:
        raise invalid_param('SrcAddrS has %d entries; at most %d origin addresses are allowed' % (len(origins), MAX_ORIGINS))
    return [validate_origin(origin, 'SrcAddrS[%d]' % index) for index, origin in enumerate(origins)]


def _optional_integer(body, name, what):
    """body[name] as a JSON integer in the int32 range, or None when absent or null; BindError for any other type."""
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise bind_error('%s must be an integer (%s)' % (name, what))
    if not INT32_RANGE[0] <= value <= INT32_RANGE[1]:
        raise bind_error('%s is beyond the 32-bit integer range: %d' % (name, value))
    return value


def validate_window(body):
    """(StartTime, EndTime) of a Create/Update body: both given (a window of at most 7 days) or (0, 0) (permanent)."""
    start = _optional_integer(body, 'StartTime', 'Unix seconds')
    end = _optional_integer(body, 'EndTime', 'Unix seconds')
    if (start is None) != (end is None):
        raise invalid_param('StartTime and EndTime go together: give both (a window) or neither (permanent relay); got only %s'
                            % ('StartTime' if end is None else 'EndTime'))
    if start is None:
        return 0, 0
    for name, value in (('StartTime', start), ('EndTime', end)):
        if value <= 0:
            raise invalid_param('%s must be a Unix time in seconds > 0: %d' % (name, value))
    if end <= start:
        raise invalid_param('EndTime (%d) must be later than StartTime (%d)' % (end, start))
    if end - start > MAX_WINDOW_SECONDS:
        raise invalid_param('the window from StartTime to EndTime lasts %d seconds; at most 7 days (%d seconds) are allowed'
                            % (end - start, MAX_WINDOW_SECONDS))
    return start, end


def validate_v4_entry(body):
    """The entry a Create/Update ``body`` describes, in the state's shape, with the keys the model does not check kept
    verbatim after the checked ones."""
    domain = validate_v4_domain(body)
    app = validate_app(body)
    stream = validate_stream(body)
    origins = validate_origins(body)
    start, end = validate_window(body)
    return _with_unmodelled(collections.OrderedDict([('Domain', domain), ('App', app), ('Stream', stream), ('SrcAddrS', origins),
                                                     ('StartTime', start), ('EndTime', end)]), body, V4_FIELDS)


def validate_page(body):
    """(Page, Size) of a List body: Page >= 1 (default 1), Size 1..500 (default 20)."""
    page = _optional_integer(body, 'Page', 'the page number, from 1')
    size = _optional_integer(body, 'Size', 'entries per page, 1 to %d' % LIST_MAX_SIZE)
    page = 1 if page is None else page
    size = LIST_DEFAULT_SIZE if size is None else size
    if page < 1:
        raise invalid_param('Page must be 1 or more: %d' % page)
    if not 1 <= size <= LIST_MAX_SIZE:
        raise invalid_param('Size must be 1 to %d: %d' % (LIST_MAX_SIZE, size))
    return page, size


def relay_source_conflict(domain, app, existing):
    return APIError(400, RELAY_SOURCE_CONFLICT,
                    'App %s of %s already has a %s relay source configuration: one App cannot hold both play-triggered (V3) and '
                    'fixed-triggered (V4) relay; delete that configuration first' % (app, domain, existing))


class ScheduledRelays(object):
    """The V4 entries, keyed by (Domain, App, Stream): in creation order overall (the state document) and per domain
    (ListRelaySourceV4), so a page costs its domain's length, whatever the other domains hold."""

    def __init__(self, entries=()):
        self.entries = collections.OrderedDict()
        self.domains = {}
        for entry in entries:
            self.add(entry)

    def get(self, key):
        return self.entries.get(key)

    def add(self, entry):
        key = scheduled_key(entry)
        self.entries[key] = entry
        self.domains.setdefault(key[0], collections.OrderedDict())[key[1:]] = entry

    def replace(self, entry):
        """Store ``entry`` in the place of the one of its key (an Update keeps the entry's place in the order)."""
        key = scheduled_key(entry)
        self.entries[key] = entry
        self.domains[key[0]][key[1:]] = entry

    def remove(self, key):
        del self.entries[key]
        domain = self.domains[key[0]]
        del domain[key[1:]]
        if not domain:
            del self.domains[key[0]]

    def of_domain(self, domain):
        return list(self.domains.get(domain, {}).values())

    def app_has_streams(self, domain, app):
        return any(app_name == app for app_name, stream in self.domains.get(domain, {}))

    def remove_ended(self, now):
        """Remove every entry whose window is over; whether any was."""
        ended = [key for key, entry in self.entries.items() if has_ended(entry, now)]
        for key in ended:
            self.remove(key)
        return bool(ended)

    def document(self):
        return _copy(list(self.entries.values()))


def _copy(value):
    """A deep copy of JSON data (much faster than copy.deepcopy; everything the model holds is JSON)."""
    return json.loads(json.dumps(value))


def _load_state(document):
    """(V3 configs, ScheduledRelays) of a state document or of the bare V3 list."""
    if isinstance(document, list):
        return normalise_state(document), ScheduledRelays()
    _require_type(document, dict, 'state', _state_error)
    return normalise_state(document), ScheduledRelays(normalise_scheduled_state(document))


def _v4_log_fields(parsed):
    """The log fields of a V4 request: the Domain, App and Stream its body names (None where it names none)."""
    body = parsed if isinstance(parsed, dict) else {}
    return dict((field, body.get(key) if isinstance(body.get(key), str) else None)
                for field, key in (('domain', 'Domain'), ('app', 'App'), ('stream', 'Stream')))


def _fault_target(parsed):
    """(App, Stream) of a request body, for the faults' ``apps`` and ``streams`` filters."""
    if not isinstance(parsed, dict):
        return None, None
    return parsed.get('App'), parsed.get('Stream')


def _parse_body(body):
    """(the parsed JSON body or ValueError when it is not JSON, what the log shows: the JSON or the raw text)."""
    text = body.decode('utf-8', 'replace') if isinstance(body, bytes) else body
    if not text.strip():
        return None, text
    try:
        parsed = json.loads(text)
    except ValueError:
        return ValueError, text
    return parsed, parsed


# ---------------------------------------------------------------------------------------------------------
# Answers


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


class Reply(collections.namedtuple('Reply', 'status document text content_type headers waited raw request_id error result',
                                   defaults=(None, None, JSON_CONTENT_TYPE, None, 0.0, False, None, None, None))):
    """The model's answer to one request.

    ``status`` is the HTTP status, None when the connection is to be closed without an answer (drop, drop_after).
    ``document`` is the JSON to send (the envelope, or a raw fault's body), ``text`` the body when it is not JSON
    (an html fault); ``headers`` the extra headers (Retry-After) or None. For an envelope, ``request_id``, ``error``
    ((code, message) or None) and ``result`` repeat its content; ``raw`` is true for raw and html faults, whose body
    is not the model's envelope. ``waited`` is how many seconds the model held the request (delay faults).
    """
    __slots__ = ()


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


# ---------------------------------------------------------------------------------------------------------
# The model


class LiveAPIModel(object):
    """The relay-source state, the settings, the queued faults and the request log, and how a request changes them.

    ``state``: an initial {"RelaySourceConfigList": [...], "RelaySourceV4List": [...]} document (either key may be
    absent: none of that kind) or the bare V3 list (see normalise_state, normalise_scheduled_state); ``state_file``
    is loaded when present and rewritten after every change. ``settings``: any of DEFAULT_SETTINGS. ``sleep`` holds
    a request for a delay fault (in-process callers pass one that only counts). ``request_id(seq)`` makes the
    RequestId of the seq-th request logged.
    """

    def __init__(self, state=None, state_file=None, sleep=time.sleep, request_id=new_request_id, **settings):
        self.lock = threading.RLock()
        self.state_file = state_file
        self.sleep = sleep
        self.new_request_id = request_id
        self.settings = dict(DEFAULT_SETTINGS)
        self.update_settings(settings)
        self.configs = []
        self.scheduled = ScheduledRelays()
        self.log = []
        self.faults = []
        self.buckets = {}
        self.seq = itertools.count(1)
        if state is not None:
            self.configs, self.scheduled = _load_state(state)
        elif state_file and os.path.exists(state_file) and os.path.getsize(state_file):
            with open(state_file, 'r') as handle:
                self.configs, self.scheduled = _load_state(json.load(handle))

    # -- state -------------------------------------------------------------------------------------------

    def state_document(self):
        with self.lock:
            return {'RelaySourceConfigList': _copy(self.configs), V4_STATE_KEY: self.scheduled.document()}

    def set_state(self, document, partial=False):
        """Replace the state with ``document`` (a key it lacks: none of that kind). With ``partial`` (PATCH), replace
        only the kinds whose key it has: {"RelaySourceV4List": [...]} seeds V4 and leaves V3 as it is."""
        if partial and (not isinstance(document, dict) or not {'RelaySourceConfigList', V4_STATE_KEY} & set(document)):
            raise ControlError(400, 'a partial state is an object with RelaySourceConfigList and/or %s' % V4_STATE_KEY)
        configs, scheduled = _load_state(document)
        with self.lock:
            if not partial or 'RelaySourceConfigList' in document:
                self.configs = configs
            if not partial or V4_STATE_KEY in document:
                self.scheduled = scheduled
            self.persist()

    def persist(self):
        if not self.state_file:
            return
        directory = os.path.dirname(os.path.abspath(self.state_file))
        handle, temporary = tempfile.mkstemp(prefix='.emulator-state-', dir=directory)
        try:
            with os.fdopen(handle, 'w') as stream:
                json.dump({'RelaySourceConfigList': self.configs, V4_STATE_KEY: list(self.scheduled.entries.values())}, stream,
                          indent=2, sort_keys=False)
                stream.write('\n')
            os.replace(temporary, self.state_file)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise

    # -- settings ----------------------------------------------------------------------------------------

    def get_settings(self):
        with self.lock:
            return dict(self.settings)

    def update_settings(self, changes):
        if not isinstance(changes, dict):
            raise ControlError(400, 'settings must be a JSON object')
        new = self.get_settings()
        for name, value in changes.items():
            if name in SETTING_CHOICES:
                if value not in SETTING_CHOICES[name]:
                    raise ControlError(400, '%s must be one of %s' % (name, ', '.join(SETTING_CHOICES[name])))
            elif name in ('rate_limit', 'max_clock_skew', 'latency'):
                if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                    raise ControlError(400, '%s must be a number >= 0' % name)
                value = float(value)
            elif name == 'log_state_after':
                if not isinstance(value, bool):
                    raise ControlError(400, 'log_state_after must be true or false')
            else:
                raise ControlError(400, 'unknown setting %r (known: %s)' % (name, ', '.join(sorted(DEFAULT_SETTINGS))))
            new[name] = value
        with self.lock:
            if new['rate_limit'] != self.settings['rate_limit']:
                self.buckets = {}
            self.settings = new
            return dict(new)

    # -- faults ------------------------------------------------------------------------------------------

    def add_fault(self, spec):
        if not isinstance(spec, dict):
            raise ControlError(400, 'a fault must be a JSON object')
        unknown = sorted(set(spec) - set(FAULT_FIELDS))
        if unknown:
            raise ControlError(400, 'unknown fault field(s) %s (known: %s)' % (', '.join(unknown), ', '.join(FAULT_FIELDS)))
        kind = spec.get('kind')
        if kind not in FAULT_KINDS:
            raise ControlError(400, 'kind must be one of %s' % ', '.join(FAULT_KINDS))
        fault = {
            'kind': kind,
            'count': spec.get('count', 1),
            'skip': spec.get('skip', 0),
            'status': spec.get('status', {'error': 500, 'html': 502, 'commonerr': 200, 'raw': 200}.get(kind)),
            'code': spec.get('code', {'error': 'InternalError', 'commonerr': 'CommonErr'}.get(kind)),
            'message': spec.get('message'),
            'delay': spec.get('delay', 1.0 if kind == 'delay' else 0.0),
            'actions': spec.get('actions'),
            'apps': spec.get('apps'),
            'streams': spec.get('streams'),
            'retry_after': spec.get('retry_after'),
            'apply': spec.get('apply', False),
        }
        for field, kinds in (('body', ('raw',)), ('result', ('result',))):
            if field in spec and kind not in kinds:
                raise ControlError(400, '%s is only used by a %s fault' % (field, ' or '.join(kinds)))
            if kind in kinds:
                if field not in spec:
                    raise ControlError(400, 'a %s fault needs "%s": the JSON value to answer with' % (kind, field))
                fault[field] = spec[field]
        for field in ('count', 'skip'):
            smallest = 1 if field == 'count' else 0
            if isinstance(fault[field], bool) or not isinstance(fault[field], int) or fault[field] < smallest:
                raise ControlError(400, '%s must be an integer >= %d' % (field, smallest))
        if fault['status'] is not None and (isinstance(fault['status'], bool) or not isinstance(fault['status'], int)
                                            or not 100 <= fault['status'] <= 599):
            raise ControlError(400, 'status must be an HTTP status code')
        if fault['code'] is not None and not isinstance(fault['code'], str):
            raise ControlError(400, 'code must be a string')
        if fault['message'] is not None and not isinstance(fault['message'], str):
            raise ControlError(400, 'message must be a string')
        if isinstance(fault['delay'], bool) or not isinstance(fault['delay'], (int, float)) or fault['delay'] < 0:
            raise ControlError(400, 'delay must be a number of seconds >= 0')
        for field, what in (('actions', 'action names'), ('apps', 'App values'), ('streams', 'Stream values')):
            if fault[field] is not None:
                if isinstance(fault[field], str):
                    fault[field] = [fault[field]]
                if not isinstance(fault[field], list) or not all(isinstance(item, str) for item in fault[field]):
                    raise ControlError(400, '%s must be a list of %s' % (field, what))
        if fault['retry_after'] is not None and (isinstance(fault['retry_after'], bool)
                                                 or not isinstance(fault['retry_after'], (int, float))):
            raise ControlError(400, 'retry_after must be a number of seconds')
        if not isinstance(fault['apply'], bool) or (fault['apply'] and kind not in ('error', 'commonerr')):
            raise ControlError(400, 'apply must be true or false, and only an error or commonerr fault uses it')
        with self.lock:
            self.faults.append(fault)
            return {'queued': dict(fault), 'faults': _copy(self.faults)}

    def list_faults(self):
        with self.lock:
            return _copy(self.faults)

    def clear_faults(self):
        with self.lock:
            self.faults = []

    def take_fault(self, action, app=None, stream=None):
        """The first queued fault matching ``action`` (and the request body's App ``app``, for a fault with
        ``apps``; its Stream ``stream``, for a fault with ``streams``) in FIFO order that has no request left to skip,
        its count consumed; None when none matches. A matching fault with ``skip`` left lets this request pass."""
        with self.lock:
            for index, fault in enumerate(self.faults):
                if ((fault['actions'] is None or action in fault['actions']) and (fault['apps'] is None or app in fault['apps'])
                        and (fault['streams'] is None or stream in fault['streams'])):
                    if fault['skip']:
                        fault['skip'] -= 1
                        continue
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
        """The log, in arrival order. Entries are copied; what they hold (body, state_after) is never changed after
        it is logged, so it is shared."""
        with self.lock:
            return [dict(entry) for entry in self.log]

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

    # -- one request, from arrival to answer ---------------------------------------------------------------

    def answer(self, action, version, body, access_key=None, authenticate=None, method='POST'):
        """Process one API request and return its Reply.

        ``body`` is the request body as received (bytes or text). ``authenticate`` (the HTTP shell's signature
        check) is called first: it returns the access key of a correctly signed request or raises APIError;
        without it the request counts as correctly signed with ``access_key``. Then: throttling, Action/Version,
        the first matching queued fault, the method, validation, the action. The log entry is made on arrival
        and completed before the Reply is returned. With the setting ``latency``, every reply (a dropped
        connection included) is held that many seconds after the request was processed, as an API far away
        answers: the request takes effect and is logged on arrival, its answer comes later.
        """
        reply = self._answer(action, version, body, access_key, authenticate, method)
        latency = self.get_settings()['latency']
        if latency:
            self.sleep(latency)
            reply = reply._replace(waited=reply.waited + latency)
        return reply

    def _answer(self, action, version, body, access_key, authenticate, method):
        parsed, logged_body = _parse_body(body)
        entry = {
            'seq': None, 'time': time.time(), 'action': action, 'version': version, 'body': logged_body,
            'access_key': access_key, 'signature_valid': False, 'http_status': None, 'error_code': None,
            'request_id': None, 'fault': None, 'applied_time': None,
        }
        if action in V4_ACTIONS:
            entry.update(_v4_log_fields(parsed))
        self.record(entry)
        self.update_entry(entry, request_id=self.new_request_id(entry['seq']))
        fault, waited = None, 0.0
        try:
            if authenticate is not None:
                access_key = authenticate()
            self.update_entry(entry, signature_valid=True)
            if not self.allow(access_key):
                raise APIError(429, 'FlowLimitExceeded', 'request rate exceeded the limit of %g requests/second for this account'
                               % self.settings['rate_limit'])
            if not action or not version:
                raise APIError(400, 'MissingParameter', 'the query parameters Action and Version are required')
            if action not in ACTIONS or version != API_VERSION:
                raise APIError(404, 'InvalidActionOrVersion', 'Could not find operation %s for version %s' % (action, version))
            fault = self.take_fault(action, *_fault_target(parsed))
            if fault is not None:
                self.update_entry(entry, fault=fault['kind'])
                if fault['delay']:
                    self.sleep(fault['delay'])
                    waited = fault['delay']
                if fault['kind'] == 'drop':
                    return Reply(None, waited=waited)
                if fault['kind'] in ('html', 'raw') or (fault['kind'] in ('error', 'commonerr') and not fault['apply']):
                    return self._fault_reply(entry, fault, waited)
            if method != 'POST':
                raise APIError(404, 'InvalidActionOrVersion', 'Could not find operation %s %s for version %s' % (method, action, version))
            if parsed is ValueError:
                raise bind_error('the body is not valid JSON')
            if parsed is None:
                parsed = {}
            if not isinstance(parsed, dict):
                raise bind_error('the body must be a JSON object')
            result = self.run_action(action, parsed, entry)
        except APIError as exc:
            if fault is not None and fault['kind'] == 'drop_after':
                self.update_entry(entry, error_code=exc.code)
                return Reply(None, waited=waited)
            return self._envelope_reply(entry, exc.status, error=(exc.code, exc.message), headers=exc.headers, waited=waited)
        except Exception:  # pylint: disable=broad-except
            traceback.print_exc()
            return self._envelope_reply(entry, 500, error=('InternalError', 'an internal error occurred, please contact the administrator.'),
                                        waited=waited)
        if fault is not None and fault['kind'] == 'drop_after':
            return Reply(None, waited=waited)
        if fault is not None and fault['kind'] in ('error', 'commonerr'):  # applied, yet answered with the error
            return self._fault_reply(entry, fault, waited)
        if fault is not None and fault['kind'] == 'result':
            result = fault['result']
        return self._envelope_reply(entry, 200, result=result, waited=waited)

    def _envelope_reply(self, entry, status, result=None, error=None, headers=None, waited=0.0):
        self.update_entry(entry, http_status=status, error_code=error[0] if error else None)
        return Reply(status, envelope(entry['request_id'], entry['action'], entry['version'], result=result, error=error),
                     headers=headers, waited=waited, request_id=entry['request_id'], error=error, result=result)

    def _fault_reply(self, entry, fault, waited):
        headers = {}
        if fault['retry_after'] is not None:
            seconds = fault['retry_after']
            headers['Retry-After'] = ('%d' % seconds) if float(seconds).is_integer() else str(seconds)
        kind = fault['kind']
        if kind in ('error', 'commonerr'):
            code = fault['code']
            return self._envelope_reply(entry, fault['status'], error=(code, fault['message'] or ('emulated fault: %s' % code)),
                                        headers=headers, waited=waited)
        self.update_entry(entry, http_status=fault['status'])
        if kind == 'html':
            return Reply(fault['status'], text=HTML_PAGE, content_type='text/html', headers=headers, waited=waited, raw=True)
        return Reply(fault['status'], document=fault['body'], headers=headers, waited=waited, raw=True)

    # -- actions -----------------------------------------------------------------------------------------

    def run_action(self, action, body, entry=None):
        """Run a validated action on the state; returns its Result (None for writes). The log ``entry`` of a write
        the model applied gets ``applied_time`` (time.time() once applied, even when it left the state as it was; later
        than its arrival ``time`` for a held request), and with the setting log_state_after ``state_after``, the
        configurations it left."""
        handler = {ACTION_UPDATE: self.update, ACTION_DESCRIBE: self.describe, ACTION_DELETE: self.delete,
                   ACTION_CREATE_V4: self.create_v4, ACTION_UPDATE_V4: self.update_v4, ACTION_DELETE_V4: self.delete_v4,
                   ACTION_LIST_V4: self.list_v4}[action]
        with self.lock:
            if action in V4_ACTIONS and self.settings['v4_ended'] == 'expire' and self.scheduled.remove_ended(time.time()):
                self.persist()
            result = handler(body)
            if entry is not None and action in WRITE_ACTIONS:
                entry['applied_time'] = time.time()
                if self.settings['log_state_after']:
                    entry['state_after'] = self.scheduled.document() if action in V4_WRITE_ACTIONS else _copy(self.configs)
        return result

    def _find(self, vhost, app):
        for config in self.configs:
            if config['Vhost'] == vhost and config['App'] == app:
                return config
        return None

    def update(self, body):
        """Store the groups sent per the update mode. The app's unmodelled fields become exactly those sent, in
        every mode: a client must send them back to keep them (the harshest reading of an undocumented rule)."""
        vhost = validate_vhost(body)
        app = validate_app(body)
        groups = validate_group_details(body)
        app_fields = _unmodelled(body, APP_FIELDS)
        with self.lock:
            if self.settings['v3_v4_same_app'] == 'refused' and self.scheduled.app_has_streams(vhost, app):
                raise relay_source_conflict(vhost, app, 'fixed-triggered (V4)')
            config = self._find(vhost, app)
            if config is None:
                config = collections.OrderedDict([('Vhost', vhost), ('App', app), ('GroupDetails', [])])
                self.configs.append(config)
            config['GroupDetails'] = group_list_after_update(self.settings['update_mode'], config['GroupDetails'], groups)
            for key in [key for key in config if key not in APP_FIELDS]:
                del config[key]
            config.update(app_fields)
            self.persist()
        return None

    def _app_listed(self, app, config_app):
        """Whether Describe's App filter lists ``config_app``: the same name; with describe_filter "loose" also
        names that start with it in any case (the API may answer with more than asked)."""
        if not app or config_app == app:
            return True
        return self.settings['describe_filter'] == 'loose' and config_app.lower().startswith(app.lower())

    def describe(self, body):
        vhost = validate_vhost(body)
        app = validate_app(body, required=False)
        group = _optional_string(body, 'Group')
        result = []
        with self.lock:
            for config in self.configs:
                if config['Vhost'] != vhost or not self._app_listed(app, config['App']):
                    continue
                config = _copy(config)
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
        vhost = validate_vhost(body)
        app = validate_app(body)
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

    # -- V4: fixed-triggered relay per stream -----------------------------------------------------------------

    def _scheduled_entry(self, key):
        """The stored entry of ``key``: 404 ResourceNotFound when there is none (the emulator's choice, as V3 Delete)."""
        entry = self.scheduled.get(key)
        if entry is None:
            raise APIError(404, 'ResourceNotFound', 'no fixed-triggered relay source configuration for Domain %s App %s Stream %s' % key)
        return entry

    def create_v4(self, body):
        entry = validate_v4_entry(body)
        key = scheduled_key(entry)
        with self.lock:
            if self.scheduled.get(key) is not None:
                raise invalid_param('Stream %s of App %s in Domain %s already has a fixed-triggered relay source configuration: '
                                    'change it with UpdateRelaySourceV4' % (key[2], key[1], key[0]))
            if self.settings['v3_v4_same_app'] == 'refused' and self._find(key[0], key[1]) is not None:
                raise relay_source_conflict(key[0], key[1], 'play-triggered (V3)')
            self.scheduled.add(entry)
            self.persist()
        return {'TaskId': uuid.uuid4().hex}

    def update_v4(self, body):
        """Store the entry sent in the place of the stored one: its unmodelled fields become exactly those sent."""
        entry = validate_v4_entry(body)
        with self.lock:
            self._scheduled_entry(scheduled_key(entry))
            self.scheduled.replace(entry)
            self.persist()
        return {}

    def delete_v4(self, body):
        key = validate_v4_domain(body), validate_app(body), validate_stream(body)
        with self.lock:
            self._scheduled_entry(key)
            self.scheduled.remove(key)
            self.persist()
        return {}

    def list_v4(self, body):
        """One page of the domain's entries in creation order; Pagination counts what the settings let List show."""
        domain = validate_v4_domain(body)
        page, size = validate_page(body)
        with self.lock:
            entries = self.scheduled.of_domain(domain)
            if self.settings['v4_ended'] == 'hide':
                now = time.time()
                entries = [entry for entry in entries if not has_ended(entry, now)]
            listed = _copy(entries[(page - 1) * size:page * size])
            absent_times = self.settings['v4_permanent_times'] == 'absent'
        if absent_times:
            for entry in listed:
                if is_permanent(entry):
                    del entry['StartTime'], entry['EndTime']
        total = len(entries)
        return {'List': listed, 'Pagination': collections.OrderedDict([
            ('PageCur', page), ('PageSize', size), ('PageTotal', (total + size - 1) // size), ('TotalCount', total)])}
