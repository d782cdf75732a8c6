# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Units for relay_source.py: validation, conversion, normalisation, planning and the API wrappers."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import itertools

import pytest

from ansible_collections.volcengine.cloud.plugins.module_utils import relay_source as rs
from ansible_collections.volcengine.cloud.plugins.module_utils.client import APIResponse
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineError, VolcengineResponseError
from ansible_collections.volcengine.cloud.tests.unit.model_client import (
    ModelClient, app_config, groups_of, in_process_model, model_client, names_after_each_write)
from ansible_collections.volcengine.cloud.tests.unit.odd_answers import ODD_DESCRIBE_RESULTS, describe_result

VHOST, APP = 'push.example.com', 'live'
DESCRIBE, UPDATE, DELETE = 'DescribeRelaySourceV3', 'UpdateRelaySourceV3', 'DeleteRelaySourceV3'


def group(name, *domains, **kwargs):
    protocol = kwargs.get('protocol', 'rtmp')
    return {'name': name, 'servers': [{'domain': domain, 'protocol': protocol, 'params': kwargs.get('params', {})}
                                      for domain in (domains or ('%s.example.org' % name,))]}


# ---------------------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('domain', [
    'origin.example.org', 'origin.example.org:1935', '203.0.113.10', '203.0.113.10:8080', '[::1]:1935', '::1',
    '[2001:db8::1]', '2001:db8::1', 'localhost', 'origin_1.example.org', ' origin.example.org ', 'a:65535', 'a:1',
])
def test_valid_domains(domain):
    rs.validate_domain(domain, 'd')


@pytest.mark.parametrize('domain, fragment', [
    ('', 'must not be empty'),
    ('   ', 'must not be empty'),
    (None, 'must not be empty'),
    ('rtmp://origin.example.org', 'scheme'),
    ('http://origin.example.org/live', 'scheme'),
    ('origin.example.org/live', 'path'),
    ('origin.example.org?x=1', 'path'),
    ('origin example.org', 'whitespace'),
    ('origin.example.org:0', 'port'),
    ('origin.example.org:65536', 'port'),
    ('origin.example.org:abc', 'port'),
    ('origin.example.org:', 'port'),
    (':1935', 'no host'),
    ('orig!n.example.org', 'invalid host'),
    ('origin..example.org', 'invalid host'),
    ('-origin.example.org', 'invalid host'),
    ('[::1]:0', 'port'),
    ('[::1]:99999', 'port'),
    ('[zz::1]:1935', 'IPv6'),
    ('1:2:3', 'IPv6'),
])
def test_invalid_domains(domain, fragment):
    with pytest.raises(rs.RelaySourceInputError) as caught:
        rs.validate_domain(domain, 'groups[1].servers[0].domain')
    assert caught.value.path == 'groups[1].servers[0].domain'
    assert str(caught.value).startswith('groups[1].servers[0].domain: ')
    assert fragment in str(caught.value)


@pytest.mark.parametrize('vhost', ['', '  ', None, 'https://push.example.com', 'push.example.com/live', 'push example.com'])
def test_invalid_vhost(vhost):
    with pytest.raises(rs.RelaySourceInputError) as caught:
        rs.validate_options(vhost, APP, [], 'present')
    assert caught.value.path == 'vhost'


@pytest.mark.parametrize('app', ['', 'a' * 31, 'live/x', 'live app', 'live*', None])
def test_invalid_app(app):
    with pytest.raises(rs.RelaySourceInputError) as caught:
        rs.validate_options(VHOST, app, [], 'present')
    assert caught.value.path == 'app'


@pytest.mark.parametrize('app', ['live', 'a' * 30, 'events.2026', 'A-b_c.d'])
def test_valid_app(app):
    rs.validate_options(VHOST, app, [group('g')], 'present')


def _groups_error(groups, state='present'):
    with pytest.raises(rs.RelaySourceInputError) as caught:
        rs.validate_options(VHOST, APP, groups, state)
    return caught.value


def test_duplicate_group_names():
    error = _groups_error([group('a'), group('b'), group('a')])
    assert error.path == 'groups[2].name'
    assert 'duplicate' in str(error) and 'groups[0].name' in str(error)


def test_duplicate_group_names_absent_too():
    assert _groups_error([{'name': 'a'}, {'name': 'a'}], state='absent').path == 'groups[1].name'


def test_empty_group_name():
    assert _groups_error([group('a'), {'name': '  ', 'servers': group('x')['servers']}]).path == 'groups[1].name'


def test_empty_servers_for_present():
    assert _groups_error([group('a'), {'name': 'b', 'servers': []}]).path == 'groups[1].servers'
    assert _groups_error([{'name': 'b', 'servers': None}]).path == 'groups[0].servers'


def test_servers_not_needed_for_absent():
    rs.validate_options(VHOST, APP, [{'name': 'b', 'servers': None}, {'name': 'c', 'servers': [{'domain': 'bad://x'}]}], 'absent')


def test_too_many_servers():
    error = _groups_error([group('a', *['o%d.example.org' % index for index in range(11)])])
    assert error.path == 'groups[0].servers' and '10' in str(error)
    rs.validate_options(VHOST, APP, [group('a', *['o%d.example.org' % index for index in range(10)])], 'present')


def test_bad_domain_path_names_group_and_server():
    error = _groups_error([group('a'), group('b', 'ok.example.org', 'rtmp://bad.example.org')])
    assert error.path == 'groups[1].servers[1].domain'


@pytest.mark.parametrize('value', [1, 1.5, True, None, ['x'], {'a': 'b'}])
def test_param_values_must_be_strings(value):
    error = _groups_error([group('a', params={'key': value})])
    assert error.path == 'groups[0].servers[0].params.key'
    assert 'quote it' in str(error)


