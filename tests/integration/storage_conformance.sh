# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# The tree-level conformance suite for object storage: the same cases against every backend, through the
# real `syntask deploy`, `pull` and `run`. Sourced after lib.sh, `use_servers NAME` and the backend's
# tests/integration/storage_NAME_hooks.sh, which defines:
#   backend_setup, backend_push_step FOLDER, backend_pull_step FOLDER, backend_plant KEY FILE,
#   backend_keys PREFIX, backend_wrong_credentials, backend_write_count, backend_restart
# (see the hooks files for their contracts). A suite calls run_storage_conformance; it may first set
# BACKEND_EXTRA_CASES to the names of its own case_NAME functions, run after the shared ones.

# Everything any command printed during the suite, checked for secrets at the end.
CONFORMANCE_ALL="$TEST_ROOT/all-output"
: >"$CONFORMANCE_ALL"
collect() { cat "$OUT" "$ERR" >>"$CONFORMANCE_ALL"; }

# fresh_case NAME: a new SYNTASK_HOME, an empty project directory with the flow, and a new bucket.
fresh_case() {
  CASE_DIR="$TEST_ROOT/case-$1"
  mkdir -p "$CASE_DIR/home" "$CASE_DIR/project"
  export SYNTASK_HOME="$CASE_DIR/home"
  cd "$CASE_DIR/project" || exit 1
  make_flow_project
  backend_setup
  echo "--- $1 ($BACKEND_BUCKET)" >&2
}

# step_yaml push|pull FOLDER [LINE...]: the hook's step with extra argument lines, indented like the
# hook's own argument lines (its second line).
step_yaml() {
  local kind=$1 folder=$2 text indent line
  shift 2
  text=$("backend_${kind}_step" "$folder")
  indent=$(printf '%s\n' "$text" | sed -n 2p | sed -E 's/^( *).*/\1/')
  printf '%s\n' "$text"
  for line in "$@"; do
    printf '%s%s\n' "$indent" "$line"
  done
}

# write_project FOLDER [PUSH_LINE...]: syntask.yaml pushing the project to FOLDER and pulling it back.
write_project() {
  local folder=$1
  shift
  {
    echo "name: conformance"
    echo "push:"
    step_yaml push "$folder" "$@"
    echo "pull:"
    step_yaml pull "$folder"
  } >syntask.yaml
}

# deploy_as NAME: deploys flows/hello.py:hello as hello/NAME without prompts.
deploy_as() {
  syn deploy flows/hello.py:hello -n "$1" --no-prompt
  collect
}

# pull_into NAME DIR: the pull steps of hello/NAME run in DIR (created).
pull_into() {
  mkdir -p "$2"
  syn pull "hello/$1" --dir "$2"
  collect
}

# same_tree A B: the two directories hold the same files with the same bytes.
same_tree() {
  diff -r --no-dereference "$1" "$2" >"$TEST_ROOT/diff" 2>&1 || {
    cat "$TEST_ROOT/diff" >&2
    fail "'$1' and '$2' differ"
  }
}

# The project's test files: random binary and text, empty, spaces and UTF-8 in names.
make_test_files() {
  mkdir -p "data/sub dir" "data/ünï cödé" docs
  head -c 300000 /dev/urandom >data/random.bin
  head -c 1 /dev/urandom >data/one.bin
  head -c 70000 /dev/urandom | base64 >docs/text.txt
  : >data/empty
  : >"data/sub dir/empty too"
  printf 'name with spaces\n' >"data/sub dir/a file.txt"
  printf 'héllo wörld\n' >"data/ünï cödé/файл.txt"
  printf 'hidden\n' >.hidden
}

case_round_trip() {
  fresh_case round-trip
  make_test_files
  write_project "flows-$RANDOM"
  deploy_as dep
  expect_ok
  syn deployment inspect hello/dep --json
  collect
  expect_ok
  python3 - "$OUT" <<'PY' || fail "the pull step does not carry the pushed manifest's digest"
import json, sys
record = json.load(open(sys.argv[1]))
step = record["pull_steps"][0]
args = next(iter(step.values()))
assert args["manifest_digest"].startswith("sha256:") and len(args["manifest_digest"]) == 71, args
PY
  pull_into dep "$CASE_DIR/worker"
  expect_ok
  same_tree "$CASE_DIR/project" "$CASE_DIR/worker"
  # Nothing else appeared beside the worker directory (the temporary sibling is gone).
  [ "$(ls -A "$CASE_DIR")" = "$(printf 'home\nproject\nworker')" ] || fail "leftovers beside the target: $(ls -A "$CASE_DIR")"
  # `syntask run` in an empty directory runs the flow from the downloaded code.
  mkdir -p "$CASE_DIR/empty"
  syn run hello/dep --dir "$CASE_DIR/empty" --param name=Storage
  collect
  expect_ok
  stdout_has "Hello, Storage!"
}

