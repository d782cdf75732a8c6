# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.cloud collection: not an API for other collections, roles or plugins. It may change
# incompatibly, or go, in any release of the collection (a patch release included) without notice.
"""The relay sources of many apps in one task (volc_live_relay_sources): validation of the whole input, the scope,
one vhost-wide read per vhost, a plan per app, the writes on a pool of worker threads, and the per-app results.

Each app is decided and written exactly as volc_live_relay_source decides and writes it, by the closed-loop writer
(relay_source_writer.AppChange): ``merged`` is its purge_groups=false, ``replaced`` and ``overridden`` its
purge_groups=true, ``deleted`` its state=absent. This file adds what only a set of apps has:

* Scope: the vhosts the task reads, each once, with DescribeRelaySourceV3 without App (which lists every app of
  the vhost): the vhosts of ``config`` for every writing state, plus ``vhosts`` for overridden and deleted;
  ``vhosts`` alone for gathered. A vhost in neither is never read or written.
* Apps: every ``config`` entry; for overridden also every app of a vhost in scope that ``config`` does not list
  (deleted whole); for deleted with ``vhosts``, every app of those vhosts.
* The vhost-wide configuration (an entry whose App is "" or "*"): never planned, written or deleted, whatever
  the state, because deleting it means a DeleteRelaySourceV3 without App, and the API documents no way to
  write it. It is reported apart (``vhost_wide``), not in ``before``/``after``/``gathered``, so that gathered
  output fed back as ``config`` lists real apps only and changes nothing.
* Failure isolation: an app's failure is recorded on its AppRun and the others go on; any failed read (an answer
  that is not understood included) stops the task before the first write.
* Interrupts: once SIGINT or SIGTERM arrived, no app starts and no write is sent (interrupts.StopFlag); each app
  says whether it was applied, stopped part-way (what was applied, not applied or unknown) or not started.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineError
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source import (
    StoredApp, app_diff, config as app_config, group_names)
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_api import VHOST_WIDE_APPS, read_apps
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_input import (
    RelaySourceInputError,
    validate_app,
    validate_groups,
    validate_vhost,
)
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_writer import AppChange
from ansible_collections.volcengine.cloud.plugins.module_utils.worker_pool import NotStarted, internal_error, run_each

MERGED, REPLACED, OVERRIDDEN, DELETED, GATHERED, RENDERED = 'merged', 'replaced', 'overridden', 'deleted', 'gathered', 'rendered'
STATES = (MERGED, REPLACED, OVERRIDDEN, DELETED, GATHERED, RENDERED)
WRITING_STATES = (MERGED, REPLACED, OVERRIDDEN, DELETED)
# How each writing state decides one listed app: (relay_source state, purge_groups).
_APP_STATE = {MERGED: ('present', False), REPLACED: ('present', True), OVERRIDDEN: ('present', True),
              DELETED: ('absent', True), RENDERED: ('present', True)}
DEFAULT_MAX_WORKERS = 10
MAX_WORKERS_RANGE = (1, 100)

STATUS_UNCHANGED, STATUS_PLANNED, STATUS_APPLIED, STATUS_FAILED = 'unchanged', 'planned', 'applied', 'failed'
STATUS_NOT_STARTED = 'not_started'  # an interrupt arrived before the app's first write
# What a change does to an app, as the summary counts it.
CREATE, UPDATE, DELETE = 'create', 'update', 'delete'
# Apps named in a summary entry when there are at most this many; above, the count alone.
NAMED_IN_SUMMARY = 5
# Applied apps named in the message of a failed run, each with its one-line change; the rest are counted.
NAMED_IN_FAILURE = 20


# --------------------------------------------------------------------------------------------------------------
# Validation and scope (no I/O)
# --------------------------------------------------------------------------------------------------------------

def _groups_required(state):
    if state == MERGED:
        return 'is required with state=merged: list the groups to create or update'
    return 'is required with state=%s; use groups: [] for an app that should have no relay source' % state


def _validate_entry(entry, state):
    """One config entry, with paths relative to it (``groups[0].servers[1].domain``)."""
    app_state = _APP_STATE[state][0]
    validate_vhost(entry.get('vhost'))
    app = entry.get('app')
    if app in VHOST_WIDE_APPS:
        raise RelaySourceInputError('app', 'is %r, the vhost-wide configuration, which this module never changes; '
                                    'list real app names (1 to 30 ASCII letters, digits, "_", "-" and ".")' % app)
    validate_app(app)
    if entry.get('groups') is None and app_state == 'present':
        raise RelaySourceInputError('groups', _groups_required(state))
    validate_groups(entry.get('groups'), app_state)


def validate(state, config, vhosts, max_workers=DEFAULT_MAX_WORKERS):
    """Check every value before any request; RelaySourceInputError naming the first bad one by its path, for
    example ``config[3].groups[0].servers[1].domain``. Also refuses what the state cannot use, an app listed twice,
    and an overridden task with nothing in scope."""
    config = config or []
    if state == GATHERED and config:
        raise RelaySourceInputError('config', 'is not used with state=gathered, which reads the vhosts named in vhosts; '
                                    'remove it')
    if vhosts is not None and state not in (OVERRIDDEN, DELETED, GATHERED):
        reason = ('state=rendered reads nothing, so it can only render config' if state == RENDERED else
                  'state=%s changes only the apps that config lists' % state)
        raise RelaySourceInputError('vhosts', 'is only used with state=overridden, deleted or gathered (%s); '
                                    'remove it' % reason)
    if isinstance(max_workers, bool) or not isinstance(max_workers, int) or \
            not MAX_WORKERS_RANGE[0] <= max_workers <= MAX_WORKERS_RANGE[1]:
        raise RelaySourceInputError('max_workers', 'must be a whole number from %d to %d, got %r' % (
            MAX_WORKERS_RANGE[0], MAX_WORKERS_RANGE[1], max_workers))
    named = {}
    for index, vhost in enumerate(vhosts or []):
        path = 'vhosts[%d]' % index
        validate_vhost(vhost, path)
        if vhost in named:
            raise RelaySourceInputError(path, '%s is already listed as %s; list each vhost once' % (vhost, named[vhost]))
        named[vhost] = path
    listed = {}
    for index, entry in enumerate(config):
        path = 'config[%d]' % index
        try:
            _validate_entry(entry, state)
        except RelaySourceInputError as error:
            raise RelaySourceInputError('%s.%s' % (path, error.path), error.problem)
        key = (entry['vhost'], entry['app'])
        if key in listed:
            raise RelaySourceInputError(path, '%s/%s is already listed by %s; list each app once' % (key + (listed[key],)))
        listed[key] = path
        if state == DELETED and entry['vhost'] in named:
            raise RelaySourceInputError(path + '.vhost', '%s is also in vhosts (%s), which deletes every app of it; name '
                                        'the vhost in vhosts or its apps in config, not both' % (entry['vhost'], named[entry['vhost']]))
    if state == OVERRIDDEN and not config and not vhosts:
        raise RelaySourceInputError('config', 'is empty and vhosts names no vhost, so state=overridden has nothing in '
                                    'scope; list the apps to keep in config, or name in vhosts the vhosts to empty')
    if state == GATHERED and not vhosts:
        raise RelaySourceInputError('vhosts', 'must name at least one vhost for state=gathered')


def scope_of(state, config, vhosts):
    """The vhosts the task reads, each once, in order of first mention (config's, then vhosts')."""
    names = [] if state == GATHERED else [entry['vhost'] for entry in config or []]
    if state in (OVERRIDDEN, DELETED, GATHERED):
        names += list(vhosts or [])
    return list(dict.fromkeys(names))


def change_kind(current, after):
    """CREATE, UPDATE, DELETE, or None when ``current`` and ``after`` (groups) are the same."""
    if current == after:
        return None
    if not current:
        return CREATE
    return DELETE if not after else UPDATE


def describe_change(current, after):
    """One line for a change of one app: ``create groups primary, backup``, ``delete groups primary``, or ``update:
    group primary changed, standby added, legacy removed, order now backup, primary``; '' for no change."""
    kind = change_kind(current, after)
    if kind is None:
        return ''
    if kind != UPDATE:
        return '%s groups %s' % (kind, ', '.join(group_names(after if kind == CREATE else current)))
    before = dict((group['name'], group) for group in current)
    names_after = group_names(after)
    parts = []
    changed = [group['name'] for group in after if group['name'] in before and before[group['name']] != group]
    added = [name for name in names_after if name not in before]
    removed = [name for name in group_names(current) if name not in names_after]
    for names, verb in ((changed, 'changed'), (added, 'added'), (removed, 'removed')):
        if names:
            parts.append('group%s %s %s' % ('s' if len(names) > 1 else '', ', '.join(names), verb))
    kept = [name for name in names_after if name in before]
    if kept != [name for name in group_names(current) if name in names_after]:
        parts.append('order now %s' % ', '.join(names_after))
    return 'update: ' + '; '.join(parts)


def render(config):
    """The API requests (``{'action', 'body'}``) ``config`` maps to, for apps where nothing is configured yet: each
    entry's writes as the writer plans them from an empty configuration, in config order (one UpdateRelaySourceV3
    with the listed groups; nothing for ``groups: []``)."""
    requests = []
    for entry in config or []:
        change = AppChange(StoredApp(entry['vhost'], entry['app'], []), entry['groups'], 'present')
        requests.extend(dict((key, request[key]) for key in ('action', 'body')) for request in change.requests(True))
    return requests


# --------------------------------------------------------------------------------------------------------------
# One run
# --------------------------------------------------------------------------------------------------------------

class VhostRead(object):
    """One vhost-wide read: ``apps`` (app -> StoredApp, in the API's order), ``vhost_wide`` (entries in config
    shape), ``request_ids`` and, when it failed, ``error``."""

    def __init__(self, vhost):
        self.vhost = vhost
        self.apps = {}
        self.vhost_wide = []
        self.request_ids = []
        self.error = None


def read_vhost(client, vhost):
    """One DescribeRelaySourceV3 without App; a VhostRead (with ``error`` set when the read failed, an answer listing
    another vhost included: relay_source_api checks every entry)."""
    read = VhostRead(vhost)
    start = len(client.request_ids)
    try:
        for stored in read_apps(client, vhost):
            if stored.app in VHOST_WIDE_APPS:
                read.vhost_wide.append(stored.config())
            else:
                read.apps[stored.app] = stored
    except VolcengineError as error:
        read.error = error
    read.request_ids = list(client.request_ids[start:])
    return read


class AppRun(object):
    """One app of the task: the app as read (``stored``), what the task declares (``listed``: groups, or None for a
    whole-app delete), its AppChange (the plan, and ``after``, the groups it leaves), and how its writes went
    (``error``, ``context``, ``request_ids``, ``started``)."""

    def __init__(self, stored, listed, state):
        app_state, purge_groups = _APP_STATE[state]
        self.vhost = stored.vhost
        self.app = stored.app
        self.stored = stored
        self.current = stored.groups
        self.listed = listed
        self.change = AppChange(stored, listed, app_state, purge_groups)
        self.plan, self.after = self.change.plan, self.change.after
        self.error = None
        self.context = ''
        self.request_ids = []
        self.started = True

    @property
    def name(self):
        return '%s/%s' % (self.vhost, self.app)

    def apply(self, client, warn=None, stop=None):
        """Make the writes with ``client`` (AppChange.apply); a failure is kept, never raised."""
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

    def kind(self):
        """What the app's change does (CREATE, UPDATE, DELETE), None when it needs none."""
        return change_kind(self.current, self.after)

    def describe(self):
        return describe_change(self.current, self.after)

    def message(self):
        """What failed for this app, what to do, and what was and was not applied."""
        return ' '.join(part for part in (self.error.full_message(), self.context) if part)

    def result(self, check_mode):
        """The app's entry of ``apps``: compact for an applied or planned app; with the plan where it says more than
        the one-line change (a failure, a lost answer settled by a read, an update whose outcome depended on the API's
        behaviour, so that a read followed it)."""
        result = {'vhost': self.vhost, 'app': self.app, 'status': self.status(check_mode), 'change': self.describe(),
                  'changed': self.changed(check_mode), 'actions': self.change.applied_actions(),
                  'request_ids': self.request_ids}
        if self.error is not None:
            result.update(self.error.to_result())
            result['msg'] = self.message()
        if self.error is not None or self.plan['verify'] or any(write['settled_by_read'] for write in self.plan['writes']):
            result['plan'] = self.plan
        return result

    def requests(self, check_mode):
        """The writes as API requests with their outcome: made (or, in check mode, planned) only; each names its action,
        vhost, app and groups (the bodies are what ``rendered`` and ``diff`` show)."""
        compact = []
        for request in self.change.requests(check_mode):
            body = request['body']
            entry = {'action': request['action'], 'vhost': body['Vhost'], 'app': body['App'], 'outcome': request['outcome']}
            if 'GroupDetails' in body:
                entry['groups'] = [detail['Group'] for detail in body['GroupDetails']]
            elif 'Group' in body:
                entry['groups'] = [body['Group']]
            compact.append(entry)
        return compact


