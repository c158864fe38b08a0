#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `syntask block register -m MODULE`, as the seeds' instructions run it: the block types are built in,
# so it succeeds and lists them; unknown modules and -f FILE are usage errors.
source "$(dirname "$0")/lib.sh"

check_module() {
  local module=$1 slug=$2
  syn block register -m "$module"
  expect_ok
  [ "$(head -n 1 "$OUT")" = "The block types of '$module' are built into syntask; nothing needed registering:" ] ||
    fail "block register -m $module: first line"
  grep -qE "^  $slug	" "$OUT" || fail "block register -m $module lists $slug"
  [ "$(wc -l <"$OUT")" -eq 2 ] || fail "block register -m $module lists one block type"
  stderr_has "syntask block create TYPE NAME"
  syn block register --module "$module" --json
  expect_ok
  [ "$(json_get 'd["module"]')" = "$module" ] || fail "--json module"
  [ "$(json_get '[t["slug"] for t in d["block_types"]]')" = "['$slug']" ] || fail "--json block types of $module"
  [ "$(json_get 'd["registered"]')" = "[]" ] || fail "--json: nothing is registered"
}

case_builtin_modules() {
  for prefix in syntask prefect; do
    check_module "${prefix}_aws" aws-credentials
    check_module "${prefix}_gcp" gcp-credentials
    check_module "${prefix}_azure" azure-blob-storage-credentials
    check_module "${prefix}_github" github-credentials
    check_module "${prefix}_gitlab" gitlab-credentials
    check_module "${prefix}_bitbucket" bitbucket-credentials
    check_module "${prefix}_docker" docker-registry-credentials
  done
}

# What the seeds do next works: the listed type can be created.
case_create_registered_type() {
  printf 'secret-value\n' | "$SYNTASK_BIN" block create aws-credentials seeded --field aws_access_key_id=AKID \
    --value-stdin >/dev/null || fail "creating a block of the registered type"
}

case_unknown_module() {
  local known="syntask_aws, syntask_gcp, syntask_azure, syntask_github, syntask_gitlab, syntask_bitbucket, syntask_docker"
  syn block register -m syntask_awz
  expect_status 2 "unknown module 'syntask_awz'; did you mean 'syntask_aws'?"
  stderr_is "syntask: error: unknown module 'syntask_awz'; did you mean 'syntask_aws'? (known modules: $known, and their prefect_* spellings)"
  syn block register -m prefect.blocks.system
  expect_status 2 "unknown module 'prefect.blocks.system'"
  stderr_is "syntask: error: unknown module 'prefect.blocks.system' (known modules: $known, and their prefect_* spellings)"
}

case_custom_file() {
  syn block register -f my_blocks.py
  expect_status 2 "custom block types from 'my_blocks.py' are not supported"
  stderr_is "syntask: error: custom block types from 'my_blocks.py' are not supported: syntask's block types are built in (see \`syntask block type ls\`)"
  syn block register --file my_blocks.py -m syntask_aws
  expect_status 2 "custom block types from 'my_blocks.py' are not supported"
}

case_usage() {
  syn block register
  expect_status 2 "pass -m MODULE"
  stderr_is "syntask: error: pass -m MODULE, e.g. \`syntask block register -m syntask_aws\`"
  syn block register --help
  expect_ok
  stdout_has "-m,--module"
}

run_cases
echo ok
