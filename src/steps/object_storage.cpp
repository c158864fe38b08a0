// SPDX-License-Identifier: Apache-2.0
// The six object storage steps: one push and one pull implementation, told apart only by their backend
// row (storage::backend) and its bucket argument ("bucket" or "container").
#include <syntask/storage/transfer.hpp>
#include <syntask/store/store.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include "steps/builtin.hpp"
#include <regex>

namespace syntask::steps {

namespace {

using nlohmann::json;

constexpr int k_max_concurrency = 256;

// "aws-credentials/prod" for `<< syntask.blocks.aws-credentials.prod >>`, "" when not a block reference.
std::string credentials_label(const StepCall& call)
{
  const auto found = call.raw_args.is_object() ? call.raw_args.find("credentials") : call.raw_args.end();
  if (!call.raw_args.is_object() || found == call.raw_args.end() || !found->is_string()) {
    return {};
  }
  static const std::regex reference(R"((?:syntask|prefect)\.blocks\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+))");
  std::smatch match;
  const auto text = found->get<std::string>();
  return std::regex_search(text, match, reference) ? match[1].str() + "/" + match[2].str() : std::string();
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
  location.redactor = context.redactor;
  return location;
}

int concurrency_of(const StepCall& call)
{
  const auto found = call.args.find("max_concurrency");
  if (found == call.args.end() || found->is_null()) {
    return storage::k_default_concurrency;
  }
  long long value = 0;
  if (found->is_number_integer()) {
    value = found->get<long long>();
  } else if (found->is_string() && std::regex_match(found->get<std::string>(), std::regex("[0-9]{1,4}"))) {
    value = std::stoll(found->get<std::string>());
  }
  if (value < 1 || value > k_max_concurrency) {
    throw StepError("argument 'max_concurrency' of step " + util::quoted(call.name) +
                    " must be a whole number from 1 to " + std::to_string(k_max_concurrency));
  }
  return static_cast<int>(value);
}

// Backend messages never hold a secret by contract; scrubbing again costs nothing and covers a secret
// that reached a key or a path.
template <typename Work> auto scrubbed(const StepContext& context, Work&& work)
{
  try {
    return work();
  } catch (const RemoteError& error) {
    if (context.redactor == nullptr) {
      throw;
    }
    throw RemoteError(context.redactor->scrub(error.what()), error.transient());
  }
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

json push_tree(std::string_view service, const StepCall& call, StepContext& context)
{
  const auto& backend = storage::backend(service);
  const auto location = location_of(backend, call, context);
  storage::UploadOptions options;
  options.root = context.working_directory;
  options.folder = required_string(call, "folder");
  if (call.args.contains("ignore_file")) {
    options.ignore_file = optional_string(call, "ignore_file").value_or("");
  }
  options.prune = optional_bool(call, "prune", false);
  options.max_concurrency = concurrency_of(call);
  options.diagnostics = context.diagnostics;
  options.progress = context.diagnostics != nullptr && util::stderr_is_tty();
  options.hash_cache_dir = hash_cache_dir();
  const auto result = scrubbed(context, [&] {
    const auto store = backend.open(location);
    return storage::upload_tree(*store, options);
  });
  context.pushed_trees.push_back({std::string(service), location.bucket,
                                  storage::normalize_folder(options.folder), result.manifest_digest});
  return {{std::string(backend.bucket_argument), location.bucket}, {"folder", options.folder}};
}

json pull_tree(std::string_view service, const StepCall& call, StepContext& context)
{
  const auto& backend = storage::backend(service);
  const auto location = location_of(backend, call, context);
  storage::DownloadOptions options;
  options.target = context.working_directory;
  options.folder = required_string(call, "folder");
  options.expected_digest = optional_string(call, "manifest_digest").value_or("");
  options.max_concurrency = concurrency_of(call);
  options.diagnostics = context.diagnostics;
  options.progress = context.diagnostics != nullptr && util::stderr_is_tty();
  scrubbed(context, [&] {
    const auto store = backend.open(location);
    return storage::download_tree(*store, options);
  });
  return {{std::string(backend.bucket_argument), location.bucket},
          {"folder", options.folder},
          {"directory", context.working_directory.string()}};
}

// Which service a pull step reads and its bucket argument, told by the step's row: the step table stays
// the only list of names.
struct PulledTree {
  std::string_view service;
  std::string_view bucket_argument;
};

std::optional<PulledTree> pulled_tree(std::string_view step_name)
{
  const auto* info = find_step(step_name);
  if (info == nullptr || info->outputs.empty()) {
    return std::nullopt;
  }
  const auto bucket_argument = info->outputs.front(); // pull outputs start with "bucket" or "container"
  if (info->run == &run_pull_from_s3) {
    return PulledTree{"s3", bucket_argument};
  }
  if (info->run == &run_pull_from_gcs) {
    return PulledTree{"gcs", bucket_argument};
  }
  if (info->run == &run_pull_from_azure_blob_storage) {
    return PulledTree{"azure", bucket_argument};
  }
  return std::nullopt;
}

} // namespace

json run_push_to_s3(const StepCall& call, StepContext& context)
{
  return push_tree("s3", call, context);
}

json run_pull_from_s3(const StepCall& call, StepContext& context)
{
  return pull_tree("s3", call, context);
}

json run_push_to_gcs(const StepCall& call, StepContext& context)
{
  return push_tree("gcs", call, context);
}

json run_pull_from_gcs(const StepCall& call, StepContext& context)
{
  return pull_tree("gcs", call, context);
}

json run_push_to_azure_blob_storage(const StepCall& call, StepContext& context)
{
  return push_tree("azure", call, context);
}

json run_pull_from_azure_blob_storage(const StepCall& call, StepContext& context)
{
  return pull_tree("azure", call, context);
}

bool pin_pulled_tree(std::string_view step_name, json& args, const std::vector<PushedTree>& pushed)
{
  const auto pulled = pulled_tree(step_name);
  if (!pulled || !args.is_object()) {
    return false;
  }
  const auto bucket = args.find(pulled->bucket_argument);
  const auto folder = args.find("folder");
  if (bucket == args.end() || folder == args.end() || !bucket->is_string() || !folder->is_string()) {
    return false;
  }
  const auto normalized = storage::normalize_folder(folder->get<std::string>());
  for (auto tree = pushed.rbegin(); tree != pushed.rend(); ++tree) {
    if (tree->service == pulled->service && tree->bucket == bucket->get<std::string>() &&
        tree->folder == normalized) {
      args["manifest_digest"] = tree->manifest_digest;
      return true;
    }
  }
  return false;
}

} // namespace syntask::steps
