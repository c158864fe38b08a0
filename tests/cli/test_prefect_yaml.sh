#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A prefect.yaml in the shape `prefect init` writes deploys unchanged.
source "$(dirname "$0")/lib.sh"
make_flow_project
sed -i 's/from syntask import flow/from prefect import flow/' flows/hello.py

cat >prefect.yaml <<YAML
# Welcome to your prefect.yaml file!
name: project
prefect-version: 3.1.0

build: null
push: null
pull:
- prefect.deployments.steps.set_working_directory:
    directory: $PROJECT

deployments:
- name: from-prefect
  version: null
  tags: []
  description: null
  schedule: {}
  flow_name: null
  entrypoint: flows/hello.py:hello
  parameters:
    name: "{{ prefect.variables.who }}"
  work_pool:
    name: null
    work_queue_name: null
    job_variables: {}
- name: legacy-schedule
  entrypoint: flows/hello.py:hello
  schedule:
    interval: 3600
  work_pool:
    name: default
YAML
syn variable set who Prefect
expect_ok

# given_deployed: the deployments of prefect.yaml are stored.
given_deployed() {
  syn deployment inspect hello/from-prefect --json
  [ "$STATUS" -eq 0 ] && return
  syn deploy --all --no-prompt
  expect_ok
}

case_deploy_unchanged() {
  syn deploy --all --no-prompt --json
  expect_ok
  [ "$(json_get 'd["deployments"][1]["record"]["schedules"]')" = "[{'interval': 3600}]" ] ||
    fail "legacy schedule becomes schedules"
}

case_run_with_prefect_variable() {
  given_deployed
  syn run hello/from-prefect
  expect_ok
  stdout_has "Hello, Prefect!"
}

run_cases
echo ok
