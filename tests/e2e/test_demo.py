# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make demo`: its story runs and says what it shows, and its environment is chosen as documented
(tools/demo.py, tools/demo_environment.py)."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import importlib.util
import re
import subprocess
import sys

import pytest

from ansible_collections.volcengine.cloud.tests.e2e.documentation import COLLECTION_DIR

TOOLS = COLLECTION_DIR / 'tools'


def load_tool(name):
    spec = importlib.util.spec_from_file_location(name, str(TOOLS / (name + '.py')))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_demo_tells_its_story_without_a_warning():
    completed = subprocess.run([sys.executable, str(TOOLS / 'demo.py')], capture_output=True, text=True, timeout=600,
                               check=False)
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-6000:]
    assert 'WARNING' not in output and 'No inventory was parsed' not in output
    steps = re.findall(r'^==== (\d)\. ', output, re.MULTILINE)
    assert steps == ['1', '2', '3', '4', '5'], output[-6000:]
    assert re.findall(r'ok=\d+ +changed=(\d+)', output) == ['1', '0', '1', '1', '0']
    # the diffs name the app; the check run's diff is the change; the read-back is in the modules' vocabulary
    assert output.count('--- before: relay source push.example.com/live') == 3
    assert '-        -   domain: origin-b.example.org:1935\n+        -   domain: origin-c.example.org:1935' in output
    read_back = output.split('==== 5.', 1)[1]
    assert 'current.relay_sources:' in read_back and 'RelaySourceConfigList' not in read_back
    assert output.rstrip().endswith('demo: OK - created, unchanged on the rerun, a change reviewed in check mode and applied, read back.')


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
