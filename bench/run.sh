#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Start-up and local deploy/pull cost of syntask beside `python3 -c pass` and `git --version`, measured in
# the same run. Usage: bash bench/run.sh [RUNS]   (needs build/syntask: cmake --build build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-30}
syntask=${SYNTASK_BIN:-$root/build/syntask}
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 2; }
[ -x "$syntask" ] || { echo "bench: build $syntask first (cmake -S . -B build && cmake --build build)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SYNTASK_HOME="$work/home" NO_COLOR=1
mkdir -p "$work/project" && cp -r "$root/examples/hello/flows" "$work/project/"
cd "$work/project"
"$syntask" init --recipe local --no-prompt >/dev/null
"$syntask" deploy flows/hello.py:hello --name bench --no-prompt >/dev/null

python3 "$root/bench/measure.py" --runs "$runs" --baseline "python3 -c pass" -- \
  "python3 -c pass=python3 -c pass" \
  "git --version=git --version" \
  "syntask --version=$syntask --version" \
  "syntask deploy (local)=$syntask deploy flows/hello.py:hello --name bench --no-prompt" \
  "syntask pull=$syntask pull hello/bench --dir $work/worker"
