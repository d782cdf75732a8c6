# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The unit tests' API: the emulator's model of the Live API (tests/emulator/api_model.py) answering in-process, behind a
stand-in for VolcengineClient, for the play-triggered (V3) and the fixed-trigger (V4) actions alike.

    api = model_client([app_config(VHOST, APP, groups)], update_mode='merge')
    api.inject_fault(kind='error', status=403, code='RequestForbidden')   # the emulator's own faults and settings
    relay_source.describe_app(api, VHOST, APP)
    api.calls, api.writes(), groups_of(api, VHOST, APP), names_after_each_write(api, VHOST, APP)

    api = model_client(scheduled_state([stream_entry(DOMAIN, 'live', 'final', [ORIGIN])]))
    api.inject_fault(kind='drop_after', actions=['UpdateRelaySourceV4'], streams=['final'])
    api.scheduled_relays(DOMAIN), api.scheduled_relay(DOMAIN, 'live', 'final')

The control methods are the harness's (tests/emulator/harness.py), so a test reads the same in-process and over HTTP.
A module that makes a client per worker thread gets them from ModelAPI.factory, all on one model.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import threading

from ansible_collections.volcengine.cloud.plugins.module_utils import errors
from ansible_collections.volcengine.cloud.plugins.module_utils.client import APIResponse
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineAPIError, VolcengineTransportError
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_api import groups_to_api
from ansible_collections.volcengine.cloud.tests.emulator.api_model import ACTION_LIST_V4, V4_STATE_KEY, WRITE_ACTIONS, LiveAPIModel


class ModelClient(object):
    """VolcengineClient's interface (``call(action, version, body)`` returning an APIResponse or raising the
    collection's VolcengineError family; ``request_ids``), answered by ``model`` in-process.

    Each call is sent to the model as JSON bytes, as the client sends it, and taken as signed with ``access_key``.
    The model's envelope becomes an APIResponse or a VolcengineAPIError (its RequestId kept in ``request_ids``); no
    answer (drop, drop_after) is a ConnectionError, and a request the model held longer than ``timeout`` (a fault's
    ``delay``) a Timeout, whatever came after. ``retries``: how many times a read whose answer was lost (those two
    transport errors) is sent again, the part of the client's retry policy that makes ``attempts`` more than 1
    (API errors are not retried here; a write is never re-sent after a lost answer, as the client does not).
    ``stop`` (an interrupts.StopFlag) stops writes before they are sent, as the client does. Raw and html faults
    answer an HTTP client only: use the emulator for them. A call whose ``write`` flag is not that of its action (the
    client re-sends only reads on its own) is an AssertionError.

    ``null_permanent_times``: ListRelaySourceV4 answers show a permanent stream's StartTime and EndTime as null, an
    answer the model does not give (its setting v4_permanent_times gives 0, the default, or leaves them out): the
    client turns the model's zeros into null.
    """

    def __init__(self, model, access_key='AKLTTEST', timeout=30.0, retries=0, stop=None, null_permanent_times=False):
        self.model = model
        self.stop = stop
        self.access_key = access_key
        self.timeout = timeout
        self.retries = retries
        self.null_permanent_times = null_permanent_times
        self.request_ids = []
        self.closed = False

    def close(self):
        self.closed = True

    def call(self, action, version, body=None, write=False):
        if write != (action in WRITE_ACTIONS):
            raise AssertionError('%s called with write=%s' % (action, write))
        payload = json.dumps(body if body is not None else {}, separators=(',', ':'), ensure_ascii=False).encode('utf-8')
        attempt = 0
        while True:
            attempt += 1
            if write and self.stop is not None:
                self.stop.check(action)
            try:
                return self._attempt(action, version, payload, attempt)
            except VolcengineTransportError as error:
                error.attempts = attempt
                if attempt > self.retries or write:
                    raise

    def wait_for_abandoned_attempts(self):
        """In-process, an attempt held past the timeout has taken effect when its Timeout is raised: none is open (a
        test of an attempt still open overrides this to answer False)."""
        return True

    def _attempt(self, action, version, payload, attempt):
        reply = self.model.answer(action, version, payload, access_key=self.access_key)
        if reply.raw:
            raise AssertionError('raw and html faults are for an HTTP client: run the emulator (harness.Emulator)')
        if reply.waited > self.timeout:
            raise VolcengineTransportError('no complete answer within %s seconds' % self.timeout, action=action,
                                           code=errors.TIMEOUT)
        if reply.status is None:
            raise VolcengineTransportError('the connection was closed before an answer arrived', action=action,
                                           code=errors.CONNECTION_ERROR)
        self.request_ids.append(reply.request_id)
        if reply.error is not None:
            code, message = reply.error
            error = VolcengineAPIError(message, action=action, code=code, http_status=reply.status, request_id=reply.request_id)
            error.attempts = attempt
            raise error
        result = reply.result
        if self.null_permanent_times and action == ACTION_LIST_V4:
            result = _with_null_permanent_times(result)
        return APIResponse(result, reply.request_id, attempt, http_status=reply.status)

    # -- the harness's control methods, in-process -----------------------------------------------------------

    def requests(self):
        return self.model.requests()

    def clear_requests(self):
        self.model.clear_requests()

    def write_requests(self):
        return [entry for entry in self.requests() if entry['action'] in WRITE_ACTIONS]

    def state(self):
        return self.model.state_document()

    def inject_fault(self, **spec):
        return self.model.add_fault(spec)

    def settings(self, **changes):
        return self.model.update_settings(changes)

    # -- what the tests read ---------------------------------------------------------------------------------

    @property
    def calls(self):
        """(action, body) of every request the model received, in order."""
        return [(entry['action'], entry['body']) for entry in self.requests()]

    def writes(self):
        return [(entry['action'], entry['body']) for entry in self.write_requests()]

    def scheduled_relays(self, domain=None):
        """The V4 entries the model holds (of ``domain`` only, when given), in creation order (as the harness's)."""
        return [entry for entry in self.state()[V4_STATE_KEY] if domain is None or entry['Domain'] == domain]

    def scheduled_relay(self, domain, app, stream):
        """The V4 entry the model holds for domain/app/stream; None when there is none."""
        return next((entry for entry in self.scheduled_relays(domain) if (entry['App'], entry['Stream']) == (app, stream)), None)