case_sibling_folder() {
  fresh_case sibling
  write_project code
  deploy_as dep
  expect_ok
  printf 'not mine\n' >"$CASE_DIR/other"
  backend_plant "code-2/intruder.py" "$CASE_DIR/other"
  backend_plant "code2.py" "$CASE_DIR/other"
  pull_into dep "$CASE_DIR/worker"
  expect_ok
  [ ! -e "$CASE_DIR/worker/intruder.py" ] && [ ! -e "$CASE_DIR/worker/-2" ] && [ ! -e "$CASE_DIR/worker/2.py" ] ||
    fail "the pull of 'code' took keys of 'code-2'"
  stderr_lacks "manifest does not list"
}

# Keys in every escaping form; the server may normalise some of them in its own store. Each key ends in
# a name of its own (FOLDER-escaped-N), by which plant_hostile finds it in the listing.
hostile_keys() {
  local folder=$1
  printf '%s\n' "$folder/../$folder-escaped-1" "$folder/a/../../$folder-escaped-2" "$folder//$folder-abs-escaped" \
    "$folder/..\\$folder-escaped-3" "$folder/a\\..\\..\\$folder-escaped-4" "$folder/..%2F$folder-escaped-5" \
    "$folder/%2E%2E/$folder-escaped-6"
}

# plant_hostile KEY FILE: plants KEY and fails unless the server's listing then holds it, as written or
# normalised by the server into another key ending in the same name (s3rver resolves '..' segments).
plant_hostile() {
  local key=$1 name listing stored
  name=$(grep -oE '[a-z]+-(abs-)?escaped(-[0-9]+)?$' <<<"$key") || fail "hostile key '$key' has no name of its own"
  backend_plant "$key" "$2"
  listing=$(backend_keys "")
  grep -qxF -- "$key" <<<"$listing" && return 0
  stored=$(grep -E -- "(^|[/\\])$name\$" <<<"$listing") ||
    fail "the hostile key '$key' is not in the bucket; it lists: $(tr '\n' ' ' <<<"$listing")"
  echo "the server stored '$key' as '$stored'" >&2
}

# no_escape: no file named after a hostile key exists under the suite's directory or at the root (where
# an absolute key would land); every such key is refused or skipped, none is written even inside a target.
# Files in NORMALISED_ALLOWED (one path per line) are exempt: a server that stored a hostile key under a
# normalised, safe name (s3rver turns raw//abs-escaped into raw/abs-escaped) made it an ordinary key.
NORMALISED_ALLOWED=""
no_escape() {
  local found
  found=$({
    find "$TEST_ROOT" -name '*escaped*'
    find / -maxdepth 1 -name '*escaped*'
  } 2>/dev/null | grep -vxF -e "${NORMALISED_ALLOWED:-/nonexistent}" || true)
  [ -z "$found" ] || fail "a hostile key was written: $found"
}

# normalised_safe_keys FOLDER TARGET: the target paths of planted keys under FOLDER that the server stored
# as safe keys (no '..' segment, no backslash, no empty segment), one per line.
normalised_safe_keys() {
  backend_keys "$1/" | grep escaped | grep -v -e '\.\.' -e '\\' -e '//' |
    sed "s|^$1/|$2/|" || true
}

