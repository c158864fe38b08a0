#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Secret values never reach stdout, stderr, --dry-run output, the deployment record or the database file.
source "$(dirname "$0")/lib.sh"
make_flow_project
SECRET="s3cr3t-value-$RANDOM-$RANDOM"
ALL="$TEST_ROOT/all-output"
: >"$ALL"
collect() { cat "$OUT" "$ERR" >>"$ALL"; }

syn_in "$SECRET" block create secret api-token --value-stdin
expect_ok
collect
syn block create secret on-argv --field value=oops
expect_status 2 "is secret and is never taken from the command line"
collect
syn block inspect secret/api-token --json
expect_ok
collect
[ "$(json_get 'd["data"]["value"]')" = "********" ] || fail "inspect masks the secret"
syn block ls
expect_ok
stdout_has "secret/api-token"

cat >syntask.yaml <<'YAML'
build:
- syntask.deployments.steps.run_shell_script:
    script: echo token=<< syntask.blocks.secret.api-token >>
pull:
- syntask.deployments.steps.run_shell_script:
    script: echo pulled with << syntask.blocks.secret.api-token >>
deployments:
- name: uses-secret
  entrypoint: flows/hello.py:hello
  parameters:
    name: << syntask.blocks.secret.api-token >>
YAML
syn deploy --no-prompt --dry-run
expect_ok
collect
stdout_has "<< syntask.blocks.secret.api-token >>"
syn deploy --no-prompt
expect_ok
collect
stdout_has "token=********"
syn deployment inspect hello/uses-secret --json
expect_ok
collect
[ "$(json_get 'd["parameters"]["name"]')" = "<< syntask.blocks.secret.api-token >>" ] ||
  fail "the body keeps the secret as a reference"
syn run hello/uses-secret
expect_ok
collect
stdout_has "Hello, ********!"
syn pull hello/uses-secret
expect_ok
collect

! grep -qF "$SECRET" "$ALL" || fail "a secret value reached the output"
for file in "$SYNTASK_HOME"/syntask.db*; do
  ! grep -qaF "$SECRET" "$file" || fail "a secret value is readable in $file"
done
[ "$(stat -c %a "$SYNTASK_HOME/secret.key")" = "600" ] || fail "secret.key must be mode 0600"

# Tokens inside URLs are redacted in errors.
cat >syntask.yaml <<'YAML'
deployments:
- name: url
  entrypoint: flows/hello.py:hello
  pull:
  - syntask.deployments.steps.run_shell_script:
      script: sh -c 'echo https://user:tok-en-123@example.invalid/x >&2; exit 1'
YAML
syn deploy --no-prompt
expect_ok
syn run hello/url
expect_status 1 "failed with exit code 1: https://********@example.invalid/x"
stderr_lacks "tok-en-123"
stderr_has "https://********@example.invalid/x"
echo ok
