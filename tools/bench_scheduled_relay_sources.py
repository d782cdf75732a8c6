#!/usr/bin/env python
"""Benchmark volc_live_scheduled_relay_sources (fixed-trigger relay, many streams in one task) against the local
emulator; with --json, its section of docs/performance.md (`make bench` renders the page with tools/performance_page.py).

Measures, through ansible-playbook:
  1. new streams: 200 new streams across 2 domains in one task (max_workers at its default), against an emulator
     that accepts 10 requests/second and holds every answer 0.3 seconds (an API far away): the achieved rate, the
     requests after the first over the time from the first to the last request of the emulator's log, as a share
     of the 10/s ceiling (goal: at least 90 %), the HTTP 429 answers (goal: none) and the failed streams, those the
     emulator does not hold as declared afterwards (goal: none);
  2. a 1,000-stream no-op on one domain, its 1,000 entries written two ways: in the task (YAML) and in a JSON file the
     task loads with lookup('file') | from_json. For each: the API calls (goal: 2, two ListRelaySourceV4 pages of 500 and
     nothing else) and the playbook's wall time next to a playbook with a single ansible.builtin.ping task and next to
     the floor, the same playbook with a module that does nothing (the module's options, the same entries; it only
     returns), interleaved runs, medians. The floor is what ansible-core spends carrying the entries to any module and
     back (parsing, templating, the arguments, the result). Goal: the module's own share, its wall time over the floor,
     at most half the ping playbook (#26's "within 1.5x a ping playbook", with the floor in place of the ping:
     ansible-core 2.19 alone takes the floor past 1.5x a ping when the entries are written in the task). The ratio to
     the ping playbook is reported for both ways, without a goal.

A missed goal makes it exit with status 1 after it has printed and written what it measured, each miss on a line of
its own ("FAIL: ..."), so `make bench` fails loudly; --report-only reports the goals and exits 0 (the small-scale run
of tests/e2e/test_benchmark.py, whose figures mean nothing).

Usage (in the nox session bench, or its venv .nox/bench): python tools/bench_scheduled_relay_sources.py [--streams N] [--domains N] [--noop-streams N]
[--latency S] [--repeats N] [--json FILE] [--report-only]. Nothing leaves 127.0.0.1. The playbook runner and the
emulator harness are those of tools/bench_relay_source.py.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import pprint
import statistics
import sys
import tempfile
import time

TOOLS_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS_DIR)
import bench_relay_source as single  # noqa: E402  (a sibling script: its playbook runner and emulator helpers)
from performance_page import measured_on  # noqa: E402

API_RATE = single.API_RATE
MODULE = 'volcengine.cloud.volc_live_scheduled_relay_sources'
LIST_PAGE_SIZE = 500  # ListRelaySourceV4's largest page: a read of N streams takes ceil(N / 500) calls
APP = 'live'
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
GOAL_SHARE_OF_CEILING = 0.9
# The no-op's goal: its wall time over the floor's (a module that does nothing, given the same entries) at most half
# the ping playbook's, the "within 1.5x a ping playbook" of the issue with the floor in place of the ping.
GOAL_MODULE_SHARE_OF_PING = 0.5
FORM_NAMES = {'task': 'written in the task', 'json_file': 'in a JSON file'}


def window_base():
    """Unix seconds of the next whole hour two days ahead: windows that have not ended (the module refuses those)."""
    return (int(time.time()) // 3600 + 49) * 3600


def stream_names(count):
    return ['stream%04d' % number for number in range(count)]


def origins(stream):
    return ['rtmp://origin-a.example.org/%s/%s' % (APP, stream), 'rtmp://origin-b.example.org:1935/%s/%s' % (APP, stream)]


def declared(domain, streams, base):
    """(the module's config, the API's entries it declares): every other stream pulls from base for 6 hours, written in
    ISO 8601 with a +08:00 offset (the module converts it to the Unix seconds the API holds), the others permanently."""
    config, entries = [], []
    for index, stream in enumerate(streams):
        item = {'domain': domain, 'app': APP, 'stream': stream, 'origins': origins(stream)}
        entry = {'Domain': domain, 'App': APP, 'Stream': stream, 'SrcAddrS': origins(stream), 'StartTime': 0, 'EndTime': 0}
        if index % 2:
            start, end = base + index % 24 * 3600, base + index % 24 * 3600 + 6 * 3600
            item.update(start=iso_beijing(start), end=iso_beijing(end))
            entry.update(StartTime=start, EndTime=end)
        config.append(item)
        entries.append(entry)
    return config, entries


def iso_beijing(seconds):
    return datetime.datetime.fromtimestamp(seconds, BEIJING).isoformat()


def sources_playbook(workdir, name, config):
    return single.write_playbook(workdir, name, [{'name': 'Apply scheduled relay sources', MODULE: {'config': config}}])


def run(playbook, emulator, workdir):
    """(wall seconds, the emulator's log, changed, failed) of one playbook run with the client limiter at its default
    (in a TMPDIR of the benchmark's own: see bench_relay_source.run_playbook)."""
    emulator.clear_requests()
    elapsed, completed = single.run_playbook(playbook, emulator, workdir, rate_limit=API_RATE)
    return elapsed, emulator.requests(), single.recap_count(completed, 'changed'), single.recap_count(completed, 'failed')


def list_calls(count):
    """The ListRelaySourceV4 calls a read of ``count`` streams of one domain takes (an empty domain: one)."""
    return max(1, -(-count // LIST_PAGE_SIZE))


NOOP_FORMS = ('task', 'json_file')
FLOOR_MODULE = 'scheduled_relay_floor'
FLOOR_SOURCE = """#!/usr/bin/python
# Written by tools/bench_scheduled_relay_sources.py: the floor of its no-op, a module with the options of
# volc_live_scheduled_relay_sources that does nothing but return.
from ansible.module_utils.basic import AnsibleModule, env_fallback

ARGUMENT_SPEC = %s


def main():
    AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True).exit_json(changed=False)


if __name__ == '__main__':
    main()
"""


class _Code(str):
    """Source text that repr() writes as it is (the env_fallback of the floor module's options)."""

    def __repr__(self):
        return str(self)


def floor_argument_spec(spec):
    """``spec`` as a literal for the floor module: each fallback becomes Ansible's env_fallback over the same variables
    (the secret still comes from the environment, so Ansible hides it in the result as it does for the module)."""
    literal = {}
    for name, option in spec.items():
        option = dict(option)
        if 'fallback' in option:
            option['fallback'] = _Code('(env_fallback, %r)' % (list(option['fallback'][1]),))
        if 'options' in option:
            option['options'] = floor_argument_spec(option['options'])
        literal[name] = option
    return literal


def write_floor_module(workdir):
    """library/scheduled_relay_floor.py beside the playbooks, where ansible-playbook finds a playbook's own modules."""
    from ansible_collections.volcengine.cloud.plugins.modules.volc_live_scheduled_relay_sources import argument_spec
    library = os.path.join(workdir, 'library')
    os.makedirs(library, exist_ok=True)
    with open(os.path.join(library, FLOOR_MODULE + '.py'), 'w', encoding='utf-8') as module_file:
        module_file.write(FLOOR_SOURCE % pprint.pformat(floor_argument_spec(argument_spec()), width=110))


def noop_playbooks(workdir, config):
    """{(form, 'module' | 'floor'): playbook} for the no-op: the entries in the task, or in streams.json."""
    with open(os.path.join(workdir, 'streams.json'), 'w', encoding='utf-8') as json_file:
        json.dump(config, json_file)
    arguments = {'task': {'config': config}, 'json_file': {'config': "{{ lookup('ansible.builtin.file', 'streams.json') | from_json }}"}}
    playbooks = {}
    for form in NOOP_FORMS:
        for kind, module in (('module', MODULE), ('floor', FLOOR_MODULE)):
            name = 'noop_%s_%s' % (form, kind)
            playbooks[form, kind] = single.write_playbook(workdir, name, [{'name': 'No-op', module: arguments[form]}])
    return playbooks


def measure_noop(workdir, count, repeats):
    """The no-op of ``count`` streams of one domain, in each form next to its floor and to a one-task ping playbook,
    the playbooks interleaved ``repeats`` times."""
    config, entries = declared('pull.example.com', stream_names(count), window_base())
    write_floor_module(workdir)
    ping = single.write_playbook(workdir, 'ping', [{'name': 'Ping', 'ansible.builtin.ping': {}}])
    playbooks = noop_playbooks(workdir, config)
    pings, walls = [], dict((key, []) for key in playbooks)
    calls, actions, changed, failed = [], set(), 0, 0
    with single.harness.Emulator(update_mode='replace', rate_limit=API_RATE) as emulator:
        emulator.set_scheduled_relays(entries)
        for _repeat in range(repeats):
            pings.append(run(ping, emulator, workdir)[0])
            for key, playbook in playbooks.items():
                elapsed, log, run_changed, run_failed = run(playbook, emulator, workdir)
                walls[key].append(elapsed)
                changed, failed = changed + run_changed, failed + run_failed
                if key[1] == 'module':
                    calls.append(len(log))
                    actions.update(entry['action'] for entry in log)
        unchanged = emulator.scheduled_relays() == entries
    ping_wall = statistics.median(pings)
    forms = {}
    for form in NOOP_FORMS:
        wall, floor = statistics.median(walls[form, 'module']), statistics.median(walls[form, 'floor'])
        forms[form] = {'wall': wall, 'wall_range': [min(walls[form, 'module']), max(walls[form, 'module'])], 'floor_wall': floor,
                       'module_share': wall - floor, 'share_of_ping': (wall - floor) / ping_wall, 'ratio': wall / ping_wall,
                       'floor_ratio': floor / ping_wall}
    return {'streams': count, 'repeats': repeats, 'calls': max(calls), 'calls_per_run': calls, 'runs': repeats * len(NOOP_FORMS),
            'expected_calls': list_calls(count), 'actions': sorted(actions), 'changed': changed, 'failed_tasks': failed,
            'state_unchanged': unchanged, 'ping_wall': ping_wall, 'ping_range': [min(pings), max(pings)], 'forms': forms}


def stream_key(entry):
    return entry['Domain'], entry['App'], entry['Stream']


def failed_streams(held, expected):
    """The declared streams the emulator does not hold as declared (missing or different), plus any it holds that were
    not declared."""
    held_by_key = dict((stream_key(entry), entry) for entry in held)
    wrong = [stream_key(entry) for entry in expected if held_by_key.get(stream_key(entry)) != entry]
    declared_keys = set(stream_key(entry) for entry in expected)
    return wrong + [key for key in held_by_key if key not in declared_keys]


def measure_new_streams(workdir, count, domains, latency, repeats):
    """``repeats`` runs creating ``count`` streams spread over ``domains`` domains, each against a fresh emulator."""
    base = window_base()
    config, expected = [], []
    for number in range(domains):
        names = stream_names(count)[number::domains]
        domain_config, domain_entries = declared('pull%d.example.com' % (number + 1), names, base)
        config += domain_config
        expected += domain_entries
    playbook = sources_playbook(workdir, 'new_scheduled', config)
    runs = []
    for _repeat in range(repeats):
        with single.harness.Emulator(update_mode='replace', rate_limit=API_RATE, latency=latency) as emulator:
            elapsed, log, changed, failed = run(playbook, emulator, workdir)
            wrong = failed_streams(emulator.scheduled_relays(), expected)
        answered = [entry for entry in log if entry['http_status'] != 429]
        times = sorted(entry['time'] for entry in answered)
        span = times[-1] - times[0] if len(times) > 1 else 0.0
        rate = (len(answered) - 1) / span if span else None
        runs.append({'streams': count, 'domains': domains, 'latency': latency, 'wall': elapsed, 'calls': len(answered),
                     'expected_calls': count + domains, 'throttled_429': len(log) - len(answered), 'span': span,
                     'calls_per_second': rate, 'share_of_ceiling': rate / API_RATE if rate else None, 'changed': changed,
                     'failed_tasks': failed, 'failed_streams': len(wrong), 'failed_stream_names': ['/'.join(name) for name in wrong[:10]]})
    return runs


def throughput_figures(runs):
    """The run of median span, with the counts of every run added up (a 429 or a failure in any run counts)."""
    chosen = dict(sorted(runs, key=lambda row: row['span'])[len(runs) // 2])
    shares = [row['share_of_ceiling'] or 0.0 for row in runs]
    chosen.update({'runs': len(runs), 'share_range': [min(shares), max(shares)],
                   'throttled_429': sum(row['throttled_429'] for row in runs),
                   'failed_tasks': sum(row['failed_tasks'] for row in runs),
                   'failed_streams': sum(row['failed_streams'] for row in runs)})
    return chosen


def missed_goals(noop, throughput):
    """One sentence per goal missed."""
    missed = []
    if noop['calls_per_run'] != [noop['expected_calls']] * noop['runs'] or noop['actions'] != ['ListRelaySourceV4']:
        missed.append('the %d-stream no-op made %s API calls (%s) per run; the goal is %d ListRelaySourceV4 calls' % (
            noop['streams'], noop['calls_per_run'], ', '.join(noop['actions']), noop['expected_calls']))
    if noop['changed'] or noop['failed_tasks'] or not noop['state_unchanged']:
        missed.append('the no-op changed something (changed=%d, failed=%d, state unchanged: %s)' % (
            noop['changed'], noop['failed_tasks'], noop['state_unchanged']))
    for form, figures in sorted(noop['forms'].items()):
        if figures['share_of_ping'] > GOAL_MODULE_SHARE_OF_PING:
            missed.append('the %d-stream no-op (entries %s) took %.2f s, %.2f s over the floor (%.2f s), %.2f times the ping '
                          'playbook (%.2f s); the goal is at most %.1f times' % (
                              noop['streams'], FORM_NAMES[form], figures['wall'], figures['module_share'],
                              figures['floor_wall'], figures['share_of_ping'], noop['ping_wall'], GOAL_MODULE_SHARE_OF_PING))
    share = throughput['share_of_ceiling'] or 0.0
    if share < GOAL_SHARE_OF_CEILING:
        missed.append('%d new streams: %.2f calls/s, %.0f %% of the %g/s ceiling (median of %d runs); the goal is at least %.0f %%'
                      % (throughput['streams'], throughput['calls_per_second'] or 0.0, 100 * share, API_RATE, throughput['runs'],
                         100 * GOAL_SHARE_OF_CEILING))
    if throughput['throttled_429']:
        missed.append('%d HTTP 429 answers over %d runs; the goal is none' % (throughput['throttled_429'], throughput['runs']))
    if throughput['failed_streams'] or throughput['failed_tasks']:
        missed.append('%d failed streams and %d failed tasks over %d runs (first: %s); the goal is none' % (
            throughput['failed_streams'], throughput['failed_tasks'], throughput['runs'],
            ', '.join(throughput['failed_stream_names']) or '-'))
    if throughput['calls'] != throughput['expected_calls']:
        missed.append('%d new streams took %d API calls; expected %d (one ListRelaySourceV4 per domain, one Create per stream)'
                      % (throughput['streams'], throughput['calls'], throughput['expected_calls']))
    return missed


def noop_row(noop, form):
    figures = noop['forms'][form]
    return {'what': '%d-stream no-op on one domain, entries %s, playbook wall time (%d interleaved runs, median): one '
                    '`volc_live_scheduled_relay_sources` task vs the floor (a module that does nothing, same options and '
                    'entries) and one `ansible.builtin.ping` task' % (noop['streams'], FORM_NAMES[form], noop['repeats']),
            'result': '{:.2f} s vs {:.2f} s (floor) and {:.2f} s (ping): the module\'s share {:.2f} s = {:.2f}\u00d7 the ping '
                      '(goal: at most 0.5\u00d7); {:.2f}\u00d7 the ping in all (the floor alone: {:.2f}\u00d7); {:d} API calls '
                      '(goal: {:d})',
            'values': [figures['wall'], figures['floor_wall'], noop['ping_wall'], figures['module_share'], figures['share_of_ping'],
                       figures['ratio'], figures['floor_ratio'], noop['calls'], noop['expected_calls']]}


def summary(noop, throughput):
    """The section of docs/performance.md (tools/performance_page.py renders it, with ranges across runs)."""
    return {
        'title': 'volc_live_scheduled_relay_sources: many streams in one task (tools/bench_scheduled_relay_sources.py)',
        'measured': measured_on(),
        'rows': [noop_row(noop, form) for form in NOOP_FORMS] + [
            {'what': '%d new streams across %d domains in one task, API at %g req/s holding each answer %g s (%d runs, median)'
                     % (throughput['streams'], throughput['domains'], API_RATE, throughput['latency'], throughput['runs']),
             'result': '{:d} API calls, {:.2f} calls/s = {:.0f} % of the 10/s ceiling (goal: at least 90 %), {:d} HTTP 429, '
                       '{:d} failed streams, {:.1f} s wall',
             'values': [throughput['calls'], throughput['calls_per_second'] or 0.0, 100 * (throughput['share_of_ceiling'] or 0.0),
                        throughput['throttled_429'], throughput['failed_streams'], throughput['wall']]},
        ],
        'notes': [
            'The client-side limiter is at its default (%g requests/second) and the task at its default `max_workers`; the '
            'emulator runs on the same machine. Calls/s is the requests after the first over the time from the first to '
            'the last request in the emulator\'s log; the limiter, like the API, lets a burst of %d through at once, so a '
            'run can pass 100 %%. Failed streams: those the emulator does not hold as declared afterwards. The no-op reads '
            'the domain in ListRelaySourceV4 pages of %d and writes nothing. The bench exits 1 when a goal is missed.'
            % (API_RATE, int(API_RATE), LIST_PAGE_SIZE),
            'Half of the streams pull during a 6-hour window written in ISO 8601 with a +08:00 offset, half permanently, '
            'so the no-op also compares the windows the module converts to Unix seconds with those the API holds. The '
            'floor is the same playbook with a module that has the options of volc_live_scheduled_relay_sources and only '
            'returns: what ansible-core spends carrying the entries to a module and back (parsing, '
            'templating, the arguments, the result); the module\'s share is its wall time over the floor. A goal of 1.5\u00d7 '
            'a ping playbook cannot hold for 1,000 entries written in the task: with ansible-core 2.19 the floor alone '
            'takes longer. The goal is that 1.5\u00d7 with the floor in place of the ping: the module\'s share at most half '
            'the ping playbook. The benchmark\'s playbook runs have a TMPDIR of their own, so no other run on the machine '
            'shares their client-side limiter window.']}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--streams', type=int, default=200, help='new streams created in one task (default: %(default)s)')
    parser.add_argument('--domains', type=int, default=2, help='domains the new streams are spread over (default: %(default)s)')
    parser.add_argument('--noop-streams', type=int, default=1000, help='streams of the one-domain no-op (default: %(default)s)')
    parser.add_argument('--latency', type=float, default=0.3, help='seconds the emulator holds each answer, new streams '
                                                                   '(default: %(default)s)')
    parser.add_argument('--repeats', type=int, default=3, help='runs of each measurement (default: %(default)s)')
    parser.add_argument('--json', help='write every measurement and the section of docs/performance.md to this file, '
                                       'as JSON (see tools/performance_page.py)')
    parser.add_argument('--build-root', help='use the collection already assembled under this directory')
    parser.add_argument('--report-only', action='store_true', help='report missed goals but exit 0 (small-scale test runs)')
    args = parser.parse_args()

    single.use_collection(args.build_root)

    with tempfile.TemporaryDirectory(prefix='volcengine-bench-') as workdir:
        noop = measure_noop(workdir, args.noop_streams, args.repeats)
        runs = measure_new_streams(workdir, args.streams, args.domains, args.latency, args.repeats)
    throughput = throughput_figures(runs)
    missed = missed_goals(noop, throughput)

    section = summary(noop, throughput)
    for row in section['rows']:
        print('%s: %s' % (row['what'], row['result'].format(*row['values'])))
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as json_file:
            json.dump({'noop': noop, 'new_streams': runs, 'throughput': throughput, 'missed_goals': missed, 'summary': section},
                      json_file, indent=2)
    for sentence in missed:
        print('FAIL: %s' % sentence)
    return 1 if missed and not args.report_only else 0


if __name__ == '__main__':
    sys.exit(main())
