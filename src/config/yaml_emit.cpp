// SPDX-License-Identifier: Apache-2.0
// Block-style YAML output. Every choice here is made so that parse_yaml reads the same value back.
#include <syntask/config/yaml_source.hpp>

#include "config/yaml_scalars.hpp"
#include <cmath>
#include <cstdio>
#include <string>

namespace syntask::config {

namespace {

bool is_printable(unsigned char c)
{
  return c >= 0x20 && c != 0x7f;
}

// Whether `text` can be written without quotes and still read back as this very string.
bool is_safe_plain(std::string_view text)
{
  if (text.empty() || text == "<<" || text.front() == ' ' || text.back() == ' ' || text.back() == ':') {
    return false;
  }
  if (!detail::resolve_plain_scalar(text).is_string()) {
    return false;
  }
  const std::string_view indicators = "?:,[]{}#&*!|>'\"%@`";
  if (indicators.find(text.front()) != std::string_view::npos) {
    return false;
  }
  if (text.front() == '-' && (text.size() == 1 || text[1] == ' ' || text.substr(0, 3) == "---")) {
    return false;
  }
  if (text.substr(0, 3) == "...") {
    return false;
  }
  if (text.find(": ") != std::string_view::npos || text.find(" #") != std::string_view::npos) {
    return false;
  }
  for (const unsigned char c : text) {
    if (!is_printable(c)) {
      return false;
    }
  }
  return true;
}

// Literal blocks suit multi-line text (scripts); strings they cannot carry exactly are quoted instead.
bool suits_literal_block(std::string_view text)
{
  const auto first_break = text.find('\n');
  if (first_break == std::string_view::npos || first_break == 0 || text.front() == ' ' ||
      text.front() == '\t') {
    return false;
  }
  if (text.size() >= 2 && text.substr(text.size() - 2) == "\n\n") {
    return false;
  }
  std::size_t line_start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n') {
      const auto line = text.substr(line_start, i - line_start);
      // A line of only blanks would lose them.
      if (!line.empty() && line.find_first_not_of(" \t") == std::string_view::npos) {
        return false;
      }
      line_start = i + 1;
      continue;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (!is_printable(c) && c != '\t') {
      return false;
    }
  }
  return true;
}

std::string double_quoted(std::string_view text)
{
  std::string out = "\"";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      if (is_printable(c)) {
        out += ch;
      } else {
        char escape[8];
        std::snprintf(escape, sizeof escape, "\\x%02X", c);
        out += escape;
      }
    }
  }
  return out + "\"";
}

std::string scalar_text(std::string_view text)
{
  return is_safe_plain(text) ? std::string(text) : double_quoted(text);
}

template <class Json> std::string number_text(const Json& value)
{
  if (value.is_number_float()) {
    const double number = value.template get<double>();
    if (std::isnan(number)) {
      return ".nan";
    }
    if (std::isinf(number)) {
      return number < 0 ? "-.inf" : ".inf";
    }
  }
  return value.dump();
}

template <class Json> bool is_block_collection(const Json& value)
{
  return (value.is_object() || value.is_array()) && !value.empty();
}

template <class Json> class Emitter {
public:
  std::string run(const Json& value)
  {
    if (value.is_object() && !value.empty()) {
      mapping(value, 0, false);
    } else if (value.is_array() && !value.empty()) {
      sequence(value, 0, false);
    } else {
      // A top-level scalar: write it as if after "key:", minus the leading space.
      inline_value(value, 0);
      m_out.erase(0, 1);
    }
    return m_out;
  }

private:
  void indent(int columns) { m_out.append(static_cast<std::size_t>(columns), ' '); }

  // The rest of a line that starts with "key:" or "-", at nesting `columns`.
  void inline_value(const Json& value, int columns)
  {
    if (value.is_object() && !value.empty()) {
      m_out += '\n';
      mapping(value, columns + 2, false);
    } else if (value.is_array() && !value.empty()) {
      m_out += '\n';
      sequence(value, columns + 2, false);
    } else {
      m_out += ' ';
      scalar(value, columns);
      m_out += '\n';
    }
  }

  void scalar(const Json& value, int columns)
  {
    if (value.is_null()) {
      m_out += "null";
    } else if (value.is_boolean()) {
      m_out += value.template get<bool>() ? "true" : "false";
    } else if (value.is_number()) {
      m_out += number_text(value);
    } else if (value.is_object()) {
      m_out += "{}";
    } else if (value.is_array()) {
      m_out += "[]";
    } else {
      string(value.template get_ref<const std::string&>(), columns);
    }
  }

  void string(const std::string& text, int columns)
  {
    if (!suits_literal_block(text)) {
      m_out += scalar_text(text);
      return;
    }
    const bool final_break = text.back() == '\n';
    m_out += final_break ? "|" : "|-";
    const std::string_view body(text.data(), text.size() - (final_break ? 1 : 0));
    std::size_t start = 0;
    while (start <= body.size()) {
      auto end = body.find('\n', start);
      if (end == std::string_view::npos) {
        end = body.size();
      }
      m_out += '\n';
      if (end > start) {
        indent(columns + 2);
        m_out.append(body.substr(start, end - start));
      }
      start = end + 1;
    }
  }

  // `first_inline`: the first entry continues a line that already holds "- ".
  void mapping(const Json& value, int columns, bool first_inline)
  {
    bool first = true;
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (!(first && first_inline)) {
        indent(columns);
      }
      first = false;
      // Keys are never written as literal blocks.
      m_out += scalar_text(it.key());
      m_out += ':';
      inline_value(it.value(), columns);
    }
  }

  void sequence(const Json& value, int columns, bool first_inline)
  {
    bool first = true;
    for (const auto& item : value) {
      if (!(first && first_inline)) {
        indent(columns);
      }
      first = false;
      m_out += '-';
      if (is_block_collection(item)) {
        m_out += ' ';
        if (item.is_object()) {
          mapping(item, columns + 2, true);
        } else {
          sequence(item, columns + 2, true);
        }
      } else {
        inline_value(item, columns);
      }
    }
  }

  std::string m_out;
};

} // namespace

std::string to_yaml(const nlohmann::json& value)
{
  return Emitter<nlohmann::json>().run(value);
}

std::string to_yaml(const nlohmann::ordered_json& value)
{
  return Emitter<nlohmann::ordered_json>().run(value);
}

} // namespace syntask::config
