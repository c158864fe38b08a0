#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `syntask init` with the image recipes (docker, docker-git, docker-s3, docker-gcs, docker-azure): the
# build, push and pull sections written from --field values, the registry login as a block reference,
# the Dockerfile default, missing required fields under --no-prompt, the recipe listing, and recipe
# inference from a Dockerfile.
source "$(dirname "$0")/lib.sh"
make_flow_project

# section NAME: the text of syntask.yaml's top-level section NAME, up to the next blank line.
section() {
  sed -n "/^$1:/,/^\$/p" syntask.yaml | sed '/^$/d'
}

# expect_section NAME TEXT
expect_section() {
  local actual
  actual=$(section "$1")
  [ "$actual" = "$2" ] || {
    diff <(echo "$2") <(echo "$actual") >&2 || true
    fail "the $1 section differs"
  }
}

docker_build="build:
- syntask_docker.deployments.steps.build_docker_image:
    id: build_image
    image_name: 127.0.0.1:5000/team/flows
    tag: latest
    dockerfile: auto"
docker_push="push:
- syntask_docker.deployments.steps.push_docker_image:
    id: push_image
    image_name: << build_image.image_name >>
    tag: << build_image.tag >>"
image_stub="deployments:
# - name: my-deployment
#   entrypoint: flows/my_flow.py:my_flow
#   parameters: {}
#   work_pool:
#     name: my-docker-pool
#     job_variables:
#       image: << build_image.image >>
#   schedules:
#   - cron: \"0 6 * * *\"
#     timezone: UTC"

# given_docker_project: syntask.yaml of the docker recipe with only the image name, no Dockerfile.
given_docker_project() {
  rm -f Dockerfile
  syn init --recipe docker --no-prompt --force --field image_name=127.0.0.1:5000/team/flows
  expect_ok
}

# given_dockerfile: the project has its own Dockerfile.
given_dockerfile() {
  printf 'FROM busybox\nCOPY . /opt/syntask/project/\n' >Dockerfile
}

# --- docker: only the image name; the tag defaults to latest, no Dockerfile means auto, no block means
# ~/.docker/config.json (no credentials line), and the pull step moves to where auto copies the project.
case_docker_image_name_only() {
  rm -f syntask.yaml Dockerfile
  syn init --recipe docker --no-prompt --field image_name=127.0.0.1:5000/team/flows
  expect_ok
  expect_section build "$docker_build"
  expect_section push "$docker_push"
  expect_section pull "pull:
- syntask.deployments.steps.set_working_directory:
    directory: /opt/syntask/project"
  [ "$(sed -n '/^deployments:/,$p' syntask.yaml)" = "$image_stub" ] || fail "the deployment stub runs the built image"
}

# The file is a valid project: a dry-run deploy plans the image steps and the pull into the image.
case_dry_run_plans_image() {
  given_docker_project
  syn deploy flows/hello.py:hello --name check --dry-run --no-prompt --json
  expect_ok
  [ "$(json_get 'list(d["deployments"][0]["build"][0])[0]')" = "syntask_docker.deployments.steps.build_docker_image" ] ||
    fail "the dry run plans the build step"
  [ "$(json_get 'd["deployments"][0]["record"]["pull_steps"][0]["syntask.deployments.steps.set_working_directory"]["directory"]')" = \
    "/opt/syntask/project" ] || fail "the dry run keeps the pull into the image"
}

# --- every field: a tag, a base image and a registry login block (a reference, never a value).
case_docker_every_field() {
  syn init --recipe docker --no-prompt --force --field image_name=127.0.0.1:5000/team/flows --field tag=2.1 \
    --field base_image=127.0.0.1:5001/syntask-test/python:3.11 --field registry_credentials_block=registry
  expect_ok
  expect_section build "build:
- syntask_docker.deployments.steps.build_docker_image:
    id: build_image
    image_name: 127.0.0.1:5000/team/flows
    tag: \"2.1\"
    dockerfile: auto
    base_image: 127.0.0.1:5001/syntask-test/python:3.11"
  expect_section push "$docker_push
    credentials: << syntask.blocks.docker-registry-credentials.registry >>"
}

