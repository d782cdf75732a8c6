#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: volc_live_scheduled_relay_sources
short_description: Manage the fixed-trigger (scheduled or permanent) relay of Volcengine Live streams
version_added: 0.2.0
description:
  - Keeps the fixed-trigger relay (固定触发回源; BytePlus calls it C(Scheduled) origin pull) of many streams, in one or more
    domains, as O(config) declares it, in one task, with the C(CreateRelaySourceV4), C(UpdateRelaySourceV4),
    C(DeleteRelaySourceV4) and C(ListRelaySourceV4) actions of API version C(2023-01-01). With a fixed-trigger relay the
    CDN pulls one stream from its origins whether or not anyone watches, during a window of at most 7 days or
    permanently. A resource module in the shape of C(ansible.netcommon)'s, with O(state=merged), V(replaced),
    V(overridden), V(deleted), V(gathered) and V(rendered).
  - The play-triggered relay (播放触发回源, C(On-demand) in BytePlus terms), which pulls the streams of a whole app only
    while viewers play them, is managed by M(volcengine.cloud.volc_live_relay_sources); the notes say which to use when.
  - A stream is identified by O(config[].domain), O(config[].app) and O(config[].stream). A stream whose origins or
    window differ from the declared ones is changed with B(one) C(UpdateRelaySourceV4), never deleted and created
    again (which would stop its pull in between). A window given in Unix seconds and the same instant in ISO 8601 are
    equal.
  - It reads each domain in scope with C(ListRelaySourceV4), every page of 500 streams, the domains concurrently, so a
    task over 1,000 streams of one domain that needs no change makes two API calls. Every answer is checked before
    any write; one it does not understand fails the task with C(InvalidResponse) and the path of the odd field.
  - Streams are independent, so their writes run concurrently on a pool of O(max_workers) threads in this one module
    process, paced by the client-side rate limiter (O(rate_limit)) that every fork of the controller shares. One
    failing stream does not stop the others; the task then fails, and RV(streams) says what became of each stream that
    did not stay as it was.
  - A write whose answer was lost (a timeout, a cut connection, a server error) is never re-sent blindly. Once every
    abandoned attempt of it has ended, the module lists the stream's domain again; a write in effect counts as applied
    (with a warning), one not in effect is sent again (at most three lost answers per stream), and while an attempt is
    still open the outcome is unknown and nothing more is written to that stream.
  - On SIGINT or SIGTERM (Ctrl-C, an AWX cancel) no stream starts and no write is sent; the task fails saying, per
    stream, whether it was applied or not started (RV(streams[].status)).
  - Every value is validated before the first request; a bad value fails the task naming its path (for example
    C(config[3].origins[1])) without any API call. So does a stream listed twice.
author:
  - volcengine.cloud maintainers (@volcengine-ansible)
