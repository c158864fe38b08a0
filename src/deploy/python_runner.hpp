// SPDX-License-Identifier: Apache-2.0
// Private: the Python side of `syntask run`, the same for flows run here and in containers.
#pragma once

#include <string>

namespace syntask::deploy {

/// A script for `python3 -c`. It supplies a minimal `syntask` (and `prefect`) module whose `flow` and
/// `task` decorators return the function unchanged when none is installed, runs the pull steps it is
/// given (for containers: the steps whose rows place them there, with each row's Python function), loads
/// the entrypoint by file path or module path from the working directory, and calls the function with the
/// parameters as keyword arguments (awaiting a coroutine).
///
/// What to run comes from the JSON file named by SYNTASK_RUN_FILE, which the script reads and deletes
/// (with its folder when that is then empty): {"entrypoint", "parameters", "steps": [{"label", "step",
/// "args", "directory"}]}. Without that variable: SYNTASK_ENTRYPOINT and SYNTASK_PARAMETERS (JSON), no
/// steps. A failing step prints "syntask: error: LABEL" and its cause on stderr and exits with status 1.
const std::string& python_runner();

} // namespace syntask::deploy
