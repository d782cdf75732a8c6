# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/errors.md must list every code of errors.ERROR_ADVICE, with the same advice sentence."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pathlib
import re

import pytest
import yaml

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import ERROR_ADVICE

ERRORS_PAGE = pathlib.Path(__file__).resolve().parents[4] / 'docs' / 'errors.md'


def _rows():
    rows = {}
    for line in ERRORS_PAGE.read_text(encoding='utf-8').splitlines():
        match = re.match(r'^\| `([^`]+)` \| ([^|]+) \| (.+) \| (.+) \|$', line)
        if match:
            rows[match.group(1)] = (match.group(2).strip(), match.group(3).strip(), match.group(4).strip())
    return rows


@pytest.mark.parametrize('code', sorted(ERROR_ADVICE))
def test_every_advised_code_is_documented_with_its_advice(code):
    rows = _rows()
    assert code in rows, 'docs/errors.md lacks a row for %s' % code
    assert rows[code][2] == ERROR_ADVICE[code].replace('|', '\\|')


def test_no_undocumented_extra_rows():
    assert set(_rows()) == set(ERROR_ADVICE)


ERROR_REFERENCE_LABEL = 'ansible_collections.volcengine.cloud.docsite.errors'
MODULES = sorted(path for path in (ERRORS_PAGE.parents[1] / 'plugins' / 'modules').glob('*.py') if not path.name.startswith('_'))


def test_the_error_reference_is_on_the_docsite():
    docsite = ERRORS_PAGE.parent / 'docsite'
    toctrees = [entry for section in yaml.safe_load((docsite / 'extra-docs.yml').read_text(encoding='utf-8'))['sections']
                for entry in section['toctree']]
    assert 'errors' in toctrees
    # the label right above the title: with a comment between them, a :ref: to the label finds no title
    page = (docsite / 'rst' / 'errors.rst').read_text(encoding='utf-8')
    assert re.match(r'\.\. _%s:\n\n[^.\s].*\n=+\n' % re.escape(ERROR_REFERENCE_LABEL), page), page[:300]


def _documentation(path, opening="DOCUMENTATION = r'''"):
    return yaml.safe_load(path.read_text(encoding='utf-8').split(opening, 1)[1].split("'''", 1)[0])


def test_the_shared_doc_fragment_links_the_error_reference():
    """On the published docsite (galaxy.yml's documentation URL; the nox session docs-site checks that the page is
    built), as a plain link: ansible-doc turns a `ref:` into a docs.ansible.com search, which finds nothing."""
    fragment = _documentation(ERRORS_PAGE.parents[1] / 'plugins' / 'doc_fragments' / 'volcengine.py',
                              opening="    DOCUMENTATION = r'''")
    site = yaml.safe_load((ERRORS_PAGE.parents[1] / 'galaxy.yml').read_text(encoding='utf-8'))['documentation']
    assert {'name': 'Error reference', 'link': site.rstrip('/') + '/docsite/errors.html',
            'description': 'Every error code the modules report, what it means and what to do about it.'} in fragment['seealso']
    assert any(entry.get('link', '').endswith('/docs/errors.md') for entry in fragment['seealso'])
    assert [entry for entry in fragment['seealso'] if 'ref' in entry] == []


@pytest.mark.parametrize('module_path', MODULES, ids=[path.stem for path in MODULES])
def test_every_module_links_the_error_reference(module_path):
    """Through the shared doc fragment: ansible-doc adds a fragment's seealso entries to the module's."""
    assert 'volcengine.cloud.volcengine' in _documentation(module_path)['extends_documentation_fragment']
