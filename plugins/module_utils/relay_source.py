# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Relay-source (play-triggered pull-from-origin) logic shared by volc_live_relay_source and its _info module.

Three layers, each usable on its own:

* API wrappers: ``describe``, ``update`` and ``delete`` over DescribeRelaySourceV3, UpdateRelaySourceV3 and
  DeleteRelaySourceV3 (Version 2023-01-01).  The client keeps the RequestId of every answer, so a module
  reports the calls it made with ``module_support.request_ids_of(client)``.
* Conversion and normalisation between the API's CamelCase shape and the modules' snake_case shape
  ``{'vhost', 'app', 'groups': [{'name', 'servers': [{'domain', 'protocol', 'params'}]}]}``.
* Input validation and planning: pure functions, no I/O.

Answers.  Every answer's shape is checked (``configs_from_describe_answer``, ``_write``, with
``answer_shape.AnswerReader``) before any logic reads it, and anything odd raises ``VolcengineResponseError``
(code ``InvalidResponse``, the path of the odd field), so a module fails closed before any write.  Only the
plain forms of "nothing configured" read as empty: ``Result`` absent (or null, which the client cannot tell
apart) or ``{}``, ``RelaySourceConfigList`` absent or ``[]``, and the 404 ResourceNotFound.  Every entry needs
``Vhost`` and ``App`` (strings; ``App`` may be empty) and ``GroupDetails`` (an array, possibly empty); every
group a non-blank ``Group`` string and a ``Servers`` array; every server string ``RelaySourceDomain`` and
``RelaySourceProtocol``.  Decisions: an unknown protocol (e.g. ``hls``) fails closed, because a group the
module keeps is sent back in the next update and it cannot represent that origin; so does an empty or blank
``Group``, which can be neither kept nor deleted by name.  ``RelaySourceParams`` absent or null means no
parameters; an object of strings is used as is, a string holding such an object as JSON is decoded; anything
else (numbers, a list, a non-JSON string) fails.  Unknown extra fields are ignored.

Inputs are checked with whole-string, ASCII patterns (``fullmatch``): vhost 1-60 and app 1-30 characters of
``[A-Za-z0-9_.-]``; domains printable ASCII with ports of ASCII digits in 1..65535.  Group names may be any
text (Chinese included) without control characters, invisible format characters (zero-width, bidirectional
overrides), lone surrogates, line separators or surrounding whitespace; parameter keys and values refuse the
same characters, and a message never shows a parameter value.

Planning has to be right whether UpdateRelaySourceV3 replaces the app's whole group list or upserts only
the groups it is sent (the API documentation does not say), and must never leave the app without a group
on the way while groups are declared.  See ``plan_present`` and ``apply_plan`` for how.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress
import re
import unicodedata

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import (
    TLS_VERIFICATION_FAILED,
    VolcengineError,
    VolcengineResponseError,
    VolcengineTransportError,
)
from ansible_collections.volcengine.cloud.plugins.module_utils.answer_shape import AnswerReader, shown

API_VERSION = '2023-01-01'
ACTION_DESCRIBE = 'DescribeRelaySourceV3'
ACTION_UPDATE = 'UpdateRelaySourceV3'
ACTION_DELETE = 'DeleteRelaySourceV3'

PROTOCOLS = ('rtmp', 'flv')
DEFAULT_PROTOCOL = 'rtmp'
MAX_SERVERS = 10
# Whole-string patterns (used with fullmatch), ASCII only: "$" would accept a trailing newline, \d Unicode digits.
VHOST_PATTERN = re.compile(r'[A-Za-z0-9_.-]{1,60}', re.ASCII)
APP_PATTERN = re.compile(r'[A-Za-z0-9_.-]{1,30}', re.ASCII)
_HOST_LABEL = r'[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?'
HOSTNAME_PATTERN = re.compile(r'%s(?:\.%s)*' % (_HOST_LABEL, _HOST_LABEL), re.ASCII)
PORT_PATTERN = re.compile(r'[0-9]{1,5}', re.ASCII)
_BRACKETED_IPV6 = re.compile(r'\[([^\[\]]+)\](?::([^:]*))?', re.ASCII)
_WHITESPACE = re.compile(r'\s')
# Unicode categories refused in group names and parameters: control characters (C0, DEL, C1), invisible format
# characters (zero-width spaces, bidirectional overrides that make text display differently from what it is),
# lone surrogates (which cannot even be encoded in a request) and the line and paragraph separators.
_FORBIDDEN_CATEGORIES = frozenset(('Cc', 'Cf', 'Cs', 'Zl', 'Zp'))

PROTOCOL_CHANGE_HINT = (
    'This update changes the protocol of an existing origin, and the Volcengine console says the protocol of a '
    'saved origin cannot be changed. Delete the group first (state=absent with that group listed), then run the '
    'task again to recreate it with the new protocol.')


# --------------------------------------------------------------------------------------------------------------
# Input validation
# --------------------------------------------------------------------------------------------------------------