options:
  config:
    description:
      - The streams, each at most once, in the shape RV(gathered) returns, so gathered output can be fed back
        unchanged.
      - Not used with O(state=gathered). With O(state=deleted) only O(config[].domain), O(config[].app) and
        O(config[].stream) are used (O(config[].origins), O(config[].start) and O(config[].end) are ignored).
    type: list
    elements: dict
    suboptions:
      domain:
        description:
          - The domain of the stream, for example V(pull.example.com); a domain name of ASCII letters, digits, C(-) and
            C(_), with dots between labels, at most 253 characters, without a scheme, port or path. Compared
            case-insensitively.
          - The API documentation disagrees whether this is the pull (play) domain or the push domain; the module
            sends the domain as given (see the notes).
        type: str
        required: true
      app:
        description:
          - The app name, 1 to 30 ASCII letters, digits, C(_), C(-) and C(.).
        type: str
        required: true
      stream:
        description:
          - The stream name, 1 to 100 ASCII letters, digits, C(_), C(-) and C(.).
        type: str
        required: true
      origins:
        description:
          - The origins to pull the stream from, in the order the CDN should try them, 1 to 10 full URLs. The scheme
            is C(rtmp), C(http) or C(https) (FLV or HLS), or C(srt), in any case; the URL needs a host (a domain name,
            an IPv4 address or V([IPv6])) and may have a port (1 to 65535), a path and a query; printable ASCII
            without whitespace.
          - Required (non-empty) except with O(state=deleted), which ignores it.
          - Credentials in an origin URL are shown in the diff and the results; set C(no_log) on the task to keep them
            out of the output.
        type: list
        elements: str
      start:
        description:
          - When the pull starts, in ISO 8601 with a UTC offset (V(2026-12-20T18:00:00+08:00),
            V(2026-12-20T10:00:00Z); seconds may be left out, a fraction of a second must be zero) or in Unix seconds
            (a whole number, or a string of digits). A time without an offset is refused, since it could mean any
            zone.
          - Give both O(config[].start) and O(config[].end), or neither. Neither means a permanent pull with
            O(state=replaced), V(overridden) and V(rendered), and for a new stream with O(state=merged); with
            O(state=merged) an existing stream keeps its window.
        type: raw
      end:
        description:
          - When the pull ends, in the forms O(config[].start) takes; after O(config[].start) and at most 7 days later
            (the API's limit).
          - An O(config[].end) already past is refused before any call, since a window that has ended pulls nothing;
            remove the entry, give a window to come, or delete the stream with O(state=deleted).
        type: raw
  domains:
    description:
      - Domain names, each at most once (compared case-insensitively).
      - With O(state=gathered), the domains to read (required).
      - With O(state=overridden), more domains in scope besides those of O(config), so that an empty O(config) with
        O(domains) empties those domains on purpose.
      - With O(state=deleted), every stream of these domains is deleted; O(config) may then list streams of other
        domains only.
      - Not accepted with the other states.
    type: list
    elements: str
  state:
    description:
      - V(merged) creates the listed streams that have no configuration and updates the listed ones that differ. An
        entry without O(config[].start) and O(config[].end) keeps an existing stream's window (and makes a new one
        permanent). Streams not listed stay.
      - V(replaced) makes each listed stream exactly its entry (an entry without a window makes it permanent).
        Streams not listed stay.
      - V(overridden) does what V(replaced) does and B(deletes every other stream) of the domains in scope (the
        domains of O(config) and O(domains)), except streams whose window has ended, which it leaves alone (they are
        returned in RV(ended)). A domain in neither is never touched.
      - V(deleted) deletes the listed streams, and with O(domains) every stream of those domains, streams whose window
        has ended included.
      - V(gathered) returns the streams of the domains in O(domains) as RV(gathered), in the shape of O(config) with
        times in ISO 8601 UTC (C(Z)); streams whose window has ended are returned apart, as RV(ended). Feeding
        RV(gathered) back with O(state=overridden) changes nothing. Never writes.
      - V(rendered) returns as RV(rendered) the API requests O(config) maps to, after the same validation, without
        credentials or any network access, one C(CreateRelaySourceV4) per entry, as for streams that have no
        configuration yet.
    type: str
    choices: [merged, replaced, overridden, deleted, gathered, rendered]
    default: merged
  max_workers:
    description:
      - How many streams are written at the same time (worker threads of the module process, each with its own HTTP
        session), from 1 to 100; the domains in scope are read with as many.
      - The rate of requests is bounded by O(rate_limit) however many workers there are.
    type: int
    default: 10
extends_documentation_fragment:
  - volcengine.cloud.volcengine
attributes:
  check_mode:
    support: full
    description: Reads, then returns the changed status and the planned writes without making any write call.
  diff_mode:
    support: full
    description: Returns each stream it changes (or would change) before and after (also in check mode).
  action_group:
    support: full
    membership:
      - volcengine.cloud.volcengine
    description: Use C(group/volcengine.cloud.volcengine) in C(module_defaults) to set the connection options once.
