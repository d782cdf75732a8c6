# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.cloud collection: not an API for other collections, roles or plugins. It may change
# incompatibly, or go, in any release of the collection (a patch release included) without notice.
"""The one HTTP client of the collection: signing, session, TLS, retries and response-envelope parsing.

Every module talks to Volcengine through ``VolcengineClient.call(action, version, body)``, which returns an
``APIResponse`` or raises a ``VolcengineError`` subclass (and no other exception). Nothing here logs, prints or
returns request headers, the signature or the credentials; error texts are scrubbed of them as a second line of
defence.

The environment may route requests through a proxy (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY), but it
never adds authentication or replaces the CA store: requests' ``trust_env`` is off, so neither ``~/.netrc`` /
``$NETRC`` nor ``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` apply (the ``ca_bundle`` option does that).
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import email.utils
import json
import math
import random
import re
import socket
import threading
import time
import traceback
import warnings
from http.client import HTTPException
from urllib.parse import quote, quote_plus, urlsplit

try:
    import requests
    from urllib3.exceptions import DecodeError as _DecodeError
    from urllib3.exceptions import HTTPError as _Urllib3Error
    from urllib3.exceptions import InsecureRequestWarning as _InsecureRequestWarning
    from urllib3.exceptions import ProtocolError as _ProtocolError
    from urllib3.exceptions import ReadTimeoutError as _ReadTimeoutError
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - exercised by simulating it in the unit tests
    requests = None
    _DecodeError = _Urllib3Error = _ProtocolError = _ReadTimeoutError = type('_Unavailable', (Exception,), {})
    _InsecureRequestWarning = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

from ansible_collections.volcengine.cloud.plugins.module_utils import errors
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import (
    VolcengineAPIError,
    VolcengineError,
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

# The connection defaults, named once: the client's keyword defaults and the modules' argument spec
# (module_support.volcengine_argument_spec) both use them.
DEFAULT_ENDPOINT = 'https://live.volcengineapi.com'
DEFAULT_REGION = 'cn-north-1'
DEFAULT_SERVICE = 'live'
DEFAULT_TIMEOUT = 30.0
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
# Answers larger than this (after decoding any Content-Encoding) are refused without being read whole: real
# answers are a few kilobytes, and an unbounded body would let a broken endpoint exhaust the controller's memory.
MAX_RESPONSE_BYTES = 10 * 1024 * 1024
# The body is read in pieces of at most this size; with urllib3 2 each piece is one socket read.
READ_CHUNK_BYTES = 64 * 1024
# Only this much of any text is scrubbed and kept for an error message (messages end up at most 500 long).
SCRUB_WINDOW = 4000

# What a Volcengine access key, secret key or session token can hold.
CREDENTIAL_RULE = 'Volcengine credentials are printable ASCII characters without spaces'
_CREDENTIAL_PATTERN = re.compile(r'[\x21-\x7e]+\Z')

_SIGNATURE_PATTERN = re.compile(r'(Signature=)[0-9A-Fa-f]+')
_SIGNATURE_VALUE = re.compile(r'Signature=([0-9A-Fa-f]+)')
_PERCENT_ESCAPE = re.compile(r'%[0-9A-F]{2}')
_LOCATION_HOST = re.compile(r'[A-Za-z0-9.:-]{1,255}\Z')
_CONTENT_LENGTH = re.compile(r'[0-9]{1,19}\Z')
_DEFAULT_PORTS = {'http': 80, 'https': 443}
# What OpenSSL says when the answer to its TLS hello is not TLS at all, typically a plain-HTTP server's
# "HTTP/1.1 400": "wrong version number" (OpenSSL 1.1 and 3.0), "record layer failure" (3.2 on), "packet length too
# long" or "unknown protocol" (older); "http request" is the server side's word for the same mistake.
_NOT_TLS = re.compile(r'WRONG[ _]VERSION[ _]NUMBER|RECORD[ _]LAYER[ _]FAILURE|PACKET[ _]LENGTH[ _]TOO[ _]LONG'
                      r'|UNKNOWN[ _]PROTOCOL|\bHTTP[ _]REQUEST\b', re.IGNORECASE)
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
            if when is None:
                return None
            if when.tzinfo is None:
                when = when.replace(tzinfo=_UTC)
            reference = now if now is not None else time.time()
            seconds = (when - datetime.datetime.fromtimestamp(reference, _UTC)).total_seconds()
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if math.isnan(seconds):
        return None
    return min(MAX_RETRY_AFTER, max(0.0, seconds))


def _split_authority(endpoint):
    """(before, authority, after) of an endpoint, with or without a scheme: the authority ends at the first ``/``,
    ``?`` or ``#``, as urlsplit reads it."""
    scheme, separator, rest = endpoint.partition('://')
    if not separator:
        scheme, rest = '', endpoint
    authority_end = min([index for index in (rest.find(mark) for mark in '/?#') if index != -1] + [len(rest)])
    return scheme + separator, rest[:authority_end], rest[authority_end:]


