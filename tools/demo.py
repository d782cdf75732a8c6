#!/usr/bin/env python
"""Show the modules at work against the local Volcengine Live API emulator, as a story a newcomer can read.

    make demo        # creates .venv-demo (tools/demo_environment.py), then runs this with it

The emulator runs through the tests' harness (tests/emulator/harness.py) on a free loopback port with its built-in
demo key, at the API's 10 requests/second. Then, each an ansible-playbook run on `-i localhost,` (the playbooks follow
the localhost convention of cloud collections, so there is no inventory warning and no interpreter discovery):

One app, with volc_live_relay_source (examples/demo.yml):

1. create: --diff shows what it creates;
2. the same again: changed=0, one read and no write;
3. a one-server change (-e second_origin=...) reviewed with --check --diff: the diff, and no write reaches the API;
4. the same change applied with --diff;
5. the configuration read back with volc_live_relay_source_info (examples/show_relay_sources.yml), in the modules'
   vocabulary.

The whole vhost, with volc_live_relay_sources (examples/whole_vhost/), once two more apps appeared in it (the demo puts
them into the emulator, as if made in the console):

6. gather.yml: `state: gathered` writes every app of the vhost to a data file (build/demo/push.example.com.yml);
7. the data edited as a person would: one app's origin changed, one app removed, one added (the edit is shown);
8. apply.yml with that data file, --check --diff (`state: overridden`): the review, every change and the deletion, and
   no write reaches the API;
9. the same applied with --diff: exactly the three writes;
10. applied again: changed=0, one read.

Every run shows its results as the user gets them with the one setting the demo makes, and says so:
ANSIBLE_CALLBACK_RESULT_FORMAT=yaml (callback_result_format in ansible.cfg; the user guide's "Reading the output").
Each step checks what it claims (changed counts, the emulator's request log, no warning) and the demo fails
otherwise.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys

import yaml

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
# The one output setting the demo makes, printed before the first step: results and diffs as YAML rather than
# ansible-core's default JSON (documented in the guide as callback_result_format).
RESULT_FORMAT = ("ANSIBLE_CALLBACK_RESULT_FORMAT", "yaml")

# The second act: the whole vhost, with volc_live_relay_sources.
VHOST = "push.example.com"
GATHER_PLAYBOOK = os.path.join("examples", "whole_vhost", "gather.yml")
APPLY_PLAYBOOK = os.path.join("examples", "whole_vhost", "apply.yml")
DATA_FILE = os.path.join("build", "demo", "%s.yml" % VHOST)  # relative to the repository root, where the runs start


def api_server(domain, protocol="rtmp"):
    return {"RelaySourceDomain": domain, "RelaySourceProtocol": protocol}


# Configured before the second act "in the console": the emulator gets them directly.
CONSOLE_APPS = [
    {"Vhost": VHOST, "App": "news", "GroupDetails": [
        {"Group": "newsroom", "Servers": [api_server("newsroom-origin.example.org", "flv")]}]},
    {"Vhost": VHOST, "App": "sports", "GroupDetails": [
        {"Group": "stadium", "Servers": [api_server("stadium-origin.example.org")]}]},
]
MOVED_ORIGIN = ("stadium-origin.example.org", "stadium-origin-2.example.org")  # sports moves to a new origin
RETIRED_APP = "news"
ADDED_APP = {"vhost": VHOST, "app": "events", "groups": [
    {"name": "keynote", "servers": [{"domain": "keynote-origin.example.org:8080", "protocol": "flv", "params": {}}]}]}


class DemoFailed(Exception):
    pass


def ansible_playbook(emulator, title, playbook, *options):
    """Run one step; print its title, command and output; return (changed count, plain output)."""
    command = ["ansible-playbook", "-i", "localhost,", playbook] + list(options)
    print("\n==== %s\n$ %s" % (title, " ".join(command)), flush=True)
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("ANSIBLE_", "VOLCENGINE_"))}
    environment.update({
        "ANSIBLE_COLLECTIONS_PATH": BUILD_ROOT,  # the collection as assembled from this checkout
        RESULT_FORMAT[0]: RESULT_FORMAT[1],  # announced by main() before the first step
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


def act_one(emulator):
    """One app, with volc_live_relay_source: steps 1 to 5."""
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


def edit_data_file(path):
    """Edit the gathered data as a person would (one origin moved, one app removed, one added); return the edit as a
    unified diff of the file."""
    with open(path, encoding="utf-8") as data_file:
        before = data_file.read()
    header = "".join(line for line in before.splitlines(True) if line.startswith(("---", "#")))
    data = yaml.safe_load(before)
    apps = data["relay_sources"]
    expect(sorted(app["app"] for app in apps) == ["live", "news", "sports"],
           "the gathered data should hold live, news and sports, got %s" % [app["app"] for app in apps])
    for app in apps:
        for group in app["groups"]:
            for server in group["servers"]:
                if server["domain"] == MOVED_ORIGIN[0]:
                    server["domain"] = MOVED_ORIGIN[1]
    data["relay_sources"] = [app for app in apps if app["app"] != RETIRED_APP] + [ADDED_APP]
    # the layout gather.yml writes (ansible.builtin.to_nice_yaml), so that the diff is the edit and nothing else
    after = header + yaml.safe_dump(data, indent=2, sort_keys=False, default_flow_style=False, allow_unicode=True)
    with open(path, "w", encoding="utf-8") as data_file:
        data_file.write(after)
    return "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True), "a/" + DATA_FILE, "b/" + DATA_FILE))


def act_two(emulator):
    """The whole vhost, with volc_live_relay_sources: steps 6 to 10."""
    emulator.set_state(emulator.state()["RelaySourceConfigList"] + CONSOLE_APPS)
    print("\n==> Meanwhile %s got two more apps, made in the console: %s (the demo put them into the emulator)."
          % (VHOST, " and ".join(app["App"] for app in CONSOLE_APPS)))
    print("==> The rest of the demo manages the vhost as a whole, as data, with volc_live_relay_sources.")

    data_path = os.path.join(REPO_ROOT, DATA_FILE)
    if os.path.exists(data_path):
        os.remove(data_path)
    os.makedirs(os.path.dirname(data_path), exist_ok=True)
    emulator.clear_requests()
    changed, _output = ansible_playbook(emulator, "6. Gather every app of the vhost into a data file", GATHER_PLAYBOOK,
                                        "-e", "relay_data_file=%s" % DATA_FILE)
    expect(changed == 1 and os.path.exists(data_path) and not emulator.write_requests(),
           "gathering should write %s and nothing to the API, got changed=%d" % (DATA_FILE, changed))
    print("==> One read (%s) and no write to the API; changed=1 is the data file. It holds every app of %s, in the"
          " shape volc_live_relay_sources takes:\n$ cat %s" % (emulator.requests()[0]["action"], VHOST, DATA_FILE))
    with open(data_path, encoding="utf-8") as data_file:
        print(data_file.read().rstrip(), flush=True)

    print("\n==== 7. Edit the data: sports moves to a new origin, news is retired, events is added\n"
          "(the demo edits %s as you would in an editor; the edit, as a diff:)" % DATA_FILE)
    print(edit_data_file(data_path).rstrip(), flush=True)

    data_option = ("-e", "relay_data_file=%s" % DATA_FILE)
    emulator.clear_requests()
    changed, output = ansible_playbook(emulator, "8. Review the edit: state overridden with --check --diff",
                                       APPLY_PLAYBOOK, *(data_option + ("--check", "--diff")))
    writes = emulator.write_requests()
    expect(changed == 1 and not writes, "check mode should report the change and write nothing, got changed=%d, %d writes"
           % (changed, len(writes)))
    summary = "%s: would create 1 (%s), would update 1 (sports), would delete 1 (%s), unchanged 1" % (
        VHOST, ADDED_APP["app"], RETIRED_APP)
    expect(summary in output, "the review should start with the summary line %r" % summary)
    for app in ("sports", RETIRED_APP, ADDED_APP["app"]):
        expect("--- before: relay source %s/%s" % (VHOST, app) in output, "the review should show a diff of %s" % app)
    expect("relay source %s/live" % VHOST not in output, "the review should show no diff of live, which is unchanged")
    print("==> changed=1 in check mode, and the API received no write. The review above starts with its summary line,"
          " then the diffs: sports updated, news deleted (overridden deletes an app the data no longer lists), events"
          " created; live is unchanged.")

    emulator.clear_requests()
    changed, _output = ansible_playbook(emulator, "9. Apply it", APPLY_PLAYBOOK, *(data_option + ("--diff",)))
    writes = ["%s %s" % (entry["action"], entry["body"]["App"]) for entry in emulator.write_requests()]
    expected = ["UpdateRelaySourceV3 sports", "DeleteRelaySourceV3 %s" % RETIRED_APP,
                "UpdateRelaySourceV3 %s" % ADDED_APP["app"]]
    expect(changed == 1 and sorted(writes) == sorted(expected),
           "the apply should make exactly %s, got changed=%d and %s" % (", ".join(expected), changed, writes))
    print("==> changed=1: applied with %s; live was not written." % ", ".join(sorted(writes)))

    emulator.clear_requests()
    changed, _output = ansible_playbook(emulator, "10. Apply it again", APPLY_PLAYBOOK, *data_option)
    actions = [entry["action"] for entry in emulator.requests()]
    expect(changed == 0 and actions == ["DescribeRelaySourceV3"],
           "the rerun should change nothing with one read, got changed=%d and %s" % (changed, actions))
    print("==> changed=0: one read (DescribeRelaySourceV3) for the whole vhost, no write. The vhost is as declared.")


def story(emulator):
    act_one(emulator)
    act_two(emulator)


def main():
    assemble_collection.assemble(BUILD_ROOT)
    sys.path.insert(0, BUILD_ROOT)
    from ansible_collections.volcengine.cloud.tests.emulator.harness import Emulator

    with Emulator(rate_limit=API_RATE) as emulator:
        print("Volcengine Live API emulator listening on %s (demo key %s)" % (emulator.url, emulator.access_key), flush=True)
        print("==> showing results as YAML (%s=%s; without it ansible-core prints them as JSON: see \"Reading the"
              " output\" in the user guide)" % RESULT_FORMAT, flush=True)
        try:
            story(emulator)
        except DemoFailed as failure:
            print("\ndemo: FAILED - %s" % failure)
            return 1
    print("\ndemo: OK - one app created, unchanged on the rerun, a change reviewed in check mode and applied, read back;"
          " the whole vhost gathered to data, an edit reviewed with --check --diff, applied, unchanged on the rerun.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
