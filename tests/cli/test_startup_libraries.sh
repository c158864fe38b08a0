#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What the process loads at start (cmake/Linking.cmake): libcurl and its ~30 dependencies, and the shared
# libarchive, libgit2, libxml2 and ICU are not mapped before main(); libcurl is loaded by the first HTTP
# request, and its answer reaches the user.
source "$(dirname "$0")/lib.sh"

# loaded_objects FILE: the file names the dynamic loader opened, one a line, from LD_DEBUG=files output.
loaded_objects() { sed -n 's/.*file=\([^ ]*\) \[.*/\1/p' "$1" | sort -u; }

# The loopback server of the case push_loads_curl, stopped when the suite ends.
server_pid=
stop_server() {
  local status=$?
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  (exit "$status")
  suite_cleanup
}
trap stop_server EXIT

case_version_loads_no_libraries() {
  LD_DEBUG=files LD_DEBUG_OUTPUT="$TEST_ROOT/version" "$SYNTASK_BIN" --version >"$OUT" 2>"$ERR" || fail "--version failed"
  stdout_has "syntask "
  cat "$TEST_ROOT"/version.* >"$TEST_ROOT/version.log"
  loaded_objects "$TEST_ROOT/version.log" >"$TEST_ROOT/version.objects"
  grep -q '^libc\.so' "$TEST_ROOT/version.objects" || fail "LD_DEBUG=files listed no libc: $(cat "$TEST_ROOT/version.objects")"
  for library in libcurl libarchive libgit2 libxml2 libicu libgnutls libldap librtmp libsqlite3 libyaml-cpp; do
    ! grep -q "^$library" "$TEST_ROOT/version.objects" ||
      fail "--version loaded $library at start: $(tr '\n' ' ' <"$TEST_ROOT/version.objects")"
  done
}

# An S3 push against a loopback server that refuses every request: libcurl is loaded then, and the
# server's refusal is what the deploy reports.
case_push_loads_curl() {
  local port_file="$TEST_ROOT/port"
  python3 - "$port_file" <<'PY' &
import http.server, sys

class Refuse(http.server.BaseHTTPRequestHandler):
    def answer(self):
        body = b"<Error><Code>AccessDenied</Code><Message>refused by the test server</Message></Error>"
        self.send_response(403)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = answer
    def log_message(self, *args):
        pass

server = http.server.HTTPServer(("127.0.0.1", 0), Refuse)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
PY
  server_pid=$!
  for _ in $(seq 100); do [ -s "$port_file" ] && break; sleep 0.05; done
  [ -s "$port_file" ] || fail "the loopback server did not start"

  make_flow_project
  cat >syntask.yaml <<YAML
push:
- syntask_aws.deployments.steps.push_to_s3:
    bucket: code
    folder: hello
    client_parameters:
      endpoint_url: http://127.0.0.1:$(cat "$port_file")
deployments:
- name: refused
  entrypoint: flows/hello.py:hello
  work_pool:
    name: default
YAML
  STATUS=0
  AWS_ACCESS_KEY_ID=AKIDTEST AWS_SECRET_ACCESS_KEY=test-secret AWS_REGION=us-east-1 \
    LD_DEBUG=files LD_DEBUG_OUTPUT="$TEST_ROOT/push" "$SYNTASK_BIN" deploy --all --no-prompt \
    >"$OUT" 2>"$ERR" </dev/null || STATUS=$?
  expect_status 1 "access denied by s3://code"
  cat "$TEST_ROOT"/push.* >"$TEST_ROOT/push.log"
  grep -q 'file=libcurl\.so[^ ]* \[[0-9]*\];  dynamically loaded by' "$TEST_ROOT/push.log" ||
    fail "the push did not load libcurl at run time: $(loaded_objects "$TEST_ROOT/push.log" | tr '\n' ' ')"
}

run_cases
echo "startup libraries: ok"