@pytest.mark.parametrize('key', ['', '  ', 1])
def test_param_keys_must_be_nonempty_strings(key):
    assert _groups_error([group('a', params={key: 'v'})]).path == 'groups[0].servers[0].params'


def test_protocol_checked_case_insensitively():
    rs.validate_options(VHOST, APP, [group('a', protocol='FLV')], 'present')
    assert _groups_error([group('a', protocol='hls')]).path == 'groups[0].servers[0].protocol'


# ---------------------------------------------------------------------------------------------------------
# Conversion and normalisation
# ---------------------------------------------------------------------------------------------------------

def answer(result, request_id='r-1'):
    return APIResponse(result, request_id, 1)


def test_describe_answer_normalises():
    entry = {'Vhost': VHOST, 'App': APP, 'GroupDetails': [
        {'Group': 'g', 'Servers': [
            {'RelaySourceDomain': ' a.example.org ', 'RelaySourceProtocol': 'RTMP', 'RelaySourceParams': None},
            {'RelaySourceDomain': 'b.example.org', 'RelaySourceProtocol': 'Flv', 'RelaySourceParams': {'n': '1'}},
            {'RelaySourceDomain': 'c.example.org', 'RelaySourceProtocol': ' rtmp', 'Backup': True},
            {'RelaySourceDomain': 'd.example.org', 'RelaySourceProtocol': 'flv', 'RelaySourceParams': '{"k": "v", "主": "源"}'},
            {'RelaySourceDomain': 'e.example.org', 'RelaySourceProtocol': 'flv', 'RelaySourceParams': '{}'},
        ]},
        {'Group': 'h', 'Servers': []},
    ]}
    assert rs.configs_from_describe_answer(answer({'RelaySourceConfigList': [entry], 'Total': 1})) == [{'vhost': VHOST, 'app': APP, 'groups': [
        {'name': 'g', 'servers': [
            {'domain': 'a.example.org', 'protocol': 'rtmp', 'params': {}},
            {'domain': 'b.example.org', 'protocol': 'flv', 'params': {'n': '1'}},
            {'domain': 'c.example.org', 'protocol': 'rtmp', 'params': {}},
            {'domain': 'd.example.org', 'protocol': 'flv', 'params': {'k': 'v', '主': '源'}},
            {'domain': 'e.example.org', 'protocol': 'flv', 'params': {}},
        ]},
        {'name': 'h', 'servers': []},
    ]}]


@pytest.mark.parametrize('result', [None, {}, {'RelaySourceConfigList': []}, {'Total': 0},
                                    {'RelaySourceConfigList': [{'Vhost': VHOST, 'App': APP, 'GroupDetails': []}]}])
def test_describe_answer_plain_empty_forms(result):
    configs = rs.configs_from_describe_answer(answer(result))
    assert configs in ([], [{'vhost': VHOST, 'app': APP, 'groups': []}])


@pytest.mark.parametrize('result, path', [case[1:] for case in ODD_DESCRIBE_RESULTS], ids=[case[0] for case in ODD_DESCRIBE_RESULTS])
def test_odd_describe_answer_fails_closed_naming_the_field(result, path):
    api = model_client([app_config(VHOST, APP, [group('relay1'), group('relay2')])])
    api.inject_fault(kind='result', result=result, actions=[DESCRIBE])
    with pytest.raises(VolcengineResponseError) as raised:
        rs.describe_app(api, VHOST, APP)
    error = raised.value
    assert isinstance(error, VolcengineError) and error.code == 'InvalidResponse'
    assert error.path == path and error.message.startswith(path + ' ')
    assert (error.action, error.request_id, error.http_status) == ('DescribeRelaySourceV3', 'req-1', 200)
    assert str(error).startswith('DescribeRelaySourceV3 failed: InvalidResponse: ' + path + ' ')
    assert 'RequestId req-1' in str(error) and str(error).isprintable()


def test_odd_answer_message_escapes_server_text():
    odd = describe_result(server={'RelaySourceProtocol': '\x1b[31mhls\n' + 'x' * 100})
    with pytest.raises(VolcengineResponseError) as raised:
        rs.configs_from_describe_answer(answer(odd))
    assert '\\u001b[31mhls\\n' in str(raised.value) and 'x' * 40 not in str(raised.value)
    assert str(raised.value).isprintable()


def test_resource_not_found_is_empty_only_as_the_documented_404():
    api = model_client()
    api.inject_fault(kind='error', code='ResourceNotFound', status=200)
    with pytest.raises(VolcengineError) as raised:
        rs.describe(api, VHOST)
    assert raised.value.code == 'ResourceNotFound'


def test_groups_to_api_round_trip():
    groups = [group('g', 'a.example.org', params={'domain': 'live.push.net'}), group('h', protocol='flv')]
    api = rs.groups_to_api(groups)
    assert api[0] == {'Group': 'g', 'Servers': [{'RelaySourceDomain': 'a.example.org', 'RelaySourceProtocol': 'rtmp',
                                                 'RelaySourceParams': {'domain': 'live.push.net'}}]}
    assert 'RelaySourceParams' not in api[1]['Servers'][0]
    read = rs.configs_from_describe_answer(answer({'RelaySourceConfigList': [{'Vhost': VHOST, 'App': APP, 'GroupDetails': api}]}))
    assert read[0]['groups'] == rs.normalize_groups(groups)


