#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The object storage conformance suite (storage_conformance.sh) against the gcs test server.
source "$(dirname "$0")/lib.sh"
use_servers gcs
BACKEND_RECIPE=gcs
# shellcheck source=tests/integration/storage_gcs_hooks.sh
source "$(dirname "$0")/storage_gcs_hooks.sh"
# shellcheck source=tests/integration/storage_conformance.sh
source "$(dirname "$0")/storage_conformance.sh"
run_storage_conformance "$@"
