#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sets up the machine and runs every test suite (unit, CLI, pseudo-terminal, integration), first on a
# plain build, then on an AddressSanitizer + UndefinedBehaviorSanitizer build. The loopback test servers
# of tests/servers/ are started once for both builds and stopped when this script exits.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh" --tests
jobs=$(nproc)
export SYNTASK_TEST_SERVERS_DIR=${SYNTASK_TEST_SERVERS_DIR:-/tmp/syntask-test-servers}

run_suites() {
  local dir=$1
  shift
  cmake -S "$root" -B "$dir" -DSYNTASK_BUILD_TESTS=ON -DSYNTASK_TEST_SERVERS_DIR="$SYNTASK_TEST_SERVERS_DIR" "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
  ctest --test-dir "$dir" --output-on-failure -j"$jobs"
}

# Every server script under tests/servers/ that the suites use, started in this order, stopped in reverse.
test_servers=(git azure gcs)
stop_servers() {
  local i
  for ((i = ${#test_servers[@]} - 1; i >= 0; i--)); do
    bash "$root/tests/servers/${test_servers[i]}.sh" stop || true
  done
}
trap stop_servers EXIT
for server in "${test_servers[@]}"; do
  echo "== $server test servers"
  bash "$root/tests/servers/$server.sh" start
done

echo "== plain build"
run_suites "$root/build" -DCMAKE_BUILD_TYPE=
echo "== ASan + UBSan build"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_suites "$root/build-asan" -DCMAKE_BUILD_TYPE=Debug -DSYNTASK_SANITIZE=ON
echo "== all tests passed"
