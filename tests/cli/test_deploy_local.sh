#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# init + deploy + pull + run on local storage, with --no-prompt, as the README's demo does.
source "$(dirname "$0")/lib.sh"
make_flow_project

# given_initialized: the project has the local recipe's syntask.yaml.
given_initialized() {
  [ -e syntask.yaml ] && return
  syn init --recipe local --no-prompt
  expect_ok
}

# given_demo_deployed: hello/demo is stored as the case deploy makes it.
given_demo_deployed() {
  given_initialized
  syn deployment inspect hello/demo --json
  [ "$STATUS" -eq 0 ] && return
  syn deploy flows/hello.py:hello --name demo --param name=Ada --tag t1 --no-prompt
  expect_ok
}

case_init_local() {
  syn init --recipe local --no-prompt
  expect_ok
  stdout_has "syntask.yaml"
  stdout_has ".syntaskignore"
  grep -qF "directory: $PROJECT" syntask.yaml || fail "init did not write the project directory into the pull step"
  grep -qxF "__pycache__/" .syntaskignore || fail "default .syntaskignore lacks __pycache__/"
}

# init never overwrites without --force.
case_init_force() {
  given_initialized
  syn init --recipe local --no-prompt
  expect_status 2 "syntask.yaml already exists; pass --force to overwrite it"
  stderr_is "syntask: error: $PROJECT/syntask.yaml already exists; pass --force to overwrite it"
  # --force rewrites syntask.yaml only: the project's own .syntaskignore is kept.
  printf 'my-secrets/\n' >.syntaskignore
  syn init --recipe local --no-prompt --force --json
  expect_ok
  [ "$(json_get 'd["files"]')" = "['syntask.yaml']" ] || fail "init --force reports writing $(json_get 'd["files"]')"
  [ "$(cat .syntaskignore)" = "my-secrets/" ] || fail "init --force rewrote .syntaskignore"
}

case_deploy() {
  given_initialized
  syn deploy flows/hello.py:hello --name demo --param name=Ada --tag t1 --no-prompt
  expect_ok
  stdout_has "Your Syntask workers will attempt to load your flow from:"
  expect_ok
  stdout_has "Deployment 'hello/demo' successfully created."
}

# Redeploying updates.
case_redeploy_updates() {
  given_demo_deployed
  syn deploy flows/hello.py:hello --name demo --param name=Ada --tag t1 --no-prompt --json
  expect_ok
  [ "$(json_get 'd["deployments"][0]["created"]')" = "False" ] || fail "redeploy should update"
  [ "$(json_get 'd["deployments"][0]["record"]["work_pool"]["name"]')" = "default" ] || fail "default pool"
}

case_stored_deployment() {
  given_demo_deployed
  syn deployment ls --json
  expect_ok
  [ "$(json_get 'd["deployments"][0]["address"]')" = "hello/demo" ] || fail "deployment ls"

  syn work-pool ls --json
  expect_ok
  [ "$(json_get 'd["work_pools"][0]["type"]')" = "process" ] || fail "default pool is a process pool"

  syn deployment inspect hello/demo --json
  expect_ok
  [ "$(json_get 'd["pull_steps"][0]["syntask.deployments.steps.set_working_directory"]["directory"]')" = "$PROJECT" ] ||
    fail "the pull step of the init recipe is stored"
  [ "$(json_get 'd["tags"]')" = "['t1']" ] || fail "tags"
}

# pull from elsewhere reports where the flow is.
case_pull_elsewhere() {
  given_demo_deployed
  mkdir -p "$TEST_ROOT/worker"
  syn pull hello/demo --dir "$TEST_ROOT/worker" --json
  expect_ok
  [ "$(json_get 'd["working_directory"]')" = "$PROJECT" ] || fail "pull working directory"
  [ "$(json_get 'd["entrypoint_path"]')" = "$PROJECT/flows/hello.py" ] || fail "pull entrypoint path"
}

case_run() {
  given_demo_deployed
  syn run hello/demo
  expect_ok
  stdout_has "Hello, Ada!"
  syn run hello/demo --param 'name="Grace"'
  expect_ok
  stdout_has "Hello, Grace!"
}

# A failing flow returns its exit status.
case_failing_flow() {
  given_initialized
  cat >flows/broken.py <<'PY'
import sys
from syntask import flow

@flow
def broken():
    sys.exit(7)
PY
  syn deploy flows/broken.py:broken --name b --no-prompt
  expect_ok
  syn run broken/b
  expect_status 7 "Running flow 'broken/b' from"
}

# Without syntask.yaml, the default pull loads the flow from the project directory.
case_no_project_file() {
  rm -f syntask.yaml
  syn deploy flows/hello.py:hello --name plain --no-prompt
  expect_ok
  stdout_has "Your Syntask workers will attempt to load your flow from:"
  stdout_has "$PROJECT/flows/hello.py"

  syn deployment delete hello/plain
  expect_ok
  syn deployment inspect hello/plain
  expect_status 2 "deployment 'hello/plain' does not exist"
  echo "ok"
}

run_cases
