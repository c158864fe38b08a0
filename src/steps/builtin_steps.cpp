// SPDX-License-Identifier: Apache-2.0
// THE list of built-in steps. A step exists when it has a row here and nowhere else.
#include <syntask/storage/object_store.hpp>

#include "steps/builtin.hpp"

namespace syntask::steps {

namespace {

// The object storage steps share their arguments; only the bucket argument's name (from the service's
// storage::backend row) and a service's own extras (S3's client_parameters, GCS's project) differ.
std::vector<ArgSpec> storage_args(std::string_view bucket_argument, std::vector<ArgSpec> own, bool push)
{
  std::vector<ArgSpec> args{
      {bucket_argument, true, bucket_argument == "container" ? "the blob container" : "the bucket"},
      {"folder", true, "the folder (key prefix) the files go under; \"\" for the bucket root"},
      {"credentials", false, "the credentials block (default: the service's environment credentials)"},
  };
  args.insert(args.end(), own.begin(), own.end());
  if (push) {
    args.push_back(
        {"ignore_file", false,
         "gitignore-style file of paths not to push (default .syntaskignore, else .prefectignore)"});
    args.push_back(
        {"prune", false, "remove remote files under the folder that no longer exist here (default false)"});
  } else {
    args.push_back({"manifest_digest", false,
                    "fail unless the folder's manifest has this digest (deploy sets it from the push)"});
  }
  args.push_back({"max_concurrency", false, "files transferred in parallel (default 16)"});
  return args;
}

StepInfo push_step(std::string_view name, std::string_view service, std::vector<ArgSpec> own)
{
  const auto bucket_argument = storage::backend(service).bucket_argument;
  return {name,
          "push the working directory's files to object storage (only what changed)",
          Phase::any,
          storage_args(bucket_argument, std::move(own), true),
          {bucket_argument, "folder", "manifest_digest"},
          &run_push_tree,
          false,
          ContainerPlace::none,
          nullptr,
          {},
          service};
}

// Pulls run on this machine for container runs too, where the credentials are.
StepInfo pull_step(std::string_view name, std::string_view service, std::vector<ArgSpec> own)
{
  const auto bucket_argument = storage::backend(service).bucket_argument;
  return {name,
          "pull files from object storage into the working directory, verified",
          Phase::any,
          storage_args(bucket_argument, std::move(own), false),
          {bucket_argument, "folder", "directory"},
          &run_pull_tree,
          false,
          ContainerPlace::host,
          nullptr,
          {},
          service};
}

const ArgSpec k_client_parameters{"client_parameters", false,
                                  "S3 client settings: endpoint_url, region_name, verify, ..."};
const ArgSpec k_project{"project", false, "the Google Cloud project (not needed for object operations)"};

} // namespace

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
          false,
          ContainerPlace::directory,
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
          false,
          ContainerPlace::container,
          &container_args_run_shell_script,
          k_run_shell_script_python,
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
          false,
          ContainerPlace::host,
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
          false,
          ContainerPlace::container,
          &container_args_pip_install_requirements,
          k_pip_install_requirements_python,
      },
      {
          "syntask_docker.deployments.steps.build_docker_image",
          "build a Docker image through the Docker Engine API",
          Phase::build | Phase::push,
          {
              {"image_name", true,
               "the image name, e.g. registry:5000/team/app (a bare name gets the default namespace)",
               &check_image_name},
              {"dockerfile", false,
               "the Dockerfile in the build context (default Dockerfile; 'auto' writes one)"},
              {"tag", false, "the image tag (default: the current UTC time)"},
              {"additional_tags", false, "more tags for the same image"},
              {"ignore_cache", false,
               "build again even when an identical step ran in this deploy (default false)"},
              {"persist_dockerfile", false, "keep a copy of the 'auto' Dockerfile (default false)"},
              {"dockerfile_output_path", false, "where that copy goes (default Dockerfile.generated)"},
              {"base_image", false,
               "the base image of the 'auto' Dockerfile (default python:X.Y-slim of python3)"},
              {"path", false, "the build context directory (default: the working directory)"},
              {"platform", false, "the target platform, e.g. linux/amd64"},
              {"buildargs", false, "build arguments (a mapping)"},
              {"labels", false, "image labels (a mapping); syntask.version is added"},
              {"target", false, "the build stage to stop at"},
              {"pull", false, "always pull the base image again (default false)"},
              {"nocache", false, "do not use the daemon's layer cache (default false)"},
          },
          {"image_name", "tag", "image", "image_id", "additional_tags"},
          &run_build_docker_image,
      },
      {
          "syntask_docker.deployments.steps.push_docker_image",
          "push a Docker image to its registry and report its digest",
          Phase::build | Phase::push,
          {
              {"image_name", true, "the image name, including its registry", &check_image_name},
              {"tag", false, "the tag to push (default latest)"},
              {"credentials", false, "a docker-registry-credentials block (default: ~/.docker/config.json)"},
              {"additional_tags", false, "more tags of the same image to push"},
              {"ignore_cache", false,
               "push again even when an identical step ran in this deploy (default false)"},
          },
          {"image_name", "tag", "image", "additional_tags", "digest", "image_with_digest"},
          &run_push_docker_image,
      },
      push_step("syntask_aws.deployments.steps.push_to_s3", "s3", {k_client_parameters}),
      pull_step("syntask_aws.deployments.steps.pull_from_s3", "s3", {k_client_parameters}),
      push_step("syntask_gcp.deployments.steps.push_to_gcs", "gcs", {k_project}),
      pull_step("syntask_gcp.deployments.steps.pull_from_gcs", "gcs", {k_project}),
      push_step("syntask_azure.deployments.steps.push_to_azure_blob_storage", "azure", {}),
      pull_step("syntask_azure.deployments.steps.pull_from_azure_blob_storage", "azure", {}),
  };
  return steps;
}

} // namespace syntask::steps
