#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The object storage conformance suite (storage_conformance.sh) against the s3 test server.
source "$(dirname "$0")/lib.sh"
use_servers s3
BACKEND_RECIPE=s3
# shellcheck source=tests/integration/storage_s3_hooks.sh
source "$(dirname "$0")/storage_s3_hooks.sh"
# shellcheck source=tests/integration/storage_conformance.sh
source "$(dirname "$0")/storage_conformance.sh"
run_storage_conformance "$@"