def test_user_input_normalised_like_api():
    user = [{'name': 'g', 'servers': [{'domain': ' a.example.org', 'protocol': 'RTMP', 'params': None}]}]
    assert rs.normalize_groups(user) == [group('g', 'a.example.org')]


def test_comparison_is_order_sensitive():
    assert rs.normalize_groups([group('a'), group('b')]) != rs.normalize_groups([group('b'), group('a')])
    assert group('a', 'x', 'y') != group('a', 'y', 'x')


# ---------------------------------------------------------------------------------------------------------
# API wrappers
# ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('style', ['list', 'missing', 'notfound'])
def test_describe_nothing_configured(style):
    api = model_client()
    api.settings(empty_describe=style)
    assert rs.describe_app(api, VHOST, APP) == []
    assert len(api.calls) == 1


def test_describe_filters_exact_app():
    api = model_client([app_config(VHOST, APP, [group('a')]), app_config(VHOST, 'live2', [group('z')]),
                        app_config(VHOST, 'LIVE', [group('y')])])
    api.settings(describe_filter='loose')  # the API answers with live2 and LIVE too
    assert rs.describe_app(api, VHOST, APP) == [group('a')]
    assert api.calls == [('DescribeRelaySourceV3', {'Vhost': VHOST, 'App': APP})]


def test_describe_with_a_group_lists_that_group_of_the_apps_that_have_it():
    api = model_client()
    api.inject_fault(kind='result', result={'RelaySourceConfigList': [
        app_config(VHOST, APP, [group('a'), group('b')]), app_config(VHOST, 'other', [group('c')])]})  # more than asked
    assert rs.describe(api, VHOST, group='b') == [{'vhost': VHOST, 'app': APP, 'groups': [group('b')]}]


def test_describe_other_errors_raise_with_their_request_id():
    api = model_client()
    api.inject_fault(kind='error', code='RequestForbidden', status=403)
    with pytest.raises(VolcengineError) as raised:
        rs.describe(api, VHOST)
    assert raised.value.code == 'RequestForbidden' and raised.value.request_id == 'req-1'


def test_update_and_delete_bodies():
    api = model_client([app_config(VHOST, APP, [group('a'), group('b')])])
    rs.delete(api, VHOST, APP, group='a')
    rs.delete(api, VHOST, APP)
    rs.update(api, VHOST, APP, [group('c')])
    assert api.calls == [
        ('DeleteRelaySourceV3', {'Vhost': VHOST, 'App': APP, 'Group': 'a'}),
        ('DeleteRelaySourceV3', {'Vhost': VHOST, 'App': APP}),
        ('UpdateRelaySourceV3', {'Vhost': VHOST, 'App': APP, 'GroupDetails': rs.groups_to_api([group('c')])}),
    ]


# ---------------------------------------------------------------------------------------------------------
# Planning
# ---------------------------------------------------------------------------------------------------------

def _writes(plan):
    """(action, groups) of every write of a plan."""
    return [(write['action'], write['groups']) for write in plan['writes']]


def test_plan_no_change():
    assert rs.plan_present([group('a'), group('b')], [group('a'), group('b')]) == rs.empty_plan()
    assert not rs.plan_has_writes(rs.plan_present([], []))


def test_plan_create_is_one_update_with_no_check():
    plan = rs.plan_present([], [group('a'), group('b')])
    assert _writes(plan) == [('update', ['a', 'b'])] and plan['verify'] is False
    assert plan['writes'][0] == {'action': 'update', 'groups': ['a', 'b'], 'description': 'update groups a, b',
                                 'follow_up': False, 'outcome': 'planned', 'settled_by_read': False}


def test_plan_remove_trailing_group_is_one_delete():
    plan = rs.plan_present([group('a'), group('b'), group('c')], [group('a'), group('b')])
    assert _writes(plan) == [('delete_group', ['c'])] and not plan['verify']


def test_plan_change_in_place_and_append_are_one_update():
    assert _writes(rs.plan_present([group('a'), group('b')], [group('a', 'new.example.org'), group('b')])) == [
        ('update', ['a', 'b'])]
    plan = rs.plan_present([group('a')], [group('a'), group('b')])
    assert _writes(plan) == [('update', ['a', 'b'])] and not plan['verify']


def test_plan_purge_of_undeclared_groups_keeps_declared_ones_in_order():
    plan = rs.plan_present([group('x'), group('a'), group('y'), group('b')], [group('a'), group('b', 'n.example.org'), group('c')])
    assert _writes(plan) == [('delete_group', ['x']), ('delete_group', ['y']), ('update', ['a', 'b', 'c'])]
    assert not plan['verify']


@pytest.mark.parametrize('current, desired', [
    (['a', 'b'], ['b', 'a']),            # reorder
    (['a', 'b', 'c'], ['c', 'a']),       # reorder and drop
    (['a', 'b'], ['c']),                 # replace all
    (['a', 'b'], ['c', 'a', 'b']),       # insert before existing groups
])
def test_plan_whose_outcome_depends_on_the_semantics_updates_first_then_checks(current, desired):
    plan = rs.plan_present([group(name) for name in current], [group(name) for name in desired])
    assert _writes(plan) == [('update', desired)] and plan['verify'] is True


def test_plan_empty_desired_deletes_the_app():
    assert _writes(rs.plan_present([group('a'), group('b')], [])) == [('delete_app', ['a', 'b'])]
    assert _writes(rs.plan_present([group('a')], [])) == [('delete_app', ['a'])]


def test_desired_groups_purge_false_appends_unlisted_in_order():
    current = [group('x'), group('a'), group('y')]
    assert rs.group_names(rs.desired_groups(current, [group('a', 'n.example.org'), group('b')], False)) == ['a', 'b', 'x', 'y']
    assert rs.group_names(rs.desired_groups(current, [group('b')], True)) == ['b']


