# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.cloud collection: not an API for other collections, roles or plugins. It may change
# incompatibly, or go, in any release of the collection (a patch release included) without notice.
"""A request-rate limiter shared by every process of one user on the controller that uses the same access key.

Ansible runs a module once per host, in up to ``forks`` processes at a time, all usually with the same
account; Volcengine allows 10 requests/second per account and action. The processes therefore share one
sliding window, kept in a small file locked with ``fcntl.flock`` while it is read and updated, so that
parallel runs stay under the limit instead of bouncing off it with 429s.

What it coordinates: the processes of ONE user on ONE host that see the same temporary directory (the forks
of a play, several ansible-playbook runs at once), per access key. What it does not: other controllers, AWX
jobs (each runs in its own container with its own /tmp), CI runners; each of those has its own window (the
user guide says how to size ``rate_limit`` when several share an account).

The window: with a rate of ``r`` requests/second, at most ``n = max(1, floor(r))`` requests are sent in any
``n / r`` seconds (at 10/s: at most 10 in any second). That is what "10 requests per second" means under
every reading of it (fixed one-second windows, a sliding window, a token bucket holding 10), and unlike
simple spacing (one request every 1/r seconds) it loses no capacity when the forks pause between requests:
a request may go at once whenever fewer than ``n`` went in the last window.

It works by reservation: under the lock a caller picks the earliest slot the window allows (possibly in the
future), records it, releases the lock and only then sleeps until its slot. The lock is therefore held for
microseconds and callers are served in lock order.

The queue: the file keeps every reservation that is not yet due (and the last ``n`` that are), so a caller
never goes before its slot however long the queue: many forks at a low ``rate_limit`` legitimately queue
minutes of requests. A caller keeps its reservation and sleeps until its slot in pieces of at most
``SLEEP_PIECE_SECONDS``, re-reading the clock after each, so that a sleep cut short cannot let it go early and a
clock set back while it sleeps cannot make it wait longer than it reserved. The queue holds at most
``MAX_QUEUED`` reservations ahead (each waiting caller holds one: 2000 is 20 forks of 100 workers); a caller
that finds it full reserves nothing, waits until the last reservation is due and tries again. That bounds the
file and the work done under the lock, and nobody's reservation is ever dropped to make room.

What a queue can explain: each reservation lies at most one window after the later of the reservation before
it and the moment it was made, so the last of ``k`` reservations still ahead is at most ``k`` windows away. A
state with slots further ahead than that, more than ``MAX_QUEUED`` ahead, slots that are not finite numbers,
or garbage is corrupt and starts afresh rather than stall every caller. The window used for that check is the
longest of the callers that queued (recorded in the file), so a caller with a higher rate does not take the
queue of a slower one for corruption.

The clock is ``time.monotonic``: one clock for the whole system on Linux and macOS, so slots written by one
process mean the same to another, and one that a wall-clock step (NTP, someone setting the date) does not
move. The file also records the boot it was written in (Linux's boot id) and the clock reading of the last
reservation; a file from another boot, or a clock that now reads earlier than that reservation, starts
afresh instead of making every caller wait for slots measured on another clock.

The directory (``<tempdir>/volcengine-cloud-<uid>``, created with mode 0700) is trusted only when it is a
real directory (not a symlink) owned by the user that neither group nor others can write to. A directory the
user owns that group or others may only read or search is tightened to 0700 (nobody else can have put
anything into it); one that group or others may write to is refused, because entries planted in it cannot
be trusted. The state file must be a regular file of the user's with one link.

When it cannot coordinate (the directory refused or unusable, the lock failed, no ``fcntl``) the limiter
falls back to one window per process and says so once, in ``warning`` and through ``on_warning``: rate
limiting must never fail a task, but a silent fallback would let N forks send N times the rate.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import bisect
import collections
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

# A caller waiting for its slot sleeps at most this long at a time, then reads the clock again.
# How often a wait asks whether an interrupt arrived (acquire's should_stop).
STOP_CHECK_SECONDS = 0.2
SLEEP_PIECE_SECONDS = 10.0
# At most this many reservations may be ahead of the clock (the queue); see the module docstring.
MAX_QUEUED = 2000
# A state file larger than this is corrupt: MAX_QUEUED + MAX_WINDOW_REQUESTS slots take about 55 kB.
MAX_STATE_BYTES = 256 * 1024
# The longest window a state file may record to explain its queue (a rate of one request in ~58 minutes).
LONGEST_WINDOW_SECONDS = 3600.0
# Floating-point slack in the queue check: the slots are sums of windows.
_EXPLAIN_SLACK = 1e-9

# Where Linux tells which boot this is: slots on the monotonic clock mean nothing after a reboot.
BOOT_ID_PATH = '/proc/sys/kernel/random/boot_id'

_DIRECTORY_FLAGS = os.O_RDONLY | getattr(os, 'O_DIRECTORY', 0) | getattr(os, 'O_NOFOLLOW', 0)
_STATE_FILE_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, 'O_NOFOLLOW', 0)
_WRITABLE_BY_OTHERS = stat.S_IWGRP | stat.S_IWOTH

# What the fallback warning tells the user to do.
REMOVE_IT = ('Remove it (it only holds rate-limiter state and is recreated with mode 0700), or point TMPDIR to a '
             'directory of your own.')
MAKE_IT_USABLE = 'Make it writable for this user, or point TMPDIR to a writable directory of your own on a local disk.'
USE_A_LOCAL_DISK = 'Point TMPDIR to a directory on a local file system, where file locks work.'


def default_directory():
    """<tempdir>/volcengine-cloud-<uid>: private to the user, shared by that user's processes."""
    uid = os.getuid() if hasattr(os, 'getuid') else 'user'
    return os.path.join(tempfile.gettempdir(), 'volcengine-cloud-%s' % uid)


