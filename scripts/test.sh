#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sets up the machine and runs every test suite (unit, CLI, pseudo-terminal), first on a plain build,
# then on an AddressSanitizer + UndefinedBehaviorSanitizer build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh" --tests
jobs=$(nproc)

run_suites() {
  local dir=$1
  shift
  cmake -S "$root" -B "$dir" "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
  ctest --test-dir "$dir" --output-on-failure -j"$jobs"
}

echo "== plain build"
run_suites "$root/build" -DCMAKE_BUILD_TYPE=
echo "== ASan + UBSan build"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_suites "$root/build-asan" -DCMAKE_BUILD_TYPE=Debug -DSYNTASK_SANITIZE=ON
echo "== all tests passed"