def endpoint_userinfo(endpoint):
    """The userinfo of ``endpoint`` (what comes before the last ``@`` of its authority, e.g. ``user:password``, as
    written; possibly empty), or None when its authority has no ``@``."""
    authority = _split_authority(endpoint.strip())[1]
    if '@' not in authority:
        return None
    return authority.rsplit('@', 1)[0]


def endpoint_for_messages(endpoint):
    """``endpoint`` with any userinfo (``user:password@``) replaced by ``***@``: an endpoint is shown in messages and
    reprs, and a password in it must not be (userinfo is never sent either, see _split_endpoint)."""
    before, authority, after = _split_authority(endpoint)
    if '@' in authority:
        authority = '***@' + authority.rsplit('@', 1)[1]
    return before + authority + after


def _split_endpoint(endpoint):
    """(base_url, path, host_header) from 'https://host', 'host:port', 'http://127.0.0.1:8080/prefix' ..."""
    endpoint = endpoint.strip()
    if '://' not in endpoint:
        endpoint = 'https://' + endpoint
    parts = urlsplit(endpoint)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError('endpoint must be an http(s) URL such as %s, got %r' % (DEFAULT_ENDPOINT, endpoint_for_messages(endpoint)))
    host = parts.netloc.rsplit('@', 1)[-1]  # never send (or sign) userinfo
    if parts.port is not None and parts.port == _DEFAULT_PORTS[scheme]:
        host = host[:host.rfind(':')]
    path = parts.path.rstrip('/') + '/'
    return '%s://%s' % (scheme, host), path, host


class InvalidCredentialError(ValueError):
    """A credential holds something no Volcengine credential has. The message names the option, never the value."""


def _credential_problem(value):
    """What is wrong with a credential, in words that never quote it; None when it may be right."""
    if value is None or value == '':
        return 'is empty'
    if not isinstance(value, str):
        return 'is not a string'
    if _CREDENTIAL_PATTERN.match(value):
        return None
    if value[-1] in '\r\n':
        return 'ends with a line break'
    if value != value.rstrip():
        return 'ends with whitespace'
    if value != value.lstrip():
        return 'starts with whitespace'
    if any(character.isspace() for character in value):
        return 'contains whitespace'
    if any(ord(character) > 0x7e for character in value):
        return 'contains a non-ASCII character (a typographic quote or a non-breaking space pasted with it?)'
    return 'contains a control character'


def check_credentials(access_key, secret_key, session_token=None, env_names=None):
    """Raise InvalidCredentialError for the first credential that cannot be right, before anything is sent.

    A trailing newline (from ``echo ... | ansible-vault encrypt_string`` or a file) or a pasted typographic quote
    would otherwise reach requests, which quotes the header value in its error. ``session_token`` None or '' means
    none. ``env_names`` maps an option to the environment variable that can set it, named in the message too.
    """
    for option, value in (('access_key', access_key), ('secret_key', secret_key), ('session_token', session_token)):
        if option == 'session_token' and not value:
            continue
        problem = _credential_problem(value)
        if problem:
            source = (env_names or {}).get(option)
            raise InvalidCredentialError(
                '%s%s %s: %s. Set it again without that character; a trailing line break usually comes from '
                '`echo` or from reading a file (use `echo -n`, or the `trim` filter).'
                % (option, ' (or %s)' % source if source else '', problem, CREDENTIAL_RULE))


