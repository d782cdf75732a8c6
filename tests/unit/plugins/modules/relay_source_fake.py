# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An in-memory stand-in for the relay-source API, used by the unit tests of relay_source.py and both modules.

``update_mode='replace'``: UpdateRelaySourceV3 replaces the app's whole group list.
``update_mode='merge'``: it upserts the groups sent: an existing group is updated in place (keeps its position),
a new group is appended, groups not sent are kept.  The module must end right under both.

``snapshots`` records, after every write that took effect, the write and the state it left, so tests can check
invariants after each single write.  ``fail_next(..., apply=True)`` applies the write and then loses its answer.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineAPIError, VolcengineTransportError


class FakeResponse(object):
    def __init__(self, result, request_id):
        self.result = result
        self.request_id = request_id
        self.attempts = 1
        self.http_status = 200


class FakeRelaySourceAPI(object):
    def __init__(self, configs=None, update_mode='replace'):
        self.configs = copy.deepcopy(configs or [])   # the API's own shape: RelaySourceConfigList entries
        self.update_mode = update_mode
        self.calls = []                               # (action, body)
        self.faults = []                              # (action or None, code, status, message, options)
        self.snapshots = []                           # (action, body, configs after the write) per applied write
        self.request_ids = []
        self.describe_style = 'list'                  # 'list' | 'missing' | 'not_found' when nothing is configured
        self.extra_describe_entries = []              # returned by Describe in addition (other apps)
        # action -> the Result its answer carries instead (the action still runs): odd shapes for the boundary check
        self.answer_results = {}

    # -- helpers for tests ----------------------------------------------------------------------------------

    @staticmethod
    def api_config(vhost, app, groups):
        """API-shaped entry from snake_case groups."""
        return {'Vhost': vhost, 'App': app, 'GroupDetails': [
            {'Group': group['name'], 'Servers': [
                dict({'RelaySourceDomain': server['domain'], 'RelaySourceProtocol': server.get('protocol', 'rtmp')},
                     **({'RelaySourceParams': server['params']} if server.get('params') else {}))
                for server in group['servers']]}
            for group in groups]}

    def fail_next(self, code, http_status=400, action=None, message='injected', apply=False, attempts=1, skip=0):
        """Make the next matching call (after ``skip`` of them) fail with ``code``: an API error, or with
        ``http_status=None`` a transport error (e.g. code 'Timeout').  ``apply=True`` runs the action first (its
        answer is lost); ``attempts`` is what the client would report (> 1 after retries)."""
        self.faults.append((action, code, http_status, message, {'apply': apply, 'attempts': attempts, 'skip': skip}))

    def writes(self):
        return [call for call in self.calls if call[0] != 'DescribeRelaySourceV3']

    def groups_of(self, vhost, app, configs=None):
        for entry in self.configs if configs is None else configs:
            if entry['Vhost'] == vhost and entry['App'] == app:
                return entry['GroupDetails']
        return []

    def names_after_each_write(self, vhost, app):
        """[(action, body, group names of vhost/app after that write)] for every write that took effect."""
        return [(action, body, [group['Group'] for group in self.groups_of(vhost, app, configs)])
                for action, body, configs in self.snapshots]

    # -- the client interface -------------------------------------------------------------------------------

    def call(self, action, version, body):
        assert version == '2023-01-01'
        self.calls.append((action, copy.deepcopy(body)))
        request_id = 'req-%d' % len(self.calls)
        for index, (fault_action, code, status, message, options) in enumerate(self.faults):
            if fault_action in (None, action):
                if options['skip']:
                    options['skip'] -= 1
                    continue
                del self.faults[index]
                if options['apply']:
                    self._run(action, body)
                if status is None:  # no answer, so no RequestId either
                    error = VolcengineTransportError(message, action=action, code=code)
                else:
                    self.request_ids.append(request_id)
                    error = VolcengineAPIError(message, action=action, code=code, http_status=status, request_id=request_id)
                error.attempts = options['attempts']
                raise error
        self.request_ids.append(request_id)
        result = self._run(action, body)
        return FakeResponse(self.answer_results.get(action, result), request_id)

    def _run(self, action, body):
        result = getattr(self, '_' + action)(body)
        if action != 'DescribeRelaySourceV3':
            self.snapshots.append((action, copy.deepcopy(body), copy.deepcopy(self.configs)))
        return result

    def _entry(self, vhost, app, create=False):
        for entry in self.configs:
            if entry['Vhost'] == vhost and entry['App'] == app:
                return entry
        if create:
            entry = {'Vhost': vhost, 'App': app, 'GroupDetails': []}
            self.configs.append(entry)
            return entry
        return None

    def _DescribeRelaySourceV3(self, body):
        found = [copy.deepcopy(entry) for entry in self.configs
                 if entry['Vhost'] == body['Vhost'] and body.get('App') in (None, entry['App'])]
        if body.get('Group') is not None:
            for entry in found:
                entry['GroupDetails'] = [group for group in entry['GroupDetails'] if group['Group'] == body['Group']]
        found += copy.deepcopy(self.extra_describe_entries)
        if not found:
            if self.describe_style == 'missing':
                return {}
            if self.describe_style == 'not_found':
                raise VolcengineAPIError('not found', action='DescribeRelaySourceV3', code='ResourceNotFound',
                                         http_status=404, request_id='req-%d' % len(self.calls))
        return {'RelaySourceConfigList': found}

    def _UpdateRelaySourceV3(self, body):
        entry = self._entry(body['Vhost'], body['App'], create=True)
        sent = copy.deepcopy(body['GroupDetails'])
        if self.update_mode == 'replace':
            entry['GroupDetails'] = sent
        else:
            for group in sent:
                positions = [index for index, existing in enumerate(entry['GroupDetails']) if existing['Group'] == group['Group']]
                if positions:
                    entry['GroupDetails'][positions[0]] = group
                else:
                    entry['GroupDetails'].append(group)
        return {}

    def _DeleteRelaySourceV3(self, body):
        entry = self._entry(body['Vhost'], body['App'])
        if entry is None:
            raise VolcengineAPIError('no such config', action='DeleteRelaySourceV3', code='ResourceNotFound', http_status=404)
        if body.get('Group') is None:
            self.configs.remove(entry)
        else:
            before = len(entry['GroupDetails'])
            entry['GroupDetails'] = [group for group in entry['GroupDetails'] if group['Group'] != body['Group']]
            if len(entry['GroupDetails']) == before:
                raise VolcengineAPIError('no such group', action='DeleteRelaySourceV3', code='ResourceNotFound', http_status=404)
        return {}


