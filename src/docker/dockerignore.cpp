// SPDX-License-Identifier: Apache-2.0
#include <syntask/docker/build_context.hpp>
#include <syntask/error.hpp>
#include <syntask/util/fs.hpp>

#include <cstdint>

namespace syntask::docker {

// The engine turns each pattern into a regular expression ('*' -> "[^/]*", '?' -> "[^/]", "**/" ->
// "(.*/)?", a final "**" -> ".*", '[...]' verbatim, '\x' -> literal x, a stray '^' an anchor). Patterns
// are short, so a small backtracking matcher over these pieces replaces the regex engine.
struct DockerIgnore::Token {
  enum class Kind { literal, star, any_rune, rune_class, any_dirs, rest, anchor } kind = Kind::literal;
  char byte = 0;                                       // literal
  bool negated = false;                                // rune_class
  std::vector<std::pair<char32_t, char32_t>> ranges{}; // rune_class
};

namespace {

bool is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

std::string_view trim(std::string_view text)
{
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

// Lexical cleaning with the rules of Go's filepath.Clean: no empty or "." segments, ".." folded into its
// parent where there is one, "." for nothing.
std::string clean_path(std::string_view path)
{
  const bool rooted = !path.empty() && path.front() == '/';
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    const std::string_view part = path.substr(start, end - start);
    start = end + 1;
    if (part.empty() || part == ".") {
      continue;
    }
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!rooted) {
        parts.push_back(part);
      }
      continue;
    }
    parts.push_back(part);
  }
  std::string out = rooted ? "/" : "";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) {
      out += '/';
    }
    out += parts[i];
  }
  return out.empty() ? "." : out;
}

// One UTF-8 sequence at `pos`: its code point and length. A malformed byte counts as one rune, as in Go.
std::pair<char32_t, std::size_t> decode_rune(std::string_view text, std::size_t pos)
{
  const auto lead = static_cast<unsigned char>(text[pos]);
  std::size_t length = 1;
  char32_t rune = lead;
  if (lead >= 0xC0 && lead < 0xE0) {
    length = 2;
    rune = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead < 0xF0) {
    length = 3;
    rune = lead & 0x0Fu;
  } else if (lead >= 0xF0 && lead < 0xF8) {
    length = 4;
    rune = lead & 0x07u;
  }
  if (length == 1 || pos + length > text.size()) {
    return {lead >= 0x80 ? char32_t{0xFFFD} : rune, 1};
  }
  for (std::size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[pos + i]);
    if ((next & 0xC0u) != 0x80u) {
      return {0xFFFD, 1};
    }
    rune = (rune << 6) | (next & 0x3Fu);
  }
  return {rune, length};
}

// Go's filepath.Match rejects these patterns, and the engine with them the whole file: a trailing
// backslash, an unclosed '[', a class starting with ']' or '-' or holding an unfinished escape.
bool well_formed(std::string_view pattern)
{
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      if (++i >= pattern.size()) {
        return false;
      }
      continue;
    }
    if (pattern[i] != '[') {
      continue;
    }
    ++i;
    if (i < pattern.size() && pattern[i] == '^') {
      ++i;
    }
    bool closed = false;
    int items = 0;
    // Each item is a character or a range lo-hi; ']' and '-' must be escaped where an item starts.
    while (i < pattern.size()) {
      if (pattern[i] == ']' && items > 0) {
        closed = true;
        break;
      }
      for (int end = 0; end < 2; ++end) {
        if (i >= pattern.size() || pattern[i] == '-' || pattern[i] == ']') {
          return false;
        }
        if (pattern[i] == '\\' && ++i >= pattern.size()) {
          return false;
        }
        i += decode_rune(pattern, i).second;
        if (end == 0 && !(i < pattern.size() && pattern[i] == '-')) {
          break;
        }
        if (end == 0) {
          ++i;
        }
      }
      ++items;
    }
    if (!closed) {
      return false;
    }
  }
  return true;
}