notes:
  - B(Which relay when.) A play-triggered relay (M(volcengine.cloud.volc_live_relay_sources), C(On-demand) in BytePlus
    terms) configures a whole app and pulls a stream only while someone plays it; use it for a catalogue of streams
    pulled on demand. A fixed-trigger relay (this module, C(Scheduled)) configures one stream and pulls it whether or
    not anyone watches, so the first viewer gets it at once and recording, transcoding or screenshots run without
    viewers; use it for a scheduled event (a window of at most 7 days) or a channel that must always be up
    (permanent). The Volcengine console shows the two as two tabs of its relay page.
  - B(Unconfirmed behaviour of the API, and what the module does on each.) (1) Which domain C(Domain) means, the pull or
    the push domain - the module sends O(config[].domain) as given. (2) Whether one app may hold both a play-triggered
    and a fixed-trigger configuration - the module does not check; a refusal (C(InvalidParam) or C(RequestForbidden))
    comes with advice that names that possibility. (3) What C(CreateRelaySourceV4) answers for a stream that already
    has a configuration, and C(UpdateRelaySourceV4) for one that has none - the module reads first, so it sends neither
    unless something else changes the stream meanwhile; a C(ResourceNotFound) to a write is settled by a read, as a
    lost answer is. (4) Whether C(ListRelaySourceV4) keeps streams whose window has ended - the module handles both (see
    "Windows that have ended"). (5) Whether C(StartTime) and C(EndTime) of a permanent stream come back as 0, null or
    absent - all three are read as permanent. (6) Whether C(UpdateRelaySourceV4) without C(StartTime) and C(EndTime)
    makes a stream permanent - the module sends it so, reads the domain again after such an update, and fails the
    stream with C(UnexpectedScheduledRelayState) when the window is still there.
  - B(Windows that have ended.) A declared window whose O(config[].end) is already past is refused before any call (it
    would pull nothing), and no write ever carries a window that has ended. A stream the reads find with such a window
    is returned in RV(ended), never in RV(gathered); O(state=overridden) leaves it alone, so that gathered output fed
    back changes nothing; O(state=deleted) deletes it when it is listed or its domain is in O(domains). With
    O(state=merged), an entry without a window for such a stream changes nothing when its origins are the same, and
    fails the task before any write when they differ (it would have to keep the window that ended). Whether the window
    of a stream has ended is decided once, when the task starts, on the controller's clock.
  - B(What overridden deletes.) Every stream of each domain in scope that O(config) does not list and whose window has
    not ended, each with one C(DeleteRelaySourceV4). A typo in a domain name puts a wrong domain in scope; review with
    C(--check --diff) first.
  - B(API calls.) One C(ListRelaySourceV4) per 500 streams of each domain in scope, then one write per stream that needs
    a change; a lost answer adds a read of the stream's domain, and an update that makes a stream with a window
    permanent is followed by one. Reads happen first; if any read fails, nothing is written.
  - B(Answers.) Every answer is checked before anything reads it, and one the module does not understand stops the task
    before any write with the error code C(InvalidResponse) and the path of the odd field, for example an entry of
    another domain (compared case-insensitively), an app or stream name the input rules refuse, C(SrcAddrS) that is
    not a list of strings, C(StartTime) without C(EndTime), a stream listed twice, or a count of streams that changes
    between pages. Only a C(Result) that is absent, null or V({}), an empty C(List) with a C(TotalCount) of 0 and the
    404 C(ResourceNotFound) mean "nothing configured". Fields beside the documented ones are ignored, and an update
    sends only the documented fields.
  - B(Output at estate scale.) RV(summary) counts every stream the task manages, per domain; RV(streams), RV(before),
    RV(after), RV(writes) and RV(diff) hold only the streams it changes (or would change), fails on or did not start.
  - A change takes effect on the CDN a few minutes after the task succeeds.
seealso:
  - module: volcengine.cloud.volc_live_relay_sources
  - module: volcengine.cloud.volc_live_relay_source_info
'''

EXAMPLES = r'''
- name: Pull the final on 15 June 2030 from 18:00 to 23:30 Beijing time, and channel-1 permanently
  volcengine.cloud.volc_live_scheduled_relay_sources:
    config:
      - domain: pull.example.com
        app: live
        stream: final
        origins:
          - rtmp://origin-a.example.com/live/final
          - rtmp://origin-b.example.com/live/final
        start: "2030-06-15T18:00:00+08:00"
        end: "2030-06-15T23:30:00+08:00"
      - domain: pull.example.com
        app: live
        stream: channel-1
        origins:
          - srt://origin-a.example.com:9000?streamid=channel-1

