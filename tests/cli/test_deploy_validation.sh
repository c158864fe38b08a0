#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# An invalid syntask.yaml is reported whole, one FILE:LINE:COL line per problem, exit 2, nothing run.
source "$(dirname "$0")/lib.sh"
make_flow_project

# given_pull_code_project: a pull step reads '{{ pull_code.folder }}', its own id, and the body a build
# step's output.
given_pull_code_project() {
  cat >syntask.yaml <<'YAML'
build:
- syntask.deployments.steps.run_shell_script:
    id: version
    script: touch build-ran
pull:
- syntask.deployments.steps.set_working_directory:
    id: pull_code
    directory: '{{ pull_code.folder }}'
deployments:
- name: checked
  entrypoint: flows/hello.py:hello
  version: "{{ version.stdout }}"
YAML
}

# given_later_output_project: a build step reads a variable that does not exist and the output of a step
# that comes after it.
given_later_output_project() {
  cat >syntask.yaml <<'YAML'
build:
- syntask.deployments.steps.run_shell_script:
    script: touch build-ran
- syntask.deployments.steps.run_shell_script:
    script: echo "<< syntask.variables.no_such_variable >> << later.stdout >>"
- syntask.deployments.steps.run_shell_script:
    id: later
    script: echo later
deployments:
- name: checked
  entrypoint: flows/hello.py:hello
YAML
}

case_reported_whole() {
  cat >syntask.yaml <<'YAML'
name: demo
build:
- syntask.deployments.steps.run_shell_script:
    script: touch build-ran
deployments:
- name: one
  entrypoint: flows/hello.py:hello
  work_pol:
    name: default
  schedules:
  - cron: "61 * * * *"
- name: two
  entrypoint: flows/hello.py:hello
  pull:
  - syntask.deployments.steps.git_clon:
      repository: https://example.invalid/repo.git
YAML
  syn deploy --all --no-prompt
  expect_status 2 "syntask.yaml:8:3: deployments[0].work_pol: unknown key 'work_pol'; did you mean 'work_pool'?"
  stderr_has "syntask.yaml:11:11: deployments[0].schedules[0].cron:"
  stderr_has "syntask.yaml:15:5: deployments[1].pull[0]: unknown step 'syntask.deployments.steps.git_clon'"
  [ "$(grep -c '^syntask: error: ' "$ERR")" -ge 3 ] || fail "every problem on its own line"
  [ ! -e build-ran ] || fail "a build step ran although the file is invalid"
}

# Malformed YAML shows the line and a caret.
case_malformed_yaml() {
  printf 'name: x\ndeployments:\n  - name: [unclosed\n' >syntask.yaml
  syn deploy --no-prompt
  expect_status 2 "syntask.yaml:4:1: end of sequence flow not found"
  stderr_has "syntask.yaml:"
  grep -q '\^' "$ERR" || fail "no caret under the column"
}

# Missing answers under --no-prompt name the flag that supplies them.
case_missing_answers() {
  rm -f syntask.yaml
  syn deploy --no-prompt
  expect_status 2 "missing the flow entrypoint: pass an ENTRYPOINT argument"
  syn deploy flows/hello.py:hello --no-prompt
  expect_status 2 "missing the deployment name: pass --name NAME"
  stderr_is "syntask: error: missing the deployment name: pass --name NAME or set name in the project file"
}

# Unknown entrypoints, pools, bad flags.
case_bad_arguments() {
  rm -f syntask.yaml
  syn deploy flows/nope.py:hello --name x --no-prompt
  expect_status 2 "file 'flows/nope.py' does not exist"
  stderr_has "nope.py"
  syn deploy flows/hello.py:hello --name x --pool missing-pool --no-prompt
  expect_status 2 "work pool 'missing-pool' does not exist"
  syn deploy flows/hello.py:hello --name x --cron "not a cron" --no-prompt
  expect_status 2 "--cron: invalid cron expression 'not a cron'"
  stderr_has "--cron: "
  syn deploy --bogus-flag
  expect_status 2 "The following argument was not expected: --bogus-flag"
  syn deploy flows/hello.py:hello --name x --param novalue --no-prompt
  expect_status 2 "--param 'novalue': expected KEY=VALUE"
  stderr_is "syntask: error: --param 'novalue': expected KEY=VALUE"
}