def test_plan_absent():
    current = [group('a'), group('b'), group('c')]
    assert _writes(rs.plan_absent(current)) == [('delete_app', ['a', 'b', 'c'])]
    assert _writes(rs.plan_absent([group('a')])) == [('delete_app', ['a'])]
    assert rs.plan_absent([]) == rs.empty_plan()
    assert _writes(rs.plan_absent(current, ['c', 'a', 'zz'])) == [('delete_group', ['a']), ('delete_group', ['c'])]
    # listed groups are deleted one by one even when they are all the groups: exactly what the user named
    assert _writes(rs.plan_absent(current, ['a', 'b', 'c'])) == [('delete_group', [name]) for name in 'abc']
    assert rs.plan_absent(current, ['zz']) == rs.empty_plan()
    assert rs.groups_after_deletes(current, rs.plan_absent(current, ['b'])) == [group('a'), group('c')]
    assert rs.groups_after_deletes(current, rs.plan_absent(current)) == []


def test_plan_app_decides_as_the_states_and_purge_groups_say():
    current = [group('x'), group('a')]
    plan, after = rs.plan_app(current, [group('a', 'n.example.org')], 'present', purge_groups=False)
    assert rs.group_names(after) == ['a', 'x'] and after[0] == group('a', 'n.example.org')
    assert plan == rs.plan_present(current, after)
    plan, after = rs.plan_app(current, [group('a')], 'present')
    assert (_writes(plan), after) == ([('delete_group', ['x'])], [group('a')])
    plan, after = rs.plan_app(current, [{'name': 'a'}], 'absent')
    assert (_writes(plan), after) == ([('delete_group', ['a'])], [group('x')])
    plan, after = rs.plan_app(current, None, 'absent')
    assert (_writes(plan), after) == ([('delete_app', ['x', 'a'])], [])


def test_write_request_is_the_request_each_planned_write_makes():
    desired = [group('a'), group('b', protocol='flv', params={'k': 'v'})]
    update, delete_group, delete_app = (rs.plan_present([], desired)['writes'][0], rs.plan_absent([group('a')], ['a'])['writes'][0],
                                        rs.plan_absent([group('a')])['writes'][0])
    assert rs.write_request(VHOST, APP, update, desired) == {'action': UPDATE, 'body': rs.update_body(VHOST, APP, desired)}
    assert rs.update_body(VHOST, APP, desired)['GroupDetails'][1]['Servers'][0] == {
        'RelaySourceDomain': 'b.example.org', 'RelaySourceProtocol': 'flv', 'RelaySourceParams': {'k': 'v'}}
    assert rs.write_request(VHOST, APP, delete_group, []) == {'action': DELETE, 'body': {'Vhost': VHOST, 'App': APP, 'Group': 'a'}}
    assert rs.write_request(VHOST, APP, delete_app, []) == {'action': DELETE, 'body': {'Vhost': VHOST, 'App': APP}}
    with pytest.raises(ValueError, match='without App'):
        rs.write_request(VHOST, '', delete_app, [])


def test_upsert_result_and_observed_semantics():
    before = [group('a'), group('b')]
    sent = [group('b', 'n.example.org'), group('c'), group('a')]
    assert rs.upsert_result(before, sent) == [group('a'), group('b', 'n.example.org'), group('c')]
    assert rs.observed_semantics(before, sent, sent) == 'replace'
    assert rs.observed_semantics(before, sent, rs.upsert_result(before, sent)) == 'upsert'
    assert rs.observed_semantics(before, sent, before) is None


@pytest.mark.parametrize('read_back, desired, expected', [
    (['a', 'b'], ['b', 'a'], [('delete_group', ['a']), ('update', ['b', 'a'])]),
    (['a', 'b', 'c'], ['c', 'a'], [('delete_group', ['b']), ('delete_group', ['a']), ('update', ['c', 'a'])]),
    (['a', 'b', 'c'], ['c'], [('delete_group', ['a']), ('delete_group', ['b'])]),
    (['x', 'a', 'b', 'c'], ['a', 'c', 'b'], [('delete_group', ['x']), ('delete_group', ['b']), ('update', ['a', 'c', 'b'])]),
    # a declared group in the way is moved while the prefix a, b stays: one delete, not two
    (['a', 'x', 'b'], ['a', 'b', 'x'], [('delete_group', ['x']), ('update', ['a', 'b', 'x'])]),
])
def test_plan_follow_up_after_an_upsert(read_back, desired, expected):
    writes = rs.plan_follow_up([group(name) for name in read_back], [group(name) for name in desired])
    assert [(write['action'], write['groups']) for write in writes] == expected
    assert all(write['follow_up'] for write in writes)


def test_protocol_only_changes():
    current = [group('a', 'x.example.org'), group('b')]
    assert rs.protocol_only_changes(current, [group('a', 'x.example.org', protocol='flv'), group('b', 'other')]) == ['a']
    assert rs.protocol_only_changes(current, current) == []


# ---------------------------------------------------------------------------------------------------------
# Applying: every ordering case under both update semantics, invariants checked after every write
# ---------------------------------------------------------------------------------------------------------

def _all_orderings(names):
    for size in range(len(names) + 1):
        for subset in itertools.permutations(names, size):
            yield list(subset)


def _api(current, update_mode, **options):
    """The in-process API holding ``current`` as VHOST/APP's groups."""
    return model_client([app_config(VHOST, APP, current)] if current else [], update_mode, **options)


