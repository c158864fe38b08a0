// SPDX-License-Identifier: Apache-2.0
#include "deploy/preflight.hpp"

#include <syntask/error.hpp>
#include <syntask/git/remote_branch.hpp>
#include <syntask/steps/git_clone_source.hpp>
#include <syntask/steps/runner.hpp>
#include <syntask/template/resolver.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include "deploy/git_source.hpp"
#include <algorithm>
#include <functional>

namespace syntask::deploy {

namespace {

using nlohmann::json;

constexpr const char* k_skip_hint = "--no-verify skips this check";

SourceRef place(const config::SourceMap* sources, const std::string& pointer)
{
  return sources != nullptr ? sources->at(pointer) : SourceRef{};
}

std::string step_pointer(const config::StepSpec& step)
{
  return config::pointer_child(step.pointer, step.written_name);
}

// Calls `visit` with each string in `value` and its pointer, depth first.
void for_each_string(const json& value, const std::string& pointer,
                     const std::function<void(const std::string&, const std::string&)>& visit)
{
  if (value.is_string()) {
    visit(value.get_ref<const std::string&>(), pointer);
  } else if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      for_each_string(child, config::pointer_child(pointer, key), visit);
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      for_each_string(value[i], config::pointer_child(pointer, i), visit);
    }
  }
}

void add_outputs(const config::StepSpec& step, std::vector<std::string>& names)
{
  if (!step.id.empty()) {
    names.push_back(step.id);
  }
  if (const auto* info = steps::find_step(step.name)) {
    names.insert(names.end(), info->outputs.begin(), info->outputs.end());
  }
}

// Throws at the first step output reference in `value` whose first name is not in `known`.
void require_known(const json& value, const std::string& pointer, const std::vector<std::string>& known,
                   const std::string& expected, const config::SourceMap* sources)
{
  for_each_string(value, pointer, [&](const std::string& text, const std::string& at) {
    for (const auto& reference : tmpl::find_references(json(text))) {
      if (reference.kind != tmpl::ReferenceKind::step_output) {
        continue;
      }
      const auto head = reference.target.substr(0, reference.target.find_first_of(".["));
      if (std::find(known.begin(), known.end(), head) == known.end()) {
        throw ConfigError(place(sources, at), config::field_path(at),
                          util::quoted(reference.text) + " names " + expected +
                              util::did_you_mean(head, known));
      }
    }
  });
}

// The arguments as the deploy machine can resolve them now: blocks and variables, never step outputs
// nor the environment (pull steps read the worker's).
json resolve_now(const config::StepSpec& step, store::Store& store, const config::SourceMap* sources)
{
  steps::StepScope scope(json::object(), &store);
  tmpl::ResolveOptions options;
  options.sources = sources;
  options.pointer = step_pointer(step);
  options.redactor = &util::Redactor::global();
  options.step_outputs = tmpl::Action::keep;
  options.env = tmpl::Action::keep;
  return tmpl::resolve(step.args, scope, options);
}

bool needs_later_values(const json& args)
{
  for (const char* key : {"repository", "branch", "access_token", "credentials"}) {
    if (args.contains(key) && !tmpl::find_references(args[key]).empty()) {
      return true;
    }
  }
  return false;
}

} // namespace

std::vector<std::string> build_push_output_names(const config::StepList& build, const config::StepList& push)
{
  std::vector<std::string> names;
  for (const auto* list : {&build, &push}) {
    for (const auto& step : *list) {
      add_outputs(step, names);
    }
  }
  return names;
}

void check_output_references(const json& body, const std::string& body_pointer, const config::StepList& build,
                             const config::StepList& push, const std::optional<config::StepList>& pull,
                             const config::SourceMap* sources)
{
  std::vector<std::string> earlier;
  for (const auto* list : {&build, &push}) {
    for (const auto& step : *list) {
      require_known(step.args, step_pointer(step), earlier, "no earlier build or push step's id or output",
                    sources);
      add_outputs(step, earlier);
    }
  }
  require_known(body, body_pointer, earlier, "no build or push step's id or output", sources);
  if (!pull) {
    return;
  }
  auto known = earlier;
  for (const auto& step : *pull) {
    require_known(step.args, step_pointer(step), known,
                  "no build or push output and no earlier pull step's id", sources);
    if (!step.id.empty()) {
      known.push_back(step.id);
    }
  }
}

void check_git_branches(const std::optional<config::StepList>& pull, store::Store& store,
                        const config::SourceMap* sources)
{
  if (!pull) {
    return;
  }
  for (const auto& step : *pull) {
    if (step.name != k_git_clone_step || !step.args.is_object()) {
      continue;
    }
    auto args = resolve_now(step, store, sources);
    if (needs_later_values(args)) {
      continue;
    }
    const auto pointer = step_pointer(step);
    const auto repository_at = config::pointer_child(pointer, "repository");
    const auto branch_at = args.contains("branch") ? config::pointer_child(pointer, "branch") : repository_at;
    steps::StepCall call;
    call.name = step.name;
    call.id = step.id;
    call.phase = "pull";
    call.args = std::move(args);
    call.raw_args = step.args;
    call.where = place(sources, pointer);
    git::RemoteBranchQuery query;
    try {
      // No redactor: secrets from blocks are registered already by resolve_now, and a token written
      // literally in the file is the file's business (it is stored as written, as before).
      query = steps::git_clone_source(call, nullptr);
    } catch (const StepError& error) {
      throw ConfigError(place(sources, pointer), config::field_path(pointer), error.what());
    }
    bool found = false;
    try {
      found = git::remote_has_branch(query);
    } catch (const RemoteError& error) {
      const auto text = util::Redactor::global().scrub(error.what());
      if (error.transient()) {
        throw RemoteError("cannot check the pull step's repository: " + text + " (" + k_skip_hint + ")",
                          true);
      }
      throw ConfigError(place(sources, repository_at), config::field_path(repository_at),
                        text + " (" + k_skip_hint + ")");
    }
    if (!found) {
      throw ConfigError(place(sources, branch_at), config::field_path(branch_at),
                        (query.branch.empty() ? std::string("the default branch")
                                              : "branch " + util::quoted(query.branch)) +
                            " not found in " + util::quoted(query.display_url) +
                            ": push it first, or name a branch the remote has (" + k_skip_hint + ")");
    }
  }
}

} // namespace syntask::deploy