def groups_argument_spec():
    """The argument spec of one app's ``groups`` option, as both relay-source modules take it (in
    volc_live_relay_sources, inside each ``config`` entry)."""
    return dict(type='list', elements='dict', options=dict(
        name=dict(type='str', required=True, aliases=['group']),
        servers=dict(type='list', elements='dict', options=dict(
            domain=dict(type='str', required=True, aliases=['relay_source_domain']),
            protocol=dict(type='str', default=DEFAULT_PROTOCOL, choices=list(PROTOCOLS), aliases=['relay_source_protocol']),
            params=dict(type='dict', aliases=['relay_source_params']),
        )),
    ))


class RelaySourceInputError(ValueError):
    """An option value the API would refuse (or misread); ``path`` names it, e.g. ``groups[1].servers[0].domain``.

    Messages show a value with ``%r``, which escapes control and invisible characters, and never show a
    parameter value (it may be a credential)."""

    def __init__(self, path, problem):
        self.path = path
        self.problem = problem
        super(RelaySourceInputError, self).__init__('%s: %s' % (path, problem) if path else problem)


def _forbidden_character(text):
    """(position, character) of the first character of ``text`` in a forbidden category, or None."""
    for position, character in enumerate(text):
        if unicodedata.category(character) in _FORBIDDEN_CATEGORIES:
            return position, character
    return None


def _non_printable_ascii(text):
    """(position, character) of the first character of ``text`` outside printable ASCII, or None."""
    for position, character in enumerate(text):
        if not ' ' <= character <= '~':
            return position, character
    return None


def _character_problem(found):
    position, character = found
    return 'U+%04X at position %d' % (ord(character), position)


def _require_text(value, path, empty_problem):
    if not isinstance(value, str) or not value.strip():
        raise RelaySourceInputError(path, empty_problem if value is None or isinstance(value, str)
                                    else 'must be a string, got %s' % type(value).__name__)
    return value


def validate_vhost(vhost, path='vhost'):
    """The SDK's rule: 1 to 60 ASCII letters, digits, "_", "-" and "."."""
    _require_text(vhost, path, 'must not be empty; give the push domain space, e.g. push.example.com')
    if '://' in vhost:
        raise RelaySourceInputError(path, 'must be a bare domain space name without a scheme, e.g. push.example.com, not %r' % vhost)
    if '/' in vhost or _WHITESPACE.search(vhost):
        raise RelaySourceInputError(path, 'must be a bare domain space name without a path or whitespace, got %r' % vhost)
    if not VHOST_PATTERN.fullmatch(vhost):
        raise RelaySourceInputError(
            path, 'must be 1 to 60 characters of ASCII letters, digits, "_", "-" and ".", got %r' % vhost)


def validate_app(app, path='app'):
    if not isinstance(app, str) or not APP_PATTERN.fullmatch(app):
        raise RelaySourceInputError(
            path, 'must be 1 to 30 characters of ASCII letters, digits, "_", "-" and ".", got %r' % (app,))


def validate_group_name(name, path):
    """Any text without control or invisible formatting characters and without surrounding whitespace."""
    _require_text(name, path, 'must not be empty')
    if name != name.strip():
        raise RelaySourceInputError(path, 'must not start or end with whitespace, got %r' % name)
    found = _forbidden_character(name)
    if found:
        raise RelaySourceInputError(path, 'must not contain control or invisible formatting characters (%s), got %r'
                                    % (_character_problem(found), name))


def validate_domain(domain, path):
    """Check a RelaySourceDomain: ``host``, ``host:port``, an IPv4 address, ``[IPv6]``, ``[IPv6]:port`` or a bare IPv6.

    Surrounding whitespace is ignored (and stripped before sending); the rest must be printable ASCII."""
    domain = _require_text(domain, path, 'must not be empty; give the origin as host or host:port').strip()
    if _WHITESPACE.search(domain):
        raise RelaySourceInputError(path, 'must not contain whitespace, got %r' % domain)
    found = _non_printable_ascii(domain)
    if found:
        raise RelaySourceInputError(path, 'must be printable ASCII (%s; write an internationalised domain name in '
                                    'its xn-- form), got %r' % (_character_problem(found), domain))
    if '://' in domain:
        raise RelaySourceInputError(path, 'must not include a scheme (%r); give host or host:port, e.g. %s'
                                    % (domain.split('://', 1)[0] + '://', domain.split('://', 1)[1].split('/', 1)[0] or 'origin.example.org'))
    if '/' in domain or '?' in domain or '#' in domain:
        raise RelaySourceInputError(path, 'must not include a path or query (%r); give host or host:port only' % domain)

    bracketed = _BRACKETED_IPV6.fullmatch(domain)
    if bracketed:
        host, port = bracketed.group(1), bracketed.group(2)
        _check_ipv6(host, path, domain)
    elif domain.count(':') >= 2:
        host, port = domain, None
        _check_ipv6(host, path, domain)
    else:
        host, separator, port = domain.partition(':')
        if not separator:
            port = None
        if not host:
            raise RelaySourceInputError(path, 'has no host before the port, got %r' % domain)
        if len(host) > 253 or not HOSTNAME_PATTERN.fullmatch(host):
            raise RelaySourceInputError(
                path, 'has an invalid host %r: use letters, digits, "-", "_" and dots between labels (or an IP address)' % host)
    if port is not None:
        if not PORT_PATTERN.fullmatch(port) or not 1 <= int(port) <= 65535:
            raise RelaySourceInputError(path, 'has an invalid port %r: it must be a number from 1 to 65535' % port)


