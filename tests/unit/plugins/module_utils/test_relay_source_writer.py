# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The closed-loop writer (relay_source_writer.AppChange) and its planner (relay_source_plan) against the emulator's
model under every update behaviour it offers: the safety rule after every single write, convergence, the calls each
change costs, lost and late answers, refusals, odd reads, interrupts and the fields the collection does not manage."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import itertools
import time

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.volcengine.cloud.plugins.module_utils.client import VolcengineClient
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineError
from ansible_collections.volcengine.cloud.plugins.module_utils.interrupts import INTERRUPTED_CODE, StopFlag
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source import StoredApp, app_diff, normalize_groups
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_api import read_app
from ansible_collections.volcengine.cloud.plugins.module_utils import relay_source_plan as planning
from ansible_collections.volcengine.cloud.plugins.module_utils import relay_source_writer as writer
from ansible_collections.volcengine.cloud.tests.emulator.api_model import UPDATE_MODES
from ansible_collections.volcengine.cloud.tests.emulator.harness import Emulator
from ansible_collections.volcengine.cloud.tests.unit.model_client import app_config, groups_of, model_client

VHOST, APP = 'push.example.com', 'live'
# The emulator's update modes are the planner's behaviours, name for name.
assert set(UPDATE_MODES) == set(planning.BEHAVIOURS)


def group(name, *domains):
    return {'name': name, 'servers': [{'domain': domain} for domain in (domains or [name.lower() + '.example.org'])]}


def groups(names):
    return [group(name) for name in names]


def api_groups(details):
    """The model's GroupDetails in the modules' shape (domains only: what the safety rule looks at)."""
    return [{'name': detail['Group'], 'servers': [{'domain': server['RelaySourceDomain']} for server in detail['Servers']]}
            for detail in details]


def run_change(start, listed, update_mode, state='present', purge_groups=True, api=None, **apply_options):
    """(api, change, calls after the first read) for one app changed from ``start`` to ``listed``."""
    if api is None:
        api = model_client([app_config(VHOST, APP, start)] if start else [], update_mode=update_mode)
    change = writer.AppChange(read_app(api, VHOST, APP), listed, state, purge_groups)
    api.clear_requests()
    change.apply(api, **apply_options)
    return api, change, len(api.requests())


def assert_safe_after_every_write(api, change):
    """The safety rule after each single write the model applied: every kept origin configured, never zero groups
    while groups are declared."""
    kept = planning.kept_origins(change.current, change.after)
    for entry in api.write_requests():
        if 'state_after' in entry:
            held = api_groups(groups_of(api, VHOST, APP, entry['state_after']))
            assert planning.keeps_origins(held, kept, change.after), (entry['action'], entry['body'], held)


def names_held(api):
    return [detail['Group'] for detail in groups_of(api, VHOST, APP)]


# -- every ordering, every behaviour --------------------------------------------------------------------------

ORDERINGS = [(start, declared) for size in range(4) for start in itertools.permutations('ABC', size)
             for declared_size in range(4) for declared in itertools.permutations('ABCD', declared_size)]


@pytest.mark.parametrize('update_mode', UPDATE_MODES)
def test_every_ordering_converges_in_one_run_and_keeps_every_kept_origin_after_every_write(update_mode):
    for start, declared in ORDERINGS:
        api, change, _calls = run_change(groups(start), groups(declared), update_mode)
        assert names_held(api) == list(declared), (start, declared)
        assert_safe_after_every_write(api, change)
        assert all(write['outcome'] == writer.OUTCOME_APPLIED for write in change.plan['writes'])


@pytest.mark.parametrize('update_mode', UPDATE_MODES)
def test_a_renamed_group_is_added_before_the_old_name_goes(update_mode):
    api, change, calls = run_change([group('A'), group('X', 'x1', 'x2')], [group('A'), group('B', 'x1', 'x2')], update_mode)
    assert [action for action, _body in api.writes()] == ['UpdateRelaySourceV3', 'DeleteRelaySourceV3']
    assert names_held(api) == ['A', 'B'] and calls == 2
    assert_safe_after_every_write(api, change)


