// SPDX-License-Identifier: Apache-2.0
// Placeholder resolution: << name >> and {{ name }} in syntask.yaml values.
#pragma once

#include <syntask/config/yaml_source.hpp>
#include <syntask/error.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace syntask::util {
class Redactor;
}

namespace syntask::tmpl {

enum class ReferenceKind {
  step_output, ///< << step_id.key >>, << key >>, << a.b[0].c >>
  env,         ///< << $NAME >>
  block,       ///< << syntask.blocks.TYPE.NAME[.field.path] >> (alias prefect.blocks.)
  variable,    ///< << syntask.variables.NAME >> (alias prefect.variables.)
};

/// One placeholder found in a string.
struct Reference {
  ReferenceKind kind;
  std::string text;       ///< the placeholder as written, delimiters included ("<< build.image >>")
  std::string name;       ///< the trimmed name inside the delimiters ("build.image")
  std::string target;     ///< step_output: the path; env: variable name; variable: its name;
                          ///< block: "TYPE/NAME"
  std::string block_type; ///< block only
  std::string block_name; ///< block only
  std::string field_path; ///< block only: the path after the block name ("" for the whole block)
};

/// The placeholders in a string, in order of appearance, duplicates included.
/// A placeholder is "<<" or "{{", optional whitespace, a name of one or more [A-Za-z0-9_.-[]$] not
/// starting with '.', optional whitespace, then ">>" or "}}". Anything else between delimiters (Jinja
/// pipes, quotes, {{.ID}}-style Go templates) is plain text. A backslash right before "<<" or "{{"
/// escapes it. Throws ConfigError (message only, no place) for a malformed reference: a block with
/// fewer than TYPE and NAME, an empty variable name, or "$" not followed by one [A-Za-z_][A-Za-z0-9_]*.
std::vector<Reference> find_references(std::string_view text);
/// The placeholders in every string value of a JSON tree (keys are never templated).
std::vector<Reference> find_references(const nlohmann::json& value);
/// Text overloads: without them a std::string or a literal would convert to both of the above.
inline std::vector<Reference> find_references(const std::string& text)
{
  return find_references(std::string_view(text));
}
inline std::vector<Reference> find_references(const char* text)
{
  return find_references(std::string_view(text));
}

/// A block as the resolver sees it.
struct BlockValue {
  nlohmann::json data;                ///< field -> value
  std::vector<std::string> sensitive; ///< top-level fields that are secret
};

/// Where the resolver looks names up. Each lookup returns nullopt when the name does not exist.
class Scope {
public:
  virtual ~Scope() = default;
  /// A path into the step outputs (step ids and flat keys): "build.image", "tag", "a.b[0].c".
  virtual std::optional<nlohmann::json> step_output(const std::string& path) const = 0;
  virtual std::optional<std::string> env(const std::string& name) const = 0;
  virtual std::optional<BlockValue> block(const std::string& type, const std::string& name) const = 0;
  virtual std::optional<nlohmann::json> variable(const std::string& name) const = 0;
};

/// What to do with each kind of reference during one pass.
enum class Action {
  resolve,         ///< substitute; a missing name is an error
  resolve_or_keep, ///< substitute when found, else keep the placeholder text
  check_and_keep,  ///< the name must exist (else error) but the placeholder text is kept
  keep,            ///< leave the placeholder text untouched
};

struct ResolveOptions {
  Action step_outputs = Action::resolve;
  Action env = Action::resolve;
  Action blocks = Action::resolve;
  Action variables = Action::resolve;
  /// Blocks only: keep (after checking existence) references whose value is secret: any reference to
  /// a `secret` block, to a sensitive field, or to a whole block that has sensitive fields.
  bool keep_sensitive_blocks = false;
  /// Last pass: turn escapes (\<< and \{{) into the literal characters. Earlier passes keep them so a
  /// later pass still sees them as escaped.
  bool final_pass = true;
  /// Where the value sits, for error messages: the document's source map and the value's pointer.
  const config::SourceMap* sources = nullptr;
  std::string pointer;
  /// Receives every secret value that resolution reads (secret blocks, sensitive fields).
  util::Redactor* redactor = nullptr;
};

/// Resolves every string in `value` (recursively through objects and lists; keys untouched).
/// A string that is exactly one placeholder takes the referenced value with its type; placeholders
/// embedded in text take scalars only (numbers and booleans in JSON spelling, null as "null").
/// An object or list embedded in text is an error. Blocks: a block whose data is exactly {"value": X}
/// stands for X unless the field path starts with "value"; values that are secret (see
/// keep_sensitive_blocks) have every string registered with options.redactor before use.
/// Errors throw ConfigError naming the reference and the place ("FILE:LINE:COL: FIELD: ..."), the
/// place being options.sources->at(pointer of the string) when sources is set.
nlohmann::json resolve(const nlohmann::json& value, const Scope& scope, const ResolveOptions& options);

/// Looks up "a.b[0].c" (or "a.b.0.c") in a JSON value; nullopt when any segment is missing or the path
/// is malformed. A segment indexes a list when it is all digits; on an object every segment is a key,
/// so a key "0" is reachable. An empty path gives the root.
std::optional<nlohmann::json> lookup_path(const nlohmann::json& root, std::string_view path);

/// A Scope backed by plain maps, for tests and simple callers.
class MapScope : public Scope {
public:
  nlohmann::json outputs = nlohmann::json::object();
  std::map<std::string, std::string> environment;
  std::map<std::string, BlockValue> blocks; ///< key "TYPE/NAME"
  std::map<std::string, nlohmann::json> variables;

  std::optional<nlohmann::json> step_output(const std::string& path) const override;
  std::optional<std::string> env(const std::string& name) const override;
  std::optional<BlockValue> block(const std::string& type, const std::string& name) const override;
  std::optional<nlohmann::json> variable(const std::string& name) const override;
};

} // namespace syntask::tmpl
