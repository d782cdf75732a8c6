# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.cloud collection: not an API for other collections, roles or plugins. It may change
# incompatibly, or go, in any release of the collection (a patch release included) without notice.
"""The input rules of the relay-source modules: every option value is checked here before any request.

Inputs are checked with whole-string, ASCII patterns (``fullmatch``): vhost 1-60 and app 1-30 characters of
``[A-Za-z0-9_.-]``; domains printable ASCII with ports of ASCII digits in 1..65535.  Group names may be any
text (Chinese included) without control characters, invisible format characters (zero-width, bidirectional
overrides), lone surrogates, line separators or surrounding whitespace; parameter keys and values refuse the
same characters.  A message never shows a parameter value, nor any value that is not text (it may be a
credential that YAML read as a number).  The answer checks (relay_source_api.py) apply the same rules to the
names an answer holds.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress
import re
import unicodedata

from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source import DEFAULT_PROTOCOL, PROTOCOLS

MAX_SERVERS = 10
# Whole-string patterns (used with fullmatch), ASCII only: "$" would accept a trailing newline, \d Unicode digits.
VHOST_PATTERN = re.compile(r'[A-Za-z0-9_.-]{1,60}', re.ASCII)
APP_PATTERN = re.compile(r'[A-Za-z0-9_.-]{1,30}', re.ASCII)
_HOST_LABEL = r'[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?'
HOSTNAME_PATTERN = re.compile(r'%s(?:\.%s)*' % (_HOST_LABEL, _HOST_LABEL), re.ASCII)
PORT_PATTERN = re.compile(r'[0-9]{1,5}', re.ASCII)
_BRACKETED_IPV6 = re.compile(r'\[([^\[\]]+)\](?::([^:]*))?', re.ASCII)
_WHITESPACE = re.compile(r'\s')
# Unicode categories refused in group names and parameters: control characters (C0, DEL, C1), invisible format
# characters (zero-width spaces, bidirectional overrides that make text display differently from what it is),
# lone surrogates (which cannot even be encoded in a request) and the line and paragraph separators.
_FORBIDDEN_CATEGORIES = frozenset(('Cc', 'Cf', 'Cs', 'Zl', 'Zp'))


def groups_argument_spec():
    """The argument spec of one app's ``groups`` option, as both relay-source modules take it (in
    volc_live_relay_sources, inside each ``config`` entry).

    ``protocol`` has no ``choices``: Ansible's check of them would refuse ``RTMP`` in a message without the
    option's path; validate_groups accepts any case (the value is lower-cased before it is sent) and refuses
    anything else naming ``groups[i].servers[j].protocol``."""
    return dict(type='list', elements='dict', options=dict(
        name=dict(type='str', required=True, aliases=['group']),
        servers=dict(type='list', elements='dict', options=dict(
            domain=dict(type='str', required=True, aliases=['relay_source_domain']),
            protocol=dict(type='str', default=DEFAULT_PROTOCOL, aliases=['relay_source_protocol']),
            params=dict(type='dict', aliases=['relay_source_params']),
        )),
    ))


class RelaySourceInputError(ValueError):
    """An option value the API would refuse (or misread); ``path`` names it, e.g. ``groups[1].servers[0].domain``.

    Messages show a value with ``%r``, which escapes control and invisible characters, and never show a
    parameter value (it may be a credential)."""

    def __init__(self, path, problem):
        self.path = path
        self.problem = problem
        super(RelaySourceInputError, self).__init__('%s: %s' % (path, problem) if path else problem)


def _forbidden_character(text):
    """(position, character) of the first character of ``text`` in a forbidden category, or None."""
    for position, character in enumerate(text):
        if unicodedata.category(character) in _FORBIDDEN_CATEGORIES:
            return position, character
    return None


def _non_printable_ascii(text):
    """(position, character) of the first character of ``text`` outside printable ASCII, or None."""
    if text.isascii() and text.isprintable():  # the common case, without a Python loop over every character
        return None
    for position, character in enumerate(text):
        if not ' ' <= character <= '~':
            return position, character
    return None


def _character_problem(found):
    position, character = found
    return 'U+%04X at position %d' % (ord(character), position)


def _type_name(value):
    """What a message says a value of the wrong type is: its type only, never the value."""
    return {bool: 'a boolean', int: 'a number', float: 'a number', dict: 'a mapping', list: 'a list', type(None): 'null'}.get(
        type(value), 'a %s' % type(value).__name__)


def _require_text(value, path, empty_problem):
    if not isinstance(value, str) or not value.strip():
        raise RelaySourceInputError(path, empty_problem if value is None or isinstance(value, str)
                                    else 'must be a string, got %s' % _type_name(value))
    return value


def validate_vhost(vhost, path='vhost'):
    """The SDK's rule: 1 to 60 ASCII letters, digits, "_", "-" and "."."""
    _require_text(vhost, path, 'must not be empty; give the push domain space, e.g. push.example.com')
    if '://' in vhost:
        raise RelaySourceInputError(path, 'must be a bare domain space name without a scheme, e.g. push.example.com, not %r' % vhost)
    if '/' in vhost or _WHITESPACE.search(vhost):
        raise RelaySourceInputError(path, 'must be a bare domain space name without a path or whitespace, got %r' % vhost)
    if not VHOST_PATTERN.fullmatch(vhost):
        raise RelaySourceInputError(
            path, 'must be 1 to 60 characters of ASCII letters, digits, "_", "-" and ".", got %r' % vhost)


