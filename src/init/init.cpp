// SPDX-License-Identifier: Apache-2.0
#include <syntask/config/yaml_source.hpp>
#include <syntask/error.hpp>
#include <syntask/init/init.hpp>
#include <syntask/prompt/prompter.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/ignore.hpp>
#include <syntask/util/strings.hpp>

#include "init/git_questions.hpp"
#include "init/recipe_values.hpp"

namespace syntask::init {

namespace {

// A field's value as a YAML scalar, quoted whenever plain text would change its meaning.
std::string yaml_scalar(const std::string& value)
{
  auto text = config::to_yaml(nlohmann::json(value));
  while (!text.empty() && text.back() == '\n') {
    text.pop_back();
  }
  return text;
}

std::size_t indent_of(const std::string& line)
{
  const auto first = line.find_first_not_of(' ');
  return first == std::string::npos ? line.size() : first;
}

bool opens_mapping(const std::string& line)
{
  const auto text = util::trim(line);
  return !text.empty() && text.front() != '#' && text.back() == ':';
}

// A line holding the placeholder of a field that has no value is left out, so an optional field never
// shows up as `key: null`; a key whose nested lines all went with it (client_parameters without an
// endpoint) goes too.
std::string drop_unset_lines(std::string_view text, const std::map<std::string, std::string>& values)
{
  const auto lines = util::split(text, '\n');
  std::vector<bool> keep(lines.size(), true);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& line = lines[i];
    const auto open = line.find("{{ ");
    const auto close = line.find(" }}", open);
    if (open != std::string::npos && close != std::string::npos &&
        values.count(line.substr(open + 3, close - open - 3)) == 0) {
      keep[i] = false;
    }
  }
  // Bottom-up, so that a key emptied by a nested key's removal is seen as empty too.
  for (std::size_t i = lines.size(); i-- > 0;) {
    if (!keep[i] || !opens_mapping(lines[i])) {
      continue;
    }
    bool has_nested = false;
    bool kept_nested = false;
    for (std::size_t j = i + 1;
         j < lines.size() && !util::trim(lines[j]).empty() && indent_of(lines[j]) > indent_of(lines[i]);
         ++j) {
      has_nested = true;
      kept_nested = kept_nested || keep[j];
    }
    if (has_nested && !kept_nested) {
      keep[i] = false;
    }
  }
  std::string result;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (keep[i]) {
      result += lines[i] + "\n";
    }
  }
  if (!text.empty() && text.back() != '\n' && !result.empty()) {
    result.pop_back();
  }
  return result;
}

} // namespace

std::string render_recipe_text(std::string_view text, const std::map<std::string, std::string>& values)
{
  std::string result = drop_unset_lines(text, values);
  for (const auto& [key, value] : values) {
    const std::string placeholder = "{{ " + key + " }}";
    std::size_t at = 0;
    while ((at = result.find(placeholder, at)) != std::string::npos) {
      const auto scalar = yaml_scalar(value);
      result.replace(at, placeholder.size(), scalar);
      at += scalar.size();
    }
  }
  return result;
}

