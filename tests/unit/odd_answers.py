# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DescribeRelaySourceV3 answers in odd shapes, for the boundary check's tests (the emulator answers them through a
``result`` fault)."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

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

# (what is odd, the Result, the path the error must name): none of them may read as "nothing configured" nor as
# another vhost's or an unmanageable app's configuration. Keep the first six as they are (a module test uses them).
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
    ('Group repeated', describe_result(group={'Group': 'relay1'}), _GROUP + '.Group'),
    ('app listed twice', {'RelaySourceConfigList': describe_result()['RelaySourceConfigList'] * 2},
     'Result.RelaySourceConfigList[1]'),
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
    # Issue 23: a Result without the list, an entry of another vhost, names the input rules refuse.
    ('Result only a Total', {'Total': 1}, 'Result'),
    ('Result only a zero Total', {'Total': 0}, 'Result'),
    ('list renamed', {'RelaySourceConfigs': describe_result()['RelaySourceConfigList']}, 'Result'),
    ('list renamed, beside a Total', {'RelaySourceConfigs': describe_result()['RelaySourceConfigList'], 'Total': 1}, 'Result'),
    ('Vhost another', describe_result(entry={'Vhost': 'pull.example.com'}), _ENTRY + '.Vhost'),
    ('Vhost a number', describe_result(entry={'Vhost': 1}), _ENTRY + '.Vhost'),
    ('App blank', describe_result(entry={'App': ' '}), _ENTRY + '.App'),
    ('App with an escape sequence', describe_result(entry={'App': 'live\x1b[31m'}), _ENTRY + '.App'),
    ('App too long', describe_result(entry={'App': 'a' * 31}), _ENTRY + '.App'),
    ('Group surrounding whitespace', describe_result(group={'Group': ' relay2'}), _GROUP + '.Group'),
    ('Group with a newline', describe_result(group={'Group': 'relay\n2'}), _GROUP + '.Group'),
    ('Group an escape sequence', describe_result(group={'Group': '\x1b[2J'}), _GROUP + '.Group'),
    ('Group zero-width', describe_result(group={'Group': 're\u200blay2'}), _GROUP + '.Group'),
]
