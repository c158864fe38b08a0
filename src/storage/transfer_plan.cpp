// SPDX-License-Identifier: Apache-2.0
// The pure decisions of the engine: which keys are safe to write, and what a push must send or remove.
#include <syntask/http/client.hpp>
#include <syntask/storage/transfer.hpp>
#include <syntask/util/strings.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace syntask::storage {

namespace {

// The problem with a '/'-separated relative path, or "".
std::string path_problem(std::string_view path)
{
  if (path.empty()) {
    return "it names no file below the folder";
  }
  if (path.find('\0') != std::string_view::npos) {
    return "it contains a NUL byte";
  }
  if (path.front() == '/') {
    return "it is an absolute path";
  }
  if (path.find('\\') != std::string_view::npos) {
    return "it contains a backslash";
  }
  for (const auto& segment : util::split(path, '/')) {
    if (segment.empty()) {
      return "it contains an empty path segment";
    }
    if (segment == "." || segment == "..") {
      return "it contains a '" + segment + "' segment";
    }
  }
  return "";
}

} // namespace

KeyCheck check_key(std::string_view key, std::string_view prefix)
{
  if (!util::starts_with(key, prefix)) {
    return {"", "it is not under the folder"};
  }
  const auto rest = key.substr(prefix.size());
  if (auto problem = path_problem(rest); !problem.empty()) {
    return {"", problem};
  }
  const auto decoded = http::percent_decode(rest);
  if (decoded != rest) {
    if (auto problem = path_problem(decoded); !problem.empty()) {
      return {"", problem + " once percent-decoded"};
    }
  }
  return {std::string(rest), ""};
}

UploadPlan plan_upload(const Manifest& local, const std::optional<Manifest>& remote,
                       const std::vector<ObjectInfo>& listing, std::string_view prefix, bool prune)
{
  std::map<std::string, const ObjectInfo*, std::less<>> listed;
  for (const auto& object : listing) {
    listed.emplace(object.key, &object);
  }
  UploadPlan plan;
  std::set<std::string, std::less<>> local_keys;
  for (const auto& file : local.files) {
    const auto key = std::string(prefix) + file.path;
    local_keys.insert(key);
    const auto* before = remote ? remote->find(file.path) : nullptr;
    const auto found = listed.find(key);
    const bool present =
        found != listed.end() && !found->second->is_directory_marker && found->second->size == file.size;
    if (before != nullptr && *before == file && present) {
      plan.unchanged.push_back(file.path);
    } else {
      plan.upload.push_back(file.path);
    }
  }
  if (prune) {
    const auto manifest_key = std::string(prefix) + std::string(k_manifest_name);
    for (const auto& [key, object] : listed) {
      if (!object->is_directory_marker && util::starts_with(key, prefix) && key != manifest_key &&
          local_keys.count(key) == 0) {
        plan.remove.push_back(key);
      }
    }
  }
  return plan;
}

} // namespace syntask::storage
