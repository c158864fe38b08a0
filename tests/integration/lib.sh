# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Shared helpers for the integration suites, which run against the loopback servers of tests/servers/.
# Each suite starts with `source "$(dirname "$0")/lib.sh"` and then `use_servers NAME...`: this brings in
# the CLI suites' helpers (fresh project directory, syn, expect_*, fail) and each server's NAME.env, and
# skips the suite (exit 125) when a server it needs is not running.

INTEGRATION_SERVERS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../servers" && pwd)"
# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

SYNTASK_TEST_SERVERS_DIR=${SYNTASK_TEST_SERVERS_DIR:-/tmp/syntask-test-servers}

# use_servers NAME...: sources $SYNTASK_TEST_SERVERS_DIR/NAME.env for each server, or skips the suite when
# one is not running. An env file outlives servers that died without `stop`, so `NAME.sh status` decides.
use_servers() {
  local name
  for name in "$@"; do
    if [ ! -f "$SYNTASK_TEST_SERVERS_DIR/$name.env" ] ||
      ! bash "$INTEGRATION_SERVERS_DIR/$name.sh" status >/dev/null 2>&1; then
      echo "$name test servers are not running (bash tests/servers/$name.sh start)" >&2
      exit 125
    fi
    # shellcheck source=/dev/null
    source "$SYNTASK_TEST_SERVERS_DIR/$name.env"
  done
}

# The git command line used by the suites sees no system or user configuration and never prompts.
export GIT_CONFIG_NOSYSTEM=1
export GIT_CONFIG_GLOBAL="$TEST_ROOT/gitconfig"
export GIT_TERMINAL_PROMPT=0
git config --global user.name "Syntask Tests"
git config --global user.email tests@syntask.invalid
git config --global init.defaultBranch main

# Server-side repositories made by git_copy_repo, removed when the suite ends.
INTEGRATION_REPOS=()
# Helper processes a suite started (track_pid PID), stopped by PID when the suite ends.
INTEGRATION_PIDS=()
track_pid() { INTEGRATION_PIDS+=("$1"); }
integration_cleanup() {
  local repo pid
  for pid in "${INTEGRATION_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for repo in "${INTEGRATION_REPOS[@]}"; do
    rm -rf "$repo"
  done
  rm -rf "$TEST_ROOT"
}
trap integration_cleanup EXIT

# run_unit_cases TAG: the server-backed Catch2 cases of syntask_unit tagged TAG; with CASE set, only the
# ones it names (Catch2 test names, comma-separated; `syntask_unit --list-tests "[TAG]"` lists them).
run_unit_cases() {
  : "${SYNTASK_UNIT_BIN:?SYNTASK_UNIT_BIN must point to the syntask_unit binary}"
  # A name that matches no case fails (Catch2 exits 2 when no test ran).
  "$SYNTASK_UNIT_BIN" "${CASE:-[$1]}"
}

# syn_background ARGS...: starts syntask in the background (stdout to $OUT, stderr to $ERR, stdin closed)
# and sets BACKGROUND_PID. Job control is on for the start: a script's background jobs would otherwise
# start with SIGINT ignored.
syn_background() {
  set -m
  "$SYNTASK_BIN" "$@" >"$OUT" 2>"$ERR" </dev/null &
  BACKGROUND_PID=$!
  set +m
}

# interrupt_when GLOB [SIGNAL]: waits (at most 10 s) until a path matches GLOB, then sends SIGNAL (default
# INT) to BACKGROUND_PID and waits for it to end; STATUS is its exit status.
interrupt_when() {
  local i
  for i in $(seq 1 500); do
    compgen -G "$1" >/dev/null && break
    sleep 0.02
  done
  kill -"${2:-INT}" "$BACKGROUND_PID"
  STATUS=0
  wait "$BACKGROUND_PID" || STATUS=$?
}

# run_git ARGS...: runs git with stdin closed, capturing stdout, stderr and the exit status like syn.
run_git() {
  STATUS=0
  git "$@" >"$OUT" 2>"$ERR" </dev/null || STATUS=$?
}

# git_http_url NAME [USER [TOKEN]]: the smart-HTTP URL of NAME.git with credentials embedded.
git_http_url() {
  local user=${2:-tokenuser} token=${3:-$SYNTASK_GIT_TOKEN}
  echo "http://$user:$token@${SYNTASK_GIT_HTTP_URL#http://}/$1.git"
}

# git_https_url NAME [USER [TOKEN]]: as git_http_url, over TLS (trust SYNTASK_GIT_CA_FILE to use it).
git_https_url() {
  local user=${2:-tokenuser} token=${3:-$SYNTASK_GIT_TOKEN}
  echo "https://$user:$token@${SYNTASK_GIT_HTTPS_URL#https://}/$1.git"
}

# git_ssh_command [KEY [KNOWN_HOSTS]]: a GIT_SSH_COMMAND value using only KEY (default the accepted
# key) and checking the host key against KNOWN_HOSTS (default the servers' known_hosts).
git_ssh_command() {
  local key=${1:-$SYNTASK_GIT_SSH_KEY} known=${2:-$SYNTASK_GIT_KNOWN_HOSTS}
  echo "ssh -F /dev/null -i $key -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes" \
    "-o UserKnownHostsFile=$known -o ConnectTimeout=10"
}

# git_copy_repo SOURCE NAME: a private server-side copy of SOURCE.git named NAME.git (all branches
# and tags), served by every server and removed when the suite ends. Suites that push use a copy so
# that the shared fixtures never change. Prints nothing; the URLs follow from NAME.
git_copy_repo() {
  local target="$SYNTASK_GIT_REPOS/$2.git"
  [ ! -e "$target" ] || fail "server repository '$2.git' already exists"
  INTEGRATION_REPOS+=("$target")
  # Run as the repositories' owner: git refuses to read a repository owned by another user.
  setpriv --reuid=git --regid=git --clear-groups env HOME="$SYNTASK_GIT_REPOS" \
    git clone -q --bare "$SYNTASK_GIT_REPOS/$1.git" "$target" >/dev/null 2>&1 ||
    fail "cannot copy server repository '$1.git' to '$2.git'"
  setpriv --reuid=git --regid=git --clear-groups env HOME="$SYNTASK_GIT_REPOS" \
    git -C "$target" config http.receivepack true
}

# git_push_change NAME BRANCH FILE TEXT: commits FILE with TEXT on BRANCH of the server repository
# NAME.git (pushed over smart HTTP) and prints the new commit id.
git_push_change() {
  local tree
  tree=$(mktemp -d "$TEST_ROOT/push.XXXXXX")
  git clone -q --branch "$2" "$(git_http_url "$1")" "$tree" >/dev/null 2>&1 ||
    fail "cannot clone '$1.git' to change it"
  mkdir -p "$(dirname "$tree/$3")"
  printf '%s\n' "$4" >"$tree/$3"
  git -C "$tree" add -A
  git -C "$tree" commit -q -m "Change $3"
  git -C "$tree" push -q origin "$2" >/dev/null 2>&1 || fail "cannot push to '$1.git'"
  git -C "$tree" rev-parse HEAD
  rm -rf "$tree"
}
