#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# An S3 server on 127.0.0.1:4568 for the integration suites: @20minutes/s3rver 5.0.0, which checks
# SigV4 signatures (a wrong secret gets 403 SignatureDoesNotMatch). Credentials S3RVER / S3RVER.
#
#   bash tests/servers/s3.sh start    # installs the npm package on first use, starts the server
#   bash tests/servers/s3.sh status   # exit 0 only if the server runs and answers
#   bash tests/servers/s3.sh stop     # stops the recorded PID only
#
# Everything lives under $SYNTASK_TEST_SERVERS_DIR (default /tmp/syntask-test-servers): s3/ (data,
# logs, pids) and npm-s3/ (the package). Objects survive stop and start, so a suite can restart the
# server in the middle of a test; every request is appended to s3/logs/requests.log ("METHOD PATH"
# lines, written as each request arrives), which is never truncated. `start` writes
# $SYNTASK_TEST_SERVERS_DIR/s3.env. See tests/servers/README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/servers/procs.sh
source "$here/procs.sh"

base=${SYNTASK_TEST_SERVERS_DIR:-/tmp/syntask-test-servers}
dir="$base/s3"
npm_dir="$base/npm-s3"
pids="$dir/pids"
env_file="$base/s3.env"
data="$dir/data"
logs="$dir/logs"
request_log="$logs/requests.log"

k_package=@20minutes/s3rver
k_version=5.0.0
k_port=$(server_port "$dir" SYNTASK_S3_PORT 4568)
k_key=S3RVER
k_region=us-east-1
k_ready_seconds=30

log() { printf 's3 server: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}


# The package names a bin file it does not ship, so the server is started through its CLI module. The
# launcher also appends one line per request to the request log as the request arrives (before any
# answer), so a suite that counts writes after a response has seen every line for it.
write_launcher() {
  cat >"$npm_dir/syntask-s3rver.js" <<'EOF'
// Written by tests/servers/s3.sh: starts s3rver and logs every request as "METHOD PATH".
const fs = require('node:fs');
const http = require('node:http');
const logFd = fs.openSync(process.env.SYNTASK_S3_REQUEST_LOG, 'a');
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, request, ...rest) {
  if (event === 'request') {
    fs.writeSync(logFd, `${request.method} ${request.url}\n`);
  }
  return emit.call(this, event, request, ...rest);
};
require('@20minutes/s3rver/lib/cli').parseAsync(process.argv).catch((error) => {
  console.error(error);
  process.exit(1);
});
EOF
}

server_answers() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$k_port/") || return 1
  [ "$code" = 200 ]
}

write_env() {
  record_ports "$dir" SYNTASK_S3_PORT=$k_port
  cat >"$env_file.tmp" <<EOF
# Written by tests/servers/s3.sh start: the loopback S3 server and its credentials.
export SYNTASK_S3_ENDPOINT=http://127.0.0.1:$k_port
export SYNTASK_S3_ACCESS_KEY=$k_key
export SYNTASK_S3_SECRET_KEY=$k_key
export SYNTASK_S3_REGION=$k_region
export SYNTASK_S3_LOG=$request_log
EOF
  mv "$env_file.tmp" "$env_file"
}

cmd_stop() {
  rm -f "$env_file"
  procs_stop "$pids"
}

cmd_start() {
  if procs_any_alive "$pids"; then
    log "already running: restarting"
    cmd_stop
  fi
  rm -f "$env_file" "$pids"
  ! port_open $k_port || die "port $k_port on 127.0.0.1 is taken by another program"
  for tool in node curl; do
    command -v "$tool" >/dev/null || die "'$tool' is missing: run bash scripts/install-deps.sh --tests"
  done
  mkdir -p "$data" "$logs"
  touch "$request_log"
  npm_ensure "$npm_dir" "$k_package" "$k_version" || exit 1
  write_launcher

  # shellcheck disable=SC2154 # rc is set inside the trap itself
  trap 'rc=$?; [ "$rc" -eq 0 ] || cmd_stop; exit "$rc"' EXIT
  # --openssl-legacy-provider: s3rver encrypts ListObjectsV2 continuation tokens with DES, which
  # Node's OpenSSL 3 disables (every truncated listing would be a 500 without it).
  (cd "$npm_dir" && SYNTASK_S3_REQUEST_LOG="$request_log" NODE_OPTIONS=--openssl-legacy-provider \
    exec node syntask-s3rver.js -d "$data" -a 127.0.0.1 -p "$k_port" --silent) \
    </dev/null >>"$logs/s3rver.log" 2>&1 &
  proc_record "$pids" node $!

  if ! wait_until $k_ready_seconds server_answers; then
    procs_all_alive "$pids" >&2 || true
    cmd_stop
    die "the server did not come up within ${k_ready_seconds}s; logs in $logs"
  fi
  write_env
  trap - EXIT
  log "running; source $env_file"
}

cmd_status() { server_status "s3 server" "$pids" "$env_file" server_answers; }

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
*)
  echo "usage: bash tests/servers/s3.sh start|stop|status" >&2
  exit 2
  ;;
esac