- name: Make pull.example.com hold exactly these streams (every other stream of it is deleted); review first
  volcengine.cloud.volc_live_scheduled_relay_sources:
    state: overridden
    config: "{{ scheduled_relays }}"
  check_mode: true
  diff: true
  register: review

- name: Read every stream of a domain
  volcengine.cloud.volc_live_scheduled_relay_sources:
    state: gathered
    domains:
      - pull.example.com
  register: current

- name: Feed what was read back (reports no change)
  volcengine.cloud.volc_live_scheduled_relay_sources:
    state: overridden
    domains:
      - pull.example.com
    config: "{{ current.gathered }}"

- name: Stop pulling one stream
  volcengine.cloud.volc_live_scheduled_relay_sources:
    state: deleted
    config:
      - domain: pull.example.com
        app: live
        stream: final

- name: Show the API requests a configuration maps to (a window in Unix seconds), without credentials or network
  volcengine.cloud.volc_live_scheduled_relay_sources:
    state: rendered
    config:
      - domain: pull.example.com
        app: live
        stream: channel-2
        origins:
          - https://origin-a.example.com/live/channel-2.flv
        start: 1907834400
        end: 1907854200
  register: requests
'''

RETURN = r'''
summary:
  description:
    - One line saying what the task did (in check mode, would do) per domain in scope - how many streams it created,
      updated, deleted, left unchanged, failed on or did not start (check mode - V(would create), V(would update),
      V(would delete)), naming the streams (C(app/stream)) of each count of at most five (unchanged streams are only
      counted).
    - With C(--diff) it is also printed first, above the diffs of the streams.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted), once the reads succeeded
  type: str
  sample: "pull.example.com: created 1 (live/final), updated 1 (live/channel-1), unchanged 12"
before:
  description:
    - The configuration, as read before any write, of the streams the task changes (or would change) only, in the shape
      of O(config), in the API's order.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted), once the reads succeeded
  type: list
  elements: dict
  sample:
    - domain: pull.example.com
      app: live
      stream: channel-1
      origins: ["rtmp://origin-a.example.com/live/channel-1"]
after:
  description:
    - The configuration the run left (in check mode, would leave) in the streams it changes (or would change), in the
      shape of O(config); deleted streams are not in it, and the streams the run created come after the streams that
      were read, in the order of O(config).
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted), and every stream succeeded
  type: list
  elements: dict
  sample:
    - domain: pull.example.com
      app: live
      stream: final
      origins: ["rtmp://origin-a.example.com/live/final", "rtmp://origin-b.example.com/live/final"]
      start: "2026-12-20T10:00:00Z"
      end: "2026-12-20T15:30:00Z"
gathered:
  description:
    - Every stream of the domains in O(domains) whose window has not ended, in the shape of O(config), in the API's
      order; O(config[].start) and O(config[].end) in ISO 8601 UTC (C(Z)), left out for a permanent stream.
  returned: when O(state=gathered)
  type: list
  elements: dict
  sample:
    - domain: pull.example.com
      app: live
      stream: channel-1
      origins: ["srt://origin-a.example.com:9000?streamid=channel-1"]
ended:
  description:
    - The streams the reads found whose window had already ended when the task started, in the shape of O(config). They
      are never in RV(gathered), O(state=overridden) leaves them alone, and O(state=deleted) deletes them when they are
      listed or their domain is in O(domains) (they are then in RV(before) too).
  returned: when O(state) is not V(rendered), once the reads succeeded
  type: list
  elements: dict
  sample:
    - domain: pull.example.com
      app: live
      stream: semi-final
      origins: ["rtmp://origin-a.example.com/live/semi-final"]
      start: "2026-12-18T10:00:00Z"
      end: "2026-12-18T14:00:00Z"
