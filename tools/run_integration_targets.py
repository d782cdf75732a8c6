#!/usr/bin/env python
"""Run the ansible-test integration targets (tests/integration/targets/) against the emulator or the real cloud.

    python tools/run_integration_targets.py                     # the emulator (nox session integration)
    python tools/run_integration_targets.py --config FILE       # the endpoint and credentials in FILE
    python tools/run_integration_targets.py volc_live_relay_sources   # one target
    python tools/run_integration_targets.py --collection DIR   # an installed copy instead of build/

Without --config, for each update mode the real API might have (replace, then merge) it starts the emulator
(tests/emulator/harness.py) at the API's 10 requests/second, seeded with an app and a fixed-trigger stream that are
not the targets' own, writes tests/integration/integration_config.yml into the assembled copy with the emulator's URL
and demo key, runs `ansible-test integration --local` there through tools/ansible_test_offline.py, and then checks
the emulator: every write named an app of a test run (the test prefix, a six-character run id, "-") in the test
vhost (a fixed-trigger write: in the test vhost as its Domain), and the targets left the state exactly as they found
it (their cleanup removed everything they created).  The merge pass also takes the other answer to each of the
unconfirmed points of the fixed-trigger API (EMULATOR_PASSES): permanent streams listed without times, ended windows
left out of the list, and one app refused both kinds of relay source.
With --config it copies FILE into the assembled copy instead (docs/testing.md) and runs the targets once.  Either
way the configuration (it holds credentials) is created readable by its owner only, mode 0600 from the start, and
removed afterwards.  --collection runs the targets of another copy of the collection (an installed one: the artifact
test does) instead of assembling build/.

It fails loudly, never skips: a module without a target, a target ansible-test did not run, or a run that
found no targets is a failure.  Run it with the Python of the nox session
`integration` (ansible-core, the emulator's SDK) and PYTHONPATH=<the build root of the copy>, as that session does.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys

import yaml

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO_ROOT, "tools"))

import ansible_test_offline  # noqa: E402  pylint: disable=wrong-import-position,import-error
import assemble_collection  # noqa: E402  pylint: disable=wrong-import-position,import-error

BUILD_ROOT = os.path.join(REPO_ROOT, "build")
CONFIG_PATH = os.path.join("tests", "integration", "integration_config.yml")
TARGETS_PATH = os.path.join("tests", "integration", "targets")
UPDATE_MODES = ("replace", "merge")
# The emulator's settings of each pass: an update mode of UpdateRelaySourceV3, and the answers to the unconfirmed points
# of the fixed-trigger (V4) API, the defaults first and then the other answers (tests/emulator/api_model.py)
EMULATOR_PASSES = (
    ("replace", {}),
    ("merge", {"v4_permanent_times": "absent", "v4_ended": "hide", "v3_v4_same_app": "refused"}),
)
EMULATOR_RATE_LIMIT = 10  # the real API's requests per second per account

TEST_VHOST = "ansible-test.example.com"
TEST_APP_PREFIX = "ansibletest-"
# The app names of a test run, as setup_volcengine makes them (volcengine_test_run_pattern): the prefix, the run id
# (six of a-z 0-9), "-". An app that merely starts with the prefix ("ansibletest-production") is not a test app.
TEST_RUN_APP = re.compile(re.escape(TEST_APP_PREFIX) + r"[a-z0-9]{6}-")
# Seeded before the targets run and expected unchanged afterwards: an app of another vhost, which the targets must
# leave alone.
SEED_SERVER = {"RelaySourceDomain": "origin.example.org", "RelaySourceProtocol": "rtmp", "RelaySourceParams": {}}
SEED_STATE = [{"Vhost": "push.example.com", "App": "live", "GroupDetails": [{"Group": "primary", "Servers": [SEED_SERVER]}]}]
SEED_SCHEDULED = [{"Domain": "pull.example.com", "App": "live", "Stream": "final", "SrcAddrS": ["rtmp://origin.example.org/live/final"],
                   "StartTime": 0, "EndTime": 0}]


def module_names(collection):
    modules = os.path.join(collection, "plugins", "modules")
    return sorted(name[:-3] for name in os.listdir(modules) if name.endswith(".py") and not name.startswith("_"))


def missing_targets(collection):
    """Modules without a target directory of their name."""
    return [name for name in module_names(collection) if not os.path.isdir(os.path.join(collection, TARGETS_PATH, name))]


def create_private_file(path):
    """A new file at ``path`` opened for writing (text, UTF-8), created with mode 0600: it holds credentials, so it is
    never readable by others, not even between its creation and a chmod. A file left there (by a run that was
    killed) is removed first; a symbolic link or anything else that appears there meanwhile makes it fail (O_EXCL)."""
    if os.path.lexists(path):
        os.remove(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags, 0o600)
    try:
        os.fchmod(descriptor, 0o600)  # the umask may only have narrowed it; make it exactly 0600
        return os.fdopen(descriptor, "w", encoding="utf-8")
    except BaseException:
        os.close(descriptor)
        raise


def write_config(collection, variables):
    with create_private_file(os.path.join(collection, CONFIG_PATH)) as config_file:
        config_file.write("# written by tools/run_integration_targets.py\n")
        yaml.safe_dump(variables, config_file, default_flow_style=False)


def emulator_config(emulator):
    """The variables of integration_config.yml for a running emulator (tests/emulator/harness.py)."""
    return {
        "volcengine_endpoint": emulator.url,
        "volcengine_access_key": emulator.access_key,
        "volcengine_secret_key": emulator.secret_key,
        "volcengine_test_vhost": TEST_VHOST,
        "volcengine_test_app_prefix": TEST_APP_PREFIX,
    }


def run_ansible_test(collection, targets):
    """Run the targets with ansible-test through the offline shim; return (exit code, output)."""
    arguments = ["integration", "--local", "--color", "no"] + list(targets)
    print("$ ansible-test %s  (in %s)" % (" ".join(arguments), collection), flush=True)
    return ansible_test_offline.run_offline(arguments, collection)


def targets_run(output):
    return re.findall(r"^Running (\S+) integration test role", output, re.MULTILINE)


def run_checked(collection, targets):
    """Run the targets; return a list of problems (empty when every expected target ran and passed)."""
    status, output = run_ansible_test(collection, targets)
    problems = []
    if status != 0:
        problems.append("ansible-test integration exited with %d" % status)
    expected = list(targets) or module_names(collection)
    not_run = [name for name in expected if name not in targets_run(output)]
    if not_run:
        problems.append("targets that did not run: %s" % ", ".join(not_run))
    return problems


def emulator_problems(emulator, seeded):
    """What the targets did to the emulator that they must not: writes outside their scope, leftovers. ``seeded``:
    the emulator's state document before the targets ran."""
    problems = []
    for request in emulator.write_requests():
        body = request["body"] if isinstance(request["body"], dict) else {}
        domain = body.get("Domain") if request["action"].endswith("RelaySourceV4") else body.get("Vhost")
        if domain != TEST_VHOST or not TEST_RUN_APP.match(str(body.get("App", ""))):
            problems.append("a write outside the test scope: %s %s" % (request["action"], body))
    left = emulator.state()
    for kind in sorted(seeded):
        if left.get(kind) != seeded[kind]:
            problems.append("the %s after the targets is not the one before them: %s" % (kind, left.get(kind)))
    return problems


