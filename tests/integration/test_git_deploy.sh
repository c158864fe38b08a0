#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# deploy in a clone of a private repository on the smart-HTTP server, then run as a worker would:
# the interactive questions through a pseudo-terminal (token saved as a secret block), the same
# deployment from `init --recipe git` and `deploy --no-prompt`, and pinned commits that keep running the
# deployed code after the branch moved on (unlike --no-pin).
source "$(dirname "$0")/lib.sh"
use_servers git
driver="$SYNTASK_SOURCE_DIR/tests/pty/pty_driver.py"

git_copy_repo flows deploy-flows
PLAIN_URL="$SYNTASK_GIT_HTTP_URL/deploy-flows.git"
cd "$TEST_ROOT"
rmdir "$PROJECT"
git clone -q "$(git_http_url deploy-flows)" "$PROJECT" >/dev/null 2>&1 || fail "cannot clone deploy-flows.git"
cd "$PROJECT"
block="deployment-interactive-hello-repo-token"

# deploy_interactively: deploys hello/interactive through a pseudo-terminal, answering every question
# (the clone has no syntask.yaml yet), and pins the clone's HEAD.
deploy_interactively() {
  HEAD_SHA=$(git rev-parse HEAD)
  cat >"$TEST_ROOT/deploy.script" <<EOF_SCRIPT
expect Select a flow to deploy
key enter
expect Deployment name
sendline interactive
expect Which work pool
key enter
expect configure a schedule
sendline n
expect pull your flow code from its remote repository
key enter
expect Is http://\*+@127\.0\.0\.1:[0-9]+/deploy-flows\.git the correct URL
key enter
expect Is main the correct branch
key enter
expect Is this a private repository
sendline y
expect token
sendline $SYNTASK_GIT_TOKEN
expect successfully created
expect clone '$PLAIN_URL' \(branch 'main'\) at commit $HEAD_SHA
expect save configuration
sendline n
expect-exit 0
secret-not-echoed $SYNTASK_GIT_TOKEN
EOF_SCRIPT
  python3 "$driver" --timeout 30 --script "$TEST_ROOT/deploy.script" -- "$SYNTASK_BIN" deploy ||
    fail "interactive deploy transcript did not match"
}

# given_token_block: the secret block flows-token holds the server's token.
given_token_block() {
  syn block inspect secret/flows-token --json
  [ "$STATUS" -ne 0 ] || return 0
  printf '%s' "$SYNTASK_GIT_TOKEN" | "$SYNTASK_BIN" block create secret flows-token --value-stdin >/dev/null ||
    fail "cannot create the token block"
}

# deploy_from_recipe: syntask.yaml from `init --recipe git`, committed and pushed, then hello/quiet
# (pinned, --require-pushed) and hello/floating (--no-pin) deployed without prompts.
deploy_from_recipe() {
  given_token_block
  syn init --recipe git --no-prompt --field repository="$PLAIN_URL" --field access_token_block=flows-token
  expect_ok
  git add syntask.yaml .syntaskignore
  git commit -q -m "Deploy with syntask"
  git push -q origin main >/dev/null 2>&1 || fail "cannot push syntask.yaml"
  DEPLOYED_SHA=$(git rev-parse HEAD)
  syn deploy flows/hello.py:hello -n quiet --no-prompt --require-pushed
  expect_ok
  stderr_lacks "warning"
  stdout_has "at commit $DEPLOYED_SHA."
  syn deploy flows/hello.py:hello -n floating --no-prompt --no-pin
  expect_ok
}

# given_deployments: hello/interactive, hello/quiet and hello/floating exist (deployed in that order,
# as the suite does, when missing).
given_deployments() {
  syn deployment inspect hello/interactive --json
  [ "$STATUS" -eq 0 ] || deploy_interactively
  syn deployment inspect hello/quiet --json
  [ "$STATUS" -eq 0 ] || deploy_from_recipe
}

# write_checked BRANCH TOKEN_BLOCK: $TEST_ROOT/checked.yaml, with a build step leaving build-ran and a
# git_clone pull step of BRANCH with the token of TOKEN_BLOCK.
write_checked() {
  cat >"$TEST_ROOT/checked.yaml" <<YAML
build:
- syntask.deployments.steps.run_shell_script:
    script: touch "$TEST_ROOT/build-ran"
pull:
- syntask.deployments.steps.git_clone:
    repository: $PLAIN_URL
    branch: $1
    access_token: "<< syntask.blocks.secret.$2 >>"
deployments:
- name: checked
  entrypoint: flows/hello.py:hello
YAML
}

