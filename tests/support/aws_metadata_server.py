#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# A stand-in for ECS's container credentials endpoint and EC2's IMDSv2 on 127.0.0.1 (a free port, printed
# as the first line), for test_storage_aws_metadata.cpp. Appends "METHOD PATH" per request to the log
# file named by its first argument.
import http.server, json, sys

TOKEN = "imds-session-token-4711"
KEYS = {"Code": "Success", "AccessKeyId": "ASIAMETADATA", "SecretAccessKey": "metadata-secret-value",
        "Token": "metadata-session-token", "Expiration": "2030-01-01T00:00:00Z"}
log_path = sys.argv[1]

class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def record(self):
        with open(log_path, "a") as log:
            log.write(self.command + " " + self.path + "\n")

    def answer(self, status, body, content_type="text/plain"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):
        self.record()
        if self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            self.answer(200, TOKEN)
        else:
            self.answer(400, "missing ttl")

    def do_GET(self):
        self.record()
        if self.path.startswith("/latest/"):
            if self.headers.get("X-aws-ec2-metadata-token") != TOKEN:
                self.answer(401, "no token")
            elif self.path == "/latest/meta-data/iam/security-credentials/":
                self.answer(200, "test-role")
            elif self.path == "/latest/meta-data/iam/security-credentials/test-role":
                self.answer(200, json.dumps(KEYS), "application/json")
            else:
                self.answer(404, "not found")
        elif self.path == "/ecs/creds":
            if self.headers.get("Authorization") != "container-auth-token-99":
                self.answer(401, "bad authorization")
            else:
                self.answer(200, json.dumps(KEYS), "application/json")
        elif self.path == "/ecs/broken":
            self.answer(200, "not json")
        else:
            self.answer(404, "not found")

server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
