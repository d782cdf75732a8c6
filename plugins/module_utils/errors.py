# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exceptions raised by the Volcengine client and the table that says what to do about each error code.

The text of an exception is built only from the action, the code, the API's message, the HTTP status and
the RequestId: never from request headers, the signature or the credentials.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

# Pseudo codes for failures that produced no API error envelope (set by the client, never by the API).
CONNECTION_ERROR = 'ConnectionError'
TIMEOUT = 'Timeout'
TLS_VERIFICATION_FAILED = 'TLSVerificationFailed'
NON_JSON_RESPONSE = 'NonJSONResponse'
EMPTY_RESPONSE = 'EmptyResponse'
INVALID_ENVELOPE = 'InvalidResponseEnvelope'
HTTP_ERROR = 'HTTPError'
# Set by the boundary check of an answer's shape (module_utils/answer_shape.py), never by the API.
INVALID_RESPONSE = 'InvalidResponse'

_TRANSIENT = 'This is usually transient; the client already retried it with backoff. Run the task again later; ' \
             'if it persists, contact Volcengine support with the RequestId.'
_CLIENT_BUG = 'This is a bug in the volcengine.cloud collection (the request was malformed); please report it ' \
              'with the RequestId.'

ERROR_ADVICE = {
    # Codes of the relay-source actions (seed page).
    'CommonErr': 'Unclassified server error; it was retried automatically. Run the task again, and if it keeps '
                 'failing contact Volcengine support with the RequestId.',
    'InvalidParam': 'A parameter is invalid; check the values against the module documentation '
                    '(vhost, app, group names, server domains and protocol).',
    'InvalidParam.BindError': 'A parameter failed validation; check the parameter types (strings for domains, '
                              'protocol and parameter values, a list of servers for each group).',
    'RequestForbidden': 'The account has no such resource: check that the vhost (domain space), domain and app '
                        'exist in this Volcengine account and region.',
    'RequestForbidden.AccountIDNotAllow': 'This account may not access the resource: check that the vhost '
                                          'belongs to the account of the access key.',
    'RequestForbidden.BillingStatus': 'Volcengine Live is not activated for this account or the account is in '
                                      'arrears: activate the service or top up the account.',
    'ResourceNotFound': 'The resource was not found: check the vhost, app and group names; if they are right, '
                        'retry later and then contact Volcengine support with the RequestId.',
    'RequestLimitExceeded.Exist': 'The resource to create already exists (the API reports this with HTTP 429, '
                                  'but it is not throttling): read the current configuration and update it instead.',
    'InternalError': _TRANSIENT,
    'InternalError.DB': 'Internal database error at Volcengine. ' + _TRANSIENT,
    'InternalServiceError': _TRANSIENT,
    'InternalServiceError.BadResponse': _TRANSIENT,
    'InternalServiceTimeout': _TRANSIENT,
    # Common (gateway) codes: signature, credentials, permissions, routing, throttling.
    'MissingParameter': _CLIENT_BUG,
    'MissingRequestInfo': 'The request lacked X-Date, the access key or the region. ' + _CLIENT_BUG,
    'InvalidAuthorization': 'The Authorization header was rejected: check that access_key is a valid '
                            'Volcengine access key ID (no spaces or quotes).',
    'InvalidCredential': 'The credential was rejected: check the access_key format and the region option.',
    'MissingAuthenticationToken': 'No credentials reached the API: set access_key and secret_key '
                                  '(or VOLCENGINE_ACCESS_KEY and VOLCENGINE_SECRET_KEY).',
    'MissingSignature': 'No signature reached the API: set access_key and secret_key, and check that no proxy '
                        'strips the Authorization header.',
    'InvalidAccessKey': 'The access key does not exist or is disabled: check access_key in the Volcengine '
                        'console (IAM > access keys).',
    'InvalidClientTokenId': 'The access key does not exist or is disabled: check access_key in the Volcengine '
                            'console (IAM > access keys).',
    'SignatureDoesNotMatch': 'The signature did not match: check that secret_key belongs to access_key, and that '
                             'no proxy rewrites the request.',
    'InvalidSecretToken': 'The STS session token is invalid or expired: obtain new temporary credentials and '
                          'set session_token (or VOLCENGINE_SESSION_TOKEN) again.',
    'InvalidTimestamp': "The request time is too far from Volcengine's clock: synchronise the controller's "
                        'clock (NTP).',
    'LackPolicy': "The access key's user lacks permission for this action: grant it the Live policy "
                  '(for example VolcengineLiveFullAccess) in IAM.',
    'AccessDenied': "Access denied: grant the access key's user the Live permissions in IAM, and check any "
                    'deny policy or IP restriction.',
    'ServiceNotFound': 'The service was not found at this endpoint: check the endpoint and region options '
                       '(Live uses https://live.volcengineapi.com and cn-north-1).',
    'InvalidActionOrVersion': 'The action or version is not offered at this endpoint: check the endpoint and '
                              'region options.',
    'FlowLimitExceeded': 'Throttled by the API (10 requests/second per account); it was retried with backoff. '
                         'Lower the rate_limit option or the number of forks, then run the task again.',
    'AccountFlowLimitExceeded': 'The account exceeded its request quota; it was retried with backoff. Lower the '
                                'rate_limit option or the number of forks, then run the task again.',
    'ServiceUnavailableTemp': 'The service is temporarily unavailable. ' + _TRANSIENT,
    'FailToConnect': 'The API gateway could not reach the service. ' + _TRANSIENT,
    # Pseudo codes set by the client when no API answer could be used.
    CONNECTION_ERROR: 'Could not connect to the endpoint: check the endpoint option, DNS, the network route and '
                      'any proxy (HTTPS_PROXY / NO_PROXY); it was retried with backoff.',
    TIMEOUT: 'The API did not answer within the timeout; it was retried with backoff. Check the network or '
             'raise the timeout option.',
    TLS_VERIFICATION_FAILED: "The endpoint's TLS certificate could not be verified: install the right CA "
                             'certificates on the controller or point ca_bundle at a CA bundle file; set '
                             'validate_certs=false only for a trusted test endpoint.',
    NON_JSON_RESPONSE: 'The endpoint answered with something that is not the Volcengine API (often a proxy or '
                       'load-balancer error page): check the endpoint option and any proxy, then retry.',
    EMPTY_RESPONSE: 'The endpoint answered with an empty body: check the endpoint option and any proxy, then retry.',
    INVALID_ENVELOPE: 'The answer was JSON but not a Volcengine API envelope: check that the endpoint option '
                      'points at the Volcengine OpenAPI.',
    HTTP_ERROR: 'The endpoint answered with an HTTP error and no API error code: check the endpoint option and any '
                'proxy, then retry.',
    # Set by volc_live_relay_source (relay_source.UNEXPECTED_STATE_CODE) when the read after an update matches
    # neither update semantics.
    'UnexpectedRelaySourceState': 'The configuration read after the update is neither the declared one nor what '
                                  'an upserting API would leave: something else probably changed the app at the '
                                  'same time. No further write was made; find what else manages this app, then '
                                  'run the task again.',
    INVALID_RESPONSE: 'The endpoint answered in a shape the volcengine.cloud collection does not understand (the '
                      'field named above), so the task stopped there and wrote nothing after that answer: check '
                      'that the endpoint option and any proxy lead to the Volcengine OpenAPI, and if they do, '
                      'report it to the collection with the RequestId.',
}

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


def advice_for(code):
    """The sentence that says what to do about ``code``; a generic sentence for unknown codes."""
    if code in ERROR_ADVICE:
        return ERROR_ADVICE[code]
    return GENERIC_ADVICE


def _clean(text, limit=500):
    """Single-line, bounded text for an error message."""
    if text is None:
        return None
    text = ' '.join(str(text).split())
    if len(text) > limit:
        text = text[:limit - 3] + '...'
    return text


class VolcengineError(Exception):
    """Base error. ``str()`` holds action, code, message, HTTP status and RequestId, never a secret."""

    def __init__(self, message, action=None, code=None, http_status=None, request_id=None):
        self.action = action
        self.code = code
        self.message = _clean(message)
        self.http_status = http_status
        self.request_id = request_id
        super(VolcengineError, self).__init__(self.summary())

    @property
    def advice(self):
        return advice_for(self.code)

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
        """The summary followed by the advice sentence: what ``fail_json(msg=...)`` shows."""
        return '%s. %s' % (self.summary(), self.advice)

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
