// SPDX-License-Identifier: Apache-2.0
// YAML files as JSON values plus a map from each value's JSON pointer to its place in the file.
#pragma once

#include <syntask/error.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace syntask::config {

/// Where each value of a parsed document came from, keyed by JSON pointer ("/deployments/0/name").
class SourceMap {
public:
  SourceMap() = default;
  explicit SourceMap(std::string file) : m_file(std::move(file)) {}

  /// Records where the value at `pointer` is written (1-based line and column).
  void add(const std::string& pointer, int line, int column);
  /// Records where the key of the mapping entry at `pointer` is written.
  void add_key(const std::string& pointer, int line, int column);
  /// The place of `pointer`, or of its nearest ancestor that has one; just the file name if none.
  SourceRef at(std::string_view pointer) const;
  /// The place of the key of the mapping entry at `pointer` (for "unknown key" messages; a merged
  /// entry's key is where the merged mapping writes it); at(pointer) when there is no key (list items).
  SourceRef key_at(std::string_view pointer) const;
  const std::string& file() const { return m_file; }

private:
  std::string m_file;
  std::map<std::string, SourceRef, std::less<>> m_places;
  std::map<std::string, SourceRef, std::less<>> m_keys;
};

/// A parsed YAML document.
struct YamlDocument {
  nlohmann::json root; ///< null for an empty document
  SourceMap sources;
};

/// Parses YAML text into JSON with YAML 1.2 core scalars (true/false, ints, floats, null; "yes" stays a
/// string; quoted scalars are always strings). Anchors, aliases and merge keys (<<: *a, <<: [*a, *b];
/// explicit keys win, then earlier merged mappings) are expanded; the values an alias brings in keep
/// the places where they were written. A syntax error throws ConfigError whose message is
/// "FILE:LINE:COL: MESSAGE" followed by the source line and a caret under the column. A duplicate key
/// throws ConfigError "FILE:LINE:COL: FIELD: duplicate key 'K'" at the second occurrence. Scalar keys
/// are taken as their text; a mapping or list used as a key, or a second document, is an error.
YamlDocument parse_yaml(std::string_view text, const std::string& file_name);

/// Reads and parses a file; a missing or unreadable file throws ConfigError naming it.
YamlDocument load_yaml_file(const std::filesystem::path& path);

/// Serialises JSON as block-style YAML (used by `init` and "save this deployment"). Strings that would
/// read back as another type, or that need escapes, are quoted; multi-line strings use literal blocks.
/// parse_yaml(to_yaml(v)) == v for every value without NaN. Object keys come out sorted.
std::string to_yaml(const nlohmann::json& value);
/// The same, keeping the objects' insertion order.
std::string to_yaml(const nlohmann::ordered_json& value);

/// A JSON pointer for a child: pointer_child("/a", "b") == "/a/b", with ~ and / escaped.
std::string pointer_child(std::string_view parent, std::string_view key);
std::string pointer_child(std::string_view parent, std::size_t index);

/// The field path of a pointer for messages: "/deployments/0/pull/1" -> "deployments[0].pull[1]".
std::string field_path(std::string_view pointer);

} // namespace syntask::config
