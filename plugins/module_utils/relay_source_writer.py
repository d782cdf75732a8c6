# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.cloud collection: not an API for other collections, roles or plugins. It may change
# incompatibly, or go, in any release of the collection (a patch release included) without notice.
"""The closed-loop writer of one app's relay sources, shared by every module that writes them.

``AppChange`` takes the app as read (a ``relay_source.StoredApp``) and what the task declares, decides the groups
the app should hold (``after``) and the first writes (``plan``, which check mode returns as is), and ``apply`` makes
them: read, plan from what is there, write, and read again after any write whose outcome depends on the API's
update behaviour (relay_source_plan.py says which).  What it guarantees:

* no write takes away an origin the change keeps, and the app never has zero groups on the way while groups are
  declared (relay_source_plan.keeps_origins); deletes come after the updates that make them safe;
* a write whose answer is lost is settled by a read, after every abandoned attempt of it has ended (the client
  keeps them; ``wait_for_abandoned_attempts``); a write is never re-sent before that read shows it not applied, and
  after a lost answer the run ends with a read that shows the declared groups;
* an interrupt (SIGINT, SIGTERM) stops the run before its next write (``interrupts.StopFlag``);
* at most ``relay_source_plan.plan_write_bound`` writes, then ``RelaySourceNotConverged``.

Every planned write is recorded in ``plan['writes']`` with its own sentence and outcome, so what is reported never
depends on lists staying aligned; ``progress_message`` turns them into the text of a failure (write_outcome.py holds
what every writer of the collection shares: the outcomes, when an answer may be lost, the sentences).
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineError, VolcengineResponseError
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source import group_names, normalize_groups
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_api import (
    ACTION_DELETE,
    ACTION_UPDATE,
    delete_body,
    read_app,
    send_write,
    update_body,
)
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_plan import (
    OTHER,
    WRITE_DELETE_APP,
    WRITE_DELETE_GROUP,
    WRITE_UPDATE,
    Planner,
    desired_groups,
    kept_origins,
    keeps_origins,
    plan_write_bound,
)
from ansible_collections.volcengine.cloud.plugins.module_utils import write_outcome
from ansible_collections.volcengine.cloud.plugins.module_utils.write_outcome import (
    MAX_LOST_ANSWERS,
    OUTCOME_APPLIED,
    OUTCOME_FAILED,
    OUTCOME_PLANNED,
    OUTCOME_UNKNOWN,
    answer_may_be_lost,
)

BEHAVIOUR_UNKNOWN = 'unknown'
UNEXPECTED_STATE_CODE = 'UnexpectedRelaySourceState'
NOT_CONVERGED_CODE = 'RelaySourceNotConverged'

PROTOCOL_CHANGE_HINT = (
    'This update changes the protocol of an existing origin, and the Volcengine console says the protocol of a '
    'saved origin cannot be changed. Delete the group first (state=absent with that group listed), then run the '
    'task again to recreate it with the new protocol.')

_TO_DO = {
    WRITE_UPDATE: 'update groups %s',
    WRITE_DELETE_GROUP: 'delete group %s',
    WRITE_DELETE_APP: "delete the app's whole configuration (groups %s)",
}
_PAST_TENSE = {
    WRITE_UPDATE: 'updated groups %s',
    WRITE_DELETE_GROUP: 'deleted group %s',
    WRITE_DELETE_APP: "deleted the app's whole configuration (groups %s)",
}


class RelaySourceStateError(VolcengineError):
    """The app's groups, read during the run, are not what the run can go on from (``UNEXPECTED_STATE_CODE``), or
    the run did not reach the declared groups within its bound of writes (``NOT_CONVERGED_CODE``)."""


def new_plan():
    return {'writes': [], 'verify': False, 'update_semantics': BEHAVIOUR_UNKNOWN}


def _record(planned, follow_up):
    names = ', '.join(planned['groups'])
    description = _TO_DO[planned['action']] % names
    if planned['temporary']:
        description += (' (temporary copies, so that origins stay configured while groups move)'
                        if planned['action'] == WRITE_UPDATE else ' (a temporary copy)')
    return {'action': planned['action'], 'groups': list(planned['groups']), 'description': description,
            'follow_up': follow_up, 'temporary': planned['temporary'], 'outcome': OUTCOME_PLANNED,
            'settled_by_read': False}


def done_sentence(write):
    """The write in the past tense, as listed in the modules' ``actions``."""
    return _PAST_TENSE[write['action']] % ', '.join(write['groups'])


