#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Real git servers on 127.0.0.1 for the integration suites: smart HTTP (nginx + fcgiwrap +
# git-http-backend, basic auth) on 8081, the same over TLS with a test CA on 8443, sshd with a
# key-only `git` user on 2222, and git-daemon on 9418.
#
#   bash tests/servers/git.sh start    # (re)creates fixtures, keys and config, starts all four
#   bash tests/servers/git.sh status   # exit 0 only if every server runs and answers
#   bash tests/servers/git.sh stop     # stops the recorded PIDs only
#
# Everything lives under $SYNTASK_TEST_SERVERS_DIR (default /tmp/syntask-test-servers); `start` writes
# $SYNTASK_TEST_SERVERS_DIR/git.env for the suites to source. Outside that folder `start` creates a
# system user `git` (login shell git-shell) if missing, and /run/sshd. See tests/servers/README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/servers/procs.sh
source "$here/procs.sh"
# shellcheck source=tests/servers/git_fixtures.sh
source "$here/git_fixtures.sh"

base=${SYNTASK_TEST_SERVERS_DIR:-/tmp/syntask-test-servers}
dir="$base/git"
pids="$dir/pids"
env_file="$base/git.env"
repos="$dir/repos"
logs="$dir/logs"
run="$dir/run"

k_http_port=$(server_port "$dir" SYNTASK_GIT_HTTP_PORT 8081)
k_https_port=$(server_port "$dir" SYNTASK_GIT_HTTPS_PORT 8443)
k_ssh_port=$(server_port "$dir" SYNTASK_GIT_SSH_PORT 2222)
k_daemon_port=$(server_port "$dir" SYNTASK_GIT_DAEMON_PORT 9418)
k_token=syntask-test-token-4b1d9e
k_users="tokenuser x-access-token oauth2 x-token-auth deploy-user"
k_user_comment="syntask test git server"
k_ready_seconds=10

log() { printf 'git servers: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}

# Prefix that runs a command as the `git` user. git refuses repositories owned by another user, so
# every server process touching the repositories runs as their owner. An array, not a function: a
# function started with `&` runs in a forked shell, and $! would then name that shell, not the server.
as_git=(setpriv --reuid=git --regid=git --clear-groups env HOME="$repos")

ensure_git_user() {
  if ! getent passwd git >/dev/null; then
    useradd --system --shell /usr/bin/git-shell --home-dir "$repos" --no-create-home \
      --comment "$k_user_comment" git
    # sshd without PAM refuses a locked account ('!'); '*' means no password but not locked.
    usermod -p '*' git
  fi
  local entry
  entry=$(getent passwd git)
  [ "$(echo "$entry" | cut -d: -f7)" = /usr/bin/git-shell ] ||
    die "the existing user 'git' does not have /usr/bin/git-shell as its shell"
  # The home follows the servers' folder so that git-shell starts in a folder that exists.
  # Another set of servers (another SYNTASK_TEST_SERVERS_DIR) running as git keeps its home: the URLs
  # name the repositories by absolute path, so only git-shell's starting folder differs.
  if [ "$(echo "$entry" | cut -d: -f5)" = "$k_user_comment" ] && [ "$(echo "$entry" | cut -d: -f6)" != "$repos" ]; then
    usermod -d "$repos" git 2>/dev/null || log "user git is busy with other servers: its home stays $(echo "$entry" | cut -d: -f6)"
  fi
  mkdir -p /run/sshd
}

make_tls() {
  local t="$dir/tls"
  mkdir -p "$t"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
    -subj "/CN=syntask test CA" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$t/ca.key" -out "$t/ca.pem" 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost \
    -keyout "$t/server.key" -out "$t/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
    >"$t/server.ext"
  openssl x509 -req -in "$t/server.csr" -CA "$t/ca.pem" -CAkey "$t/ca.key" -CAcreateserial -days 30 \
    -extfile "$t/server.ext" -out "$t/server.pem" 2>/dev/null
}

make_nginx_config() {
  local n="$dir/nginx" user
  mkdir -p "$n/tmp"
  : >"$n/htpasswd"
  for user in $k_users; do
    echo "$user:$(openssl passwd -apr1 "$k_token")" >>"$n/htpasswd"
  done
  cat >"$n/git-backend.conf" <<EOF
auth_basic "syntask test git";
auth_basic_user_file $n/htpasswd;
include /etc/nginx/fastcgi_params;
fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
fastcgi_param GIT_PROJECT_ROOT $repos;
fastcgi_param GIT_HTTP_EXPORT_ALL "";
fastcgi_param REMOTE_USER \$remote_user;
fastcgi_pass unix:$run/fcgiwrap.sock;
EOF
  # One process (no master/worker split), so the recorded PID is the whole server.
  cat >"$n/nginx.conf" <<EOF
master_process off;
daemon off;
pid $run/nginx.pid;
error_log $logs/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log $logs/nginx-access.log;
  client_body_temp_path $n/tmp/body;
  fastcgi_temp_path $n/tmp/fastcgi;
  proxy_temp_path $n/tmp/proxy;
  uwsgi_temp_path $n/tmp/uwsgi;
  scgi_temp_path $n/tmp/scgi;
  client_max_body_size 0;
  server {
    listen 127.0.0.1:$k_http_port;
    listen 127.0.0.1:$k_https_port ssl;
    server_name localhost;
    ssl_certificate $dir/tls/server.pem;
    ssl_certificate_key $dir/tls/server.key;
    location ~ ^/[^/]+\.git(/.*)?\$ {
      include $n/git-backend.conf;
      fastcgi_param PATH_INFO \$uri;
    }
    # /v0/NAME.git: the same repositories from a server that speaks only protocol v0 (it never hears
    # the client's Git-Protocol header), as older servers do.
    location ~ ^/v0(/[^/]+\.git(/.*)?)\$ {
      include $n/git-backend.conf;
      fastcgi_param PATH_INFO \$1;
      fastcgi_param HTTP_GIT_PROTOCOL "";
    }
  }
}
EOF
}

