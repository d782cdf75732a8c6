# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.cloud collection: not an API for other collections, roles or plugins. It may change
# incompatibly, or go, in any release of the collection (a patch release included) without notice.
"""The fixed-trigger relay's vocabulary (固定触发回源: the CDN pulls one stream from its origins during a window, or
permanently, whether or not anyone watches): one stream's configuration in the modules' shape.

    {'domain': 'pull.example.com', 'app': 'live', 'stream': 'final',
     'origins': ['rtmp://origin-a.example.com/live/final', 'rtmp://origin-b.example.com/live/final'],
     'start': '2026-12-20T10:00:00Z', 'end': '2026-12-20T15:30:00Z'}

A stream is identified by domain (compared case-insensitively: it is a domain name), app and stream. Its origins are
tried in order, so their order is part of the configuration. Its window is held as Unix seconds, ``start`` and
``end`` both None for a permanent stream, so a window given in Unix seconds and the same instant in ISO 8601 (any
offset) are equal; the modules' shape writes it in ISO 8601 UTC (``Z``) and leaves ``start``/``end`` out for a
permanent stream.

The other roles live beside this file: scheduled_relay_input.py (option rules, time parsing), scheduled_relay_api.py
(requests, the paged read and its answer checks), scheduled_relay_writer.py (one stream's write, lost answers settled
by a read), scheduled_relay_streams.py (many streams in one task, on many_items.py).
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

# The longest window the API accepts.
MAX_WINDOW_SECONDS = 7 * 24 * 3600


def iso_utc(seconds):
    """Unix seconds as ISO 8601 in UTC, e.g. ``2026-12-20T10:00:00Z``."""
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(seconds))


def same_domain(one, other):
    """Domain names compare case-insensitively in ASCII (a domain is ASCII by the input rules, so a non-ASCII
    character that lower-cases to an ASCII letter never matches)."""
    return one.isascii() and other.isascii() and one.lower() == other.lower()


def stream_key(domain, app, stream):
    """What identifies a stream: its domain (lower-case), app and stream."""
    return (domain.lower(), app, stream)


class Stream(object):
    """One stream's fixed-trigger relay: ``origins`` (a list of URLs, in order), ``start`` and ``end`` (Unix seconds,
    both None for a permanent stream)."""

    def __init__(self, domain, app, stream, origins, start=None, end=None):
        self.domain = domain
        self.app = app
        self.stream = stream
        self.origins = list(origins)
        self.start = start
        self.end = end

    @property
    def key(self):
        return stream_key(self.domain, self.app, self.stream)

    @property
    def label(self):
        """How a summary names the stream within its domain: ``app/stream``."""
        return '%s/%s' % (self.app, self.stream)

    @property
    def permanent(self):
        return self.start is None

    def content(self):
        """What a write sets: the origins in order and the window."""
        return (tuple(self.origins), self.start, self.end)

    def same_content(self, other):
        return other is not None and self.content() == other.content()

    def ended(self, now):
        """Whether the window ended at or before ``now`` (Unix seconds); never for a permanent stream."""
        return self.end is not None and self.end <= now

    def with_content(self, origins, start, end):
        return Stream(self.domain, self.app, self.stream, origins, start, end)

    def window_text(self):
        return 'permanent' if self.permanent else 'window %s to %s' % (iso_utc(self.start), iso_utc(self.end))

    def config(self):
        """The modules' shape; ``start`` and ``end`` in ISO 8601 UTC, left out for a permanent stream."""
        shape = {'domain': self.domain, 'app': self.app, 'stream': self.stream, 'origins': list(self.origins)}
        if not self.permanent:
            shape.update(start=iso_utc(self.start), end=iso_utc(self.end))
        return shape


def describe_change(before, after):
    """One line for the change of one stream (``before``/``after``: Streams, None where it has no configuration):
    ``create: 2 origins, window 2026-12-20T10:00:00Z to 2026-12-20T15:30:00Z``, ``update: origins changed; now
    permanent``, ``delete``; '' for no change."""
    if (before is None and after is None) or (after is not None and after.same_content(before)):
        return ''
    if before is None:
        count = len(after.origins)
        return 'create: %d origin%s, %s' % (count, '' if count == 1 else 's', after.window_text())
    if after is None:
        return 'delete'
    parts = []
    if before.origins != after.origins:
        parts.append('origins changed')
    if (before.start, before.end) != (after.start, after.end):
        parts.append('now permanent' if after.permanent else after.window_text().replace('window', 'window now', 1))
    return 'update: ' + '; '.join(parts)


def diff_header(domain, app, stream):
    """What a diff of one stream is about, e.g. ``scheduled relay pull.example.com/live/final``."""
    return 'scheduled relay %s/%s/%s' % (domain, app, stream)


def stream_diff(domain, app, stream, before, after):
    """The diff of one stream: its configuration before and after in the modules' shape (``{}`` where it has none),
    both headers naming it."""
    header = diff_header(domain, app, stream)
    return {'before': before.config() if before is not None else {},
            'after': after.config() if after is not None else {},
            'before_header': header, 'after_header': header}
