# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the documentation shows, found where it is shown: code blocks of the user guide (reStructuredText) and the
README (Markdown), and the playbooks of examples/. The tests that run them import these helpers."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pathlib
import re

import yaml

COLLECTION_DIR = pathlib.Path(__file__).resolve().parents[2]
GUIDE = COLLECTION_DIR / 'docs' / 'docsite' / 'rst' / 'guide.rst'
README = COLLECTION_DIR / 'README.md'
EXAMPLES = COLLECTION_DIR / 'examples'

# The localhost convention of cloud collections: how every documented play starts.
LOCALHOST_CONVENTION = {'hosts': 'localhost', 'connection': 'local', 'gather_facts': False}
INTERPRETER = '{{ ansible_playbook_python }}'

_RST_CODE_BLOCK = re.compile(r'^\.\. code-block:: (?P<language>\S+)\n\n(?P<body>(?:(?:   .*)?\n)+)', re.MULTILINE)
_MARKDOWN_CODE_BLOCK = re.compile(r'^```(?P<language>\S*)\n(?P<body>.*?)^```$', re.MULTILINE | re.DOTALL)


def guide_code_blocks(language, text=None):
    """The bodies of the guide's ``.. code-block:: <language>`` blocks (or of those in ``text``, a part of it)."""
    blocks = []
    for match in _RST_CODE_BLOCK.finditer(GUIDE.read_text(encoding='utf-8') if text is None else text):
        if match.group('language') == language:
            blocks.append('\n'.join(line[3:] for line in match.group('body').splitlines()).strip() + '\n')
    return blocks


def guide_section(label):
    """The guide's text from the label ``.. _<label>:`` to the next label."""
    text = GUIDE.read_text(encoding='utf-8')
    start = text.index('.. _%s:' % label)
    following = text.find('\n.. _', start + 1)
    return text[start:following if following != -1 else len(text)]


def readme_code_blocks(language):
    return [match.group('body') for match in _MARKDOWN_CODE_BLOCK.finditer(README.read_text(encoding='utf-8'))
            if match.group('language') == language]


def is_playbook(text):
    document = yaml.safe_load(text)
    return isinstance(document, list) and bool(document) and all(isinstance(play, dict) and 'hosts' in play for play in document)


def documented_playbooks():
    """{id: playbook text or path} for every playbook of the guide, the README and examples/ (a YAML file there that
    is not a list of plays, such as a vars file, is not a playbook)."""
    found = {}
    for index, block in enumerate(block for block in guide_code_blocks('yaml+jinja') if is_playbook(block)):
        found['guide-%d' % index] = block
    for index, block in enumerate(block for block in readme_code_blocks('yaml') if is_playbook(block)):
        found['readme-%d' % index] = block
    for path in sorted(EXAMPLES.rglob('*.yml')):
        if is_playbook(path.read_text(encoding='utf-8')):
            found['examples/%s' % path.relative_to(EXAMPLES)] = path
    return found


def plays_of(playbook):
    text = playbook.read_text(encoding='utf-8') if isinstance(playbook, pathlib.Path) else playbook
    return yaml.safe_load(text)
