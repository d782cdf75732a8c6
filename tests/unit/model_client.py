# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The unit tests' API: the emulator's model of the Live API (tests/emulator/api_model.py) answering in-process, behind a
stand-in for VolcengineClient.

    api = model_client([app_config(VHOST, APP, groups)], update_mode='merge')
    api.inject_fault(kind='error', status=403, code='RequestForbidden')   # the emulator's own faults and settings
    relay_source.describe_app(api, VHOST, APP)
    api.calls, api.writes(), groups_of(api, VHOST, APP), names_after_each_write(api, VHOST, APP)

The control methods are the harness's (tests/emulator/harness.py), so a test reads the same in-process and over HTTP.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from ansible_collections.volcengine.cloud.plugins.module_utils import errors
from ansible_collections.volcengine.cloud.plugins.module_utils.client import APIResponse
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineAPIError, VolcengineTransportError
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_api import groups_to_api
from ansible_collections.volcengine.cloud.tests.emulator.api_model import WRITE_ACTIONS, LiveAPIModel


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
    answer an HTTP client only: use the emulator for them.
    """

    def __init__(self, model, access_key='AKLTTEST', timeout=30.0, retries=0, stop=None):
        self.model = model
        self.stop = stop
        self.access_key = access_key
        self.timeout = timeout
        self.retries = retries
        self.request_ids = []
        self.closed = False

    def close(self):
        self.closed = True

    def call(self, action, version, body=None, write=False):
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
        """In-process, an attempt held past the timeout has taken effect when its Timeout is raised: none is open."""
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
        return APIResponse(reply.result, reply.request_id, attempt, http_status=reply.status)

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


def in_process_model(configs=None, update_mode='replace'):
    """A fresh model holding ``configs`` (the API's shape, see app_config): RequestIds req-1, req-2, ... in arrival
    order, no throttling, delays counted instead of slept, and the state after each applied write in the log (for
    names_after_each_write)."""
    return LiveAPIModel(state=configs or [], sleep=lambda seconds: None, request_id='req-%d'.__mod__, rate_limit=0,
                        log_state_after=True, update_mode=update_mode)


def model_client(configs=None, update_mode='replace', **options):
    """A ModelClient (``options``: its timeout and retries) on in_process_model(configs, update_mode)."""
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
