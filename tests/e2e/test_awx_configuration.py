# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/awx/: the awx.awx playbook that configures AWX, and the execution environment built from the local artifact.

The awx.awx collection is not installed here (Galaxy is out of reach of the test machines), so the playbook runs for
real against stand-ins: an ``awx.awx`` collection written by the test whose modules accept exactly the option names
of awx.awx 24.6.1 (the playbook was checked against that release's argument specs) and record the arguments they
receive. That proves the playbook's syntax, that its templating works (the credential type's injectors arrive as
the literal Jinja templates AWX renders later), and that what it configures agrees with the credential type files.
It does not prove what AWX itself does with those arguments.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import shutil
import subprocess
import sys

import yaml

from ansible_collections.volcengine.cloud.tests.e2e.conftest import COLLECTION_DIR, run_tool

AWX_DIR = COLLECTION_DIR / 'docs' / 'awx'
AWX_PLAYBOOK = AWX_DIR / 'configure_awx.yml'
EE_DEFINITION = AWX_DIR / 'execution-environment.yml'

# The option names of the awx.awx 24.6.1 modules the playbook uses (their argument_spec, beside the common
# controller_* connection options).
AWX_MODULE_OPTIONS = {
    'credential_type': 'name new_name description kind inputs injectors state',
    'credential': 'name new_name copy_from description organization credential_type inputs update_secrets user team state',
    'project': 'name new_name copy_from description scm_type scm_url local_path scm_branch scm_refspec credential '
               'scm_clean scm_delete_on_update scm_track_submodules scm_update_on_launch scm_update_cache_timeout '
               'allow_override timeout default_environment custom_virtualenv organization notification_templates_started '
               'notification_templates_success notification_templates_error state wait update_project interval '
               'signature_validation_credential',
    'execution_environment': 'name new_name image description organization credential state pull',
    'inventory': 'name new_name copy_from description organization variables kind host_filter instance_groups '
                 'prevent_instance_group_fallback state input_inventories',
    'host': 'name new_name description inventory enabled variables state',
    'job_template': 'name new_name copy_from description organization job_type inventory project playbook credential '
                    'vault_credential credentials execution_environment custom_virtualenv instance_groups forks limit '
                    'verbosity extra_vars job_tags force_handlers skip_tags start_at_task timeout use_fact_cache '
                    'host_config_key ask_diff_mode_on_launch ask_variables_on_launch ask_limit_on_launch '
                    'ask_tags_on_launch ask_skip_tags_on_launch ask_job_type_on_launch ask_verbosity_on_launch '
                    'ask_inventory_on_launch ask_credential_on_launch ask_execution_environment_on_launch '
                    'ask_forks_on_launch ask_instance_groups_on_launch ask_job_slice_count_on_launch '
                    'ask_labels_on_launch ask_timeout_on_launch survey_enabled survey_spec become_enabled diff_mode '
                    'allow_simultaneous scm_branch ask_scm_branch_on_launch job_slice_count webhook_service '
                    'webhook_credential labels notification_templates_started notification_templates_success '
                    'notification_templates_error prevent_instance_group_fallback state',
}
CONTROLLER_OPTIONS = 'controller_host controller_username controller_password controller_oauthtoken validate_certs ' \
                     'request_timeout controller_config_file'

STAND_IN_MODULE = '''#!/usr/bin/python
# A stand-in for awx.awx.{name}: accepts its option names, records what it receives.
import json
import os

from ansible.module_utils.basic import AnsibleModule


def main():
    spec = dict((option, dict(type='raw')) for option in {options!r})
    secret = ['controller_password', 'controller_oauthtoken'] + (['inputs'] if {name!r} == 'credential' else [])
    for option in secret:  # as in awx.awx
        spec[option]['no_log'] = True
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True)
    received = dict((key, value) for key, value in module.params.items() if value is not None)
    with open(os.environ['AWX_STAND_IN_RECORD'], 'a') as record:
        record.write(json.dumps({{'module': {name!r}, 'params': received}}) + '\\n')
    module.exit_json(changed=True)


main()
'''


def write_awx_stand_in(root):
    """An awx.awx collection of stand-in modules under ``root``; returns ``root`` (a collections path)."""
    collection = root / 'ansible_collections' / 'awx' / 'awx'
    (collection / 'plugins' / 'modules').mkdir(parents=True)
    (collection / 'meta').mkdir()
    (collection / 'meta' / 'runtime.yml').write_text('---\nrequires_ansible: ">=2.16.0"\n', encoding='utf-8')
    for name, options in AWX_MODULE_OPTIONS.items():
        source = STAND_IN_MODULE.format(name=name, options=sorted(set((options + ' ' + CONTROLLER_OPTIONS).split())))
        (collection / 'plugins' / 'modules' / (name + '.py')).write_text(source, encoding='utf-8')
    return root