def _secret_forms(secrets):
    """Every form in which a secret may show up in an error text, longest first: as is, escaped as Python shows
    it (requests quotes a bad header value with repr), JSON-encoded, URL-encoded (quote, quote_plus, lowercase
    escapes), and each of those encoded once more (JSON inside a URL, and so on)."""
    encoders = (
        lambda text: repr(text)[1:-1],
        lambda text: text.encode('unicode_escape').decode('ascii'),
        lambda text: json.dumps(text)[1:-1],
        lambda text: json.dumps(text)[1:-1].replace('/', '\\/'),
        lambda text: quote(text, safe=''),
        quote,
        quote_plus,
        lambda text: _PERCENT_ESCAPE.sub(lambda match: match.group(0).lower(), text),
    )
    forms = set(secret for secret in secrets if secret)
    for _depth in range(2):
        forms |= set(encode(form) for form in forms for encode in encoders)
    return sorted((form for form in forms if len(form) >= 4), key=len, reverse=True)


class _AttemptTimedOut(Exception):
    """The attempt's deadline passed before the answer was complete."""


class _AttemptAbandoned(Exception):
    """Raised in a worker whose attempt already timed out: nobody waits for its answer."""


class _BodyCut(Exception):
    """The connection failed while the answer's body was being read; ``reason`` says how."""

    def __init__(self, reason):
        super(_BodyCut, self).__init__(reason)
        self.reason = reason


class _BodyTooLarge(Exception):
    """The answer is larger than MAX_RESPONSE_BYTES; ``detail`` says how we know."""

    def __init__(self, detail):
        super(_BodyTooLarge, self).__init__(detail)
        self.detail = detail


class _Answer(object):
    """One HTTP answer, read whole: status, headers and the decoded body (empty for a redirect, never read)."""

    def __init__(self, status_code, headers, content):
        self.status_code = status_code
        self.headers = headers
        self.content = content


def _new_session():
    session = requests.Session()
    session.trust_env = False
    return session


