#!/usr/bin/env python
"""Render docs/performance.md from the JSON results of the benchmarks (`make bench` runs it after tools/bench_*.py).

    python tools/performance_page.py build/bench/run1 [build/bench/run2 ...] [--output docs/performance.md]

Each folder holds one run: the file each benchmark wrote with `--json` (`<name>.json`). A benchmark's JSON carries
its section of the page under `summary`: `title`, `measured` (`measured_on()`), `rows` (each a `what`, a `result`
format in str.format syntax and the `values` it formats) and `notes`. A new benchmark gets onto the page by writing
one; a JSON without it stops the rendering. With several runs, a value that differs between them is shown as a range,
min to max.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import string
import sys
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUTPUT = os.path.join(REPO_ROOT, "docs", "performance.md")
HEADER = """# Performance

Measured with `make bench` (`tools/bench_*.py`, against the local emulator on 127.0.0.1, nothing leaves the machine),
which renders this page again with `tools/performance_page.py`; `make bench BENCH_RUNS=2` measures twice and shows
ranges across the runs. The machine is shared and noisy, so the figures say what to expect on a small controller,
not what any controller achieves. No figure here comes from a unit test.
"""


def measured_on():
    """When and where a benchmark ran, for its `summary`: the date and the controller."""
    return {"date": time.strftime("%Y-%m-%d"), "controller": "%s, Python %s, %d cores" % (
        sys.platform, sys.version.split()[0], os.cpu_count() or 0)}


class PageError(Exception):
    pass


def load_runs(folders):
    """{benchmark name: [its summary in each run]}, in name order; every run must hold the same benchmarks."""
    runs = []
    for folder in folders:
        run = {}
        for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
            with open(path, encoding="utf-8") as result_file:
                result = json.load(result_file)
            if "summary" not in result:
                raise PageError("%s has no summary: the benchmark must write one for docs/performance.md "
                                "(see tools/performance_page.py)" % path)
            run[os.path.splitext(os.path.basename(path))[0]] = result["summary"]
        if not run:
            raise PageError("no benchmark results (*.json) in %s" % folder)
        runs.append(run)
    if any(sorted(run) != sorted(runs[0]) for run in runs):
        raise PageError("the runs hold different benchmarks: %s" % [sorted(run) for run in runs])
    return {name: [run[name] for run in runs] for name in sorted(runs[0])}


def format_across_runs(result, values_per_run):
    """``result`` (a str.format pattern) filled in with each value, as a range where the runs differ."""
    parts = list(string.Formatter().parse(result))
    specs = [spec for _text, field, spec, _conversion in parts if field is not None]
    if any(len(values) != len(specs) for values in values_per_run):
        raise PageError("%r takes %d values, got %s" % (result, len(specs), values_per_run))
    shown = []
    for spec, values in zip(specs, zip(*values_per_run)):
        low, high = format(min(values), spec), format(max(values), spec)
        shown.append(low if low == high else "%s\u2013%s" % (low, high))
    plain = "".join(text.replace("{", "{{").replace("}", "}}") + ("{}" if field is not None else "")
                    for text, field, _spec, _conversion in parts)
    return plain.format(*shown)


def render(benchmarks):
    lines = [HEADER]
    for summaries in benchmarks.values():
        first = summaries[0]
        dates = sorted({summary["measured"]["date"] for summary in summaries})
        when = dates[0] if len(dates) == 1 else "%s to %s" % (dates[0], dates[-1])
        lines += ["## %s" % first["title"], "",
                  "%s; %s, %d run%s." % (first["measured"]["controller"], when, len(summaries),
                                         "" if len(summaries) == 1 else "s"), "",
                  "| what | result |", "|---|---|"]
        for index, row in enumerate(first["rows"]):
            rows = [summary["rows"][index] for summary in summaries]
            if any((other["what"], other["result"]) != (row["what"], row["result"]) for other in rows):
                raise PageError("the runs of %r differ in row %d" % (first["title"], index))
            lines.append("| %s | %s |" % (row["what"], format_across_runs(row["result"], [other["values"] for other in rows])))
        lines.append("")
        for note in first.get("notes", []):
            lines += [note, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", metavar="RUN_FOLDER", help="a folder of one run's benchmark JSON files")
    parser.add_argument("--output", default=DEFAULT_OUTPUT, help="the page to write (default: docs/performance.md)")
    args = parser.parse_args()
    try:
        page = render(load_runs(args.runs))
    except PageError as error:
        print("performance_page: %s" % error, file=sys.stderr)
        return 1
    with open(args.output, "w", encoding="utf-8") as output:
        output.write(page)
    print("wrote %s" % os.path.relpath(args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
