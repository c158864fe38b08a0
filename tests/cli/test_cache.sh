#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `syntask cache ls` and `syntask cache clear` on caches laid out as pulls and pushes leave them: sizes,
# the last use (the lock file's or the hash cache's mtime), the kinds and ages clear selects, and a lock
# file cleared while held. (test_git_clone.sh runs them on caches real pulls made.)
source "$(dirname "$0")/lib.sh"

GIT_CACHE="$SYNTASK_HOME/git-cache"
HASHES="$SYNTASK_HOME/cache/push-hashes"

mirror() { # KEY URL AGE
  mkdir -p "$GIT_CACHE/$1.git/objects/pack" "$GIT_CACHE/$1.snapshots"
  head -c 3000 /dev/urandom >"$GIT_CACHE/$1.git/objects/pack/pack-1.pack"
  head -c 1000 /dev/urandom >"$GIT_CACHE/$1.snapshots/tree"
  [ -z "$2" ] || echo "$2" >"$GIT_CACHE/$1.url"
  touch -d "$3" "$GIT_CACHE/$1.lock"
}

# given_caches: the caches emptied, then two mirrors: one used now, one three days ago; one without a
# recorded URL. Two hash caches, and a file that is not one.
given_caches() {
  rm -rf "$GIT_CACHE" "$HASHES"
  mirror aaaa "https://git.example/recent.git" "now"
  mirror bbbb "" "3 days ago"
  mkdir -p "$HASHES"
  echo '{"version": 1, "root": "/work/recent", "files": {}}' >"$HASHES/1111.json"
  echo '{"version": 1, "root": "/work/old", "files": {}}' >"$HASHES/2222.json"
  touch -d "5 days ago" "$HASHES/2222.json"
  echo 'not json' >"$HASHES/3333.json"
  touch -d "1 day ago" "$HASHES/3333.json"
}

# given_recent_caches: what the clears of the case clear_by_age_and_kind keep: the mirror used now and
# its hash cache.
given_recent_caches() {
  rm -rf "$GIT_CACHE" "$HASHES"
  mirror aaaa "https://git.example/recent.git" "now"
  mkdir -p "$HASHES"
  echo '{"version": 1, "root": "/work/recent", "files": {}}' >"$HASHES/1111.json"
}

case_empty_home() {
  rm -rf "$GIT_CACHE" "$HASHES"
  syn cache ls --json
  expect_ok
  [ "$(json_get '(d["git"]["repositories"], d["push_hashes"]["directories"])')" = "([], [])" ] ||
    fail "an empty home has empty caches"
  [ "$(json_get 'd["git"]["path"]')" = "$GIT_CACHE" ] || fail "git cache path"
}

case_ls_rows() {
  given_caches
  syn cache ls --json
  expect_ok
  [ "$(json_get '[(r["key"], r["url"], r["bytes"]) for r in d["git"]["repositories"]]')" = \
    "[('aaaa', 'https://git.example/recent.git', 4000), ('bbbb', '', 4000)]" ] || fail "git rows, newest first"
  [ "$(json_get '[r["directory"] for r in d["push_hashes"]["directories"]]')" = "['/work/recent', '', '/work/old']" ] ||
    fail "hash cache rows, newest first"
  json_get 'd["git"]["repositories"][1]["last_used"]' | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' ||
    fail "last_used is an ISO 8601 UTC time"
  syn cache ls
  expect_ok
  stdout_has "Git clone cache ($GIT_CACHE): 2 repositories, 7.8 KiB"
  stdout_has "https://git.example/recent.git"
  stdout_has "(URL not recorded) bbbb"
  stdout_has "Push hash caches ($HASHES): 3 directories"
  stdout_has "/work/old"
}