# A project with a Dockerfile builds it, and then has no base image to set.
case_project_dockerfile() {
  given_dockerfile
  syn init --recipe docker --no-prompt --force --field image_name=team/flows
  expect_ok
  grep -qxF "    dockerfile: Dockerfile" syntask.yaml || fail "an existing Dockerfile is used"
  syn init --recipe docker --no-prompt --force --field image_name=team/flows --field base_image=python:3.11
  expect_status 2 "--field base_image: only the auto Dockerfile has a base image to set"
  stderr_is "syntask: error: --field base_image: only the auto Dockerfile has a base image to set, and this project builds 'Dockerfile'"
  syn init --recipe docker --no-prompt --force --field image_name=team/flows --field dockerfile=auto \
    --field base_image=python:3.11
  expect_ok
  grep -qxF "    base_image: python:3.11" syntask.yaml || fail "base_image with an explicit auto"
  rm Dockerfile
}

# A Dockerfile makes docker the inferred recipe (docker-git with a git remote, below).
case_dockerfile_infers_docker() {
  given_dockerfile
  rm -f syntask.yaml
  syn init --no-prompt --field image_name=team/flows --json
  expect_ok
  [ "$(json_get 'd["recipe"]')" = "docker" ] || fail "a Dockerfile infers the docker recipe"
  rm Dockerfile
}

# --- missing required fields under --no-prompt name their flag, in one line; nothing is written.
case_missing_fields_named() {
  rm -f syntask.yaml
  syn init --recipe docker --no-prompt
  expect_status 2 "missing answer for 'image name, with its registry"
  stderr_is "syntask: error: missing answer for 'image name, with its registry (e.g. registry.example.com/team/flows)': pass --field image_name=VALUE"
  [ ! -e syntask.yaml ] || fail "a failed init wrote syntask.yaml"
  syn init --recipe docker-s3 --no-prompt --field image_name=team/flows
  expect_status 2 "missing answer for 'S3 bucket to store and retrieve the code from'"
  stderr_is "syntask: error: missing answer for 'S3 bucket to store and retrieve the code from': pass --field bucket=VALUE"
  syn init --recipe docker-s3 --no-prompt --field bucket=code
  expect_status 2 "pass --field image_name=VALUE"
  stderr_has "pass --field image_name=VALUE"
  syn init --recipe docker --no-prompt --field image_name=team/flows --field registry_credentials_block='a b'
  expect_status 2 "--field registry_credentials_block 'a b': a block name uses only letters"
  stderr_is "syntask: error: --field registry_credentials_block 'a b': a block name uses only letters, digits, '-' and '_'"
  syn init --recipe docker --no-prompt --field image_name=team/flows --field bucket=b
  expect_status 2 "recipe 'docker' has no field 'bucket'"
  stderr_is "syntask: error: recipe 'docker' has no field 'bucket' (fields: image_name, tag, dockerfile, base_image, registry_credentials_block)"
}

# --- docker-git: the image steps and the git recipe's pull, with its fields and defaults.
case_docker_git() {
  rm -f syntask.yaml
  syn init --recipe docker-git --no-prompt --field image_name=127.0.0.1:5000/team/flows \
    --field repository=https://example.com/org/flows.git --field access_token_block=repo-token
  expect_ok
  expect_section build "$docker_build"
  expect_section push "$docker_push"
  expect_section pull "pull:
- syntask.deployments.steps.git_clone:
    id: clone-step
    repository: https://example.com/org/flows.git
    branch: main
    access_token: << syntask.blocks.secret.repo-token >>"
  syn init --recipe docker-git --no-prompt --force --field image_name=team/flows
  expect_status 2 "missing answer for 'URL of the git repository workers clone"
  stderr_is "syntask: error: missing answer for 'URL of the git repository workers clone (default: this repository's remote)': pass --field repository=URL"
}

