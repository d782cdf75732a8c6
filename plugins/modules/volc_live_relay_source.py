#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: volc_live_relay_source
short_description: Manage the play-triggered relay source (pull-from-origin) configuration of a Volcengine Live app
version_added: 0.1.0
description:
  - Creates, updates and deletes the play-triggered relay source (播放触发回源) configuration of one Live app
    in a vhost (domain space) with the C(DescribeRelaySourceV3), C(UpdateRelaySourceV3) and
    C(DeleteRelaySourceV3) actions of API version C(2023-01-01).
  - A configuration is an ordered list of origin groups; each group is an ordered list of origin servers. When
    one fails, the CDN tries the next one B(in the order given), so the order of O(groups) and of each
    O(groups[].servers) is significant and is kept.
  - The module reads the current configuration with one C(DescribeRelaySourceV3) call, compares it with the
    desired one and writes only when they differ. When nothing has to change it makes exactly that one call.
    See the notes for the order of writes and the number of calls of each kind of change.
  - Every value is validated before the first request; a bad value fails the task naming its path (for
    example C(groups[1].servers[0].domain)) without any API call.
author:
  - volcengine.cloud maintainers (@volcengine-ansible)
options:
  vhost:
    description:
      - The vhost (domain space) of the app, for example V(push.example.com).
      - A bare name, without a scheme or path; 1 to 60 ASCII letters, digits, C(_), C(-) and C(.).
    type: str
    required: true
  app:
    description:
      - The app name, 1 to 30 ASCII letters, digits, C(_), C(-) and C(.) (nothing else, not even a trailing newline).
    type: str
    required: true
  groups:
    description:
      - The origin groups of the app, in the order the CDN should try them.
      - Required when O(state=present). V([]) with O(purge_groups=true) removes the whole configuration.
      - With O(state=absent), only the O(groups[].name) of each entry is used and those groups are deleted;
        omit O(groups) to delete the whole configuration of the app.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - The group name; unique within the app.
          - Any text (for example Chinese) without leading or trailing whitespace, control characters (such as a
            newline or a tab), invisible formatting characters (zero-width spaces, bidirectional overrides) or line
            separators, because such a name would not read as what it is in logs and in the console.
        type: str
        required: true
        aliases: [group]
      servers:
        description:
          - The origin servers of the group, in the order the CDN should try them; 1 to 10 entries.
          - Required (non-empty) when O(state=present); ignored when O(state=absent).
        type: list
        elements: dict
        suboptions:
          domain:
            description:
              - The origin address, V(host) or V(host:port) (domain name, IPv4 address, V([IPv6]:port) or a
                bare IPv6 address), without a scheme or path, for example V(origin.example.org:1935).
              - Printable ASCII only (write an internationalised domain name in its C(xn--) form); the port is 1 to
                5 ASCII digits, from 1 to 65535; an IPv6 zone index (C(%eth0)) is not accepted. Surrounding
                whitespace is removed.
            type: str
            required: true
            aliases: [relay_source_domain]
          protocol:
            description:
              - The pull protocol, V(rtmp) or V(flv), in any case (V(RTMP) is taken as V(rtmp)); it is sent and returned in
                lower case. Any other value fails before any request, with a message that names its path, for example
                C(groups[0].servers[0].protocol).
              - The Volcengine console says the protocol of a saved origin cannot be changed. If the API refuses
                such a change with C(InvalidParam), the error says so; delete the group (O(state=absent) with the
                group listed), then run the task again to recreate it.
            type: str
            default: rtmp
            aliases: [relay_source_protocol]
          params:
            description:
              - 'Custom key/value parameters appended to the origin pull, for example C({"domain": "live.push.net"}).'
              - Values must be strings; quote numbers and booleans in YAML (V("1"), V("true")). Keys must not be empty.
              - Neither keys nor values may contain control characters (such as a newline), invisible formatting
                characters or line separators. An error about a value names its key, never the value.
              - Parameters often hold origin credentials; set C(no_log) on the task to keep them out of the output.
            type: dict
            aliases: [relay_source_params]
  state:
    description:
      - V(present) makes the configuration of the app equal to O(groups) (see O(purge_groups)).
      - V(absent) deletes the listed groups, or the whole configuration of the app when O(groups) is omitted.
        Only what the fresh read shows is deleted, so deleting something that does not exist reports no change.
    type: str
    choices: [present, absent]
    default: present
  purge_groups:
    description:
      - With V(true), groups of the app that O(groups) does not list are deleted.
      - With V(false), they are kept, after the listed groups and in their current relative order; the listed
        groups are still created or updated. Only used with O(state=present).
    type: bool
    default: true
