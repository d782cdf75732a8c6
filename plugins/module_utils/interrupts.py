# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.cloud collection: not an API for other collections, roles or plugins. It may change
# incompatibly, or go, in any release of the collection (a patch release included) without notice.
"""Stopping new writes on SIGINT and SIGTERM (Ctrl-C, an AWX cancel).

Python runs a signal handler in the main thread only, and by default turns SIGINT into a KeyboardInterrupt there,
which a module's worker threads never see: they would go on writing after the play was cancelled.  ``StopFlag``
replaces that with a flag every thread can read: the client checks it right before it sends a write (after the rate
limiter let it go, since a write queued there may wait long), the writer before each write, the worker pool before
each job.  Writes already sent end (or are abandoned) within the timeout; nothing new starts; the module then
reports what was applied, not applied or unknown.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import signal
import threading

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineError

INTERRUPTED_CODE = 'Interrupted'
STOP_SIGNALS = ('SIGINT', 'SIGTERM')


class Interrupted(VolcengineError):
    """The run was stopped by a signal before this write was sent: it was not made."""


class StopFlag(object):
    """Set by SIGINT or SIGTERM once ``install`` ran (in the main thread); read by any thread."""

    def __init__(self):
        self._event = threading.Event()
        self.signal_name = None
        self._previous = {}

    def install(self):
        """Catch the stop signals from now on (call from the main thread; elsewhere it does nothing)."""
        if threading.current_thread() is not threading.main_thread():
            return self
        for name in STOP_SIGNALS:
            number = getattr(signal, name, None)
            if number is not None:
                self._previous[number] = signal.signal(number, self._handle)
        return self

    def restore(self):
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._previous = {}

    def _handle(self, number, _frame):
        self.signal_name = signal.Signals(number).name
        self._event.set()

    def set(self, signal_name='SIGINT'):
        """Stop as if ``signal_name`` had arrived (tests, and callers that learn of a cancel otherwise)."""
        self.signal_name = signal_name
        self._event.set()

    def is_set(self):
        return self._event.is_set()

    def check(self, action=None):
        """Raise Interrupted when a stop signal arrived."""
        if self._event.is_set():
            raise Interrupted('stopped by %s before the write was sent; no new write starts after an interrupt'
                              % self.signal_name, action=action, code=INTERRUPTED_CODE)