def _in_effect(planned, groups):
    """Whether ``groups`` (a fresh read) shows the effect of the planned write."""
    if planned['action'] == WRITE_DELETE_APP:
        return not groups
    by_name = dict((group['name'], group) for group in groups)
    if planned['action'] == WRITE_DELETE_GROUP:
        return planned['groups'][0] not in by_name
    return all(by_name.get(group['name']) == group for group in normalize_groups(planned['sent']))


def write_request(vhost, app, planned, stored=None):
    """The API request of a planned write, ``{'action': <API action>, 'body': {...}}``; an update carries the
    unmanaged fields of ``stored`` (the StoredApp read) for the groups it sends unchanged, and its app-level fields."""
    if planned['action'] == WRITE_UPDATE:
        return {'action': ACTION_UPDATE, 'body': update_body(vhost, app, planned['sent'], stored)}
    if planned['action'] == WRITE_DELETE_GROUP:
        return {'action': ACTION_DELETE, 'body': delete_body(vhost, app, planned['groups'][0])}
    return {'action': ACTION_DELETE, 'body': delete_body(vhost, app)}


def dropped_fields(stored, after):
    """``[(group name, [field paths])]`` of the groups whose change drops fields this collection does not manage:
    a group that holds such fields and that the declared configuration changes (a deleted group drops all)."""
    return [(group['name'], stored.unmanaged_fields(group['name'])) for group in normalize_groups(after)
            if stored.unmanaged_fields(group['name']) and not stored.keeps_unmanaged(group)]


