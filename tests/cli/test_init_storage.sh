#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `syntask init` with the s3, gcs and azure recipes: fields from --field, defaults, --no-prompt naming
# the missing field, block references instead of secrets, and the exact syntask.yaml written.
source "$(dirname "$0")/lib.sh"
make_flow_project

version=$("$SYNTASK_BIN" --version | awk '{print $2}')

# expect_project PUSH_AND_PULL: syntask.yaml is the recipe document with these push and pull sections.
expect_project() {
  local expected
  expected=$(
    cat <<EOF_YAML
# Welcome to your syntask.yaml file! You can use this file for storing and managing
# configuration for deploying your flows. We recommend committing this file to source
# control along with your flow code.

# Generic metadata about this project
name: project
syntask-version: $version

# build section allows you to manage and build docker images
build: null

# push section allows you to manage if and how this project is uploaded to remote locations
$1

# the deployments section allows you to provide configuration for deploying flows
deployments:
# - name: my-deployment
#   entrypoint: flows/my_flow.py:my_flow
#   parameters: {}
#   work_pool:
#     name: default
#   schedules:
#   - cron: "0 6 * * *"
#     timezone: UTC
EOF_YAML
  )
  [ "$(cat syntask.yaml)" = "$expected" ] || {
    diff <(echo "$expected") syntask.yaml >&2 || true
    fail "syntask.yaml differs from the expected recipe output"
  }
}

# Once the storage steps exist, the written file must also pass deploy's validation.
storage_steps_known=0
syn steps ls
if grep -qF "syntask_aws.deployments.steps.push_to_s3" "$OUT"; then
  storage_steps_known=1
fi
validate_project() {
  [ "$storage_steps_known" = 1 ] || return 0
  syn deploy flows/hello.py:hello --name check --dry-run --no-prompt
  expect_ok
}

syn block create aws-credentials prod --field aws_access_key_id=AKIDEXAMPLE --value-stdin
printf 'not-a-real-secret\n' | "$SYNTASK_BIN" block create aws-credentials prod --field aws_access_key_id=AKIDEXAMPLE \
  --value-stdin >/dev/null || fail "creating the aws-credentials block"

# --- s3: every field given.
case_s3_every_field() {
  rm -f syntask.yaml
  syn init --recipe s3 --no-prompt --field bucket=code-bucket --field folder=flows/team-a \
    --field credentials_block=prod --field endpoint_url=http://127.0.0.1:9000
  expect_ok
  stdout_has "syntask.yaml"
  expect_project "push:
- syntask_aws.deployments.steps.push_to_s3:
    id: push_code
    bucket: code-bucket
    folder: flows/team-a
    credentials: << syntask.blocks.aws-credentials.prod >>
    client_parameters:
      endpoint_url: http://127.0.0.1:9000

# pull section allows you to provide instructions for cloning this project in remote locations
pull:
- syntask_aws.deployments.steps.pull_from_s3:
    id: pull_code
    bucket: << push_code.bucket >>
    folder: << push_code.folder >>
    credentials: << syntask.blocks.aws-credentials.prod >>
    client_parameters:
      endpoint_url: http://127.0.0.1:9000"
  validate_project
}

# --- s3: only the bucket; folder defaults to the directory name, no credentials (the AWS environment
# chain) and no endpoint leave their lines out, client_parameters included.
case_s3_bucket_only() {
  syn init --recipe s3 --no-prompt --force --field bucket=code-bucket
  expect_ok
  expect_project "push:
- syntask_aws.deployments.steps.push_to_s3:
    id: push_code
    bucket: code-bucket
    folder: project

# pull section allows you to provide instructions for cloning this project in remote locations
pull:
- syntask_aws.deployments.steps.pull_from_s3:
    id: pull_code
    bucket: << push_code.bucket >>
    folder: << push_code.folder >>"
  validate_project
}

# --- s3: a missing bucket names its flag; nothing is written.
case_s3_missing_bucket() {
  rm -f syntask.yaml
  syn init --recipe s3 --no-prompt
  expect_status 2 "missing answer for 'S3 bucket to store and retrieve the code from'"
  stderr_is "syntask: error: missing answer for 'S3 bucket to store and retrieve the code from': pass --field bucket=VALUE"
  [ ! -e syntask.yaml ] || fail "a failed init wrote syntask.yaml"
  # Without a terminal it is the same.
  syn init --recipe s3
  expect_status 2 "pass --field bucket=VALUE"
  stderr_has "pass --field bucket=VALUE"
}

