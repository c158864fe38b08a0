# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Helpers for the Docker suites (sourced after lib.sh and `use_servers docker`): Debian's docker CLI,
# the classic builder, pointed at the test daemon, with a configuration of its own (logins made by a
# suite stay in the suite), and the images a suite makes removed when it ends.

export DOCKER_HOST="$SYNTASK_DOCKER_HOST"
export DOCKER_CONFIG="$TEST_ROOT/docker-config"
export DOCKER_BUILDKIT=0
mkdir -p "$DOCKER_CONFIG"

# A tag unique to this run of the suite, for images it makes.
# shellcheck disable=SC2034 # used by the suites that source this file
DOCKER_TEST_TAG="t$$"
DOCKER_TEST_IMAGES=()

# run_docker ARGS...: runs the docker CLI with stdin closed, capturing stdout, stderr and the status.
run_docker() {
  STATUS=0
  /usr/bin/docker "$@" >"$OUT" 2>"$ERR" </dev/null || STATUS=$?
}

# docker_remember REF: REF is removed from the daemon when the suite ends.
docker_remember() { DOCKER_TEST_IMAGES+=("$1"); }

docker_cleanup() {
  if [ "${#DOCKER_TEST_IMAGES[@]}" -gt 0 ]; then
    /usr/bin/docker rmi -f "${DOCKER_TEST_IMAGES[@]}" >/dev/null 2>&1 || true
  fi
  integration_cleanup
}
trap docker_cleanup EXIT

# manifest_digest REGISTRY REPOSITORY TAG [USER:PASSWORD]: the registry's own digest of the manifest.
manifest_digest() {
  local credentials=()
  [ -z "${4:-}" ] || credentials=(-u "$4")
  curl -sfI "${credentials[@]}" -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$1/v2/$2/manifests/$3" | tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p'
}

# expect_pushed_deployment ADDRESS REGISTRY REPOSITORY TAG [USER:PASSWORD]: the stored deployment ADDRESS
# (FLOW/NAME) runs REGISTRY/REPOSITORY by the digest the registry holds for TAG, and its pull step moves
# to where `dockerfile: auto` put the suite's project (/opt/syntask/project).
expect_pushed_deployment() {
  local digest
  digest=$(manifest_digest "$2" "$3" "$4" "${5:-}")
  [ -n "$digest" ] || fail "the registry $2 has no manifest for $3:$4"
  syn deployment inspect "$1" --json
  expect_ok
  [ "$(json_get 'd["work_pool"]["job_variables"]["image"]')" = "$2/$3@$digest" ] ||
    fail "deployment '$1' does not run $2/$3@$digest"
  [ "$(json_get 'd["pull_steps"]')" = \
    "[{'syntask.deployments.steps.set_working_directory': {'directory': '/opt/syntask/project'}}]" ] ||
    fail "the pull step of '$1' does not move into the image's copy of the code"
}
