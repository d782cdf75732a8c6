# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property-based tests (Hypothesis) of the relay-source boundary: generated answers and generated inputs.

Every generated Describe answer must end in configurations of exactly the modules' shape (of the vhost asked for,
with names the input rules accept) or in the collection's own InvalidResponse error; an entry's Vhost is accepted in
any case and refused when it is another; every generated input must be refused with RelaySourceInputError or be
plain ASCII (or visible text, for names) that follows the documented rule, and then the emulator must accept it too.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import string
import unicodedata

from hypothesis import given, settings, strategies as st

from ansible_collections.volcengine.cloud.plugins.module_utils.client import APIResponse
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source import PROTOCOLS, normalize_server
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_api import (
    ACTION_DELETE, ACTION_DESCRIBE, ACTION_UPDATE, apps_from_describe_answer, delete_body, describe, send_write, update_body)
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_input import (
    RelaySourceInputError, validate_app, validate_domain, validate_group_name, validate_params, validate_vhost)
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineResponseError
from ansible_collections.volcengine.cloud.tests.emulator import api_model

# database=None: nothing is written into the source tree; deadline=None: a loaded 2-core machine is slow.
ANSWERS = settings(max_examples=1000, deadline=None, database=None)
INPUTS = settings(max_examples=300, deadline=None, database=None)

# -- generated answers ------------------------------------------------------------------------------------------
# A well-formed answer, then up to three of its nodes (the root included) replaced by an odd value or removed:
# cheap to generate, and every field of every level gets its share of odd values.


def _nested(depth):
    """A list nested ``depth`` deep around a Result-looking object."""
    value = {'RelaySourceConfigList': []}
    for _level in range(depth):
        value = [value]
    return value


_SCALARS = (st.none() | st.booleans() | st.integers(min_value=-10 ** 40, max_value=10 ** 40) | st.floats()
            | st.text(max_size=6))
ANY_JSON = st.one_of(
    _SCALARS,
    st.lists(_SCALARS, max_size=3),
    st.dictionaries(st.text(max_size=4), _SCALARS, max_size=3),
    st.integers(min_value=1, max_value=3000).map(_nested),
)
DEEP_JSON = st.integers(min_value=1, max_value=30000).map(lambda depth: '[' * depth + ']' * depth)
HUGE_NUMBER_JSON = st.integers(min_value=1, max_value=6000).map(lambda digits: '{"port": 1%s}' % ('0' * digits))
ODD_TEXT = st.sampled_from(['', ' ', 'hls', ' RTMP ', 'a\nb', '\x1b[2J', '\u4e3b\u6e90', 'not json', '{"a": 1}', '["x"]',
                            '{"a": "b"}', '{}', 'null', '"x"', '{"a": "b"'])
DROP = object()
ODD_VALUES = st.one_of(ANY_JSON, ODD_TEXT, DEEP_JSON, HUGE_NUMBER_JSON, st.just(DROP))


VALID_SERVERS = st.fixed_dictionaries(
    {'RelaySourceDomain': st.sampled_from(['a.example.org', ' b.example.org:1935 ', '[::1]:1935']),
     'RelaySourceProtocol': st.sampled_from(['rtmp', 'flv', 'RTMP', ' flv '])},
    optional={'RelaySourceParams': st.sampled_from([None, {}, {'domain': 'live.push.net'}, '{"k": "\u4e3b"}', '{}'])})
VALID_GROUPS = st.fixed_dictionaries({'Group': st.sampled_from(['relay1', 'relay2', '\u4e3b\u6e90']),
                                      'Servers': st.lists(VALID_SERVERS, max_size=2)})
VALID_ENTRIES = st.fixed_dictionaries({'Vhost': st.just('push.example.com'), 'App': st.sampled_from(['live', 'other', '']),
                                       'GroupDetails': st.lists(VALID_GROUPS, max_size=2)},
                                      optional={'Extra': _SCALARS})