case_hostile_keys() {
  fresh_case hostile
  write_project code
  deploy_as dep
  expect_ok
  printf 'evil\n' >"$CASE_DIR/evil"
  local key
  while IFS= read -r key; do
    plant_hostile "$key" "$CASE_DIR/evil"
  done < <(hostile_keys code; hostile_keys raw)
  backend_plant "raw/good.py" "$CASE_DIR/evil"
  backend_plant "raw/flows/hello.py" flows/hello.py
  backend_plant "raw/sub/good.txt" "$CASE_DIR/evil"
  echo "planted: $(backend_keys "" | tr '\n' ' ')" >&2

  # With a manifest: only its files are pulled.
  mkdir -p "$CASE_DIR/deep/er"
  pull_into dep "$CASE_DIR/deep/er/worker"
  expect_ok
  [ -f "$CASE_DIR/deep/er/worker/flows/hello.py" ] || fail "the deployed code was not pulled"
  no_escape

  # Without one (a folder pushed by another tool): every safe key, one warning per refused key.
  {
    echo "pull:"
    step_yaml pull raw
  } >syntask.yaml
  deploy_as raw
  expect_ok
  pull_into raw "$CASE_DIR/deep/er/raw"
  expect_ok
  NORMALISED_ALLOWED=$(normalised_safe_keys raw "$CASE_DIR/deep/er/raw")
  stderr_has "has no manifest"
  [ -f "$CASE_DIR/deep/er/raw/good.py" ] && [ -f "$CASE_DIR/deep/er/raw/sub/good.txt" ] || fail "safe keys not pulled"
  no_escape
  [ "$(find "$CASE_DIR/deep" -type f | wc -l)" -eq "$(find "$CASE_DIR/deep/er/worker" "$CASE_DIR/deep/er/raw" -type f | wc -l)" ] ||
    fail "files outside the targets: $(find "$CASE_DIR/deep" -type f)"
}

# Every value that must never be printed: the servers' keys and whatever the hooks name in BACKEND_SECRETS.
check_no_secret() {
  local name value
  for name in $(compgen -e); do
    case "$name" in
    SYNTASK_*KEY | SYNTASK_*SECRET* | SYNTASK_*CONNECTION_STRING | SYNTASK_*TOKEN)
      value=${!name}
      if [ "${#value}" -ge 6 ] && grep -qF -- "$value" "$1"; then
        fail "the value of $name appears in the output"
      fi
      ;;
    esac
  done
  for value in ${BACKEND_SECRETS:-}; do
    if grep -qF -- "$value" "$1"; then
      fail "a secret appears in the output"
    fi
  done
}

case_wrong_credentials() {
  fresh_case wrong-credentials
  write_project code
  if ! backend_wrong_credentials; then
    echo "skipped: the server checks no credentials" >&2
    return 0
  fi
  deploy_as dep
  expect_status 1 "access denied by "
  grep -q '^syntask: error: .*access denied by .*: check the credentials in ' "$ERR" || fail "not the access denied line"
  [ "$(grep -c '^syntask: error:' "$ERR")" -eq 1 ] || fail "more than one error line"
  syn deployment inspect hello/dep
  expect_status 2 "deployment 'hello/dep' does not exist"
  check_no_secret "$CONFORMANCE_ALL"
}

