// SPDX-License-Identifier: Apache-2.0
#include "flows/python_scanner.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace syntask::flows {

namespace {

enum class Kind { name, string, number, op };

struct Token {
  Kind kind = Kind::op;
  std::string text;          // identifier, operator character, number, or the string's value
  bool plain_string = false; // a str literal whose value is known: not bytes, not an f-string
  int line = 0;
};

// One simple statement: a logical line, or a part of one between ';'.
struct Statement {
  int indent = 0;
  std::vector<Token> tokens;
};

bool is_identifier_char(char c)
{
  const auto byte = static_cast<unsigned char>(c);
  return std::isalnum(byte) != 0 || c == '_' || byte >= 0x80;
}

bool is_string_prefix(std::string_view word)
{
  return !word.empty() && word.size() <= 2 && word.find_first_not_of("rRbBuUfFtT") == std::string_view::npos;
}

void append_escape(std::string& value, char escaped)
{
  switch (escaped) {
  case '\n':
    break; // an escaped newline joins the lines
  case 'n':
    value += '\n';
    break;
  case 't':
    value += '\t';
    break;
  case '\\':
  case '\'':
  case '"':
    value += escaped;
    break;
  default:
    value += '\\';
    value += escaped;
    break;
  }
}

class Lexer {
public:
  explicit Lexer(std::string_view source) : m_source(source) {}

  std::vector<Statement> statements()
  {
    bool at_line_start = true;
    while (m_pos < m_source.size()) {
      const char c = m_source[m_pos];
      if (at_line_start) {
        at_line_start = false;
        measure_indent();
        continue;
      }
      if (c == '\n') {
        ++m_line;
        ++m_pos;
        // Inside brackets a newline does not end the statement.
        if (m_depth == 0) {
          finish_statement();
          at_line_start = true;
        }
      } else if (c == '\\' && next_is_newline(m_pos + 1)) {
        m_pos = m_source.find('\n', m_pos) + 1;
        ++m_line;
      } else if (c == '#') {
        m_pos = std::min(m_source.find('\n', m_pos), m_source.size());
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
        ++m_pos;
      } else if (c == '"' || c == '\'') {
        read_string_token("");
      } else if (is_identifier_char(c) && std::isdigit(static_cast<unsigned char>(c)) == 0) {
        read_word();
      } else if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
        read_number();
      } else {
        read_operator(c);
      }
    }
    finish_statement();
    return std::move(m_statements);
  }

private:
  bool next_is_newline(std::size_t pos) const
  {
    return m_source.substr(pos, 1) == "\n" || m_source.substr(pos, 2) == "\r\n";
  }

  void measure_indent()
  {
    int column = 0;
    while (m_pos < m_source.size() && (m_source[m_pos] == ' ' || m_source[m_pos] == '\t')) {
      column = m_source[m_pos] == '\t' ? (column / 8 + 1) * 8 : column + 1;
      ++m_pos;
    }
    m_indent = column;
    m_current.indent = column;
  }

  void finish_statement()
  {
    if (!m_current.tokens.empty()) {
      m_statements.push_back(std::move(m_current));
    }
    m_current = Statement{};
    m_current.indent = m_indent;
  }

  void push(Kind kind, std::string text, bool plain_string = false)
  {
    m_current.tokens.push_back(Token{kind, std::move(text), plain_string, m_line});
  }

  void read_word()
  {
    const std::size_t start = m_pos;
    while (m_pos < m_source.size() && is_identifier_char(m_source[m_pos])) {
      ++m_pos;
    }
    const std::string_view word = m_source.substr(start, m_pos - start);
    if (m_pos < m_source.size() && (m_source[m_pos] == '"' || m_source[m_pos] == '\'') &&
        is_string_prefix(word)) {
      read_string_token(word);
      return;
    }
    push(Kind::name, std::string(word));
  }

  void read_number()
  {
    const std::size_t start = m_pos;
    while (m_pos < m_source.size() && (is_identifier_char(m_source[m_pos]) || m_source[m_pos] == '.')) {
      ++m_pos;
    }
    push(Kind::number, std::string(m_source.substr(start, m_pos - start)));
  }

  void read_operator(char c)
  {
    ++m_pos;
    if (c == '(' || c == '[' || c == '{') {
      ++m_depth;
    } else if ((c == ')' || c == ']' || c == '}') && m_depth > 0) {
      --m_depth;
    } else if (c == ';' && m_depth == 0) {
      finish_statement();
      return;
    }
    push(Kind::op, std::string(1, c));
  }

  void read_string_token(std::string_view prefix)
  {
    const auto has = [prefix](char letter) {
      return prefix.find(letter) != std::string_view::npos ||
             prefix.find(static_cast<char>(std::toupper(static_cast<unsigned char>(letter)))) !=
                 std::string_view::npos;
    };
    const bool raw = has('r');
    const bool formatted = has('f') || has('t');
    std::string value;
    const int line = m_line;
    skip_string(raw, formatted, &value);
    m_current.tokens.push_back(Token{Kind::string, std::move(value), !formatted && !has('b'), line});
  }

