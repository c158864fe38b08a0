# SPDX-License-Identifier: Apache-2.0
# Helpers for suites that run syntask inside a git repository. Source after tests/cli/lib.sh: git gets
# its own configuration under $TEST_ROOT and a fixed identity, so the user's settings play no part.
command -v git >/dev/null || {
  echo "git is not installed" >&2
  exit 125
}
export GIT_CONFIG_GLOBAL="$TEST_ROOT/gitconfig"
export GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=Test GIT_AUTHOR_EMAIL=test@example.com
export GIT_COMMITTER_NAME=Test GIT_COMMITTER_EMAIL=test@example.com
printf '[init]\n\tdefaultBranch = main\n' >"$GIT_CONFIG_GLOBAL"
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE

# make_git_project: the project directory becomes a repository whose `origin` is the bare repository
# $TEST_ROOT/remote.git, with the flow project committed and pushed to main.
make_git_project() {
  make_flow_project
  git init -q --bare "$TEST_ROOT/remote.git"
  git init -q .
  git remote add origin "$TEST_ROOT/remote.git"
  commit_and_push "flow project"
}

# commit_and_push MESSAGE: commits everything and pushes main.
commit_and_push() {
  git add -A
  git commit -q -m "$1"
  git push -q origin main 2>/dev/null
}
