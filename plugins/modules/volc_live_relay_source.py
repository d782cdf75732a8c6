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
              - The pull protocol. Give it in lower case.
              - The Volcengine console says the protocol of a saved origin cannot be changed. If the API refuses
                such a change with C(InvalidParam), the error says so; delete the group (O(state=absent) with the
                group listed), then run the task again to recreate it.
            type: str
            choices: [rtmp, flv]
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
  - B(Make before break.) While O(groups) declares at least one group, no run deletes the whole app or
    leaves it without a group between two writes (so an interrupted run leaves it working), and no declared
    group is deleted unless the API has just shown that C(UpdateRelaySourceV3) upserts. Only V(state=absent)
    without O(groups), or O(groups=[]), deletes the whole configuration, in one C(DeleteRelaySourceV3) that
    always names the app (a delete without the app would remove the vhost-wide configuration).
  - B(Update semantics.) The API documentation does not say whether C(UpdateRelaySourceV3) replaces the app's
    whole group list or upserts the groups it is sent (an existing group is updated in place and keeps its
    position, a new one is appended, groups not sent are kept). When the declared groups that already exist
    are in the declared order, the module deletes the groups not declared and sends the complete list in one
    update, which ends right under both. Otherwise (a reorder, a group inserted before existing ones, or
    none of the declared groups exists yet) it sends the complete list first, then reads the configuration
    once more; if the API kept groups that must go or kept the old order (upsert), it deletes the fewest
    groups that let the next update append the rest in order (a kept group never moves), and updates again.
    RV(plan.update_semantics) says what the read showed.
  - 'B(API calls per run) (read included; under replace / under upsert): no-op 1 / 1; create 2 / 2; change
    groups in place 2 / 2; add groups after the existing ones 2 / 2; remove the last group 2 / 2; purge n
    groups not declared while the declared ones stay in order 1+n / 1+n, plus 1 when declared groups also
    change or new ones follow them; reorder C(A, B) to C(B, A) 3 / 5; C(A, B, C) to C(C, A) 3 / 6; insert a
    group before the existing ones (C(A, B) to C(C, A, B)) 3 / 6; replace every group (C(A, B) to C(C))
    3 / 5; delete listed groups (O(state=absent)) 1 + one per group that exists; delete the whole app 2. C(make bench) reports
    these against the emulator in both modes.'
  - B(Lost answers.) When the answer to a write is lost (a timeout or a cut connection after the retries, or a
    retried delete answered C(ResourceNotFound) because the first attempt was applied), the module reads the
    configuration again. A write whose effect is there counts as applied (with a warning) and the run goes on;
    one whose effect is not there failed (RV(plan.writes[].settled_by_read) marks both). The failure message
    says, for each write, whether it was applied, not applied, or of unknown outcome (the answer was lost and
    that read failed too); C(changed) is true whenever a write was or may have been applied. Rerunning the
    task converges.
  - The module does not read the configuration back after its last write (to keep the number of calls
    minimal); RV(relay_source) is the configuration that was written.
  - B(Fail closed.) An answer in a shape the module does not understand fails the task with the error code
    C(InvalidResponse) and the path of the odd field (for example
    C(Result.RelaySourceConfigList[0].GroupDetails[1].Servers)) before any write, whatever O(purge_groups) says,
    because reading it as "nothing configured" could make the next update remove groups. This includes a server whose
    protocol is not C(rtmp) or C(flv), a group without a name, a group name repeated within an app and an app listed
    twice. Only C(Result) absent or V({}), C(RelaySourceConfigList) absent or V([]), and the API's
    C(ResourceNotFound) (HTTP 404) mean "nothing configured". C(RelaySourceParams) sent as a string holding a JSON object of strings is decoded.
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
    - The writes of the run, decided from the fresh read, with what became of each.
    - In check mode the first pass only, as decided from the read, every write V(planned). When
      RV(plan.verify) is true, a real run may add follow-up writes after its check read (under upsert
      semantics), which check mode cannot know.
  returned: always
  type: dict
  contains:
    writes:
      description:
        - The writes, in the order they are (or would be) made; empty when nothing has to change.
      type: list
      elements: dict
      sample: [{"action": "delete_group", "groups": ["backup"], "description": "delete group backup",
                "follow_up": false, "outcome": "applied", "settled_by_read": false}]
      contains:
        action:
          description:
            - V(update) is one C(UpdateRelaySourceV3) carrying the complete declared list.
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
          description: Whether the write was decided by the read after the first update (the API upserted).
          type: bool
        outcome:
          description:
            - V(planned) - not made (check mode, or not reached because an earlier step failed).
            - V(applied) - the API answered with success, or the answer was lost and a fresh read shows the write
              in effect.
            - V(failed) - the API refused it, or the answer was lost and a fresh read shows it not in effect.
            - V(unknown) - the answer was lost and the read that would settle it failed too.
          type: str
        settled_by_read:
          description: Whether the answer to the write was lost, so a fresh read decided its outcome. A write
            that read did not show in effect may still take effect later if the API was merely slow; the next
            run reads again.
          type: bool
    verify:
      description: Whether the result of the first update depends on the API's update semantics, so the run
        reads the configuration once more after it (one more C(DescribeRelaySourceV3)) to decide the follow-up.
      type: bool
      sample: false
    update_semantics:
      description: What that read showed the update did; V(unknown) when no such read was made (check mode,
        RV(plan.verify) false, or the run failed before it).
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
from ansible_collections.volcengine.cloud.plugins.module_utils.module_support import (
    client_from_module, fail_from_error, request_ids_of, volcengine_argument_spec)
from ansible_collections.volcengine.cloud.plugins.module_utils import relay_source


def argument_spec():
    spec = volcengine_argument_spec()
    spec.update(
        vhost=dict(type='str', required=True),
        app=dict(type='str', required=True),
        groups=relay_source.groups_argument_spec(),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        purge_groups=dict(type='bool', default=True),
    )
    return spec


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True,
                           required_if=[('state', 'present', ('groups',))])
    vhost, app, state, listed = module.params['vhost'], module.params['app'], module.params['state'], module.params['groups']
    try:
        relay_source.validate_options(vhost, app, listed, state)
    except relay_source.RelaySourceInputError as error:
        module.fail_json(msg=str(error), path=error.path)

    client = client_from_module(module)
    plan, current, after = relay_source.empty_plan(), [], []
    try:
        current = relay_source.describe_app(client, vhost, app)
        plan, after = relay_source.plan_app(current, listed, state, module.params['purge_groups'])
        if relay_source.plan_has_writes(plan) and not module.check_mode:
            relay_source.apply_plan(client, vhost, app, plan, current, after, warn=module.warn)
    except VolcengineError as error:
        fail_from_error(module, error, relay_source.failure_context(plan, error, current, after),
                        changed=relay_source.may_have_changed(plan), plan=plan, actions=relay_source.applied_actions(plan),
                        request_ids=request_ids_of(client))

    result = dict(changed=relay_source.plan_has_writes(plan), relay_source=relay_source.config(vhost, app, after), plan=plan,
                  actions=relay_source.applied_actions(plan), request_ids=request_ids_of(client))
    if module._diff:
        result['diff'] = relay_source.app_diff(vhost, app, current, after)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
