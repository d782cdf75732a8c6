# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The infrastructure-as-code example and the AWX credential type, run for real against the emulator: what the
documentation shows is what works. The playbooks of the guide, the README and examples/ run in test_documentation.py."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import sys

import yaml

from ansible_collections.volcengine.cloud.tests.e2e.documentation import COLLECTION_DIR, guide_code_blocks

AWX_DIR = COLLECTION_DIR / 'docs' / 'awx'
IAC_EXAMPLE = COLLECTION_DIR / 'examples' / 'relay_sources'


def test_guide_credential_type_matches_the_shipped_files():
    shown = [yaml.safe_load(block) for block in guide_code_blocks('yaml')]
    assert yaml.safe_load((AWX_DIR / 'credential_type_inputs.yml').read_text(encoding='utf-8')) in shown
    assert yaml.safe_load((AWX_DIR / 'credential_type_injectors.yml').read_text(encoding='utf-8')) in shown


def test_iac_example_check_then_apply_then_idempotent(emulator, run_playbook):
    site = str(IAC_EXAMPLE / 'site.yml')
    vhosts = yaml.safe_load((IAC_EXAMPLE / 'relay_sources.yml').read_text(encoding='utf-8'))['relay_source_vhosts']
    declared = {(vhost['vhost'], app['app']): [group['name'] for group in app['groups']] for vhost in vhosts for app in vhost['apps']}
    # An app of a declared vhost that the data does not declare, and an app of a vhost the data does not list.
    undeclared = {'Vhost': vhosts[0]['vhost'], 'App': 'forgotten', 'GroupDetails': [
        {'Group': 'old', 'Servers': [{'RelaySourceDomain': 'old.example.org', 'RelaySourceProtocol': 'rtmp'}]}]}
    elsewhere = dict(undeclared, Vhost='elsewhere.example.com')
    emulator.set_state([undeclared, elsewhere])
    task = 'Make each vhost hold exactly its declared apps'

    review = run_playbook(site, emulator=emulator, check=True, diff=True)
    assert review.rc == 0, review
    assert review.changed_count == 1  # one looped task, changed for its items
    items = review.task(task)['result']['results']
    assert all(item['changed'] for item in items)
    assert [(result['app'], result['status']) for result in items[0]['apps']][-1] == ('forgotten', 'planned')
    assert emulator.write_requests() == []
    assert len(emulator.state()['RelaySourceConfigList']) == 2
    # The review as the default callback prints it, in the loop: the summary of each vhost, then every app's diff,
    # the deletion of the undeclared app included.
    for vhost in vhosts:
        assert '%s: would create %d' % (vhost['vhost'], len(vhost['apps'])) in review.stdout, review.stdout
        for app in vhost['apps']:
            assert '+++ after: relay source %s/%s' % (vhost['vhost'], app['app']) in review.stdout
    assert 'would delete 1 (forgotten)' in review.stdout
    assert '--- before: relay source %s/forgotten' % vhosts[0]['vhost'] in review.stdout

    apply = run_playbook(site, emulator=emulator)
    assert apply.rc == 0, apply
    applied = {(config['Vhost'], config['App']): [group['Group'] for group in config['GroupDetails']]
               for config in emulator.state()['RelaySourceConfigList']}
    declared[('elsewhere.example.com', 'forgotten')] = ['old']  # outside the data's vhosts: never touched
    assert applied == declared

    emulator.clear_requests()
    rerun = run_playbook(site, emulator=emulator)
    assert rerun.rc == 0, rerun
    assert rerun.changed_count == 0, rerun
    assert [(entry['action'], entry['body']) for entry in emulator.requests()] == [
        ('DescribeRelaySourceV3', {'Vhost': vhost['vhost']}) for vhost in vhosts]


# --- AWX / Automation Controller -------------------------------------------------------------------------

def load_credential_type():
    inputs = yaml.safe_load((AWX_DIR / 'credential_type_inputs.yml').read_text(encoding='utf-8'))
    injectors = yaml.safe_load((AWX_DIR / 'credential_type_injectors.yml').read_text(encoding='utf-8'))
    return inputs, injectors