def _run(current, desired, update_mode):
    """Read, plan and apply as the module does; return the plan and the API."""
    api = _api(current, update_mode)
    read = rs.describe_app(api, VHOST, APP)
    plan = rs.plan_present(read, desired)
    if rs.plan_has_writes(plan):
        rs.apply_plan(api, VHOST, APP, plan, read, desired)
    return plan, api


_FEWEST_DELETES = {}


def _fewest_upsert_deletes(current_names, desired_names):
    """The fewest deletes that turn ``current_names`` into ``desired_names`` under upsert semantics, found by a
    breadth-first search over every sequence of single-group deletes and updates of the declared list that
    never empties the app (independent of the planner's own reasoning)."""
    key = (tuple(current_names), tuple(desired_names))
    if key not in _FEWEST_DELETES:
        start, goal = tuple(current_names), tuple(desired_names)
        costs, frontier = {start: 0}, [start]
        while frontier:
            following = []
            for state in frontier:
                updated = tuple(list(state) + [name for name in desired_names if name not in state])
                for successor, cost in [(updated, costs[state])] + [
                        (tuple(name for name in state if name != doomed), costs[state] + 1) for doomed in state]:
                    if successor and (successor not in costs or cost < costs[successor]):
                        costs[successor] = cost
                        following.append(successor)
            frontier = following
        _FEWEST_DELETES[key] = costs[goal]
    return _FEWEST_DELETES[key]


def _assert_invariants(api, plan, current, desired, update_mode, context):
    desired_names = rs.group_names(desired)
    deletes = 0
    steps = names_after_each_write(api, VHOST, APP)
    for action, body, names in steps:
        assert body.get('App') == APP, context
        if action == 'DeleteRelaySourceV3':
            deletes += 1
            if desired:
                assert 'Group' in body, ('app-wide delete while groups are declared', context)
                if update_mode == 'replace':
                    assert body['Group'] not in desired_names, ('a declared group deleted under replace', context)
        if desired:
            assert names, ('the app passed through zero groups', context)
    assert rs.normalize_groups(rs.describe_app(api, VHOST, APP)) == desired, context
    if desired and update_mode == 'merge':
        # Fewest deletes: from the current groups when no check is needed; otherwise from what the complete
        # first update left (the first write must be that update: under replace it alone does a reorder).
        start = steps[0][2] if plan['verify'] else rs.group_names(current)
        assert deletes == _fewest_upsert_deletes(start, desired_names), context


@pytest.mark.parametrize('update_mode', ['replace', 'merge'])
def test_every_ordering_converges_and_never_breaks_before_it_makes(update_mode):
    """Every ordering of up to 4 groups to every other, with and without server changes and purge_groups: the
    invariants hold after every single write, and the calls are the documented ones."""
    names = ['a', 'b', 'c', 'd']
    checked = 0
    for current_names in _all_orderings(names):
        current = [group(name) for name in current_names]
        for listed_names in _all_orderings(names):
            for changed_servers in (False, True):
                listed = [group(name, 'new-%s.example.org' % name, 'second.example.org') if changed_servers and name in 'ac'
                          else group(name) for name in listed_names]
                for purge in (True, False):
                    desired = rs.desired_groups(current, listed, purge)
                    context = (current_names, listed_names, changed_servers, purge)
                    plan, api = _run(current, desired, update_mode)
                    calls, writes = [call[0] for call in api.calls], [call[0] for call in api.writes()]
                    _assert_invariants(api, plan, current, desired, update_mode, context)
                    if desired == current:
                        assert calls == ['DescribeRelaySourceV3'] and not rs.plan_has_writes(plan), context
                    elif not current:
                        assert calls == ['DescribeRelaySourceV3', 'UpdateRelaySourceV3'], context
                    if plan['verify']:
                        assert plan['update_semantics'] == {'replace': 'replace', 'merge': 'upsert'}[update_mode], context
                        assert calls[:3] == ['DescribeRelaySourceV3', 'UpdateRelaySourceV3', 'DescribeRelaySourceV3'], context
                    else:
                        assert calls == ['DescribeRelaySourceV3'] + writes, 'no read after the writes: ' + repr(context)
                    if update_mode == 'replace' and plan['verify']:
                        assert len(calls) == 3, context
                    assert writes.count('UpdateRelaySourceV3') <= (1 if update_mode == 'replace' else 2), context
                    assert all(write['outcome'] == 'applied' for write in plan['writes']), context
                    assert len(plan['writes']) == len(writes), context
                    checked += 1
    assert checked == 65 * 65 * 4


@pytest.mark.parametrize('update_mode', ['replace', 'merge'])
def test_absent_converges(update_mode):
    names = ['a', 'b', 'c']
    for current_names in _all_orderings(names):
        current = [group(name) for name in current_names]
        for listed in [None] + list(_all_orderings(names + ['zz'])):
            api = _api(current, update_mode)
            plan = rs.plan_absent(current, listed)
            if rs.plan_has_writes(plan):
                rs.apply_plan(api, VHOST, APP, plan, current, [])
            expected = [] if listed is None else [item for item in current if item['name'] not in listed]
            assert rs.describe_app(api, VHOST, APP) == expected
            assert len(api.writes()) == (0 if expected == current else 1 if listed is None else len(current) - len(expected))
            for action, body, _names in names_after_each_write(api, VHOST, APP):
                assert action == 'DeleteRelaySourceV3' and body.get('App') == APP
                assert ('Group' in body) is (listed is not None)