VALID_RESULTS = st.fixed_dictionaries({'RelaySourceConfigList': st.lists(VALID_ENTRIES, max_size=2)})


def _node_paths(value, path=()):
    """The path (a tuple of keys and indexes) of every node of a JSON tree, the root's () included, down to the
    depth of a well-formed answer (an odd value may nest thousands of levels)."""
    paths = [path]
    if len(path) >= 10:
        return paths
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        paths.extend(_node_paths(child, path + (key,)))
    return paths


def _replaced(tree, path, value):
    """A copy of ``tree`` with the node at ``path`` replaced by ``value``, or removed when ``value`` is DROP."""
    if not path:
        return None if value is DROP else value
    head, rest = path[0], path[1:]
    copy = dict(tree) if isinstance(tree, dict) else list(tree)
    if rest or value is not DROP:
        copy[head] = _replaced(tree[head], rest, value)
    elif isinstance(copy, dict):
        del copy[head]
    else:
        copy.pop(head)
    return copy


@st.composite
def describe_results(draw):
    result = draw(VALID_RESULTS)
    for _change in range(draw(st.integers(min_value=0, max_value=3))):
        result = _replaced(result, draw(st.sampled_from(_node_paths(result))), draw(ODD_VALUES))
    return result


class AnswerClient(object):
    """Answers every call with one Result; ``calls`` records (action, write) of each."""

    def __init__(self, result):
        self.result = result
        self.calls = []

    def call(self, action, version, body=None, write=False):
        self.calls.append((action, write))
        return APIResponse(self.result, 'req-generated', 1)


VHOST_WIDE_APPS = ('', '*')


def _assert_module_shape(configs, vhost='push.example.com'):
    assert isinstance(configs, list)
    for config in configs:
        assert sorted(config) == ['app', 'groups', 'vhost']
        assert isinstance(config['vhost'], str) and isinstance(config['app'], str) and isinstance(config['groups'], list)
        assert config['vhost'] == vhost
        if config['app'] not in VHOST_WIDE_APPS:
            validate_app(config['app'])
        for group in config['groups']:
            assert sorted(group) == ['name', 'servers']
            assert isinstance(group['name'], str) and group['name'].strip() and isinstance(group['servers'], list)
            validate_group_name(group['name'], 'groups[0].name')
            for server in group['servers']:
                assert sorted(server) == ['domain', 'params', 'protocol']
                assert isinstance(server['domain'], str) and server['protocol'] in PROTOCOLS
                assert isinstance(server['params'], dict)
                assert all(isinstance(key, str) and isinstance(value, str) for key, value in server['params'].items())


@ANSWERS
@given(result=describe_results(), app=st.sampled_from([None, 'live']))
def test_any_describe_answer_ends_in_the_module_shape_or_invalid_response(result, app):
    try:
        configs = describe(AnswerClient(result), 'push.example.com', app)
    except VolcengineResponseError as error:
        assert error.code == 'InvalidResponse' and error.action == ACTION_DESCRIBE
        assert error.request_id == 'req-generated' and error.http_status == 200
        assert error.path.startswith('Result') and error.message.startswith(error.path + ' ')
        assert str(error).isprintable(), 'no raw control character of the answer reaches the message'
        return
    _assert_module_shape(configs)


@ANSWERS
@given(result=ANY_JSON, action=st.sampled_from([ACTION_UPDATE, ACTION_DELETE]))
def test_any_write_answer_is_accepted_only_without_a_result_or_as_an_object(result, action):
    client = AnswerClient(result)
    try:
        if action == ACTION_UPDATE:
            send_write(client, ACTION_UPDATE, update_body('push.example.com', 'live', []))
        else:
            send_write(client, ACTION_DELETE, delete_body('push.example.com', 'live'))
    except VolcengineResponseError as error:
        assert error.code == 'InvalidResponse' and error.action == action and error.path == 'Result'
        assert result is not None and not isinstance(result, dict)
    else:
        assert result is None or isinstance(result, dict)
    assert client.calls == [(action, True)], 'sent once, as a write'