@pytest.mark.parametrize('update_mode', UPDATE_MODES)
def test_merged_changes_listed_groups_in_place_and_appends_new_ones_in_one_update(update_mode):
    start = [group('primary'), group('backup')]
    api, change, calls = run_change(start, [group('backup', 'new-backup.example.org'), group('standby')], update_mode,
                                    purge_groups=False)
    assert names_held(api) == ['primary', 'backup', 'standby']
    assert calls == 1 and [action for action, _body in api.writes()] == ['UpdateRelaySourceV3']
    assert groups_of(api, VHOST, APP)[1]['Servers'][0]['RelaySourceDomain'] == 'new-backup.example.org'
    assert groups_of(api, VHOST, APP)[0]['Servers'][0]['RelaySourceDomain'] == 'primary.example.org'
    assert change.plan['verify'] is False


@pytest.mark.parametrize('update_mode', UPDATE_MODES)
def test_absent_deletes_the_listed_groups_one_by_one_or_the_whole_app(update_mode):
    api, change, calls = run_change(groups('ABC'), [{'name': 'B'}, {'name': 'Z'}], update_mode, state='absent')
    assert names_held(api) == ['A', 'C'] and calls == 1
    api, change, calls = run_change(groups('AB'), [{'name': 'A'}, {'name': 'B'}], update_mode, state='absent')
    assert [body.get('Group') for _action, body in api.writes()] == ['A', 'B'] and names_held(api) == []
    api, change, calls = run_change(groups('AB'), None, update_mode, state='absent')
    assert api.writes() == [('DeleteRelaySourceV3', {'Vhost': VHOST, 'App': APP})] and calls == 1


def calls_of(start, declared, update_mode, **options):
    """API calls of one run, the first read included."""
    return run_change(groups(start), groups(declared), update_mode, **options)[2] + 1


CALLS_PER_CASE = [
    # (case, start, declared, calls under replace / merge / merge_first / merge_last)
    ('no change', 'AB', 'AB', (1, 1, 1, 1)),
    ('create', '', 'AB', (2, 2, 2, 2)),
    ('add after the existing groups', 'A', 'AB', (2, 2, 2, 2)),
    ('remove the last group', 'AB', 'A', (2, 2, 2, 2)),
    ('replace every group', 'AB', 'C', (4, 4, 4, 4)),
    ('reorder A, B to B, A', 'AB', 'BA', (3, 8, 3, 3)),
    ('A, B, C to C, A', 'ABC', 'CA', (3, 9, 4, 4)),
    ('insert before the existing groups', 'AB', 'CAB', (3, 10, 3, 3)),
]


@pytest.mark.parametrize('case, start, declared, expected', CALLS_PER_CASE, ids=[case[0] for case in CALLS_PER_CASE])
def test_calls_per_change_under_each_behaviour(case, start, declared, expected):
    assert tuple(calls_of(start, declared, mode) for mode in planning.BEHAVIOURS) == expected, case


def test_an_in_place_change_is_two_calls_and_a_rename_three_under_every_behaviour():
    for mode in planning.BEHAVIOURS:
        api, _change, calls = run_change([group('A')], [group('A', 'other.example.org')], mode)
        assert calls + 1 == 2
        assert run_change([group('A'), group('X', 'x1')], [group('A'), group('B', 'x1')], mode)[2] + 1 == 3


# -- generated cases ----------------------------------------------------------------------------------------------

DOMAINS = ['d1.example.org', 'd2.example.org', 'D3.example.org', 'd4.example.org']
GENERATED_GROUPS = st.lists(st.sampled_from('ABCDE'), unique=True, max_size=5).flatmap(
    lambda names: st.tuples(*[st.lists(st.sampled_from(DOMAINS), unique=True, min_size=1, max_size=3).map(
        lambda domains, name=name: group(name, *domains)) for name in names]).map(list))