case_incremental() {
  fresh_case incremental
  make_test_files
  write_project code
  deploy_as dep
  expect_ok
  local before after
  before=$(backend_write_count)
  # The hash cache, not rewritten when no file was read, is still marked used (syntask cache ls). Files
  # changed within 2 s of a push are read again by the next: one push later than that trusts them all.
  sleep 2.1
  deploy_as dep
  expect_ok
  touch -d "3 days ago" "$SYNTASK_HOME"/cache/push-hashes/*.json
  deploy_as dep
  expect_ok
  after=$(backend_write_count)
  [ "$after" -eq "$before" ] || fail "a re-push with nothing changed wrote $((after - before)) objects"
  stderr_has "Uploaded 0 files"
  [ -n "$(find "$SYNTASK_HOME/cache/push-hashes" -name '*.json' -mmin -60)" ] ||
    fail "a re-push did not mark its hash cache used"

  printf 'changed\n' >>docs/text.txt
  printf 'new\n' >data/new.txt
  deploy_as dep
  expect_ok
  after=$(backend_write_count)
  # The two files, an interim manifest without the changed one, and the new manifest.
  [ "$after" -eq $((before + 4)) ] || fail "a re-push of 2 changed files wrote $((after - before)) objects, not 4"
  pull_into dep "$CASE_DIR/worker"
  expect_ok
  same_tree "$CASE_DIR/project" "$CASE_DIR/worker"
}

case_prune() {
  fresh_case prune
  printf 'keep\n' >keep.py
  printf 'gone\n' >gone.py
  write_project code "prune: true"
  deploy_as dep
  expect_ok
  printf 'sibling\n' >"$CASE_DIR/sibling"
  backend_plant "code-2/gone.py" "$CASE_DIR/sibling"
  backend_plant "outside.py" "$CASE_DIR/sibling"
  rm gone.py
  deploy_as dep
  expect_ok
  stderr_has "1 removed"
  local keys
  keys=$(backend_keys "")
  grep -qx "code/gone.py" <<<"$keys" && fail "prune left code/gone.py"
  grep -qx "code/keep.py" <<<"$keys" || fail "prune removed code/keep.py"
  grep -qx "code/.syntask-manifest.json" <<<"$keys" || fail "prune removed the manifest"
  grep -qx "code-2/gone.py" <<<"$keys" || fail "prune went outside the folder (code-2/)"
  grep -qx "outside.py" <<<"$keys" || fail "prune went outside the folder"
}

case_ignore_files() {
  fresh_case ignore
  mkdir -p logs secret
  printf 'x\n' >logs/a.log
  printf 'x\n' >secret/key.txt
  printf 'x\n' >keep.txt
  printf '*.log\nsecret/\n' >.syntaskignore
  write_project code
  deploy_as dep
  expect_ok
  local keys
  keys=$(backend_keys code/)
  grep -q "a.log\|secret/" <<<"$keys" && fail ".syntaskignore not applied: $keys"
  grep -qx "code/keep.txt" <<<"$keys" || fail "keep.txt not pushed"
  grep -qx "code/.syntaskignore" <<<"$keys" || fail ".syntaskignore itself not pushed (it ignores not itself)"

  # A project with only a .prefectignore uses it.
  rm .syntaskignore
  printf 'keep.txt\n.prefectignore\n' >.prefectignore
  write_project other
  deploy_as other
  expect_ok
  keys=$(backend_keys other/)
  grep -qx "other/keep.txt" <<<"$keys" && fail ".prefectignore not applied"
  grep -qx "other/logs/a.log" <<<"$keys" || fail "logs/a.log not pushed under .prefectignore"
  grep -qx "other/.prefectignore" <<<"$keys" && fail ".prefectignore pushed although it ignores itself"
  return 0
}

# A project without any ignore file is pushed with the rules `init` writes: never .git/, never .env*.
case_default_ignore() {
  fresh_case default-ignore
  mkdir -p .git/objects .venv/lib
  printf 'ref: refs/heads/main\n' >.git/HEAD
  printf 'TOKEN=not-for-the-bucket\n' >.env
  printf 'TOKEN=local\n' >.env.local
  printf 'x\n' >.venv/lib/site.py
  printf 'x\n' >keep.txt
  write_project code
  deploy_as dep
  expect_ok
  stderr_has "No .syntaskignore or .prefectignore in $CASE_DIR/project: leaving out what \`syntask init\` writes to .syntaskignore (.git/ and other version control, .env and .env.*, virtual environments, caches, editor files)"
  local keys
  keys=$(backend_keys code/)
  grep -qx "code/keep.txt" <<<"$keys" || fail "keep.txt not pushed: $keys"
  grep -qx "code/flows/hello.py" <<<"$keys" || fail "the flow not pushed: $keys"
  ! grep -q "^code/\.git/\|^code/\.env\|^code/\.venv/" <<<"$keys" || fail "private files pushed: $keys"

  # With an ignore file of its own the project's rules apply, and nothing is said about defaults.
  printf 'keep.txt\n' >.syntaskignore
  write_project own
  deploy_as own
  expect_ok
  stderr_lacks "No .syntaskignore"
  keys=$(backend_keys own/)
  grep -qx "own/.env" <<<"$keys" || fail "a project's own ignore file replaces the defaults: $keys"
  ! grep -qx "own/keep.txt" <<<"$keys" || fail ".syntaskignore not applied: $keys"
}

# `init --force` rewrites syntask.yaml only: the project's own .syntaskignore stays and is what a push uses.
case_init_force_keeps_ignore() {
  fresh_case init-force
  mkdir -p private
  printf 'x\n' >private/key.txt
  printf 'private/\n' >.syntaskignore
  syn init --recipe local --force --no-prompt --json
  collect
  expect_ok
  [ "$(cat .syntaskignore)" = "private/" ] || fail "init --force rewrote .syntaskignore: $(head -3 .syntaskignore)"
  [ "$(json_get 'd["files"]')" = "['syntask.yaml']" ] || fail "init --force reports writing: $(json_get 'd["files"]')"
  write_project code
  deploy_as dep
  expect_ok
  local keys
  keys=$(backend_keys code/)
  grep -qx "code/flows/hello.py" <<<"$keys" || fail "the flow not pushed: $keys"
  ! grep -q "^code/private/" <<<"$keys" || fail "the kept .syntaskignore was not applied: $keys"
}

# A pull step naming an output nobody makes (the guide's own GCS snippet reads '{{ pull_code.folder }}')
# fails the deploy at that field before anything is pushed or registered.
case_checks_before_upload() {
  fresh_case checks-first
  {
    echo "name: conformance"
    echo "push:"
    step_yaml push code "id: push_code"
    echo "pull:"
    step_yaml pull "'{{ pull_code.folder }}'" "id: pull_code"
  } >syntask.yaml
  local line column step
  step=$(backend_pull_step x | sed -n '1s/^  - \(.*\):$/\1/p')
  line=$(grep -n "pull_code.folder" syntask.yaml | cut -d: -f1)
  column=$(($(sed -n "${line}p" syntask.yaml | sed -E "s/^( *folder: ).*/\1/" | wc -c)))
  deploy_as dep
  expect_status 2 "'{{ pull_code.folder }}' names no build or push output and no earlier pull step's id; did you mean 'push_code'?"
  stderr_is "syntask: error: $CASE_DIR/project/syntask.yaml:$line:$column: pull[0].$step.folder: '{{ pull_code.folder }}' names no build or push output and no earlier pull step's id; did you mean 'push_code'?"
  [ -z "$(backend_keys "")" ] || fail "the push ran although the pull step is wrong: $(backend_keys "")"
  syn deployment ls --json
  expect_ok
  [ "$(json_get 'len(d["deployments"])')" = 0 ] || fail "a deployment was registered: $(cat "$OUT")"
}

