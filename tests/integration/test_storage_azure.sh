#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The object storage conformance suite (storage_conformance.sh) against the azure test server.
source "$(dirname "$0")/lib.sh"
use_servers azure
BACKEND_RECIPE=azure
BACKEND_EXTRA_CASES=(azure_account_url)
# shellcheck source=tests/integration/storage_azure_hooks.sh
source "$(dirname "$0")/storage_azure_hooks.sh"
# shellcheck source=tests/integration/storage_conformance.sh
source "$(dirname "$0")/storage_conformance.sh"
run_storage_conformance "$@"
