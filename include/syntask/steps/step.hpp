// SPDX-License-Identifier: Apache-2.0
// The step contract: a step is a built-in function taking resolved arguments (a JSON object) and
// returning its outputs (a JSON object). Every step is listed once, in src/steps/builtin_steps.cpp.
#pragma once

#include <syntask/error.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace syntask::store {
class Store;
}
namespace syntask::ui {
class Output;
}
namespace syntask::util {
class Redactor;
class ScrubbedStream;
} // namespace syntask::util

namespace syntask::steps {

/// The lists a step may appear in; a bit set.
enum Phase : unsigned { build = 1, push = 2, pull = 4, any = 7 };

/// A problem with a value written for an argument ("" when none).
using ArgumentCheck = std::string (*)(const nlohmann::json& value);

/// One argument a step accepts.
struct ArgSpec {
  std::string_view name;
  bool required;
  std::string_view description;
  /// Called at validation on a value written without references, so that a deploy stops before its
  /// first step; nullptr when only the step itself checks the value, as it runs.
  ArgumentCheck check = nullptr;
};

/// A step about to run.
struct StepCall {
  std::string name;      ///< canonical name
  std::string id;        ///< "" when none
  std::size_t index = 0; ///< position in its list
  std::string phase;     ///< "build", "push" or "pull"
  nlohmann::json args;   ///< resolved arguments (an object)
  SourceRef where;
  nlohmann::json raw_args; ///< the same arguments as written, references unresolved (e.g. to tell which
                           ///< block type a `credentials` reference names)
};

/// What a running step may use: the user's Output and the redactor, and the two streams steps write to.
/// The streams exist only scrubbed (util::ScrubbedStream over the Output's streams): a step cannot
/// write around the redactor.
class StepContext {
public:
  StepContext(ui::Output& ui, util::Redactor& redactor);
  ~StepContext();
  StepContext(const StepContext&) = delete;
  StepContext& operator=(const StepContext&) = delete;

  /// The working directory steps run in; set_working_directory changes it (the process cwd is left
  /// alone). Relative paths in arguments are relative to it.
  std::filesystem::path working_directory;
  store::Store* store = nullptr;

  ui::Output& ui() const { return *m_ui; }
  util::Redactor& redactor() const { return *m_redactor; }
  /// Where steps stream the output of the programs they run (stdout normally, stderr under --json).
  std::ostream& output() const;
  /// Where progress and diagnostics go (stderr).
  std::ostream& diagnostics() const;

private:
  ui::Output* m_ui;
  util::Redactor* m_redactor;
  std::unique_ptr<util::ScrubbedStream> m_output;
  std::unique_ptr<util::ScrubbedStream> m_diagnostics;
};

using StepFunction = nlohmann::json (*)(const StepCall& call, StepContext& context);

/// Where a pull step runs when a docker work pool's deployment runs in a container (docs/docker.md).
enum class ContainerPlace : unsigned char {
  none,      ///< it cannot run there
  directory, ///< it moves the container folder later steps run in (its `directory` argument); nothing runs
  host,      ///< it fetches code on this machine, into a staging folder standing for the container's folder
  container, ///< the container runs it before the flow (the Python runner's step of the same short name)
};

/// The arguments a container step hands the Python runner: checked and typed, with the step's own
/// defaults filled in, so that it behaves as it does on this machine.
using ContainerArguments = nlohmann::json (*)(const StepCall& call);

struct StepInfo {
  std::string_view name;    ///< canonical: syntask.deployments.steps.set_working_directory
  std::string_view summary; ///< one line for `syntask steps ls`
  unsigned phases;          ///< Phase bits
  std::vector<ArgSpec> args;
  std::vector<std::string_view> outputs;
  StepFunction run;
  /// Whether extra unknown arguments are accepted (false: unknown arguments fail validation).
  bool open_arguments = false;
  /// Where it runs in a docker work pool's container run.
  ContainerPlace container_place = ContainerPlace::none;
  /// For ContainerPlace::container: what the container's runner gets.
  ContainerArguments container_args = nullptr;
  /// For ContainerPlace::container: the Python function `_step_SHORT_NAME(args, directory)` that carries
  /// the step out in the container, with the runner's helpers (deploy/python_runner.cpp) in scope.
  std::string_view container_python = {};
  /// The object storage service the step reads or writes, as named by its storage::backend row ("s3",
  /// "gcs", "azure"); "" for a step that talks to none.
  std::string_view storage_service = {};
};

/// Every built-in step, in the order `syntask steps ls` shows them.
const std::vector<StepInfo>& builtin_steps();

/// The canonical spelling of a step name: prefect.* / prefect_* prefixes become syntask.* /
/// syntask_*, and ".deployment.steps." becomes ".deployments.steps.".
std::string canonical_step_name(std::string_view name);

/// The step with this name (any alias); nullptr when unknown.
const StepInfo* find_step(std::string_view name);

/// Canonical names of every step, for "did you mean".
std::vector<std::string> step_names();

/// Checks a `requires` value (string or list of strings): every requirement must name a known step
/// package (syntask, syntask-aws, ... or their prefect-* spellings). Returns a problem or "".
std::string check_requires(const nlohmann::json& requires_);

// Helpers for step implementations: typed argument access with messages naming the argument.

/// args[name] as a string; nullopt when absent or null; throws Error if it has another type.
std::optional<std::string> optional_string(const StepCall& call, std::string_view name);
std::string required_string(const StepCall& call, std::string_view name);
bool optional_bool(const StepCall& call, std::string_view name, bool fallback);
/// args[name] as a whole number from `low` to `high`, written as a number or as digits; nullopt when
/// absent or null; otherwise throws StepError saying it must be `expected`.
std::optional<long long> optional_whole_number(const StepCall& call, std::string_view name, long long low,
                                               long long high, std::string_view expected);
/// "TYPE" and "NAME" of the block the argument `name` references as written (`<< syntask.blocks.TYPE.NAME
/// >>`, also with a field), else nullopt.
std::optional<std::pair<std::string, std::string>> written_block(const StepCall& call, std::string_view name);
/// A path argument made absolute against the context's working directory.
std::filesystem::path resolve_path(const StepContext& context, const std::string& path);

} // namespace syntask::steps