# Ages and kinds: only what is old enough, only the kind asked for.
case_clear_by_age_and_kind() {
  given_caches
  syn cache clear --push-hashes --unused-for 2 --json
  expect_ok
  [ "$(json_get '([r["directory"] for r in d["removed"]["push_hashes"]], d["removed"]["git"])')" = "(['/work/old'], [])" ] ||
    fail "clear --push-hashes --unused-for 2"
  [ -e "$GIT_CACHE/bbbb.git" ] && [ -e "$HASHES/1111.json" ] && [ ! -e "$HASHES/2222.json" ] ||
    fail "clear --push-hashes --unused-for 2 removed the wrong files"
  syn cache clear --unused-for 2
  expect_ok
  stdout_has "Removed 1 repository (3.9 KiB) from the git clone cache."
  stdout_has "Removed 0 push hash caches (0 B)."
  [ ! -e "$GIT_CACHE/bbbb.git" ] && [ ! -e "$GIT_CACHE/bbbb.snapshots" ] && [ ! -e "$GIT_CACHE/bbbb.lock" ] ||
    fail "a cleared repository left files: $(ls "$GIT_CACHE")"
  [ -e "$GIT_CACHE/aaaa.git" ] || fail "a recent repository was cleared"
  syn cache clear --unused-for -1
  expect_status 2 "--unused-for: expected a number of days, 0 or more"
  syn cache clear --unused-for 0.5
  expect_ok
  stdout_has "Removed 0 repositories"
  stdout_has "Removed 1 push hash cache ("
}

# A clear waits for a pull holding the repository's lock. It keeps a repository that pull used after the
# clear's --unused-for time (the pull marks it used while it holds the lock)...
case_clear_keeps_repository_used_while_waiting() {
  given_recent_caches
  mirror cccc "https://git.example/busy.git" "3 days ago"
  exec {lock}>>"$GIT_CACHE/cccc.lock"
  flock "$lock"
  # (The lock's descriptor is closed for the clear: an inherited copy would hold the lock for it.)
  "$SYNTASK_BIN" cache clear --git --unused-for 1 >"$TEST_ROOT/clear.out" 2>&1 </dev/null {lock}>&- &
  clear_pid=$!
  sleep 0.5
  kill -0 "$clear_pid" 2>/dev/null || fail "cache clear did not wait for the lock: $(cat "$TEST_ROOT/clear.out")"
  touch "$GIT_CACHE/cccc.lock"
  exec {lock}>&-
  wait "$clear_pid" || fail "cache clear after the lock: $(cat "$TEST_ROOT/clear.out")"
  grep -qF "Removed 0 repositories" "$TEST_ROOT/clear.out" || fail "cache clear: $(cat "$TEST_ROOT/clear.out")"
  [ -e "$GIT_CACHE/cccc.git" ] || fail "cache clear removed a repository used while it waited"
  rm -rf "$GIT_CACHE"/cccc.*
}

# ... and removes one it may remove.
case_clear_removes_repository_after_lock() {
  given_recent_caches
  exec {lock}>"$GIT_CACHE/aaaa.lock"
  flock "$lock"
  "$SYNTASK_BIN" cache clear --git >"$TEST_ROOT/clear.out" 2>&1 </dev/null {lock}>&- &
  clear_pid=$!
  sleep 0.5
  kill -0 "$clear_pid" 2>/dev/null || fail "cache clear did not wait for the lock: $(cat "$TEST_ROOT/clear.out")"
  [ -e "$GIT_CACHE/aaaa.git" ] || fail "cache clear removed a repository in use"
  exec {lock}>&-
  wait "$clear_pid" || fail "cache clear after the lock: $(cat "$TEST_ROOT/clear.out")"
  grep -qF "Removed 1 repository" "$TEST_ROOT/clear.out" || fail "cache clear: $(cat "$TEST_ROOT/clear.out")"
  [ -z "$(ls -A "$GIT_CACHE")" ] || fail "cache clear left $(ls -A "$GIT_CACHE")"
  syn cache clear
  expect_ok
  [ -z "$(ls -A "$HASHES")" ] || fail "cache clear left $(ls -A "$HASHES")"
}

case_help() {
  syn cache --help
  expect_ok
  stdout_has "ls"
  stdout_has "clear"
}

run_cases
