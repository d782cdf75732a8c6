# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: appends every task result to the JSON-lines file named by
VOLCENGINE_TEST_RECORD_FILE, so integration tests assert on results instead of parsing screen output."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
name: volcengine_test_recorder
type: aggregate
short_description: Record task results as JSON lines for the integration tests
description:
  - Writes one JSON object per task result to the file named by E(VOLCENGINE_TEST_RECORD_FILE).
requirements:
  - The E(VOLCENGINE_TEST_RECORD_FILE) environment variable.
"""

import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'volcengine_test_recorder'
    CALLBACK_NEEDS_ENABLED = True

    def _record(self, result, status):
        entry = {
            'task': result._task.get_name(),
            'host': result._host.get_name(),
            'status': status,
            'result': result._result,
        }
        with open(os.environ['VOLCENGINE_TEST_RECORD_FILE'], 'a') as record_file:
            record_file.write(json.dumps(entry, default=str) + '\n')

    def v2_runner_on_ok(self, result):
        self._record(result, 'changed' if result._result.get('changed') else 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, 'failed')

    def v2_runner_on_skipped(self, result):
        self._record(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._record(result, 'unreachable')
