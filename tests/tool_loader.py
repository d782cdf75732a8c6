# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Load a script of the collection's tools/ (a folder of scripts, not a package) by its path, for the tests of it.

tools/ sits beside tests/ in the source tree and in the assembled copy; it does not ship, nor do the tests that use
this."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import importlib.util
import os

TOOLS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'tools')


def load_tool(name):
    """tools/<name>.py as a module."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(TOOLS, name + '.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