class VolcengineClient(object):
    """Signed JSON calls to one Volcengine endpoint, with retries on throttling and transient failures.

    A write (``call(..., write=True)``) is re-sent only when the earlier attempt surely did not take effect
    (throttled, or the connection could not be made): after a lost answer an earlier attempt may still be applied,
    even late, and a blind re-send could be undone by it.  The caller settles such a write with a read, once
    ``wait_for_abandoned_attempts`` says every attempt abandoned at its deadline has ended.  ``stop`` (an
    interrupts.StopFlag) stops every write that has not been sent yet.
    """

    def __init__(self, access_key, secret_key, session_token=None, region=DEFAULT_REGION,
                 endpoint=DEFAULT_ENDPOINT, service=DEFAULT_SERVICE, timeout=DEFAULT_TIMEOUT, validate_certs=True,
                 ca_bundle=None, max_retries=DEFAULT_MAX_RETRIES, sleep=time.sleep, clock=time.time,
                 rate_limiter=None, backoff_base=DEFAULT_BACKOFF_BASE, backoff_cap=DEFAULT_BACKOFF_CAP,
                 session=None, random_fraction=random.random, stop=None):
        if not HAS_REQUESTS and session is None:
            raise ImportError('The Python library "requests" is required by volcengine.cloud')
        check_credentials(access_key, secret_key, session_token)
        self.access_key = access_key
        self._secret_key = secret_key
        self._session_token = session_token or None
        # An empty (or None) region, service or endpoint means the default, whoever passes it.
        self.region = region or DEFAULT_REGION
        self.service = service or DEFAULT_SERVICE
        self.endpoint = endpoint or DEFAULT_ENDPOINT
        self._base_url, self._path, self._host = _split_endpoint(self.endpoint)
        self.timeout = timeout
        self.validate_certs = validate_certs
        self.ca_bundle = ca_bundle
        self.max_retries = max_retries
        self.sleep = sleep
        self.clock = clock
        self.rate_limiter = rate_limiter
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.random_fraction = random_fraction
        self.stop = stop
        # Attempts abandoned at their deadline whose worker may still be waiting for the answer: (worker thread,
        # its outcome dict, time.monotonic() when it was abandoned).
        self._abandoned = []
        self._secret_forms = _secret_forms((secret_key, self._session_token))
        self._sent_signatures = set()
        self._owns_session = session is None
        self.session = session if session is not None else _new_session()
        # No netrc credentials and no REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE from the environment; proxies are taken
        # from it explicitly for each request (see _proxies_for).
        self.session.trust_env = False
        # RequestIds of every answer received (failed attempts included), in order: modules return them as
        # `request_ids` so a user can quote them to Volcengine support.
        self.request_ids = []

    def __repr__(self):
        return 'VolcengineClient(endpoint=%r, region=%r, service=%r)' % (
            endpoint_for_messages(self.endpoint), self.region, self.service)

    def close(self):
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # -- public API -------------------------------------------------------------------------------------

    def call(self, action, version, body=None, write=False):
        """POST ``body`` (a JSON-serialisable dict) as ``action``/``version``; return an APIResponse.

        ``write``: the call changes something, so it is re-sent only when no earlier attempt can have taken effect,
        and not sent at all once ``stop`` is set (``interrupts.Interrupted``).

        Raises VolcengineAPIError when the envelope holds ResponseMetadata.Error (whatever the HTTP status),
        VolcengineTransportError when no usable answer arrived, each after the retries it deserved. Nothing
        else leaves this method: an unexpected exception becomes a VolcengineTransportError (RequestFailed)
        with a scrubbed message and no chained exception (a traceback would show the chain).
        """
        try:
            return self._call(action, version, body, write)
        except VolcengineError:
            raise
        except Exception as exc:  # pylint: disable=broad-except
            failure = self._unexpected_error(action, exc)
        raise failure  # outside the handler, so the original exception is not chained to it

    def _call(self, action, version, body, write=False):
        self._sent_signatures.clear()  # scrubbed from this call's errors, in any form
        # Serialised once: these exact bytes are hashed into the signature and sent.
        payload = json.dumps(body if body is not None else {}, separators=(',', ':'),
                             ensure_ascii=False).encode('utf-8')
        query = {'Action': action, 'Version': version}
        url = '%s%s?%s' % (self._base_url, self._path, canonical_query(query))
        attempt = 0
        while True:
            attempt += 1
            if self.rate_limiter is not None:
                self.rate_limiter.acquire(self.stop.is_set if write and self.stop is not None else None)
            if write and self.stop is not None:
                self.stop.check(action)  # after the limiter: a write queued there may have waited long
            outcome = self._attempt(action, url, query, payload)
            if isinstance(outcome, APIResponse):
                outcome.attempts = attempt
                return outcome
            error, retry_limit, retry_after = outcome
            error.attempts = attempt
            if attempt > min(self.max_retries, retry_limit) or (write and not _surely_not_applied(error)):
                raise error
            self.sleep(self._delay(attempt, retry_after))

    def wait_for_abandoned_attempts(self):
        """Wait until every attempt abandoned at its deadline has ended, each for at most the timeout after it was
        abandoned; True when all ended with the API's answer (or surely unsent), so none can still take effect.
        False when one is still open or ended without an answer: the API may still apply it."""
        settled = True
        for worker, outcome, abandoned_at in self._abandoned:
            worker.join(max(0.0, abandoned_at + self.timeout - time.monotonic()))
            error = outcome.get('error')
            if worker.is_alive() or not (outcome.get('answered') or _never_sent(error)):
                settled = False
        self._abandoned = [entry for entry in self._abandoned if entry[0].is_alive()]
        return settled

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
        """``text`` fit for an error message: escape sequences and control characters removed first (so they
        cannot hide a secret), then every form of the secret key, the session token and the signatures sent
        replaced by ***. Only the first SCRUB_WINDOW characters are kept; a secret cut there is removed too."""
        text = '' if text is None else str(text)
        cut = len(text) > SCRUB_WINDOW
        text = errors.clean_text(text[:SCRUB_WINDOW], limit=None)
        forms = self._secret_forms + sorted(self._sent_signatures)
        for form in forms:
            text = text.replace(form, '***')
        text = _SIGNATURE_PATTERN.sub(r'\1***', text)
        if cut:
            for form in forms:
                for length in range(min(len(form) - 1, len(text)), 3, -1):
                    if text.endswith(form[:length]):
                        return text[:-length] + '***'
        return text

    def _server_text(self, value, limit):
        """A value from the server's envelope (any JSON type) as scrubbed, cleaned text of at most ``limit``."""
        if value is None:
            return None
        if not isinstance(value, str):
            try:
                value = json.dumps(value, ensure_ascii=False)
            except (TypeError, ValueError, RecursionError):
                value = type(value).__name__
        return errors.clean_text(self._scrub(value), limit)

    def _transport_error(self, action, code, message, http_status=None, request_id=None):
        return VolcengineTransportError(self._scrub(message), action=action, code=code, http_status=http_status,
                                        request_id=request_id)

    def _unexpected_error(self, action, exc):
        return self._transport_error(action, errors.REQUEST_FAILED, 'the request to %s failed (%s: %s)' % (
            self._host, type(exc).__name__, _reason(exc)))

    def _proxies_for(self, url):
        """The proxies the environment sets for ``url`` (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY): the one
        thing still taken from the environment now that trust_env is off."""
        return requests.utils.get_environ_proxies(url) if requests is not None else {}

    def _attempt(self, action, url, query, payload):
        """One HTTP exchange: an APIResponse, or (error, retries this error deserves, Retry-After or None)."""
        deadline = time.monotonic() + self.timeout
        try:
            headers = self._signed_headers(query, payload)
            self._sent_signatures.update(_SIGNATURE_VALUE.findall(headers.get('Authorization', '')))
            answer = self._exchange(url, payload, headers, deadline)
        except Exception as exc:  # pylint: disable=broad-except
            return self._failure(action, exc)
        if 300 <= answer.status_code < 400:
            return self._redirect_error(action, answer), 0, None
        try:
            return self._parse(action, answer)
        except Exception as exc:  # pylint: disable=broad-except
            return self._unexpected_error(action, exc), 0, None

    def _exchange(self, url, payload, headers, deadline):
        """Send the request and read the whole answer in a worker thread, waiting for it until ``deadline``
        (time.monotonic()); an _Answer, or the exception the exchange raised, or _AttemptTimedOut.

        requests' timeout bounds each socket operation, not the exchange: a server sending a byte every now and
        then would hold an attempt open indefinitely. At the deadline the worker is abandoned (a daemon thread
        that stops at its next read), so every attempt ends on time whatever the server does.
        """
        outcome = {}
        abandoned = threading.Event()

        def exchange():
            try:
                outcome['answer'] = self._send_and_read(url, payload, headers, abandoned, outcome)
            except Exception as exc:  # pylint: disable=broad-except
                outcome['error'] = exc  # handed to the calling thread below

        worker = threading.Thread(target=exchange, name='volcengine-cloud-request')
        worker.daemon = True
        worker.start()
        worker.join(min(max(0.0, deadline - time.monotonic()), threading.TIMEOUT_MAX))
        if worker.is_alive():
            abandoned.set()
            self._abandoned.append((worker, outcome, time.monotonic()))
            if self._owns_session:
                self.session = _new_session()  # the abandoned worker may still be using the old one
            raise _AttemptTimedOut()
        if 'error' in outcome:
            raise outcome['error']
        return outcome['answer']

    def _send_and_read(self, url, payload, headers, abandoned, outcome):
        """The exchange itself (runs in the worker): never follows a redirect, reads the body within the cap."""
        if self.validate_certs:
            verify = self.ca_bundle or True
        else:
            verify = False
            if _InsecureRequestWarning is not None:
                # The user chose validate_certs=false; urllib3 would warn on stderr for every request.
                warnings.filterwarnings('ignore', category=_InsecureRequestWarning)
        # The socket may wait twice the timeout for an answer: the caller stops waiting at the deadline, and an
        # abandoned attempt of a write gets that long again to end with the API's answer (wait_for_abandoned_attempts).
        response = self.session.post(url, data=payload, headers=headers, timeout=(self.timeout, 2 * self.timeout), verify=verify,
                                     proxies=self._proxies_for(url), allow_redirects=False, stream=True)
        outcome['answered'] = True  # the API's answer began: the request is done with, whatever comes of reading it
        try:
            if abandoned.is_set():
                raise _AttemptAbandoned()
            if 300 <= response.status_code < 400:
                return _Answer(response.status_code, response.headers, b'')  # not followed, so never read
            return _Answer(response.status_code, response.headers, _read_body(response, abandoned))
        finally:
            response.close()

    def _failure(self, action, exc):
        """(error, retries it deserves, None) for an exception of one exchange."""
        host = self._host
        if isinstance(exc, _AttemptTimedOut):
            # A timeout on a write may mean the write happened; retrying is still safe (see the class doc).
            return self._transport_error(action, errors.TIMEOUT, 'no complete answer from %s within %s seconds' % (
                host, self.timeout)), self.max_retries, None
        if isinstance(exc, _BodyTooLarge):
            return self._transport_error(action, errors.RESPONSE_TOO_LARGE, 'the answer from %s is larger than the '
                                         '%d bytes the client accepts (%s); it was not read' % (
                                             host, MAX_RESPONSE_BYTES, exc.detail)), 0, None
        if requests is not None and isinstance(exc, requests.exceptions.ChunkedEncodingError):
            exc = _BodyCut(exc)  # requests' name for a body cut short
        if isinstance(exc, _BodyCut):
            cut = exc.reason
            if isinstance(cut, (_ReadTimeoutError, socket.timeout)):
                return self._transport_error(action, errors.TIMEOUT, 'the answer from %s stalled for more than %s '
                                             'seconds while it was being read' % (host, self.timeout)), \
                    self.max_retries, None
            return self._transport_error(action, errors.CONNECTION_ERROR, 'the connection to %s was cut while '
                                         'reading the answer (%s)' % (host, _reason(cut))), self.max_retries, None
        if requests is not None and isinstance(exc, requests.exceptions.RequestException):
            return self._request_failure(action, exc)
        if isinstance(exc, _DecodeError):
            return self._transport_error(action, errors.NON_JSON_RESPONSE, 'the answer from %s could not be decoded '
                                         '(%s)' % (host, _reason(exc))), 0, None
        if isinstance(exc, OSError) and self.validate_certs and self.ca_bundle:
            # requests raises a bare OSError when `verify` names a CA bundle file that does not exist.
            return self._transport_error(action, errors.TLS_VERIFICATION_FAILED, 'could not use the CA bundle %r '
                                         '(%s)' % (self.ca_bundle, _reason(exc))), 0, None
        if isinstance(exc, OSError):
            return self._transport_error(action, errors.CONNECTION_ERROR, 'the connection to %s failed (%s)' % (
                host, _reason(exc))), self.max_retries, None
        return self._unexpected_error(action, exc), 0, None

    def _request_failure(self, action, exc):
        """(error, retries, None) for an exception of requests raised before the answer's headers arrived."""
        host = self._host
        if isinstance(exc, requests.exceptions.SSLError):
            reason = _reason(exc)
            if _NOT_TLS.search(reason):
                return _not_sent(self._transport_error(action, errors.ENDPOINT_NOT_TLS, 'the endpoint %s did not answer '
                                                       'in TLS, which https:// needs (%s)%s' % (
                                                           host, reason, self._scheme_note()))), 0, None
            return _not_sent(self._transport_error(action, errors.TLS_VERIFICATION_FAILED, 'TLS handshake or '
                                                   'certificate verification with %s failed (%s)' % (host, reason))), 0, None
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return _not_sent(self._transport_error(action, errors.TIMEOUT, 'could not connect to %s within %s seconds' % (
                host, self.timeout))), self.max_retries, None
        if isinstance(exc, requests.exceptions.Timeout):
            return self._transport_error(action, errors.TIMEOUT, 'no answer from %s within %s seconds (%s)' % (
                host, self.timeout, type(exc).__name__)), self.max_retries, None
        if isinstance(exc, requests.exceptions.ConnectionError):
            if exc.args and isinstance(exc.args[0], _ProtocolError):
                # requests' "Connection aborted.": connected and sent, then the server closed without answering.
                return self._transport_error(action, errors.CONNECTION_ERROR, 'the connection to %s was closed before '
                                             'an answer arrived (%s)' % (host, _reason(exc))), self.max_retries, None
            return _not_sent(self._transport_error(action, errors.CONNECTION_ERROR, 'could not connect to %s (%s)' % (
                host, _reason(exc)))), self.max_retries, None
        return self._unexpected_error(action, exc), 0, None

    def _scheme_note(self):
        """'; the endpoint option has no scheme, so https:// was used' when it has none, else ''."""
        if '://' in self.endpoint.strip():
            return ''
        return '; the endpoint option has no scheme, so https:// was used'

    def _redirect_error(self, action, answer):
        """The error for a 3xx answer: it names the status and the target host (never another header value)."""
        return self._transport_error(action, errors.REDIRECTED, 'the endpoint %s answered HTTP %d, a redirect %s; '
                                     'it was not followed and nothing was sent there' % (
                                         self._host, answer.status_code, _redirect_target(answer.headers)),
                                     http_status=answer.status_code)

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
        except (ValueError, UnicodeDecodeError, RecursionError):
            snippet = self._scrub(raw[:SCRUB_WINDOW].decode('utf-8', 'replace'))[:BODY_SNIPPET_LENGTH]
            message = 'the endpoint answered with a non-JSON body (Content-Type %s): %r' % (
                self._server_text(response.headers.get('Content-Type', 'unknown'), 100), snippet)
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

        request_id = self._server_text(metadata.get('RequestId'), errors.REQUEST_ID_LIMIT)
        if request_id:
            self.request_ids.append(request_id)
        api_error = metadata.get('Error')
        if api_error:
            # Failure whatever the HTTP status: CommonErr, for one, arrives with HTTP 200.
            if isinstance(api_error, dict):
                code, message, code_n = api_error.get('Code'), api_error.get('Message'), api_error.get('CodeN')
            else:
                code, message, code_n = None, api_error, None
            code = self._server_text(code, errors.CODE_LIMIT) or None
            error = VolcengineAPIError(self._server_text(message, errors.MESSAGE_LIMIT), action=action,
                                       code=code, http_status=status, request_id=request_id)
            error.code_n = code_n if isinstance(code_n, int) and not isinstance(code_n, bool) else None
            # A wrong region fails the signature like a wrong key: the advice names the cause the answer shows.
            error.advice_key = errors.advice_key_for(code, error.message, self.region,
                                                     self._server_text(metadata.get('Region'), errors.CODE_LIMIT))
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


