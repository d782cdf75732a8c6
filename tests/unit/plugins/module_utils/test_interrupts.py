# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""interrupts.StopFlag: SIGINT and SIGTERM set a flag every thread reads, instead of a KeyboardInterrupt in the main
thread only; the client then sends no write."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import signal
import threading

import pytest

from ansible_collections.volcengine.cloud.plugins.module_utils.client import VolcengineClient
from ansible_collections.volcengine.cloud.plugins.module_utils.interrupts import INTERRUPTED_CODE, Interrupted, StopFlag


@pytest.mark.parametrize('signal_name', ['SIGINT', 'SIGTERM'])
def test_a_stop_signal_sets_the_flag_instead_of_raising(signal_name):
    flag = StopFlag().install()
    try:
        os.kill(os.getpid(), getattr(signal, signal_name))
        assert flag.is_set() and flag.signal_name == signal_name
        with pytest.raises(Interrupted) as raised:
            flag.check('DeleteRelaySourceV3')
        assert raised.value.code == INTERRUPTED_CODE and signal_name in str(raised.value)
    finally:
        flag.restore()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_install_outside_the_main_thread_changes_nothing():
    before = signal.getsignal(signal.SIGINT)
    flags = []
    worker = threading.Thread(target=lambda: flags.append(StopFlag().install()))
    worker.start()
    worker.join()
    assert signal.getsignal(signal.SIGINT) is before and not flags[0].is_set()


class NoSession(object):
    trust_env = True

    def post(self, *args, **kwargs):
        raise AssertionError('nothing may be sent after a stop signal')

    def close(self):
        pass


def test_the_client_sends_no_write_once_stopped_but_still_reads():
    flag = StopFlag()
    flag.set('SIGTERM')
    client = VolcengineClient('AKLTTEST', 'secret', session=NoSession(), stop=flag, max_retries=0)
    with pytest.raises(Interrupted):
        client.call('DeleteRelaySourceV3', '2023-01-01', {'Vhost': 'v', 'App': 'a'}, write=True)
    with pytest.raises(Exception) as read:  # the read is sent (and this stand-in session refuses it)
        client.call('DescribeRelaySourceV3', '2023-01-01', {'Vhost': 'v'})
    assert 'nothing may be sent' in str(read.value) and not isinstance(read.value, Interrupted)