@settings(max_examples=300, deadline=None, database=None)
@given(start=GENERATED_GROUPS, declared=GENERATED_GROUPS, update_mode=st.sampled_from(UPDATE_MODES),
       purge_groups=st.booleans())
def test_generated_changes_converge_safely_under_every_behaviour(start, declared, update_mode, purge_groups):
    api, change, _calls = run_change(start, declared, update_mode, purge_groups=purge_groups)
    assert names_held(api) == [entry['name'] for entry in change.after]
    assert api_groups(groups_of(api, VHOST, APP)) == [
        {'name': entry['name'], 'servers': [{'domain': server['domain']} for server in entry['servers']]} for entry in change.after]
    assert_safe_after_every_write(api, change)
    if not purge_groups:
        assert len(api.writes()) <= 1  # merged: one update at most, under every behaviour


def test_the_planner_predicts_only_what_every_remaining_behaviour_agrees_on():
    start, sent = groups('AB'), groups('BA')
    assert planning.common_prediction(start, sent, planning.BEHAVIOURS) is None
    assert planning.common_prediction(start, groups('ABC'), planning.BEHAVIOURS) == normalize_groups(groups('ABC'))
    assert planning.behaviours_explaining(start, sent, normalize_groups(groups('AB')), planning.BEHAVIOURS) == (planning.MERGE,)
    assert planning.behaviours_explaining(start, sent, normalize_groups(groups('BA')), planning.BEHAVIOURS) == (
        planning.REPLACE, planning.MERGE_FIRST, planning.MERGE_LAST)


def test_a_temporary_copy_is_made_only_for_a_group_whose_kept_origin_nothing_else_holds():
    # B holds an origin that C also holds: B can move without a copy; A's origin is only in A.
    start = [group('A'), group('B', 'shared.example.org'), group('C', 'shared.example.org')]
    declared = [group('C', 'shared.example.org'), group('A'), group('B', 'shared.example.org')]
    api, change, _calls = run_change(start, declared, 'merge')
    copies = [write for write in change.plan['writes'] if write['temporary'] and write['action'] == 'update']
    assert [write['groups'][-1] for write in copies] == ['A' + planning.TEMPORARY_SUFFIX]
    assert names_held(api) == ['C', 'A', 'B']
    assert_safe_after_every_write(api, change)


# -- an API behaviour the planner does not know -------------------------------------------------------------------

class SortingModelClient(object):
    """A model client whose API keeps an app's groups sorted by name after every update: deterministic, never drops
    a group it was sent, and unable to hold B before A."""

    def __init__(self, api):
        self.api = api
        self.request_ids = api.request_ids

    def call(self, action, version, body=None, write=False):
        answer = self.api.call(action, version, body, write=write)
        if action == 'UpdateRelaySourceV3':
            for config in self.api.model.configs:
                config['GroupDetails'].sort(key=lambda detail: detail['Group'])
        return answer

    def wait_for_abandoned_attempts(self):
        return True


def test_an_unknown_behaviour_that_cannot_reach_the_order_stops_at_the_bound_and_stays_safe():
    api = model_client([app_config(VHOST, APP, groups('AB'))], update_mode='merge')
    change = writer.AppChange(read_app(api, VHOST, APP), groups('BA'), 'present')
    with pytest.raises(writer.RelaySourceStateError) as raised:
        change.apply(SortingModelClient(api))
    assert raised.value.code == writer.NOT_CONVERGED_CODE
    assert len(api.writes()) == planning.plan_write_bound(groups('AB'), groups('BA'))
    assert change.plan['update_semantics'] == planning.OTHER
    assert_safe_after_every_write(api, change)
    assert 'would meet the same refusal' in change.failure_context(raised.value)


# -- failures and lost answers --------------------------------------------------------------------------------------

