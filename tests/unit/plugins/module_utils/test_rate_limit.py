# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import subprocess
import sys
import textwrap
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


def test_spaces_requests_at_the_rate_with_a_file(tmp_path):
    fake = FakeTime()
    bucket = limiter(tmp_path, fake)
    waits = [bucket.acquire() for attempt in range(5)]
    assert waits[0] == 0.0
    assert waits[1:] == pytest.approx([0.1, 0.1, 0.1, 0.1])
    assert bucket.shared is True
    assert os.path.exists(bucket.path)
    fake.now += 5.0  # idle: the bucket refills, but only up to its burst
    assert bucket.acquire() == 0.0
    assert bucket.acquire() == pytest.approx(0.1)


def test_burst(tmp_path):
    fake = FakeTime()
    bucket = limiter(tmp_path, fake, rate=10, burst=3)
    assert [bucket.acquire() for attempt in range(4)] == pytest.approx([0.0, 0.0, 0.0, 0.1])


def test_two_limiters_with_the_same_key_share_the_bucket(tmp_path):
    fake = FakeTime()
    first = limiter(tmp_path, fake)
    second = limiter(tmp_path, fake)
    assert first.acquire() == 0.0
    assert second.acquire() == pytest.approx(0.1)
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
    fake = FakeTime()
    bucket = limiter(blocker / 'sub', fake)
    waits = [bucket.acquire() for attempt in range(3)]
    assert waits == pytest.approx([0.0, 0.1, 0.1])
    assert bucket.shared is False


def test_unwritable_directory_falls_back(tmp_path):
    directory = tmp_path / 'ro'
    directory.mkdir()
    os.chmod(str(directory), 0o500)
    try:
        fake = FakeTime()
        bucket = limiter(directory, fake)
        waits = [bucket.acquire() for attempt in range(2)]
        assert waits == pytest.approx([0.0, 0.1])
        if os.geteuid() != 0:  # root ignores the mode bits
            assert bucket.shared is False
    finally:
        os.chmod(str(directory), 0o700)


@pytest.mark.skipif(not hasattr(os, 'geteuid') or os.geteuid() != 0, reason='needs root to chown')
def test_directory_owned_by_someone_else_is_not_trusted(tmp_path):
    directory = tmp_path / 'foreign'
    directory.mkdir()
    os.chown(str(directory), 65534, 65534)
    fake = FakeTime()
    bucket = limiter(directory, fake)
    bucket.acquire()
    assert bucket.shared is False
    assert os.listdir(str(directory)) == []


def test_symlinked_directory_is_not_trusted(tmp_path):
    real = tmp_path / 'real'
    real.mkdir()
    link = tmp_path / 'link'
    link.symlink_to(real)
    fake = FakeTime()
    bucket = limiter(link, fake)
    bucket.acquire()
    assert bucket.shared is False


def test_corrupt_state_file_is_treated_as_fresh(tmp_path):
    fake = FakeTime()
    bucket = limiter(tmp_path, fake)
    with open(bucket.path, 'w') as state:
        state.write('{not json')
    assert bucket.acquire() == 0.0
    assert bucket.shared is True
    with open(bucket.path, 'w') as state:
        state.write('{"tokens": -1e12, "updated": 1000.0}')  # absurd backlog: reset, never a huge sleep
    assert bucket.acquire() == 0.0


def test_clock_jumping_back_does_not_stall(tmp_path):
    fake = FakeTime(start=10000.0)
    bucket = limiter(tmp_path, fake)
    bucket.acquire()
    fake.now = 100.0
    assert bucket.acquire() <= rate_limit.MAX_WAIT_SECONDS
    assert max(fake.sleeps or [0]) <= rate_limit.MAX_WAIT_SECONDS


def test_default_directory_is_per_user():
    assert rate_limit.default_directory().endswith('volcengine-cloud-%d' % os.getuid())
    bucket = HostRateLimiter(10, ACCESS_KEY)
    assert os.path.dirname(bucket.path) == rate_limit.default_directory()


def test_real_processes_share_one_bucket(tmp_path):
    """Two real processes, 8 requests each at 40/s: together they need about (16 - 1) / 40 seconds."""
    script = textwrap.dedent('''
        import sys, time
        sys.path[:0] = [%r]
        from ansible_collections.volcengine.cloud.plugins.module_utils.rate_limit import HostRateLimiter
        bucket = HostRateLimiter(40, %r, directory=%r)
        start = time.time()
        for attempt in range(8):
            bucket.acquire()
        print(bucket.shared)
    ''') % (COLLECTIONS_ROOT, ACCESS_KEY, str(tmp_path))
    started = time.time()
    processes = [subprocess.Popen([sys.executable, '-c', script], stdout=subprocess.PIPE) for number in range(2)]
    outputs = [process.communicate(timeout=60)[0].decode().strip() for process in processes]
    elapsed = time.time() - started
    assert outputs == ['True', 'True']
    assert elapsed >= 15 / 40.0 * 0.9
