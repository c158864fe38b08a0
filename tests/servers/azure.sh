#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# azurite's Blob service on 127.0.0.1:10000 for the Azure storage suites. It checks Shared Key
# signatures, so a wrong key gets 403.
#
#   bash tests/servers/azure.sh start    # installs azurite on first use, starts it (data kept across restarts)
#   bash tests/servers/azure.sh status   # exit 0 only if it runs and answers
#   bash tests/servers/azure.sh stop     # stops the recorded PID only
#
# Everything lives under $SYNTASK_TEST_SERVERS_DIR (default /tmp/syntask-test-servers): the npm install in
# npm-azure/, the server's data, debug log and pid file in azure/, and azure.env for the suites to source.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/servers/procs.sh
source "$here/procs.sh"

base=${SYNTASK_TEST_SERVERS_DIR:-/tmp/syntask-test-servers}
dir="$base/azure"
pids="$dir/pids"
env_file="$base/azure.env"
npm_dir="$base/npm-azure"
logs="$dir/logs"

k_package=azurite
k_version=3.37.0
k_port=$(server_port "$dir" SYNTASK_AZURE_PORT 10000)
k_account=devstoreaccount1
# azurite's well-known development account key (public, the same in every installation).
k_key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
k_ready_seconds=60

log() { printf 'azure server: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}


# Any HTTP answer (azurite answers 400 to a bare GET) means it is listening.
server_answers() {
  port_open $k_port && curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$k_port/$k_account?comp=list"
}

write_env() {
  record_ports "$dir" SYNTASK_AZURE_PORT=$k_port
  local endpoint="http://127.0.0.1:$k_port/$k_account"
  cat >"$env_file.tmp" <<EOF
# Written by tests/servers/azure.sh start: azurite's Blob service and its development account.
export SYNTASK_AZURE_ENDPOINT=$endpoint
export SYNTASK_AZURE_ACCOUNT=$k_account
export SYNTASK_AZURE_KEY='$k_key'
export SYNTASK_AZURE_CONNECTION_STRING='DefaultEndpointsProtocol=http;AccountName=$k_account;AccountKey=$k_key;BlobEndpoint=$endpoint;'
export SYNTASK_AZURE_LOG=$logs/debug.log
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

  # Data and the debug log outlive a restart, so that suites can restart the server mid-test.
  mkdir -p "$dir/data" "$logs"
  touch "$logs/debug.log"
  : >"$pids"
  # shellcheck disable=SC2154 # rc is set inside the trap itself
  trap 'rc=$?; [ "$rc" -eq 0 ] || cmd_stop; exit "$rc"' EXIT
  # node runs azurite's entry script itself, so the recorded PID is the server. --disableTelemetry
  # keeps it from sending data off the machine; the debug log prints each request and the string
  # to sign, which the suites count writes from.
  node "$npm_dir/node_modules/$k_package/dist/src/blob/main.js" --blobHost 127.0.0.1 --blobPort $k_port \
    --location "$dir/data" --debug "$logs/debug.log" --disableTelemetry --skipApiVersionCheck --loose \
    </dev/null >"$logs/azurite.log" 2>&1 &
  proc_record "$pids" node $!

  if ! wait_until $k_ready_seconds server_answers; then
    procs_all_alive "$pids" >&2 || true
    cmd_stop
    die "azurite did not come up within ${k_ready_seconds}s; logs in $logs"
  fi
  write_env
  trap - EXIT
  log "running; source $env_file"
}

cmd_status() { server_status "azure server" "$pids" "$env_file" server_answers; }

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
*)
  echo "usage: bash tests/servers/azure.sh start|stop|status" >&2
  exit 2
  ;;
esac
