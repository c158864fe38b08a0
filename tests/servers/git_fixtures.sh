# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Builds the fixture bare repositories served by tests/servers/git.sh (sourced, not run). Dates and
# authors are fixed, so every start produces the same commit ids.

# fixture_commit DIR MESSAGE: commits everything in DIR at the next fixed date.
fixture_commit() {
  FIXTURE_CLOCK=$((FIXTURE_CLOCK + 60))
  git -C "$1" add -A
  GIT_AUTHOR_DATE="@$FIXTURE_CLOCK +0000" GIT_COMMITTER_DATE="@$FIXTURE_CLOCK +0000" \
    git -C "$1" -c user.name="Syntask Tests" -c user.email=tests@syntask.invalid \
    commit -q -m "$2"
}

# fixture_tree_init DIR: a fresh working tree on branch main.
fixture_tree_init() {
  rm -rf "$1"
  git init -q -b main "$1"
}

# fixture_bare REPOS NAME SOURCE REFS...: creates REPOS/NAME.git and pushes REFS of SOURCE into it.
fixture_bare() {
  local bare="$1/$2.git"
  local src=$3
  shift 3
  git init -q --bare -b main "$bare"
  git -C "$bare" config http.receivepack true
  git -C "$src" push -q "$bare" "$@"
}

# make_git_fixtures REPOS SCRATCH DAEMON_URL: flows.git, private.git, sub.git and with-submodule.git.
make_git_fixtures() {
  local repos=$1 scratch=$2 daemon_url=$3
  local tree="$scratch/flows" sub="$scratch/sub" super="$scratch/super"
  FIXTURE_CLOCK=1767225600 # 2026-01-01T00:00:00Z
  export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

  fixture_tree_init "$tree"
  mkdir -p "$tree/flows"
  cat >"$tree/flows/hello.py" <<'PY'
from pathlib import Path

from syntask import flow


@flow(name="hello")
def hello(name: str = ""):
    # person.txt sits at the repository root, next to the flows folder.
    who = name or (Path(__file__).resolve().parent.parent / "person.txt").read_text().strip()
    print(f"Hello, {who}!")
PY
  echo "Marvin" >"$tree/person.txt"
  fixture_commit "$tree" "Add the hello flow and the person it greets"
  mkdir -p "$tree/data"
  {
    echo "id,name,value"
    seq 1 20000 | awk '{ printf "%d,row-%d,%d\n", $1, $1, ($1 * 7919) % 10007 }'
  } >"$tree/data/big.csv"
  fixture_commit "$tree" "Add the data set"
  git -C "$tree" tag v1
  mkdir -p "$tree/docs"
  printf '# Flows\n\nThe hello flow greets the person named in person.txt.\n' >"$tree/docs/readme.md"
  fixture_commit "$tree" "Document the flows"
  git -C "$tree" checkout -q -b develop
  echo "work in progress" >"$tree/develop.txt"
  fixture_commit "$tree" "Start the develop branch"
  git -C "$tree" checkout -q main
  fixture_bare "$repos" flows "$tree" main develop v1
  fixture_bare "$repos" private "$tree" main develop v1

  fixture_tree_init "$sub"
  echo "from the submodule" >"$sub/sub.txt"
  fixture_commit "$sub" "Add the submodule's file"
  fixture_bare "$repos" sub "$sub" main

  # The gitlink is written by hand: the daemon serving sub.git is not up yet, so nothing is cloned.
  fixture_tree_init "$super"
  mkdir "$super/sub" # an empty folder is how git leaves a submodule that is not checked out
  printf '# Repository with a submodule\n' >"$super/README.md"
  printf '[submodule "sub"]\n\tpath = sub\n\turl = %s/sub.git\n' "$daemon_url" >"$super/.gitmodules"
  git -C "$super" update-index --add --cacheinfo "160000,$(git -C "$sub" rev-parse HEAD),sub"
  fixture_commit "$super" "Add the submodule sub"
  fixture_bare "$repos" with-submodule "$super" main

  rm -rf "$tree" "$sub" "$super"
}
