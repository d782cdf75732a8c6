# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A small in-process stand-in for the fixed-trigger relay actions (Create/Update/Delete/ListRelaySourceV4), behind
VolcengineClient's interface, for the unit tests of the module and its module_utils.

    api = FakeScheduledRelayAPI([stream_entry('pull.example.com', 'live', 'final', ['rtmp://o/live/final'])])
    client = api.client()                      # one per thread, as the module makes them
    api.fault('UpdateRelaySourceV4', kind='lost_after', stream='final')
    api.calls, api.writes(), api.stored('pull.example.com', 'live', 'final')

It follows the emulator's choices where the API documentation is silent: a Create of a stream that has a
configuration is InvalidParam, an Update or Delete of one that has none ResourceNotFound (404). List pages by ``Page``
and ``Size`` and reports ``Pagination``; a permanent stream is listed with StartTime/EndTime absent, 0 or null
(``permanent_as``). ``update_keeps_window``: an Update without StartTime/EndTime keeps the window (the behaviour the
module's read after such an update guards against). Faults (``fault``) answer one action, optionally one stream:
``error`` (an API error), ``lost_after`` (applied, then the answer is lost: a ConnectionError), ``lost_before`` (lost
before it was applied), ``result`` (a List answer's Result replaced), ``count`` times. ``abandoned_attempts_end``:
what wait_for_abandoned_attempts answers (False: an abandoned attempt is still open).
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import threading
from collections import OrderedDict

from ansible_collections.volcengine.cloud.plugins.module_utils import errors
from ansible_collections.volcengine.cloud.plugins.module_utils.client import APIResponse
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineAPIError, VolcengineTransportError

CREATE, UPDATE, DELETE, LIST = 'CreateRelaySourceV4', 'UpdateRelaySourceV4', 'DeleteRelaySourceV4', 'ListRelaySourceV4'
WRITES = (CREATE, UPDATE, DELETE)


def stream_entry(domain, app, stream, origins, start=None, end=None):
    """One stream in the API's shape."""
    entry = {'Domain': domain, 'App': app, 'Stream': stream, 'SrcAddrS': list(origins)}
    if start is not None:
        entry.update(StartTime=start, EndTime=end)
    return entry


def _key(body):
    return (body['Domain'].lower(), body['App'], body['Stream'])


class FakeScheduledRelayAPI(object):

    def __init__(self, streams=(), permanent_as='absent', update_keeps_window=False):
        self.lock = threading.Lock()
        self.streams = OrderedDict()
        for entry in streams:
            self.streams[_key(entry)] = copy.deepcopy(entry)
        self.permanent_as = permanent_as
        self.update_keeps_window = update_keeps_window
        self.abandoned_attempts_end = True
        self.faults = []
        self.log = []
        self.sequence = 0
        self.clients = []

    # -- control ------------------------------------------------------------------------------------------------

    def client(self, stop=None):
        client = FakeClient(self, stop)
        self.clients.append(client)
        return client

    def fault(self, action, kind='error', stream=None, count=1, code='InvalidParam', status=400, message='refused',
              result=None, page=None):
        self.faults.append(dict(action=action, kind=kind, stream=stream, count=count, code=code, status=status,
                                message=message, result=result, page=page))

    @property
    def calls(self):
        return list(self.log)

    def writes(self):
        return [(action, body) for action, body in self.log if action in WRITES]

    def clear(self):
        self.log = []

    def stored(self, domain, app, stream):
        return copy.deepcopy(self.streams.get((domain.lower(), app, stream)))

    # -- answering ----------------------------------------------------------------------------------------------

    def _take_fault(self, action, body):
        for fault in self.faults:
            if fault['action'] != action or fault['count'] <= 0:
                continue
            if fault['stream'] is not None and body.get('Stream') != fault['stream']:
                continue
            if fault['page'] is not None and body.get('Page') != fault['page']:
                continue
            fault['count'] -= 1
            return fault
        return None

    def answer(self, client, action, body):
        with self.lock:
            self.log.append((action, copy.deepcopy(body)))
            fault = self._take_fault(action, body)
            if fault is not None and fault['kind'] == 'lost_before':
                raise VolcengineTransportError('the connection was closed before an answer arrived', action=action,
                                               code=errors.CONNECTION_ERROR)
            self.sequence += 1
            request_id = 'req-%d' % self.sequence
            if fault is not None and fault['kind'] == 'error':
                client.request_ids.append(request_id)
                raise VolcengineAPIError(fault['message'], action=action, code=fault['code'], http_status=fault['status'],
                                         request_id=request_id)
            try:
                result = getattr(self, '_' + action)(body)
            except VolcengineAPIError as error:
                error.request_id = request_id
                client.request_ids.append(request_id)
                raise
            if fault is not None and fault['kind'] == 'lost_after':
                raise VolcengineTransportError('the connection was cut while reading the answer', action=action,
                                               code=errors.CONNECTION_ERROR)
            if fault is not None and fault['kind'] == 'result':
                result = copy.deepcopy(fault['result'])
            client.request_ids.append(request_id)
            return APIResponse(result, request_id, 1)

    @staticmethod
    def _refuse(action, code, status, message):
        return VolcengineAPIError(message, action=action, code=code, http_status=status)

    def _CreateRelaySourceV4(self, body):
        if _key(body) in self.streams:
            raise self._refuse(CREATE, 'InvalidParam', 400, 'the stream already has a relay configuration')
        self.streams[_key(body)] = stream_entry(body['Domain'], body['App'], body['Stream'], body['SrcAddrS'],
                                                body.get('StartTime'), body.get('EndTime'))
        return {'TaskId': 'task-%d' % self.sequence}

    def _UpdateRelaySourceV4(self, body):
        stored = self.streams.get(_key(body))
        if stored is None:
            raise self._refuse(UPDATE, 'ResourceNotFound', 404, 'no relay configuration for this stream')
        start, end = body.get('StartTime'), body.get('EndTime')
        if start is None and self.update_keeps_window:
            start, end = stored.get('StartTime'), stored.get('EndTime')
        self.streams[_key(body)] = stream_entry(stored['Domain'], body['App'], body['Stream'], body['SrcAddrS'], start, end)

    def _DeleteRelaySourceV4(self, body):
        if _key(body) not in self.streams:
            raise self._refuse(DELETE, 'ResourceNotFound', 404, 'no relay configuration for this stream')
        del self.streams[_key(body)]

    def _ListRelaySourceV4(self, body):
        assert set(body) == {'Domain', 'Page', 'Size'}, body
        listed = [entry for key, entry in self.streams.items() if key[0] == body['Domain'].lower()]
        page, size = body['Page'], body['Size']
        shown = []
        for entry in listed[(page - 1) * size:page * size]:
            entry = copy.deepcopy(entry)
            if 'StartTime' not in entry and self.permanent_as != 'absent':
                entry.update(StartTime=None if self.permanent_as == 'null' else 0,
                             EndTime=None if self.permanent_as == 'null' else 0)
            shown.append(entry)
        return {'List': shown, 'Pagination': {'PageCur': page, 'PageSize': size, 'PageTotal': -(-len(listed) // size),
                                              'TotalCount': len(listed)}}


class FakeClient(object):
    """VolcengineClient's interface (call, request_ids, wait_for_abandoned_attempts, close) on a FakeScheduledRelayAPI;
    ``stop`` (an interrupts.StopFlag) stops writes before they are sent, as the client does."""

    def __init__(self, api, stop=None):
        self.api = api
        self.stop = stop
        self.request_ids = []
        self.closed = False
        self.threads = set()

    def call(self, action, version, body=None, write=False):
        assert version == '2023-01-01'
        assert write == (action in WRITES), (action, write)
        self.threads.add(threading.get_ident())
        if write and self.stop is not None:
            self.stop.check(action)
        return self.api.answer(self, action, copy.deepcopy(body or {}))

    def wait_for_abandoned_attempts(self):
        return self.api.abandoned_attempts_end

    def close(self):
        self.closed = True
