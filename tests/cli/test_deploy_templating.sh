#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build/push outputs, environment, variables and blocks in the deployment body and in pull steps.
source "$(dirname "$0")/lib.sh"
mkdir -p flows
cat >flows/hello.py <<'PY'
from syntask import flow


@flow(name="hello")
def hello(name: str = "world", **extra):
    print(f"Hello, {name}!")
    for key in sorted(extra):
        print(f"{key}={extra[key]!r}")
PY

# given_templated_project: the variables and the environment the project file reads, and the file.
given_templated_project() {
  syn variable set greeting_target '"Variables"'
  expect_ok
  syn variable set retries 3
  expect_ok
  cat >syntask.yaml <<'YAML'
name: templating
build:
- syntask.deployments.steps.run_shell_script:
    id: get-version
    script: echo 1.2.3
    stream_output: false
- syntask.deployments.steps.run_shell_script:
    id: make-tag
    script: echo "build-<< get-version.stdout >>"
    stream_output: false
pull:
- syntask.deployments.steps.run_shell_script:
    id: where
    script: echo << $WORKER_ONLY_VAR >>
- syntask.deployments.steps.set_working_directory:
    directory: "{{ $PROJECT_DIR_AT_RUN }}"
deployments:
- name: templated
  entrypoint: flows/hello.py:hello
  version: << get-version.stdout >>
  tags: ["<< make-tag.stdout >>", "{{ $DEPLOY_ENV }}", literal]
  parameters:
    name: << syntask.variables.greeting_target >>
    retries: << syntask.variables.retries >>
    go_template: "{{.ID}}"
    escaped: \<< not.a.reference >>
YAML
  export DEPLOY_ENV=staging
}

# given_templated_deployed: hello/templated is stored from that project file.
given_templated_deployed() {
  given_templated_project
  syn deploy -n templated --no-prompt
  expect_ok
}

case_body_templated() {
  given_templated_project
  syn deploy -n templated --no-prompt --json
  expect_ok
  [ "$(json_get 'd["deployments"][0]["record"]["version"]')" = "1.2.3" ] || fail "version from a build output"
  [ "$(json_get 'd["deployments"][0]["record"]["tags"]')" = "['build-1.2.3', 'staging', 'literal']" ] ||
    fail "list elements are templated, not dropped"
  [ "$(json_get 'd["deployments"][0]["record"]["parameters"]["retries"]')" = "3" ] || fail "typed variable"
  [ "$(json_get 'd["deployments"][0]["record"]["parameters"]["go_template"]')" = "{{.ID}}" ] || fail "Go template kept"
  # Pull steps keep environment references for the worker.
  [ "$(json_get 'd["deployments"][0]["record"]["pull_steps"][0]["syntask.deployments.steps.run_shell_script"]["script"]')" = \
    'echo << $WORKER_ONLY_VAR >>' ] || fail "environment reference in a pull step is kept for the worker"
}

# The worker's environment counts when the pull steps run.
case_worker_environment() {
  given_templated_deployed
  WORKER_ONLY_VAR=from-the-worker PROJECT_DIR_AT_RUN="$PROJECT" syn run templated/hello 2>/dev/null || true
  WORKER_ONLY_VAR=from-the-worker PROJECT_DIR_AT_RUN="$PROJECT" syn run hello/templated
  expect_ok
  stdout_has "from-the-worker"
  stdout_has "Hello, Variables!"
  stdout_has "retries=3"
  stdout_has "go_template='{{.ID}}'"
  stdout_has "escaped='<< not.a.reference >>'"
}

# ... and a missing one is an error naming the reference, not a blank.
case_missing_worker_variable() {
  given_templated_deployed
  PROJECT_DIR_AT_RUN="$PROJECT" syn run hello/templated
  expect_status 1 "environment variable 'WORKER_ONLY_VAR' is not set"
}

# Missing references fail at deploy time, naming the reference and its place.
case_missing_references_at_deploy() {
  given_templated_project
  unset DEPLOY_ENV
  syn deploy -n templated --no-prompt
  expect_status 2 "deployments[0].tags[1]: environment variable 'DEPLOY_ENV' is not set"
  stderr_has "syntask.yaml:"
  stderr_has "environment variable 'DEPLOY_ENV' is not set"
  export DEPLOY_ENV=x
  syn variable unset greeting_target
  expect_ok
  syn deploy -n templated --no-prompt
  expect_status 2 "variable 'greeting_target' does not exist"
}

# A pull step output reference must name an earlier pull step.
case_pull_output_order() {
  cat >syntask.yaml <<'YAML'
pull:
- syntask.deployments.steps.set_working_directory:
    directory: << later.directory >>
- syntask.deployments.steps.set_working_directory:
    id: later
    directory: .
deployments:
- name: bad-order
  entrypoint: flows/hello.py:hello
YAML
  syn deploy --no-prompt
  expect_status 2 "names no build or push output and no earlier pull step's id"
}

run_cases
echo ok