# -- answers in odd shapes (for FakeRelaySourceAPI.answer_results) ------------------------------------------------

DROP = object()


def _with(base, fields):
    """A copy of ``base`` with ``fields`` set, or removed where the value is DROP."""
    result = dict(base)
    for key, value in fields.items():
        if value is DROP:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def describe_result(vhost='push.example.com', app='live', entry=None, group=None, server=None):
    """A DescribeRelaySourceV3 Result of one app with groups relay1 and relay2; ``entry``, ``group`` (relay2) and
    ``server`` (relay2's second server) are the fields to change in it."""
    odd_server = _with({'RelaySourceDomain': 'b.example.org', 'RelaySourceProtocol': 'rtmp'}, server or {})
    first_server = {'RelaySourceDomain': 'a.example.org', 'RelaySourceProtocol': 'flv'}
    relay2 = _with({'Group': 'relay2', 'Servers': [first_server, odd_server]}, group or {})
    relay1 = {'Group': 'relay1', 'Servers': [{'RelaySourceDomain': 'relay1.example.org', 'RelaySourceProtocol': 'rtmp',
                                              'RelaySourceParams': {}}]}
    return {'RelaySourceConfigList': [_with({'Vhost': vhost, 'App': app, 'GroupDetails': [relay1, relay2]}, entry or {})]}


_ENTRY = 'Result.RelaySourceConfigList[0]'
_GROUP = _ENTRY + '.GroupDetails[1]'
_SERVER = _GROUP + '.Servers[1]'
_SERVER_FIELDS = {'RelaySourceDomain': 'a.example.org', 'RelaySourceProtocol': 'flv'}