def state_file_name(key):
    """The bucket's file name: a hash of the access key, which is never written in clear."""
    digest = hashlib.sha256(('volcengine.cloud:' + (key or '')).encode('utf-8')).hexdigest()
    return 'rate-%s.json' % digest[:40]


def boot_id():
    """This boot's identity (Linux), or None where the system does not tell."""
    try:
        with open(BOOT_ID_PATH) as source:
            return source.read(100).strip() or None
    except (OSError, IOError):
        return None


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


# What one reservation attempt decided: the slots to keep, the window to record beside them, how long to wait,
# and whether a slot was reserved (False: the queue was full; wait, then try again).
Reservation = collections.namedtuple('Reservation', 'slots window wait reserved')


def _recorded_window(value, window):
    """The window that explains the stored queue: the longer of this caller's ``window`` and the one the file
    records, when that one is a plausible number of seconds (otherwise it is ignored)."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return window
    if not math.isfinite(value) or not 0 < value <= LONGEST_WINDOW_SECONDS:
        return window
    return max(window, value)


def _explained(ahead, now, window):
    """True when the reservations ``ahead`` of ``now`` (ascending) can come from callers that queued: each lies at
    most one ``window`` after the later of the one before it and the moment it was made, so the last of k is at
    most k windows away; and there are at most MAX_QUEUED."""
    if len(ahead) > MAX_QUEUED:
        return False
    return not ahead or ahead[-1] - now <= len(ahead) * window * (1 + _EXPLAIN_SLACK) + _EXPLAIN_SLACK


def _reserve_slot(slots, now, rate, last_now=None, recorded_window=None):
    """Sliding-window arithmetic shared by both back ends: returns a Reservation.

    ``slots`` are the send times already reserved (ascending, some possibly in the future); ``last_now`` is the
    clock reading of the reservation that recorded them and ``recorded_window`` the window recorded with them. A
    clock that now reads earlier has been stepped back (or is another clock): the slots, measured on the old one,
    are dropped rather than waited for; so are slots the queue cannot explain (see the module docstring).
    """
    size, window = window_of(rate)
    explaining = _recorded_window(recorded_window, window)
    try:
        slots = sorted(float(slot) for slot in slots or [])
    except (TypeError, ValueError):
        slots = []
    stepped_back = last_now is not None and not now >= last_now
    finite = all(math.isfinite(slot) for slot in slots)
    ahead = slots[bisect.bisect_right(slots, now):] if finite else []
    if stepped_back or not finite or not _explained(ahead, now, explaining):
        slots, ahead, explaining = [], [], window  # corrupt, or the clock jumped back: start afresh, never stall
    slots = [slot for slot in slots if slot > now - window]
    if not ahead:
        explaining = window
    if len(ahead) >= MAX_QUEUED:
        # Full: no reservation (the file stays bounded, nobody's is dropped); come back when the queue has drained.
        return Reservation(slots, explaining, ahead[-1] - now, False)
    slot = now
    if slots:
        # Never before an earlier reservation (keeps the slots ordered), and never within one window of the
        # slot ``size`` places back.
        slot = max(slot, slots[-1])
        if len(slots) >= size:
            slot = max(slot, slots[-size] + window)
    slots.append(slot)
    # Keep every reservation still ahead, and the last ``size`` (which the next caller's window is measured on).
    keep_from = max(0, min(len(slots) - size, bisect.bisect_right(slots, now)))
    return Reservation(slots[keep_from:], explaining, slot - now, True)


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
        self.window = None
        self.last_now = None

    def reserve(self, now, rate):
        """A Reservation, its slots and window kept for the next caller."""
        with self.lock:
            reservation = _reserve_slot(self.slots, now, rate, self.last_now, self.window)
            self.slots, self.window, self.last_now = reservation.slots, reservation.window, now
            return reservation


class Unshared(Exception):
    """The shared window cannot be used: ``problem`` completes "the limiter directory <path> ...", ``remedy``
    says what to do."""

    def __init__(self, problem, remedy):
        super(Unshared, self).__init__(problem)
        self.problem = problem
        self.remedy = remedy


def _reason(error):
    return error.strerror or str(error)


def _untrusted(info, what):
    """Why a file or directory (``os.fstat`` ``info``) cannot be trusted to hold our state, or None."""
    if hasattr(os, 'geteuid') and info.st_uid != os.geteuid():
        return '%s owned by another user (uid %d)' % (what, info.st_uid)
    if stat.S_IMODE(info.st_mode) & _WRITABLE_BY_OTHERS:
        return '%s writable by other users (mode %04o)' % (what, stat.S_IMODE(info.st_mode))
    return None


class HostRateLimiter(object):
    """A sliding window of ``rate`` requests/second shared through a lock file by all processes using ``key``.

    ``rate`` <= 0 (or None) disables limiting; a rate that is not a finite number is a ValueError. Processes
    sharing a key should share the rate too: each one applies its own window to the reservations in the file.
    When the window cannot be shared the limiter falls back to one per process, sets ``warning`` (a sentence
    saying what happened, the directory and what to do; never the access key) and calls ``on_warning`` with
    it, once.

    Threads: one limiter may serve every thread of a process (or each thread may have its own). Each reservation
    opens the state file anew, and ``flock`` locks taken through different open files exclude each other within
    one process as between processes, so threads are paced as forks are; a fall-back warns once per limiter.
    """

    def __init__(self, rate, key, directory=None, clock=time.monotonic, sleep=time.sleep, on_warning=None):
        self.rate = float(rate or 0)
        if not math.isfinite(self.rate):
            raise ValueError('rate must be a finite number of requests per second, got %r' % rate)
        self.clock = clock
        self.sleep = sleep
        self.on_warning = on_warning
        self.file_name = state_file_name(key)
        self.directory = directory or default_directory()
        self.path = os.path.join(self.directory, self.file_name)
        self.boot = boot_id()
        self.shared = False  # True once the lock file has been used successfully
        self.warning = None  # why the window is not shared, once the limiter has fallen back
        self._file_usable = self.enabled
        self._fall_back_lock = threading.Lock()

    @property
    def enabled(self):
        return self.rate > 0

    def acquire(self, should_stop=None):
        """Block until a request may be sent (its reserved slot has come); return the seconds reserved for waiting,
        however many (0.0 when disabled).  ``should_stop`` (a function) is asked between pieces of the wait, at least
        every STOP_CHECK_SECONDS: when it says so, the wait ends at once, the slot unused (an interrupt: the caller
        sends nothing)."""
        if not self.enabled:
            return 0.0
        waited = 0.0
        while True:
            reservation = self._reserve()
            if reservation.wait > 0:
                self._sleep_for(reservation.wait, should_stop)
                waited += reservation.wait
            if reservation.reserved or (should_stop is not None and should_stop()):
                return waited

    def _reserve(self):
        """One reservation attempt, in the shared file when it can be used, otherwise in this process."""
        if self._file_usable:
            try:
                reservation = self._reserve_in_file()
                self.shared = True
                return reservation
            except Unshared as refusal:
                self._fall_back(refusal.problem, refusal.remedy)
            except (OSError, IOError, ValueError) as error:
                self._fall_back('cannot be used (%s)' % _reason(error), MAKE_IT_USABLE)
        return _ProcessBucket.for_key(self.file_name + ':%r' % self.rate).reserve(self.clock(), self.rate)

    def _sleep_for(self, seconds, should_stop=None):
        """Sleep until the clock has moved ``seconds`` on (the reserved slot: the clock is read after the
        reservation, so never earlier), in pieces of at most SLEEP_PIECE_SECONDS. A sleep cut short is made up for;
        a piece after which the clock reads no later than before (set back, or not moving) counts in full, so a
        clock set back meanwhile cannot stretch the wait beyond ``seconds``."""
        deadline = self.clock() + seconds
        left = seconds
        longest_piece = SLEEP_PIECE_SECONDS if should_stop is None else STOP_CHECK_SECONDS
        while left > 0:
            if should_stop is not None and should_stop():
                return
            before = self.clock()
            piece = min(left, longest_piece, deadline - before)
            if piece <= 0:
                return
            self.sleep(piece)
            moved = self.clock() - before
            left -= piece if moved <= 0 else min(piece, moved)

    def _fall_back(self, problem, remedy):
        # For the rest of this limiter's life: one failed attempt per call would cost more than the limiter
        # saves, and one warning says it all (threads that failed at the same time leave it to the first).
        with self._fall_back_lock:
            if not self._file_usable:
                return
            self._file_usable = False
            self._warn(problem, remedy)

    def _warn(self, problem, remedy):
        self.shared = False
        self.warning = (
            'The client-side rate limit cannot be shared with the other forks on this controller: the limiter '
            'directory %s %s. Each process now keeps to %g requests/second on its own, so parallel forks together '
            'may exceed the API limit and be throttled (throttled requests are retried). %s'
            % (self.directory, problem, self.rate, remedy)).rstrip()
        if self.on_warning is not None:
            self.on_warning(self.warning)

    def _open_directory(self):
        """A descriptor of the directory, created if need be, once it is known to be ours alone."""
        try:
            os.mkdir(self.directory, 0o700)
        except OSError as error:
            if error.errno != errno.EEXIST:
                raise Unshared('cannot be created (%s)' % _reason(error), MAKE_IT_USABLE)
        try:
            descriptor = os.open(self.directory, _DIRECTORY_FLAGS)
        except OSError as error:
            if os.path.islink(self.directory):
                raise Unshared('is a symbolic link', REMOVE_IT)
            if not os.path.isdir(self.directory):
                raise Unshared('is not a directory', REMOVE_IT)
            raise Unshared('cannot be opened (%s)' % _reason(error), MAKE_IT_USABLE)
        try:
            info = os.fstat(descriptor)
            problem = _untrusted(info, 'is')
            if problem is None and stat.S_IMODE(info.st_mode) & 0o077:
                os.fchmod(descriptor, 0o700)  # others may only read or search it, so nothing in it is theirs
        except OSError:
            os.close(descriptor)
            raise
        if problem:
            os.close(descriptor)
            raise Unshared(problem, REMOVE_IT)
        return descriptor

    def _open_state_file(self):
        directory = self._open_directory()
        try:
            if os.open in getattr(os, 'supports_dir_fd', ()):
                descriptor = os.open(self.file_name, _STATE_FILE_FLAGS, 0o600, dir_fd=directory)
            else:  # pragma: no cover - every platform Ansible runs on has openat
                descriptor = os.open(self.path, _STATE_FILE_FLAGS, 0o600)
        finally:
            os.close(directory)
        info = os.fstat(descriptor)
        problem = _untrusted(info, 'holds a state file %s' % self.file_name)
        if problem is None and (not stat.S_ISREG(info.st_mode) or info.st_nlink != 1):
            problem = 'holds a state file %s that is not a plain file with one link' % self.file_name
        if problem:
            os.close(descriptor)
            raise Unshared(problem, REMOVE_IT)
        return descriptor

    def _reserve_in_file(self):
        if not HAS_FCNTL:
            raise Unshared('cannot be locked on this platform (no fcntl)', '')
        descriptor = self._open_state_file()
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX)
            except (OSError, IOError) as error:
                raise Unshared('holds a state file that could not be locked (%s)' % _reason(error), USE_A_LOCAL_DISK)
            try:
                slots, last_now, window = self._read_state(descriptor)
                now = self.clock()
                reservation = _reserve_slot(slots, now, self.rate, last_now, window)
                data = json.dumps({'boot': self.boot, 'last_now': now, 'window': reservation.window,
                                   'slots': reservation.slots}).encode('ascii')
                os.lseek(descriptor, 0, os.SEEK_SET)
                os.ftruncate(descriptor, 0)
                while data:
                    data = data[os.write(descriptor, data):]
                return reservation
            finally:
                fcntl.flock(descriptor, fcntl.LOCK_UN)
        finally:
            os.close(descriptor)

    def _read_state(self, descriptor):
        """(slots, clock reading of the last reservation, recorded window); ([], None, None) for a fresh, corrupt,
        oversized, older-format or other-boot file. A file without a window (an earlier version's) is read."""
        os.lseek(descriptor, 0, os.SEEK_SET)
        chunks, size = [], 0
        while size <= MAX_STATE_BYTES:
            chunk = os.read(descriptor, 65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_STATE_BYTES:
            return [], None, None
        try:
            state = json.loads(b''.join(chunks).decode('ascii'))
            slots, last_now, boot = state['slots'], float(state['last_now']), state['boot']
            window = state.get('window')
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError):
            return [], None, None
        if boot != self.boot or not isinstance(slots, list):
            return [], None, None
        return slots, last_now, window
