#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sets up the machine, builds syntask and runs the demo: init + deploy + pull + run of examples/hello on
# the embedded store in a throw-away SYNTASK_HOME.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh"
# An optimised build of its own, so that the plain build of scripts/test.sh in build/ is left as it is.
cmake -S "$root" -B "$root/build-release" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build-release" -j"$(nproc)" --target syntask >/dev/null
syntask="$root/build-release/syntask"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SYNTASK_HOME="$work/home"
mkdir -p "$work/project" && cp -r "$root/examples/hello/flows" "$work/project/"
cd "$work/project"

run() { printf '\n$ %s\n' "$*"; "$@"; }
run "$syntask" --version
run "$syntask" init --recipe local --no-prompt
run "$syntask" deploy flows/hello.py:hello --name demo --param name=Syntask --tag example --no-prompt
run "$syntask" deployment ls
run "$syntask" pull hello/demo --dir "$work/worker"
run "$syntask" run hello/demo --param excited=true
printf '\nDemo finished: the deployment hello/demo was registered in %s and run.\n' "$SYNTASK_HOME"
