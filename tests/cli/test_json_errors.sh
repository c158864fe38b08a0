#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Under --json a failure is one JSON document on stdout, {"error": {"message", "file", "line", "column",
# "exit_code"}}, the place null when there is none; and a message names its place once.
source "$(dirname "$0")/lib.sh"
make_flow_project

# error_field KEY: the field of the error document, as Python prints it (None for null). Fails unless
# stdout is exactly one JSON document holding only "error".
error_field() {
  python3 -c '
import json, sys
document = json.loads(open(sys.argv[1]).read())
assert list(document) == ["error"], document
print(document["error"][sys.argv[2]])' "$OUT" "$1" || fail "stdout is not one error document"
}

expect_error_field() {
  local actual
  actual=$(error_field "$1")
  [ "$actual" = "$2" ] || fail "error.$1 is '$actual', expected '$2'"
}

# A configuration error has its place in fields of its own, and the message without it.
case_config_error_place() {
  cat >syntask.yaml <<'YAML'
deployments:
- name: broken
  entrypoint: flows/hello.py:hello
  work_pol: default
YAML
  syn deploy --no-prompt --json
  expect_status 2 "unknown key 'work_pol'"
  expect_error_field file "$PROJECT/syntask.yaml"
  expect_error_field line 4
  expect_error_field column 3
  expect_error_field exit_code 2
  expect_error_field message "deployments[0].work_pol: unknown key 'work_pol'; did you mean 'work_pool'?"
  # stderr keeps the line a person reads.
  stderr_has "syntask: error: $PROJECT/syntask.yaml:4:3: deployments[0].work_pol: unknown key 'work_pol'"
}

# Several problems: the first is the error, each is listed.
case_several_problems() {
  cat >syntask.yaml <<'YAML'
deployments:
- name: broken
  entrypoint: flows/hello.py:hello
  work_pol: default
  tgas: [a]
YAML
  syn deploy --no-prompt --json
  expect_status 2 "unknown key 'tgas'"
  expect_error_field line 4
  [ "$(json_get 'len(d["error"]["problems"])')" = 2 ] || fail "two problems"
  [ "$(json_get 'd["error"]["problems"][1]["line"]')" = 5 ] || fail "the second problem's line"
  [ "$(json_get 'd["error"]["problems"][1]["message"]')" = "deployments[0].tgas: unknown key 'tgas'; did you mean 'tags'?" ] ||
    fail "the second problem's message"
}

# A YAML syntax error.
case_yaml_syntax_error() {
  printf 'deployments:\n- name: [unclosed\n' >syntask.yaml
  syn deploy --no-prompt --json
  expect_status 2 "syntask.yaml"
  expect_error_field file "$PROJECT/syntask.yaml"
  [ "$(error_field line)" != None ] || fail "a syntax error has a line"
}

# A usage error has no place: the fields are null.
case_usage_error_no_place() {
  syn deploy --json --no-such-flag
  expect_status 2 "--no-such-flag"
  expect_error_field file None
  expect_error_field line None
  expect_error_field column None
  expect_error_field exit_code 2
  [[ "$(error_field message)" == *"--no-such-flag"* ]] || fail "the message names the flag"
  syn block create no-such-type x --no-prompt --json
  expect_status 2 "unknown block type 'no-such-type'"
  expect_error_field file None
  expect_error_field message "unknown block type 'no-such-type'"
  syn deployment inspect hello/missing --json
  expect_status 2 "deployment 'hello/missing' does not exist"
  expect_error_field message "deployment 'hello/missing' does not exist"
  expect_error_field exit_code 2
}

# Without --json, stdout stays empty on failure.
case_plain_stdout_empty() {
  syn deploy --no-such-flag
  expect_status 2 "--no-such-flag"
  [ ! -s "$OUT" ] || fail "stdout is empty without --json"
}

# A step's failure names one place: the field's when the cause is about one, else the step's.
case_step_field_place() {
  cat >syntask.yaml <<'YAML'
build:
- syntask.deployments.steps.run_shell_script:
    id: first
    script: echo one
- syntask.deployments.steps.run_shell_script:
    script: echo {{ first }}
deployments:
- name: steps
  entrypoint: flows/hello.py:hello
YAML
  syn deploy --no-prompt
  expect_status 1 "'{{ first }}' is an object"
  [ "$(grep -o "syntask.yaml:[0-9]*:[0-9]*:" "$ERR" | wc -l)" = 1 ] || fail "the place is named once"
  stderr_has "syntask: error: $PROJECT/syntask.yaml:6:13: build[1] (syntask.deployments.steps.run_shell_script): build[1].syntask.deployments.steps.run_shell_script.script: '{{ first }}' is an object"
  syn deploy --no-prompt --json
  expect_status 1 "'{{ first }}' is an object"
  expect_error_field file "$PROJECT/syntask.yaml"
  expect_error_field line 6
  expect_error_field column 13
}

case_step_place() {
  cat >syntask.yaml <<'YAML'
build:
- syntask.deployments.steps.run_shell_script:
    script: sh -c 'exit 3'
deployments:
- name: steps
  entrypoint: flows/hello.py:hello
YAML
  syn deploy --no-prompt --json
  expect_status 1 "exit code 3"
  expect_error_field file "$PROJECT/syntask.yaml"
  expect_error_field line 2
  [[ "$(error_field message)" == "build[0] (syntask.deployments.steps.run_shell_script): "*"exit code 3"* ]] ||
    fail "a step's message without its place"
}

run_cases
echo ok
