# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import threading

import pytest

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineError
from ansible_collections.volcengine.cloud.plugins.module_utils.interrupts import StopFlag
from ansible_collections.volcengine.cloud.plugins.module_utils.worker_pool import (
    INTERNAL_ERROR_CODE, ClientPerThread, NotStarted, run_each, serialized)


class Client(object):
    def __init__(self):
        self.threads = set()
        self.closed = False

    def close(self):
        self.closed = True


def test_results_come_in_the_order_of_the_items_each_thread_with_its_own_client():
    made = []

    def new_client():
        made.append(Client())
        return made[-1]

    def work(client, item):
        client.threads.add(threading.get_ident())
        return item * 2

    with ClientPerThread(new_client) as clients:
        assert run_each(work, range(50), 4, clients) == [item * 2 for item in range(50)]
        assert 1 <= len(made) <= 4
        assert all(len(client.threads) == 1 for client in made)
    assert all(client.closed for client in made) and clients.clients == []


def test_at_most_max_workers_at_a_time_and_really_that_many():
    workers = 3
    rendezvous = threading.Barrier(workers, timeout=20)
    lock = threading.Lock()
    in_flight, most = [0], [0]

    def work(client, item):
        with lock:
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
        rendezvous.wait()  # broken (an error) unless `workers` items run at the same time
        with lock:
            in_flight[0] -= 1
        return item

    with ClientPerThread(Client) as clients:
        assert run_each(work, range(9), workers, clients) == list(range(9))
    assert most[0] == workers


def test_every_item_runs_and_the_first_failure_is_raised_after_all():
    done = []

    def work(client, item):
        if item in (2, 5):
            raise VolcengineError('item %d' % item, code='InvalidParam')
        done.append(item)

    with ClientPerThread(Client) as clients:
        with pytest.raises(VolcengineError, match='item 2'):
            run_each(work, range(8), 2, clients)
    assert sorted(done) == [0, 1, 3, 4, 6, 7]


def test_only_the_collections_own_errors_leave_a_worker_and_never_the_text_of_another():
    def work(client, item):
        raise ValueError('secret-looking text %d' % item)

    with ClientPerThread(Client) as clients:
        with pytest.raises(VolcengineError) as raised:
            run_each(work, range(3), 2, clients)
    assert raised.value.code == INTERNAL_ERROR_CODE and 'ValueError' in str(raised.value)
    assert 'secret-looking' not in str(raised.value) and raised.value.__cause__ is None


def test_no_item_starts_once_the_stop_flag_is_set():
    stop = StopFlag()
    started = []

    def work(client, item):
        started.append(item)
        if item == 1:
            stop.set()
        return item

    with ClientPerThread(Client) as clients:
        results = run_each(work, range(6), 1, clients, stop)
    assert started == [0, 1]
    assert results[:2] == [0, 1] and all(isinstance(result, NotStarted) for result in results[2:])
    assert [result.item for result in results[2:]] == [2, 3, 4, 5]


def test_no_items_start_no_thread():
    with ClientPerThread(lambda: pytest.fail('no client may be made')) as clients:
        assert run_each(lambda client, item: item, [], 5, clients) == []


def test_serialized_calls_never_overlap():
    lock = threading.Lock()
    overlaps = []

    def callback(text):
        if not lock.acquire(False):
            overlaps.append(text)
            return
        try:
            threading.Event().wait(0.001)
        finally:
            lock.release()

    safe = serialized(callback)
    threads = [threading.Thread(target=lambda: [safe('x') for number in range(20)]) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == []
