# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.volcengine.cloud.plugins.module_utils import errors

SEED_CODES = [
    'CommonErr', 'InvalidParam', 'InvalidParam.BindError', 'RequestForbidden', 'RequestForbidden.AccountIDNotAllow',
    'RequestForbidden.BillingStatus', 'ResourceNotFound', 'RequestLimitExceeded.Exist', 'InternalError',
    'InternalError.DB', 'InternalServiceError', 'InternalServiceError.BadResponse', 'InternalServiceTimeout',
]
COMMON_CODES = [
    'MissingParameter', 'MissingRequestInfo', 'InvalidAuthorization', 'InvalidCredential',
    'MissingAuthenticationToken', 'MissingSignature', 'InvalidAccessKey', 'InvalidClientTokenId',
    'SignatureDoesNotMatch', 'InvalidSecretToken', 'InvalidTimestamp', 'LackPolicy', 'AccessDenied',
    'ServiceNotFound', 'InvalidActionOrVersion', 'FlowLimitExceeded', 'AccountFlowLimitExceeded',
    'ServiceUnavailableTemp', 'FailToConnect',
]
PSEUDO_CODES = [errors.CONNECTION_ERROR, errors.TIMEOUT, errors.TLS_VERIFICATION_FAILED, errors.NON_JSON_RESPONSE,
                errors.EMPTY_RESPONSE, errors.INVALID_ENVELOPE, errors.HTTP_ERROR]


@pytest.mark.parametrize('code', SEED_CODES + COMMON_CODES + PSEUDO_CODES)
def test_every_code_has_a_sentence_saying_what_to_do(code):
    advice = errors.ERROR_ADVICE[code]
    assert advice == errors.advice_for(code)
    assert advice[0].isupper() and advice.rstrip().endswith('.')
    assert len(advice) > 30
    assert advice != errors.GENERIC_ADVICE


def test_unknown_code_gets_generic_advice():
    assert errors.advice_for('SomethingNew') == errors.GENERIC_ADVICE
    assert errors.advice_for(None) == errors.GENERIC_ADVICE


def test_throttling_codes():
    assert {'FlowLimitExceeded', 'AccountFlowLimitExceeded'} <= errors.THROTTLING_CODES
    assert errors.ALREADY_EXISTS_CODE not in errors.THROTTLING_CODES
    assert isinstance(errors.THROTTLING_CODES, frozenset)


def test_credential_advice_names_options():
    assert 'secret_key' in errors.ERROR_ADVICE['SignatureDoesNotMatch']
    assert 'NTP' in errors.ERROR_ADVICE['InvalidTimestamp']
    assert 'session_token' in errors.ERROR_ADVICE['InvalidSecretToken']
    assert 'ca_bundle' in errors.ERROR_ADVICE[errors.TLS_VERIFICATION_FAILED]
    assert 'already exists' in errors.ERROR_ADVICE['RequestLimitExceeded.Exist']


def test_str_has_action_code_message_status_and_request_id():
    error = errors.VolcengineAPIError('Vhost is invalid', action='UpdateRelaySourceV3', code='InvalidParam',
                                      http_status=400, request_id='2024REQ1')
    text = str(error)
    for part in ('UpdateRelaySourceV3', 'InvalidParam', 'Vhost is invalid', 'HTTP 400', 'RequestId 2024REQ1'):
        assert part in text
    assert error.advice == errors.ERROR_ADVICE['InvalidParam']
    assert error.full_message().startswith(text)
    assert error.full_message().endswith(error.advice)
    assert isinstance(error, errors.VolcengineError)


def test_str_omits_unknown_parts():
    error = errors.VolcengineTransportError('could not connect', code=errors.CONNECTION_ERROR)
    assert str(error) == 'Volcengine API call failed: ConnectionError: could not connect'
    assert error.action is None and error.http_status is None and error.request_id is None


def test_to_result_shape():
    error = errors.VolcengineAPIError('m', action='A', code='C', http_status=403, request_id='R')
    assert error.to_result() == {'error': {'code': 'C', 'message': 'm'}, 'request_id': 'R', 'http_status': 403}


def test_message_is_single_line_and_bounded():
    error = errors.VolcengineAPIError('line1\nline2\t' + 'x' * 2000, code='C')
    assert '\n' not in str(error)
    assert len(error.message) <= 500
