// SPDX-License-Identifier: Apache-2.0
// What a git_clone step clones, read from its arguments the way the step reads them: for deploy, which
// checks that the branch is there before anything is uploaded.
#pragma once

#include <syntask/git/remote_branch.hpp>
#include <syntask/steps/step.hpp>

namespace syntask::steps {

/// The repository, branch, credentials (access_token, or a credentials block or token) and display URL
/// of a git_clone call with resolved arguments; secrets met are registered with `redactor` (may be
/// nullptr). Throws StepError for arguments the step would refuse.
git::RemoteBranchQuery git_clone_source(const StepCall& call, util::Redactor* redactor);

} // namespace syntask::steps
