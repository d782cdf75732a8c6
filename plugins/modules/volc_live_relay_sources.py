#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: volc_live_relay_sources
short_description: Manage the relay source (pull-from-origin) configuration of many Volcengine Live apps at once
version_added: 0.1.0
description:
  - Keeps the play-triggered relay source (播放触发回源) configuration of many apps, in one or more vhosts (domain
    spaces), as O(config) declares it, in one task, with the C(DescribeRelaySourceV3), C(UpdateRelaySourceV3) and
    C(DeleteRelaySourceV3) actions of API version C(2023-01-01). A resource module in the shape of
    C(ansible.netcommon)'s, with O(state=merged), V(replaced), V(overridden), V(deleted), V(gathered) and
    V(rendered).
  - It reads each vhost in scope with B(one) C(DescribeRelaySourceV3) (without an app, which lists every app of
    the vhost), so a task over 100 apps that needs no change makes one API call.
  - Each app is planned and written exactly as M(volcengine.cloud.volc_live_relay_source) plans and writes it
    (the same closed-loop writer, with make before break under every update behaviour, lost answers settled by a
    fresh read, and fields it does not manage sent back verbatim). Apps are
    independent, so their writes run concurrently on a pool of O(max_workers) threads in this one module
    process, paced by the client-side rate limiter (O(rate_limit)) that every fork of the controller shares.
  - One failing app does not stop the others. The task fails when any app failed; its message says how many
    and shows the first failure (error code, message, RequestId, and whether running the task again helps);
    RV(apps) says what became of every app that did not stay as it was, and RV(summary) counts them all.
  - On SIGINT or SIGTERM (Ctrl-C, an AWX cancel) no app starts and no new write is sent; writes in flight end
    or are abandoned within the timeout, and the task fails saying, per app, what was applied, stopped part-way
    or not started (RV(apps[].status)).
  - Every value is validated before the first request; a bad value fails the task naming its path (for example
    C(config[3].groups[0].servers[1].domain)) without any API call. So does an app listed twice.
author:
  - volcengine.cloud maintainers (@volcengine-ansible)
