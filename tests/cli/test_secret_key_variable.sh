#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SYNTASK_SECRET_KEY opens every sealed block: no program syntask runs gets it in its environment, and
# whatever prints it shows it masked.
source "$(dirname "$0")/lib.sh"
make_flow_project
KEY=$(python3 -c 'print("5eC7" * 16)')
export SYNTASK_SECRET_KEY=$KEY
export SYNTASK_SECRET_KEY_FILE="$TEST_ROOT/key-file-path"

write_project() {
  cat >syntask.yaml <<YAML
build:
- syntask.deployments.steps.run_shell_script:
    script: $1
deployments:
- name: keyed
  entrypoint: flows/hello.py:hello
YAML
}

# A build step's program does not see the key variables.
case_children_lack_the_key() {
  write_project "python3 -c \"import os; print('key:', os.environ.get('SYNTASK_SECRET_KEY', 'absent'), os.environ.get('SYNTASK_SECRET_KEY_FILE', 'absent'))\""
  syn deploy --no-prompt
  expect_ok
  stdout_has "key: absent absent"
  # Nor does the flow a run starts.
  cat >flows/hello.py <<'PY'
import os
from syntask import flow

@flow(name="hello")
def hello(name: str = "world"):
    print("flow key:", os.environ.get("SYNTASK_SECRET_KEY", "absent"))
PY
  syn run hello/keyed
  expect_ok
  stdout_has "flow key: absent"
}

# The key printed by a step (here put in its command line by a template reference to the environment) is
# masked, also in upper case as a user may have written it.
case_printed_key_is_masked() {
  write_project 'echo key={{ $SYNTASK_SECRET_KEY }}'
  syn deploy --no-prompt
  expect_ok
  stdout_has "key=********"
  stdout_lacks "$KEY"
  stdout_lacks "${KEY:0:16}"
  export SYNTASK_SECRET_KEY=${KEY^^}
  syn deploy --no-prompt
  expect_ok
  stdout_has "key=********"
  stdout_lacks "${KEY^^}"
  export SYNTASK_SECRET_KEY=$KEY
}

run_cases
echo ok
