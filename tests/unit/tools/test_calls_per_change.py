# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tools/calls_per_change.py, the one home of the calls-per-change table: the module notes and the user guide hold
exactly what it computes with the writer against the emulator's model."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type


import pytest

from ansible_collections.volcengine.cloud.tests.tool_loader import load_tool


@pytest.fixture(scope='module')
def tool():
    return load_tool('calls_per_change')


def test_the_module_notes_and_the_guide_hold_the_computed_table(tool):
    rows = tool.table()
    for path, (current, computed) in tool.rendered_documents(rows).items():
        assert current == computed, '%s is stale: run `PYTHONPATH=build python tools/calls_per_change.py --write`' % path


def test_the_table_says_what_the_issue_asks_of_the_writer(tool):
    rows = dict(tool.table())
    assert rows['no change'] == [1, 1, 1, 1]
    assert rows['create two groups'] == [2, 2, 2, 2] and rows['change a group in place'] == [2, 2, 2, 2]
    assert rows['purge_groups=false: change B, add C'] == [2, 2, 2, 2]


def test_a_stale_table_is_found(tool, monkeypatch, tmp_path):
    guide = tmp_path / 'guide.rst'
    with open(tool.GUIDE_FILE, encoding='utf-8') as original:
        guide.write_text(original.read().replace('  no change  ', '  no change! ', 1), encoding='utf-8')
    monkeypatch.setattr(tool, 'GUIDE_FILE', str(guide))
    documents = tool.rendered_documents(tool.table())
    current, computed = documents[str(guide)]
    assert current != computed
