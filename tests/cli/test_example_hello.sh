#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# examples/hello deploys and runs as it is, also where USER (or any other variable) is unset, as in
# containers and CI runners: every deployment of its syntask.yaml, and the demo's own command.
source "$(dirname "$0")/lib.sh"
cp -r "$SYNTASK_SOURCE_DIR/examples/hello/." "$PROJECT/"

# syn_without_user ARGS...: as syn, with USER unset.
syn_without_user() {
  STATUS=0
  env -u USER "$SYNTASK_BIN" "$@" >"$OUT" 2>"$ERR" </dev/null || STATUS=$?
}

case_every_deployment() {
  syn_without_user deploy --all --no-prompt --json
  expect_ok
  [ "$(json_get '[x["address"] for x in d["deployments"]]')" = "['hello/demo', 'hello/nightly']" ] ||
    fail "deploy --all registers both deployments of the example"
  [ "$(json_get 'd["deployments"][1]["record"]["parameters"]')" = "{'name': 'night shift'}" ] ||
    fail "the nightly deployment's parameters"
  syn_without_user run hello/nightly
  expect_ok
  stdout_has "Hello, night shift."
  stdout_has "$(cat "$PROJECT/flows/message.txt")"
}

# scripts/demo.sh's deploy and run.
case_demo_commands() {
  syn_without_user deploy flows/hello.py:hello --name demo --param name=Syntask --tag example --no-prompt
  expect_ok
  stdout_has "Deployment 'hello/demo' successfully "
  syn_without_user run hello/demo --param excited=true
  expect_ok
  stdout_has "Hello, Syntask!"
}

run_cases
