# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the Live API emulator (live_emulator.py) as a subprocess from tests.

    from ansible_collections.volcengine.cloud.tests.emulator.harness import Emulator

    with Emulator(update_mode='replace', rate_limit=0) as emu:
        emu.url, emu.access_key, emu.secret_key
        emu.set_state([...]); emu.inject_fault(kind='error', status=503, code='ServiceUnavailableTemp')
        emu.requests(); emu.write_requests(); emu.state()['RelaySourceConfigList']
        emu.set_scheduled_relays([...]); emu.scheduled_relays('pull.example.com')   # V4: fixed-triggered relay per stream

Only the standard library is used (urllib for the control calls).
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
from urllib.error import HTTPError
from urllib.request import HTTPSHandler, Request, build_opener

from ansible_collections.volcengine.cloud.tests.emulator.api_model import DEMO_ACCESS_KEY, DEMO_SECRET_KEY, V4_STATE_KEY, WRITE_ACTIONS

EMULATOR_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'live_emulator.py')
START_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0


class EmulatorError(Exception):
    pass


def _generate_certificate(directory):
    """A self-signed certificate for 127.0.0.1/localhost; returns (cert_path, key_path)."""
    cert = os.path.join(directory, 'emulator-cert.pem')
    key = os.path.join(directory, 'emulator-key.pem')
    openssl = shutil.which('openssl')
    if openssl:
        command = [openssl, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
                   '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
                   '-addext', 'basicConstraints=critical,CA:TRUE']
        completed = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        if completed.returncode == 0:
            return cert, key
        openssl_error = completed.stderr.decode('utf-8', 'replace')
    else:
        openssl_error = 'openssl not found on PATH'
    try:
        return _generate_certificate_cryptography(cert, key)
    except ImportError:
        raise EmulatorError('tls=True needs the openssl CLI or the Python "cryptography" package (%s)' % openssl_error.strip()) from None