options:
  config:
    description:
      - The apps, each with the shape M(volcengine.cloud.volc_live_relay_source) takes and that
        M(volcengine.cloud.volc_live_relay_source_info) and RV(gathered) return, so gathered output can be fed
        back unchanged.
      - Each vhost/app at most once.
      - Not used with O(state=gathered).
    type: list
    elements: dict
    suboptions:
      vhost:
        description:
          - The vhost (domain space) of the app, for example V(push.example.com); 1 to 60 ASCII letters, digits,
            C(_), C(-) and C(.).
        type: str
        required: true
      app:
        description:
          - The app name, 1 to 30 ASCII letters, digits, C(_), C(-) and C(.).
          - The vhost-wide configuration (an app of V("") or V(*)) cannot be listed; see the notes.
        type: str
        required: true
      groups:
        description:
          - The origin groups of the app, in the order the CDN should try them; the rules of
            O(volcengine.cloud.volc_live_relay_source#module:groups) apply.
          - Required with O(state=merged), V(replaced), V(overridden) and V(rendered). With V(replaced) or
            V(overridden), V([]) removes the app's whole configuration.
          - With O(state=deleted), only the O(config[].groups[].name) of each entry is used and those groups
            are deleted; omit O(config[].groups) to delete the whole configuration of the app.
        type: list
        elements: dict
        suboptions:
          name:
            description:
              - The group name; unique within the app. Any text without leading or trailing whitespace, control
                characters or invisible formatting characters.
            type: str
            required: true
            aliases: [group]
          servers:
            description:
              - The origin servers of the group, in the order the CDN should try them; 1 to 10 entries.
              - Required (non-empty) except with O(state=deleted), which ignores it.
            type: list
            elements: dict
            suboptions:
              domain:
                description:
                  - The origin address, V(host) or V(host:port) (domain name, IPv4 address, V([IPv6]:port) or a bare
                    IPv6 address), without a scheme or path; printable ASCII, port 1 to 65535.
                type: str
                required: true
                aliases: [relay_source_domain]
              protocol:
                description:
                  - The pull protocol, V(rtmp) or V(flv), in any case (V(RTMP) is taken as V(rtmp)); it is sent and returned in
                    lower case. Any other value fails before any request, with a message that names its path, for example
                    C(config[0].groups[0].servers[0].protocol).
                type: str
                default: rtmp
                aliases: [relay_source_protocol]
              params:
                description:
                  - Custom key/value parameters appended to the origin pull; values must be strings.
                  - Parameters often hold origin credentials; set C(no_log) on the task to keep them out of the output.
                type: dict
                aliases: [relay_source_params]
  vhosts:
    description:
      - Vhost names (1 to 60 ASCII letters, digits, C(_), C(-) and C(.)), each at most once.
      - With O(state=gathered), the vhosts to read (required).
      - With O(state=overridden), more vhosts in scope besides those of O(config), so that an empty O(config)
        with O(vhosts) empties those vhosts on purpose.
      - With O(state=deleted), every app of these vhosts is deleted; O(config) may then list apps of other
        vhosts only.
      - Not accepted with the other states.
    type: list
    elements: str
  state:
    description:
      - V(merged) creates or updates the listed groups of the listed apps. A listed group that exists gets
        exactly the listed servers, in its place; a new one is appended after the existing groups; the groups of
        the app that are not listed stay where they are (as with
        O(volcengine.cloud.volc_live_relay_source#module:purge_groups=false)), in one update per app under every
        update behaviour, which never moves or deletes a group it was not given. Apps not listed stay.
      - V(replaced) makes each listed app hold exactly its listed groups, in order. Apps not listed stay.
      - V(overridden) does what V(replaced) does and B(deletes every other app) of the vhosts in scope (the
        vhosts of O(config) and O(vhosts)). A vhost in neither is never touched.
      - V(deleted) deletes the listed groups of the listed apps, or the whole configuration of a listed app
        without O(config[].groups), and with O(vhosts) every app of those vhosts.
      - V(gathered) returns the configuration of the vhosts in O(vhosts) as RV(gathered). Never writes.
      - V(rendered) returns as RV(rendered) the API requests O(config) maps to, after the same validation,
        without credentials or any network access. The configuration in the cloud is unknown then, so it
        renders what a run would send for apps where nothing is configured yet (one C(UpdateRelaySourceV3) per
        app with groups).
    type: str
    choices: [merged, replaced, overridden, deleted, gathered, rendered]
    default: merged
  max_workers:
    description:
      - How many apps are written at the same time (worker threads of the module process, each with its own
        HTTP session), from 1 to 100.
      - The rate of requests is bounded by O(rate_limit) however many workers there are. A worker waits for
        each answer, so more workers keep the rate up against an API far away; at 10 requests per second and
        answers that take 0.3 seconds, 4 workers would do, and the default leaves room for slower answers.
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
    description: Returns the configuration of the vhosts in scope before and after (also in check mode).
  action_group:
    support: full
    membership:
      - volcengine.cloud.volcengine
    description: Use C(group/volcengine.cloud.volcengine) in C(module_defaults) to set the connection options once.
notes:
  - B(Which module.) Use M(volcengine.cloud.volc_live_relay_source) for one app or a few. Use this module for
    many apps, and whenever the declared set of apps is the truth (O(state=overridden)), since a loop over the
    singular module cannot see an app removed from the data.
  - B(What overridden deletes.) Every app of each vhost in scope that O(config) does not list, with one
    C(DeleteRelaySourceV3) naming the app. A typo in a vhost name puts a wrong vhost in scope; review with
    C(--check --diff) first.
  - B(The vhost-wide configuration.) If the API reports a configuration for the whole vhost (an app of V("")
    or V(*)), no state writes or deletes it (deleting it would need a C(DeleteRelaySourceV3) without an app,
    which this collection never sends). It is returned apart, in RV(vhost_wide), and left out of RV(before),
    RV(after) and RV(gathered).
  - B(API calls.) One C(DescribeRelaySourceV3) per vhost in scope, then, for each app that needs a change, the
    writes M(volcengine.cloud.volc_live_relay_source) would make after its own read (see its notes for the
    count of each kind of change). Reads happen first; if any read fails, nothing is written.
  - B(Check mode) computes the same plan and makes no write. Where the outcome depends on the API's update
    behaviour (C(verify) in the plan of each app), it reports the writes up to the first update a read must follow.
  - B(Answers.) Every read is checked as M(volcengine.cloud.volc_live_relay_source) checks it (see its notes,
    "Fail closed"), so an entry of another vhost (compared case-insensitively) or an app or group name the input rules
    refuse fails the task before any write.
  - B(Fields this collection does not manage) are kept as M(volcengine.cloud.volc_live_relay_source) keeps them; a
    declared change that drops some warns (naming the app, the group and the fields), and RV(diff) lists them under
    C(unmanaged_fields).
  - B(Output at estate scale.) RV(summary) counts every app the task manages, per vhost; RV(apps), RV(before),
    RV(after), RV(writes) and RV(diff) hold only the apps it changes (or would change), fails on or did not start,
    so a task over a hundred apps that changes nothing returns a few lines at C(-v). The message of a failed run
    names the apps that were applied, each with its change in one line, and each failed app with its error code and
    RequestId.
  - A change takes effect on the CDN about 3 to 5 minutes after the task succeeds.
seealso:
  - module: volcengine.cloud.volc_live_relay_source
  - module: volcengine.cloud.volc_live_relay_source_info
'''

EXAMPLES = r'''
- name: Create or update these groups of these apps, leaving everything else alone
  volcengine.cloud.volc_live_relay_sources:
    config:
      - vhost: push.example.com
        app: live
        groups:
          - name: primary
            servers:
              - domain: origin-a.example.org
              - domain: origin-b.example.org:1935
      - vhost: push.example.com
        app: sports
        groups:
          - name: stadium
            servers:
              - domain: stadium-origin.example.org
                protocol: flv

- name: Make push.example.com hold exactly these apps (every other app of it is deleted); review first
  volcengine.cloud.volc_live_relay_sources:
    state: overridden
    config: "{{ relay_sources }}"
  check_mode: true
  diff: true
  register: review

- name: Read every app of two vhosts
  volcengine.cloud.volc_live_relay_sources:
    state: gathered
    vhosts:
      - push.example.com
      - play.example.com
  register: current

- name: Feed what was read back (reports no change)
  volcengine.cloud.volc_live_relay_sources:
    state: overridden
    config: "{{ current.gathered }}"

- name: Delete one group of one app, and the whole configuration of another
  volcengine.cloud.volc_live_relay_sources:
    state: deleted
    config:
      - vhost: push.example.com
        app: live
        groups:
          - name: backup
      - vhost: push.example.com
        app: old-event

- name: Delete every app of a vhost that is being retired
  volcengine.cloud.volc_live_relay_sources:
    state: deleted
    vhosts:
      - retired.example.com

- name: Show the API requests a configuration maps to, without credentials or network
  volcengine.cloud.volc_live_relay_sources:
    state: rendered
    config:
      - vhost: push.example.com
        app: live
        groups:
          - name: primary
            servers:
              - domain: origin-a.example.org
  register: requests
'''

RETURN = r'''
summary:
  description:
    - One line saying what the task did (in check mode, would do) per vhost in scope - how many apps it created,
      updated, deleted, left unchanged, failed on or did not start (check mode - V(would create), V(would update),
      V(would delete)), naming the apps of each count of at most five (unchanged apps are only counted).
    - With C(--diff) it is also printed first, above the diffs of the apps.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted), once the reads succeeded
  type: str
  sample: "push.example.com: created 2 (events, news), updated 1 (sports), deleted 1 (old), unchanged 96"
before:
  description:
    - The configuration, as read before any write, of the apps the task changes (or would change) only, in the
      shape of O(config), in the API's order. The apps it leaves as they are would fill the output of a task over
      an estate; O(state=gathered) returns every app. The vhost-wide configuration is not in it (see RV(vhost_wide)).
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted), once the reads succeeded
  type: list
  elements: dict
  sample:
    - vhost: push.example.com
      app: live
      groups:
        - name: primary
          servers:
            - {domain: origin-a.example.org, protocol: rtmp, params: {}}
after:
  description:
    - The configuration the run left (in check mode, would leave) in the apps it changes (or would change), in the
      shape of O(config); apps whose configuration was deleted are not in it, and apps the run created come after
      the apps that were read, in the order of O(config).
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted), and every app succeeded
  type: list
  elements: dict
  sample:
    - vhost: push.example.com
      app: live
      groups:
        - name: primary
          servers:
            - {domain: origin-c.example.org, protocol: rtmp, params: {}}
