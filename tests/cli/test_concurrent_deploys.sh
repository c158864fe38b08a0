#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Several syntask processes deploying into one store at once (parallel CI jobs).
source "$(dirname "$0")/lib.sh"
make_flow_project

# The first deploys into a new store race to create the default work pool: every one succeeds.
case_first_deploys_share_the_default_pool() {
  local i pids=() failed=0
  for i in 1 2 3 4 5 6 7 8; do
    "$SYNTASK_BIN" deploy flows/hello.py:hello -n "parallel-$i" --no-prompt >"$TEST_ROOT/out-$i" 2>"$TEST_ROOT/err-$i" </dev/null &
    pids+=("$!")
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || { failed=1; cat "$TEST_ROOT/err-$((i + 1))" >&2; }
  done
  [ "$failed" = 0 ] || fail "a parallel first deploy failed"
  syn deployment ls --json
  expect_ok
  [ "$(json_get 'len(d["deployments"])')" = 8 ] || fail "every parallel deploy registered its deployment"
  syn work-pool ls --json
  [ "$(json_get '[p["name"] for p in d["work_pools"]]')" = "['default']" ] || fail "one default pool"
}

run_cases
echo ok
