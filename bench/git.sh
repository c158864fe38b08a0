#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# git storage: `syntask pull` of a git_clone deployment (cold; warm cache into a new directory, with the
# commit pinned and following the branch; warm update of an earlier clone) beside `git clone --depth 1`
# and a full `git clone`, in the same run, all from the loopback smart-HTTP server of
# tests/servers/git.sh, on a generated repository with a long history. Prints median wall time, peak
# memory, and each command's time divided by that of `git clone --depth 1` (below 1 is faster).
#
#   bash bench/git.sh [RUNS] [COMMITS] [FILES]     (defaults 5, 3000, 3000; run as root)
#
# Starts the git test servers when they are not running (and stops them again at the end). The clones
# go to a scratch folder from mktemp -d, so TMPDIR chooses the file system (see the note on ext4 below).
# The commands are timed in interleaved rounds, so that load changing during the run falls on all.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
commits=${2:-3000}
files=${3:-3000}
syntask=${SYNTASK_BIN:-$root/build/syntask}
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 2; }
[ -x "$syntask" ] || { echo "bench: build $syntask first (cmake -S . -B build && cmake --build build)" >&2; exit 2; }

export SYNTASK_TEST_SERVERS_DIR=${SYNTASK_TEST_SERVERS_DIR:-/tmp/syntask-test-servers}
started_servers=0
if ! bash "$root/tests/servers/git.sh" status >/dev/null 2>&1; then
  bash "$root/tests/servers/git.sh" start
  started_servers=1
fi
# shellcheck source=/dev/null
source "$SYNTASK_TEST_SERVERS_DIR/git.env"

work=$(mktemp -d)
repo="$SYNTASK_GIT_REPOS/bench-history.git"
cleanup() {
  rm -rf "$work" "$repo"
  if [ "$started_servers" = 1 ]; then
    bash "$root/tests/servers/git.sh" stop
  fi
}
trap cleanup EXIT
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_TERMINAL_PROMPT=0 NO_COLOR=1
export SYNTASK_HOME="$work/home"

echo "bench: generating $commits commits over $files files" >&2
git init -q --bare --initial-branch=main "$repo"
python3 "$root/bench/git_history.py" "$commits" "$files" | git -C "$repo" fast-import --quiet
chown -R git:git "$repo"
url="${SYNTASK_GIT_HTTP_URL}/bench-history.git"
auth_url="http://tokenuser:${SYNTASK_GIT_TOKEN}@${SYNTASK_GIT_HTTP_URL#http://}/bench-history.git"

# The deployment: a clone of the repository's tip with a git_clone pull step (depth 1, the default).
git clone -q --depth 1 "$auth_url" "$work/project"
cat >"$work/project/syntask.yaml" <<EOF
name: bench-history
pull:
  - syntask.deployments.steps.git_clone:
      repository: $url
      branch: main
      access_token: "<< \$SYNTASK_BENCH_GIT_TOKEN >>"
deployments:
  - name: bench
    entrypoint: flows/hello.py:hello
  - name: follow
    entrypoint: flows/hello.py:hello
EOF
export SYNTASK_BENCH_GIT_TOKEN=$SYNTASK_GIT_TOKEN
# bench pins the commit, as deploy does in a git repository; follow tracks the branch (--no-pin).
(cd "$work/project" && "$syntask" deploy --name bench --no-prompt >/dev/null 2>&1 &&
  "$syntask" deploy --name follow --no-prompt --no-pin >/dev/null 2>&1)

# Before each run the previous output is moved aside, not deleted: ext4 without a journal passes over
# inodes freed in the last half minute when it allocates new ones, so creating thousands of files right
# after deleting thousands costs several times more, for every command alike, and hides what differs.
# The same holds for files deleted by any other program in the same part of the file system (a test
# run in /tmp): then set TMPDIR to a folder on a quieter part.
out="$work/out"
aside="mkdir -p $work/aside && if [ -e $out ]; then mv $out $work/aside/\$(date +%s%N); fi"
python3 "$root/bench/measure.py" --runs "$runs" --interleave --baseline "git clone --depth 1" \
  --setup "git clone --depth 1=$aside" \
  --setup "git clone (full)=$aside" \
  --setup "syntask pull (cold)=$aside" \
  --setup "syntask pull (warm, pinned)=$aside" \
  --setup "syntask pull (warm, branch)=$aside" \
  -- \
  "git clone --depth 1=git clone -q --depth 1 $auth_url $out" \
  "git clone (full)=git clone -q $auth_url $out" \
  "syntask pull (cold)=$syntask pull hello/bench --dir $out --no-cache" \
  "syntask pull (warm, pinned)=$syntask pull hello/bench --dir $out" \
  "syntask pull (warm, branch)=$syntask pull hello/follow --dir $out" \
  "syntask pull (warm, update)=$syntask pull hello/follow --dir $out"
echo "(time ratio = the command's median time / that of git clone --depth 1; below 1 is faster."
echo " Targets: cold pull at most 1.00; a warm pull into a new directory at most 0.20, i.e. 5x faster)"