class AppChange(object):
    """One app's change: ``after`` (the groups it should hold), ``plan`` (the writes, with their outcomes) and
    ``apply``.

    ``state`` ``present`` makes the app hold ``listed`` (``purge_groups``: see relay_source_plan.desired_groups);
    ``absent`` deletes the listed groups that exist, one by one, or (``listed`` None) the whole app in one delete."""

    def __init__(self, stored, listed, state, purge_groups=True):
        self.stored = stored
        self.vhost, self.app = stored.vhost, stored.app
        self.current = stored.groups
        self.plan = new_plan()
        self.groups = self.current
        self._made = 0
        self._lost_answers = 0
        self._last_call_was_a_read = True
        # An update made since the last read whose outcome was predicted: only the four known behaviours say it
        # ended as predicted, so a run that met a behaviour-dependent write confirms its end with a read.
        self._predicted_update_since_read = False
        if state == 'present':
            self.after = desired_groups(self.current, listed, purge_groups)
        elif listed is None:
            self.after = []
        else:
            doomed = set(group['name'] for group in listed)
            self.after = [group for group in self.current if group['name'] not in doomed]
        self.planner = Planner(self.after, kept_origins(self.current, self.after),
                               delete_groups_one_by_one=state == 'absent' and listed is not None)
        self._pending = []
        self._planned_of = []  # (planned, record) of every write ever planned, to find a record's request
        self._plan_from(self.current, follow_up=False)

    # -- planning ---------------------------------------------------------------------------------------------

    def _plan_from(self, groups, follow_up):
        """Replace the writes not yet made by those planned from ``groups`` (what is there now)."""
        self.plan['writes'] = [write for write in self.plan['writes'] if write['outcome'] != OUTCOME_PLANNED]
        self._pending = [(planned, _record(planned, follow_up)) for planned in self.planner.plan(groups)]
        self._planned_of.extend(self._pending)
        self.plan['writes'].extend(record for _planned, record in self._pending)
        self.plan['verify'] = self.plan['verify'] or any(planned['predicted'] is None for planned, _record in self._pending)

    def has_writes(self):
        return bool(self.plan['writes'])

    # -- applying ----------------------------------------------------------------------------------------------

    def apply(self, client, warn=None, stop=None):
        """Make the writes, reading and planning again where the plan says so.  Raises the error that stopped the
        run (the plan then tells what was applied) or RelaySourceStateError."""
        bound = plan_write_bound(self.current, self.after)
        while True:
            while self._pending:
                planned, record = self._pending.pop(0)
                if self._made >= bound:
                    self._not_converged(bound)
                if stop is not None:
                    stop.check()
                self._make(client, planned, record, warn)
            if self._last_call_was_a_read or not (
                    self._lost_answers or (self.plan['verify'] and self._predicted_update_since_read)):
                return self.plan
            # After a lost answer (an attempt may have been applied late), or after updates whose outcome only the
            # learned behaviour predicted, only a read may say the run is done.
            self.groups = self._read(client)
            if self.groups == self.after:
                return self.plan
            self.planner.behaviours = ()  # the prediction was wrong: read after every update from now on
            self._plan_from(self.groups, follow_up=True)
            if not self._pending:
                return self.plan

    def _read(self, client):
        groups = read_app(client, self.vhost, self.app).groups
        self._last_call_was_a_read = True
        self._predicted_update_since_read = False
        return groups

    def _make(self, client, planned, record, warn):
        before = self.groups
        if planned['action'] == WRITE_DELETE_GROUP and planned['predicted'] is not None:
            self._assert_safe(planned['predicted'])
        request = write_request(self.vhost, self.app, planned, self.stored)
        self._made += 1
        self._last_call_was_a_read = False
        try:
            send_write(client, request['action'], request['body'])
        except VolcengineResponseError:
            # The API reported success (no Error); only the Result of its answer was odd: the write was made, and
            # nothing more is written after an answer the collection does not understand.
            record['outcome'] = OUTCOME_APPLIED
            raise
        except VolcengineError as error:
            self._settle(client, planned, record, error, warn, before)
            return
        record['outcome'] = OUTCOME_APPLIED
        if planned['predicted'] is not None:
            self.groups = planned['predicted']
            self._predicted_update_since_read |= planned['action'] == WRITE_UPDATE
            return
        self.groups = self._read(client)
        self._check_sent_groups(planned, before)
        self._learn(planned, before)
        self._plan_from(self.groups, follow_up=True)

    def _learn(self, planned, before):
        """What the read after an update whose outcome depends on the behaviour shows about the behaviour."""
        if planned['action'] != WRITE_UPDATE or planned['predicted'] is not None:
            return
        self.planner.learn(before, planned['sent'], self.groups)
        # The behaviours that explain every read so far (several may), or OTHER when none does.
        self.plan['update_semantics'] = ', '.join(self.planner.behaviours) or OTHER

    def _settle(self, client, planned, record, error, warn, before):
        """A write that raised ``error``: refused for sure (raise), or settled by a read once its attempts ended."""
        if not answer_may_be_lost(error):
            record['outcome'] = OUTCOME_FAILED
            raise error
        record['outcome'] = OUTCOME_UNKNOWN
        self._lost_answers += 1
        ended = client.wait_for_abandoned_attempts()
        try:
            self.groups = self._read(client)
        except VolcengineError:
            raise error
        record['settled_by_read'] = True
        if _in_effect(planned, self.groups):
            # Applied: the attempt that applied it cannot apply it a second time, so the run goes on.
            record['outcome'] = OUTCOME_APPLIED
            self._learn(planned, before)
            if warn is not None:
                warn('%s; a fresh read shows that "%s" took effect, so it counts as applied.' % (error, record['description']))
        elif not ended:
            record['outcome'] = OUTCOME_UNKNOWN
            error.context = ('An attempt of "%s" was abandoned and did not end within the timeout, so it may still be '
                             'applied: no further write was made.' % record['description'])
            raise error
        else:
            record['outcome'] = OUTCOME_FAILED
            if self._lost_answers >= MAX_LOST_ANSWERS:
                raise error
        self._plan_from(self.groups, follow_up=True)

    def _assert_safe(self, groups):
        """The last line of defence of the safety rule: a delete that would break it is never sent."""
        if not keeps_origins(groups, self.planner.kept, self.after):
            raise RelaySourceStateError('refusing a delete that would leave the app without an origin the change keeps '
                                        '(groups would be %s)' % (', '.join(group_names(groups)) or 'none'),
                                        action=ACTION_DELETE, code=UNEXPECTED_STATE_CODE)

    def _check_sent_groups(self, planned, before):
        """After an update, every group it sent must be there as sent: the API never drops one it was sent, so
        anything else means something else changed the app, and no further write is planned from it."""
        if _in_effect(planned, self.groups):
            return
        raise RelaySourceStateError(
            'after the update of groups %s the app holds %s (before it: %s), which lacks a group as sent: something '
            'else probably changed the app at the same time; no further write was made' % (
                ', '.join(planned['groups']), ', '.join(group_names(self.groups)) or 'no group',
                ', '.join(group_names(before)) or 'no group'),
            action=ACTION_UPDATE, code=UNEXPECTED_STATE_CODE)

    def _not_converged(self, bound):
        raise RelaySourceStateError(
            'after %d writes the app holds groups %s, not the declared %s: the API\'s update behaviour (%s) did not '
            'reach the declared order within the bound of writes; no further write was made' % (
                bound, ', '.join(group_names(self.groups)) or 'none', ', '.join(group_names(self.after)),
                self.plan['update_semantics']),
            action=ACTION_UPDATE, code=NOT_CONVERGED_CODE)

    # -- reporting ---------------------------------------------------------------------------------------------

    def applied_actions(self):
        """The past-tense sentences of the writes known to be applied, in order (the modules' ``actions``)."""
        return [done_sentence(write) for write in self.plan['writes'] if write['outcome'] == OUTCOME_APPLIED]

    def may_have_changed(self):
        """Whether any write was applied or may have been (``changed`` on failure)."""
        return any(write['outcome'] in (OUTCOME_APPLIED, OUTCOME_UNKNOWN) for write in self.plan['writes'])

    def requests(self, check_mode):
        """The writes as API requests with their outcome: made (or, in check mode, planned) only.  Only the first
        pass is known before the writes are made, so check mode lists that."""
        return [dict(write_request(self.vhost, self.app, self._planned(write), self.stored), outcome=write['outcome'])
                for write in self.plan['writes'] if check_mode or write['outcome'] != OUTCOME_PLANNED]

    def _planned(self, record):
        return next(planned for planned, known in self._planned_of if known is record)

    def dropped_fields_warnings(self):
        """One sentence per group whose declared change drops fields this collection does not manage."""
        return ['%s/%s: the change replaces group %s, which holds fields this collection does not manage (%s); they '
                'are not sent again and are lost' % (self.vhost, self.app, name, ', '.join(fields))
                for name, fields in dropped_fields(self.stored, self.after)]

    def failure_context(self, error):
        """What a module says after ``error`` stopped the run: progress_message, then PROTOCOL_CHANGE_HINT when the
        API refused (InvalidParam) an update that only changes the protocol of existing origins."""
        context = ' '.join(part for part in (getattr(error, 'context', ''), progress_message(self.plan, error)) if part)
        failed = next((write for write in self.plan['writes'] if write['outcome'] == OUTCOME_FAILED), None)
        if (error.code == 'InvalidParam' and failed is not None and failed['action'] == WRITE_UPDATE
                and protocol_only_changes(self.current, self.after)):
            context += ' ' + PROTOCOL_CHANGE_HINT
        return context


def protocol_only_changes(current, desired):
    """Names of groups whose servers differ from the current ones only by protocol (same domains and params, same
    order): the change the console says cannot be saved."""
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


KEPT_ORIGINS = 'Every origin that the change keeps stayed configured after each write.'


def progress_message(plan, error=None):
    """What is known of each write of a run that stopped on ``error``: applied, not applied, or unknown; then what
    running the task again does (never "converges" after a refusal that would repeat, a run that cannot converge
    included)."""
    return write_outcome.progress_message(plan['writes'], error, done_sentence, KEPT_ORIGINS, (NOT_CONVERGED_CODE,))
