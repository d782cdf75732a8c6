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
the groups it is sent (the API documentation does not say).  See ``plan_present`` for how.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import functools
import ipaddress
import re
import unicodedata

from ansible_collections.volcengine.cloud.plugins.module_utils.answer_shape import AnswerReader, shown
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineError, VolcengineResponseError

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
                % (type(value).__name__, value, key, _yaml_text(value)))
        found = _forbidden_character(value)
        if found:
            raise RelaySourceInputError(value_path, 'must not contain control or invisible formatting characters (%s); '
                                        'the value is not shown because parameters often hold credentials'
                                        % _character_problem(found))


def _yaml_text(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return '' if value is None else str(value)


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
    return [_config_from_answer(answer, entry, path)
            for path, entry in answer.items(entries, 'Result.RelaySourceConfigList', dict)]


def _config_from_answer(answer, entry, path):
    vhost = answer.member(entry, 'Vhost', path, str)
    app = answer.member(entry, 'App', path, str)
    details = answer.member(entry, 'GroupDetails', path, list)
    return config(vhost, app, [_group_from_answer(answer, detail, detail_path)
                               for detail_path, detail in answer.items(details, path + '.GroupDetails', dict)])


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
    when given (the API may answer with more).  ``Result`` absent or ``{}``, ``RelaySourceConfigList`` absent
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


def update(client, vhost, app, groups):
    return _write(client, ACTION_UPDATE, {'Vhost': vhost, 'App': app, 'GroupDetails': groups_to_api(groups)})


def delete(client, vhost, app, group=None):
    body = {'Vhost': vhost, 'App': app}
    if group is not None:
        body['Group'] = group
    return _write(client, ACTION_DELETE, body)


# --------------------------------------------------------------------------------------------------------------
# Planning (pure)
# --------------------------------------------------------------------------------------------------------------

def empty_plan():
    return {'delete_app': False, 'delete_groups': [], 'update_groups': [], 'send_update': False}


def plan_changes(plan):
    return plan['delete_app'] or bool(plan['delete_groups']) or plan['send_update']


def desired_groups(current, listed, purge_groups):
    """The group list that should exist: the listed groups in order, then (purge_groups=false) the current
    groups the user did not list, in their current relative order."""
    desired = normalize_groups(listed)
    if not purge_groups:
        listed_names = set(group_names(desired))
        desired.extend(group for group in normalize_groups(current) if group['name'] not in listed_names)
    return desired


def _deletion_plan(current, doomed_names):
    """Per-group deletes, or one app-wide delete when every existing group goes and there are two or more."""
    plan = empty_plan()
    doomed = [group['name'] for group in current if group['name'] in doomed_names]
    if not doomed:
        return plan
    if len(doomed) == len(current) and len(current) >= 2:
        plan['delete_app'] = True
    else:
        plan['delete_groups'] = doomed
    return plan


def plan_present(current, desired):
    """Plan the writes that turn ``current`` into ``desired`` (both lists of groups, order significant).

    Nothing to do when both are equal.  Otherwise delete every current group not in ``desired``; of the
    groups left (C'), keep only the longest prefix whose names match the start of ``desired`` and delete the
    rest too; then send the complete ``desired`` list in one update.  After the deletes, what is left is a
    prefix of ``desired``, so the update ends in ``desired`` whether the API replaces the whole list
    (trivially) or upserts the groups sent (the prefix keeps its positions, the others are appended in
    order).  The update is skipped when the deletes alone already leave exactly ``desired``.
    """
    current = normalize_groups(current)
    desired = normalize_groups(desired)
    if current == desired:
        return empty_plan()
    if not desired:
        return _deletion_plan(current, set(group_names(current)))

    desired_names = group_names(desired)
    kept = [group for group in current if group['name'] in set(desired_names)]
    prefix_length = 0
    while (prefix_length < len(kept) and prefix_length < len(desired)
           and kept[prefix_length]['name'] == desired_names[prefix_length]):
        prefix_length += 1
    survivors = kept[:prefix_length]
    doomed = set(group_names(current)) - set(group_names(survivors))
    plan = _deletion_plan(current, doomed)
    if plan['delete_app']:
        survivors = []
    if survivors != desired:
        plan['send_update'] = True
        plan['update_groups'] = list(desired_names)
    return plan


def plan_absent(current, listed_names=None):
    """Plan the deletes for state=absent: the listed groups that exist, or (no list) the whole app."""
    current = normalize_groups(current)
    if not current:
        return empty_plan()
    if listed_names is None:
        plan = empty_plan()
        plan['delete_app'] = True
        return plan
    return _deletion_plan(current, set(listed_names))


def groups_after_deletes(current, plan):
    """The groups the plan's deletes leave (before its update, if any)."""
    if plan['delete_app']:
        return []
    doomed = set(plan['delete_groups'])
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

def planned_actions(plan, app, done=True):
    """The writes of a plan as human sentences, in the order they are made: in the past tense (``done``,
    as returned in ``actions``) or as still to do."""
    if done:
        delete_app, delete_group, update_groups = 'deleted app %s (all its groups)', 'deleted group %s', 'updated groups %s'
    else:
        delete_app, delete_group, update_groups = 'delete app %s (all its groups)', 'delete group %s', 'update groups %s'
    actions = []
    if plan['delete_app']:
        actions.append(delete_app % app)
    for name in plan['delete_groups']:
        actions.append(delete_group % name)
    if plan['send_update']:
        actions.append(update_groups % ', '.join(plan['update_groups']))
    return actions


def apply_plan(client, vhost, app, plan, desired, actions=None):
    """Make the plan's writes: deletes first, then the update.  ``actions`` (a list) receives a sentence for
    each write that succeeded, so a caller can say what was applied when a later write fails."""
    actions = [] if actions is None else actions
    writes = []
    if plan['delete_app']:
        writes.append(functools.partial(delete, client, vhost, app))
    for name in plan['delete_groups']:
        writes.append(functools.partial(delete, client, vhost, app, group=name))
    if plan['send_update']:
        writes.append(functools.partial(update, client, vhost, app, desired))
    for write, sentence in zip(writes, planned_actions(plan, app)):
        try:
            write()
        except VolcengineResponseError:
            # The API reported success (no Error); only the Result of its answer was odd: the write was made.
            actions.append(sentence)
            raise
        actions.append(sentence)
    return actions


def progress_message(plan, app, done):
    """What had been applied and what not when a write failed part-way; empty when nothing was applied."""
    if not done:
        return ''
    remaining = planned_actions(plan, app, done=False)[len(done):]
    return ('Already applied: %s. Not applied: %s. Rerunning the task converges: it reads the current '
            'configuration again and makes only the changes still needed.'
            % ('; '.join(done), '; '.join(remaining) or 'nothing'))
