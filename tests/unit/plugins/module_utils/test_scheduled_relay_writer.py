# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One stream's write (scheduled_relay_writer.StreamChange): one Create, one Update or one Delete; a lost answer
settled by a read of the domain (applied, sent again a bounded number of times, or unknown while an attempt is
open); the read after an update that makes a stream permanent; interrupts."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineError
from ansible_collections.volcengine.cloud.plugins.module_utils.interrupts import Interrupted, StopFlag
from ansible_collections.volcengine.cloud.plugins.module_utils.scheduled_relay import Stream
from ansible_collections.volcengine.cloud.plugins.module_utils import scheduled_relay_writer as writer
from ansible_collections.volcengine.cloud.plugins.module_utils.write_outcome import MAX_LOST_ANSWERS
from ansible_collections.volcengine.cloud.tests.emulator.api_model import (
    ACTION_CREATE_V4 as CREATE,
    ACTION_DELETE_V4 as DELETE,
    ACTION_LIST_V4 as LIST,
    ACTION_UPDATE_V4 as UPDATE,
)
from ansible_collections.volcengine.cloud.tests.unit.model_client import list_page, model_client, scheduled_state, stream_entry

DOMAIN = 'pull.example.com'
A, B = 'rtmp://origin-a.example.com/live/final', 'rtmp://origin-b.example.com/live/final'
START, END = 1797760800, 1797780600


def stream(origins=(A,), start=None, end=None, name='final'):
    return Stream(DOMAIN, 'live', name, list(origins), start, end)


def entry_of(declared):
    """The entry the emulator's model holds for ``declared``."""
    return stream_entry(declared.domain, declared.app, declared.stream, declared.origins, declared.start or 0, declared.end or 0)


def holding(stored):
    """The emulator's model holding the Stream ``stored`` (None: nothing), behind a ModelClient."""
    return model_client(scheduled_state([entry_of(stored)] if stored is not None else []))


def applied(stored, declared, api=None, **options):
    api = api or holding(stored)
    change = writer.StreamChange(stored, declared)
    change.apply(api, **options)
    return change, api


def outcomes(change):
    return [(write['action'], write['outcome'], write['settled_by_read']) for write in change.plan['writes']]


# -- planning: one write --------------------------------------------------------------------------------------

@pytest.mark.parametrize('stored, declared, action', [
    (None, stream(), CREATE),
    (None, stream(start=START, end=END), CREATE),
    (stream(), stream((A, B)), UPDATE),
    (stream((A, B)), stream((B, A)), UPDATE),            # the order is the failover order
    (stream(), stream(start=START, end=END), UPDATE),    # a window added
    (stream(start=START, end=END), stream(start=START, end=END + 60), UPDATE),
    (stream(start=START, end=END), stream((B,)), UPDATE),   # made permanent, new origins: still one update
    (stream(), None, DELETE),
    (stream(start=START, end=END), None, DELETE),
])
def test_a_change_is_exactly_one_write_never_a_delete_and_a_create(stored, declared, action):
    change, api = applied(stored, declared)
    assert [write['action'] for write in change.plan['writes']] == [action]
    assert [call[0] for call in api.writes()] == [action]
    assert change.may_have_changed() and change.applied_actions() == [change.plan['writes'][0]['done']]
    expected = None if declared is None else entry_of(declared)
    assert api.scheduled_relay(DOMAIN, 'live', 'final') == expected


@pytest.mark.parametrize('stored, declared', [(None, None), (stream(), stream()),
                                              (stream(start=START, end=END), stream(start=START, end=END))])
def test_nothing_to_do_makes_no_call(stored, declared):
    change, api = applied(stored, declared)
    assert not change.has_writes() and change.plan == {'writes': [], 'verify': False} and api.calls == []


def test_the_request_bodies_and_sentences():
    update = writer.StreamChange(stream(), stream((A, B), START, END))
    assert update.requests(True) == [{'action': UPDATE, 'outcome': 'planned', 'body': {
        'Domain': DOMAIN, 'App': 'live', 'Stream': 'final', 'SrcAddrS': [A, B], 'StartTime': START, 'EndTime': END}}]
    assert update.requests(False) == []  # not made
    assert update.plan['writes'][0]['description'] == ('update the relay (2 origins, window 2026-12-20T10:00:00Z to '
                                                       '2026-12-20T15:30:00Z)')
    delete = writer.StreamChange(stream(), None)
    assert delete.requests(True)[0]['body'] == {'Domain': DOMAIN, 'App': 'live', 'Stream': 'final'}
    assert delete.plan['writes'][0]['done'] == 'deleted the relay'


