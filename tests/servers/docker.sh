#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A Docker Engine and two registries on loopback for the integration suites: Debian's dockerd (with the
# containerd it starts) on its own unix socket, docker-registry with htpasswd (bcrypt) auth on
# 127.0.0.1:5000 and without auth on 127.0.0.1:5001, two base images made from files already on the
# machine (a static busybox, and Debian's python3 with pip), and a folder of local wheels.
#
#   bash tests/servers/docker.sh start    # starts everything; a second start reuses the cached images
#   bash tests/servers/docker.sh status   # exit 0 only if every server runs and answers
#   bash tests/servers/docker.sh stop     # stops the recorded PIDs only, dockerd first, then unmounts
#
# Everything lives under $SYNTASK_TEST_SERVERS_DIR/docker (default /tmp/syntask-test-servers); `start`
# writes $SYNTASK_TEST_SERVERS_DIR/docker.env for the suites to source. See tests/servers/README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/servers/procs.sh
source "$here/procs.sh"

base=${SYNTASK_TEST_SERVERS_DIR:-/tmp/syntask-test-servers}
dir="$base/docker"
pids="$dir/pids"
dockerd_pids="$dir/pids.dockerd"
env_file="$base/docker.env"
logs="$dir/logs"
sock="$dir/docker.sock"
data_root="$dir/data"
exec_root="$dir/exec"
registry="$dir/registry"
cache="$dir/cache"
wheels="$dir/wheels"

k_auth_port=5000
k_open_port=5001
k_user=syntask
k_password=syntask-registry-5e0c2a
k_busybox_image=127.0.0.1:$k_open_port/syntask-test/busybox:1
k_ready_seconds=30
k_dockerd_stop_seconds=30

