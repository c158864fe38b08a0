#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Start-up time of `syntask --version` beside `git --version` (a small native binary), in one run, in
# interleaved rounds, with the ratio the target is about (at most 3.00). Then, untimed, what the start
# costs: the shared libraries the loader maps and the dynamic loader's own statistics.
# Usage: bash bench/startup.sh [RUNS]   (default 200; SYNTASK_BIN names the binary, an optimised build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-200}
syntask=${SYNTASK_BIN:-$root/build/syntask}
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 2; }
[ -x "$syntask" ] || { echo "bench: build $syntask first (cmake -S . -B build && cmake --build build)" >&2; exit 2; }

uptime
python3 "$root/bench/measure.py" --runs "$runs" --interleave --cpu --baseline "git --version" -- \
  "git --version=git --version" \
  "syntask --version=$syntask --version"

# Every object the loader maps (the vDSO and the loader itself included), as ldd counts them.
echo "shared objects at start: git $(ldd "$(command -v git)" | wc -l), syntask $(ldd "$syntask" | wc -l)"
LD_DEBUG=statistics "$syntask" --version 2>&1 >/dev/null | sed -n 's/^ *[0-9]*:[[:space:]]*//p' |
  grep -E 'total startup time|time needed|number of relocations:|relative relocations' | sed 's/^/syntask loader: /'
