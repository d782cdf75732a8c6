# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fixed-trigger relay's reads and request bodies (scheduled_relay_api.py): every page is read, and an answer that
is not understood fails closed with the path of the odd field, never read as "nothing configured"."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineAPIError, VolcengineResponseError
from ansible_collections.volcengine.cloud.plugins.module_utils.scheduled_relay import Stream
from ansible_collections.volcengine.cloud.plugins.module_utils import scheduled_relay_api as api_module
from ansible_collections.volcengine.cloud.tests.emulator.api_model import ACTION_CREATE_V4 as CREATE, ACTION_LIST_V4 as LIST
from ansible_collections.volcengine.cloud.tests.unit.model_client import list_page, model_client, scheduled_state, stream_entry

DOMAIN = 'pull.example.com'
ORIGIN = 'rtmp://origin.example.com/live/final'


def streams(count, domain=DOMAIN):
    return [stream_entry(domain, 'live', 's%04d' % number, [ORIGIN]) for number in range(count)]


def seeded(*entries):
    """The emulator's model holding the V4 ``entries``, behind a ModelClient."""
    return model_client(scheduled_state(entries))


def listed(api, domain=DOMAIN):
    return api_module.list_streams(api, domain)


# -- bodies ----------------------------------------------------------------------------------------------------

def test_a_permanent_stream_is_written_without_start_and_end_and_a_window_with_both():
    permanent = Stream(DOMAIN, 'live', 'final', [ORIGIN, 'srt://b.example.com:9000'])
    assert api_module.write_body(permanent) == {'Domain': DOMAIN, 'App': 'live', 'Stream': 'final',
                                                'SrcAddrS': [ORIGIN, 'srt://b.example.com:9000']}
    windowed = Stream(DOMAIN, 'live', 'final', [ORIGIN], 1797760800, 1797780600)
    assert api_module.write_body(windowed)['StartTime'] == 1797760800 and api_module.write_body(windowed)['EndTime'] == 1797780600
    assert api_module.delete_body(windowed) == {'Domain': DOMAIN, 'App': 'live', 'Stream': 'final'}


# -- pages -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('count, calls', [(0, 1), (1, 1), (500, 1), (501, 2), (1000, 2), (1001, 3)])
def test_every_page_is_read_with_size_500_and_no_more(count, calls):
    api = seeded(*streams(count) + streams(3, 'other.example.com'))
    read = listed(api)
    assert [stream.stream for stream in read] == ['s%04d' % number for number in range(count)]
    assert api.calls == [(LIST, {'Domain': DOMAIN, 'Page': page, 'Size': 500}) for page in range(1, calls + 1)]


@pytest.mark.parametrize('permanent_as', ['absent', 'zero', 'null'])
def test_a_permanent_entry_may_show_its_times_as_absent_zero_or_null(permanent_as):
    api = model_client(scheduled_state([stream_entry(DOMAIN, 'live', 'final', [ORIGIN]),
                                        stream_entry(DOMAIN, 'live', 'event', [ORIGIN], 1797760800, 1797780600)]),
                       null_permanent_times=permanent_as == 'null')
    api.settings(v4_permanent_times='absent' if permanent_as == 'absent' else 'zero')
    final, event = listed(api)
    assert final.permanent and (final.start, final.end) == (None, None)
    assert (event.start, event.end) == (1797760800, 1797780600)


def test_the_domain_compares_case_insensitively_and_the_stream_keeps_the_domain_asked_for():
    api = seeded()  # the model compares domains exactly: the answer of an API that ignores their case, as a fault
    api.inject_fault(kind='result', actions=[LIST], result=list_page([stream_entry('PULL.Example.com', 'live', 'final', [ORIGIN])]))
    (stream,) = listed(api, 'pull.example.COM')
    assert stream.domain == 'pull.example.COM' and stream.key == (DOMAIN, 'live', 'final')


@pytest.mark.parametrize('result', [None, {}])
def test_a_first_page_without_a_result_is_nothing_configured(result):
    api = seeded()
    api.inject_fault(kind='result', actions=[LIST], result=result)
    assert listed(api) == []