# -- generated inputs -------------------------------------------------------------------------------------------

ODD_CHARACTERS = st.sampled_from(['\n', '\r', '\t', '\x00', '\x0b', '\x1b', '\x7f', '\x85', '\xa0', '\u2028', '\u2029',
                                  '\u202e', '\u200b', '\ufeff', '\u0663', '\u00b3', '\uff11', '\u0661', '\u00e9', '\u4f8b',
                                  ' ', '\ud800', '%', '+'])
ANY_CHARACTER = st.characters(exclude_categories=())


def text_from(alphabet, valid, max_size=24):
    """Strings mostly of ``alphabet``, salted with control characters, Unicode digits, newlines, non-ASCII; or a
    ``valid`` example with an odd character before or after it (the trailing newline that "$" let through)."""
    salted = st.tuples(st.sampled_from(valid), ODD_CHARACTERS, st.booleans()).map(
        lambda parts: parts[0] + parts[1] if parts[2] else parts[1] + parts[0])
    return st.lists(st.sampled_from(alphabet) | ODD_CHARACTERS | ANY_CHARACTER, max_size=max_size).map(''.join) | salted


NAME_CHARACTERS = frozenset(string.ascii_letters + string.digits + '_.-')
FORBIDDEN_CATEGORIES = ('Cc', 'Cf', 'Cs', 'Zl', 'Zp')


def refusal(check, path=None):
    """The RelaySourceInputError ``check()`` raises (its message printable, naming ``path`` when given), or None."""
    try:
        check()
    except RelaySourceInputError as error:
        assert str(error).isprintable() and path in (None, error.path), str(error)
        return error
    return None


@INPUTS
@given(app=text_from('ab_.-09Z', ['live', 'a' * 30], max_size=34))
def test_generated_app_is_refused_or_follows_the_rule(app):
    if refusal(lambda: validate_app(app), 'app'):
        return
    assert 1 <= len(app) <= 30 and set(app) <= NAME_CHARACTERS
    assert api_model.validate_app({'App': app}) == app


@INPUTS
@given(vhost=text_from('ab_.-09Z/:', ['push.example.com', 'v' * 60], max_size=64)
       | st.integers(min_value=55, max_value=65).map(lambda size: 'v' * size))
def test_generated_vhost_is_refused_or_follows_the_sdk_rule(vhost):
    if refusal(lambda: validate_vhost(vhost), 'vhost'):
        return
    assert 1 <= len(vhost) <= 60 and set(vhost) <= NAME_CHARACTERS
    assert api_model.validate_vhost({'Vhost': vhost}) == vhost


def _port_of(domain):
    if domain.startswith('['):
        return domain.partition(']')[2][1:] or None
    if domain.count(':') == 1:
        return domain.partition(':')[2]
    return None


@INPUTS
@given(domain=text_from('ab.-_09:[]f', ['a.example.org:1935', '[::1]:1935', '::1', 'fe80::1', 'a.example.org:19'], max_size=20))
def test_generated_domain_is_refused_or_printable_ascii_with_an_ascii_port(domain):
    if refusal(lambda: validate_domain(domain, 'groups[0].servers[0].domain'), 'groups[0].servers[0].domain'):
        return
    sent = normalize_server({'domain': domain})['domain']
    assert sent and all('!' <= character <= '~' for character in sent)
    port = _port_of(sent)
    if port is not None:
        assert port and set(port) <= set(string.digits) and 1 <= int(port) <= 65535
    api_model.validate_domain(sent, 'GroupDetails[0].Servers[0]')