# -- lost answers ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize('stored, declared', [(None, stream()), (stream(), stream((B,))), (stream(), None)])
def test_a_lost_answer_of_a_write_that_took_effect_is_settled_by_a_read_as_applied_and_warned(stored, declared):
    api = holding(stored)
    action = CREATE if stored is None else DELETE if declared is None else UPDATE
    api.inject_fault(kind='drop_after', actions=[action])  # applied, then the connection closes without an answer
    warnings = []
    change, api = applied(stored, declared, api, warn=warnings.append)
    assert [call[0] for call in api.calls] == [action, LIST]
    assert outcomes(change) == [(action, 'applied', True)]
    assert len(warnings) == 1 and 'took effect, so it counts as applied' in warnings[0] and 'ConnectionError' in warnings[0]


def test_a_lost_answer_of_a_write_that_did_not_take_effect_is_sent_again_after_the_read():
    api = holding(None)
    api.inject_fault(kind='drop', actions=[CREATE])  # no answer, and not applied
    change, api = applied(None, stream(), api)
    assert [call[0] for call in api.calls] == [CREATE, LIST, CREATE]
    assert outcomes(change) == [(CREATE, 'failed', True), (CREATE, 'applied', False)]
    assert change.plan['writes'][1]['follow_up'] is True
    assert api.scheduled_relay(DOMAIN, 'live', 'final') == entry_of(stream())


def test_a_write_is_planned_again_from_what_the_read_shows():
    """An update answered ResourceNotFound: the stream was deleted meanwhile (read, the model holds it no more), so the
    read leads to a create."""
    change, api = applied(stream(), stream((B,)), holding(None))
    assert [(entry['action'], entry['error_code']) for entry in api.requests()] == [
        (UPDATE, 'ResourceNotFound'), (LIST, None), (CREATE, None)]
    assert api.scheduled_relay(DOMAIN, 'live', 'final') == entry_of(stream((B,)))


def test_sending_again_is_bounded():
    api = holding(None)
    api.inject_fault(kind='drop', actions=[CREATE], count=MAX_LOST_ANSWERS)
    with pytest.raises(VolcengineError) as caught:
        applied(None, stream(), api)
    assert caught.value.code == 'ConnectionError'
    assert [call[0] for call in api.calls] == [CREATE, LIST] * MAX_LOST_ANSWERS
    assert api.scheduled_relay(DOMAIN, 'live', 'final') is None


def test_an_attempt_still_open_leaves_the_outcome_unknown_and_nothing_more_is_written():
    api = holding(stream())
    api.inject_fault(kind='drop', actions=[UPDATE])
    api.wait_for_abandoned_attempts = lambda: False  # an abandoned attempt is still open
    change = writer.StreamChange(stream(), stream((B,)))
    with pytest.raises(VolcengineError) as caught:
        change.apply(api)
    assert [call[0] for call in api.calls] == [UPDATE, LIST]
    assert outcomes(change) == [(UPDATE, 'unknown', True)] and change.may_have_changed()
    context = change.failure_context(caught.value)
    assert 'did not end within the timeout' in context and 'no further write was made to this stream' in context
    assert 'Outcome unknown (the answer was lost and no read could settle it): update the relay' in context


def test_an_attempt_still_open_but_in_effect_counts_as_applied():
    api = holding(stream())
    api.inject_fault(kind='drop_after', actions=[UPDATE])
    api.wait_for_abandoned_attempts = lambda: False
    change, api = applied(stream(), stream((B,)), api)
    assert outcomes(change) == [(UPDATE, 'applied', True)]


def test_a_read_that_fails_while_settling_leaves_the_outcome_unknown_and_raises_the_write_error():
    api = holding(None)
    api.inject_fault(kind='drop', actions=[CREATE])
    api.inject_fault(kind='error', actions=[LIST], code='RequestForbidden', status=403)
    change = writer.StreamChange(None, stream())
    with pytest.raises(VolcengineError) as caught:
        change.apply(api)
    assert caught.value.action == CREATE and caught.value.code == 'ConnectionError'
    assert outcomes(change) == [(CREATE, 'unknown', False)]


