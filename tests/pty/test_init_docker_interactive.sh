#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `syntask init` with the image recipes in a real pseudo-terminal: a ./Dockerfile marks docker in the recipe
# menu; the image name, tag and registry credentials block are asked (the tag offering latest, an empty
# block answer leaving the login to ~/.docker/config.json), then the joined recipe's own fields.
source "$(dirname "$0")/../cli/lib.sh"
driver="$SYNTASK_SOURCE_DIR/tests/pty/pty_driver.py"
make_flow_project
printf 'FROM busybox\nCOPY . /opt/syntask/project/\n' >Dockerfile

case_docker_marked_in_menu() {
  local expected actual
  cat >"$TEST_ROOT/docker.script" <<'EOF_SCRIPT'
expect Which recipe would you like to initialize your project with\?
expect docker-azure
key enter
expect \? image name, with its registry \(e\.g\. registry\.example\.com/team/flows\):
sendline 127.0.0.1:5000/team/flows
expect \? image tag \(latest\):
key enter
expect \? name of a docker-registry-credentials block for the push \(empty: ~/\.docker/config\.json\):
key enter
expect Created project in
expect-exit 0
EOF_SCRIPT
  python3 "$driver" --script "$TEST_ROOT/docker.script" -- "$SYNTASK_BIN" init ||
    fail "interactive init (docker marked) transcript did not match"
  expected="build:
- syntask_docker.deployments.steps.build_docker_image:
    id: build_image
    image_name: 127.0.0.1:5000/team/flows
    tag: latest
    dockerfile: Dockerfile

# push section allows you to manage if and how this project is uploaded to remote locations
push:
- syntask_docker.deployments.steps.push_docker_image:
    id: push_image
    image_name: << build_image.image_name >>
    tag: << build_image.tag >>"
  actual=$(sed -n '/^build:/,/^# pull section/p' syntask.yaml | sed '$d' | sed '$d')
  [ "$actual" = "$expected" ] || fail "init wrote other steps:
$actual"
}

case_docker_git_fields() {
  cat >"$TEST_ROOT/docker-git.script" <<'EOF_SCRIPT'
expect \? image name, with its registry
sendline team/flows
expect \? image tag \(latest\):
sendline 3
expect \? name of a docker-registry-credentials block for the push
sendline registry
expect \? URL of the git repository workers clone \(default: this repository's remote\):
sendline https://example.com/org/flows.git
expect Created project in
expect-exit 0
EOF_SCRIPT
  python3 "$driver" --script "$TEST_ROOT/docker-git.script" -- "$SYNTASK_BIN" init --recipe docker-git --force ||
    fail "interactive init (docker-git) transcript did not match"
  grep -qxF '    tag: "3"' syntask.yaml || fail "the tag answer is written as a string"
  grep -qxF "    credentials: << syntask.blocks.docker-registry-credentials.registry >>" syntask.yaml ||
    fail "the block answer is written as a reference"
  grep -qxF "    repository: https://example.com/org/flows.git" syntask.yaml || fail "the git field is asked"
}

run_cases
echo ok
