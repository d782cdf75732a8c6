# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.cloud collection: not an API for other collections, roles or plugins. It may change
# incompatibly, or go, in any release of the collection (a patch release included) without notice.
"""The fixed-trigger relay of many streams in one task (volc_live_scheduled_relay_sources): validation of the whole
input, the scope, one paged read per domain, a plan per stream, the writes on the worker pool, and what the module
returns; many_items.py holds what it shares with volc_live_relay_sources (the states' options, the pool, the
per-item results, summary, messages and diff order).

* Scope: the domains the task reads, each once (compared case-insensitively), with ListRelaySourceV4: the domains of
  ``config`` for every writing state, plus ``domains`` for overridden and deleted; ``domains`` alone for gathered.
* Streams: every ``config`` entry; for overridden also every stream of a domain in scope that ``config`` does not
  list (deleted), except streams whose window has ended; for deleted with ``domains``, every stream of those domains.
* What an entry declares (scheduled_relay_input.declared_stream): its origins, and its window, or none (permanent);
  with ``merged`` an entry without a window keeps an existing stream's window. A stream whose origins or window
  differ gets ONE UpdateRelaySourceV4 (scheduled_relay_writer.StreamChange).
* Windows that have ended: ``validate`` refuses a declared one before any call (it would pull nothing), so no write
  carries one. A stream read with one is returned apart (``ended``), never in ``gathered``; ``overridden`` leaves it
  alone, so that gathered output fed back changes nothing; ``deleted`` deletes it when listed or in ``domains``; an
  entry of ``merged`` without a window whose stream's window has ended and whose origins differ cannot keep the
  window, and the task stops before any write (``plan`` raises, naming the entry).
* Everything is decided at one instant, ``now``, given by the module: the window checks and which windows have ended.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.volcengine.cloud.plugins.module_utils import many_items
from ansible_collections.volcengine.cloud.plugins.module_utils.interrupts import Interrupted
from ansible_collections.volcengine.cloud.plugins.module_utils.many_items import (
    CREATE,
    DELETE,
    DELETED,
    MERGED,
    OVERRIDDEN,
    UPDATE,
    ItemRun,
    ManyItemsRun,
    Nouns,
    ScopeRead,
)
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_input import RelaySourceInputError
from ansible_collections.volcengine.cloud.plugins.module_utils.scheduled_relay import (
    Stream,
    describe_change,
    iso_utc,
    stream_diff,
    stream_key,
)
from ansible_collections.volcengine.cloud.plugins.module_utils.scheduled_relay_api import (
    ACTION_CREATE,
    list_streams,
    write_body,
)
from ansible_collections.volcengine.cloud.plugins.module_utils.scheduled_relay_input import (
    declared_stream,
    validate_domain_name,
    validate_entry,
)
from ansible_collections.volcengine.cloud.plugins.module_utils.scheduled_relay_writer import StreamChange

NOUNS = Nouns('stream', 'streams', 'domain', 'domains')


def _domain_key(domain):
    return domain.lower()


def _entry_key(entry):
    return (stream_key(entry['domain'], entry['app'], entry['stream']),
            '%s/%s/%s' % (entry['domain'], entry['app'], entry['stream']))


# --------------------------------------------------------------------------------------------------------------
# Validation, scope and rendering (no I/O)
# --------------------------------------------------------------------------------------------------------------

def validate(state, config, domains, max_workers, now):
    """Check every value before any request (``now``: Unix seconds, for windows already past);
    RelaySourceInputError naming the first bad one by its path, for example ``config[3].origins[1]``."""
    many_items.validate_task(state, config, domains, max_workers, NOUNS, validate_domain_name,
                             lambda entry, entry_state: validate_entry(entry, entry_state, now), _entry_key,
                             scope_key=_domain_key)


def scope_of(state, config, domains):
    """The domains the task reads, each once (compared case-insensitively, as first written), in order of first
    mention (config's, then domains')."""
    return many_items.scope_of(state, config, domains, NOUNS, scope_key=_domain_key)


def render(config, now):
    """The API requests (``{'action', 'body'}``) ``config`` maps to for streams that have no configuration yet: one
    CreateRelaySourceV4 per entry, in order."""
    return [{'action': ACTION_CREATE, 'body': write_body(declared_stream(entry, now))} for entry in config or []]


# --------------------------------------------------------------------------------------------------------------
# One run
# --------------------------------------------------------------------------------------------------------------

class DomainRead(ScopeRead):
    """One domain's read (many_items.ScopeRead): ``streams`` (stream_key -> Stream, in the API's order)."""

    def __init__(self, domain):
        super(DomainRead, self).__init__(domain)
        self.domain = domain
        self.streams = {}


def read_domain(client, domain):
    """Every page of ListRelaySourceV4 for ``domain``, as a DomainRead (its ``error`` set when the read failed, an
    answer that is not understood included)."""
    read = DomainRead(domain)

    def keep_streams():
        for stream in list_streams(client, domain):
            read.streams[stream.key] = stream
    return read.made_with(client, keep_streams)


class StreamRun(ItemRun):
    """One stream of the task: ``stored`` (as read, None when it has no configuration), ``declared`` (what it should
    be, None to delete it), its StreamChange, and how its write went (many_items.ItemRun)."""

    def __init__(self, scope, named, stored, declared):
        super(StreamRun, self).__init__(scope, named.label, StreamChange(stored, declared))
        self.domain, self.app, self.stream = named.domain, named.app, named.stream
        self.key = named.key
        self.stored = stored
        self.declared = declared

    def identity(self):
        return {'domain': self.domain, 'app': self.app, 'stream': self.stream}

    def kind(self):
        if self.stored is None:
            return CREATE if self.declared is not None else None
        if self.declared is None:
            return DELETE
        return None if self.declared.same_content(self.stored) else UPDATE

    def describe(self):
        return describe_change(self.stored, self.declared)

    def _failed(self, error):
        # A stream's run is one write: stopped by a signal before it was sent, the stream was not started.
        if isinstance(error, Interrupted) and not self.change.writes_sent:
            self.started = False
            return
        super(StreamRun, self)._failed(error)

    def requests(self, check_mode):
        """The writes as API requests with their outcome, each naming its action and stream (``rendered`` and the diff
        show the bodies)."""
        return [{'action': request['action'], 'domain': request['body']['Domain'], 'app': request['body']['App'],
                 'stream': request['body']['Stream'], 'outcome': request['outcome']}
                for request in self.change.requests(check_mode)]


class ScheduledRelaysRun(ManyItemsRun):
    """One run of the module over its scope: ``read``, then ``plan``, then (unless check mode) ``apply``; the other
    methods are what the module returns."""

    nouns = NOUNS
    apart_key = 'ended'

    def __init__(self, state, config, domains, max_workers, now):
        self.state = state
        self.config = config or []
        self.domains = domains or []
        self.now = now
        super(ScheduledRelaysRun, self).__init__(scope_of(state, self.config, self.domains), max_workers, read_domain)
        self._scope_name = dict((_domain_key(domain), domain) for domain in self.scope)

    def plan(self):
        """A StreamRun per stream of the task: config's entries in order, then the streams the state deletes. Raises
        RelaySourceInputError (nothing was written) for an entry of ``merged`` that would have to keep a window that
        has ended."""
        by_domain = dict((_domain_key(read.domain), read.streams) for read in self.reads)
        listed = set()
        for index, entry in enumerate(self.config):
            named = Stream(entry['domain'], entry['app'], entry['stream'], [])
            listed.add(named.key)
            stored = by_domain[_domain_key(named.domain)].get(named.key)
            declared = None if self.state == DELETED else self._declared(entry, stored, 'config[%d]' % index)
            self.items.append(StreamRun(self._scope_name[_domain_key(named.domain)], named, stored, declared))
        purged = self.scope if self.state == OVERRIDDEN else self.domains if self.state == DELETED else []
        for domain in purged:
            for key, stored in by_domain[_domain_key(domain)].items():
                if key not in listed and (self.state == DELETED or not stored.ended(self.now)):
                    self.items.append(StreamRun(self._scope_name[_domain_key(domain)], stored, stored, None))
        return self.items

    def _declared(self, entry, stored, path):
        """What an entry declares; with ``merged``, an entry without a window keeps the stored stream's window."""
        declared = declared_stream(entry, self.now)
        if self.state != MERGED or not declared.permanent or stored is None or stored.permanent:
            return declared
        kept = declared.with_content(declared.origins, stored.start, stored.end)
        if stored.ended(self.now) and not kept.same_content(stored):
            raise RelaySourceInputError(path, '%s/%s/%s has a window that ended at %s, which an entry without start and '
                                        'end keeps with state=merged, but no write carries a window that has ended: '
                                        'give the start and end of a window to come, make the stream permanent with '
                                        'state=replaced, or delete it with state=deleted. Nothing was written.' % (
                                            entry['domain'], entry['app'], entry['stream'], iso_utc(stored.end)))
        return kept

    # -- what the module returns ----------------------------------------------------------------------------

    def gathered(self):
        """Every stream read whose window has not ended, in the shape of ``config``."""
        return [stream.config() for read in self.reads for stream in read.streams.values() if not stream.ended(self.now)]

    def ended(self):
        """Every stream read whose window has ended, in the shape of ``config``."""
        return [stream.config() for read in self.reads for stream in read.streams.values() if stream.ended(self.now)]

    def entries_apart(self):
        return self.ended()

    def read_order(self):
        return [key for read in self.reads for key in read.streams]

    def before(self):
        """The configuration, as read, of the streams the run changes (or would change) only."""
        return [item.stored.config() for item in self.changing_items() if item.stored is not None]

    def after(self):
        """The configuration the run leaves (in check mode: would leave) in the streams it changes; a stream it
        deletes is left out."""
        return [item.declared.config() for item in self.changing_items() if item.declared is not None]

    def item_diff(self, item):
        return stream_diff(item.domain, item.app, item.stream, item.stored, item.declared)
