#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# init and deploy inside a git repository: the `git` recipe and its inference, pinning HEAD into
# git_clone pull steps (--no-pin, pin: false), and the "push them first" warning (--require-pushed).
source "$(dirname "$0")/lib.sh"
source "$SYNTASK_SOURCE_DIR/tests/cli/git_lib.sh"
make_git_project
REMOTE="$TEST_ROOT/remote.git"
clone_step='d["pull_steps"][0]["syntask.deployments.steps.git_clone"]'
warning="workers would not see these changes: push them first"

# given_pinning_project: the git recipe with three more deployments (pinned, unpinned with pin: false,
# chosen with its own commit_sha), committed and pushed; HEAD_SHA is its commit. Made once: the cases
# about unpushed work go on from the repository the earlier cases left.
given_pinning_project() {
  [ -n "${HEAD_SHA:-}" ] && return
  syn init --recipe git --force --no-prompt
  expect_ok
  cat >>syntask.yaml <<'YAML'
- name: pinned
  entrypoint: flows/hello.py:hello
- name: unpinned
  entrypoint: flows/hello.py:hello
  pull:
  - syntask.deployments.steps.git_clone:
      repository: REMOTE
      branch: main
      pin: false
- name: chosen
  entrypoint: flows/hello.py:hello
  pull:
  - prefect.deployments.steps.git_clone:
      repository: REMOTE
      commit_sha: 0123456789abcdef0123456789abcdef01234567
YAML
  sed -i "s|REMOTE|$REMOTE|" syntask.yaml
  commit_and_push "syntask.yaml"
  HEAD_SHA=$(git rev-parse HEAD)
}

# given_uncommitted_edit: flows/hello.py has a change that is not committed.
given_uncommitted_edit() {
  git diff --quiet -- flows/hello.py || return 0
  echo "# local edit" >>flows/hello.py
}

# given_built_deployment: the project file has the deployment built, whose build step touches build-ran.
given_built_deployment() {
  grep -qxF -- "- name: built" syntask.yaml && return
  cat >>syntask.yaml <<'YAML'
- name: built
  entrypoint: flows/hello.py:hello
  build:
  - syntask.deployments.steps.run_shell_script:
      script: touch build-ran
YAML
}

# --- init ---------------------------------------------------------------------------------------
# A repository with a remote picks the git recipe; its fields come from the repository.
case_init_infers_git() {
  syn init --no-prompt --json
  expect_ok
  [ "$(json_get 'd["recipe"]')" = "git" ] || fail "a repository with a remote infers the git recipe"
  grep -qF -- "- syntask.deployments.steps.git_clone:" syntask.yaml || fail "git recipe pull step"
  grep -qxF "    id: clone-step" syntask.yaml || fail "clone step id"
  grep -qxF "    repository: $REMOTE" syntask.yaml || fail "repository from the remote"
  grep -qxF "    branch: main" syntask.yaml || fail "branch from the repository"
  ! grep -q "access_token" syntask.yaml || fail "no access_token line without access_token_block"
  [ "$(grep -c '^- ' <(sed -n '/^pull:/,/^$/p' syntask.yaml))" = 1 ] || fail "git_clone is the only pull step"
}

case_init_git_fields() {
  syn init --recipe git --force --no-prompt --field repository=https://example.com/org/flows.git \
    --field branch=develop --field access_token_block=flows-token
  expect_ok
  grep -qxF "    repository: https://example.com/org/flows.git" syntask.yaml || fail "repository field"
  grep -qxF "    branch: develop" syntask.yaml || fail "branch field"
  grep -qxF "    access_token: << syntask.blocks.secret.flows-token >>" syntask.yaml ||
    fail "access_token references the secret block"
  syn init --recipe git --force --no-prompt --field access_token_block='bad name'
  expect_status 2 "--field access_token_block 'bad name': a block name uses only letters"
  stderr_is "syntask: error: --field access_token_block 'bad name': a block name uses only letters, digits, '-' and '_'"
}

# A remote with a token in it never reaches syntask.yaml.
case_init_strips_remote_token() {
  git remote set-url origin "https://user:hunter2-token@example.com/org/flows.git"
  syn init --recipe git --force --no-prompt
  expect_ok
  grep -qxF "    repository: https://example.com/org/flows.git" syntask.yaml || fail "user-info stripped"
  ! grep -q hunter2 syntask.yaml || fail "token written to syntask.yaml"
  git remote set-url origin "$REMOTE"
}

# Outside a repository: local is inferred, and the git recipe needs its repository.
case_init_outside_repository() {
  mkdir -p "$TEST_ROOT/plain"
  (
    cd "$TEST_ROOT/plain"
    syn init --no-prompt --json
    expect_ok
    [ "$(json_get 'd["recipe"]')" = "local" ] || fail "no repository infers the local recipe"
    syn init --recipe git --force --no-prompt
    expect_status 2 "missing answer for 'URL of the git repository workers clone"
    stderr_is "syntask: error: missing answer for 'URL of the git repository workers clone (default: this repository's remote)': pass --field repository=URL"
    syn init --recipe git --force --no-prompt --field repository=git@example.com:org/flows.git
    expect_ok
    grep -qxF "    branch: main" syntask.yaml || fail "branch defaults to main outside a repository"
  )
}

