# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tools/check_release.py's rule for version_added: a released version lists the module as new in that release; a
module not released yet is new in the next minor release after galaxy.yml's version, and in no other."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.volcengine.cloud.tests.tool_loader import load_tool

check_release = load_tool('check_release')
RELEASES = {'0.1.0': {'modules': [{'name': 'volc_live_relay_source'}]}}


@pytest.mark.parametrize('added, problem', [
    ('0.1.0', None),
    ('0.2.0', None),
    ('0.3.0', "volc_new says version_added 0.3.0; a module not released yet is new in the next minor release after "
              "galaxy.yml's 0.1.0, 0.2.0"),
    ('1.0.0', "volc_new says version_added 1.0.0; a module not released yet is new in the next minor release after "
              "galaxy.yml's 0.1.0, 0.2.0"),
    ('0.1.1', "volc_new says version_added 0.1.1; a module not released yet is new in the next minor release after "
              "galaxy.yml's 0.1.0, 0.2.0"),
])
def test_a_module_not_released_yet_is_new_in_the_next_minor_release(monkeypatch, added, problem):
    monkeypatch.setattr(check_release, 'modules_by_version_added',
                        lambda: {'volc_live_relay_source': '0.1.0', 'volc_new': added})
    releases = dict(RELEASES, **({'0.1.0': {'modules': [{'name': 'volc_live_relay_source'}, {'name': 'volc_new'}]}}
                                 if added == '0.1.0' else {}))
    assert check_release.module_problems('0.1.0', releases) == ([problem] if problem else [])


def test_a_released_module_is_listed_in_its_release(monkeypatch):
    monkeypatch.setattr(check_release, 'modules_by_version_added', lambda: {'volc_new': '0.1.0'})
    assert check_release.module_problems('0.1.0', RELEASES) == [
        'volc_new (version_added 0.1.0) is not a new module of release 0.1.0 in changelog.yaml']
