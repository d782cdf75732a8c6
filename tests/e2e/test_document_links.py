# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The links of the README, CONTRIBUTING.md and docs/*.md lead somewhere: a relative link to a file of the repository,
and a link to this repository on GitHub (blob/main or tree/main) to a path that exists. The README is the Galaxy page
too: a relative link there must lead to a file that ships; its links to the developer side are absolute."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import fnmatch
import re

import yaml

from ansible_collections.volcengine.cloud.tests.e2e.documentation import COLLECTION_DIR

REPOSITORY_URL = re.compile(r'^https://github\.com/volcengine-ansible/volcengine\.cloud/(?:blob|tree)/main/([^#?]+)')
# [text](target) and reference definitions `[name]: target`
LINK = re.compile(r'\]\(([^)\s]+)\)|^\[[^\]]+\]:\s*(\S+)', re.MULTILINE)
DOCUMENTS = ['README.md', 'CONTRIBUTING.md'] + sorted(str(path.relative_to(COLLECTION_DIR))
                                                      for path in (COLLECTION_DIR / 'docs').glob('*.md'))


def links(document):
    text = (COLLECTION_DIR / document).read_text(encoding='utf-8')
    text = re.sub(r'```.*?```', '', text, flags=re.DOTALL)  # code blocks hold no links
    return [inline or reference for inline, reference in LINK.findall(text)]


def broken_links(document):
    broken = []
    for target in links(document):
        repository_path = REPOSITORY_URL.match(target)
        if repository_path:
            path = COLLECTION_DIR / repository_path.group(1)
        elif re.match(r'^[a-z]+:', target) or target.startswith('#'):
            continue  # another site, or an anchor of the same page
        else:
            path = (COLLECTION_DIR / document).parent / target.split('#')[0]
        if not path.exists():
            broken.append(target)
    return broken


def test_the_documents_link_to_files_that_exist():
    assert 'docs/releasing.md' in DOCUMENTS and 'docs/testing.md' in DOCUMENTS
    assert {document: broken_links(document) for document in DOCUMENTS} == {document: [] for document in DOCUMENTS}


def left_out_of_the_artifact(path):
    with open(str(COLLECTION_DIR / 'galaxy.yml'), encoding='utf-8') as galaxy_file:
        patterns = yaml.safe_load(galaxy_file)['build_ignore']
    parts = path.split('/')
    return any(fnmatch.fnmatch('/'.join(parts[:length]), pattern) for pattern in patterns for length in range(1, len(parts) + 1))


def test_the_readme_links_relatively_only_to_files_that_ship():
    relative = [target for target in links('README.md') if not re.match(r'^[a-z]+:', target) and not target.startswith('#')]
    assert relative and [target for target in relative if left_out_of_the_artifact(target)] == []
    assert left_out_of_the_artifact('docs/releasing.md') and not left_out_of_the_artifact('docs/performance.md')


def test_the_release_procedure_is_linked_from_the_readme_and_contributing():
    assert 'https://github.com/volcengine-ansible/volcengine.cloud/blob/main/docs/releasing.md' in links('README.md')
    assert 'docs/releasing.md' in links('CONTRIBUTING.md')
