// SPDX-License-Identifier: Apache-2.0
#include "storage/s3_xml.hpp"

#include <syntask/error.hpp>

#include <cstdint>

namespace syntask::storage::xml {

namespace {

[[noreturn]] void malformed(const std::string& what, std::size_t offset)
{
  throw RemoteError("malformed XML: " + what + " at byte " + std::to_string(offset + 1), false);
}

void append_utf8(std::string& out, std::uint32_t code)
{
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

bool is_name_char(char c)
{
  return c != '>' && c != '/' && c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '=';
}

class Parser {
public:
  explicit Parser(std::string_view text) : m_text(text) {}

  Element document()
  {
    skip_misc();
    if (m_pos >= m_text.size() || m_text[m_pos] != '<') {
      malformed("expected the root element", m_pos);
    }
    Element root = element();
    skip_misc();
    if (m_pos != m_text.size()) {
      malformed("content after the root element", m_pos);
    }
    return root;
  }

private:
  bool at(std::string_view token) const { return m_text.substr(m_pos, token.size()) == token; }

  void skip_until(std::string_view terminator, const char* what)
  {
    auto end = m_text.find(terminator, m_pos);
    if (end == std::string_view::npos) {
      malformed(std::string("unterminated ") + what, m_pos);
    }
    m_pos = end + terminator.size();
  }

  // Whitespace, the declaration, processing instructions, comments and a DOCTYPE between elements.
  void skip_misc()
  {
    while (m_pos < m_text.size()) {
      char c = m_text[m_pos];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++m_pos;
      } else if (at("<?")) {
        skip_until("?>", "processing instruction");
      } else if (at("<!--")) {
        skip_until("-->", "comment");
      } else if (at("<!DOCTYPE")) {
        skip_until(">", "DOCTYPE");
      } else {
        return;
      }
    }
  }

  std::string name()
  {
    auto start = m_pos;
    while (m_pos < m_text.size() && is_name_char(m_text[m_pos])) {
      ++m_pos;
    }
    if (m_pos == start) {
      malformed("expected a name", m_pos);
    }
    return std::string(m_text.substr(start, m_pos - start));
  }

  static std::string local(const std::string& qualified)
  {
    auto colon = qualified.find(':');
    return colon == std::string::npos ? qualified : qualified.substr(colon + 1);
  }

  // Attributes are read past (quoted values may hold '>'), not kept: S3 puts nothing in them we use.
  void skip_attributes()
  {
    while (m_pos < m_text.size() && m_text[m_pos] != '>' && m_text[m_pos] != '/') {
      char c = m_text[m_pos];
      if (c == '"' || c == '\'') {
        auto end = m_text.find(c, m_pos + 1);
        if (end == std::string_view::npos) {
          malformed("unterminated attribute value", m_pos);
        }
        m_pos = end + 1;
      } else {
        ++m_pos;
      }
    }
  }

  Element element()
  {
    ++m_pos; // '<'
    Element out;
    auto qualified = name();
    out.name = local(qualified);
    skip_attributes();
    if (m_pos >= m_text.size()) {
      malformed("unterminated start tag <" + qualified + ">", m_pos);
    }
    if (m_text[m_pos] == '/') {
      if (!at("/>")) {
        malformed("expected '/>'", m_pos);
      }
      m_pos += 2;
      return out;
    }
    ++m_pos; // '>'
    while (true) {
      if (m_pos >= m_text.size()) {
        malformed("missing </" + qualified + ">", m_pos);
      }
      if (at("</")) {
        m_pos += 2;
        auto closing = name();
        if (closing != qualified) {
          malformed("</" + closing + "> closes <" + qualified + ">", m_pos);
        }
        while (m_pos < m_text.size() &&
               (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\n')) {
          ++m_pos;
        }
        if (m_pos >= m_text.size() || m_text[m_pos] != '>') {
          malformed("expected '>'", m_pos);
        }
        ++m_pos;
        return out;
      }
      if (at("<![CDATA[")) {
        auto start = m_pos + 9;
        skip_until("]]>", "CDATA section");
        out.text += m_text.substr(start, m_pos - 3 - start);
      } else if (at("<!--")) {
        skip_until("-->", "comment");
      } else if (at("<?")) {
        skip_until("?>", "processing instruction");
      } else if (m_text[m_pos] == '<') {
        out.children.push_back(element());
      } else {
        auto end = m_text.find('<', m_pos);
        if (end == std::string_view::npos) {
          end = m_text.size();
        }
        out.text += decode_entities(m_text.substr(m_pos, end - m_pos));
        m_pos = end;
      }
    }
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
};

} // namespace

const Element* Element::child(std::string_view child_name) const
{
  for (const auto& element : children) {
    if (element.name == child_name) {
      return &element;
    }
  }
  return nullptr;
}

std::string Element::child_text(std::string_view child_name) const
{
  const auto* found = child(child_name);
  return found == nullptr ? std::string{} : found->text;
}

std::vector<const Element*> Element::children_named(std::string_view child_name) const
{
  std::vector<const Element*> out;
  for (const auto& element : children) {
    if (element.name == child_name) {
      out.push_back(&element);
    }
  }
  return out;
}

Element parse(std::string_view document)
{
  return Parser(document).document();
}

std::string decode_entities(std::string_view text)
{
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    auto end = text.find(';', i);
    if (end == std::string_view::npos || end - i > 12) {
      malformed("unterminated entity reference", i);
    }
    auto entity = text.substr(i + 1, end - i - 1);
    if (entity == "amp") {
      out += '&';
    } else if (entity == "lt") {
      out += '<';
    } else if (entity == "gt") {
      out += '>';
    } else if (entity == "quot") {
      out += '"';
    } else if (entity == "apos") {
      out += '\'';
    } else if (entity.size() >= 2 && entity[0] == '#') {
      bool hex = entity[1] == 'x' || entity[1] == 'X';
      auto digits = entity.substr(hex ? 2 : 1);
      if (digits.empty()) {
        malformed("empty character reference", i);
      }
      std::uint32_t code = 0;
      for (char c : digits) {
        int value = -1;
        if (c >= '0' && c <= '9') {
          value = c - '0';
        } else if (hex && c >= 'a' && c <= 'f') {
          value = c - 'a' + 10;
        } else if (hex && c >= 'A' && c <= 'F') {
          value = c - 'A' + 10;
        }
        if (value < 0) {
          malformed("bad character reference '&" + std::string(entity) + ";'", i);
        }
        code = code * (hex ? 16 : 10) + static_cast<std::uint32_t>(value);
        if (code > 0x10FFFF) {
          malformed("character reference out of range", i);
        }
      }
      append_utf8(out, code);
    } else {
      malformed("unknown entity '&" + std::string(entity) + ";'", i);
    }
    i = end;
  }
  return out;
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