  // Moves past the string literal starting at the quote under m_pos, collecting its value when `value` is
  // given. An unterminated single-quoted string ends at the end of its line, as the tokenizer would
  // report an error there anyway.
  void skip_string(bool raw, bool formatted, std::string* value)
  {
    const char quote = m_source[m_pos];
    const std::string closing =
        m_source.substr(m_pos, 3) == std::string(3, quote) ? std::string(3, quote) : std::string(1, quote);
    const bool triple = closing.size() == 3;
    m_pos += closing.size();
    int braces = 0; // depth inside an f-string's replacement fields, where nested strings may appear
    while (m_pos < m_source.size()) {
      const char c = m_source[m_pos];
      if (c == '\n') {
        if (!triple && braces == 0) {
          return;
        }
        ++m_line;
      }
      if (c == '\\' && m_pos + 1 < m_source.size()) {
        const char escaped = m_source[m_pos + 1];
        if (escaped == '\n') {
          ++m_line;
        }
        if (value != nullptr && braces == 0) {
          if (raw) {
            *value += c;
            *value += escaped;
          } else {
            append_escape(*value, escaped);
          }
        }
        m_pos += 2;
        continue;
      }
      if (braces > 0) {
        if (c == '"' || c == '\'') {
          skip_string(false, false, nullptr);
          continue;
        }
        braces += c == '{' ? 1 : (c == '}' ? -1 : 0);
        ++m_pos;
        continue;
      }
      if (formatted && c == '{') {
        if (m_source.substr(m_pos, 2) != "{{") {
          ++braces;
          ++m_pos;
          continue;
        }
        ++m_pos; // "{{" is a literal brace
      }
      if (m_source.substr(m_pos, closing.size()) == closing) {
        m_pos += closing.size();
        return;
      }
      if (value != nullptr) {
        *value += m_source[m_pos];
      }
      ++m_pos;
    }
  }

  std::string_view m_source;
  std::size_t m_pos = 0;
  int m_line = 1;
  int m_depth = 0;
  int m_indent = 0;
  Statement m_current;
  std::vector<Statement> m_statements;
};

bool is_name(const std::vector<Token>& tokens, std::size_t i, std::string_view text)
{
  return i < tokens.size() && tokens[i].kind == Kind::name && tokens[i].text == text;
}

bool is_op(const std::vector<Token>& tokens, std::size_t i, char op)
{
  return i < tokens.size() && tokens[i].kind == Kind::op && tokens[i].text.size() == 1 &&
         tokens[i].text[0] == op;
}

// Reads "a.b.c" starting at `i`; returns the parts and leaves `i` after them.
std::vector<std::string> read_dotted(const std::vector<Token>& tokens, std::size_t& i)
{
  std::vector<std::string> parts;
  while (i < tokens.size() && tokens[i].kind == Kind::name) {
    parts.push_back(tokens[i].text);
    ++i;
    if (!is_op(tokens, i, '.')) {
      break;
    }
    ++i;
  }
  return parts;
}

std::string join_dotted(const std::vector<std::string>& parts)
{
  std::string text;
  for (const auto& part : parts) {
    text += (text.empty() ? "" : ".") + part;
  }
  return text;
}

bool is_flow_module(std::string_view module)
{
  return module == "syntask" || module == "prefect" || module == "syntask.flows" || module == "prefect.flows";
}

// What the decorators seen so far can be spelled as.
struct FlowSpellings {
  std::set<std::string> functions{"flow"};
  std::set<std::string> modules{"syntask", "prefect"};

  // import syntask as s, prefect.flows as pf
  void record_import(const std::vector<Token>& tokens)
  {
    std::size_t i = 1;
    while (i < tokens.size()) {
      const auto module = join_dotted(read_dotted(tokens, i));
      if (is_name(tokens, i, "as") && i + 1 < tokens.size() && tokens[i + 1].kind == Kind::name) {
        if (is_flow_module(module)) {
          modules.insert(tokens[i + 1].text);
        }
        i += 2;
      }
      if (!is_op(tokens, i, ',')) {
        return;
      }
      ++i;
    }
  }

  // from syntask import flow as f, task
  void record_from_import(const std::vector<Token>& tokens)
  {
    std::size_t i = 1;
    const auto module = join_dotted(read_dotted(tokens, i));
    if (!is_name(tokens, i, "import") || !is_flow_module(module)) {
      return;
    }
    ++i;
    if (is_op(tokens, i, '(')) {
      ++i;
    }
    while (i < tokens.size() && tokens[i].kind == Kind::name) {
      const std::string imported = tokens[i].text;
      std::string bound = imported;
      ++i;
      if (is_name(tokens, i, "as") && i + 1 < tokens.size() && tokens[i + 1].kind == Kind::name) {
        bound = tokens[i + 1].text;
        i += 2;
      }
      if (imported == "flow") {
        functions.insert(bound);
      }
      if (!is_op(tokens, i, ',')) {
        return;
      }
      ++i;
    }
  }

