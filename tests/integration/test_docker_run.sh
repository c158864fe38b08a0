#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `syntask run` of docker work pool deployments against the loopback daemon, registries and git server:
# a flow built into an image (dockerfile: auto), pushed to the auth registry with a credentials block,
# runs in a container from an empty folder with its parameters (a secret masked, and absent from the
# container's Env), the job variables env and volumes, and its exit status; the container is gone
# afterwards, also after Ctrl-C; the pinned digest runs even after the tag moved, and is pulled back with
# the push's block; a docker-git deployment clones on this machine and runs the cloned flow; a failing
# in-container step and a deployment without an image are one line each. Also the archive upload's
# cases against the real daemon (syntask_unit "[.docker]").
source "$(dirname "$0")/lib.sh"
use_servers docker git
source "$(dirname "$0")/docker_helpers.sh"
: "${SYNTASK_UNIT_BIN:?SYNTASK_UNIT_BIN must point to syntask_unit}"

repo="$SYNTASK_REGISTRY_AUTH/syntask-it/run-$$"
secret_token="token-$$-must-stay-hidden"
# deployment_containers NAME: ids of the containers, running or not, of deployment hello/NAME.
deployment_containers() { /usr/bin/docker ps -aq --filter "label=syntask.deployment=hello/$1"; }

# Whatever a failed case left: containers of the suite's deployments, the pushed image and tag.
run_cleanup() {
  local name
  for name in main gate failing git; do
    deployment_containers "$name" | xargs -r /usr/bin/docker rm -f >/dev/null 2>&1 || true
  done
  /usr/bin/docker rmi "$repo:1" >/dev/null 2>&1 || true
  [ -z "${digest:-}" ] || /usr/bin/docker rmi "$repo@$digest" >/dev/null 2>&1 || true
  docker_cleanup
}
trap run_cleanup EXIT

mkdir -p flows
cat >flows/hello.py <<'PY'
import os
import sys
import time

from syntask import flow


@flow(name="hello")
def hello(name: str = "world", token: str = "", code: int = 0, gate: bool = False):
    print(f"Hello, {name}! token={token}")
    print(f"cwd={os.getcwd()} GREETING={os.environ.get('GREETING')}")
    print(f"run file left: {os.path.exists('/.syntask/run.json')}")
    if gate:
        # The suite looks at the running container, then lets the flow end.
        open("/shared/started", "w").close()
        for _ in range(600):
            if os.path.exists("/shared/go"):
                break
            time.sleep(0.1)
    sys.exit(code)
PY

cat >syntask.yaml <<YAML
name: project
build:
- syntask_docker.deployments.steps.build_docker_image:
    id: build
    image_name: $repo
    tag: "1"
    dockerfile: auto
    base_image: $SYNTASK_DOCKER_PYTHON_IMAGE
push:
- syntask_docker.deployments.steps.push_docker_image:
    image_name: "{{ build.image_name }}"
    tag: "{{ build.tag }}"
    credentials: "{{ syntask.blocks.docker-registry-credentials.registry }}"
pull:
- syntask.deployments.steps.set_working_directory:
    directory: /opt/syntask/project
deployments:
- name: main
  entrypoint: flows/hello.py:hello
  parameters:
    name: Ada
    token: "{{ syntask.blocks.secret.run-token }}"
  work_pool:
    name: docker-pool
    job_variables: {image: "{{ build.image }}", env: {GREETING: hi}}
- name: gate
  entrypoint: flows/hello.py:hello
  parameters: {token: "{{ syntask.blocks.secret.run-token }}", gate: true}
  work_pool:
    name: docker-pool
    job_variables: {image: "{{ build.image }}", env: {GREETING: hi}, volumes: ["$TEST_ROOT/shared:/shared"]}
- name: failing
  entrypoint: flows/hello.py:hello
  pull:
  - syntask.deployments.steps.set_working_directory:
      directory: /opt/syntask/project
  - syntask.deployments.steps.run_shell_script:
      script: |
        echo before the failure
        sh -c "exit 4"
        echo never
  work_pool:
    name: docker-pool
    job_variables:
      image: "{{ build.image }}"
- name: git
  entrypoint: flows/hello.py:hello
  pull:
  - syntask.deployments.steps.git_clone:
      id: clone
      repository: $SYNTASK_GIT_HTTP_URL/private.git
      access_token: "{{ syntask.blocks.secret.git-token }}"
  - syntask.deployments.steps.run_shell_script:
      script: cat {{ clone.directory }}/person.txt
  work_pool:
    name: docker-pool
    job_variables:
      image: $SYNTASK_DOCKER_PYTHON_IMAGE
      network_mode: host
