# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.cloud collection: not an API for other collections, roles or plugins. It may change
# incompatibly, or go, in any release of the collection (a patch release included) without notice.
"""What every volcengine.cloud module shares: the connection options, client construction and error reporting.

Documented for users in plugins/doc_fragments/volcengine.py; keep the two in step.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress
import math
import os
from urllib.parse import unquote, urlsplit

from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.errors import AnsibleFallbackNotFound

from ansible_collections.volcengine.cloud.plugins.module_utils.client import (
    DEFAULT_ENDPOINT,
    DEFAULT_MAX_RETRIES,
    DEFAULT_REGION,
    DEFAULT_TIMEOUT,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    InvalidCredentialError,
    VolcengineClient,
    check_credentials,
    endpoint_for_messages,
    endpoint_userinfo,
)
from ansible_collections.volcengine.cloud.plugins.module_utils.errors import clean_text
from ansible_collections.volcengine.cloud.plugins.module_utils.rate_limit import HostRateLimiter

DEFAULT_RATE_LIMIT = 10.0  # requests/second: the API's limit per account

# What each numeric option accepts, (smallest, largest) and in words; the doc fragment states the same (a unit
# test checks). rate_limit also accepts exactly 0 (no client-side limit).
TIMEOUT_RANGE = (0.1, 3600.0)
TIMEOUT_ACCEPTED = 'a number of seconds from 0.1 to 3600'
MAX_RETRIES_RANGE = (0, 20)
MAX_RETRIES_ACCEPTED = 'a whole number from 0 to 20'
RATE_LIMIT_RANGE = (0.1, 1000.0)
RATE_LIMIT_ACCEPTED = '0 (no client-side limit) or a number of requests per second from 0.1 to 1000'

# Environment variables read when an option is not set (the names Volcengine's Terraform provider uses).
# Never an ANSIBLE_ prefix: AWX/Automation Controller reserves it for its own injectors.
ENV_ACCESS_KEY = 'VOLCENGINE_ACCESS_KEY'
ENV_SECRET_KEY = 'VOLCENGINE_SECRET_KEY'
ENV_SESSION_TOKEN = 'VOLCENGINE_SESSION_TOKEN'
ENV_REGION = 'VOLCENGINE_REGION'
ENV_ENDPOINT = 'VOLCENGINE_ENDPOINT'
ENV_RATE_LIMIT = 'VOLCENGINE_RATE_LIMIT'

# A user name or password piece of an endpoint's userinfo shorter than this is not masked on its own (the whole
# endpoint and the whole userinfo always are): masking "a" would garble every "a" of the module's output, and a
# secret that short protects nothing.
SHORTEST_MASKED_PIECE = 3


def env_fallback_ignoring_empty(*names):
    """Ansible's env_fallback, except that a variable set to an empty or blank value counts as unset (AWX injects an
    optional credential field left empty that way), so the option's default applies."""
    for name in names:
        value = os.environ.get(name, '')
        if value.strip():
            return value
    raise AnsibleFallbackNotFound


class EnvironmentNumber(float):
    """A number option's value read by number_from_environment: the number, and ``variable``, the environment
    variable that held it (so a message can say where the value came from). When the variable held no number the
    value is NaN (which the range checks refuse anyway) and ``problem`` says what is wrong with it."""

    def __new__(cls, value, variable, text, problem=None):
        number = super(EnvironmentNumber, cls).__new__(cls, value)
        number.variable = variable
        number.text = text
        number.problem = problem
        return number


# At most this much of an environment variable's text is quoted in a message (a number is far shorter).
QUOTED_ENVIRONMENT_TEXT = 40


def number_from_environment(*names):
    """env_fallback_ignoring_empty for a numeric option: the first variable set to a non-blank value, as an
    EnvironmentNumber.

    Text that is not a number does not reach Ansible's type check, whose message ("argument 'rate_limit' is of type
    str and we were unable to convert to float") names neither the variable nor where the value came from; it
    becomes a NaN that remembers the variable, and _check_number fails the module with a message naming it, before
    any request. Only options whose value is no secret may use this: the message quotes the text."""
    for name in names:
        text = os.environ.get(name, '')
        if not text.strip():
            continue
        try:
            return EnvironmentNumber(float(text.strip()), name, text)
        except ValueError:
            return EnvironmentNumber(float('nan'), name, text, problem='not a number')
    raise AnsibleFallbackNotFound


