// SPDX-License-Identifier: Apache-2.0
#include "storage/aws_profiles.hpp"

#include <syntask/error.hpp>
#include <syntask/util/fs.hpp>
#include <syntask/util/strings.hpp>

#include <system_error>

namespace syntask::storage::aws {

namespace {

std::string expand_home(const std::string& path)
{
  if (path == "~" || util::starts_with(path, "~/")) {
    auto home = util::get_env("HOME").value_or("");
    return home + path.substr(1);
  }
  return path;
}

// Reads a file that may be missing; a missing file is an empty configuration, as for the AWS CLI.
std::map<std::string, Profile> load_file(const std::filesystem::path& path, bool config_style,
                                         const std::string& display_name)
{
  std::error_code ignored;
  if (!std::filesystem::is_regular_file(path, ignored)) {
    return {};
  }
  return parse_profiles(util::read_file(path), config_style, display_name);
}

} // namespace

std::map<std::string, Profile> parse_profiles(std::string_view text, bool config_style,
                                              const std::string& file_name)
{
  std::map<std::string, Profile> out;
  Profile* current = nullptr;
  std::string parent;    // a key with no value whose indented lines are its sub-settings
  bool skipping = false; // inside a config-file section that is not a profile ([sso-session x], [services x])
  int line_number = 0;
  for (const auto& raw : util::split(text, '\n')) {
    ++line_number;
    auto line = raw;
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    auto trimmed = util::trim(line);
    if (trimmed.empty() || trimmed[0] == '#' || trimmed[0] == ';') {
      continue;
    }
    auto fail = [&](const std::string& message) {
      throw ConfigError(SourceRef{file_name, line_number, 0}, "", message);
    };
    if (trimmed.front() == '[') {
      if (trimmed.back() != ']') {
        fail("a section header must end with ']'");
      }
      auto name = util::trim(std::string_view(trimmed).substr(1, trimmed.size() - 2));
      parent.clear();
      skipping = false;
      if (config_style && name != "default") {
        if (!util::starts_with(name, "profile ")) {
          skipping = true;
          current = nullptr;
          continue;
        }
        name = util::trim(std::string_view(name).substr(8));
      }
      if (name.empty()) {
        fail("a section needs a name");
      }
      current = &out[name];
      continue;
    }
    if (skipping) {
      continue;
    }
    auto equals = trimmed.find('=');
    if (equals == std::string::npos) {
      fail("expected 'name = value', a '[section]' or a comment");
    }
    if (current == nullptr) {
      fail("a setting before the first '[section]'");
    }
    auto key = util::to_lower(util::trim(std::string_view(trimmed).substr(0, equals)));
    auto value = util::trim(std::string_view(trimmed).substr(equals + 1));
    bool indented = line[0] == ' ' || line[0] == '\t';
    if (indented && !parent.empty()) {
      (*current)[parent + "." + key] = value;
      continue;
    }
    parent = value.empty() ? key : std::string{};
    (*current)[key] = value;
  }
  return out;
}

SharedFiles SharedFiles::load()
{
  SharedFiles files;
  auto credentials_env = util::get_env("AWS_SHARED_CREDENTIALS_FILE");
  auto config_env = util::get_env("AWS_CONFIG_FILE");
  files.credentials_name =
      credentials_env && !credentials_env->empty() ? *credentials_env : "~/.aws/credentials";
  files.config_name = config_env && !config_env->empty() ? *config_env : "~/.aws/config";
  files.credentials_file = expand_home(files.credentials_name);
  files.config_file = expand_home(files.config_name);
  files.credentials = load_file(files.credentials_file, false, files.credentials_name);
  files.config = load_file(files.config_file, true, files.config_name);
  return files;
}

std::optional<Profile> SharedFiles::profile(const std::string& name) const
{
  auto in_credentials = credentials.find(name);
  auto in_config = config.find(name);
  if (in_credentials == credentials.end() && in_config == config.end()) {
    return std::nullopt;
  }
  Profile merged;
  if (in_config != config.end()) {
    merged = in_config->second;
  }
  if (in_credentials != credentials.end()) {
    for (const auto& [key, value] : in_credentials->second) {
      merged[key] = value;
    }
  }
  return merged;
}

std::string SharedFiles::describe_source(const std::string& name) const
{
  auto in_credentials = credentials.find(name);
  if (in_credentials != credentials.end() && in_credentials->second.count("aws_access_key_id") != 0) {
    return credentials_name;
  }
  return config_name;
}

std::string setting(const Profile& profile, const std::string& name)
{
  auto found = profile.find(name);
  return found == profile.end() ? std::string{} : found->second;
}

} // namespace syntask::storage::aws
