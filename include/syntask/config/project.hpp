// SPDX-License-Identifier: Apache-2.0
// syntask.yaml (and prefect.yaml): loading, normalising and validating a project file.
#pragma once

#include <syntask/config/yaml_source.hpp>
#include <syntask/error.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace syntask::config {

/// One step of a build/push/pull list, as written (arguments unresolved).
struct StepSpec {
  std::string name;         ///< canonical step name (aliases such as prefect.deployments.steps.X mapped)
  std::string written_name; ///< the name as written in the file
  std::string id;           ///< "" when the step has no id
  nlohmann::json requires_; ///< null, a string or a list of strings (accepted, never installed)
  nlohmann::json args;      ///< object of arguments, without id and requires
  std::string pointer;      ///< JSON pointer of the step's mapping in the file ("/pull/0")
  SourceRef where;          ///< place of the step in the file

  /// The step as stored in a deployment: { written_name: { id?, requires?, ...args } }.
  nlohmann::json to_json() const;
  /// Parses a stored step back; `pointer`/`where` identify it in messages.
  static StepSpec from_json(const nlohmann::json& step, std::string pointer, SourceRef where);
};

using StepList = std::vector<StepSpec>;

/// One entry of `deployments:`, normalised (legacy `schedule` turned into `schedules`, singular
/// step mappings wrapped in lists). The body keeps every deployment field except build/push/pull.
struct DeploymentSpec {
  std::size_t index = 0;
  std::string pointer; ///< "/deployments/N"
  SourceRef where;
  nlohmann::json body;           ///< name, version, tags, description, entrypoint, parameters,
                                 ///< work_pool, schedules, concurrency_limit, ... (unresolved)
  std::optional<StepList> build; ///< present => replaces the top-level list
  std::optional<StepList> push;
  std::optional<StepList> pull; ///< present (even empty) => replaces the top-level list
  bool pull_null = false;       ///< written as `pull: null` (pull is then set and empty): Prefect
                                ///< reads that as "use the top-level pull"; see pull_for()

  /// body["name"] when it is a string, else "".
  std::string name() const;
  /// body["entrypoint"] when it is a string, else "".
  std::string entrypoint() const;
};

/// A loaded project file.
struct ProjectFile {
  std::filesystem::path path;      ///< absolute path of the file
  std::filesystem::path directory; ///< the project directory (the file's parent)
  YamlDocument document;           ///< the parsed document (for SourceRefs and saving)
  std::string name;
  StepList build;
  StepList push;
  std::optional<StepList> pull; ///< nullopt => no top-level pull key (or null)
  std::vector<DeploymentSpec> deployments;

  /// The effective lists for a deployment: a per-deployment key (even null, [] or {}) replaces the
  /// top-level list.
  const StepList& build_for(const DeploymentSpec& d) const;
  const StepList& push_for(const DeploymentSpec& d) const;
  /// The deployment's pull when it has one that is not null (`pull: []` means no pull steps), else the
  /// top-level pull. nullopt means "use the default pull" (set_working_directory to the project
  /// directory).
  std::optional<StepList> pull_for(const DeploymentSpec& d) const;
};

/// Loads and validates a project file. Every problem is collected and thrown together as ConfigErrors
/// (one "FILE:LINE:COL: FIELD: MESSAGE" line each, in document order); a YAML syntax error, a duplicate
/// key or an unreadable file throws ConfigError. Values that hold placeholders pass the checks that
/// their resolved value will face later (schedules: check_schedule).
ProjectFile load_project(const std::filesystem::path& path);

/// Validates a parsed document and builds the ProjectFile; used by load_project and by tests.
ProjectFile build_project(YamlDocument document, const std::filesystem::path& path);

/// The default project file in `directory`: syntask.yaml, else prefect.yaml when only that exists.
std::filesystem::path default_project_file(const std::filesystem::path& directory);

/// Checks a cron expression (5 fields, or 6 with seconds; names and macros such as @daily); returns an
/// error message or "" when valid.
std::string check_cron(const std::string& expression);
/// Parses an interval: seconds as a number, ISO-8601 duration (PT10M, P1D) or H:MM:SS. nullopt if invalid.
std::optional<double> parse_interval(const nlohmann::json& value);
/// Checks an IANA time zone name against the system zone database; "" when valid.
std::string check_timezone(const std::string& name);
/// Checks an RRULE string (RRULE:..., DTSTART, FREQ=...); "" when valid.
std::string check_rrule(const std::string& rule);

/// Checks an entrypoint ("path/to/file.py:func", "pkg.mod:func" or "pkg.mod.func"; a file path inside
/// the project: no "..", not absolute); returns a message or "".
std::string check_entrypoint(const std::string& entrypoint);

/// Validates one schedule item (already resolved); returns problems as (field, message) pairs, where
/// field is the item's key ("cron", "timezone", ...) or "" for the item as a whole.
std::vector<std::pair<std::string, std::string>> check_schedule(const nlohmann::json& schedule);

} // namespace syntask::config
