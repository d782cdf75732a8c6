# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ansible-core pins outside noxfile.py's ANSIBLE_CORES follow it: antsibull-nox.toml pins the release of the
test sessions (TEST_CORE) for its own sessions (pylint, ansible-lint, the docs and the build checks), in several
places that nox cannot fill in from the noxfile."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast
import os
import re

from ansible_collections.volcengine.cloud.tests.tool_loader import TOOLS, load_tool

ROOT = os.path.dirname(TOOLS)


def noxfile_constant(name):
    with open(os.path.join(ROOT, 'noxfile.py'), encoding='utf-8') as noxfile:
        tree = ast.parse(noxfile.read())
    values = [ast.literal_eval(node.value) for node in tree.body
              if isinstance(node, ast.Assign) and [getattr(target, 'id', None) for target in node.targets] == [name]]
    assert len(values) == 1, 'noxfile.py assigns %s %d times' % (name, len(values))
    return values[0]


def test_antsibull_nox_pins_the_ansible_core_of_the_test_sessions():
    pin = load_tool('demo_environment').tested_core_pins()[noxfile_constant('TEST_CORE')]
    with open(os.path.join(ROOT, 'antsibull-nox.toml'), encoding='utf-8') as toml_file:
        pins = re.findall(r'ansible-core[=<>!~]=?[^"\s,\]]+', toml_file.read())
    assert pins, 'antsibull-nox.toml pins no ansible-core'
    assert set(pins) == {pin}, 'antsibull-nox.toml pins %s; noxfile.py tests with %s' % (sorted(set(pins)), pin)