# A push that dies half-way: the new deployment is not registered and the old one refuses to run code
# nobody deployed.
case_interrupted_push() {
  fresh_case interrupted
  printf 'v1\n' >version.txt
  write_project code "max_concurrency: 1"
  deploy_as old
  expect_ok
  mkdir -p bulk
  local i
  for i in $(seq 1 150); do
    head -c 200000 /dev/urandom >"bulk/file-$i.bin"
  done
  printf 'v2\n' >version.txt
  local before
  before=$(backend_write_count)
  "$SYNTASK_BIN" deploy flows/hello.py:hello -n new --no-prompt >"$OUT" 2>"$ERR" </dev/null &
  local deploy_pid=$!
  # Kill the deploy once the push has started writing: a push that dies half-way.
  for i in $(seq 1 200); do
    [ "$(backend_write_count)" -gt $((before + 3)) ] && break
    sleep 0.05
  done
  kill -KILL "$deploy_pid" 2>/dev/null || true
  wait "$deploy_pid" 2>/dev/null || true
  collect
  syn deployment inspect hello/new
  expect_status 2 "deployment 'hello/new' does not exist"
  pull_into old "$CASE_DIR/worker-old"
  expect_status 1 "changed since it was deployed"
  stderr_has ": redeploy to run the current code"
  [ ! -e "$CASE_DIR/worker-old/version.txt" ] || fail "a refused pull wrote files"

  # The server itself restarted in the middle of a push: whatever the outcome, nothing inconsistent is
  # registered.
  printf 'v3\n' >version.txt
  head -c 200000 /dev/urandom >bulk/file-1.bin
  before=$(backend_write_count)
  "$SYNTASK_BIN" deploy flows/hello.py:hello -n restarted --no-prompt >"$OUT" 2>"$ERR" </dev/null &
  deploy_pid=$!
  for i in $(seq 1 200); do
    [ "$(backend_write_count)" -gt $((before + 3)) ] && break
    sleep 0.05
  done
  backend_restart
  STATUS=0
  wait "$deploy_pid" || STATUS=$?
  collect
  if [ "$STATUS" -eq 0 ]; then
    # The push got through the restart. A server that keeps objects in memory lost the earlier ones: the
    # pull must then refuse, never run other code.
    pull_into restarted "$CASE_DIR/worker-restarted"
    if [ "$STATUS" -ne 0 ]; then
      grep -q "push again\|changed since it was deployed" "$ERR" || fail "an inconsistent folder was not reported"
    fi
  else
    syn deployment inspect hello/restarted
    expect_status 2 "deployment 'hello/restarted' does not exist"
  fi
}

