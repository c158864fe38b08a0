#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Object storage questions in a real pseudo-terminal: `syntask init` picking the s3 recipe from the menu
# and asking its fields (defaults offered, optional ones left out when answered empty), and an
# interactive deploy without pull steps or a git remote offering S3, GCS and Azure Blob storage.
source "$(dirname "$0")/../cli/lib.sh"
driver="$SYNTASK_SOURCE_DIR/tests/pty/pty_driver.py"
make_flow_project

case_init_s3_from_menu() {
  local expected actual
  rm -f syntask.yaml
  cat >"$TEST_ROOT/init.script" <<'EOF_SCRIPT'
expect Which recipe would you like to initialize your project with\?
expect s3  Store code in an S3 bucket
key down
key down
key enter
expect \? S3 bucket to store and retrieve the code from:
sendline code-bucket
expect \? folder \(key prefix\) the code is stored under \(default: the project directory name\) \(project\):
key enter
expect \? name of an aws-credentials block \(empty: the AWS environment chain\):
sendline prod
expect \? endpoint URL of an S3-compatible store \(empty: AWS\):
key enter
expect Created project in
expect-exit 0
EOF_SCRIPT
  python3 "$driver" --script "$TEST_ROOT/init.script" -- "$SYNTASK_BIN" init ||
    fail "interactive init transcript did not match"
  expected="push:
- syntask_aws.deployments.steps.push_to_s3:
    id: push_code
    bucket: code-bucket
    folder: project
    credentials: << syntask.blocks.aws-credentials.prod >>

# pull section allows you to provide instructions for cloning this project in remote locations
pull:
- syntask_aws.deployments.steps.pull_from_s3:
    id: pull_code
    bucket: << push_code.bucket >>
    folder: << push_code.folder >>
    credentials: << syntask.blocks.aws-credentials.prod >>"
  actual=$(sed -n '/^push:/,/^# the deployments section/p' syntask.yaml | sed '$d')
  [ "$actual" = "$expected" ] || fail "init wrote other steps:
$actual"
  rm syntask.yaml
}

# The deploy offer: without a credentials block the environment's credentials are announced.
case_deploy_offer_without_block() {
  rm -f syntask.yaml
  cat >"$TEST_ROOT/deploy-none.script" <<'EOF_SCRIPT'
expect configure a schedule
key enter
expect Would you like your workers to pull your flow code from a remote storage location when running this flow\? \[y/n\] \(n\):
sendline y
expect Please select a remote code storage option\.
expect Store code in an Azure Blob Storage container
key down
key down
key enter
expect \? Azure Blob Storage container to store and retrieve the code from:
sendline code
expect \(project\):
sendline team/flows
expect No azure-blob-storage-credentials block exists: push and pull use the environment's credentials
expect Plan for deployment 'hello/stored'
expect push_to_azure_blob_storage
expect-exit 0
EOF_SCRIPT
  python3 "$driver" --script "$TEST_ROOT/deploy-none.script" -- \
    "$SYNTASK_BIN" deploy flows/hello.py:hello --name stored --pool default --dry-run ||
    fail "deploy offer (azure, no block) transcript did not match"
}

# With blocks of the service's type, one is picked from a menu.
case_deploy_offer_block_menu() {
  rm -f syntask.yaml
  printf 'not-a-real-secret\n' | "$SYNTASK_BIN" block create aws-credentials prod --field aws_access_key_id=AKID \
    --value-stdin >/dev/null || fail "creating the aws-credentials block"
  cat >"$TEST_ROOT/deploy-s3.script" <<'EOF_SCRIPT'
expect configure a schedule
key enter
expect remote storage location
sendline y
expect Please select a remote code storage option\.
key enter
expect \? S3 bucket to store and retrieve the code from:
sendline code-bucket
expect \(project\):
key enter
expect Which aws-credentials block should push and pull use\?
expect None: use the environment's credentials
key enter
expect endpoint URL
sendline http://127.0.0.1:4568
expect Plan for deployment 'hello/stored'
expect syntask_aws\.deployments\.steps\.pull_from_s3
expect bucket: << push_code\.bucket >>
expect endpoint_url: http://127\.0\.0\.1:4568
expect credentials: << syntask\.blocks\.aws-credentials\.prod >>
expect syntask_aws\.deployments\.steps\.push_to_s3
expect bucket: code-bucket
expect-exit 0
EOF_SCRIPT
  python3 "$driver" --script "$TEST_ROOT/deploy-s3.script" -- \
    "$SYNTASK_BIN" deploy flows/hello.py:hello --name stored --pool default --dry-run ||
    fail "deploy offer (s3) transcript did not match"
}

# Declining keeps the code where it is; without a terminal nothing is asked.
case_declining_keeps_code() {
  rm -f syntask.yaml
  cat >"$TEST_ROOT/deploy-decline.script" <<'EOF_SCRIPT'
expect configure a schedule
key enter
expect remote storage location
key enter
expect syntask\.deployments\.steps\.set_working_directory
expect push: \[\]
expect-exit 0
EOF_SCRIPT
  python3 "$driver" --script "$TEST_ROOT/deploy-decline.script" -- \
    "$SYNTASK_BIN" deploy flows/hello.py:hello --name stored --pool default --dry-run ||
    fail "declining the storage offer"
  syn deploy flows/hello.py:hello --name stored --pool default --dry-run --json
  expect_ok
  [ "$(json_get 'd["deployments"][0]["push"]')" = "[]" ] || fail "no push steps without a terminal"
}

run_cases
echo ok
