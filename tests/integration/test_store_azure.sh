#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Azure Blob backend against azurite: the [azure] cases of syntask_unit with azure.env loaded.
source "$(dirname "$0")/lib.sh"
use_servers azure
run_unit_cases azure
