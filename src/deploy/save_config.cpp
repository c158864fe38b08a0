// SPDX-License-Identifier: Apache-2.0
#include "deploy/save_config.hpp"

#include <syntask/config/yaml_source.hpp>
#include <syntask/error.hpp>
#include <syntask/init/init.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/strings.hpp>

namespace syntask::deploy {

namespace {

// A top-level key line: starts at column 0 with a non-space, non-comment, non-list character.
bool is_top_level_key(const std::string& line)
{
  return !line.empty() && line[0] != ' ' && line[0] != '#' && line[0] != '-' && line[0] != '\t' &&
         line.find(':') != std::string::npos;
}

std::string entry_text(const nlohmann::json& entry)
{
  return config::to_yaml(nlohmann::json::array({entry}));
}

} // namespace

void save_deployment_entry(const std::filesystem::path& file, const nlohmann::json& entry)
{
  if (!std::filesystem::exists(file)) {
    const auto name = std::filesystem::current_path().filename().string();
    util::write_file_atomic(file, init::project_file_header() +
                                      "# Generic metadata about this project\nname: " + name +
                                      "\nsyntask-version: " + SYNTASK_VERSION +
                                      "\n\n# the deployments section allows you to provide configuration\n"
                                      "# for deploying flows\ndeployments:\n" +
                                      entry_text(entry));
    return;
  }
  const auto text = util::read_file(file);
  auto lines = util::split(text, '\n');
  if (!lines.empty() && lines.back().empty()) {
    lines.pop_back();
  }
  std::size_t key_line = lines.size();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (util::starts_with(lines[i], "deployments:")) {
      key_line = i;
      break;
    }
  }
  std::vector<std::string> entry_lines = util::split(entry_text(entry), '\n');
  if (!entry_lines.empty() && entry_lines.back().empty()) {
    entry_lines.pop_back();
  }
  if (key_line == lines.size()) {
    lines.emplace_back("");
    lines.emplace_back("deployments:");
    lines.insert(lines.end(), entry_lines.begin(), entry_lines.end());
  } else {
    // `deployments: []` or `deployments: null` become a block list; a flow-style list cannot take a line.
    const auto rest = util::trim(lines[key_line].substr(12));
    if (rest == "[]" || rest == "null" || rest == "~") {
      lines[key_line] = "deployments:";
    } else if (!rest.empty() && rest[0] != '#') {
      throw UsageError(file.string() + ":" + std::to_string(key_line + 1) +
                       ": deployments: cannot add an entry to a flow-style list; write it as a block list");
    }
    std::size_t end = key_line + 1;
    while (end < lines.size() && !is_top_level_key(lines[end])) {
      ++end;
    }
    // Keep trailing blank and comment lines of the block after the new entry's place.
    while (end > key_line + 1 && (util::trim(lines[end - 1]).empty() || lines[end - 1][0] == '#')) {
      --end;
    }
    // Indent like the existing items when they are indented.
    std::string indent;
    for (std::size_t i = key_line + 1; i < end; ++i) {
      const auto dash = lines[i].find_first_not_of(' ');
      if (dash != std::string::npos && lines[i][dash] == '-') {
        indent = lines[i].substr(0, dash);
        break;
      }
    }
    for (auto& line : entry_lines) {
      line = indent + line;
    }
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(end), entry_lines.begin(), entry_lines.end());
  }
  util::write_file_atomic(file, util::join(lines, "\n") + "\n");
}

} // namespace syntask::deploy
