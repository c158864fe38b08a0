#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Docker build + push of one project by syntask and by Debian's docker CLI (classic builder), against the
# same daemon and the same open registry of tests/servers/docker.sh, measured side by side in one run:
# median wall time and peak memory of the client, with ratios to the docker CLI (bench/docker.py).
#
#   bash tests/servers/docker.sh start && bash bench/docker.sh [RUNS] [LARGE_MIB]   (default 3 runs, 64 MiB)
#
# The project: 2,000 small files in 40 folders, one LARGE_MIB file of random bytes, a flow, and a
# Dockerfile `FROM <busybox test image>` + `COPY . /app`. Both sides build the same image: syntask's build
# step adds the syntask.version label, so the docker CLI is given it too, and both carry a label naming
# this run, by which its images are removed at the end. syntask is measured only when its binary has the
# build_docker_image and push_docker_image steps; otherwise only the docker CLI is measured.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-3}
large_mib=${2:-64}
syntask=${SYNTASK_BIN:-$root/build/syntask}
servers=${SYNTASK_TEST_SERVERS_DIR:-/tmp/syntask-test-servers}
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 2; }
bash "$root/tests/servers/docker.sh" status >/dev/null 2>&1 ||
  { echo "bench: start the Docker test servers first (bash tests/servers/docker.sh start)" >&2; exit 2; }
# shellcheck source=/dev/null
source "$servers/docker.env"

work=$(mktemp -d)
run_label="syntask.bench=docker-$$-$(date +%s)"
cleanup() {
  local images
  images=$(/usr/bin/docker images -aq --filter "label=$run_label" 2>/dev/null | sort -u) || true
  if [ -n "$images" ]; then
    # shellcheck disable=SC2086 # one id a word
    /usr/bin/docker rmi -f $images >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
export SYNTASK_HOME="$work/home" NO_COLOR=1 DOCKER_HOST="$SYNTASK_DOCKER_HOST" DOCKER_CONFIG="$work/docker-config"
mkdir -p "$DOCKER_CONFIG"
project="$work/project"
mkdir -p "$project"
cp -r "$root/examples/hello/flows" "$project/"
for d in $(seq -w 1 40); do
  mkdir -p "$project/data/d$d"
  for f in $(seq -w 1 50); do
    printf 'file %s of folder %s\n%0200d\n' "$f" "$d" 0 >"$project/data/d$d/f$f.txt"
  done
done
head -c $((large_mib * 1024 * 1024)) /dev/urandom >"$project/data/large.bin"
stamp="$project/data/stamp.txt"
echo 0 >"$stamp"
printf 'FROM %s\nCOPY . /app\n' "$SYNTASK_DOCKER_BUSYBOX_IMAGE" >"$project/Dockerfile"
printf '.syntask\n' >"$project/.dockerignore"
cd "$project"

registry=$SYNTASK_REGISTRY_OPEN
version=0.1.0
[ -x "$syntask" ] && version=$("$syntask" --version | awk '{print $2}')
cli_image=$registry/bench/docker-cli:1
commands=(
  "docker CLI build+push=bash -c 'DOCKER_BUILDKIT=0 /usr/bin/docker build -q --label syntask.version=$version --label $run_label -t $cli_image . && /usr/bin/docker push -q $cli_image'"
)

# The syntask side needs the Docker steps (syntask_docker.deployments.steps.*) in the binary.
if [ -x "$syntask" ] && grep -aq 'syntask_docker.deployments.steps.push_docker_image' "$syntask"; then
  cat >"$project/syntask.yaml" <<YAML
name: bench
syntask-version: $version
build:
- syntask_docker.deployments.steps.build_docker_image:
    id: build-image
    image_name: $registry/bench/syntask
    tag: "1"
    dockerfile: Dockerfile
    labels:
      ${run_label%%=*}: ${run_label#*=}
push:
- syntask_docker.deployments.steps.push_docker_image:
    image_name: "<< build-image.image_name >>"
    tag: "<< build-image.tag >>"
pull: null
deployments:
- name: bench
  entrypoint: flows/hello.py:hello
  work_pool:
    name: default
YAML
  commands+=("syntask deploy (build+push)=$syntask deploy flows/hello.py:hello --name bench --no-prompt")
else
  echo "bench: $syntask has no Docker build/push steps: measuring the docker CLI only" >&2
fi

echo "context: 2,000 small files and one $large_mib MiB file; $(uptime)"
python3 "$root/bench/docker.py" --runs "$runs" --stamp "$stamp" -- "${commands[@]}"