def test_resource_not_found_on_the_first_page_is_nothing_configured_and_another_refusal_is_raised():
    api = seeded()
    api.inject_fault(kind='error', actions=[LIST], code='ResourceNotFound', status=404)
    assert listed(api) == []
    api.inject_fault(kind='error', actions=[LIST], code='RequestForbidden', status=403)
    with pytest.raises(VolcengineAPIError) as caught:
        listed(api)
    assert caught.value.code == 'RequestForbidden'


# A permanent stream as listed without its times (the model's setting v4_permanent_times=absent).
ENTRY = {'Domain': DOMAIN, 'App': 'live', 'Stream': 'final', 'SrcAddrS': [ORIGIN]}
WINDOW = stream_entry(DOMAIN, 'live', 'final', [ORIGIN], 1797760800, 1797780600)


def odd(**fields):
    changed = dict(ENTRY)
    for key, value in fields.items():
        if value is DROP:
            changed.pop(key)
        else:
            changed[key] = value
    return list_page([changed], 1)


DROP = object()

# (what is odd, the Result of the first page, the path the error names)
ODD_LIST_RESULTS = [
    ('Result a list', [ENTRY], 'Result'),
    ('Result a string', 'List', 'Result'),
    ('List missing', {'Pagination': {'TotalCount': 0}}, 'Result.List'),
    ('List null', {'List': None, 'Pagination': {'TotalCount': 0}}, 'Result.List'),
    ('List an object', {'List': ENTRY, 'Pagination': {'TotalCount': 1}}, 'Result.List'),
    ('Pagination missing', {'List': []}, 'Result.Pagination'),
    ('Pagination a list', {'List': [], 'Pagination': []}, 'Result.Pagination'),
    ('TotalCount missing', {'List': [], 'Pagination': {'PageCur': 1}}, 'Result.Pagination.TotalCount'),
    ('TotalCount a string', list_page([], '0'), 'Result.Pagination.TotalCount'),
    ('TotalCount a boolean', list_page([], False), 'Result.Pagination.TotalCount'),
    ('TotalCount negative', list_page([], -1), 'Result.Pagination.TotalCount'),
    ('PageCur another page', list_page([ENTRY], 1, page_cur=2), 'Result.Pagination.PageCur'),
    ('more streams than TotalCount', list_page([ENTRY, dict(ENTRY, Stream='other')], 1), 'Result.Pagination.TotalCount'),
    ('fewer streams than TotalCount', list_page([], 3), 'Result.List'),
    ('entry a string', list_page(['final'], 1), 'Result.List[0]'),
    ('entry null', list_page([None], 1), 'Result.List[0]'),
    ('stream listed twice', list_page([ENTRY, ENTRY], 2), 'Result.List[1]'),
    ('Domain missing', odd(Domain=DROP), 'Result.List[0].Domain'),
    ('Domain another domain', odd(Domain='play.example.com'), 'Result.List[0].Domain'),
    ('Domain a number', odd(Domain=1), 'Result.List[0].Domain'),
    ('App missing', odd(App=DROP), 'Result.List[0].App'),
    ('App blank', odd(App=' '), 'Result.List[0].App'),
    ('App with an escape', odd(App='live\x1b[31m'), 'Result.List[0].App'),
    ('Stream missing', odd(Stream=DROP), 'Result.List[0].Stream'),
    ('Stream too long', odd(Stream='s' * 101), 'Result.List[0].Stream'),
    ('Stream null', odd(Stream=None), 'Result.List[0].Stream'),
    ('SrcAddrS missing', odd(SrcAddrS=DROP), 'Result.List[0].SrcAddrS'),
    ('SrcAddrS a string', odd(SrcAddrS=ORIGIN), 'Result.List[0].SrcAddrS'),
    ('SrcAddrS empty', odd(SrcAddrS=[]), 'Result.List[0].SrcAddrS'),
    ('an origin a number', odd(SrcAddrS=[ORIGIN, 1]), 'Result.List[0].SrcAddrS[1]'),
    ('StartTime a string', odd(StartTime='1797760800', EndTime=1797780600), 'Result.List[0].StartTime'),
    ('StartTime a float', odd(StartTime=1797760800.5, EndTime=1797780600), 'Result.List[0].StartTime'),
    ('EndTime a boolean', odd(StartTime=1797760800, EndTime=True), 'Result.List[0].EndTime'),
    ('StartTime negative', odd(StartTime=-1, EndTime=1797780600), 'Result.List[0].StartTime'),
    ('StartTime without EndTime', odd(StartTime=1797760800), 'Result.List[0].EndTime'),
    ('EndTime without StartTime', odd(StartTime=0, EndTime=1797780600), 'Result.List[0].StartTime'),
    ('EndTime not after StartTime', odd(StartTime=1797780600, EndTime=1797760800), 'Result.List[0].EndTime'),
]


