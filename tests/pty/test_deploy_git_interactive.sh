#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Interactive `syntask deploy` in a git repository, through a pseudo-terminal: the pull questions in
# order, a private repository's token saved as a secret block without echo, the generated git_clone
# pull step (pinned to HEAD), reuse of a saved token, and SSH remotes that need no token.
source "$(dirname "$0")/../cli/lib.sh"
source "$SYNTASK_SOURCE_DIR/tests/cli/git_lib.sh"
driver="$SYNTASK_SOURCE_DIR/tests/pty/pty_driver.py"
make_git_project
git remote set-url origin "https://user:pw-in-remote@example.com/org/flows.git"
HEAD_SHA=$(git rev-parse HEAD)
block="deployment-git-dep-hello-repo-token"
step='d["pull_steps"][0]["syntask.deployments.steps.git_clone"]'

# Answers up to the git questions: flow, name, pool, no schedule.
cat >"$TEST_ROOT/start.script" <<'EOF_SCRIPT'
expect Select a flow to deploy
key enter
expect Deployment name
sendline Git Dep
expect Which work pool
key enter
expect configure a schedule
sendline n
expect Your Syntask workers will need access to this flow's code in order to run it\. Would you like your workers to pull your flow code from its remote repository when running this flow\? \[y/n\] \(y\):
key enter
expect Is https://\*+@example\.com/org/flows\.git the correct URL to pull your flow code from\? \[y/n\] \(y\):
key enter
expect Is main the correct branch to pull your flow code from\? \[y/n\] \(y\):
key enter
expect Is this a private repository\? \[y/n\]:
sendline y
EOF_SCRIPT

# deploy_private: deploys hello/Git Dep answering that the repository is private, with its token.
deploy_private() {
  {
    cat "$TEST_ROOT/start.script"
    cat <<'EOF_SCRIPT'
expect token
sendline tok-private-123456
secret-not-echoed tok-private-123456
secret-not-echoed pw-in-remote
expect successfully created
expect Your Syntask workers will clone 'https://example.com/org/flows.git' \(branch 'main'\) at commit
expect save configuration
sendline n
expect-exit 0
EOF_SCRIPT
  } >"$TEST_ROOT/private.script"
  python3 "$driver" --script "$TEST_ROOT/private.script" -- "$SYNTASK_BIN" deploy --no-verify ||
    fail "interactive git deploy transcript did not match"
}

# given_private_deployed: hello/Git Dep is stored and its token saved, as deploy_private leaves them.
given_private_deployed() {
  syn deployment inspect "hello/Git Dep" --json
  [ "$STATUS" -eq 0 ] && return
  deploy_private
}

