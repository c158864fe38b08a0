# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Conformance hooks for the GCS emulator (sourced after lib.sh and `use_servers gcs`). The emulator checks
# no credentials, so requests that bypass syntask are plain curl, and STORAGE_EMULATOR_HOST makes syntask
# skip authentication as Google's clients do.

GCS_BLOCK=gcs-store

# gcs_encode TEXT: TEXT percent-encoded with nothing kept (object names in paths and queries).
gcs_encode() {
  python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""), end="")' "$1"
}

backend_setup() {
  export STORAGE_EMULATOR_HOST=$SYNTASK_GCS_EMULATOR_HOST
  # The emulator makes a bucket with its first object; nothing needs creating.
  BACKEND_BUCKET="conf-$(date +%s%N | tail -c 10)-$RANDOM"
  syn block create gcp-credentials "$GCS_BLOCK" --field project=demo-test --overwrite
  expect_ok
}

backend_push_step() {
  local folder=$1 extra=${2:-}
  printf '  - syntask_gcp.deployments.steps.push_to_gcs:\n'
  printf '      bucket: %s\n      folder: %s\n' "$BACKEND_BUCKET" "$folder"
  printf '      credentials: "<< syntask.blocks.gcp-credentials.%s >>"\n' "$GCS_BLOCK"
  [ -z "$extra" ] || printf '%s\n' "$extra" | sed 's/^/      /'
}

backend_pull_step() {
  local folder=$1 extra=${2:-}
  printf '  - syntask_gcp.deployments.steps.pull_from_gcs:\n'
  printf '      bucket: %s\n      folder: %s\n' "$BACKEND_BUCKET" "$folder"
  printf '      credentials: "<< syntask.blocks.gcp-credentials.%s >>"\n' "$GCS_BLOCK"
  [ -z "$extra" ] || printf '%s\n' "$extra" | sed 's/^/      /'
}

backend_plant() {
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/octet-stream' \
    --data-binary "@$2" \
    "$SYNTASK_GCS_EMULATOR_HOST/upload/storage/v1/b/$BACKEND_BUCKET/o?uploadType=media&name=$(gcs_encode "$1")")
  [ "$status" = 200 ] || fail "cannot plant '$1' (HTTP $status)"
}

backend_keys() {
  local token='' page
  page=$(mktemp "$TEST_ROOT/gcs-list.XXXXXX")
  {
    while :; do
      curl -sf -o "$page" \
        "$SYNTASK_GCS_EMULATOR_HOST/storage/v1/b/$BACKEND_BUCKET/o?prefix=$(gcs_encode "$1")${token:+&pageToken=$(gcs_encode "$token")}" ||
        fail "cannot list '$1'"
      python3 -c 'import json, sys; [print(item["name"]) for item in json.load(open(sys.argv[1])).get("items", [])]' "$page"
      token=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("nextPageToken", ""), end="")' "$page")
      [ -n "$token" ] || break
    done
  } | LC_ALL=C sort
  rm -f "$page"
}

# The emulator checks no credentials at all.
backend_wrong_credentials() {
  return 1
}

# Data writes in the emulator's request log: media and multipart uploads, and the PUT of a resumable one
# (the POST that opens a resumable session carries no data).
backend_write_count() {
  grep -cE '^(POST /upload/.*uploadType=(media|multipart)|PUT /upload/)' "$SYNTASK_GCS_LOG" || true
}

# The emulator keeps object metadata in memory: objects do not survive a restart.
backend_restart() {
  bash "$INTEGRATION_SERVERS_DIR/gcs.sh" stop
  bash "$INTEGRATION_SERVERS_DIR/gcs.sh" start
  # shellcheck source=/dev/null
  source "$SYNTASK_TEST_SERVERS_DIR/gcs.env"
}