@INPUTS
@given(name=text_from('ab \u4e3b\u6e90-1', ['relay1', '\u4e3b\u6e90'], max_size=12))
def test_generated_group_name_is_refused_or_visible_text(name):
    if refusal(lambda: validate_group_name(name, 'groups[0].name'), 'groups[0].name'):
        return
    assert name.strip() == name and name
    assert not any(unicodedata.category(character) in FORBIDDEN_CATEGORIES for character in name)
    body = {'GroupDetails': [{'Group': name, 'Servers': [{'RelaySourceDomain': 'a.example.org', 'RelaySourceProtocol': 'rtmp'}]}]}
    assert api_model.validate_group_details(body)[0]['Group'] == name


@INPUTS
@given(key=text_from('ab_-', ['domain'], max_size=8), value=text_from('ab=&%', ['live.push.net'], max_size=12))
def test_generated_params_are_refused_without_showing_the_value_or_have_no_control_characters(key, value):
    secret = 'S3CR3T-' + value
    error = refusal(lambda: validate_params({key: secret}, 'groups[0].servers[0].params'))
    if error:
        assert 'S3CR3T' not in str(error)
        return
    for text in (key, secret):
        assert not any(unicodedata.category(character) in FORBIDDEN_CATEGORIES for character in text)


# -- generated vhosts, apps and group names in answers -----------------------------------------------------------
# Answers that are otherwise well formed (distinct apps, distinct groups), so the field under test decides; the
# names are drawn like the generated inputs above.

UNIQUE_GROUPS = st.lists(VALID_GROUPS, max_size=2, unique_by=lambda detail: detail['Group'])
UNIQUE_ENTRIES = st.lists(st.fixed_dictionaries({'Vhost': st.just('push.example.com'), 'App': st.sampled_from(['live', 'other', '', '*']),
                                                 'GroupDetails': UNIQUE_GROUPS}, optional={'Extra': _SCALARS}),
                          min_size=1, max_size=3, unique_by=lambda entry: entry['App'])
ASKED_VHOSTS = st.sampled_from(['push.example.com', 'PUSH.EXAMPLE.COM', 'Push.Example.Com'])


def in_random_case(text):
    """``text`` with each ASCII letter in a drawn case."""
    return st.lists(st.booleans(), min_size=len(text), max_size=len(text)).map(
        lambda upper: ''.join(character.upper() if flip else character.lower() for character, flip in zip(text, upper)))


def ascii_folded(text):
    """``text`` with ASCII letters lower-cased, and nothing else changed: how DNS compares names."""
    return ''.join(chr(ord(character) + 32) if 'A' <= character <= 'Z' else character for character in text)


def _read(result, vhost):
    return apps_from_describe_answer(APIResponse(result, 'req-generated', 1), vhost)


def _invalid_response(result, vhost):
    """The InvalidResponse a Describe answer of ``result`` for ``vhost`` raises (checked like any), or None."""
    try:
        _read(result, vhost)
    except VolcengineResponseError as error:
        assert error.code == 'InvalidResponse' and error.action == ACTION_DESCRIBE and str(error).isprintable()
        assert error.message.startswith(error.path + ' ')
        return error
    return None


@INPUTS
@given(entries=UNIQUE_ENTRIES, asked=ASKED_VHOSTS, data=st.data())
def test_an_answer_with_the_vhost_in_any_case_is_read_as_the_vhost_asked_for(entries, asked, data):
    for entry in entries:
        entry['Vhost'] = data.draw(in_random_case('push.example.com'))
    apps = _read({'RelaySourceConfigList': entries}, asked)
    assert [(stored.vhost, stored.app) for stored in apps] == [(asked, entry['App']) for entry in entries]
    assert [[group['name'] for group in stored.groups] for stored in apps] == [
        [detail['Group'] for detail in entry['GroupDetails']] for entry in entries]
    _assert_module_shape([stored.config() for stored in apps], asked)