def _check_ipv6(host, path, domain):
    # ipaddress accepts a zone index ("fe80::1%eth0", any characters after the "%") from Python 3.9 on.
    if '%' not in host:
        try:
            ipaddress.IPv6Address(host)
            return
        except ValueError:
            pass
    raise RelaySourceInputError(
        path, 'is not a valid IPv6 address or host:port, got %r (write an IPv6 origin as [2001:db8::1]:1935 or 2001:db8::1)' % domain)


def validate_params(params, path):
    """Keys: non-empty strings; values: strings; neither with control or invisible formatting characters."""
    if params is None:
        return
    for key, value in params.items():
        if not isinstance(key, str) or not key.strip():
            raise RelaySourceInputError(path, 'has an empty or non-text key %r; keys must be non-empty strings' % (key,))
        found = _forbidden_character(key)
        if found:
            raise RelaySourceInputError(path, 'has a key with a control or invisible formatting character (%s): %r'
                                        % (_character_problem(found), key))
        # A key that is not printable (e.g. private-use characters) is shown escaped, never raw.
        value_path = '%s.%s' % (path, key) if key.isprintable() else '%s[%r]' % (path, key)
        if not isinstance(value, str):
            raise RelaySourceInputError(
                value_path,
                'must be a string, got %s %r; quote it in YAML (e.g. %s: "%s") because the API stores parameters as strings'
                % (type(value).__name__, value, key, _param_text(value)))
        found = _forbidden_character(value)
        if found:
            raise RelaySourceInputError(value_path, 'must not contain control or invisible formatting characters (%s); '
                                        'the value is not shown because parameters often hold credentials'
                                        % _character_problem(found))


def validate_groups(groups, state):
    """Check the ``groups`` option before any request.  Servers are only checked for state=present."""
    if groups is None and state == 'present':
        # required_if only sees a missing key; an explicit null must not read as "purge every group".
        raise RelaySourceInputError('groups', 'is required when state=present; use groups: [] to remove every group')
    seen = {}
    for group_index, group in enumerate(groups or []):
        group_path = 'groups[%d]' % group_index
        name = group.get('name')
        validate_group_name(name, group_path + '.name')
        if name in seen:
            raise RelaySourceInputError(group_path + '.name', 'duplicate group name %r (already used by %s.name); group names must be unique'
                                        % (name, seen[name]))
        seen[name] = group_path
        if state != 'present':
            continue
        servers = group.get('servers')
        if not servers:
            raise RelaySourceInputError(group_path + '.servers', 'must list at least one origin server when state=present')
        if len(servers) > MAX_SERVERS:
            raise RelaySourceInputError(group_path + '.servers', 'lists %d servers; the API accepts at most %d per group'
                                        % (len(servers), MAX_SERVERS))
        for server_index, server in enumerate(servers):
            server_path = '%s.servers[%d]' % (group_path, server_index)
            validate_domain(server.get('domain'), server_path + '.domain')
            protocol = server.get('protocol') or DEFAULT_PROTOCOL
            if protocol.lower() not in PROTOCOLS:
                raise RelaySourceInputError(server_path + '.protocol', 'must be one of %s, got %r' % (', '.join(PROTOCOLS), protocol))
            validate_params(server.get('params'), server_path + '.params')


def validate_options(vhost, app, groups, state):
    """Validate every user-supplied value; raise RelaySourceInputError naming the first bad one."""
    validate_vhost(vhost)
    validate_app(app)
    validate_groups(groups, state)


def validate_filters(vhost, app=None, group=None):
    """Validate the info module's options: the vhost, and the app and group filters when given."""
    validate_vhost(vhost)
    if app is not None:
        validate_app(app)
    if group is not None:
        validate_group_name(group, 'group')


# --------------------------------------------------------------------------------------------------------------
# Conversion and normalisation
# --------------------------------------------------------------------------------------------------------------

def normalize_server(server):
    """One server in canonical form: domain stripped, protocol lower-case, params a dict of str -> str."""
    params = server.get('params') or {}
    return {
        'domain': (server.get('domain') or '').strip(),
        'protocol': (server.get('protocol') or DEFAULT_PROTOCOL).strip().lower(),
        'params': dict((str(key), _param_text(value)) for key, value in params.items()),
    }


def _param_text(value):
    """A parameter value as the API stores it (and as YAML writes it quoted): true/false, '' for null, else str()."""
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return '' if value is None else str(value)


def normalize_group(group):
    return {
        'name': group.get('name'),
        'servers': [normalize_server(server) for server in (group.get('servers') or [])],
    }