def test_a_refused_update_after_a_rename_takes_nothing_away_and_says_rerunning_would_repeat_it():
    api = model_client([app_config(VHOST, APP, [group('A'), group('X', 'x1', 'x2')])])
    api.inject_fault(kind='error', status=400, code='InvalidParam', actions=['UpdateRelaySourceV3'])
    change = writer.AppChange(read_app(api, VHOST, APP), [group('A'), group('B', 'x1', 'x2')], 'present')
    with pytest.raises(VolcengineError) as raised:
        change.apply(api)
    assert names_held(api) == ['A', 'X']
    assert [action for action, _body in api.writes()] == ['UpdateRelaySourceV3']
    message = change.failure_context(raised.value)
    assert 'No write was applied' in message and 'would meet the same refusal' in message
    assert 'converges' not in message and change.may_have_changed() is False


def test_a_transient_failure_says_rerunning_converges():
    api = model_client([app_config(VHOST, APP, groups('AB'))])
    api.inject_fault(kind='error', status=503, code='ServiceUnavailableTemp', actions=['DeleteRelaySourceV3'], count=5)
    api.settings(empty_describe='list')
    change = writer.AppChange(read_app(api, VHOST, APP), [group('A', 'z.example.org')], 'present')
    with pytest.raises(VolcengineError):
        change.apply(api)
    message = change.failure_context(VolcengineError('x', code='ServiceUnavailableTemp', http_status=503))
    assert 'Already applied: updated groups A, B' in message and 'converges' in message


@pytest.mark.parametrize('update_mode', UPDATE_MODES)
def test_a_lost_answer_of_an_applied_write_is_settled_by_a_read_and_the_run_goes_on(update_mode):
    api = model_client([app_config(VHOST, APP, groups('ABC'))], update_mode=update_mode)
    api.inject_fault(kind='drop_after', actions=['DeleteRelaySourceV3'])
    warnings = []
    api, change, _calls = run_change(None, groups('AC'), update_mode, api=api, warn=warnings.append)
    assert names_held(api) == ['A', 'C']
    settled = [write for write in change.plan['writes'] if write['settled_by_read']]
    assert len(settled) == 1 and settled[0]['outcome'] == writer.OUTCOME_APPLIED
    assert warnings and 'counts as applied' in warnings[0]
    # no delete was sent twice, and the run ended with a read that shows the declared groups
    deletes = [body.get('Group') for action, body in api.writes() if action == 'DeleteRelaySourceV3']
    assert len(deletes) == len(set(deletes))
    assert api.requests()[-1]['action'] == 'DescribeRelaySourceV3'
    assert_safe_after_every_write(api, change)


def test_a_lost_answer_of_a_write_not_applied_is_read_then_sent_again():
    api = model_client([app_config(VHOST, APP, groups('AB'))])
    api.inject_fault(kind='drop', actions=['DeleteRelaySourceV3'])
    api, change, _calls = run_change(None, groups('A'), 'replace', api=api)
    assert names_held(api) == ['A']
    assert [write['outcome'] for write in change.plan['writes']] == [writer.OUTCOME_FAILED, writer.OUTCOME_APPLIED]
    actions = [entry['action'] for entry in api.requests()]
    assert actions == ['DeleteRelaySourceV3', 'DescribeRelaySourceV3', 'DeleteRelaySourceV3', 'DescribeRelaySourceV3']


def test_lost_answers_that_never_settle_stop_the_run():
    api = model_client([app_config(VHOST, APP, groups('AB'))])
    api.inject_fault(kind='drop', actions=['DeleteRelaySourceV3'], count=10)
    change = writer.AppChange(read_app(api, VHOST, APP), groups('A'), 'present')
    with pytest.raises(VolcengineError):
        change.apply(api)
    assert len(api.writes()) == writer.MAX_LOST_ANSWERS
    assert 'converges' in change.failure_context(VolcengineError('lost', code='ConnectionError'))


