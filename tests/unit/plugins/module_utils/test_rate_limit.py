# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess
import sys
import textwrap

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
    fake = FakeTime()
    bucket = limiter(blocker / 'sub', fake, rate=1)
    waits = [bucket.acquire() for attempt in range(3)]
    assert waits == pytest.approx([0.0, WINDOW, WINDOW])
    assert bucket.shared is False


def test_unwritable_directory_falls_back(tmp_path):
    directory = tmp_path / 'ro'
    directory.mkdir()
    os.chmod(str(directory), 0o500)
    try:
        fake = FakeTime()
        bucket = limiter(directory, fake, rate=1)
        waits = [bucket.acquire() for attempt in range(2)]
        assert waits == pytest.approx([0.0, WINDOW])
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
    for corrupt in ('{"slots": [1e12]}', '{"slots": ["soon"]}', '{"slots": [NaN]}', '{"slots": 7}', '[1, 2]',
                    '{"tokens": 3, "updated": 1000.0}'):
        with open(bucket.path, 'w') as state:
            state.write(corrupt)  # absurd backlog, garbage, or an older format: start afresh, never a huge sleep
        assert bucket.acquire() == 0.0, corrupt


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
    for first, later in zip(sent, sent[size:]):
        assert later - first >= seconds - 0.01  # the 6th request after any request waits for a whole window
    assert sent[-1] - sent[0] >= 2 * seconds - 0.02