def normalize_groups(groups):
    return [normalize_group(group) for group in (groups or [])]


def config(vhost, app, groups):
    """The modules' snake_case shape of one app's configuration."""
    return {'vhost': vhost, 'app': app, 'groups': normalize_groups(groups)}


def diff_header(vhost, app):
    """What a diff of one app's configuration is about, e.g. ``relay source push.example.com/live``: Ansible prints
    it after ``before:``/``after:``, so a ``--diff`` of many apps (a loop, or a module that manages several) says
    which app each one is."""
    return 'relay source %s/%s' % (vhost, app)


def app_diff(vhost, app, before_groups, after_groups):
    """The ``diff`` return value of one app: its configuration before and after in the modules' shape (``{}`` when it
    has no group), with both headers naming the vhost and the app (``diff_header``)."""
    header = diff_header(vhost, app)
    return {'before': config(vhost, app, before_groups) if before_groups else {},
            'after': config(vhost, app, after_groups) if after_groups else {},
            'before_header': header, 'after_header': header}


def configs_from_describe_answer(response):
    """The configurations a DescribeRelaySourceV3 answer lists, in the modules' snake_case shape, once the whole
    shape of its ``Result`` has been checked (see the module docstring, "Answers"); VolcengineResponseError
    naming the odd field otherwise."""
    answer = AnswerReader(response, ACTION_DESCRIBE)
    result = response.result
    if result is None:
        return []
    answer.expect(result, dict, 'Result')
    if 'RelaySourceConfigList' not in result:
        return []
    entries = answer.member(result, 'RelaySourceConfigList', 'Result', list)
    # Everything downstream finds apps and groups by name: of two with the same name one would be planned from and
    # the other silently kept, dropped or rewritten, so an answer that repeats one is not understood.
    configs, listed = [], set()
    for path, entry in answer.items(entries, 'Result.RelaySourceConfigList', dict):
        configs.append(_config_from_answer(answer, entry, path))
        key = (configs[-1]['vhost'], configs[-1]['app'])
        if key in listed:
            answer.fail(path, 'lists %s/%s a second time' % (shown(key[0]), shown(key[1])))
        listed.add(key)
    return configs


def _config_from_answer(answer, entry, path):
    vhost = answer.member(entry, 'Vhost', path, str)
    app = answer.member(entry, 'App', path, str)
    details = answer.member(entry, 'GroupDetails', path, list)
    groups, names = [], set()
    for detail_path, detail in answer.items(details, path + '.GroupDetails', dict):
        groups.append(_group_from_answer(answer, detail, detail_path))
        if groups[-1]['name'] in names:
            answer.fail(detail_path + '.Group', 'repeats the group name %s' % shown(groups[-1]['name']))
        names.add(groups[-1]['name'])
    return config(vhost, app, groups)


def _group_from_answer(answer, detail, path):
    name = answer.member(detail, 'Group', path, str)
    if not name.strip():
        # A group that cannot be named cannot be kept or deleted by name, and a delete with an empty Group
        # could read as "the whole app".
        answer.fail(path + '.Group', 'is empty; expected a group name')
    servers = answer.member(detail, 'Servers', path, list)
    return {'name': name, 'servers': [_server_from_answer(answer, server, server_path)
                                      for server_path, server in answer.items(servers, path + '.Servers', dict)]}


def _server_from_answer(answer, server, path):
    domain = answer.member(server, 'RelaySourceDomain', path, str)
    protocol = answer.member(server, 'RelaySourceProtocol', path, str)
    if protocol.strip().lower() not in PROTOCOLS:
        # Kept groups are sent back in the next update: an origin the module cannot represent must not be rewritten.
        answer.fail(path + '.RelaySourceProtocol', 'is %s, a protocol this collection does not know (it knows %s)'
                    % (shown(protocol), ', '.join(PROTOCOLS)))
    params = server.get('RelaySourceParams')
    if params is not None:
        params = answer.string_map(params, path + '.RelaySourceParams')
    return {'domain': domain, 'protocol': protocol, 'params': params}


def groups_to_api(groups):
    """GroupDetails for UpdateRelaySourceV3; RelaySourceParams is sent only when there are parameters."""
    details = []
    for group in normalize_groups(groups):
        servers = []
        for server in group['servers']:
            api_server = {'RelaySourceDomain': server['domain'], 'RelaySourceProtocol': server['protocol']}
            if server['params']:
                api_server['RelaySourceParams'] = dict(server['params'])
            servers.append(api_server)
        details.append({'Group': group['name'], 'Servers': servers})
    return details


def group_names(groups):
    return [group['name'] for group in groups]


# --------------------------------------------------------------------------------------------------------------
# API wrappers
# --------------------------------------------------------------------------------------------------------------

