# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""pytest from a checkout: ``ansible_collections.volcengine.cloud`` is this tree, as it is on disk.

The tests import the collection by its full name, which Python finds only in a directory
``ansible_collections/volcengine/cloud`` under a ``sys.path`` entry. A checkout seldom lies at such a path, so this
file links ``build/tree/ansible_collections/volcengine/cloud`` to the checkout and puts ``build/tree`` first on
``sys.path``: ``python -m pytest tests/unit`` at the repository root then tests every file as it is, with no copy to
refresh after an edit. The collection's files keep their paths under the link, so a test that walks up from a
module's ``__file__`` finds ``build/tree`` as the collections root, as it finds ``build`` in the assembled copy.

A tree that already lies under ``ansible_collections/volcengine/cloud`` (the copy of tools/assemble_collection.py,
a clone made inside a collections directory) gets no link: its collections root goes first on ``sys.path`` only if
``sys.path`` does not hold it yet (the stages and CONTRIBUTING.md's commands set ``PYTHONPATH`` to it, and nothing
changes for them). The file serves the checkout only and does not ship in the artifact (``build_ignore`` in
galaxy.yml), where the shipped units run from the installed collection's own path.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import importlib
import os
import sys

COLLECTION_PATH = ('ansible_collections', 'volcengine', 'cloud')
TREE = os.path.dirname(os.path.abspath(__file__))
# build/ is git-ignored, pytest does not collect in it and `make clean` removes it (the link, not what it points to).
LINK_ROOT = os.path.join(TREE, 'build', 'tree')


def _same_path(first, second):
    return os.path.realpath(first) == os.path.realpath(second)


def _lies_in_a_collections_tree(tree):
    parts = []
    for _level in COLLECTION_PATH:
        tree, name = os.path.split(tree)
        parts.insert(0, name)
    return tuple(parts) == COLLECTION_PATH


def _link_the_checkout():
    """``LINK_ROOT/ansible_collections/volcengine/cloud`` -> the checkout (relative, so a moved checkout keeps it)."""
    link = os.path.join(LINK_ROOT, *COLLECTION_PATH)
    if os.path.islink(link) and _same_path(link, TREE):
        return
    os.makedirs(os.path.dirname(link), exist_ok=True)
    staged = '%s.%d' % (link, os.getpid())
    os.symlink(os.path.relpath(TREE, os.path.dirname(link)), staged)
    try:
        os.replace(staged, link)  # atomic: a concurrent run sees the old link or the new one
    except OSError:
        os.remove(staged)
        raise


def _put_first_on_sys_path(collections_root):
    sys.path[:] = [collections_root] + [entry for entry in sys.path if not _same_path(entry or '.', collections_root)]


def _check_the_import_resolves_here():
    """Another volcengine.cloud on the import path (an assembled copy on PYTHONPATH, one imported already) would
    lend the tests its files where this tree has none, or stand in for this tree: stop before any test runs."""
    package = importlib.import_module('.'.join(COLLECTION_PATH))
    locations = list(package.__path__)
    if not locations or not all(_same_path(location, TREE) for location in locations):
        raise RuntimeError('ansible_collections.volcengine.cloud resolves to %s, not to this tree alone (%s): unset '
                           'PYTHONPATH, or run pytest in that copy' % (', '.join(locations), TREE))


if _lies_in_a_collections_tree(TREE):
    COLLECTIONS_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(TREE)))
    if not any(_same_path(entry or '.', COLLECTIONS_ROOT) for entry in sys.path):
        sys.path.insert(0, COLLECTIONS_ROOT)
else:
    _link_the_checkout()
    _put_first_on_sys_path(LINK_ROOT)
    importlib.invalidate_caches()
    _check_the_import_resolves_here()
