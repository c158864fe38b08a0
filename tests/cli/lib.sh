# SPDX-License-Identifier: Apache-2.0
# Shared helpers for the CLI suites. Each suite sources this file, runs the real binary in a fresh
# project directory with its own SYNTASK_HOME, and fails on the first broken expectation. A suite's code
# before its cases is shared setup; each case is a function case_NAME and the suite ends with run_cases,
# so that `CASE=NAME[,NAME...]` runs only the cases named (see tests/README.md).
set -euo pipefail

: "${SYNTASK_BIN:?SYNTASK_BIN must point to the syntask binary}"
: "${SYNTASK_SOURCE_DIR:?SYNTASK_SOURCE_DIR must point to the source tree}"

# A suite without run_cases would pass having run everything but the chosen case: CASE is refused up
# front (whatever EXIT traps the suite chains later).
if [ -n "${CASE:-}" ] && ! grep -qE '^(run_cases|run_storage_conformance|run_unit_cases)( |$)' "$0"; then
  echo "FAIL: CASE=$CASE is set but $(basename "$0") has no cases to choose from (no run_cases)" >&2
  exit 2
fi
TEST_ROOT=$(mktemp -d)
# suite_cleanup: removes the suite's directory. An EXIT trap of a suite that adds its own cleanup calls it.
suite_cleanup() {
  rm -rf "$TEST_ROOT"
}
trap suite_cleanup EXIT
export SYNTASK_HOME="$TEST_ROOT/home"
export NO_COLOR=1
export USER="${USER:-tester}"
unset CI
PROJECT="$TEST_ROOT/project"
mkdir -p "$PROJECT"
cd "$PROJECT"

OUT="$TEST_ROOT/stdout"
ERR="$TEST_ROOT/stderr"
STATUS=0

fail() {
  echo "FAIL: $*" >&2
  echo "--- stdout:" >&2
  cat "$OUT" >&2 2>/dev/null || true
  echo "--- stderr:" >&2
  cat "$ERR" >&2 2>/dev/null || true
  exit 1
}

# syn ARGS...: runs syntask with stdin closed, capturing stdout, stderr and the exit status.
syn() {
  STATUS=0
  "$SYNTASK_BIN" "$@" >"$OUT" 2>"$ERR" </dev/null || STATUS=$?
}

# syn_in INPUT ARGS...: as syn, with INPUT on stdin.
syn_in() {
  local input=$1
  shift
  STATUS=0
  printf '%s' "$input" | "$SYNTASK_BIN" "$@" >"$OUT" 2>"$ERR" || STATUS=$?
}

# expect_status CODE MESSAGE: the last command exited with CODE and printed MESSAGE (a fixed text, part
# of a line) on stderr, or on stdout where --json puts errors. An exit status alone would also pass when
# the command failed for another reason than the one the case is about.
expect_status() {
  [ "$#" -eq 2 ] && [ -n "$2" ] ||
    fail "expect_status takes the exit status and the message expected with it (got: $*)"
  [ "$STATUS" -eq "$1" ] || fail "expected exit status $1, got $STATUS"
  grep -qF -- "$2" "$ERR" "$OUT" || fail "exit status $1 but not the expected message: $2"
}

expect_ok() { [ "$STATUS" -eq 0 ] || fail "expected exit status 0, got $STATUS"; }

stdout_has() { grep -qF -- "$1" "$OUT" || fail "stdout lacks: $1"; }
stderr_has() { grep -qF -- "$1" "$ERR" || fail "stderr lacks: $1"; }
stdout_lacks() { ! grep -qF -- "$1" "$OUT" || fail "stdout has: $1"; }
stderr_lacks() { ! grep -qF -- "$1" "$ERR" || fail "stderr has: $1"; }

# stderr_is TEXT: stderr equals TEXT exactly (one or more lines).
stderr_is() {
  local actual
  actual=$(cat "$ERR")
  [ "$actual" = "$1" ] || fail "stderr differs; expected:
$1"
}

# json_get EXPR: evaluates a Python expression over the JSON document on stdout, bound to `d`.
json_get() {
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$OUT"
}

# A project with one flow file.
make_flow_project() {
  mkdir -p flows
  cat >flows/hello.py <<'PY'
from syntask import flow


@flow(name="hello")
def hello(name: str = "world"):
    print(f"Hello, {name}!")
PY
}

# suite_cases: the names of the case_NAME functions the suite defined, in the order of their definitions.
suite_cases() {
  local name
  shopt -s extdebug
  for name in $(compgen -A function case_); do
    declare -F "$name" # NAME LINE FILE
  done | sort -s -k3,3 -k2,2n | sed -E 's/^case_([^ ]*) .*/\1/'
  shopt -u extdebug
}

# run_cases [NAME...]: runs the cases NAME... (default: every case of the suite, in order), or, when CASE
# is set, only the ones it names (comma-separated), in the order given. An unknown name is an error
# listing the cases.
run_cases() {
  local cases=("$@") chosen=() name
  [ "${#cases[@]}" -gt 0 ] || mapfile -t cases < <(suite_cases)
  if [ -n "${CASE:-}" ]; then
    IFS=',' read -ra chosen <<<"$CASE"
    for name in "${chosen[@]}"; do
      # grep reads every name (no -q): quitting at the first match could fail printf with a broken pipe,
      # and pipefail would then call a known case unknown.
      if ! printf '%s\n' "${cases[@]}" | grep -xF -- "$name" >/dev/null; then
        echo "FAIL: $(basename "$0") has no case '$name'; its cases: ${cases[*]}" >&2
        exit 2
      fi
    done
    cases=("${chosen[@]}")
  fi
  for name in "${cases[@]}"; do
    echo "--- case $name" >&2
    "case_$name"
  done
}
