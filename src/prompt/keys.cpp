// SPDX-License-Identifier: Apache-2.0
#include "prompt/keys.hpp"

#include <syntask/error.hpp>

#include <istream>

namespace syntask::prompt::detail {

namespace {

constexpr int k_ctrl_c = 3;
constexpr int k_ctrl_d = 4;
constexpr int k_ctrl_h = 8;
constexpr int k_ctrl_u = 21;
constexpr int k_escape = 27;
constexpr int k_delete = 127;

// Reading through the stream buffer (not the file descriptor) keeps bytes typed ahead for later questions.
int next_byte(std::istream& in)
{
  const auto value = in.rdbuf()->sbumpc();
  if (value == std::char_traits<char>::eof()) {
    in.setstate(std::ios::eofbit);
    return -1;
  }
  return static_cast<unsigned char>(std::char_traits<char>::to_char_type(value));
}

KeyPress read_escape_sequence(std::istream& in)
{
  const int introducer = next_byte(in);
  if (introducer != '[' && introducer != 'O') {
    return {Key::other, 0};
  }
  // Parameter and intermediate bytes run up to a final byte in 0x40..0x7e.
  int byte = next_byte(in);
  while (byte >= 0x20 && byte <= 0x3f) {
    byte = next_byte(in);
  }
  if (byte == 'A') {
    return {Key::up, 0};
  }
  if (byte == 'B') {
    return {Key::down, 0};
  }
  return {Key::other, 0};
}

// A UTF-8 character may span several bytes; backspace removes the whole character.
void erase_last_character(std::string& line)
{
  while (!line.empty() && (static_cast<unsigned char>(line.back()) & 0xc0U) == 0x80U) {
    line.pop_back();
  }
  if (!line.empty()) {
    line.pop_back();
  }
}

} // namespace

KeyPress read_key(std::istream& in)
{
  const int byte = next_byte(in);
  switch (byte) {
  case -1:
  case k_ctrl_d:
    return {Key::end_of_input, 0};
  case k_ctrl_c:
    return {Key::interrupt, 0};
  case '\r':
  case '\n':
    return {Key::enter, 0};
  case k_delete:
  case k_ctrl_h:
    return {Key::backspace, 0};
  case k_ctrl_u:
    return {Key::erase_line, 0};
  case k_escape:
    return read_escape_sequence(in);
  default:
    if (byte < 0x20) {
      return {Key::other, 0};
    }
    return {Key::character, static_cast<char>(byte)};
  }
}

std::optional<std::string> read_hidden_line(std::istream& in)
{
  std::string line;
  for (;;) {
    const auto press = read_key(in);
    switch (press.key) {
    case Key::enter:
      return line;
    case Key::interrupt:
      throw Interrupted();
    case Key::end_of_input:
      if (line.empty() || in.eof()) {
        return std::nullopt;
      }
      break;
    case Key::backspace:
      erase_last_character(line);
      break;
    case Key::erase_line:
      line.clear();
      break;
    case Key::character:
      line += press.byte;
      break;
    case Key::up:
    case Key::down:
    case Key::other:
      break;
    }
  }
}

} // namespace syntask::prompt::detail