# (what is odd, the Result, the path the error must name): none of them may read as "nothing configured".
ODD_DESCRIBE_RESULTS = [
    ('Result a string', 'RelaySourceConfigList', 'Result'),
    ('Result an array', [describe_result()], 'Result'),
    ('Result a number', 0, 'Result'),
    ('Result false', False, 'Result'),
    ('list an object', {'RelaySourceConfigList': describe_result()['RelaySourceConfigList'][0]}, 'Result.RelaySourceConfigList'),
    ('list an empty object', {'RelaySourceConfigList': {}}, 'Result.RelaySourceConfigList'),
    ('list a number', {'RelaySourceConfigList': 1}, 'Result.RelaySourceConfigList'),
    ('list zero', {'RelaySourceConfigList': 0}, 'Result.RelaySourceConfigList'),
    ('list a string', {'RelaySourceConfigList': ''}, 'Result.RelaySourceConfigList'),
    ('list null', {'RelaySourceConfigList': None}, 'Result.RelaySourceConfigList'),
    ('entry a string', {'RelaySourceConfigList': ['live']}, _ENTRY),
    ('entry null', {'RelaySourceConfigList': [None]}, _ENTRY),
    ('Vhost missing', describe_result(entry={'Vhost': DROP}), _ENTRY + '.Vhost'),
    ('App missing', describe_result(entry={'App': DROP}), _ENTRY + '.App'),
    ('App null', describe_result(entry={'App': None}), _ENTRY + '.App'),
    ('GroupDetails missing', describe_result(entry={'GroupDetails': DROP}), _ENTRY + '.GroupDetails'),
    ('GroupDetails null', describe_result(entry={'GroupDetails': None}), _ENTRY + '.GroupDetails'),
    ('GroupDetails an object', describe_result(entry={'GroupDetails': {'Group': 'relay1', 'Servers': []}}), _ENTRY + '.GroupDetails'),
    ('group a string', describe_result(entry={'GroupDetails': [{'Group': 'relay1', 'Servers': []}, 'relay2']}), _GROUP),
    ('Group missing', describe_result(group={'Group': DROP}), _GROUP + '.Group'),
    ('Group a number', describe_result(group={'Group': 2}), _GROUP + '.Group'),
    ('Group empty', describe_result(group={'Group': ''}), _GROUP + '.Group'),
    ('Group blank', describe_result(group={'Group': '  '}), _GROUP + '.Group'),
    ('Servers missing', describe_result(group={'Servers': DROP}), _GROUP + '.Servers'),
    ('Servers null', describe_result(group={'Servers': None}), _GROUP + '.Servers'),
    ('Servers an object', describe_result(group={'Servers': {'RelaySourceDomain': 'a.example.org'}}), _GROUP + '.Servers'),
    ('server a string', describe_result(group={'Servers': [_SERVER_FIELDS, 'b.example.org']}), _SERVER),
    ('domain missing', describe_result(server={'RelaySourceDomain': DROP}), _SERVER + '.RelaySourceDomain'),
    ('domain a number', describe_result(server={'RelaySourceDomain': 1935}), _SERVER + '.RelaySourceDomain'),
    ('protocol missing', describe_result(server={'RelaySourceProtocol': DROP}), _SERVER + '.RelaySourceProtocol'),
    ('protocol null', describe_result(server={'RelaySourceProtocol': None}), _SERVER + '.RelaySourceProtocol'),
    ('protocol unknown', describe_result(server={'RelaySourceProtocol': 'hls'}), _SERVER + '.RelaySourceProtocol'),
    ('params a list', describe_result(server={'RelaySourceParams': ['domain', 'x']}), _SERVER + '.RelaySourceParams'),
    ('params a number', describe_result(server={'RelaySourceParams': 0}), _SERVER + '.RelaySourceParams'),
    ('params not JSON', describe_result(server={'RelaySourceParams': 'domain=x'}), _SERVER + '.RelaySourceParams'),
    ('params an empty string', describe_result(server={'RelaySourceParams': ''}), _SERVER + '.RelaySourceParams'),
    ('params JSON array', describe_result(server={'RelaySourceParams': '["domain"]'}), _SERVER + '.RelaySourceParams'),
    ('params value a number', describe_result(server={'RelaySourceParams': {'port': 1935}}), _SERVER + '.RelaySourceParams["port"]'),
    ('params JSON value a number', describe_result(server={'RelaySourceParams': '{"port": 1935}'}),
     _SERVER + '.RelaySourceParams["port"]'),
]