def _with_null_permanent_times(result):
    """A ListRelaySourceV4 Result whose permanent entries (StartTime and EndTime 0) show both times as null."""
    if not isinstance(result, dict) or not isinstance(result.get('List'), list):
        return result
    result = json.loads(json.dumps(result))
    for entry in result['List']:
        if isinstance(entry, dict) and entry.get('StartTime') == 0 and entry.get('EndTime') == 0:
            entry.update(StartTime=None, EndTime=None)
    return result


class ThreadRecordingClient(ModelClient):
    """A ModelClient that records which threads called it (``threads``)."""

    def __init__(self, model, **options):
        super(ThreadRecordingClient, self).__init__(model, **options)
        self.threads = set()

    def call(self, action, version, body=None, write=False):
        self.threads.add(threading.get_ident())
        return super(ThreadRecordingClient, self).call(action, version, body, write=write)


def in_flight_gate(workers, gated):
    """A ThreadRecordingClient class whose calls that ``gated(action, write)`` picks each wait until ``workers`` of
    them are in flight: a run that ran fewer at a time fails with a broken barrier, and the class's ``most`` shows
    that it never ran more."""
    rendezvous = threading.Barrier(workers, timeout=20)
    lock = threading.Lock()

    class GateClient(ThreadRecordingClient):
        in_flight = most = 0

        def call(self, action, version, body=None, write=False):
            if not gated(action, write):
                return super(GateClient, self).call(action, version, body, write=write)
            with lock:
                GateClient.in_flight += 1
                GateClient.most = max(GateClient.most, GateClient.in_flight)
            try:
                rendezvous.wait()
                return super(GateClient, self).call(action, version, body, write=write)
            finally:
                with lock:
                    GateClient.in_flight -= 1
    return GateClient


