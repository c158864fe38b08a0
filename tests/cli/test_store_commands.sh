#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# variable, work-pool, block and steps commands, --version, --help and exit codes.
source "$(dirname "$0")/lib.sh"

case_version_and_help() {
  syn --version
  expect_ok
  stdout_has "syntask 0."
  for command in init deploy "deployment ls" pull run "block create" "variable set" "work-pool create" "steps ls"; do
    # shellcheck disable=SC2086
    syn $command --help
    expect_ok
    stdout_has "Usage:"
  done
  syn
  expect_status 2 "Usage: syntask [OPTIONS] [SUBCOMMAND]"
  syn no-such-command
  expect_status 2 "The following argument was not expected: no-such-command"
}

case_variables() {
  syn variable set answer 42
  expect_ok
  syn variable set obj '{"a": [1, 2]}'
  expect_ok
  syn variable set words 'hello world'
  expect_ok
  syn variable get answer --json
  expect_ok
  [ "$(json_get 'd["value"] + 1')" = "43" ] || fail "a JSON number stays a number"
  syn variable get words
  expect_ok
  [ "$(cat "$OUT")" = "hello world" ] || fail "plain strings are kept"
  syn variable ls --json
  expect_ok
  [ "$(json_get '[v["name"] for v in d["variables"]]')" = "['answer', 'obj', 'words']" ] || fail "variable ls"
  syn variable unset answer
  expect_ok
  syn variable unset answer
  expect_status 2 "variable 'answer' does not exist"
  stderr_is "syntask: error: variable 'answer' does not exist"
}

case_work_pools() {
  syn work-pool create docker-pool --type docker
  expect_ok
  syn work-pool create docker-pool --type docker
  expect_status 2 "work pool 'docker-pool' already exists"
  syn work-pool create bad --type nomad
  expect_status 2 "--type: nomad not in {process,docker,kubernetes}"
  syn work-pool ls --json
  expect_ok
  [ "$(json_get 'd["work_pools"][0]["type"]')" = "docker" ] || fail "work-pool ls"
  syn work-pool delete docker-pool
  expect_ok
}

case_blocks() {
  syn block type ls --json
  expect_ok
  for type in secret github-credentials gitlab-credentials bitbucket-credentials aws-credentials gcp-credentials \
    azure-blob-storage-credentials docker-registry-credentials; do
    grep -qF "\"$type\"" "$OUT" || fail "block type $type missing"
  done
  syn block create secrett x --value-stdin
  expect_status 2 "unknown block type 'secrett'; did you mean 'secret'?"
  syn_in "ghp_abcdefgh12345" block create github-credentials gh --value-stdin --json
  expect_ok
  syn_in "other" block create github-credentials gh --value-stdin
  expect_status 1 "block 'github-credentials/gh' already exists"
  syn block create github-credentials other --field tokn=x
  expect_status 2 "block type 'github-credentials' has no field 'tokn'; did you mean 'token'?"
  syn block create secret needs-value --no-prompt
  expect_status 2 "missing answer for 'value (The secret value.)': pass --secret-from-env value=VAR or --value-stdin"
  syn block inspect github-credentials/gh
  expect_ok
  stdout_has "********"
  stdout_lacks "ghp_abcdefgh12345"
  syn block delete github-credentials/gh
  expect_ok
  syn block inspect github-credentials/gh
  expect_status 2 "block 'github-credentials/gh' does not exist"
}

# --stdin-field: the secret field stdin fills when a type has several.
case_block_stdin_field() {
  syn_in "a2V5a2V5a2V5" block create azure-blob-storage-credentials az --field account_url=https://acct.blob.x \
    --stdin-field account_key --no-prompt
  expect_ok
  syn block inspect azure-blob-storage-credentials/az --json
  expect_ok
  [ "$(json_get 'd["data"]["account_key"]')" = "********" ] || fail "account_key not masked: $(cat "$OUT")"
  stdout_lacks "a2V5a2V5a2V5"
  stdout_lacks "connection_string"
  syn_in "x" block create azure-blob-storage-credentials az2 --stdin-field account_url
  expect_status 2 "is not secret: pass --field account_url=VALUE"
  stderr_is "syntask: error: --stdin-field: field 'account_url' of 'azure-blob-storage-credentials' is not secret: pass --field account_url=VALUE"
}

case_steps_ls() {
  syn steps ls --json
  expect_ok
  [ "$(json_get 'len(d["steps"]) >= 3')" = "True" ] || fail "steps ls"
  syn steps ls
  expect_ok
  stdout_has "syntask.deployments.steps.run_shell_script"
}

run_cases
echo ok