gathered:
  description: The configuration of every app of the vhosts in O(vhosts), in the shape of O(config).
  returned: when O(state=gathered)
  type: list
  elements: dict
  sample:
    - vhost: push.example.com
      app: live
      groups:
        - name: primary
          servers:
            - {domain: origin-a.example.org, protocol: rtmp, params: {}}
rendered:
  description:
    - The API requests O(config) maps to for apps where nothing is configured yet, in order.
  returned: when O(state=rendered)
  type: list
  elements: dict
  sample:
    - action: UpdateRelaySourceV3
      body:
        Vhost: push.example.com
        App: live
        GroupDetails:
          - Group: primary
            Servers:
              - {RelaySourceDomain: origin-a.example.org, RelaySourceProtocol: rtmp}
  contains:
    action:
      description: The API action.
      type: str
    body:
      description: The JSON body of the request, in the API's shape.
      type: dict
vhost_wide:
  description:
    - Vhost-wide configurations (an app of V("") or V(*)) the reads found, as the API reports them, in the shape of
      O(config). This module never changes them.
  returned: when O(state) is not V(rendered), once the reads succeeded
  type: list
  elements: dict
  sample: []
writes:
  description:
    - The write requests of the run, app by app in the order of RV(apps), each app's in the order made; in check
      mode the ones planned. Each names its action, vhost, app and groups; RV(diff) shows the content and
      O(state=rendered) the request bodies. A write not reached because an earlier write of its app failed is not
      listed (RV(apps[].plan) lists it).
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted), once the reads succeeded
  type: list
  elements: dict
  sample: [{"action": "DeleteRelaySourceV3", "vhost": "push.example.com", "app": "old-event", "outcome": "applied"}]
  contains:
    action:
      description: The API action, C(UpdateRelaySourceV3) or C(DeleteRelaySourceV3).
      type: str
    vhost:
      description: The vhost.
      type: str
    app:
      description: The app.
      type: str
    groups:
      description: The groups an update sends, or the one group a delete names; absent for the delete of a whole app.
      type: list
      elements: str
    outcome:
      description: As C(outcome) of the writes of a plan - V(planned) (check mode), V(applied), V(failed) or V(unknown).
      type: str
