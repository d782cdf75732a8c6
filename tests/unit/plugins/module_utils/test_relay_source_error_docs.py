# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The error reference is a page of the docsite and every module links it. What the page says is generated from
errors.ERROR_REFERENCE (tools/render_errors_page.py; tests/unit/tools/test_render_errors_page.py tests it)."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import pathlib
import re

import pytest
import yaml

COLLECTION = pathlib.Path(__file__).resolve().parents[4]

ERROR_REFERENCE_LABEL = 'ansible_collections.volcengine.cloud.docsite.errors'
MODULES = sorted(path for path in (COLLECTION / 'plugins' / 'modules').glob('*.py') if not path.name.startswith('_'))


def test_the_error_reference_is_on_the_docsite():
    docsite = COLLECTION / 'docs' / 'docsite'
    toctrees = [entry for section in yaml.safe_load((docsite / 'extra-docs.yml').read_text(encoding='utf-8'))['sections']
                for entry in section['toctree']]
    assert 'errors' in toctrees
    # the label right above the title: with a comment between them, a :ref: to the label finds no title
    page = (docsite / 'rst' / 'errors.rst').read_text(encoding='utf-8')
    assert re.search(r'^\.\. _%s:\n\n[^.\s].*\n=+\n' % re.escape(ERROR_REFERENCE_LABEL), page, re.MULTILINE), page[:300]


def _documentation_url():
    """galaxy.yml's documentation URL; an installed collection has it in MANIFEST.json (galaxy.yml does not ship)."""
    if (COLLECTION / 'galaxy.yml').is_file():
        return yaml.safe_load((COLLECTION / 'galaxy.yml').read_text(encoding='utf-8'))['documentation']
    return json.loads((COLLECTION / 'MANIFEST.json').read_text(encoding='utf-8'))['collection_info']['documentation']


def _documentation(path, opening="DOCUMENTATION = r'''"):
    return yaml.safe_load(path.read_text(encoding='utf-8').split(opening, 1)[1].split("'''", 1)[0])


def test_the_shared_doc_fragment_links_the_error_reference():
    """On the published docsite (galaxy.yml's documentation URL; the nox session docs-site checks that the page is
    built), as a plain link: ansible-doc turns a `ref:` into a docs.ansible.com search, which finds nothing."""
    fragment = _documentation(COLLECTION / 'plugins' / 'doc_fragments' / 'volcengine.py',
                              opening="    DOCUMENTATION = r'''")
    site = _documentation_url()
    assert {'name': 'Error reference', 'link': site.rstrip('/') + '/docsite/errors.html',
            'description': 'Every error code the modules report, what it means and what to do about it.'} in fragment['seealso']
    assert [entry for entry in fragment['seealso'] if 'ref' in entry] == []


@pytest.mark.parametrize('module_path', MODULES, ids=[path.stem for path in MODULES])
def test_every_module_links_the_error_reference(module_path):
    """Through the shared doc fragment: ansible-doc adds a fragment's seealso entries to the module's."""
    assert 'volcengine.cloud.volcengine' in _documentation(module_path)['extends_documentation_fragment']
