#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The interactive deploy's image questions in a real pseudo-terminal, up to the plan (--dry-run: nothing
# is built, so no daemon is needed; tests/integration/test_docker_deploy_interactive.sh builds and pushes
# for real). A docker work pool created from the deploy's menu; "no" to a custom image adds nothing; "yes"
# with a push to a private registry writes the build, push and pull steps and a credentials block whose
# password is never echoed or written; ./Dockerfile used (with its code directory asked), renamed out of
# the way, or kept (an error).
source "$(dirname "$0")/../cli/lib.sh"
driver="$SYNTASK_SOURCE_DIR/tests/pty/pty_driver.py"
make_flow_project
password="pw-registry-9f3e1c"

# plan_with_new_registry_block: the image questions answered with a push to a private registry and a new
# credentials block (docker-registry-credentials/deployment-img-docker-pool-registry-creds); the
# transcript is in $TEST_ROOT/transcript.
plan_with_new_registry_block() {
  cat >"$TEST_ROOT/build.script" <<EOF_SCRIPT
expect configure a schedule
key enter
expect \\? Would you like to build a custom Docker image for this deployment\\? \\[y/n\\] \\(n\\):
sendline y
expect \\? Repository name \\(e\\.g\\. your Docker Hub username\\):
sendline team/
expect \\? Image name \\(img\\):
sendline flows
expect \\? Image tag \\(latest\\):
sendline 7
expect Image team/flows:7 will be built\\.
expect \\? Would you like to push this image to a remote registry\\? \\[y/n\\] \\(n\\):
sendline y
expect \\? Registry URL \\(docker\\.io\\):
sendline http://127.0.0.1:5000/
expect \\? Is this a private registry\\? \\[y/n\\]:
sendline y
expect \\? Would you like to use Syntask to manage Docker registry credentials\\? \\[y/n\\] \\(n\\):
sendline y
expect \\? Docker registry username:
sendline reguser
expect \\? Docker registry password:
sendline $password
secret-not-echoed $password
expect Saved the registry login as block 'docker-registry-credentials/deployment-img-docker-pool-registry-creds'
expect Plan for deployment 'hello/img'
expect-exit 0
secret-not-echoed $password
EOF_SCRIPT
  python3 "$driver" --script "$TEST_ROOT/build.script" -- \
    "$SYNTASK_BIN" deploy flows/hello.py:hello --name img --pool docker-pool --dry-run >"$TEST_ROOT/transcript" 2>&1 ||
    { cat "$TEST_ROOT/transcript" >&2; fail "the image questions transcript did not match"; }
}

# plan_img NAME WHAT: drives a dry-run deploy of hello/img in the docker pool with NAME.script.
plan_img() {
  python3 "$driver" --script "$TEST_ROOT/$1.script" -- \
    "$SYNTASK_BIN" deploy flows/hello.py:hello --name img --pool docker-pool --dry-run || fail "$2"
}

# Script fragments: the answers up to "yes, build an image", and the image team/img:latest.
cat >"$TEST_ROOT/start.script" <<'EOF_SCRIPT'
expect configure a schedule
key enter
expect custom Docker image
sendline y
EOF_SCRIPT
cat >"$TEST_ROOT/image.script" <<'EOF_SCRIPT'
expect Repository name
sendline team
expect Image name
key enter
expect Image tag
key enter
EOF_SCRIPT

# given_docker_pool: the docker work pool docker-pool exists (the case new_pool_decline_image makes it
# from deploy's menu).
given_docker_pool() {
  syn work-pool ls --json
  expect_ok
  [ "$(json_get '[p["name"] for p in d["work_pools"] if p["name"] == "docker-pool"]')" = "['docker-pool']" ] && return
  syn work-pool create docker-pool --type docker
  expect_ok
}

# given_registry_block: the credentials block the image questions saved.
given_registry_block() {
  syn block inspect docker-registry-credentials/deployment-img-docker-pool-registry-creds --json
  [ "$STATUS" -eq 0 ] && return
  plan_with_new_registry_block
}

# given_dockerfile: ./Dockerfile copies the project to /srv/code, and there is no renamed one.
given_dockerfile() {
  rm -f Dockerfile.backup Dockerfile.mine
  printf 'FROM busybox\nCOPY . /srv/code/\n' >Dockerfile
}