@pytest.mark.parametrize('update_mode, expected_calls', [
    ('replace', ['DescribeRelaySourceV3', 'UpdateRelaySourceV3', 'DescribeRelaySourceV3']),
    ('merge', ['DescribeRelaySourceV3', 'UpdateRelaySourceV3', 'DescribeRelaySourceV3', 'DeleteRelaySourceV3',
               'UpdateRelaySourceV3']),
])
def test_reorder_is_one_update_under_replace_and_never_empties_the_app_under_upsert(update_mode, expected_calls):
    plan, api = _run([group('a'), group('b')], [group('b'), group('a')], update_mode)
    assert [call[0] for call in api.calls] == expected_calls
    steps = [names for _action, _body, names in names_after_each_write(api, VHOST, APP)]
    assert steps == ([['b', 'a']] if update_mode == 'replace' else [['a', 'b'], ['b'], ['b', 'a']])
    assert rs.applied_actions(plan) == (['updated groups b, a'] if update_mode == 'replace' else
                                        ['updated groups b, a', 'deleted group a', 'updated groups b, a'])


# ---------------------------------------------------------------------------------------------------------
# Applying: failures, lost answers, and the delete guard
# ---------------------------------------------------------------------------------------------------------

def test_delete_refuses_a_missing_or_blank_app_or_group():
    api = model_client([app_config(VHOST, APP, [group('a')])])
    for app in (None, '', '  '):
        with pytest.raises(ValueError, match='without App'):
            rs.delete(api, VHOST, app)
        with pytest.raises(ValueError, match='without App'):
            rs.delete(api, VHOST, app, group='a')
    with pytest.raises(ValueError, match='blank Group'):
        rs.delete(api, VHOST, APP, group='')
    assert api.calls == []


def _apply(current, desired, update_mode='replace', faults=(), warnings=None, retries=0):
    api = _api(current, update_mode, retries=retries)
    for fault in faults:
        api.inject_fault(**fault)
    plan = rs.plan_present(current, desired)
    try:
        rs.apply_plan(api, VHOST, APP, plan, current, desired, warn=None if warnings is None else warnings.append)
    except VolcengineError as error:
        return plan, api, error
    return plan, api, None


def test_failure_after_a_delete_says_what_was_applied():
    plan, api, error = _apply([group('a'), group('x'), group('b')], [group('a', 'n.example.org'), group('b')],
                              faults=[dict(kind='error', code='InvalidParam', status=400, actions=[UPDATE])])
    assert error.code == 'InvalidParam'
    assert [call[0] for call in api.calls] == ['DeleteRelaySourceV3', 'UpdateRelaySourceV3'], 'a refusal needs no read'
    assert [write['outcome'] for write in plan['writes']] == ['applied', 'failed']
    assert rs.applied_actions(plan) == ['deleted group x'] and rs.may_have_changed(plan)
    message = rs.progress_message(plan)
    assert 'Already applied: deleted group x. Not applied: update groups a, b.' in message
    assert 'Rerunning the task converges' in message and 'unknown' not in message


def test_refused_first_write_says_nothing_was_applied():
    plan, api, error = _apply([group('a')], [group('a', 'n.example.org')],
                              faults=[dict(kind='error', code='InvalidParam', status=400, actions=[UPDATE])])
    assert error is not None and not rs.may_have_changed(plan) and rs.applied_actions(plan) == []
    assert rs.progress_message(plan) == 'No write was applied (not applied: update groups a); running the task again is safe.'


@pytest.mark.parametrize('fault, retries, code', [
    (dict(kind='delay', delay=60), 0, 'Timeout'),                            # answer lost (held past the timeout), no retry
    (dict(kind='drop_after'), 1, 'ResourceNotFound'),                        # the retry found the group gone
    (dict(kind='error', status=504, code='InternalServiceTimeout', apply=True), 0,
     'InternalServiceTimeout'),                                              # the gateway gave up, the backend did it
])
def test_lost_delete_answer_is_settled_by_a_fresh_read(fault, retries, code):
    warnings = []
    plan, api, error = _apply([group('a'), group('x')], [group('a')], faults=[dict(actions=[DELETE], **fault)],
                              warnings=warnings, retries=retries)
    assert error is None
    assert [call[0] for call in api.calls] == [DELETE] * (retries + 1) + [DESCRIBE]
    assert plan['writes'][0]['outcome'] == 'applied' and rs.applied_actions(plan) == ['deleted group x']
    assert len(warnings) == 1 and code in warnings[0] and 'counts as applied' in warnings[0]


def test_delete_whose_group_is_still_there_failed():
    plan, api, error = _apply([group('a'), group('x')], [group('a')],
                              faults=[dict(kind='drop', actions=[DELETE])])
    assert error.code == 'ConnectionError'
    assert plan['writes'][0]['outcome'] == 'failed' and not rs.may_have_changed(plan)
    assert plan['writes'][0]['settled_by_read'] is True
    assert rs.progress_message(plan).startswith(
        'No write was applied (not applied: delete group x (a fresh read did not show it in effect)); ')


def test_unsettled_lost_answer_is_unknown_and_counts_as_a_possible_change():
    plan, api, error = _apply([group('a'), group('x'), group('b')], [group('a'), group('b', 'n.example.org')], faults=[
        dict(kind='delay', delay=60, actions=[DELETE]),
        dict(kind='error', code='InternalError', status=500, actions=[DESCRIBE])])
    assert error.code == 'Timeout'
    assert [write['outcome'] for write in plan['writes']] == ['unknown', 'planned']
    assert rs.may_have_changed(plan) and rs.applied_actions(plan) == []
    message = rs.progress_message(plan)
    assert 'No write was applied' not in message
    assert 'Already applied: nothing. Not applied: update groups a, b. Outcome unknown' in message
    assert 'delete group x' in message.split('Outcome unknown')[1]


