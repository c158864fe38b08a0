#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# An invalid syntask.yaml is reported whole, one FILE:LINE:COL line per problem, exit 2, nothing run.
source "$(dirname "$0")/lib.sh"
make_flow_project

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

# Malformed YAML shows the line and a caret.
printf 'name: x\ndeployments:\n  - name: [unclosed\n' >syntask.yaml
syn deploy --no-prompt
expect_status 2 "syntask.yaml:4:1: end of sequence flow not found"
stderr_has "syntask.yaml:"
grep -q '\^' "$ERR" || fail "no caret under the column"

# Missing answers under --no-prompt name the flag that supplies them.
rm syntask.yaml
syn deploy --no-prompt
expect_status 2 "missing the flow entrypoint: pass an ENTRYPOINT argument"
syn deploy flows/hello.py:hello --no-prompt
expect_status 2 "missing the deployment name: pass --name NAME"
stderr_is "syntask: error: missing the deployment name: pass --name NAME or set name in the project file"

# Unknown entrypoints, pools, bad flags.
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

# A project file given with --syntask-file must exist.
syn deploy --syntask-file missing.yaml --no-prompt
expect_status 2 "project file 'missing.yaml' does not exist"
stderr_is "syntask: error: project file 'missing.yaml' does not exist"
syn deployment inspect not-an-address
expect_status 2 "deployment 'not-an-address' must be written FLOW_NAME/DEPLOYMENT_NAME"
stderr_is "syntask: error: deployment 'not-an-address' must be written FLOW_NAME/DEPLOYMENT_NAME"
echo ok