# A project file given with --syntask-file must exist.
case_missing_project_file() {
  syn deploy --syntask-file missing.yaml --no-prompt
  expect_status 2 "project file 'missing.yaml' does not exist"
  stderr_is "syntask: error: project file 'missing.yaml' does not exist"
  syn deployment inspect not-an-address
  expect_status 2 "deployment 'not-an-address' must be written FLOW_NAME/DEPLOYMENT_NAME"
  stderr_is "syntask: error: deployment 'not-an-address' must be written FLOW_NAME/DEPLOYMENT_NAME"
}

# Checks that need no step output run before the first build step, and name the field's line and
# column: a pull step reading an output nobody makes (the guide's '{{ pull_code.folder }}'), a missing
# block or variable anywhere, an output of a step that comes later.
case_pull_output_reference() {
  given_pull_code_project
  syn deploy -n checked --no-prompt
  expect_status 2 "'{{ pull_code.folder }}' names no build or push output and no earlier pull step's id"
  stderr_is "syntask: error: $PROJECT/syntask.yaml:8:16: pull[0].syntask.deployments.steps.set_working_directory.directory: '{{ pull_code.folder }}' names no build or push output and no earlier pull step's id"
  [ ! -e build-ran ] || fail "a build step ran before the pull step references were checked"
  syn deployment inspect hello/checked
  expect_status 2 "deployment 'hello/checked' does not exist"
}

case_body_reference() {
  given_pull_code_project
  sed -i "s/'{{ pull_code.folder }}'/'{{ version.stdout }}'/; s/version: \"{{ version.stdout }}\"/version: \"{{ versions.stdout }}\"/" syntask.yaml
  syn deploy -n checked --no-prompt
  expect_status 2 "'{{ versions.stdout }}' names no build or push step's id or output; did you mean 'version'?"
  stderr_is "syntask: error: $PROJECT/syntask.yaml:12:12: deployments[0].version: '{{ versions.stdout }}' names no build or push step's id or output; did you mean 'version'?"
  [ ! -e build-ran ] || fail "a build step ran before the body's references were checked"
}

case_missing_block() {
  cat >syntask.yaml <<'YAML'
build:
- syntask.deployments.steps.run_shell_script:
    script: touch build-ran
pull:
- syntask.deployments.steps.git_clone:
    repository: https://example.invalid/repo.git
    access_token: "<< syntask.blocks.secret.no-such-token >>"
deployments:
- name: checked
  entrypoint: flows/hello.py:hello
YAML
  syn deploy -n checked --no-prompt --no-verify
  expect_status 2 "block 'secret/no-such-token' does not exist"
  stderr_is "syntask: error: $PROJECT/syntask.yaml:7:19: pull[0].syntask.deployments.steps.git_clone.access_token: block 'secret/no-such-token' does not exist"
  [ ! -e build-ran ] || fail "a build step ran before the block check"
}

case_missing_variable_and_later_output() {
  given_later_output_project
  syn deploy -n checked --no-prompt
  expect_status 2 "variable 'no_such_variable' does not exist"
  stderr_is "syntask: error: $PROJECT/syntask.yaml:5:13: build[1].syntask.deployments.steps.run_shell_script.script: variable 'no_such_variable' does not exist"
  syn variable set no_such_variable '"set"'
  expect_ok
  syn deploy -n checked --no-prompt
  expect_status 2 "'<< later.stdout >>' names no earlier build or push step's id or output"
  stderr_is "syntask: error: $PROJECT/syntask.yaml:5:13: build[1].syntask.deployments.steps.run_shell_script.script: '<< later.stdout >>' names no earlier build or push step's id or output"
  [ ! -e build-ran ] || fail "a build step ran before the build steps' references were checked"
}

# A work pool that does not exist fails before the first build step too.
case_missing_work_pool() {
  given_later_output_project
  syn variable set no_such_variable '"set"'
  expect_ok
  sed -i 's/^  entrypoint: flows\/hello.py:hello$/&\n  work_pool:\n    name: no-such-pool/' syntask.yaml
  syn deploy -n checked --no-prompt
  expect_status 2 "work pool 'no-such-pool' does not exist"
  [ ! -e build-ran ] || fail "a build step ran before the work pool check"
  # ... also when its name comes from a variable.
  syn variable set pool_name '"pool-from-variable"'
  expect_ok
  sed -i 's/name: no-such-pool/name: "{{ syntask.variables.pool_name }}"/' syntask.yaml
  syn deploy -n checked --no-prompt
  expect_status 2 "work pool 'pool-from-variable' does not exist"
  [ ! -e build-ran ] || fail "a build step ran before the work pool (from a variable) was checked"
}

run_cases
echo ok