def volcengine_argument_spec():
    """The connection options every module accepts; merge the module's own options into a copy of it. It owns the
    options' defaults: client_from_module passes the values on as they are."""
    return dict(
        access_key=dict(type='str', no_log=False, fallback=(env_fallback_ignoring_empty, [ENV_ACCESS_KEY])),
        secret_key=dict(type='str', no_log=True, fallback=(env_fallback_ignoring_empty, [ENV_SECRET_KEY])),
        session_token=dict(type='str', no_log=True, fallback=(env_fallback_ignoring_empty, [ENV_SESSION_TOKEN])),
        region=dict(type='str', default=DEFAULT_REGION, fallback=(env_fallback_ignoring_empty, [ENV_REGION])),
        endpoint=dict(type='str', default=DEFAULT_ENDPOINT, fallback=(env_fallback_ignoring_empty, [ENV_ENDPOINT])),
        validate_certs=dict(type='bool', default=True),
        ca_bundle=dict(type='path'),
        timeout=dict(type='float', default=DEFAULT_TIMEOUT),
        max_retries=dict(type='int', default=DEFAULT_MAX_RETRIES),
        rate_limit=dict(type='float', default=DEFAULT_RATE_LIMIT, fallback=(number_from_environment, [ENV_RATE_LIMIT])),
    )


def client_from_module(module, stop=None):
    """Build a VolcengineClient from the module's parameters; makes no request.

    Fails the module (before any network traffic) when requests is missing, when a credential is missing or holds
    something no credential has (the message names the option, never the value), or when an option is out of
    range.
    """
    return client_factory_from_module(module, stop)()


def client_factory_from_module(module, stop=None):
    """Check the connection options as client_from_module does (failing the module before any request), warn about
    the transport once, and return a function that builds a new VolcengineClient on each call.

    A client (its requests.Session, its RequestIds) belongs to one thread at a time: a module that works in several
    threads gives each one its own. All the clients of one factory share one HostRateLimiter, so they keep to
    ``rate_limit`` together with every other process of the controller that uses the access key. ``stop`` (an
    interrupts.StopFlag) stops their writes on SIGINT/SIGTERM.
    """
    refuse_endpoint_userinfo(module)
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    params = module.params
    if not params['access_key']:
        module.fail_json(msg='Missing access key: set the access_key option or the %s environment variable.'
                         % ENV_ACCESS_KEY)
    if not params['secret_key']:
        module.fail_json(msg='Missing secret key: set the secret_key option or the %s environment variable.'
                         % ENV_SECRET_KEY)
    try:
        check_credentials(params['access_key'], params['secret_key'], params['session_token'], env_names=dict(
            access_key=ENV_ACCESS_KEY, secret_key=ENV_SECRET_KEY, session_token=ENV_SESSION_TOKEN))
    except InvalidCredentialError as exc:
        module.fail_json(msg=str(exc))
    _check_number(module, 'timeout', TIMEOUT_RANGE, TIMEOUT_ACCEPTED)
    _check_number(module, 'max_retries', MAX_RETRIES_RANGE, MAX_RETRIES_ACCEPTED)
    if params['rate_limit'] != 0:
        _check_number(module, 'rate_limit', RATE_LIMIT_RANGE, RATE_LIMIT_ACCEPTED)
    rate_limiter = None
    if params['rate_limit'] > 0:
        rate_limiter = HostRateLimiter(float(params['rate_limit']), key=params['access_key'], on_warning=module.warn)

    def build():
        return VolcengineClient(
            access_key=params['access_key'],
            secret_key=params['secret_key'],
            session_token=params['session_token'],
            region=params['region'],
            endpoint=params['endpoint'],
            timeout=params['timeout'],
            validate_certs=params['validate_certs'],
            ca_bundle=params['ca_bundle'],
            max_retries=params['max_retries'],
            rate_limiter=rate_limiter,
            stop=stop,
        )

    try:
        unused = [build()]  # checks the endpoint now; handed out by the first call
    except ValueError as exc:
        module.fail_json(msg='Invalid endpoint option: %s. Set endpoint (or %s) to a URL such as %s.'
                         % (exc, ENV_ENDPOINT, DEFAULT_ENDPOINT))
    _warn_about_transport(module, unused[0].endpoint, unused[0].validate_certs)

    def new_client():
        return unused.pop() if unused else build()
    return new_client


