# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Process bookkeeping shared by the test server scripts (sourced, not run). A server is recorded in a
# pid file as "NAME PID STARTTIME" lines; STARTTIME is the kernel's start time of the process, so a
# recycled PID is never taken for the server. Servers are signalled by PID only, never by name.

# proc_field PID N: the Nth field of /proc/PID/stat after the command name (1 = state, 20 = start time).
# The command name is in parentheses and may hold spaces, so the line is cut after the last ')'.
proc_field() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  # shellcheck disable=SC2086
  set -- $stat "$2"
  local n=${!#}
  [ "$n" -le $(($# - 1)) ] || return 1
  echo "${!n}"
}

# proc_alive PID STARTTIME: the recorded process still runs (an exited, unreaped zombie counts as gone).
proc_alive() {
  local state start
  state=$(proc_field "$1" 1) || return 1
  start=$(proc_field "$1" 20) || return 1
  [ "$start" = "$2" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# proc_record PIDFILE NAME PID: appends the process with its start time; fails if it already exited.
proc_record() {
  local start
  start=$(proc_field "$3" 20) || {
    echo "$2 (pid $3) exited at once" >&2
    return 1
  }
  echo "$2 $3 $start" >>"$1"
}

# procs_all_alive PIDFILE: every recorded process runs; prints the ones that do not.
procs_all_alive() {
  local name pid start ok=0
  [ -s "$1" ] || return 1
  while read -r name pid start; do
    [ -n "${start:-}" ] || continue
    if ! proc_alive "$pid" "$start"; then
      echo "$name (pid $pid) is not running"
      ok=1
    fi
  done <"$1"
  return $ok
}

# procs_any_alive PIDFILE: at least one recorded process still runs.
procs_any_alive() {
  local name pid start
  [ -s "$1" ] || return 1
  while read -r name pid start; do
    [ -n "${start:-}" ] || continue
    proc_alive "$pid" "$start" && return 0
  done <"$1"
  return 1
}

# procs_stop PIDFILE: stops the recorded processes newest first (TERM, then KILL after 5 s) and
# removes the file.
procs_stop() {
  local name pid start _
  [ -f "$1" ] || return 0
  while read -r name pid start; do
    [ -n "${start:-}" ] || continue
    proc_alive "$pid" "$start" || continue
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
      proc_alive "$pid" "$start" || break
      sleep 0.1
    done
    if proc_alive "$pid" "$start"; then
      echo "$name (pid $pid) ignored TERM; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done < <(tac "$1")
  rm -f "$1"
}

# port_open PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_until SECONDS CMD...: polls CMD every 0.1 s until it succeeds or SECONDS have passed.
wait_until() {
  local limit=$1 _
  shift
  for _ in $(seq $((limit * 10))); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  "$@" >/dev/null 2>&1
}

# npm_ensure DIR PACKAGE VERSION: installs exactly PACKAGE@VERSION into DIR/node_modules unless that version
# is there already (npm's output goes to DIR/install.log). Prints why and fails when it cannot.
npm_ensure() {
  local dir=$1 package=$2 version=$3
  local installed="$dir/node_modules/$package/package.json"
  if [ -f "$installed" ] && grep -q "\"version\": \"$version\"" "$installed"; then
    return 0
  fi
  if ! command -v npm >/dev/null; then
    echo "'npm' is missing: run bash scripts/install-deps.sh --tests" >&2
    return 1
  fi
  echo "installing $package@$version into $dir" >&2
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"private":true}' >"$dir/package.json"
  if ! (cd "$dir" && npm install --no-audit --no-fund --ignore-scripts --save-exact "$package@$version") \
    >"$dir/install.log" 2>&1; then
    echo "npm install of $package@$version failed; see $dir/install.log" >&2
    return 1
  fi
}

# server_status LABEL PIDFILE ENVFILE CHECK...: "LABEL: running" and success when every recorded process
# runs, CHECK succeeds and the env file exists; otherwise "LABEL: not running" with what is missing.
server_status() {
  local label=$1 pidfile=$2 env_file=$3 problems
  shift 3
  if problems=$(procs_all_alive "$pidfile") && "$@" && [ -f "$env_file" ]; then
    echo "$label: running (env: $env_file)"
    return 0
  fi
  echo "$label: not running${problems:+: }$(echo "$problems" | paste -sd, -)"
  return 1
}

# server_port DIR VARIABLE DEFAULT: the port named by the environment variable VARIABLE when it is set,
# else the one `start` recorded in DIR/ports (so that `status` and `stop` find servers started on other
# ports without the variable), else DEFAULT.
server_port() {
  local recorded
  if [ -n "${!2:-}" ]; then
    echo "${!2}"
  elif recorded=$(grep -s "^$2=" "$1/ports" | cut -d= -f2) && [ -n "$recorded" ]; then
    echo "$recorded"
  else
    echo "$3"
  fi
}

# record_ports DIR VARIABLE=PORT...: what server_port reads back.
record_ports() {
  mkdir -p "$1"
  local dir=$1
  shift
  printf '%s\n' "$@" >"$dir/ports"
}
