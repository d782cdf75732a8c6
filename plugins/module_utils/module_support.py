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

from ansible.module_utils.basic import env_fallback, missing_required_lib

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

DEFAULT_RATE_LIMIT = 10.0

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


def volcengine_argument_spec():
    """The connection options every module accepts; merge the module's own options into a copy of it."""
    return dict(
        access_key=dict(type='str', no_log=False, fallback=(env_fallback, [ENV_ACCESS_KEY])),
        secret_key=dict(type='str', no_log=True, fallback=(env_fallback, [ENV_SECRET_KEY])),
        session_token=dict(type='str', no_log=True, fallback=(env_fallback, [ENV_SESSION_TOKEN])),
        region=dict(type='str', default=DEFAULT_REGION, fallback=(env_fallback, [ENV_REGION])),
        endpoint=dict(type='str', default=DEFAULT_ENDPOINT, fallback=(env_fallback, [ENV_ENDPOINT])),
        validate_certs=dict(type='bool', default=True),
        ca_bundle=dict(type='path'),
        timeout=dict(type='float', default=float(DEFAULT_TIMEOUT)),
        max_retries=dict(type='int', default=DEFAULT_MAX_RETRIES),
        # No spec default or env_fallback: client_from_module reads VOLCENGINE_RATE_LIMIT itself, so that a bad
        # value there fails naming the variable, not only the option.
        rate_limit=dict(type='float'),
    )


def client_from_module(module):
    """Build a VolcengineClient from the module's parameters; makes no request.

    Fails the module (before any network traffic) when requests is missing, when a credential is missing or holds
    something no credential has (the message names the option, never the value), or when an option is out of
    range.
    """
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
        return None
    params = module.params
    if not params.get('access_key'):
        module.fail_json(msg='Missing access key: set the access_key option or the %s environment variable.'
                         % ENV_ACCESS_KEY)
        return None
    if not params.get('secret_key'):
        module.fail_json(msg='Missing secret key: set the secret_key option or the %s environment variable.'
                         % ENV_SECRET_KEY)
        return None
    try:
        check_credentials(params['access_key'], params['secret_key'], params.get('session_token'), env_names=dict(
            access_key=ENV_ACCESS_KEY, secret_key=ENV_SECRET_KEY, session_token=ENV_SESSION_TOKEN))
    except InvalidCredentialError as exc:
        module.fail_json(msg=str(exc))
        return None
    timeout = params.get('timeout')
    if timeout is None:
        timeout = float(DEFAULT_TIMEOUT)
    timeout = _checked_number(module, 'timeout', timeout, TIMEOUT_RANGE, TIMEOUT_ACCEPTED)
    max_retries = params.get('max_retries')
    if max_retries is None:
        max_retries = DEFAULT_MAX_RETRIES
    max_retries = _checked_number(module, 'max_retries', max_retries, MAX_RETRIES_RANGE, MAX_RETRIES_ACCEPTED)
    rate = _rate_limit(module)
    rate_limiter = HostRateLimiter(rate, key=params['access_key'], on_warning=module.warn) if rate > 0 else None
    _warn_about_transport(module, params.get('endpoint') or DEFAULT_ENDPOINT, params.get('validate_certs', True) is not False)
    try:
        return VolcengineClient(
            access_key=params['access_key'],
            secret_key=params['secret_key'],
            session_token=params.get('session_token') or None,
            region=params.get('region') or DEFAULT_REGION,
            endpoint=params.get('endpoint') or DEFAULT_ENDPOINT,
            timeout=timeout,
            validate_certs=params.get('validate_certs', True) is not False,
            ca_bundle=params.get('ca_bundle') or None,
            max_retries=max_retries,
            rate_limiter=rate_limiter,
        )
    except ValueError as exc:
        module.fail_json(msg='Invalid endpoint option: %s. Set endpoint (or %s) to a URL such as %s.'
                         % (exc, ENV_ENDPOINT, DEFAULT_ENDPOINT))
        return None


def _checked_number(module, option, value, bounds, accepted, source=None):
    """``value`` when it is a finite number within ``bounds`` (smallest, largest); otherwise fails the module,
    before any request, naming ``option`` (and ``source``, the environment variable it was read from)."""
    smallest, largest = bounds
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if is_number and smallest <= value <= largest:
        return value
    name = option if source is None else '%s (read because the %s option is not set)' % (source, option)
    shown = value if isinstance(value, (int, float)) else 'a value that is not a number'
    module.fail_json(msg='%s must be %s, got %s.' % (name, accepted, shown))
    return None


def _rate_limit(module):
    """The rate_limit option, else the VOLCENGINE_RATE_LIMIT environment variable (empty counts as unset), else
    DEFAULT_RATE_LIMIT; 0 means no limiter. Out of range or not a number fails the module."""
    value, source = module.params.get('rate_limit'), None
    if value is None:
        text = os.environ.get(ENV_RATE_LIMIT, '').strip()
        if not text:
            return DEFAULT_RATE_LIMIT
        source = ENV_RATE_LIMIT
        try:
            value = float(text)
        except ValueError:
            value = None
    if value == 0:
        return 0.0
    return _checked_number(module, 'rate_limit', value, RATE_LIMIT_RANGE, RATE_LIMIT_ACCEPTED, source)


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
    if client is None:
        return []
    return list(getattr(client, 'request_ids', []) or [])


def fail_from_error(module, error, context='', **extra):
    """fail_json for a VolcengineError: msg says what failed and what to do, then ``context`` (e.g. what a
    module had already applied); error/request_id/http_status carry the details. ``extra`` (e.g.
    request_ids, changed, diff) is added to the result as is."""
    result = error.to_result()
    result.update(extra)
    message = error.full_message()
    module.fail_json(msg='%s %s' % (message, context) if context else message, **result)