# --- a new docker work pool from the menu; declining the image adds no step; the answers are saved.
case_new_pool_decline_image() {
  cat >"$TEST_ROOT/decline.script" <<'EOF_SCRIPT'
expect Which work pool would you like to deploy this flow to\?
expect Create a new work pool
key down
key enter
expect \? Work pool name:
sendline docker-pool
expect What infrastructure type would you like to use for your new work pool\?
expect kubernetes
key down
key enter
expect configure a schedule
key enter
expect \? Would you like to build a custom Docker image for this deployment\? \[y/n\] \(n\):
key enter
expect pull your flow code from a remote storage location
key enter
expect Deployment 'hello/plain' successfully created\.
expect save configuration
sendline y
expect saved to syntask\.yaml
expect-exit 0
EOF_SCRIPT
  python3 "$driver" --script "$TEST_ROOT/decline.script" -- "$SYNTASK_BIN" deploy flows/hello.py:hello --name plain ||
    fail "declining the image transcript did not match"
  syn work-pool ls --json
  expect_ok
  [ "$(json_get '[p["type"] for p in d["work_pools"] if p["name"] == "docker-pool"]')" = "['docker']" ] ||
    fail "the work pool created from the menu is a docker pool"
  grep -q "docker" syntask.yaml && [ "$(grep -c "build_docker_image\|push_docker_image\|job_variables" syntask.yaml)" = 0 ] ||
    fail "declining the image saved image steps"
  syn deployment inspect hello/plain --json
  expect_ok
  [ "$(json_get 'd["work_pool"]["name"]')" = "docker-pool" ] || fail "the deployment is in the new pool"
  [ "$(json_get 'd["work_pool"]["job_variables"]')" = "{}" ] || fail "declining the image sets no image"
  rm syntask.yaml
}

# --- yes: no Dockerfile (auto), a push to a private registry, a new credentials block.
case_build_with_private_registry() {
  local block
  given_docker_pool
  plan_with_new_registry_block
  ! grep -qF "$password" "$TEST_ROOT/transcript" || fail "the password is in the transcript"
  # The plan, as JSON: the same answers without a terminal come from the saved block.
  block=deployment-img-docker-pool-registry-creds
  syn block inspect "docker-registry-credentials/$block" --json
  expect_ok
  [ "$(json_get 'd["data"]["username"]')" = "reguser" ] || fail "the block holds the username"
  [ "$(json_get 'd["data"]["registry_url"]')" = "127.0.0.1:5000" ] || fail "the block holds the registry"
  stdout_lacks "$password"
  ! grep -rqF "$password" "$TEST_ROOT" --exclude=build.script || fail "the password is written in a file"
}

# Re-asked, the existing block is offered; the steps are in the plan.
case_reuse_credentials_block() {
  given_docker_pool
  given_registry_block
  {
    cat "$TEST_ROOT/start.script"
    cat "$TEST_ROOT/image.script"
    cat <<'EOF_SCRIPT'
expect Image team/img:latest will be built\.
expect push this image
sendline y
expect Registry URL
sendline 127.0.0.1:5000
expect private registry
sendline y
expect manage Docker registry credentials
sendline y
expect \? Would you like to use the existing Docker registry credentials block deployment-img-docker-pool-registry-creds\? \[y/n\] \(y\):
key enter
expect Plan for deployment 'hello/img'
expect build:
expect syntask_docker\.deployments\.steps\.build_docker_image:
expect dockerfile: auto
expect id: build_image
expect image_name: 127\.0\.0\.1:5000/team/img
expect tag: latest
expect directory: /opt/syntask/project
expect image: .?<< build_image\.image >>
expect push:
expect syntask_docker\.deployments\.steps\.push_docker_image:
expect credentials: .?<< syntask\.blocks\.docker-registry-credentials\.deployment-img-docker-pool-registry-creds >>
expect image_name: .?<< build_image\.image_name >>
expect tag: .?<< build_image\.tag >>
expect-exit 0
EOF_SCRIPT
  } >"$TEST_ROOT/reuse.script"
  plan_img reuse "reusing the credentials block transcript did not match"
}

# --- ./Dockerfile used: where it copies the code is asked, for the pull step.
case_dockerfile_used() {
  given_docker_pool
  given_dockerfile
  {
    cat "$TEST_ROOT/start.script"
    cat <<'EOF_SCRIPT'
expect \? Would you like to use the Dockerfile in the current directory\? \[y/n\] \(y\):
key enter
expect \? Does your Dockerfile have a line that copies the current working directory into your image\? \[y/n\]:
sendline y
expect \? What is the path to your flow code in your Dockerfile\? \(/opt/syntask/project\):
sendline /srv/code
EOF_SCRIPT
    cat "$TEST_ROOT/image.script"
    cat <<'EOF_SCRIPT'
expect push this image
key enter
expect Plan for deployment 'hello/img'
expect dockerfile: Dockerfile
expect image_name: team/img
expect directory: /srv/code
expect push: \[\]
expect-exit 0
EOF_SCRIPT
  } >"$TEST_ROOT/dockerfile.script"
  plan_img dockerfile "using ./Dockerfile transcript did not match"
}