def _generate_certificate_cryptography(cert_path, key_path):
    import datetime
    import ipaddress
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, u'127.0.0.1')])
    now = datetime.datetime.utcnow()
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(u'127.0.0.1')), x509.DNSName(u'localhost')]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(private_key, hashes.SHA256())
    )
    with open(key_path, 'wb') as handle:
        handle.write(private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                               serialization.NoEncryption()))
    with open(cert_path, 'wb') as handle:
        handle.write(certificate.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


class Emulator(object):
    """Context manager running live_emulator.py on 127.0.0.1 with a free port.

    ``update_mode``: one of api_model.UPDATE_MODES (``--update-mode``; the setting of the same name changes it later).
    ``latency``: seconds every API answer is held (``--latency``; the setting of the same name changes it later).
    ``settings``: any other settings (api_model.DEFAULT_SETTINGS) to apply once it runs, e.g. {"v4_ended": "hide"}.

    credentials: None (the demo key), a list of {"access_key", "secret_key", "session_token"} dicts, or a
    {"keys": [...]} document; the first key becomes ``access_key``/``secret_key``/``session_token``.
    """

    def __init__(self, update_mode='replace', rate_limit=0, state_file=None, credentials=None, tls=False,
                 empty_describe=None, max_clock_skew=None, latency=0.0, extra_args=None, start_timeout=START_TIMEOUT,
                 settings=None):
        self.update_mode = update_mode
        self.rate_limit = rate_limit
        self.state_file = str(state_file) if state_file is not None else None
        self.tls = tls
        self.empty_describe = empty_describe
        self.max_clock_skew = max_clock_skew
        self.latency = latency
        self.extra_args = list(extra_args or [])
        self.start_timeout = start_timeout
        self.initial_settings = dict(settings or {})
        if credentials is None:
            keys = [{'access_key': DEMO_ACCESS_KEY, 'secret_key': DEMO_SECRET_KEY, 'session_token': None}]
            self.credentials = None
        else:
            keys = credentials['keys'] if isinstance(credentials, dict) else list(credentials)
            self.credentials = {'keys': [dict({'session_token': None}, **key) for key in keys]}
            keys = self.credentials['keys']
        self.keys = keys
        self.access_key = keys[0]['access_key']
        self.secret_key = keys[0]['secret_key']
        self.session_token = keys[0].get('session_token')
        self.url = None
        self.ca_cert = None
        self.process = None
        self._workdir = None
        self._stderr = None
        self._opener = None

    # -- lifecycle ---------------------------------------------------------------------------------------

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def start(self):
        if self.process is not None:
            raise EmulatorError('the emulator is already running at %s' % self.url)
        self._workdir = tempfile.mkdtemp(prefix='volc-emulator-')
        command = [sys.executable, EMULATOR_SCRIPT, '--host', '127.0.0.1', '--port', '0',
                   '--update-mode', self.update_mode, '--rate-limit', str(self.rate_limit)]
        if self.state_file:
            command += ['--state', self.state_file]
        if self.credentials is not None:
            path = os.path.join(self._workdir, 'credentials.json')
            with open(path, 'w') as handle:
                json.dump(self.credentials, handle)
            command += ['--credentials', path]
        if self.empty_describe:
            command += ['--empty-describe', self.empty_describe]
        if self.max_clock_skew is not None:
            command += ['--max-clock-skew', str(self.max_clock_skew)]
        if self.latency:
            command += ['--latency', str(self.latency)]
        if self.tls:
            cert, key = _generate_certificate(self._workdir)
            self.ca_cert = cert
            command += ['--tls-cert', cert, '--tls-key', key]
        command += self.extra_args

        self._stderr = open(os.path.join(self._workdir, 'stderr.log'), 'w+b')
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._stderr)
        line = self._first_line()
        if not line.startswith(('http://', 'https://')):
            self.stop()
            raise EmulatorError('the emulator did not start (%s); stderr:\n%s' % (line or 'no URL printed', self._last_stderr))
        self.url = line
        if self.tls:
            context = ssl.create_default_context(cafile=self.ca_cert)
            self._opener = build_opener(HTTPSHandler(context=context))
        else:
            self._opener = build_opener()
        if self.initial_settings:
            try:
                self.settings(**self.initial_settings)
            except EmulatorError:
                self.stop()
                raise
        return self

    def _first_line(self):
        holder = []
        reader = threading.Thread(target=lambda: holder.append(self.process.stdout.readline()))
        reader.daemon = True
        reader.start()
        reader.join(self.start_timeout)
        if not holder:
            return 'no URL within %.0f seconds' % self.start_timeout
        return holder[0].decode('utf-8', 'replace').strip()

    def stop(self):
        process, self.process = self.process, None
        if process is not None:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            if process.stdout:
                process.stdout.close()
        self._last_stderr = self.stderr()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    _last_stderr = ''

    def stderr(self):
        """What the emulator wrote on stderr so far (tracebacks, --verbose logs)."""
        if self._stderr is None:
            return self._last_stderr
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read().decode('utf-8', 'replace')

    @property
    def returncode(self):
        return None if self.process is None else self.process.poll()

    # -- control interface -------------------------------------------------------------------------------

    def control(self, method, route, document=None):
        """Call /_emulator/<route>; returns the decoded JSON answer, raises EmulatorError on errors."""
        if self.url is None or self.process is None:
            raise EmulatorError('the emulator is not running')
        data = None if document is None else json.dumps(document).encode('utf-8')
        request = Request('%s/_emulator/%s' % (self.url, route), data=data, method=method,
                          headers={'Content-Type': 'application/json'})
        try:
            response = self._opener.open(request, timeout=30)
        except HTTPError as exc:
            raise EmulatorError('%s /_emulator/%s failed: HTTP %s %s' % (method, route, exc.code, exc.read().decode('utf-8', 'replace')))
        with response:
            return json.loads(response.read().decode('utf-8'))

    def requests(self):
        return self.control('GET', 'requests')

    def clear_requests(self):
        self.control('DELETE', 'requests')

    def write_requests(self):
        return [entry for entry in self.requests() if entry['action'] in WRITE_ACTIONS]

    def state(self):
        """GET /_emulator/state: ``{"RelaySourceConfigList": [...], "RelaySourceV4List": [...]}`` in the API's own
        shape (V4 entries {Domain, App, Stream, SrcAddrS, StartTime, EndTime}, 0/0 for a permanent one)."""
        return self.control('GET', 'state')

    def set_state(self, configs, scheduled_relays=None):
        """Replace the whole state: V3 ``configs`` (a list, or a whole state document) and V4 ``scheduled_relays``
        (a list of entries; None: those of a given document, else none)."""
        document = dict(configs) if isinstance(configs, dict) else {'RelaySourceConfigList': list(configs)}
        if scheduled_relays is not None:
            document[V4_STATE_KEY] = list(scheduled_relays)
        return self.control('PUT', 'state', document)

    def set_scheduled_relays(self, entries):
        """Replace the V4 entries only (PATCH /_emulator/state); the V3 configurations stay."""
        return self.control('PATCH', 'state', {V4_STATE_KEY: list(entries)})

    def scheduled_relays(self, domain=None):
        """The V4 entries the emulator holds (of ``domain`` only, when given), in creation order."""
        return [entry for entry in self.state()[V4_STATE_KEY] if domain is None or entry['Domain'] == domain]

    def inject_fault(self, **kwargs):
        return self.control('POST', 'faults', kwargs)

    def faults(self):
        return self.control('GET', 'faults')

    def clear_faults(self):
        self.control('DELETE', 'faults')

    def settings(self, **kwargs):
        """Change settings (see api_model.DEFAULT_SETTINGS); returns them all."""
        if not kwargs:
            return self.control('GET', 'settings')
        return self.control('PUT', 'settings', kwargs)

    def __repr__(self):
        return 'Emulator(url=%r, update_mode=%r)' % (self.url, self.update_mode)
