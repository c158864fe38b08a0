// SPDX-License-Identifier: Apache-2.0
#include "deploy/code_pins.hpp"

#include <syntask/storage/object_store.hpp>
#include <syntask/storage/transfer.hpp>
#include <syntask/template/resolver.hpp>
#include <syntask/ui/output.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include "deploy/docker_source.hpp"
#include "deploy/git_source.hpp"
#include <algorithm>
#include <optional>

namespace syntask::deploy {

namespace {

using nlohmann::json;

std::string string_at(const json& object, std::string_view key)
{
  const auto found = object.is_object() ? object.find(std::string(key)) : object.end();
  return object.is_object() && found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

// "name" means "name:latest", as docker reads it; a tag follows the last ':' after the last '/'.
std::string with_tag(const std::string& image)
{
  const auto slash = image.rfind('/');
  const auto colon = image.rfind(':');
  const bool tagged = colon != std::string::npos && (slash == std::string::npos || colon > slash);
  return tagged || image.find('@') != std::string::npos ? image : image + ":latest";
}

// The registry block a push was written with, so that runs can log in with the same block.
std::string credentials_reference(const json& raw_args)
{
  const auto text = string_at(raw_args, "credentials");
  return text.find("docker-registry-credentials.") != std::string::npos ? text : "";
}

void collect_image(const steps::StepResult& step, CodePins& pins)
{
  const auto name = string_at(step.output, "image_name");
  const auto pinned = string_at(step.output, "image_with_digest");
  if (name.empty() || pinned.empty()) {
    return;
  }
  const auto reference = credentials_reference(step.raw_args);
  pins.images.push_back({name + ":" + string_at(step.output, "tag"), pinned, reference});
  const auto extra = step.output.value("additional_tags", json::array());
  for (const auto& tag : extra.is_array() ? extra : json::array()) {
    if (tag.is_string()) {
      pins.images.push_back({name + ":" + tag.get<std::string>(), pinned, reference});
    }
  }
}

// The tree an object storage pull step reads (a bucket or folder still holding a reference matches no
// push); nullopt for other steps.
std::optional<PushedTree> pulled_tree(const steps::StepInfo& info, const json& args)
{
  const bool pull = std::any_of(info.args.begin(), info.args.end(),
                                [](const steps::ArgSpec& arg) { return arg.name == "manifest_digest"; });
  if (info.storage_service.empty() || !pull) {
    return std::nullopt;
  }
  const auto bucket = string_at(args, storage::backend(info.storage_service).bucket_argument);
  if (bucket.empty() || !args.contains("folder") || !args["folder"].is_string()) {
    return std::nullopt;
  }
  return PushedTree{std::string(info.storage_service), bucket,
                    storage::normalize_folder(args["folder"].get<std::string>()), ""};
}

void pin_tree(const CodePins& pins, const PushedTree& pulled, json& args)
{
  for (auto tree = pins.trees.rbegin(); tree != pins.trees.rend(); ++tree) {
    if (tree->service == pulled.service && tree->bucket == pulled.bucket && tree->folder == pulled.folder) {
      args["manifest_digest"] = tree->manifest_digest;
      return;
    }
  }
}

// The pinned commit is the project's HEAD; a step cloning some other repository will not find it.
void warn_other_repository(const CodePins& pins, const json& args, ui::Output& output)
{
  const auto repository = args.value("repository", json());
  if (!repository.is_string() || !tmpl::find_references(repository).empty() || pins.git_remote.empty() ||
      same_repository(repository.get<std::string>(), pins.git_remote)) {
    return;
  }
  output.warn("git_clone pulls " + util::quoted(util::redact_url(repository.get<std::string>())) +
              ", not this repository's remote " + util::quoted(util::redact_url(pins.git_remote)) +
              ": commit " + pins.git_commit.substr(0, 12) +
              " may not be there; set `pin: false` in the step or pass --no-pin to follow its branch");
}

void pin_image(const CodePins& pins, json& record, ui::Output& output)
{
  auto& variables = record["work_pool"]["job_variables"];
  const auto image = variables.find("image");
  if (image == variables.end() || !image->is_string()) {
    return;
  }
  const auto wanted = with_tag(image->get<std::string>());
  for (auto pushed = pins.images.rbegin(); pushed != pins.images.rend(); ++pushed) {
    if (pushed->image != wanted) {
      continue;
    }
    output.info("Image '" + image->get<std::string>() + "' stored as " + pushed->image_with_digest);
    *image = pushed->image_with_digest;
    if (!pushed->credentials_reference.empty()) {
      record["image_credentials"] = pushed->credentials_reference;
    }
    return;
  }
}

} // namespace

void collect_code_pins(const std::vector<steps::StepResult>& ran, CodePins& pins)
{
  for (const auto& step : ran) {
    const auto* info = steps::find_step(step.name);
    if (info == nullptr) {
      continue;
    }
    const auto digest = string_at(step.output, "manifest_digest");
    if (!info->storage_service.empty() && !digest.empty()) {
      const auto bucket = string_at(step.output, storage::backend(info->storage_service).bucket_argument);
      pins.trees.push_back({std::string(info->storage_service), bucket,
                            storage::normalize_folder(string_at(step.output, "folder")), digest});
    } else if (info->name == k_push_image_step) {
      collect_image(step, pins);
    }
  }
}

void record_code_pins(const CodePins& pins, json& record, ui::Output& output)
{
  for (auto& step : record["pull_steps"]) {
    if (!step.is_object() || step.size() != 1) {
      continue;
    }
    const auto* info = steps::find_step(step.begin().key());
    auto& args = step.begin().value();
    if (info == nullptr || !args.is_object()) {
      continue;
    }
    if (const auto pulled = pulled_tree(*info, args)) {
      pin_tree(pins, *pulled, args);
    } else if (info->name == k_git_clone_step && pin_clone_args(args, pins.git_commit)) {
      warn_other_repository(pins, args, output);
    }
  }
  pin_image(pins, record, output);
}

} // namespace syntask::deploy
