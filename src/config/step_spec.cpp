// SPDX-License-Identifier: Apache-2.0
#include <syntask/config/project.hpp>
#include <syntask/steps/step.hpp>
#include <syntask/util/strings.hpp>

#include "config/validation.hpp"
#include <algorithm>
#include <cctype>

namespace syntask::config {

namespace detail {

namespace {

bool is_valid_id(const std::string& id)
{
  return !id.empty() && std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '_' || c == '-';
  });
}

std::string quoted_keys(const nlohmann::json& object)
{
  std::vector<std::string> keys;
  for (const auto& [key, value] : object.items()) {
    keys.push_back(util::quoted(key));
  }
  return util::join(keys, ", ");
}

} // namespace

std::optional<StepSpec> read_step_shape(const nlohmann::json& step, const std::string& pointer,
                                        std::vector<StepProblem>& problems)
{
  if (!step.is_object()) {
    problems.push_back(
        {pointer, false, "a step must be a mapping of a step name to its arguments, not " + kind_name(step)});
    return std::nullopt;
  }
  if (step.size() != 1) {
    std::string message = step.empty() ? "a step must name one step, found an empty mapping"
                                       : "a step must name exactly one step, found " +
                                             std::to_string(step.size()) + " keys: " + quoted_keys(step);
    if (step.contains("id") || step.contains("requires")) {
      message += "; 'id' and 'requires' belong inside the step's arguments";
    }
    problems.push_back({pointer, false, message});
    return std::nullopt;
  }
  const std::string written_name = step.begin().key();
  const nlohmann::json& arguments = step.begin().value();
  const auto arguments_pointer = pointer_child(pointer, written_name);
  if (!arguments.is_null() && !arguments.is_object()) {
    problems.push_back(
        {arguments_pointer, false, "the arguments of a step must be a mapping, not " + kind_name(arguments)});
    return std::nullopt;
  }
  StepSpec spec;
  spec.written_name = written_name;
  spec.name = steps::canonical_step_name(written_name);
  spec.pointer = pointer;
  spec.args = arguments.is_null() ? nlohmann::json::object() : arguments;
  if (const auto id = spec.args.find("id"); id != spec.args.end()) {
    const auto id_pointer = pointer_child(arguments_pointer, "id");
    if (!id->is_string()) {
      problems.push_back({id_pointer, false, "a step id must be a string, not " + kind_name(*id)});
    } else if (!is_valid_id(id->get<std::string>())) {
      problems.push_back(
          {id_pointer, false,
           "invalid step id " + util::quoted(id->get<std::string>()) + ": use letters, digits, '_' and '-'"});
    } else {
      spec.id = id->get<std::string>();
    }
    spec.args.erase(id);
  }
  if (const auto requires_ = spec.args.find("requires"); requires_ != spec.args.end()) {
    spec.requires_ = *requires_;
    spec.args.erase(requires_);
  }
  return spec;
}

} // namespace detail

nlohmann::json StepSpec::to_json() const
{
  auto body = args.is_object() ? args : nlohmann::json::object();
  if (!id.empty()) {
    body["id"] = id;
  }
  if (!requires_.is_null()) {
    body["requires"] = requires_;
  }
  return nlohmann::json{{written_name, body}};
}

StepSpec StepSpec::from_json(const nlohmann::json& step, std::string pointer, SourceRef where)
{
  std::vector<detail::StepProblem> problems;
  auto spec = detail::read_step_shape(step, pointer, problems);
  if (!problems.empty()) {
    throw ConfigError(where, field_path(problems.front().pointer), problems.front().message);
  }
  spec->where = std::move(where);
  return std::move(*spec);
}

} // namespace syntask::config
