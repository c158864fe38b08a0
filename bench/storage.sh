#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Object storage push/pull beside rclone (Debian package) and aws-cli (Debian package, /usr/bin/aws) on
# the project's s3rver and azurite test servers; prints times, peak memory and ratios in one run.
# Usage: bash bench/storage.sh [--skip-memory] [--runs N]   (needs build/syntask: cmake --build build;
# SYNTASK_BIN names another binary, e.g. an optimised build)
# Installs rclone, awscli and GNU time with apt-get when missing, starts the servers it needs and stops
# the ones it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
syntask=${SYNTASK_BIN:-$root/build/syntask}
export SYNTASK_TEST_SERVERS_DIR=${SYNTASK_TEST_SERVERS_DIR:-/tmp/syntask-test-servers}
[ -x "$syntask" ] || { echo "bench: build $syntask first (cmake -S . -B build && cmake --build build)" >&2; exit 2; }

missing=()
[ -x /usr/bin/rclone ] || missing+=(rclone)
[ -x /usr/bin/aws ] || missing+=(awscli)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

for server in s3 azure; do
  [ -f "$root/tests/servers/$server.sh" ] || {
    echo "bench: tests/servers/$server.sh is missing (the $server backend is not merged yet)" >&2
    exit 2
  }
done
started=()
cleanup() {
  for server in "${started[@]}"; do
    bash "$root/tests/servers/$server.sh" stop || true
  done
}
trap cleanup EXIT
for server in s3 azure; do
  if ! bash "$root/tests/servers/$server.sh" status >/dev/null 2>&1; then
    bash "$root/tests/servers/$server.sh" start
    started+=("$server")
  fi
done

# The pyenv shims may put another aws first on PATH; the bench names /usr/bin/aws itself.
python3 "$root/bench/storage.py" --syntask "$syntask" --servers "$SYNTASK_TEST_SERVERS_DIR" "$@"
