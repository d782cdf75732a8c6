# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import errno
import json
import math
import os
import stat
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from ansible_collections.volcengine.cloud.plugins.module_utils import rate_limit
from ansible_collections.volcengine.cloud.plugins.module_utils.rate_limit import HostRateLimiter

ACCESS_KEY = 'AKLTratelimitkey'
# The directory holding ansible_collections/, so a child process imports the same code.
COLLECTIONS_ROOT = os.path.abspath(os.path.join(os.path.dirname(rate_limit.__file__), *(['..'] * 5)))


class FakeTime(object):
    """A clock that only moves when someone sleeps."""

    def __init__(self, start=1000.0):
        self.now = start
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture(autouse=True)
def fresh_process_buckets():
    rate_limit._ProcessBucket._buckets.clear()
    yield
    rate_limit._ProcessBucket._buckets.clear()


def limiter(directory, fake, rate=10, key=ACCESS_KEY, **kwargs):
    return HostRateLimiter(rate, key, directory=str(directory), clock=fake.clock, sleep=fake.sleep, **kwargs)


def directory_with_mode(path, mode):
    path.mkdir()
    os.chmod(str(path), mode)  # mkdir's mode is masked by the umask
    return path


def refused(directory, *words, **kwargs):
    """A limiter on ``directory`` after three requests, which must have fallen back to a per-process window
    and said so exactly once: the directory, each of ``words``, the fallback and no access key."""
    warnings = []
    fake = FakeTime()
    bucket = limiter(directory, fake, rate=1, on_warning=warnings.append, **kwargs)
    waits = [bucket.acquire() for attempt in range(3)]
    assert waits == pytest.approx([0.0, WINDOW, WINDOW])  # still limited, per process
    assert bucket.shared is False
    assert warnings == [bucket.warning]
    assert str(directory) in bucket.warning
    assert 'keeps to 1 requests/second on its own' in bucket.warning
    for word in words:
        assert word in bucket.warning
    assert ACCESS_KEY not in bucket.warning
    return bucket


WINDOW = 1.0 * (1 + rate_limit.WINDOW_GUARD)  # at 10/s: at most 10 requests in any WINDOW seconds


def test_at_most_rate_requests_in_any_window_with_a_file(tmp_path):
    fake = FakeTime()
    window = limiter(tmp_path, fake)
    waits = [window.acquire() for attempt in range(12)]
    assert waits[:10] == [0.0] * 10
    assert waits[10:] == pytest.approx([WINDOW, 0.0])  # the 11th waits for the first to leave the window
    assert window.shared is True
    assert os.path.exists(window.path)


def test_no_capacity_is_lost_while_idle(tmp_path):
    """Requests trickling in below the rate never wait; the window refills as requests age out of it."""
    fake = FakeTime()
    window = limiter(tmp_path, fake)
    for attempt in range(30):
        assert window.acquire() == 0.0
        fake.now += 0.15
    fake.now += 5.0
    assert [window.acquire() for attempt in range(10)] == [0.0] * 10
    assert window.acquire() == pytest.approx(WINDOW)


def test_sustained_demand_gets_exactly_the_rate(tmp_path):
    fake = FakeTime()
    window = limiter(tmp_path, fake)
    send_times = []
    for attempt in range(100):
        window.acquire()
        send_times.append(fake.now)
    assert send_times[-1] - send_times[0] == pytest.approx(9 * WINDOW)  # 10 per window, 10 windows
    for first in range(len(send_times)):
        in_window = [moment for moment in send_times[first:] if moment < send_times[first] + WINDOW - 1e-9]
        assert len(in_window) <= 10


@pytest.mark.parametrize('rate, size, seconds', [(10, 10, 1.0), (2.5, 2, 0.8), (0.5, 1, 2.0), (1e6, 100, 1e-4)])
def test_window_follows_the_rate(rate, size, seconds):
    assert rate_limit.window_of(rate) == pytest.approx((size, seconds * (1 + rate_limit.WINDOW_GUARD)))


def test_two_limiters_with_the_same_key_share_the_bucket(tmp_path):
    fake = FakeTime()
    first = limiter(tmp_path, fake, rate=1)
    second = limiter(tmp_path, fake, rate=1)
    assert first.acquire() == 0.0
    assert second.acquire() == pytest.approx(WINDOW)
    other_key = limiter(tmp_path, fake, key='AKLTanother')
    assert other_key.acquire() == 0.0
    assert other_key.path != first.path