def run_awx_playbook(tmp_path, *options):
    record = tmp_path / 'awx-calls.jsonl'
    record.touch()
    environment = {key: value for key, value in os.environ.items() if not key.startswith(('ANSIBLE_', 'VOLCENGINE_'))}
    environment.update({
        'ANSIBLE_COLLECTIONS_PATH': str(write_awx_stand_in(tmp_path / 'collections')),
        'ANSIBLE_LOCAL_TEMP': str(tmp_path / 'ansible-tmp'),
        'ANSIBLE_NOCOLOR': '1',
        'AWX_STAND_IN_RECORD': str(record),
        'VOLCENGINE_ACCESS_KEY': 'AKLTawxexample',
        'VOLCENGINE_SECRET_KEY': 'awx-example-secret',
    })
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,', str(AWX_PLAYBOOK)]
    completed = subprocess.run(command + list(options), env=environment, cwd=str(tmp_path), capture_output=True,
                               text=True, timeout=300, check=False)
    calls = [json.loads(line) for line in record.read_text(encoding='utf-8').splitlines()]
    return completed, calls


def load_yaml(path):
    return yaml.safe_load(path.read_text(encoding='utf-8'))


def test_the_awx_playbook_passes_the_syntax_check(tmp_path):
    completed, calls = run_awx_playbook(tmp_path, '--syntax-check')
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert calls == []


def test_the_awx_playbook_loads_the_credential_type_files_rather_than_copying_them():
    (play,) = load_yaml(AWX_PLAYBOOK)
    (task,) = [task for task in play['tasks'] if 'awx.awx.credential_type' in task]
    arguments = task['awx.awx.credential_type']
    assert "lookup('ansible.builtin.file', 'credential_type_inputs.yml')" in arguments['inputs']
    assert "lookup('ansible.builtin.file', 'credential_type_injectors.yml')" in arguments['injectors']
    assert arguments['kind'] == 'cloud'


def test_the_awx_playbook_configures_what_the_credential_type_files_declare(tmp_path):
    completed, calls = run_awx_playbook(tmp_path)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert 'awx-example-secret' not in completed.stdout + completed.stderr
    by_module = {}
    for call in calls:
        by_module.setdefault(call['module'], []).append(call['params'])
    assert sorted(by_module) == sorted(AWX_MODULE_OPTIONS)

    # the credential type is the two files, as they are: AWX renders the injectors' templates itself, later
    (credential_type,) = by_module['credential_type']
    inputs, injectors = load_yaml(AWX_DIR / 'credential_type_inputs.yml'), load_yaml(AWX_DIR / 'credential_type_injectors.yml')
    assert credential_type['inputs'] == inputs
    assert credential_type['injectors'] == injectors
    assert injectors['env']['VOLCENGINE_ACCESS_KEY'] == '{{ access_key }}'

    # the credential is of that type and fills its fields: the required ones, and only fields the type has
    (credential,) = by_module['credential']
    assert credential['credential_type'] == credential_type['name']
    fields = {field['id'] for field in inputs['fields']}
    assert set(inputs['required']) <= set(credential['inputs']) <= fields
    assert credential['inputs']['access_key'] == 'AKLTawxexample'

    # a review template (check mode) and an apply template (run), both with the diff, on the same playbook
    (project,) = by_module['project']
    (environment,) = by_module['execution_environment']
    (inventory,) = by_module['inventory']
    (host,) = by_module['host']
    assert host['name'] == 'localhost' and host['inventory'] == inventory['name']
    templates = by_module['job_template']
    assert sorted(template['job_type'] for template in templates) == ['check', 'run']
    for template in templates:
        assert template['credentials'] == [credential['name']]
        assert (template['project'], template['inventory'], template['execution_environment']) == (
            project['name'], inventory['name'], environment['name'])
        assert template['diff_mode'] is True
    assert len({template['playbook'] for template in templates}) == 1


def test_the_execution_environment_installs_the_locally_built_artifact(tmp_path, installed_collection):
    """ansible-builder makes the build context (no container runtime needed), then its galaxy stage is replayed:
    `ansible-galaxy collection install -r requirements.yml` in the context's _build/, which the image has as /build."""
    artifact = next(installed_collection.parent.glob('volcengine-cloud-*.tar.gz'))
    layout = tmp_path / 'checkout'
    (layout / 'docs' / 'awx').mkdir(parents=True)
    (layout / 'build').mkdir()
    shutil.copy(str(EE_DEFINITION), str(layout / 'docs' / 'awx'))
    shutil.copy(str(artifact), str(layout / 'build'))  # where `make install` leaves it

    context = tmp_path / 'context'
    run_tool('ansible-builder', 'create', '--file', str(layout / 'docs' / 'awx' / EE_DEFINITION.name), '--context', str(context))
    assert (context / '_build' / 'collections' / artifact.name).is_file(), 'the definition names another file than %s' % artifact.name
    requirements = load_yaml(context / '_build' / 'requirements.yml')
    assert requirements['collections'] == [{'name': 'collections/' + artifact.name, 'type': 'file'}]

    installed = tmp_path / 'ee-collections'
    # as in the image: no collection of this checkout on the Python path, where ansible-galaxy would find it installed
    image_like = {key: value for key, value in os.environ.items() if key != 'PYTHONPATH' and not key.startswith('ANSIBLE_')}
    run_tool('ansible-galaxy', 'collection', 'install', '-r', 'requirements.yml', '-p', str(installed),
             cwd=str(context / '_build'), env=image_like)
    assert (installed / 'ansible_collections' / 'volcengine' / 'cloud' / 'plugins' / 'modules' / 'volc_live_relay_source.py').is_file()
    report = yaml.safe_load(run_tool('ansible-builder', 'introspect', str(installed), cwd=str(tmp_path)))
    assert 'requests>=2.20  # from collection volcengine.cloud' in report['python']