# --- deploy: pinning ------------------------------------------------------------------------------
case_pin_head() {
  given_pinning_project
  syn deploy -n pinned --no-prompt
  expect_ok
  stderr_lacks "warning"
  stdout_has "Deployment 'hello/pinned' successfully created."
  stdout_has "Your Syntask workers will clone '$REMOTE' (branch 'main') at commit $HEAD_SHA."
  syn deployment inspect hello/pinned --json
  expect_ok
  [ "$(json_get "$clone_step[\"commit_sha\"]")" = "$HEAD_SHA" ] || fail "HEAD is pinned"
  [ "$(json_get "$clone_step[\"id\"]")" = "clone-step" ] || fail "the step id is kept"
}

case_no_pin() {
  given_pinning_project
  syn deploy -n pinned --no-prompt --no-pin --json
  expect_ok
  [ "$(json_get "'commit_sha' in d['deployments'][0]['record']['pull_steps'][0]['syntask.deployments.steps.git_clone']")" = "False" ] ||
    fail "--no-pin leaves commit_sha out"
  [ "$(json_get 'd["deployments"][0]["git_clones"][0]["commit_sha"]')" = "None" ] || fail "json: no commit"
}

case_pin_false() {
  given_pinning_project
  syn deploy -n unpinned --no-prompt
  expect_ok
  stdout_has "Your Syntask workers will clone '$REMOTE' (branch 'main') at the branch's latest commit when each run starts."
  syn deployment inspect hello/unpinned --json
  [ "$(json_get "'commit_sha' in $clone_step")" = "False" ] || fail "pin: false leaves commit_sha out"
  [ "$(json_get "$clone_step[\"pin\"]")" = "False" ] || fail "pin: false is kept"
}

case_written_commit_sha() {
  given_pinning_project
  syn deploy -n chosen --no-prompt
  expect_ok
  stdout_has "(default branch) at commit 0123456789abcdef0123456789abcdef01234567."
  syn deployment inspect hello/chosen --json
  [ "$(json_get 'd["pull_steps"][0]["prefect.deployments.steps.git_clone"]["commit_sha"]')" = \
    "0123456789abcdef0123456789abcdef01234567" ] || fail "a written commit_sha wins over HEAD"
}

# Pinning a step that clones another repository is flagged: the commit may not exist there.
case_other_repository_warning() {
  given_pinning_project
  cat >"$TEST_ROOT/elsewhere.yaml" <<'YAML'
pull:
- syntask.deployments.steps.git_clone:
    repository: https://user:pw-elsewhere@example.com/other/repo.git
deployments:
- name: elsewhere
  entrypoint: flows/hello.py:hello
YAML
  syn deploy -n elsewhere --no-prompt --no-verify --syntask-file "$TEST_ROOT/elsewhere.yaml"
  expect_ok
  stderr_is "syntask: warning: git_clone pulls 'https://********@example.com/other/repo.git', not this repository's remote '$REMOTE': commit ${HEAD_SHA:0:12} may not be there; set \`pin: false\` in the step or pass --no-pin to follow its branch"
  syn deploy -n elsewhere --no-prompt --no-verify --no-pin --syntask-file "$TEST_ROOT/elsewhere.yaml"
  expect_ok
  stderr_lacks "warning"
}

# --- deploy: unpushed work ------------------------------------------------------------------------
case_uncommitted_warning() {
  given_pinning_project
  given_uncommitted_edit
  syn deploy -n pinned --no-prompt
  expect_ok
  stderr_is "syntask: warning: the working tree at '$PROJECT' has uncommitted changes; $warning"
}

# --require-pushed fails before build steps run and before anything is registered.
case_require_pushed_refuses() {
  given_pinning_project
  given_uncommitted_edit
  given_built_deployment
  syn deploy -n built --no-prompt --require-pushed
  expect_status 2 "has uncommitted changes; workers would not see these changes"
  stderr_is "syntask: error: the working tree at '$PROJECT' has uncommitted changes; $warning (--require-pushed)"
  [ ! -e build-ran ] || fail "build steps ran although the deploy was refused"
  syn deployment inspect hello/built
  expect_status 2 "deployment 'hello/built' does not exist"
}

# Ignored files are no change.
case_ignored_files_no_change() {
  given_pinning_project
  given_built_deployment
  git checkout -q flows/hello.py
  echo "build-ran" >.gitignore
  echo "*.log" >>.gitignore
  commit_and_push "ignore"
  echo noise >debug.log
  syn deploy -n built --no-prompt --require-pushed
  expect_ok
  stderr_lacks "warning"
  rm -f build-ran
}

# A commit that is not pushed.
case_unpushed_commit() {
  given_pinning_project
  echo "# more" >>flows/hello.py
  git commit -q -am "not pushed"
  syn deploy -n pinned --no-prompt
  expect_ok
  stderr_is "syntask: warning: commit $(git rev-parse HEAD | cut -c1-12) is not on 'origin/main'; $warning"
  syn deploy -n pinned --no-prompt --require-pushed
  expect_status 2 "is not on 'origin/main'; workers would not see these changes: push them first (--require-pushed)"
  stderr_has "(--require-pushed)"
}

# A branch never pushed.
case_unpushed_branch() {
  given_pinning_project
  git checkout -q -b feature
  syn deploy -n pinned --no-prompt
  expect_ok
  stderr_is "syntask: warning: branch 'feature' has no remote branch on 'origin'; $warning"
}

# Local storage is not concerned: nothing to push.
case_local_storage_no_push() {
  rm -f syntask.yaml
  syn deploy flows/hello.py:hello -n local --no-prompt --require-pushed
  expect_ok
  stderr_lacks "warning"
}

run_cases
echo ok