def test_access_key_never_written_in_clear(tmp_path):
    fake = FakeTime()
    bucket = limiter(tmp_path, fake)
    bucket.acquire()
    assert ACCESS_KEY not in bucket.path
    for name in os.listdir(str(tmp_path)):
        assert ACCESS_KEY not in name
        with open(os.path.join(str(tmp_path), name)) as state:
            assert ACCESS_KEY not in state.read()
    assert oct(os.stat(bucket.path).st_mode & 0o777) == oct(0o600)


def test_disabled_when_rate_is_zero_or_negative(tmp_path):
    fake = FakeTime()
    for rate in (0, -1, None):
        bucket = limiter(tmp_path / 'x', fake, rate=rate)
        assert not bucket.enabled
        assert [bucket.acquire() for attempt in range(3)] == [0.0, 0.0, 0.0]
    assert fake.sleeps == []
    assert not (tmp_path / 'x').exists()


def test_unusable_directory_falls_back_to_in_process_limiter(tmp_path):
    blocker = tmp_path / 'a-file'
    blocker.write_text(u'not a directory')
    refused(blocker / 'sub', 'cannot be created (Not a directory)', 'TMPDIR')


def test_a_file_where_the_directory_should_be_is_refused(tmp_path):
    blocker = tmp_path / 'a-file'
    blocker.write_text(u'not a directory')
    refused(blocker, 'is not a directory', 'Remove it')
    assert blocker.read_text() == u'not a directory'


def test_unwritable_directory_falls_back(tmp_path):
    directory = directory_with_mode(tmp_path / 'ro', 0o500)
    try:
        fake = FakeTime()
        bucket = limiter(directory, fake, rate=1)
        waits = [bucket.acquire() for attempt in range(2)]
        assert waits == pytest.approx([0.0, WINDOW])
        if os.geteuid() != 0:  # root ignores the mode bits
            assert bucket.shared is False
    finally:
        os.chmod(str(directory), 0o700)


def test_directory_owned_by_someone_else_is_refused_with_a_warning(tmp_path, monkeypatch):
    directory = tmp_path / 'foreign'
    directory.mkdir(mode=0o700)
    owner = os.stat(str(directory)).st_uid
    monkeypatch.setattr(rate_limit.os, 'geteuid', lambda: owner + 1)  # as if another user had created it first
    refused(directory, 'owned by another user (uid %d)' % owner, 'Remove it', 'TMPDIR')
    assert os.listdir(str(directory)) == []


def test_symlinked_directory_is_refused_with_a_warning(tmp_path):
    real = tmp_path / 'real'
    real.mkdir()
    link = tmp_path / 'link'
    link.symlink_to(real)
    refused(link, 'is a symbolic link', 'Remove it')
    assert os.listdir(str(real)) == []


@pytest.mark.parametrize('mode', [0o777, 0o1777, 0o720, 0o702], ids=oct)
def test_directory_others_may_write_to_is_refused_and_left_alone(tmp_path, mode):
    directory = directory_with_mode(tmp_path / 'loose', mode)
    refused(directory, 'writable by other users (mode %04o)' % mode, 'Remove it')
    assert stat.S_IMODE(os.stat(str(directory)).st_mode) == mode
    assert os.listdir(str(directory)) == []


@pytest.mark.parametrize('mode', [0o755, 0o750, 0o711, 0o705], ids=oct)
def test_directory_others_may_only_read_is_tightened_to_0700(tmp_path, mode):
    directory = directory_with_mode(tmp_path / 'readable', mode)
    warnings = []
    bucket = limiter(directory, FakeTime(), on_warning=warnings.append)
    assert bucket.acquire() == 0.0
    assert bucket.shared is True and warnings == [] and bucket.warning is None
    assert stat.S_IMODE(os.stat(str(directory)).st_mode) == 0o700


def test_a_new_directory_is_created_0700(tmp_path):
    bucket = limiter(tmp_path / 'new', FakeTime())
    bucket.acquire()
    assert stat.S_IMODE(os.stat(str(tmp_path / 'new')).st_mode) == 0o700