namespace {

std::string choose_recipe(const InitRequest& request, prompt::Prompter& prompter)
{
  if (!request.recipe.empty()) {
    return std::string(require_recipe(request.recipe).name);
  }
  const auto& all = recipes();
  const auto inferred = infer_recipe(request.directory);
  if (all.size() == 1 || !prompter.interactive()) {
    return inferred;
  }
  std::size_t preselected = 0;
  std::vector<std::string> options;
  for (const auto& recipe : all) {
    if (recipe.name == inferred) {
      preselected = options.size();
    }
    options.push_back(std::string(recipe.name) + "  " + std::string(recipe.description));
  }
  return std::string(all[prompter.choose("Which recipe would you like to initialize your project with?",
                                         options, preselected, "--recipe NAME")]
                         .name);
}

// In a terminal a git recipe asks what an interactive deploy asks: is this the URL, is this the branch,
// is the repository private (then the token, saved as a secret block). A repository given with --field
// is not asked about. Returns the fields it answered.
std::map<std::string, std::string> ask_git_fields(const InitRequest& request,
                                                  const std::map<std::string, std::string>& defaults,
                                                  prompt::Prompter& prompter)
{
  std::map<std::string, std::string> answers;
  const auto given = [&](const char* field) { return request.fields.count(field) != 0; };
  if (!prompter.interactive() || given("repository") || !request.open_store) {
    return answers;
  }
  const auto found = defaults.find("repository");
  if (found == defaults.end()) {
    return answers; // no remote to confirm: the generic question asks for the URL
  }
  const auto branch = given("branch") ? request.fields.at("branch") : defaults.at("branch");
  const auto token_block = util::slugify(request.directory.filename().string()) + "-repo-token";
  const auto source = ask_git_source(found->second, branch, token_block, request.open_store(), prompter,
                                     "--field repository=URL");
  answers["repository"] = source.repository;
  answers["branch"] = source.branch;
  if (!source.token_block.empty() && !given("access_token_block")) {
    answers["access_token_block"] = source.token_block;
  }
  return answers;
}

bool has_field(const Recipe& recipe, std::string_view name)
{
  return std::any_of(recipe.fields.begin(), recipe.fields.end(),
                     [&](const RecipeField& field) { return field.name == name; });
}

} // namespace

InitResult initialize_project(const InitRequest& request, prompt::Prompter& prompter)
{
  InitResult result;
  result.recipe = choose_recipe(request, prompter);
  const auto& recipe = require_recipe(result.recipe);
  // Before any question: an answer (a token saved as a block) must not be asked for in vain.
  const auto project_file = request.directory / "syntask.yaml";
  if (std::filesystem::exists(project_file) && !request.force) {
    throw UsageError(project_file.string() + " already exists; pass --force to overwrite it");
  }

  std::map<std::string, std::string> values{
      {"name", request.directory.filename().string()},
      {"syntask_version", SYNTASK_VERSION},
      {"directory", request.directory.string()},
  };
  std::vector<std::string> known;
  for (const auto& field : recipe.fields) {
    known.emplace_back(field.name);
  }
  for (const auto& [key, value] : request.fields) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      throw UsageError("recipe " + util::quoted(recipe.name) + " has no field " + util::quoted(key) +
                       util::did_you_mean(key, known) + " (fields: " + util::join(known, ", ") + ")");
    }
    values[key] = value;
  }
  const auto defaults = field_defaults(recipe, request.directory);
  std::map<std::string, std::string> answered;
  if (has_field(recipe, "repository")) {
    answered = ask_git_fields(request, defaults, prompter);
  }
  for (const auto& field : recipe.fields) {
    const std::string name(field.name);
    if (request.fields.count(name) != 0) {
      continue;
    }
    if (const auto answer = answered.find(name); answer != answered.end()) {
      values[name] = answer->second;
      continue;
    }
    const auto found = defaults.find(name);
    std::optional<std::string> fallback;
    if (found != defaults.end()) {
      fallback = found->second;
    } else if (!field.required) {
      fallback = std::string();
    }
    if (field.asked || !fallback) {
      const auto answer = prompter.text(std::string(field.description), fallback,
                                        "--field " + name + "=" + field_placeholder(field));
      // An optional field answered with an empty line stays unset: its lines are left out.
      if (!answer.empty() || field.required) {
        values[name] = answer;
      }
    } else if (!fallback->empty()) {
      values[name] = *fallback;
    }
  }
  for (const auto& [key, value] : derived_values(recipe, values)) {
    values[key] = value;
  }

  const auto text = project_file_header() + render_recipe_text(recipe_document(recipe), values);
  // The written file must load: a field value that breaks it is reported before anything is written.
  config::parse_yaml(text, "syntask.yaml");
  util::write_file_atomic(project_file, text);
  result.created.emplace_back("syntask.yaml");

  // An existing ignore file is the user's, --force or not: --force is about syntask.yaml only.
  const auto ignore_file = request.directory / ".syntaskignore";
  if (!std::filesystem::exists(ignore_file)) {
    util::write_file_atomic(ignore_file, util::default_ignore_file());
    result.created.emplace_back(".syntaskignore");
  }
  return result;
}

} // namespace syntask::init