def test_a_refusal_is_not_settled_nor_sent_again_and_says_a_rerun_meets_it():
    api = holding(None)
    api.inject_fault(kind='error', actions=[CREATE], code='InvalidParam', status=400)
    change = writer.StreamChange(None, stream())
    with pytest.raises(VolcengineError) as caught:
        change.apply(api)
    assert [call[0] for call in api.calls] == [CREATE]
    assert outcomes(change) == [(CREATE, 'failed', False)] and not change.may_have_changed()
    assert change.failure_context(caught.value) == (
        'No write was applied (not applied: create the relay (1 origin, permanent)). Running the task again would meet '
        'the same refusal: fix its cause first; the task then reads the configuration again and makes only the changes '
        'still needed.')


def test_a_success_whose_result_is_odd_counts_as_applied_and_stops():
    api = holding(None)
    api.inject_fault(kind='result', actions=[CREATE], result='task-1')
    change = writer.StreamChange(None, stream())
    with pytest.raises(VolcengineError) as caught:
        change.apply(api)
    assert caught.value.code == 'InvalidResponse' and outcomes(change) == [(CREATE, 'applied', False)]


# -- the read after an update that makes a stream permanent ----------------------------------------------------

def test_an_update_that_removes_the_window_is_followed_by_a_read():
    change, api = applied(stream(start=START, end=END), stream())
    assert change.plan['verify'] is True and change.plan['writes'][0]['read_after'] is True
    assert [call[0] for call in api.calls] == [UPDATE, LIST]
    assert api.scheduled_relay(DOMAIN, 'live', 'final') == entry_of(stream())
    # any other update needs no read
    change, api = applied(stream(start=START, end=END), stream((B,), START, END + 60))
    assert change.plan['verify'] is False and [call[0] for call in api.calls] == [UPDATE]


def test_an_api_that_keeps_a_window_an_update_does_not_name_fails_the_stream_instead_of_reporting_it_permanent():
    api = holding(stream(start=START, end=END))
    # The model's update makes the stream permanent; an API that keeps the window shows it to the read after the update.
    api.inject_fault(kind='result', actions=[LIST], result=list_page([entry_of(stream(start=START, end=END))]))
    change = writer.StreamChange(stream(start=START, end=END), stream())
    with pytest.raises(writer.ScheduledRelayStateError) as caught:
        change.apply(api)
    assert caught.value.code == writer.UNEXPECTED_STATE_CODE and caught.value.action == UPDATE
    assert 'the window 2026-12-20T10:00:00Z to 2026-12-20T15:30:00Z still there' in caught.value.message
    assert [call[0] for call in api.calls] == [UPDATE, LIST]
    context = change.failure_context(caught.value)
    assert context.startswith('Already applied: updated the relay (1 origin, permanent).')
    assert 'would meet the same refusal' in context


# -- interrupts ------------------------------------------------------------------------------------------------

def test_an_interrupt_before_the_write_sends_nothing_and_says_so():
    stop = StopFlag()
    stop.set('SIGTERM')
    change = writer.StreamChange(None, stream())
    api = holding(None)
    with pytest.raises(Interrupted):
        change.apply(api, stop=stop)
    assert api.calls == [] and change.writes_sent == 0 and outcomes(change) == [(CREATE, 'planned', False)]


def test_an_interrupt_between_a_lost_answer_and_sending_again_stops_the_second_write():
    stop = StopFlag()
    api = holding(None)
    api.inject_fault(kind='drop', actions=[CREATE])
    original = api.wait_for_abandoned_attempts

    def wait_then_stop():
        stop.set('SIGINT')
        return original()
    api.wait_for_abandoned_attempts = wait_then_stop
    change = writer.StreamChange(None, stream())
    with pytest.raises(Interrupted):
        change.apply(api, stop=stop)
    assert [call[0] for call in api.calls] == [CREATE, LIST] and change.writes_sent == 1
    assert 'Running the task again is safe' in change.failure_context(Interrupted('stopped', code='Interrupted'))
