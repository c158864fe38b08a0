#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# push_docker_image against the loopback registries: the auth registry with a credentials block, with
# ~/.docker/config.json and with a credential helper; a wrong password; an anonymous push to the open
# registry; additional tags; the reported digest equals the registry's manifest digest; and a deployment
# whose `image` job variable names the pushed image stores it by digest.
source "$(dirname "$0")/lib.sh"
use_servers docker
# shellcheck source=tests/integration/docker_helpers.sh
source "$(dirname "$0")/docker_helpers.sh"
dock() { /usr/bin/docker "$@"; }
auth_repo="$SYNTASK_REGISTRY_AUTH/syntask-it/push-$$"
open_repo="$SYNTASK_REGISTRY_OPEN/syntask-it/push-$$"
cleanup_images() {
  for repo in "$auth_repo" "$open_repo"; do
    dock image ls -q "$repo" 2>/dev/null | sort -u | xargs -r /usr/bin/docker rmi -f >/dev/null 2>&1 || true
  done
}
trap 'cleanup_images; docker_cleanup' EXIT

make_flow_project
printf 'FROM %s\nCOPY flows /flows\n' "$SYNTASK_DOCKER_BUSYBOX_IMAGE" >Dockerfile

# write_project REPO CREDENTIALS_LINE: a build and push of REPO:1 (with an extra tag) and a deployment in
# a docker pool whose image is the build's.
write_project() {
  cat >syntask.yaml <<YAML
name: dockerpush
build:
- syntask_docker.deployments.steps.build_docker_image:
    id: build
    image_name: $1
    tag: "1"
push:
- syntask_docker.deployments.steps.push_docker_image:
    id: push
    image_name: "{{ build.image_name }}"
    tag: "{{ build.tag }}"
    additional_tags: [stable]
$2
deployments:
- name: d
  entrypoint: flows/hello.py:hello
  work_pool:
    name: docker-pool
    job_variables:
      image: "{{ build.image }}"
YAML
}
syn work-pool create docker-pool --type docker
expect_ok

# A block.
case_credentials_block() {
  printf '%s' "$SYNTASK_REGISTRY_PASSWORD" | "$SYNTASK_BIN" block create docker-registry-credentials registry \
    --value-stdin --field username="$SYNTASK_REGISTRY_USER" --field registry_url="$SYNTASK_REGISTRY_AUTH" >/dev/null ||
    fail "cannot create the credentials block"
  write_project "$auth_repo" '    credentials: "{{ syntask.blocks.docker-registry-credentials.registry }}"'
  syn deploy --all --no-prompt
  expect_ok
  stdout_has "The push refers to repository [$auth_repo]"
  digest=$(manifest_digest "$SYNTASK_REGISTRY_AUTH" "syntask-it/push-$$" 1 "$SYNTASK_REGISTRY_USER:$SYNTASK_REGISTRY_PASSWORD")
  [ -n "$digest" ] || fail "the registry has no manifest for tag 1"
  stable=$(manifest_digest "$SYNTASK_REGISTRY_AUTH" "syntask-it/push-$$" stable "$SYNTASK_REGISTRY_USER:$SYNTASK_REGISTRY_PASSWORD")
  [ "$stable" = "$digest" ] || fail "the additional tag was not pushed"
  grep -qF "$SYNTASK_REGISTRY_PASSWORD" "$OUT" "$ERR" && fail "the password was shown"
  syn deployment inspect hello/d --json
  expect_ok
  [ "$(json_get 'd["work_pool"]["job_variables"]["image"]')" = "$auth_repo@$digest" ] ||
    fail "the deployment does not hold the pushed digest ($digest)"
  [ "$(json_get 'd["image_credentials"]')" = "{{ syntask.blocks.docker-registry-credentials.registry }}" ] ||
    fail "the credentials block reference was not kept"
}

# A wrong password: the registry's message, the hint, no password.
case_wrong_password() {
  printf '%s' "wrong-password-123" | "$SYNTASK_BIN" block create docker-registry-credentials bad \
    --value-stdin --field username="$SYNTASK_REGISTRY_USER" --field registry_url="$SYNTASK_REGISTRY_AUTH" >/dev/null ||
    fail "cannot create the bad credentials block"
  write_project "$auth_repo" '    credentials: "{{ syntask.blocks.docker-registry-credentials.bad }}"
    ignore_cache: true'
  syn deploy --all --no-prompt
  expect_status 1 "push of '$auth_repo:1' failed: "
  stderr_has "the registry refused access"
  ! grep -qF "wrong-password-123" "$OUT" "$ERR" || fail "the wrong password was shown"
}

# No credentials at all: the auth registry refuses.
case_no_credentials() {
  rm -f "$DOCKER_CONFIG/config.json"
  write_project "$auth_repo" ""
  syn deploy --all --no-prompt
  expect_status 1 "push of '$auth_repo:1' failed: "
}

# ~/.docker/config.json auths.
case_docker_config_auths() {
  write_project "$auth_repo" ""
  auth=$(printf '%s:%s' "$SYNTASK_REGISTRY_USER" "$SYNTASK_REGISTRY_PASSWORD" | base64 -w0)
  printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$SYNTASK_REGISTRY_AUTH" "$auth" >"$DOCKER_CONFIG/config.json"
  syn deploy --all --no-prompt
  expect_ok
  ! grep -qF "$SYNTASK_REGISTRY_PASSWORD" "$OUT" "$ERR" || fail "the password was shown"
}

# A credential helper on PATH.
case_credential_helper() {
  write_project "$auth_repo" ""
  mkdir -p "$TEST_ROOT/bin"
  cat >"$TEST_ROOT/bin/docker-credential-fake" <<HELPER
#!/bin/sh
[ "\$1" = get ] || exit 1
read -r server
echo "\$server" >>"$TEST_ROOT/helper-asked"
printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}\n' "\$server" "$SYNTASK_REGISTRY_USER" "$SYNTASK_REGISTRY_PASSWORD"
HELPER
  chmod +x "$TEST_ROOT/bin/docker-credential-fake"
  printf '{"credHelpers": {"%s": "fake"}}\n' "$SYNTASK_REGISTRY_AUTH" >"$DOCKER_CONFIG/config.json"
  PATH="$TEST_ROOT/bin:$PATH" syn deploy --all --no-prompt
  expect_ok
  grep -qx "$SYNTASK_REGISTRY_AUTH" "$TEST_ROOT/helper-asked" || fail "the helper was not asked for the registry"
  rm "$DOCKER_CONFIG/config.json"
}

# Anonymous push to the open registry, digest as the registry reports it.
case_open_registry() {
  write_project "$open_repo" ""
  syn deploy --all --no-prompt
  expect_ok
  open_digest=$(manifest_digest "$SYNTASK_REGISTRY_OPEN" "syntask-it/push-$$" 1)
  [ -n "$open_digest" ] || fail "nothing pushed to the open registry"
  syn deployment inspect hello/d --json
  [ "$(json_get 'd["work_pool"]["job_variables"]["image"]')" = "$open_repo@$open_digest" ] ||
    fail "the deployment does not hold the open registry's digest"
}

run_cases
echo "ok"