def test_state_file_owned_by_someone_else_is_refused(tmp_path, monkeypatch):
    bucket = limiter(tmp_path, FakeTime())
    bucket.acquire()
    owner = os.stat(bucket.path).st_uid
    real_fstat = os.fstat

    def fstat_as_if_planted(descriptor):
        info = real_fstat(descriptor)
        if stat.S_ISREG(info.st_mode):
            return os.stat_result((info.st_mode, info.st_ino, info.st_dev, info.st_nlink, owner + 1) + tuple(info)[5:])
        return info
    monkeypatch.setattr(rate_limit.os, 'fstat', fstat_as_if_planted)
    refused(tmp_path, 'holds a state file %s owned by another user' % bucket.file_name)


def test_hard_linked_state_file_is_refused_and_never_written(tmp_path):
    precious = tmp_path / 'precious.txt'
    precious.write_text(u'the user\'s own file')
    directory = tmp_path / 'limiter'
    directory.mkdir(mode=0o700)
    os.link(str(precious), str(directory / rate_limit.state_file_name(ACCESS_KEY)))
    refused(directory, 'not a plain file with one link')
    assert precious.read_text() == u'the user\'s own file'


def test_a_directory_squatting_the_state_file_name_is_reported(tmp_path):
    (tmp_path / rate_limit.state_file_name(ACCESS_KEY)).mkdir()
    refused(tmp_path, 'cannot be used (Is a directory)', 'writable')


def test_full_disk_is_reported(tmp_path, monkeypatch):
    def no_space(descriptor, length):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(rate_limit.os, 'ftruncate', no_space)
    refused(tmp_path, 'cannot be used (No space left on device)')


def test_failing_lock_is_reported(tmp_path, monkeypatch):
    class NoLocks(object):
        LOCK_EX, LOCK_UN = 2, 8

        @staticmethod
        def flock(descriptor, operation):
            raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))
    monkeypatch.setattr(rate_limit, 'fcntl', NoLocks)
    refused(tmp_path, 'could not be locked (No locks available)', 'local file system')


def test_platform_without_fcntl_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(rate_limit, 'HAS_FCNTL', False)
    bucket = refused(tmp_path, 'no fcntl')
    assert bucket.warning.endswith('(throttled requests are retried).')


def test_warning_without_a_callback_is_kept_on_the_limiter(tmp_path):
    blocker = tmp_path / 'a-file'
    blocker.write_text(u'x')
    bucket = limiter(blocker, FakeTime())
    assert bucket.warning is None
    bucket.acquire()
    assert 'is not a directory' in bucket.warning


def test_a_working_limiter_never_warns(tmp_path):
    warnings = []
    bucket = limiter(tmp_path, FakeTime(), on_warning=warnings.append)
    for attempt in range(25):
        bucket.acquire()
    assert bucket.shared is True and warnings == [] and bucket.warning is None


@pytest.mark.parametrize('rate', [float('inf'), float('-inf'), float('nan')])
def test_a_rate_that_is_not_finite_is_refused(tmp_path, rate):
    with pytest.raises(ValueError, match='finite'):
        limiter(tmp_path, FakeTime(), rate=rate)


def test_corrupt_state_file_is_treated_as_fresh(tmp_path):
    fake = FakeTime()
    bucket = limiter(tmp_path, fake)
    with open(bucket.path, 'w') as state:
        state.write('{not json')
    assert bucket.acquire() == 0.0
    assert bucket.shared is True
    boot = json.dumps(bucket.boot)
    for corrupt in ('{"boot": %s, "last_now": 999, "slots": [1e12]}' % boot, '{"boot": %s, "last_now": 999, "slots": ["soon"]}' % boot,
                    '{"boot": %s, "last_now": 999, "slots": [NaN]}' % boot, '{"boot": %s, "last_now": 999, "slots": 7}' % boot,
                    '{"boot": %s, "last_now": "x", "slots": [1005]}' % boot, '{"boot": %s, "last_now": NaN, "slots": [1005]}' % boot,
                    '[1, 2]', '{"tokens": 3, "updated": 1000.0}', '{"slots": [1005, 1005, 1005, 1005, 1005, 1005, 1005, 1005, 1005, 1005]}'):
        with open(bucket.path, 'w') as state:
            state.write(corrupt)  # absurd backlog, garbage, or an older format: start afresh, never a huge sleep
        assert bucket.acquire() == 0.0, corrupt


