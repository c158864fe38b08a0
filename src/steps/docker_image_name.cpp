// SPDX-License-Identifier: Apache-2.0
#include "steps/docker_image_name.hpp"

#include <syntask/util/fs.hpp>
#include <syntask/util/strings.hpp>

#include "steps/builtin.hpp"
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <mutex>

namespace syntask::steps::docker_steps {

std::string image_name_problem(std::string_view name)
{
  if (name.empty()) {
    return "must not be empty";
  }
  for (char c : name) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      return "must not contain whitespace";
    }
  }
  return "";
}

std::string namespaced_image_name(const std::string& image_name)
{
  // As the reference: a name with a '/' already has a namespace (or a registry); only a bare name gets one.
  if (image_name.find('/') != std::string::npos) {
    return image_name;
  }
  const auto space = util::get_env("SYNTASK_DEFAULT_DOCKER_BUILD_NAMESPACE")
                         .value_or(util::get_env("PREFECT_DEFAULT_DOCKER_BUILD_NAMESPACE").value_or(""));
  auto prefix = util::trim(space);
  while (!prefix.empty() && prefix.back() == '/') {
    prefix.pop_back();
  }
  return prefix.empty() ? image_name : prefix + "/" + image_name;
}

std::string default_tag()
{
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::system_clock::to_time_t(now);
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::string iso = text;
  // Python's isoformat() leaves out a zero fraction.
  if (micros != 0) {
    char fraction[16];
    std::snprintf(fraction, sizeof fraction, ".%06lld", static_cast<long long>(micros));
    iso += fraction;
  }
  return util::slugify(iso + "+00:00");
}

std::vector<std::string> additional_tags(const StepCall& call)
{
  const auto found = call.args.find("additional_tags");
  if (found == call.args.end() || found->is_null()) {
    return {};
  }
  if (found->is_string()) {
    return {found->get<std::string>()};
  }
  std::vector<std::string> tags;
  if (found->is_array()) {
    for (const auto& item : *found) {
      if (item.is_string()) {
        tags.push_back(item.get<std::string>());
      } else if (item.is_number()) {
        tags.push_back(item.dump());
      } else {
        break;
      }
    }
    if (tags.size() == found->size()) {
      return tags;
    }
  }
  throw StepError("argument 'additional_tags' of step " + util::quoted(call.name) +
                  " must be a list of tags");
}

std::string image_name_argument(const StepCall& call)
{
  const auto name = required_string(call, "image_name");
  if (const auto problem = image_name_problem(name); !problem.empty()) {
    throw StepError("invalid image name " + util::quoted(name) + ": " + problem);
  }
  return namespaced_image_name(name);
}

nlohmann::json cached(const StepCall& call, const std::function<nlohmann::json()>& produce)
{
  static std::mutex mutex;
  static std::map<std::string, nlohmann::json> outputs;
  const auto key = call.name + "\n" + call.args.dump();
  if (!optional_bool(call, "ignore_cache", false)) {
    std::lock_guard lock(mutex);
    if (const auto found = outputs.find(key); found != outputs.end()) {
      return found->second;
    }
  }
  auto result = produce();
  std::lock_guard lock(mutex);
  outputs[key] = result;
  return result;
}

} // namespace syntask::steps::docker_steps

namespace syntask::steps {

std::string check_image_name(const nlohmann::json& value)
{
  if (value.is_string()) {
    const auto name = value.get<std::string>();
    if (const auto problem = docker_steps::image_name_problem(name); !problem.empty()) {
      return "invalid image name " + util::quoted(name) + ": " + problem;
    }
  }
  return "";
}

} // namespace syntask::steps
