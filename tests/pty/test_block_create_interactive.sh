#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Interactive `syntask block create` through a pseudo-terminal: each secret field is asked directly,
# without echo and without a y/n question first; an empty answer leaves an optional one out.
source "$(dirname "$0")/../cli/lib.sh"
driver="$SYNTASK_SOURCE_DIR/tests/pty/pty_driver.py"

# A required secret, then an optional one left out with Enter.
case_required_then_optional() {
  cat >"$TEST_ROOT/bitbucket.script" <<'EOF_SCRIPT'
expect \? token \(An access token, optionally as 'user:token'\.\) \[Enter to leave out\]: 
sendline tok-bitbucket-5521
expect \? password \(An app password, used when no token is given\.\) \[Enter to leave out\]: 
key enter
expect Created block 'bitbucket-credentials/bb'
expect-exit 0
secret-not-echoed tok-bitbucket-5521
secret-not-echoed [y/n]
EOF_SCRIPT
  python3 "$driver" --script "$TEST_ROOT/bitbucket.script" -- \
    "$SYNTASK_BIN" block create bitbucket-credentials bb --field username=deploy-user ||
    fail "interactive bitbucket-credentials transcript did not match"
  syn block inspect bitbucket-credentials/bb --json
  expect_ok
  [ "$(json_get 'd["data"]["token"]')" = "********" ] || fail "the token is stored, masked"
  [ "$(json_get 'd["data"]["username"]')" = "deploy-user" ] || fail "the username is stored"
  [ "$(json_get '"password" in d["data"]')" = "False" ] || fail "the empty answer left the password out"
  stdout_lacks "tok-bitbucket-5521"
}

# Only optional secrets: the first answered, the second left out; both asked, in the type's order.
case_only_optional_secrets() {
  cat >"$TEST_ROOT/aws.script" <<'EOF_SCRIPT'
expect \? aws_secret_access_key \(The secret access key\.\) \[Enter to leave out\]: 
sendline aws-secret-0099
expect \? aws_session_token \(The session token of temporary credentials\.\) \[Enter to leave out\]: 
key enter
expect Created block 'aws-credentials/prod'
expect-exit 0
secret-not-echoed aws-secret-0099
secret-not-echoed [y/n]
EOF_SCRIPT
  python3 "$driver" --script "$TEST_ROOT/aws.script" -- \
    "$SYNTASK_BIN" block create aws-credentials prod --field aws_access_key_id=AKIDPTY ||
    fail "interactive aws-credentials transcript did not match"
  syn block inspect aws-credentials/prod --json
  expect_ok
  [ "$(json_get 'd["data"]["aws_secret_access_key"]')" = "********" ] || fail "the secret key is stored"
  [ "$(json_get '"aws_session_token" in d["data"]')" = "False" ] || fail "the session token is left out"
}

# A required secret cannot be left out: the prompt asks again.
case_required_asked_again() {
  cat >"$TEST_ROOT/secret.script" <<'EOF_SCRIPT'
expect \? value \(The secret value\.\): 
key enter
expect an answer is required
expect \? value \(The secret value\.\): 
sendline the-value-7733
expect Created block 'secret/plain'
expect-exit 0
secret-not-echoed the-value-7733
EOF_SCRIPT
  python3 "$driver" --script "$TEST_ROOT/secret.script" -- "$SYNTASK_BIN" block create secret plain ||
    fail "interactive secret transcript did not match"
}

# A secret given by --secret-from-env is not asked.
case_secret_from_env_not_asked() {
  cat >"$TEST_ROOT/env.script" <<'EOF_SCRIPT'
expect \? password \(An app password, used when no token is given\.\) \[Enter to leave out\]: 
key enter
expect Created block 'bitbucket-credentials/from-env'
expect-exit 0
secret-not-echoed tok-env-4410
EOF_SCRIPT
  BB_TOKEN=tok-env-4410 python3 "$driver" --script "$TEST_ROOT/env.script" -- \
    "$SYNTASK_BIN" block create bitbucket-credentials from-env --secret-from-env token=BB_TOKEN ||
    fail "interactive block create with --secret-from-env did not match"
}

run_cases
echo ok
