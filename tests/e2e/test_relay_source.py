# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""volc_live_relay_source through real ansible-playbook runs against the emulator: what only a playbook shows, the
action group's module_defaults and the modules' EXAMPLES as written (with the diff ansible-playbook prints). The
module's behaviour against the emulator (lifecycle, request log, check mode, errors, bad input, odd answers) is
tested in-process in tests/unit/plugins/modules/test_relay_source_over_http.py.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast

import yaml

from ansible_collections.volcengine.cloud.tests.e2e.scenarios import VHOST, group, group_names, playbook, relay_task

INFO_MODULE = 'volcengine.cloud.volc_live_relay_source_info'


def test_module_defaults_group(emulator_replace, run_playbook):
    """Credentials and endpoint set once through the action group, with no VOLCENGINE_* variable set."""
    defaults = {'group/volcengine.cloud.volcengine': {
        'access_key': emulator_replace.access_key, 'secret_key': emulator_replace.secret_key,
        'endpoint': emulator_replace.url, 'rate_limit': 0}}
    tasks = [relay_task('apply', groups=[group('relay1', '[::1]:1935', '198.51.100.7:8080')]),
             {'name': 'read', INFO_MODULE: {'vhost': VHOST}}]
    no_environment = {'VOLCENGINE_ENDPOINT': None, 'VOLCENGINE_ACCESS_KEY': None, 'VOLCENGINE_SECRET_KEY': None}
    run = run_playbook(playbook(*tasks, module_defaults=defaults), env=no_environment)
    assert run.rc == 0, run
    assert run.task('apply')['status'] == 'changed'
    assert run.task('read')['result']['relay_sources'][0]['groups'][0]['servers'][0]['domain'] == '[::1]:1935'
    assert group_names(emulator_replace) == ['relay1']
    assert emulator_replace.secret_key not in run.stdout + run.stderr


def _examples(module_name):
    path = __import__('pathlib').Path(__file__).resolve().parents[2] / 'plugins' / 'modules' / (module_name + '.py')
    for node in ast.parse(path.read_text(encoding='utf-8')).body:
        if isinstance(node, ast.Assign) and node.targets[0].id == 'EXAMPLES':
            return yaml.safe_load(node.value.value)
    raise AssertionError('no EXAMPLES in %s' % path)


def test_examples_run(emulator_replace, run_playbook):
    """The EXAMPLES of both modules, as written, run against the emulator; the info module's re-apply is a no-op. The
    diff ansible-playbook prints (the preview sets diff: true) is headed with the app it is about."""
    emulator = emulator_replace
    tasks = _examples('volc_live_relay_source') + _examples('volc_live_relay_source_info')
    run = run_playbook(playbook(*tasks), emulator=emulator)
    assert run.rc == 0, run
    assert run.failed_count == 0
    # the headers name the app, so a --diff of many apps says which one each diff is about
    assert '--- before: relay source %s/live\n+++ after: relay source %s/live' % (VHOST, VHOST) in run.stdout
    assert run.task('Pull live/* of push.example.com from two origin groups')['status'] == 'changed'
    assert run.task('Show what would change, without changing anything')['status'] == 'changed'
    assert run.task('Update one group and keep the groups not listed here')['status'] == 'changed'
    assert run.task('Delete one group')['status'] == 'changed'
    assert run.task('Make the groups exactly these, deleting any other group (purge_groups defaults to true)')['status'] == 'changed'
    assert run.task('Configure the sports app')['status'] == 'changed'
    assert run.task('Delete the whole relay source configuration of an app')['status'] == 'changed'
    assert run.task('Read one group of one app')['result']['relay_sources'] == []
    reapply = run.task('Re-apply what was read (reports no change)')
    assert reapply['status'] == 'ok' and len(reapply['result']['results']) == 1
    assert [config['App'] for config in emulator.state()['RelaySourceConfigList']] == ['sports']