def describe(client, vhost, app=None, group=None):
    """Return the configurations the API lists, as snake_case dicts, filtered to the exact ``app``/``group``
    when given (the API may answer with more; with ``group``, only the apps that have it).  ``Result`` absent or ``{}``, ``RelaySourceConfigList`` absent
    or ``[]`` and the 404 ResourceNotFound mean "nothing configured" and return []; any other odd shape raises
    VolcengineResponseError."""
    body = {'Vhost': vhost}
    if app is not None:
        body['App'] = app
    if group is not None:
        body['Group'] = group
    try:
        response = client.call(ACTION_DESCRIBE, API_VERSION, body)
    except VolcengineError as error:
        if error.code == 'ResourceNotFound' and error.http_status == 404:
            return []
        raise
    configs = configs_from_describe_answer(response)
    if app is not None:
        configs = [entry for entry in configs if entry['app'] == app]
    if group is not None:
        for entry in configs:
            entry['groups'] = [detail for detail in entry['groups'] if detail['name'] == group]
        configs = [entry for entry in configs if entry['groups']]
    return configs


def describe_app(client, vhost, app):
    """The current groups of one app (a list, [] when nothing is configured), from one Describe call."""
    groups = []
    for entry in describe(client, vhost, app):
        groups.extend(entry['groups'])
    return groups


def _write(client, action, body):
    """Make a write call; its answer documents no Result fields, so a ``Result`` that is not an object is odd."""
    response = client.call(action, API_VERSION, body)
    if response.result is not None:
        AnswerReader(response, action).expect(response.result, dict, 'Result')
    return response


def update_body(vhost, app, groups):
    """The body of the UpdateRelaySourceV3 that sets ``groups`` (the modules' shape) on vhost/app."""
    return {'Vhost': vhost, 'App': app, 'GroupDetails': groups_to_api(groups)}


def delete_body(vhost, app, group=None):
    """The body of the DeleteRelaySourceV3 of one group of ``app``, or (``group`` None) of its whole configuration.

    Raises ValueError when ``app`` is missing or blank: without App the API deletes the vhost-wide configuration
    (official SDK), which no caller means.  A blank ``group`` is refused too, because the API may read it as "no
    group", i.e. the whole app."""
    if not isinstance(app, str) or not app.strip():
        raise ValueError('refusing to send %s without App (got %r): a delete without App removes the vhost-wide '
                         'relay-source configuration' % (ACTION_DELETE, app))
    if group is not None and (not isinstance(group, str) or not group.strip()):
        raise ValueError('refusing to send %s with a blank Group (got %r): it could delete the whole app'
                         % (ACTION_DELETE, group))
    body = {'Vhost': vhost, 'App': app}
    if group is not None:
        body['Group'] = group
    return body


def update(client, vhost, app, groups):
    return _write(client, ACTION_UPDATE, update_body(vhost, app, groups))


def delete(client, vhost, app, group=None):
    """DeleteRelaySourceV3 (see ``delete_body``); a missing or blank app or group is a ValueError, nothing sent."""
    return _write(client, ACTION_DELETE, delete_body(vhost, app, group))


# --------------------------------------------------------------------------------------------------------------
# Planning (pure)
# --------------------------------------------------------------------------------------------------------------
#
# A plan is {'writes': [write, ...], 'verify': bool, 'update_semantics': 'unknown' | 'replace' | 'upsert'}.
# A write is {'action': 'update' | 'delete_group' | 'delete_app', 'groups': [names], 'description': str,
# 'follow_up': bool, 'outcome': 'planned' | 'applied' | 'failed' | 'unknown', 'settled_by_read': bool}: it
# carries its own sentence and its own outcome, so reporting never depends on lists staying aligned.  The module returns the plan as is
# (documented in its RETURN).

WRITE_UPDATE = 'update'
WRITE_DELETE_GROUP = 'delete_group'
WRITE_DELETE_APP = 'delete_app'

OUTCOME_PLANNED = 'planned'    # not made (check mode, or not reached because an earlier step failed)
OUTCOME_APPLIED = 'applied'    # answered with success, or its answer was lost and a fresh read shows it in effect
OUTCOME_FAILED = 'failed'      # refused by the API, or its answer was lost and a fresh read shows it not in effect
OUTCOME_UNKNOWN = 'unknown'    # its answer was lost and the read that would settle it failed

SEMANTICS_UNKNOWN = 'unknown'
SEMANTICS_REPLACE = 'replace'
SEMANTICS_UPSERT = 'upsert'

_PAST_TENSE = {
    WRITE_UPDATE: 'updated groups %s',
    WRITE_DELETE_GROUP: 'deleted group %s',
    WRITE_DELETE_APP: "deleted the app's whole configuration (groups %s)",
}
_TO_DO = {
    WRITE_UPDATE: 'update groups %s',
    WRITE_DELETE_GROUP: 'delete group %s',
    WRITE_DELETE_APP: "delete the app's whole configuration (groups %s)",
}


def empty_plan():
    return {'writes': [], 'verify': False, 'update_semantics': SEMANTICS_UNKNOWN}


def _planned_write(action, names, follow_up=False):
    return {'action': action, 'groups': list(names), 'description': _TO_DO[action] % ', '.join(names),
            'follow_up': follow_up, 'outcome': OUTCOME_PLANNED, 'settled_by_read': False}


