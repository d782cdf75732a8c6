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
PSEUDO_CODES = [errors.CONNECTION_ERROR, errors.TIMEOUT, errors.TLS_VERIFICATION_FAILED, errors.ENDPOINT_NOT_TLS,
                errors.NON_JSON_RESPONSE, errors.EMPTY_RESPONSE, errors.INVALID_ENVELOPE, errors.HTTP_ERROR,
                errors.WRONG_REGION]


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


def test_advice_names_the_cause_not_a_neighbour():
    not_tls = errors.ERROR_ADVICE[errors.ENDPOINT_NOT_TLS]
    assert 'http://' in not_tls and 'port' in not_tls and 'CA' not in not_tls and 'validate_certs' not in not_tls
    wrong_region = errors.ERROR_ADVICE[errors.WRONG_REGION]
    assert 'region option (or VOLCENGINE_REGION)' in wrong_region and 'secret_key' not in wrong_region
    assert 'region option' in errors.ERROR_ADVICE['SignatureDoesNotMatch']  # the gateway's message may not say which
    assert errors.WRONG_REGION not in errors.THROTTLING_CODES | errors.TRANSIENT_CODES


SCOPE_MISMATCH = 'the credential scope 20260105/cn-beijing/live/request does not match 20260105/cn-north-1/live/request'


@pytest.mark.parametrize('code, message, region, answer_region, expected', [
    # a scope quoted with another region than the one signed for, or two scopes of different regions
    ('SignatureDoesNotMatch', SCOPE_MISMATCH, 'cn-beijing', None, errors.WRONG_REGION),
    ('SignatureDoesNotMatch', SCOPE_MISMATCH, None, None, errors.WRONG_REGION),
    ('InvalidCredential', 'Credential AKLTx/20260105/cn-beijing/live/request: unknown scope', 'cn-north-1', None,
     errors.WRONG_REGION),
    ('InvalidAuthorization', 'bad Credential=AKLTx/20260105/cn-shanghai/live/request', 'cn-north-1', None,
     errors.WRONG_REGION),
    # in words
    ('SignatureDoesNotMatch', "Credential should be scoped to a valid region, not 'cn-beijing'.", 'cn-beijing', None,
     errors.WRONG_REGION),
    ('SignatureDoesNotMatch', "the region 'cn-beijing' is wrong; expecting 'cn-north-1'", 'cn-beijing', None,
     errors.WRONG_REGION),
    ('InvalidCredential', 'Invalid region cn-beijing in the credential', 'cn-beijing', None, errors.WRONG_REGION),
    ('InvalidCredential', 'Region mismatch', 'cn-beijing', None, errors.WRONG_REGION),
    ('SignatureDoesNotMatch', 'the region does not match the endpoint', 'cn-beijing', None, errors.WRONG_REGION),
    # the answer's ResponseMetadata.Region
    ('SignatureDoesNotMatch', 'The request signature we calculated does not match', 'cn-beijing', 'cn-north-1',
     errors.WRONG_REGION),
    # nothing about the region: the code's own advice
    ('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your '
     'Secret Access Key and signing method.', 'cn-north-1', 'cn-north-1', 'SignatureDoesNotMatch'),
    ('SignatureDoesNotMatch', 'the credential scope 20260104/cn-north-1/live/request does not match '
     '20260105/cn-north-1/live/request', 'cn-north-1', None, 'SignatureDoesNotMatch'),
    ('SignatureDoesNotMatch', 'X-Content-Sha256 does not match the SHA-256 of the body received', 'cn-north-1', '',
     'SignatureDoesNotMatch'),
    ('InvalidCredential', 'The credential scope (access key, date, region, service) is malformed', 'cn-north-1', None,
     'InvalidCredential'),
    ('InvalidAuthorization', 'Authorization must be "HMAC-SHA256 Credential=<ak>/<date>/<region>/<service>/request, '
     'SignedHeaders=<names>, Signature=<hex>"', 'cn-north-1', None, 'InvalidAuthorization'),
    ('SignatureDoesNotMatch', None, 'cn-north-1', None, 'SignatureDoesNotMatch'),
    # other codes never turn into a region problem
    ('AccessDenied', SCOPE_MISMATCH, 'cn-beijing', 'cn-north-1', 'AccessDenied'),
    ('RequestForbidden', 'no such vhost in region cn-beijing; expected cn-north-1', 'cn-beijing', None, 'RequestForbidden'),
    (None, SCOPE_MISMATCH, 'cn-beijing', None, None),
])
def test_advice_key_for_reads_a_wrong_region_out_of_the_answer(code, message, region, answer_region, expected):
    assert errors.advice_key_for(code, message, region, answer_region) == expected