def validate_app(app, path='app'):
    if app is not None and not isinstance(app, str):
        raise RelaySourceInputError(path, 'must be a string, got %s' % _type_name(app))
    if app is None or not APP_PATTERN.fullmatch(app):
        raise RelaySourceInputError(
            path, 'must be 1 to 30 characters of ASCII letters, digits, "_", "-" and ".", got %r' % (app,))


def validate_group_name(name, path):
    """Any text without control or invisible formatting characters and without surrounding whitespace."""
    _require_text(name, path, 'must not be empty')
    if name != name.strip():
        raise RelaySourceInputError(path, 'must not start or end with whitespace, got %r' % name)
    found = _forbidden_character(name)
    if found:
        raise RelaySourceInputError(path, 'must not contain control or invisible formatting characters (%s), got %r'
                                    % (_character_problem(found), name))


def validate_domain(domain, path):
    """Check a RelaySourceDomain: ``host``, ``host:port``, an IPv4 address, ``[IPv6]``, ``[IPv6]:port`` or a bare IPv6.

    Surrounding whitespace is ignored (and stripped before sending); the rest must be printable ASCII."""
    domain = _require_text(domain, path, 'must not be empty; give the origin as host or host:port').strip()
    if _WHITESPACE.search(domain):
        raise RelaySourceInputError(path, 'must not contain whitespace, got %r' % domain)
    found = _non_printable_ascii(domain)
    if found:
        raise RelaySourceInputError(path, 'must be printable ASCII (%s; write an internationalised domain name in '
                                    'its xn-- form), got %r' % (_character_problem(found), domain))
    if '://' in domain:
        raise RelaySourceInputError(path, 'must not include a scheme (%r); give host or host:port, e.g. %s'
                                    % (domain.split('://', 1)[0] + '://', domain.split('://', 1)[1].split('/', 1)[0] or 'origin.example.org'))
    if '/' in domain or '?' in domain or '#' in domain:
        raise RelaySourceInputError(path, 'must not include a path or query (%r); give host or host:port only' % domain)

    bracketed = _BRACKETED_IPV6.fullmatch(domain)
    if bracketed:
        host, port = bracketed.group(1), bracketed.group(2)
        _check_ipv6(host, path, domain)
    elif domain.count(':') >= 2:
        host, port = domain, None
        _check_ipv6(host, path, domain)
    else:
        host, separator, port = domain.partition(':')
        if not separator:
            port = None
        if not host:
            raise RelaySourceInputError(path, 'has no host before the port, got %r' % domain)
        if len(host) > 253 or not HOSTNAME_PATTERN.fullmatch(host):
            raise RelaySourceInputError(
                path, 'has an invalid host %r: use letters, digits, "-", "_" and dots between labels (or an IP address)' % host)
    if port is not None:
        if not PORT_PATTERN.fullmatch(port) or not 1 <= int(port) <= 65535:
            raise RelaySourceInputError(path, 'has an invalid port %r: it must be a number from 1 to 65535' % port)