extends_documentation_fragment:
  - volcengine.cloud.volcengine
attributes:
  check_mode:
    support: full
    description: Can run in check mode and return the changed status and plan without making any write call.
  diff_mode:
    support: full
    description: Returns the configuration before and after the change (also in check mode).
  action_group:
    support: full
    membership:
      - volcengine.cloud.volcengine
    description: Use C(group/volcengine.cloud.volcengine) in C(module_defaults) to set the connection options once.
notes:
  - A change takes effect on the CDN about 3 to 5 minutes after the task succeeds.
  - The API allows 10 requests per second per account and action. The client limits its own rate (option
    O(rate_limit)) and retries throttled and transient failures with backoff (option O(max_retries)).
  - B(Purge semantics.) With O(purge_groups=true) (the default) the groups of this one vhost/app that
    O(groups) does not list are deleted; other apps and vhosts are never touched.
  - B(Make before break.) The module reads the app, plans from what is there, writes, and reads again after any
    write whose outcome depends on the API's update behaviour. After every single write, every origin (server
    domain) that is in both the starting and the declared configuration is still configured in some group, and
    the app never has zero groups while O(groups) declares any; every update sends all declared groups, and a
    group is deleted only once the declared groups are in place. Only O(state=absent) without O(groups), or
    O(groups=[]), deletes the whole configuration, in one C(DeleteRelaySourceV3) that always names the app (a
    delete without the app would remove the vhost-wide configuration).
  - B(Update behaviour.) The API documentation does not say what C(UpdateRelaySourceV3) does with the groups it is
    not sent, nor where it puts the ones it is sent. The module is right under each of C(replace) (the app holds
    exactly the groups sent), C(merge) (a sent group is updated in place, a new one appended, the others kept),
    C(merge_first) (the sent groups first) and C(merge_last) (the sent groups last). An update that lists every
    group the app holds in its order, new ones after them, ends the same under all four and needs no read; an
    update that must reorder is followed by a read, which says which behaviours remain
    (RV(plan.update_semantics)), and the rest is planned from that read. Where updates cannot move a group
    (C(merge)), a group out of place is deleted and appended again, first copied under a temporary name
    (C(<name>~ansible-copy)) when it holds an origin no other group holds; the copies are deleted at the end.
    A behaviour outside the four is detected by those reads; a run stops with C(RelaySourceNotConverged) after
    twice the groups read and declared plus six writes.
  - B(O(purge_groups=false).) The listed groups are changed in place and new ones appended after the existing ones,
    in one update under every behaviour; no group is moved or deleted.
  - 'B(API calls per run), the read included, under the update behaviours replace / merge / merge_first /
    merge_last (computed by C(tools/calls_per_change.py), which also writes the user guide''s table):
    no change 1/1/1/1; create two groups 2/2/2/2; change a group in place 2/2/2/2; add a group at the end 2/2/2/2;
    purge_groups=false: change B, add C 2/2/2/2; remove the last group 2/2/2/2; remove a group in the middle (A, X,
    B to A, B) 2/2/2/2; rename a group (A, X to A, B with X''s origins) 3/3/3/3; replace every group (A, B to C)
    4/4/4/4; reorder (A, B to B, A) 3/8/3/3; reorder and drop (A, B, C to C, A) 3/9/4/4; insert a group first (A, B
    to C, A, B) 3/10/3/3; delete one group (state=absent) 2/2/2/2; delete the whole app (state=absent) 2/2/2/2.'
  - B(Lost and late answers.) A write is never re-sent on its own after its answer was lost (a timeout, a cut
    connection, a 5xx); the module waits until every attempt of it that was abandoned at the timeout has ended
    (at most the timeout again), then reads. A write whose effect is there counts as applied (with a warning) and
    the run goes on from what the read shows; one whose effect is not there may be planned again. If an attempt
    does not end in time, no further write is made (its outcome is unknown). A run that lost an answer, or that
    made updates only the learned behaviour predicted, ends with a read that shows the declared groups.
    RV(plan.writes[].settled_by_read) marks the writes a read settled; C(changed) is true whenever a write was or
    may have been applied.
  - B(Failures and interrupts.) The failure message says, for each write, whether it was applied, not applied or
    of unknown outcome, and what running the task again does; after a refusal that would repeat (an HTTP 4xx other
    than throttling, an answer that is not understood) it says to fix the cause first. On SIGINT or SIGTERM (Ctrl-C,
    an AWX cancel) no new write starts; the task fails with that message.
  - B(Fields this collection does not manage.) Fields an answer holds beside the ones documented here (BytePlus
    documents C(RetryTimes), C(LBType), per group C(Backup) and C(Weight), per server C(Host)...) are sent back
    verbatim with every group the run sends unchanged, and app-level ones with every update. A declared change of a
    group that holds such fields drops them; the module warns, naming them, and C(--diff) lists them under
    C(unmanaged_fields).
  - Unless the run read the configuration after its last write, RV(relay_source) is the configuration that was
    written.
  - B(Fail closed.) An answer in a shape the module does not understand fails the task with the error code
    C(InvalidResponse) and the path of the odd field (for example
    C(Result.RelaySourceConfigList[0].GroupDetails[1].Servers)) before any write, whatever O(purge_groups) says,
    because reading it as "nothing configured" could make the next update remove groups. This includes a server whose
    protocol is not C(rtmp) or C(flv), a C(Vhost) other than the one asked for (compared case-insensitively), an app
    or group name the module's own input rules refuse (blank, control characters, too long), a group name repeated
    within an app and an app listed twice. Only C(Result) absent, null or V({}), an empty C(RelaySourceConfigList) and the
    API's C(ResourceNotFound) (HTTP 404) mean "nothing configured"; a C(Result) with other keys and no
    C(RelaySourceConfigList) does not. C(RelaySourceParams) sent as a string holding a JSON object of strings is
    decoded.