def test_the_advice_key_chooses_the_advice_the_message_ends_with():
    error = errors.VolcengineAPIError(SCOPE_MISMATCH, action='DescribeRelaySourceV3', code='SignatureDoesNotMatch',
                                      http_status=401, request_id='R')
    assert error.advice_key is None and error.advice == errors.ERROR_ADVICE['SignatureDoesNotMatch']
    error.advice_key = errors.WRONG_REGION
    assert error.full_message().endswith(errors.ERROR_ADVICE[errors.WRONG_REGION])
    assert error.to_result()['error'] == {'code': 'SignatureDoesNotMatch', 'message': SCOPE_MISMATCH}


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


V4_ACTIONS = ['CreateRelaySourceV4', 'UpdateRelaySourceV4', 'DeleteRelaySourceV4', 'ListRelaySourceV4']
V4_CODES = ['CommonErr', 'InvalidParam', 'InvalidParam.BindError', 'InvalidParam.OutOfRange', 'RequestForbidden',
            'RequestForbidden.AccountIDNotAllow', 'ResourceNotFound']


@pytest.mark.parametrize('action', V4_ACTIONS)
@pytest.mark.parametrize('code', V4_CODES)
def test_every_code_of_the_fixed_trigger_actions_has_its_own_advice_for_those_actions(code, action):
    advice = errors.advice_for(code, action)
    assert advice == errors.ACTION_ADVICE[(action, code)]
    assert advice[0].isupper() and advice.rstrip().endswith('.') and advice != errors.GENERIC_ADVICE
    assert 'vhost' not in advice and 'group' not in advice  # the play-triggered words


@pytest.mark.parametrize('code', ['InvalidParam', 'RequestForbidden', 'ResourceNotFound'])
def test_a_play_triggered_action_keeps_its_own_advice_for_a_code_the_fixed_trigger_table_repeats(code):
    for action in ('UpdateRelaySourceV3', 'DescribeRelaySourceV3', None):
        assert errors.advice_for(code, action) == errors.ERROR_ADVICE[code]
    assert errors.advice_for(code, 'CreateRelaySourceV4') != errors.ERROR_ADVICE[code]
    error = errors.VolcengineAPIError('m', action='UpdateRelaySourceV4', code=code, http_status=400, request_id='R')
    assert error.full_message().endswith(errors.ACTION_ADVICE[('UpdateRelaySourceV4', code)])


@pytest.mark.parametrize('code', ['InvalidParam', 'RequestForbidden'])
def test_a_refusal_that_may_come_from_a_play_triggered_configuration_of_the_app_names_that_possibility(code):
    advice = errors.advice_for(code, 'CreateRelaySourceV4')
    assert 'play-triggered (V3)' in advice and 'volc_live_relay_source_info' in advice


def test_the_fixed_trigger_advice_says_domain_is_taken_as_given_and_out_of_range_is_known_only_there():
    assert 'pull or the push domain' in errors.advice_for('RequestForbidden', 'ListRelaySourceV4')
    assert errors.advice_for('InvalidParam.OutOfRange') == errors.GENERIC_ADVICE
    assert 'out of the range' in errors.advice_for('InvalidParam.OutOfRange', 'DeleteRelaySourceV4')
    assert 'UnexpectedScheduledRelayState' in errors.ERROR_ADVICE


def test_a_refinement_of_a_code_of_the_fixed_trigger_table_gets_that_codes_advice_for_those_actions_only():
    assert errors.advice_for('InvalidParam.RelaySourceConflict', 'CreateRelaySourceV4') == \
        errors.ACTION_ADVICE[('CreateRelaySourceV4', 'InvalidParam')]
    assert errors.advice_for('RequestForbidden.Other', 'DeleteRelaySourceV4') == \
        errors.ACTION_ADVICE[('DeleteRelaySourceV4', 'RequestForbidden')]
    assert errors.advice_for('InvalidParam.RelaySourceConflict', 'UpdateRelaySourceV3') == errors.GENERIC_ADVICE
    assert errors.advice_for('Unknown.Thing', 'CreateRelaySourceV4') == errors.GENERIC_ADVICE
