# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Units for relay_source_input.py: the option rules every value passes before any request (whole-string, ASCII
patterns; group names and parameters without control or invisible characters), and messages that never show a
parameter value nor any value that is not text."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source import normalize_server
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_input import (
    RelaySourceInputError, groups_argument_spec, validate_app, validate_domain, validate_filters, validate_group_name, validate_groups,
    validate_options, validate_params, validate_vhost)

VHOST, APP = 'push.example.com', 'live'


def group(name, *domains, **kwargs):
    protocol = kwargs.get('protocol', 'rtmp')
    return {'name': name, 'servers': [{'domain': domain, 'protocol': protocol, 'params': kwargs.get('params', {})}
                                      for domain in (domains or ('%s.example.org' % name,))]}


# ---------------------------------------------------------------------------------------------------------
# Input validation
# ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('domain', [
    'origin.example.org', 'origin.example.org:1935', '203.0.113.10', '203.0.113.10:8080', '[::1]:1935', '::1',
    '[2001:db8::1]', '2001:db8::1', 'localhost', 'origin_1.example.org', ' origin.example.org ', 'a:65535', 'a:1',
])
def test_valid_domains(domain):
    validate_domain(domain, 'd')


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
    with pytest.raises(RelaySourceInputError) as caught:
        validate_domain(domain, 'groups[1].servers[0].domain')
    assert caught.value.path == 'groups[1].servers[0].domain'
    assert str(caught.value).startswith('groups[1].servers[0].domain: ')
    assert fragment in str(caught.value)


@pytest.mark.parametrize('vhost', ['', '  ', None, 'https://push.example.com', 'push.example.com/live', 'push example.com'])
def test_invalid_vhost(vhost):
    with pytest.raises(RelaySourceInputError) as caught:
        validate_options(vhost, APP, [], 'present')
    assert caught.value.path == 'vhost'


@pytest.mark.parametrize('app', ['', 'a' * 31, 'live/x', 'live app', 'live*', None])
def test_invalid_app(app):
    with pytest.raises(RelaySourceInputError) as caught:
        validate_options(VHOST, app, [], 'present')
    assert caught.value.path == 'app'


@pytest.mark.parametrize('app', ['live', 'a' * 30, 'events.2026', 'A-b_c.d'])
def test_valid_app(app):
    validate_options(VHOST, app, [group('g')], 'present')


def _groups_error(groups, state='present'):
    with pytest.raises(RelaySourceInputError) as caught:
        validate_options(VHOST, APP, groups, state)
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
    validate_options(VHOST, APP, [{'name': 'b', 'servers': None}, {'name': 'c', 'servers': [{'domain': 'bad://x'}]}], 'absent')


def test_too_many_servers():
    error = _groups_error([group('a', *['o%d.example.org' % index for index in range(11)])])
    assert error.path == 'groups[0].servers' and '10' in str(error)
    validate_options(VHOST, APP, [group('a', *['o%d.example.org' % index for index in range(10)])], 'present')


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
    validate_options(VHOST, APP, [group('a', protocol='FLV')], 'present')
    assert _groups_error([group('a', protocol='hls')]).path == 'groups[0].servers[0].protocol'


@pytest.mark.parametrize('protocol', ['RTMP', 'Rtmp', 'rtmp', 'FLV', 'fLv', ' RTMP ', None])
def test_protocol_in_any_case_is_accepted_and_sent_in_lower_case(protocol):
    validate_options(VHOST, APP, [group('a', protocol=protocol)], 'present')
    assert normalize_server({'domain': 'a.example.org', 'protocol': protocol})['protocol'] in ('rtmp', 'flv')


@pytest.mark.parametrize('protocol, shown', [
    ('hls', "'hls'"), ('HLS', "'HLS'"), ('rtmps', "'rtmps'"), ('rtmp://', "'rtmp://'"), ('', None),
    ('\u0280tmp', "'\u0280tmp'"),  # a look-alike letter is not lower-cased into a protocol
    (1, 'a number'), (True, 'a boolean'), (['rtmp'], 'a list'),
])
def test_another_protocol_fails_naming_its_path(protocol, shown):
    groups = [group('a'), group('b', 'ok.example.org', 'also.example.org', protocol='rtmp')]
    groups[1]['servers'][1]['protocol'] = protocol
    if shown is None:  # empty means the default, rtmp, as Ansible's default does
        validate_options(VHOST, APP, groups, 'present')
        return
    error = _groups_error(groups)
    assert error.path == 'groups[1].servers[1].protocol'
    assert str(error) == 'groups[1].servers[1].protocol: must be one of rtmp, flv (in any case), got %s' % shown


def test_a_bad_protocol_fails_with_state_absent_too_as_the_argument_spec_once_did():
    error = _groups_error([{'name': 'a', 'servers': [{'domain': 'a.example.org', 'protocol': 'hls'}]}], state='absent')
    assert error.path == 'groups[0].servers[0].protocol'
    validate_options(VHOST, APP, [{'name': 'a', 'servers': [{'domain': 'a.example.org', 'protocol': 'FLV'}]}], 'absent')


def test_the_argument_spec_leaves_the_protocol_check_to_validate_groups():
    server_options = groups_argument_spec()['options']['servers']['options']
    assert server_options['protocol'] == {'type': 'str', 'default': 'rtmp', 'aliases': ['relay_source_protocol']}


# ---------------------------------------------------------------------------------------------------------
# Values that are not text are never shown (a credential that YAML read as a number, say)
# ---------------------------------------------------------------------------------------------------------

