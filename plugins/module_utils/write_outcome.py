# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.cloud collection: not an API for other collections, roles or plugins. It may change
# incompatibly, or go, in any release of the collection (a patch release included) without notice.
"""What is known of a write once it was made, for every writer of the collection (relay_source_writer.py for the
play-triggered relay, scheduled_relay_writer.py for the fixed-trigger one).

A writer records each write as a dict with at least ``description`` (what it does, in the imperative), ``outcome``
(one of the OUTCOME_ values) and ``settled_by_read`` (whether a read after a lost answer decided the outcome).
``answer_may_be_lost`` says whether a failed write must be settled by a read; ``progress_message`` turns the records
of a run that stopped into the sentences a module shows.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import (
    THROTTLING_CODES,
    TLS_VERIFICATION_FAILED,
    VolcengineAPIError,
    VolcengineResponseError,
    VolcengineTransportError,
)
from ansible_collections.volcengine.cloud.plugins.module_utils.interrupts import Interrupted

OUTCOME_PLANNED = 'planned'    # not made (check mode, or not reached because the run stopped earlier)
OUTCOME_APPLIED = 'applied'    # answered with success, or its answer was lost and a fresh read shows it in effect
OUTCOME_FAILED = 'failed'      # refused by the API, or its answer was lost and a fresh read shows it not in effect
OUTCOME_UNKNOWN = 'unknown'    # its answer was lost and no read could settle it

# Lost answers one item's run settles by reading before it gives up.
MAX_LOST_ANSWERS = 3


def answer_may_be_lost(error):
    """Whether a write that raised ``error`` may still have been applied.

    Only an API answer to a single attempt that refuses the request (HTTP 4xx other than ResourceNotFound), a TLS
    failure or an interrupt before anything was sent, says for sure that nothing happened.  After a retry (the client
    re-sends a write only after throttling or a failed connect), an earlier attempt may have been applied; a timeout,
    a cut connection, a 5xx or an unclassified error may come after the API applied the write."""
    if isinstance(error, Interrupted):
        return False
    if getattr(error, 'attempts', 1) > 1:
        return True
    if isinstance(error, VolcengineTransportError):
        return error.code != TLS_VERIFICATION_FAILED
    status = error.http_status
    return not (isinstance(status, int) and 400 <= status < 500 and error.code != 'ResourceNotFound')


def refusal_will_repeat(error, repeating_codes=()):
    """Whether running the task again would meet ``error`` again: the API refused the request itself (HTTP 4xx other
    than throttling), an answer could not be understood, or the error's code is one of ``repeating_codes`` (a
    writer's own codes for a state a rerun reaches again)."""
    if isinstance(error, VolcengineResponseError) or getattr(error, 'code', None) in repeating_codes:
        return True
    if not isinstance(error, VolcengineAPIError) or error.code in THROTTLING_CODES:
        return False
    status = error.http_status
    return isinstance(status, int) and 400 <= status < 500 and status != 429


def _settled(sentence, write, in_effect):
    if not write['settled_by_read']:
        return sentence
    return '%s (a fresh read %s it in effect)' % (sentence, 'showed' if in_effect else 'did not show')


def progress_message(writes, error, done_sentence, kept_sentence='', repeating_codes=()):
    """What is known of each write of a run that stopped on ``error``: applied (``done_sentence(write)``, the write in
    the past tense), not applied, or unknown; then ``kept_sentence`` (what the writer guarantees held after each write)
    when something was or may have been applied, and what running the task again does (never "converges" after a
    refusal that would repeat)."""
    applied = [_settled(done_sentence(write), write, True) for write in writes if write['outcome'] == OUTCOME_APPLIED]
    unknown = [write['description'] for write in writes if write['outcome'] == OUTCOME_UNKNOWN]
    not_applied = [_settled(write['description'], write, False) for write in writes
                   if write['outcome'] in (OUTCOME_FAILED, OUTCOME_PLANNED)]
    if error is not None and refusal_will_repeat(error, repeating_codes):
        rerun = ('Running the task again would meet the same refusal: fix its cause first; the task then reads the '
                 'configuration again and makes only the changes still needed.')
    elif isinstance(error, Interrupted):
        rerun = 'Running the task again is safe: it reads the configuration again and makes only the changes still needed.'
    else:
        rerun = 'Rerunning the task converges: it reads the current configuration again and makes only the changes still needed.'
    if not applied and not unknown:
        return 'No write was applied%s. %s' % (' (not applied: %s)' % '; '.join(not_applied) if not_applied else '', rerun)
    sentences = ['Already applied: %s.' % ('; '.join(applied) or 'nothing'),
                 'Not applied: %s.' % ('; '.join(not_applied) or 'nothing')]
    if unknown:
        sentences.append('Outcome unknown (the answer was lost and no read could settle it): %s.' % '; '.join(unknown))
    if kept_sentence:
        sentences.append(kept_sentence)
    sentences.append(rerun)
    return ' '.join(sentences)
