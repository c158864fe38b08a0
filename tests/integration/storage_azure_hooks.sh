# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Conformance hooks for azurite (sourced after lib.sh and `use_servers azure`). Requests that bypass
# syntask are made with curl and signed with Shared Key by openssl.

AZURE_BLOCK=azure-store

# azure_request VERB PATH_AND_QUERY [CURL_ARGS...]: a signed request to the account (PATH_AND_QUERY
# starts with '/container', percent-encoded as sent); prints the HTTP status, the body goes to $AZURE_BODY.
# Extra x-ms-* headers come as AZURE_MS_HEADERS (an array of "name:value"); a body as --data-binary @FILE.
AZURE_BODY=${TEST_ROOT:-/tmp}/azure-body
azure_request() {
  local verb=$1 target=$2
  shift 2
  local path=${target%%\?*} query='' date length=0 type='' header canonical_headers='' file='' arg
  [ "$target" = "$path" ] || query=${target#*\?}
  for arg in "$@"; do
    case "$arg" in @*) file=${arg#@} ;; esac
  done
  if [ -n "$file" ]; then
    length=$(stat -c %s "$file")
    type=application/octet-stream
  fi
  [ "$length" != 0 ] || length=''
  date=$(LC_ALL=C TZ=GMT date '+%a, %d %b %Y %H:%M:%S GMT')
  local -a curl_headers=(-H "x-ms-date: $date" -H "x-ms-version: 2021-08-06")
  for header in "${AZURE_MS_HEADERS[@]}"; do
    curl_headers+=(-H "${header%%:*}: ${header#*:}")
  done
  [ -z "$type" ] || curl_headers+=(-H "Content-Type: $type")
  [ -n "$file" ] || curl_headers+=(-H "Content-Length: 0")
  canonical_headers=$(printf '%s\n' "${AZURE_MS_HEADERS[@]}" "x-ms-date:$date" "x-ms-version:2021-08-06" |
    sed '/^$/d' | LC_ALL=C sort)
  # Path-style endpoint: the URL path already starts with the account, which the resource repeats.
  local resource="/$SYNTASK_AZURE_ACCOUNT/${SYNTASK_AZURE_ENDPOINT#*://*/}$path"
  if [ -n "$query" ]; then
    resource+=$'\n'$(printf '%s\n' "${query//&/$'\n'}" | python3 -c '
import sys, urllib.parse
pairs = {}
for line in sys.stdin.read().split("\n"):
    if line:
        name, _, value = line.partition("=")
        pairs.setdefault(urllib.parse.unquote(name).lower(), []).append(urllib.parse.unquote(value))
print("\n".join(n + ":" + ",".join(sorted(v)) for n, v in sorted(pairs.items())), end="")')
  fi
  local to_sign="$verb"$'\n\n\n'"$length"$'\n\n'"$type"$'\n\n\n\n\n\n\n'"$canonical_headers"$'\n'"$resource"
  local key_hex signature
  key_hex=$(printf '%s' "${AZURE_SIGNING_KEY:-$SYNTASK_AZURE_KEY}" | base64 -d | od -An -tx1 -v | tr -d ' \n')
  signature=$(printf '%s' "$to_sign" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary | base64 -w0)
  curl -s --path-as-is -o "$AZURE_BODY" -w '%{http_code}' -X "$verb" "${curl_headers[@]}" \
    -H "Authorization: SharedKey $SYNTASK_AZURE_ACCOUNT:$signature" "$@" "$SYNTASK_AZURE_ENDPOINT$target"
}

# azure_create_container NAME: creates the container (201, or 409 when it exists).
azure_create_container() {
  local -a AZURE_MS_HEADERS=()
  local status
  status=$(azure_request PUT "/$1?restype=container")
  [ "$status" = 201 ] || [ "$status" = 409 ] || fail "cannot create container '$1' (HTTP $status)"
}

# azure_encode_key KEY: KEY percent-encoded for a URL path, '/' kept.
azure_encode_key() {
  python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe="/"), end="")' "$1"
}

# azure_account_sas PERMISSIONS [KEY]: an account SAS for the blob service (containers and objects, one
# hour), signed with KEY (default the account's key) as the service checks it, printed as a query string.
azure_account_sas() {
  python3 - "$SYNTASK_AZURE_ACCOUNT" "${2:-$SYNTASK_AZURE_KEY}" "$1" <<'PY'
import base64, datetime, hashlib, hmac, sys, urllib.parse
account, key, permissions = sys.argv[1:4]
expiry = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
version, services, types, protocol = "2021-08-06", "b", "co", "https,http"
# Account SAS from version 2020-12-06: the fields, an empty encryption scope, and a final newline.
to_sign = "\n".join([account, permissions, services, types, "", expiry, "", protocol, version, "", ""])
signature = base64.b64encode(hmac.new(base64.b64decode(key), to_sign.encode(), hashlib.sha256).digest())
query = {"sv": version, "ss": services, "srt": types, "sp": permissions, "se": expiry, "spr": protocol,
         "sig": signature.decode()}
print(urllib.parse.urlencode(query, safe=":,"), end="")
PY
}

backend_setup() {
  BACKEND_BUCKET="conf-$(date +%s%N | tail -c 10)-$RANDOM"
  azure_create_container "$BACKEND_BUCKET"
  syn_in "$SYNTASK_AZURE_CONNECTION_STRING" block create azure-blob-storage-credentials "$AZURE_BLOCK" \
    --value-stdin --overwrite
  expect_ok
}

