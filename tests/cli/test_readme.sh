#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's first deployment prints what the README shows: each `$ syntask ...` line of its console
# block runs in a project holding flows/hello.py, and its output (stdout and stderr, as a terminal shows
# them) must equal the lines under it, with the project's path written /home/ada/my-project.
source "$(dirname "$0")/lib.sh"
README_PROJECT=/home/ada/my-project

# readme_session: the console block under "## A first deployment".
readme_session() {
  awk '/^## A first deployment/ { section = 1 } section && /^```console/ { block = 1; next }
       block && /^```/ { exit } block { print }' "$SYNTASK_SOURCE_DIR/README.md"
}

case_first_deployment() {
  local session="$TEST_ROOT/session" expected="$TEST_ROOT/expected" actual="$TEST_ROOT/actual" line
  local -a words
  readme_session >"$session"
  [ -s "$session" ] || fail "the README has no console block under '## A first deployment'"
  mkdir -p "$TEST_ROOT/my-project"
  cd "$TEST_ROOT/my-project"
  make_flow_project
  : >"$expected"
  : >"$actual"
  while IFS= read -r line; do
    if [[ $line != '$ '* ]]; then
      printf '%s\n' "$line" >>"$expected"
      continue
    fi
    printf '%s\n' "$line" >>"$expected"
    printf '%s\n' "$line" >>"$actual"
    line=${line#\$ }
    line=$(sed -E 's/ +# .*$//' <<<"$line") # the README's comments
    read -ra words <<<"$line"
    case "${words[0]}" in
    cd) ;; # already in the project directory
    syntask)
      "$SYNTASK_BIN" "${words[@]:1}" </dev/null 2>&1 | sed "s|$TEST_ROOT/my-project|$README_PROJECT|g" >>"$actual" ||
        fail "README command failed: $line"
      ;;
    *) fail "the README's console block runs '${words[0]}', which this suite does not know" ;;
    esac
  done <"$session"
  diff -u "$expected" "$actual" >"$TEST_ROOT/diff" || fail "the README's sample output differs from the real one:
$(cat "$TEST_ROOT/diff")"
}

run_cases
