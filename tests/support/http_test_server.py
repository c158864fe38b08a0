#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A loopback HTTP/1.1 server for the HTTP client's tests. Prints its port, then serves:
GET /bytes/N (N pattern bytes), PUT|POST /echo (JSON: method, length, sha256, headers),
GET /flaky/NAME/N (503 the first N times per NAME, then "ok"), GET /status/CODE (that status with a body),
GET /skewed (a Date header one hour ahead), GET /count/NAME (how many requests NAME has seen),
GET /stall/SECONDS (headers of a 2-byte body, then silence for SECONDS before the body)."""
import hashlib
import http.server
import json
import sys
import threading
from email.utils import formatdate
import time

counts = {}
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    skew = 0

    def log_message(self, *args):
        pass

    def date_time_string(self, timestamp=None):
        return formatdate(time.time() + self.skew, usegmt=True)

    def reply(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def count(self, name):
        with lock:
            counts[name] = counts.get(name, 0) + 1
            return counts[name]

    def do_GET(self):
        self.skew = 0  # one handler serves every request of a kept-alive connection
        parts = self.path.strip("/").split("/")
        if parts[0] == "bytes":
            size = int(parts[1])
            self.send_response(200)
            self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = bytes(range(256)) * 256
            left = size
            while left > 0:
                piece = chunk[: min(left, len(chunk))]
                self.wfile.write(piece)
                left -= len(piece)
        elif parts[0] == "flaky":
            seen = self.count(parts[1])
            if seen <= int(parts[2]):
                self.reply(503, b"busy", [("Retry-After", "0")])
            else:
                self.reply(200, b"ok")
        elif parts[0] == "status":
            self.reply(int(parts[1]), ("error body %s" % parts[1]).encode())
        elif parts[0] == "stall":
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.flush()
            time.sleep(float(parts[1]))
            self.wfile.write(b"ok")
        elif parts[0] == "skewed":
            self.skew = 3600
            self.reply(200, b"later")
        elif parts[0] == "count":
            with lock:
                self.reply(200, str(counts.get(parts[1], 0)).encode())
        else:
            self.reply(404, b"no such path")

    do_HEAD = do_GET
    do_DELETE = do_GET

    def do_PUT(self):
        length = int(self.headers.get("Content-Length", "0"))
        digest = hashlib.sha256()
        left = length
        while left > 0:
            piece = self.rfile.read(min(left, 1 << 16))
            if not piece:
                break
            digest.update(piece)
            left -= len(piece)
        body = json.dumps({"method": self.command, "length": length, "sha256": digest.hexdigest(),
                           "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
        self.reply(200, body, [("Content-Type", "application/json")])

    do_POST = do_PUT


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
