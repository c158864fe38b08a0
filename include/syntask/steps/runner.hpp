// SPDX-License-Identifier: Apache-2.0
// Running a list of steps with Prefect's contract: each step's arguments are resolved just before it
// runs, its outputs are stored under its id and merged into the flat scope.
#pragma once

#include <syntask/config/project.hpp>
#include <syntask/steps/step.hpp>
#include <syntask/template/resolver.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace syntask::steps {

/// The scope steps resolve against: step outputs, the process environment, the store's blocks and
/// variables.
class StepScope : public tmpl::Scope {
public:
  StepScope(nlohmann::json outputs, store::Store* store);

  std::optional<nlohmann::json> step_output(const std::string& path) const override;
  std::optional<std::string> env(const std::string& name) const override;
  std::optional<tmpl::BlockValue> block(const std::string& type, const std::string& name) const override;
  std::optional<nlohmann::json> variable(const std::string& name) const override;

  /// Stores a step's output under its id (when it has one) and merges its keys into the flat scope.
  void add_output(const std::string& id, const nlohmann::json& output);
  const nlohmann::json& outputs() const { return m_outputs; }

private:
  nlohmann::json m_outputs;
  store::Store* m_store;
};

/// A step that ran: what it was called as and what it returned.
struct StepResult {
  std::string name;        ///< canonical name
  nlohmann::json raw_args; ///< the arguments as written, references unresolved
  nlohmann::json output;   ///< the step's outputs (an object)
};

/// Runs `steps` of `phase` in order and returns each one's result, in order. Arguments are resolved
/// against `scope` just before each step; a failure throws StepError naming the step's index, name, id,
/// place and cause, and no later step runs.
std::vector<StepResult> run_steps(const config::StepList& steps, const std::string& phase,
                                  StepContext& context, StepScope& scope, const config::SourceMap* sources);

} // namespace syntask::steps
