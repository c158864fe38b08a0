#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A Google OAuth 2.0 token endpoint for tests, on a free 127.0.0.1 port.

    python3 gcp_token_server.py PORT_FILE MODULUS_HEX EXPONENT

Writes its port to PORT_FILE once listening. POST /token accepts
- grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer with an RS256 assertion whose signature verifies
  under the RSA public key (MODULUS_HEX, EXPONENT) and whose claims are a service account's (iss, scope,
  aud = this endpoint, exp = iat + 3600);
- grant_type=refresh_token with client_id 'client-1', client_secret 'secret-1', refresh_token 'refresh-1'.
Anything else gets 400 {"error": "invalid_grant"}. GET /count answers how many tokens were issued.
"""
import base64
import hashlib
import json
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

# DER prefix of a SHA-256 DigestInfo (PKCS #1 v1.5 signatures).
SHA256_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_rs256(signing_input, signature, modulus, exponent):
    size = (modulus.bit_length() + 7) // 8
    if len(signature) != size:
        return False
    encoded = pow(int.from_bytes(signature, "big"), exponent, modulus).to_bytes(size, "big")
    digest_info = SHA256_PREFIX + hashlib.sha256(signing_input).digest()
    expected = b"\x00\x01" + b"\xff" * (size - len(digest_info) - 3) + b"\x00" + digest_info
    return encoded == expected


class Handler(BaseHTTPRequestHandler):
    issued = 0

    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.answer(200, {"issued": Handler.issued})

    def assertion_ok(self, assertion):
        parts = assertion.split(".")
        if len(parts) != 3:
            return False
        header = json.loads(b64url_decode(parts[0]))
        claims = json.loads(b64url_decode(parts[1]))
        if header.get("alg") != "RS256" or header.get("typ") != "JWT" or header.get("kid") != "key-1":
            return False
        if not verify_rs256((parts[0] + "." + parts[1]).encode(), b64url_decode(parts[2]), MODULUS, EXPONENT):
            return False
        return (claims.get("iss") == "tester@demo.iam.gserviceaccount.com"
                and claims.get("scope") == "https://www.googleapis.com/auth/cloud-platform"
                and claims.get("aud") == "http://127.0.0.1:%d/token" % self.server.server_port
                and claims.get("exp") == claims.get("iat", 0) + 3600)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        grant = form.get("grant_type")
        ok = False
        if self.path == "/token" and grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            ok = self.assertion_ok(form.get("assertion", ""))
        elif self.path == "/token" and grant == "refresh_token":
            ok = (form.get("client_id"), form.get("client_secret"), form.get("refresh_token")) == (
                "client-1", "secret-1", "refresh-1")
        if not ok:
            self.answer(400, {"error": "invalid_grant"})
            return
        Handler.issued += 1
        self.answer(200, {"access_token": "token-%d" % Handler.issued, "expires_in": 3599, "token_type": "Bearer"})


if __name__ == "__main__":
    port_file, MODULUS, EXPONENT = sys.argv[1], int(sys.argv[2], 16), int(sys.argv[3])
    server = HTTPServer(("127.0.0.1", 0), Handler)
    with open(port_file + ".tmp", "w") as out:
        out.write(str(server.server_port))
    import os
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()
