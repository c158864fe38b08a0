#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Google Cloud Storage JSON API of firebase-tools' storage emulator on 127.0.0.1:9199 for the GCS
# storage suites. It checks no credentials at all; buckets come into being with their first object.
#
#   bash tests/servers/gcs.sh start    # installs firebase-tools on first use, starts it with an empty store
#   bash tests/servers/gcs.sh status   # exit 0 only if it runs and answers
#   bash tests/servers/gcs.sh stop     # stops the recorded PID only
#
# Everything lives under $SYNTASK_TEST_SERVERS_DIR (default /tmp/syntask-test-servers): the npm install in
# npm-gcs/, the objects, request log and pid file in gcs/, and gcs.env for the suites to source.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/servers/procs.sh
source "$here/procs.sh"

base=${SYNTASK_TEST_SERVERS_DIR:-/tmp/syntask-test-servers}
dir="$base/gcs"
pids="$dir/pids"
env_file="$base/gcs.env"
npm_dir="$base/npm-gcs"
logs="$dir/logs"

k_package=firebase-tools
k_version=15.34.2
k_port=$(server_port "$dir" SYNTASK_GCS_PORT 9199)
k_ready_seconds=60

log() { printf 'gcs server: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}


server_answers() {
  port_open $k_port && curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$k_port/b"
}

write_env() {
  record_ports "$dir" SYNTASK_GCS_PORT=$k_port
  cat >"$env_file.tmp" <<EOF
# Written by tests/servers/gcs.sh start: the emulator's address (the value for STORAGE_EMULATOR_HOST).
export SYNTASK_GCS_EMULATOR_HOST=http://127.0.0.1:$k_port
export SYNTASK_GCS_LOG=$logs/requests.log
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
  command -v node >/dev/null || die "'node' is missing: run bash scripts/install-deps.sh --tests"
  npm_ensure "$npm_dir" "$k_package" "$k_version" || exit 1

  rm -rf "$dir/tmp"
  mkdir -p "$dir/tmp" "$logs"
  touch "$logs/requests.log"
  : >"$pids"
  # shellcheck disable=SC2154 # rc is set inside the trap itself
  trap 'rc=$?; [ "$rc" -eq 0 ] || cmd_stop; exit "$rc"' EXIT
  # The emulator keeps its objects under $TMPDIR/firebase/storage, so TMPDIR points into our folder.
  TMPDIR="$dir/tmp" node "$here/gcs_emulator.js" "$npm_dir" 127.0.0.1 $k_port "$logs/requests.log" \
    </dev/null >"$logs/emulator.log" 2>&1 &
  proc_record "$pids" node $!

  if ! wait_until $k_ready_seconds server_answers; then
    procs_all_alive "$pids" >&2 || true
    cmd_stop
    die "the emulator did not come up within ${k_ready_seconds}s; logs in $logs"
  fi
  write_env
  trap - EXIT
  log "running; source $env_file"
}

cmd_status() { server_status "gcs server" "$pids" "$env_file" server_answers; }

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
*)
  echo "usage: bash tests/servers/gcs.sh start|stop|status" >&2
  exit 2
  ;;
esac
