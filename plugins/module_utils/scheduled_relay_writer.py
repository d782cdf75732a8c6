# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.cloud collection: not an API for other collections, roles or plugins. It may change
# incompatibly, or go, in any release of the collection (a patch release included) without notice.
"""The writer of one stream's fixed-trigger relay.

``StreamChange`` takes the stream as read (``stored``, None when it has no configuration) and as declared
(``declared``, None to delete it) and plans one write: CreateRelaySourceV4 when there is none, ONE
UpdateRelaySourceV4 when its origins or window differ (never a delete and a create, which would stop the pull in
between), DeleteRelaySourceV4. ``apply`` makes it:

* a write whose answer was lost (write_outcome.answer_may_be_lost) is settled, once the client says every abandoned
  attempt has ended (``wait_for_abandoned_attempts``), by listing the stream's domain again: in effect, it counts as
  applied (with a warning); not in effect, the write is planned again from what the read shows and sent again, up to
  write_outcome.MAX_LOST_ANSWERS lost answers; an attempt still open and the write not in effect: its outcome is
  unknown and nothing more is written to the stream;
* an update that makes a stream with a window permanent sends neither StartTime nor EndTime, as a create of a
  permanent stream does; the API does not say that an update without them removes the window, so a read follows it
  (``plan['verify']``), and a stream the read does not show as declared fails with UNEXPECTED_STATE_CODE instead of
  being reported as changed;
* an interrupt (SIGINT, SIGTERM) stops the run before its next write (``interrupts.StopFlag``); ``writes_sent`` says
  whether any was sent.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.volcengine.cloud.plugins.module_utils import write_outcome
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineError, VolcengineResponseError
from ansible_collections.volcengine.cloud.plugins.module_utils.interrupts import Interrupted
from ansible_collections.volcengine.cloud.plugins.module_utils.scheduled_relay import iso_utc
from ansible_collections.volcengine.cloud.plugins.module_utils.scheduled_relay_api import (
    ACTION_CREATE,
    ACTION_DELETE,
    ACTION_UPDATE,
    delete_body,
    find_stream,
    send_write,
    write_body,
)
from ansible_collections.volcengine.cloud.plugins.module_utils.write_outcome import (
    MAX_LOST_ANSWERS,
    OUTCOME_APPLIED,
    OUTCOME_FAILED,
    OUTCOME_PLANNED,
    OUTCOME_UNKNOWN,
    answer_may_be_lost,
)

UNEXPECTED_STATE_CODE = 'UnexpectedScheduledRelayState'

# (what a write does, in the imperative and in the past tense)
_SENTENCES = {ACTION_CREATE: ('create', 'created'), ACTION_UPDATE: ('update', 'updated'), ACTION_DELETE: ('delete', 'deleted')}


class ScheduledRelayStateError(VolcengineError):
    """A read after a write shows the stream in another state than the one the write declared."""


def _content_text(stream):
    count = len(stream.origins)
    return '%d origin%s, %s' % (count, '' if count == 1 else 's', stream.window_text())


def _found_text(stream):
    """What a read found, as the message of a failed confirmation says it."""
    if stream is None:
        return 'no configuration'
    if not stream.permanent:
        return 'the window %s to %s still there' % (iso_utc(stream.start), iso_utc(stream.end))
    return 'origins %s' % ', '.join(stream.origins)


def done_sentence(write):
    return write['done']


class StreamChange(object):
    """One stream's change: ``plan`` (``writes``: each with ``action``, ``description``, ``done``, ``follow_up``,
    ``outcome`` and ``settled_by_read``; ``verify``: whether a read follows the write) and ``apply``."""

    def __init__(self, stored, declared):
        self.stored = stored
        self.declared = declared
        self.target = declared if declared is not None else stored
        self.current = stored
        self.writes_sent = 0
        self.plan = {'writes': [], 'verify': False}
        self._pending = self._plan_from(stored, follow_up=False)

    # -- planning ---------------------------------------------------------------------------------------------

    def _action_from(self, current):
        if self.declared is None:
            return ACTION_DELETE if current is not None else None
        if current is None:
            return ACTION_CREATE
        return None if self.declared.same_content(current) else ACTION_UPDATE

    def _plan_from(self, current, follow_up):
        """The write that turns ``current`` (what is there) into the declared stream, recorded in the plan; None."""
        action = self._action_from(current)
        if action is None:
            return None
        what = 'the relay' if action == ACTION_DELETE else 'the relay (%s)' % _content_text(self.declared)
        to_do, done = _SENTENCES[action]
        record = {'action': action, 'description': '%s %s' % (to_do, what), 'done': '%s %s' % (done, what),
                  'follow_up': follow_up, 'outcome': OUTCOME_PLANNED, 'settled_by_read': False}
        if action == ACTION_UPDATE and self.declared.permanent and not current.permanent:
            record['read_after'] = True
            self.plan['verify'] = True
        self.plan['writes'].append(record)
        return record

    def has_writes(self):
        return bool(self.plan['writes'])

    def request(self, record):
        """The API request of a planned write, ``{'action', 'body'}``."""
        body = delete_body(self.target) if record['action'] == ACTION_DELETE else write_body(self.declared)
        return {'action': record['action'], 'body': body}

    # -- applying ----------------------------------------------------------------------------------------------

    def _in_effect(self, current):
        if self.declared is None:
            return current is None
        return self.declared.same_content(current)

    def apply(self, client, warn=None, stop=None):
        """Make the write, settling a lost answer by a read. Raises the error that stopped the run (the plan then
        tells what was applied) or ScheduledRelayStateError."""
        lost_answers = 0
        while self._pending is not None:
            record, self._pending = self._pending, None
            if stop is not None:
                stop.check(record['action'])
            request = self.request(record)
            try:
                send_write(client, request['action'], request['body'])
            except Interrupted:
                raise  # stopped before it was sent: the record stays planned
            except VolcengineResponseError:
                # The API reported success; only the Result of its answer was odd: the write was made, and nothing
                # more is written after an answer the collection does not understand.
                self.writes_sent += 1
                record['outcome'] = OUTCOME_APPLIED
                raise
            except VolcengineError as error:
                self.writes_sent += 1
                if not answer_may_be_lost(error):
                    record['outcome'] = OUTCOME_FAILED
                    raise
                lost_answers += 1
                self._settle(client, record, error, warn, lost_answers)
                continue
            self.writes_sent += 1
            record['outcome'] = OUTCOME_APPLIED
            self.current = self.declared
            if record.get('read_after'):
                self._confirm(client, record)
        return self.plan

    def _settle(self, client, record, error, warn, lost_answers):
        """A write whose answer may be lost: applied, or planned again from a fresh read, or raised as unknown."""
        record['outcome'] = OUTCOME_UNKNOWN
        ended = client.wait_for_abandoned_attempts()
        try:
            current = find_stream(client, self.target)
        except VolcengineError:
            raise error
        record['settled_by_read'] = True
        self.current = current
        if self._in_effect(current):
            record['outcome'] = OUTCOME_APPLIED
            if warn is not None:
                warn('%s; a fresh read shows that "%s" took effect, so it counts as applied.' % (error, record['description']))
            return
        if not ended:
            error.context = ('An attempt of "%s" was abandoned and did not end within the timeout, so it may still be '
                             'applied: no further write was made to this stream.' % record['description'])
            raise error
        record['outcome'] = OUTCOME_FAILED
        if lost_answers >= MAX_LOST_ANSWERS:
            raise error
        self._pending = self._plan_from(current, follow_up=True)

    def _confirm(self, client, record):
        """The read after an update whose effect the API does not document: the stream must be as declared."""
        current = find_stream(client, self.target)
        self.current = current
        if self._in_effect(current):
            return
        raise ScheduledRelayStateError(
            'after "%s" a fresh read shows %s: UpdateRelaySourceV4 without StartTime and EndTime does not seem to make '
            'a stream permanent (or something else changed it at the same time); no further write was made'
            % (record['description'], _found_text(current)),
            action=ACTION_UPDATE, code=UNEXPECTED_STATE_CODE)

    # -- reporting ---------------------------------------------------------------------------------------------

    def applied_actions(self):
        """The past-tense sentences of the writes known to be applied (the modules' ``actions``)."""
        return [write['done'] for write in self.plan['writes'] if write['outcome'] == OUTCOME_APPLIED]

    def may_have_changed(self):
        return any(write['outcome'] in (OUTCOME_APPLIED, OUTCOME_UNKNOWN) for write in self.plan['writes'])

    def requests(self, check_mode):
        """The writes as API requests with their outcome: made (or, in check mode, planned) only."""
        return [dict(self.request(write), outcome=write['outcome']) for write in self.plan['writes']
                if check_mode or write['outcome'] != OUTCOME_PLANNED]

    def failure_context(self, error):
        """What a module says after ``error`` stopped the run: what was applied, not applied or unknown, and what
        running the task again does."""
        return ' '.join(part for part in (getattr(error, 'context', ''), write_outcome.progress_message(
            self.plan['writes'], error, done_sentence, repeating_codes=(UNEXPECTED_STATE_CODE,))) if part)
