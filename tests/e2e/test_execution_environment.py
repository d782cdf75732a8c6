# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The built artifact declares its Python requirements so ansible-builder puts them into an execution
environment for AWX / Automation Controller."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import yaml

from ansible_collections.volcengine.cloud.tests.e2e.conftest import run_tool


def test_ansible_builder_introspect_lists_requests_from_the_built_collection(installed_collection):
    report = yaml.safe_load(run_tool('ansible-builder', 'introspect', str(installed_collection),
                                     cwd=str(installed_collection.parent)))

    # ansible-builder 3 lists 'requests>=2.20  # from collection volcengine.cloud'
    assert [line for line in report['python'] if 'volcengine.cloud' in line] == ['requests>=2.20  # from collection volcengine.cloud']
    shipped = installed_collection / 'ansible_collections' / 'volcengine' / 'cloud'
    assert (shipped / 'plugins' / 'modules' / 'volc_live_relay_source.py').exists()
