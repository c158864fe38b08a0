#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The S3 ObjectStore against the loopback s3rver: runs the hidden [.s3] Catch2 cases of syntask_unit
# (round trips, multipart with flat memory, paging, hostile keys, wrong credentials, missing keys) with
# the server's SYNTASK_S3_* variables set.
source "$(dirname "$0")/lib.sh"
use_servers s3
run_unit_cases s3
