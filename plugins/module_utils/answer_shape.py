# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.cloud collection: not an API for other collections, roles or plugins. It may change
# incompatibly, or go, in any release of the collection (a patch release included) without notice.
"""The boundary check of an API answer's shape: logic reads ``Result`` only through an ``AnswerReader``.

Each accessor returns the value when it has the JSON type expected and otherwise raises
``VolcengineResponseError`` (code ``InvalidResponse``) whose message starts with the path of the odd field, e.g.
``Result.RelaySourceConfigList[0].GroupDetails[1].Servers``, and which carries the action, the RequestId and the
HTTP status of the answer.  So the logic behind it never meets a value of the wrong type, a module fails closed
before any write, and no exception other than the collection's own leaves the check.  Messages never quote a
value whole (it is server text): they give its JSON type, or an escaped and shortened form (``shown``).
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineResponseError

_ABSENT = object()
_JSON_TYPES = ((type(None), 'null'), (bool, 'a boolean'), ((int, float), 'a number'), (str, 'a string'),
               (list, 'an array'), (dict, 'an object'))
_EXPECTED = {dict: 'an object', list: 'an array', str: 'a string'}
SHOWN_LENGTH = 40


def json_type(value):
    """'an object', 'a string', 'null' ...: what a message says a value is."""
    for kinds, name in _JSON_TYPES:
        if isinstance(value, kinds):
            return name
    return 'a %s' % type(value).__name__


def shown(text):
    """Server text for a message: JSON-quoted with every non-ASCII or control character escaped, shortened."""
    quoted = json.dumps(str(text), ensure_ascii=True)
    return quoted if len(quoted) <= SHOWN_LENGTH else quoted[:SHOWN_LENGTH - 4] + '..."'


class AnswerReader(object):
    """Type-checked access to one answer (an APIResponse) of ``action``."""

    def __init__(self, response, action):
        self.action = action
        self.request_id = getattr(response, 'request_id', None)
        self.http_status = getattr(response, 'http_status', None)

    def fail(self, path, problem):
        raise VolcengineResponseError(path, problem, action=self.action, http_status=self.http_status,
                                      request_id=self.request_id)

    def expect(self, value, kind, path):
        """``value`` when it is a ``kind`` (dict, list or str)."""
        if not isinstance(value, kind):
            self.fail(path, 'is %s; expected %s' % (json_type(value), _EXPECTED[kind]))
        return value

    def member(self, container, key, path, kind):
        """``container[key]`` (``container`` already checked to be a dict at ``path``), present and a ``kind``."""
        member_path = '%s.%s' % (path, key)
        value = container.get(key, _ABSENT)
        if value is _ABSENT:
            self.fail(member_path, 'is missing; expected %s' % _EXPECTED[kind])
        return self.expect(value, kind, member_path)

    def items(self, values, path, kind):
        """``[(item_path, item)]`` of the list ``values``, every item checked to be a ``kind``."""
        checked = []
        for index, item in enumerate(values):
            item_path = '%s[%d]' % (path, index)
            checked.append((item_path, self.expect(item, kind, item_path)))
        return checked

    def string_map(self, value, path):
        """A dict of str -> str from an object of strings, or from a string holding such an object as JSON."""
        holder = ''
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except (ValueError, RecursionError):
                self.fail(path, 'is a string that is not JSON; expected an object of strings')
            holder = ' (decoded from the JSON string it held)'
        if not isinstance(value, dict):
            self.fail(path, 'is %s%s; expected an object of strings' % (json_type(value), holder))
        for key, item in value.items():
            if not isinstance(key, str) or not isinstance(item, str):
                self.fail('%s[%s]' % (path, shown(key)), 'is %s%s; expected a string' % (json_type(item), holder))
        return dict(value)
