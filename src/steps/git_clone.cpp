// SPDX-License-Identifier: Apache-2.0
// git_clone: clone (or update) a repository with libgit2 into the working directory.
#include <syntask/git/clone.hpp>
#include <syntask/steps/git_clone_source.hpp>
#include <syntask/store/store.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include "steps/builtin.hpp"

namespace syntask::steps {

namespace {

/// The block type a written argument references (`<< syntask.blocks.TYPE.NAME >>`), or "".
std::string referenced_block_type(const StepCall& call, std::string_view name)
{
  const auto block = written_block(call, name);
  return block ? block->first : std::string();
}

int depth_argument(const StepCall& call)
{
  return static_cast<int>(
      optional_whole_number(call, "depth", 0, 1000000000, "a whole number (0 for the full history)")
          .value_or(1));
}

std::vector<std::string> directories_argument(const StepCall& call)
{
  const auto found = call.args.find("directories");
  if (found == call.args.end() || found->is_null()) {
    return {};
  }
  if (found->is_string()) {
    return {found->get<std::string>()};
  }
  std::vector<std::string> directories;
  if (found->is_array()) {
    for (const auto& item : *found) {
      if (!item.is_string()) {
        directories.clear();
        break;
      }
      directories.push_back(item.get<std::string>());
    }
    if (directories.size() == found->size()) {
      return directories;
    }
  }
  throw StepError("argument 'directories' of step " + util::quoted(call.name) + " must be a list of paths");
}

std::optional<git::HttpCredentials> credentials_argument(const StepCall& call, const std::string& repository,
                                                         util::Redactor* redactor)
{
  const auto token = optional_string(call, "access_token");
  const auto found = call.args.find("credentials");
  const bool has_block = found != call.args.end() && !found->is_null();
  if (token && has_block) {
    throw StepError("give either 'access_token' or 'credentials', not both");
  }
  const auto provider = git::provider_from_block_type(referenced_block_type(call, "credentials"))
                            .value_or(git::provider_from_host(git::parse_repository_url(repository).host));
  std::optional<git::HttpCredentials> credentials;
  if (token) {
    credentials = git::token_credentials(provider, *token);
  } else if (has_block && found->is_string()) {
    credentials = git::token_credentials(provider, found->get<std::string>());
  } else if (has_block && found->is_object()) {
    credentials = git::block_credentials(provider, *found);
  } else if (has_block) {
    throw StepError("argument 'credentials' of step " + util::quoted(call.name) +
                    " must be a credentials block or a token");
  }
  if (credentials && redactor != nullptr) {
    redactor->add_secret(credentials->password);
  }
  return credentials;
}

std::filesystem::path cache_root()
{
  try {
    return store::Store::default_home() / git::k_clone_cache_folder;
  } catch (const Error&) {
    return {}; // no home directory: clone without the cache
  }
}

} // namespace

git::RemoteBranchQuery git_clone_source(const StepCall& call, util::Redactor* redactor)
{
  git::RemoteBranchQuery source;
  source.repository = required_string(call, "repository");
  source.branch = optional_string(call, "branch").value_or("");
  if (util::starts_with(source.branch, "-")) {
    throw StepError("branch names cannot start with '-'");
  }
  // A URL that came from a block (a secret) is secret as a whole: it is registered and never shown.
  const bool from_block = !referenced_block_type(call, "repository").empty();
  if (redactor != nullptr && from_block) {
    redactor->add_secret(source.repository);
  }
  const auto url = git::parse_repository_url(source.repository);
  if (redactor != nullptr && !url.password.empty()) {
    redactor->add_secret(url.password);
  }
  const bool secret_url =
      from_block || (redactor != nullptr && (redactor->contains_secret(url.without_userinfo) ||
                                             redactor->contains_secret(source.repository)));
  source.display_url = secret_url ? std::string(util::k_redacted) : url.without_userinfo;
  source.credentials = credentials_argument(call, source.repository, redactor);
  return source;
}

nlohmann::json run_git_clone(const StepCall& call, StepContext& context)
{
  const auto source = git_clone_source(call, &context.redactor());
  git::CloneOptions options;
  options.repository = source.repository;
  options.branch = source.branch;
  options.display_url = source.display_url;
  options.credentials = source.credentials;
  options.commit_sha = optional_string(call, "commit_sha").value_or("");
  if (!options.commit_sha.empty() && (options.commit_sha.size() < 4 || options.commit_sha.size() > 64 ||
                                      !util::is_hex(options.commit_sha))) {
    throw StepError("invalid commit SHA " + util::quoted(options.commit_sha) +
                    ": expected 4 to 64 hexadecimal digits (use 'branch' for a branch or tag name)");
  }
  options.depth = depth_argument(call);
  options.include_submodules = optional_bool(call, "include_submodules", false);
  options.directories = directories_argument(call);
  options.use_cache = optional_bool(call, "cache", true);
  options.cache_root = cache_root();
  options.diagnostics = &context.diagnostics();

  const auto name =
      optional_string(call, "clone_directory_name").value_or(git::repository_name(options.repository));
  if (name.empty()) {
    throw StepError("cannot tell a directory name from the repository URL: give 'clone_directory_name'");
  }
  options.destination = resolve_path(context, name);

  git::CloneResult result;
  try {
    result = git::clone_repository(options);
  } catch (const RemoteError& error) {
    const auto text = context.redactor().scrub(error.what());
    throw RemoteError(text, error.transient());
  }
  auto relative = result.directory.lexically_relative(context.working_directory);
  if (relative.empty()) {
    relative = result.directory;
  }
  return {{"directory", relative.string()}, {"commit_sha", result.commit_sha}};
}

} // namespace syntask::steps