# A block name is a name, not a reference or a secret.
case_block_name_not_reference() {
  rm -f syntask.yaml
  syn init --recipe s3 --no-prompt --field bucket=b --field 'credentials_block=<< x >>'
  expect_status 2 "--field credentials_block '<< x >>': a block name uses only letters"
  stderr_is "syntask: error: --field credentials_block '<< x >>': a block name uses only letters, digits, '-' and '_'"
  syn init --recipe s3 --no-prompt --field bucket=b --field credentials=literal
  expect_status 2 "recipe 's3' has no field 'credentials'"
  stderr_is "syntask: error: recipe 's3' has no field 'credentials' (fields: bucket, folder, credentials_block, endpoint_url)"
}

# A block that does not exist yet is fine at init: deploy checks it.
case_block_not_yet_exists() {
  rm -f syntask.yaml
  syn init --recipe s3 --no-prompt --field bucket=b --field credentials_block=not-yet
  expect_ok
  grep -qxF "    credentials: << syntask.blocks.aws-credentials.not-yet >>" syntask.yaml ||
    fail "the credentials block reference is written"
}

# --- gcs.
case_gcs() {
  syn init --recipe gcs --no-prompt --force --field bucket=gcs-code --field project=my-project \
    --field credentials_block=gcp-prod
  expect_ok
  expect_project "push:
- syntask_gcp.deployments.steps.push_to_gcs:
    id: push_code
    bucket: gcs-code
    folder: project
    project: my-project
    credentials: << syntask.blocks.gcp-credentials.gcp-prod >>

# pull section allows you to provide instructions for cloning this project in remote locations
pull:
- syntask_gcp.deployments.steps.pull_from_gcs:
    id: pull_code
    bucket: << push_code.bucket >>
    folder: << push_code.folder >>
    project: my-project
    credentials: << syntask.blocks.gcp-credentials.gcp-prod >>"
  syn init --recipe gcs --no-prompt --force --field bucket=gcs-code --field folder=code
  expect_ok
  expect_project "push:
- syntask_gcp.deployments.steps.push_to_gcs:
    id: push_code
    bucket: gcs-code
    folder: code

# pull section allows you to provide instructions for cloning this project in remote locations
pull:
- syntask_gcp.deployments.steps.pull_from_gcs:
    id: pull_code
    bucket: << push_code.bucket >>
    folder: << push_code.folder >>"
  validate_project
  syn init --recipe gcs --no-prompt --force
  expect_status 2 "missing answer for 'GCS bucket to store and retrieve the code from'"
  stderr_is "syntask: error: missing answer for 'GCS bucket to store and retrieve the code from': pass --field bucket=VALUE"
}

# --- azure.
case_azure() {
  syn init --recipe azure --no-prompt --force --field container=code --field credentials_block=az
  expect_ok
  expect_project "push:
- syntask_azure.deployments.steps.push_to_azure_blob_storage:
    id: push_code
    container: code
    folder: project
    credentials: << syntask.blocks.azure-blob-storage-credentials.az >>

# pull section allows you to provide instructions for cloning this project in remote locations
pull:
- syntask_azure.deployments.steps.pull_from_azure_blob_storage:
    id: pull_code
    container: << push_code.container >>
    folder: << push_code.folder >>
    credentials: << syntask.blocks.azure-blob-storage-credentials.az >>"
  syn init --recipe azure --no-prompt --force --field container=code
  expect_ok
  validate_project
  syn init --recipe azure --no-prompt --force --field bucket=code
  expect_status 2 "recipe 'azure' has no field 'bucket'"
  stderr_is "syntask: error: recipe 'azure' has no field 'bucket' (fields: container, folder, credentials_block)"
  syn init --recipe azure --no-prompt --force
  expect_status 2 "missing answer for 'Azure Blob Storage container to store and retrieve the code from'"
  stderr_is "syntask: error: missing answer for 'Azure Blob Storage container to store and retrieve the code from': pass --field container=VALUE"
}

# A value that YAML would read as something else is quoted.
case_yaml_values_quoted() {
  syn init --recipe s3 --no-prompt --force --field bucket=true --field 'folder=a: b'
  expect_ok
  grep -qxF "    bucket: 'true'" syntask.yaml || grep -qxF '    bucket: "true"' syntask.yaml || fail "bucket quoted"
}

# --- the recipes are listed by --help and in the unknown-recipe error.
case_recipes_listed() {
  syn init --help
  expect_ok
  for recipe in local git s3 gcs azure; do
    stdout_has "  $recipe  "
  done
  syn init --recipe s4 --no-prompt
  expect_status 2 "unknown recipe 's4'; did you mean 's3'?"
  stderr_is "syntask: error: unknown recipe 's4'; did you mean 's3'? (recipes: local, git, s3, gcs, azure, docker, docker-git, docker-s3, docker-gcs, docker-azure)"
  syn init --recipe s3 --no-prompt --force --field bucket=b --json
  expect_ok
  [ "$(json_get 'd["recipe"]')" = "s3" ] || fail "init --json names the recipe"
}

run_cases
echo ok
