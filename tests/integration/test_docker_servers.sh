#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The loopback Docker servers themselves, checked with Debian's docker CLI: builds from both base
# images run commands, containers run without a network, the auth registry refuses anonymous pushes and
# takes them after a login, the open registry takes anonymous pushes, and the local wheels install.
source "$(dirname "$0")/lib.sh"
use_servers docker
source "$(dirname "$0")/docker_helpers.sh"

busybox_ref="syntask-test/smoke-busybox:$DOCKER_TEST_TAG"
# given_busybox_image: $busybox_ref is built (once) FROM the busybox image with a RUN.
given_busybox_image() {
  [ -z "${BUSYBOX_BUILT:-}" ] || return 0
  mkdir -p "$TEST_ROOT/busybox"
  cat >"$TEST_ROOT/busybox/Dockerfile" <<DOCKERFILE
FROM $SYNTASK_DOCKER_BUSYBOX_IMAGE
RUN echo built-from-busybox > /marker && ls /bin/sh
DOCKERFILE
  docker_remember "$busybox_ref"
  run_docker build -q -t "$busybox_ref" "$TEST_ROOT/busybox"
  expect_ok
  BUSYBOX_BUILT=1
}

# A build FROM the busybox image with a RUN.
case_busybox_build() {
  given_busybox_image
  run_docker run --rm --network none "$busybox_ref" cat /marker
  expect_ok
  stdout_has "built-from-busybox"
}

# Without a network a container has loopback only.
case_no_network() {
  given_busybox_image
  run_docker run --rm --network none "$busybox_ref" sh -c 'ls /sys/class/net'
  expect_ok
  [ "$(cat "$OUT")" = lo ] || fail "a --network none container has interfaces besides lo"
}

# A build FROM the python image whose RUN installs the local wheels with pip (no index: no internet).
case_python_wheels() {
  mkdir -p "$TEST_ROOT/python/wheels"
  cp "$SYNTASK_DOCKER_WHEELS"/*.whl "$TEST_ROOT/python/wheels/"
  cat >"$TEST_ROOT/python/Dockerfile" <<DOCKERFILE
FROM $SYNTASK_DOCKER_PYTHON_IMAGE
COPY wheels /wheels
RUN pip install --no-index --find-links /wheels syntask-test-extras
DOCKERFILE
  python_ref="syntask-test/smoke-python:$DOCKER_TEST_TAG"
  docker_remember "$python_ref"
  run_docker build -q -t "$python_ref" "$TEST_ROOT/python"
  expect_ok
  run_docker run --rm --network none "$python_ref" python3 -c \
    'import sys, syntask_test_extras; print(sys.version_info[:2], syntask_test_extras.shout("docker"))'
  expect_ok
  stdout_has "HELLO, DOCKER"
  python_tag=${SYNTASK_DOCKER_PYTHON_IMAGE##*:}
  stdout_has "(${python_tag%%.*}, ${python_tag#*.})" # the tag names the interpreter's version
}

# The auth registry: a push without login is refused, a wrong password too, a login makes it work.
case_auth_registry() {
  given_busybox_image
  auth_ref="$SYNTASK_REGISTRY_AUTH/syntask-test/smoke:$DOCKER_TEST_TAG"
  docker_remember "$auth_ref"
  run_docker tag "$busybox_ref" "$auth_ref"
  expect_ok
  run_docker push "$auth_ref"
  [ "$STATUS" -ne 0 ] || fail "an anonymous push to the auth registry worked"
  stderr_has "no basic auth credentials"
  STATUS=0
  /usr/bin/docker login -u "$SYNTASK_REGISTRY_USER" --password-stdin "$SYNTASK_REGISTRY_AUTH" \
    <<<"wrong-password" >"$OUT" 2>"$ERR" || STATUS=$?
  [ "$STATUS" -ne 0 ] || fail "a login with a wrong password worked"
  /usr/bin/docker login -u "$SYNTASK_REGISTRY_USER" --password-stdin "$SYNTASK_REGISTRY_AUTH" \
    <<<"$SYNTASK_REGISTRY_PASSWORD" >"$OUT" 2>"$ERR" || fail "the registry login failed"
  run_docker push "$auth_ref"
  expect_ok
  code=$(curl -s -o /dev/null -w '%{http_code}' -u "$SYNTASK_REGISTRY_USER:$SYNTASK_REGISTRY_PASSWORD" \
    "http://$SYNTASK_REGISTRY_AUTH/v2/syntask-test/smoke/manifests/$DOCKER_TEST_TAG" \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json')
  [ "$code" = 200 ] || fail "the pushed manifest is not in the auth registry (HTTP $code)"
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://$SYNTASK_REGISTRY_AUTH/v2/syntask-test/smoke/tags/list")
  [ "$code" = 401 ] || fail "the auth registry listed tags anonymously (HTTP $code)"
}

# The open registry takes anonymous pushes.
case_open_registry() {
  given_busybox_image
  open_ref="$SYNTASK_REGISTRY_OPEN/syntask-test/smoke:$DOCKER_TEST_TAG"
  docker_remember "$open_ref"
  run_docker tag "$busybox_ref" "$open_ref"
  expect_ok
  /usr/bin/docker logout "$SYNTASK_REGISTRY_AUTH" >/dev/null 2>&1
  run_docker push "$open_ref"
  expect_ok
  curl -sf "http://$SYNTASK_REGISTRY_OPEN/v2/syntask-test/smoke/tags/list" | grep -qF "\"$DOCKER_TEST_TAG\"" ||
    fail "the open registry does not list the pushed tag"
}

run_cases