class RelaySourcesRun(object):
    """One run of the module over its scope: ``read``, then ``plan``, then (unless check mode) ``apply``; the
    other methods are what the module returns."""

    def __init__(self, state, config, vhosts, max_workers=DEFAULT_MAX_WORKERS):
        self.state = state
        self.config = config or []
        self.vhosts = vhosts or []
        self.max_workers = max_workers
        self.scope = scope_of(state, self.config, self.vhosts)
        self.reads = []
        self.apps = []

    # -- the steps ----------------------------------------------------------------------------------------

    def read(self, clients):
        """One vhost-wide read per vhost in scope, concurrently; returns the first failed VhostRead (in scope
        order) or None."""
        self.reads = run_each(read_vhost, self.scope, self.max_workers, clients)
        return next((read for read in self.reads if read.error is not None), None)

    def plan(self):
        """An AppRun per app of the task: config's entries in order, then the apps the state deletes whole."""
        by_vhost = dict((read.vhost, read.apps) for read in self.reads)
        listed = set()
        for entry in self.config:
            listed.add((entry['vhost'], entry['app']))
            stored = by_vhost[entry['vhost']].get(entry['app']) or StoredApp(entry['vhost'], entry['app'], [])
            self.apps.append(AppRun(stored, entry['groups'], self.state))
        purged = self.scope if self.state == OVERRIDDEN else self.vhosts if self.state == DELETED else []
        for vhost in purged:
            for app, stored in by_vhost[vhost].items():
                if (vhost, app) not in listed:
                    self.apps.append(AppRun(stored, None, DELETED))
        return self.apps

    def warnings(self):
        """What the planned changes drop that the collection does not manage, one sentence per group."""
        return [text for run in self.apps for text in run.change.dropped_fields_warnings()]

    def apply(self, clients, warn=None, stop=None):
        """Every app's writes on the pool (apps without writes take no worker); failures stay on their AppRun. Once
        ``stop`` is set no app starts (``started`` false) and no write is sent."""
        pending = [run for run in self.apps if run.change.has_writes()]
        for outcome in run_each(lambda client, run: run.apply(client, warn, stop), pending, self.max_workers, clients, stop):
            if isinstance(outcome, NotStarted):
                outcome.item.started = False

    def not_started(self):
        return [run for run in self.apps if not run.started]

    # -- what the module returns ----------------------------------------------------------------------------

    def changed(self, check_mode):
        return any(run.changed(check_mode) for run in self.apps)

    def failed(self):
        return [run for run in self.apps if run.error is not None]

    def gathered(self):
        return [stored.config() for read in self.reads for stored in read.apps.values()]

    def vhost_wide(self):
        return [entry for read in self.reads for entry in read.vhost_wide]

    def _changing_runs(self):
        """The AppRuns whose app changes (or would change), the apps read first in the API's order, then the new
        ones in config order."""
        runs = dict(((run.vhost, run.app), run) for run in self.apps if run.kind() is not None)
        order = [(read.vhost, app) for read in self.reads for app in read.apps]
        read_keys = set(order)
        order += [key for key in runs if key not in read_keys]
        return [runs[key] for key in order if key in runs]

    def before(self):
        """The configuration, as read, of the apps the run changes (or would change) only: at estate scale, the
        apps left as they are would fill the output (state=gathered returns everything)."""
        return [app_config(run.vhost, run.app, run.current) for run in self._changing_runs() if run.current]

    def after(self):
        """The configuration the run leaves (in check mode: would leave) in the apps it changes; an app it empties
        is left out."""
        return [app_config(run.vhost, run.app, run.after) for run in self._changing_runs() if run.after]

    def diff(self, check_mode):
        """The summary (a prepared diff, printed as is), then one diff per app the run changes (or would change),
        each with headers naming its vhost and app (relay_source.app_diff): Ansible shows a list of diffs one after
        the other."""
        # Ansible prints a prepared diff as is: the newline keeps the first app's diff header on a line of its own.
        return [{'prepared': self.summary(check_mode) + '\n'}] + [
            app_diff(run.vhost, run.app, run.current, run.after, run.stored) for run in self._changing_runs()]

    def summary(self, check_mode):
        """One line: per vhost in scope, how many apps the task created, updated, deleted, left unchanged, failed or
        did not start (in check mode: would create...), naming them when they are few."""
        verbs = {CREATE: ('would create', 'created'), UPDATE: ('would update', 'updated'), DELETE: ('would delete', 'deleted')}
        labels = {STATUS_FAILED: 'failed', STATUS_NOT_STARTED: 'not started', STATUS_UNCHANGED: 'unchanged'}
        by_vhost = dict((vhost, {}) for vhost in self.scope)
        for run in self.apps:
            status = run.status(check_mode)
            label = labels[status] if status in labels else verbs[run.kind()][0 if check_mode else 1]
            by_vhost[run.vhost].setdefault(label, []).append(run.app)
        parts = []
        for vhost, buckets in by_vhost.items():
            entries = []
            for label in ('would create', 'created', 'would update', 'updated', 'would delete', 'deleted', 'failed',
                          'not started', 'unchanged'):
                apps = buckets.get(label)
                if apps:
                    named = ' (%s)' % ', '.join(apps) if len(apps) <= NAMED_IN_SUMMARY and label != 'unchanged' else ''
                    entries.append('%s %d%s' % (label, len(apps), named))
            parts.append('%s: %s' % (vhost, ', '.join(entries) or 'no app'))
        return '; '.join(parts)

    def apps_result(self, check_mode):
        """The ``apps`` return value: an entry per app the run changed, would change, failed on or did not start
        (an unchanged app is counted in ``summary`` only)."""
        return [run.result(check_mode) for run in self.apps if run.status(check_mode) != STATUS_UNCHANGED]

    def requests(self, check_mode):
        return [request for run in self.apps for request in run.requests(check_mode)]

    def request_ids(self):
        return [request_id for part in self.reads + self.apps for request_id in part.request_ids]

    def failure_message(self, check_mode):
        """The message of a run in which apps failed: how many and which, what became of the others (the applied
        ones named with their change, up to NAMED_IN_FAILURE), then each failed app's own message (up to three)."""
        failed = self.failed()
        applied = [run for run in self.apps if run.status(check_mode) == STATUS_APPLIED]
        unchanged = sum(1 for run in self.apps if run.status(check_mode) == STATUS_UNCHANGED)
        names = ', '.join(run.name for run in failed[:10]) + (', ...' if len(failed) > 10 else '')
        lines = ['%d of %d apps failed (%s); %d %s applied and %d needed no change. The other apps were not held up by '
                 'the failures.' % (len(failed), len(self.apps), names, len(applied), 'was' if len(applied) == 1 else 'were',
                                    unchanged)]
        if applied:
            shown = ['%s (%s)' % (run.name, run.describe()) for run in applied[:NAMED_IN_FAILURE]]
            more = len(applied) - len(shown)
            lines.append('Applied: %s%s.' % ('; '.join(shown), ' and %d more' % more if more else ''))
        for run in failed[:3]:
            lines.append('Failed, %s (%s): %s' % (run.name, run.describe(), run.message()))
        if len(failed) > 3:
            lines.append('%d more failed apps: see apps[].' % (len(failed) - 3))
        return ' '.join(lines)

    def interrupt_message(self, signal_name, check_mode):
        """The message of a run stopped by a signal: what became of the apps, by status."""
        counts = {}
        for run in self.apps:
            counts.setdefault(run.status(check_mode), []).append(run.name)
        parts = ['%d %s' % (len(names), status.replace('_', ' ')) for status, names in sorted(counts.items())]
        stopped = self.failed()
        return ('Stopped by %s: no write was sent after it arrived. Apps: %s.%s Writes in flight ended or were '
                'abandoned within the timeout; apps[] says for each app what was applied, not applied or unknown. '
                'Running the task again is safe: it reads every app again and makes only the changes still needed.' % (
                    signal_name, ', '.join(parts) or 'none',
                    (' Stopped part-way: %s.' % ', '.join(run.name for run in stopped[:10])) if stopped else ''))