def interrupt_after_writes(count, stop_flags):
    """A ThreadRecordingClient class that raises the task's stop flag (the first of ``stop_flags``, the conftest
    fixture) with SIGINT, as a Ctrl-C would, once the model has answered its ``count``-th write."""

    class InterruptingClient(ThreadRecordingClient):
        def call(self, action, version, body=None, write=False):
            answer = super(InterruptingClient, self).call(action, version, body, write=write)
            if write and len(self.write_requests()) == count:
                stop_flags[0].set('SIGINT')
            return answer
    return InterruptingClient


class ModelAPI(object):
    """The in-process API for a module that makes a client per worker thread: ``factory`` (the module's client
    factory) makes a ``client_class`` with ``client_options`` on the one model each time, kept in ``clients``;
    ``view`` reads and controls the model."""

    def __init__(self, configs=None, update_mode='replace', client_class=ThreadRecordingClient, **client_options):
        self.model = in_process_model(configs, update_mode)
        self.view = ModelClient(self.model)
        self.client_class = client_class
        self.client_options = client_options
        self.clients = []

    def factory(self):
        client = self.client_class(self.model, **self.client_options)
        self.clients.append(client)
        return client


def in_process_model(configs=None, update_mode='replace'):
    """A fresh model holding ``configs`` (the API's shape, see app_config; or a whole state document, see
    scheduled_state): RequestIds req-1, req-2, ... in arrival order, no throttling, delays counted instead of slept,
    and the state after each applied write in the log (for names_after_each_write)."""
    return LiveAPIModel(state=configs or [], sleep=lambda seconds: None, request_id='req-%d'.__mod__, rate_limit=0,
                        log_state_after=True, update_mode=update_mode)


def model_client(configs=None, update_mode='replace', **options):
    """A ModelClient (``options``: its timeout, retries, stop, null_permanent_times) on in_process_model(configs,
    update_mode)."""
    return ModelClient(in_process_model(configs, update_mode), **options)


def app_config(vhost, app, groups):
    """The API's shape of one app's configuration, from groups in the modules' shape (production's conversion)."""
    return {'Vhost': vhost, 'App': app, 'GroupDetails': groups_to_api(groups)}


def groups_of(api, vhost, app, configs=None):
    """The GroupDetails the model holds for vhost/app (or that ``configs`` hold); [] when none."""
    for entry in api.state()['RelaySourceConfigList'] if configs is None else configs:
        if entry['Vhost'] == vhost and entry['App'] == app:
            return entry['GroupDetails']
    return []


def names_after_each_write(api, vhost, app):
    """[(action, body, group names of vhost/app after that write)] for every write the model applied."""
    return [(entry['action'], entry['body'], [group['Group'] for group in groups_of(api, vhost, app, entry['state_after'])])
            for entry in api.write_requests() if 'state_after' in entry]


def stream_entry(domain, app, stream, origins, start=0, end=0):
    """One V4 entry in the API's shape, as the model holds it (StartTime and EndTime 0: permanent)."""
    return {'Domain': domain, 'App': app, 'Stream': stream, 'SrcAddrS': list(origins), 'StartTime': start, 'EndTime': end}


def scheduled_state(entries, configs=()):
    """A state document: the V4 ``entries`` (see stream_entry) and the V3 ``configs`` (see app_config)."""
    return {'RelaySourceConfigList': list(configs), V4_STATE_KEY: list(entries)}


def list_page(entries, total=None, page_cur=1, **pagination):
    """A ListRelaySourceV4 Result holding ``entries`` (for a ``result`` fault): Pagination PageCur ``page_cur``,
    PageSize 500, TotalCount ``total`` (by default how many entries), and the other ``pagination`` fields given."""
    shown = dict(PageCur=page_cur, PageSize=500, TotalCount=len(entries) if total is None else total)
    shown.update(pagination)
    return {'List': entries, 'Pagination': shown}