backend_push_step() {
  local folder=$1 extra=${2:-}
  printf '  - syntask_azure.deployments.steps.push_to_azure_blob_storage:\n'
  printf '      container: %s\n      folder: %s\n' "$BACKEND_BUCKET" "$folder"
  printf '      credentials: "<< syntask.blocks.azure-blob-storage-credentials.%s >>"\n' "$AZURE_BLOCK"
  [ -z "$extra" ] || printf '%s\n' "$extra" | sed 's/^/      /'
}

backend_pull_step() {
  local folder=$1 extra=${2:-}
  printf '  - syntask_azure.deployments.steps.pull_from_azure_blob_storage:\n'
  printf '      container: %s\n      folder: %s\n' "$BACKEND_BUCKET" "$folder"
  printf '      credentials: "<< syntask.blocks.azure-blob-storage-credentials.%s >>"\n' "$AZURE_BLOCK"
  [ -z "$extra" ] || printf '%s\n' "$extra" | sed 's/^/      /'
}

backend_plant() {
  local -a AZURE_MS_HEADERS=("x-ms-blob-type:BlockBlob")
  local status
  status=$(azure_request PUT "/$BACKEND_BUCKET/$(azure_encode_key "$1")" --data-binary "@$2")
  [ "$status" = 201 ] || fail "cannot plant '$1' (HTTP $status)"
}

backend_keys() {
  local -a AZURE_MS_HEADERS=()
  local marker='' status prefix
  prefix=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""), end="")' "$1")
  {
    while :; do
      status=$(azure_request GET "/$BACKEND_BUCKET?restype=container&comp=list&prefix=$prefix${marker:+&marker=$marker}")
      [ "$status" = 200 ] || fail "cannot list '$1' (HTTP $status)"
      python3 - "$AZURE_BODY" <<'PY'
import sys, urllib.parse, xml.etree.ElementTree as tree
root = tree.parse(sys.argv[1]).getroot()
for name in root.iter("Name"):
    text = name.text or ""
    print(urllib.parse.unquote(text) if name.get("Encoded") == "true" else text)
PY
      marker=$(python3 -c '
import sys, urllib.parse, xml.etree.ElementTree as tree
print(urllib.parse.quote(tree.parse(sys.argv[1]).getroot().findtext("NextMarker") or "", safe=""), end="")' "$AZURE_BODY")
      [ -n "$marker" ] || break
    done
  } | LC_ALL=C sort
}

backend_wrong_credentials() {
  local wrong
  wrong="DefaultEndpointsProtocol=http;AccountName=$SYNTASK_AZURE_ACCOUNT;AccountKey=$(printf 'wrong-key-wrong-key-wrong' | base64 -w0);BlobEndpoint=$SYNTASK_AZURE_ENDPOINT;"
  syn_in "$wrong" block create azure-blob-storage-credentials "$AZURE_BLOCK" --value-stdin --overwrite
  expect_ok
}

# Data writes in azurite's debug log: Put Blob, Put Block and Put Block List.
backend_write_count() {
  grep -cE 'DispatchMiddleware: Operation=BlockBlob_(Upload|StageBlock|CommitBlockList)$' "$SYNTASK_AZURE_LOG" || true
}

backend_restart() {
  bash "$INTEGRATION_SERVERS_DIR/azure.sh" stop
  bash "$INTEGRATION_SERVERS_DIR/azure.sh" start
  # shellcheck source=/dev/null
  source "$SYNTASK_TEST_SERVERS_DIR/azure.env"
}

# Blocks with account_url and an account key or a SAS token (not a connection string) push and pull for
# real; a SAS signed with another key is refused with the access-denied line.
case_azure_account_url() {
  fresh_case account-url
  make_test_files
  local block sas other_key
  other_key=$(printf 'another-key-another-key' | base64 -w0)
  for block in azure-key azure-sas azure-bad-sas; do
    case "$block" in
    azure-key)
      syn_in "$SYNTASK_AZURE_KEY" block create azure-blob-storage-credentials "$block" \
        --field "account_url=$SYNTASK_AZURE_ENDPOINT" --stdin-field account_key
      ;;
    *)
      if [ "$block" = azure-sas ]; then sas=$(azure_account_sas rwdl); else sas=$(azure_account_sas rwdl "$other_key"); fi
      BACKEND_SECRETS="${BACKEND_SECRETS:-} ${sas##*sig=}"
      syn_in "?$sas" block create azure-blob-storage-credentials "$block" \
        --field "account_url=$SYNTASK_AZURE_ENDPOINT/" --stdin-field sas_token
      ;;
    esac
    expect_ok
    AZURE_BLOCK=$block write_project "$block"
    deploy_as "$block"
    if [ "$block" = azure-bad-sas ]; then
      expect_status 1 "access denied by az://$SYNTASK_AZURE_ACCOUNT/$BACKEND_BUCKET: check the credentials in azure-blob-storage-credentials/azure-bad-sas"
      continue
    fi
    expect_ok
    stderr_has "to az://$SYNTASK_AZURE_ACCOUNT/$BACKEND_BUCKET/$block"
    pull_into "$block" "$CASE_DIR/worker-$block"
    expect_ok
    same_tree "$CASE_DIR/project" "$CASE_DIR/worker-$block"
    grep -qx "$block/.syntask-manifest.json" <<<"$(backend_keys "$block/")" || fail "no manifest under $block/"
  done
}
