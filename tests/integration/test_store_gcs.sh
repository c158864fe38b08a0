#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Google Cloud Storage backend against the firebase-tools emulator: the [gcs] cases of syntask_unit
# with gcs.env loaded.
source "$(dirname "$0")/lib.sh"
use_servers gcs
run_unit_cases gcs
