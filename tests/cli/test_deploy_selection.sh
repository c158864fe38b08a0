#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Choosing deployments: --all, names, FLOW/NAME, * patterns, per-deployment step lists, anchors, --dry-run.
source "$(dirname "$0")/lib.sh"
make_flow_project
cat >flows/other.py <<'PY'
from syntask import flow

@flow
def load_data(rows: int = 1):
    print(f"loaded {rows}")
PY

cat >syntask.yaml <<'YAML'
definitions:
  base: &base
    work_pool:
      name: default
    tags: [shared]
build:
- syntask.deployments.steps.run_shell_script:
    script: touch top-level-build-ran
deployments:
- <<: *base
  name: greet
  entrypoint: flows/hello.py:hello
- <<: *base
  name: load
  entrypoint: flows/other.py:load_data
  tags: [own]
  build: []
  pull: []
- <<: *base
  name: load-big
  entrypoint: flows/other.py:load_data
  parameters: {rows: 1000}
  build: null
YAML

case_choice_required() {
  syn deploy --no-prompt
  expect_status 2 "the project file has 3 deployments"
  stderr_is "syntask: error: the project file has 3 deployments; choose with --name NAME (or FLOW/NAME, or a * pattern) or --all"
  syn deploy --all --name greet --no-prompt
  expect_status 2 "--all and --name cannot be used together"
}

case_flow_pattern() {
  syn deploy -n 'load-data/*' --no-prompt --json
  expect_ok
  [ "$(json_get '[x["address"] for x in d["deployments"]]')" = "['load-data/load', 'load-data/load-big']" ] ||
    fail "FLOW/* pattern"
  [ "$(json_get 'd["deployments"][0]["record"]["tags"]')" = "['own']" ] || fail "explicit keys win over merged ones"
  [ "$(json_get 'd["deployments"][0]["record"]["pull_steps"]')" = "[]" ] || fail "pull: [] means no pull steps"
  [ ! -e top-level-build-ran ] || fail "per-deployment build: [] / null replace the top-level build"
}

case_top_level_build() {
  syn deploy -n hello/greet --no-prompt --json
  expect_ok
  [ -e top-level-build-ran ] || fail "the top-level build runs for a deployment without its own"
  [ "$(json_get 'd["deployments"][0]["record"]["tags"]')" = "['shared']" ] || fail "merge key"
}

case_no_match() {
  syn deploy -n nothing-like-this -n 'zz*' --no-prompt
  expect_status 2 "no deployment in the project file matches nothing-like-this, zz*; deployments are: greet, load, load-big"
}

case_dry_run() {
  syn deploy --all --dry-run --no-prompt --json
  expect_ok
  [ "$(json_get 'd["dry_run"]')" = "True" ] || fail "dry run flag"
  [ "$(json_get 'len(d["deployments"])')" = "3" ] || fail "dry run lists every deployment"
  rm -f top-level-build-ran
  syn deploy --all --dry-run --no-prompt
  expect_ok
  stdout_has "dry run: nothing was run or registered"
  [ ! -e top-level-build-ran ] || fail "--dry-run ran a step"
}

# A failing build step registers nothing, for any selected deployment.
case_failing_build() {
  local before
  syn deployment ls --json
  before=$(json_get 'len(d["deployments"])')
  sed -i 's/touch top-level-build-ran/"false"/' syntask.yaml
  syn deploy --all --no-prompt
  expect_status 1 "build[0] (syntask.deployments.steps.run_shell_script): command 'false' failed with exit code 1"
  syn deployment ls --json
  [ "$(json_get 'len(d["deployments"])')" = "$before" ] || fail "a failed deploy registered something"
  # Nor does it store the schedule flags of the deployment it failed to register.
  syn deploy -n hello/greet --no-prompt --cron "*/5 * * * *" --timezone Europe/Paris --json
  expect_status 1 "command 'false' failed with exit code 1"
  syn deployment ls --json
  [ "$(json_get 'len(d["deployments"])')" = "$before" ] || fail "a failed deploy with schedule flags registered something"
  syn deployment inspect hello/greet --json
  [ "$STATUS" -ne 0 ] || [ "$(json_get 'd.get("schedules")')" = "[]" ] || fail "a failed deploy stored its schedule flags"
  sed -i 's/    script: "false"/    script: touch top-level-build-ran/' syntask.yaml
}

# Schedules from flags are validated and stored.
case_schedule_flags() {
  syn deploy -n hello/greet --no-prompt --cron "*/5 * * * *" --timezone Europe/Paris --json
  expect_ok
  [ "$(json_get 'd["deployments"][0]["record"]["schedules"]')" = "[{'cron': '*/5 * * * *', 'timezone': 'Europe/Paris'}]" ] ||
    fail "schedule flags"
  syn deploy -n hello/greet --no-prompt --interval 0
  expect_status 2 "--interval '0': expected a positive number of seconds"
  syn deploy -n hello/greet --no-prompt --timezone Mars/Olympus
  expect_status 2 "--timezone: unknown time zone 'Mars/Olympus'"
}

run_cases
echo ok
