#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The `docker` init recipe deployed with --no-prompt against the loopback dockerd and registries: built
# with `dockerfile: auto` on the test Python image, pushed anonymously to the open registry (a deployment
# named on the command line gets the built image) and to the auth registry with a credentials block (the
# recipe's commented deployment stub, uncommented); each stored deployment runs `name@sha256:...` as the
# registry reports it, and its pull step moves to where the image holds the code.
source "$(dirname "$0")/lib.sh"
use_servers docker
source "$(dirname "$0")/docker_helpers.sh"

make_flow_project
syn work-pool create docker-pool --type docker
expect_ok

# --- open registry: the base image as a field, a deployment given on the command line.
case_open_registry() {
  open_repo="$SYNTASK_REGISTRY_OPEN/syntask-it/recipe-$$"
  docker_remember "$open_repo:$DOCKER_TEST_TAG"
  syn init --recipe docker --no-prompt --field image_name="$open_repo" --field tag="$DOCKER_TEST_TAG" \
    --field base_image="$SYNTASK_DOCKER_PYTHON_IMAGE"
  expect_ok
  syn deploy flows/hello.py:hello --name open --pool docker-pool --no-prompt
  expect_ok
  stderr_has "Deployment image: the image of build step 'build_image'"
  expect_pushed_deployment hello/open "$SYNTASK_REGISTRY_OPEN" "syntask-it/recipe-$$" "$DOCKER_TEST_TAG"
  # The image really holds the project there (the auto Dockerfile's WORKDIR), and the generated file is gone.
  run_docker image inspect -f '{{.Config.WorkingDir}}' "$open_repo:$DOCKER_TEST_TAG"
  expect_ok
  [ "$(cat "$OUT")" = "/opt/syntask/project/" ] || fail "the image's working directory is $(cat "$OUT")"
  run_docker run --rm --network none "$open_repo:$DOCKER_TEST_TAG" python3 -c \
    "import os; print(os.path.isfile('/opt/syntask/project/flows/hello.py'))"
  expect_ok
  [ "$(cat "$OUT")" = "True" ] || fail "the flow file is not in the image"
  [ ! -e Dockerfile ] || fail "the generated Dockerfile was left behind"
}

# --- auth registry: a credentials block, the base image from the environment, the stub uncommented.
case_auth_registry() {
  auth_repo="$SYNTASK_REGISTRY_AUTH/syntask-it/recipe-$$"
  docker_remember "$auth_repo:$DOCKER_TEST_TAG"
  printf '%s' "$SYNTASK_REGISTRY_PASSWORD" | "$SYNTASK_BIN" block create docker-registry-credentials registry \
    --value-stdin --field username="$SYNTASK_REGISTRY_USER" --field registry_url="$SYNTASK_REGISTRY_AUTH" >/dev/null ||
    fail "cannot create the credentials block"
  syn init --recipe docker --no-prompt --force --field image_name="$auth_repo" --field tag="$DOCKER_TEST_TAG" \
    --field registry_credentials_block=registry
  expect_ok
  sed -i -e '/^deployments:/,$ s/^# //' -e 's|flows/my_flow.py:my_flow|flows/hello.py:hello|' \
    -e 's/my-docker-pool/docker-pool/' -e 's/my-deployment/stub/' syntask.yaml
  SYNTASK_DEFAULT_DOCKER_BASE_IMAGE="$SYNTASK_DOCKER_PYTHON_IMAGE" syn deploy --all --no-prompt
  expect_ok
  stderr_lacks "Deployment image: the image of build step"
  ! grep -qF "$SYNTASK_REGISTRY_PASSWORD" "$OUT" "$ERR" || fail "the password was shown"
  expect_pushed_deployment hello/stub "$SYNTASK_REGISTRY_AUTH" "syntask-it/recipe-$$" "$DOCKER_TEST_TAG" \
    "$SYNTASK_REGISTRY_USER:$SYNTASK_REGISTRY_PASSWORD"
  [ "$(json_get 'd["image_credentials"]')" = "<< syntask.blocks.docker-registry-credentials.registry >>" ] ||
    fail "the credentials block reference was not kept"
}

run_cases
echo ok
