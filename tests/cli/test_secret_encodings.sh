#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A secret holding characters that JSON or YAML escape (quote, backslash, tab, newline, non-ASCII) is
# still recognised: never stored in a deployment in clear, never printed.
source "$(dirname "$0")/lib.sh"
make_flow_project
SECRET=$(printf 'pa"ss\\wo\trd\nline-two-é')

case_refused_in_a_deployment() {
  syn_in "$SECRET" block create secret tok --value-stdin --no-prompt
  expect_ok
  # A build step's output carries the secret into a pull step, which deploy would store.
  cat >syntask.yaml <<'YAML'
build:
- syntask.deployments.steps.run_shell_script:
    id: leak
    script: python3 -c "import os, sys; sys.stdout.write(os.environ['TOK'])"
    stream_output: false
    env:
      TOK: "{{ syntask.blocks.secret.tok }}"
pull:
- syntask.deployments.steps.run_shell_script:
    script: echo pulled
    env:
      OUT: "{{ leak.stdout }}"
deployments:
- name: leaky
  entrypoint: flows/hello.py:hello
YAML
  syn deploy --no-prompt
  expect_status 2 "deployment 'hello/leaky' would store a secret value"
  syn deployment inspect hello/leaky
  expect_status 2 "deployment 'hello/leaky' does not exist"
  syn deploy --no-prompt --json
  expect_status 2 "would store a secret value"
  for part in 'pa"ss' 'line-two' 'pa\"ss'; do
    ! grep -qF -- "$part" "$OUT" "$ERR" || fail "a part of the secret was printed: $part"
  done
}

run_cases
echo ok