rendered:
  description:
    - The API requests O(config) maps to for streams that have no configuration yet, in order.
  returned: when O(state=rendered)
  type: list
  elements: dict
  sample:
    - action: CreateRelaySourceV4
      body:
        Domain: pull.example.com
        App: live
        Stream: final
        SrcAddrS: ["rtmp://origin-a.example.com/live/final"]
        StartTime: 1797760800
        EndTime: 1797780600
  contains:
    action:
      description: The API action.
      type: str
    body:
      description: The JSON body of the request, in the API's shape (no C(StartTime) and C(EndTime) for a permanent stream).
      type: dict
writes:
  description:
    - The write requests of the run, stream by stream in the order of RV(streams); in check mode the ones planned. Each
      names its action and stream; RV(diff) shows the content and O(state=rendered) the request bodies.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted), once the reads succeeded
  type: list
  elements: dict
  sample: [{"action": "UpdateRelaySourceV4", "domain": "pull.example.com", "app": "live", "stream": "final",
            "outcome": "applied"}]
  contains:
    action:
      description: The API action, C(CreateRelaySourceV4), C(UpdateRelaySourceV4) or C(DeleteRelaySourceV4).
      type: str
    domain:
      description: The domain.
      type: str
    app:
      description: The app.
      type: str
    stream:
      description: The stream.
      type: str
    outcome:
      description:
        - V(planned) (check mode, or not sent because an interrupt came first), V(applied) (answered with success, or
          its answer was lost and a fresh read shows it in effect), V(failed) (refused, or its answer was lost and a
          fresh read shows it not in effect) or V(unknown) (its answer was lost and no read could settle it).
      type: str
streams:
  description:
    - One entry per stream the task changed, would change (check mode), failed on or did not start, in order - the
      streams of O(config), then the streams it deletes because they are not listed (O(state=overridden)) or their
      domain is in O(domains) (O(state=deleted)). A stream that needed no change is only counted in RV(summary).
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted), once the reads succeeded
  type: list
  elements: dict
  contains:
    domain:
      description: The domain.
      type: str
    app:
      description: The app.
      type: str
    stream:
      description: The stream.
      type: str
    status:
      description:
        - V(unchanged) - nothing to do.
        - V(planned) - check mode, with a write to make.
        - V(applied) - the write was applied.
        - V(failed) - the write (or a read during the run) failed; see RV(streams[].plan) and the error fields.
        - V(not_started) - an interrupt (SIGINT, SIGTERM) arrived before the stream's write was sent; nothing was
          written to it.
      type: str
    change:
      description: >-
        The stream's change in one line, for example V(create: 2 origins, window 2026-12-20T10:00:00Z to
        2026-12-20T15:30:00Z), V(update: origins changed; now permanent) or V(delete).
      type: str
    changed:
      description: Whether a write was (or, in check mode, would be) applied, or may have been (a failed stream).
      type: bool
    actions:
      description: The writes known to be applied, as sentences in the past tense.
      type: list
      elements: str
    plan:
      returned: when the stream failed, a lost answer was settled by a read, or a read followed the write (C(verify))
      description:
        - C(writes), each with C(action) (the API action), C(description), C(done) (the same in the past tense),
          C(follow_up) (planned again after a read showed a write with a lost answer not in effect), C(outcome) (as in
          RV(writes)), C(settled_by_read) and, for an update that makes a stream permanent, C(read_after); and
          C(verify), whether a read follows a write.
      type: dict
    request_ids:
      description: The RequestId of every API answer of this stream's writes and reads.
      type: list
      elements: str
    error:
      description: The API's error code and message.
      type: dict
      returned: when the stream failed
    request_id:
      description: The RequestId of the failed call.
      type: str
      returned: when the stream failed
    http_status:
      description: The HTTP status of the failed call.
      type: int
      returned: when the stream failed
    msg:
      description: What failed, what to do, and what was and was not applied.
      type: str
      returned: when the stream failed
  sample: [{"domain": "pull.example.com", "app": "live", "stream": "final", "status": "applied",
            "change": "create: 2 origins, permanent", "changed": true, "actions": ["created the relay (2 origins, permanent)"],
            "request_ids": ["202612041104200100100232280022D31"]}]
