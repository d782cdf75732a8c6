# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP client of the collection: signing, session, TLS, retries and response-envelope parsing.

Every module talks to Volcengine through ``VolcengineClient.call(action, version, body)``, which returns an
``APIResponse`` or raises a ``VolcengineError`` subclass. Nothing here logs, prints or returns request headers,
the signature or the credentials; error texts are scrubbed of them as a second line of defence.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import email.utils
import json
import math
import random
import re
import time
import traceback
import warnings

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover
    from urlparse import urlsplit

try:
    import requests
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - exercised by simulating it in the unit tests
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

from ansible_collections.volcengine.cloud.plugins.module_utils import errors
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import (
    VolcengineAPIError,
    VolcengineTransportError,
)
from ansible_collections.volcengine.cloud.plugins.module_utils.signer import (
    canonical_query,
    format_x_date,
    sign_request,
)

# The collection's version, sent in the User-Agent. Keep it equal to galaxy.yml's `version` (a unit test checks).
COLLECTION_VERSION = '0.1.0'
USER_AGENT = 'volcengine.cloud/%s (ansible-collection)' % COLLECTION_VERSION

DEFAULT_ENDPOINT = 'https://live.volcengineapi.com'
DEFAULT_REGION = 'cn-north-1'
DEFAULT_SERVICE = 'live'
DEFAULT_TIMEOUT = 30
DEFAULT_MAX_RETRIES = 4

# HTTP statuses worth another attempt (throttling and transient server/gateway failures).
RETRYABLE_STATUSES = frozenset((429, 500, 502, 503, 504))
# CommonErr ("unclassified; retry, then contact support") arrives with HTTP 200. It is retried, but fewer
# times than a plain transient error, because a persistent CommonErr is usually not going to clear.
COMMON_ERR_CODE = 'CommonErr'
COMMON_ERR_MAX_RETRIES = 2
# Backoff: attempt n waits a random time in [d/2, d] with d = min(cap, base * 2**(n-1)) ("equal jitter"), so
# forks that were throttled together do not come back together.
DEFAULT_BACKOFF_BASE = 0.5
DEFAULT_BACKOFF_CAP = 20.0
# A server's Retry-After is honoured up to this many seconds, so a bogus value cannot stall a play.
MAX_RETRY_AFTER = 60.0
# At most this much of a non-JSON body goes into an error message.
BODY_SNIPPET_LENGTH = 200

_SIGNATURE_PATTERN = re.compile(r'(Signature=)[0-9A-Fa-f]+')
_DEFAULT_PORTS = {'http': 80, 'https': 443}
_UTC = datetime.timezone.utc


class APIResponse(object):
    """A successful answer: ``result`` (``Result`` as the API sent it, of any JSON type, None when absent: the
    caller checks its shape, see answer_shape.py), ``request_id``, ``attempts``, ``http_status``."""

    def __init__(self, result, request_id, attempts, http_status=200):
        self.result = result
        self.request_id = request_id
        self.attempts = attempts
        self.http_status = http_status

    def __repr__(self):
        return 'APIResponse(request_id=%r, attempts=%r, result=%r)' % (self.request_id, self.attempts, self.result)