@pytest.mark.parametrize('result, path', [case[1:] for case in ODD_LIST_RESULTS], ids=[case[0] for case in ODD_LIST_RESULTS])
def test_an_answer_it_does_not_understand_fails_closed_naming_the_odd_field(result, path):
    api = seeded(WINDOW)
    api.inject_fault(kind='result', actions=[LIST], result=result)
    with pytest.raises(VolcengineResponseError) as caught:
        listed(api)
    assert caught.value.code == 'InvalidResponse' and caught.value.path == path
    assert caught.value.action == LIST and caught.value.request_id == 'req-1'
    assert '\x1b' not in str(caught.value)


def test_a_count_that_changes_between_pages_or_a_stream_on_two_pages_fails_closed():
    api = seeded(*streams(600))
    # skip=1: the first List (page 1) passes, the second (page 2) gets the fault
    api.inject_fault(kind='result', actions=[LIST], skip=1, result=list_page([stream_entry(DOMAIN, 'live', 'x', [ORIGIN])], 601, page_cur=2))
    with pytest.raises(VolcengineResponseError) as caught:
        listed(api)
    assert caught.value.path == 'Result.Pagination.TotalCount' and 'changed while they were read' in caught.value.message
    api.inject_fault(kind='result', actions=[LIST], skip=1, result=list_page([stream_entry(DOMAIN, 'live', 's0001', [ORIGIN])], 600, page_cur=2))
    with pytest.raises(VolcengineResponseError) as caught:
        listed(api)
    assert caught.value.path == 'Result.List[0]' and 'a second time (first on page 1)' in caught.value.message


def test_a_later_page_without_a_result_is_not_read_as_the_end():
    api = seeded(*streams(501))
    api.inject_fault(kind='result', actions=[LIST], skip=1, result=None)  # page 2
    with pytest.raises(VolcengineResponseError) as caught:
        listed(api)
    assert caught.value.path == 'Result' and caught.value.request_id == 'req-2'


def test_fields_beside_the_documented_ones_are_ignored():
    api = seeded()
    api.inject_fault(kind='result', actions=[LIST], result=list_page([dict(WINDOW, Status='running', TaskId='t-1')], 1, PageTotal=1, Extra={}))
    (stream,) = listed(api)
    assert stream.content() == ((ORIGIN,), 1797760800, 1797780600)


def test_find_stream_reads_the_domain_again():
    api = seeded(WINDOW)
    # the model compares domains exactly; an API that ignores their case answers PULL.example.com with the stream it holds
    api.inject_fault(kind='result', actions=[LIST], result=list_page([WINDOW]))
    wanted = Stream('PULL.example.com', 'live', 'final', [])
    assert api_module.find_stream(api, wanted).content() == ((ORIGIN,), 1797760800, 1797780600)
    assert api_module.find_stream(api, Stream(DOMAIN, 'live', 'other', [])) is None
    assert [action for action, _body in api.calls] == [LIST, LIST]


def test_a_write_answer_with_a_result_that_is_not_an_object_is_odd():
    api = seeded()
    api.inject_fault(kind='result', actions=[CREATE], result=['task-1'])
    with pytest.raises(VolcengineResponseError) as caught:
        api_module.send_write(api, CREATE, api_module.write_body(Stream(DOMAIN, 'live', 'x', [ORIGIN])))
    assert caught.value.path == 'Result'
    assert api.scheduled_relay(DOMAIN, 'live', 'x') is not None  # it was applied: the writer counts it so
