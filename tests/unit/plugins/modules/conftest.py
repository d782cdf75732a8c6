# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module's main() in-process with given args and a given client (run_module), or with the production client
against the emulator over HTTP (run_over_http); return its JSON result."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

import pytest

from unittest import mock

from ansible_collections.volcengine.cloud.tests.unit.http_emulator import emulator_with_keys, reset, run_module_over_http
from ansible_collections.volcengine.cloud.tests.unit.module_args import patch_module_args


class ModuleRun(object):
    def __init__(self, exit_code, result):
        self.exit_code = exit_code
        self.result = result
        self.failed = bool(result.get('failed'))


@pytest.fixture
def run_module(capsys):
    def run(module, args, client=None, check_mode=False, diff=False, client_factory=None):
        """``client`` stands in for client_from_module's client; ``client_factory`` (a function making clients)
        for client_factory_from_module's, in modules that use one."""
        module_args = dict(access_key='AKLTTEST', secret_key='test-secret', _ansible_check_mode=check_mode, _ansible_diff=diff)
        module_args.update(args)
        capsys.readouterr()
        if client_factory is not None:
            patched = mock.patch.object(module, 'client_factory_from_module', return_value=client_factory)
        else:
            patched = mock.patch.object(module, 'client_from_module', return_value=client)
        with patch_module_args(module_args), patched as factory:
            with pytest.raises(SystemExit) as exited:
                module.main()
        output = capsys.readouterr().out
        run_result = ModuleRun(exited.value.code, json.loads(output))
        run_result.client_built = factory.called
        return run_result
    return run


# --- the module in-process against the emulator over HTTP, with the production client (tests/unit/http_emulator.py)

@pytest.fixture(scope='module')
def running_emulator():
    """One emulator for the tests of a file (each gets it reset through ``emulator``)."""
    with emulator_with_keys() as running:
        yield running


@pytest.fixture
def emulator(running_emulator):
    """The file's emulator, as a fresh one: empty, no fault, update_mode replace, no throttling."""
    return reset(running_emulator)


@pytest.fixture
def run_over_http(capsys, monkeypatch):
    """run_module_over_http, with no VOLCENGINE_* variable of the caller's environment."""
    for name in list(os.environ):
        if name.startswith('VOLCENGINE_'):
            monkeypatch.delenv(name)

    def run(module, args, endpoint, check_mode=False, diff=False):
        return run_module_over_http(capsys, module, args, endpoint, check_mode=check_mode, diff=diff)
    return run


@pytest.fixture
def stop_flags(monkeypatch):
    """The StopFlags the modules install, in order, for a test to raise one as a signal would."""
    from ansible_collections.volcengine.cloud.plugins.module_utils import interrupts

    flags = []
    original_install = interrupts.StopFlag.install

    def install(flag):
        flags.append(flag)
        return original_install(flag)
    monkeypatch.setattr(interrupts.StopFlag, 'install', install)
    return flags
