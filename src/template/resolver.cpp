// SPDX-License-Identifier: Apache-2.0
#include <syntask/template/resolver.hpp>
#include <syntask/util/redact.hpp>
#include <syntask/util/strings.hpp>

#include "template/path.hpp"
#include "template/scanner.hpp"
#include <algorithm>

namespace syntask::tmpl {

namespace {

using nlohmann::json;

std::string first_segment(std::string_view path)
{
  const auto segments = split_path(path);
  return segments && !segments->empty() ? segments->front() : std::string{};
}

/// What a lookup found: the value, or the message saying what is missing.
struct Found {
  std::optional<json> value;
  std::string missing;
  bool sensitive = false;
  /// For a whole block with sensitive fields: only those fields are secrets (a registry's user name and
  /// address beside its password are not).
  std::vector<std::string> sensitive_fields{};
};

class Resolver {
public:
  Resolver(const Scope& scope, const ResolveOptions& options) : m_scope(scope), m_options(options) {}

  json walk(const json& value, const std::string& pointer) const
  {
    if (value.is_string()) {
      return resolve_string(value.get_ref<const std::string&>(), pointer);
    }
    if (value.is_object()) {
      auto result = json::object();
      for (const auto& [key, child] : value.items()) {
        result[key] = walk(child, config::pointer_child(pointer, key));
      }
      return result;
    }
    if (value.is_array()) {
      auto result = json::array();
      for (std::size_t i = 0; i < value.size(); ++i) {
        result.push_back(walk(value[i], config::pointer_child(pointer, i)));
      }
      return result;
    }
    return value;
  }

private:
  const Scope& m_scope;
  const ResolveOptions& m_options;

  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const
  {
    auto where = m_options.sources != nullptr ? m_options.sources->at(pointer) : SourceRef{};
    throw ConfigError(std::move(where), config::field_path(pointer), message);
  }

  json resolve_string(const std::string& text, const std::string& pointer) const
  {
    std::vector<Piece> pieces;
    try {
      pieces = scan(text, m_options.final_pass);
    } catch (const ConfigError& error) {
      fail(pointer, error.what());
    }
    if (pieces.size() == 1 && pieces[0].literal.empty() && pieces[0].reference) {
      // The whole string is one placeholder: the value keeps its type.
      const auto& reference = *pieces[0].reference;
      auto value = evaluate(reference, pointer);
      return value ? std::move(*value) : json(reference.text);
    }
    std::string result;
    for (const auto& piece : pieces) {
      result += piece.literal;
      if (piece.reference) {
        const auto value = evaluate(*piece.reference, pointer);
        result += value ? embedded_text(*value, *piece.reference, pointer) : piece.reference->text;
      }
    }
    return result;
  }

  std::string embedded_text(const json& value, const Reference& reference, const std::string& pointer) const
  {
    if (value.is_string()) {
      return value.get<std::string>();
    }
    if (value.is_object()) {
      fail(pointer, util::quoted(reference.text) +
                        " is an object and cannot be embedded in text; reference a field of it");
    }
    if (value.is_array()) {
      fail(pointer, util::quoted(reference.text) +
                        " is a list and cannot be embedded in text; reference an element of it");
    }
    return value.dump();
  }

  Action action_for(ReferenceKind kind) const
  {
    switch (kind) {
    case ReferenceKind::step_output:
      return m_options.step_outputs;
    case ReferenceKind::env:
      return m_options.env;
    case ReferenceKind::block:
      return m_options.blocks;
    case ReferenceKind::variable:
      return m_options.variables;
    }
    return Action::keep;
  }

  /// The value to put in place of `reference`, or nullopt to keep its text.
  std::optional<json> evaluate(const Reference& reference, const std::string& pointer) const
  {
    const auto action = action_for(reference.kind);
    if (action == Action::keep) {
      return std::nullopt;
    }
    auto found = look_up(reference);
    if (!found.value) {
      if (action == Action::resolve_or_keep) {
        return std::nullopt;
      }
      fail(pointer, found.missing);
    }
    if (found.sensitive) {
      if (!found.sensitive_fields.empty() && found.value->is_object()) {
        for (const auto& field : found.sensitive_fields) {
          if (found.value->contains(field)) {
            register_secrets(found.value->at(field));
          }
        }
      } else {
        register_secrets(*found.value);
      }
      if (m_options.keep_sensitive_blocks) {
        return std::nullopt;
      }
    }
    if (action == Action::check_and_keep) {
      return std::nullopt;
    }
    return std::move(found.value);
  }

  Found look_up(const Reference& reference) const
  {
    switch (reference.kind) {
    case ReferenceKind::step_output:
      return {m_scope.step_output(reference.target), "unknown step output " + util::quoted(reference.text)};
    case ReferenceKind::env: {
      auto value = m_scope.env(reference.target);
      return {value ? std::optional<json>(std::move(*value)) : std::nullopt,
              "environment variable " + util::quoted(reference.target) + " is not set (referenced as " +
                  util::quoted(reference.text) + ")"};
    }
    case ReferenceKind::variable:
      return {m_scope.variable(reference.target),
              "variable " + util::quoted(reference.target) + " does not exist"};
    case ReferenceKind::block:
      return look_up_block(reference);
    }
    return {};
  }

  Found look_up_block(const Reference& reference) const
  {
    const auto block = m_scope.block(reference.block_type, reference.block_name);
    if (!block) {
      return {std::nullopt, "block " + util::quoted(reference.target) + " does not exist"};
    }
    const auto& data = block->data;
    const auto field = first_segment(reference.field_path);
    // Single-value blocks (secret, string, json...) stand for their value unless `.value` is explicit.
    const bool unwrap = data.is_object() && data.size() == 1 && data.contains("value") && field != "value";
    const auto& base = unwrap ? data.at("value") : data;
    const auto top_field = unwrap ? std::string("value") : field;
    const auto& sensitive = block->sensitive;
    Found found;
    found.sensitive =
        reference.block_type == "secret" ||
        (top_field.empty() ? !sensitive.empty()
                           : std::find(sensitive.begin(), sensitive.end(), top_field) != sensitive.end());
    if (top_field.empty() && reference.block_type != "secret") {
      found.sensitive_fields.assign(sensitive.begin(), sensitive.end());
    }
    found.value =
        reference.field_path.empty() ? std::optional<json>(base) : lookup_path(base, reference.field_path);
    if (!found.value) {
      found.missing =
          "block " + util::quoted(reference.target) + " has no field " + util::quoted(reference.field_path);
    }
    return found;
  }

  void register_secrets(const json& value) const
  {
    if (m_options.redactor == nullptr) {
      return;
    }
    if (value.is_string()) {
      m_options.redactor->add_secret(value.get_ref<const std::string&>());
    } else if (value.is_structured()) {
      for (const auto& child : value) {
        register_secrets(child);
      }
    }
  }
};

} // namespace

json resolve(const json& value, const Scope& scope, const ResolveOptions& options)
{
  return Resolver(scope, options).walk(value, options.pointer);
}

} // namespace syntask::tmpl
