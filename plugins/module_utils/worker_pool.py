# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.cloud collection: not an API for other collections, roles or plugins. It may change
# incompatibly, or go, in any release of the collection (a patch release included) without notice.
"""A bounded pool of worker threads for a module that makes many independent API calls in its one process.

Each worker thread gets its own client, made on its first job by the factory of
``module_support.client_factory_from_module``: a ``requests.Session`` is not documented as safe to share between
threads, and a VolcengineClient keeps per-call state (the signatures its error texts are scrubbed of, its
RequestIds). The clients of one factory share one HostRateLimiter, which paces the threads of a process as it
paces processes, so a pool of any size keeps to ``rate_limit`` together with every fork on the controller.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import threading

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineError

INTERNAL_ERROR_CODE = 'ModuleInternalError'


class ClientPerThread(object):
    """The client of the calling thread, made by ``new_client`` on the thread's first ``get``; ``close`` closes them
    all. Also a context manager (closing on exit)."""

    def __init__(self, new_client):
        self._new_client = new_client
        self._local = threading.local()
        self._lock = threading.Lock()
        self.clients = []

    def get(self):
        client = getattr(self._local, 'client', None)
        if client is None:
            client = self._local.client = self._new_client()
            with self._lock:
                self.clients.append(client)
        return client

    def close(self):
        with self._lock:
            clients, self.clients = self.clients, []
        for client in clients:
            client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


class NotStarted(object):
    """The result of an item whose work never started because a stop signal arrived first."""

    def __init__(self, item):
        self.item = item


def internal_error(exc):
    """A VolcengineError for an exception that is not the collection's own: named by its type only (its text could
    hold anything, a secret included)."""
    return VolcengineError('an unexpected %s stopped the work; this is a bug in the volcengine.cloud collection, '
                           'please report it' % type(exc).__name__, code=INTERNAL_ERROR_CODE)


def run_each(work, items, max_workers, clients, stop=None):
    """``work(client, item)`` for every item, at most ``max_workers`` at a time, each in a worker thread with that
    thread's own client from ``clients`` (a ClientPerThread); returns the results in the order of ``items``.

    Once ``stop`` (an interrupts.StopFlag) is set, items not started yet are not started: their result is a
    NotStarted.  Every item is run even when one raises; the first exception (in the order of ``items``) is raised
    once all have finished, so ``work`` should catch what it can report per item; an exception that is not a
    VolcengineError leaves a worker only as one (``internal_error``)."""
    items = list(items)
    if not items:
        return []

    def job(item):
        if stop is not None and stop.is_set():
            return NotStarted(item)
        try:
            return work(clients.get(), item)
        except VolcengineError:
            raise
        except Exception as exc:  # pylint: disable=broad-except
            failure = internal_error(exc)
        raise failure

    with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(items))), thread_name_prefix='volcengine-worker') as pool:
        futures = [pool.submit(job, item) for item in items]
    return [future.result() for future in futures]


def serialized(function):
    """``function`` behind a lock, for callbacks (such as AnsibleModule.warn) that worker threads share."""
    lock = threading.Lock()

    def call(*args, **kwargs):
        with lock:
            return function(*args, **kwargs)
    return call
