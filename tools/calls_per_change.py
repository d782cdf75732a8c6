#!/usr/bin/env python
"""The one home of the calls-per-change table: what each kind of change costs in API calls under each update
behaviour, computed by running the collection's writer against the emulator's model, and the text of that table in
the module notes and the user guide.

    PYTHONPATH=build python tools/calls_per_change.py           # print the table
    PYTHONPATH=build python tools/calls_per_change.py --write   # rewrite it in the module notes and the guide
    PYTHONPATH=build python tools/calls_per_change.py --check   # exit 1 when either differs from what is computed

`make bench` writes it (and measures the same cases through ansible-playbook in tools/bench_relay_source.py, which
takes its cases from here); the units check that the documents hold what is computed.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE_FILE = os.path.join(REPO_ROOT, "plugins", "modules", "volc_live_relay_source.py")
GUIDE_FILE = os.path.join(REPO_ROOT, "docs", "docsite", "rst", "guide.rst")
BEHAVIOURS = ("replace", "merge", "merge_first", "merge_last")
VHOST, APP = "push.example.com", "live"


def letters(names):
    return [{"name": name, "servers": [{"domain": name.lower() + ".example.org"}]} for name in names]


# (what changes, the groups the app holds first, the module arguments of the task)
CASES = [
    ("no change", "AB", {"groups": letters("AB")}),
    ("create two groups", "", {"groups": letters("AB")}),
    ("change a group in place", "AB", {"groups": [{"name": "A", "servers": [{"domain": "a2.example.org"}]}] + letters("B")}),
    ("add a group at the end", "A", {"groups": letters("AB")}),
    ("purge_groups=false: change B, add C", "AB",
     {"groups": [{"name": "B", "servers": [{"domain": "b2.example.org"}]}] + letters("C"), "purge_groups": False}),
    ("remove the last group", "AB", {"groups": letters("A")}),
    ("remove a group in the middle (A, X, B to A, B)", "AXB", {"groups": letters("AB")}),
    ("rename a group (A, X to A, B with X's origins)", "AX",
     {"groups": letters("A") + [{"name": "B", "servers": [{"domain": "x.example.org"}]}]}),
    ("replace every group (A, B to C)", "AB", {"groups": letters("C")}),
    ("reorder (A, B to B, A)", "AB", {"groups": letters("BA")}),
    ("reorder and drop (A, B, C to C, A)", "ABC", {"groups": letters("CA")}),
    ("insert a group first (A, B to C, A, B)", "AB", {"groups": letters("CAB")}),
    ("delete one group (state=absent)", "AB", {"groups": [{"name": "B"}], "state": "absent"}),
    ("delete the whole app (state=absent)", "AB", {"state": "absent"}),
]


def count_calls(start, arguments, behaviour):
    """API calls of one run of the singular module's logic, the first read included, against the emulator's model."""
    from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_api import read_app
    from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source_writer import AppChange
    from ansible_collections.volcengine.cloud.tests.unit.model_client import app_config, model_client

    api = model_client([app_config(VHOST, APP, letters(start))] if start else [], update_mode=behaviour)
    change = AppChange(read_app(api, VHOST, APP), arguments.get("groups"), arguments.get("state", "present"),
                       arguments.get("purge_groups", True))
    if change.has_writes():
        change.apply(api)
    return len(api.requests())


def table():
    """[(case, [calls under each of BEHAVIOURS])]."""
    return [(name, [count_calls(start, arguments, behaviour) for behaviour in BEHAVIOURS]) for name, start, arguments in CASES]


def module_note(rows):
    """The module notes' entry: one line per case, YAML-quoted."""
    lines = ["  - 'B(API calls per run), the read included, under the update behaviours replace / merge / merge_first /",
             "    merge_last (computed by C(tools/calls_per_change.py), which also writes the user guide''s table):"]
    body = "; ".join("%s %s" % (name.replace("'", "''"), "/".join(str(calls) for calls in counts)) for name, counts in rows)
    words, line = body.split(" "), "   "
    for word in words:
        if len(line) + 1 + len(word) > 116:
            lines.append(line)
            line = "   "
        line += " " + word
    lines.append(line + ".'")
    return "\n".join(lines) + "\n"


def guide_table(rows):
    """The user guide's RST table."""
    width = max(len(name) for name, _counts in rows)
    rule = "  " + "=" * width + "  " + "  ".join("=" * len(behaviour) for behaviour in BEHAVIOURS)
    lines = [rule, "  " + "change".ljust(width) + "  " + "  ".join(BEHAVIOURS), rule]
    for name, counts in rows:
        lines.append("  " + name.ljust(width) + "  " + "  ".join(str(calls).ljust(len(behaviour))
                                                                 for calls, behaviour in zip(counts, BEHAVIOURS)).rstrip())
    lines.append(rule)
    return "\n".join(lines) + "\n"


NOTE_PATTERN = re.compile(r"^  - 'B\(API calls per run\).*?'\n(?=  - )", re.MULTILINE | re.DOTALL)
GUIDE_PATTERN = re.compile(r"(^  \.\. calls-per-change-table-start\n\n)(.*?)(^  \.\. calls-per-change-table-end$)",
                           re.MULTILINE | re.DOTALL)


def rendered_documents(rows):
    """{path: (current text, text with the computed table)}."""
    documents = {}
    with open(MODULE_FILE, encoding="utf-8") as module:
        text = module.read()
    if not NOTE_PATTERN.search(text):
        raise SystemExit("calls_per_change: no 'B(API calls per run)' note in %s" % MODULE_FILE)
    documents[MODULE_FILE] = (text, NOTE_PATTERN.sub(lambda _match: module_note(rows), text, count=1))
    with open(GUIDE_FILE, encoding="utf-8") as guide:
        text = guide.read()
    if not GUIDE_PATTERN.search(text):
        raise SystemExit("calls_per_change: no calls-per-change-table markers in %s" % GUIDE_FILE)
    documents[GUIDE_FILE] = (text, GUIDE_PATTERN.sub(lambda match: match.group(1) + guide_table(rows) + "\n" + match.group(3),
                                                     text, count=1))
    return documents


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help="rewrite the table in the module notes and the guide")
    action.add_argument("--check", action="store_true", help="exit 1 when a document differs from the computed table")
    args = parser.parse_args()
    rows = table()
    if not (args.write or args.check):
        sys.stdout.write(guide_table(rows))
        return 0
    stale = []
    for path, (current, computed) in rendered_documents(rows).items():
        if current != computed:
            stale.append(os.path.relpath(path, REPO_ROOT))
            if args.write:
                with open(path, "w", encoding="utf-8") as document:
                    document.write(computed)
    if args.write:
        print("calls_per_change: %s" % ("wrote " + ", ".join(stale) if stale else "up to date"))
        return 0
    if stale:
        print("calls_per_change: the table in %s differs from the computed one; run `make bench` or "
              "`PYTHONPATH=build python tools/calls_per_change.py --write`" % ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