log() { printf 'docker servers: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}

dock() { /usr/bin/docker --host "unix://$sock" "$@"; }

python_version() {
  [ -n "${py_version:-}" ] || py_version=$(/usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  echo "$py_version"
}
python_image() { echo "127.0.0.1:$k_open_port/syntask-test/python:$(python_version)"; }

# The versions of the Debian packages the cached files are made from: a change rebuilds them.
fingerprint() {
  [ -n "${print_cache:-}" ] || print_cache=$(dpkg-query -W -f='${Package}=${Version}\n' busybox-static \
    python3-pip python3-wheel python3-setuptools "python$(python_version)" \
    "libpython$(python_version)-stdlib" 2>/dev/null | sha256sum | cut -c1-16)
  echo "$print_cache"
}

# ---------------------------------------------------------------- root filesystems

# A merged-/usr skeleton, as Debian lays it out, so that library paths from ldd resolve inside it.
make_skeleton() {
  local root=$1
  mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/{etc,tmp,root,dev,proc,sys}
  chmod 1777 "$root/tmp"
  ln -s usr/bin "$root/bin"
  ln -s usr/sbin "$root/sbin"
  ln -s usr/lib "$root/lib"
  ln -s usr/lib64 "$root/lib64"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
}

# busybox at /bin/busybox with a link per applet (/bin/sh among them).
add_busybox() {
  local root=$1 applet
  cp /bin/busybox "$root/usr/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ -e "$root/usr/bin/$applet" ] || ln -s busybox "$root/usr/bin/$applet"
  done
}

# copy_into ROOT PATH...: copies each file to the same place under ROOT (symlinks kept as links).
copy_into() {
  local root=$1 path
  shift
  for path in "$@"; do
    mkdir -p "$root$(dirname "$path")"
    cp -a "$path" "$root$path"
  done
}

# copy_libraries ROOT BINARY...: the shared libraries ldd lists for the binaries, at their real paths.
copy_libraries() {
  local root=$1 lib real
  shift
  # ldd prints "name => /path (addr)" per library and "/path (addr)" for the loader.
  for lib in $(ldd "$@" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $2 ~ /^\(/ { print $1 }' | sort -u); do
    real="$(realpath "$(dirname "$lib")")/$(basename "$lib")"
    [ -e "$root$real" ] && continue
    mkdir -p "$root$(dirname "$real")"
    cp -L "$lib" "$root$real"
  done
}

build_busybox_tar() {
  local out=$1 root="$dir/rootfs-busybox"
  rm -rf "$root"
  make_skeleton "$root"
  add_busybox "$root"
  tar --numeric-owner --owner=0 --group=0 -C "$root" -cf "$out.tmp" .
  mv "$out.tmp" "$out"
  rm -rf "$root"
}

build_python_tar() {
  local out=$1 root="$dir/rootfs-python" v
  v=$(python_version)
  rm -rf "$root"
  make_skeleton "$root"
  add_busybox "$root"
  copy_into "$root" "/usr/bin/python$v" "/usr/lib/python$v" "/etc/python$v"
  ln -s "python$v" "$root/usr/bin/python3"
  ln -s "python$v" "$root/usr/bin/python"
  # pip as Debian ships it (its dependencies vendored), minus the marker that makes it refuse installs.
  local f
  while read -r f; do
    if [ -f "$f" ] || [ -L "$f" ]; then copy_into "$root" "$f"; fi
  done < <(dpkg -L python3-pip)
  rm -f "$root/usr/lib/python$v/EXTERNALLY-MANAGED"
  mkdir -p "$root/usr/local/bin" "$root/usr/local/lib/python$v/dist-packages"
  copy_libraries "$root" "/usr/bin/python$v" "/usr/lib/python$v"/lib-dynload/*.so
  tar --numeric-owner --owner=0 --group=0 -C "$root" -cf "$out.tmp" .
  mv "$out.tmp" "$out"
  rm -rf "$root"
}

# cached_tar NAME: sets `tar` to NAME's root filesystem tarball, built again when the packages changed.
# (A variable, not output: errors inside a command substitution would not stop the script.)
cached_tar() {
  local name=$1 print
  print=$(fingerprint)
  tar="$cache/$name-$print.tar"
  if [ ! -s "$tar" ]; then
    rm -f "$cache/$name"-*.tar
    log "building the $name root filesystem (cached in $cache)"
    "build_${name}_tar" "$tar"
  fi
}

# ---------------------------------------------------------------- images and wheels

registry_has() { # REF: the open registry has the tag
  local ref=${1#*/} repo tag
  repo=${ref%:*}
  tag=${ref##*:}
  curl -sf -o /dev/null -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://127.0.0.1:$k_open_port/v2/$repo/manifests/$tag"
}

# ensure_image NAME REF: REF is in the daemon (imported once per tarball) and in the open registry.
ensure_image() {
  local name=$1 ref=$2 tar id recorded=""
  cached_tar "$name"
  [ -f "$cache/$name.id" ] && recorded=$(cat "$cache/$name.id")
  id=$(dock image inspect -f '{{.Id}}' "$ref" 2>/dev/null || true)
  if [ -z "$id" ] || [ "$recorded" != "$id $(basename "$tar")" ]; then
    id=$(dock import --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' --change 'CMD ["/bin/sh"]' \
      "$tar" "$ref" 2>>"$logs/import.log") || die "cannot import $ref (see $logs/import.log)"
    echo "$id $(basename "$tar")" >"$cache/$name.id"
    rm -f "$cache/$name.pushed"
  fi
  if ! registry_has "$ref" || [ "$(cat "$cache/$name.pushed" 2>/dev/null)" != "$id" ]; then
    dock push "$ref" >>"$logs/push.log" 2>&1 || die "cannot push $ref (see $logs/push.log)"
    echo "$id" >"$cache/$name.pushed"
  fi
}

# Two tiny pure-Python wheels: syntask-test-greeting, and syntask-test-extras that depends on it.
build_wheels() {
  local print src
  print=$(fingerprint)
  [ -f "$wheels/.fingerprint" ] && [ "$(cat "$wheels/.fingerprint")" = "$print" ] && return 0
  rm -rf "$wheels" "$dir/wheel-src"
  mkdir -p "$wheels"
  src="$dir/wheel-src/greeting"
  mkdir -p "$src/syntask_test_greeting"
  cat >"$src/setup.py" <<'EOF'
from setuptools import setup
setup(name="syntask-test-greeting", version="1.0.0", packages=["syntask_test_greeting"])
EOF
  cat >"$src/syntask_test_greeting/__init__.py" <<'EOF'
def greet(name):
    return "hello, " + name
EOF
  src="$dir/wheel-src/extras"
  mkdir -p "$src/syntask_test_extras"
  cat >"$src/setup.py" <<'EOF'
from setuptools import setup
setup(name="syntask-test-extras", version="0.2.0", packages=["syntask_test_extras"],
      install_requires=["syntask-test-greeting>=1.0"])
EOF
  cat >"$src/syntask_test_extras/__init__.py" <<'EOF'
from syntask_test_greeting import greet

def shout(name):
    return greet(name).upper()
EOF
  for src in "$dir/wheel-src/greeting" "$dir/wheel-src/extras"; do
    (cd "$src" && /usr/bin/python3 -m pip wheel --quiet --no-index --no-deps --no-build-isolation \
      --wheel-dir "$wheels" .) >>"$logs/wheels.log" 2>&1 || die "cannot build a wheel (see $logs/wheels.log)"
  done
  rm -rf "$dir/wheel-src"
  echo "$print" >"$wheels/.fingerprint"
}

# ---------------------------------------------------------------- servers

make_registry_configs() {
  mkdir -p "$registry/auth-data" "$registry/open-data"
  htpasswd -Bbn "$k_user" "$k_password" >"$registry/htpasswd" 2>/dev/null
  cat >"$registry/auth.yml" <<EOF
version: 0.1
log: { level: warn }
storage: { filesystem: { rootdirectory: $registry/auth-data }, delete: { enabled: true } }
http: { addr: 127.0.0.1:$k_auth_port }
auth: { htpasswd: { realm: syntask-test-registry, path: $registry/htpasswd } }
EOF
  cat >"$registry/open.yml" <<EOF
version: 0.1
log: { level: warn }
storage: { filesystem: { rootdirectory: $registry/open-data }, delete: { enabled: true } }
http: { addr: 127.0.0.1:$k_open_port }
EOF
}

docker_ping() { curl -sf --unix-socket "$sock" http://localhost/_ping >/dev/null; }

# start_dockerd DRIVER: starts dockerd, records it in its own pid file; fails if it does not answer.
start_dockerd() {
  rm -rf "$exec_root"
  mkdir -p "$data_root" "$exec_root"
  /usr/sbin/dockerd --host "unix://$sock" --data-root "$data_root" --exec-root "$exec_root" \
    --pidfile "$dir/dockerd.pid" --storage-driver "$1" --bridge=none --iptables=false --ip6tables=false \
    --ip-masq=false --userland-proxy=false --shutdown-timeout 5 --log-level warn \
    </dev/null >"$logs/dockerd-$1.log" 2>&1 &
  : >"$dockerd_pids"
  proc_record "$dockerd_pids" dockerd $!
  wait_until $k_ready_seconds docker_ping
}

# The mount points below the docker folder (exec root, data root), deepest first.
docker_mounts() {
  awk -v d="$dir/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

unmount_leftovers() {
  local m
  for m in $(docker_mounts); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "cannot unmount $m"
  done
}

# stop_dockerd: TERM to the recorded dockerd, which stops its containers and its containerd; KILL late.
stop_dockerd() {
  local name pid start _
  [ -f "$dockerd_pids" ] || return 0
  while read -r name pid start; do
    proc_alive "$pid" "$start" || continue
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq $((k_dockerd_stop_seconds * 10))); do
      proc_alive "$pid" "$start" || break
      sleep 0.1
    done
    if proc_alive "$pid" "$start"; then
      log "dockerd (pid $pid) ignored TERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done <"$dockerd_pids"
  rm -f "$dockerd_pids"
}

registries_answer() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$k_auth_port/v2/") && [ "$code" = 401 ] &&
    curl -sf -o /dev/null "http://127.0.0.1:$k_open_port/v2/"
}

write_env() {
  cat >"$env_file.tmp" <<EOF
# Written by tests/servers/docker.sh start: the loopback Docker Engine, registries and test images.
export SYNTASK_DOCKER_HOST=unix://$sock
export SYNTASK_REGISTRY_AUTH=127.0.0.1:$k_auth_port
export SYNTASK_REGISTRY_USER=$k_user
export SYNTASK_REGISTRY_PASSWORD=$k_password
export SYNTASK_REGISTRY_OPEN=127.0.0.1:$k_open_port
export SYNTASK_DOCKER_BUSYBOX_IMAGE=$k_busybox_image
export SYNTASK_DOCKER_PYTHON_IMAGE=$(python_image)
export SYNTASK_DOCKER_WHEELS=$wheels
EOF
  mv "$env_file.tmp" "$env_file"
}

cmd_stop() {
  rm -f "$env_file"
  stop_dockerd
  procs_stop "$pids"
  unmount_leftovers
  rm -rf "$exec_root" "$sock" "$dir/dockerd.pid"
}

cmd_start() {
  [ "$(id -u)" -eq 0 ] || die "start needs root (dockerd does)"
  if procs_any_alive "$pids" || procs_any_alive "$dockerd_pids"; then
    log "already running: restarting"
    cmd_stop
  fi
  rm -f "$env_file" "$pids" "$dockerd_pids"
  local port tool
  for port in $k_auth_port $k_open_port; do
    ! port_open "$port" || die "port $port on 127.0.0.1 is taken by another program"
  done
  python_version >/dev/null
  fingerprint >/dev/null
  for tool in /usr/sbin/dockerd /usr/bin/docker /usr/bin/docker-registry htpasswd /bin/busybox /usr/bin/python3 curl; do
    command -v "$tool" >/dev/null || die "'$tool' is missing: run bash scripts/install-deps.sh --tests"
  done
  /usr/bin/python3 -m pip --version >/dev/null 2>&1 || die "pip is missing: run bash scripts/install-deps.sh --tests"
  # Leftovers of a dockerd that died without stop would make the new one fail.
  unmount_leftovers
  mkdir -p "$logs" "$cache"
  # The auth registry starts empty. The open one keeps its data, like the daemon's data root and the
  # image cache: the base images are then neither imported nor pushed again on a second start.
  rm -rf "$registry/auth-data"
  make_registry_configs

  : >"$pids"
  # A start that fails half-way leaves nothing running.
  # shellcheck disable=SC2154 # rc is set inside the trap itself
  trap 'rc=$?; [ "$rc" -eq 0 ] || cmd_stop; exit "$rc"' EXIT
  /usr/bin/docker-registry serve "$registry/auth.yml" </dev/null >"$logs/registry-auth.log" 2>&1 &
  proc_record "$pids" docker-registry $!
  /usr/bin/docker-registry serve "$registry/open.yml" </dev/null >"$logs/registry-open.log" 2>&1 &
  proc_record "$pids" docker-registry $!

  if ! start_dockerd overlay2; then
    log "dockerd with overlay2 did not answer; trying vfs (see $logs/dockerd-overlay2.log)"
    stop_dockerd
    unmount_leftovers
    start_dockerd vfs || die "dockerd did not come up within ${k_ready_seconds}s; logs in $logs"
  fi
  # dockerd's containerd is recorded before dockerd, so that a stop reaches dockerd first (a containerd
  # stopped under a running dockerd is restarted by it).
  local containerd_pid
  wait_until 5 test -s "$exec_root/containerd/containerd.pid" || die "dockerd started no containerd"
  containerd_pid=$(cat "$exec_root/containerd/containerd.pid")
  proc_record "$pids" containerd "$containerd_pid"
  cat "$dockerd_pids" >>"$pids"

  wait_until $k_ready_seconds registries_answer || die "the registries did not answer; logs in $logs"
  local name pid start
  while read -r name pid start; do
    [ "$(basename "$(readlink "/proc/$pid/exe")")" = "$name" ] || die "recorded pid $pid is not $name"
  done <"$pids"

  ensure_image busybox "$k_busybox_image"
  ensure_image python "$(python_image)"
  build_wheels
  write_env
  trap - EXIT
  log "running; source $env_file"
}

daemon_and_registries_answer() { docker_ping && registries_answer; }
cmd_status() { server_status "docker servers" "$pids" "$env_file" daemon_and_registries_answer; }

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
*)
  echo "usage: bash tests/servers/docker.sh start|stop|status" >&2
  exit 2
  ;;
esac
