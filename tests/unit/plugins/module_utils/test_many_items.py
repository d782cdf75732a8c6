# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the many-item modules share (many_items.py): the checks of the states' options and the scope in each module's
words, and the summary, failure and interrupt messages of a run. volc_live_relay_sources' own tests
(tests/unit/plugins/modules/test_volc_live_relay_sources.py) pin its output, which moving this code out of it kept."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.volcengine.cloud.plugins.module_utils import many_items
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineAPIError
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_input import RelaySourceInputError
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_many_apps import NOUNS as APPS
from ansible_collections.volcengine.cloud.plugins.module_utils.scheduled_relay_streams import NOUNS as STREAMS


def check(state, config, scope_names, nouns, max_workers=10):
    many_items.validate_task(state, config, scope_names, max_workers, nouns, lambda name, path: None,
                             lambda entry, state: None, lambda entry: (entry['key'], entry['key']),
                             scope_key=lambda name: name.lower())


def refused(*args, **kwargs):
    with pytest.raises(RelaySourceInputError) as caught:
        check(*args, **kwargs)
    return caught.value


@pytest.mark.parametrize('nouns, words', [
    (APPS, ('vhosts', 'vhost', 'apps', 'app')),
    (STREAMS, ('domains', 'domain', 'streams', 'stream')),
])
def test_the_checks_of_the_states_options_speak_each_modules_words(nouns, words):
    option, scope, plural, singular = words
    assert str(refused('gathered', [{'key': 'a', scope: 'x'}], ['x'], nouns)) == (
        'config: is not used with state=gathered, which reads the %s named in %s; remove it' % (option, option))
    assert str(refused('merged', [], ['x'], nouns)) == (
        '%s: is only used with state=overridden, deleted or gathered (state=merged changes only the %s that config '
        'lists); remove it' % (option, plural))
    assert str(refused('overridden', [], ['x', 'X'], nouns)) == '%s[1]: X is already listed as %s[0]; list each %s once' % (
        option, option, scope)
    assert str(refused('merged', [{'key': 'a', scope: 'x'}, {'key': 'a', scope: 'x'}], None, nouns)) == (
        'config[1]: a is already listed by config[0]; list each %s once' % singular)
    assert str(refused('deleted', [{'key': 'a', scope: 'X'}], ['x'], nouns)) == (
        'config[0].%s: X is also in %s (%s[0]), which deletes every %s of it; name the %s in %s or its %s in config, not '
        'both' % (scope, option, option, singular, scope, option, plural))
    assert str(refused('overridden', [], [], nouns)) == (
        'config: is empty and %s names no %s, so state=overridden has nothing in scope; list the %s to keep in config, '
        'or name in %s the %s to empty' % (option, scope, plural, option, option))
    assert str(refused('gathered', None, None, nouns)) == '%s: must name at least one %s for state=gathered' % (option, scope)
    assert refused('merged', [], None, nouns, max_workers=True).path == 'max_workers'


def test_the_scope_is_each_name_once_as_first_written_in_order_of_first_mention():
    config = [{'domain': 'B.example.com'}, {'domain': 'a.example.com'}, {'domain': 'b.example.com'}]
    assert many_items.scope_of('overridden', config, ['A.example.com', 'c.example.com'], STREAMS,
                               scope_key=lambda name: name.lower()) == ['B.example.com', 'a.example.com', 'c.example.com']
    assert many_items.scope_of('merged', config, None, STREAMS, scope_key=lambda name: name.lower()) == [
        'B.example.com', 'a.example.com']
    assert many_items.scope_of('gathered', [], ['x', 'y'], STREAMS) == ['x', 'y']


class Change(object):
    def __init__(self, writes):
        self.plan = {'writes': [{'settled_by_read': False}] * writes, 'verify': False}

    def has_writes(self):
        return bool(self.plan['writes'])

    def may_have_changed(self):
        return self.has_writes()

    def applied_actions(self):
        return []

    def failure_context(self, error):
        return 'Context.'


class Item(many_items.ItemRun):
    def __init__(self, scope, label, kind, error=None, started=True):
        super(Item, self).__init__(scope, label, Change(0 if kind is None else 1))
        self.key = (scope, label)
        self._kind = kind
        self.started = started
        if error is not None:
            self._failed(error)

    def identity(self):
        return {'name': self.name}

    def kind(self):
        return self._kind

    def describe(self):
        return '%s it' % self._kind


class Run(many_items.ManyItemsRun):
    nouns = STREAMS

    def __init__(self, items):
        super(Run, self).__init__(['d1', 'd2'], 4, read_one=None)
        self.items = items

    def read_order(self):
        return [('d1', 'b')]

    def item_diff(self, item):
        return {'before': {}, 'after': {'name': item.name}}


def test_summary_failure_and_interrupt_messages_of_a_run():
    error = VolcengineAPIError('refused', action='CreateRelaySourceV4', code='InvalidParam', http_status=400, request_id='R-9')
    run = Run([Item('d1', 'a', 'create'), Item('d1', 'b', 'update'), Item('d1', 'c', None),
               Item('d2', 'x', 'create', error=error), Item('d2', 'y', 'delete', started=False)])
    assert run.summary(False) == 'd1: created 1 (a), updated 1 (b), unchanged 1; d2: failed 1 (x), not started 1 (y)'
    assert run.summary(True) == 'd1: would create 1 (a), would update 1 (b), unchanged 1; d2: failed 1 (x), not started 1 (y)'
    message = run.failure_message(False)
    assert message.startswith('1 of 5 streams failed (d2/x); 2 were applied and 1 needed no change. The other streams were '
                              'not held up by the failures. Applied: d1/a (create it); d1/b (update it). Failed, d2/x '
                              '(create it): CreateRelaySourceV4 failed: InvalidParam: refused (HTTP 400, RequestId R-9).')
    assert message.endswith('Context.')
    stopped = run.interrupt_message('SIGINT', False)
    assert stopped.startswith('Stopped by SIGINT: no write was sent after it arrived. Streams: 2 applied, 1 failed, 1 not '
                              'started, 1 unchanged. Stopped part-way: d2/x.')
    assert [item.label for item in run.changing_items()] == ['b', 'a', 'x', 'y']  # read first, then as planned
    assert [diff.get('prepared') or diff['after']['name'] for diff in run.diff(True)] == [
        run.summary(True) + '\n', 'd1/b', 'd1/a', 'd2/x', 'd2/y']
    assert [entry['name'] for entry in run.items_result(False)] == ['d1/a', 'd1/b', 'd2/x', 'd2/y']
    assert run.items_result(False)[2]['request_id'] == 'R-9' and 'plan' in run.items_result(False)[2]
    assert Run([]).summary(False) == 'd1: no stream; d2: no stream'
