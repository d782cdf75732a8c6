# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A request-rate limiter shared by every process on the controller that uses the same access key.

Ansible runs a module once per host, in up to ``forks`` processes at a time, all usually with the same
account; Volcengine allows 10 requests/second per account and action. The processes therefore share one
sliding window, kept in a small file locked with ``fcntl.flock`` while it is read and updated, so that
parallel runs stay under the limit instead of bouncing off it with 429s.

The window: with a rate of ``r`` requests/second, at most ``n = max(1, floor(r))`` requests are sent in any
``n / r`` seconds (at 10/s: at most 10 in any second). That is what "10 requests per second" means under
every reading of it (fixed one-second windows, a sliding window, a token bucket holding 10), and unlike
simple spacing (one request every 1/r seconds) it loses no capacity when the forks pause between requests:
a request may go at once whenever fewer than ``n`` went in the last window.

It works by reservation: under the lock a caller picks the earliest slot the window allows (possibly in the
future), records it, releases the lock and only then sleeps until its slot. The lock is therefore held for
microseconds and callers are served in lock order.

When the directory or the lock cannot be used (read-only or foreign-owned directory, no ``fcntl`` on the
platform, a full disk) the limiter silently degrades to one window per process: rate limiting is a courtesy
and must never fail a task.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import errno
import hashlib
import json
import math
import os
import stat
import tempfile
import threading
import time

try:
    import fcntl
    HAS_FCNTL = True
except ImportError:  # pragma: no cover - Windows controllers are not supported by Ansible anyway
    fcntl = None
    HAS_FCNTL = False

# A caller never sleeps longer than this, whatever the shared state says (guards against a corrupted file or
# a wall clock that jumped).
MAX_WAIT_SECONDS = 60.0


def default_directory():
    """<tempdir>/volcengine-cloud-<uid>: private to the user, shared by that user's processes."""
    uid = os.getuid() if hasattr(os, 'getuid') else 'user'
    return os.path.join(tempfile.gettempdir(), 'volcengine-cloud-%s' % uid)


def state_file_name(key):
    """The bucket's file name: a hash of the access key, which is never written in clear."""
    digest = hashlib.sha256(('volcengine.cloud:' + (key or '')).encode('utf-8')).hexdigest()
    return 'rate-%s.json' % digest[:40]


# The window never holds more than this many requests (a very high rate gets a proportionally short window),
# which bounds the state file.
MAX_WINDOW_REQUESTS = 100
# The window is this much longer than the exact n / r seconds, so that jitter between the controller's clock
# and the requests' arrival at the API does not push the last request of one window into the next one.
WINDOW_GUARD = 0.03


def window_of(rate):
    """(requests, seconds): at most ``requests`` may be sent in any ``seconds`` at ``rate`` requests/second."""
    size = max(1, min(MAX_WINDOW_REQUESTS, int(rate)))
    return size, size / rate * (1.0 + WINDOW_GUARD)


def _reserve_slot(slots, now, rate):
    """Sliding-window arithmetic shared by both back ends: returns (slots_to_keep, seconds_to_wait).

    ``slots`` are the send times already reserved (ascending, some possibly in the future).
    """
    size, window = window_of(rate)
    try:
        slots = sorted(float(slot) for slot in slots or [])
    except (TypeError, ValueError):
        slots = []
    if not all(math.isfinite(slot) for slot in slots) or (slots and slots[-1] > now + MAX_WAIT_SECONDS):
        slots = []  # corrupt, or the clock jumped back: start afresh rather than stall
    slots = [slot for slot in slots if slot > now - window][-size:]
    slot = now
    if slots:
        # Never before an earlier reservation (keeps the slots ordered), and never within one window of the
        # slot ``size`` places back.
        slot = max(slot, slots[-1])
        if len(slots) == size:
            slot = max(slot, slots[0] + window)
    slots.append(slot)
    return slots[-size:], min(MAX_WAIT_SECONDS, slot - now)


class _ProcessBucket(object):
    """In-process fallback: one window per (key hash, rate) shared by the threads of this process."""

    _buckets = {}
    _registry_lock = threading.Lock()

    @classmethod
    def for_key(cls, name):
        with cls._registry_lock:
            bucket = cls._buckets.get(name)
            if bucket is None:
                bucket = cls._buckets[name] = cls()
            return bucket

    def __init__(self):
        self.lock = threading.Lock()
        self.slots = []

    def reserve(self, now, rate):
        with self.lock:
            self.slots, wait = _reserve_slot(self.slots, now, rate)
            return wait


class HostRateLimiter(object):
    """A sliding window of ``rate`` requests/second shared through a lock file by all processes using ``key``.

    ``rate`` <= 0 (or None) disables limiting. Processes sharing a key should share the rate too: each one
    applies its own window to the reservations in the file.
    """

    def __init__(self, rate, key, directory=None, clock=time.time, sleep=time.sleep):
        self.rate = float(rate or 0)
        self.clock = clock
        self.sleep = sleep
        self.file_name = state_file_name(key)
        self.directory = directory or default_directory()
        self.path = os.path.join(self.directory, self.file_name)
        self.shared = False  # True once the lock file has been used successfully
        self._file_usable = self.enabled and HAS_FCNTL

    @property
    def enabled(self):
        return self.rate > 0

    def acquire(self):
        """Block until a request may be sent; return the seconds waited (0.0 when disabled)."""
        if not self.enabled:
            return 0.0
        wait = None
        if self._file_usable:
            try:
                wait = self._reserve_in_file()
                self.shared = True
            except (OSError, IOError, ValueError):
                # Degrade silently, and for the rest of this limiter's life: one failed attempt per call
                # would cost more than the limiter saves.
                self._file_usable = False
                self.shared = False
        if wait is None:
            wait = _ProcessBucket.for_key(self.file_name + ':%r' % self.rate).reserve(self.clock(), self.rate)
        if wait > 0:
            self.sleep(wait)
        return wait

    def _ensure_directory(self):
        try:
            os.mkdir(self.directory, 0o700)
        except OSError as exc:
            if exc.errno != errno.EEXIST:
                raise
        info = os.lstat(self.directory)
        # A directory in a shared temp dir must be ours and not a symlink, or another user could steer or
        # read our state; refuse it (and fall back) rather than trust it.
        if not stat.S_ISDIR(info.st_mode):
            raise OSError(errno.ENOTDIR, 'not a directory')
        if hasattr(os, 'getuid') and info.st_uid != os.getuid():
            raise OSError(errno.EPERM, 'directory owned by another user')

    def _reserve_in_file(self):
        self._ensure_directory()
        flags = os.O_RDWR | os.O_CREAT | getattr(os, 'O_NOFOLLOW', 0)
        descriptor = os.open(self.path, flags, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            try:
                slots, wait = _reserve_slot(self._read_slots(descriptor), self.clock(), self.rate)
                data = json.dumps({'slots': slots}).encode('ascii')
                os.lseek(descriptor, 0, os.SEEK_SET)
                os.ftruncate(descriptor, 0)
                os.write(descriptor, data)
                return wait
            finally:
                fcntl.flock(descriptor, fcntl.LOCK_UN)
        finally:
            os.close(descriptor)

    @staticmethod
    def _read_slots(descriptor):
        os.lseek(descriptor, 0, os.SEEK_SET)
        raw = os.read(descriptor, 65536)
        try:
            slots = json.loads(raw.decode('ascii'))['slots']
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError):
            return []  # empty, corrupt or an older format: start afresh
        return slots if isinstance(slots, list) else []
