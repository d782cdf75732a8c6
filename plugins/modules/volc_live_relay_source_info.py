#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: volc_live_relay_source_info
short_description: List the play-triggered relay source (pull-from-origin) configurations of a Volcengine Live vhost
version_added: 0.1.0
description:
  - Reads the relay source configurations of a vhost (domain space), optionally of one app or one group, with
    one C(DescribeRelaySourceV3) call (API version C(2023-01-01)). Never changes anything.
  - Each entry of RV(relay_sources) has exactly the shape M(volcengine.cloud.volc_live_relay_source) takes as
    input, so feeding them back to that module reports no change.
author:
  - volcengine.cloud maintainers (@volcengine-ansible)
options:
  vhost:
    description:
      - The vhost (domain space), for example V(push.example.com); 1 to 60 ASCII letters, digits, C(_), C(-)
        and C(.).
    type: str
    required: true
  app:
    description:
      - Only the configuration of this app (1 to 30 ASCII letters, digits, C(_), C(-) and C(.)). All apps of the
        vhost when omitted.
    type: str
  group:
    description:
      - Only this group of O(app). Requires O(app).
      - Same rules as a group name of M(volcengine.cloud.volc_live_relay_source).
    type: str
extends_documentation_fragment:
  - volcengine.cloud.volcengine
attributes:
  check_mode:
    support: full
    description: This module only reads; it runs normally in check mode.
  diff_mode:
    support: none
    description: This module never changes anything, so it returns no diff.
  action_group:
    support: full
    membership:
      - volcengine.cloud.volcengine
    description: Use C(group/volcengine.cloud.volcengine) in C(module_defaults) to set the connection options once.
notes:
  - An empty result (no configuration, or the API's C(ResourceNotFound)) is not an error; RV(relay_sources) is then
    an empty list.
  - An answer in a shape the module does not understand (a field of the wrong type, a server with a protocol other
    than C(rtmp) or C(flv), a C(Vhost) other than O(vhost) (compared case-insensitively), an app or group name the
    input rules of M(volcengine.cloud.volc_live_relay_source) refuse, a group with the name of another group of its
    app, an app listed twice, a C(Result) with other keys and no C(RelaySourceConfigList)) fails the task with the
    error code C(InvalidResponse) and the path of the odd field, for example
    C(Result.RelaySourceConfigList[0].GroupDetails[1].Servers), rather than guess. C(RelaySourceParams) sent as a
    string holding a JSON object of strings is decoded.
  - A vhost-wide configuration (an empty or C(*) app, if the API reports one) is returned apart, in RV(vhost_wide),
    as M(volcengine.cloud.volc_live_relay_sources) returns it, since no writing module manages it (its
    O(volcengine.cloud.volc_live_relay_source#module:app) must be a real app name), so RV(relay_sources) holds real apps
    only and feeding them back changes nothing.
  - Changes made by M(volcengine.cloud.volc_live_relay_source) take effect on the CDN 3 to 5 minutes later, but
    this module shows them at once.
seealso:
  - module: volcengine.cloud.volc_live_relay_source
  - module: volcengine.cloud.volc_live_relay_sources
'''

EXAMPLES = r'''
- name: List every relay source configuration of a vhost
  volcengine.cloud.volc_live_relay_source_info:
    vhost: push.example.com
  register: relay_info

- name: Read one app
  volcengine.cloud.volc_live_relay_source_info:
    vhost: push.example.com
    app: live
  register: live_info

- name: Read one group of one app
  volcengine.cloud.volc_live_relay_source_info:
    vhost: push.example.com
    app: live
    group: primary
  register: primary_info

- name: Re-apply what was read (reports no change)
  volcengine.cloud.volc_live_relay_source:
    vhost: "{{ item.vhost }}"
    app: "{{ item.app }}"
    groups: "{{ item.groups }}"
  loop: "{{ relay_info.relay_sources }}"
  loop_control:
    label: "{{ item.vhost }}/{{ item.app }}"
'''

RETURN = r'''
relay_sources:
  description:
    - The configurations found, one per app, in the API's order; empty when there is none. The vhost-wide
      configuration is not in it (see RV(vhost_wide)).
    - With O(group), each entry holds only that group (entries without it are left out).
    - Not returned when the task failed, so that a play that ignores the error cannot read "nothing configured".
  returned: success
  type: list
  elements: dict
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
vhost_wide:
  description:
    - Vhost-wide configurations (an app of V("") or V(*)) the read found, as the API reports them, in the shape of
      RV(relay_sources); no module of this collection changes them.
  returned: success
  type: list
  elements: dict
  sample: []
request_ids:
  description: The RequestId of every API answer of the run; quote them to Volcengine support.
  returned: always
  type: list
  elements: str
  sample: ["202306041104200100100232280022D31"]
error:
  description:
    - The API's error code and message.
    - For an answer the module does not understand, the code C(InvalidResponse) and a message that starts with the
      path of the odd field.
  returned: failure from the API
  type: dict
  sample: {"code": "RequestForbidden", "message": "Forbidden"}
request_id:
  description: The RequestId of the failed call.
  returned: failure from the API
  type: str
  sample: 202306041104200100100232280022D31
http_status:
  description: The HTTP status of the failed call.
  returned: failure from the API
  type: int
  sample: 403
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.volcengine.cloud.plugins.module_utils.errors import VolcengineError
from ansible_collections.volcengine.cloud.plugins.module_utils.module_support import (
    client_from_module, fail_from_error, refuse_endpoint_userinfo, request_ids_of, volcengine_argument_spec)
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_api import VHOST_WIDE_APPS, describe
from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_input import RelaySourceInputError, validate_filters


def main():
    spec = volcengine_argument_spec()
    spec.update(
        vhost=dict(type='str', required=True),
        app=dict(type='str'),
        group=dict(type='str'),
    )
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, required_by={'group': 'app'})
    refuse_endpoint_userinfo(module)  # first: any later failure would print the endpoint in `invocation`
    vhost, app, group = module.params['vhost'], module.params['app'], module.params['group']
    try:
        validate_filters(vhost, app, group)
    except RelaySourceInputError as error:
        module.fail_json(msg=str(error), path=error.path)

    client = client_from_module(module)
    try:
        configs = describe(client, vhost, app, group)
    except VolcengineError as error:
        fail_from_error(module, error, request_ids=request_ids_of(client))
    module.exit_json(changed=False, relay_sources=[entry for entry in configs if entry['app'] not in VHOST_WIDE_APPS],
                     vhost_wide=[entry for entry in configs if entry['app'] in VHOST_WIDE_APPS],
                     request_ids=request_ids_of(client))


if __name__ == '__main__':
    main()