def render_injector_env(injectors, credential_inputs):
    """Render the injectors the way AWX does: each value is a Jinja template, rendered in a sandbox over the
    credential's inputs (only the inputs the user filled in)."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    environment = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    return {name: environment.from_string(template).render(**credential_inputs)
            for name, template in injectors['env'].items()}


def test_credential_type_is_well_formed():
    inputs, injectors = load_credential_type()
    fields = {field['id']: field for field in inputs['fields']}
    assert set(inputs['required']) == {'access_key', 'secret_key'}
    assert fields['secret_key'].get('secret') is True
    assert fields['session_token'].get('secret') is True
    assert not fields['access_key'].get('secret')
    assert set(injectors) == {'env'}, 'only environment variables are injected'
    assert all(name.startswith('VOLCENGINE_') for name in injectors['env'])
    for name in ('VOLCENGINE_ACCESS_KEY', 'VOLCENGINE_SECRET_KEY', 'VOLCENGINE_SESSION_TOKEN', 'VOLCENGINE_REGION',
                 'VOLCENGINE_ENDPOINT'):
        assert name in injectors['env']


def test_credential_type_renders_with_only_the_required_inputs():
    _inputs, injectors = load_credential_type()
    rendered = render_injector_env(injectors, {'access_key': 'AKLTexample', 'secret_key': 'example-secret'})
    assert rendered == {
        'VOLCENGINE_ACCESS_KEY': 'AKLTexample',
        'VOLCENGINE_SECRET_KEY': 'example-secret',
        'VOLCENGINE_SESSION_TOKEN': '',
        'VOLCENGINE_REGION': 'cn-north-1',
        'VOLCENGINE_ENDPOINT': '',
        'VOLCENGINE_RATE_LIMIT': '',
    }


RUNNER_PLAYBOOK = """\
- name: Relay sources from an AWX job
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Keep the relay source of live as declared
      volcengine.cloud.volc_live_relay_source:
        vhost: push.example.com
        app: live
        groups:
          - name: primary
            servers:
              - domain: origin-a.example.org
              - domain: origin-b.example.org:1935
"""


def run_like_awx(tmp_path, run_name, envvars):
    """One ansible-runner job with a private data dir laid out as AWX lays it out."""
    import ansible_runner

    private_data_dir = tmp_path / run_name
    (private_data_dir / 'env').mkdir(parents=True)
    (private_data_dir / 'inventory').mkdir()
    project = private_data_dir / 'project'
    (project / 'collections' / 'ansible_collections' / 'volcengine').mkdir(parents=True)
    # A project that vendors the collection next to its playbook, as AWX projects do.
    os.symlink(str(COLLECTION_DIR), str(project / 'collections' / 'ansible_collections' / 'volcengine' / 'cloud'))
    (project / 'relay.yml').write_text(RUNNER_PLAYBOOK, encoding='utf-8')
    (private_data_dir / 'env' / 'envvars').write_text(yaml.safe_dump(envvars), encoding='utf-8')
    (private_data_dir / 'inventory' / 'hosts').write_text(
        'localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable, encoding='utf-8')
    return ansible_runner.run(private_data_dir=str(private_data_dir), playbook='relay.yml', quiet=True)


def test_awx_credential_drives_an_ansible_runner_job(tmp_path, monkeypatch, emulator):
    for name in list(os.environ):
        if name.startswith(('ANSIBLE_', 'VOLCENGINE_')):
            monkeypatch.delenv(name)
    monkeypatch.setenv('PATH', os.path.dirname(sys.executable) + os.pathsep + os.environ.get('PATH', ''))
    _inputs, injectors = load_credential_type()
    envvars = render_injector_env(injectors, {
        'access_key': emulator.access_key, 'secret_key': emulator.secret_key, 'region': 'cn-north-1',
        'endpoint': emulator.url,
    })
    assert set(envvars) <= set(injectors['env'])

    first = run_like_awx(tmp_path, 'job1', envvars)
    assert first.status == 'successful', first.stdout.read()
    changed_events = [event for event in first.events
                      if event['event'] == 'runner_on_ok' and event['event_data']['res'].get('changed')]
    assert len(changed_events) == 1
    assert [group['Group'] for group in emulator.state()['RelaySourceConfigList'][0]['GroupDetails']] == ['primary']

    emulator.clear_requests()
    second = run_like_awx(tmp_path, 'job2', envvars)
    assert second.status == 'successful', second.stdout.read()
    ok_events = [event for event in second.events if event['event'] == 'runner_on_ok']
    assert len(ok_events) == 1
    assert ok_events[0]['event_data']['res']['changed'] is False
    assert [entry['action'] for entry in emulator.requests()] == ['DescribeRelaySourceV3']

    for job in (first, second):
        output = job.stdout.read() + json.dumps(list(job.events), default=str)
        assert emulator.secret_key not in output