// Reads a class body after '[' up to its ']' (well_formed has checked it), leaving `i` on the ']'.
DockerIgnore::Token read_class(std::string_view pattern, std::size_t& i)
{
  DockerIgnore::Token token;
  token.kind = DockerIgnore::Token::Kind::rune_class;
  if (i < pattern.size() && pattern[i] == '^') {
    token.negated = true;
    ++i;
  }
  auto read_one = [&]() {
    if (pattern[i] == '\\') {
      ++i;
    }
    const auto [rune, length] = decode_rune(pattern, i);
    i += length;
    return rune;
  };
  while (i < pattern.size() && pattern[i] != ']') {
    const char32_t low = read_one();
    char32_t high = low;
    if (i + 1 < pattern.size() && pattern[i] == '-' && pattern[i + 1] != ']') {
      ++i;
      high = read_one();
    }
    token.ranges.emplace_back(low, high);
  }
  return token;
}

bool match_tokens(const std::vector<DockerIgnore::Token>& tokens, std::size_t t, std::string_view path,
                  std::size_t p)
{
  using Kind = DockerIgnore::Token::Kind;
  for (; t < tokens.size(); ++t) {
    const auto& token = tokens[t];
    switch (token.kind) {
    case Kind::literal:
      if (p >= path.size() || path[p] != token.byte) {
        return false;
      }
      ++p;
      break;
    case Kind::anchor:
      if (p != 0) {
        return false;
      }
      break;
    case Kind::any_rune:
      if (p >= path.size() || path[p] == '/') {
        return false;
      }
      p += decode_rune(path, p).second;
      break;
    case Kind::rune_class: {
      if (p >= path.size()) {
        return false;
      }
      const auto [rune, length] = decode_rune(path, p);
      bool inside = false;
      for (const auto& [low, high] : token.ranges) {
        inside = inside || (rune >= low && rune <= high);
      }
      if (inside == token.negated) {
        return false;
      }
      p += length;
      break;
    }
    case Kind::star:
      for (std::size_t end = p;; ++end) {
        if (match_tokens(tokens, t + 1, path, end)) {
          return true;
        }
        if (end >= path.size() || path[end] == '/') {
          return false;
        }
      }
    case Kind::any_dirs:
      // "(.*/)?": nothing, or anything up to and including some later '/' ('.' stops at a newline).
      if (match_tokens(tokens, t + 1, path, p)) {
        return true;
      }
      for (std::size_t end = p; end < path.size() && path[end] != '\n'; ++end) {
        if (path[end] == '/' && match_tokens(tokens, t + 1, path, end + 1)) {
          return true;
        }
      }
      return false;
    case Kind::rest:
      for (std::size_t end = p;; ++end) {
        if (match_tokens(tokens, t + 1, path, end)) {
          return true;
        }
        if (end >= path.size() || path[end] == '\n') {
          return false;
        }
      }
    }
  }
  return p == path.size();
}

} // namespace

