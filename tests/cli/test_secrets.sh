#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Secret values never reach stdout, stderr, --dry-run output, the deployment record or the database file.
source "$(dirname "$0")/lib.sh"
make_flow_project
SECRET="s3cr3t-value-$RANDOM-$RANDOM"
ALL="$TEST_ROOT/all-output"
: >"$ALL"
collect() { cat "$OUT" "$ERR" >>"$ALL"; }
ENV_TOKEN="env-token-$RANDOM-$RANDOM"
ENV_KEY="env-key-$RANDOM-$RANDOM"
ENV_SAS="env-sas-$RANDOM-$RANDOM"
export ENV_TOKEN ENV_KEY ENV_SAS

# expect_secrets_hidden: no secret value is in the output collected so far nor readable in the database
# file, and the key is the owner's alone.
expect_secrets_hidden() {
  for value in "$ENV_TOKEN" "$ENV_KEY" "$ENV_SAS"; do
    ! grep -qF "$value" "$ALL" || fail "a secret from the environment reached the output"
    for file in "$SYNTASK_HOME"/syntask.db*; do
      ! grep -qaF "$value" "$file" || fail "a secret from the environment is readable in $file"
    done
  done
  ! grep -qF "$SECRET" "$ALL" || fail "a secret value reached the output"
  for file in "$SYNTASK_HOME"/syntask.db*; do
    ! grep -qaF "$SECRET" "$file" || fail "a secret value is readable in $file"
  done
  [ "$(stat -c %a "$SYNTASK_HOME/secret.key")" = "600" ] || fail "secret.key must be mode 0600"
}

# given_api_token: the secret block secret/api-token holds $SECRET.
given_api_token() {
  syn block inspect secret/api-token --json
  [ "$STATUS" -eq 0 ] && return
  syn_in "$SECRET" block create secret api-token --value-stdin
  expect_ok
  collect
}

# given_ci_credentials: github-credentials/ci holds $ENV_TOKEN.
given_ci_credentials() {
  syn block inspect github-credentials/ci --json
  [ "$STATUS" -eq 0 ] && return
  syn block create github-credentials ci --secret-from-env token=ENV_TOKEN --field username=ci-user --no-prompt --json
  expect_ok
  collect
}

case_secret_masked() {
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
  expect_secrets_hidden
}

case_secret_in_deployment() {
  given_api_token
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
  expect_secrets_hidden
}

# --secret-from-env FIELD=VAR fills any number of secret fields, with --field for the others.
case_secret_from_env() {
  syn block create github-credentials ci --secret-from-env token=ENV_TOKEN --field username=ci-user --no-prompt --json
  expect_ok
  collect
  [ "$(json_get 'd["created"]')" = "github-credentials/ci" ] || fail "github-credentials from the environment"
  syn block inspect github-credentials/ci --json
  expect_ok
  collect
  [ "$(json_get 'd["data"]')" = "{'token': '********', 'username': 'ci-user'}" ] || fail "token and username"
  syn block create azure-blob-storage-credentials ci --field account_url=https://acct.blob.example \
    --secret-from-env account_key=ENV_KEY --secret-from-env sas_token=ENV_SAS --no-prompt
  expect_ok
  collect
  syn block inspect azure-blob-storage-credentials/ci --json
  expect_ok
  collect
  [ "$(json_get 'sorted(d["data"])')" = "['account_key', 'account_url', 'sas_token']" ] || fail "two secrets from env"
  [ "$(json_get 'd["data"]["sas_token"]')" = "********" ] || fail "sas_token sealed and masked"
  # The stored field holds what the variable held.
  cat >flows/check.py <<'PY'
import os
from syntask import flow


@flow(name="check")
def check(token: str):
    print("token matches" if token == os.environ["ENV_TOKEN"] else "token differs")
PY
  cat >"$TEST_ROOT/uses-env.yaml" <<'YAML'
deployments:
- name: env-secret
  entrypoint: flows/check.py:check
  parameters:
    token: << syntask.blocks.github-credentials.ci.token >>
YAML
  syn deploy --no-prompt --syntask-file "$TEST_ROOT/uses-env.yaml"
  expect_ok
  collect
  syn run check/env-secret
  expect_ok
  collect
  stdout_has "token matches"
  expect_secrets_hidden
}

# Mistakes name the variable or the field.
case_secret_from_env_mistakes() {
  given_ci_credentials
  syn block create secret unset --secret-from-env value=SYNTASK_TEST_UNSET_VARIABLE --no-prompt
  expect_status 2 "the environment variable 'SYNTASK_TEST_UNSET_VARIABLE' is not set"
  stderr_is "syntask: error: --secret-from-env value=SYNTASK_TEST_UNSET_VARIABLE: the environment variable 'SYNTASK_TEST_UNSET_VARIABLE' is not set"
  syn block create github-credentials typo --secret-from-env tokn=ENV_TOKEN --no-prompt
  expect_status 2 "--secret-from-env: block type 'github-credentials' has no field 'tokn'; did you mean 'token'?"
  syn block create github-credentials plain --secret-from-env username=ENV_TOKEN --no-prompt
  expect_status 2 "--secret-from-env: field 'username' of 'github-credentials' is not secret: pass --field username=VALUE"
  syn block create github-credentials twice --secret-from-env token=ENV_TOKEN --secret-from-env token=ENV_KEY --no-prompt
  expect_status 2 "field 'token' is given twice"
  syn block create secret bad --secret-from-env value --no-prompt
  expect_status 2 "--secret-from-env 'value': expected KEY=VALUE"
  collect
  syn block ls --json
  expect_ok
  [ "$(json_get '[b["name"] for b in d["blocks"] if b["type"] == "github-credentials"]')" = "['ci']" ] ||
    fail "no block was created by a failed block create"
  expect_secrets_hidden
}

# Without a terminal a missing required secret names the flags that supply it; an optional one is left
# out without a question.
case_missing_secret_without_terminal() {
  syn block create secret missing --no-prompt
  expect_status 2 "pass --secret-from-env value=VAR or --value-stdin"
  stderr_is "syntask: error: missing answer for 'value (The secret value.)': pass --secret-from-env value=VAR or --value-stdin"
  syn block create aws-credentials keyless --field aws_access_key_id=AKIDX --no-prompt --json
  expect_ok
  syn block inspect aws-credentials/keyless --json
  expect_ok
  [ "$(json_get 'sorted(d["data"])')" = "['aws_access_key_id']" ] || fail "optional secrets are left out"
}

# Tokens inside URLs are redacted in errors.
case_url_token_redacted() {
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
}

run_cases
echo ok
