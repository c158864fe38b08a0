# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Conformance hooks for the S3 backend, sourced by the tree-level storage suites after lib.sh and
# `use_servers s3`. Every function works in the current test's SYNTASK_HOME and working directory.
# Direct requests to the server (planting keys, listing) use curl and python3, never syntask.

BACKEND_SERVICE=s3
BACKEND_BLOCK=s3-conformance

# _s3_quote TEXT [SAFE]: percent-encodes TEXT (UTF-8), keeping the characters in SAFE.
_s3_quote() {
  python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=sys.argv[2]))' "$1" "${2:-}"
}

# _s3_curl ARGS...: a request signed with the server's key. curl does not add x-amz-content-sha256 and
# s3rver wants it, so it is sent (and signed) explicitly.
_s3_curl() {
  curl -sS --fail --aws-sigv4 "aws:amz:$SYNTASK_S3_REGION:s3" --user "$SYNTASK_S3_ACCESS_KEY:$SYNTASK_S3_SECRET_KEY" \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"
}

# _s3_block_create SECRET: (re)creates the credentials block the steps use.
_s3_block_create() {
  syn_in "$1" block create aws-credentials "$BACKEND_BLOCK" --value-stdin --overwrite \
    --field "aws_access_key_id=$SYNTASK_S3_ACCESS_KEY" --field "region_name=$SYNTASK_S3_REGION" \
    --field "aws_client_parameters={\"endpoint_url\": \"$SYNTASK_S3_ENDPOINT\"}"
  expect_ok
}

backend_setup() {
  _s3_block_create "$SYNTASK_S3_SECRET_KEY"
  BACKEND_BUCKET="syntask-conformance-$(date +%s)-$RANDOM$RANDOM"
  export BACKEND_BUCKET
  _s3_curl -X PUT -o /dev/null "$SYNTASK_S3_ENDPOINT/$BACKEND_BUCKET" || fail "cannot create bucket '$BACKEND_BUCKET'"
}

# _s3_step NAME FOLDER [ARGS_YAML]
_s3_step() {
  printf '  - syntask_aws.deployments.steps.%s:\n' "$1"
  printf '      bucket: %s\n' "$BACKEND_BUCKET"
  printf '      folder: %s\n' "$2"
  printf '      credentials: "<< syntask.blocks.aws-credentials.%s >>"\n' "$BACKEND_BLOCK"
  if [ -n "${3:-}" ]; then
    printf '%s\n' "$3" | sed 's/^/      /'
  fi
}

backend_push_step() { _s3_step push_to_s3 "$@"; }
backend_pull_step() { _s3_step pull_from_s3 "$@"; }

# backend_plant KEY FILE: stores FILE's bytes under KEY exactly as written. Each path segment is
# percent-encoded; segments that are exactly "." or ".." go as %2E so that curl keeps them (s3rver itself
# normalises such keys in its file store, so they do not come back verbatim). Those requests are sent
# unsigned (s3rver accepts anonymous writes): curl would sign them in a form the server does not check.
backend_plant() {
  local key=$1 file=$2 path="" segment dotted=0 rest
  rest=$key
  while :; do
    segment=${rest%%/*}
    if [ "$segment" = . ] || [ "$segment" = .. ]; then
      path+=${segment//./%2E}
      dotted=1
    else
      path+=$(_s3_quote "$segment")
    fi
    [ "$rest" != "${rest#*/}" ] || break
    rest=${rest#*/}
    path+=/
  done
  if [ "$dotted" = 1 ]; then
    curl -sS --fail -X PUT --data-binary "@$file" -H "Content-Type: application/octet-stream" -o /dev/null \
      "$SYNTASK_S3_ENDPOINT/$BACKEND_BUCKET/$path" || fail "cannot plant key '$key'"
  else
    _s3_curl -X PUT --data-binary "@$file" -H "Content-Type: application/octet-stream" -o /dev/null "$SYNTASK_S3_ENDPOINT/$BACKEND_BUCKET/$path" ||
      fail "cannot plant key '$key'"
  fi
}

# backend_keys PREFIX: every key under PREFIX, one per line, sorted, following continuation tokens.
# The query is written sorted and encoded as the server canonicalises it, since curl 7.88 signs the
# query string as given.
backend_keys() {
  local prefix token="" query page
  prefix=$(_s3_quote "$1" "-_.!~*'()")
  page=$(mktemp)
  while :; do
    query="list-type=2&prefix=$prefix"
    [ -z "$token" ] || query="continuation-token=$(_s3_quote "$token" "-_.!~*'()")&$query"
    _s3_curl -o "$page" "$SYNTASK_S3_ENDPOINT/$BACKEND_BUCKET?$query" || fail "cannot list '$1' in '$BACKEND_BUCKET'"
    token=$(python3 - "$page" <<'PY'
import sys, urllib.parse, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
encoded = (root.findtext(ns + "EncodingType") or "") == "url"
with open(sys.argv[1] + ".keys", "a") as out:
    for contents in root.findall(ns + "Contents"):
        key = contents.findtext(ns + "Key") or ""
        out.write((urllib.parse.unquote_plus(key) if encoded else key) + "\n")
if (root.findtext(ns + "IsTruncated") or "false") == "true":
    print(root.findtext(ns + "NextContinuationToken") or "")
PY
    )
    [ -n "$token" ] || break
  done
  touch "$page.keys"
  LC_ALL=C sort "$page.keys"
  rm -f "$page" "$page.keys"
}

backend_wrong_credentials() {
  _s3_block_create "wrong-secret-for-conformance"
}

# backend_write_count: object writes into BACKEND_BUCKET seen by the server so far, from its request
# log: PutObject (a PUT of a key without uploadId) and CompleteMultipartUpload (a POST with uploadId).
backend_write_count() {
  python3 - "$SYNTASK_S3_LOG" "$BACKEND_BUCKET" <<'PY'
import sys
bucket = "/" + sys.argv[2] + "/"
count = 0
with open(sys.argv[1], encoding="utf-8", errors="replace") as log:
    for line in log:
        method, _, target = line.rstrip("\n").partition(" ")
        if not target.startswith(bucket) or len(target) == len(bucket):
            continue
        query = target.partition("?")[2]
        params = [p.partition("=")[0] for p in query.split("&") if p]
        if method == "PUT" and "uploadId" not in params:
            count += 1
        elif method == "POST" and "uploadId" in params:
            count += 1
print(count)
PY
}

backend_restart() {
  bash "$INTEGRATION_SERVERS_DIR/s3.sh" stop
  bash "$INTEGRATION_SERVERS_DIR/s3.sh" start 2>/dev/null
  # shellcheck source=/dev/null
  source "$SYNTASK_TEST_SERVERS_DIR/s3.env"
}