def done_sentence(write):
    """The write in the past tense, as listed in the module's ``actions``."""
    return _PAST_TENSE[write['action']] % ', '.join(write['groups'])


def plan_has_writes(plan):
    return bool(plan['writes'])


def desired_groups(current, listed, purge_groups):
    """The group list that should exist: the listed groups in order, then (purge_groups=false) the current
    groups the user did not list, in their current relative order."""
    desired = normalize_groups(listed)
    if not purge_groups:
        listed_names = set(group_names(desired))
        desired.extend(group for group in normalize_groups(current) if group['name'] not in listed_names)
    return desired


def upsert_result(current, sent):
    """The groups an upserting UpdateRelaySourceV3 of ``sent`` leaves: each sent group replaces the stored
    one of its name in place, or is appended (in the order sent); groups not sent stay."""
    result = normalize_groups(current)
    position = dict((group['name'], index) for index, group in enumerate(result))
    for group in normalize_groups(sent):
        if group['name'] in position:
            result[position[group['name']]] = group
        else:
            position[group['name']] = len(result)
            result.append(group)
    return result


def _longest_declared_prefix_in_order(desired_names, names):
    """The longest prefix of ``desired_names`` whose names all occur in ``names`` in that relative order."""
    index_of = dict((name, index) for index, name in enumerate(names))
    prefix, last = [], -1
    for name in desired_names:
        index = index_of.get(name)
        if index is None or index < last:
            break
        prefix.append(name)
        last = index
    return prefix


def plan_present(current, desired):
    """The first-pass writes that turn ``current`` into ``desired`` (lists of groups, order significant).

    * Equal: nothing to do (the read was the only call).
    * ``desired`` empty: one app-wide delete (the user declared no group at all).
    * The current declared groups are in declared order, i.e. their names are a prefix of the declared names,
      and at least one exists (or nothing exists): delete the undeclared groups, then send the complete list
      in one update unless the deletes alone leave ``desired``.  The app keeps the declared groups throughout,
      and the update ends in ``desired`` whether the API replaces the list or upserts (the prefix keeps its
      positions, the rest is appended in order).  No read after it is needed.
    * Otherwise (a reorder, an insertion before an existing group, or no declared group exists yet): one
      update with the complete list, then (``verify``) a read settles what the API did.  A replacing API is
      done; after an upsert ``apply_plan`` adds the follow-up from ``plan_follow_up``.

    While ``desired`` is not empty no plan deletes the whole app or passes through zero groups, and no
    first-pass write deletes a declared group.
    """
    current, desired = normalize_groups(current), normalize_groups(desired)
    plan = empty_plan()
    if current == desired:
        return plan
    if not desired:
        plan['writes'] = [_planned_write(WRITE_DELETE_APP, group_names(current))]
        return plan
    desired_names = group_names(desired)
    declared = [group for group in current if group['name'] in set(desired_names)]
    declared_names = group_names(declared)
    if (declared or not current) and declared_names == desired_names[:len(declared_names)]:
        plan['writes'] = [_planned_write(WRITE_DELETE_GROUP, [group['name']]) for group in current
                          if group['name'] not in set(desired_names)]
        if declared != desired:
            plan['writes'].append(_planned_write(WRITE_UPDATE, desired_names))
        return plan
    plan['writes'] = [_planned_write(WRITE_UPDATE, desired_names)]
    plan['verify'] = True
    return plan


def observed_semantics(before, desired, read_back):
    """What the groups read back after an update of ``desired`` sent to an app holding ``before`` show:
    SEMANTICS_REPLACE, SEMANTICS_UPSERT, or None when they match neither (someone else changed the app)."""
    read_back, desired = normalize_groups(read_back), normalize_groups(desired)
    if read_back == desired:
        return SEMANTICS_REPLACE
    if read_back == upsert_result(before, desired):
        return SEMANTICS_UPSERT
    return None


def plan_follow_up(read_back, desired):
    """The writes that finish the job after an upserting update left ``read_back`` (which holds every
    declared group with its declared content): delete the undeclared groups, then the declared ones out of
    place, keeping the longest declared prefix that is already in order (the fewest deletes an upsert
    allows: a kept group never moves, and a re-added one is appended), then update again to append the rest
    in order.  The kept prefix is never empty, since the first declared group is present."""
    desired_names = group_names(normalize_groups(desired))
    names = group_names(normalize_groups(read_back))
    kept = _longest_declared_prefix_in_order(desired_names, names)
    doomed = [name for name in names if name not in desired_names]
    doomed += [name for name in names if name in desired_names and name not in kept]
    writes = [_planned_write(WRITE_DELETE_GROUP, [name], follow_up=True) for name in doomed]
    if kept != desired_names:
        writes.append(_planned_write(WRITE_UPDATE, desired_names, follow_up=True))
    return writes