OTHER_VHOSTS = (st.sampled_from(['pull.example.com', 'push.example.co', 'push.example.com.', 'push.example.com ', ' push.example.com',
                                 'xpush.example.com', 'push.example.com\n', 'push_example.com', '', '*', 'push.ex\u0430mple.com'])
                | text_from('push.exampl', ['push.example.com', 'PUSH.example.com'], max_size=20)
                | in_random_case('pull.example.com'))


@INPUTS
@given(entries=UNIQUE_ENTRIES, asked=ASKED_VHOSTS, other=OTHER_VHOSTS, data=st.data())
def test_an_answer_listing_another_vhost_fails_naming_that_entry(entries, asked, other, data):
    if ascii_folded(other) == ascii_folded(asked):
        return
    index = data.draw(st.integers(min_value=0, max_value=len(entries) - 1))
    for entry in entries:
        entry['Vhost'] = data.draw(in_random_case('push.example.com'))
    entries[index]['Vhost'] = other
    error = _invalid_response({'RelaySourceConfigList': entries}, asked)
    assert error is not None, 'an entry of %r read as one of %r' % (other, asked)
    assert error.path == 'Result.RelaySourceConfigList[%d].Vhost' % index


# About as many names the rules accept as names they refuse.
ANSWER_APPS = st.one_of(st.sampled_from(['', '*', 'live', 'a' * 30, 'A-b_c.d']), st.text('ab_.-09Z', min_size=1, max_size=31),
                        text_from('ab_.-09Z*/ ', ['live', 'a' * 30, '*'], max_size=34))
ANSWER_GROUP_NAMES = st.lists(st.sampled_from(['relay1', 'relay 1', '\u4e3b\u6e90', 'x' * 200])
                              | text_from('ab \u4e3b\u6e90-1', ['relay1', '\u4e3b\u6e90'], max_size=12), min_size=1, max_size=3,
                              unique=True)


def _refused(check, *arguments):
    try:
        check(*arguments)
    except RelaySourceInputError:
        return True
    return False


@ANSWERS
@given(app=ANSWER_APPS, names=ANSWER_GROUP_NAMES, vhost=in_random_case('push.example.com'))
def test_answer_names_are_read_only_when_the_input_rules_accept_them(app, names, vhost):
    details = [{'Group': name, 'Servers': [{'RelaySourceDomain': 'a.example.org', 'RelaySourceProtocol': 'rtmp'}]} for name in names]
    result = {'RelaySourceConfigList': [{'Vhost': vhost, 'App': app, 'GroupDetails': details}]}
    app_refused = app not in VHOST_WIDE_APPS and _refused(validate_app, app)
    refused_names = [index for index, name in enumerate(names) if _refused(validate_group_name, name, 'groups[0].name')]
    error = _invalid_response(result, 'push.example.com')
    if error is None:
        assert not app_refused and not refused_names
        apps = _read(result, 'push.example.com')
        assert [(stored.vhost, stored.app, [group['name'] for group in stored.groups]) for stored in apps] == [
            ('push.example.com', app, names)]
        _assert_module_shape([stored.config() for stored in apps])
    elif app_refused:
        assert error.path == 'Result.RelaySourceConfigList[0].App'
    else:
        assert refused_names and error.path == 'Result.RelaySourceConfigList[0].GroupDetails[%d].Group' % refused_names[0]
    if error is not None:
        assert '\x1b' not in str(error) and '\n' not in str(error)


@INPUTS
@given(result=st.dictionaries(st.text(max_size=24).filter(lambda key: key != 'RelaySourceConfigList')
                              | st.sampled_from(['Total', 'RelaySourceConfigs', 'relaySourceConfigList', 'RelaySourceConfigList ']),
                              ANY_JSON, max_size=3))
def test_a_result_without_the_list_is_nothing_configured_only_when_it_is_empty(result):
    error = _invalid_response(result, 'push.example.com')
    if result:
        assert error is not None and error.path == 'Result', 'a Result with keys and no RelaySourceConfigList read as empty'
    else:
        assert error is None and _read(result, 'push.example.com') == []
