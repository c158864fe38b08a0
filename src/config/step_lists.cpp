// SPDX-License-Identifier: Apache-2.0
// build/push/pull lists: their shape, and each step checked against the registry.
#include <syntask/steps/step.hpp>
#include <syntask/util/strings.hpp>

#include "config/validation.hpp"
#include <algorithm>

namespace syntask::config::detail {

namespace {

std::string phase_names(unsigned phases)
{
  std::vector<std::string> names;
  for (const auto& [bit, name] :
       {std::pair{steps::Phase::build, "build"}, std::pair{steps::Phase::push, "push"},
        std::pair{steps::Phase::pull, "pull"}}) {
    if ((phases & bit) != 0) {
      names.emplace_back(name);
    }
  }
  return util::join(names, ", ");
}

std::string phase_name(steps::Phase phase)
{
  return phase_names(phase);
}

// Registry checks: the step exists, may run in this list, and gets only arguments it knows.
void check_against_registry(const StepSpec& spec, steps::Phase phase, Problems& problems)
{
  const auto arguments_pointer = pointer_child(spec.pointer, spec.written_name);
  const auto name_place = problems.sources().key_at(arguments_pointer);
  const auto quoted_name = util::quoted(spec.written_name);
  const auto* info = steps::find_step(spec.written_name);
  if (info == nullptr) {
    problems.add(name_place, spec.pointer,
                 "unknown step " + quoted_name + util::did_you_mean(spec.name, steps::step_names()));
    return;
  }
  if ((info->phases & phase) == 0) {
    problems.add(name_place, spec.pointer,
                 "step " + quoted_name + " cannot be used in " + phase_name(phase) + " (only in " +
                     phase_names(info->phases) + ")");
  }
  if (!spec.requires_.is_null()) {
    if (const auto problem = steps::check_requires(spec.requires_); !problem.empty()) {
      problems.value(pointer_child(arguments_pointer, "requires"), problem);
    }
  }
  std::vector<std::string> known;
  for (const auto& arg : info->args) {
    known.emplace_back(arg.name);
  }
  if (!info->open_arguments) {
    for (const auto& [name, value] : spec.args.items()) {
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        problems.key(pointer_child(arguments_pointer, name), "unknown argument " + util::quoted(name) +
                                                                 " for step " + quoted_name +
                                                                 util::did_you_mean(name, known));
      }
    }
  }
  for (const auto& arg : info->args) {
    const auto value = spec.args.find(std::string(arg.name));
    if (arg.check != nullptr && value != spec.args.end() &&
        !(value->is_string() && has_placeholder(value->get<std::string>()))) {
      if (const auto problem = arg.check(*value); !problem.empty()) {
        problems.value(pointer_child(arguments_pointer, arg.name), problem);
      }
    }
    if (arg.required && value == spec.args.end()) {
      problems.add(name_place, spec.pointer,
                   "missing required argument " + util::quoted(arg.name) + " for step " + quoted_name);
    }
  }
}

void read_step(const nlohmann::json& value, const std::string& pointer, steps::Phase phase, StepList& list,
               Problems& problems)
{
  std::vector<StepProblem> shape_problems;
  auto spec = read_step_shape(value, pointer, shape_problems);
  for (const auto& problem : shape_problems) {
    if (problem.at_key) {
      problems.key(problem.pointer, problem.message);
    } else {
      problems.value(problem.pointer, problem.message);
    }
  }
  if (!spec) {
    return;
  }
  spec->where = problems.sources().at(pointer);
  check_against_registry(*spec, phase, problems);
  list.push_back(std::move(*spec));
}

} // namespace

StepList read_step_list(const nlohmann::json& value, const std::string& pointer, steps::Phase phase,
                        Problems& problems)
{
  StepList list;
  if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      read_step(value[i], pointer_child(pointer, i), phase, list, problems);
    }
  } else if (value.is_object()) {
    // A single step written without the list around it.
    if (!value.empty()) {
      read_step(value, pointer, phase, list, problems);
    }
  } else if (!value.is_null()) {
    problems.value(pointer, "must be a list of steps, not " + kind_name(value));
  }
  return list;
}

void check_unique_ids(const StepList& steps, std::vector<std::pair<std::string, std::string>>& seen,
                      std::string_view report_under, Problems& problems)
{
  for (const auto& step : steps) {
    if (step.id.empty()) {
      continue;
    }
    const auto earlier =
        std::find_if(seen.begin(), seen.end(), [&](const auto& entry) { return entry.first == step.id; });
    if (earlier == seen.end()) {
      seen.emplace_back(step.id, step.pointer);
      continue;
    }
    if (util::starts_with(step.pointer, report_under)) {
      problems.value(pointer_child(pointer_child(step.pointer, step.written_name), "id"),
                     "duplicate step id " + util::quoted(step.id) + "; already used by " +
                         field_path(earlier->second));
    }
  }
}

} // namespace syntask::config::detail