# (value, what the message calls it when the product says so, texts of the value that must not appear)
NOT_TEXT = [
    (98765432, 'a number', ['98765432']),
    (-98765432, 'a number', ['98765432']),
    (98765.4321, 'a number', ['98765', '4321']),
    (True, 'a boolean', ['True']),
    (False, 'a boolean', ['False']),
    (['s3cr3t-item', 98765432], None, ['s3cr3t', '98765432']),
    ({'s3cr3t-key': 's3cr3t-value', 'n': 98765432}, None, ['s3cr3t', '98765432']),
]
NOT_TEXT_IDS = ['int', 'negative int', 'float', 'true', 'false', 'list', 'dict']


def _assert_not_shown(error, kind, hidden):
    message = str(error)
    assert 'must be a string, got ' in message, message
    if kind is not None:
        assert 'must be a string, got %s' % kind in message, message
    for text in hidden:
        assert text not in message, message
    assert message.isprintable()


@pytest.mark.parametrize('value, kind, hidden', NOT_TEXT, ids=NOT_TEXT_IDS)
def test_a_param_value_that_is_not_text_is_never_shown(value, kind, hidden):
    with pytest.raises(RelaySourceInputError) as caught:
        validate_params({'token': value}, 'groups[0].servers[0].params')
    assert caught.value.path == 'groups[0].servers[0].params.token'
    assert 'quote it' in str(caught.value) and 'not shown' in str(caught.value)
    _assert_not_shown(caught.value, kind, hidden)
    error = _groups_error([group('a'), group('b', params={'domain': 'live.push.net', 'token': value})])
    assert error.path == 'groups[1].servers[0].params.token'
    _assert_not_shown(error, kind, hidden)


def test_the_issue_case_says_a_number_and_never_the_number():
    error = _groups_error([group('a', params={'token': 98765432})])
    assert error.path == 'groups[0].servers[0].params.token'
    assert 'got a number' in str(error) and '98765432' not in str(error) and 'got int' not in str(error)


@pytest.mark.parametrize('value, kind, hidden', NOT_TEXT, ids=NOT_TEXT_IDS)
@pytest.mark.parametrize('check, path', [
    (validate_app, 'app'),
    (validate_vhost, 'vhost'),
    (lambda value: validate_group_name(value, 'groups[0].name'), 'groups[0].name'),
    (lambda value: validate_options(VHOST, value, [], 'present'), 'app'),
    (lambda value: validate_options(value, APP, [], 'present'), 'vhost'),
    (lambda value: validate_groups([group('a'), {'name': value, 'servers': group('x')['servers']}], 'present'), 'groups[1].name'),
    (lambda value: validate_groups([{'name': value}], 'absent'), 'groups[0].name'),
    (lambda value: validate_filters(VHOST, value), 'app'),
    (lambda value: validate_filters(VHOST, APP, value), 'group'),
    (lambda value: validate_domain(value, 'groups[0].servers[0].domain'), 'groups[0].servers[0].domain'),
], ids=['app', 'vhost', 'group name', 'options app', 'options vhost', 'groups present', 'groups absent', 'filter app',
        'filter group', 'domain'])
def test_a_name_that_is_not_text_is_never_shown(check, path, value, kind, hidden):
    with pytest.raises(RelaySourceInputError) as caught:
        check(value)
    assert caught.value.path == path
    _assert_not_shown(caught.value, kind, hidden)


def test_validate_app_of_a_number_says_so():
    with pytest.raises(RelaySourceInputError) as caught:
        validate_app(7)
    assert str(caught.value) == 'app: must be a string, got a number'


# ---------------------------------------------------------------------------------------------------------
# Whole-string, ASCII input patterns
# ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('app', ['live\n', 'live\r', '\nlive', 'live\x00', '\uff4c\uff49\uff56\uff45', 'liv\u00e9', 'live\u200b', 7])
def test_app_is_whole_string_ascii(app):
    with pytest.raises(RelaySourceInputError) as caught:
        validate_app(app)
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
    with pytest.raises(RelaySourceInputError) as caught:
        validate_vhost(vhost)
    assert caught.value.path == 'vhost' and fragment in str(caught.value) and str(caught.value).isprintable()


@pytest.mark.parametrize('vhost', ['push.example.com', 'a' * 60, 'push_1-x.example.com', 'P'])
def test_valid_vhosts(vhost):
    validate_vhost(vhost)


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
    with pytest.raises(RelaySourceInputError) as caught:
        validate_domain(domain, 'groups[0].servers[1].domain')
    message = str(caught.value)
    assert caught.value.path == 'groups[0].servers[1].domain' and fragment in message, message
    assert message.isprintable()


def test_domain_surrounding_newline_is_stripped_like_what_is_sent():
    validate_domain('a.example.org:1935\n', 'd')
    assert normalize_server({'domain': 'a.example.org:1935\n'})['domain'] == 'a.example.org:1935'


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
    validate_options(VHOST, APP, [group(name, 'x.example.org')], 'present')


def test_param_keys_and_values_refuse_control_characters_and_never_show_the_value():
    error = _groups_error([group('a', params={'to\nken': 'x'})])
    assert error.path == 'groups[0].servers[0].params' and "'to\\nken'" in str(error)
    error = _groups_error([group('a', params={'token': 's3cr3t-origin-password\r\nX-Injected: 1'})])
    assert error.path == 'groups[0].servers[0].params.token' and 'U+000D' in str(error)
    assert 's3cr3t' not in str(error) and 'Injected' not in str(error)
    validate_options(VHOST, APP, [group('a', params={'domain': 'live.push.net', '\u540d': '\u503c'})], 'present')


def test_info_filters_are_validated():
    validate_filters(VHOST, APP, 'relay1')
    validate_filters(VHOST)
    for app, name, path in [('live\n', None, 'app'), (APP, 'relay1\n', 'group'), (APP, '', 'group')]:
        with pytest.raises(RelaySourceInputError) as caught:
            validate_filters(VHOST, app, name)
        assert caught.value.path == path