make_ssh_config() {
  local s="$dir/ssh"
  mkdir -p "$s/authorized_keys"
  ssh-keygen -q -t ed25519 -N '' -C "syntask test host" -f "$s/host_ed25519"
  ssh-keygen -q -t ed25519 -N '' -C "syntask test client" -f "$s/client_ed25519"
  ssh-keygen -q -t ed25519 -N '' -C "syntask test stranger" -f "$s/wrong_ed25519"
  # One accepted key of each other type that ~/.ssh may hold.
  ssh-keygen -q -t ecdsa -b 256 -N '' -C "syntask test client (ecdsa)" -f "$s/client_ecdsa"
  ssh-keygen -q -t rsa -b 2048 -N '' -C "syntask test client (rsa)" -f "$s/client_rsa"
  cat "$s/client_ed25519.pub" "$s/client_ecdsa.pub" "$s/client_rsa.pub" >"$s/authorized_keys/git"
  chmod 644 "$s/authorized_keys/git"
  local host_key
  host_key=$(cut -d' ' -f1,2 "$s/host_ed25519.pub")
  printf '[127.0.0.1]:%s %s\n[localhost]:%s %s\n' "$k_ssh_port" "$host_key" "$k_ssh_port" "$host_key" \
    >"$s/known_hosts"
  cat >"$s/sshd_config" <<EOF
Port $k_ssh_port
ListenAddress 127.0.0.1
HostKey $s/host_ed25519
PidFile $run/sshd.pid
AuthorizedKeysFile $s/authorized_keys/%u
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin no
AllowUsers git
StrictModes no
AllowTcpForwarding no
AllowAgentForwarding no
X11Forwarding no
PermitTTY no
PrintMotd no
EOF
  /usr/sbin/sshd -t -f "$s/sshd_config"
}

write_env() {
  record_ports "$dir" SYNTASK_GIT_HTTP_PORT=$k_http_port SYNTASK_GIT_HTTPS_PORT=$k_https_port \
    SYNTASK_GIT_SSH_PORT=$k_ssh_port SYNTASK_GIT_DAEMON_PORT=$k_daemon_port
  cat >"$env_file.tmp" <<EOF
# Written by tests/servers/git.sh start: the loopback git servers and their credentials.
export SYNTASK_GIT_HTTP_URL=http://127.0.0.1:$k_http_port
export SYNTASK_GIT_HTTPS_URL=https://localhost:$k_https_port
export SYNTASK_GIT_CA_FILE=$dir/tls/ca.pem
export SYNTASK_GIT_TOKEN=$k_token
export SYNTASK_GIT_USERS="$k_users"
export SYNTASK_GIT_SSH_URL=ssh://git@127.0.0.1:$k_ssh_port$repos
export SYNTASK_GIT_SSH_PORT=$k_ssh_port
export SYNTASK_GIT_SSH_KEY=$dir/ssh/client_ed25519
export SYNTASK_GIT_SSH_ECDSA_KEY=$dir/ssh/client_ecdsa
export SYNTASK_GIT_SSH_RSA_KEY=$dir/ssh/client_rsa
export SYNTASK_GIT_SSH_WRONG_KEY=$dir/ssh/wrong_ed25519
export SYNTASK_GIT_KNOWN_HOSTS=$dir/ssh/known_hosts
export SYNTASK_GIT_DAEMON_URL=git://127.0.0.1:$k_daemon_port
export SYNTASK_GIT_REPOS=$repos
export SYNTASK_GIT_WORK=$dir/work
EOF
  mv "$env_file.tmp" "$env_file"
}