case_private_token_saved() {
  deploy_private
  syn deployment inspect "hello/Git Dep" --json
  expect_ok
  [ "$(json_get "len(d['pull_steps'])")" = 1 ] || fail "one pull step"
  [ "$(json_get "$step[\"repository\"]")" = "https://example.com/org/flows.git" ] || fail "repository"
  [ "$(json_get "$step[\"branch\"]")" = "main" ] || fail "branch"
  [ "$(json_get "$step[\"access_token\"]")" = "<< syntask.blocks.secret.$block >>" ] || fail "access_token"
  [ "$(json_get "$step[\"commit_sha\"]")" = "$HEAD_SHA" ] || fail "pinned commit"
  syn block inspect "secret/$block" --json
  expect_ok
  ! grep -q tok-private-123456 "$OUT" || fail "the token is shown"
}

# A second deploy finds the saved token; the answers are saved to syntask.yaml this time.
case_existing_token_reused() {
  given_private_deployed
  {
    cat "$TEST_ROOT/start.script"
    cat <<'EOF_SCRIPT'
expect We found an existing token saved for this deployment\. Would you like use the existing token\? \[y/n\] \(y\):
key enter
expect successfully updated
expect save configuration
sendline y
expect saved to syntask.yaml
expect-exit 0
EOF_SCRIPT
  } >"$TEST_ROOT/existing.script"
  python3 "$driver" --script "$TEST_ROOT/existing.script" -- "$SYNTASK_BIN" deploy --no-verify ||
    fail "existing token transcript did not match"
  grep -qF "syntask.deployments.steps.git_clone:" syntask.yaml || fail "the generated pull step is saved"
  grep -qF "access_token: << syntask.blocks.secret.$block >>" syntask.yaml || fail "the token reference is saved"
}

# Declining leaves the default pull; a different URL and branch can be typed.
case_typed_url_and_branch() {
  rm -f syntask.yaml
  cat >"$TEST_ROOT/typed.script" <<'EOF_SCRIPT'
expect Select a flow to deploy
key enter
expect Deployment name
sendline typed
expect Which work pool
key enter
expect configure a schedule
sendline n
expect pull your flow code from its remote repository
key enter
expect the correct URL
sendline n
expect enter the URL
sendline https://example.com/other/repo.git
expect the correct branch
sendline n
expect enter the branch
sendline release
expect Is this a private repository
sendline n
expect clone 'https://example.com/other/repo.git' \(branch 'release'\)
expect save configuration
sendline n
expect-exit 0
EOF_SCRIPT
  python3 "$driver" --script "$TEST_ROOT/typed.script" -- "$SYNTASK_BIN" deploy --no-verify ||
    fail "typed URL and branch transcript did not match"
  syn deployment inspect hello/typed --json
  [ "$(json_get "'access_token' in $step")" = "False" ] || fail "a public repository has no token"
}

# SSH remotes are never asked about privacy.
case_ssh_remote_no_privacy() {
  rm -f syntask.yaml
  git remote set-url origin git@example.com:org/flows.git
  cat >"$TEST_ROOT/ssh.script" <<'EOF_SCRIPT'
expect Select a flow to deploy
key enter
expect Deployment name
sendline over-ssh
expect Which work pool
key enter
expect configure a schedule
sendline n
expect pull your flow code from its remote repository
key enter
expect Is git@example\.com:org/flows\.git the correct URL
key enter
expect the correct branch
key enter
expect successfully created
secret-not-echoed private repository
expect save configuration
sendline n
expect-exit 0
EOF_SCRIPT
  python3 "$driver" --script "$TEST_ROOT/ssh.script" -- "$SYNTASK_BIN" deploy --no-verify ||
    fail "SSH remote transcript did not match"
  syn deployment inspect hello/over-ssh --json
  [ "$(json_get "$step[\"repository\"]")" = "git@example.com:org/flows.git" ] || fail "ssh repository"
}

# No remote question when the user declines: the default pull.
case_decline_default_pull() {
  rm -f syntask.yaml
  git remote set-url origin git@example.com:org/flows.git
  cat >"$TEST_ROOT/decline.script" <<'EOF_SCRIPT'
expect Select a flow to deploy
key enter
expect Deployment name
sendline declined
expect Which work pool
key enter
expect configure a schedule
sendline n
expect pull your flow code from its remote repository
sendline n
expect successfully created
expect save configuration
sendline n
expect-exit 0
EOF_SCRIPT
  python3 "$driver" --script "$TEST_ROOT/decline.script" -- "$SYNTASK_BIN" deploy --no-verify ||
    fail "declining transcript did not match"
  syn deployment inspect hello/declined --json
  [ "$(json_get 'list(d["pull_steps"][0])[0]')" = "syntask.deployments.steps.set_working_directory" ] ||
    fail "declining keeps the default pull"
}

# `init` with the git recipe asks what deploy asks, in the same words: the URL and branch (defaults from
# the repository), whether the repository is private, and the token (no echo), saved as a secret block
# that the pull step references.
case_init_private_token() {
  local init_block
  git remote set-url origin "https://user:pw-in-remote@example.com/org/flows.git"
  init_block="$(basename "$PROJECT")-repo-token"
  cat >"$TEST_ROOT/init.script" <<EOF_SCRIPT
expect Is https://example\.com/org/flows\.git the correct URL to pull your flow code from\?
key enter
expect Is main the correct branch to pull your flow code from\?
sendline n
expect Please enter the branch to pull your flow code from
sendline release
expect Is this a private repository\?
sendline y
expect Please enter a token that can be used to access your private repository. This token will be saved as a secret block named '$init_block'
sendline init-token-value-123
expect Created project in
expect-exit 0
secret-not-echoed init-token-value-123
EOF_SCRIPT
  python3 "$driver" --script "$TEST_ROOT/init.script" -- "$SYNTASK_BIN" init --recipe git --force ||
    fail "interactive init transcript did not match"
  grep -qxF "    repository: https://example.com/org/flows.git" syntask.yaml || fail "init: repository"
  grep -qxF "    branch: release" syntask.yaml || fail "init: the typed branch"
  grep -qxF "    access_token: << syntask.blocks.secret.$init_block >>" syntask.yaml ||
    fail "init: the pull step references the token's block"
  ! grep -qF "init-token-value-123" syntask.yaml || fail "init wrote the token into syntask.yaml"
  syn block inspect "secret/$init_block" --json
  expect_ok
  ! grep -qF "init-token-value-123" "$OUT" || fail "block inspect shows the token"
}

# A public repository gets no token; an SSH remote is never asked; --no-prompt asks nothing.
case_init_public_and_ssh() {
  git remote set-url origin "https://user:pw-in-remote@example.com/org/flows.git"
  cat >"$TEST_ROOT/init-public.script" <<'EOF_SCRIPT'
expect the correct URL to pull your flow code from
key enter
expect the correct branch
key enter
expect Is this a private repository\?
sendline n
expect Created project in
expect-exit 0
EOF_SCRIPT
  python3 "$driver" --script "$TEST_ROOT/init-public.script" -- "$SYNTASK_BIN" init --recipe git --force ||
    fail "interactive init (public) transcript did not match"
  ! grep -q "access_token" syntask.yaml || fail "a public repository has no token"
  git remote set-url origin git@example.com:org/flows.git
  cat >"$TEST_ROOT/init-ssh.script" <<'EOF_SCRIPT'
expect Is git@example\.com:org/flows\.git the correct URL
key enter
expect the correct branch
key enter
expect Created project in
secret-not-echoed private repository
expect-exit 0
EOF_SCRIPT
  python3 "$driver" --script "$TEST_ROOT/init-ssh.script" -- "$SYNTASK_BIN" init --recipe git --force ||
    fail "interactive init (ssh) transcript did not match"
  syn init --recipe git --force --no-prompt
  expect_ok
  grep -qxF "    repository: git@example.com:org/flows.git" syntask.yaml || fail "--no-prompt takes the remote"
  ! grep -q "access_token" syntask.yaml || fail "--no-prompt asks no token"
}

run_cases
echo ok
