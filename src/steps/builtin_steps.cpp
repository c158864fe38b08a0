// SPDX-License-Identifier: Apache-2.0
// THE list of built-in steps. A step exists when it has a row here and nowhere else.
#include "steps/builtin.hpp"

namespace syntask::steps {

const std::vector<StepInfo>& builtin_steps()
{
  static const std::vector<StepInfo> steps{
      {
          "syntask.deployments.steps.set_working_directory",
          "change the directory later steps and the flow run in",
          Phase::any,
          {{"directory", true, "directory to change to, relative to the current one"}},
          {"directory"},
          &run_set_working_directory,
      },
      {
          "syntask.deployments.steps.run_shell_script",
          "run commands, one process per line (or one shell with shell: true)",
          Phase::any,
          {
              {"script", true, "the commands to run"},
              {"directory", false, "directory to run in"},
              {"env", false, "extra environment variables (a mapping)"},
              {"stream_output", false, "show the commands' output as it comes (default true)"},
              {"expand_env_vars", false,
               "expand $VAR and ${VAR} in each line before running it (default false)"},
              {"shell", false, "run the whole script in one /bin/sh -e (default false)"},
          },
          {"stdout", "stderr"},
          &run_run_shell_script,
      },
      {
          "syntask.deployments.steps.git_clone",
          "clone a git repository (or update an earlier clone) into the working directory",
          Phase::any,
          {
              {"repository", true, "the clone URL (https, http, ssh, git@host:path, git or a local path)"},
              {"branch", false, "branch or tag to check out (default: the remote's default branch)"},
              {"commit_sha", false, "exact commit to check out; the branch is still fetched to find it"},
              {"include_submodules", false, "also clone submodules (default false)"},
              {"access_token", false, "a token for HTTPS (prefer a secret block reference)"},
              {"credentials", false, "a github-, gitlab- or bitbucket-credentials block"},
              {"directories", false, "only check out these paths (sparse checkout)"},
              {"clone_directory_name", false, "directory to clone into (default: the repository name)"},
              {"depth", false, "commits of history to fetch (default 1; 0 for all)"},
              {"cache", false, "use the clone cache under SYNTASK_HOME/git-cache (default true)"},
              {"pin", false, "false keeps deploy from pinning the commit (read by deploy, not by the step)"},
          },
          {"directory", "commit_sha"},
          &run_git_clone,
      },
      {
          "syntask.deployments.steps.pip_install_requirements",
          "pip install -r a requirements file with the flow's Python",
          Phase::any,
          {
              {"directory", false, "directory holding the requirements file"},
              {"requirements_file", false, "file name (default requirements.txt)"},
              {"stream_output", false, "show pip's output as it comes (default true)"},
          },
          {"stdout", "stderr"},
          &run_pip_install_requirements,
      },
  };
  return steps;
}

} // namespace syntask::steps
