# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.cloud collection: not an API for other collections, roles or plugins. It may change
# incompatibly, or go, in any release of the collection (a patch release included) without notice.
"""What a module that keeps many independent items in one task shares (volc_live_relay_sources: apps of vhosts;
volc_live_scheduled_relay_sources: streams of domains).

Such a run has a *scope* (the vhosts or domains it reads, each once, concurrently), one *item* per app or stream it
manages, each with a *change* (the writer of one item), and these steps: ``read`` (fails as a whole: nothing is
written after a failed read), then the module's own planning, then ``apply`` (the writes on the worker pool, one
item per job; an item's failure stays on the item). This file holds the steps and what the module returns that does
not depend on the kind of item:

* the per-item vocabulary: ``status`` (unchanged, planned, applied, failed, not_started), ``changed``, the result
  entry (status, one-line change, actions, RequestIds, error and message, and the plan where it says more);
* the summary line (per scope key: created, updated, deleted, failed, not started, unchanged, "would ..." in check
  mode), the message of a run where items failed, and of a run stopped by SIGINT or SIGTERM;
* the diff: the summary as a prepared diff, then one diff per item that changes, the items read first (in the API's
  order) and then the new ones (in the order of ``config``);
* ``finish``: how a writing state's result ends (interrupt, failures, ``after``, ``diff``).

An item's ``change`` offers ``apply(client, warn, stop)``, ``has_writes()``, ``may_have_changed()``,
``applied_actions()``, ``failure_context(error)`` and ``plan`` (a dict with ``writes``, each with
``settled_by_read``, and ``verify``), as relay_source_writer.AppChange and scheduled_relay_writer.StreamChange do.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineError
from ansible_collections.volcengine.cloud.plugins.module_utils.module_support import fail_from_error
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_input import RelaySourceInputError
from ansible_collections.volcengine.cloud.plugins.module_utils.worker_pool import NotStarted, internal_error, run_each, serialized

MERGED, REPLACED, OVERRIDDEN, DELETED, GATHERED, RENDERED = 'merged', 'replaced', 'overridden', 'deleted', 'gathered', 'rendered'
STATES = (MERGED, REPLACED, OVERRIDDEN, DELETED, GATHERED, RENDERED)
WRITING_STATES = (MERGED, REPLACED, OVERRIDDEN, DELETED)
# The states that take the scope option (vhosts, domains).
SCOPED_STATES = (OVERRIDDEN, DELETED, GATHERED)
DEFAULT_MAX_WORKERS = 10
MAX_WORKERS_RANGE = (1, 100)

STATUS_UNCHANGED, STATUS_PLANNED, STATUS_APPLIED, STATUS_FAILED = 'unchanged', 'planned', 'applied', 'failed'
STATUS_NOT_STARTED = 'not_started'  # an interrupt arrived before the item's first write
# What a change does to an item, as the summary counts it.
CREATE, UPDATE, DELETE = 'create', 'update', 'delete'
# Items named in a summary entry when there are at most this many; above, the count alone.
NAMED_IN_SUMMARY = 5
# Applied items named in the message of a failed run, each with its one-line change; the rest are counted.
NAMED_IN_FAILURE = 20

_SUMMARY_VERBS = {CREATE: ('would create', 'created'), UPDATE: ('would update', 'updated'), DELETE: ('would delete', 'deleted')}
_SUMMARY_LABELS = {STATUS_FAILED: 'failed', STATUS_NOT_STARTED: 'not started', STATUS_UNCHANGED: 'unchanged'}
_SUMMARY_ORDER = ('would create', 'created', 'would update', 'updated', 'would delete', 'deleted', 'failed', 'not started',
                  'unchanged')


class Nouns(object):
    """What the messages call one item and several (``app``/``apps``, ``stream``/``streams``; ``plural`` is also the
    module's return key of the per-item results), and a key of the scope (``vhost``, ``domain``: also the key of a
    config entry that names it) and several (``vhosts``, ``domains``: also the option that names them)."""

    def __init__(self, singular, plural, scope, scope_plural):
        self.singular = singular
        self.plural = plural
        self.scope = scope
        self.scope_plural = scope_plural


def _same(name):
    return name


# --------------------------------------------------------------------------------------------------------------
# Validation and scope (no I/O)
# --------------------------------------------------------------------------------------------------------------

def validate_task(state, config, scope_names, max_workers, nouns, validate_scope_name, validate_entry, entry_key,
                  scope_key=_same):
    """Check every value before any request; RelaySourceInputError naming the first bad one by its path. Refuses what
    the state cannot use, an invalid ``max_workers``, a scope name listed twice, an item listed twice, with
    state=deleted an entry of a scope key also named whole, and a task with nothing in scope.

    ``scope_names``: the scope option's value (``vhosts``, ``domains``); ``validate_scope_name(name, path)`` checks
    one; ``validate_entry(entry, state)`` checks one config entry, raising with paths relative to it;
    ``entry_key(entry)`` is (key, display name) of the item an entry names; ``scope_key(name)`` is what makes two
    scope names the same (domain names compare case-insensitively)."""
    config = config or []
    option = nouns.scope_plural
    if state == GATHERED and config:
        raise RelaySourceInputError('config', 'is not used with state=gathered, which reads the %s named in %s; '
                                    'remove it' % (option, option))
    if scope_names is not None and state not in SCOPED_STATES:
        reason = ('state=rendered reads nothing, so it can only render config' if state == RENDERED else
                  'state=%s changes only the %s that config lists' % (state, nouns.plural))
        raise RelaySourceInputError(option, 'is only used with state=overridden, deleted or gathered (%s); '
                                    'remove it' % reason)
    if isinstance(max_workers, bool) or not isinstance(max_workers, int) or \
            not MAX_WORKERS_RANGE[0] <= max_workers <= MAX_WORKERS_RANGE[1]:
        raise RelaySourceInputError('max_workers', 'must be a whole number from %d to %d, got %r' % (
            MAX_WORKERS_RANGE[0], MAX_WORKERS_RANGE[1], max_workers))
    named = {}
    for index, name in enumerate(scope_names or []):
        path = '%s[%d]' % (option, index)
        validate_scope_name(name, path)
        if scope_key(name) in named:
            raise RelaySourceInputError(path, '%s is already listed as %s; list each %s once' % (
                name, named[scope_key(name)], nouns.scope))
        named[scope_key(name)] = path
    listed = {}
    for index, entry in enumerate(config):
        path = 'config[%d]' % index
        try:
            validate_entry(entry, state)
        except RelaySourceInputError as error:
            raise RelaySourceInputError('%s.%s' % (path, error.path), error.problem)
        key, shown = entry_key(entry)
        if key in listed:
            raise RelaySourceInputError(path, '%s is already listed by %s; list each %s once' % (
                shown, listed[key], nouns.singular))
        listed[key] = path
        scope_name = entry[nouns.scope]
        if state == DELETED and scope_key(scope_name) in named:
            raise RelaySourceInputError('%s.%s' % (path, nouns.scope), '%s is also in %s (%s), which deletes every %s of '
                                        'it; name the %s in %s or its %s in config, not both' % (
                                            scope_name, option, named[scope_key(scope_name)], nouns.singular,
                                            nouns.scope, option, nouns.plural))
    if state == OVERRIDDEN and not config and not scope_names:
        raise RelaySourceInputError('config', 'is empty and %s names no %s, so state=overridden has nothing in scope; '
                                    'list the %s to keep in config, or name in %s the %s to empty' % (
                                        option, nouns.scope, nouns.plural, option, option))
    if state == GATHERED and not scope_names:
        raise RelaySourceInputError(option, 'must name at least one %s for state=gathered' % nouns.scope)


def scope_of(state, config, scope_names, nouns, scope_key=_same):
    """The scope keys (vhosts, domains) the task reads, each once (as ``scope_key`` compares them), in order of first
    mention (config's, then the scope option's), as first written."""
    names = [] if state == GATHERED else [entry[nouns.scope] for entry in config or []]
    if state in SCOPED_STATES:
        names += list(scope_names or [])
    first = {}
    for name in names:
        first.setdefault(scope_key(name), name)
    return list(first.values())


class ItemRun(object):
    """One item of the task: ``scope`` (the vhost or domain it belongs to, as the summary groups it), ``label`` (how
    the summary names it within its scope), ``change`` (its writer), and how its writes went (``error``,
    ``context``, ``request_ids``, ``started``). Subclasses say what the change does (``kind``, ``describe``) and
    which fields name the item in its result (``identity``)."""

    def __init__(self, scope, label, change):
        self.scope = scope
        self.label = label
        self.change = change
        self.error = None
        self.context = ''
        self.request_ids = []
        self.started = True

    @property
    def name(self):
        return '%s/%s' % (self.scope, self.label)

    @property
    def plan(self):
        return self.change.plan

    def identity(self):
        """The fields that name the item in its result entry, in order."""
        raise NotImplementedError

    def kind(self):
        """What the item's change does (CREATE, UPDATE, DELETE), None when it needs none."""
        raise NotImplementedError

    def describe(self):
        """The change in one line; '' for none."""
        raise NotImplementedError

    def apply(self, client, warn=None, stop=None):
        """Make the writes with ``client`` (the change's ``apply``); a failure is kept, never raised. ``warn`` gets
        each warning prefixed with the item's name."""
        start = len(client.request_ids)
        named_warn = None if warn is None else (lambda text: warn('%s: %s' % (self.name, text)))
        try:
            self.change.apply(client, warn=named_warn, stop=stop)
        except VolcengineError as error:
            self._failed(error)
        except Exception as exc:  # pylint: disable=broad-except
            self._failed(internal_error(exc))
        self.request_ids = list(client.request_ids[start:])
        return self

    def _failed(self, error):
        self.error = error
        self.context = self.change.failure_context(error)

    def status(self, check_mode):
        if not self.started:
            return STATUS_NOT_STARTED
        if self.error is not None:
            return STATUS_FAILED
        if not self.change.has_writes():
            return STATUS_UNCHANGED
        return STATUS_PLANNED if check_mode else STATUS_APPLIED

    def changed(self, check_mode):
        if self.error is not None or not self.started:
            return self.change.may_have_changed()
        return self.change.has_writes()

    def message(self):
        """What failed for this item, what to do, and what was and was not applied."""
        return ' '.join(part for part in (self.error.full_message(), self.context) if part)

    def result(self, check_mode):
        """The item's entry of the per-item results: compact for an applied or planned item; with the plan where it
        says more than the one-line change (a failure, a lost answer settled by a read, a write whose outcome a read
        had to confirm)."""
        result = self.identity()
        result.update(status=self.status(check_mode), change=self.describe(), changed=self.changed(check_mode),
                      actions=self.change.applied_actions(), request_ids=self.request_ids)
        if self.error is not None:
            result.update(self.error.to_result())
            result['msg'] = self.message()
        if self.error is not None or self.plan['verify'] or any(write['settled_by_read'] for write in self.plan['writes']):
            result['plan'] = self.plan
        return result


