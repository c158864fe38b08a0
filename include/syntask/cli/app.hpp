// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace syntask::cli {

/// Runs the syntask command line; returns the process exit code. Catches every error once.
int run(int argc, char** argv);

} // namespace syntask::cli
