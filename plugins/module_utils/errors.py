# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.cloud collection: not an API for other collections, roles or plugins. It may change
# incompatibly, or go, in any release of the collection (a patch release included) without notice.
"""Exceptions raised by the Volcengine client and the table that says what to do about each error code.

The text of an exception is built only from the action, the code, the API's message, the HTTP status and
the RequestId: never from request headers, the signature or the credentials. Text that came from the server
(code, message, RequestId) is cut to a bounded length and stripped of control characters and terminal escape
sequences before it is kept.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
import unicodedata

# Pseudo codes for failures that produced no API error envelope (set by the client, never by the API).
CONNECTION_ERROR = 'ConnectionError'
TIMEOUT = 'Timeout'
TLS_VERIFICATION_FAILED = 'TLSVerificationFailed'
ENDPOINT_NOT_TLS = 'EndpointNotTLS'
NON_JSON_RESPONSE = 'NonJSONResponse'
EMPTY_RESPONSE = 'EmptyResponse'
INVALID_ENVELOPE = 'InvalidResponseEnvelope'
HTTP_ERROR = 'HTTPError'
REDIRECTED = 'Redirected'
RESPONSE_TOO_LARGE = 'ResponseTooLarge'
REQUEST_FAILED = 'RequestFailed'
# Set by the boundary check of an answer's shape (module_utils/answer_shape.py), never by the API.
INVALID_RESPONSE = 'InvalidResponse'
# Never an error's code: the ERROR_ADVICE key of the advice given instead of that of a REGION_SENSITIVE_CODES error
# when the answer shows that the region the request was signed for is wrong (see advice_key_for).
WRONG_REGION = 'WrongRegion'

# Bounds of server text kept in an error (characters).
MESSAGE_LIMIT = 500
CODE_LIMIT = 100
REQUEST_ID_LIMIT = 128

# Advice says what to do, not what happened: full_message() adds how often the call was retried, when it was.
_TRANSIENT = 'This is usually transient: run the task again later; if it persists, contact Volcengine support with ' \
             'the RequestId.'
_CLIENT_BUG = 'This is a bug in the volcengine.cloud collection (the request was malformed); please report it ' \
              'with the RequestId.'

# The error reference: every code the modules give advice for, as (code, HTTP status, meaning, advice), in the
# sections of the published page (docs/docsite/rst/errors.rst, which tools/render_errors_page.py generates from
# this table and the page's text, docs/docsite/errors.rst.in). The advice is the sentence the modules show
# (ERROR_ADVICE below); the HTTP status the code comes with ('-': there was no HTTP answer) and what it means are
# for the page only, where `text` in backticks is code.
ERROR_REFERENCE = (
    # The codes the Update/Describe/DeleteRelaySourceV3 documentation lists.
    ('actions', (
        ('CommonErr', '200',
         'Unclassified error (note: arrives with HTTP 200; success is decided by the envelope).',
         'Unclassified server error: run the task again, and if it keeps failing contact Volcengine support with the '
         'RequestId.'),
        ('InvalidParam', '400',
         'A parameter is invalid or does not meet the rules.',
         'A parameter is invalid; check the values against the module documentation (vhost, app, group names, server '
         'domains and protocol).'),
        ('InvalidParam.BindError', '400',
         'A parameter failed validation (wrong type).',
         'A parameter failed validation; check the parameter types (strings for domains, protocol and parameter '
         'values, a list of servers for each group).'),
        ('RequestForbidden', '403',
         'The account has no such resource (vhost, domain, app, template, certificate).',
         'The account has no such resource: check that the vhost (domain space), domain and app exist in this '
         'Volcengine account and region.'),
        ('RequestForbidden.AccountIDNotAllow', '403',
         'This account may not access the resource.',
         'This account may not access the resource: check that the vhost belongs to the account of the access key.'),
        ('RequestForbidden.BillingStatus', '403',
         'Live is not activated, or the account is in arrears.',
         'Volcengine Live is not activated for this account or the account is in arrears: activate the service or '
         'top up the account.'),
        ('ResourceNotFound', '404',
         'Resource not found. On DescribeRelaySourceV3 the modules treat it as "nothing configured".',
         'The resource was not found: check the vhost, app and group names; if they are right, retry later and then '
         'contact Volcengine support with the RequestId.'),
        ('RequestLimitExceeded.Exist', '429',
         'The resource to create already exists (not throttling, despite the 429; never retried).',
         'The resource to create already exists (the API reports this with HTTP 429, but it is not throttling): read '
         'the current configuration and update it instead.'),
        ('InternalError', '500',
         'Internal error (retried).',
         _TRANSIENT),
        ('InternalError.DB', '500',
         'Internal database error (retried).',
         'Internal database error at Volcengine. ' + _TRANSIENT),
        ('InternalServiceError', '502',
         'Error between internal services (retried).',
         _TRANSIENT),
        ('InternalServiceError.BadResponse', '502',
         'Error between internal services (retried).',
         _TRANSIENT),
        ('InternalServiceTimeout', '504',
         'Internal service timeout (retried).',
         _TRANSIENT),
    )),
    # The codes the Create/Update/Delete/ListRelaySourceV4 documentation lists (the fixed-trigger relay). Their advice is
    # given for errors of those actions only (ACTION_SCOPED_SECTIONS): the same code of another action gets its own.
    ('scheduled', (
        ('CommonErr', '200',
         'Unclassified error (arrives with HTTP 200). A read is retried; a write is settled by a read of its domain and '
         'sent again only when that read shows it not in effect.',
         'Unclassified server error: run the task again, and if it keeps failing contact Volcengine support with the '
         'RequestId.'),
        ('InvalidParam', '400',
         'A parameter is invalid. The emulator also answers it to a `CreateRelaySourceV4` of a stream that already has a '
         'configuration (unconfirmed for the API).',
         'A parameter was refused: check the domain, app and stream names, the origins (1 to 10 full URLs: rtmp, http or '
         'https for FLV and HLS, srt) and the window (end after start, at most 7 days, not past). A create is also '
         'refused when the stream already has a fixed-trigger configuration: one made meanwhile (run the task again: it '
         'reads first), or one whose window has ended if the API leaves those out of its list (delete it in the console '
         'or use another stream name); and possibly when its app holds a play-triggered (V3) relay source, which may not '
         'share an app with a fixed-trigger one: look with volc_live_relay_source_info.'),
        ('InvalidParam.BindError', '400',
         'A parameter has the wrong type.',
         'A parameter failed validation (wrong type). The module sends strings, an array of origin URLs and whole Unix '
         'seconds, so this is probably a bug in the volcengine.cloud collection: please report it with the RequestId.'),
        ('InvalidParam.OutOfRange', '400',
         'A value is out of range (listed for `DeleteRelaySourceV4`).',
         'A value is out of the range the API accepts: check the domain, app and stream names and the window (at most 7 '
         'days, not past); if they are right, report it to the collection with the RequestId.'),
        ('RequestForbidden', '403',
         'The account has no such resource (domain, app, stream or configuration).',
         'The account has no such resource: check that the domain exists in this Volcengine account and region (the API '
         'documentation disagrees whether it is the pull or the push domain; the module sends the one you give). It '
         'may also mean that the app holds a play-triggered (V3) relay source, which may not share an app with a '
         'fixed-trigger one: look with volc_live_relay_source_info.'),
        ('RequestForbidden.AccountIDNotAllow', '403',
         'This account may not access the resource.',
         'This account may not access the resource: check that the domain belongs to the account of the access key.'),
        ('ResourceNotFound', '404',
         'No such configuration: the emulator answers it to an `UpdateRelaySourceV4` or `DeleteRelaySourceV4` of a '
         'stream without one (unconfirmed for the API). On `ListRelaySourceV4` the module reads it as "nothing '
         'configured"; a write answered with it is settled by a read, as a lost answer is.',
         'The stream has no fixed-trigger configuration (something else deleted it meanwhile, or the API removed it '
         'when its window ended): run the task again; it reads first and makes only the changes still needed.'),
    )),
    # Common (gateway) codes: signature, credentials, permissions, routing, throttling.
    ('gateway', (
        ('MissingParameter', '400',
         'A required request parameter is missing.',
         _CLIENT_BUG),
        ('MissingRequestInfo', '400',
         'X-Date, the access key or the region is missing from the request.',
         'The request lacked X-Date, the access key or the region. ' + _CLIENT_BUG),
        ('InvalidAuthorization', '400',
         'The Authorization header is malformed.',
         'The Authorization header was rejected: check that access_key is a valid Volcengine access key ID (no '
         'spaces or quotes).'),
        ('InvalidCredential', '400',
         'The credential scope (access key, date, region, service) is malformed.',
         'The credential was rejected: check the access_key format and the region option.'),
        (WRONG_REGION, '400/401',
         "Never a code of its own (`error.code` stays the API's): the advice shown instead of that of "
         '`SignatureDoesNotMatch`, `InvalidCredential` or `InvalidAuthorization` when the answer shows that the '
         'region is wrong: the message quotes a credential scope (`<date>/<region>/<service>/request`) with another '
         'region than the `region` option, or two scopes of different regions, or says the region is wrong (for '
         'example "should be scoped to a valid region"), or the answer\'s `ResponseMetadata.Region` is another '
         'region.',
         'The request was signed for another region than the API expects (the credential scope or the message above '
         'shows it): set the region option (or VOLCENGINE_REGION) to the region of the endpoint, cn-north-1 for Live '
         'at https://live.volcengineapi.com, before checking the keys.'),
        ('MissingAuthenticationToken', '401',
         'No credentials in the request.',
         'No credentials reached the API: set access_key and secret_key (or VOLCENGINE_ACCESS_KEY and '
         'VOLCENGINE_SECRET_KEY).'),
        ('MissingSignature', '401',
         'No signature in the request.',
         'No signature reached the API: set access_key and secret_key, and check that no proxy strips the '
         'Authorization header.'),
        ('InvalidAccessKey', '401',
         'The access key does not exist or is disabled.',
         'The access key does not exist or is disabled: check access_key in the Volcengine console (IAM > access '
         'keys).'),
        ('InvalidClientTokenId', '401',
         'The access key does not exist or is disabled.',
         'The access key does not exist or is disabled: check access_key in the Volcengine console (IAM > access '
         'keys).'),
        ('SignatureDoesNotMatch', '401',
         'The signature does not match the request: a wrong secret key, a region the API does not serve the request '
         'in (the region is part of the credential scope it signs), or a proxy that changed the request.',
         'The signature did not match: check that secret_key belongs to access_key, that the region option is the '
         "endpoint's region (cn-north-1 for Live), and that no proxy rewrites the request."),
        ('InvalidSecretToken', '401',
         'The STS session token is invalid or expired.',
         'The STS session token is invalid or expired: obtain new temporary credentials and set session_token (or '
         'VOLCENGINE_SESSION_TOKEN) again.'),
        ('InvalidTimestamp', '403 (some tables: 400)',
         "The request's X-Date is too far from the server's clock.",
         "The request time is too far from Volcengine's clock: synchronise the controller's clock (NTP)."),
        ('LackPolicy', '403',
         "The access key's user has no permission for the action.",
         "The access key's user lacks permission for this action: grant it the Live policy (for example "
         'VolcengineLiveFullAccess) in IAM.'),
        ('AccessDenied', '403',
         'Access denied by policy.',
         "Access denied: grant the access key's user the Live permissions in IAM, and check any deny policy or IP "
         'restriction.'),
        ('ServiceNotFound', '404',
         'No such service at this endpoint.',
         'The service was not found at this endpoint: check the endpoint and region options (Live uses '
         'https://live.volcengineapi.com and cn-north-1).'),
        ('InvalidActionOrVersion', '404',
         'No such action or version at this endpoint.',
         'The action or version is not offered at this endpoint: check the endpoint and region options.'),
        ('FlowLimitExceeded', '429',
         'Throttled: more than 10 requests/second per account (retried with backoff).',
         'Throttled by the API (10 requests/second per account): lower the rate_limit option or the number of forks, '
         'then run the task again.'),
        ('AccountFlowLimitExceeded', '429',
         'The account exceeded its request quota (retried with backoff).',
         'The account exceeded its request quota: lower the rate_limit option or the number of forks, then run the '
         'task again.'),
        ('ServiceUnavailableTemp', '503',
         'The service is temporarily unavailable (retried).',
         'The service is temporarily unavailable. ' + _TRANSIENT),
        ('FailToConnect', '502',
         'The gateway could not reach the service (retried).',
         'The API gateway could not reach the service. ' + _TRANSIENT),
    )),
    # Pseudo codes: set by the client when no API answer could be used, or by the boundary check of an
    # answer's shape (module_utils/answer_shape.py) for INVALID_RESPONSE; never by the API.
    ('client', (
        (CONNECTION_ERROR, '-',
         'No connection to the endpoint (DNS, refused, proxy), or the connection was closed or cut before the whole '
         'answer arrived (the message says which); retried.',
         'The connection to the endpoint failed or was cut before a complete answer arrived: check the endpoint '
         'option, DNS, the network route and any proxy (HTTPS_PROXY / NO_PROXY).'),
        (TIMEOUT, '-',
         'No complete answer within the timeout option, which bounds each attempt from connecting to the last byte '
         'of the answer; retried.',
         'No complete answer arrived within the timeout option (which bounds each attempt, reading the answer '
         'included): check the network or raise the timeout option.'),
        (TLS_VERIFICATION_FAILED, '-',
         "The endpoint's TLS certificate could not be verified.",
         "The endpoint's TLS certificate could not be verified: install the right CA certificates on the controller "
         'or point ca_bundle at a CA bundle file; set validate_certs=false only for a trusted test endpoint.'),
        (ENDPOINT_NOT_TLS, '-',
         'The endpoint answered the TLS handshake with something that is not TLS (OpenSSL\'s "wrong version number", '
         '"record layer failure", "packet length too long" or "unknown protocol"): usually a plain-HTTP server, such '
         'as a local emulator, behind an `https://` endpoint or an endpoint without a scheme (taken as `https://`; '
         'the message says so). Not retried; nothing was sent.',
         'The endpoint answered the TLS handshake with something that is not TLS, usually plain HTTP: for a local '
         'emulator or test endpoint set the endpoint option to an http:// URL (an endpoint without a scheme is taken '
         'as https://); otherwise check the port (HTTPS is usually 443) and any HTTPS_PROXY.'),
        (NON_JSON_RESPONSE, 'any',
         'The body was not JSON (often a proxy or load-balancer page).',
         'The endpoint answered with something that is not the Volcengine API (often a proxy or load-balancer error '
         'page): check the endpoint option and any proxy, then retry.'),
        (EMPTY_RESPONSE, 'any',
         'The body was empty.',
         'The endpoint answered with an empty body: check the endpoint option and any proxy, then retry.'),
        (INVALID_ENVELOPE, 'any',
         'JSON without ResponseMetadata.',
         'The answer was JSON but not a Volcengine API envelope: check that the endpoint option points at the '
         'Volcengine OpenAPI.'),
        (HTTP_ERROR, '4xx/5xx',
         'An HTTP error status without an API error code.',
         'The endpoint answered with an HTTP error and no API error code: check the endpoint option and any proxy, '
         'then retry.'),
        (REDIRECTED, '3xx',
         'The endpoint answered with a redirect; never followed, never retried (the message names the status and the '
         'target host).',
         'The endpoint answered with a redirect, which the client never follows (it would send the signed request '
         'and the session token to another place): set the endpoint option to the API itself (for example '
         'https://live.volcengineapi.com) and check any proxy.'),
        (RESPONSE_TOO_LARGE, 'any',
         'The answer is larger than 10 MB (announced by Content-Length, or counted after decoding); not read '
         'further, not retried.',
         'The answer was larger than the client accepts (10 MB), so it was not read: check that the endpoint option '
         'points at the Volcengine OpenAPI and that no proxy alters the answers.'),
        (REQUEST_FAILED, '-',
         'The request could not be sent or its answer read for another reason (an invalid URL or header, an '
         'unexpected error); not retried.',
         'The request could not be sent or its answer could not be read, for the reason given; it was not retried. '
         'Check the endpoint option and the proxy environment variables; if the reason points at the collection '
         'itself, please report it.'),
        (INVALID_RESPONSE, '2xx',
         'The answer reported no error, but a field of its `Result` has a shape the collection does not understand; '
         'the message starts with the path of that field (e.g. '
         '`Result.RelaySourceConfigList[0].GroupDetails[1].Servers`). The task stops before any further write (fail '
         'closed).',
         'The endpoint answered in a shape the volcengine.cloud collection does not understand (the field named '
         'above), so the task stopped there and wrote nothing after that answer: check that the endpoint option and '
         'any proxy lead to the Volcengine OpenAPI, and if they do, report it to the collection with the RequestId.'),
    )),
    # Set by the relay-source writers (relay_source_writer.py, scheduled_relay_writer.py), interrupts.py (SIGINT, SIGTERM) and
    # worker_pool.internal_error (an exception that is not the collection's own); never by the API.
    ('module', (
        ('UnexpectedRelaySourceState', '-',
         "A read during the run (after an update whose outcome depends on the API's update behaviour, or after a "
         'lost answer) shows the app without a group the run had just sent, as sent: something else changed it. Also '
         'a delete that would leave the app without an origin the change keeps (never sent).',
         'A read during the run showed the app in a state the run cannot go on from (a group it had just sent was '
         'missing or different): something else probably changed the app at the same time. No further write was '
         'made; find what else manages this app, then run the task again.'),
        ('RelaySourceNotConverged', '-',
         "The API's update behaviour did not reach the declared group order within the bound of writes of one run "
         '(twice the groups read and declared, plus six); see "Update behaviour" in the module notes.',
         "The API's update behaviour did not reach the declared group order within the run's bound of writes; every "
         'origin the change keeps stayed configured. No further write was made; report the groups named above to the '
         'collection, and declare an order the API keeps meanwhile.'),
        ('Interrupted', '-',
         'SIGINT or SIGTERM arrived (Ctrl-C, a cancelled AWX job) before the write was sent; the message says what '
         'was applied, not applied or unknown.',
         'The run was stopped by a signal (Ctrl-C, or a cancelled job) before this write was sent; no write was sent '
         'after the signal arrived.'),
        ('UnexpectedScheduledRelayState', '-',
         'A read after an `UpdateRelaySourceV4` that makes a stream permanent (sent without `StartTime` and `EndTime`, '
         'as a create of a permanent stream is) does not show the stream as declared: the API kept the window, or '
         'something else changed the stream.',
         'A read after the update did not show the stream as declared, and no further write was made. If its window is '
         'still there, the API keeps a window that an update does not name: to make the stream permanent, delete it '
         '(state=deleted) and create it again, which stops its pull in between, and report it to the collection; '
         'otherwise find what else manages the stream.'),
        ('ModuleInternalError', '-',
         "An exception that is not the collection's own stopped the work on one app of `volc_live_relay_sources` or "
         'one stream of `volc_live_scheduled_relay_sources`; the other apps or streams went on.',
         'An unexpected error stopped the work on this item (the others went on): this is a bug in the '
         'volcengine.cloud collection; please report it with the task and the RequestIds.'),
    )),

)

# The sections whose advice is given for errors of these actions only (a code there may have other advice elsewhere).
ACTION_SCOPED_SECTIONS = {
    'scheduled': ('CreateRelaySourceV4', 'UpdateRelaySourceV4', 'DeleteRelaySourceV4', 'ListRelaySourceV4'),
}
# code -> the sentence that says what to do about it (advice_for), from the sections for any action.
ERROR_ADVICE = {code: advice for section, records in ERROR_REFERENCE if section not in ACTION_SCOPED_SECTIONS
                for code, _http, _meaning, advice in records}
# (action, code) -> the sentence, from the sections for some actions only.
ACTION_ADVICE = {(action, code): advice for section, records in ERROR_REFERENCE if section in ACTION_SCOPED_SECTIONS
                 for action in ACTION_SCOPED_SECTIONS[section] for code, _http, _meaning, advice in records}

# Codes that mean "slow down": always retried with backoff, whatever the HTTP status.
THROTTLING_CODES = frozenset((
    'FlowLimitExceeded',
    'AccountFlowLimitExceeded',
    'RequestLimitExceeded',
    'Throttling',
    'ThrottlingException',
    'TooManyRequests',
))

# Codes that are transient on the server side: retried with backoff.
TRANSIENT_CODES = frozenset((
    'InternalError',
    'InternalError.DB',
    'InternalServiceError',
    'InternalServiceError.BadResponse',
    'InternalServiceTimeout',
    'ServiceUnavailableTemp',
    'FailToConnect',
))

# HTTP 429 normally means throttling, but this code (sent with 429) means "already exists": never retried.
ALREADY_EXISTS_CODE = 'RequestLimitExceeded.Exist'

GENERIC_ADVICE = 'See the API message above; check the task parameters and credentials, and contact Volcengine ' \
                 'support with the RequestId if it persists.'


def advice_for(code, action=None):
    """The sentence that says what to do about ``code`` (of an error of ``action``, when known); a generic sentence
    for unknown codes. For an action of ACTION_SCOPED_SECTIONS, a code its table lacks gets the advice of the code it
    refines, if the table has that (``InvalidParam.Something`` that of ``InvalidParam``): those actions' documentation
    lists few codes, and the refusals it does not list still need the advice of their kind."""
    if (action, code) in ACTION_ADVICE:
        return ACTION_ADVICE[(action, code)]
    if isinstance(code, str) and '.' in code and (action, code.split('.', 1)[0]) in ACTION_ADVICE:
        return ACTION_ADVICE[(action, code.split('.', 1)[0])]
    if code in ERROR_ADVICE:
        return ERROR_ADVICE[code]
    return GENERIC_ADVICE


# Codes of a request whose signature or credential scope was refused: a wrong region (part of the scope the
# signature covers) causes them as surely as a wrong key does.
REGION_SENSITIVE_CODES = frozenset(('SignatureDoesNotMatch', 'InvalidCredential', 'InvalidAuthorization'))
# A credential scope as a message quotes it, <date>/<region>/<service>/request (the access key may come before it).
_CREDENTIAL_SCOPE = re.compile(r'(?<![0-9])[0-9]{8}/([A-Za-z0-9_-]{1,64})/[A-Za-z0-9_-]{1,64}/request\b')
# A message that says the region is wrong, in the words gateways use: "Credential should be scoped to a valid
# region, not 'x'", "the region 'x' is wrong; expecting 'y'", "invalid region", "region mismatch".
_REGION_IS_WRONG = re.compile(
    r'\b(?:invalid|wrong|unknown|unsupported|incorrect|mismatched|valid)\s+region\b'
    r'|\bregion\b[^.;]{0,80}?(?:\bis\s+(?:wrong|invalid|incorrect|unknown|not\s+(?:valid|supported|allowed))\b'
    r'|\bdoes\s*(?:not|n\'t)\s+match\b|\bmismatch|\bexpect(?:ed|ing)?\b|\bshould\s+be\b)', re.IGNORECASE)


def advice_key_for(code, message, region=None, answer_region=None):
    """The ERROR_ADVICE key for an API error: WRONG_REGION for a REGION_SENSITIVE_CODES error whose answer shows
    that the region is wrong, else ``code``.

    The region is wrong when the message quotes a credential scope (``<date>/<region>/<service>/request``) whose
    region is not ``region`` (the one the request was signed for), or quotes two scopes of different regions (what
    was signed and what was expected), or says so in words ("should be scoped to a valid region"), or when the
    answer's ``ResponseMetadata.Region`` (``answer_region``) is another region than ``region``.
    """
    if code not in REGION_SENSITIVE_CODES:
        return code
    text = message if isinstance(message, str) else ''
    scoped = set(_CREDENTIAL_SCOPE.findall(text))
    if len(scoped) > 1 or (region and scoped and scoped != set([region])):
        return WRONG_REGION
    if _REGION_IS_WRONG.search(text):
        return WRONG_REGION
    if region and isinstance(answer_region, str) and answer_region.strip() and answer_region.strip() != region:
        return WRONG_REGION
    return code


# Terminal escape sequences: CSI (ESC [ ... or the 8-bit CSI), OSC/DCS/PM/APC strings up to their terminator,
# and the two-character ESC forms. Removed whole, so no "[31m" debris is left in a message.
_ESCAPE_SEQUENCE = re.compile(
    r'(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?'
    r'|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?'
    r'|\x1b[ -/]*[0-~]?')


def clean_text(text, limit=MESSAGE_LIMIT):
    """Server text made safe for a one-line message: escape sequences and control/format characters removed,
    whitespace collapsed, at most ``limit`` characters (None: no cut). None stays None."""
    if text is None:
        return None
    text = str(text)
    if limit is not None:
        text = text[:limit * 8]  # bounds the work below; what survives is cut to `limit` anyway
    # Categories C*: control, format (bidirectional overrides, zero-width), surrogate, private use, unassigned.
    # Whitespace among them (newline, tab...) becomes a space; the rest goes.
    text = ''.join(character if unicodedata.category(character)[0] != 'C' else ' ' if character.isspace() else ''
                   for character in _ESCAPE_SEQUENCE.sub('', text))
    text = ' '.join(text.split())
    if limit is not None and len(text) > limit:
        text = text[:limit - 3] + '...'
    return text


class VolcengineError(Exception):
    """Base error. ``str()`` holds action, code, message, HTTP status and RequestId, never a secret."""

    def __init__(self, message, action=None, code=None, http_status=None, request_id=None):
        self.action = action
        self.code = clean_text(code, CODE_LIMIT)
        self.message = clean_text(message)
        self.http_status = http_status
        self.request_id = clean_text(request_id, REQUEST_ID_LIMIT)
        # How many HTTP attempts the call made (set by the client); full_message() mentions retries only when > 1.
        self.attempts = 1
        # The ERROR_ADVICE key of the advice when it is not the code's own (set by the client, see advice_key_for).
        self.advice_key = None
        super(VolcengineError, self).__init__(self.summary())

    @property
    def advice(self):
        return advice_for(self.advice_key or self.code, self.action)

    def summary(self):
        """'<Action> failed: <Code>: <message> (HTTP <status>, RequestId <id>)' with unknown parts omitted."""
        head = '%s failed' % self.action if self.action else 'Volcengine API call failed'
        detail = ': '.join(part for part in (self.code, self.message) if part)
        text = head + (': ' + detail if detail else '')
        extras = []
        if self.http_status is not None:
            extras.append('HTTP %s' % self.http_status)
        if self.request_id:
            extras.append('RequestId %s' % self.request_id)
        if extras:
            text += ' (%s)' % ', '.join(extras)
        return text

    def __str__(self):
        return self.summary()

    def full_message(self):
        """The summary, how often it was retried (only when it was), then the advice: what ``fail_json(msg=)`` shows."""
        retried = ''
        if self.attempts > 1:
            retries = self.attempts - 1
            retried = ' It was retried %d time%s with backoff.' % (retries, '' if retries == 1 else 's')
        return '%s.%s %s' % (self.summary(), retried, self.advice)

    def to_result(self):
        return {
            'error': {'code': self.code, 'message': self.message},
            'request_id': self.request_id,
            'http_status': self.http_status,
        }


class VolcengineAPIError(VolcengineError):
    """The API answered with ``ResponseMetadata.Error``."""


class VolcengineTransportError(VolcengineError):
    """No usable answer: connection failure, timeout, TLS failure, empty or non-JSON body."""


class VolcengineResponseError(VolcengineError):
    """An answer without ``ResponseMetadata.Error`` whose ``Result`` has a shape the collection does not understand.

    ``code`` is ``InvalidResponse``; ``path`` names the odd field, e.g.
    ``Result.RelaySourceConfigList[0].GroupDetails[1].Servers``, and starts the message.
    """

    def __init__(self, path, problem, action=None, http_status=None, request_id=None):
        self.path = path
        super(VolcengineResponseError, self).__init__('%s %s' % (path, problem), action=action, code=INVALID_RESPONSE,
                                                      http_status=http_status, request_id=request_id)
