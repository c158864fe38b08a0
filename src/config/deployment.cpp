// SPDX-License-Identifier: Apache-2.0
// One entry of `deployments:`: every field's type and shape, the legacy `schedule`, and its step lists.
#include <syntask/util/strings.hpp>

#include "config/validation.hpp"
#include <algorithm>
#include <cctype>
#include <filesystem>

namespace syntask::config {

namespace detail {

namespace {

const std::vector<std::string> k_deployment_keys{"name",         "version",
                                                 "version_type", "tags",
                                                 "description",  "entrypoint",
                                                 "flow_name",    "parameters",
                                                 "work_pool",    "schedules",
                                                 "schedule",     "concurrency_limit",
                                                 "paused",       "enforce_parameter_schema",
                                                 "build",        "push",
                                                 "pull",         "triggers",
                                                 "sla"};

const std::vector<std::string> k_work_pool_keys{"name", "work_queue_name", "job_variables"};
const std::vector<std::string> k_concurrency_keys{"limit", "collision_strategy", "grace_period_seconds"};
const std::vector<std::string> k_version_types{"syntask:simple", "prefect:simple", "vcs:github",
                                               "vcs:gitlab",     "vcs:bitbucket",  "vcs:azuredevops",
                                               "vcs:git"};

bool is_identifier(std::string_view text)
{
  if (text.empty() || std::isdigit(static_cast<unsigned char>(text[0])) != 0) {
    return false;
  }
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isalnum(c) != 0 || c == '_' || c >= 0x80; });
}

// "a.b.c" where every part is an identifier; at least `parts` parts.
bool is_dotted_name(std::string_view text, std::size_t parts)
{
  const auto pieces = util::split(text, '.');
  return pieces.size() >= parts && std::all_of(pieces.begin(), pieces.end(),
                                               [](const std::string& piece) { return is_identifier(piece); });
}

void check_schedule_item(const nlohmann::json& item, const std::string& pointer, Problems& problems)
{
  for (const auto& problem : schedule_problems(item, true)) {
    const auto target = problem.key.empty() ? pointer : pointer_child(pointer, problem.key);
    if (problem.at_key) {
      problems.key(target, problem.message);
    } else {
      problems.value(target, problem.message);
    }
  }
}

void check_tags(const nlohmann::json& tags, const std::string& pointer, Problems& problems)
{
  if (tags.is_array()) {
    for (std::size_t i = 0; i < tags.size(); ++i) {
      expect_string(tags[i], pointer_child(pointer, i), problems, false);
    }
  } else if (!tags.is_null() && !is_placeholder(tags)) {
    problems.value(pointer, "must be a list of strings, not " + kind_name(tags));
  }
}

void check_work_pool(const nlohmann::json& pool, const std::string& pointer, Problems& problems)
{
  if (!expect_mapping(pool, pointer, problems, true) || !pool.is_object()) {
    return;
  }
  check_keys(pool, pointer, k_work_pool_keys, problems);
  for (const auto* key : {"name", "work_queue_name"}) {
    if (pool.contains(key)) {
      expect_string(pool[key], pointer_child(pointer, key), problems, true);
    }
  }
  if (pool.contains("job_variables")) {
    expect_mapping(pool["job_variables"], pointer_child(pointer, "job_variables"), problems, true);
  }
}

void check_concurrency(const nlohmann::json& limit, const std::string& pointer, Problems& problems)
{
  if (limit.is_null() || is_placeholder(limit)) {
    return;
  }
  if (!limit.is_object()) {
    expect_count(limit, pointer, problems);
    return;
  }
  check_keys(limit, pointer, k_concurrency_keys, problems);
  if (!limit.contains("limit")) {
    problems.value(pointer, "missing 'limit'");
  } else {
    expect_count(limit["limit"], pointer_child(pointer, "limit"), problems);
  }
  if (const auto strategy = limit.find("collision_strategy");
      strategy != limit.end() && !strategy->is_null() && !is_placeholder(*strategy)) {
    if (!strategy->is_string() || (*strategy != "ENQUEUE" && *strategy != "CANCEL_NEW")) {
      problems.value(
          pointer_child(pointer, "collision_strategy"),
          "must be 'ENQUEUE' or 'CANCEL_NEW', not " +
              (strategy->is_string() ? util::quoted(strategy->get<std::string>()) : kind_name(*strategy)));
    }
  }
  if (const auto grace = limit.find("grace_period_seconds");
      grace != limit.end() && !grace->is_null() && !is_placeholder(*grace)) {
    const bool in_range =
        grace->is_number_integer() && grace->get<std::int64_t>() >= 60 && grace->get<std::int64_t>() <= 86400;
    if (!in_range) {
      problems.value(pointer_child(pointer, "grace_period_seconds"),
                     "must be a whole number of seconds from 60 to 86400");
    }
  }
}

// The legacy single `schedule`: checked in place, and returned when it holds a schedule.
std::optional<nlohmann::json> legacy_schedule(const nlohmann::json& deployment, const std::string& pointer,
                                              Problems& problems)
{
  const auto found = deployment.find("schedule");
  if (found == deployment.end()) {
    return std::nullopt;
  }
  const auto schedule_pointer = pointer_child(pointer, "schedule");
  if (!expect_mapping(*found, schedule_pointer, problems, true) || !found->is_object() || found->empty()) {
    return std::nullopt;
  }
  if (deployment.contains("schedules") && !deployment["schedules"].is_null()) {
    problems.key(schedule_pointer, "use either 'schedule' or 'schedules', not both");
    return std::nullopt;
  }
  check_schedule_item(*found, schedule_pointer, problems);
  return *found;
}

void check_fields(const nlohmann::json& d, const std::string& pointer, Problems& problems)
{
  const auto field = [&](const char* key) { return pointer_child(pointer, key); };
  for (const auto* key : {"name", "version", "description", "flow_name", "entrypoint"}) {
    if (d.contains(key)) {
      expect_string(d[key], field(key), problems, true);
    }
  }
  if (const auto entrypoint = d.find("entrypoint");
      entrypoint != d.end() && entrypoint->is_string() &&
      !has_placeholder(entrypoint->get_ref<const std::string&>())) {
    if (auto message = check_entrypoint(entrypoint->get<std::string>()); !message.empty()) {
      problems.value(field("entrypoint"), message);
    }
  }
  if (const auto type = d.find("version_type"); type != d.end()) {
    if (expect_string(*type, field("version_type"), problems, true) && type->is_string() &&
        !is_placeholder(*type) &&
        std::find(k_version_types.begin(), k_version_types.end(), type->get<std::string>()) ==
            k_version_types.end()) {
      const auto text = type->get<std::string>();
      problems.value(field("version_type"), "unknown version type " + util::quoted(text) +
                                                util::did_you_mean(text, k_version_types));
    }
  }
  if (d.contains("tags")) {
    check_tags(d["tags"], field("tags"), problems);
  }
  if (d.contains("parameters")) {
    expect_mapping(d["parameters"], field("parameters"), problems, true);
  }
  if (d.contains("work_pool")) {
    check_work_pool(d["work_pool"], field("work_pool"), problems);
  }
  if (const auto schedules = d.find("schedules"); schedules != d.end()) {
    if (expect_list(*schedules, field("schedules"), problems, true) && schedules->is_array()) {
      for (std::size_t i = 0; i < schedules->size(); ++i) {
        check_schedule_item((*schedules)[i], pointer_child(field("schedules"), i), problems);
      }
    }
  }
  if (d.contains("concurrency_limit")) {
    check_concurrency(d["concurrency_limit"], field("concurrency_limit"), problems);
  }
  for (const auto* key : {"paused", "enforce_parameter_schema"}) {
    if (d.contains(key) && !d[key].is_null()) {
      expect_bool(d[key], field(key), problems);
    }
  }
  for (const auto* key : {"triggers", "sla"}) {
    if (d.contains(key)) {
      expect_list(d[key], field(key), problems, true);
    }
  }
}

std::optional<StepList> read_optional_steps(const nlohmann::json& d, const std::string& pointer,
                                            const char* key, steps::Phase phase, Problems& problems)
{
  if (!d.contains(key)) {
    return std::nullopt;
  }
  return read_step_list(d[key], pointer_child(pointer, key), phase, problems);
}

} // namespace

