#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The reference's pull step patterns, deployed and run as a worker would against the git server and the
# S3 server: only set_working_directory moves later steps, and the flow runs from the last `directory` a
# step reported. Each flow prints the folder it runs in and a marker file read from there, so a flow
# started from the wrong folder (even one that exists) fails the suite. CASE=NAME runs one case alone.
source "$(dirname "$0")/lib.sh"
use_servers git s3
# shellcheck source=tests/integration/storage_s3_hooks.sh
source "$(dirname "$0")/storage_s3_hooks.sh"

# where_flow: a flow printing its working folder and the marker file found there.
where_flow() {
  cat <<'PY'
import os
from pathlib import Path

from syntask import flow


@flow(name="where")
def where():
    print(f"cwd={os.getcwd()}")
    print(f"marker={Path('marker.txt').read_text().strip()}")
PY
}

# The repository is named like a folder it holds (pull-app.git with pull-app/ inside), each level with
# its own flow and marker; only the top has a requirements file.
git_copy_repo flows pull-app
git_push_change pull-app main where.py "$(where_flow)" >/dev/null
git_push_change pull-app main marker.txt "top of the repository" >/dev/null
git_push_change pull-app main requirements.txt "# nothing to install" >/dev/null
git_push_change pull-app main pull-app/where.py "$(where_flow)" >/dev/null
git_push_change pull-app main pull-app/marker.txt "the folder inside, named like the repository" >/dev/null
REPO_URL="$SYNTASK_GIT_HTTP_URL/pull-app.git"
printf '%s' "$SYNTASK_GIT_TOKEN" | "$SYNTASK_BIN" block create secret pull-token --value-stdin >/dev/null ||
  fail "cannot create the token block"

# clone_step [LINE...]: a git_clone pull step with id clone-step and extra argument lines.
clone_step() {
  local line
  printf '  - syntask.deployments.steps.git_clone:\n'
  printf '      id: clone-step\n'
  printf '      repository: %s\n' "$REPO_URL"
  printf '      access_token: "{{ syntask.blocks.secret.pull-token }}"\n'
  for line in "$@"; do
    printf '      %s\n' "$line"
  done
}

set_working_directory_step() {
  printf '  - syntask.deployments.steps.set_working_directory:\n'
  printf '      directory: "%s"\n' "$1"
}

# git_deploy NAME PULL_STEPS: in a clone of pull-app, deploys where.py:where as where/NAME with these
# pull steps.
git_deploy() {
  local project="$TEST_ROOT/git-project"
  if [ ! -d "$project" ]; then
    git clone -q "$(git_http_url pull-app)" "$project" >/dev/null 2>&1 || fail "cannot clone pull-app.git"
  fi
  cd "$project" || exit 1
  {
    echo "name: pull-app"
    echo "pull:"
    printf '%s\n' "$2"
  } >syntask.yaml
  syn deploy where.py:where -n "$1" --no-prompt
  expect_ok
}

# run_in NAME: runs where/NAME as a worker in the empty folder $TEST_ROOT/worker-NAME.
run_in() {
  WORKER="$TEST_ROOT/worker-$1"
  mkdir -p "$WORKER"
  syn run "where/$1" --dir "$WORKER"
  expect_ok
}

case_clone_then_set_working_directory() {
  git_deploy clone-swd "$(clone_step 'clone_directory_name: code'
    set_working_directory_step '{{ clone-step.directory }}')"
  run_in clone-swd
  stdout_has "cwd=$WORKER/code"
  stdout_has "marker=top of the repository"
}

case_repository_named_like_its_folder() {
  git_deploy same-name "$(clone_step
    set_working_directory_step '{{ clone-step.directory }}')"
  run_in same-name
  # Not $WORKER/pull-app/pull-app: that folder exists, and has a flow of its own.
  stdout_has "cwd=$WORKER/pull-app"
  stdout_lacks "cwd=$WORKER/pull-app/pull-app"
  stdout_has "marker=top of the repository"
}

case_clone_pip_set_working_directory() {
  git_deploy clone-pip "$(clone_step
    printf '  - syntask.deployments.steps.pip_install_requirements:\n'
    printf '      directory: "{{ clone-step.directory }}"\n'
    set_working_directory_step '{{ clone-step.directory }}')"
  run_in clone-pip
  stderr_has " > Running pip_install_requirements step..."
  stdout_has "cwd=$WORKER/pull-app"
  stdout_has "marker=top of the repository"
}

case_clone_alone() {
  # A clone leaves later steps where they were (the step reads the clone through its output) and the
  # flow runs in the clone.
  git_deploy clone-alone "$(clone_step
    printf '  - syntask.deployments.steps.run_shell_script:\n'
    printf '      script: cat {{ clone-step.directory }}/marker.txt\n')"
  run_in clone-alone
  stdout_has "top of the repository
cwd=$WORKER/pull-app
marker=top of the repository"
}

case_s3_pull_then_set_working_directory() {
  local project="$TEST_ROOT/s3-project" folder="pull-steps-$RANDOM"
  mkdir -p "$project/app"
  cd "$project" || exit 1
  backend_setup
  where_flow >where.py
  echo "top of the pushed project" >marker.txt
  where_flow >app/where.py
  echo "the app folder" >app/marker.txt
  {
    echo "name: pull-app"
    echo "push:"
    backend_push_step "$folder"
    echo "pull:"
    backend_pull_step "$folder" "id: pull-code"
    set_working_directory_step '{{ pull-code.directory }}/app'
  } >syntask.yaml
  syn deploy where.py:where -n s3-swd --no-prompt
  expect_ok
  run_in s3-swd
  stdout_has "cwd=$WORKER/app"
  stdout_has "marker=the app folder"
  [ -f "$WORKER/where.py" ] || fail "the pull did not fetch into the worker folder"
}

run_cases
echo ok