def test_an_attempt_still_open_stops_every_further_write():
    api = model_client([app_config(VHOST, APP, groups('AB'))])
    api.inject_fault(kind='drop', actions=['DeleteRelaySourceV3'])
    api.wait_for_abandoned_attempts = lambda: False
    change = writer.AppChange(read_app(api, VHOST, APP), groups('A'), 'present')
    with pytest.raises(VolcengineError) as raised:
        change.apply(api)
    # the read still happens (had it shown the delete in effect, the run would go on), then nothing more
    assert len(api.writes()) == 1 and [entry['action'] for entry in api.requests()][-2:] == ['DeleteRelaySourceV3', 'DescribeRelaySourceV3']
    assert change.plan['writes'][0]['outcome'] == writer.OUTCOME_UNKNOWN and change.may_have_changed()
    assert 'may still be applied: no further write was made' in change.failure_context(raised.value)


def test_a_read_that_lacks_a_group_just_sent_stops_before_any_further_write():
    api = model_client([app_config(VHOST, APP, groups('AB'))])
    api.inject_fault(kind='result', actions=['DescribeRelaySourceV3'], skip=1, result={'RelaySourceConfigList': [
        app_config(VHOST, APP, groups('A'))]})
    change = writer.AppChange(read_app(api, VHOST, APP), groups('BA'), 'present')
    with pytest.raises(writer.RelaySourceStateError) as raised:
        change.apply(api)
    assert raised.value.code == writer.UNEXPECTED_STATE_CODE
    assert [action for action, _body in api.writes()] == ['UpdateRelaySourceV3']


@pytest.mark.parametrize('result', [{'Total': 1}, {'RelaySourceConfigs': []}])
def test_an_odd_read_during_the_run_stops_it(result):
    api = model_client([app_config(VHOST, APP, groups('AB'))])
    api.inject_fault(kind='result', actions=['DescribeRelaySourceV3'], skip=1, result=result)
    change = writer.AppChange(read_app(api, VHOST, APP), groups('BA'), 'present')
    with pytest.raises(VolcengineError) as raised:
        change.apply(api)
    assert raised.value.code == 'InvalidResponse' and len(api.writes()) == 1


# -- interrupts ---------------------------------------------------------------------------------------------------

def test_an_interrupt_stops_the_run_before_its_next_write():
    stop = StopFlag()
    api = model_client([app_config(VHOST, APP, [group('A'), group('X', 'x1')])], stop=stop)
    change = writer.AppChange(read_app(api, VHOST, APP), [group('A'), group('B', 'x1')], 'present')
    original_call = api.call

    def call_then_interrupt(action, version, body=None, write=False):
        answer = original_call(action, version, body, write=write)
        if write:
            stop.set('SIGTERM')
        return answer
    api.call = call_then_interrupt
    with pytest.raises(VolcengineError) as raised:
        change.apply(api, stop=stop)
    assert raised.value.code == INTERRUPTED_CODE and 'SIGTERM' in str(raised.value)
    assert [action for action, _body in api.writes()] == ['UpdateRelaySourceV3']
    message = change.failure_context(raised.value)
    assert 'Already applied: updated groups A, X, B' in message and 'Not applied: delete group X' in message
    assert names_held(api) == ['A', 'X', 'B']


def test_an_interrupt_before_the_first_write_sends_nothing():
    stop = StopFlag()
    stop.set()
    api = model_client([], stop=stop)
    change = writer.AppChange(StoredApp(VHOST, APP, []), groups('A'), 'present')
    with pytest.raises(VolcengineError):
        change.apply(api, stop=stop)
    assert api.writes() == [] and not change.may_have_changed()


# -- fields the collection does not manage -------------------------------------------------------------------------

UNMANAGED = {'Vhost': VHOST, 'App': APP, 'RetryTimes': 2, 'LBType': 'order', 'GroupDetails': [
    {'Group': 'A', 'Backup': True, 'Servers': [{'RelaySourceDomain': 'a.example.org', 'RelaySourceProtocol': 'rtmp',
                                                'Host': 'pull.example.org'}]},
    {'Group': 'B', 'Weight': 3, 'Servers': [{'RelaySourceDomain': 'b.example.org', 'RelaySourceProtocol': 'rtmp'}]}]}


