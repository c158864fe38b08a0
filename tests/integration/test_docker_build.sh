#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# build_docker_image against the loopback dockerd: a given Dockerfile with .dockerignore (checked inside the
# image), additional tags, the syntask.version label, `dockerfile: auto` (generated file removed, requirements
# installed from local wheels), build errors as one line (bad instruction, missing base image), and argument
# problems reported at validation before any step runs.
source "$(dirname "$0")/lib.sh"
use_servers docker
export DOCKER_HOST=$SYNTASK_DOCKER_HOST
export DOCKER_CONFIG="$TEST_ROOT/docker-config"
mkdir -p "$DOCKER_CONFIG"
dock() { /usr/bin/docker "$@"; }
repo="$SYNTASK_REGISTRY_OPEN/syntask-it/build-$$"
cleanup_images() { dock image ls -q "$repo" 2>/dev/null | sort -u | xargs -r /usr/bin/docker rmi -f >/dev/null 2>&1 || true; }
trap 'cleanup_images; integration_cleanup' EXIT

make_flow_project
echo "keep me" >kept.txt
echo "do not ship" >secret.txt
mkdir -p logs && echo log >logs/run.log
printf 'secret.txt\nlogs\n' >.dockerignore

# write_dockerfile_project: syntask.yaml building the project's own Dockerfile with additional tags.
write_dockerfile_project() {
  cat >syntask.yaml <<YAML
name: dockerbuild
build:
- syntask_docker.deployments.steps.build_docker_image:
    id: build
    image_name: $repo
    tag: "1"
    additional_tags: [extra, also]
deployments:
- name: d
  entrypoint: flows/hello.py:hello
  work_pool: {name: default}
YAML
}

# write_auto_project: syntask.yaml building with `dockerfile: auto` on the python base image.
write_auto_project() {
  cat >syntask.yaml <<YAML
name: dockerbuild
build:
- syntask_docker.deployments.steps.build_docker_image:
    id: build
    image_name: $repo
    tag: auto
    dockerfile: auto
    persist_dockerfile: true
deployments:
- name: d
  entrypoint: flows/hello.py:hello
  work_pool: {name: default}
YAML
  export SYNTASK_DEFAULT_DOCKER_BASE_IMAGE=$SYNTASK_DOCKER_PYTHON_IMAGE
}

# A given Dockerfile with .dockerignore (checked inside the image), additional tags, the syntask.version label.
case_dockerfile_build() {
  cat >Dockerfile <<EOF_DOCKERFILE
FROM $SYNTASK_DOCKER_BUSYBOX_IMAGE
COPY . /app/
EOF_DOCKERFILE
  write_dockerfile_project
  syn deploy --all --no-prompt
  expect_ok
  stdout_has "Step 1/3 : FROM $SYNTASK_DOCKER_BUSYBOX_IMAGE"
  stdout_has "Successfully tagged $repo:1"
  files=$(dock run --rm --network none "$repo:1" /bin/sh -c 'cd /app && ls -a') || fail "cannot run the image"
  grep -qx kept.txt <<<"$files" || fail "kept.txt missing from the image: $files"
  grep -qx Dockerfile <<<"$files" || fail "Dockerfile missing from the image: $files"
  grep -qx secret.txt <<<"$files" && fail "secret.txt was sent despite .dockerignore"
  grep -qx logs <<<"$files" && fail "logs/ was sent despite .dockerignore"
  for tag in extra also; do
    dock image inspect "$repo:$tag" >/dev/null 2>&1 || fail "additional tag $tag missing"
  done
  [ "$(dock image inspect -f '{{index .Config.Labels "syntask.version"}}' "$repo:1")" != "" ] ||
    fail "no syntask.version label"
  [ "$(dock image inspect -f '{{.Id}}' "$repo:1")" = "$(dock image inspect -f '{{.Id}}' "$repo:extra")" ] ||
    fail "additional tags name another image"
}

