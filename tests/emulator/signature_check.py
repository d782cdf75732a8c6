# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's check of Volcengine's V4 request signature, recomputed with the official ``volcengine`` SDK's
signing code (test-only; the collection's own signer is never used here, so the two check each other)."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import calendar
import collections
import re
import time

try:
    from volcengine.auth.MetaData import MetaData
    from volcengine.auth.SignerV4 import SignerV4
    from volcengine.base.Request import Request as SDKRequest
    from volcengine.util.Util import Util as SDKUtil
    HAS_SDK = True
    SDK_IMPORT_ERROR = None
except Exception as exc:  # pylint: disable=broad-except
    HAS_SDK = False
    SDK_IMPORT_ERROR = exc

try:  # imported as part of the collection's tests
    from .api_model import DEMO_ACCESS_KEY, DEMO_SECRET_KEY, REGION, SERVICE, APIError
except ImportError:  # run from live_emulator.py as a script: this folder is on sys.path
    from api_model import DEMO_ACCESS_KEY, DEMO_SECRET_KEY, REGION, SERVICE, APIError

AUTH_RE = re.compile(r'^HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9A-Fa-f]+)\s*$')
X_DATE_RE = re.compile(r'^\d{8}T\d{6}Z$')
REQUIRED_SIGNED_HEADERS = ('host', 'x-content-sha256', 'x-date')
SDK_SIGNABLE_HEADERS = ('content-type', 'content-md5', 'host')


def _sdk_header_name(name):
    """'x-content-sha256' -> 'X-Content-Sha256': the spelling the SDK's signer selects headers by."""
    return '-'.join(part.capitalize() for part in name.split('-'))


def compute_signature(method, path, query, signed_headers, header_values, body, secret_key, x_date, region, service):
    """Recompute the V4 signature with volcengine.auth.SignerV4 for the headers named in SignedHeaders.

    ``signed_headers`` is the list of lowercase names, ``header_values`` maps those names to the values
    received. The SDK signs headers by name (Content-Type, Content-Md5, Host, X-*); when SignedHeaders names
    something else, the canonical request is assembled from the SDK's own helpers instead.
    """
    meta = MetaData()
    meta.set_algorithm('HMAC-SHA256')
    meta.set_service(service)
    meta.set_region(region)
    meta.set_date(x_date[:8])
    sdk_can_select = all(name in SDK_SIGNABLE_HEADERS or name.startswith('x-') for name in signed_headers)
    if sdk_can_select:
        request = SDKRequest()
        request.method = method
        request.path = path
        request.query = query
        request.body = body
        request.headers = collections.OrderedDict((_sdk_header_name(name), header_values[name]) for name in signed_headers)
        hashed_canonical_request = SignerV4.hashed_canonical_request_v4(request, meta)
    else:
        values = dict((name, header_values[name]) for name in signed_headers)
        if 'host' in values and ':' in values['host']:
            host, port = values['host'].split(':', 1)
            if port in ('80', '443'):
                values['host'] = host
        canonical_headers = ''.join('%s:%s\n' % (name, values[name]) for name in sorted(values))
        meta.set_signed_headers(';'.join(sorted(values)))
        canonical_request = '\n'.join([method, SDKUtil.norm_uri(path or '/'), SDKUtil.norm_query(query), canonical_headers,
                                       meta.signed_headers, SDKUtil.sha256(body)])
        hashed_canonical_request = SDKUtil.sha256(canonical_request)
    scope = '/'.join([meta.date, region, service, 'request'])
    string_to_sign = '\n'.join([meta.algorithm, x_date, scope, hashed_canonical_request])
    signing_key = SignerV4.get_signing_secret_key_v4(secret_key, meta.date, region, service)
    return SignerV4.signature_v4(signing_key, string_to_sign), meta.signed_headers


def parse_x_date(x_date):
    return calendar.timegm(time.strptime(x_date, '%Y%m%dT%H%M%SZ'))


def claimed_access_key(headers):
    """The access key an Authorization header names (before any check), or None."""
    match = AUTH_RE.match((headers.get('authorization') or '').strip())
    return match.group(1).split('/')[0] if match else None


class SignatureChecker(object):
    """The accounts the emulator knows and the check of a request's signature against them.

    ``keys``: a list of {"access_key", "secret_key", "session_token"} (default: the demo key alone).
    """

    def __init__(self, keys=None, clock=time.time):
        self.keys = {}
        for key in keys or [{'access_key': DEMO_ACCESS_KEY, 'secret_key': DEMO_SECRET_KEY, 'session_token': None}]:
            self.keys[key['access_key']] = key
        self.clock = clock

    def authenticate(self, method, path, query, headers, body, max_clock_skew):
        """Return the access key of a correctly signed request; raise APIError otherwise.

        ``headers`` maps lowercase names to values. The signature is recomputed with the SDK from the
        headers named in SignedHeaders, the X-Date received and the secret key on file.
        """
        authorization = headers.get('authorization')
        if not authorization:
            raise APIError(401, 'MissingAuthenticationToken', 'the request carries no Authorization header')
        match = AUTH_RE.match(authorization.strip())
        if not match:
            raise APIError(400, 'InvalidAuthorization',
                           'Authorization must be "HMAC-SHA256 Credential=<ak>/<date>/<region>/<service>/request, '
                           'SignedHeaders=<names>, Signature=<hex>"')
        credential, signed_list, signature = match.groups()
        scope = credential.split('/')
        if len(scope) != 5 or scope[4] != 'request' or not all(scope):
            raise APIError(400, 'InvalidAuthorization', 'the Credential %r is not <ak>/<date>/<region>/<service>/request' % credential)
        access_key = scope[0]
        x_date = headers.get('x-date')
        if not x_date:
            raise APIError(400, 'MissingRequestInfo', 'the request carries no X-Date header')
        if not X_DATE_RE.match(x_date):
            raise APIError(400, 'MissingRequestInfo', 'X-Date %r is not YYYYMMDDTHHMMSSZ' % x_date)
        signed_headers = signed_list.split(';')
        missing = [name for name in REQUIRED_SIGNED_HEADERS if name not in signed_headers]
        if missing:
            raise APIError(400, 'MissingRequestInfo', 'SignedHeaders must include %s' % ', '.join(missing))
        absent = [name for name in signed_headers if name not in headers]
        if absent:
            raise APIError(400, 'MissingRequestInfo', 'signed header(s) %s not present in the request' % ', '.join(absent))
        key = self.keys.get(access_key)
        if key is None:
            raise APIError(401, 'InvalidAccessKey', 'the access key %s does not exist' % access_key)
        try:
            stamp = parse_x_date(x_date)
        except ValueError:
            raise APIError(400, 'MissingRequestInfo', 'X-Date %r is not a valid date' % x_date) from None
        skew = abs(self.clock() - stamp)
        if skew > max_clock_skew:
            raise APIError(403, 'InvalidTimestamp', 'X-Date %s is %d seconds away from the server time (at most %d allowed)'
                           % (x_date, skew, max_clock_skew))
        expected_token = key.get('session_token') or None
        sent_token = headers.get('x-security-token')
        if expected_token is not None or sent_token is not None:
            if sent_token != expected_token:
                raise APIError(401, 'InvalidSecretToken', 'the security token is invalid or does not belong to this access key')
            if 'x-security-token' not in signed_headers:
                raise APIError(401, 'InvalidSecretToken', 'X-Security-Token must be signed')
        if scope[1] != x_date[:8] or scope[2] != REGION or scope[3] != SERVICE:
            raise APIError(401, 'SignatureDoesNotMatch', 'the credential scope %s does not match %s/%s/%s/request'
                           % ('/'.join(scope[1:]), x_date[:8], REGION, SERVICE))
        body_hash = SDKUtil.sha256(body)
        if headers.get('x-content-sha256') != body_hash:
            raise APIError(401, 'SignatureDoesNotMatch', 'X-Content-Sha256 does not match the SHA-256 of the body received')
        expected = compute_signature(method, path, query, signed_headers, headers, body, key['secret_key'], x_date, REGION, SERVICE)[0]
        if expected != signature.lower():
            raise APIError(401, 'SignatureDoesNotMatch', 'the request signature does not match the one computed with the secret key')
        return access_key
