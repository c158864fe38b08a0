#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The interactive deploy's image questions through a real pseudo-terminal, building for real on the
# loopback dockerd: yes to a custom image, a push to the auth registry and a new credentials block. The
# image is built and pushed, the deployment runs it by digest, the answers are saved to syntask.yaml with
# the block as a reference, and the password is in no file and no output.
source "$(dirname "$0")/lib.sh"
use_servers docker
source "$(dirname "$0")/docker_helpers.sh"
driver="$SYNTASK_SOURCE_DIR/tests/pty/pty_driver.py"
export SYNTASK_DEFAULT_DOCKER_BASE_IMAGE="$SYNTASK_DOCKER_PYTHON_IMAGE"

make_flow_project
syn work-pool create docker-pool --type docker
expect_ok
image="interactive-$$"
repo="$SYNTASK_REGISTRY_AUTH/syntask-it/$image"
docker_remember "$repo:$DOCKER_TEST_TAG"
block=deployment-img-docker-pool-registry-creds

cat >"$TEST_ROOT/deploy.script" <<EOF_SCRIPT
timeout 300
expect configure a schedule
key enter
expect Would you like to build a custom Docker image for this deployment\\?
sendline y
expect Repository name
sendline syntask-it
expect Image name \\(img\\):
sendline $image
expect Image tag \\(latest\\):
sendline $DOCKER_TEST_TAG
expect Image syntask-it/$image:$DOCKER_TEST_TAG will be built\\.
expect push this image to a remote registry
sendline y
expect Registry URL \\(docker\\.io\\):
sendline $SYNTASK_REGISTRY_AUTH
expect Is this a private registry\\?
sendline y
expect manage Docker registry credentials
sendline y
expect Docker registry username:
sendline $SYNTASK_REGISTRY_USER
expect Docker registry password:
sendline $SYNTASK_REGISTRY_PASSWORD
expect Running deployment build steps
expect Successfully tagged $repo:$DOCKER_TEST_TAG
expect Running deployment push steps
expect The push refers to repository \\[$repo\\]
expect Deployment 'hello/img' successfully created\\.
expect save configuration
sendline y
expect saved to syntask\\.yaml
expect-exit 0
secret-not-echoed $SYNTASK_REGISTRY_PASSWORD
EOF_SCRIPT
python3 "$driver" --script "$TEST_ROOT/deploy.script" -- \
  "$SYNTASK_BIN" deploy flows/hello.py:hello --name img --pool docker-pool ||
  fail "the interactive image deploy transcript did not match"

# The stored deployment runs the pushed image by digest and moves into its copy of the code.
case_stored_deployment() {
  expect_pushed_deployment hello/img "$SYNTASK_REGISTRY_AUTH" "syntask-it/$image" "$DOCKER_TEST_TAG" \
    "$SYNTASK_REGISTRY_USER:$SYNTASK_REGISTRY_PASSWORD"
  [ "$(json_get 'd["image_credentials"]')" = "<< syntask.blocks.docker-registry-credentials.$block >>" ] ||
    fail "the deployment does not keep the credentials block reference"
}

# The saved entry: build, push and pull steps, the image job variable, the block as a reference.
case_saved_entry() {
  saved=$(sed -n '/^deployments:/,$p' syntask.yaml)
  expected="deployments:
- build:
    - syntask_docker.deployments.steps.build_docker_image:
        dockerfile: auto
        id: build_image
        image_name: $repo
        tag: $DOCKER_TEST_TAG
  entrypoint: flows/hello.py:hello
  name: img
  pull:
    - syntask.deployments.steps.set_working_directory:
        directory: /opt/syntask/project
  push:
    - syntask_docker.deployments.steps.push_docker_image:
        credentials: << syntask.blocks.docker-registry-credentials.$block >>
        image_name: << build_image.image_name >>
        tag: << build_image.tag >>
  schedules: []
  work_pool:
    job_variables:
      image: << build_image.image >>
    name: docker-pool"
  [ "$saved" = "$expected" ] || {
    diff <(echo "$expected") <(echo "$saved") >&2 || true
    fail "the saved deployment entry differs"
  }
}

# The block exists with the login; the password is in no output and no file (the store seals it).
case_credentials_block() {
  syn block inspect "docker-registry-credentials/$block" --json
  expect_ok
  [ "$(json_get 'd["data"]["username"]')" = "$SYNTASK_REGISTRY_USER" ] || fail "the block's username"
  stdout_lacks "$SYNTASK_REGISTRY_PASSWORD"
  ! grep -rqF "$SYNTASK_REGISTRY_PASSWORD" "$TEST_ROOT" --exclude=deploy.script || fail "the password is in a file"
}

# A second deploy of the saved entry, without a terminal, builds and pushes with the block.
case_second_deploy() {
  syn deploy --name img --no-prompt
  expect_ok
  ! grep -qF "$SYNTASK_REGISTRY_PASSWORD" "$OUT" "$ERR" || fail "the password was shown"
}

run_cases
echo ok