DockerIgnore DockerIgnore::parse(std::string_view text, const std::string& source)
{
  DockerIgnore ignore;
  int line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line_number == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") {
      line.remove_prefix(3);
    }
    // A comment only when '#' is the very first character: the engine tests before trimming.
    if (!line.empty() && line.front() == '#') {
      continue;
    }
    line = trim(line);
    if (line.empty()) {
      continue;
    }
    Pattern pattern;
    if (line.front() == '!') {
      pattern.negated = true;
      line = trim(line.substr(1));
    }
    const SourceRef where{source, line_number, 0};
    if (line.empty()) {
      throw ConfigError(where, "", "illegal exclusion pattern '!'");
    }
    pattern.text = clean_path(line);
    if (pattern.text.size() > 1 && pattern.text.front() == '/') {
      pattern.text.erase(0, 1);
    }
    if (!well_formed(pattern.text)) {
      throw ConfigError(where, "", "syntax error in pattern '" + std::string(line) + "'");
    }

    // The same classification as the engine: plain text compares exactly, "text**" is a prefix test,
    // a leading "**" with nothing special after it a suffix test, anything else the full matcher.
    auto tokens = std::make_shared<std::vector<Token>>();
    using Kind = Pattern::Kind;
    Kind kind = Kind::exact;
    const std::string& p = pattern.text;
    for (std::size_t i = 0, step = 0; i < p.size(); ++i, ++step) {
      const char c = p[i];
      if (c == '*' && i + 1 < p.size() && p[i + 1] == '*') {
        i += 1;
        if (i + 1 < p.size() && p[i + 1] == '/') {
          i += 1;
        }
        if (i + 1 >= p.size()) {
          if (kind == Kind::exact) {
            kind = Kind::prefix;
          } else {
            tokens->push_back(Token{Token::Kind::rest});
            kind = Kind::glob;
          }
        } else {
          tokens->push_back(Token{Token::Kind::any_dirs});
          kind = Kind::glob;
        }
        if (step == 0) {
          kind = Kind::suffix;
        }
      } else if (c == '*') {
        tokens->push_back(Token{Token::Kind::star});
        kind = Kind::glob;
      } else if (c == '?') {
        tokens->push_back(Token{Token::Kind::any_rune});
        kind = Kind::glob;
      } else if (c == '\\') {
        // well_formed guarantees a next character.
        ++i;
        tokens->push_back(Token{Token::Kind::literal, p[i]});
        kind = Kind::glob;
      } else if (c == '[') {
        ++i;
        tokens->push_back(read_class(p, i));
        kind = Kind::glob;
      } else if (c == '^') {
        tokens->push_back(Token{Token::Kind::anchor});
      } else {
        tokens->push_back(Token{Token::Kind::literal, c});
      }
    }
    // An anchor in a pattern the engine compares as text is compared as text there too.
    pattern.kind = kind;
    if (kind == Kind::glob) {
      pattern.tokens = std::move(tokens);
    }
    ignore.m_patterns.push_back(std::move(pattern));
  }
  return ignore;
}

DockerIgnore DockerIgnore::load(const std::filesystem::path& file)
{
  std::error_code error;
  if (!std::filesystem::exists(file, error)) {
    return {};
  }
  return parse(util::read_file(file), file.filename().string());
}

bool DockerIgnore::matches(const Pattern& pattern, std::string_view path)
{
  const std::string& text = pattern.text;
  switch (pattern.kind) {
  case Pattern::Kind::exact:
    return path == text;
  case Pattern::Kind::prefix:
    return path.substr(0, text.size() - 2) == std::string_view(text).substr(0, text.size() - 2);
  case Pattern::Kind::suffix: {
    const std::string_view suffix = std::string_view(text).substr(2);
    if (path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix) {
      return true;
    }
    return !suffix.empty() && suffix.front() == '/' && path == suffix.substr(1);
  }
  case Pattern::Kind::glob:
    return match_tokens(*pattern.tokens, 0, path, 0);
  }
  return false;
}

bool DockerIgnore::excludes(std::string_view relative_path) const
{
  const std::string path = clean_path(relative_path);
  if (path == "." || m_patterns.empty()) {
    return false;
  }
  bool excluded = false;
  for (const auto& pattern : m_patterns) {
    // Only a pattern that can change the outcome is tried: an exclusion when nothing is excluded yet
    // matches nothing new, and the reverse.
    if (pattern.negated != excluded) {
      continue;
    }
    bool match = matches(pattern, path);
    for (std::size_t slash = path.find('/'); !match && slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
      match = matches(pattern, std::string_view(path).substr(0, slash));
    }
    if (match) {
      excluded = !pattern.negated;
    }
  }
  return excluded;
}

bool DockerIgnore::may_reinclude_below(std::string_view relative_directory) const
{
  const std::string directory = clean_path(relative_directory) + "/";
  for (const auto& pattern : m_patterns) {
    if (pattern.negated && (pattern.text + "/").compare(0, directory.size(), directory) == 0) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> DockerIgnore::patterns() const
{
  std::vector<std::string> out;
  out.reserve(m_patterns.size());
  for (const auto& pattern : m_patterns) {
    out.push_back((pattern.negated ? "!" : "") + pattern.text);
  }
  return out;
}

} // namespace syntask::docker
