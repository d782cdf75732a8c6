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

What every many-item module shares (the checks of the states' options, the reads and writes on the worker pool, the
per-item results, the summary, the failure and interrupt messages, the diff order) is in many_items.py; this file
says what an app is there.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.volcengine.cloud.plugins.module_utils.many_items import (
    CREATE,
    DEFAULT_MAX_WORKERS,
    DELETE,
    DELETED,
    MERGED,
    OVERRIDDEN,
    RENDERED,
    REPLACED,
    UPDATE,
    ItemRun,
    ManyItemsRun,
    Nouns,
    ScopeRead,
    validate_task,
)
from ansible_collections.volcengine.cloud.plugins.module_utils.many_items import scope_of as many_items_scope_of
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

NOUNS = Nouns('app', 'apps', 'vhost', 'vhosts')
# How each writing state decides one listed app: (relay_source state, purge_groups).
_APP_STATE = {MERGED: ('present', False), REPLACED: ('present', True), OVERRIDDEN: ('present', True),
              DELETED: ('absent', True), RENDERED: ('present', True)}


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
    and an overridden task with nothing in scope (many_items.validate_task)."""
    validate_task(state, config, vhosts, max_workers, NOUNS, validate_vhost, _validate_entry,
                  lambda entry: ((entry['vhost'], entry['app']), '%s/%s' % (entry['vhost'], entry['app'])))


def scope_of(state, config, vhosts):
    """The vhosts the task reads, each once, in order of first mention (config's, then vhosts')."""
    return many_items_scope_of(state, config, vhosts, NOUNS)


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

class VhostRead(ScopeRead):
    """One vhost-wide read (many_items.ScopeRead): ``apps`` (app -> StoredApp, in the API's order) and
    ``vhost_wide`` (entries in config shape)."""

    def __init__(self, vhost):
        super(VhostRead, self).__init__(vhost)
        self.vhost = vhost
        self.apps = {}
        self.vhost_wide = []


def read_vhost(client, vhost):
    """One DescribeRelaySourceV3 without App, as a VhostRead (its ``error`` set when the read failed, an answer
    listing another vhost included: relay_source_api checks every entry)."""
    read = VhostRead(vhost)

    def keep_apps():
        for stored in read_apps(client, vhost):
            if stored.app in VHOST_WIDE_APPS:
                read.vhost_wide.append(stored.config())
            else:
                read.apps[stored.app] = stored
    return read.made_with(client, keep_apps)


class AppRun(ItemRun):
    """One app of the task: the app as read (``stored``), what the task declares (``listed``: groups, or None for a
    whole-app delete), its AppChange (the plan, and ``after``, the groups it leaves), and how its writes went
    (many_items.ItemRun)."""

    def __init__(self, stored, listed, state):
        app_state, purge_groups = _APP_STATE[state]
        super(AppRun, self).__init__(stored.vhost, stored.app, AppChange(stored, listed, app_state, purge_groups))
        self.vhost = stored.vhost
        self.app = stored.app
        self.key = (self.vhost, self.app)
        self.stored = stored
        self.current = stored.groups
        self.listed = listed
        self.after = self.change.after

    def identity(self):
        return {'vhost': self.vhost, 'app': self.app}

    def kind(self):
        return change_kind(self.current, self.after)

    def describe(self):
        return describe_change(self.current, self.after)

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


class RelaySourcesRun(ManyItemsRun):
    """One run of the module over its scope: ``read``, then ``plan``, then (unless check mode) ``apply``; the
    other methods are what the module returns (many_items.ManyItemsRun has those every many-item module shares)."""

    nouns = NOUNS
    apart_key = 'vhost_wide'

    def __init__(self, state, config, vhosts, max_workers=DEFAULT_MAX_WORKERS):
        self.state = state
        self.config = config or []
        self.vhosts = vhosts or []
        super(RelaySourcesRun, self).__init__(scope_of(state, self.config, self.vhosts), max_workers, read_vhost)

    @property
    def apps(self):
        return self.items

    def plan(self):
        """An AppRun per app of the task: config's entries in order, then the apps the state deletes whole."""
        by_vhost = dict((read.vhost, read.apps) for read in self.reads)
        listed = set()
        for entry in self.config:
            listed.add((entry['vhost'], entry['app']))
            stored = by_vhost[entry['vhost']].get(entry['app']) or StoredApp(entry['vhost'], entry['app'], [])
            self.items.append(AppRun(stored, entry['groups'], self.state))
        purged = self.scope if self.state == OVERRIDDEN else self.vhosts if self.state == DELETED else []
        for vhost in purged:
            for app, stored in by_vhost[vhost].items():
                if (vhost, app) not in listed:
                    self.items.append(AppRun(stored, None, DELETED))
        return self.items

    def warnings(self):
        """What the planned changes drop that the collection does not manage, one sentence per group."""
        return [text for run in self.items for text in run.change.dropped_fields_warnings()]

    # -- what the module returns ----------------------------------------------------------------------------

    def gathered(self):
        return [stored.config() for read in self.reads for stored in read.apps.values()]

    def vhost_wide(self):
        return [entry for read in self.reads for entry in read.vhost_wide]

    def entries_apart(self):
        return self.vhost_wide()

    def read_order(self):
        return [(read.vhost, app) for read in self.reads for app in read.apps]

    def before(self):
        """The configuration, as read, of the apps the run changes (or would change) only: at estate scale, the
        apps left as they are would fill the output (state=gathered returns everything)."""
        return [app_config(run.vhost, run.app, run.current) for run in self.changing_items() if run.current]

    def after(self):
        """The configuration the run leaves (in check mode: would leave) in the apps it changes; an app it empties
        is left out."""
        return [app_config(run.vhost, run.app, run.after) for run in self.changing_items() if run.after]

    def item_diff(self, item):
        """One app's diff, with headers naming its vhost and app (relay_source.app_diff)."""
        return app_diff(item.vhost, item.app, item.current, item.after, item.stored)

    def apps_result(self, check_mode):
        """The ``apps`` return value (many_items.ManyItemsRun.items_result)."""
        return self.items_result(check_mode)