@pytest.mark.parametrize('shared', [True, False], ids=['file', 'per-process'])
@pytest.mark.parametrize('step', [0.5, 30.0, 59.0])
def test_clock_stepped_back_under_a_minute_does_not_stall(tmp_path, shared, step):
    fake = FakeTime()
    bucket = limiter(tmp_path if shared else tmp_path / 'a-file' / 'sub', fake)
    if not shared:
        (tmp_path / 'a-file').write_text(u'x')
    for attempt in range(10):
        assert bucket.acquire() == 0.0  # the window is full
    fake.now -= step
    assert bucket.acquire() == 0.0
    assert bucket.shared is shared
    fake.now += 0.01
    assert bucket.acquire() == 0.0  # and the window goes on from there, on the new clock
    assert fake.sleeps == []


def test_default_clock_cannot_be_stepped():
    assert HostRateLimiter(10, ACCESS_KEY).clock is time.monotonic


def test_state_from_another_boot_is_dropped(tmp_path):
    fake = FakeTime()
    bucket = limiter(tmp_path, fake)
    future = [fake.now + 5.0] * 10  # a full window, 5 s ahead: what a reboot leaves on the monotonic clock
    for boot, expected_wait in ((bucket.boot, 5.0 + WINDOW), ('another-boot', 0.0)):
        with open(bucket.path, 'w') as state:
            json.dump({'boot': boot, 'last_now': fake.now - 1.0, 'slots': future}, state)
        assert bucket.acquire() == pytest.approx(expected_wait), boot
        fake.now = 1000.0


def test_boot_id_is_read_from_the_kernel(tmp_path, monkeypatch):
    source = tmp_path / 'boot_id'
    source.write_text(u'0f1e2d3c-aaaa-bbbb-cccc-123456789abc\n')
    monkeypatch.setattr(rate_limit, 'BOOT_ID_PATH', str(source))
    assert rate_limit.boot_id() == '0f1e2d3c-aaaa-bbbb-cccc-123456789abc'
    monkeypatch.setattr(rate_limit, 'BOOT_ID_PATH', str(tmp_path / 'absent'))
    assert rate_limit.boot_id() is None


def test_clock_jumping_back_does_not_stall(tmp_path):
    fake = FakeTime(start=10000.0)
    bucket = limiter(tmp_path, fake)
    bucket.acquire()
    fake.now = 100.0
    assert bucket.acquire() == 0.0
    assert fake.sleeps == []


# --- a long queue: many callers at a low rate -----------------------------------------------------------------------

class StoppedTime(FakeTime):
    """A clock that does not move when a caller sleeps: as if every caller reserved before any of them woke."""

    def sleep(self, seconds):
        self.sleeps.append(seconds)


def write_state(bucket, slots, last_now, **extra):
    state = dict(boot=bucket.boot, last_now=last_now, slots=slots)
    state.update(extra)
    with open(bucket.path, 'w') as handle:
        json.dump(state, handle)


def read_state(bucket):
    with open(bucket.path) as handle:
        return json.load(handle)


@pytest.mark.parametrize('shared', [True, False], ids=['file', 'per-process'])
def test_a_queue_longer_than_a_minute_keeps_every_slot(tmp_path, shared):
    """200 forks at 1 request/second: the last one's turn is 199 windows away, and nobody goes before its turn (the
    limiter used to let every caller past the first minute go at once, reading the queue as corruption)."""
    fake = StoppedTime()
    if not shared:
        (tmp_path / 'a-file').write_text(u'x')
    directory = tmp_path if shared else tmp_path / 'a-file' / 'sub'
    forks = [limiter(directory, fake, rate=1) for number in range(200)]
    waits = [fork.acquire() for fork in forks]
    assert waits == pytest.approx([number * WINDOW for number in range(200)])
    assert all(fork.shared is shared for fork in forks)
    assert forks[0].acquire() == pytest.approx(200 * WINDOW)  # the queue is still read as a queue
    if shared:
        assert len(read_state(forks[0])['slots']) == 200  # every reservation still ahead, and the one due now