  bool is_flow(const std::vector<std::string>& dotted) const
  {
    return (dotted.size() == 1 && functions.count(dotted[0]) != 0) ||
           (dotted.size() == 2 && modules.count(dotted[0]) != 0 && dotted[1] == "flow");
  }
};

struct Decorator {
  bool is_flow = false;
  std::optional<std::string> flow_name;
};

// The value of `name=` among the call arguments in tokens[open + 1 ...] when it is a string literal
// (adjacent literals concatenate, as in Python).
std::optional<std::string> literal_name_argument(const std::vector<Token>& tokens, std::size_t open)
{
  int depth = 0;
  for (std::size_t i = open + 1; i < tokens.size(); ++i) {
    const auto& token = tokens[i];
    if (token.kind == Kind::op && (token.text == "(" || token.text == "[" || token.text == "{")) {
      ++depth;
    } else if (token.kind == Kind::op && (token.text == ")" || token.text == "]" || token.text == "}")) {
      if (--depth < 0) {
        return std::nullopt;
      }
    }
    if (depth != 0 || !is_name(tokens, i, "name") ||
        !(is_op(tokens, i - 1, '(') || is_op(tokens, i - 1, ',')) || !is_op(tokens, i + 1, '=')) {
      continue;
    }
    std::string value;
    std::size_t j = i + 2;
    for (; j < tokens.size() && tokens[j].kind == Kind::string; ++j) {
      if (!tokens[j].plain_string) {
        return std::nullopt;
      }
      value += tokens[j].text;
    }
    if (j == i + 2 || !(is_op(tokens, j, ',') || is_op(tokens, j, ')'))) {
      return std::nullopt;
    }
    return value;
  }
  return std::nullopt;
}

// The index of the bracket closing the one at `open`, or tokens.size() when it is not closed.
std::size_t closing_bracket(const std::vector<Token>& tokens, std::size_t open)
{
  int depth = 0;
  for (std::size_t i = open; i < tokens.size(); ++i) {
    if (tokens[i].kind != Kind::op) {
      continue;
    }
    const auto& text = tokens[i].text;
    if (text == "(" || text == "[" || text == "{") {
      ++depth;
    } else if ((text == ")" || text == "]" || text == "}") && --depth == 0) {
      return i;
    }
  }
  return tokens.size();
}

// tokens[0] is the '@'.
Decorator read_decorator(const std::vector<Token>& tokens, const FlowSpellings& spellings)
{
  std::size_t i = 1;
  const auto dotted = read_dotted(tokens, i);
  Decorator decorator;
  if (!spellings.is_flow(dotted)) {
    return decorator;
  }
  if (i == tokens.size()) {
    decorator.is_flow = true;
    return decorator;
  }
  if (!is_op(tokens, i, '(') || closing_bracket(tokens, i) != tokens.size() - 1) {
    return decorator; // e.g. @flow(...)(...): not a plain flow decorator
  }
  decorator.is_flow = true;
  decorator.flow_name = literal_name_argument(tokens, i);
  return decorator;
}

} // namespace

std::vector<ModuleFunction> scan_module_functions(std::string_view source)
{
  FlowSpellings spellings;
  std::vector<Decorator> decorators;
  std::vector<ModuleFunction> functions;
  for (const auto& statement : Lexer(source).statements()) {
    const auto& tokens = statement.tokens;
    if (is_name(tokens, 0, "import")) {
      spellings.record_import(tokens);
    } else if (is_name(tokens, 0, "from")) {
      spellings.record_from_import(tokens);
    } else if (statement.indent == 0 && is_op(tokens, 0, '@')) {
      decorators.push_back(read_decorator(tokens, spellings));
      continue;
    } else if (statement.indent == 0) {
      const std::size_t def = is_name(tokens, 0, "async") ? 1 : 0;
      if (is_name(tokens, def, "def") && def + 1 < tokens.size() && tokens[def + 1].kind == Kind::name) {
        ModuleFunction function;
        function.name = tokens[def + 1].text;
        function.line = tokens[def].line;
        // The outermost flow decorator decides the flow's name.
        const auto flow = std::find_if(decorators.begin(), decorators.end(),
                                       [](const Decorator& decorator) { return decorator.is_flow; });
        if (flow != decorators.end()) {
          function.is_flow = true;
          function.flow_name = flow->flow_name;
        }
        functions.push_back(std::move(function));
      }
    }
    decorators.clear();
  }
  return functions;
}

} // namespace syntask::flows