servers_answer() {
  port_open $k_http_port && port_open $k_https_port && port_open $k_ssh_port && port_open $k_daemon_port &&
    [ -S "$run/fcgiwrap.sock" ]
}

cmd_stop() {
  rm -f "$env_file"
  procs_stop "$pids"
}

cmd_start() {
  [ "$(id -u)" -eq 0 ] || die "start needs root (it runs servers as the user 'git')"
  if procs_any_alive "$pids"; then
    log "already running: restarting"
    cmd_stop
  fi
  rm -f "$env_file" "$pids"
  local port
  for port in $k_http_port $k_https_port $k_ssh_port $k_daemon_port; do
    ! port_open "$port" || die "port $port on 127.0.0.1 is taken by another program"
  done
  for tool in nginx fcgiwrap /usr/sbin/sshd ssh-keygen openssl setpriv git-shell; do
    command -v "$tool" >/dev/null || die "'$tool' is missing: run bash scripts/install-deps.sh --tests"
  done

  ensure_git_user
  rm -rf "$repos" "$run" "$dir/work" "$dir/tls" "$dir/ssh" "$dir/nginx" "$dir/scratch"
  mkdir -p "$repos" "$run" "$logs" "$dir/work" "$dir/scratch"
  (make_git_fixtures "$repos" "$dir/scratch" "git://127.0.0.1:$k_daemon_port")
  rm -rf "$dir/scratch"
  chown -R git:git "$repos" "$run"
  make_tls
  make_nginx_config
  make_ssh_config

  : >"$pids"
  # A start that fails half-way leaves nothing running.
  # shellcheck disable=SC2154 # rc is set inside the trap itself
  trap 'rc=$?; [ "$rc" -eq 0 ] || cmd_stop; exit "$rc"' EXIT
  "${as_git[@]}" fcgiwrap -s "unix:$run/fcgiwrap.sock" </dev/null >"$logs/fcgiwrap.log" 2>&1 &
  proc_record "$pids" fcgiwrap $!
  nginx -e "$logs/nginx-error.log" -c "$dir/nginx/nginx.conf" </dev/null >"$logs/nginx.log" 2>&1 &
  proc_record "$pids" nginx $!
  /usr/sbin/sshd -D -e -f "$dir/ssh/sshd_config" </dev/null >"$logs/sshd.log" 2>&1 &
  proc_record "$pids" sshd $!
  # git-daemon itself, not the `git daemon` wrapper, so that the recorded PID is the listener.
  "${as_git[@]}" /usr/lib/git-core/git-daemon --listen=127.0.0.1 --port=$k_daemon_port --base-path="$repos" \
    --export-all --reuseaddr --informative-errors "$repos" </dev/null >"$logs/git-daemon.log" 2>&1 &
  proc_record "$pids" git-daemon $!

  if ! wait_until $k_ready_seconds servers_answer; then
    procs_all_alive "$pids" >&2 || true
    cmd_stop
    die "the servers did not come up within ${k_ready_seconds}s; logs in $logs"
  fi
  # Each recorded PID must be the server itself (named as its program), or stop would miss it.
  local name pid start
  while read -r name pid start; do
    [ "$(basename "$(readlink "/proc/$pid/exe")")" = "$name" ] || {
      cmd_stop
      die "recorded pid $pid is not $name"
    }
  done <"$pids"
  write_env
  trap - EXIT
  log "running; source $env_file"
}

cmd_status() { server_status "git servers" "$pids" "$env_file" servers_answer; }

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
*)
  echo "usage: bash tests/servers/git.sh start|stop|status" >&2
  exit 2
  ;;
esac