# wait_for_writes BEFORE: waits (at most 10 s) until the server has taken more than 3 writes since BEFORE.
wait_for_writes() {
  local i
  for i in $(seq 1 200); do
    [ "$(backend_write_count)" -gt $(($1 + 3)) ] && return 0
    sleep 0.05
  done
}

# Ctrl-C (SIGINT) in the middle of a push and SIGTERM in the middle of a pull: exit status 130 and 143
# (128 + the signal, as shells report it), nothing registered, nothing left behind beside or inside the
# pull's target.
case_ctrl_c() {
  fresh_case ctrl-c
  mkdir -p bulk
  local i
  for i in $(seq 1 150); do
    head -c 200000 /dev/urandom >"bulk/file-$i.bin"
  done
  {
    echo "name: conformance"
    echo "push:"
    step_yaml push code "max_concurrency: 1"
    echo "pull:"
    step_yaml pull code "max_concurrency: 1"
  } >syntask.yaml
  local before
  before=$(backend_write_count)
  syn_background deploy flows/hello.py:hello -n stopped --no-prompt
  wait_for_writes "$before"
  interrupt_when "$CASE_DIR" # exists: at once, the push being under way
  collect
  expect_status 130 "syntask: error: interrupted"
  stderr_has "interrupted"
  syn deployment inspect hello/stopped
  expect_status 2 "deployment 'hello/stopped' does not exist"

  deploy_as whole
  expect_ok
  local worker="$CASE_DIR/worker"
  mkdir -p "$worker"
  syn_background pull hello/whole --dir "$worker"
  # Interrupt once the download has begun: its staging folder exists and holds a file.
  interrupt_when "$CASE_DIR/.worker.syntask-pull-*/bulk/*" TERM
  collect
  expect_status 143 "interrupted by SIGTERM"
  ! compgen -G "$CASE_DIR/.worker.syntask-pull-*" >/dev/null || fail "the pull's staging folder was left behind"
  ! compgen -G "$worker/.worker.syntask-pull-*" >/dev/null || fail "the pull's staging folder was left behind"
  [ -z "$(ls -A "$worker")" ] || fail "an interrupted pull wrote into its target: $(ls -A "$worker" | head -3)"
}

# The whole path a user takes: init with the recipe, deploy without prompts, run in an empty directory.
case_end_to_end() {
  fresh_case end-to-end
  # backend_init_args FOLDER (optional hook): the --field arguments of the recipe, one per line.
  local init_args=()
  if declare -F backend_init_args >/dev/null; then
    mapfile -t init_args < <(backend_init_args e2e)
  fi
  if [ "${#init_args[@]}" -gt 0 ] && syn init --recipe "$BACKEND_RECIPE" --no-prompt "${init_args[@]}" &&
    [ "$STATUS" -eq 0 ]; then
    echo "syntask.yaml from the '$BACKEND_RECIPE' recipe" >&2
  else
    write_project e2e
  fi
  collect
  deploy_as e2e
  expect_ok
  mkdir -p "$CASE_DIR/empty"
  cd "$CASE_DIR/empty" || exit 1
  syn run hello/e2e
  collect
  expect_ok
  stdout_has "Hello, world!"
  [ -f "$CASE_DIR/empty/flows/hello.py" ] || fail "the code was not pulled into the empty directory"
}

# run_storage_conformance [CASE...]: every case (or the ones named, or those CASE names), then the secret
# check.
run_storage_conformance() {
  local cases=("$@")
  if [ "${#cases[@]}" -eq 0 ]; then
    cases=(round_trip sibling_folder hostile_keys ignore_files default_ignore init_force_keeps_ignore
      checks_before_upload prune incremental wrong_credentials end_to_end interrupted_push ctrl_c ${BACKEND_EXTRA_CASES[@]+"${BACKEND_EXTRA_CASES[@]}"})
  fi
  run_cases "${cases[@]}"
  check_no_secret "$CONFORMANCE_ALL"
  echo "storage conformance: ${CASE:-${#cases[@]} cases} passed" >&2
}
