// SPDX-License-Identifier: Apache-2.0
#include "deploy/git_source.hpp"

#include <syntask/error.hpp>
#include <syntask/prompt/prompter.hpp>
#include <syntask/store/store.hpp>
#include <syntask/template/resolver.hpp>
#include <syntask/ui/output.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include "init/git_questions.hpp"
#include <algorithm>

namespace syntask::deploy {

namespace {

using nlohmann::json;

constexpr const char* k_push_first = "workers would not see these changes: push them first";
constexpr const char* k_init_flag = "syntask init --recipe git";

bool is_set(const json& args, const char* key)
{
  return args.contains(key) && !args[key].is_null() &&
         !(args[key].is_string() && args[key].get<std::string>().empty());
}

bool pin_disabled(const json& args)
{
  if (!args.contains("pin")) {
    return false;
  }
  const auto& pin = args["pin"];
  return (pin.is_boolean() && !pin.get<bool>()) ||
         (pin.is_string() && util::to_lower(util::trim(pin.get<std::string>())) == "false");
}

std::string short_sha(const std::string& sha)
{
  return sha.substr(0, 12);
}

} // namespace

bool pulls_with_git(const std::optional<config::StepList>& pull)
{
  return pull && std::any_of(pull->begin(), pull->end(),
                             [](const config::StepSpec& step) { return step.name == k_git_clone_step; });
}

std::string repository_token_block(const std::string& deployment_name, const std::string& flow_name)
{
  return "deployment-" + util::slugify(deployment_name) + "-" + util::slugify(flow_name) + "-repo-token";
}

std::optional<config::StepList> ask_git_pull(const git::RepositoryState& repo,
                                             const std::string& deployment_name, const std::string& flow_name,
                                             store::Store& store, prompt::Prompter& prompter)
{
  if (!prompter.confirm("Your Syntask workers will need access to this flow's code in order to run it. Would "
                        "you like your workers to pull your flow code from its remote repository when "
                        "running this flow?",
                        true, k_init_flag)) {
    return std::nullopt;
  }
  const auto source =
      init::ask_git_source(repo.remote_url, repo.branch, repository_token_block(deployment_name, flow_name),
                           store, prompter, k_init_flag);
  config::StepSpec step;
  step.name = k_git_clone_step;
  step.written_name = k_git_clone_step;
  step.args = {{"repository", source.repository}, {"branch", source.branch}};
  if (!source.token_block.empty()) {
    step.args["access_token"] = "<< syntask.blocks.secret." + source.token_block + " >>";
  }
  return config::StepList{step};
}

void check_pushed(const git::RepositoryState& repo, bool require_pushed, ui::Output& output)
{
  std::vector<std::string> problems;
  if (repo.dirty) {
    problems.push_back("the working tree at " + util::quoted(repo.root.string()) +
                       " has uncommitted changes; " + k_push_first);
  }
  if (!repo.head_commit.empty() && !repo.head_pushed) {
    std::string where;
    if (!repo.tracking_branch.empty()) {
      where = "commit " + short_sha(repo.head_commit) + " is not on " + util::quoted(repo.tracking_branch);
    } else if (!repo.branch.empty()) {
      where = "branch " + util::quoted(repo.branch) + " has no remote branch" +
              (repo.remote_name.empty() ? std::string() : " on " + util::quoted(repo.remote_name));
    } else {
      where = "HEAD (commit " + short_sha(repo.head_commit) + ") is detached and on no remote branch";
    }
    problems.push_back(where + "; " + k_push_first);
  }
  if (problems.empty()) {
    return;
  }
  if (require_pushed) {
    throw UsageError(problems.front() + " (--require-pushed)");
  }
  for (const auto& problem : problems) {
    output.warn(problem);
  }
}

bool pin_clone_args(json& args, const std::string& head_commit)
{
  if (head_commit.empty() || !args.is_object() || pin_disabled(args) || is_set(args, "commit_sha")) {
    return false;
  }
  args["commit_sha"] = head_commit;
  return true;
}

bool same_repository(const std::string& a, const std::string& b)
{
  auto normal = [](const std::string& url) {
    auto text = git::strip_user_info(url);
    while (!text.empty() && text.back() == '/') {
      text.pop_back();
    }
    if (util::ends_with(text, ".git")) {
      text.resize(text.size() - 4);
    }
    // Scheme and host are case-insensitive; the path is not.
    const auto scheme_end = text.find("://");
    const auto host_end = text.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
    const auto cut = host_end == std::string::npos ? text.size() : host_end;
    return util::to_lower(text.substr(0, cut)) + text.substr(cut);
  };
  return normal(a) == normal(b);
}

json describe_clone(const json& args)
{
  auto field = [&](const char* key) -> json {
    if (!is_set(args, key)) {
      return nullptr;
    }
    const auto& value = args[key];
    return value.is_string() ? json(util::redact_url(value.get<std::string>())) : json(value.dump());
  };
  return {
      {"repository", field("repository")}, {"branch", field("branch")}, {"commit_sha", field("commit_sha")}};
}

std::string clone_sentence(const json& description)
{
  auto text = [&](const char* key) {
    return description[key].is_string() ? description[key].get<std::string>() : std::string();
  };
  std::string sentence = "Your Syntask workers will clone " + util::quoted(text("repository"));
  sentence += description["branch"].is_null() ? " (default branch)"
                                              : " (branch " + util::quoted(text("branch")) + ")";
  sentence += description["commit_sha"].is_null() ? " at the branch's latest commit when each run starts."
                                                  : " at commit " + text("commit_sha") + ".";
  return sentence;
}

} // namespace syntask::deploy
