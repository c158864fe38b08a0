#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A repeatable flag takes one value each time it is given: a positional argument written after it is
# still the positional argument, whatever the order.
source "$(dirname "$0")/lib.sh"
make_flow_project
syn init --recipe local --no-prompt
expect_ok

# inspect ADDRESS EXPR EXPECTED: the stored deployment's field, as Python sees the JSON record.
inspect() {
  syn deployment inspect "$1" --json
  expect_ok
  local actual
  actual=$(json_get "$2")
  [ "$actual" = "$3" ] || fail "$1: $2 is '$actual', expected '$3'"
}

# given_first_deployed: hello/first is stored (as the case name_before_entrypoint deploys it).
given_first_deployed() {
  syn deployment inspect hello/first --json
  [ "$STATUS" -eq 0 ] && return
  syn deploy -n first flows/hello.py:hello --no-prompt
  expect_ok
}

# -n NAME before the entrypoint.
case_name_before_entrypoint() {
  syn deploy -n first flows/hello.py:hello --no-prompt
  expect_ok
  stdout_has "Deployment 'hello/first' successfully created."
  inspect hello/first 'd["entrypoint"]' "flows/hello.py:hello"
  inspect hello/first 'd["name"]' "first"
}

# --name=NAME before the entrypoint.
case_name_equals_before_entrypoint() {
  syn deploy --name=second flows/hello.py:hello --no-prompt
  expect_ok
  inspect hello/second 'd["entrypoint"]' "flows/hello.py:hello"
}

# -t TAG before the entrypoint, repeated.
case_tags_repeated() {
  syn deploy -t x -n tagged -t y flows/hello.py:hello --no-prompt
  expect_ok
  inspect hello/tagged 'd["tags"]' "['x', 'y']"
  inspect hello/tagged 'd["entrypoint"]' "flows/hello.py:hello"
}

# --param KEY=VALUE before the entrypoint, repeated.
case_params_repeated() {
  syn deploy --param name=Ada -n params --param count=3 flows/hello.py:hello --no-prompt
  expect_ok
  inspect hello/params 'sorted(d["parameters"].items())' "[('count', 3), ('name', 'Ada')]"
  inspect hello/params 'd["entrypoint"]' "flows/hello.py:hello"
}

# --job-variable KEY=VALUE before the entrypoint.
case_job_variable() {
  syn deploy --job-variable env='{"A": "1"}' -n jobvars flows/hello.py:hello --no-prompt
  expect_ok
  inspect hello/jobvars 'd["work_pool"]["job_variables"]' "{'env': {'A': '1'}}"
  inspect hello/jobvars 'd["entrypoint"]' "flows/hello.py:hello"
}

# Two words after one -n: the second is the entrypoint, a third is an error naming it.
case_extra_positional() {
  syn deploy -n extra flows/hello.py:hello surplus --no-prompt
  expect_status 2 "surplus"
  syn deployment inspect hello/extra --json
  expect_status 2 "deployment 'hello/extra' does not exist"
}

# run --param before the deployment.
case_run_param() {
  given_first_deployed
  syn run --param name=Grace hello/first
  expect_ok
  stdout_has "Hello, Grace!"
}

# block create --field before the type and name, --secret-from-env between them.
case_block_create_fields() {
  SECRET_VALUE="order-secret-$RANDOM" syn block create --field aws_access_key_id=AKIDORDER aws-credentials \
    --secret-from-env aws_secret_access_key=SECRET_VALUE ordered --field region_name=eu-west-1 --no-prompt --json
  expect_ok
  [ "$(json_get 'd["created"]')" = "aws-credentials/ordered" ] || fail "block create address"
  syn block inspect aws-credentials/ordered --json
  expect_ok
  [ "$(json_get 'd["data"]["aws_access_key_id"]')" = "AKIDORDER" ] || fail "aws_access_key_id"
  [ "$(json_get 'd["data"]["region_name"]')" = "eu-west-1" ] || fail "region_name"
  [ "$(json_get 'd["data"]["aws_secret_access_key"]')" = "********" ] || fail "aws_secret_access_key"
}

# init --field before --recipe.
case_init_field() {
  rm -rf "$TEST_ROOT/other" && mkdir "$TEST_ROOT/other" && cd "$TEST_ROOT/other"
  syn init --field directory=/srv/flows --recipe local --no-prompt
  expect_ok
  grep -qF "directory: /srv/flows" syntask.yaml || fail "init --field before --recipe"
  cd "$PROJECT"
}

run_cases
echo ok