apps:
  description:
    - One entry per app the task changed, would change (check mode), failed on or did not start, in order - the apps
      of O(config), then the apps it deletes whole because they are not listed (O(state=overridden)) or their vhost
      is in O(vhosts) (O(state=deleted)). An app that needed no change is only counted in RV(summary), so that a task
      over an estate stays readable at C(-v).
    - Named C(apps), not C(results), because Ansible takes a C(results) key for the results of a loop and would then
      show no diff.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted), once the reads succeeded
  type: list
  elements: dict
  contains:
    vhost:
      description: The vhost.
      type: str
    app:
      description: The app.
      type: str
    status:
      description:
        - V(unchanged) - nothing to do.
        - V(planned) - check mode, with writes to make.
        - V(applied) - every write was applied.
        - V(failed) - a write (or a read during the run) failed, or an interrupt stopped the app part-way; see
          RV(apps[].plan) for what was applied, and the error fields.
        - V(not_started) - an interrupt (SIGINT, SIGTERM) arrived before the app's first write; nothing was
          written to it.
      type: str
    change:
      description: >-
        The app's change in one line, for example V(update: groups primary changed; standby added) or
        V(delete groups primary, backup).
      type: str
    changed:
      description: Whether a write was (or, in check mode, would be) applied, or may have been (a failed app).
      type: bool
    actions:
      description: The writes known to be applied, as sentences in the past tense.
      type: list
      elements: str
    plan:
      returned: when the app failed, a lost answer was settled by a read, or an update's outcome depended on the API's
        update behaviour (C(verify))
      description:
        - The app's plan, as M(volcengine.cloud.volc_live_relay_source) returns it in
          RV(volcengine.cloud.volc_live_relay_source#module:plan) - C(writes) (each with C(action), C(groups),
          C(description), C(follow_up), C(temporary), C(outcome) and C(settled_by_read)), C(verify) and
          C(update_semantics).
      type: dict
    request_ids:
      description: The RequestId of every API answer of this app's writes and checks.
      type: list
      elements: str
    error:
      description: The API's error code and message.
      type: dict
      returned: when the app failed
    request_id:
      description: The RequestId of the failed call.
      type: str
      returned: when the app failed
    http_status:
      description: The HTTP status of the failed call.
      type: int
      returned: when the app failed
    msg:
      description: What failed, what to do, and what was and was not applied.
      type: str
      returned: when the app failed
  sample: [{"vhost": "push.example.com", "app": "live", "status": "applied", "change": "create groups primary",
            "changed": true, "actions": ["updated groups primary"], "request_ids": ["202306041104200100100232280022D31"]}]