seealso:
  - module: volcengine.cloud.volc_live_relay_source_info
  - module: volcengine.cloud.volc_live_relay_sources
    description: Many apps, or whole vhosts, in one task.
  - name: UpdateRelaySourceV3 API reference
    description: Volcengine Live OpenAPI documentation of the add-or-update action.
    link: https://www.volcengine.com/docs/6469/1126872
'''

EXAMPLES = r'''
- name: Pull live/* of push.example.com from two origin groups
  volcengine.cloud.volc_live_relay_source:
    vhost: push.example.com
    app: live
    groups:
      - name: primary
        servers:
          - domain: origin-a.example.org
          - domain: origin-b.example.org:1935
            protocol: rtmp
      - name: backup
        servers:
          - domain: 203.0.113.10
            protocol: flv
            params:
              domain: live.push.net

- name: Show what would change, without changing anything
  volcengine.cloud.volc_live_relay_source:
    vhost: push.example.com
    app: live
    groups:
      - name: primary
        servers:
          - domain: origin-c.example.org
  check_mode: true
  diff: true
  register: preview

- name: Update one group and keep the groups not listed here
  volcengine.cloud.volc_live_relay_source:
    vhost: push.example.com
    app: live
    purge_groups: false
    groups:
      - name: primary
        servers:
          - domain: origin-c.example.org

- name: Delete one group
  volcengine.cloud.volc_live_relay_source:
    vhost: push.example.com
    app: live
    state: absent
    groups:
      - name: backup

- name: Make the groups exactly these, deleting any other group (purge_groups defaults to true)
  volcengine.cloud.volc_live_relay_source:
    vhost: push.example.com
    app: live
    groups:
      - name: primary
        servers:
          - domain: origin-c.example.org
      - name: standby
        servers:
          - domain: "[2001:db8::10]:1935"
            protocol: flv

- name: Set the credentials once for every module of the collection
  module_defaults:
    group/volcengine.cloud.volcengine:
      region: cn-north-1
      # access_key and secret_key default to VOLCENGINE_ACCESS_KEY and VOLCENGINE_SECRET_KEY
  block:
    - name: Configure the sports app
      volcengine.cloud.volc_live_relay_source:
        vhost: push.example.com
        app: sports
        groups:
          - name: stadium
            servers:
              - domain: stadium-origin.example.org

- name: Delete the whole relay source configuration of an app
  volcengine.cloud.volc_live_relay_source:
    vhost: push.example.com
    app: live
    state: absent
'''

RETURN = r'''
relay_source:
  description:
    - The configuration of the app after the run (in check mode, the configuration the run would leave), in the
      shape this module takes as input. RV(relay_source.groups) is an empty list when nothing is configured.
    - Not read back from the API after writing; it is what was written.
  returned: success
  type: dict
  contains:
    vhost:
      description: The vhost.
      type: str
      sample: push.example.com
    app:
      description: The app.
      type: str
      sample: live
    groups:
      description: The origin groups in order; each has C(name) and C(servers) (C(domain), C(protocol), C(params)).
      type: list
      elements: dict
      sample: [{"name": "primary", "servers": [{"domain": "origin-a.example.org", "protocol": "rtmp", "params": {}}]}]
plan:
  description:
    - The writes of the run, planned from the fresh read (and from each read during the run), with what became of
      each.
    - In check mode the writes planned from the first read, every one V(planned), up to the first update whose
      outcome depends on the API's update behaviour. When RV(plan.verify) is true, a real run reads after that
      update and may plan further writes from what it shows, which check mode cannot know.
  returned: always
  type: dict
  contains:
    writes:
      description:
        - The writes, in the order they are (or would be) made; empty when nothing has to change.
      type: list
      elements: dict
      sample: [{"action": "delete_group", "groups": ["backup"], "description": "delete group backup",
                "follow_up": false, "temporary": false, "outcome": "applied", "settled_by_read": false}]
      contains:
        action:
          description:
            - V(update) is one C(UpdateRelaySourceV3) carrying every declared group (and, where they must stay
              until a later delete, the app's other groups or temporary copies).
            - V(delete_group) is one C(DeleteRelaySourceV3) of one group.
            - V(delete_app) is one C(DeleteRelaySourceV3) of the app's whole configuration; only with
              O(state=absent) and no O(groups), or with an empty declared list.
          type: str
        groups:
          description: The group names the write concerns, in order; for V(update) the names sent, for
            V(delete_group) the one group, for V(delete_app) the groups the app had.
          type: list
          elements: str
        description:
          description: The write as a sentence, for example V(delete group backup).
          type: str
        follow_up:
          description: Whether the write was planned from a read made during the run (after an update whose outcome
            depends on the API's update behaviour, or after a lost answer), not from the first read.
          type: bool
        temporary:
          description: Whether the write adds or deletes temporary copies of groups (C(<name>~ansible-copy)), which
            keep a group's origins configured while it is deleted and appended again to move it.
          type: bool
        outcome:
          description:
            - V(planned) - not made (check mode, or not reached because an earlier step failed).
            - V(applied) - the API answered with success, or the answer was lost and a fresh read shows the write
              in effect.
            - V(failed) - the API refused it, or the answer was lost and a fresh read shows it not in effect.
            - V(unknown) - the answer was lost and no read could settle it (the read failed, or an abandoned attempt
              of the write did not end within the timeout).
          type: str
        settled_by_read:
          description: Whether the answer to the write was lost, so a fresh read decided its outcome. A write
            that read did not show in effect may still take effect later if the API was merely slow; the next
            run reads again.
          type: bool
    verify:
      description: Whether the plan holds an update whose outcome depends on the API's update behaviour, so the run
        reads the configuration after it (one more C(DescribeRelaySourceV3)) and plans the rest from that read.
      type: bool
      sample: false
    update_semantics:
      description:
        - The update behaviours that explain every read of the run, comma-separated (of C(replace), C(merge),
          C(merge_first), C(merge_last); several when the reads could not tell them apart), or C(other) when none
          does.
        - V(unknown) when no such read was made (check mode, RV(plan.verify) false, or the run failed before it).
      type: str
      sample: unknown
actions:
  description:
    - The writes known to be applied, in order, as sentences in the past tense. Empty in check mode and when
      nothing changed.
    - On failure, the writes applied before the error; RV(plan.writes) tells which were not applied and which
      have an unknown outcome.
  returned: always
  type: list
  elements: str
  sample: ["deleted group backup", "updated groups primary"]
request_ids:
  description: The RequestId of every API answer of the run, the read included; quote them to Volcengine support.
  returned: always
  type: list
  elements: str
  sample: ["202306041104200100100232280022D31"]
diff:
  description:
    - The configuration before and after (an empty dict when there is none), in diff mode.
    - C(before_header) and C(after_header) name the vhost and the app (C(relay source <vhost>/<app>)), so that a
      C(--diff) of many apps, for example in a loop, says which app each diff is about.
    - A group that holds fields this collection does not manage lists their paths under C(unmanaged_fields) (for
      example V([Backup, servers[0].Host])); on the after side only where the run sends them back, so a change that
      drops them shows.
  returned: when diff mode is on
  type: dict
  sample: {"before": {}, "after": {"vhost": "push.example.com", "app": "live", "groups": []},
           "before_header": "relay source push.example.com/live", "after_header": "relay source push.example.com/live"}
error:
  description:
    - The API's error code and message.
    - For an answer the module does not understand, the code C(InvalidResponse) and a message that starts with the
      path of the odd field.
  returned: failure from the API
  type: dict
  sample: {"code": "InvalidParam", "message": "Invalid parameter"}
request_id:
  description: The RequestId of the failed call.
  returned: failure from the API
  type: str
  sample: 202306041104200100100232280022D31
http_status:
  description: The HTTP status of the failed call.
  returned: failure from the API
  type: int
  sample: 400
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineError
from ansible_collections.volcengine.cloud.plugins.module_utils.interrupts import StopFlag
from ansible_collections.volcengine.cloud.plugins.module_utils.module_support import (
    client_from_module, fail_from_error, refuse_endpoint_userinfo, request_ids_of, volcengine_argument_spec)
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source import app_diff, config
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_api import read_app
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_input import (
    RelaySourceInputError, groups_argument_spec, validate_options)
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_writer import AppChange, new_plan, progress_message


def argument_spec():
    spec = volcengine_argument_spec()
    spec.update(
        vhost=dict(type='str', required=True),
        app=dict(type='str', required=True),
        groups=groups_argument_spec(),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        purge_groups=dict(type='bool', default=True),
    )
    return spec


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True,
                           required_if=[('state', 'present', ('groups',))])
    refuse_endpoint_userinfo(module)  # first: any later failure would print the endpoint in `invocation`
    vhost, app, state, listed = module.params['vhost'], module.params['app'], module.params['state'], module.params['groups']
    try:
        validate_options(vhost, app, listed, state)
    except RelaySourceInputError as error:
        module.fail_json(msg=str(error), path=error.path)

    stop = StopFlag().install()
    client = client_from_module(module, stop)
    change = None
    try:
        stored = read_app(client, vhost, app)
        change = AppChange(stored, listed, state, module.params['purge_groups'])
        for warning in change.dropped_fields_warnings():
            module.warn(warning)
        if change.has_writes() and not module.check_mode:
            change.apply(client, warn=module.warn, stop=stop)
    except VolcengineError as error:
        if change is None:
            fail_from_error(module, error, progress_message(new_plan(), error), changed=False, plan=new_plan(),
                            actions=[], request_ids=request_ids_of(client))
        fail_from_error(module, error, change.failure_context(error), changed=change.may_have_changed(), plan=change.plan,
                        actions=change.applied_actions(), request_ids=request_ids_of(client))

    result = dict(changed=change.has_writes(), relay_source=config(vhost, app, change.after), plan=change.plan,
                  actions=change.applied_actions(), request_ids=request_ids_of(client))
    if module._diff:
        result['diff'] = app_diff(vhost, app, change.current, change.after, change.stored)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
