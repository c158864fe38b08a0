#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Input meant to escape or break syntask is refused with one clear line, before anything runs.
source "$(dirname "$0")/lib.sh"
make_flow_project
mkdir -p "$TEST_ROOT/outside"
printf 'from syntask import flow\n\n@flow\ndef evil():\n    print("escaped")\n' >"$TEST_ROOT/outside/evil.py"

# An entrypoint whose file lies outside the project would run whatever is beside the pulled code.
case_entrypoint_leaving_the_project() {
  cat >syntask.yaml <<'YAML'
deployments:
- name: escape
  entrypoint: ../outside/evil.py:evil
YAML
  syn deploy --no-prompt
  expect_status 2 "entrypoint '../outside/evil.py:evil' leaves the project's code"
  stderr_has "syntask.yaml:3:15: deployments[0].entrypoint:"
  rm syntask.yaml
  syn deploy flows/../../outside/evil.py:evil -n escape --no-prompt
  expect_status 2 "entrypoint 'flows/../../outside/evil.py:evil' leaves the project's code"
  syn deploy "$TEST_ROOT/outside/evil.py:evil" -n escape --no-prompt
  expect_status 2 "not absolute"
  syn deployment inspect evil/escape
  expect_status 2 "deployment 'evil/escape' does not exist"
}

# --dir naming a file, or a folder that cannot be made, is a usage error naming it.
case_pull_dir_not_a_folder() {
  rm -f syntask.yaml
  syn deploy flows/hello.py:hello -n here --no-prompt
  expect_ok
  : >"$TEST_ROOT/a-file"
  syn pull hello/here --dir "$TEST_ROOT/a-file"
  expect_status 2 "--dir '$TEST_ROOT/a-file' is not a folder"
  syn run hello/here --dir "$TEST_ROOT/a-file/below"
  expect_status 2 "--dir '$TEST_ROOT/a-file/below': cannot create the folder"
}

# "nan" days must not read as "everything".
case_cache_clear_age_not_a_number() {
  for age in nan inf -1 3x ""; do
    syn cache clear --unused-for "$age"
    expect_status 2 "expected a number of days, 0 or more"
  done
  syn cache clear --unused-for 0.5
  expect_ok
}

run_cases
echo ok