DeploymentSpec read_deployment(const nlohmann::json& value, std::size_t index, Problems& problems)
{
  DeploymentSpec deployment;
  deployment.index = index;
  deployment.pointer = pointer_child("/deployments", index);
  deployment.where = problems.sources().at(deployment.pointer);
  const auto& pointer = deployment.pointer;
  if (!value.is_object()) {
    problems.value(pointer, "a deployment must be a mapping, not " + kind_name(value));
    deployment.body = nlohmann::json::object();
    return deployment;
  }
  check_keys(value, pointer, k_deployment_keys, problems);
  check_fields(value, pointer, problems);
  const auto schedule = legacy_schedule(value, pointer, problems);

  deployment.build = read_optional_steps(value, pointer, "build", steps::Phase::build, problems);
  deployment.push = read_optional_steps(value, pointer, "push", steps::Phase::push, problems);
  deployment.pull = read_optional_steps(value, pointer, "pull", steps::Phase::pull, problems);
  deployment.pull_null = value.contains("pull") && value["pull"].is_null();

  deployment.body = value;
  for (const auto* key : {"build", "push", "pull", "schedule"}) {
    deployment.body.erase(key);
  }
  if (schedule) {
    deployment.body["schedules"] = nlohmann::json::array({*schedule});
  }
  return deployment;
}

} // namespace detail

std::string check_entrypoint(const std::string& entrypoint)
{
  const auto invalid = "invalid entrypoint " + util::quoted(entrypoint) +
                       ": expected 'path/to/file.py:function' or 'package.module:function'";
  const auto colon = entrypoint.rfind(':');
  if (colon == std::string::npos) {
    return detail::is_dotted_name(entrypoint, 2) ? "" : invalid;
  }
  const auto path = std::string_view(entrypoint).substr(0, colon);
  const auto function = std::string_view(entrypoint).substr(colon + 1);
  if (!detail::is_dotted_name(function, 1)) {
    return invalid;
  }
  const bool file = path.size() > 3 && util::ends_with(path, ".py");
  if (file) {
    // Workers run the file from the pulled tree: a path leaving it would run whatever lies beside it.
    const std::filesystem::path file_path{std::string(path)};
    const bool climbs = std::any_of(file_path.begin(), file_path.end(),
                                    [](const std::filesystem::path& part) { return part == ".."; });
    if (file_path.is_absolute() || climbs) {
      return "entrypoint " + util::quoted(entrypoint) +
             " leaves the project's code: give the flow file's path inside the project (no '..', not "
             "absolute)";
    }
  }
  return file || detail::is_dotted_name(path, 1) ? "" : invalid;
}

std::string DeploymentSpec::name() const
{
  const auto found = body.find("name");
  return found != body.end() && found->is_string() ? found->get<std::string>() : "";
}

std::string DeploymentSpec::entrypoint() const
{
  const auto found = body.find("entrypoint");
  return found != body.end() && found->is_string() ? found->get<std::string>() : "";
}

} // namespace syntask::config