# Bad instruction: an HTTP 400 from the daemon, one line.
case_bad_instruction() {
  write_dockerfile_project
  printf 'FROM %s\nFOOBAR nothing\n' "$SYNTASK_DOCKER_BUSYBOX_IMAGE" >Dockerfile
  syn deploy --all --no-prompt
  expect_status 1 "unknown instruction: FOOBAR"
  stderr_has "build failed: dockerfile parse error"
  stderr_has "unknown instruction: FOOBAR"
  [ "$(grep -c 'build failed' "$ERR")" = 1 ] || fail "the failure is not one line"
}

# Missing base image: an error inside the 200 stream.
case_missing_base_image() {
  write_dockerfile_project
  printf 'FROM %s/syntask-it/no-such-base:1\n' "$SYNTASK_REGISTRY_OPEN" >Dockerfile
  syn deploy --all --no-prompt
  expect_status 1 "no-such-base:1 not found"
  stderr_has "build failed: manifest for $SYNTASK_REGISTRY_OPEN/syntask-it/no-such-base:1 not found"
}

# A failing RUN.
case_failing_run() {
  write_dockerfile_project
  printf 'FROM %s\nRUN exit 3\n' "$SYNTASK_DOCKER_BUSYBOX_IMAGE" >Dockerfile
  syn deploy --all --no-prompt
  expect_status 1 "returned a non-zero code: 3"
  stderr_has "build failed: The command '/bin/sh -c exit 3' returned a non-zero code: 3"
}

# Problems known before anything runs: reported with file:line, no step started.
case_validation_before_steps() {
  rm -f Dockerfile
  cat >syntask.yaml <<YAML
name: dockerbuild
build:
- syntask.deployments.steps.run_shell_script:
    script: touch first-step-ran
- syntask_docker.deployments.steps.build_docker_image:
    image_name: "my image"
    tagg: "1"
deployments:
- name: d
  entrypoint: flows/hello.py:hello
  work_pool: {name: default}
YAML
  syn deploy --all --no-prompt
  expect_status 2 "invalid image name 'my image': must not contain whitespace"
  stderr_has "syntask.yaml:6:"
  stderr_has "invalid image name 'my image': must not contain whitespace"
  stderr_has "unknown argument 'tagg' for step 'syntask_docker.deployments.steps.build_docker_image'; did you mean 'tag'?"
  [ ! -e first-step-ran ] || fail "a step ran despite validation problems"
}

# dockerfile: auto on the python base image; the generated Dockerfile is removed, its copy kept.
case_dockerfile_auto() {
  rm -f Dockerfile
  write_auto_project
  syn deploy --all --no-prompt
  expect_ok
  [ ! -e Dockerfile ] || fail "the generated Dockerfile was left behind"
  grep -qx "FROM $SYNTASK_DOCKER_PYTHON_IMAGE" Dockerfile.generated || fail "base image in Dockerfile.generated"
  grep -qx "COPY . /opt/syntask/project/" Dockerfile.generated || fail "COPY of the project"
  grep -qx "WORKDIR /opt/syntask/project/" Dockerfile.generated || fail "WORKDIR"
  [ "$(dock run --rm --network none "$repo:auto" python3 -c 'import os; print(os.getcwd())')" = /opt/syntask/project ] ||
    fail "working directory of the auto image"
  dock run --rm --network none "$repo:auto" python3 -c 'import os; os.stat("flows/hello.py")' ||
    fail "the project is not in the auto image"
}

# auto next to an existing Dockerfile is an error, and that file stays.
case_auto_beside_dockerfile() {
  write_auto_project
  echo "FROM scratch" >Dockerfile
  syn deploy --all --no-prompt
  expect_status 1 "a Dockerfile already exists in"
  stderr_has "a Dockerfile already exists in '$PROJECT': name it in 'dockerfile' instead of 'auto', or remove it"
  [ "$(cat Dockerfile)" = "FROM scratch" ] || fail "the existing Dockerfile was changed"
}

run_cases
echo "ok"