def run_against_emulator(collection, targets):
    from ansible_collections.volcengine.cloud.tests.emulator.harness import Emulator  # pylint: disable=import-error

    problems = []
    for update_mode, settings in EMULATOR_PASSES:
        print("==== the targets against the emulator (update mode %s, %d requests/second%s)"
              % (update_mode, EMULATOR_RATE_LIMIT, "".join(", %s %s" % item for item in sorted(settings.items()))), flush=True)
        with Emulator(update_mode=update_mode, rate_limit=EMULATOR_RATE_LIMIT, settings=settings) as emulator:
            emulator.set_state(SEED_STATE, scheduled_relays=SEED_SCHEDULED)
            seeded = emulator.state()
            write_config(collection, emulator_config(emulator))
            mode_problems = run_checked(collection, targets)
            mode_problems += emulator_problems(emulator, seeded)
        problems += ["update mode %s: %s" % (update_mode, problem) for problem in mode_problems]
    return problems


def copy_config(config_file, collection):
    """Copy the maintainer's integration_config.yml into ``collection``, created 0600 (create_private_file)."""
    with open(config_file, encoding="utf-8") as source, create_private_file(os.path.join(collection, CONFIG_PATH)) as copy:
        shutil.copyfileobj(source, copy)


def run_with_config(collection, config_file, targets):
    copy_config(config_file, collection)
    return run_checked(collection, targets)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", help="an integration_config.yml with the endpoint, credentials and test scope "
                                         "to use instead of the emulator (docs/testing.md)")
    parser.add_argument("--collection", help="the collection folder (.../ansible_collections/volcengine/cloud) whose "
                                             "targets to run (default: assemble the source tree into build/)")
    parser.add_argument("targets", nargs="*", help="targets to run (default: every target)")
    args = parser.parse_args()

    collection = os.path.abspath(args.collection) if args.collection else assemble_collection.assemble(BUILD_ROOT)
    missing = missing_targets(collection)
    if missing:
        print("FAIL: modules without an integration target under %s: %s" % (TARGETS_PATH, ", ".join(missing)))
        return 1
    try:
        if args.config:
            problems = run_with_config(collection, os.path.abspath(args.config), args.targets)
        else:
            problems = run_against_emulator(collection, args.targets)
    finally:
        config = os.path.join(collection, CONFIG_PATH)
        if os.path.exists(config):
            os.remove(config)  # credentials, or an emulator that is gone
    for problem in problems:
        print("FAIL: %s" % problem)
    if not problems:
        print("PASS: %s" % ", ".join(args.targets or module_names(collection)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
