# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.cloud collection: not an API for other collections, roles or plugins. It may change
# incompatibly, or go, in any release of the collection (a patch release included) without notice.
"""The play-triggered relay-source actions of the Live API (Version 2023-01-01): request bodies, the calls, and the
checks of a Describe answer, which read it into ``relay_source.StoredApp`` objects or fail closed.

Answers.  Every field is checked (with ``answer_shape.AnswerReader``) before any logic reads it; anything odd raises
``VolcengineResponseError`` (code ``InvalidResponse``, the path of the odd field), so a module stops before its first
write.  "Nothing configured" is only: ``Result`` absent, null or ``{}``; ``RelaySourceConfigList: []``; or the 404
``ResourceNotFound``.  A ``Result`` with other keys but no ``RelaySourceConfigList`` (a renamed list, a bare
``Total``) is not understood, since reading it as empty would make the next write remove what is there.  Every entry
needs ``Vhost`` (the vhost asked for, compared case-insensitively), ``App`` (an app name the input rules accept, or
``""``/``"*"`` for the vhost-wide configuration) and ``GroupDetails``; every group a ``Group`` name the input rules
accept and ``Servers``; every server string ``RelaySourceDomain`` and a known ``RelaySourceProtocol``.  An app or a
group listed twice fails too.  ``RelaySourceParams`` absent or null means no parameters; an object of strings, or a
string holding one as JSON, is read.  Any other field is kept verbatim in ``StoredApp.unmanaged`` /
``StoredApp.app_fields`` and sent back with the group (or app) it came with.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

from ansible_collections.volcengine.cloud.plugins.module_utils.answer_shape import AnswerReader, shown
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineError
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source import PROTOCOLS, StoredApp, normalize_groups
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_input import (
    APP_PATTERN, RelaySourceInputError, validate_group_name)

API_VERSION = '2023-01-01'
ACTION_DESCRIBE = 'DescribeRelaySourceV3'
ACTION_UPDATE = 'UpdateRelaySourceV3'
ACTION_DELETE = 'DeleteRelaySourceV3'

# The App of a vhost-wide configuration, as the API may report it.
VHOST_WIDE_APPS = ('', '*')

_ENTRY_FIELDS = ('Vhost', 'App', 'GroupDetails')
_GROUP_FIELDS = ('Group', 'Servers')
_SERVER_FIELDS = ('RelaySourceDomain', 'RelaySourceProtocol', 'RelaySourceParams')


def same_vhost(one, other):
    """Vhost names compare case-insensitively in ASCII (they are domain names; a vhost is ASCII by the input rules,
    so a non-ASCII character that lower-cases to an ASCII letter never matches), in every module."""
    return one.isascii() and other.isascii() and one.lower() == other.lower()


# --------------------------------------------------------------------------------------------------------------
# Reading a Describe answer
# --------------------------------------------------------------------------------------------------------------

def apps_from_describe_answer(response, vhost):
    """The StoredApps a DescribeRelaySourceV3 answer for ``vhost`` lists, once its whole shape has been checked (see
    the module docstring); VolcengineResponseError naming the odd field otherwise."""
    answer = AnswerReader(response, ACTION_DESCRIBE)
    result = response.result
    if result is None:
        return []
    answer.expect(result, dict, 'Result')
    if not result:
        return []
    if 'RelaySourceConfigList' not in result:
        answer.fail('Result', 'has no RelaySourceConfigList but %s; an answer that may hide a configuration under '
                    'another name is not read as "nothing configured"' % ', '.join(shown(key) for key in sorted(result)))
    entries = answer.member(result, 'RelaySourceConfigList', 'Result', list)
    # Everything downstream finds apps and groups by name: of two with the same name one would be planned from and
    # the other silently kept, dropped or rewritten, so an answer that repeats one is not understood.
    apps, listed = [], set()
    for path, entry in answer.items(entries, 'Result.RelaySourceConfigList', dict):
        apps.append(_app_from_answer(answer, entry, path, vhost))
        if apps[-1].app in listed:
            answer.fail(path, 'lists %s/%s a second time' % (shown(apps[-1].vhost), shown(apps[-1].app)))
        listed.add(apps[-1].app)
    return apps


def _app_from_answer(answer, entry, path, vhost):
    entry_vhost = answer.member(entry, 'Vhost', path, str)
    if not same_vhost(entry_vhost, vhost):
        answer.fail(path + '.Vhost', 'is %s, not the vhost asked for (%s)' % (shown(entry_vhost), shown(vhost)))
    app = answer.member(entry, 'App', path, str)
    if app not in VHOST_WIDE_APPS and not APP_PATTERN.fullmatch(app):
        answer.fail(path + '.App', 'is %s, not an app name this collection accepts (1 to 30 ASCII letters, digits, '
                    '"_", "-" and ".")' % shown(app))
    details = answer.member(entry, 'GroupDetails', path, list)
    groups, unmanaged, names = [], {}, set()
    for detail_path, detail in answer.items(details, path + '.GroupDetails', dict):
        group, fields = _group_from_answer(answer, detail, detail_path)
        if group['name'] in names:
            answer.fail(detail_path + '.Group', 'repeats the group name %s' % shown(group['name']))
        groups.append(group)
        names.add(group['name'])
        if fields:
            unmanaged[group['name']] = fields
    app_fields = dict((key, value) for key, value in entry.items() if key not in _ENTRY_FIELDS)
    return StoredApp(vhost, app, groups, unmanaged, app_fields)


def _group_from_answer(answer, detail, path):
    """(group in the modules' shape, its unmanaged fields or None)."""
    name = answer.member(detail, 'Group', path, str)
    try:
        # A group that cannot be named cannot be kept or deleted by name (a blank Group could read as "the whole
        # app"), and a name with escape sequences would reach the terminal and be sent back in a delete.
        validate_group_name(name, 'Group')
    except RelaySourceInputError:
        answer.fail(path + '.Group', 'is %s, not a group name this collection can manage (blank, surrounding '
                    'whitespace, or control or invisible characters)' % shown(name))
    servers = answer.member(detail, 'Servers', path, list)
    read = [_server_from_answer(answer, server, server_path)
            for server_path, server in answer.items(servers, path + '.Servers', dict)]
    fields = {'group': dict((key, value) for key, value in detail.items() if key not in _GROUP_FIELDS),
              'servers': [server_fields for _server, server_fields in read]}
    has_fields = fields['group'] or any(fields['servers'])
    group = normalize_groups([{'name': name, 'servers': [server for server, _fields in read]}])[0]
    return group, fields if has_fields else None


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
    fields = dict((key, value) for key, value in server.items() if key not in _SERVER_FIELDS)
    return {'domain': domain, 'protocol': protocol, 'params': params}, fields


# --------------------------------------------------------------------------------------------------------------
# Requests
# --------------------------------------------------------------------------------------------------------------

def _server_to_api(server, fields):
    api_server = dict(fields or {})
    api_server.update(RelaySourceDomain=server['domain'], RelaySourceProtocol=server['protocol'])
    if server['params']:
        api_server['RelaySourceParams'] = dict(server['params'])
    return api_server


def groups_to_api(groups, stored=None):
    """GroupDetails for UpdateRelaySourceV3 (RelaySourceParams only when there are parameters).  With ``stored``, a
    group sent with its stored content carries the stored group's unmanaged fields, verbatim."""
    details = []
    for group in normalize_groups(groups):
        # A deep copy: the request body must not share nested values (a PullAuth object) with what was read.
        fields = copy.deepcopy(stored.unmanaged[group['name']]) if stored is not None and stored.keeps_unmanaged(group) else {}
        server_fields = fields.get('servers', [])
        detail = dict(fields.get('group', {}))
        detail.update(Group=group['name'], Servers=[
            _server_to_api(server, server_fields[index] if index < len(server_fields) else None)
            for index, server in enumerate(group['servers'])])
        details.append(detail)
    return details


def update_body(vhost, app, groups, stored=None):
    """The body of the UpdateRelaySourceV3 that sends ``groups`` (the modules' shape) to vhost/app; with ``stored``,
    the app-level fields the read returned beside GroupDetails are sent back too."""
    body = copy.deepcopy(stored.app_fields) if stored is not None else {}
    body.update(Vhost=vhost, App=app, GroupDetails=groups_to_api(groups, stored))
    return body


def delete_body(vhost, app, group=None):
    """The body of the DeleteRelaySourceV3 of one group of ``app``, or (``group`` None) of its whole configuration.

    Raises ValueError when ``app`` is missing or blank: without App the API deletes the vhost-wide configuration
    (official SDK), which no caller means.  A blank ``group`` is refused too, because the API may read it as "no
    group", i.e. the whole app."""
    if not isinstance(app, str) or not app.strip() or app in VHOST_WIDE_APPS:
        raise ValueError('refusing to send %s without an App (got %r): a delete without App removes the vhost-wide '
                         'relay-source configuration' % (ACTION_DELETE, app))
    if group is not None and (not isinstance(group, str) or not group.strip()):
        raise ValueError('refusing to send %s with a blank Group (got %r): it could delete the whole app'
                         % (ACTION_DELETE, group))
    body = {'Vhost': vhost, 'App': app}
    if group is not None:
        body['Group'] = group
    return body


# --------------------------------------------------------------------------------------------------------------
# Calls
# --------------------------------------------------------------------------------------------------------------

def read_apps(client, vhost, app=None, group=None):
    """The StoredApps of ``vhost`` from one DescribeRelaySourceV3, filtered to the exact ``app`` and ``group`` when
    given (the API may answer with more; with ``group``, only the apps that have it, holding only that group)."""
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
    apps = apps_from_describe_answer(response, vhost)
    if app is not None:
        apps = [stored for stored in apps if stored.app == app]
    if group is not None:
        for stored in apps:
            stored.groups = [detail for detail in stored.groups if detail['name'] == group]
        apps = [stored for stored in apps if stored.groups]
    return apps


def describe(client, vhost, app=None, group=None):
    """``read_apps`` in the modules' shape: a list of ``{'vhost', 'app', 'groups'}``."""
    return [stored.config() for stored in read_apps(client, vhost, app, group)]


def read_app(client, vhost, app):
    """One app as a StoredApp (no group when nothing is configured), from one Describe call."""
    apps = read_apps(client, vhost, app)
    return apps[0] if apps else StoredApp(vhost, app, [])


def send_write(client, action, body):
    """Make a write call: the client never re-sends it on its own after an answer it lost (the writer settles that
    with a read).  Its answer documents no Result fields, so a ``Result`` that is not an object is odd."""
    response = client.call(action, API_VERSION, body, write=True)
    if response.result is not None:
        AnswerReader(response, action).expect(response.result, dict, 'Result')
    return response