@pytest.mark.parametrize('update_mode', UPDATE_MODES)
def test_groups_sent_back_unchanged_carry_every_field_the_read_returned(update_mode):
    api = model_client([UNMANAGED], update_mode=update_mode)
    api, change, _calls = run_change(None, [group('C')], update_mode, api=api, purge_groups=False)
    held = api.state()['RelaySourceConfigList'][0]
    assert held['RetryTimes'] == 2 and held['LBType'] == 'order'
    assert held['GroupDetails'][0]['Backup'] is True and held['GroupDetails'][0]['Servers'][0]['Host'] == 'pull.example.org'
    assert held['GroupDetails'][1]['Weight'] == 3
    assert change.dropped_fields_warnings() == []


def test_a_declared_change_of_a_group_with_unmanaged_fields_warns_and_shows_in_the_diff():
    api = model_client([UNMANAGED])
    stored = read_app(api, VHOST, APP)
    change = writer.AppChange(stored, [group('A', 'a2.example.org'), group('B', 'b.example.org')], 'present')
    assert change.dropped_fields_warnings() == [
        'push.example.com/live: the change replaces group A, which holds fields this collection does not manage '
        '(Backup, servers[0].Host); they are not sent again and are lost']
    diff = app_diff(VHOST, APP, change.current, change.after, stored)
    assert diff['before']['groups'][0]['unmanaged_fields'] == ['Backup', 'servers[0].Host']
    assert 'unmanaged_fields' not in diff['after']['groups'][0]
    assert diff['after']['groups'][1]['unmanaged_fields'] == ['Weight']


# -- late writes, over HTTP -----------------------------------------------------------------------------------------

def test_a_delete_applied_late_after_its_attempt_was_abandoned_cannot_undo_a_later_write():
    """The delete's attempt is abandoned at the 1 s deadline and the emulator applies it at 1.5 s: the writer waits for
    that attempt to end before it reads, so the re-adding update comes after it, and the app ends as declared."""
    with Emulator(update_mode='merge', rate_limit=0) as emu:
        emu.set_state([app_config(VHOST, APP, groups('AB'))])
        emu.inject_fault(kind="delay", delay=1.5, actions=["DeleteRelaySourceV3"])
        client = VolcengineClient(emu.access_key, emu.secret_key, endpoint=emu.url, timeout=1, max_retries=0,
                                  sleep=lambda seconds: None)
        change = writer.AppChange(read_app(client, VHOST, APP), groups('BA'), 'present')
        started = time.monotonic()
        change.apply(client)
        assert time.monotonic() - started >= 1.5
        time.sleep(1)  # nothing arrives late after the run
        assert [detail['Group'] for detail in groups_of(emu, VHOST, APP)] == ['B', 'A']
        writes = emu.write_requests()
        deletes = [entry for entry in writes if entry['action'] == 'DeleteRelaySourceV3']
        late = deletes[0]
        assert late['applied_time'] is not None
        assert all(entry['time'] >= late['applied_time'] for entry in writes if entry['seq'] > late['seq'])
        client.close()


# -- smaller pieces -------------------------------------------------------------------------------------------------

def test_a_lost_answer_no_read_can_settle_is_unknown_and_counts_as_a_possible_change():
    api = model_client([app_config(VHOST, APP, [group('a'), group('x'), group('b')])], timeout=1)
    api.inject_fault(kind='delay', delay=60, actions=['UpdateRelaySourceV3'])
    api.inject_fault(kind='error', code='InternalError', status=500, actions=['DescribeRelaySourceV3'], skip=1)
    change = writer.AppChange(read_app(api, VHOST, APP), [group('a'), group('b', 'n.example.org')], 'present')
    with pytest.raises(VolcengineError) as raised:
        change.apply(api)
    assert raised.value.code == 'Timeout'
    assert [write['outcome'] for write in change.plan['writes']] == ['unknown', 'planned']
    assert change.may_have_changed() and change.applied_actions() == []
    message = change.failure_context(raised.value)
    assert 'Already applied: nothing. Not applied: delete group x. Outcome unknown' in message
    assert 'update groups a, x, b' in message.split('Outcome unknown')[1]