# A Dockerfile that does not copy the code cannot run the flow.
case_dockerfile_without_copy() {
  given_docker_pool
  given_dockerfile
  {
    cat "$TEST_ROOT/start.script"
    cat <<'EOF_SCRIPT'
expect use the Dockerfile in the current directory
key enter
expect copies the current working directory into your image
sendline n
expect syntask: error: your flow code must be copied into your Docker image to run your deployment; add a line such as 'COPY \. /opt/syntask/project/' to your Dockerfile
expect-exit 2
EOF_SCRIPT
  } >"$TEST_ROOT/nocopy.script"
  plan_img nocopy "a Dockerfile without the code transcript did not match"
}

# Not using it and not renaming it leaves no room for the generated one.
case_dockerfile_kept_error() {
  given_docker_pool
  given_dockerfile
  {
    cat "$TEST_ROOT/start.script"
    cat <<'EOF_SCRIPT'
expect use the Dockerfile in the current directory
sendline n
expect \? A Dockerfile exists\. You chose not to use it\. A temporary Dockerfile will be automatically built during the deployment build step\. If another file named 'Dockerfile' already exists at that time, the build step will fail\. Would you like to rename your existing Dockerfile\? \[y/n\]:
sendline n
expect syntask: error: a Dockerfile already exists; please remove or rename the existing one
expect-exit 2
EOF_SCRIPT
  } >"$TEST_ROOT/keep.script"
  plan_img keep "keeping the Dockerfile transcript did not match"
}

# Renaming it moves it (an existing target is refused) and builds with auto.
case_dockerfile_renamed() {
  given_docker_pool
  given_dockerfile
  touch Dockerfile.backup
  {
    cat "$TEST_ROOT/start.script"
    cat <<'EOF_SCRIPT'
expect use the Dockerfile in the current directory
sendline n
expect Would you like to rename your existing Dockerfile\?
sendline y
expect \? New Dockerfile name \(Dockerfile\.backup\):
key enter
expect 'Dockerfile\.backup' already exists; choose another name
expect New Dockerfile name
sendline Dockerfile.mine
EOF_SCRIPT
    cat "$TEST_ROOT/image.script"
    cat <<'EOF_SCRIPT'
expect push this image
key enter
expect Plan for deployment 'hello/img'
expect dockerfile: auto
expect directory: /opt/syntask/project
expect-exit 0
EOF_SCRIPT
  } >"$TEST_ROOT/rename.script"
  plan_img rename "renaming the Dockerfile transcript did not match"
  [ ! -e Dockerfile ] && grep -qF "COPY . /srv/code/" Dockerfile.mine || fail "the Dockerfile was renamed"
}

# --- no questions without a terminal, nor for a process pool, nor when the deployment clears its build.
case_no_image_questions() {
  given_docker_pool
  rm -f Dockerfile syntask.yaml
  syn deploy flows/hello.py:hello --name img --pool docker-pool --dry-run --json
  expect_ok
  [ "$(json_get 'd["deployments"][0]["build"]')" = "[]" ] || fail "no image steps without a terminal"
  cat >"$TEST_ROOT/process.script" <<'EOF_SCRIPT'
expect configure a schedule
key enter
expect pull your flow code from a remote storage location
secret-not-echoed custom Docker image
key enter
expect Plan for deployment 'hello/img'
expect-exit 0
EOF_SCRIPT
  python3 "$driver" --script "$TEST_ROOT/process.script" -- \
    "$SYNTASK_BIN" deploy flows/hello.py:hello --name img --pool default --dry-run ||
    fail "a deployment in a process pool was asked about an image"
  cat >syntask.yaml <<'YAML'
deployments:
- name: cleared
  entrypoint: flows/hello.py:hello
  build: null
  schedules: []
  work_pool:
    name: docker-pool
YAML
  cat >"$TEST_ROOT/cleared.script" <<'EOF_SCRIPT'
expect pull your flow code from a remote storage location
secret-not-echoed custom Docker image
key enter
expect Plan for deployment 'hello/cleared'
secret-not-echoed custom Docker image
expect-exit 0
EOF_SCRIPT
  python3 "$driver" --script "$TEST_ROOT/cleared.script" -- "$SYNTASK_BIN" deploy --name cleared --dry-run ||
    fail "a deployment with build: null was asked about an image"
}

run_cases
echo ok