def plan_absent(current, listed_names=None):
    """Plan the deletes for state=absent: the listed groups that exist, one by one (exactly what the user
    named, even when that is every group), or (no list) the whole app in one app-wide delete, which is
    what the user asked for and leaves no partial state between writes."""
    current = normalize_groups(current)
    plan = empty_plan()
    if not current:
        return plan
    if listed_names is None:
        plan['writes'] = [_planned_write(WRITE_DELETE_APP, group_names(current))]
    else:
        plan['writes'] = [_planned_write(WRITE_DELETE_GROUP, [name]) for name in group_names(current) if name in set(listed_names)]
    return plan


def plan_app(current, listed, state, purge_groups=True):
    """(plan, the groups the plan leaves) for one app holding ``current``, as both modules decide it: state
    ``present`` makes the app hold ``listed`` (``purge_groups``: see ``desired_groups``); ``absent`` deletes the
    listed groups (only their names count) or, ``listed`` None, the whole app."""
    if state == 'present':
        after = desired_groups(current, listed, purge_groups)
        return plan_present(current, after), after
    plan = plan_absent(current, None if listed is None else [group['name'] for group in listed])
    return plan, groups_after_deletes(current, plan)


def write_request(vhost, app, write, desired):
    """The API request a planned write makes, ``{'action': <API action>, 'body': {...}}``; an update sends
    ``desired``, the app's complete group list."""
    if write['action'] == WRITE_UPDATE:
        return {'action': ACTION_UPDATE, 'body': update_body(vhost, app, desired)}
    if write['action'] == WRITE_DELETE_GROUP:
        return {'action': ACTION_DELETE, 'body': delete_body(vhost, app, write['groups'][0])}
    return {'action': ACTION_DELETE, 'body': delete_body(vhost, app)}


def groups_after_deletes(current, plan):
    """The groups the plan's deletes leave (before any update)."""
    doomed = set()
    for write in plan['writes']:
        if write['action'] == WRITE_DELETE_APP:
            return []
        if write['action'] == WRITE_DELETE_GROUP:
            doomed.update(write['groups'])
    return [group for group in normalize_groups(current) if group['name'] not in doomed]


def protocol_only_changes(current, desired):
    """Names of groups whose servers differ from the current ones only by protocol (same domains and params,
    same order): the change the console says cannot be saved."""
    current_by_name = dict((group['name'], group) for group in normalize_groups(current))
    names = []
    for group in normalize_groups(desired):
        existing = current_by_name.get(group['name'])
        if existing is None or existing == group or len(existing['servers']) != len(group['servers']):
            continue
        if all(old['domain'] == new['domain'] and old['params'] == new['params']
               for old, new in zip(existing['servers'], group['servers'])):
            names.append(group['name'])
    return names


# --------------------------------------------------------------------------------------------------------------
# Applying a plan
# --------------------------------------------------------------------------------------------------------------

UNEXPECTED_STATE_CODE = 'UnexpectedRelaySourceState'


class RelaySourceStateError(VolcengineError):
    """The configuration read after an update is neither what a replacing nor what an upserting API leaves."""


def answer_may_be_lost(error):
    """Whether a write that raised ``error`` may still have been applied.

    Only an API answer to a single attempt that refuses the request (HTTP 4xx other than ResourceNotFound),
    or a TLS failure before anything was sent, says for sure that nothing happened.  After a retry, an earlier
    attempt may have been applied with its answer lost (a retried delete then gets ResourceNotFound); a
    timeout, a cut connection, a 5xx or an unclassified error may come after the API applied the write."""
    if getattr(error, 'attempts', 1) > 1:
        return True
    if isinstance(error, VolcengineTransportError):
        return error.code != TLS_VERIFICATION_FAILED
    status = error.http_status
    return not (isinstance(status, int) and 400 <= status < 500 and error.code != 'ResourceNotFound')


def write_in_effect(write, groups, desired):
    """Whether ``groups`` (a fresh read) shows the effect of ``write``: a deleted group is gone, a deleted app
    has no group, an update's groups are all present with the content sent."""
    if write['action'] == WRITE_DELETE_APP:
        return not groups
    by_name = dict((group['name'], group) for group in normalize_groups(groups))
    if write['action'] == WRITE_DELETE_GROUP:
        return write['groups'][0] not in by_name
    return all(by_name.get(group['name']) == group for group in normalize_groups(desired))


def _make(client, vhost, app, write, desired, warn):
    """Make one write and set its outcome; return the groups of a read that settled a lost answer, else None.
    Raises the write's error when it failed or its outcome stays unknown."""
    request = write_request(vhost, app, write, desired)
    try:
        _write(client, request['action'], request['body'])
    except VolcengineResponseError:
        # The API reported success (no Error); only the Result of its answer was odd: the write was made, and
        # nothing more is written after an answer the collection does not understand.
        write['outcome'] = OUTCOME_APPLIED
        raise
    except VolcengineError as error:
        if not answer_may_be_lost(error):
            write['outcome'] = OUTCOME_FAILED
            raise
        write['outcome'] = OUTCOME_UNKNOWN
        try:
            groups = describe_app(client, vhost, app)
        except VolcengineError:
            raise error
        write['settled_by_read'] = True
        if not write_in_effect(write, groups, desired):
            write['outcome'] = OUTCOME_FAILED
            raise error
        write['outcome'] = OUTCOME_APPLIED
        if warn is not None:
            warn('%s; a fresh read shows that "%s" took effect, so it counts as applied.' % (error, write['description']))
        return groups
    write['outcome'] = OUTCOME_APPLIED
    return None


