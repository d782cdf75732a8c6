# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.cloud collection: not an API for other collections, roles or plugins. It may change
# incompatibly, or go, in any release of the collection (a patch release included) without notice.
"""Volcengine OpenAPI request signing ("V4", HMAC-SHA256).

Pure functions, no I/O and no logging: they receive the secret key and must never leak it.
The algorithm follows the official SDK (``volcengine/auth/SignerV4.py``); the unit tests compare
this module against that SDK with stored known-answer vectors and recompute them live.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import hashlib
import hmac
from urllib.parse import quote

ALGORITHM = 'HMAC-SHA256'
# Characters left unescaped in the canonical query (RFC 3986 "unreserved"); everything else,
# including space (-> %20, never '+'), '*', '/', '+', '=', '&' and every non-ASCII byte, is escaped.
_UNRESERVED = '-_.~'
# Header names the server re-reads to check the signature; every other header is left unsigned.
_SIGNED_EXACT_NAMES = frozenset(('content-type', 'content-md5', 'host'))
# Headers this module writes; any copy the caller passes (in any letter case) is replaced.
_GENERATED_NAMES = frozenset(('x-date', 'x-content-sha256', 'x-security-token', 'authorization'))


def format_x_date(datetime_utc):
    """Return the ``X-Date`` value ('YYYYMMDDTHHMMSSZ') for a UTC datetime (naive values are taken as UTC)."""
    return datetime_utc.strftime('%Y%m%dT%H%M%SZ')


def sha256_hex(data):
    """Lowercase hex SHA-256 of ``data`` (bytes, or text encoded as UTF-8)."""
    if not isinstance(data, bytes):
        data = data.encode('utf-8')
    return hashlib.sha256(data).hexdigest()


def _hmac(key, text):
    return hmac.new(key, text.encode('utf-8'), hashlib.sha256).digest()


def _to_text(value):
    if isinstance(value, bytes):
        return value.decode('utf-8')
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return value if isinstance(value, str) else str(value)


def canonical_uri(path):
    """The path percent-encoded with '/' kept; an empty path is '/'."""
    if not path:
        return '/'
    return quote(_to_text(path), safe='/' + _UNRESERVED)


def canonical_query(query):
    """Sorted ``key=value`` pairs joined by '&'.

    Keys sort by their unencoded text (as the SDK does); a list value emits one pair per item in the order
    given. Keys and values are UTF-8 percent-encoded leaving only ``A-Za-z0-9-_.~``.
    """
    if not query:
        return ''
    pairs = []
    for key in sorted(query, key=_to_text):
        values = query[key]
        if not isinstance(values, (list, tuple)):
            values = [values]
        encoded_key = quote(_to_text(key), safe=_UNRESERVED)
        for value in values:
            pairs.append(encoded_key + '=' + quote(_to_text('' if value is None else value), safe=_UNRESERVED))
    return '&'.join(pairs)


def _host_without_default_port(value):
    """Drop ':80' / ':443' from a Host value ('[::1]:443' -> '[::1]'); keep any other port."""
    if value.startswith('['):
        closing = value.find(']')
        if closing != -1 and value[closing + 1:] in (':80', ':443'):
            return value[:closing + 1]
        return value
    if value.count(':') == 1:
        host, port = value.split(':')
        if port in ('80', '443'):
            return host
    return value


def signing_key(secret_key, short_date, region, service):
    """kSigning = HMAC(HMAC(HMAC(HMAC(secret, date), region), service), 'request'); no key prefix."""
    key_date = _hmac(_to_text(secret_key).encode('utf-8'), short_date)
    key_region = _hmac(key_date, region)
    key_service = _hmac(key_region, service)
    return _hmac(key_service, 'request')


def sign_request(method, path, query, headers, body, access_key, secret_key, region, service,
                 x_date, session_token=None):
    """Return a NEW dict: ``headers`` plus X-Date, X-Content-Sha256, X-Security-Token (when a token is
    given) and Authorization.

    ``query`` is a dict (values str or list of str), ``body`` is the exact bytes that will be sent
    (text is encoded as UTF-8; None means no body), ``x_date`` is 'YYYYMMDDTHHMMSSZ'. Signed headers are
    Content-Type, Content-Md5, Host and every X-* header (names matched without regard to case), with values
    exactly as given, so the caller must send the returned header values unchanged.
    """
    if body is None:
        body = b''
    body_hash = sha256_hex(body)

    signed = {}
    for name, value in (headers or {}).items():
        if name.lower() not in _GENERATED_NAMES:
            signed[name] = _to_text(value)
    signed['X-Date'] = x_date
    signed['X-Content-Sha256'] = body_hash
    if session_token:
        signed['X-Security-Token'] = _to_text(session_token)

    canonical_values = {}
    for name, value in signed.items():
        lowered = name.lower()
        if lowered in _SIGNED_EXACT_NAMES or lowered.startswith('x-'):
            if lowered == 'host':
                value = _host_without_default_port(value)
            canonical_values[lowered] = value
    signed_names = sorted(canonical_values)
    signed_header_list = ';'.join(signed_names)
    canonical_headers = ''.join(name + ':' + canonical_values[name] + '\n' for name in signed_names)

    canonical_request = '\n'.join([
        method.upper(),
        canonical_uri(path),
        canonical_query(query),
        canonical_headers,
        signed_header_list,
        body_hash,
    ])
    short_date = x_date[:8]
    credential_scope = '/'.join([short_date, region, service, 'request'])
    string_to_sign = '\n'.join([ALGORITHM, x_date, credential_scope, sha256_hex(canonical_request)])
    signature = hmac.new(signing_key(secret_key, short_date, region, service),
                         string_to_sign.encode('utf-8'), hashlib.sha256).hexdigest()

    signed['Authorization'] = '%s Credential=%s/%s, SignedHeaders=%s, Signature=%s' % (
        ALGORITHM, access_key, credential_scope, signed_header_list, signature)
    return signed
