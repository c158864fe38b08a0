// SPDX-License-Identifier: Apache-2.0
// The shared AWS configuration files, ~/.aws/credentials and ~/.aws/config, read as the AWS CLI and
// SDKs read them: INI sections, `[name]` in the credentials file and `[profile name]` (or `[default]`)
// in the config file, `#` and `;` comments, and indented sub-settings under a key with no value
// (`s3 =` followed by `  endpoint_url = ...`), stored as "s3.endpoint_url".
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace syntask::storage::aws {

/// The settings of one profile (names lowercased).
using Profile = std::map<std::string, std::string>;

/// Every section of one file by profile name. `config_style` maps `[profile x]` to "x" and keeps
/// `[default]`; a credentials file takes section names as they are. Throws ConfigError
/// "FILE:LINE: ..." for a line that is neither a section, a setting nor a comment.
std::map<std::string, Profile> parse_profiles(std::string_view text, bool config_style,
                                              const std::string& file_name);

/// The two files of the shared configuration, found through AWS_SHARED_CREDENTIALS_FILE and
/// AWS_CONFIG_FILE, else ~/.aws/credentials and ~/.aws/config (a leading ~ is expanded with HOME).
struct SharedFiles {
  std::filesystem::path credentials_file;
  std::filesystem::path config_file;
  std::string credentials_name; ///< as messages name the file: "~/.aws/credentials" or the variable's value
  std::string config_name;
  std::map<std::string, Profile> credentials; ///< empty when the file does not exist
  std::map<std::string, Profile> config;

  static SharedFiles load();

  /// A profile merged from both files (credentials-file settings win); nullopt when neither has it.
  std::optional<Profile> profile(const std::string& name) const;

  /// How messages name the file a profile's keys came from: "~/.aws/credentials" or the path set by
  /// the environment.
  std::string describe_source(const std::string& name) const;
};

/// The value of a setting, empty when absent.
std::string setting(const Profile& profile, const std::string& name);

} // namespace syntask::storage::aws
