#!/usr/bin/env python
"""Show the flagship module at work against the local Volcengine Live API emulator, as a story a newcomer can read.

    make demo        # creates .venv-demo (tools/demo_environment.py), then runs this with it

The emulator runs through the tests' harness (tests/emulator/harness.py) on a free loopback port with its built-in
demo key, at the API's 10 requests/second. Then, each an ansible-playbook run on `-i localhost,` (the playbooks follow
the localhost convention of cloud collections, so there is no inventory warning and no interpreter discovery):

1. create: examples/demo.yml with --diff shows what it creates;
2. the same again: changed=0, one read and no write;
3. a one-server change (-e second_origin=...) reviewed with --check --diff: the diff, and no write reaches the API;
4. the same change applied with --diff;
5. the configuration read back with volc_live_relay_source_info (examples/show_relay_sources.yml), in the modules'
   vocabulary.

Each step checks what it claims (changed counts, the emulator's request log, no warning) and the demo fails
otherwise.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO_ROOT, "tools"))

import assemble_collection  # noqa: E402  pylint: disable=wrong-import-position,import-error

BUILD_ROOT = os.path.join(REPO_ROOT, "build")
DEMO_PLAYBOOK = os.path.join("examples", "demo.yml")
SHOW_PLAYBOOK = os.path.join("examples", "show_relay_sources.yml")
NEW_ORIGIN = "origin-c.example.org:1935"
RECAP_LINE = re.compile(r"^\S+\s*:\s*ok=\d+\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE)
COLOUR = re.compile(r"\x1b\[[0-9;]*m")
API_RATE = 10  # requests/second: the emulator throttles like the API


class DemoFailed(Exception):
    pass


def ansible_playbook(emulator, title, playbook, *options):
    """Run one step; print its title, command and output; return (changed count, plain output)."""
    command = ["ansible-playbook", "-i", "localhost,", playbook] + list(options)
    print("\n==== %s\n$ %s" % (title, " ".join(command)), flush=True)
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("ANSIBLE_", "VOLCENGINE_"))}
    environment.update({
        "ANSIBLE_COLLECTIONS_PATH": BUILD_ROOT,  # the collection as assembled from this checkout
        "ANSIBLE_CALLBACK_RESULT_FORMAT": "yaml",  # the read-back shown as YAML, as a playbook would write it
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "VOLCENGINE_ENDPOINT": emulator.url,
        "VOLCENGINE_ACCESS_KEY": emulator.access_key,
        "VOLCENGINE_SECRET_KEY": emulator.secret_key,
    })
    if sys.stdout.isatty():
        environment["ANSIBLE_FORCE_COLOR"] = "true"
    command[0] = os.path.join(os.path.dirname(os.path.abspath(sys.executable)), "ansible-playbook")
    completed = subprocess.run(command, env=environment, cwd=REPO_ROOT, check=False, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, universal_newlines=True)
    print(completed.stdout.rstrip(), flush=True)
    output = COLOUR.sub("", completed.stdout)
    recaps = RECAP_LINE.findall(output)
    if completed.returncode != 0 or not recaps:
        raise DemoFailed("%s: ansible-playbook failed (exit code %d)" % (title, completed.returncode))
    if "[WARNING]" in output:
        raise DemoFailed("%s: ansible-playbook printed a warning" % title)
    return sum(int(changed) for changed, _unreachable, _failed in recaps), output


def expect(condition, failure):
    if not condition:
        raise DemoFailed(failure)


def story(emulator):
    changed, _output = ansible_playbook(emulator, "1. Create the relay source, showing the diff", DEMO_PLAYBOOK, "--diff")
    expect(changed == 1, "the first run should create the configuration (changed=1), got changed=%d" % changed)
    print("==> changed=1: the diff shows the two groups it created for push.example.com/live.")

    emulator.clear_requests()
    changed, _output = ansible_playbook(emulator, "2. Run it again", DEMO_PLAYBOOK)
    writes = emulator.write_requests()
    expect(changed == 0 and not writes, "the second run should change nothing, got changed=%d, %d writes" % (changed, len(writes)))
    print("==> changed=0: one read (%s), no write. The module is idempotent." % emulator.requests()[0]["action"])

    emulator.clear_requests()
    changed, _output = ansible_playbook(emulator, "3. Review a one-server change: --check --diff", DEMO_PLAYBOOK,
                                        "-e", "second_origin=%s" % NEW_ORIGIN, "--check", "--diff")
    writes = emulator.write_requests()
    expect(changed == 1 and not writes, "check mode should report the change and write nothing, got changed=%d, %d writes"
           % (changed, len(writes)))
    print("==> changed=1 in check mode, and the API received no write: the diff above is the review.")

    emulator.clear_requests()
    changed, _output = ansible_playbook(emulator, "4. Apply the change", DEMO_PLAYBOOK, "-e",
                                        "second_origin=%s" % NEW_ORIGIN, "--diff")
    writes = [entry["action"] for entry in emulator.write_requests()]
    expect(changed == 1 and writes, "the change should be applied, got changed=%d" % changed)
    print("==> changed=1: applied with %s." % ", ".join(writes))

    _changed, output = ansible_playbook(emulator, "5. Read it back with volc_live_relay_source_info", SHOW_PLAYBOOK)
    expect(NEW_ORIGIN in output and "origin-b.example.org" not in output,
           "the read-back should show %s in place of origin-b.example.org" % NEW_ORIGIN)
    print("==> relay_sources, in the shape volc_live_relay_source takes: feed them back and nothing changes.")


def main():
    assemble_collection.assemble(BUILD_ROOT)
    sys.path.insert(0, BUILD_ROOT)
    from ansible_collections.volcengine.cloud.tests.emulator.harness import Emulator

    with Emulator(rate_limit=API_RATE) as emulator:
        print("Volcengine Live API emulator listening on %s (demo key %s)" % (emulator.url, emulator.access_key), flush=True)
        try:
            story(emulator)
        except DemoFailed as failure:
            print("\ndemo: FAILED - %s" % failure)
            return 1
    print("\ndemo: OK - created, unchanged on the rerun, a change reviewed in check mode and applied, read back.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