def test_a_long_wait_is_slept_in_pieces_until_the_slot(tmp_path):
    fake = FakeTime()
    bucket = limiter(tmp_path, fake, rate=1)
    queue = [fake.now + number * WINDOW for number in range(1, 101)]  # 100 callers ahead
    write_state(bucket, queue, fake.now)
    assert bucket.acquire() == pytest.approx(101 * WINDOW)
    assert fake.now >= queue[-1] + WINDOW  # not before its slot
    assert sum(fake.sleeps) == pytest.approx(101 * WINDOW)
    assert max(fake.sleeps) <= rate_limit.SLEEP_PIECE_SECONDS
    assert len(fake.sleeps) == int(math.ceil(101 * WINDOW / rate_limit.SLEEP_PIECE_SECONDS))


def test_a_sleep_cut_short_is_made_up_for(tmp_path):
    """A sleep that returns early (a signal handler) does not let the caller go before its slot."""
    fake = FakeTime()

    def short_sleep(seconds):
        fake.sleeps.append(seconds)
        fake.now += seconds / 2
    bucket = HostRateLimiter(1, ACCESS_KEY, directory=str(tmp_path), clock=fake.clock, sleep=short_sleep)
    write_state(bucket, [fake.now + number * WINDOW for number in range(1, 6)], fake.now)
    assert bucket.acquire() == pytest.approx(6 * WINDOW)
    assert fake.now == pytest.approx(1000.0 + 6 * WINDOW, abs=1e-6)


def test_a_clock_set_back_during_the_sleep_cannot_stretch_it(tmp_path):
    fake = FakeTime()
    bucket = limiter(tmp_path, fake, rate=1)
    write_state(bucket, [fake.now + number * WINDOW for number in range(1, 31)], fake.now)
    real_sleep = fake.sleep

    def sleep_then_step_back(seconds):
        real_sleep(seconds)
        fake.now -= 1000.0
    bucket.sleep = sleep_then_step_back
    bucket.acquire()
    assert sum(fake.sleeps) == pytest.approx(31 * WINDOW)


@pytest.mark.parametrize('ahead, explained', [
    ([5 * WINDOW], False),                                 # one reservation cannot be five windows away
    ([0.5, 1.5, 2.9], True),                               # three may be three windows away
    ([0.5, 1.5, 3.2], False),
    ([5.0] * 10, True),                                    # a full window five seconds on: ten callers can explain it
    ([WINDOW * number for number in range(1, 301)], True),  # five minutes of queue
    ([1e12], False),
])
def test_only_a_queue_that_callers_can_explain_is_kept(tmp_path, ahead, explained):
    fake = FakeTime()
    bucket = limiter(tmp_path, fake, rate=1)
    write_state(bucket, [fake.now + offset for offset in ahead], fake.now - 0.5)
    expected = max(ahead) + WINDOW if explained else 0.0
    assert bucket.acquire() == pytest.approx(expected)


@pytest.mark.parametrize('window', ['soon', None, float('nan'), -3, 0, 1e300, [1]])
def test_a_recorded_window_that_is_not_plausible_explains_nothing(tmp_path, window):
    fake = FakeTime()
    bucket = limiter(tmp_path, fake, rate=1)
    with open(bucket.path, 'w') as handle:
        handle.write(json.dumps(dict(boot=bucket.boot, last_now=fake.now, window=window, slots=[fake.now + 50.0]),
                                allow_nan=True))
    assert bucket.acquire() == 0.0  # one reservation 50 s away is more than one window of this limiter
    assert bucket.shared is True


def test_a_faster_caller_waits_behind_the_queue_of_a_slower_one(tmp_path):
    """Callers at 0.1/s queue 10.3 s apart; one at 10/s reads that queue as a queue (the file records the longest
    window), not as corruption, and goes after it."""
    fake = StoppedTime()
    slow = [limiter(tmp_path, fake, rate=0.1) for number in range(3)]
    assert [caller.acquire() for caller in slow] == pytest.approx([0.0, 10 * WINDOW, 20 * WINDOW])
    fast = limiter(tmp_path, fake, rate=10)
    assert fast.acquire() == pytest.approx(20 * WINDOW)


