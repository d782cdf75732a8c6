# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every volcengine.cloud module shares: the connection options, client construction and error reporting.

Documented for users in plugins/doc_fragments/volcengine.py; keep the two in step.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

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
        rate_limit=dict(type='float', default=DEFAULT_RATE_LIMIT, fallback=(env_fallback, [ENV_RATE_LIMIT])),
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
    if timeout <= 0:
        module.fail_json(msg='timeout must be a positive number of seconds, got %s.' % timeout)
        return None
    max_retries = params.get('max_retries')
    if max_retries is None:
        max_retries = DEFAULT_MAX_RETRIES
    if max_retries < 0:
        module.fail_json(msg='max_retries must be 0 or more, got %s.' % max_retries)
        return None
    rate = params.get('rate_limit')
    if rate is None:
        rate = DEFAULT_RATE_LIMIT
    rate_limiter = HostRateLimiter(rate, key=params['access_key']) if rate > 0 else None
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