def test_a_failed_read_after_a_behaviour_dependent_update_stops_the_run_and_says_so():
    api = model_client([app_config(VHOST, APP, groups('AB'))], update_mode='merge')
    api.inject_fault(kind='error', code='InternalError', status=500, actions=['DescribeRelaySourceV3'], skip=1)
    change = writer.AppChange(read_app(api, VHOST, APP), groups('BA'), 'present')
    with pytest.raises(VolcengineError) as raised:
        change.apply(api)
    assert raised.value.code == 'InternalError' and change.plan['update_semantics'] == 'unknown'
    assert [action for action, _body in api.writes()] == ['UpdateRelaySourceV3']
    assert 'Already applied: updated groups B, A. Not applied: nothing.' in change.failure_context(raised.value)


def test_protocol_only_changes_and_the_hint_after_a_refusal():
    current = [group('a', 'x.example.org'), group('b')]
    flv = {'name': 'a', 'servers': [{'domain': 'x.example.org', 'protocol': 'flv'}]}
    assert writer.protocol_only_changes(current, [flv, group('b', 'other')]) == ['a']
    assert writer.protocol_only_changes(current, current) == []
    api = model_client([app_config(VHOST, APP, current)])
    api.inject_fault(kind='error', code='InvalidParam', status=400, actions=['UpdateRelaySourceV3'])
    change = writer.AppChange(read_app(api, VHOST, APP), [flv, group('b')], 'present')
    with pytest.raises(VolcengineError) as raised:
        change.apply(api)
    assert writer.PROTOCOL_CHANGE_HINT in change.failure_context(raised.value)


def test_write_request_is_the_request_each_planned_write_makes():
    stored = StoredApp(VHOST, APP, groups('A'), app_fields={'LBType': 'order'})
    update = planning.step(planning.WRITE_UPDATE, ['A', 'B'], None, sent=groups('AB'))
    assert writer.write_request(VHOST, APP, update, stored) == {'action': 'UpdateRelaySourceV3', 'body': {
        'LBType': 'order', 'Vhost': VHOST, 'App': APP, 'GroupDetails': [
            {'Group': 'A', 'Servers': [{'RelaySourceDomain': 'a.example.org', 'RelaySourceProtocol': 'rtmp'}]},
            {'Group': 'B', 'Servers': [{'RelaySourceDomain': 'b.example.org', 'RelaySourceProtocol': 'rtmp'}]}]}}
    assert writer.write_request(VHOST, APP, planning.step(planning.WRITE_DELETE_GROUP, ['A'], [])) == {
        'action': 'DeleteRelaySourceV3', 'body': {'Vhost': VHOST, 'App': APP, 'Group': 'A'}}
    assert writer.write_request(VHOST, APP, planning.step(planning.WRITE_DELETE_APP, ['A'], [])) == {
        'action': 'DeleteRelaySourceV3', 'body': {'Vhost': VHOST, 'App': APP}}


def test_desired_groups_keeps_every_group_in_place_without_purge():
    current = groups('XAY')
    listed = [group('A', 'new.example.org'), group('Z')]
    assert [entry['name'] for entry in planning.desired_groups(current, listed, False)] == ['X', 'A', 'Y', 'Z']
    assert planning.desired_groups(current, listed, False)[1]['servers'][0]['domain'] == 'new.example.org'
    assert [entry['name'] for entry in planning.desired_groups(current, listed, True)] == ['A', 'Z']


def test_the_write_bound_is_documented_in_the_module_notes():
    assert planning.plan_write_bound(groups('AB'), groups('ABC')) == 2 * 5 + 6