def test_a_full_queue_makes_a_caller_wait_without_dropping_anyone(tmp_path, monkeypatch):
    """With MAX_QUEUED reservations ahead a caller reserves nothing, waits for the last one and tries again."""
    monkeypatch.setattr(rate_limit, 'MAX_QUEUED', 3)
    full = [1000.0 + number * WINDOW for number in (1, 2, 3)]
    reservation = rate_limit._reserve_slot(full, 1000.0, 1, 1000.0)
    assert reservation.reserved is False and reservation.slots == full
    assert reservation.wait == pytest.approx(3 * WINDOW)
    fake = FakeTime()
    bucket = limiter(tmp_path, fake, rate=1)
    write_state(bucket, full, fake.now)
    assert bucket.acquire() == pytest.approx(4 * WINDOW)
    assert fake.now == pytest.approx(full[-1] + WINDOW)
    assert read_state(bucket)['slots'][-1] == pytest.approx(full[-1] + WINDOW)
    write_state(bucket, [fake.now + number * WINDOW for number in (1, 2, 3, 4)], fake.now)
    assert bucket.acquire() == 0.0  # more than MAX_QUEUED ahead: no writer leaves that, so it is corrupt


def test_a_state_file_larger_than_the_bound_is_corrupt(tmp_path):
    fake = FakeTime()
    bucket = limiter(tmp_path, fake, rate=1)
    write_state(bucket, [fake.now + 0.5], fake.now, padding='x' * rate_limit.MAX_STATE_BYTES)
    assert bucket.acquire() == 0.0
    assert os.path.getsize(bucket.path) < 1000


