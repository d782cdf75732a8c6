# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A request-rate limiter shared by every process on the controller that uses the same access key.

Ansible runs a module once per host, in up to ``forks`` processes at a time, all usually with the same
account; Volcengine allows 10 requests/second per account and action. Each process therefore takes a token
from one bucket kept in a small file, locked with ``fcntl.flock`` while it is read and updated, so that
parallel runs stay under the limit instead of bouncing off it with 429s.

The bucket works by reservation: under the lock a caller takes a token even when the bucket is empty (the
count goes negative), writes the new state, releases the lock and only then sleeps for the time its token
needs to accrue. The lock is therefore held for microseconds and callers are served in lock order.

When the directory or the lock cannot be used (read-only or foreign-owned directory, no ``fcntl`` on the
platform, a full disk) the limiter silently degrades to one bucket per process: rate limiting is a courtesy
and must never fail a task.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import errno
import hashlib
import json
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


def _refill_and_take(tokens, updated, now, rate, burst):
    """Token-bucket arithmetic shared by both back ends: returns (new_tokens, seconds_to_wait)."""
    if tokens is None or updated is None or updated > now + MAX_WAIT_SECONDS or tokens < -rate * MAX_WAIT_SECONDS:
        tokens, updated = burst, now  # fresh, corrupt, or clock jumped: start with a full bucket
    elapsed = max(0.0, now - updated)
    tokens = min(float(burst), tokens + elapsed * rate) - 1.0
    wait = 0.0 if tokens >= 0 else min(MAX_WAIT_SECONDS, -tokens / rate)
    return tokens, wait


class _ProcessBucket(object):
    """In-process fallback: one bucket per (key hash, rate) shared by the threads of this process."""

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
        self.tokens = None
        self.updated = None

    def reserve(self, now, rate, burst):
        with self.lock:
            self.tokens, wait = _refill_and_take(self.tokens, self.updated, now, rate, burst)
            self.updated = now
            return wait


class HostRateLimiter(object):
    """Token bucket of ``rate`` requests/second shared through a lock file by all processes using ``key``.

    ``rate`` <= 0 (or None) disables limiting. ``burst`` is how many requests may go at once after a pause
    (default 1: requests are simply spaced 1/rate apart, which keeps every 1-second window at or under
    ``rate`` + 1).
    """

    def __init__(self, rate, key, directory=None, clock=time.time, sleep=time.sleep, burst=1):
        self.rate = float(rate or 0)
        self.burst = max(1.0, float(burst))
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
            wait = _ProcessBucket.for_key(self.file_name + ':%r' % self.rate).reserve(self.clock(), self.rate, self.burst)
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
                now = self.clock()
                tokens, updated = self._read_state(descriptor)
                tokens, wait = _refill_and_take(tokens, updated, now, self.rate, self.burst)
                data = json.dumps({'tokens': tokens, 'updated': now}).encode('ascii')
                os.lseek(descriptor, 0, os.SEEK_SET)
                os.ftruncate(descriptor, 0)
                os.write(descriptor, data)
                return wait
            finally:
                fcntl.flock(descriptor, fcntl.LOCK_UN)
        finally:
            os.close(descriptor)

    @staticmethod
    def _read_state(descriptor):
        os.lseek(descriptor, 0, os.SEEK_SET)
        raw = os.read(descriptor, 4096)
        if not raw:
            return None, None
        try:
            state = json.loads(raw.decode('ascii'))
            return float(state['tokens']), float(state['updated'])
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return None, None