def _not_sent(error):
    """``error``, marked as one whose request surely never reached the API (so a write may be sent again)."""
    error.sent = False
    return error


def _never_sent(exc):
    """Whether an exception of an exchange means the request was never sent (the connection was not made)."""
    if requests is None or exc is None:
        return False
    if isinstance(exc, (requests.exceptions.ConnectTimeout, requests.exceptions.SSLError)):
        return True
    return isinstance(exc, requests.exceptions.ConnectionError) and not (exc.args and isinstance(exc.args[0], _ProtocolError))


def _surely_not_applied(error):
    """Whether a failed attempt of a write surely did not take effect, so sending it again cannot be undone by it:
    it never reached the API, or the API throttled it (HTTP 429, which is not "already exists")."""
    if getattr(error, 'sent', True) is False:
        return True
    if error.code == errors.ALREADY_EXISTS_CODE:
        return False
    return isinstance(error, VolcengineAPIError) and (error.code in errors.THROTTLING_CODES or error.http_status == 429)


def _redirect_target(headers):
    """Where a redirect points, told by its host only: 'to host example.com:8443', 'to a path on the same host'..."""
    location = str(headers.get('Location') or '').strip()
    if not location:
        return 'without a Location'
    try:
        parts = urlsplit(location)
        host, port = parts.hostname, parts.port
    except ValueError:
        return 'to a location that is not a valid URL'
    if not parts.netloc:
        return 'to a path on the same host'
    if host and _LOCATION_HOST.match(host):
        return 'to host %s' % (host if port is None else '%s:%d' % (host, port))
    return 'to a location that is not a valid URL'


