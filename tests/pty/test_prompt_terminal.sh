#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The terminal prompter through a real pseudo-terminal: arrow-key menu, hidden secret, Ctrl-C, and the
# non-interactive fallback when stdin is not a terminal or CI is set. Every case runs; the failures are
# counted and reported at the end.

if [[ -z "${SYNTASK_PROMPT_DEMO:-}" || ! -x "${SYNTASK_PROMPT_DEMO}" ]]; then
  echo "skipped: SYNTASK_PROMPT_DEMO does not name the built syntask_prompt_demo"
  exit 125
fi
if ! command -v python3 >/dev/null; then
  echo "skipped: python3 is not installed"
  exit 125
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "${here}/../cli/lib.sh"
driver="${here}/pty_driver.py"
work="$TEST_ROOT"
failures=0

# run_transcript NAME COMMAND...: runs the script read from stdin against COMMAND in a pseudo-terminal.
run_transcript() {
  local name="$1"
  shift
  cat >"${work}/${name}.script"
  if python3 "${driver}" --script "${work}/${name}.script" -- "$@"; then
    echo "ok: ${name}"
  else
    echo "FAILED: ${name}"
    failures=$((failures + 1))
  fi
}

demo=(env -u CI NO_COLOR=1 "${SYNTASK_PROMPT_DEMO}")

case_answers() {
  run_transcript answers "${demo[@]}" <<'EOF'
expect \? Continue\? \[y/n\] \(y\): 
sendline maybe
expect please answer y or n
expect \? Continue\? \[y/n\] \(y\): 
sendline YES
expect \? Deployment name \(default\): 
sendline my-deployment
expect \? Work pool \(arrow keys to move, enter to select\)
expect > process-pool
key down
expect > docker-pool
key down
expect > k8s-pool
key up
expect > docker-pool
key enter
expect \? Work pool docker-pool\n
expect \? Access token: 
send s3cr3t-tok\x7fken
key enter
expect confirm=yes\n
expect name=my-deployment\n
expect pool=docker-pool\n
expect token_length=12\n
expect-exit 0
secret-not-echoed s3cr3t-token
secret-not-echoed s3cr3t-tok
expect-terminal-sane
EOF
}

case_defaults_and_vi_keys() {
  run_transcript defaults_and_vi_keys "${demo[@]}" <<'EOF'
expect \[y/n\] \(y\): 
key enter
expect \(default\): 
key enter
expect > process-pool
send j
expect > docker-pool
send jj
expect > process-pool
send k
expect > k8s-pool
key enter
expect \? Work pool k8s-pool\n
expect \? Access token: 
key enter
expect an answer is required
expect \? Access token: 
sendline hunter22
expect name=default\n
expect pool=k8s-pool\n
expect token_length=8\n
expect-exit 0
secret-not-echoed hunter22
EOF
}

case_ctrl_c_in_menu() {
  run_transcript ctrl_c_in_menu "${demo[@]}" <<'EOF'
expect \[y/n\] \(y\): 
sendline y
expect \(default\): 
sendline x
expect > process-pool
key down
key ctrl-c
expect syntask: error: interrupted
expect-exit 130
expect-terminal-sane
EOF
}

case_ctrl_c_at_secret() {
  run_transcript ctrl_c_at_secret "${demo[@]}" <<'EOF'
expect \[y/n\] \(y\): 
sendline y
expect \(default\): 
sendline x
expect > process-pool
key enter
expect \? Access token: 
send half-typed
key ctrl-c
expect syntask: error: interrupted
expect-exit 130
expect-terminal-sane
secret-not-echoed half-typed
EOF
}

# A signal while the terminal is in raw mode: settings restored before the process dies.
case_sigterm_at_secret() {
  run_transcript sigterm_at_secret "${demo[@]}" <<'EOF'
expect \[y/n\] \(y\): 
sendline y
expect \(default\): 
sendline x
expect > process-pool
key enter
expect \? Access token: 
signal TERM
expect-exit 143
expect-terminal-sane
EOF
}

case_end_of_input_at_secret() {
  run_transcript end_of_input_at_secret "${demo[@]}" <<'EOF'
expect \[y/n\] \(y\): 
sendline n
expect \(default\): 
sendline x
expect > process-pool
key enter
expect \? Access token: 
key ctrl-d
expect syntask: error: no answer for 'Access token' \(input ended\); pass --token
expect-exit 2
expect-terminal-sane
EOF
}

case_ci_on_a_terminal() {
  run_transcript ci_on_a_terminal env CI=1 NO_COLOR=1 "${SYNTASK_PROMPT_DEMO}" <<'EOF'
expect syntask: error: missing answer for 'Access token': pass --token
expect-exit 2
EOF
}

case_no_prompt_flag() {
  run_transcript no_prompt_flag "${demo[@]}" --no-prompt <<'EOF'
expect syntask: error: missing answer for 'Access token': pass --token
expect-exit 2
EOF
}

# stdin not a terminal (and CI set): no question is asked, defaults are taken, the secret fails.
case_non_terminal_stdin() {
  local stderr_file="${work}/non_terminal.stderr" status=0 expected
  CI=1 "${SYNTASK_PROMPT_DEMO}" </dev/null >"${work}/non_terminal.stdout" 2>"${stderr_file}" || status=$?
  expected="syntask: error: missing answer for 'Access token': pass --token"
  if [[ ${status} -eq 2 && "$(cat "${stderr_file}")" == "${expected}" && ! -s "${work}/non_terminal.stdout" ]]; then
    echo "ok: non_terminal_stdin"
  else
    echo "FAILED: non_terminal_stdin (exit ${status})"
    echo "--- stderr ---"
    cat "${stderr_file}"
    failures=$((failures + 1))
  fi
}

run_cases

if [[ ${failures} -ne 0 ]]; then
  echo "${failures} case(s) failed"
  exit 1
fi
echo "all pseudo-terminal cases passed"