def apply_plan(client, vhost, app, plan, current, desired, warn=None):
    """Make the plan's writes in order, recording each one's outcome in the write itself.

    A write whose answer was lost (see ``answer_may_be_lost``) is settled by a fresh read: in effect, it
    counts as applied and the run goes on (``warn``, when given, is told); not in effect, it failed.  When
    ``plan['verify']``, the read after the first-pass update (the settling read, when there was one) says
    what the API did: replaced, done; upserted, the writes of ``plan_follow_up`` are appended to the plan and
    made; anything else raises RelaySourceStateError before any further write.  Raises the error of the write
    (or read) that failed; the plan then tells what was applied."""
    read_back = None
    for write in plan['writes']:
        read_back = _make(client, vhost, app, write, desired, warn)
    if not plan['verify']:
        return plan
    if read_back is None:
        read_back = describe_app(client, vhost, app)
    semantics = observed_semantics(current, desired, read_back)
    if semantics is None:
        raise RelaySourceStateError(
            'after the update the app holds groups %s, which is neither the declared list (an API that replaces) nor '
            '%s (an API that upserts); no further write was made' % (
                ', '.join(group_names(read_back)) or 'none', ', '.join(group_names(upsert_result(current, desired)))),
            action=ACTION_UPDATE, code=UNEXPECTED_STATE_CODE)
    plan['update_semantics'] = semantics
    if semantics == SEMANTICS_UPSERT:
        follow_up = plan_follow_up(read_back, desired)
        plan['writes'].extend(follow_up)
        for write in follow_up:
            _make(client, vhost, app, write, desired, warn)
    return plan


def applied_actions(plan):
    """The past-tense sentences of the writes known to be applied, in order (the module's ``actions``)."""
    return [done_sentence(write) for write in plan['writes'] if write['outcome'] == OUTCOME_APPLIED]


def may_have_changed(plan):
    """Whether any write was applied or may have been (the module's ``changed`` on failure)."""
    return any(write['outcome'] in (OUTCOME_APPLIED, OUTCOME_UNKNOWN) for write in plan['writes'])


def failed_write(plan):
    """The write that stopped the run (failed, or with an unknown outcome), or None."""
    for write in plan['writes']:
        if write['outcome'] in (OUTCOME_FAILED, OUTCOME_UNKNOWN):
            return write
    return None


def _settled(sentence, write, in_effect):
    if not write['settled_by_read']:
        return sentence
    return '%s (a fresh read %s it in effect)' % (sentence, 'showed' if in_effect else 'did not show')


def progress_message(plan):
    """What is known of each write of a run that stopped on an error: applied, not applied, or unknown."""
    writes = plan['writes']
    applied = [_settled(done_sentence(write), write, True) for write in writes if write['outcome'] == OUTCOME_APPLIED]
    unknown = [write['description'] for write in writes if write['outcome'] == OUTCOME_UNKNOWN]
    not_applied = [_settled(write['description'], write, False) for write in writes
                   if write['outcome'] in (OUTCOME_FAILED, OUTCOME_PLANNED)]
    check_pending = (plan['verify'] and plan['update_semantics'] == SEMANTICS_UNKNOWN
                     and not any(write['outcome'] in (OUTCOME_FAILED, OUTCOME_UNKNOWN) for write in writes))
    if not applied and not unknown:
        return 'No write was applied%s; running the task again is safe.' % (
            ' (not applied: %s)' % '; '.join(not_applied) if not_applied else '')
    sentences = ['Already applied: %s.' % ('; '.join(applied) or 'nothing'),
                 'Not applied: %s.' % ('; '.join(not_applied) or 'nothing')]
    if unknown:
        sentences.append('Outcome unknown (the answer was lost and the read that would tell failed too): %s.'
                         % '; '.join(unknown))
    if check_pending:
        sentences.append('The read that checks what the API did with the update did not end in a known state, so '
                         'no follow-up write was made.')
    sentences.append('Rerunning the task converges: it reads the current configuration again and makes only the '
                     'changes still needed.')
    return ' '.join(sentences)


def failure_context(plan, error, current, desired):
    """What the module says after ``error`` when a run stops: progress_message(plan), then PROTOCOL_CHANGE_HINT
    when the API refused (InvalidParam) an update that only changes the protocol of existing origins."""
    context = progress_message(plan)
    failed = failed_write(plan)
    if (error.code == 'InvalidParam' and failed is not None and failed['action'] == WRITE_UPDATE
            and protocol_only_changes(current, desired)):
        context += ' ' + PROTOCOL_CHANGE_HINT
    return context