def test_a_full_queue_fits_in_the_state_file(tmp_path):
    fake = StoppedTime(start=123456.789012345)
    bucket = limiter(tmp_path, fake, rate=1000)
    size, window = rate_limit.window_of(1000)
    slots = [fake.now + window * (1 + number // size) + number * 1e-7 for number in range(rate_limit.MAX_QUEUED - 1)]
    write_state(bucket, slots, fake.now)
    assert bucket.acquire() > 0
    assert os.path.getsize(bucket.path) <= rate_limit.MAX_STATE_BYTES
    assert len(read_state(bucket)['slots']) == rate_limit.MAX_QUEUED


def test_default_directory_is_per_user():
    assert rate_limit.default_directory().endswith('volcengine-cloud-%d' % os.getuid())
    bucket = HostRateLimiter(10, ACCESS_KEY)
    assert os.path.dirname(bucket.path) == rate_limit.default_directory()


def test_real_processes_share_one_window(tmp_path):
    """Two real processes, 6 requests each at 5/s: never more than 5 in one window, so 12 need 2 more windows."""
    script = textwrap.dedent('''
        import json, sys, time
        sys.path[:0] = [%r]
        from ansible_collections.volcengine.cloud.plugins.module_utils.rate_limit import HostRateLimiter
        window = HostRateLimiter(5, %r, directory=%r)
        sent = []
        for attempt in range(6):
            window.acquire()
            sent.append(time.time())
        print(json.dumps({'shared': window.shared, 'sent': sent}))
    ''') % (COLLECTIONS_ROOT, ACCESS_KEY, str(tmp_path))
    processes = [subprocess.Popen([sys.executable, '-c', script], stdout=subprocess.PIPE) for number in range(2)]
    outputs = [json.loads(process.communicate(timeout=60)[0].decode()) for process in processes]
    assert [output['shared'] for output in outputs] == [True, True]
    sent = sorted(outputs[0]['sent'] + outputs[1]['sent'])
    size, seconds = rate_limit.window_of(5)
    # Each time is read after acquire() returned, so a process descheduled in between (a loaded machine: make test
    # runs two sessions at once) reads it late and a pair can look up to a scheduler slice shorter than a window. A
    # limiter that let a 6th request into a window would show a small fraction of a window, not 90 % of one.
    jitter = 0.1 * seconds
    for first, later in zip(sent, sent[size:]):
        assert later - first >= seconds - jitter  # the 6th request after any request waits for a whole window
    assert sent[-1] - sent[0] >= 2 * seconds - jitter


# --- threads: a module may send from several threads of its one process -----------------------------------------

def assert_one_window(sent, rate):
    """No ``size + 1`` sends within one window, and the whole needs the windows its count implies. The times are taken
    after acquire() returned, so a busy machine may record a send late: the margins allow for that (20 % of a window,
    10 % of the whole), while threads that were not paced together would send many more within one window."""
    sent = sorted(sent)
    size, seconds = rate_limit.window_of(rate)
    for first, later in zip(sent, sent[size:]):
        assert later - first >= 0.8 * seconds
    assert sent[-1] - sent[0] >= 0.9 * ((len(sent) - 1) // size) * seconds


def send_from_threads(limiters, acquires):
    """Each limiter of ``limiters`` (one per thread; the same object may repeat) acquires ``acquires`` times in its
    own thread, all starting together; the monotonic times the sends were allowed."""
    start = threading.Barrier(len(limiters))
    sent, lock = [], threading.Lock()

    def send(limiter):
        start.wait()
        for attempt in range(acquires):
            limiter.acquire()
            with lock:
                sent.append(time.monotonic())
    threads = [threading.Thread(target=send, args=(limiter,)) for limiter in limiters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return sent


@pytest.mark.parametrize('shared', [True, False], ids=['one limiter for all threads', 'a limiter per thread'])
def test_threads_of_one_process_share_one_window(tmp_path, shared):
    """Six threads, five requests each, at 10/s: never more than 10 in one window, whether the threads share one
    limiter (as the clients of one module do) or each has its own on the same key."""
    one = HostRateLimiter(10, ACCESS_KEY, directory=str(tmp_path))
    limiters = [one if shared else HostRateLimiter(10, ACCESS_KEY, directory=str(tmp_path)) for number in range(6)]
    sent = send_from_threads(limiters, 5)
    assert len(sent) == 30 and all(limiter.shared for limiter in limiters)
    assert_one_window(sent, 10)


def test_threads_of_two_processes_share_one_window(tmp_path):
    """Two real processes with three threads each on one limiter per process, four requests per thread at 10/s."""
    script = textwrap.dedent('''
        import json, sys, threading, time
        sys.path[:0] = [%r]
        from ansible_collections.volcengine.cloud.plugins.module_utils.rate_limit import HostRateLimiter
        window = HostRateLimiter(10, %r, directory=%r)
        sent, lock = [], threading.Lock()
        def send():
            for attempt in range(4):
                window.acquire()
                with lock:
                    sent.append(time.monotonic())
        threads = [threading.Thread(target=send) for number in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(json.dumps({'shared': window.shared, 'sent': sent}))
    ''') % (COLLECTIONS_ROOT, ACCESS_KEY, str(tmp_path))
    processes = [subprocess.Popen([sys.executable, '-c', script], stdout=subprocess.PIPE) for number in range(2)]
    outputs = [json.loads(process.communicate(timeout=60)[0].decode()) for process in processes]
    assert [output['shared'] for output in outputs] == [True, True]
    sent = outputs[0]['sent'] + outputs[1]['sent']
    assert len(sent) == 24
    assert_one_window(sent, 10)


def test_threads_that_fall_back_together_warn_once(tmp_path, monkeypatch):
    threads = 8
    together = threading.Barrier(threads, timeout=20)

    def refused(self):
        together.wait()  # every thread is inside the shared-window attempt before any falls back
        raise rate_limit.Unshared('cannot be locked here', 'Do something.')
    monkeypatch.setattr(HostRateLimiter, '_reserve_in_file', refused)
    warnings = []
    one = HostRateLimiter(1000, ACCESS_KEY, directory=str(tmp_path), on_warning=warnings.append)
    assert len(send_from_threads([one] * threads, 1)) == threads
    assert warnings == [one.warning] and 'cannot be locked here' in one.warning


def test_a_wait_ends_as_soon_as_should_stop_says_so(tmp_path):
    """An interrupt while a write waits for its slot: the wait ends at the next check, not when the slot comes."""
    fake = FakeTime()
    queued = HostRateLimiter(1, ACCESS_KEY, directory=str(tmp_path), clock=fake.clock, sleep=lambda seconds: None)
    for _caller in range(30):
        queued.acquire()  # 30 callers reserve a slot each (their sleeps do not move the clock): a queue of 30 s
    bucket = limiter(tmp_path, fake, rate=1)
    checks = [0]

    def should_stop():
        checks[0] += 1
        return checks[0] > 3
    started = fake.now
    bucket.acquire(should_stop)
    assert 0 < fake.now - started <= 3 * rate_limit.STOP_CHECK_SECONDS + 1e-9
    assert all(piece <= rate_limit.STOP_CHECK_SECONDS for piece in fake.sleeps)
    # without should_stop the same caller would have waited for its slot, 30 s away
    assert bucket.acquire() >= 29
