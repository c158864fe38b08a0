# SPDX-License-Identifier: Apache-2.0
# Shared helpers for the CLI suites. Each suite sources this file, runs the real binary in a fresh
# project directory with its own SYNTASK_HOME, and fails on the first broken expectation.
set -euo pipefail

: "${SYNTASK_BIN:?SYNTASK_BIN must point to the syntask binary}"
: "${SYNTASK_SOURCE_DIR:?SYNTASK_SOURCE_DIR must point to the source tree}"

TEST_ROOT=$(mktemp -d)
trap 'rm -rf "$TEST_ROOT"' EXIT
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

expect_status() {
  [ "$STATUS" -eq "$1" ] || fail "expected exit status $1, got $STATUS"
}

expect_ok() { expect_status 0; }

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