class ScopeRead(object):
    """One read of a vhost or a domain (``scope``): the RequestIds of its calls and, when it failed, ``error`` (an
    answer that is not understood included)."""

    def __init__(self, scope):
        self.scope = scope
        self.request_ids = []
        self.error = None

    def made_with(self, client, read):
        """Run ``read()``, which calls the API through ``client``; keep the RequestIds of its calls and the error
        that stopped it. Returns the ScopeRead."""
        start = len(client.request_ids)
        try:
            read()
        except VolcengineError as error:
            self.error = error
        self.request_ids = list(client.request_ids[start:])
        return self


class ManyItemsRun(object):
    """One run of a many-item module over ``scope`` (vhosts or domains, each read once) with ``read_one(client,
    name)``, which reads one of them and returns its ScopeRead. Subclasses set ``nouns``, ``state`` and
    ``apart_key``, fill ``items`` (ItemRuns) in ``plan`` (which may raise RelaySourceInputError for input only the
    reads show wrong), and give ``read_order``, ``item_diff``, ``gathered`` and ``entries_apart`` (the entries
    returned under ``apart_key``); read_plan_apply runs the steps."""

    nouns = None  # a Nouns
    # the return key of the entries the reads found that the module reports apart and never changes (entries_apart)
    apart_key = None

    def __init__(self, scope, max_workers, read_one):
        self.scope = scope
        self.max_workers = max_workers
        self.read_one = read_one
        self.reads = []
        self.items = []

    def read_order(self):
        """The ``key`` of every item the reads found, in the API's order."""
        raise NotImplementedError

    def item_diff(self, item):
        """The diff of one item that changes."""
        raise NotImplementedError

    def warnings(self):
        """What the planned changes should warn about."""
        return []

    # -- the steps ----------------------------------------------------------------------------------------

    def read(self, clients):
        """One read per scope key, concurrently; returns the first failed read (in scope order) or None."""
        self.reads = run_each(self.read_one, self.scope, self.max_workers, clients)
        return next((read for read in self.reads if read.error is not None), None)

    def apply(self, clients, warn=None, stop=None):
        """Every item's writes on the pool (items without writes take no worker); failures stay on their item. Once
        ``stop`` is set no item starts (``started`` false) and no write is sent."""
        pending = [item for item in self.items if item.change.has_writes()]
        for outcome in run_each(lambda client, item: item.apply(client, warn, stop), pending, self.max_workers, clients, stop):
            if isinstance(outcome, NotStarted):
                outcome.item.started = False

    # -- what the module returns ----------------------------------------------------------------------------

    def not_started(self):
        return [item for item in self.items if not item.started]

    def changed(self, check_mode):
        return any(item.changed(check_mode) for item in self.items)

    def failed(self):
        return [item for item in self.items if item.error is not None]

    def changing_items(self):
        """The items that change (or would change), those the reads found first in the API's order, then the new
        ones in the order they were planned (``config``'s)."""
        changing = dict((item.key, item) for item in self.items if item.kind() is not None)
        order = self.read_order()
        read_keys = set(order)
        order += [key for key in changing if key not in read_keys]
        return [changing[key] for key in order if key in changing]

    def diff(self, check_mode):
        """The summary (a prepared diff, printed as is), then one diff per item that changes (or would change): Ansible
        shows a list of diffs one after the other."""
        # Ansible prints a prepared diff as is: the newline keeps the first item's diff header on a line of its own.
        return [{'prepared': self.summary(check_mode) + '\n'}] + [self.item_diff(item) for item in self.changing_items()]

    def summary(self, check_mode):
        """One line: per scope key, how many items the task created, updated, deleted, left unchanged, failed or did
        not start (in check mode: would create...), naming them when they are few."""
        by_scope = dict((key, {}) for key in self.scope)
        for item in self.items:
            status = item.status(check_mode)
            label = _SUMMARY_LABELS[status] if status in _SUMMARY_LABELS else _SUMMARY_VERBS[item.kind()][0 if check_mode else 1]
            by_scope[item.scope].setdefault(label, []).append(item.label)
        parts = []
        for key, buckets in by_scope.items():
            entries = []
            for label in _SUMMARY_ORDER:
                labels = buckets.get(label)
                if labels:
                    named = ' (%s)' % ', '.join(labels) if len(labels) <= NAMED_IN_SUMMARY and label != 'unchanged' else ''
                    entries.append('%s %d%s' % (label, len(labels), named))
            parts.append('%s: %s' % (key, ', '.join(entries) or 'no %s' % self.nouns.singular))
        return '; '.join(parts)

    def items_result(self, check_mode):
        """The per-item results: an entry per item the run changed, would change, failed on or did not start (an
        unchanged item is counted in ``summary`` only, so that a task over an estate stays readable)."""
        return [item.result(check_mode) for item in self.items if item.status(check_mode) != STATUS_UNCHANGED]

    def requests(self, check_mode):
        return [request for item in self.items for request in item.requests(check_mode)]

    def request_ids(self):
        return [request_id for part in self.reads + self.items for request_id in part.request_ids]

    def failure_message(self, check_mode):
        """The message of a run in which items failed: how many and which, what became of the others (the applied
        ones named with their change, up to NAMED_IN_FAILURE), then each failed item's own message (up to three)."""
        plural = self.nouns.plural
        failed = self.failed()
        applied = [item for item in self.items if item.status(check_mode) == STATUS_APPLIED]
        unchanged = sum(1 for item in self.items if item.status(check_mode) == STATUS_UNCHANGED)
        names = ', '.join(item.name for item in failed[:10]) + (', ...' if len(failed) > 10 else '')
        lines = ['%d of %d %s failed (%s); %d %s applied and %d needed no change. The other %s were not held up by '
                 'the failures.' % (len(failed), len(self.items), plural, names, len(applied),
                                    'was' if len(applied) == 1 else 'were', unchanged, plural)]
        if applied:
            shown = ['%s (%s)' % (item.name, item.describe()) for item in applied[:NAMED_IN_FAILURE]]
            more = len(applied) - len(shown)
            lines.append('Applied: %s%s.' % ('; '.join(shown), ' and %d more' % more if more else ''))
        for item in failed[:3]:
            lines.append('Failed, %s (%s): %s' % (item.name, item.describe(), item.message()))
        if len(failed) > 3:
            lines.append('%d more failed %s: see %s[].' % (len(failed) - 3, plural, plural))
        return ' '.join(lines)

    def interrupt_message(self, signal_name, check_mode):
        """The message of a run stopped by a signal: what became of the items, by status."""
        singular, plural = self.nouns.singular, self.nouns.plural
        counts = {}
        for item in self.items:
            counts.setdefault(item.status(check_mode), []).append(item.name)
        parts = ['%d %s' % (len(names), status.replace('_', ' ')) for status, names in sorted(counts.items())]
        stopped = self.failed()
        return ('Stopped by %s: no write was sent after it arrived. %s: %s.%s Writes in flight ended or were '
                'abandoned within the timeout; %s[] says for each %s what was applied, not applied or unknown. '
                'Running the task again is safe: it reads every %s again and makes only the changes still needed.' % (
                    signal_name, plural.capitalize(), ', '.join(parts) or 'none',
                    (' Stopped part-way: %s.' % ', '.join(item.name for item in stopped[:10])) if stopped else '',
                    plural, singular, singular))


