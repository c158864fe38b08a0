#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The loopback git servers themselves, checked with the git command line: each transport accepts the
# right credentials and refuses wrong ones, and the fixture repositories hold what the suites expect.
source "$(dirname "$0")/lib.sh"
use_servers git

clone_dir() { mktemp -d -u "$TEST_ROOT/clone.XXXXXX"; }

# clone_flows: a full clone of flows.git over git://, in $flows.
clone_flows() {
  flows=$(clone_dir)
  run_git clone "$SYNTASK_GIT_DAEMON_URL/flows.git" "$flows"
  expect_ok
}

# Smart HTTP: every token user is accepted.
case_http_users() {
  for user in $SYNTASK_GIT_USERS; do
    dest=$(clone_dir)
    run_git clone --depth 1 "$(git_http_url flows "$user")" "$dest"
    expect_ok
    [ -f "$dest/flows/hello.py" ] || fail "HTTP clone as '$user' lacks flows/hello.py"
  done
}

# Smart HTTP: a wrong token, an unknown user and no credentials are refused.
case_http_refused() {
  run_git ls-remote "$(git_http_url flows tokenuser wrong-token)"
  [ "$STATUS" -ne 0 ] || fail "a wrong token was accepted"
  stderr_has "Authentication failed"
  run_git ls-remote "$(git_http_url flows nobody)"
  [ "$STATUS" -ne 0 ] || fail "an unknown user was accepted"
  run_git ls-remote "$SYNTASK_GIT_HTTP_URL/flows.git"
  [ "$STATUS" -ne 0 ] || fail "a clone without credentials was accepted"
  run_git ls-remote "$(git_http_url missing)"
  [ "$STATUS" -ne 0 ] || fail "a missing repository was listed"
}

# HTTPS: trusted with the test CA only. The machine may export its own GIT_SSL_CAINFO, which beats
# http.sslCAInfo, so the variable itself is overridden.
case_https_test_ca() {
  dest=$(clone_dir)
  GIT_SSL_CAINFO="$SYNTASK_GIT_CA_FILE" run_git clone --depth 1 "$(git_https_url flows x-access-token)" "$dest"
  expect_ok
  [ -f "$dest/person.txt" ] || fail "HTTPS clone lacks person.txt"
  GIT_SSL_CAINFO=/etc/ssl/certs/ca-certificates.crt run_git ls-remote "$(git_https_url flows)"
  [ "$STATUS" -ne 0 ] || fail "the test certificate was trusted without the test CA"
  stderr_has "certificate"
  GIT_SSL_CAINFO="$SYNTASK_GIT_CA_FILE" run_git ls-remote "$(git_https_url flows tokenuser wrong-token)"
  [ "$STATUS" -ne 0 ] || fail "a wrong token was accepted over HTTPS"
  stderr_has "Authentication failed"
}

# SSH: the accepted key with the known_hosts file works; a wrong key or an unknown host key does not.
case_ssh_keys() {
  dest=$(clone_dir)
  GIT_SSH_COMMAND=$(git_ssh_command) run_git clone --depth 1 "$SYNTASK_GIT_SSH_URL/flows.git" "$dest"
  expect_ok
  [ -f "$dest/docs/readme.md" ] || fail "SSH clone lacks docs/readme.md"
  GIT_SSH_COMMAND=$(git_ssh_command "$SYNTASK_GIT_SSH_WRONG_KEY") run_git ls-remote "$SYNTASK_GIT_SSH_URL/flows.git"
  [ "$STATUS" -ne 0 ] || fail "a wrong SSH key was accepted"
  stderr_has "Permission denied (publickey)"
  : >"$TEST_ROOT/empty_known_hosts"
  GIT_SSH_COMMAND=$(git_ssh_command "" "$TEST_ROOT/empty_known_hosts") run_git ls-remote "$SYNTASK_GIT_SSH_URL/flows.git"
  [ "$STATUS" -ne 0 ] || fail "an unknown SSH host key was accepted"
  stderr_has "Host key verification failed"
}

# git://: open to everyone, read-only.
case_git_daemon() {
  dest=$(clone_dir)
  run_git clone --depth 1 "$SYNTASK_GIT_DAEMON_URL/flows.git" "$dest"
  expect_ok
  run_git ls-remote "$SYNTASK_GIT_DAEMON_URL/missing.git"
  [ "$STATUS" -ne 0 ] || fail "git daemon listed a missing repository"
}

# Fixture content: flows.git.
case_flows_fixture() {
  clone_flows
  for file in flows/hello.py person.txt data/big.csv docs/readme.md; do
    [ -f "$flows/$file" ] || fail "flows.git lacks $file"
  done
  grep -qF 'from syntask import flow' "$flows/flows/hello.py" || fail "hello.py does not import flow from syntask"
  grep -qF '@flow(name="hello")' "$flows/flows/hello.py" || fail "hello.py has no flow named hello"
  [ "$(git -C "$flows" rev-parse --abbrev-ref HEAD)" = main ] || fail "flows.git's default branch is not main"
  [ "$(git -C "$flows" rev-list --count main)" -ge 3 ] || fail "flows.git's main has fewer than 3 commits"
  git -C "$flows" rev-parse -q --verify refs/tags/v1 >/dev/null || fail "flows.git has no tag v1"
  git -C "$flows" rev-parse -q --verify refs/remotes/origin/develop >/dev/null || fail "flows.git has no develop branch"
  [ "$(git -C "$flows" rev-parse v1)" != "$(git -C "$flows" rev-parse main)" ] || fail "v1 should not be main's tip"
  [ "$(git -C "$flows" rev-parse origin/develop)" != "$(git -C "$flows" rev-parse main)" ] ||
    fail "develop should differ from main"
  git -C "$flows" cat-file -e v1:data/big.csv || fail "v1 lacks data/big.csv"
  ! git -C "$flows" cat-file -e v1:docs/readme.md 2>/dev/null || fail "v1 should predate docs/readme.md"
}

# private.git is a copy of flows.git.
case_private_fixture() {
  [ -n "${flows:-}" ] || clone_flows
  run_git ls-remote "$(git_http_url private)"
  expect_ok
  grep -q "^$(git -C "$flows" rev-parse main)	refs/heads/main$" "$OUT" || fail "private.git's main differs from flows.git's"
}

# with-submodule.git: the submodule points to sub.git over git://, so it needs no credentials.
case_submodule_fixture() {
  dest=$(clone_dir)
  run_git clone --recurse-submodules "$(git_http_url with-submodule)" "$dest"
  expect_ok
  [ "$(git -C "$dest" config -f .gitmodules submodule.sub.url)" = "$SYNTASK_GIT_DAEMON_URL/sub.git" ] ||
    fail "the submodule URL is not the git:// URL of sub.git"
  [ "$(cat "$dest/sub/sub.txt")" = "from the submodule" ] || fail "the submodule was not checked out"
}

# Suites can change a private copy of a fixture and see the change on every transport.
case_private_copy() {
  git_copy_repo flows "smoke-$$"
  sha=$(git_push_change "smoke-$$" main moved.txt "moved on")
  run_git ls-remote "$SYNTASK_GIT_DAEMON_URL/smoke-$$.git" refs/heads/main
  expect_ok
  stdout_has "$sha"
  GIT_SSH_COMMAND=$(git_ssh_command) run_git ls-remote "$SYNTASK_GIT_SSH_URL/smoke-$$.git" refs/heads/main
  expect_ok
  stdout_has "$sha"
  run_git ls-remote "$(git_http_url flows)" refs/heads/main
  expect_ok
  stdout_lacks "$sha"
}

run_cases
echo "git servers: all checks passed"