def _check_ipv6(host, path, domain):
    # ipaddress accepts a zone index ("fe80::1%eth0", any characters after the "%") from Python 3.9 on.
    if '%' not in host:
        try:
            ipaddress.IPv6Address(host)
            return
        except ValueError:
            pass
    raise RelaySourceInputError(
        path, 'is not a valid IPv6 address or host:port, got %r (write an IPv6 origin as [2001:db8::1]:1935 or 2001:db8::1)' % domain)


def validate_params(params, path):
    """Keys: non-empty strings; values: strings; neither with control or invisible formatting characters."""
    if params is None:
        return
    for key, value in params.items():
        if not isinstance(key, str):
            raise RelaySourceInputError(path, 'has a key that is %s; keys must be non-empty strings' % _type_name(key))
        if not key.strip():
            raise RelaySourceInputError(path, 'has an empty key %r; keys must be non-empty strings' % key)
        found = _forbidden_character(key)
        if found:
            raise RelaySourceInputError(path, 'has a key with a control or invisible formatting character (%s): %r'
                                        % (_character_problem(found), key))
        # A key that is not printable (e.g. private-use characters) is shown escaped, never raw.
        value_path = '%s.%s' % (path, key) if key.isprintable() else '%s[%r]' % (path, key)
        if not isinstance(value, str):
            raise RelaySourceInputError(
                value_path, 'must be a string, got %s (the value is not shown because parameters often hold '
                'credentials); quote it in YAML (key: "...") because the API stores parameters as strings'
                % _type_name(value))
        found = _forbidden_character(value)
        if found:
            raise RelaySourceInputError(value_path, 'must not contain control or invisible formatting characters (%s); '
                                        'the value is not shown because parameters often hold credentials'
                                        % _character_problem(found))


def validate_protocol(protocol, path):
    """One of PROTOCOLS in any case, surrounding whitespace ignored (normalize_server lower-cases and strips it)."""
    if not isinstance(protocol, str):
        raise RelaySourceInputError(path, 'must be one of %s (in any case), got %s' % (', '.join(PROTOCOLS), _type_name(protocol)))
    if protocol.strip().lower() not in PROTOCOLS:
        raise RelaySourceInputError(path, 'must be one of %s (in any case), got %r' % (', '.join(PROTOCOLS), protocol))


def validate_groups(groups, state):
    """Check the ``groups`` option before any request.  Servers are only checked for state=present, except their
    protocol, which is checked in every state (as the argument spec's choices once did)."""
    if groups is None and state == 'present':
        # required_if only sees a missing key; an explicit null must not read as "purge every group".
        raise RelaySourceInputError('groups', 'is required when state=present; use groups: [] to remove every group')
    seen = {}
    for group_index, group in enumerate(groups or []):
        group_path = 'groups[%d]' % group_index
        name = group.get('name')
        validate_group_name(name, group_path + '.name')
        if name in seen:
            raise RelaySourceInputError(group_path + '.name', 'duplicate group name %r (already used by %s.name); group names must be unique'
                                        % (name, seen[name]))
        seen[name] = group_path
        if state != 'present':
            for server_index, server in enumerate(group.get('servers') or []):
                validate_protocol(server.get('protocol') or DEFAULT_PROTOCOL, '%s.servers[%d].protocol' % (group_path, server_index))
            continue
        servers = group.get('servers')
        if not servers:
            raise RelaySourceInputError(group_path + '.servers', 'must list at least one origin server when state=present')
        if len(servers) > MAX_SERVERS:
            raise RelaySourceInputError(group_path + '.servers', 'lists %d servers; the API accepts at most %d per group'
                                        % (len(servers), MAX_SERVERS))
        for server_index, server in enumerate(servers):
            server_path = '%s.servers[%d]' % (group_path, server_index)
            validate_domain(server.get('domain'), server_path + '.domain')
            validate_protocol(server.get('protocol') or DEFAULT_PROTOCOL, server_path + '.protocol')
            validate_params(server.get('params'), server_path + '.params')


def validate_options(vhost, app, groups, state):
    """Validate every user-supplied value; raise RelaySourceInputError naming the first bad one."""
    validate_vhost(vhost)
    validate_app(app)
    validate_groups(groups, state)


def validate_filters(vhost, app=None, group=None):
    """Validate the info module's options: the vhost, and the app and group filters when given."""
    validate_vhost(vhost)
    if app is not None:
        validate_app(app)
    if group is not None:
        validate_group_name(group, 'group')
