// SPDX-License-Identifier: Apache-2.0
// The six object storage steps: one push and one pull implementation, told apart only by the service
// their step row names (StepInfo::storage_service) and that service's backend row (storage::backend).
#include <syntask/storage/transfer.hpp>
#include <syntask/store/store.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include "steps/builtin.hpp"

namespace syntask::steps {

namespace {

using nlohmann::json;

constexpr int k_max_concurrency = 256;

// "aws-credentials/prod" for `<< syntask.blocks.aws-credentials.prod >>`, "" when not a block reference.
std::string credentials_label(const StepCall& call)
{
  const auto block = written_block(call, "credentials");
  return block ? block->first + "/" + block->second : std::string();
}

storage::StoreLocation location_of(const storage::Backend& backend, const StepCall& call,
                                   StepContext& context)
{
  storage::StoreLocation location;
  location.bucket = required_string(call, backend.bucket_argument);
  if (location.bucket.empty()) {
    throw StepError("argument " + util::quoted(backend.bucket_argument) + " of step " +
                    util::quoted(call.name) + " must not be empty");
  }
  const auto credentials = call.args.find("credentials");
  if (credentials != call.args.end() && !credentials->is_null()) {
    if (!credentials->is_object()) {
      throw StepError("argument 'credentials' of step " + util::quoted(call.name) + " must be a " +
                      std::string(backend.credentials_type) + " block (<< syntask.blocks." +
                      std::string(backend.credentials_type) + ".NAME >>)");
    }
    location.credentials = *credentials;
  }
  location.credentials_label = credentials_label(call);
  const auto parameters = call.args.find("client_parameters");
  if (parameters != call.args.end() && !parameters->is_null()) {
    if (!parameters->is_object()) {
      throw StepError("argument 'client_parameters' of step " + util::quoted(call.name) +
                      " must be a mapping");
    }
    location.client_parameters = *parameters;
  }
  location.project = optional_string(call, "project").value_or("");
  location.redactor = &context.redactor();
  return location;
}

int concurrency_of(const StepCall& call)
{
  return static_cast<int>(
      optional_whole_number(call, "max_concurrency", 1, k_max_concurrency,
                            "a whole number from 1 to " + std::to_string(k_max_concurrency))
          .value_or(storage::k_default_concurrency));
}

// Backend messages never hold a secret by contract; scrubbing again costs nothing and covers a secret
// that reached a key or a path.
template <typename Work> auto scrubbed(const StepContext& context, Work&& work)
{
  try {
    return work();
  } catch (const RemoteError& error) {
    throw RemoteError(context.redactor().scrub(error.what()), error.transient());
  }
}

// The service named by the step's row; the step table stays the only list of which step talks to which.
std::string_view service_of(std::string_view step_name)
{
  const auto* info = find_step(step_name);
  if (info == nullptr || info->storage_service.empty()) {
    throw StepError("step " + util::quoted(step_name) + " talks to no object storage service");
  }
  return info->storage_service;
}

// SYNTASK_HOME/cache/push-hashes; empty without a home directory (every file is then hashed).
std::filesystem::path hash_cache_dir()
{
  try {
    return store::Store::default_home() / storage::k_push_hash_folder;
  } catch (const Error&) {
    return {};
  }
}

} // namespace

json run_push_tree(const StepCall& call, StepContext& context)
{
  const auto& backend = storage::backend(service_of(call.name));
  const auto location = location_of(backend, call, context);
  storage::UploadOptions options;
  options.root = context.working_directory;
  options.folder = required_string(call, "folder");
  if (call.args.contains("ignore_file")) {
    options.ignore_file = optional_string(call, "ignore_file").value_or("");
  }
  options.prune = optional_bool(call, "prune", false);
  options.max_concurrency = concurrency_of(call);
  options.diagnostics = &context.diagnostics();
  options.progress = util::stderr_is_tty();
  options.hash_cache_dir = hash_cache_dir();
  const auto result = scrubbed(context, [&] {
    const auto store = backend.open(location);
    return storage::upload_tree(*store, options);
  });
  // The digest is the pin of the code this push shipped: deploy gives it to the pull steps reading it.
  return {{std::string(backend.bucket_argument), location.bucket},
          {"folder", options.folder},
          {"manifest_digest", result.manifest_digest}};
}

json run_pull_tree(const StepCall& call, StepContext& context)
{
  const auto& backend = storage::backend(service_of(call.name));
  const auto location = location_of(backend, call, context);
  storage::DownloadOptions options;
  options.target = context.working_directory;
  options.folder = required_string(call, "folder");
  options.expected_digest = optional_string(call, "manifest_digest").value_or("");
  options.max_concurrency = concurrency_of(call);
  options.diagnostics = &context.diagnostics();
  options.progress = util::stderr_is_tty();
  scrubbed(context, [&] {
    const auto store = backend.open(location);
    return storage::download_tree(*store, options);
  });
  return {{std::string(backend.bucket_argument), location.bucket},
          {"folder", options.folder},
          {"directory", context.working_directory.string()}};
}

} // namespace syntask::steps
