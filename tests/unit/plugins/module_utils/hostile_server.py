# -*- coding: utf-8 -*-
# Copyright: (c) 2026, volcengine.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Small loopback HTTP servers that answer the way a broken or hostile endpoint does: redirects, bytes dripped
one at a time, bodies cut short, endless or compressed-huge bodies. The one place such servers live; the client's
unit tests and the integration tests both use them.

``HostileServer(*behaviours)`` answers the n-th request with the n-th behaviour (the last one repeats) and
records every request it read (``requests``: method, path, headers, body). A behaviour is a function of the
request handler that writes raw bytes to ``handler.wfile``; build them with the functions below.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import gzip
import json
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import ThreadingMixIn


def envelope_bytes(result=None, error=None, request_id='HOSTILE-1'):
    """A Volcengine API answer body (JSON bytes)."""
    metadata = {'RequestId': request_id, 'Action': 'DescribeRelaySourceV3', 'Version': '2023-01-01',
                'Service': 'live', 'Region': 'cn-north-1'}
    if error:
        metadata['Error'] = error
    document = {'ResponseMetadata': metadata}
    if result is not None:
        document['Result'] = result
    return json.dumps(document).encode('utf-8')


def _head(status, headers, length=None):
    lines = ['HTTP/1.1 %d Scripted' % status, 'Connection: close']
    if length is not None:
        lines.append('Content-Length: %d' % length)
    lines += ['%s: %s' % item for item in (headers or {}).items()]
    return ('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1')


def answer(body=None, status=200, headers=None, delay=0):
    """A complete answer, after ``delay`` seconds; ``body`` defaults to an empty successful envelope (Result
    {"RelaySourceConfigList": []})."""
    if body is None:
        body = envelope_bytes({'RelaySourceConfigList': []})
    headers = dict({'Content-Type': 'application/json'}, **(headers or {}))

    def behave(handler):
        if delay and handler.server.stopping.wait(delay):
            return
        handler.wfile.write(_head(status, headers, len(body)) + body)
    return behave


def redirect(location, status=307):
    """A redirect to ``location``, with a small JSON body a client must not read."""
    return answer(envelope_bytes(error={'Code': 'Moved', 'Message': 'see Location'}), status=status,
                  headers={'Location': location})


def drip(body=None, interval=0.5, whole_answer=False):
    """The answer one byte every ``interval`` seconds: the body only (headers at once, with its Content-Length),
    or ``whole_answer`` from the status line on. Stops when the client goes away or the server stops."""
    if body is None:
        body = envelope_bytes({'RelaySourceConfigList': []})

    def behave(handler):
        head = _head(200, {'Content-Type': 'application/json'}, len(body))
        data = head + body
        if not whole_answer:
            handler.wfile.write(head)
            data = body
        for position in range(len(data)):
            if handler.server.stopping.wait(interval):
                return
            handler.wfile.write(data[position:position + 1])
    return behave


def cut(body=None, keep=20, reset=False):
    """Announce the whole body with Content-Length, send its first ``keep`` bytes, then close the connection
    (``reset``: with a TCP RST, so the client sees ConnectionResetError)."""
    if body is None:
        body = envelope_bytes({'RelaySourceConfigList': []})

    def behave(handler):
        handler.wfile.write(_head(200, {'Content-Type': 'application/json'}, len(body)) + body[:keep])
        handler.wfile.flush()
        if reset:
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        handler.close_connection = True
    return behave


def endless(piece=b'x' * 65536, limit=64 * 1024 * 1024):
    """A chunked answer (no Content-Length) of ``limit`` bytes, far beyond any sane answer: only a size cap stops
    a client reading it all (the limit only keeps a client without one from reading forever)."""
    def behave(handler):
        handler.wfile.write(_head(200, {'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked'}))
        chunk = b'%x\r\n%s\r\n' % (len(piece), piece)
        for _count in range(limit // len(piece)):
            if handler.server.stopping.is_set():
                return
            handler.wfile.write(chunk)
        handler.wfile.write(b'0\r\n\r\n')
    return behave


def announced(length):
    """Headers announcing a ``length``-byte body, then a few bytes and silence: a client must refuse it from the
    Content-Length alone."""
    def behave(handler):
        handler.wfile.write(_head(200, {'Content-Type': 'application/json'}, length) + b'{"pad": "')
        handler.server.stopping.wait(5)
    return behave


def gzip_bomb(decoded_size):
    """A small gzip-compressed answer that decodes to ``decoded_size`` bytes."""
    body = gzip.compress(b'{"pad": "' + b'x' * decoded_size + b'"}', 9)
    return answer(body, headers={'Content-Encoding': 'gzip'})


class _ThreadingServer(ThreadingMixIn, HTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients of these servers give up on purpose; a broken pipe is expected, not worth a traceback


class HostileServer(object):
    """Serves on 127.0.0.1 (random port) in a thread; a context manager. ``url`` is http://127.0.0.1:<port>, or
    https:// with ``tls_context`` (an ssl.SSLContext holding the server's certificate)."""

    def __init__(self, *behaviours, **options):
        if not behaviours:
            behaviours = (answer(),)
        self.behaviours = list(behaviours)
        self.requests = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get('Content-Length') or 0)
                owner.requests.append({'method': self.command, 'path': self.path, 'time': time.monotonic(),
                                       'headers': dict(self.headers.items()), 'body': self.rfile.read(length)})
                behave = owner.behaviours.pop(0) if len(owner.behaviours) > 1 else owner.behaviours[0]
                try:
                    behave(self)
                except (OSError, ValueError):
                    pass  # the client went away
                self.close_connection = True

            do_GET = do_POST

        self.server = _ThreadingServer(('127.0.0.1', 0), Handler)
        self.server.stopping = threading.Event()
        tls_context = options.get('tls_context')
        if tls_context is not None:
            self.server.socket = tls_context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.url = '%s://127.0.0.1:%d' % ('https' if tls_context is not None else 'http', self.port)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={'poll_interval': 0.05})
        self.thread.daemon = True

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.server.stopping.set()
        self.server.shutdown()
        self.server.server_close()