def refuse_endpoint_userinfo(module):
    """Fails the module, before any request, when the endpoint holds userinfo (``http://user:password@host``).

    The API never uses it (credentials are access_key/secret_key; the client would not send it anyway), and a
    password in an option is shown by Ansible in the result's ``invocation`` at -vvv. So first the endpoint (as given
    and stripped) and its userinfo go into the module's ``no_log_values``, which AnsibleModule masks in everything it
    prints from then on (``invocation`` included: the endpoint shows as VALUE_SPECIFIED_IN_NO_LOG_PARAMETER), and so
    do the user name and the password (as written and percent-decoded) on their own, except a piece shorter than
    SHORTEST_MASKED_PIECE or one that the failure message contains anyway (a user name such as "user"): masking
    those would garble the message while hiding nothing. Then the module fails with a message that shows the
    endpoint with ``***@`` in place of the userinfo.

    client_factory_from_module calls it first; a module that can fail before building its client should call it
    right after creating its AnsibleModule.
    """
    endpoint = module.params.get('endpoint')
    if not isinstance(endpoint, str):
        return
    userinfo = endpoint_userinfo(endpoint)
    if userinfo is None:
        return
    message = ('Invalid endpoint option: it must not contain a user name or password (%s: the part before @ is not '
               'shown). Set endpoint (or %s) to the URL without them, and put the credentials in access_key and '
               'secret_key (or %s and %s).'
               % (endpoint_for_messages(endpoint.strip()), ENV_ENDPOINT, ENV_ACCESS_KEY, ENV_SECRET_KEY))
    user, unused, password = userinfo.partition(':')
    secrets = set([endpoint, endpoint.strip(), userinfo])
    secrets.update(piece for piece in (user, password, unquote(user), unquote(password))
                   if len(piece) >= SHORTEST_MASKED_PIECE and piece not in message)
    module.no_log_values.update(secret for secret in secrets if secret)
    module.fail_json(msg=message)


def _check_number(module, option, bounds, accepted):
    """Fails the module, before any request, unless the option is a finite number within ``bounds`` (smallest,
    largest); the message names the option, and the environment variable when the value came from one (an
    EnvironmentNumber), quoting the variable's text and saying what is wrong with it."""
    value = module.params[option]
    smallest, largest = bounds
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if is_number and smallest <= value <= largest:
        return
    if isinstance(value, EnvironmentNumber):
        problem = value.problem or ('out of range' if math.isfinite(value) else 'not a finite number')
        module.fail_json(msg='The %s environment variable (read because the %s option is not set) is "%s", which is %s; '
                         '%s must be %s. Correct or unset the variable, or set the %s option.' % (
                             value.variable, option, clean_text(value.text.strip(), QUOTED_ENVIRONMENT_TEXT), problem,
                             option, accepted, option))
    shown = value if isinstance(value, (int, float)) else 'a value that is not a number'
    module.fail_json(msg='%s must be %s, got %s.' % (option, accepted, shown))


def _is_loopback(host):
    if host.rstrip('.') == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host).is_loopback  # 127.0.0.0/8 and ::1
    except ValueError:
        return False


def _warn_about_transport(module, endpoint, validate_certs):
    """module.warn, once each, when requests would leave this machine unprotected: plain HTTP, or TLS without
    certificate verification. Loopback endpoints (127.0.0.0/8, ::1, localhost) never warn: that traffic stays on
    the host. The warning names the host only, never the URL (it may hold userinfo) or a credential."""
    endpoint = endpoint.strip()
    try:
        parts = urlsplit(endpoint if '://' in endpoint else 'https://' + endpoint)
        host = parts.hostname
    except ValueError:
        return  # the client refuses a malformed endpoint with its own message
    if not host or _is_loopback(host):
        return
    scheme = parts.scheme.lower()
    if scheme == 'http':
        module.warn('The endpoint uses plain HTTP to %s: the signed requests (with the session token, if any) and '
                    'the answers cross the network unencrypted, where anyone on the path can read and change them. '
                    'Use an https:// endpoint.' % host)
    elif scheme == 'https' and not validate_certs:
        module.warn('validate_certs is false: the TLS certificate of %s is not verified, so anyone on the network '
                    'path can impersonate the endpoint, read the signed requests (with the session token, if any) '
                    'and change the answers. Set ca_bundle to trust a private CA instead.' % host)


def request_ids_of(client):
    """The RequestIds of every API answer the client received, for a module's `request_ids` return value."""
    return list(client.request_ids)


def fail_from_error(module, error, context='', lead='', **extra):
    """fail_json for a VolcengineError: msg says what failed and what to do, then ``context`` (e.g. what a
    module had already applied); ``lead``, when given, comes first (e.g. which of many items the error is
    about). error/request_id/http_status carry the details. ``extra`` (e.g. request_ids, changed, diff) is
    added to the result as is."""
    result = error.to_result()
    result.update(extra)
    message = ' '.join(part for part in (lead, error.full_message(), context) if part)
    module.fail_json(msg=message, **result)