# Interactive: the remote's token is masked on screen and left out of the pull step.
case_interactive_deploy() {
  deploy_interactively
  syn deployment inspect hello/interactive --json
  expect_ok
  step='d["pull_steps"][0]["syntask.deployments.steps.git_clone"]'
  [ "$(json_get "$step[\"repository\"]")" = "$PLAIN_URL" ] || fail "repository without the token"
  [ "$(json_get "$step[\"access_token\"]")" = "<< syntask.blocks.secret.$block >>" ] || fail "token reference"
  [ "$(json_get "$step[\"commit_sha\"]")" = "$HEAD_SHA" ] || fail "pinned commit"
  ! grep -qF "$SYNTASK_GIT_TOKEN" "$OUT" || fail "the token is in the stored deployment"
}

# The same without prompts.
case_deploy_without_prompts() {
  deploy_from_recipe
}

# Workers run the deployed code even after the branch moved on; --no-pin follows the branch.
case_pinned_runs() {
  given_deployments
  for name in interactive quiet floating; do
    syn run "hello/$name" --dir "$TEST_ROOT/worker-$name-1"
    expect_ok
    stdout_has "Hello, Marvin!"
  done
  git_push_change deploy-flows main person.txt "Arthur" >/dev/null
  for name in interactive quiet; do
    syn run "hello/$name" --dir "$TEST_ROOT/worker-$name-2"
    expect_ok
    stdout_has "Hello, Marvin!"
  done
  syn run hello/floating --dir "$TEST_ROOT/worker-floating-2"
  expect_ok
  stdout_has "Hello, Arthur!"
}

# The local clone is now behind, not ahead: still pushed. A local commit is not.
case_require_pushed() {
  given_deployments
  # The branch moves on past the clone (as pinned_runs does).
  [ "$(git ls-remote origin main | cut -f1)" != "$(git rev-parse HEAD)" ] ||
    git_push_change deploy-flows main person.txt "Arthur" >/dev/null
  syn deploy flows/hello.py:hello -n quiet --no-prompt --require-pushed
  expect_ok
  echo "Zaphod" >person.txt
  git commit -q -am "Not pushed"
  syn deploy flows/hello.py:hello -n quiet --no-prompt --require-pushed
  expect_status 2 "is not on 'origin/main'; workers would not see these changes"
  stderr_is "syntask: error: commit $(git rev-parse HEAD | cut -c1-12) is not on 'origin/main'; workers would not see these changes: push them first (--require-pushed)"
  git reset -q --hard origin/main
}

# Before anything runs, deploy asks the remote (once, with the step's credentials) whether the branch
# is there: a branch it lacks, or a token it refuses, fails at that field's line and column, with no
# build step run and nothing registered. --no-verify skips the question.
case_branch_checked_before_deploy() {
  given_token_block
  rm -f "$TEST_ROOT/build-ran"
  printf '%s' "not-the-token" | "$SYNTASK_BIN" block create secret wrong-token --value-stdin >/dev/null ||
    fail "cannot create the wrong token block"
  write_checked no-such-branch flows-token
  syn deploy -n checked --no-prompt --syntask-file "$TEST_ROOT/checked.yaml"
  expect_status 2 "checked.yaml:7:13: pull[0].syntask.deployments.steps.git_clone.branch: branch 'no-such-branch' not found in '$PLAIN_URL': push it first, or name a branch the remote has (--no-verify skips this check)"
  [ ! -e "$TEST_ROOT/build-ran" ] || fail "a build step ran before the branch check"
  syn deployment inspect hello/checked
  expect_status 2 "deployment 'hello/checked' does not exist"
  write_checked develop wrong-token
  syn deploy -n checked --no-prompt --syntask-file "$TEST_ROOT/checked.yaml"
  expect_status 2 "checked.yaml:6:17: pull[0].syntask.deployments.steps.git_clone.repository: authentication failed for '$PLAIN_URL'"
  stderr_has "(--no-verify skips this check)"
  grep -qF "not-the-token" "$ERR" && fail "the token was printed"
  [ ! -e "$TEST_ROOT/build-ran" ] || fail "a build step ran before the credentials check"
  write_checked develop flows-token
  syn deploy -n checked --no-prompt --syntask-file "$TEST_ROOT/checked.yaml"
  expect_ok
  [ -e "$TEST_ROOT/build-ran" ] || fail "the build step did not run once the branch was found"
  rm -f "$TEST_ROOT/build-ran"
  write_checked no-such-branch flows-token
  syn deploy -n checked --no-prompt --no-verify --syntask-file "$TEST_ROOT/checked.yaml"
  expect_ok
  stdout_has "Deployment 'hello/checked' successfully updated."
}

# init in a terminal asks what deploy asks: the URL, the branch, whether the repository is private,
# and the token, saved as a secret block that the pull step references.
case_interactive_init() {
  init_block="$(basename "$PROJECT" | tr '[:upper:]_' '[:lower:]-')-repo-token"
  cat >"$TEST_ROOT/init.script" <<EOF_SCRIPT
expect Is http://127\.0\.0\.1:[0-9]+/deploy-flows\.git the correct URL
key enter
expect Is main the correct branch
key enter
expect Is this a private repository
sendline y
expect Please enter a token that can be used to access your private repository. This token will be saved as a secret block named '$init_block'
sendline $SYNTASK_GIT_TOKEN
expect syntask.yaml
expect-exit 0
secret-not-echoed $SYNTASK_GIT_TOKEN
EOF_SCRIPT
  python3 "$driver" --timeout 30 --script "$TEST_ROOT/init.script" -- "$SYNTASK_BIN" init --recipe git --force ||
    fail "interactive init transcript did not match"
  grep -qxF "    repository: $PLAIN_URL" syntask.yaml || fail "init: repository without the token"
  grep -qxF "    branch: main" syntask.yaml || fail "init: branch"
  grep -qxF "    access_token: << syntask.blocks.secret.$init_block >>" syntask.yaml ||
    fail "init: the pull step references the token block"
  grep -qF "$SYNTASK_GIT_TOKEN" syntask.yaml && fail "init wrote the token into syntask.yaml"
  syn block inspect "secret/$init_block" --json
  expect_ok
  syn deploy flows/hello.py:hello -n from-init --no-prompt
  expect_ok
  syn run hello/from-init --dir "$TEST_ROOT/worker-from-init"
  expect_ok
  stdout_has "Hello, "
}

run_cases
echo ok