# --- docker-s3: the image push, then the code push; the S3 pull; both blocks as references.
case_docker_s3() {
  syn init --recipe docker-s3 --no-prompt --force --field image_name=127.0.0.1:5000/team/flows \
    --field bucket=code-bucket --field credentials_block=aws --field registry_credentials_block=registry
  expect_ok
  expect_section build "$docker_build"
  expect_section push "$docker_push
    credentials: << syntask.blocks.docker-registry-credentials.registry >>
- syntask_aws.deployments.steps.push_to_s3:
    id: push_code
    bucket: code-bucket
    folder: project
    credentials: << syntask.blocks.aws-credentials.aws >>"
  expect_section pull "pull:
- syntask_aws.deployments.steps.pull_from_s3:
    id: pull_code
    bucket: << push_code.bucket >>
    folder: << push_code.folder >>
    credentials: << syntask.blocks.aws-credentials.aws >>"
}

# --- docker-gcs and docker-azure.
case_docker_gcs_and_azure() {
  syn init --recipe docker-gcs --no-prompt --force --field image_name=127.0.0.1:5000/team/flows \
    --field bucket=gcs-code --field folder=code
  expect_ok
  expect_section build "$docker_build"
  expect_section push "$docker_push
- syntask_gcp.deployments.steps.push_to_gcs:
    id: push_code
    bucket: gcs-code
    folder: code"
  expect_section pull "pull:
- syntask_gcp.deployments.steps.pull_from_gcs:
    id: pull_code
    bucket: << push_code.bucket >>
    folder: << push_code.folder >>"
  syn init --recipe docker-azure --no-prompt --force --field image_name=127.0.0.1:5000/team/flows \
    --field container=code --field credentials_block=az
  expect_ok
  expect_section build "$docker_build"
  expect_section push "$docker_push
- syntask_azure.deployments.steps.push_to_azure_blob_storage:
    id: push_code
    container: code
    folder: project
    credentials: << syntask.blocks.azure-blob-storage-credentials.az >>"
  expect_section pull "pull:
- syntask_azure.deployments.steps.pull_from_azure_blob_storage:
    id: pull_code
    container: << push_code.container >>
    folder: << push_code.folder >>
    credentials: << syntask.blocks.azure-blob-storage-credentials.az >>"
  syn init --recipe docker-azure --no-prompt --force --field image_name=team/flows
  expect_status 2 "missing answer for 'Azure Blob Storage container to store and retrieve the code from'"
  stderr_is "syntask: error: missing answer for 'Azure Blob Storage container to store and retrieve the code from': pass --field container=VALUE"
}

# --- the recipe listing: --help shows every recipe with its description.
case_recipe_listing() {
  syn init --help
  expect_ok
  stdout_has "docker        Store code within a custom docker image alongside its runtime environment"
  stdout_has "docker-git    Store code in a git repository and build a custom docker image for runtime"
  stdout_has "docker-s3     Store code in an S3 bucket and build a custom docker image for runtime"
  stdout_has "docker-gcs    Store code in a Google Cloud Storage bucket and build a custom docker image for runtime"
  stdout_has "docker-azure  Store code in an Azure Blob Storage container and build a custom docker image for runtime"
  syn init --recipe dockr --no-prompt
  expect_status 2 "unknown recipe 'dockr'; did you mean 'docker'?"
  stderr_is "syntask: error: unknown recipe 'dockr'; did you mean 'docker'? (recipes: local, git, s3, gcs, azure, docker, docker-git, docker-s3, docker-gcs, docker-azure)"
}

# --- inference with a git remote and a Dockerfile: docker-git, the repository from the remote.
case_inference_with_git_remote() {
  git init -q -b main .
  git remote add origin https://example.com/org/flows.git
  printf 'FROM busybox\n' >Dockerfile
  rm -f syntask.yaml
  syn init --no-prompt --field image_name=team/flows --json
  expect_ok
  [ "$(json_get 'd["recipe"]')" = "docker-git" ] || fail "a Dockerfile and a git remote infer docker-git"
  grep -qxF "    repository: https://example.com/org/flows.git" syntask.yaml || fail "docker-git takes the remote"
  rm Dockerfile syntask.yaml
  syn init --no-prompt --json
  expect_ok
  [ "$(json_get 'd["recipe"]')" = "git" ] || fail "without a Dockerfile a git remote still infers git"
}

run_cases
echo ok
