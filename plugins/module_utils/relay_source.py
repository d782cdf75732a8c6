# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.cloud collection: not an API for other collections, roles or plugins. It may change
# incompatibly, or go, in any release of the collection (a patch release included) without notice.
"""The relay-source modules' vocabulary: one app's configuration in the modules' snake_case shape.

    {'vhost': 'push.example.com', 'app': 'live',
     'groups': [{'name': 'primary', 'servers': [{'domain': 'origin-a.example.org', 'protocol': 'rtmp', 'params': {}}]}]}

Groups and servers are ordered (the CDN tries them in order).  Everything compares groups in the normalised form of
``normalize_groups``.  ``StoredApp`` is one app as a read returned it, with the fields this collection does not
model (``unmanaged``) kept aside so that a write can send them back verbatim.

The other roles live beside this file: relay_source_input.py (option rules), relay_source_api.py (requests and the
answer checks), relay_source_plan.py (what to write next, pure), relay_source_writer.py (the closed loop that writes
one app), relay_source_many_apps.py (many apps in one task).
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

PROTOCOLS = ('rtmp', 'flv')
DEFAULT_PROTOCOL = 'rtmp'


def normalize_server(server):
    """One server in canonical form: domain stripped, protocol lower-case, params a dict of str -> str."""
    params = server.get('params') or {}
    return {
        'domain': (server.get('domain') or '').strip(),
        'protocol': (server.get('protocol') or DEFAULT_PROTOCOL).strip().lower(),
        'params': dict((str(key), param_text(value)) for key, value in params.items()),
    }


def param_text(value):
    """A parameter value as the API stores it (and as YAML writes it quoted): true/false, '' for null, else str()."""
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return '' if value is None else str(value)


def normalize_group(group):
    return {
        'name': group.get('name'),
        'servers': [normalize_server(server) for server in (group.get('servers') or [])],
    }


def normalize_groups(groups):
    return [normalize_group(group) for group in (groups or [])]


def group_names(groups):
    return [group['name'] for group in groups]


def config(vhost, app, groups):
    """The modules' snake_case shape of one app's configuration."""
    return {'vhost': vhost, 'app': app, 'groups': normalize_groups(groups)}


class StoredApp(object):
    """One app as a read returned it: ``groups`` in the modules' shape, and what the collection does not model.

    ``unmanaged`` maps a group name to ``{'group': {field: value}, 'servers': [{field: value}, ...]}``, the fields of
    that group and of each of its servers beside the modelled ones (BytePlus documents ``Backup``, ``Weight``,
    ``Host``, ``PullAuth``...); ``app_fields`` holds the app-level fields beside ``GroupDetails`` (``RetryTimes``,
    ``LBType``...).  Only groups that hold such fields are in ``unmanaged``."""

    def __init__(self, vhost, app, groups, unmanaged=None, app_fields=None):
        self.vhost = vhost
        self.app = app
        self.groups = normalize_groups(groups)
        self.unmanaged = dict(unmanaged or {})
        self.app_fields = dict(app_fields or {})

    def config(self):
        return config(self.vhost, self.app, self.groups)

    def group(self, name):
        return next((group for group in self.groups if group['name'] == name), None)

    def unmanaged_fields(self, name):
        """The unmanaged fields of group ``name`` as paths (``Backup``, ``servers[0].Host``), sorted; [] for none."""
        fields = self.unmanaged.get(name)
        if not fields:
            return []
        paths = sorted(fields.get('group', {}))
        for index, server_fields in enumerate(fields.get('servers', [])):
            paths.extend('servers[%d].%s' % (index, key) for key in sorted(server_fields))
        return paths

    def keeps_unmanaged(self, group):
        """Whether sending ``group`` (the modules' shape) sends back the unmanaged fields of the stored group of its
        name: only when its modelled content is the stored content, since a changed group's servers may no longer
        line up with the stored ones."""
        return group['name'] in self.unmanaged and normalize_group(group) == self.group(group['name'])


def diff_header(vhost, app):
    """What a diff of one app's configuration is about, e.g. ``relay source push.example.com/live``: Ansible prints
    it after ``before:``/``after:``, so a ``--diff`` of many apps (a loop, or a module that manages several) says
    which app each one is."""
    return 'relay source %s/%s' % (vhost, app)


def _diff_side(vhost, app, groups, stored, kept_only):
    """One side of a diff; a group holding unmanaged fields lists them under ``unmanaged_fields`` (on the after side
    only where the write keeps them), so a review shows that a change drops them."""
    if not groups:
        return {}
    side = config(vhost, app, groups)
    if stored is not None:
        for group in side['groups']:
            fields = stored.unmanaged_fields(group['name'])
            if fields and (not kept_only or stored.keeps_unmanaged(group)):
                group['unmanaged_fields'] = fields
    return side


def app_diff(vhost, app, before_groups, after_groups, stored=None):
    """The ``diff`` return value of one app: its configuration before and after in the modules' shape (``{}`` when it
    has no group), with both headers naming the vhost and the app (``diff_header``).  With ``stored`` (the StoredApp
    read), groups that hold fields the collection does not manage say so (``unmanaged_fields``)."""
    header = diff_header(vhost, app)
    return {'before': _diff_side(vhost, app, before_groups, stored, False),
            'after': _diff_side(vhost, app, after_groups, stored, True),
            'before_header': header, 'after_header': header}
