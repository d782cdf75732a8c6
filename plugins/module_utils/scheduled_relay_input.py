# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.cloud collection: not an API for other collections, roles or plugins. It may change
# incompatibly, or go, in any release of the collection (a patch release included) without notice.
"""The input rules of the fixed-trigger relay module: every option value is checked here before any request, and a
bad one raises relay_source_input.RelaySourceInputError naming its path relative to the entry (``origins[1]``).

* ``domain``: a domain name (ASCII letters, digits, ``-``, ``_``, dots between labels; at most 253 characters), without
  a scheme, port, path or whitespace. The API documentation disagrees whether it is the pull (play) or the push
  domain: the module takes it as given.
* ``app``: 1 to 30 ASCII letters, digits, ``_``, ``-``, ``.`` (the rule of the play-triggered modules);
  ``stream``: 1 to 100 of the same (the API's rule).
* ``origins``: 1 to 10 full URLs of a scheme the API pulls (``rtmp``, ``http``/``https`` for FLV or HLS, ``srt``;
  in any case), with a host (``host``, ``host:port``, IPv4, ``[IPv6]:port``) and anything after it that is
  printable ASCII without whitespace.
* ``start``/``end``: ISO 8601 with a UTC offset (``2026-12-20T18:00:00+08:00``, ``...Z``; seconds optional, a fraction
  only if zero) or Unix seconds (a whole number, or a string of digits). A time without an offset is refused: it
  could mean any zone. Both or neither (neither: permanent); ``end`` after ``start``, at most 7 days later, and not
  already past: a window that has ended would pull nothing (remove the entry, or delete the stream).
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import re

from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_input import (
    HOSTNAME_PATTERN,
    RelaySourceInputError,
    validate_app,
    validate_domain as validate_host_and_port,
)
from ansible_collections.volcengine.cloud.plugins.module_utils.scheduled_relay import MAX_WINDOW_SECONDS, Stream, iso_utc

STREAM_PATTERN = re.compile(r'[A-Za-z0-9_.-]{1,100}', re.ASCII)
MAX_ORIGINS = 10
ORIGIN_SCHEMES = ('rtmp', 'http', 'https', 'srt')
MAX_DOMAIN_LENGTH = 253
# The last second of the year 9999, the largest time ISO 8601 as the module writes it can show.
LATEST_TIME = 253402300799

_SCHEME = re.compile(r'([A-Za-z][A-Za-z0-9+.-]*)://', re.ASCII)
_DIGITS = re.compile(r'[0-9]+', re.ASCII)
_VISIBLE_ASCII = re.compile(r'[!-~]+', re.ASCII)  # printable ASCII but the space
# Date, time (seconds and a fraction optional), then Z, +hh:mm, +hhmm or +hh, or nothing (refused, with its own
# message). The separator may be a space: str() of a YAML timestamp reads "2026-12-20 18:00:00+08:00".
_ISO_TIME = re.compile(r'([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]+))?)?'
                       r'(?:([Zz])|([+-])([0-9]{2})(?::?([0-9]{2}))?)?', re.ASCII)
_TIME_RULE = ('ISO 8601 with a UTC offset (for example 2026-12-20T18:00:00+08:00 or 2026-12-20T10:00:00Z) or Unix '
              'seconds (a whole number)')


def config_argument_spec():
    """The argument spec of the ``config`` option of volc_live_scheduled_relay_sources. ``start`` and ``end`` are
    ``raw``: Unix seconds arrive as a number, ISO 8601 as a string, and parse_time reads both."""
    return dict(type='list', elements='dict', options=dict(
        domain=dict(type='str', required=True),
        app=dict(type='str', required=True),
        stream=dict(type='str', required=True),
        origins=dict(type='list', elements='str'),
        start=dict(type='raw'),
        end=dict(type='raw'),
    ))


def _kind(value):
    """What a message says a value of the wrong type is."""
    return {bool: 'a boolean', float: 'a number with a fraction', dict: 'a mapping', list: 'a list'}.get(
        type(value), 'a %s' % type(value).__name__)


def parse_time(value, path):
    """Unix seconds (an int) from ISO 8601 with a UTC offset, or from Unix seconds (an int or a string of digits)."""
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        seconds = int(value.strip())
    elif isinstance(value, str):
        seconds = _parse_iso(value.strip(), path)
    else:
        raise RelaySourceInputError(path, 'must be %s, got %s' % (_TIME_RULE, _kind(value)))
    if not 1 <= seconds <= LATEST_TIME:
        raise RelaySourceInputError(path, 'is %r, outside the times the API takes (Unix seconds from 1 to %d)' % (
            value, LATEST_TIME))
    return seconds


def _parse_iso(text, path):
    match = _ISO_TIME.fullmatch(text)
    if not match:
        raise RelaySourceInputError(path, 'must be %s, got %r' % (_TIME_RULE, text))
    year, month, day, hour, minute, second, fraction, utc, sign, offset_hours, offset_minutes = match.groups()
    if not utc and not sign:
        raise RelaySourceInputError(path, 'has no UTC offset (%r): a time without one could mean any zone; add one, '
                                    'for example +08:00 for Beijing time or Z for UTC' % text)
    if fraction and fraction.strip('0'):
        raise RelaySourceInputError(path, 'has a fraction of a second (%r); the API takes whole seconds' % text)
    try:
        offset = datetime.timedelta(hours=int(offset_hours or 0), minutes=int(offset_minutes or 0))
        zone = datetime.timezone(-offset if sign == '-' else offset)
        moment = datetime.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=zone)
    except ValueError as error:
        raise RelaySourceInputError(path, 'is not a valid date and time (%s), got %r' % (error, text))
    return int((moment - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)).total_seconds())


def _require_text(value, path, empty_problem):
    if value is not None and not isinstance(value, str):
        raise RelaySourceInputError(path, 'must be a string, got %s' % _kind(value))
    if value is None or not value.strip():
        raise RelaySourceInputError(path, empty_problem)
    return value


def validate_domain_name(domain, path='domain'):
    """A bare domain name: no scheme, port, path or whitespace."""
    _require_text(domain, path, 'must not be empty; give the domain of the stream, e.g. pull.example.com')
    if '://' in domain:
        raise RelaySourceInputError(path, 'must be a bare domain name without a scheme, e.g. pull.example.com, not %r' % domain)
    if '/' in domain or ':' in domain or re.search(r'\s', domain):
        raise RelaySourceInputError(path, 'must be a bare domain name without a port, path or whitespace, got %r' % domain)
    if len(domain) > MAX_DOMAIN_LENGTH or not HOSTNAME_PATTERN.fullmatch(domain):
        raise RelaySourceInputError(path, 'must be a domain name (ASCII letters, digits, "-" and "_", dots between '
                                    'labels, at most %d characters; an internationalised name in its xn-- form), got %r'
                                    % (MAX_DOMAIN_LENGTH, domain))


def validate_stream(stream, path='stream'):
    if stream is not None and not isinstance(stream, str):
        raise RelaySourceInputError(path, 'must be a string, got %s' % _kind(stream))
    if stream is None or not STREAM_PATTERN.fullmatch(stream):
        raise RelaySourceInputError(path, 'must be 1 to 100 characters of ASCII letters, digits, "_", "-" and ".", '
                                    'got %r' % (stream,))


def validate_origin(url, path):
    """A full URL of a scheme the API pulls, with a valid host and port."""
    _require_text(url, path, 'must not be empty; give a full URL such as rtmp://origin.example.com/live/stream')
    if not _VISIBLE_ASCII.fullmatch(url):
        raise RelaySourceInputError(path, 'must be printable ASCII without whitespace (percent-encode other characters '
                                    'and write an internationalised domain name in its xn-- form), got %r' % url)
    scheme = _SCHEME.match(url)
    if not scheme:
        raise RelaySourceInputError(path, 'must be a full URL with its scheme (%s), e.g. rtmp://origin.example.com/live/'
                                    'stream, got %r' % (', '.join(name + '://' for name in ORIGIN_SCHEMES), url))
    if scheme.group(1).lower() not in ORIGIN_SCHEMES:
        raise RelaySourceInputError(path, 'has the scheme %r; the API pulls over %s (http and https for FLV or HLS)'
                                    % (scheme.group(1), ', '.join(ORIGIN_SCHEMES)))
    rest = url[scheme.end():]
    authority = re.split(r'[/?#]', rest, 1)[0].rpartition('@')[2]
    if not authority:
        raise RelaySourceInputError(path, 'has no host after %r, got %r' % (scheme.group(0), url))
    if authority.count(':') > 1 and not authority.startswith('['):
        raise RelaySourceInputError(path, 'has an IPv6 host without brackets; write it as %s[2001:db8::1]:1935/...'
                                    % scheme.group(0))
    validate_host_and_port(authority, path)


def validate_origins(origins, path='origins'):
    if not isinstance(origins, list) or not origins:
        raise RelaySourceInputError(path, 'must list 1 to %d origin URLs, tried in order' % MAX_ORIGINS)
    if len(origins) > MAX_ORIGINS:
        raise RelaySourceInputError(path, 'lists %d origins; the API takes at most %d' % (len(origins), MAX_ORIGINS))
    for index, url in enumerate(origins):
        validate_origin(url, '%s[%d]' % (path, index))


def declared_window(entry, now):
    """(start, end) in Unix seconds from an entry's ``start`` and ``end``, (None, None) when it gives neither.
    Refuses one without the other, an end not after the start, a window longer than 7 days, and an end already
    past at ``now`` (a window that has ended pulls nothing)."""
    given = dict((name, entry.get(name)) for name in ('start', 'end') if entry.get(name) not in (None, ''))
    if not given:
        return None, None
    if len(given) == 1:
        missing = 'end' if 'start' in given else 'start'
        raise RelaySourceInputError(missing, 'is required with %s: give both start and end for a window, or neither '
                                    'for a permanent relay' % list(given)[0])
    start, end = parse_time(given['start'], 'start'), parse_time(given['end'], 'end')
    if end <= start:
        raise RelaySourceInputError('end', 'is %s, not after start (%s)' % (iso_utc(end), iso_utc(start)))
    if end - start > MAX_WINDOW_SECONDS:
        raise RelaySourceInputError('end', 'is %s after start; a window lasts at most 7 days (the API\'s limit)'
                                    % _duration(end - start))
    if end <= now:
        raise RelaySourceInputError('end', 'is %s, already past: a window that has ended pulls nothing. Remove the '
                                    'entry, give a window to come, or delete the stream with state=deleted' % iso_utc(end))
    return start, end


def _duration(seconds):
    days, rest = divmod(seconds, 24 * 3600)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [(days, 'd'), (hours, 'h'), (minutes, 'min'), (seconds, 's')]
    return ' '.join('%d %s' % (amount, unit) for amount, unit in parts if amount)


def validate_identity(entry):
    """The fields that name a stream: ``domain``, ``app`` and ``stream``."""
    validate_domain_name(entry.get('domain'))
    validate_app(entry.get('app'))
    validate_stream(entry.get('stream'))


def validate_entry(entry, state, now):
    """One ``config`` entry, paths relative to it. With state=deleted only the stream's name is used (its origins and
    window are ignored); every other state needs ``origins`` and checks the window."""
    validate_identity(entry)
    if state == 'deleted':
        return
    if entry.get('origins') is None:
        raise RelaySourceInputError('origins', 'is required with state=%s: list the 1 to %d origin URLs to pull from, '
                                    'in the order to try them' % (state, MAX_ORIGINS))
    validate_origins(entry['origins'])
    declared_window(entry, now)


def declared_stream(entry, now):
    """The Stream an entry (validated) declares; permanent when it gives no window (``merged`` keeps an existing
    stream's window then: scheduled_relay_streams decides that, not the entry)."""
    start, end = declared_window(entry, now)
    return Stream(entry['domain'], entry['app'], entry['stream'], entry['origins'], start, end)
