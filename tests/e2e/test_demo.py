# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make demo`: its story runs and says what it shows, and its environment is chosen as documented
(tools/demo.py, tools/demo_environment.py)."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
import subprocess
import sys

import pytest

from ansible_collections.volcengine.cloud.tests.e2e.documentation import COLLECTION_DIR
from ansible_collections.volcengine.cloud.tests.tool_loader import load_tool

TOOLS = COLLECTION_DIR / 'tools'


def test_the_demo_tells_its_story_without_a_warning():
    completed = subprocess.run([sys.executable, str(TOOLS / 'demo.py')], capture_output=True, text=True, timeout=600,
                               check=False)
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-6000:]
    assert 'WARNING' not in output and 'No inventory was parsed' not in output
    steps = re.findall(r'^==== (\d+)\. ', output, re.MULTILINE)
    assert steps == [str(step) for step in range(1, 11)], output[-6000:]
    assert re.findall(r'ok=\d+ +changed=(\d+)', output) == ['1', '0', '1', '1', '0', '1', '1', '1', '0']
    # the one output setting the demo makes is said before the first step, and the guide documents it
    announced = output.split('==== 1.', 1)[0]
    assert '==> showing results as YAML (ANSIBLE_CALLBACK_RESULT_FORMAT=yaml;' in announced
    guide = (COLLECTION_DIR / 'docs' / 'docsite' / 'rst' / 'guide.rst').read_text(encoding='utf-8')
    assert 'callback_result_format = yaml' in guide and 'ANSIBLE_CALLBACK_RESULT_FORMAT' in guide

    # act one, one app: the diffs name the app; the check run's diff is the change; the read-back is in the modules'
    # vocabulary
    act_one, act_two = output.split('==== 6.', 1)
    assert act_one.count('--- before: relay source push.example.com/live') == 3
    assert '-        -   domain: origin-b.example.org:1935\n+        -   domain: origin-c.example.org:1935' in act_one
    read_back = act_one.split('==== 5.', 1)[1]
    assert 'current.relay_sources:' in read_back and 'RelaySourceConfigList' not in read_back

    # act two, the whole vhost: the gathered data file holds the three apps, the edit is shown, the review shows every
    # change (the deletion included) and nothing of the unchanged app, and the apply shows the same diffs
    gathered = act_two.split('$ cat build/demo/push.example.com.yml\n', 1)[1].split('==== 7.', 1)[0]
    assert re.findall(r'^  app: (\S+)$', gathered, re.MULTILINE) == ['live', 'news', 'sports']
    edit = act_two.split('==== 7.', 1)[1].split('==== 8.', 1)[0]
    assert '-  app: news\n' in edit and '+  app: events\n' in edit
    assert '-    - domain: stadium-origin.example.org\n+    - domain: stadium-origin-2.example.org\n' in edit
    review, apply = act_two.split('==== 8.', 1)[1].split('==== 9.', 1)
    apply, rerun = apply.split('==== 10.', 1)
    assert '--check --diff' in review.splitlines()[1]
    for shown in (review, apply):
        headers = re.findall(r'^--- before: relay source (\S+)$', shown, re.MULTILINE)
        assert sorted(headers) == ['push.example.com/events', 'push.example.com/news', 'push.example.com/sports']
        assert '-    app: news\n' in shown and '+    app: events\n' in shown
        assert '+        -   domain: stadium-origin-2.example.org\n' in shown
    assert 'push.example.com: would create 1 (events), would update 1 (sports), would delete 1 (news), unchanged 1' in review
    assert 'push.example.com: created 1 (events), updated 1 (sports), deleted 1 (news), unchanged 1' in apply
    assert 'applied with DeleteRelaySourceV3 news, UpdateRelaySourceV3 events, UpdateRelaySourceV3 sports;' in apply
    assert 'relay source' not in rerun and '==> changed=0: one read (DescribeRelaySourceV3)' in rerun

    assert output.rstrip().endswith(
        'demo: OK - one app created, unchanged on the rerun, a change reviewed in check mode and applied, read back;'
        ' the whole vhost gathered to data, an edit reviewed with --check --diff, applied, unchanged on the rerun.')


def test_the_demo_environment_gets_the_newest_tested_ansible_core_the_python_accepts():
    demo_environment = load_tool('demo_environment')
    pins = demo_environment.tested_core_pins()
    assert {core: pins[core] for core in set(demo_environment.NEWEST_CORE_FOR_PYTHON.values())} == {
        '2.17': 'ansible-core==2.17.14', '2.19': 'ansible-core==2.19.14', '2.21': 'ansible-core==2.21.5'}
    # ansible-core 2.18+ needs Python 3.11, 2.20+ needs 3.12: each Python gets the newest release it can run
    assert demo_environment.NEWEST_CORE_FOR_PYTHON[(3, 10)] == '2.17'
    assert demo_environment.NEWEST_CORE_FOR_PYTHON[(3, 11)] == '2.19'
    assert {demo_environment.NEWEST_CORE_FOR_PYTHON[(3, minor)] for minor in (12, 13, 14)} == {'2.21'}


def test_the_demo_requirements_pin_what_the_tests_pin():
    def pins(name):
        lines = (TOOLS / name).read_text(encoding='utf-8').splitlines()
        return dict(line.split('==') for line in lines if '==' in line and not line.startswith('#'))

    demo = pins('requirements-demo.txt')
    assert set(demo) == {'requests', 'volcengine'}
    assert demo == {name: pins('requirements-test.txt')[name] for name in demo}


def fake_python(tmp_path, version):
    """An executable that answers the probe of demo_environment as a Python ``version`` would."""
    path = tmp_path / ('python' + version)
    major, minor = version.split('.')[:2]
    path.write_text('#!/bin/sh\necho \'[%s, %s, "%s"]\'\n' % (major, minor, version), encoding='utf-8')
    path.chmod(0o755)
    return str(path)


def test_the_demo_environment_passes_over_a_python_no_supported_ansible_core_accepts(tmp_path, monkeypatch):
    demo_environment = load_tool('demo_environment')
    monkeypatch.setattr(demo_environment, 'candidates', lambda: [fake_python(tmp_path, '3.9.18'), fake_python(tmp_path, '3.12.1')])
    python, version, full_version = demo_environment.choose_python()
    assert (python.endswith('python3.12.1'), version, full_version) == (True, (3, 12), '3.12.1')

    monkeypatch.setattr(demo_environment, 'candidates', lambda: [fake_python(tmp_path, '3.9.18'), str(tmp_path / 'missing')])
    refusal = r'needs Python 3\.10 to 3\.14 .* found .*python3\.9\.18 \(Python 3\.9\.18\), .*missing \(cannot make a venv'
    with pytest.raises(demo_environment.DemoEnvironmentError, match=refusal):
        demo_environment.choose_python()


def test_demo_python_comes_first(tmp_path, monkeypatch):
    demo_environment = load_tool('demo_environment')
    chosen = fake_python(tmp_path, '3.10.13')
    monkeypatch.setenv('DEMO_PYTHON', chosen)
    assert demo_environment.candidates()[0] == chosen
