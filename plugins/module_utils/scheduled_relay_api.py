# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.cloud collection: not an API for other collections, roles or plugins. It may change
# incompatibly, or go, in any release of the collection (a patch release included) without notice.
"""The fixed-trigger relay actions of the Live API (Version 2023-01-01): Create/Update/DeleteRelaySourceV4 bodies,
the paged ListRelaySourceV4 read, and the checks of its answers, which read them into ``scheduled_relay.Stream``
objects or fail closed.

Reads.  One domain is read page by page (``Size`` PAGE_SIZE, the API's largest) until the streams read reach
``Result.Pagination.TotalCount``.  Every field is checked (``answer_shape.AnswerReader``) before any logic reads it,
and anything odd raises ``VolcengineResponseError`` (code ``InvalidResponse``, the path of the odd field), so the
module stops before its first write: a ``Result`` that is not an object, ``List`` or ``Pagination`` missing or of
another type, ``TotalCount`` that is not a whole number or that changes between pages (the streams changed while
they were read), ``PageCur`` other than the page asked for, a page without streams before the count is reached,
more streams than the count, a stream listed twice, an entry whose ``Domain`` is another domain (compared
case-insensitively), an ``App`` or ``Stream`` the input rules refuse, ``SrcAddrS`` that is not a non-empty list of
strings, ``StartTime``/``EndTime`` that are not Unix seconds, only one of them, or an end not after the start.  A
permanent entry may show ``StartTime``/``EndTime`` as 0, null or absent.  "Nothing configured" is only: ``Result``
absent, null or ``{}`` on the first page, ``List: []`` with ``TotalCount`` 0, or the 404 ``ResourceNotFound``.
Fields beside these are ignored: no write sends them back (an update carries only the documented fields).

Writes.  Create and Update take the same body; a permanent stream's has neither ``StartTime`` nor ``EndTime``.  Their
answers are checked as the play-triggered writes' are: a ``Result`` that is there must be an object.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.volcengine.cloud.plugins.module_utils.answer_shape import AnswerReader, json_type, shown
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineError
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_input import APP_PATTERN
from ansible_collections.volcengine.cloud.plugins.module_utils.scheduled_relay import Stream, same_domain
from ansible_collections.volcengine.cloud.plugins.module_utils.scheduled_relay_input import STREAM_PATTERN

API_VERSION = '2023-01-01'
ACTION_CREATE = 'CreateRelaySourceV4'
ACTION_UPDATE = 'UpdateRelaySourceV4'
ACTION_DELETE = 'DeleteRelaySourceV4'
ACTION_LIST = 'ListRelaySourceV4'
ACTIONS = (ACTION_CREATE, ACTION_UPDATE, ACTION_DELETE, ACTION_LIST)
# The most streams one ListRelaySourceV4 page holds.
PAGE_SIZE = 500

_ABSENT = object()


# --------------------------------------------------------------------------------------------------------------
# Requests
# --------------------------------------------------------------------------------------------------------------

def write_body(stream):
    """The body of the CreateRelaySourceV4 or UpdateRelaySourceV4 that gives ``stream`` its origins and window."""
    body = {'Domain': stream.domain, 'App': stream.app, 'Stream': stream.stream, 'SrcAddrS': list(stream.origins)}
    if not stream.permanent:
        body.update(StartTime=stream.start, EndTime=stream.end)
    return body


def delete_body(stream):
    return {'Domain': stream.domain, 'App': stream.app, 'Stream': stream.stream}


# --------------------------------------------------------------------------------------------------------------
# Reading a List answer
# --------------------------------------------------------------------------------------------------------------

def _whole_number(answer, container, key, path, absent=_ABSENT):
    """``container[key]``, a JSON whole number (not a boolean); ``absent`` when it is missing (fails when that is
    _ABSENT)."""
    value = container.get(key, _ABSENT)
    if value is _ABSENT and absent is not _ABSENT:
        return absent
    if value is _ABSENT:
        answer.fail('%s.%s' % (path, key), 'is missing; expected a whole number')
    if isinstance(value, bool) or not isinstance(value, int):
        answer.fail('%s.%s' % (path, key), 'is %s; expected a whole number' % json_type(value))
    return value


def _time(answer, entry, key, path):
    """StartTime/EndTime: Unix seconds, None for 0, null or absent (a permanent entry)."""
    value = entry.get(key)
    if value is None:
        return None
    rule = 'expected Unix seconds (a whole number; 0, null or absent for a permanent entry)'
    if isinstance(value, bool) or not isinstance(value, int):
        answer.fail('%s.%s' % (path, key), 'is %s; %s' % (json_type(value), rule))
    if value < 0:
        answer.fail('%s.%s' % (path, key), 'is %d; %s' % (value, rule))
    return value or None


def _stream_from_answer(answer, entry, path, domain):
    entry_domain = answer.member(entry, 'Domain', path, str)
    if not same_domain(entry_domain, domain):
        answer.fail(path + '.Domain', 'is %s, not the domain asked for (%s)' % (shown(entry_domain), shown(domain)))
    app = answer.member(entry, 'App', path, str)
    if not APP_PATTERN.fullmatch(app):
        answer.fail(path + '.App', 'is %s, not an app name this collection accepts (1 to 30 ASCII letters, digits, '
                    '"_", "-" and ".")' % shown(app))
    name = answer.member(entry, 'Stream', path, str)
    if not STREAM_PATTERN.fullmatch(name):
        answer.fail(path + '.Stream', 'is %s, not a stream name this collection accepts (1 to 100 ASCII letters, '
                    'digits, "_", "-" and ".")' % shown(name))
    addresses = answer.member(entry, 'SrcAddrS', path, list)
    if not addresses:
        answer.fail(path + '.SrcAddrS', 'is empty; a fixed-trigger relay pulls from 1 to 10 origins')
    origins = [origin for _origin_path, origin in answer.items(addresses, path + '.SrcAddrS', str)]
    start, end = _time(answer, entry, 'StartTime', path), _time(answer, entry, 'EndTime', path)
    if (start is None) != (end is None):
        answer.fail(path + ('.EndTime' if end is None else '.StartTime'), 'is 0, null or absent while %s is set: an '
                    'entry is permanent (both unset) or has a window (both set)' % ('StartTime' if end is None else 'EndTime'))
    if start is not None and end <= start:
        answer.fail(path + '.EndTime', 'is %d, not after StartTime (%d)' % (end, start))
    return Stream(domain, app, name, origins, start, end)


def streams_from_list_answer(response, domain, page):
    """(the Streams of one ListRelaySourceV4 page for ``domain``, TotalCount), once the page's whole shape has been
    checked (see the module docstring); (``[]``, None) for a first page whose Result is absent, null or ``{}``."""
    answer = AnswerReader(response, ACTION_LIST)
    result = response.result
    if page == 1 and (result is None or result == {}):
        return [], None
    answer.expect(result, dict, 'Result')
    entries = answer.member(result, 'List', 'Result', list)
    pagination = answer.member(result, 'Pagination', 'Result', dict)
    total = _whole_number(answer, pagination, 'TotalCount', 'Result.Pagination')
    if total < 0:
        answer.fail('Result.Pagination.TotalCount', 'is %d; expected a count' % total)
    page_cur = _whole_number(answer, pagination, 'PageCur', 'Result.Pagination', absent=page)
    if page_cur != page:
        answer.fail('Result.Pagination.PageCur', 'is %d, not the page asked for (%d)' % (page_cur, page))
    return [_stream_from_answer(answer, entry, path, domain) for path, entry in answer.items(entries, 'Result.List', dict)], total


def list_streams(client, domain, page_size=PAGE_SIZE):
    """Every Stream of ``domain``, in the API's order, from as many ListRelaySourceV4 pages as its TotalCount needs
    (1,000 streams: two calls); VolcengineResponseError naming the odd field of an answer it does not understand."""
    streams, first_page_of = [], {}
    total, page = None, 1
    while True:
        try:
            response = client.call(ACTION_LIST, API_VERSION, {'Domain': domain, 'Page': page, 'Size': page_size})
        except VolcengineError as error:
            if page == 1 and error.code == 'ResourceNotFound' and error.http_status == 404:
                return []
            raise
        answer = AnswerReader(response, ACTION_LIST)
        page_streams, page_total = streams_from_list_answer(response, domain, page)
        if page_total is None:
            return []
        if total is None:
            total = page_total
        elif page_total != total:
            answer.fail('Result.Pagination.TotalCount', 'is %d on page %d but was %d on page 1: the streams changed while '
                        'they were read; run the task again' % (page_total, page, total))
        for index, stream in enumerate(page_streams):
            if stream.key in first_page_of:
                answer.fail('Result.List[%d]' % index, 'lists %s a second time (first on page %d)' % (
                    shown('%s/%s' % (stream.app, stream.stream)), first_page_of[stream.key]))
            first_page_of[stream.key] = page
        streams.extend(page_streams)
        if len(streams) > total:
            answer.fail('Result.Pagination.TotalCount', 'is %d, but %d streams were listed' % (total, len(streams)))
        if len(streams) == total:
            return streams
        if not page_streams:
            answer.fail('Result.List', 'is empty on page %d, but Pagination.TotalCount says %d streams and %d were read'
                        % (page, total, len(streams)))
        page += 1


def find_stream(client, wanted):
    """The Stream of ``wanted``'s domain, app and stream as a fresh read of its domain shows it; None when it has no
    configuration."""
    return next((stream for stream in list_streams(client, wanted.domain) if stream.key == wanted.key), None)


# --------------------------------------------------------------------------------------------------------------
# Writes
# --------------------------------------------------------------------------------------------------------------

def send_write(client, action, body):
    """Make a write call: the client never re-sends it on its own after an answer it lost (the writer settles that
    with a read).  A ``Result`` that is there must be an object (Create's holds a ``TaskId``)."""
    response = client.call(action, API_VERSION, body, write=True)
    if response.result is not None:
        AnswerReader(response, action).expect(response.result, dict, 'Result')
    return response
