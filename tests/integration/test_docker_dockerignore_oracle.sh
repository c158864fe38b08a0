#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The engine as the oracle for .dockerignore: for each rule set, the same context is built by Debian's
# docker CLI (classic builder, `FROM scratch` + `COPY . /ctx`) and exported, and what landed in /ctx
# must be exactly what syntask's stream_build_context puts in its tar (with the folders above each
# entry, as COPY creates them). Dockerfile and .dockerignore are left out of the comparison: the daemon
# drops them from the context when the rules exclude them.
#
# Rule sets avoid one difference on purpose: the 20.10 CLI here tests only one parent folder per
# pattern (the old Matches); syntask follows the engine's current MatchesOrParentMatches.
source "$(dirname "$0")/lib.sh"
use_servers docker
source "$(dirname "$0")/docker_helpers.sh"
: "${SYNTASK_UNIT_BIN:?SYNTASK_UNIT_BIN must point to syntask_unit}"

make_tree() {
  local root=$1 f
  mkdir -p "$root"
  for f in a.log b.txt c.txt ab.txt x.md y.md '#x' abs bar build/out.o build/keep.txt build/sub/z.log \
    docs/a/b.md docs/c.md docs/d.txt src/main.c src/main.o src/lib/util.o a/b/c a/b/d a/x/c/e \
    tmp/t deep/tmp/u foo/f dir/f keep/x keep/sub/y 'sp ace.txt'; do
    mkdir -p "$(dirname "$root/$f")"
    printf '%s\n' "$f" >"$root/$f"
  done
  mkdir -p "$root/emptydir"
  ln -s b.txt "$root/link"
  printf 'FROM scratch\nCOPY . /ctx\n' >"$root/Dockerfile"
}

# agrees_with_engine RULES: a context with .dockerignore RULES, built by the engine and listed by syntask
# (rule sets are numbered in the order they are checked).
n=0
agrees_with_engine() {
  local rules=$1 ctx ref container
  n=$((n + 1))
  ctx="$TEST_ROOT/ctx$n"
  make_tree "$ctx"
  printf '%s\n' "$rules" >"$ctx/.dockerignore"

  ref="syntask-test/oracle:$DOCKER_TEST_TAG-$n"
  docker_remember "$ref"
  run_docker build -q -t "$ref" "$ctx"
  [ "$STATUS" -eq 0 ] || fail "docker build failed for rules: $rules"
  run_docker create "$ref" /none
  [ "$STATUS" -eq 0 ] || fail "docker create failed"
  container=$(cat "$OUT")
  /usr/bin/docker export "$container" | tar -t | sed -n 's|^ctx/||p' | sed 's|/$||' | grep -v '^$' |
    grep -vx -e Dockerfile -e .dockerignore | LC_ALL=C sort >"$TEST_ROOT/engine$n"
  /usr/bin/docker rm "$container" >/dev/null
  [ -s "$TEST_ROOT/engine$n" ] || fail "the engine's /ctx listing is empty for rules: $rules"

  SYNTASK_ORACLE_CONTEXT="$ctx" SYNTASK_ORACLE_OUTPUT="$TEST_ROOT/listing$n" \
    "$SYNTASK_UNIT_BIN" "[.oracle]" >"$OUT" 2>"$ERR" || fail "the syntask listing failed"
  grep -vx -e Dockerfile -e .dockerignore "$TEST_ROOT/listing$n" | LC_ALL=C sort >"$TEST_ROOT/syntask$n" || true

  if ! diff -u "$TEST_ROOT/engine$n" "$TEST_ROOT/syntask$n" >"$TEST_ROOT/diff$n"; then
    echo "rules:" >&2
    printf '%s\n' "$rules" | sed 's/^/  | /' >&2
    echo "engine (-) vs syntask (+):" >&2
    cat "$TEST_ROOT/diff$n" >&2
    fail "syntask's context differs from the engine's for rule set $n"
  fi
}

# Wildcards: *, ?, character ranges, and ** across folders.
case_wildcards() {
  agrees_with_engine '*.log'
  agrees_with_engine '**/*.log'
  agrees_with_engine 'a/*/c'
  agrees_with_engine $'?.txt\n[a-b]*.md'
  agrees_with_engine '**/tmp'
  agrees_with_engine 'a/**/c'
}

# Exceptions (!) that bring back files or folders an earlier rule excluded, and rules after them.
case_exceptions() {
  agrees_with_engine $'build\n!build/keep.txt'
  agrees_with_engine $'docs/**\n!docs/**/*.md'
  agrees_with_engine $'*\n!src\nsrc/*.o'
  agrees_with_engine $'**\n!keep/**'
  agrees_with_engine $'src\n!src/lib\nsrc/lib/*.o\n!src/main.c'
}

# How lines are read: comments, leading and trailing blanks, leading slash and ./, .. cleaned.
case_pattern_syntax() {
  agrees_with_engine $'#comment\n #x\n/abs\n ./dir/ \nfoo/../bar'
}

# Names with a space, a symbolic link, an empty folder, Dockerfile and .dockerignore themselves.
case_special_entries() {
  agrees_with_engine $'*.txt\n!sp ace.txt\nlink'
  agrees_with_engine $'Dockerfile\n.dockerignore\nemptydir'
}

run_cases
echo "$n rule sets agree with the engine"
