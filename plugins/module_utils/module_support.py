# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every volcengine.cloud module shares: the connection options, client construction and error reporting.

Documented for users in plugins/doc_fragments/volcengine.py; keep the two in step.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress
import math
import os

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover
    from urlparse import urlsplit

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
)
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


def env_fallback_ignoring_empty(*names):
    """Ansible's env_fallback, except that a variable set to an empty or blank value counts as unset (AWX injects an
    optional credential field left empty that way), so the option's default applies."""
    for name in names:
        value = os.environ.get(name, '')
        if value.strip():
            return value
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
        rate_limit=dict(type='float', default=DEFAULT_RATE_LIMIT, fallback=(env_fallback_ignoring_empty, [ENV_RATE_LIMIT])),
    )


def client_from_module(module):
    """Build a VolcengineClient from the module's parameters; makes no request.

    Fails the module (before any network traffic) when requests is missing, when a credential is missing or holds
    something no credential has (the message names the option, never the value), or when an option is out of
    range.
    """
    return client_factory_from_module(module)()


def client_factory_from_module(module):
    """Check the connection options as client_from_module does (failing the module before any request), warn about
    the transport once, and return a function that builds a new VolcengineClient on each call.

    A client (its requests.Session, its RequestIds) belongs to one thread at a time: a module that works in several
    threads gives each one its own. All the clients of one factory share one HostRateLimiter, so they keep to
    ``rate_limit`` together with every other process of the controller that uses the access key.
    """
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
        _check_number(module, 'rate_limit', RATE_LIMIT_RANGE, RATE_LIMIT_ACCEPTED, ENV_RATE_LIMIT)
    rate_limiter = None
    if params['rate_limit'] > 0:
        rate_limiter = HostRateLimiter(params['rate_limit'], key=params['access_key'], on_warning=module.warn)

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


def _check_number(module, option, bounds, accepted, environment_variable=None):
    """Fails the module, before any request, unless the option is a finite number within ``bounds`` (smallest,
    largest); the message names the option (and the environment variable it may come from)."""
    value = module.params[option]
    smallest, largest = bounds
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if is_number and smallest <= value <= largest:
        return
    shown = value if isinstance(value, (int, float)) else 'a value that is not a number'
    source = '' if environment_variable is None else ' (from the %s option, or from %s when the option is not set)' % (
        option, environment_variable)
    module.fail_json(msg='%s must be %s, got %s%s.' % (option, accepted, shown, source))


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
