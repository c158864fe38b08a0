#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `syntask deploy` in a real pseudo-terminal: flow discovery, arrow-key choices, a new work pool, a
# schedule re-asked after a bad answer, and saving the answers to syntask.yaml. Then the same
# deployment without prompts.
source "$(dirname "$0")/../cli/lib.sh"
driver="$SYNTASK_SOURCE_DIR/tests/pty/pty_driver.py"
make_flow_project
cat >flows/second.py <<'PY'
import syntask

@syntask.flow(name="second-flow")
def second():
    print("second")
PY

cat >"$TEST_ROOT/deploy.script" <<'EOF_SCRIPT'
expect Select a flow to deploy
expect hello
key enter
expect Deployment name
sendline interactive
expect Which work pool
key down
key enter
expect Work pool name
sendline my-pool
expect infrastructure type
key enter
expect configure a schedule
sendline y
expect What type of schedule
key down
key enter
expect Cron string
sendline 61 * * * *
expect out of range
expect Cron string
sendline */10 * * * *
expect Timezone
sendline Europe/Paris
expect activate this schedule
key enter
expect remote storage location
key enter
expect successfully created
expect save configuration
sendline y
expect saved to syntask.yaml
expect-exit 0
EOF_SCRIPT

# deploy_interactively: answers deploy's questions as deploy.script does, saving them to syntask.yaml.
deploy_interactively() {
  python3 "$driver" --script "$TEST_ROOT/deploy.script" -- "$SYNTASK_BIN" deploy ||
    fail "interactive deploy transcript did not match"
}

# given_interactive_saved: hello/interactive deployed and saved to syntask.yaml by deploy_interactively.
given_interactive_saved() {
  syn deployment inspect hello/interactive --json
  [ "$STATUS" -eq 0 ] && grep -q "name: interactive" syntask.yaml 2>/dev/null && return
  deploy_interactively
}

case_interactive_deploy() {
  deploy_interactively
  syn deployment inspect hello/interactive --json
  expect_ok
  [ "$(json_get 'd["work_pool"]["name"]')" = "my-pool" ] || fail "the new pool was chosen"
  [ "$(json_get 'd["schedules"][0]["cron"]')" = "*/10 * * * *" ] || fail "cron schedule"
  [ "$(json_get 'd["schedules"][0]["timezone"]')" = "Europe/Paris" ] || fail "timezone"
  grep -q "name: interactive" syntask.yaml || fail "the deployment was not saved to syntask.yaml"
}

# The saved configuration redeploys without a single question.
case_saved_redeploys() {
  given_interactive_saved
  syn deploy -n interactive --no-prompt
  expect_ok
  stdout_has "Deployment 'hello/interactive' successfully updated."
}

# The same questions, unanswerable without a terminal, name their flags.
case_no_terminal_names_flags() {
  rm -f syntask.yaml
  syn deploy
  expect_status 2 "pass an ENTRYPOINT argument"
}

# Secrets are asked without echo.
case_secret_without_echo() {
  cat >"$TEST_ROOT/secret.script" <<'EOF_SCRIPT'
expect value
sendline hunter2-secret-value
secret-not-echoed hunter2-secret-value
expect Created block
expect-exit 0
EOF_SCRIPT
  python3 "$driver" --script "$TEST_ROOT/secret.script" -- "$SYNTASK_BIN" block create secret typed ||
    fail "secret prompt transcript did not match"
}

# Ctrl-C at a prompt exits 130.
case_ctrl_c_exits_130() {
  rm -f syntask.yaml
  cat >"$TEST_ROOT/interrupt.script" <<'EOF_SCRIPT'
expect Select a flow to deploy
key ctrl-c
expect-exit 130
EOF_SCRIPT
  python3 "$driver" --script "$TEST_ROOT/interrupt.script" -- "$SYNTASK_BIN" deploy ||
    fail "Ctrl-C at a prompt must exit 130"
}

run_cases
echo ok
