#!/usr/bin/env python
"""Show the flagship module at work against the local Volcengine Live API emulator.

Assembles the collection, starts the emulator through the tests' harness (tests/emulator/harness.py) on a free
loopback port with its built-in demo key, runs examples/demo.yml twice with ansible-playbook (the second run must
report changed=0), prints the relay-source configuration the emulator now holds, and stops the emulator.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO_ROOT, "tools"))

import assemble_collection  # noqa: E402  pylint: disable=wrong-import-position,import-error

BUILD_ROOT = os.path.join(REPO_ROOT, "build")
PLAYBOOK = os.path.join(REPO_ROOT, "examples", "demo.yml")
RECAP_LINE = re.compile(r"^\S+\s*:\s*ok=\d+\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE)
API_RATE = 10  # requests/second: the emulator throttles like the API


def run_playbook(emulator, label):
    """Run the demo playbook; return the number of changed tasks (exits on failure)."""
    print("\n==== %s: ansible-playbook examples/demo.yml" % label, flush=True)
    environment = dict(os.environ)
    environment.update({
        "ANSIBLE_COLLECTIONS_PATH": BUILD_ROOT,
        "ANSIBLE_NOCOLOR": "1",
        "VOLCENGINE_ENDPOINT": emulator.url,
        "VOLCENGINE_ACCESS_KEY": emulator.access_key,
        "VOLCENGINE_SECRET_KEY": emulator.secret_key,
    })
    playbook_command = os.path.join(os.path.dirname(os.path.abspath(sys.executable)), "ansible-playbook")
    completed = subprocess.run([playbook_command, PLAYBOOK], env=environment, cwd=REPO_ROOT, check=False,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    print(completed.stdout, flush=True)
    recaps = RECAP_LINE.findall(completed.stdout)
    if completed.returncode != 0 or not recaps:
        sys.exit("demo: %s failed (exit code %d)" % (label, completed.returncode))
    return sum(int(changed) for changed, _unreachable, _failed in recaps)


def main():
    assemble_collection.assemble(BUILD_ROOT)
    sys.path.insert(0, BUILD_ROOT)
    from ansible_collections.volcengine.cloud.tests.emulator.harness import Emulator

    with Emulator(rate_limit=API_RATE) as emulator:
        print("emulator listening on %s (demo key %s)" % (emulator.url, emulator.access_key), flush=True)
        first_changed = run_playbook(emulator, "first run")
        second_changed = run_playbook(emulator, "second run")
        state = emulator.state()

    print("==== relay-source configuration held by the emulator")
    print(json.dumps(state, indent=2, sort_keys=True, ensure_ascii=False))
    print("\nfirst run: changed=%d; second run: changed=%d" % (first_changed, second_changed))
    if second_changed != 0:
        print("demo: FAILED - the second run should change nothing (changed=0)")
        return 1
    print("demo: OK - the second run changed nothing: the module is idempotent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
