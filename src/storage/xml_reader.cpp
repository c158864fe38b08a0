// SPDX-License-Identifier: Apache-2.0
#include "storage/xml_reader.hpp"

#include <cstdint>

namespace syntask::storage::xml {

const Element* Element::child(std::string_view child_name) const
{
  for (const auto& candidate : children) {
    if (candidate.name == child_name) {
      return &candidate;
    }
  }
  return nullptr;
}

std::vector<const Element*> Element::children_named(std::string_view child_name) const
{
  std::vector<const Element*> found;
  for (const auto& candidate : children) {
    if (candidate.name == child_name) {
      found.push_back(&candidate);
    }
  }
  return found;
}

std::string Element::child_text(std::string_view child_name) const
{
  const Element* found = child(child_name);
  return found != nullptr ? found->text : std::string();
}

std::optional<std::string> Element::attribute(std::string_view attribute_name) const
{
  for (const auto& [key, value] : attributes) {
    if (key == attribute_name) {
      return value;
    }
  }
  return std::nullopt;
}

namespace {

bool is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool is_name_char(char c)
{
  return !is_space(c) && c != '>' && c != '/' && c != '=' && c != '<' && c != '"' && c != '\'' && c != '\0';
}

void append_utf8(std::string& out, std::uint32_t code)
{
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xc0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3f));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xe0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (code & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (code & 0x3f));
  }
}

class Parser {
public:
  explicit Parser(std::string_view text) : m_text(text) {}

  Element document()
  {
    skip_misc();
    if (peek() != '<') {
      fail("expected the root element");
    }
    Element root = element();
    skip_misc();
    if (m_pos != m_text.size()) {
      fail("unexpected content after the root element");
    }
    return root;
  }

private:
  [[noreturn]] void fail(const std::string& what) const
  {
    throw XmlError("malformed XML at byte " + std::to_string(m_pos) + ": " + what);
  }

  char peek(std::size_t ahead = 0) const
  {
    return m_pos + ahead < m_text.size() ? m_text[m_pos + ahead] : '\0';
  }

  bool looking_at(std::string_view what) const { return m_text.substr(m_pos, what.size()) == what; }

  void skip_past(std::string_view terminator)
  {
    const auto end = m_text.find(terminator, m_pos);
    if (end == std::string_view::npos) {
      fail("missing '" + std::string(terminator) + "'");
    }
    m_pos = end + terminator.size();
  }

  void skip_spaces()
  {
    while (is_space(peek())) {
      ++m_pos;
    }
  }

  // Whitespace, the declaration, processing instructions, comments and a DOCTYPE around the root.
  void skip_misc()
  {
    // A UTF-8 byte order mark.
    if (m_pos == 0 && looking_at("\xEF\xBB\xBF")) {
      m_pos = 3;
    }
    for (;;) {
      skip_spaces();
      if (looking_at("<?")) {
        skip_past("?>");
      } else if (looking_at("<!--")) {
        skip_past("-->");
      } else if (looking_at("<!DOCTYPE")) {
        skip_past(">");
      } else {
        return;
      }
    }
  }

  std::string name()
  {
    const auto start = m_pos;
    while (is_name_char(peek())) {
      ++m_pos;
    }
    if (m_pos == start) {
      fail("expected a name");
    }
    return std::string(m_text.substr(start, m_pos - start));
  }

  void entity(std::string& out)
  {
    const auto end = m_text.find(';', m_pos);
    if (end == std::string_view::npos || end - m_pos > 12) {
      fail("unterminated entity");
    }
    const auto body = m_text.substr(m_pos + 1, end - m_pos - 1);
    if (body == "amp") {
      out += '&';
    } else if (body == "lt") {
      out += '<';
    } else if (body == "gt") {
      out += '>';
    } else if (body == "quot") {
      out += '"';
    } else if (body == "apos") {
      out += '\'';
    } else if (body.size() > 1 && body[0] == '#') {
      const bool hexadecimal = body[1] == 'x' || body[1] == 'X';
      const auto digits = body.substr(hexadecimal ? 2 : 1);
      if (digits.empty()) {
        fail("empty character reference");
      }
      std::uint32_t code = 0;
      for (const char c : digits) {
        int value = -1;
        if (c >= '0' && c <= '9') {
          value = c - '0';
        } else if (hexadecimal && c >= 'a' && c <= 'f') {
          value = c - 'a' + 10;
        } else if (hexadecimal && c >= 'A' && c <= 'F') {
          value = c - 'A' + 10;
        }
        if (value < 0) {
          fail("bad character reference");
        }
        code = code * (hexadecimal ? 16 : 10) + static_cast<std::uint32_t>(value);
        if (code > 0x10ffff) {
          fail("character reference out of range");
        }
      }
      append_utf8(out, code);
    } else {
      fail("unknown entity '&" + std::string(body) + ";'");
    }
    m_pos = end + 1;
  }

  std::string attribute_value()
  {
    const char quote = peek();
    if (quote != '"' && quote != '\'') {
      fail("expected a quoted attribute value");
    }
    ++m_pos;
    std::string value;
    while (peek() != quote) {
      if (m_pos >= m_text.size()) {
        fail("unterminated attribute value");
      }
      if (peek() == '&') {
        entity(value);
      } else {
        value += m_text[m_pos++];
      }
    }
    ++m_pos;
    return value;
  }

  Element element()
  {
    ++m_pos; // '<'
    Element result;
    result.name = name();
    for (;;) {
      skip_spaces();
      if (looking_at("/>")) {
        m_pos += 2;
        return result;
      }
      if (peek() == '>') {
        ++m_pos;
        break;
      }
      std::string key = name();
      skip_spaces();
      if (peek() != '=') {
        fail("expected '=' after attribute '" + key + "'");
      }
      ++m_pos;
      skip_spaces();
      result.attributes.emplace_back(std::move(key), attribute_value());
    }
    content(result);
    return result;
  }

  void content(Element& parent)
  {
    for (;;) {
      if (m_pos >= m_text.size()) {
        fail("element '" + parent.name + "' is not closed");
      }
      const char c = peek();
      if (c == '&') {
        entity(parent.text);
      } else if (c != '<') {
        parent.text += c;
        ++m_pos;
      } else if (looking_at("</")) {
        m_pos += 2;
        const auto closing = name();
        if (closing != parent.name) {
          fail("'" + closing + "' closes '" + parent.name + "'");
        }
        skip_spaces();
        if (peek() != '>') {
          fail("expected '>'");
        }
        ++m_pos;
        return;
      } else if (looking_at("<![CDATA[")) {
        const auto start = m_pos + 9;
        skip_past("]]>");
        parent.text.append(m_text.substr(start, m_pos - 3 - start));
      } else if (looking_at("<!--")) {
        skip_past("-->");
      } else if (looking_at("<?")) {
        skip_past("?>");
      } else {
        parent.children.push_back(element());
      }
    }
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
};

} // namespace

Element parse(std::string_view document)
{
  return Parser(document).document();
}

std::string escape(std::string_view text)
{
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&apos;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

} // namespace syntask::storage::xml