request_ids:
  description:
    - The RequestId of every API answer of the run, the reads first; quote them to Volcengine support.
    - Empty with O(state=rendered), which calls nothing.
  returned: always
  type: list
  elements: str
  sample: ["202306041104200100100232280022D31"]
diff:
  description:
    - In diff mode, first RV(summary) as a prepared diff (C(prepared), which Ansible prints as is), then one diff for
      each app the task changes (or, in check mode, would change), the apps already configured first, then the new
      ones in the order of O(config); each holds the app's configuration before and after (V({}) where it has none)
      and names the vhost and the app in C(before_header) and C(after_header), so a C(--check --diff) review of many
      apps says which app each change is about. Ansible prints diffs only of a task that changed something.
    - A group that holds fields this collection does not manage lists their paths under C(unmanaged_fields) (for
      example V([Backup, servers[0].Host])); on the after side only where the run sends them back, so a change that
      drops them shows.
  returned: when diff mode is on, O(state) writes, and every app succeeded
  type: list
  elements: dict
  sample:
    - prepared: "push.example.com: would create 1 (live), unchanged 12\n"
    - before: {}
      after:
        vhost: push.example.com
        app: live
        groups:
          - name: primary
            servers:
              - {domain: origin-a.example.org, protocol: rtmp, params: {}}
      before_header: relay source push.example.com/live
      after_header: relay source push.example.com/live
error:
  description:
    - The API's error code and message, of the failed read or of the first failed app.
  returned: failure from the API
  type: dict
  sample: {"code": "InvalidParam", "message": "Invalid parameter"}
request_id:
  description: The RequestId of that failed call.
  returned: failure from the API
  type: str
  sample: 202306041104200100100232280022D31
http_status:
  description: The HTTP status of that failed call.
  returned: failure from the API
  type: int
  sample: 400
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.volcengine.cloud.plugins.module_utils.interrupts import StopFlag
from ansible_collections.volcengine.cloud.plugins.module_utils import many_items
from ansible_collections.volcengine.cloud.plugins.module_utils.module_support import (
    client_factory_from_module, refuse_endpoint_userinfo, volcengine_argument_spec)
from ansible_collections.volcengine.cloud.plugins.module_utils import relay_source_many_apps as relay_sources
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_input import RelaySourceInputError, groups_argument_spec
from ansible_collections.volcengine.cloud.plugins.module_utils.worker_pool import ClientPerThread


def argument_spec():
    spec = volcengine_argument_spec()
    spec.update(
        config=dict(type='list', elements='dict', options=dict(
            vhost=dict(type='str', required=True),
            app=dict(type='str', required=True),
            groups=groups_argument_spec(),
        )),
        vhosts=dict(type='list', elements='str'),
        state=dict(type='str', default=many_items.MERGED, choices=list(many_items.STATES)),
        max_workers=dict(type='int', default=many_items.DEFAULT_MAX_WORKERS),
    )
    return spec


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    refuse_endpoint_userinfo(module)  # first: any later failure would print the endpoint in `invocation`
    state, config, vhosts = module.params['state'], module.params['config'], module.params['vhosts']
    try:
        relay_sources.validate(state, config, vhosts, module.params['max_workers'])
    except RelaySourceInputError as error:
        module.fail_json(msg=str(error), path=error.path)
    if state == many_items.RENDERED:
        module.exit_json(changed=False, rendered=relay_sources.render(config), request_ids=[])

    run = relay_sources.RelaySourcesRun(state, config, vhosts, module.params['max_workers'])
    stop = StopFlag().install()
    with ClientPerThread(client_factory_from_module(module, stop)) as clients:
        many_items.read_plan_apply(module, run, clients, stop, 'Reading the relay sources of vhost %s failed.')

    check_mode = module.check_mode
    many_items.finish(module, run, dict(
        changed=run.changed(check_mode), summary=run.summary(check_mode), apps=run.apps_result(check_mode),
        before=run.before(), vhost_wide=run.vhost_wide(), writes=run.requests(check_mode), request_ids=run.request_ids()), stop)


if __name__ == '__main__':
    main()
