#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The git_clone pull step against the loopback git servers: tokens per provider, secrets, HTTPS, SSH,
# branch/tag/commit selection, pinning, submodules, sparse directories, depth, the cache, failures.
source "$(dirname "$0")/lib.sh"
use_servers git
make_flow_project

HTTP_HOST=${SYNTASK_GIT_HTTP_URL#http://}
ALL="$TEST_ROOT/all-output"
: >"$ALL"
collect() { cat "$OUT" "$ERR" >>"$ALL"; }

# deploy_pull NAME STEP_ARGS_YAML: a deployment NAME whose pull step is git_clone with these argument
# lines (indented by the caller's text), deployed with --no-prompt. --no-verify: this suite deploys
# steps that fail on purpose, to see how the pull fails (test_git_deploy.sh covers deploy's own check).
deploy_pull() {
  cat >syntask.yaml <<YAML
deployments:
- name: $1
  entrypoint: flows/hello.py:hello
  work_pool: {name: default}
  pull:
  - syntask.deployments.steps.git_clone:
$2
YAML
  syn deploy --name "$1" --no-prompt --no-verify
  expect_ok
}

# pull_into NAME DIR: runs the pull steps of hello/NAME in DIR (created), JSON on stdout.
pull_into() {
  mkdir -p "$2"
  syn pull "hello/$1" --dir "$2" --json
  collect
}

head_of() { git -C "$1" rev-parse HEAD; }
server_head() { git --git-dir="$SYNTASK_GIT_REPOS/$1.git" rev-parse "$2"; }

# deploy_ssh: hello/ssh clones flows.git over SSH.
deploy_ssh() { deploy_pull ssh "      repository: $SYNTASK_GIT_SSH_URL/flows.git"; }


ssh_home() { # ssh_home NAME KEY_FILE:TARGET_NAME...: a fresh HOME whose ~/.ssh holds these keys
  local home="$TEST_ROOT/ssh-home-$1" spec
  shift
  mkdir -p "$home/.ssh"
  cp "$SYNTASK_GIT_KNOWN_HOSTS" "$home/.ssh/known_hosts"
  for spec in "$@"; do
    cp "${spec%%:*}" "$home/.ssh/${spec##*:}"
    chmod 600 "$home/.ssh/${spec##*:}"
  done
  echo "$home"
}
# libssh2 1.10 leaks OpenSSL objects when it loads an ECDSA key, and the leak's stack (inside libcrypto)
# has no libssh2 frame for tests/lsan.supp to name: under LeakSanitizer the ECDSA cases are left out.
ssh_kinds=("ed25519:$SYNTASK_GIT_SSH_KEY")
second_key="$SYNTASK_GIT_SSH_KEY:id_ecdsa"
if [[ "${ASAN_OPTIONS:-}" != *detect_leaks=1* ]]; then
  ssh_kinds+=("ecdsa:$SYNTASK_GIT_SSH_ECDSA_KEY")
  second_key="$SYNTASK_GIT_SSH_ECDSA_KEY:id_ecdsa"
fi

# The server copy REPO2 and hello/cached, which clones it (made once).
REPO2="clone-cache-$$"
given_cache_repo() {
  [ -z "${CACHE_REPO_MADE:-}" ] || return 0
  git_copy_repo flows "$REPO2"
  deploy_pull cached "      repository: $SYNTASK_GIT_HTTP_URL/$REPO2.git
      access_token: $SYNTASK_GIT_TOKEN"
  CACHE_REPO_MADE=1
}

# pull_through_cache: concurrent pulls of hello/cached share one mirror; a later pull fetches what
# changed (NEWER, main's new tip) into the existing clone.
pull_through_cache() {
  given_cache_repo
  pids=()
  for i in 1 2 3 4; do
    mkdir -p "$TEST_ROOT/c$i"
    "$SYNTASK_BIN" pull hello/cached --dir "$TEST_ROOT/c$i" >"$TEST_ROOT/c$i.out" 2>&1 </dev/null &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do
    wait "$pid" || fail "a concurrent pull failed: $(cat "$TEST_ROOT"/c*.out)"
  done
  [ "$(find "$SYNTASK_HOME/git-cache" -maxdepth 1 -name '*.git' | wc -l)" -ge 1 ] || fail "no mirror in the cache"
  NEWER=$(git_push_change "$REPO2" main person.txt "newer")
  pull_into cached "$TEST_ROOT/c1"
  expect_ok
  stderr_has "updating"
  [ "$(head_of "$TEST_ROOT/c1/$REPO2")" = "$NEWER" ] || fail "existing clone updated"
}

# given_cache_used: the cache holds a mirror of flows.git and, used last, the mirror of REPO2 at NEWER.
given_cache_used() {
  [ -z "${NEWER:-}" ] || return 0
  deploy_pull token "      repository: $SYNTASK_GIT_HTTP_URL/flows.git
      access_token: $SYNTASK_GIT_TOKEN"
  pull_into token "$TEST_ROOT/w-cache-other"
  expect_ok
  pull_through_cache
}

ACCESS_LOG="$SYNTASK_TEST_SERVERS_DIR/git/logs/nginx-access.log"
requests_since() { # requests_since MARK AGENT: successful requests since line MARK of the log, by agent
  tail -n +"$(($1 + 1))" "$ACCESS_LOG" | grep -c "\" 200 .*\"git/2.0 ($2 " || true
}

# Token, as access_token, over plain HTTP: depth 1 by default.
case_access_token() {
  deploy_pull token "      repository: $SYNTASK_GIT_HTTP_URL/flows.git
      access_token: $SYNTASK_GIT_TOKEN"
  pull_into token "$TEST_ROOT/w1"
  expect_ok
  [ "$(json_get 'd["working_directory"]')" = "$TEST_ROOT/w1/flows" ] || fail "clone directory"
  [ -f "$TEST_ROOT/w1/flows/person.txt" ] || fail "non-Python files are checked out"
  [ "$(git -C "$TEST_ROOT/w1/flows" rev-list --count HEAD)" = 1 ] || fail "depth 1 by default"
  [ "$(head_of "$TEST_ROOT/w1/flows")" = "$(server_head flows main)" ] || fail "main's tip"
  [ "$(git -C "$TEST_ROOT/w1/flows" remote get-url origin)" = "$SYNTASK_GIT_HTTP_URL/flows.git" ] ||
    fail "origin URL"
  ! grep -rqF "$SYNTASK_GIT_TOKEN" "$TEST_ROOT/w1/flows/.git/config" || fail "token written to .git/config"
}

# Each provider's token style, through credentials blocks (the provider comes from the block type).
case_provider_blocks() {
  printf '%s' "$SYNTASK_GIT_TOKEN" >"$TEST_ROOT/token"
  for block in github-credentials:gh gitlab-credentials:gl bitbucket-credentials:bb; do
    syn_in "$SYNTASK_GIT_TOKEN" block create "${block%%:*}" "${block##*:}" --value-stdin
    expect_ok
    deploy_pull "${block##*:}" "      repository: $SYNTASK_GIT_HTTP_URL/private.git
      credentials: << syntask.blocks.${block%%:*}.${block##*:} >>"
    pull_into "${block##*:}" "$TEST_ROOT/p-${block##*:}"
    expect_ok
    [ -f "$TEST_ROOT/p-${block##*:}/private/flows/hello.py" ] || fail "private clone with ${block%%:*}"
  done
  # GitLab deploy token: USER:TOKEN; Bitbucket with a user name field.
  syn_in "deploy-user:$SYNTASK_GIT_TOKEN" block create gitlab-credentials deploy --value-stdin
  expect_ok
  deploy_pull gldeploy "      repository: $SYNTASK_GIT_HTTP_URL/private.git
      credentials: << syntask.blocks.gitlab-credentials.deploy >>"
  pull_into gldeploy "$TEST_ROOT/p-gldeploy"
  expect_ok
  syn_in "$SYNTASK_GIT_TOKEN" block create bitbucket-credentials bbuser --value-stdin --field username=deploy-user
  expect_ok
  deploy_pull bbuser "      repository: $SYNTASK_GIT_HTTP_URL/private.git
      credentials: << syntask.blocks.bitbucket-credentials.bbuser >>"
  pull_into bbuser "$TEST_ROOT/p-bbuser"
  expect_ok
  # GitHub and GitLab blocks with a username: it is the HTTP user and the token its password, so a user
  # the server knows clones and one it does not is refused.
  for type in github-credentials gitlab-credentials; do
    for user in deploy-user stranger-user; do
      syn_in "$SYNTASK_GIT_TOKEN" block create "$type" "$user" --value-stdin --field "username=$user"
      expect_ok
      deploy_pull "$type-$user" "      repository: $SYNTASK_GIT_HTTP_URL/private.git
      credentials: << syntask.blocks.$type.$user >>"
      pull_into "$type-$user" "$TEST_ROOT/u-$type-$user"
      if [ "$user" = deploy-user ]; then
        expect_ok
        [ -f "$TEST_ROOT/u-$type-$user/private/flows/hello.py" ] || fail "clone with $type and a username"
      else
        expect_status 1 "authentication failed for '$SYNTASK_GIT_HTTP_URL/private.git'"
      fi
    done
  done
}

# A wrong token: one line, no token anywhere, not retried, nothing left behind.
case_wrong_token() {
  syn_in "wrong-token-$RANDOM$RANDOM" block create secret wrong --value-stdin
  expect_ok
  deploy_pull wrong "      repository: $SYNTASK_GIT_HTTP_URL/private.git
      access_token: << syntask.blocks.secret.wrong >>"
  pull_into wrong "$TEST_ROOT/w-wrong"
  expect_status 1 "authentication failed for 'http://127.0.0.1:8081/private.git'"
  stderr_has "authentication failed for '$SYNTASK_GIT_HTTP_URL/private.git'"
  stderr_lacks "attempt 1 of 3"
  [ -z "$(ls -A "$TEST_ROOT/w-wrong")" ] || fail "a failed clone left files behind"
}

# The whole clone URL in a secret block (token inside): works and is never shown.
case_secret_url() {
  SECRET_URL="http://tokenuser:$SYNTASK_GIT_TOKEN@$HTTP_HOST/private.git"
  syn_in "$SECRET_URL" block create secret clone-url --value-stdin
  expect_ok
  deploy_pull secreturl "      repository: << syntask.blocks.secret.clone-url >>"
  pull_into secreturl "$TEST_ROOT/w-secret"
  expect_ok
  [ -f "$TEST_ROOT/w-secret/private/person.txt" ] || fail "clone from a secret URL"
  ! grep -qF "$SYNTASK_GIT_TOKEN" "$TEST_ROOT/w-secret/private/.git/config" || fail "secret URL token stored"
  syn_in "http://tokenuser:$SYNTASK_GIT_TOKEN@$HTTP_HOST/missing-$RANDOM.git" block create secret bad-url --value-stdin
  deploy_pull badurl "      repository: << syntask.blocks.secret.bad-url >>"
  pull_into badurl "$TEST_ROOT/w-badurl"
  expect_status 1 "not found"
  stderr_has "repository '********' not found"
  stderr_lacks "$HTTP_HOST/missing"
}

# HTTPS with the test CA from GIT_SSL_CAINFO; without it the certificate is refused.
case_https() {
  deploy_pull https "      repository: $SYNTASK_GIT_HTTPS_URL/flows.git
      access_token: $SYNTASK_GIT_TOKEN"
  GIT_SSL_CAINFO="$SYNTASK_GIT_CA_FILE" pull_into https "$TEST_ROOT/w-https"
  expect_ok
  [ -f "$TEST_ROOT/w-https/flows/person.txt" ] || fail "HTTPS clone"
  GIT_SSL_CAINFO=/etc/ssl/certs/ca-certificates.crt pull_into https "$TEST_ROOT/w-https-bad"
  expect_status 1 "is not trusted"
  stderr_has "is not trusted"
}

# SSH: the right key, the wrong key, an unknown host key and the opt-out.
case_ssh_key() {
  deploy_ssh
  export HOME="$TEST_ROOT/home-ssh"
  mkdir -p "$HOME/.ssh"
  SYNTASK_SSH_KEY="$SYNTASK_GIT_SSH_KEY" SYNTASK_SSH_KNOWN_HOSTS="$SYNTASK_GIT_KNOWN_HOSTS" \
    pull_into ssh "$TEST_ROOT/w-ssh"
  expect_ok
  [ -f "$TEST_ROOT/w-ssh/flows/flows/hello.py" ] || fail "SSH clone"
  SYNTASK_SSH_KEY="$SYNTASK_GIT_SSH_WRONG_KEY" SYNTASK_SSH_KNOWN_HOSTS="$SYNTASK_GIT_KNOWN_HOSTS" \
    pull_into ssh "$TEST_ROOT/w-ssh-wrong"
  expect_status 1 "authentication failed for 'ssh://"
  stderr_has "authentication failed for 'ssh://"
  SYNTASK_SSH_KEY="$SYNTASK_GIT_SSH_KEY" pull_into ssh "$TEST_ROOT/w-ssh-unknown"
  expect_status 1 "host key of '127.0.0.1' is unknown"
  stderr_has "host key of '127.0.0.1' is unknown"
  SYNTASK_SSH_KEY="$SYNTASK_GIT_SSH_KEY" SYNTASK_SSH_INSECURE_HOST_KEY=1 pull_into ssh "$TEST_ROOT/w-ssh-insecure"
  expect_ok
}

# A known_hosts entry with another key for the host: refused, whatever the opt-in variables say about
# unknown hosts being a different case.
case_ssh_changed_host_key() {
  deploy_ssh
  mkdir -p "$TEST_ROOT/changed"
  ssh-keygen -q -t ed25519 -N '' -f "$TEST_ROOT/changed/impostor"
  echo "[127.0.0.1]:$SYNTASK_GIT_SSH_PORT $(cut -d' ' -f1,2 "$TEST_ROOT/changed/impostor.pub")" >"$TEST_ROOT/changed/known_hosts"
  SYNTASK_SSH_KEY="$SYNTASK_GIT_SSH_KEY" SYNTASK_SSH_KNOWN_HOSTS="$TEST_ROOT/changed/known_hosts" \
    pull_into ssh "$TEST_ROOT/w-ssh-changed"
  expect_status 1 "host key of '127.0.0.1' does not match the one in known_hosts"
  stderr_has "host key of '127.0.0.1' does not match the one in known_hosts"
  [ -z "$(ls -A "$TEST_ROOT/w-ssh-changed")" ] || fail "a refused host left files behind"
}

# Without SYNTASK_SSH_KEY: keys from ~/.ssh (ed25519, ecdsa, rsa; a refused one is followed by the next)
# and from an SSH agent, with the host checked against ~/.ssh/known_hosts.
case_ssh_keys_from_home() {
  deploy_ssh
  for kind in "${ssh_kinds[@]}"; do
    home=$(ssh_home "${kind%%:*}" "${kind#*:}:id_${kind%%:*}")
    HOME="$home" SSH_AUTH_SOCK='' pull_into ssh "$TEST_ROOT/w-home-${kind%%:*}"
    expect_ok
    [ -f "$TEST_ROOT/w-home-${kind%%:*}/flows/person.txt" ] || fail "clone with ~/.ssh/id_${kind%%:*}"
  done
  home=$(ssh_home fallback "$SYNTASK_GIT_SSH_WRONG_KEY:id_ed25519" "$second_key")
  HOME="$home" SSH_AUTH_SOCK='' pull_into ssh "$TEST_ROOT/w-home-fallback"
  expect_ok
  # RSA: libssh2 1.10 (Debian 12) signs only with SHA-1, which OpenSSH 9 refuses; the error says so.
  home=$(ssh_home rsa "$SYNTASK_GIT_SSH_RSA_KEY:id_rsa")
  HOME="$home" SSH_AUTH_SOCK='' pull_into ssh "$TEST_ROOT/w-home-rsa"
  if [ "$STATUS" != 0 ]; then
    stderr_has "an RSA key was offered: this build's libssh2 signs RSA with SHA-1"
  fi
  home=$(ssh_home refused "$SYNTASK_GIT_SSH_WRONG_KEY:id_ed25519")
  HOME="$home" SSH_AUTH_SOCK='' pull_into ssh "$TEST_ROOT/w-home-refused"
  expect_status 1 "authentication failed for 'ssh://"
  stderr_has "authentication failed for 'ssh://"
}

# Keys from an SSH agent (an agent of our own, stopped by its PID), tried before the files of ~/.ssh.
case_ssh_agent() {
  deploy_ssh
  ssh-agent -D -a "$TEST_ROOT/agent.sock" >/dev/null 2>&1 &
  track_pid $!
  for _ in $(seq 50); do [ -S "$TEST_ROOT/agent.sock" ] && break; sleep 0.1; done
  SSH_AUTH_SOCK="$TEST_ROOT/agent.sock" ssh-add -q "$SYNTASK_GIT_SSH_WRONG_KEY" 2>/dev/null
  home=$(ssh_home agent-wrong "$second_key")
  HOME="$home" SSH_AUTH_SOCK="$TEST_ROOT/agent.sock" pull_into ssh "$TEST_ROOT/w-agent-then-file"
  expect_ok
  SSH_AUTH_SOCK="$TEST_ROOT/agent.sock" ssh-add -q "$SYNTASK_GIT_SSH_KEY" 2>/dev/null
  home=$(ssh_home agent)
  HOME="$home" SSH_AUTH_SOCK="$TEST_ROOT/agent.sock" pull_into ssh "$TEST_ROOT/w-agent"
  expect_ok
  [ -f "$TEST_ROOT/w-agent/flows/person.txt" ] || fail "clone with a key from the SSH agent"
}

# git:// needs no credentials.
case_git_daemon() {
  deploy_pull daemon "      repository: $SYNTASK_GIT_DAEMON_URL/flows.git
      branch: develop"
  pull_into daemon "$TEST_ROOT/w-daemon"
  expect_ok
  [ -f "$TEST_ROOT/w-daemon/flows/develop.txt" ] || fail "develop branch"
}

# Branch, tag, commit; full depth.
case_branch_tag_depth() {
  deploy_pull tag "      repository: $SYNTASK_GIT_DAEMON_URL/flows.git
      branch: v1"
  pull_into tag "$TEST_ROOT/w-tag"
  expect_ok
  [ "$(head_of "$TEST_ROOT/w-tag/flows")" = "$(server_head flows 'v1^{commit}')" ] || fail "tag v1"
  deploy_pull full "      repository: $SYNTASK_GIT_DAEMON_URL/flows.git
      depth: 0"
  pull_into full "$TEST_ROOT/w-full"
  expect_ok
  [ "$(git -C "$TEST_ROOT/w-full/flows" rev-list --count HEAD)" -ge 3 ] || fail "depth 0 is the full history"
  deploy_pull nobranch "      repository: $SYNTASK_GIT_DAEMON_URL/flows.git
      branch: no-such-branch"
  pull_into nobranch "$TEST_ROOT/w-nobranch"
  expect_status 1 "branch 'no-such-branch' not found in"
  stderr_has "branch 'no-such-branch' not found in '$SYNTASK_GIT_DAEMON_URL/flows.git'"
}

# A pinned commit after the branch moved on (depth 1 does not reach it: the step fetches deeper).
case_pinned_commit() {
  REPO="clone-pin-$$"
  git_copy_repo flows "$REPO"
  PINNED=$(server_head "$REPO" main)
  git_push_change "$REPO" main person.txt "moved on" >/dev/null
  deploy_pull pinned "      repository: $SYNTASK_GIT_HTTP_URL/$REPO.git
      access_token: $SYNTASK_GIT_TOKEN
      branch: main
      commit_sha: $PINNED"
  pull_into pinned "$TEST_ROOT/w-pinned"
  expect_ok
  [ "$(head_of "$TEST_ROOT/w-pinned/$REPO")" = "$PINNED" ] || fail "pinned commit checked out"
  deploy_pull badcommit "      repository: $SYNTASK_GIT_HTTP_URL/$REPO.git
      access_token: $SYNTASK_GIT_TOKEN
      commit_sha: 0123456789abcdef0123456789abcdef01234567"
  pull_into badcommit "$TEST_ROOT/w-badcommit"
  expect_status 1 "commit '0123456789abcdef0123456789abcdef01234567' not found in"
  stderr_has "commit '0123456789abcdef0123456789abcdef01234567' not found"
}

# Submodules and sparse directories.
case_submodules_and_sparse() {
  deploy_pull submodules "      repository: $SYNTASK_GIT_DAEMON_URL/with-submodule.git
      include_submodules: true"
  pull_into submodules "$TEST_ROOT/w-sub"
  # That repository holds no flow, so the pull itself ends with "no flow file"; the clone is what counts.
  stderr_has "there is no flow file"
  [ -f "$TEST_ROOT/w-sub/with-submodule/sub/sub.txt" ] || fail "submodule checked out"
  deploy_pull sparse "      repository: $SYNTASK_GIT_DAEMON_URL/flows.git
      directories: [flows]"
  pull_into sparse "$TEST_ROOT/w-sparse"
  expect_ok
  [ -f "$TEST_ROOT/w-sparse/flows/flows/hello.py" ] || fail "sparse directory checked out"
  [ ! -e "$TEST_ROOT/w-sparse/flows/data/big.csv" ] || fail "sparse checkout materialised data/"
}

# The cache: concurrent pulls share one mirror; a later pull fetches what changed; an existing clone is
# updated in place; cache: false and SYNTASK_GIT_NO_CACHE=1 leave no mirror.
case_cache() {
  pull_through_cache
}

# syntask cache ls shows each mirror by its URL without credentials (a URL holding a secret shows as
# ********), with its size, the last used first; clear --unused-for keeps what was just used; clear
# removes every file of the cache, and the next pull clones anew.
case_cache_commands() {
  given_cache_used
  syn cache ls --json
  expect_ok
  collect
  python3 - "$OUT" "$SYNTASK_GIT_HTTP_URL/$REPO2.git" <<'PY' || fail "cache ls: $(cat "$OUT")"
import json, sys
repositories = json.load(open(sys.argv[1]))["git"]["repositories"]
rows = [row for row in repositories if row["url"] == sys.argv[2]]
assert len(rows) == 1 and rows[0]["bytes"] > 0, repositories
assert len(repositories) > 1 and repositories[0] == rows[0], "the last used comes first"
PY
  ! grep -qF "$SYNTASK_GIT_TOKEN" "$SYNTASK_HOME/git-cache"/*.url || fail "a token in the cache's URL records"
  syn cache ls
  expect_ok
  stdout_has "$SYNTASK_GIT_HTTP_URL/$REPO2.git"
  syn cache clear --git --unused-for 1
  expect_ok
  stdout_has "Removed 0 repositories (0 B) from the git clone cache."
  syn cache clear --git --json
  expect_ok
  [ "$(json_get 'len(d["removed"]["git"])')" -gt 1 ] || fail "cache clear: $(cat "$OUT")"
  [ -z "$(ls -A "$SYNTASK_HOME/git-cache")" ] || fail "cache clear left $(ls -A "$SYNTASK_HOME/git-cache")"
  pull_into cached "$TEST_ROOT/c-cleared"
  expect_ok
  [ "$(head_of "$TEST_ROOT/c-cleared/$REPO2")" = "$NEWER" ] || fail "a pull after cache clear"
  [ -n "$(find "$SYNTASK_HOME/git-cache" -maxdepth 1 -name '*.git')" ] || fail "no new mirror after cache clear"
  rm -rf "$SYNTASK_HOME/git-cache"
  SYNTASK_GIT_NO_CACHE=1 pull_into cached "$TEST_ROOT/c5"
  expect_ok
  [ ! -e "$SYNTASK_HOME/git-cache" ] || fail "SYNTASK_GIT_NO_CACHE=1 still used the cache"
  syn pull hello/cached --dir "$TEST_ROOT/c-no-cache" --no-cache
  expect_ok
  [ ! -e "$SYNTASK_HOME/git-cache" ] || fail "pull --no-cache still used the cache"
}

# The cache holds one commit of main (depth 1). A pull pinned to it is checked out without the server
# (its files from the tree's snapshot the first clone kept), a pull pinned to an older commit fetches
# deeper, and a pull following the branch still asks the server.
case_shallow_cache() {
  REPO3="clone-shallow-$$"
  git_copy_repo flows "$REPO3"
  INTEGRATION_REPOS+=("$SYNTASK_GIT_REPOS/$REPO3.away")
  OLDER=$(server_head "$REPO3" main)
  TIP=$(git_push_change "$REPO3" main person.txt "tip")
  shallow_step() {
    printf '      repository: %s\n      access_token: %s\n      branch: main' \
      "$SYNTASK_GIT_HTTP_URL/$REPO3.git" "$SYNTASK_GIT_TOKEN"
    [ -z "$1" ] || printf '\n      commit_sha: %s' "$1"
  }
  deploy_pull shallow-tip "$(shallow_step "$TIP")"
  pull_into shallow-tip "$TEST_ROOT/s1"
  expect_ok
  [ -n "$(find "$SYNTASK_HOME/git-cache" -maxdepth 2 -name shallow -size +0)" ] || fail "the cache is shallow"
  [ -n "$(find "$SYNTASK_HOME/git-cache" -path '*.snapshots/*' -type f)" ] || fail "no snapshot of the tree"
  deploy_pull shallow-older "$(shallow_step "$OLDER")"
  pull_into shallow-older "$TEST_ROOT/s2"
  expect_ok
  [ "$(head_of "$TEST_ROOT/s2/$REPO3")" = "$OLDER" ] || fail "an older pinned commit fetched into the cache"
  mv "$SYNTASK_GIT_REPOS/$REPO3.git" "$SYNTASK_GIT_REPOS/$REPO3.away"
  pull_into shallow-tip "$TEST_ROOT/s3"
  expect_ok
  [ "$(head_of "$TEST_ROOT/s3/$REPO3")" = "$TIP" ] || fail "pinned commit checked out from the cache"
  [ -z "$(git -C "$TEST_ROOT/s3/$REPO3" status --porcelain)" ] || fail "a clone from the cache is not clean"
  git -C "$TEST_ROOT/s3/$REPO3" fsck --no-progress >"$TEST_ROOT/fsck.out" 2>&1 ||
    fail "fsck: $(cat "$TEST_ROOT/fsck.out")"
  diff -r -x .git "$TEST_ROOT/s1/$REPO3" "$TEST_ROOT/s3/$REPO3" >/dev/null || fail "clones of one commit differ"
  deploy_pull shallow-follow "$(shallow_step "")"
  pull_into shallow-follow "$TEST_ROOT/s4"
  expect_status 1 "not found"
  stderr_has "not found"
  mv "$SYNTASK_GIT_REPOS/$REPO3.away" "$SYNTASK_GIT_REPOS/$REPO3.git"
}

# Protocol v2: a new shallow clone over HTTP asks the server three times (capabilities, ls-refs, one
# fetch) where libgit2's protocol v0 needs a fourth round for the shallow boundary; the result is a
# complete shallow clone. An annotated tag goes the same way. A server speaking only v0, and
# SYNTASK_GIT_PROTOCOL=0, get libgit2's fetch.
case_protocol_v2() {
  deploy_pull v2 "      repository: $SYNTASK_GIT_HTTP_URL/flows.git
      access_token: $SYNTASK_GIT_TOKEN
      branch: v1"
  mark=$(wc -l <"$ACCESS_LOG")
  mkdir -p "$TEST_ROOT/w-v2"
  syn --log-level debug pull hello/v2 --dir "$TEST_ROOT/w-v2" --no-cache
  collect
  expect_ok
  stderr_has "git: fetched refs/tags/v1 over protocol v2"
  [ "$(requests_since "$mark" syntask)" = 3 ] || fail "protocol v2: capabilities, ls-refs and one fetch"
  [ "$(requests_since "$mark" libgit2)" = 0 ] || fail "protocol v2: libgit2 fetched as well"
  V2_CLONE="$TEST_ROOT/w-v2/flows"
  [ "$(head_of "$V2_CLONE")" = "$(server_head flows 'v1^{commit}')" ] || fail "protocol v2: tag v1"
  [ "$(git -C "$V2_CLONE" rev-list --count HEAD)" = 1 ] || fail "protocol v2: depth 1"
  [ -s "$V2_CLONE/.git/shallow" ] || fail "protocol v2: no shallow boundary recorded"
  git -C "$V2_CLONE" fsck --no-progress >/dev/null 2>&1 || fail "protocol v2: git fsck finds damage"
  [ -z "$(git -C "$V2_CLONE" status --porcelain)" ] || fail "protocol v2: the clone is not clean"

  deploy_pull v0server "      repository: $SYNTASK_GIT_HTTP_URL/v0/flows.git
      access_token: $SYNTASK_GIT_TOKEN"
  mkdir -p "$TEST_ROOT/w-v0"
  syn --log-level debug pull hello/v0server --dir "$TEST_ROOT/w-v0" --no-cache
  collect
  expect_ok
  stderr_has "fetching through libgit2 (protocol v0): the server does not speak protocol v2"
  [ "$(head_of "$TEST_ROOT/w-v0/flows")" = "$(server_head flows main)" ] || fail "v0 server: main's tip"

  mark=$(wc -l <"$ACCESS_LOG")
  mkdir -p "$TEST_ROOT/w-v0-forced"
  SYNTASK_GIT_PROTOCOL=0 syn --log-level debug pull hello/v2 --dir "$TEST_ROOT/w-v0-forced" --no-cache
  collect
  expect_ok
  stderr_lacks "over protocol v2"
  [ "$(requests_since "$mark" syntask)" = 0 ] || fail "SYNTASK_GIT_PROTOCOL=0 still spoke protocol v2"
  [ "$(head_of "$TEST_ROOT/w-v0-forced/flows")" = "$(server_head flows 'v1^{commit}')" ] ||
    fail "SYNTASK_GIT_PROTOCOL=0: tag v1"
}

# A destination holding something else is refused.
case_destination_not_a_clone() {
  given_cache_repo
  mkdir -p "$TEST_ROOT/c6/$REPO2" && echo x >"$TEST_ROOT/c6/$REPO2/file"
  pull_into cached "$TEST_ROOT/c6"
  expect_status 1 "exists and is not a clone of"
  stderr_has "exists and is not a clone of"
}

# Network unreachable: one line after the retries.
case_network_unreachable() {
  deploy_pull down "      repository: http://127.0.0.1:9/flows.git"
  pull_into down "$TEST_ROOT/w-down"
  expect_status 1 "network unreachable: cannot reach 'http://127.0.0.1:9/flows.git'"
  stderr_has "network unreachable"
  stderr_has "attempt 2 of 3 failed"
}

# Ctrl-C (SIGINT) in the middle of a clone: exit status 130, no temporary clone left beside the
# destination and no clone in it.
case_ctrl_c_mid_clone() {
  REPO3="clone-interrupt-$$"
  git_copy_repo flows "$REPO3"
  BIG_TREE=$(mktemp -d "$TEST_ROOT/big.XXXXXX")
  git clone -q "$(git_http_url "$REPO3")" "$BIG_TREE" >/dev/null 2>&1 ||
    fail "cannot clone '$REPO3.git' to add a large file"
  head -c 100000000 /dev/urandom >"$BIG_TREE/big.bin"
  git -C "$BIG_TREE" add big.bin && git -C "$BIG_TREE" commit -q -m "A large file" &&
    git -C "$BIG_TREE" push -q origin HEAD:main >/dev/null 2>&1 || fail "cannot push a large file to '$REPO3.git'"
  rm -rf "$BIG_TREE"
  deploy_pull stopped "      repository: $SYNTASK_GIT_HTTP_URL/$REPO3.git
      access_token: $SYNTASK_GIT_TOKEN"
  mkdir -p "$TEST_ROOT/w-stopped"
  syn_background pull hello/stopped --dir "$TEST_ROOT/w-stopped" --no-cache
  interrupt_when "$TEST_ROOT/w-stopped/.$REPO3.syntask-tmp-*/.git/objects/pack/*"
  collect
  expect_status 130 "syntask: error: interrupted"
  stderr_has "interrupted"
  [ -z "$(ls -A "$TEST_ROOT/w-stopped")" ] ||
    fail "an interrupted clone left files behind: $(ls -A "$TEST_ROOT/w-stopped")"
}

run_cases

# Over every case run: no token in any output.
! grep -qF "$SYNTASK_GIT_TOKEN" "$ALL" || fail "a token reached the output"
