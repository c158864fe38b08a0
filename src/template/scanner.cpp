// SPDX-License-Identifier: Apache-2.0
#include "template/scanner.hpp"

#include <syntask/util/strings.hpp>

#include <algorithm>

namespace syntask::tmpl {

namespace {

constexpr std::string_view k_whitespace = " \t\r\n";
constexpr std::string_view k_block_prefixes[] = {"syntask.blocks.", "prefect.blocks."};
constexpr std::string_view k_variable_prefixes[] = {"syntask.variables.", "prefect.variables."};

struct Match {
  std::size_t end = 0; ///< one past the closing delimiter
  std::string name;
};

/// The closing delimiter for an opening one at `pos`, or "" when none starts there.
std::string_view closer_at(std::string_view text, std::size_t pos)
{
  const auto pair = text.substr(pos, 2);
  if (pair == "<<") {
    return ">>";
  }
  if (pair == "{{") {
    return "}}";
  }
  return "";
}

bool is_name_char(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '-' || c == '[' || c == ']' || c == '$';
}

bool is_env_name(std::string_view name)
{
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return is_name_char(c) && c != '.' && c != '-' && c != '[' && c != ']' && c != '$';
  });
}

// Names cannot contain the closing characters, so only the first closer after the opener can end a
// placeholder; anything else between the delimiters (pipes, quotes, spaces inside) is not one.
std::optional<Match> match_at(std::string_view text, std::size_t pos, std::string_view closer)
{
  const auto close = text.find(closer, pos + 2);
  if (close == std::string_view::npos) {
    return std::nullopt;
  }
  auto name = util::trim(text.substr(pos + 2, close - pos - 2));
  // A leading dot is Go template syntax ({{.ID}}, {{ .Values.x }}), left for the tool that owns it.
  if (name.empty() || name[0] == '.' || !std::all_of(name.begin(), name.end(), is_name_char)) {
    return std::nullopt;
  }
  return Match{close + 2, std::move(name)};
}

std::optional<std::string_view> strip_prefix(std::string_view name, const std::string_view (&prefixes)[2])
{
  for (const auto prefix : prefixes) {
    if (util::starts_with(name, prefix)) {
      return name.substr(prefix.size());
    }
  }
  return std::nullopt;
}

void set_block_parts(Reference& reference, std::string_view rest)
{
  const auto first_dot = rest.find('.');
  const auto type = rest.substr(0, first_dot);
  const auto after_type =
      first_dot == std::string_view::npos ? std::string_view{} : rest.substr(first_dot + 1);
  const auto second_dot = after_type.find('.');
  const auto name = after_type.substr(0, second_dot);
  const auto field =
      second_dot == std::string_view::npos ? std::string_view{} : after_type.substr(second_dot + 1);
  if (type.empty() || name.empty() || (second_dot != std::string_view::npos && field.empty())) {
    throw ConfigError("invalid block reference " + util::quoted(reference.text) +
                      ": expected syntask.blocks.TYPE.NAME[.FIELD]");
  }
  reference.block_type = type;
  reference.block_name = name;
  reference.field_path = field;
  reference.target = reference.block_type + "/" + reference.block_name;
}

Reference make_reference(std::string_view text, std::string name)
{
  Reference reference{ReferenceKind::step_output, std::string(text), std::move(name), "", "", "", ""};
  const std::string_view view = reference.name;
  if (const auto rest = strip_prefix(view, k_block_prefixes)) {
    reference.kind = ReferenceKind::block;
    set_block_parts(reference, *rest);
  } else if (const auto variable = strip_prefix(view, k_variable_prefixes)) {
    reference.kind = ReferenceKind::variable;
    if (variable->empty()) {
      throw ConfigError("invalid variable reference " + util::quoted(reference.text) +
                        ": expected syntask.variables.NAME");
    }
    reference.target = *variable;
  } else if (view[0] == '$') {
    reference.kind = ReferenceKind::env;
    if (!is_env_name(view.substr(1))) {
      throw ConfigError("invalid environment variable reference " + util::quoted(reference.text) +
                        ": expected $NAME with NAME made of letters, digits and '_'");
    }
    reference.target = view.substr(1);
  } else {
    reference.target = reference.name;
  }
  return reference;
}

void collect(const nlohmann::json& value, std::vector<Reference>& references)
{
  if (value.is_string()) {
    auto found = find_references(value.get_ref<const std::string&>());
    references.insert(references.end(), std::make_move_iterator(found.begin()),
                      std::make_move_iterator(found.end()));
  } else if (value.is_structured()) {
    for (const auto& child : value) {
      collect(child, references);
    }
  }
}

} // namespace

std::vector<Piece> scan(std::string_view text, bool final_pass)
{
  std::vector<Piece> pieces;
  std::string literal;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == '\\' && !closer_at(text, pos + 1).empty()) {
      if (!final_pass) {
        literal += '\\';
      }
      literal += text.substr(pos + 1, 2);
      pos += 3;
      continue;
    }
    if (const auto closer = closer_at(text, pos); !closer.empty()) {
      if (auto match = match_at(text, pos, closer)) {
        pieces.push_back(
            {std::move(literal), make_reference(text.substr(pos, match->end - pos), match->name)});
        literal.clear();
        pos = match->end;
        continue;
      }
    }
    literal += text[pos];
    ++pos;
  }
  if (!literal.empty()) {
    pieces.push_back({std::move(literal), std::nullopt});
  }
  return pieces;
}

std::vector<Reference> find_references(std::string_view text)
{
  std::vector<Reference> references;
  for (auto& piece : scan(text, true)) {
    if (piece.reference) {
      references.push_back(std::move(*piece.reference));
    }
  }
  return references;
}

std::vector<Reference> find_references(const nlohmann::json& value)
{
  std::vector<Reference> references;
  collect(value, references);
  return references;
}

} // namespace syntask::tmpl
