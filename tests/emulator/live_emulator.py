# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A local emulator of the Volcengine Live OpenAPI relay-source actions (test-only): the HTTP server and its CLI.

Serves ``UpdateRelaySourceV3``, ``DescribeRelaySourceV3`` and ``DeleteRelaySourceV3`` (play-triggered relay per
app) and ``CreateRelaySourceV4``, ``UpdateRelaySourceV4``, ``DeleteRelaySourceV4`` and ``ListRelaySourceV4``
(fixed-triggered relay per stream), Version 2023-01-01, on ``POST /?Action=...&Version=...``: each request's
signature is checked (signature_check.py, with the official ``volcengine`` SDK's code), then answered by the
in-memory model of the API (api_model.py). An unsigned control interface under ``/_emulator/`` reads and changes
the model (request log, state, fault injection, settings).

Run: ``python live_emulator.py --host 127.0.0.1 --port 0``; the first line of stdout is the URL. See
docs/developing.md, section "The emulator (tests/emulator/)", for the full contract.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import json
import signal
import socket
import ssl
import sys
import threading

from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs, unquote, urlsplit

try:  # imported as part of the collection's tests
    from . import api_model, signature_check
except ImportError:  # run as a script: this folder is on sys.path
    import api_model
    import signature_check

CONTROL_PREFIX = '/_emulator/'
MAX_BODY = 10 * 1024 * 1024


class DropConnection(Exception):
    """Close the connection without answering."""


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'VolcengineLiveEmulator/1.0'
    sys_version = ''
    timeout = 120

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.verbose:
            sys.stderr.write('%s - %s\n' % (self.address_string(), format % args))

    # -- plumbing ----------------------------------------------------------------------------------------

    def _read_body(self):
        length = self.headers.get('Content-Length')
        if length is None:
            if self.headers.get('Transfer-Encoding', '').lower() == 'chunked':
                return self._read_chunked()
            return b''
        try:
            length = int(length)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            raise api_model.ControlError(400, 'bad Content-Length')
        return self.rfile.read(length) if length else b''

    def _read_chunked(self):
        chunks = []
        while True:
            size = int(self.rfile.readline().split(b';', 1)[0].strip() or b'0', 16)
            if size == 0:
                while self.rfile.readline() not in (b'\r\n', b'\n', b''):
                    pass
                return b''.join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _send(self, status, payload, content_type='application/json; charset=utf-8', headers=None):
        if isinstance(payload, (dict, list)):
            data = json.dumps(payload, ensure_ascii=False).encode('utf-8')
        elif isinstance(payload, bytes):
            data = payload
        else:
            data = payload.encode('utf-8')
        self.send_response(status)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header('Connection', 'close')
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(data)

    def _dispatch(self):
        try:
            if self.path.startswith(CONTROL_PREFIX) or self.path.rstrip('/') == CONTROL_PREFIX.rstrip('/'):
                self._control()
            else:
                self._api()
        except DropConnection:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        except api_model.ControlError as exc:
            self._send(exc.status, {'error': exc.message})
        except (BrokenPipeError, ConnectionResetError):  # the client went away
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _dispatch  # noqa: N815

    # -- control interface -------------------------------------------------------------------------------

    def _control(self):
        body = self._read_body()
        route = urlsplit(self.path).path[len(CONTROL_PREFIX):].strip('/')
        method = self.command
        model = self.server.model

        def document():
            if not body.strip():
                return {}
            try:
                return json.loads(body.decode('utf-8'))
            except ValueError as exc:
                raise api_model.ControlError(400, 'the body is not JSON: %s' % exc) from None

        routes = {
            ('requests', 'GET'): model.requests,
            ('requests', 'DELETE'): lambda: (model.clear_requests(), {'cleared': True})[1],
            ('state', 'GET'): model.state_document,
            ('state', 'PUT'): lambda: (model.set_state(document()), model.state_document())[1],
            ('state', 'PATCH'): lambda: (model.set_state(document(), partial=True), model.state_document())[1],
            ('faults', 'GET'): model.list_faults,
            ('faults', 'POST'): lambda: model.add_fault(document()),
            ('faults', 'DELETE'): lambda: (model.clear_faults(), {'cleared': True})[1],
            ('settings', 'GET'): model.get_settings,
            ('settings', 'PUT'): lambda: model.update_settings(document()),
        }
        if (route, method) not in routes:
            if any(name == route for name, _method in routes):
                raise api_model.ControlError(405, 'method %s not allowed on %s%s' % (method, CONTROL_PREFIX, route))
            raise api_model.ControlError(404, 'no control endpoint %s%s (known: requests, state, faults, settings)' % (CONTROL_PREFIX, route))
        self._send(200, routes[(route, method)]())

    # -- the API -----------------------------------------------------------------------------------------

    def _api(self):
        model, checker = self.server.model, self.server.checker
        body = self._read_body()
        split = urlsplit(self.path)
        query = parse_qs(split.query, keep_blank_values=True)
        headers = dict((name.lower(), value) for name, value in self.headers.items())

        def authenticate():
            return checker.authenticate(self.command, unquote(split.path) or '/', query, headers, body,
                                        model.get_settings()['max_clock_skew'])

        reply = model.answer((query.get('Action') or [None])[0], (query.get('Version') or [None])[0], body,
                             access_key=signature_check.claimed_access_key(headers), authenticate=authenticate,
                             method=self.command)
        if reply.status is None:
            raise DropConnection()
        if reply.text is not None:
            payload = reply.text
        elif reply.raw:
            payload = json.dumps(reply.document)  # verbatim, whatever JSON value it is
        else:
            payload = reply.document
        self._send(reply.status, payload, content_type=reply.content_type, headers=reply.headers or {})


class Server(ThreadingMixIn, HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    ssl_context = None
    verbose = False
    model = None     # api_model.LiveAPIModel
    checker = None   # signature_check.SignatureChecker

    def finish_request(self, request, client_address):
        # The TLS handshake happens here, in the request's own thread, so a slow client blocks nobody.
        if self.ssl_context is not None:
            try:
                request.settimeout(30)
                request = self.ssl_context.wrap_socket(request, server_side=True)
                request.settimeout(None)
            except (ssl.SSLError, OSError) as exc:
                if self.verbose:
                    sys.stderr.write('TLS handshake with %s failed: %s\n' % (client_address[0], exc))
                return
        try:
            HTTPServer.finish_request(self, request, client_address)
        finally:
            if self.ssl_context is not None:
                try:
                    request.close()
                except OSError:
                    pass

    def handle_error(self, request, client_address):
        if self.verbose:
            HTTPServer.handle_error(self, request, client_address)


def load_keys(path):
    with open(path, 'r') as handle:
        document = json.load(handle)
    keys = document.get('keys') if isinstance(document, dict) else None
    if not isinstance(keys, list) or not keys:
        raise ValueError('%s: expected {"keys": [{"access_key": ..., "secret_key": ..., "session_token": null}]}' % path)
    result = []
    for key in keys:
        if not isinstance(key, dict) or not isinstance(key.get('access_key'), str) or not isinstance(key.get('secret_key'), str):
            raise ValueError('%s: every key needs string access_key and secret_key' % path)
        token = key.get('session_token')
        if token is not None and not isinstance(token, str):
            raise ValueError('%s: session_token must be a string or null' % path)
        result.append({'access_key': key['access_key'], 'secret_key': key['secret_key'], 'session_token': token or None})
    return result


def build_parser():
    """The command line: every option has a help text (a unit test checks)."""
    parser = argparse.ArgumentParser(
        description='Local emulator of the Volcengine Live relay-source OpenAPI (test-only). Prints its URL on the first '
                    'line of stdout, then serves until interrupted. Without --credentials it accepts the demo key %s / %s.'
                    % (api_model.DEMO_ACCESS_KEY, api_model.DEMO_SECRET_KEY))
    parser.add_argument('--host', default='127.0.0.1', help='address to listen on (default: %(default)s)')
    parser.add_argument('--port', type=int, default=0, help='port to listen on; 0 picks a free one (default: %(default)s)')
    parser.add_argument('--state', help='JSON file {"RelaySourceConfigList": [...], "RelaySourceV4List": [...]} loaded at start '
                                        'and rewritten after each change')
    parser.add_argument('--credentials', help='JSON file {"keys": [{"access_key", "secret_key", "session_token"}]}')
    parser.add_argument('--update-mode', choices=api_model.UPDATE_MODES, default='replace',
                        help='what UpdateRelaySourceV3 does with the app\'s group list: replace = it becomes the groups sent; '
                             'the upserts (groups not sent stay, a sent group replaces the stored one of its name): merge = '
                             'in place, new ones appended; merge_first = the sent groups first, in the order sent, then the others; '
                             'merge_last = the others first, then the sent groups (default: %(default)s)')
    parser.add_argument('--rate-limit', type=float, default=10.0,
                        help='requests/second per access key (burst the same); 0 disables (default: %(default)s)')
    parser.add_argument('--empty-describe', choices=api_model.EMPTY_DESCRIBE_MODES, default='list',
                        help='how DescribeRelaySourceV3 answers when nothing is configured: an empty list, no Result, or '
                             'HTTP 404 ResourceNotFound (default: %(default)s)')
    parser.add_argument('--max-clock-skew', type=float, default=900.0,
                        help='seconds a request\'s X-Date may differ from this clock (default: %(default)s)')
    parser.add_argument('--latency', type=float, default=0.0,
                        help='seconds every API answer is held after the request was processed, like an API far away '
                             '(default: %(default)s)')
    parser.add_argument('--v4-permanent-times', choices=api_model.V4_PERMANENT_TIMES, default='zero',
                        help='how ListRelaySourceV4 answers a permanent entry: StartTime and EndTime 0, or without those keys '
                             '(default: %(default)s)')
    parser.add_argument('--v4-ended', choices=api_model.V4_ENDED, default='keep',
                        help='a V4 entry whose EndTime has passed: keep = listed as any other; hide = left out of '
                             'ListRelaySourceV4 only; expire = removed when the next V4 request arrives (default: %(default)s)')
    parser.add_argument('--v3-v4-same-app', choices=api_model.V3_V4_SAME_APP, default='allowed',
                        help='whether one App may hold both a V3 (play-triggered) configuration and V4 (fixed-triggered) '
                             'streams; refused = 400 %s (default: %%(default)s)' % api_model.RELAY_SOURCE_CONFLICT)
    parser.add_argument('--tls-cert', help='PEM certificate: serve HTTPS (with --tls-key)')
    parser.add_argument('--tls-key', help='PEM private key of --tls-cert')
    parser.add_argument('--verbose', action='store_true', help='log every request on stderr')
    return parser


def parse_args(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error('--tls-cert and --tls-key go together')
    if args.rate_limit < 0:
        parser.error('--rate-limit must be >= 0')
    if args.latency < 0:
        parser.error('--latency must be >= 0')
    return args


def main(argv=None):
    args = parse_args(argv)
    if not signature_check.HAS_SDK:
        sys.stderr.write('live_emulator: the volcengine SDK (pip install volcengine) is needed to check signatures: %s\n'
                         % signature_check.SDK_IMPORT_ERROR)
        return 2
    try:
        checker = signature_check.SignatureChecker(load_keys(args.credentials) if args.credentials else None)
        model = api_model.LiveAPIModel(state_file=args.state, update_mode=args.update_mode, rate_limit=args.rate_limit,
                                       empty_describe=args.empty_describe, max_clock_skew=args.max_clock_skew,
                                       latency=args.latency, v4_permanent_times=args.v4_permanent_times,
                                       v4_ended=args.v4_ended, v3_v4_same_app=args.v3_v4_same_app)
    except (OSError, ValueError, api_model.ControlError) as exc:
        sys.stderr.write('live_emulator: %s\n' % getattr(exc, 'message', exc))
        return 2

    server = Server((args.host, args.port), Handler)
    server.model, server.checker = model, checker
    server.verbose = args.verbose
    scheme = 'http'
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.ssl_context = context
        scheme = 'https'
    host, port = server.server_address[:2]
    if ':' in host:
        host = '[%s]' % host
    stopping = threading.Event()

    def stop(signum, frame):  # pylint: disable=unused-argument
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown).start()

    # Before the URL is printed: a harness may stop the emulator as soon as it has read it.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sys.stdout.write('%s://%s:%d\n' % (scheme, host, port))
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
