#!/usr/bin/env python
"""Show the flagship module at work against the local Volcengine Live API emulator.

Assembles the collection, starts tests/emulator/live_emulator.py on a free loopback port, runs
examples/demo.yml twice with ansible-playbook (the second run must report changed=0), prints the
relay-source configuration the emulator now holds, and stops the emulator.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO_ROOT, "tools"))

import assemble_collection  # noqa: E402  pylint: disable=wrong-import-position,import-error

BUILD_ROOT = os.path.join(REPO_ROOT, "build")
MODULE = os.path.join(REPO_ROOT, "plugins", "modules", "volc_live_relay_source.py")
EMULATOR = os.path.join(REPO_ROOT, "tests", "emulator", "live_emulator.py")
PLAYBOOK = os.path.join(REPO_ROOT, "examples", "demo.yml")
DEMO_ACCESS_KEY = "AKLTEMULATORDEMO"  # the emulator's built-in demo key, accepted only by the emulator
DEMO_SECRET_KEY = "emulator-demo-secret"
RECAP_LINE = re.compile(r"^\S+\s*:\s*ok=\d+\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE)


def run_playbook(url, label):
    """Run the demo playbook; return the number of changed tasks (exits on failure)."""
    print("\n==== %s: ansible-playbook examples/demo.yml" % label, flush=True)
    environment = dict(os.environ)
    environment.update({
        "ANSIBLE_COLLECTIONS_PATH": BUILD_ROOT,
        "ANSIBLE_NOCOLOR": "1",
        "VOLCENGINE_ENDPOINT": url,
        "VOLCENGINE_ACCESS_KEY": DEMO_ACCESS_KEY,
        "VOLCENGINE_SECRET_KEY": DEMO_SECRET_KEY,
    })
    playbook_command = os.path.join(os.path.dirname(os.path.abspath(sys.executable)), "ansible-playbook")
    completed = subprocess.run([playbook_command, PLAYBOOK], env=environment, cwd=REPO_ROOT, check=False,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    print(completed.stdout, flush=True)
    recaps = RECAP_LINE.findall(completed.stdout)
    if completed.returncode != 0 or not recaps:
        sys.exit("demo: %s failed (exit code %d)" % (label, completed.returncode))
    return sum(int(changed) for changed, _unreachable, _failed in recaps)


def start_emulator(state_file):
    emulator = subprocess.Popen(
        [sys.executable, EMULATOR, "--host", "127.0.0.1", "--port", "0", "--state", state_file],
        stdout=subprocess.PIPE, universal_newlines=True)
    url = emulator.stdout.readline().strip()
    if not url.startswith("http"):
        emulator.terminate()
        sys.exit("demo: the emulator did not print its URL (got %r)" % url)
    print("emulator listening on %s (demo key %s)" % (url, DEMO_ACCESS_KEY), flush=True)
    return emulator, url


def main():
    if not os.path.exists(MODULE):
        print("volc_live_relay_source is not yet available: the demo needs the module (issue 5)")
        return 1
    if not os.path.exists(PLAYBOOK):
        print("examples/demo.yml is not yet available: the demo needs its playbook")
        return 1
    assemble_collection.assemble(BUILD_ROOT)

    with tempfile.TemporaryDirectory(prefix="volcengine-demo-") as directory:
        emulator, url = start_emulator(os.path.join(directory, "state.json"))
        try:
            first_changed = run_playbook(url, "first run")
            second_changed = run_playbook(url, "second run")
            with urllib.request.urlopen(url + "/_emulator/state", timeout=10) as response:
                state = json.load(response)
        finally:
            emulator.terminate()
            emulator.wait(timeout=10)

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
