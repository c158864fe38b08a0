// SPDX-License-Identifier: Apache-2.0
// Running a list of steps with Prefect's contract: each step's arguments are resolved just before it
// runs, its outputs are stored under its id and merged into the flat scope.
#pragma once

#include <syntask/config/project.hpp>
#include <syntask/steps/step.hpp>
#include <syntask/template/resolver.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
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

/// Where the flow runs after the pull steps: the one rule for runs on this machine and in containers,
/// the reference's. Only set_working_directory moves the folder later steps run in (git_clone and the
/// pull_from_* steps report a `directory` but leave it alone); the flow then runs from the `directory`
/// output of the last step that had one, a relative one taken from the folder that step ran in (as the
/// flat merge of step outputs leaves it), else from the folder the steps ended in.
class FlowDirectory {
public:
  /// Notes the output of a step that ran in `step_directory`.
  void after_step(const nlohmann::json& output, const std::filesystem::path& step_directory);
  /// The flow's folder once the steps are done, `steps_directory` being the folder they ended in.
  std::filesystem::path flow_directory(const std::filesystem::path& steps_directory) const;

private:
  std::optional<std::filesystem::path> m_reported;
};

/// What running a list of steps gave: each step's result, in order, and the folder a flow would run
/// from after them (FlowDirectory; only pull steps use it).
struct StepsRun {
  std::vector<StepResult> steps;
  std::filesystem::path flow_directory;
};

/// Runs `steps` of `phase` in order. Arguments are resolved against `scope` just before each step; a
/// failure throws StepError naming the step's index, name, id, place and cause, and no later step runs.
StepsRun run_steps(const config::StepList& steps, const std::string& phase, StepContext& context,
                   StepScope& scope, const config::SourceMap* sources);

} // namespace syntask::steps
