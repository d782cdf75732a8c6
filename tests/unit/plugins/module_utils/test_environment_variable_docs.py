# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every environment variable the modules read (module_support's ENV_ constants) is in every table of them: the
README, the user guide, the shared doc fragment and the AWX credential type's injectors."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pathlib
import re

import yaml

from ansible_collections.volcengine.cloud.plugins.doc_fragments.volcengine import ModuleDocFragment
from ansible_collections.volcengine.cloud.plugins.module_utils import module_support

COLLECTION_ROOT = pathlib.Path(__file__).resolve().parents[4]
VARIABLE = re.compile(r'\bVOLCENGINE_[A-Z_]+\b')
READ_BY_THE_MODULES = {value for name, value in vars(module_support).items() if name.startswith('ENV_')}


def test_the_code_names_no_volcengine_variable_beside_the_env_constants():
    found = set()
    for path in (COLLECTION_ROOT / 'plugins').rglob('*.py'):
        found.update(VARIABLE.findall(path.read_text(encoding='utf-8')))
    assert 'VOLCENGINE_RATE_LIMIT' in READ_BY_THE_MODULES
    assert found - READ_BY_THE_MODULES == set()


def test_every_option_with_an_environment_fallback_documents_its_variable():
    options = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']
    fallbacks = {}
    for option, spec in module_support.volcengine_argument_spec().items():
        if 'fallback' in spec:
            fallbacks[option] = spec['fallback'][1]
    assert set(name for names in fallbacks.values() for name in names) == READ_BY_THE_MODULES
    for option, names in fallbacks.items():
        description = ' '.join(options[option]['description'])
        assert ['E(%s)' % name for name in names if 'E(%s)' % name not in description] == [], option


def test_the_readme_table_lists_every_variable():
    readme = (COLLECTION_ROOT / 'README.md').read_text(encoding='utf-8')
    rows = re.findall(r'^\| `(\w+)` \| `(VOLCENGINE_[A-Z_]+)` \|', readme, re.MULTILINE)
    assert set(variable for _option, variable in rows) == READ_BY_THE_MODULES
    assert ('rate_limit', 'VOLCENGINE_RATE_LIMIT') in rows


def test_the_user_guide_table_lists_every_variable():
    guide = (COLLECTION_ROOT / 'docs' / 'docsite' / 'rst' / 'guide.rst').read_text(encoding='utf-8')
    table = guide.split('.. list-table::', 1)[1].split('\n\n', 2)[1]
    assert set(re.findall(r'^     - ``(VOLCENGINE_[A-Z_]+)``$', table, re.MULTILINE)) == READ_BY_THE_MODULES


def test_the_awx_credential_type_injects_every_variable():
    injectors = yaml.safe_load((COLLECTION_ROOT / 'docs' / 'awx' / 'credential_type_injectors.yml').read_text(encoding='utf-8'))
    assert set(injectors['env']) == READ_BY_THE_MODULES