@pytest.mark.parametrize('update_mode, expected_calls', [
    ('replace', ['DescribeRelaySourceV3', 'UpdateRelaySourceV3', 'DescribeRelaySourceV3']),
    ('merge', ['DescribeRelaySourceV3', 'UpdateRelaySourceV3', 'DescribeRelaySourceV3', 'DeleteRelaySourceV3',
               'UpdateRelaySourceV3']),
])
def test_lost_update_answer_the_settling_read_is_also_the_check(update_mode, expected_calls):
    current, desired = [group('a'), group('b')], [group('b', 'n.example.org'), group('a')]
    api = _api(current, update_mode)
    api.inject_fault(kind='delay', delay=60, actions=[UPDATE])
    read = rs.describe_app(api, VHOST, APP)
    plan = rs.plan_present(read, desired)
    rs.apply_plan(api, VHOST, APP, plan, read, desired)
    assert [call[0] for call in api.calls] == expected_calls
    assert rs.normalize_groups(rs.describe_app(api, VHOST, APP)) == desired
    assert plan['update_semantics'] == {'replace': 'replace', 'merge': 'upsert'}[update_mode]


def test_failed_check_read_after_the_update_is_reported():
    plan, api, error = _apply([group('a'), group('b')], [group('b'), group('a')], update_mode='merge',
                              faults=[dict(kind='error', code='InternalError', status=500, actions=[DESCRIBE])])
    assert error.code == 'InternalError' and plan['update_semantics'] == 'unknown'
    message = rs.progress_message(plan)
    assert 'Already applied: updated groups b, a. Not applied: nothing.' in message
    assert 'no follow-up write was made' in message


def test_follow_up_failure_after_an_upsert_says_what_was_applied():
    plan, api, error = _apply([group('a'), group('b')], [group('b', 'n.example.org'), group('a')], update_mode='merge', faults=[
        dict(kind='delay', delay=60, actions=[UPDATE]),
        dict(kind='error', code='InvalidParam', status=400, actions=[UPDATE])])
    assert [(write['description'], write['follow_up'], write['outcome']) for write in plan['writes']] == [
        ('update groups b, a', False, 'applied'), ('delete group a', True, 'applied'), ('update groups b, a', True, 'failed')]
    assert error.code == 'InvalidParam' and plan['update_semantics'] == 'upsert'
    assert [names for _action, _body, names in names_after_each_write(api, VHOST, APP)] == [['a', 'b'], ['b']]
    assert ('Already applied: updated groups b, a (a fresh read showed it in effect); deleted group a. '
            'Not applied: update groups b, a.') in rs.progress_message(plan)


class _ConcurrentWriterAPI(ModelClient):
    """Someone else adds a group right after each update."""

    def call(self, action, version, body=None):
        response = super(_ConcurrentWriterAPI, self).call(action, version, body)
        if action == UPDATE:
            configs = self.state()['RelaySourceConfigList']
            groups_of(self, VHOST, APP, configs).append({'Group': 'intruder', 'Servers': []})
            self.model.set_state(configs)
        return response


def test_unexpected_state_after_the_update_stops_before_any_further_write():
    current, desired = [group('a'), group('b')], [group('b'), group('a')]
    api = _ConcurrentWriterAPI(in_process_model([app_config(VHOST, APP, current)], 'merge'))
    plan = rs.plan_present(current, desired)
    with pytest.raises(rs.RelaySourceStateError) as raised:
        rs.apply_plan(api, VHOST, APP, plan, current, desired)
    assert raised.value.code == 'UnexpectedRelaySourceState' and 'intruder' in str(raised.value)
    assert [call[0] for call in api.calls] == ['UpdateRelaySourceV3', 'DescribeRelaySourceV3']
    assert 'no follow-up write was made' in rs.progress_message(plan)


@pytest.mark.parametrize('result', [None, {}, {'Anything': [1]}])
def test_write_answers_without_result_fields_are_fine(result):
    api = model_client([app_config(VHOST, APP, [group('a')])])
    for action in (UPDATE, DELETE):
        api.inject_fault(kind='result', result=result, actions=[action])
    rs.update(api, VHOST, APP, [group('a'), group('b')])
    rs.delete(api, VHOST, APP, group='a')
    assert [detail['Group'] for detail in groups_of(api, VHOST, APP)] == ['b']


@pytest.mark.parametrize('action', ['UpdateRelaySourceV3', 'DeleteRelaySourceV3'])
@pytest.mark.parametrize('result', ['done', ['ok'], 1, True])
def test_write_answer_result_not_an_object_fails_closed(action, result):
    api = model_client([app_config(VHOST, APP, [group('a')])])
    api.inject_fault(kind='result', result=result, actions=[action])
    with pytest.raises(VolcengineResponseError) as raised:
        if action == 'UpdateRelaySourceV3':
            rs.update(api, VHOST, APP, [group('a')])
        else:
            rs.delete(api, VHOST, APP)
    assert (raised.value.code, raised.value.path, raised.value.action) == ('InvalidResponse', 'Result', action)


def test_apply_plan_stops_after_an_odd_write_answer_and_counts_that_write():
    current = [group('a'), group('x'), group('b')]
    desired = [group('a'), group('b', 'n.example.org')]
    api = model_client([app_config(VHOST, APP, current)])
    api.inject_fault(kind='result', result='deleted', actions=[DELETE])
    plan = rs.plan_present(current, desired)
    with pytest.raises(VolcengineResponseError):
        rs.apply_plan(api, VHOST, APP, plan, current, desired)
    assert [action for action, _body in api.calls] == ['DeleteRelaySourceV3'], 'nothing is written after the odd answer'
    assert rs.applied_actions(plan) == ['deleted group x'], 'the API reported success for that delete'
    assert 'Already applied: deleted group x. Not applied: update groups a, b.' in rs.progress_message(plan)