request_ids:
  description:
    - The RequestId of every API answer of the run, the reads first; quote them to Volcengine support.
    - Empty with O(state=rendered), which calls nothing.
  returned: always
  type: list
  elements: str
  sample: ["202612041104200100100232280022D31"]
diff:
  description:
    - In diff mode, first RV(summary) as a prepared diff (C(prepared), which Ansible prints as is), then one diff for
      each stream the task changes (or, in check mode, would change), the streams already configured first (in the
      API's order), then the new ones in the order of O(config); each holds the stream's configuration before and after
      (V({}) where it has none) and names it in C(before_header) and C(after_header) (C(scheduled relay
      <domain>/<app>/<stream>)). Ansible prints diffs only of a task that changed something.
  returned: when diff mode is on, O(state) writes, and every stream succeeded
  type: list
  elements: dict
  sample:
    - prepared: "pull.example.com: would create 1 (live/final), unchanged 3\n"
    - before: {}
      after:
        domain: pull.example.com
        app: live
        stream: final
        origins: ["rtmp://origin-a.example.com/live/final"]
        start: "2026-12-20T10:00:00Z"
        end: "2026-12-20T15:30:00Z"
      before_header: scheduled relay pull.example.com/live/final
      after_header: scheduled relay pull.example.com/live/final
path:
  description: The path of the option value that failed validation, for example C(config[3].origins[1]).
  returned: when a value failed validation (before any API call)
  type: str
  sample: config[3].origins[1]
error:
  description:
    - The API's error code and message, of the failed read or of the first failed stream.
  returned: failure from the API
  type: dict
  sample: {"code": "InvalidParam", "message": "Invalid parameter"}
request_id:
  description: The RequestId of that failed call.
  returned: failure from the API
  type: str
  sample: 202612041104200100100232280022D31
http_status:
  description: The HTTP status of that failed call.
  returned: failure from the API
  type: int
  sample: 400
'''

import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.volcengine.cloud.plugins.module_utils import many_items
from ansible_collections.volcengine.cloud.plugins.module_utils import scheduled_relay_streams as streams
from ansible_collections.volcengine.cloud.plugins.module_utils.interrupts import StopFlag
from ansible_collections.volcengine.cloud.plugins.module_utils.module_support import (
    client_factory_from_module, refuse_endpoint_userinfo, volcengine_argument_spec)
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_input import RelaySourceInputError
from ansible_collections.volcengine.cloud.plugins.module_utils.scheduled_relay_input import config_argument_spec
from ansible_collections.volcengine.cloud.plugins.module_utils.worker_pool import ClientPerThread


def argument_spec():
    spec = volcengine_argument_spec()
    spec.update(
        config=config_argument_spec(),
        domains=dict(type='list', elements='str'),
        state=dict(type='str', default=many_items.MERGED, choices=list(many_items.STATES)),
        max_workers=dict(type='int', default=many_items.DEFAULT_MAX_WORKERS),
    )
    return spec


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    refuse_endpoint_userinfo(module)  # first: any later failure would print the endpoint in `invocation`
    state, config, domains = module.params['state'], module.params['config'], module.params['domains']
    max_workers = module.params['max_workers']
    now = int(time.time())  # one instant for every window check: which windows are past, which have ended
    try:
        streams.validate(state, config, domains, max_workers, now)
    except RelaySourceInputError as error:
        module.fail_json(msg=str(error), path=error.path)
    if state == many_items.RENDERED:
        module.exit_json(changed=False, rendered=streams.render(config, now), request_ids=[])

    run = streams.ScheduledRelaysRun(state, config, domains, max_workers, now)
    stop = StopFlag().install()
    with ClientPerThread(client_factory_from_module(module, stop)) as clients:
        many_items.read_plan_apply(module, run, clients, stop, 'Reading the fixed-trigger relays of domain %s failed.')

    check_mode = module.check_mode
    many_items.finish(module, run, dict(
        changed=run.changed(check_mode), summary=run.summary(check_mode), streams=run.items_result(check_mode),
        before=run.before(), ended=run.ended(), writes=run.requests(check_mode), request_ids=run.request_ids()), stop)


if __name__ == '__main__':
    main()