def _content_length(headers):
    """The Content-Length header as an int, None when absent or not one plain number."""
    value = headers.get('Content-Length')
    if value is None or not _CONTENT_LENGTH.match(str(value).strip()):
        return None
    return int(str(value).strip())


def _body_pieces(raw):
    """The decoded body of a streamed urllib3 response, piece by piece. urllib3 2's read1 returns after one socket
    read (and bounds decompression to the piece size), so a dripping server is noticed between pieces; urllib3 1.26
    has only stream(), whose pieces fill up first."""
    read1 = getattr(raw, 'read1', None)
    if read1 is None:
        yield from raw.stream(READ_CHUNK_BYTES, decode_content=True)
        return
    while True:
        piece = read1(READ_CHUNK_BYTES, decode_content=True)
        if not piece:
            return
        yield piece


def _read_body(response, abandoned):
    """The whole decoded body, or _BodyTooLarge (from Content-Length when sent, else once MAX_RESPONSE_BYTES
    decoded bytes arrived, so a huge or endless answer never fills memory) or _BodyCut (the connection failed
    mid-body, or it ended before Content-Length bytes)."""
    declared = _content_length(response.headers)
    if declared is not None and declared > MAX_RESPONSE_BYTES:
        raise _BodyTooLarge('Content-Length %d' % declared)
    raw = response.raw
    pieces, size = [], 0
    try:
        for piece in _body_pieces(raw):
            if abandoned.is_set():
                raise _AttemptAbandoned()
            size += len(piece)
            if size > MAX_RESPONSE_BYTES:
                raise _BodyTooLarge('more than that after decoding')
            pieces.append(piece)
        received = raw.tell()
    except (_Urllib3Error, HTTPException, OSError) as exc:  # OSError includes requests' exceptions
        if isinstance(exc, _DecodeError):
            raise
        raise _BodyCut(exc)
    if declared is not None and received < declared:
        raise _BodyCut('%d of the %d bytes announced by Content-Length arrived' % (received, declared))
    return b''.join(pieces)


def _reason(exc):
    """The innermost, shortest useful description of a requests/urllib3 exception (or a plain string)."""
    if not isinstance(exc, BaseException):
        return ' '.join(str(exc).split())
    reason = exc
    for depth in range(5):  # urllib3 nests MaxRetryError > NewConnectionError/SSLError; 5 levels is plenty
        inner = getattr(reason, 'reason', None)
        if not isinstance(inner, BaseException):
            inner = reason.args[0] if reason.args and isinstance(reason.args[0], BaseException) else None
        if inner is None or inner is reason or depth == 4:
            break
        reason = inner
    # Not cut here: the caller scrubs the whole text first, so no secret can be left half-cut.
    return ' '.join(str(reason).split()) or type(reason).__name__