# ---------------------------------------------------------------------------------------------------------
# Whole-string, ASCII input patterns
# ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('app', ['live\n', 'live\r', '\nlive', 'live\x00', '\uff4c\uff49\uff56\uff45', 'liv\u00e9', 'live\u200b', 7])
def test_app_is_whole_string_ascii(app):
    with pytest.raises(rs.RelaySourceInputError) as caught:
        rs.validate_app(app)
    assert caught.value.path == 'app' and str(caught.value).isprintable()


@pytest.mark.parametrize('vhost, fragment', [
    ('push.example.com\n', 'whitespace'),
    ('a' * 61, '1 to 60'),
    ('push\x00.example.com', '1 to 60'),
    ('push\u4f8b.example.com', '1 to 60'),
    ('push:8080', '1 to 60'),
    ('push*.example.com', '1 to 60'),
    ('rtmp://push.example.com', 'scheme'),
    ('push.example.com/live', 'path'),
])
def test_vhost_follows_the_sdk_rule(vhost, fragment):
    with pytest.raises(rs.RelaySourceInputError) as caught:
        rs.validate_vhost(vhost)
    assert caught.value.path == 'vhost' and fragment in str(caught.value) and str(caught.value).isprintable()


@pytest.mark.parametrize('vhost', ['push.example.com', 'a' * 60, 'push_1-x.example.com', 'P'])
def test_valid_vhosts(vhost):
    rs.validate_vhost(vhost)


@pytest.mark.parametrize('domain, fragment', [
    ('a.example.org:19\u00b3', 'printable ASCII'),
    ('a.example.org:\u0661\u0669\u0663\u0665', 'printable ASCII'),
    ('a.example.org:\uff11\uff19\uff13\uff15', 'printable ASCII'),
    ('a.example.org:+1935', 'port'),
    ('a.example.org:000001', 'port'),
    ('a.example.org\n:1935', 'whitespace'),
    ('ex\x00ample.org', 'printable ASCII'),
    ('ex\x7fample.org', 'printable ASCII'),
    ('\u4f8b\u5b50.\u4e2d\u56fd', 'printable ASCII'),
    ('rtmp://\u4f8b.org\x1b[2J', 'printable ASCII'),
    ('fe80::1%eth0', 'IPv6'),
    ('[fe80::1%25eth0]:1935', 'IPv6'),
    ('[::\u0661]:1935', 'printable ASCII'),
    ('[::1]:19\u00b3', 'printable ASCII'),
    ('[::1]:0x10', 'port'),
])
def test_domain_is_ascii_with_ascii_port(domain, fragment):
    with pytest.raises(rs.RelaySourceInputError) as caught:
        rs.validate_domain(domain, 'groups[0].servers[1].domain')
    message = str(caught.value)
    assert caught.value.path == 'groups[0].servers[1].domain' and fragment in message, message
    assert message.isprintable()


def test_domain_surrounding_newline_is_stripped_like_what_is_sent():
    rs.validate_domain('a.example.org:1935\n', 'd')
    assert rs.normalize_server({'domain': 'a.example.org:1935\n'})['domain'] == 'a.example.org:1935'


@pytest.mark.parametrize('name, fragment', [
    ('relay1\n', 'whitespace'),
    (' relay1', 'whitespace'),
    ('relay1\u3000', 'whitespace'),
    ('re\tlay', 'control'),
    ('re\x00lay', 'control'),
    ('\x1b[31mred', 'control'),
    ('re\u202elay', 'control'),
    ('re\u200blay', 'control'),
    ('re\u2028lay', 'control'),
    ('re\x85lay', 'control'),
    ('re\ud800lay', 'control'),
    ('', 'empty'),
])
def test_group_names_refuse_control_characters_and_surrounding_whitespace(name, fragment):
    error = _groups_error([group('ok'), {'name': name, 'servers': group('x')['servers']}], state='absent')
    assert error.path == 'groups[1].name' and fragment in str(error) and str(error).isprintable()


@pytest.mark.parametrize('name', ['\u4e3b\u6e90', 'relay 1', 'r\u00e9lais', 'a-b_c.d', 'x' * 200])
def test_group_names_may_be_any_visible_text(name):
    rs.validate_options(VHOST, APP, [group(name, 'x.example.org')], 'present')


def test_param_keys_and_values_refuse_control_characters_and_never_show_the_value():
    error = _groups_error([group('a', params={'to\nken': 'x'})])
    assert error.path == 'groups[0].servers[0].params' and "'to\\nken'" in str(error)
    error = _groups_error([group('a', params={'token': 's3cr3t-origin-password\r\nX-Injected: 1'})])
    assert error.path == 'groups[0].servers[0].params.token' and 'U+000D' in str(error)
    assert 's3cr3t' not in str(error) and 'Injected' not in str(error)
    rs.validate_options(VHOST, APP, [group('a', params={'domain': 'live.push.net', '\u540d': '\u503c'})], 'present')


def test_info_filters_are_validated():
    rs.validate_filters(VHOST, APP, 'relay1')
    rs.validate_filters(VHOST)
    for app, name, path in [('live\n', None, 'app'), (APP, 'relay1\n', 'group'), (APP, '', 'group')]:
        with pytest.raises(rs.RelaySourceInputError) as caught:
            rs.validate_filters(VHOST, app, name)
        assert caught.value.path == path