def read_plan_apply(module, run, clients, stop, failed_read_lead):
    """The steps of a task that reads (every state but rendered), each ending the task when it should: the reads, of
    which a failed one fails the task before any write (``failed_read_lead`` % its scope leads the message);
    gathered's result; the plan, whose input errors only the reads show fail the task before any write; its
    warnings; and, outside check mode, the writes."""
    failed_read = run.read(clients)
    if failed_read is not None:
        fail_from_error(module, failed_read.error, 'Nothing was written.', lead=failed_read_lead % failed_read.scope,
                        changed=False, request_ids=run.request_ids())
    if run.state == GATHERED:
        result = dict(changed=False, gathered=run.gathered())
        result[run.apart_key] = run.entries_apart()
        module.exit_json(request_ids=run.request_ids(), **result)
    try:
        run.plan()
    except RelaySourceInputError as error:
        module.fail_json(msg=str(error), path=error.path, changed=False, request_ids=run.request_ids())
    for warning in run.warnings():
        module.warn(warning)
    if not module.check_mode:
        run.apply(clients, warn=serialized(module.warn), stop=stop)


def finish(module, run, result, stop):
    """End a writing state's task with ``result`` (what the module returns either way, in its order): failed when
    a signal stopped the run (not in check mode, which writes nothing to stop) or any item failed, naming the first
    failure's error; otherwise with ``after`` and, in diff mode, ``diff``."""
    check_mode = module.check_mode
    if stop.is_set() and not check_mode:
        module.fail_json(msg='%s %s' % (run.interrupt_message(stop.signal_name, check_mode), result['summary']), **result)
    failed = run.failed()
    if failed:
        result.update(failed[0].error.to_result())
        module.fail_json(msg=run.failure_message(check_mode), **result)
    result['after'] = run.after()
    if module._diff:
        result['diff'] = run.diff(check_mode)
    module.exit_json(**result)