def parse_retry_after(value, now=None):
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None when absent/invalid."""
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=_UTC)
        reference = now if now is not None else time.time()
        seconds = (when - datetime.datetime.fromtimestamp(reference, _UTC)).total_seconds()
    if math.isnan(seconds):
        return None
    return min(MAX_RETRY_AFTER, max(0.0, seconds))


def _split_endpoint(endpoint):
    """(base_url, path, host_header) from 'https://host', 'host:port', 'http://127.0.0.1:8080/prefix' ..."""
    endpoint = (endpoint or DEFAULT_ENDPOINT).strip()
    if '://' not in endpoint:
        endpoint = 'https://' + endpoint
    parts = urlsplit(endpoint)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError('endpoint must be an http(s) URL such as %s, got %r' % (DEFAULT_ENDPOINT, endpoint))
    host = parts.netloc.rsplit('@', 1)[-1]  # never send (or sign) userinfo
    if parts.port is not None and parts.port == _DEFAULT_PORTS[scheme]:
        host = host[:host.rfind(':')]
    path = parts.path.rstrip('/') + '/'
    return '%s://%s' % (scheme, host), path, host


class VolcengineClient(object):
    """Signed JSON calls to one Volcengine endpoint, with retries on throttling and transient failures.

    Retrying is safe for writes too: the relay-source API is declarative (Update sends the complete desired
    state and Delete of a group means "make it absent"), so repeating a request whose answer was lost ends in
    the same state as sending it once.
    """

    def __init__(self, access_key, secret_key, session_token=None, region=DEFAULT_REGION,
                 endpoint=DEFAULT_ENDPOINT, service=DEFAULT_SERVICE, timeout=DEFAULT_TIMEOUT, validate_certs=True,
                 ca_bundle=None, max_retries=DEFAULT_MAX_RETRIES, sleep=time.sleep, clock=time.time,
                 rate_limiter=None, backoff_base=DEFAULT_BACKOFF_BASE, backoff_cap=DEFAULT_BACKOFF_CAP,
                 session=None, random_fraction=random.random):
        if not HAS_REQUESTS and session is None:
            raise ImportError('The Python library "requests" is required by volcengine.cloud')
        self.access_key = access_key
        self._secret_key = secret_key
        self._session_token = session_token or None
        self.region = region or DEFAULT_REGION
        self.service = service or DEFAULT_SERVICE
        self.endpoint = endpoint or DEFAULT_ENDPOINT
        self._base_url, self._path, self._host = _split_endpoint(self.endpoint)
        self.timeout = timeout
        self.validate_certs = validate_certs
        self.ca_bundle = ca_bundle
        self.max_retries = max(0, int(max_retries if max_retries is not None else DEFAULT_MAX_RETRIES))
        self.sleep = sleep
        self.clock = clock
        self.rate_limiter = rate_limiter
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.random_fraction = random_fraction
        self.session = session if session is not None else requests.Session()
        # RequestIds of every answer received (failed attempts included), in order: modules return them as
        # `request_ids` so a user can quote them to Volcengine support.
        self.request_ids = []

    def __repr__(self):
        return 'VolcengineClient(endpoint=%r, region=%r, service=%r)' % (self.endpoint, self.region, self.service)

    def close(self):
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # -- public API -------------------------------------------------------------------------------------

    def call(self, action, version, body=None):
        """POST ``body`` (a JSON-serialisable dict) as ``action``/``version``; return an APIResponse.

        Raises VolcengineAPIError when the envelope holds ResponseMetadata.Error (whatever the HTTP status),
        VolcengineTransportError when no usable answer arrived, each after the retries it deserved.
        """
        # Serialised once: these exact bytes are hashed into the signature and sent.
        payload = json.dumps(body if body is not None else {}, separators=(',', ':'),
                             ensure_ascii=False).encode('utf-8')
        query = {'Action': action, 'Version': version}
        url = '%s%s?%s' % (self._base_url, self._path, canonical_query(query))
        attempt = 0
        while True:
            attempt += 1
            if self.rate_limiter is not None:
                self.rate_limiter.acquire()
            outcome = self._attempt(action, url, query, payload)
            if isinstance(outcome, APIResponse):
                outcome.attempts = attempt
                return outcome
            error, retry_limit, retry_after = outcome
            error.attempts = attempt
            if attempt > min(self.max_retries, retry_limit):
                raise error
            self.sleep(self._delay(attempt, retry_after))

    # -- internals --------------------------------------------------------------------------------------

    def _delay(self, attempt, retry_after):
        if retry_after is not None:
            return retry_after
        ceiling = min(self.backoff_cap, self.backoff_base * (2 ** (attempt - 1)))
        return ceiling / 2.0 + ceiling / 2.0 * self.random_fraction()

    def _signed_headers(self, query, payload):
        headers = {
            'Host': self._host,
            'Content-Type': 'application/json',
            'Accept': 'application/json',
            'User-Agent': USER_AGENT,
        }
        # Signed afresh for every attempt: a retry after a long backoff must not carry a stale X-Date.
        x_date = format_x_date(datetime.datetime.fromtimestamp(self.clock(), _UTC))
        return sign_request('POST', self._path, query, headers, payload, self.access_key, self._secret_key,
                            self.region, self.service, x_date, session_token=self._session_token)

    def _scrub(self, text):
        """Remove anything secret from text that may end up in an error message."""
        text = '' if text is None else str(text)
        for secret in (self._secret_key, self._session_token):
            if secret and len(str(secret)) >= 4:
                text = text.replace(str(secret), '***')
        return _SIGNATURE_PATTERN.sub(r'\1***', text)

    def _transport_error(self, action, code, message, http_status=None, request_id=None):
        return VolcengineTransportError(self._scrub(message), action=action, code=code, http_status=http_status,
                                        request_id=request_id)

    def _attempt(self, action, url, query, payload):
        """One HTTP exchange: an APIResponse, or (error, retries this error deserves, Retry-After or None)."""
        if self.validate_certs:
            verify = self.ca_bundle or True
        else:
            verify = False
        headers = self._signed_headers(query, payload)
        try:
            with warnings.catch_warnings():
                if not verify:
                    # The user chose validate_certs=false; urllib3 would warn on stderr for every request.
                    warnings.simplefilter('ignore')
                response = self.session.post(url, data=payload, headers=headers, timeout=self.timeout,
                                             verify=verify)
        except requests.exceptions.SSLError as exc:
            return (self._transport_error(
                action, errors.TLS_VERIFICATION_FAILED,
                'TLS handshake or certificate verification with %s failed (%s)' % (self._host, _reason(exc))),
                0, None)
        except requests.exceptions.Timeout as exc:
            # A read timeout on a write may mean the write happened; retrying is still safe (see class doc).
            return (self._transport_error(
                action, errors.TIMEOUT,
                'no answer from %s within %s seconds (%s)' % (self._host, self.timeout, type(exc).__name__)),
                self.max_retries, None)
        except requests.exceptions.ConnectionError as exc:
            return (self._transport_error(
                action, errors.CONNECTION_ERROR, 'could not connect to %s (%s)' % (self._host, _reason(exc))),
                self.max_retries, None)
        except requests.exceptions.RequestException as exc:
            return (self._transport_error(
                action, errors.CONNECTION_ERROR, 'request to %s failed (%s: %s)' % (
                    self._host, type(exc).__name__, _reason(exc))), 0, None)
        except (IOError, OSError) as exc:
            # requests raises a bare OSError when `verify` names a CA bundle file that does not exist.
            return (self._transport_error(
                action, errors.TLS_VERIFICATION_FAILED,
                'could not use the CA bundle %r (%s)' % (self.ca_bundle, _reason(exc))), 0, None)
        try:
            return self._parse(action, response)
        finally:
            response.close()

    def _parse(self, action, response):
        """An APIResponse, or (error, retries it deserves, Retry-After seconds or None)."""
        status = response.status_code
        raw = response.content or b''
        retry_after = parse_retry_after(response.headers.get('Retry-After'), now=self.clock())
        # Without an API error code, only the HTTP status can say whether another attempt may help.
        status_retries = self.max_retries if status in RETRYABLE_STATUSES else 0

        if not raw.strip():
            error = self._transport_error(action, errors.EMPTY_RESPONSE, 'empty response body', http_status=status)
            return error, status_retries, retry_after
        try:
            envelope = json.loads(raw.decode('utf-8'))
        except (ValueError, UnicodeDecodeError):
            snippet = ' '.join(raw[:BODY_SNIPPET_LENGTH * 2].decode('utf-8', 'replace').split())[:BODY_SNIPPET_LENGTH]
            message = 'the endpoint answered with a non-JSON body (Content-Type %s): %r' % (
                response.headers.get('Content-Type', 'unknown'), snippet)
            error = self._transport_error(action, errors.NON_JSON_RESPONSE, message, http_status=status)
            return error, status_retries, retry_after

        metadata = envelope.get('ResponseMetadata') if isinstance(envelope, dict) else None
        if not isinstance(metadata, dict):
            if status >= 400:
                error = self._transport_error(action, errors.HTTP_ERROR,
                                              'HTTP %s without a Volcengine error envelope' % status,
                                              http_status=status)
                return error, status_retries, retry_after
            error = self._transport_error(action, errors.INVALID_ENVELOPE, 'the JSON answer has no ResponseMetadata',
                                          http_status=status)
            return error, 0, None

        request_id = metadata.get('RequestId')
        if request_id is not None:
            request_id = str(request_id)
            self.request_ids.append(request_id)
        api_error = metadata.get('Error')
        if api_error:
            # Failure whatever the HTTP status: CommonErr, for one, arrives with HTTP 200.
            if isinstance(api_error, dict):
                code, message, code_n = api_error.get('Code'), api_error.get('Message'), api_error.get('CodeN')
            else:
                code, message, code_n = None, api_error, None
            code = str(code) if code not in (None, '') else None
            error = VolcengineAPIError(self._scrub(message) if message is not None else None, action=action,
                                       code=code, http_status=status, request_id=request_id)
            error.code_n = code_n
            return error, self._retries_for(code, status), retry_after
        if status >= 400:
            error = self._transport_error(action, errors.HTTP_ERROR, 'HTTP %s without ResponseMetadata.Error' % status,
                                          http_status=status, request_id=request_id)
            return error, status_retries, retry_after
        result = envelope.get('Result')
        return APIResponse(result, request_id, 0, http_status=status)

    def _retries_for(self, code, status):
        """How many retries an API error deserves (0 = fail at once)."""
        if code == errors.ALREADY_EXISTS_CODE:
            return 0  # HTTP 429 here means "already exists", not throttling
        if code in errors.THROTTLING_CODES or code in errors.TRANSIENT_CODES or status in RETRYABLE_STATUSES:
            return self.max_retries
        if code == COMMON_ERR_CODE:
            return COMMON_ERR_MAX_RETRIES
        return 0  # any other 4xx/200 error is a statement about the request: repeating it cannot help


def _reason(exc):
    """The innermost, shortest useful description of a requests/urllib3 exception."""
    reason = exc
    for depth in range(5):  # urllib3 nests MaxRetryError > NewConnectionError/SSLError; 5 levels is plenty
        inner = getattr(reason, 'reason', None)
        if not isinstance(inner, BaseException):
            inner = reason.args[0] if reason.args and isinstance(reason.args[0], BaseException) else None
        if inner is None or inner is reason or depth == 4:
            break
        reason = inner
    text = ' '.join(str(reason).split()) or type(reason).__name__
    return text[:300]
