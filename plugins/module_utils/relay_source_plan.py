# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.cloud collection: not an API for other collections, roles or plugins. It may change
# incompatibly, or go, in any release of the collection (a patch release included) without notice.
"""What to write next to turn one app's groups into the declared ones: pure functions, no I/O.

The API documentation does not say what UpdateRelaySourceV3 does with the groups it is not sent, nor where it puts
the ones it is sent.  The planner knows four behaviours (``BEHAVIOURS``) and plans for every one that the reads of
this run have not ruled out:

* ``replace``: the app holds exactly the groups sent;
* ``merge``: a sent group replaces the stored one of its name in place, a new one is appended, others stay;
* ``merge_first``: the groups sent come first, in the order sent, then the others;
* ``merge_last``: the others first, then the groups sent.

An update that lists every group the app holds, in the app's order, with any new ones after them, ends the same
under all four: such writes (and group deletes) have a ``predicted`` state and need no read.  Any other update
(one that must reorder) has ``predicted`` None: the writer reads after it, keeps the behaviours that explain what it
read, and plans again from what is there.  A read that no behaviour explains leaves none (``OTHER``): from then on
the writer reads after every update, and its bound of writes stops a behaviour that cannot reach the declared order.

The safety rule, checked by ``keeps_origins`` and asserted after every write in the tests: every origin (server
domain) that is in both the starting and the declared configuration stays configured in some group, and the app
never has zero groups while the declaration is not empty.  So every update sends all declared groups (they hold
every kept origin); a group is deleted only once the declared groups are in place; and a declared group that must
be deleted to be re-appended later (``merge``, which cannot move a group) is first copied under a temporary name
when it holds a kept origin that no other group holds.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.volcengine.cloud.plugins.module_utils.relay_source import group_names, normalize_groups

REPLACE, MERGE, MERGE_FIRST, MERGE_LAST = 'replace', 'merge', 'merge_first', 'merge_last'
BEHAVIOURS = (REPLACE, MERGE, MERGE_FIRST, MERGE_LAST)
OTHER = 'other'

WRITE_UPDATE = 'update'
WRITE_DELETE_GROUP = 'delete_group'
WRITE_DELETE_APP = 'delete_app'

TEMPORARY_SUFFIX = '~ansible-copy'


def after_update(groups, sent, behaviour):
    """The groups an UpdateRelaySourceV3 of ``sent`` leaves on an app holding ``groups``, under ``behaviour``."""
    groups, sent = normalize_groups(groups), normalize_groups(sent)
    if behaviour == REPLACE:
        return sent
    sent_names = set(group_names(sent))
    rest = [group for group in groups if group['name'] not in sent_names]
    if behaviour == MERGE_FIRST:
        return sent + rest
    if behaviour == MERGE_LAST:
        return rest + sent
    return merged_list(groups, sent)


def merged_list(groups, declared):
    """``groups`` in their order with each declared group's content in place, then the declared groups they lack,
    in declared order: an update of this list ends the same under every behaviour."""
    by_name = dict((group['name'], group) for group in declared)
    result = [by_name.get(group['name'], group) for group in groups]
    present = set(group_names(groups))
    return result + [group for group in declared if group['name'] not in present]


def origins(groups):
    """The origins of ``groups``: their server domains, lower-case (what a CDN pulls from)."""
    return set(server['domain'].lower() for group in groups for server in group['servers'])


def kept_origins(start, declared):
    """The origins a change keeps: in both the starting and the declared configuration."""
    return origins(normalize_groups(start)) & origins(normalize_groups(declared))


def keeps_origins(groups, kept, declared):
    """The safety rule: every kept origin is configured in ``groups``, and ``groups`` is not empty unless the
    declaration is."""
    return kept <= origins(groups) and (bool(groups) or not declared)


def common_prediction(groups, sent, behaviours):
    """The groups the update leaves when every behaviour in ``behaviours`` agrees; None when they differ or none is
    known (the writer must read)."""
    predictions = [after_update(groups, sent, behaviour) for behaviour in behaviours]
    if predictions and all(prediction == predictions[0] for prediction in predictions):
        return predictions[0]
    return None


def behaviours_explaining(groups, sent, read_back, behaviours):
    """The behaviours of ``behaviours`` under which an update of ``sent`` to ``groups`` leaves ``read_back``."""
    return tuple(behaviour for behaviour in behaviours if after_update(groups, sent, behaviour) == read_back)


def longest_prefix_in_order(declared_names, names):
    """The longest prefix of ``declared_names`` whose names all occur in ``names`` in that relative order."""
    index_of = dict((name, index) for index, name in enumerate(names))
    prefix, last = [], -1
    for name in declared_names:
        index = index_of.get(name)
        if index is None or index < last:
            break
        prefix.append(name)
        last = index
    return prefix


def temporary_name(name, taken):
    """A name for a temporary copy of group ``name`` that no group in ``taken`` uses."""
    candidate, number = name + TEMPORARY_SUFFIX, 1
    while candidate in taken:
        number += 1
        candidate = '%s%s-%d' % (name, TEMPORARY_SUFFIX, number)
    return candidate


def step(action, groups, predicted, sent=None, temporary=False):
    """One planned write: ``action``, the group names it concerns, the groups an update sends, and ``predicted``,
    the groups it leaves (None when that depends on a behaviour the run has not ruled out)."""
    return {'action': action, 'groups': list(groups), 'sent': sent, 'predicted': predicted, 'temporary': temporary}


class Planner(object):
    """Plans the writes from a known state of one app toward ``declared``.

    ``kept``: the origins to keep (``kept_origins`` of the run's start); ``behaviours``: the update behaviours not yet
    ruled out; ``temporaries``: names of the temporary copies this run made; ``reorder_failed``: whether an update
    of the declared list was seen not to reorder the app (so only deleting and re-adding can).  With
    ``delete_groups_one_by_one``, an empty declaration is reached by deleting each group (what state=absent with
    every group listed asks for) rather than by one app-wide delete."""

    def __init__(self, declared, kept, behaviours=BEHAVIOURS, delete_groups_one_by_one=False):
        self.declared = normalize_groups(declared)
        self.delete_groups_one_by_one = delete_groups_one_by_one
        self.declared_names = group_names(self.declared)
        self.kept = kept
        self.behaviours = tuple(behaviours)
        self.temporaries = set()
        self.reorder_failed = False

    def plan(self, groups):
        """The writes from ``groups`` (known) on, up to and including the first whose outcome is not predicted."""
        steps = []
        groups = normalize_groups(groups)
        while groups != self.declared:
            if not self.declared:
                if self.delete_groups_one_by_one:
                    return steps + self._deletes(groups, group_names(groups))
                return steps + [step(WRITE_DELETE_APP, group_names(groups), [])]
            more = self._next_steps(groups)
            steps.extend(more)
            if more[-1]['predicted'] is None:
                return steps
            groups = more[-1]['predicted']
        return steps

    def _update(self, groups, sent, temporary=False):
        predicted = common_prediction(groups, sent, self.behaviours) if self.behaviours else None
        return step(WRITE_UPDATE, group_names(sent), predicted, sent=sent, temporary=temporary)

    def _deletes(self, groups, names, temporary=False):
        steps = []
        for name in names:
            groups = [group for group in groups if group['name'] != name]
            steps.append(step(WRITE_DELETE_GROUP, [name], groups, temporary=temporary))
        return steps

    def _next_steps(self, groups):
        """A few writes that make progress from ``groups`` (not the declared groups), each with its prediction."""
        merged = merged_list(groups, self.declared)
        if [group for group in merged if group['name'] in self.declared_names] == self.declared:
            # The declared order is reached by one update that every behaviour ends the same, then the deletes.
            steps = [self._update(groups, merged)] if merged != groups else []
            if steps and steps[-1]['predicted'] is None:
                return steps
            undeclared = [name for name in group_names(merged) if name not in self.declared_names]
            return steps + self._deletes(merged, undeclared, temporary=False)
        if not self.reorder_failed and set(self.behaviours) != {MERGE}:
            # Replace, merge_first and merge_last reorder with one update of the declared list.
            return [self._update(groups, self.declared)]
        return self._recycle(groups, merged)

    def _recycle(self, groups, merged):
        """Reach the order when updates cannot move a group (``merge``): delete the declared groups out of place and
        append them again, each first copied under a temporary name when it holds a kept origin no other group
        holds."""
        steps = [self._update(groups, merged)] if merged != groups else []
        if steps and steps[-1]['predicted'] is None:
            return steps
        groups = merged
        undeclared = [name for name in group_names(groups)
                      if name not in self.declared_names and name not in self.temporaries]
        steps += self._deletes(groups, undeclared)
        groups = [group for group in groups if group['name'] not in undeclared]
        names = [name for name in group_names(groups) if name not in self.temporaries]
        in_place = longest_prefix_in_order(self.declared_names, names)
        moving = [group for group in groups if group['name'] in names and group['name'] not in in_place]
        covered = origins(group for group in groups if group['name'] not in group_names(moving))
        copies = []
        for group in moving:
            if (origins([group]) & self.kept) - covered:
                name = temporary_name(group['name'], set(group_names(groups)) | set(self.declared_names))
                copies.append({'name': name, 'servers': group['servers']})
                covered |= origins([group])
        if copies:
            self.temporaries.update(group_names(copies))
            steps.append(self._update(groups, groups + copies, temporary=True))
            if steps[-1]['predicted'] is None:
                return steps
            groups = groups + copies
        steps += self._deletes(groups, group_names(moving))
        groups = [group for group in groups if group['name'] not in group_names(moving)]
        steps.append(self._update(groups, merged_list(groups, self.declared)))
        if steps[-1]['predicted'] is None:
            return steps
        groups = steps[-1]['predicted']
        return steps + self._deletes(groups, [name for name in group_names(groups) if name in self.temporaries],
                                     temporary=True)

    def learn(self, groups, sent, read_back):
        """Keep the behaviours that explain ``read_back`` after an update of ``sent`` to ``groups``; an update of the
        declared list that left the order as it was means reordering needs the delete-and-append path."""
        if self.behaviours:
            self.behaviours = behaviours_explaining(groups, sent, read_back, self.behaviours)
        if normalize_groups(sent) == self.declared and group_names(read_back) == group_names(groups):
            self.reorder_failed = True


def desired_groups(current, listed, purge_groups):
    """The groups that should exist.  purge_groups=true: the listed groups, in the listed order.  purge_groups=false
    (``merged``): the current groups in their order, each listed one changed in place, then the listed groups that
    do not exist yet, in the listed order; nothing is moved or deleted."""
    listed = normalize_groups(listed)
    if purge_groups:
        return listed
    return merged_list(normalize_groups(current), listed)


def plan_write_bound(start, declared):
    """The most writes one run of one app makes before it stops as not converging: twice the groups read and
    declared, plus six (the longest plan, a reorder by deleting and re-adding with temporary copies, makes at most
    four writes more than one per group read and two per group declared)."""
    return 2 * (len(start) + len(declared)) + 6
