// SPDX-License-Identifier: Apache-2.0
// Shared pieces of project-file validation: the problem collector, type checks and the readers of each
// part of the file. Everything reports into a Problems object instead of throwing, so that one pass
// finds every problem.
#pragma once

#include <syntask/config/project.hpp>
#include <syntask/config/yaml_source.hpp>
#include <syntask/steps/step.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace syntask::config::detail {

/// Collects configuration problems and throws them together, in document order.
class Problems {
public:
  explicit Problems(const SourceMap& sources) : m_sources(sources) {}

  /// A problem with the value at `pointer`, placed where the value is written.
  void value(const std::string& pointer, const std::string& message);
  /// A problem with the entry at `pointer`, placed at its key.
  void key(const std::string& pointer, const std::string& message);
  /// A problem named by `pointer` but placed at `where`.
  void add(const SourceRef& where, const std::string& pointer, const std::string& message);

  bool empty() const { return m_problems.empty(); }
  /// Throws ConfigErrors with one line per problem, sorted by place; does nothing without problems.
  void throw_if_any() const;
  const SourceMap& sources() const { return m_sources; }

private:
  const SourceMap& m_sources;
  std::vector<ConfigError> m_problems;
};

/// Whether `value` is a string made of exactly one placeholder (<< x >> or {{ x }}): it takes the type
/// of what it resolves to, so it passes every type check.
bool is_placeholder(const nlohmann::json& value);
/// Whether `text` contains a placeholder anywhere; such values are checked after resolution.
bool has_placeholder(std::string_view text);
/// "a string", "a list", "a mapping", "a number", "a boolean" or "null", for messages.
std::string kind_name(const nlohmann::json& value);

/// Reports every key of `object` that is neither in `allowed` nor an extension key (x-...):
/// "unknown key 'K'" plus a suggestion.
void check_keys(const nlohmann::json& object, const std::string& pointer,
                const std::vector<std::string>& allowed, Problems& problems);

// Type checks. Each accepts a placeholder (and null when `nullable`), reports anything else at the
// value and returns whether the value was acceptable.
bool expect_string(const nlohmann::json& value, const std::string& pointer, Problems& problems,
                   bool nullable);
bool expect_mapping(const nlohmann::json& value, const std::string& pointer, Problems& problems,
                    bool nullable);
bool expect_list(const nlohmann::json& value, const std::string& pointer, Problems& problems, bool nullable);
bool expect_bool(const nlohmann::json& value, const std::string& pointer, Problems& problems);
/// A non-negative integer (floats with a fraction, negatives and booleans rejected).
bool expect_count(const nlohmann::json& value, const std::string& pointer, Problems& problems);

/// A problem found in the shape of one step, relative to nothing: `pointer` is absolute.
struct StepProblem {
  std::string pointer;
  bool at_key = false;
  std::string message;
};

/// Splits one step mapping ({name: {id?, requires?, ...args}}) into a StepSpec without consulting the
/// step registry; nullopt when the shape is too wrong to name a step.
std::optional<StepSpec> read_step_shape(const nlohmann::json& step, const std::string& pointer,
                                        std::vector<StepProblem>& problems);

/// Reads a build/push/pull value: a list of steps, one step mapping, {} or null (both empty). Each step
/// is checked against the registry and against `phase`.
StepList read_step_list(const nlohmann::json& value, const std::string& pointer, steps::Phase phase,
                        Problems& problems);

/// Reports step ids used twice in `steps` (in order); `seen` holds ids met earlier in the same namespace
/// (id -> pointer of its step) and is extended. Only steps whose pointer starts with `report_under` are
/// reported, so a namespace shared with already-checked lists is not reported twice.
void check_unique_ids(const StepList& steps, std::vector<std::pair<std::string, std::string>>& seen,
                      std::string_view report_under, Problems& problems);

/// Reads one entry of `deployments:`.
DeploymentSpec read_deployment(const nlohmann::json& value, std::size_t index, Problems& problems);

/// One problem of a schedule item: `key` is "" for the item itself.
struct ScheduleProblem {
  std::string key;
  bool at_key = false;
  std::string message;
};

/// Checks a schedule item. With `skip_templated`, values holding placeholders pass (they are checked
/// again once resolved).
std::vector<ScheduleProblem> schedule_problems(const nlohmann::json& item, bool skip_templated);

} // namespace syntask::config::detail
