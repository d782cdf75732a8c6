# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
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
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source import StoredApp, app_diff, config as app_config
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

    def result(self, check_mode):
        result = {'vhost': self.vhost, 'app': self.app, 'status': self.status(check_mode),
                  'changed': self.changed(check_mode), 'actions': self.change.applied_actions(), 'plan': self.plan,
                  'request_ids': self.request_ids}
        if self.error is not None:
            result.update(self.error.to_result())
            result['msg'] = ' '.join(part for part in (self.error.full_message(), self.context) if part)
        return result

    def requests(self, check_mode):
        """The writes as API requests with their outcome: made (or, in check mode, planned) only."""
        return self.change.requests(check_mode)


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

    def after(self):
        """The configuration the run leaves (in check mode: would leave) in the vhosts in scope: each app as read
        with the task's apps replaced by what their plans leave (an emptied app is left out), then the new apps in
        config order."""
        leaves = dict(((run.vhost, run.app), run.after) for run in self.apps)
        configs = []
        for read in self.reads:
            apps = dict((app, stored.groups) for app, stored in read.apps.items())
            for run in self.apps:
                if run.vhost == read.vhost:
                    apps[run.app] = leaves[(run.vhost, run.app)]
            configs.extend(app_config(read.vhost, app, groups) for app, groups in apps.items() if groups)
        return configs

    def diff(self):
        """One diff per app the run changes (or would change), each with headers naming its vhost and app
        (relay_source.app_diff): Ansible shows a list of diffs one after the other. The apps read come first, in the
        API's order, then the new ones in config order."""
        def keyed(configs):
            return dict(((entry['vhost'], entry['app']), entry['groups']) for entry in configs)
        before, after = keyed(self.gathered()), keyed(self.after())
        stored = dict(((run.vhost, run.app), run.stored) for run in self.apps)
        apps = list(before) + [key for key in after if key not in before]
        return [app_diff(vhost, app, before.get((vhost, app)), after.get((vhost, app)), stored.get((vhost, app)))
                for vhost, app in apps if before.get((vhost, app)) != after.get((vhost, app))]

    def results(self, check_mode):
        return [run.result(check_mode) for run in self.apps]

    def requests(self, check_mode):
        return [request for run in self.apps for request in run.requests(check_mode)]

    def request_ids(self):
        return [request_id for part in self.reads + self.apps for request_id in part.request_ids]

    def failure_lead(self, check_mode):
        """The start of the message of a run in which apps failed: how many, which, and what became of the others;
        the first failed app's own message follows it."""
        failed = self.failed()
        counts = {}
        for run in self.apps:
            counts[run.status(check_mode)] = counts.get(run.status(check_mode), 0) + 1
        names = ', '.join(run.name for run in failed[:10]) + (', ...' if len(failed) > 10 else '')
        return ('%d of %d apps failed (%s); %d %s applied and %d needed no change. The other apps were not held up '
                'by the failures. First failure, %s:' % (
                    len(failed), len(self.apps), names, counts.get(STATUS_APPLIED, 0),
                    'was' if counts.get(STATUS_APPLIED, 0) == 1 else 'were', counts.get(STATUS_UNCHANGED, 0),
                    failed[0].name))

    def interrupt_message(self, signal_name, check_mode):
        """The message of a run stopped by a signal: what became of the apps, by status."""
        counts = {}
        for run in self.apps:
            counts.setdefault(run.status(check_mode), []).append(run.name)
        parts = ['%d %s' % (len(names), status.replace('_', ' ')) for status, names in sorted(counts.items())]
        stopped = self.failed()
        return ('Stopped by %s: no write was sent after it arrived. Apps: %s.%s Writes in flight ended or were '
                'abandoned within the timeout; results[] says for each app what was applied, not applied or unknown. '
                'Running the task again is safe: it reads every app again and makes only the changes still needed.' % (
                    signal_name, ', '.join(parts) or 'none',
                    (' Stopped part-way: %s.' % ', '.join(run.name for run in stopped[:10])) if stopped else ''))