- name: noimage
  entrypoint: flows/hello.py:hello
  build: []
  push: []
  work_pool:
    name: docker-pool
YAML

printf '%s' "$SYNTASK_REGISTRY_PASSWORD" | "$SYNTASK_BIN" block create docker-registry-credentials registry \
  --value-stdin --field username="$SYNTASK_REGISTRY_USER" --field registry_url="$SYNTASK_REGISTRY_AUTH" >/dev/null ||
  fail "cannot create the credentials block"
printf '%s' "$secret_token" | "$SYNTASK_BIN" block create secret run-token --value-stdin >/dev/null ||
  fail "cannot create the token block"
printf '%s' "$SYNTASK_GIT_TOKEN" | "$SYNTASK_BIN" block create secret git-token --value-stdin >/dev/null ||
  fail "cannot create the git token block"
syn work-pool create docker-pool --type docker
expect_ok
syn deploy --all --no-prompt
expect_ok
syn deployment inspect hello/main --json
expect_ok
image=$(json_get 'd["work_pool"]["job_variables"]["image"]')
digest=${image#"$repo@"}
[ "$image" = "$repo@$digest" ] && [ "${digest#sha256:}" != "$digest" ] || fail "not pinned by digest: $image"
# The runs start from an empty folder.
mkdir -p "$TEST_ROOT/empty" && cd "$TEST_ROOT/empty"

# move_tag: the tag moves to another image (busybox: no python at all), once; the docker CLI's own login
# is gone afterwards, so that runs log in with the deployment's block.
move_tag() {
  [ -z "${TAG_MOVED:-}" ] || return 0
  /usr/bin/docker login -u "$SYNTASK_REGISTRY_USER" --password-stdin "$SYNTASK_REGISTRY_AUTH" \
    <<<"$SYNTASK_REGISTRY_PASSWORD" >/dev/null 2>&1 || fail "docker login failed"
  run_docker tag "$SYNTASK_DOCKER_BUSYBOX_IMAGE" "$repo:1"
  [ "$STATUS" -eq 0 ] || fail "cannot re-tag"
  run_docker push "$repo:1"
  [ "$STATUS" -eq 0 ] || fail "cannot push the re-tagged image"
  rm -f "$DOCKER_CONFIG/config.json" # the run must log in with the deployment's block, not this login
  TAG_MOVED=1
}

# From an empty folder: the flow's output, parameters (the secret masked), env, working folder.
case_empty_folder_run() {
  syn run hello/main
  expect_ok
  stdout_has "Hello, Ada! token=********"
  stdout_has "cwd=/opt/syntask/project GREETING=hi"
  stdout_has "run file left: False"
  stderr_has "Running flow 'hello/main' in a container of '$image' from /opt/syntask/project"
  grep -qF "$secret_token" "$OUT" "$ERR" && fail "the secret parameter was shown"
  [ -z "$(ls -A "$TEST_ROOT/empty")" ] || fail "run left files in the current folder"
  [ -z "$(deployment_containers main)" ] || fail "the container is still there"
}

# --param overrides, and the flow's exit status is syntask's.
case_param_and_exit_status() {
  syn run hello/main --param code=3 --param name=Bob
  expect_status 3 "Running flow 'hello/main' in a container of"
  stdout_has "Hello, Bob!"
  [ -z "$(deployment_containers main)" ] || fail "the container of the failed flow is still there"
}

# While the flow runs: the secret is in neither the container's Env nor its command; volumes are bound.
case_container_env_and_volumes() {
  mkdir -p "$TEST_ROOT/shared"
  "$SYNTASK_BIN" run hello/gate >"$TEST_ROOT/gate.out" 2>"$TEST_ROOT/gate.err" </dev/null &
  gate_pid=$!
  for _ in $(seq 1 300); do
    [ -e "$TEST_ROOT/shared/started" ] && break
    kill -0 "$gate_pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -e "$TEST_ROOT/shared/started" ] || fail "the gated flow did not start: $(cat "$TEST_ROOT/gate.err")"
  container=$(deployment_containers gate)
  [ -n "$container" ] || fail "no running container for hello/gate"
  run_docker inspect "$container"
  [ "$STATUS" -eq 0 ] || fail "cannot inspect the container"
  grep -qF '"GREETING=hi"' "$OUT" || fail "the inspected Env lacks the env job variable"
  grep -qF "$secret_token" "$OUT" && fail "docker inspect shows the secret parameter"
  grep -qF '"token"' "$OUT" && fail "docker inspect shows the parameters"
  touch "$TEST_ROOT/shared/go"
  gate_status=0
  wait "$gate_pid" || gate_status=$?
  [ "$gate_status" -eq 0 ] || fail "the gated run ended with $gate_status: $(cat "$TEST_ROOT/gate.err")"
  [ -z "$(deployment_containers gate)" ] || fail "the gated container is still there"
}

# Ctrl-C while the flow runs: the container is removed and syntask exits 130.
case_ctrl_c() {
  mkdir -p "$TEST_ROOT/shared"
  rm -f "$TEST_ROOT/shared/started" "$TEST_ROOT/shared/go"
  # Job control on: a script's background jobs would otherwise start with SIGINT ignored.
  set -m
  "$SYNTASK_BIN" run hello/gate >"$TEST_ROOT/gate.out" 2>"$TEST_ROOT/gate.err" </dev/null &
  gate_pid=$!
  set +m
  for _ in $(seq 1 300); do
    [ -e "$TEST_ROOT/shared/started" ] && break
    sleep 0.1
  done
  [ -e "$TEST_ROOT/shared/started" ] || fail "the gated flow did not start again: $(cat "$TEST_ROOT/gate.err")"
  kill -INT "$gate_pid"
  gate_status=0
  wait "$gate_pid" || gate_status=$?
  [ "$gate_status" -eq 130 ] || fail "an interrupted run ended with $gate_status, not 130"
  grep -qF "syntask: error: interrupted" "$TEST_ROOT/gate.err" || fail "no interrupted message"
  [ -z "$(deployment_containers gate)" ] || fail "the interrupted container is still there"
}

# The tag moves to another image (busybox: no python at all); the deployment still runs its digest.
case_pinned_digest_after_tag_moved() {
  move_tag
  syn run hello/main
  expect_ok
  stdout_has "Hello, Ada!"
}

# Without the image on the daemon, the run pulls it by digest with the push's credentials block.
case_pull_by_digest() {
  move_tag
  /usr/bin/docker rmi "$repo:1" >/dev/null 2>&1 || fail "cannot untag"
  /usr/bin/docker rmi "$repo@$digest" >/dev/null 2>&1 || fail "cannot remove the pushed image"
  run_docker image inspect "$image"
  [ "$STATUS" -ne 0 ] || fail "the pushed image is still on the daemon"
  syn run hello/main
  expect_ok
  stderr_has "Pulling image '$image'..."
  stdout_has "Hello, Ada!"
  ! grep -qF "$SYNTASK_REGISTRY_PASSWORD" "$OUT" "$ERR" || fail "the registry password was shown"
}

# docker-git: the clone runs here (token from a secret block), the flow and the shell step in the container.
case_docker_git() {
  syn run hello/git
  expect_ok
  stdout_has "Marvin"
  stdout_has "Hello, Marvin!"
  stderr_has " > Running git_clone step..."
  stderr_has " > Running run_shell_script step..."
  grep -qF "$SYNTASK_GIT_TOKEN" "$OUT" "$ERR" && fail "the git token was shown"
  [ -z "$(deployment_containers git)" ] || fail "the docker-git container is still there"
}

# A failing in-container step: its index and name, status 1, nothing after it.
case_failing_step() {
  syn run hello/failing
  expect_status 1 "pull[1] (syntask.deployments.steps.run_shell_script): command 'sh -c exit 4' failed with exit code 4"
  stdout_has "before the failure"
  stdout_lacks "never"
  stdout_lacks "Hello"
}

# A docker pool deployment without an image (and without a build whose image deploy would give it).
case_no_image() {
  syn run hello/noimage
  expect_status 2 "has no 'image' job variable to run in"
  stderr_is "syntask: error: deployment 'hello/noimage' is in docker work pool 'docker-pool' but has no 'image' job variable to run in"
}

# The archive upload's cases against the real daemon.
case_archive_upload() {
  "$SYNTASK_UNIT_BIN" "[.docker]" >"$OUT" 2>"$ERR" || fail "the archive upload cases failed"
}

run_cases
echo "ok"
